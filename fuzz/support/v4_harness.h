// Shared pieces of the stateful OTRv4 fuzzers (v4_session_dake_fuzzer,
// v4_session_established_fuzzer, v4_session_smp_fuzzer), the v4 side of
// harness.h: two Sessions that allow v4, with fixed long-term keys (H, F and
// a Client Profile per party, made once) and deterministic randomness, so an
// input replays byte for byte; invariants over every v4 conversation of a
// session; and the "fuzzer holds both ends" hooks: bob's real ratchet seals
// any plaintext (so fuzzed payloads get past the Authenticator), and a
// message with a field changed after sealing is re-MACed with bob's MKmac
// (otrv4.md, "When you send a Data Message"), so the change reaches
// decryption and the ratchet instead of stopping at the MAC check.
//
// Established worlds are expensive to make (a DAKE: ring signatures, DH
// 3072-bit keys), so each configuration is established once and copied for
// every input (Session is copyable: the model explorer branches the same
// way). Both parties' randomness is then re-seeded from the input and a
// warm-up exchange turns both ratchets with that randomness: every key that
// can verify a later message depends on the input, so (as for v3) no input
// can carry a genuine future message of bob, and the harness knows exactly
// which inputs are valid: those it had bob produce during the run.
#ifndef OTR_FUZZ_SUPPORT_V4_HARNESS_H_
#define OTR_FUZZ_SUPPORT_V4_HARNESS_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/bytes.h"
#include "crypto/random.h"
#include "crypto/secret_bytes.h"
#include "crypto/testing/deterministic_random.h"
#include "fuzz/support/harness.h"
#include "fuzz/support/mutator.h"
#include "protocol/api/output.h"
#include "protocol/api/policy.h"
#include "protocol/session/session.h"
#include "protocol/v4/crypto/fingerprint.h"
#include "protocol/v4/engine/identity.h"
#include "protocol/v4/engine/prekey_store.h"
#include "protocol/v4/messages/messages.h"

namespace otr::fuzzing {

// A first-in first-out queue on one vector: what std::deque does here
// without its allocations when constructed (two, for every queue of every
// input) and its block per few strings. Taken items stay until the queue
// runs empty; the queues are short (a message or two in flight).
template <typename T>
class Fifo {
 public:
  bool empty() const { return head_ == items_.size(); }
  T& front() { return items_[head_]; }
  void push_back(T item) {
    if (items_.empty()) items_.reserve(8);
    items_.push_back(std::move(item));
  }
  void pop_front() {
    if (++head_ == items_.size()) {
      items_.clear();
      head_ = 0;
    }
  }
  auto begin() const { return items_.begin() + static_cast<std::ptrdiff_t>(head_); }
  auto end() const { return items_.end(); }

 private:
  std::vector<T> items_;
  size_t head_ = 0;
};

// The fixed instance tags (harness.h's Party uses the same).
inline constexpr wire::InstanceTag kAliceTag = 0x1000a11c;
inline constexpr wire::InstanceTag kBobTag = 0x10000b0b;
// The time both parties start at; the Client Profiles are valid a week from
// here (the fuzzers advance time by at most a few hours per record).
inline constexpr uint64_t kV4StartTime = 1'000'000;

// who == 0: alice, 1: bob. Made once (deterministic keys), owner tag fixed.
const v4::Identity& FixedV4Identity(int who);

// Every session of a party (templates and their copies) draws from
// PartyRandom(who) (harness.h), re-seeded for each world.

// The policies the headers choose from: v3-compatible (Manual with v4),
// v4-standalone, v4-interactive-only, Opportunistic with v4.
Policy V4PolicyFromBits(uint8_t bits);

struct V4Party {
  // Re-seeds PartyRandom(who) with `seed` and makes the session. A copy
  // shares the party's random source. `prekey_store` (offline receivers,
  // v4_session_offline_fuzzer) must outlive the session; `prekey_server`
  // (where RequestPrekeyEnsembles asks, v4_session_prekey_fuzzer) is copied.
  V4Party(int who, Policy policy, uint64_t seed, v4::PrekeyStore* prekey_store = nullptr,
          const PrekeyServerConfig* prekey_server = nullptr);

  int who = 0;
  crypto::Random& random() const { return PartyRandom(who); }
  FixedClock clock;
  std::optional<Session> session;
  // session->our_v4_fingerprint(), as the peer's conversations must show it
  // (computed once: the checks compare it after every record).
  v4::Fingerprint fingerprint{};
  wire::InstanceTag tag() const { return who == 0 ? kAliceTag : kBobTag; }
  wire::InstanceTag peer_tag() const { return who == 0 ? kBobTag : kAliceTag; }
};

// The traffic of a pump: what each party was shown, and its events.
struct Exchange {
  std::vector<Displayed> alice_display, bob_display;
  std::vector<Event> alice_events, bob_events;
};

// Delivers `out` (produced by alice if `from_alice`) and every reply until
// both are quiet, at most 64 messages.
Exchange PumpV4(V4Party& alice, V4Party& bob, Output out, bool from_alice);

// --- Invariants ----------------------------------------------------------
// Every conversation of `session` is in a state of the tables (v3 ones too);
// v4: ENCRYPTED_MESSAGES has a ratchet and the peer's fingerprint, SMP is at
// EXPECT1 outside it, the stored message keys and MAC keys to reveal are
// within the ratchet's limits; at most kMaxPeerInstances + 1 instances.
void CheckV4Session(const Session& session);
// The checks CheckV4Session shares with the libotr-ng profile's target: the
// instances bounded, every conversation in a state of the tables, SMP at
// EXPECT1 outside ENCRYPTED_MESSAGES, an encrypted v4 conversation with the
// peer's Ed448 fingerprint, the Session's state one of the three; `check`
// then sees each v4 conversation (the ratchet's or the variant's own rules).
void CheckV4Instances(const Session& session,
                      const std::function<void(const v4::Conversation&)>& check);

// What alice's conversation with bob looks like from outside: encrypted,
// SSID, the peer's fingerprint, a SHAKE-256 over every secret the ratchet
// holds (zero without a ratchet), how many keys it stores.
struct V4Snapshot {
  bool exists = false;
  bool encrypted = false;
  std::array<uint8_t, 8> ssid{};
  std::optional<v4::Fingerprint> fingerprint;
  std::array<uint8_t, 32> secrets_hash{};
  size_t stored_keys = 0;
  friend bool operator==(const V4Snapshot&, const V4Snapshot&) = default;
};
V4Snapshot SnapshotV4(const Session& session, wire::InstanceTag peer);

// Every encrypted conversation of `session` is with `peer`: a v4 one has
// peer's v4 fingerprint (only the owner of H, or of a ring secret the
// fuzzer does not hold, can sign a DAKE as peer), a v3 one peer's DSA key or
// the session's own (the fuzzer can reflect its messages: session_ake_fuzzer).
void CheckOnlyPeerEncrypts(const Session& session, const V4Party& peer);

// A copy of `original` (a message of the transcript) with 1-3 fields changed
// by MutateV4Message, choices from `in`; `same_maced_part` tells whether the
// Authenticator still covers it unchanged (a Data Message whose only change
// is a revealed MAC key: still the honest peer's message). std::nullopt
// when `original` is no v4 message.
struct ChangedMessage {
  std::string text;
  bool same_maced_part = false;
};
std::optional<ChangedMessage> ChangeV4Message(const std::string& original, ByteSource& in);

bool AnyEncryptedDisplay(const std::vector<Displayed>& display);
bool HasEvent(const std::vector<Event>& events, EventType type);

// --- Both ends' secrets ---------------------------------------------------
struct Sealed {
  v4::DataMessage message;
  // MKmac of the message when the harness could derive it (bob's chain was
  // already running: the key is derive_enc_mac_keys(chain_key_s)).
  std::optional<crypto::SecretBytes> mk_mac;
};
// Bob's conversation with alice seals `plaintext` with its real ratchet (it
// advances as for bob's own Send). std::nullopt unless bob has a ratchet.
std::optional<Sealed> SealAsBob(V4Party& bob, uint8_t flags, ByteView plaintext);
// Recomputes the Authenticator of `message` with `mk_mac`.
void ReMac(v4::DataMessage& message, const crypto::SecretBytes& mk_mac);
// Decrypts a Data Message addressed to `receiver`'s conversation with its
// peer without changing any state (PrepareReceive is const).
std::optional<Bytes> PeekPlaintextV4(const V4Party& receiver, const v4::DataMessage& message);

std::string ArmorV4(const v4::Message& message);
std::optional<v4::Message> DearmorV4(std::string_view text);

// --- Established worlds ------------------------------------------------------
struct V4World {
  V4Party alice, bob;
};
// A world in which alice and bob completed a DAKE (configuration `config`:
// bit 0 who starts, bits 1-2 the policies), copied from a template made on
// first use, re-seeded from `seed`, and warmed up: messages both ways until
// both ratchets turned with the input's randomness. Traps if the DAKE fails.
V4World EstablishedV4World(uint8_t config, uint64_t seed);

// The honest peer can still talk: bob's message reaches alice (after a new
// DAKE bob starts if theirs is gone, or alice's if bob's cannot reach her;
// if neither, after both end: a DAKE alice left in WAITING_AUTH_I ignores
// bob's new Identity message, which does not name her instance). Traps
// otherwise.
void CheckLiveness(V4Party& alice, V4Party& bob);

// --- The op loop of the DAKE targets -----------------------------------------
// The record dispatch shared by v4_session_dake_fuzzer (target alice, peer
// bob) and v4_session_offline_fuzzer (target bob, peer alice): a party under
// test fed fuzzed inbound input, its honest peer, the traffic in flight and
// the transcript (messages delivered so far) that ops 2 and 6 change and
// replay. Ops (record.op % kOpCount):
//   0: raw transport text to the target
//   1: a binary OTRv4 message (the custom mutator's kV4Message), armoured
//   2: a message of the transcript with 1-3 fields changed (ChangeV4Message)
//   3: deliver the next message in flight
//   4: an action of the target, 5: of the peer (payload byte % 4: start,
//      send the rest of the payload, end, time passes by the next byte
//      times time_step seconds, then HandleTimeout)
//   6: a message of the transcript replayed unchanged to the target
//   7: drop the next message in flight
class V4OpLoop {
 public:
  static constexpr uint8_t kOpCount = 8;

  // `transcribe_both_ways`: the transcript keeps what reaches either party
  // (else only what reaches the target). The parties must outlive the loop.
  V4OpLoop(V4Party& target, V4Party& peer, bool transcribe_both_ways, uint64_t time_step);
  virtual ~V4OpLoop() = default;
  V4OpLoop(const V4OpLoop&) = delete;
  V4OpLoop& operator=(const V4OpLoop&) = delete;

  // Queues what `sender` sent (for the other party).
  void Take(Output out, const V4Party& sender);
  void DeliverNext();
  // Delivers what is in flight, replies included (at most 64 messages).
  void Drain();
  // Text the peer sent in this run (delivered or in flight).
  bool KnownText(const std::string& text) const;
  // Runs one record; true when what the target got came from the honest
  // peer or a user action (the fuzzers' "an established session keeps its
  // keys through input that did not come from the peer" invariant).
  bool Run(const RecordView& record);

  static PayloadShape ShapeOfOp(uint8_t op) {
    return op % kOpCount == 1 ? PayloadShape{PayloadKind::kV4Message, 0} : PayloadShape{};
  }

 protected:
  // Everything that reaches the target goes through here (an override may
  // check around it).
  virtual void ToTarget(const std::string& text);
  // Action 0 of `who`: StartOtr unless overridden (an offline start).
  virtual void Start(V4Party& who, ByteSource& in);

  V4Party& target_;
  V4Party& peer_;

 private:
  void Act(V4Party& who, ByteSource& in);

  const bool transcribe_both_ways_;
  const uint64_t time_step_;
  struct Queued {
    std::string text;
    bool to_target = false;
  };
  Fifo<Queued> in_flight_;
  // Added to by DeliverNext only: ToTarget may be given one of its strings.
  std::vector<std::string> transcript_;
};

}  // namespace otr::fuzzing

#endif  // OTR_FUZZ_SUPPORT_V4_HARNESS_H_
