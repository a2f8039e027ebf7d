// The bulk of base64 with AVX2 (32 characters per step), for the armour of
// long Data Messages (issue 9). base64.cc calls these when the CPU has AVX2
// and finishes the tail, the padding and any error with its portable code.
// The method is the vectorised one of Muła and Lemire, "Faster Base64
// Encoding and Decoding Using AVX2 Instructions" (ACM TWEB 2018).
#ifndef OTR_PROTOCOL_WIRE_BASE64_AVX2_H_
#define OTR_PROTOCOL_WIRE_BASE64_AVX2_H_

#include <cstddef>
#include <cstdint>

namespace otr::wire::internal {

// True when the running CPU has AVX2 (checked once).
bool HaveAvx2();

// Encodes whole 24-byte blocks of `in` while at least 28 bytes remain
// (each step reads 28); writes 32 characters per block to `out`. Returns
// the number of input bytes consumed (a multiple of 24).
size_t EncodeBase64Avx2(const uint8_t* in, size_t size, char* out);

// Decodes whole 32-character blocks while at least 40 characters remain
// (the last group, which may hold padding, is never touched); writes 24
// bytes per block to `out`, which must have room for 4 more bytes after
// the last block's. Stops before the first block holding a character
// outside the alphabet. Returns the number of characters consumed.
size_t DecodeBase64Avx2(const char* in, size_t size, uint8_t* out);

}  // namespace otr::wire::internal

#endif  // OTR_PROTOCOL_WIRE_BASE64_AVX2_H_
