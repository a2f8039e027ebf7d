// The promise `otr chat` makes for a message the session held back (policy
// "always" before the AKE, or after the peer ended): it goes out privately
// if a private conversation starts in time. The engine keeps one such
// message (a newer one replaces it) for SessionConfig::stored_message_seconds
// and then drops it without an event; this tracker mirrors that on the
// client's clock so the user is told when the promise lapses.
#ifndef OTR_TOOLS_HELD_MESSAGE_H_
#define OTR_TOOLS_HELD_MESSAGE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace otr::tools {

class HeldMessage {
 public:
  explicit HeldMessage(uint64_t lifetime_seconds) : lifetime_(lifetime_seconds) {}

  // The session held `text` at `now`. Returns the text it replaces (which
  // will never be sent), if any.
  std::optional<std::string> Hold(std::string text, uint64_t now);
  // The session sent it (kStoredMessageSent): the promise is kept.
  void Sent();
  // The private conversation started without sending it: the engine has
  // dropped it. Returns the dropped text, if one was held.
  std::optional<std::string> Dropped();
  // At `now`: the held text if its time is up (the engine would no longer
  // send it), which is then forgotten.
  std::optional<std::string> Expire(uint64_t now);
  // When Expire will next return a text (the first second past the limit).
  std::optional<uint64_t> Deadline() const;

 private:
  uint64_t lifetime_;
  std::optional<std::string> text_;
  uint64_t held_at_ = 0;
};

}  // namespace otr::tools

#endif  // OTR_TOOLS_HELD_MESSAGE_H_
