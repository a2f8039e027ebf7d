#include "tools/keystore_v4.h"

#include <cstring>

#include "protocol/v4/crypto/fingerprint.h"
#include "protocol/v4/crypto/keys.h"
#include "protocol/v4/messages/profile.h"
#include "protocol/v4/profile/client_profile.h"
#include "protocol/v4/profile/expiration.h"
#include "tools/keystore.h"

namespace otr::tools {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

std::string Hex(ByteView bytes) {
  std::string out;
  out.reserve(bytes.size() * 2);
  for (uint8_t b : bytes) {
    out.push_back(kHexDigits[b >> 4]);
    out.push_back(kHexDigits[b & 15]);
  }
  return out;
}

// Hex of a secret appended in place (no temporary string left unwiped).
void AppendHex(std::string& out, ByteView bytes) {
  for (uint8_t b : bytes) {
    out.push_back(kHexDigits[b >> 4]);
    out.push_back(kHexDigits[b & 15]);
  }
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<Bytes> Unhex(std::string_view text) {
  if (text.size() % 2 != 0) return std::nullopt;
  Bytes out(text.size() / 2);
  for (size_t i = 0; i < out.size(); ++i) {
    const int hi = HexValue(text[2 * i]), lo = HexValue(text[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
  return out;
}

std::vector<std::string_view> Fields(std::string_view line) {
  std::vector<std::string_view> fields;
  size_t start = 0;
  for (;;) {
    const size_t tab = line.find('\t', start);
    fields.push_back(line.substr(start, tab == std::string_view::npos ? tab : tab - start));
    if (tab == std::string_view::npos) return fields;
    start = tab + 1;
  }
}

// Each line of `text` but comments and empty lines, with its number.
template <typename F>
Outcome<Done> ForEachLine(std::string_view text, F&& f) {
  size_t number = 0;
  while (!text.empty()) {
    ++number;
    const size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    // CRLF files read as LF ones; every trailing CR goes, so what is read
    // is what is written back (v4_key_files_fuzzer found "x\r\r").
    while (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    if (auto why = f(line); !why.empty()) {
      return Failure{"line " + std::to_string(number) + ": " + why};
    }
  }
  return Done{};
}

std::string_view AsText(const crypto::SecretBytes& bytes) {
  return std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

std::string V4KeysPath(const std::string& dir) { return dir + "/" + std::string(kV4KeyFileName); }
std::string V4FingerprintsPath(const std::string& dir) {
  return dir + "/" + std::string(kV4FingerprintFileName);
}
std::string V4PrekeysPath(const std::string& dir) {
  return dir + "/" + std::string(kV4PrekeyFileName);
}

// A decimal number of at most `max`, digits only.
std::optional<uint64_t> Decimal(std::string_view text, uint64_t max) {
  if (text.empty() || text.size() > 19) return std::nullopt;
  uint64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  if (v > max) return std::nullopt;
  return v;
}

// A secret in hex of exactly `size` bytes; the decoded copy is wiped.
std::optional<crypto::SecretBytes> SecretHex(std::string_view text, size_t size) {
  auto bytes = Unhex(text);
  if (!bytes) return std::nullopt;
  std::optional<crypto::SecretBytes> out;
  if (bytes->size() == size) out.emplace(ByteView(*bytes));
  crypto::SecureWipe(bytes->data(), bytes->size());
  return out;
}

// The sizes of the secrets in otr.v4_prekeys (otrv4.md "generateECDH",
// "generateDH": 57 and 80 random bytes).
constexpr size_t kEcdhSecretSize = 57;
constexpr size_t kDhSecretSize = 80;

}  // namespace

Outcome<std::vector<V4KeyEntry>> ParseV4Keys(std::string_view text) {
  std::vector<V4KeyEntry> entries;
  auto done = ForEachLine(text, [&](std::string_view line) -> std::string {
    const auto f = Fields(line);
    if (f.size() != 4 && f.size() != 5) return "want ACCOUNT PROTOCOL SYM_H F [CLIENT_PROFILE]";
    V4KeyEntry e;
    e.account = std::string(f[0]);
    e.protocol = std::string(f[1]);
    if (e.account.empty() || e.protocol.empty()) return "empty account or protocol";
    auto sym = Unhex(f[2]);
    if (!sym || sym->size() != v4::kSymKeySize) return "SYM_H is not 57 bytes of hex";
    e.sym_h = crypto::SecretBytes(ByteView(*sym));
    crypto::SecureWipe(sym->data(), sym->size());
    auto forging = Unhex(f[3]);
    if (!forging || forging->size() != e.forging.size()) return "F is not 57 bytes of hex";
    std::memcpy(e.forging.data(), forging->data(), e.forging.size());
    if (f.size() == 5 && !f[4].empty()) {
      auto profile = Unhex(f[4]);
      if (!profile) return "CLIENT_PROFILE is not hex";
      e.client_profile = std::move(*profile);
    }
    entries.push_back(std::move(e));
    return {};
  });
  if (!done.ok()) return Failure{done.error()};
  return entries;
}

crypto::SecretBytes WriteV4Keys(const std::vector<V4KeyEntry>& entries) {
  std::string text =
      "# otr v4 keys (docs/otr-cli.md): ACCOUNT PROTOCOL SYM_H F [CLIENT_PROFILE], tab-separated\n";
  for (const auto& e : entries) {
    text += e.account + "\t" + e.protocol + "\t" + Hex(e.sym_h.view()) + "\t" +
            Hex(ByteView(e.forging.data(), e.forging.size()));
    if (!e.client_profile.empty()) text += "\t" + Hex(e.client_profile);
    text += "\n";
  }
  crypto::SecretBytes out(ByteView(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
  crypto::SecureWipe(text.data(), text.size());
  return out;
}

Outcome<std::vector<V4FingerprintEntry>> ParseV4Fingerprints(std::string_view text) {
  std::vector<V4FingerprintEntry> entries;
  auto done = ForEachLine(text, [&](std::string_view line) -> std::string {
    const auto f = Fields(line);
    if (f.size() != 4 && f.size() != 5) return "want USERNAME ACCOUNT PROTOCOL FINGERPRINT [TRUST]";
    auto fp = Unhex(f[3]);
    if (!fp || fp->size() != store::kV4FingerprintSize) return "FINGERPRINT is not 112 hex digits";
    entries.push_back(
        V4FingerprintEntry{std::string(f[0]), std::string(f[1]), std::string(f[2]),
                           store::PeerFingerprint(store::FingerprintKind::kV4Ed448, *fp),
                           f.size() == 5 ? std::string(f[4]) : std::string()});
    return {};
  });
  if (!done.ok()) return Failure{done.error()};
  return entries;
}

std::string WriteV4Fingerprints(const std::vector<V4FingerprintEntry>& entries) {
  std::string text =
      "# otr v4 fingerprints (docs/otr-cli.md): USERNAME ACCOUNT PROTOCOL FINGERPRINT TRUST\n";
  for (const auto& e : entries) {
    text += e.username + "\t" + e.account + "\t" + e.protocol + "\t" + Hex(e.fingerprint.bytes) +
            "\t" + e.trust + "\n";
  }
  return text;
}

Outcome<std::vector<V4PrekeyEntry>> ParseV4Prekeys(std::string_view text) {
  std::vector<V4PrekeyEntry> entries;
  auto done = ForEachLine(text, [&](std::string_view line) -> std::string {
    const auto f = Fields(line);
    const bool profile = f.size() == 6 && f[2] == "profile";
    const bool prekey = f.size() == 8 && f[2] == "prekey";
    if (!profile && !prekey) {
      return "want ACCOUNT PROTOCOL profile EXPIRES PREKEY_PROFILE SK_D or "
             "ACCOUNT PROTOCOL prekey EXPIRES ID TAG Y B";
    }
    V4PrekeyEntry e;
    e.account = std::string(f[0]);
    e.protocol = std::string(f[1]);
    if (e.account.empty() || e.protocol.empty()) return "empty account or protocol";
    auto expires = Decimal(f[3], uint64_t{INT64_MAX});
    if (!expires) return "EXPIRES is not a decimal time";
    e.expires = static_cast<int64_t>(*expires);
    if (profile) {
      e.kind = V4PrekeyEntry::Kind::kProfile;
      auto encoded = Unhex(f[4]);
      if (!encoded || encoded->empty()) return "PREKEY_PROFILE is not hex";
      e.prekey_profile = std::move(*encoded);
      auto secret = SecretHex(f[5], kEcdhSecretSize);
      if (!secret) return "SK_D is not 57 bytes of hex";
      e.secret = std::move(*secret);
    } else {
      e.kind = V4PrekeyEntry::Kind::kPrekey;
      auto id = Decimal(f[4], UINT32_MAX);
      auto tag = Decimal(f[5], UINT32_MAX);
      if (!id || !tag) return "ID and TAG are not 32-bit decimal numbers";
      e.identifier = static_cast<uint32_t>(*id);
      e.owner_tag = static_cast<uint32_t>(*tag);
      auto y = SecretHex(f[6], kEcdhSecretSize);
      auto b = SecretHex(f[7], kDhSecretSize);
      if (!y || !b) return "Y is not 57 bytes or B not 80 bytes of hex";
      e.secret = std::move(*y);
      e.dh_secret = std::move(*b);
    }
    entries.push_back(std::move(e));
    return {};
  });
  if (!done.ok()) return Failure{done.error()};
  return entries;
}

crypto::SecretBytes WriteV4Prekeys(const std::vector<V4PrekeyEntry>& entries) {
  std::string text =
      "# otr v4 prekey secrets (docs/otr-cli.md): ACCOUNT PROTOCOL profile EXPIRES PREKEY_PROFILE "
      "SK_D / ACCOUNT PROTOCOL prekey EXPIRES ID TAG Y B, tab-separated\n";
  // Room for every line first: the text holds secrets, and a reallocation
  // would leave a copy behind that is never wiped.
  size_t size = text.size();
  for (const auto& e : entries) {
    size += e.account.size() + e.protocol.size() + 2 * e.prekey_profile.size() +
            2 * (e.secret.size() + e.dh_secret.size()) + 80;
  }
  text.reserve(size);
  for (const auto& e : entries) {
    text += e.account + "\t" + e.protocol + "\t";
    if (e.kind == V4PrekeyEntry::Kind::kProfile) {
      text += "profile\t" + std::to_string(e.expires) + "\t" + Hex(e.prekey_profile) + "\t";
      AppendHex(text, e.secret.view());
    } else {
      text += "prekey\t" + std::to_string(e.expires) + "\t" + std::to_string(e.identifier) + "\t" +
              std::to_string(e.owner_tag) + "\t";
      AppendHex(text, e.secret.view());
      text += "\t";
      AppendHex(text, e.dh_secret.view());
    }
    text += "\n";
  }
  crypto::SecretBytes out(ByteView(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
  crypto::SecureWipe(text.data(), text.size());
  return out;
}

Outcome<std::vector<V4PrekeyEntry>> LoadV4Prekeys(const std::string& dir) {
  const std::string path = V4PrekeysPath(dir);
  auto text = ReadPrivateFile(path);
  if (!text.ok()) return Failure{text.error()};
  if (!text->has_value()) return std::vector<V4PrekeyEntry>{};
  auto parsed = ParseV4Prekeys(AsText(**text));
  if (!parsed.ok()) return Failure{path + ": " + parsed.error()};
  return parsed;
}

Outcome<Done> SaveV4Prekeys(const std::string& dir, const std::vector<V4PrekeyEntry>& entries) {
  return WritePrivateFile(V4PrekeysPath(dir), WriteV4Prekeys(entries).view(), /*replace=*/true);
}

Outcome<std::vector<V4KeyEntry>> LoadV4Keys(const std::string& dir) {
  const std::string path = V4KeysPath(dir);
  auto text = ReadPrivateFile(path);
  if (!text.ok()) return Failure{text.error()};
  if (!text->has_value()) return std::vector<V4KeyEntry>{};
  auto parsed = ParseV4Keys(AsText(**text));
  if (!parsed.ok()) return Failure{path + ": " + parsed.error()};
  return parsed;
}

Outcome<Done> SaveV4Keys(const std::string& dir, const std::vector<V4KeyEntry>& entries) {
  return WritePrivateFile(V4KeysPath(dir), WriteV4Keys(entries).view(), /*replace=*/true);
}

Outcome<std::vector<V4FingerprintEntry>> LoadV4Fingerprints(const std::string& dir) {
  const std::string path = V4FingerprintsPath(dir);
  auto text = ReadPrivateFile(path);
  if (!text.ok()) return Failure{text.error()};
  if (!text->has_value()) return std::vector<V4FingerprintEntry>{};
  auto parsed = ParseV4Fingerprints(AsText(**text));
  if (!parsed.ok()) return Failure{path + ": " + parsed.error()};
  return parsed;
}

Outcome<Done> SaveV4Fingerprints(const std::string& dir,
                                 const std::vector<V4FingerprintEntry>& entries) {
  const std::string text = WriteV4Fingerprints(entries);
  return WritePrivateFile(V4FingerprintsPath(dir),
                          ByteView(reinterpret_cast<const uint8_t*>(text.data()), text.size()),
                          /*replace=*/true);
}

V4KeyEntry* FindV4Key(std::vector<V4KeyEntry>& entries, std::string_view account,
                      std::string_view protocol) {
  for (auto& e : entries) {
    if (e.account == account && e.protocol == protocol) return &e;
  }
  return nullptr;
}

Outcome<V4KeyEntry> GenerateV4Key(const crypto::Backend& backend, crypto::Random& random,
                                  std::string account, std::string protocol) {
  auto h = v4::GenerateLongTermKeyPair(backend, random);
  auto f = v4::GenerateForgingPoint(backend, random);
  if (!h.ok() || !f.ok()) return Failure{"v4 key generation failed"};
  V4KeyEntry e;
  e.account = std::move(account);
  e.protocol = std::move(protocol);
  e.sym_h = std::move(h->sym_key);
  e.forging = backend.Ed448Encode(*f);
  return e;
}

Outcome<v4::Identity> V4IdentityOf(const crypto::Backend& backend, V4KeyEntry& entry,
                                   wire::InstanceTag tag, const crypto::DsaPrivateKey* dsa,
                                   int64_t now, crypto::Random& random, bool* renewed) {
  if (renewed != nullptr) *renewed = false;
  auto h = v4::DeriveEd448KeyPair(backend, entry.sym_h);
  if (!h.ok()) return Failure{"the stored v4 long-term key is unusable"};
  auto f = backend.Ed448Decode(ByteView(entry.forging.data(), entry.forging.size()));
  if (!f.ok()) return Failure{"the stored v4 forging key is not a valid point"};
  v4::Identity id;
  id.long_term = std::move(h).value();
  id.forging_key = *f;
  if (!entry.client_profile.empty()) {
    auto stored = v4::DecodeClientProfile(entry.client_profile);
    if (stored.ok() && stored->owner_instance_tag == tag &&
        stored->public_key == backend.Ed448Encode(id.long_term.pub) &&
        stored->forging_key == entry.forging &&
        v4::profile::ValidateClientProfile(backend, *stored, tag, now).ok() &&
        !v4::profile::ShouldRenew(stored->expiration, now)) {
      id.client_profile = std::move(stored).value();
      return id;
    }
  }
  v4::profile::ClientProfileParams params;
  params.owner_instance_tag = tag;
  params.forging_key = id.forging_key;
  params.versions = dsa != nullptr ? "43" : "4";
  params.expiration = v4::profile::ExpirationFrom(now);
  params.dsa_key = dsa;
  auto profile = v4::profile::CreateClientProfile(backend, entry.sym_h, params, random);
  if (!profile.ok()) return Failure{"cannot make the v4 Client Profile"};
  id.client_profile = std::move(profile).value();
  entry.client_profile = v4::EncodeClientProfile(id.client_profile);
  if (renewed != nullptr) *renewed = true;
  return id;
}

Outcome<store::PeerFingerprint> V4FingerprintOf(const crypto::Backend& backend,
                                                const V4KeyEntry& entry) {
  auto h = v4::DeriveEd448KeyPair(backend, entry.sym_h);
  auto f = backend.Ed448Decode(ByteView(entry.forging.data(), entry.forging.size()));
  if (!h.ok() || !f.ok()) return Failure{"the stored v4 key is unusable"};
  return v4::ToPeerFingerprint(v4::ComputeFingerprint(backend, h->pub, *f));
}

V4FingerprintEntry* FindV4Fingerprint(std::vector<V4FingerprintEntry>& entries,
                                      std::string_view username, std::string_view account,
                                      std::string_view protocol, const store::PeerFingerprint& fp) {
  for (auto& e : entries) {
    if (e.username == username && e.account == account && e.protocol == protocol &&
        e.fingerprint == fp) {
      return &e;
    }
  }
  return nullptr;
}

bool SetV4FingerprintTrust(std::vector<V4FingerprintEntry>& entries, std::string_view username,
                           std::string_view account, std::string_view protocol,
                           const store::PeerFingerprint& fp, std::string_view trust) {
  if (auto* e = FindV4Fingerprint(entries, username, account, protocol, fp)) {
    if (e->trust == trust) return false;
    e->trust = std::string(trust);
    return true;
  }
  entries.push_back(V4FingerprintEntry{std::string(username), std::string(account),
                                       std::string(protocol), fp, std::string(trust)});
  return true;
}

std::optional<store::PeerFingerprint> ParseUserV4Fingerprint(std::string_view text) {
  std::string hex;
  size_t group = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == ' ') {
      if (group != 8) return std::nullopt;
      group = 0;
      continue;
    }
    if (HexValue(c) < 0) return std::nullopt;
    hex.push_back(c);
    ++group;
  }
  if (!text.empty() && text.back() == ' ') return std::nullopt;
  auto bytes = Unhex(hex);
  if (!bytes || bytes->size() != store::kV4FingerprintSize) return std::nullopt;
  return store::PeerFingerprint(store::FingerprintKind::kV4Ed448, *bytes);
}

}  // namespace otr::tools
