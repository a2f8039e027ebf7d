// Structure-aware mutation for the stateful fuzzers: OTR binary messages are
// decoded, one field is changed (lengths, MPIs, instance tags, keyids,
// counters, MACs, revealed MAC keys) and the message is re-encoded; data
// message plaintexts are split into message and TLV records, the TLV list or
// one SMP MPI is changed, and the plaintext is re-encoded. Used both by
// LLVMFuzzerCustomMutator (choices from a seeded generator) and inside the
// harnesses (choices read from the fuzz input, so a mutation replays).
#ifndef OTR_FUZZ_SUPPORT_MUTATOR_H_
#define OTR_FUZZ_SUPPORT_MUTATOR_H_

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <random>
#include <utility>

#include "base/bytes.h"
#include "fuzz/support/harness.h"
#include "protocol/v3/messages.h"

namespace otr::fuzzing {

// Where mutation choices come from.
class Choices {
 public:
  virtual ~Choices() = default;
  virtual uint32_t Next() = 0;
  uint32_t Below(uint32_t bound) { return bound == 0 ? 0 : Next() % bound; }
  uint8_t Byte() { return static_cast<uint8_t>(Next()); }
};

class RandomChoices final : public Choices {
 public:
  explicit RandomChoices(unsigned seed) : engine_(seed) {}
  uint32_t Next() override { return static_cast<uint32_t>(engine_()); }

 private:
  std::minstd_rand engine_;
};

class InputChoices final : public Choices {
 public:
  explicit InputChoices(ByteSource& source) : source_(source) {}
  uint32_t Next() override { return source_.Next32(); }

 private:
  ByteSource& source_;
};

// Changes one field of `message`.
void MutateMessage(v3::Message& message, Choices& choices);
// Changes the message text or TLV list of a data message plaintext (any
// bytes: undecodable plaintexts get byte-level changes).
Bytes MutatePlaintext(ByteView plaintext, Choices& choices);
// Byte-level: flip, set, insert, erase, truncate, duplicate a chunk.
void MutateBytes(Bytes& bytes, Choices& choices);

// Flips one bit of a fixed-size field (MACs, keys, points, scalars).
template <size_t N>
void FlipBit(std::array<uint8_t, N>& a, Choices& choices) {
  a[choices.Below(N)] ^= static_cast<uint8_t>(1u << choices.Below(8));
}

// One edit of a decoded Data Message plaintext, the same for v3 and v4
// (otr3.md and otrv4.md, "TLV Record Types"): the message text, or the TLV
// list (insert `new_record(choices)`, drop, repeat, swap, retype below
// `type_count`, or `mutate_value` on one record). `Payload` has `message`,
// `tlvs` and `has_tlv_part`.
template <typename Payload, typename NewRecord, typename MutateValue>
void MutateTlvList(Payload& payload, uint16_t type_count, NewRecord new_record,
                   MutateValue mutate_value, Choices& choices) {
  auto& tlvs = payload.tlvs;
  switch (choices.Below(tlvs.empty() ? 2 : 7)) {
    case 0:
      MutateBytes(payload.message, choices);
      std::erase(payload.message, uint8_t{0});
      break;
    case 1:
      tlvs.insert(tlvs.begin() + choices.Below(tlvs.size() + 1), new_record(choices));
      break;
    case 2:
      tlvs.erase(tlvs.begin() + choices.Below(tlvs.size()));
      break;
    case 3: {
      const auto copy = tlvs[choices.Below(tlvs.size())];
      tlvs.insert(tlvs.begin() + choices.Below(tlvs.size() + 1), copy);
      break;
    }
    case 4:
      std::swap(tlvs[choices.Below(tlvs.size())], tlvs[choices.Below(tlvs.size())]);
      break;
    case 5:
      tlvs[choices.Below(tlvs.size())].type = static_cast<uint16_t>(choices.Below(type_count));
      break;
    default:
      mutate_value(tlvs[choices.Below(tlvs.size())], choices);
      break;
  }
  payload.has_tlv_part = payload.has_tlv_part || !tlvs.empty();
}

// How a fuzzer interprets a record's payload, for the custom mutator.
enum class PayloadKind {
  kOpaque,     // anything: libFuzzer's own mutations
  kMessage,    // an encoded binary OTR message after `prefix` bytes
  kPlaintext,  // a data message plaintext (message NUL TLVs) after `prefix` bytes
  // OTRv4 (v4_mutator.h):
  kV4Message,    // an encoded binary OTRv4 message after `prefix` bytes
  kV4Plaintext,  // a v4 Data Message plaintext after `prefix` bytes
};
struct PayloadShape {
  PayloadKind kind = PayloadKind::kOpaque;
  size_t prefix = 0;
};
using ShapeOf = std::function<PayloadShape(uint8_t op)>;

// The body of a stateful fuzzer's LLVMFuzzerCustomMutator.
size_t MutateStatefulInput(uint8_t* data, size_t size, size_t max_size, unsigned seed,
                           const ShapeOf& shape_of, uint8_t op_count);

}  // namespace otr::fuzzing

#endif  // OTR_FUZZ_SUPPORT_MUTATOR_H_
