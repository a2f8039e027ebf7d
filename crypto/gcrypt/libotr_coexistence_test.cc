// libotr (linked into the interop tests and benchmarks) initialises
// libgcrypt itself and installs its own allocation handlers (otrl_init).
// This test runs the backend with libotr initialised first
// (OTR_LIBOTR_FIRST) or after the backend's first use, and uses libotr's
// own libgcrypt-based code afterwards.
#include <gcrypt.h>
#include <gtest/gtest.h>

extern "C" {
#include <libotr/dh.h>
#include <libotr/proto.h>
}

#include "crypto/backend.h"
#include "crypto/gcrypt/gcrypt_backend.h"
#include "crypto/modp_group.h"
#include "crypto/testing/deterministic_random.h"

namespace otr::crypto {
namespace {

void InitLibotr() {
  ASSERT_EQ(otrl_init(OTRL_VERSION_MAJOR, OTRL_VERSION_MINOR, OTRL_VERSION_SUB), 0u);
}

// A little of everything that allocates libgcrypt objects.
void ExerciseBackend() {
  const Backend& b = GcryptBackend();
  EXPECT_EQ(b.Hash(HashAlgorithm::kSha256, AsBytes("abc")).size(), 32u);
  const ModpGroup& group = GetModpGroup(ModpGroupId::kModp1536);
  testing::DeterministicRandom random(1);
  SecretBytes x = random.SecretOfSize(40);
  auto secret = b.ModExp(group.g, x, group.p);
  auto pub = b.ModExpPublic(group.g, x.view(), group.p);
  ASSERT_TRUE(secret.ok() && pub.ok());
  EXPECT_EQ(secret->Declassify(), *pub);
  SecretBytes seed = random.SecretOfSize(kEd448SeedSize);
  auto key = b.Ed448DerivePublicKey(seed);
  auto sig = b.Ed448Sign(seed, AsBytes("m"));
  ASSERT_TRUE(key.ok() && sig.ok());
  EXPECT_TRUE(b.Ed448Verify(*key, AsBytes("m"), *sig).ok());
  EXPECT_TRUE(b.Ed448Decode(b.Ed448Encode(b.Ed448MulBase(seed))).ok());
}

void ExerciseLibotr() {
  DH_keypair kp;
  otrl_dh_keypair_init(&kp);
  EXPECT_EQ(otrl_dh_gen_keypair(DH1536_GROUP_ID, &kp), 0u);
  otrl_dh_keypair_free(&kp);
}

TEST(GcryptLibotrCoexistenceTest, BothOrders) {
#ifdef OTR_LIBOTR_FIRST
  InitLibotr();
  ExerciseLibotr();
  ExerciseBackend();
#else
  ExerciseBackend();
  InitLibotr();
  ExerciseBackend();
  ExerciseLibotr();
#endif
}

}  // namespace
}  // namespace otr::crypto
