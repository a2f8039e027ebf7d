#include "protocol/session/prekey_retrieval.h"

#include <utility>

#include "protocol/wire/base64.h"

namespace otr {

std::vector<v4::dake::PrekeyEnsembleValues> EnsembleValues(
    const std::vector<prekey::ValidatedEnsemble>& ensembles) {
  std::vector<v4::dake::PrekeyEnsembleValues> out;
  out.reserve(ensembles.size());
  for (const prekey::ValidatedEnsemble& v : ensembles) {
    out.push_back(v4::dake::PrekeyEnsembleValues{
        v.ensemble.client_profile, v.ensemble.prekey_profile, v.ensemble.prekey_message});
  }
  return out;
}

namespace {

prekey::ClientConfig RetrievalClientConfig(wire::InstanceTag our_tag,
                                           const PrekeyServerConfig& config) {
  prekey::ClientConfig c;
  c.server_identity = config.server;
  c.server_fingerprint = config.server_fingerprint;
  c.instance_tag = our_tag;
  c.request_timeout_seconds = config.request_timeout_seconds;
  c.max_message_size = config.max_message_size;
  return c;
}

}  // namespace

PrekeyRetrieval::PrekeyRetrieval(const crypto::Backend& backend, crypto::Random& random,
                                 wire::InstanceTag our_tag, PrekeyServerConfig config)
    : backend_(&backend),
      random_(&random),
      our_tag_(our_tag),
      config_(std::move(config)),
      client_(std::make_unique<prekey::PrekeyClient>(
          backend, random, RetrievalClientConfig(our_tag, config_), prekey::ClientKeys{})),
      reassembler_(prekey::ClientConfig{}.reassembly) {}

PrekeyRetrieval::PrekeyRetrieval(const PrekeyRetrieval& other)
    : PrekeyRetrieval(*other.backend_, *other.random_, other.our_tag_, other.config_) {}

PrekeyRetrieval& PrekeyRetrieval::operator=(const PrekeyRetrieval& other) {
  if (this != &other) *this = PrekeyRetrieval(other);
  return *this;
}

void PrekeyRetrieval::Request(int64_t now, Output& out) {
  auto sent = client_->RetrieveEnsembles(config_.peer_identity, now);
  if (!sent.ok()) {
    out.events.push_back(
        Event(events::OfflineRefused{"prekey server: " + std::string(sent.error().context)}));
    return;
  }
  started_ = now;
  for (std::string& text : sent->to_server) {
    out.to_prekey_server.push_back(PrekeyServerMessage{config_.server, std::move(text)});
  }
}

std::optional<std::vector<v4::dake::PrekeyEnsembleValues>> PrekeyRetrieval::Receive(
    int64_t now, std::string_view text, Output& out) {
  // Another request's answer, or a stray one: not ours to report.
  if (!client_->busy()) return std::nullopt;
  prekey::ClientOutput answer = client_->Receive(text, now);
  std::optional<std::vector<v4::dake::PrekeyEnsembleValues>> ensembles;
  for (const prekey::ClientEvent& e : answer.events) {
    if (e.kind == prekey::ClientEventKind::kEnsembles) {
      // "Discards any invalid or duplicated Prekey Ensembles": each refused
      // one is reported once here, then StartOffline validates the rest again.
      for (uint32_t i = 0; i < e.count; ++i) {
        out.events.push_back(
            Event(events::OfflineRefused{"prekey server: an invalid or duplicated ensemble"}));
      }
      ensembles = EnsembleValues(e.ensembles);
    } else {
      Report(e, out);
    }
  }
  return ensembles;
}

std::optional<std::vector<prekey::libotr_ng::Ensemble>> PrekeyRetrieval::ReceiveLibotrNg(
    std::string_view text) {
  if (!client_->busy() || text.empty() || text.back() != '.') return std::nullopt;
  auto bytes = wire::DecodeBase64(text.substr(0, text.size() - 1));
  if (!bytes.ok()) return std::nullopt;
  auto m = prekey::libotr_ng::DecodeEnsembleRetrieval(*bytes);
  if (!m.ok() || m->receiver_instance_tag != our_tag_) return std::nullopt;
  if (std::string_view(reinterpret_cast<const char*>(m->participant_identity.data()),
                       m->participant_identity.size()) != config_.peer_identity) {
    return std::nullopt;
  }
  // The answer came: a fresh client has nothing in flight.
  client_ = std::make_unique<prekey::PrekeyClient>(
      *backend_, *random_, RetrievalClientConfig(our_tag_, config_), prekey::ClientKeys{});
  return std::move(m->ensembles);
}

std::optional<std::string> PrekeyRetrieval::Reassemble(int64_t now, std::string_view fragment) {
  if (!client_->busy()) return std::nullopt;
  auto whole = reassembler_.Receive(fragment, our_tag_, now);
  if (!whole.ok()) return std::nullopt;  // an illegal fragment is discarded
  return std::move(*whole);
}

void PrekeyRetrieval::Expire(int64_t now, Output& out) {
  reassembler_.Expire(now);
  for (const prekey::ClientEvent& e : client_->Expire(now).events) Report(e, out);
}

std::optional<uint64_t> PrekeyRetrieval::NextTimeout() const {
  if (!client_->busy()) return std::nullopt;
  return static_cast<uint64_t>(started_ + config_.request_timeout_seconds);
}

// The server's text (No Prekey Ensembles) is not shown: it is the server's,
// and what it means is said here.
void PrekeyRetrieval::Report(const prekey::ClientEvent& event, Output& out) const {
  switch (event.kind) {
    case prekey::ClientEventKind::kNoEnsembles:
      out.events.push_back(Event(events::OfflineRefused{
          "prekey server: no Prekey Ensembles in storage for " + config_.peer_identity}));
      return;
    case prekey::ClientEventKind::kRequestFailed:
      out.events.push_back(
          Event(events::OfflineRefused{"prekey server: " + std::string(event.cause.context)}));
      return;
    default:
      return;  // ignored text (not our query's, a bad MAC): not reported
  }
}

}  // namespace otr
