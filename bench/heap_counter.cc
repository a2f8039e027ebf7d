#include "bench/heap_counter.h"

#include <malloc.h>

#include <atomic>
#include <cerrno>
#include <cstddef>

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define OTR_BENCH_HEAP_COUNTER 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer) || \
    __has_feature(thread_sanitizer)
#define OTR_BENCH_HEAP_COUNTER 0
#endif
#endif
#ifndef OTR_BENCH_HEAP_COUNTER
#define OTR_BENCH_HEAP_COUNTER 1
#endif

namespace otr::bench::heap {
namespace {

std::atomic<int64_t> bytes_in_use{0};
std::atomic<uint64_t> allocations{0};
std::atomic<bool> counting{false};

}  // namespace

bool Active() { return OTR_BENCH_HEAP_COUNTER != 0; }
void Start() { counting.store(true, std::memory_order_relaxed); }
void Stop() { counting.store(false, std::memory_order_relaxed); }
int64_t BytesInUse() { return bytes_in_use.load(std::memory_order_relaxed); }
uint64_t Allocations() { return allocations.load(std::memory_order_relaxed); }

#if OTR_BENCH_HEAP_COUNTER
namespace {

void* Added(void* p) {
  if (p != nullptr && counting.load(std::memory_order_relaxed)) {
    bytes_in_use.fetch_add(static_cast<int64_t>(malloc_usable_size(p)), std::memory_order_relaxed);
    allocations.fetch_add(1, std::memory_order_relaxed);
  }
  return p;
}

void Removed(void* p) {
  if (p != nullptr && counting.load(std::memory_order_relaxed)) {
    bytes_in_use.fetch_sub(static_cast<int64_t>(malloc_usable_size(p)), std::memory_order_relaxed);
  }
}

}  // namespace
#endif

}  // namespace otr::bench::heap

#if OTR_BENCH_HEAP_COUNTER
// glibc's own allocator entry points (exported for exactly this purpose).
extern "C" {
void* __libc_malloc(size_t size);
void __libc_free(void* p);
void* __libc_calloc(size_t n, size_t size);
void* __libc_realloc(void* p, size_t size);
void* __libc_memalign(size_t alignment, size_t size);

using otr::bench::heap::Added;
using otr::bench::heap::Removed;

void* malloc(size_t size) { return Added(__libc_malloc(size)); }

void free(void* p) {
  Removed(p);
  __libc_free(p);
}

void* calloc(size_t n, size_t size) { return Added(__libc_calloc(n, size)); }

void* realloc(void* p, size_t size) {
  if (p == nullptr) return malloc(size);
  if (size == 0) {
    free(p);
    return nullptr;
  }
  if (!otr::bench::heap::counting.load(std::memory_order_relaxed)) return __libc_realloc(p, size);
  const size_t old_size = malloc_usable_size(p);
  void* q = __libc_realloc(p, size);
  if (q == nullptr) return nullptr;  // p is untouched
  otr::bench::heap::bytes_in_use.fetch_add(
      static_cast<int64_t>(malloc_usable_size(q)) - static_cast<int64_t>(old_size),
      std::memory_order_relaxed);
  otr::bench::heap::allocations.fetch_add(1, std::memory_order_relaxed);
  return q;
}

void* memalign(size_t alignment, size_t size) { return Added(__libc_memalign(alignment, size)); }

void* aligned_alloc(size_t alignment, size_t size) { return memalign(alignment, size); }

int posix_memalign(void** out, size_t alignment, size_t size) {
  if (alignment % sizeof(void*) != 0 || (alignment & (alignment - 1)) != 0) return EINVAL;
  void* p = memalign(alignment, size);
  if (p == nullptr) return ENOMEM;
  *out = p;
  return 0;
}

void* valloc(size_t size) { return memalign(4096, size); }

void* pvalloc(size_t size) { return memalign(4096, (size + 4095) & ~size_t{4095}); }
}
#endif
