#include "tools/irc.h"

namespace otr::tools {
namespace {

char FoldNickChar(char c) {
  if (c >= 'A' && c <= 'Z') return static_cast<char>(c - 'A' + 'a');
  switch (c) {
    case '[':
      return '{';
    case ']':
      return '}';
    case '\\':
      return '|';
    case '~':
      return '^';
    default:
      return c;
  }
}

bool IsSpecial(char c) {
  return c == '[' || c == ']' || c == '\\' || c == '`' || c == '_' || c == '^' || c == '{' ||
         c == '|' || c == '}';
}

bool IsLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// "?OTR:" (an encoded message), "?OTR," (a v2 fragment), "?OTR|" (a v3 or
// v4 fragment); not a query ("?OTRv34?"), an error ("?OTR Error:") or
// plaintext.
bool IsOtrEncoding(std::string_view text) {
  return text.size() > 4 && text.substr(0, 4) == "?OTR" &&
         (text[4] == ':' || text[4] == ',' || text[4] == '|');
}

// An encoded message ends with '.', a fragment with ','.
bool IsFinished(std::string_view text) {
  return !text.empty() && text.back() == (text[4] == ':' ? '.' : ',');
}

}  // namespace

std::optional<IrcMessage> ParseIrcLine(std::string_view line) {
  IrcMessage m;
  size_t pos = 0;
  auto skip_spaces = [&] {
    while (pos < line.size() && line[pos] == ' ') ++pos;
  };
  auto word = [&] {
    const size_t start = pos;
    while (pos < line.size() && line[pos] != ' ') ++pos;
    return line.substr(start, pos - start);
  };
  if (!line.empty() && line[0] == ':') {
    ++pos;
    m.prefix = std::string(word());
  }
  skip_spaces();
  m.command = std::string(word());
  if (m.command.empty()) return std::nullopt;
  for (;;) {
    skip_spaces();
    if (pos >= line.size()) break;
    if (line[pos] == ':') {
      m.params.emplace_back(line.substr(pos + 1));
      break;
    }
    m.params.emplace_back(word());
  }
  return m;
}

std::string_view NickOf(std::string_view prefix) {
  const size_t bang = prefix.find('!');
  if (bang != std::string_view::npos) return prefix.substr(0, bang);
  const size_t at = prefix.find('@');
  return at == std::string_view::npos ? prefix : prefix.substr(0, at);
}

bool SameNick(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (FoldNickChar(a[i]) != FoldNickChar(b[i])) return false;
  }
  return true;
}

bool ValidNick(std::string_view nick, size_t max_size) {
  if (nick.empty() || nick.size() > max_size) return false;
  if (!IsLetter(nick[0]) && !IsSpecial(nick[0])) return false;
  for (char c : nick) {
    if (!IsLetter(c) && !IsSpecial(c) && !(c >= '0' && c <= '9') && c != '-') return false;
  }
  return true;
}

size_t MaxPrivmsgText(std::string_view mask, std::string_view target) {
  size_t mask_size = mask.size();
  const size_t at = mask.find('@');
  if (mask.find('!') == std::string_view::npos || at == std::string_view::npos) {
    mask_size += 1 + 11 + 1 + kHostMargin;  // !~user@host, all unknown
  } else if (const size_t host = mask.size() - at - 1; host < kHostMargin) {
    mask_size += kHostMargin - host;  // room for a longer host later
  }
  const size_t overhead = 1 + mask_size + std::string_view(" PRIVMSG ").size() + target.size() +
                          std::string_view(" :").size() + std::string_view("\r\n").size();
  return overhead >= kIrcMaxLine ? 0 : kIrcMaxLine - overhead;
}

std::string FormatPrivmsg(std::string_view target, std::string_view text) {
  std::string line = "PRIVMSG ";
  line += target;
  line += " :";
  line += text;
  line += "\r\n";
  return line;
}

std::vector<std::string> SplitText(std::string_view text, size_t max_size) {
  std::vector<std::string> pieces;
  if (max_size < 4) max_size = 4;  // room for any UTF-8 sequence
  while (text.size() > max_size) {
    size_t cut = max_size;
    // Back up over continuation bytes (10xxxxxx) to a sequence start.
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    if (cut == 0) cut = max_size;
    pieces.emplace_back(text.substr(0, cut));
    text.remove_prefix(cut);
  }
  if (!text.empty() || pieces.empty()) pieces.emplace_back(text);
  return pieces;
}

void LineBuffer::Append(std::string_view bytes) { buffer_.append(bytes); }

std::optional<std::string> LineBuffer::Next() {
  for (;;) {
    const size_t lf = buffer_.find('\n');
    if (lf == std::string::npos) {
      if (buffer_.size() > max_line_) {
        buffer_.clear();
        discarding_ = true;
      }
      return std::nullopt;
    }
    std::string line = buffer_.substr(0, lf);
    buffer_.erase(0, lf + 1);
    if (discarding_ || line.size() > max_line_) {
      discarding_ = false;
      continue;
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
  }
}

std::string LineBuffer::TakeRest() {
  std::string rest = discarding_ ? std::string() : std::move(buffer_);
  buffer_.clear();
  discarding_ = false;
  return rest;
}

std::vector<std::string> OtrLineJoiner::Add(std::string_view text) {
  std::vector<std::string> complete;
  if (parts_ != 0) {
    if (text.substr(0, 4) == "?OTR") {
      // Not a continuation: what was collected goes on unfinished.
      complete.push_back(std::move(pending_));
      pending_.clear();
      parts_ = 0;
    } else {
      pending_.append(text);
      ++parts_;
      if (IsFinished(pending_) || parts_ >= kMaxJoinedParts || pending_.size() >= kMaxJoinedBytes) {
        complete.push_back(std::move(pending_));
        pending_.clear();
        parts_ = 0;
      }
      return complete;
    }
  }
  if (IsOtrEncoding(text) && !IsFinished(text)) {
    pending_.assign(text);
    parts_ = 1;
    return complete;
  }
  complete.emplace_back(text);
  return complete;
}

}  // namespace otr::tools
