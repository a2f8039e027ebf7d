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

class SecretBytes {
 public:
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
  uint8_t* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace otr::crypto

#endif  // OTR_CRYPTO_SECRET_BYTES_H_
