// The version a Session answers an offer with (protocol/session/
// version_choice.h): 4 whenever both allow it, v3 only without 4, and no v3
// at all in the v4-only modes (otrv4.md "Receiving a Query Message", "OTRv4
// Modes"; docs/decisions/0011-v4-version-rollback.md).
#include "protocol/session/version_choice.h"

#include <gtest/gtest.h>

namespace otr {
namespace {

using wire::VersionSet;

TEST(VersionChoiceTest, FourWinsWheneverBothAllowIt) {
  const Policy p = Policy::Manual().WithV4();
  EXPECT_EQ(ChooseVersion(VersionSet{3, 4}, p), OfferAnswer::kV4);
  EXPECT_EQ(ChooseVersion(VersionSet{2, 3, 4}, p), OfferAnswer::kV4);
  EXPECT_EQ(ChooseVersion(VersionSet{4}, p), OfferAnswer::kV4);
  EXPECT_EQ(ChooseVersion(VersionSet{2, 4}, p), OfferAnswer::kV4);
}

TEST(VersionChoiceTest, ThreeOnlyWithoutFour) {
  const Policy p = Policy::Manual().WithV4();
  EXPECT_EQ(ChooseVersion(VersionSet{3}, p), OfferAnswer::kV3);
  EXPECT_EQ(ChooseVersion(VersionSet{2}, p), OfferAnswer::kV3);
  // We do not allow 4: a v4 offer with 3 is answered in v3.
  EXPECT_EQ(ChooseVersion(VersionSet{3, 4}, Policy::Manual()), OfferAnswer::kV3);
  EXPECT_EQ(ChooseVersion(VersionSet{4}, Policy::Manual()), OfferAnswer::kNone);
  EXPECT_EQ(ChooseVersion(VersionSet{}, p), OfferAnswer::kNone);
  EXPECT_EQ(ChooseVersion(VersionSet{1}, p), OfferAnswer::kNone);
}

TEST(VersionChoiceTest, VersionFourOnlyModesRefuseThree) {
  for (const Policy& p : {Policy::V4Standalone(), Policy::V4InteractiveOnly()}) {
    EXPECT_EQ(ChooseVersion(VersionSet{3, 4}, p), OfferAnswer::kV4);
    EXPECT_EQ(ChooseVersion(VersionSet{3}, p), OfferAnswer::kRefusedV3);
    EXPECT_EQ(ChooseVersion(VersionSet{2, 3}, p), OfferAnswer::kRefusedV3);
    EXPECT_EQ(ChooseVersion(VersionSet{}, p), OfferAnswer::kNone);
    EXPECT_FALSE(p.SpeaksV3());
  }
}

TEST(VersionChoiceTest, WithoutVersionFourNothingChanges) {
  // Today's v2/v3 policies answer as before.
  EXPECT_EQ(ChooseVersion(VersionSet{2, 3}, Policy::Manual()), OfferAnswer::kV3);
  Policy v2 = Policy::Manual();
  v2.allow_v3 = false;
  EXPECT_EQ(ChooseVersion(VersionSet{3}, v2), OfferAnswer::kNone);
  EXPECT_EQ(ChooseVersion(VersionSet{2, 3}, v2), OfferAnswer::kV3);
}

}  // namespace
}  // namespace otr
