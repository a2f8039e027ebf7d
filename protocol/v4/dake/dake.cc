// otrv4.md, "Interactive DAKE Overview", "Identity Message", "Auth-R
// Message", "Auth-I Message", "Shared Secrets", "Secure Session ID".
#include "protocol/v4/dake/dake.h"

#include <algorithm>
#include <utility>

#include "protocol/v4/crypto/dh3072.h"
#include "protocol/v4/crypto/kdf.h"
#include "protocol/v4/crypto/ring_signature.h"
#include "protocol/v4/profile/client_profile.h"
#include "protocol/v4/ratchet/derive.h"

namespace otr::v4::dake {

using crypto::SecretBytes;

namespace {

DakeError Fail(DakeCheck check, ErrorCode cause) { return DakeError{check, cause, std::nullopt}; }

// The values a received Identity or Auth-R carries besides its sigma.
struct Offered {
  const Header* header;
  const ClientProfile* client_profile;
  const Point* ecdh;
  const Mpi* dh;
  const Point* ecdh_first;
  const Mpi* dh_first;
};

// The checks "Identity Message" and "Auth-R Message" share, in the spec's
// order: the Client Profile ("Validating a Client Profile", its owner tag
// equal to the message's sender tag), the ECDH key ("Verifying that a
// point is on the curve": Ed448Decode decodes and validates), the DH key
// ("Verifying that an integer is in the DH group"), and the first keys.
Checked<TheirDakeKeys> ValidateOffered(const crypto::Backend& backend, const Offered& in,
                                       int64_t now) {
  const wire::InstanceTag sender = in.header->sender_instance_tag;
  if (sender < wire::kMinInstanceTag) {
    return Fail(DakeCheck::kSenderInstanceTag, ErrorCode::kInvalidInstanceTag);
  }
  // H and F come back decoded from the validation (decision 0033).
  profile::ClientProfileKeys profile_keys;
  const profile::ProfileStatus ps =
      profile::ValidateClientProfile(backend, *in.client_profile, sender, now, 0, profile_keys);
  if (!ps.ok()) return DakeError{DakeCheck::kClientProfile, ps.cause(), ps.error()};
  TheirDakeKeys their;
  their.instance_tag = sender;
  auto ecdh = backend.Ed448Decode(*in.ecdh);
  if (!ecdh.ok()) return Fail(DakeCheck::kEcdhKey, ecdh.code());
  if (Status s = CheckDhGroupElement(backend, *in.dh); !s.ok()) {
    return Fail(DakeCheck::kDhKey, s.code());
  }
  auto ecdh_first = backend.Ed448Decode(*in.ecdh_first);
  if (!ecdh_first.ok()) return Fail(DakeCheck::kEcdhFirst, ecdh_first.code());
  if (Status s = CheckDhGroupElement(backend, *in.dh_first); !s.ok()) {
    return Fail(DakeCheck::kDhFirst, s.code());
  }
  their.client_profile = *in.client_profile;
  their.h = profile_keys.h;
  their.f = profile_keys.f;
  their.ecdh = *ecdh;
  their.dh = *in.dh;
  their.ecdh_first = *ecdh_first;
  their.dh_first = *in.dh_first;
  return their;
}

// K from TheirDakeKeys, whose dh ValidateOffered checked: the check is not
// repeated (decision 0033). Otherwise MixedSharedSecret below.
Result<SecretBytes> MixedSharedSecretOfChecked(const crypto::Backend& backend,
                                               const SecretBytes& our_ecdh_secret,
                                               const crypto::Ed448Point& their_ecdh,
                                               const SecretBytes& our_dh_secret,
                                               ByteView checked_their_dh) {
  OTR_ASSIGN_OR_RETURN(const SecretBytes k_ecdh,
                       ratchet::Ecdh(backend, our_ecdh_secret, their_ecdh));
  OTR_ASSIGN_OR_RETURN(const SecretBytes brace_key,
                       ratchet::DhBraceKeyOfChecked(backend, our_dh_secret, checked_their_dh));
  return ratchet::MixedSharedSecret(backend, k_ecdh, brace_key);
}

RingSigma ToSigma(const RingSig& s) { return RingSigma{s.c1, s.r1, s.c2, s.r2, s.c3, s.r3}; }
RingSig ToRingSig(const RingSigma& s) { return RingSig{s.c1, s.r1, s.c2, s.r2, s.c3, s.r3}; }

PhiParty OurPhiParty(wire::InstanceTag tag, const EcdhKeyPair& ecdh_first,
                     const crypto::DhKeyPair& dh_first) {
  return PhiParty{tag, ecdh_first.pub_encoded(), dh_first.pub};
}

PhiParty TheirPhiParty(const crypto::Backend& backend, const TheirDakeKeys& their) {
  return PhiParty{their.instance_tag, backend.Ed448Encode(their.ecdh_first), their.dh_first};
}

}  // namespace

Result<OurDakeKeys> GenerateOurDakeKeys(const crypto::Backend& backend, crypto::Random& random) {
  OurDakeKeys keys;
  OTR_ASSIGN_OR_RETURN(keys.ecdh, GenerateEcdh(backend, random));
  OTR_ASSIGN_OR_RETURN(keys.dh, GenerateDh(backend, random));
  OTR_ASSIGN_OR_RETURN(keys.ecdh_first, GenerateEcdh(backend, random));
  OTR_ASSIGN_OR_RETURN(keys.dh_first, GenerateDh(backend, random));
  return keys;
}

Result<SecretBytes> MixedSharedSecret(const crypto::Backend& backend,
                                      const SecretBytes& our_ecdh_secret,
                                      const crypto::Ed448Point& their_ecdh,
                                      const SecretBytes& our_dh_secret, ByteView their_dh) {
  // "K_ecdh = ECDH(our_ecdh.secret, their_ecdh)" with the all-zero check.
  OTR_ASSIGN_OR_RETURN(const SecretBytes k_ecdh,
                       ratchet::Ecdh(backend, our_ecdh_secret, their_ecdh));
  // "k_dh = DH(our_dh.secret, their_dh)", "brace_key = KDF(usage_third_brace_key
  // || k_dh, 32). Securely deletes k_dh." (DhBraceKey wipes k_dh.)
  OTR_ASSIGN_OR_RETURN(const SecretBytes brace_key,
                       ratchet::DhBraceKey(backend, our_dh_secret, their_dh));
  // "K = KDF(usage_shared_secret || K_ecdh || brace_key, 64)"; K_ecdh and
  // brace_key are wiped when they go out of scope.
  return ratchet::MixedSharedSecret(backend, k_ecdh, brace_key);
}

Ssid ComputeSsid(const crypto::Backend& backend, const SecretBytes& k) {
  Ssid ssid{};
  HwcInto(backend, Usage::kSsid, {k.view()}, ssid);
  return ssid;
}

IdentityMessage MakeIdentity(const OurLongTermKeys& ours, wire::InstanceTag receiver_instance_tag,
                             const OurDakeKeys& keys) {
  IdentityMessage m;
  m.header = Header{ours.instance_tag, receiver_instance_tag};
  m.client_profile = *ours.client_profile;
  m.y = keys.ecdh.pub_encoded();
  m.b = keys.dh.pub;
  m.our_ecdh_first = keys.ecdh_first.pub_encoded();
  m.our_dh_first = keys.dh_first.pub;
  return m;
}

Checked<TheirDakeKeys> ValidateIdentity(const crypto::Backend& backend,
                                        const IdentityMessage& message,
                                        wire::InstanceTag our_instance_tag, ReceiverTagRule rule,
                                        int64_t now) {
  const wire::InstanceTag receiver = message.header.receiver_instance_tag;
  const bool receiver_ok = receiver == our_instance_tag || (rule == ReceiverTagRule::kZeroOrOurs &&
                                                            receiver == wire::kNoInstanceTag);
  if (!receiver_ok) return Fail(DakeCheck::kReceiverInstanceTag, ErrorCode::kUnknownInstance);
  return ValidateOffered(backend,
                         Offered{&message.header, &message.client_profile, &message.y, &message.b,
                                 &message.our_ecdh_first, &message.our_dh_first},
                         now);
}

bool OurIdentityWins(const crypto::Backend& backend, ByteView our_b, ByteView their_b) {
  auto hash = [&](ByteView b) {
    auto ctx = backend.NewHash(crypto::HashAlgorithm::kSha256);
    ctx->Update(b);
    const SecretBytes d = ctx->Finish();
    return Bytes(d.view().begin(), d.view().end());
  };
  const Bytes ours = hash(our_b);
  const Bytes theirs = hash(their_b);
  // Both 32 bytes: lexicographic order is the big-endian numbers' order.
  return std::lexicographical_compare(theirs.begin(), theirs.end(), ours.begin(), ours.end());
}

Result<AuthRSent> MakeAuthR(const crypto::Backend& backend, const OurLongTermKeys& ours,
                            const TheirDakeKeys& their_identity, OurDakeKeys keys,
                            ByteView phi_prime, crypto::Random& random) {
  return MakeAuthRSignedWith(backend, *ours.client_profile, ours.instance_tag, their_identity,
                             std::move(keys), phi_prime, ours.long_term->secret, random);
}

Result<AuthRSent> MakeAuthRSignedWith(const crypto::Backend& backend,
                                      const ClientProfile& our_client_profile,
                                      wire::InstanceTag our_instance_tag,
                                      const TheirDakeKeys& their_identity, OurDakeKeys keys,
                                      ByteView phi_prime, const SecretBytes& signer_secret,
                                      crypto::Random& random) {
  OTR_ASSIGN_OR_RETURN(const crypto::Ed448Point our_h,
                       backend.Ed448Decode(our_client_profile.public_key));
  const TheirDakeKeys& bob = their_identity;
  AuthRSent out;
  PendingAuthI& p = out.pending;
  p.phi = SharedSessionState(OurPhiParty(our_instance_tag, keys.ecdh_first, keys.dh_first),
                             TheirPhiParty(backend, bob), phi_prime);
  p.x = keys.ecdh.pub_encoded();
  p.a = keys.dh.pub;
  // "t = 0x0 || HWC(usage_auth_r_bob_client_profile || Bob_Client_Profile, 64)
  // || HWC(usage_auth_r_alice_client_profile || Alice_Client_Profile, 64) ||
  // Y || X || B || A || HWC(usage_auth_r_phi || phi, 64)".
  const TranscriptValues values{
      &bob.client_profile, &our_client_profile, backend.Ed448Encode(bob.ecdh), p.x, bob.dh, p.a};
  const Bytes t = AuthRT(backend, values, p.phi);
  // "sigma = RSig(H_a, sk_ha, {F_b, H_a, Y}, t)".
  const Ring ring{bob.f, our_h, bob.ecdh};
  OTR_ASSIGN_OR_RETURN(const RingSigma sigma, RSig(backend, signer_secret, ring, t, random));
  // "Calculates the Mixed shared secret (K) and the SSID".
  OTR_ASSIGN_OR_RETURN(
      p.shared_secret,
      MixedSharedSecretOfChecked(backend, keys.ecdh.secret(), bob.ecdh, keys.dh.secret, bob.dh));
  p.ssid = ComputeSsid(backend, p.shared_secret);

  AuthR& m = out.message;
  // "Use the sender's instance tag from the Identity Message as the
  // receiver's instance tag."
  m.header = Header{our_instance_tag, bob.instance_tag};
  m.client_profile = our_client_profile;
  m.x = p.x;
  m.a = p.a;
  m.sigma = ToRingSig(sigma);
  m.our_ecdh_first = keys.ecdh_first.pub_encoded();
  m.our_dh_first = keys.dh_first.pub;

  p.their = bob;
  p.our_ecdh_first = std::move(keys.ecdh_first);
  p.our_dh_first = std::move(keys.dh_first);
  p.our_instance_tag = our_instance_tag;
  // keys.ecdh (x) and keys.dh (a) are wiped as `keys` goes out of scope.
  return out;
}

Checked<AuthRResult> ValidateAuthR(const crypto::Backend& backend, const AuthR& message,
                                   const OurLongTermKeys& ours, const OurDakeKeys& our_keys,
                                   ByteView phi_prime, int64_t now) {
  // "Check that the receiver's instance tag matches your sender's instance tag."
  if (message.header.receiver_instance_tag != ours.instance_tag) {
    return Fail(DakeCheck::kReceiverInstanceTag, ErrorCode::kUnknownInstance);
  }
  Checked<TheirDakeKeys> checked =
      ValidateOffered(backend,
                      Offered{&message.header, &message.client_profile, &message.x, &message.a,
                              &message.our_ecdh_first, &message.our_dh_first},
                      now);
  if (!checked.ok()) return checked.error();
  AuthRResult out;
  out.their = std::move(checked).value();
  const TheirDakeKeys& alice = out.their;

  const Bytes phi =
      SharedSessionState(OurPhiParty(ours.instance_tag, our_keys.ecdh_first, our_keys.dh_first),
                         TheirPhiParty(backend, alice), phi_prime);
  const TranscriptValues values{
      ours.client_profile, &alice.client_profile, our_keys.ecdh.pub_encoded(),
      message.x,           our_keys.dh.pub,       message.a};
  // "RVrf({F_b, H_a, Y}, sigma, t)": F_b is our own forging key.
  auto our_f = backend.Ed448Decode(ours.client_profile->forging_key);
  if (!our_f.ok()) return Fail(DakeCheck::kRingSignature, our_f.code());
  const Ring ring{*our_f, alice.h, our_keys.ecdh.pub()};
  if (Status s = RVrf(backend, ring, ToSigma(message.sigma), AuthRT(backend, values, phi));
      !s.ok()) {
    return Fail(DakeCheck::kRingSignature, s.code());
  }
  auto k = MixedSharedSecretOfChecked(backend, our_keys.ecdh.secret(), alice.ecdh,
                                      our_keys.dh.secret, alice.dh);
  if (!k.ok()) return Fail(DakeCheck::kSharedSecret, k.code());
  out.shared_secret = std::move(k).value();
  out.ssid = ComputeSsid(backend, out.shared_secret);
  out.t_auth_i = AuthIT(backend, values, phi);
  out.our_ecdh_first = our_keys.ecdh_first;
  out.our_dh_first = our_keys.dh_first;
  return out;
}

Result<AuthISent> MakeAuthI(const crypto::Backend& backend, const OurLongTermKeys& ours,
                            AuthRResult auth_r, crypto::Random& random) {
  return MakeAuthISignedWith(backend, *ours.client_profile, ours.instance_tag, std::move(auth_r),
                             ours.long_term->secret, random);
}

Result<AuthISent> MakeAuthISignedWith(const crypto::Backend& backend,
                                      const ClientProfile& our_client_profile,
                                      wire::InstanceTag our_instance_tag, AuthRResult auth_r,
                                      const SecretBytes& signer_secret, crypto::Random& random) {
  OTR_ASSIGN_OR_RETURN(const crypto::Ed448Point our_h,
                       backend.Ed448Decode(our_client_profile.public_key));
  const TheirDakeKeys& alice = auth_r.their;
  // "sigma = RSig(H_b, sk_hb, {H_b, F_a, X}, t)".
  const Ring ring{our_h, alice.f, alice.ecdh};
  OTR_ASSIGN_OR_RETURN(const RingSigma sigma,
                       RSig(backend, signer_secret, ring, auth_r.t_auth_i, random));
  AuthISent out;
  // "Continue to use the sender's instance tag."
  out.message.header = Header{our_instance_tag, alice.instance_tag};
  out.message.sigma = ToRingSig(sigma);
  DakeResult& r = out.result;
  r.role = DakeRole::kAuthISender;
  r.ssid = auth_r.ssid;
  r.ratchet_start =
      ratchet::InteractiveStart{std::move(auth_r.shared_secret), std::move(auth_r.our_ecdh_first),
                                std::move(auth_r.our_dh_first), alice.ecdh_first, alice.dh_first};
  r.their_fingerprint = ComputeFingerprint(backend, alice.h, alice.f);
  r.their_client_profile = alice.client_profile;
  r.their_instance_tag = alice.instance_tag;
  return out;
}

Checked<DakeResult> ValidateAuthI(const crypto::Backend& backend, const AuthI& message,
                                  const OurLongTermKeys& ours, const PendingAuthI& pending) {
  const TheirDakeKeys& bob = pending.their;
  if (message.header.sender_instance_tag != bob.instance_tag) {
    return Fail(DakeCheck::kSenderInstanceTag, ErrorCode::kUnknownInstance);
  }
  // "Check that the receiver's instance tag matches your sender's instance tag."
  if (message.header.receiver_instance_tag != pending.our_instance_tag) {
    return Fail(DakeCheck::kReceiverInstanceTag, ErrorCode::kUnknownInstance);
  }
  const TranscriptValues values{&bob.client_profile,
                                ours.client_profile,
                                backend.Ed448Encode(bob.ecdh),
                                pending.x,
                                bob.dh,
                                pending.a};
  // "RVrf({H_b, F_a, X}, sigma, t)": F_a is our own forging key, X ours.
  auto our_f = backend.Ed448Decode(ours.client_profile->forging_key);
  if (!our_f.ok()) return Fail(DakeCheck::kRingSignature, our_f.code());
  auto x = backend.Ed448Decode(pending.x);
  if (!x.ok()) return Fail(DakeCheck::kRingSignature, x.code());
  const Ring ring{bob.h, *our_f, *x};
  if (Status s = RVrf(backend, ring, ToSigma(message.sigma), AuthIT(backend, values, pending.phi));
      !s.ok()) {
    return Fail(DakeCheck::kRingSignature, s.code());
  }
  DakeResult r;
  r.role = DakeRole::kAuthRSender;
  r.ssid = pending.ssid;
  r.ratchet_start = ratchet::InteractiveStart{pending.shared_secret, pending.our_ecdh_first,
                                              pending.our_dh_first, bob.ecdh_first, bob.dh_first};
  r.their_fingerprint = ComputeFingerprint(backend, bob.h, bob.f);
  r.their_client_profile = bob.client_profile;
  r.their_instance_tag = bob.instance_tag;
  return r;
}

Result<ratchet::Ratchet> StartRatchet(const crypto::Backend& backend, const ratchet::Limits& limits,
                                      DakeResult& result, crypto::Random& random) {
  if (result.role == DakeRole::kAuthISender) {
    return ratchet::Ratchet::StartAuthISender(backend, limits, std::move(result.ratchet_start),
                                              random);
  }
  return ratchet::Ratchet::StartAuthIReceiver(backend, limits, std::move(result.ratchet_start));
}

}  // namespace otr::v4::dake
