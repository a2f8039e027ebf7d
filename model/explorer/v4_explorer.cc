#include "model/explorer/v4_explorer.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <set>

#include "crypto/testing/deterministic_random.h"
#include "model/explorer/conformance.h"
#include "protocol/prekey/server/server.h"
#include "protocol/session/offline_maintenance.h"
#include "protocol/session/testing.h"
#include "protocol/smp/smp_table.h"
#include "protocol/v4/crypto/fingerprint.h"
#include "protocol/v4/ratchet/ratchet.h"
#include "protocol/v4/state/conversation_table.h"
#include "tests/session/v4_fixture.h"

namespace otr::model {
namespace {

constexpr wire::InstanceTag kTag[3] = {0x1000, 0x2000, 0x3000};
constexpr uint64_t kStartTime = 1'000'000;
// The offline configurations' accounts and prekey server (as XMPP names them).
constexpr const char* kAccount[2] = {"alice@example.org", "bob@example.org"};
constexpr const char* kPrekeyServer = "prekey.example.org";

prekey::ServerConfig ServerConfigFor() {
  prekey::ServerConfig c;
  c.identity = kPrekeyServer;
  return c;
}

// The typed text a Wire carries, from its label ("A3(Alice says 1.)").
std::string TypedIn(const Wire& m) {
  const size_t open = m.label.find('(');
  if (open == std::string::npos || m.label.back() != ')') return "";
  return m.label.substr(open + 1, m.label.size() - open - 2);
}

bool Contains(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

bool Encrypted(const otr::ConversationView& v) { return v.state == ConversationState::kEncrypted; }

std::vector<otr::ConversationView> Views(const Session& s) {
  std::vector<otr::ConversationView> views;
  for (wire::InstanceTag tag : s.Instances()) {
    if (auto v = s.view(tag)) views.push_back(*v);
  }
  return views;
}

// The typist of "Alice says 2." (-1 if the text is no typed text).
int Typist(const std::string& text) {
  for (int i = 0; i < 3; ++i) {
    const std::string name = kPartyName[i];
    if (text.rfind(name + " says ", 0) == 0) return i;
  }
  return -1;
}

std::string Hex(const Bytes& b) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string s;
  for (uint8_t c : b) {
    s += kDigits[c >> 4];
    s += kDigits[c & 15];
  }
  return s;
}

std::string Describe(const std::vector<otr::ConversationView>& views) {
  std::string text;
  for (const otr::ConversationView& v : views) {
    if (!text.empty()) text += "; ";
    text += "instance " + std::to_string(v.instance) + " v" + std::to_string(v.version);
    for (const MachineState& m : v.machines) text += " " + std::string(m.name);
  }
  return text;
}

}  // namespace

V4ExplorerConfig V4NamedConfig(const std::string& full_name, const crypto::Backend& backend,
                               int depth) {
  V4ExplorerConfig c;
  const std::string name = ApplySharedNamedConfig(full_name, backend, depth, /*redirects=*/1, c);
  if (name == "v3-fallback") {
    // A v3-compatible v4 client against a v3-only one ("OTRv4 Modes").
    c.policy[0] = Policy::Always().WithV4();
    c.policy[1] = Policy::Opportunistic();
    c.v3_prefix = true;
  } else if (name == "mallory-smp") {
    // Alice-Bob established, Alice-Mallory too (in the prefix): Mallory,
    // who does not know the secret, runs SMP with Alice (her guess) and
    // ends; Alice starts or answers SMP once (with Bob or Mallory).
    c.mallory = true;
    c.mallory_prefix = true;
    c.budgets = kNoneUsed;
    c.budgets.mstart = 1;  // spent by the prefix
    c.budgets.msmp = 2;
    c.budgets.mend = 1;
    c.budgets.smp = 1;
    c.window = 1;  // in order: the depth goes to the SMP run
  } else if (name.rfind("offline", 0) == 0) {
    // The offline start: Alice v4 standalone fetches Bob's ensembles from
    // the prekey server core; Bob, v4 standalone, published and is away.
    c.offline = true;
    c.established = false;
    c.policy[0] = Policy::V4Standalone();
    c.policy[1] = Policy::V4Standalone();
    c.send_when_secure = true;
    c.budgets = kNoneUsed;
    if (name == "offline-live") {
      // Fair: no attacker; fetch, type (Alice, then Bob once he holds
      // the session), deliver in order.
      c.budgets.fetch = 1;
      c.budgets.send = 2;
      c.window = 1;
      c.check_offline_liveness = true;
    } else if (name == "offline-reorder") {
      c.offline_prefix_fetches = 1;
      c.prefix_sends = 2;
      c.budgets.fetch = 1;
      c.budgets.send = 2;
      c.budgets.duplicate = 1;
      c.window = 3;
    } else {
      c.offline_prefix_fetches = 1;
      c.budgets.fetch = 2;
      c.budgets.server_replay = 1;
      c.budgets.send = 2;
      c.budgets.drop = 1;
      c.budgets.duplicate = 1;
      c.budgets.replay = 1;
      c.budgets.stale = 1;
      c.budgets.end = 1;
    }
  } else if (name == "reorder") {
    c.budgets = kNoneUsed;
    // Alice's three messages are queued in the prefix; the network
    // delivers them in every order (window 3 <= max_skip) and duplicates one.
    c.budgets.send = 3;
    c.prefix_sends = 3;
    c.budgets.duplicate = 1;
    c.window = 3;
  }
  return c;
}

Result<std::unique_ptr<V4Explorer>> V4Explorer::Create(V4ExplorerConfig config) {
  if (config.backend == nullptr) {
    return MakeError(ErrorCode::kInvalidKey, "V4Explorer: a backend is required");
  }
  std::unique_ptr<V4Explorer> e(new V4Explorer(std::move(config)));
  OTR_RETURN_IF_ERROR(e->Init());
  return e;
}

Result<Session> V4Explorer::MakeSession(int who, crypto::Random& random) const {
  const size_t i = static_cast<size_t>(who);
  SessionConfig sc;
  sc.backend = config_.backend;
  sc.policy = config_.policy[i];
  sc.our_tag = kTag[i];
  if (sc.policy.allow_v4) sc.identity.v4 = v4_ids_[i].get();
  if (dsa_[i]) sc.identity.dsa = &*dsa_[i];
  if (config_.offline && who == 1) sc.prekey_store = &routed_store_;
  if (config_.offline && who == 0) {
    sc.prekey_server = PrekeyServerConfig{
        kPrekeyServer, kAccount[1],
        v4::ComputePrekeyServerFingerprint(*config_.backend, server_key_->pub), 60, 0};
  }
  return Session::Create(sc, random);
}

Status V4Explorer::Init() {
  const int parties = config_.mallory ? 3 : 2;
  for (int who = 0; who < parties; ++who) {
    const size_t i = static_cast<size_t>(who);
    if (v4_ids_[i] == nullptr) {  // Bob's is made first by Publish in the offline setup
      v4_ids_[i] = testing::MakeV4Identity(*config_.backend, 0x7e570000 + i, kTag[i], kStartTime,
                                           config_.policy[i].SpeaksV3() ? "43" : "4");
    }
    if (v4_ids_[i] == nullptr) return MakeError(ErrorCode::kInvalidKey, "V4Explorer: identity");
    if (config_.policy[i].SpeaksV3()) {
      OTR_ASSIGN_OR_RETURN(dsa_[i], config_.backend->GenerateDsaKey());
    }
    routed_[i].target = nullptr;
    if (config_.offline && who == 0) OTR_RETURN_IF_ERROR(Publish());
    OTR_ASSIGN_OR_RETURN(Session s, MakeSession(who, routed_[i]));
    if (auto fp = s.our_v4_fingerprint()) identity_[i].push_back(*fp);
    if (dsa_[i]) identity_[i].emplace_back(s.our_fingerprint());
  }
  // A previous session of the same two clients, everything delivered in
  // order: what each party received is stale later.
  World old = Fresh(config_.seed + 1000);
  auto planted = std::move(config_.extra_invariant);
  config_.extra_invariant = nullptr;
  const bool ran = RunPreviousSession(
      old,
      [this](World& w, const Action& a) {
        auto f = Step(w, a, nullptr);
        if (f) std::fprintf(stderr, "%s: %s\n", f->invariant.c_str(), f->detail.c_str());
        return !f;
      },
      [](const Wire&) { return true; }, stale_);
  if (!ran) {
    return MakeError(ErrorCode::kBadState, "V4Explorer: the previous session broke an invariant");
  }
  config_.extra_invariant = std::move(planted);
  if (stale_[0].empty() || stale_[1].empty()) {
    return MakeError(ErrorCode::kBadState, "V4Explorer: the previous session sent nothing");
  }
  covered_.clear();
  reported_.clear();
  stats_ = Stats{};
  lost_before_auth_ = 0;
  lost_example_.clear();
  liveness_checked_ = 0;
  stats_.rows_total = v4::kProtocolTable.size() + smp::kSmpTable.size();
  return Status::Ok();
}

// "Publishing Prekey Ensembles" (otrv4.md) as the application does it: Bob's
// OfflineMaintenance asks the server core for his Storage Status and
// publishes his Client Profile, Prekey Profile and `offline_prekeys` Prekey
// Messages (otr-v4-prekey-server.md, "Publishing Prekey Values": a DAKEZ
// with the server), the private values going into his prekey store. Runs
// once, in order; every world starts from the result.
Status V4Explorer::Publish() {
  const crypto::Backend& backend = *config_.backend;
  crypto::testing::DeterministicRandom random(config_.seed * 31 + 5);
  OTR_ASSIGN_OR_RETURN(v4::Ed448KeyPair key, v4::GenerateLongTermKeyPair(backend, random));
  server_key_.emplace(std::move(key));
  // Bob's identity is made before Alice's session (it is party 1): make it now.
  if (v4_ids_[1] == nullptr) {
    v4_ids_[1] = testing::MakeV4Identity(backend, 0x7e570001, kTag[1], kStartTime,
                                         config_.policy[1].SpeaksV3() ? "43" : "4");
    if (v4_ids_[1] == nullptr) return MakeError(ErrorCode::kInvalidKey, "V4Explorer: identity");
  }
  OfflineWorld t;
  t.server_random = crypto::testing::DeterministicRandom(config_.seed * 31 + 6);
  prekey::Server server(backend, t.server_random, t.storage, *server_key_, ServerConfigFor());
  OfflineMaintenanceConfig mc;
  mc.backend = &backend;
  mc.policy = config_.policy[1];
  mc.our_identity = kAccount[1];
  mc.server = kPrekeyServer;
  mc.server_fingerprint = v4::ComputePrekeyServerFingerprint(backend, server_key_->pub);
  mc.identity = v4_ids_[1].get();
  mc.store = &t.bob_store;
  mc.low_water = config_.offline_prekeys;
  mc.target = config_.offline_prekeys;
  OTR_ASSIGN_OR_RETURN(OfflineMaintenance m, OfflineMaintenance::Create(mc, random, kStartTime));
  MaintenanceOutput out = m.Start(kStartTime);
  uint32_t published = 0;
  for (int round = 0; !out.to_prekey_server.empty() && round < 20; ++round) {
    std::vector<PrekeyServerMessage> next;
    for (const PrekeyServerMessage& q : out.to_prekey_server) {
      prekey::ServerOutput so = server.Receive(kAccount[1], std::string(kAccount[1]) + "/phone",
                                               q.text, static_cast<int64_t>(kStartTime));
      for (const std::string& reply : so.replies) {
        MaintenanceOutput o = m.Receive(kStartTime, reply);
        for (const MaintenanceEvent& e : o.events) {
          if (e.kind == MaintenanceEventKind::kPublished) published += e.count;
        }
        for (PrekeyServerMessage& n : o.to_prekey_server) next.push_back(std::move(n));
      }
    }
    out.to_prekey_server = std::move(next);
  }
  if (published != config_.offline_prekeys || t.bob_store.prekey_count() != published) {
    return MakeError(ErrorCode::kBadState, "V4Explorer: Bob's publication did not complete");
  }
  offline_template_.emplace(std::move(t));
  return Status::Ok();
}

Output V4Explorer::Fetch(World& w, Session& alice, int replayed) {
  OfflineWorld& o = *w.offline;
  Output out = alice.RequestPrekeyEnsembles(w.now);
  std::vector<PrekeyServerMessage> queries = std::move(out.to_prekey_server);
  out.to_prekey_server.clear();
  std::vector<std::string> answers;
  if (replayed >= 0) {
    // The attacker drops the query and answers with what the server said before.
    answers.push_back(o.server_replies[static_cast<size_t>(replayed)]);
  } else {
    // The real server core over this world's storage (decision 0031: its
    // own state, rate limits and half-done DAKEs, is not kept between
    // fetches; a retrieval uses none of it but the rate limits).
    prekey::Server server(*config_.backend, o.server_random, o.storage, *server_key_,
                          ServerConfigFor());
    for (const PrekeyServerMessage& q : queries) {
      prekey::ServerOutput so = server.Receive(kAccount[0], std::string(kAccount[0]) + "/laptop",
                                               q.text, static_cast<int64_t>(w.now));
      for (const std::string& reply : so.replies) {
        answers.push_back(reply);
        o.server_replies.push_back(reply);
      }
    }
  }
  for (const std::string& answer : answers)
    Append(out, alice.ReceiveFromPrekeyServer(w.now, answer));
  return out;
}

World V4Explorer::Fresh(uint64_t seed) {
  World w;
  w.now = kStartTime;
  w.parties = config_.mallory ? 3 : 2;
  if (offline_template_) w.offline = *offline_template_;
  for (int i = 0; i < w.parties; ++i) {
    PartyState& p = w.party[static_cast<size_t>(i)];
    p.random = crypto::testing::DeterministicRandom(seed * 7 + static_cast<uint64_t>(i) + 1);
    auto s = MakeSession(i, routed_[static_cast<size_t>(i)]);
    if (s.ok()) p.session.emplace(std::move(s).value());
  }
  return w;
}

std::vector<Action> V4Explorer::Prefix() const {
  if (config_.offline) {
    std::vector<Action> prefix(static_cast<size_t>(config_.offline_prefix_fetches),
                               Action{ActionKind::kFetch, 0});
    for (int i = 0; i < config_.prefix_sends; ++i) prefix.push_back({ActionKind::kSend, 0});
    return prefix;
  }
  if (!config_.established) return {};
  // Alice (v4 standalone) sends an Identity message, Bob an Auth-R, Alice
  // an Auth-I.
  if (config_.v3_prefix) {
    return {{ActionKind::kStart, 0},   {ActionKind::kDeliver, 1}, {ActionKind::kDeliver, 0},
            {ActionKind::kDeliver, 1}, {ActionKind::kDeliver, 0}, {ActionKind::kDeliver, 1}};
  }
  std::vector<Action> prefix = {{ActionKind::kStart, 0},
                                {ActionKind::kDeliver, 1},
                                {ActionKind::kDeliver, 0},
                                {ActionKind::kDeliver, 1}};
  for (int i = 0; i < config_.prefix_sends; ++i) prefix.push_back({ActionKind::kSend, 0});
  if (config_.mallory_prefix) {
    // Mallory (v4 interactive-only) starts with an Identity message to
    // Alice, Alice answers Auth-R, Mallory Auth-I: in order.
    prefix.insert(prefix.end(), {{ActionKind::kStart, kMallory, 0},
                                 {ActionKind::kDeliver, 0},
                                 {ActionKind::kDeliver, kMallory},
                                 {ActionKind::kDeliver, 0}});
  }
  return prefix;
}

bool V4Explorer::Applies(World& w, const Action& a) const { return ActionApplies(w, a, stale_); }

std::vector<Action> V4Explorer::Enabled(World& w) const {
  std::vector<Action> actions =
      EnabledActions(w, config_.budgets, config_.window, config_.time_step, stale_);
  if (config_.send_when_secure) {
    std::erase_if(actions, [&w](const Action& a) {
      return a.kind == ActionKind::kSend &&
             w.party[static_cast<size_t>(a.party)].session->state() !=
                 ConversationState::kEncrypted;
    });
  }
  return actions;
}

const std::string& V4Explorer::SmpSecret(int who) const {
  return who == kMallory ? config_.mallory_smp_secret
                         : config_.smp_secret[static_cast<size_t>(who)];
}

// The party at the other end of the conversation whose SMP just ended
// (in progress before the step, not after), or -1.
int V4Explorer::SmpPeer(const std::vector<otr::ConversationView>& before,
                        const std::vector<otr::ConversationView>& after) const {
  for (const otr::ConversationView& b : before) {
    if (b.smp != SmpProgress::kInProgress) continue;
    for (const otr::ConversationView& v : after) {
      if (v.instance == b.instance && v.smp != SmpProgress::kInProgress) {
        return IdentityOf(v.their_fingerprint);
      }
    }
  }
  return -1;
}

int V4Explorer::IdentityOf(const std::optional<store::PeerFingerprint>& fp) const {
  if (!fp) return -1;
  for (size_t i = 0; i < 3; ++i) {
    for (const store::PeerFingerprint& mine : identity_[i]) {
      if (mine == *fp) return static_cast<int>(i);
    }
  }
  return 3;  // nobody's
}

// Trace conformance (conformance.h, for the v4 protocol table and the SMP
// table): each reported row is a row of its table for the state and event it
// was selected for, a machine's rows chain, the conversation holds the last
// row's next state, and a state that changed has a row.
std::string V4Explorer::CheckRows(World& w, int actor, bool ended,
                                  const std::vector<table::RowTaken>& rows,
                                  const std::vector<otr::ConversationView>& before) {
  std::map<std::pair<const void*, const table::Machine*>, size_t> last;  // -> `to`
  for (const table::RowTaken& t : rows) {
    const bool is_smp = t.machine == &smp::kSmpMachine;
    if (!is_smp && t.machine != &v4::kProtocolMachine) continue;  // v3 rows: fallback
    covered_.insert({is_smp ? 1 : 0, t.row});
    ++stats_.rows_checked;
    size_t from = 0, event = 0, to = 0;
    if (is_smp) {
      if (t.row >= smp::kSmpTable.size()) return "SMP row out of the table";
      const smp::SmpRow& r = smp::kSmpTable[t.row];
      from = static_cast<size_t>(r.from), event = static_cast<size_t>(r.event);
      to = static_cast<size_t>(r.to);
    } else {
      if (t.row >= v4::kProtocolTable.size()) return "v4 row out of the table";
      const v4::ProtocolRow& r = v4::kProtocolTable[t.row];
      from = static_cast<size_t>(r.from), event = static_cast<size_t>(r.event);
      to = static_cast<size_t>(r.to);
    }
    const std::string which =
        std::string(is_smp ? "SMP" : "v4") + " row " + std::to_string(t.row + 1);
    if (t.from != from || t.event != event) return which + " ran for another (state, event)";
    if (t.to != to) return which + ": the engine holds another state after it";
    auto key = std::make_pair(t.owner, t.machine);
    auto it = last.find(key);
    if (it != last.end() && it->second != t.from) return which + " does not chain";
    last[key] = t.to;
  }
  // The conversations hold the last row's state; an unchanged state needs
  // no row, a changed one does. The session moves the master's conversation
  // to the peer's instance once its DAKE is answered (session.cc RouteV4),
  // leaving a fresh master in START: then another instance holds the state.
  Session& session = *w.party[static_cast<size_t>(actor)].session;
  std::multiset<size_t> held;
  for (wire::InstanceTag tag : session.Instances()) {
    if (const v4::Conversation* c = V4ConversationForTesting(session, tag)) {
      held.insert(static_cast<size_t>(c->state()));
    }
  }
  for (wire::InstanceTag tag : session.Instances()) {
    const v4::Conversation* c = V4ConversationForTesting(session, tag);
    if (c == nullptr) continue;
    auto it = last.find({c, &v4::kProtocolMachine});
    const size_t now = static_cast<size_t>(c->state());
    const bool moved = tag == wire::kNoInstanceTag && c->state() == v4::ProtocolState::kStart;
    if (it != last.end() && it->second != now && !(moved && held.count(it->second) > 0)) {
      return "instance " + std::to_string(tag) + " is not in its last row's state";
    }
    std::optional<size_t> was;
    for (const otr::ConversationView& v : before) {
      if (v.instance == tag) was = v.StateOf(v4::kProtocolMachine);
    }
    // EndOtr replaces another instance's DAKE in flight by a fresh
    // conversation (session.cc: "no AKE secret outlives the end"), outside
    // the table.
    const bool abandoned = ended && c->state() == v4::ProtocolState::kStart;
    if (it == last.end() && was && *was != now && !moved && !abandoned) {
      return "instance " + std::to_string(tag) + " changed state without a row";
    }
  }
  return "";
}

std::optional<V4Explorer::Failure> V4Explorer::Step(World& w, const Action& a, std::string* log) {
  ++stats_.transitions;
  if (a.kind == ActionKind::kTimePasses) {
    ++w.used.time;
    w.now += static_cast<uint64_t>(a.index);
    if (log != nullptr) *log += ActionName(a) + "\n";
    for (int who = 0; who < w.parties; ++who) {
      if (log != nullptr) *log += "    ";
      if (auto f = Step(w, {ActionKind::kTimeout, who}, log)) return f;
    }
    return std::nullopt;
  }
  int actor = a.party;
  if (a.kind == ActionKind::kRedirect) {
    // to the party that is neither the queue's owner nor the sender
    actor = 3 - a.party -
            w.party[static_cast<size_t>(a.party)].inbox[static_cast<size_t>(a.index)].sender;
  }
  for (int i = 0; i < w.parties; ++i) {
    routed_[static_cast<size_t>(i)].target = &w.party[static_cast<size_t>(i)].random;
  }
  if (w.offline) {
    routed_store_.target = &w.offline->bob_store;
    routed_store_.keep_used = config_.planted_keep_used_prekeys;
  }
  PartyState& me = w.party[static_cast<size_t>(actor)];
  Session& session = *me.session;
  int reply_to = actor == kMallory ? a.index : 1 - actor;  // user actions
  // An honest user's conversation with Mallory talks to Mallory.
  if (actor != kMallory && w.parties == 3) {
    const std::optional<otr::ConversationView> v = session.view(session.selected_instance());
    if (v && IdentityOf(v->their_fingerprint) == kMallory) reply_to = kMallory;
  }
  const std::vector<otr::ConversationView> before = Views(session);
  RowRecorder recorder;
  Output out;
  std::string typed, delivered, timeout_wrong;
  std::string delivered_text;  // the typed text a delivered Data Message carries (not stale)
  auto receive = [&](const Wire& m) {
    delivered = m.label;
    if (a.kind != ActionKind::kStale) delivered_text = TypedIn(m);
    reply_to = m.sender;
    if (actor == kMallory && m.sender < kMallory) me.peer = m.sender;
    out = session.Receive(w.now, m.text);
  };
  {
    table::ScopedRowObserver scope(&recorder);
    switch (a.kind) {
      case ActionKind::kDeliver:
      case ActionKind::kRedirect: {
        PartyState& holder = w.party[static_cast<size_t>(a.party)];
        const Wire m = holder.inbox[static_cast<size_t>(a.index)];
        holder.inbox.erase(holder.inbox.begin() + a.index);
        if (a.kind == ActionKind::kRedirect) ++w.used.redirect;
        receive(m);
        break;
      }
      case ActionKind::kDrop:
        delivered = me.inbox.front().label;
        me.inbox.pop_front();
        ++w.used.drop;
        break;
      case ActionKind::kDuplicate:
        ++w.used.duplicate;
        receive(me.inbox.front());
        break;
      case ActionKind::kReplay:
        ++w.used.replay;
        receive(w.memory[static_cast<size_t>(a.index)]);
        break;
      case ActionKind::kStale:
        ++w.used.stale;
        receive(stale_[static_cast<size_t>(actor)][static_cast<size_t>(a.index)]);
        break;
      case ActionKind::kStart:
        ++(actor == kMallory ? w.used.mstart : w.used.start);
        out = session.StartOtr(w.now);
        break;
      case ActionKind::kEnd:
        ++(actor == kMallory ? w.used.mend : w.used.end);
        out = session.EndOtr(w.now);
        break;
      case ActionKind::kSend: {
        ++(actor == kMallory ? w.used.msend : w.used.send);
        typed = std::string(kPartyName[actor]) + " says " + std::to_string(++me.typed) + ".";
        me.texts.push_back(typed);
        out = session.Send(w.now, typed);
        const std::optional<otr::ConversationView> v = session.view(session.selected_instance());
        // Out-of-order delivery is a v4 property ("max_skip"); a v3 Data
        // Message older than the last one read is refused by design (its
        // counter must grow), so only v4 texts are held to "exactly once".
        if (v && Encrypted(*v) && v->version == 4 && !out.to_send.empty()) {
          me.sent_ssid[typed] = v->ssid;
        }
        break;
      }
      case ActionKind::kSmpStart:
        ++(actor == kMallory ? w.used.msmp : w.used.smp);
        out = session.StartSmp(w.now, SmpSecret(actor));
        break;
      case ActionKind::kSmpRespond:
        ++(actor == kMallory ? w.used.msmp : w.used.smp);
        me.asked_secret = false;
        out = session.RespondSmp(w.now, SmpSecret(actor));
        break;
      case ActionKind::kSmpAbort:
        ++(actor == kMallory ? w.used.msmp : w.used.smp);
        out = session.AbortSmp(w.now);
        break;
      case ActionKind::kTimeout: {
        const std::optional<uint64_t> due = session.NextTimeout();
        out = session.HandleTimeout(w.now);
        timeout_wrong = CheckTimeout(w.now, due, out, session.NextTimeout());
        break;
      }
      case ActionKind::kFetch:
        ++w.used.fetch;
        out = Fetch(w, session, -1);
        break;
      case ActionKind::kServerReplay:
        ++w.used.server_replay;
        out = Fetch(w, session, a.index);
        break;
      case ActionKind::kForge:
      case ActionKind::kTimePasses:
        break;
    }
  }
  for (const Event& e : out.events) reported_.insert(e.type());
  const std::vector<otr::ConversationView> after = Views(session);
  if (log != nullptr) {
    *log += ActionName(a);
    if (!delivered.empty()) *log += " [" + delivered + "]";
    *log += "\n      " + std::string(kPartyName[actor]) + ": " + Describe(after) + "\n";
  }
  // The ledger.
  for (const Displayed& d : out.display) {
    if (!d.encrypted) continue;
    const int typist = Typist(d.text);
    if (typist < 0)
      return Failure{"integrity",
                     kPartyName[actor] + std::string(" showed \"") + d.text + "\" nobody typed"};
    ++me.displayed_encrypted[d.text];
    if (me.displayed_encrypted[d.text] > 1) {
      return Failure{"exactly once",
                     std::string(kPartyName[actor]) + " showed \"" + d.text + "\" twice"};
    }
    bool from_typist = false;
    for (const otr::ConversationView& v : after) {
      if (IdentityOf(v.their_fingerprint) == typist) from_typist = true;
    }
    if (!from_typist || typist == actor) {
      return Failure{"integrity", std::string(kPartyName[actor]) + " showed \"" + d.text +
                                      "\" in a conversation not with its typist"};
    }
  }
  // A session is established once: a conversation that goes ENCRYPTED on
  // an SSID this party was ENCRYPTED on before is a replayed DAKE (e.g. a
  // Non-Interactive-Auth whose Prekey Message was not used up).
  // A conversation that stays ENCRYPTED on its SSID and yet reports
  // kWentSecure again was established again on the same keys.
  int established = 0;
  for (const otr::ConversationView& v : after) {
    if (!Encrypted(v) || v.ssid.empty()) continue;
    bool was = false;
    for (const otr::ConversationView& b : before) {
      if (b.instance == v.instance && Encrypted(b) && b.ssid == v.ssid) was = true;
    }
    if (was) continue;
    ++established;
    if (std::find(me.secured.begin(), me.secured.end(), v.ssid) != me.secured.end()) {
      return Failure{"established once", std::string(kPartyName[actor]) +
                                             " went ENCRYPTED again on the SSID of an earlier "
                                             "session (instance " +
                                             std::to_string(v.instance) + ")"};
    }
    me.secured.push_back(v.ssid);
  }
  int went_secure = 0;
  for (const Event& e : out.events) went_secure += e.type() == EventType::kWentSecure;
  if (went_secure > established) {
    return Failure{"established once", std::string(kPartyName[actor]) +
                                           " went secure again on a session it holds (same SSID)"};
  }
  // A Data Message of a session the receiver does not hold yet (delivered
  // before its Non-Interactive-Auth) is not read: recorded, and excused
  // from "exactly once" (model/README.md, "Offline start": the spec's).
  if (!delivered_text.empty() && !Contains(me.lost_before_auth, delivered_text)) {
    const PartyState& sender =
        w.party[static_cast<size_t>(Typist(delivered_text) < 0 ? 0 : Typist(delivered_text))];
    auto sent = sender.sent_ssid.find(delivered_text);
    bool held = false;
    for (const otr::ConversationView& b : before) {
      if (sent != sender.sent_ssid.end() && Encrypted(b) && b.ssid == sent->second) held = true;
    }
    bool shown = false;
    for (const Displayed& d : out.display) shown = shown || d.text == delivered_text;
    if (sent != sender.sent_ssid.end() && !held && !shown &&
        me.displayed_encrypted.count(delivered_text) == 0) {
      me.lost_before_auth.push_back(delivered_text);
      ++lost_before_auth_;
    }
  }
  if (out.HasEvent(EventType::kSmpAskSecret)) me.asked_secret = true;
  // The SMP verdict against the secret of the conversation's peer (Mallory's
  // is her own guess).
  const int smp_peer = SmpPeer(before, after);
  const bool secrets_equal =
      smp_peer >= 0 && smp_peer < 3 && SmpSecret(actor) == SmpSecret(smp_peer);
  if (out.HasEvent(EventType::kSmpSucceeded)) {
    ++me.smp_succeeded;
    if (!secrets_equal) {
      return Failure{"smp", std::string(kPartyName[actor]) +
                                ": success with different secrets (peer " +
                                (smp_peer >= 0 && smp_peer < 3 ? kPartyName[smp_peer] : "?") + ")"};
    }
  }
  if (out.HasEvent(EventType::kSmpFailed)) {
    ++me.smp_failed;
    if (secrets_equal) return Failure{"smp", "failure with equal secrets"};
  }
  // The network.
  for (const std::string& s : out.to_send) {
    const std::string stem = std::string(1, kPartyName[actor][0]);
    Wire m{s, stem + std::to_string(++me.ordinals[stem]), actor};
    if (!typed.empty()) m.label += "(" + typed + ")";
    w.party[static_cast<size_t>(reply_to)].inbox.push_back(m);
    w.memory.push_back(m);
    if (w.memory.size() > config_.memory) w.memory.erase(w.memory.begin());
    if (log != nullptr) {
      *log += "      sends " + m.label + " (" + s.substr(0, std::min<size_t>(s.size(), 12)) +
              "...) to " + kPartyName[reply_to] + "\n";
    }
  }
  if (log != nullptr) {
    for (const Event& e : out.events) {
      *log += "      event " + std::string(EventTypeName(e.type())) + "\n";
    }
  }
  if (!timeout_wrong.empty()) return Failure{"timeout", timeout_wrong};
  const std::string rows = CheckRows(w, actor, a.kind == ActionKind::kEnd, recorder.rows, before);
  if (!rows.empty()) return Failure{"conformance", rows};
  return CheckWorld(w);
}

std::optional<V4Explorer::Failure> V4Explorer::CheckWorld(World& w) {
  std::array<std::vector<otr::ConversationView>, 3> views;
  for (int i = 0; i < w.parties; ++i) views[static_cast<size_t>(i)] = Views(*w.party[i].session);
  for (int p = 0; p < w.parties; ++p) {
    const Session& session = *w.party[static_cast<size_t>(p)].session;
    const Policy& policy = config_.policy[static_cast<size_t>(p)];
    for (const otr::ConversationView& v : views[static_cast<size_t>(p)]) {
      const std::string who =
          std::string(kPartyName[p]) + " instance " + std::to_string(v.instance);
      // Mode rules: a v4-only party never has a v3 conversation.
      if (!policy.SpeaksV3() && v.version != 0 && v.version != 4) {
        return Failure{"mode", who + " holds a v" + std::to_string(v.version) + " conversation"};
      }
      if (v.StateOf(smp::kSmpMachine).value_or(0) != 0 && !Encrypted(v)) {
        return Failure{"smp", who + ": SMP progresses outside ENCRYPTED_MESSAGES"};
      }
      if (const v4::Conversation* c = V4ConversationForTesting(session, v.instance)) {
        if (const v4::ratchet::Ratchet* r = c->ratchet()) {
          if (r->stored_key_count() > r->limits().max_stored_keys ||
              r->mac_keys_to_reveal().size() > r->limits().max_mac_keys_to_reveal) {
            return Failure{"bounds", who + ": stored keys beyond the ratchet's limits"};
          }
        }
      }
      if (p == kMallory || !Encrypted(v)) continue;
      // Agreement.
      const int q = IdentityOf(v.their_fingerprint);
      if (q < 0 || q > 2 || q == p) {
        return Failure{"agreement", who + " is ENCRYPTED without a known peer"};
      }
      for (int o = 0; o < w.parties; ++o) {
        if (o == p) continue;
        for (const otr::ConversationView& u : views[static_cast<size_t>(o)]) {
          if (!Encrypted(u) || u.ssid != v.ssid || u.ssid.empty()) continue;
          if (o != q || IdentityOf(u.their_fingerprint) != p) {
            return Failure{"agreement", who + " shares its SSID with " + kPartyName[o] +
                                            ", who is not the peer it believes or believes " +
                                            "another peer"};
          }
        }
      }
    }
  }
  // Exactly once within the window: nothing dropped or redirected, the
  // receiver's queue is empty and both still hold the sending conversation.
  if (w.used.drop == 0 && w.used.redirect == 0) {
    for (int s = 0; s < 2; ++s) {
      const PartyState& sender = w.party[static_cast<size_t>(s)];
      const PartyState& receiver = w.party[static_cast<size_t>(1 - s)];
      if (!receiver.inbox.empty()) continue;
      for (const auto& [text, ssid] : sender.sent_ssid) {
        bool both = false;
        for (const otr::ConversationView& u : views[static_cast<size_t>(1 - s)]) {
          if (Encrypted(u) && u.ssid == ssid) both = true;
        }
        auto shown = receiver.displayed_encrypted.find(text);
        if (shown == receiver.displayed_encrypted.end() &&
            Contains(receiver.lost_before_auth, text)) {
          continue;  // delivered before its session existed at the receiver
        }
        if (both && (shown == receiver.displayed_encrypted.end() || shown->second != 1)) {
          return Failure{"exactly once",
                         std::string(kPartyName[1 - s]) + " never showed \"" + text + "\""};
        }
      }
    }
  }
  // Liveness (fair network, small bound): Alice fetched and everything
  // was delivered: Bob holds the session Alice started offline.
  if (config_.check_offline_liveness && w.used.fetch > 0 && w.party[0].inbox.empty() &&
      w.party[1].inbox.empty()) {
    const std::optional<otr::ConversationView> a =
        w.party[0].session->view(w.party[0].session->selected_instance());
    if (!a || !Encrypted(*a)) return Failure{"liveness", "Alice's offline start did not go secure"};
    bool held = false;
    for (const otr::ConversationView& b : views[1])
      held = held || (Encrypted(b) && b.ssid == a->ssid);
    if (!held) {
      return Failure{"liveness", "every message delivered, Bob does not hold Alice's session"};
    }
    if (!w.party[0].sent_ssid.empty()) ++liveness_checked_;
  }
  if (config_.extra_invariant) {
    std::string planted = config_.extra_invariant(w);
    if (!planted.empty()) return Failure{"planted", planted};
  }
  return std::nullopt;
}

std::string V4Explorer::Fingerprint(World& w) const {
  std::string f = std::to_string(w.now) + "|";
  for (int i = 0; i < w.parties; ++i) {
    const PartyState& p = w.party[static_cast<size_t>(i)];
    for (const otr::ConversationView& v : Views(*p.session)) {
      f += std::to_string(v.instance) + ":" + std::to_string(v.version) + ":" +
           std::to_string(IdentityOf(v.their_fingerprint)) + ":" + Hex(v.ssid);
      for (const MachineState& m : v.machines) f += "," + std::to_string(m.state);
      f += ";";
    }
    f += "q";
    for (const Wire& m : p.inbox) f += m.label + ",";
    f += "d";
    for (const auto& [text, n] : p.displayed_encrypted) f += text + std::to_string(n);
    f += "s";
    for (const auto& [text, ssid] : p.sent_ssid) f += text;
    f += p.asked_secret ? "a" : "-";
    f += std::to_string(p.typed) + "|";
  }
  for (const Wire& m : w.memory) f += m.label + ",";
  const Budgets& u = w.used;
  for (int n :
       {u.drop, u.duplicate, u.replay, u.stale, u.start, u.end, u.send, u.smp, u.redirect, u.mstart,
        u.msend, u.time, u.msmp, u.mend, w.party[kMallory].peer, u.fetch, u.server_replay}) {
    f += std::to_string(n) + ".";
  }
  for (int i = 0; i < w.parties; ++i) {
    const PartyState& p = w.party[static_cast<size_t>(i)];
    f += "e" + std::to_string(p.secured.size());
    for (const std::string& t : p.lost_before_auth) f += "l" + t;
  }
  if (w.offline) {
    // Which of Bob's Prekey Messages are left (his store and the server's).
    f += "o" + std::to_string(w.offline->bob_store.prekey_count()) + "." +
         std::to_string(w.offline->server_replies.size());
  }
  return f;
}

void V4Explorer::Dfs(World& w, std::vector<Action>& trace, int remaining) {
  if (found_ || remaining == 0) return;
  if (config_.max_states != 0 && stats_.states >= config_.max_states) {
    stats_.truncated = true;
    return;
  }
  for (const Action& a : Enabled(w)) {
    World next = w;
    trace.push_back(a);
    stats_.max_depth = std::max(stats_.max_depth, trace.size());
    const uint64_t lost = lost_before_auth_;
    if (auto f = Step(next, a, nullptr)) {
      found_ = Violation{f->invariant, f->detail, trace};
      return;
    }
    if (lost_before_auth_ > lost && lost_example_.empty()) lost_example_ = trace;
    const std::string key = Fingerprint(next);
    auto [it, fresh] = visited_.try_emplace(key, remaining - 1);
    if (fresh) ++stats_.states;
    if (fresh || it->second < remaining - 1) {
      it->second = std::max(it->second, remaining - 1);
      Dfs(next, trace, remaining - 1);
    }
    trace.pop_back();
    if (found_) return;
  }
}

std::optional<Violation> V4Explorer::Run() {
  const auto start = std::chrono::steady_clock::now();
  found_.reset();
  visited_.clear();
  World w = Fresh(config_.seed);
  std::vector<Action> trace;
  for (const Action& a : Prefix()) {
    if (!Applies(w, a)) {  // a configuration whose prefix does not run
      found_ = Violation{"prefix", "the prefix's \"" + ActionName(a) + "\" does not apply", trace};
      break;
    }
    trace.push_back(a);
    if (auto f = Step(w, a, nullptr)) {
      found_ = Violation{f->invariant, f->detail, trace};
      break;
    }
  }
  if (!found_) {
    visited_[Fingerprint(w)] = config_.depth;
    stats_.states = 1;
    Dfs(w, trace, config_.depth);
  }
  stats_.rows_covered = covered_.size();
  stats_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (found_) found_->trace = Shrink(*found_);
  return found_;
}

std::optional<Violation> V4Explorer::Replay(const std::vector<Action>& trace, std::string* log) {
  World w = Fresh(config_.seed);
  std::vector<Action> applied;
  for (const Action& a : trace) {
    if (!Applies(w, a)) continue;
    applied.push_back(a);
    if (log != nullptr) *log += std::to_string(applied.size()) + ". ";
    if (auto f = Step(w, a, log)) return Violation{f->invariant, f->detail, applied};
  }
  return std::nullopt;
}

std::vector<Action> V4Explorer::Shrink(const Violation& violation) {
  return ShrinkTrace(violation, [this](const std::vector<Action>& t) { return Replay(t); });
}

std::string V4Explorer::Format(const std::vector<Action>& trace) {
  std::string log;
  auto v = Replay(trace, &log);
  if (v) log += "  => " + v->invariant + ": " + v->detail + "\n";
  return log;
}

}  // namespace otr::model
