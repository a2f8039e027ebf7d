// Issue 20: the `libotr-ng` profile's interactive DAKE
// (protocol/v4/libotr_ng/dake.h) against a libotr-ng client driven in this
// process, each side starting: libotr-ng accepts the profile's Identity and
// Auth-I (it goes encrypted), the profile accepts libotr-ng's Identity,
// Auth-R and Auth-I, and both hold the same SSID. Also the two deviations
// the DAKE showed (docs/libotr-ng-deviations.md #15 phi, #16 the first
// ratchet keys), each against libotr-ng's own values. Both backends.
extern "C" {
#include "serialize.h"
}

#include <gtest/gtest.h>

#include <ctime>
#include <string>

#include "crypto/testing/deterministic_random.h"
#include "protocol/v4/dake/dake.h"
#include "protocol/v4/libotr_ng/client_profile.h"
#include "protocol/v4/libotr_ng/dake.h"
#include "protocol/wire/armor.h"
#include "tests/crypto/test_util.h"
#include "tests/interop/libotr_ng_peer.h"
#include "tests/session/v4_fixture.h"

namespace otr {
namespace {

namespace ng = v4::libotr_ng;
using crypto::testing::ToHex;

constexpr uint32_t kOurTag = 0x2000a11c;
constexpr uint32_t kTheirTag = 0x10000b0b;
constexpr char kOurAccount[] = "alice@example.org";
constexpr char kTheirAccount[] = "bob@example.org";

class LibotrNgDakeTest : public crypto::testing::BackendTest {
 protected:
  void SetUp() override {
    identity_ = testing::MakeV4Identity(backend(), 50, kOurTag, Now(), "4");
    ASSERT_NE(identity_, nullptr);
    auto bytes = ng::EncodeAndSignClientProfile(backend(), identity_->long_term.sym_key,
                                                identity_->client_profile);
    ASSERT_TRUE(bytes.ok());
    ours_.long_term = &identity_->long_term;
    ours_.client_profile = &identity_->client_profile;
    ours_.client_profile_bytes = *bytes;
    ours_.instance_tag = kOurTag;
    ours_.identifier = kOurAccount;
    auto keys = v4::dake::GenerateOurDakeKeys(backend(), random_);
    ASSERT_TRUE(keys.ok());
    keys_ = std::move(keys).value();
  }
  static int64_t Now() { return static_cast<int64_t>(std::time(nullptr)); }
  Bytes Unarmor(const std::string& text) {
    auto bytes = wire::DecodeArmor(text);
    EXPECT_TRUE(bytes.ok()) << text.substr(0, 40);
    return bytes.ok() ? *bytes : Bytes();
  }
  // libotr-ng's view of the DAKE just finished: our SSID; encrypted when it
  // received Auth-I (the Auth-I sender waits for the first Data Message,
  // otrv4.md WAITING_DAKE_DATA_MESSAGE).
  void ExpectEstablished(const ng::Established& ours, bool encrypted) {
    EXPECT_EQ(peer_.encrypted(), encrypted);
    EXPECT_EQ(ToHex(AsBytes(peer_.SsidForTesting())), ToHex(ours.ssid));
    EXPECT_EQ(ours.their.instance_tag, kTheirTag);
  }

  crypto::testing::DeterministicRandom random_{60};
  testing::LibotrNgPeer peer_{kTheirAccount, kOurAccount, kTheirTag};
  std::unique_ptr<v4::Identity> identity_;
  ng::OurSide ours_;
  v4::dake::OurDakeKeys keys_;
};

// We send the Identity message; libotr-ng answers with Auth-R, which the
// profile validates; libotr-ng accepts our Auth-I and goes encrypted.
TEST_P(LibotrNgDakeTest, WeSendIdentity) {
  const ng::IdentityMessage identity = ng::MakeIdentity(ours_, 0, keys_);
  const auto replies = peer_.Receive(wire::EncodeArmor(ng::EncodeIdentity(identity)));
  ASSERT_EQ(replies.size(), 1u);
  const Bytes auth_r_bytes = Unarmor(replies[0]);
  EXPECT_FALSE(v4::DecodeAuthR(auth_r_bytes).ok()) << "the spec decoder reads libotr-ng's Auth-R";
  auto auth_r = ng::DecodeAuthR(backend(), auth_r_bytes);
  ASSERT_TRUE(auth_r.ok()) << auth_r.error().context;
  EXPECT_EQ(ng::EncodeAuthR(*auth_r), auth_r_bytes);
  // A changed byte of t (here B, from our side) breaks its sigma.
  v4::dake::OurDakeKeys other = keys_;
  Bytes changed = other.dh.pub.ToBytes();
  changed.back() ^= 1;
  other.dh.pub = crypto::DhPublic(changed);
  EXPECT_FALSE(
      ng::ValidateAuthRAndMakeAuthI(backend(), *auth_r, ours_, other, kTheirAccount, Now(), random_)
          .ok());
  auto auth_i = ng::ValidateAuthRAndMakeAuthI(backend(), *auth_r, ours_, keys_, kTheirAccount,
                                              Now(), random_);
  ASSERT_TRUE(auth_i.ok()) << v4::dake::DakeCheckName(auth_i.error().check);
  EXPECT_FALSE(peer_.encrypted());
  const auto after = peer_.Receive(wire::EncodeArmor(ng::EncodeAuthI(auth_i->message)));
  ExpectEstablished(auth_i->established, true);
  // libotr-ng answers Auth-I with an empty Data Message (otrng.c,
  // receive_auth_i: "Reply with initial data message").
  EXPECT_EQ(after.size(), 1u);

  // #16: libotr-ng, as Auth-R sender, holds as our first ratchet keys the
  // pair derived from K, not the y_first, b_first of our Identity message.
  auto first = ng::DeriveFirstRatchetKeys(backend(), auth_i->established.shared_secret);
  ASSERT_TRUE(first.ok());
  const auto held = peer_.RatchetKeysForTesting();
  EXPECT_EQ(ToHex(AsBytes(held.their_ecdh)), ToHex(backend().Ed448Encode(first->ecdh.pub)));
  EXPECT_EQ(ToHex(AsBytes(held.their_dh)), ToHex(first->dh.pub));
  EXPECT_NE(ToHex(AsBytes(held.their_ecdh)), ToHex(identity.y_first));
  // (Its own x_first, a_first are already replaced: the empty Data Message
  // it sent turned its ratchet.)
}

// libotr-ng sends the Identity message; the profile answers with Auth-R,
// which libotr-ng accepts; its Auth-I validates under the profile.
TEST_P(LibotrNgDakeTest, LibotrNgSendsIdentity) {
  const Bytes identity_bytes = Unarmor(peer_.IdentityMessage());
  EXPECT_FALSE(v4::DecodeIdentityMessage(identity_bytes).ok());
  auto identity = ng::DecodeIdentity(identity_bytes);
  ASSERT_TRUE(identity.ok()) << identity.error().context;
  EXPECT_EQ(ng::EncodeIdentity(*identity), identity_bytes);
  auto bob = ng::ValidateIdentity(backend(), *identity, kOurTag, Now());
  ASSERT_TRUE(bob.ok()) << v4::dake::DakeCheckName(bob.error().check);
  auto auth_r = ng::MakeAuthR(backend(), ours_, bob.value(), kTheirAccount, keys_, random_);
  ASSERT_TRUE(auth_r.ok());
  const auto replies = peer_.Receive(wire::EncodeArmor(ng::EncodeAuthR(auth_r->message)));
  ASSERT_EQ(replies.size(), 1u);
  auto auth_i = ng::DecodeAuthI(backend(), Unarmor(replies[0]));
  ASSERT_TRUE(auth_i.ok()) << auth_i.error().context;
  // A sigma over another t (the phi of another pair of identifiers) fails.
  ng::AuthRSent wrong_phi = *auth_r;
  wrong_phi.phi = ng::SharedSessionState(kOurTag, kTheirTag, kOurAccount, "mallory@example.org");
  EXPECT_FALSE(ng::ValidateAuthI(backend(), *auth_i, ours_, std::move(wrong_phi)).ok());
  auto established = ng::ValidateAuthI(backend(), *auth_i, ours_, std::move(auth_r).value());
  ASSERT_TRUE(established.ok()) << v4::dake::DakeCheckName(established.error().check);
  ExpectEstablished(established.value(), false);

  // #16 from the other side: libotr-ng, as Auth-I sender, replaced its
  // y_first, b_first by the pair derived from K; ours are those we sent.
  auto first = ng::DeriveFirstRatchetKeys(backend(), established->shared_secret);
  ASSERT_TRUE(first.ok());
  const auto held = peer_.RatchetKeysForTesting();
  EXPECT_EQ(ToHex(AsBytes(held.our_ecdh)), ToHex(backend().Ed448Encode(first->ecdh.pub)));
  EXPECT_EQ(ToHex(AsBytes(held.our_dh)), ToHex(first->dh.pub));
  EXPECT_NE(ToHex(AsBytes(held.our_ecdh)), ToHex(identity->y_first));
  EXPECT_EQ(ToHex(AsBytes(held.their_ecdh)), ToHex(backend().Ed448Encode(keys_.ecdh_first.pub())));
  EXPECT_EQ(ToHex(AsBytes(held.their_dh)), ToHex(keys_.dh_first.pub));
}

// The spec's MixedSharedSecret (K_ecdh = x * Y) is not libotr-ng's K: a
// DAKE that used it would not reach libotr-ng's SSID (#11 in the DAKE).
TEST_P(LibotrNgDakeTest, SpecSharedSecretDiffers) {
  auto other = v4::dake::GenerateOurDakeKeys(backend(), random_);
  ASSERT_TRUE(other.ok());
  auto ng_k = ng::MixedSharedSecret(backend(), keys_.ecdh.secret(), other->ecdh.pub(),
                                    keys_.dh.secret, other->dh.pub);
  auto ng_k_other = ng::MixedSharedSecret(backend(), other->ecdh.secret(), keys_.ecdh.pub(),
                                          other->dh.secret, keys_.dh.pub);
  auto spec_k = v4::dake::MixedSharedSecret(backend(), keys_.ecdh.secret(), other->ecdh.pub(),
                                            keys_.dh.secret, other->dh.pub);
  ASSERT_TRUE(ng_k.ok() && ng_k_other.ok() && spec_k.ok());
  EXPECT_TRUE(*ng_k == *ng_k_other);
  EXPECT_FALSE(*ng_k == *spec_k);
}

// #15: phi is libotr-ng's otrng_serialize_phi of the two identifiers
// concatenated in order, with each instance tag cut to 16 bits: two
// conversations whose tags differ only above bit 15 share their phi.
TEST_P(LibotrNgDakeTest, PhiIsLibotrNgs) {
  const std::string sss = std::string(kOurAccount) + kTheirAccount;  // "alice..." < "bob..."
  uint8_t theirs[4 + 4 + 4 + 64] = {};
  // otrng.c, generate_phi_serialized: its uint16_t parameters take the
  // conversation's 32-bit tags.
  const size_t n = otrng_serialize_phi(theirs, sss.c_str(), static_cast<uint16_t>(kTheirTag),
                                       static_cast<uint16_t>(kOurTag));
  const Bytes ours = ng::SharedSessionState(kOurTag, kTheirTag, kOurAccount, kTheirAccount);
  EXPECT_EQ(ToHex(ours), ToHex(ByteView(theirs, n)));
  EXPECT_EQ(ours, ng::SharedSessionState(kTheirTag, kOurTag, kTheirAccount, kOurAccount));
  EXPECT_EQ(ours, ng::SharedSessionState(0x7000a11c, kTheirTag, kOurAccount, kTheirAccount));
  EXPECT_EQ(ours.size(), 2u + 2u + 4u + sss.size());
}

OTR_INSTANTIATE_FOR_ALL_BACKENDS(LibotrNgDakeTest);

}  // namespace
}  // namespace otr
