#include "protocol/v4/libotr_ng/smp_secret.h"

#include "protocol/v4/crypto/kdf.h"

namespace otr::v4::libotr_ng {
namespace {
constexpr uint8_t kUsageSmpSecret = 0x1B;  // smp_protocol.c, usage_smp_secret
constexpr uint8_t kVersion = 0x01;
}  // namespace

crypto::SecretBytes SmpSecretDigest(const crypto::Backend& backend, ByteView initiator_fingerprint,
                                    ByteView responder_fingerprint, ByteView ssid,
                                    ByteView answer) {
  crypto::SecretBytes digest(kSmpSecretHashSize);
  DomainShake256(
      backend, kOtrv4Domain, kUsageSmpSecret,
      {ByteView(&kVersion, 1), initiator_fingerprint, responder_fingerprint, ssid, answer},
      digest.mutable_view());
  return digest;
}

crypto::SecretBytes SmpSecret(const crypto::Backend& backend, ByteView initiator_fingerprint,
                              ByteView responder_fingerprint, ByteView ssid, ByteView answer) {
  const crypto::SecretBytes digest =
      SmpSecretDigest(backend, initiator_fingerprint, responder_fingerprint, ssid, answer);
  // smp_protocol.c reads it with otrng_deserialize_ec_scalar, which decodes
  // ED448_SCALAR_BYTES (56) of the 64 (goldilocks_448_scalar_decode_long).
  return backend.Ed448ScalarReduce(digest.view().first(kSmpSecretScalarBytes));
}

}  // namespace otr::v4::libotr_ng
