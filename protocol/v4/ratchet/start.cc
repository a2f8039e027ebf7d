// How the DAKEs initialise the double ratchet: otrv4.md, "Interactive DAKE
// Overview" (Bob after Auth-I, Alice on Auth-I) and "Non-Interactive DAKE
// Overview" (Alice after Non-Interactive-Auth, Bob on it).
#include "protocol/v4/ratchet/derive.h"
#include "protocol/v4/ratchet/ratchet.h"

namespace otr::v4::ratchet {

using crypto::SecretBytes;

namespace {

Status CheckSharedSecret(const SecretBytes& k) {
  if (k.size() != kSharedSecretSize) {
    return MakeError(ErrorCode::kInvalidKey, "ratchet start: K is not 64 bytes");
  }
  return Status::Ok();
}

// "Calculates K_ecdh = ECDH(our_ecdh.secret, their_ecdh). Calculates k_dh =
// DH(our_dh.secret, their_dh). Calculates brace_key = KDF(usage_third_brace_key
// || k_dh, 32). [...] K = KDF(usage_shared_secret || K_ecdh || brace_key, 64)."
struct Mixed {
  SecretBytes brace_key;
  SecretBytes k;
};
Result<Mixed> MixFirstKeys(const crypto::Backend& backend, const SecretBytes& our_ecdh_secret,
                           const crypto::Ed448Point& their_ecdh, const SecretBytes& our_dh_secret,
                           ByteView their_dh) {
  OTR_ASSIGN_OR_RETURN(const SecretBytes k_ecdh, Ecdh(backend, our_ecdh_secret, their_ecdh));
  // their_dh is InteractiveStart::their_dh_first, checked by the DAKE.
  OTR_ASSIGN_OR_RETURN(SecretBytes brace_key,
                       DhBraceKeyOfChecked(backend, our_dh_secret, their_dh));
  SecretBytes k = MixedSharedSecret(backend, k_ecdh, brace_key);
  return Mixed{std::move(brace_key), std::move(k)};
}

}  // namespace

Result<Ratchet> Ratchet::StartAuthISender(const crypto::Backend& backend, const Limits& limits,
                                          InteractiveStart start, crypto::Random& random) {
  OTR_RETURN_IF_ERROR(CheckSharedSecret(start.shared_secret));
  Ratchet r(backend, limits);
  RatchetState& s = r.state_;
  // "Sets i, j, k, pn as 0. [...] Interprets K as the first root key
  // (prev_root_key) by: prev_root_key = KDF(usage_first_root_key || K, 64)."
  const SecretBytes prev_root_key = FirstRootKey(backend, start.shared_secret);
  // "Calculates the receiving keys" from the first keys.
  {
    OTR_ASSIGN_OR_RETURN(
        const Mixed m, MixFirstKeys(backend, start.our_ecdh_first.secret(), start.their_ecdh_first,
                                    start.our_dh_first.secret, start.their_dh_first));
    RatchetKeys keys = DeriveRatchetKeys(backend, prev_root_key, m.k);
    s.root_key = std::move(keys.root_key);
    s.chain_key_r = std::move(keys.chain_key);
    s.receiving_ratchet_id = 0;
  }
  // "Calculates the sending keys": a new ECDH and DH key pair with the
  // peer's first keys.
  OTR_ASSIGN_OR_RETURN(EcdhKeyPair our_ecdh, GenerateEcdh(backend, random));
  OTR_ASSIGN_OR_RETURN(crypto::DhKeyPair our_dh, GenerateDh(backend, random));
  OTR_ASSIGN_OR_RETURN(Mixed m, MixFirstKeys(backend, our_ecdh.secret(), start.their_ecdh_first,
                                             our_dh.secret, start.their_dh_first));
  RatchetKeys keys = DeriveRatchetKeys(backend, s.root_key, m.k);
  s.root_key = std::move(keys.root_key);
  s.chain_key_s = std::move(keys.chain_key);
  s.sending_ratchet_id = 0;
  s.brace_key = std::move(m.brace_key);
  s.our_ecdh = std::move(our_ecdh);
  s.our_dh = std::move(our_dh);
  s.their_ecdh = start.their_ecdh_first;
  s.their_dh = std::move(start.their_dh_first);
  // "Increments i = i + 1."
  s.i = 1;
  return r;
}

Result<Ratchet> Ratchet::StartAuthIReceiver(const crypto::Backend& backend, const Limits& limits,
                                            InteractiveStart start) {
  OTR_RETURN_IF_ERROR(CheckSharedSecret(start.shared_secret));
  Ratchet r(backend, limits);
  RatchetState& s = r.state_;
  const SecretBytes prev_root_key = FirstRootKey(backend, start.shared_secret);
  // "Calculates the sending keys" from the first keys; i stays 0 and the
  // Data Messages carry it ("Set i as the Data message's ratchet id").
  OTR_ASSIGN_OR_RETURN(Mixed m,
                       MixFirstKeys(backend, start.our_ecdh_first.secret(), start.their_ecdh_first,
                                    start.our_dh_first.secret, start.their_dh_first));
  RatchetKeys keys = DeriveRatchetKeys(backend, prev_root_key, m.k);
  s.root_key = std::move(keys.root_key);
  s.chain_key_s = std::move(keys.chain_key);
  s.sending_ratchet_id = 0;
  s.brace_key = std::move(m.brace_key);
  s.our_ecdh = std::move(start.our_ecdh_first);
  s.our_dh = std::move(start.our_dh_first);
  s.their_ecdh = start.their_ecdh_first;
  s.their_dh = std::move(start.their_dh_first);
  s.i = 0;
  return r;
}

Result<Ratchet> Ratchet::StartNonInteractiveAuthSender(const crypto::Backend& backend,
                                                       const Limits& limits,
                                                       NonInteractiveStart start) {
  OTR_RETURN_IF_ERROR(CheckSharedSecret(start.shared_secret));
  if (!start.our_ecdh_first || !start.our_dh_first || start.brace_key.size() != kBraceKeySize) {
    return MakeError(ErrorCode::kInvalidKey, "ratchet start: sender's first keys missing");
  }
  Ratchet r(backend, limits);
  RatchetState& s = r.state_;
  // "curr_root_key = KDF(usage_root_key || K, 64) and chain_key_sending[j] =
  // KDF(usage_chain_key || K, 64). Increments i = i + 1."
  RatchetKeys keys = DeriveRatchetKeys(backend, SecretBytes(), start.shared_secret);
  s.root_key = std::move(keys.root_key);
  s.chain_key_s = std::move(keys.chain_key);
  s.sending_ratchet_id = 0;
  s.i = 1;
  s.brace_key = std::move(start.brace_key);
  s.our_ecdh = std::move(start.our_ecdh_first);
  s.our_dh = std::move(start.our_dh_first);
  s.their_ecdh = start.their_ecdh;
  s.their_dh = std::move(start.their_dh);
  return r;
}

Result<Ratchet> Ratchet::StartNonInteractiveAuthReceiver(const crypto::Backend& backend,
                                                         const Limits& limits,
                                                         NonInteractiveStart start) {
  OTR_RETURN_IF_ERROR(CheckSharedSecret(start.shared_secret));
  if (start.brace_key.size() != kBraceKeySize) {
    return MakeError(ErrorCode::kInvalidKey, "ratchet start: brace key is not 32 bytes");
  }
  Ratchet r(backend, limits);
  RatchetState& s = r.state_;
  // "curr_root_key = KDF(usage_root_key || K, 64) and chain_key_receiving[k]
  // = KDF(usage_chain_key || K, 64). Sets the received their_ecdh_first from
  // Alice as their_ecdh [...] Increments i = i + 1." His ECDH and DH secrets
  // were deleted by the DAKE; "he will perform a new DH ratchet" to send.
  RatchetKeys keys = DeriveRatchetKeys(backend, SecretBytes(), start.shared_secret);
  s.root_key = std::move(keys.root_key);
  s.chain_key_r = std::move(keys.chain_key);
  s.receiving_ratchet_id = 0;
  s.i = 1;
  s.ratchet_on_next_send = true;
  s.brace_key = std::move(start.brace_key);
  s.their_ecdh = start.their_ecdh;
  s.their_dh = std::move(start.their_dh);
  return r;
}

}  // namespace otr::v4::ratchet
