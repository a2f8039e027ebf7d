#include "model/explorer/explorer.h"

#include <algorithm>
#include <chrono>

#include "protocol/v3/messages.h"
#include "protocol/wire/classify.h"

namespace otr::model {
namespace {

constexpr wire::InstanceTag kTag[3] = {0x1000, 0x2000, 0x3000};

// The budget kind an action uses (Footprint::budget), -1 for none.
int BudgetKind(const Action& a) {
  switch (a.kind) {
    case ActionKind::kDrop:
      return 0;
    case ActionKind::kDuplicate:
      return 1;
    case ActionKind::kReplay:
      return 2;
    case ActionKind::kStale:
      return 3;
    case ActionKind::kStart:
      return a.party == kMallory ? 10 : 4;
    case ActionKind::kEnd:
      return 5;
    case ActionKind::kSend:
      return a.party == kMallory ? 11 : 6;
    case ActionKind::kSmpStart:
    case ActionKind::kSmpRespond:
    case ActionKind::kSmpAbort:
      return 7;
    case ActionKind::kForge:
      return 8;
    case ActionKind::kRedirect:
      return 9;
    case ActionKind::kTimePasses:
      return 12;
    case ActionKind::kFetch:
      return 13;
    case ActionKind::kServerReplay:
      return 14;
    case ActionKind::kDeliver:
    case ActionKind::kTimeout:
      return -1;
  }
  return -1;
}

// The receiver instance tag of a v3 message (0 for anything else).
wire::InstanceTag ReceiverTag(const std::string& text) {
  const wire::InboundMessage m = wire::Classify(text);
  const auto* encoded = std::get_if<wire::EncodedMessage>(&m);
  if (encoded == nullptr) return wire::kNoInstanceTag;
  auto decoded = v3::DecodeMessage(encoded->message);
  if (!decoded.ok()) return wire::kNoInstanceTag;
  return std::visit(
      [](const auto& message) -> wire::InstanceTag {
        if constexpr (requires { message.header; }) {
          if (message.header.version == v3::Version::kV3) return message.header.receiver_instance;
        }
        return wire::kNoInstanceTag;
      },
      *decoded);
}

// The events Explorer::Reported answers for: those of time (a held message
// expiring, or waiting) and of the held or stored message being sent.
constexpr EventType kReportedEvents[] = {
    EventType::kHeldMessageExpired,
    EventType::kHeldMessagePending,
    EventType::kStoredMessageSent,
};

const ConversationView* Find(const PartyView& v, wire::InstanceTag tag) {
  for (const ConversationView& c : v.conversations) {
    if (c.tag == tag) return &c;
  }
  return nullptr;
}

bool IsDataMessage(const std::string& s) {
  // Base64 of 00 03 03 (v3) or 00 02 03 (v2): protocol version, type 0x03.
  return s.rfind("?OTR:AAMD", 0) == 0 || s.rfind("?OTR:AAID", 0) == 0;
}

std::string Describe(const PartyView& v) {
  std::string text;
  for (const ConversationView& c : v.conversations) {
    if (!text.empty()) text += "; ";
    text += (c.tag == 0 ? std::string("master") : "instance") + " " + std::string(Name(c.message)) +
            "/" + std::string(Name(c.auth)) + "/" + std::string(Name(c.smp));
  }
  return text;
}

}  // namespace

ExplorerConfig NamedConfig(const std::string& full_name, const crypto::Backend& backend,
                           int depth) {
  ExplorerConfig c;
  std::string name = full_name;
  if (StripSuffix(name, "-v2")) {
    for (Policy& p : c.policy) p.allow_v3 = false;
  }
  ApplySharedNamedConfig(name, backend, depth, /*redirects=*/2, c);
  return c;
}

Result<std::unique_ptr<Explorer>> Explorer::Create(ExplorerConfig config) {
  if (config.backend == nullptr) {
    return MakeError(ErrorCode::kInvalidKey, "Explorer: a backend is required");
  }
  if (config.time_step <= 0) {
    return MakeError(ErrorCode::kInvalidKey, "Explorer: time_step must be positive");
  }
  std::unique_ptr<Explorer> e(new Explorer(std::move(config)));
  OTR_RETURN_IF_ERROR(e->Init());
  return e;
}

Status Explorer::Init() {
  const int parties = config_.mallory ? 3 : 2;
  for (int i = 0; i < parties; ++i) {
    OTR_ASSIGN_OR_RETURN(keys_[static_cast<size_t>(i)], config_.backend->GenerateDsaKey());
    identity_[static_cast<size_t>(i)] =
        store::ComputeFingerprint(*config_.backend, keys_[static_cast<size_t>(i)].pub);
  }
  stats_.rows_total =
      TableSize(Machine::kMessage) + TableSize(Machine::kAuth) + TableSize(Machine::kSmp);
  // A previous session of the same two clients (same keys and instance tags),
  // everything delivered in order; what each party received is stale later.
  World old = Fresh(config_.seed + 1000);
  // A planted invariant judges the exploration, not this run.
  auto planted = std::move(config_.extra_invariant);
  config_.extra_invariant = nullptr;
  const bool ran = RunPreviousSession(
      old, [this](World& w, const Action& a) { return !Step(w, a, nullptr); },
      [](const Wire& m) {
        return m.label.find(":query") == std::string::npos &&
               m.label.find(":plain") == std::string::npos;
      },
      stale_);
  if (!ran) {
    return MakeError(ErrorCode::kBadState, "Explorer: the previous session broke an invariant");
  }
  config_.extra_invariant = std::move(planted);
  if (stale_[0].empty() || stale_[1].empty()) {
    return MakeError(ErrorCode::kBadState, "Explorer: the previous session sent nothing");
  }
  covered_.clear();
  reported_.clear();
  stats_ = Stats{};
  stats_.rows_total =
      TableSize(Machine::kMessage) + TableSize(Machine::kAuth) + TableSize(Machine::kSmp);
  return Status::Ok();
}

World Explorer::Fresh(uint64_t seed) {
  World w;
  w.parties = config_.mallory ? 3 : 2;
  for (int i = 0; i < w.parties; ++i) {
    // Mallory's stream is apart from every Alice/Bob stream.
    w.party[i] = PartyState(seed * 2 + (i == kMallory ? 77777 : static_cast<uint64_t>(i)));
    routed_[i].target = &w.party[i].random;
    SessionConfig config;
    config.backend = config_.backend;
    config.identity.dsa = &keys_[i];
    if (i == kMallory && config_.planted_mallory_key >= 0) {
      config.identity.dsa = &keys_[static_cast<size_t>(config_.planted_mallory_key)];
    }
    config.policy = config_.policy[i];
    config.our_tag = kTag[i];
    auto session = Session::Create(config, routed_[i]);
    // Create fails only for a bad configuration, which NamedConfig never makes.
    if (session.ok()) w.party[i].session.emplace(std::move(session).value());
  }
  return w;
}

std::vector<Action> Explorer::Prefix() const {
  if (!config_.established) return {};
  // Alice's query, D-H Commit, D-H Key, Reveal Signature, Signature.
  return {{ActionKind::kStart, 0},   {ActionKind::kDeliver, 1}, {ActionKind::kDeliver, 0},
          {ActionKind::kDeliver, 1}, {ActionKind::kDeliver, 0}, {ActionKind::kDeliver, 1}};
}

bool Explorer::Applies(World& w, const Action& a) const { return ActionApplies(w, a, stale_); }

std::vector<Action> Explorer::Enabled(World& w) {
  return EnabledActions(w, config_.budgets, config_.window, config_.time_step, stale_);
}

std::string Explorer::Label(int sender, const std::string& text, const Action& a,
                            const std::vector<table::RowTaken>& rows, const std::string& typed,
                            PartyState& p) {
  std::string kind;
  const wire::InboundMessage m = wire::Classify(text);
  if (const auto* plain = std::get_if<wire::PlainText>(&m)) {
    kind = plain->text.empty() ? "plain" : "plain \"" + plain->text + "\"";
  } else if (const auto* tagged = std::get_if<wire::TaggedPlaintext>(&m)) {
    kind = "tagged \"" + tagged->text + "\"";
  } else if (std::holds_alternative<wire::QueryMessage>(m)) {
    kind = "query";
  } else if (std::holds_alternative<wire::ErrorMessage>(m)) {
    kind = "error";
  } else if (const auto* encoded = std::get_if<wire::EncodedMessage>(&m)) {
    auto decoded = v3::DecodeMessage(encoded->message);
    if (!decoded.ok()) {
      kind = "malformed";
    } else if (std::holds_alternative<v3::DhCommit>(*decoded)) {
      kind = "dh-commit";
    } else if (std::holds_alternative<v3::DhKey>(*decoded)) {
      kind = "dh-key";
    } else if (std::holds_alternative<v3::RevealSignature>(*decoded)) {
      kind = "reveal-sig";
    } else if (std::holds_alternative<v3::Signature>(*decoded)) {
      kind = "sig";
    } else if (const auto* data = std::get_if<v3::DataMessage>(&*decoded)) {
      // What the Data Message carries, from what the sender did in this step.
      std::string what;
      if (a.kind == ActionKind::kSend && !typed.empty()) what = "\"" + typed + "\"";
      for (const table::RowTaken& t : rows) {
        if (t.machine == &smp::kSmpMachine) {
          for (smp::SmpAction act : smp::kSmpTable[t.row].actions) {
            if (act == smp::SmpAction::kSendSmp1) what += " smp1";
            if (act == smp::SmpAction::kSendSmp2) what += " smp2";
            if (act == smp::SmpAction::kSendSmp3) what += " smp3";
            if (act == smp::SmpAction::kSendSmp4) what += " smp4";
            if (act == smp::SmpAction::kSendAbort) what += " smp-abort";
          }
        } else if (t.machine == &v3::kMessageMachine) {
          for (v3::MessageAction act : v3::kMessageTable[t.row].actions) {
            if (act == v3::MessageAction::kSendDisconnect) what += " disconnect";
            if (act == v3::MessageAction::kSendStoredMessage) what += " stored";
            if (act == v3::MessageAction::kSendHeartbeat) what += " heartbeat";
          }
        }
      }
      kind = "data(" + what + " keys " + std::to_string(data->sender_keyid) + "/" +
             std::to_string(data->recipient_keyid) + ")";
    } else {
      kind = "v1";
    }
  } else {
    kind = "other";
  }
  const std::string stem = std::string(1, kPartyName[sender][0]) + ":" + kind;
  return stem + " #" + std::to_string(++p.ordinals[stem]);
}

int Explorer::IdentityOf(const std::optional<store::Fingerprint>& fp, int parties) const {
  if (!fp) return -1;
  for (int i = 0; i < parties; ++i) {
    if (identity_[static_cast<size_t>(i)] == *fp) return i;
  }
  return -1;
}

// Where the network puts what `actor` sent. Alice and Bob talk to each
// other's account, except that the attacker hands Mallory what is addressed
// to her instance (the peer would ignore it). Mallory's messages go to the
// instance they address, else to the party she is dealing with (`cause`).
int Explorer::RouteOf(int actor, const std::string& text, int cause) const {
  const wire::InstanceTag to = config_.mallory ? ReceiverTag(text) : wire::kNoInstanceTag;
  if (actor != kMallory) return to == kTag[kMallory] ? kMallory : 1 - actor;
  for (int i = 0; i < 2; ++i) {
    if (to == kTag[i]) return i;
  }
  return cause;
}

std::string CheckTimeout(uint64_t now, std::optional<uint64_t> due_before, const Output& out,
                         std::optional<uint64_t> due_after) {
  const bool acted = !out.to_send.empty() || !out.display.empty() || !out.events.empty();
  if (acted && (!due_before || *due_before > now)) {
    return "HandleTimeout(" + std::to_string(now) + ") acted though NextTimeout() said " +
           (due_before ? "nothing was due before " + std::to_string(*due_before)
                       : "nothing was pending");
  }
  if (due_after && *due_after <= now) {
    return "after HandleTimeout(" + std::to_string(now) + "), NextTimeout() is still due (" +
           std::to_string(*due_after) + ")";
  }
  return {};
}

// Time passes for everyone at once (so it is dependent on every action,
// Footprint::special): the clock moves, each party's sends so far are
// recorded (Fingerprint: what was sent before and after), and each party's
// session runs HandleTimeout(now), judged and routed as any step.
std::optional<Explorer::Failure> Explorer::PassTime(World& w, const Action& a, std::string* log,
                                                    Footprint* footprint) {
  ++w.used.time;
  w.now += static_cast<uint64_t>(a.index);
  for (int i = 0; i < w.parties; ++i) {
    PartyState& p = w.party[i];
    p.sent_by_time += "|";
    for (const auto& [stem, n] : p.ordinals) p.sent_by_time += stem + std::to_string(n);
  }
  if (log != nullptr) *log += ActionName(a) + " (now " + std::to_string(w.now) + ")\n";
  Footprint fp;
  fp.budget = BudgetKind(a);
  fp.special = true;
  for (int i = 0; i < w.parties; ++i) {
    Footprint timeout;
    if (log != nullptr) *log += "   ";
    if (auto failure = Step(w, {ActionKind::kTimeout, i}, log, &timeout)) return failure;
    fp.appended |= timeout.appended;
  }
  if (footprint != nullptr) *footprint = fp;
  return std::nullopt;
}

std::optional<Explorer::Failure> Explorer::Step(World& w, const Action& a, std::string* log,
                                                Footprint* footprint) {
  if (a.kind == ActionKind::kTimePasses) return PassTime(w, a, log, footprint);
  for (int i = 0; i < w.parties; ++i) routed_[i].target = &w.party[i].random;
  Footprint fp;
  fp.budget = BudgetKind(a);
  fp.special = a.kind == ActionKind::kReplay || a.kind == ActionKind::kForge;
  int actor = a.party;
  // The party Mallory deals with in this step (her replies without an
  // instance tag go there).
  int cause = 0;
  if (a.party == kMallory && (a.kind == ActionKind::kStart || a.kind == ActionKind::kSend)) {
    cause = a.index;
  }
  if (a.kind == ActionKind::kRedirect) {
    fp.taken_from = a.party;
    actor = 3 - a.party - w.party[a.party].inbox[static_cast<size_t>(a.index)].sender;
  }
  fp.actor = actor;
  const int peer = actor == kMallory ? cause : 1 - actor;
  PartyState& me = w.party[actor];
  Session& session = *me.session;
  if (actor == kMallory && (a.kind == ActionKind::kStart || a.kind == ActionKind::kSend)) {
    // Mallory's conversation with that party, if she has one yet.
    const std::vector<wire::InstanceTag> tags = session.Instances();
    const bool has = std::find(tags.begin(), tags.end(), kTag[a.index]) != tags.end();
    (void)session.SelectInstance(has ? kTag[a.index] : wire::kNoInstanceTag);
  }
  const PartyView before = ViewOf(session);
  RowRecorder recorder;
  Output out;
  std::string typed;
  std::string delivered;
  std::string timeout_wrong;  // kTimeout: CheckTimeout's answer
  auto receive = [&](const Wire& m) {
    delivered = m.label;
    if (m.sender != kMallory) cause = m.sender;
    out = session.Receive(w.now, m.text);
  };
  {
    table::ScopedRowObserver scope(&recorder);
    switch (a.kind) {
      case ActionKind::kDeliver:
      case ActionKind::kRedirect: {
        PartyState& holder = w.party[a.party];
        const Wire m = holder.inbox[static_cast<size_t>(a.index)];
        holder.inbox.erase(holder.inbox.begin() + a.index);
        fp.taken_from = a.party;
        if (a.kind == ActionKind::kRedirect) ++w.used.redirect;
        receive(m);
        break;
      }
      case ActionKind::kDrop:
        delivered = me.inbox.front().label;
        me.inbox.pop_front();
        fp.taken_from = actor;
        ++w.used.drop;
        break;
      case ActionKind::kDuplicate:
        fp.taken_from = actor;
        ++w.used.duplicate;
        receive(me.inbox.front());
        break;
      case ActionKind::kReplay:
        ++w.used.replay;
        receive(w.memory[static_cast<size_t>(a.index)]);
        break;
      case ActionKind::kStale:
        ++w.used.stale;
        receive(stale_[actor][static_cast<size_t>(a.index)]);
        break;
      case ActionKind::kStart:
        ++(actor == kMallory ? w.used.mstart : w.used.start);
        out = session.StartOtr(w.now);
        break;
      case ActionKind::kEnd:
        ++w.used.end;
        out = session.EndOtr(w.now);
        break;
      case ActionKind::kSend:
        ++(actor == kMallory ? w.used.msend : w.used.send);
        typed = std::string(kPartyName[actor]) + " says " + std::to_string(++me.typed) + ".";
        me.texts.push_back(typed);
        out = session.Send(w.now, typed);
        break;
      case ActionKind::kSmpStart:
        ++w.used.smp;
        out = session.StartSmp(w.now, config_.smp_secret[actor]);
        break;
      case ActionKind::kSmpRespond:
        ++w.used.smp;
        me.asked_secret = false;
        out = session.RespondSmp(w.now, config_.smp_secret[actor]);
        break;
      case ActionKind::kSmpAbort:
        ++w.used.smp;
        out = session.AbortSmp(w.now);
        break;
      case ActionKind::kForge: {
        // PLANTED: the attacker holds a copy of the peer's session (and so
        // its keys) and makes it say something its user never typed.
        ++w.used.forge;
        crypto::testing::DeterministicRandom scratch(99);
        routed_[peer].target = &scratch;
        Session copy = *w.party[peer].session;
        Output forged = copy.Send(w.now, "forged by the attacker.");
        routed_[peer].target = &w.party[peer].random;
        recorder.rows.clear();
        for (std::string& s : forged.to_send) me.inbox.push_back({s, "FORGED data", peer});
        break;
      }
      case ActionKind::kTimeout: {
        const std::optional<uint64_t> due = session.NextTimeout();
        out = session.HandleTimeout(w.now);
        timeout_wrong = CheckTimeout(w.now, due, out, session.NextTimeout());
        break;
      }
      case ActionKind::kTimePasses:  // PassTime
      case ActionKind::kFetch:       // v4 only (never enabled here)
      case ActionKind::kServerReplay:
        break;
    }
  }
  for (EventType t : kReportedEvents) {
    if (out.HasEvent(t)) reported_.insert(t);
  }
  const PartyView after = ViewOf(session);
  if (log != nullptr) {
    *log += ActionName(a);
    if (a.kind == ActionKind::kRedirect) *log += " (" + std::string(kPartyName[actor]) + ")";
    if (!delivered.empty()) *log += " [" + delivered + "]";
    *log += "\n      " + std::string(kPartyName[actor]) + ": " + Describe(after);
  }
  for (const table::RowTaken& t : recorder.rows) {
    covered_.insert({static_cast<int>(MachineOf(t.machine)), t.row});
    ++stats_.rows_checked;
  }
  // The network: what the actor sent goes to a queue and into the attacker's
  // memory.
  std::vector<std::string> sent_labels;
  for (const std::string& s : out.to_send) {
    Wire m{s, Label(actor, s, a, recorder.rows, typed, me), actor};
    const int to = RouteOf(actor, s, actor == kMallory ? cause : peer);
    sent_labels.push_back(m.label + (w.parties == 3 ? " to " + std::string(kPartyName[to]) : ""));
    fp.appended |= 1u << to;
    w.party[to].inbox.push_back(m);
    w.memory.push_back(m);
    if (w.memory.size() > config_.memory) w.memory.erase(w.memory.begin());
  }
  if (footprint != nullptr) *footprint = fp;
  if (log != nullptr) {
    for (const std::string& l : sent_labels) *log += "\n      sends " + l;
    for (const Displayed& d : out.display) {
      *log += "\n      displays \"" + d.text + "\"" + (d.encrypted ? " (encrypted)" : "");
    }
    for (const Event& e : out.events)
      *log += "\n      event " + std::string(EventTypeName(e.type()));
    *log += "\n";
  }

  // Trace conformance (Mallory's engine too).
  std::string wrong = CheckConformance(recorder.rows, before, after, config_.policy[actor]);
  if (!wrong.empty()) return Failure{"conformance", std::string(kPartyName[actor]) + ": " + wrong};
  if (!timeout_wrong.empty()) {
    return Failure{"timeout", std::string(kPartyName[actor]) + ": " + timeout_wrong};
  }

  // Integrity. The ledger: a text sent in a Data Message, with whom the
  // sending conversation believed it talks to.
  auto believed = [&](wire::InstanceTag tag) {
    const ConversationView* c = Find(after, tag);
    if (c == nullptr) c = Find(before, tag);
    return c == nullptr ? -1 : IdentityOf(c->their_fingerprint, w.parties);
  };
  if (a.kind == ActionKind::kSend) {
    for (const std::string& s : out.to_send) {
      if (IsDataMessage(s)) {
        ++me.sent_encrypted[{typed, believed(before.selected)}];
        break;
      }
    }
  }
  for (const Event& e : out.events) {
    if (e.type() == EventType::kStoredMessageSent)
      ++me.sent_encrypted[{e.As<events::StoredMessageSent>()->text, believed(e.instance)}];
    if (e.type() == EventType::kSmpAskSecret) me.asked_secret = true;
    if (e.type() == EventType::kSmpSucceeded) ++me.smp_succeeded;
    if (e.type() == EventType::kSmpFailed) ++me.smp_failed;
  }
  // Mallory's own view is not protected; the rest concerns Alice and Bob.
  if (actor == kMallory) return CheckWorld(w);
  // An encrypted display in a conversation that believes it talks to Y is a
  // text Y typed and sent encrypted to a conversation that believed it talks
  // to the displaying party, at most as often as it was sent.
  for (const Displayed& d : out.display) {
    if (!d.encrypted) continue;
    const int y = believed(d.instance);
    const int shown = ++me.displayed_encrypted[d.text];
    if (y < 0) {
      return Failure{"integrity", std::string(kPartyName[actor]) + " displayed \"" + d.text +
                                      "\" as encrypted in a conversation without a known peer"};
    }
    auto sent = w.party[y].sent_encrypted.find({d.text, actor});
    const int times = sent == w.party[y].sent_encrypted.end() ? 0 : sent->second;
    if (shown > times) {
      return Failure{"integrity", std::string(kPartyName[actor]) + " displayed \"" + d.text +
                                      "\" as encrypted from " + kPartyName[y] + " " +
                                      std::to_string(shown) + " time(s); " + kPartyName[y] +
                                      " sent it encrypted to " + kPartyName[actor] + " " +
                                      std::to_string(times) + " time(s)"};
    }
  }

  // No user text leaves in plaintext under REQUIRE_ENCRYPTION, nor while
  // the conversation is ENCRYPTED or FINISHED.
  for (const std::string& s : out.to_send) {
    for (const std::string& t : me.texts) {
      if (s.find(t) == std::string::npos) continue;
      if (config_.policy[actor].require_encryption) {
        return Failure{"require-encryption", std::string(kPartyName[actor]) + " sent \"" + t +
                                                 "\" in plaintext under REQUIRE_ENCRYPTION"};
      }
      if (before.state != ConversationState::kPlaintext) {
        return Failure{"plaintext-leak", std::string(kPartyName[actor]) + " sent \"" + t +
                                             "\" in plaintext while not in PLAINTEXT"};
      }
    }
  }

  // SMP reports success only when the secrets are equal (and, with equal
  // secrets and honest parties, never a mismatch).
  const bool equal = config_.smp_secret[0] == config_.smp_secret[1];
  for (const Event& e : out.events) {
    if (e.type() == EventType::kSmpSucceeded && !equal) {
      return Failure{"smp",
                     std::string(kPartyName[actor]) + " reported SMP success, secrets differ"};
    }
    if (e.type() == EventType::kSmpFailed && equal) {
      return Failure{"smp",
                     std::string(kPartyName[actor]) + " reported SMP failure, secrets equal"};
    }
  }

  // Ending always leaves PLAINTEXT or FINISHED.
  if (a.kind == ActionKind::kEnd && after.state == ConversationState::kEncrypted) {
    return Failure{"ending", std::string(kPartyName[actor]) + " is still ENCRYPTED after ending"};
  }
  return CheckWorld(w);
}

std::string CheckAgreement(const std::vector<PartyView>& views,
                           const std::vector<store::Fingerprint>& identity) {
  const size_t n = std::min(views.size(), identity.size());
  auto who = [&](const std::optional<store::Fingerprint>& fp) -> int {
    for (size_t i = 0; fp && i < n; ++i) {
      if (identity[i] == *fp) return static_cast<int>(i);
    }
    return -1;
  };
  for (size_t x = 0; x < std::min<size_t>(n, 2); ++x) {
    for (const ConversationView& c : views[x].conversations) {
      if (c.message != v3::MessageState::kEncrypted) continue;
      const std::string where =
          std::string(kPartyName[x]) + " (conversation " + std::to_string(c.tag) + ")";
      if (!c.has_keys) return where + " is ENCRYPTED without keys";
      const int y = who(c.their_fingerprint);
      if (y < 0 || y == static_cast<int>(x)) {
        return where + " is ENCRYPTED with a peer fingerprint that is no other party's";
      }
      const std::string believes = where + " believes it talks to " + kPartyName[y];
      for (size_t z = 0; z < n; ++z) {
        if (z == x) continue;
        for (const ConversationView& d : views[z].conversations) {
          if (!d.has_keys || d.ssid != c.ssid) continue;
          if (static_cast<int>(z) != y) {
            return believes + ", but " + kPartyName[z] + " (conversation " + std::to_string(d.tag) +
                   ") holds the other end of its session (misbinding)";
          }
          if (d.message != v3::MessageState::kEncrypted) continue;
          if (who(d.their_fingerprint) != static_cast<int>(x)) {
            return believes + ", and " + kPartyName[z] +
                   " shares its session believing it talks to someone else (misbinding)";
          }
          if (d.version != c.version || d.sent_reveal == c.sent_reveal) {
            return believes + ": they share a session id but not an AKE run";
          }
        }
      }
    }
  }
  return {};
}

std::optional<Explorer::Failure> Explorer::CheckWorld(World& w) {
  std::vector<PartyView> views;
  std::vector<store::Fingerprint> identity;
  for (int i = 0; i < w.parties; ++i) {
    views.push_back(ViewOf(*w.party[i].session));
    identity.push_back(identity_[static_cast<size_t>(i)]);
  }
  std::string wrong = CheckAgreement(views, identity);
  if (!wrong.empty()) return Failure{"agreement", wrong};
  if (config_.extra_invariant) {
    wrong = config_.extra_invariant(w);
    if (!wrong.empty()) return Failure{"planted", wrong};
  }
  return std::nullopt;
}

std::string Explorer::Fingerprint(World& w) {
  std::vector<PartyView> views;
  for (int i = 0; i < w.parties; ++i) views.push_back(ViewOf(*w.party[i].session));
  std::string f;
  for (int i = 0; i < w.parties; ++i) {
    const PartyView& v = views[static_cast<size_t>(i)];
    f += "|P" + std::to_string(v.selected);
    for (const ConversationView& c : v.conversations) {
      f += "," + std::to_string(c.tag) + ":" + std::to_string(static_cast<int>(c.message)) +
           std::to_string(static_cast<int>(c.auth)) + std::to_string(static_cast<int>(c.smp)) +
           (c.has_keys ? "k" + std::to_string(c.our_keyid) + "." + std::to_string(c.their_keyid)
                       : "-");
      // Whom it believes, and which session: the same as a conversation of
      // another party, or not.
      f += "@" + std::to_string(IdentityOf(c.their_fingerprint, w.parties));
      for (int j = 0; j < w.parties; ++j) {
        if (j == i) continue;
        for (const ConversationView& d : views[static_cast<size_t>(j)].conversations) {
          if (c.has_keys && d.has_keys && d.ssid == c.ssid) f += "=" + std::to_string(j);
        }
      }
    }
    f += w.party[i].asked_secret ? "?" : "";
    // Time: when the held message expires, relative to now ("!": due), and
    // what the party had sent each time time passed (a conversation's
    // heartbeat is due, and its stored message too old to resend, by when
    // it last sent).
    const std::optional<uint64_t> next = w.party[i].session->NextTimeout();
    if (next) f += *next <= w.now ? "h!" : "h" + std::to_string(*next - w.now);
    f += w.party[i].sent_by_time;
    // What the party's next labels will be (typed texts, message ordinals).
    f += "t" + std::to_string(w.party[i].typed);
    for (const auto& [stem, n] : w.party[i].ordinals) f += stem + std::to_string(n);
    for (const Wire& m : w.party[i].inbox) f += "[" + m.label + "]";
  }
  const Budgets& u = w.used;
  for (int n : {u.drop, u.duplicate, u.replay, u.stale, u.start, u.end, u.send, u.smp, u.forge,
                u.redirect, u.mstart, u.msend, u.time}) {
    f += "/" + std::to_string(n);
  }
  f += "T" + std::to_string(w.now);
  if (u.replay < config_.budgets.replay) {
    for (const Wire& m : w.memory) f += "{" + m.label + "}";
  }
  return f;
}

// Two actions of different parties commute when neither reads or rewrites
// what the other writes: each touches only its own Session, the queue it
// takes from and the ends of the queues it appends to, and its budget.
// Appending to the end of a queue does not move the messages another action
// takes by position. The attacker's memory is ordered, so two actions that
// both send are dependent while a replay is still possible (it is not part
// of the state afterwards), and so are two that append to the same queue.
// A sleeping action keeps its footprint: its actor's state is unchanged
// while it sleeps, so it would do the same. Time passing is special: every
// party's next step reads the clock (heartbeat due, held or stored message
// too old), so it is dependent on every action.
bool Explorer::Independent(const World& w, const Footprint& x, const Footprint& y) const {
  if (x.special || y.special || x.actor == y.actor) return false;
  if (x.taken_from >= 0 && x.taken_from == y.taken_from) return false;
  if (x.budget >= 0 && x.budget == y.budget) return false;
  if ((x.appended & y.appended) != 0) return false;
  if (x.appended != 0 && y.appended != 0 && w.used.replay < config_.budgets.replay) return false;
  return true;
}

void Explorer::Dfs(World& w, std::vector<Action>& trace, int remaining, std::vector<Sleeping> sleep,
                   const std::vector<Action>* only) {
  if (remaining == 0 || found_) return;
  std::vector<Sleeping> done;  // explored from here, in order
  for (const Action& a : Enabled(w)) {
    if (found_) return;
    if (only != nullptr && std::find(only->begin(), only->end(), a) == only->end()) continue;
    if (std::find_if(sleep.begin(), sleep.end(),
                     [&a](const Sleeping& s) { return s.action == a; }) != sleep.end()) {
      ++stats_.slept;
      continue;
    }
    if (config_.max_states != 0 && stats_.states >= config_.max_states) {
      stats_.truncated = true;
      return;
    }
    World next = w;
    trace.push_back(a);
    ++stats_.transitions;
    stats_.max_depth = std::max(stats_.max_depth, trace.size());
    Footprint fp;
    if (auto failure = Step(next, a, nullptr, &fp)) {
      found_ = Violation{failure->invariant, failure->detail, trace};
      trace.pop_back();
      return;
    }
    // The child sleeps on every action explored (or sleeping) here that is
    // independent of `a`: its interleavings after `a` are covered by the
    // paths that take it first.
    std::vector<Sleeping> child;
    if (config_.por) {
      for (const std::vector<Sleeping>* set : {&sleep, &done}) {
        for (const Sleeping& s : *set) {
          if (Independent(w, s.footprint, fp)) child.push_back(s);
        }
      }
      done.push_back({a, fp});
    }
    std::vector<Action> child_actions;
    for (const Sleeping& s : child) child_actions.push_back(s.action);
    const std::string key = Fingerprint(next);
    auto it = visited_.find(key);
    if (it == visited_.end() || it->second.depth < remaining - 1) {
      if (it == visited_.end()) ++stats_.states;
      visited_[key] = Seen{remaining - 1, child_actions};
      Dfs(next, trace, remaining - 1, std::move(child), nullptr);
    } else {
      // Seen with at least this depth left: explore only what slept then
      // and is awake now (sleep sets with state caching).
      std::vector<Action> missing;
      for (const Action& s : it->second.sleeping) {
        if (std::find(child_actions.begin(), child_actions.end(), s) == child_actions.end()) {
          missing.push_back(s);
        }
      }
      if (!missing.empty()) {
        if (it->second.depth == remaining - 1) {
          std::vector<Action> both;
          for (const Action& s : it->second.sleeping) {
            if (std::find(missing.begin(), missing.end(), s) == missing.end()) both.push_back(s);
          }
          it->second.sleeping = both;
        }
        Dfs(next, trace, remaining - 1, std::move(child), &missing);
      }
    }
    trace.pop_back();
  }
}

std::optional<Violation> Explorer::Run() {
  const auto start = std::chrono::steady_clock::now();
  visited_.clear();
  found_.reset();
  stats_ = Stats{};
  covered_.clear();
  reported_.clear();
  std::vector<Action> trace;
  World w = Fresh(config_.seed);
  for (const Action& a : Prefix()) {
    trace.push_back(a);
    if (auto failure = Step(w, a, nullptr)) {
      found_ = Violation{failure->invariant, failure->detail, trace};
      break;
    }
  }
  w.used = kNoneUsed;
  if (!found_) {
    stats_.states = 1;
    visited_[Fingerprint(w)] = Seen{config_.depth, {}};
    Dfs(w, trace, config_.depth, {}, nullptr);
  }
  stats_.rows_covered = covered_.size();
  stats_.rows_total =
      TableSize(Machine::kMessage) + TableSize(Machine::kAuth) + TableSize(Machine::kSmp);
  stats_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!found_) return std::nullopt;
  Violation v = *found_;
  v.trace = Shrink(v);
  if (auto again = Replay(v.trace)) v.detail = again->detail;
  return v;
}

std::optional<Violation> Explorer::Replay(const std::vector<Action>& trace, std::string* log) {
  World w = Fresh(config_.seed);
  std::vector<Action> applied;
  for (const Action& a : trace) {
    if (!Applies(w, a)) continue;
    applied.push_back(a);
    if (log != nullptr) *log += std::to_string(applied.size()) + ". ";
    if (auto failure = Step(w, a, log)) {
      return Violation{failure->invariant, failure->detail, applied};
    }
  }
  return std::nullopt;
}

std::vector<Action> Explorer::Shrink(const Violation& violation) {
  return ShrinkTrace(violation, [this](const std::vector<Action>& t) { return Replay(t); });
}

std::string Explorer::FingerprintAfter(const std::vector<Action>& trace) {
  World w = Fresh(config_.seed);
  for (const Action& a : trace) {
    if (Applies(w, a)) (void)Step(w, a, nullptr);
  }
  return Fingerprint(w);
}

std::string Explorer::Format(const std::vector<Action>& trace) {
  std::string log;
  if (auto v = Replay(trace, &log)) {
    log += "VIOLATED " + v->invariant + ": " + v->detail + "\n";
  }
  return log;
}

}  // namespace otr::model
