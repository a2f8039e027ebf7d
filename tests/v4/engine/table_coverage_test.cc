// Every row of the v4 protocol table is taken by the engine, or explained.
// A row observer (protocol/table/trace.h) records the rows v4::Conversation
// runs while every probe (each kind of input and user action) is applied in
// every state the engine can reach, under each mode and the policies whose
// guards the table reads. The rows no probe can take are listed below with
// the reason; the test also fails if one of them is taken after all (the
// list must stay true).
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "crypto/backends.h"
#include "protocol/table/table.h"
#include "protocol/table/trace.h"
#include "protocol/v4/dake/xzdh.h"
#include "protocol/v4/engine/conversation.h"
#include "protocol/v4/engine/prekey_store.h"
#include "protocol/v4/messages/messages.h"
#include "protocol/v4/profile/expiration.h"
#include "protocol/v4/profile/prekey_profile.h"
#include "protocol/wire/armor.h"
#include "protocol/wire/classify.h"
#include "protocol/wire/error_message.h"
#include "protocol/wire/whitespace_tag.h"
#include "tests/v4/engine/helpers.h"
#include "tests/v4/engine/net.h"
#include "tests/v4/engine/peer.h"

namespace otr::v4 {
namespace {

using testing::Corrupt;
using testing::MakePeer;
using testing::Net;
using testing::Peer;
using S = ProtocolState;

constexpr int kA = 0;  // the conversation under test
constexpr int kB = 1;  // its peer, which makes the messages A receives
constexpr wire::InstanceTag kATag = 0x1111'0001;
constexpr wire::InstanceTag kBTag = 0x2222'0002;

class Recorder : public table::RowObserver {
 public:
  void OnRow(const table::RowTaken& taken) override {
    if (taken.machine == &kProtocolMachine) rows.insert(taken.row);
  }
  std::set<size_t> rows;
};

// A's prekey store, for the Non-Interactive-Auth messages B sends it.
ConversationConfig WithStore(PrekeyStore* store) {
  ConversationConfig config;
  config.prekey_store = store;
  return config;
}

// A Prekey Ensemble of `owner` ("Publishing Prekey Ensembles"), its secrets
// kept in `store`.
dake::TheirPrekeyEnsemble Publish(Peer& owner, InMemoryPrekeyStore& store, uint64_t now) {
  const crypto::Backend& backend = *owner.backend;
  auto d = GenerateSharedPrekeyPair(backend, *owner.random);
  EXPECT_TRUE(d.ok());
  profile::PrekeyProfileParams params;
  params.owner_instance_tag = owner.tag;
  params.expiration = profile::ExpirationFrom(static_cast<int64_t>(now));
  params.shared_prekey = d->pub;
  auto prekey_profile =
      profile::CreatePrekeyProfile(backend, owner.identity->long_term.sym_key, params);
  EXPECT_TRUE(prekey_profile.ok());
  store.AddPrekeyProfile(OurPrekeyProfile{*prekey_profile, d->secret}, params.expiration);
  auto messages = GeneratePrekeyMessages(backend, store, owner.tag, 1, params.expiration,
                                         static_cast<int64_t>(now), *owner.random);
  EXPECT_TRUE(messages.ok());
  auto ensemble = dake::ValidateEnsemble(
      backend,
      dake::PrekeyEnsembleValues{owner.identity->client_profile, *prekey_profile, messages->at(0)},
      static_cast<int64_t>(now), "4");
  EXPECT_TRUE(ensemble.ok());
  return std::move(ensemble).value();
}

struct World {
  World(const Policy& policy, uint64_t seed)
      : policy(policy),
        a_store(std::make_unique<InMemoryPrekeyStore>()),
        a(MakePeer(*crypto::AllBackends()[0], seed, kATag, kBTag, policy,
                   WithStore(a_store.get()))),
        b(MakePeer(*crypto::AllBackends()[0], seed + 1000, kBTag, kATag, policy)),
        net(a, b) {}
  Policy policy;
  std::unique_ptr<InMemoryPrekeyStore> a_store;
  Peer a;
  Peer b;
  Net net;
  std::string a_identity;      // A's Identity message, not yet delivered
  std::string a_auth_r;        // A's Auth-R, not yet delivered
  std::string b_identity;      // the Identity message A answered last
  std::string b_old_identity;  // the Identity message of the established DAKE

  Conversation& A() { return *a.conversation; }
  Conversation& B() { return *b.conversation; }
  std::string Pop() {
    if (net.wire.empty()) return {};
    std::string text = std::move(net.wire.back().second);
    net.wire.pop_back();
    return text;
  }
  void Act(int who, const std::function<void(Conversation&, Output&, crypto::Random&)>& f) {
    net.Act(who, [&](Conversation& c, Output& o, crypto::Random& r, uint64_t) { f(c, o, r); });
  }
  void StartInteractive(int who) {
    Act(who,
        [&](Conversation& c, Output& o, crypto::Random& r) { c.StartInteractive(o, r, net.now); });
  }
  void Establish() {
    StartInteractive(kB);
    b_old_identity = net.wire.back().second;
    net.Run();
  }
};

void Reach(World& w, S state) {
  switch (state) {
    case S::kStart:
      break;
    case S::kWaitingAuthR:
      w.StartInteractive(kA);
      w.a_identity = w.Pop();
      break;
    case S::kWaitingAuthI:
      w.StartInteractive(kB);
      w.b_identity = w.Pop();
      w.net.DeliverTo(kA, w.b_identity);
      w.a_auth_r = w.Pop();
      break;
    case S::kEncrypted:
      w.Establish();
      break;
    case S::kEncryptedWaitingAuthR:
      w.Establish();
      w.StartInteractive(kA);
      w.a_identity = w.Pop();
      break;
    case S::kEncryptedWaitingAuthI:
      w.Establish();
      w.StartInteractive(kB);
      w.b_identity = w.Pop();
      w.net.DeliverTo(kA, w.b_identity);
      w.a_auth_r = w.Pop();
      break;
    case S::kFinished:
      w.Establish();
      w.Act(kB, [&](Conversation& c, Output& o, crypto::Random& r) { c.End(o, r, w.net.now); });
      w.net.Run();
      break;
    case S::kCount:
      break;
  }
  ASSERT_EQ(w.A().state(), state) << Name(state);
}

// The Data Message B sends next (empty when B is not encrypted).
std::string BData(World& w, const std::string& text) {
  w.Act(kB, [&](Conversation& c, Output& o, crypto::Random& r) { c.Send(text, o, r, w.net.now); });
  std::string sent = w.Pop();
  return sent.rfind("?OTR:", 0) == 0 ? sent : std::string();
}

std::string DefaultData(uint8_t flags) {
  DataMessage m;
  m.header = Header{kBTag, kATag};
  m.flags = flags;
  m.encrypted_message = {1, 2, 3};
  return wire::EncodeArmor(EncodeDataMessage(m));
}

using Probe = std::function<void(World&)>;

std::vector<std::pair<std::string, Probe>> Probes() {
  auto deliver = [](std::string text) { return [text](World& w) { w.net.DeliverTo(kA, text); }; };
  wire::VersionSet v34;
  v34.Add(3);
  v34.Add(4);
  std::vector<std::pair<std::string, Probe>> p;
  p.emplace_back("plaintext", deliver("hello"));
  p.emplace_back("tagged", deliver("hello" + wire::WhitespaceTag(v34)));
  p.emplace_back("query34", deliver("?OTRv34?"));
  p.emplace_back("query3", deliver("?OTRv3?"));
  p.emplace_back("error1", deliver(wire::EncodeErrorMessage(wire::MakeErrorMessage(
                               wire::ErrorMessageCode::kUnreadableMessage))));
  p.emplace_back("error_other", deliver("?OTR Error: no code"));
  p.emplace_back("identity_new", [](World& w) {
    // A fresh Identity message (B forgets any DAKE of its own first).
    w.Act(kB, [&](Conversation& c, Output& o, crypto::Random& r) { c.End(o, r, w.net.now); });
    w.StartInteractive(kB);
    w.net.DeliverTo(kA, w.Pop());
  });
  p.emplace_back("identity_replayed", [](World& w) {
    const std::string& old = !w.b_identity.empty() ? w.b_identity : w.b_old_identity;
    if (!old.empty()) w.net.DeliverTo(kA, old);
  });
  p.emplace_back("identity_bad", [](World& w) {
    w.StartInteractive(kB);
    w.net.DeliverTo(kA, Corrupt<IdentityMessage>(
                            w.Pop(), [](IdentityMessage& m) { m.client_profile.expiration += 1; }));
  });
  p.emplace_back("auth_r", [](World& w) {
    if (w.a_identity.empty()) {
      // An Auth-R for A's instance tag that A did not ask for: B answers
      // the Identity message of another client claiming A's tag. A B in
      // WAITING_AUTH_R whose hashed B is the higher resends its Identity
      // instead: another client is tried (the outcome depends on the
      // random values, so on the probes' seeds).
      for (uint64_t seed = 99; seed < 131; ++seed) {
        Peer c = MakePeer(*w.a.backend, seed, kATag, kBTag, w.policy);
        Output out;
        c.conversation->StartInteractive(out, *c.random, w.net.now);
        w.net.DeliverTo(kB, out.to_send.back());
        if (!Corrupt<AuthR>(w.net.wire.empty() ? std::string() : w.net.wire.back().second,
                            [](AuthR&) {})
                 .empty()) {
          break;
        }
      }
    } else {
      w.net.DeliverTo(kB, w.a_identity);
    }
    w.net.DeliverTo(kA, w.Pop());
  });
  p.emplace_back("auth_r_bad", [](World& w) {
    if (w.a_identity.empty()) return;
    w.net.DeliverTo(kB, w.a_identity);
    w.net.DeliverTo(kA, Corrupt<AuthR>(w.Pop(), [](AuthR& m) { m.sigma.c1[0] ^= 1; }));
  });
  p.emplace_back("auth_i", [](World& w) {
    if (w.a_auth_r.empty()) {
      AuthI m;
      m.header = Header{kBTag, kATag};
      w.net.DeliverTo(kA, wire::EncodeArmor(EncodeAuthI(m)));
      return;
    }
    w.net.DeliverTo(kB, w.a_auth_r);
    w.net.DeliverTo(kA, w.Pop());
  });
  p.emplace_back("auth_i_bad", [](World& w) {
    if (w.a_auth_r.empty()) return;
    w.net.DeliverTo(kB, w.a_auth_r);
    w.net.DeliverTo(kA, Corrupt<AuthI>(w.Pop(), [](AuthI& m) { m.sigma.c1[0] ^= 1; }));
  });
  p.emplace_back("non_interactive_auth", [](World& w) {
    NonInteractiveAuth m;
    m.header = Header{kBTag, kATag};
    w.net.DeliverTo(kA, wire::EncodeArmor(EncodeNonInteractiveAuth(m)));
  });
  p.emplace_back("non_interactive_auth_valid", [](World& w) {
    // B starts offline from A's ensemble; A gets the Non-Interactive-Auth
    // (not the TLV 1 an encrypted B sends first).
    const dake::TheirPrekeyEnsemble ensemble = Publish(w.a, *w.a_store, w.net.now);
    w.Act(kB, [&](Conversation& c, Output& o, crypto::Random& r) {
      c.StartOffline(ensemble, o, r, w.net.now);
    });
    std::string auth = w.Pop();
    if (!auth.empty()) w.net.DeliverTo(kA, auth);
  });
  p.emplace_back("data", [](World& w) {
    std::string data = BData(w, "x");
    w.net.DeliverTo(kA, data.empty() ? DefaultData(0) : data);
  });
  p.emplace_back("data_heartbeat_due", [](World& w) {
    w.net.now += 3600;
    std::string data = BData(w, "x");
    if (!data.empty()) w.net.DeliverTo(kA, data);
  });
  p.emplace_back("data_bad", [](World& w) {
    std::string data = BData(w, "x");
    w.net.DeliverTo(kA, data.empty() ? DefaultData(0)
                                     : Corrupt<DataMessage>(
                                           data, [](DataMessage& m) { m.authenticator[0] ^= 1; }));
  });
  p.emplace_back("data_bad_flagged", [](World& w) {
    std::string data = BData(w, "x");
    w.net.DeliverTo(kA, data.empty() ? DefaultData(kFlagIgnoreUnreadable)
                                     : Corrupt<DataMessage>(data, [](DataMessage& m) {
                                         m.authenticator[0] ^= 1;
                                         m.flags |= kFlagIgnoreUnreadable;
                                       }));
  });
  p.emplace_back("data_disconnected", [](World& w) {
    w.Act(kB, [&](Conversation& c, Output& o, crypto::Random& r) { c.End(o, r, w.net.now); });
    std::string sent = w.Pop();
    if (!sent.empty()) w.net.DeliverTo(kA, sent);
  });
  p.emplace_back("user_start", [](World& w) {
    w.Act(kA, [&](Conversation& c, Output& o, crypto::Random& r) { c.Start(o, r, w.net.now); });
  });
  p.emplace_back("user_start_interactive", [](World& w) { w.StartInteractive(kA); });
  p.emplace_back("user_start_offline", [](World& w) {
    InMemoryPrekeyStore b_store;
    const dake::TheirPrekeyEnsemble ensemble = Publish(w.b, b_store, w.net.now);
    w.Act(kA, [&](Conversation& c, Output& o, crypto::Random& r) {
      c.StartOffline(ensemble, o, r, w.net.now);
    });
  });
  // Decision 0045: the session puts a new conversation in place of a v2
  // conversation the peer ended (here applied in every state).
  p.emplace_back("take_over_finished", [](World& w) {
    w.Act(kA, [&](Conversation& c, Output& o, crypto::Random& r) {
      c.TakeOverFinished(o, r, w.net.now);
    });
  });
  p.emplace_back("user_send", [](World& w) {
    w.Act(kA, [&](Conversation& c, Output& o, crypto::Random& r) { c.Send("x", o, r, w.net.now); });
  });
  p.emplace_back("user_send_after_plaintext", [](World& w) {
    w.net.DeliverTo(kA, "plain");
    w.Act(kA, [&](Conversation& c, Output& o, crypto::Random& r) { c.Send("x", o, r, w.net.now); });
  });
  p.emplace_back("user_end", [](World& w) {
    w.Act(kA, [&](Conversation& c, Output& o, crypto::Random& r) { c.End(o, r, w.net.now); });
  });
  // Decision 0050: the user ends another instance's conversation.
  p.emplace_back("user_end_elsewhere", [](World& w) {
    w.Act(kA,
          [&](Conversation& c, Output& o, crypto::Random& r) { c.EndElsewhere(o, r, w.net.now); });
  });
  p.emplace_back("timeout", [](World& w) {
    w.Act(kA,
          [&](Conversation& c, Output& o, crypto::Random& r) { c.HandleTimeout(o, r, w.net.now); });
  });
  p.emplace_back("timeout_expired", [](World& w) {
    w.Act(kA, [&](Conversation& c, Output& o, crypto::Random& r) { c.Send("x", o, r, w.net.now); });
    w.net.now += 3 * 60 * 60;
    w.Act(kA,
          [&](Conversation& c, Output& o, crypto::Random& r) { c.HandleTimeout(o, r, w.net.now); });
  });
  // Decision 0014: B's first Data Messages after its Auth-I reach A before
  // the Auth-I (stored), then the Auth-I (read, or dropped).
  auto early = [](World& w, bool corrupt, bool disconnect, uint64_t wait) {
    if (w.a_auth_r.empty()) return;
    w.net.DeliverTo(kB, w.a_auth_r);
    const std::string auth_i = w.Pop();
    std::vector<std::string> data;
    data.push_back(BData(w, "early"));
    if (disconnect) {
      w.Act(kB, [&](Conversation& c, Output& o, crypto::Random& r) { c.End(o, r, w.net.now); });
      data.insert(data.begin(), w.Pop());
    }
    for (const std::string& d : data) {
      w.net.DeliverTo(
          kA,
          corrupt ? Corrupt<DataMessage>(d, [](DataMessage& m) { m.authenticator[0] ^= 1; }) : d);
    }
    if (wait != 0) {
      w.net.now += wait;
      w.Act(kA, [&](Conversation& c, Output& o, crypto::Random& r) {
        c.HandleTimeout(o, r, w.net.now);
      });
    }
    w.net.DeliverTo(kA, auth_i);
  };
  p.emplace_back("early_data", [early](World& w) { early(w, false, false, 0); });
  p.emplace_back("early_data_bad", [early](World& w) { early(w, true, false, 0); });
  p.emplace_back("early_data_disconnected", [early](World& w) { early(w, false, true, 0); });
  p.emplace_back("early_data_expired", [early](World& w) {
    early(w, false, false, ConversationConfig{}.early_data_seconds);
  });
  // An unreadable message of a later ratchet (not stored).
  p.emplace_back("data_bad_later_ratchet", [](World& w) {
    std::string data = BData(w, "x");
    if (data.empty()) return;
    w.net.DeliverTo(kA, Corrupt<DataMessage>(data, [](DataMessage& m) {
                      m.authenticator[0] ^= 1;
                      m.ratchet_id += 4;
                    }));
  });
  p.emplace_back("data_bad_flagged_later_ratchet", [](World& w) {
    std::string data = BData(w, "x");
    if (data.empty()) return;
    w.net.DeliverTo(kA, Corrupt<DataMessage>(data, [](DataMessage& m) {
                      m.authenticator[0] ^= 1;
                      m.ratchet_id += 4;
                      m.flags |= kFlagIgnoreUnreadable;
                    }));
  });
  // The DAKE in progress grows stale while the conversation's keys are
  // renewed (both directions send).
  p.emplace_back("timeout_dake_stale", [](World& w) {
    const uint64_t expiry = ConversationConfig{}.session_expiry_seconds;
    w.net.now += expiry / 2;
    std::string data = BData(w, "x");
    if (!data.empty()) w.net.DeliverTo(kA, data);
    w.Act(kA, [&](Conversation& c, Output& o, crypto::Random& r) { c.Send("y", o, r, w.net.now); });
    w.net.now += expiry / 2;
    w.Act(kA,
          [&](Conversation& c, Output& o, crypto::Random& r) { c.HandleTimeout(o, r, w.net.now); });
  });
  p.emplace_back("timeout_stored_keys", [](World& w) {
    BData(w, "skipped");
    std::string second = BData(w, "read");
    if (!second.empty()) w.net.DeliverTo(kA, second);
    w.net.now += 60 * 60 + 1;
    w.Act(kA,
          [&](Conversation& c, Output& o, crypto::Random& r) { c.HandleTimeout(o, r, w.net.now); });
  });
  return p;
}

// The policies whose guards the table reads, and the states each is tried
// in: the guards on REQUIRE_ENCRYPTION, the whitespace tag and the mode's
// plaintext rules only matter before a conversation is established.
struct PolicyRun {
  Policy policy;
  bool all_states;
  std::set<std::string> only;  // the probes whose rows depend on it; empty: all
};

std::vector<PolicyRun> Policies() {
  Policy opportunistic = testing::V4Policy(V4Mode::kV3Compatible);
  opportunistic.whitespace_start_ake = true;
  opportunistic.send_whitespace_tag = true;
  Policy required = testing::V4Policy(V4Mode::kV3Compatible);
  required.whitespace_start_ake = true;
  required.require_encryption = true;
  Policy manual = testing::V4Policy(V4Mode::kV3Compatible);
  return {{opportunistic, true, {}},
          {testing::V4Policy(V4Mode::kV4InteractiveOnly),
           true,
           {"query34", "non_interactive_auth", "user_start", "user_start_offline"}},
          {required, false, {}},
          {manual, false, {}},
          {testing::V4Policy(V4Mode::kV4Standalone), false, {}}};
}

// Why a row no probe can take is there (the table is total: every (state,
// event) pair has an unguarded row), or nullptr.
const char* Explanation(const ProtocolRow& row) {
  const bool encrypted = row.from == S::kEncrypted || row.from == S::kEncryptedWaitingAuthR ||
                         row.from == S::kEncryptedWaitingAuthI;
  if (row.event == ProtocolEvent::kPeerDisconnected && !encrypted) {
    return "raised only by kDeliverData, which runs only in the encrypted states";
  }
  if (row.event == ProtocolEvent::kDataAccepted && !encrypted && row.from != S::kFinished) {
    return "raised only by kDeliverData (after kPeerDisconnected, which may leave FINISHED)";
  }
  if (row.event == ProtocolEvent::kStoredData && row.from != S::kEncrypted &&
      row.from != S::kFinished) {
    return "raised only by the Auth-I rows, which end in ENCRYPTED_MESSAGES (a stored TLV 1 "
           "leaves FINISHED)";
  }
  return nullptr;
}

std::string RowName(size_t i) {
  const ProtocolRow& r = kProtocolTable[i];
  return std::string(Name(r.from)) + " / " + std::string(Name(r.event)) + " / " +
         std::string(Name(r.guard));
}

TEST(V4TableCoverage, EveryRowIsTakenOrExplained) {
  Recorder recorder;
  table::ScopedRowObserver observe(&recorder);
  uint64_t seed = 10;
  const auto probes = Probes();
  for (const auto& [policy, all_states, only] : Policies()) {
    for (size_t s = 0; s < table::EnumCount<S>(); ++s) {
      const S state = static_cast<S>(s);
      if (!all_states && state != S::kStart && state != S::kWaitingAuthR &&
          state != S::kWaitingAuthI) {
        continue;
      }
      for (const auto& [name, probe] : probes) {
        if (!only.empty() && only.count(name) == 0) continue;
        World w(policy, seed++);
        Reach(w, static_cast<S>(s));
        if (::testing::Test::HasFatalFailure()) return;
        probe(w);
      }
    }
  }
  std::vector<std::string> missing;
  for (size_t i = 0; i < kProtocolTable.size(); ++i) {
    const std::string name = RowName(i);
    const bool taken = recorder.rows.count(i) != 0;
    const bool excused = Explanation(kProtocolTable[i]) != nullptr;
    if (!taken && !excused) missing.push_back(name);
    EXPECT_FALSE(taken && excused) << "explained but taken: " << name;
  }
  for (const std::string& m : missing) ADD_FAILURE() << "row never taken: " << m;
}

// The engine selects through table::RowIndex: for every (state, event) and
// every guard taken as the only one that holds (then none), it picks the row
// table::Select picks.
TEST(ProtocolTableIndex, SelectsAsTheTableScan) {
  const table::RowIndex<ProtocolRow> index{std::span<const ProtocolRow>(kProtocolTable)};
  size_t compared = 0;
  for (size_t s = 0; s < table::EnumCount<ProtocolState>(); ++s) {
    for (size_t e = 0; e < table::EnumCount<ProtocolEvent>(); ++e) {
      for (size_t g = 0; g <= table::EnumCount<ProtocolGuard>(); ++g) {
        auto holds = [g](ProtocolGuard guard) {
          return guard == ProtocolGuard::kAlways || static_cast<size_t>(guard) == g;
        };
        const auto state = static_cast<ProtocolState>(s);
        const auto event = static_cast<ProtocolEvent>(e);
        const ProtocolRow* scanned = table::Select(kProtocolTable, state, event, holds);
        ASSERT_NE(scanned, nullptr);
        EXPECT_EQ(index.Select(state, event, holds), scanned) << s << " " << e << " " << g;
        ++compared;
      }
    }
  }
  EXPECT_GT(compared, 0u);
}

}  // namespace
}  // namespace otr::v4
