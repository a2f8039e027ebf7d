#include "crypto/secret_bytes.h"

#include <atomic>
#include <cstring>
#include <utility>

#include "base/no_coverage.h"
#include "crypto/secret_observer.h"

namespace otr::crypto {

// Not instrumented for coverage in a fuzzing build (base/no_coverage.h): a
// container, moved and wiped thousands of times per fuzz input.

OTR_NO_COVERAGE_INLINE void SecureWipe(void* data, size_t size) {
  if (size == 0) return;
  // explicit_bzero (glibc) is guaranteed not to be optimised away.
  explicit_bzero(data, size);
}

OTR_NO_COVERAGE_INLINE bool ConstantTimeEqual(ByteView a, ByteView b) {
  if (a.size() != b.size()) return false;
  // Eight bytes at a time; the empty asm makes `diff` opaque after every
  // step, so the compiler can neither stop early nor branch on it (before:
  // a volatile byte, a load and a store per byte).
  uint64_t diff = 0;
  size_t i = 0;
  for (; i + 8 <= a.size(); i += 8) {
    uint64_t x, y;
    std::memcpy(&x, a.data() + i, 8);
    std::memcpy(&y, b.data() + i, 8);
    diff |= x ^ y;
    asm volatile("" : "+r"(diff));
  }
  for (; i < a.size(); ++i) {
    diff |= static_cast<uint64_t>(a[i] ^ b[i]);
    asm volatile("" : "+r"(diff));
  }
  return diff == 0;
}

namespace {

std::atomic<const internal::SecretObserver*> observer{nullptr};

OTR_NO_COVERAGE_INLINE void NotifyAllocated(const uint8_t* p, size_t size) {
  if (const auto* o = observer.load(std::memory_order_acquire)) o->allocated(p, size);
}

OTR_NO_COVERAGE_INLINE void NotifyReleased(const uint8_t* p) {
  if (const auto* o = observer.load(std::memory_order_acquire)) o->released(p);
}

// Copies a whole inline buffer as kInlineSize / 8 words: the bytes past
// size_ are zero or never written, as Release wipes what it held. Words, not
// one memcpy: under ASan a memcpy is a runtime call, and one of more than 64
// bytes takes its slow path (a shadow scan), paid on every move of a secret;
// no_builtin keeps clang from turning the loop back into that memcpy.
#if defined(__clang__)
__attribute__((no_builtin("memcpy")))
#endif
OTR_NO_COVERAGE_INLINE void
CopyInlineBuffer(uint8_t* to, const uint8_t* from) {
  static_assert(SecretBytes::kInlineSize % 8 == 0);
  for (size_t i = 0; i < SecretBytes::kInlineSize; i += 8) {
    uint64_t word;
    std::memcpy(&word, from + i, 8);
    std::memcpy(to + i, &word, 8);
  }
}

}  // namespace

void internal::SetSecretObserver(const SecretObserver* o) {
  observer.store(o, std::memory_order_release);
}

OTR_NO_COVERAGE_INLINE void SecretBytes::Acquire(size_t size, const uint8_t* contents) {
  if (size == 0) return;
  if (size <= kInlineSize) {
    data_ = inline_;
  } else {
    data_ = contents == nullptr ? new uint8_t[size]() : new uint8_t[size];
  }
  size_ = size;
  if (contents != nullptr) {
    std::memcpy(data_, contents, size);
  } else if (is_inline()) {
    std::memset(data_, 0, size);
  }
  NotifyAllocated(data_, size_);
}

OTR_NO_COVERAGE_INLINE void SecretBytes::Release() noexcept {
  if (data_ == nullptr) return;
  SecureWipe(data_, size_);
  NotifyReleased(data_);
  if (!is_inline()) delete[] data_;
  data_ = nullptr;
  size_ = 0;
}

OTR_NO_COVERAGE_INLINE void SecretBytes::TakeFrom(SecretBytes& other) noexcept {
  if (other.data_ == nullptr) return;
  if (other.is_inline()) {
    // The bytes move with the object: the destination is registered before
    // the source is wiped and released, so no live secret goes unseen. The
    // whole buffer, a fixed size (no length-dependent copy).
    CopyInlineBuffer(inline_, other.inline_);
    data_ = inline_;
    size_ = other.size_;
    NotifyAllocated(data_, size_);
    other.Release();
  } else {
    // The heap buffer changes owner; the observer keeps seeing it.
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
  }
}

OTR_NO_COVERAGE_INLINE SecretBytes::SecretBytes(size_t size) { Acquire(size); }

OTR_NO_COVERAGE_INLINE SecretBytes::SecretBytes(ByteView data) {
  Acquire(data.size(), data.data());
}

OTR_NO_COVERAGE_INLINE SecretBytes::SecretBytes(const SecretBytes& other)
    : SecretBytes(other.view()) {}

OTR_NO_COVERAGE_INLINE SecretBytes& SecretBytes::operator=(const SecretBytes& other) {
  if (this == &other) return *this;
  if (size_ == other.size_) {
    // Same size (a key replacing a key): overwritten in place, no allocation.
    if (size_ != 0) std::memcpy(data_, other.data_, size_);
    return *this;
  }
  if (other.is_inline()) {
    Release();
    Acquire(other.size_, other.data_);
    return *this;
  }
  // A heap copy is made before the old contents go: if new[] throws, *this
  // is unchanged.
  SecretBytes copy(other);
  Release();
  TakeFrom(copy);
  return *this;
}

OTR_NO_COVERAGE_INLINE SecretBytes::SecretBytes(SecretBytes&& other) noexcept { TakeFrom(other); }

OTR_NO_COVERAGE_INLINE SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept {
  if (this != &other) {
    Release();
    TakeFrom(other);
  }
  return *this;
}

OTR_NO_COVERAGE_INLINE SecretBytes::~SecretBytes() { Release(); }

OTR_NO_COVERAGE_INLINE void SecretBytes::Clear() { Release(); }

}  // namespace otr::crypto
