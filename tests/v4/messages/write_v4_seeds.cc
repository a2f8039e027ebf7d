// Writes the seed corpora of the OTRv4 wire fuzzers (fuzz/BUILD,
// "v4-messages"): a few valid encodings of each kind, built from fixed
// values, plus truncations of some. Deterministic; file names are a hash of
// the contents.
//   bazel run //tests/v4/messages:write_v4_seeds -- $PWD/fuzz/corpus
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "protocol/v4/messages/messages.h"
#include "protocol/v4/messages/tlv.h"

namespace otr::v4 {
namespace {

template <size_t N>
std::array<uint8_t, N> Pattern(uint8_t seed) {
  std::array<uint8_t, N> a;
  for (size_t i = 0; i < N; ++i) a[i] = static_cast<uint8_t>(seed + 7 * i);
  return a;
}

Bytes MpiBytes(size_t size, uint8_t seed) {
  Bytes b(size);
  for (size_t i = 0; i < size; ++i) b[i] = static_cast<uint8_t>(seed + 13 * i);
  if (!b.empty() && b[0] == 0) b[0] = 1;
  return b;
}

Mpi MpiOf(size_t size, uint8_t seed) { return Mpi(MpiBytes(size, seed)); }

ClientProfile Profile(bool transitional) {
  ClientProfile p;
  p.owner_instance_tag = 0x1234;
  p.public_key = Pattern<kPointSize>(1);
  p.forging_key = Pattern<kPointSize>(2);
  p.versions = transitional ? "34" : "4";
  p.expiration = 1700000000;
  if (transitional) {
    p.dsa_public_key =
        crypto::DsaPublicKey{MpiBytes(128, 3), MpiBytes(20, 4), MpiBytes(128, 5), MpiBytes(128, 6)};
    p.transitional_signature = Pattern<kTransitionalSignatureSize>(7);
    p.field_order = {
        ClientProfileField::kOwnerInstanceTag,     ClientProfileField::kVersions,
        ClientProfileField::kEd448PublicKey,       ClientProfileField::kEd448ForgingKey,
        ClientProfileField::kExpiration,           ClientProfileField::kDsaPublicKey,
        ClientProfileField::kTransitionalSignature};
  }
  p.signature = Pattern<kEdDsaSignatureSize>(8);
  return p;
}

RingSig Sigma() {
  return RingSig{Pattern<57>(10), Pattern<57>(11), Pattern<57>(12),
                 Pattern<57>(13), Pattern<57>(14), Pattern<57>(15)};
}

std::vector<Bytes> MessageSeeds() {
  const Header header{0x1234, 0x5678};
  IdentityMessage identity{header,         Profile(false),  Pattern<57>(20),
                           MpiOf(384, 21), Pattern<57>(22), MpiOf(384, 23)};
  AuthR auth_r{header,  Profile(true),   Pattern<57>(24), MpiOf(384, 25),
               Sigma(), Pattern<57>(26), MpiOf(383, 27)};
  AuthI auth_i{header, Sigma()};
  PrekeyMessage prekey{0xcafe, 0x1234, Pattern<57>(28), MpiOf(384, 29)};
  NonInteractiveAuth nia{header, Profile(false),  Pattern<57>(30), MpiOf(384, 31), Sigma(),
                         0xcafe, Pattern<64>(32), Pattern<57>(33), MpiOf(384, 34)};
  DataMessage data;
  data.header = header;
  data.flags = kFlagIgnoreUnreadable;
  data.previous_chain_length = 2;
  data.ratchet_id = 3;
  data.message_id = 1;
  data.ecdh = Pattern<57>(35);
  data.dh = MpiOf(384, 36);
  data.encrypted_message = ToBytes("ciphertext");
  data.authenticator = Pattern<64>(37);
  data.revealed_mac_keys = {Pattern<64>(38), Pattern<64>(39)};
  DataMessage plain = data;
  plain.dh = Mpi();
  plain.revealed_mac_keys.clear();
  plain.flags = 0;
  std::vector<Bytes> seeds = {
      EncodeIdentityMessage(identity), EncodeAuthR(auth_r),           EncodeAuthI(auth_i),
      EncodePrekeyMessage(prekey),     EncodeNonInteractiveAuth(nia), EncodeDataMessage(data),
      EncodeDataMessage(plain)};
  const size_t whole = seeds.size();
  for (size_t i = 0; i < whole; ++i) {
    seeds.push_back(
        Bytes(seeds[i].begin(), seeds[i].begin() + static_cast<long>(seeds[i].size() / 2)));
  }
  return seeds;
}

std::vector<Bytes> TlvSeeds() {
  SmpMessage1 smp1{ToBytes("What is the name of our cat?"),
                   Pattern<57>(40),
                   Pattern<57>(41),
                   Pattern<57>(42),
                   Pattern<57>(43),
                   Pattern<57>(44),
                   Pattern<57>(45)};
  SmpMessage4 smp4{Pattern<57>(46), Pattern<57>(47), Pattern<57>(48)};
  std::vector<std::vector<Tlv>> lists = {
      {Tlv(Padding{Bytes(16, 0)})},
      {Tlv(Disconnected{{Pattern<64>(49)}})},
      {Tlv(smp1)},
      {Tlv(smp4), Tlv(Padding{Bytes(3, 0)})},
      {Tlv(SmpAbort{})},
      {Tlv(ExtraSymmetricKey{1, ToBytes("file.txt")}), Tlv(UnknownTlv{0x99, Bytes{1, 2}})},
  };
  std::vector<Bytes> seeds = {ToBytes("hello, no TLVs")};
  for (const auto& list : lists) {
    DataPayload payload{ToBytes("hi"), true, {}, {}};
    for (const Tlv& tlv : list) payload.tlvs.push_back(EncodeTlv(tlv).value());
    seeds.push_back(EncodeDataPayload(payload).value());
  }
  DataPayload cut{ToBytes(""), true, {EncodeTlv(Tlv(SmpAbort{})).value()}, {0, 2, 0, 9, 1}};
  seeds.push_back(EncodeDataPayload(cut).value());
  return seeds;
}

Bytes Prefixed(uint8_t selector, const Bytes& body) {
  Bytes b{selector};
  b.insert(b.end(), body.begin(), body.end());
  return b;
}

std::vector<Bytes> SmpSeeds() {
  SmpMessage1 smp1{ToBytes("question"), Pattern<57>(50), Pattern<57>(51), Pattern<57>(52),
                   Pattern<57>(53),     Pattern<57>(54), Pattern<57>(55)};
  SmpMessage1 no_question = smp1;
  no_question.question.clear();
  SmpMessage2 smp2;
  for (Point* p : {&smp2.g2b, &smp2.g3b, &smp2.pb, &smp2.qb}) *p = Pattern<57>(56);
  for (Scalar* s : {&smp2.c2, &smp2.d2, &smp2.c3, &smp2.d3, &smp2.cp, &smp2.d5, &smp2.d6}) {
    *s = Pattern<57>(57);
  }
  SmpMessage3 smp3;
  for (Point* p : {&smp3.pa, &smp3.qa, &smp3.ra}) *p = Pattern<57>(58);
  for (Scalar* s : {&smp3.cp, &smp3.d5, &smp3.d6, &smp3.cr, &smp3.d7}) *s = Pattern<57>(59);
  SmpMessage4 smp4{Pattern<57>(60), Pattern<57>(61), Pattern<57>(62)};
  return {Prefixed(0, EncodeSmpMessage1(smp1)), Prefixed(0, EncodeSmpMessage1(no_question)),
          Prefixed(1, EncodeSmpMessage2(smp2)), Prefixed(2, EncodeSmpMessage3(smp3)),
          Prefixed(3, EncodeSmpMessage4(smp4))};
}

std::vector<Bytes> ProfileSeeds() {
  PrekeyProfile prekey{0x1234, 1700600000, Pattern<57>(63), Pattern<114>(64)};
  std::vector<Bytes> seeds = {Prefixed(0, EncodeClientProfile(Profile(false))),
                              Prefixed(0, EncodeClientProfile(Profile(true))),
                              Prefixed(1, EncodePrekeyProfile(prekey))};
  seeds.push_back(Bytes(seeds[1].begin(), seeds[1].begin() + 200));
  return seeds;
}

// FNV-1a, 64 bits, as a file name.
std::string Name(const Bytes& b) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (uint8_t c : b) h = (h ^ c) * 0x100000001b3ULL;
  char name[17];
  std::snprintf(name, sizeof name, "%016llx", static_cast<unsigned long long>(h));
  return name;
}

void Write(const std::filesystem::path& dir, const std::vector<Bytes>& seeds) {
  std::filesystem::create_directories(dir);
  for (const Bytes& seed : seeds) {
    std::ofstream out(dir / Name(seed), std::ios::binary);
    out.write(reinterpret_cast<const char*>(seed.data()),
              static_cast<std::streamsize>(seed.size()));
  }
  std::printf("%s: %zu seeds\n", dir.c_str(), seeds.size());
}

}  // namespace
}  // namespace otr::v4

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: write_v4_seeds CORPUS_DIR\n");
    return 2;
  }
  const std::filesystem::path root = argv[1];
  otr::v4::Write(root / "v4_message_fuzzer", otr::v4::MessageSeeds());
  otr::v4::Write(root / "v4_tlv_fuzzer", otr::v4::TlvSeeds());
  otr::v4::Write(root / "v4_smp_fuzzer", otr::v4::SmpSeeds());
  otr::v4::Write(root / "v4_profile_fuzzer", otr::v4::ProfileSeeds());
  return 0;
}
