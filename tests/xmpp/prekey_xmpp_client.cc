// A prekey-server client over XMPP for the end-to-end tests: the client
// core (protocol/prekey/client) through tools/xmpp, with fresh keys and
// profiles each run (tests/prekey/prekey_fixture.h MakeKeys).
//
//   prekey_xmpp_client <c2s port> <jid> <password file> <ca file> <action> [arg...]
//     publish N [ROUNDS]   ROUNDS publications of N prekey messages each
//                          (default 1); prints "published N" per Success
//     status               prints "status N"
//     retrieve PEER        prints "ensembles N" (valid ones) or "no-ensembles"
//
// It first discovers the server as the spec's "Discovering a Prekey
// Server" says: disco#items of its domain, disco#info of each item (the
// one with identity auth/otr-prekey and the otrv4-prekey-server feature),
// disco#items of that server (node "fingerprint"), and prints
// "server <jid> <fingerprint>". The client checks the server's DAKE-2
// against that fingerprint. A request without an answer within 15 s
// prints "timeout" and exits 3.
#include <chrono>
#include <ctime>
#include <deque>
#include <fstream>
#include <iostream>
#include <string>

#include "crypto/backends.h"
#include "crypto/random.h"
#include "protocol/prekey/client/client.h"
#include "tests/prekey/prekey_fixture.h"
#include "tools/xmpp/connection.h"
#include "tools/xmpp/jid.h"
#include "tools/xmpp/prekey_discovery.h"

namespace {

using otr::prekey::ClientEventKind;
using otr::prekey::ClientOutput;
using otr::prekey::PrekeyClient;

int64_t Now() { return static_cast<int64_t>(std::time(nullptr)); }

std::string ReadLine(const std::string& path) {
  std::ifstream in(path);
  std::string s;
  std::getline(in, s);
  return s;
}

bool ParseFingerprint(const std::string& hex, otr::v4::Fingerprint* fp) {
  if (hex.size() != 2 * fp->size()) return false;
  for (size_t i = 0; i < fp->size(); ++i) {
    unsigned v = 0;
    try {
      v = static_cast<unsigned>(std::stoul(hex.substr(2 * i, 2), nullptr, 16));
    } catch (...) {
      return false;
    }
    (*fp)[i] = static_cast<uint8_t>(v);
  }
  return true;
}

struct Driver {
  otr::xmpp::Connection& conn;
  std::string server;
  std::deque<std::string> inbox;

  void Send(const ClientOutput& out) {
    for (const auto& t : out.to_server) (void)conn.SendMessage(server, t, "normal");
  }

  // Delivers the server's messages to the client until it reports one of
  // the final events; returns it (kRequestFailed on a timeout).
  otr::prekey::ClientEvent Finish(PrekeyClient& client) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    while (std::chrono::steady_clock::now() < deadline && conn.connected()) {
      conn.RunOnce(50);
      while (!inbox.empty()) {
        const std::string text = std::move(inbox.front());
        inbox.pop_front();
        ClientOutput out = client.Receive(text, Now());
        Send(out);
        for (auto& e : out.events) {
          if (e.kind != ClientEventKind::kIgnored && e.kind != ClientEventKind::kProfilesRenewed) {
            return std::move(e);
          }
          std::cout << "ignored " << e.cause.context << std::endl;
        }
      }
    }
    otr::prekey::ClientEvent timeout;
    timeout.kind = ClientEventKind::kRequestFailed;
    timeout.cause = {otr::ErrorCode::kBadState, "timeout"};
    return timeout;
  }
};

int Main(int argc, char** argv) {
  if (argc < 6) return 64;
  otr::xmpp::ClientOptions o;
  o.server_host = "127.0.0.1";
  o.server_port = static_cast<uint16_t>(std::stoi(argv[1]));
  o.jid = argv[2];
  o.ca_file = argv[4];
  const std::string action = argv[5];
  std::string why;
  auto c = otr::xmpp::Connection::ConnectClient(o, ReadLine(argv[3]), {}, &why);
  if (!c.ok()) {
    std::cout << "connect-failed " << why << std::endl;
    return 2;
  }
  otr::xmpp::Connection& conn = **c;
  (void)conn.SendPresence();

  // Discovery ("Discovering a Prekey Server").
  auto found = otr::xmpp::DiscoverPrekeyServer(conn, otr::xmpp::JidDomain(o.jid), 10'000, &why);
  if (!found) {
    std::cout << "no-server " << why << std::endl;
    return 3;
  }
  const std::string server = found->jid;
  const std::string fingerprint = found->fingerprint;
  otr::v4::Fingerprint fp{};
  if (!ParseFingerprint(fingerprint, &fp)) {
    std::cout << "no-fingerprint" << std::endl;
    return 3;
  }
  std::cout << "server " << server << " " << fingerprint << std::endl;

  const otr::crypto::Backend& backend = otr::crypto::DefaultBackend();
  otr::crypto::OsRandom random;
  // One device per account, as a real client keeps its instance tag: the
  // Storage Status counts the prekey messages of the DAKE's instance tag
  // (otr-v4-prekey-server.md), so every run of the same account shares it.
  uint32_t jid_hash = 2166136261u;  // FNV-1a of the bare JID
  for (unsigned char c : otr::xmpp::BareJid(o.jid)) jid_hash = (jid_hash ^ c) * 16777619u;
  const otr::wire::InstanceTag tag = otr::wire::kMinInstanceTag + (jid_hash & 0xffff);
  otr::prekey::ClientConfig config;
  config.identity = otr::xmpp::BareJid(o.jid);
  config.server_identity = server;
  config.server_fingerprint = fp;
  config.instance_tag = tag;
  PrekeyClient client(backend, random, config,
                      otr::prekey::testing::MakeKeys(backend, random, tag, Now()));
  Driver d{conn, server, {}};
  conn.SetMessageHandler([&d](const otr::xmpp::Message& m) {
    if (m.from == d.server) d.inbox.push_back(m.body);
  });

  if (action == "publish" && argc >= 7) {
    const uint32_t n = static_cast<uint32_t>(std::stoul(argv[6]));
    const int rounds = argc >= 8 ? std::stoi(argv[7]) : 1;
    for (int r = 0; r < rounds; ++r) {
      auto started = client.Publish({r == 0, r == 0, n}, Now());
      if (!started.ok()) return 4;
      d.Send(started->output);
      auto e = d.Finish(client);
      if (e.kind != ClientEventKind::kPublished) {
        std::cout << "failed " << otr::prekey::ClientEventName(e.kind) << " " << e.cause.context
                  << std::endl;
        return 3;
      }
      std::cout << "published " << n << std::endl;
    }
  } else if (action == "status") {
    auto out = client.QueryStorage(Now());
    if (!out.ok()) return 4;
    d.Send(*out);
    auto e = d.Finish(client);
    if (e.kind != ClientEventKind::kStorageStatus) {
      std::cout << "failed " << otr::prekey::ClientEventName(e.kind) << " " << e.cause.context
                << std::endl;
      return 3;
    }
    std::cout << "status " << e.count << std::endl;
  } else if (action == "retrieve" && argc >= 7) {
    auto out = client.RetrieveEnsembles(argv[6], Now());
    if (!out.ok()) return 4;
    d.Send(*out);
    auto e = d.Finish(client);
    if (e.kind == ClientEventKind::kEnsembles) {
      std::cout << "ensembles " << e.ensembles.size() << " refused " << e.count << std::endl;
    } else if (e.kind == ClientEventKind::kNoEnsembles) {
      std::cout << "no-ensembles" << std::endl;
    } else {
      std::cout << "failed " << otr::prekey::ClientEventName(e.kind) << " " << e.cause.context
                << std::endl;
      return 3;
    }
  } else {
    return 64;
  }
  conn.Disconnect();
  return 0;
}

}  // namespace

int main(int argc, char** argv) { return Main(argc, argv); }
