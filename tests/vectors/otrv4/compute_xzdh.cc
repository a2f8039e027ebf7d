// xzdh.json with protocol/v4/dake (xzdh.h): Bob's profiles and Prekey
// Message made by our code from his keys, Alice's Non-Interactive-Auth made
// by MakeNonInteractiveAuth with the vector's random bytes as her random
// source, validated by Bob with ValidateNonInteractiveAuth, and the first
// ratchet started from it; the intermediate values from the pieces xzdh.h
// exposes (each checked against what the whole functions produced).
#include <algorithm>
#include <string>
#include <utility>

#include "crypto/random.h"
#include "protocol/v4/crypto/kdf.h"
#include "protocol/v4/crypto/keys.h"
#include "protocol/v4/dake/xzdh.h"
#include "protocol/v4/messages/ring_sig.h"
#include "protocol/v4/profile/client_profile.h"
#include "protocol/v4/profile/prekey_profile.h"
#include "protocol/v4/ratchet/derive.h"
#include "tests/vectors/otrv4/compute_internal.h"

namespace otr::v4::vectors {
namespace {

using crypto::Backend;
using crypto::SecretBytes;

// The vector's random bytes, handed out in order; drawing past them, or
// leaving some unread, is the vector's error.
class ScriptedRandom final : public crypto::Random {
 public:
  explicit ScriptedRandom(Bytes bytes) : bytes_(std::move(bytes)) {}
  void Fill(MutableByteView out) override {
    for (uint8_t& b : out) {
      if (next_ < bytes_.size()) {
        b = bytes_[next_++];
      } else {
        b = 0;
        exhausted_ = true;
      }
    }
  }
  void CheckAllRead(const char* what) const {
    if (exhausted_ || next_ != bytes_.size()) {
      throw VectorError(std::string(what) + ": the random bytes were not used as given");
    }
  }

 private:
  Bytes bytes_;
  size_t next_ = 0;
  bool exhausted_ = false;
};

void Append(Bytes& to, const Bytes& bytes) { to.insert(to.end(), bytes.begin(), bytes.end()); }

Ed448KeyPair KeyOf(const Backend& backend, const Json& party, const char* key) {
  return Take(DeriveEd448KeyPair(backend, SecretBytes(ByteView(HexField(party, key)))), key);
}

ClientProfile ProfileOf(const Backend& backend, const Json& party, const Ed448KeyPair& h,
                        const Ed448KeyPair& f) {
  profile::ClientProfileParams params;
  params.owner_instance_tag = party.at("instance_tag").get<uint32_t>();
  params.forging_key = f.pub;
  params.versions = StringField(party, "versions");
  params.expiration = party.at("expiration").get<int64_t>();
  ScriptedRandom none(Bytes{});
  ClientProfile p =
      Take(profile::CreateClientProfile(backend, h.sym_key, params, none), "CreateClientProfile");
  none.CheckAllRead("CreateClientProfile");
  return p;
}

template <typename T>
T Valid(dake::Checked<T> checked, const char* what) {
  if (!checked.ok()) {
    throw VectorError(std::string(what) + ": " +
                      std::string(dake::DakeCheckName(checked.error().check)));
  }
  return std::move(checked).value();
}

}  // namespace

void ComputeXzdh(const Backend& backend, const Json& in, Computed& out) {
  const Json& al = in.at("alice");
  const Json& bo = in.at("bob");
  const int64_t now = in.at("now").get<int64_t>();
  const Bytes phi_prime = HexField(in, "phi_prime");
  const wire::InstanceTag alice_tag = al.at("instance_tag").get<uint32_t>();
  const wire::InstanceTag bob_tag = bo.at("instance_tag").get<uint32_t>();

  // Bob publishes.
  const Ed448KeyPair bob_h = KeyOf(backend, bo, "sym_h");
  const Ed448KeyPair bob_f = KeyOf(backend, bo, "sym_f");
  const Ed448KeyPair bob_d = KeyOf(backend, bo, "sym_d");
  const ClientProfile bob_cp = ProfileOf(backend, bo, bob_h, bob_f);
  profile::PrekeyProfileParams pp_params;
  pp_params.owner_instance_tag = bob_tag;
  pp_params.expiration = bo.at("prekey_profile_expiration").get<int64_t>();
  pp_params.shared_prekey = bob_d.pub;
  const PrekeyProfile bob_pp =
      Take(profile::CreatePrekeyProfile(backend, bob_h.sym_key, pp_params), "CreatePrekeyProfile");
  const uint32_t id = bo.at("prekey_message_identifier").get<uint32_t>();
  Bytes bob_random{static_cast<uint8_t>(id >> 24), static_cast<uint8_t>(id >> 16),
                   static_cast<uint8_t>(id >> 8), static_cast<uint8_t>(id)};
  Append(bob_random, HexField(bo, "y_r"));
  Append(bob_random, HexField(bo, "b_r"));
  ScriptedRandom bob_draws(std::move(bob_random));
  const dake::MadePrekeyMessage prekey =
      Take(dake::MakePrekeyMessage(backend, bob_tag, bob_draws), "MakePrekeyMessage");
  bob_draws.CheckAllRead("MakePrekeyMessage");

  // Alice starts from the ensemble.
  const Ed448KeyPair alice_h = KeyOf(backend, al, "sym_h");
  const Ed448KeyPair alice_f = KeyOf(backend, al, "sym_f");
  const ClientProfile alice_cp = ProfileOf(backend, al, alice_h, alice_f);
  const dake::TheirPrekeyEnsemble ensemble =
      Valid(dake::ValidateEnsemble(
                backend, dake::PrekeyEnsembleValues{bob_cp, bob_pp, prekey.message}, now, "4"),
            "ValidateEnsemble");
  Bytes alice_random;
  for (const char* key : {"x_r", "a_r", "ecdh_first_r", "dh_first_r"}) {
    Append(alice_random, HexField(al, key));
  }
  for (const char* name : {"t1", "t2", "t3", "c1", "c2", "c3", "r1", "r2", "r3"}) {
    Append(alice_random, HexField(al.at("nonces"), name));
  }
  ScriptedRandom alice_draws(std::move(alice_random));
  dake::OurDakeKeys keys = Take(dake::GenerateOurDakeKeys(backend, alice_draws), "keys");
  const SecretBytes x = keys.ecdh.secret();  // for the intermediate values below
  const dake::OurLongTermKeys alice{&alice_h, &alice_cp, alice_tag};
  dake::NonInteractiveAuthSent sent =
      Take(dake::MakeNonInteractiveAuth(backend, alice, ensemble, std::move(keys), phi_prime,
                                        alice_draws),
           "MakeNonInteractiveAuth");
  alice_draws.CheckAllRead("MakeNonInteractiveAuth");
  const Bytes encoding = EncodeNonInteractiveAuth(sent.message);

  // Bob validates the message as it arrives.
  const NonInteractiveAuth received =
      Take(DecodeNonInteractiveAuth(encoding), "DecodeNonInteractiveAuth");
  const dake::OurLongTermKeys bob{&bob_h, &bob_cp, bob_tag};
  dake::XzdhResult bob_result =
      Valid(dake::ValidateNonInteractiveAuth(
                backend, received, bob,
                dake::OurPrekeyValues{&bob_pp, &bob_d.secret, &prekey.secrets, {}}, phi_prime, now),
            "ValidateNonInteractiveAuth");
  if (!(bob_result.ratchet_start.shared_secret == sent.result.ratchet_start.shared_secret) ||
      bob_result.ssid != sent.result.ssid) {
    throw VectorError("Bob's K or SSID differs from Alice's");
  }

  // The intermediate values, from the pieces.
  const SecretBytes& brace_key = sent.result.ratchet_start.brace_key;
  const SecretBytes tmp_k =
      dake::TmpKey(backend, Take(ratchet::Ecdh(backend, x, ensemble.y), "ECDH(x, Y)"),
                   Take(ratchet::Ecdh(backend, x, ensemble.d), "ECDH(x, D_b)"),
                   Take(ratchet::Ecdh(backend, x, ensemble.h), "ECDH(x, H_b)"), brace_key);
  if (!(dake::NonInteractiveSharedSecret(backend, tmp_k) ==
        sent.result.ratchet_start.shared_secret)) {
    throw VectorError("K is not KDF(usage_shared_secret || tmp_k, 64)");
  }
  const Bytes phi = dake::NonInteractiveSessionState(
      alice_tag, bob_tag, sent.message.our_ecdh_first, sent.message.our_dh_first, phi_prime);
  const dake::NonInteractiveTranscript tv{
      &bob_cp,          &alice_cp,      prekey.message.y,    sent.message.x,
      prekey.message.b, sent.message.a, bob_pp.shared_prekey};
  const Bytes t = dake::NonInteractiveAuthT(backend, tv, phi);
  if (Hex(dake::AuthMac(backend, tmp_k, t).view()) != Hex(sent.message.auth_mac)) {
    throw VectorError("the Auth MAC is not HCMAC(usage_auth_MAC || auth_mac_k || t, 64)");
  }
  const SecretBytes auth_mac_k = Kdf(backend, Usage::kAuthMacKey, {tmp_k.view()}, 64);
  const SecretBytes k = sent.result.ratchet_start.shared_secret;
  const ratchet::Ratchet alice_ratchet =
      Take(dake::StartXzdhRatchet(backend, ratchet::Limits{}, sent.result), "ratchet start");

  Json& o = out.output;
  o["alice_client_profile"] = Hex(EncodeClientProfile(alice_cp));
  o["bob_client_profile"] = Hex(EncodeClientProfile(bob_cp));
  o["bob_prekey_profile"] = Hex(EncodePrekeyProfile(bob_pp));
  o["prekey_message"] = Hex(EncodePrekeyMessage(prekey.message));
  o["X"] = Hex(sent.message.x);
  o["A"] = Hex(sent.message.a);
  o["our_ecdh_first"] = Hex(sent.message.our_ecdh_first);
  o["our_dh_first"] = Hex(sent.message.our_dh_first);
  o["phi"] = Hex(phi);
  o["t"] = Hex(t);
  o["brace_key"] = Hex(bob_result.ratchet_start.brace_key.view());
  o["tmp_k"] = Hex(tmp_k.view());
  o["auth_mac_k"] = Hex(auth_mac_k.view());
  o["auth_mac"] = Hex(sent.message.auth_mac);
  o["sigma"] = Hex(EncodeRingSig(sent.message.sigma));
  o["K"] = Hex(k.view());
  o["ssid"] = Hex(sent.result.ssid);
  o["root_key"] = Hex(alice_ratchet.state().root_key.view());
  o["chain_key"] = Hex(alice_ratchet.state().chain_key_s.view());
  o["non_interactive_auth"] = Hex(encoding);
}

}  // namespace otr::v4::vectors
