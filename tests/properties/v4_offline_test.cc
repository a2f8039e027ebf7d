// Security properties of the offline start (otrv4.md, "Non-interactive
// Deniable Authenticated Key Exchange (DAKE)", "Deniability", "Prekey Server
// Forged Conversations", "Forger Keys", "Forging Transcripts"; issue 18,
// "Security properties for the offline case"). Bob publishes (a Prekey
// Profile and Prekey Messages, their secrets in an InMemoryPrekeyStore as a
// Session keeps them); Alice validates an ensemble, sends a
// Non-Interactive-Auth and Data Messages from the first ratchet.
//
// What the spec claims, and what is tested here:
//   - "Both DAKEs (interactive and non-interactive) provide offline
//     deniability as anyone can forge a DAKE transcript between two parties
//     using their long-term public keys." For XZDH the forger needs what a
//     prekey server hands to anyone: Bob's Client Profile and one of his
//     Prekey Profiles (signed by Bob; t covers D_b); the Prekey Message is
//     not signed by anyone, so the forger makes its own and signs the ring
//     {F_b, H_a, Y} with its y. Tested: such a transcript (Non-Interactive-
//     Auth and Data Messages of the forger's choosing) passes every check a
//     judge can run from public values (the ensemble, Alice's Client
//     Profile, RVrf over the same t), and even Bob's own validation run with
//     his secret keys and the Prekey Message's secrets, naming Alice as the
//     peer and decrypting to the forger's texts, exactly as the honest
//     transcript does. The same with Bob himself as the forger, signing with
//     his forging key or with y of one of his real Prekey Messages ("Forger
//     Keys"; Bob can impersonate Alice to himself).
//   - Not claimed, not tested: online deniability for Alice. The spec says
//     the Non-Interactive-Auth's sender has none ("Alice, the responder,
//     does not").
//   - Forward secrecy of the prekey secrets: "Each Prekey message contains
//     two one-time use ephemeral public prekey values" and they are deleted
//     once used. Tested: before Bob erases the secrets of the Prekey Message
//     used, an attacker running Bob's own validation reads the offline
//     messages (the control: the attack is real); after the erasure the
//     same attacker, holding both parties' long-term and forging secrets,
//     Bob's shared prekey secret sk_d, every Prekey Message secret Bob still
//     stores and the whole transcript, opens nothing; and the erased y and b
//     are in no live secret buffer (crypto/secret_registry.h).
#include <gtest/gtest.h>
#include <rapidcheck.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "crypto/secret_bytes.h"
#include "crypto/secret_registry.h"
#include "crypto/testing/deterministic_random.h"
#include "protocol/v4/crypto/fingerprint.h"
#include "protocol/v4/crypto/keys.h"
#include "protocol/v4/crypto/ring_signature.h"
#include "protocol/v4/dake/xzdh.h"
#include "protocol/v4/engine/prekey_store.h"
#include "protocol/v4/profile/client_profile.h"
#include "protocol/v4/profile/expiration.h"
#include "protocol/v4/profile/prekey_profile.h"
#include "tests/properties/property_check.h"
#include "tests/properties/v4_fixture.h"
#include "tests/properties/v4_pair.h"

namespace otr::properties {
namespace {

using crypto::SecretBytes;
using crypto::testing::DeterministicRandom;
using v4::dake::PrekeyEnsembleValues;
using v4::dake::PrekeySecrets;
using v4p::kDakeNow;
using v4p::kV4Now;

constexpr wire::InstanceTag kAliceTag = 0x100;
constexpr wire::InstanceTag kBobTag = 0x101;

// Bob's publication and both identities.
struct Offline {
  const crypto::Backend* alice_backend = nullptr;
  const crypto::Backend* bob_backend = nullptr;
  std::unique_ptr<DeterministicRandom> random;  // everyone's (one run, one seed)
  v4p::V4Identity alice, bob;
  v4::PrekeyProfile prekey_profile;  // Bob's, public
  v4::InMemoryPrekeyStore store;     // Bob's secrets
  std::vector<PrekeyEnsembleValues> ensembles;

  v4::dake::OurLongTermKeys alice_keys() const {
    return {&alice.long_term, &alice.client_profile, kAliceTag};
  }
  v4::dake::OurLongTermKeys bob_keys() const {
    return {&bob.long_term, &bob.client_profile, kBobTag};
  }
  const SecretBytes& shared_prekey_secret() const {
    return store.FindPrekeyProfile(kBobTag, kDakeNow)->shared_prekey_secret;
  }
};

Result<std::unique_ptr<Offline>> Publish(const crypto::Backend& alice_backend,
                                         const crypto::Backend& bob_backend, uint64_t seed,
                                         size_t count) {
  auto w = std::make_unique<Offline>();
  w->alice_backend = &alice_backend;
  w->bob_backend = &bob_backend;
  w->random = std::make_unique<DeterministicRandom>(seed);
  OTR_ASSIGN_OR_RETURN(w->alice, v4p::MakeV4Identity(alice_backend, *w->random, kAliceTag));
  OTR_ASSIGN_OR_RETURN(w->bob, v4p::MakeV4Identity(bob_backend, *w->random, kBobTag));
  OTR_ASSIGN_OR_RETURN(v4::Ed448KeyPair d, v4::GenerateSharedPrekeyPair(bob_backend, *w->random));
  v4::profile::PrekeyProfileParams params;
  params.owner_instance_tag = kBobTag;
  params.expiration = v4::profile::ExpirationFrom(kDakeNow);
  params.shared_prekey = d.pub;
  OTR_ASSIGN_OR_RETURN(w->prekey_profile, v4::profile::CreatePrekeyProfile(
                                              bob_backend, w->bob.long_term.sym_key, params));
  const int64_t keep = params.expiration + v4::profile::kRecommendedExtraValidity;
  w->store.AddPrekeyProfile(v4::OurPrekeyProfile{w->prekey_profile, d.secret}, keep);
  OTR_ASSIGN_OR_RETURN(std::vector<v4::PrekeyMessage> messages,
                       v4::GeneratePrekeyMessages(bob_backend, w->store, kBobTag, count, keep,
                                                  kDakeNow, *w->random));
  for (v4::PrekeyMessage& m : messages) {
    w->ensembles.push_back({w->bob.client_profile, w->prekey_profile, std::move(m)});
  }
  return w;
}

// What crossed the wire of one offline start.
struct OfflineTranscript {
  v4::PrekeyMessage prekey_message;  // of the ensemble the sender used
  v4::NonInteractiveAuth auth;
  std::vector<v4::DataMessage> data;
};

// The sender's side after its Non-Interactive-Auth: the first ratchet
// (StartNonInteractiveAuthSender), one Data Message per text.
Result<OfflineTranscript> Write(const crypto::Backend& backend,
                                const PrekeyEnsembleValues& ensemble,
                                v4::dake::NonInteractiveAuthSent sent,
                                const std::vector<std::string>& texts, crypto::Random& random) {
  OfflineTranscript out{ensemble.prekey_message, sent.message, {}};
  OTR_ASSIGN_OR_RETURN(v4::ratchet::Ratchet ratchet,
                       v4::dake::StartXzdhRatchet(backend, {}, sent.result));
  v4::Header header;
  header.sender_instance_tag = kAliceTag;
  header.receiver_instance_tag = kBobTag;
  for (const std::string& text : texts) {
    OTR_ASSIGN_OR_RETURN(v4::ratchet::SentMessage m,
                         ratchet.Send(kV4Now, header, 0, AsBytes(text), random));
    out.data.push_back(std::move(m.message));
  }
  return out;
}

// Alice, honestly: "Validating Prekey Ensembles", then
// RSig(H_a, sk_ha, {F_b, H_a, Y}, t).
Result<OfflineTranscript> AliceWrites(Offline& w, size_t ensemble,
                                      const std::vector<std::string>& texts) {
  const crypto::Backend& b = *w.alice_backend;
  const PrekeyEnsembleValues& values = w.ensembles.at(ensemble);
  auto their = v4::dake::ValidateEnsemble(b, values, kDakeNow);
  OTR_RETURN_IF_ERROR(their.ToStatus());
  OTR_ASSIGN_OR_RETURN(v4::dake::OurDakeKeys keys, v4::dake::GenerateOurDakeKeys(b, *w.random));
  OTR_ASSIGN_OR_RETURN(v4::dake::NonInteractiveAuthSent sent,
                       v4::dake::MakeNonInteractiveAuth(b, w.alice_keys(), their.value(),
                                                        std::move(keys), {}, *w.random));
  return Write(b, values, std::move(sent), texts, *w.random);
}

// A forger: the same functions with Alice's public Client Profile and the
// ring signed with `signer` (the secret of F_b or of the ensemble's Y).
Result<OfflineTranscript> ForgerWrites(Offline& w, const PrekeyEnsembleValues& ensemble,
                                       const SecretBytes& signer,
                                       const std::vector<std::string>& texts) {
  const crypto::Backend& b = *w.alice_backend;
  auto their = v4::dake::ValidateEnsemble(b, ensemble, kDakeNow);
  OTR_RETURN_IF_ERROR(their.ToStatus());
  OTR_ASSIGN_OR_RETURN(v4::dake::OurDakeKeys keys, v4::dake::GenerateOurDakeKeys(b, *w.random));
  OTR_ASSIGN_OR_RETURN(v4::dake::NonInteractiveAuthSent sent,
                       v4::dake::MakeNonInteractiveAuthSignedWith(
                           b, w.alice.client_profile, kAliceTag, their.value(), std::move(keys), {},
                           signer, *w.random));
  return Write(b, ensemble, std::move(sent), texts, *w.random);
}

// The judge from public values: the ensemble of the transcript's Prekey
// Message is valid, so is the sender's Client Profile, and RVrf({F_b, H_a,
// Y}, sigma, t) holds over the t both sides compute.
Status PublicCheck(const Offline& w, const OfflineTranscript& t) {
  const crypto::Backend& b = *w.bob_backend;
  const PrekeyEnsembleValues ensemble{w.bob.client_profile, w.prekey_profile, t.prekey_message};
  OTR_RETURN_IF_ERROR(v4::dake::ValidateEnsemble(b, ensemble, kDakeNow).ToStatus());
  if (!v4::profile::ValidateClientProfile(b, t.auth.client_profile,
                                          t.auth.header.sender_instance_tag, kDakeNow)
           .ok()) {
    return MakeError(ErrorCode::kInvalidKey, "the sender's Client Profile");
  }
  const Bytes phi = v4::dake::NonInteractiveSessionState(
      t.auth.header.sender_instance_tag, t.auth.header.receiver_instance_tag, t.auth.our_ecdh_first,
      t.auth.our_dh_first, {});
  const v4::dake::NonInteractiveTranscript values{&w.bob.client_profile,
                                                  &t.auth.client_profile,
                                                  t.prekey_message.y,
                                                  t.auth.x,
                                                  t.prekey_message.b,
                                                  t.auth.a,
                                                  w.prekey_profile.shared_prekey};
  const v4::RingSig& s = t.auth.sigma;
  return v4::RVrf(b,
                  v4::RingEncodings{w.bob.client_profile.forging_key,
                                    t.auth.client_profile.public_key, t.prekey_message.y},
                  v4::RingSigma{s.c1, s.r1, s.c2, s.r2, s.c3, s.r3},
                  v4::dake::NonInteractiveAuthT(b, values, phi));
}

// Bob's own reading ("Receiving a Non-Interactive-Auth Message", then the
// first ratchet) with his secret keys and `prekey`: the peer's fingerprint
// and the texts read.
struct Read {
  v4::Fingerprint peer{};
  std::vector<std::string> texts;
};
Result<Read> BobReads(const Offline& w, const PrekeySecrets* prekey, const OfflineTranscript& t) {
  const crypto::Backend& b = *w.bob_backend;
  const v4::dake::OurPrekeyValues values{&w.prekey_profile, &w.shared_prekey_secret(), prekey, {}};
  auto got = v4::dake::ValidateNonInteractiveAuth(b, t.auth, w.bob_keys(), values, {}, kDakeNow);
  OTR_RETURN_IF_ERROR(got.ToStatus());
  v4::dake::XzdhResult result = std::move(got).value();
  Read read;
  read.peer = result.their_fingerprint;
  OTR_ASSIGN_OR_RETURN(v4::ratchet::Ratchet ratchet, v4::dake::StartXzdhRatchet(b, {}, result));
  for (const v4::DataMessage& m : t.data) {
    OTR_ASSIGN_OR_RETURN(v4::ratchet::ReceivedMessage r, ratchet.Receive(kV4Now, m));
    read.texts.emplace_back(r.plaintext.view().begin(), r.plaintext.view().end());
  }
  return read;
}

std::vector<std::string> Texts() {
  return *rc::gen::container<std::vector<std::string>>(
      *rc::gen::inRange<size_t>(1, 4),
      rc::gen::nonEmpty(rc::gen::container<std::string>(rc::gen::inRange<char>(0x20, 0x7f))));
}

using V4OfflineTest = V4PropertyTest;

enum class Forger { kThirdParty, kBobForgingKey, kBobPrekey };

TEST_P(V4OfflineTest, AnyoneWithThePublicValuesForgesAnOfflineStartBobAccepts) {
  size_t cases[3] = {0, 0, 0};
  const bool ok = CheckProperty(Name("offline deniability"), 1, [&] {
    auto made = Publish(alice_backend(), bob_backend(), *rc::gen::arbitrary<uint64_t>(), 2);
    RC_ASSERT(made.ok());
    Offline& w = **made;
    const std::vector<std::string> said = Texts(), forged_texts = Texts();
    auto honest = AliceWrites(w, 0, said);
    RC_ASSERT(honest.ok());

    // The judge from public values accepts the honest start.
    RC_ASSERT(PublicCheck(w, *honest).ok());
    const v4::Fingerprint alice_fp =
        v4::ComputeFingerprint(alice_backend(), w.alice.long_term.pub, w.alice.forging.pub);
    auto read_honest = BobReads(
        w, w.store.FindPrekey(honest->auth.prekey_message_identifier, kBobTag, kDakeNow), *honest);
    RC_ASSERT(read_honest.ok());
    RC_ASSERT(read_honest->peer == alice_fp);
    RC_ASSERT(read_honest->texts == said);

    for (Forger who : {Forger::kThirdParty, Forger::kBobForgingKey, Forger::kBobPrekey}) {
      // The prekey of the forged start and the secrets Bob's check gets.
      std::optional<v4::dake::MadePrekeyMessage> own;
      PrekeyEnsembleValues ensemble = w.ensembles[1];
      const PrekeySecrets* secrets =
          w.store.FindPrekey(ensemble.prekey_message.identifier, kBobTag, kDakeNow);
      RC_ASSERT(secrets != nullptr);
      const SecretBytes* signer = &secrets->ecdh.secret();
      if (who == Forger::kThirdParty) {
        // Public values only: a Prekey Message of its own under Bob's tag
        // (made on Bob's backend: its secrets go to his validation below).
        auto m = v4::dake::MakePrekeyMessage(bob_backend(), kBobTag, *w.random);
        RC_ASSERT(m.ok());
        own.emplace(std::move(*m));
        ensemble.prekey_message = own->message;
        secrets = &own->secrets;
        signer = &own->secrets.ecdh.secret();
      } else if (who == Forger::kBobForgingKey) {
        signer = &w.bob.forging.secret;
      }
      auto forged = ForgerWrites(w, ensemble, *signer, forged_texts);
      RC_ASSERT(forged.ok());
      // As the honest start: the public checks, then Bob's own validation
      // with his secrets (from Alice, the forger's texts read).
      RC_ASSERT(PublicCheck(w, *forged).ok());
      auto read_forged = BobReads(w, secrets, *forged);
      RC_ASSERT(read_forged.ok());
      RC_ASSERT(read_forged->peer == alice_fp);
      RC_ASSERT(read_forged->texts == forged_texts);
      // The judge's check is not vacuous: one scalar of sigma changed fails.
      OfflineTranscript bad = *forged;
      bad.auth.sigma.r2[*rc::gen::inRange<size_t>(0, 56)] ^= 1;
      RC_ASSERT(!PublicCheck(w, bad).ok());
      ++cases[static_cast<int>(who)];
    }
  });
  EXPECT_TRUE(ok);
  std::fprintf(stderr, "v4 offline deniability: third party %zu, Bob's forging key %zu, y %zu\n",
               cases[0], cases[1], cases[2]);
}

bool Contains(ByteView haystack, const Bytes& needle) {
  return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end()) !=
         haystack.end();
}

TEST_P(V4OfflineTest, ErasedPrekeySecretsLeaveTheOfflineMessagesClosedToLongTermKeys) {
  size_t opened_before = 0, tried_after = 0;
  const bool ok = CheckProperty(Name("offline forward secrecy"), 1, [&] {
    const size_t count = 2;
    auto made = Publish(alice_backend(), bob_backend(), *rc::gen::arbitrary<uint64_t>(), count);
    RC_ASSERT(made.ok());
    Offline& w = **made;
    const size_t used = *rc::gen::inRange<size_t>(0, count);
    const std::vector<std::string> said = Texts();
    auto t = AliceWrites(w, used, said);
    RC_ASSERT(t.ok());
    const uint32_t id = t->auth.prekey_message_identifier;
    RC_ASSERT(id == w.ensembles[used].prekey_message.identifier);

    // The attacker: Bob's own validation fed every secret it holds as the
    // prekey's y and b (both parties' long-term and forging secrets, sk_d,
    // the secrets of every Prekey Message Bob still stores); counts the
    // combinations that read the first message.
    const crypto::Backend& b = *w.bob_backend;
    auto y = b.Ed448Decode(t->prekey_message.y);
    RC_ASSERT(y.ok());
    // `everything`: every ECDH secret with every DH secret; otherwise the
    // pairs of the Prekey Messages still stored (the control).
    auto attack = [&](bool everything) -> size_t {
      std::vector<const SecretBytes*> ecdh = {&w.alice.long_term.secret, &w.alice.forging.secret,
                                              &w.bob.long_term.secret, &w.bob.forging.secret,
                                              &w.shared_prekey_secret()};
      const size_t first_stored = ecdh.size();  // then the stored y, as dh has b
      std::vector<const SecretBytes*> dh;
      for (const PrekeyEnsembleValues& e : w.ensembles) {
        if (const PrekeySecrets* s =
                w.store.FindPrekey(e.prekey_message.identifier, kBobTag, kDakeNow)) {
          ecdh.push_back(&s->ecdh.secret());
          dh.push_back(&s->dh.secret);
        }
      }
      size_t opened = 0;
      for (size_t i = 0; i < ecdh.size(); ++i) {
        for (size_t j = 0; j < dh.size(); ++j) {
          if (!everything && i != first_stored + j) continue;
          const SecretBytes* e = ecdh[i];
          const SecretBytes* d = dh[j];
          PrekeySecrets guess;
          guess.identifier = id;
          guess.owner_instance_tag = kBobTag;
          // The guessed y with the prekey's Y as sent.
          auto guessed = v4::EcdhKeyPair::FromSecretAndWire(b, *e, t->prekey_message.y);
          RC_ASSERT(guessed.ok());
          guess.ecdh = std::move(guessed).value();
          guess.dh = crypto::DhKeyPair{*d, t->prekey_message.b};
          OfflineTranscript first = *t;
          first.data.resize(1);
          auto read = BobReads(w, &guess, first);
          if (read.ok() && read->texts.front() == said.front()) ++opened;
          ++tried_after;
        }
      }
      return opened;
    };
    // Before the erasure the attack is real: the stored y and b read it.
    const size_t before = attack(false);
    RC_ASSERT(before >= 1);
    ++opened_before;
    tried_after = 0;

    // Bob reads (the secrets of the Prekey Message named) and erases them.
    const PrekeySecrets* secrets = w.store.FindPrekey(id, kBobTag, kDakeNow);
    RC_ASSERT(secrets != nullptr);
    const Bytes erased_y = secrets->ecdh.secret().Declassify();
    const Bytes erased_b = secrets->dh.secret.Declassify();
    auto read = BobReads(w, secrets, *t);
    RC_ASSERT(read.ok());
    RC_ASSERT(read->texts == said);
    w.store.ErasePrekey(id, kBobTag);
    RC_ASSERT(w.store.FindPrekey(id, kBobTag, kDakeNow) == nullptr);

    RC_ASSERT(attack(true) == 0u);
    bool found = false;
    crypto::ForEachLiveSecret(
        [&](ByteView s) { found = found || Contains(s, erased_y) || Contains(s, erased_b); });
    RC_ASSERT(!found);
  });
  EXPECT_TRUE(ok);
  std::fprintf(stderr,
               "v4 offline forward secrecy: %zu starts read before the erasure, none after "
               "(%zu guesses in the last case)\n",
               opened_before, tried_after);
}

OTR_INSTANTIATE_V4_PROPERTY(V4OfflineTest);

}  // namespace
}  // namespace otr::properties
