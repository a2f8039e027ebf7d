#include "protocol/wire/reader.h"

namespace otr::wire {
namespace {

Error Truncated() { return MakeError(ErrorCode::kTruncated, "Reader: input ends early"); }

}  // namespace

Result<ByteView> Reader::ReadBytes(size_t size) {
  if (size > data_.size()) return Truncated();
  ByteView out = data_.first(size);
  data_ = data_.subspan(size);
  return out;
}

ByteView Reader::ReadRest() {
  ByteView out = data_;
  data_ = ByteView();
  return out;
}

Result<uint8_t> Reader::ReadU8() {
  OTR_ASSIGN_OR_RETURN(ByteView b, ReadBytes(1));
  return b[0];
}

Result<uint16_t> Reader::ReadU16() {
  OTR_ASSIGN_OR_RETURN(ByteView b, ReadBytes(2));
  return static_cast<uint16_t>((b[0] << 8) | b[1]);
}

Result<uint32_t> Reader::ReadU32() {
  OTR_ASSIGN_OR_RETURN(ByteView b, ReadBytes(4));
  return (uint32_t{b[0]} << 24) | (uint32_t{b[1]} << 16) | (uint32_t{b[2]} << 8) | uint32_t{b[3]};
}

Result<uint64_t> Reader::ReadU64() {
  OTR_ASSIGN_OR_RETURN(ByteView b, ReadBytes(8));
  uint64_t v = 0;
  for (uint8_t byte : b) v = (v << 8) | byte;
  return v;
}

Result<uint16_t> Reader::ReadU16Le() {
  OTR_ASSIGN_OR_RETURN(ByteView b, ReadBytes(2));
  return static_cast<uint16_t>(b[0] | (b[1] << 8));
}

Result<uint32_t> Reader::ReadU32Le() {
  OTR_ASSIGN_OR_RETURN(ByteView b, ReadBytes(4));
  return uint32_t{b[0]} | (uint32_t{b[1]} << 8) | (uint32_t{b[2]} << 16) | (uint32_t{b[3]} << 24);
}

Result<ByteView> Reader::ReadData(size_t max_size) {
  OTR_ASSIGN_OR_RETURN(uint32_t size, ReadU32());
  if (size > max_size) return MakeError(ErrorCode::kTooLarge, "DATA longer than allowed");
  return ReadBytes(size);
}

Result<ByteView> Reader::ReadMpi(size_t max_size) {
  OTR_ASSIGN_OR_RETURN(uint32_t size, ReadU32());
  if (size > max_size) return MakeError(ErrorCode::kTooLarge, "MPI longer than allowed");
  OTR_ASSIGN_OR_RETURN(ByteView value, ReadBytes(size));
  if (!value.empty() && value[0] == 0) {
    return MakeError(ErrorCode::kNonCanonical, "MPI with a leading zero byte");
  }
  return value;
}

Status Reader::ExpectEnd() const {
  if (!data_.empty()) return MakeError(ErrorCode::kTrailingBytes, "bytes after the end");
  return Status::Ok();
}

}  // namespace otr::wire
