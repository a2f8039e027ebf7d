// A network between two test peers: what one sends is queued for the
// other; Run() delivers in order (or the test takes messages off the queue
// to reorder, drop or replay them). Each peer's displays and events are
// collected.
#ifndef OTR_TESTS_V4_ENGINE_NET_H_
#define OTR_TESTS_V4_ENGINE_NET_H_

#include <deque>
#include <string>
#include <utility>

#include "tests/v4/engine/peer.h"

namespace otr::v4::testing {

struct Net {
  Net(Peer& a, Peer& b) : peers{&a, &b} {}
  Peer* peers[2];
  uint64_t now = kStartTime;
  Output seen[2];                                // displays and events of each peer
  std::deque<std::pair<int, std::string>> wire;  // (receiver, transport text)
  std::vector<std::string> sent[2];              // everything each peer sent

  // Takes what peer `from` output: its transport messages go on the wire.
  void Take(int from, Output& out) {
    for (std::string& s : out.to_send) {
      sent[from].push_back(s);
      wire.emplace_back(1 - from, std::move(s));
    }
    for (Displayed& d : out.display) seen[from].display.push_back(std::move(d));
    for (Event& e : out.events) seen[from].events.push_back(std::move(e));
    out = Output{};
  }
  void DeliverTo(int to, const std::string& text) {
    Output out;
    peers[to]->Deliver(text, out, now);
    Take(to, out);
  }
  // Delivers until the wire is quiet (at most `limit` messages).
  void Run(int limit = 1000) {
    while (!wire.empty() && limit-- > 0) {
      auto [to, text] = std::move(wire.front());
      wire.pop_front();
      DeliverTo(to, text);
    }
  }
  template <typename F>
  void Act(int who, F&& f) {
    Output out;
    f(*peers[who]->conversation, out, *peers[who]->random, now);
    Take(who, out);
  }
  void Clear() {
    seen[0] = Output{};
    seen[1] = Output{};
  }
};

}  // namespace otr::v4::testing

#endif  // OTR_TESTS_V4_ENGINE_NET_H_
