// Bounds on what the prekey server stores: a publisher must not be able to
// fill the disk (otr-v4-prekey-server.md, "Prekey Server Requirements": "A
// production level implementation of a prekey server should limit the size of
// publications to reasonable sizes"). A Publish that would exceed one is
// refused whole with kTooLarge. Defaults are documented in tools/README.md.
#ifndef OTR_TOOLS_PREKEY_SERVER_STORAGE_LIMITS_H_
#define OTR_TOOLS_PREKEY_SERVER_STORAGE_LIMITS_H_

#include <cstddef>
#include <cstdint>

#include "base/result.h"
#include "protocol/prekey/server/storage.h"

namespace otr::prekey_server {

struct StorageLimits {
  size_t max_owner_bytes = 1024;          // an identity such as "alice@example.org"
  size_t max_item_bytes = 256 * 1024;     // one encoded profile or prekey message
  uint64_t max_instances_per_owner = 64;  // devices of one identity
  uint64_t max_prekey_messages_per_instance = 1024;
};

// Checks what can be checked without the database: sizes of the owner and
// of each item.
inline Status CheckPublicationSizes(const prekey::Publication& p, const StorageLimits& limits) {
  if (p.owner.size() > limits.max_owner_bytes) {
    return MakeError(ErrorCode::kTooLarge, "publication: owner too long");
  }
  if (p.client_profile && p.client_profile->size() > limits.max_item_bytes) {
    return MakeError(ErrorCode::kTooLarge, "publication: client profile too large");
  }
  if (p.prekey_profile && p.prekey_profile->size() > limits.max_item_bytes) {
    return MakeError(ErrorCode::kTooLarge, "publication: prekey profile too large");
  }
  if (p.prekey_messages.size() > limits.max_prekey_messages_per_instance) {
    return MakeError(ErrorCode::kTooLarge, "publication: too many prekey messages");
  }
  for (const auto& [id, message] : p.prekey_messages) {
    if (message.size() > limits.max_item_bytes) {
      return MakeError(ErrorCode::kTooLarge, "publication: prekey message too large");
    }
  }
  return Status::Ok();
}

}  // namespace otr::prekey_server

#endif  // OTR_TOOLS_PREKEY_SERVER_STORAGE_LIMITS_H_
