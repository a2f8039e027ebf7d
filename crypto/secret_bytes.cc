#include "crypto/secret_bytes.h"

#include <atomic>
#include <cstring>
#include <utility>

#include "crypto/secret_observer.h"

namespace otr::crypto {

void SecureWipe(void* data, size_t size) {
  if (size == 0) return;
  // explicit_bzero (glibc) is guaranteed not to be optimised away.
  explicit_bzero(data, size);
}

bool ConstantTimeEqual(ByteView a, ByteView b) {
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

uint8_t* Allocate(size_t size) {
  if (size == 0) return nullptr;
  auto* p = new uint8_t[size]();
  if (const auto* o = observer.load(std::memory_order_acquire)) o->allocated(p, size);
  return p;
}

void Release(uint8_t* p, size_t size) {
  if (p == nullptr) return;
  SecureWipe(p, size);
  if (const auto* o = observer.load(std::memory_order_acquire)) o->released(p);
  delete[] p;
}

}  // namespace

void internal::SetSecretObserver(const SecretObserver* o) {
  observer.store(o, std::memory_order_release);
}

SecretBytes::SecretBytes(size_t size) : data_(Allocate(size)), size_(size) {}

SecretBytes::SecretBytes(ByteView data) : data_(Allocate(data.size())), size_(data.size()) {
  if (size_ != 0) std::memcpy(data_, data.data(), size_);
}

SecretBytes::SecretBytes(const SecretBytes& other) : SecretBytes(other.view()) {}

SecretBytes& SecretBytes::operator=(const SecretBytes& other) {
  if (this == &other) return *this;
  if (size_ == other.size_) {
    // Same size (a key replacing a key): overwritten in place, no allocation.
    if (size_ != 0) std::memcpy(data_, other.data_, size_);
    return *this;
  }
  SecretBytes copy(other);
  *this = std::move(copy);
  return *this;
}

SecretBytes::SecretBytes(SecretBytes&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept {
  if (this != &other) {
    Release(data_, size_);
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

SecretBytes::~SecretBytes() { Release(data_, size_); }

void SecretBytes::Clear() {
  Release(data_, size_);
  data_ = nullptr;
  size_ = 0;
}

}  // namespace otr::crypto
