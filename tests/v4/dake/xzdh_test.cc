// The non-interactive DAKE (otrv4.md, "Non-Interactive DAKE Overview",
// "Prekey Message", "Non-Interactive-Auth Message", "Validating Prekey
// Ensembles") between two parties on every pair of backends: the same K and
// SSID on both sides, the ratchets it starts exchange messages (Alice first,
// out of order, then Bob's reply turns the ratchet), each check of Bob's
// validation refuses its tampered field, ensembles are validated, x and a
// are erased, and a transcript forged by Bob with his prekey secret y
// verifies ("Prekey Server Forged Conversations", "Forging Transcripts").
#include "protocol/v4/dake/xzdh.h"

#include <gtest/gtest.h>

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "crypto/backends.h"
#include "crypto/secret_registry.h"
#include "protocol/v4/crypto/fingerprint.h"
#include "protocol/v4/crypto/kdf.h"
#include "protocol/v4/profile/client_profile.h"
#include "protocol/v4/profile/expiration.h"
#include "protocol/v4/profile/prekey_profile.h"
#include "protocol/v4/ratchet/ratchet.h"
#include "tests/crypto/test_util.h"
#include "tests/v4/dake/party.h"
#include "tests/v4/dake/ratchet_talk.h"

namespace otr::v4::dake {
namespace {

using testing::kNow;
using testing::MakeParty;
using testing::Party;
using testing::ReadText;
using testing::SendOverWire;

using BackendPair = std::pair<const crypto::Backend*, const crypto::Backend*>;

std::vector<BackendPair> AllPairs() {
  std::vector<BackendPair> out;
  for (const crypto::Backend* a : crypto::AllBackends()) {
    for (const crypto::Backend* b : crypto::AllBackends()) out.emplace_back(a, b);
  }
  return out;
}

// Bob's published material: a Prekey Profile with its shared prekey, and
// prekey messages whose secrets he keeps.
struct Publisher {
  Ed448KeyPair shared_prekey;
  PrekeyProfile prekey_profile;
  std::vector<MadePrekeyMessage> prekeys;

  OurPrekeyValues Values(size_t i) const {
    return OurPrekeyValues{&prekey_profile, &shared_prekey.secret, &prekeys.at(i).secrets, {}};
  }
  PrekeyEnsembleValues Ensemble(const Party& owner, size_t i) const {
    return PrekeyEnsembleValues{owner.client_profile, prekey_profile, prekeys.at(i).message};
  }
};

Publisher Publish(Party& bob, size_t count) {
  Publisher p;
  auto d = GenerateSharedPrekeyPair(*bob.backend, *bob.random);
  EXPECT_TRUE(d.ok());
  if (!d.ok()) return p;
  p.shared_prekey = std::move(*d);
  profile::PrekeyProfileParams params;
  params.owner_instance_tag = bob.instance_tag;
  params.expiration = profile::ExpirationFrom(kNow);
  params.shared_prekey = p.shared_prekey.pub;
  auto prof = profile::CreatePrekeyProfile(*bob.backend, bob.long_term.sym_key, params);
  EXPECT_TRUE(prof.ok());
  if (prof.ok()) p.prekey_profile = std::move(*prof);
  for (size_t i = 0; i < count; ++i) {
    auto m = MakePrekeyMessage(*bob.backend, bob.instance_tag, *bob.random);
    EXPECT_TRUE(m.ok());
    if (m.ok()) p.prekeys.push_back(std::move(*m));
  }
  return p;
}

// Alice's half: the ensemble validated, Non-Interactive-Auth made, crossed
// the wire.
std::optional<NonInteractiveAuthSent> Start(Party& alice, const PrekeyEnsembleValues& ensemble,
                                            ByteView phi_prime = {}) {
  auto their = ValidateEnsemble(*alice.backend, ensemble, kNow);
  EXPECT_TRUE(their.ok()) << (their.ok() ? "" : DakeCheckName(their.error().check));
  if (!their.ok()) return std::nullopt;
  auto keys = GenerateOurDakeKeys(*alice.backend, *alice.random);
  EXPECT_TRUE(keys.ok());
  if (!keys.ok()) return std::nullopt;
  auto sent = MakeNonInteractiveAuth(*alice.backend, alice.keys(), their.value(), std::move(*keys),
                                     phi_prime, *alice.random);
  EXPECT_TRUE(sent.ok());
  if (!sent.ok()) return std::nullopt;
  auto wire = DecodeNonInteractiveAuth(EncodeNonInteractiveAuth(sent->message));
  EXPECT_TRUE(wire.ok());
  if (!wire.ok()) return std::nullopt;
  EXPECT_EQ(*wire, sent->message);
  return std::move(*sent);
}

class XzdhTest : public ::testing::TestWithParam<BackendPair> {
 protected:
  // Bob publishes on the first backend; Alice starts on the second.
  Party bob_ = MakeParty(*GetParam().first, 21, 0x4321);
  Party alice_ = MakeParty(*GetParam().second, 22, 0x8765);
  Publisher pub_ = Publish(bob_, 3);
};

TEST_P(XzdhTest, BothSidesDeriveTheSameSecretAndSsid) {
  auto sent = Start(alice_, pub_.Ensemble(bob_, 1));
  ASSERT_TRUE(sent.has_value());
  EXPECT_EQ(sent->message.header, (Header{alice_.instance_tag, bob_.instance_tag}));
  EXPECT_EQ(sent->message.prekey_message_identifier, pub_.prekeys[1].message.identifier);
  auto got = ValidateNonInteractiveAuth(*bob_.backend, sent->message, bob_.keys(), pub_.Values(1),
                                        {}, kNow);
  ASSERT_TRUE(got.ok()) << DakeCheckName(got.error().check);
  const XzdhResult& a = sent->result;
  const XzdhResult& b = got.value();
  EXPECT_EQ(a.role, XzdhRole::kAuthSender);
  EXPECT_EQ(b.role, XzdhRole::kAuthReceiver);
  EXPECT_EQ(a.ssid, b.ssid);
  EXPECT_TRUE(a.ratchet_start.shared_secret == b.ratchet_start.shared_secret);
  EXPECT_TRUE(a.ratchet_start.brace_key == b.ratchet_start.brace_key);
  EXPECT_EQ(a.ratchet_start.shared_secret.size(), 64u);
  const Bytes ssid = Hwc(*bob_.backend, Usage::kSsid, {b.ratchet_start.shared_secret.view()}, 8);
  EXPECT_EQ(Bytes(b.ssid.begin(), b.ssid.end()), ssid);
  EXPECT_EQ(a.their_fingerprint,
            ComputeFingerprint(*bob_.backend, bob_.long_term.pub, bob_.forging.pub));
  EXPECT_EQ(b.their_fingerprint,
            ComputeFingerprint(*alice_.backend, alice_.long_term.pub, alice_.forging.pub));
  EXPECT_EQ(a.their_instance_tag, bob_.instance_tag);
  EXPECT_EQ(b.their_instance_tag, alice_.instance_tag);
  EXPECT_EQ(b.their_client_profile, alice_.client_profile);
  EXPECT_EQ(a.prekey_message_identifier, b.prekey_message_identifier);
}

// A different prekey message gives a different conversation; a different
// phi' fails the ring signature.
TEST_P(XzdhTest, EachPrekeyMessageAndContextGivesItsOwnSession) {
  auto one = Start(alice_, pub_.Ensemble(bob_, 0));
  auto two = Start(alice_, pub_.Ensemble(bob_, 2));
  ASSERT_TRUE(one && two);
  EXPECT_NE(one->result.ssid, two->result.ssid);
  const Bytes phi_a = EncodePhiPrime({"alice@example.net", "bob@example.net"});
  const Bytes phi_b = EncodePhiPrime({"alice@example.net", "mallory@example.net"});
  auto three = Start(alice_, pub_.Ensemble(bob_, 1), phi_a);
  ASSERT_TRUE(three);
  auto wrong = ValidateNonInteractiveAuth(*bob_.backend, three->message, bob_.keys(),
                                          pub_.Values(1), phi_b, kNow);
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().check, DakeCheck::kRingSignature);
  EXPECT_TRUE(ValidateNonInteractiveAuth(*bob_.backend, three->message, bob_.keys(), pub_.Values(1),
                                         phi_a, kNow)
                  .ok());
}

// "At this point, the non-interactive DAKE is complete for Alice": she sends
// in the already derived chain; Bob reads (in any order) with his receiving
// chain, then "he will perform a new DH ratchet" to reply.
TEST_P(XzdhTest, TheFirstRatchetsExchangeDataMessages) {
  auto sent = Start(alice_, pub_.Ensemble(bob_, 0));
  ASSERT_TRUE(sent.has_value());
  auto got = ValidateNonInteractiveAuth(*bob_.backend, sent->message, bob_.keys(), pub_.Values(0),
                                        {}, kNow);
  ASSERT_TRUE(got.ok());
  const ratchet::Limits limits;
  auto alice = StartXzdhRatchet(*alice_.backend, limits, sent->result);
  auto bob = StartXzdhRatchet(*bob_.backend, limits, got.value());
  ASSERT_TRUE(alice.ok() && bob.ok());
  const DataMessage m1 = SendOverWire(alice_, *alice, bob_, "one");
  const DataMessage m2 = SendOverWire(alice_, *alice, bob_, "two");
  const DataMessage m3 = SendOverWire(alice_, *alice, bob_, "three");
  EXPECT_EQ(ReadText(*bob, m3), "three");
  EXPECT_EQ(ReadText(*bob, m1), "one");
  EXPECT_EQ(ReadText(*bob, m2), "two");
  EXPECT_EQ(ReadText(*bob, m2), "error kReplayedCounter");
  for (int i = 0; i < 4; ++i) {
    const std::string n = std::to_string(i);
    EXPECT_EQ(ReadText(*alice, SendOverWire(bob_, *bob, alice_, "b " + n)), "b " + n);
    EXPECT_EQ(ReadText(*bob, SendOverWire(alice_, *alice, bob_, "a " + n)), "a " + n);
  }
}

// Bob's checks, each refused with its own DakeCheck; nothing kept: the
// untampered message still validates.
TEST_P(XzdhTest, EveryCheckRefusesItsField) {
  auto sent = Start(alice_, pub_.Ensemble(bob_, 0));
  ASSERT_TRUE(sent.has_value());
  Point other_point = bob_.backend->Ed448Encode(pub_.prekeys[1].secrets.ecdh.pub());
  Point bad_point;
  bad_point.fill(0xff);
  const Mpi other_dh = pub_.prekeys[1].secrets.dh.pub;
  struct Case {
    std::string name;
    std::function<void(NonInteractiveAuth&)> tamper;
    DakeCheck check;
  };
  const std::vector<Case> cases = {
      {"receiver tag", [](NonInteractiveAuth& m) { m.header.receiver_instance_tag ^= 1; },
       DakeCheck::kReceiverInstanceTag},
      {"sender tag small", [](NonInteractiveAuth& m) { m.header.sender_instance_tag = 0x42; },
       DakeCheck::kSenderInstanceTag},
      {"X off curve", [&](NonInteractiveAuth& m) { m.x = bad_point; }, DakeCheck::kEcdhKey},
      {"A out of group", [](NonInteractiveAuth& m) { m.a = Mpi(Bytes{0x01}); }, DakeCheck::kDhKey},
      {"ecdh_first off curve", [&](NonInteractiveAuth& m) { m.our_ecdh_first = bad_point; },
       DakeCheck::kEcdhFirst},
      {"dh_first out of group", [](NonInteractiveAuth& m) { m.our_dh_first = Mpi(Bytes{0x01}); },
       DakeCheck::kDhFirst},
      {"sender tag not the profile's",
       [](NonInteractiveAuth& m) { m.header.sender_instance_tag += 1; }, DakeCheck::kClientProfile},
      {"unknown prekey id", [](NonInteractiveAuth& m) { m.prekey_message_identifier ^= 1; },
       DakeCheck::kPrekeyMessageIdentifier},
      {"X replaced", [&](NonInteractiveAuth& m) { m.x = other_point; }, DakeCheck::kRingSignature},
      {"A replaced", [&](NonInteractiveAuth& m) { m.a = other_dh; }, DakeCheck::kRingSignature},
      {"ecdh_first replaced", [&](NonInteractiveAuth& m) { m.our_ecdh_first = other_point; },
       DakeCheck::kRingSignature},
      {"sigma", [](NonInteractiveAuth& m) { m.sigma.c1[0] ^= 1; }, DakeCheck::kRingSignature},
      {"Auth MAC", [](NonInteractiveAuth& m) { m.auth_mac[63] ^= 0x80; }, DakeCheck::kAuthMac},
  };
  for (const Case& c : cases) {
    NonInteractiveAuth m = sent->message;
    c.tamper(m);
    auto got = ValidateNonInteractiveAuth(*bob_.backend, m, bob_.keys(), pub_.Values(0), {}, kNow);
    ASSERT_FALSE(got.ok()) << c.name;
    EXPECT_EQ(got.error().check, c.check) << c.name << ": " << DakeCheckName(got.error().check)
                                          << " instead of " << DakeCheckName(c.check);
  }
  // No stored prekey, another prekey's secrets, no Prekey Profile.
  OurPrekeyValues none = pub_.Values(0);
  none.prekey = nullptr;
  auto got = ValidateNonInteractiveAuth(*bob_.backend, sent->message, bob_.keys(), none, {}, kNow);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().check, DakeCheck::kPrekeyMessageIdentifier);
  got = ValidateNonInteractiveAuth(*bob_.backend, sent->message, bob_.keys(), pub_.Values(1), {},
                                   kNow);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().check, DakeCheck::kPrekeyMessageIdentifier);
  OurPrekeyValues no_profile = pub_.Values(0);
  no_profile.prekey_profile = nullptr;
  got = ValidateNonInteractiveAuth(*bob_.backend, sent->message, bob_.keys(), no_profile, {}, kNow);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().check, DakeCheck::kOurProfiles);
  // Alice's profile expired by the time Bob reads it.
  got = ValidateNonInteractiveAuth(*bob_.backend, sent->message, bob_.keys(), pub_.Values(0), {},
                                   kNow + 30 * profile::kOneDay);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().check, DakeCheck::kClientProfile);
  EXPECT_EQ(got.error().profile_error, profile::ProfileError::kClientProfileExpired);
  EXPECT_TRUE(ValidateNonInteractiveAuth(*bob_.backend, sent->message, bob_.keys(), pub_.Values(0),
                                         {}, kNow)
                  .ok());
}

// "As multiple client profiles can coexist on local storage ... if the
// sigma verification fails and there are others profiles in local storage,
// use them": Alice used Bob's older profile.
TEST_P(XzdhTest, AnOlderClientProfileOfOursStillVerifies) {
  const ClientProfile old_profile = bob_.client_profile;
  auto sent = Start(alice_, pub_.Ensemble(bob_, 0));
  ASSERT_TRUE(sent.has_value());
  // Bob renews his Client Profile (the same keys: MakeParty with his seed).
  Party bob_now = MakeParty(*bob_.backend, 21, bob_.instance_tag);
  bob_now.client_profile.expiration += 60;
  ASSERT_TRUE(
      profile::SignClientProfile(*bob_.backend, bob_now.long_term.sym_key, bob_now.client_profile)
          .ok());
  auto refused = ValidateNonInteractiveAuth(*bob_.backend, sent->message, bob_now.keys(),
                                            pub_.Values(0), {}, kNow);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().check, DakeCheck::kRingSignature);
  const ClientProfile* older[] = {&old_profile};
  OurPrekeyValues values = pub_.Values(0);
  values.other_client_profiles = older;
  EXPECT_TRUE(
      ValidateNonInteractiveAuth(*bob_.backend, sent->message, bob_now.keys(), values, {}, kNow)
          .ok());
}

// "Validating Prekey Ensembles": expired, badly signed, instance tags that
// differ, our versions without 4: each refused with its rule.
TEST_P(XzdhTest, InvalidEnsemblesAreRefused) {
  const PrekeyEnsembleValues good = pub_.Ensemble(bob_, 0);
  auto check = [&](const PrekeyEnsembleValues& e, int64_t now, std::string_view versions) {
    auto r = ValidateEnsemble(*alice_.backend, e, now, versions);
    EXPECT_FALSE(r.ok());
    if (r.ok()) return std::optional<profile::ProfileError>();
    EXPECT_EQ(r.error().check, DakeCheck::kPrekeyEnsemble);
    return r.error().profile_error;
  };
  EXPECT_TRUE(ValidateEnsemble(*alice_.backend, good, kNow).ok());
  EXPECT_EQ(check(good, kNow + 30 * profile::kOneDay, "4"),
            profile::ProfileError::kClientProfileExpired);
  PrekeyEnsembleValues bad_sig = good;
  bad_sig.prekey_profile.signature[3] ^= 1;
  EXPECT_EQ(check(bad_sig, kNow, "4"), profile::ProfileError::kPrekeyProfileBadSignature);
  PrekeyEnsembleValues wrong_tag = good;
  wrong_tag.prekey_message.owner_instance_tag += 1;
  EXPECT_EQ(check(wrong_tag, kNow, "4"), profile::ProfileError::kEnsembleInstanceTagsDiffer);
  EXPECT_EQ(check(good, kNow, "3"), profile::ProfileError::kClientProfileVersionNotSupported);
  // Someone else's Prekey Profile under Bob's Client Profile.
  Party mallory = MakeParty(*bob_.backend, 23, bob_.instance_tag);
  Publisher other = Publish(mallory, 1);
  PrekeyEnsembleValues mixed = good;
  mixed.prekey_profile = other.prekey_profile;
  EXPECT_EQ(check(mixed, kNow, "4"), profile::ProfileError::kPrekeyProfileBadSignature);
}

// Bob can make a Non-Interactive-Auth "from Alice" that he himself accepts
// with only public values of hers and his prekey secret y (a ring member):
// his transcript proves nothing to a judge.
TEST_P(XzdhTest, BobCanForgeATranscriptWithHisPrekeySecret) {
  auto their = ValidateEnsemble(*bob_.backend, pub_.Ensemble(bob_, 2), kNow);
  ASSERT_TRUE(their.ok());
  auto keys = GenerateOurDakeKeys(*bob_.backend, *bob_.random);
  ASSERT_TRUE(keys.ok());
  auto forged = MakeNonInteractiveAuthSignedWith(
      *bob_.backend, alice_.client_profile, alice_.instance_tag, their.value(), std::move(*keys),
      {}, pub_.prekeys[2].secrets.ecdh.secret(), *bob_.random);
  ASSERT_TRUE(forged.ok());
  auto got = ValidateNonInteractiveAuth(*bob_.backend, forged->message, bob_.keys(), pub_.Values(2),
                                        {}, kNow);
  ASSERT_TRUE(got.ok()) << DakeCheckName(got.error().check);
  EXPECT_EQ(got->their_fingerprint,
            ComputeFingerprint(*alice_.backend, alice_.long_term.pub, alice_.forging.pub));
  // A secret outside the ring signs nothing.
  auto keys2 = GenerateOurDakeKeys(*bob_.backend, *bob_.random);
  ASSERT_TRUE(keys2.ok());
  auto outsider = MakeNonInteractiveAuthSignedWith(
      *bob_.backend, alice_.client_profile, alice_.instance_tag, their.value(), std::move(*keys2),
      {}, pub_.shared_prekey.secret, *bob_.random);
  EXPECT_FALSE(outsider.ok());
}

INSTANTIATE_TEST_SUITE_P(BackendPairs, XzdhTest, ::testing::ValuesIn(AllPairs()),
                         [](const ::testing::TestParamInfo<BackendPair>& info) {
                           return std::string(info.param.first->name()) + "_" +
                                  std::string(info.param.second->name());
                         });

// "Securely delete": Alice's x and a are gone once the message is made;
// Bob's y and b live only in the PrekeySecrets the caller holds.
TEST(XzdhErasureTest, EphemeralSecretsAreNotKept) {
  const crypto::Backend& backend = *crypto::AllBackends()[0];
  Party bob = MakeParty(backend, 31, 0x100);
  Party alice = MakeParty(backend, 32, 0x101);
  Publisher pub = Publish(bob, 1);
  auto their = ValidateEnsemble(backend, pub.Ensemble(bob, 0), kNow);
  ASSERT_TRUE(their.ok());
  auto keys = GenerateOurDakeKeys(backend, *alice.random);
  ASSERT_TRUE(keys.ok());
  const Bytes x = keys->ecdh.secret().Declassify();
  const Bytes a = keys->dh.secret.Declassify();
  auto sent = MakeNonInteractiveAuth(backend, alice.keys(), their.value(), std::move(*keys), {},
                                     *alice.random);
  ASSERT_TRUE(sent.ok());
  const Bytes y = pub.prekeys[0].secrets.ecdh.secret().Declassify();
  std::optional<XzdhResult> bob_result;
  {
    auto got =
        ValidateNonInteractiveAuth(backend, sent->message, bob.keys(), pub.Values(0), {}, kNow);
    ASSERT_TRUE(got.ok());
    bob_result = std::move(got).value();
  }
  pub.prekeys.clear();  // erase on use
  int found_x = 0, found_a = 0, found_y = 0;
  crypto::ForEachLiveSecret([&](ByteView live) {
    const Bytes v(live.begin(), live.end());
    found_x += v == x;
    found_a += v == a;
    found_y += v == y;
  });
  EXPECT_EQ(found_x, 0);
  EXPECT_EQ(found_a, 0);
  EXPECT_EQ(found_y, 0);
}

// The layout of t and phi (xzdh.h): no leading byte, D_b after A.
TEST(XzdhLayoutTest, TAndPhiHaveTheDocumentedLayout) {
  const crypto::Backend& backend = *crypto::AllBackends()[0];
  Party bob = MakeParty(backend, 3, 0x100);
  Party alice = MakeParty(backend, 4, 0x101);
  NonInteractiveTranscript v{&bob.client_profile, &alice.client_profile, {}, {}, {}, {}, {}};
  v.y.fill(0x11);
  v.x.fill(0x22);
  v.shared_prekey.fill(0x66);
  const Bytes b{0x33}, a{0x44, 0x55};
  v.b = b;
  v.a = a;
  const Bytes phi{0x70, 0x68, 0x69};
  Bytes expected;
  auto append = [&](const Bytes& part) {
    expected.insert(expected.end(), part.begin(), part.end());
  };
  append(Hwc(backend, Usage::kNonIntAuthBobClientProfile, {EncodeClientProfile(bob.client_profile)},
             64));
  append(Hwc(backend, Usage::kNonIntAuthAliceClientProfile,
             {EncodeClientProfile(alice.client_profile)}, 64));
  expected.insert(expected.end(), 57, 0x11);
  expected.insert(expected.end(), 57, 0x22);
  append(crypto::testing::FromHex("00000001 33 00000002 4455"));
  expected.insert(expected.end(), 57, 0x66);
  append(Hwc(backend, Usage::kNonIntAuthPhi, {phi}, 64));
  EXPECT_EQ(NonInteractiveAuthT(backend, v, phi), expected);

  Point first;
  first.fill(0xaa);
  const Bytes phi_ab = NonInteractiveSessionState(0x101, 0x100, first, Bytes{0x02}, AsBytes("x"));
  EXPECT_EQ(phi_ab, NonInteractiveSessionState(0x100, 0x101, first, Bytes{0x02}, AsBytes("x")));
  Bytes want = crypto::testing::FromHex("00000100 00000101");
  want.insert(want.end(), 57, 0xaa);
  for (uint8_t byte : crypto::testing::FromHex("00000001 02 78")) want.push_back(byte);
  EXPECT_EQ(phi_ab, want);
}

TEST(XzdhPrekeyMessageTest, IdentifiersAreNonZeroAndTagsChecked) {
  const crypto::Backend& backend = *crypto::AllBackends()[0];
  Party bob = MakeParty(backend, 5, 0x100);
  auto bad = MakePrekeyMessage(backend, 0x42, *bob.random);
  EXPECT_FALSE(bad.ok());
  auto m = MakePrekeyMessage(backend, 0x100, *bob.random);
  ASSERT_TRUE(m.ok());
  EXPECT_NE(m->message.identifier, 0u);
  EXPECT_EQ(m->message.identifier, m->secrets.identifier);
  EXPECT_EQ(m->message.owner_instance_tag, 0x100u);
  EXPECT_EQ(m->message.y, backend.Ed448Encode(m->secrets.ecdh.pub()));
  auto back = DecodePrekeyMessage(EncodePrekeyMessage(m->message));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, m->message);
}

}  // namespace
}  // namespace otr::v4::dake
