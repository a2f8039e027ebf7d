// The public values the interactive DAKE authenticates (otrv4.md, "Shared
// Session State", "Auth-R Message", "Auth-I Message"), as the exact bytes
// hashed and signed.
//
// phi ("Shared Session State"):
//   phi = session identifier mandated by the OTRv4 spec || phi'
// where the mandated part is "sender and receiver's instance tags, first
// ephemeral keys for the double ratchet initialization", and "To make sure
// both participants has the same phi during DAKE, sort the instance tag by
// numerical order and any string passed to phi' lexicographically". The
// spec's example writes `sender's instance tag || receiver's instance tag
// || our_ecdh_first || our_dh_first || their_ecdh_first || their_dh_first
// || DATA(sender's bare JID) || DATA(receiver's bare JID)`, which would
// differ between the two sides unless "sender" is the same party for both:
// we read it as the party with the lower instance tag (the example's
// 0x00000100), so
//   phi = INT(lower tag) || INT(higher tag)
//         || POINT(lower's ecdh_first) || MPI(lower's dh_first)
//         || POINT(higher's ecdh_first) || MPI(higher's dh_first)
//         || phi'
// and phi' is each string of the higher-level context, sorted
// lexicographically (by bytes), each as DATA (UTF-8). With equal tags
// (never in a real conversation) the party whose ecdh_first encoding is
// lower comes first. libotr-ng's phi is the two tags as 2-byte values and
// phi' as DATA with its NUL, without the first keys (docs/libotr-ng-deviations.md).
//
// t ("Auth-R Message" and "Auth-I Message"), Bob being the Identity
// message's sender and Alice the Auth-R's:
//   t = 0x00 (Auth-R) or 0x01 (Auth-I)
//       || HWC(usage_auth_{r,i}_bob_client_profile || Bob_Client_Profile, 64)
//       || HWC(usage_auth_{r,i}_alice_client_profile || Alice_Client_Profile, 64)
//       || Y || X || B || A || HWC(usage_auth_{r,i}_phi || phi, 64)
// with the profiles as their CLIENT-PROF encoding, Y and X POINTs and B and
// A MPIs (4-byte length and minimal big-endian value), as each is on the
// wire (libotr-ng writes the same).
#ifndef OTR_PROTOCOL_V4_DAKE_SHARED_STATE_H_
#define OTR_PROTOCOL_V4_DAKE_SHARED_STATE_H_

#include <string>
#include <vector>

#include "base/bytes.h"
#include "crypto/backend.h"
#include "protocol/v4/crypto/kdf.h"
#include "protocol/v4/messages/data_types.h"
#include "protocol/v4/messages/profile.h"
#include "protocol/wire/instance_tag.h"
#include "protocol/wire/writer.h"

namespace otr::v4::dake {

// One side's part of phi.
struct PhiParty {
  wire::InstanceTag instance_tag = wire::kNoInstanceTag;
  Point ecdh_first{};  // our_ecdh_first.public of that side
  ByteView dh_first;   // our_dh_first.public of that side (minimal big-endian); not owned
};

// phi' from the higher-level context (e.g. both bare JIDs): sorted, each as DATA.
Bytes EncodePhiPrime(std::vector<std::string> strings);

// phi: the same bytes whichever side is `a` (sorted as above).
Bytes SharedSessionState(const PhiParty& a, const PhiParty& b, ByteView phi_prime);

// The values t covers besides phi.
struct TranscriptValues {
  const ClientProfile* bob_client_profile = nullptr;    // the Identity message's sender
  const ClientProfile* alice_client_profile = nullptr;  // the Auth-R message's sender
  Point y{};                                            // Y (Identity)
  Point x{};                                            // X (Auth-R)
  ByteView b;                                           // B (Identity), minimal big-endian
  ByteView a;                                           // A (Auth-R), minimal big-endian
};

// Appends HWC(usage || value, 64): the hashed parts of t, here and in the
// non-interactive DAKE's t (xzdh.h).
void WriteTHash(const crypto::Backend& backend, wire::Writer& w, Usage usage, ByteView value);
// The same for HWC(usage || the profile's encoding, 64): the profile is
// encoded at the end of `w`, hashed there and replaced by its hash, so t's
// buffer is the only one (kTCapacity reserves room for it).
void WriteTHash(const crypto::Backend& backend, wire::Writer& w, Usage usage,
                const ClientProfile& profile);
// What a t writer reserves: t itself (three 64-byte hashes, two points and
// two 3072-bit MPIs, at most 1,079 bytes; the non-interactive t 1,139), which
// also holds a Client Profile being hashed (under 800 bytes with a DSA key).
inline constexpr size_t kTCapacity = 1280;

// t of "Auth-R Message" (first byte 0x00) and of "Auth-I Message" (0x01).
Bytes AuthRT(const crypto::Backend& backend, const TranscriptValues& values, ByteView phi);
Bytes AuthIT(const crypto::Backend& backend, const TranscriptValues& values, ByteView phi);

// The same over Client Profiles already encoded: the libotr-ng
// compatibility profile's t (protocol/v4/libotr_ng/dake.h) hashes the
// profiles in libotr-ng's byte form; the rest of t is the spec's.
struct EncodedTranscriptValues {
  ByteView bob_client_profile;
  ByteView alice_client_profile;
  Point y{};
  Point x{};
  ByteView b;
  ByteView a;
};
Bytes AuthRT(const crypto::Backend& backend, const EncodedTranscriptValues& values, ByteView phi);
Bytes AuthIT(const crypto::Backend& backend, const EncodedTranscriptValues& values, ByteView phi);

}  // namespace otr::v4::dake

#endif  // OTR_PROTOCOL_V4_DAKE_SHARED_STATE_H_
