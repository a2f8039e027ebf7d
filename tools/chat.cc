#include "tools/chat.h"

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <optional>

#include "crypto/backends.h"
#include "crypto/random.h"
#include "protocol/session/session.h"
#include "protocol/store/fingerprint.h"
#include "protocol/wire/whitespace_tag.h"
#include "tools/connection.h"
#include "tools/irc.h"
#include "tools/keystore.h"

namespace otr::tools {
namespace {

class SystemClock : public Clock {
 public:
  uint64_t NowSeconds() override {
    return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                     std::chrono::system_clock::now().time_since_epoch())
                                     .count());
  }
};

constexpr const char* kHelp[] = {
    "/otr start          start (or refresh) a private conversation",
    "/otr end            end the private conversation",
    "/smp SECRET         verify the peer with a shared secret (or answer their question)",
    "/smp-q QUESTION SECRET  the same with a question (the last word is the secret)",
    "/smp-abort          abort a running SMP",
    "/trust, /untrust    mark the peer's current fingerprint verified or not",
    "/status             show the conversation's state",
    "/quit               end the conversation and leave",
    "//text              send text that starts with '/'",
};

// Exits the event loop with a status.
struct Exit {
  int status;
};

class ChatClient {
 public:
  ChatClient(const ChatOptions& options, const crypto::Backend& backend, store::PrivateKeyEntry key,
             std::vector<store::FingerprintEntry> fingerprints, std::string fingerprints_path,
             int input_fd, std::FILE* out)
      : options_(options),
        backend_(backend),
        key_(std::move(key)),
        fingerprints_(std::move(fingerprints)),
        fingerprints_path_(std::move(fingerprints_path)),
        input_fd_(input_fd),
        out_(out) {}

  int Run() {
    Line("[irc] connecting to " + options_.host + ":" + options_.port +
         (options_.tls.enabled ? " (TLS)" : "") + " as " + options_.nick);
    auto connection = Connection::Open(options_.host, options_.port, options_.tls);
    if (!connection.ok()) {
      Line("[error] " + connection.error());
      return kExitDisconnected;
    }
    connection_ = std::move(connection).value();
    if (auto e = SendLine("NICK " + options_.nick + "\r\n")) return e->status;
    if (auto e = SendLine("USER " + options_.nick + " 0 * :otr chat\r\n")) return e->status;
    for (;;) {
      pollfd fds[2] = {{connection_->fd(), POLLIN, 0}, {input_fd_, POLLIN, 0}};
      // User input waits until we are registered and have a session.
      const nfds_t count = session_ && !input_done_ ? 2 : 1;
      if (poll(fds, count, -1) < 0) {
        if (errno == EINTR) continue;
        Line("[error] poll: " + std::string(std::strerror(errno)));
        return kExitSetup;
      }
      if (fds[0].revents != 0) {
        if (auto e = ReadSocket()) return e->status;
      }
      if (count == 2 && fds[1].revents != 0) {
        if (auto e = ReadInput()) return e->status;
      }
    }
  }

 private:
  void Line(const std::string& text) {
    std::fprintf(out_, "%s\n", text.c_str());
    std::fflush(out_);
  }

  std::optional<Exit> SendLine(const std::string& line) {
    auto sent = connection_->Write(line);
    if (sent.ok()) return std::nullopt;
    Line("[error] disconnected: cannot send to the server: " + sent.error());
    return Exit{kExitDisconnected};
  }

  // One transport message (an OTR message or fragment, or plaintext) per
  // PRIVMSG; only plaintext can need splitting.
  std::optional<Exit> SendToPeer(const std::string& text) {
    std::string clean = GuardWhitespaceTag(text);
    for (char& c : clean) {
      if (c == '\r' || c == '\n' || c == '\0') c = ' ';
    }
    const size_t max = MaxPrivmsgText(mask_, options_.peer);
    if (clean.size() > max && clean.rfind("?OTR", 0) == 0) {
      Line("[error] an OTR message of " + std::to_string(clean.size()) +
           " bytes does not fit an IRC line; not sent");
      return std::nullopt;
    }
    for (const std::string& piece : SplitText(clean, max)) {
      if (auto e = SendLine(FormatPrivmsg(options_.peer, piece))) return e;
    }
    return std::nullopt;
  }

  std::optional<Exit> ReadSocket() {
    // TLS may hold decrypted bytes that poll() cannot see: drain them too.
    do {
      char buffer[4096];
      auto n = connection_->Read(buffer, sizeof buffer);
      if (!n.ok() || *n == 0) {
        Line(n.ok() ? "[error] disconnected: the server closed the connection"
                    : "[error] disconnected: " + n.error());
        return Exit{quitting_ ? kExitOk : kExitDisconnected};
      }
      from_server_.Append(std::string_view(buffer, *n));
    } while (connection_->Buffered());
    while (auto line = from_server_.Next()) {
      auto message = ParseIrcLine(*line);
      if (!message) continue;
      if (auto e = HandleServer(*message)) return e;
    }
    return std::nullopt;
  }

  std::optional<Exit> HandleServer(const IrcMessage& m) {
    const auto param = [&](size_t i) -> std::string {
      return i < m.params.size() ? m.params[i] : std::string();
    };
    if (m.command == "PING") return SendLine("PONG :" + param(0) + "\r\n");
    if (m.command == "ERROR") {
      if (quitting_) return Exit{kExitOk};
      Line("[error] disconnected by the server: " + param(0));
      return Exit{kExitDisconnected};
    }
    if (m.command == "001") return Registered(param(1));
    if (m.command == "433" || m.command == "432" || m.command == "436") {
      Line("[error] nickname " + options_.nick +
           (m.command == "432" ? " refused by the server: " : " is already in use: ") + param(2));
      SendLine("QUIT\r\n");
      return Exit{kExitNickRefused};
    }
    if (m.command == "401") {
      Line("[irc] " + param(1) + " is not on the server: messages cannot reach them");
      return std::nullopt;
    }
    if (m.command == "PRIVMSG" || m.command == "NOTICE") {
      const std::string_view from = NickOf(m.prefix);
      const std::string text = param(1);
      if (m.command == "NOTICE" || !session_) return std::nullopt;
      if (!SameNick(from, options_.peer)) {
        Line("[irc] a message from " + std::string(from) + " was ignored (not the peer)");
        return std::nullopt;
      }
      if (!text.empty() && text[0] == '\x01') return std::nullopt;  // CTCP
      return Handle(session_->Receive(Now(), text));
    }
    if (m.command.size() == 3 && (m.command[0] == '4' || m.command[0] == '5')) {
      std::string text;
      for (size_t i = 1; i < m.params.size(); ++i) text += (i > 1 ? " " : "") + m.params[i];
      Line("[irc] server: " + text);
    }
    return std::nullopt;
  }

  // RPL_WELCOME: "Welcome to the Internet Relay Network <nick>!<user>@<host>".
  std::optional<Exit> Registered(const std::string& welcome) {
    if (session_) return std::nullopt;
    const size_t space = welcome.rfind(' ');
    const std::string last = space == std::string::npos ? welcome : welcome.substr(space + 1);
    mask_ = last.find('!') != std::string::npos && last.find('@') != std::string::npos
                ? last
                : options_.nick;
    SessionConfig config;
    config.backend = &backend_;
    config.identity.dsa = &key_.key;
    config.policy = options_.policy;
    config.max_message_size = MaxPrivmsgText(mask_, options_.peer);
    for (const auto& e : fingerprints_) {
      if (e.username == options_.peer && e.accountname == key_.account_name &&
          e.protocol == key_.protocol) {
        config.known_fingerprints.push_back({e.fingerprint, !e.trust.empty()});
      }
    }
    auto session = Session::Create(config, random_);
    if (!session.ok()) {
      Line("[error] cannot create the OTR session: " +
           std::string(ErrorCodeName(session.error().code)));
      return Exit{kExitSetup};
    }
    session_.emplace(std::move(session).value());
    Line("[irc] connected to " + options_.host + ":" + options_.port + " as " + options_.nick +
         "; talking to " + options_.peer);
    Line("[otr] our fingerprint (" + key_.account_name +
         "): " + store::FingerprintToHuman(session_->our_fingerprint()) + "; policy " +
         options_.policy_name + ", " + std::to_string(config.max_message_size) + "-byte messages");
    return std::nullopt;
  }

  std::optional<Exit> ReadInput() {
    char buffer[4096];
    const ssize_t n = read(input_fd_, buffer, sizeof buffer);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) return std::nullopt;
    if (n > 0) {
      from_user_.Append(std::string_view(buffer, static_cast<size_t>(n)));
    } else {
      input_done_ = true;
      from_user_.Append(from_user_.TakeRest() + "\n");
    }
    while (auto line = from_user_.Next()) {
      if (auto e = HandleInput(ParseChatInput(*line))) return e;
    }
    if (input_done_) return Quit();
    return std::nullopt;
  }

  std::optional<Exit> HandleInput(const ChatInput& in) {
    using Kind = ChatInput::Kind;
    switch (in.kind) {
      case Kind::kEmpty:
        return std::nullopt;
      case Kind::kInvalid:
        Line("[error] " + in.text);
        return std::nullopt;
      case Kind::kHelp:
        for (const char* h : kHelp) Line(std::string("[info] ") + h);
        return std::nullopt;
      case Kind::kStatus:
        Status();
        return std::nullopt;
      case Kind::kMessage:
        return SendMessage(in.text);
      case Kind::kOtrStart:
        Line("[otr] starting a private conversation with " + options_.peer);
        return Handle(session_->StartOtr(Now()));
      case Kind::kOtrEnd:
        if (session_->state() == ConversationState::kPlaintext) {
          Line("[otr] the conversation is not private; nothing to end");
          return std::nullopt;
        }
        return Handle(session_->EndOtr(Now()));
      case Kind::kSmp:
      case Kind::kSmpQuestion:
        return Smp(in);
      case Kind::kSmpAbort:
        smp_asked_ = false;
        return Handle(session_->AbortSmp(Now()));
      case Kind::kTrust:
      case Kind::kUntrust:
        SetTrust(in.kind == Kind::kTrust ? kTrustVerified : "");
        return std::nullopt;
      case Kind::kQuit:
        return Quit();
    }
    return std::nullopt;
  }

  std::optional<Exit> SendMessage(const std::string& text) {
    const ConversationState before = session_->state();
    Output out = session_->Send(Now(), text);
    const bool held =
        out.HasEvent(EventType::kEncryptionRequired) || out.HasEvent(EventType::kCannotSend);
    if (!held) {
      Line((before == ConversationState::kEncrypted ? "[sent:private] " : "[sent:PLAINTEXT] ") +
           text);
    }
    return Handle(std::move(out));
  }

  std::optional<Exit> Smp(const ChatInput& in) {
    if (session_->state() != ConversationState::kEncrypted) {
      Line("[smp] SMP needs a private conversation: /otr start first");
      return std::nullopt;
    }
    if (in.kind == ChatInput::Kind::kSmp && smp_asked_) {
      smp_asked_ = false;
      Line("[smp] answering " + options_.peer + "'s question");
      return Handle(session_->RespondSmp(Now(), in.secret));
    }
    smp_asked_ = false;
    Line("[smp] asking " + options_.peer + " to verify" +
         (in.question.empty() ? std::string() : " with the question: " + in.question));
    if (in.kind == ChatInput::Kind::kSmpQuestion) {
      return Handle(session_->StartSmp(Now(), in.secret, in.question));
    }
    return Handle(session_->StartSmp(Now(), in.secret));
  }

  std::optional<Exit> Quit() {
    if (session_ && session_->state() != ConversationState::kPlaintext) {
      if (auto e = Handle(session_->EndOtr(Now()))) return e;
    }
    quitting_ = true;
    Line("[irc] leaving");
    if (auto e = SendLine("QUIT :otr chat\r\n")) return Exit{kExitOk};
    // Wait (briefly) for the server to close, so everything sent is relayed.
    connection_->CloseWrite();
    char buffer[4096];
    for (int i = 0; i < 30; ++i) {
      pollfd fd{connection_->fd(), POLLIN, 0};
      if (!connection_->Buffered() && poll(&fd, 1, 100) <= 0) continue;
      auto n = connection_->Read(buffer, sizeof buffer);
      if (!n.ok() || *n == 0) break;
    }
    return Exit{kExitOk};
  }

  void Status() {
    const auto fp = session_->their_fingerprint();
    switch (session_->state()) {
      case ConversationState::kEncrypted:
        Line("[otr] status: private (OTR v" + std::to_string(session_->version()) + "), " +
             options_.peer + "'s fingerprint " + (fp ? Describe(*fp) : "unknown"));
        break;
      case ConversationState::kFinished:
        Line("[otr] status: finished (" + options_.peer +
             " ended the private conversation; /otr end or /otr start)");
        break;
      case ConversationState::kPlaintext:
        Line("[otr] status: not private");
        break;
    }
  }

  bool Trusted(const store::Fingerprint& fp) {
    auto* e = FindFingerprint(fingerprints_, options_.peer, key_.account_name, key_.protocol, fp);
    return e != nullptr && !e->trust.empty();
  }

  std::string Describe(const store::Fingerprint& fp) {
    return store::FingerprintToHuman(fp) + (Trusted(fp) ? " (verified)" : " (UNVERIFIED)");
  }

  // Records the peer's current fingerprint with `trust` (empty: not
  // verified) in the session and the fingerprints file.
  void SetTrust(std::string_view trust) {
    const auto fp = session_->their_fingerprint();
    if (!fp) {
      Line("[otr] no fingerprint of " + options_.peer + " yet: /otr start first");
      return;
    }
    session_->SetTrust(*fp, !trust.empty());
    Remember(*fp, trust);
    Line("[otr] " + options_.peer + "'s fingerprint " + store::FingerprintToHuman(*fp) + " is " +
         (trust.empty() ? "now UNVERIFIED" : "now verified"));
  }

  void Remember(const store::Fingerprint& fp, std::string_view trust) {
    if (!SetFingerprintTrust(fingerprints_, options_.peer, key_.account_name, key_.protocol, fp,
                             trust)) {
      return;
    }
    auto saved = SaveFingerprints(fingerprints_path_, fingerprints_, /*replace=*/true);
    if (!saved.ok()) Line("[error] " + saved.error());
  }

  std::optional<Exit> Handle(Output out) {
    for (const std::string& s : out.to_send) {
      if (auto e = SendToPeer(s)) return e;
    }
    for (const Displayed& d : out.display) {
      if (d.encrypted) {
        Line("<" + options_.peer + ":private> " + d.text);
      } else {
        Line("<" + options_.peer + ":PLAINTEXT> " + std::string(WithoutTagGuard(d.text)));
      }
    }
    for (const Event& e : out.events) Report(e);
    return std::nullopt;
  }

  void Report(const Event& e) {
    const auto fp = session_->their_fingerprint();
    switch (e.type) {
      case EventType::kWentSecure:
        if (fp &&
            !FindFingerprint(fingerprints_, options_.peer, key_.account_name, key_.protocol, *fp)) {
          Remember(*fp, "");  // as libotr: every key seen is recorded, unverified
        }
        Line("[otr] secure: private conversation with " + options_.peer + " (OTR v" +
             std::to_string(session_->version()) + "), fingerprint " +
             (fp ? Describe(*fp) : "unknown"));
        Line("[otr] secure session id: " + session_->ssid_text());
        return;
      case EventType::kWentInsecure:
        Line("[otr] insecure: the private conversation with " + options_.peer + " ended");
        return;
      case EventType::kPeerEnded:
        Line("[otr] insecure: " + options_.peer +
             " ended the private conversation; /otr end to go back to plaintext, or /otr "
             "start");
        return;
      case EventType::kNewFingerprint:
        Line("[otr] new fingerprint for " + options_.peer + ": " + e.text +
             " (verify it with /smp or compare it out of band, then /trust)");
        return;
      case EventType::kUnencryptedReceived:
        Line("[otr] warning: the last message from " + options_.peer + " was NOT encrypted");
        return;
      case EventType::kEncryptionRequired:
        Line("[held] the message waits for the private conversation, which is being started");
        return;
      case EventType::kCannotSend:
        Line("[held] not sent: " + options_.peer +
             " ended the private conversation; it goes out privately if one starts again "
             "(/otr start), /otr end to write in plaintext");
        return;
      case EventType::kStoredMessageSent:
        Line("[sent:private] " + e.text);
        return;
      case EventType::kUndecryptable:
        Line("[otr] an encrypted message from " + options_.peer + " could not be read");
        return;
      case EventType::kErrorReceived:
        Line("[otr] error from " + options_.peer + ": " + e.text);
        return;
      case EventType::kSmpAskSecret:
        smp_asked_ = true;
        Line("[smp] " + options_.peer + " wants to verify you" +
             (e.text.empty() ? std::string() : " and asks: " + e.text) +
             " (answer with /smp SECRET)");
        return;
      case EventType::kSmpSucceeded:
        smp_asked_ = false;
        if (fp) {
          session_->SetTrust(*fp, true);
          Remember(*fp, kTrustSmp);
        }
        Line("[smp] success: the secrets match; " + options_.peer + "'s fingerprint " +
             (fp ? store::FingerprintToHuman(*fp) : std::string("?")) + " is verified");
        return;
      case EventType::kSmpFailed:
        smp_asked_ = false;
        Line("[smp] failed: the secrets differ; " + options_.peer + " is NOT verified");
        return;
      case EventType::kSmpAborted:
        smp_asked_ = false;
        Line("[smp] aborted");
        return;
      case EventType::kSmpCheated:
        smp_asked_ = false;
        Line("[smp] failed: a proof from " + options_.peer + " did not verify; aborted");
        return;
      default:
        Line("[otr] " + std::string(EventTypeName(e.type)) + (e.text.empty() ? "" : ": ") + e.text);
        return;
    }
  }

  const ChatOptions& options_;
  const crypto::Backend& backend_;
  store::PrivateKeyEntry key_;
  std::vector<store::FingerprintEntry> fingerprints_;
  std::string fingerprints_path_;
  int input_fd_;
  std::FILE* out_;
  std::unique_ptr<Connection> connection_;
  std::string mask_;
  LineBuffer from_server_;
  LineBuffer from_user_{64 * 1024};
  bool input_done_ = false;
  bool quitting_ = false;
  bool smp_asked_ = false;
  crypto::OsRandom random_;
  SystemClock clock_;
  uint64_t Now() { return clock_.NowSeconds(); }
  std::optional<Session> session_;
};

}  // namespace

std::string GuardWhitespaceTag(std::string_view text) {
  const size_t start = text.find(wire::kWhitespaceTagBase);
  if (start == std::string_view::npos) return std::string(text);
  const auto tagged = wire::DecodeTaggedPlaintext(text);
  // Only a tag that ends the text: then the text is what precedes it.
  if (!tagged || tagged->text != text.substr(0, start)) return std::string(text);
  return std::string(text) + std::string(kTagGuard);
}

std::string_view WithoutTagGuard(std::string_view text) {
  if (text.size() >= kTagGuard.size() && text.substr(text.size() - kTagGuard.size()) == kTagGuard) {
    text.remove_suffix(kTagGuard.size());
  }
  return text;
}

int RunChat(const ChatOptions& options, int input_fd, std::FILE* out) {
  const crypto::Backend* backend = &crypto::DefaultBackend();
  if (!options.backend.empty()) {
    auto found = crypto::FindBackend(options.backend);
    if (!found.ok()) {
      std::fprintf(out, "[error] unknown backend '%s' (openssl or gcrypt)\n",
                   options.backend.c_str());
      return kExitUsage;
    }
    backend = *found;
  }
  const StorePaths paths = StorePaths::In(options.dir);
  auto keys = LoadKeys(paths.private_key);
  if (!keys.ok()) {
    std::fprintf(out, "[error] %s\n", keys.error().c_str());
    return kExitSetup;
  }
  std::string account = options.account;
  if (account.empty()) {
    const std::string usual = options.nick + "@" + options.host;
    if (FindKey(*keys, usual, options.protocol) != nullptr) account = usual;
  }
  auto key = ChooseKey(*keys, account, options.protocol);
  if (!key.ok()) {
    std::fprintf(out, "[error] %s (key file %s)\n", key.error().c_str(), paths.private_key.c_str());
    return kExitSetup;
  }
  auto fingerprints = LoadFingerprints(paths.fingerprints);
  if (!fingerprints.ok()) {
    std::fprintf(out, "[error] %s\n", fingerprints.error().c_str());
    return kExitSetup;
  }
  ChatClient client(options, *backend, **key, std::move(fingerprints).value(), paths.fingerprints,
                    input_fd, out);
  return client.Run();
}

int RunChatCommand(const std::vector<std::string>& args) {
  auto options = ParseChatOptions(args, std::getenv("XDG_CONFIG_HOME"), std::getenv("HOME"));
  if (!options.ok()) {
    std::fprintf(stderr,
                 "otr chat: %s\nusage: otr chat --irc HOST:PORT [--tls] [--tls-ca FILE]\n"
                 "                --nick NICK --peer NICK\n"
                 "                [--policy manual|opportunistic|always] [--dir D]\n"
                 "                [--account NAME] [--protocol P] [--backend openssl|gcrypt]\n",
                 options.error().c_str());
    return kExitUsage;
  }
  return RunChat(*options, STDIN_FILENO, stdout);
}

}  // namespace otr::tools
