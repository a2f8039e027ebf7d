// The S-expressions of libgcrypt's "advanced" text format, as far as the
// libotr private-key file uses them: libotr 4.1.1 writes the file with
// gcry_sexp_sprint(GCRYSEXP_FMT_ADVANCED) and reads it with gcry_sexp_new.
//
// Reading accepts every atom form that libgcrypt's reader gives data for:
// tokens, "quoted strings" (with \b \t \v \n \f \r \" \' \\, \ooo, \xHH and
// backslash-newline escapes), #hex# (with whitespace inside), and verbatim
// N:bytes. It refuses what libgcrypt would drop or what libotr never meets:
// |base64| (libgcrypt 1.10 silently discards its contents), [display hints],
// and length prefixes before quoted or hex atoms. Printing reproduces
// libgcrypt 1.10's choice of atom form and its layout byte for byte, with one
// deliberate exception: libgcrypt takes a NUL byte inside an atom for a token
// character and prints it raw, which libotr's fprintf("%s") then truncates
// (a corrupt file); we print such atoms as #hex#.
//
// Atoms hold secrets (the DSA x), so they are SecretBytes.
#ifndef OTR_PROTOCOL_STORE_SEXP_H_
#define OTR_PROTOCOL_STORE_SEXP_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "base/result.h"
#include "crypto/secret_bytes.h"

namespace otr::store {

// The private-key file nests four deep; anything deeper is not ours.
inline constexpr size_t kMaxSexpDepth = 8;
// libgcrypt stores an atom's length in an unsigned short.
inline constexpr size_t kMaxSexpAtomSize = 0xffff;

struct Sexp {
  bool is_list = false;
  crypto::SecretBytes atom;  // when !is_list
  std::vector<Sexp> items;   // when is_list

  static Sexp Atom(ByteView bytes);
  static Sexp Atom(std::string_view text);
  static Sexp List(std::vector<Sexp> items);
  // True for an atom equal to `text`.
  bool IsAtom(std::string_view text) const;
};

// Exactly one list, with optional whitespace around it.
Result<Sexp> ParseSexp(std::string_view text);

// gcry_sexp_sprint(GCRYSEXP_FMT_ADVANCED) of `sexp`, appended to `out`.
void PrintSexpAdvanced(const Sexp& sexp, std::string& out);

}  // namespace otr::store

#endif  // OTR_PROTOCOL_STORE_SEXP_H_
