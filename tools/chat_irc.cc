// `otr chat` over IRC (tools/chat_transport.h): one peer over PRIVMSG, on
// plain TCP or TLS (tools/connection.h), the protocol pieces in tools/irc.h.
#include <poll.h>

#include "tools/chat_transport.h"
#include "tools/chat_view.h"
#include "tools/connection.h"
#include "tools/irc.h"

namespace otr::tools {
namespace {

class IrcTransport : public ChatTransport {
 public:
  explicit IrcTransport(const ChatOptions& options) : options_(options) {}

  std::string_view name() const override { return "irc"; }

  MaybeExit Connect(ChatHost& host) override {
    host.Say("[irc] connecting to " + options_.host + ":" + options_.port +
             (options_.tls.enabled ? " (TLS)" : "") + " as " + options_.nick);
    auto connection = Connection::Open(options_.host, options_.port, options_.tls);
    if (!connection.ok()) {
      host.Say("[error] " + connection.error());
      return Exit{kExitDisconnected};
    }
    connection_ = std::move(connection).value();
    if (auto e = SendLine(host, "NICK " + options_.nick + "\r\n")) return e;
    return SendLine(host, "USER " + options_.nick + " 0 * :otr chat\r\n");
  }

  int poll_fd() const override { return connection_->fd(); }

  MaybeExit Pump(ChatHost& host) override {
    // TLS may hold decrypted bytes that poll() cannot see: drain them too.
    do {
      char buffer[4096];
      auto n = connection_->Read(buffer, sizeof buffer);
      if (!n.ok() || *n == 0) {
        host.Say(n.ok() ? "[error] disconnected: the server closed the connection"
                        : "[error] disconnected: " + n.error());
        return Exit{quitting_ ? kExitOk : kExitDisconnected};
      }
      from_server_.Append(std::string_view(buffer, *n));
    } while (connection_->Buffered());
    while (auto line = from_server_.Next()) {
      auto message = ParseIrcLine(*line);
      if (!message) continue;
      if (auto e = HandleServer(host, *message)) return e;
    }
    return std::nullopt;
  }

  // One transport message per PRIVMSG; only plaintext can need splitting.
  MaybeExit Send(ChatHost& host, const std::string& text) override {
    std::string clean = GuardWhitespaceTag(text);
    for (char& c : clean) {
      if (c == '\r' || c == '\n' || c == '\0') c = ' ';
    }
    const size_t max = MaxPrivmsgText(mask_, options_.peer);
    if (clean.size() > max && clean.rfind("?OTR", 0) == 0) {
      host.Say("[error] an OTR message of " + std::to_string(clean.size()) +
               " bytes does not fit an IRC line; not sent");
      return std::nullopt;
    }
    for (const std::string& piece : SplitText(clean, max)) {
      if (auto e = SendLine(host, FormatPrivmsg(options_.peer, piece))) return e;
    }
    return std::nullopt;
  }

  // In plaintext an action is a CTCP ACTION, outside the session (a
  // whitespace tag would break the CTCP framing).
  MaybeExit SendPlainAction(ChatHost& host, const std::string& text) override {
    return Send(host, MakeCtcpAction(text));
  }

  int Leave(ChatHost& host) override {
    quitting_ = true;
    if (SendLine(host, "QUIT :otr chat\r\n")) return kExitOk;
    // Wait (briefly) for the server to close, so everything sent is relayed.
    connection_->CloseWrite();
    char buffer[4096];
    for (int i = 0; i < 30; ++i) {
      pollfd fd{connection_->fd(), POLLIN, 0};
      if (!connection_->Buffered() && poll(&fd, 1, 100) <= 0) continue;
      auto n = connection_->Read(buffer, sizeof buffer);
      if (!n.ok() || *n == 0) break;
    }
    return kExitOk;
  }

 private:
  MaybeExit SendLine(ChatHost& host, const std::string& line) {
    auto sent = connection_->Write(line);
    if (sent.ok()) return std::nullopt;
    host.Say("[error] disconnected: cannot send to the server: " + sent.error());
    return Exit{kExitDisconnected};
  }

  MaybeExit HandleServer(ChatHost& host, const IrcMessage& m) {
    const auto param = [&](size_t i) -> std::string {
      return i < m.params.size() ? m.params[i] : std::string();
    };
    if (m.command == "PING") return SendLine(host, "PONG :" + param(0) + "\r\n");
    if (m.command == "ERROR") {
      if (quitting_) return Exit{kExitOk};
      host.Say("[error] disconnected by the server: " + param(0));
      return Exit{kExitDisconnected};
    }
    if (m.command == "001") return Registered(host, param(1));
    if (m.command == "433" || m.command == "432" || m.command == "436") {
      host.Say("[error] nickname " + options_.nick +
               (m.command == "432" ? " refused by the server: " : " is already in use: ") +
               param(2));
      SendLine(host, "QUIT\r\n");
      return Exit{kExitNickRefused};
    }
    if (m.command == "401") {
      host.Say("[irc] " + param(1) + " is not on the server: messages cannot reach them");
      return std::nullopt;
    }
    if (m.command == "NOTICE") {
      // Shown, never given to OTR (RFC 2812 3.3.2: no automatic reply).
      host.Say(NoticeLine(m.prefix.empty() ? "server" : NickOf(m.prefix), param(1)));
      return std::nullopt;
    }
    if (m.command == "PRIVMSG") {
      const std::string_view from = NickOf(m.prefix);
      const std::string text = param(1);
      if (!registered_) return std::nullopt;
      if (!SameNick(from, options_.peer)) {
        host.Say("[irc] a message from " + std::string(from) + " was ignored (not the peer)");
        return std::nullopt;
      }
      // CTCP: an ACTION is a message (shown as "* bob waves"); other CTCP
      // requests (VERSION, PING, ...) are not answered.
      if (!text.empty() && text[0] == '\x01' && !CtcpAction(text)) return std::nullopt;
      // An OTR message that a client split over several PRIVMSGs (WeeChat)
      // is joined first (tools/irc.h, OtrLineJoiner).
      for (const std::string& whole : from_peer_.Add(text)) {
        if (auto e = host.FromPeer(whole)) return e;
      }
      return std::nullopt;
    }
    if (m.command.size() == 3 && (m.command[0] == '4' || m.command[0] == '5')) {
      std::string text;
      for (size_t i = 1; i < m.params.size(); ++i) text += (i > 1 ? " " : "") + m.params[i];
      host.Say("[irc] server: " + text);
    }
    return std::nullopt;
  }

  // RPL_WELCOME: "Welcome to the Internet Relay Network <nick>!<user>@<host>".
  MaybeExit Registered(ChatHost& host, const std::string& welcome) {
    if (registered_) return std::nullopt;
    registered_ = true;
    const size_t space = welcome.rfind(' ');
    const std::string last = space == std::string::npos ? welcome : welcome.substr(space + 1);
    mask_ = last.find('!') != std::string::npos && last.find('@') != std::string::npos
                ? last
                : options_.nick;
    size_t max = MaxPrivmsgText(mask_, options_.peer);
    if (options_.max_message_size != 0 && options_.max_message_size < max) {
      max = options_.max_message_size;
    }
    return host.Ready(max, "[irc] connected to " + options_.host + ":" + options_.port + " as " +
                               options_.nick + "; talking to " + options_.peer);
  }

  const ChatOptions& options_;
  std::unique_ptr<Connection> connection_;
  std::string mask_;
  bool registered_ = false;
  bool quitting_ = false;
  LineBuffer from_server_;
  OtrLineJoiner from_peer_;  // OTR messages split over PRIVMSGs, joined
};

}  // namespace

std::unique_ptr<ChatTransport> MakeIrcTransport(const ChatOptions& options) {
  return std::make_unique<IrcTransport>(options);
}

}  // namespace otr::tools
