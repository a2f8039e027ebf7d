#include "tests/v4/dake/party.h"

#include <gtest/gtest.h>

#include <utility>

#include "protocol/v4/profile/client_profile.h"
#include "protocol/v4/profile/expiration.h"

namespace otr::v4::dake::testing {

namespace {

template <typename M>
M CrossWire(const M& m, Result<M> (*decode)(ByteView), Bytes (*encode)(const M&)) {
  auto back = decode(encode(m));
  EXPECT_TRUE(back.ok());
  return back.ok() ? *back : M{};
}

}  // namespace

Party MakeParty(const crypto::Backend& backend, uint64_t seed, wire::InstanceTag tag) {
  Party p;
  p.backend = &backend;
  p.random = std::make_unique<crypto::testing::DeterministicRandom>(seed);
  p.instance_tag = tag;
  auto h = GenerateLongTermKeyPair(backend, *p.random);
  auto f = GenerateForgingKeyPair(backend, *p.random);
  EXPECT_TRUE(h.ok() && f.ok());
  if (!h.ok() || !f.ok()) return p;
  p.long_term = std::move(*h);
  p.forging = std::move(*f);
  profile::ClientProfileParams params;
  params.owner_instance_tag = tag;
  params.forging_key = p.forging.pub;
  params.versions = "4";
  params.expiration = profile::ExpirationFrom(kNow);
  auto profile = profile::CreateClientProfile(backend, p.long_term.sym_key, params, *p.random);
  EXPECT_TRUE(profile.ok());
  if (profile.ok()) p.client_profile = std::move(*profile);
  return p;
}

Transcript RunDake(Party& bob, Party& alice, Upto stop, Bytes phi_prime) {
  Transcript run;
  auto keys = GenerateOurDakeKeys(*bob.backend, *bob.random);
  EXPECT_TRUE(keys.ok());
  if (!keys.ok()) return run;
  run.bob_keys = std::move(*keys);
  run.identity = CrossWire(MakeIdentity(bob.keys(), 0, run.bob_keys), &DecodeIdentityMessage,
                           &EncodeIdentityMessage);
  if (stop == Upto::kIdentity) return run;

  auto seen = ValidateIdentity(*alice.backend, run.identity, alice.instance_tag,
                               ReceiverTagRule::kZeroOrOurs, kNow);
  EXPECT_TRUE(seen.ok()) << (seen.ok() ? "" : DakeCheckName(seen.error().check));
  if (!seen.ok()) return run;
  run.bob_seen_by_alice = seen.value();
  auto alice_keys = GenerateOurDakeKeys(*alice.backend, *alice.random);
  EXPECT_TRUE(alice_keys.ok());
  if (!alice_keys.ok()) return run;
  auto auth_r = MakeAuthR(*alice.backend, alice.keys(), *run.bob_seen_by_alice,
                          std::move(*alice_keys), phi_prime, *alice.random);
  EXPECT_TRUE(auth_r.ok());
  if (!auth_r.ok()) return run;
  auth_r->message = CrossWire(auth_r->message, &DecodeAuthR, &EncodeAuthR);
  run.auth_r = std::move(*auth_r);
  if (stop == Upto::kAuthR) return run;

  auto r =
      ValidateAuthR(*bob.backend, run.auth_r->message, bob.keys(), run.bob_keys, phi_prime, kNow);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : DakeCheckName(r.error().check));
  if (!r.ok()) return run;
  run.auth_r_result = r.value();
  auto auth_i = MakeAuthI(*bob.backend, bob.keys(), r.value(), *bob.random);
  EXPECT_TRUE(auth_i.ok());
  if (!auth_i.ok()) return run;
  auth_i->message = CrossWire(auth_i->message, &DecodeAuthI, &EncodeAuthI);
  run.auth_i = std::move(*auth_i);
  auto done = ValidateAuthI(*alice.backend, run.auth_i->message, alice.keys(), run.auth_r->pending);
  EXPECT_TRUE(done.ok()) << (done.ok() ? "" : DakeCheckName(done.error().check));
  if (!done.ok()) return run;
  run.alice_result = std::move(done).value();
  return run;
}

}  // namespace otr::v4::dake::testing
