#include "protocol/wire/reassembler.h"

#include <gtest/gtest.h>

#include <string>

#include "tests/wire/spec_example.h"

namespace otr::wire {
namespace {

Fragment V3(InstanceTag sender, uint16_t k, uint16_t n, std::string piece) {
  return Fragment{3, sender, 0x100, k, n, std::move(piece)};
}
Fragment V2(uint16_t k, uint16_t n, std::string piece) {
  return Fragment{2, 0, 0, k, n, std::move(piece)};
}

// Expects Add to keep waiting.
void ExpectPending(Reassembler& r, const Fragment& f) {
  auto result = r.Add(f);
  ASSERT_TRUE(result.ok()) << ErrorCodeName(result.code());
  EXPECT_FALSE(result->has_value());
}

void ExpectComplete(Reassembler& r, const Fragment& f, const std::string& message) {
  auto result = r.Add(f);
  ASSERT_TRUE(result.ok()) << ErrorCodeName(result.code());
  ASSERT_TRUE(result->has_value());
  EXPECT_EQ(**result, message);
}

TEST(ReassemblerTest, ReassemblesTheSpecExample) {
  Reassembler r;
  for (int i = 0; i < 2; ++i) ExpectPending(r, *DecodeFragment(testing::kSpecFragments[i]));
  ExpectComplete(r, *DecodeFragment(testing::kSpecFragments[2]), testing::kSpecDataMessage);
  EXPECT_EQ(r.tracked_senders(), 0u);
  EXPECT_EQ(r.buffered_bytes(), 0u);
}

TEST(ReassemblerTest, SingleFragmentMessage) {
  Reassembler r;
  ExpectComplete(r, V2(1, 1, "?OTR:AAMC."), "?OTR:AAMC.");
}

TEST(ReassemblerTest, IllegalFragmentLeavesStateAlone) {
  // "If k == 0 or n == 0 or k > n, discard this (illegal) fragment."
  Reassembler r;
  ExpectPending(r, V2(1, 2, "ab"));
  EXPECT_EQ(r.Add(V2(0, 2, "x")).code(), ErrorCode::kInvalidEncoding);
  EXPECT_EQ(r.Add(V2(1, 0, "x")).code(), ErrorCode::kInvalidEncoding);
  EXPECT_EQ(r.Add(V2(3, 2, "x")).code(), ErrorCode::kInvalidEncoding);
  EXPECT_EQ(r.Add(V2(2, 2, "")).code(), ErrorCode::kInvalidEncoding);
  EXPECT_EQ(r.Add(V2(2, 2, "?OTR|")).code(), ErrorCode::kInvalidEncoding);
  EXPECT_EQ(r.Add(Fragment{4, 0, 0, 2, 2, "x"}).code(), ErrorCode::kUnsupportedVersion);
  ExpectComplete(r, V2(2, 2, "cd"), "abcd");
}

// Issue 14: libotr's fragments of a Query Message carry pieces with ','.
TEST(ReassemblerTest, PiecesMayHoldCommas) {
  Reassembler r;
  ExpectPending(r, V3(0x100, 1, 2, "?OTRv23? Debian or Ubuntu,"));
  ExpectComplete(r, V3(0x100, 2, 2, "install it, please."),
                 "?OTRv23? Debian or Ubuntu,install it, please.");
}

TEST(ReassemblerTest, FirstFragmentRestarts) {
  // "If k == 1: Forget any stored fragment you may have".
  Reassembler r;
  ExpectPending(r, V2(1, 3, "old"));
  ExpectPending(r, V2(2, 3, "old"));
  ExpectPending(r, V2(1, 2, "new"));
  ExpectComplete(r, V2(2, 2, "er"), "newer");
}

TEST(ReassemblerTest, OutOfSequenceForgets) {
  // "Otherwise: Forget any stored fragment ... Store (0,0) as (K,N)."
  Reassembler r;
  ExpectPending(r, V2(1, 3, "a"));
  EXPECT_EQ(r.Add(V2(3, 3, "c")).code(), ErrorCode::kBadState);  // skipped k=2
  EXPECT_EQ(r.tracked_senders(), 0u);
  EXPECT_EQ(r.Add(V2(2, 3, "b")).code(), ErrorCode::kBadState);  // state was forgotten

  ExpectPending(r, V2(1, 3, "a"));
  EXPECT_EQ(r.Add(V2(2, 4, "b")).code(), ErrorCode::kBadState);  // n changed
  ExpectPending(r, V2(1, 3, "a"));
  EXPECT_EQ(r.Add(V2(1 + 0, 3, "a")).ok(), true);  // duplicate of k=1 restarts
  ExpectPending(r, V2(2, 3, "b"));
  EXPECT_EQ(r.Add(V2(2, 3, "b")).code(), ErrorCode::kBadState);  // duplicate of k=2
}

TEST(ReassemblerTest, SendersAreSeparate) {
  Reassembler r;
  ExpectPending(r, V3(0x100, 1, 2, "a1"));
  ExpectPending(r, V3(0x200, 1, 2, "b1"));
  ExpectPending(r, V2(1, 2, "c1"));
  ExpectComplete(r, V3(0x200, 2, 2, "b2"), "b1b2");
  ExpectComplete(r, V2(2, 2, "c2"), "c1c2");
  ExpectComplete(r, V3(0x100, 2, 2, "a2"), "a1a2");
}

TEST(ReassemblerTest, ForgetDropsOneSender) {
  Reassembler r;
  ExpectPending(r, V3(0x100, 1, 2, "a1"));
  ExpectPending(r, V2(1, 2, "c1"));
  r.Forget(3, 0x100);
  EXPECT_EQ(r.Add(V3(0x100, 2, 2, "a2")).code(), ErrorCode::kBadState);
  ExpectComplete(r, V2(2, 2, "c2"), "c1c2");
  ExpectPending(r, V2(1, 2, "c1"));
  r.ForgetAll();
  EXPECT_EQ(r.buffered_bytes(), 0u);
  EXPECT_EQ(r.Add(V2(2, 2, "c2")).code(), ErrorCode::kBadState);
}

TEST(ReassemblerTest, EvictsTheLeastRecentlyUsedSender) {
  Reassembler r({/*max_message_size=*/100, /*max_senders=*/2});
  ExpectPending(r, V3(0x100, 1, 3, "a"));
  ExpectPending(r, V3(0x200, 1, 3, "b"));
  ExpectPending(r, V3(0x100, 2, 3, "a"));  // 0x200 is now the oldest
  ExpectPending(r, V3(0x300, 1, 3, "c"));  // evicts 0x200
  EXPECT_EQ(r.tracked_senders(), 2u);
  EXPECT_EQ(r.Add(V3(0x200, 2, 3, "b")).code(), ErrorCode::kBadState);
  ExpectComplete(r, V3(0x100, 3, 3, "a"), "aaa");
}

TEST(ReassemblerTest, BoundsTheMessageSize) {
  Reassembler r({/*max_message_size=*/10, /*max_senders=*/2});
  EXPECT_EQ(r.Add(V2(1, 2, std::string(11, 'x'))).code(), ErrorCode::kTooLarge);
  ExpectPending(r, V2(1, 3, std::string(6, 'x')));
  EXPECT_EQ(r.Add(V2(2, 3, std::string(5, 'x'))).code(), ErrorCode::kTooLarge);
  EXPECT_EQ(r.buffered_bytes(), 0u);
  EXPECT_EQ(r.Add(V2(3, 3, "x")).code(), ErrorCode::kBadState);  // forgotten
  ExpectPending(r, V2(1, 2, std::string(6, 'x')));
  ExpectComplete(r, V2(2, 2, std::string(4, 'x')), std::string(10, 'x'));
  Reassembler none({10, 0});
  EXPECT_EQ(none.Add(V2(1, 1, "x")).code(), ErrorCode::kTooLarge);
}

TEST(ReassemblerTest, RejectsAMessageThatIsAFragment) {
  // "you can't fragment a fragment": pieces that join into a fragment marker.
  Reassembler r;
  ExpectPending(r, V2(1, 2, "?OT"));
  EXPECT_EQ(r.Add(V2(2, 2, "R|1|2")).code(), ErrorCode::kInvalidEncoding);
  EXPECT_EQ(r.tracked_senders(), 0u);
  EXPECT_EQ(r.buffered_bytes(), 0u);
}

}  // namespace
}  // namespace otr::wire
