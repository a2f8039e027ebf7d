// client_profile.json and prekey_profile.json with protocol/v4/messages
// (encodings, signed bytes) and protocol/v4/profile (keys, signing), and
// prekey_server.json with protocol/prekey/messages (MAC inputs, proofs on
// the wire) and protocol/v4/crypto (the prekey server's KDF, key generation).
#include <string>
#include <vector>

#include "protocol/prekey/common/dake_crypto.h"
#include "protocol/prekey/common/proofs.h"
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
// The MACs with protocol/prekey/common/dake_crypto.h (what the server core
// and the client compute).
void ComputePrekeyServerMacs(const Backend& backend, const Json& in, Computed& out) {
  const SecretBytes k = prekey::PrekeyMacKey(backend, SecretField(in, "SK"));
  const uint32_t tag = in.at("receiver_instance_tag").get<uint32_t>();
  const uint32_t stored = in.at("stored_prekey_messages_number").get<uint32_t>();
  out.output["prekey_mac_k"] = Hex(k.view());
  out.output["storage_information_mac"] = Hex(prekey::StorageInformationMac(backend, k));
  out.output["status_mac"] =
      Hex(prekey::StorageStatusMac(backend, k, prekey::StorageStatus{tag, stored, {}}));
  out.output["success_mac"] = Hex(prekey::SuccessMac(backend, k, prekey::Success{tag, {}}));
  out.output["failure_mac"] = Hex(prekey::FailureMac(backend, k, prekey::Failure{tag, {}}));
  if (!Present(in, "publication")) return;
  const Json& pub = in["publication"];
  const prekey::PrekeyPublication publication =
      PublicationFromParts(pub.at("prekey_messages"), pub.at("client_profile"),
                           pub.at("prekey_profile"), HexField(pub, "proofs"), Mac{});
  out.output["prekey_mac"] =
      Hex(prekey::PrekeyPublicationMac(backend, k, prekey::PublicationMacParts(publication)));
}

// otr-v4-prekey-server.md "Proofs": m, the keys and the proofs with
// protocol/prekey/common (GenerateEcdhProofWithR, GenerateDhProofWithR, from
// the vector's r), each proof also verified by our verifier.
void ComputePrekeyProofs(const Backend& backend, const Json& in, Computed& out) {
  const SecretBytes sk = SecretField(in, "SK");
  const SecretBytes m = prekey::ProofContext(backend, sk);
  out.output["m"] = Hex(m.view());
  const Json& ecdh_r = in.at("ecdh_r");
  const Json& dh_r = in.at("dh_r");
  const Json& proof_r = in.at("proof_r");
  Bytes proofs;
  if (!ecdh_r.empty()) {
    Json ys = Json::array();
    Json bs = Json::array();
    std::vector<SecretBytes> y_secrets, b_secrets;
    std::vector<crypto::Ed448Point> y_points;
    std::vector<Bytes> b_pubs;
    for (const Json& r : ecdh_r) {
      const SecretBytes random(ByteView(FromHex(r.get<std::string>())));
      EcdhKeyPair y = Take(GenerateEcdhFromRandom(backend, random), "ECDH");
      ys.push_back(PointHex(backend, y.pub()));
      y_secrets.push_back(y.secret());
      y_points.push_back(y.pub());
    }
    for (const Json& r : dh_r) {
      const SecretBytes random(ByteView(FromHex(r.get<std::string>())));
      crypto::DhKeyPair b = Take(GenerateDhFromRandom(backend, random), "DH");
      bs.push_back(Hex(b.pub));
      b_secrets.push_back(b.secret);
      b_pubs.push_back(b.pub.ToBytes());
    }
    out.output["Y"] = ys;
    out.output["B"] = bs;
    const prekey::EcdhProof pe = Take(
        prekey::GenerateEcdhProofWithR(backend, SecretField(proof_r, "message_ecdh"), y_secrets,
                                       y_points, m.view(), PrekeyUsage::kProofMessageEcdh),
        "ECDH proof");
    const prekey::DhProof pd =
        Take(prekey::GenerateDhProofWithR(backend, SecretField(proof_r, "message_dh"), b_secrets,
                                          b_pubs, m.view()),
             "DH proof");
    if (!prekey::VerifyEcdhProof(backend, pe, y_points, m.view(), PrekeyUsage::kProofMessageEcdh)
             .ok() ||
        !prekey::VerifyDhProof(backend, pd, b_pubs, m.view()).ok()) {
      throw VectorError("our prekey message proofs do not verify");
    }
    wire::Writer we;
    prekey::WriteEcdhProof(we, pe);
    wire::Writer wd;
    prekey::WriteDhProof(wd, pd);
    out.output["message_ecdh_proof"] = Hex(we.bytes());
    out.output["message_dh_proof"] = Hex(wd.bytes());
    proofs.insert(proofs.end(), we.bytes().begin(), we.bytes().end());
    proofs.insert(proofs.end(), wd.bytes().begin(), wd.bytes().end());
  }
  if (Present(in, "sym_d")) {
    const Ed448KeyPair d = Take(DeriveEd448KeyPair(backend, SecretField(in, "sym_d")), "sym_d");
    out.output["D"] = PointHex(backend, d.pub);
    const prekey::EcdhProof pp = Take(
        prekey::GenerateEcdhProofWithR(backend, SecretField(proof_r, "shared_ecdh"), {d.secret},
                                       {d.pub}, m.view(), PrekeyUsage::kProofSharedEcdh),
        "shared prekey proof");
    if (!prekey::VerifyEcdhProof(backend, pp, {d.pub}, m.view(), PrekeyUsage::kProofSharedEcdh)
             .ok()) {
      throw VectorError("our prekey profile proof does not verify");
    }
    wire::Writer w;
    prekey::WriteEcdhProof(w, pp);
    out.output["prekey_profile_proof"] = Hex(w.bytes());
    proofs.insert(proofs.end(), w.bytes().begin(), w.bytes().end());
  }
  out.output["proofs"] = Hex(proofs);
}

// otr-v4-prekey-server.md "Key Exchange": the DAKEZ's values with
// protocol/prekey/common/dake_crypto.h, SK from both sides.
void ComputePrekeyServerDake(const Backend& backend, const Json& in, Computed& out) {
  const EcdhKeyPair i = Take(GenerateEcdhFromRandom(backend, SecretField(in, "i_r")), "i");
  const EcdhKeyPair s = Take(GenerateEcdhFromRandom(backend, SecretField(in, "s_r")), "s");
  const Ed448KeyPair server =
      Take(DeriveEd448KeyPair(backend, SecretField(in, "server_sym_h")), "server_sym_h");
  const Bytes server_identity = HexField(in, "server_identity");
  const Bytes publisher_identity = HexField(in, "publisher_identity");
  const prekey::CompositeIdentity composite{server_identity, backend.Ed448Encode(server.pub)};
  const Bytes composite_encoding = prekey::EncodeCompositeIdentity(composite);
  const auto text = [](const Bytes& b) { return std::string(b.begin(), b.end()); };
  const Bytes phi = prekey::ServerDakePhi(text(publisher_identity), text(server_identity));
  const Bytes cp = HexField(in, "client_profile");
  const Point i_pub = backend.Ed448Encode(i.pub());
  const Point s_pub = backend.Ed448Encode(s.pub());
  const SecretBytes sk = Take(prekey::ServerDakeSharedSecret(backend, i.secret(), s.pub()), "SK");
  const SecretBytes sk_server =
      Take(prekey::ServerDakeSharedSecret(backend, s.secret(), i.pub()), "SK (server)");
  if (!(sk == sk_server)) throw VectorError("the two sides' SK differ");
  out.output["I"] = Hex(i_pub);
  out.output["S"] = Hex(s_pub);
  out.output["H_s"] = PointHex(backend, server.pub);
  out.output["composite_identity"] = Hex(composite_encoding);
  out.output["phi"] = Hex(phi);
  out.output["t_dake2"] = Hex(prekey::ServerDakeT(backend, prekey::DakeTranscript::kDake2, cp,
                                                  composite_encoding, i_pub, s_pub, phi));
  out.output["t_dake3"] = Hex(prekey::ServerDakeT(backend, prekey::DakeTranscript::kDake3, cp,
                                                  composite_encoding, i_pub, s_pub, phi));
  out.output["SK"] = Hex(sk.view());
  out.output["prekey_mac_k"] = Hex(prekey::PrekeyMacKey(backend, sk).view());
  out.output["m"] = Hex(prekey::ProofContext(backend, sk).view());
}

}  // namespace otr::v4::vectors
