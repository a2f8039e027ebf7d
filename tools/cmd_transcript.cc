// `otr transcript`: two in-memory sessions (fresh DSA keys, the OS random
// generator) run a v3 AKE and exchange four messages; prints every
// transport message as "<sender>: <message>" and nothing secret: the
// public transcript a third party could record. With arguments, those are
// the lines sent (alternately by alice and bob). Input for the deniability
// demonstration with `otr parse`, `otr modify` and `otr remac`.
#include <cstdio>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "crypto/backends.h"
#include "crypto/random.h"
#include "protocol/session/session.h"
#include "tools/args.h"
#include "tools/command.h"

namespace otr::tools {
namespace {

// The time given to the sessions: fixed, so runs repeat.
constexpr uint64_t kNow = 1000;

int Run(const std::vector<std::string>& args) {
  if (WantsHelp(args)) {
    std::printf(
        "usage: otr transcript [LINE...]\n"
        "prints the wire transcript of a short v3 conversation; the LINEs are what alice\n"
        "and bob say, in turn (default: four lines); '--' before a LINE that starts with -\n");
    return 0;
  }
  std::vector<std::string> lines = {"attack at dawn", "ok", "see you there", "bye"};
  if (!args.empty()) lines = args;
  if (!lines.empty() && lines.front() == "--") lines.erase(lines.begin());
  const crypto::Backend& backend = crypto::DefaultBackend();
  crypto::OsRandom random;
  std::optional<crypto::DsaPrivateKey> keys[2];
  std::optional<Session> party[2];
  const char* names[2] = {"alice", "bob"};
  for (int i = 0; i < 2; ++i) {
    auto key = backend.GenerateDsaKey();
    if (!key.ok()) return 1;
    keys[i].emplace(std::move(key).value());
    SessionConfig config;
    config.backend = &backend;
    config.identity.dsa = &*keys[i];
    config.policy = Policy::Manual();
    config.policy.allow_v2 = false;
    auto s = Session::Create(config, random);
    if (!s.ok()) return 1;
    party[i].emplace(std::move(s).value());
  }
  // Prints and delivers `out` from `from`, and every reply, until quiet.
  auto pump = [&](int from, Output out) {
    std::vector<std::pair<int, std::string>> queue;
    for (auto& s : out.to_send) queue.emplace_back(from, std::move(s));
    for (size_t i = 0; i < queue.size(); ++i) {
      std::printf("%s: %s\n", names[queue[i].first], queue[i].second.c_str());
      const int to = 1 - queue[i].first;
      Output reply = party[to]->Receive(kNow, queue[i].second);
      for (auto& s : reply.to_send) queue.emplace_back(to, std::move(s));
    }
  };
  pump(0, party[0]->StartOtr(kNow));
  for (size_t i = 0; i < lines.size(); ++i) {
    const int who = static_cast<int>(i % 2);
    pump(who, party[who]->Send(kNow, lines[i]));
  }
  return party[0]->state() == ConversationState::kEncrypted ? 0 : 1;
}

}  // namespace
OTR_REGISTER_COMMAND(transcript,
                     {"transcript", "print the wire transcript of a short v3 conversation", &Run});
}  // namespace otr::tools
