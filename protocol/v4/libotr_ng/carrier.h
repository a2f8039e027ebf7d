// libotr-ng's messages carried in the engine's message structs (issue 20,
// decision 0025): the `libotr-ng` variant of the v4 engine
// (Policy::v4_variant) runs the engine's one protocol table, whose inputs and
// outputs are protocol/v4/messages' structs. These functions read libotr-ng's
// bytes into those structs and write them back, losslessly:
//   - a Client Profile is held as the spec's ClientProfile whose signature is
//     libotr-ng's (it verifies over libotr-ng's bytes, client_profile.h;
//     ToLibotrNg rebuilds them byte for byte);
//   - sigma's six 56-byte scalars (#2) are held as 57-byte Scalars whose last
//     byte is 0 (ring_signature.h);
//   - the Auth-R's order (#3) is only a matter of bytes;
//   - a Data Message's nonce (#5) is held as the first 24 bytes of
//     `encrypted_message`, its raw revealed MAC keys (#6) as the list.
// Identity, Auth-R, Auth-I, Non-Interactive-Auth (its Client Profile as
// above, no first ratchet keys: #4, non_interactive.h) and Data Messages;
// anything else is kUnknownType.
#ifndef OTR_PROTOCOL_V4_LIBOTR_NG_CARRIER_H_
#define OTR_PROTOCOL_V4_LIBOTR_NG_CARRIER_H_

#include "base/bytes.h"
#include "base/result.h"
#include "crypto/backend.h"
#include "protocol/v4/libotr_ng/dake.h"
#include "protocol/v4/libotr_ng/data_message.h"
#include "protocol/v4/libotr_ng/non_interactive.h"
#include "protocol/v4/messages/messages.h"

namespace otr::v4::libotr_ng {

// libotr-ng's message bytes (base64 removed) into the engine's structs.
Result<v4::Message> DecodeCarried(const crypto::Backend& backend, ByteView bytes);
// The engine's structs (as DecodeCarried or the engine's variant rows made
// them) into libotr-ng's bytes.
Result<Bytes> EncodeCarried(const v4::Message& m);

// One struct each way (the engine's rows call the profile's DAKE and
// ratchet with these).
Result<IdentityMessage> ToLibotrNg(const v4::IdentityMessage& m);
Result<AuthR> ToLibotrNg(const v4::AuthR& m);
AuthI ToLibotrNg(const v4::AuthI& m);
Result<DataMessage> ToLibotrNg(const v4::DataMessage& m);
// kInvalidEncoding when the engine's struct holds first ratchet keys, which
// libotr-ng's Non-Interactive-Auth has no room for (#4).
Result<NonInteractiveAuth> ToLibotrNg(const v4::NonInteractiveAuth& m);
Result<v4::IdentityMessage> FromLibotrNg(const IdentityMessage& m);
Result<v4::AuthR> FromLibotrNg(const AuthR& m);
v4::AuthI FromLibotrNg(const AuthI& m);
v4::DataMessage FromLibotrNg(const DataMessage& m);
Result<v4::NonInteractiveAuth> FromLibotrNg(const NonInteractiveAuth& m);

}  // namespace otr::v4::libotr_ng

#endif  // OTR_PROTOCOL_V4_LIBOTR_NG_CARRIER_H_
