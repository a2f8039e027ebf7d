// Heap bytes in use by the whole process, counted by a malloc hook: this
// binary replaces malloc, free, calloc, realloc and the aligned allocators
// (glibc supports replacing them; operator new, OpenSSL, libgcrypt's and
// libotr's allocations all end in malloc) and forwards to glibc's own
// __libc_* functions, adding and subtracting malloc_usable_size. Not in
// sanitizer builds, which bring their own allocator: there Active() is false.
// Counting is off until Start(): then the hook costs one load per call, so
// the timed benchmarks do not pay for it. Counting is of the net change
// (allocations minus frees while on), which is what a window measures.
#ifndef OTR_BENCH_HEAP_COUNTER_H_
#define OTR_BENCH_HEAP_COUNTER_H_

#include <cstdint>

namespace otr::bench::heap {

bool Active();
void Start();
void Stop();
// Bytes currently allocated (usable sizes, so allocator rounding included).
int64_t BytesInUse();
// Number of allocations made so far.
uint64_t Allocations();

}  // namespace otr::bench::heap

#endif  // OTR_BENCH_HEAP_COUNTER_H_
