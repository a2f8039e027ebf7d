#include "protocol/v3/data_types.h"

#include <algorithm>

namespace otr::v3 {

Result<crypto::DsaPublicKey> ReadPubkey(wire::Reader& reader) {
  OTR_ASSIGN_OR_RETURN(uint16_t type, reader.ReadU16());
  if (type != kPubkeyTypeDsa) return MakeError(ErrorCode::kUnknownType, "PUBKEY type not DSA");
  crypto::DsaPublicKey key;
  OTR_ASSIGN_OR_RETURN(ByteView p, reader.ReadMpi(kMaxDsaPSize));
  OTR_ASSIGN_OR_RETURN(ByteView q, reader.ReadMpi(kMaxDsaQSize));
  OTR_ASSIGN_OR_RETURN(ByteView g, reader.ReadMpi(kMaxDsaPSize));
  OTR_ASSIGN_OR_RETURN(ByteView y, reader.ReadMpi(kMaxDsaPSize));
  key.p.assign(p.begin(), p.end());
  key.q.assign(q.begin(), q.end());
  key.g.assign(g.begin(), g.end());
  key.y.assign(y.begin(), y.end());
  return key;
}

void WritePubkey(wire::Writer& writer, const crypto::DsaPublicKey& key) {
  writer.WriteU16(kPubkeyTypeDsa);
  writer.WriteMpi(key.p);
  writer.WriteMpi(key.q);
  writer.WriteMpi(key.g);
  writer.WriteMpi(key.y);
}

Result<crypto::DsaPublicKey> DecodePubkey(ByteView bytes) {
  wire::Reader reader(bytes);
  OTR_ASSIGN_OR_RETURN(crypto::DsaPublicKey key, ReadPubkey(reader));
  OTR_RETURN_IF_ERROR(reader.ExpectEnd());
  return key;
}

Bytes EncodePubkey(const crypto::DsaPublicKey& key) {
  wire::Writer writer;
  WritePubkey(writer, key);
  return std::move(writer).Finish();
}

Result<Sig> ReadSig(wire::Reader& reader) {
  OTR_ASSIGN_OR_RETURN(ByteView bytes, reader.ReadBytes(kSigSize));
  Sig sig;
  std::copy(bytes.begin(), bytes.end(), sig.begin());
  return sig;
}

Result<SignedKeyId> DecodeSignedKeyId(ByteView bytes) {
  wire::Reader reader(bytes);
  SignedKeyId x;
  OTR_ASSIGN_OR_RETURN(x.pub, ReadPubkey(reader));
  OTR_ASSIGN_OR_RETURN(x.keyid, reader.ReadU32());
  if (x.keyid == 0) return MakeError(ErrorCode::kOutOfRange, "AKE keyid must be > 0");
  OTR_ASSIGN_OR_RETURN(x.sig, ReadSig(reader));
  OTR_RETURN_IF_ERROR(reader.ExpectEnd());
  return x;
}

Bytes EncodeSignedKeyId(const SignedKeyId& x) {
  wire::Writer writer;
  WritePubkey(writer, x.pub);
  writer.WriteU32(x.keyid);
  writer.WriteBytes(x.sig);
  return std::move(writer).Finish();
}

}  // namespace otr::v3
