// `otr transcript`: two in-memory sessions (fresh DSA keys, the OS random
// generator) run a v3 AKE and exchange four messages; prints every
// transport message as "<sender>: <message>" and nothing secret: the
// public transcript a third party could record. With arguments, those are
// the lines sent (alternately by alice and bob). Input for the deniability
// demonstration with `otr parse`, `otr modify` and `otr remac`.
// `otr transcript --v4` does the same over OTRv4 (an interactive DAKE, then
// the double ratchet), the clock being the real one since Client Profiles
// expire; `--secrets FILE` also writes each party's long-term key (sym_h,
// as in otr.v4_keys) there, for `otr forgedake`'s impersonation.
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
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
#include "tools/keystore_v4.h"

namespace otr::tools {
namespace {

// The time given to the sessions: fixed, so runs repeat.
constexpr uint64_t kNow = 1000;

// "<name> sym_h <hex>" per party, to a new file only its owner reads; the
// hex goes byte by byte, never through a std::string.
bool WriteSecrets(const std::string& path, const char* const names[2],
                  const crypto::SecretBytes sym_h[2]) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) return false;
  std::FILE* out = ::fdopen(fd, "w");
  if (out == nullptr) {
    ::close(fd);
    return false;
  }
  for (int i = 0; i < 2; ++i) {
    std::fprintf(out, "%s sym_h ", names[i]);
    for (uint8_t b : sym_h[i].view()) std::fprintf(out, "%02x", b);
    std::fprintf(out, "\n");
  }
  return std::fclose(out) == 0;
}

int Run(const std::vector<std::string>& args_in) {
  if (WantsHelp(args_in)) {
    std::printf(
        "usage: otr transcript [--v4 [--secrets FILE]] [LINE...]\n"
        "prints the wire transcript of a short v3 (or v4) conversation; the LINEs are what\n"
        "alice and bob say, in turn (default: four lines); '--' before a LINE that starts\n"
        "with -; --secrets FILE writes alice's and bob's v4 long-term keys (sym_h) there\n");
    return 0;
  }
  std::vector<std::string> args = args_in;
  const bool v4 = !args.empty() && args.front() == "--v4";
  if (v4) args.erase(args.begin());
  std::string secrets_file;
  if (v4 && args.size() >= 2 && args.front() == "--secrets") {
    secrets_file = args[1];
    args.erase(args.begin(), args.begin() + 2);
  }
  std::vector<std::string> lines = {"attack at dawn", "ok", "see you there", "bye"};
  if (!args.empty()) lines = args;
  if (!lines.empty() && lines.front() == "--") lines.erase(lines.begin());
  const crypto::Backend& backend = crypto::DefaultBackend();
  crypto::OsRandom random;
  std::optional<crypto::DsaPrivateKey> keys[2];
  std::optional<v4::Identity> identities[2];
  std::optional<Session> party[2];
  const char* names[2] = {"alice", "bob"};
  const uint64_t now =
      v4 ? static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                     std::chrono::system_clock::now().time_since_epoch())
                                     .count())
         : kNow;
  crypto::SecretBytes sym_h[2];
  for (int i = 0; i < 2; ++i) {
    auto key = backend.GenerateDsaKey();
    if (!key.ok()) return 1;
    keys[i].emplace(std::move(key).value());
    SessionConfig config;
    config.backend = &backend;
    config.identity.dsa = &*keys[i];
    config.policy = Policy::Manual();
    config.policy.allow_v2 = false;
    if (v4) {
      const wire::InstanceTag tag = i == 0 ? 0x0A11CE00 : 0x00B0B000;
      auto entry = GenerateV4Key(backend, random, names[i], "transcript");
      if (!entry.ok()) return 1;
      auto identity =
          V4IdentityOf(backend, *entry, tag, &*keys[i], static_cast<int64_t>(now), random, nullptr);
      if (!identity.ok()) return 1;
      identities[i].emplace(std::move(identity).value());
      sym_h[i] = entry->sym_h;
      config.identity.v4 = &*identities[i];
      config.our_tag = tag;
      config.policy = config.policy.WithV4();
    }
    auto s = Session::Create(config, random);
    if (!s.ok()) return 1;
    party[i].emplace(std::move(s).value());
  }
  if (!secrets_file.empty() && !WriteSecrets(secrets_file, names, sym_h)) {
    std::fprintf(stderr, "otr transcript: cannot write %s\n", secrets_file.c_str());
    return 1;
  }
  // Prints and delivers `out` from `from`, and every reply, until quiet.
  auto pump = [&](int from, Output out) {
    std::vector<std::pair<int, std::string>> queue;
    for (auto& s : out.to_send) queue.emplace_back(from, std::move(s));
    for (size_t i = 0; i < queue.size(); ++i) {
      std::printf("%s: %s\n", names[queue[i].first], queue[i].second.c_str());
      const int to = 1 - queue[i].first;
      Output reply = party[to]->Receive(now, queue[i].second);
      for (auto& s : reply.to_send) queue.emplace_back(to, std::move(s));
    }
  };
  pump(0, party[0]->StartOtr(now));
  for (size_t i = 0; i < lines.size(); ++i) {
    const int who = static_cast<int>(i % 2);
    pump(who, party[who]->Send(now, lines[i]));
  }
  return party[0]->state() == ConversationState::kEncrypted ? 0 : 1;
}

}  // namespace
OTR_REGISTER_COMMAND(transcript,
                     {"transcript", "print the wire transcript of a short v3 or v4 conversation",
                      &Run});
}  // namespace otr::tools
