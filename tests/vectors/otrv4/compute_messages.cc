// messages.json with protocol/v4/messages and protocol/prekey/messages: each
// message built from its fields as our structs and encoded by our encoders
// (README.md, "Messages", for the fields of each).
#include <algorithm>
#include <string>

#include "protocol/prekey/messages/data_types.h"
#include "protocol/wire/reader.h"
#include "tests/vectors/otrv4/compute_internal.h"

namespace otr::v4::vectors {
namespace {

template <size_t N>
std::array<uint8_t, N> Fixed(const Json& fields, const char* key) {
  const Bytes bytes = HexField(fields, key);
  if (bytes.size() != N) throw VectorError(std::string(key) + " has the wrong size");
  std::array<uint8_t, N> out;
  std::copy(bytes.begin(), bytes.end(), out.begin());
  return out;
}

Point PointField(const Json& f, const char* key) { return Fixed<kPointSize>(f, key); }
Scalar ScalarField(const Json& f, const char* key) { return Fixed<kScalarSize>(f, key); }
Mac MacField(const Json& f, const char* key) { return Fixed<kMacSize>(f, key); }
uint32_t IntField(const Json& f, const char* key) { return f.at(key).get<uint32_t>(); }
// MPI fields are the hex of the minimal value.
Mpi MpiField(const Json& f, const char* key) { return Mpi(BigFromHex(StringField(f, key))); }

RingSig SigmaField(const Json& f, const char* key) {
  return Take(DecodeRingSig(HexField(f, key)), "DecodeRingSig");
}
ClientProfile ClientProfileOf(const std::string& hex) {
  return Take(DecodeClientProfile(FromHex(hex)), "DecodeClientProfile");
}
PrekeyProfile PrekeyProfileOf(const std::string& hex) {
  return Take(DecodePrekeyProfile(FromHex(hex)), "DecodePrekeyProfile");
}
PrekeyMessage PrekeyMessageOf(const std::string& hex) {
  return Take(DecodePrekeyMessage(FromHex(hex)), "DecodePrekeyMessage");
}
Header HeaderField(const Json& f) {
  return Header{IntField(f, "sender_instance_tag"), IntField(f, "receiver_instance_tag")};
}

Message V4FromFields(const std::string& name, const Json& f) {
  if (name == "identity") {
    return IdentityMessage{HeaderField(f),
                           ClientProfileOf(StringField(f, "client_profile")),
                           PointField(f, "Y"),
                           MpiField(f, "B"),
                           PointField(f, "our_ecdh_first_public"),
                           MpiField(f, "our_dh_first_public")};
  }
  if (name == "auth_r") {
    return AuthR{HeaderField(f),
                 ClientProfileOf(StringField(f, "client_profile")),
                 PointField(f, "X"),
                 MpiField(f, "A"),
                 SigmaField(f, "sigma"),
                 PointField(f, "our_ecdh_first_public"),
                 MpiField(f, "our_dh_first_public")};
  }
  if (name == "auth_i") return AuthI{HeaderField(f), SigmaField(f, "sigma")};
  if (name == "prekey_message") {
    return PrekeyMessage{IntField(f, "prekey_message_identifier"),
                         IntField(f, "prekey_owner_instance_tag"), PointField(f, "Y"),
                         MpiField(f, "B")};
  }
  if (name == "non_interactive_auth") {
    return NonInteractiveAuth{HeaderField(f),
                              ClientProfileOf(StringField(f, "client_profile")),
                              PointField(f, "X"),
                              MpiField(f, "A"),
                              SigmaField(f, "sigma"),
                              IntField(f, "prekey_message_identifier"),
                              MacField(f, "auth_mac"),
                              PointField(f, "our_ecdh_first_public"),
                              MpiField(f, "our_dh_first_public")};
  }
  if (name == "data_message") {
    DataMessage m;
    m.header = HeaderField(f);
    m.flags = f.at("flags").get<uint8_t>();
    m.previous_chain_length = IntField(f, "previous_chain_message_number");
    m.ratchet_id = IntField(f, "ratchet_id");
    m.message_id = IntField(f, "message_id");
    m.ecdh = PointField(f, "public_ecdh_key");
    m.dh = MpiField(f, "public_dh_key");
    m.encrypted_message = HexField(f, "encrypted_message");
    m.authenticator = MacField(f, "authenticator");
    const Bytes keys = HexField(f, "old_mac_keys");
    if (keys.size() % kMacKeySize != 0) throw VectorError("old_mac_keys not whole MAC keys");
    for (size_t at = 0; at < keys.size(); at += kMacKeySize) {
      MacKey key;
      std::copy_n(keys.begin() + static_cast<std::ptrdiff_t>(at), kMacKeySize, key.begin());
      m.revealed_mac_keys.push_back(key);
    }
    return m;
  }
  throw VectorError("not an OTRv4 message: " + name);
}

bool Present(const Json& value) {
  return !value.is_null() && !(value.is_string() && value.get<std::string>().empty());
}

prekey::Message PrekeyFromFields(const std::string& name, const Json& f) {
  if (name == "dake_1") {
    return prekey::Dake1{IntField(f, "sender_instance_tag"),
                         ClientProfileOf(StringField(f, "client_profile")), PointField(f, "I")};
  }
  if (name == "dake_2") {
    const Json& id = f.at("prekey_server_composite_identity");
    return prekey::Dake2{IntField(f, "receiver_instance_tag"),
                         prekey::CompositeIdentity{HexField(id, "identity"), PointField(id, "H")},
                         PointField(f, "S"), SigmaField(f, "sigma")};
  }
  if (name == "dake_3") {
    return prekey::Dake3{IntField(f, "sender_instance_tag"), SigmaField(f, "sigma"),
                         HexField(f, "message")};
  }
  if (name == "prekey_publication") {
    prekey::PrekeyPublication m = PublicationFromParts(
        f.at("prekey_messages"), f.at("client_profile"), f.at("prekey_profile"),
        HexField(f, "proofs"), MacField(f, "prekey_mac"));
    // N, K and J are implied by our struct: they must agree with the file's.
    if (IntField(f, "N") != m.prekey_messages.size() ||
        IntField(f, "K") != (m.client_profile ? 1u : 0u) ||
        IntField(f, "J") != (m.prekey_profile ? 1u : 0u)) {
      throw VectorError("N, K or J disagrees with the parts given");
    }
    return m;
  }
  if (name == "storage_information_request") {
    return prekey::StorageInformationRequest{MacField(f, "storage_information_mac")};
  }
  if (name == "storage_status") {
    return prekey::StorageStatus{IntField(f, "receiver_instance_tag"),
                                 IntField(f, "stored_prekey_messages_number"),
                                 MacField(f, "status_mac")};
  }
  if (name == "success") {
    return prekey::Success{IntField(f, "receiver_instance_tag"), MacField(f, "success_mac")};
  }
  if (name == "failure") {
    return prekey::Failure{IntField(f, "receiver_instance_tag"), MacField(f, "failure_mac")};
  }
  if (name == "prekey_ensemble_query_retrieval") {
    return prekey::PrekeyEnsembleQueryRetrieval{IntField(f, "sender_instance_tag"),
                                                HexField(f, "participant_identity"),
                                                HexField(f, "versions")};
  }
  if (name == "prekey_ensemble_retrieval") {
    prekey::PrekeyEnsembleRetrieval m{
        IntField(f, "receiver_instance_tag"), HexField(f, "participant_identity"), {}};
    for (const Json& e : f.at("ensembles")) {
      m.ensembles.push_back(
          prekey::PrekeyEnsemble{ClientProfileOf(StringField(e, "client_profile")),
                                 PrekeyProfileOf(StringField(e, "prekey_profile")),
                                 PrekeyMessageOf(StringField(e, "prekey_message"))});
    }
    if (IntField(f, "L") != m.ensembles.size()) throw VectorError("L is not the count");
    return m;
  }
  if (name == "no_prekey_ensembles_in_storage") {
    return prekey::NoPrekeyEnsemblesInStorage{IntField(f, "receiver_instance_tag"),
                                              HexField(f, "participant_identity"),
                                              HexField(f, "no_prekey_messages_message")};
  }
  throw VectorError("unknown message " + name);
}

bool IsV4Message(const std::string& name) {
  return name == "identity" || name == "auth_r" || name == "auth_i" || name == "prekey_message" ||
         name == "non_interactive_auth" || name == "data_message";
}

}  // namespace

prekey::PrekeyPublication PublicationFromParts(const Json& prekey_messages,
                                               const Json& client_profile,
                                               const Json& prekey_profile, ByteView proofs,
                                               const Mac& prekey_mac) {
  prekey::PrekeyPublication m;
  for (const Json& pm : prekey_messages) {
    m.prekey_messages.push_back(PrekeyMessageOf(pm.get<std::string>()));
  }
  if (Present(client_profile))
    m.client_profile = ClientProfileOf(client_profile.get<std::string>());
  if (Present(prekey_profile))
    m.prekey_profile = PrekeyProfileOf(prekey_profile.get<std::string>());
  // "Prekey Message ECDH proof, Prekey Message DH proof, Prekey Profile ECDH
  // proof", each present as N and J say.
  wire::Reader reader(proofs);
  if (!m.prekey_messages.empty()) {
    prekey::PrekeyMessageProofs p;
    p.ecdh = Take(prekey::ReadEcdhProof(reader), "ReadEcdhProof");
    p.dh = Take(prekey::ReadDhProof(reader), "ReadDhProof");
    m.prekey_message_proofs = p;
  }
  if (m.prekey_profile) m.prekey_profile_proof = Take(prekey::ReadEcdhProof(reader), "proof of D");
  if (reader.remaining() != 0) throw VectorError("bytes after the proofs");
  m.prekey_mac = prekey_mac;
  return m;
}

AnyMessage MessageFromFields(const std::string& name, const Json& fields) {
  if (IsV4Message(name)) return V4FromFields(name, fields);
  return PrekeyFromFields(name, fields);
}

Bytes EncodeAnyMessage(const AnyMessage& message) {
  if (const Message* m = std::get_if<Message>(&message)) return EncodeMessage(*m);
  return prekey::EncodeMessage(std::get<prekey::Message>(message));
}

Result<AnyMessage> DecodeAnyMessage(const std::string& name, ByteView bytes) {
  if (IsV4Message(name)) {
    OTR_ASSIGN_OR_RETURN(Message m, DecodeMessage(bytes));
    return AnyMessage(std::move(m));
  }
  OTR_ASSIGN_OR_RETURN(prekey::Message m, prekey::DecodeMessage(bytes));
  return AnyMessage(std::move(m));
}

void ComputeMessage(const crypto::Backend&, const Json& in, Computed& out) {
  const std::string name = StringField(in, "message");
  out.output["encoding"] = Hex(EncodeAnyMessage(MessageFromFields(name, in.at("fields"))));
}

// ---- TLVs ----

namespace {

template <typename Body>
Body SmpBody(const Json& f);

template <>
SmpMessage1 SmpBody(const Json& f) {
  return SmpMessage1{HexField(f, "question"), PointField(f, "G2a"), ScalarField(f, "c2"),
                     ScalarField(f, "d2"),    PointField(f, "G3a"), ScalarField(f, "c3"),
                     ScalarField(f, "d3")};
}
template <>
SmpMessage2 SmpBody(const Json& f) {
  return SmpMessage2{PointField(f, "G2b"), ScalarField(f, "c2"), ScalarField(f, "d2"),
                     PointField(f, "G3b"), ScalarField(f, "c3"), ScalarField(f, "d3"),
                     PointField(f, "Pb"),  PointField(f, "Qb"),  ScalarField(f, "cp"),
                     ScalarField(f, "d5"), ScalarField(f, "d6")};
}
template <>
SmpMessage3 SmpBody(const Json& f) {
  return SmpMessage3{PointField(f, "Pa"),  PointField(f, "Qa"),  ScalarField(f, "cp"),
                     ScalarField(f, "d5"), ScalarField(f, "d6"), PointField(f, "Ra"),
                     ScalarField(f, "cr"), ScalarField(f, "d7")};
}
template <>
SmpMessage4 SmpBody(const Json& f) {
  return SmpMessage4{PointField(f, "Rb"), ScalarField(f, "cr"), ScalarField(f, "d7")};
}

}  // namespace

Tlv TlvFromInput(const Json& in) {
  const std::string tlv = StringField(in, "tlv");
  if (in.contains("smp_body") && StringField(in, "smp_body") != tlv) {
    throw VectorError("smp_body is not the TLV's");
  }
  if (tlv == "padding") return Padding{HexField(in, "value")};
  if (tlv == "disconnected") {
    Disconnected d;
    const Bytes keys = HexField(in, "value");
    if (keys.size() % kMacKeySize != 0) throw VectorError("not whole MAC keys");
    for (size_t at = 0; at < keys.size(); at += kMacKeySize) {
      MacKey key;
      std::copy_n(keys.begin() + static_cast<std::ptrdiff_t>(at), kMacKeySize, key.begin());
      d.old_mac_keys.push_back(key);
    }
    return d;
  }
  if (tlv == "smp_abort") {
    if (!HexField(in, "value").empty()) throw VectorError("SMP abort with a value");
    return SmpAbort{};
  }
  if (tlv == "extra_symmetric_key") {
    const Json& key = in.at("extra_symmetric_key");
    const Bytes context = HexField(key, "context");
    if (context.size() != 4) throw VectorError("the use indication is 4 bytes");
    wire::Reader reader(context);
    return ExtraSymmetricKey{Take(reader.ReadU32(), "use"), HexField(key, "data")};
  }
  if (tlv == "smp_message_1") return SmpBody<SmpMessage1>(in.at("fields"));
  if (tlv == "smp_message_2") return SmpBody<SmpMessage2>(in.at("fields"));
  if (tlv == "smp_message_3") return SmpBody<SmpMessage3>(in.at("fields"));
  if (tlv == "smp_message_4") return SmpBody<SmpMessage4>(in.at("fields"));
  throw VectorError("unknown TLV " + tlv);
}

// EncodeDataPayload writes an empty message, the NUL, then the record.
Bytes EncodeTlvRecord(const TlvRecord& record) {
  Bytes payload = Take(EncodeDataPayload(DataPayload{{}, true, {record}, {}}), "EncodeDataPayload");
  if (payload.empty() || payload[0] != 0) throw VectorError("no NUL before the TLVs");
  return Bytes(payload.begin() + 1, payload.end());
}

Result<Tlv> DecodeTlvRecord(ByteView encoding) {
  Bytes payload{0};
  payload.insert(payload.end(), encoding.begin(), encoding.end());
  const DataPayload decoded = DecodeDataPayload(payload);
  if (decoded.tlvs.size() != 1 || !decoded.incomplete_tail.empty() || !decoded.message.empty()) {
    return MakeError(ErrorCode::kInvalidEncoding, "not exactly one whole TLV record");
  }
  return DecodeTlv(decoded.tlvs[0]);
}

void ComputeTlv(const crypto::Backend&, const Json& in, Computed& out) {
  const TlvRecord record = Take(EncodeTlv(TlvFromInput(in)), "EncodeTlv");
  out.output["value"] = Hex(record.value);
  out.output["encoding"] = Hex(EncodeTlvRecord(record));
}

}  // namespace otr::v4::vectors
