#include "protocol/wire/base64.h"

#include <array>
#include <cstdint>

namespace otr::wire {
namespace {

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr uint8_t kInvalid = 0xff;

constexpr std::array<uint8_t, 256> MakeDecodeTable() {
  std::array<uint8_t, 256> table{};
  for (auto& entry : table) entry = kInvalid;
  for (size_t i = 0; i < kAlphabet.size(); ++i) {
    table[static_cast<uint8_t>(kAlphabet[i])] = static_cast<uint8_t>(i);
  }
  return table;
}

constexpr std::array<uint8_t, 256> kDecodeTable = MakeDecodeTable();

}  // namespace

std::string EncodeBase64(ByteView data) {
  std::string out;
  out.reserve(Base64EncodedSize(data.size()));
  size_t i = 0;
  for (; i + 3 <= data.size(); i += 3) {
    uint32_t group = (uint32_t{data[i]} << 16) | (uint32_t{data[i + 1]} << 8) | data[i + 2];
    out.push_back(kAlphabet[(group >> 18) & 0x3f]);
    out.push_back(kAlphabet[(group >> 12) & 0x3f]);
    out.push_back(kAlphabet[(group >> 6) & 0x3f]);
    out.push_back(kAlphabet[group & 0x3f]);
  }
  size_t left = data.size() - i;
  if (left == 1) {
    uint32_t group = uint32_t{data[i]} << 16;
    out.push_back(kAlphabet[(group >> 18) & 0x3f]);
    out.push_back(kAlphabet[(group >> 12) & 0x3f]);
    out.append("==");
  } else if (left == 2) {
    uint32_t group = (uint32_t{data[i]} << 16) | (uint32_t{data[i + 1]} << 8);
    out.push_back(kAlphabet[(group >> 18) & 0x3f]);
    out.push_back(kAlphabet[(group >> 12) & 0x3f]);
    out.push_back(kAlphabet[(group >> 6) & 0x3f]);
    out.push_back('=');
  }
  return out;
}

Result<Bytes> DecodeBase64(std::string_view text) {
  if (text.size() % 4 != 0) {
    return MakeError(ErrorCode::kInvalidEncoding, "base64 length not a multiple of 4");
  }
  Bytes out;
  out.reserve(text.size() / 4 * 3);
  for (size_t i = 0; i < text.size(); i += 4) {
    const bool last = i + 4 == text.size();
    // Padding may only appear in the last group, as "xx==" or "xxx=".
    size_t pad = 0;
    if (last && text[i + 3] == '=') pad = text[i + 2] == '=' ? 2 : 1;
    uint32_t group = 0;
    for (size_t j = 0; j < 4 - pad; ++j) {
      uint8_t value = kDecodeTable[static_cast<uint8_t>(text[i + j])];
      if (value == kInvalid) {
        return MakeError(ErrorCode::kInvalidEncoding, "byte outside the base64 alphabet");
      }
      group |= uint32_t{value} << (18 - 6 * j);
    }
    out.push_back(static_cast<uint8_t>(group >> 16));
    if (pad < 2) out.push_back(static_cast<uint8_t>(group >> 8));
    if (pad < 1) out.push_back(static_cast<uint8_t>(group));
    // RFC 4648 section 3.5: the bits that padding leaves over must be zero.
    const uint32_t spare = pad == 2 ? 0xffff : pad == 1 ? 0xff : 0;
    if ((group & spare) != 0) {
      return MakeError(ErrorCode::kNonCanonical, "non-zero base64 pad bits");
    }
  }
  return out;
}

}  // namespace otr::wire
