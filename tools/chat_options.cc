// Parsing for `otr chat`: its command line and the lines typed at its prompt.
#include <optional>
#include <string_view>

#include "tools/args.h"
#include "tools/chat.h"
#include "tools/irc.h"
#include "tools/keystore.h"
#include "tools/xmpp/jid.h"

namespace otr::tools {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

ChatInput Invalid(std::string why) {
  ChatInput in;
  in.kind = ChatInput::Kind::kInvalid;
  in.text = std::move(why);
  return in;
}

ChatInput Simple(ChatInput::Kind kind) {
  ChatInput in;
  in.kind = kind;
  return in;
}

// "HOST:PORT" (or "[::1]:PORT"); the reason when it is not one.
std::optional<std::string> ParseHostPort(const std::string& text, const std::string& option,
                                         std::string* host, std::string* port) {
  const size_t colon = text.rfind(':');
  if (text.empty()) return option + " HOST:PORT is required";
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) {
    return option + " wants HOST:PORT, got '" + text + "'";
  }
  *host = text.substr(0, colon);
  if (host->size() > 2 && host->front() == '[' && host->back() == ']') {
    *host = host->substr(1, host->size() - 2);  // [::1]:6667
  }
  *port = text.substr(colon + 1);
  if (port->find_first_not_of("0123456789") != std::string::npos || port->size() > 5 ||
      std::stoul(*port) == 0 || std::stoul(*port) > 65535) {
    return "bad port '" + *port + "'";
  }
  return std::nullopt;
}

// A JID as `otr chat` takes it (RFC 7622, simplified): localpart@domain,
// optionally /resource, without spaces or control characters.
bool ValidJid(std::string_view jid) {
  const size_t at = jid.find('@');
  const size_t slash = jid.find('/');
  if (at == std::string_view::npos || at == 0 || at + 1 >= jid.size() ||
      (slash != std::string_view::npos && (slash < at || slash == at + 1))) {
    return false;
  }
  if (jid.size() > 3071) return false;  // RFC 7622 3.1: three parts of 1023 bytes at most
  for (char c : jid) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return false;
  }
  return jid.find('@', at + 1) == std::string_view::npos ||
         (slash != std::string_view::npos && jid.find('@', at + 1) > slash);
}

}  // namespace

Outcome<ChatOptions> ParseChatOptions(const std::vector<std::string>& args,
                                      const char* xdg_config_home, const char* home) {
  auto parsed =
      ParseArgs(args, OptionSpec{{"irc", "xmpp", "server", "password-file", "max-message-size",
                                  "nick", "peer", "policy", "dir", "account", "protocol", "backend",
                                  "tls-ca", "prekey-messages", "compat"},
                                 {"tls", "no-v4", "no-offline"}});
  if (!parsed.ok()) return Failure{parsed.error()};
  const ParsedArgs& p = *parsed;
  if (!p.positional.empty()) return Failure{"unexpected argument '" + p.positional.front() + "'"};
  ChatOptions o;
  if (p.Has("irc") == p.Has("xmpp")) return Failure{"give one of --irc HOST:PORT and --xmpp JID"};
  o.tls.enabled = p.Flag("tls") || p.Has("tls-ca");
  o.tls.ca_file = p.Get("tls-ca");
  if (p.Has("tls-ca") && o.tls.ca_file.empty()) return Failure{"--tls-ca is empty"};
  if (p.Has("max-message-size")) {
    const std::string size = p.Get("max-message-size");
    if (size.empty() || size.size() > 9 ||
        size.find_first_not_of("0123456789") != std::string::npos ||
        std::stoul(size) < kMinMessageSize) {
      return Failure{"--max-message-size wants a number of bytes, at least " +
                     std::to_string(kMinMessageSize)};
    }
    o.max_message_size = std::stoul(size);
  }
  o.peer = p.Get("peer");
  if (p.Has("xmpp")) {
    for (const char* irc_only : {"nick"}) {
      if (p.Has(irc_only)) return Failure{"--" + std::string(irc_only) + " is for --irc"};
    }
    o.network = ChatNetwork::kXmpp;
    o.nick = p.Get("xmpp");
    if (!ValidJid(o.nick)) return Failure{"--xmpp: '" + o.nick + "' is not a JID (user@domain)"};
    if (!ValidJid(o.peer)) return Failure{"--peer: '" + o.peer + "' is not a JID (user@domain)"};
    if (xmpp::BareJid(o.peer) != o.peer) return Failure{"--peer wants a bare JID (no /resource)"};
    if (xmpp::BareJid(o.nick) == o.peer) return Failure{"--peer must differ from --xmpp"};
    const std::string server = p.Get("server", xmpp::JidDomain(o.nick) + ":5222");
    if (auto bad = ParseHostPort(server, "--server", &o.host, &o.port)) return Failure{*bad};
    o.password_file = p.Get("password-file");
    if (o.password_file.empty()) return Failure{"--password-file FILE is required with --xmpp"};
    o.offline = !p.Flag("no-offline");
    if (p.Has("prekey-messages")) {
      const std::string n = p.Get("prekey-messages");
      if (n.empty() || n.size() > 3 || n.find_first_not_of("0123456789") != std::string::npos ||
          std::stoul(n) > kMaxPrekeyMessages) {
        return Failure{"--prekey-messages wants a number from 0 to " +
                       std::to_string(kMaxPrekeyMessages)};
      }
      o.prekey_messages = static_cast<uint32_t>(std::stoul(n));
    }
  } else {
    for (const char* xmpp_only : {"server", "password-file", "prekey-messages"}) {
      if (p.Has(xmpp_only)) return Failure{"--" + std::string(xmpp_only) + " is for --xmpp"};
    }
    if (p.Flag("no-offline")) return Failure{"--no-offline is for --xmpp"};
    if (auto bad = ParseHostPort(p.Get("irc"), "--irc", &o.host, &o.port)) return Failure{*bad};
    o.nick = p.Get("nick");
    if (!ValidNick(o.nick)) return Failure{"--nick: '" + o.nick + "' is not a valid IRC nickname"};
    if (!ValidNick(o.peer)) return Failure{"--peer: '" + o.peer + "' is not a valid IRC nickname"};
    if (SameNick(o.nick, o.peer)) return Failure{"--peer must differ from --nick"};
  }
  o.policy_name = p.Get("policy", "manual");
  if (o.policy_name == "manual") {
    o.policy = Policy::Manual();
  } else if (o.policy_name == "opportunistic") {
    o.policy = Policy::Opportunistic();
  } else if (o.policy_name == "always") {
    o.policy = Policy::Always();
  } else {
    return Failure{"--policy must be manual, opportunistic or always"};
  }
  if (p.Has("dir")) {
    o.dir = p.Get("dir");
    if (o.dir.empty()) return Failure{"--dir is empty"};
  } else {
    auto dir = DefaultDir(xdg_config_home, home);
    if (!dir) return Failure{"no HOME or XDG_CONFIG_HOME: give --dir"};
    o.dir = *dir;
  }
  o.account = p.Get("account");
  o.protocol = p.Get("protocol", std::string(kDefaultProtocol));
  o.protocol_given = p.Has("protocol");
  if (o.protocol_given && o.protocol.empty()) return Failure{"--protocol is empty"};
  o.backend = p.Get("backend");
  o.v4 = !p.Flag("no-v4");
  // --compat libotr-ng: the v4 engine speaks libotr-ng's variant of OTRv4
  // (Policy::v4_variant, decision 0025), never by default.
  if (p.Has("compat")) {
    if (p.Get("compat") != "libotr-ng") return Failure{"--compat must be libotr-ng"};
    if (!o.v4) return Failure{"--compat libotr-ng needs v4: drop --no-v4"};
    o.policy.v4_variant = V4Variant::kLibotrNg;
  }
  return o;
}

ChatInput ParseChatInput(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (Trim(line).empty()) return Simple(ChatInput::Kind::kEmpty);
  if (line.front() != '/') {
    ChatInput in;
    in.kind = ChatInput::Kind::kMessage;
    in.text = std::string(line);
    return in;
  }
  if (line.size() >= 2 && line[1] == '/') {  // "//text" sends "/text"
    ChatInput in;
    in.kind = ChatInput::Kind::kMessage;
    in.text = std::string(line.substr(1));
    return in;
  }
  const size_t space = line.find(' ');
  const std::string_view command = line.substr(0, space);
  const std::string_view rest =
      space == std::string_view::npos ? std::string_view() : Trim(line.substr(space + 1));
  using Kind = ChatInput::Kind;
  if (command == "/me") {
    if (rest.empty()) return Invalid("use /me ACTION");
    ChatInput in = Simple(Kind::kAction);
    in.text = std::string(line.substr(space + 1));
    return in;
  }
  if (command == "/otr") {
    if (rest == "start") return Simple(Kind::kOtrStart);
    if (rest == "end") return Simple(Kind::kOtrEnd);
    if (rest == "send-held") return Simple(Kind::kSendHeld);
    if (rest == "discard") return Simple(Kind::kDiscardHeld);
    if (rest.substr(0, 4) == "key ") {
      // "/otr key USE [DATA]" (otr v3 spec, "Extra symmetric key": a 4-byte
      // use field, then use-specific data).
      const std::string_view args = Trim(rest.substr(4));
      const std::string_view use = args.substr(0, args.find(' '));
      if (use.empty() || use.size() > 10 ||
          use.find_first_not_of("0123456789") != std::string_view::npos ||
          std::stoull(std::string(use)) > 0xffffffffu) {
        return Invalid("use /otr key USE [DATA] (USE: a number below 2^32)");
      }
      ChatInput in = Simple(Kind::kExtraKey);
      in.use = static_cast<uint32_t>(std::stoull(std::string(use)));
      if (use.size() < args.size()) in.text = std::string(Trim(args.substr(use.size())));
      return in;
    }
    return Invalid("use /otr start, /otr end, /otr send-held, /otr discard or /otr key USE");
  }
  if (command == "/smp") {
    if (rest.empty()) return Invalid("use /smp SECRET");
    ChatInput in = Simple(Kind::kSmp);
    in.secret = std::string(rest);
    return in;
  }
  if (command == "/smp-q") {
    const size_t last = rest.rfind(' ');
    if (last == std::string_view::npos) return Invalid("use /smp-q QUESTION SECRET");
    ChatInput in = Simple(Kind::kSmpQuestion);
    in.question = std::string(Trim(rest.substr(0, last)));
    in.secret = std::string(rest.substr(last + 1));
    return in;
  }
  const bool bare = rest.empty();
  if (command == "/smp-abort" && bare) return Simple(Kind::kSmpAbort);
  if (command == "/trust" && bare) return Simple(Kind::kTrust);
  if (command == "/untrust" && bare) return Simple(Kind::kUntrust);
  if (command == "/status" && bare) return Simple(Kind::kStatus);
  if (command == "/help" && bare) return Simple(Kind::kHelp);
  if (command == "/quit" && bare) return Simple(Kind::kQuit);
  return Invalid("unknown command " + std::string(line) + " (/help lists them)");
}

const std::string_view kChatUsage =
    "usage: otr chat --irc HOST:PORT [--tls] [--tls-ca FILE] --nick NICK --peer NICK\n"
    "       otr chat --xmpp JID [--server HOST:PORT] --password-file F [--tls] [--tls-ca FILE]\n"
    "                --peer JID [--prekey-messages N] [--no-offline]\n"
    "       either with [--max-message-size BYTES]\n"
    "                [--policy manual|opportunistic|always] [--dir D]\n"
    "                [--account NAME] [--protocol P] [--backend openssl|gcrypt] [--no-v4]\n"
    "                [--compat libotr-ng]\n"
    "Talks OTR with one peer over IRC private messages, or XMPP chat messages\n"
    "(STARTTLS when the server offers it, the certificate checked against the\n"
    "system's CAs or --tls-ca FILE's; --tls: TLS required). The key is NICK@HOST's\n"
    "(XMPP: the JID's), or\n"
    "the only one in D (see docs/otr-cli.md); --account and --protocol choose\n"
    "another (keys imported from irssi have protocol IRC, Pidgin's prpl-irc).\n"
    "With a v4 key (otr keygen makes one) OTR v4 is offered first, v3 is the\n"
    "fallback; --no-v4 speaks v2/v3 only; --compat libotr-ng speaks libotr-ng's\n"
    "variant of OTR v4 (pidgin-otrng; docs/libotr-ng-deviations.md) instead of the spec's.\n"
    "XMPP with a v4 key: the prekey server found by service discovery keeps N\n"
    "(default 100) of our Prekey Messages; a message to a peer who is offline\n"
    "starts an offline conversation with one of theirs (--no-offline: never);\n"
    "with --compat libotr-ng in libotr-ng's variant, which the prekey server must\n"
    "serve (otr-prekey-server --accept-libotr-ng=true).\n"
    "Exit status: 0 after /quit or end of input, 1 setup failure, 2 usage,\n"
    "3 connection failed or lost (XMPP: or login refused), 4 nickname refused or in use.\n"
    "Commands at the prompt:\n";

const std::vector<std::string_view> kChatCommandHelp = {
    "/otr start          start (or refresh) a private conversation",
    "/otr end            end the private conversation",
    "/otr send-held      send the held message to the peer's (unverified) key",
    "/otr discard        drop the held message",
    "/otr key USE [DATA] derive the extra symmetric key and tell the peer (use USE, data DATA)",
    "/me ACTION          an action, shown as \"* nick ACTION\"",
    "/smp SECRET         check that the peer knows the same secret (or answer their check)",
    "/smp-q QUESTION SECRET  ask a question; the last word is the answer you expect",
    "/smp-abort          abort a running SMP",
    "/trust, /untrust    mark the peer's current fingerprint verified or not",
    "/status             show the conversation's state",
    "/help               this list",
    "/quit               end the conversation and leave",
    "//text              send text that starts with '/'",
};

namespace {

std::string KeyList(const store::PrivateKeyFile& keys) {
  std::string list;
  for (const auto& k : keys.accounts) {
    list += (list.empty() ? "" : ", ") + k.account_name + " (" + k.protocol + ")";
  }
  return list.empty() ? "none" : list;
}

// The keys of `account`, of `protocol` unless that is empty.
std::vector<const store::PrivateKeyEntry*> KeysOf(const store::PrivateKeyFile& keys,
                                                  std::string_view account,
                                                  std::string_view protocol) {
  std::vector<const store::PrivateKeyEntry*> found;
  for (const auto& k : keys.accounts) {
    if ((account.empty() || k.account_name == account) &&
        (protocol.empty() || k.protocol == protocol)) {
      found.push_back(&k);
    }
  }
  return found;
}

}  // namespace

Outcome<const store::PrivateKeyEntry*> ChooseChatKey(const store::PrivateKeyFile& keys,
                                                     const ChatOptions& o) {
  const std::string protocol = o.protocol_given ? o.protocol : "";
  // IRC: nick@server; XMPP: our bare JID.
  const std::string usual =
      o.network == ChatNetwork::kXmpp ? xmpp::BareJid(o.nick) : o.nick + "@" + o.host;
  const std::string account = o.account.empty() ? usual : o.account;
  auto mine = KeysOf(keys, account, protocol);
  if (mine.size() == 1) return mine.front();
  if (mine.size() > 1) {
    return Failure{"account " + account + " has keys of several protocols (" + KeyList(keys) +
                   "): choose one with --protocol"};
  }
  if (o.account.empty()) {
    auto any = KeysOf(keys, "", protocol);
    if (any.size() == 1) return any.front();
    if (!any.empty() || (keys.accounts.size() > 1 && protocol.empty())) {
      return Failure{"no key for " + usual + (protocol.empty() ? "" : " (" + protocol + ")") +
                     ", and several others (" + KeyList(keys) +
                     "): choose one with --account (and --protocol)"};
    }
  }
  return Failure{
      "no key for account " + account + (protocol.empty() ? "" : " (protocol " + protocol + ")") +
      "; keys there: " + KeyList(keys) + "; make one with: otr keygen --account " + account};
}

}  // namespace otr::tools
