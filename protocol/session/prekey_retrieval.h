// A Session's retrieval of its peer's Prekey Ensembles from a prekey server
// (otr-v4-prekey-server.md, "Retrieving Prekey Ensembles"; otrv4.md
// "Receiving Prekey Ensembles"; issue 18, docs/decisions/0016). Sans-I/O:
// the query goes to Output::to_prekey_server, the server's answer comes
// back through Receive, the time is an argument. One retrieval at a time.
//
// Nothing the server says is trusted: prekey::PrekeyClient checks the
// answer is for our query and validates every ensemble, and the Session
// validates them again in StartOffline. What cannot be used is reported as
// events::OfflineRefused (nothing is sent to the peer).
#ifndef OTR_PROTOCOL_SESSION_PREKEY_RETRIEVAL_H_
#define OTR_PROTOCOL_SESSION_PREKEY_RETRIEVAL_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/backend.h"
#include "crypto/random.h"
#include "protocol/api/output.h"
#include "protocol/prekey/client/client.h"
#include "protocol/prekey/common/libotr_ng.h"
#include "protocol/prekey/common/transport.h"
#include "protocol/v4/dake/xzdh.h"

namespace otr {

// Where a Session fetches its peer's ensembles (SessionConfig::prekey_server).
struct PrekeyServerConfig {
  std::string server;         // the Prekey Server Identity (XMPP: its JID)
  std::string peer_identity;  // whose ensembles (XMPP: the peer's bare JID)
  // The server's fingerprint learned out of band (XMPP: disco "fingerprint");
  // retrieval has no DAKE, so it is only kept for the application.
  std::optional<v4::Fingerprint> server_fingerprint;
  int64_t request_timeout_seconds = 60;
  size_t max_message_size = 0;  // our query is short: never fragmented in practice
};

// The ensembles of a retrieval answer in the form StartOffline takes.
std::vector<v4::dake::PrekeyEnsembleValues> EnsembleValues(
    const std::vector<prekey::ValidatedEnsemble>& ensembles);

class PrekeyRetrieval {
 public:
  // Retrieval runs no DAKE: the client gets no keys of ours.
  PrekeyRetrieval(const crypto::Backend& backend, crypto::Random& random, wire::InstanceTag our_tag,
                  PrekeyServerConfig config);
  // A Session is copyable (explorers and fuzzers fork them); a PrekeyClient
  // is not. A copy has the same configuration and nothing in flight.
  PrekeyRetrieval(const PrekeyRetrieval& other);
  PrekeyRetrieval& operator=(const PrekeyRetrieval& other);
  PrekeyRetrieval(PrekeyRetrieval&&) noexcept = default;
  PrekeyRetrieval& operator=(PrekeyRetrieval&&) noexcept = default;
  ~PrekeyRetrieval() = default;

  // Sends the query (Output::to_prekey_server); OfflineRefused if one is in
  // flight already.
  void Request(int64_t now, Output& out);
  // The server's answer (whole or a fragment): the validated ensembles, or
  // nothing (OfflineRefused says why when the retrieval is over: no
  // ensembles in storage, none valid, another identity's). Text that is not
  // an answer to our query is ignored silently (it may be for another
  // Session or for OfflineMaintenance).
  std::optional<std::vector<v4::dake::PrekeyEnsembleValues>> Receive(int64_t now,
                                                                     std::string_view text,
                                                                     Output& out);
  // libotr-ng's Ensemble Retrieval message (whole, not a fragment), the
  // answer to our query that our prekey server sends for ensembles
  // libotr-ng published (prekey::libotr_ng::DecodeEnsembleRetrieval, row
  // 25): its ensembles, unvalidated, and the retrieval is over. Anything
  // else (not that message, not for our tag or our peer, nothing in
  // flight): nullopt and nothing changes (the caller tries Receive).
  std::optional<std::vector<prekey::libotr_ng::Ensemble>> ReceiveLibotrNg(std::string_view text);
  // A fragment of the server's answer while our query is in flight
  // (otr-v4-prekey-server.md "Receiving Fragments"; our server cuts a long
  // libotr-ng Ensemble Retrieval this way): held, bounded as the client's
  // (prekey::ClientConfig::reassembly), until it completes; then the whole
  // message for ReceiveLibotrNg or Receive. nullopt while more are needed,
  // for a fragment refused, or with nothing in flight.
  std::optional<std::string> Reassemble(int64_t now, std::string_view fragment);
  // A query with no answer after request_timeout_seconds: OfflineRefused.
  void Expire(int64_t now, Output& out);
  // When Expire is next due (none: nothing in flight).
  std::optional<uint64_t> NextTimeout() const;
  bool in_flight() const { return client_->busy(); }

 private:
  void Report(const prekey::ClientEvent& event, Output& out) const;

  const crypto::Backend* backend_;
  crypto::Random* random_;
  wire::InstanceTag our_tag_;
  PrekeyServerConfig config_;
  std::unique_ptr<prekey::PrekeyClient> client_;
  prekey::FragmentReassembler reassembler_;
  int64_t started_ = 0;
};

}  // namespace otr

#endif  // OTR_PROTOCOL_SESSION_PREKEY_RETRIEVAL_H_
