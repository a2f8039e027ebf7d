#include "crypto/secret_registry.h"

#include <atomic>
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

std::atomic<void (*)(ByteView)> released_hook{nullptr};

void UnregisterSecret(const uint8_t* data) {
  Registry& r = GetRegistry();
  size_t size = 0;
  {
    std::lock_guard<std::mutex> lock(r.mutex);
    auto it = r.live.find(data);
    if (it == r.live.end()) return;  // made before the registry was installed
    size = it->second;
    r.live.erase(it);
  }
  if (auto* hook = released_hook.load(std::memory_order_acquire)) hook(ByteView(data, size));
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

void SetReleasedSecretHook(void (*hook)(ByteView released)) {
  released_hook.store(hook, std::memory_order_release);
}

}  // namespace otr::crypto
