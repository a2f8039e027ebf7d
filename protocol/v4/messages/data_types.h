// The data types of OTRv4 (otrv4.md, "Data Types"; "Encoding and Decoding";
// "Public keys, Shared Prekeys, Forging keys and Fingerprints") as bytes on
// the wire, read and written through protocol/wire's bounded Reader/Writer.
//
// This layer is crypto-free: a POINT travels as its 57 encoded bytes
// (crypto::Ed448Encoding), undecoded; the layer above validates it with
// crypto::Backend::Ed448Decode ("Verifying that a point is on the curve").
// A SCALAR is its 57 little-endian bytes (reduced mod q by whoever uses it,
// "Scalar"). An MPI is its minimal big-endian value.
#ifndef OTR_PROTOCOL_V4_MESSAGES_DATA_TYPES_H_
#define OTR_PROTOCOL_V4_MESSAGES_DATA_TYPES_H_

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>

#include "base/bytes.h"
#include "base/inline_bytes.h"
#include "base/result.h"
#include "crypto/backend.h"
#include "protocol/wire/reader.h"
#include "protocol/wire/writer.h"

namespace otr::v4 {

// "The version number of this protocol is 0x0004."
inline constexpr uint16_t kProtocolVersion = 0x0004;

inline constexpr size_t kPointSize = crypto::kEd448PointSize;  // POINT: 57 bytes
inline constexpr size_t kScalarSize = 57;                      // SCALAR: 57 bytes
inline constexpr size_t kNonceSize = 12;                       // NONCE: 12 bytes
inline constexpr size_t kMacSize = 64;                         // MAC: 64 bytes
// EDDSA signature (CLIENT-EDDSA-SIG, PREKEY-EDDSA-SIG): "114 bytes".
inline constexpr size_t kEdDsaSignatureSize = 114;
// The 3072-bit group of "3072-bit Diffie-Hellman Parameters": a group element
// (an MPI such as A, B or the Data Message's public DH key) is at most 384
// bytes.
inline constexpr size_t kDhModulusSize = 3072 / 8;

// An MPI of v4 is a 3072-bit group element (A, B, a Data Message's public
// DH key), at most 384 bytes: held inline (decision 0055). The same type as
// crypto::DhPublic.
using Mpi = InlineBytes<kDhModulusSize>;

using Point = crypto::Ed448Encoding;
using Scalar = std::array<uint8_t, kScalarSize>;
using Nonce = std::array<uint8_t, kNonceSize>;
using Mac = std::array<uint8_t, kMacSize>;
using EdDsaSignature = std::array<uint8_t, kEdDsaSignatureSize>;

// Key types ("Public keys, Shared Prekeys, Forging keys and Fingerprints"):
// "2 byte unsigned value, little-endian".
inline constexpr uint16_t kPubkeyTypeEd448 = 0x0010;        // ED448-PUBKEY
inline constexpr uint16_t kSharedPrekeyTypeEd448 = 0x0011;  // ED448-SHARED-PREKEY
inline constexpr uint16_t kForgingKeyTypeEd448 = 0x0012;    // ED448-FORGING-KEY

// A fixed-size field of N bytes.
template <size_t N>
Result<std::array<uint8_t, N>> ReadArray(wire::Reader& reader) {
  OTR_ASSIGN_OR_RETURN(ByteView bytes, reader.ReadBytes(N));
  std::array<uint8_t, N> out;
  // One copy (ReadBytes checked the length), not a checked index per byte.
  std::copy_n(bytes.data(), N, out.data());
  return out;
}

// POINT, SCALAR, NONCE, MAC: fixed sizes, any bytes.
inline Result<Point> ReadPoint(wire::Reader& reader) { return ReadArray<kPointSize>(reader); }
inline Result<Scalar> ReadScalar(wire::Reader& reader) { return ReadArray<kScalarSize>(reader); }
inline Result<Nonce> ReadNonce(wire::Reader& reader) { return ReadArray<kNonceSize>(reader); }
inline Result<Mac> ReadMac(wire::Reader& reader) { return ReadArray<kMacSize>(reader); }
inline Result<EdDsaSignature> ReadEdDsaSignature(wire::Reader& reader) {
  return ReadArray<kEdDsaSignatureSize>(reader);
}
inline void WritePoint(wire::Writer& writer, const Point& p) { writer.WriteBytes(p); }
inline void WriteScalar(wire::Writer& writer, const Scalar& s) { writer.WriteBytes(s); }
inline void WriteNonce(wire::Writer& writer, const Nonce& n) { writer.WriteBytes(n); }
inline void WriteMac(wire::Writer& writer, const Mac& m) { writer.WriteBytes(m); }
inline void WriteEdDsaSignature(wire::Writer& writer, const EdDsaSignature& s) {
  writer.WriteBytes(s);
}

// MPI: minimal big-endian (kNonCanonical on a leading zero byte), at most
// kDhModulusSize bytes (kTooLarge).
Result<Mpi> ReadMpi(wire::Reader& reader);
// Precondition for a round trip: `value` has no leading zero byte (the writer
// drops them, so the bytes always decode).
inline void WriteMpi(wire::Writer& writer, ByteView value) { writer.WriteMpi(value); }

// DATA: 4-byte length then the bytes; kTooLarge above `max_size`.
Result<Bytes> ReadData(wire::Reader& reader, size_t max_size);
inline void WriteData(wire::Writer& writer, ByteView value) { writer.WriteData(value); }

// ED448-PUBKEY, ED448-FORGING-KEY, ED448-SHARED-PREKEY: the little-endian
// type, then the POINT. kUnknownType when the type is not the expected one.
Result<Point> ReadEd448Pubkey(wire::Reader& reader);
Result<Point> ReadEd448ForgingKey(wire::Reader& reader);
Result<Point> ReadEd448SharedPrekey(wire::Reader& reader);
void WriteEd448Pubkey(wire::Writer& writer, const Point& h);
void WriteEd448ForgingKey(wire::Writer& writer, const Point& f);
void WriteEd448SharedPrekey(wire::Writer& writer, const Point& d);

}  // namespace otr::v4

#endif  // OTR_PROTOCOL_V4_MESSAGES_DATA_TYPES_H_
