// The hash functions of OTRv4 (otrv4.md, "Key Derivation Function, Hash
// Function and MAC Function") and of the prekey server
// (otr-v4-prekey-server.md, "Key Derivation Functions"):
//
//   KDF(usage_ID || values, size)   = SHAKE-256("OTRv4" || usage_ID || values, size)
//   HWC(usage_ID || values, size)   = SHAKE-256("OTRv4" || usage_ID || values, size)
//   HCMAC(usage_ID || values, size) = SHAKE-256("OTRv4" || usage_ID || values, size)
//   prekey server KDF(usage_ID, values, size)
//                        = SHAKE-256("OTR-Prekey-Server" || usage_ID || values, size)
//
// usage_ID is one BYTE; `size` is in bytes (the first `size` bytes of the
// SHAKE-256 output). The three OTRv4 functions compute the same thing; they
// differ in what their output is: KDF derives keys and HCMAC computes MACs
// (SecretBytes), HWC hashes public values (fingerprints, the ring signature
// challenge, SSID) and returns plain Bytes.
#ifndef OTR_PROTOCOL_V4_CRYPTO_KDF_H_
#define OTR_PROTOCOL_V4_CRYPTO_KDF_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string_view>

#include "base/bytes.h"
#include "crypto/backend.h"
#include "crypto/secret_bytes.h"

namespace otr::v4 {

// The domain separators that prefix every hash input.
inline constexpr std::string_view kOtrv4Domain = "OTRv4";
inline constexpr std::string_view kPrekeyServerDomain = "OTR-Prekey-Server";

// otrv4.md, "Key Derivation Function, Hash Function and MAC Function": the
// usageID variables, one constant each (usage_X is kX).
enum class Usage : uint8_t {
  kFingerprint = 0x00,
  kThirdBraceKey = 0x01,
  kBraceKey = 0x02,
  kSharedSecret = 0x03,
  kSsid = 0x04,
  kAuthRBobClientProfile = 0x05,
  kAuthRAliceClientProfile = 0x06,
  kAuthRPhi = 0x07,
  kAuthIBobClientProfile = 0x08,
  kAuthIAliceClientProfile = 0x09,
  kAuthIPhi = 0x0A,
  kFirstRootKey = 0x0B,
  kTmpKey = 0x0C,
  kAuthMacKey = 0x0D,
  kNonIntAuthBobClientProfile = 0x0E,
  kNonIntAuthAliceClientProfile = 0x0F,
  kNonIntAuthPhi = 0x10,
  kAuthMac = 0x11,
  kRootKey = 0x12,
  kChainKey = 0x13,
  kNextChainKey = 0x14,
  kMessageKey = 0x15,
  kMacKey = 0x16,
  kExtraSymmKey = 0x17,
  kAuthenticator = 0x18,
  kSmpSecret = 0x19,
  kAuth = 0x1A,
};

// otr-v4-prekey-server.md, "Key Derivation Functions": its own usage_ID
// variables, used with the "OTR-Prekey-Server" prefix.
enum class PrekeyUsage : uint8_t {
  kFingerprint = 0x00,
  kSk = 0x01,
  kInitiatorClientProfile = 0x02,
  kInitiatorPrekeyCompositeIdentity = 0x03,
  kInitiatorPrekeyCompositePhi = 0x04,
  kReceiverClientProfile = 0x05,
  kReceiverPrekeyCompositeIdentity = 0x06,
  kReceiverPrekeyCompositePhi = 0x07,
  kPreMacKey = 0x08,
  kPreMac = 0x09,
  kStorageInfoMac = 0x0A,
  kStatusMac = 0x0B,
  kSuccessMac = 0x0C,
  kFailureMac = 0x0D,
  kPrekeyMessage = 0x0E,
  kClientProfile = 0x0F,
  kPrekeyProfile = 0x10,
  kAuth = 0x11,
  kProofContext = 0x12,
  kProofMessageEcdh = 0x13,
  kProofMessageDh = 0x14,
  kProofSharedEcdh = 0x15,
  kMacProofs = 0x16,
  kProofCLambda = 0x17,
};

// Every usage ID with its name as the spec writes it ("usage_fingerprint"),
// in the spec's order, for tests, vectors and tools.
template <typename UsageT>
struct UsageName {
  UsageT usage;
  std::string_view name;
};
extern const std::array<UsageName<Usage>, 27> kAllUsages;
extern const std::array<UsageName<PrekeyUsage>, 24> kAllPrekeyUsages;

std::string_view SpecName(Usage usage);
std::string_view SpecName(PrekeyUsage usage);

// SHAKE-256(domain || usage_id || values..., out.size()) into `out`: the
// one function behind all of the ones below.
void DomainShake256(const crypto::Backend& backend, std::string_view domain, uint8_t usage_id,
                    std::initializer_list<ByteView> values, MutableByteView out);

// otrv4.md: KDF, HWC and HCMAC, `values` concatenated in the order given.
crypto::SecretBytes Kdf(const crypto::Backend& backend, Usage usage,
                        std::initializer_list<ByteView> values, size_t size);
Bytes Hwc(const crypto::Backend& backend, Usage usage, std::initializer_list<ByteView> values,
          size_t size);
crypto::SecretBytes Hcmac(const crypto::Backend& backend, Usage usage,
                          std::initializer_list<ByteView> values, size_t size);
// HWC into `out` (out.size() bytes), for a hash that needs no heap buffer.
void HwcInto(const crypto::Backend& backend, Usage usage, std::initializer_list<ByteView> values,
             MutableByteView out);
// HCMAC into `out` (out.size() bytes), for a MAC that needs no heap buffer.
void HcmacInto(const crypto::Backend& backend, Usage usage, std::initializer_list<ByteView> values,
               MutableByteView out);

// otr-v4-prekey-server.md: the prekey server's KDF (its MACs too).
crypto::SecretBytes PrekeyKdf(const crypto::Backend& backend, PrekeyUsage usage,
                              std::initializer_list<ByteView> values, size_t size);

}  // namespace otr::v4

#endif  // OTR_PROTOCOL_V4_CRYPTO_KDF_H_
