// The prekey server's storage interface (otr-v4-prekey-server.md, "State
// Machine": what the server keeps between a Prekey Publication and an Ensemble
// Query Retrieval). The server core talks to it; the in-memory store
// (memory_storage.h) and the SQLite and PostgreSQL backends (storage/prekey/)
// implement it, and all of them pass the conformance suite in
// tests/prekey/storage_conformance.h.
//
// Times are unix seconds, given by the caller (the core is sans-I/O).
// Owners are opaque strings: the client's identity as the transport gave it
// during the server DAKE (e.g. "alice@localhost").
//
// The contract every backend keeps (the conformance suite checks each point;
// docs/decisions/0012-prekey-server-readings.md gives the reasons):
//   - Expiry: a profile has expired when now >= its expiry (as
//     v4::profile::IsExpired). A prekey message has no expiry of its own: it
//     is expired when its (owner, instance tag) has a stored client profile
//     or a stored prekey profile that has expired. (Prekey messages published
//     before any profile of their tag are kept and counted.)
//   - Publish: a published client profile (prekey profile) replaces the one
//     stored for (owner, instance_tag), whatever its expiry. Prekey message
//     ids are unique per (owner, instance_tag): a publication repeating an
//     id, within itself or against one stored, fails and stores nothing.
//   - TakeEnsembles: for each instance tag, the prekey message published
//     first is taken; ensembles come in increasing instance tag order.
//   - PurgeExpired: returns the number of profiles and prekey messages
//     deleted.
//   - Every member may be called from several threads at once on one
//     Storage object (the conformance suite's concurrent takes share one).
#ifndef OTR_PROTOCOL_PREKEY_SERVER_STORAGE_H_
#define OTR_PROTOCOL_PREKEY_SERVER_STORAGE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/bytes.h"
#include "base/result.h"

namespace otr::prekey {

// One prekey ensemble as stored: the encoded Client Profile, Prekey Profile
// and Prekey Message of one instance tag ("Prekey Ensemble").
struct StoredEnsemble {
  uint32_t instance_tag;
  Bytes client_profile;
  Bytes prekey_profile;
  Bytes prekey_message;
};

// The content of one validated Prekey Publication Message.
struct Publication {
  std::string owner;  // the client's identity (e.g. "alice@localhost") from the server DAKE
  uint32_t instance_tag;
  std::optional<Bytes> client_profile;
  int64_t client_profile_expires = 0;  // unix seconds
  std::optional<Bytes> prekey_profile;
  int64_t prekey_profile_expires = 0;
  std::vector<std::pair<uint32_t, Bytes>> prekey_messages;  // (prekey message id, encoded)
};

class Storage {
 public:
  virtual ~Storage() = default;
  // All of p or nothing; durable when it returns Ok (a Success message may follow).
  // A newer profile replaces the stored one for (owner, instance_tag).
  virtual Status Publish(const Publication& p, int64_t now) = 0;
  // Unexpired prekey messages stored for owner, all instance tags ("Storage Status Message").
  virtual Result<uint32_t> CountPrekeyMessages(std::string_view owner, int64_t now) = 0;
  // Unexpired prekey messages stored for owner's one instance tag: what a
  // "Storage Status Message" reports ("for the long-term public key,
  // identity and instance tag used during the DAKEZ").
  virtual Result<uint32_t> CountPrekeyMessagesOf(std::string_view owner, uint32_t instance_tag,
                                                 int64_t now) = 0;
  // One ensemble per instance tag of owner having an unexpired client profile, an unexpired
  // prekey profile and a prekey message; that prekey message is removed in the same
  // transaction: never handed out twice, even to concurrent callers in other processes.
  virtual Result<std::vector<StoredEnsemble>> TakeEnsembles(std::string_view owner,
                                                            int64_t now) = 0;
  // Deletes expired profiles and the prekey messages that can no longer form an ensemble.
  virtual Result<uint64_t> PurgeExpired(int64_t now) = 0;
};

}  // namespace otr::prekey

#endif  // OTR_PROTOCOL_PREKEY_SERVER_STORAGE_H_
