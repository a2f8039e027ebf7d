#include "fuzz/support/v4_harness.h"

#include <algorithm>
#include <map>
#include <memory>
#include <utility>
#include <variant>

#include "fuzz/support/fixed_keys.h"
#include "fuzz/support/fuzz_backend.h"
#include "fuzz/support/mutator.h"
#include "fuzz/support/v4_mutator.h"
#include "protocol/session/testing.h"
#include "protocol/v4/crypto/keys.h"
#include "protocol/v4/profile/client_profile.h"
#include "protocol/v4/profile/expiration.h"
#include "protocol/v4/ratchet/derive.h"
#include "protocol/v4/ratchet/ratchet.h"
#include "protocol/v4/state/conversation_table.h"
#include "protocol/wire/armor.h"

namespace otr::fuzzing {

namespace {

std::unique_ptr<v4::Identity> MakeIdentity(int who) {
  const crypto::Backend& backend = FuzzBackend();
  crypto::testing::DeterministicRandom random(uint64_t{0x4a11ce00} + static_cast<uint64_t>(who));
  auto id = std::make_unique<v4::Identity>();
  auto h = v4::GenerateLongTermKeyPair(backend, random);
  // The stand-in backend's points have an 8-byte value and 49 zero bytes:
  // random bytes (GenerateForgingPoint) never decode, so its forging point
  // is a key pair's public half (the fuzzers never use its secret).
  Result<crypto::Ed448Point> f = MakeError(ErrorCode::kBackendFailure, "no forging point");
  if (UsesStandInCrypto()) {
    auto pair = v4::GenerateForgingKeyPair(backend, random);
    if (pair.ok()) f = pair->pub;
  } else {
    f = v4::GenerateForgingPoint(backend, random);
  }
  if (!h.ok() || !f.ok()) OTR_FUZZ_FAIL();
  id->long_term = std::move(*h);
  id->forging_key = *f;
  v4::profile::ClientProfileParams params;
  params.owner_instance_tag = who == 0 ? kAliceTag : kBobTag;
  params.forging_key = id->forging_key;
  params.versions = "43";
  params.expiration = v4::profile::ExpirationFrom(static_cast<int64_t>(kV4StartTime));
  auto profile = v4::profile::CreateClientProfile(backend, id->long_term.sym_key, params, random);
  if (!profile.ok()) OTR_FUZZ_FAIL();
  id->client_profile = std::move(*profile);
  return id;
}

const v4::Conversation* ConversationWith(const Session& session, wire::InstanceTag peer) {
  return V4ConversationForTesting(session, peer);
}

}  // namespace

const v4::Identity& FixedV4Identity(int who) {
  static const std::unique_ptr<v4::Identity> ids[2] = {MakeIdentity(0), MakeIdentity(1)};
  return *ids[who == 0 ? 0 : 1];
}

Policy V4PolicyFromBits(uint8_t bits) {
  switch (bits % 4) {
    case 0:
      return Policy::Manual().WithV4();
    case 1:
      return Policy::V4Standalone();
    case 2:
      return Policy::V4InteractiveOnly();
    default:
      return Policy::Opportunistic().WithV4();
  }
}

V4Party::V4Party(int who_, Policy policy, uint64_t seed, v4::PrekeyStore* prekey_store,
                 const PrekeyServerConfig* prekey_server)
    : who(who_) {
  PartyRandom(who).Reseed(seed);
  clock.now = kV4StartTime;
  SessionConfig config;
  config.backend = &FuzzBackend();
  if (policy.SpeaksV3()) config.identity.dsa = &FixedKey(who);
  config.identity.v4 = &FixedV4Identity(who);
  config.policy = policy;
  config.our_tag = tag();
  config.prekey_store = prekey_store;
  if (prekey_server != nullptr) config.prekey_server = *prekey_server;
  auto created = Session::Create(config, PartyRandom(who));
  if (!created.ok()) OTR_FUZZ_FAIL();
  session.emplace(std::move(created).value());
  const std::optional<store::PeerFingerprint> ours = session->our_v4_fingerprint();
  if (!ours || ours->bytes.size() != fingerprint.size()) OTR_FUZZ_FAIL();
  std::copy(ours->bytes.begin(), ours->bytes.end(), fingerprint.begin());
}

Exchange PumpV4(V4Party& alice, V4Party& bob, Output out, bool from_alice) {
  Exchange ex;
  Fifo<InFlight> queue;
  auto take = [&](Output& o, bool by_alice) {
    for (std::string& s : o.to_send) queue.push_back({std::move(s), !by_alice});
    auto& display = by_alice ? ex.alice_display : ex.bob_display;
    auto& events = by_alice ? ex.alice_events : ex.bob_events;
    for (Displayed& d : o.display) display.push_back(std::move(d));
    for (Event& e : o.events) events.push_back(std::move(e));
  };
  take(out, from_alice);
  for (size_t delivered = 0; !queue.empty() && delivered < 64; ++delivered) {
    InFlight next = std::move(queue.front());
    queue.pop_front();
    V4Party& receiver = next.to_alice ? alice : bob;
    Output reply = receiver.session->Receive(receiver.clock.NowSeconds(), next.text);
    take(reply, next.to_alice);
  }
  return ex;
}

void CheckV4Instances(const Session& session,
                      const std::function<void(const v4::Conversation&)>& check) {
  size_t instances = 0;
  ForEachConversationForTesting(
      session, [&](wire::InstanceTag, const v3::Conversation* c3, const v4::Conversation* c,
                   const v4::Conversation* beside) {
        ++instances;
        // A v4 DAKE beside a conversation (decisions 0048, 0053) exists only
        // beside an ENCRYPTED v2/v3 one, and only while it is in progress:
        // once it completes it has replaced that conversation.
        if (beside != nullptr) {
          if (c3 == nullptr || c3->message_state() != v3::MessageState::kEncrypted) OTR_FUZZ_FAIL();
          if (beside->state() != v4::ProtocolState::kWaitingAuthR &&
              beside->state() != v4::ProtocolState::kWaitingAuthI) {
            OTR_FUZZ_FAIL();
          }
        }
        if (c3 != nullptr) {
          if (c3->message_state() >= v3::MessageState::kCount) OTR_FUZZ_FAIL();
          if (c3->auth_state() >= v3::AuthState::kCount) OTR_FUZZ_FAIL();
          return;
        }
        if (c->state() >= v4::ProtocolState::kCount) OTR_FUZZ_FAIL();
        if (c->smp_state() >= smp::SmpState::kCount) OTR_FUZZ_FAIL();
        if (c->encrypted()) {
          if (!c->their_fingerprint()) OTR_FUZZ_FAIL();
        } else if (c->smp_state() != smp::SmpState::kExpect1) {
          // SMP progresses only in ENCRYPTED_MESSAGES (otrv4.md, "Socialist
          // Millionaires Protocol (SMP)"), and leaving it resets SMP.
          OTR_FUZZ_FAIL();
        }
        check(*c);
      });
  if (instances > kMaxPeerInstances + 1) OTR_FUZZ_FAIL();
  const ConversationState state = session.state();
  if (state != ConversationState::kPlaintext && state != ConversationState::kEncrypted &&
      state != ConversationState::kFinished) {
    OTR_FUZZ_FAIL();
  }
}

void CheckV4Session(const Session& session) {
  CheckV4Instances(session, [](const v4::Conversation& c) {
    if (c.encrypted() && c.ratchet() == nullptr) OTR_FUZZ_FAIL();
    if (const v4::ratchet::Ratchet* r = c.ratchet()) {
      // "Deletion of Stored Message Keys": bounded whatever the peer sends.
      if (r->stored_key_count() > r->limits().max_stored_keys) OTR_FUZZ_FAIL();
      if (r->mac_keys_to_reveal().size() > r->limits().max_mac_keys_to_reveal) OTR_FUZZ_FAIL();
    }
  });
}

V4Snapshot SnapshotV4(const Session& session, wire::InstanceTag peer) {
  V4Snapshot snapshot;
  const v4::Conversation* c = ConversationWith(session, peer);
  if (c == nullptr) return snapshot;
  snapshot.exists = true;
  snapshot.encrypted = c->encrypted();
  snapshot.ssid = c->ssid();
  snapshot.fingerprint = c->their_fingerprint();
  const v4::ratchet::Ratchet* r = c->ratchet();
  if (r == nullptr) return snapshot;
  snapshot.stored_keys = r->stored_key_count();
  // A chain of SHAKE-256 over the held secrets, each with its length: h =
  // SHAKE-256(h || length || secret), one call each on the stack (a context
  // from NewShake256 would be an allocation per snapshot, and so would a
  // vector of the secrets).
  r->ForEachHeldSecret([&](const crypto::SecretBytes& secret) {
    const uint64_t size = secret.size();
    uint8_t length[8];
    for (int i = 0; i < 8; ++i) length[i] = static_cast<uint8_t>(size >> (8 * i));
    const std::array<uint8_t, 32> previous = snapshot.secrets_hash;
    const ByteView parts[] = {previous, ByteView(length, 8), secret.view()};
    FuzzBackend().Shake256Of(parts, MutableByteView(snapshot.secrets_hash));
  });
  return snapshot;
}

void CheckOnlyPeerEncrypts(const Session& session, const V4Party& peer) {
  ForEachConversationForTesting(session, [&](wire::InstanceTag, const v3::Conversation* c3,
                                             const v4::Conversation* c, const v4::Conversation*) {
    if (c != nullptr) {
      if (c->encrypted() && !(c->their_fingerprint() == peer.fingerprint)) OTR_FUZZ_FAIL();
    } else if (c3->message_state() == v3::MessageState::kEncrypted &&
               *c3->their_fingerprint() != peer.session->our_fingerprint() &&
               *c3->their_fingerprint() != session.our_fingerprint()) {
      OTR_FUZZ_FAIL();
    }
  });
}

std::optional<ChangedMessage> ChangeV4Message(const std::string& original, ByteSource& in) {
  auto message = DearmorV4(original);
  if (!message) return std::nullopt;
  // What the Authenticator covers before the change (it does not cover the
  // revealed MAC keys), not a copy of the whole message.
  const auto* data = std::get_if<v4::DataMessage>(&*message);
  std::optional<Bytes> maced_before;
  v4::Mac authenticator_before{};
  if (data != nullptr) {
    maced_before = v4::DataMessageMacInput(*data);
    authenticator_before = data->authenticator;
  }
  InputChoices choices(in);
  const size_t changes = 1 + in.Next() % 3;
  for (size_t i = 0; i < changes; ++i) MutateV4Message(*message, choices);
  ChangedMessage out{ArmorV4(*message), false};
  const auto* changed = std::get_if<v4::DataMessage>(&*message);
  out.same_maced_part = maced_before && changed != nullptr &&
                        changed->authenticator == authenticator_before &&
                        v4::DataMessageMacInput(*changed) == *maced_before;
  return out;
}

bool AnyEncryptedDisplay(const std::vector<Displayed>& display) {
  return std::any_of(display.begin(), display.end(),
                     [](const Displayed& d) { return d.encrypted; });
}

bool HasEvent(const std::vector<Event>& events, EventType type) {
  return std::any_of(events.begin(), events.end(),
                     [type](const Event& e) { return e.type() == type; });
}

std::optional<Sealed> SealAsBob(V4Party& bob, uint8_t flags, ByteView plaintext) {
  const v4::Conversation* c = ConversationWith(*bob.session, bob.peer_tag());
  if (c == nullptr || c->ratchet() == nullptr) return std::nullopt;
  // The fuzzer plays bob's application and holds his secrets: it drives his
  // own ratchet (a non-const object behind a const accessor), which advances
  // as for his own Send.
  auto* ratchet = const_cast<v4::ratchet::Ratchet*>(c->ratchet());
  const crypto::Backend& backend = FuzzBackend();
  Sealed sealed;
  const v4::ratchet::RatchetState& s = ratchet->state();
  if (!s.ratchet_on_next_send && !s.chain_key_s.empty()) {
    // "MKenc, MKmac = derive_enc_mac_keys(chain_key_s[j])".
    sealed.mk_mac =
        v4::ratchet::DeriveMacKey(backend, v4::ratchet::DeriveMessageKey(backend, s.chain_key_s));
  }
  v4::Header header;
  header.sender_instance_tag = bob.tag();
  header.receiver_instance_tag = bob.peer_tag();
  auto sent = ratchet->Send(bob.clock.NowSeconds(), header, flags, plaintext, bob.random());
  if (!sent.ok()) return std::nullopt;
  sealed.message = std::move(sent->message);
  return sealed;
}

void ReMac(v4::DataMessage& message, const crypto::SecretBytes& mk_mac) {
  const crypto::SecretBytes mac =
      v4::ratchet::Authenticator(FuzzBackend(), mk_mac, v4::DataMessageMacInput(message));
  std::copy(mac.view().begin(), mac.view().end(), message.authenticator.begin());
}

std::optional<Bytes> PeekPlaintextV4(const V4Party& receiver, const v4::DataMessage& message) {
  const v4::Conversation* c = ConversationWith(*receiver.session, receiver.peer_tag());
  if (c == nullptr || c->ratchet() == nullptr) return std::nullopt;
  auto plan = c->ratchet()->PrepareReceive(receiver.clock.NowSeconds(), message);
  if (!plan.ok()) return std::nullopt;
  return plan->received.plaintext.Declassify();
}

std::string ArmorV4(const v4::Message& message) {
  return wire::EncodeArmor(v4::EncodeMessage(message));
}

std::optional<v4::Message> DearmorV4(std::string_view text) {
  auto bytes = wire::DecodeArmor(text);
  if (!bytes.ok()) return std::nullopt;
  auto message = v4::DecodeMessage(*bytes);
  if (!message.ok()) return std::nullopt;
  return std::move(message).value();
}

namespace {

bool BothEncrypted(const V4Party& alice, const V4Party& bob) {
  const v4::Conversation* a = ConversationWith(*alice.session, kBobTag);
  const v4::Conversation* b = ConversationWith(*bob.session, kAliceTag);
  return a != nullptr && b != nullptr && a->encrypted() && b->encrypted();
}

// A message from `from` reaches the other party and is shown encrypted.
bool Talks(V4Party& alice, V4Party& bob, bool from_alice, std::string_view text) {
  V4Party& from = from_alice ? alice : bob;
  Exchange ex = PumpV4(alice, bob, from.session->Send(from.clock.NowSeconds(), text), from_alice);
  const auto& shown = from_alice ? ex.bob_display : ex.alice_display;
  return std::any_of(shown.begin(), shown.end(),
                     [&](const Displayed& d) { return d.encrypted && d.text == text; });
}

const v4::ratchet::Ratchet* RatchetOf(const V4Party& party) {
  const v4::Conversation* c = ConversationWith(*party.session, party.peer_tag());
  return c == nullptr ? nullptr : c->ratchet();
}

// `party`'s next send turns its ratchet (a new ECDH key, drawn from its
// randomness: "When you send a Data Message", "a new DH ratchet").
bool TurnsOnNextSend(const V4Party& party) {
  const v4::ratchet::Ratchet* r = RatchetOf(party);
  return r != nullptr && (r->state().ratchet_on_next_send || r->state().chain_key_s.empty());
}

}  // namespace

V4World EstablishedV4World(uint8_t config, uint64_t seed) {
  struct Template {
    std::optional<V4World> world;
  };
  static std::map<uint8_t, Template> templates;
  config &= 7;
  Template& t = templates[config];
  if (!t.world) {
    // Made once per configuration with fixed seeds: the DAKE, then one
    // message each way (bob, then alice). Whoever the DAKE left with a
    // sending chain has used it or left it for a new ratchet, and each
    // party has received the other's newest ratchet, so bob's next send
    // turns his ratchet (decision 0047).
    V4World w{V4Party(0, V4PolicyFromBits(config >> 1), 11),
              V4Party(1, V4PolicyFromBits(config >> 1), 12)};
    V4Party& starter = (config & 1) ? w.bob : w.alice;
    PumpV4(w.alice, w.bob, starter.session->StartOtr(starter.clock.NowSeconds()), !(config & 1));
    if (!BothEncrypted(w.alice, w.bob)) OTR_FUZZ_FAIL();  // the real DAKE must succeed
    if (w.alice.session->version() != 4 || w.bob.session->version() != 4) OTR_FUZZ_FAIL();
    if (!Talks(w.alice, w.bob, false, "warm up 1") || !Talks(w.alice, w.bob, true, "warm up 2")) {
      OTR_FUZZ_FAIL();
    }
    if (RatchetOf(w.alice) == nullptr || !TurnsOnNextSend(w.bob)) OTR_FUZZ_FAIL();
    t.world.emplace(std::move(w));
  }
  V4World w = *t.world;
  PartyRandom(0).Reseed(~seed);
  PartyRandom(1).Reseed(seed);
  // Warm-up: both ratchets turn with the input's randomness. Bob's send
  // turns his (a new ECDH key from his re-seeded randomness; alice then
  // turns on her next send) and alice's reply turns hers. The template's
  // chains are used up: alice receives only bob's new chain, bob only
  // alice's, neither holds a skipped key of an old one, and the root key
  // mixes both new ECDH secrets, so every key that can verify a later
  // message depends on the input.
  const uint32_t alice_id = RatchetOf(w.alice)->state().sending_ratchet_id;
  const uint32_t bob_id = RatchetOf(w.bob)->state().sending_ratchet_id;
  if (!Talks(w.alice, w.bob, false, "warm up 3") || !TurnsOnNextSend(w.alice) ||
      !Talks(w.alice, w.bob, true, "warm up 4")) {
    OTR_FUZZ_FAIL();
  }
  const v4::ratchet::Ratchet* a = RatchetOf(w.alice);
  const v4::ratchet::Ratchet* b = RatchetOf(w.bob);
  if (a == nullptr || b == nullptr || a->state().sending_ratchet_id == alice_id ||
      b->state().sending_ratchet_id == bob_id ||
      a->state().receiving_ratchet_id != b->state().sending_ratchet_id ||
      b->state().receiving_ratchet_id != a->state().sending_ratchet_id ||
      a->stored_key_count() != 0 || b->stored_key_count() != 0) {
    OTR_FUZZ_FAIL();
  }
  return w;
}

void CheckLiveness(V4Party& alice, V4Party& bob) {
  auto secure = [&] {
    return alice.session->state() == ConversationState::kEncrypted &&
           bob.session->state() == ConversationState::kEncrypted;
  };
  if (secure() && Talks(alice, bob, false, "still there?")) return;
  // Their conversation is gone (ended, expired) or out of step: bob ends
  // and starts again with no interference; if he cannot (a v3-compatible
  // bob starts with a Query Message, which the v4-only modes ignore:
  // otrv4.md "OTRv4 modes"), alice starts.
  PumpV4(alice, bob, bob.session->EndOtr(bob.clock.NowSeconds()), false);
  PumpV4(alice, bob, bob.session->StartOtr(bob.clock.NowSeconds()), false);
  if (!secure()) PumpV4(alice, bob, alice.session->StartOtr(alice.clock.NowSeconds()), true);
  if (!secure()) {
    // Alice may wait for an Auth-I that never comes (her Auth-R was lost):
    // in WAITING_AUTH_I she ignores an Identity message whose receiver
    // instance tag is not hers (otrv4.md "Receiving an Identity Message"),
    // and bob's new one has none (he never learnt her tag); her own start is
    // a Query Message when she is v3-compatible, which a v4-standalone or
    // interactive-only bob ignores (otr-v4-modes, "will not know how to
    // handle ... query messages"). Only her end, which forgets the DAKE,
    // lets bob's next start through (the v4_session_dake_fuzzer finding
    // corpus/v4_session_dake_fuzzer/finding_lost_auth_r).
    PumpV4(alice, bob, alice.session->EndOtr(alice.clock.NowSeconds()), true);
    PumpV4(alice, bob, bob.session->EndOtr(bob.clock.NowSeconds()), false);
    PumpV4(alice, bob, bob.session->StartOtr(bob.clock.NowSeconds()), false);
    if (!secure()) PumpV4(alice, bob, alice.session->StartOtr(alice.clock.NowSeconds()), true);
  }
  if (!secure()) OTR_FUZZ_FAIL();
  if (!Talks(alice, bob, false, "still there?") || !Talks(alice, bob, true, "yes")) {
    OTR_FUZZ_FAIL();
  }
}

V4OpLoop::V4OpLoop(V4Party& target, V4Party& peer, bool transcribe_both_ways, uint64_t time_step)
    : target_(target),
      peer_(peer),
      transcribe_both_ways_(transcribe_both_ways),
      time_step_(time_step) {}

void V4OpLoop::Take(Output out, const V4Party& sender) {
  for (std::string& s : out.to_send) in_flight_.push_back({std::move(s), &sender == &peer_});
}

void V4OpLoop::ToTarget(const std::string& text) {
  Take(target_.session->Receive(target_.clock.NowSeconds(), text), target_);
}

void V4OpLoop::DeliverNext() {
  if (in_flight_.empty()) return;
  Queued next = std::move(in_flight_.front());
  in_flight_.pop_front();
  // The transcript keeps the text itself (no copy); only DeliverNext adds
  // to it, so what ToTarget is given stays where it is meanwhile.
  const std::string* text = &next.text;
  if (next.to_target || transcribe_both_ways_) {
    transcript_.push_back(std::move(next.text));
    text = &transcript_.back();
  }
  if (next.to_target) {
    ToTarget(*text);
  } else {
    Take(peer_.session->Receive(peer_.clock.NowSeconds(), *text), peer_);
  }
}

void V4OpLoop::Drain() {
  for (size_t i = 0; i < 64 && !in_flight_.empty(); ++i) DeliverNext();
}

bool V4OpLoop::KnownText(const std::string& text) const {
  return std::find(transcript_.begin(), transcript_.end(), text) != transcript_.end() ||
         std::any_of(in_flight_.begin(), in_flight_.end(),
                     [&](const Queued& q) { return q.text == text; });
}

void V4OpLoop::Start(V4Party& who, ByteSource&) {
  Take(who.session->StartOtr(who.clock.NowSeconds()), who);
}

void V4OpLoop::Act(V4Party& who, ByteSource& in) {
  switch (in.Next() % 4) {
    case 0:
      Start(who, in);
      break;
    case 1: {
      const ByteView rest = in.Rest();
      Take(who.session->Send(who.clock.NowSeconds(), std::string(rest.begin(), rest.end())), who);
      break;
    }
    case 2:
      Take(who.session->EndOtr(who.clock.NowSeconds()), who);
      break;
    default:
      who.clock.now += uint64_t{in.Next()} * time_step_;  // heartbeats, expiry, stored keys
      Take(who.session->HandleTimeout(who.clock.NowSeconds()), who);
      break;
  }
}

bool V4OpLoop::Run(const RecordView& record) {
  ByteSource in(record.payload);
  switch (record.op % kOpCount) {
    case 0:
    case 1: {
      const std::string text = record.op % kOpCount == 0
                                   ? std::string(record.payload.begin(), record.payload.end())
                                   : wire::EncodeArmor(record.payload);
      const bool from_peer = KnownText(text);
      ToTarget(text);
      return from_peer;
    }
    case 2: {
      if (transcript_.empty()) return false;
      const std::string& original = transcript_[in.Next() % transcript_.size()];
      auto changed = ChangeV4Message(original, in);
      if (!changed) return false;
      const bool from_peer = KnownText(changed->text) || changed->same_maced_part;
      ToTarget(changed->text);
      return from_peer;
    }
    case 3:
      DeliverNext();  // the real protocol going on
      return true;
    case 4:
    case 5:
      Act(record.op % kOpCount == 4 ? target_ : peer_, in);  // a user, not inbound data
      return true;
    case 6: {
      if (transcript_.empty()) return false;
      ToTarget(transcript_[in.Next() % transcript_.size()]);  // a real message of this run
      return true;
    }
    default:
      if (!in_flight_.empty()) in_flight_.pop_front();
      return true;
  }
}

}  // namespace otr::fuzzing
