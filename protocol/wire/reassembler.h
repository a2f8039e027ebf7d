// Receiving Fragments (v3 spec "Fragmentation"; v2 spec "Fragmentation"),
// with bounded memory: one slot per sender (the sender instance tag for v3,
// a single slot for v2), each at most `max_message_size` bytes, at most
// `max_senders` slots (the least recently used is evicted).
#ifndef OTR_PROTOCOL_WIRE_REASSEMBLER_H_
#define OTR_PROTOCOL_WIRE_REASSEMBLER_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "base/result.h"
#include "protocol/wire/fragment.h"

namespace otr::wire {

// Senders with a partly received message at one time. The instances of one
// correspondent are the places they are logged in at (a few devices); 8 is
// well above that, and bounds a reassembler's memory to
// 8 * kMaxReassembledSize.
inline constexpr size_t kMaxTrackedSenders = 8;

class Reassembler {
 public:
  struct Limits {
    size_t max_message_size = kMaxReassembledSize;
    size_t max_senders = kMaxTrackedSenders;
  };

  Reassembler() = default;
  explicit Reassembler(Limits limits) : limits_(limits) {}

  // Takes one received fragment and applies the spec's rules to its sender's
  // stored (K, N, F):
  //   "If k == 0 or n == 0 or k > n, discard this (illegal) fragment."
  //     -> kInvalidEncoding, state unchanged (also for an empty piece or a
  //        piece holding a fragment marker; kUnsupportedVersion for a
  //        version other than 2 and 3: v4 has ReassemblerV4)
  //   "If k == 1: Forget any stored fragment ... Store (piece) as F. Store
  //    (k,n) as (K,N)."
  //   "If n == N and k == K+1: Append (piece) to F. Store (k,n) as (K,N)."
  //   "Otherwise: Forget any stored fragment ... Store (0,0) as (K,N)."
  //     -> kBadState
  //   "After this, if N > 0 and K == N, treat F as the received message."
  //     -> the message; the slot is freed. A message that is itself a
  //        fragment ("you can't fragment a fragment") is dropped with
  //        kInvalidEncoding.
  // Returns std::nullopt while the message is incomplete. A piece that would
  // take F above max_message_size forgets F and returns kTooLarge.
  Result<std::optional<std::string>> Add(const Fragment& fragment);

  // "If you receive a non-OTR message, or an unfragmented message, forget any
  // stored fragment you may have": the caller knows which sender that is.
  void Forget(int version, InstanceTag sender);
  void ForgetAll();

  size_t tracked_senders() const { return slots_.size(); }
  size_t buffered_bytes() const { return buffered_bytes_; }
  const Limits& limits() const { return limits_; }

 private:
  struct Slot {
    uint16_t k = 0;    // K
    uint16_t n = 0;    // N
    std::string data;  // F
    uint64_t last_used = 0;
  };
  using Key = uint64_t;
  static Key KeyOf(int version, InstanceTag sender);
  void Erase(std::map<Key, Slot>::iterator it);
  void EvictLeastRecentlyUsed();

  Limits limits_;
  std::map<Key, Slot> slots_;
  size_t buffered_bytes_ = 0;
  uint64_t clock_ = 0;
};

}  // namespace otr::wire

#endif  // OTR_PROTOCOL_WIRE_REASSEMBLER_H_
