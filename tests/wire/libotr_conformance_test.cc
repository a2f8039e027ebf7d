// Our text layer against libotr 4.1.1 through its public C API.
#include <gtest/gtest.h>

#include <cstring>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "protocol/wire/armor.h"
#include "protocol/wire/classify.h"
#include "protocol/wire/fragment.h"
#include "protocol/wire/query.h"
#include "protocol/wire/reassembler.h"
#include "protocol/wire/whitespace_tag.h"
#include "tests/wire/libotr_peer.h"
#include "tests/wire/spec_example.h"

namespace otr::wire {
namespace {

using otr::testing::LibotrArmor;
using otr::testing::LibotrContext;
using otr::testing::LibotrDearmor;

class LibotrConformance : public ::testing::Test {
 protected:
  void SetUp() override { otr::testing::InitLibotr(); }
};

Bytes RandomBytes(std::mt19937& rng, size_t size) {
  Bytes out(size);
  for (auto& b : out) b = static_cast<uint8_t>(rng());
  return out;
}

// A random armoured message of `size` bytes of payload.
std::string RandomArmored(std::mt19937& rng, size_t size) {
  return EncodeArmor(RandomBytes(rng, size));
}

TEST_F(LibotrConformance, ArmorAgrees) {
  std::mt19937 rng(1);
  for (size_t size = 0; size < 300; size += 1 + size / 8) {
    const Bytes message = RandomBytes(rng, size);
    const std::string ours = EncodeArmor(message);
    EXPECT_EQ(ours, LibotrArmor(message));
    auto theirs_decoded = LibotrDearmor(ours);
    ASSERT_TRUE(theirs_decoded.has_value());
    EXPECT_EQ(*theirs_decoded, message);
    auto ours_decoded = DecodeArmor(LibotrArmor(message));
    ASSERT_TRUE(ours_decoded.ok());
    EXPECT_EQ(*ours_decoded, message);
  }
  // The spec's data message, both ways.
  auto spec = DecodeArmor(testing::kSpecDataMessage);
  ASSERT_TRUE(spec.ok());
  EXPECT_EQ(*LibotrDearmor(testing::kSpecDataMessage), *spec);
}

// The best version libotr picks, computed from our decoded set.
unsigned int Best(VersionSet offered, OtrlPolicy policy) {
  if (offered.Has(3) && (policy & OTRL_POLICY_ALLOW_V3)) return 3;
  if (offered.Has(2) && (policy & OTRL_POLICY_ALLOW_V2)) return 2;
  if (offered.Has(1) && (policy & OTRL_POLICY_ALLOW_V1)) return 1;
  return 0;
}

const OtrlPolicy kPolicies[] = {
    OTRL_POLICY_ALLOW_V1,
    OTRL_POLICY_ALLOW_V2,
    OTRL_POLICY_ALLOW_V3,
    OTRL_POLICY_ALLOW_V2 | OTRL_POLICY_ALLOW_V3,
    OTRL_POLICY_ALLOW_V1 | OTRL_POLICY_ALLOW_V2,
    OTRL_POLICY_ALLOW_V1 | OTRL_POLICY_ALLOW_V2 | OTRL_POLICY_ALLOW_V3,
};

TEST_F(LibotrConformance, LibotrReadsOurQueries) {
  for (uint32_t bits = 0; bits < 16; ++bits) {
    const VersionSet versions = VersionSet::FromBits(bits);
    for (const char* text : {"", "\nAlice wants to talk privately.", "very private"}) {
      const std::string query = EncodeQuery({versions, text});
      EXPECT_EQ(otrl_proto_message_type(query.c_str()), OTRL_MSGTYPE_QUERY) << query;
      for (OtrlPolicy policy : kPolicies) {
        EXPECT_EQ(otrl_proto_query_bestversion(query.c_str(), policy), Best(versions, policy))
            << query << " policy " << policy;
      }
    }
  }
}

TEST_F(LibotrConformance, WeReadLibotrQueries) {
  for (OtrlPolicy policy : kPolicies) {
    for (const char* name : {"alice@example.org", "bob"}) {
      const std::string query = otr::testing::LibotrDefaultQuery(name, policy);
      auto decoded = DecodeQuery(query);
      ASSERT_TRUE(decoded.ok()) << query;
      VersionSet expected;
      if (policy & OTRL_POLICY_ALLOW_V1) expected.Add(1);
      if (policy & OTRL_POLICY_ALLOW_V2) expected.Add(2);
      if (policy & OTRL_POLICY_ALLOW_V3) expected.Add(3);
      EXPECT_EQ(decoded->versions, expected) << query;
      EXPECT_TRUE(decoded->text.starts_with("\n")) << query;
      EXPECT_NE(decoded->text.find("Off-the-Record"), std::string::npos);
      // And we re-encode it byte for byte.
      EXPECT_EQ(EncodeQuery(*decoded), query);
    }
  }
}

TEST_F(LibotrConformance, WhitespaceTagsAgree) {
  const std::string libotr_base = OTRL_MESSAGE_TAG_BASE;
  EXPECT_EQ(libotr_base, kWhitespaceTagBase);
  EXPECT_EQ(std::string(OTRL_MESSAGE_TAG_V1), kWhitespaceTagV1);
  EXPECT_EQ(std::string(OTRL_MESSAGE_TAG_V2), kWhitespaceTagV2);
  EXPECT_EQ(std::string(OTRL_MESSAGE_TAG_V3), kWhitespaceTagV3);
  for (uint32_t bits = 0; bits < 16; ++bits) {
    const VersionSet versions = VersionSet::FromBits(bits);
    for (const auto& [before, after] : std::vector<std::pair<std::string, std::string>>{
             {"hello", ""}, {"", "world"}, {"a ", " b"}}) {
      const std::string text = before + WhitespaceTag(versions) + after;
      EXPECT_EQ(otrl_proto_message_type(text.c_str()), OTRL_MSGTYPE_TAGGEDPLAINTEXT);
      auto ours = DecodeTaggedPlaintext(text);
      ASSERT_TRUE(ours.has_value());
      EXPECT_EQ(ours->versions, versions);
      for (OtrlPolicy policy : kPolicies) {
        const char* start = nullptr;
        const char* end = nullptr;
        EXPECT_EQ(otrl_proto_whitespace_bestversion(text.c_str(), &start, &end, policy),
                  Best(versions, policy));
        ASSERT_NE(start, nullptr);
        // libotr snips [start, end); so do we.
        const std::string snipped =
            text.substr(0, static_cast<size_t>(start - text.c_str())) + std::string(end);
        EXPECT_EQ(ours->text, snipped);
      }
    }
  }
  // An unknown 8-byte group is skipped by both.
  const std::string odd = "x" + libotr_base + "\t\t\t\t\t\t\t\t" + OTRL_MESSAGE_TAG_V3 + "y";
  const char* start = nullptr;
  const char* end = nullptr;
  EXPECT_EQ(otrl_proto_whitespace_bestversion(odd.c_str(), &start, &end, OTRL_POLICY_ALLOW_V3), 3u);
  EXPECT_EQ(std::string(end), "y");
  EXPECT_EQ(DecodeTaggedPlaintext(odd)->text, "xy");
}

// What libotr's otrl_proto_message_type says about what we classified.
OtrlMessageType Expected(const InboundMessage& m) {
  if (std::holds_alternative<PlainText>(m)) return OTRL_MSGTYPE_NOTOTR;
  if (std::holds_alternative<TaggedPlaintext>(m)) return OTRL_MSGTYPE_TAGGEDPLAINTEXT;
  if (std::holds_alternative<QueryMessage>(m)) return OTRL_MSGTYPE_QUERY;
  if (std::holds_alternative<ErrorMessage>(m)) return OTRL_MSGTYPE_ERROR;
  // libotr reassembles before it asks for a type; a fragment itself is
  // "?OTR" followed by ',' or '|', which it calls unknown.
  if (std::holds_alternative<Fragment>(m)) return OTRL_MSGTYPE_UNKNOWN;
  if (const auto* e = std::get_if<EncodedMessage>(&m)) {
    switch (e->message_type) {
      case 0x02:
        return OTRL_MSGTYPE_DH_COMMIT;
      case 0x0a:
        return OTRL_MSGTYPE_DH_KEY;
      case 0x11:
        return OTRL_MSGTYPE_REVEALSIG;
      case 0x12:
        return OTRL_MSGTYPE_SIGNATURE;
      case 0x03:
        return OTRL_MSGTYPE_DATA;
      default:
        return OTRL_MSGTYPE_UNKNOWN;
    }
  }
  if (const auto* u = std::get_if<UnsupportedMessage>(&m)) {
    if (u->protocol_version == 1 && u->message_type == 0x0a) return OTRL_MSGTYPE_V1_KEYEXCH;
    if (u->protocol_version == 1 && u->message_type == 0x03) return OTRL_MSGTYPE_DATA;
    return OTRL_MSGTYPE_UNKNOWN;
  }
  return OTRL_MSGTYPE_UNKNOWN;  // MalformedMessage: only kUnknownOtr is compared
}

TEST_F(LibotrConformance, MessageTypesAgree) {
  const std::string tag = WhitespaceTag({2, 3});
  std::vector<std::string> texts = {
      "hello",
      "",
      "what is OTR?",
      "hi" + tag,
      tag + "hi",
      "?OTR?",
      "?OTRv2?",
      "?OTRv23? please",
      "Alice says ?OTR?v23? hi",
      "?OTR Error: You sent encrypted data",
      "?OTRx",
      "?OTR",
      "?OTR Err",
      "?OTR?" + tag,
      testing::kSpecDataMessage,
      testing::kSpecFragments[0],
      "?OTR,1,2,abc,",
  };
  for (uint16_t version : {1, 2, 3}) {
    for (uint8_t type : {0x02, 0x0a, 0x11, 0x12, 0x03, 0x42}) {
      texts.push_back(EncodeArmor(Bytes{0x00, static_cast<uint8_t>(version), type, 1, 2, 3}));
    }
  }
  for (const std::string& text : texts) {
    const InboundMessage ours = Classify(text);
    if (const auto* bad = std::get_if<MalformedMessage>(&ours)) {
      ASSERT_EQ(bad->kind, MessageKind::kUnknownOtr) << text;
    }
    EXPECT_EQ(otrl_proto_message_type(text.c_str()), Expected(ours))
        << "'" << text << "' is alternative " << ours.index();
  }
}

// Where we differ from libotr on purpose: "?OTR Error:" past the start of a
// message is text (v4 spec "OTR Error Messages"); libotr 4.1.1 takes it
// anywhere, as the v3 spec says.
TEST_F(LibotrConformance, EmbeddedErrorMarkerIsTextForUs) {
  const std::string text = "oops ?OTR Error:boom";
  EXPECT_EQ(otrl_proto_message_type(text.c_str()), OTRL_MSGTYPE_ERROR);
  EXPECT_EQ(Classify(text), InboundMessage(PlainText{text}));
  // At the start, both call it an error.
  EXPECT_EQ(otrl_proto_message_type("?OTR Error:boom"), OTRL_MSGTYPE_ERROR);
  EXPECT_TRUE(std::holds_alternative<ErrorMessage>(Classify("?OTR Error:boom")));
}

TEST_F(LibotrConformance, WeReassembleLibotrFragments) {
  std::mt19937 rng(2);
  for (unsigned int version : {2u, 3u}) {
    LibotrContext libotr(version);
    for (int mms : {40, 57, 100, 333}) {
      for (size_t size : {size_t{1}, size_t{50}, size_t{250}, size_t{1000}}) {
        const std::string message = RandomArmored(rng, size);
        const std::vector<std::string> fragments = libotr.Fragment(message, mms);
        ASSERT_FALSE(fragments.empty());
        Reassembler reassembler;
        for (size_t i = 0; i < fragments.size(); ++i) {
          EXPECT_LT(fragments[i].size(), static_cast<size_t>(mms));
          auto fragment = DecodeFragment(fragments[i]);
          ASSERT_TRUE(fragment.ok()) << fragments[i] << ": " << ErrorCodeName(fragment.code());
          EXPECT_EQ(fragment->version, static_cast<int>(version));
          EXPECT_EQ(fragment->k, i + 1);
          if (version == 3) {
            EXPECT_EQ(fragment->sender, 0x12345678u);
            EXPECT_EQ(fragment->receiver, 0x9abcdef0u);
          }
          auto result = reassembler.Add(*fragment);
          ASSERT_TRUE(result.ok());
          EXPECT_EQ(result->has_value(), i + 1 == fragments.size());
          if (result->has_value()) {
            EXPECT_EQ(**result, message);
          }
        }
        // libotr's mms counts a NUL: its fragments are ours for mms - 1.
        auto ours =
            FragmentMessage(message, static_cast<size_t>(mms - 1), static_cast<int>(version),
                            version == 3 ? 0x12345678 : 0, version == 3 ? 0x9abcdef0 : 0);
        ASSERT_TRUE(ours.ok());
        EXPECT_EQ(*ours, fragments);
      }
    }
  }
}

// Issue 14: libotr fragments every message above the network's maximum
// size, Query Messages included, and copies the bytes into the piece as they
// are (otrl_proto_fragment_create). Debian's default query text holds a ','
// ("...Debian or Ubuntu,install the pidgin-otr package."), so a piece can
// hold one. The fragment still ends with ',': the piece is everything before
// that final ','.
TEST_F(LibotrConformance, WeReassembleLibotrQueryFragments) {
  const std::string query = otr::testing::LibotrDefaultQuery(
      "alice@example.org", OTRL_POLICY_ALLOW_V2 | OTRL_POLICY_ALLOW_V3);
  ASSERT_NE(query.find(','), std::string::npos) << "libotr's default query lost its ','";
  for (unsigned int version : {2u, 3u}) {
    LibotrContext libotr(version);
    for (int mms : {45, 60, 100, 150}) {
      const std::vector<std::string> fragments = libotr.Fragment(query, mms);
      ASSERT_GT(fragments.size(), 1u);
      bool piece_with_comma = false;
      Reassembler reassembler;
      std::optional<std::string> whole;
      for (size_t i = 0; i < fragments.size(); ++i) {
        auto fragment = DecodeFragment(fragments[i]);
        ASSERT_TRUE(fragment.ok()) << fragments[i] << ": " << ErrorCodeName(fragment.code());
        EXPECT_EQ(fragment->version, static_cast<int>(version));
        piece_with_comma |= fragment->piece.find(',') != std::string::npos;
        // Classify (and so `otr parse`) reads the same fragment.
        EXPECT_EQ(Classify(fragments[i]), InboundMessage(*fragment)) << fragments[i];
        auto result = reassembler.Add(*fragment);
        ASSERT_TRUE(result.ok()) << fragments[i] << ": " << ErrorCodeName(result.code());
        EXPECT_EQ(result->has_value(), i + 1 == fragments.size());
        if (result->has_value()) whole = **result;
      }
      ASSERT_TRUE(whole.has_value());
      EXPECT_EQ(*whole, query);
      EXPECT_EQ(std::get<QueryMessage>(Classify(*whole)).versions, (VersionSet{2, 3}));
      // Every byte is in some piece, so some piece holds the ','.
      EXPECT_TRUE(piece_with_comma);
    }
  }
}

TEST_F(LibotrConformance, LibotrReassemblesOurFragments) {
  std::mt19937 rng(3);
  for (int version : {2, 3}) {
    LibotrContext libotr(static_cast<unsigned int>(version));
    for (size_t max_size : {size_t{kFragmentOverheadV3 + 1}, size_t{60}, size_t{200}}) {
      const std::string message = RandomArmored(rng, 400);
      auto fragments = FragmentMessage(message, max_size, version, version == 3 ? 0x100 : 0,
                                       version == 3 ? 0x12345678 : 0);
      ASSERT_TRUE(fragments.ok());
      for (size_t i = 0; i < fragments->size(); ++i) {
        OtrlFragmentResult result;
        auto complete = libotr.Accumulate((*fragments)[i], &result);
        if (i + 1 < fragments->size()) {
          EXPECT_EQ(result, OTRL_FRAGMENT_INCOMPLETE);
        } else {
          EXPECT_EQ(result, OTRL_FRAGMENT_COMPLETE);
          ASSERT_TRUE(complete.has_value());
          EXPECT_EQ(*complete, message);
        }
      }
    }
  }
}

TEST_F(LibotrConformance, ReassemblyRulesAgree) {
  // The same sequence of fragments, with restarts and gaps, through both.
  const std::vector<std::string> sequence = {
      "?OTR,1,3,aa,", "?OTR,2,3,bb,", "?OTR,1,2,cc,", "?OTR,2,2,dd,",  // restart, complete
      "?OTR,1,3,ee,", "?OTR,3,3,ff,", "?OTR,2,3,gg,",                  // gap: forgotten
      "?OTR,1,2,hh,", "?OTR,2,3,ii,", "?OTR,1,1,jj,",                  // n changed; single
      "?OTR,1,2,kk,", "?OTR,0,2,ll,", "?OTR,3,2,mm,", "?OTR,2,2,nn,",  // illegal ones ignored
  };
  LibotrContext libotr(2);
  Reassembler ours;
  for (const std::string& text : sequence) {
    OtrlFragmentResult result;
    auto theirs = libotr.Accumulate(text, &result);
    auto fragment = DecodeFragment(text);
    std::optional<std::string> mine;
    if (fragment.ok()) {
      auto added = ours.Add(*fragment);
      if (added.ok()) mine = *added;
    }
    EXPECT_EQ(mine, theirs) << text;
  }
}

}  // namespace
}  // namespace otr::wire
