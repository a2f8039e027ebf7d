// otrv4.md, "Non-Interactive DAKE Overview", "Prekey Message",
// "Non-Interactive-Auth Message", "Validating Prekey Ensembles"; the
// readings are in xzdh.h.
#include "protocol/v4/dake/xzdh.h"

#include <algorithm>
#include <utility>

#include "protocol/v4/crypto/dh3072.h"
#include "protocol/v4/crypto/kdf.h"
#include "protocol/v4/crypto/ring_signature.h"
#include "protocol/v4/dake/shared_state.h"
#include "protocol/v4/profile/client_profile.h"
#include "protocol/v4/profile/prekey_ensemble.h"
#include "protocol/v4/ratchet/derive.h"
#include "protocol/wire/writer.h"

namespace otr::v4::dake {

using crypto::SecretBytes;

namespace {

inline constexpr size_t kTmpKeySize = 64;
inline constexpr size_t kAuthMacKeySize = 64;

DakeError Fail(DakeCheck check, ErrorCode cause) { return DakeError{check, cause, std::nullopt}; }

RingSigma ToSigma(const RingSig& s) { return RingSigma{s.c1, s.r1, s.c2, s.r2, s.c3, s.r3}; }
RingSig ToRingSig(const RingSigma& s) { return RingSig{s.c1, s.r1, s.c2, s.r2, s.c3, s.r3}; }

// The three ECDH values and the brace key, then tmp_k (the side that holds
// x computes ECDH(x, Y), ECDH(x, D_b), ECDH(x, H_b); the side that holds y,
// sk_d and sk_hb computes ECDH(y, X), ECDH(sk_d, X), ECDH(sk_hb, X): the
// same points).
Result<SecretBytes> ComputeTmpKey(const crypto::Backend& backend, const SecretBytes& e1,
                                  const crypto::Ed448Point& p1, const SecretBytes& e2,
                                  const crypto::Ed448Point& p2, const SecretBytes& e3,
                                  const crypto::Ed448Point& p3, const SecretBytes& our_dh_secret,
                                  ByteView their_dh, SecretBytes& brace_key_out) {
  OTR_ASSIGN_OR_RETURN(const SecretBytes k_ecdh, ratchet::Ecdh(backend, e1, p1));
  OTR_ASSIGN_OR_RETURN(const SecretBytes ecdh_d, ratchet::Ecdh(backend, e2, p2));
  OTR_ASSIGN_OR_RETURN(const SecretBytes ecdh_h, ratchet::Ecdh(backend, e3, p3));
  // "k_dh = DH(a, their_dh) and brace_key = KDF(usage_third_brace_key ||
  // k_dh, 32). Securely delete k_dh." (DhBraceKey wipes k_dh.)
  OTR_ASSIGN_OR_RETURN(brace_key_out, ratchet::DhBraceKey(backend, our_dh_secret, their_dh));
  return TmpKey(backend, k_ecdh, ecdh_d, ecdh_h, brace_key_out);
}

Mac ToMac(const SecretBytes& s) {
  Mac m{};
  const Bytes plain = s.Declassify();  // the MAC is sent in the clear
  std::copy(plain.begin(), plain.end(), m.begin());
  return m;
}

}  // namespace

// ---- the pieces ----

Bytes NonInteractiveSessionState(wire::InstanceTag alice_tag, wire::InstanceTag bob_tag,
                                 const Point& alice_ecdh_first, ByteView alice_dh_first,
                                 ByteView phi_prime) {
  wire::Writer w;
  // "sort the instance tag by numerical order".
  w.WriteU32(std::min(alice_tag, bob_tag));
  w.WriteU32(std::max(alice_tag, bob_tag));
  WritePoint(w, alice_ecdh_first);
  WriteMpi(w, alice_dh_first);
  w.WriteBytes(phi_prime);
  return std::move(w).Finish();
}

Bytes NonInteractiveAuthT(const crypto::Backend& backend, const NonInteractiveTranscript& v,
                          ByteView phi) {
  wire::Writer w;
  w.Reserve(kTCapacity);
  WriteTHash(backend, w, Usage::kNonIntAuthBobClientProfile, *v.bob_client_profile);
  WriteTHash(backend, w, Usage::kNonIntAuthAliceClientProfile, *v.alice_client_profile);
  WritePoint(w, v.y);
  WritePoint(w, v.x);
  WriteMpi(w, v.b);
  WriteMpi(w, v.a);
  WritePoint(w, v.shared_prekey);
  WriteTHash(backend, w, Usage::kNonIntAuthPhi, phi);
  return std::move(w).Finish();
}

SecretBytes TmpKey(const crypto::Backend& backend, const SecretBytes& k_ecdh,
                   const SecretBytes& ecdh_shared_prekey, const SecretBytes& ecdh_long_term,
                   const SecretBytes& brace_key) {
  return Kdf(backend, Usage::kTmpKey,
             {k_ecdh.view(), ecdh_shared_prekey.view(), ecdh_long_term.view(), brace_key.view()},
             kTmpKeySize);
}

SecretBytes AuthMac(const crypto::Backend& backend, const SecretBytes& tmp_k, ByteView t) {
  const SecretBytes auth_mac_k = Kdf(backend, Usage::kAuthMacKey, {tmp_k.view()}, kAuthMacKeySize);
  return Hcmac(backend, Usage::kAuthMac, {auth_mac_k.view(), t}, kMacSize);
}

SecretBytes NonInteractiveSharedSecret(const crypto::Backend& backend, const SecretBytes& tmp_k) {
  return Kdf(backend, Usage::kSharedSecret, {tmp_k.view()}, ratchet::kSharedSecretSize);
}

// ---- Bob: prekey messages ----

Result<MadePrekeyMessage> MakePrekeyMessage(const crypto::Backend& backend,
                                            wire::InstanceTag owner_instance_tag,
                                            crypto::Random& random) {
  if (owner_instance_tag < wire::kMinInstanceTag) {
    return MakeError(ErrorCode::kInvalidInstanceTag, "Prekey Message owner instance tag");
  }
  MadePrekeyMessage out;
  // "Generate a unique random id ... 4 byte unsigned value, big-endian".
  uint32_t id = 0;
  while (id == 0) {
    std::array<uint8_t, 4> buf{};
    random.Fill(buf);
    id = (uint32_t{buf[0]} << 24) | (uint32_t{buf[1]} << 16) | (uint32_t{buf[2]} << 8) | buf[3];
  }
  OTR_ASSIGN_OR_RETURN(out.secrets.ecdh, GenerateEcdh(backend, random));
  OTR_ASSIGN_OR_RETURN(out.secrets.dh, GenerateDh(backend, random));
  out.secrets.identifier = id;
  out.secrets.owner_instance_tag = owner_instance_tag;
  out.message.identifier = id;
  out.message.owner_instance_tag = owner_instance_tag;
  out.message.y = out.secrets.ecdh.pub_encoded();
  out.message.b = out.secrets.dh.pub;
  return out;
}

// ---- Alice ----

Checked<TheirPrekeyEnsemble> ValidateEnsemble(const crypto::Backend& backend,
                                              const PrekeyEnsembleValues& e, int64_t now,
                                              std::string_view our_versions) {
  const profile::ProfileStatus ps = profile::ValidatePrekeyEnsemble(
      backend, e.client_profile, e.prekey_profile, e.prekey_message, now, our_versions);
  if (!ps.ok()) return DakeError{DakeCheck::kPrekeyEnsemble, ps.cause(), ps.error()};
  // Every value decodes: ValidatePrekeyEnsemble checked each point and B.
  auto h = backend.Ed448Decode(e.client_profile.public_key);
  auto f = backend.Ed448Decode(e.client_profile.forging_key);
  auto d = backend.Ed448Decode(e.prekey_profile.shared_prekey);
  auto y = backend.Ed448Decode(e.prekey_message.y);
  if (!h.ok() || !f.ok() || !d.ok() || !y.ok()) {
    return Fail(DakeCheck::kPrekeyEnsemble, ErrorCode::kNotOnCurve);
  }
  TheirPrekeyEnsemble out;
  out.values = e;
  out.instance_tag = e.prekey_message.owner_instance_tag;
  out.h = *h;
  out.f = *f;
  out.d = *d;
  out.y = *y;
  out.b = e.prekey_message.b;
  return out;
}

Result<NonInteractiveAuthSent> MakeNonInteractiveAuth(const crypto::Backend& backend,
                                                      const OurLongTermKeys& ours,
                                                      const TheirPrekeyEnsemble& ensemble,
                                                      OurDakeKeys keys, ByteView phi_prime,
                                                      crypto::Random& random) {
  return MakeNonInteractiveAuthSignedWith(backend, *ours.client_profile, ours.instance_tag,
                                          ensemble, std::move(keys), phi_prime,
                                          ours.long_term->secret, random);
}

Result<NonInteractiveAuthSent> MakeNonInteractiveAuthSignedWith(
    const crypto::Backend& backend, const ClientProfile& our_client_profile,
    wire::InstanceTag our_instance_tag, const TheirPrekeyEnsemble& bob, OurDakeKeys keys,
    ByteView phi_prime, const SecretBytes& signer_secret, crypto::Random& random) {
  OTR_ASSIGN_OR_RETURN(const crypto::Ed448Point our_h,
                       backend.Ed448Decode(our_client_profile.public_key));
  // "Compute K_ecdh = ECDH(x, their_ecdh)", "k_dh = DH(a, their_dh)",
  // brace_key, "tmp_k = KDF(usage_tmp_key || K_ecdh || ECDH(x,
  // their_shared_prekey) || ECDH(x, H_b) || brace_key, 64)".
  SecretBytes brace_key;
  OTR_ASSIGN_OR_RETURN(const SecretBytes tmp_k,
                       ComputeTmpKey(backend, keys.ecdh.secret(), bob.y, keys.ecdh.secret(), bob.d,
                                     keys.ecdh.secret(), bob.h, keys.dh.secret, bob.b, brace_key));
  NonInteractiveAuthSent out;
  NonInteractiveAuth& m = out.message;
  m.header = Header{our_instance_tag, bob.instance_tag};
  m.client_profile = our_client_profile;
  m.x = keys.ecdh.pub_encoded();
  m.a = keys.dh.pub;
  m.prekey_message_identifier = bob.values.prekey_message.identifier;
  m.our_ecdh_first = keys.ecdh_first.pub_encoded();
  m.our_dh_first = keys.dh_first.pub;

  const Bytes phi = NonInteractiveSessionState(our_instance_tag, bob.instance_tag, m.our_ecdh_first,
                                               m.our_dh_first, phi_prime);
  const NonInteractiveTranscript values{&bob.values.client_profile,
                                        &our_client_profile,
                                        bob.values.prekey_message.y,
                                        m.x,
                                        bob.b,
                                        m.a,
                                        bob.values.prekey_profile.shared_prekey};
  const Bytes t = NonInteractiveAuthT(backend, values, phi);
  // "sigma = RSig(H_a, sk_ha, {F_b, H_a, Y}, t)".
  const Ring ring{bob.f, our_h, bob.y};
  OTR_ASSIGN_OR_RETURN(const RingSigma sigma, RSig(backend, signer_secret, ring, t, random));
  m.sigma = ToRingSig(sigma);
  // "Auth MAC = HCMAC(usage_auth_MAC || auth_mac_k || t, 64)".
  m.auth_mac = ToMac(AuthMac(backend, tmp_k, t));

  XzdhResult& r = out.result;
  r.role = XzdhRole::kAuthSender;
  // "K = KDF(usage_shared_secret || tmp_k, 64)", "HWC(usage_SSID || K, 8)".
  r.ratchet_start.shared_secret = NonInteractiveSharedSecret(backend, tmp_k);
  r.ssid = ComputeSsid(backend, r.ratchet_start.shared_secret);
  r.ratchet_start.brace_key = std::move(brace_key);
  // "our_ecdh.secret = our_ecdh_first.secret" ...: the ratchet keeps the first keys.
  r.ratchet_start.our_ecdh_first = std::move(keys.ecdh_first);
  r.ratchet_start.our_dh_first = std::move(keys.dh_first);
  r.ratchet_start.their_ecdh = bob.y;
  r.ratchet_start.their_dh = bob.b;
  r.their_fingerprint = ComputeFingerprint(backend, bob.h, bob.f);
  r.their_client_profile = bob.values.client_profile;
  r.their_instance_tag = bob.instance_tag;
  r.prekey_message_identifier = m.prekey_message_identifier;
  // keys.ecdh (x) and keys.dh (a) are wiped as `keys` goes out of scope.
  return out;
}

// ---- Bob ----

Checked<XzdhResult> ValidateNonInteractiveAuth(const crypto::Backend& backend,
                                               const NonInteractiveAuth& message,
                                               const OurLongTermKeys& ours,
                                               const OurPrekeyValues& values, ByteView phi_prime,
                                               int64_t now) {
  // "Check that the receiver's instance tag matches your prekey message
  // sender's instance tag." (Type 0x0D and version 4 are the decoder's.)
  if (message.header.receiver_instance_tag != ours.instance_tag) {
    return Fail(DakeCheck::kReceiverInstanceTag, ErrorCode::kUnknownInstance);
  }
  const wire::InstanceTag sender = message.header.sender_instance_tag;
  if (sender < wire::kMinInstanceTag) {
    return Fail(DakeCheck::kSenderInstanceTag, ErrorCode::kInvalidInstanceTag);
  }
  // "Validate the received ECDH ephemeral public key X is on curve Ed448."
  auto x = backend.Ed448Decode(message.x);
  if (!x.ok()) return Fail(DakeCheck::kEcdhKey, x.code());
  // "Validate that the received DH ephemeral public key A is on the correct group."
  if (Status s = CheckDhGroupElement(backend, message.a); !s.ok()) {
    return Fail(DakeCheck::kDhKey, s.code());
  }
  auto ecdh_first = backend.Ed448Decode(message.our_ecdh_first);
  if (!ecdh_first.ok()) return Fail(DakeCheck::kEcdhFirst, ecdh_first.code());
  if (Status s = CheckDhGroupElement(backend, message.our_dh_first); !s.ok()) {
    return Fail(DakeCheck::kDhFirst, s.code());
  }
  // "Validates Alice's Client Profile and extracts H_a and F_a from it."
  // H_a and F_a come back decoded from the validation (decision 0033).
  profile::ClientProfileKeys alice_keys;
  const profile::ProfileStatus ps =
      profile::ValidateClientProfile(backend, message.client_profile, sender, now, 0, alice_keys);
  if (!ps.ok()) return DakeError{DakeCheck::kClientProfile, ps.cause(), ps.error()};
  const crypto::Ed448Point* h_a = &alice_keys.h;
  const crypto::Ed448Point* f_a = &alice_keys.f;
  // "Retrieves his corresponding Prekey message from local storage, by using
  // the 'Prekey Indentifier' ... If [it] does not correspond to any Prekey
  // message on local storage: Aborts the DAKE."
  const PrekeySecrets* prekey = values.prekey;
  if (prekey == nullptr || prekey->identifier != message.prekey_message_identifier ||
      prekey->owner_instance_tag != ours.instance_tag) {
    return Fail(DakeCheck::kPrekeyMessageIdentifier, ErrorCode::kUnknownKeyId);
  }
  // "Retrieves his corresponding Client Profile / Prekey Profile from local
  // storage. If there is no ...: Aborts the DAKE."
  if (ours.client_profile == nullptr || values.prekey_profile == nullptr ||
      values.shared_prekey_secret == nullptr || ours.long_term == nullptr) {
    return Fail(DakeCheck::kOurProfiles, ErrorCode::kBadState);
  }
  // (Version: Alice's validated profile offers 4, and so do we.)
  // "Verifies the Non-Interactive-Auth message": t and RVrf({F_b, H_a, Y}, sigma, t).
  const Bytes phi = NonInteractiveSessionState(sender, ours.instance_tag, message.our_ecdh_first,
                                               message.our_dh_first, phi_prime);
  const Point y = prekey->ecdh.pub_encoded();
  auto verify = [&](const ClientProfile& our_profile) -> Result<Bytes> {
    OTR_ASSIGN_OR_RETURN(const crypto::Ed448Point f_b,
                         backend.Ed448Decode(our_profile.forging_key));
    const NonInteractiveTranscript tv{&our_profile,
                                      &message.client_profile,
                                      y,
                                      message.x,
                                      prekey->dh.pub,
                                      message.a,
                                      values.prekey_profile->shared_prekey};
    Bytes t = NonInteractiveAuthT(backend, tv, phi);
    const Ring ring{f_b, *h_a, prekey->ecdh.pub()};
    OTR_RETURN_IF_ERROR(RVrf(backend, ring, ToSigma(message.sigma), t));
    return t;
  };
  Result<Bytes> t = verify(*ours.client_profile);
  for (const ClientProfile* other : values.other_client_profiles) {
    if (t.ok()) break;
    if (other != nullptr) t = verify(*other);
  }
  if (!t.ok()) return Fail(DakeCheck::kRingSignature, t.code());

  // "K_ecdh = ECDH(our_ecdh.secret, their_ecdh)", "k_dh = DH(our_dh.secret,
  // their_dh)", brace_key, "tmp_k = KDF(usage_tmp_key || K_ecdh ||
  // ECDH(our_shared_prekey.secret, their_ecdh) || ECDH(sk_hb, their_ecdh) ||
  // brace_key, 64)".
  SecretBytes brace_key;
  auto tmp_k = ComputeTmpKey(backend, prekey->ecdh.secret(), *x, *values.shared_prekey_secret, *x,
                             ours.long_term->secret, *x, prekey->dh.secret, message.a, brace_key);
  if (!tmp_k.ok()) return Fail(DakeCheck::kSharedSecret, tmp_k.code());
  // "Computes Auth MAC ... verifies that it is equal to the one just
  // calculated. If it is not, ignore the Non-Interactive-Auth message."
  const SecretBytes mac = AuthMac(backend, *tmp_k, *t);
  if (!crypto::ConstantTimeEqual(mac.view(), message.auth_mac)) {
    return Fail(DakeCheck::kAuthMac, ErrorCode::kBadMac);
  }
  XzdhResult r;
  r.role = XzdhRole::kAuthReceiver;
  r.ratchet_start.shared_secret = NonInteractiveSharedSecret(backend, *tmp_k);
  r.ssid = ComputeSsid(backend, r.ratchet_start.shared_secret);
  r.ratchet_start.brace_key = std::move(brace_key);
  // "Sets the received their_ecdh_first from Alice as their_ecdh", likewise their_dh.
  r.ratchet_start.their_ecdh = *ecdh_first;
  r.ratchet_start.their_dh = message.our_dh_first;
  r.their_fingerprint = ComputeFingerprint(backend, *h_a, *f_a);
  r.their_client_profile = message.client_profile;
  r.their_instance_tag = sender;
  r.prekey_message_identifier = message.prekey_message_identifier;
  return r;
}

Result<ratchet::Ratchet> StartXzdhRatchet(const crypto::Backend& backend,
                                          const ratchet::Limits& limits, XzdhResult& result) {
  if (result.role == XzdhRole::kAuthSender) {
    return ratchet::Ratchet::StartNonInteractiveAuthSender(backend, limits,
                                                           std::move(result.ratchet_start));
  }
  return ratchet::Ratchet::StartNonInteractiveAuthReceiver(backend, limits,
                                                           std::move(result.ratchet_start));
}

}  // namespace otr::v4::dake
