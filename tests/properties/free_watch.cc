#include "tests/properties/free_watch.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <new>
#include <utility>

#include "crypto/secret_bytes.h"
#include "crypto/secret_registry.h"

namespace {

struct Watch {
  bool on = false;
  bool busy = false;                   // the watch's own map allocating: not checked
  std::map<const void*, size_t> live;  // watched heap secret buffers
  size_t checked_inline = 0;
  size_t checked_heap = 0;
  size_t dirty = 0;
};
Watch* g_watch = nullptr;  // while a FreeWatch exists

bool AnyNonZero(const uint8_t* bytes, size_t size) {
  return std::any_of(bytes, bytes + size, [](uint8_t b) { return b != 0; });
}

void CheckFreed(void* p) {
  if (g_watch == nullptr || !g_watch->on || g_watch->busy || p == nullptr) return;
  g_watch->busy = true;
  auto it = g_watch->live.find(p);
  if (it != g_watch->live.end()) {
    if (AnyNonZero(static_cast<const uint8_t*>(p), it->second)) ++g_watch->dirty;
    ++g_watch->checked_heap;
    g_watch->live.erase(it);
  }
  g_watch->busy = false;
}

void CheckReleased(otr::ByteView released) {
  if (g_watch == nullptr || !g_watch->on) return;
  if (released.size() > otr::crypto::SecretBytes::kInlineSize) return;  // checked at delete[]
  g_watch->busy = true;
  // Unwatched from here: the address may next be part of a non-secret new[].
  g_watch->live.erase(released.data());
  g_watch->busy = false;
  if (AnyNonZero(released.data(), released.size())) ++g_watch->dirty;
  ++g_watch->checked_inline;
}

}  // namespace

void* operator new[](std::size_t n) {
  void* p = std::malloc(n == 0 ? 1 : n);
  if (p == nullptr) throw std::bad_alloc();
  return p;
}
void operator delete[](void* p) noexcept {
  CheckFreed(p);
  std::free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
  CheckFreed(p);
  std::free(p);
}

namespace otr::properties {

FreeWatch::FreeWatch() {
  if (g_watch != nullptr) std::abort();  // one at a time
  g_watch = new Watch;
  crypto::SetReleasedSecretHook(CheckReleased);
}

FreeWatch::~FreeWatch() {
  crypto::SetReleasedSecretHook(nullptr);
  delete std::exchange(g_watch, nullptr);
}

void FreeWatch::set_on(bool on) { g_watch->on = on; }

void FreeWatch::WatchLiveSecrets() {
  g_watch->busy = true;
  g_watch->live.clear();
  crypto::ForEachLiveSecret([](ByteView b) { g_watch->live[b.data()] = b.size(); });
  g_watch->busy = false;
}

size_t FreeWatch::checked_inline() const { return g_watch->checked_inline; }
size_t FreeWatch::checked_heap() const { return g_watch->checked_heap; }
size_t FreeWatch::dirty() const { return g_watch->dirty; }

}  // namespace otr::properties
