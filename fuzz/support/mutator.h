// Structure-aware mutation for the stateful fuzzers: OTR binary messages are
// decoded, one field is changed (lengths, MPIs, instance tags, keyids,
// counters, MACs, revealed MAC keys) and the message is re-encoded; data
// message plaintexts are split into message and TLV records, the TLV list or
// one SMP MPI is changed, and the plaintext is re-encoded. Used both by
// LLVMFuzzerCustomMutator (choices from a seeded generator) and inside the
// harnesses (choices read from the fuzz input, so a mutation replays).
#ifndef OTR_FUZZ_SUPPORT_MUTATOR_H_
#define OTR_FUZZ_SUPPORT_MUTATOR_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <random>

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
