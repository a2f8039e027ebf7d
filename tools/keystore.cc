#include "tools/keystore.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace otr::tools {
namespace {

Failure SystemFailure(const std::string& what, const std::string& path) {
  return Failure{what + " " + path + ": " + std::strerror(errno)};
}

std::string ParentOf(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

// mkdir -p with mode 0700 for the directories it creates.
Outcome<Done> MakeDirectories(const std::string& dir) {
  struct stat st;
  if (stat(dir.c_str(), &st) == 0) {
    if (!S_ISDIR(st.st_mode)) return Failure{dir + " is not a directory"};
    return Done{};
  }
  if (errno != ENOENT) return SystemFailure("cannot reach", dir);
  const std::string parent = ParentOf(dir);
  if (parent != dir) {
    auto made = MakeDirectories(parent);
    if (!made.ok()) return made;
  }
  if (mkdir(dir.c_str(), 0700) != 0) {
    if (errno == EEXIST) return Done{};
    return SystemFailure("cannot create directory", dir);
  }
  // Exactly 0700, whatever the umask took away.
  if (chmod(dir.c_str(), 0700) != 0) return SystemFailure("cannot set the mode of", dir);
  return Done{};
}

bool WriteAll(int fd, ByteView data) {
  size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

std::string_view AsText(const crypto::SecretBytes& bytes) {
  return std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

ByteView AsBytes(std::string_view text) {
  return ByteView(reinterpret_cast<const uint8_t*>(text.data()), text.size());
}

// In words for the user: the decoder's context, never the enum's name.
std::string Describe(const Error& e) { return std::string(e.context); }

bool SameKey(const crypto::DsaPrivateKey& a, const crypto::DsaPrivateKey& b) {
  return a.pub == b.pub && a.x == b.x;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::optional<std::string> DefaultDir(const char* xdg_config_home, const char* home) {
  if (xdg_config_home != nullptr && xdg_config_home[0] == '/') {
    return std::string(xdg_config_home) + "/otr";
  }
  if (home != nullptr && home[0] == '/') return std::string(home) + "/.config/otr";
  return std::nullopt;
}

std::optional<std::string> DefaultDirFromEnvironment() {
  return DefaultDir(std::getenv("XDG_CONFIG_HOME"), std::getenv("HOME"));
}

StorePaths StorePaths::In(const std::string& dir) {
  return StorePaths{dir, dir + "/" + std::string(kPrivateKeyFileName),
                    dir + "/" + std::string(kFingerprintFileName),
                    dir + "/" + std::string(kInstagFileName)};
}

Outcome<std::optional<crypto::SecretBytes>> ReadPrivateFile(const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return std::optional<crypto::SecretBytes>();
    return SystemFailure("cannot open", path);
  }
  // Grows by doubling; every buffer that held file bytes is wiped.
  crypto::SecretBytes buffer(4096);
  size_t used = 0;
  for (;;) {
    if (used == buffer.size()) {
      if (buffer.size() >= (size_t{64} << 20)) {
        close(fd);
        return Failure{path + " is too large"};
      }
      crypto::SecretBytes bigger(buffer.size() * 2);
      std::memcpy(bigger.data(), buffer.data(), used);
      buffer = std::move(bigger);
    }
    const ssize_t n = read(fd, buffer.data() + used, buffer.size() - used);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      auto failure = SystemFailure("cannot read", path);
      close(fd);
      return failure;
    }
    if (n == 0) break;
    used += static_cast<size_t>(n);
  }
  close(fd);
  return std::optional<crypto::SecretBytes>(crypto::SecretBytes(ByteView(buffer.data(), used)));
}

Outcome<Done> WritePrivateFile(const std::string& path, ByteView data, bool replace) {
  const std::string dir = ParentOf(path);
  auto made = MakeDirectories(dir);
  if (!made.ok()) return made;
  if (!replace && access(path.c_str(), F_OK) == 0) {
    return Failure{path + " exists (use --force to replace it)"};
  }
  std::string temp = path + ".tmpXXXXXX";
  const int fd = mkstemp(temp.data());
  if (fd < 0) return SystemFailure("cannot create a temporary file beside", path);
  // mkstemp makes 0600 files, but the umask could clear bits; fchmod sets
  // exactly 0600.
  if (fchmod(fd, 0600) != 0 || !WriteAll(fd, data) || fsync(fd) != 0) {
    auto failure = SystemFailure("cannot write", temp);
    close(fd);
    unlink(temp.c_str());
    return failure;
  }
  if (close(fd) != 0) {
    auto failure = SystemFailure("cannot write", temp);
    unlink(temp.c_str());
    return failure;
  }
  if (replace) {
    if (rename(temp.c_str(), path.c_str()) != 0) {
      auto failure = SystemFailure("cannot rename the new file to", path);
      unlink(temp.c_str());
      return failure;
    }
    return Done{};
  }
  // link() fails if the name exists, so a file created meanwhile survives.
  if (link(temp.c_str(), path.c_str()) != 0) {
    auto failure = errno == EEXIST ? Failure{path + " exists (use --force to replace it)"}
                                   : SystemFailure("cannot create", path);
    unlink(temp.c_str());
    return failure;
  }
  unlink(temp.c_str());
  return Done{};
}

Outcome<store::PrivateKeyFile> LoadKeys(const std::string& path) {
  auto text = ReadPrivateFile(path);
  if (!text.ok()) return Failure{text.error()};
  if (!text->has_value()) return store::PrivateKeyFile{};
  auto parsed = store::ParsePrivateKeyFile(AsText(**text));
  if (!parsed.ok()) {
    return Failure{path + " is not a libotr private-key file: " + Describe(parsed.error())};
  }
  return std::move(parsed).value();
}

Outcome<std::vector<store::FingerprintEntry>> LoadFingerprints(const std::string& path) {
  auto text = ReadPrivateFile(path);
  if (!text.ok()) return Failure{text.error()};
  if (!text->has_value()) return std::vector<store::FingerprintEntry>{};
  auto parsed = store::ParseFingerprintFile(AsText(**text));
  if (!parsed.ok()) {
    return Failure{path + " is not a libotr fingerprints file: " + Describe(parsed.error())};
  }
  return std::move(parsed).value();
}

Outcome<std::vector<store::InstagEntry>> LoadInstags(const std::string& path) {
  auto text = ReadPrivateFile(path);
  if (!text.ok()) return Failure{text.error()};
  if (!text->has_value()) return std::vector<store::InstagEntry>{};
  auto parsed = store::ParseInstagFile(AsText(**text));
  if (!parsed.ok()) {
    return Failure{path + " is not a libotr instance tag file: " + Describe(parsed.error())};
  }
  return std::move(parsed).value();
}

Outcome<Done> SaveKeys(const std::string& path, const store::PrivateKeyFile& keys, bool replace) {
  auto text = store::WritePrivateKeyFile(keys);
  if (!text.ok()) return Failure{"cannot encode the keys: " + Describe(text.error())};
  return WritePrivateFile(path, text->view(), replace);
}

Outcome<Done> SaveFingerprints(const std::string& path,
                               const std::vector<store::FingerprintEntry>& entries, bool replace) {
  auto text = store::WriteFingerprintFile(entries);
  if (!text.ok()) return Failure{"cannot encode the fingerprints: " + Describe(text.error())};
  return WritePrivateFile(path, AsBytes(*text), replace);
}

Outcome<Done> SaveInstags(const std::string& path, const std::vector<store::InstagEntry>& entries,
                          bool replace) {
  auto text = store::WriteInstagFile(entries);
  if (!text.ok()) return Failure{"cannot encode the instance tags: " + Describe(text.error())};
  return WritePrivateFile(path, AsBytes(*text), replace);
}

const store::InstagEntry* FindInstag(const std::vector<store::InstagEntry>& entries,
                                     std::string_view account, std::string_view protocol) {
  for (const auto& e : entries) {
    if (e.accountname == account && e.protocol == protocol) return &e;
  }
  return nullptr;
}

const store::PrivateKeyEntry* FindKey(const store::PrivateKeyFile& keys, std::string_view account,
                                      std::string_view protocol) {
  for (const auto& entry : keys.accounts) {
    if (entry.account_name == account && entry.protocol == protocol) return &entry;
  }
  return nullptr;
}

Outcome<const store::PrivateKeyEntry*> ChooseKey(const store::PrivateKeyFile& keys,
                                                 std::string_view account,
                                                 std::string_view protocol) {
  if (!account.empty()) {
    if (const auto* key = FindKey(keys, account, protocol)) return key;
    return Failure{"no key for account '" + std::string(account) + "' (" + std::string(protocol) +
                   "); make one with: otr keygen --account " + std::string(account)};
  }
  const store::PrivateKeyEntry* only = nullptr;
  std::string names;
  int count = 0;
  for (const auto& entry : keys.accounts) {
    if (entry.protocol != protocol) continue;
    only = &entry;
    names += (count++ == 0 ? "" : ", ") + entry.account_name;
  }
  if (count == 1) return only;
  if (count == 0) {
    std::string others;
    for (const auto& entry : keys.accounts) {
      others += (others.empty() ? "" : ", ") + entry.account_name + " (" + entry.protocol + ")";
    }
    return Failure{"no key for protocol " + std::string(protocol) +
                   (others.empty()
                        ? std::string()
                        : "; there are keys for " + others + ": choose one with --protocol") +
                   "; or make one with: otr keygen --account NAME"};
  }
  return Failure{"several accounts have keys (" + names + "): choose one with --account"};
}

store::FingerprintEntry* FindFingerprint(std::vector<store::FingerprintEntry>& entries,
                                         std::string_view username, std::string_view account,
                                         std::string_view protocol, const store::Fingerprint& fp) {
  for (auto& e : entries) {
    if (e.username == username && e.accountname == account && e.protocol == protocol &&
        e.fingerprint == fp) {
      return &e;
    }
  }
  return nullptr;
}

bool SetFingerprintTrust(std::vector<store::FingerprintEntry>& entries, std::string_view username,
                         std::string_view account, std::string_view protocol,
                         const store::Fingerprint& fp, std::string_view trust) {
  if (auto* e = FindFingerprint(entries, username, account, protocol, fp)) {
    if (e->trust == trust) return false;
    e->trust = std::string(trust);
    return true;
  }
  entries.push_back(store::FingerprintEntry{std::string(username), std::string(account),
                                            std::string(protocol), fp, std::string(trust)});
  return true;
}

MergeCounts MergeKeys(store::PrivateKeyFile& into, const store::PrivateKeyFile& from,
                      bool replace) {
  MergeCounts counts;
  for (const auto& entry : from.accounts) {
    store::PrivateKeyEntry* existing = nullptr;
    for (auto& e : into.accounts) {
      if (e.account_name == entry.account_name && e.protocol == entry.protocol) existing = &e;
    }
    if (existing == nullptr) {
      into.accounts.push_back(entry);
      ++counts.added;
    } else if (SameKey(existing->key, entry.key)) {
      ++counts.same;
    } else if (replace) {
      existing->key = entry.key;
      ++counts.replaced;
    } else {
      ++counts.conflicts;
    }
  }
  return counts;
}

MergeCounts MergeFingerprints(std::vector<store::FingerprintEntry>& into,
                              const std::vector<store::FingerprintEntry>& from, bool replace) {
  MergeCounts counts;
  for (const auto& entry : from) {
    auto* existing =
        FindFingerprint(into, entry.username, entry.accountname, entry.protocol, entry.fingerprint);
    if (existing == nullptr) {
      into.push_back(entry);
      ++counts.added;
    } else if (existing->trust == entry.trust) {
      ++counts.same;
    } else if (replace) {
      existing->trust = entry.trust;
      ++counts.replaced;
    } else {
      ++counts.conflicts;
    }
  }
  return counts;
}

MergeCounts MergeInstags(std::vector<store::InstagEntry>& into,
                         const std::vector<store::InstagEntry>& from, bool replace) {
  MergeCounts counts;
  for (const auto& entry : from) {
    store::InstagEntry* existing = nullptr;
    for (auto& e : into) {
      if (e.accountname == entry.accountname && e.protocol == entry.protocol) existing = &e;
    }
    if (existing == nullptr) {
      into.push_back(entry);
      ++counts.added;
    } else if (existing->instag == entry.instag) {
      ++counts.same;
    } else if (replace) {
      existing->instag = entry.instag;
      ++counts.replaced;
    } else {
      ++counts.conflicts;
    }
  }
  return counts;
}

std::optional<store::Fingerprint> ParseUserFingerprint(std::string_view text) {
  // Spaces are allowed only between groups of eight (the human form).
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
  auto fp = store::FingerprintFromHex(hex);
  if (!fp.ok()) return std::nullopt;
  return *fp;
}

}  // namespace otr::tools
