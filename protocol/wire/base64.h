// Strict base64 (RFC 4648 section 4: standard alphabet, '=' padding) for the
// OTR armour ("?OTR:" base64 "."; v2/v3 spec "Encoded messages").
//
// Our own small codec rather than OpenSSL's EVP_DecodeBlock: EVP_DecodeBlock
// returns a length that includes the zero bytes standing for padding, skips
// leading/trailing whitespace and accepts non-zero pad bits, so a total,
// canonical decoder would have to re-check everything it does. This one has
// exactly one accepted encoding per byte string (RFC 4648 section 3.5: pad
// bits must be zero), which makes encode(decode(s)) == s hold for every
// string it accepts.
#ifndef OTR_PROTOCOL_WIRE_BASE64_H_
#define OTR_PROTOCOL_WIRE_BASE64_H_

#include <string>
#include <string_view>

#include "base/bytes.h"
#include "base/result.h"

namespace otr::wire {

// Length of the base64 text for `size` bytes (padded to a multiple of 4).
constexpr size_t Base64EncodedSize(size_t size) { return (size + 2) / 3 * 4; }

std::string EncodeBase64(ByteView data);
// Appends the encoding of `data` to `out` (one allocation for the armour).
void AppendBase64(ByteView data, std::string& out);

// kInvalidEncoding: length not a multiple of 4, a byte outside the alphabet,
// or misplaced '='. kNonCanonical: non-zero pad bits.
Result<Bytes> DecodeBase64(std::string_view text);

namespace internal {
// The same, with the AVX2 bulk code (base64_avx2.h) on or off, so tests
// can check both paths on one machine. `avx2` requires HaveAvx2().
void AppendBase64With(ByteView data, std::string& out, bool avx2);
Result<Bytes> DecodeBase64With(std::string_view text, bool avx2);
}  // namespace internal

}  // namespace otr::wire

#endif  // OTR_PROTOCOL_WIRE_BASE64_H_
