// The little of IRC (RFC 1459, RFC 2812 section 2.3) that `otr chat`
// needs: parsing server lines, the size budget of a PRIVMSG, and splitting a
// byte stream into lines. No I/O here.
#ifndef OTR_TOOLS_IRC_H_
#define OTR_TOOLS_IRC_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace otr::tools {

// RFC 2812 2.3: "IRC messages ... SHALL NOT exceed 512 characters in length,
// counting all characters including the trailing CR-LF."
inline constexpr size_t kIrcMaxLine = 512;

struct IrcMessage {
  std::string prefix;               // without the ':'; empty if none
  std::string command;              // as sent: "PRIVMSG", "001", ...
  std::vector<std::string> params;  // the trailing parameter last, without its ':'
};

// One line without its CR LF; nullopt if it has no command.
std::optional<IrcMessage> ParseIrcLine(std::string_view line);

// "nick!user@host" -> "nick" (a server name is returned whole).
std::string_view NickOf(std::string_view prefix);

// Nicks compare case-insensitively, with RFC 1459's "{}|^" as the lower
// case of "[]\~".
bool SameNick(std::string_view a, std::string_view b);

// A nick the server will take (RFC 2812 2.3.1): a letter or special first,
// then letters, digits, specials and '-', at most `max_size` characters.
bool ValidNick(std::string_view nick, size_t max_size = 30);

// The longest text one PRIVMSG to `target` can carry so that the line the
// server relays, ":<mask> PRIVMSG <target> :<text>\r\n", fits 512 bytes.
// `mask` is our "nick!user@host" as the server shows it; when unknown, pass
// our nick alone and the worst case of a 10-character user name (plus '~')
// and a 63-character host name is assumed. The host can change after login
// (a cloak or vhost set by services, a virtual host) and the session's
// message size is fixed when it is made, so a host shorter than
// kHostMargin counts as that long: the line fits until the host grows past it.
inline constexpr size_t kHostMargin = 63;
size_t MaxPrivmsgText(std::string_view mask, std::string_view target);

// "PRIVMSG <target> :<text>\r\n".
std::string FormatPrivmsg(std::string_view target, std::string_view text);

// Splits `text` into pieces of at most `max_size` bytes, not inside a UTF-8
// sequence (for long plaintext; OTR messages are fragmented by the session).
// A `max_size` below 4 (the longest UTF-8 sequence) is taken as 4.
std::vector<std::string> SplitText(std::string_view text, size_t max_size);

// Bytes in, complete lines out (LF or CR LF ends a line; the ends are
// removed). A line longer than `max_line` is dropped, with its excess.
class LineBuffer {
 public:
  explicit LineBuffer(size_t max_line = 8192) : max_line_(max_line) {}
  void Append(std::string_view bytes);
  std::optional<std::string> Next();
  // Whatever is left without a line end (at end of input).
  std::string TakeRest();

 private:
  size_t max_line_;
  std::string buffer_;
  bool discarding_ = false;
};

// One OTR message or fragment split over several PRIVMSGs, joined again.
// WeeChat's OTR script (otr.py on python-potr) makes OTR fragments of up to
// 405 bytes (its MAX_MSG_SIZE 415 less 10 and the nick) and WeeChat's IRC
// layer then splits a PRIVMSG whose relayed line might pass 512 bytes, so
// the end of a fragment arrives as a PRIVMSG of its own ("O,"); otr.py
// joins such pieces on receipt (its Assembler: text that starts with "?OTR"
// is collected until it ends in '.' or ','). The encodings end that way:
// "?OTR:<base64>." (otr v3 spec, "Data types" / "Encoded messages"),
// "?OTR,k,n,piece," and "?OTR|s|r,k,n,piece," ("Fragmentation"), and
// OTRv4's fragments likewise. Add() takes each PRIVMSG text from the peer
// and returns the texts now complete, in order: a text that is not an
// unfinished OTR message passes through at once; an unfinished one waits
// for the next PRIVMSG. A new OTR message (text starting "?OTR") instead
// of a continuation, or more than kMaxJoinedParts pieces or
// kMaxJoinedBytes, hands over what was collected as it is (the session
// then reports it damaged), so a peer cannot make it grow without bound.
class OtrLineJoiner {
 public:
  static constexpr size_t kMaxJoinedParts = 4;
  static constexpr size_t kMaxJoinedBytes = kMaxJoinedParts * kIrcMaxLine;
  std::vector<std::string> Add(std::string_view text);
  // Whether a piece waits for its continuation.
  bool Pending() const { return parts_ != 0; }

 private:
  std::string pending_;
  size_t parts_ = 0;
};

}  // namespace otr::tools

#endif  // OTR_TOOLS_IRC_H_
