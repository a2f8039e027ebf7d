// Round-trip properties of the fingerprints a user types (tools/keystore.h,
// tools/keystore_v4.h): the human form of any fingerprint, in either case
// and without its spaces, parses back to it (fuzz/README.md, "Decoders").
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <cctype>
#include <string>

#include "protocol/store/fingerprint.h"
#include "tools/keystore.h"
#include "tools/keystore_v4.h"

namespace otr::tools {
namespace {

std::string Variant(std::string text, bool upper, bool no_spaces) {
  if (no_spaces) std::erase(text, ' ');
  for (char& c : text) {
    c = static_cast<char>(upper ? std::toupper(static_cast<unsigned char>(c))
                                : std::tolower(static_cast<unsigned char>(c)));
  }
  return text;
}

RC_GTEST_PROP(UserFingerprintProperty, V3RoundTrip, (bool upper, bool no_spaces)) {
  store::Fingerprint fp{};
  for (uint8_t& b : fp) b = *rc::gen::arbitrary<uint8_t>();
  const auto parsed =
      ParseUserFingerprint(Variant(store::FingerprintToHuman(fp), upper, no_spaces));
  RC_ASSERT(parsed.has_value());
  RC_ASSERT(*parsed == fp);
}

RC_GTEST_PROP(UserFingerprintProperty, V4RoundTrip, (bool upper, bool no_spaces)) {
  Bytes bytes(store::kV4FingerprintSize);
  for (uint8_t& b : bytes) b = *rc::gen::arbitrary<uint8_t>();
  const store::PeerFingerprint fp(store::FingerprintKind::kV4Ed448, bytes);
  const auto parsed =
      ParseUserV4Fingerprint(Variant(store::PeerFingerprintToHuman(fp), upper, no_spaces));
  RC_ASSERT(parsed.has_value());
  RC_ASSERT(*parsed == fp);
}

}  // namespace
}  // namespace otr::tools
