// An in-memory prekey storage (storage.h), for tests, fuzzing and a server
// run without persistence. Thread-safe (one mutex); nothing survives the
// process, so "durable" means "visible to every later call".
#ifndef OTR_PROTOCOL_PREKEY_SERVER_MEMORY_STORAGE_H_
#define OTR_PROTOCOL_PREKEY_SERVER_MEMORY_STORAGE_H_

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "protocol/prekey/server/storage.h"

namespace otr::prekey {

class MemoryStorage : public Storage {
 public:
  MemoryStorage() = default;
  // A copy holds what `other` holds now (the explorer forks a world with its
  // server's storage: model/explorer/v4_explorer.h, decision 0031); the
  // copy has its own mutex.
  MemoryStorage(const MemoryStorage& other);
  MemoryStorage& operator=(const MemoryStorage& other);
  Status Publish(const Publication& p, int64_t now) override;
  Result<uint32_t> CountPrekeyMessages(std::string_view owner, int64_t now) override;
  Result<uint32_t> CountPrekeyMessagesOf(std::string_view owner, uint32_t instance_tag,
                                         int64_t now) override;
  Result<std::vector<StoredEnsemble>> TakeEnsembles(std::string_view owner, int64_t now) override;
  Result<uint64_t> PurgeExpired(int64_t now) override;

 private:
  struct StoredProfile {
    Bytes encoded;
    int64_t expires = 0;
  };
  // What is kept for one (owner, instance tag).
  struct Slot {
    std::optional<StoredProfile> client_profile;
    std::optional<StoredProfile> prekey_profile;
    std::vector<std::pair<uint32_t, Bytes>> prekey_messages;  // publication order
  };
  using Key = std::pair<std::string, uint32_t>;

  static bool MessagesExpired(const Slot& slot, int64_t now);

  mutable std::mutex mu_;
  std::map<Key, Slot, std::less<>> slots_;
};

}  // namespace otr::prekey

#endif  // OTR_PROTOCOL_PREKEY_SERVER_MEMORY_STORAGE_H_
