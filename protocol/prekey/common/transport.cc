// otr-v4-prekey-server.md, "Encoded Messages", "Fragmentation of some
// Messages", "Transmitting Fragments", "Receiving Fragments".
#include "protocol/prekey/common/transport.h"

#include <algorithm>
#include <charconv>
#include <cstdio>

#include "protocol/wire/base64.h"

namespace otr::prekey {
namespace {

constexpr size_t kMaxPieces = 65535;

// Parses a hex (or decimal) unsigned number of at most `max_digits` digits
// ("may have leading zeros": up to 16 digits are allowed) ending at `end`.
template <typename T>
bool ParseNumber(std::string_view& in, char end, int base, T max, T& out) {
  const size_t stop = in.find(end);
  if (stop == std::string_view::npos || stop == 0 || stop > 16) return false;
  uint64_t v = 0;
  const char* first = in.data();
  const char* last = in.data() + stop;
  for (const char* c = first; c != last; ++c) {
    const bool dec = *c >= '0' && *c <= '9';
    const bool hex_lower = base == 16 && *c >= 'a' && *c <= 'f';
    const bool hex_upper = base == 16 && *c >= 'A' && *c <= 'F';
    if (!dec && !hex_lower && !hex_upper) return false;
  }
  auto [ptr, ec] = std::from_chars(first, last, v, base);
  if (ec != std::errc() || ptr != last || v > static_cast<uint64_t>(max)) return false;
  out = static_cast<T>(v);
  in.remove_prefix(stop + 1);
  return true;
}

struct ParsedFragment {
  uint32_t identifier = 0;
  uint32_t sender = 0;
  uint32_t receiver = 0;
  uint16_t index = 0;
  uint16_t total = 0;
  std::string_view piece;
};

Result<ParsedFragment> ParseFragment(std::string_view text) {
  if (text.substr(0, kFragmentPrefix.size()) != kFragmentPrefix) {
    return MakeError(ErrorCode::kInvalidEncoding, "prekey fragment: prefix");
  }
  std::string_view in = text.substr(kFragmentPrefix.size());
  ParsedFragment f;
  if (!ParseNumber<uint32_t>(in, '|', 16, UINT32_MAX, f.identifier) ||
      !ParseNumber<uint32_t>(in, '|', 16, UINT32_MAX, f.sender) ||
      !ParseNumber<uint32_t>(in, ',', 16, UINT32_MAX, f.receiver) ||
      !ParseNumber<uint16_t>(in, ',', 10, UINT16_MAX, f.index) ||
      !ParseNumber<uint16_t>(in, ',', 10, UINT16_MAX, f.total)) {
    return MakeError(ErrorCode::kInvalidEncoding, "prekey fragment: header");
  }
  // The piece: everything up to the final ','; base64 and "." never hold one.
  if (in.size() < 2 || in.back() != ',') {
    return MakeError(ErrorCode::kInvalidEncoding, "prekey fragment: piece");
  }
  f.piece = in.substr(0, in.size() - 1);
  if (f.piece.find(',') != std::string_view::npos) {
    return MakeError(ErrorCode::kInvalidEncoding, "prekey fragment: piece");
  }
  // "Discard the (illegal) fragment if: index is 0, total is 0, index is
  // bigger than total".
  if (f.index == 0 || f.total == 0 || f.index > f.total) {
    return MakeError(ErrorCode::kInvalidEncoding, "prekey fragment: index/total");
  }
  return f;
}

}  // namespace

std::string EncodeForTransport(const Message& m) {
  std::string out = wire::EncodeBase64(EncodeMessage(m));
  out.push_back('.');
  return out;
}

Result<Message> DecodeFromTransport(std::string_view text) {
  if (text.size() > kMaxEncodedMessageSize) {
    return MakeError(ErrorCode::kTooLarge, "prekey message: too long");
  }
  if (text.empty() || text.back() != '.') {
    return MakeError(ErrorCode::kInvalidEncoding, "prekey message: no final '.'");
  }
  OTR_ASSIGN_OR_RETURN(const Bytes bytes, wire::DecodeBase64(text.substr(0, text.size() - 1)));
  return DecodeMessage(bytes);
}

bool IsFragment(std::string_view text) {
  return text.substr(0, kFragmentPrefix.size()) == kFragmentPrefix;
}

Result<std::vector<std::string>> Fragment(std::string_view encoded, size_t max_fragment_size,
                                          uint32_t identifier, uint32_t sender_instance,
                                          uint32_t receiver_instance) {
  if (encoded.size() <= max_fragment_size) return std::vector<std::string>{std::string(encoded)};
  // The longest header: "?OTRP|" 8 hex "|" 8 hex "|" 8 hex "," 5 digits ","
  // 5 digits "," and the final ",".
  constexpr size_t kHeader = 6 + 8 + 1 + 8 + 1 + 8 + 1 + 5 + 1 + 5 + 1 + 1;
  if (max_fragment_size <= kHeader) {
    return MakeError(ErrorCode::kTooLarge, "prekey fragment: no room for a piece");
  }
  const size_t piece_size = max_fragment_size - kHeader;
  const size_t total = (encoded.size() + piece_size - 1) / piece_size;
  if (total > kMaxPieces) return MakeError(ErrorCode::kTooLarge, "prekey fragment: too many");
  std::vector<std::string> out;
  out.reserve(total);
  for (size_t i = 0; i < total; ++i) {
    char header[64];
    const int n =
        std::snprintf(header, sizeof header, "?OTRP|%x|%x|%x,%zu,%zu,",
                      static_cast<unsigned>(identifier), static_cast<unsigned>(sender_instance),
                      static_cast<unsigned>(receiver_instance), i + 1, total);
    std::string f(header, static_cast<size_t>(n));
    f.append(encoded.substr(i * piece_size, piece_size));
    f.push_back(',');
    out.push_back(std::move(f));
  }
  return out;
}

void FragmentReassembler::Drop(std::map<uint32_t, Buffer>::iterator it) {
  bytes_ -= it->second.bytes;
  buffers_.erase(it);
}

void FragmentReassembler::Expire(int64_t now) {
  for (auto it = buffers_.begin(); it != buffers_.end();) {
    auto next = std::next(it);
    if (now - it->second.started >= limits_.timeout_seconds) Drop(it);
    it = next;
  }
}

Result<std::optional<std::string>> FragmentReassembler::Receive(std::string_view fragment,
                                                                uint32_t our_instance,
                                                                int64_t now) {
  Expire(now);
  OTR_ASSIGN_OR_RETURN(const ParsedFragment f, ParseFragment(fragment));
  if (our_instance != 0 && f.receiver != 0 && f.receiver != our_instance) {
    return MakeError(ErrorCode::kUnknownInstance, "prekey fragment: not for this instance");
  }
  auto it = buffers_.find(f.identifier);
  if (it != buffers_.end() && it->second.total != f.total) {
    // "Otherwise: Forget any stored fragments of this buffer".
    Drop(it);
    return MakeError(ErrorCode::kInvalidEncoding, "prekey fragment: total changed");
  }
  if (it == buffers_.end()) {
    if (buffers_.size() >= limits_.max_buffers) {
      auto oldest = std::min_element(buffers_.begin(), buffers_.end(), [](auto& a, auto& b) {
        return a.second.started < b.second.started;
      });
      Drop(oldest);
    }
    Buffer b;
    b.total = f.total;
    b.started = now;
    it = buffers_.emplace(f.identifier, std::move(b)).first;
  }
  Buffer& b = it->second;
  if (b.pieces.count(f.index) != 0) {
    return MakeError(ErrorCode::kInvalidEncoding, "prekey fragment: index already received");
  }
  if (bytes_ + f.piece.size() > limits_.max_bytes) {
    Drop(it);
    return MakeError(ErrorCode::kTooLarge, "prekey fragment: reassembly too large");
  }
  b.pieces.emplace(f.index, std::string(f.piece));
  b.bytes += f.piece.size();
  bytes_ += f.piece.size();
  ++b.count;
  if (b.count < b.total) return std::optional<std::string>();
  std::string whole;
  whole.reserve(b.bytes);
  for (const auto& [index, piece] : b.pieces) whole += piece;
  Drop(it);
  return std::optional<std::string>(std::move(whole));
}

}  // namespace otr::prekey
