#include "protocol/v4/libotr_ng/client_profile.h"

#include <utility>

#include "protocol/wire/reader.h"

namespace otr::v4::libotr_ng {
namespace {

constexpr size_t kPointSize = 57;
constexpr size_t kMaxMpiSize = 1024;  // a DSA parameter; far above 3072 bits
constexpr size_t kMaxFields = 16;

// A read whose value is not needed: its error, if any.
template <typename T>
Status Skip(const Result<T>& read) {
  if (!read.ok()) return read.error();
  return Status::Ok();
}

// Walks the fields (count, then each field) at the start of `fields` and
// swaps the two bytes of the key type of fields 0x0002 and 0x0003 in `out`
// (a copy of the bytes walked). `from_spec`: the input's key types are
// little-endian (the spec's). Bytes after the last field are left unread.
Result<Bytes> WalkAndSwapKeyTypes(ByteView fields, bool from_spec) {
  Bytes out(fields.begin(), fields.end());
  wire::Reader r(fields);
  OTR_ASSIGN_OR_RETURN(const uint32_t count, r.ReadU32());
  if (count > kMaxFields) {
    return MakeError(ErrorCode::kOutOfRange, "Client Profile: too many fields");
  }
  for (uint32_t i = 0; i < count; ++i) {
    OTR_ASSIGN_OR_RETURN(const uint16_t type, r.ReadU16());
    switch (static_cast<ClientProfileField>(type)) {
      case ClientProfileField::kOwnerInstanceTag:
        OTR_RETURN_IF_ERROR(Skip(r.ReadBytes(4)));
        break;
      case ClientProfileField::kEd448PublicKey:
      case ClientProfileField::kEd448ForgingKey: {
        const size_t at = fields.size() - r.remaining();
        OTR_ASSIGN_OR_RETURN(const uint16_t key_type, from_spec ? r.ReadU16Le() : r.ReadU16());
        const uint16_t expected = type == 0x0002 ? 0x0010 : 0x0012;
        if (key_type != expected) {
          return MakeError(ErrorCode::kUnknownType, "Client Profile: unexpected key type");
        }
        std::swap(out[at], out[at + 1]);
        OTR_RETURN_IF_ERROR(Skip(r.ReadBytes(kPointSize)));
        break;
      }
      case ClientProfileField::kVersions:
        OTR_RETURN_IF_ERROR(Skip(r.ReadData(kMaxVersionsSize)));
        break;
      case ClientProfileField::kExpiration:
        OTR_RETURN_IF_ERROR(Skip(r.ReadBytes(8)));
        break;
      case ClientProfileField::kDsaPublicKey:
        OTR_RETURN_IF_ERROR(Skip(r.ReadU16()));  // the OTRv3 key type
        for (int mpi = 0; mpi < 4; ++mpi) OTR_RETURN_IF_ERROR(Skip(r.ReadMpi(kMaxMpiSize)));
        break;
      case ClientProfileField::kTransitionalSignature:
        OTR_RETURN_IF_ERROR(Skip(r.ReadBytes(kTransitionalSignatureSize)));
        break;
      default:
        return MakeError(ErrorCode::kUnknownType, "Client Profile: unknown field");
    }
  }
  out.resize(fields.size() - r.remaining());
  return out;
}

Result<Bytes> SwapKeyTypes(ByteView fields, bool from_spec) {
  OTR_ASSIGN_OR_RETURN(Bytes out, WalkAndSwapKeyTypes(fields, from_spec));
  if (out.size() != fields.size()) {
    return MakeError(ErrorCode::kTrailingBytes, "Client Profile: bytes after the fields");
  }
  return out;
}

}  // namespace

Result<Bytes> FieldsToLibotrNg(ByteView spec_fields) { return SwapKeyTypes(spec_fields, true); }
Result<Bytes> FieldsFromLibotrNg(ByteView libotr_ng_fields) {
  return SwapKeyTypes(libotr_ng_fields, false);
}

Result<Bytes> ReadClientProfileBytes(wire::Reader& reader) {
  const ByteView rest = reader.rest();
  OTR_ASSIGN_OR_RETURN(const Bytes fields, WalkAndSwapKeyTypes(rest, false));
  OTR_ASSIGN_OR_RETURN(const ByteView all,
                       reader.ReadBytes(fields.size() + crypto::kEd448SignatureSize));
  return Bytes(all.begin(), all.end());
}

Result<ClientProfile> DecodeAndVerifyClientProfile(const crypto::Backend& backend, ByteView bytes) {
  if (bytes.size() < crypto::kEd448SignatureSize) {
    return MakeError(ErrorCode::kTruncated, "libotr-ng Client Profile: no signature");
  }
  const ByteView fields = bytes.first(bytes.size() - crypto::kEd448SignatureSize);
  const ByteView signature = bytes.last(crypto::kEd448SignatureSize);
  OTR_ASSIGN_OR_RETURN(Bytes spec_bytes, FieldsFromLibotrNg(fields));
  spec_bytes.insert(spec_bytes.end(), signature.begin(), signature.end());
  OTR_ASSIGN_OR_RETURN(ClientProfile profile, DecodeClientProfile(spec_bytes));
  // As VerifyClientProfileSignature: H decoded and validated first.
  OTR_RETURN_IF_ERROR(Skip(backend.Ed448Decode(profile.public_key)));
  OTR_RETURN_IF_ERROR(backend.Ed448Verify(profile.public_key, fields, signature));
  return profile;
}

Result<Bytes> EncodeAndSignClientProfile(const crypto::Backend& backend,
                                         const crypto::SecretBytes& sym_h,
                                         const ClientProfile& profile) {
  OTR_ASSIGN_OR_RETURN(Bytes fields, FieldsToLibotrNg(ClientProfileSignedBytes(profile)));
  OTR_ASSIGN_OR_RETURN(const Bytes signature, backend.Ed448Sign(sym_h, fields));
  fields.insert(fields.end(), signature.begin(), signature.end());
  return fields;
}

}  // namespace otr::v4::libotr_ng
