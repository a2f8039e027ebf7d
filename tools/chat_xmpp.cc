// `otr chat` over XMPP (tools/chat_transport.h): one peer JID, OTR in the
// <body/> of type='chat' messages (RFC 6121 5.2.2), as Pidgin, Gajim and
// profanity send it, through libstrophe (tools/xmpp/connection.h; STARTTLS
// when offered, the certificate always verified).
#include <chrono>
#include <cstdio>
#include <deque>
#include <fstream>
#include <thread>

#include "tools/chat_transport.h"
#include "tools/xmpp/connection.h"
#include "tools/xmpp/jid.h"

namespace otr::tools {
namespace {

// XML 1.0 "Char": no C0 control but TAB, LF and CR may appear in a body
// (a stanza with one is a stream error); such characters become spaces.
std::string XmlSafe(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 && c != '\t' && c != '\n' && c != '\r') c = ' ';
  }
  return out;
}

// The password: the file's first line (without its line end). The copy in
// memory is wiped by the caller once libstrophe has its own.
Outcome<std::string> ReadPassword(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Failure{"cannot read the password file " + path};
  std::string password;
  std::getline(in, password);
  if (!password.empty() && password.back() == '\r') password.pop_back();
  if (password.empty()) return Failure{"the password file " + path + " is empty"};
  return password;
}

class XmppTransport : public ChatTransport {
 public:
  explicit XmppTransport(const ChatOptions& options)
      : options_(options), peer_(xmpp::BareJid(options.peer)) {}

  std::string_view name() const override { return "xmpp"; }

  ~XmppTransport() override {
    for (char& c : password_) c = '\0';
  }

  MaybeExit Connect(ChatHost& host) override {
    host.Say("[xmpp] connecting to " + Server() + " as " + options_.nick +
             (options_.tls.enabled ? " (TLS required)" : " (TLS when offered)"));
    auto password = ReadPassword(options_.password_file);
    if (!password.ok()) {
      host.Say("[error] " + password.error());
      return Exit{kExitSetup};
    }
    password_ = std::move(password).value();
    std::string why;
    if (!LogIn(&why)) {
      host.Say("[error] cannot log in to " + Server() + " as " + options_.nick + ": " + why);
      return Exit{kExitDisconnected};
    }
    return host.Ready(
        options_.max_message_size != 0 ? options_.max_message_size : kXmppDefaultMessageSize,
        "[xmpp] connected to " + Server() + " as " + connection_->jid() + "; talking to " + peer_);
  }

  int poll_fd() const override { return -1; }  // libstrophe keeps its socket

  MaybeExit Pump(ChatHost& host) override {
    connection_->RunOnce(kTransportPumpMs / 4);
    while (!inbox_.empty()) {
      const xmpp::Message m = std::move(inbox_.front());
      inbox_.pop_front();
      if (auto e = Deliver(host, m)) return e;
    }
    if (!connection_->connected()) return Reconnect(host);
    return std::nullopt;
  }

  MaybeExit Send(ChatHost& host, const std::string& text) override {
    if (connection_->SendMessage(peer_, XmlSafe(text), "chat").ok()) return std::nullopt;
    if (auto e = Reconnect(host)) return e;
    if (connection_->SendMessage(peer_, XmlSafe(text), "chat").ok()) return std::nullopt;
    host.Say("[error] a message could not be sent to the server");
    return std::nullopt;
  }

  // XEP-0245: an action is a body that starts with "/me ".
  MaybeExit SendPlainAction(ChatHost& host, const std::string& text) override {
    return Send(host, "/me " + text);
  }

  int Leave(ChatHost&) override {
    connection_->Disconnect();
    return kExitOk;
  }

 private:
  // The largest body taken from the peer: a whole OTR message that the
  // peer did not fragment (libotr does not fragment on XMPP) fits easily.
  static constexpr size_t kMaxXmppBody = 256 * 1024;

  // A server that goes away (a restart) is tried again this often, a second
  // apart, before the chat ends with kExitDisconnected. The OTR conversation
  // is end to end and carries on over the new stream.
  static constexpr int kReconnectAttempts = 30;

  std::string Server() const { return options_.host + ":" + options_.port; }

  // Logs in (STARTTLS when offered, the certificate verified) and sends the
  // initial presence (RFC 6121 4.2): the server then routes chat messages to
  // this resource, and hands over the ones it stored while we were away.
  bool LogIn(std::string* why) {
    xmpp::ClientOptions client;
    client.jid = options_.nick;
    client.server_host = options_.host;
    client.server_port = static_cast<uint16_t>(std::stoul(options_.port));
    client.tls = options_.tls.enabled ? xmpp::TlsPolicy::kRequired : xmpp::TlsPolicy::kIfOffered;
    client.ca_file = options_.tls.ca_file;
    xmpp::CommonOptions common;
    // A peer's body can be no larger than what we would ever reassemble.
    common.max_body_bytes = kMaxXmppBody;
    auto connection = xmpp::Connection::ConnectClient(client, password_, common, why);
    if (!connection.ok()) return false;
    connection_ = std::move(connection).value();
    connection_->SetMessageHandler([this](const xmpp::Message& m) { inbox_.push_back(m); });
    if (!connection_->SendPresence().ok()) {
      *why = "the stream closed at once";
      return false;
    }
    return true;
  }

  MaybeExit Reconnect(ChatHost& host) {
    const std::string& lost = connection_->last_error();
    host.Say("[xmpp] disconnected (" + (lost.empty() ? std::string("the stream closed") : lost) +
             "); reconnecting to " + Server());
    std::string why;
    for (int attempt = 0; attempt < kReconnectAttempts; ++attempt) {
      if (attempt > 0) std::this_thread::sleep_for(std::chrono::seconds(1));
      if (LogIn(&why)) {
        host.Say("[xmpp] reconnected as " + connection_->jid());
        return std::nullopt;
      }
    }
    host.Say("[error] disconnected: cannot log in to " + Server() + " again: " + why);
    return Exit{kExitDisconnected};
  }

  MaybeExit Deliver(ChatHost& host, const xmpp::Message& m) {
    if (xmpp::BareJid(m.from) != peer_) {
      host.Say("[xmpp] a message from " + m.from + " was ignored (not the peer)");
      return std::nullopt;
    }
    // One-to-one chat only: "chat", or "normal" (the type by default).
    if (m.type != "chat" && m.type != "normal" && !m.type.empty()) {
      host.Say("[xmpp] a " + m.type + " message from " + m.from + " was ignored");
      return std::nullopt;
    }
    return host.FromPeer(m.body);
  }

  const ChatOptions& options_;
  const std::string peer_;  // the bare JID
  std::unique_ptr<xmpp::Connection> connection_;
  std::deque<xmpp::Message> inbox_;
  std::string password_;  // kept for logging in again; wiped at the end
};

}  // namespace

std::unique_ptr<ChatTransport> MakeXmppTransport(const ChatOptions& options) {
  return std::make_unique<XmppTransport>(options);
}

}  // namespace otr::tools
