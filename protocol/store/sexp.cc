#include "protocol/store/sexp.h"

#include <cstring>

namespace otr::store {
namespace {

bool IsWhitespace(char c) {
  return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r' || c == '\n';
}
bool IsDigit(uint8_t c) { return c >= '0' && c <= '9'; }
bool IsAlpha(uint8_t c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
// libgcrypt's token characters: letters, digits and "-./_:*+=".
bool IsTokenChar(uint8_t c) {
  return IsAlpha(c) || IsDigit(c) || (c != 0 && std::strchr("-./_:*+=", c) != nullptr);
}
int HexValue(uint8_t c) {
  if (IsDigit(c)) return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Error Invalid(std::string_view context) { return MakeError(ErrorCode::kInvalidEncoding, context); }
Error Truncated() { return MakeError(ErrorCode::kTruncated, "S-expression ends early"); }

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  Result<Sexp> ParseTop() {
    SkipWhitespace();
    if (AtEnd()) return Truncated();
    if (Peek() != '(') return Invalid("S-expression must be a list");
    OTR_ASSIGN_OR_RETURN(Sexp top, ParseItem(1));
    SkipWhitespace();
    if (!AtEnd()) return MakeError(ErrorCode::kTrailingBytes, "text after the S-expression");
    return top;
  }

 private:
  bool AtEnd() const { return pos_ >= text_.size(); }
  uint8_t Peek() const { return static_cast<uint8_t>(text_[pos_]); }
  void SkipWhitespace() {
    while (!AtEnd() && IsWhitespace(text_[pos_])) ++pos_;
  }

  Result<Sexp> ParseItem(size_t depth) {
    if (Peek() != '(') return ParseAtom();
    if (depth > kMaxSexpDepth) return MakeError(ErrorCode::kTooLarge, "S-expression too deep");
    ++pos_;
    Sexp list;
    list.is_list = true;
    for (;;) {
      SkipWhitespace();
      if (AtEnd()) return Truncated();
      if (Peek() == ')') {
        ++pos_;
        return list;
      }
      OTR_ASSIGN_OR_RETURN(Sexp item, ParseItem(depth + 1));
      list.items.push_back(std::move(item));
    }
  }

  // Atoms go straight into a SecretBytes of their final size: tokens and
  // verbatim atoms are copied from the text, #hex# and quoted atoms are
  // decoded twice, once to count the bytes and once into the buffer. No
  // atom (the DSA x among them) ever sits in a buffer that grows, so no
  // partial copy is freed unwiped (issue 14).
  Result<Sexp> ParseAtom() {
    uint8_t c = Peek();
    if (c == '"') return Decoded(&Parser::DecodeQuoted);
    if (c == '#') return Decoded(&Parser::DecodeHex);
    if (IsDigit(c)) return ParseVerbatim();
    if (IsTokenChar(c)) return ParseToken();
    if (c == '|') return Invalid("base64 atoms are not supported");
    if (c == '[') return Invalid("display hints are not supported");
    return Invalid("unexpected character in S-expression");
  }

  Result<Sexp> ParseToken() {
    size_t start = pos_;
    while (!AtEnd() && IsTokenChar(Peek())) ++pos_;
    return AtomOf(AsBytes(text_.substr(start, pos_ - start)));
  }

  // "N:" then N raw bytes (libgcrypt refuses a leading zero in N).
  Result<Sexp> ParseVerbatim() {
    if (Peek() == '0') return Invalid("length with a leading zero");
    size_t length = 0;
    while (!AtEnd() && IsDigit(Peek())) {
      length = length * 10 + (Peek() - '0');
      if (length > kMaxSexpAtomSize) return MakeError(ErrorCode::kTooLarge, "atom too long");
      ++pos_;
    }
    if (AtEnd()) return Truncated();
    if (Peek() != ':') return Invalid("length prefix not followed by ':'");
    ++pos_;
    if (text_.size() - pos_ < length) return Truncated();
    ByteView bytes = AsBytes(text_.substr(pos_, length));
    pos_ += length;
    return AtomOf(bytes);
  }

  static Result<Sexp> AtomOf(ByteView bytes) {
    if (bytes.size() > kMaxSexpAtomSize) return MakeError(ErrorCode::kTooLarge, "atom too long");
    return Sexp::Atom(bytes);
  }

  // Where a decoder puts its bytes: counted only (out == nullptr) or
  // written to out[0..count).
  struct Sink {
    uint8_t* out = nullptr;
    size_t count = 0;
    void Put(uint8_t b) {
      if (out != nullptr) out[count] = b;
      ++count;
    }
  };
  using Decoder = Status (Parser::*)(Sink&);

  // Runs `decode` from the current position to count, then again to write
  // into an atom of exactly that size.
  Result<Sexp> Decoded(Decoder decode) {
    const size_t start = pos_;
    Sink counter;
    OTR_RETURN_IF_ERROR((this->*decode)(counter));
    if (counter.count > kMaxSexpAtomSize) {
      return MakeError(ErrorCode::kTooLarge, "atom too long");
    }
    Sexp atom;
    atom.atom = crypto::SecretBytes(counter.count);
    pos_ = start;
    Sink writer{atom.atom.data(), 0};
    OTR_RETURN_IF_ERROR((this->*decode)(writer));
    return atom;
  }

  Status DecodeHex(Sink& sink) {
    ++pos_;  // '#'
    int high = -1;
    for (;;) {
      if (AtEnd()) return Truncated();
      char c = text_[pos_++];
      if (c == '#') break;
      if (IsWhitespace(c)) continue;
      int v = HexValue(static_cast<uint8_t>(c));
      if (v < 0) return Invalid("bad character in #hex# atom");
      if (high < 0) {
        high = v;
      } else {
        sink.Put(static_cast<uint8_t>(high * 16 + v));
        high = -1;
      }
    }
    if (high >= 0) return Invalid("odd number of hex digits");
    return Status::Ok();
  }

  Status DecodeQuoted(Sink& sink) {
    ++pos_;  // '"'
    for (;;) {
      if (AtEnd()) return Truncated();
      char c = text_[pos_++];
      if (c == '"') break;
      if (c != '\\') {
        sink.Put(static_cast<uint8_t>(c));
        continue;
      }
      if (AtEnd()) return Truncated();
      char e = text_[pos_++];
      switch (e) {
        case 'b':
          sink.Put('\b');
          break;
        case 't':
          sink.Put('\t');
          break;
        case 'v':
          sink.Put('\v');
          break;
        case 'n':
          sink.Put('\n');
          break;
        case 'f':
          sink.Put('\f');
          break;
        case 'r':
          sink.Put('\r');
          break;
        case '"':
          sink.Put('"');
          break;
        case '\'':
          sink.Put('\'');
          break;
        case '\\':
          sink.Put('\\');
          break;
        case '\r':  // line continuation: backslash, CR, optional LF
          if (!AtEnd() && text_[pos_] == '\n') ++pos_;
          break;
        case '\n':  // backslash, LF, optional CR
          if (!AtEnd() && text_[pos_] == '\r') ++pos_;
          break;
        case 'x': {
          if (text_.size() - pos_ < 2) return Truncated();
          int hi = HexValue(static_cast<uint8_t>(text_[pos_]));
          int lo = HexValue(static_cast<uint8_t>(text_[pos_ + 1]));
          if (hi < 0 || lo < 0) return Invalid("bad \\x escape");
          sink.Put(static_cast<uint8_t>(hi * 16 + lo));
          pos_ += 2;
          break;
        }
        default: {
          if (e < '0' || e > '7') return Invalid("unknown escape in quoted string");
          if (text_.size() - pos_ < 2) return Truncated();
          char d1 = text_[pos_], d2 = text_[pos_ + 1];
          if (d1 < '0' || d1 > '7' || d2 < '0' || d2 > '7') return Invalid("bad octal escape");
          int v = (e - '0') * 64 + (d1 - '0') * 8 + (d2 - '0');
          if (v > 0xff) return Invalid("octal escape above \\377");
          sink.Put(static_cast<uint8_t>(v));
          pos_ += 2;
          break;
        }
      }
    }
    return Status::Ok();
  }

  std::string_view text_;
  size_t pos_ = 0;
};

// libgcrypt's choice of atom form (sexp.c, suitable_encoding).
enum class AtomForm { kHex, kQuoted, kToken };

AtomForm ChooseForm(ByteView b) {
  if (b.empty()) return AtomForm::kQuoted;
  if ((b[0] & 0x80) || b[0] == 0) return AtomForm::kHex;
  bool token = true;
  for (uint8_t c : b) {
    bool escapable = c == '\b' || c == '\t' || c == '\v' || c == '\n' || c == '\f' || c == '\r';
    if ((c < 0x20 || (c >= 0x7f && c <= 0xa0)) && !escapable) return AtomForm::kHex;
    if (!IsAlpha(c) && !IsDigit(c) && !(c != 0 && std::strchr("-./_:*+=", c))) token = false;
  }
  return token && !IsDigit(b[0]) ? AtomForm::kToken : AtomForm::kQuoted;
}

void PrintAtom(ByteView b, std::string& out) {
  static constexpr char kHexDigits[] = "0123456789ABCDEF";
  switch (ChooseForm(b)) {
    case AtomForm::kToken:
      out.append(b.begin(), b.end());
      return;
    case AtomForm::kHex:
      out.push_back('#');
      for (uint8_t c : b) {
        out.push_back(kHexDigits[c >> 4]);
        out.push_back(kHexDigits[c & 0xf]);
      }
      out.push_back('#');
      return;
    case AtomForm::kQuoted:
      out.push_back('"');
      for (uint8_t c : b) {
        const char* escape = nullptr;
        switch (c) {
          case '\b':
            escape = "\\b";
            break;
          case '\t':
            escape = "\\t";
            break;
          case '\v':
            escape = "\\v";
            break;
          case '\n':
            escape = "\\n";
            break;
          case '\f':
            escape = "\\f";
            break;
          case '\r':
            escape = "\\r";
            break;
          case '"':
            escape = "\\\"";
            break;
          case '\'':
            escape = "\\'";
            break;
          case '\\':
            escape = "\\\\";
            break;
          default:
            break;
        }
        if (escape) {
          out.append(escape);
        } else {
          out.push_back(static_cast<char>(c));
        }
      }
      out.push_back('"');
      return;
  }
}

// The node stream of libgcrypt's internal form: open, atom, close.
struct Event {
  enum Kind { kOpen, kClose, kAtom } kind;
  const Sexp* node;
};

void Flatten(const Sexp& sexp, std::vector<Event>& events) {
  if (!sexp.is_list) {
    events.push_back({Event::kAtom, &sexp});
    return;
  }
  events.push_back({Event::kOpen, &sexp});
  for (const Sexp& item : sexp.items) Flatten(item, events);
  events.push_back({Event::kClose, &sexp});
}

}  // namespace

Sexp Sexp::Atom(ByteView bytes) {
  Sexp s;
  s.atom = crypto::SecretBytes(bytes);
  return s;
}

Sexp Sexp::Atom(std::string_view text) { return Atom(AsBytes(text)); }

Sexp Sexp::List(std::vector<Sexp> items) {
  Sexp s;
  s.is_list = true;
  s.items = std::move(items);
  return s;
}

bool Sexp::IsAtom(std::string_view text) const {
  ByteView want = AsBytes(text);
  return !is_list && atom.size() == want.size() &&
         std::equal(want.begin(), want.end(), atom.data());
}

Result<Sexp> ParseSexp(std::string_view text) { return Parser(text).ParseTop(); }

// The layout of gcry_sexp_sprint in advanced mode: a list opens on a new line
// indented by its depth (except the first); an atom is followed by a space
// unless a close follows; a close is followed by a newline and indentation
// unless an open or the end follows; the whole ends with a newline.
void PrintSexpAdvanced(const Sexp& sexp, std::string& out) {
  std::vector<Event> events;
  Flatten(sexp, events);
  size_t indent = 0;
  for (size_t i = 0; i < events.size(); ++i) {
    bool next_is_open = i + 1 < events.size() && events[i + 1].kind == Event::kOpen;
    bool next_is_close = i + 1 < events.size() && events[i + 1].kind == Event::kClose;
    bool at_end = i + 1 == events.size();
    switch (events[i].kind) {
      case Event::kOpen:
        if (indent > 0) {
          out.push_back('\n');
          out.append(indent, ' ');
        }
        out.push_back('(');
        ++indent;
        break;
      case Event::kClose:
        out.push_back(')');
        --indent;
        if (!next_is_open && !at_end) {
          out.push_back('\n');
          out.append(indent, ' ');
        }
        break;
      case Event::kAtom:
        PrintAtom(events[i].node->atom.view(), out);
        if (!next_is_close) out.push_back(' ');
        break;
    }
  }
  out.push_back('\n');
}

}  // namespace otr::store
