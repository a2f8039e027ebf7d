// Fuzzes ReassemblerV4 (v4 spec "Receiving Fragments"). The first byte picks
// a mode:
//  - even: the rest is lines; each line's first byte advances the clock by
//    that many seconds and the rest goes through DecodeFragment and Add;
//    checks the memory bounds after every step and that what completes is
//    a message a fragment could carry;
//  - odd: the rest drives a well-formed exchange: up to 3 messages (distinct
//    identifiers, or one identifier from different instances) each split
//    with FragmentMessageV4 at a fuzzed size, all their fragments delivered
//    in one fuzzed order; every message must reassemble exactly, once, at
//    its last fragment, and nothing may be left buffered.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "protocol/wire/fragment.h"
#include "protocol/wire/reassembler_v4.h"

namespace {

using otr::wire::ReassemblerV4;

constexpr ReassemblerV4::Limits kLimits{/*max_fragments=*/64, /*max_message_size=*/512,
                                        /*max_messages=*/3, /*max_buffered_bytes=*/1536,
                                        /*max_age_seconds=*/300};

class Bytes {
 public:
  Bytes(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  uint8_t Next() { return pos_ < size_ ? data_[pos_++] : 0; }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
};

void CheckBounds(const ReassemblerV4& reassembler) {
  if (reassembler.messages_in_progress() > kLimits.max_messages) __builtin_trap();
  if (reassembler.buffered_bytes() > kLimits.max_buffered_bytes) __builtin_trap();
  if (reassembler.buffered_fragments() > kLimits.max_messages * kLimits.max_fragments) {
    __builtin_trap();
  }
}

void RawMode(std::string_view text) {
  ReassemblerV4 reassembler(kLimits);
  uint64_t now = 0;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    now += static_cast<uint8_t>(text[start]);
    auto fragment = otr::wire::DecodeFragment(text.substr(start + 1, end - start - 1));
    if (fragment.ok()) {
      auto result = reassembler.Add(now, *fragment);
      if (result.ok() && result->has_value()) {
        const std::string& message = **result;
        if (message.empty() || message.size() > kLimits.max_message_size ||
            otr::wire::ContainsFragmentMarker(message)) {
          __builtin_trap();
        }
      }
    }
    CheckBounds(reassembler);
    start = end + 1;
  }
}

void WellFormedMode(Bytes& in) {
  static constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=";
  struct Message {
    std::string text;
    std::vector<std::string> fragments;
    size_t delivered = 0;
  };
  std::vector<Message> messages;
  const size_t count = 1 + in.Next() % kLimits.max_messages;
  const bool shared_identifier = in.Next() % 2 == 1;
  const uint32_t base = uint32_t{in.Next()} << 24 | in.Next();
  for (size_t i = 0; i < count; ++i) {
    Message m;
    const size_t length = 1 + (size_t{in.Next()} << 1 | in.Next() % 2) % 400;
    m.text = "?OTR:";
    for (size_t j = 0; j < length; ++j) m.text += kAlphabet[in.Next() % kAlphabet.size()];
    m.text += '.';
    const size_t max_size = otr::wire::kFragmentOverheadV4 + 8 + in.Next() % 80;
    const uint32_t id = shared_identifier ? base : base + static_cast<uint32_t>(i);
    const uint32_t sender = shared_identifier ? 0x100 + static_cast<uint32_t>(i) : 0x100;
    auto fragments = otr::wire::FragmentMessageV4(m.text, max_size, id, sender, 0);
    if (!fragments.ok()) __builtin_trap();
    for (const std::string& f : *fragments) {
      if (f.size() > max_size) __builtin_trap();
    }
    m.fragments = std::move(fragments).value();
    messages.push_back(std::move(m));
  }
  // Every (message, fragment) pair, delivered in a fuzzed order.
  std::vector<std::pair<size_t, size_t>> pending;
  for (size_t m = 0; m < messages.size(); ++m) {
    for (size_t f = 0; f < messages[m].fragments.size(); ++f) pending.emplace_back(m, f);
  }
  ReassemblerV4 reassembler(kLimits);
  while (!pending.empty()) {
    const size_t pick = (size_t{in.Next()} << 8 | in.Next()) % pending.size();
    const auto [m, f] = pending[pick];
    pending[pick] = pending.back();
    pending.pop_back();
    auto fragment = otr::wire::DecodeFragment(messages[m].fragments[f]);
    if (!fragment.ok()) __builtin_trap();
    auto result = reassembler.Add(0, *fragment);
    if (!result.ok()) __builtin_trap();
    Message& message = messages[m];
    const bool last = ++message.delivered == message.fragments.size();
    if (result->has_value() != last) __builtin_trap();
    if (last && **result != message.text) __builtin_trap();
    CheckBounds(reassembler);
  }
  if (reassembler.messages_in_progress() != 0 || reassembler.buffered_bytes() != 0) {
    __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  if (data[0] % 2 == 0) {
    RawMode(std::string_view(reinterpret_cast<const char*>(data + 1), size - 1));
  } else {
    Bytes in(data + 1, size - 1);
    WellFormedMode(in);
  }
  return 0;
}
