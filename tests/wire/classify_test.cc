#include "protocol/wire/classify.h"

#include <gtest/gtest.h>

#include <string>

#include "protocol/wire/armor.h"
#include "tests/wire/spec_example.h"

namespace otr::wire {
namespace {

// A copy of the alternative (Classify returns a temporary).
template <typename T>
T As(const InboundMessage& m) {
  EXPECT_TRUE(std::holds_alternative<T>(m)) << "alternative " << m.index();
  return std::holds_alternative<T>(m) ? std::get<T>(m) : T{};
}

const std::string kTag =
    std::string(kWhitespaceTagBase) + std::string(kWhitespaceTagV2) + std::string(kWhitespaceTagV3);

TEST(ClassifyTest, PlainText) {
  EXPECT_EQ(As<PlainText>(Classify("hello")).text, "hello");
  EXPECT_EQ(As<PlainText>(Classify("")).text, "");
  EXPECT_EQ(As<PlainText>(Classify("?OT R")).text, "?OT R");
}

TEST(ClassifyTest, TaggedPlaintext) {
  const auto m = As<TaggedPlaintext>(Classify("hi" + kTag));
  EXPECT_EQ(m.text, "hi");
  EXPECT_EQ(m.versions, (VersionSet{2, 3}));
}

TEST(ClassifyTest, QueryAnywhere) {
  const auto m = As<QueryMessage>(Classify("Alice: ?OTRv23? join me"));
  EXPECT_EQ(m.versions, (VersionSet{2, 3}));
  EXPECT_EQ(m.text, " join me");
  // A query wins over a whitespace tag, as in libotr.
  EXPECT_EQ(As<QueryMessage>(Classify("?OTR?" + kTag)).versions, VersionSet{1});
}

TEST(ClassifyTest, ErrorMessage) {
  EXPECT_EQ(As<ErrorMessage>(Classify("?OTR Error: bad")).detail, " bad");
}

// v4 spec "OTR Error Messages": "Any message containing "?OTR Error: " at the
// starting position is an OTR Error Message ... the string "?OTR Error:" must
// be in at the start position of the message". Elsewhere it is text.
TEST(ClassifyTest, ErrorMessageOnlyAtTheStart) {
  EXPECT_EQ(As<PlainText>(Classify("oops ?OTR Error: boom")).text, "oops ?OTR Error: boom");
  EXPECT_EQ(As<PlainText>(Classify(" ?OTR Error: x")).text, " ?OTR Error: x");
  // The next marker decides, or the whitespace tag.
  const auto q = As<QueryMessage>(Classify("x ?OTR Error: y ?OTRv3? z"));
  EXPECT_EQ(q.versions, VersionSet{3});
  EXPECT_EQ(q.text, " z");
  EXPECT_EQ(As<TaggedPlaintext>(Classify("a ?OTR Error: b" + kTag)).text, "a ?OTR Error: b");
  EXPECT_EQ(As<MalformedMessage>(Classify("a ?OTR Error: b ?OTRx")).kind, MessageKind::kUnknownOtr);
  // Such text encodes back as itself.
  EXPECT_EQ(*EncodeInbound(PlainText{"oops ?OTR Error: boom"}), "oops ?OTR Error: boom");
}

// Version 4, not spoken yet (kMaxKnownVersion is 3), comes out typed with its
// version visible, never as malformed.
TEST(ClassifyTest, VersionFourIsVisibleAndUnsupported) {
  const auto q = As<QueryMessage>(Classify("?OTRv34?"));
  EXPECT_EQ(q.versions, (VersionSet{3, 4}));
  EXPECT_EQ(q.versions.Supported(), VersionSet{3});
  EXPECT_EQ(As<QueryMessage>(Classify("?OTRv4? hi")).versions, VersionSet{4});

  const std::string tag = std::string(kWhitespaceTagBase) + std::string(kWhitespaceTagV4);
  const auto t = As<TaggedPlaintext>(Classify("hello" + tag));
  EXPECT_EQ(t.versions, VersionSet{4});
  EXPECT_EQ(t.text, "hello");

  // An Identity Message header: protocol version 0x0004, type 0x35.
  const std::string identity = EncodeArmor(Bytes{0x00, 0x04, 0x35, 0x00, 0x00, 0x01, 0x00});
  ASSERT_TRUE(identity.starts_with("?OTR:AAQ1"));
  const auto u = As<UnsupportedMessage>(Classify(identity));
  EXPECT_EQ(u.protocol_version, 4);
  EXPECT_EQ(u.message_type, 0x35);
  EXPECT_EQ(u.error.code, ErrorCode::kUnsupportedVersion);
  EXPECT_EQ(u.description, "OTR v4 Identity Message");
  EXPECT_EQ(As<UnsupportedMessage>(Classify(EncodeArmor(Bytes{0, 4, 0x03}))).description,
            "OTR v4 Data Message");
  EXPECT_EQ(As<UnsupportedMessage>(Classify(EncodeArmor(Bytes{0, 4, 0x99}))).description,
            "OTR v4 message of unknown type");

  const auto f = As<Fragment>(Classify(testing::kSpecV4Fragments[0]));
  EXPECT_EQ(f.version, 4);
  EXPECT_EQ(f.identifier, 0x3c5b5f03u);
  EXPECT_EQ(f.sender, 0x5a73a599u);
  EXPECT_EQ(f.receiver, 0x27e31597u);

  for (const std::string& text : {std::string("?OTRv34?"), "hello" + tag, identity,
                                  std::string(testing::kSpecV4Fragments[1])}) {
    auto encoded = EncodeInbound(Classify(text));
    ASSERT_TRUE(encoded.ok()) << text;
    EXPECT_EQ(*encoded, text);
  }
}

TEST(ClassifyTest, EncodedMessages) {
  const auto m = As<EncodedMessage>(Classify(testing::kSpecDataMessage));
  EXPECT_EQ(m.protocol_version, 3);
  EXPECT_EQ(m.message_type, 0x03);
  const auto commit = As<EncodedMessage>(Classify(EncodeArmor(Bytes{0, 2, 0x02, 9})));
  EXPECT_EQ(commit.protocol_version, 2);
  EXPECT_EQ(commit.message_type, 0x02);
  EXPECT_EQ(commit.message, (Bytes{0, 2, 0x02, 9}));
}

TEST(ClassifyTest, V1MessagesAreUnsupported) {
  // "?OTR:AAEK" is a v1 Key Exchange, "?OTR:AAED" a v1 Data message.
  const std::string kex = EncodeArmor(Bytes{0x00, 0x01, 0x0a, 0x00});
  ASSERT_TRUE(kex.starts_with("?OTR:AAEK"));
  const auto k = As<UnsupportedMessage>(Classify(kex));
  EXPECT_EQ(k.protocol_version, 1);
  EXPECT_EQ(k.message_type, 0x0a);
  EXPECT_EQ(k.error.code, ErrorCode::kUnsupportedVersion);
  EXPECT_EQ(k.description, "OTR v1 Key Exchange");
  const std::string data = EncodeArmor(Bytes{0x00, 0x01, 0x03, 0x00});
  ASSERT_TRUE(data.starts_with("?OTR:AAED"));
  EXPECT_EQ(As<UnsupportedMessage>(Classify(data)).description, "OTR v1 Data");
  EXPECT_EQ(As<UnsupportedMessage>(Classify(EncodeArmor(Bytes{0, 4, 0x35}))).protocol_version, 4);
}

TEST(ClassifyTest, Fragments) {
  const auto f = As<Fragment>(Classify(testing::kSpecFragments[1]));
  EXPECT_EQ(f.k, 2);
  EXPECT_EQ(As<Fragment>(Classify("x ?OTR,1,2,abc,")).version, 2);
  // "?OTR|" is looked for before anything else.
  EXPECT_EQ(As<Fragment>(Classify("?OTRv23? ?OTR|100|0,1,1,x,")).version, 3);
}

TEST(ClassifyTest, Malformed) {
  struct Case {
    std::string text;
    MessageKind kind;
    ErrorCode code;
  };
  const Case cases[] = {
      {"?OTR,1,1,,", MessageKind::kFragment, ErrorCode::kInvalidEncoding},
      {"?OTR:AA*A.", MessageKind::kEncoded, ErrorCode::kInvalidEncoding},
      {"?OTR:AAMC", MessageKind::kEncoded, ErrorCode::kTruncated},
      {"?OTR:AAM=.", MessageKind::kEncoded, ErrorCode::kTruncated},  // two bytes: no type
      {"?OTRv23", MessageKind::kQuery, ErrorCode::kInvalidEncoding},
      {"?OTR", MessageKind::kUnknownOtr, ErrorCode::kUnknownType},
      {"?OTR Err", MessageKind::kUnknownOtr, ErrorCode::kUnknownType},
      {"?OTR|1|100|0,1,1,,", MessageKind::kFragment, ErrorCode::kInvalidEncoding},
      {"see ?OTRx", MessageKind::kUnknownOtr, ErrorCode::kUnknownType},
  };
  for (const Case& c : cases) {
    const auto m = As<MalformedMessage>(Classify(c.text));
    EXPECT_EQ(m.kind, c.kind) << c.text;
    EXPECT_EQ(m.error.code, c.code) << c.text << ": " << ErrorCodeName(m.error.code);
  }
}

TEST(ClassifyTest, EncodeInboundRoundTrips) {
  const std::string inputs[] = {
      "hello",
      "hi" + kTag,
      "?OTRv23? x",
      "?OTR Error: e",
      testing::kSpecDataMessage,
      testing::kSpecFragments[0],
      EncodeArmor(Bytes{0, 1, 0x0a}),
  };
  for (const std::string& text : inputs) {
    auto encoded = EncodeInbound(Classify(text));
    ASSERT_TRUE(encoded.ok()) << text;
    EXPECT_EQ(*encoded, text);
  }
}

TEST(ClassifyTest, EncodeInboundErrorPaths) {
  EXPECT_FALSE(EncodeInbound(PlainText{"a ?OTR b"}).ok());
  EXPECT_FALSE(EncodeInbound(PlainText{"a" + kTag}).ok());
  EXPECT_FALSE(EncodeInbound(TaggedPlaintext{{2}, "?OTR"}).ok());
  EXPECT_FALSE(EncodeInbound(QueryMessage{{2}, "?OTR,1,1,x,"}).ok());
  EXPECT_FALSE(EncodeInbound(ErrorMessage{"?OTR|"}).ok());
  EXPECT_FALSE(EncodeInbound(EncodedMessage{1, 3, {0, 1, 3}}).ok());
  EXPECT_FALSE(EncodeInbound(EncodedMessage{3, 3, {0, 3, 2}}).ok());
  EXPECT_FALSE(EncodeInbound(EncodedMessage{3, 3, {0, 3}}).ok());
  EXPECT_FALSE(EncodeInbound(UnsupportedMessage{3, 3, "", {0, 3, 3}}).ok());
  EXPECT_FALSE(EncodeInbound(MalformedMessage{MessageKind::kQuery, {}}).ok());
}

}  // namespace
}  // namespace otr::wire
