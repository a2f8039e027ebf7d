#include "protocol/wire/base64_avx2.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define OTR_BASE64_AVX2 1
#include <immintrin.h>
#endif

namespace otr::wire::internal {

#ifdef OTR_BASE64_AVX2

bool HaveAvx2() {
  static const bool have = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") != 0;
  }();
  return have;
}

namespace {

// Three bytes b0 b1 b2 to four 6-bit indices a b c d, in each 32-bit lane:
// the shuffle places b1 b0 b2 b1 (so the low 16 bits are b0:b1 and the high
// 16 bits b1:b2, both big-endian), then a multiply-high and a multiply-low
// move a and c, b and d into their own bytes.
__attribute__((target("avx2"))) __m256i Indices(__m256i bytes) {
  const __m256i spread = _mm256_shuffle_epi8(
      bytes, _mm256_setr_epi8(1, 0, 2, 1, 4, 3, 5, 4, 7, 6, 8, 7, 10, 9, 11, 10,  //
                              1, 0, 2, 1, 4, 3, 5, 4, 7, 6, 8, 7, 10, 9, 11, 10));
  const __m256i ac = _mm256_mulhi_epu16(_mm256_and_si256(spread, _mm256_set1_epi32(0x0fc0fc00)),
                                        _mm256_set1_epi32(0x04000040));
  const __m256i bd = _mm256_mullo_epi16(_mm256_and_si256(spread, _mm256_set1_epi32(0x003f03f0)),
                                        _mm256_set1_epi32(0x01000010));
  return _mm256_or_si256(ac, bd);
}

// Index to character by adding an offset picked by range: 0..25 'A',
// 26..51 'a' - 26, 52..61 '0' - 52, 62 '+' - 62, 63 '/' - 63.
__attribute__((target("avx2"))) __m256i Characters(__m256i indices) {
  // 0 for 0..51, 1..12 for 52..63; then 13 for 0..25.
  __m256i range = _mm256_subs_epu8(indices, _mm256_set1_epi8(51));
  const __m256i upper = _mm256_cmpgt_epi8(_mm256_set1_epi8(26), indices);
  range = _mm256_or_si256(range, _mm256_and_si256(upper, _mm256_set1_epi8(13)));
  const __m256i offsets =
      _mm256_setr_epi8('a' - 26, '0' - 52, '0' - 52, '0' - 52, '0' - 52, '0' - 52, '0' - 52,
                       '0' - 52, '0' - 52, '0' - 52, '0' - 52, '+' - 62, '/' - 63, 'A', 0, 0,  //
                       'a' - 26, '0' - 52, '0' - 52, '0' - 52, '0' - 52, '0' - 52, '0' - 52,
                       '0' - 52, '0' - 52, '0' - 52, '0' - 52, '+' - 62, '/' - 63, 'A', 0, 0);
  return _mm256_add_epi8(_mm256_shuffle_epi8(offsets, range), indices);
}

}  // namespace

__attribute__((target("avx2"))) size_t EncodeBase64Avx2(const uint8_t* in, size_t size, char* out) {
  size_t i = 0;
  for (; i + 28 <= size; i += 24, out += 32) {
    // 12 bytes for each 128-bit lane.
    const __m256i bytes =
        _mm256_set_m128i(_mm_loadu_si128(reinterpret_cast<const __m128i*>(in + i + 12)),
                         _mm_loadu_si128(reinterpret_cast<const __m128i*>(in + i)));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out), Characters(Indices(bytes)));
  }
  return i;
}

__attribute__((target("avx2"))) size_t DecodeBase64Avx2(const char* in, size_t size, uint8_t* out) {
  // Validity by nibbles: a character is outside the alphabet exactly when
  // kLow[its low nibble] & kHigh[its high nibble] != 0. Bit 0x10 marks the
  // high nibbles without any base64 character (0, 1, 8..f), 0x01 the
  // characters 0x20..0x2f other than '+' and '/', 0x02 ':'..'?', 0x04 '@'
  // and '`', 0x08 '['..'_' and '{'..0x7f.
  const __m256i low_classes = _mm256_setr_epi8(0x15, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11,
                                               0x11, 0x13, 0x1a, 0x1b, 0x1b, 0x1b, 0x1a,  //
                                               0x15, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11,
                                               0x11, 0x13, 0x1a, 0x1b, 0x1b, 0x1b, 0x1a);
  const __m256i high_classes = _mm256_setr_epi8(0x10, 0x10, 0x01, 0x02, 0x04, 0x08, 0x04, 0x08,
                                                0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10,  //
                                                0x10, 0x10, 0x01, 0x02, 0x04, 0x08, 0x04, 0x08,
                                                0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10);
  // Character to value by an offset picked by the high nibble, '/' (which
  // shares its high nibble with '+') by the entry before it.
  const __m256i offsets = _mm256_setr_epi8(
      0, 63 - '/', 62 - '+', 52 - '0', -'A', -'A', 26 - 'a', 26 - 'a', 0, 0, 0, 0, 0, 0, 0, 0,  //
      0, 63 - '/', 62 - '+', 52 - '0', -'A', -'A', 26 - 'a', 26 - 'a', 0, 0, 0, 0, 0, 0, 0, 0);
  const __m256i nibble = _mm256_set1_epi8(0x0f);
  size_t i = 0;
  for (; i + 40 <= size; i += 32, out += 24) {
    const __m256i chars = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(in + i));
    const __m256i high = _mm256_and_si256(_mm256_srli_epi32(chars, 4), nibble);
    const __m256i low = _mm256_and_si256(chars, nibble);
    const __m256i invalid = _mm256_and_si256(_mm256_shuffle_epi8(low_classes, low),
                                             _mm256_shuffle_epi8(high_classes, high));
    if (!_mm256_testz_si256(invalid, invalid)) break;
    const __m256i is_slash = _mm256_cmpeq_epi8(chars, _mm256_set1_epi8('/'));
    const __m256i values =
        _mm256_add_epi8(chars, _mm256_shuffle_epi8(offsets, _mm256_add_epi8(high, is_slash)));
    // a b c d (6 bits each) to a:b and c:d (12 bits), then to a:b:c:d.
    const __m256i pairs = _mm256_maddubs_epi16(values, _mm256_set1_epi32(0x01400140));
    const __m256i groups = _mm256_madd_epi16(pairs, _mm256_set1_epi32(0x00011000));
    // Each 32-bit lane holds 24 bits, little-endian: bytes 2 1 0 are the
    // output. 12 bytes per 128-bit lane, then the lanes side by side.
    const __m256i packed = _mm256_shuffle_epi8(
        groups, _mm256_setr_epi8(2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, -1, -1, -1, -1,  //
                                 2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, -1, -1, -1, -1));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out), _mm256_castsi256_si128(packed));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + 12), _mm256_extracti128_si256(packed, 1));
  }
  return i;
}

#else  // no AVX2 code for this target

bool HaveAvx2() { return false; }
size_t EncodeBase64Avx2(const uint8_t*, size_t, char*) { return 0; }
size_t DecodeBase64Avx2(const char*, size_t, uint8_t*) { return 0; }

#endif

}  // namespace otr::wire::internal
