#include "protocol/wire/base64.h"

#include <array>
#include <bit>
#include <cstdint>
#include <cstring>

#include "protocol/wire/base64_avx2.h"

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

// The hot path of data messages (issue 9): two output characters per
// lookup when encoding, and when decoding one lookup per character into a
// value already shifted into place, an invalid character setting bit 24 or
// above so that one test per group of four finds it.
constexpr std::array<uint16_t, 4096> MakePairTable() {
  std::array<uint16_t, 4096> table{};
  for (size_t i = 0; i < table.size(); ++i) {
    // Little-endian in memory: the first character in the low byte.
    table[i] = static_cast<uint16_t>(static_cast<uint8_t>(kAlphabet[i >> 6]) |
                                     (static_cast<uint8_t>(kAlphabet[i & 0x3f]) << 8));
  }
  return table;
}

constexpr std::array<uint16_t, 4096> kPairTable = MakePairTable();

constexpr uint32_t kInvalidShifted = 0x1000000;

constexpr std::array<uint32_t, 256> MakeShiftedTable(int shift) {
  std::array<uint32_t, 256> table{};
  for (size_t i = 0; i < table.size(); ++i) {
    table[i] = kDecodeTable[i] == kInvalid ? kInvalidShifted : uint32_t{kDecodeTable[i]} << shift;
  }
  return table;
}

constexpr std::array<uint32_t, 256> kDecode18 = MakeShiftedTable(18);
constexpr std::array<uint32_t, 256> kDecode12 = MakeShiftedTable(12);
constexpr std::array<uint32_t, 256> kDecode6 = MakeShiftedTable(6);
constexpr std::array<uint32_t, 256> kDecode0 = MakeShiftedTable(0);

void PutPair(char* out, uint32_t twelve_bits) {
  const uint16_t pair = kPairTable[twelve_bits];
  out[0] = static_cast<char>(pair & 0xff);
  out[1] = static_cast<char>(pair >> 8);
}

}  // namespace

std::string EncodeBase64(ByteView data) {
  std::string out;
  AppendBase64(data, out);
  return out;
}

void AppendBase64(ByteView data, std::string& out) {
  internal::AppendBase64With(data, out, internal::HaveAvx2());
}

Result<Bytes> DecodeBase64(std::string_view text) {
  return internal::DecodeBase64With(text, internal::HaveAvx2());
}

namespace internal {

void AppendBase64With(ByteView data, std::string& out, bool avx2) {
  const size_t start = out.size();
  out.resize(start + Base64EncodedSize(data.size()));
  char* o = out.data() + start;
  const uint8_t* in = data.data();
  size_t i = 0;
  if (avx2) {
    i = EncodeBase64Avx2(in, data.size(), o);
    o += i / 3 * 4;
  }
  if constexpr (std::endian::native == std::endian::little) {
    // Six bytes to eight characters per step, from one 8-byte load.
    for (; i + 8 <= data.size(); i += 6, o += 8) {
      uint64_t word;
      std::memcpy(&word, in + i, sizeof word);
      const uint64_t bits = __builtin_bswap64(word) >> 16;  // the six bytes, big-endian
      const uint64_t chars = uint64_t{kPairTable[(bits >> 36) & 0xfff]} |
                             (uint64_t{kPairTable[(bits >> 24) & 0xfff]} << 16) |
                             (uint64_t{kPairTable[(bits >> 12) & 0xfff]} << 32) |
                             (uint64_t{kPairTable[bits & 0xfff]} << 48);
      std::memcpy(o, &chars, sizeof chars);
    }
  }
  for (; i + 3 <= data.size(); i += 3, o += 4) {
    const uint32_t group = (uint32_t{in[i]} << 16) | (uint32_t{in[i + 1]} << 8) | in[i + 2];
    PutPair(o, group >> 12);
    PutPair(o + 2, group & 0xfff);
  }
  const size_t left = data.size() - i;
  if (left == 1) {
    const uint32_t group = uint32_t{in[i]} << 16;
    PutPair(o, group >> 12);
    o[2] = '=';
    o[3] = '=';
  } else if (left == 2) {
    const uint32_t group = (uint32_t{in[i]} << 16) | (uint32_t{in[i + 1]} << 8);
    PutPair(o, group >> 12);
    o[2] = kAlphabet[(group >> 6) & 0x3f];
    o[3] = '=';
  }
}

Result<Bytes> DecodeBase64With(std::string_view text, bool avx2) {
  if (text.size() % 4 != 0) {
    return MakeError(ErrorCode::kInvalidEncoding, "base64 length not a multiple of 4");
  }
  Bytes out(text.size() / 4 * 3);
  uint8_t* o = out.data();
  const auto* in = reinterpret_cast<const uint8_t*>(text.data());
  size_t i = 0;
  if (avx2) {
    // Stops before a block with a bad character, which the loop below finds.
    i = DecodeBase64Avx2(text.data(), text.size(), o);
    o += i / 4 * 3;
  }
  // Every group but the last: no padding allowed.
  for (; i + 4 < text.size(); i += 4, o += 3) {
    const uint32_t group =
        kDecode18[in[i]] | kDecode12[in[i + 1]] | kDecode6[in[i + 2]] | kDecode0[in[i + 3]];
    if (group >= kInvalidShifted) {
      return MakeError(ErrorCode::kInvalidEncoding, "byte outside the base64 alphabet");
    }
    o[0] = static_cast<uint8_t>(group >> 16);
    o[1] = static_cast<uint8_t>(group >> 8);
    o[2] = static_cast<uint8_t>(group);
  }
  out.resize(static_cast<size_t>(o - out.data()));
  for (; i < text.size(); i += 4) {
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

}  // namespace internal
}  // namespace otr::wire
