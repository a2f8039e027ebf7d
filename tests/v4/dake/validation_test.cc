// "To verify" of "Identity Message", "Auth-R Message" and "Auth-I Message"
// (otrv4.md): every field of each message, tampered, is refused with the
// DakeError of the check it breaks, and nothing is kept: the untampered
// message still validates afterwards with the same inputs.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "crypto/backends.h"
#include "protocol/v4/crypto/dh3072.h"
#include "protocol/v4/dake/dake.h"
#include "protocol/v4/profile/profile_status.h"
#include "tests/crypto/test_util.h"
#include "tests/v4/dake/party.h"

namespace otr::v4::dake {
namespace {

using profile::ProfileError;
using testing::kNow;
using testing::MakeParty;
using testing::Party;
using testing::RunDake;
using testing::Transcript;

class ValidationTest : public crypto::testing::BackendTest {
 protected:
  void SetUp() override {
    run_ = RunDake(bob_, alice_);
    ASSERT_TRUE(run_.alice_result.has_value());
    auto other = GenerateEcdh(backend(), *bob_.random);
    ASSERT_TRUE(other.ok());
    other_point_ = backend().Ed448Encode(other->pub());
    auto other_dh = GenerateDh(backend(), *bob_.random);
    ASSERT_TRUE(other_dh.ok());
    other_dh_ = other_dh->pub;
  }

  Party bob_ = MakeParty(backend(), 11, 0x1111);
  Party alice_ = MakeParty(backend(), 12, 0x2222);
  Transcript run_;
  Point other_point_{};  // a valid point that is not the message's
  Mpi other_dh_;         // a group element that is not the message's
};

// Points that fail "Verifying that a point is on the curve".
std::vector<std::pair<std::string, Point>> BadPoints() {
  Point non_canonical;
  non_canonical.fill(0xff);
  Point identity{};
  identity[0] = 1;    // (0, 1)
  Point low_order{};  // (0, -1): y = p - 1
  low_order.fill(0xff);
  low_order[0] = 0xfe;
  low_order[28] = 0xfe;
  low_order[56] = 0x00;
  return {{"non-canonical", non_canonical}, {"identity", identity}, {"order 2", low_order}};
}

// Values that fail "Verifying that an integer is in the DH group".
std::vector<std::pair<std::string, Bytes>> BadDhValues() {
  const Bytes& p = Dh3072Group().p;
  return {{"1", Bytes{0x01}},
          {"p - 1", crypto::testing::AddSmall(p, -1)},
          {"p", p},
          {"p + 1", crypto::testing::AddSmall(p, 1)}};
}

void ExpectError(const DakeError& e, DakeCheck check, const std::string& what) {
  EXPECT_EQ(e.check, check) << what << ": got " << DakeCheckName(e.check) << " / "
                            << crypto::testing::CodeName(e.cause);
}

// ---- Identity ----

TEST_P(ValidationTest, IdentityEveryFieldTampered) {
  struct Case {
    std::string what;
    std::function<void(IdentityMessage&)> change;
    DakeCheck check;
  };
  std::vector<Case> cases = {
      {"sender tag below 0x100", [](IdentityMessage& m) { m.header.sender_instance_tag = 0x42; },
       DakeCheck::kSenderInstanceTag},
      {"sender tag of another instance",
       [](IdentityMessage& m) { m.header.sender_instance_tag = 0x9999; },
       DakeCheck::kClientProfile},
      {"receiver tag of someone else",
       [](IdentityMessage& m) { m.header.receiver_instance_tag = 0x3333; },
       DakeCheck::kReceiverInstanceTag},
      {"profile signature", [](IdentityMessage& m) { m.client_profile.signature[5] ^= 1; },
       DakeCheck::kClientProfile},
      {"profile versions", [](IdentityMessage& m) { m.client_profile.versions = "3"; },
       DakeCheck::kClientProfile},
      {"profile expiration", [](IdentityMessage& m) { m.client_profile.expiration = kNow - 1; },
       DakeCheck::kClientProfile},
  };
  for (const auto& [name, point] : BadPoints()) {
    cases.push_back(
        {"Y " + name, [point](IdentityMessage& m) { m.y = point; }, DakeCheck::kEcdhKey});
    cases.push_back({"our_ecdh_first " + name,
                     [point](IdentityMessage& m) { m.our_ecdh_first = point; },
                     DakeCheck::kEcdhFirst});
  }
  for (const auto& [name, value] : BadDhValues()) {
    cases.push_back(
        {"B " + name, [value](IdentityMessage& m) { m.b = Mpi(value); }, DakeCheck::kDhKey});
    cases.push_back({"our_dh_first " + name,
                     [value](IdentityMessage& m) { m.our_dh_first = Mpi(value); },
                     DakeCheck::kDhFirst});
  }
  for (const Case& c : cases) {
    IdentityMessage m = run_.identity;
    c.change(m);
    auto r =
        ValidateIdentity(backend(), m, alice_.instance_tag, ReceiverTagRule::kZeroOrOurs, kNow);
    ASSERT_FALSE(r.ok()) << c.what;
    ExpectError(r.error(), c.check, c.what);
  }
  // The profile's rule is named.
  IdentityMessage m = run_.identity;
  m.client_profile.signature[5] ^= 1;
  auto r = ValidateIdentity(backend(), m, alice_.instance_tag, ReceiverTagRule::kZeroOrOurs, kNow);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().profile_error, ProfileError::kClientProfileBadSignature);
  // The untampered message still validates.
  EXPECT_TRUE(ValidateIdentity(backend(), run_.identity, alice_.instance_tag,
                               ReceiverTagRule::kZeroOrOurs, kNow)
                  .ok());
}

TEST_P(ValidationTest, IdentityReceiverTagRules) {
  IdentityMessage m = run_.identity;
  m.header.receiver_instance_tag = 0;
  EXPECT_TRUE(
      ValidateIdentity(backend(), m, alice_.instance_tag, ReceiverTagRule::kZeroOrOurs, kNow).ok());
  // In WAITING_AUTH_I "Validate that that value is equal to your 'Sender's instance tag'".
  auto r = ValidateIdentity(backend(), m, alice_.instance_tag, ReceiverTagRule::kOurs, kNow);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().check, DakeCheck::kReceiverInstanceTag);
  m.header.receiver_instance_tag = alice_.instance_tag;
  EXPECT_TRUE(
      ValidateIdentity(backend(), m, alice_.instance_tag, ReceiverTagRule::kOurs, kNow).ok());
  // A profile that expired by the time the message arrives.
  auto late =
      ValidateIdentity(backend(), run_.identity, alice_.instance_tag, ReceiverTagRule::kZeroOrOurs,
                       run_.identity.client_profile.expiration + 1);
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().profile_error, ProfileError::kClientProfileExpired);
}

// ---- Auth-R ----

TEST_P(ValidationTest, AuthREveryFieldTampered) {
  struct Case {
    std::string what;
    std::function<void(AuthR&)> change;
    DakeCheck check;
  };
  std::vector<Case> cases = {
      {"receiver tag", [](AuthR& m) { m.header.receiver_instance_tag = 0; },
       DakeCheck::kReceiverInstanceTag},
      {"sender tag below 0x100", [](AuthR& m) { m.header.sender_instance_tag = 0x42; },
       DakeCheck::kSenderInstanceTag},
      {"sender tag of another instance", [](AuthR& m) { m.header.sender_instance_tag = 0x9999; },
       DakeCheck::kClientProfile},
      {"profile signature", [](AuthR& m) { m.client_profile.signature[0] ^= 0x80; },
       DakeCheck::kClientProfile},
      {"profile forging key", [](AuthR& m) { m.client_profile.forging_key[3] ^= 1; },
       DakeCheck::kClientProfile},
      // A valid but different X, A or first key: t (or phi) changes, RVrf fails.
      {"X another point", [this](AuthR& m) { m.x = other_point_; }, DakeCheck::kRingSignature},
      {"A another element", [this](AuthR& m) { m.a = other_dh_; }, DakeCheck::kRingSignature},
      {"our_ecdh_first another point", [this](AuthR& m) { m.our_ecdh_first = other_point_; },
       DakeCheck::kRingSignature},
      {"our_dh_first another element", [this](AuthR& m) { m.our_dh_first = other_dh_; },
       DakeCheck::kRingSignature},
      {"sigma c1", [](AuthR& m) { m.sigma.c1[0] ^= 1; }, DakeCheck::kRingSignature},
      {"sigma r1", [](AuthR& m) { m.sigma.r1[0] ^= 1; }, DakeCheck::kRingSignature},
      {"sigma c2", [](AuthR& m) { m.sigma.c2[1] ^= 1; }, DakeCheck::kRingSignature},
      {"sigma r2", [](AuthR& m) { m.sigma.r2[2] ^= 1; }, DakeCheck::kRingSignature},
      {"sigma c3", [](AuthR& m) { m.sigma.c3[3] ^= 1; }, DakeCheck::kRingSignature},
      {"sigma r3", [](AuthR& m) { m.sigma.r3[4] ^= 1; }, DakeCheck::kRingSignature},
      {"sigma r3 >= q", [](AuthR& m) { m.sigma.r3.fill(0xff); }, DakeCheck::kRingSignature},
      // Alice's profile replaced by Bob's (validly signed, but not hers).
      {"another valid profile", [this](AuthR& m) { m.client_profile = bob_.client_profile; },
       DakeCheck::kClientProfile},
  };
  for (const auto& [name, point] : BadPoints()) {
    cases.push_back({"X " + name, [point](AuthR& m) { m.x = point; }, DakeCheck::kEcdhKey});
    cases.push_back({"our_ecdh_first " + name, [point](AuthR& m) { m.our_ecdh_first = point; },
                     DakeCheck::kEcdhFirst});
  }
  for (const auto& [name, value] : BadDhValues()) {
    cases.push_back({"A " + name, [value](AuthR& m) { m.a = Mpi(value); }, DakeCheck::kDhKey});
    cases.push_back({"our_dh_first " + name, [value](AuthR& m) { m.our_dh_first = Mpi(value); },
                     DakeCheck::kDhFirst});
  }
  for (const Case& c : cases) {
    AuthR m = run_.auth_r->message;
    c.change(m);
    auto r = ValidateAuthR(backend(), m, bob_.keys(), run_.bob_keys, {}, kNow);
    ASSERT_FALSE(r.ok()) << c.what;
    ExpectError(r.error(), c.check, c.what);
  }
  auto ok = ValidateAuthR(backend(), run_.auth_r->message, bob_.keys(), run_.bob_keys, {}, kNow);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->ssid, run_.auth_r->pending.ssid);
}

// An Auth-R made for another Identity message (other Y, B) fails RVrf.
TEST_P(ValidationTest, AuthRForAnotherIdentityFails) {
  auto other_keys = GenerateOurDakeKeys(backend(), *bob_.random);
  ASSERT_TRUE(other_keys.ok());
  auto r = ValidateAuthR(backend(), run_.auth_r->message, bob_.keys(), *other_keys, {}, kNow);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().check, DakeCheck::kRingSignature);
}

// ---- Auth-I ----

TEST_P(ValidationTest, AuthIEveryFieldTampered) {
  struct Case {
    std::string what;
    std::function<void(AuthI&)> change;
    DakeCheck check;
  };
  const std::vector<Case> cases = {
      {"sender tag", [](AuthI& m) { m.header.sender_instance_tag = 0x9999; },
       DakeCheck::kSenderInstanceTag},
      {"receiver tag", [](AuthI& m) { m.header.receiver_instance_tag = 0; },
       DakeCheck::kReceiverInstanceTag},
      {"sigma c1", [](AuthI& m) { m.sigma.c1[10] ^= 1; }, DakeCheck::kRingSignature},
      {"sigma r1", [](AuthI& m) { m.sigma.r1[11] ^= 1; }, DakeCheck::kRingSignature},
      {"sigma c2", [](AuthI& m) { m.sigma.c2[12] ^= 1; }, DakeCheck::kRingSignature},
      {"sigma r2", [](AuthI& m) { m.sigma.r2[13] ^= 1; }, DakeCheck::kRingSignature},
      {"sigma c3", [](AuthI& m) { m.sigma.c3[14] ^= 1; }, DakeCheck::kRingSignature},
      {"sigma r3", [](AuthI& m) { m.sigma.r3[15] ^= 1; }, DakeCheck::kRingSignature},
      {"Auth-R's sigma", [this](AuthI& m) { m.sigma = run_.auth_r->message.sigma; },
       DakeCheck::kRingSignature},
  };
  const PendingAuthI& pending = run_.auth_r->pending;
  const Ssid ssid_before = pending.ssid;
  for (const Case& c : cases) {
    AuthI m = run_.auth_i->message;
    c.change(m);
    auto r = ValidateAuthI(backend(), m, alice_.keys(), pending);
    ASSERT_FALSE(r.ok()) << c.what;
    ExpectError(r.error(), c.check, c.what);
  }
  EXPECT_EQ(pending.ssid, ssid_before);
  auto ok = ValidateAuthI(backend(), run_.auth_i->message, alice_.keys(), pending);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->ssid, run_.auth_i->result.ssid);
}

// An Auth-I from another DAKE (same parties) does not complete this one.
TEST_P(ValidationTest, AuthIOfAnotherDakeFails) {
  Transcript other = RunDake(bob_, alice_);
  ASSERT_TRUE(other.auth_i.has_value());
  auto r = ValidateAuthI(backend(), other.auth_i->message, alice_.keys(), run_.auth_r->pending);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().check, DakeCheck::kRingSignature);
}

OTR_INSTANTIATE_FOR_ALL_BACKENDS(ValidationTest);

}  // namespace
}  // namespace otr::v4::dake
