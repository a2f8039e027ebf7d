// Round-trip properties of every text-layer codec (rapidcheck):
// decode(encode(m)) == m for generated values, encode(decode(s)) == s for
// canonical strings, and mutated encodings never crash and never decode to a
// value that re-encodes to something decoding differently.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "protocol/wire/armor.h"
#include "protocol/wire/base64.h"
#include "protocol/wire/base64_avx2.h"
#include "protocol/wire/classify.h"
#include "protocol/wire/error_message.h"
#include "protocol/wire/fragment.h"
#include "protocol/wire/query.h"
#include "protocol/wire/reassembler.h"
#include "protocol/wire/reassembler_v4.h"
#include "protocol/wire/whitespace_tag.h"

namespace otr::wire {
namespace {

// Text over an alphabet rich in the characters the formats care about, so
// generated strings hit markers, separators and tags often.
rc::Gen<std::string> InterestingText() {
  return rc::gen::container<std::string>(
      rc::gen::oneOf(rc::gen::element<char>('?', 'O', 'T', 'R', ':', ',', '|', 'v', '2', '3', '4',
                                            ' ', '\t', '.', 'E', 'r', 'o', 'A', '='),
                     rc::gen::arbitrary<char>()));
}

rc::Gen<VersionSet> Versions() {
  return rc::gen::map(rc::gen::inRange<uint32_t>(0, 256), VersionSet::FromBits);
}

rc::Gen<InstanceTag> Tag() {
  return rc::gen::oneOf(rc::gen::just<InstanceTag>(0),
                        rc::gen::inRange<InstanceTag>(kMinInstanceTag, 0xffffffff));
}

std::string Mutate(std::string text, size_t position, char value, int kind) {
  if (text.empty()) return std::string(1, value);
  position %= text.size();
  switch (kind % 3) {
    case 0:
      text[position] = value;
      break;
    case 1:
      text.insert(text.begin() + static_cast<long>(position), value);
      break;
    default:
      text.erase(position, 1);
      break;
  }
  return text;
}

RC_GTEST_PROP(ArmorProperty, RoundTrip, (const std::vector<uint8_t>& data)) {
  const std::string text = EncodeArmor(data);
  auto decoded = DecodeArmor(text);
  RC_ASSERT(decoded.ok());
  RC_ASSERT(*decoded == data);
  RC_ASSERT(EncodeArmor(*decoded) == text);
}

// Both decoder paths (AVX2 where the CPU has it) on any bytes: the encoding
// decodes back, and any text decodes the same way on both paths.
RC_GTEST_PROP(Base64Property, RoundTripOnBothPaths, (const std::vector<uint8_t>& data)) {
  const std::string text = EncodeBase64(data);
  auto portable = internal::DecodeBase64With(text, /*avx2=*/false);
  RC_ASSERT(portable.ok());
  RC_ASSERT(*portable == data);
  if (internal::HaveAvx2()) {
    auto fast = internal::DecodeBase64With(text, /*avx2=*/true);
    RC_ASSERT(fast.ok());
    RC_ASSERT(*fast == data);
  }
}

RC_GTEST_PROP(Base64Property, PathsAgreeOnAnyText, (const std::string& text)) {
  if (!internal::HaveAvx2()) return;  // one path only: nothing to compare
  auto portable = internal::DecodeBase64With(text, /*avx2=*/false);
  auto fast = internal::DecodeBase64With(text, /*avx2=*/true);
  RC_ASSERT(portable.ok() == fast.ok());
  if (portable.ok()) {
    RC_ASSERT(*portable == *fast);
  } else {
    RC_ASSERT(portable.code() == fast.code());
  }
}

RC_GTEST_PROP(ArmorProperty, MutationsAreSafe,
              (const std::vector<uint8_t>& data, size_t position, char value, int kind)) {
  const std::string text = Mutate(EncodeArmor(data), position, value, kind);
  auto decoded = DecodeArmor(text);
  if (!decoded.ok()) return;
  auto again = DecodeArmor(EncodeArmor(*decoded));
  RC_ASSERT(again.ok());
  RC_ASSERT(*again == *decoded);
  if (text.find('.') == text.size() - 1) RC_ASSERT(EncodeArmor(*decoded) == text);
}

RC_GTEST_PROP(QueryProperty, RoundTrip, ()) {
  QueryMessage query{*Versions(), *InterestingText()};
  auto decoded = DecodeQuery(EncodeQuery(query));
  RC_ASSERT(decoded.ok());
  RC_ASSERT(*decoded == query);
  RC_ASSERT(EncodeQuery(*decoded) == EncodeQuery(query));
}

RC_GTEST_PROP(QueryProperty, MutationsAreSafe, (size_t position, char value, int kind)) {
  QueryMessage query{*Versions(), *InterestingText()};
  auto decoded = DecodeQuery(Mutate(EncodeQuery(query), position, value, kind));
  if (!decoded.ok()) return;
  auto again = DecodeQuery(EncodeQuery(*decoded));
  RC_ASSERT(again.ok());
  RC_ASSERT(*again == *decoded);
}

RC_GTEST_PROP(WhitespaceTagProperty, RoundTrip, ()) {
  TaggedPlaintext message{*Versions(), *InterestingText()};
  auto encoded = EncodeTaggedPlaintext(message);
  RC_PRE(encoded.ok());
  auto decoded = DecodeTaggedPlaintext(*encoded);
  RC_ASSERT(decoded.has_value());
  RC_ASSERT(*decoded == message);
  RC_ASSERT(*EncodeTaggedPlaintext(*decoded) == *encoded);
}

RC_GTEST_PROP(WhitespaceTagProperty, TagAnywhere, ()) {
  const std::string before = *InterestingText();
  const std::string after = *InterestingText();
  const VersionSet versions = *Versions();
  RC_PRE(before.find(kWhitespaceTagBase) == std::string::npos);
  const std::string text = before + WhitespaceTag(versions) + after;
  RC_PRE(text.find(kWhitespaceTagBase) == before.size());
  // Text after the tag that starts with 8 spaces/tabs is read as a version
  // tag (as libotr does); keep it out of this property.
  RC_PRE(!(after.size() >= 8 && std::all_of(after.begin(), after.begin() + 8,
                                            [](char c) { return c == ' ' || c == '\t'; })));
  auto decoded = DecodeTaggedPlaintext(text);
  RC_ASSERT(decoded.has_value());
  RC_ASSERT(decoded->versions == versions);
  RC_ASSERT(decoded->text == before + after);
}

RC_GTEST_PROP(WhitespaceTagProperty, MutationsAreSafe, (size_t position, char value, int kind)) {
  TaggedPlaintext message{*Versions(), *InterestingText()};
  auto encoded = EncodeTaggedPlaintext(message);
  RC_PRE(encoded.ok());
  auto decoded = DecodeTaggedPlaintext(Mutate(*encoded, position, value, kind));
  if (!decoded) return;
  auto reencoded = EncodeTaggedPlaintext(*decoded);
  if (!reencoded.ok()) return;
  RC_ASSERT(DecodeTaggedPlaintext(*reencoded) == decoded);
}

RC_GTEST_PROP(ErrorMessageProperty, RoundTrip, ()) {
  ErrorMessage message{*InterestingText()};
  const std::string text = EncodeErrorMessage(message);
  auto decoded = DecodeErrorMessage(text);
  RC_ASSERT(decoded.ok());
  RC_ASSERT(*decoded == message);
  RC_ASSERT(EncodeErrorMessage(*decoded) == text);
}

rc::Gen<Fragment> ValidFragment() {
  return rc::gen::exec([] {
    Fragment f;
    f.version = *rc::gen::element(2, 3, 4);
    if (f.version >= 3) {
      f.sender = *Tag();
      f.receiver = *Tag();
    }
    if (f.version == 4) f.identifier = *rc::gen::arbitrary<uint32_t>();
    f.n = *rc::gen::inRange<uint16_t>(1, 65535);
    f.k = *rc::gen::inRange<uint16_t>(1, static_cast<uint16_t>(f.n + 1));
    // Any non-empty piece, ',' included (libotr sends those; issue 14).
    f.piece = *rc::gen::nonEmpty(rc::gen::container<std::string>(
        rc::gen::oneOf(rc::gen::arbitrary<char>(), rc::gen::just(','))));
    return f;
  });
}

RC_GTEST_PROP(FragmentProperty, RoundTrip, ()) {
  const Fragment fragment = *ValidFragment();
  auto encoded = EncodeFragment(fragment);
  RC_ASSERT(encoded.ok());
  auto decoded = DecodeFragment(*encoded);
  RC_ASSERT(decoded.ok());
  RC_ASSERT(*decoded == fragment);
  RC_ASSERT(*EncodeFragment(*decoded) == *encoded);
}

RC_GTEST_PROP(FragmentProperty, MutationsAreSafe, (size_t position, char value, int kind)) {
  auto encoded = EncodeFragment(*ValidFragment());
  RC_ASSERT(encoded.ok());
  auto decoded = DecodeFragment(Mutate(*encoded, position, value, kind));
  if (!decoded.ok()) return;
  auto reencoded = EncodeFragment(*decoded);
  RC_ASSERT(reencoded.ok());
  RC_ASSERT(*DecodeFragment(*reencoded) == *decoded);
}

rc::Gen<InboundMessage> Inbound() {
  return rc::gen::oneOf(
      rc::gen::map(InterestingText(), [](std::string t) { return InboundMessage(PlainText{t}); }),
      rc::gen::exec([] {
        return InboundMessage(TaggedPlaintext{*Versions(), *InterestingText()});
      }),
      rc::gen::exec([] {
        return InboundMessage(QueryMessage{*Versions(), *InterestingText()});
      }),
      rc::gen::map(InterestingText(),
                   [](std::string t) { return InboundMessage(ErrorMessage{t}); }),
      rc::gen::exec([] {
        EncodedMessage m;
        m.protocol_version = *rc::gen::element<uint16_t>(2, 3);
        m.message_type = *rc::gen::arbitrary<uint8_t>();
        m.message = {0, static_cast<uint8_t>(m.protocol_version), m.message_type};
        auto rest = *rc::gen::arbitrary<std::vector<uint8_t>>();
        m.message.insert(m.message.end(), rest.begin(), rest.end());
        return InboundMessage(m);
      }),
      rc::gen::map(ValidFragment(), [](Fragment f) { return InboundMessage(f); }));
}

RC_GTEST_PROP(ClassifyProperty, RoundTrip, ()) {
  const InboundMessage message = *Inbound();
  auto encoded = EncodeInbound(message);
  RC_PRE(encoded.ok());
  RC_ASSERT(Classify(*encoded) == message);
}

RC_GTEST_PROP(ClassifyProperty, MutationsAreSafe, (size_t position, char value, int kind)) {
  auto encoded = EncodeInbound(*Inbound());
  RC_PRE(encoded.ok());
  const InboundMessage mutated = Classify(Mutate(*encoded, position, value, kind));
  auto reencoded = EncodeInbound(mutated);
  if (!reencoded.ok()) return;
  RC_ASSERT(Classify(*reencoded) == mutated);
}

// A base64 armoured message of `size` payload characters.
std::string ArmoredMessage(size_t size) {
  return "?OTR:" +
         *rc::gen::container<std::string>(size, rc::gen::element<char>('A', 'b', '9', '+', '/')) +
         ".";
}

struct Stream {
  std::vector<std::string> fragments;  // in sending order
  std::vector<int> sender;             // index into the messages
};

// Splits one message per sender at a random size and interleaves the
// fragments, keeping each sender's in order.
Stream Interleave(const std::vector<std::string>& messages, const std::vector<int>& versions) {
  std::vector<std::vector<std::string>> queues;
  for (size_t i = 0; i < messages.size(); ++i) {
    const size_t overhead = versions[i] == 2 ? kFragmentOverheadV2 : kFragmentOverheadV3;
    const size_t max_size = *rc::gen::inRange<size_t>(overhead + 1, overhead + 120);
    const InstanceTag sender = versions[i] == 2 ? 0 : 0x100 + static_cast<InstanceTag>(i);
    auto fragments =
        FragmentMessage(messages[i], max_size, versions[i], sender, versions[i] == 2 ? 0 : 0x999);
    RC_ASSERT(fragments.ok());
    for (const std::string& f : *fragments) RC_ASSERT(f.size() <= max_size);
    std::reverse(fragments->begin(), fragments->end());
    queues.push_back(std::move(fragments).value());
  }
  Stream stream;
  size_t remaining = 0;
  for (const auto& q : queues) remaining += q.size();
  while (remaining-- > 0) {
    int pick = *rc::gen::inRange<int>(0, static_cast<int>(queues.size()));
    while (queues[pick].empty()) pick = (pick + 1) % static_cast<int>(queues.size());
    stream.fragments.push_back(queues[pick].back());
    stream.sender.push_back(pick);
    queues[pick].pop_back();
  }
  return stream;
}

RC_GTEST_PROP(ReassemblerProperty, InterleavedSendersReassembleExactly, ()) {
  const int count = *rc::gen::inRange(1, 5);
  std::vector<std::string> messages;
  std::vector<int> versions;
  for (int i = 0; i < count; ++i) {
    messages.push_back(ArmoredMessage(*rc::gen::inRange<size_t>(1, 600)));
    // At most one v2 sender: v2 fragments share one slot.
    versions.push_back(i == 0 ? *rc::gen::element(2, 3) : 3);
  }
  const Stream stream = Interleave(messages, versions);
  Reassembler reassembler;
  std::vector<int> completed(messages.size(), 0);
  for (size_t i = 0; i < stream.fragments.size(); ++i) {
    auto fragment = DecodeFragment(stream.fragments[i]);
    RC_ASSERT(fragment.ok());
    auto result = reassembler.Add(*fragment);
    RC_ASSERT(result.ok());
    if (result->has_value()) {
      RC_ASSERT(**result == messages[stream.sender[i]]);
      ++completed[stream.sender[i]];
    }
  }
  for (int c : completed) RC_ASSERT(c == 1);
  RC_ASSERT(reassembler.buffered_bytes() == 0u);
}

RC_GTEST_PROP(ReassemblerProperty, DisorderNeverYieldsAWrongMessage, ()) {
  const int count = *rc::gen::inRange(1, 4);
  std::vector<std::string> messages;
  std::vector<int> versions;
  for (int i = 0; i < count; ++i) {
    messages.push_back(ArmoredMessage(*rc::gen::inRange<size_t>(1, 300)));
    versions.push_back(i == 0 ? *rc::gen::element(2, 3) : 3);
  }
  Stream stream = Interleave(messages, versions);
  // Swap, duplicate and drop fragments at random.
  const int edits = *rc::gen::inRange(1, 6);
  for (int e = 0; e < edits && !stream.fragments.empty(); ++e) {
    const size_t a = *rc::gen::inRange<size_t>(0, stream.fragments.size());
    const size_t b = *rc::gen::inRange<size_t>(0, stream.fragments.size());
    switch (*rc::gen::inRange(0, 3)) {
      case 0:
        std::swap(stream.fragments[a], stream.fragments[b]);
        std::swap(stream.sender[a], stream.sender[b]);
        break;
      case 1:
        stream.fragments.insert(stream.fragments.begin() + static_cast<long>(b),
                                stream.fragments[a]);
        stream.sender.insert(stream.sender.begin() + static_cast<long>(b), stream.sender[a]);
        break;
      default:
        stream.fragments.erase(stream.fragments.begin() + static_cast<long>(a));
        stream.sender.erase(stream.sender.begin() + static_cast<long>(a));
        break;
    }
  }
  Reassembler reassembler({/*max_message_size=*/4096, /*max_senders=*/2});
  for (size_t i = 0; i < stream.fragments.size(); ++i) {
    auto result = reassembler.Add(*DecodeFragment(stream.fragments[i]));
    if (result.ok() && result->has_value()) {
      RC_ASSERT(**result == messages[stream.sender[i]]);
    }
    RC_ASSERT(reassembler.tracked_senders() <= 2u);
    RC_ASSERT(reassembler.buffered_bytes() <= 2u * 4096u);
  }
}

// --- v4 reassembly (v4 spec "Receiving Fragments"): any order, interleaved --

// A v4 message split at a random size.
struct V4Message {
  std::string text;
  uint32_t identifier;
  InstanceTag sender;
  std::vector<std::string> fragments;
};

V4Message SplitV4(size_t max_payload, uint32_t identifier, InstanceTag sender) {
  V4Message m{ArmoredMessage(*rc::gen::inRange<size_t>(1, max_payload)), identifier, sender, {}};
  const size_t max_size =
      *rc::gen::inRange<size_t>(kFragmentOverheadV4 + 1, kFragmentOverheadV4 + 90);
  auto fragments = FragmentMessageV4(m.text, max_size, identifier, sender, 0x999);
  RC_ASSERT(fragments.ok());
  for (const std::string& f : *fragments) RC_ASSERT(f.size() <= max_size);
  m.fragments = std::move(fragments).value();
  return m;
}

// A random permutation of 0..n-1.
std::vector<size_t> Shuffled(size_t n) {
  const auto keys = *rc::gen::container<std::vector<uint32_t>>(n, rc::gen::arbitrary<uint32_t>());
  std::vector<size_t> order(n);
  for (size_t i = 0; i < n; ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return keys[a] < keys[b]; });
  return order;
}

RC_GTEST_PROP(ReassemblerV4Property, AnyOrderReassemblesToTheOriginal, ()) {
  const V4Message m = SplitV4(600, *rc::gen::arbitrary<uint32_t>(),
                              *rc::gen::inRange<InstanceTag>(kMinInstanceTag, 0xffffffff));
  ReassemblerV4 reassembler;
  const std::vector<size_t> order = Shuffled(m.fragments.size());
  uint64_t now = *rc::gen::inRange<uint64_t>(0, 1000000);
  for (size_t i = 0; i < order.size(); ++i) {
    auto fragment = DecodeFragment(m.fragments[order[i]]);
    RC_ASSERT(fragment.ok());
    auto result = reassembler.Add(now++, *fragment);
    RC_ASSERT(result.ok());
    RC_ASSERT(result->has_value() == (i + 1 == order.size()));
    if (result->has_value()) RC_ASSERT(**result == m.text);
  }
  RC_ASSERT(reassembler.messages_in_progress() == 0u);
  RC_ASSERT(reassembler.buffered_bytes() == 0u);
}

RC_GTEST_PROP(ReassemblerV4Property, InterleavedMessagesReassembleExactly, ()) {
  // Two or three messages: distinct identifiers, or one identifier from two
  // instances; all their fragments in one random order.
  const int count = *rc::gen::inRange(2, 4);
  const bool shared_identifier = *rc::gen::arbitrary<bool>();
  const uint32_t base = *rc::gen::arbitrary<uint32_t>();
  std::vector<V4Message> messages;
  for (int i = 0; i < count; ++i) {
    const uint32_t id = shared_identifier ? base : base + static_cast<uint32_t>(i);
    const InstanceTag sender = shared_identifier ? 0x100 + static_cast<InstanceTag>(i) : 0x100;
    messages.push_back(SplitV4(400, id, sender));
  }
  std::vector<std::pair<size_t, size_t>> all;  // (message, fragment)
  for (size_t m = 0; m < messages.size(); ++m) {
    for (size_t f = 0; f < messages[m].fragments.size(); ++f) all.emplace_back(m, f);
  }
  const std::vector<size_t> order = Shuffled(all.size());
  ReassemblerV4 reassembler;
  std::vector<size_t> seen(messages.size(), 0);
  std::vector<int> completed(messages.size(), 0);
  for (size_t i : order) {
    const auto [m, f] = all[i];
    auto result = reassembler.Add(0, *DecodeFragment(messages[m].fragments[f]));
    RC_ASSERT(result.ok());
    ++seen[m];
    RC_ASSERT(result->has_value() == (seen[m] == messages[m].fragments.size()));
    if (result->has_value()) {
      RC_ASSERT(**result == messages[m].text);
      ++completed[m];
    }
  }
  for (int c : completed) RC_ASSERT(c == 1);
  RC_ASSERT(reassembler.messages_in_progress() == 0u);
  RC_ASSERT(reassembler.buffered_bytes() == 0u);
}

RC_GTEST_PROP(ReassemblerV4Property, DisorderNeverYieldsAWrongMessage, ()) {
  // Duplicated, dropped and expired fragments under tight limits: whatever
  // completes is one of the messages sent, and the bounds always hold.
  const ReassemblerV4::Limits limits{.max_fragments = 64,
                                     .max_message_size = 2048,
                                     .max_messages = 2,
                                     .max_buffered_bytes = 1500,
                                     .max_age_seconds = 20};
  std::vector<V4Message> messages;
  for (int i = 0; i < 3; ++i) messages.push_back(SplitV4(300, static_cast<uint32_t>(i), 0x100));
  std::vector<std::pair<size_t, size_t>> all;
  for (size_t m = 0; m < messages.size(); ++m) {
    for (size_t f = 0; f < messages[m].fragments.size(); ++f) {
      const int copies = *rc::gen::inRange(0, 3);  // dropped, once or twice
      for (int c = 0; c < copies; ++c) all.emplace_back(m, f);
    }
  }
  ReassemblerV4 reassembler(limits);
  uint64_t now = 0;
  for (size_t i : Shuffled(all.size())) {
    now += *rc::gen::inRange<uint64_t>(0, 4);
    const auto [m, f] = all[i];
    auto result = reassembler.Add(now, *DecodeFragment(messages[m].fragments[f]));
    if (result.ok() && result->has_value()) RC_ASSERT(**result == messages[m].text);
    RC_ASSERT(reassembler.messages_in_progress() <= limits.max_messages);
    RC_ASSERT(reassembler.buffered_bytes() <= limits.max_buffered_bytes);
  }
}

}  // namespace
}  // namespace otr::wire
