// Issue 20: the pieces of the `libotr-ng` compatibility profile
// (protocol/v4/libotr_ng) against libotr-ng's own functions, called in this
// process, in both directions: what libotr-ng computes, our profile accepts,
// and what our profile computes, libotr-ng accepts; the spec-exact code does
// neither (so each test shows the deviation too). On both backends.
extern "C" {
#include <gcrypt.h>

#include "alloc.h"
#include "auth.h"
#include "deserialize.h"
#include "ed448.h"
#include "keys.h"
#include "otrng.h"
#include "serialize.h"
#include "smp_protocol.h"
}

#include <gtest/gtest.h>

#include <array>
#include <ctime>
#include <string>

#include "crypto/testing/deterministic_random.h"
#include "protocol/v4/crypto/fingerprint.h"
#include "protocol/v4/crypto/keys.h"
#include "protocol/v4/crypto/ring_signature.h"
#include "protocol/v4/libotr_ng/client_profile.h"
#include "protocol/v4/libotr_ng/curve.h"
#include "protocol/v4/libotr_ng/data_message.h"
#include "protocol/v4/libotr_ng/fingerprint.h"
#include "protocol/v4/libotr_ng/ring_signature.h"
#include "protocol/v4/libotr_ng/smp_secret.h"
#include "protocol/v4/messages/messages.h"
#include "protocol/v4/smp/smp_hash.h"
#include "protocol/wire/armor.h"
#include "tests/crypto/test_util.h"
#include "tests/interop/libotr_ng_peer.h"
#include "tests/session/v4_fixture.h"

namespace otr {
namespace {

namespace ng = v4::libotr_ng;
using crypto::SecretBytes;
using crypto::testing::ToHex;

// A libotr-ng key pair from a seed (keys.c, otrng_keypair_generate), and
// the same key made our way (protocol/v4/crypto/keys, RFC 8032).
struct Key {
  std::array<uint8_t, ED448_PRIVATE_BYTES> sym{};
  otrng_keypair_s ng{};
  crypto::Ed448Encoding pub{};
};

Key MakeKey(uint8_t seed) {
  Key k;
  for (size_t i = 0; i < k.sym.size(); ++i) k.sym[i] = static_cast<uint8_t>(seed * 31 + i);
  EXPECT_EQ(otrng_keypair_generate(&k.ng, k.sym.data()), OTRNG_SUCCESS);
  EXPECT_EQ(otrng_ec_point_encode(k.pub.data(), k.pub.size(), k.ng.pub), OTRNG_SUCCESS);
  return k;
}

class LibotrNgCompatTest : public crypto::testing::BackendTest {
 protected:
  void SetUp() override { otrng_init(otrng_false); }

  v4::Ring RingOf(const std::array<const Key*, 3>& keys) {
    v4::Ring ring;
    for (size_t i = 0; i < 3; ++i) {
      auto p = backend().Ed448Decode(keys[i]->pub);
      EXPECT_TRUE(p.ok());
      if (p.ok()) ring[i] = *p;
    }
    return ring;
  }
  SecretBytes OurSecret(const Key& k) {
    auto pair = v4::DeriveEd448KeyPair(backend(), SecretBytes(ByteView(k.sym)));
    EXPECT_TRUE(pair.ok());
    // The same public key both ways (docs/libotr-ng-deviations.md #8).
    if (pair.ok()) {
      EXPECT_EQ(backend().Ed448Encode(pair->pub), k.pub);
    }
    return pair.ok() ? pair->secret : SecretBytes();
  }
};

TEST_P(LibotrNgCompatTest, InverseOfFourIsOne) {
  SecretBytes four(crypto::kEd448ScalarSize);
  four[0] = 4;
  SecretBytes one(crypto::kEd448ScalarSize);
  one[0] = 1;
  EXPECT_TRUE(backend().Ed448ScalarMul(four, backend().Ed448ScalarReduce(ng::kInverseOfFour)) ==
              one);
}

// #11: libotr-ng's K_ecdh (ed448.c, otrng_ecdh_shared_secret) is what
// ng::EcdhSharedPoint computes from the spec's secret.
TEST_P(LibotrNgCompatTest, EcdhMatchesLibotrNg) {
  Key a = MakeKey(1), b = MakeKey(2);
  uint8_t theirs[ED448_POINT_BYTES];
  ASSERT_EQ(otrng_ecdh_shared_secret(theirs, sizeof theirs, a.ng.priv, b.ng.pub), OTRNG_SUCCESS);
  auto peer = backend().Ed448Decode(b.pub);
  ASSERT_TRUE(peer.ok());
  const SecretBytes secret = OurSecret(a);
  EXPECT_EQ(backend().Ed448Encode(ng::EcdhSharedPoint(backend(), secret, *peer)),
            crypto::Ed448Encoding(std::to_array(theirs)));
  EXPECT_NE(backend().Ed448Encode(backend().Ed448Mul(*peer, secret)),
            crypto::Ed448Encoding(std::to_array(theirs)))
      << "libotr-ng's ECDH is the spec's after all";
}

// #2, #9, #10 and the ring-signature hash (usage 0x1C, q big-endian, 64-byte
// hash): a sigma made by libotr-ng (auth.c, otrng_rsig_authenticate), for
// the signer at each index, verifies under the profile and not under the
// spec's RVrf.
TEST_P(LibotrNgCompatTest, LibotrNgRingSignaturesVerifyUnderTheProfile) {
  Key k[3] = {MakeKey(3), MakeKey(4), MakeKey(5)};
  const std::string m = "the DAKE transcript t";
  const auto* msg = reinterpret_cast<const uint8_t*>(m.data());
  for (int signer = 0; signer < 3; ++signer) {
    ring_sig_s sig;
    ASSERT_EQ(otrng_rsig_authenticate(&sig, k[signer].ng.priv, k[signer].ng.pub, k[0].ng.pub,
                                      k[1].ng.pub, k[2].ng.pub, msg, m.size()),
              OTRNG_SUCCESS);
    uint8_t wire[RING_SIG_BYTES];
    ASSERT_EQ(otrng_serialize_ring_sig(wire, &sig), ng::kRingSigWireSize);
    auto sigma = ng::DecodeRingSig(backend(), ByteView(wire, sizeof wire));
    ASSERT_TRUE(sigma.ok());
    const v4::Ring ring = RingOf({&k[0], &k[1], &k[2]});
    EXPECT_TRUE(ng::RVrf(backend(), ring, *sigma, AsBytes(m)).ok()) << "signer " << signer;
    EXPECT_FALSE(ng::RVrf(backend(), ring, *sigma, AsBytes(m + "!")).ok());
    EXPECT_FALSE(v4::RVrf(backend(), ring, *sigma, AsBytes(m)).ok())
        << "libotr-ng's ring signature verifies under otrv4.md's RVrf";
  }
}

// The other way: a sigma made by the profile verifies in libotr-ng
// (otrng_rsig_verify) for the signer at each index; the spec's RSig does not.
TEST_P(LibotrNgCompatTest, ProfileRingSignaturesVerifyInLibotrNg) {
  Key k[3] = {MakeKey(6), MakeKey(7), MakeKey(8)};
  const std::string m = "the DAKE transcript t";
  const auto* msg = reinterpret_cast<const uint8_t*>(m.data());
  crypto::testing::DeterministicRandom random(20);
  const v4::Ring ring = RingOf({&k[0], &k[1], &k[2]});
  for (int signer = 0; signer < 3; ++signer) {
    const SecretBytes secret = OurSecret(k[signer]);
    for (bool profile : {true, false}) {
      auto sigma = profile ? ng::RSig(backend(), secret, ring, AsBytes(m), random)
                           : v4::RSig(backend(), secret, ring, AsBytes(m), random);
      ASSERT_TRUE(sigma.ok());
      const Bytes wire = ng::EncodeRingSig(*sigma);
      ring_sig_s sig;
      ASSERT_EQ(otrng_deserialize_ring_sig(&sig, wire.data(), wire.size(), nullptr), OTRNG_SUCCESS);
      const bool verified = otrng_rsig_verify(&sig, k[0].ng.pub, k[1].ng.pub, k[2].ng.pub, msg,
                                              m.size()) == otrng_true;
      EXPECT_EQ(verified, profile) << "signer " << signer << (profile ? " (profile)" : " (spec)");
    }
  }
}

// Two libotr-ng clients in an established conversation, alice having sent
// one message of her current chain (so her next one turns no ratchet).
struct Established {
  testing::LibotrNgPeer alice{"alice@example.org", "bob@example.org", 0x1000a11c};
  testing::LibotrNgPeer bob{"bob@example.org", "alice@example.org", 0x10000b0b};
  Established() {
    std::vector<std::string> to_bob = {alice.Query()}, to_alice;
    for (int round = 0; round < 5 && !(to_bob.empty() && to_alice.empty()); ++round) {
      std::vector<std::string> next_bob, next_alice;
      for (const auto& m : to_bob)
        for (auto& r : bob.Receive(m)) next_alice.push_back(std::move(r));
      for (const auto& m : to_alice)
        for (auto& r : alice.Receive(m)) next_bob.push_back(std::move(r));
      to_bob = std::move(next_bob);
      to_alice = std::move(next_alice);
    }
    EXPECT_TRUE(alice.encrypted() && bob.encrypted());
    for (const auto& m : alice.Send("first of the chain")) bob.Receive(m);
  }
  SecretBytes ChainKey() const {
    const std::string key = alice.SendingChainKeyForTesting();
    return SecretBytes(AsBytes(key));
  }
};

// #5, #6, #12: a Data Message libotr-ng sends opens under the profile (its
// MAC verifies with the profile's keys, XSalsa20 under its nonce gives the
// text), and the spec's decoder refuses it.
TEST_P(LibotrNgCompatTest, LibotrNgDataMessagesOpenUnderTheProfile) {
  Established e;
  const SecretBytes chain_key = e.ChainKey();
  const auto sent = e.alice.Send("hello from libotr-ng");
  ASSERT_EQ(sent.size(), 1u);
  auto bytes = wire::DecodeArmor(sent[0]);
  ASSERT_TRUE(bytes.ok());
  EXPECT_FALSE(v4::DecodeDataMessage(*bytes).ok()) << "the spec decoder reads libotr-ng's";
  auto m = ng::Decode(*bytes);
  ASSERT_TRUE(m.ok()) << m.error().context;
  EXPECT_EQ(ng::Encode(*m), *bytes);
  auto plaintext = ng::Open(backend(), chain_key, *m);
  ASSERT_TRUE(plaintext.ok()) << plaintext.error().context;
  const std::string text(plaintext->data(), plaintext->data() + plaintext->size());
  EXPECT_EQ(text.substr(0, 20), "hello from libotr-ng") << text.size();
  // Another chain key does not open it.
  SecretBytes wrong = chain_key;
  wrong[0] ^= 1;
  EXPECT_EQ(ng::Open(backend(), wrong, *m).error().code, ErrorCode::kBadMac);
  EXPECT_TRUE(e.bob.Receive(sent[0]).empty());
  EXPECT_EQ(e.bob.displayed().back(), "hello from libotr-ng");
}

// The other way: a Data Message sealed by the profile (with the keys of
// alice's chain, in place of hers) is read by libotr-ng.
TEST_P(LibotrNgCompatTest, ProfileDataMessagesOpenInLibotrNg) {
  Established e;
  const SecretBytes chain_key = e.ChainKey();
  const auto template_message = e.alice.Send("to be replaced");
  ASSERT_EQ(template_message.size(), 1u);
  auto bytes = wire::DecodeArmor(template_message[0]);
  ASSERT_TRUE(bytes.ok());
  auto m = ng::Decode(*bytes);
  ASSERT_TRUE(m.ok());
  crypto::testing::DeterministicRandom random(30);
  const std::string ours = "sealed by the profile";
  Bytes plaintext(ours.begin(), ours.end());
  plaintext.push_back(0);  // the text ends at NUL; no TLVs (otrv4.md "Data Message")
  ASSERT_TRUE(ng::Seal(backend(), chain_key, plaintext, random, *m).ok());
  e.bob.Receive(wire::EncodeArmor(ng::Encode(*m)));
  ASSERT_FALSE(e.bob.displayed().empty());
  EXPECT_EQ(e.bob.displayed().back(), ours);
}

// The extra symmetric key the profile derives is the one libotr-ng's
// receiver reports for a TLV 7 in the message of that chain key.
TEST_P(LibotrNgCompatTest, ExtraSymmetricKeyMatchesLibotrNgsReceiver) {
  Established e;
  const SecretBytes chain_key = e.ChainKey();
  std::string senders_key;
  for (const auto& m : e.alice.UseSymmetricKey(7, "data", &senders_key)) e.bob.Receive(m);
  const std::string& received = e.bob.received_symkey();
  ASSERT_EQ(received.size(), ng::kExtraSymmetricKeySize);
  const SecretBytes ours = ng::ExtraSymmetricKey(backend(), chain_key);
  EXPECT_EQ(ToHex(ours.view()), ToHex(AsBytes(received)));
  // libotr-ng's sender hands its user another key (NgNgTest.ExtraSymmetricKeysDisagree).
  EXPECT_NE(ToHex(AsBytes(senders_key)), ToHex(AsBytes(received)));
}

// #13: libotr-ng's SMP secret (smp_protocol.c, otrng_generate_smp_secret)
// is the profile's digest, and not the spec's x (protocol/v4/smp).
TEST_P(LibotrNgCompatTest, SmpSecretMatchesLibotrNg) {
  otrng_fingerprint ours, theirs;
  for (size_t i = 0; i < sizeof ours; ++i) {
    ours[i] = static_cast<uint8_t>(i);
    theirs[i] = static_cast<uint8_t>(200 - i);
  }
  uint8_t ssid[SSID_BYTES] = {1, 2, 3, 4, 5, 6, 7, 8};
  const std::string answer = "the lighthouse";
  unsigned char* secret = nullptr;
  ASSERT_EQ(
      otrng_generate_smp_secret(&secret, ours, theirs, ssid,
                                reinterpret_cast<const uint8_t*>(answer.data()), answer.size()),
      OTRNG_SUCCESS);
  const Bytes libotr_ng(secret, secret + ng::kSmpSecretHashSize);
  otrng_secure_free(secret);
  const ByteView fp_a(ours, sizeof ours), fp_b(theirs, sizeof theirs), id(ssid, sizeof ssid);
  EXPECT_EQ(ToHex(ng::SmpSecretDigest(backend(), fp_a, fp_b, id, AsBytes(answer)).view()),
            ToHex(libotr_ng));
  v4::smp::Fingerprint spec_a{}, spec_b{};
  std::copy(fp_a.begin(), fp_a.end(), spec_a.begin());
  std::copy(fp_b.begin(), fp_b.end(), spec_b.begin());
  v4::smp::Ssid spec_ssid{};
  std::copy(id.begin(), id.end(), spec_ssid.begin());
  const SecretBytes spec =
      v4::smp::ComputeSecret(backend(), spec_a, spec_b, spec_ssid, AsBytes(answer));
  EXPECT_NE(ToHex(backend().Ed448ScalarReduce(spec.view()).view()),
            ToHex(ng::SmpSecret(backend(), fp_a, fp_b, id, AsBytes(answer)).view()))
      << "libotr-ng's SMP secret is the spec's after all";
}

// #1: libotr-ng's Client Profile (big-endian key types, signed over those
// bytes) verifies under the profile, and the spec's decoder refuses it; the
// profile's encoding of our Client Profile is one libotr-ng accepts, and
// the spec's encoding is not.
TEST_P(LibotrNgCompatTest, ClientProfilesBothWays) {
  testing::LibotrNgPeer peer("bob@example.org", "alice@example.org", 0x10000b0b);
  const std::string theirs = peer.ClientProfileBytesForTesting();
  EXPECT_FALSE(v4::DecodeClientProfile(AsBytes(theirs)).ok());
  auto decoded = ng::DecodeAndVerifyClientProfile(backend(), AsBytes(theirs));
  ASSERT_TRUE(decoded.ok()) << decoded.error().context;
  EXPECT_EQ(decoded->owner_instance_tag, 0x10000b0bu);
  // A changed byte breaks the signature.
  std::string tampered = theirs;
  tampered[tampered.size() - 200] ^= 1;
  EXPECT_FALSE(ng::DecodeAndVerifyClientProfile(backend(), AsBytes(tampered)).ok());

  const auto now = static_cast<uint64_t>(std::time(nullptr));
  auto identity = testing::MakeV4Identity(backend(), 40, 0x2000, now, "4");
  ASSERT_NE(identity, nullptr);
  auto ours = ng::EncodeAndSignClientProfile(backend(), identity->long_term.sym_key,
                                             identity->client_profile);
  ASSERT_TRUE(ours.ok());
  const std::string ours_text(ours->begin(), ours->end());
  EXPECT_TRUE(testing::LibotrNgPeer::AcceptsClientProfileForTesting(ours_text, 0x2000));
  EXPECT_FALSE(testing::LibotrNgPeer::AcceptsClientProfileForTesting(ours_text, 0x2001));
  const Bytes spec = v4::EncodeClientProfile(identity->client_profile);
  EXPECT_FALSE(testing::LibotrNgPeer::AcceptsClientProfileForTesting(
      std::string(spec.begin(), spec.end()), 0x2000))
      << "libotr-ng accepts the spec's Client Profile";
  // Round trip through the profile's reader.
  auto back = ng::DecodeAndVerifyClientProfile(backend(), *ours);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->public_key, identity->client_profile.public_key);
}

// #7: the fingerprint a libotr-ng client shows for itself
// (otrng_client_get_our_fingerprint) is the profile's, computed from the H
// and F of its Client Profile, and not the spec's.
TEST_P(LibotrNgCompatTest, FingerprintMatchesLibotrNg) {
  testing::LibotrNgPeer peer("bob@example.org", "alice@example.org", 0x10000b0b);
  auto profile =
      ng::DecodeAndVerifyClientProfile(backend(), AsBytes(peer.ClientProfileBytesForTesting()));
  ASSERT_TRUE(profile.ok());
  const v4::Fingerprint ours =
      ng::ComputeFingerprint(backend(), profile->public_key, profile->forging_key);
  EXPECT_EQ(ToHex(ours), peer.our_fingerprint_hex());
  auto h = backend().Ed448Decode(profile->public_key);
  auto f = backend().Ed448Decode(profile->forging_key);
  ASSERT_TRUE(h.ok() && f.ok());
  EXPECT_NE(ToHex(v4::ComputeFingerprint(backend(), *h, *f)), peer.our_fingerprint_hex());
}

OTR_INSTANTIATE_FOR_ALL_BACKENDS(LibotrNgCompatTest);

}  // namespace
}  // namespace otr
