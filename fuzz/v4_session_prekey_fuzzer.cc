// Drives a v4 Session's retrieval of its peer's Prekey Ensembles
// (otr-v4-prekey-server.md, "Retrieving Prekey Ensembles"; otrv4.md
// "Receiving Prekey Ensembles", "Validating Prekey Ensembles", "Sending a
// Data Message to an offline participant"): alice (the Session under test,
// SessionConfig::prekey_server set) sends real queries with
// RequestPrekeyEnsembles, and the fuzzer plays the prekey server, answering
// through Session::ReceiveFromPrekeyServer with Prekey Ensemble Retrieval
// messages built from bob's real ensembles (fuzz/support/v4_offline.h),
// chosen, repeated and changed field by field (some changes re-signed with
// bob's key, so they pass the signature check and meet the later checks),
// No Prekey Ensembles, messages no retrieval awaits (Storage Status,
// Success, Failure, DAKE-2, a query), fragments, replays and garbage. Bob
// is offline-capable (his Prekey Profile and Prekey Messages in an
// InMemoryPrekeyStore copied for every input) and receives what alice
// sends after an offline start.
//
// Input (fuzz/support/harness.h records): header byte 0 bits 0-1 alice's
// policy, bits 2-3 bob's (V4PolicyFromBits); header byte 1 bit 0: alice
// asks once before the records. Records (op % 8):
//   op 0: the payload as text from the prekey server (garbage, fragments)
//   op 1: the payload as a binary prekey-server message, base64 and "."
//   op 2: alice asks (RequestPrekeyEnsembles); the query is checked
//   op 3: the server answers the last query with a Prekey Ensemble
//         Retrieval: payload byte 0 flags (bit 0 another receiver tag, bit 1
//         another participant, bit 2 in fragments of byte 1 + 40 characters,
//         bit 3 sent twice), then per ensemble (1-4, from byte 2) one byte
//         choosing bob's ensemble and one its change (AnswerEnsemble)
//   op 4: the server answers with No Prekey Ensembles (flags as op 3, the
//         rest of the payload its text)
//   op 5: a server message no retrieval awaits (Storage Status, Success,
//         Failure, DAKE-2 from the payload; a query, alice's last again)
//   op 6: a server answer of this run replayed
//   op 7: an action (payload byte % 6): deliver the next message of alice
//         to bob, drop it, deliver all; alice sends the rest of the payload;
//         time passes for alice (next byte times 10 s, HandleTimeout:
//         the retrieval's time-out); alice ends
// Invariants after every record: every state is a state of the tables and
// within its bounds (CheckV4Session); every encrypted conversation of alice
// has bob's fingerprint (only bob's ensembles are ever handed out: a change
// to a signed field without bob's signature, or an expired profile, is
// refused); a query is a Prekey Ensemble Query Retrieval from alice's tag
// for bob's identity asking for version 4, sent only when none is in flight
// and never in the interactive-only mode; text from the server while no
// retrieval is in flight, and an answer none of whose ensembles is valid,
// change nothing and send nothing; what ReceiveFromPrekeyServer sends is
// alice's offline start to bob's instance (one Non-Interactive-Auth, after
// a Disconnect when she was encrypted), then her conversation with bob is
// encrypted; the server is never sent anything by
// ReceiveFromPrekeyServer and nothing is displayed. After the last record
// alice's traffic is delivered and the two can still talk (CheckLiveness).
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "fuzz/support/fuzz_backend.h"
#include "fuzz/support/harness.h"
#include "fuzz/support/v4_harness.h"
#include "fuzz/support/v4_offline.h"
#include "protocol/prekey/common/transport.h"
#include "protocol/prekey/messages/messages.h"
#include "protocol/session/testing.h"
#include "protocol/v4/profile/client_profile.h"
#include "protocol/v4/profile/prekey_profile.h"
#include "protocol/wire/base64.h"

namespace {

using namespace otr;
using namespace otr::fuzzing;

constexpr uint8_t kOpCount = 8;
constexpr char kServer[] = "prekeys.example";
constexpr char kBobIdentity[] = "bob@example";

PrekeyServerConfig ServerConfig() {
  PrekeyServerConfig c;
  c.server = kServer;
  c.peer_identity = kBobIdentity;
  c.request_timeout_seconds = 60;
  return c;
}

// Whether an answered ensemble can still pass "Validating Prekey
// Ensembles": only kSurelyInvalid is used by the invariants.
enum class Validity { kMaybeValid, kSurelyInvalid };

// Bob's ensemble `index` with change `change` (the fuzzer holds bob's
// long-term key: some changes are re-signed, so they meet the checks after
// the signature's).
prekey::PrekeyEnsemble AnswerEnsemble(uint8_t index, uint8_t change, int64_t now,
                                      Validity& validity) {
  const auto& all = FixedBobPrekeys().ensembles;
  const v4::dake::PrekeyEnsembleValues& v = all[index % all.size()];
  prekey::PrekeyEnsemble e{v.client_profile, v.prekey_profile, v.prekey_message};
  const crypto::Backend& backend = FuzzBackend();
  const crypto::SecretBytes& sym_h = FixedV4Identity(1).long_term.sym_key;
  validity = Validity::kMaybeValid;
  switch (change % 12) {
    case 0:
      break;  // as published
    case 1:   // the Prekey Message Identifier is not signed
      e.prekey_message.identifier ^= 1u << (change % 32);
      break;
    case 2:  // Y and B are not signed: another Prekey Message's
      e.prekey_message.y = all[(index + 1) % all.size()].prekey_message.y;
      break;
    case 3:
      e.prekey_message.b = all[(index + 1) % all.size()].prekey_message.b;
      break;
    case 4:  // "the instance tags of all three ... are the same"
      e.prekey_message.owner_instance_tag ^= 0x100;
      validity = Validity::kSurelyInvalid;
      break;
    case 5:  // Y not a point
      e.prekey_message.y[change % e.prekey_message.y.size()] ^= 0x40;
      break;
    case 6:  // a signed field changed, not re-signed
      e.client_profile.expiration += 1;
      validity = Validity::kSurelyInvalid;
      break;
    case 7:
      e.prekey_profile.signature[change % e.prekey_profile.signature.size()] ^= 1;
      validity = Validity::kSurelyInvalid;
      break;
    case 8:  // re-signed, expired
      e.client_profile.expiration = now - 1;
      if (!v4::profile::SignClientProfile(backend, sym_h, e.client_profile).ok()) OTR_FUZZ_FAIL();
      validity = Validity::kSurelyInvalid;
      break;
    case 9:
      e.prekey_profile.expiration = now - 1;
      if (!v4::profile::SignPrekeyProfile(backend, sym_h, e.prekey_profile).ok()) OTR_FUZZ_FAIL();
      validity = Validity::kSurelyInvalid;
      break;
    case 10:  // re-signed with another version list (still bob's)
      e.client_profile.versions = (change & 0x80) != 0 ? "4" : "34";
      if (!v4::profile::SignClientProfile(backend, sym_h, e.client_profile).ok()) OTR_FUZZ_FAIL();
      break;
    default:  // re-signed, another instance tag in both profiles: not bob's Prekey Message
      e.client_profile.owner_instance_tag ^= 0x200;
      e.prekey_profile.owner_instance_tag ^= 0x200;
      if (!v4::profile::SignClientProfile(backend, sym_h, e.client_profile).ok() ||
          !v4::profile::SignPrekeyProfile(backend, sym_h, e.prekey_profile).ok()) {
        OTR_FUZZ_FAIL();
      }
      validity = Validity::kSurelyInvalid;
      break;
  }
  return e;
}

struct World {
  World(const InputView& input, uint64_t seed)
      : store(FixedBobPrekeys().store),
        server(ServerConfig()),
        alice(0, V4PolicyFromBits(input.header[0]), ~seed, nullptr, &server),
        bob(1, V4PolicyFromBits(input.header[0] >> 2), seed, &store) {}

  v4::InMemoryPrekeyStore store;  // before bob, who keeps a pointer to it
  PrekeyServerConfig server;
  V4Party alice, bob;
  std::deque<std::string> to_bob;    // alice's messages in flight
  std::vector<std::string> answers;  // what the server said in this run
  uint32_t query_tag = kAliceTag;    // the sender tag of the last query
};

bool AliceInteractiveOnly(const InputView& input) { return input.header[0] % 4 == 2; }

void Check(const World& w) {
  CheckV4Session(*w.alice.session);
  CheckV4Session(*w.bob.session);
  CheckOnlyPeerEncrypts(*w.alice.session, w.bob);
}

// Alice asks; the query must be what "Retrieving Prekey Ensembles" says.
void Ask(World& w, bool interactive_only) {
  const bool busy = w.alice.session->awaiting_prekey_server();
  Output out = w.alice.session->RequestPrekeyEnsembles(w.alice.clock.NowSeconds());
  if (!out.to_send.empty() || !out.display.empty()) OTR_FUZZ_FAIL();
  if (busy || interactive_only) {
    if (!out.to_prekey_server.empty() || !HasEvent(out.events, EventType::kOfflineRefused)) {
      OTR_FUZZ_FAIL();
    }
    return;
  }
  if (out.to_prekey_server.size() != 1 || !w.alice.session->awaiting_prekey_server()) {
    OTR_FUZZ_FAIL();
  }
  const PrekeyServerMessage& m = out.to_prekey_server[0];
  if (m.server != kServer) OTR_FUZZ_FAIL();
  auto decoded = prekey::DecodeFromTransport(m.text);
  if (!decoded.ok()) OTR_FUZZ_FAIL();
  const auto* q = std::get_if<prekey::PrekeyEnsembleQueryRetrieval>(&*decoded);
  if (q == nullptr || q->sender_instance_tag != kAliceTag ||
      q->participant_identity != Bytes(kBobIdentity, kBobIdentity + sizeof(kBobIdentity) - 1)) {
    OTR_FUZZ_FAIL();
  }
  bool has_4 = false;
  for (uint8_t v : q->versions) has_4 = has_4 || v == '4';
  if (!has_4) OTR_FUZZ_FAIL();
  w.query_tag = q->sender_instance_tag;
  w.answers.push_back(m.text);  // a query replayed to alice (op 5, op 6)
}

// Text from the prekey server to alice. `surely_ignored`: nothing in it can
// start anything (no valid ensemble of bob).
void FromServer(World& w, const std::string& text, bool surely_ignored) {
  const bool was_awaiting = w.alice.session->awaiting_prekey_server();
  // (Judged below only when the text must change nothing.)
  const bool must_ignore = !was_awaiting || surely_ignored;
  const V4Snapshot before = must_ignore ? SnapshotV4(*w.alice.session, kBobTag) : V4Snapshot{};
  Output out = w.alice.session->ReceiveFromPrekeyServer(w.alice.clock.NowSeconds(), text);
  // "Text that is not the answer to this session's retrieval is ignored
  // silently"; the server's channel never displays or goes to the server.
  if (!out.display.empty() || !out.to_prekey_server.empty()) OTR_FUZZ_FAIL();
  if (!was_awaiting) {
    if (!out.to_send.empty() || !out.events.empty()) OTR_FUZZ_FAIL();
    if (w.alice.session->awaiting_prekey_server()) OTR_FUZZ_FAIL();
  }
  if (must_ignore) {
    if (!out.to_send.empty() || !(SnapshotV4(*w.alice.session, kBobTag) == before)) {
      OTR_FUZZ_FAIL();
    }
  }
  if (!out.to_send.empty()) {
    // An offline start: one Non-Interactive-Auth to bob's instance (after
    // the Disconnect TLV of a conversation that was ENCRYPTED_MESSAGES:
    // the table's kSendOfflineEnc row), and the conversation with bob is
    // ENCRYPTED_MESSAGES.
    size_t auths = 0;
    for (const std::string& text : out.to_send) {
      auto message = DearmorV4(text);
      if (!message) OTR_FUZZ_FAIL();
      if (const auto* auth = std::get_if<v4::NonInteractiveAuth>(&*message)) {
        if (auth->header.receiver_instance_tag != kBobTag) OTR_FUZZ_FAIL();
        ++auths;
      } else if (!std::holds_alternative<v4::DataMessage>(*message)) {
        OTR_FUZZ_FAIL();
      }
    }
    if (auths != 1) OTR_FUZZ_FAIL();
    const v4::Conversation* c = V4ConversationForTesting(*w.alice.session, kBobTag);
    if (c == nullptr || !c->encrypted()) OTR_FUZZ_FAIL();
  }
  for (std::string& s : out.to_send) w.to_bob.push_back(std::move(s));
}

void DeliverToBob(World& w) {
  if (w.to_bob.empty()) return;
  const std::string text = std::move(w.to_bob.front());
  w.to_bob.pop_front();
  // Bob's replies go to alice as the transport would (PumpV4).
  Output reply = w.bob.session->Receive(w.bob.clock.NowSeconds(), text);
  PumpV4(w.alice, w.bob, std::move(reply), false);
}

void Answer(World& w, ByteSource& in, bool no_ensembles, const Bytes& text) {
  const uint8_t flags = in.Next();
  const uint8_t fragment_size = in.Next();
  const wire::InstanceTag receiver = (flags & 1) != 0 ? w.query_tag ^ 0x10 : w.query_tag;
  Bytes participant(kBobIdentity, kBobIdentity + sizeof(kBobIdentity) - 1);
  if ((flags & 2) != 0) participant.back() ^= 1;
  bool surely_ignored = (flags & 3) != 0;
  prekey::Message message;
  if (no_ensembles) {
    message = prekey::NoPrekeyEnsemblesInStorage{receiver, participant, text};
    surely_ignored = true;
  } else {
    prekey::PrekeyEnsembleRetrieval r;
    r.receiver_instance_tag = receiver;
    r.participant_identity = participant;
    const size_t count = 1 + in.Next() % 4;
    bool all_invalid = true;
    for (size_t i = 0; i < count; ++i) {
      Validity validity = Validity::kMaybeValid;
      const uint8_t index = in.Next();
      const uint8_t change = in.Next();
      r.ensembles.push_back(AnswerEnsemble(
          index, change, static_cast<int64_t>(w.alice.clock.NowSeconds()), validity));
      all_invalid = all_invalid && validity == Validity::kSurelyInvalid;
    }
    surely_ignored = surely_ignored || all_invalid;
    message = std::move(r);
  }
  const std::string encoded = prekey::EncodeForTransport(message);
  w.answers.push_back(encoded);
  // Sent twice: the second is ignored when the first ended the retrieval
  // (FromServer checks that whatever comes while none is in flight changes
  // nothing). The pieces of a fragmented answer are only claimed ignored
  // when addressed to another instance (the reassembler drops them): a
  // stale buffer of the same identifier (op 0's text) could mix with them.
  const int times = (flags & 8) != 0 ? 2 : 1;
  for (int t = 0; t < times; ++t) {
    if ((flags & 4) != 0) {
      auto pieces = prekey::Fragment(encoded, size_t{fragment_size} + 40, in.Next32(), 0, receiver);
      if (!pieces.ok()) continue;
      for (const std::string& piece : *pieces) FromServer(w, piece, (flags & 1) != 0);
    } else {
      FromServer(w, encoded, surely_ignored);
    }
  }
}

// A message for a client that no retrieval awaits.
void Unawaited(World& w, ByteSource& in) {
  const uint8_t kind = in.Next();
  const uint32_t tag = (kind & 0x80) != 0 ? in.Next32() : w.query_tag;
  v4::Mac mac{};
  for (uint8_t& b : mac) b = in.Next();
  prekey::Message message;
  switch (kind % 5) {
    case 0:
      message = prekey::StorageStatus{tag, in.Next32(), mac};
      break;
    case 1:
      message = prekey::Success{tag, mac};
      break;
    case 2:
      message = prekey::Failure{tag, mac};
      break;
    case 3: {
      prekey::Dake2 d;
      d.receiver_instance_tag = tag;
      d.server_identity.identity = Bytes(kServer, kServer + sizeof(kServer) - 1);
      message = std::move(d);
      break;
    }
    default: {
      prekey::PrekeyEnsembleQueryRetrieval q;
      q.sender_instance_tag = tag;
      q.participant_identity = Bytes(kBobIdentity, kBobIdentity + sizeof(kBobIdentity) - 1);
      q.versions = Bytes{'4'};
      message = std::move(q);
      break;
    }
  }
  FromServer(w, prekey::EncodeForTransport(message), true);
}

void Act(World& w, ByteSource& in) {
  switch (in.Next() % 6) {
    case 0:
      DeliverToBob(w);
      break;
    case 1:
      if (!w.to_bob.empty()) w.to_bob.pop_front();
      break;
    case 2:
      for (size_t i = 0; i < 16 && !w.to_bob.empty(); ++i) DeliverToBob(w);
      break;
    case 3: {
      const ByteView rest = in.Rest();
      Output out =
          w.alice.session->Send(w.alice.clock.NowSeconds(), std::string(rest.begin(), rest.end()));
      for (std::string& s : out.to_send) w.to_bob.push_back(std::move(s));
      break;
    }
    case 4: {
      w.alice.clock.now += uint64_t{in.Next()} * 10;
      Output out = w.alice.session->HandleTimeout(w.alice.clock.NowSeconds());
      if (!out.to_prekey_server.empty()) OTR_FUZZ_FAIL();
      for (std::string& s : out.to_send) w.to_bob.push_back(std::move(s));
      break;
    }
    default: {
      Output out = w.alice.session->EndOtr(w.alice.clock.NowSeconds());
      for (std::string& s : out.to_send) w.to_bob.push_back(std::move(s));
      break;
    }
  }
}

void Run(World& w, const RecordView& record, bool interactive_only) {
  ByteSource in(record.payload);
  switch (record.op % kOpCount) {
    case 0:
      FromServer(w, std::string(record.payload.begin(), record.payload.end()),
                 /*surely_ignored=*/false);
      break;
    case 1:
      FromServer(w, wire::EncodeBase64(record.payload) + ".", /*surely_ignored=*/false);
      break;
    case 2:
      Ask(w, interactive_only);
      break;
    case 3:
      Answer(w, in, /*no_ensembles=*/false, {});
      break;
    case 4: {
      in.Next();
      in.Next();
      const ByteView rest = in.Rest();
      ByteSource flags(record.payload);
      Answer(w, flags, /*no_ensembles=*/true, Bytes(rest.begin(), rest.end()));
      break;
    }
    case 5:
      Unawaited(w, in);
      break;
    case 6:
      if (!w.answers.empty()) {
        FromServer(w, w.answers[in.Next() % w.answers.size()], /*surely_ignored=*/false);
      }
      break;
    default:
      Act(w, in);
      break;
  }
  Check(w);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const InputView input = ViewInput(data, size);
  World w(input, InputSeed(data, size));
  const bool interactive_only = AliceInteractiveOnly(input);
  if ((input.header[1] & 1) != 0) Ask(w, interactive_only);
  Check(w);
  for (size_t i = 0; i < input.records.size() && i < 64; ++i) {
    Run(w, input.records[i], interactive_only);
  }
  // Whatever happened, alice's traffic is delivered, and the two can still
  // talk.
  for (size_t i = 0; i < 16 && !w.to_bob.empty(); ++i) DeliverToBob(w);
  Check(w);
  CheckLiveness(w.alice, w.bob);
  return 0;
}

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size, size_t max_size,
                                          unsigned int seed) {
  return MutateStatefulInput(
      data, size, max_size, seed, [](uint8_t) { return PayloadShape{}; }, kOpCount);
}
