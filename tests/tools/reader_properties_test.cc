// Round-trip properties of the otr program's readers that
// fuzz/tools_readers_fuzzer.cc fuzzes (fuzz/README.md, "Decoders"):
// FormatPrivmsg / ParseIrcLine, what is typed at `otr chat` / ParseChatInput,
// EncodeArmoredDataMessage / DecodeArmoredDataMessage, Hex / ParseHex,
// encoded messages / `otr parse` (ParseOtrInput, ParsePrekeyServerMessage).
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <cctype>
#include <string>

#include "protocol/prekey/messages/messages.h"
#include "protocol/store/fingerprint.h"
#include "protocol/v3/messages.h"
#include "protocol/wire/base64.h"
#include "tests/prekey/examples.h"
#include "tools/chat.h"
#include "tools/cmd_parse.h"
#include "tools/forgery.h"
#include "tools/irc.h"
#include "tools/parse_prekey.h"

namespace otr::tools {
namespace {

// Text of bytes from `alphabet`-less generators: any char but those in `no`.
rc::Gen<std::string> TextWithout(std::string no) {
  return rc::gen::container<std::string>(rc::gen::suchThat(
      rc::gen::arbitrary<char>(), [no](char c) { return no.find(c) == std::string::npos; }));
}

rc::Gen<std::string> NonEmptyTextWithout(std::string no) {
  return rc::gen::suchThat(TextWithout(std::move(no)),
                           [](const std::string& s) { return !s.empty(); });
}

// A PRIVMSG target is one non-empty word not starting with ':'; the text
// anything but CR, LF and NUL (RFC 2812 2.3.1).
RC_GTEST_PROP(IrcProperty, PrivmsgFormatParseRoundTrip, ()) {
  const std::string target = *rc::gen::suchThat(NonEmptyTextWithout(std::string(" \r\n\0", 4)),
                                                [](const std::string& s) { return s[0] != ':'; });
  const std::string text = *TextWithout(std::string("\r\n\0", 3));
  const std::string line = FormatPrivmsg(target, text);
  RC_ASSERT(line.size() >= 2);
  RC_ASSERT(line.substr(line.size() - 2) == "\r\n");
  const auto m = ParseIrcLine(std::string_view(line).substr(0, line.size() - 2));
  RC_ASSERT(m.has_value());
  RC_ASSERT(m->prefix.empty());
  RC_ASSERT(m->command == "PRIVMSG");
  RC_ASSERT(m->params == (std::vector<std::string>{target, text}));
  // With a prefix, as the server relays it.
  const std::string relayed = ":nick!user@host " + line.substr(0, line.size() - 2);
  const auto r = ParseIrcLine(relayed);
  RC_ASSERT(r.has_value());
  RC_ASSERT(r->prefix == "nick!user@host");
  RC_ASSERT(r->params == (std::vector<std::string>{target, text}));
}

// What the user types is what is sent: any line not starting with '/' (and
// not blank) as it is, "/" + a line starting with '/' as that line; and the
// commands with arguments give their arguments back.
RC_GTEST_PROP(ChatInputProperty, TypedLinesRoundTrip, ()) {
  const std::string text = *rc::gen::suchThat(NonEmptyTextWithout("\r"), [](const std::string& s) {
    return s[0] != '/' && s.find_first_not_of(" \t") != std::string::npos;
  });
  ChatInput in = ParseChatInput(text);
  RC_ASSERT(in.kind == ChatInput::Kind::kMessage);
  RC_ASSERT(in.text == text);
  in = ParseChatInput("/" + ("/" + text));  // "//text" sends "/text"
  RC_ASSERT(in.kind == ChatInput::Kind::kMessage);
  RC_ASSERT(in.text == "/" + text);

  const std::string secret = *NonEmptyTextWithout(" \t\r");
  in = ParseChatInput("/smp " + secret);
  RC_ASSERT(in.kind == ChatInput::Kind::kSmp);
  RC_ASSERT(in.secret == secret);
  in = ParseChatInput("/smp-q what colour? " + secret);
  RC_ASSERT(in.kind == ChatInput::Kind::kSmpQuestion);
  RC_ASSERT(in.question == "what colour?");
  RC_ASSERT(in.secret == secret);

  const uint32_t use = *rc::gen::arbitrary<uint32_t>();
  in = ParseChatInput("/otr key " + std::to_string(use) + " " + secret);
  RC_ASSERT(in.kind == ChatInput::Kind::kExtraKey);
  RC_ASSERT(in.use == use);
  RC_ASSERT(in.text == secret);
}

rc::Gen<Bytes> Blob(size_t max) {
  return rc::gen::map(rc::gen::container<Bytes>(rc::gen::arbitrary<uint8_t>()), [max](Bytes b) {
    if (b.size() > max) b.resize(max);
    return b;
  });
}

// A v2 or v3 Data Message that ValidateMessage accepts (minimal MPI, keyids
// and counter not zero, instance tags valid for v3).
rc::Gen<v3::DataMessage> AnyDataMessage() {
  return rc::gen::exec([] {
    v3::DataMessage m;
    if (*rc::gen::arbitrary<bool>()) {
      m.header = {v3::Version::kV3,
                  *rc::gen::inRange<wire::InstanceTag>(wire::kMinInstanceTag, 0xffffffff),
                  *rc::gen::inRange<wire::InstanceTag>(wire::kMinInstanceTag, 0xffffffff)};
    } else {
      m.header = {v3::Version::kV2, 0, 0};
    }
    m.flags = *rc::gen::arbitrary<uint8_t>();
    m.sender_keyid = *rc::gen::inRange<uint32_t>(1, 0xffffffff);
    m.recipient_keyid = *rc::gen::inRange<uint32_t>(1, 0xffffffff);
    m.next_dh = *Blob(192);
    while (!m.next_dh.empty() && m.next_dh.front() == 0) m.next_dh.erase(m.next_dh.begin());
    if (m.next_dh.empty()) m.next_dh.push_back(2);
    m.ctr = *rc::gen::arbitrary<v3::Ctr>();
    m.ctr[0] |= 1;
    m.encrypted_message = *Blob(512);
    m.mac = *rc::gen::arbitrary<v3::Mac>();
    m.old_mac_keys = *rc::gen::container<std::vector<v3::MacKey>>(rc::gen::arbitrary<v3::MacKey>());
    return m;
  });
}

RC_GTEST_PROP(ArmoredDataMessageProperty, EncodeDecodeRoundTrip, ()) {
  const v3::DataMessage m = *AnyDataMessage();
  RC_PRE(v3::ValidateMessage(v3::Message(m)).ok());
  const std::string text = EncodeArmoredDataMessage(m);
  auto decoded = DecodeArmoredDataMessage(text);
  RC_ASSERT(decoded.ok());
  RC_ASSERT(*decoded == m);
  // `otr parse` reads it as a valid message (exit status 0).
  RC_ASSERT(ParseOtrInput(text) == 0);
}

RC_GTEST_PROP(HexProperty, PrintParseRoundTrip, (const Bytes& bytes)) {
  auto parsed = ParseHex(Hex(bytes));
  RC_ASSERT(parsed.ok());
  RC_ASSERT(*parsed == bytes);
}

// Every encoded prekey-server message (an example of each type) prints as
// valid under `otr parse`; cut short it is malformed; text is not one.
RC_GTEST_PROP(ParsePrekeyProperty, EncodedMessagesParseValid, ()) {
  static const std::vector<prekey::Message> examples = prekey::testing::AllExampleMessages();
  const prekey::Message m = *rc::gen::elementOf(examples);
  const Bytes bytes = prekey::EncodeMessage(m);
  const std::string text = wire::EncodeBase64(bytes) + ".";
  RC_ASSERT(ParsePrekeyServerMessage(text) == 0);
  RC_ASSERT(ParseOtrInput(text) == 0);
  const size_t cut = *rc::gen::inRange<size_t>(3, bytes.size());
  RC_ASSERT(ParsePrekeyServerMessage(wire::EncodeBase64(ByteView(bytes).first(cut)) + ".") != 0);
  RC_ASSERT(ParsePrekeyServerMessage("hello") == -1);
}

// libotr's human form of a v3 fingerprint (read by standalone_decoders_fuzzer
// too): printed, parsed back, in upper or lower case.
RC_GTEST_PROP(FingerprintHumanProperty, PrintParseRoundTrip, (bool lower)) {
  const auto fp = *rc::gen::arbitrary<store::Fingerprint>();
  std::string human = store::FingerprintToHuman(fp);
  if (lower) {
    for (char& c : human) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  auto parsed = store::FingerprintFromHuman(human);
  RC_ASSERT(parsed.ok());
  RC_ASSERT(*parsed == fp);
}

}  // namespace
}  // namespace otr::tools
