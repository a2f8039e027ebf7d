// The one bounded reader all decoders use (DESIGN.md principle 3, in the
// spirit of BoringSSL's CBS): it never reads past its end, checks every length
// against what remains before anything is allocated, and reports each failure
// as a typed error. Multi-byte integers are big-endian, as in the v2/v3 specs
// ("Data types"); the little-endian forms serve v4's Ed448 values.
#ifndef OTR_PROTOCOL_WIRE_READER_H_
#define OTR_PROTOCOL_WIRE_READER_H_

#include <cstddef>
#include <cstdint>

#include "base/bytes.h"
#include "base/result.h"

namespace otr::wire {

class Reader {
 public:
  explicit Reader(ByteView data) : data_(data) {}

  size_t remaining() const { return data_.size(); }
  bool empty() const { return data_.empty(); }
  // The unread bytes, without consuming them.
  ByteView rest() const { return data_; }

  Result<uint8_t> ReadU8();    // BYTE
  Result<uint16_t> ReadU16();  // SHORT
  Result<uint32_t> ReadU32();  // INT
  Result<uint64_t> ReadU64();  // CTR (top half)
  Result<uint16_t> ReadU16Le();
  Result<uint32_t> ReadU32Le();

  // Exactly `size` bytes (kTruncated if fewer remain).
  Result<ByteView> ReadBytes(size_t size);
  // All remaining bytes.
  ByteView ReadRest();

  // DATA: 4-byte length then that many bytes; kTooLarge above `max_size`.
  Result<ByteView> ReadData(size_t max_size);

  // MPI: 4-byte length then a big-endian unsigned value in minimal form
  // (kNonCanonical on a leading zero byte; zero is the empty string);
  // kTooLarge above `max_size` bytes.
  Result<ByteView> ReadMpi(size_t max_size);

  // kTrailingBytes unless everything has been read.
  Status ExpectEnd() const;

 private:
  ByteView data_;
};

}  // namespace otr::wire

#endif  // OTR_PROTOCOL_WIRE_READER_H_
