#include "protocol/v3/tlv.h"

#include <algorithm>
#include <cstring>

#include "protocol/wire/reader.h"
#include "protocol/wire/tlv_records.h"
#include "protocol/wire/writer.h"

namespace otr::v3 {
namespace {

bool IsKnownType(uint16_t type) {
  return type <= static_cast<uint16_t>(TlvType::kExtraSymmetricKey);
}

Status ExpectEmpty(ByteView value) {
  if (!value.empty()) return MakeError(ErrorCode::kTrailingBytes, "TLV value must be empty");
  return Status::Ok();
}

template <typename T>
Result<Tlv> Wrap(Result<T> r) {
  if (!r.ok()) return r.error();
  return Tlv(std::move(r).value());
}

TlvRecord Record(TlvType type, Bytes value) {
  return TlvRecord{static_cast<uint16_t>(type), std::move(value)};
}

Result<TlvRecord> Checked(TlvRecord record) {
  if (record.value.size() > kMaxTlvValueSize) {
    return MakeError(ErrorCode::kTooLarge, "TLV value longer than 65535 bytes");
  }
  return record;
}

Result<TlvRecord> Encode(const Padding& t) { return Checked(Record(TlvType::kPadding, t.data)); }
Result<TlvRecord> Encode(const Disconnected&) { return Record(TlvType::kDisconnected, {}); }
Result<TlvRecord> Encode(const Smp1& t) { return Checked(Record(TlvType::kSmp1, EncodeSmp1(t))); }
Result<TlvRecord> Encode(const Smp2& t) { return Checked(Record(TlvType::kSmp2, EncodeSmp2(t))); }
Result<TlvRecord> Encode(const Smp3& t) { return Checked(Record(TlvType::kSmp3, EncodeSmp3(t))); }
Result<TlvRecord> Encode(const Smp4& t) { return Checked(Record(TlvType::kSmp4, EncodeSmp4(t))); }
Result<TlvRecord> Encode(const SmpAbort&) { return Record(TlvType::kSmpAbort, {}); }
Result<TlvRecord> Encode(const Smp1Q& t) {
  OTR_ASSIGN_OR_RETURN(Bytes value, EncodeSmp1Q(t));
  return Checked(Record(TlvType::kSmp1Q, std::move(value)));
}
Result<TlvRecord> Encode(const ExtraSymmetricKey& t) {
  wire::Writer writer;
  writer.WriteU32(t.use);
  writer.WriteBytes(t.use_data);
  return Checked(Record(TlvType::kExtraSymmetricKey, std::move(writer).Finish()));
}
Result<TlvRecord> Encode(const UnknownTlv& t) {
  if (IsKnownType(t.type)) {
    return MakeError(ErrorCode::kInvalidEncoding, "UnknownTlv with a defined type");
  }
  return Checked(TlvRecord{t.type, t.value});
}

}  // namespace

namespace {

// The records after the NUL, as views into the plaintext.
struct RecordView {
  uint16_t type = 0;
  ByteView value;
};

Result<std::vector<RecordView>> SplitRecords(ByteView records) {
  std::vector<RecordView> out;
  wire::Reader reader(records);
  while (!reader.empty()) {
    RecordView record;
    OTR_ASSIGN_OR_RETURN(record.type, reader.ReadU16());
    OTR_ASSIGN_OR_RETURN(uint16_t length, reader.ReadU16());
    OTR_ASSIGN_OR_RETURN(record.value, reader.ReadBytes(length));
    out.push_back(record);
  }
  return out;
}

// Checks the text, then writes it and the records (wire::WriteTextAndRecords).
Result<Bytes> EncodeParts(ByteView message, bool has_tlv_part, std::span<const TlvRecord> tlvs) {
  if (!message.empty() && std::memchr(message.data(), 0, message.size()) != nullptr) {
    return MakeError(ErrorCode::kInvalidEncoding, "message text contains NUL");
  }
  if (!tlvs.empty() && !has_tlv_part) {
    return MakeError(ErrorCode::kInvalidEncoding, "TLV records need the NUL separator");
  }
  return wire::WriteTextAndRecords(message, has_tlv_part, tlvs);
}

}  // namespace

Result<DataPayload> DecodeDataPayload(ByteView plaintext) {
  // memchr: the data path's largest scan (std::find does not vectorise).
  const void* found =
      plaintext.empty() ? nullptr : std::memchr(plaintext.data(), 0, plaintext.size());
  const size_t text_size =
      found == nullptr ? plaintext.size()
                       : static_cast<size_t>(static_cast<const uint8_t*>(found) - plaintext.data());
  // The records are checked before anything is copied: a payload that fails
  // leaves no partial copy of the plaintext in freed memory.
  std::vector<RecordView> records;
  if (found != nullptr) {
    OTR_ASSIGN_OR_RETURN(records, SplitRecords(plaintext.subspan(text_size + 1)));
  }
  DataPayload payload;
  payload.message.assign(plaintext.begin(), plaintext.begin() + text_size);
  payload.has_tlv_part = found != nullptr;
  payload.tlvs.reserve(records.size());
  for (const RecordView& record : records) {
    payload.tlvs.push_back(TlvRecord{record.type, Bytes(record.value.begin(), record.value.end())});
  }
  return payload;
}

Result<Bytes> EncodeDataPayload(const DataPayload& payload) {
  return EncodeParts(payload.message, payload.has_tlv_part, payload.tlvs);
}

Result<Bytes> EncodeDataPayload(ByteView message, bool has_tlv_part,
                                std::span<const TlvRecord> tlvs) {
  return EncodeParts(message, has_tlv_part, tlvs);
}

Result<Tlv> DecodeTlv(const TlvRecord& record) {
  ByteView value = record.value;
  if (!IsKnownType(record.type)) return Tlv(UnknownTlv{record.type, record.value});
  switch (static_cast<TlvType>(record.type)) {
    case TlvType::kPadding:
      return Tlv(Padding{record.value});
    case TlvType::kDisconnected:
      OTR_RETURN_IF_ERROR(ExpectEmpty(value));
      return Tlv(Disconnected{});
    case TlvType::kSmp1:
      return Wrap(DecodeSmp1(value));
    case TlvType::kSmp2:
      return Wrap(DecodeSmp2(value));
    case TlvType::kSmp3:
      return Wrap(DecodeSmp3(value));
    case TlvType::kSmp4:
      return Wrap(DecodeSmp4(value));
    case TlvType::kSmpAbort:
      OTR_RETURN_IF_ERROR(ExpectEmpty(value));
      return Tlv(SmpAbort{});
    case TlvType::kSmp1Q:
      return Wrap(DecodeSmp1Q(value));
    case TlvType::kExtraSymmetricKey: {
      wire::Reader reader(value);
      ExtraSymmetricKey key;
      OTR_ASSIGN_OR_RETURN(key.use, reader.ReadU32());
      ByteView rest = reader.ReadRest();
      key.use_data.assign(rest.begin(), rest.end());
      return Tlv(std::move(key));
    }
  }
  return Tlv(UnknownTlv{record.type, record.value});
}

Result<TlvRecord> EncodeTlv(const Tlv& tlv) {
  return std::visit([](const auto& t) { return Encode(t); }, tlv);
}

}  // namespace otr::v3
