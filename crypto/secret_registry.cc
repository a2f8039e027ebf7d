#include "crypto/secret_registry.h"

#include <mutex>
#include <unordered_map>

namespace otr::crypto {
namespace {

struct Registry {
  std::mutex mutex;
  std::unordered_map<const uint8_t*, size_t> live;
};

Registry& GetRegistry() {
  static auto* registry = new Registry();  // never destroyed: used from destructors
  return *registry;
}

}  // namespace

namespace internal {

void RegisterSecret(const uint8_t* data, size_t size) {
  Registry& r = GetRegistry();
  std::lock_guard<std::mutex> lock(r.mutex);
  r.live[data] = size;
}

void UnregisterSecret(const uint8_t* data) {
  Registry& r = GetRegistry();
  std::lock_guard<std::mutex> lock(r.mutex);
  r.live.erase(data);
}

}  // namespace internal

size_t LiveSecretCount() {
  Registry& r = GetRegistry();
  std::lock_guard<std::mutex> lock(r.mutex);
  return r.live.size();
}

void ForEachLiveSecret(const std::function<void(ByteView)>& visit) {
  Registry& r = GetRegistry();
  std::lock_guard<std::mutex> lock(r.mutex);
  for (const auto& [data, size] : r.live) visit(ByteView(data, size));
}

}  // namespace otr::crypto
