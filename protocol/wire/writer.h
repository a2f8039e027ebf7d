// The encoder counterpart of Reader (in the spirit of BoringSSL's CBB).
#ifndef OTR_PROTOCOL_WIRE_WRITER_H_
#define OTR_PROTOCOL_WIRE_WRITER_H_

#include <cstdint>

#include "base/bytes.h"

namespace otr::wire {

class Writer {
 public:
  // Capacity for `size` bytes in all, so a large message grows only once.
  void Reserve(size_t size) { out_.reserve(size); }
  void WriteU8(uint8_t v) {
    Room(1);
    out_.push_back(v);
  }
  void WriteU16(uint16_t v);
  void WriteU32(uint32_t v);
  void WriteU64(uint64_t v);
  void WriteU16Le(uint16_t v);
  void WriteU32Le(uint32_t v);
  void WriteBytes(ByteView bytes) {
    Room(bytes.size());
    out_.insert(out_.end(), bytes.begin(), bytes.end());
  }
  // DATA: 4-byte length, then the bytes.
  void WriteData(ByteView bytes);
  // MPI: leading zero bytes of `value` are dropped (minimal encoding).
  void WriteMpi(ByteView value);

  const Bytes& bytes() const { return out_; }
  // Drops what was written after the first `size` bytes (no effect if
  // fewer were written); the capacity stays.
  void Truncate(size_t size) {
    if (size < out_.size()) out_.resize(size);
  }
  Bytes Finish() && { return std::move(out_); }

 private:
  // The first write takes room for kFirstCapacity bytes at once: a message
  // or a KDF input written field by field would otherwise grow its vector
  // 1, 2, 4, ... bytes, an allocation each (Reserve sets the exact size).
  static constexpr size_t kFirstCapacity = 256;
  void Room(size_t size) {
    if (out_.capacity() == 0) out_.reserve(size > kFirstCapacity ? size : kFirstCapacity);
  }

  Bytes out_;
};

}  // namespace otr::wire

#endif  // OTR_PROTOCOL_WIRE_WRITER_H_
