#include "protocol/v4/messages/profile.h"

#include <algorithm>
#include <array>

#include "protocol/v3/data_types.h"

namespace otr::v4 {
namespace {

using Field = ClientProfileField;

constexpr std::array<Field, kClientProfileFieldTypes> kCanonicalOrder = {
    Field::kOwnerInstanceTag,
    Field::kEd448PublicKey,
    Field::kEd448ForgingKey,
    Field::kVersions,
    Field::kExpiration,
    Field::kDsaPublicKey,
    Field::kTransitionalSignature,
};

size_t FieldIndex(Field field) { return static_cast<size_t>(field) - 1; }

bool IsPresent(const ClientProfile& profile, Field field) {
  switch (field) {
    case Field::kDsaPublicKey:
      return profile.dsa_public_key.has_value();
    case Field::kTransitionalSignature:
      return profile.transitional_signature.has_value();
    default:
      return true;
  }
}

// field_order is used only when it names each present field exactly once.
bool IsUsableOrder(const ClientProfile& profile) {
  if (profile.field_order.empty()) return false;
  std::array<bool, kClientProfileFieldTypes> seen{};
  for (Field field : profile.field_order) {
    auto raw = static_cast<uint16_t>(field);
    if (raw < 1 || raw > kClientProfileFieldTypes) return false;
    if (seen[FieldIndex(field)] || !IsPresent(profile, field)) return false;
    seen[FieldIndex(field)] = true;
  }
  for (Field field : kCanonicalOrder) {
    if (IsPresent(profile, field) && !seen[FieldIndex(field)]) return false;
  }
  return true;
}

// The present fields in the order Encode writes them, without allocating
// (at most seven; profiles are written several times per DAKE).
class FieldOrder {
 public:
  void push_back(Field field) { fields_[size_++] = field; }
  const Field* begin() const { return fields_.data(); }
  const Field* end() const { return fields_.data() + size_; }
  size_t size() const { return size_; }
  friend bool operator==(const FieldOrder& a, const FieldOrder& b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end());
  }

 private:
  std::array<Field, kClientProfileFieldTypes> fields_{};
  size_t size_ = 0;
};

FieldOrder OrderOf(const ClientProfile& profile) {
  FieldOrder order;
  if (IsUsableOrder(profile)) {
    for (Field field : profile.field_order) order.push_back(field);
    return order;
  }
  for (Field field : kCanonicalOrder) {
    if (IsPresent(profile, field)) order.push_back(field);
  }
  return order;
}

// One field: its type (SHORT, big-endian), then its encoding.
void WriteField(wire::Writer& writer, const ClientProfile& profile, Field field) {
  writer.WriteU16(static_cast<uint16_t>(field));
  switch (field) {
    case Field::kOwnerInstanceTag:
      writer.WriteU32(profile.owner_instance_tag);
      break;
    case Field::kEd448PublicKey:
      WriteEd448Pubkey(writer, profile.public_key);
      break;
    case Field::kEd448ForgingKey:
      WriteEd448ForgingKey(writer, profile.forging_key);
      break;
    case Field::kVersions:
      WriteData(writer, AsBytes(profile.versions));
      break;
    case Field::kExpiration:
      writer.WriteU64(static_cast<uint64_t>(profile.expiration));
      break;
    case Field::kDsaPublicKey:
      v3::WritePubkey(writer, *profile.dsa_public_key);
      break;
    case Field::kTransitionalSignature:
      writer.WriteBytes(*profile.transitional_signature);
      break;
  }
}

Status ReadField(wire::Reader& reader, Field field, ClientProfile& profile) {
  switch (field) {
    case Field::kOwnerInstanceTag: {
      OTR_ASSIGN_OR_RETURN(uint32_t tag, reader.ReadU32());
      if (tag < wire::kMinInstanceTag) {
        return MakeError(ErrorCode::kInvalidInstanceTag, "client profile owner tag below 0x100");
      }
      profile.owner_instance_tag = tag;
      return Status::Ok();
    }
    case Field::kEd448PublicKey: {
      OTR_ASSIGN_OR_RETURN(profile.public_key, ReadEd448Pubkey(reader));
      return Status::Ok();
    }
    case Field::kEd448ForgingKey: {
      OTR_ASSIGN_OR_RETURN(profile.forging_key, ReadEd448ForgingKey(reader));
      return Status::Ok();
    }
    case Field::kVersions: {
      OTR_ASSIGN_OR_RETURN(ByteView versions, reader.ReadData(kMaxVersionsSize));
      profile.versions.assign(versions.begin(), versions.end());
      return Status::Ok();
    }
    case Field::kExpiration: {
      OTR_ASSIGN_OR_RETURN(uint64_t expiration, reader.ReadU64());
      profile.expiration = static_cast<int64_t>(expiration);
      return Status::Ok();
    }
    case Field::kDsaPublicKey: {
      OTR_ASSIGN_OR_RETURN(profile.dsa_public_key, v3::ReadPubkey(reader));
      return Status::Ok();
    }
    case Field::kTransitionalSignature: {
      OTR_ASSIGN_OR_RETURN(profile.transitional_signature,
                           ReadArray<kTransitionalSignatureSize>(reader));
      return Status::Ok();
    }
  }
  return MakeError(ErrorCode::kUnknownType, "client profile field type");
}

void WriteClientProfileBody(wire::Writer& writer, const ClientProfile& profile) {
  const FieldOrder order = OrderOf(profile);
  writer.WriteU32(static_cast<uint32_t>(order.size()));
  for (Field field : order) WriteField(writer, profile, field);
}

void WritePrekeyProfileBody(wire::Writer& writer, const PrekeyProfile& profile) {
  writer.WriteU32(profile.owner_instance_tag);
  writer.WriteU64(static_cast<uint64_t>(profile.expiration));
  WriteEd448SharedPrekey(writer, profile.shared_prekey);
}

}  // namespace

std::vector<ClientProfileField> ClientProfileFieldsInOrder(const ClientProfile& profile) {
  const FieldOrder order = OrderOf(profile);
  return std::vector<Field>(order.begin(), order.end());
}

Result<ClientProfile> ReadClientProfile(wire::Reader& reader) {
  OTR_ASSIGN_OR_RETURN(uint32_t count, reader.ReadU32());
  // No field may repeat, so there are at most seven.
  if (count > kClientProfileFieldTypes) {
    return MakeError(ErrorCode::kTooLarge, "client profile with more fields than types");
  }
  ClientProfile profile;
  std::array<bool, kClientProfileFieldTypes> seen{};
  FieldOrder order;
  for (uint32_t i = 0; i < count; ++i) {
    OTR_ASSIGN_OR_RETURN(uint16_t type, reader.ReadU16());
    if (type < 1 || type > kClientProfileFieldTypes) {
      return MakeError(ErrorCode::kUnknownType, "unknown client profile field type");
    }
    auto field = static_cast<Field>(type);
    if (seen[FieldIndex(field)]) {
      return MakeError(ErrorCode::kInvalidEncoding, "client profile field duplicated");
    }
    seen[FieldIndex(field)] = true;
    OTR_RETURN_IF_ERROR(ReadField(reader, field, profile));
    order.push_back(field);
  }
  for (size_t i = 0; i < FieldIndex(Field::kDsaPublicKey); ++i) {
    if (!seen[i]) {
      return MakeError(ErrorCode::kInvalidEncoding, "client profile lacks a mandatory field");
    }
  }
  // Keep the wire order only when it is not the canonical one (see
  // ClientProfile::field_order).
  if (!(order == OrderOf(profile))) profile.field_order.assign(order.begin(), order.end());
  OTR_ASSIGN_OR_RETURN(profile.signature, ReadEdDsaSignature(reader));
  return profile;
}

void WriteClientProfile(wire::Writer& writer, const ClientProfile& profile) {
  WriteClientProfileBody(writer, profile);
  WriteEdDsaSignature(writer, profile.signature);
}

Result<ClientProfile> DecodeClientProfile(ByteView bytes) {
  wire::Reader reader(bytes);
  OTR_ASSIGN_OR_RETURN(ClientProfile profile, ReadClientProfile(reader));
  OTR_RETURN_IF_ERROR(reader.ExpectEnd());
  return profile;
}

// A profile with a 1536-bit DSA key and its transitional signature is under
// 1 KB: one allocation for it or any part of it, not one per doubling.
constexpr size_t kClientProfileCapacity = 1024;

Bytes EncodeClientProfile(const ClientProfile& profile) {
  wire::Writer writer;
  writer.Reserve(kClientProfileCapacity);
  WriteClientProfile(writer, profile);
  return std::move(writer).Finish();
}

Bytes ClientProfileSignedBytes(const ClientProfile& profile) {
  wire::Writer writer;
  writer.Reserve(kClientProfileCapacity);
  WriteClientProfileBody(writer, profile);
  return std::move(writer).Finish();
}

Bytes ClientProfileTransitionalSignedBytes(const ClientProfile& profile) {
  wire::Writer writer;
  writer.Reserve(kClientProfileCapacity);
  for (Field field : OrderOf(profile)) {
    if (field != Field::kTransitionalSignature) WriteField(writer, profile, field);
  }
  return std::move(writer).Finish();
}

Result<PrekeyProfile> ReadPrekeyProfile(wire::Reader& reader) {
  PrekeyProfile profile;
  OTR_ASSIGN_OR_RETURN(uint32_t tag, reader.ReadU32());
  if (tag < wire::kMinInstanceTag) {
    return MakeError(ErrorCode::kInvalidInstanceTag, "prekey profile owner tag below 0x100");
  }
  profile.owner_instance_tag = tag;
  OTR_ASSIGN_OR_RETURN(uint64_t expiration, reader.ReadU64());
  profile.expiration = static_cast<int64_t>(expiration);
  OTR_ASSIGN_OR_RETURN(profile.shared_prekey, ReadEd448SharedPrekey(reader));
  OTR_ASSIGN_OR_RETURN(profile.signature, ReadEdDsaSignature(reader));
  return profile;
}

void WritePrekeyProfile(wire::Writer& writer, const PrekeyProfile& profile) {
  WritePrekeyProfileBody(writer, profile);
  WriteEdDsaSignature(writer, profile.signature);
}

Result<PrekeyProfile> DecodePrekeyProfile(ByteView bytes) {
  wire::Reader reader(bytes);
  OTR_ASSIGN_OR_RETURN(PrekeyProfile profile, ReadPrekeyProfile(reader));
  OTR_RETURN_IF_ERROR(reader.ExpectEnd());
  return profile;
}

Bytes EncodePrekeyProfile(const PrekeyProfile& profile) {
  wire::Writer writer;
  writer.Reserve(kPrekeyProfileSize);
  WritePrekeyProfile(writer, profile);
  return std::move(writer).Finish();
}

Bytes PrekeyProfileSignedBytes(const PrekeyProfile& profile) {
  wire::Writer writer;
  writer.Reserve(kPrekeyProfileSize);
  WritePrekeyProfileBody(writer, profile);
  return std::move(writer).Finish();
}

}  // namespace otr::v4
