// prekey::LibotrNgPublisher (issue 20, decision 0041) against our server
// core with accept_libotr_ng, on both crypto backends: a publication that
// the server stores (and its storage status counts), the ECDH proofs over
// libotr-ng's G = 4B, and the refusals: a DAKE-2 whose sigma or server
// identity is wrong, an answer with a bad MAC (ignored), a Failure, a
// Prekey Profile not ours, and requests that cannot start; the storage
// status query (the spec's request and answer in libotr-ng's DAKE), also
// with the server's messages cut into fragments. Against libotr-ng itself:
// tests/interop:libotr_ng_session_offline_test.
#include "protocol/prekey/client/libotr_ng_publisher.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "crypto/testing/deterministic_random.h"
#include "protocol/prekey/common/libotr_ng.h"
#include "protocol/prekey/common/proofs.h"
#include "protocol/prekey/common/transport.h"
#include "protocol/v4/libotr_ng/client_profile.h"
#include "protocol/v4/libotr_ng/curve.h"
#include "protocol/wire/base64.h"
#include "tests/crypto/test_util.h"
#include "tests/prekey/prekey_fixture.h"

namespace otr::prekey {
namespace {

using testing::kNow;

constexpr wire::InstanceTag kTag = 0x1234abcd;
constexpr char kIdentity[] = "alice@localhost";
constexpr char kAddress[] = "alice@localhost/phone";

class LibotrNgPublisherTest : public crypto::testing::BackendTest {
 protected:
  void SetUp() override {
    auto key = v4::GenerateLongTermKeyPair(backend(), random_);
    ASSERT_TRUE(key.ok());
    server_key_ = std::make_unique<v4::Ed448KeyPair>(std::move(*key));
    ServerConfig config;
    config.identity = std::string(testing::kServerIdentity);
    config.accept_libotr_ng = true;
    server_ = std::make_unique<Server>(backend(), random_, storage_, *server_key_, config);
    keys_ = testing::MakeKeys(backend(), random_, kTag, kNow);
    auto cp = v4::libotr_ng::EncodeAndSignClientProfile(backend(), keys_.long_term.sym_key,
                                                        keys_.client_profile);
    ASSERT_TRUE(cp.ok());
    client_profile_ = *cp;
  }

  std::unique_ptr<LibotrNgPublisher> MakePublisher(
      std::string server_identity = std::string(testing::kServerIdentity)) {
    ClientConfig c = testing::MakeClientConfig(kIdentity, kTag);
    c.server_identity = std::move(server_identity);
    return std::make_unique<LibotrNgPublisher>(backend(), random_, c, keys_.long_term,
                                               client_profile_);
  }

  // Both profiles and `n` fresh Prekey Messages; the Prekey Profile signed
  // with `sym_h` (ours when null).
  LibotrNgPublicationRequest Request(size_t n, const crypto::SecretBytes* sym_h = nullptr) {
    LibotrNgPublicationRequest r;
    r.client_profile = true;
    auto pp = libotr_ng::EncodeAndSignPrekeyProfile(
        backend(), sym_h != nullptr ? *sym_h : keys_.long_term.sym_key, keys_.prekey_profile);
    EXPECT_TRUE(pp.ok());
    r.prekey_profile = *pp;
    r.shared_prekey_secret = keys_.shared_prekey_secret;
    for (size_t i = 0; i < n; ++i) {
      auto y = v4::GenerateEcdh(backend(), random_);
      auto b = v4::GenerateDh(backend(), random_);
      EXPECT_TRUE(y.ok() && b.ok());
      PrekeySecrets s;
      s.prekey_message_id = static_cast<uint32_t>(0x100 + i);
      s.instance_tag = kTag;
      s.message.identifier = s.prekey_message_id;
      s.message.owner_instance_tag = kTag;
      s.message.y = backend().Ed448Encode(y->pub());
      s.message.b = b->pub;
      s.y = y->secret();
      s.b = b->secret;
      r.prekeys.push_back(std::move(s));
    }
    return r;
  }

  ServerOutput ToServer(const std::string& text) {
    return server_->Receive(kIdentity, kAddress, text, kNow);
  }

  crypto::testing::DeterministicRandom random_{uint64_t{0x9e11}};
  MemoryStorage storage_;
  std::unique_ptr<v4::Ed448KeyPair> server_key_;
  std::unique_ptr<Server> server_;
  ClientKeys keys_;
  Bytes client_profile_;
};

// The whole exchange: Success (kPublished, 3), and a spec client of the
// same account then reads a storage status of 3.
TEST_P(LibotrNgPublisherTest, PublishesAndTheServerStoresIt) {
  auto publisher = MakePublisher();
  auto dake1 = publisher->Publish(Request(3), kNow);
  ASSERT_TRUE(dake1.ok());
  ASSERT_EQ(dake1->to_server.size(), 1u);
  const ServerOutput dake2 = ToServer(dake1->to_server[0]);
  ASSERT_EQ(dake2.replies.size(), 1u);
  const ClientOutput dake3 = publisher->Receive(dake2.replies[0], kNow);
  ASSERT_EQ(dake3.to_server.size(), 1u);
  EXPECT_TRUE(dake3.events.empty());
  const ServerOutput answer = ToServer(dake3.to_server[0]);
  ASSERT_TRUE(testing::HasServerEvent(answer.events, ServerEventKind::kPublished));
  ASSERT_EQ(answer.replies.size(), 1u);
  const ClientOutput done = publisher->Receive(answer.replies[0], kNow);
  ASSERT_EQ(done.events.size(), 1u);
  EXPECT_EQ(done.events[0].kind, ClientEventKind::kPublished);
  EXPECT_EQ(done.events[0].count, 3u);
  EXPECT_FALSE(publisher->busy());

  testing::Endpoint spec{
      kIdentity, kAddress,
      std::make_unique<PrekeyClient>(backend(), random_, testing::MakeClientConfig(kIdentity, kTag),
                                     keys_)};
  auto query = spec.client->QueryStorage(kNow);
  ASSERT_TRUE(query.ok());
  const auto events = testing::Pump(*server_, spec, query->to_server, kNow);
  const ClientEvent* status = testing::FindEvent(events, ClientEventKind::kStorageStatus);
  ASSERT_NE(status, nullptr);
  EXPECT_EQ(status->count, 3u);
}

// libotr-ng's ECDH proof: over G = 4B with held scalars y/4, it verifies
// with G = 4B and not with B (row 24).
TEST_P(LibotrNgPublisherTest, EcdhProofsAreOverFourB) {
  const crypto::Ed448Point g = v4::libotr_ng::Generator(backend());
  std::vector<crypto::SecretBytes> held;
  std::vector<crypto::Ed448Point> points;
  for (int i = 0; i < 2; ++i) {
    auto y = v4::GenerateEcdh(backend(), random_);
    ASSERT_TRUE(y.ok());
    held.push_back(v4::libotr_ng::HeldScalar(backend(), y->secret()));
    points.push_back(y->pub());
  }
  const Bytes m(64, 0x5a);
  auto proof = GenerateEcdhProof(backend(), random_, held, points, m,
                                 v4::PrekeyUsage::kProofMessageEcdh, &g);
  ASSERT_TRUE(proof.ok());
  EXPECT_TRUE(
      VerifyEcdhProof(backend(), *proof, points, m, v4::PrekeyUsage::kProofMessageEcdh, &g).ok());
  EXPECT_EQ(
      VerifyEcdhProof(backend(), *proof, points, m, v4::PrekeyUsage::kProofMessageEcdh).code(),
      ErrorCode::kBadProof);
}

// A DAKE-2 with one byte of its sigma changed, or from a server identity
// other than the configured one, ends the request (kRequestFailed) and
// sends nothing; one cut short is ignored first.
TEST_P(LibotrNgPublisherTest, ABadDake2EndsTheRequest) {
  for (const bool other_server : {false, true}) {
    SCOPED_TRACE(other_server ? "other server identity" : "sigma changed");
    auto publisher = other_server ? MakePublisher("prekey.elsewhere") : MakePublisher();
    auto dake1 = publisher->Publish(Request(1), kNow);
    ASSERT_TRUE(dake1.ok());
    const ServerOutput dake2 = ToServer(dake1->to_server[0]);
    ASSERT_EQ(dake2.replies.size(), 1u);
    std::string reply = dake2.replies[0];
    if (!other_server) {
      auto bytes = wire::DecodeBase64(std::string_view(reply).substr(0, reply.size() - 1));
      ASSERT_TRUE(bytes.ok());
      auto m = libotr_ng::DecodeDake2(backend(), *bytes);
      ASSERT_TRUE(m.ok());
      m->sigma.r2[3] ^= 0x01;
      reply = wire::EncodeBase64(libotr_ng::EncodeDake2(*m)) + ".";
    }
    // The same DAKE-2 cut short does not decode: ignored, the request stays.
    const ClientOutput cut = publisher->Receive(
        wire::EncodeBase64(
            ByteView(*wire::DecodeBase64(std::string_view(reply).substr(0, reply.size() - 1)))
                .first(100)) +
            ".",
        kNow);
    ASSERT_EQ(cut.events.size(), 1u);
    EXPECT_EQ(cut.events[0].kind, ClientEventKind::kIgnored);
    EXPECT_TRUE(publisher->busy());
    const ClientOutput out = publisher->Receive(reply, kNow);
    EXPECT_TRUE(out.to_server.empty());
    ASSERT_EQ(out.events.size(), 1u);
    EXPECT_EQ(out.events[0].kind, ClientEventKind::kRequestFailed);
    EXPECT_FALSE(publisher->busy());
  }
}

// A Success with a bad MAC is ignored (the request stays); a publication
// the server refuses is answered Failure (kPublicationFailed); a Prekey
// Profile signed by another key is refused before it is sent.
TEST_P(LibotrNgPublisherTest, BadMacIsIgnoredAndFailureIsReported) {
  auto publisher = MakePublisher();
  auto dake1 = publisher->Publish(Request(1), kNow);
  ASSERT_TRUE(dake1.ok());
  const ClientOutput dake3 = publisher->Receive(ToServer(dake1->to_server[0]).replies.at(0), kNow);
  ASSERT_EQ(dake3.to_server.size(), 1u);
  const ServerOutput answer = ToServer(dake3.to_server[0]);
  ASSERT_EQ(answer.replies.size(), 1u);
  auto success = DecodeFromTransport(answer.replies[0]);
  ASSERT_TRUE(success.ok());
  ASSERT_TRUE(std::holds_alternative<Success>(*success));
  std::get<Success>(*success).success_mac[0] ^= 0x01;
  const ClientOutput ignored = publisher->Receive(EncodeForTransport(*success), kNow);
  ASSERT_EQ(ignored.events.size(), 1u);
  EXPECT_EQ(ignored.events[0].kind, ClientEventKind::kIgnored);
  EXPECT_TRUE(publisher->busy());
  EXPECT_EQ(publisher->Receive(answer.replies[0], kNow).events.at(0).kind,
            ClientEventKind::kPublished);

  // A Prekey Message of another instance tag: the server answers Failure.
  LibotrNgPublicationRequest other_tag = Request(1);
  other_tag.prekeys[0].message.owner_instance_tag = kTag + 1;
  auto refused = publisher->Publish(std::move(other_tag), kNow);
  ASSERT_TRUE(refused.ok());
  const ClientOutput d3 = publisher->Receive(ToServer(refused->to_server[0]).replies.at(0), kNow);
  ASSERT_EQ(d3.to_server.size(), 1u);
  const ServerOutput failure = ToServer(d3.to_server[0]);
  EXPECT_TRUE(testing::HasServerEvent(failure.events, ServerEventKind::kPublicationRefused));
  ASSERT_EQ(failure.replies.size(), 1u);
  const ClientOutput out = publisher->Receive(failure.replies[0], kNow);
  ASSERT_EQ(out.events.size(), 1u);
  EXPECT_EQ(out.events[0].kind, ClientEventKind::kPublicationFailed);
  EXPECT_FALSE(publisher->busy());

  // A Prekey Profile not signed by our key never leaves: the publisher
  // checks it before building the publication (kRequestFailed, no DAKE-3).
  auto other = v4::GenerateLongTermKeyPair(backend(), random_);
  ASSERT_TRUE(other.ok());
  auto unsigned_by_us = publisher->Publish(Request(1, &other->sym_key), kNow);
  ASSERT_TRUE(unsigned_by_us.ok());
  const ClientOutput none =
      publisher->Receive(ToServer(unsigned_by_us->to_server[0]).replies.at(0), kNow);
  EXPECT_TRUE(none.to_server.empty());
  ASSERT_EQ(none.events.size(), 1u);
  EXPECT_EQ(none.events[0].kind, ClientEventKind::kRequestFailed);
  EXPECT_EQ(none.events[0].cause.code, ErrorCode::kBadSignature);
  EXPECT_FALSE(publisher->busy());
}

// The storage status in libotr-ng's variant (decision 0042): libotr-ng's
// DAKE whose DAKE-3 carries the spec's Storage Information Request
// (prekey_manager.c, dake3_message_append_storage_information_request), the
// spec's Storage Status answer (otrng_prekey_storage_status_message_valid):
// 0 before, 3 after a publication of 3; a Status with a bad MAC is ignored.
TEST_P(LibotrNgPublisherTest, QueriesTheStorageStatus) {
  auto publisher = MakePublisher();
  const auto query = [&]() -> std::optional<ServerOutput> {
    auto dake1 = publisher->QueryStorage(kNow);
    EXPECT_TRUE(dake1.ok());
    if (!dake1.ok()) return std::nullopt;
    EXPECT_EQ(publisher->QueryStorage(kNow).error().code, ErrorCode::kBadState);
    const ClientOutput dake3 =
        publisher->Receive(ToServer(dake1->to_server.at(0)).replies.at(0), kNow);
    EXPECT_EQ(dake3.to_server.size(), 1u);
    if (dake3.to_server.size() != 1) return std::nullopt;
    const ServerOutput answer = ToServer(dake3.to_server[0]);
    EXPECT_TRUE(testing::HasServerEvent(answer.events, ServerEventKind::kStorageStatusSent));
    return answer;
  };
  auto before = query();
  ASSERT_TRUE(before);
  ASSERT_EQ(before->replies.size(), 1u);
  const ClientOutput zero = publisher->Receive(before->replies[0], kNow);
  ASSERT_EQ(zero.events.size(), 1u);
  EXPECT_EQ(zero.events[0].kind, ClientEventKind::kStorageStatus) << zero.events[0].cause.context;
  EXPECT_EQ(zero.events[0].count, 0u);
  EXPECT_FALSE(publisher->busy());

  auto dake1 = publisher->Publish(Request(3), kNow);
  ASSERT_TRUE(dake1.ok());
  const ClientOutput dake3 = publisher->Receive(ToServer(dake1->to_server[0]).replies.at(0), kNow);
  ASSERT_EQ(
      publisher->Receive(ToServer(dake3.to_server.at(0)).replies.at(0), kNow).events.at(0).kind,
      ClientEventKind::kPublished);

  auto after = query();
  ASSERT_TRUE(after);
  ASSERT_EQ(after->replies.size(), 1u);
  auto status = DecodeFromTransport(after->replies[0]);
  ASSERT_TRUE(status.ok());
  ASSERT_TRUE(std::holds_alternative<StorageStatus>(*status));
  std::get<StorageStatus>(*status).status_mac[5] ^= 0x20;
  const ClientOutput ignored = publisher->Receive(EncodeForTransport(*status), kNow);
  ASSERT_EQ(ignored.events.size(), 1u);
  EXPECT_EQ(ignored.events[0].kind, ClientEventKind::kIgnored);
  EXPECT_EQ(ignored.events[0].cause.code, ErrorCode::kBadMac);
  EXPECT_TRUE(publisher->busy());
  const ClientOutput three = publisher->Receive(after->replies[0], kNow);
  ASSERT_EQ(three.events.size(), 1u);
  EXPECT_EQ(three.events[0].kind, ClientEventKind::kStorageStatus);
  EXPECT_EQ(three.events[0].count, 3u);
  EXPECT_FALSE(publisher->busy());
}

// A server that cuts its messages (max_message_size): the publisher
// reassembles the DAKE-2 (fragments in reverse order) and its own DAKE-3
// goes out in fragments the server reassembles; the query is answered.
TEST_P(LibotrNgPublisherTest, ReassemblesTheServersFragments) {
  ServerConfig config;
  config.identity = std::string(testing::kServerIdentity);
  config.accept_libotr_ng = true;
  config.max_message_size = 200;
  Server cutting(backend(), random_, storage_, *server_key_, config);
  ClientConfig c = testing::MakeClientConfig(kIdentity, kTag);
  c.max_message_size = 200;
  LibotrNgPublisher publisher(backend(), random_, c, keys_.long_term, client_profile_);
  auto dake1 = publisher.QueryStorage(kNow);
  ASSERT_TRUE(dake1.ok());
  std::vector<std::string> to_server = dake1->to_server;
  ASSERT_GT(to_server.size(), 1u) << "DAKE-1 was not cut";
  std::vector<std::string> replies;
  for (const std::string& piece : to_server) {
    for (std::string& r : cutting.Receive(kIdentity, kAddress, piece, kNow).replies) {
      replies.push_back(std::move(r));
    }
  }
  ASSERT_GT(replies.size(), 1u) << "DAKE-2 was not cut";
  ClientOutput dake3;
  for (auto it = replies.rbegin(); it != replies.rend(); ++it) {
    ClientOutput got = publisher.Receive(*it, kNow);
    for (std::string& t : got.to_server) dake3.to_server.push_back(std::move(t));
  }
  ASSERT_GT(dake3.to_server.size(), 1u) << "no DAKE-3 after the last piece";
  std::vector<std::string> answer;
  for (const std::string& piece : dake3.to_server) {
    for (std::string& r : cutting.Receive(kIdentity, kAddress, piece, kNow).replies) {
      answer.push_back(std::move(r));
    }
  }
  ASSERT_FALSE(answer.empty());
  std::vector<ClientEvent> events;
  for (const std::string& piece : answer) {
    for (ClientEvent& e : publisher.Receive(piece, kNow).events) events.push_back(std::move(e));
  }
  const ClientEvent* status = testing::FindEvent(events, ClientEventKind::kStorageStatus);
  ASSERT_NE(status, nullptr);
  EXPECT_EQ(status->count, 0u);
  EXPECT_FALSE(publisher.busy());
}

// Requests that cannot start: one in flight, nothing to publish, a Prekey
// Profile without its secret.
TEST_P(LibotrNgPublisherTest, RequestsThatCannotStart) {
  auto publisher = MakePublisher();
  EXPECT_EQ(publisher->Publish(LibotrNgPublicationRequest{}, kNow).error().code,
            ErrorCode::kInvalidPolicy);
  LibotrNgPublicationRequest no_secret = Request(0);
  no_secret.shared_prekey_secret = crypto::SecretBytes();
  EXPECT_EQ(publisher->Publish(std::move(no_secret), kNow).error().code, ErrorCode::kInvalidKey);
  ASSERT_TRUE(publisher->Publish(Request(0), kNow).ok());
  EXPECT_EQ(publisher->Publish(Request(0), kNow).error().code, ErrorCode::kBadState);
}

OTR_INSTANTIATE_FOR_ALL_BACKENDS(LibotrNgPublisherTest);

}  // namespace
}  // namespace otr::prekey
