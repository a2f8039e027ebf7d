// Recognising libotr-ng's variant of OTRv4 messages (issue 20).
//
// Our decoders follow otrv4.md and refuse libotr-ng's messages
// (docs/libotr-ng-deviations.md, #1-#6). A spec-exact session that refuses
// one says what it was, so the user learns that the peer runs libotr-ng
// (pidgin-otrng) and that the `libotr-ng` compatibility profile exists,
// instead of seeing a "damaged message". Recognition reads only the
// message's shape (lengths and the key-type bytes); it never decrypts and
// never accepts anything.
#ifndef OTR_PROTOCOL_V4_LIBOTR_NG_RECOGNIZE_H_
#define OTR_PROTOCOL_V4_LIBOTR_NG_RECOGNIZE_H_

#include <optional>
#include <string_view>

#include "base/bytes.h"

namespace otr::v4::libotr_ng {

// `message` is the decoded (base64-removed) bytes of a v4 OTR message that
// v4::DecodeMessage refused. When its shape is libotr-ng's, a sentence
// naming the deviation; nullopt otherwise (a damaged or unknown message).
std::optional<std::string_view> RecognizeVariant(ByteView message);

}  // namespace otr::v4::libotr_ng

#endif  // OTR_PROTOCOL_V4_LIBOTR_NG_RECOGNIZE_H_
