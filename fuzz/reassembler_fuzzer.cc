// Fuzzes the Reassembler. The first byte picks a mode:
//  - even: the rest is lines, each fed through DecodeFragment and Add, from
//    any senders; checks the memory bounds and that what completes is a
//    message a fragment could carry;
//  - odd: the rest drives a well-formed exchange: up to 3 senders (v2 and
//    v3) each split a message with FragmentMessage at a fuzzed size, the
//    fragments are interleaved in a fuzzed order (each sender's in order),
//    and every message must reassemble exactly, once, at its last fragment.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/wire/fragment.h"
#include "protocol/wire/reassembler.h"

namespace {

using otr::wire::Reassembler;

constexpr Reassembler::Limits kLimits{/*max_message_size=*/512, /*max_senders=*/3};

class Bytes {
 public:
  Bytes(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  uint8_t Next() { return pos_ < size_ ? data_[pos_++] : 0; }
  bool empty() const { return pos_ >= size_; }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
};

void CheckBounds(const Reassembler& reassembler) {
  if (reassembler.tracked_senders() > kLimits.max_senders) __builtin_trap();
  if (reassembler.buffered_bytes() > kLimits.max_senders * kLimits.max_message_size) {
    __builtin_trap();
  }
}

void RawMode(std::string_view text) {
  Reassembler reassembler(kLimits);
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    auto fragment = otr::wire::DecodeFragment(text.substr(start, end - start));
    if (fragment.ok()) {
      auto result = reassembler.Add(*fragment);
      if (result.ok() && result->has_value()) {
        const std::string& message = **result;
        // Pieces may hold ',' (libotr's do), never a fragment marker.
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
  struct Sender {
    int version;
    uint32_t tag;
    std::string message;
    std::vector<std::string> fragments;
    size_t next = 0;
  };
  std::vector<Sender> senders;
  const size_t count = 1 + in.Next() % kLimits.max_senders;
  const bool with_v2 = in.Next() % 2 == 1;
  for (size_t i = 0; i < count; ++i) {
    Sender sender;
    sender.version = (with_v2 && i == 0) ? 2 : 3;
    sender.tag = sender.version == 2 ? 0 : 0x100 + static_cast<uint32_t>(i) * 0x1234567;
    const size_t length = 1 + (size_t{in.Next()} << 1 | in.Next() % 2) % 400;
    sender.message = "?OTR:";
    for (size_t j = 0; j < length; ++j) sender.message += kAlphabet[in.Next() % kAlphabet.size()];
    sender.message += '.';
    const size_t overhead =
        sender.version == 2 ? otr::wire::kFragmentOverheadV2 : otr::wire::kFragmentOverheadV3;
    const size_t max_size = overhead + 1 + in.Next() % 80;
    auto fragments = otr::wire::FragmentMessage(sender.message, max_size, sender.version,
                                                sender.tag, sender.version == 2 ? 0 : 0x100);
    if (!fragments.ok()) __builtin_trap();
    for (const std::string& f : *fragments) {
      if (f.size() > max_size) __builtin_trap();
    }
    sender.fragments = std::move(fragments).value();
    senders.push_back(std::move(sender));
  }
  Reassembler reassembler(kLimits);
  size_t remaining = 0;
  for (const Sender& s : senders) remaining += s.fragments.size();
  while (remaining > 0) {
    size_t pick = in.Next() % senders.size();
    while (senders[pick].next == senders[pick].fragments.size()) pick = (pick + 1) % senders.size();
    Sender& sender = senders[pick];
    auto fragment = otr::wire::DecodeFragment(sender.fragments[sender.next]);
    if (!fragment.ok()) __builtin_trap();
    auto result = reassembler.Add(*fragment);
    if (!result.ok()) __builtin_trap();
    ++sender.next;
    --remaining;
    const bool last = sender.next == sender.fragments.size();
    if (result->has_value() != last) __builtin_trap();
    if (last && **result != sender.message) __builtin_trap();
    CheckBounds(reassembler);
  }
  if (reassembler.tracked_senders() != 0 || reassembler.buffered_bytes() != 0) __builtin_trap();
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
