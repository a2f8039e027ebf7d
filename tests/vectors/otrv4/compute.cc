#include "tests/vectors/otrv4/compute.h"

#include <exception>
#include <map>

#include "tests/vectors/otrv4/compute_internal.h"

namespace otr::v4::vectors {

crypto::Ed448Point DecodePoint(const crypto::Backend& backend, ByteView encoding) {
  return Take(backend.Ed448Decode(encoding), "Ed448Decode of an input point");
}

std::string PointHex(const crypto::Backend& backend, const crypto::Ed448Point& point) {
  return Hex(backend.Ed448Encode(point));
}

Computed Compute(const crypto::Backend& backend, const Json& vector) {
  // The kinds of README.md's table, as reference/compute.py names them.
  static const std::map<std::string, KindFunction> kinds = {
      {"kdf", ComputeKdf},
      {"data_message_keys", ComputeDataMessageKeys},
      {"hash_to_scalar", ComputeHashToScalar},
      {"ecdh", ComputeEcdh},
      {"dh", ComputeDh},
      {"long_term", ComputeLongTerm},
      {"ecdh_shared_secret", ComputeEcdhSharedSecret},
      {"fingerprint", ComputeFingerprint},
      {"prekey_server_fingerprint", ComputePrekeyServerFingerprint},
      {"dh_constants", ComputeDhConstants},
      {"dh_membership", ComputeDhMembership},
      {"point_decode", ComputePointDecode},
      {"point_base_mul", ComputePointBaseMul},
      {"point_add", ComputePointAdd},
      {"point_mul", ComputePointMul},
      {"eddsa_sign", ComputeEddsaSign},
      {"eddsa_verify", ComputeEddsaVerify},
      {"rsig", ComputeRsig},
      {"rvrf", ComputeRvrf},
      {"client_profile", ComputeClientProfile},
      {"prekey_profile", ComputePrekeyProfile},
      {"profile_signature_verify", ComputeProfileSignatureVerify},
      {"message", ComputeMessage},
      {"tlv", ComputeTlv},
      {"prekey_server_macs", ComputePrekeyServerMacs},
      {"prekey_proofs", ComputePrekeyProofs},
      {"prekey_server_dake", ComputePrekeyServerDake},
      {"xzdh", ComputeXzdh},
  };
  Computed out;
  try {
    const std::string kind = StringField(vector, "kind");
    auto it = kinds.find(kind);
    if (it == kinds.end()) throw VectorError("unknown kind " + kind);
    if (!vector.contains("input") || !vector["input"].is_object()) {
      throw VectorError("no \"input\" object");
    }
    it->second(backend, vector["input"], out);
  } catch (const std::exception& e) {  // VectorError, or nlohmann's on a wrong type
    out.error = e.what();
  }
  return out;
}

}  // namespace otr::v4::vectors
