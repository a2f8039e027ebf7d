// SMP messages as v2/v3 TLV records (protocol/v3/engine/smp_records.h):
// every message survives the trip to a record and back, and the record
// types are the spec's (2-7).
#include "protocol/v3/engine/smp_records.h"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

namespace otr::v3 {
namespace {

using otr::smp::Kind;

RC_GTEST_PROP(SmpRecords, RoundTrip, ()) {
  const auto kind =
      *rc::gen::element(Kind::kSmp1, Kind::kSmp2, Kind::kSmp3, Kind::kSmp4, Kind::kAbort);
  otr::smp::Message m;
  m.kind = kind;
  if (kind != Kind::kAbort) m.body = *rc::gen::arbitrary<Bytes>();
  if (kind == Kind::kSmp1 && *rc::gen::arbitrary<bool>()) {
    std::string question = *rc::gen::arbitrary<std::string>();
    std::erase(question, '\0');
    m.question = question;
  }
  const auto record = SmpRecord(m);
  RC_ASSERT(record.ok());
  const auto back = SmpMessageOf(*record);
  RC_ASSERT(back.has_value());
  RC_ASSERT(back->kind == m.kind);
  RC_ASSERT(back->body == m.body);
  RC_ASSERT(back->question == m.question);
}

TEST(SmpRecords, SpecTypes) {
  otr::smp::Message m{Kind::kSmp1, {1, 2}, std::nullopt};
  EXPECT_EQ(SmpRecord(m)->type, 2);
  m.question = "q";
  EXPECT_EQ(SmpRecord(m)->type, 7);
  EXPECT_EQ(SmpRecord(m)->value, (Bytes{'q', 0, 1, 2}));
  m.question = std::string("a\0b", 3);
  EXPECT_EQ(SmpRecord(m).code(), ErrorCode::kInvalidEncoding);
  EXPECT_EQ(SmpRecord({Kind::kSmp4, {}, std::nullopt})->type, 5);
  EXPECT_EQ(SmpRecord({Kind::kAbort, {}, std::nullopt})->type, 6);
  // Not SMP: padding (0), disconnected (1), extra symmetric key (8).
  for (uint16_t type : {0, 1, 8, 9}) EXPECT_FALSE(SmpMessageOf(TlvRecord{type, {}}).has_value());
  // A type 7 without its NUL is a malformed SMP message 1, not a question.
  const auto no_nul = SmpMessageOf(TlvRecord{7, {'x', 'y'}});
  ASSERT_TRUE(no_nul.has_value());
  EXPECT_FALSE(no_nul->question.has_value());
}

}  // namespace
}  // namespace otr::v3
