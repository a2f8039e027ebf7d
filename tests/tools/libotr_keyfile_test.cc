// What `otr keygen`, `otr trust` and `otr import` write, libotr 4.1.1 reads:
// the same keys (same fingerprints), the same trust, the same instance tags.
#include <gtest/gtest.h>

#include <string>
#include <vector>

// libotr's headers depend on each other's order.
// clang-format off
extern "C" {
#include <gcrypt.h>
#include <libotr/proto.h>
#include <libotr/context.h>
#include <libotr/userstate.h>
#include <libotr/privkey.h>
#include <libotr/instag.h>
}
// clang-format on

#include "crypto/backends.h"
#include "protocol/store/fingerprint.h"
#include "tests/tools/test_dir.h"
#include "tools/key_commands.h"
#include "tools/keystore.h"

namespace otr::tools {
namespace {

using testing::MakeTestDir;
using testing::Null;

TEST(LibotrKeyfileTest, LibotrReadsWhatKeygenAndTrustWrite) {
  OTRL_INIT;
  const std::string dir = MakeTestDir() + "/store";
  ASSERT_EQ(RunKeygen({"--dir", dir, "--account", "alice@irc.example"}, Null(), Null()), 0);
  ASSERT_EQ(RunKeygen({"--dir", dir, "--account", "alice@jabber.example", "--protocol",
                       "prpl-jabber", "--backend", "gcrypt"},
                      Null(), Null()),
            0);
  const std::string peer_hex = "0123456789abcdef0123456789abcdef01234567";
  ASSERT_EQ(RunTrust({"--dir", dir, "--peer", "bob", "--account", "alice@irc.example", peer_hex},
                     Null(), Null()),
            0);
  ASSERT_EQ(RunTrust({"--dir", dir, "--peer", "carol", "--account", "alice@jabber.example",
                      "--protocol", "prpl-jabber", peer_hex},
                     Null(), Null()),
            0);
  ASSERT_EQ(RunUntrust({"--dir", dir, "--peer", "carol", "--account", "alice@jabber.example",
                        "--protocol", "prpl-jabber", peer_hex},
                       Null(), Null()),
            0);

  const StorePaths paths = StorePaths::In(dir);
  const store::PrivateKeyFile ours = LoadKeys(paths.private_key).value();
  ASSERT_EQ(ours.accounts.size(), 2u);

  OtrlUserState us = otrl_userstate_create();
  ASSERT_EQ(otrl_privkey_read(us, paths.private_key.c_str()), 0u);
  for (const auto& entry : ours.accounts) {
    char human[OTRL_PRIVKEY_FPRINT_HUMAN_LEN];
    ASSERT_NE(
        otrl_privkey_fingerprint(us, human, entry.account_name.c_str(), entry.protocol.c_str()),
        nullptr)
        << entry.account_name;
    EXPECT_EQ(std::string(human), store::FingerprintToHuman(store::ComputeFingerprint(
                                      crypto::DefaultBackend(), entry.key.pub)));
  }

  ASSERT_EQ(otrl_privkey_read_fingerprints(us, paths.fingerprints.c_str(), nullptr, nullptr), 0u);
  struct Seen {
    std::string user, account, protocol, hex, trust;
  };
  std::vector<Seen> seen;
  for (ConnContext* c = us->context_root; c != nullptr; c = c->next) {
    for (::Fingerprint* f = c->fingerprint_root.next; f != nullptr; f = f->next) {
      store::Fingerprint fp;
      std::copy_n(f->fingerprint, fp.size(), fp.begin());
      seen.push_back({c->username, c->accountname, c->protocol, store::FingerprintToHex(fp),
                      f->trust ? f->trust : ""});
    }
  }
  ASSERT_EQ(seen.size(), 2u);
  for (const Seen& s : seen) {
    EXPECT_EQ(s.hex, peer_hex);
    if (s.user == "bob") {
      EXPECT_EQ(s.account, "alice@irc.example");
      EXPECT_EQ(s.protocol, "prpl-irc");
      EXPECT_EQ(s.trust, "verified");
    } else {
      EXPECT_EQ(s.user, "carol");
      EXPECT_EQ(s.protocol, "prpl-jabber");
      EXPECT_EQ(s.trust, "");
    }
  }
  otrl_userstate_free(us);
}

// A key file libotr writes is what `otr import` takes in unchanged.
TEST(LibotrKeyfileTest, ImportTakesLibotrsFile) {
  OTRL_INIT;
  const std::string dir = MakeTestDir();
  const std::string libotr_keys = dir + "/libotr.private_key";
  OtrlUserState us = otrl_userstate_create();
  ASSERT_EQ(otrl_privkey_generate(us, libotr_keys.c_str(), "me@irc.example", "prpl-irc"), 0u);
  char human[OTRL_PRIVKEY_FPRINT_HUMAN_LEN];
  ASSERT_NE(otrl_privkey_fingerprint(us, human, "me@irc.example", "prpl-irc"), nullptr);
  otrl_userstate_free(us);

  ASSERT_EQ(RunImport({"--dir", dir + "/store", "--keys", libotr_keys}, Null(), Null()), 0);
  const StorePaths paths = StorePaths::In(dir + "/store");
  EXPECT_EQ(testing::Slurp(paths.private_key), testing::Slurp(libotr_keys));
  const auto keys = LoadKeys(paths.private_key).value();
  ASSERT_EQ(keys.accounts.size(), 1u);
  EXPECT_EQ(store::FingerprintToHuman(
                store::ComputeFingerprint(crypto::DefaultBackend(), keys.accounts[0].key.pub)),
            std::string(human));
}

// `otr import --instance-tags` takes libotr's file as it is, and libotr
// reads the store's file back to the same tags.
TEST(LibotrKeyfileTest, InstanceTagsImportedFromLibotrAndReadBack) {
  OTRL_INIT;
  const std::string dir = MakeTestDir();
  const std::string libotr_tags = dir + "/otr.instance_tags";
  OtrlUserState us = otrl_userstate_create();
  ASSERT_EQ(otrl_instag_generate(us, libotr_tags.c_str(), "me@irc.example", "prpl-irc"), 0u);
  ASSERT_EQ(otrl_instag_generate(us, libotr_tags.c_str(), "me", "IRC"), 0u);
  ASSERT_EQ(RunImport({"--dir", dir + "/store", "--instance-tags", libotr_tags}, Null(), Null()),
            0);
  const StorePaths paths = StorePaths::In(dir + "/store");
  EXPECT_EQ(testing::Slurp(paths.instance_tags), testing::Slurp(libotr_tags));

  OtrlUserState back = otrl_userstate_create();
  ASSERT_EQ(otrl_instag_read(back, paths.instance_tags.c_str()), 0u);
  for (const char* account : {"me@irc.example", "me"}) {
    const char* protocol = std::string(account) == "me" ? "IRC" : "prpl-irc";
    OtrlInsTag* theirs = otrl_instag_find(us, account, protocol);
    OtrlInsTag* read = otrl_instag_find(back, account, protocol);
    ASSERT_NE(theirs, nullptr);
    ASSERT_NE(read, nullptr);
    EXPECT_EQ(read->instag, theirs->instag) << account;
  }
  otrl_userstate_free(us);
  otrl_userstate_free(back);
}

}  // namespace
}  // namespace otr::tools
