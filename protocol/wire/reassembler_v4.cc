#include "protocol/wire/reassembler_v4.h"

#include <utility>

namespace otr::wire {

void ReassemblerV4::Erase(Buffers::iterator it) {
  buffered_bytes_ -= it->second.bytes;
  buffered_fragments_ -= it->second.pieces.size();
  buffers_.erase(it);
}

bool ReassemblerV4::EvictOne(Buffers::iterator keep) {
  auto oldest = buffers_.end();
  for (auto it = buffers_.begin(); it != buffers_.end(); ++it) {
    if (it == keep) continue;
    if (oldest == buffers_.end() || it->second.last_used < oldest->second.last_used) oldest = it;
  }
  if (oldest == buffers_.end()) return false;
  Erase(oldest);
  return true;
}

size_t ReassemblerV4::Expire(uint64_t now_seconds) {
  size_t expired = 0;
  for (auto it = buffers_.begin(); it != buffers_.end();) {
    const uint64_t started = it->second.started;
    auto next = std::next(it);
    if (now_seconds >= started && now_seconds - started >= limits_.max_age_seconds) {
      Erase(it);
      ++expired;
    }
    it = next;
  }
  return expired;
}

void ReassemblerV4::Forget(InstanceTag sender) {
  for (auto it = buffers_.begin(); it != buffers_.end();) {
    auto next = std::next(it);
    if (it->first.sender == sender) Erase(it);
    it = next;
  }
}

void ReassemblerV4::ForgetAll() {
  buffers_.clear();
  buffered_bytes_ = 0;
  buffered_fragments_ = 0;
}

Result<std::optional<std::string>> ReassemblerV4::Add(uint64_t now_seconds,
                                                      const Fragment& fragment) {
  Expire(now_seconds);
  if (fragment.version != 4) {
    return MakeError(ErrorCode::kUnsupportedVersion, "ReassemblerV4 takes v4 fragments only");
  }
  const uint16_t index = fragment.k;
  const uint16_t total = fragment.n;
  // "Discard the (illegal) fragment if: index is 0, total is 0, index is
  // bigger than total".
  if (index == 0 || total == 0 || index > total) {
    return MakeError(ErrorCode::kInvalidEncoding, "illegal fragment index or total");
  }
  if (fragment.piece.empty() || ContainsFragmentMarker(fragment.piece)) {
    return MakeError(ErrorCode::kInvalidEncoding, "illegal fragment piece");
  }
  if (total > limits_.max_fragments) {
    return MakeError(ErrorCode::kTooLarge, "fragment total above max_fragments");
  }
  const Key key{fragment.identifier, fragment.sender};
  auto it = buffers_.find(key);
  if (it != buffers_.end()) {
    // "If identifier == I: If total == T, and C < T: Check that the given
    // position of the buffer is empty ... Otherwise: Forget any stored
    // fragments of this buffer".
    if (total != it->second.total) {
      Erase(it);
      return MakeError(ErrorCode::kBadState, "fragment total differs from its message's");
    }
    if (it->second.pieces.contains(index)) {
      return MakeError(ErrorCode::kBadState, "fragment index already received");
    }
  }
  const size_t held = it == buffers_.end() ? 0 : it->second.bytes;
  if (fragment.piece.size() > limits_.max_message_size - held) {
    if (it != buffers_.end()) Erase(it);
    return MakeError(ErrorCode::kTooLarge, "reassembled message above max_message_size");
  }
  if (it == buffers_.end()) {
    // "For the first fragment that arrives ... Create a buffer".
    if (limits_.max_messages == 0) {
      return MakeError(ErrorCode::kTooLarge, "reassembler keeps no message");
    }
    while (buffers_.size() >= limits_.max_messages && EvictOne(buffers_.end())) {
    }
    it = buffers_.emplace(key, Buffer{}).first;
    it->second.total = total;
    it->second.started = now_seconds;
  }
  while (buffered_bytes_ + fragment.piece.size() > limits_.max_buffered_bytes) {
    if (!EvictOne(it)) {
      Erase(it);
      return MakeError(ErrorCode::kTooLarge, "fragment above max_buffered_bytes");
    }
  }
  Buffer& buffer = it->second;
  buffer.pieces.emplace(index, fragment.piece);
  buffer.bytes += fragment.piece.size();
  buffer.last_used = ++use_counter_;
  buffered_bytes_ += fragment.piece.size();
  ++buffered_fragments_;
  // "After this, if the current buffer's C == T, treat the buffer as the
  // received data message."
  if (buffer.pieces.size() != buffer.total) return std::optional<std::string>();
  std::string message;
  message.reserve(buffer.bytes);
  for (const auto& entry : buffer.pieces) message += entry.second;
  Erase(it);
  if (ContainsFragmentMarker(message)) {
    return MakeError(ErrorCode::kInvalidEncoding, "reassembled message is a fragment");
  }
  return std::optional<std::string>(std::move(message));
}

}  // namespace otr::wire
