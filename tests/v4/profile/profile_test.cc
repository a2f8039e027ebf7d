// Client and Prekey Profiles on both backends (otrv4.md "Creating a Client
// Profile" .. "Validating a Prekey Profile", "Validating Prekey Ensembles"):
// create -> sign -> encode -> decode -> validate round trips, bit-identical
// EdDSA signatures across backends, one negative test per validation rule
// (each failing with that rule's ProfileError), expiry at its boundary, the
// OTRv3 Transitional Signature with a generated DSA key, and renewal.
#include "protocol/v4/messages/profile.h"

#include <gtest/gtest.h>

#include <limits>
#include <memory>

#include "crypto/backends.h"
#include "crypto/modp_group.h"
#include "crypto/testing/deterministic_random.h"
#include "protocol/v4/messages/prekey_message.h"
#include "protocol/v4/profile/client_profile.h"
#include "protocol/v4/profile/expiration.h"
#include "protocol/v4/profile/keys.h"
#include "protocol/v4/profile/prekey_ensemble.h"
#include "protocol/v4/profile/prekey_profile.h"
#include "tests/crypto/test_util.h"

namespace otr::v4::profile {
namespace {

using crypto::testing::FromHex;

constexpr int64_t kNow = 1'700'000'000;
constexpr wire::InstanceTag kTag = 0x12345678;

// The DSA key is slow to generate: one for the whole suite, per backend.
const crypto::DsaPrivateKey& DsaKey(const crypto::Backend& backend) {
  static std::unique_ptr<crypto::DsaPrivateKey> keys[2];
  const int i = backend.name() == "openssl" ? 0 : 1;
  if (!keys[i]) {
    auto key = backend.GenerateDsaKey();
    EXPECT_TRUE(key.ok());
    keys[i] = std::make_unique<crypto::DsaPrivateKey>(std::move(*key));
  }
  return *keys[i];
}

// The POINT encoding of the identity (x = 0, y = 1): decodes to nothing valid.
Point IdentityEncoding() {
  Point p{};
  p[0] = 1;
  return p;
}

// 57 bytes that are not the encoding of a point on the curve (y = p, above
// the field: non-canonical).
Point NotAPoint() {
  Point p;
  p.fill(0xff);
  return p;
}

class ProfileTest : public crypto::testing::BackendTest {
 protected:
  void SetUp() override {
    auto h = GenerateEd448KeyPair(backend(), random_);
    auto f = GenerateEd448KeyPair(backend(), random_);
    auto d = GenerateEd448KeyPair(backend(), random_);
    ASSERT_TRUE(h.ok() && f.ok() && d.ok());
    long_term_ = std::make_unique<Ed448KeyPair>(std::move(*h));
    forging_ = std::make_unique<Ed448KeyPair>(std::move(*f));
    shared_prekey_ = std::make_unique<Ed448KeyPair>(std::move(*d));
  }

  ClientProfileParams Params() const {
    ClientProfileParams p{kTag, forging_->point, "4", ExpirationFrom(kNow), nullptr, true};
    return p;
  }

  ClientProfile MakeClientProfile(const ClientProfileParams& params) {
    auto profile = CreateClientProfile(backend(), long_term_->sym_key, params, random_);
    EXPECT_TRUE(profile.ok()) << crypto::testing::CodeName(profile.code());
    return profile.ok() ? *profile : ClientProfile{};
  }
  ClientProfile MakeClientProfile() { return MakeClientProfile(Params()); }

  PrekeyProfile MakePrekeyProfile() {
    auto profile = CreatePrekeyProfile(backend(), long_term_->sym_key,
                                       {kTag, ExpirationFrom(kNow), shared_prekey_->point});
    EXPECT_TRUE(profile.ok());
    return profile.ok() ? *profile : PrekeyProfile{};
  }

  PrekeyMessage MakePrekeyMessage() {
    auto y = GenerateEd448KeyPair(backend(), random_);
    auto b = crypto::GenerateDhKeyPair(
        backend(), crypto::GetModpGroup(crypto::ModpGroupId::kModp3072), random_);
    EXPECT_TRUE(y.ok() && b.ok());
    PrekeyMessage m;
    m.identifier = 0xabcdef01;
    m.owner_instance_tag = kTag;
    m.y = y->encoded;
    m.b = b->pub;
    return m;
  }

  // Re-signs a profile whose fields a test changed, so that only the rule
  // under test fails.
  void Resign(ClientProfile& profile) {
    ASSERT_TRUE(SignClientProfile(backend(), long_term_->sym_key, profile).ok());
  }
  void Resign(PrekeyProfile& profile) {
    ASSERT_TRUE(SignPrekeyProfile(backend(), long_term_->sym_key, profile).ok());
  }

  ProfileStatus Validate(const ClientProfile& p, int64_t now = kNow, int64_t extra = 0) {
    return ValidateClientProfile(backend(), p, kTag, now, extra);
  }
  ProfileStatus Validate(const PrekeyProfile& p, int64_t now = kNow, int64_t extra = 0) {
    return ValidatePrekeyProfile(backend(), p, long_term_->encoded, kTag, now, extra);
  }

  crypto::testing::DeterministicRandom random_{uint64_t{16}};
  std::unique_ptr<Ed448KeyPair> long_term_, forging_, shared_prekey_;
};

#define EXPECT_PROFILE_ERROR(status, expected)                                           \
  do {                                                                                   \
    const ProfileStatus s_ = (status);                                                   \
    ASSERT_FALSE(s_.ok()) << "expected " << ProfileErrorName(expected);                  \
    EXPECT_EQ(s_.error(), expected)                                                      \
        << ProfileErrorName(s_.error()) << " instead of " << ProfileErrorName(expected); \
  } while (0)

// --- Round trips ---

TEST_P(ProfileTest, ClientProfileCreateSignEncodeDecodeValidate) {
  const ClientProfile created = MakeClientProfile();
  EXPECT_EQ(created.public_key, long_term_->encoded);
  EXPECT_EQ(created.forging_key, forging_->encoded);
  EXPECT_EQ(created.owner_instance_tag, kTag);
  EXPECT_EQ(created.expiration, kNow + 7 * 24 * 3600);
  EXPECT_FALSE(created.dsa_public_key.has_value());
  EXPECT_FALSE(created.transitional_signature.has_value());
  const Bytes wire_bytes = EncodeClientProfile(created);
  auto decoded = DecodeClientProfile(wire_bytes);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, created);
  EXPECT_EQ(EncodeClientProfile(*decoded), wire_bytes);
  EXPECT_TRUE(VerifyClientProfileSignature(backend(), *decoded).ok());
  const ProfileStatus s = Validate(*decoded);
  EXPECT_TRUE(s.ok()) << ProfileErrorName(s.error());
}

TEST_P(ProfileTest, ClientProfileWithTransitionalSignatureRoundTrip) {
  ClientProfileParams params = Params();
  params.versions = "34";
  params.dsa_key = &DsaKey(backend());
  const ClientProfile created = MakeClientProfile(params);
  ASSERT_TRUE(created.dsa_public_key.has_value());
  EXPECT_EQ(*created.dsa_public_key, DsaKey(backend()).pub);
  ASSERT_TRUE(created.transitional_signature.has_value());
  // "Sign m with the user's OTRv3 DSA key": m is fields 0x0001..0x0006.
  EXPECT_TRUE(backend()
                  .DsaVerify(DsaKey(backend()).pub, ClientProfileTransitionalSignedBytes(created),
                             *created.transitional_signature)
                  .ok());
  auto decoded = DecodeClientProfile(EncodeClientProfile(created));
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, created);
  const ProfileStatus s = Validate(*decoded);
  EXPECT_TRUE(s.ok()) << ProfileErrorName(s.error());
}

TEST_P(ProfileTest, TransitionalSignatureWithoutPublishedDsaKey) {
  // "the user can decide to have a Transitional signature without publish
  // the OTRv3 public authentication DSA key": nothing to check it with.
  ClientProfileParams params = Params();
  params.versions = "43";
  params.dsa_key = &DsaKey(backend());
  params.publish_dsa_key = false;
  const ClientProfile created = MakeClientProfile(params);
  EXPECT_FALSE(created.dsa_public_key.has_value());
  EXPECT_TRUE(created.transitional_signature.has_value());
  EXPECT_TRUE(Validate(created).ok());
}

TEST_P(ProfileTest, PrekeyProfileCreateSignEncodeDecodeValidate) {
  const PrekeyProfile created = MakePrekeyProfile();
  EXPECT_EQ(created.shared_prekey, shared_prekey_->encoded);
  auto decoded = DecodePrekeyProfile(EncodePrekeyProfile(created));
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, created);
  EXPECT_TRUE(VerifyPrekeyProfileSignature(backend(), *decoded, long_term_->encoded).ok());
  EXPECT_TRUE(Validate(*decoded).ok());
}

TEST_P(ProfileTest, CreateRefusesBadParameters) {
  ClientProfileParams params = Params();
  params.owner_instance_tag = 0xff;
  EXPECT_EQ(CreateClientProfile(backend(), long_term_->sym_key, params, random_).code(),
            ErrorCode::kInvalidInstanceTag);
  for (const char* versions : {"3", "", "42", "41"}) {
    params = Params();
    params.versions = versions;
    EXPECT_EQ(CreateClientProfile(backend(), long_term_->sym_key, params, random_).code(),
              ErrorCode::kInvalidEncoding)
        << versions;
  }
  EXPECT_EQ(CreateClientProfile(backend(), crypto::SecretBytes(56), Params(), random_).code(),
            ErrorCode::kInvalidKey);
  EXPECT_EQ(
      CreatePrekeyProfile(backend(), long_term_->sym_key, {0, kNow, shared_prekey_->point}).code(),
      ErrorCode::kInvalidInstanceTag);
  // Signing with a key that is not the profile's H.
  ClientProfile profile = MakeClientProfile();
  EXPECT_EQ(SignClientProfile(backend(), shared_prekey_->sym_key, profile).code(),
            ErrorCode::kInvalidKey);
}

// --- "Validating a Client Profile", one rule at a time ---

TEST_P(ProfileTest, Rule1SignatureEmpty) {
  ClientProfile profile = MakeClientProfile();
  profile.signature.fill(0);
  EXPECT_PROFILE_ERROR(Validate(profile), ProfileError::kClientProfileSignatureEmpty);
}

TEST_P(ProfileTest, Rule2BadSignature) {
  ClientProfile profile = MakeClientProfile();
  profile.expiration += 1;  // a field changed after signing
  EXPECT_PROFILE_ERROR(Validate(profile), ProfileError::kClientProfileBadSignature);
  profile = MakeClientProfile();
  profile.signature[100] ^= 1;
  EXPECT_PROFILE_ERROR(Validate(profile), ProfileError::kClientProfileBadSignature);
  // Signed by another key than the H it states.
  profile = MakeClientProfile();
  profile.public_key = forging_->encoded;
  EXPECT_PROFILE_ERROR(Validate(profile), ProfileError::kClientProfileBadSignature);
}

TEST_P(ProfileTest, Rule3BadOwnerInstanceTag) {
  ClientProfile profile = MakeClientProfile();
  profile.owner_instance_tag = 0xff;
  Resign(profile);
  EXPECT_PROFILE_ERROR(ValidateClientProfile(backend(), profile, 0xff, kNow),
                       ProfileError::kClientProfileBadInstanceTag);
}

TEST_P(ProfileTest, Rule3InstanceTagNotTheSenders) {
  const ClientProfile profile = MakeClientProfile();
  EXPECT_PROFILE_ERROR(ValidateClientProfile(backend(), profile, kTag + 1, kNow),
                       ProfileError::kClientProfileInstanceTagMismatch);
}

TEST_P(ProfileTest, Rule4ExpiredAtTheBoundary) {
  const ClientProfile profile = MakeClientProfile();
  EXPECT_TRUE(Validate(profile, profile.expiration - 1).ok());
  EXPECT_PROFILE_ERROR(Validate(profile, profile.expiration), ProfileError::kClientProfileExpired);
  EXPECT_PROFILE_ERROR(Validate(profile, std::numeric_limits<int64_t>::max()),
                       ProfileError::kClientProfileExpired);
  // The extra validity of our own profile used locally.
  EXPECT_TRUE(Validate(profile, profile.expiration + kOneDay - 1, kOneDay).ok());
  EXPECT_PROFILE_ERROR(Validate(profile, profile.expiration + kOneDay, kOneDay),
                       ProfileError::kClientProfileExpired);
}

TEST_P(ProfileTest, Rule5VersionsWithout4) {
  ClientProfile profile = MakeClientProfile();
  profile.versions = "3";
  Resign(profile);
  EXPECT_PROFILE_ERROR(Validate(profile), ProfileError::kClientProfileVersionsWithout4);
  profile.versions = "";
  Resign(profile);
  EXPECT_PROFILE_ERROR(Validate(profile), ProfileError::kClientProfileVersionsWithout4);
}

TEST_P(ProfileTest, EstablishingVersionsRefuses1And2) {
  for (const char* versions : {"42", "14", "4321"}) {
    ClientProfile profile = MakeClientProfile();
    profile.versions = versions;
    Resign(profile);
    EXPECT_PROFILE_ERROR(Validate(profile), ProfileError::kClientProfileVersionsWith1Or2);
  }
  // Unknown versions are ignored.
  ClientProfile profile = MakeClientProfile();
  profile.versions = "4x9";
  Resign(profile);
  EXPECT_TRUE(Validate(profile).ok());
}

// Rule 6. The signature is verified under H itself, and verification
// decodes H first (RFC 8032 5.2.7 step 1), so a bad H is caught there and
// reported as rule 6's error. The identity as H comes with a signature that
// verifies under it (R = r*G, S = r: S*G = R + k*I for every message), so
// only the point check can refuse it. Before H was decoded ahead of
// Ed448Verify, this test aborted the process on the gcrypt backend
// (libgcrypt 1.10: "Ohhhh jeeee: mulm_448: different sizes").
TEST_P(ProfileTest, Rule6PublicKeyNotAValidPoint) {
  ClientProfile profile = MakeClientProfile();
  profile.public_key = IdentityEncoding();
  crypto::SecretBytes r(57);
  r[0] = 7;
  const Point big_r = backend().Ed448Encode(backend().Ed448MulBase(r));
  std::copy(big_r.begin(), big_r.end(), profile.signature.begin());
  std::fill(profile.signature.begin() + 57, profile.signature.end(), 0);
  profile.signature[57] = 7;
  ProfileStatus s = Validate(profile);
  EXPECT_PROFILE_ERROR(s, ProfileError::kClientProfileBadPublicKey);
  EXPECT_EQ(s.cause(), ErrorCode::kIdentityPoint);
  EXPECT_FALSE(VerifyClientProfileSignature(backend(), profile).ok());
  profile.public_key = NotAPoint();
  s = Validate(profile);
  EXPECT_PROFILE_ERROR(s, ProfileError::kClientProfileBadPublicKey);
  // The same H handed to the Prekey Profile's verification.
  EXPECT_PROFILE_ERROR(
      ValidatePrekeyProfile(backend(), MakePrekeyProfile(), IdentityEncoding(), kTag, kNow),
      ProfileError::kPrekeyProfileBadSignature);
}

TEST_P(ProfileTest, Rule7ForgingKeyNotAValidPoint) {
  ClientProfile profile = MakeClientProfile();
  profile.forging_key = IdentityEncoding();
  Resign(profile);
  ProfileStatus s = Validate(profile);
  EXPECT_PROFILE_ERROR(s, ProfileError::kClientProfileBadForgingKey);
  EXPECT_EQ(s.cause(), ErrorCode::kIdentityPoint);
  profile.forging_key = NotAPoint();
  Resign(profile);
  EXPECT_PROFILE_ERROR(Validate(profile), ProfileError::kClientProfileBadForgingKey);
}

TEST_P(ProfileTest, Rule8DsaKeyWithoutTransitionalSignature) {
  ClientProfileParams params = Params();
  params.versions = "34";
  params.dsa_key = &DsaKey(backend());
  ClientProfile profile = MakeClientProfile(params);
  profile.transitional_signature.reset();
  Resign(profile);
  EXPECT_PROFILE_ERROR(Validate(profile), ProfileError::kClientProfileTransitionalSignatureMissing);
}

TEST_P(ProfileTest, Rule8BadTransitionalSignature) {
  ClientProfileParams params = Params();
  params.versions = "34";
  params.dsa_key = &DsaKey(backend());
  ClientProfile profile = MakeClientProfile(params);
  (*profile.transitional_signature)[5] ^= 0x40;
  Resign(profile);  // the EdDSA signature covers the broken one and verifies
  EXPECT_PROFILE_ERROR(Validate(profile), ProfileError::kClientProfileBadTransitionalSignature);
  // A DSA key that did not make the signature.
  profile = MakeClientProfile(params);
  profile.dsa_public_key->y = profile.dsa_public_key->g;
  Resign(profile);
  EXPECT_PROFILE_ERROR(Validate(profile), ProfileError::kClientProfileBadTransitionalSignature);
}

// --- "Validating a Prekey Profile" ---

TEST_P(ProfileTest, PrekeyRule1BadSignature) {
  PrekeyProfile profile = MakePrekeyProfile();
  profile.expiration += 1;
  EXPECT_PROFILE_ERROR(Validate(profile), ProfileError::kPrekeyProfileBadSignature);
  // Signed by a key other than the long-term key given.
  profile = MakePrekeyProfile();
  EXPECT_PROFILE_ERROR(ValidatePrekeyProfile(backend(), profile, forging_->encoded, kTag, kNow),
                       ProfileError::kPrekeyProfileBadSignature);
}

TEST_P(ProfileTest, PrekeyRule2InstanceTag) {
  PrekeyProfile profile = MakePrekeyProfile();
  EXPECT_PROFILE_ERROR(
      ValidatePrekeyProfile(backend(), profile, long_term_->encoded, kTag - 1, kNow),
      ProfileError::kPrekeyProfileInstanceTagMismatch);
  profile.owner_instance_tag = 1;
  Resign(profile);
  EXPECT_PROFILE_ERROR(ValidatePrekeyProfile(backend(), profile, long_term_->encoded, 1, kNow),
                       ProfileError::kPrekeyProfileBadInstanceTag);
}

TEST_P(ProfileTest, PrekeyRule3ExpiredAtTheBoundary) {
  const PrekeyProfile profile = MakePrekeyProfile();
  EXPECT_TRUE(Validate(profile, profile.expiration - 1).ok());
  EXPECT_PROFILE_ERROR(Validate(profile, profile.expiration), ProfileError::kPrekeyProfileExpired);
  EXPECT_TRUE(Validate(profile, profile.expiration, 1).ok());
  EXPECT_PROFILE_ERROR(Validate(profile, profile.expiration + 1, 1),
                       ProfileError::kPrekeyProfileExpired);
}

TEST_P(ProfileTest, PrekeyRule5SharedPrekeyNotAValidPoint) {
  PrekeyProfile profile = MakePrekeyProfile();
  profile.shared_prekey = IdentityEncoding();
  Resign(profile);
  EXPECT_PROFILE_ERROR(Validate(profile), ProfileError::kPrekeyProfileBadSharedPrekey);
  profile.shared_prekey = NotAPoint();
  Resign(profile);
  EXPECT_PROFILE_ERROR(Validate(profile), ProfileError::kPrekeyProfileBadSharedPrekey);
}

// --- "Validating Prekey Ensembles" ---

TEST_P(ProfileTest, EnsembleValid) {
  const ProfileStatus s = ValidatePrekeyEnsemble(backend(), MakeClientProfile(),
                                                 MakePrekeyProfile(), MakePrekeyMessage(), kNow);
  EXPECT_TRUE(s.ok()) << ProfileErrorName(s.error());
}

TEST_P(ProfileTest, EnsembleStep1InstanceTagsDiffer) {
  PrekeyMessage message = MakePrekeyMessage();
  message.owner_instance_tag = kTag + 1;
  EXPECT_PROFILE_ERROR(
      ValidatePrekeyEnsemble(backend(), MakeClientProfile(), MakePrekeyProfile(), message, kNow),
      ProfileError::kEnsembleInstanceTagsDiffer);
  PrekeyProfile prekey_profile = MakePrekeyProfile();
  prekey_profile.owner_instance_tag = kTag + 1;
  Resign(prekey_profile);
  EXPECT_PROFILE_ERROR(ValidatePrekeyEnsemble(backend(), MakeClientProfile(), prekey_profile,
                                              MakePrekeyMessage(), kNow),
                       ProfileError::kEnsembleInstanceTagsDiffer);
}

TEST_P(ProfileTest, EnsembleStep2ClientProfileInvalid) {
  EXPECT_PROFILE_ERROR(ValidatePrekeyEnsemble(backend(), MakeClientProfile(), MakePrekeyProfile(),
                                              MakePrekeyMessage(), kNow + 8 * kOneDay),
                       ProfileError::kClientProfileExpired);
}

TEST_P(ProfileTest, EnsembleStep3And4PrekeyProfileSignedByAnotherLongTermKey) {
  auto other = CreatePrekeyProfile(backend(), forging_->sym_key,
                                   {kTag, ExpirationFrom(kNow), shared_prekey_->point});
  ASSERT_TRUE(other.ok());
  EXPECT_PROFILE_ERROR(
      ValidatePrekeyEnsemble(backend(), MakeClientProfile(), *other, MakePrekeyMessage(), kNow),
      ProfileError::kPrekeyProfileBadSignature);
}

TEST_P(ProfileTest, EnsembleStep5PrekeyMessageKeys) {
  PrekeyMessage message = MakePrekeyMessage();
  message.y = IdentityEncoding();
  EXPECT_PROFILE_ERROR(
      ValidatePrekeyEnsemble(backend(), MakeClientProfile(), MakePrekeyProfile(), message, kNow),
      ProfileError::kPrekeyMessageBadEcdhKey);
  message = MakePrekeyMessage();
  message.y = NotAPoint();
  EXPECT_PROFILE_ERROR(
      ValidatePrekeyEnsemble(backend(), MakeClientProfile(), MakePrekeyProfile(), message, kNow),
      ProfileError::kPrekeyMessageBadEcdhKey);
  const crypto::ModpGroup& group = crypto::GetModpGroup(crypto::ModpGroupId::kModp3072);
  // 1 and p - 1 are outside [2, p - 2]; 5 is a quadratic non-residue mod
  // dh_p, so 5^dh_q = -1 (checked with Python's pow).
  for (const Bytes& b : {Bytes{1}, crypto::testing::AddSmall(group.p, -1), Bytes{5}}) {
    message = MakePrekeyMessage();
    message.b = Mpi(b);
    const ProfileStatus s =
        ValidatePrekeyEnsemble(backend(), MakeClientProfile(), MakePrekeyProfile(), message, kNow);
    EXPECT_PROFILE_ERROR(s, ProfileError::kPrekeyMessageBadDhKey);
  }
  message.b = Mpi(Bytes{5});
  EXPECT_EQ(
      ValidatePrekeyEnsemble(backend(), MakeClientProfile(), MakePrekeyProfile(), message, kNow)
          .cause(),
      ErrorCode::kNotInSubgroup);
}

TEST_P(ProfileTest, EnsembleStep7ReceiverDoesNotSupportTheVersion) {
  EXPECT_PROFILE_ERROR(ValidatePrekeyEnsemble(backend(), MakeClientProfile(), MakePrekeyProfile(),
                                              MakePrekeyMessage(), kNow, "3"),
                       ProfileError::kClientProfileVersionNotSupported);
}

// --- Renewal ---

TEST_P(ProfileTest, RenewClientProfile) {
  ClientProfileParams params = Params();
  params.versions = "34";
  params.dsa_key = &DsaKey(backend());
  const ClientProfile old = MakeClientProfile(params);
  ASSERT_TRUE(ShouldRenew(old.expiration, old.expiration - kDefaultRenewalMargin));
  const int64_t later = old.expiration - kDefaultRenewalMargin;
  auto renewed = RenewClientProfile(backend(), long_term_->sym_key, old, ExpirationFrom(later),
                                    &DsaKey(backend()), random_);
  ASSERT_TRUE(renewed.ok());
  EXPECT_EQ(renewed->expiration, later + kRecommendedLifetime);
  EXPECT_NE(renewed->signature, old.signature);
  EXPECT_TRUE(Validate(*renewed, old.expiration + kOneDay).ok());
  EXPECT_PROFILE_ERROR(Validate(old, old.expiration + kOneDay),
                       ProfileError::kClientProfileExpired);
  // The Transitional Signature covers the expiration: renewing needs the key.
  EXPECT_EQ(RenewClientProfile(backend(), long_term_->sym_key, old, later, nullptr, random_).code(),
            ErrorCode::kInvalidKey);
}

TEST_P(ProfileTest, RenewPrekeyProfile) {
  const PrekeyProfile old = MakePrekeyProfile();
  auto renewed = RenewPrekeyProfile(backend(), long_term_->sym_key, old, old.expiration + 100);
  ASSERT_TRUE(renewed.ok());
  EXPECT_EQ(renewed->shared_prekey, old.shared_prekey);
  EXPECT_TRUE(Validate(*renewed, old.expiration + 99).ok());
}

OTR_INSTANTIATE_FOR_ALL_BACKENDS(ProfileTest);

// --- Across backends: EdDSA is deterministic, so both sign bit-identically ---

TEST(ProfileCrossBackendTest, SignaturesAreBitIdenticalAndCrossVerify) {
  const crypto::SecretBytes sym_h(FromHex(
      "6c82a562cb808d10d632be89c8513ebf6c929f34ddfa8c9f63c9960ef6e348a3528c8a3fcc2f044e39a3fc5b94"
      "492f8f032e7549a20098f95b"));  // RFC 8032 7.4, "blank" secret key
  const crypto::SecretBytes sym_f(FromHex(
      "c4eab05d357007c632f3dbb48489924d552b08fe0c353a0d4a1f00acda2c463afbea67c5e8d2877c5e3bc397a6"
      "59949ef8021e954e0a12274e"));  // RFC 8032 7.4, "1 octet" secret key
  std::vector<ClientProfile> clients;
  std::vector<PrekeyProfile> prekeys;
  for (const crypto::Backend* b : crypto::AllBackends()) {
    auto h = Ed448KeyPairFromSymKey(*b, sym_h);
    auto f = Ed448KeyPairFromSymKey(*b, sym_f);
    ASSERT_TRUE(h.ok() && f.ok());
    crypto::testing::DeterministicRandom random(uint64_t{1});
    auto client =
        CreateClientProfile(*b, sym_h, {kTag, f->point, "4", kNow, nullptr, true}, random);
    auto prekey = CreatePrekeyProfile(*b, sym_h, {kTag, kNow, f->point});
    ASSERT_TRUE(client.ok() && prekey.ok());
    clients.push_back(*client);
    prekeys.push_back(*prekey);
  }
  ASSERT_EQ(clients.size(), 2u);
  EXPECT_EQ(EncodeClientProfile(clients[0]), EncodeClientProfile(clients[1]));
  EXPECT_EQ(EncodePrekeyProfile(prekeys[0]), EncodePrekeyProfile(prekeys[1]));
  // RFC 8032 7.4: the public key of that secret.
  EXPECT_EQ(
      crypto::testing::ToHex(clients[0].public_key),
      "5fd7449b59b461fd2ce787ec616ad46a1da1342485a70e1f8a0ea75d80e96778edf124769b46c7061bd6783d"
      "f1e50f6cd1fa1abeafe8256180");
  for (const crypto::Backend* b : crypto::AllBackends()) {
    for (size_t i = 0; i < clients.size(); ++i) {
      EXPECT_TRUE(ValidateClientProfile(*b, clients[i], kTag, kNow - 1).ok()) << b->name() << i;
      EXPECT_TRUE(ValidatePrekeyProfile(*b, prekeys[i], clients[i].public_key, kTag, kNow - 1).ok())
          << b->name() << i;
    }
  }
}

// --- Expiration as pure functions of time ---

TEST(ExpirationTest, Boundaries) {
  EXPECT_FALSE(IsExpired(100, 99));
  EXPECT_TRUE(IsExpired(100, 100));
  EXPECT_TRUE(IsExpired(100, 101));
  EXPECT_TRUE(IsUsableLocally(100, 100, kOneDay));
  EXPECT_TRUE(IsUsableLocally(100, 100 + kOneDay - 1));
  EXPECT_FALSE(IsUsableLocally(100, 100 + kOneDay));
  EXPECT_FALSE(IsUsableLocally(100, 100, 0));
  EXPECT_FALSE(ShouldRenew(10 * kOneDay, 9 * kOneDay - 1));
  EXPECT_TRUE(ShouldRenew(10 * kOneDay, 9 * kOneDay));
  EXPECT_TRUE(ShouldRenew(10 * kOneDay, 11 * kOneDay));
  EXPECT_EQ(ExpirationFrom(1000), 1000 + 7 * kOneDay);
  EXPECT_EQ(kRecommendedLifetime, 604800);
  EXPECT_EQ(kRecommendedExtraValidity, 86400);
}

TEST(ExpirationTest, HostileExpirationsSaturate) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  EXPECT_TRUE(IsUsableLocally(kMax, kMax - 1, kOneDay));
  EXPECT_FALSE(IsUsableLocally(kMin, kMin, kOneDay - kOneDay));
  EXPECT_TRUE(IsUsableLocally(kMin, kMin, kOneDay));
  EXPECT_FALSE(ShouldRenew(kMax, kMax - kOneDay - 1));
  EXPECT_TRUE(ShouldRenew(kMin, kMin));
  EXPECT_TRUE(ShouldRenew(kMin + 5, kMin, kOneDay));
  EXPECT_EQ(ExpirationFrom(kMax - 1), kMax);
  EXPECT_FALSE(IsExpired(kMax, kMax - 1));
}

}  // namespace
}  // namespace otr::v4::profile
