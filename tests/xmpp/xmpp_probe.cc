// A test driver of tools/xmpp (the libstrophe wrapper) against a real
// prosody (xmpp_wrapper_e2e_test.py starts it):
//
//   xmpp_probe component <port> <jid> <secret-file>
//     a component answering disco#info with a test identity and feature
//     and echoing each message body back ("echo:" prefixed); prints
//     "ready" once connected; stops on stdin EOF.
//   xmpp_probe client <port> <jid> <password-file> <ca-file|-> <component-jid>
//     connects (STARTTLS required, the certificate trusted only through
//     <ca-file>; "-" for the system's CAs), then: disco#items of its domain,
//     disco#info of <component-jid>, one message to it and its echo. Prints
//     one line per result ("items ...", "identity ...", "feature ...",
//     "echo ..."), or "connect-failed <reason>" and exits 2.
//   xmpp_probe garbage <port> <jid> <password-file> <ca-file> <peer-jid>
//     a misbehaving peer (chat_xmpp_offline_e2e_test.py): waits for the
//     available presence of a resource of <peer-jid>, sends it stanzas no
//     chat client expects (no body, empty body, unknown types and children,
//     a broken OTR body, presence and iq junk), prints "sent N" and leaves.
#include <poll.h>
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>
#include <thread>

#include "tools/xmpp/connection.h"
#include "tools/xmpp/jid.h"

namespace {

using otr::xmpp::Connection;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::string s;
  std::getline(in, s);
  return s;
}

bool StdinClosed() {
  pollfd p{0, POLLIN, 0};
  if (poll(&p, 1, 0) <= 0) return false;
  char c;
  return read(0, &c, 1) <= 0;
}

int Component(int argc, char** argv) {
  if (argc != 5) return 64;
  otr::xmpp::ComponentOptions o;
  o.server_port = static_cast<uint16_t>(std::stoi(argv[2]));
  o.jid = argv[3];
  std::string why;
  auto c = Connection::ConnectComponent(o, ReadFile(argv[4]), {}, &why);
  if (!c.ok()) {
    std::cout << "connect-failed " << why << std::endl;
    return 2;
  }
  Connection& conn = **c;
  conn.SetDiscoInfo({{{"auth", "otr-prekey-test", "Probe"}}, {"urn:example:probe"}});
  conn.SetDiscoItems({{o.jid, "fingerprint", "00FF"}});
  conn.SetMessageHandler(
      [&conn](const otr::xmpp::Message& m) { (void)conn.SendMessage(m.from, "echo:" + m.body); });
  std::cout << "ready" << std::endl;
  while (conn.connected() && !StdinClosed()) conn.RunOnce(100);
  return 0;
}

// The client modes' login: <port> <jid> <password-file> <ca-file|-> in
// argv[2..5], STARTTLS required; prints "connect-failed <reason>" on failure.
std::unique_ptr<Connection> LogIn(char** argv) {
  otr::xmpp::ClientOptions o;
  o.server_host = "127.0.0.1";
  o.server_port = static_cast<uint16_t>(std::stoi(argv[2]));
  o.jid = argv[3];
  o.tls = otr::xmpp::TlsPolicy::kRequired;
  if (std::string(argv[5]) != "-") o.ca_file = argv[5];
  std::string why;
  auto c = Connection::ConnectClient(o, ReadFile(argv[4]), {}, &why);
  if (!c.ok()) {
    std::cout << "connect-failed " << why << std::endl;
    return nullptr;
  }
  return std::move(c).value();
}

int Client(int argc, char** argv) {
  if (argc != 7) return 64;
  const std::string component = argv[6];
  auto c = LogIn(argv);
  if (c == nullptr) return 2;
  Connection& conn = *c;
  std::cout << "connected " << conn.jid() << std::endl;
  std::string echo;
  conn.SetMessageHandler([&echo](const otr::xmpp::Message& m) { echo = m.body; });
  if (!conn.SendPresence().ok()) return 3;
  auto items = conn.QueryDiscoItems(otr::xmpp::JidDomain(argv[3]), 10'000);
  if (!items.ok()) {
    std::cout << "items-failed " << conn.last_error() << std::endl;
    return 3;
  }
  for (const auto& i : *items) std::cout << "item " << i.jid << " " << i.name << std::endl;
  auto info = conn.QueryDiscoInfo(component, 10'000);
  if (!info.ok()) {
    std::cout << "info-failed " << conn.last_error() << std::endl;
    return 3;
  }
  for (const auto& i : info->identities) {
    std::cout << "identity " << i.category << "/" << i.type << std::endl;
  }
  for (const auto& f : info->features) std::cout << "feature " << f << std::endl;
  auto citems = conn.QueryDiscoItems(component, 10'000);
  if (citems.ok()) {
    for (const auto& i : *citems)
      std::cout << "component-item " << i.node << " " << i.name << std::endl;
  }
  const std::string body(5000, 'x');
  if (!conn.SendMessage(component, body).ok()) return 3;
  for (int i = 0; i < 200 && echo.empty() && conn.connected(); ++i) conn.RunOnce(50);
  std::cout << "echo " << (echo == "echo:" + body ? "whole" : "wrong:" + echo.substr(0, 40))
            << std::endl;
  conn.Disconnect();
  return 0;
}

int Garbage(int argc, char** argv) {
  if (argc != 7) return 64;
  const std::string peer = argv[6];
  auto c = LogIn(argv);
  if (c == nullptr) return 2;
  Connection& conn = *c;
  std::string target;  // the peer's full JID, from its presence
  conn.SetPresenceHandler([&](const otr::xmpp::Presence& p) {
    if (p.type.empty() && otr::xmpp::BareJid(p.from) == peer && p.from != peer) target = p.from;
  });
  if (!conn.SendPresence().ok()) return 3;
  for (int i = 0; i < 200 && target.empty() && conn.connected(); ++i) conn.RunOnce(50);
  if (target.empty()) {
    std::cout << "no-presence-from " << peer << std::endl;
    return 3;
  }
  const std::string to = "to='" + target + "'";
  const std::string stanzas[] = {
      "<message " + to + " type='chat'/>",
      "<message " + to + " type='chat'><body/></message>",
      "<message " + to + " type='chat'><subject>?OTR:AAQD</subject></message>",
      "<message " + to + " type='headline'><body>?OTR:AAQDjunk.</body></message>",
      "<message " + to + " type='bogus'><body>?OTR:AAQDjunk.</body></message>",
      "<message " + to +
          " type='chat'><body>?OTR:AAQDAAAAAQ==.</body><x xmlns='urn:example:junk'><y/></x>"
          "</message>",
      "<message " + to +
          " type='chat'><body>?OTR|ffffffff|00000100,00001,00002,?OTR:AAQD,"
          "</body></message>",
      "<message " + to + " type='chat'><body>?OTR:" + std::string(20000, 'A') +
          ".</body></message>",
      "<message " + to + " type='error'><body>?OTR:AAQD.</body><error type='cancel'/></message>",
      "<presence " + to + " type='bogus'/>",
      "<presence " + to + " type='subscribed'/>",
      "<presence " + to + "><show>junk</show><priority>notanumber</priority></presence>",
      "<iq " + to + " type='set' id='junk1'><query xmlns='urn:example:junk'/></iq>",
      "<iq " + to + " type='get' id='junk2'/>",
      "<iq " + to + " type='result' id='otr1'/>",
      "<iq " + to + " type='error' id='otr2'/>",
      "<junk " + to + "/>",
  };
  int sent = 0;
  for (const std::string& s : stanzas) {
    if (!conn.SendRaw(s).ok()) break;
    ++sent;
    conn.RunOnce(20);
  }
  for (int i = 0; i < 10 && conn.connected(); ++i) conn.RunOnce(50);
  std::cout << "sent " << sent << std::endl;
  conn.Disconnect();
  return sent == static_cast<int>(std::size(stanzas)) ? 0 : 3;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 2 && std::string(argv[1]) == "garbage") return Garbage(argc, argv);
  if (argc >= 2 && std::string(argv[1]) == "component") return Component(argc, argv);
  if (argc >= 2 && std::string(argv[1]) == "client") return Client(argc, argv);
  std::cerr << "usage: xmpp_probe component|client ...\n";
  return 64;
}
