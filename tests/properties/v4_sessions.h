// Two Sessions that speak OTRv4 (issue 17), each on a crypto backend of its
// own with a random source and a v4 identity of its own, and a network the
// test controls: everything a session sends waits in flight until the test
// delivers it, in any order, drops it, or delivers it again (an attacker).
// What each session displayed and reported is recorded. Used by the
// Session-level properties (replay and reorder, key erasure) and by
// tests/session/v4_hardening_test.cc.
#ifndef OTR_TESTS_PROPERTIES_V4_SESSIONS_H_
#define OTR_TESTS_PROPERTIES_V4_SESSIONS_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "crypto/backend.h"
#include "crypto/testing/deterministic_random.h"
#include "protocol/api/output.h"
#include "protocol/api/policy.h"
#include "protocol/session/session.h"
#include "protocol/v4/engine/identity.h"

namespace otr::properties::v4s {

// The sessions' clock at the start (the Client Profiles are valid from here).
inline constexpr uint64_t kStart = 1'700'000'000;

// A policy with ALLOW_V4 in `mode` (the v3-compatible mode also allows v3).
Policy V4Policy(V4Mode mode);

struct Options {
  Policy policy[2] = {V4Policy(V4Mode::kV4InteractiveOnly), V4Policy(V4Mode::kV4InteractiveOnly)};
  v4::ratchet::Limits ratchet_limits;
  uint64_t session_expiry_seconds = 2 * 60 * 60;
  uint64_t heartbeat_seconds = 60;
};

struct Party {
  const crypto::Backend* backend = nullptr;
  std::unique_ptr<crypto::testing::DeterministicRandom> random;
  std::unique_ptr<v4::Identity> identity;
  std::optional<Session> session;
  std::vector<std::string> shown;  // encrypted text displayed, in order
  std::vector<std::string> shown_plain;
  std::vector<Event> events;
};

// One transport message on the network.
struct Packet {
  int to = 0;
  std::string text;
};

class Sessions {
 public:
  // Alice (0) on `alice_backend`, Bob (1) on `bob_backend`.
  static Result<std::unique_ptr<Sessions>> Create(const crypto::Backend& alice_backend,
                                                  const crypto::Backend& bob_backend, uint64_t seed,
                                                  const Options& options = {});

  Party& party(int who) { return *party_[who]; }
  Session& session(int who) { return *party_[who]->session; }
  uint64_t now = kStart;

  // Takes what `who`'s session returned: its transport messages go in
  // flight to the other party, displays and events are recorded.
  void Take(int who, Output out);
  // Runs a user action of `who` at `now`: Take(who, f(session, now)).
  template <typename F>
  void Act(int who, F&& f) {
    Take(who, f(*party_[who]->session, now));
  }
  // Delivers in-flight packet `index` (removed from the flight).
  void Deliver(size_t index);
  // Hands `text` to `to` as if it came from the network (an attacker's
  // message, or a replay); what `to` answers goes in flight.
  void Inject(int to, const std::string& text);
  // Delivers in order until nothing is in flight (at most `limit` packets).
  void Flush(int limit = 1000);

  const std::vector<Packet>& in_flight() const { return in_flight_; }
  std::vector<Packet>& mutable_in_flight() { return in_flight_; }
  // Every packet ever sent, in order, and every packet delivered.
  const std::vector<Packet>& sent() const { return sent_; }
  const std::vector<Packet>& delivered() const { return delivered_; }

  // Alice starts OTR and the network delivers everything: kBadState unless
  // both sides are then ENCRYPTED in version 4.
  Status Establish();

 private:
  std::unique_ptr<Party> party_[2];
  std::vector<Packet> in_flight_;
  std::vector<Packet> sent_;
  std::vector<Packet> delivered_;
};

// True when some event of `who` so far is of `type`.
bool HasEvent(const Party& p, EventType type);

}  // namespace otr::properties::v4s

#endif  // OTR_TESTS_PROPERTIES_V4_SESSIONS_H_
