// Secret byte strings: wiped when destroyed or resized, compared in constant
// time, never printed. DESIGN.md principle 5 ("Secrets are typed").
#ifndef OTR_CRYPTO_SECRET_BYTES_H_
#define OTR_CRYPTO_SECRET_BYTES_H_

#include <cstddef>
#include <cstdint>
#include <span>

#include "base/bytes.h"

namespace otr::crypto {

// Overwrites memory in a way the compiler cannot elide.
void SecureWipe(void* data, size_t size);

// Constant-time equality: the time depends only on the lengths.
bool ConstantTimeEqual(ByteView a, ByteView b);

// Secrets of at most kInlineSize bytes live inside the object, larger ones on
// the heap (decision 0051). Either way the buffer is wiped when destroyed,
// cleared, resized, assigned over or moved from. Pointer stability: a view or
// pointer into a SecretBytes is valid only while that object neither moves
// nor changes size (an inline buffer moves with its object).
class SecretBytes {
 public:
  // 80: the v4 DH private keys (80 random bytes, otrv4.md "generateDH()");
  // SHAKE-256 outputs and KDF results of 64 bytes, Ed448 scalars (57),
  // ChaCha20/AES keys, MAC keys; the v3 AES keys (16) and MAC keys (20/32).
  static constexpr size_t kInlineSize = 80;

  SecretBytes() = default;
  explicit SecretBytes(size_t size);
  explicit SecretBytes(ByteView data);
  SecretBytes(const SecretBytes& other);
  SecretBytes& operator=(const SecretBytes& other);
  SecretBytes(SecretBytes&& other) noexcept;
  SecretBytes& operator=(SecretBytes&& other) noexcept;
  ~SecretBytes();

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  uint8_t* data() { return data_; }
  const uint8_t* data() const { return data_; }
  ByteView view() const { return ByteView(data_, size_); }
  MutableByteView mutable_view() { return MutableByteView(data_, size_); }
  uint8_t& operator[](size_t i) { return data_[i]; }
  uint8_t operator[](size_t i) const { return data_[i]; }

  // Wipes the contents and releases the storage.
  void Clear();

  // Declassifies: a copy in an ordinary (unwiped) buffer. Use only for values
  // that the protocol makes public (e.g. g^x, or a MAC key being revealed).
  Bytes Declassify() const { return Bytes(data_, data_ + size_); }

  friend bool operator==(const SecretBytes& a, const SecretBytes& b) {
    return ConstantTimeEqual(a.view(), b.view());
  }

 private:
  bool is_inline() const { return size_ <= kInlineSize; }
  // Points data_ at a buffer of `size` bytes (inline or new) holding a copy
  // of `contents`, or zeros if null, and tells the observer; the object must
  // hold nothing.
  void Acquire(size_t size, const uint8_t* contents = nullptr);
  // Wipes the buffer, tells the observer, frees a heap buffer; the object is
  // left empty.
  void Release() noexcept;
  // Takes `other`'s contents (this object holds nothing): a heap buffer
  // changes owner, an inline one is copied and the source wiped.
  void TakeFrom(SecretBytes& other) noexcept;

  // Null when empty; else inline_ (size_ <= kInlineSize) or a new[] buffer.
  uint8_t* data_ = nullptr;
  size_t size_ = 0;
  // Bytes past size_ hold nothing secret: never written, or already wiped.
  alignas(8) uint8_t inline_[kInlineSize];
};

}  // namespace otr::crypto

#endif  // OTR_CRYPTO_SECRET_BYTES_H_
