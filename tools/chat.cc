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
#include "protocol/session/offline_maintenance.h"
#include "protocol/session/session.h"
#include "protocol/store/fingerprint.h"
#include "protocol/store/instag_file.h"
#include "protocol/wire/whitespace_tag.h"
#include "tools/args.h"
#include "tools/chat_prekey_store.h"
#include "tools/chat_transport.h"
#include "tools/chat_view.h"
#include "tools/irc.h"
#include "tools/keystore.h"
#include "tools/keystore_v4.h"
#include "tools/terminal_text.h"

namespace otr::tools {
namespace {

class SystemClock {
 public:
  uint64_t NowSeconds() const {
    return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                     std::chrono::system_clock::now().time_since_epoch())
                                     .count());
  }
};

// Everything above the socket: the session, the user's commands and lines,
// the key store. The transport (chat_transport.h) only carries text.
class ChatClient : public ChatHost {
 public:
  ChatClient(const ChatOptions& options, ChatTransport& transport, const crypto::Backend& backend,
             store::PrivateKeyEntry key, std::optional<v4::Identity> v4_identity,
             std::vector<store::FingerprintEntry> fingerprints,
             std::vector<V4FingerprintEntry> v4_fingerprints, const StorePaths& paths,
             wire::InstanceTag stored_tag, int input_fd, std::FILE* out)
      : options_(options),
        transport_(transport),
        backend_(backend),
        key_(std::move(key)),
        v4_identity_(std::move(v4_identity)),
        fingerprints_(std::move(fingerprints)),
        v4_fingerprints_(std::move(v4_fingerprints)),
        fingerprints_path_(paths.fingerprints),
        instags_path_(paths.instance_tags),
        stored_tag_(stored_tag),
        input_fd_(input_fd),
        out_(out) {}

  int Run() {
    if (auto e = transport_.Connect(*this)) return e->status;
    for (;;) {
      const int server_fd = transport_.poll_fd();
      pollfd fds[2] = {{server_fd, POLLIN, 0}, {input_fd_, POLLIN, 0}};
      // User input waits until we are logged in and have a session.
      const nfds_t count = session_ && !input_done_ ? 2 : 1;
      int timeout = PollTimeout();
      if (server_fd < 0 && (timeout < 0 || timeout > kTransportPumpMs)) timeout = kTransportPumpMs;
      if (poll(fds, count, timeout) < 0) {
        if (errno == EINTR) continue;
        Line("[error] poll: " + std::string(std::strerror(errno)));
        return kExitSetup;
      }
      if (server_fd < 0 || fds[0].revents != 0) {
        if (auto e = transport_.Pump(*this)) return e->status;
      }
      if (count == 2 && fds[1].revents != 0) {
        if (auto e = ReadInput()) return e->status;
      }
      if (session_) {
        if (auto e = Handle(session_->HandleTimeout(Now()))) return e->status;
      }
      if (maintenance_) {
        const auto due = maintenance_->NextTimeout();
        if (due && *due <= Now()) {
          if (auto e = Upkeep(maintenance_->HandleTimeout(Now()))) return e->status;
        }
      }
    }
  }

  void Say(const std::string& line) override { Line(line); }

  MaybeExit FromPeer(const std::string& text) override {
    if (!session_) return std::nullopt;
    const bool awaiting_result =
        session_->view().StateOf(smp::kSmpMachine) == static_cast<size_t>(smp::SmpState::kExpect4);
    return Handle(session_->Receive(Now(), text), awaiting_result);
  }

  // Every message from the prekey server goes to the account's upkeep and
  // to the Session when it waits for ensembles; each ignores what is not
  // its answer (docs/decisions/0016, "Routing by the application").
  MaybeExit FromPrekeyServer(const std::string& text) override {
    if (maintenance_) {
      if (auto e = Upkeep(maintenance_->Receive(Now(), text))) return e;
    }
    if (session_ && session_->awaiting_prekey_server()) {
      return Handle(session_->ReceiveFromPrekeyServer(Now(), text));
    }
    return std::nullopt;
  }

  // A new stream: our prekey material is checked (and published) again.
  MaybeExit Reconnected() override { return StartUpkeep(); }

 private:
  // Every line the user sees goes through here: whatever part of it came
  // from the peer or the server, no control character reaches the terminal.
  void Line(const std::string& text) {
    std::fprintf(out_, "%s\n", ForTerminal(text).c_str());
    std::fflush(out_);
  }

  // Milliseconds until the session has something due (Session::NextTimeout:
  // the held message's promise lapses); -1: nothing is.
  int PollTimeout() {
    auto deadline = session_ ? session_->NextTimeout() : std::nullopt;
    if (auto upkeep = maintenance_ ? maintenance_->NextTimeout() : std::nullopt) {
      deadline = deadline ? std::min(*deadline, *upkeep) : *upkeep;
    }
    if (!deadline) return -1;
    const uint64_t now = Now();
    return *deadline <= now ? 0 : static_cast<int>((*deadline - now) * 1000);
  }

  MaybeExit Ready(size_t max_message_size, const std::string& connected_line) override {
    if (session_) return std::nullopt;
    SessionConfig config;
    config.backend = &backend_;
    config.identity.dsa = &key_.key;
    config.policy = options_.policy;
    // With a v4 key: v4 first, v3 (and v2) as the fallback (v3-compatible
    // mode, otrv4.md "OTRv4 Modes").
    if (v4_identity_) {
      config.identity.v4 = &*v4_identity_;
      config.policy = options_.policy.WithV4();
    }
    config.max_message_size = max_message_size;
    // libotr-ng's phi holds both accounts (docs/libotr-ng-deviations.md #15).
    if (config.policy.v4_variant == V4Variant::kLibotrNg) {
      config.phi_context = {key_.account_name, options_.peer};
    }
    // The tag kept from an earlier run, so the peer's Data Messages still
    // reach us after a restart (otr v3 spec, "Instance Tags": "32-bit values
    // that are intended to be persistent"); none yet: the Session draws one.
    config.our_tag = stored_tag_;
    for (const auto& e : fingerprints_) {
      if (e.username == options_.peer && e.accountname == key_.account_name &&
          e.protocol == key_.protocol) {
        config.known_fingerprints.push_back({e.fingerprint, !e.trust.empty()});
      }
    }
    for (const auto& e : v4_fingerprints_) {
      if (e.username == options_.peer && e.account == key_.account_name &&
          e.protocol == key_.protocol) {
        config.known_fingerprints.push_back({e.fingerprint, !e.trust.empty()});
      }
    }
    if (v4_identity_) OfflineConfig(config);
    auto session = Session::Create(config, random_);
    if (!session.ok()) {
      Line("[error] cannot create the OTR session: " + std::string(session.error().context));
      return Exit{kExitSetup};
    }
    session_.emplace(std::move(session).value());
    if (stored_tag_ == wire::kNoInstanceTag) KeepInstanceTag(session_->our_tag());
    Line(connected_line);
    Line("[otr] our fingerprint (" + key_.account_name +
         "): " + store::FingerprintToHuman(session_->our_fingerprint()) + "; policy " +
         options_.policy_name + ", " + std::to_string(config.max_message_size) + "-byte messages");
    if (auto v4_fp = session_->our_v4_fingerprint()) {
      Line("[otr] our v4 fingerprint: " + store::PeerFingerprintToHuman(*v4_fp) +
           "; OTR v4 first, v3 when the peer speaks only v3");
    }
    if (config.policy.v4_variant == V4Variant::kLibotrNg) {
      Line(
          "[otr] compatibility: libotr-ng's OTR v4 variant (--compat libotr-ng); only "
          "libotr-ng (pidgin-otrng) peers read our v4 messages");
    }
    return StartUpkeep();
  }

  // v4 offline conversations (issue 19): our published prekey values (kept
  // in the store directory, so a Non-Interactive-Auth stored by the server
  // while we were away is read after a restart), and the prekey server the
  // transport found, where the Session fetches the peer's ensembles.
  void OfflineConfig(SessionConfig& config) {
    auto store = FilePrekeyStore::Open(backend_, options_.dir, key_.account_name, key_.protocol,
                                       static_cast<int64_t>(Now()));
    if (!store.ok()) {
      Line("[error] " + store.error() + ": offline conversations are off");
      return;
    }
    prekey_store_ = std::move(store).value();
    config.prekey_store = prekey_store_.get();
    const auto server = transport_.prekey_server();
    if (!server || !options_.offline || !OfflineAllowed(config.policy)) return;
    config.prekey_server =
        PrekeyServerConfig{server->jid, options_.peer, ServerFingerprint(*server), 60, 0};
  }

  // Under --compat libotr-ng too (decision 0042): OfflineMaintenance then
  // publishes in libotr-ng's variant, which a prekey server must opt in to
  // (otr-prekey-server's accept_libotr_ng), and the Session reads
  // libotr-ng's retrieval answer (docs/libotr-ng-deviations.md rows 21-25).
  static bool OfflineAllowed(const Policy& policy) {
    return policy.allow_v4 && policy.v4_mode != V4Mode::kV4InteractiveOnly;
  }

  static std::optional<v4::Fingerprint> ServerFingerprint(const PrekeyServerAddress& server) {
    const auto parsed = ParseUserV4Fingerprint(server.fingerprint);
    if (!parsed || parsed->bytes.size() != v4::kFingerprintSize) return std::nullopt;
    v4::Fingerprint fp{};
    std::copy(parsed->bytes.begin(), parsed->bytes.end(), fp.begin());
    return fp;
  }

  // "Publishing Prekey Ensembles" (OfflineMaintenance): at login and after
  // each reconnection, the Storage Status, then what it calls for.
  MaybeExit StartUpkeep() {
    const auto server = transport_.prekey_server();
    if (!prekey_store_ || !v4_identity_ || !options_.offline || !server) return std::nullopt;
    const Policy policy = options_.policy.WithV4();
    if (!OfflineAllowed(policy)) return std::nullopt;
    if (!maintenance_) {
      OfflineMaintenanceConfig c;
      c.backend = &backend_;
      c.policy = policy;
      c.our_identity = server->our_identity;
      c.server = server->jid;
      c.server_fingerprint = ServerFingerprint(*server);
      c.identity = &*v4_identity_;
      c.store = prekey_store_.get();
      c.target = options_.prekey_messages;
      c.low_water = std::min<uint32_t>(kPrekeyLowWater, options_.prekey_messages);
      auto created = OfflineMaintenance::Create(std::move(c), random_, Now());
      if (!created.ok()) {
        Line("[prekey] cannot keep prekey messages on " + server->jid + ": " +
             std::string(created.error().context));
        return std::nullopt;
      }
      maintenance_.emplace(std::move(created).value());
    }
    Line("[prekey] checking our prekey messages on " + server->jid);
    return Upkeep(maintenance_->Start(Now()));
  }

  MaybeExit Upkeep(MaintenanceOutput out) {
    if (auto e = ToPrekeyServer(out.to_prekey_server)) return e;
    for (const MaintenanceEvent& e : out.events) {
      switch (e.kind) {
        case MaintenanceEventKind::kStorageStatus:
          Line("[prekey] the server stores " + std::to_string(e.count) + " of our prekey messages");
          break;
        case MaintenanceEventKind::kPublished:
          Line("[prekey] published " + std::to_string(e.count) + " prekey messages");
          break;
        case MaintenanceEventKind::kProfilesRenewed:
          Line("[prekey] our Client and Prekey Profiles were published");
          break;
        case MaintenanceEventKind::kFailed:
          Line("[prekey] upkeep failed: " + e.what);
          break;
        case MaintenanceEventKind::kErased:
          Line("[prekey] erased " + std::to_string(e.count) + " expired prekey values");
          break;
      }
    }
    return std::nullopt;
  }

  // What goes to the prekey server leaves only once the prekey values it
  // refers to are on disk (a publication's secrets, a used one erased).
  MaybeExit ToPrekeyServer(const std::vector<PrekeyServerMessage>& messages) {
    if (prekey_store_) {
      auto saved = prekey_store_->Flush();
      if (!saved.ok()) {
        Line("[error] cannot keep our prekey values: " + saved.error());
        return std::nullopt;  // nothing is published that we could not read
      }
    }
    for (const PrekeyServerMessage& m : messages) {
      if (auto e = transport_.SendToPrekeyServer(*this, m.server, m.text)) return e;
    }
    return std::nullopt;
  }

  // A message to a peer the network says is offline, while not private:
  // an offline conversation (otrv4.md "Offline Conversation"), when a
  // prekey server is known and the policy allows it. The message waits in
  // offline_queue_ for the Non-Interactive-Auth; nullopt: not this case.
  std::optional<MaybeExit> MaybeOffline(const std::string& text) {
    if (session_->state() == ConversationState::kEncrypted || !maintenance_ ||
        transport_.peer_presence() != PeerPresence::kUnavailable) {
      return std::nullopt;
    }
    offline_queue_.push_back(text);
    if (session_->awaiting_prekey_server()) return MaybeExit{};
    Line("[otr] " + options_.peer + " is offline: fetching a Prekey Ensemble of theirs from " +
         transport_.prekey_server()->jid + " for an offline conversation");
    return Handle(session_->RequestPrekeyEnsembles(Now()));
  }

  // After an offline start: the waiting messages go out encrypted, in
  // order; when it was refused, the user is told they were not sent.
  MaybeExit AfterOfflineStart() {
    if (offline_queue_.empty() || session_->awaiting_prekey_server()) return std::nullopt;
    std::vector<std::string> queued;
    queued.swap(offline_queue_);
    if (session_->state() == ConversationState::kEncrypted) {
      for (const std::string& text : queued) {
        if (auto e = SendMessage(text)) return e;
      }
      return std::nullopt;
    }
    Line("[otr] " + options_.peer + " cannot be reached offline (no usable Prekey Ensemble); " +
         std::to_string(queued.size()) + (queued.size() == 1 ? " message was" : " messages were") +
         " not sent");
    return std::nullopt;
  }

  // Adds our new tag to the instance-tag file, read again first so that an
  // account another process added meanwhile is kept (and its tag with it).
  void KeepInstanceTag(wire::InstanceTag tag) {
    auto tags = LoadInstags(instags_path_);
    std::string problem;
    if (!tags.ok()) {
      problem = tags.error();
    } else if (FindInstag(*tags, key_.account_name, key_.protocol) == nullptr) {
      tags->push_back(store::InstagEntry{key_.account_name, key_.protocol, tag});
      auto saved = SaveInstags(instags_path_, *tags, /*replace=*/true);
      if (!saved.ok()) problem = saved.error();
    }
    if (!problem.empty()) {
      Line("[error] cannot keep our instance tag (" + problem +
           "); after a restart, messages sent to this session will not be readable");
    }
  }

  MaybeExit ReadInput() {
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

  MaybeExit HandleInput(const ChatInput& in) {
    using Kind = ChatInput::Kind;
    switch (in.kind) {
      case Kind::kEmpty:
        return std::nullopt;
      case Kind::kInvalid:
        Line("[error] " + in.text);
        return std::nullopt;
      case Kind::kHelp:
        for (std::string_view h : kChatCommandHelp) Line("[info] " + std::string(h));
        return std::nullopt;
      case Kind::kStatus:
        Status();
        return std::nullopt;
      case Kind::kMessage:
        return SendMessage(in.text);
      case Kind::kAction:
        return SendAction(in.text);
      case Kind::kOtrStart:
        Line("[otr] starting a private conversation with " + options_.peer);
        return Handle(session_->StartOtr(Now()));
      case Kind::kOtrEnd:
        if (session_->state() == ConversationState::kPlaintext) {
          Line("[otr] the conversation is not private; nothing to end");
          return std::nullopt;
        }
        return Handle(session_->EndOtr(Now()));
      case Kind::kSendHeld: {
        auto sent = session_->SendHeldMessage(Now());
        if (!sent.ok()) {
          Line(session_->has_held_message()
                   ? "[held] the conversation is not private yet; the message still waits"
                   : "[held] no message is held");
          return std::nullopt;
        }
        return Handle(std::move(sent).value());
      }
      case Kind::kDiscardHeld:
        if (held_text_) Line("[held] dropped: \"" + *held_text_ + "\" will not be sent");
        session_->DiscardHeldMessage();
        held_text_.reset();
        return std::nullopt;
      case Kind::kExtraKey:
        return ExtraKey(in);
      case Kind::kSmp:
      case Kind::kSmpQuestion:
        return Smp(in);
      case Kind::kSmpAbort:
        smp_asked_ = false;
        smp_just_failed_ = false;
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

  MaybeExit SendMessage(const std::string& text) {
    if (auto offline = MaybeOffline(text)) return *offline;
    const ConversationState before = session_->state();
    Output out = session_->Send(Now(), text);
    const bool held = out.HasEvent(EventType::kEncryptionRequired);
    const bool dropped = out.HasEvent(EventType::kCannotSend);
    if (held) {
      if (held_text_) {
        Line("[held] dropped: \"" + *held_text_ +
             "\" will not be sent: only the last held message is kept");
      }
      held_text_ = text;
    } else if (!dropped) {
      Line((before == ConversationState::kEncrypted ? "[sent:private] " : "[sent:PLAINTEXT] ") +
           Own(text));
    }
    return Handle(std::move(out));
  }

  // "/me waves": inside OTR the text "/me waves" (as irssi's OTR module and
  // Pidgin send it); in plaintext a CTCP ACTION, outside the session (a
  // whitespace tag would break the CTCP framing). When the policy requires
  // encryption the session holds it like any message.
  MaybeExit SendAction(const std::string& text) {
    if (session_->state() == ConversationState::kPlaintext && !options_.policy.require_encryption) {
      Line("[sent:PLAINTEXT] " + Own(std::string(kOtrActionPrefix) + text));
      return transport_.SendPlainAction(*this, text);
    }
    return SendMessage(std::string(kOtrActionPrefix) + text);
  }

  // Our own text as we show it: an action as "* nick waves".
  std::string Own(std::string_view text) const {
    if (text.substr(0, kOtrActionPrefix.size()) == kOtrActionPrefix) {
      return "* " + options_.nick + " " + std::string(text.substr(kOtrActionPrefix.size()));
    }
    return std::string(text);
  }

  MaybeExit Smp(const ChatInput& in) {
    if (session_->state() != ConversationState::kEncrypted) {
      Line("[smp] SMP needs a private conversation: /otr start first");
      return std::nullopt;
    }
    smp_just_failed_ = false;
    if (in.kind == ChatInput::Kind::kSmp && smp_asked_) {
      smp_asked_ = false;
      Line(smp_question_ ? "[smp] answering " + options_.peer + "'s question"
                         : "[smp] answering " + options_.peer + "'s check with your secret");
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

  MaybeExit ExtraKey(const ChatInput& in) {
    const ByteView data(reinterpret_cast<const uint8_t*>(in.text.data()), in.text.size());
    auto out = session_->UseExtraSymmetricKey(Now(), in.use, data);
    if (!out.ok()) {
      Line("[otr] the extra symmetric key needs a private conversation: /otr start first");
      return std::nullopt;
    }
    extra_key_ours_ = true;
    auto e = Handle(std::move(out).value());
    extra_key_ours_ = false;
    return e;
  }

  MaybeExit Quit() {
    if (session_ && session_->state() != ConversationState::kPlaintext) {
      if (auto e = Handle(session_->EndOtr(Now()))) return e;
    }
    Line("[" + std::string(transport_.name()) + "] leaving");
    return Exit{transport_.Leave(*this)};
  }

  void Status() {
    const auto fp = session_->view().their_fingerprint;
    switch (session_->state()) {
      case ConversationState::kEncrypted:
        Line("[otr] status: private (OTR v" + std::to_string(session_->version()) + "), " +
             options_.peer + "'s fingerprint " + (fp ? Describe(*fp) : "unknown"));
        {
          ChatView view;
          view.peer = options_.peer;
          view.ssid = session_->ssid_text();
          view.ssid_first_half_bold = session_->view().ssid_first_half;
          for (const std::string& line : SsidLines(view)) Line(line);
        }
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

  // The trust record of `fp`: libotr's fingerprints file for v3, ours for
  // v4 (keystore_v4.h); nullptr when there is none. `known` says whether a
  // record exists.
  bool Known(const store::PeerFingerprint& fp, bool* trusted) {
    if (auto v3 = fp.AsV3()) {
      auto* e =
          FindFingerprint(fingerprints_, options_.peer, key_.account_name, key_.protocol, *v3);
      *trusted = e != nullptr && !e->trust.empty();
      return e != nullptr;
    }
    auto* e =
        FindV4Fingerprint(v4_fingerprints_, options_.peer, key_.account_name, key_.protocol, fp);
    *trusted = e != nullptr && !e->trust.empty();
    return e != nullptr;
  }

  std::string Describe(const store::PeerFingerprint& fp) {
    bool trusted = false;
    Known(fp, &trusted);
    return store::PeerFingerprintToHuman(fp) + (trusted ? " (verified)" : " (UNVERIFIED)");
  }

  // Records the peer's current fingerprint with `trust` (empty: not
  // verified) in the session and the fingerprints file.
  void SetTrust(std::string_view trust) {
    const auto fp = session_->view().their_fingerprint;
    if (!fp) {
      Line("[otr] no fingerprint of " + options_.peer + " yet: /otr start first");
      return;
    }
    session_->SetTrust(*fp, !trust.empty());
    Remember(*fp, trust);
    Line("[otr] " + options_.peer + "'s fingerprint " + store::PeerFingerprintToHuman(*fp) +
         " is " + (trust.empty() ? "now UNVERIFIED" : "now verified"));
  }

  void Remember(const store::PeerFingerprint& fp, std::string_view trust) {
    if (auto v3 = fp.AsV3()) {
      if (!SetFingerprintTrust(fingerprints_, options_.peer, key_.account_name, key_.protocol, *v3,
                               trust)) {
        return;
      }
      auto saved = SaveFingerprints(fingerprints_path_, fingerprints_, /*replace=*/true);
      if (!saved.ok()) Line("[error] " + saved.error());
      return;
    }
    if (!SetV4FingerprintTrust(v4_fingerprints_, options_.peer, key_.account_name, key_.protocol,
                               fp, trust)) {
      return;
    }
    auto saved = SaveV4Fingerprints(options_.dir, v4_fingerprints_);
    if (!saved.ok()) Line("[error] " + saved.error());
  }

  // `awaiting_result`: before this input we had sent SMP message 3 (see
  // ChatView::smp_awaiting_result).
  MaybeExit Handle(Output out, bool awaiting_result = false) {
    // (The prekey store is written first: a used prekey value is gone from
    // the disk before anything leaves.)
    if (auto e = ToPrekeyServer(out.to_prekey_server)) return e;
    for (const std::string& s : out.to_send) {
      if (auto e = transport_.Send(*this, s)) return e;
    }
    for (const Displayed& d : out.display) Line(MessageLine(options_.peer, d.text, d.encrypted));
    for (const Event& e : out.events) Report(e, awaiting_result);
    if (out.HasEvent(EventType::kStoredMessageSent) ||
        out.HasEvent(EventType::kHeldMessageExpired) || !session_->has_held_message()) {
      held_text_.reset();
    }
    return AfterOfflineStart();
  }

  // The one place an event becomes the user's lines (chat_view.h) and a
  // change of the peer's trust.
  void Report(const Event& e, bool awaiting_result) {
    ChatView view;
    view.peer = options_.peer;
    view.their_fingerprint = session_->view().their_fingerprint;
    if (view.their_fingerprint) {
      view.fingerprint_known = Known(*view.their_fingerprint, &view.fingerprint_trusted);
    }
    view.version = session_->version();
    if (e.type() == EventType::kWentSecure) {
      view.ssid = session_->ssid_text();
      view.ssid_first_half_bold = session_->view().ssid_first_half;
    }
    view.smp_awaiting_result = awaiting_result;
    view.extra_key_ours = extra_key_ours_;
    view.smp_just_failed = smp_just_failed_;
    view.held_text = held_text_;
    const EventReport report = ReportEvent(e, view);
    const auto& fp = view.their_fingerprint;
    switch (report.trust) {
      case TrustChange::kNone:
        break;
      case TrustChange::kRecord:  // as libotr: every key seen is recorded, unverified
        if (fp) Remember(*fp, "");
        break;
      case TrustChange::kVerify:
        if (fp) {
          session_->SetTrust(*fp, true);
          Remember(*fp, kTrustSmp);
        }
        break;
      case TrustChange::kReset:  // as libotr: a failed SMP resets the trust
        if (fp) {
          session_->SetTrust(*fp, false);
          Remember(*fp, "");
        }
        break;
    }
    // The store is written before the user (or a script) reads the line.
    for (const std::string& line : report.lines) Line(line);
    switch (e.type()) {
      case EventType::kSmpAskSecret:
        smp_asked_ = true;
        smp_question_ = e.As<events::SmpAskSecret>()->question.has_value();
        smp_just_failed_ = false;
        break;
      case EventType::kSmpSucceeded:
        smp_asked_ = false;
        smp_just_failed_ = false;
        break;
      case EventType::kSmpFailed:
      case EventType::kSmpCheated:
        smp_asked_ = false;
        smp_just_failed_ = true;
        break;
      case EventType::kSmpAborted:
        smp_asked_ = false;
        smp_just_failed_ = report.trust == TrustChange::kReset || smp_just_failed_;
        break;
      default:
        break;
    }
  }

  const ChatOptions& options_;
  ChatTransport& transport_;
  const crypto::Backend& backend_;
  store::PrivateKeyEntry key_;
  std::optional<v4::Identity> v4_identity_;  // the session points at it
  std::vector<store::FingerprintEntry> fingerprints_;
  std::vector<V4FingerprintEntry> v4_fingerprints_;
  std::string fingerprints_path_;
  std::string instags_path_;
  wire::InstanceTag stored_tag_;
  int input_fd_;
  std::FILE* out_;
  LineBuffer from_user_{64 * 1024};
  bool input_done_ = false;
  bool smp_asked_ = false;                // the peer's SMP waits for our secret
  bool smp_question_ = false;             // ... and it asked a question
  bool smp_just_failed_ = false;          // the last SMP ended in failure
  bool extra_key_ours_ = false;           // handling our own /otr key
  std::optional<std::string> held_text_;  // what the session holds for us, as typed
  crypto::OsRandom random_;
  SystemClock clock_;
  uint64_t Now() { return clock_.NowSeconds(); }
  std::optional<Session> session_;
  std::unique_ptr<FilePrekeyStore> prekey_store_;  // v4: what we published
  std::optional<OfflineMaintenance> maintenance_;  // its upkeep on the prekey server
  std::vector<std::string> offline_queue_;         // typed while an offline start is fetched
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
                   ForTerminal(options.backend).c_str());
      return kExitUsage;
    }
    backend = *found;
  }
  const StorePaths paths = StorePaths::In(options.dir);
  auto keys = LoadKeys(paths.private_key);
  if (!keys.ok()) {
    std::fprintf(out, "[error] %s\n", ForTerminal(keys.error()).c_str());
    return kExitSetup;
  }
  auto key = ChooseChatKey(*keys, options);
  if (!key.ok()) {
    std::fprintf(out, "[error] %s (key file %s)\n", ForTerminal(key.error()).c_str(),
                 ForTerminal(paths.private_key).c_str());
    return kExitSetup;
  }
  auto fingerprints = LoadFingerprints(paths.fingerprints);
  if (!fingerprints.ok()) {
    std::fprintf(out, "[error] %s\n", ForTerminal(fingerprints.error()).c_str());
    return kExitSetup;
  }
  auto tags = LoadInstags(paths.instance_tags);
  if (!tags.ok()) {
    std::fprintf(out, "[error] %s\n", ForTerminal(tags.error()).c_str());
    return kExitSetup;
  }
  const store::InstagEntry* tag = FindInstag(*tags, (*key)->account_name, (*key)->protocol);
  wire::InstanceTag our_tag = tag != nullptr ? tag->instag : wire::kNoInstanceTag;
  // v4: the account's v4 key (keystore_v4.h), unless --no-v4. Its Client
  // Profile names our instance tag, so a tag is drawn now if there is none
  // (ChatClient keeps it in the instance-tag file).
  std::optional<v4::Identity> v4_identity;
  auto v4_fingerprints = LoadV4Fingerprints(options.dir);
  if (!v4_fingerprints.ok()) {
    std::fprintf(out, "[error] %s\n", ForTerminal(v4_fingerprints.error()).c_str());
    return kExitSetup;
  }
  if (options.v4) {
    auto v4_keys = LoadV4Keys(options.dir);
    if (!v4_keys.ok()) {
      std::fprintf(out, "[error] %s\n", ForTerminal(v4_keys.error()).c_str());
      return kExitSetup;
    }
    if (V4KeyEntry* v4_key = FindV4Key(*v4_keys, (*key)->account_name, (*key)->protocol)) {
      crypto::OsRandom random;
      if (our_tag < wire::kMinInstanceTag) {
        // "Clients should pick instance tags ... at random, >= 0x00000100";
        // kept at once, as ChatClient keeps a tag the Session draws.
        while (our_tag < wire::kMinInstanceTag) {
          uint8_t b[4];
          random.Fill(b);
          our_tag = (uint32_t{b[0]} << 24) | (uint32_t{b[1]} << 16) | (uint32_t{b[2]} << 8) | b[3];
        }
        tags->push_back(store::InstagEntry{(*key)->account_name, (*key)->protocol, our_tag});
        auto saved = SaveInstags(paths.instance_tags, *tags, /*replace=*/true);
        if (!saved.ok()) std::fprintf(out, "[error] %s\n", ForTerminal(saved.error()).c_str());
      }
      bool renewed = false;
      const auto now = static_cast<int64_t>(SystemClock().NowSeconds());
      auto identity = V4IdentityOf(*backend, *v4_key, our_tag, &(*key)->key, now, random, &renewed);
      if (!identity.ok()) {
        std::fprintf(out, "[error] %s\n", ForTerminal(identity.error()).c_str());
        return kExitSetup;
      }
      if (renewed) {
        auto saved = SaveV4Keys(options.dir, *v4_keys);
        if (!saved.ok()) std::fprintf(out, "[error] %s\n", ForTerminal(saved.error()).c_str());
      }
      v4_identity.emplace(std::move(identity).value());
    }
  }
  auto transport = options.network == ChatNetwork::kXmpp ? MakeXmppTransport(options)
                                                         : MakeIrcTransport(options);
  ChatClient client(options, *transport, *backend, **key, std::move(v4_identity),
                    std::move(fingerprints).value(), std::move(v4_fingerprints).value(), paths,
                    our_tag, input_fd, out);
  return client.Run();
}

void PrintChatUsage(std::FILE* to) {
  std::fprintf(to, "%.*s", static_cast<int>(kChatUsage.size()), kChatUsage.data());
  for (std::string_view h : kChatCommandHelp) {
    std::fprintf(to, "  %.*s\n", static_cast<int>(h.size()), h.data());
  }
}

int RunChatCommand(const std::vector<std::string>& args) {
  if (WantsHelp(args)) {
    PrintChatUsage(stdout);
    return kExitOk;
  }
  auto options = ParseChatOptions(args, std::getenv("XDG_CONFIG_HOME"), std::getenv("HOME"));
  if (!options.ok()) {
    std::fprintf(stderr, "otr chat: %s\n", ForTerminal(options.error()).c_str());
    PrintChatUsage(stderr);
    return kExitUsage;
  }
  return RunChat(*options, STDIN_FILENO, stdout);
}

}  // namespace otr::tools
