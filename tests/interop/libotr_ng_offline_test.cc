// Issue 20: the `libotr-ng` profile's non-interactive DAKE
// (protocol/v4/libotr_ng/non_interactive.h) against libotr-ng clients driven
// in this process, through our prekey-server core with the opt-in
// ServerConfig::accept_libotr_ng (decision 0034):
//   - we are the receiver: our ensemble, in libotr-ng's bytes, is stored and
//     handed by our server to libotr-ng, whose Non-Interactive-Auth decodes
//     and verifies with our functions; our K opens its Data Messages, and 20
//     messages flow both ways on libotr-ng's double ratchet (ratchet.h);
//   - we are the sender: libotr-ng publishes through our server, which
//     hands us its ensemble in libotr-ng's Ensemble Retrieval; we build a
//     Non-Interactive-Auth for it, libotr-ng accepts it
//     (the same SSID) and 20 messages flow both ways.
// Both backends.
#include <gtest/gtest.h>

#include <ctime>
#include <memory>
#include <string>
#include <vector>

#include "crypto/testing/deterministic_random.h"
#include "protocol/prekey/common/libotr_ng.h"
#include "protocol/prekey/common/transport.h"
#include "protocol/prekey/messages/messages.h"
#include "protocol/prekey/server/memory_storage.h"
#include "protocol/prekey/server/server.h"
#include "protocol/v4/crypto/keys.h"
#include "protocol/v4/dake/dake.h"
#include "protocol/v4/dake/xzdh.h"
#include "protocol/v4/libotr_ng/client_profile.h"
#include "protocol/v4/libotr_ng/dake.h"
#include "protocol/v4/libotr_ng/data_message.h"
#include "protocol/v4/libotr_ng/non_interactive.h"
#include "protocol/v4/libotr_ng/ratchet.h"
#include "protocol/v4/messages/prekey_message.h"
#include "protocol/wire/armor.h"
#include "protocol/wire/base64.h"
#include "protocol/wire/writer.h"
#include "tests/crypto/test_util.h"
#include "tests/interop/libotr_ng_peer.h"
#include "tests/session/v4_fixture.h"

namespace otr {
namespace {

namespace ng = v4::libotr_ng;
using crypto::testing::ToHex;
using prekey::ServerOutput;

constexpr uint32_t kOurTag = 0x2000a11c;
constexpr uint32_t kTheirTag = 0x10000b0b;
constexpr char kOurAccount[] = "alice@example.org";
constexpr char kTheirAccount[] = "bob@example.org";
constexpr char kServer[] = "prekey.example.org";
constexpr size_t kMaxSkip = 100;

class LibotrNgOfflineTest : public crypto::testing::BackendTest {
 protected:
  void SetUp() override {
    auto key = v4::GenerateLongTermKeyPair(backend(), random_);
    ASSERT_TRUE(key.ok());
    server_key_ = std::make_unique<v4::Ed448KeyPair>(std::move(*key));
    prekey::ServerConfig config;
    config.identity = kServer;
    config.accept_libotr_ng = true;
    server_ = std::make_unique<prekey::Server>(backend(), random_, storage_, *server_key_, config);
    identity_ = testing::MakeV4Identity(backend(), 70, kOurTag, Now(), "4");
    ASSERT_NE(identity_, nullptr);
    auto bytes = ng::EncodeAndSignClientProfile(backend(), identity_->long_term.sym_key,
                                                identity_->client_profile);
    ASSERT_TRUE(bytes.ok());
    ours_.long_term = &identity_->long_term;
    ours_.client_profile = &identity_->client_profile;
    ours_.client_profile_bytes = *bytes;
    ours_.instance_tag = kOurTag;
    ours_.identifier = kOurAccount;
  }
  static int64_t Now() { return static_cast<int64_t>(std::time(nullptr)); }
  static Bytes Unarmor(const std::string& text) {
    auto bytes = wire::DecodeArmor(text);
    EXPECT_TRUE(bytes.ok()) << text.substr(0, 40);
    return bytes.ok() ? *bytes : Bytes();
  }
  // Our Prekey Profile in libotr-ng's bytes (prekey_profile.c): owner tag,
  // expiration, 00 11 || D, signed with sym_h over those bytes.
  Bytes NgPrekeyProfile(const crypto::Ed448Point& d, int64_t expiration) {
    wire::Writer w;
    w.WriteU32(kOurTag);
    w.WriteU64(static_cast<uint64_t>(expiration));
    w.WriteU16(0x0011);
    w.WriteBytes(backend().Ed448Encode(d));
    Bytes body = std::move(w).Finish();
    auto signature = backend().Ed448Sign(identity_->long_term.sym_key, body);
    EXPECT_TRUE(signature.ok());
    if (signature.ok()) body.insert(body.end(), signature->begin(), signature->end());
    return body;
  }
  // One Data Message of ours to libotr-ng: the text, NUL, no TLVs.
  std::string Seal(ng::Ratchet& ratchet, const std::string& text, uint32_t receiver) {
    Bytes plaintext(text.begin(), text.end());
    plaintext.push_back(0);
    auto m = ratchet.Send(backend(), plaintext, 0, kOurTag, receiver, random_);
    EXPECT_TRUE(m.ok());
    return m.ok() ? wire::EncodeArmor(ng::Encode(*m)) : std::string();
  }
  // Opens libotr-ng's Data Message; its text (up to the NUL).
  std::string Open(ng::Ratchet& ratchet, const std::string& message) {
    auto m = ng::Decode(Unarmor(message));
    EXPECT_TRUE(m.ok());
    if (!m.ok()) return "";
    auto opened = ratchet.Receive(backend(), *m);
    EXPECT_TRUE(opened.ok());
    if (!opened.ok()) return "";
    const ByteView p = opened->plaintext.view();
    std::string text(p.begin(), p.end());
    return text.substr(0, text.find('\0'));
  }
  // Ten messages each way, libotr-ng first when `they_start`.
  void Converse(ng::Ratchet& ratchet, testing::LibotrNgPeer& peer, bool they_start) {
    for (int i = 0; i < 10; ++i) {
      const std::string theirs = "from libotr-ng " + std::to_string(i);
      const std::string ours = "from us " + std::to_string(i);
      if (they_start) {
        const auto sent = peer.Send(theirs);
        ASSERT_EQ(sent.size(), 1u);
        EXPECT_EQ(Open(ratchet, sent[0]), theirs);
      }
      (void)peer.Receive(Seal(ratchet, ours, peer.our_instance_tag()));
      ASSERT_FALSE(peer.displayed().empty()) << i;
      EXPECT_EQ(peer.displayed().back(), ours);
      if (!they_start) {
        const auto sent = peer.Send(theirs);
        ASSERT_EQ(sent.size(), 1u);
        EXPECT_EQ(Open(ratchet, sent[0]), theirs);
      }
    }
    EXPECT_TRUE(peer.encrypted());
  }

  crypto::testing::DeterministicRandom random_{uint64_t{0x0ff2}};
  std::unique_ptr<v4::Ed448KeyPair> server_key_;
  prekey::MemoryStorage storage_;
  std::unique_ptr<prekey::Server> server_;
  std::unique_ptr<v4::Identity> identity_;
  ng::OurSide ours_;
};

// We are Bob: our ensemble (libotr-ng's bytes) is stored, our server hands
// it to libotr-ng, which answers with a Non-Interactive-Auth; it decodes,
// re-encodes to the same bytes and verifies (sigma, Auth MAC) with our
// functions; we hold libotr-ng's SSID, and our K opens its Data Messages.
TEST_P(LibotrNgOfflineTest, LibotrNgsNonInteractiveAuthVerifiesAndOurKOpensItsMessages) {
  const int64_t now = Now();
  auto shared_prekey = v4::GenerateSharedPrekeyPair(backend(), random_);
  ASSERT_TRUE(shared_prekey.ok());
  auto made = v4::dake::MakePrekeyMessage(backend(), kOurTag, random_);
  ASSERT_TRUE(made.ok());
  prekey::Publication p;
  p.owner = kOurAccount;
  p.instance_tag = kOurTag;
  p.client_profile = ours_.client_profile_bytes;
  p.client_profile_expires = identity_->client_profile.expiration;
  p.prekey_profile = NgPrekeyProfile(shared_prekey->pub, now + 3600);
  p.prekey_profile_expires = now + 3600;
  p.prekey_messages.emplace_back(made->message.identifier, v4::EncodePrekeyMessage(made->message));
  ASSERT_TRUE(storage_.Publish(p, now).ok());

  testing::LibotrNgPeer bob(kTheirAccount, kOurAccount, kTheirTag);
  bob.UsePrekeyServer(kTheirAccount, kServer);
  bob.StartOfflineOnEnsembles();
  const ServerOutput out = server_->Receive(kTheirAccount, "bob@example.org/phone",
                                            bob.PrekeyRetrieve(kOurAccount), now);
  ASSERT_EQ(out.replies.size(), 1u);
  (void)bob.PrekeyReceive(out.replies[0]);
  ASSERT_EQ(bob.prekey_events().ensembles, std::vector<int>{1}) << "libotr-ng refused our ensemble";
  const std::vector<std::string> auth = bob.TakeOfflineStart();
  ASSERT_EQ(auth.size(), 1u) << "libotr-ng made no Non-Interactive-Auth";

  const Bytes bytes = Unarmor(auth[0]);
  auto m = ng::DecodeNonInteractiveAuth(backend(), bytes);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(ng::EncodeNonInteractiveAuth(*m), bytes);
  EXPECT_EQ(m->header.sender_instance_tag, kTheirTag);
  EXPECT_EQ(m->header.receiver_instance_tag, kOurTag);
  EXPECT_EQ(m->prekey_message_identifier, made->message.identifier);
  ng::OurPrekey prekey;
  prekey.identifier = made->secrets.identifier;
  prekey.ecdh = &made->secrets.ecdh;
  prekey.dh = &made->secrets.dh;
  prekey.shared_prekey = &*shared_prekey;
  auto established =
      ng::ValidateNonInteractiveAuth(backend(), *m, ours_, prekey, kTheirAccount, now);
  ASSERT_TRUE(established.ok());
  EXPECT_EQ(ToHex(AsBytes(bob.SsidForTesting())), ToHex(established->ssid));
  EXPECT_TRUE(bob.encrypted());

  // A changed Auth MAC or another prekey's secrets are refused.
  ng::NonInteractiveAuth bad_mac = *m;
  bad_mac.auth_mac[0] ^= 1;
  auto refused =
      ng::ValidateNonInteractiveAuth(backend(), bad_mac, ours_, prekey, kTheirAccount, now);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().check, v4::dake::DakeCheck::kAuthMac);
  ng::OurPrekey other = prekey;
  other.identifier ^= 1;
  refused = ng::ValidateNonInteractiveAuth(backend(), *m, ours_, other, kTheirAccount, now);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().check, v4::dake::DakeCheck::kPrekeyMessageIdentifier);

  // Bob (libotr-ng's 'u' side): ours the pair derived from K, theirs X, A.
  auto ratchet =
      ng::Ratchet::StartAuthISender(backend(), established->shared_secret, m->x, m->a, kMaxSkip);
  ASSERT_TRUE(ratchet.ok());
  Converse(*ratchet, bob, /*they_start=*/true);
}

// We are Alice: libotr-ng publishes through our server; the server hands us
// its ensemble (libotr-ng's Ensemble Retrieval, DecodeEnsembleRetrieval); we
// validate it, build the Non-Interactive-Auth, and libotr-ng accepts it.
TEST_P(LibotrNgOfflineTest, LibotrNgAcceptsOurNonInteractiveAuth) {
  testing::LibotrNgPeer bob(kTheirAccount, kOurAccount, kTheirTag);
  bob.UsePrekeyServer(kTheirAccount, kServer);
  const auto to_server = [&](const std::string& text) {
    return server_->Receive(kTheirAccount, "bob@example.org/phone", text, Now());
  };
  const ServerOutput out2 = to_server(bob.PrekeyPublish(true, true, 1));
  ASSERT_EQ(out2.replies.size(), 1u);
  const std::string dake3 = bob.PrekeyReceive(out2.replies[0]);
  ASSERT_FALSE(dake3.empty());
  const ServerOutput out3 = to_server(dake3);
  for (const std::string& reply : out3.replies) (void)bob.PrekeyReceive(reply);
  ASSERT_EQ(bob.prekey_events().successes, 1);

  // Our Ensemble Query Retrieval (the spec's); the server answers in
  // libotr-ng's variant (row 25), which DecodeEnsembleRetrieval reads.
  const int64_t now = Now();
  prekey::PrekeyEnsembleQueryRetrieval query;
  query.sender_instance_tag = kOurTag;
  query.participant_identity = Bytes(kTheirAccount, kTheirAccount + sizeof(kTheirAccount) - 1);
  query.versions = Bytes{'4'};
  const ServerOutput got = server_->Receive(kOurAccount, "alice@example.org/laptop",
                                            prekey::EncodeForTransport(query), now);
  ASSERT_EQ(got.replies.size(), 1u);
  const std::string& reply = got.replies[0];
  ASSERT_FALSE(reply.empty());
  ASSERT_EQ(reply.back(), '.');
  auto reply_bytes = wire::DecodeBase64(std::string_view(reply).substr(0, reply.size() - 1));
  ASSERT_TRUE(reply_bytes.ok());
  auto retrieval = prekey::libotr_ng::DecodeEnsembleRetrieval(*reply_bytes);
  ASSERT_TRUE(retrieval.ok());
  EXPECT_EQ(prekey::libotr_ng::EncodeEnsembleRetrieval(*retrieval), *reply_bytes);
  EXPECT_EQ(retrieval->receiver_instance_tag, kOurTag);
  ASSERT_EQ(retrieval->ensembles.size(), 1u);
  const prekey::libotr_ng::Ensemble& e = retrieval->ensembles[0];
  const uint32_t their_tag = bob.our_instance_tag();
  auto message = v4::DecodePrekeyMessage(e.prekey_message);
  ASSERT_TRUE(message.ok());
  auto their = ng::ValidateSenderValues(backend(), v4::Header{their_tag, kOurTag}, e.client_profile,
                                        message->y, message->b, now);
  ASSERT_TRUE(their.ok());
  auto prekey_profile = prekey::libotr_ng::DecodeAndVerifyPrekeyProfile(
      backend(), e.prekey_profile, their->client_profile.public_key);
  ASSERT_TRUE(prekey_profile.ok());
  auto d = backend().Ed448Decode(prekey_profile->shared_prekey);
  ASSERT_TRUE(d.ok());
  ng::TheirEnsemble ensemble{std::move(their).value(), *d, message->identifier};

  auto keys = v4::dake::GenerateOurDakeKeys(backend(), random_);
  ASSERT_TRUE(keys.ok());
  auto sent = ng::MakeNonInteractiveAuth(backend(), ours_, ensemble, kTheirAccount, *keys, random_);
  ASSERT_TRUE(sent.ok());
  (void)bob.Receive(wire::EncodeArmor(ng::EncodeNonInteractiveAuth(sent->message)));
  EXPECT_TRUE(bob.error_events().empty());
  EXPECT_EQ(ToHex(AsBytes(bob.SsidForTesting())), ToHex(sent->established.ssid));

  // Alice (libotr-ng's 't' side): ours x and a, theirs derived from K.
  auto ratchet =
      ng::Ratchet::StartAuthRSender(backend(), sent->established.shared_secret,
                                    std::move(keys->ecdh), std::move(keys->dh), kMaxSkip);
  ASSERT_TRUE(ratchet.ok());
  Converse(*ratchet, bob, /*they_start=*/false);
}

OTR_INSTANTIATE_FOR_ALL_BACKENDS(LibotrNgOfflineTest);

}  // namespace
}  // namespace otr
