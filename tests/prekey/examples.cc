#include "tests/prekey/examples.h"

namespace otr::prekey::testing {

v4::ClientProfile ExampleClientProfile(wire::InstanceTag owner) {
  v4::ClientProfile p;
  p.owner_instance_tag = owner;
  p.public_key = Filler<57>(0x10);
  p.forging_key = Filler<57>(0x50);
  p.versions = "4";
  p.expiration = 1'700'604'800;
  p.signature = Filler<114>(0x90);
  return p;
}

v4::PrekeyProfile ExamplePrekeyProfile(wire::InstanceTag owner) {
  v4::PrekeyProfile p;
  p.owner_instance_tag = owner;
  p.expiration = 1'700'604'800;
  p.shared_prekey = Filler<57>(0x20);
  p.signature = Filler<114>(0x30);
  return p;
}

v4::PrekeyMessage ExamplePrekeyMessage(uint32_t identifier, wire::InstanceTag owner) {
  v4::PrekeyMessage m;
  m.identifier = identifier;
  m.owner_instance_tag = owner;
  m.y = Filler<57>(static_cast<uint8_t>(identifier));
  m.b = v4::Mpi(Bytes{0x02, 0x03, 0x05, 0x07});
  return m;
}

v4::RingSig ExampleRingSig() {
  v4::RingSig s;
  s.c1 = Filler<57>(0x01);
  s.r1 = Filler<57>(0x02);
  s.c2 = Filler<57>(0x03);
  s.r2 = Filler<57>(0x04);
  s.c3 = Filler<57>(0x05);
  s.r3 = Filler<57>(0x06);
  return s;
}

CompositeIdentity ExampleServerIdentity() { return {ToBytes("prekey.xmpp.org"), Filler<57>(0x40)}; }

std::vector<Message> AllExampleMessages() {
  std::vector<Message> out;
  out.push_back(Dake1{kPublisherTag, ExampleClientProfile(), Filler<57>(0x60)});
  out.push_back(Dake2{kPublisherTag, ExampleServerIdentity(), Filler<57>(0x70), ExampleRingSig()});

  PrekeyPublication only_messages;
  only_messages.prekey_messages = {ExamplePrekeyMessage(1), ExamplePrekeyMessage(2)};
  only_messages.prekey_message_proofs = PrekeyMessageProofs{{Filler<64>(0xa0), Filler<57>(0xb0)},
                                                            {Filler<64>(0xc0), Bytes{0x01, 0x00}}};
  only_messages.prekey_mac = Filler<64>(0xd0);
  out.push_back(only_messages);

  PrekeyPublication only_profiles;
  only_profiles.client_profile = ExampleClientProfile();
  only_profiles.prekey_profile = ExamplePrekeyProfile();
  only_profiles.prekey_profile_proof = EcdhProof{Filler<64>(0xe0), Filler<57>(0xf0)};
  only_profiles.prekey_mac = Filler<64>(0x11);
  out.push_back(only_profiles);

  PrekeyPublication everything = only_messages;
  everything.client_profile = only_profiles.client_profile;
  everything.prekey_profile = only_profiles.prekey_profile;
  everything.prekey_profile_proof = only_profiles.prekey_profile_proof;
  out.push_back(everything);

  out.push_back(Dake3{kPublisherTag, ExampleRingSig(), EncodeMessage(everything)});
  StorageInformationRequest request{Filler<64>(0x21)};
  out.push_back(request);
  out.push_back(Dake3{kPublisherTag, ExampleRingSig(), EncodeMessage(request)});
  out.push_back(StorageStatus{kPublisherTag, 42, Filler<64>(0x31)});
  out.push_back(Success{kPublisherTag, Filler<64>(0x41)});
  out.push_back(Failure{kPublisherTag, Filler<64>(0x51)});
  out.push_back(PrekeyEnsembleQueryRetrieval{kRetrieverTag, ToBytes("bob@xmpp.org"), ToBytes("4")});
  PrekeyEnsembleRetrieval retrieval{kRetrieverTag, ToBytes("bob@xmpp.org"), {}};
  retrieval.ensembles.push_back(
      {ExampleClientProfile(), ExamplePrekeyProfile(), ExamplePrekeyMessage(7)});
  retrieval.ensembles.push_back({ExampleClientProfile(0x99999999), ExamplePrekeyProfile(0x99999999),
                                 ExamplePrekeyMessage(8, 0x99999999)});
  out.push_back(retrieval);
  out.push_back(NoPrekeyEnsemblesInStorage{kRetrieverTag, ToBytes("bob@xmpp.org"),
                                           ToBytes(kNoPrekeyMessagesText)});
  return out;
}

}  // namespace otr::prekey::testing
