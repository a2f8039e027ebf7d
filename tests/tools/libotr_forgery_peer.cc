// A conversation between Alice (our engine, or libotr 4.1.1) and Bob
// (libotr 4.1.1) that a shell script drives line by line, to test the `otr`
// toolkit end to end (forgery_cli_test.sh). Bob is the judge of forgeries.
//
//   libotr_forgery_peer --sender ours|libotr --version 2|3
//
// On start it runs the AKE and two chat rounds. Commands on stdin, each
// answered by lines ending with "ok":
//   send <text>     Alice sends <text>, kept from Bob: "pending <message>",
//                   then Bob's D-H state: "bob-dh <keyid> <private-hex>"
//                   (current and previous) and "alice-dh <keyid> <public-hex>"
//                   (Alice's current and previous public values Bob holds).
//   deliver <msg>   Bob receives <msg>: "displayed <text>" or "refused".
//   chat <n>        n more rounds.
// Every transport message is printed as "wire <alice|bob> <message>".
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "crypto/backends.h"
#include "crypto/random.h"
#include "protocol/session/session.h"
#include "tests/interop/libotr_peer.h"

namespace otr {
namespace {

using testing::LibotrPeer;

// The time given to the sessions: fixed, so runs repeat.
constexpr uint64_t kNow = 1000;

class Conversation {
 public:
  Conversation(bool libotr_sender, int version) : version_(version) {
    const auto policy = version == 2 ? LibotrPeer::Policy::kV2Only : LibotrPeer::Policy::kManual;
    bob_ = std::make_unique<LibotrPeer>("bob", "alice", policy);
    if (libotr_sender) {
      libotr_alice_ = std::make_unique<LibotrPeer>("alice", "bob", policy);
    }
  }

  bool Start() {
    if (!libotr_alice_) {
      const crypto::Backend& backend = crypto::DefaultBackend();
      auto key = backend.GenerateDsaKey();
      if (!key.ok()) return false;
      key_.emplace(std::move(key).value());
      SessionConfig config;
      config.backend = &backend;
      config.identity.dsa = &*key_;
      config.policy = Policy::Manual();
      config.policy.allow_v3 = version_ == 3;
      auto s = Session::Create(config, random_);
      if (!s.ok()) return false;
      our_alice_.emplace(std::move(s).value());
    }
    Pump({version_ == 3 ? "?OTRv3?" : "?OTRv2?"});
    return bob_->encrypted() && bob_->protocol_version() == version_ && Chat(2);
  }

  bool Chat(int rounds) {
    for (int i = 0; i < rounds; ++i) {
      const std::string a = "alice says " + std::to_string(i);
      Pump(AliceSends(a));
      if (bob_->displayed().empty() || bob_->displayed().back() != a) return false;
      Pump({}, bob_->Send("bob says " + std::to_string(i)));
    }
    return true;
  }

  void Send(const std::string& text) {
    std::vector<std::string> out = AliceSends(text);
    for (const std::string& m : out) std::printf("pending %s\n", m.c_str());
    const LibotrPeer::DhState st = bob_->dh_state();
    std::printf("bob-dh %u %s\n", st.our_keyid, st.our_private.c_str());
    if (!st.our_old_private.empty()) {
      std::printf("bob-dh %u %s\n", st.our_keyid - 1, st.our_old_private.c_str());
    }
    std::printf("alice-dh %u %s\n", st.their_keyid, st.their_public.c_str());
    if (!st.their_old_public.empty()) {
      std::printf("alice-dh %u %s\n", st.their_keyid - 1, st.their_old_public.c_str());
    }
  }

  void Deliver(const std::string& message) {
    const size_t before = bob_->displayed().size();
    Pump({message});
    if (bob_->displayed().size() > before) {
      std::printf("displayed %s\n", bob_->displayed()[before].c_str());
    } else {
      std::printf("refused\n");
    }
  }

 private:
  std::vector<std::string> AliceSends(const std::string& text) {
    if (libotr_alice_) return libotr_alice_->Send(text);
    return our_alice_->Send(kNow, text).to_send;
  }

  void Pump(std::vector<std::string> from_alice, std::vector<std::string> from_bob = {}) {
    std::deque<std::pair<bool, std::string>> queue;  // (from alice?, text)
    for (auto& s : from_alice) queue.emplace_back(true, std::move(s));
    for (auto& s : from_bob) queue.emplace_back(false, std::move(s));
    for (int steps = 0; !queue.empty() && steps < 200; ++steps) {
      auto [from_alice_now, text] = std::move(queue.front());
      queue.pop_front();
      std::printf("wire %s %s\n", from_alice_now ? "alice" : "bob", text.c_str());
      std::vector<std::string> replies;
      if (from_alice_now) {
        replies = bob_->Receive(text);
      } else if (libotr_alice_) {
        replies = libotr_alice_->Receive(text);
      } else {
        replies = our_alice_->Receive(kNow, text).to_send;
      }
      for (auto& s : replies) queue.emplace_back(!from_alice_now, std::move(s));
    }
  }

  int version_;
  crypto::OsRandom random_;
  std::optional<crypto::DsaPrivateKey> key_;
  std::unique_ptr<LibotrPeer> bob_;
  std::unique_ptr<LibotrPeer> libotr_alice_;
  std::optional<Session> our_alice_;
};

int Main(int argc, char** argv) {
  bool libotr_sender = false;
  int version = 3;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--sender") == 0) {
      libotr_sender = std::strcmp(argv[i + 1], "libotr") == 0;
    } else if (std::strcmp(argv[i], "--version") == 0) {
      version = std::strcmp(argv[i + 1], "2") == 0 ? 2 : 3;
    }
  }
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  Conversation c(libotr_sender, version);
  if (!c.Start()) {
    std::printf("failed to establish\nok\n");
    return 1;
  }
  std::printf("ok\n");
  std::string line;
  while (std::getline(std::cin, line)) {
    const size_t space = line.find(' ');
    const std::string command = line.substr(0, space);
    const std::string rest = space == std::string::npos ? "" : line.substr(space + 1);
    if (command == "send") {
      c.Send(rest);
    } else if (command == "deliver") {
      c.Deliver(rest);
    } else if (command == "chat") {
      if (!c.Chat(std::atoi(rest.c_str()))) std::printf("chat failed\n");
    } else {
      std::printf("unknown command\n");
    }
    std::printf("ok\n");
  }
  return 0;
}

}  // namespace
}  // namespace otr

int main(int argc, char** argv) { return otr::Main(argc, argv); }
