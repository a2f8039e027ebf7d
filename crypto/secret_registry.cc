#include "crypto/secret_registry.h"

#include <mutex>
#include <unordered_map>

#include "crypto/secret_observer.h"

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

constexpr internal::SecretObserver kObserver = {RegisterSecret, UnregisterSecret};

// Installed when the program starts (this target is alwayslink): secrets
// made by other static initialisers before this one are not counted.
[[maybe_unused]] const bool installed = [] {
  internal::SetSecretObserver(&kObserver);
  return true;
}();

}  // namespace

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
