#include "protocol/v4/crypto/dh3072.h"

namespace otr::v4 {

const crypto::ModpGroup& Dh3072Group() {
  return crypto::GetModpGroup(crypto::ModpGroupId::kModp3072);
}

Status CheckDhGroupElement(const crypto::Backend& backend, ByteView x) {
  const crypto::ModpGroup& group = Dh3072Group();
  // Step 1: g3 <= x <= dh_p - g3.
  if (backend.Compare(x, group.g) < 0 || backend.Compare(x, group.p_minus_2) > 0) {
    return MakeError(ErrorCode::kOutOfRange, "DH value outside [2, dh_p-2]");
  }
  // Step 2: x ^ dh_q mod dh_p == 1 (x is public). dh_p = 2 dh_q + 1 is a
  // safe prime, so by Euler's criterion x ^ dh_q = (x | dh_p) mod dh_p: the
  // same verdict from a Jacobi symbol, without a 3072-bit exponentiation
  // (docs/decisions/0022-dh-group-check-by-jacobi.md).
  OTR_ASSIGN_OR_RETURN(int symbol, backend.JacobiPublic(x, group.p));
  if (symbol != 1) {
    return MakeError(ErrorCode::kOutOfRange, "DH value not in the subgroup of order dh_q");
  }
  return Status::Ok();
}

Result<crypto::SecretBytes> DhSharedSecret(const crypto::Backend& backend,
                                           const crypto::SecretBytes& secret,
                                           ByteView peer_public) {
  OTR_RETURN_IF_ERROR(CheckDhGroupElement(backend, peer_public));
  return DhSharedSecretOfChecked(backend, secret, peer_public);
}

Result<crypto::SecretBytes> DhSharedSecretOfChecked(const crypto::Backend& backend,
                                                    const crypto::SecretBytes& secret,
                                                    ByteView checked_peer_public) {
  return backend.ModExp(checked_peer_public, secret, Dh3072Group().p);
}

}  // namespace otr::v4
