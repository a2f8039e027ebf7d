// libotr-ng's variant of the prekey server's DAKE (libotr_ng.h has the list).
#include "protocol/prekey/common/libotr_ng.h"

#include <utility>

#include "protocol/prekey/messages/header.h"
#include "protocol/v4/crypto/kdf.h"
#include "protocol/v4/libotr_ng/client_profile.h"
#include "protocol/v4/libotr_ng/curve.h"
#include "protocol/v4/libotr_ng/ring_signature.h"
#include "protocol/v4/ratchet/derive.h"
#include "protocol/wire/reader.h"
#include "protocol/wire/writer.h"

namespace otr::prekey::libotr_ng {
namespace {

using internal::ReadHeader;
using internal::ReadSenderTag;
using internal::WriteHeader;

constexpr size_t kSharedSecretBytes = 64;  // SK

}  // namespace

Bytes EncodeDake1(const Dake1& m) {
  wire::Writer w;
  WriteHeader(w, MessageType::kDake1);
  w.WriteU32(m.sender_instance_tag);
  w.WriteBytes(m.client_profile);
  v4::WritePoint(w, m.i);
  return std::move(w).Finish();
}

Bytes EncodeDake2(const Dake2& m) {
  wire::Writer w;
  WriteHeader(w, MessageType::kDake2);
  w.WriteU32(m.receiver_instance_tag);
  w.WriteBytes(CompositeIdentityBytes(m.server_identity));
  v4::WritePoint(w, m.s);
  w.WriteBytes(v4::libotr_ng::EncodeRingSig(m.sigma));
  return std::move(w).Finish();
}

Bytes EncodeDake3(const Dake3& m) {
  wire::Writer w;
  WriteHeader(w, MessageType::kDake3);
  w.WriteU32(m.sender_instance_tag);
  w.WriteBytes(v4::libotr_ng::EncodeRingSig(m.sigma));
  v4::WriteData(w, m.message);
  return std::move(w).Finish();
}

Result<Dake1> DecodeDake1(ByteView bytes) {
  wire::Reader r(bytes);
  OTR_RETURN_IF_ERROR(ReadHeader(r, MessageType::kDake1));
  Dake1 m;
  OTR_ASSIGN_OR_RETURN(m.sender_instance_tag, ReadSenderTag(r));
  OTR_ASSIGN_OR_RETURN(m.client_profile, v4::libotr_ng::ReadClientProfileBytes(r));
  OTR_ASSIGN_OR_RETURN(m.i, v4::ReadPoint(r));
  OTR_RETURN_IF_ERROR(r.ExpectEnd());
  return m;
}

Result<Dake3> DecodeDake3(const crypto::Backend& backend, ByteView bytes) {
  wire::Reader r(bytes);
  OTR_RETURN_IF_ERROR(ReadHeader(r, MessageType::kDake3));
  Dake3 m;
  OTR_ASSIGN_OR_RETURN(m.sender_instance_tag, ReadSenderTag(r));
  OTR_ASSIGN_OR_RETURN(const ByteView sigma, r.ReadBytes(v4::libotr_ng::kRingSigWireSize));
  OTR_ASSIGN_OR_RETURN(m.sigma, v4::libotr_ng::DecodeRingSig(backend, sigma));
  OTR_ASSIGN_OR_RETURN(m.message, v4::ReadData(r, kMaxAttachedMessageSize));
  OTR_RETURN_IF_ERROR(r.ExpectEnd());
  return m;
}

Bytes CompositeIdentityBytes(const CompositeIdentity& id) {
  // serialize.c, otrng_serialize_public_key: the type through
  // otrng_serialize_uint16, big-endian (row 1).
  wire::Writer w;
  v4::WriteData(w, id.identity);
  w.WriteU16(v4::kPubkeyTypeEd448);
  v4::WritePoint(w, id.public_key);
  return std::move(w).Finish();
}

Result<crypto::SecretBytes> SharedSecret(const crypto::Backend& backend,
                                         const crypto::SecretBytes& our_secret,
                                         const crypto::Ed448Point& their_public) {
  // prekey_manager.c, create_mac_keys: "ECDH(i, S)" through
  // otrng_ecdh_shared_secret, the peer's point times the held scalar, no
  // cofactor; the spec's all-zero check.
  OTR_ASSIGN_OR_RETURN(
      const crypto::SecretBytes sk_ecdh,
      v4::ratchet::Ecdh(backend, v4::libotr_ng::HeldScalar(backend, our_secret), their_public));
  return v4::PrekeyKdf(backend, v4::PrekeyUsage::kSk, {sk_ecdh.view()}, kSharedSecretBytes);
}

}  // namespace otr::prekey::libotr_ng
