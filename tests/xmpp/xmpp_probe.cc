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
#include <poll.h>
#include <unistd.h>

#include <fstream>
#include <iostream>
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

int Client(int argc, char** argv) {
  if (argc != 7) return 64;
  otr::xmpp::ClientOptions o;
  o.server_host = "127.0.0.1";
  o.server_port = static_cast<uint16_t>(std::stoi(argv[2]));
  o.jid = argv[3];
  o.tls = otr::xmpp::TlsPolicy::kRequired;
  if (std::string(argv[5]) != "-") o.ca_file = argv[5];
  const std::string component = argv[6];
  std::string why;
  auto c = Connection::ConnectClient(o, ReadFile(argv[4]), {}, &why);
  if (!c.ok()) {
    std::cout << "connect-failed " << why << std::endl;
    return 2;
  }
  Connection& conn = **c;
  std::cout << "connected " << conn.jid() << std::endl;
  std::string echo;
  conn.SetMessageHandler([&echo](const otr::xmpp::Message& m) { echo = m.body; });
  if (!conn.SendPresence().ok()) return 3;
  auto items = conn.QueryDiscoItems(otr::xmpp::JidDomain(o.jid), 10'000);
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

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 2 && std::string(argv[1]) == "component") return Component(argc, argv);
  if (argc >= 2 && std::string(argv[1]) == "client") return Client(argc, argv);
  std::cerr << "usage: xmpp_probe component|client ...\n";
  return 64;
}
