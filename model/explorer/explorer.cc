#include "model/explorer/explorer.h"

#include <algorithm>
#include <chrono>

#include "protocol/v3/messages.h"
#include "protocol/wire/classify.h"

namespace otr::model {
namespace {

constexpr wire::InstanceTag kTag[2] = {0x1000, 0x2000};

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

ExplorerConfig NamedConfig(const std::string& name, const crypto::Backend& backend, int depth) {
  ExplorerConfig c;
  c.backend = &backend;
  c.depth = depth;
  if (name == "ake") return c;
  c.established = true;
  c.budgets.start = 1;
  c.budgets.smp = 2;
  if (name == "smp-differ") {
    c.smp_secret = {"the blue whale", "the red herring"};
    c.budgets.send = 0;
    c.budgets.smp = 4;
  }
  return c;
}

Result<std::unique_ptr<Explorer>> Explorer::Create(ExplorerConfig config) {
  if (config.backend == nullptr) {
    return MakeError(ErrorCode::kInvalidKey, "Explorer: a backend is required");
  }
  std::unique_ptr<Explorer> e(new Explorer(std::move(config)));
  OTR_RETURN_IF_ERROR(e->Init());
  return e;
}

Status Explorer::Init() {
  for (auto& key : keys_) {
    OTR_ASSIGN_OR_RETURN(key, config_.backend->GenerateDsaKey());
  }
  stats_.rows_total = TableSize(table::Machine::kMessage) + TableSize(table::Machine::kAuth) +
                      TableSize(table::Machine::kSmp);
  // A previous session of the same two clients (same keys and instance tags),
  // everything delivered in order; what each party received is stale later.
  World old = Fresh(config_.seed + 1000);
  // A planted invariant judges the exploration, not this run.
  auto planted = std::move(config_.extra_invariant);
  config_.extra_invariant = nullptr;
  const std::vector<Action> script = {
      {ActionKind::kStart, 0},    {ActionKind::kSend, 0},       {ActionKind::kSend, 1},
      {ActionKind::kSmpStart, 0}, {ActionKind::kSmpRespond, 1}, {ActionKind::kEnd, 1},
  };
  for (const Action& user : script) {
    if (auto f = Step(old, user, nullptr)) {
      return MakeError(ErrorCode::kBadState, "Explorer: the previous session broke an invariant");
    }
    for (int quiet = 0; quiet < 2;) {
      quiet = 0;
      for (int r = 0; r < 2; ++r) {
        if (old.party[r].inbox.empty()) {
          ++quiet;
          continue;
        }
        const Wire m = old.party[r].inbox.front();
        if (m.label.find(":query") == std::string::npos &&
            m.label.find(":plain") == std::string::npos) {
          stale_[r].push_back({m.text, "old " + m.label});
        }
        if (auto f = Step(old, {ActionKind::kDeliver, r, 0}, nullptr)) {
          return MakeError(ErrorCode::kBadState,
                           "Explorer: the previous session broke an invariant");
        }
      }
    }
  }
  config_.extra_invariant = std::move(planted);
  if (stale_[0].empty() || stale_[1].empty()) {
    return MakeError(ErrorCode::kBadState, "Explorer: the previous session sent nothing");
  }
  covered_.clear();
  stats_ = Stats{};
  stats_.rows_total = TableSize(table::Machine::kMessage) + TableSize(table::Machine::kAuth) +
                      TableSize(table::Machine::kSmp);
  return Status::Ok();
}

World Explorer::Fresh(uint64_t seed) {
  World w;
  for (int i = 0; i < 2; ++i) {
    w.party[i] = PartyState(seed * 2 + static_cast<uint64_t>(i));
    routed_[i].target = &w.party[i].random;
    SessionConfig config;
    config.backend = config_.backend;
    config.our_key = &keys_[i];
    config.policy = config_.policy[i];
    config.our_tag = kTag[i];
    auto session = Session::Create(config, routed_[i], clock_);
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

bool Explorer::Applies(World& w, const Action& a) const {
  const PartyState& p = w.party[a.party];
  switch (a.kind) {
    case ActionKind::kDeliver:
      return static_cast<size_t>(a.index) < p.inbox.size();
    case ActionKind::kDrop:
    case ActionKind::kDuplicate:
      return !p.inbox.empty();
    case ActionKind::kReplay:
      return static_cast<size_t>(a.index) < w.memory.size();
    case ActionKind::kStale:
      return static_cast<size_t>(a.index) < stale_[a.party].size();
    default:
      return true;
  }
}

std::vector<Action> Explorer::Enabled(World& w) {
  const Budgets& b = config_.budgets;
  const Budgets& u = w.used;
  std::vector<Action> actions;
  for (int r = 0; r < 2; ++r) {
    const PartyState& p = w.party[r];
    for (size_t i = 0; i < p.inbox.size() && i < config_.window; ++i) {
      actions.push_back({ActionKind::kDeliver, r, static_cast<int>(i)});
    }
    if (!p.inbox.empty() && u.drop < b.drop) actions.push_back({ActionKind::kDrop, r});
    if (!p.inbox.empty() && u.duplicate < b.duplicate) {
      actions.push_back({ActionKind::kDuplicate, r});
    }
    if (u.replay < b.replay) {
      for (size_t j = 0; j < w.memory.size(); ++j) {
        actions.push_back({ActionKind::kReplay, r, static_cast<int>(j)});
      }
    }
    if (u.stale < b.stale) {
      for (size_t k = 0; k < stale_[r].size(); ++k) {
        actions.push_back({ActionKind::kStale, r, static_cast<int>(k)});
      }
    }
    if (u.forge < b.forge) actions.push_back({ActionKind::kForge, r});
  }
  for (int who = 0; who < 2; ++who) {
    if (u.start < b.start) actions.push_back({ActionKind::kStart, who});
    if (u.end < b.end) actions.push_back({ActionKind::kEnd, who});
    if (u.send < b.send) actions.push_back({ActionKind::kSend, who});
    // SMP user actions do nothing outside ENCRYPTED; a user answers only
    // when asked.
    if (u.smp < b.smp && w.party[who].session->state() == ConversationState::kEncrypted) {
      actions.push_back({ActionKind::kSmpStart, who});
      if (w.party[who].asked_secret) actions.push_back({ActionKind::kSmpRespond, who});
      if (w.party[who].session->selected().smp_state() != v3::SmpState::kExpect1) {
        actions.push_back({ActionKind::kSmpAbort, who});
      }
    }
  }
  return actions;
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
        if (t.machine == table::Machine::kSmp) {
          for (v3::SmpAction act : v3::kSmpTable[t.row].actions) {
            if (act == v3::SmpAction::kSendSmp1) what += " smp1";
            if (act == v3::SmpAction::kSendSmp2) what += " smp2";
            if (act == v3::SmpAction::kSendSmp3) what += " smp3";
            if (act == v3::SmpAction::kSendSmp4) what += " smp4";
            if (act == v3::SmpAction::kSendAbort) what += " smp-abort";
          }
        } else if (t.machine == table::Machine::kMessage) {
          for (v3::MessageAction act : v3::kMessageTable[t.row].actions) {
            if (act == v3::MessageAction::kSendDisconnect) what += " disconnect";
            if (act == v3::MessageAction::kSendStoredMessage) what += " stored";
            if (act == v3::MessageAction::kSendHeartbeatIfDue) what += " heartbeat";
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

std::optional<Explorer::Failure> Explorer::Step(World& w, const Action& a, std::string* log) {
  routed_[0].target = &w.party[0].random;
  routed_[1].target = &w.party[1].random;
  const int actor = a.party;
  const int peer = 1 - actor;
  PartyState& me = w.party[actor];
  Session& session = *me.session;
  const PartyView before = ViewOf(session);
  RowRecorder recorder;
  Output out;
  std::string typed;
  std::string delivered;
  {
    table::ScopedRowObserver scope(&recorder);
    switch (a.kind) {
      case ActionKind::kDeliver: {
        const Wire m = me.inbox[static_cast<size_t>(a.index)];
        me.inbox.erase(me.inbox.begin() + a.index);
        delivered = m.label;
        out = session.Receive(m.text);
        break;
      }
      case ActionKind::kDrop:
        delivered = me.inbox.front().label;
        me.inbox.pop_front();
        ++w.used.drop;
        break;
      case ActionKind::kDuplicate:
        delivered = me.inbox.front().label;
        ++w.used.duplicate;
        out = session.Receive(me.inbox.front().text);
        break;
      case ActionKind::kReplay:
        delivered = w.memory[static_cast<size_t>(a.index)].label;
        ++w.used.replay;
        out = session.Receive(w.memory[static_cast<size_t>(a.index)].text);
        break;
      case ActionKind::kStale:
        delivered = stale_[actor][static_cast<size_t>(a.index)].label;
        ++w.used.stale;
        out = session.Receive(stale_[actor][static_cast<size_t>(a.index)].text);
        break;
      case ActionKind::kStart:
        ++w.used.start;
        out = session.StartOtr();
        break;
      case ActionKind::kEnd:
        ++w.used.end;
        out = session.EndOtr();
        break;
      case ActionKind::kSend:
        ++w.used.send;
        typed = std::string(kPartyName[actor]) + " says " + std::to_string(++me.typed) + ".";
        me.texts.push_back(typed);
        out = session.Send(typed);
        break;
      case ActionKind::kSmpStart:
        ++w.used.smp;
        out = session.StartSmp(config_.smp_secret[actor]);
        break;
      case ActionKind::kSmpRespond:
        ++w.used.smp;
        me.asked_secret = false;
        out = session.RespondSmp(config_.smp_secret[actor]);
        break;
      case ActionKind::kSmpAbort:
        ++w.used.smp;
        out = session.AbortSmp();
        break;
      case ActionKind::kForge: {
        // PLANTED: the attacker holds a copy of the peer's session (and so
        // its keys) and makes it say something its user never typed.
        ++w.used.forge;
        crypto::testing::DeterministicRandom scratch(99);
        routed_[peer].target = &scratch;
        Session copy = *w.party[peer].session;
        Output forged = copy.Send("forged by the attacker.");
        routed_[peer].target = &w.party[peer].random;
        recorder.rows.clear();
        for (std::string& s : forged.to_send) me.inbox.push_back({s, "FORGED data"});
        break;
      }
    }
  }
  const PartyView after = ViewOf(session);
  if (log != nullptr) {
    *log += ActionName(a);
    if (!delivered.empty()) *log += " [" + delivered + "]";
    *log += "\n      " + std::string(kPartyName[actor]) + ": " + Describe(after);
  }
  for (const table::RowTaken& t : recorder.rows) {
    covered_.insert({static_cast<int>(t.machine), t.row});
    ++stats_.rows_checked;
  }
  // The network: what the actor sent goes to the peer's queue and into the
  // attacker's memory.
  std::vector<std::string> sent_labels;
  for (const std::string& s : out.to_send) {
    Wire m{s, Label(actor, s, a, recorder.rows, typed, me)};
    sent_labels.push_back(m.label);
    w.party[peer].inbox.push_back(m);
    w.memory.push_back(m);
    if (w.memory.size() > config_.memory) w.memory.erase(w.memory.begin());
  }
  if (log != nullptr) {
    for (const std::string& l : sent_labels) *log += "\n      sends " + l;
    for (const Displayed& d : out.display) {
      *log += "\n      displays \"" + d.text + "\"" + (d.encrypted ? " (encrypted)" : "");
    }
    for (const Event& e : out.events) *log += "\n      event " + std::string(EventTypeName(e.type));
    *log += "\n";
  }

  // Trace conformance.
  std::string wrong = CheckConformance(recorder.rows, before, after, config_.policy[actor]);
  if (!wrong.empty()) return Failure{"conformance", std::string(kPartyName[actor]) + ": " + wrong};

  // Integrity: an encrypted display is a text the peer sent in a Data
  // Message, at most as often as it was sent.
  if (a.kind == ActionKind::kSend) {
    for (const std::string& s : out.to_send) {
      if (IsDataMessage(s)) {
        ++me.sent_encrypted[typed];
        break;
      }
    }
  }
  for (const Event& e : out.events) {
    if (e.type == EventType::kStoredMessageSent) ++me.sent_encrypted[e.text];
    if (e.type == EventType::kSmpAskSecret) me.asked_secret = true;
    if (e.type == EventType::kSmpSucceeded) ++me.smp_succeeded;
    if (e.type == EventType::kSmpFailed) ++me.smp_failed;
  }
  for (const Displayed& d : out.display) {
    if (!d.encrypted) continue;
    const int shown = ++me.displayed_encrypted[d.text];
    auto sent = w.party[peer].sent_encrypted.find(d.text);
    const int times = sent == w.party[peer].sent_encrypted.end() ? 0 : sent->second;
    if (shown > times) {
      return Failure{"integrity", std::string(kPartyName[actor]) + " displayed \"" + d.text +
                                      "\" as encrypted " + std::to_string(shown) + " time(s); " +
                                      kPartyName[peer] + " sent it encrypted " +
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
    if (e.type == EventType::kSmpSucceeded && !equal) {
      return Failure{"smp",
                     std::string(kPartyName[actor]) + " reported SMP success, secrets differ"};
    }
    if (e.type == EventType::kSmpFailed && equal) {
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

std::optional<Explorer::Failure> Explorer::CheckWorld(World& w) {
  // Agreement: an ENCRYPTED conversation holds keys and the peer's true
  // fingerprint; two ENCRYPTED conversations with the same session id (which
  // is derived from the shared secret) are the two ends of one AKE, of the
  // same version.
  std::array<PartyView, 2> views = {ViewOf(*w.party[0].session), ViewOf(*w.party[1].session)};
  for (int x = 0; x < 2; ++x) {
    const store::Fingerprint peer_fp = w.party[1 - x].session->our_fingerprint();
    for (const ConversationView& c : views[x].conversations) {
      if (c.message != v3::MessageState::kEncrypted) continue;
      const std::string where =
          std::string(kPartyName[x]) + " (conversation " + std::to_string(c.tag) + ")";
      if (!c.has_keys) return Failure{"agreement", where + " is ENCRYPTED without keys"};
      if (!c.their_fingerprint || *c.their_fingerprint != peer_fp) {
        return Failure{"agreement", where + " is ENCRYPTED with a wrong peer fingerprint"};
      }
      if (x != 0) continue;
      for (const ConversationView& d : views[1].conversations) {
        if (d.message != v3::MessageState::kEncrypted || d.ssid != c.ssid) continue;
        if (d.version != c.version || d.sent_reveal == c.sent_reveal) {
          return Failure{"agreement", "Alice and Bob share a session id but not an AKE run"};
        }
      }
    }
  }
  if (config_.extra_invariant) {
    std::string wrong = config_.extra_invariant(w);
    if (!wrong.empty()) return Failure{"planted", wrong};
  }
  return std::nullopt;
}

std::string Explorer::Fingerprint(World& w) {
  std::string f;
  for (int i = 0; i < 2; ++i) {
    const PartyView v = ViewOf(*w.party[i].session);
    f += "|P" + std::to_string(v.selected);
    for (const ConversationView& c : v.conversations) {
      f += "," + std::to_string(c.tag) + ":" + std::to_string(static_cast<int>(c.message)) +
           std::to_string(static_cast<int>(c.auth)) + std::to_string(static_cast<int>(c.smp)) +
           (c.has_keys ? "k" + std::to_string(c.our_keyid) + "." + std::to_string(c.their_keyid)
                       : "-");
      // Which session: the same as a conversation of the peer, or not.
      bool shared = false;
      const PartyView other = ViewOf(*w.party[1 - i].session);
      for (const ConversationView& d : other.conversations) {
        if (c.has_keys && d.has_keys && d.ssid == c.ssid) shared = true;
      }
      f += shared ? "=" : "";
    }
    f += w.party[i].asked_secret ? "?" : "";
    for (const Wire& m : w.party[i].inbox) f += "[" + m.label + "]";
  }
  const Budgets& u = w.used;
  for (int n : {u.drop, u.duplicate, u.replay, u.stale, u.start, u.end, u.send, u.smp, u.forge}) {
    f += "/" + std::to_string(n);
  }
  if (u.replay < config_.budgets.replay) {
    for (const Wire& m : w.memory) f += "{" + m.label + "}";
  }
  return f;
}

void Explorer::Dfs(World& w, std::vector<Action>& trace, int remaining) {
  if (remaining == 0 || found_) return;
  for (const Action& a : Enabled(w)) {
    if (found_) return;
    if (config_.max_states != 0 && stats_.states >= config_.max_states) {
      stats_.truncated = true;
      return;
    }
    World next = w;
    trace.push_back(a);
    ++stats_.transitions;
    stats_.max_depth = std::max(stats_.max_depth, trace.size());
    if (auto failure = Step(next, a, nullptr)) {
      found_ = Violation{failure->invariant, failure->detail, trace};
      trace.pop_back();
      return;
    }
    const std::string fp = Fingerprint(next);
    auto it = visited_.find(fp);
    if (it == visited_.end() || it->second < remaining - 1) {
      if (it == visited_.end()) ++stats_.states;
      visited_[fp] = remaining - 1;
      Dfs(next, trace, remaining - 1);
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
  std::vector<Action> trace;
  World w = Fresh(config_.seed);
  for (const Action& a : Prefix()) {
    trace.push_back(a);
    if (auto failure = Step(w, a, nullptr)) {
      found_ = Violation{failure->invariant, failure->detail, trace};
      break;
    }
  }
  w.used = Budgets{0, 0, 0, 0, 0, 0, 0, 0, 0};
  if (!found_) {
    stats_.states = 1;
    visited_[Fingerprint(w)] = config_.depth;
    Dfs(w, trace, config_.depth);
  }
  stats_.rows_covered = covered_.size();
  stats_.rows_total = TableSize(table::Machine::kMessage) + TableSize(table::Machine::kAuth) +
                      TableSize(table::Machine::kSmp);
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
  std::vector<Action> best = violation.trace;
  auto still_fails = [&](const std::vector<Action>& candidate) -> std::optional<Violation> {
    auto v = Replay(candidate);
    if (v && v->invariant == violation.invariant) return v;
    return std::nullopt;
  };
  if (auto v = still_fails(best)) best = v->trace;
  // ddmin: remove chunks, halving their size down to single actions.
  size_t chunks = 2;
  while (best.size() >= 2) {
    const size_t size = (best.size() + chunks - 1) / chunks;
    bool reduced = false;
    for (size_t start = 0; start < best.size(); start += size) {
      std::vector<Action> candidate(best.begin(), best.begin() + static_cast<long>(start));
      candidate.insert(candidate.end(),
                       best.begin() + static_cast<long>(std::min(best.size(), start + size)),
                       best.end());
      if (auto v = still_fails(candidate)) {
        best = v->trace;
        chunks = std::max<size_t>(chunks - 1, 2);
        reduced = true;
        break;
      }
    }
    if (!reduced) {
      if (chunks >= best.size()) break;
      chunks = std::min(best.size(), chunks * 2);
    }
  }
  return best;
}

std::string Explorer::Format(const std::vector<Action>& trace) {
  std::string log;
  if (auto v = Replay(trace, &log)) {
    log += "VIOLATED " + v->invariant + ": " + v->detail + "\n";
  }
  return log;
}

}  // namespace otr::model
