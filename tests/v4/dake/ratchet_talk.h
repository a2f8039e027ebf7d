// Data Messages between two ratchets a DAKE started (interactive or XZDH),
// through the wire encoding, for the tests that check the ratchets agree.
#ifndef OTR_TESTS_V4_DAKE_RATCHET_TALK_H_
#define OTR_TESTS_V4_DAKE_RATCHET_TALK_H_

#include <string>

#include "protocol/v4/messages/messages.h"
#include "protocol/v4/ratchet/ratchet.h"
#include "tests/v4/dake/party.h"

namespace otr::v4::dake::testing {

// `text` sent by `from` on `r` to `to`, encoded and decoded again; fails the
// current test (and returns an empty message) when either step fails.
DataMessage SendOverWire(Party& from, ratchet::Ratchet& r, Party& to, const std::string& text);

// The plaintext `r` reads from `m`, or "error " and the error code's name.
std::string ReadText(ratchet::Ratchet& r, const DataMessage& m);

}  // namespace otr::v4::dake::testing

#endif  // OTR_TESTS_V4_DAKE_RATCHET_TALK_H_
