#include "tools/held_message.h"

#include <utility>

namespace otr::tools {

std::optional<std::string> HeldMessage::Hold(std::string text, uint64_t now) {
  std::optional<std::string> replaced = std::move(text_);
  text_ = std::move(text);
  held_at_ = now;
  return replaced;
}

void HeldMessage::Sent() { text_.reset(); }

std::optional<std::string> HeldMessage::Dropped() { return std::exchange(text_, std::nullopt); }

std::optional<std::string> HeldMessage::Expire(uint64_t now) {
  // The engine sends a stored message while now <= held_at + lifetime.
  if (!text_ || now <= held_at_ + lifetime_) return std::nullopt;
  return std::exchange(text_, std::nullopt);
}

std::optional<uint64_t> HeldMessage::Deadline() const {
  if (!text_) return std::nullopt;
  return held_at_ + lifetime_ + 1;
}

}  // namespace otr::tools
