// `otr demo`: two parties, Alice and Bob, hold an OTR conversation in one
// process with no server, and a wiretap prints what crosses the wire: the
// query, each AKE message decoded with its size, the fingerprints and session
// id, messages both ways with their key ids rotating, an SMP run with a
// question, a long message in fragments, and the end.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "crypto/backends.h"
#include "crypto/random.h"
#include "protocol/session/session.h"
#include "protocol/store/fingerprint.h"
#include "protocol/v3/messages.h"
#include "protocol/wire/classify.h"
#include "tools/args.h"
#include "tools/cmd_demo_v4.h"
#include "tools/cmd_demo_wiretap.h"
#include "tools/command.h"
#include "tools/terminal_text.h"

namespace otr::tools {
namespace {

struct Options {
  int version = 4;  // both sides allow v4: v4 is chosen (--version 3 or 2 for the old demo)
  std::string backend = "openssl";
  int messages = 4;
  size_t max_size = 400;  // an IRC-sized line
  bool wire = false;
  bool color = isatty(STDOUT_FILENO) != 0;
};

class SystemClock {
 public:
  uint64_t NowSeconds() const {
    return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                     std::chrono::system_clock::now().time_since_epoch())
                                     .count());
  }
};

using Printer = DemoPrinter;

std::string Describe(const v3::Message& m) {
  return std::visit(
      [](const auto& v) -> std::string {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, v3::DhCommit>) {
          return "D-H Commit (AES_r(g^x): " + std::to_string(v.encrypted_gx.size()) +
                 " bytes, SHA256(g^x))";
        } else if constexpr (std::is_same_v<T, v3::DhKey>) {
          return "D-H Key (g^y: " + std::to_string(v.gy.size() * 8) + "-bit)";
        } else if constexpr (std::is_same_v<T, v3::RevealSignature>) {
          return "Reveal Signature (r revealed, AES_c(X_B): " +
                 std::to_string(v.encrypted_signature.size()) + " bytes, MAC)";
        } else if constexpr (std::is_same_v<T, v3::Signature>) {
          return "Signature (AES_c'(X_A): " + std::to_string(v.encrypted_signature.size()) +
                 " bytes, MAC)";
        } else if constexpr (std::is_same_v<T, v3::DataMessage>) {
          std::string text = "Data (keyids " + std::to_string(v.sender_keyid) + "->" +
                             std::to_string(v.recipient_keyid) + ", " +
                             std::to_string(v.encrypted_message.size()) + " bytes encrypted";
          if (!v.old_mac_keys.empty()) {
            text += ", reveals " + std::to_string(v.old_mac_keys.size()) + " old MAC key(s)";
          }
          if (v.flags & v3::kFlagIgnoreUnreadable) text += ", IGNORE_UNREADABLE";
          return text + ")";
        } else {
          return "version 1 message";
        }
      },
      m);
}

std::string DescribeWire(const std::string& text) {
  wire::InboundMessage m = wire::Classify(text);
  if (const auto* e = std::get_if<wire::EncodedMessage>(&m)) {
    auto decoded = v3::DecodeMessage(e->message);
    const std::string version = "v" + std::to_string(e->protocol_version) + " ";
    if (!decoded.ok()) return "undecodable OTR message";
    return version + Describe(*decoded) + ", " + std::to_string(text.size()) + " chars";
  }
  if (const auto* q = std::get_if<wire::QueryMessage>(&m)) {
    std::string versions;
    for (int v = 1; v <= 3; ++v) {
      if (q->versions.Has(v)) versions += (versions.empty() ? "v" : ",v") + std::to_string(v);
    }
    return "Query Message offering " + versions;
  }
  if (std::holds_alternative<wire::Fragment>(m)) return "fragment";
  if (std::holds_alternative<wire::ErrorMessage>(m)) return "OTR Error Message";
  if (std::holds_alternative<wire::TaggedPlaintext>(m)) return "plaintext with whitespace tag";
  return "plaintext";
}

const char* EventName(EventType type) {
  if (type == EventType::kSmpCheated) return "SMP: a proof failed";
  return CommonDemoEventName(type);
}

struct Party {
  std::string name;
  const char* color;
  std::optional<Session> session;
};

class Demo {
 public:
  Demo(const Options& options, const crypto::Backend& backend)
      : options_(options), backend_(backend), print_(options.color) {}

  int Run() {
    print_.Heading("Setup");
    auto alice_key = backend_.GenerateDsaKey();
    auto bob_key = backend_.GenerateDsaKey();
    if (!alice_key.ok() || !bob_key.ok()) return Fail("DSA key generation failed");
    alice_key_.emplace(std::move(alice_key).value());
    bob_key_.emplace(std::move(bob_key).value());
    Policy policy = Policy::Manual();
    if (options_.version == 2) policy.allow_v3 = false;
    if (!Make(alice_, "Alice", Printer::kAlice, *alice_key_, policy) ||
        !Make(bob_, "Bob", Printer::kBob, *bob_key_, policy)) {
      return Fail("session setup failed");
    }
    print_.Note("crypto backend: " + std::string(backend_.name()) + ", protocol v" +
                std::to_string(options_.version) + ", transport lines of at most " +
                std::to_string(options_.max_size) + " characters");
    print_.Note("Alice's fingerprint: " +
                store::FingerprintToHuman(alice_.session->our_fingerprint()));
    print_.Note("Bob's fingerprint:   " +
                store::FingerprintToHuman(bob_.session->our_fingerprint()));

    print_.Heading("Alice asks for a private conversation");
    Deliver(alice_, alice_.session->StartOtr(clock_.NowSeconds()));
    if (alice_.session->state() != ConversationState::kEncrypted) return Fail("AKE failed");
    print_.Note("secure session id (both sides): " + alice_.session->ssid_text() + " / " +
                bob_.session->ssid_text());
    print_.Note("Alice sees Bob as " +
                store::FingerprintToHuman(*alice_.session->their_fingerprint()));

    print_.Heading("Messages both ways (each reply rotates the D-H keys)");
    for (int i = 0; i < options_.messages; ++i) {
      Party& from = i % 2 == 0 ? alice_ : bob_;
      Talk(from, i % 2 == 0 ? "How are you? (" + std::to_string(i + 1) + ")"
                            : "Fine, thanks! (" + std::to_string(i + 1) + ")");
    }

    print_.Heading("Socialist Millionaires' Protocol: do we share a secret?");
    print_.Say(Printer::kAlice, "Alice asks \"Where did we first meet?\" with her answer");
    Deliver(alice_, alice_.session->StartSmp(clock_.NowSeconds(), "the lighthouse",
                                             "Where did we first meet?"));
    print_.Say(Printer::kBob, "Bob answers \"the lighthouse\"");
    Deliver(bob_, bob_.session->RespondSmp(clock_.NowSeconds(), "the lighthouse"));

    print_.Heading("A long message travels in fragments");
    Talk(bob_, std::string("Here is the long story: ") + std::string(900, '.') + " The end.");

    print_.Heading("Bob ends the conversation");
    Deliver(bob_, bob_.session->EndOtr(clock_.NowSeconds()));
    Talk(alice_, "Are you still there?");
    Deliver(alice_, alice_.session->EndOtr(clock_.NowSeconds()));
    print_.Note(std::string("final states: Alice ") + StateName(alice_) + ", Bob " +
                StateName(bob_));
    return 0;
  }

 private:
  bool Make(Party& party, const char* name, const char* color, const crypto::DsaPrivateKey& key,
            const Policy& policy) {
    party.name = name;
    party.color = color;
    SessionConfig config;
    config.backend = &backend_;
    config.identity.dsa = &key;
    config.policy = policy;
    config.max_message_size = options_.max_size;
    auto session = Session::Create(config, random_);
    if (!session.ok()) return false;
    party.session.emplace(std::move(session).value());
    return true;
  }

  static const char* StateName(const Party& p) {
    switch (p.session->state()) {
      case ConversationState::kEncrypted:
        return "ENCRYPTED";
      case ConversationState::kFinished:
        return "FINISHED";
      default:
        return "PLAINTEXT";
    }
  }

  void Talk(Party& from, const std::string& text) {
    print_.Say(from.color,
               from.name + " types: " + text.substr(0, 60) + (text.size() > 60 ? "..." : ""));
    Deliver(from, from.session->Send(clock_.NowSeconds(), text));
  }

  // Carries Output from `from` to the other party and back until quiet,
  // printing the wiretap's view of every transport message.
  void Deliver(Party& from, Output out) {
    std::deque<std::pair<Party*, std::string>> queue;  // (receiver, text)
    auto take = [&](Party& sender, Output& o) {
      Party& receiver = &sender == &alice_ ? bob_ : alice_;
      Show(sender, o);
      for (auto& s : o.to_send) queue.emplace_back(&receiver, std::move(s));
    };
    take(from, out);
    while (!queue.empty()) {
      auto [receiver, text] = std::move(queue.front());
      queue.pop_front();
      Output reply = receiver->session->Receive(clock_.NowSeconds(), text);
      take(*receiver, reply);
    }
  }

  void Show(Party& sender, const Output& out) {
    // Group consecutive fragments of one message.
    size_t i = 0;
    while (i < out.to_send.size()) {
      const std::string& text = out.to_send[i];
      if (wire::ContainsFragmentMarker(text)) {
        size_t j = i;
        size_t total = 0;
        while (j < out.to_send.size() && wire::ContainsFragmentMarker(out.to_send[j])) {
          total += out.to_send[j].size();
          ++j;
        }
        print_.Say(Printer::kWire, "   " + sender.name + " -> wire: " + std::to_string(j - i) +
                                       " fragments (" + std::to_string(total) + " chars)");
        if (options_.wire) {
          for (size_t k = i; k < j; ++k) print_.Note(out.to_send[k]);
        }
        i = j;
        continue;
      }
      print_.Say(Printer::kWire, "   " + sender.name + " -> wire: " + DescribeWire(text));
      if (options_.wire) print_.Note(text);
      ++i;
    }
    ShowReadsAndEvents(print_, sender.name, sender.color, out, &EventName);
  }

  int Fail(const std::string& why) {
    std::fprintf(stderr, "otr demo: %s\n", why.c_str());
    return 1;
  }

  Options options_;
  const crypto::Backend& backend_;
  Printer print_;
  crypto::OsRandom random_;
  SystemClock clock_;
  std::optional<crypto::DsaPrivateKey> alice_key_, bob_key_;
  Party alice_, bob_;
};

constexpr const char* kDemoUsage =
    "usage: otr demo [--version 2|3|4] [--backend openssl|gcrypt] [--messages N]\n"
    "                [--max-size N] [--wire] [--color|--no-color]\n";

int RunDemo(const std::vector<std::string>& args) {
  if (WantsHelp(args)) {
    std::printf("%s", kDemoUsage);
    return 0;
  }
  Options options;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&]() -> std::string { return i + 1 < args.size() ? args[++i] : ""; };
    if (a == "--version") {
      options.version = std::atoi(value().c_str());
    } else if (a == "--backend") {
      options.backend = value();
    } else if (a == "--messages") {
      options.messages = std::atoi(value().c_str());
    } else if (a == "--max-size") {
      options.max_size = static_cast<size_t>(std::atoi(value().c_str()));
    } else if (a == "--wire") {
      options.wire = true;
    } else if (a == "--color") {
      options.color = true;
    } else if (a == "--no-color") {
      options.color = false;
    } else {
      std::fprintf(stderr, "otr demo: unknown argument '%s'\n%s", ForTerminal(a).c_str(),
                   kDemoUsage);
      return kExitUsageError;
    }
  }
  if (options.version != 2 && options.version != 3 && options.version != 4) {
    std::fprintf(stderr, "otr demo: --version must be 2, 3 or 4\n");
    return 2;
  }
  auto backend = crypto::FindBackend(options.backend);
  if (!backend.ok()) {
    std::fprintf(stderr, "otr demo: unknown backend '%s' (openssl or gcrypt)\n",
                 options.backend.c_str());
    return 2;
  }
  if (options.version == 4) {
    return RunDemoV4(DemoV4Options{options.messages, options.max_size, options.wire, options.color},
                     **backend);
  }
  return Demo(options, **backend).Run();
}

OTR_REGISTER_COMMAND(demo, {"demo", "two parties hold an OTR conversation; a wiretap prints it",
                            &RunDemo});

}  // namespace
}  // namespace otr::tools
