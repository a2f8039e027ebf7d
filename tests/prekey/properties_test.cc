// Round-trip properties of the prekey-server messages (rapidcheck):
// decode(encode(m)) == m for generated messages of every type (nested
// profiles and Prekey Messages included), encode(decode(b)) == b for every
// byte string that decodes, and mutated encodings never decode to something
// that re-encodes differently.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "protocol/prekey/common/transport.h"
#include "protocol/prekey/messages/messages.h"

namespace otr::prekey {
namespace {

rc::Gen<Bytes> Blob(size_t max) {
  return rc::gen::map(rc::gen::container<Bytes>(rc::gen::arbitrary<uint8_t>()), [max](Bytes b) {
    if (b.size() > max) b.resize(max);
    return b;
  });
}

rc::Gen<Bytes> Mpi(size_t max) {
  return rc::gen::map(Blob(max), [](Bytes b) {
    auto first = std::find_if(b.begin(), b.end(), [](uint8_t x) { return x != 0; });
    return Bytes(first, b.end());
  });
}

template <size_t N>
rc::Gen<std::array<uint8_t, N>> Array() {
  return rc::gen::arbitrary<std::array<uint8_t, N>>();
}

rc::Gen<wire::InstanceTag> SenderTag() {
  return rc::gen::inRange<wire::InstanceTag>(wire::kMinInstanceTag, 0xffffffff);
}
rc::Gen<wire::InstanceTag> ReceiverTag() {
  return rc::gen::oneOf(rc::gen::just<wire::InstanceTag>(0), SenderTag());
}

rc::Gen<crypto::DsaPublicKey> DsaKey() {
  return rc::gen::build<crypto::DsaPublicKey>(rc::gen::set(&crypto::DsaPublicKey::p, Mpi(128)),
                                              rc::gen::set(&crypto::DsaPublicKey::q, Mpi(20)),
                                              rc::gen::set(&crypto::DsaPublicKey::g, Mpi(128)),
                                              rc::gen::set(&crypto::DsaPublicKey::y, Mpi(128)));
}

rc::Gen<v4::ClientProfile> ClientProfile(wire::InstanceTag tag) {
  return rc::gen::exec([tag] {
    v4::ClientProfile p;
    p.owner_instance_tag = tag;
    p.public_key = *Array<57>();
    p.forging_key = *Array<57>();
    const Bytes versions = *Blob(v4::kMaxVersionsSize);
    p.versions.assign(versions.begin(), versions.end());
    p.expiration = *rc::gen::arbitrary<int64_t>();
    if (*rc::gen::arbitrary<bool>()) p.dsa_public_key = *DsaKey();
    if (*rc::gen::arbitrary<bool>()) p.transitional_signature = *Array<40>();
    p.signature = *Array<114>();
    return p;
  });
}

rc::Gen<v4::PrekeyProfile> PrekeyProfile(wire::InstanceTag tag) {
  return rc::gen::exec([tag] {
    v4::PrekeyProfile p;
    p.owner_instance_tag = tag;
    p.expiration = *rc::gen::arbitrary<int64_t>();
    p.shared_prekey = *Array<57>();
    p.signature = *Array<114>();
    return p;
  });
}

rc::Gen<v4::PrekeyMessage> PrekeyMessage(wire::InstanceTag tag) {
  return rc::gen::exec([tag] {
    v4::PrekeyMessage m;
    m.identifier = *rc::gen::arbitrary<uint32_t>();
    m.owner_instance_tag = tag;
    m.y = *Array<57>();
    m.b = v4::Mpi(*Mpi(v4::kDhModulusSize));
    return m;
  });
}

rc::Gen<v4::RingSig> RingSig() {
  return rc::gen::build<v4::RingSig>(
      rc::gen::set(&v4::RingSig::c1, Array<57>()), rc::gen::set(&v4::RingSig::r1, Array<57>()),
      rc::gen::set(&v4::RingSig::c2, Array<57>()), rc::gen::set(&v4::RingSig::r2, Array<57>()),
      rc::gen::set(&v4::RingSig::c3, Array<57>()), rc::gen::set(&v4::RingSig::r3, Array<57>()));
}

rc::Gen<PrekeyPublication> Publication() {
  return rc::gen::exec([] {
    const wire::InstanceTag tag = *SenderTag();
    PrekeyPublication m;
    m.prekey_messages =
        *rc::gen::resize(8, rc::gen::container<std::vector<v4::PrekeyMessage>>(PrekeyMessage(tag)));
    if (*rc::gen::arbitrary<bool>()) m.client_profile = *ClientProfile(tag);
    if (*rc::gen::arbitrary<bool>()) {
      m.prekey_profile = *PrekeyProfile(tag);
      m.prekey_profile_proof = EcdhProof{*Array<64>(), *Array<57>()};
    }
    if (!m.prekey_messages.empty()) {
      m.prekey_message_proofs = PrekeyMessageProofs{{*Array<64>(), *Array<57>()},
                                                    {*Array<64>(), *Mpi(v4::kDhModulusSize)}};
    }
    m.prekey_mac = *Array<64>();
    return m;
  });
}

rc::Gen<Message> AnyMessage() {
  auto dake1 = rc::gen::exec([] {
    const wire::InstanceTag tag = *SenderTag();
    return Dake1{tag, *ClientProfile(tag), *Array<57>()};
  });
  auto dake2 = rc::gen::exec([] {
    return Dake2{*ReceiverTag(), CompositeIdentity{*Blob(kMaxIdentitySize), *Array<57>()},
                 *Array<57>(), *RingSig()};
  });
  auto dake3 = rc::gen::exec([] {
    // The attachment is opaque here; often a real attached message.
    Bytes attached =
        *rc::gen::arbitrary<bool>() ? EncodeMessage(Message(*Publication())) : *Blob(300);
    return Dake3{*SenderTag(), *RingSig(), std::move(attached)};
  });
  auto status = rc::gen::exec([] {
    return StorageStatus{*ReceiverTag(), *rc::gen::arbitrary<uint32_t>(), *Array<64>()};
  });
  auto query = rc::gen::exec([] {
    return PrekeyEnsembleQueryRetrieval{*SenderTag(), *Blob(kMaxIdentitySize),
                                        *Blob(kMaxVersionsSize)};
  });
  auto retrieval = rc::gen::exec([] {
    PrekeyEnsembleRetrieval m{*ReceiverTag(), *Blob(kMaxIdentitySize), {}};
    const size_t l = *rc::gen::inRange<size_t>(1, 4);
    for (size_t i = 0; i < l; ++i) {
      // The retrieval message does not tie the three tags together: that is
      // "Validating Prekey Ensembles", above the wire.
      m.ensembles.push_back({*ClientProfile(*SenderTag()), *PrekeyProfile(*SenderTag()),
                             *PrekeyMessage(*SenderTag())});
    }
    return m;
  });
  auto none = rc::gen::exec([] {
    return NoPrekeyEnsemblesInStorage{*ReceiverTag(), *Blob(kMaxIdentitySize),
                                      *Blob(kMaxNoPrekeyTextSize)};
  });
  return rc::gen::oneOf(
      rc::gen::cast<Message>(dake1), rc::gen::cast<Message>(dake2), rc::gen::cast<Message>(dake3),
      rc::gen::cast<Message>(Publication()),
      rc::gen::map(Array<64>(),
                   [](v4::Mac mac) { return Message(StorageInformationRequest{mac}); }),
      rc::gen::cast<Message>(status), rc::gen::exec([] {
        return Message(Success{*ReceiverTag(), *Array<64>()});
      }),
      rc::gen::exec([] {
        return Message(Failure{*ReceiverTag(), *Array<64>()});
      }),
      rc::gen::cast<Message>(query), rc::gen::cast<Message>(retrieval),
      rc::gen::cast<Message>(none));
}

Bytes Mutate(Bytes b, size_t position, uint8_t value, int kind) {
  if (b.empty()) return Bytes{value};
  position %= b.size();
  switch (kind % 4) {
    case 0:
      b[position] ^= static_cast<uint8_t>(value | 1);
      break;
    case 1:
      b.insert(b.begin() + static_cast<long>(position), value);
      break;
    case 2:
      b.erase(b.begin() + static_cast<long>(position));
      break;
    default:
      b.resize(position);
      break;
  }
  return b;
}

RC_GTEST_PROP(PrekeyMessageProperty, DecodeEncodeRoundTrip, ()) {
  const Message m = *AnyMessage();
  RC_ASSERT(ValidateMessage(m).ok());
  const Bytes bytes = EncodeMessage(m);
  Result<Message> decoded = DecodeMessage(bytes);
  RC_ASSERT(decoded.ok());
  RC_ASSERT(*decoded == m);
  RC_ASSERT(EncodeMessage(*decoded) == bytes);
  RC_ASSERT(TypeOf(*decoded) == TypeOf(m));
}

// The text form a prekey-server message travels in (otr-prekey-server.md:
// base64 and a final "."): every message comes back whole from its text.
RC_GTEST_PROP(TransportProperty, EncodeDecodeRoundTrip, ()) {
  const Message m = *AnyMessage();
  const std::string text = EncodeForTransport(m);
  RC_ASSERT(text.back() == '.');
  Result<Message> decoded = DecodeFromTransport(text);
  RC_ASSERT(decoded.ok());
  RC_ASSERT(*decoded == m);
  RC_ASSERT(EncodeForTransport(*decoded) == text);
}

RC_GTEST_PROP(PrekeyMessageProperty, AttachedMessagesRoundTrip, ()) {
  const PrekeyPublication publication = *Publication();
  auto back = DecodeAttachedMessage(EncodeAttachedMessage(publication));
  RC_ASSERT(back.ok());
  RC_ASSERT(std::get<PrekeyPublication>(*back) == publication);
}

RC_GTEST_PROP(PrekeyMessageProperty, MutationsNeverDecodeToSomethingElse,
              (size_t position, uint8_t value, int kind)) {
  const Bytes mutated = Mutate(EncodeMessage(*AnyMessage()), position, value, kind);
  Result<Message> decoded = DecodeMessage(mutated);
  if (decoded.ok()) RC_ASSERT(EncodeMessage(*decoded) == mutated);
}

RC_GTEST_PROP(PrekeyMessageProperty, ArbitraryBytesDecodeCanonically, (const Bytes& bytes)) {
  Result<Message> decoded = DecodeMessage(bytes);
  if (decoded.ok()) RC_ASSERT(EncodeMessage(*decoded) == bytes);
}

RC_GTEST_PROP(CompositeIdentityProperty, RoundTrip, ()) {
  const CompositeIdentity id{*Blob(kMaxIdentitySize), *Array<57>()};
  auto back = DecodeCompositeIdentity(EncodeCompositeIdentity(id));
  RC_ASSERT(back.ok());
  RC_ASSERT(*back == id);
}

}  // namespace
}  // namespace otr::prekey
