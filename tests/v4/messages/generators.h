// rapidcheck generators of OTRv4 wire values (test-only): every value they
// make satisfies the decode rules of protocol/v4/messages, so it must survive
// encode -> decode unchanged.
#ifndef OTR_TESTS_V4_MESSAGES_GENERATORS_H_
#define OTR_TESTS_V4_MESSAGES_GENERATORS_H_

#include <rapidcheck.h>

#include <algorithm>
#include <array>
#include <vector>

#include "protocol/v3/data_types.h"
#include "protocol/v4/messages/messages.h"
#include "protocol/v4/messages/tlv.h"

namespace otr::v4::testing {

// A minimal big-endian number (no leading zero byte) of at most `max` bytes.
inline rc::Gen<Bytes> MinimalMpi(size_t max) {
  return rc::gen::map(rc::gen::container<Bytes>(rc::gen::arbitrary<uint8_t>()), [max](Bytes b) {
    if (b.size() > max) b.resize(max);
    size_t skip = 0;
    while (skip < b.size() && b[skip] == 0) ++skip;
    return Bytes(b.begin() + static_cast<long>(skip), b.end());
  });
}

// A v4 MPI (a 3072-bit group element's size, v4::Mpi).
inline rc::Gen<v4::Mpi> DhMpi() {
  return rc::gen::map(MinimalMpi(kDhModulusSize), [](const Bytes& b) { return v4::Mpi(b); });
}

inline rc::Gen<Bytes> Blob(size_t max) {
  return rc::gen::map(rc::gen::container<Bytes>(rc::gen::arbitrary<uint8_t>()), [max](Bytes b) {
    if (b.size() > max) b.resize(max);
    return b;
  });
}

template <size_t N>
rc::Gen<std::array<uint8_t, N>> Array() {
  return rc::gen::arbitrary<std::array<uint8_t, N>>();
}

inline rc::Gen<wire::InstanceTag> Tag(bool allow_zero) {
  auto valid = rc::gen::inRange<wire::InstanceTag>(wire::kMinInstanceTag, 0xffffffff);
  return allow_zero ? rc::gen::oneOf(rc::gen::just<wire::InstanceTag>(0), valid) : valid;
}

inline rc::Gen<Header> AnyHeader() {
  return rc::gen::apply(
      [](wire::InstanceTag s, wire::InstanceTag r) {
        return Header{s, r};
      },
      Tag(false), Tag(true));
}

inline rc::Gen<crypto::DsaPublicKey> DsaKey() {
  return rc::gen::build<crypto::DsaPublicKey>(
      rc::gen::set(&crypto::DsaPublicKey::p, MinimalMpi(v3::kMaxDsaPSize)),
      rc::gen::set(&crypto::DsaPublicKey::q, MinimalMpi(v3::kMaxDsaQSize)),
      rc::gen::set(&crypto::DsaPublicKey::g, MinimalMpi(v3::kMaxDsaPSize)),
      rc::gen::set(&crypto::DsaPublicKey::y, MinimalMpi(v3::kMaxDsaPSize)));
}

inline rc::Gen<ClientProfile> AnyClientProfile() {
  return rc::gen::exec([] {
    ClientProfile p;
    p.owner_instance_tag = *Tag(false);
    p.public_key = *Array<kPointSize>();
    p.forging_key = *Array<kPointSize>();
    Bytes versions = *Blob(kMaxVersionsSize);
    p.versions.assign(versions.begin(), versions.end());
    p.expiration = *rc::gen::arbitrary<int64_t>();
    if (*rc::gen::arbitrary<bool>()) p.dsa_public_key = *DsaKey();
    if (*rc::gen::arbitrary<bool>())
      p.transitional_signature = *Array<kTransitionalSignatureSize>();
    p.signature = *Array<kEdDsaSignatureSize>();
    if (*rc::gen::arbitrary<bool>()) {
      // A shuffled wire order; Decode reports it only when not canonical.
      std::vector<ClientProfileField> order = ClientProfileFieldsInOrder(p);
      std::vector<ClientProfileField> canonical = order;
      for (size_t i = order.size(); i > 1; --i) {
        std::swap(order[i - 1], order[*rc::gen::inRange<size_t>(0, i)]);
      }
      if (order != canonical) p.field_order = order;
    }
    return p;
  });
}

inline rc::Gen<PrekeyProfile> AnyPrekeyProfile() {
  return rc::gen::build<PrekeyProfile>(rc::gen::set(&PrekeyProfile::owner_instance_tag, Tag(false)),
                                       rc::gen::set(&PrekeyProfile::expiration),
                                       rc::gen::set(&PrekeyProfile::shared_prekey),
                                       rc::gen::set(&PrekeyProfile::signature));
}

inline rc::Gen<RingSig> AnyRingSig() {
  return rc::gen::build<RingSig>(rc::gen::set(&RingSig::c1), rc::gen::set(&RingSig::r1),
                                 rc::gen::set(&RingSig::c2), rc::gen::set(&RingSig::r2),
                                 rc::gen::set(&RingSig::c3), rc::gen::set(&RingSig::r3));
}

inline rc::Gen<DataMessage> AnyDataMessage() {
  return rc::gen::exec([] {
    DataMessage m;
    m.header = *AnyHeader();
    m.flags = *rc::gen::arbitrary<uint8_t>();
    m.previous_chain_length = *rc::gen::arbitrary<uint32_t>();
    m.ratchet_id = *rc::gen::arbitrary<uint32_t>();
    m.message_id = *rc::gen::arbitrary<uint32_t>();
    m.ecdh = *Array<kPointSize>();
    m.dh = *DhMpi();
    m.encrypted_message = *Blob(4096);
    m.authenticator = *Array<kMacSize>();
    m.revealed_mac_keys = *rc::gen::container<std::vector<MacKey>>(Array<kMacKeySize>());
    return m;
  });
}

inline rc::Gen<Message> AnyMessage() {
  auto identity = rc::gen::exec([] {
    IdentityMessage m;
    m.header = *AnyHeader();
    m.client_profile = *AnyClientProfile();
    m.y = *Array<kPointSize>();
    m.b = *DhMpi();
    m.our_ecdh_first = *Array<kPointSize>();
    m.our_dh_first = *DhMpi();
    return Message(std::move(m));
  });
  auto auth_r = rc::gen::exec([] {
    AuthR m;
    m.header = *AnyHeader();
    m.client_profile = *AnyClientProfile();
    m.x = *Array<kPointSize>();
    m.a = *DhMpi();
    m.sigma = *AnyRingSig();
    m.our_ecdh_first = *Array<kPointSize>();
    m.our_dh_first = *DhMpi();
    return Message(std::move(m));
  });
  auto auth_i = rc::gen::exec([] { return Message(AuthI{*AnyHeader(), *AnyRingSig()}); });
  auto prekey = rc::gen::exec([] {
    PrekeyMessage m;
    m.identifier = *rc::gen::arbitrary<uint32_t>();
    m.owner_instance_tag = *Tag(false);
    m.y = *Array<kPointSize>();
    m.b = *DhMpi();
    return Message(std::move(m));
  });
  auto non_interactive = rc::gen::exec([] {
    NonInteractiveAuth m;
    m.header = *AnyHeader();
    m.client_profile = *AnyClientProfile();
    m.x = *Array<kPointSize>();
    m.a = *DhMpi();
    m.sigma = *AnyRingSig();
    m.prekey_message_identifier = *rc::gen::arbitrary<uint32_t>();
    m.auth_mac = *Array<kMacSize>();
    m.our_ecdh_first = *Array<kPointSize>();
    m.our_dh_first = *DhMpi();
    return Message(std::move(m));
  });
  auto data = rc::gen::map(AnyDataMessage(), [](DataMessage m) { return Message(std::move(m)); });
  return rc::gen::oneOf(identity, auth_r, auth_i, prekey, non_interactive, data);
}

inline rc::Gen<SmpMessage1> AnySmp1() {
  return rc::gen::exec([] {
    SmpMessage1 m;
    m.question = *Blob(300);
    m.g2a = *Array<kPointSize>();
    m.c2 = *Array<kScalarSize>();
    m.d2 = *Array<kScalarSize>();
    m.g3a = *Array<kPointSize>();
    m.c3 = *Array<kScalarSize>();
    m.d3 = *Array<kScalarSize>();
    return m;
  });
}
inline rc::Gen<SmpMessage2> AnySmp2() {
  return rc::gen::exec([] {
    SmpMessage2 m;
    for (Point* p : {&m.g2b, &m.g3b, &m.pb, &m.qb}) *p = *Array<kPointSize>();
    for (Scalar* s : {&m.c2, &m.d2, &m.c3, &m.d3, &m.cp, &m.d5, &m.d6}) *s = *Array<kScalarSize>();
    return m;
  });
}
inline rc::Gen<SmpMessage3> AnySmp3() {
  return rc::gen::exec([] {
    SmpMessage3 m;
    for (Point* p : {&m.pa, &m.qa, &m.ra}) *p = *Array<kPointSize>();
    for (Scalar* s : {&m.cp, &m.d5, &m.d6, &m.cr, &m.d7}) *s = *Array<kScalarSize>();
    return m;
  });
}
inline rc::Gen<SmpMessage4> AnySmp4() {
  return rc::gen::exec([] {
    SmpMessage4 m;
    m.rb = *Array<kPointSize>();
    m.cr = *Array<kScalarSize>();
    m.d7 = *Array<kScalarSize>();
    return m;
  });
}

inline rc::Gen<Tlv> AnyTlv() {
  auto padding = rc::gen::build<Padding>(rc::gen::set(&Padding::data, Blob(300)));
  auto disconnected = rc::gen::build<Disconnected>(rc::gen::set(
      &Disconnected::old_mac_keys, rc::gen::container<std::vector<MacKey>>(Array<kMacKeySize>())));
  auto esk = rc::gen::build<ExtraSymmetricKey>(
      rc::gen::set(&ExtraSymmetricKey::use), rc::gen::set(&ExtraSymmetricKey::use_data, Blob(300)));
  auto unknown = rc::gen::build<UnknownTlv>(
      rc::gen::set(&UnknownTlv::type, rc::gen::inRange<uint16_t>(8, 0xffff)),
      rc::gen::set(&UnknownTlv::value, Blob(300)));
  return rc::gen::oneOf(
      rc::gen::cast<Tlv>(padding), rc::gen::cast<Tlv>(disconnected), rc::gen::cast<Tlv>(AnySmp1()),
      rc::gen::cast<Tlv>(AnySmp2()), rc::gen::cast<Tlv>(AnySmp3()), rc::gen::cast<Tlv>(AnySmp4()),
      rc::gen::just(Tlv(SmpAbort{})), rc::gen::cast<Tlv>(esk), rc::gen::cast<Tlv>(unknown));
}

}  // namespace otr::v4::testing

#endif  // OTR_TESTS_V4_MESSAGES_GENERATORS_H_
