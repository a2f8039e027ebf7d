#include "tests/v4/dake/ratchet_talk.h"

#include <gtest/gtest.h>

#include "tests/crypto/test_util.h"

namespace otr::v4::dake::testing {

DataMessage SendOverWire(Party& from, ratchet::Ratchet& r, Party& to, const std::string& text) {
  auto sent =
      r.Send(kNow, Header{from.instance_tag, to.instance_tag}, 0, AsBytes(text), *from.random);
  EXPECT_TRUE(sent.ok());
  if (!sent.ok()) return DataMessage{};
  auto wire = DecodeDataMessage(EncodeDataMessage(sent->message));
  EXPECT_TRUE(wire.ok());
  return wire.ok() ? *wire : DataMessage{};
}

std::string ReadText(ratchet::Ratchet& r, const DataMessage& m) {
  auto got = r.Receive(kNow, m);
  if (!got.ok()) return "error " + crypto::testing::CodeName(got.code());
  return std::string(got->plaintext.view().begin(), got->plaintext.view().end());
}

}  // namespace otr::v4::dake::testing
