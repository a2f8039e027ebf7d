// libotr-ng's messages in the engine's structs (carrier.h).
#include "protocol/v4/libotr_ng/carrier.h"

#include <algorithm>
#include <utility>

#include "protocol/v4/libotr_ng/client_profile.h"

namespace otr::v4::libotr_ng {
namespace {

// libotr-ng's profile bytes (fields, then its signature) as the spec's
// struct; the signature is not checked here (ValidateIdentity does).
Result<ClientProfile> ProfileFromLibotrNg(ByteView bytes) {
  if (bytes.size() < crypto::kEd448SignatureSize) {
    return MakeError(ErrorCode::kTruncated, "libotr-ng Client Profile: no signature");
  }
  const ByteView signature = bytes.last(crypto::kEd448SignatureSize);
  OTR_ASSIGN_OR_RETURN(Bytes spec,
                       FieldsFromLibotrNg(bytes.first(bytes.size() - signature.size())));
  spec.insert(spec.end(), signature.begin(), signature.end());
  return DecodeClientProfile(spec);
}

Result<Bytes> ProfileToLibotrNg(const ClientProfile& profile) {
  OTR_ASSIGN_OR_RETURN(Bytes bytes, FieldsToLibotrNg(ClientProfileSignedBytes(profile)));
  bytes.insert(bytes.end(), profile.signature.begin(), profile.signature.end());
  return bytes;
}

// The fields both Data Message structs name alike.
template <typename From, typename To>
void CopyRatchetFields(const From& from, To& to) {
  to.flags = from.flags;
  to.previous_chain_length = from.previous_chain_length;
  to.ratchet_id = from.ratchet_id;
  to.message_id = from.message_id;
  to.ecdh = from.ecdh;
  to.dh = from.dh;
  to.revealed_mac_keys.assign(from.revealed_mac_keys.begin(), from.revealed_mac_keys.end());
}

RingSig SigmaFromLibotrNg(const RingSigma& s) {
  return RingSig{s.c1, s.r1, s.c2, s.r2, s.c3, s.r3};
}

RingSigma SigmaToLibotrNg(const RingSig& s) {
  return RingSigma{s.c1, s.r1, s.c2, s.r2, s.c3, s.r3};
}

}  // namespace

Result<IdentityMessage> ToLibotrNg(const v4::IdentityMessage& m) {
  OTR_ASSIGN_OR_RETURN(Bytes profile, ProfileToLibotrNg(m.client_profile));
  return IdentityMessage{m.header, std::move(profile), m.y, m.b, m.our_ecdh_first, m.our_dh_first};
}

Result<AuthR> ToLibotrNg(const v4::AuthR& m) {
  OTR_ASSIGN_OR_RETURN(Bytes profile, ProfileToLibotrNg(m.client_profile));
  return AuthR{m.header,       std::move(profile),      m.x, m.a, m.our_ecdh_first,
               m.our_dh_first, SigmaToLibotrNg(m.sigma)};
}

AuthI ToLibotrNg(const v4::AuthI& m) { return AuthI{m.header, SigmaToLibotrNg(m.sigma)}; }

Result<DataMessage> ToLibotrNg(const v4::DataMessage& m) {
  if (m.encrypted_message.size() < kNonceSize) {
    return MakeError(ErrorCode::kTruncated, "libotr-ng Data Message: no nonce");
  }
  DataMessage out;
  out.sender_tag = m.header.sender_instance_tag;
  out.receiver_tag = m.header.receiver_instance_tag;
  CopyRatchetFields(m, out);
  std::copy_n(m.encrypted_message.begin(), kNonceSize, out.nonce.begin());
  out.encrypted_message.assign(m.encrypted_message.begin() + kNonceSize, m.encrypted_message.end());
  out.mac = m.authenticator;
  return out;
}

Result<NonInteractiveAuth> ToLibotrNg(const v4::NonInteractiveAuth& m) {
  if (!m.our_dh_first.empty() || m.our_ecdh_first != Point{}) {
    return MakeError(ErrorCode::kInvalidEncoding,
                     "libotr-ng Non-Interactive-Auth: no first ratchet keys (#4)");
  }
  OTR_ASSIGN_OR_RETURN(Bytes profile, ProfileToLibotrNg(m.client_profile));
  return NonInteractiveAuth{m.header,  std::move(profile),       m.x,
                            m.a,       SigmaToLibotrNg(m.sigma), m.prekey_message_identifier,
                            m.auth_mac};
}

Result<v4::IdentityMessage> FromLibotrNg(const IdentityMessage& m) {
  OTR_ASSIGN_OR_RETURN(ClientProfile profile, ProfileFromLibotrNg(m.client_profile));
  return v4::IdentityMessage{m.header, std::move(profile), m.y, m.b, m.y_first, m.b_first};
}

Result<v4::AuthR> FromLibotrNg(const AuthR& m) {
  OTR_ASSIGN_OR_RETURN(ClientProfile profile, ProfileFromLibotrNg(m.client_profile));
  return v4::AuthR{m.header,  std::move(profile), m.x, m.a, SigmaFromLibotrNg(m.sigma),
                   m.x_first, m.a_first};
}

v4::AuthI FromLibotrNg(const AuthI& m) { return v4::AuthI{m.header, SigmaFromLibotrNg(m.sigma)}; }

v4::DataMessage FromLibotrNg(const DataMessage& m) {
  v4::DataMessage out;
  out.header.sender_instance_tag = m.sender_tag;
  out.header.receiver_instance_tag = m.receiver_tag;
  CopyRatchetFields(m, out);
  out.encrypted_message.assign(m.nonce.begin(), m.nonce.end());
  out.encrypted_message.insert(out.encrypted_message.end(), m.encrypted_message.begin(),
                               m.encrypted_message.end());
  out.authenticator = m.mac;
  return out;
}

Result<v4::NonInteractiveAuth> FromLibotrNg(const NonInteractiveAuth& m) {
  OTR_ASSIGN_OR_RETURN(ClientProfile profile, ProfileFromLibotrNg(m.client_profile));
  v4::NonInteractiveAuth out;
  out.header = m.header;
  out.client_profile = std::move(profile);
  out.x = m.x;
  out.a = m.a;
  out.sigma = SigmaFromLibotrNg(m.sigma);
  out.prekey_message_identifier = m.prekey_message_identifier;
  out.auth_mac = m.auth_mac;
  return out;
}

Result<v4::Message> DecodeCarried(const crypto::Backend& backend, ByteView bytes) {
  if (bytes.size() < 3) return MakeError(ErrorCode::kTruncated, "libotr-ng message: no header");
  switch (static_cast<MessageType>(bytes[2])) {
    case MessageType::kIdentity: {
      OTR_ASSIGN_OR_RETURN(IdentityMessage m, DecodeIdentity(bytes));
      OTR_ASSIGN_OR_RETURN(v4::IdentityMessage carried, FromLibotrNg(m));
      return v4::Message{std::move(carried)};
    }
    case MessageType::kAuthR: {
      OTR_ASSIGN_OR_RETURN(AuthR m, DecodeAuthR(backend, bytes));
      OTR_ASSIGN_OR_RETURN(v4::AuthR carried, FromLibotrNg(m));
      return v4::Message{std::move(carried)};
    }
    case MessageType::kAuthI: {
      OTR_ASSIGN_OR_RETURN(AuthI m, DecodeAuthI(backend, bytes));
      return v4::Message{FromLibotrNg(m)};
    }
    case MessageType::kData: {
      OTR_ASSIGN_OR_RETURN(DataMessage m, Decode(bytes));
      return v4::Message{FromLibotrNg(m)};
    }
    case MessageType::kNonInteractiveAuth: {
      OTR_ASSIGN_OR_RETURN(NonInteractiveAuth m, DecodeNonInteractiveAuth(backend, bytes));
      OTR_ASSIGN_OR_RETURN(v4::NonInteractiveAuth carried, FromLibotrNg(m));
      return v4::Message{std::move(carried)};
    }
    default:
      return MakeError(ErrorCode::kUnknownType,
                       "libotr-ng profile: only Identity, Auth-R, Auth-I, Non-Interactive-Auth "
                       "and Data Messages");
  }
}

Result<Bytes> EncodeCarried(const v4::Message& m) {
  if (const auto* identity = std::get_if<v4::IdentityMessage>(&m)) {
    OTR_ASSIGN_OR_RETURN(IdentityMessage ng, ToLibotrNg(*identity));
    return EncodeIdentity(ng);
  }
  if (const auto* auth_r = std::get_if<v4::AuthR>(&m)) {
    OTR_ASSIGN_OR_RETURN(AuthR ng, ToLibotrNg(*auth_r));
    return EncodeAuthR(ng);
  }
  if (const auto* auth_i = std::get_if<v4::AuthI>(&m)) return EncodeAuthI(ToLibotrNg(*auth_i));
  if (const auto* data = std::get_if<v4::DataMessage>(&m)) {
    OTR_ASSIGN_OR_RETURN(DataMessage ng, ToLibotrNg(*data));
    return Encode(ng);
  }
  if (const auto* auth = std::get_if<v4::NonInteractiveAuth>(&m)) {
    OTR_ASSIGN_OR_RETURN(NonInteractiveAuth ng, ToLibotrNg(*auth));
    return EncodeNonInteractiveAuth(ng);
  }
  return MakeError(ErrorCode::kUnknownType,
                   "libotr-ng profile: only Identity, Auth-R, Auth-I, Non-Interactive-Auth and "
                   "Data Messages");
}

}  // namespace otr::v4::libotr_ng
