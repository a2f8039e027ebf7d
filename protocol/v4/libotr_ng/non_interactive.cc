// libotr-ng's non-interactive DAKE (non_interactive.h has the differences).
#include "protocol/v4/libotr_ng/non_interactive.h"

#include <algorithm>
#include <utility>

#include "protocol/v4/crypto/dh3072.h"
#include "protocol/v4/crypto/kdf.h"
#include "protocol/v4/libotr_ng/client_profile.h"
#include "protocol/v4/libotr_ng/curve.h"
#include "protocol/v4/libotr_ng/ring_signature.h"
#include "protocol/v4/ratchet/derive.h"
#include "protocol/wire/reader.h"
#include "protocol/wire/writer.h"

namespace otr::v4::libotr_ng {

using crypto::SecretBytes;
using dake::DakeCheck;
using dake::DakeError;

namespace {

// libotr-ng's usage IDs (dake.c, key_management.c): the spec's values.
constexpr uint8_t kUsageSharedSecret = 0x03;  // usage_shared_secret
constexpr uint8_t kUsageTmpKey = 0x0C;        // usage_tmp_key
constexpr uint8_t kUsageAuthMacKey = 0x0D;    // usageAuthMACKey
constexpr uint8_t kUsageBobProfile = 0x0E;    // first_non_int_auth_usage
constexpr uint8_t kUsageAliceProfile = 0x0F;  // first_non_int_auth_usage + 1
constexpr uint8_t kUsagePhi = 0x10;           // first_non_int_auth_usage + 2
constexpr uint8_t kUsageAuthMac = 0x11;       // usage_auth_mac
constexpr size_t kHashSize = 64;              // HASH_BYTES
constexpr size_t kBraceKeySize = 32;          // BRACE_KEY_BYTES
// ED448_SHARED_PREKEY_TYPE, written big-endian (serialize.c,
// otrng_serialize_shared_prekey).
constexpr uint16_t kSharedPrekeyType = 0x0011;

DakeError Fail(DakeCheck check, ErrorCode cause) { return DakeError{check, cause, std::nullopt}; }

SecretBytes Kdf1(const crypto::Backend& backend, uint8_t usage, std::initializer_list<ByteView> v,
                 size_t size) {
  SecretBytes out(size);
  DomainShake256(backend, kOtrv4Domain, usage, v, out.mutable_view());
  return out;
}

// otrng_ecdh_shared_secret with the spec secret `a`: (a / 4) * P as a POINT,
// kIdentityPoint for the identity.
Result<SecretBytes> NgEcdh(const crypto::Backend& backend, const SecretBytes& a,
                           const crypto::Ed448Point& p) {
  return ratchet::Ecdh(backend, HeldScalar(backend, a), p);
}

}  // namespace

Bytes EncodeNonInteractiveAuth(const NonInteractiveAuth& m) {
  wire::Writer w;
  WriteHeader(w, MessageType::kNonInteractiveAuth, m.header);
  w.WriteBytes(m.client_profile);
  WritePoint(w, m.x);
  WriteMpi(w, m.a);
  w.WriteBytes(EncodeRingSig(m.sigma));
  w.WriteU32(m.prekey_message_identifier);
  w.WriteBytes(m.auth_mac);
  return std::move(w).Finish();
}

Result<NonInteractiveAuth> DecodeNonInteractiveAuth(const crypto::Backend& backend,
                                                    ByteView bytes) {
  wire::Reader r(bytes);
  NonInteractiveAuth m;
  OTR_ASSIGN_OR_RETURN(m.header, ReadHeader(r, MessageType::kNonInteractiveAuth));
  OTR_ASSIGN_OR_RETURN(m.client_profile, ReadClientProfileBytes(r));
  OTR_ASSIGN_OR_RETURN(m.x, ReadPoint(r));
  OTR_ASSIGN_OR_RETURN(m.a, ReadMpi(r));
  OTR_ASSIGN_OR_RETURN(const ByteView sigma, r.ReadBytes(kRingSigWireSize));
  OTR_ASSIGN_OR_RETURN(m.sigma, DecodeRingSig(backend, sigma));
  OTR_ASSIGN_OR_RETURN(m.prekey_message_identifier, r.ReadU32());
  OTR_ASSIGN_OR_RETURN(m.auth_mac, ReadArray<kMacSize>(r));
  OTR_RETURN_IF_ERROR(r.ExpectEnd());
  return m;
}

Bytes NonInteractiveT(const crypto::Backend& backend, ByteView bob_profile, ByteView alice_profile,
                      const Point& y, const Point& x, ByteView b, ByteView a,
                      const Point& shared_prekey, ByteView phi) {
  wire::Writer w;
  w.WriteBytes(Kdf1(backend, kUsageBobProfile, {bob_profile}, kHashSize).view());
  w.WriteBytes(Kdf1(backend, kUsageAliceProfile, {alice_profile}, kHashSize).view());
  WritePoint(w, y);
  WritePoint(w, x);
  WriteMpi(w, b);
  WriteMpi(w, a);
  w.WriteU16(kSharedPrekeyType);
  WritePoint(w, shared_prekey);
  w.WriteBytes(Kdf1(backend, kUsagePhi, {phi}, kHashSize).view());
  return std::move(w).Finish();
}

SecretBytes TmpKey(const crypto::Backend& backend, const SecretBytes& k_ecdh,
                   const SecretBytes& ecdh_shared_prekey, const SecretBytes& ecdh_long_term,
                   const SecretBytes& k_dh) {
  // generate_tmp_key: hash_hash(brace_key, BRACE_KEY_BYTES, dh_key, ...),
  // plain SHAKE-256 (#27).
  const SecretBytes brace_key = backend.Shake256(k_dh.view(), kBraceKeySize);
  return Kdf1(backend, kUsageTmpKey,
              {k_ecdh.view(), ecdh_shared_prekey.view(), ecdh_long_term.view(), brace_key.view()},
              kHashSize);
}

Mac AuthMac(const crypto::Backend& backend, const SecretBytes& tmp_k, ByteView t) {
  const SecretBytes auth_mac_k = Kdf1(backend, kUsageAuthMacKey, {tmp_k.view()}, kHashSize);
  const SecretBytes mac = Kdf1(backend, kUsageAuthMac, {auth_mac_k.view(), t}, kMacSize);
  Mac out{};
  std::copy(mac.view().begin(), mac.view().end(), out.begin());
  return out;
}

Result<NonInteractiveAuthSent> MakeNonInteractiveAuth(const crypto::Backend& backend,
                                                      const OurSide& ours, const TheirEnsemble& bob,
                                                      std::string_view their_identifier,
                                                      const dake::OurDakeKeys& keys,
                                                      crypto::Random& random) {
  // generate_tmp_key_r: ECDH(x, Y), DH(a, B), ECDH(x, D_b), ECDH(x, H_b).
  OTR_ASSIGN_OR_RETURN(const SecretBytes k_ecdh, NgEcdh(backend, keys.ecdh.secret(), bob.bob.ecdh));
  OTR_ASSIGN_OR_RETURN(const SecretBytes k_dh,
                       DhSharedSecretOfChecked(backend, keys.dh.secret, bob.bob.dh));
  OTR_ASSIGN_OR_RETURN(const SecretBytes k_d,
                       NgEcdh(backend, keys.ecdh.secret(), bob.shared_prekey));
  OTR_ASSIGN_OR_RETURN(const SecretBytes k_h, NgEcdh(backend, keys.ecdh.secret(), bob.bob.h));
  const SecretBytes tmp_k = TmpKey(backend, k_ecdh, k_d, k_h, k_dh);
  // generate_phi_receiving: our tag and identifier, theirs.
  const Bytes phi = SharedSessionState(ours.instance_tag, bob.bob.instance_tag, ours.identifier,
                                       their_identifier);
  NonInteractiveAuthSent out;
  NonInteractiveAuth& m = out.message;
  m.header = Header{ours.instance_tag, bob.bob.instance_tag};
  m.client_profile = ours.client_profile_bytes;
  m.x = keys.ecdh.pub_encoded();
  m.a = keys.dh.pub;
  m.prekey_message_identifier = bob.prekey_message_identifier;
  const Bytes t = NonInteractiveT(backend, bob.bob.client_profile_bytes, ours.client_profile_bytes,
                                  backend.Ed448Encode(bob.bob.ecdh), m.x, bob.bob.dh, m.a,
                                  backend.Ed448Encode(bob.shared_prekey), phi);
  // "sigma = RSig(H_a, sk_ha, {F_b, H_a, Y}, t)", libotr-ng's RSig.
  OTR_ASSIGN_OR_RETURN(m.sigma,
                       RSig(backend, ours.long_term->secret,
                            Ring{bob.bob.f, ours.long_term->pub, bob.bob.ecdh}, t, random));
  m.auth_mac = AuthMac(backend, tmp_k, t);
  // otrng_key_manager_generate_shared_secret (non-interactive), calculate_ssid.
  out.established.shared_secret = Kdf1(backend, kUsageSharedSecret, {tmp_k.view()}, 64);
  out.established.ssid = dake::ComputeSsid(backend, out.established.shared_secret);
  out.established.their = bob.bob;
  return out;
}

Checked<Established> ValidateNonInteractiveAuth(const crypto::Backend& backend,
                                                const NonInteractiveAuth& m, const OurSide& ours,
                                                const OurPrekey& prekey,
                                                std::string_view their_identifier, int64_t now) {
  if (m.header.receiver_instance_tag != ours.instance_tag) {
    return Fail(DakeCheck::kReceiverInstanceTag, ErrorCode::kUnknownInstance);
  }
  Checked<TheirSide> checked =
      ValidateSenderValues(backend, m.header, m.client_profile, m.x, m.a, now);
  if (!checked.ok()) return checked.error();
  TheirSide alice = std::move(checked).value();
  if (prekey.ecdh == nullptr || prekey.dh == nullptr ||
      prekey.identifier != m.prekey_message_identifier) {
    return Fail(DakeCheck::kPrekeyMessageIdentifier, ErrorCode::kUnknownKeyId);
  }
  if (prekey.shared_prekey == nullptr || ours.client_profile == nullptr ||
      ours.long_term == nullptr) {
    return Fail(DakeCheck::kOurProfiles, ErrorCode::kBadState);
  }
  auto our_f = backend.Ed448Decode(ours.client_profile->forging_key);
  if (!our_f.ok()) return Fail(DakeCheck::kRingSignature, our_f.code());
  const Bytes phi =
      SharedSessionState(ours.instance_tag, alice.instance_tag, ours.identifier, their_identifier);
  const Bytes t = NonInteractiveT(backend, ours.client_profile_bytes, alice.client_profile_bytes,
                                  prekey.ecdh->pub_encoded(), m.x, prekey.dh->pub, m.a,
                                  backend.Ed448Encode(prekey.shared_prekey->pub), phi);
  // "RVrf({F_b, H_a, Y}, sigma, t)".
  if (Status s = libotr_ng::RVrf(backend, Ring{*our_f, alice.h, prekey.ecdh->pub()}, m.sigma, t);
      !s.ok()) {
    return Fail(DakeCheck::kRingSignature, s.code());
  }
  // generate_tmp_key_i: ECDH(y, X), DH(b, A), ECDH(d, X), ECDH(sk_hb, X).
  auto k_ecdh = NgEcdh(backend, prekey.ecdh->secret(), alice.ecdh);
  auto k_dh = DhSharedSecretOfChecked(backend, prekey.dh->secret, alice.dh);
  auto k_d = NgEcdh(backend, prekey.shared_prekey->secret, alice.ecdh);
  auto k_h = NgEcdh(backend, ours.long_term->secret, alice.ecdh);
  if (!k_ecdh.ok() || !k_dh.ok() || !k_d.ok() || !k_h.ok()) {
    return Fail(DakeCheck::kSharedSecret, ErrorCode::kIdentityPoint);
  }
  const SecretBytes tmp_k = TmpKey(backend, *k_ecdh, *k_d, *k_h, *k_dh);
  const Mac expected = AuthMac(backend, tmp_k, t);
  if (!crypto::ConstantTimeEqual(expected, m.auth_mac)) {
    return Fail(DakeCheck::kAuthMac, ErrorCode::kBadMac);
  }
  Established out;
  out.shared_secret = Kdf1(backend, kUsageSharedSecret, {tmp_k.view()}, 64);
  out.ssid = dake::ComputeSsid(backend, out.shared_secret);
  out.their = std::move(alice);
  return out;
}

}  // namespace otr::v4::libotr_ng
