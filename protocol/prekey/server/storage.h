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
