// The prekey server core and the prekey client against each other over the
// in-memory store, on both crypto backends (otr-v4-prekey-server.md): the
// DAKEZ, publication validated and stored, refusals with Failure (bad
// proofs, expired profiles, wrong instance tags, a bad MAC, another key),
// storage status, retrieval (one prekey message per instance tag, then No
// Prekey Ensembles), rate limits, fragmentation both ways, tampered DAKE
// messages, DAKE expiry and the bounds on state.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "crypto/modp_group.h"
#include "protocol/prekey/common/dake_crypto.h"
#include "protocol/prekey/common/proofs.h"
#include "protocol/prekey/common/transport.h"
#include "protocol/v4/crypto/fingerprint.h"
#include "protocol/v4/crypto/ring_signature.h"
#include "tests/prekey/prekey_fixture.h"

namespace otr::prekey::testing {
namespace {

using crypto::SecretBytes;

constexpr wire::InstanceTag kAliceTag = 0x0000'1111;
constexpr wire::InstanceTag kAliceTag2 = 0x0000'2222;
constexpr wire::InstanceTag kBobTag = 0x0000'3333;

// A DAKE driven by hand up to DAKE-3, to send attached messages the client
// would never build (bad proofs, profiles of another tag, bad MACs).
struct ManualDake {
  SecretBytes mac_key;
  SecretBytes proof_context;
  Dake3 dake3;  // sigma and tag set; message to fill
};

class PrekeyServerTest : public crypto::testing::BackendTest {
 protected:
  void SetUp() override {
    random_ = std::make_unique<crypto::testing::DeterministicRandom>(uint64_t{0x5eed});
    auto s = v4::GenerateLongTermKeyPair(backend(), *random_);
    ASSERT_TRUE(s.ok());
    server_key_ = std::make_unique<v4::Ed448KeyPair>(std::move(*s));
    MakeServer(ServerConfig{});
    alice_keys_ = MakeKeys(backend(), *random_, kAliceTag, kNow);
  }

  void MakeServer(ServerConfig config) {
    config.identity = std::string(kServerIdentity);
    server_ = std::make_unique<Server>(backend(), *random_, storage_, *server_key_, config);
  }

  Endpoint MakeEndpoint(std::string identity, std::string address, wire::InstanceTag tag,
                        const ClientKeys& keys, ClientConfig config = {}) {
    if (config.identity.empty()) config = MakeClientConfig(identity, tag);
    config.server_fingerprint = v4::ComputePrekeyServerFingerprint(backend(), server_key_->pub);
    ClientKeys copy;
    copy.long_term = keys.long_term;
    copy.client_profile = keys.client_profile;
    copy.prekey_profile = keys.prekey_profile;
    copy.shared_prekey_secret = keys.shared_prekey_secret;
    return Endpoint{std::move(identity), std::move(address),
                    std::make_unique<PrekeyClient>(backend(), *random_, config, std::move(copy))};
  }

  Endpoint Alice() {
    return MakeEndpoint("alice@localhost", "alice@localhost/a", kAliceTag, alice_keys_);
  }

  std::vector<ClientEvent> Publish(Endpoint& e, PublicationRequest what, int64_t now = kNow,
                                   std::vector<PrekeySecrets>* secrets = nullptr) {
    auto started = e.client->Publish(what, now);
    EXPECT_TRUE(started.ok());
    if (!started.ok()) return {};
    if (secrets) *secrets = std::move(started->secrets);
    auto events = Pump(*server_, e, std::move(started->output.to_server), now, &server_events_);
    for (auto& ev : started->output.events) events.insert(events.begin(), ev);
    return events;
  }

  std::vector<ClientEvent> QueryStorage(Endpoint& e, int64_t now = kNow) {
    auto started = e.client->QueryStorage(now);
    EXPECT_TRUE(started.ok());
    if (!started.ok()) return {};
    return Pump(*server_, e, std::move(started->to_server), now, &server_events_);
  }

  std::vector<ClientEvent> Retrieve(Endpoint& e, std::string_view who, int64_t now = kNow) {
    auto started = e.client->RetrieveEnsembles(who, now);
    EXPECT_TRUE(started.ok());
    if (!started.ok()) return {};
    return Pump(*server_, e, std::move(started->to_server), now, &server_events_);
  }

  uint32_t Stored(std::string_view owner, int64_t now = kNow) {
    auto n = storage_.CountPrekeyMessages(owner, now);
    EXPECT_TRUE(n.ok());
    return n.ok() ? *n : 0;
  }

  // DAKE-1 and DAKE-2 by hand, and the DAKE-3 signature.
  ManualDake StartManualDake(std::string_view identity, std::string_view address,
                             const ClientKeys& keys, wire::InstanceTag tag, int64_t now = kNow) {
    ManualDake out;
    auto i = v4::GenerateEcdh(backend(), *random_);
    EXPECT_TRUE(i.ok());
    Dake1 d1;
    d1.sender_instance_tag = tag;
    d1.client_profile = keys.client_profile;
    d1.i = backend().Ed448Encode(i->pub());
    ServerOutput so = server_->Receive(identity, address, EncodeForTransport(d1), now);
    EXPECT_EQ(so.replies.size(), 1u);
    if (so.replies.size() != 1) return out;
    auto m = DecodeFromTransport(so.replies[0]);
    EXPECT_TRUE(m.ok() && std::holds_alternative<Dake2>(*m));
    if (!m.ok() || !std::holds_alternative<Dake2>(*m)) return out;
    const Dake2& d2 = std::get<Dake2>(*m);
    auto s = backend().Ed448Decode(d2.s);
    auto h_s = backend().Ed448Decode(d2.server_identity.public_key);
    EXPECT_TRUE(s.ok() && h_s.ok());
    const Bytes cp = v4::EncodeClientProfile(keys.client_profile);
    const Bytes composite = EncodeCompositeIdentity(d2.server_identity);
    const Bytes phi = ServerDakePhi(identity, kServerIdentity);
    // The server's signature verifies with the transcript computed here.
    const Bytes t2 = ServerDakeT(backend(), DakeTranscript::kDake2, cp, composite, d1.i, d2.s, phi);
    EXPECT_TRUE(v4::RVrf(backend(), v4::Ring{keys.long_term.pub, *h_s, i->pub()},
                         v4::RingSigma{d2.sigma.c1, d2.sigma.r1, d2.sigma.c2, d2.sigma.r2,
                                       d2.sigma.c3, d2.sigma.r3},
                         t2, v4::kPrekeyServerRing)
                    .ok());
    const Bytes t3 = ServerDakeT(backend(), DakeTranscript::kDake3, cp, composite, d1.i, d2.s, phi);
    auto sigma = v4::RSig(backend(), keys.long_term.secret, v4::Ring{keys.long_term.pub, *h_s, *s},
                          t3, *random_, v4::kPrekeyServerRing);
    EXPECT_TRUE(sigma.ok());
    auto sk = ServerDakeSharedSecret(backend(), i->secret(), *s);
    EXPECT_TRUE(sk.ok());
    out.mac_key = PrekeyMacKey(backend(), *sk);
    out.proof_context = ProofContext(backend(), *sk);
    out.dake3.sender_instance_tag = tag;
    out.dake3.sigma = v4::RingSig{sigma->c1, sigma->r1, sigma->c2, sigma->r2, sigma->c3, sigma->r3};
    return out;
  }

  ServerOutput FinishManualDake(ManualDake& dake, const PrekeyPublication& pub,
                                std::string_view identity, std::string_view address,
                                int64_t now = kNow) {
    dake.dake3.message = EncodeAttachedMessage(pub);
    return server_->Receive(identity, address, EncodeForTransport(dake.dake3), now);
  }

  // `n` prekey messages of `tag` with their secrets.
  struct Prekeys {
    std::vector<v4::PrekeyMessage> messages;
    std::vector<SecretBytes> ys, bs;
    std::vector<crypto::Ed448Point> y_points;
    std::vector<Bytes> b_pubs;
  };
  Prekeys MakePrekeys(size_t n, wire::InstanceTag tag) {
    Prekeys p;
    for (size_t k = 0; k < n; ++k) {
      auto y = v4::GenerateEcdh(backend(), *random_);
      auto b = v4::GenerateDh(backend(), *random_);
      EXPECT_TRUE(y.ok() && b.ok());
      v4::PrekeyMessage m;
      m.identifier = static_cast<uint32_t>(1000 + k);
      m.owner_instance_tag = tag;
      m.y = backend().Ed448Encode(y->pub());
      m.b = b->pub;
      p.messages.push_back(m);
      p.ys.push_back(y->secret());
      p.bs.push_back(b->secret);
      p.y_points.push_back(y->pub());
      p.b_pubs.push_back(b->pub.ToBytes());
    }
    return p;
  }

  // A publication with correct proofs and MAC unless a test spoils them.
  PrekeyPublication GoodPublication(const ManualDake& dake, const Prekeys& p,
                                    const ClientKeys& keys, bool profiles) {
    PrekeyPublication pub;
    pub.prekey_messages = p.messages;
    const ByteView m = dake.proof_context.view();
    if (!p.messages.empty()) {
      PrekeyMessageProofs proofs;
      auto e = GenerateEcdhProof(backend(), *random_, p.ys, p.y_points, m,
                                 v4::PrekeyUsage::kProofMessageEcdh);
      auto d = GenerateDhProof(backend(), *random_, p.bs, p.b_pubs, m);
      EXPECT_TRUE(e.ok() && d.ok());
      proofs.ecdh = *e;
      proofs.dh = *d;
      pub.prekey_message_proofs = proofs;
    }
    if (profiles) {
      pub.client_profile = keys.client_profile;
      pub.prekey_profile = keys.prekey_profile;
      auto dp = backend().Ed448Decode(keys.prekey_profile.shared_prekey);
      EXPECT_TRUE(dp.ok());
      auto proof = GenerateEcdhProof(backend(), *random_, {keys.shared_prekey_secret}, {*dp}, m,
                                     v4::PrekeyUsage::kProofSharedEcdh);
      EXPECT_TRUE(proof.ok());
      pub.prekey_profile_proof = *proof;
    }
    Remac(dake, pub);
    return pub;
  }
  void Remac(const ManualDake& dake, PrekeyPublication& pub) {
    pub.prekey_mac = PrekeyPublicationMac(backend(), dake.mac_key, PublicationMacParts(pub));
  }

  // The one reply is a Failure (with a valid MAC) or a Success.
  void ExpectAnswer(const ServerOutput& so, const ManualDake& dake, MessageType type) {
    ASSERT_EQ(so.replies.size(), 1u);
    auto m = DecodeFromTransport(so.replies[0]);
    ASSERT_TRUE(m.ok());
    ASSERT_EQ(TypeOf(*m), type);
    if (type == MessageType::kFailure) {
      const auto& f = std::get<Failure>(*m);
      EXPECT_TRUE(MacEqual(FailureMac(backend(), dake.mac_key, f), f.failure_mac));
    } else if (type == MessageType::kSuccess) {
      const auto& s = std::get<Success>(*m);
      EXPECT_TRUE(MacEqual(SuccessMac(backend(), dake.mac_key, s), s.success_mac));
    }
  }

  // A Failure, for the reason `cause` (the server's event says which).
  void ExpectRefused(const ServerOutput& so, const ManualDake& dake, ErrorCode cause) {
    ExpectAnswer(so, dake, MessageType::kFailure);
    bool found = false;
    for (const auto& e : so.events) {
      if (e.kind == ServerEventKind::kPublicationRefused) {
        found = true;
        EXPECT_EQ(ErrorCodeName(e.cause.code), ErrorCodeName(cause)) << e.cause.context;
      }
    }
    EXPECT_TRUE(found);
  }

  std::unique_ptr<crypto::testing::DeterministicRandom> random_;
  std::unique_ptr<v4::Ed448KeyPair> server_key_;
  MemoryStorage storage_;
  std::unique_ptr<Server> server_;
  ClientKeys alice_keys_;
  std::vector<ServerEvent> server_events_;
};

// ---- Publication, storage status, retrieval ----

TEST_P(PrekeyServerTest, PublicationIsValidatedStoredAndRetrievedOnce) {
  Endpoint alice = Alice();
  std::vector<PrekeySecrets> secrets;
  auto events = Publish(alice, {true, true, 5}, kNow, &secrets);
  const ClientEvent* published = FindEvent(events, ClientEventKind::kPublished);
  ASSERT_NE(published, nullptr);
  EXPECT_EQ(published->count, 5u);
  EXPECT_FALSE(alice.client->busy());
  ASSERT_EQ(secrets.size(), 5u);
  EXPECT_EQ(Stored("alice@localhost"), 5u);
  EXPECT_EQ(alice.client->published_client_profile_expiration(),
            alice_keys_.client_profile.expiration);
  // The secrets handed out are those of the published keys.
  for (const auto& s : secrets) {
    EXPECT_EQ(s.instance_tag, kAliceTag);
    EXPECT_EQ(backend().Ed448Encode(backend().Ed448MulBase(s.y)), s.message.y);
  }

  // Bob, who has never published, retrieves one ensemble at a time.
  ClientKeys bob_keys = MakeKeys(backend(), *random_, kBobTag, kNow);
  Endpoint bob = MakeEndpoint("bob@localhost", "bob@localhost/b", kBobTag, bob_keys);
  std::set<uint32_t> handed_out;
  for (int k = 0; k < 5; ++k) {
    auto got = Retrieve(bob, "alice@localhost");
    const ClientEvent* e = FindEvent(got, ClientEventKind::kEnsembles);
    ASSERT_NE(e, nullptr) << k;
    ASSERT_EQ(e->ensembles.size(), 1u);
    const auto& ens = e->ensembles[0];
    EXPECT_EQ(ens.ensemble.client_profile, alice_keys_.client_profile);
    EXPECT_EQ(ens.ensemble.prekey_profile, alice_keys_.prekey_profile);
    auto h = backend().Ed448Decode(alice_keys_.client_profile.public_key);
    auto f = backend().Ed448Decode(alice_keys_.client_profile.forging_key);
    EXPECT_EQ(ens.fingerprint, v4::ComputeFingerprint(backend(), *h, *f));
    EXPECT_TRUE(handed_out.insert(ens.ensemble.prekey_message.identifier).second);
    EXPECT_EQ(Stored("alice@localhost"), static_cast<uint32_t>(4 - k));
  }
  // Exhausted: No Prekey Ensembles with the spec's text.
  auto none = Retrieve(bob, "alice@localhost");
  const ClientEvent* e = FindEvent(none, ClientEventKind::kNoEnsembles);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->text, ToBytes(kNoPrekeyMessagesText));
  EXPECT_EQ(e->participant, "alice@localhost");
  // Nobody at all.
  EXPECT_TRUE(HasEvent(Retrieve(bob, "nobody@localhost"), ClientEventKind::kNoEnsembles));
}

TEST_P(PrekeyServerTest, StorageStatusCountsThePublishersMessages) {
  Endpoint alice = Alice();
  auto status = QueryStorage(alice);
  const ClientEvent* e = FindEvent(status, ClientEventKind::kStorageStatus);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->count, 0u);
  EXPECT_EQ(alice.client->PlanMaintenance(e->count, kNow).prekey_messages, 100u);
  ASSERT_TRUE(HasEvent(Publish(alice, {true, true, 7}), ClientEventKind::kPublished));
  // Only prekey messages this time (the profiles are stored).
  ASSERT_TRUE(HasEvent(Publish(alice, {false, false, 3}), ClientEventKind::kPublished));
  status = QueryStorage(alice);
  e = FindEvent(status, ClientEventKind::kStorageStatus);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->count, 10u);
  // Another device of the same identity: "stored for the long-term public
  // key, identity and instance tag used during the DAKEZ", each its own.
  Endpoint other = MakeEndpoint("alice@localhost", "alice@localhost/b", kAliceTag2,
                                MakeKeys(backend(), *random_, kAliceTag2, kNow));
  ASSERT_TRUE(HasEvent(Publish(other, {true, true, 4}), ClientEventKind::kPublished));
  status = QueryStorage(other);
  e = FindEvent(status, ClientEventKind::kStorageStatus);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->count, 4u);
  status = QueryStorage(alice);
  e = FindEvent(status, ClientEventKind::kStorageStatus);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->count, 10u);
  // Maintenance: below the low water mark, refill to the target; the
  // profiles were published and are not due.
  PublicationRequest plan = alice.client->PlanMaintenance(10, kNow);
  EXPECT_FALSE(plan.client_profile);
  EXPECT_FALSE(plan.prekey_profile);
  EXPECT_EQ(plan.prekey_messages, 90u);
  EXPECT_TRUE(alice.client->PlanMaintenance(50, kNow).empty());
  // A day before expiry the profiles are due.
  plan = alice.client->PlanMaintenance(50, alice_keys_.client_profile.expiration - 3600);
  EXPECT_TRUE(plan.client_profile && plan.prekey_profile);
}

TEST_P(PrekeyServerTest, ProfilesDueForRenewalAreRenewedAndReplaced) {
  Endpoint alice = Alice();
  ASSERT_TRUE(HasEvent(Publish(alice, {true, true, 1}), ClientEventKind::kPublished));
  const int64_t later = alice_keys_.client_profile.expiration - 3600;
  auto events = Publish(alice, {true, true, 1}, later);
  EXPECT_TRUE(HasEvent(events, ClientEventKind::kProfilesRenewed));
  ASSERT_TRUE(HasEvent(events, ClientEventKind::kPublished));
  EXPECT_GT(alice.client->keys().client_profile.expiration, alice_keys_.client_profile.expiration);
  EXPECT_EQ(alice.client->published_prekey_profile_expiration(),
            alice.client->keys().prekey_profile.expiration);
  // After the old profiles' expiry the renewed ones make ensembles.
  ClientKeys bob_keys = MakeKeys(backend(), *random_, kBobTag, kNow);
  Endpoint bob = MakeEndpoint("bob@localhost", "bob@localhost/b", kBobTag, bob_keys);
  const int64_t after = alice_keys_.client_profile.expiration + 10;
  auto got = Retrieve(bob, "alice@localhost", after);
  const ClientEvent* e = FindEvent(got, ClientEventKind::kEnsembles);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->ensembles[0].ensemble.client_profile, alice.client->keys().client_profile);
}

TEST_P(PrekeyServerTest, RetrievalGivesOneEnsemblePerInstanceTag) {
  Endpoint alice = Alice();
  ClientKeys keys2 = MakeKeys(backend(), *random_, kAliceTag2, kNow);
  Endpoint alice2 = MakeEndpoint("alice@localhost", "alice@localhost/phone", kAliceTag2, keys2);
  ASSERT_TRUE(HasEvent(Publish(alice, {true, true, 2}), ClientEventKind::kPublished));
  ASSERT_TRUE(HasEvent(Publish(alice2, {true, true, 2}), ClientEventKind::kPublished));
  ClientKeys bob_keys = MakeKeys(backend(), *random_, kBobTag, kNow);
  Endpoint bob = MakeEndpoint("bob@localhost", "bob@localhost/b", kBobTag, bob_keys);
  auto got = Retrieve(bob, "alice@localhost");
  const ClientEvent* e = FindEvent(got, ClientEventKind::kEnsembles);
  ASSERT_NE(e, nullptr);
  ASSERT_EQ(e->ensembles.size(), 2u);
  EXPECT_EQ(e->ensembles[0].ensemble.prekey_message.owner_instance_tag, kAliceTag);
  EXPECT_EQ(e->ensembles[1].ensemble.prekey_message.owner_instance_tag, kAliceTag2);
  EXPECT_EQ(Stored("alice@localhost"), 2u);
}

// ---- Refusals with Failure ----

TEST_P(PrekeyServerTest, AHonestManualPublicationSucceeds) {
  // The control for the refusals below: the same path, nothing spoiled.
  ManualDake dake = StartManualDake("alice@localhost", "a", alice_keys_, kAliceTag);
  Prekeys p = MakePrekeys(3, kAliceTag);
  ServerOutput so =
      FinishManualDake(dake, GoodPublication(dake, p, alice_keys_, true), "alice@localhost", "a");
  ExpectAnswer(so, dake, MessageType::kSuccess);
  EXPECT_EQ(Stored("alice@localhost"), 3u);
}

TEST_P(PrekeyServerTest, BadEcdhProofIsRefused) {
  ManualDake dake = StartManualDake("alice@localhost", "a", alice_keys_, kAliceTag);
  Prekeys p = MakePrekeys(3, kAliceTag);
  PrekeyPublication pub = GoodPublication(dake, p, alice_keys_, true);
  // A proof made with one wrong secret.
  std::vector<SecretBytes> wrong = p.ys;
  wrong[1] = p.ys[0];
  auto bad = GenerateEcdhProof(backend(), *random_, wrong, p.y_points, dake.proof_context.view(),
                               v4::PrekeyUsage::kProofMessageEcdh);
  ASSERT_TRUE(bad.ok());
  pub.prekey_message_proofs->ecdh = *bad;
  Remac(dake, pub);
  ExpectRefused(FinishManualDake(dake, pub, "alice@localhost", "a"), dake, ErrorCode::kBadProof);
  EXPECT_EQ(Stored("alice@localhost"), 0u);
}

TEST_P(PrekeyServerTest, BadDhProofIsRefused) {
  ManualDake dake = StartManualDake("alice@localhost", "a", alice_keys_, kAliceTag);
  Prekeys p = MakePrekeys(2, kAliceTag);
  PrekeyPublication pub = GoodPublication(dake, p, alice_keys_, false);
  pub.prekey_message_proofs->dh.v.back() ^= 1;
  Remac(dake, pub);
  ExpectRefused(FinishManualDake(dake, pub, "alice@localhost", "a"), dake, ErrorCode::kBadProof);
  EXPECT_EQ(Stored("alice@localhost"), 0u);
}

TEST_P(PrekeyServerTest, BadPrekeyProfileProofIsRefused) {
  ManualDake dake = StartManualDake("alice@localhost", "a", alice_keys_, kAliceTag);
  Prekeys p = MakePrekeys(1, kAliceTag);
  PrekeyPublication pub = GoodPublication(dake, p, alice_keys_, true);
  // A proof of knowledge under another context m (a replayed proof).
  auto dp = backend().Ed448Decode(alice_keys_.prekey_profile.shared_prekey);
  const SecretBytes other_m(Bytes(64, 7));
  auto replayed = GenerateEcdhProof(backend(), *random_, {alice_keys_.shared_prekey_secret}, {*dp},
                                    other_m.view(), v4::PrekeyUsage::kProofSharedEcdh);
  ASSERT_TRUE(replayed.ok());
  pub.prekey_profile_proof = *replayed;
  Remac(dake, pub);
  ExpectRefused(FinishManualDake(dake, pub, "alice@localhost", "a"), dake, ErrorCode::kBadProof);
  EXPECT_TRUE(storage_.TakeEnsembles("alice@localhost", kNow)->empty());
}

TEST_P(PrekeyServerTest, BadPrekeyMacIsRefused) {
  ManualDake dake = StartManualDake("alice@localhost", "a", alice_keys_, kAliceTag);
  Prekeys p = MakePrekeys(1, kAliceTag);
  PrekeyPublication pub = GoodPublication(dake, p, alice_keys_, true);
  pub.prekey_mac[0] ^= 1;
  ExpectRefused(FinishManualDake(dake, pub, "alice@localhost", "a"), dake, ErrorCode::kBadMac);
  EXPECT_EQ(Stored("alice@localhost"), 0u);
}

TEST_P(PrekeyServerTest, ExpiredProfilesAreRefused) {
  // Profiles that expire in an hour: valid for DAKE-1 now, expired an hour
  // later when published in a second DAKE.
  ClientKeys short_lived = MakeKeys(backend(), *random_, kAliceTag, kNow, 3600);
  ManualDake dake = StartManualDake("alice@localhost", "a", alice_keys_, kAliceTag, kNow + 7200);
  Prekeys p = MakePrekeys(1, kAliceTag);
  PrekeyPublication pub = GoodPublication(dake, p, short_lived, true);
  // Under alice's long-term key (the DAKE's), so only expiry is wrong.
  pub.client_profile = short_lived.client_profile;
  pub.client_profile->public_key = alice_keys_.client_profile.public_key;
  pub.client_profile->forging_key = alice_keys_.client_profile.forging_key;
  ASSERT_TRUE(
      v4::profile::SignClientProfile(backend(), alice_keys_.long_term.sym_key, *pub.client_profile)
          .ok());
  Remac(dake, pub);
  ExpectRefused(FinishManualDake(dake, pub, "alice@localhost", "a", kNow + 7200), dake,
                ErrorCode::kOutOfRange);
  EXPECT_EQ(Stored("alice@localhost", kNow + 7200), 0u);
}

TEST_P(PrekeyServerTest, ExpiredPrekeyProfileIsRefused) {
  ManualDake dake = StartManualDake("alice@localhost", "a", alice_keys_, kAliceTag);
  Prekeys p = MakePrekeys(1, kAliceTag);
  PrekeyPublication pub = GoodPublication(dake, p, alice_keys_, true);
  pub.prekey_profile->expiration = kNow - 1;
  ASSERT_TRUE(
      v4::profile::SignPrekeyProfile(backend(), alice_keys_.long_term.sym_key, *pub.prekey_profile)
          .ok());
  Remac(dake, pub);
  ExpectRefused(FinishManualDake(dake, pub, "alice@localhost", "a"), dake, ErrorCode::kOutOfRange);
}

TEST_P(PrekeyServerTest, ValuesOfAnotherInstanceTagAreRefused) {
  // Everything consistently of tag 2 while the DAKE was run as tag 1.
  ClientKeys keys2 = MakeKeys(backend(), *random_, kAliceTag2, kNow);
  keys2.long_term = alice_keys_.long_term;
  keys2.client_profile.public_key = alice_keys_.client_profile.public_key;
  ASSERT_TRUE(
      v4::profile::SignClientProfile(backend(), alice_keys_.long_term.sym_key, keys2.client_profile)
          .ok());
  ASSERT_TRUE(
      v4::profile::SignPrekeyProfile(backend(), alice_keys_.long_term.sym_key, keys2.prekey_profile)
          .ok());
  ManualDake dake = StartManualDake("alice@localhost", "a", alice_keys_, kAliceTag);
  Prekeys p = MakePrekeys(2, kAliceTag2);
  ExpectRefused(
      FinishManualDake(dake, GoodPublication(dake, p, keys2, true), "alice@localhost", "a"), dake,
      ErrorCode::kInvalidInstanceTag);
  EXPECT_EQ(Stored("alice@localhost"), 0u);
  // Prekey messages of mixed tags do not even decode: also a Failure.
  ManualDake dake2 = StartManualDake("alice@localhost", "a", alice_keys_, kAliceTag);
  Prekeys mixed = MakePrekeys(2, kAliceTag);
  mixed.messages[1].owner_instance_tag = kAliceTag2;
  ExpectRefused(FinishManualDake(dake2, GoodPublication(dake2, mixed, alice_keys_, false),
                                 "alice@localhost", "a"),
                dake2, ErrorCode::kInvalidInstanceTag);
  EXPECT_EQ(Stored("alice@localhost"), 0u);
}

TEST_P(PrekeyServerTest, AClientProfileOfAnotherKeyIsRefused) {
  ClientKeys mallory = MakeKeys(backend(), *random_, kAliceTag, kNow);
  ManualDake dake = StartManualDake("alice@localhost", "a", alice_keys_, kAliceTag);
  Prekeys p = MakePrekeys(1, kAliceTag);
  PrekeyPublication pub = GoodPublication(dake, p, alice_keys_, true);
  pub.client_profile = mallory.client_profile;
  Remac(dake, pub);
  ExpectRefused(FinishManualDake(dake, pub, "alice@localhost", "a"), dake, ErrorCode::kInvalidKey);
}

TEST_P(PrekeyServerTest, DuplicatedPrekeyMessageIdsAreRefused) {
  ManualDake dake = StartManualDake("alice@localhost", "a", alice_keys_, kAliceTag);
  Prekeys p = MakePrekeys(2, kAliceTag);
  p.messages[1].identifier = p.messages[0].identifier;
  ExpectRefused(
      FinishManualDake(dake, GoodPublication(dake, p, alice_keys_, true), "alice@localhost", "a"),
      dake, ErrorCode::kInvalidEncoding);
  EXPECT_EQ(Stored("alice@localhost"), 0u);
}

TEST_P(PrekeyServerTest, StoragePerIdentityIsBounded) {
  ServerConfig config;
  config.max_stored_prekey_messages = 4;
  MakeServer(config);
  Endpoint alice = Alice();
  ASSERT_TRUE(HasEvent(Publish(alice, {true, true, 3}), ClientEventKind::kPublished));
  EXPECT_TRUE(HasEvent(Publish(alice, {false, false, 2}), ClientEventKind::kPublicationFailed));
  EXPECT_EQ(Stored("alice@localhost"), 3u);
  EXPECT_TRUE(HasEvent(Publish(alice, {false, false, 1}), ClientEventKind::kPublished));
}

// Messages hidden by expired profiles are still stored, and new profiles
// bring them back (storage.h): they count towards the bound, or a
// publication after the expiry would take the identity past it (the
// prekey_server_fuzzer finding of session 19: 7 + 7 stored, expired, then 3
// more with new profiles made 17 of 16). Once purged they no longer count.
TEST_P(PrekeyServerTest, MessagesHiddenByExpiredProfilesCountTowardsTheBound) {
  ServerConfig config;
  config.max_stored_prekey_messages = 4;
  MakeServer(config);
  Endpoint alice = Alice();
  ASSERT_TRUE(HasEvent(Publish(alice, {true, true, 3}), ClientEventKind::kPublished));
  const int64_t after = alice_keys_.client_profile.expiration + 10;
  EXPECT_EQ(Stored("alice@localhost", after), 0u);  // hidden, not gone
  EXPECT_TRUE(
      HasEvent(Publish(alice, {true, true, 2}, after), ClientEventKind::kPublicationFailed));
  EXPECT_EQ(Stored("alice@localhost", after), 0u);
  ASSERT_TRUE(storage_.PurgeExpired(after).ok());
  EXPECT_TRUE(HasEvent(Publish(alice, {true, true, 2}, after), ClientEventKind::kPublished));
  EXPECT_EQ(Stored("alice@localhost", after), 2u);
}

// ---- The DAKE ----

TEST_P(PrekeyServerTest, TamperedDake2IsRefusedByTheClient) {
  Endpoint alice = Alice();
  auto started = alice.client->QueryStorage(kNow);
  ASSERT_TRUE(started.ok());
  ServerOutput so = server_->Receive(alice.identity, alice.address, started->to_server[0], kNow);
  ASSERT_EQ(so.replies.size(), 1u);
  auto m = DecodeFromTransport(so.replies[0]);
  ASSERT_TRUE(m.ok());
  std::get<Dake2>(*m).sigma.r2[3] ^= 1;
  ClientOutput co = alice.client->Receive(EncodeForTransport(*m), kNow);
  EXPECT_TRUE(co.to_server.empty());
  EXPECT_TRUE(HasEvent(co.events, ClientEventKind::kRequestFailed));
  EXPECT_FALSE(alice.client->busy());
}

TEST_P(PrekeyServerTest, Dake2FromAnotherServerKeyIsRefused) {
  ClientConfig config = MakeClientConfig("alice@localhost", kAliceTag);
  // Expect another server's fingerprint.
  auto other = v4::GenerateLongTermKeyPair(backend(), *random_);
  ASSERT_TRUE(other.ok());
  config.server_fingerprint = v4::ComputePrekeyServerFingerprint(backend(), other->pub);
  ClientKeys copy = MakeKeys(backend(), *random_, kAliceTag, kNow);
  PrekeyClient client(backend(), *random_, config, std::move(copy));
  auto started = client.QueryStorage(kNow);
  ASSERT_TRUE(started.ok());
  ServerOutput so = server_->Receive("alice@localhost", "a", started->to_server[0], kNow);
  ASSERT_EQ(so.replies.size(), 1u);
  ClientOutput co = client.Receive(so.replies[0], kNow);
  EXPECT_TRUE(co.to_server.empty());
  EXPECT_TRUE(HasEvent(co.events, ClientEventKind::kRequestFailed));
}

TEST_P(PrekeyServerTest, TamperedDake3AbortsWithoutAnswer) {
  Endpoint alice = Alice();
  auto started = alice.client->Publish({true, true, 2}, kNow);
  ASSERT_TRUE(started.ok());
  ServerOutput so =
      server_->Receive(alice.identity, alice.address, started->output.to_server[0], kNow);
  ClientOutput co = alice.client->Receive(so.replies.at(0), kNow);
  ASSERT_EQ(co.to_server.size(), 1u);
  auto m = DecodeFromTransport(co.to_server[0]);
  ASSERT_TRUE(m.ok());
  std::get<Dake3>(*m).sigma.c1[0] ^= 1;
  so = server_->Receive(alice.identity, alice.address, EncodeForTransport(*m), kNow);
  EXPECT_TRUE(so.replies.empty());
  EXPECT_TRUE(HasServerEvent(so.events, ServerEventKind::kDakeFailed));
  EXPECT_EQ(server_->pending_dakes(), 0u);
  EXPECT_EQ(Stored("alice@localhost"), 0u);
  // The untampered DAKE-3 is now too late: the DAKE is over.
  so = server_->Receive(alice.identity, alice.address, co.to_server[0], kNow);
  EXPECT_TRUE(so.replies.empty());
  EXPECT_EQ(Stored("alice@localhost"), 0u);
}

TEST_P(PrekeyServerTest, Dake3FromAnotherAddressOrTagIsIgnored) {
  Endpoint alice = Alice();
  auto started = alice.client->Publish({true, true, 1}, kNow);
  ASSERT_TRUE(started.ok());
  ServerOutput so =
      server_->Receive(alice.identity, alice.address, started->output.to_server[0], kNow);
  ClientOutput co = alice.client->Receive(so.replies.at(0), kNow);
  ASSERT_EQ(co.to_server.size(), 1u);
  // Another connection of the same identity has no DAKE.
  so = server_->Receive(alice.identity, "alice@localhost/other", co.to_server[0], kNow);
  EXPECT_TRUE(so.replies.empty());
  // Another identity on the same address neither.
  so = server_->Receive("mallory@localhost", alice.address, co.to_server[0], kNow);
  EXPECT_TRUE(so.replies.empty());
  // The right one still works.
  so = server_->Receive(alice.identity, alice.address, co.to_server[0], kNow);
  ASSERT_EQ(so.replies.size(), 1u);
  EXPECT_TRUE(
      HasEvent(alice.client->Receive(so.replies[0], kNow).events, ClientEventKind::kPublished));
}

TEST_P(PrekeyServerTest, HalfDoneDakesExpireAndAreBounded) {
  ServerConfig config;
  config.max_pending_dakes_per_identity = 2;
  config.dake_timeout_seconds = 60;
  MakeServer(config);
  std::vector<Endpoint> devices;
  std::vector<ServerOutput> outs;
  for (int k = 0; k < 3; ++k) {
    devices.push_back(MakeEndpoint("alice@localhost", "alice@localhost/" + std::to_string(k),
                                   kAliceTag, alice_keys_));
    auto started = devices.back().client->QueryStorage(kNow);
    ASSERT_TRUE(started.ok());
    outs.push_back(server_->Receive(devices.back().identity, devices.back().address,
                                    started->to_server[0], kNow));
  }
  EXPECT_EQ(outs[0].replies.size(), 1u);
  EXPECT_EQ(outs[1].replies.size(), 1u);
  EXPECT_TRUE(outs[2].replies.empty());  // refused: no room
  EXPECT_TRUE(HasServerEvent(outs[2].events, ServerEventKind::kDakeRefused));
  EXPECT_EQ(server_->pending_dakes(), 2u);
  // 60 s later both are forgotten: their DAKE-3 is ignored.
  ClientOutput co = devices[0].client->Receive(outs[0].replies[0], kNow + 59);
  ASSERT_EQ(co.to_server.size(), 1u);
  server_->Expire(kNow + 60);
  EXPECT_EQ(server_->pending_dakes(), 0u);
  ServerOutput late =
      server_->Receive(devices[0].identity, devices[0].address, co.to_server[0], kNow + 60);
  EXPECT_TRUE(late.replies.empty());
  // The client gives up too.
  EXPECT_TRUE(
      HasEvent(devices[0].client->Expire(kNow + 120).events, ClientEventKind::kRequestFailed));
}

TEST_P(PrekeyServerTest, Dake1WithAnInvalidProfileGetsNoAnswer) {
  Dake1 d1;
  d1.sender_instance_tag = kAliceTag;
  d1.client_profile = alice_keys_.client_profile;
  d1.client_profile.expiration = kNow - 1;  // signature no longer matches either
  auto i = v4::GenerateEcdh(backend(), *random_);
  ASSERT_TRUE(i.ok());
  d1.i = backend().Ed448Encode(i->pub());
  ServerOutput so = server_->Receive("alice@localhost", "a", EncodeForTransport(d1), kNow);
  EXPECT_TRUE(so.replies.empty());
  EXPECT_TRUE(HasServerEvent(so.events, ServerEventKind::kDakeRefused));
  // A profile of another instance tag than the sender's.
  d1.client_profile = alice_keys_.client_profile;
  d1.sender_instance_tag = kAliceTag2;
  so = server_->Receive("alice@localhost", "a", EncodeForTransport(d1), kNow);
  EXPECT_TRUE(so.replies.empty());
  EXPECT_EQ(server_->pending_dakes(), 0u);
}

// ---- Retrieval: rate limits and a lying server ----

TEST_P(PrekeyServerTest, RetrievalIsRateLimitedPerTargetAndPerRequester) {
  ServerConfig config;
  config.per_target = {2, 3600};
  config.per_requester = {3, 600};
  MakeServer(config);
  Endpoint alice = Alice();
  ASSERT_TRUE(HasEvent(Publish(alice, {true, true, 10}), ClientEventKind::kPublished));
  ClientKeys bob_keys = MakeKeys(backend(), *random_, kBobTag, kNow);
  Endpoint bob = MakeEndpoint("bob@localhost", "bob@localhost/b", kBobTag, bob_keys);
  EXPECT_TRUE(HasEvent(Retrieve(bob, "alice@localhost"), ClientEventKind::kEnsembles));
  EXPECT_TRUE(HasEvent(Retrieve(bob, "alice@localhost"), ClientEventKind::kEnsembles));
  auto limited = Retrieve(bob, "alice@localhost");
  const ClientEvent* e = FindEvent(limited, ClientEventKind::kNoEnsembles);
  ASSERT_NE(e, nullptr);
  EXPECT_TRUE(HasServerEvent(server_events_, ServerEventKind::kRateLimited));
  EXPECT_EQ(Stored("alice@localhost"), 8u);  // the refused request took nothing
  // Bob's own budget: his third request was refused for the target, not
  // counted; one more (to another target) is his third, the next is refused.
  EXPECT_TRUE(HasEvent(Retrieve(bob, "carol@localhost"), ClientEventKind::kNoEnsembles));
  server_events_.clear();
  Retrieve(bob, "dave@localhost");
  EXPECT_TRUE(HasServerEvent(server_events_, ServerEventKind::kRateLimited));
  // An hour later alice's ensembles flow again.
  EXPECT_TRUE(HasEvent(Retrieve(bob, "alice@localhost", kNow + 3600), ClientEventKind::kEnsembles));
}

TEST_P(PrekeyServerTest, ClientRefusesEnsemblesOfAnotherIdentityOrInvalidOnes) {
  Endpoint alice = Alice();
  ASSERT_TRUE(HasEvent(Publish(alice, {true, true, 2}), ClientEventKind::kPublished));
  auto taken = storage_.TakeEnsembles("alice@localhost", kNow);
  ASSERT_TRUE(taken.ok() && taken->size() == 1u);
  PrekeyEnsemble ens{*v4::DecodeClientProfile((*taken)[0].client_profile),
                     *v4::DecodePrekeyProfile((*taken)[0].prekey_profile),
                     *v4::DecodePrekeyMessage((*taken)[0].prekey_message)};
  ClientKeys bob_keys = MakeKeys(backend(), *random_, kBobTag, kNow);
  // A server answering for carol with alice's ensemble.
  {
    Endpoint bob = MakeEndpoint("bob@localhost", "b", kBobTag, bob_keys);
    ASSERT_TRUE(bob.client->RetrieveEnsembles("carol@localhost", kNow).ok());
    PrekeyEnsembleRetrieval lie{kBobTag, ToBytes("alice@localhost"), {ens}};
    ClientOutput co = bob.client->Receive(EncodeForTransport(lie), kNow);
    EXPECT_TRUE(HasEvent(co.events, ClientEventKind::kRequestFailed));
    EXPECT_FALSE(HasEvent(co.events, ClientEventKind::kEnsembles));
  }
  // An expired ensemble.
  {
    Endpoint bob = MakeEndpoint("bob@localhost", "b", kBobTag, bob_keys);
    const int64_t late = alice_keys_.prekey_profile.expiration;
    ASSERT_TRUE(bob.client->RetrieveEnsembles("alice@localhost", late).ok());
    PrekeyEnsembleRetrieval old{kBobTag, ToBytes("alice@localhost"), {ens}};
    ClientOutput co = bob.client->Receive(EncodeForTransport(old), late);
    EXPECT_TRUE(HasEvent(co.events, ClientEventKind::kRequestFailed));
  }
  // A forged one (the prekey profile signed by another key), next to a
  // valid one of another tag: only the valid one is kept.
  {
    Endpoint bob = MakeEndpoint("bob@localhost", "b", kBobTag, bob_keys);
    ASSERT_TRUE(bob.client->RetrieveEnsembles("alice@localhost", kNow).ok());
    ClientKeys mallory = MakeKeys(backend(), *random_, kAliceTag2, kNow);
    PrekeyEnsemble forged{ens.client_profile, mallory.prekey_profile, ens.prekey_message};
    forged.client_profile.owner_instance_tag = kAliceTag2;
    forged.prekey_message.owner_instance_tag = kAliceTag2;
    auto y = v4::GenerateEcdh(backend(), *random_);
    ASSERT_TRUE(y.ok());
    forged.prekey_message.y = backend().Ed448Encode(y->pub());
    PrekeyEnsembleRetrieval mixed{kBobTag, ToBytes("alice@localhost"), {forged, ens}};
    ClientOutput co = bob.client->Receive(EncodeForTransport(mixed), kNow);
    const ClientEvent* e = FindEvent(co.events, ClientEventKind::kEnsembles);
    ASSERT_NE(e, nullptr);
    ASSERT_EQ(e->ensembles.size(), 1u);
    EXPECT_EQ(e->ensembles[0].ensemble, ens);
    EXPECT_EQ(e->count, 1u);
  }
}

// ---- Fragmentation ----

TEST_P(PrekeyServerTest, FragmentedMessagesRoundTripBothWays) {
  ServerConfig config;
  config.max_message_size = 400;
  MakeServer(config);
  ClientConfig cc = MakeClientConfig("alice@localhost", kAliceTag);
  cc.max_message_size = 500;
  Endpoint alice = MakeEndpoint("alice@localhost", "alice@localhost/a", kAliceTag, alice_keys_, cc);
  auto started = alice.client->Publish({true, true, 4}, kNow);
  ASSERT_TRUE(started.ok());
  ServerOutput so =
      server_->Receive(alice.identity, alice.address, started->output.to_server[0], kNow);
  ASSERT_GT(so.replies.size(), 1u);  // DAKE-2 cut up
  ClientOutput co;
  for (const auto& r : so.replies) {
    EXPECT_TRUE(IsFragment(r));
    EXPECT_LE(r.size(), 400u);
    co = alice.client->Receive(r, kNow);
  }
  ASSERT_GT(co.to_server.size(), 5u);  // DAKE-3 cut up
  // Delivered in reverse order.
  ServerOutput last;
  for (auto it = co.to_server.rbegin(); it != co.to_server.rend(); ++it) {
    EXPECT_LE(it->size(), 500u);
    last = server_->Receive(alice.identity, alice.address, *it, kNow);
  }
  ASSERT_FALSE(last.replies.empty());
  std::vector<ClientEvent> events;
  for (const auto& r : last.replies) {
    for (auto& e : alice.client->Receive(r, kNow).events) events.push_back(e);
  }
  EXPECT_TRUE(HasEvent(events, ClientEventKind::kPublished));
  EXPECT_EQ(Stored("alice@localhost"), 4u);
  // The retrieval reply comes in fragments too.
  ClientKeys bob_keys = MakeKeys(backend(), *random_, kBobTag, kNow);
  Endpoint bob = MakeEndpoint("bob@localhost", "bob@localhost/b", kBobTag, bob_keys);
  EXPECT_TRUE(HasEvent(Retrieve(bob, "alice@localhost"), ClientEventKind::kEnsembles));
}

TEST_P(PrekeyServerTest, GarbageIsDroppedWithAnEvent) {
  for (std::string_view text :
       {"", ".", "AAQ1.", "not base64!.", "?OTRP|1|2|3,0,1,x,", "?OTRP|1|2|3,1,1,AAQ1,", "AAQ1"}) {
    ServerOutput so = server_->Receive("x@localhost", "x", text, kNow);
    EXPECT_TRUE(so.replies.empty()) << text;
    EXPECT_FALSE(so.events.empty()) << text;
  }
}

OTR_INSTANTIATE_FOR_ALL_BACKENDS(PrekeyServerTest);

}  // namespace
}  // namespace otr::prekey::testing
