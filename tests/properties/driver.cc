#include "tests/properties/driver.h"

#include <map>
#include <utility>

#include "protocol/wire/classify.h"

namespace otr::properties {

const crypto::DsaPrivateKey& Driver::LongTermKey(const crypto::Backend& backend, int who) {
  static auto* keys = new std::map<std::pair<std::string_view, int>, crypto::DsaPrivateKey>();
  auto it = keys->find({backend.name(), who});
  if (it == keys->end()) {
    auto key = backend.GenerateDsaKey();
    if (!key.ok()) std::abort();  // the backend is broken: nothing to test
    it = keys->emplace(std::make_pair(backend.name(), who), std::move(key).value()).first;
  }
  return it->second;
}

Driver::Driver(const crypto::Backend& backend, const Scenario& scenario, DriverOptions options)
    : backend_(backend), scenario_(scenario), options_(std::move(options)) {
  for (int who = 0; who < 2; ++who) {
    party_[who] = std::make_unique<Party>(scenario.seed * 2 + static_cast<uint64_t>(who));
    SessionConfig config;
    config.backend = &backend;
    config.identity.dsa = &LongTermKey(backend, who);
    config.policy = scenario.policy[who];
    auto s = Session::Create(config, party_[who]->random);
    if (!s.ok()) std::abort();  // generated policies are always valid
    party_[who]->session.emplace(std::move(s).value());
  }
}

const v3::Conversation& Driver::conversation(int who) {
  return *SelectedV3ForTesting(session(who));
}

const v3::KeyState* Driver::keys(int who) {
  const v3::Conversation& c = conversation(who);
  return c.message_state() == v3::MessageState::kEncrypted ? c.keys() : nullptr;
}

Status Driver::Run() {
  const int a = scenario_.starter;
  switch (scenario_.how) {
    case StartHow::kQuery:
      Take(a, session(a).StartOtr(kNow));
      break;
    case StartHow::kWhitespaceTag:
      Take(a, session(a).Send(kNow, "hello"));
      break;
    case StartHow::kRequireEncryption:
      Take(a, session(a).Send(kNow, "first"));
      break;
  }
  Flush();
  for (int who = 0; who < 2; ++who) {
    if (session(who).state() != ConversationState::kEncrypted ||
        session(who).version() != scenario_.version) {
      return MakeError(ErrorCode::kBadState, "driver: the start did not go secure");
    }
  }
  if (options_.after_step) options_.after_step();
  for (const Step& step : scenario_.steps) {
    RunStep(step);
    if (options_.after_step) options_.after_step();
  }
  return Status::Ok();
}

void Driver::PingPong(int rounds) {
  Flush();
  for (int i = 0; i < rounds; ++i) {
    for (int who = 0; who < 2; ++who) {
      const std::string text = (who == 0 ? "ping " : "pong ") + std::to_string(i);
      Take(who, session(who).Send(kNow, text), text);
      Flush();
    }
  }
}

void Driver::ReplayAll() {
  Flush();
  const size_t n = deliveries_.size();
  for (size_t i = 0; i < n; ++i) {
    const size_t sent = deliveries_[i].sent;
    if (!deliveries_[i].replay && transcript_[sent].data() != nullptr) {
      DeliverSent(sent, 1 - transcript_[sent].from, /*replay=*/true);
    }
  }
  Flush();
}

void Driver::EndBoth() {
  Flush();
  const int a = scenario_.starter;
  Take(a, session(a).EndOtr(kNow));
  Flush();
  Take(1 - a, session(1 - a).EndOtr(kNow));
  Flush();
}

void Driver::RunStep(const Step& step) {
  const int who = step.who;
  const int other = 1 - who;
  switch (step.kind) {
    case Step::Kind::kSend:
      Take(who, session(who).Send(kNow, step.text), step.text);
      return;
    case Step::Kind::kDeliver:
      if (!pending_[who].empty()) Deliver(who, step.pick % pending_[who].size());
      return;
    case Step::Kind::kFlush:
      Flush();
      return;
    case Step::Kind::kReplay: {
      std::vector<size_t> data;
      for (const Delivery& d : deliveries_) {
        if (!d.replay && transcript_[d.sent].data() != nullptr) data.push_back(d.sent);
      }
      if (data.empty()) return;
      const size_t sent = data[step.pick % data.size()];
      DeliverSent(sent, 1 - transcript_[sent].from, /*replay=*/true);
      return;
    }
    case Step::Kind::kSmp:
      Flush();
      if (session(who).state() != ConversationState::kEncrypted) return;
      Take(who, session(who).StartSmp(kNow, "shared secret", "question?"));
      Flush();
      Take(other, session(other).RespondSmp(kNow, step.equal ? "shared secret" : "other secret"));
      Flush();
      ++smp_runs_;
      return;
    case Step::Kind::kRefresh:
      Flush();
      Take(who, session(who).StartOtr(kNow));
      Flush();
      return;
    case Step::Kind::kRestart:
      Flush();
      Take(who, session(who).EndOtr(kNow));
      Flush();
      Take(other, session(other).EndOtr(kNow));
      Flush();
      Take(who, session(who).StartOtr(kNow));
      Flush();
      return;
  }
}

void Driver::Flush() {
  for (int rounds = 0; rounds < 1000 && (!pending_[0].empty() || !pending_[1].empty()); ++rounds) {
    for (int from = 0; from < 2; ++from) {
      if (!pending_[from].empty()) Deliver(from, 0);
    }
  }
}

void Driver::Deliver(int from, size_t index) {
  const size_t sent = pending_[from][index];
  pending_[from].erase(pending_[from].begin() + static_cast<long>(index));
  DeliverSent(sent, 1 - from, /*replay=*/false);
}

const v3::Conversation* Driver::Receiving(int to, const v3::Message& m) {
  const auto* data = std::get_if<v3::DataMessage>(&m);
  if (data == nullptr) return nullptr;
  const wire::InstanceTag tag = data->header.version == v3::Version::kV2
                                    ? wire::kNoInstanceTag
                                    : data->header.sender_instance;
  return V3ConversationForTesting(session(to), tag);
}

void Driver::DeliverSent(size_t sent, int to, bool replay) {
  Delivery d;
  d.sent = sent;
  d.replay = replay;
  const Sent& e = transcript_[sent];
  if (options_.snapshots && e.data() != nullptr) {
    const v3::Conversation* c = Receiving(to, *e.decoded);
    if (c != nullptr && c->keys() != nullptr &&
        c->message_state() == v3::MessageState::kEncrypted) {
      d.receiver_keys.emplace(*c->keys());
      d.verifies = d.receiver_keys->Verify(*e.data()).ok();
    }
  }
  Output out = session(to).Receive(kNow, e.wire);
  for (const Displayed& shown : out.display) {
    if (shown.encrypted) d.displayed.push_back(shown.text);
  }
  d.undecryptable = out.HasEvent(EventType::kUndecryptable);
  deliveries_.push_back(std::move(d));
  Take(to, std::move(out));
}

void Driver::Take(int from, Output out, const std::optional<std::string>& text) {
  for (std::string& wire : out.to_send) {
    Sent e;
    e.from = from;
    e.sender_ssid = conversation(from).ssid();
    e.sender_encrypted = session(from).state() == ConversationState::kEncrypted;
    wire::InboundMessage in = wire::Classify(wire);
    if (const auto* encoded = std::get_if<wire::EncodedMessage>(&in)) {
      auto m = v3::DecodeMessage(encoded->message);
      if (m.ok()) e.decoded = std::move(m).value();
    }
    if (text && out.to_send.size() == 1 && e.data() != nullptr) e.known_text = *text;
    e.wire = std::move(wire);
    pending_[from].push_back(transcript_.size());
    transcript_.push_back(std::move(e));
  }
  // The user, shown the new fingerprint, sends the message REQUIRE_ENCRYPTION
  // held back (Session::SendHeldMessage).
  if (out.HasEvent(EventType::kHeldMessagePending)) {
    auto held = session(from).SendHeldMessage(kNow);
    if (held.ok()) Take(from, std::move(held).value());
  }
}

}  // namespace otr::properties
