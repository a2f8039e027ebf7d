#include "tools/prekey_server/key_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "crypto/secret_bytes.h"
#include "protocol/v4/crypto/fingerprint.h"

namespace otr::prekey_server {
namespace {

constexpr size_t kSymKeySize = 57;
constexpr size_t kFileSize = 2 * kSymKeySize + 1;  // hex digits and '\n'
constexpr char kHex[] = "0123456789ABCDEF";

int HexValue(uint8_t c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Result<v4::Ed448KeyPair> Load(const crypto::Backend& backend, int fd) {
  // One byte more than a key file, to tell a longer file.
  crypto::SecretBytes text(kFileSize + 1);
  size_t got = 0;
  while (got < text.size()) {
    const ssize_t n = read(fd, text.data() + got, text.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return MakeError(ErrorCode::kBackendFailure, "key file: read failed");
    if (n == 0) break;
    got += static_cast<size_t>(n);
  }
  return ParseKeyFile(backend, text.view().first(got));
}

}  // namespace

Result<v4::Ed448KeyPair> ParseKeyFile(const crypto::Backend& backend, ByteView text) {
  if (text.size() != kFileSize || text[kFileSize - 1] != '\n') {
    return MakeError(ErrorCode::kInvalidEncoding, "key file: 114 hex digits and a newline");
  }
  crypto::SecretBytes sym(kSymKeySize);
  for (size_t i = 0; i < kSymKeySize; ++i) {
    const int hi = HexValue(text[2 * i]);
    const int lo = HexValue(text[2 * i + 1]);
    if (hi < 0 || lo < 0) return MakeError(ErrorCode::kInvalidEncoding, "key file: not hex");
    sym.data()[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
  return v4::DeriveEd448KeyPair(backend, sym);
}

crypto::SecretBytes FormatKeyFile(const crypto::SecretBytes& sym_key) {
  crypto::SecretBytes text(2 * sym_key.size() + 1);
  for (size_t i = 0; i < sym_key.size(); ++i) {
    text.data()[2 * i] = static_cast<uint8_t>(kHex[sym_key.data()[i] >> 4]);
    text.data()[2 * i + 1] = static_cast<uint8_t>(kHex[sym_key.data()[i] & 15]);
  }
  text.data()[text.size() - 1] = '\n';
  return text;
}

Result<v4::Ed448KeyPair> LoadOrCreateKey(const crypto::Backend& backend, crypto::Random& random,
                                         const std::string& path, bool* created) {
  *created = false;
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd >= 0) {
    auto key = Load(backend, fd);
    close(fd);
    return key;
  }
  if (errno != ENOENT) return MakeError(ErrorCode::kBackendFailure, "key file: cannot open");
  auto key = v4::GenerateLongTermKeyPair(backend, random);
  if (!key.ok()) return key.error();
  // O_EXCL: never replace a key another process wrote meanwhile.
  fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return MakeError(ErrorCode::kBackendFailure, "key file: cannot create");
  const crypto::SecretBytes text = FormatKeyFile(key->sym_key);
  const bool ok =
      write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && fsync(fd) == 0;
  close(fd);
  if (!ok) {
    unlink(path.c_str());
    return MakeError(ErrorCode::kBackendFailure, "key file: write failed");
  }
  *created = true;
  return key;
}

std::string FingerprintHex(const crypto::Backend& backend, const v4::Ed448KeyPair& key) {
  const v4::Fingerprint fp = v4::ComputePrekeyServerFingerprint(backend, key.pub);
  std::string hex;
  for (uint8_t b : fp) {
    hex += kHex[b >> 4];
    hex += kHex[b & 15];
  }
  return hex;
}

}  // namespace otr::prekey_server
