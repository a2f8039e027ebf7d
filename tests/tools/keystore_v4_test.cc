// otr's v4 key and trust files (tools/keystore_v4.h): rapidcheck round trips
// (any entries a user or the program can make are written and read back
// unchanged) and the reader's refusals.
#include "tools/keystore_v4.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <string>
#include <vector>

namespace otr::tools {
namespace {

// A field of the files: no TAB, no line end, not empty; the first field
// of a line does not start with '#' (a comment).
rc::Gen<std::string> Field(bool first) {
  return rc::gen::suchThat(rc::gen::string<std::string>(), [first](const std::string& s) {
    if (s.empty() || (first && s[0] == '#')) return false;
    for (char c : s) {
      if (c == '\t' || c == '\n' || c == '\r') return false;
    }
    return true;
  });
}

RC_GTEST_PROP(KeystoreV4Property, KeyFileRoundTrips, ()) {
  const int n = *rc::gen::inRange(0, 4);
  std::vector<V4KeyEntry> entries;
  for (int i = 0; i < n; ++i) {
    V4KeyEntry e;
    e.account = *Field(true);
    e.protocol = *Field(false);
    const auto sym = *rc::gen::container<std::vector<uint8_t>>(57, rc::gen::arbitrary<uint8_t>());
    e.sym_h = crypto::SecretBytes(ByteView(sym));
    const auto f = *rc::gen::container<std::vector<uint8_t>>(57, rc::gen::arbitrary<uint8_t>());
    std::copy(f.begin(), f.end(), e.forging.begin());
    e.client_profile = *rc::gen::arbitrary<std::vector<uint8_t>>();
    entries.push_back(std::move(e));
  }
  const crypto::SecretBytes text = WriteV4Keys(entries);
  auto back =
      ParseV4Keys(std::string_view(reinterpret_cast<const char*>(text.data()), text.size()));
  RC_ASSERT(back.ok());
  RC_ASSERT(back->size() == entries.size());
  for (size_t i = 0; i < entries.size(); ++i) {
    RC_ASSERT((*back)[i].account == entries[i].account);
    RC_ASSERT((*back)[i].protocol == entries[i].protocol);
    RC_ASSERT(Bytes((*back)[i].sym_h.view().begin(), (*back)[i].sym_h.view().end()) ==
              Bytes(entries[i].sym_h.view().begin(), entries[i].sym_h.view().end()));
    RC_ASSERT((*back)[i].forging == entries[i].forging);
    RC_ASSERT((*back)[i].client_profile == entries[i].client_profile);
  }
}

RC_GTEST_PROP(KeystoreV4Property, FingerprintFileRoundTrips, ()) {
  const int n = *rc::gen::inRange(0, 5);
  std::vector<V4FingerprintEntry> entries;
  for (int i = 0; i < n; ++i) {
    const auto fp = *rc::gen::container<std::vector<uint8_t>>(56, rc::gen::arbitrary<uint8_t>());
    entries.push_back(V4FingerprintEntry{
        *Field(true), *Field(false), *Field(false),
        store::PeerFingerprint(store::FingerprintKind::kV4Ed448, Bytes(fp.begin(), fp.end())),
        *rc::gen::oneOf(rc::gen::just(std::string()), Field(false))});
  }
  auto back = ParseV4Fingerprints(WriteV4Fingerprints(entries));
  RC_ASSERT(back.ok());
  RC_ASSERT(back->size() == entries.size());
  for (size_t i = 0; i < entries.size(); ++i) {
    RC_ASSERT((*back)[i].username == entries[i].username);
    RC_ASSERT((*back)[i].account == entries[i].account);
    RC_ASSERT((*back)[i].protocol == entries[i].protocol);
    RC_ASSERT((*back)[i].fingerprint == entries[i].fingerprint);
    RC_ASSERT((*back)[i].trust == entries[i].trust);
  }
}

rc::Gen<crypto::SecretBytes> Secret(size_t size) {
  return rc::gen::map(
      rc::gen::container<std::vector<uint8_t>>(size, rc::gen::arbitrary<uint8_t>()),
      [](const std::vector<uint8_t>& b) { return crypto::SecretBytes(ByteView(b)); });
}

Bytes Plain(const crypto::SecretBytes& s) { return Bytes(s.view().begin(), s.view().end()); }

RC_GTEST_PROP(KeystoreV4Property, PrekeyFileRoundTrips, ()) {
  const int n = *rc::gen::inRange(0, 5);
  std::vector<V4PrekeyEntry> entries;
  for (int i = 0; i < n; ++i) {
    V4PrekeyEntry e;
    e.account = *Field(true);
    e.protocol = *Field(false);
    e.expires = *rc::gen::inRange<int64_t>(0, INT64_MAX);
    if (*rc::gen::arbitrary<bool>()) {
      e.kind = V4PrekeyEntry::Kind::kProfile;
      e.prekey_profile = *rc::gen::nonEmpty(rc::gen::arbitrary<std::vector<uint8_t>>());
      e.secret = *Secret(57);
    } else {
      e.kind = V4PrekeyEntry::Kind::kPrekey;
      e.identifier = *rc::gen::arbitrary<uint32_t>();
      e.owner_tag = *rc::gen::arbitrary<uint32_t>();
      e.secret = *Secret(57);
      e.dh_secret = *Secret(80);
    }
    entries.push_back(std::move(e));
  }
  const crypto::SecretBytes text = WriteV4Prekeys(entries);
  auto back =
      ParseV4Prekeys(std::string_view(reinterpret_cast<const char*>(text.data()), text.size()));
  RC_ASSERT(back.ok());
  RC_ASSERT(back->size() == entries.size());
  for (size_t i = 0; i < entries.size(); ++i) {
    const V4PrekeyEntry& a = (*back)[i];
    const V4PrekeyEntry& b = entries[i];
    RC_ASSERT(a.account == b.account && a.protocol == b.protocol && a.kind == b.kind);
    RC_ASSERT(a.expires == b.expires && a.prekey_profile == b.prekey_profile);
    RC_ASSERT(a.identifier == b.identifier && a.owner_tag == b.owner_tag);
    RC_ASSERT(Plain(a.secret) == Plain(b.secret) && Plain(a.dh_secret) == Plain(b.dh_secret));
  }
}

TEST(KeystoreV4Test, RefusesDamagedPrekeyLines) {
  const std::string y(114, 'a'), b(160, 'b'), profile = "00";
  EXPECT_TRUE(ParseV4Prekeys("a\tp\tprekey\t5\t1\t256\t" + y + "\t" + b + "\n").ok());
  EXPECT_TRUE(ParseV4Prekeys("a\tp\tprofile\t5\t" + profile + "\t" + y + "\n").ok());
  EXPECT_FALSE(ParseV4Prekeys("a\tp\tprekey\t5\t1\t256\t" + y + "\n").ok());  // fields
  EXPECT_FALSE(ParseV4Prekeys("a\tp\tother\t5\t1\t256\t" + y + "\t" + b + "\n").ok());
  EXPECT_FALSE(ParseV4Prekeys("a\tp\tprekey\t-5\t1\t256\t" + y + "\t" + b + "\n").ok());
  EXPECT_FALSE(ParseV4Prekeys("a\tp\tprekey\t5\t4294967296\t256\t" + y + "\t" + b + "\n").ok());
  EXPECT_FALSE(ParseV4Prekeys("a\tp\tprekey\t5\t1\t256\t" + y + "\t" + y + "\n").ok());  // |b|
  EXPECT_FALSE(ParseV4Prekeys("a\tp\tprofile\t5\t\t" + y + "\n").ok());  // no profile
  EXPECT_FALSE(ParseV4Prekeys("a\tp\tprofile\t5\t" + profile + "\t" + b + "\n").ok());
  EXPECT_FALSE(
      ParseV4Prekeys("a\tp\tprofile\t99999999999999999999\t" + profile + "\t" + y + "\n").ok());
}

TEST(KeystoreV4Test, RefusesDamagedLines) {
  EXPECT_FALSE(ParseV4Keys("alice\tprpl-irc\n").ok());  // fields
  EXPECT_FALSE(ParseV4Keys("alice\tprpl-irc\t" + std::string(112, 'a') + "\tzz\n").ok());
  EXPECT_FALSE(ParseV4Fingerprints("bob\talice\tirc\t" + std::string(110, 'a') + "\t\n").ok());
  EXPECT_TRUE(ParseV4Fingerprints("# a comment\r\n\r\n").ok());
  auto crlf = ParseV4Fingerprints("bob\talice\tirc\t" + std::string(112, 'a') + "\tsmp\r\r\n");
  ASSERT_TRUE(crlf.ok());
  EXPECT_EQ((*crlf)[0].trust, "smp");
}

}  // namespace
}  // namespace otr::tools
