// A public byte string of at most N bytes, held inside the object (decision
// 0055): for values whose size a format bounds, such as a DH public value,
// which is below its group's prime (at most 384 bytes in the 3072-bit
// group). Making, copying and destroying one never touches the heap.
#ifndef OTR_BASE_INLINE_BYTES_H_
#define OTR_BASE_INLINE_BYTES_H_

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "base/bytes.h"
#include "base/no_coverage.h"

namespace otr {

template <size_t N>
class InlineBytes {
 public:
  static constexpr size_t kCapacity = N;

  // User-provided, so that value-initializing (`Mpi()`, `T{}` of a struct
  // holding one) does not zero all N bytes first: only size_ is set.
  InlineBytes() {}  // NOLINT(modernize-use-equals-default)
  // `bytes` must fit (at most N bytes): a caller whose sizes are not bounded
  // checks Fits first. A larger one is a bug of ours and aborts.
  explicit InlineBytes(ByteView bytes) { Assign(bytes); }
  InlineBytes(const InlineBytes& other) { Assign(other.view()); }
  InlineBytes& operator=(const InlineBytes& other) {
    Assign(other.view());
    return *this;
  }
  ~InlineBytes() = default;

  static bool Fits(ByteView bytes) { return bytes.size() <= N; }

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const uint8_t* data() const { return bytes_; }
  const uint8_t* begin() const { return bytes_; }
  const uint8_t* end() const { return bytes_ + size_; }
  ByteView view() const { return ByteView(bytes_, size_); }
  Bytes ToBytes() const { return Bytes(begin(), end()); }

  friend bool operator==(const InlineBytes& a, const InlineBytes& b) { return a.Equals(b.view()); }
  friend bool operator==(const InlineBytes& a, ByteView b) { return a.Equals(b); }

 private:
  // Container machinery, out of a fuzzing build's coverage (base/no_coverage.h,
  // as SecretBytes): inlined at every copy, its branches would add edges to
  // every input and say nothing about the protocol. The callers' branches on
  // what Equals answers stay instrumented.
  OTR_NO_COVERAGE bool Equals(ByteView b) const {
    return size_ == b.size() && (size_ == 0 || std::memcmp(bytes_, b.data(), size_) == 0);
  }
  OTR_NO_COVERAGE void Assign(ByteView bytes) {
    if (!Fits(bytes)) std::abort();
    size_ = bytes.size();
    // Only the bytes held are copied; those past size_ are never read. A
    // self-assignment has nothing to copy (memcpy must not overlap).
    if (size_ != 0 && bytes.data() != bytes_) std::memcpy(bytes_, bytes.data(), size_);
  }

  size_t size_ = 0;
  uint8_t bytes_[N];
};

}  // namespace otr

#endif  // OTR_BASE_INLINE_BYTES_H_
