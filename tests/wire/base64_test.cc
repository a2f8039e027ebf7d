// The base64 codec's two paths (portable, and the AVX2 bulk code where the
// CPU has it) against a bit-by-bit reference of RFC 4648 section 4, at every
// length around the AVX2 block sizes and with every byte value at every
// position of long inputs.
#include "protocol/wire/base64.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "protocol/wire/base64_avx2.h"

namespace otr::wire {
namespace {

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string ReferenceEncode(ByteView data) {
  std::string out;
  for (size_t bit = 0; bit < data.size() * 8; bit += 6) {
    unsigned value = 0;
    for (size_t j = 0; j < 6; ++j) {
      const size_t b = bit + j;
      const unsigned v = b < data.size() * 8 ? (data[b / 8] >> (7 - b % 8)) & 1 : 0;
      value = (value << 1) | v;
    }
    out.push_back(kAlphabet[value]);
  }
  while (out.size() % 4 != 0) out.push_back('=');
  return out;
}

std::vector<bool> Paths() {
  std::vector<bool> paths = {false};
  if (internal::HaveAvx2()) paths.push_back(true);
  return paths;
}

Bytes RandomData(std::mt19937& rng, size_t size) {
  Bytes out(size);
  for (uint8_t& b : out) b = static_cast<uint8_t>(rng());
  return out;
}

TEST(Base64PathsTest, RoundTripEveryLengthUpTo300) {
  std::mt19937 rng(1);
  for (size_t size = 0; size <= 300; ++size) {
    const Bytes data = RandomData(rng, size);
    const std::string expected = ReferenceEncode(data);
    for (bool avx2 : Paths()) {
      SCOPED_TRACE(testing::Message() << "size " << size << " avx2 " << avx2);
      std::string encoded = "prefix";
      internal::AppendBase64With(data, encoded, avx2);
      ASSERT_EQ(encoded, "prefix" + expected);
      auto decoded = internal::DecodeBase64With(expected, avx2);
      ASSERT_TRUE(decoded.ok());
      ASSERT_EQ(*decoded, data);
    }
  }
}

TEST(Base64PathsTest, LongInputs) {
  std::mt19937 rng(2);
  for (size_t size : {size_t{1000}, size_t{16384}, size_t{16615}, size_t{65537}}) {
    const Bytes data = RandomData(rng, size);
    const std::string expected = ReferenceEncode(data);
    for (bool avx2 : Paths()) {
      std::string encoded;
      internal::AppendBase64With(data, encoded, avx2);
      EXPECT_EQ(encoded, expected) << size << " " << avx2;
      auto decoded = internal::DecodeBase64With(expected, avx2);
      ASSERT_TRUE(decoded.ok());
      EXPECT_EQ(*decoded, data) << size << " " << avx2;
    }
  }
}

// Every byte value at every position of a 132-character text (several AVX2
// blocks, then the portable tail): accepted exactly when it is in the
// alphabet (or is correct padding), with the reference's value.
TEST(Base64PathsTest, EveryByteAtEveryPosition) {
  std::mt19937 rng(3);
  const Bytes data = RandomData(rng, 99);
  const std::string text = ReferenceEncode(data);
  ASSERT_EQ(text.size(), 132u);
  for (bool avx2 : Paths()) {
    for (size_t pos = 0; pos < text.size(); ++pos) {
      for (int c = 0; c < 256; ++c) {
        std::string changed = text;
        changed[pos] = static_cast<char>(c);
        const bool in_alphabet = kAlphabet.find(static_cast<char>(c)) != std::string_view::npos;
        auto decoded = internal::DecodeBase64With(changed, avx2);
        if (c == '=' && pos == text.size() - 1) {
          // Padding: accepted or refused for its pad bits, by both paths alike.
          auto portable = internal::DecodeBase64With(changed, false);
          ASSERT_EQ(decoded.ok(), portable.ok());
          if (!decoded.ok()) {
            ASSERT_EQ(decoded.code(), ErrorCode::kNonCanonical);
          }
          continue;
        }
        if (in_alphabet) {
          ASSERT_TRUE(decoded.ok()) << pos << " " << c << " " << avx2;
          ASSERT_EQ(ReferenceEncode(*decoded), changed) << pos << " " << c << " " << avx2;
        } else {
          ASSERT_FALSE(decoded.ok()) << pos << " " << c << " " << avx2;
          ASSERT_EQ(decoded.code(), ErrorCode::kInvalidEncoding) << pos << " " << c;
        }
      }
    }
  }
}

TEST(Base64PathsTest, PaddingAndPadBitsAfterLongPrefix) {
  const std::string prefix(96, 'A');
  for (bool avx2 : Paths()) {
    EXPECT_TRUE(internal::DecodeBase64With(prefix + "Zg==", avx2).ok());
    EXPECT_EQ(internal::DecodeBase64With(prefix + "Zh==", avx2).code(), ErrorCode::kNonCanonical);
    EXPECT_EQ(internal::DecodeBase64With(prefix + "Zg==" + "AAAA", avx2).code(),
              ErrorCode::kInvalidEncoding);
    EXPECT_EQ(internal::DecodeBase64With("Zg==" + prefix, avx2).code(),
              ErrorCode::kInvalidEncoding);
  }
}

}  // namespace
}  // namespace otr::wire
