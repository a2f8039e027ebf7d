#include "fuzz/support/v4_offline.h"

#include <memory>
#include <utility>

#include "crypto/testing/deterministic_random.h"
#include "fuzz/support/fuzz_backend.h"
#include "fuzz/support/harness.h"
#include "fuzz/support/v4_harness.h"
#include "protocol/v4/crypto/keys.h"
#include "protocol/v4/profile/expiration.h"
#include "protocol/v4/profile/prekey_profile.h"

namespace otr::fuzzing {

namespace {

std::unique_ptr<OfflinePrekeys> MakeBobPrekeys() {
  const crypto::Backend& backend = FuzzBackend();
  crypto::testing::DeterministicRandom random(uint64_t{0x0ff11e});
  const v4::Identity& bob = FixedV4Identity(1);
  auto out = std::make_unique<OfflinePrekeys>();
  const int64_t now = static_cast<int64_t>(kV4StartTime);
  auto d = v4::GenerateSharedPrekeyPair(backend, random);
  if (!d.ok()) OTR_FUZZ_FAIL();
  v4::profile::PrekeyProfileParams params;
  params.owner_instance_tag = kBobTag;
  params.expiration = v4::profile::ExpirationFrom(now);
  params.shared_prekey = d->pub;
  auto profile = v4::profile::CreatePrekeyProfile(backend, bob.long_term.sym_key, params);
  if (!profile.ok()) OTR_FUZZ_FAIL();
  // "Prekey Profile Expiration" plus the extra validity for late messages.
  const int64_t keep_until = params.expiration + v4::profile::kRecommendedExtraValidity;
  out->store.AddPrekeyProfile(v4::OurPrekeyProfile{*profile, d->secret}, keep_until);
  auto messages = v4::GeneratePrekeyMessages(backend, out->store, kBobTag, kOfflinePrekeys,
                                             keep_until, now, random);
  if (!messages.ok() || messages->size() != kOfflinePrekeys) OTR_FUZZ_FAIL();
  for (const v4::PrekeyMessage& m : *messages) {
    out->ensembles.push_back(v4::dake::PrekeyEnsembleValues{bob.client_profile, *profile, m});
  }
  for (const v4::dake::PrekeyEnsembleValues& e : out->ensembles) out->choices.push_back({e});
  out->choices.push_back(out->ensembles);
  return out;
}

}  // namespace

const OfflinePrekeys& FixedBobPrekeys() {
  static const std::unique_ptr<OfflinePrekeys> prekeys = MakeBobPrekeys();
  return *prekeys;
}

}  // namespace otr::fuzzing
