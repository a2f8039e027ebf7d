#include "tests/crypto/freed_memory_scan.h"

#include <malloc.h>
#include <string.h>

#include <atomic>
#include <cstdlib>

#if defined(__SANITIZE_ADDRESS__)
#define OTR_SCAN_WITH_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define OTR_SCAN_WITH_ASAN 1
#endif
#endif

#ifdef OTR_SCAN_WITH_ASAN
// From the sanitizer runtime's allocator interface (declared here: g++ 12
// does not ship <sanitizer/allocator_interface.h>).
extern "C" {
int __sanitizer_install_malloc_and_free_hooks(void (*malloc_hook)(const volatile void*, size_t),
                                              void (*free_hook)(const volatile void*));
size_t __sanitizer_get_allocated_size(const volatile void* p);
}
#endif

namespace otr::testing {
namespace {

constexpr size_t kMaxNeedle = 256;
unsigned char needle_copy[kMaxNeedle];
std::atomic<size_t> needle_size{0};  // 0: no scan running
std::atomic<size_t> hit_count{0};
std::atomic<size_t> scanned_count{0};

void Inspect(const void* block, size_t size) {
  const size_t n = needle_size.load(std::memory_order_acquire);
  if (n == 0 || block == nullptr) return;
  scanned_count.fetch_add(1, std::memory_order_relaxed);
  if (memmem(block, size, needle_copy, n) != nullptr) {
    hit_count.fetch_add(1, std::memory_order_relaxed);
  }
}

#ifdef OTR_SCAN_WITH_ASAN
void OnMalloc(const volatile void*, size_t) {}
void OnFree(const volatile void* p) {
  const void* block = const_cast<const void*>(p);
  if (block != nullptr && needle_size.load(std::memory_order_acquire) != 0) {
    Inspect(block, __sanitizer_get_allocated_size(block));
  }
}
#endif

void Install() {
#ifdef OTR_SCAN_WITH_ASAN
  static const bool installed = [] {
    __sanitizer_install_malloc_and_free_hooks(OnMalloc, OnFree);
    return true;
  }();
  (void)installed;
#endif
}

}  // namespace

FreedMemoryScan::FreedMemoryScan(ByteView needle) {
  if (needle.size() < 8 || needle.size() > kMaxNeedle) std::abort();
  Install();
  memcpy(needle_copy, needle.data(), needle.size());
  hit_count.store(0);
  scanned_count.store(0);
  needle_size.store(needle.size(), std::memory_order_release);
}

FreedMemoryScan::~FreedMemoryScan() {
  needle_size.store(0, std::memory_order_release);
  explicit_bzero(needle_copy, sizeof(needle_copy));
}

size_t FreedMemoryScan::hits() const { return hit_count.load(); }
size_t FreedMemoryScan::blocks_scanned() const { return scanned_count.load(); }

}  // namespace otr::testing

#ifndef OTR_SCAN_WITH_ASAN
// glibc's own entry points (exported for exactly this purpose, as in
// bench/heap_counter.cc). realloc and free both pass the old block to the
// scan before glibc takes it back.
extern "C" {
void* __libc_malloc(size_t size);
void __libc_free(void* p);
void* __libc_realloc(void* p, size_t size);

void free(void* p) {
  if (p != nullptr) otr::testing::Inspect(p, malloc_usable_size(p));
  __libc_free(p);
}

void* realloc(void* p, size_t size) {
  if (p == nullptr || size == 0) return __libc_realloc(p, size);
  const size_t old_size = malloc_usable_size(p);
  void* fresh = __libc_malloc(size);
  if (fresh == nullptr) return nullptr;
  memcpy(fresh, p, old_size < size ? old_size : size);
  free(p);
  return fresh;
}
}
#endif
