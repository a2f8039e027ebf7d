// Deniability of OTRv4 Data Messages (otrv4.md, "Forging Transcripts":
// "Modify Data Message", and "Revealing MAC Keys": "once MAC keys are
// revealed, anyone can modify an OTR message and still have it appear as
// valid"; issue 17, "Security properties").
//
// After a random conversation (messages delivered out of order), every
// message that was read has its MAC key revealed in a later Data Message
// of its receiver ("The first data message sent every ratchet reveals
// them"). A forger holding only the transcript and the known plaintext
// follows the spec's recipe: XOR the old and the new text into the
// encrypted message, then recompute the Authenticator with the revealed
// MAC key, with the library's own Authenticator over the library's own
// DataMessageMacInput ("These forging operations must use the same
// functions used for honest conversations"). The judge is the receiver's
// ratchet as it was just before the original arrived (a copy): it accepts
// the forgery exactly as it accepted the original and decrypts the forger's
// text, so the transcript proves nothing about which one was sent. Before
// the reveal the same forger is refused (kBadMac), also with every MAC key
// revealed so far; and the revealer itself no longer accepts anything under
// a key it revealed.
#include <gtest/gtest.h>
#include <rapidcheck.h>

#include <algorithm>
#include <cstdio>
#include <string>

#include "crypto/secret_bytes.h"
#include "crypto/testing/deterministic_random.h"
#include "protocol/v4/dake/forge.h"
#include "protocol/v4/ratchet/derive.h"
#include "tests/properties/property_check.h"
#include "tests/properties/v4_fixture.h"
#include "tests/properties/v4_pair.h"

namespace otr::properties {
namespace {

using crypto::SecretBytes;
using v4p::kV4Now;
using v4p::V4Pair;

// "Recalculate the MAC tag with the revealed MAC key associated with this
// message" (the ReMAC of "Forging Transcripts").
void Remac(const crypto::Backend& backend, const v4::MacKey& key, v4::DataMessage& m) {
  const SecretBytes tag =
      v4::ratchet::Authenticator(backend, SecretBytes{ByteView(key)}, v4::DataMessageMacInput(m));
  std::copy(tag.view().begin(), tag.view().end(), m.authenticator.begin());
}

bool Authenticates(const crypto::Backend& backend, const v4::MacKey& key,
                   const v4::DataMessage& m) {
  const SecretBytes tag =
      v4::ratchet::Authenticator(backend, SecretBytes{ByteView(key)}, v4::DataMessageMacInput(m));
  return crypto::ConstantTimeEqual(tag.view(), m.authenticator);
}

// A different printable text of the same length, derived from `seed`.
Bytes ChosenPlaintext(const std::string& original, uint64_t seed) {
  Bytes out(original.size());
  for (size_t i = 0; i < out.size(); ++i) {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    out[i] = static_cast<uint8_t>(0x20 + (seed >> 33) % 0x5f);
  }
  if (!out.empty() && std::equal(out.begin(), out.end(), original.begin())) {
    out[0] = static_cast<uint8_t>(out[0] == 'A' ? 'B' : 'A');
  }
  return out;
}

using V4DeniabilityTest = V4PropertyTest;

TEST_P(V4DeniabilityTest, DataMessagesForgeableOnceTheMacKeyIsRevealedAndNotBefore) {
  const crypto::Backend& alice = alice_backend();
  const crypto::Backend& bob = bob_backend();
  size_t forged = 0, refused_before = 0, dead_after = 0;
  const bool ok = CheckProperty(Name("deniability of data messages"), 5, [&] {
    const uint64_t seed = *rc::gen::arbitrary<uint64_t>();
    auto pair = V4Pair::Start(alice, bob, seed);
    RC_ASSERT(pair.ok());
    pair->KeepSnapshots(true);
    RC_ASSERT(v4p::RunRandomScript(*pair, *rc::gen::inRange(4, 30)).ok());
    RC_ASSERT(pair->Flush().ok());
    RC_ASSERT(pair->PingPong(2).ok());  // each side reveals what it read
    const auto& t = pair->transcript();
    for (size_t index = 0; index < t.size(); ++index) {
      const v4p::V4Sent& original = t[index];
      const v4::DataMessage& m = original.message;
      const auto& judge = pair->snapshot(index);
      RC_ASSERT(judge.has_value());
      const crypto::Backend& receiver_backend = pair->backend(1 - original.from);
      // The forger's edit of the ciphertext, keyless ("Modify Data Message").
      const Bytes chosen = ChosenPlaintext(original.text, seed + index);
      RC_ASSERT(m.encrypted_message.size() == original.text.size());
      v4::DataMessage forgery = m;
      for (size_t i = 0; i < chosen.size(); ++i) {
        forgery.encrypted_message[i] ^= static_cast<uint8_t>(original.text[i]) ^ chosen[i];
      }
      // Where the transcript first reveals the key that authenticates m.
      size_t reveal = t.size();
      v4::MacKey key{};
      for (size_t i = 0; i < t.size() && reveal == t.size(); ++i) {
        for (const v4::MacKey& k : t[i].message.revealed_mac_keys) {
          if (Authenticates(receiver_backend, k, m)) {
            reveal = i;
            key = k;
            break;
          }
        }
      }
      // Every message read before the final ping-pong's last one was revealed,
      // after it was sent, by its receiver.
      if (index + 1 < t.size()) RC_ASSERT(reveal < t.size());
      if (reveal == t.size()) continue;
      RC_ASSERT(reveal > index);
      RC_ASSERT(t[reveal].from == 1 - original.from);

      // Before the reveal: the original MAC and every key revealed so far
      // fail on the edited message.
      RC_ASSERT(judge->PrepareReceive(kV4Now, forgery).code() == ErrorCode::kBadMac);
      for (size_t i = 0; i < reveal; ++i) {
        for (const v4::MacKey& k : t[i].message.revealed_mac_keys) {
          v4::DataMessage attempt = forgery;
          Remac(receiver_backend, k, attempt);
          RC_ASSERT(!judge->PrepareReceive(kV4Now, attempt).ok());
        }
      }
      ++refused_before;

      // After the reveal: the receiver's own check accepts the forgery and
      // decrypts the forger's text.
      Remac(receiver_backend, key, forgery);
      auto accepted = judge->PrepareReceive(kV4Now, forgery);
      RC_ASSERT(accepted.ok());
      RC_ASSERT(accepted->received.plaintext.Declassify() == chosen);
      ++forged;

      // The revealer, now, refuses it (the key was used and deleted).
      RC_ASSERT(!pair->ratchet(1 - original.from).PrepareReceive(kV4Now, forgery).ok());
      ++dead_after;
    }
  });
  EXPECT_TRUE(ok);
  std::fprintf(stderr,
               "v4 deniability: %zu forgeries accepted after the reveal, %zu refused before, "
               "%zu refused by the revealer\n",
               forged, refused_before, dead_after);
  EXPECT_GT(forged, 0u);
  EXPECT_EQ(refused_before, forged);
}

// "Forge DAKE and Session Keys", "Impersonate Initiator or Responder" and
// "Forger Keys": with the two Client Profiles and no secret at all, or with
// any one of the four long-term secrets (either party's H or forging key),
// anyone makes an Identity, Auth-R, Auth-I transcript that a judge's
// VerifyTranscript accepts exactly as it accepts the honest one from the
// same profiles (protocol/v4/dake/forge.h). The judge is not blind: a
// transcript with one scalar of a signature changed, or with the two
// signatures swapped between the messages, is refused.
TEST_P(V4DeniabilityTest, AnyoneForgesADakeTranscriptThatVerifies) {
  namespace dake = v4::dake;
  const crypto::Backend& alice = alice_backend();
  const crypto::Backend& bob = bob_backend();
  size_t forged = 0, refused = 0;
  const bool ok = CheckProperty(Name("deniability of the DAKE"), 3, [&] {
    const uint64_t seed = *rc::gen::arbitrary<uint64_t>();
    auto pair = V4Pair::Start(alice, bob, seed);
    RC_ASSERT(pair.ok());
    const v4p::DakePublics& honest = pair->dake_publics();
    const v4p::V4Identity& a = pair->party(0).identity;
    const v4p::V4Identity& b = pair->party(1).identity;
    // The judge (on either backend) accepts the honest transcript.
    for (const crypto::Backend* judge : {&alice, &bob}) {
      RC_ASSERT(dake::VerifyTranscript(*judge, honest.identity, honest.auth_r, honest.auth_i,
                                       honest.phi_prime, v4p::kDakeNow)
                    .ok());
    }
    const dake::ForgerKey kind = *rc::gen::element(
        dake::ForgerKey::kNone, dake::ForgerKey::kAliceLongTerm, dake::ForgerKey::kBobLongTerm,
        dake::ForgerKey::kAliceForgingKey, dake::ForgerKey::kBobForgingKey);
    dake::ForgeRequest request;
    request.bob_client_profile = &b.client_profile;
    request.alice_client_profile = &a.client_profile;
    request.bob_instance_tag = b.instance_tag;
    request.alice_instance_tag = a.instance_tag;
    request.forger_key = kind;
    request.phi_prime = honest.phi_prime;
    request.now = v4p::kDakeNow;
    switch (kind) {
      case dake::ForgerKey::kNone:
        break;
      case dake::ForgerKey::kAliceLongTerm:
        request.secret = &a.long_term.secret;
        break;
      case dake::ForgerKey::kBobLongTerm:
        request.secret = &b.long_term.secret;
        break;
      case dake::ForgerKey::kAliceForgingKey:
        request.secret = &a.forging.secret;
        break;
      case dake::ForgerKey::kBobForgingKey:
        request.secret = &b.forging.secret;
        break;
    }
    // The forger works on a backend of its own choosing.
    const crypto::Backend& forger = **rc::gen::element(&alice, &bob);
    crypto::testing::DeterministicRandom forger_random(seed ^ 0x5eed);
    auto forgery = dake::ForgeInteractiveDake(forger, request, forger_random);
    RC_ASSERT(forgery.ok());
    // The forged messages cross the wire like honest ones.
    auto identity = v4::DecodeIdentityMessage(v4::EncodeIdentityMessage(forgery->identity));
    auto auth_r = v4::DecodeAuthR(v4::EncodeAuthR(forgery->auth_r));
    auto auth_i = v4::DecodeAuthI(v4::EncodeAuthI(forgery->auth_i));
    RC_ASSERT(identity.ok() && auth_r.ok() && auth_i.ok());
    for (const crypto::Backend* judge : {&alice, &bob}) {
      RC_ASSERT(dake::VerifyTranscript(*judge, *identity, *auth_r, *auth_i, honest.phi_prime,
                                       v4p::kDakeNow)
                    .ok());
    }
    ++forged;
    // The judge refuses a changed signature.
    v4::AuthR bad_r = *auth_r;
    bad_r.sigma.r2[0] ^= 1;
    RC_ASSERT(
        !dake::VerifyTranscript(alice, *identity, bad_r, *auth_i, honest.phi_prime, v4p::kDakeNow)
             .ok());
    v4::AuthI bad_i = *auth_i;
    bad_i.sigma = auth_r->sigma;
    RC_ASSERT(
        !dake::VerifyTranscript(bob, *identity, *auth_r, bad_i, honest.phi_prime, v4p::kDakeNow)
             .ok());
    ++refused;
  });
  EXPECT_TRUE(ok);
  std::fprintf(stderr,
               "v4 DAKE deniability: %zu forged transcripts verified, %zu tampered refused\n",
               forged, refused);
  EXPECT_GT(forged, 0u);
}

OTR_INSTANTIATE_V4_PROPERTY(V4DeniabilityTest);

}  // namespace
}  // namespace otr::properties
