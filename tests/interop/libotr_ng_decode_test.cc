// libotr-ng's v4 artefacts (made by :libotr_ng_gen, two libotr-ng clients in
// one process) decoded with our decoders (protocol/v4/messages) and checked
// with our crypto backends.
//
// Where libotr-ng differs from otrv4.md, the test asserts the difference,
// names the spec section in its message, and then decodes the deviating part
// itself (never by loosening our decoders: that is issue 20's compatibility
// profile). Each difference is listed in docs/libotr-ng-deviations.md.
//
// When libotr-ng could not be built, the generator is a stub that prints the
// reason, and every test here fails with it.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "crypto/backend.h"
#include "crypto/backends.h"
#include "protocol/v4/crypto/fingerprint.h"
#include "protocol/v4/crypto/kdf.h"
#include "protocol/v4/messages/data_types.h"
#include "protocol/v4/messages/messages.h"
#include "protocol/v4/messages/prekey_message.h"
#include "protocol/v4/messages/profile.h"
#include "protocol/wire/armor.h"
#include "protocol/wire/reader.h"
#include "protocol/wire/writer.h"
#include "tests/crypto/test_util.h"

namespace otr::v4 {
namespace {

using crypto::testing::FromHex;
using crypto::testing::ToHex;

std::string ReadFileOrEmpty(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream out;
  out << file.rdbuf();
  return out.str();
}

// The generator's output, made once per test binary run.
struct Artefacts {
  std::string dir;
  std::string failure;  // non-empty: why there are no artefacts
  std::map<std::string, std::string> values;

  std::string Text(const std::string& name) const { return ReadFileOrEmpty(dir + "/" + name); }
  Bytes File(const std::string& name) const {
    std::string text = Text(name);
    return Bytes(text.begin(), text.end());
  }
  Bytes Value(const std::string& name) const {
    auto it = values.find(name);
    return it == values.end() ? Bytes{} : FromHex(it->second);
  }
  // A "?OTR:<base64>." message, un-armoured by our wire layer.
  Result<Bytes> Message(const std::string& name) const { return wire::DecodeArmor(Text(name)); }
};

const Artefacts& Generated() {
  static const Artefacts artefacts = [] {
    Artefacts a;
    const char* gen = std::getenv("LIBOTR_NG_GEN");
    const char* tmp = std::getenv("TEST_TMPDIR");
    if (gen == nullptr || tmp == nullptr) {
      a.failure = "LIBOTR_NG_GEN and TEST_TMPDIR must be set (run under bazel test)";
      return a;
    }
    a.dir = std::string(tmp) + "/libotr_ng";
    // Under --config=asan the test's ASAN_OPTIONS turn leak detection on, and
    // the generator inherits them: libotr-ng and libotr (which it links)
    // leak, and that is not ours to fix, so the generator alone runs without.
    std::string command = "mkdir -p '" + a.dir +
                          "' && ASAN_OPTIONS=\"${ASAN_OPTIONS}:detect_leaks=0\" '" + gen + "' '" +
                          a.dir + "' 2>'" + a.dir + "/gen.stderr'";
    int rc = std::system(command.c_str());
    if (rc != 0) {
      a.failure = "libotr_ng_gen failed (" + std::to_string(rc) + "):\n" + a.Text("gen.stderr");
      return a;
    }
    std::istringstream lines(a.Text("values.txt"));
    std::string name, value;
    while (lines >> name >> value) a.values[name] = value;
    if (a.values.empty()) a.failure = "libotr_ng_gen wrote no values.txt";
    return a;
  }();
  return artefacts;
}

class LibotrNgTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(Generated().failure.empty()) << Generated().failure; }
  const Artefacts& A() const { return Generated(); }
};

// --- libotr-ng's layouts, decoded here (not by our decoders) ---------------

// otrv4.md, "Public keys, Shared Prekeys, Forging keys and Fingerprints":
// "Pubkey type: 2 byte unsigned value, little-endian. Ed448 public keys have
// type 0x0010" (0x0011 shared prekey, 0x0012 forging key). libotr-ng writes
// the type big-endian (serialize.c, otrng_serialize_public_key /
// _forging_key / _shared_prekey use otrng_serialize_uint16).
constexpr uint8_t kKeyTypeBigEndian[3][2] = {{0x00, 0x10}, {0x00, 0x11}, {0x00, 0x12}};

// Walks a Client Profile in libotr-ng's layout starting at `offset` of `bytes`
// and returns its size; with `swap`, rewrites the key types it finds (in the
// fields 0x0002 and 0x0003) from big-endian to the spec's little-endian, so
// that our decoder can read the rest. Records the key types seen in `types`.
std::optional<size_t> WalkLibotrNgClientProfile(Bytes& bytes, size_t offset, bool swap,
                                                std::vector<std::pair<uint8_t, uint8_t>>* types) {
  wire::Reader r(ByteView(bytes).subspan(offset));
  auto fields = r.ReadU32();
  if (!fields.ok()) return std::nullopt;
  for (uint32_t i = 0; i < *fields; ++i) {
    auto type = r.ReadU16();
    if (!type.ok()) return std::nullopt;
    size_t at = bytes.size() - r.remaining();
    switch (*type) {
      case 0x0001:
        if (!r.ReadU32().ok()) return std::nullopt;
        break;
      case 0x0002:
      case 0x0003:
        if (!r.ReadBytes(2 + kPointSize).ok()) return std::nullopt;
        if (types != nullptr) types->push_back({bytes[at], bytes[at + 1]});
        if (swap) std::swap(bytes[at], bytes[at + 1]);
        break;
      case 0x0004:
        if (!r.ReadData(kMaxVersionsSize).ok()) return std::nullopt;
        break;
      case 0x0005:
        if (!r.ReadU64().ok()) return std::nullopt;
        break;
      default:  // this generator's profiles are v4 only: no 0x0006/0x0007
        return std::nullopt;
    }
  }
  if (!r.ReadBytes(kEdDsaSignatureSize).ok()) return std::nullopt;
  return bytes.size() - offset - r.remaining();
}

// Big-endian key types rewritten to the spec's little-endian (the only
// difference in libotr-ng's profiles, asserted by the profile tests).
Bytes SpecKeyTypes(Bytes bytes, size_t profile_offset) {
  WalkLibotrNgClientProfile(bytes, profile_offset, /*swap=*/true, nullptr);
  return bytes;
}

constexpr size_t kHeaderSize = 2 + 1 + 4 + 4;  // version, type, two instance tags
constexpr size_t kRingSigSize = 6 * kScalarSize;

// otrv4.md "Scalar": "Encoded as a little-endian array of 57 bytes"; RING-SIG
// is six SCALARs ("Serializing the Ring Signature Proof of Authentication").
// libotr-ng writes each scalar in 56 bytes (serialize.c,
// otrng_serialize_ec_scalar: goldilocks_448_scalar_encode,
// GOLDILOCKS_448_SCALAR_BYTES = 56), so its sigma has 336 bytes.
constexpr size_t kLibotrNgScalarSize = 56;
constexpr size_t kLibotrNgRingSigSize = 6 * kLibotrNgScalarSize;

// libotr-ng's 336-byte sigma as the spec's 342 bytes: each 56-byte
// little-endian scalar gets its 57th (most significant, zero) byte.
Bytes SpecRingSig(ByteView libotr_ng_sigma) {
  Bytes out;
  for (size_t i = 0; i < 6; ++i) {
    ByteView scalar = libotr_ng_sigma.subspan(i * kLibotrNgScalarSize, kLibotrNgScalarSize);
    out.insert(out.end(), scalar.begin(), scalar.end());
    out.push_back(0);
  }
  return out;
}

// --- the checks --------------------------------------------------------------

// Our Ed448 derivation of a public key from a 57-byte seed (RFC 8032, which
// otrv4.md's "Public keys, ..." and "Generating ECDH and DH keys" follow).
Bytes DerivePublic(const crypto::Backend& b, ByteView seed) {
  auto pub = b.Ed448DerivePublicKey(crypto::SecretBytes(seed));
  return pub.ok() ? *pub : Bytes{};
}

// Refutes the suspected "4x scaling" of libotr-ng's point encoding for public
// keys: H, F and D on its wire are exactly RFC 8032's sk*B for their seeds.
TEST_F(LibotrNgTest, PublicKeysAreRfc8032KeysOfTheirSeeds) {
  for (const crypto::Backend* b : crypto::AllBackends()) {
    for (std::string who : {"alice", "bob"}) {
      EXPECT_EQ(ToHex(DerivePublic(*b, A().Value(who + ".sym_h"))), ToHex(A().Value(who + ".H")))
          << b->name() << " " << who << " H";
      EXPECT_EQ(ToHex(DerivePublic(*b, A().Value(who + ".forging_sym"))),
                ToHex(A().Value(who + ".F")))
          << b->name() << " " << who << " F";
      EXPECT_EQ(ToHex(DerivePublic(*b, A().Value(who + ".sym_d"))), ToHex(A().Value(who + ".D")))
          << b->name() << " " << who << " D";
    }
  }
}

// A scalar from its 57-byte little-endian encoding, and the scalar 4.
crypto::SecretBytes Scalar57(const crypto::Backend& b, ByteView le) {
  return b.Ed448ScalarReduce(le);
}
crypto::SecretBytes Four(const crypto::Backend& b) {
  Bytes four(kScalarSize, 0);
  four[0] = 4;
  return b.Ed448ScalarReduce(four);
}

Bytes Encode(const crypto::Backend& b, const crypto::Ed448Point& p) {
  auto e = b.Ed448Encode(p);
  return Bytes(e.begin(), e.end());
}

// Confirms the other half of the suspicion: libotr-ng holds every secret
// scalar divided by the cofactor 4 (libgoldilocks' eddsa.c,
// goldilocks_ed448_derive_secret_scalar halves it twice, because its
// internal points are encoded times 4), and its generator G, the
// goldilocks_448_point_base of its ring signatures (auth.c) and SMP
// (smp_protocol.c), encodes as 4*B rather than otrv4.md's B ("Elliptic Curve
// Parameters"). Its public keys stay right (the test above): sk*B =
// (sk/4)*(4B).
TEST_F(LibotrNgTest, SecretScalarsAreHeldDividedByFourAndItsGeneratorIsFourB) {
  for (const crypto::Backend* b : crypto::AllBackends()) {
    crypto::Ed448Point base = b->Ed448Base();
    EXPECT_NE(ToHex(A().Value("goldilocks.base")), ToHex(Encode(*b, base)))
        << "libotr-ng's G is otrv4.md's B after all";
    EXPECT_EQ(ToHex(A().Value("goldilocks.base")), ToHex(Encode(*b, b->Ed448MulBase(Four(*b)))))
        << b->name() << ": otrv4.md \"Elliptic Curve Parameters\" G is the RFC 8032 base point B;"
        << " libotr-ng's goldilocks_448_point_base encodes as 4*B";
    for (std::string key :
         {"alice.sk_h_as_held|alice.H", "bob.sk_h_as_held|bob.H", "identity.y_as_held|identity.Y",
          "auth_r.x_first_as_held|auth_r.X_first",
          "ensemble.prekey_message.y_as_held|ensemble.prekey_message.Y",
          "prekey_message_0.y_as_held|prekey_message_0.Y"}) {
      std::string secret = key.substr(0, key.find('|')), pub = key.substr(key.find('|') + 1);
      crypto::SecretBytes held = Scalar57(*b, A().Value(secret));
      EXPECT_NE(ToHex(Encode(*b, b->Ed448MulBase(held))), ToHex(A().Value(pub))) << key;
      EXPECT_EQ(ToHex(Encode(*b, b->Ed448MulBase(b->Ed448ScalarMul(Four(*b), held)))),
                ToHex(A().Value(pub)))
          << b->name() << " " << key << ": the public key is 4 * (the scalar libotr-ng holds) * B";
    }
  }
}

// Confirms that libotr-ng's ECDH is a quarter of otrv4.md's: "ECDH(a, B):
// K_ecdh = a * B" ("Generating Shared Secrets") with a the secret scalar of
// "Generating ECDH and DH keys" (A = a*B); libotr-ng (ed448.c,
// otrng_ecdh_shared_secret) multiplies by the scalar it holds, a/4. So
// K_ecdh, and every key derived from it, differs from a spec implementation's.
TEST_F(LibotrNgTest, EcdhSharedSecretIsAQuarterOfTheSpecs) {
  for (const crypto::Backend* b : crypto::AllBackends()) {
    auto peer = b->Ed448Decode(A().Value("ecdh.B"));
    ASSERT_TRUE(peer.ok());
    // The seeds give the public keys the spec's way.
    EXPECT_EQ(ToHex(DerivePublic(*b, A().Value("ecdh.r_a"))), ToHex(A().Value("ecdh.A")));
    EXPECT_EQ(ToHex(DerivePublic(*b, A().Value("ecdh.r_b"))), ToHex(A().Value("ecdh.B")));
    crypto::SecretBytes held = Scalar57(*b, A().Value("ecdh.a_as_held"));
    crypto::SecretBytes a = b->Ed448ScalarMul(Four(*b), held);  // A = a*B
    ASSERT_EQ(ToHex(Encode(*b, b->Ed448MulBase(a))), ToHex(A().Value("ecdh.A")));
    Bytes spec = Encode(*b, b->Ed448Mul(*peer, a));
    Bytes quarter = Encode(*b, b->Ed448Mul(*peer, held));
    EXPECT_NE(ToHex(A().Value("ecdh.K_ecdh")), ToHex(spec))
        << b->name() << ": libotr-ng's K_ecdh agrees with otrv4.md \"Generating Shared Secrets\"";
    EXPECT_EQ(ToHex(A().Value("ecdh.K_ecdh")), ToHex(quarter))
        << b->name() << ": libotr-ng's K_ecdh is (a/4)*B_peer";
  }
}

// Fingerprints: otrv4.md "Public keys, Shared Prekeys, Forging keys and
// Fingerprints": HWC(usage_fingerprint || byte(H) || byte(F), 56), byte() of
// a point its 57-byte POINT (our ComputeFingerprint). libotr-ng hashes the
// whole ED448-PUBKEY and ED448-FORGING-KEY, its big-endian type included
// (fingerprint.c, otrng_serialize_fingerprint), 59 bytes each.
TEST_F(LibotrNgTest, FingerprintsHashTheKeyTypes) {
  for (const crypto::Backend* b : crypto::AllBackends()) {
    for (std::string who : {"alice", "bob"}) {
      Bytes h = A().Value(who + ".H"), f = A().Value(who + ".F");
      auto hp = b->Ed448Decode(h);
      auto fp = b->Ed448Decode(f);
      ASSERT_TRUE(hp.ok() && fp.ok());
      Fingerprint ours = ComputeFingerprint(*b, *hp, *fp);
      EXPECT_NE(ToHex(ours), ToHex(A().Value(who + ".fingerprint")))
          << b->name() << " " << who << ": libotr-ng's fingerprint is the spec's after all";
      Bytes typed_h = {0x00, 0x10}, typed_f = {0x00, 0x12};
      typed_h.insert(typed_h.end(), h.begin(), h.end());
      typed_f.insert(typed_f.end(), f.begin(), f.end());
      EXPECT_EQ(ToHex(Hwc(*b, Usage::kFingerprint, {typed_h, typed_f}, kFingerprintSize)),
                ToHex(A().Value(who + ".fingerprint")))
          << b->name() << " " << who
          << ": libotr-ng's fingerprint is HWC(usage_fingerprint || 00 10 || H || 00 12 || F, 56)";
    }
  }
}

// Client Profiles: key types big-endian; otherwise the spec's layout, and the
// EdDSA signature (RFC 8032, empty context) verifies with our backends over
// the profile's bytes up to the signature.
TEST_F(LibotrNgTest, ClientProfiles) {
  for (std::string who : {"alice", "bob"}) {
    SCOPED_TRACE(who);
    Bytes wire = A().File(who + ".client_profile.bin");
    ASSERT_FALSE(wire.empty());

    auto ours = DecodeClientProfile(wire);
    ASSERT_FALSE(ours.ok())
        << "our decoder now reads libotr-ng's profile: update the deviation list";
    EXPECT_EQ(ours.code(), ErrorCode::kUnknownType);

    std::vector<std::pair<uint8_t, uint8_t>> types;
    Bytes copy = wire;
    auto size = WalkLibotrNgClientProfile(copy, 0, /*swap=*/false, &types);
    ASSERT_TRUE(size.has_value());
    EXPECT_EQ(*size, wire.size());
    ASSERT_EQ(types.size(), 2u);
    // otrv4.md "Public keys, Shared Prekeys, Forging keys and Fingerprints":
    // "Pubkey type: 2 byte unsigned value, little-endian" (10 00, 12 00).
    EXPECT_EQ(types[0], std::make_pair(kKeyTypeBigEndian[0][0], kKeyTypeBigEndian[0][1]))
        << "ED448-PUBKEY type: otrv4.md says little-endian (10 00); libotr-ng writes 00 10";
    EXPECT_EQ(types[1], std::make_pair(kKeyTypeBigEndian[2][0], kKeyTypeBigEndian[2][1]))
        << "ED448-FORGING-KEY type: otrv4.md says little-endian (12 00); libotr-ng writes 00 12";

    auto profile = DecodeClientProfile(SpecKeyTypes(wire, 0));
    ASSERT_TRUE(profile.ok()) << ErrorCodeName(profile.code());
    EXPECT_EQ(profile->owner_instance_tag,
              wire::InstanceTag{static_cast<uint32_t>(
                  std::stoul(A().values.at(who + ".instance_tag"), nullptr, 16))});
    EXPECT_EQ(ToHex(profile->public_key), ToHex(A().Value(who + ".H")));
    EXPECT_EQ(ToHex(profile->forging_key), ToHex(A().Value(who + ".F")));
    EXPECT_EQ(profile->versions, "4");
    EXPECT_FALSE(profile->dsa_public_key.has_value());
    int64_t generated_at = std::stoll(A().values.at("generated_at"));
    EXPECT_GT(profile->expiration, generated_at);
    // Our encoder writes the spec's key types: the same bytes but those.
    EXPECT_EQ(EncodeClientProfile(*profile), SpecKeyTypes(wire, 0));

    // The signature covers libotr-ng's bytes (its key types), which are
    // ClientProfileSignedBytes except for the key types.
    ByteView signed_bytes = ByteView(wire).first(wire.size() - kEdDsaSignatureSize);
    EXPECT_EQ(SpecKeyTypes(Bytes(signed_bytes.begin(), signed_bytes.end()), 0),
              ClientProfileSignedBytes(*profile));
    for (const crypto::Backend* b : crypto::AllBackends()) {
      EXPECT_TRUE(b->Ed448Verify(profile->public_key, signed_bytes, profile->signature).ok())
          << b->name() << ": libotr-ng's Client Profile Signature does not verify";
      EXPECT_FALSE(b->Ed448Verify(profile->public_key, ClientProfileSignedBytes(*profile),
                                  profile->signature)
                       .ok())
          << b->name() << ": the signature covers the spec's key types after all";
    }
  }
}

// Prekey Profiles: the shared prekey's type big-endian; otherwise the spec's
// layout; the signature verifies with the owner's H.
TEST_F(LibotrNgTest, PrekeyProfiles) {
  for (std::string who : {"alice", "bob"}) {
    SCOPED_TRACE(who);
    Bytes wire = A().File(who + ".prekey_profile.bin");
    ASSERT_EQ(wire.size(), kPrekeyProfileSize);
    auto ours = DecodePrekeyProfile(wire);
    ASSERT_FALSE(ours.ok()) << "our decoder now reads libotr-ng's prekey profile";
    EXPECT_EQ(ours.code(), ErrorCode::kUnknownType);
    constexpr size_t kTypeAt = 4 + 8;
    EXPECT_EQ(wire[kTypeAt], 0x00);
    EXPECT_EQ(wire[kTypeAt + 1], 0x11)
        << "ED448-SHARED-PREKEY type: otrv4.md says little-endian (11 00); libotr-ng writes 00 11";

    Bytes spec = wire;
    std::swap(spec[kTypeAt], spec[kTypeAt + 1]);
    auto profile = DecodePrekeyProfile(spec);
    ASSERT_TRUE(profile.ok()) << ErrorCodeName(profile.code());
    EXPECT_EQ(ToHex(profile->shared_prekey), ToHex(A().Value(who + ".D")));
    EXPECT_GT(profile->expiration, std::stoll(A().values.at("generated_at")));
    ByteView signed_bytes = ByteView(wire).first(wire.size() - kEdDsaSignatureSize);
    for (const crypto::Backend* b : crypto::AllBackends()) {
      EXPECT_TRUE(b->Ed448Verify(A().Value(who + ".H"), signed_bytes, profile->signature).ok())
          << b->name() << ": libotr-ng's Prekey Profile Signature does not verify";
    }
  }
}

// Prekey Messages: exactly the spec's layout ("Prekey Message"); Y on the
// curve.
TEST_F(LibotrNgTest, PrekeyMessages) {
  for (std::string name :
       {"ensemble.prekey_message", "prekey_message_0", "prekey_message_1", "prekey_message_2"}) {
    SCOPED_TRACE(name);
    Bytes wire = A().File(name + ".bin");
    auto m = DecodePrekeyMessage(wire);
    ASSERT_TRUE(m.ok()) << ErrorCodeName(m.code());
    EXPECT_EQ(EncodePrekeyMessage(*m), wire);
    EXPECT_EQ(ToHex(m->y), ToHex(A().Value(name + ".Y")));
    EXPECT_EQ(m->owner_instance_tag, wire::InstanceTag{0x10000b0b});
    EXPECT_FALSE(m->b.empty());
    for (const crypto::Backend* b : crypto::AllBackends()) {
      EXPECT_TRUE(b->Ed448Decode(m->y).ok()) << b->name();
    }
  }
}

// Identity Message: the spec's layout but for the key types inside the
// Client Profile.
TEST_F(LibotrNgTest, IdentityMessage) {
  auto wire = A().Message("identity.otr");
  ASSERT_TRUE(wire.ok()) << ErrorCodeName(wire.code());
  auto ours = DecodeIdentityMessage(*wire);
  ASSERT_FALSE(ours.ok()) << "our decoder now reads libotr-ng's Identity message";
  EXPECT_EQ(ours.code(), ErrorCode::kUnknownType) << "the profile's key types";

  auto m = DecodeIdentityMessage(SpecKeyTypes(*wire, kHeaderSize));
  ASSERT_TRUE(m.ok()) << ErrorCodeName(m.code());
  EXPECT_EQ(m->header.sender_instance_tag, wire::InstanceTag{0x10000b0b});
  EXPECT_EQ(ToHex(m->client_profile.public_key), ToHex(A().Value("bob.H")));
  EXPECT_EQ(ToHex(m->y), ToHex(A().Value("identity.Y")));
  for (const crypto::Backend* b : crypto::AllBackends()) {
    EXPECT_TRUE(b->Ed448Decode(m->y).ok()) << b->name();
    EXPECT_TRUE(b->Ed448Decode(m->our_ecdh_first).ok()) << b->name();
  }
  EXPECT_EQ(EncodeIdentityMessage(*m), SpecKeyTypes(*wire, kHeaderSize));
}

// Auth-R: libotr-ng sends sigma last, after our_ecdh_first and our_dh_first
// (dake.c, otrng_dake_auth_r_serialize); otrv4.md "Auth-R Message" has sigma
// between A and our_ecdh_first.public. Its sigma has 56-byte scalars.
TEST_F(LibotrNgTest, AuthRHasSigmaLast) {
  auto wire = A().Message("auth_r.otr");
  ASSERT_TRUE(wire.ok()) << ErrorCodeName(wire.code());
  Bytes spec_types = SpecKeyTypes(*wire, kHeaderSize);
  auto ours = DecodeAuthR(spec_types);
  EXPECT_FALSE(ours.ok()) << "our decoder reads libotr-ng's Auth-R in the spec's field order";

  // libotr-ng's order: header, profile, X, A, X_first, A_first, sigma.
  Bytes copy = *wire;
  auto profile_size = WalkLibotrNgClientProfile(copy, kHeaderSize, false, nullptr);
  ASSERT_TRUE(profile_size.has_value());
  wire::Reader r(ByteView(spec_types).subspan(kHeaderSize + *profile_size));
  auto x = ReadPoint(r);
  auto a = ReadMpi(r);
  auto x_first = ReadPoint(r);
  auto a_first = ReadMpi(r);
  auto sigma = r.ReadBytes(kLibotrNgRingSigSize);
  ASSERT_TRUE(x.ok() && a.ok() && x_first.ok() && a_first.ok() && sigma.ok());
  EXPECT_TRUE(r.ExpectEnd().ok()) << "libotr-ng's Auth-R has more after sigma";

  // The same fields in the spec's order decode with ours.
  wire::Writer w;
  w.WriteBytes(ByteView(spec_types).first(kHeaderSize + *profile_size));
  WritePoint(w, *x);
  WriteMpi(w, *a);
  w.WriteBytes(SpecRingSig(*sigma));
  WritePoint(w, *x_first);
  WriteMpi(w, *a_first);
  auto m = DecodeAuthR(w.bytes());
  ASSERT_TRUE(m.ok()) << ErrorCodeName(m.code());
  EXPECT_EQ(ToHex(m->our_ecdh_first), ToHex(A().Value("auth_r.X_first")));
  EXPECT_EQ(ToHex(m->client_profile.public_key), ToHex(A().Value("alice.H")));
  EXPECT_EQ(m->header.sender_instance_tag, wire::InstanceTag{0x1000a11c});
  EXPECT_EQ(m->header.receiver_instance_tag, wire::InstanceTag{0x10000b0b});
}

// Auth-I: the spec's layout but for sigma's 56-byte scalars.
TEST_F(LibotrNgTest, AuthIHas56ByteScalars) {
  auto wire = A().Message("auth_i.otr");
  ASSERT_TRUE(wire.ok()) << ErrorCodeName(wire.code());
  ASSERT_EQ(wire->size(), kHeaderSize + kLibotrNgRingSigSize)
      << "otrv4.md \"Auth-I Message\": header and RING-SIG (6 SCALARs of 57 bytes, 342); "
         "libotr-ng sends 6 scalars of 56 bytes (336)";
  auto ours = DecodeAuthI(*wire);
  ASSERT_FALSE(ours.ok()) << "our decoder reads libotr-ng's Auth-I";
  EXPECT_EQ(ours.code(), ErrorCode::kTruncated);

  Bytes spec(wire->begin(), wire->begin() + kHeaderSize);
  Bytes sigma = SpecRingSig(ByteView(*wire).subspan(kHeaderSize));
  spec.insert(spec.end(), sigma.begin(), sigma.end());
  auto m = DecodeAuthI(spec);
  ASSERT_TRUE(m.ok()) << ErrorCodeName(m.code());
  EXPECT_EQ(EncodeAuthI(*m), spec);
  EXPECT_EQ(m->header.sender_instance_tag, wire::InstanceTag{0x10000b0b});
  EXPECT_EQ(m->header.receiver_instance_tag, wire::InstanceTag{0x1000a11c});
}

// Non-Interactive-Auth: libotr-ng sends no our_ecdh_first.public and no
// our_dh_first.public (dake.c,
// otrng_dake_non_interactive_auth_message_serialize ends with the Auth MAC);
// otrv4.md "Non-Interactive-Auth Message" generates both and sends them.
TEST_F(LibotrNgTest, NonInteractiveAuthLacksFirstRatchetKeys) {
  auto wire = A().Message("non_interactive_auth.otr");
  ASSERT_TRUE(wire.ok()) << ErrorCodeName(wire.code());
  Bytes spec_types = SpecKeyTypes(*wire, kHeaderSize);
  auto ours = DecodeNonInteractiveAuth(spec_types);
  ASSERT_FALSE(ours.ok()) << "our decoder reads libotr-ng's Non-Interactive-Auth";
  EXPECT_EQ(ours.code(), ErrorCode::kTruncated);

  Bytes copy = *wire;
  auto profile_size = WalkLibotrNgClientProfile(copy, kHeaderSize, false, nullptr);
  ASSERT_TRUE(profile_size.has_value());
  wire::Reader r(ByteView(spec_types).subspan(kHeaderSize + *profile_size));
  auto x = ReadPoint(r);
  auto a = ReadMpi(r);
  auto sigma = r.ReadBytes(kLibotrNgRingSigSize);
  auto prekey_id = r.ReadU32();
  auto mac = ReadMac(r);
  ASSERT_TRUE(x.ok() && a.ok() && sigma.ok() && prekey_id.ok() && mac.ok());
  EXPECT_TRUE(r.ExpectEnd().ok()) << "libotr-ng's Non-Interactive-Auth ends with the Auth MAC";

  auto ensemble = DecodePrekeyMessage(A().File("ensemble.prekey_message.bin"));
  ASSERT_TRUE(ensemble.ok());
  EXPECT_EQ(*prekey_id, ensemble->identifier);
  EXPECT_EQ(ToHex(*x).size(), 2 * kPointSize);
}

// Data Messages: libotr-ng puts a 24-byte nonce between the DH key and the
// encrypted message (data_message.c, otrng_data_message_body_serialize;
// XSalsa20 via libsodium's crypto_stream_xor in protocol.c); otrv4.md "Data
// Message Format" has no nonce field ("ChaCha20. The 'nonce' used for this
// operation is set to 0"). And it appends the revealed MAC keys raw after the
// MAC (protocol.c, serialize_and_encode_data_message), where the spec has
// "Old MAC keys to be revealed (DATA)", with its 4-byte length.
TEST_F(LibotrNgTest, DataMessagesCarryANonce) {
  constexpr size_t kLibotrNgNonceSize = 24;  // DATA_MSG_NONCE_BYTES
  for (int n = 0; n <= 4; ++n) {
    std::string name = "data_" + std::to_string(n);
    SCOPED_TRACE(name);
    auto wire = A().Message(name + ".otr");
    ASSERT_TRUE(wire.ok()) << ErrorCodeName(wire.code());
    EXPECT_FALSE(DecodeDataMessage(*wire).ok())
        << "our decoder reads libotr-ng's Data Message, nonce and all";

    // libotr-ng's layout, read here.
    wire::Reader r(*wire);
    ASSERT_TRUE(r.ReadBytes(kHeaderSize + 1 + 4 + 4 + 4).ok());
    ASSERT_TRUE(ReadPoint(r).ok());
    ASSERT_TRUE(ReadMpi(r).ok());
    size_t nonce_at = wire->size() - r.remaining();
    auto nonce = r.ReadBytes(kLibotrNgNonceSize);
    ASSERT_TRUE(nonce.ok());
    EXPECT_NE(ToHex(*nonce), std::string(2 * kLibotrNgNonceSize, '0'))
        << "otrv4.md \"Data Message Format\": the nonce is 0 and not sent; libotr-ng's is random";

    auto encrypted = r.ReadData(kMaxEncryptedMessageSize);
    ASSERT_TRUE(encrypted.ok());
    ASSERT_TRUE(ReadMac(r).ok());
    size_t revealed_at = wire->size() - r.remaining();
    ByteView revealed = r.ReadRest();
    EXPECT_EQ(revealed.size() % kMacKeySize, 0u) << "raw 64-byte MAC keys, no DATA length";
    if (n == 3) {
      // Bob's first message after receiving alice's reveals the MAC keys of
      // the messages he received ("Revealing MAC Keys").
      EXPECT_FALSE(revealed.empty()) << "bob reveals no MAC keys";
    }

    // Without the nonce, and with the revealed keys as DATA, it is the
    // spec's Data Message.
    Bytes spec(wire->begin(), wire->begin() + nonce_at);
    spec.insert(spec.end(), wire->begin() + nonce_at + kLibotrNgNonceSize,
                wire->begin() + revealed_at);
    wire::Writer w;
    w.WriteData(revealed);
    spec.insert(spec.end(), w.bytes().begin(), w.bytes().end());
    auto m = DecodeDataMessage(spec);
    ASSERT_TRUE(m.ok()) << ErrorCodeName(m.code());
    EXPECT_EQ(EncodeDataMessage(*m), spec);
    for (const crypto::Backend* b : crypto::AllBackends()) {
      EXPECT_TRUE(b->Ed448Decode(m->ecdh).ok()) << b->name();
    }
    EXPECT_FALSE(m->encrypted_message.empty());
    EXPECT_EQ(m->revealed_mac_keys.size(), revealed.size() / kMacKeySize);
    // data_3 is bob's ("hello alice"), the others alice's.
    EXPECT_EQ(m->header.sender_instance_tag, wire::InstanceTag{n == 3 ? 0x10000b0bu : 0x1000a11cu});
  }
}

}  // namespace
}  // namespace otr::v4
