// PayloadWipe (protocol/api/payload_wipe.h), the one wipe both engines use
// on a received plaintext's decoded copy: every byte of the message, of each
// record's value and (v4) of an incomplete tail is zero once it goes out of
// scope; the sizes stay (the memory is wiped, not released early).
#include "protocol/api/payload_wipe.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "base/bytes.h"
#include "protocol/v3/tlv.h"
#include "protocol/v4/messages/tlv.h"

namespace otr {
namespace {

bool AllZero(const Bytes& b) {
  return std::all_of(b.begin(), b.end(), [](uint8_t x) { return x == 0; });
}

TEST(PayloadWipeTest, WipesAV3PayloadWhenItGoesOutOfScope) {
  v3::DataPayload payload;
  payload.message = Bytes{'h', 'i'};
  payload.has_tlv_part = true;
  payload.tlvs.push_back(v3::TlvRecord{8, Bytes{1, 2, 3}});
  payload.tlvs.push_back(v3::TlvRecord{0, Bytes{4}});
  {
    const PayloadWipe<v3::DataPayload> wipe(payload);
    EXPECT_EQ(payload.message, (Bytes{'h', 'i'}));  // readable while in scope
  }
  ASSERT_EQ(payload.message.size(), 2u);
  EXPECT_TRUE(AllZero(payload.message));
  ASSERT_EQ(payload.tlvs.size(), 2u);
  EXPECT_EQ(payload.tlvs[0].value.size(), 3u);
  EXPECT_TRUE(AllZero(payload.tlvs[0].value));
  EXPECT_TRUE(AllZero(payload.tlvs[1].value));
}

TEST(PayloadWipeTest, WipesAV4PayloadAndItsIncompleteTail) {
  v4::DataPayload payload;
  payload.message = Bytes{'y', 'o'};
  payload.has_tlv_part = true;
  payload.tlvs.push_back(v4::TlvRecord{7, Bytes{9, 9}});
  payload.incomplete_tail = Bytes{0, 7, 0, 9, 5};  // a Length beyond the end
  { const PayloadWipe<v4::DataPayload> wipe(payload); }
  EXPECT_TRUE(AllZero(payload.message));
  EXPECT_TRUE(AllZero(payload.tlvs[0].value));
  ASSERT_EQ(payload.incomplete_tail.size(), 5u);
  EXPECT_TRUE(AllZero(payload.incomplete_tail));
}

}  // namespace
}  // namespace otr
