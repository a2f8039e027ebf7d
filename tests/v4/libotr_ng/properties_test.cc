// Round trips of the `libotr-ng` compatibility profile's decoders
// (protocol/v4/libotr_ng; fuzz/README.md, "Decoders"): libotr-ng's Data
// Message, its 336-byte ring signature, its signed Client Profile and its
// DAKE messages decode to what was encoded, and encode again to the same
// bytes.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <array>
#include <cstdint>
#include <memory>
#include <variant>
#include <vector>

#include "crypto/backends.h"
#include "crypto/modp_group.h"
#include "protocol/prekey/common/libotr_ng.h"
#include "protocol/v4/libotr_ng/carrier.h"
#include "protocol/v4/libotr_ng/client_profile.h"
#include "protocol/v4/libotr_ng/dake.h"
#include "protocol/v4/libotr_ng/data_message.h"
#include "protocol/v4/libotr_ng/non_interactive.h"
#include "protocol/v4/libotr_ng/ring_signature.h"
#include "protocol/v4/libotr_ng/smp_body.h"
#include "protocol/wire/writer.h"
#include "tests/session/v4_fixture.h"

namespace otr::v4::libotr_ng {
namespace {

template <size_t N>
rc::Gen<std::array<uint8_t, N>> AnyArray() {
  return rc::gen::arbitrary<std::array<uint8_t, N>>();
}

rc::Gen<Bytes> AnyBytes(size_t max) {
  return rc::gen::resize(static_cast<int>(max), rc::gen::arbitrary<Bytes>());
}

// A Data Message's DH key: any bytes, at most the 384 it holds.
rc::Gen<crypto::DhPublic> AnyDh() {
  return rc::gen::map(AnyBytes(crypto::kMaxDhPublicSize), [](Bytes b) {
    if (b.size() > crypto::kMaxDhPublicSize) b.resize(crypto::kMaxDhPublicSize);
    return crypto::DhPublic(b);
  });
}

// A scalar below q (q is just under 2^446): 55 random bytes and a top byte
// below 0x3f, little-endian, the 57th byte zero as in memory.
rc::Gen<ScalarBytes> ScalarBelowQ() {
  return rc::gen::map(AnyArray<56>(), [](std::array<uint8_t, 56> in) {
    ScalarBytes s{};
    std::copy(in.begin(), in.end(), s.begin());
    s[55] %= 0x3f;
    return s;
  });
}

RC_GTEST_PROP(LibotrNgDataMessageProperty, DecodeEncodeRoundTrip, ()) {
  DataMessage m;
  m.sender_tag = *rc::gen::arbitrary<uint32_t>();
  m.receiver_tag = *rc::gen::arbitrary<uint32_t>();
  m.flags = *rc::gen::arbitrary<uint8_t>();
  m.previous_chain_length = *rc::gen::arbitrary<uint32_t>();
  m.ratchet_id = *rc::gen::arbitrary<uint32_t>();
  m.message_id = *rc::gen::arbitrary<uint32_t>();
  m.ecdh = *AnyArray<57>();
  m.dh = *AnyDh();
  m.nonce = *AnyArray<kNonceSize>();
  m.encrypted_message = *AnyBytes(2000);
  m.mac = *AnyArray<kMacSize>();
  m.revealed_mac_keys =
      *rc::gen::resize(4, rc::gen::arbitrary<std::vector<std::array<uint8_t, kMacSize>>>());
  const Bytes bytes = Encode(m);
  auto decoded = Decode(bytes);
  RC_ASSERT(decoded.ok());
  RC_ASSERT(Encode(*decoded) == bytes);
  RC_ASSERT(decoded->dh == m.dh);
  RC_ASSERT(decoded->encrypted_message == m.encrypted_message);
  RC_ASSERT(decoded->revealed_mac_keys == m.revealed_mac_keys);
  RC_ASSERT(EncodeBody(*decoded) == EncodeBody(m));
}

// The carrier (carrier.h): a libotr-ng Data Message read into the engine's
// struct and written back is the same bytes.
RC_GTEST_PROP(LibotrNgCarrierProperty, DataMessageRoundTrip, ()) {
  DataMessage m;
  m.sender_tag = *rc::gen::arbitrary<uint32_t>();
  m.receiver_tag = *rc::gen::arbitrary<uint32_t>();
  m.flags = *rc::gen::arbitrary<uint8_t>();
  m.ratchet_id = *rc::gen::arbitrary<uint32_t>();
  m.message_id = *rc::gen::arbitrary<uint32_t>();
  m.ecdh = *AnyArray<57>();
  m.dh = *AnyDh();
  m.nonce = *AnyArray<kNonceSize>();
  m.encrypted_message = *AnyBytes(500);
  m.mac = *AnyArray<kMacSize>();
  const Bytes bytes = Encode(m);
  auto carried = DecodeCarried(crypto::DefaultBackend(), bytes);
  RC_ASSERT(carried.ok());
  auto back = EncodeCarried(*carried);
  RC_ASSERT(back.ok());
  RC_ASSERT(*back == bytes);
}

// libotr-ng's SMP bodies (smp_body.h): 56-byte scalars to the spec's 57 and
// back, for each SMP message's layout.
RC_GTEST_PROP(LibotrNgSmpBodyProperty, RoundTrip, ()) {
  const uint16_t type = *rc::gen::inRange<uint16_t>(2, 6);
  // The fields after the question: POINTs of 57 bytes, SCALARs of 56
  // ("SMP Message 1" .. "SMP Message 4").
  const size_t fields = type == 2   ? 2 * 57 + 4 * 56
                        : type == 3 ? 4 * 57 + 7 * 56
                        : type == 4 ? 3 * 57 + 5 * 56
                                    : 57 + 2 * 56;
  Bytes body;
  if (type == 2) {
    const Bytes question = *AnyBytes(40);
    body = {0, 0, 0, static_cast<uint8_t>(question.size())};
    body.insert(body.end(), question.begin(), question.end());
  }
  const Bytes rest = *rc::gen::container<Bytes>(fields, rc::gen::arbitrary<uint8_t>());
  body.insert(body.end(), rest.begin(), rest.end());
  auto spec = SmpBodyFromLibotrNg(type, body);
  RC_ASSERT(spec.ok());
  RC_ASSERT(spec->size() == body.size() + (type == 5 ? 2u : type == 4 ? 5u : type == 3 ? 7u : 4u));
  auto back = SmpBodyToLibotrNg(type, *spec);
  RC_ASSERT(back.ok());
  RC_ASSERT(*back == body);
  RC_ASSERT(!SmpBodyFromLibotrNg(type, ByteView(body).first(body.size() - 1)).ok());
}

RC_GTEST_PROP(LibotrNgRingSigProperty, DecodeEncodeRoundTrip, ()) {
  RingSigma sigma;
  for (ScalarBytes* s : {&sigma.c1, &sigma.r1, &sigma.c2, &sigma.r2, &sigma.c3, &sigma.r3}) {
    *s = *ScalarBelowQ();
  }
  const Bytes bytes = EncodeRingSig(sigma);
  RC_ASSERT(bytes.size() == kRingSigWireSize);
  for (const crypto::Backend* backend : crypto::AllBackends()) {
    auto decoded = DecodeRingSig(*backend, bytes);
    RC_ASSERT(decoded.ok());
    RC_ASSERT(*decoded == sigma);
  }
}

// Our Client Profile with arbitrary tag, versions and expiry, signed
// libotr-ng's way, decodes and verifies to the same fields and signs again to
// the same bytes (EdDSA is deterministic); one changed byte fails.
RC_GTEST_PROP(LibotrNgClientProfileProperty, SignDecodeRoundTrip, ()) {
  for (const crypto::Backend* backend : crypto::AllBackends()) {
    static std::unique_ptr<v4::Identity> identities[2];
    auto& identity = identities[backend == crypto::AllBackends()[0] ? 0 : 1];
    if (!identity) identity = testing::MakeV4Identity(*backend, 7, 0x100, 1700000000);
    RC_ASSERT(identity != nullptr);
    ClientProfile profile = identity->client_profile;
    profile.owner_instance_tag = *rc::gen::inRange<uint32_t>(0x100, 0xffffffff);
    profile.versions = *rc::gen::element<std::string>("4", "43");
    profile.expiration = *rc::gen::inRange<int64_t>(0, int64_t{1} << 40);
    auto bytes = EncodeAndSignClientProfile(*backend, identity->long_term.sym_key, profile);
    RC_ASSERT(bytes.ok());
    auto decoded = DecodeAndVerifyClientProfile(*backend, *bytes);
    RC_ASSERT(decoded.ok());
    ClientProfile fields = *decoded;
    fields.signature = profile.signature;
    RC_ASSERT(fields == profile);
    auto again = EncodeAndSignClientProfile(*backend, identity->long_term.sym_key, *decoded);
    RC_ASSERT(again.ok());
    RC_ASSERT(*again == *bytes);
    Bytes changed = *bytes;
    const size_t at = *rc::gen::inRange<size_t>(0, changed.size());
    changed[at] ^= *rc::gen::inRange<uint8_t>(1, 255);
    RC_ASSERT(!DecodeAndVerifyClientProfile(*backend, changed).ok());
  }
}

// A Client Profile in libotr-ng's bytes, for the DAKE messages.
Bytes NgProfileBytes() {
  static const Bytes bytes = [] {
    const crypto::Backend& backend = *crypto::AllBackends()[0];
    auto identity = testing::MakeV4Identity(backend, 8, 0x100, 1700000000);
    auto out =
        EncodeAndSignClientProfile(backend, identity->long_term.sym_key, identity->client_profile);
    return out.ok() ? *out : Bytes();
  }();
  return bytes;
}

// A valid instance tag ("Instance Tags": at least 0x100).
rc::Gen<uint32_t> AnyTag() { return rc::gen::inRange<uint32_t>(0x100, 0xffffffff); }

// A minimal big-endian value (no leading zero byte), as MPIs are.
rc::Gen<Mpi> AnyMpi() {
  return rc::gen::map(AnyBytes(384), [](Bytes b) {
    if (b.size() > Mpi::kCapacity) b.resize(Mpi::kCapacity);
    while (!b.empty() && b.front() == 0) b.erase(b.begin());
    return Mpi(b);
  });
}

RC_GTEST_PROP(LibotrNgDakeProperty, IdentityRoundTrip, ()) {
  IdentityMessage m;
  m.header = Header{*AnyTag(), *AnyTag()};
  m.client_profile = NgProfileBytes();
  RC_ASSERT(!m.client_profile.empty());
  m.y = *AnyArray<57>();
  m.b = *AnyMpi();
  m.y_first = *AnyArray<57>();
  m.b_first = *AnyMpi();
  const Bytes bytes = EncodeIdentity(m);
  auto decoded = DecodeIdentity(bytes);
  RC_ASSERT(decoded.ok());
  RC_ASSERT(EncodeIdentity(*decoded) == bytes);
  RC_ASSERT(decoded->client_profile == m.client_profile);
  RC_ASSERT(decoded->b_first == m.b_first);
  RC_ASSERT(!DecodeIdentity(ByteView(bytes).first(bytes.size() - 1)).ok());
}

RC_GTEST_PROP(LibotrNgDakeProperty, AuthRAndAuthIRoundTrip, ()) {
  RingSigma sigma;
  for (ScalarBytes* s : {&sigma.c1, &sigma.r1, &sigma.c2, &sigma.r2, &sigma.c3, &sigma.r3}) {
    *s = *ScalarBelowQ();
  }
  AuthR r;
  r.header = Header{*AnyTag(), *AnyTag()};
  r.client_profile = NgProfileBytes();
  r.x = *AnyArray<57>();
  r.a = *AnyMpi();
  r.x_first = *AnyArray<57>();
  r.a_first = *AnyMpi();
  r.sigma = sigma;
  const AuthI i{r.header, sigma};
  for (const crypto::Backend* backend : crypto::AllBackends()) {
    const Bytes r_bytes = EncodeAuthR(r);
    auto r_back = DecodeAuthR(*backend, r_bytes);
    RC_ASSERT(r_back.ok());
    RC_ASSERT(EncodeAuthR(*r_back) == r_bytes);
    RC_ASSERT(r_back->sigma == sigma);
    const Bytes i_bytes = EncodeAuthI(i);
    auto i_back = DecodeAuthI(*backend, i_bytes);
    RC_ASSERT(i_back.ok());
    RC_ASSERT(EncodeAuthI(*i_back) == i_bytes);
    RC_ASSERT(!DecodeAuthI(*backend, r_bytes).ok());
  }
}

// libotr-ng's Non-Interactive-Auth (non_interactive.h, no first ratchet
// keys) decodes to what was encoded and encodes to the same bytes; a byte
// short or a byte more fails, and neither Auth-R nor Auth-I reads it.
RC_GTEST_PROP(LibotrNgNonInteractiveProperty, NonInteractiveAuthRoundTrip, ()) {
  NonInteractiveAuth m;
  m.header = Header{*AnyTag(), *AnyTag()};
  m.client_profile = NgProfileBytes();
  m.x = *AnyArray<57>();
  m.a = *AnyMpi();
  for (ScalarBytes* s :
       {&m.sigma.c1, &m.sigma.r1, &m.sigma.c2, &m.sigma.r2, &m.sigma.c3, &m.sigma.r3}) {
    *s = *ScalarBelowQ();
  }
  m.prekey_message_identifier = *rc::gen::arbitrary<uint32_t>();
  m.auth_mac = *AnyArray<64>();
  const Bytes bytes = EncodeNonInteractiveAuth(m);
  for (const crypto::Backend* backend : crypto::AllBackends()) {
    auto back = DecodeNonInteractiveAuth(*backend, bytes);
    RC_ASSERT(back.ok());
    RC_ASSERT(EncodeNonInteractiveAuth(*back) == bytes);
    RC_ASSERT(back->client_profile == m.client_profile);
    RC_ASSERT(back->sigma == m.sigma);
    RC_ASSERT(back->prekey_message_identifier == m.prekey_message_identifier);
    RC_ASSERT(back->auth_mac == m.auth_mac);
    RC_ASSERT(!DecodeNonInteractiveAuth(*backend, ByteView(bytes).first(bytes.size() - 1)).ok());
    Bytes longer = bytes;
    longer.push_back(0);
    RC_ASSERT(!DecodeNonInteractiveAuth(*backend, longer).ok());
    RC_ASSERT(!DecodeAuthR(*backend, bytes).ok());
    // The carrier holds it in the engine's struct and writes the same bytes.
    auto carried = DecodeCarried(*backend, bytes);
    RC_ASSERT(carried.ok());
    RC_ASSERT(std::holds_alternative<v4::NonInteractiveAuth>(*carried));
    auto again = EncodeCarried(*carried);
    RC_ASSERT(again.ok());
    RC_ASSERT(*again == bytes);
  }
}

// libotr-ng's Prekey Ensemble Retrieval (L a BYTE) decodes to what was
// encoded, ensembles as sent, and encodes to the same bytes; a byte short
// fails, and so does an L of 0.
RC_GTEST_PROP(LibotrNgPrekeyDakeProperty, EnsembleRetrievalRoundTrip, ()) {
  prekey::libotr_ng::EnsembleRetrieval m;
  m.receiver_instance_tag = *AnyTag();
  m.participant_identity =
      *rc::gen::container<Bytes>(*rc::gen::inRange<size_t>(0, 40), rc::gen::arbitrary<uint8_t>());
  const size_t count = *rc::gen::inRange<size_t>(1, 4);
  for (size_t i = 0; i < count; ++i) {
    prekey::libotr_ng::Ensemble e;
    e.client_profile = NgProfileBytes();
    wire::Writer pp;
    pp.WriteU32(*AnyTag());
    pp.WriteU64(*rc::gen::arbitrary<uint64_t>());
    pp.WriteU16(0x0011);
    pp.WriteBytes(*AnyArray<57>());
    pp.WriteBytes(*AnyArray<114>());
    e.prekey_profile = std::move(pp).Finish();
    PrekeyMessage pm;
    pm.identifier = *rc::gen::arbitrary<uint32_t>();
    pm.owner_instance_tag = *AnyTag();
    pm.y = *AnyArray<57>();
    pm.b = *AnyMpi();
    e.prekey_message = EncodePrekeyMessage(pm);
    m.ensembles.push_back(std::move(e));
  }
  const Bytes bytes = prekey::libotr_ng::EncodeEnsembleRetrieval(m);
  auto back = prekey::libotr_ng::DecodeEnsembleRetrieval(bytes);
  RC_ASSERT(back.ok());
  RC_ASSERT(prekey::libotr_ng::EncodeEnsembleRetrieval(*back) == bytes);
  RC_ASSERT(back->ensembles.size() == count);
  RC_ASSERT(back->ensembles[0].prekey_message == m.ensembles[0].prekey_message);
  RC_ASSERT(
      !prekey::libotr_ng::DecodeEnsembleRetrieval(ByteView(bytes).first(bytes.size() - 1)).ok());
  prekey::libotr_ng::EnsembleRetrieval none = m;
  none.ensembles.clear();
  RC_ASSERT(
      !prekey::libotr_ng::DecodeEnsembleRetrieval(prekey::libotr_ng::EncodeEnsembleRetrieval(none))
           .ok());
}

// libotr-ng's DAKE-1 and DAKE-3 with the prekey server
// (protocol/prekey/common/libotr_ng.h) decode to what was encoded and encode
// to the same bytes; a byte short fails.
RC_GTEST_PROP(LibotrNgPrekeyDakeProperty, Dake1AndDake3RoundTrip, ()) {
  prekey::libotr_ng::Dake1 d1;
  d1.sender_instance_tag = *AnyTag();
  d1.client_profile = NgProfileBytes();
  RC_ASSERT(!d1.client_profile.empty());
  d1.i = *AnyArray<57>();
  const Bytes d1_bytes = prekey::libotr_ng::EncodeDake1(d1);
  auto d1_back = prekey::libotr_ng::DecodeDake1(d1_bytes);
  RC_ASSERT(d1_back.ok());
  RC_ASSERT(d1_back->sender_instance_tag == d1.sender_instance_tag);
  RC_ASSERT(d1_back->client_profile == d1.client_profile);
  RC_ASSERT(d1_back->i == d1.i);
  RC_ASSERT(prekey::libotr_ng::EncodeDake1(*d1_back) == d1_bytes);
  RC_ASSERT(!prekey::libotr_ng::DecodeDake1(ByteView(d1_bytes).first(d1_bytes.size() - 1)).ok());

  prekey::libotr_ng::Dake3 d3;
  d3.sender_instance_tag = *AnyTag();
  for (ScalarBytes* s :
       {&d3.sigma.c1, &d3.sigma.r1, &d3.sigma.c2, &d3.sigma.r2, &d3.sigma.c3, &d3.sigma.r3}) {
    *s = *ScalarBelowQ();
  }
  d3.message = *AnyBytes(300);
  const Bytes d3_bytes = prekey::libotr_ng::EncodeDake3(d3);
  for (const crypto::Backend* backend : crypto::AllBackends()) {
    auto d3_back = prekey::libotr_ng::DecodeDake3(*backend, d3_bytes);
    RC_ASSERT(d3_back.ok());
    RC_ASSERT(d3_back->sender_instance_tag == d3.sender_instance_tag);
    RC_ASSERT(d3_back->sigma == d3.sigma);
    RC_ASSERT(d3_back->message == d3.message);
    RC_ASSERT(prekey::libotr_ng::EncodeDake3(*d3_back) == d3_bytes);
    RC_ASSERT(
        !prekey::libotr_ng::DecodeDake3(*backend, ByteView(d3_bytes).first(d3_bytes.size() - 1))
             .ok());
  }
}

// libotr-ng's DAKE-2 (protocol/prekey/common/libotr_ng.h; what our server
// sends a libotr-ng-variant client) decodes to what was encoded and encodes
// to the same bytes; a byte short, or the spec's little-endian key type,
// fails.
RC_GTEST_PROP(LibotrNgPrekeyDakeProperty, Dake2RoundTrip, ()) {
  prekey::libotr_ng::Dake2 d2;
  d2.receiver_instance_tag = *AnyTag();
  d2.server_identity.identity =
      *rc::gen::container<Bytes>(*rc::gen::inRange<size_t>(0, 40), rc::gen::arbitrary<uint8_t>());
  d2.server_identity.public_key = *AnyArray<57>();
  d2.s = *AnyArray<57>();
  for (ScalarBytes* s :
       {&d2.sigma.c1, &d2.sigma.r1, &d2.sigma.c2, &d2.sigma.r2, &d2.sigma.c3, &d2.sigma.r3}) {
    *s = *ScalarBelowQ();
  }
  const Bytes bytes = prekey::libotr_ng::EncodeDake2(d2);
  // The key type follows the header (3), the tag (4) and the identity.
  const size_t type_at = 3 + 4 + 4 + d2.server_identity.identity.size();
  RC_ASSERT(bytes[type_at] == 0x00);
  RC_ASSERT(bytes[type_at + 1] == 0x10);
  Bytes spec_type = bytes;
  spec_type[type_at] = 0x10;
  spec_type[type_at + 1] = 0x00;
  for (const crypto::Backend* backend : crypto::AllBackends()) {
    auto back = prekey::libotr_ng::DecodeDake2(*backend, bytes);
    RC_ASSERT(back.ok());
    RC_ASSERT(back->receiver_instance_tag == d2.receiver_instance_tag);
    RC_ASSERT(back->server_identity == d2.server_identity);
    RC_ASSERT(back->s == d2.s);
    RC_ASSERT(back->sigma == d2.sigma);
    RC_ASSERT(prekey::libotr_ng::EncodeDake2(*back) == bytes);
    RC_ASSERT(
        !prekey::libotr_ng::DecodeDake2(*backend, ByteView(bytes).first(bytes.size() - 1)).ok());
    auto refused = prekey::libotr_ng::DecodeDake2(*backend, spec_type);
    RC_ASSERT(!refused.ok());
    RC_ASSERT(refused.error().code == ErrorCode::kUnknownType);
  }
}

// libotr-ng's Prekey Publication (protocol/prekey/common/libotr_ng.h), with
// and without each part, decodes to what was encoded and encodes to the same
// bytes; a byte short fails.
RC_GTEST_PROP(LibotrNgPrekeyDakeProperty, PublicationRoundTrip, ()) {
  prekey::libotr_ng::Publication m;
  const uint32_t tag = *AnyTag();
  const size_t n = *rc::gen::inRange<size_t>(0, 4);
  for (size_t i = 0; i < n; ++i) {
    v4::PrekeyMessage pm;
    pm.identifier = *rc::gen::arbitrary<uint32_t>();
    pm.owner_instance_tag = tag;
    pm.y = *AnyArray<57>();
    pm.b = *AnyMpi();
    m.prekey_messages.push_back(pm);
  }
  if (*rc::gen::arbitrary<bool>()) m.client_profile = NgProfileBytes();
  const bool j = *rc::gen::arbitrary<bool>();
  if (j) m.prekey_profile = *rc::gen::container<Bytes>(185, rc::gen::arbitrary<uint8_t>());
  auto ecdh_proof = [] {
    prekey::EcdhProof p;
    p.c = *AnyArray<64>();
    p.v = *ScalarBelowQ();
    return p;
  };
  if (n > 0) {
    prekey::PrekeyMessageProofs proofs;
    proofs.ecdh = ecdh_proof();
    proofs.dh.c = *AnyArray<64>();
    proofs.dh.v = (*AnyMpi()).ToBytes();
    m.prekey_message_proofs = proofs;
  }
  if (j) m.prekey_profile_proof = ecdh_proof();
  m.prekey_mac = *AnyArray<64>();
  const Bytes bytes = prekey::libotr_ng::EncodePublication(m);
  auto back = prekey::libotr_ng::DecodePublication(bytes);
  RC_ASSERT(back.ok());
  RC_ASSERT(back->prekey_messages == m.prekey_messages);
  RC_ASSERT(back->client_profile == m.client_profile);
  RC_ASSERT(back->prekey_profile == m.prekey_profile);
  RC_ASSERT(back->prekey_message_proofs == m.prekey_message_proofs);
  RC_ASSERT(back->prekey_profile_proof == m.prekey_profile_proof);
  RC_ASSERT(back->prekey_mac == m.prekey_mac);
  RC_ASSERT(prekey::libotr_ng::EncodePublication(*back) == bytes);
  RC_ASSERT(!prekey::libotr_ng::DecodePublication(ByteView(bytes).first(bytes.size() - 1)).ok());
}

// libotr-ng's Prekey Profile signed over its bytes decodes and verifies under
// its H; one changed byte fails.
RC_GTEST_PROP(LibotrNgPrekeyDakeProperty, PrekeyProfileSignVerifyRoundTrip, ()) {
  for (const crypto::Backend* backend : crypto::AllBackends()) {
    static std::unique_ptr<v4::Identity> identities[2];
    auto& identity = identities[backend == crypto::AllBackends()[0] ? 0 : 1];
    if (!identity) identity = testing::MakeV4Identity(*backend, 9, 0x100, 1700000000);
    RC_ASSERT(identity != nullptr);
    wire::Writer w;
    const uint32_t tag = *AnyTag();
    const uint64_t expiration = *rc::gen::inRange<uint64_t>(0, uint64_t{1} << 40);
    const Point d = identity->client_profile.forging_key;  // any point on the curve
    w.WriteU32(tag);
    w.WriteU64(expiration);
    w.WriteU16(v4::kSharedPrekeyTypeEd448);
    w.WriteBytes(d);
    Bytes bytes = std::move(w).Finish();
    auto signature = backend->Ed448Sign(identity->long_term.sym_key, bytes);
    RC_ASSERT(signature.ok());
    bytes.insert(bytes.end(), signature->begin(), signature->end());
    auto decoded = prekey::libotr_ng::DecodeAndVerifyPrekeyProfile(
        *backend, bytes, identity->client_profile.public_key);
    RC_ASSERT(decoded.ok());
    RC_ASSERT(decoded->owner_instance_tag == tag);
    RC_ASSERT(decoded->expiration == static_cast<int64_t>(expiration));
    RC_ASSERT(decoded->shared_prekey == d);
    Bytes changed = bytes;
    changed[*rc::gen::inRange<size_t>(0, changed.size())] ^= *rc::gen::inRange<uint8_t>(1, 255);
    RC_ASSERT(!prekey::libotr_ng::DecodeAndVerifyPrekeyProfile(*backend, changed,
                                                               identity->client_profile.public_key)
                   .ok());
  }
}

}  // namespace
}  // namespace otr::v4::libotr_ng
