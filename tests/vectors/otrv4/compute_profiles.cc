// client_profile.json and prekey_profile.json with protocol/v4/messages
// (encodings, signed bytes) and protocol/v4/profile (keys, signing), and
// prekey_server.json with protocol/prekey/messages (MAC inputs, proofs on
// the wire) and protocol/v4/crypto (the prekey server's KDF, key generation).
#include <string>

#include "protocol/prekey/messages/data_types.h"
#include "protocol/v3/data_types.h"
#include "protocol/v4/crypto/kdf.h"
#include "protocol/v4/crypto/keys.h"
#include "protocol/v4/messages/data_types.h"
#include "protocol/v4/messages/profile.h"
#include "protocol/v4/profile/client_profile.h"
#include "protocol/v4/profile/keys.h"
#include "protocol/v4/profile/prekey_profile.h"
#include "protocol/wire/reader.h"
#include "tests/vectors/otrv4/compute_internal.h"

namespace otr::v4::vectors {
namespace {

using crypto::Backend;
using crypto::SecretBytes;

SecretBytes SecretField(const Json& in, const char* key) {
  return SecretBytes(ByteView(HexField(in, key)));
}

profile::Ed448KeyPair KeyFromSym(const Backend& backend, const Json& in, const char* key) {
  return Take(profile::Ed448KeyPairFromSymKey(backend, SecretField(in, key)), key);
}

bool Present(const Json& in, const char* key) {
  return in.contains(key) && !in[key].is_null() &&
         !(in[key].is_string() && in[key].get<std::string>().empty());
}

// The fields of an encoded CLIENT-PROF as the schema lists them: each
// field's bytes after its type, cut where our readers end the field.
Json ClientProfileFields(ByteView encoding) {
  wire::Reader reader(encoding);
  const uint32_t count = Take(reader.ReadU32(), "Number of Fields");
  Json fields = Json::array();
  for (uint32_t i = 0; i < count; ++i) {
    const uint16_t type = Take(reader.ReadU16(), "field type");
    const size_t start = encoding.size() - reader.remaining();
    switch (static_cast<ClientProfileField>(type)) {
      case ClientProfileField::kOwnerInstanceTag:
        Take(reader.ReadU32(), "owner instance tag");
        break;
      case ClientProfileField::kEd448PublicKey:
        Take(ReadEd448Pubkey(reader), "ED448-PUBKEY");
        break;
      case ClientProfileField::kEd448ForgingKey:
        Take(ReadEd448ForgingKey(reader), "ED448-FORGING-KEY");
        break;
      case ClientProfileField::kVersions:
        Take(ReadData(reader, kMaxVersionsSize), "Versions");
        break;
      case ClientProfileField::kExpiration:
        Take(reader.ReadU64(), "expiration");
        break;
      case ClientProfileField::kDsaPublicKey:
        Take(v3::ReadPubkey(reader), "PUBKEY");
        break;
      case ClientProfileField::kTransitionalSignature:
        Take(reader.ReadBytes(kTransitionalSignatureSize), "CLIENT-SIG");
        break;
      default:
        throw VectorError("unknown field type in our encoding");
    }
    const size_t end = encoding.size() - reader.remaining();
    fields.push_back({{"type", type}, {"value", Hex(encoding.subspan(start, end - start))}});
  }
  return fields;
}

}  // namespace

// "Creating a Client Profile" with the file's field values (the DSA key and
// the transitional signature are inputs, not computed), signed with
// profile::SignClientProfile under sym_h.
void ComputeClientProfile(const Backend& backend, const Json& in, Computed& out) {
  const SecretBytes sym_h = SecretField(in, "sym_h");
  const profile::Ed448KeyPair h = KeyFromSym(backend, in, "sym_h");
  const profile::Ed448KeyPair f = KeyFromSym(backend, in, "sym_f");
  ClientProfile p;
  p.owner_instance_tag = in.at("instance_tag").get<uint32_t>();
  p.public_key = h.encoded;
  p.forging_key = f.encoded;
  p.versions = StringField(in, "versions");
  p.expiration = in.at("expiration").get<int64_t>();
  if (Present(in, "dsa_pubkey")) {
    const Json& k = in["dsa_pubkey"];
    p.dsa_public_key =
        crypto::DsaPublicKey{BigFromHex(StringField(k, "p")), BigFromHex(StringField(k, "q")),
                             BigFromHex(StringField(k, "g")), BigFromHex(StringField(k, "y"))};
  }
  if (Present(in, "transitional_signature")) {
    const Bytes sig = HexField(in, "transitional_signature");
    if (sig.size() != kTransitionalSignatureSize) throw VectorError("CLIENT-SIG size");
    TransitionalSignature t;
    std::copy(sig.begin(), sig.end(), t.begin());
    p.transitional_signature = t;
  }
  if (Present(in, "field_order")) {
    for (const Json& type : in["field_order"]) {
      p.field_order.push_back(static_cast<ClientProfileField>(type.get<uint16_t>()));
    }
  }
  Check(profile::SignClientProfile(backend, sym_h, p), "SignClientProfile");
  const Bytes encoding = EncodeClientProfile(p);
  out.output["H"] = Hex(h.encoded);
  out.output["F"] = Hex(f.encoded);
  out.output["fields"] = ClientProfileFields(encoding);
  out.output["signed_bytes"] = Hex(ClientProfileSignedBytes(p));
  out.output["signature"] = Hex(p.signature);
  out.output["encoding"] = Hex(encoding);
}

// "Creating a Prekey Profile": profile::CreatePrekeyProfile.
void ComputePrekeyProfile(const Backend& backend, const Json& in, Computed& out) {
  const profile::Ed448KeyPair h = KeyFromSym(backend, in, "sym_h");
  const profile::Ed448KeyPair d = KeyFromSym(backend, in, "sym_d");
  profile::PrekeyProfileParams params;
  params.owner_instance_tag = in.at("instance_tag").get<uint32_t>();
  params.expiration = in.at("expiration").get<int64_t>();
  params.shared_prekey = d.point;
  const PrekeyProfile p =
      Take(profile::CreatePrekeyProfile(backend, SecretField(in, "sym_h"), params),
           "CreatePrekeyProfile");
  out.output["H"] = Hex(h.encoded);
  out.output["D"] = Hex(d.encoded);
  out.output["signed_bytes"] = Hex(PrekeyProfileSignedBytes(p));
  out.output["signature"] = Hex(p.signature);
  out.output["encoding"] = Hex(EncodePrekeyProfile(p));
}

// "Verify a Client/Prekey Profile Signature" is RFC 8032 verification
// under H of the signed bytes: Backend::Ed448Verify. (vectors_test.cc also
// checks the profile layer's verification on the same vectors.)
void ComputeProfileSignatureVerify(const Backend& backend, const Json& in, Computed& out) {
  out.output["valid"] =
      backend
          .Ed448Verify(HexField(in, "H"), HexField(in, "signed_bytes"), HexField(in, "signature"))
          .ok();
}

// otr-v4-prekey-server.md "Key Exchange": the MACs from SK with its KDF
// (PrekeyKdf) over the MAC inputs of protocol/prekey/messages. No C++
// prekey client or server computes these yet; the composition of the
// Prekey MAC below is the one of messages.h's PublicationMacParts comment.
void ComputePrekeyServerMacs(const Backend& backend, const Json& in, Computed& out) {
  const Bytes sk = HexField(in, "SK");
  const SecretBytes k = PrekeyKdf(backend, PrekeyUsage::kPreMacKey, {sk}, 64);
  const uint32_t tag = in.at("receiver_instance_tag").get<uint32_t>();
  const uint32_t stored = in.at("stored_prekey_messages_number").get<uint32_t>();
  auto mac = [&](PrekeyUsage usage, ByteView input) {
    return Hex(PrekeyKdf(backend, usage, {k.view(), input}, 64).view());
  };
  out.output["prekey_mac_k"] = Hex(k.view());
  out.output["storage_information_mac"] =
      mac(PrekeyUsage::kStorageInfoMac, prekey::StorageInformationMacInput());
  out.output["status_mac"] =
      mac(PrekeyUsage::kStatusMac, prekey::StatusMacInput(prekey::StorageStatus{tag, stored, {}}));
  out.output["success_mac"] =
      mac(PrekeyUsage::kSuccessMac, prekey::SuccessMacInput(prekey::Success{tag, {}}));
  out.output["failure_mac"] =
      mac(PrekeyUsage::kFailureMac, prekey::FailureMacInput(prekey::Failure{tag, {}}));
  if (!Present(in, "publication")) return;
  const Json& pub = in["publication"];
  const prekey::PrekeyPublication publication =
      PublicationFromParts(pub.at("prekey_messages"), pub.at("client_profile"),
                           pub.at("prekey_profile"), HexField(pub, "proofs"), Mac{});
  const prekey::PrekeyPublicationMacParts parts = prekey::PublicationMacParts(publication);
  auto kdf64 = [&](PrekeyUsage usage, ByteView values) {
    return PrekeyKdf(backend, usage, {values}, 64).Declassify();
  };
  // KDF(usage_preMAC, prekey_mac_k || message type || N ||
  //   KDF(usage_prekey_message, Prekey Messages, 64) || K ||
  //   [KDF(usage_client_profile, Client Profile, 64)] || J ||
  //   [KDF(usage_prekey_profile, Prekey Profile, 64)] ||
  //   KDF(usage_mac_proofs, Proofs, 64), 64)
  Bytes data = k.Declassify();
  data.push_back(parts.message_type);
  data.push_back(parts.n);
  Bytes part = kdf64(PrekeyUsage::kPrekeyMessage, parts.prekey_messages);
  data.insert(data.end(), part.begin(), part.end());
  data.push_back(parts.k);
  if (parts.k != 0) {
    part = kdf64(PrekeyUsage::kClientProfile, parts.client_profile);
    data.insert(data.end(), part.begin(), part.end());
  }
  data.push_back(parts.j);
  if (parts.j != 0) {
    part = kdf64(PrekeyUsage::kPrekeyProfile, parts.prekey_profile);
    data.insert(data.end(), part.begin(), part.end());
  }
  part = kdf64(PrekeyUsage::kMacProofs, parts.proofs);
  data.insert(data.end(), part.begin(), part.end());
  out.output["prekey_mac"] = Hex(PrekeyKdf(backend, PrekeyUsage::kPreMac, {data}, 64).view());
}

// otr-v4-prekey-server.md "Proofs": m and the keys with our code. The
// proofs themselves have no C++ implementation yet (the prekey client is a
// later issue): omitted here; vectors_test.cc checks that the published
// proofs decode and re-encode with protocol/prekey/messages.
void ComputePrekeyProofs(const Backend& backend, const Json& in, Computed& out) {
  constexpr const char* kNoProofs =
      "no C++ implementation of the prekey server's ECDH and DH proofs yet";
  out.output["m"] =
      Hex(PrekeyKdf(backend, PrekeyUsage::kProofContext, {HexField(in, "SK")}, 64).view());
  const Json& ecdh_r = in.at("ecdh_r");
  const Json& dh_r = in.at("dh_r");
  if (!ecdh_r.empty()) {
    Json ys = Json::array();
    Json bs = Json::array();
    for (const Json& r : ecdh_r) {
      const SecretBytes random(ByteView(FromHex(r.get<std::string>())));
      ys.push_back(PointHex(backend, Take(GenerateEcdhFromRandom(backend, random), "ECDH").pub));
    }
    for (const Json& r : dh_r) {
      const SecretBytes random(ByteView(FromHex(r.get<std::string>())));
      bs.push_back(Hex(Take(GenerateDhFromRandom(backend, random), "DH").pub));
    }
    out.output["Y"] = ys;
    out.output["B"] = bs;
    out.omitted["message_ecdh_proof"] = kNoProofs;
    out.omitted["message_dh_proof"] = kNoProofs;
  }
  if (Present(in, "sym_d")) {
    out.output["D"] = Hex(KeyFromSym(backend, in, "sym_d").encoded);
    out.omitted["prekey_profile_proof"] = kNoProofs;
  }
  out.omitted["proofs"] = kNoProofs;
}

}  // namespace otr::v4::vectors
