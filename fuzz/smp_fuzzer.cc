// Fuzzes the Socialist Millionaires' Protocol (otr v3 spec, "The SMP state
// machine") between an established Session "alice" and a peer "bob" that
// the fuzzer owns, secrets included: user actions on both sides, reordered,
// dropped and repeated messages, SMP TLVs that bob seals with his real keys
// (so they pass the MAC check and reach the SMP logic), and bob's real SMP
// messages with one MPI or record changed before he seals them.
//
// Input (fuzz/support/harness.h): header byte 0 bit 0 picks v2 (else v3);
// then records:
//   op 0/1: alice/bob starts SMP ([secret choice][question?])
//   op 2/3: alice/bob answers with a secret ([secret choice])
//   op 4:   [who] aborts SMP
//   op 5:   [direction][index][how]: deliver, drop or repeat a message in flight
//   op 6:   a plaintext (message NUL TLVs) that bob seals for alice (custom
//           mutator: TLV list and SMP MPIs)
//   op 7:   [index] then choices: bob's message in flight to alice is
//           opened, its TLVs changed, and resealed by bob
// Invariants after every record: every state is a state of the tables;
// both stay ENCRYPTED; alice reports success only with a secret bob has
// used; in a single run without injected, dropped, repeated or aborted
// messages, bob never sees one of alice's proofs fail ("cheated").
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "fuzz/support/harness.h"
#include "fuzz/support/mutator.h"
#include "protocol/v3/tlv.h"

namespace {

using namespace otr;
using namespace otr::fuzzing;

constexpr uint8_t kOpCount = 8;
constexpr std::string_view kSecrets[] = {"the same secret", "another secret", ""};

// The AKE between the fixed parties, run once per version (its seeds are
// fixed: every input starts from the same established pair) and copied for
// each input with both parties' randomness as it was after the AKE, so an
// input runs exactly as after an AKE of its own (decision 0037).
const PairTemplate& Established(bool v2) {
  static std::optional<PairTemplate> templates[2];
  std::optional<PairTemplate>& t = templates[v2 ? 1 : 0];
  if (!t) {
    const Policy policy = v2 ? Policy{.allow_v2 = true} : Policy::Manual();
    Party alice(0, policy, 5);
    Party bob(1, policy, 6);
    Pump(alice, bob, bob.session->StartOtr(bob.clock.NowSeconds()), false);
    if (alice.session->state() != ConversationState::kEncrypted) OTR_FUZZ_FAIL();
    t.emplace(alice, bob);
  }
  return *t;
}

struct World {
  explicit World(PairTemplate::Pair pair)
      : alice(std::move(pair.alice)), bob(std::move(pair.bob)) {}

  void Take(Output out, bool from_alice) {
    for (std::string& s : out.to_send) (from_alice ? to_bob : to_alice).push_back(std::move(s));
    for (const Event& e : out.events) {
      if (from_alice) {
        if (e.type() == EventType::kSmpSucceeded && bob_secrets.count(alice_secret) == 0) {
          OTR_FUZZ_FAIL();  // success with a secret bob never used
        }
      } else if (e.type() == EventType::kSmpCheated && simple()) {
        OTR_FUZZ_FAIL();  // alice's genuine proofs failed to verify
      }
    }
  }

  Party alice, bob;
  std::deque<std::string> to_alice, to_bob;
  std::string alice_secret;
  std::set<std::string> bob_secrets;
  bool injected = false;   // alice has received data the fuzzer made
  bool ended = false;      // an injected TLV 1 ended the conversation
  int starts = 0;          // SMP runs started, by either side
  bool disturbed = false;  // an abort, a dropped or a repeated message
  // One run, genuine messages in order: every proof must verify.
  bool simple() const { return !injected && !disturbed && starts <= 1; }
};

std::string_view Secret(ByteSource& in) { return kSecrets[in.Next() % std::size(kSecrets)]; }

void Deliver(World& w, bool to_alice, size_t index, uint8_t how) {
  auto& queue = to_alice ? w.to_alice : w.to_bob;
  if (queue.empty()) return;
  index %= queue.size();
  const std::string text = queue[index];
  if (how % 4 != 3) queue.erase(queue.begin() + index);  // 3: repeat later
  if (how % 4 >= 2 || index != 0) w.disturbed = true;
  if (how % 4 == 2) return;  // dropped
  Party& receiver = to_alice ? w.alice : w.bob;
  // What the receiver answers is the receiver's (it was !to_alice, as in
  // v4_session_smp_fuzzer: corpus/v4_session_smp_fuzzer/finding_reply_direction_58a37cbf).
  w.Take(receiver.session->Receive(receiver.clock.NowSeconds(), text), /*from_alice=*/to_alice);
}

void Inject(World& w, ByteView plaintext) {
  auto sealed = SealAsPeer(*w.bob.session, HeaderFrom(*w.bob.session, *w.alice.session),
                           v3::kFlagIgnoreUnreadable, plaintext, w.bob.random);
  if (!sealed) return;
  w.injected = true;
  auto payload = v3::DecodeDataPayload(plaintext);
  if (payload.ok()) {
    for (const v3::TlvRecord& r : payload->tlvs) {
      if (r.type == static_cast<uint16_t>(v3::TlvType::kDisconnected)) w.ended = true;
    }
  }
  w.Take(w.alice.session->Receive(w.alice.clock.NowSeconds(), Armor(*sealed)), true);
}

void Run(World& w, const RecordView& record) {
  ByteSource in(record.payload);
  switch (record.op % kOpCount) {
    case 0: {
      const std::string secret(Secret(in));
      const bool ask = in.Next() % 2 == 1;
      Output out =
          w.alice.session->StartSmp(w.alice.clock.NowSeconds(), secret,
                                    ask ? std::optional<std::string_view>("q?") : std::nullopt);
      // Only an action that sent something took effect.
      if (!out.to_send.empty()) {
        w.alice_secret = secret;
        ++w.starts;
      }
      w.Take(std::move(out), true);
      break;
    }
    case 1: {
      const std::string secret(Secret(in));
      w.bob_secrets.insert(secret);
      Output out = w.bob.session->StartSmp(w.bob.clock.NowSeconds(), secret);
      if (!out.to_send.empty()) ++w.starts;
      w.Take(std::move(out), false);
      break;
    }
    case 2: {
      const std::string secret(Secret(in));
      Output out = w.alice.session->RespondSmp(w.alice.clock.NowSeconds(), secret);
      if (!out.to_send.empty()) w.alice_secret = secret;
      w.Take(std::move(out), true);
      break;
    }
    case 3: {
      const std::string secret(Secret(in));
      w.bob_secrets.insert(secret);
      w.Take(w.bob.session->RespondSmp(w.bob.clock.NowSeconds(), secret), false);
      break;
    }
    case 4:
      w.disturbed = true;
      if (in.Next() % 2 == 0) {
        w.Take(w.alice.session->AbortSmp(w.alice.clock.NowSeconds()), true);
      } else {
        w.Take(w.bob.session->AbortSmp(w.bob.clock.NowSeconds()), false);
      }
      break;
    case 5: {
      const bool to_alice = in.Next() % 2 == 0;
      const size_t index = in.Next();
      Deliver(w, to_alice, index, in.Next());
      break;
    }
    case 6:
      Inject(w, record.payload);
      break;
    default: {
      if (w.to_alice.empty()) break;
      const size_t index = in.Next() % w.to_alice.size();
      auto message = Dearmor(w.to_alice[index]);
      if (!message) break;
      const auto* data = std::get_if<v3::DataMessage>(&*message);
      if (data == nullptr) break;
      auto plaintext = PeekPlaintext(*w.alice.session, *data);
      if (!plaintext) break;
      InputChoices choices(in);
      Inject(w, MutatePlaintext(*plaintext, choices));
      break;
    }
  }
  CheckStates(*w.alice.session);
  CheckStates(*w.bob.session);
  if (!w.ended && (w.alice.session->state() != ConversationState::kEncrypted ||
                   w.bob.session->state() != ConversationState::kEncrypted)) {
    OTR_FUZZ_FAIL();  // SMP never changes the message state
  }
}

PayloadShape ShapeOfOp(uint8_t op) {
  return op % kOpCount == 6 ? PayloadShape{PayloadKind::kPlaintext, 0} : PayloadShape{};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const InputView input = ViewInput(data, size);
  World w(Established((input.header[0] & 1) != 0).Copy());
  if (w.alice.session->state() != ConversationState::kEncrypted) OTR_FUZZ_FAIL();
  for (size_t i = 0; i < input.records.size() && i < 48; ++i) Run(w, input.records[i]);
  return 0;
}

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size, size_t max_size,
                                          unsigned int seed) {
  return MutateStatefulInput(data, size, max_size, seed, ShapeOfOp, kOpCount);
}
