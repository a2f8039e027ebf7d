// libotr-ng's interactive DAKE (dake.h has the list of differences).
#include "protocol/v4/libotr_ng/dake.h"

#include <algorithm>
#include <string>
#include <utility>

#include "protocol/v4/crypto/dh3072.h"
#include "protocol/v4/crypto/kdf.h"
#include "protocol/v4/dake/shared_state.h"
#include "protocol/v4/libotr_ng/client_profile.h"
#include "protocol/v4/libotr_ng/curve.h"
#include "protocol/v4/libotr_ng/ring_signature.h"
#include "protocol/v4/messages/data_types.h"
#include "protocol/v4/profile/client_profile.h"
#include "protocol/v4/profile/expiration.h"
#include "protocol/v4/ratchet/derive.h"
#include "protocol/wire/reader.h"
#include "protocol/wire/writer.h"

namespace otr::v4::libotr_ng {

using crypto::SecretBytes;
using dake::DakeCheck;
using dake::DakeError;

namespace {

DakeError Fail(DakeCheck check, ErrorCode cause) { return DakeError{check, cause, std::nullopt}; }

// Identity and Auth-R carry the same five values after their header:
// the Client Profile, the ECDH and DH keys and the first ones (dake.c).
void WriteOffered(wire::Writer& w, ByteView profile, const Point& ecdh, ByteView dh,
                  const Point& ecdh_first, ByteView dh_first) {
  w.WriteBytes(profile);
  WritePoint(w, ecdh);
  WriteMpi(w, dh);
  WritePoint(w, ecdh_first);
  WriteMpi(w, dh_first);
}

Status ReadOffered(wire::Reader& r, Bytes& profile, Point& ecdh, Mpi& dh, Point& ecdh_first,
                   Mpi& dh_first) {
  OTR_ASSIGN_OR_RETURN(profile, ReadClientProfileBytes(r));
  OTR_ASSIGN_OR_RETURN(ecdh, ReadPoint(r));
  OTR_ASSIGN_OR_RETURN(dh, ReadMpi(r));
  OTR_ASSIGN_OR_RETURN(ecdh_first, ReadPoint(r));
  OTR_ASSIGN_OR_RETURN(dh_first, ReadMpi(r));
  return Status::Ok();
}

// The checks Identity and Auth-R share (dake.c, otrng_valid_received_values;
// otrng.c, the Client Profile): libotr-ng's profile bytes verified under
// their signature, its owner tag, expiry and version, then the ECDH and DH
// values; as protocol/v4/dake's ValidateOffered in the spec's order.
Checked<TheirSide> ValidateOffered(const crypto::Backend& backend, const Header& header,
                                   const Bytes& profile_bytes, const Point& ecdh, const Mpi& dh,
                                   int64_t now) {
  const uint32_t sender = header.sender_instance_tag;
  if (sender < wire::kMinInstanceTag) {
    return Fail(DakeCheck::kSenderInstanceTag, ErrorCode::kInvalidInstanceTag);
  }
  auto profile = DecodeAndVerifyClientProfile(backend, profile_bytes);
  if (!profile.ok()) return Fail(DakeCheck::kClientProfile, profile.error().code);
  if (profile->owner_instance_tag != sender) {
    return Fail(DakeCheck::kClientProfile, ErrorCode::kUnknownInstance);
  }
  if (profile::IsExpired(profile->expiration, now) ||
      !profile::OffersVersion(profile->versions, '4')) {
    return Fail(DakeCheck::kClientProfile, ErrorCode::kOutOfRange);
  }
  TheirSide their;
  their.instance_tag = sender;
  auto h = backend.Ed448Decode(profile->public_key);
  auto f = backend.Ed448Decode(profile->forging_key);
  if (!h.ok() || !f.ok()) return Fail(DakeCheck::kClientProfile, ErrorCode::kNotOnCurve);
  auto point = backend.Ed448Decode(ecdh);
  if (!point.ok()) return Fail(DakeCheck::kEcdhKey, point.code());
  if (Status s = CheckDhGroupElement(backend, dh); !s.ok()) {
    return Fail(DakeCheck::kDhKey, s.code());
  }
  their.client_profile = std::move(profile).value();
  their.client_profile_bytes = profile_bytes;
  their.h = *h;
  their.f = *f;
  their.ecdh = *point;
  their.dh = dh;
  return their;
}

// t of Auth-R (0x00) or Auth-I (0x01) over libotr-ng's profile bytes.
Bytes T(const crypto::Backend& backend, bool auth_i, ByteView bob_profile, ByteView alice_profile,
        const Point& y, const Point& x, ByteView b, ByteView a, ByteView phi) {
  const dake::EncodedTranscriptValues v{bob_profile, alice_profile, y, x, b, a};
  return auth_i ? dake::AuthIT(backend, v, phi) : dake::AuthRT(backend, v, phi);
}

}  // namespace

Bytes EncodeIdentity(const IdentityMessage& m) {
  wire::Writer w;
  WriteHeader(w, MessageType::kIdentity, m.header);
  WriteOffered(w, m.client_profile, m.y, m.b, m.y_first, m.b_first);
  return std::move(w).Finish();
}

Bytes EncodeAuthR(const AuthR& m) {
  wire::Writer w;
  WriteHeader(w, MessageType::kAuthR, m.header);
  WriteOffered(w, m.client_profile, m.x, m.a, m.x_first, m.a_first);
  w.WriteBytes(EncodeRingSig(m.sigma));
  return std::move(w).Finish();
}

Bytes EncodeAuthI(const AuthI& m) {
  wire::Writer w;
  WriteHeader(w, MessageType::kAuthI, m.header);
  w.WriteBytes(EncodeRingSig(m.sigma));
  return std::move(w).Finish();
}

Result<IdentityMessage> DecodeIdentity(ByteView bytes) {
  wire::Reader r(bytes);
  IdentityMessage m;
  OTR_ASSIGN_OR_RETURN(m.header, ReadHeader(r, MessageType::kIdentity));
  OTR_RETURN_IF_ERROR(ReadOffered(r, m.client_profile, m.y, m.b, m.y_first, m.b_first));
  OTR_RETURN_IF_ERROR(r.ExpectEnd());
  return m;
}

Result<AuthR> DecodeAuthR(const crypto::Backend& backend, ByteView bytes) {
  wire::Reader r(bytes);
  AuthR m;
  OTR_ASSIGN_OR_RETURN(m.header, ReadHeader(r, MessageType::kAuthR));
  OTR_RETURN_IF_ERROR(ReadOffered(r, m.client_profile, m.x, m.a, m.x_first, m.a_first));
  OTR_ASSIGN_OR_RETURN(const ByteView sigma, r.ReadBytes(kRingSigWireSize));
  OTR_ASSIGN_OR_RETURN(m.sigma, DecodeRingSig(backend, sigma));
  OTR_RETURN_IF_ERROR(r.ExpectEnd());
  return m;
}

Result<AuthI> DecodeAuthI(const crypto::Backend& backend, ByteView bytes) {
  wire::Reader r(bytes);
  AuthI m;
  OTR_ASSIGN_OR_RETURN(m.header, ReadHeader(r, MessageType::kAuthI));
  OTR_ASSIGN_OR_RETURN(const ByteView sigma, r.ReadBytes(kRingSigWireSize));
  OTR_ASSIGN_OR_RETURN(m.sigma, DecodeRingSig(backend, sigma));
  OTR_RETURN_IF_ERROR(r.ExpectEnd());
  return m;
}

Bytes SharedSessionState(uint32_t tag_a, uint32_t tag_b, std::string_view identifier_a,
                         std::string_view identifier_b) {
  // otrng_serialize_phi takes the tags as uint16_t: their low 16 bits.
  const auto a16 = static_cast<uint16_t>(tag_a);
  const auto b16 = static_cast<uint16_t>(tag_b);
  // otrng_generate_session_state_string: strcmp order, concatenated.
  const bool a_first = identifier_a.compare(identifier_b) < 0;
  std::string sss(a_first ? identifier_a : identifier_b);
  sss.append(a_first ? identifier_b : identifier_a);
  wire::Writer w;
  w.WriteU16(std::min(a16, b16));
  w.WriteU16(std::max(a16, b16));
  w.WriteData(AsBytes(sss));
  return std::move(w).Finish();
}

Result<SecretBytes> MixedSharedSecret(const crypto::Backend& backend,
                                      const SecretBytes& our_ecdh_secret,
                                      const crypto::Ed448Point& their_ecdh,
                                      const SecretBytes& our_dh_secret, ByteView their_dh) {
  // otrng_ecdh_shared_secret: the peer's point times the held scalar (#11),
  // with the spec's all-zero check.
  OTR_ASSIGN_OR_RETURN(const SecretBytes k_ecdh,
                       ratchet::Ecdh(backend, HeldScalar(backend, our_ecdh_secret), their_ecdh));
  OTR_ASSIGN_OR_RETURN(const SecretBytes brace_key,
                       ratchet::DhBraceKey(backend, our_dh_secret, their_dh));
  return ratchet::MixedSharedSecret(backend, k_ecdh, brace_key);
}

Result<FirstRatchetKeys> DeriveFirstRatchetKeys(const crypto::Backend& backend,
                                                const SecretBytes& k) {
  FirstRatchetKeys out;
  out.root_key = ratchet::FirstRootKey(backend, k);
  SecretBytes ecdh_seed(kEcdhRandomSize);
  DomainShake256(backend, kOtrv4Domain, kUsageEcdhFirstEphemeral, {k.view()},
                 ecdh_seed.mutable_view());
  OTR_ASSIGN_OR_RETURN(out.ecdh, DeriveEd448KeyPair(backend, ecdh_seed));
  SecretBytes dh_secret(kDhRandomSize);
  DomainShake256(backend, kOtrv4Domain, kUsageDhFirstEphemeral, {k.view()},
                 dh_secret.mutable_view());
  OTR_ASSIGN_OR_RETURN(out.dh, GenerateDhFromRandom(backend, dh_secret));
  return out;
}

IdentityMessage MakeIdentity(const OurSide& ours, uint32_t receiver_instance_tag,
                             const dake::OurDakeKeys& keys) {
  IdentityMessage m;
  m.header = Header{ours.instance_tag, receiver_instance_tag};
  m.client_profile = ours.client_profile_bytes;
  m.y = keys.ecdh.pub_encoded();
  m.b = keys.dh.pub;
  // Sent, never used by libotr-ng (#16); the spec's keys for the spec's slot.
  m.y_first = keys.ecdh_first.pub_encoded();
  m.b_first = keys.dh_first.pub;
  return m;
}

Checked<TheirSide> ValidateSenderValues(const crypto::Backend& backend, const Header& header,
                                        const Bytes& profile_bytes, const Point& ecdh,
                                        const Mpi& dh, int64_t now) {
  return ValidateOffered(backend, header, profile_bytes, ecdh, dh, now);
}

Checked<TheirSide> ValidateIdentity(const crypto::Backend& backend, const IdentityMessage& m,
                                    uint32_t our_instance_tag, int64_t now) {
  const uint32_t receiver = m.header.receiver_instance_tag;
  if (receiver != wire::kNoInstanceTag && receiver != our_instance_tag) {
    return Fail(DakeCheck::kReceiverInstanceTag, ErrorCode::kUnknownInstance);
  }
  return ValidateOffered(backend, m.header, m.client_profile, m.y, m.b, now);
}

Result<AuthRSent> MakeAuthR(const crypto::Backend& backend, const OurSide& ours,
                            const TheirSide& bob, std::string_view their_identifier,
                            const dake::OurDakeKeys& keys, crypto::Random& random) {
  AuthRSent out;
  out.phi =
      SharedSessionState(ours.instance_tag, bob.instance_tag, ours.identifier, their_identifier);
  out.x = keys.ecdh.pub_encoded();
  out.a = keys.dh.pub;
  const Bytes t = T(backend, false, bob.client_profile_bytes, ours.client_profile_bytes,
                    backend.Ed448Encode(bob.ecdh), out.x, bob.dh, out.a, out.phi);
  // "sigma = RSig(H_a, sk_ha, {F_b, H_a, Y}, t)", libotr-ng's RSig.
  const Ring ring{bob.f, ours.long_term->pub, bob.ecdh};
  OTR_ASSIGN_OR_RETURN(const RingSigma sigma,
                       libotr_ng::RSig(backend, ours.long_term->secret, ring, t, random));
  OTR_ASSIGN_OR_RETURN(
      out.pending.shared_secret,
      MixedSharedSecret(backend, keys.ecdh.secret(), bob.ecdh, keys.dh.secret, bob.dh));
  out.pending.ssid = dake::ComputeSsid(backend, out.pending.shared_secret);
  out.pending.their = bob;
  AuthR& m = out.message;
  m.header = Header{ours.instance_tag, bob.instance_tag};
  m.client_profile = ours.client_profile_bytes;
  m.x = out.x;
  m.a = out.a;
  m.x_first = keys.ecdh_first.pub_encoded();
  m.a_first = keys.dh_first.pub;
  m.sigma = sigma;
  return out;
}

Checked<AuthISent> ValidateAuthRAndMakeAuthI(const crypto::Backend& backend, const AuthR& m,
                                             const OurSide& ours, const dake::OurDakeKeys& keys,
                                             std::string_view their_identifier, int64_t now,
                                             crypto::Random& random) {
  if (m.header.receiver_instance_tag != ours.instance_tag) {
    return Fail(DakeCheck::kReceiverInstanceTag, ErrorCode::kUnknownInstance);
  }
  Checked<TheirSide> checked = ValidateOffered(backend, m.header, m.client_profile, m.x, m.a, now);
  if (!checked.ok()) return checked.error();
  TheirSide alice = std::move(checked).value();
  const Bytes phi =
      SharedSessionState(ours.instance_tag, alice.instance_tag, ours.identifier, their_identifier);
  const Point y = keys.ecdh.pub_encoded();
  // "RVrf({F_b, H_a, Y}, sigma, t)" under libotr-ng's RVrf.
  auto our_f = backend.Ed448Decode(ours.client_profile->forging_key);
  if (!our_f.ok()) return Fail(DakeCheck::kRingSignature, our_f.code());
  const Bytes t_r = T(backend, false, ours.client_profile_bytes, alice.client_profile_bytes, y, m.x,
                      keys.dh.pub, m.a, phi);
  if (Status s = libotr_ng::RVrf(backend, Ring{*our_f, alice.h, keys.ecdh.pub()}, m.sigma, t_r);
      !s.ok()) {
    return Fail(DakeCheck::kRingSignature, s.code());
  }
  auto k = MixedSharedSecret(backend, keys.ecdh.secret(), alice.ecdh, keys.dh.secret, alice.dh);
  if (!k.ok()) return Fail(DakeCheck::kSharedSecret, k.code());
  // "sigma = RSig(H_b, sk_hb, {H_b, F_a, X}, t)".
  const Bytes t_i = T(backend, true, ours.client_profile_bytes, alice.client_profile_bytes, y, m.x,
                      keys.dh.pub, m.a, phi);
  auto sigma = libotr_ng::RSig(backend, ours.long_term->secret,
                               Ring{ours.long_term->pub, alice.f, alice.ecdh}, t_i, random);
  if (!sigma.ok()) return Fail(DakeCheck::kRingSignature, sigma.code());
  AuthISent out;
  out.message.header = Header{ours.instance_tag, alice.instance_tag};
  out.message.sigma = *sigma;
  out.established.shared_secret = std::move(k).value();
  out.established.ssid = dake::ComputeSsid(backend, out.established.shared_secret);
  out.established.their = std::move(alice);
  return out;
}

Checked<Established> ValidateAuthI(const crypto::Backend& backend, const AuthI& m,
                                   const OurSide& ours, AuthRSent pending) {
  const TheirSide& bob = pending.pending.their;
  if (m.header.sender_instance_tag != bob.instance_tag) {
    return Fail(DakeCheck::kSenderInstanceTag, ErrorCode::kUnknownInstance);
  }
  if (m.header.receiver_instance_tag != ours.instance_tag) {
    return Fail(DakeCheck::kReceiverInstanceTag, ErrorCode::kUnknownInstance);
  }
  auto our_f = backend.Ed448Decode(ours.client_profile->forging_key);
  auto x = backend.Ed448Decode(pending.x);
  if (!our_f.ok() || !x.ok()) return Fail(DakeCheck::kRingSignature, ErrorCode::kNotOnCurve);
  const Bytes t = T(backend, true, bob.client_profile_bytes, ours.client_profile_bytes,
                    backend.Ed448Encode(bob.ecdh), pending.x, bob.dh, pending.a, pending.phi);
  if (Status s = libotr_ng::RVrf(backend, Ring{bob.h, *our_f, *x}, m.sigma, t); !s.ok()) {
    return Fail(DakeCheck::kRingSignature, s.code());
  }
  return std::move(pending.pending);
}

}  // namespace otr::v4::libotr_ng
