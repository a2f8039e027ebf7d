#include "protocol/wire/reassembler_v4.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <string>

#include "tests/wire/spec_example.h"

namespace otr::wire {
namespace {

Fragment V4(uint32_t id, InstanceTag sender, uint16_t index, uint16_t total, std::string piece) {
  return Fragment{4, sender, 0, index, total, std::move(piece), id};
}

constexpr InstanceTag kAlice = 0x100;
constexpr InstanceTag kAlicePhone = 0x200;

void ExpectPending(ReassemblerV4& r, uint64_t now, const Fragment& f) {
  auto result = r.Add(now, f);
  ASSERT_TRUE(result.ok()) << ErrorCodeName(result.code());
  EXPECT_FALSE(result->has_value());
}

void ExpectComplete(ReassemblerV4& r, uint64_t now, const Fragment& f, const std::string& message) {
  auto result = r.Add(now, f);
  ASSERT_TRUE(result.ok()) << ErrorCodeName(result.code());
  ASSERT_TRUE(result->has_value());
  EXPECT_EQ(**result, message);
}

TEST(ReassemblerV4Test, SpecExampleInEveryOrder) {
  std::array<int, 3> order = {0, 1, 2};
  do {
    ReassemblerV4 r;
    for (int i = 0; i < 2; ++i) {
      ExpectPending(r, 0, *DecodeFragment(testing::kSpecV4Fragments[order[i]]));
    }
    ExpectComplete(r, 0, *DecodeFragment(testing::kSpecV4Fragments[order[2]]),
                   testing::kSpecDataMessage);
    EXPECT_EQ(r.messages_in_progress(), 0u);
    EXPECT_EQ(r.buffered_bytes(), 0u);
    EXPECT_EQ(r.buffered_fragments(), 0u);
  } while (std::next_permutation(order.begin(), order.end()));
}

TEST(ReassemblerV4Test, InterleavedMessagesByIdentifierAndSender) {
  ReassemblerV4 r;
  ExpectPending(r, 0, V4(1, kAlice, 2, 2, "B"));
  ExpectPending(r, 0, V4(2, kAlice, 3, 3, "z"));
  // The same identifier from another instance is another message.
  ExpectPending(r, 0, V4(1, kAlicePhone, 1, 2, "p"));
  EXPECT_EQ(r.messages_in_progress(), 3u);
  ExpectPending(r, 0, V4(2, kAlice, 1, 3, "x"));
  ExpectComplete(r, 0, V4(1, kAlice, 1, 2, "A"), "AB");
  ExpectComplete(r, 0, V4(2, kAlice, 2, 3, "y"), "xyz");
  ExpectComplete(r, 0, V4(1, kAlicePhone, 2, 2, "q"), "pq");
  EXPECT_EQ(r.messages_in_progress(), 0u);
}

TEST(ReassemblerV4Test, SingleFragmentAndCommas) {
  ReassemblerV4 r;
  ExpectComplete(r, 0, V4(7, kAlice, 1, 1, "?OTR:AAQD."), "?OTR:AAQD.");
  ExpectPending(r, 0, V4(8, kAlice, 2, 2, "b,c"));
  ExpectComplete(r, 0, V4(8, kAlice, 1, 2, "?OTRv34? a,"), "?OTRv34? a,b,c");
}

TEST(ReassemblerV4Test, IllegalFragmentsLeaveStateAlone) {
  // "Discard the (illegal) fragment if: index is 0, total is 0, index is
  // bigger than total".
  ReassemblerV4 r;
  ExpectPending(r, 0, V4(1, kAlice, 1, 2, "a"));
  EXPECT_EQ(r.Add(0, V4(1, kAlice, 0, 2, "x")).code(), ErrorCode::kInvalidEncoding);
  EXPECT_EQ(r.Add(0, V4(1, kAlice, 1, 0, "x")).code(), ErrorCode::kInvalidEncoding);
  EXPECT_EQ(r.Add(0, V4(1, kAlice, 3, 2, "x")).code(), ErrorCode::kInvalidEncoding);
  EXPECT_EQ(r.Add(0, V4(1, kAlice, 2, 2, "")).code(), ErrorCode::kInvalidEncoding);
  EXPECT_EQ(r.Add(0, V4(1, kAlice, 2, 2, "?OTR|")).code(), ErrorCode::kInvalidEncoding);
  EXPECT_EQ(r.Add(0, Fragment{3, kAlice, 0, 2, 2, "x"}).code(), ErrorCode::kUnsupportedVersion);
  EXPECT_EQ(r.messages_in_progress(), 1u);
  ExpectComplete(r, 0, V4(1, kAlice, 2, 2, "b"), "ab");
}

TEST(ReassemblerV4Test, DuplicateIndexIsRejectedAndTheBufferKept) {
  // "If it is not [empty], reject the fragment and do not increment the
  // buffer counter."
  ReassemblerV4 r;
  ExpectPending(r, 0, V4(1, kAlice, 1, 2, "a"));
  EXPECT_EQ(r.Add(0, V4(1, kAlice, 1, 2, "evil")).code(), ErrorCode::kBadState);
  EXPECT_EQ(r.buffered_bytes(), 1u);
  ExpectComplete(r, 0, V4(1, kAlice, 2, 2, "b"), "ab");
}

TEST(ReassemblerV4Test, ChangedTotalForgetsTheBuffer) {
  // "Otherwise: Forget any stored fragments of this buffer you may have."
  ReassemblerV4 r;
  ExpectPending(r, 0, V4(1, kAlice, 1, 3, "a"));
  ExpectPending(r, 0, V4(2, kAlice, 1, 2, "other"));
  EXPECT_EQ(r.Add(0, V4(1, kAlice, 2, 2, "b")).code(), ErrorCode::kBadState);
  EXPECT_EQ(r.messages_in_progress(), 1u);        // message 2 is untouched
  ExpectPending(r, 0, V4(1, kAlice, 2, 2, "b"));  // starts afresh with total 2
  ExpectComplete(r, 0, V4(1, kAlice, 1, 2, "a"), "ab");
}

TEST(ReassemblerV4Test, ReassembledFragmentIsRefused) {
  ReassemblerV4 r;
  ExpectPending(r, 0, V4(1, kAlice, 1, 2, "?OTR"));
  EXPECT_EQ(r.Add(0, V4(1, kAlice, 2, 2, "|1|2|3,1,1,x")).code(), ErrorCode::kInvalidEncoding);
  EXPECT_EQ(r.messages_in_progress(), 0u);
}

TEST(ReassemblerV4Test, FragmentCountBound) {
  ReassemblerV4 r({.max_fragments = 3});
  EXPECT_EQ(r.Add(0, V4(1, kAlice, 1, 4, "a")).code(), ErrorCode::kTooLarge);
  EXPECT_EQ(r.messages_in_progress(), 0u);
  ExpectPending(r, 0, V4(1, kAlice, 1, 3, "a"));
  // The default is kMaxFragmentsPerMessageV4.
  ReassemblerV4 d;
  EXPECT_EQ(d.Add(0, V4(1, kAlice, 1, kMaxFragmentsPerMessageV4 + 1, "a")).code(),
            ErrorCode::kTooLarge);
  ExpectPending(d, 0, V4(1, kAlice, 1, kMaxFragmentsPerMessageV4, "a"));
}

TEST(ReassemblerV4Test, MessageSizeBound) {
  ReassemblerV4 r({.max_message_size = 4});
  EXPECT_EQ(r.Add(0, V4(1, kAlice, 1, 2, "12345")).code(), ErrorCode::kTooLarge);
  ExpectPending(r, 0, V4(1, kAlice, 1, 3, "123"));
  EXPECT_EQ(r.Add(0, V4(1, kAlice, 2, 3, "45")).code(), ErrorCode::kTooLarge);
  EXPECT_EQ(r.messages_in_progress(), 0u);  // the buffer is forgotten
  EXPECT_EQ(r.buffered_bytes(), 0u);
}

TEST(ReassemblerV4Test, MessageCountBoundEvictsTheLeastRecentlyUsed) {
  ReassemblerV4 r({.max_messages = 2});
  ExpectPending(r, 0, V4(1, kAlice, 1, 2, "a"));
  ExpectPending(r, 0, V4(2, kAlice, 1, 2, "c"));
  ExpectPending(r, 0, V4(3, kAlice, 1, 2, "e"));  // message 1 is the least recently used
  EXPECT_EQ(r.messages_in_progress(), 2u);
  ExpectPending(r, 0, V4(1, kAlice, 2, 2, "b"));  // a new buffer for 1; message 2 goes
  EXPECT_EQ(r.messages_in_progress(), 2u);
  ExpectComplete(r, 0, V4(3, kAlice, 2, 2, "f"), "ef");
  ExpectComplete(r, 0, V4(1, kAlice, 1, 2, "a"), "ab");
  ReassemblerV4 none({.max_messages = 0});
  EXPECT_EQ(none.Add(0, V4(1, kAlice, 1, 2, "a")).code(), ErrorCode::kTooLarge);
}

TEST(ReassemblerV4Test, ByteBoundEvictsOthersThenRefuses) {
  ReassemblerV4 r({.max_message_size = 10, .max_buffered_bytes = 6});
  ExpectPending(r, 0, V4(1, kAlice, 1, 2, "aaa"));
  ExpectPending(r, 0, V4(2, kAlice, 1, 2, "bbb"));
  EXPECT_EQ(r.buffered_bytes(), 6u);
  ExpectPending(r, 0, V4(3, kAlice, 1, 2, "cc"));  // message 1 makes room
  EXPECT_EQ(r.messages_in_progress(), 2u);
  EXPECT_EQ(r.buffered_bytes(), 5u);
  // A message that cannot fit even alone is refused and forgotten.
  EXPECT_EQ(r.Add(0, V4(3, kAlice, 2, 2, "ccccc")).code(), ErrorCode::kTooLarge);
  EXPECT_EQ(r.messages_in_progress(), 0u);
  EXPECT_EQ(r.buffered_bytes(), 0u);
}

TEST(ReassemblerV4Test, TimerDiscardsOldBuffers) {
  // "If the timer runs out, all stored fragments in this buffer should be
  // discarded."
  ReassemblerV4 r({.max_age_seconds = 60});
  ExpectPending(r, 1000, V4(1, kAlice, 1, 2, "a"));
  ExpectPending(r, 1030, V4(2, kAlice, 1, 2, "c"));
  EXPECT_EQ(r.Expire(1059), 0u);
  EXPECT_EQ(r.Expire(1060), 1u);  // message 1, 60 seconds after its first fragment
  EXPECT_EQ(r.messages_in_progress(), 1u);
  // Add expires too: message 2 is 60 seconds old when its last piece comes.
  ExpectPending(r, 1090, V4(2, kAlice, 2, 2, "d"));
  EXPECT_EQ(r.messages_in_progress(), 1u);  // only the new buffer for "d"
  // A clock that goes back expires nothing.
  EXPECT_EQ(r.Expire(5), 0u);
  ExpectComplete(r, 1100, V4(2, kAlice, 1, 2, "c"), "cd");
  EXPECT_EQ(kMaxFragmentAgeSecondsV4, 3600u);
}

TEST(ReassemblerV4Test, PlaintextDoesNotDiscardAndForgetIsExplicit) {
  // "If you receive a non-OTR message or an unfragmented message: Keep track
  // of the buffers you may already have." Nothing but Forget drops them.
  ReassemblerV4 r;
  ExpectPending(r, 0, V4(1, kAlice, 1, 2, "a"));
  ExpectPending(r, 0, V4(1, kAlicePhone, 1, 2, "p"));
  r.Forget(kAlicePhone);
  EXPECT_EQ(r.messages_in_progress(), 1u);
  ExpectComplete(r, 0, V4(1, kAlice, 2, 2, "b"), "ab");
  ExpectPending(r, 0, V4(1, kAlice, 1, 2, "a"));
  r.ForgetAll();
  EXPECT_EQ(r.messages_in_progress(), 0u);
  EXPECT_EQ(r.buffered_bytes(), 0u);
  EXPECT_EQ(r.buffered_fragments(), 0u);
}

}  // namespace
}  // namespace otr::wire
