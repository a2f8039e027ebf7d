// The private-key, fingerprint and instance-tag files: libotr 4.1.1 writes,
// we read and rewrite byte for byte; we write, libotr reads the same keys and
// entries.
#include <gtest/gtest.h>
#include <openssl/sha.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <tuple>
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
#include "protocol/store/fingerprint_file.h"
#include "protocol/store/instag_file.h"
#include "protocol/store/privkey_file.h"

namespace otr::store {
namespace {

std::string TempPath(const char* name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return std::string(dir ? dir : "/tmp") + "/" + name + std::to_string(getpid());
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void WriteFile(const std::string& path, std::string_view text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
}

// Our fingerprint: SHA-1 (here straight from OpenSSL) of p, q, g, y as MPIs.
std::string Human(const crypto::DsaPublicKey& key) {
  Bytes input = FingerprintInput(key);
  Fingerprint fp;
  SHA1(input.data(), input.size(), fp.data());
  return FingerprintToHuman(fp);
}

std::string LibotrHuman(OtrlUserState us, const std::string& account, const std::string& proto) {
  char human[OTRL_PRIVKEY_FPRINT_HUMAN_LEN];
  if (otrl_privkey_fingerprint(us, human, account.c_str(), proto.c_str()) == nullptr) return "";
  return human;
}

// Account names chosen to make libgcrypt pick each atom form: quoted
// ("@"), token, quoted with escapes and raw UTF-8, and hex (a control byte).
const std::pair<std::string, std::string> kAccounts[] = {
    {"alice@example.com", "prpl-jabber"},
    {"bob", "irc"},
    {"c\xc3\xa9line \"the\"\ttab\\", "prpl-x"},
    {"\x01hex", "9digit"},
};

class LibotrStoreTest : public ::testing::Test {
 protected:
  // The one slow step of this binary: libotr makes a DSA key per account.
  static void SetUpTestSuite() {
    OTRL_INIT;
    us_ = otrl_userstate_create();
    path_ = new std::string(TempPath("privkeys"));
    for (const auto& [account, proto] : kAccounts) {
      ASSERT_EQ(otrl_privkey_generate(us_, path_->c_str(), account.c_str(), proto.c_str()), 0u);
    }
    text_ = new std::string(ReadFile(*path_));
  }
  static void TearDownTestSuite() {
    otrl_userstate_free(us_);
    std::remove(path_->c_str());
    delete path_;
    delete text_;
  }

  static OtrlUserState us_;
  static std::string* path_;
  static std::string* text_;
};

OtrlUserState LibotrStoreTest::us_ = nullptr;
std::string* LibotrStoreTest::path_ = nullptr;
std::string* LibotrStoreTest::text_ = nullptr;

TEST_F(LibotrStoreTest, LibotrFileParsesWithLibotrFingerprints) {
  Result<PrivateKeyFile> file = ParsePrivateKeyFile(*text_);
  ASSERT_TRUE(file.ok()) << ErrorCodeName(file.code()) << " " << file.error().context;
  ASSERT_EQ(file->accounts.size(), std::size(kAccounts));
  for (const PrivateKeyEntry& entry : file->accounts) {
    SCOPED_TRACE(entry.account_name);
    EXPECT_EQ(entry.key.pub.q.size(), 20u);
    EXPECT_EQ(entry.key.pub.p.size(), 128u);
    EXPECT_FALSE(entry.key.x.empty());
    EXPECT_EQ(Human(entry.key.pub), LibotrHuman(us_, entry.account_name, entry.protocol));
  }
  // The file names each account once; libotr rewrites older ones first.
  for (const auto& [account, proto] : kAccounts) {
    bool found = false;
    for (const PrivateKeyEntry& e : file->accounts) {
      found |= e.account_name == account && e.protocol == proto;
    }
    EXPECT_TRUE(found) << account;
  }
}

TEST_F(LibotrStoreTest, ComputeFingerprintOnEveryBackendMatchesLibotr) {
  Result<PrivateKeyFile> file = ParsePrivateKeyFile(*text_);
  ASSERT_TRUE(file.ok());
  for (const crypto::Backend* backend : crypto::AllBackends()) {
    for (const PrivateKeyEntry& entry : file->accounts) {
      SCOPED_TRACE(std::string(backend->name()) + " " + entry.account_name);
      EXPECT_EQ(FingerprintToHuman(ComputeFingerprint(*backend, entry.key.pub)),
                LibotrHuman(us_, entry.account_name, entry.protocol));
    }
  }
  EXPECT_EQ(
      FingerprintToHuman(ComputeFingerprint(crypto::DefaultBackend(), file->accounts[0].key.pub)),
      LibotrHuman(us_, file->accounts[0].account_name, file->accounts[0].protocol));
}

TEST_F(LibotrStoreTest, WeRewriteLibotrFileByteForByte) {
  Result<PrivateKeyFile> file = ParsePrivateKeyFile(*text_);
  ASSERT_TRUE(file.ok());
  Result<crypto::SecretBytes> written = WritePrivateKeyFile(*file);
  ASSERT_TRUE(written.ok());
  EXPECT_EQ(std::string(written->view().begin(), written->view().end()), *text_);
}

TEST_F(LibotrStoreTest, LibotrReadsOurFile) {
  PrivateKeyFile file = ParsePrivateKeyFile(*text_).value();
  // A different file: reversed order, one account renamed.
  std::reverse(file.accounts.begin(), file.accounts.end());
  file.accounts[0].account_name = "renamed\n\x7f";
  std::string path = TempPath("ours");
  Result<crypto::SecretBytes> written = WritePrivateKeyFile(file);
  ASSERT_TRUE(written.ok());
  WriteFile(path, std::string(written->view().begin(), written->view().end()));
  OtrlUserState us = otrl_userstate_create();
  ASSERT_EQ(otrl_privkey_read(us, path.c_str()), 0u);
  for (const PrivateKeyEntry& entry : file.accounts) {
    EXPECT_EQ(LibotrHuman(us, entry.account_name, entry.protocol), Human(entry.key.pub))
        << entry.account_name;
  }
  otrl_userstate_free(us);
  std::remove(path.c_str());
}

Fingerprint Pattern(uint8_t seed) {
  Fingerprint fp;
  for (size_t i = 0; i < fp.size(); ++i) fp[i] = static_cast<uint8_t>(seed + 37 * i);
  return fp;
}

TEST(LibotrFingerprintsTest, LibotrFileParsesAndRewritesExactly) {
  OTRL_INIT;
  OtrlUserState us = otrl_userstate_create();
  struct Want {
    const char *user, *account, *proto, *trust;
    uint8_t seed;
  } wants[] = {
      {"bob@x", "alice@example.com", "prpl-jabber", "verified", 1},
      {"bob@x", "alice@example.com", "prpl-jabber", nullptr, 2},
      {"carol", "bob", "irc", "smp", 3},
      {"d\xc3\xa9 \"q\"", "acct", "proto", "custom trust", 4},
  };
  for (const Want& w : wants) {
    ConnContext* c = otrl_context_find(us, w.user, w.account, w.proto, OTRL_INSTAG_MASTER, 1,
                                       nullptr, nullptr, nullptr);
    ASSERT_NE(c, nullptr);
    Fingerprint fp = Pattern(w.seed);
    ::Fingerprint* f = otrl_context_find_fingerprint(c, fp.data(), 1, nullptr);
    otrl_context_set_trust(f, w.trust);
  }
  std::string path = TempPath("fingerprints");
  ASSERT_EQ(otrl_privkey_write_fingerprints(us, path.c_str()), 0u);
  std::string text = ReadFile(path);
  Result<std::vector<FingerprintEntry>> entries = ParseFingerprintFile(text);
  ASSERT_TRUE(entries.ok()) << ErrorCodeName(entries.code());
  ASSERT_EQ(entries->size(), std::size(wants));
  for (const Want& w : wants) {
    FingerprintEntry want{w.user, w.account, w.proto, Pattern(w.seed), w.trust ? w.trust : ""};
    EXPECT_NE(std::find(entries->begin(), entries->end(), want), entries->end()) << w.user;
  }
  Result<std::string> again = WriteFingerprintFile(*entries);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, text);
  otrl_userstate_free(us);
  std::remove(path.c_str());
}

TEST(LibotrFingerprintsTest, LibotrReadsOurFile) {
  OTRL_INIT;
  std::vector<FingerprintEntry> entries = {
      {"bob@x", "alice@example.com", "prpl-jabber", Pattern(9), "verified"},
      {"bob@x", "alice@example.com", "prpl-jabber", Pattern(10), ""},
      {"eve", "mallory", "irc", Pattern(11), "trust\twith tab"},
  };
  Result<std::string> text = WriteFingerprintFile(entries);
  ASSERT_TRUE(text.ok());
  std::string path = TempPath("ourfingerprints");
  WriteFile(path, *text);
  OtrlUserState us = otrl_userstate_create();
  ASSERT_EQ(otrl_privkey_read_fingerprints(us, path.c_str(), nullptr, nullptr), 0u);
  std::vector<FingerprintEntry> read;
  for (ConnContext* c = us->context_root; c != nullptr; c = c->next) {
    for (::Fingerprint* f = c->fingerprint_root.next; f != nullptr; f = f->next) {
      FingerprintEntry e{c->username, c->accountname, c->protocol, {}, f->trust ? f->trust : ""};
      std::copy_n(f->fingerprint, 20, e.fingerprint.begin());
      read.push_back(e);
    }
  }
  ASSERT_EQ(read.size(), entries.size());
  for (const FingerprintEntry& e : entries) {
    EXPECT_NE(std::find(read.begin(), read.end(), e), read.end()) << e.username;
  }
  otrl_userstate_free(us);
  std::remove(path.c_str());
}

// What libotr holds after otrl_instag_read of `text`, in its list's order.
std::vector<InstagEntry> LibotrInstags(const std::string& text) {
  std::string path = TempPath("libotr_instags");
  WriteFile(path, text);
  OtrlUserState us = otrl_userstate_create();
  EXPECT_EQ(otrl_instag_read(us, path.c_str()), 0u);
  std::vector<InstagEntry> read;
  for (OtrlInsTag* p = us->instag_root; p != nullptr; p = p->next) {
    read.push_back({p->accountname, p->protocol, p->instag});
  }
  otrl_userstate_free(us);
  std::remove(path.c_str());
  return read;
}

// As sets: libotr's list is in reverse file order.
void ExpectSameEntries(std::vector<InstagEntry> ours, std::vector<InstagEntry> libotr) {
  auto key = [](const InstagEntry& e) { return std::tie(e.accountname, e.protocol, e.instag); };
  auto less = [&](const InstagEntry& a, const InstagEntry& b) { return key(a) < key(b); };
  std::sort(ours.begin(), ours.end(), less);
  std::sort(libotr.begin(), libotr.end(), less);
  EXPECT_EQ(ours, libotr);
}

const std::pair<std::string, std::string> kInstagAccounts[] = {
    {"alice@example.com", "prpl-jabber"},
    {"bob", "IRC"},
    {"c\xc3\xa9line \"the\" #1", "prpl-x"},
    {"", ""},
};

TEST(LibotrInstagsTest, LibotrFileParsesAndRewritesExactly) {
  OTRL_INIT;
  OtrlUserState us = otrl_userstate_create();
  std::string path = TempPath("instags");
  // otrl_instag_generate draws a tag and rewrites the whole file each time.
  for (const auto& [account, proto] : kInstagAccounts) {
    ASSERT_EQ(otrl_instag_generate(us, path.c_str(), account.c_str(), proto.c_str()), 0u);
  }
  std::string text = ReadFile(path);
  ASSERT_EQ(text.substr(0, kInstagFileComment.size()), kInstagFileComment);
  Result<std::vector<InstagEntry>> entries = ParseInstagFile(text);
  ASSERT_TRUE(entries.ok()) << ErrorCodeName(entries.code()) << " " << entries.error().context;
  ASSERT_EQ(entries->size(), std::size(kInstagAccounts));
  for (const auto& [account, proto] : kInstagAccounts) {
    OtrlInsTag* p = otrl_instag_find(us, account.c_str(), proto.c_str());
    ASSERT_NE(p, nullptr);
    InstagEntry want{account, proto, p->instag};
    EXPECT_NE(std::find(entries->begin(), entries->end(), want), entries->end()) << account;
  }
  Result<std::string> again = WriteInstagFile(*entries);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, text);
  // And otrl_instag_write of fixed tags, including the extremes.
  otrl_instag_forget_all(us);
  ASSERT_EQ(otrl_instag_generate(us, path.c_str(), "x", "y"), 0u);
  us->instag_root->instag = 0xffffffff;
  ASSERT_EQ(otrl_instag_generate(us, path.c_str(), "z", "y"), 0u);
  us->instag_root->instag = OTRL_MIN_VALID_INSTAG;
  ASSERT_EQ(otrl_instag_write(us, path.c_str()), 0u);
  text = ReadFile(path);
  entries = ParseInstagFile(text);
  ASSERT_TRUE(entries.ok());
  std::vector<InstagEntry> want = {{"z", "y", 0x100}, {"x", "y", 0xffffffff}};
  EXPECT_EQ(*entries, want);
  EXPECT_EQ(*WriteInstagFile(*entries), text);
  otrl_userstate_free(us);
  std::remove(path.c_str());
}

TEST(LibotrInstagsTest, LibotrReadsOurFile) {
  OTRL_INIT;
  std::vector<InstagEntry> entries = {
      {"alice@example.com", "prpl-jabber", 0x100},
      {"bob", "IRC", 0xffffffff},
      {"c\xc3\xa9line \"the\" #1", "prpl-x", 0x12345678},
      {"", "", 0xabcdef01},
      {std::string(kMaxInstagLineSize - 12, 'l'), "p", 0x1000},  // the longest line
  };
  Result<std::string> text = WriteInstagFile(entries);
  ASSERT_TRUE(text.ok());
  ExpectSameEntries(entries, LibotrInstags(*text));
  std::string path = TempPath("ourinstags");
  WriteFile(path, *text);
  OtrlUserState us = otrl_userstate_create();
  ASSERT_EQ(otrl_instag_read(us, path.c_str()), 0u);
  for (const InstagEntry& e : entries) {
    OtrlInsTag* p = otrl_instag_find(us, e.accountname.c_str(), e.protocol.c_str());
    ASSERT_NE(p, nullptr) << e.accountname;
    EXPECT_EQ(p->instag, e.instag) << e.accountname;
  }
  otrl_userstate_free(us);
  std::remove(path.c_str());
}

// Every file we accept, libotr reads to the same entries: comments, CR LF,
// uppercase hex, and the tags below 0x100 that both skip.
TEST(LibotrInstagsTest, LibotrReadsWhatWeAcceptTheSame) {
  OTRL_INIT;
  const std::string texts[] = {
      "",
      std::string(kInstagFileComment),
      "# comment\n\nno tab\na\tb\tABCDEF01\r\nc\td\t00000000\n",
      "a\tb\t000000ff\nc\td\t00000001\ne\tf\t00000100\n",
      "a\tb\t00000100\na\tc\t00000200\nb\ta\t00000300\n",
      "c\td\t00000000\nc\td\t12345678\n",
      std::string(kMaxInstagLineSize - 12, 'a') + "\tb\t0000fFfF\n",
  };
  for (const std::string& text : texts) {
    SCOPED_TRACE(text);
    Result<std::vector<InstagEntry>> ours = ParseInstagFile(text);
    ASSERT_TRUE(ours.ok()) << ours.error().context;
    ExpectSameEntries(*ours, LibotrInstags(text));
  }
}

}  // namespace
}  // namespace otr::store
