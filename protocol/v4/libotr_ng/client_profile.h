// libotr-ng's Client Profile bytes (issue 20; docs/libotr-ng-deviations.md
// #1): the spec's fields in the spec's order, except that the key type of
// the Ed448 public key (field 0x0002) and of the forging key (0x0003) is
// written big-endian (00 10, 00 12: serialize.c, otrng_serialize_public_key,
// otrng_serialize_forging_key), and the EdDSA signature covers those bytes.
// The profile converts between the two byte forms and signs and verifies
// libotr-ng's; the spec's decoder and validation (protocol/v4/messages,
// protocol/v4/profile) do the rest.
#ifndef OTR_PROTOCOL_V4_LIBOTR_NG_CLIENT_PROFILE_H_
#define OTR_PROTOCOL_V4_LIBOTR_NG_CLIENT_PROFILE_H_

#include "base/bytes.h"
#include "base/result.h"
#include "crypto/backend.h"
#include "crypto/secret_bytes.h"
#include "protocol/v4/messages/profile.h"
#include "protocol/wire/reader.h"

namespace otr::v4::libotr_ng {

// Client Profile fields without the signature (the signed part), spec form
// to libotr-ng form and back: the two key types swap byte order. kTruncated
// or kUnknownType for bytes that are not a Client Profile's fields.
Result<Bytes> FieldsToLibotrNg(ByteView spec_fields);
Result<Bytes> FieldsFromLibotrNg(ByteView libotr_ng_fields);

// The bytes of one libotr-ng Client Profile (its fields and its 114-byte
// signature) at the reader's position, as in its DAKE messages; the
// signature is not checked here.
Result<Bytes> ReadClientProfileBytes(wire::Reader& reader);

// libotr-ng's Client Profile on the wire: its fields and its signature.
// Decode checks the signature (kBadSignature) over libotr-ng's bytes and
// returns the profile as our decoder reads it (its signature field holds
// libotr-ng's signature, which verifies over libotr-ng's bytes only).
Result<ClientProfile> DecodeAndVerifyClientProfile(const crypto::Backend& backend, ByteView bytes);
// Our profile (its fields) signed libotr-ng's way with sym_h: the bytes a
// libotr-ng client accepts.
Result<Bytes> EncodeAndSignClientProfile(const crypto::Backend& backend,
                                         const crypto::SecretBytes& sym_h,
                                         const ClientProfile& profile);

}  // namespace otr::v4::libotr_ng

#endif  // OTR_PROTOCOL_V4_LIBOTR_NG_CLIENT_PROFILE_H_
