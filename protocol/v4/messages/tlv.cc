#include "protocol/v4/messages/tlv.h"

#include <cstddef>
#include <cstring>
#include <type_traits>

#include "protocol/wire/tlv_records.h"

namespace otr::v4 {
namespace {

bool IsListedType(uint16_t type) {
  return type <= static_cast<uint16_t>(TlvType::kExtraSymmetricKey);
}

// True when `tail` cannot be framed as a record: fewer than 4 bytes, or a
// Length beyond its end.
bool IsIncomplete(ByteView tail) {
  if (tail.size() < 4) return !tail.empty();
  size_t length = (size_t{tail[2]} << 8) | tail[3];
  return length > tail.size() - 4;
}

template <typename T>
Result<Tlv> Wrap(Result<T> r) {
  if (!r.ok()) return r.error();
  return Tlv(std::move(r).value());
}

Result<TlvRecord> Checked(TlvType type, Bytes value) {
  if (value.size() > kMaxTlvValueSize) {
    return MakeError(ErrorCode::kTooLarge, "TLV value longer than 65535 bytes");
  }
  return TlvRecord{static_cast<uint16_t>(type), std::move(value)};
}

Result<std::vector<MacKey>> DecodeMacKeys(ByteView value) {
  if (value.size() % kMacKeySize != 0) {
    return MakeError(ErrorCode::kInvalidEncoding, "old MAC keys not a multiple of 64 bytes");
  }
  std::vector<MacKey> keys;
  wire::Reader reader(value);
  while (!reader.empty()) {
    OTR_ASSIGN_OR_RETURN(MacKey key, ReadArray<kMacKeySize>(reader));
    keys.push_back(key);
  }
  return keys;
}

Result<TlvRecord> Encode(const Padding& t) { return Checked(TlvType::kPadding, t.data); }
Result<TlvRecord> Encode(const Disconnected& t) {
  Bytes value;
  for (const MacKey& key : t.old_mac_keys) value.insert(value.end(), key.begin(), key.end());
  return Checked(TlvType::kDisconnected, std::move(value));
}
Result<TlvRecord> Encode(const SmpMessage1& t) {
  return Checked(TlvType::kSmp1, EncodeSmpMessage1(t));
}
Result<TlvRecord> Encode(const SmpMessage2& t) {
  return Checked(TlvType::kSmp2, EncodeSmpMessage2(t));
}
Result<TlvRecord> Encode(const SmpMessage3& t) {
  return Checked(TlvType::kSmp3, EncodeSmpMessage3(t));
}
Result<TlvRecord> Encode(const SmpMessage4& t) {
  return Checked(TlvType::kSmp4, EncodeSmpMessage4(t));
}
Result<TlvRecord> Encode(const SmpAbort&) { return Checked(TlvType::kSmpAbort, {}); }
Result<TlvRecord> Encode(const ExtraSymmetricKey& t) {
  wire::Writer writer;
  writer.WriteU32(t.use);
  writer.WriteBytes(t.use_data);
  return Checked(TlvType::kExtraSymmetricKey, std::move(writer).Finish());
}
Result<TlvRecord> Encode(const UnknownTlv& t) {
  if (IsListedType(t.type)) {
    return MakeError(ErrorCode::kInvalidEncoding, "UnknownTlv with a listed type");
  }
  if (t.value.size() > kMaxTlvValueSize) {
    return MakeError(ErrorCode::kTooLarge, "TLV value longer than 65535 bytes");
  }
  return TlvRecord{t.type, t.value};
}

}  // namespace

size_t HumanReadableLength(ByteView plaintext) {
  if (plaintext.empty()) return 0;
  const void* nul = std::memchr(plaintext.data(), 0, plaintext.size());
  return nul == nullptr ? plaintext.size()
                        : static_cast<size_t>(static_cast<const uint8_t*>(nul) - plaintext.data());
}

DataPayload DecodeDataPayload(ByteView plaintext) {
  DataPayload payload;
  const size_t length = HumanReadableLength(plaintext);
  payload.message.assign(plaintext.begin(),
                         plaintext.begin() + static_cast<std::ptrdiff_t>(length));
  if (length == plaintext.size()) return payload;
  payload.has_tlv_part = true;
  ByteView rest = plaintext.subspan(payload.message.size() + 1);
  while (!rest.empty()) {
    if (IsIncomplete(rest)) {
      payload.incomplete_tail.assign(rest.begin(), rest.end());
      break;
    }
    wire::Reader reader(rest);
    TlvRecord record;
    // Cannot fail: IsIncomplete checked the header and the length.
    record.type = reader.ReadU16().value();
    uint16_t length = reader.ReadU16().value();
    ByteView value = reader.ReadBytes(length).value();
    record.value.assign(value.begin(), value.end());
    payload.tlvs.push_back(std::move(record));
    rest = reader.rest();
  }
  return payload;
}

namespace {

// Checks the text and the tail, then writes them and the records
// (wire::WriteTextAndRecords).
Result<Bytes> EncodeParts(ByteView message, bool has_tlv_part, std::span<const TlvRecord> tlvs,
                          ByteView incomplete_tail) {
  if (HumanReadableLength(message) != message.size()) {
    return MakeError(ErrorCode::kInvalidEncoding, "NUL inside the human-readable message");
  }
  if (!has_tlv_part && (!tlvs.empty() || !incomplete_tail.empty())) {
    return MakeError(ErrorCode::kInvalidEncoding, "TLV records without the NUL");
  }
  if (!incomplete_tail.empty() && !IsIncomplete(incomplete_tail)) {
    return MakeError(ErrorCode::kInvalidEncoding, "incomplete tail that is a whole record");
  }
  return wire::WriteTextAndRecords(message, has_tlv_part, tlvs, incomplete_tail);
}

}  // namespace

Result<Bytes> EncodeDataPayload(const DataPayload& payload) {
  return EncodeParts(payload.message, payload.has_tlv_part, payload.tlvs, payload.incomplete_tail);
}

Result<Bytes> EncodeDataPayload(ByteView message, bool has_tlv_part,
                                std::span<const TlvRecord> tlvs) {
  return EncodeParts(message, has_tlv_part, tlvs, {});
}

Result<Tlv> DecodeTlv(const TlvRecord& record) {
  ByteView value = record.value;
  if (!IsListedType(record.type)) return Tlv(UnknownTlv{record.type, record.value});
  switch (static_cast<TlvType>(record.type)) {
    case TlvType::kPadding:
      return Tlv(Padding{record.value});
    case TlvType::kDisconnected: {
      OTR_ASSIGN_OR_RETURN(std::vector<MacKey> keys, DecodeMacKeys(value));
      return Tlv(Disconnected{std::move(keys)});
    }
    case TlvType::kSmp1:
      return Wrap(DecodeSmpMessage1(value));
    case TlvType::kSmp2:
      return Wrap(DecodeSmpMessage2(value));
    case TlvType::kSmp3:
      return Wrap(DecodeSmpMessage3(value));
    case TlvType::kSmp4:
      return Wrap(DecodeSmpMessage4(value));
    case TlvType::kSmpAbort:
      if (!value.empty()) {
        return MakeError(ErrorCode::kTrailingBytes, "SMP Abort TLV with a value");
      }
      return Tlv(SmpAbort{});
    case TlvType::kExtraSymmetricKey: {
      wire::Reader reader(value);
      ExtraSymmetricKey key;
      OTR_ASSIGN_OR_RETURN(key.use, reader.ReadU32());
      ByteView rest = reader.ReadRest();
      key.use_data.assign(rest.begin(), rest.end());
      return Tlv(std::move(key));
    }
  }
  return MakeError(ErrorCode::kUnknownType, "TLV type");
}

Result<TlvRecord> EncodeTlv(const Tlv& tlv) {
  return std::visit([](const auto& t) { return Encode(t); }, tlv);
}

std::string_view TlvTypeName(uint16_t type) {
  if (!IsListedType(type)) return "unknown";
  switch (static_cast<TlvType>(type)) {
    case TlvType::kPadding:
      return "Padding";
    case TlvType::kDisconnected:
      return "Disconnected";
    case TlvType::kSmp1:
      return "SMP Message 1";
    case TlvType::kSmp2:
      return "SMP Message 2";
    case TlvType::kSmp3:
      return "SMP Message 3";
    case TlvType::kSmp4:
      return "SMP Message 4";
    case TlvType::kSmpAbort:
      return "SMP Abort Message";
    case TlvType::kExtraSymmetricKey:
      return "Extra symmetric key";
  }
  return "unknown";
}

}  // namespace otr::v4
