// Receiving Fragments, version 4 (v4 spec "Receiving Fragments"). "OTRv4
// supports an out-of-order network model": the fragments of a message may
// arrive in any order and interleaved with other messages' fragments. Each
// message has a buffer B of pieces by index, its total T and a counter C,
// found by the fragment's identifier I; we key buffers by (identifier, sender
// instance tag), so two instances of the peer cannot collide. "If you receive
// a non-OTR message or an unfragmented message: Keep track of the buffers you
// may already have. Do not discard them."
//
// Memory is bounded: at most max_fragments pieces per message,
// max_message_size bytes per message, max_messages buffers and
// max_buffered_bytes in all; and a buffer older than max_age_seconds is
// dropped ("initialize a timer for the reassembly of the fragments ... If the
// timer runs out, all stored fragments in this buffer should be discarded").
// Time is an input: there is no clock inside.
//
// The receiver instance tag check ("Discard the message ... if the
// recipient's own instance tag does not match the listed receiver instance
// tag, and the listed receiver's instance tag is not zero") is the caller's,
// as for v3: the reassembler does not know our tag.
#ifndef OTR_PROTOCOL_WIRE_REASSEMBLER_V4_H_
#define OTR_PROTOCOL_WIRE_REASSEMBLER_V4_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "base/result.h"
#include "protocol/wire/fragment.h"

namespace otr::wire {

// Messages in reassembly at one time, from all instances of the peer. Out of
// order delivery means a few messages of one instance may be in flight at
// once; 16 covers that for a few devices.
inline constexpr size_t kMaxMessagesInProgressV4 = 16;
// The piece bytes held in all buffers: four messages of the largest size.
inline constexpr size_t kMaxBufferedBytesV4 = 4 * kMaxReassembledSize;
// The reassembly timer: a message whose fragments have not all arrived an
// hour after its first one is given up. (libotr-ng keeps fragments a week;
// an hour is ample for fragments sent together, and frees what was lost.)
inline constexpr uint64_t kMaxFragmentAgeSecondsV4 = 60 * 60;

class ReassemblerV4 {
 public:
  struct Limits {
    uint32_t max_fragments = kMaxFragmentsPerMessageV4;  // T at most
    size_t max_message_size = kMaxReassembledSize;
    size_t max_messages = kMaxMessagesInProgressV4;
    size_t max_buffered_bytes = kMaxBufferedBytesV4;
    uint64_t max_age_seconds = kMaxFragmentAgeSecondsV4;
  };

  ReassemblerV4() = default;
  explicit ReassemblerV4(Limits limits) : limits_(limits) {}

  // Expires old buffers (Expire(now_seconds)), then takes one fragment:
  //   not version 4                          -> kUnsupportedVersion
  //   "index is 0", "total is 0", "index is bigger than total", an empty
  //   piece or one holding a fragment marker -> kInvalidEncoding
  //   total above max_fragments              -> kTooLarge
  //   (the three above leave every buffer as it was)
  //   a buffer with this identifier and another total: "Forget any stored
  //   fragments of this buffer"              -> kBadState, buffer dropped
  //   "If it is not [empty], reject the fragment and do not increment the
  //   buffer counter"                        -> kBadState, buffer kept
  //   the message would exceed max_message_size, or the piece cannot fit in
  //   max_buffered_bytes however many other buffers are dropped
  //                                          -> kTooLarge, buffer dropped
  //   "if the current buffer's C == T, treat the buffer as the received data
  //   message"                               -> the message, buffer freed; a
  //   message that is itself a fragment ("you can't fragment a fragment")
  //                                          -> kInvalidEncoding
  // Returns std::nullopt while the message is incomplete. A first fragment
  // when max_messages buffers are in use, or a piece that takes the total
  // above max_buffered_bytes, drops the least recently used other buffers
  // to make room (as the v3 Reassembler does), so a flood of new
  // identifiers costs messages in progress but never memory.
  Result<std::optional<std::string>> Add(uint64_t now_seconds, const Fragment& fragment);

  // Drops every buffer whose first fragment came max_age_seconds or more
  // before `now_seconds`; returns how many. A clock that went back does not
  // expire anything.
  size_t Expire(uint64_t now_seconds);

  // Drops the buffers of one sender instance (e.g. when the caller forgets
  // that instance), or all of them.
  void Forget(InstanceTag sender);
  void ForgetAll();

  size_t messages_in_progress() const { return buffers_.size(); }
  size_t buffered_bytes() const { return buffered_bytes_; }
  size_t buffered_fragments() const { return buffered_fragments_; }
  const Limits& limits() const { return limits_; }

 private:
  struct Key {
    uint32_t identifier = 0;  // I
    InstanceTag sender = kNoInstanceTag;
    friend auto operator<=>(const Key&, const Key&) = default;
  };
  struct Buffer {
    uint16_t total = 0;                      // T
    std::map<uint16_t, std::string> pieces;  // B by index; its size is C
    size_t bytes = 0;
    uint64_t started = 0;    // when the first fragment arrived: the timer
    uint64_t last_used = 0;  // order of use, for eviction
  };
  using Buffers = std::map<Key, Buffer>;

  void Erase(Buffers::iterator it);
  // Drops the least recently used buffer other than `keep`; false if none.
  bool EvictOne(Buffers::iterator keep);

  Limits limits_;
  Buffers buffers_;
  size_t buffered_bytes_ = 0;
  size_t buffered_fragments_ = 0;
  uint64_t use_counter_ = 0;
};

}  // namespace otr::wire

#endif  // OTR_PROTOCOL_WIRE_REASSEMBLER_V4_H_
