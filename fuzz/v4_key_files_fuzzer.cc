// Fuzzes the readers of `otr`'s own v4 files (tools/keystore_v4.h:
// otr.v4_keys, otr.v4_fingerprints and otr.v4_prekeys): the first input byte
// picks the file ('P': prekeys, else odd: keys, even: fingerprints);
// whatever parses writes back to text that parses to the same entries, and
// our writing is a fixed point.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "tools/keystore_v4.h"

namespace {

std::string_view Text(const otr::crypto::SecretBytes& bytes) {
  return std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

bool SameKeys(const std::vector<otr::tools::V4KeyEntry>& a,
              const std::vector<otr::tools::V4KeyEntry>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].account != b[i].account || a[i].protocol != b[i].protocol ||
        Text(a[i].sym_h) != Text(b[i].sym_h) || a[i].forging != b[i].forging ||
        a[i].client_profile != b[i].client_profile) {
      return false;
    }
  }
  return true;
}

bool SameFingerprints(const std::vector<otr::tools::V4FingerprintEntry>& a,
                      const std::vector<otr::tools::V4FingerprintEntry>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].username != b[i].username || a[i].account != b[i].account ||
        a[i].protocol != b[i].protocol || a[i].fingerprint != b[i].fingerprint ||
        a[i].trust != b[i].trust) {
      return false;
    }
  }
  return true;
}

bool SamePrekeys(const std::vector<otr::tools::V4PrekeyEntry>& a,
                 const std::vector<otr::tools::V4PrekeyEntry>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].account != b[i].account || a[i].protocol != b[i].protocol || a[i].kind != b[i].kind ||
        a[i].expires != b[i].expires || a[i].prekey_profile != b[i].prekey_profile ||
        a[i].identifier != b[i].identifier || a[i].owner_tag != b[i].owner_tag ||
        Text(a[i].secret) != Text(b[i].secret) || Text(a[i].dh_secret) != Text(b[i].dh_secret)) {
      return false;
    }
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] == 'P') {
    auto entries = otr::tools::ParseV4Prekeys(text);
    if (!entries.ok()) return 0;
    const otr::crypto::SecretBytes written = otr::tools::WriteV4Prekeys(*entries);
    auto again = otr::tools::ParseV4Prekeys(Text(written));
    if (!again.ok() || !SamePrekeys(*again, *entries)) __builtin_trap();
    if (Text(otr::tools::WriteV4Prekeys(*again)) != Text(written)) __builtin_trap();
  } else if (data[0] & 1) {
    auto entries = otr::tools::ParseV4Keys(text);
    if (!entries.ok()) return 0;
    const otr::crypto::SecretBytes written = otr::tools::WriteV4Keys(*entries);
    auto again = otr::tools::ParseV4Keys(Text(written));
    if (!again.ok() || !SameKeys(*again, *entries)) __builtin_trap();
    if (Text(otr::tools::WriteV4Keys(*again)) != Text(written)) __builtin_trap();
  } else {
    auto entries = otr::tools::ParseV4Fingerprints(text);
    if (!entries.ok()) return 0;
    const std::string written = otr::tools::WriteV4Fingerprints(*entries);
    auto again = otr::tools::ParseV4Fingerprints(written);
    if (!again.ok() || !SameFingerprints(*again, *entries)) __builtin_trap();
    if (otr::tools::WriteV4Fingerprints(*again) != written) __builtin_trap();
  }
  return 0;
}
