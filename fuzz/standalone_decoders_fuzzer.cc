// Fuzzes the decoders that no message dispatcher calls, each on the whole
// input after a first byte that picks it (fuzz/README.md, "Decoders"):
//   0: a v4 RING-SIG alone (otrv4.md, "Ring Signature Authentication")
//   1: a PREKEY-SERVER-COMP-ID alone (otr-v4-prekey-server.md, "Prekey
//      Server Composite Identity")
//   2: a v3 fingerprint typed by a user (tools/keystore.h)
//   3: a v4 fingerprint typed by a user (tools/keystore_v4.h)
//   4: a v3 fingerprint in libotr's human form alone
//      (protocol/store/fingerprint.h FingerprintFromHuman)
// Checks: what decodes re-encodes to exactly its input (0, 1); a parsed
// fingerprint printed in the human form parses to itself (2, 3, 4).
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/bytes.h"
#include "protocol/prekey/messages/data_types.h"
#include "protocol/store/fingerprint.h"
#include "protocol/v4/messages/ring_sig.h"
#include "tools/keystore.h"
#include "tools/keystore_v4.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace otr;
  if (size == 0) return 0;
  const ByteView body(data + 1, size - 1);
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  switch (data[0] % 5) {
    case 0: {
      auto sigma = v4::DecodeRingSig(body);
      if (!sigma.ok()) return 0;
      if (v4::EncodeRingSig(*sigma) != Bytes(body.begin(), body.end())) __builtin_trap();
      return 0;
    }
    case 1: {
      auto id = prekey::DecodeCompositeIdentity(body);
      if (!id.ok()) return 0;
      if (prekey::EncodeCompositeIdentity(*id) != Bytes(body.begin(), body.end())) {
        __builtin_trap();
      }
      return 0;
    }
    case 2: {
      auto fp = tools::ParseUserFingerprint(text);
      if (!fp) return 0;
      if (tools::ParseUserFingerprint(store::FingerprintToHuman(*fp)) != fp) __builtin_trap();
      return 0;
    }
    case 4: {
      auto fp = store::FingerprintFromHuman(text);
      if (!fp.ok()) return 0;
      // The one form it reads, hex digits in either case.
      std::string upper(text);
      for (char& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      if (store::FingerprintToHuman(*fp) != upper) __builtin_trap();
      return 0;
    }
    default: {
      auto fp = tools::ParseUserV4Fingerprint(text);
      if (!fp) return 0;
      if (fp->kind != store::FingerprintKind::kV4Ed448) __builtin_trap();
      if (tools::ParseUserV4Fingerprint(store::PeerFingerprintToHuman(*fp)) != fp) {
        __builtin_trap();
      }
      return 0;
    }
  }
}
