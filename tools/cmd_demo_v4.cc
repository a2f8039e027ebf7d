// `otr demo --version 4` (the default): Alice and Bob hold an OTRv4
// conversation through the Session API in one process, and a wiretap
// decodes what crosses the wire: the query (versions 3 and 4 offered), the
// DAKE (Identity, Auth-R, Auth-I with their sizes), fingerprints and SSID,
// Data Messages whose ratchet ids advance (a new ECDH ratchet on every change
// of direction, the DH ratchet every third), messages delivered out of order
// and each still read once, SMP over Ed448, the extra symmetric key, and
// session expiry (otrv4.md "Session Expiration"), driven by HandleTimeout.
#include "tools/cmd_demo_v4.h"

#include <chrono>
#include <cstdio>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "crypto/random.h"
#include "protocol/session/session.h"
#include "protocol/store/fingerprint.h"
#include "protocol/v4/messages/messages.h"
#include "protocol/v4/messages/profile.h"
#include "protocol/wire/classify.h"
#include "protocol/wire/reassembler_v4.h"
#include "tools/cmd_demo_wiretap.h"
#include "tools/keystore_v4.h"

namespace otr::tools {
namespace {

using Printer = DemoPrinter;

std::string Describe(const v4::Message& m) {
  return std::visit(
      [](const auto& v) -> std::string {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, v4::IdentityMessage>) {
          return "Identity (Client Profile " +
                 std::to_string(v4::EncodeClientProfile(v.client_profile).size()) +
                 " bytes, Y: Ed448 point, B: " + std::to_string(v.b.size() * 8) +
                 "-bit DH, first ratchet keys; receiver tag " +
                 std::to_string(v.header.receiver_instance_tag) + ")";
        } else if constexpr (std::is_same_v<T, v4::AuthR>) {
          return "Auth-R (Client Profile " +
                 std::to_string(v4::EncodeClientProfile(v.client_profile).size()) +
                 " bytes, X, A: " + std::to_string(v.a.size() * 8) +
                 "-bit DH, ring signature sigma over {F_b, H_a, Y}, first ratchet keys)";
        } else if constexpr (std::is_same_v<T, v4::AuthI>) {
          return "Auth-I (ring signature sigma over {H_b, F_a, X})";
        } else if constexpr (std::is_same_v<T, v4::DataMessage>) {
          std::string text = "Data (ratchet i=" + std::to_string(v.ratchet_id) +
                             " j=" + std::to_string(v.message_id) +
                             " pn=" + std::to_string(v.previous_chain_length) +
                             (v.dh.empty() ? "" : ", new DH key (brace key ratchet)") + ", " +
                             std::to_string(v.encrypted_message.size()) + " bytes encrypted";
          if (!v.revealed_mac_keys.empty()) {
            text += ", reveals " + std::to_string(v.revealed_mac_keys.size()) + " old MAC key(s)";
          }
          if (v.flags & v4::kFlagIgnoreUnreadable) text += ", IGNORE_UNREADABLE";
          return text + ")";
        } else {
          return "offline DAKE message";
        }
      },
      m);
}

std::string DescribeWire(const std::string& text) {
  wire::InboundMessage m = wire::Classify(text);
  if (const auto* u = std::get_if<wire::UnsupportedMessage>(&m)) {
    if (u->protocol_version != 4)
      return "OTR message of version " + std::to_string(u->protocol_version);
    auto decoded = v4::DecodeMessage(u->message);
    if (!decoded.ok()) return "undecodable OTRv4 message";
    return "v4 " + Describe(*decoded) + ", " + std::to_string(text.size()) + " chars";
  }
  if (const auto* q = std::get_if<wire::QueryMessage>(&m)) {
    std::string versions;
    for (int v = 1; v <= 4; ++v) {
      if (q->versions.Has(v)) versions += (versions.empty() ? "v" : ",v") + std::to_string(v);
    }
    return "Query Message offering " + versions;
  }
  if (std::holds_alternative<wire::ErrorMessage>(m)) return "OTR Error Message";
  if (std::holds_alternative<wire::TaggedPlaintext>(m)) return "plaintext with whitespace tag";
  if (std::holds_alternative<wire::EncodedMessage>(m)) return "v2/v3 message";
  return "plaintext";
}

const char* EventName(EventType type) {
  switch (type) {
    case EventType::kExtraSymmetricKey:
      return "extra symmetric key derived";
    case EventType::kUndecryptable:
      return "a message could not be read (refused)";
    case EventType::kFellBackToV3:
      return "WARNING: fell back to OTR v3";
    default:
      return CommonDemoEventName(type);
  }
}

struct Party {
  std::string name;
  const char* color = nullptr;
  crypto::DsaPrivateKey dsa;
  std::optional<v4::Identity> identity;
  std::optional<Session> session;
};

class DemoV4 {
 public:
  DemoV4(const DemoV4Options& options, const crypto::Backend& backend)
      : options_(options), backend_(backend), print_(options.color) {}

  int Run() {
    start_ = static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                       std::chrono::system_clock::now().time_since_epoch())
                                       .count());
    print_.Heading("Setup");
    if (!Make(alice_, "Alice", Printer::kAlice, 0x0A11CE00) ||
        !Make(bob_, "Bob", Printer::kBob, 0x00B0B000)) {
      return Fail("session setup failed");
    }
    print_.Note("crypto backend: " + std::string(backend_.name()) +
                ", OTR v4 (v3-compatible mode: v3 is the fallback), transport lines of at most " +
                std::to_string(options_.max_size) + " characters");
    print_.Note("Alice's v4 fingerprint: " +
                store::PeerFingerprintToHuman(*alice_.session->our_v4_fingerprint()));
    print_.Note("Bob's v4 fingerprint:   " +
                store::PeerFingerprintToHuman(*bob_.session->our_v4_fingerprint()));

    print_.Heading("Alice asks for a private conversation; the DAKE (DAKEZ) runs");
    Deliver(alice_, alice_.session->StartOtr(Now()));
    if (alice_.session->state() != ConversationState::kEncrypted ||
        alice_.session->version() != 4) {
      return Fail("the DAKE failed");
    }
    print_.Note("secure session id (both sides): " + alice_.session->ssid_text() + " / " +
                bob_.session->ssid_text());
    print_.Note("Alice sees Bob as " +
                store::PeerFingerprintToHuman(*alice_.session->view().their_fingerprint));

    print_.Heading(
        "Messages both ways: a new ECDH ratchet on each change of direction, the DH (brace key) "
        "ratchet every third");
    for (int i = 0; i < options_.messages; ++i) {
      Party& from = i % 2 == 0 ? alice_ : bob_;
      Talk(from, i % 2 == 0 ? "How are you? (" + std::to_string(i + 1) + ")"
                            : "Fine, thanks! (" + std::to_string(i + 1) + ")");
    }

    print_.Heading("Out of order: Bob sends three messages, the network delivers them backwards");
    std::vector<std::string> held;
    for (int i = 1; i <= 3; ++i) {
      const std::string text = "part " + std::to_string(i) + " of 3";
      print_.Say(bob_.color, "Bob types: " + text);
      Output out = bob_.session->Send(Now(), text);
      Show(bob_, out);
      for (auto& s : out.to_send) held.push_back(std::move(s));
    }
    for (size_t k = held.size(); k-- > 0;) {
      print_.Say(Printer::kWire, "   network delivers message " + std::to_string(k + 1) + " now");
      Output got = alice_.session->Receive(Now(), held[k]);
      Show(alice_, got);
    }
    print_.Say(Printer::kWire, "   network replays message 2");
    Output replay = alice_.session->Receive(Now(), held[1]);
    Show(alice_, replay);
    print_.Note(replay.display.empty()
                    ? "the replay is refused, not read again (its message key was used once)"
                    : "!! the replay was read again");

    print_.Heading("Socialist Millionaires' Protocol over Ed448: do we share a secret?");
    print_.Say(Printer::kAlice, "Alice asks \"Where did we first meet?\" with her answer");
    Deliver(alice_, alice_.session->StartSmp(Now(), "the lighthouse", "Where did we first meet?"));
    print_.Say(Printer::kBob, "Bob answers \"the lighthouse\"");
    Deliver(bob_, bob_.session->RespondSmp(Now(), "the lighthouse"));

    print_.Heading("The extra symmetric key (TLV 7): both sides derive the same key");
    auto used = alice_.session->UseExtraSymmetricKey(Now(), 1, {});
    if (!used.ok()) return Fail("extra symmetric key failed");
    const auto* mine = used->Find<events::ExtraSymmetricKey>();
    const Bytes alice_key =
        mine != nullptr ? Bytes(mine->key.view().begin(), mine->key.view().end()) : Bytes();
    Output at_bob;
    Show(alice_, *used);
    for (const std::string& s : used->to_send) {
      Output got = bob_.session->Receive(Now(), s);
      Show(bob_, got);
      if (const auto* theirs = got.Find<events::ExtraSymmetricKey>()) {
        const Bytes bob_key(theirs->key.view().begin(), theirs->key.view().end());
        print_.Note(std::string("the two keys are ") +
                    (bob_key == alice_key && !bob_key.empty() ? "equal" : "DIFFERENT") + " (" +
                    std::to_string(bob_key.size() * 8) + "-bit; not printed)");
      }
    }

    print_.Heading("A long message travels in v4 fragments");
    Talk(bob_, std::string("Here is the long story: ") + std::string(900, '.') + " The end.");

    print_.Heading("Two hours of silence: the session expires (HandleTimeout)");
    offset_ += 2 * 60 * 60 + 1;
    Output expired = alice_.session->HandleTimeout(Now());
    Deliver(alice_, std::move(expired));
    print_.Note(std::string("states: Alice ") + StateName(alice_) + ", Bob " + StateName(bob_));
    Talk(bob_, "Are you still there?");
    Deliver(bob_, bob_.session->EndOtr(Now()));
    print_.Note(std::string("final states: Alice ") + StateName(alice_) + ", Bob " +
                StateName(bob_));
    return 0;
  }

 private:
  uint64_t Now() const { return start_ + offset_; }

  bool Make(Party& party, const char* name, const char* color, wire::InstanceTag tag) {
    party.name = name;
    party.color = color;
    auto dsa = backend_.GenerateDsaKey();
    if (!dsa.ok()) return false;
    party.dsa = std::move(dsa).value();
    auto key = GenerateV4Key(backend_, random_, name, "demo");
    if (!key.ok()) return false;
    auto identity = V4IdentityOf(backend_, *key, tag, &party.dsa, static_cast<int64_t>(Now()),
                                 random_, nullptr);
    if (!identity.ok()) return false;
    party.identity.emplace(std::move(identity).value());
    SessionConfig config;
    config.backend = &backend_;
    config.identity.dsa = &party.dsa;
    config.identity.v4 = &*party.identity;
    config.our_tag = tag;
    config.policy = Policy::Manual().WithV4();
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
    Deliver(from, from.session->Send(Now(), text));
  }

  void Deliver(Party& from, Output out) {
    std::deque<std::pair<Party*, std::string>> queue;
    auto take = [&](Party& sender, Output& o) {
      Party& receiver = &sender == &alice_ ? bob_ : alice_;
      Show(sender, o);
      for (auto& s : o.to_send) queue.emplace_back(&receiver, std::move(s));
    };
    take(from, out);
    while (!queue.empty()) {
      auto [receiver, text] = std::move(queue.front());
      queue.pop_front();
      Output reply = receiver->session->Receive(Now(), text);
      take(*receiver, reply);
    }
  }

  void Show(Party& sender, const Output& out) {
    size_t i = 0;
    while (i < out.to_send.size()) {
      const std::string& text = out.to_send[i];
      if (text.rfind("?OTR|", 0) == 0) {
        size_t j = i;
        size_t total = 0;
        while (j < out.to_send.size() && out.to_send[j].rfind("?OTR|", 0) == 0) {
          total += out.to_send[j].size();
          ++j;
        }
        // The wiretap reassembles them (otrv4.md "Fragmentation") to show
        // what they carry.
        std::string whole;
        for (size_t k = i; k < j; ++k) {
          wire::InboundMessage piece = wire::Classify(out.to_send[k]);
          if (const auto* f = std::get_if<wire::Fragment>(&piece)) {
            auto done = tap_.Add(Now(), *f);
            if (done.ok() && done->has_value()) whole = **done;
          }
        }
        print_.Say(Printer::kWire, "   " + sender.name + " -> wire: " + std::to_string(j - i) +
                                       " v4 fragments (" + std::to_string(total) + " chars)" +
                                       (whole.empty() ? "" : " of " + DescribeWire(whole)));
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

  DemoV4Options options_;
  const crypto::Backend& backend_;
  Printer print_;
  crypto::OsRandom random_;
  uint64_t start_ = 0;
  uint64_t offset_ = 0;      // time the demo makes pass (expiry)
  wire::ReassemblerV4 tap_;  // the wiretap's view of v4 fragments
  Party alice_, bob_;
};

}  // namespace

int RunDemoV4(const DemoV4Options& options, const crypto::Backend& backend) {
  return DemoV4(options, backend).Run();
}

}  // namespace otr::tools
