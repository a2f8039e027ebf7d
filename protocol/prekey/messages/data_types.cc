#include "protocol/prekey/messages/data_types.h"

#include "protocol/prekey/messages/header.h"

namespace otr::prekey {

Result<EcdhProof> ReadEcdhProof(wire::Reader& reader) {
  EcdhProof proof;
  OTR_ASSIGN_OR_RETURN(proof.c, v4::ReadArray<kProofChallengeSize>(reader));
  OTR_ASSIGN_OR_RETURN(proof.v, v4::ReadScalar(reader));
  return proof;
}

void WriteEcdhProof(wire::Writer& writer, const EcdhProof& proof) {
  writer.WriteBytes(proof.c);
  v4::WriteScalar(writer, proof.v);
}

Result<DhProof> ReadDhProof(wire::Reader& reader) {
  DhProof proof;
  OTR_ASSIGN_OR_RETURN(proof.c, v4::ReadArray<kProofChallengeSize>(reader));
  OTR_ASSIGN_OR_RETURN(const ByteView v, reader.ReadMpi(v4::kDhModulusSize));
  proof.v.assign(v.begin(), v.end());
  return proof;
}

void WriteDhProof(wire::Writer& writer, const DhProof& proof) {
  writer.WriteBytes(proof.c);
  v4::WriteMpi(writer, proof.v);
}

Result<CompositeIdentity> ReadCompositeIdentity(wire::Reader& reader) {
  CompositeIdentity id;
  OTR_ASSIGN_OR_RETURN(id.identity, v4::ReadData(reader, kMaxIdentitySize));
  OTR_ASSIGN_OR_RETURN(id.public_key, v4::ReadEd448Pubkey(reader));
  return id;
}

void WriteCompositeIdentity(wire::Writer& writer, const CompositeIdentity& id) {
  v4::WriteData(writer, id.identity);
  v4::WriteEd448Pubkey(writer, id.public_key);
}

Result<CompositeIdentity> DecodeCompositeIdentity(ByteView bytes) {
  wire::Reader reader(bytes);
  OTR_ASSIGN_OR_RETURN(CompositeIdentity id, ReadCompositeIdentity(reader));
  OTR_RETURN_IF_ERROR(reader.ExpectEnd());
  return id;
}

Bytes EncodeCompositeIdentity(const CompositeIdentity& id) {
  wire::Writer writer;
  WriteCompositeIdentity(writer, id);
  return std::move(writer).Finish();
}

}  // namespace otr::prekey
