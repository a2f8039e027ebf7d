#include "protocol/store/privkey_file.h"

#include <algorithm>
#include <array>
#include <optional>

#include "protocol/store/sexp.h"

namespace otr::store {
namespace {

Error Invalid(std::string_view context) { return MakeError(ErrorCode::kInvalidEncoding, context); }

bool HasNul(ByteView b) { return std::find(b.begin(), b.end(), uint8_t{0}) != b.end(); }

// (head value): the single atom after the head.
Result<const Sexp*> SingleValue(const Sexp& list) {
  if (list.items.size() != 2 || list.items[1].is_list) {
    return Invalid("expected (name value)");
  }
  return &list.items[1];
}

// A number as libotr reads it (gcry_sexp_nth_mpi, unsigned): any atom,
// leading zero bytes dropped.
Result<ByteView> Number(const Sexp& list, size_t max_size) {
  OTR_ASSIGN_OR_RETURN(const Sexp* value, SingleValue(list));
  ByteView b = value->atom.view();
  while (!b.empty() && b[0] == 0) b = b.subspan(1);
  if (b.size() > max_size) return MakeError(ErrorCode::kTooLarge, "DSA number too large");
  return b;
}

Result<std::string> Text(const Sexp& list) {
  OTR_ASSIGN_OR_RETURN(const Sexp* value, SingleValue(list));
  ByteView b = value->atom.view();
  if (HasNul(b)) return Invalid("NUL in account name or protocol");
  return std::string(b.begin(), b.end());
}

// Finds each named child list exactly once; refuses others.
template <size_t N>
Result<std::array<const Sexp*, N>> Children(const Sexp& list,
                                            const std::array<std::string_view, N>& names) {
  std::array<const Sexp*, N> found{};
  for (size_t i = 1; i < list.items.size(); ++i) {
    const Sexp& item = list.items[i];
    if (!item.is_list || item.items.empty() || item.items[0].is_list) {
      return Invalid("expected a (name ...) list");
    }
    size_t which = N;
    for (size_t n = 0; n < N; ++n) {
      if (item.items[0].IsAtom(names[n])) which = n;
    }
    if (which == N) return Invalid("unknown element");
    if (found[which] != nullptr) return Invalid("element given twice");
    found[which] = &item;
  }
  for (const Sexp* f : found) {
    if (f == nullptr) return Invalid("missing element");
  }
  return found;
}

Result<crypto::DsaPrivateKey> ParsePrivateKey(const Sexp& private_key) {
  if (private_key.items.size() != 2 || !private_key.items[1].is_list) {
    return Invalid("expected (private-key (dsa ...))");
  }
  const Sexp& algo = private_key.items[1];
  if (algo.items.empty() || algo.items[0].is_list) return Invalid("missing key algorithm");
  if (!algo.items[0].IsAtom("dsa")) return MakeError(ErrorCode::kUnknownType, "key is not DSA");
  OTR_ASSIGN_OR_RETURN(auto parts, Children<5>(algo, {"p", "q", "g", "y", "x"}));
  crypto::DsaPrivateKey key;
  OTR_ASSIGN_OR_RETURN(ByteView p, Number(*parts[0], kMaxDsaPSize));
  OTR_ASSIGN_OR_RETURN(ByteView q, Number(*parts[1], kMaxDsaQSize));
  OTR_ASSIGN_OR_RETURN(ByteView g, Number(*parts[2], kMaxDsaPSize));
  OTR_ASSIGN_OR_RETURN(ByteView y, Number(*parts[3], kMaxDsaPSize));
  OTR_ASSIGN_OR_RETURN(ByteView x, Number(*parts[4], kMaxDsaQSize));
  key.pub.p.assign(p.begin(), p.end());
  key.pub.q.assign(q.begin(), q.end());
  key.pub.g.assign(g.begin(), g.end());
  key.pub.y.assign(y.begin(), y.end());
  key.x = crypto::SecretBytes(x);
  return key;
}

Result<PrivateKeyEntry> ParseAccount(const Sexp& account) {
  OTR_ASSIGN_OR_RETURN(auto parts, Children<3>(account, {"name", "protocol", "private-key"}));
  PrivateKeyEntry entry;
  OTR_ASSIGN_OR_RETURN(entry.account_name, Text(*parts[0]));
  OTR_ASSIGN_OR_RETURN(entry.protocol, Text(*parts[1]));
  OTR_ASSIGN_OR_RETURN(entry.key, ParsePrivateKey(*parts[2]));
  return entry;
}

// The atom libgcrypt makes of a positive MPI (%m, GCRYMPI_FMT_STD): minimal
// two's complement, so a 0x00 byte goes first when the top bit is set.
Sexp MpiAtom(ByteView value) {
  while (!value.empty() && value[0] == 0) value = value.subspan(1);
  crypto::SecretBytes bytes(value.size() + ((!value.empty() && (value[0] & 0x80)) ? 1 : 0));
  std::copy(value.begin(), value.end(), bytes.data() + (bytes.size() - value.size()));
  if (bytes.size() > value.size()) bytes[0] = 0;
  return Sexp::Atom(bytes.view());
}

Sexp Pair(std::string_view head, Sexp value) {
  std::vector<Sexp> items;
  items.push_back(Sexp::Atom(head));
  items.push_back(std::move(value));
  return Sexp::List(std::move(items));
}

}  // namespace

Result<PrivateKeyFile> ParsePrivateKeyFile(std::string_view text) {
  OTR_ASSIGN_OR_RETURN(Sexp top, ParseSexp(text));
  if (top.items.empty() || !top.items[0].IsAtom("privkeys")) {
    return Invalid("file does not start with (privkeys");
  }
  PrivateKeyFile file;
  for (size_t i = 1; i < top.items.size(); ++i) {
    const Sexp& account = top.items[i];
    if (!account.is_list || account.items.empty() || !account.items[0].IsAtom("account")) {
      return Invalid("expected (account ...)");
    }
    OTR_ASSIGN_OR_RETURN(PrivateKeyEntry entry, ParseAccount(account));
    for (const PrivateKeyEntry& other : file.accounts) {
      if (other.account_name == entry.account_name && other.protocol == entry.protocol) {
        return Invalid("account given twice");
      }
    }
    file.accounts.push_back(std::move(entry));
  }
  return file;
}

// libotr's otrl_privkey_generate_FILEp and account_write: "(privkeys\n", per
// account " (account\n", the sprinted (name ...), (protocol ...) and
// (private-key ...), " )\n"; then ")\n".
Result<crypto::SecretBytes> WritePrivateKeyFile(const PrivateKeyFile& file) {
  // Reserve enough up front that the secret text is never copied by growth.
  size_t capacity = 16;
  for (const PrivateKeyEntry& entry : file.accounts) {
    capacity += 128 + 2 * (entry.account_name.size() + entry.protocol.size());
    capacity += 2 * (entry.key.pub.p.size() + entry.key.pub.q.size() + entry.key.pub.g.size() +
                     entry.key.pub.y.size() + entry.key.x.size() + 5);
  }
  std::string out;
  out.reserve(capacity);
  out += "(privkeys\n";
  for (const PrivateKeyEntry& entry : file.accounts) {
    if (HasNul(AsBytes(entry.account_name)) || HasNul(AsBytes(entry.protocol))) {
      crypto::SecureWipe(out.data(), out.size());
      return Invalid("NUL in account name or protocol");
    }
    out += " (account\n";
    PrintSexpAdvanced(Pair("name", Sexp::Atom(entry.account_name)), out);
    PrintSexpAdvanced(Pair("protocol", Sexp::Atom(entry.protocol)), out);
    std::vector<Sexp> dsa;
    dsa.push_back(Sexp::Atom("dsa"));
    dsa.push_back(Pair("p", MpiAtom(entry.key.pub.p)));
    dsa.push_back(Pair("q", MpiAtom(entry.key.pub.q)));
    dsa.push_back(Pair("g", MpiAtom(entry.key.pub.g)));
    dsa.push_back(Pair("y", MpiAtom(entry.key.pub.y)));
    dsa.push_back(Pair("x", MpiAtom(entry.key.x.view())));
    PrintSexpAdvanced(Pair("private-key", Sexp::List(std::move(dsa))), out);
    out += " )\n";
  }
  out += ")\n";
  crypto::SecretBytes result(AsBytes(out));
  crypto::SecureWipe(out.data(), out.size());
  return result;
}

}  // namespace otr::store
