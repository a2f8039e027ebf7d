// Byte strings and views used across all layers.
#ifndef OTR_BASE_BYTES_H_
#define OTR_BASE_BYTES_H_

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace otr {

using Bytes = std::vector<uint8_t>;
using ByteView = std::span<const uint8_t>;
using MutableByteView = std::span<uint8_t>;

inline ByteView AsBytes(std::string_view s) {
  return ByteView(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

inline Bytes ToBytes(std::string_view s) {
  ByteView v = AsBytes(s);
  return Bytes(v.begin(), v.end());
}

}  // namespace otr

#endif  // OTR_BASE_BYTES_H_
