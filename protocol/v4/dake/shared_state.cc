// otrv4.md, "Shared Session State", "Auth-R Message" and "Auth-I Message":
// phi and t (the readings are in shared_state.h).
#include "protocol/v4/dake/shared_state.h"

#include <algorithm>
#include <array>

#include "protocol/v4/crypto/kdf.h"
#include "protocol/wire/writer.h"

namespace otr::v4::dake {

namespace {

struct TUsages {
  uint8_t first_byte;
  Usage bob_profile;
  Usage alice_profile;
  Usage phi;
};
constexpr TUsages kAuthRUsages{0x00, Usage::kAuthRBobClientProfile, Usage::kAuthRAliceClientProfile,
                               Usage::kAuthRPhi};
constexpr TUsages kAuthIUsages{0x01, Usage::kAuthIBobClientProfile, Usage::kAuthIAliceClientProfile,
                               Usage::kAuthIPhi};

bool ComesFirst(const PhiParty& a, const PhiParty& b) {
  if (a.instance_tag != b.instance_tag) return a.instance_tag < b.instance_tag;
  return std::lexicographical_compare(a.ecdh_first.begin(), a.ecdh_first.end(),
                                      b.ecdh_first.begin(), b.ecdh_first.end());
}

void WriteParty(wire::Writer& w, const PhiParty& p) {
  WritePoint(w, p.ecdh_first);
  WriteMpi(w, p.dh_first);
}

// The profiles of t: encoded already (ByteView) or to encode (a pointer).
ByteView ProfileOf(ByteView encoded) { return encoded; }
const ClientProfile& ProfileOf(const ClientProfile* profile) { return *profile; }

template <typename Values>
Bytes MakeT(const crypto::Backend& backend, const TUsages& u, const Values& v, ByteView phi) {
  wire::Writer w;
  w.Reserve(kTCapacity);
  w.WriteU8(u.first_byte);
  WriteTHash(backend, w, u.bob_profile, ProfileOf(v.bob_client_profile));
  WriteTHash(backend, w, u.alice_profile, ProfileOf(v.alice_client_profile));
  WritePoint(w, v.y);
  WritePoint(w, v.x);
  WriteMpi(w, v.b);
  WriteMpi(w, v.a);
  WriteTHash(backend, w, u.phi, phi);
  return std::move(w).Finish();
}

// "HWC(usage_auth_r_bob_client_profile || Bob_Client_Profile, 64)" etc.,
// on the stack: no heap buffer per hash.
std::array<uint8_t, 64> THash(const crypto::Backend& backend, Usage usage, ByteView value) {
  std::array<uint8_t, 64> hash;
  HwcInto(backend, usage, {value}, hash);
  return hash;
}

}  // namespace

void WriteTHash(const crypto::Backend& backend, wire::Writer& w, Usage usage, ByteView value) {
  w.WriteBytes(THash(backend, usage, value));
}

void WriteTHash(const crypto::Backend& backend, wire::Writer& w, Usage usage,
                const ClientProfile& profile) {
  const size_t start = w.bytes().size();
  WriteClientProfile(w, profile);
  const std::array<uint8_t, 64> hash = THash(backend, usage, ByteView(w.bytes()).subspan(start));
  w.Truncate(start);
  w.WriteBytes(hash);
}

Bytes EncodePhiPrime(std::vector<std::string> strings) {
  std::sort(strings.begin(), strings.end());
  wire::Writer w;
  for (const std::string& s : strings) {
    w.WriteData(AsBytes(s));
  }
  return std::move(w).Finish();
}

Bytes SharedSessionState(const PhiParty& a, const PhiParty& b, ByteView phi_prime) {
  const PhiParty& first = ComesFirst(a, b) ? a : b;
  const PhiParty& second = ComesFirst(a, b) ? b : a;
  wire::Writer w;
  w.WriteU32(first.instance_tag);
  w.WriteU32(second.instance_tag);
  WriteParty(w, first);
  WriteParty(w, second);
  w.WriteBytes(phi_prime);
  return std::move(w).Finish();
}

Bytes AuthRT(const crypto::Backend& backend, const TranscriptValues& values, ByteView phi) {
  return MakeT(backend, kAuthRUsages, values, phi);
}

Bytes AuthIT(const crypto::Backend& backend, const TranscriptValues& values, ByteView phi) {
  return MakeT(backend, kAuthIUsages, values, phi);
}

Bytes AuthRT(const crypto::Backend& backend, const EncodedTranscriptValues& values, ByteView phi) {
  return MakeT(backend, kAuthRUsages, values, phi);
}

Bytes AuthIT(const crypto::Backend& backend, const EncodedTranscriptValues& values, ByteView phi) {
  return MakeT(backend, kAuthIUsages, values, phi);
}

}  // namespace otr::v4::dake
