// otrv4.md, "Forging Transcripts" and "Forger Keys": the whole interactive
// DAKE made by one party with the honest functions of dake.h.
#include "protocol/v4/dake/forge.h"

#include <optional>
#include <utility>

#include "protocol/v4/crypto/dh3072.h"
#include "protocol/v4/crypto/ring_signature.h"
#include "protocol/v4/profile/client_profile.h"

namespace otr::v4::dake {

using crypto::SecretBytes;

namespace {

Status CheckRequest(const ForgeRequest& r) {
  if (r.bob_client_profile == nullptr || r.alice_client_profile == nullptr) {
    return MakeError(ErrorCode::kBadState, "forge: a Client Profile is missing");
  }
  if (r.forger_key != ForgerKey::kNone && r.secret == nullptr) {
    return MakeError(ErrorCode::kInvalidKey, "forge: the forger's secret is missing");
  }
  return Status::Ok();
}

}  // namespace

Result<ForgedDake> ForgeInteractiveDake(const crypto::Backend& backend, const ForgeRequest& request,
                                        crypto::Random& random) {
  OTR_RETURN_IF_ERROR(CheckRequest(request));
  const OurLongTermKeys bob{nullptr, request.bob_client_profile, request.bob_instance_tag};
  const OurLongTermKeys alice{nullptr, request.alice_client_profile, request.alice_instance_tag};
  OTR_ASSIGN_OR_RETURN(OurDakeKeys bob_keys, GenerateOurDakeKeys(backend, random));
  OTR_ASSIGN_OR_RETURN(OurDakeKeys alice_keys, GenerateOurDakeKeys(backend, random));
  // The forger made both ephemeral keys: y signs {F_b, H_a, Y}, x signs
  // {H_b, F_a, X}, unless the forger's key takes one of the rings.
  const SecretBytes y = bob_keys.ecdh.secret();
  const SecretBytes x = alice_keys.ecdh.secret();
  const SecretBytes* auth_r_signer = &y;
  const SecretBytes* auth_i_signer = &x;
  switch (request.forger_key) {
    case ForgerKey::kNone:
      break;
    case ForgerKey::kAliceLongTerm:  // H_a is in Auth-R's ring
    case ForgerKey::kBobForgingKey:  // F_b is in Auth-R's ring
      auth_r_signer = request.secret;
      break;
    case ForgerKey::kBobLongTerm:      // H_b is in Auth-I's ring
    case ForgerKey::kAliceForgingKey:  // F_a is in Auth-I's ring
      auth_i_signer = request.secret;
      break;
  }

  ForgedDake out;
  out.identity = MakeIdentity(bob, wire::kNoInstanceTag, bob_keys);
  Checked<TheirDakeKeys> bob_seen = ValidateIdentity(backend, out.identity, alice.instance_tag,
                                                     ReceiverTagRule::kZeroOrOurs, request.now);
  OTR_RETURN_IF_ERROR(bob_seen.ToStatus());
  OTR_ASSIGN_OR_RETURN(
      AuthRSent auth_r,
      MakeAuthRSignedWith(backend, *alice.client_profile, alice.instance_tag, bob_seen.value(),
                          std::move(alice_keys), request.phi_prime, *auth_r_signer, random));
  out.auth_r = auth_r.message;
  Checked<AuthRResult> alice_seen =
      ValidateAuthR(backend, out.auth_r, bob, bob_keys, request.phi_prime, request.now);
  OTR_RETURN_IF_ERROR(alice_seen.ToStatus());
  OTR_ASSIGN_OR_RETURN(AuthISent auth_i,
                       MakeAuthISignedWith(backend, *bob.client_profile, bob.instance_tag,
                                           std::move(alice_seen).value(), *auth_i_signer, random));
  out.auth_i = auth_i.message;
  Checked<DakeResult> done = ValidateAuthI(backend, out.auth_i, alice, auth_r.pending);
  OTR_RETURN_IF_ERROR(done.ToStatus());
  out.ssid = auth_r.pending.ssid;
  out.shared_secret = std::move(auth_r.pending.shared_secret);
  return out;
}

Status VerifyTranscript(const crypto::Backend& backend, const IdentityMessage& identity,
                        const AuthR& auth_r, const AuthI& auth_i, ByteView phi_prime, int64_t now) {
  const wire::InstanceTag bob_tag = identity.header.sender_instance_tag;
  const wire::InstanceTag alice_tag = auth_r.header.sender_instance_tag;
  Checked<TheirDakeKeys> bob =
      ValidateIdentity(backend, identity, alice_tag, ReceiverTagRule::kZeroOrOurs, now);
  OTR_RETURN_IF_ERROR(bob.ToStatus());
  // Auth-R's values get the same checks as an Identity message's, its
  // receiver tag being Bob's.
  const IdentityMessage auth_r_values{auth_r.header, auth_r.client_profile, auth_r.x,
                                      auth_r.a,      auth_r.our_ecdh_first, auth_r.our_dh_first};
  Checked<TheirDakeKeys> alice =
      ValidateIdentity(backend, auth_r_values, bob_tag, ReceiverTagRule::kOurs, now);
  OTR_RETURN_IF_ERROR(alice.ToStatus());
  if (auth_i.header.sender_instance_tag != bob_tag ||
      auth_i.header.receiver_instance_tag != alice_tag) {
    return MakeError(ErrorCode::kUnknownInstance, "transcript: Auth-I instance tags");
  }
  const TheirDakeKeys& b = bob.value();
  const TheirDakeKeys& a = alice.value();
  const Bytes phi = SharedSessionState(
      PhiParty{bob_tag, identity.our_ecdh_first, identity.our_dh_first},
      PhiParty{alice_tag, auth_r.our_ecdh_first, auth_r.our_dh_first}, phi_prime);
  const TranscriptValues values{&b.client_profile, &a.client_profile, identity.y,
                                auth_r.x,          identity.b,        auth_r.a};
  const auto sigma = [](const RingSig& s) { return RingSigma{s.c1, s.r1, s.c2, s.r2, s.c3, s.r3}; };
  OTR_RETURN_IF_ERROR(
      RVrf(backend, Ring{b.f, a.h, b.ecdh}, sigma(auth_r.sigma), AuthRT(backend, values, phi)));
  OTR_RETURN_IF_ERROR(
      RVrf(backend, Ring{b.h, a.f, a.ecdh}, sigma(auth_i.sigma), AuthIT(backend, values, phi)));
  return Status::Ok();
}

Result<ForgedOfflineDake> ForgeNonInteractiveDake(const crypto::Backend& backend,
                                                  const OfflineForgeRequest& request,
                                                  crypto::Random& random) {
  if (request.bob_ensemble == nullptr || request.alice_client_profile == nullptr) {
    return MakeError(ErrorCode::kBadState,
                     "forge: the ensemble or Alice's Client Profile is missing");
  }
  if (request.forger_key != OfflineForgerKey::kNone && request.secret == nullptr) {
    return MakeError(ErrorCode::kInvalidKey, "forge: the forger's secret is missing");
  }
  ForgedOfflineDake out;
  out.ensemble = *request.bob_ensemble;
  std::optional<MadePrekeyMessage> false_prekey;
  if (request.forger_key == OfflineForgerKey::kNone) {
    // "False Prekey Ensemble": Bob's two profiles, a Prekey Message of ours.
    OTR_ASSIGN_OR_RETURN(
        MadePrekeyMessage made,
        MakePrekeyMessage(backend, out.ensemble.prekey_profile.owner_instance_tag, random));
    out.ensemble.prekey_message = made.message;
    false_prekey.emplace(std::move(made));
  }
  // Alice's side exactly as an honest sender: the ensemble validated, her
  // ephemeral keys, the message made and signed.
  Checked<TheirPrekeyEnsemble> bob = ValidateEnsemble(backend, out.ensemble, request.now);
  OTR_RETURN_IF_ERROR(bob.ToStatus());
  OTR_ASSIGN_OR_RETURN(OurDakeKeys keys, GenerateOurDakeKeys(backend, random));
  const crypto::SecretBytes* signer = request.secret;
  if (false_prekey) signer = &false_prekey->secrets.ecdh.secret();  // y
  OTR_ASSIGN_OR_RETURN(NonInteractiveAuthSent sent,
                       MakeNonInteractiveAuthSignedWith(
                           backend, *request.alice_client_profile, request.alice_instance_tag,
                           bob.value(), std::move(keys), request.phi_prime, *signer, random));
  OTR_RETURN_IF_ERROR(VerifyNonInteractiveTranscript(backend, out.ensemble, sent.message,
                                                     request.phi_prime, request.now));
  out.auth = std::move(sent.message);
  out.ssid = sent.result.ssid;
  out.shared_secret = std::move(sent.result.ratchet_start.shared_secret);
  return out;
}

Status VerifyNonInteractiveTranscript(const crypto::Backend& backend,
                                      const PrekeyEnsembleValues& ensemble,
                                      const NonInteractiveAuth& auth, ByteView phi_prime,
                                      int64_t now) {
  Checked<TheirPrekeyEnsemble> checked = ValidateEnsemble(backend, ensemble, now);
  OTR_RETURN_IF_ERROR(checked.ToStatus());
  const TheirPrekeyEnsemble& bob = checked.value();
  // "Receiving a Non-Interactive-Auth Message", every check a third party
  // can make: the tags, X, A, the first keys, Alice's profile, the
  // identifier, the ring signature.
  const wire::InstanceTag alice_tag = auth.header.sender_instance_tag;
  if (auth.header.receiver_instance_tag != bob.instance_tag || alice_tag < wire::kMinInstanceTag) {
    return MakeError(ErrorCode::kUnknownInstance,
                     "transcript: the Non-Interactive-Auth's instance tags are not the ensemble's");
  }
  OTR_ASSIGN_OR_RETURN(const crypto::Ed448Point x, backend.Ed448Decode(auth.x));
  (void)x;
  OTR_RETURN_IF_ERROR(CheckDhGroupElement(backend, auth.a));
  OTR_ASSIGN_OR_RETURN(const crypto::Ed448Point first, backend.Ed448Decode(auth.our_ecdh_first));
  (void)first;
  OTR_RETURN_IF_ERROR(CheckDhGroupElement(backend, auth.our_dh_first));
  OTR_RETURN_IF_ERROR(
      profile::ValidateClientProfile(backend, auth.client_profile, alice_tag, now).ToStatus());
  OTR_ASSIGN_OR_RETURN(const crypto::Ed448Point h_a,
                       backend.Ed448Decode(auth.client_profile.public_key));
  if (auth.prekey_message_identifier != ensemble.prekey_message.identifier) {
    return MakeError(ErrorCode::kUnknownKeyId,
                     "transcript: the Non-Interactive-Auth names another Prekey Message");
  }
  const Bytes phi = NonInteractiveSessionState(alice_tag, bob.instance_tag, auth.our_ecdh_first,
                                               auth.our_dh_first, phi_prime);
  const NonInteractiveTranscript values{&ensemble.client_profile,
                                        &auth.client_profile,
                                        ensemble.prekey_message.y,
                                        auth.x,
                                        bob.b,
                                        auth.a,
                                        ensemble.prekey_profile.shared_prekey};
  const RingSig& s = auth.sigma;
  return RVrf(backend, Ring{bob.f, h_a, bob.y}, RingSigma{s.c1, s.r1, s.c2, s.r2, s.c3, s.r3},
              NonInteractiveAuthT(backend, values, phi));
}

}  // namespace otr::v4::dake
