// Structure-aware mutation of OTRv4 messages for the stateful v4 fuzzers
// (the v4 half of mutator.h): a message is decoded, one field is changed and
// it is re-encoded; a Data Message plaintext is split into message and TLV
// records (otrv4.md, "Data Message Format"; "TLV Record Types") and the TLV
// list or one field of an SMP body (Ed448 points and scalars) is changed.
#ifndef OTR_FUZZ_SUPPORT_V4_MUTATOR_H_
#define OTR_FUZZ_SUPPORT_V4_MUTATOR_H_

#include "base/bytes.h"
#include "fuzz/support/mutator.h"
#include "protocol/v4/messages/messages.h"

namespace otr::fuzzing {

// Changes one field of `message`: instance tags, the Client Profile (its
// bytes, re-decoded), ECDH points and DH MPIs at the edges of their checks
// (the identity, zero, non-canonical encodings; 0, 1, p-1, p, non-minimal),
// ring signature scalars (0, l, l-1, random), the Data Message's flags, pn,
// ratchet and message ids, ciphertext, Authenticator and revealed MAC keys.
void MutateV4Message(v4::Message& message, Choices& choices);

// Which fields of a Data Message the last MutateV4Message changed matter
// for the receiver's key derivation: true if the ratchet id, message id,
// ECDH or DH key differs between `a` and `b`.
bool KeyFieldsDiffer(const v4::DataMessage& a, const v4::DataMessage& b);

// Changes the message text or the TLV list of a v4 Data Message plaintext
// (add, remove, repeat, move, retype a record; one SMP point or scalar;
// bytes of a value).
Bytes MutateV4Plaintext(ByteView plaintext, Choices& choices);

}  // namespace otr::fuzzing

#endif  // OTR_FUZZ_SUPPORT_V4_MUTATOR_H_
