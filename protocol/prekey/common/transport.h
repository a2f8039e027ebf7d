// How prekey-server messages travel (otr-v4-prekey-server.md, "Encoded
// Messages" and "Fragmentation of some Messages"):
//   - a message is "the base-64 encoding of the binary form of the message
//     and, after this encoding, ... the byte '.'";
//   - a long one may be cut into fragments
//       "?OTRP|%x|%x|%x,%hu,%hu,%s,"  identifier, sender instance, receiver
//                                     instance, index, total, piece[index]
//     which the receiver reassembles (FragmentReassembler).
#ifndef OTR_PROTOCOL_PREKEY_COMMON_TRANSPORT_H_
#define OTR_PROTOCOL_PREKEY_COMMON_TRANSPORT_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "protocol/prekey/messages/messages.h"

namespace otr::prekey {

inline constexpr std::string_view kFragmentPrefix = "?OTRP|";

// The largest encoded message either side accepts: the base64 of the
// largest DAKE-3 (an attached message of kMaxAttachedMessageSize plus its
// ring signature and header) with room to spare.
inline constexpr size_t kMaxEncodedMessageSize = (kMaxAttachedMessageSize / 3 + 1024) * 4;

// base64(EncodeMessage(m)) || ".".
std::string EncodeForTransport(const Message& m);
// The reverse: the trailing "." is required (kInvalidEncoding without it),
// then base64 and DecodeMessage; kTooLarge above kMaxEncodedMessageSize.
Result<Message> DecodeFromTransport(std::string_view text);

bool IsFragment(std::string_view text);

// Cuts an encoded message into fragments of at most `max_fragment_size`
// characters each (header included). One piece needs no fragment: a message
// that fits is returned whole. kTooLarge when more than 65535 pieces would
// be needed or max_fragment_size leaves no room for a piece.
Result<std::vector<std::string>> Fragment(std::string_view encoded, size_t max_fragment_size,
                                          uint32_t identifier, uint32_t sender_instance,
                                          uint32_t receiver_instance);

// The bounds of a reassembler; anything a peer can grow is bounded.
struct ReassemblyLimits {
  size_t max_buffers = 4;                     // messages being reassembled at once
  size_t max_bytes = kMaxEncodedMessageSize;  // pieces held, all buffers
  int64_t timeout_seconds = 120;              // "a timer for the reassembly"
};

// "Receiving Fragments": buffers by identifier, each with its total T, its
// pieces and the counter C; a duplicate index is rejected, another total
// for the same identifier discards the buffer, a complete buffer is the
// received message. Buffers older than the timeout are dropped; when
// max_buffers are in use the oldest is dropped for a new identifier.
class FragmentReassembler {
 public:
  explicit FragmentReassembler(ReassemblyLimits limits = {}) : limits_(limits) {}

  // `our_instance` is the receiver's instance tag, or 0 to accept any
  // receiver (the server, which has none). A fragment addressed to another
  // instance (receiver tag neither 0 nor ours) is discarded. Returns the
  // reassembled message when this fragment completes one, nullopt when more
  // are needed; an error for an illegal fragment (which is discarded).
  Result<std::optional<std::string>> Receive(std::string_view fragment, uint32_t our_instance,
                                             int64_t now);
  // Drops buffers started before now - timeout.
  void Expire(int64_t now);
  size_t buffered_bytes() const { return bytes_; }
  bool empty() const { return buffers_.empty(); }

 private:
  struct Buffer {
    uint16_t total = 0;
    uint16_t count = 0;  // C
    int64_t started = 0;
    size_t bytes = 0;
    std::map<uint16_t, std::string> pieces;  // by index
  };
  void Drop(std::map<uint32_t, Buffer>::iterator it);

  ReassemblyLimits limits_;
  std::map<uint32_t, Buffer> buffers_;
  size_t bytes_ = 0;
};

}  // namespace otr::prekey

#endif  // OTR_PROTOCOL_PREKEY_COMMON_TRANSPORT_H_
