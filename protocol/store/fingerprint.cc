#include "protocol/store/fingerprint.h"

#include <algorithm>

#include "protocol/wire/writer.h"

namespace otr::store {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void AppendHex(uint8_t b, const char* digits, std::string& out) {
  out.push_back(digits[b >> 4]);
  out.push_back(digits[b & 0xf]);
}

}  // namespace

Bytes FingerprintInput(const crypto::DsaPublicKey& key) {
  wire::Writer writer;
  writer.WriteMpi(key.p);
  writer.WriteMpi(key.q);
  writer.WriteMpi(key.g);
  writer.WriteMpi(key.y);
  return std::move(writer).Finish();
}

Fingerprint ComputeFingerprint(const crypto::Backend& backend, const crypto::DsaPublicKey& key) {
  Bytes digest = backend.Hash(crypto::HashAlgorithm::kSha1, FingerprintInput(key));
  Fingerprint fp{};
  std::copy_n(digest.begin(), std::min(digest.size(), fp.size()), fp.begin());
  return fp;
}

std::string FingerprintToHuman(const Fingerprint& fp) {
  std::string out;
  for (size_t i = 0; i < fp.size(); ++i) {
    if (i > 0 && i % 4 == 0) out.push_back(' ');
    AppendHex(fp[i], "0123456789ABCDEF", out);
  }
  return out;
}

Result<Fingerprint> FingerprintFromHuman(std::string_view text) {
  // 8 hex digits, then (space, 8 hex digits) four times: 44 characters.
  if (text.size() != 44) return MakeError(ErrorCode::kInvalidEncoding, "fingerprint not 44 chars");
  std::string hex;
  for (size_t i = 0; i < text.size(); ++i) {
    if (i % 9 == 8) {
      if (text[i] != ' ') return MakeError(ErrorCode::kInvalidEncoding, "fingerprint groups");
    } else {
      hex.push_back(text[i]);
    }
  }
  return FingerprintFromHex(hex);
}

std::string FingerprintToHex(const Fingerprint& fp) {
  std::string out;
  for (uint8_t b : fp) AppendHex(b, "0123456789abcdef", out);
  return out;
}

Result<Fingerprint> FingerprintFromHex(std::string_view text) {
  if (text.size() != 2 * kFingerprintSize) {
    return MakeError(ErrorCode::kInvalidEncoding, "fingerprint not 40 hex digits");
  }
  Fingerprint fp{};
  for (size_t i = 0; i < fp.size(); ++i) {
    int hi = HexValue(text[2 * i]), lo = HexValue(text[2 * i + 1]);
    if (hi < 0 || lo < 0) return MakeError(ErrorCode::kInvalidEncoding, "bad hex digit");
    fp[i] = static_cast<uint8_t>(hi * 16 + lo);
  }
  return fp;
}

std::optional<Fingerprint> PeerFingerprint::AsV3() const {
  if (kind != FingerprintKind::kV3Dsa || bytes.size() != kFingerprintSize) return std::nullopt;
  Fingerprint fp{};
  std::copy(bytes.begin(), bytes.end(), fp.begin());
  return fp;
}

std::strong_ordering operator<=>(const PeerFingerprint& a, const PeerFingerprint& b) {
  if (a.kind != b.kind) return a.kind <=> b.kind;
  return std::lexicographical_compare_three_way(a.bytes.begin(), a.bytes.end(), b.bytes.begin(),
                                                b.bytes.end());
}

std::string PeerFingerprintToHuman(const PeerFingerprint& fp) {
  if (auto v3 = fp.AsV3()) return FingerprintToHuman(*v3);
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  const ByteView bytes = fp.bytes.view();
  out.reserve(bytes.size() * 2 + bytes.size() / 4);  // hex digits and spaces
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (i != 0 && i % 4 == 0) out += ' ';
    out += kHex[bytes[i] >> 4];
    out += kHex[bytes[i] & 0xf];
  }
  return out;
}

}  // namespace otr::store
