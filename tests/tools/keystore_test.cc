// The key store's files and the key commands (keygen, fingerprint, trust,
// untrust, import) on temporary directories.
#include "tools/keystore.h"

#include <dirent.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crypto/backends.h"
#include "crypto/random.h"
#include "tests/tools/test_dir.h"
#include "tools/args.h"
#include "tools/key_commands.h"
#include "tools/keystore_v4.h"

namespace otr::tools {
namespace {

using testing::MakeTestDir;
using testing::ModeOf;
using testing::Null;
using testing::Slurp;
using testing::Spit;

ByteView View(const std::string& s) {
  return ByteView(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

int Entries(const std::string& dir) {
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return -1;
  int n = 0;
  while (dirent* e = readdir(d)) {
    if (std::string(e->d_name) != "." && std::string(e->d_name) != "..") ++n;
  }
  closedir(d);
  return n;
}

std::string Hex(const store::PrivateKeyEntry& e) {
  return store::FingerprintToHex(store::ComputeFingerprint(crypto::DefaultBackend(), e.key.pub));
}

TEST(DefaultDirTest, XdgThenHome) {
  EXPECT_EQ(DefaultDir("/x/cfg", "/home/u"), "/x/cfg/otr");
  EXPECT_EQ(DefaultDir(nullptr, "/home/u"), "/home/u/.config/otr");
  // XDG base directory spec: a relative path is invalid and ignored.
  EXPECT_EQ(DefaultDir("relative", "/home/u"), "/home/u/.config/otr");
  EXPECT_EQ(DefaultDir("", "/home/u"), "/home/u/.config/otr");
  EXPECT_EQ(DefaultDir(nullptr, nullptr), std::nullopt);
  EXPECT_EQ(DefaultDir(nullptr, ""), std::nullopt);
}

TEST(PrivateFileTest, WritesMode0600WhateverTheUmask) {
  const std::string dir = MakeTestDir();
  for (mode_t mask : {mode_t{0}, mode_t{022}, mode_t{0277}}) {
    const mode_t old = umask(mask);
    const std::string path = dir + "/sub" + std::to_string(mask) + "/deeper/file";
    auto written = WritePrivateFile(path, View("secret"), /*replace=*/false);
    umask(old);
    ASSERT_TRUE(written.ok()) << written.error();
    EXPECT_EQ(ModeOf(path), 0600) << mask;
    EXPECT_EQ(ModeOf(dir + "/sub" + std::to_string(mask)), 0700) << mask;
    EXPECT_EQ(Slurp(path), "secret");
  }
}

TEST(PrivateFileTest, ExistingFileReplacedOnlyWhenAsked) {
  const std::string dir = MakeTestDir();
  const std::string path = dir + "/f";
  Spit(path, "old");
  chmod(path.c_str(), 0644);
  auto refused = WritePrivateFile(path, View("new"), /*replace=*/false);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().find("--force"), std::string::npos);
  EXPECT_EQ(Slurp(path), "old");
  auto replaced = WritePrivateFile(path, View("new"), /*replace=*/true);
  ASSERT_TRUE(replaced.ok()) << replaced.error();
  EXPECT_EQ(Slurp(path), "new");
  EXPECT_EQ(ModeOf(path), 0600);
  EXPECT_EQ(Entries(dir), 1);  // no temporary file left behind
}

TEST(PrivateFileTest, ReadMissingIsEmptyAndUnreadableFails) {
  const std::string dir = MakeTestDir();
  auto missing = ReadPrivateFile(dir + "/none");
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
  auto directory = ReadPrivateFile(dir);  // read(2) on a directory fails
  EXPECT_FALSE(directory.ok());
  auto keys = LoadKeys(dir + "/none");
  ASSERT_TRUE(keys.ok());
  EXPECT_TRUE(keys->accounts.empty());
  Spit(dir + "/bad", "(privkeys (account");
  auto bad = LoadKeys(dir + "/bad");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().find("not a libotr private-key file"), std::string::npos);
}

TEST(InstagFileTest, LoadSaveFindAndMerge) {
  const std::string dir = MakeTestDir();
  const StorePaths paths = StorePaths::In(dir + "/store");
  EXPECT_EQ(paths.instance_tags, dir + "/store/otr.instance_tags");
  auto missing = LoadInstags(paths.instance_tags);
  ASSERT_TRUE(missing.ok());
  EXPECT_TRUE(missing->empty());

  std::vector<store::InstagEntry> tags = {{"alice@irc", "prpl-irc", 0x12345678},
                                          {"alice@irc", "IRC", 0x100}};
  const mode_t old = umask(0);
  auto saved = SaveInstags(paths.instance_tags, tags, /*replace=*/false);
  umask(old);
  ASSERT_TRUE(saved.ok()) << saved.error();
  EXPECT_EQ(ModeOf(paths.instance_tags), 0600);
  EXPECT_EQ(Slurp(paths.instance_tags), std::string(store::kInstagFileComment) +
                                            "alice@irc\tprpl-irc\t12345678\n"
                                            "alice@irc\tIRC\t00000100\n");
  auto loaded = LoadInstags(paths.instance_tags);
  ASSERT_TRUE(loaded.ok()) << loaded.error();
  EXPECT_EQ(*loaded, tags);
  ASSERT_NE(FindInstag(*loaded, "alice@irc", "IRC"), nullptr);
  EXPECT_EQ(FindInstag(*loaded, "alice@irc", "IRC")->instag, 0x100u);
  EXPECT_EQ(FindInstag(*loaded, "alice@irc", "prpl-jabber"), nullptr);
  EXPECT_EQ(FindInstag(*loaded, "bob", "IRC"), nullptr);
  EXPECT_FALSE(SaveInstags(paths.instance_tags, tags, /*replace=*/false).ok());  // exists
  // A tag below 0x100 is never written.
  EXPECT_FALSE(SaveInstags(dir + "/low", {{"a", "b", 0xff}}, /*replace=*/true).ok());

  // Same tag: the same; another tag: a conflict unless replacing.
  std::vector<store::InstagEntry> from = {
      {"alice@irc", "prpl-irc", 0x12345678}, {"alice@irc", "IRC", 0x200}, {"bob", "IRC", 0x300}};
  std::vector<store::InstagEntry> into = tags;
  MergeCounts kept = MergeInstags(into, from, /*replace=*/false);
  EXPECT_EQ(kept.same, 1);
  EXPECT_EQ(kept.conflicts, 1);
  EXPECT_EQ(kept.added, 1);
  EXPECT_EQ(FindInstag(into, "alice@irc", "IRC")->instag, 0x100u);
  into = tags;
  MergeCounts replaced = MergeInstags(into, from, /*replace=*/true);
  EXPECT_EQ(replaced.replaced, 1);
  EXPECT_EQ(replaced.added, 1);
  EXPECT_EQ(FindInstag(into, "alice@irc", "IRC")->instag, 0x200u);
  EXPECT_EQ(into.size(), 3u);

  Spit(dir + "/bad", "alice\tIRC\tnot hex!\n");
  auto bad = LoadInstags(dir + "/bad");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().find("not a libotr instance tag file"), std::string::npos);
}

TEST(ChooseKeyTest, NamedOrOnly) {
  store::PrivateKeyFile keys;
  EXPECT_FALSE(ChooseKey(keys, "", "prpl-irc").ok());
  keys.accounts.push_back({"me@irc.example", "IRC", {}});  // as irssi-otr names it
  auto none = ChooseKey(keys, "", "prpl-irc");
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.error().find("me@irc.example (IRC)"), std::string::npos) << none.error();
  auto only = ChooseKey(keys, "", "IRC");
  ASSERT_TRUE(only.ok());
  EXPECT_EQ((*only)->account_name, "me@irc.example");
  keys.accounts.push_back({"other@irc.example", "IRC", {}});
  EXPECT_FALSE(ChooseKey(keys, "", "IRC").ok());  // two: must be named
  auto named = ChooseKey(keys, "other@irc.example", "IRC");
  ASSERT_TRUE(named.ok());
  EXPECT_EQ((*named)->account_name, "other@irc.example");
  EXPECT_FALSE(ChooseKey(keys, "other@irc.example", "prpl-irc").ok());
}

TEST(UserFingerprintTest, HumanOrHex) {
  const std::string hex = "97ec7e68aad28882fe00bd82e9c4e48ccebb65bd";
  auto a = ParseUserFingerprint("97EC7E68 AAD28882 FE00BD82 E9C4E48C CEBB65BD");
  auto b = ParseUserFingerprint(hex);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(*a, *b);
  EXPECT_EQ(store::FingerprintToHex(*a), hex);
  EXPECT_FALSE(ParseUserFingerprint(""));
  EXPECT_FALSE(ParseUserFingerprint(hex.substr(2)));
  EXPECT_FALSE(ParseUserFingerprint(hex + "00"));
  EXPECT_FALSE(ParseUserFingerprint("97EC7E6 8AAD28882 FE00BD82 E9C4E48C CEBB65BD"));
  EXPECT_FALSE(ParseUserFingerprint("97EC7E68 AAD28882 FE00BD82 E9C4E48C CEBB65BD "));
  EXPECT_FALSE(ParseUserFingerprint("97EC7E68  AAD28882 FE00BD82 E9C4E48C CEBB65BD"));
  EXPECT_FALSE(ParseUserFingerprint("97EC7E68 AAD28882 FE00BD82 E9C4E48C CEBB65BG"));
}

TEST(KeyOptionsTest, Parsing) {
  auto keygen =
      ParseKeyOptions(KeyCommand::kKeygen, {"--account=a@b", "--force"}, nullptr, "/home/u");
  ASSERT_TRUE(keygen.ok()) << keygen.error();
  EXPECT_EQ(keygen->dir, "/home/u/.config/otr");
  EXPECT_EQ(keygen->account, "a@b");
  EXPECT_EQ(keygen->protocol, "prpl-irc");
  EXPECT_FALSE(keygen->protocol_given);
  EXPECT_TRUE(keygen->force);

  EXPECT_FALSE(ParseKeyOptions(KeyCommand::kKeygen, {}, nullptr, "/h").ok());  // no account
  EXPECT_FALSE(ParseKeyOptions(KeyCommand::kKeygen, {"--account"}, nullptr, "/h").ok());
  EXPECT_FALSE(
      ParseKeyOptions(KeyCommand::kKeygen, {"--account", "a", "extra"}, nullptr, "/h").ok());
  EXPECT_FALSE(
      ParseKeyOptions(KeyCommand::kKeygen, {"--account", "a", "--bogus"}, nullptr, "/h").ok());
  EXPECT_FALSE(
      ParseKeyOptions(KeyCommand::kKeygen, {"--account", "a", "--force=yes"}, nullptr, "/h").ok());
  EXPECT_FALSE(ParseKeyOptions(KeyCommand::kFingerprint, {}, nullptr, nullptr).ok());  // no dir
  EXPECT_TRUE(ParseKeyOptions(KeyCommand::kFingerprint, {"--dir", "/d"}, nullptr, nullptr).ok());

  // The fingerprint's five groups may come as five words.
  auto trust = ParseKeyOptions(
      KeyCommand::kTrust,
      {"--peer", "bob", "97EC7E68", "AAD28882", "FE00BD82", "E9C4E48C", "CEBB65BD", "--dir=/d"},
      nullptr, nullptr);
  ASSERT_TRUE(trust.ok()) << trust.error();
  EXPECT_EQ(trust->fingerprint, "97EC7E68 AAD28882 FE00BD82 E9C4E48C CEBB65BD");
  EXPECT_EQ(trust->trust_word, "verified");
  EXPECT_EQ(trust->dir, "/d");
  EXPECT_FALSE(ParseKeyOptions(KeyCommand::kTrust, {"--peer", "bob"}, nullptr, "/h").ok());
  EXPECT_FALSE(ParseKeyOptions(KeyCommand::kUntrust, {"abcd"}, nullptr, "/h").ok());
  EXPECT_FALSE(
      ParseKeyOptions(KeyCommand::kUntrust, {"--peer", "b", "--trust", "x", "ab"}, nullptr, "/h")
          .ok());  // untrust takes no --trust

  auto pidgin = ParseKeyOptions(KeyCommand::kImport, {"--pidgin"}, nullptr, "/home/u");
  ASSERT_TRUE(pidgin.ok()) << pidgin.error();
  EXPECT_EQ(pidgin->keys_from, "/home/u/.purple/otr.private_key");
  EXPECT_EQ(pidgin->fingerprints_from, "/home/u/.purple/otr.fingerprints");
  EXPECT_EQ(pidgin->instance_tags_from, "/home/u/.purple/otr.instance_tags");
  auto irssi = ParseKeyOptions(KeyCommand::kImport, {"--irssi"}, nullptr, "/home/u");
  ASSERT_TRUE(irssi.ok());
  EXPECT_EQ(irssi->keys_from, "/home/u/.irssi/otr/otr.key");
  EXPECT_EQ(irssi->fingerprints_from, "/home/u/.irssi/otr/otr.fp");
  EXPECT_EQ(irssi->instance_tags_from, "/home/u/.irssi/otr/otr.instag");
  auto tags_only = ParseKeyOptions(KeyCommand::kImport, {"--instance-tags", "t"}, nullptr, "/h");
  ASSERT_TRUE(tags_only.ok()) << tags_only.error();
  EXPECT_EQ(tags_only->instance_tags_from, "t");
  EXPECT_TRUE(tags_only->keys_from.empty());
  EXPECT_FALSE(
      ParseKeyOptions(KeyCommand::kImport, {"--irssi", "--instance-tags", "t"}, nullptr, "/h")
          .ok());
  EXPECT_FALSE(ParseKeyOptions(KeyCommand::kImport, {}, nullptr, "/h").ok());
  EXPECT_FALSE(ParseKeyOptions(KeyCommand::kImport, {"--pidgin", "--irssi"}, nullptr, "/h").ok());
  EXPECT_FALSE(
      ParseKeyOptions(KeyCommand::kImport, {"--pidgin", "--keys", "k"}, nullptr, "/h").ok());
  EXPECT_FALSE(ParseKeyOptions(KeyCommand::kImport, {"--pidgin", "--dir", "/d"}, nullptr, nullptr)
                   .ok());  // no HOME
}

class KeyCommandsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = MakeTestDir();
    ASSERT_FALSE(dir_.empty());
    paths_ = StorePaths::In(dir_ + "/store");
  }

  int Run(int (*command)(const std::vector<std::string>&, std::FILE*, std::FILE*),
          std::vector<std::string> args, const std::string& dir = "") {
    args.push_back("--dir");
    args.push_back(dir.empty() ? paths_.dir : dir);
    return command(args, Null(), Null());
  }

  store::PrivateKeyFile Keys(const std::string& path = "") {
    return LoadKeys(path.empty() ? paths_.private_key : path).value();
  }
  std::vector<store::FingerprintEntry> Fingerprints(const std::string& path = "") {
    return LoadFingerprints(path.empty() ? paths_.fingerprints : path).value();
  }

  std::string dir_;
  StorePaths paths_;
};

TEST_F(KeyCommandsTest, KeygenWritesLibotrFileAndNeverReplacesWithoutForce) {
  ASSERT_EQ(Run(RunKeygen, {"--account", "alice@irc.example"}), 0);
  EXPECT_EQ(ModeOf(paths_.private_key), 0600);
  auto keys = Keys();
  ASSERT_EQ(keys.accounts.size(), 1u);
  EXPECT_EQ(keys.accounts[0].account_name, "alice@irc.example");
  EXPECT_EQ(keys.accounts[0].protocol, "prpl-irc");
  EXPECT_EQ(keys.accounts[0].key.pub.p.size(), 128u);  // DSA-1024 as libotr makes
  const std::string first = Hex(keys.accounts[0]);
  const std::string text = Slurp(paths_.private_key);

  EXPECT_EQ(Run(RunKeygen, {"--account", "alice@irc.example"}), 1);
  EXPECT_EQ(Slurp(paths_.private_key), text);

  // Another account (gcrypt this time) joins the file; the first is kept.
  ASSERT_EQ(Run(RunKeygen, {"--account", "alice@irc.example", "--protocol", "prpl-jabber",
                            "--backend", "gcrypt"}),
            0);
  keys = Keys();
  ASSERT_EQ(keys.accounts.size(), 2u);
  EXPECT_EQ(Hex(keys.accounts[0]), first);

  ASSERT_EQ(Run(RunKeygen, {"--account", "alice@irc.example", "--force"}), 0);
  keys = Keys();
  ASSERT_EQ(keys.accounts.size(), 2u);
  EXPECT_NE(Hex(*FindKey(keys, "alice@irc.example", "prpl-irc")), first);
  EXPECT_EQ(Run(RunKeygen, {"--account", "x", "--backend", "nope"}), 1);
  EXPECT_EQ(Run(RunKeygen, {"--bogus"}), 2);
}

TEST_F(KeyCommandsTest, KeygenRefusesToOverwriteAnUnreadableFile) {
  ASSERT_TRUE(WritePrivateFile(paths_.private_key, View("not a key file"), false).ok());
  EXPECT_EQ(Run(RunKeygen, {"--account", "a"}), 1);
  EXPECT_EQ(Run(RunKeygen, {"--account", "a", "--force"}), 1);
  EXPECT_EQ(Slurp(paths_.private_key), "not a key file");
}

TEST_F(KeyCommandsTest, TrustAndUntrust) {
  ASSERT_EQ(Run(RunKeygen, {"--account", "alice"}), 0);
  const std::string fp_hex = "97ec7e68aad28882fe00bd82e9c4e48ccebb65bd";
  const store::Fingerprint fp = store::FingerprintFromHex(fp_hex).value();
  // Untrusting an unknown fingerprint fails and writes nothing.
  EXPECT_EQ(Run(RunUntrust, {"--peer", "bob", fp_hex}), 1);
  EXPECT_EQ(ModeOf(paths_.fingerprints), -1);

  // The only key's account is used when --account is not given.
  ASSERT_EQ(
      Run(RunTrust, {"--peer", "bob", "97EC7E68", "AAD28882", "FE00BD82", "E9C4E48C", "CEBB65BD"}),
      0);
  EXPECT_EQ(ModeOf(paths_.fingerprints), 0600);
  EXPECT_EQ(Slurp(paths_.fingerprints), "bob\talice\tprpl-irc\t" + fp_hex + "\tverified\n");

  ASSERT_EQ(Run(RunTrust, {"--peer", "carol", "--account", "other", "--trust", "smp", fp_hex}), 0);
  auto entries = Fingerprints();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[1].trust, "smp");
  EXPECT_EQ(entries[1].accountname, "other");

  ASSERT_EQ(Run(RunUntrust, {"--peer", "bob", fp_hex}), 0);
  entries = Fingerprints();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].fingerprint, fp);
  EXPECT_EQ(entries[0].trust, "");  // kept, as libotr keeps every key it saw

  EXPECT_EQ(Run(RunTrust, {"--peer", "bob", "12345"}), 1);
  EXPECT_EQ(Run(RunTrust, {"--peer", "bob"}), 2);

  // With two accounts, the account must be named.
  ASSERT_EQ(Run(RunKeygen, {"--account", "alice2"}), 0);
  EXPECT_EQ(Run(RunTrust, {"--peer", "dave", fp_hex}), 1);
  EXPECT_EQ(Run(RunTrust, {"--peer", "dave", "--account", "alice2", fp_hex}), 0);
}

TEST_F(KeyCommandsTest, FingerprintListsOursAndTheirs) {
  ASSERT_EQ(Run(RunKeygen, {"--account", "alice"}), 0);
  const std::string fp_hex = "97ec7e68aad28882fe00bd82e9c4e48ccebb65bd";
  ASSERT_EQ(Run(RunTrust, {"--peer", "bob", fp_hex}), 0);
  std::FILE* out = std::tmpfile();
  ASSERT_EQ(RunFingerprint({"--dir", paths_.dir}, out, Null()), 0);
  std::rewind(out);
  char buffer[1024] = {};
  const size_t n = std::fread(buffer, 1, sizeof buffer - 1, out);
  std::fclose(out);
  const std::string text(buffer, n);
  const std::string ours = store::FingerprintToHuman(
      store::ComputeFingerprint(crypto::DefaultBackend(), Keys().accounts[0].key.pub));
  auto v4_keys = LoadV4Keys(paths_.dir);
  ASSERT_TRUE(v4_keys.ok());
  ASSERT_EQ(v4_keys->size(), 1u);
  const std::string ours_v4 = store::PeerFingerprintToHuman(
      V4FingerprintOf(crypto::DefaultBackend(), (*v4_keys)[0]).value());
  EXPECT_EQ(text, "ours\talice\tprpl-irc\t" + ours +
                      "\npeer\tbob\talice\tprpl-irc\t97EC7E68 AAD28882 FE00BD82 E9C4E48C "
                      "CEBB65BD\tverified\nours-v4\talice\tprpl-irc\t" +
                      ours_v4 + "\n");
}

// v4 keys and trust (issue 17): keygen makes the v4 key (mode 0600) unless
// --no-v4; trust and untrust take a v4 fingerprint (112 hex digits or the
// fourteen groups) into otr.v4_fingerprints; the files round-trip.
TEST_F(KeyCommandsTest, VersionFourKeysAndTrust) {
  ASSERT_EQ(Run(RunKeygen, {"--account", "bob", "--no-v4"}), 0);
  EXPECT_TRUE(LoadV4Keys(paths_.dir)->empty());
  ASSERT_EQ(Run(RunKeygen, {"--account", "alice"}), 0);
  EXPECT_EQ(ModeOf(paths_.dir + "/otr.v4_keys"), 0600);
  auto keys = LoadV4Keys(paths_.dir);
  ASSERT_TRUE(keys.ok());
  ASSERT_EQ(keys->size(), 1u);
  EXPECT_EQ((*keys)[0].account, "alice");
  EXPECT_EQ((*keys)[0].sym_h.size(), 57u);
  // The identity a session uses: a Client Profile for our tag, kept when
  // still good, renewed when the tag changes.
  crypto::OsRandom random;
  bool renewed = false;
  auto id = V4IdentityOf(crypto::DefaultBackend(), (*keys)[0], 0x1234, nullptr, 1'700'000'000,
                         random, &renewed);
  ASSERT_TRUE(id.ok());
  EXPECT_TRUE(renewed);
  EXPECT_EQ(id->client_profile.owner_instance_tag, 0x1234u);
  EXPECT_EQ(id->client_profile.versions, "4");
  ASSERT_TRUE(V4IdentityOf(crypto::DefaultBackend(), (*keys)[0], 0x1234, nullptr,
                           1'700'000'000 + 3600, random, &renewed)
                  .ok());
  EXPECT_FALSE(renewed);
  ASSERT_TRUE(V4IdentityOf(crypto::DefaultBackend(), (*keys)[0], 0x5678, nullptr,
                           1'700'000'000 + 3600, random, &renewed)
                  .ok());
  EXPECT_TRUE(renewed);
  // The key file round-trips, profile included.
  auto again = ParseV4Keys(std::string(reinterpret_cast<const char*>(WriteV4Keys(*keys).data()),
                                       WriteV4Keys(*keys).size()));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)[0].forging, (*keys)[0].forging);

  const std::string fp112(112, 'a');
  EXPECT_EQ(Run(RunUntrust, {"--peer", "carol", "--account", "alice", fp112}), 1);  // unknown
  ASSERT_EQ(Run(RunTrust, {"--peer", "carol", "--account", "alice", fp112}), 0);
  auto trusted = LoadV4Fingerprints(paths_.dir);
  ASSERT_TRUE(trusted.ok());
  ASSERT_EQ(trusted->size(), 1u);
  EXPECT_EQ((*trusted)[0].trust, "verified");
  EXPECT_EQ((*trusted)[0].fingerprint.kind, store::FingerprintKind::kV4Ed448);
  EXPECT_EQ(ModeOf(paths_.dir + "/otr.v4_fingerprints"), 0600);
  // The human form (fourteen groups) names the same fingerprint.
  const std::string human = store::PeerFingerprintToHuman((*trusted)[0].fingerprint);
  ASSERT_EQ(Run(RunUntrust, {"--peer", "carol", "--account", "alice", human}), 0);
  EXPECT_EQ(LoadV4Fingerprints(paths_.dir)->at(0).trust, "");
  EXPECT_FALSE(ParseUserV4Fingerprint(std::string(111, 'a')).has_value());
  EXPECT_FALSE(ParseV4Fingerprints("carol\talice\tprpl-irc\tzz\t\n").ok());
  EXPECT_FALSE(ParseV4Keys("alice\tprpl-irc\t00\t00\n").ok());
}

TEST_F(KeyCommandsTest, ImportMergesAndReplacesOnlyWithForce) {
  // A "Pidgin" directory with one key and one trusted fingerprint.
  const std::string purple = dir_ + "/purple";
  ASSERT_EQ(Run(RunKeygen, {"--account", "alice@irc"}, purple), 0);
  ASSERT_EQ(Run(RunTrust, {"--peer", "bob", "97ec7e68aad28882fe00bd82e9c4e48ccebb65bd"}, purple),
            0);
  const StorePaths from = StorePaths::In(purple);
  const std::vector<std::string> sources = {"--keys", from.private_key, "--fingerprints",
                                            from.fingerprints};

  ASSERT_EQ(Run(RunImport, sources), 0);
  EXPECT_EQ(Slurp(paths_.private_key), Slurp(from.private_key));
  EXPECT_EQ(Slurp(paths_.fingerprints), Slurp(from.fingerprints));
  EXPECT_EQ(ModeOf(paths_.private_key), 0600);
  EXPECT_EQ(ModeOf(paths_.fingerprints), 0600);
  ASSERT_EQ(Run(RunImport, sources), 0);  // again: nothing new
  EXPECT_EQ(Keys().accounts.size(), 1u);
  EXPECT_EQ(Fingerprints().size(), 1u);

  // Our own key for another account survives an import.
  ASSERT_EQ(Run(RunKeygen, {"--account", "mine"}), 0);
  ASSERT_EQ(Run(RunImport, sources), 0);
  EXPECT_EQ(Keys().accounts.size(), 2u);

  // The source's key changes: a conflict, refused without --force (nothing
  // written, not even the fingerprints), taken with it.
  ASSERT_EQ(Run(RunKeygen, {"--account", "alice@irc", "--force"}, purple), 0);
  ASSERT_EQ(Run(RunUntrust, {"--peer", "bob", "97ec7e68aad28882fe00bd82e9c4e48ccebb65bd"}, purple),
            0);
  const std::string keys_before = Slurp(paths_.private_key);
  const std::string fps_before = Slurp(paths_.fingerprints);
  EXPECT_EQ(Run(RunImport, sources), 1);
  EXPECT_EQ(Slurp(paths_.private_key), keys_before);
  EXPECT_EQ(Slurp(paths_.fingerprints), fps_before);
  std::vector<std::string> forced = sources;
  forced.push_back("--force");
  ASSERT_EQ(Run(RunImport, forced), 0);
  EXPECT_EQ(Hex(*FindKey(Keys(), "alice@irc", "prpl-irc")),
            Hex(*FindKey(Keys(from.private_key), "alice@irc", "prpl-irc")));
  EXPECT_NE(FindKey(Keys(), "mine", "prpl-irc"), nullptr);
  EXPECT_EQ(Fingerprints()[0].trust, "");

  // Missing or broken sources.
  EXPECT_EQ(Run(RunImport, {"--keys", dir_ + "/none"}), 1);
  Spit(dir_ + "/broken", "bob\tx\n");
  EXPECT_EQ(Run(RunImport, {"--fingerprints", dir_ + "/broken"}), 1);
}

TEST_F(KeyCommandsTest, ImportTakesInstanceTags) {
  // A "Pidgin" directory with a key and libotr's instance-tag file.
  const std::string purple = dir_ + "/purple";
  ASSERT_EQ(Run(RunKeygen, {"--account", "alice@irc"}, purple), 0);
  const StorePaths from = StorePaths::In(purple);
  ASSERT_TRUE(SaveInstags(from.instance_tags, {{"alice@irc", "prpl-irc", 0xabcdef01}}, false).ok());

  // With the keys, or alone.
  ASSERT_EQ(Run(RunImport, {"--keys", from.private_key, "--instance-tags", from.instance_tags}), 0);
  EXPECT_EQ(Slurp(paths_.instance_tags), Slurp(from.instance_tags));
  EXPECT_EQ(ModeOf(paths_.instance_tags), 0600);
  ASSERT_EQ(Run(RunImport, {"--instance-tags", from.instance_tags}), 0);  // nothing new
  EXPECT_EQ(Slurp(paths_.instance_tags), Slurp(from.instance_tags));

  // Another tag for the account: refused without --force (nothing written,
  // not even a new key), taken with it.
  ASSERT_TRUE(SaveInstags(from.instance_tags, {{"alice@irc", "prpl-irc", 0x1234}}, true).ok());
  ASSERT_EQ(Run(RunKeygen, {"--account", "other"}, purple), 0);
  const std::string keys_before = Slurp(paths_.private_key);
  const std::string tags_before = Slurp(paths_.instance_tags);
  EXPECT_EQ(Run(RunImport, {"--keys", from.private_key, "--instance-tags", from.instance_tags}), 1);
  EXPECT_EQ(Slurp(paths_.private_key), keys_before);
  EXPECT_EQ(Slurp(paths_.instance_tags), tags_before);
  ASSERT_EQ(Run(RunImport,
                {"--keys", from.private_key, "--instance-tags", from.instance_tags, "--force"}),
            0);
  auto tags = LoadInstags(paths_.instance_tags);
  ASSERT_TRUE(tags.ok());
  ASSERT_EQ(tags->size(), 1u);
  EXPECT_EQ((*tags)[0].instag, 0x1234u);
  EXPECT_EQ(Keys().accounts.size(), 2u);

  // A source without an instance-tag file (the account never spoke OTR
  // v3) imports the rest; naming only a missing one fails; a broken one
  // stops the whole import.
  const std::string none = dir_ + "/none";
  EXPECT_EQ(Run(RunImport, {"--keys", from.private_key, "--instance-tags", none}), 0);
  EXPECT_EQ(Run(RunImport, {"--instance-tags", none}), 1);
  Spit(dir_ + "/broken", "alice@irc\tprpl-irc\t00000100\nalice@irc\tprpl-irc\t00000200\n");
  EXPECT_EQ(Run(RunImport, {"--keys", from.private_key, "--instance-tags", dir_ + "/broken"}), 1);
}

// What a key command prints on `out` and `err`, and its status.
struct Printed {
  int status;
  std::string out, err;
};
Printed Capture(int (*command)(const std::vector<std::string>&, std::FILE*, std::FILE*),
                const std::vector<std::string>& args) {
  std::FILE* out = std::tmpfile();
  std::FILE* err = std::tmpfile();
  Printed p{command(args, out, err), "", ""};
  for (auto [file, text] : {std::pair{out, &p.out}, std::pair{err, &p.err}}) {
    std::rewind(file);
    char buffer[4096];
    size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, file)) > 0) text->append(buffer, n);
    std::fclose(file);
  }
  return p;
}

TEST_F(KeyCommandsTest, FingerprintOfAnUnknownPeerSaysSo) {
  ASSERT_EQ(Run(RunKeygen, {"--account", "alice"}), 0);
  ASSERT_EQ(Run(RunTrust, {"--peer", "bob", "97ec7e68aad28882fe00bd82e9c4e48ccebb65bd"}), 0);
  const Printed p = Capture(RunFingerprint, {"--peer", "carol", "--dir", paths_.dir});
  EXPECT_EQ(p.status, 1);
  EXPECT_EQ(p.out, "");
  EXPECT_NE(p.err.find("peer carol is unknown"), std::string::npos) << p.err;
  EXPECT_EQ(Capture(RunFingerprint, {"--peer", "bob", "--dir", paths_.dir}).status, 0);
}

TEST_F(KeyCommandsTest, NamesFromTheFilesAreEscaped) {
  // A fingerprints file from elsewhere (an import) names a peer with an
  // escape sequence: `otr fingerprint` must not pass it to the terminal.
  std::vector<store::FingerprintEntry> entries;
  const auto fp = store::FingerprintFromHex("97ec7e68aad28882fe00bd82e9c4e48ccebb65bd").value();
  ASSERT_TRUE(SetFingerprintTrust(entries, "ev\x1b]0;owned\x07il", "alice", "prpl-irc", fp,
                                  "verified\x1b[2J"));
  ASSERT_TRUE(SaveFingerprints(paths_.fingerprints, entries, /*replace=*/false).ok());
  const Printed p = Capture(RunFingerprint, {"--dir", paths_.dir});
  EXPECT_EQ(p.status, 0);
  EXPECT_EQ(p.out.find('\x1b'), std::string::npos) << p.out;
  EXPECT_EQ(p.out.find('\x07'), std::string::npos) << p.out;
  EXPECT_NE(p.out.find("ev\\x1b]0;owned\\x07il"), std::string::npos) << p.out;
}

TEST_F(KeyCommandsTest, HelpPrintsTheUsageOnStdout) {
  const std::vector<
      std::pair<int (*)(const std::vector<std::string>&, std::FILE*, std::FILE*), std::string>>
      commands = {{RunKeygen, "keygen"},
                  {RunFingerprint, "fingerprint"},
                  {RunTrust, "trust"},
                  {RunUntrust, "untrust"},
                  {RunImport, "import"}};
  for (const auto& [command, name] : commands) {
    const Printed p = Capture(command, {"--help"});
    EXPECT_EQ(p.status, 0) << name;
    EXPECT_EQ(p.out.rfind("usage: otr " + name, 0), 0u) << name << ": " << p.out;
    EXPECT_EQ(p.err, "") << name;
    EXPECT_EQ(Capture(command, {"--bogus"}).status, kExitUsageError) << name;
  }
}

}  // namespace
}  // namespace otr::tools
