// Issue 20: the offline start between our Session under the `libotr-ng`
// profile (Policy::v4_variant = kLibotrNg) and a libotr-ng client driven in
// this process, through our prekey-server core with the opt-in
// ServerConfig::accept_libotr_ng (decision 0034), in each direction, through
// the public Session API only:
//   - our Session starts offline: libotr-ng publishes through our server;
//     our Session retrieves (RequestPrekeyEnsembles, ReceiveFromPrekeyServer
//     reading libotr-ng's Ensemble Retrieval), validates the ensemble in
//     libotr-ng's bytes and sends libotr-ng's Non-Interactive-Auth and a
//     first Data Message; libotr-ng accepts them (the same SSID) and 20
//     messages flow both ways. A tampered ensemble is refused with
//     events::OfflineRefused naming the check, and nothing is sent;
//   - libotr-ng starts offline: our Session's ensemble, in libotr-ng's
//     bytes, is published through our server by our libotr-ng publisher
//     (its variant of the server's DAKE, decision 0041); a spec-exact
//     server refuses that publication with kDakeRefused. libotr-ng
//     retrieves it and sends its
//     Non-Interactive-Auth, our Session goes secure on it (the prekey
//     message used once), and 20 messages flow both ways;
//   - the same through the account's upkeep (OfflineMaintenance under the
//     profile, decision 0042): the Storage Status, the publication and a
//     renewal in libotr-ng's variant, to a server that cuts its messages
//     into fragments; and our Session reading a libotr-ng retrieval answer
//     cut into fragments.
// Both backends.
#include <gtest/gtest.h>

#include <ctime>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "crypto/testing/deterministic_random.h"
#include "protocol/prekey/client/libotr_ng_publisher.h"
#include "protocol/prekey/common/libotr_ng.h"
#include "protocol/prekey/server/memory_storage.h"
#include "protocol/prekey/server/server.h"
#include "protocol/session/offline_maintenance.h"
#include "protocol/session/session.h"
#include "protocol/v4/crypto/keys.h"
#include "protocol/v4/engine/prekey_store.h"
#include "protocol/v4/libotr_ng/client_profile.h"
#include "protocol/v4/messages/prekey_message.h"
#include "protocol/wire/base64.h"
#include "protocol/wire/writer.h"
#include "tests/crypto/test_util.h"
#include "tests/interop/libotr_ng_peer.h"
#include "tests/session/v4_fixture.h"

namespace otr {
namespace {

using prekey::ServerOutput;

constexpr uint32_t kOurTag = 0x2000a11c;
constexpr uint32_t kTheirTag = 0x10000b0b;
constexpr char kOurAccount[] = "alice@example.org";
constexpr char kTheirAccount[] = "bob@example.org";
constexpr char kServer[] = "prekey.example.org";

class LibotrNgSessionOfflineTest : public crypto::testing::BackendTest {
 protected:
  void SetUp() override {
    now_ = static_cast<uint64_t>(std::time(nullptr));
    auto key = v4::GenerateLongTermKeyPair(backend(), random_);
    ASSERT_TRUE(key.ok());
    server_key_ = std::make_unique<v4::Ed448KeyPair>(std::move(*key));
    prekey::ServerConfig config;
    config.identity = kServer;
    config.accept_libotr_ng = true;
    server_ = std::make_unique<prekey::Server>(backend(), random_, storage_, *server_key_, config);
    identity_ = testing::MakeV4Identity(backend(), 71, kOurTag, now_, "4");
    ASSERT_NE(identity_, nullptr);
    Policy policy = Policy::V4Standalone();
    policy.v4_variant = V4Variant::kLibotrNg;
    SessionConfig sc =
        testing::OfflineSessionConfig(backend(), policy, kOurTag, *identity_, store_);
    sc.phi_context = {kOurAccount, kTheirAccount};
    sc.prekey_server = PrekeyServerConfig{kServer, kTheirAccount, std::nullopt, 60, 0};
    auto s = Session::Create(sc, random_);
    ASSERT_TRUE(s.ok());
    session_.emplace(std::move(s).value());
  }

  // libotr-ng publishes its Client Profile, Prekey Profile and
  // `prekey_messages` Prekey Messages through our server (its DAKE with the
  // server, rows 21-24); each retrieval hands out one.
  void TheyPublish(testing::LibotrNgPeer& ng, int prekey_messages = 1) {
    const auto to_server = [&](const std::string& text) {
      return server_->Receive(kTheirAccount, "bob@example.org/phone", text, Now());
    };
    const ServerOutput dake2 = to_server(ng.PrekeyPublish(true, true, prekey_messages));
    ASSERT_EQ(dake2.replies.size(), 1u);
    const std::string dake3 = ng.PrekeyReceive(dake2.replies[0]);
    ASSERT_FALSE(dake3.empty());
    for (const std::string& reply : to_server(dake3).replies) (void)ng.PrekeyReceive(reply);
    ASSERT_EQ(ng.prekey_events().successes, 1);
  }

  // Our Session's query goes to our server; its answer (libotr-ng's
  // Ensemble Retrieval, row 25).
  std::string OurRetrieval() {
    const Output asked = session_->RequestPrekeyEnsembles(now_);
    EXPECT_EQ(asked.to_prekey_server.size(), 1u);
    if (asked.to_prekey_server.size() != 1) return "";
    const ServerOutput got = server_->Receive(kOurAccount, "alice@example.org/laptop",
                                              asked.to_prekey_server[0].text, Now());
    EXPECT_EQ(got.replies.size(), 1u);
    return got.replies.empty() ? "" : got.replies[0];
  }

  // Ten messages each way through the Session API, libotr-ng first when
  // `they_start` (libotr-ng's receiver of a Non-Interactive-Auth sends
  // nothing before a Data Message reaches it).
  void Converse(testing::LibotrNgPeer& ng, bool they_start) {
    for (int i = 0; i < 10; ++i) {
      const std::string theirs = "from libotr-ng " + std::to_string(i);
      const std::string ours = "from our Session " + std::to_string(i);
      if (they_start) TheySend(ng, theirs);
      const Output sent = session_->Send(now_, ours);
      ASSERT_EQ(sent.to_send.size(), 1u) << i;
      (void)ng.Receive(sent.to_send[0]);
      ASSERT_FALSE(ng.displayed().empty()) << i;
      EXPECT_EQ(ng.displayed().back(), ours);
      if (!they_start) TheySend(ng, theirs);
    }
    EXPECT_TRUE(ng.encrypted());
    EXPECT_TRUE(ng.error_events().empty());
    EXPECT_EQ(session_->state(), ConversationState::kEncrypted);
  }
  void TheySend(testing::LibotrNgPeer& ng, const std::string& text) {
    const auto sent = ng.Send(text);
    ASSERT_EQ(sent.size(), 1u);
    const Output got = session_->Receive(now_, sent[0]);
    ASSERT_EQ(got.display.size(), 1u) << text;
    EXPECT_EQ(got.display[0].text, text);
    EXPECT_TRUE(got.display[0].encrypted);
  }

  // Our account as the publisher: its identity, our server, our tag.
  static prekey::ClientConfig OurClientConfig() {
    prekey::ClientConfig c;
    c.identity = kOurAccount;
    c.server_identity = kServer;
    c.instance_tag = kOurTag;
    return c;
  }
  Bytes OurClientProfileBytes() {
    auto bytes = v4::libotr_ng::EncodeAndSignClientProfile(backend(), identity_->long_term.sym_key,
                                                           identity_->client_profile);
    EXPECT_TRUE(bytes.ok());
    return bytes.ok() ? *bytes : Bytes{};
  }
  // Our ensemble for libotr-ng: a Prekey Profile in libotr-ng's bytes and
  // one Prekey Message, their secrets in our Session's PrekeyStore (as the
  // account's maintenance puts them), the request to publish them with our
  // Client Profile.
  void OurEnsemble(prekey::LibotrNgPublicationRequest& request) {
    const int64_t now = static_cast<int64_t>(now_);
    const int64_t expires = now + 3600;
    auto shared_prekey = v4::GenerateSharedPrekeyPair(backend(), random_);
    ASSERT_TRUE(shared_prekey.ok());
    v4::PrekeyProfile profile;
    profile.owner_instance_tag = kOurTag;
    profile.expiration = expires;
    profile.shared_prekey = backend().Ed448Encode(shared_prekey->pub);
    auto prekey_profile = prekey::libotr_ng::EncodeAndSignPrekeyProfile(
        backend(), identity_->long_term.sym_key, profile);
    ASSERT_TRUE(prekey_profile.ok());
    auto verified = prekey::libotr_ng::DecodeAndVerifyPrekeyProfile(
        backend(), *prekey_profile, identity_->client_profile.public_key);
    ASSERT_TRUE(verified.ok());
    store_.AddPrekeyProfile(v4::OurPrekeyProfile{*verified, shared_prekey->secret}, expires);
    auto messages =
        v4::GeneratePrekeyMessages(backend(), store_, kOurTag, 1, expires, now, random_);
    ASSERT_TRUE(messages.ok());
    ASSERT_EQ(messages->size(), 1u);
    const v4::dake::PrekeySecrets* secrets =
        store_.FindPrekey((*messages)[0].identifier, kOurTag, now);
    ASSERT_NE(secrets, nullptr);
    request.client_profile = true;
    request.prekey_profile = *prekey_profile;
    request.shared_prekey_secret = shared_prekey->secret;
    prekey::PrekeySecrets p;
    p.prekey_message_id = secrets->identifier;
    p.instance_tag = kOurTag;
    p.y = secrets->ecdh.secret();
    p.b = secrets->dh.secret;
    p.message = (*messages)[0];
    request.prekeys.push_back(std::move(p));
  }

  static uint64_t Now() { return static_cast<uint64_t>(std::time(nullptr)); }

  // A server on the same storage and key that cuts its messages into
  // fragments of at most `max` characters.
  std::unique_ptr<prekey::Server> CuttingServer(size_t max) {
    prekey::ServerConfig config;
    config.identity = kServer;
    config.accept_libotr_ng = true;
    config.max_message_size = max;
    return std::make_unique<prekey::Server>(backend(), random_, storage_, *server_key_, config);
  }
  // Our account's upkeep under the libotr-ng profile.
  std::optional<OfflineMaintenance> OurUpkeep(int64_t renewal_margin) {
    OfflineMaintenanceConfig c;
    c.backend = &backend();
    c.policy = Policy::V4Standalone();
    c.policy.v4_variant = V4Variant::kLibotrNg;
    c.our_identity = kOurAccount;
    c.server = kServer;
    c.identity = identity_.get();
    c.store = &store_;
    c.low_water = 2;
    c.target = 3;
    c.renewal_margin = renewal_margin;
    c.max_message_size = 300;
    auto m = OfflineMaintenance::Create(std::move(c), random_, now_);
    EXPECT_TRUE(m.ok()) << m.error().context;
    if (!m.ok()) return std::nullopt;
    return std::move(m).value();
  }
  // Every message between the upkeep and `server` until neither has more,
  // the upkeep's clock at `at`; the upkeep's events.
  std::vector<MaintenanceEvent> Pump(OfflineMaintenance& upkeep, prekey::Server& server,
                                     MaintenanceOutput first, uint64_t at) {
    std::vector<MaintenanceEvent> events = std::move(first.events);
    std::vector<PrekeyServerMessage> pending = std::move(first.to_prekey_server);
    for (size_t round = 0; !pending.empty() && round < 100; ++round) {
      std::vector<std::string> replies;
      for (const PrekeyServerMessage& m : pending) {
        EXPECT_EQ(m.server, kServer);
        for (std::string& r :
             server.Receive(kOurAccount, "alice@example.org/laptop", m.text, Now()).replies) {
          replies.push_back(std::move(r));
        }
      }
      pending.clear();
      for (const std::string& r : replies) {
        MaintenanceOutput got = upkeep.Receive(at, r);
        for (auto& m : got.to_prekey_server) pending.push_back(std::move(m));
        for (auto& e : got.events) events.push_back(std::move(e));
      }
    }
    return events;
  }
  static std::vector<std::string> Describe(const std::vector<MaintenanceEvent>& events) {
    std::vector<std::string> out;
    for (const MaintenanceEvent& e : events) {
      std::string d(MaintenanceEventName(e.kind));
      if (e.kind != MaintenanceEventKind::kProfilesRenewed) d += " " + std::to_string(e.count);
      if (!e.what.empty()) d += " (" + e.what + ")";
      out.push_back(std::move(d));
    }
    return out;
  }
  // libotr-ng retrieves our ensemble from our (uncut) server and sends its
  // Non-Interactive-Auth; our Session goes secure on it.
  void TheyStartOfflineFromOurEnsemble(testing::LibotrNgPeer& ng) {
    ng.UsePrekeyServer(kTheirAccount, kServer);
    ng.StartOfflineOnEnsembles();
    const ServerOutput out = server_->Receive(kTheirAccount, "bob@example.org/phone",
                                              ng.PrekeyRetrieve(kOurAccount), Now());
    ASSERT_EQ(out.replies.size(), 1u);
    (void)ng.PrekeyReceive(out.replies[0]);
    ASSERT_EQ(ng.prekey_events().ensembles, std::vector<int>{1})
        << "libotr-ng refused our ensemble";
    const std::vector<std::string> auth = ng.TakeOfflineStart();
    ASSERT_EQ(auth.size(), 1u) << "libotr-ng made no Non-Interactive-Auth";
    const Output got = session_->Receive(now_, auth[0]);
    EXPECT_TRUE(testing::OfflineRefusals(got.events).empty())
        << testing::OfflineRefusals(got.events)[0];
    const auto* secure = got.Find<events::WentSecure>();
    ASSERT_NE(secure, nullptr) << "our Session did not go secure";
    EXPECT_EQ(secure->compatibility, "libotr-ng");
    EXPECT_EQ(crypto::testing::ToHex(AsBytes(ng.SsidForTesting())), SsidHex());
  }
  std::string SsidHex() const { return crypto::testing::ToHex(session_->view().ssid); }

  uint64_t now_ = 0;
  crypto::testing::DeterministicRandom random_{uint64_t{0x0ff3}};
  std::unique_ptr<v4::Ed448KeyPair> server_key_;
  prekey::MemoryStorage storage_;
  std::unique_ptr<prekey::Server> server_;
  std::unique_ptr<v4::Identity> identity_;
  v4::InMemoryPrekeyStore store_;
  std::optional<Session> session_;
};

// Our Session starts offline from libotr-ng's ensemble: its
// Non-Interactive-Auth and first Data Message are accepted, both hold one
// SSID, and 20 messages flow both ways.
TEST_P(LibotrNgSessionOfflineTest, OurSessionStartsOfflineWithLibotrNgThroughOurServer) {
  testing::LibotrNgPeer ng(kTheirAccount, kOurAccount, kTheirTag);
  ng.UsePrekeyServer(kTheirAccount, kServer);
  ASSERT_NO_FATAL_FAILURE(TheyPublish(ng));
  const std::string reply = OurRetrieval();
  ASSERT_FALSE(reply.empty());
  const Output started = session_->ReceiveFromPrekeyServer(now_, reply);
  EXPECT_TRUE(testing::OfflineRefusals(started.events).empty())
      << testing::OfflineRefusals(started.events)[0];
  const auto* secure = started.Find<events::WentSecure>();
  ASSERT_NE(secure, nullptr) << "no offline start";
  EXPECT_EQ(secure->compatibility, "libotr-ng");
  // The Non-Interactive-Auth, then the first Data Message.
  ASSERT_EQ(started.to_send.size(), 2u);
  EXPECT_FALSE(session_->awaiting_prekey_server());
  EXPECT_EQ(session_->state(), ConversationState::kEncrypted);
  for (const std::string& m : started.to_send) EXPECT_TRUE(ng.Receive(m).empty());
  EXPECT_TRUE(ng.error_events().empty());
  EXPECT_TRUE(ng.encrypted()) << "libotr-ng is not encrypted after our first Data Message";
  EXPECT_EQ(crypto::testing::ToHex(AsBytes(ng.SsidForTesting())), SsidHex());
  Converse(ng, /*they_start=*/false);
}

// A tampered ensemble (one byte of the Prekey Profile's signature, then one
// of the Client Profile's) is refused with events::OfflineRefused naming
// the check; nothing goes to libotr-ng and the Session stays in plaintext.
TEST_P(LibotrNgSessionOfflineTest, ATamperedLibotrNgEnsembleIsRefusedWithTheCheck) {
  testing::LibotrNgPeer ng(kTheirAccount, kOurAccount, kTheirTag);
  ng.UsePrekeyServer(kTheirAccount, kServer);
  ASSERT_NO_FATAL_FAILURE(TheyPublish(ng, 2));
  struct Case {
    const char* name;
    bool client_profile;
    const char* expected;
  };
  for (const Case& c : {Case{"Prekey Profile", false, "libotr-ng ensemble: Prekey Profile: "},
                        Case{"Client Profile", true, "libotr-ng ensemble: "}}) {
    SCOPED_TRACE(c.name);
    const std::string reply = OurRetrieval();
    ASSERT_FALSE(reply.empty());
    auto bytes = wire::DecodeBase64(std::string_view(reply).substr(0, reply.size() - 1));
    ASSERT_TRUE(bytes.ok());
    auto m = prekey::libotr_ng::DecodeEnsembleRetrieval(*bytes);
    ASSERT_TRUE(m.ok());
    ASSERT_EQ(m->ensembles.size(), 1u);
    Bytes& signed_bytes =
        c.client_profile ? m->ensembles[0].client_profile : m->ensembles[0].prekey_profile;
    signed_bytes[signed_bytes.size() - 5] ^= 0x01;  // inside the signature
    const std::string tampered =
        wire::EncodeBase64(prekey::libotr_ng::EncodeEnsembleRetrieval(*m)) + ".";
    const Output out = session_->ReceiveFromPrekeyServer(now_, tampered);
    const std::vector<std::string> refusals = testing::OfflineRefusals(out.events);
    ASSERT_EQ(refusals.size(), 2u);
    EXPECT_EQ(refusals[0].rfind(c.expected, 0), 0u) << refusals[0];
    EXPECT_NE(refusals[0].find(ErrorCodeName(ErrorCode::kBadSignature)), std::string::npos)
        << refusals[0];
    EXPECT_EQ(refusals[1], "no valid Prekey Ensemble");
    EXPECT_TRUE(out.to_send.empty());
    EXPECT_FALSE(out.HasEvent(EventType::kWentSecure));
    EXPECT_NE(session_->state(), ConversationState::kEncrypted);
    EXPECT_FALSE(session_->awaiting_prekey_server());
  }
  EXPECT_FALSE(ng.encrypted());
}

// libotr-ng starts offline from our Session's ensemble, which our
// libotr-ng publisher (protocol/prekey/client/libotr_ng_publisher.h) has
// published through our server in libotr-ng's variant: our Session goes
// secure on its Non-Interactive-Auth, uses the prekey message once, and 20
// messages flow both ways.
TEST_P(LibotrNgSessionOfflineTest, LibotrNgStartsOfflineWithOurSession) {
  const int64_t now = static_cast<int64_t>(now_);
  prekey::LibotrNgPublicationRequest request;
  ASSERT_NO_FATAL_FAILURE(OurEnsemble(request));
  prekey::LibotrNgPublisher publisher(backend(), random_, OurClientConfig(), identity_->long_term,
                                      OurClientProfileBytes());
  auto dake1 = publisher.Publish(std::move(request), now);
  ASSERT_TRUE(dake1.ok()) << dake1.error().context;
  ASSERT_EQ(dake1->to_server.size(), 1u);
  const auto to_server = [&](const std::string& text) {
    return server_->Receive(kOurAccount, "alice@example.org/laptop", text, Now());
  };
  // DAKE-1 -> DAKE-2 (libotr-ng's variant) -> DAKE-3 with the publication.
  const ServerOutput dake2 = to_server(dake1->to_server[0]);
  ASSERT_EQ(dake2.replies.size(), 1u);
  const prekey::ClientOutput dake3 = publisher.Receive(dake2.replies[0], now);
  ASSERT_EQ(dake3.to_server.size(), 1u)
      << (dake3.events.empty() ? "" : dake3.events[0].cause.context);
  const ServerOutput answer = to_server(dake3.to_server[0]);
  for (const prekey::ServerEvent& e : answer.events) {
    EXPECT_NE(e.kind, prekey::ServerEventKind::kPublicationRefused) << e.cause.context;
    EXPECT_NE(e.kind, prekey::ServerEventKind::kDakeFailed) << e.cause.context;
  }
  ASSERT_EQ(answer.replies.size(), 1u);
  const prekey::ClientOutput done = publisher.Receive(answer.replies[0], now);
  ASSERT_EQ(done.events.size(), 1u);
  EXPECT_EQ(done.events[0].kind, prekey::ClientEventKind::kPublished)
      << done.events[0].cause.context;
  EXPECT_EQ(done.events[0].count, 1u);
  EXPECT_FALSE(publisher.busy());
  ASSERT_EQ(store_.prekey_count(), 1u);

  testing::LibotrNgPeer ng(kTheirAccount, kOurAccount, kTheirTag);
  ng.UsePrekeyServer(kTheirAccount, kServer);
  ng.StartOfflineOnEnsembles();
  const ServerOutput out = server_->Receive(kTheirAccount, "bob@example.org/phone",
                                            ng.PrekeyRetrieve(kOurAccount), Now());
  ASSERT_EQ(out.replies.size(), 1u);
  (void)ng.PrekeyReceive(out.replies[0]);
  ASSERT_EQ(ng.prekey_events().ensembles, std::vector<int>{1}) << "libotr-ng refused our ensemble";
  const std::vector<std::string> auth = ng.TakeOfflineStart();
  ASSERT_EQ(auth.size(), 1u) << "libotr-ng made no Non-Interactive-Auth";

  const Output got = session_->Receive(now_, auth[0]);
  EXPECT_TRUE(testing::OfflineRefusals(got.events).empty())
      << testing::OfflineRefusals(got.events)[0];
  const auto* secure = got.Find<events::WentSecure>();
  ASSERT_NE(secure, nullptr) << "our Session did not go secure";
  EXPECT_EQ(secure->compatibility, "libotr-ng");
  EXPECT_TRUE(got.to_send.empty());
  EXPECT_EQ(session_->state(), ConversationState::kEncrypted);
  EXPECT_EQ(crypto::testing::ToHex(AsBytes(ng.SsidForTesting())), SsidHex());
  EXPECT_EQ(store_.prekey_count(), 0u) << "the prekey message was not used once";

  // The same Non-Interactive-Auth again: its prekey message is gone.
  const Output again = session_->Receive(now_, auth[0]);
  EXPECT_FALSE(again.HasEvent(EventType::kWentSecure));
  const std::vector<std::string> refusals = testing::OfflineRefusals(again.events);
  ASSERT_EQ(refusals.size(), 1u);
  EXPECT_EQ(refusals[0], v4::dake::DakeCheckName(v4::dake::DakeCheck::kPrekeyMessageIdentifier));

  Converse(ng, /*they_start=*/true);
}

// The account's upkeep under the profile (OfflineMaintenance, decision
// 0042) against a server that cuts its messages: the Storage Status (0),
// then a publication of our profiles and 3 Prekey Messages, all in
// libotr-ng's variant; an hour later the status is 3 and nothing is
// published. libotr-ng starts offline from what was published, and 20
// messages flow both ways.
TEST_P(LibotrNgSessionOfflineTest, OurUpkeepPublishesForLibotrNg) {
  auto upkeep = OurUpkeep(v4::profile::kDefaultRenewalMargin);
  ASSERT_TRUE(upkeep);
  auto cutting = CuttingServer(300);
  EXPECT_EQ(Describe(Pump(*upkeep, *cutting, upkeep->Start(now_), now_)),
            (std::vector<std::string>{"storage_status 0", "published 3"}));
  EXPECT_FALSE(upkeep->busy());
  EXPECT_EQ(store_.prekey_count(), 3u);
  const uint64_t later = now_ + 3600;
  ASSERT_EQ(upkeep->NextTimeout(), later);
  EXPECT_EQ(Describe(Pump(*upkeep, *cutting, upkeep->HandleTimeout(later), later)),
            (std::vector<std::string>{"storage_status 3"}));

  testing::LibotrNgPeer ng(kTheirAccount, kOurAccount, kTheirTag);
  ASSERT_NO_FATAL_FAILURE(TheyStartOfflineFromOurEnsemble(ng));
  EXPECT_EQ(store_.prekey_count(), 2u) << "the prekey message was not used once";
  Converse(ng, /*they_start=*/true);
}

// Renewal in libotr-ng's variant: with profiles always due (a renewal
// margin longer than their lifetime) the upkeep renews both before it
// publishes them (kProfilesRenewed; our identity's Client Profile is the
// new one), re-signed over libotr-ng's bytes; libotr-ng accepts the
// renewed ensemble and our Session goes secure on it.
TEST_P(LibotrNgSessionOfflineTest, OurUpkeepRenewsInLibotrNgsVariant) {
  const int64_t old_expiration = identity_->client_profile.expiration;
  auto upkeep = OurUpkeep(int64_t{10} * 365 * 24 * 3600);
  ASSERT_TRUE(upkeep);
  const uint64_t at = now_ + 2 * 86400;
  EXPECT_EQ(Describe(Pump(*upkeep, *server_, upkeep->Start(at), at)),
            (std::vector<std::string>{"storage_status 0", "profiles_renewed", "published 3"}));
  EXPECT_NE(identity_->client_profile.expiration, old_expiration);
  EXPECT_EQ(identity_->client_profile.expiration,
            upkeep->client().keys().client_profile.expiration);
  testing::LibotrNgPeer ng(kTheirAccount, kOurAccount, kTheirTag);
  ASSERT_NO_FATAL_FAILURE(TheyStartOfflineFromOurEnsemble(ng));
}

// Our Session reads libotr-ng's Ensemble Retrieval cut into fragments by
// the server (max_message_size), given in reverse order: only the last
// piece completes it, and the offline start goes on as whole.
TEST_P(LibotrNgSessionOfflineTest, OurSessionReadsAFragmentedLibotrNgRetrieval) {
  testing::LibotrNgPeer ng(kTheirAccount, kOurAccount, kTheirTag);
  ng.UsePrekeyServer(kTheirAccount, kServer);
  ASSERT_NO_FATAL_FAILURE(TheyPublish(ng));
  auto cutting = CuttingServer(200);
  const Output asked = session_->RequestPrekeyEnsembles(now_);
  ASSERT_EQ(asked.to_prekey_server.size(), 1u);
  const ServerOutput got = cutting->Receive(kOurAccount, "alice@example.org/laptop",
                                            asked.to_prekey_server[0].text, Now());
  ASSERT_GT(got.replies.size(), 2u) << "the answer was not cut";
  for (size_t i = got.replies.size() - 1; i > 0; --i) {
    const Output partial = session_->ReceiveFromPrekeyServer(now_, got.replies[i]);
    EXPECT_TRUE(partial.events.empty() && partial.to_send.empty()) << i;
    EXPECT_TRUE(session_->awaiting_prekey_server()) << i;
  }
  const Output started = session_->ReceiveFromPrekeyServer(now_, got.replies[0]);
  EXPECT_TRUE(testing::OfflineRefusals(started.events).empty())
      << testing::OfflineRefusals(started.events)[0];
  const auto* secure = started.Find<events::WentSecure>();
  ASSERT_NE(secure, nullptr) << "no offline start from the reassembled answer";
  EXPECT_EQ(secure->compatibility, "libotr-ng");
  ASSERT_EQ(started.to_send.size(), 2u);
  for (const std::string& m : started.to_send) EXPECT_TRUE(ng.Receive(m).empty());
  EXPECT_TRUE(ng.encrypted());
  Converse(ng, /*they_start=*/false);
}

// A spec-exact server (accept_libotr_ng off, the default) refuses our
// libotr-ng publisher's DAKE-1 with kDakeRefused naming the variant, and
// sends nothing; the publisher's request then times out.
TEST_P(LibotrNgSessionOfflineTest, ASpecExactServerRefusesOurLibotrNgPublication) {
  const int64_t now = static_cast<int64_t>(now_);
  prekey::LibotrNgPublicationRequest request;
  ASSERT_NO_FATAL_FAILURE(OurEnsemble(request));
  prekey::MemoryStorage storage;
  prekey::ServerConfig config;
  config.identity = kServer;
  prekey::Server spec_exact(backend(), random_, storage, *server_key_, config);
  prekey::LibotrNgPublisher publisher(backend(), random_, OurClientConfig(), identity_->long_term,
                                      OurClientProfileBytes());
  auto dake1 = publisher.Publish(std::move(request), now);
  ASSERT_TRUE(dake1.ok());
  ASSERT_EQ(dake1->to_server.size(), 1u);
  const ServerOutput out =
      spec_exact.Receive(kOurAccount, "alice@example.org/laptop", dake1->to_server[0], Now());
  EXPECT_TRUE(out.replies.empty());
  ASSERT_EQ(out.events.size(), 1u);
  EXPECT_EQ(out.events[0].kind, prekey::ServerEventKind::kDakeRefused);
  EXPECT_NE(out.events[0].cause.context.find("this server is spec-exact"), std::string::npos)
      << out.events[0].cause.context;
  EXPECT_TRUE(publisher.busy());
  const prekey::ClientOutput expired = publisher.Expire(now + 60);
  ASSERT_EQ(expired.events.size(), 1u);
  EXPECT_EQ(expired.events[0].kind, prekey::ClientEventKind::kRequestFailed);
  EXPECT_FALSE(publisher.busy());
}

OTR_INSTANTIATE_FOR_ALL_BACKENDS(LibotrNgSessionOfflineTest);

}  // namespace
}  // namespace otr
