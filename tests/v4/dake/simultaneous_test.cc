// "Receiving an Identity Message" in WAITING_AUTH_R (otrv4.md): both sides
// sent an Identity message; OurIdentityWins decides which one is used
// (SHA-256 of each B, compared as 32-byte big-endian values), and the DAKE
// completes from the winner's Identity message.
#include <gtest/gtest.h>

#include <utility>

#include "crypto/backends.h"
#include "protocol/v4/dake/dake.h"
#include "tests/crypto/test_util.h"
#include "tests/v4/dake/party.h"

namespace otr::v4::dake {
namespace {

using testing::kNow;
using testing::MakeParty;
using testing::Party;

using SimultaneousTest = crypto::testing::BackendTest;

// SHA-256(0x02) = dbc1b4c9..., SHA-256(0x03) = 084fed08... (Python hashlib):
// B = 2 hashes higher than B = 3.
TEST_P(SimultaneousTest, ComparesTheSha256OfEachB) {
  EXPECT_TRUE(OurIdentityWins(backend(), Bytes{0x02}, Bytes{0x03}));
  EXPECT_FALSE(OurIdentityWins(backend(), Bytes{0x03}, Bytes{0x02}));
  EXPECT_FALSE(OurIdentityWins(backend(), Bytes{0x02}, Bytes{0x02}));
}

TEST_P(SimultaneousTest, ExactlyOneSideWinsAndTheDakeCompletes) {
  for (uint64_t seed = 0; seed < 4; ++seed) {
    Party p1 = MakeParty(backend(), 100 + seed, 0x100 + static_cast<uint32_t>(seed));
    Party p2 = MakeParty(backend(), 200 + seed, 0x900 + static_cast<uint32_t>(seed));
    auto k1 = GenerateOurDakeKeys(backend(), *p1.random);
    auto k2 = GenerateOurDakeKeys(backend(), *p2.random);
    ASSERT_TRUE(k1.ok() && k2.ok());
    const IdentityMessage id1 = MakeIdentity(p1.keys(), 0, *k1);
    const IdentityMessage id2 = MakeIdentity(p2.keys(), 0, *k2);
    const bool one_wins = OurIdentityWins(backend(), id1.b, id2.b);
    const bool two_wins = OurIdentityWins(backend(), id2.b, id1.b);
    ASSERT_NE(one_wins, two_wins) << "seed " << seed;
    // The loser forgets its keys and answers the winner's Identity message.
    Party& winner = one_wins ? p1 : p2;
    Party& loser = one_wins ? p2 : p1;
    const IdentityMessage& winning = one_wins ? id1 : id2;
    const OurDakeKeys& winner_keys = one_wins ? *k1 : *k2;
    auto seen = ValidateIdentity(backend(), winning, loser.instance_tag,
                                 ReceiverTagRule::kZeroOrOurs, kNow);
    ASSERT_TRUE(seen.ok());
    auto fresh = GenerateOurDakeKeys(backend(), *loser.random);
    ASSERT_TRUE(fresh.ok());
    auto auth_r =
        MakeAuthR(backend(), loser.keys(), seen.value(), std::move(*fresh), {}, *loser.random);
    ASSERT_TRUE(auth_r.ok());
    auto r = ValidateAuthR(backend(), auth_r->message, winner.keys(), winner_keys, {}, kNow);
    ASSERT_TRUE(r.ok());
    auto auth_i = MakeAuthI(backend(), winner.keys(), std::move(r).value(), *winner.random);
    ASSERT_TRUE(auth_i.ok());
    auto done = ValidateAuthI(backend(), auth_i->message, loser.keys(), auth_r->pending);
    ASSERT_TRUE(done.ok());
    EXPECT_EQ(done->ssid, auth_i->result.ssid);
  }
}

OTR_INSTANTIATE_FOR_ALL_BACKENDS(SimultaneousTest);

}  // namespace
}  // namespace otr::v4::dake
