// `otr chat` over XMPP (tools/chat_transport.h): one peer JID, OTR in the
// <body/> of type='chat' messages (RFC 6121 5.2.2), as Pidgin, Gajim and
// profanity send it, through libstrophe (tools/xmpp/connection.h; STARTTLS
// when offered, the certificate always verified). For v4 offline
// conversations it also tracks the peer's presence (RFC 6121: it asks for
// the peer's presence and approves the peer's request, no one else's) and
// finds the account's prekey server by service discovery at every login
// (tools/xmpp/prekey_discovery.h), whose messages it keeps apart from the
// peer's.
#include <chrono>
#include <cstdio>
#include <deque>
#include <fstream>
#include <set>
#include <thread>

#include "tools/chat_transport.h"
#include "tools/xmpp/connection.h"
#include "tools/xmpp/jid.h"
#include "tools/xmpp/prekey_discovery.h"

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
    return Drain(host);
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

  PeerPresence peer_presence() const override { return presence_; }
  std::optional<PrekeyServerAddress> prekey_server() const override { return prekey_server_; }

  // Prekey-server messages travel in <body> of message stanzas
  // (otr-v4-prekey-server.md, "A Prekey Server for OTRv4 over XMPP").
  MaybeExit SendToPrekeyServer(ChatHost& host, const std::string& server,
                               const std::string& text) override {
    if (connection_->SendMessage(server, text, "normal").ok()) return std::nullopt;
    host.Say("[error] a message could not be sent to the prekey server " + server);
    return std::nullopt;
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
    connection_->SetPresenceHandler([this](const xmpp::Presence& p) { OnPresence(p); });
    peer_resources_.clear();
    presence_ = PeerPresence::kUnknown;
    Discover();
    // Ask for the peer's presence (RFC 6121 3.1; a request already approved
    // is answered again by the server) before the initial presence, whose
    // probes then bring the peer's current presence (available, or
    // unavailable when the peer is logged out).
    if (!connection_->SendPresence(peer_, "subscribe").ok() || !connection_->SendPresence().ok()) {
      *why = "the stream closed at once";
      return false;
    }
    return true;
  }

  // The prekey server of our domain, when offline conversations are on.
  void Discover() {
    prekey_server_.reset();
    discovery_note_.clear();
    if (!options_.offline) return;
    std::string why;
    auto found = xmpp::DiscoverPrekeyServer(*connection_, xmpp::JidDomain(options_.nick),
                                            kDiscoveryTimeoutMs, &why);
    if (!found) {
      discovery_note_ = "[xmpp] no prekey server found (" + why + "): no offline conversations";
      return;
    }
    prekey_server_ =
        PrekeyServerAddress{xmpp::BareJid(options_.nick), found->jid, found->fingerprint};
    discovery_note_ = "[xmpp] prekey server " + found->jid + " found by service discovery";
  }

  // RFC 6121: the peer's available resources; a request to see our presence
  // is approved for the peer only.
  void OnPresence(const xmpp::Presence& p) {
    if (xmpp::BareJid(p.from) != peer_) return;
    const PeerPresence before = presence_;
    if (p.type.empty()) {
      if (peer_resources_.size() < kMaxPeerResources) peer_resources_.insert(p.from);
      presence_ = PeerPresence::kAvailable;
    } else if (p.type == "unavailable") {
      // From the bare JID (the server's answer to a probe): no resource is.
      if (p.from == peer_) peer_resources_.clear();
      peer_resources_.erase(p.from);
      if (peer_resources_.empty()) presence_ = PeerPresence::kUnavailable;
    } else if (p.type == "subscribe") {
      (void)connection_->SendPresence(peer_, "subscribed");
    }
    if (presence_ != before) {
      notes_.push_back("[xmpp] " + peer_ +
                       (presence_ == PeerPresence::kAvailable ? " is online" : " is offline"));
    }
  }

  // What arrived: status lines, the prekey server's messages, the peer's.
  MaybeExit Drain(ChatHost& host) {
    if (!discovery_note_.empty()) {
      host.Say(discovery_note_);
      discovery_note_.clear();
    }
    while (!inbox_.empty() || !notes_.empty()) {
      while (!notes_.empty()) {
        host.Say(notes_.front());
        notes_.pop_front();
      }
      if (inbox_.empty()) break;
      const xmpp::Message m = std::move(inbox_.front());
      inbox_.pop_front();
      if (auto e = Deliver(host, m)) return e;
    }
    if (!connection_->connected()) return Reconnect(host);
    return std::nullopt;
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
        return host.Reconnected();
      }
    }
    host.Say("[error] disconnected: cannot log in to " + Server() + " again: " + why);
    return Exit{kExitDisconnected};
  }

  MaybeExit Deliver(ChatHost& host, const xmpp::Message& m) {
    if (prekey_server_ && m.from == prekey_server_->jid) return host.FromPrekeyServer(m.body);
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

  // Service discovery waits this long for each answer at login.
  static constexpr int kDiscoveryTimeoutMs = 5'000;
  // The peer's resources we keep track of (a peer cannot grow it further).
  static constexpr size_t kMaxPeerResources = 64;

  const ChatOptions& options_;
  const std::string peer_;  // the bare JID
  std::unique_ptr<xmpp::Connection> connection_;
  std::deque<xmpp::Message> inbox_;
  std::deque<std::string> notes_;  // status lines from the stanza handlers
  std::string discovery_note_;
  std::set<std::string> peer_resources_;  // full JIDs that sent available presence
  PeerPresence presence_ = PeerPresence::kUnknown;
  std::optional<PrekeyServerAddress> prekey_server_;
  std::string password_;  // kept for logging in again; wiped at the end
};

}  // namespace

std::unique_ptr<ChatTransport> MakeXmppTransport(const ChatOptions& options) {
  return std::make_unique<XmppTransport>(options);
}

}  // namespace otr::tools
