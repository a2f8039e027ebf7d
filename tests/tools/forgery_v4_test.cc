// The OTRv4 forgery toolkit (tools/forgery_v4.h; otrv4.md "Forging
// Transcripts", appendix "Modify an Encrypted Data Message") against the
// library's own receiver: two ratchets started by a real interactive DAKE
// (tests/properties/v4_pair.h), the judge being the receiver's ratchet as it
// was just before the original message arrived. What the `otr` commands
// readforge, modify, remac, mackey, forgedake and verifydake compute, on
// every crypto backend:
//   - read and forge with the message key (derived from the sender's chain
//     key): the judge reads the forged text; a wrong key is refused;
//   - the keyless edit plus the MAC key revealed in a later message: the
//     judge reads the edit; the edit alone, or re-MACed with another
//     revealed key, is refused;
//   - the DAKE found in the armored transcript verifies to a third party,
//     and so does one forged with no key or with one party's long-term key;
//     the key of the other party, or a changed message, does not;
//   - the non-interactive DAKE: an honest Non-Interactive-Auth to Bob's
//     Prekey Ensemble verifies to a third party, and so do forged ones (a
//     False Prekey Ensemble signed with the forger's y; Alice's long-term key
//     and Bob's forging key over his real ensemble, which Bob himself then
//     accepts whole, Auth MAC included); Bob's long-term key, another phi'
//     or a changed signature do not.
#include "tools/forgery_v4.h"

#include <gtest/gtest.h>

#include <string>

#include "crypto/backends.h"
#include "crypto/testing/deterministic_random.h"
#include "protocol/v4/crypto/keys.h"
#include "protocol/v4/dake/forge.h"
#include "protocol/v4/dake/shared_state.h"
#include "protocol/v4/dake/xzdh.h"
#include "protocol/v4/profile/expiration.h"
#include "protocol/v4/profile/prekey_profile.h"
#include "protocol/v4/ratchet/derive.h"
#include "tests/properties/v4_pair.h"

namespace otr::tools {
namespace {

using crypto::SecretBytes;
using properties::v4p::kDakeNow;
using properties::v4p::V4Pair;

class ForgeryV4Test : public ::testing::TestWithParam<const crypto::Backend*> {
 protected:
  const crypto::Backend& backend() const { return *GetParam(); }
  V4Pair Start() {
    auto pair = V4Pair::Start(backend(), backend(), 20261204);
    EXPECT_TRUE(pair.ok());
    pair->KeepSnapshots(true);
    return std::move(pair).value();
  }
  // The judge: the receiver of transcript entry `index` just before it
  // arrived, given `message` instead. The text read, or the error.
  Result<std::string> Judge(const V4Pair& pair, size_t index, const v4::DataMessage& message) {
    if (!pair.snapshot(index)) return MakeError(ErrorCode::kBadState, "not delivered yet");
    v4::ratchet::Ratchet judge = *pair.snapshot(index);
    OTR_ASSIGN_OR_RETURN(v4::ratchet::ReceivedMessage read,
                         judge.Receive(properties::v4p::kV4Now, message));
    return std::string(read.plaintext.view().begin(), read.plaintext.view().end());
  }
  // The armored text forgedake and verifydake read.
  static std::string Transcript(const v4::IdentityMessage& identity, const v4::AuthR& auth_r,
                                const v4::AuthI& auth_i) {
    return "bob: " + EncodeArmoredV4Message(identity) +
           "\nalice: " + EncodeArmoredV4Message(auth_r) +
           "\nbob: " + EncodeArmoredV4Message(auth_i) + "\n";
  }
};

TEST_P(ForgeryV4Test, ReadAndForgeWithTheMessageKey) {
  V4Pair pair = Start();
  // Alice's chain key for her next message ("Read and Forge": "in possession
  // of a chain key").
  const SecretBytes chain_key = pair.ratchet(0).state().chain_key_s;
  ASSERT_FALSE(chain_key.empty());
  auto index = pair.Send(0, "attack at dawn");
  ASSERT_TRUE(index.ok());
  const v4::DataMessage original = pair.transcript()[*index].message;
  auto delivered = pair.Deliver(*index);  // the judge: Bob just before this
  ASSERT_TRUE(delivered.ok());
  EXPECT_EQ(*delivered, "attack at dawn");
  // Through the armor, as the command reads it.
  auto armored = DecodeArmoredV4DataMessage(EncodeArmoredV4Message(original));
  ASSERT_TRUE(armored.ok());
  EXPECT_EQ(*armored, original);

  const SecretBytes mk_enc = MessageKeyFromChainKey(backend(), chain_key);
  const SecretBytes mk_mac = MacKeyFromMessageKey(backend(), mk_enc);
  auto read = DecryptPayload(backend(), mk_enc, original);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(std::string(read->begin(), read->end()), "attack at dawn");
  EXPECT_TRUE(Authenticates(backend(), mk_mac.view(), original));

  v4::DataMessage forged = original;
  ASSERT_TRUE(
      ReplacePayload(backend(), mk_enc, AsBytes("retreat at six, all of you"), forged).ok());
  Remac(backend(), mk_mac.view(), forged);
  auto judged = Judge(pair, *index, forged);
  ASSERT_TRUE(judged.ok()) << judged.error().context;
  EXPECT_EQ(*judged, "retreat at six, all of you");

  // A wrong key: the next message's.
  const SecretBytes wrong =
      MessageKeyFromChainKey(backend(), v4::ratchet::NextChainKey(backend(), chain_key));
  EXPECT_FALSE(Authenticates(backend(), MacKeyFromMessageKey(backend(), wrong).view(), original));
  v4::DataMessage bad = original;
  ASSERT_TRUE(ReplacePayload(backend(), wrong, AsBytes("retreat at six"), bad).ok());
  Remac(backend(), MacKeyFromMessageKey(backend(), wrong).view(), bad);
  auto refused = Judge(pair, *index, bad);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kBadMac);
  // A message key of the wrong size is refused, not used.
  EXPECT_FALSE(DecryptPayload(backend(), SecretBytes(Bytes(16, 1)), original).ok());
}

TEST_P(ForgeryV4Test, ModifyWithTheRevealedMacKey) {
  V4Pair pair = Start();
  auto first = pair.Send(0, "attack at dawn");
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(pair.Deliver(*first).ok());
  auto reply = pair.Send(1, "ok");
  ASSERT_TRUE(reply.ok());
  const v4::DataMessage& original = pair.transcript()[*first].message;
  const auto& revealed = pair.transcript()[*reply].message.revealed_mac_keys;
  ASSERT_FALSE(revealed.empty()) << "Bob's first message of a new ratchet reveals MAC keys";
  const v4::MacKey* key = nullptr;
  for (const v4::MacKey& k : revealed) {
    if (Authenticates(backend(), k, original)) key = &k;
  }
  ASSERT_NE(key, nullptr) << "no revealed key authenticates Alice's message";
  v4::DataMessage remaced = original;
  Remac(backend(), *key, remaced);
  EXPECT_EQ(remaced, original);

  v4::DataMessage edited = original;
  ASSERT_TRUE(ModifyAtOffset(edited, 0, AsBytes("attack at dawn"), AsBytes("retreat at six")).ok());
  // The edit alone carries the old MAC: refused.
  auto alone = Judge(pair, *first, edited);
  ASSERT_FALSE(alone.ok());
  EXPECT_EQ(alone.error().code, ErrorCode::kBadMac);
  // Re-MACed with a key that is not this message's: refused.
  v4::MacKey other = *key;
  other[0] ^= 1;
  v4::DataMessage wrong = edited;
  Remac(backend(), other, wrong);
  EXPECT_FALSE(Judge(pair, *first, wrong).ok());
  // Re-MACed with the revealed key: read as Alice's.
  Remac(backend(), *key, edited);
  auto judged = Judge(pair, *first, edited);
  ASSERT_TRUE(judged.ok()) << judged.error().context;
  EXPECT_EQ(*judged, "retreat at six");
  // An edit that does not fit is refused.
  EXPECT_FALSE(ModifyAtOffset(edited, 10, AsBytes("dawn!"), AsBytes("dusk!")).ok());
  EXPECT_FALSE(ModifyAtOffset(edited, 0, AsBytes("ab"), AsBytes("a")).ok());
}

TEST_P(ForgeryV4Test, DakeOfATranscriptVerifiesAndSoDoesAForgedOne) {
  V4Pair pair = Start();
  const auto& publics = pair.dake_publics();
  const std::string honest = Transcript(publics.identity, publics.auth_r, publics.auth_i);
  const DakeTranscript found = FindDake("the wire:\n" + honest + "alice: ?OTR:AAQD.\n");
  ASSERT_TRUE(found.identity && found.auth_r && found.auth_i);
  EXPECT_TRUE(v4::dake::VerifyTranscript(backend(), *found.identity, *found.auth_r, *found.auth_i,
                                         publics.phi_prime, kDakeNow)
                  .ok());

  crypto::testing::DeterministicRandom random(7);
  v4::dake::ForgeRequest request;
  request.bob_client_profile = &found.identity->client_profile;
  request.alice_client_profile = &found.auth_r->client_profile;
  request.bob_instance_tag = found.identity->header.sender_instance_tag;
  request.alice_instance_tag = found.auth_r->header.sender_instance_tag;
  request.phi_prime = publics.phi_prime;
  request.now = kDakeNow;
  // No key at all, then Alice's long-term key as Alice signs.
  for (v4::dake::ForgerKey forger :
       {v4::dake::ForgerKey::kNone, v4::dake::ForgerKey::kAliceLongTerm}) {
    request.forger_key = forger;
    request.secret = &pair.party(0).identity.long_term.secret;
    auto forged = v4::dake::ForgeInteractiveDake(backend(), request, random);
    ASSERT_TRUE(forged.ok()) << forged.error().context;
    const DakeTranscript again =
        FindDake(Transcript(forged->identity, forged->auth_r, forged->auth_i));
    ASSERT_TRUE(again.identity && again.auth_r && again.auth_i);
    EXPECT_TRUE(v4::dake::VerifyTranscript(backend(), *again.identity, *again.auth_r, *again.auth_i,
                                           publics.phi_prime, kDakeNow)
                    .ok());
    // A changed Auth-I does not verify.
    v4::AuthI changed = *again.auth_i;
    changed.sigma.c1[0] ^= 1;
    EXPECT_FALSE(v4::dake::VerifyTranscript(backend(), *again.identity, *again.auth_r, changed,
                                            publics.phi_prime, kDakeNow)
                     .ok());
  }
  // Bob's long-term key given as Alice's: the Auth-R ring does not hold it.
  request.forger_key = v4::dake::ForgerKey::kAliceLongTerm;
  request.secret = &pair.party(1).identity.long_term.secret;
  EXPECT_FALSE(v4::dake::ForgeInteractiveDake(backend(), request, random).ok());
}

// Bob's published ensemble and the secrets he keeps (his Prekey Profile's
// sk_d, the Prekey Message's y and b).
struct BobPublished {
  v4::dake::PrekeyEnsembleValues ensemble;
  crypto::SecretBytes shared_prekey_secret;
  v4::dake::PrekeySecrets prekey;
};

Result<BobPublished> Publish(const crypto::Backend& backend, const properties::v4p::V4Identity& bob,
                             crypto::Random& random) {
  OTR_ASSIGN_OR_RETURN(v4::Ed448KeyPair d, v4::GenerateSharedPrekeyPair(backend, random));
  v4::profile::PrekeyProfileParams params;
  params.owner_instance_tag = bob.instance_tag;
  params.expiration = v4::profile::ExpirationFrom(kDakeNow);
  params.shared_prekey = d.pub;
  OTR_ASSIGN_OR_RETURN(v4::PrekeyProfile profile,
                       v4::profile::CreatePrekeyProfile(backend, bob.long_term.sym_key, params));
  OTR_ASSIGN_OR_RETURN(v4::dake::MadePrekeyMessage made,
                       v4::dake::MakePrekeyMessage(backend, bob.instance_tag, random));
  return BobPublished{{bob.client_profile, profile, made.message}, d.secret, made.secrets};
}

TEST_P(ForgeryV4Test, NonInteractiveDakeVerifiesAndSoDoForgedOnes) {
  crypto::testing::DeterministicRandom random(11);
  auto alice = properties::v4p::MakeV4Identity(backend(), random, 0x0a11ce00);
  auto bob = properties::v4p::MakeV4Identity(backend(), random, 0x00b0b000);
  ASSERT_TRUE(alice.ok() && bob.ok());
  auto published = Publish(backend(), *bob, random);
  ASSERT_TRUE(published.ok()) << published.error().context;
  const Bytes phi_prime = v4::dake::EncodePhiPrime({"alice@example.org", "bob@example.org"});

  // The honest Non-Interactive-Auth, as Alice's session makes it.
  auto ensemble = v4::dake::ValidateEnsemble(backend(), published->ensemble, kDakeNow);
  ASSERT_TRUE(ensemble.ok());
  auto keys = v4::dake::GenerateOurDakeKeys(backend(), random);
  ASSERT_TRUE(keys.ok());
  const v4::dake::OurLongTermKeys alice_keys{&alice->long_term, &alice->client_profile,
                                             alice->instance_tag};
  auto honest = v4::dake::MakeNonInteractiveAuth(backend(), alice_keys, ensemble.value(),
                                                 std::move(*keys), phi_prime, random);
  ASSERT_TRUE(honest.ok());
  EXPECT_TRUE(v4::dake::VerifyNonInteractiveTranscript(backend(), published->ensemble,
                                                       honest->message, phi_prime, kDakeNow)
                  .ok());

  // Bob's own check of a Non-Interactive-Auth, Auth MAC included.
  const v4::dake::OurLongTermKeys bob_keys{&bob->long_term, &bob->client_profile,
                                           bob->instance_tag};
  auto bob_accepts = [&](const v4::NonInteractiveAuth& m) {
    const v4::dake::OurPrekeyValues values{&published->ensemble.prekey_profile,
                                           &published->shared_prekey_secret,
                                           &published->prekey,
                                           {}};
    return v4::dake::ValidateNonInteractiveAuth(backend(), m, bob_keys, values, phi_prime,
                                                kDakeNow);
  };
  ASSERT_TRUE(bob_accepts(honest->message).ok());

  v4::dake::OfflineForgeRequest request;
  request.bob_ensemble = &published->ensemble;
  request.alice_client_profile = &alice->client_profile;
  request.alice_instance_tag = alice->instance_tag;
  request.phi_prime = phi_prime;
  request.now = kDakeNow;
  struct Case {
    v4::dake::OfflineForgerKey key;
    const crypto::SecretBytes* secret;
  };
  for (const Case& c : {Case{v4::dake::OfflineForgerKey::kNone, nullptr},
                        Case{v4::dake::OfflineForgerKey::kAliceLongTerm, &alice->long_term.secret},
                        Case{v4::dake::OfflineForgerKey::kBobForgingKey, &bob->forging.secret}}) {
    request.forger_key = c.key;
    request.secret = c.secret;
    auto forged = v4::dake::ForgeNonInteractiveDake(backend(), request, random);
    ASSERT_TRUE(forged.ok()) << forged.error().context;
    EXPECT_TRUE(v4::dake::VerifyNonInteractiveTranscript(backend(), forged->ensemble, forged->auth,
                                                         phi_prime, kDakeNow)
                    .ok());
    EXPECT_NE(forged->auth, honest->message);
    if (c.key == v4::dake::OfflineForgerKey::kNone) {
      // A False Prekey Ensemble: Bob's profiles, another Prekey Message.
      EXPECT_EQ(forged->ensemble.prekey_profile, published->ensemble.prekey_profile);
      EXPECT_NE(forged->ensemble.prekey_message, published->ensemble.prekey_message);
    } else {
      // Over Bob's real ensemble Bob accepts it, with the forger's session keys.
      auto accepted = bob_accepts(forged->auth);
      ASSERT_TRUE(accepted.ok());
      EXPECT_EQ(accepted.value().ssid, forged->ssid);
    }
    // Another phi', or a changed signature, does not verify.
    EXPECT_FALSE(v4::dake::VerifyNonInteractiveTranscript(
                     backend(), forged->ensemble, forged->auth,
                     v4::dake::EncodePhiPrime({"mallory@example.org"}), kDakeNow)
                     .ok());
    v4::NonInteractiveAuth changed = forged->auth;
    changed.sigma.r2[0] ^= 1;
    EXPECT_FALSE(v4::dake::VerifyNonInteractiveTranscript(backend(), forged->ensemble, changed,
                                                          phi_prime, kDakeNow)
                     .ok());
  }
  // Bob's long-term key is not in the ring {F_b, H_a, Y}.
  request.forger_key = v4::dake::OfflineForgerKey::kAliceLongTerm;
  request.secret = &bob->long_term.secret;
  EXPECT_FALSE(v4::dake::ForgeNonInteractiveDake(backend(), request, random).ok());
}

INSTANTIATE_TEST_SUITE_P(Backends, ForgeryV4Test, ::testing::ValuesIn(crypto::AllBackends()),
                         [](const auto& info) { return std::string(info.param->name()); });

}  // namespace
}  // namespace otr::tools
