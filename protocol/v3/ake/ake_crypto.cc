#include "protocol/v3/ake/ake_crypto.h"

#include <algorithm>

#include "protocol/wire/reader.h"
#include "protocol/wire/writer.h"

namespace otr::v3 {
namespace {

using crypto::HashAlgorithm;
using crypto::SecretBytes;

constexpr uint8_t kZeroCounter[8] = {};  // "initial counter value 0"
constexpr size_t kRSize = 16;            // "a random value r (128 bits)"

Bytes MpiOf(ByteView value) {
  wire::Writer w;
  w.WriteMpi(value);
  return std::move(w).Finish();
}

// SHA256-HMAC-160 of the encrypted signature "including the four-byte length".
Mac MacOfEncrypted(const crypto::Backend& backend, const SecretBytes& key, ByteView encrypted) {
  wire::Writer w;
  w.WriteData(encrypted);
  const SecretBytes full = backend.Hmac(HashAlgorithm::kSha256, key.view(), w.bytes());
  Mac mac{};
  std::copy_n(full.data(), mac.size(), mac.begin());
  return mac;
}

// M = HMAC-SHA256_m(MPI(first) || MPI(second) || PUBKEY || keyid).
SecretBytes ComputeM(const crypto::Backend& backend, const SecretBytes& m, ByteView first,
                     ByteView second, const crypto::DsaPublicKey& pub, uint32_t keyid) {
  wire::Writer w;
  w.WriteMpi(first);
  w.WriteMpi(second);
  WritePubkey(w, pub);
  w.WriteU32(keyid);
  return backend.Hmac(HashAlgorithm::kSha256, m.view(), w.bytes());
}

}  // namespace

Result<Commitment> MakeCommitment(const crypto::Backend& backend, crypto::Random& random) {
  const crypto::ModpGroup& group = crypto::GetModpGroup(crypto::ModpGroupId::kModp1536);
  Commitment c;
  c.r = random.SecretOfSize(kRSize);
  OTR_ASSIGN_OR_RETURN(c.x, crypto::GenerateDhKeyPair(backend, group, random));
  const Bytes gx_mpi = MpiOf(c.x.pub);
  c.encrypted_gx.resize(gx_mpi.size());
  OTR_RETURN_IF_ERROR(backend.Aes128Ctr(c.r, kZeroCounter, gx_mpi, c.encrypted_gx));
  const Bytes hash = backend.Hash(HashAlgorithm::kSha256, gx_mpi);
  std::copy_n(hash.begin(), c.hashed_gx.size(), c.hashed_gx.begin());
  return c;
}

Result<Bytes> OpenCommitment(const crypto::Backend& backend, ByteView revealed_r,
                             ByteView encrypted_gx, ByteView hashed_gx) {
  if (revealed_r.size() != kRSize) {
    return MakeError(ErrorCode::kInvalidKey, "Reveal Signature: r is not 128 bits");
  }
  Bytes gx_mpi(encrypted_gx.size());
  OTR_RETURN_IF_ERROR(
      backend.Aes128Ctr(SecretBytes(revealed_r), kZeroCounter, encrypted_gx, gx_mpi));
  const Bytes hash = backend.Hash(HashAlgorithm::kSha256, gx_mpi);
  if (!crypto::ConstantTimeEqual(hash, hashed_gx)) {
    return MakeError(ErrorCode::kBadMac, "Reveal Signature: g^x does not match its hash");
  }
  wire::Reader reader(gx_mpi);
  OTR_ASSIGN_OR_RETURN(ByteView gx, reader.ReadMpi(kDhModulusSize));
  OTR_RETURN_IF_ERROR(reader.ExpectEnd());
  OTR_RETURN_IF_ERROR(
      crypto::CheckGroupElement(backend, crypto::GetModpGroup(crypto::ModpGroupId::kModp1536), gx));
  return Bytes(gx.begin(), gx.end());
}

Result<SignedPart> MakeSignedPart(const crypto::Backend& backend, crypto::Random& random,
                                  const SigningKeys& keys, ByteView our_dh_public,
                                  ByteView their_dh_public, const crypto::DsaPrivateKey& our_key,
                                  uint32_t our_keyid) {
  const SecretBytes m =
      ComputeM(backend, keys.mac_m, our_dh_public, their_dh_public, our_key.pub, our_keyid);
  // "the signature ... of the 32-byte M (taken modulo q ..., and not hashed again)"
  OTR_ASSIGN_OR_RETURN(Bytes sig, backend.DsaSign(our_key, m.view(), random));
  SignedKeyId x;
  x.pub = our_key.pub;
  x.keyid = our_keyid;
  std::copy_n(sig.begin(), x.sig.size(), x.sig.begin());
  const Bytes plain = EncodeSignedKeyId(x);
  SignedPart out;
  out.encrypted_signature.resize(plain.size());
  OTR_RETURN_IF_ERROR(backend.Aes128Ctr(keys.aes, kZeroCounter, plain, out.encrypted_signature));
  out.mac = MacOfEncrypted(backend, keys.mac_enc, out.encrypted_signature);
  return out;
}

Result<SignedKeyId> VerifySignedPart(const crypto::Backend& backend, const SigningKeys& keys,
                                     ByteView signer_dh_public, ByteView verifier_dh_public,
                                     ByteView encrypted_signature, const Mac& mac) {
  const Mac expected = MacOfEncrypted(backend, keys.mac_enc, encrypted_signature);
  if (!crypto::ConstantTimeEqual(expected, mac)) {
    return MakeError(ErrorCode::kBadMac, "AKE: MAC of the encrypted signature");
  }
  Bytes plain(encrypted_signature.size());
  OTR_RETURN_IF_ERROR(backend.Aes128Ctr(keys.aes, kZeroCounter, encrypted_signature, plain));
  OTR_ASSIGN_OR_RETURN(SignedKeyId x, DecodeSignedKeyId(plain));
  const SecretBytes m =
      ComputeM(backend, keys.mac_m, signer_dh_public, verifier_dh_public, x.pub, x.keyid);
  OTR_RETURN_IF_ERROR(backend.DsaVerify(x.pub, m.view(), x.sig));
  return x;
}

}  // namespace otr::v3
