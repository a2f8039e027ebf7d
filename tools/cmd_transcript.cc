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
// `otr transcript --v4 --offline` starts offline instead (otrv4.md "Offline
// Conversation Initialization"): Bob publishes a Prekey Ensemble to a prekey
// server core in memory (protocol/prekey/server over MemoryStorage, his
// OfflineMaintenance) and is away; Alice retrieves it (the server's answer
// is printed as "server: <base64>.", what a third party on Alice's link
// sees) and sends her Non-Interactive-Auth and first line; Bob then reads
// them and the conversation goes on. `otr forgedake --offline` forges
// against it.
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
#include "protocol/prekey/server/memory_storage.h"
#include "protocol/prekey/server/server.h"
#include "protocol/session/offline_maintenance.h"
#include "protocol/session/session.h"
#include "protocol/v4/crypto/fingerprint.h"
#include "protocol/v4/crypto/keys.h"
#include "protocol/v4/engine/prekey_store.h"
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
        "usage: otr transcript [--v4 [--offline] [--secrets FILE]] [LINE...]\n"
        "prints the wire transcript of a short v3 (or v4) conversation; the LINEs are what\n"
        "alice and bob say, in turn (default: four lines); '--' before a LINE that starts\n"
        "with -; --secrets FILE writes alice's and bob's v4 long-term keys (sym_h) there;\n"
        "--offline: bob publishes a Prekey Ensemble to a prekey server and alice starts\n"
        "offline from it (the server's answer is the \"server:\" line)\n");
    return 0;
  }
  std::vector<std::string> args = args_in;
  const bool v4 = !args.empty() && args.front() == "--v4";
  if (v4) args.erase(args.begin());
  std::string secrets_file;
  bool offline = false;
  for (bool more = v4; more;) {
    more = false;
    if (!args.empty() && args.front() == "--offline") {
      offline = more = true;
      args.erase(args.begin());
    } else if (args.size() >= 2 && args.front() == "--secrets") {
      secrets_file = args[1];
      args.erase(args.begin(), args.begin() + 2);
      more = true;
    }
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
  // --offline: the prekey server Bob publishes to, and his prekey store.
  constexpr const char* kServer = "prekey.example.org";
  constexpr const char* kAccounts[2] = {"alice@example.org", "bob@example.org"};
  std::optional<v4::Ed448KeyPair> server_key;
  prekey::MemoryStorage storage;
  v4::InMemoryPrekeyStore bob_store;
  if (offline) {
    auto key = v4::GenerateLongTermKeyPair(backend, random);
    if (!key.ok()) return 1;
    server_key.emplace(std::move(key).value());
  }
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
      if (offline && i == 1) config.prekey_store = &bob_store;
      if (offline && i == 0) {
        config.prekey_server =
            PrekeyServerConfig{kServer, kAccounts[1],
                               v4::ComputePrekeyServerFingerprint(backend, server_key->pub), 60, 0};
      }
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
  size_t first_line = 0;
  if (offline) {
    prekey::ServerConfig server_config;
    server_config.identity = kServer;
    prekey::Server server(backend, random, storage, *server_key, server_config);
    // Bob publishes ("Publishing Prekey Ensembles": one Prekey Message) and is away.
    OfflineMaintenanceConfig mc;
    mc.backend = &backend;
    Policy bob_policy = Policy::Manual();
    bob_policy.allow_v2 = false;
    mc.policy = bob_policy.WithV4();  // as his session's
    mc.our_identity = kAccounts[1];
    mc.server = kServer;
    mc.server_fingerprint = v4::ComputePrekeyServerFingerprint(backend, server_key->pub);
    mc.identity = &*identities[1];
    mc.store = &bob_store;
    mc.low_water = 1;
    mc.target = 1;
    auto maintenance = OfflineMaintenance::Create(mc, random, now);
    if (!maintenance.ok()) return 1;
    std::vector<PrekeyServerMessage> to_server = maintenance->Start(now).to_prekey_server;
    for (int round = 0; !to_server.empty() && round < 20; ++round) {
      std::vector<PrekeyServerMessage> next;
      for (const PrekeyServerMessage& m : to_server) {
        const std::string who = std::string(kAccounts[1]);
        for (const std::string& reply :
             server.Receive(who, who + "/phone", m.text, static_cast<int64_t>(now)).replies) {
          for (PrekeyServerMessage& n : maintenance->Receive(now, reply).to_prekey_server) {
            next.push_back(std::move(n));
          }
        }
      }
      to_server = std::move(next);
    }
    if (bob_store.prekey_count() != 1) return 1;
    // Alice retrieves his ensemble and starts offline; she writes first,
    // Bob reads it all when he is back.
    Output request = party[0]->RequestPrekeyEnsembles(now);
    Output started;
    for (const PrekeyServerMessage& q : request.to_prekey_server) {
      const std::string who = std::string(kAccounts[0]);
      for (const std::string& answer :
           server.Receive(who, who + "/laptop", q.text, static_cast<int64_t>(now)).replies) {
        std::printf("server: %s\n", answer.c_str());
        started = party[0]->ReceiveFromPrekeyServer(now, answer);
      }
    }
    if (started.to_send.empty()) return 1;
    std::vector<std::string> offline_messages = std::move(started.to_send);
    if (!lines.empty()) {
      for (std::string& m : party[0]->Send(now, lines[0]).to_send) {
        offline_messages.push_back(std::move(m));
      }
      first_line = 1;
    }
    Output all;
    all.to_send = std::move(offline_messages);
    pump(0, std::move(all));
  } else {
    pump(0, party[0]->StartOtr(now));
  }
  for (size_t i = first_line; i < lines.size(); ++i) {
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
