// The bounds of the double ratchet (otrv4.md, "Key Management": max_skip
// "should be set by the implementer ... high enough to tolerate routine lost
// or delayed messages, but low enough that a malicious sender can't trigger
// excessive recipient computation"; "Deletion of Stored Message Keys":
// "parties should set reasonable per-conversation limits on the number of
// possible stored message keys (e.g. 1000)" and "delete stored message keys
// after an appropriate interval").
#ifndef OTR_PROTOCOL_V4_RATCHET_LIMITS_H_
#define OTR_PROTOCOL_V4_RATCHET_LIMITS_H_

#include <cstddef>
#include <cstdint>

namespace otr::v4::ratchet {

struct Limits {
  // The most message keys one message may make us skip in one chain (the
  // current receiving chain up to the sender's pn, or the new chain up to
  // its message id). A message asking for more is refused (kTooLarge).
  uint32_t max_skip = 500;
  // The most skipped message keys stored at once in the conversation. A
  // message whose skipped keys would exceed it is refused (kTooLarge).
  size_t max_stored_keys = 1000;
  // Seconds a skipped message key is kept (DeleteExpiredKeys(now)); its MAC
  // key is then revealed.
  uint64_t stored_key_lifetime = 60 * 60;
  // The most MAC keys waiting to be revealed ("Revealing MAC Keys": the
  // first message of our next ratchet reveals them). They grow with every
  // message received while we send nothing; beyond this the oldest is
  // dropped (wiped, never revealed), so a peer cannot grow them without
  // bound. 4096 keys of 64 bytes fit well within one Data Message.
  size_t max_mac_keys_to_reveal = 4096;
};

}  // namespace otr::v4::ratchet

#endif  // OTR_PROTOCOL_V4_RATCHET_LIMITS_H_
