#include "fuzz/support/mutator.h"

#include <algorithm>
#include <cstring>
#include <utility>
#include <variant>

#include "crypto/modp_group.h"
#include "fuzz/support/v4_mutator.h"
#include "protocol/v3/tlv.h"

// Provided by libFuzzer; absent (null) in the corpus-replay build and under
// engines without it, where the byte-level fallback below is used.
extern "C" __attribute__((weak)) size_t LLVMFuzzerMutate(uint8_t* data, size_t size,
                                                         size_t max_size);

namespace otr::fuzzing {
namespace {

const crypto::ModpGroup& Group() { return crypto::GetModpGroup(crypto::ModpGroupId::kModp1536); }

// Adds `delta` to a big-endian number, wrapping within its length.
Bytes AddSmall(const Bytes& number, int delta) {
  Bytes out = number;
  int carry = delta;
  for (size_t i = out.size(); i-- > 0 && carry != 0;) {
    const int v = out[i] + carry;
    out[i] = static_cast<uint8_t>(v);
    carry = v < 0 ? -1 : (v > 0xff ? 1 : 0);
  }
  return out;
}

// MPI values at the edges of the checks: 0, 1, 2, p-2, p-1, p, p+1, q, all
// ones, an over-long value, a non-minimal encoding, random bytes.
void MutateMpi(Bytes& value, Choices& choices) {
  const crypto::ModpGroup& group = Group();
  switch (choices.Below(12)) {
    case 0:
      value.clear();
      break;
    case 1:
      value = {1};
      break;
    case 2:
      value = {2};
      break;
    case 3:
      value = group.p_minus_2;
      break;
    case 4:
      value = AddSmall(group.p, -1);
      break;
    case 5:
      value = group.p;
      break;
    case 6:
      value = AddSmall(group.p, 1);
      break;
    case 7:
      value = group.q;
      break;
    case 8:
      value.assign(1 + choices.Below(200), 0xff);
      break;
    case 9:
      value.insert(value.begin(), 0);  // non-minimal: must be refused
      break;
    case 10: {
      value.resize(choices.Below(200));
      for (uint8_t& b : value) b = choices.Byte();
      break;
    }
    default:
      MutateBytes(value, choices);
      break;
  }
}

uint32_t MutateWord(uint32_t value, Choices& choices) {
  switch (choices.Below(7)) {
    case 0:
      return 0;
    case 1:
      return value + 1;
    case 2:
      return value - 1;
    case 3:
      return 0xffffffff;
    case 4:
      return value + 2;
    case 5:
      return 1;
    default:
      return choices.Next();
  }
}

wire::InstanceTag MutateTag(wire::InstanceTag tag, Choices& choices) {
  static constexpr wire::InstanceTag kEdges[] = {0,          1,          0xff,      0x100,
                                                 0xffffffff, 0x1000a11c, 0x10000b0b};
  const uint32_t pick = choices.Below(9);
  if (pick < std::size(kEdges)) return kEdges[pick];
  return pick == std::size(kEdges) ? tag + 1 : choices.Next();
}

void MutateHeader(v3::Header& header, Choices& choices) {
  switch (choices.Below(3)) {
    case 0:
      header.version = header.version == v3::Version::kV3 ? v3::Version::kV2 : v3::Version::kV3;
      if (header.version == v3::Version::kV2) {
        header.sender_instance = header.receiver_instance = wire::kNoInstanceTag;
      }
      break;
    case 1:
      header.sender_instance = MutateTag(header.sender_instance, choices);
      break;
    default:
      header.receiver_instance = MutateTag(header.receiver_instance, choices);
      break;
  }
}

void MutateData(v3::DataMessage& m, Choices& choices) {
  switch (choices.Below(10)) {
    case 0:
      m.flags = choices.Byte();
      break;
    case 1:
      m.sender_keyid = MutateWord(m.sender_keyid, choices);
      break;
    case 2:
      m.recipient_keyid = MutateWord(m.recipient_keyid, choices);
      break;
    case 3:
      MutateMpi(m.next_dh, choices);
      break;
    case 4: {
      // The counter's top half as a number: replay, skip, wrap.
      uint64_t ctr = 0;
      for (uint8_t b : m.ctr) ctr = ctr << 8 | b;
      const uint32_t how = choices.Below(4);
      ctr = how == 0 ? ctr - 1 : how == 1 ? ctr + 1 : how == 2 ? 0 : ~uint64_t{0};
      for (size_t i = m.ctr.size(); i-- > 0; ctr >>= 8) m.ctr[i] = static_cast<uint8_t>(ctr);
      break;
    }
    case 5:
      MutateBytes(m.encrypted_message, choices);
      break;
    case 6:
      FlipBit(m.mac, choices);
      break;
    case 7: {
      // Revealed MAC keys are outside the MAC: add, drop or change one.
      const uint32_t how = choices.Below(3);
      if (how == 0 || m.old_mac_keys.empty()) {
        v3::MacKey key{};
        for (uint8_t& b : key) b = choices.Byte();
        m.old_mac_keys.push_back(key);
      } else if (how == 1) {
        m.old_mac_keys.erase(m.old_mac_keys.begin() + choices.Below(m.old_mac_keys.size()));
      } else {
        FlipBit(m.old_mac_keys[choices.Below(m.old_mac_keys.size())], choices);
      }
      break;
    }
    default:
      MutateHeader(m.header, choices);
      break;
  }
}

struct MessageMutation {
  Choices& choices;
  void operator()(v3::DhCommit& m) {
    switch (choices.Below(3)) {
      case 0:
        MutateBytes(m.encrypted_gx, choices);
        break;
      case 1:
        FlipBit(m.hashed_gx, choices);
        break;
      default:
        MutateHeader(m.header, choices);
    }
  }
  void operator()(v3::DhKey& m) {
    if (choices.Below(4) == 0) {
      MutateHeader(m.header, choices);
    } else {
      MutateMpi(m.gy, choices);
    }
  }
  void operator()(v3::RevealSignature& m) {
    switch (choices.Below(4)) {
      case 0:
        FlipBit(m.revealed_key, choices);
        break;
      case 1:
        MutateBytes(m.encrypted_signature, choices);
        break;
      case 2:
        FlipBit(m.mac, choices);
        break;
      default:
        MutateHeader(m.header, choices);
    }
  }
  void operator()(v3::Signature& m) {
    switch (choices.Below(3)) {
      case 0:
        MutateBytes(m.encrypted_signature, choices);
        break;
      case 1:
        FlipBit(m.mac, choices);
        break;
      default:
        MutateHeader(m.header, choices);
    }
  }
  void operator()(v3::DataMessage& m) { MutateData(m, choices); }
  void operator()(v3::V1Message&) {}
};

// One SMP MPI of a typed record, or the question of TLV 7.
template <typename Smp>
void MutateSmpFields(Smp& smp, Choices& choices) {
  MutateMpi(smp.*Smp::kFields[choices.Below(Smp::kFields.size())], choices);
}

struct TlvMutation {
  Choices& choices;
  void operator()(v3::Smp1& m) { MutateSmpFields(m, choices); }
  void operator()(v3::Smp2& m) { MutateSmpFields(m, choices); }
  void operator()(v3::Smp3& m) { MutateSmpFields(m, choices); }
  void operator()(v3::Smp4& m) { MutateSmpFields(m, choices); }
  void operator()(v3::Smp1Q& m) {
    if (choices.Below(3) == 0) {
      MutateBytes(m.question, choices);
      std::erase(m.question, uint8_t{0});
    } else {
      MutateSmpFields(m.smp1, choices);
    }
  }
  void operator()(v3::ExtraSymmetricKey& m) {
    if (choices.Below(2) == 0) {
      m.use = MutateWord(m.use, choices);
    } else {
      MutateBytes(m.use_data, choices);
    }
  }
  void operator()(v3::Padding& m) { MutateBytes(m.data, choices); }
  void operator()(v3::Disconnected&) {}
  void operator()(v3::SmpAbort&) {}
  void operator()(v3::UnknownTlv& m) { MutateBytes(m.value, choices); }
};

void MutateRecordValue(v3::TlvRecord& record, Choices& choices) {
  auto typed = v3::DecodeTlv(record);
  if (typed.ok() && choices.Below(4) != 0) {
    v3::Tlv tlv = std::move(typed).value();
    std::visit(TlvMutation{choices}, tlv);
    auto encoded = v3::EncodeTlv(tlv);
    if (encoded.ok()) {
      record = std::move(encoded).value();
      return;
    }
  }
  MutateBytes(record.value, choices);
}

v3::TlvRecord NewRecord(Choices& choices) {
  v3::TlvRecord record;
  const uint32_t type = choices.Below(12);
  record.type = type <= 9 ? static_cast<uint16_t>(type) : static_cast<uint16_t>(choices.Next());
  // An SMP record with MPIs of small values: the right shape, wrong numbers.
  const size_t mpis = record.type == 2 || record.type == 7 ? 6
                      : record.type == 3                   ? 11
                      : record.type == 4                   ? 8
                      : record.type == 5                   ? 3
                                                           : 0;
  if (record.type == 7) {
    record.value = {'q', 0};
  }
  if (mpis > 0) {
    record.value.insert(record.value.end(), {0, 0, 0, static_cast<uint8_t>(mpis)});
    for (size_t i = 0; i < mpis; ++i) {
      record.value.insert(record.value.end(), {0, 0, 0, 1, static_cast<uint8_t>(2 + i)});
    }
  } else if (record.type != 1 && record.type != 6) {
    record.value.resize(choices.Below(16));
    for (uint8_t& b : record.value) b = choices.Byte();
  }
  return record;
}

}  // namespace

void MutateBytes(Bytes& bytes, Choices& choices) {
  switch (choices.Below(bytes.empty() ? 2 : 7)) {
    case 0:
      bytes.insert(bytes.begin() + choices.Below(bytes.size() + 1), choices.Byte());
      break;
    case 1: {
      const size_t count = 1 + choices.Below(32);
      for (size_t i = 0; i < count; ++i) bytes.push_back(choices.Byte());
      break;
    }
    case 2:
      bytes[choices.Below(bytes.size())] ^= static_cast<uint8_t>(1u << choices.Below(8));
      break;
    case 3:
      bytes[choices.Below(bytes.size())] = choices.Byte();
      break;
    case 4:
      bytes.erase(bytes.begin() + choices.Below(bytes.size()));
      break;
    case 5:
      bytes.resize(choices.Below(bytes.size()));
      break;
    default: {
      const size_t from = choices.Below(bytes.size());
      const size_t length = 1 + choices.Below(bytes.size() - from);
      Bytes chunk(bytes.begin() + from, bytes.begin() + from + length);
      bytes.insert(bytes.begin() + choices.Below(bytes.size() + 1), chunk.begin(), chunk.end());
      break;
    }
  }
}

void MutateMessage(v3::Message& message, Choices& choices) {
  std::visit(MessageMutation{choices}, message);
}

Bytes MutatePlaintext(ByteView plaintext, Choices& choices) {
  auto decoded = v3::DecodeDataPayload(plaintext);
  if (!decoded.ok()) {
    Bytes bytes(plaintext.begin(), plaintext.end());
    MutateBytes(bytes, choices);
    return bytes;
  }
  v3::DataPayload payload = std::move(decoded).value();
  MutateTlvList(payload, 10, NewRecord, MutateRecordValue, choices);
  auto encoded = v3::EncodeDataPayload(payload);
  if (!encoded.ok()) return Bytes(plaintext.begin(), plaintext.end());
  return std::move(encoded).value();
}

namespace {

// A structured change of one record's payload; false when the payload does
// not have the expected shape.
bool MutatePayload(Record& record, const PayloadShape& shape, Choices& choices) {
  if (shape.kind == PayloadKind::kOpaque || record.payload.size() < shape.prefix) return false;
  const ByteView body = ByteView(record.payload).subspan(shape.prefix);
  Bytes mutated;
  if (shape.kind == PayloadKind::kMessage) {
    auto message = v3::DecodeMessage(body);
    if (!message.ok()) return false;
    v3::Message value = std::move(message).value();
    MutateMessage(value, choices);
    mutated = v3::EncodeMessage(value);
  } else if (shape.kind == PayloadKind::kV4Message) {
    auto message = v4::DecodeMessage(body);
    if (!message.ok()) return false;
    v4::Message value = std::move(message).value();
    MutateV4Message(value, choices);
    mutated = v4::EncodeMessage(value);
  } else if (shape.kind == PayloadKind::kV4Plaintext) {
    mutated = MutateV4Plaintext(body, choices);
  } else {
    mutated = MutatePlaintext(body, choices);
  }
  record.payload.resize(shape.prefix);
  record.payload.insert(record.payload.end(), mutated.begin(), mutated.end());
  return true;
}

size_t GenericMutate(uint8_t* data, size_t size, size_t max_size, Choices& choices) {
  if (LLVMFuzzerMutate != nullptr) return LLVMFuzzerMutate(data, size, max_size);
  Bytes bytes(data, data + size);
  MutateBytes(bytes, choices);
  if (bytes.size() > max_size) bytes.resize(max_size);
  std::memcpy(data, bytes.data(), bytes.size());
  return bytes.size();
}

}  // namespace

size_t MutateStatefulInput(uint8_t* data, size_t size, size_t max_size, unsigned seed,
                           const ShapeOf& shape_of, uint8_t op_count) {
  RandomChoices choices(seed);
  // A third of the time libFuzzer's own mutations on the whole input, which
  // also keep the header and record framing under mutation.
  if (size <= kHeaderSize || choices.Below(3) == 0) {
    return GenericMutate(data, size, max_size, choices);
  }
  Input input = ParseInput(data, size);
  auto& records = input.records;
  const uint32_t what = choices.Below(8);
  if (what == 0) {
    input.header[choices.Below(kHeaderSize)] = choices.Byte();
  } else if (what == 1 && !records.empty()) {
    // The sequence: drop, repeat, swap, retype.
    const size_t i = choices.Below(records.size());
    switch (choices.Below(4)) {
      case 0:
        records.erase(records.begin() + i);
        break;
      case 1:
        records.insert(records.begin() + choices.Below(records.size() + 1), records[i]);
        break;
      case 2:
        std::swap(records[i], records[choices.Below(records.size())]);
        break;
      default:
        records[i].op = static_cast<uint8_t>(choices.Below(op_count));
        break;
    }
  } else if (!records.empty()) {
    Record& record = records[choices.Below(records.size())];
    if (!MutatePayload(record, shape_of(record.op), choices)) {
      Bytes& payload = record.payload;
      if (payload.empty()) payload.push_back(choices.Byte());
      const size_t old_size = payload.size();
      payload.resize(old_size + 64);
      payload.resize(GenericMutate(payload.data(), old_size, payload.size(), choices));
    }
  } else {
    return GenericMutate(data, size, max_size, choices);
  }
  const Bytes out = SerializeInput(input);
  if (out.size() > max_size) return GenericMutate(data, size, max_size, choices);
  std::memcpy(data, out.data(), out.size());
  return out.size();
}

}  // namespace otr::fuzzing
