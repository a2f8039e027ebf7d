// Fuzzes the decoders of the `libotr-ng` compatibility profile
// (protocol/v4/libotr_ng, issue 20): the recognizer a spec-exact session
// runs on every v4 message it refuses, libotr-ng's Data Message, its
// 336-byte ring signature, its signed Client Profile, the Client Profile
// key-type conversion, its DAKE messages (Identity, Auth-R, Auth-I), the
// carrier that holds them in the engine's structs, its SMP bodies, and its
// DAKE-1 and DAKE-3 with the prekey server and its Ensemble Retrieval
// (protocol/prekey/common/libotr_ng.h).
// Whatever decodes must re-encode to exactly the input; the conversion is
// its own inverse. Decoded DAKE messages then go through the profile's
// validations (ValidateIdentity, ValidateAuthRAndMakeAuthI, ValidateAuthI,
// ValidateNonInteractiveAuth) against fixed parties: Bob receives Identity,
// Auth-R and the Non-Interactive-Auth (non_interactive.h; his fixed Prekey
// Message and shared prekey), Alice Auth-I.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>

#include "crypto/testing/deterministic_random.h"
#include "fuzz/support/fuzz_backend.h"
#include "fuzz/support/v4_harness.h"
#include "protocol/prekey/common/libotr_ng.h"
#include "protocol/v4/crypto/keys.h"
#include "protocol/v4/dake/xzdh.h"
#include "protocol/v4/libotr_ng/carrier.h"
#include "protocol/v4/libotr_ng/client_profile.h"
#include "protocol/v4/libotr_ng/dake.h"
#include "protocol/v4/libotr_ng/data_message.h"
#include "protocol/v4/libotr_ng/non_interactive.h"
#include "protocol/v4/libotr_ng/recognize.h"
#include "protocol/v4/libotr_ng/ring_signature.h"
#include "protocol/v4/libotr_ng/smp_body.h"

namespace {

namespace ng = otr::v4::libotr_ng;
using otr::fuzzing::kAliceTag;
using otr::fuzzing::kBobTag;
using otr::fuzzing::kV4StartTime;

constexpr char kAlice[] = "alice@localhost";
constexpr char kBob[] = "bob@localhost";

ng::OurSide SideOf(const otr::crypto::Backend& backend, int who) {
  const otr::v4::Identity& identity = otr::fuzzing::FixedV4Identity(who);
  ng::OurSide side;
  side.long_term = &identity.long_term;
  side.client_profile = &identity.client_profile;
  auto bytes =
      ng::EncodeAndSignClientProfile(backend, identity.long_term.sym_key, identity.client_profile);
  if (!bytes.ok()) __builtin_trap();
  side.client_profile_bytes = *bytes;
  side.instance_tag = who == 0 ? kAliceTag : kBobTag;
  side.identifier = who == 0 ? kAlice : kBob;
  return side;
}

// Made once: both sides, Bob's DAKE keys and his Identity, and Alice's
// Auth-R answering it (what an Auth-I is checked against).
struct Parties {
  otr::crypto::testing::DeterministicRandom random{20261203};
  ng::OurSide alice, bob;
  otr::v4::dake::OurDakeKeys alice_keys, bob_keys;
  std::optional<ng::AuthRSent> alice_pending;
  // Bob's Prekey Message and shared prekey, for the Non-Interactive-Auth.
  std::optional<otr::v4::dake::MadePrekeyMessage> bob_prekey;
  std::optional<otr::v4::Ed448KeyPair> bob_shared_prekey;
};

Parties& FixedParties(const otr::crypto::Backend& backend) {
  static Parties* parties = [&] {
    auto* p = new Parties;
    p->alice = SideOf(backend, 0);
    p->bob = SideOf(backend, 1);
    auto alice_keys = otr::v4::dake::GenerateOurDakeKeys(backend, p->random);
    auto bob_keys = otr::v4::dake::GenerateOurDakeKeys(backend, p->random);
    if (!alice_keys.ok() || !bob_keys.ok()) __builtin_trap();
    p->alice_keys = std::move(alice_keys).value();
    p->bob_keys = std::move(bob_keys).value();
    const ng::IdentityMessage identity = ng::MakeIdentity(p->bob, kAliceTag, p->bob_keys);
    auto bob = ng::ValidateIdentity(backend, identity, kAliceTag, kV4StartTime);
    if (!bob.ok()) __builtin_trap();
    auto pending = ng::MakeAuthR(backend, p->alice, bob.value(), kBob, p->alice_keys, p->random);
    if (!pending.ok()) __builtin_trap();
    p->alice_pending = std::move(pending).value();
    auto prekey = otr::v4::dake::MakePrekeyMessage(backend, kBobTag, p->random);
    auto shared_prekey = otr::v4::GenerateSharedPrekeyPair(backend, p->random);
    if (!prekey.ok() || !shared_prekey.ok()) __builtin_trap();
    p->bob_prekey = std::move(prekey).value();
    p->bob_shared_prekey = std::move(shared_prekey).value();
    return p;
  }();
  return *parties;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const otr::ByteView input(data, size);
  (void)otr::v4::libotr_ng::RecognizeVariant(input);

  if (auto m = otr::v4::libotr_ng::Decode(input); m.ok()) {
    if (otr::v4::libotr_ng::Encode(*m) != otr::Bytes(input.begin(), input.end())) {
      __builtin_trap();
    }
  }
  // A Client Profile's fields start after the 11-byte DAKE header in the
  // seeds; the conversion is tried on the input as given too.
  for (size_t skip : {size_t{0}, size_t{11}}) {
    if (size < skip) break;
    const otr::ByteView fields = input.subspan(skip);
    if (auto spec = otr::v4::libotr_ng::FieldsFromLibotrNg(fields); spec.ok()) {
      auto back = otr::v4::libotr_ng::FieldsToLibotrNg(*spec);
      if (!back.ok() || *back != otr::Bytes(fields.begin(), fields.end())) __builtin_trap();
    }
  }
  // The fixed parties come from fuzz/support (FixedV4Identity), made with
  // FuzzBackend(): the stand-in in a fuzzing build (decision 0027).
  const otr::crypto::Backend& backend = otr::fuzzing::FuzzBackend();
  if (auto sigma = otr::v4::libotr_ng::DecodeRingSig(backend, input); sigma.ok()) {
    if (otr::v4::libotr_ng::EncodeRingSig(*sigma) != otr::Bytes(input.begin(), input.end())) {
      __builtin_trap();
    }
  }
  const otr::Bytes bytes(input.begin(), input.end());
  // libotr-ng's DAKE-1, DAKE-2 and DAKE-3 with the prekey server (decision 0034).
  if (auto m = otr::prekey::libotr_ng::DecodeDake1(input); m.ok()) {
    if (otr::prekey::libotr_ng::EncodeDake1(*m) != bytes) __builtin_trap();
  }
  if (auto m = otr::prekey::libotr_ng::DecodeDake2(backend, input); m.ok()) {
    if (otr::prekey::libotr_ng::EncodeDake2(*m) != bytes) __builtin_trap();
  }
  if (auto m = otr::prekey::libotr_ng::DecodeDake3(backend, input); m.ok()) {
    if (otr::prekey::libotr_ng::EncodeDake3(*m) != bytes) __builtin_trap();
  }
  if (auto m = otr::prekey::libotr_ng::DecodeEnsembleRetrieval(input); m.ok()) {
    if (otr::prekey::libotr_ng::EncodeEnsembleRetrieval(*m) != bytes) __builtin_trap();
    for (const auto& e : m->ensembles) {
      if (!otr::prekey::libotr_ng::IsLibotrNgEnsemble(e)) __builtin_trap();
    }
  }
  if (auto m = otr::prekey::libotr_ng::DecodePublication(input); m.ok()) {
    if (otr::prekey::libotr_ng::EncodePublication(*m) != bytes) __builtin_trap();
    if (m->prekey_profile) {
      const otr::v4::Identity& bob = otr::fuzzing::FixedV4Identity(1);
      (void)otr::prekey::libotr_ng::DecodeAndVerifyPrekeyProfile(backend, *m->prekey_profile,
                                                                 bob.client_profile.public_key);
    }
  }
  Parties& parties = FixedParties(backend);
  if (auto m = otr::v4::libotr_ng::DecodeIdentity(input); m.ok()) {
    if (otr::v4::libotr_ng::EncodeIdentity(*m) != bytes) __builtin_trap();
    (void)ng::ValidateIdentity(backend, *m, kBobTag, kV4StartTime);
  }
  if (auto m = otr::v4::libotr_ng::DecodeAuthR(backend, input); m.ok()) {
    if (otr::v4::libotr_ng::EncodeAuthR(*m) != bytes) __builtin_trap();
    (void)ng::ValidateAuthRAndMakeAuthI(backend, *m, parties.bob, parties.bob_keys, kAlice,
                                        kV4StartTime, parties.random);
  }
  if (auto m = otr::v4::libotr_ng::DecodeAuthI(backend, input); m.ok()) {
    if (otr::v4::libotr_ng::EncodeAuthI(*m) != bytes) __builtin_trap();
    (void)ng::ValidateAuthI(backend, *m, parties.alice, *parties.alice_pending);
  }
  if (auto m = ng::DecodeNonInteractiveAuth(backend, input); m.ok()) {
    if (ng::EncodeNonInteractiveAuth(*m) != bytes) __builtin_trap();
    ng::OurPrekey prekey;
    prekey.identifier = m->prekey_message_identifier;  // as if stored
    prekey.ecdh = &parties.bob_prekey->secrets.ecdh;
    prekey.dh = &parties.bob_prekey->secrets.dh;
    prekey.shared_prekey = &*parties.bob_shared_prekey;
    (void)ng::ValidateNonInteractiveAuth(backend, *m, parties.bob, prekey, kAlice, kV4StartTime);
  }
  // The carrier (the engine's structs holding libotr-ng's messages) and the
  // SMP bodies: whatever decodes re-encodes to the input.
  if (auto m = ng::DecodeCarried(backend, input); m.ok()) {
    auto back = ng::EncodeCarried(*m);
    if (!back.ok() || *back != bytes) __builtin_trap();
  }
  for (uint16_t type = 2; type <= 5; ++type) {
    if (auto body = ng::SmpBodyFromLibotrNg(type, input); body.ok()) {
      auto back = ng::SmpBodyToLibotrNg(type, *body);
      if (!back.ok() || *back != bytes) __builtin_trap();
    }
  }
  // A signed profile that verifies carries the input's signature: its last
  // 114 bytes (CLIENT-EDDSA-SIG).
  if (auto profile = otr::v4::libotr_ng::DecodeAndVerifyClientProfile(backend, input);
      profile.ok()) {
    const size_t n = profile->signature.size();
    if (size < n || !std::equal(profile->signature.begin(), profile->signature.end(),
                                input.end() - static_cast<std::ptrdiff_t>(n))) {
      __builtin_trap();
    }
  }
  return 0;
}
