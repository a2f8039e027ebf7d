#include "fuzz/support/v4_mutator.h"

#include <algorithm>
#include <utility>
#include <variant>

#include "crypto/modp_group.h"
#include "protocol/v4/messages/tlv.h"

namespace otr::fuzzing {
namespace {

// l, the order of the Ed448 base point, little-endian as a SCALAR
// (otrv4.md, "Elliptic Curve Operations").
constexpr v4::Scalar kOrderL = {
    0xf3, 0x44, 0x58, 0xab, 0x92, 0xc2, 0x78, 0x23, 0x55, 0x8f, 0xc5, 0x8d, 0x72, 0xc2, 0x6c,
    0x21, 0x90, 0x36, 0xd6, 0xae, 0x49, 0xdb, 0x4e, 0xc4, 0xe9, 0x23, 0xca, 0x7c, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x3f, 0x00};

// POINT edges: the identity (y = 1), y = 0 (a point of order 4), all ones
// (not canonical), the sign bit alone, a flipped bit, random bytes.
void MutatePoint(v4::Point& p, Choices& choices) {
  switch (choices.Below(6)) {
    case 0:
      p.fill(0);
      p[0] = 1;
      break;
    case 1:
      p.fill(0);
      break;
    case 2:
      p.fill(0xff);
      break;
    case 3:
      p[p.size() - 1] ^= 0x80;
      break;
    case 4:
      FlipBit(p, choices);
      break;
    default:
      for (uint8_t& b : p) b = choices.Byte();
      break;
  }
}

// SCALAR edges: 0, 1, l, l - 1, l + 1, all ones, a flipped bit.
void MutateScalar(v4::Scalar& s, Choices& choices) {
  switch (choices.Below(7)) {
    case 0:
      s.fill(0);
      break;
    case 1:
      s.fill(0);
      s[0] = 1;
      break;
    case 2:
      s = kOrderL;
      break;
    case 3:
      s = kOrderL;
      s[0] -= 1;
      break;
    case 4:
      s = kOrderL;
      s[0] += 1;
      break;
    case 5:
      s.fill(0xff);
      break;
    default:
      FlipBit(s, choices);
      break;
  }
}

// MPI edges of the 3072-bit group ("Verifying that an integer is in the DH
// group"): empty, 0, 1, p - 2, p - 1, p, q, a leading zero (which the
// writer drops), the longest MPI (384 bytes of 0xff, above p), random. One
// longer than 384 bytes cannot be held (v4::Mpi, decision 0055): the
// decoders' kTooLarge is reached through the raw-byte ops and their own
// targets.
void MutateMpi(v4::Mpi& mpi, Choices& choices) {
  const crypto::ModpGroup& group = crypto::GetModpGroup(crypto::ModpGroupId::kModp3072);
  Bytes value = mpi.ToBytes();
  switch (choices.Below(10)) {
    case 0:
      value.clear();
      break;
    case 1:
      value = {1};
      break;
    case 2:
      value = group.p_minus_2;
      break;
    case 3:
      value = group.p_minus_2;
      value.back() += 1;
      break;
    case 4:
      value = group.p;
      break;
    case 5:
      value = group.q;
      break;
    case 6:
      if (value.size() < v4::Mpi::kCapacity) value.insert(value.begin(), 0);
      break;
    case 7:
      value.assign(v4::Mpi::kCapacity, 0xff);
      break;
    case 8:
      if (!value.empty()) value[choices.Below(value.size())] ^= 1;
      break;
    default:
      MutateBytes(value, choices);
      break;
  }
  if (value.size() > v4::Mpi::kCapacity) value.resize(v4::Mpi::kCapacity);
  mpi = v4::Mpi(value);
}

uint32_t MutateWord(uint32_t v, Choices& choices) {
  switch (choices.Below(6)) {
    case 0:
      return 0;
    case 1:
      return v + 1;
    case 2:
      return v - 1;
    case 3:
      return v + 1 + choices.Below(1000);
    case 4:
      return 0xffffffff;
    default:
      return choices.Next();
  }
}

void MutateTag(wire::InstanceTag& tag, Choices& choices) {
  constexpr wire::InstanceTag kTags[] = {0, 1, 0xff, 0x100, 0x1000a11c, 0x10000b0b, 0x1234};
  tag = choices.Below(4) == 0 ? choices.Next() : kTags[choices.Below(std::size(kTags))];
}

void MutateRingSig(v4::RingSig& sigma, Choices& choices) {
  v4::Scalar* fields[] = {&sigma.c1, &sigma.r1, &sigma.c2, &sigma.r2, &sigma.c3, &sigma.r3};
  if (choices.Below(6) == 0) {
    std::swap(*fields[choices.Below(6)], *fields[choices.Below(6)]);
  } else {
    MutateScalar(*fields[choices.Below(6)], choices);
  }
}

void MutateProfile(v4::ClientProfile& profile, Choices& choices) {
  switch (choices.Below(5)) {
    case 0:
      MutateTag(profile.owner_instance_tag, choices);
      return;
    case 1:
      MutatePoint(choices.Below(2) ? profile.public_key : profile.forging_key, choices);
      return;
    case 2:
      profile.expiration += static_cast<int64_t>(choices.Below(3)) - 1;
      return;
    case 3:
      FlipBit(profile.signature, choices);
      return;
    default: {
      Bytes bytes = v4::EncodeClientProfile(profile);
      MutateBytes(bytes, choices);
      auto decoded = v4::DecodeClientProfile(bytes);
      if (decoded.ok()) profile = std::move(decoded).value();
      return;
    }
  }
}

void MutateMacKeys(std::vector<v4::MacKey>& keys, Choices& choices) {
  switch (choices.Below(3)) {
    case 0:
      keys.emplace_back();
      for (uint8_t& b : keys.back()) b = choices.Byte();
      break;
    case 1:
      if (!keys.empty()) keys.erase(keys.begin() + choices.Below(keys.size()));
      break;
    default:
      if (!keys.empty()) FlipBit(keys[choices.Below(keys.size())], choices);
      break;
  }
}

// One of the two instance tags of the header (otrv4.md, "Instance Tags").
void MutateHeaderTag(v4::Header& header, Choices& choices) {
  MutateTag(choices.Below(2) ? header.sender_instance_tag : header.receiver_instance_tag, choices);
}

// Picks 0 to 3 of the Identity, Auth-R and Non-Interactive-Auth messages, the
// fields they share (otrv4.md, "Interactive DAKE", "Non-Interactive-Auth
// Message"): an instance tag, the Client Profile, the ECDH point (Y or X) and
// the DH value (B or A). False for any other pick, the message's own fields.
bool MutateDakeFields(v4::Header& header, v4::ClientProfile& profile, v4::Point& point,
                      v4::Mpi& mpi, uint32_t pick, Choices& choices) {
  switch (pick) {
    case 0:
      MutateHeaderTag(header, choices);
      return true;
    case 1:
      MutateProfile(profile, choices);
      return true;
    case 2:
      MutatePoint(point, choices);
      return true;
    case 3:
      MutateMpi(mpi, choices);
      return true;
    default:
      return false;
  }
}

struct V4MessageMutation {
  Choices& c;
  void operator()(v4::IdentityMessage& m) {
    const uint32_t pick = c.Below(6);
    if (MutateDakeFields(m.header, m.client_profile, m.y, m.b, pick, c)) return;
    switch (pick) {
      case 4:
        MutatePoint(m.our_ecdh_first, c);
        break;
      default:
        MutateMpi(m.our_dh_first, c);
        break;
    }
  }
  void operator()(v4::AuthR& m) {
    const uint32_t pick = c.Below(7);
    if (MutateDakeFields(m.header, m.client_profile, m.x, m.a, pick, c)) return;
    switch (pick) {
      case 4:
        MutateRingSig(m.sigma, c);
        break;
      case 5:
        MutatePoint(m.our_ecdh_first, c);
        break;
      default:
        MutateMpi(m.our_dh_first, c);
        break;
    }
  }
  void operator()(v4::AuthI& m) {
    if (c.Below(3) == 0) {
      MutateHeaderTag(m.header, c);
    } else {
      MutateRingSig(m.sigma, c);
    }
  }
  void operator()(v4::PrekeyMessage& m) {
    Bytes bytes = v4::EncodeMessage(m);
    MutateBytes(bytes, c);
    auto decoded = v4::DecodeMessage(bytes);
    if (decoded.ok() && std::holds_alternative<v4::PrekeyMessage>(*decoded)) {
      m = std::get<v4::PrekeyMessage>(std::move(*decoded));
    }
  }
  void operator()(v4::NonInteractiveAuth& m) {
    const uint32_t pick = c.Below(8);
    if (MutateDakeFields(m.header, m.client_profile, m.x, m.a, pick, c)) return;
    switch (pick) {
      case 4:
        MutateRingSig(m.sigma, c);
        break;
      case 5:
        m.prekey_message_identifier = MutateWord(m.prekey_message_identifier, c);
        break;
      case 6:
        FlipBit(m.auth_mac, c);
        break;
      default:
        MutatePoint(m.our_ecdh_first, c);
        break;
    }
  }
  void operator()(v4::DataMessage& m) {
    switch (c.Below(11)) {
      case 0:
        MutateHeaderTag(m.header, c);
        break;
      case 1:
        m.flags = c.Byte();
        break;
      case 2:
        m.previous_chain_length = MutateWord(m.previous_chain_length, c);
        break;
      case 3:
        m.ratchet_id = MutateWord(m.ratchet_id, c);
        break;
      case 4:
        m.message_id = MutateWord(m.message_id, c);
        break;
      case 5:
        MutatePoint(m.ecdh, c);
        break;
      case 6:
        MutateMpi(m.dh, c);
        break;
      case 7:
        MutateBytes(m.encrypted_message, c);
        break;
      case 8:
        if (!m.encrypted_message.empty()) {
          m.encrypted_message[c.Below(m.encrypted_message.size())] ^=
              static_cast<uint8_t>(1u << c.Below(8));
        }
        break;
      case 9:
        FlipBit(m.authenticator, c);
        break;
      default:
        MutateMacKeys(m.revealed_mac_keys, c);
        break;
    }
  }
};

v4::TlvRecord NewRecord(Choices& choices) {
  v4::TlvRecord record;
  record.type = static_cast<uint16_t>(choices.Below(9));
  record.value.resize(choices.Below(4) == 0 ? choices.Below(300) : 0);
  for (uint8_t& b : record.value) b = choices.Byte();
  return record;
}

// One field of an SMP body (TLVs 2-5), re-encoded; bytes otherwise.
void MutateRecordValue(v4::TlvRecord& record, Choices& choices) {
  auto tlv = v4::DecodeTlv(record);
  if (tlv.ok()) {
    bool changed = true;
    std::visit(
        [&](auto& body) {
          using T = std::decay_t<decltype(body)>;
          if constexpr (std::is_same_v<T, v4::SmpMessage1>) {
            switch (choices.Below(4)) {
              case 0:
                MutateBytes(body.question, choices);
                break;
              case 1:
                MutatePoint(choices.Below(2) ? body.g2a : body.g3a, choices);
                break;
              default: {
                v4::Scalar* s[] = {&body.c2, &body.d2, &body.c3, &body.d3};
                MutateScalar(*s[choices.Below(4)], choices);
              }
            }
          } else if constexpr (std::is_same_v<T, v4::SmpMessage2>) {
            v4::Point* p[] = {&body.g2b, &body.g3b, &body.pb, &body.qb};
            v4::Scalar* s[] = {&body.c2, &body.d2, &body.c3, &body.d3,
                               &body.cp, &body.d5, &body.d6};
            if (choices.Below(2)) {
              MutatePoint(*p[choices.Below(4)], choices);
            } else {
              MutateScalar(*s[choices.Below(7)], choices);
            }
          } else if constexpr (std::is_same_v<T, v4::SmpMessage3>) {
            v4::Point* p[] = {&body.pa, &body.qa, &body.ra};
            v4::Scalar* s[] = {&body.cp, &body.d5, &body.d6, &body.cr, &body.d7};
            if (choices.Below(2)) {
              MutatePoint(*p[choices.Below(3)], choices);
            } else {
              MutateScalar(*s[choices.Below(5)], choices);
            }
          } else if constexpr (std::is_same_v<T, v4::SmpMessage4>) {
            if (choices.Below(2)) {
              MutatePoint(body.rb, choices);
            } else {
              MutateScalar(choices.Below(2) ? body.cr : body.d7, choices);
            }
          } else {
            changed = false;
          }
        },
        *tlv);
    if (changed) {
      auto encoded = v4::EncodeTlv(*tlv);
      if (encoded.ok()) {
        record = std::move(encoded).value();
        return;
      }
    }
  }
  MutateBytes(record.value, choices);
  if (record.value.size() > v4::kMaxTlvValueSize) record.value.resize(v4::kMaxTlvValueSize);
}

}  // namespace

void MutateV4Message(v4::Message& message, Choices& choices) {
  std::visit(V4MessageMutation{choices}, message);
}

bool KeyFieldsDiffer(const v4::DataMessage& a, const v4::DataMessage& b) {
  return a.ratchet_id != b.ratchet_id || a.message_id != b.message_id || a.ecdh != b.ecdh ||
         a.dh != b.dh;
}

Bytes MutateV4Plaintext(ByteView plaintext, Choices& choices) {
  v4::DataPayload payload = v4::DecodeDataPayload(plaintext);
  MutateTlvList(payload, 9, NewRecord, MutateRecordValue, choices);
  payload.incomplete_tail.clear();
  auto encoded = v4::EncodeDataPayload(payload);
  if (!encoded.ok()) return Bytes(plaintext.begin(), plaintext.end());
  return std::move(encoded).value();
}

}  // namespace otr::fuzzing
