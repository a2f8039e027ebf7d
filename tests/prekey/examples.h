// One example of every prekey-server message, with recognisable field
// values, for the known-answer tests, the fuzzer's seed corpus
// (write_prekey_seeds) and `otr parse`'s tests. Signatures, MACs and proofs
// are filler bytes: this is the wire layer.
#ifndef OTR_TESTS_PREKEY_EXAMPLES_H_
#define OTR_TESTS_PREKEY_EXAMPLES_H_

#include <vector>

#include "protocol/prekey/messages/messages.h"

namespace otr::prekey::testing {

inline constexpr wire::InstanceTag kPublisherTag = 0x11223344;
inline constexpr wire::InstanceTag kRetrieverTag = 0x55667788;

// `size` bytes counting up from `first`.
template <size_t N>
std::array<uint8_t, N> Filler(uint8_t first) {
  std::array<uint8_t, N> out;
  for (size_t i = 0; i < N; ++i) out[i] = static_cast<uint8_t>(first + i);
  return out;
}

v4::ClientProfile ExampleClientProfile(wire::InstanceTag owner = kPublisherTag);
v4::PrekeyProfile ExamplePrekeyProfile(wire::InstanceTag owner = kPublisherTag);
v4::PrekeyMessage ExamplePrekeyMessage(uint32_t identifier,
                                       wire::InstanceTag owner = kPublisherTag);
v4::RingSig ExampleRingSig();
CompositeIdentity ExampleServerIdentity();

// Every message type once, Prekey Publication in its three shapes (only
// Prekey Messages; only profiles; all of them).
std::vector<Message> AllExampleMessages();

}  // namespace otr::prekey::testing

#endif  // OTR_TESTS_PREKEY_EXAMPLES_H_
