// otr-prekey-server: the OTRv4 prekey server as an XMPP component
// (otr-v4-prekey-server.md, "A Prekey Server for OTRv4 over XMPP"). A thin
// driver around the sans-I/O core (protocol/prekey/server): message bodies
// from a client go to Server::Receive with the sender's bare JID as its
// identity and the full JID as its address; the replies go back to that
// full JID in message bodies. Service discovery answers as the spec shows:
// identity auth/otr-prekey, feature http://jabber.org/protocol/otrv4-prekey-server,
// and a disco#items entry with node "fingerprint" naming the server's
// fingerprint. docs/prekey-server.md describes running it.
//
// Exit status: 0 after SIGTERM/SIGINT, --help or a passing --check; 2 for a bad
// configuration; 1 when storage, the key or the XMPP connection fails.
#include <fcntl.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <ctime>
#include <string>
#include <vector>

#include "crypto/backends.h"
#include "crypto/random.h"
#include "crypto/secret_bytes.h"
#include "protocol/prekey/server/server.h"
#include "tools/prekey_server/key_file.h"
#include "tools/prekey_server/log_line.h"
#include "tools/prekey_server/open_storage.h"
#include "tools/prekey_server/program_config.h"
#include "tools/xmpp/connection.h"
#include "tools/xmpp/jid.h"

namespace otr::prekey_server {
namespace {

constexpr std::string_view kFeature = "http://jabber.org/protocol/otrv4-prekey-server";
constexpr size_t kMaxSecretSize = 1024;

volatile std::sig_atomic_t g_stop = 0;
void OnSignal(int) { g_stop = 1; }

int64_t Now() { return static_cast<int64_t>(std::time(nullptr)); }

std::string ErrorText(const Error& e) {
  return std::string(ErrorCodeName(e.code)) + ": " + std::string(e.context);
}

// The component secret: the file's first line, kept in secret memory.
bool ReadSecret(const std::string& path, crypto::SecretBytes* secret, size_t* length) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  crypto::SecretBytes buf(kMaxSecretSize);
  size_t got = 0;
  while (got < buf.size()) {
    const ssize_t n = read(fd, buf.data() + got, buf.size() - got);
    if (n <= 0) break;
    got += static_cast<size_t>(n);
  }
  close(fd);
  size_t len = 0;
  while (len < got && buf.data()[len] != '\n' && buf.data()[len] != '\r') ++len;
  if (len == 0 || len == kMaxSecretSize) return false;
  *secret = std::move(buf);
  *length = len;
  return true;
}

int Run(const ProgramConfig& config) {
  const crypto::Backend& backend = crypto::DefaultBackend();
  crypto::OsRandom random;

  crypto::SecretBytes secret;
  size_t secret_length = 0;
  if (!ReadSecret(config.secret_file, &secret, &secret_length)) {
    Log("config_error",
        {{"reason", "secret_file unreadable or empty"}, {"path", config.secret_file}});
    return 2;
  }

  auto storage = OpenStorage(config.storage);
  if (!storage.ok()) {
    Log("storage_error", {{"reason", ErrorText(storage.error())}});
    return 1;
  }
  bool created = false;
  auto key = LoadOrCreateKey(backend, random, config.key_file, &created);
  if (!key.ok()) {
    Log("key_error", {{"reason", ErrorText(key.error())}, {"path", config.key_file}});
    return 1;
  }
  const std::string fingerprint = FingerprintHex(backend, *key);
  Log(created ? "key_created" : "key_loaded",
      {{"path", config.key_file}, {"fingerprint", fingerprint}});
  if (config.check) {
    Log("check_ok", {{"component", config.component}});
    return 0;
  }

  prekey::ServerConfig server_config;
  server_config.identity = config.component;
  server_config.max_message_size = config.max_message_size;
  server_config.accept_libotr_ng = config.accept_libotr_ng;
  prekey::Server server(backend, random, **storage, *key, server_config);

  std::signal(SIGTERM, OnSignal);
  std::signal(SIGINT, OnSignal);

  xmpp::ComponentOptions options;
  options.jid = config.component;
  options.server_host = config.xmpp_host;
  options.server_port = config.xmpp_port;
  std::string why;
  auto conn = xmpp::Connection::ConnectComponent(
      options, std::string_view(reinterpret_cast<const char*>(secret.data()), secret_length), {},
      &why);
  if (!conn.ok()) {
    Log("xmpp_error", {{"reason", why}});
    return 1;
  }
  xmpp::Connection& c = **conn;
  // "A Prekey Server for OTRv4 over XMPP", "Discovering a Prekey Server".
  c.SetDiscoInfo({{{"auth", "otr-prekey", "OTR Prekey Server"}}, {std::string(kFeature)}});
  c.SetDiscoItems({{config.component, "fingerprint", fingerprint}});
  c.SetMessageHandler([&](const xmpp::Message& m) {
    const std::string identity = xmpp::BareJid(m.from);
    prekey::ServerOutput out = server.Receive(identity, m.from, m.body, Now());
    for (const auto& reply : out.replies) {
      if (!c.SendMessage(m.from, reply, "normal").ok()) break;
    }
    for (const auto& e : out.events) {
      LogFields fields = {{"from", identity}};
      if (!e.target.empty()) fields.push_back({"target", e.target});
      fields.push_back({"count", std::to_string(e.count)});
      if (!e.cause.context.empty()) fields.push_back({"cause", ErrorText(e.cause)});
      Log(prekey::ServerEventName(e.kind), fields);
    }
  });
  Log("started", {{"component", config.component},
                  {"accept_libotr_ng", config.accept_libotr_ng ? "true" : "false"},
                  {"xmpp_server", config.xmpp_host + ":" + std::to_string(config.xmpp_port)}});

  int64_t next_purge = Now();
  while (!g_stop && c.connected()) {
    c.RunOnce(200);
    const int64_t now = Now();
    server.Expire(now);
    if (now >= next_purge) {
      auto purged = (*storage)->PurgeExpired(now);
      if (purged.ok()) {
        if (*purged > 0) Log("purged", {{"count", std::to_string(*purged)}});
      } else {
        Log("storage_error", {{"reason", ErrorText(purged.error())}});
      }
      next_purge = now + config.purge_interval;
    }
  }
  if (!g_stop) {
    Log("xmpp_error", {{"reason", c.last_error().empty() ? "disconnected" : c.last_error()}});
    return 1;
  }
  c.Disconnect();
  Log("shutdown", {{"reason", "signal"}});
  return 0;
}

}  // namespace
}  // namespace otr::prekey_server

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  otr::prekey_server::ProgramConfig config;
  std::string error;
  if (!otr::prekey_server::ParseProgramConfig(args, &config, &error)) {
    otr::prekey_server::Log("config_error", {{"reason", error}});
    return 2;
  }
  if (config.help) {
    std::fwrite(otr::prekey_server::ProgramUsage().data(), 1,
                otr::prekey_server::ProgramUsage().size(), stdout);
    return 0;
  }
  return otr::prekey_server::Run(config);
}
