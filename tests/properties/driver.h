// Runs a Scenario between two in-memory Sessions and records the public
// transcript (every transport message in the order it was sent) and every
// delivery, so the property tests can judge what a third party holding
// only the transcript could do.
#ifndef OTR_TESTS_PROPERTIES_DRIVER_H_
#define OTR_TESTS_PROPERTIES_DRIVER_H_

#include <array>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "crypto/backend.h"
#include "crypto/testing/deterministic_random.h"
#include "protocol/session/session.h"
#include "protocol/session/testing.h"
#include "protocol/v3/keys/key_state.h"
#include "protocol/v3/messages.h"
#include "tests/properties/scenario.h"

namespace otr::properties {

// The time every session of a property run is given: frozen, so a run
// depends on its seed only (heartbeats never fall due).
inline constexpr uint64_t kNow = 1000;

// One transport message as it crossed the wire.
struct Sent {
  int from = 0;
  std::string wire;
  std::optional<v3::Message> decoded;     // binary OTR messages
  std::optional<std::string> known_text;  // what the user typed, if this carries it
  std::array<uint8_t, 8> sender_ssid{};   // the sender's session when it was sent
  bool sender_encrypted = false;
  const v3::DataMessage* data() const {
    return decoded ? std::get_if<v3::DataMessage>(&*decoded) : nullptr;
  }
};

// One delivery of a transcript entry to the other party.
struct Delivery {
  size_t sent = 0;  // index into transcript()
  bool replay = false;
  // The receiving conversation's keys just before, when snapshots are on
  // and the conversation had keys (a Data Message's judge).
  std::optional<v3::KeyState> receiver_keys;
  bool verifies = false;               // receiver_keys->Verify accepted it
  std::vector<std::string> displayed;  // encrypted text shown as a result
  bool undecryptable = false;
};

struct DriverOptions {
  // Copy the receiver's KeyState before every Data Message delivery. Off for
  // the erasure and forward-secrecy properties, where test-held copies
  // would count as secrets still held.
  bool snapshots = false;
  // Called after the start and after every step.
  std::function<void()> after_step;
};

class Driver {
 public:
  Driver(const crypto::Backend& backend, const Scenario& scenario, DriverOptions options);

  // Starts OTR as the scenario says, then runs every step. kBadState when the
  // start did not reach an encrypted session of the scenario's version.
  Status Run();
  // `rounds` times: Alice sends, everything is delivered, Bob sends, the
  // same (rotates the keys of both sides twice per round).
  void PingPong(int rounds);
  // Re-delivers every Data Message delivered so far, in order (an attacker).
  void ReplayAll();
  // Both parties end OTR (the starter first) and everything is delivered.
  void EndBoth();

  Session& session(int who) { return *party_[who]->session; }
  const std::vector<Sent>& transcript() const { return transcript_; }
  const std::vector<Delivery>& deliveries() const { return deliveries_; }
  // The keys of the conversation `who` uses now (null when not encrypted).
  const v3::KeyState* keys(int who);
  const v3::Conversation& conversation(int who);
  int smp_runs() const { return smp_runs_; }

  static const crypto::DsaPrivateKey& LongTermKey(const crypto::Backend& backend, int who);

 private:
  struct Party {
    explicit Party(uint64_t seed) : random(seed) {}
    crypto::testing::DeterministicRandom random;
    std::optional<Session> session;
  };

  void Take(int from, Output out, const std::optional<std::string>& text = {});
  void Deliver(int from, size_t index);
  void DeliverSent(size_t sent, int to, bool replay);
  void Flush();
  void RunStep(const Step& step);
  const v3::Conversation* Receiving(int to, const v3::Message& m);

  const crypto::Backend& backend_;
  Scenario scenario_;
  DriverOptions options_;
  std::unique_ptr<Party> party_[2];  // Sessions point at their random
  std::deque<size_t> pending_[2];    // transcript indices waiting, per sender
  std::vector<Sent> transcript_;
  std::vector<Delivery> deliveries_;
  int smp_runs_ = 0;
};

}  // namespace otr::properties

#endif  // OTR_TESTS_PROPERTIES_DRIVER_H_
