#include "protocol/v4/crypto/keys.h"

#include <algorithm>

#include "protocol/v4/crypto/dh3072.h"

namespace otr::v4 {

Status PruneScalar(MutableByteView h) {
  if (h.size() != crypto::kEd448ScalarSize) {
    return MakeError(ErrorCode::kInvalidKey, "PruneScalar: not 57 bytes");
  }
  h[0] &= 0xfc;                             // two least significant bits cleared
  h[crypto::kEd448ScalarSize - 1] = 0;      // last byte cleared
  h[crypto::kEd448ScalarSize - 2] |= 0x80;  // highest bit of the second to last set
  return Status::Ok();
}

Result<crypto::SecretBytes> HashAndPrune(const crypto::Backend& backend,
                                         const crypto::SecretBytes& value) {
  if (value.size() != crypto::kEd448ScalarSize) {
    return MakeError(ErrorCode::kInvalidKey, "HashAndPrune: value not 57 bytes");
  }
  crypto::SecretBytes h = backend.Shake256(value.view(), crypto::kEd448ScalarSize);
  OTR_RETURN_IF_ERROR(PruneScalar(h.mutable_view()));
  return h;
}

Result<EcdhKeyPair> EcdhKeyPair::FromSecret(const crypto::Backend& backend,
                                            crypto::SecretBytes secret) {
  if (secret.size() != crypto::kEd448ScalarSize) {
    return MakeError(ErrorCode::kInvalidKey, "EcdhKeyPair: s not 57 bytes");
  }
  const crypto::Ed448Point pub = backend.Ed448MulBase(secret);
  const crypto::Ed448Encoding pub_encoded = backend.Ed448Encode(pub);
  return EcdhKeyPair(std::move(secret), pub, pub_encoded);
}

Result<EcdhKeyPair> EcdhKeyPair::FromSecretAndWire(const crypto::Backend& backend,
                                                   crypto::SecretBytes secret, ByteView encoded) {
  if (secret.size() != crypto::kEd448ScalarSize) {
    return MakeError(ErrorCode::kInvalidKey, "EcdhKeyPair: s not 57 bytes");
  }
  OTR_ASSIGN_OR_RETURN(crypto::Ed448Point pub, backend.Ed448Decode(encoded));
  crypto::Ed448Encoding pub_encoded{};
  std::copy(encoded.begin(), encoded.end(), pub_encoded.begin());  // 57 bytes: it decoded
  return EcdhKeyPair(std::move(secret), pub, pub_encoded);
}

EcdhKeyPair EcdhKeyPair::FromEd448KeyPair(const crypto::Backend& backend, Ed448KeyPair pair) {
  const crypto::Ed448Encoding pub_encoded = backend.Ed448Encode(pair.pub);
  return EcdhKeyPair(std::move(pair.secret), pair.pub, pub_encoded);
}

Result<EcdhKeyPair> GenerateEcdhFromRandom(const crypto::Backend& backend,
                                           const crypto::SecretBytes& r) {
  if (r.size() != kEcdhRandomSize) {
    return MakeError(ErrorCode::kInvalidKey, "generateECDH: r not 57 bytes");
  }
  OTR_ASSIGN_OR_RETURN(crypto::SecretBytes s, HashAndPrune(backend, r));
  return EcdhKeyPair::FromSecret(backend, std::move(s));
}

Result<EcdhKeyPair> GenerateEcdh(const crypto::Backend& backend, crypto::Random& random) {
  const crypto::SecretBytes r = random.SecretOfSize(kEcdhRandomSize);
  return GenerateEcdhFromRandom(backend, r);
}

Result<crypto::DhKeyPair> GenerateDhFromRandom(const crypto::Backend& backend,
                                               const crypto::SecretBytes& r) {
  if (r.size() != kDhRandomSize) {
    return MakeError(ErrorCode::kInvalidKey, "generateDH: r not 80 bytes");
  }
  const crypto::ModpGroup& group = Dh3072Group();
  OTR_ASSIGN_OR_RETURN(crypto::SecretBytes pub, backend.ModExp(group.g, r, group.p));
  return crypto::DhKeyPair{r, crypto::DhPublic(pub.view())};  // below p: fits
}

Result<crypto::DhKeyPair> GenerateDh(const crypto::Backend& backend, crypto::Random& random) {
  const crypto::SecretBytes r = random.SecretOfSize(kDhRandomSize);
  return GenerateDhFromRandom(backend, r);
}

Result<Ed448KeyPair> DeriveEd448KeyPair(const crypto::Backend& backend,
                                        const crypto::SecretBytes& sym_key) {
  if (sym_key.size() != kSymKeySize) {
    return MakeError(ErrorCode::kInvalidKey, "sym_key not 57 bytes");
  }
  OTR_ASSIGN_OR_RETURN(crypto::SecretBytes sk, HashAndPrune(backend, sym_key));
  crypto::Ed448Point pub = backend.Ed448MulBase(sk);
  return Ed448KeyPair{sym_key, std::move(sk), pub};
}

namespace {

Result<Ed448KeyPair> GenerateEd448KeyPair(const crypto::Backend& backend, crypto::Random& random) {
  const crypto::SecretBytes sym_key = random.SecretOfSize(kSymKeySize);
  return DeriveEd448KeyPair(backend, sym_key);
}

}  // namespace

Result<Ed448KeyPair> GenerateLongTermKeyPair(const crypto::Backend& backend,
                                             crypto::Random& random) {
  return GenerateEd448KeyPair(backend, random);
}

Result<Ed448KeyPair> GenerateSharedPrekeyPair(const crypto::Backend& backend,
                                              crypto::Random& random) {
  return GenerateEd448KeyPair(backend, random);
}

Result<Ed448KeyPair> GenerateForgingKeyPair(const crypto::Backend& backend,
                                            crypto::Random& random) {
  return GenerateEd448KeyPair(backend, random);
}

Result<crypto::Ed448Point> ForgingPointFromRandom(const crypto::Backend& backend, ByteView buf) {
  if (buf.size() != crypto::kEd448PointSize) {
    return MakeError(ErrorCode::kInvalidEncoding, "forging point: buf not 57 bytes");
  }
  return backend.Ed448Decode(buf);
}

Result<crypto::Ed448Point> GenerateForgingPoint(const crypto::Backend& backend,
                                                crypto::Random& random) {
  for (int draw = 0; draw < kForgingPointMaxDraws; ++draw) {
    Bytes buf(crypto::kEd448PointSize);
    random.Fill(buf);
    buf.back() &= 0x80;  // only the sign bit of x lives in the final byte
    Result<crypto::Ed448Point> point = ForgingPointFromRandom(backend, buf);
    if (point.ok()) return point;
  }
  return MakeError(ErrorCode::kBackendFailure, "no valid forging point in 256 draws");
}

}  // namespace otr::v4
