#include "tests/vectors/otrv4/vector_io.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "base/error.h"

namespace otr::v4::vectors {
namespace {

int Nibble(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string HexWith(ByteView bytes, const char* digits) {
  std::string out;
  out.reserve(bytes.size() * 2);
  for (uint8_t b : bytes) {
    out.push_back(digits[b >> 4]);
    out.push_back(digits[b & 0x0f]);
  }
  return out;
}

}  // namespace

std::string Hex(ByteView bytes) { return HexWith(bytes, "0123456789abcdef"); }
std::string UpperHex(ByteView bytes) { return HexWith(bytes, "0123456789ABCDEF"); }

Bytes FromHex(std::string_view hex) {
  if (hex.size() % 2 != 0) throw VectorError("hex of odd length: " + std::string(hex));
  Bytes out;
  out.reserve(hex.size() / 2);
  for (size_t i = 0; i < hex.size(); i += 2) {
    const int hi = Nibble(hex[i]);
    const int lo = Nibble(hex[i + 1]);
    if (hi < 0 || lo < 0) throw VectorError("not hex: " + std::string(hex));
    out.push_back(static_cast<uint8_t>(hi << 4 | lo));
  }
  return out;
}

Bytes BigFromHex(std::string_view hex) {
  std::string even(hex.size() % 2 != 0 ? "0" : "");
  even += hex;
  Bytes bytes = FromHex(even);
  size_t zeros = 0;
  while (zeros < bytes.size() && bytes[zeros] == 0) ++zeros;
  return Bytes(bytes.begin() + static_cast<std::ptrdiff_t>(zeros), bytes.end());
}

std::string BigHex(ByteView big_endian) {
  size_t zeros = 0;
  while (zeros < big_endian.size() && big_endian[zeros] == 0) ++zeros;
  std::string hex = Hex(big_endian.subspan(zeros));
  if (!hex.empty() && hex[0] == '0') hex.erase(0, 1);
  return hex;
}

Bytes HexField(const Json& object, const char* key) { return FromHex(StringField(object, key)); }

std::string StringField(const Json& object, const char* key) {
  if (!object.is_object() || !object.contains(key) || !object[key].is_string()) {
    throw VectorError(std::string("no string field \"") + key + "\"");
  }
  return object[key].get<std::string>();
}

void ThrowError(const char* what, const Error& error) {
  throw VectorError(std::string(what) + " failed: " + std::string(ErrorCodeName(error.code)) +
                    " (" + std::string(error.context) + ")");
}

void Check(const Status& status, const char* what) {
  if (!status.ok()) ThrowError(what, status.error());
}

Json LoadJsonFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw VectorError("cannot open " + path);
  std::stringstream text;
  text << in.rdbuf();
  Json json = Json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) throw VectorError("malformed JSON in " + path);
  return json;
}

// Bazel runs a test in its runfiles tree, $TEST_SRCDIR/<workspace name>; the
// workspace is "otr".
Json LoadRunfile(const std::string& relative) {
  if (std::ifstream(relative)) return LoadJsonFile(relative);
  const char* srcdir = std::getenv("TEST_SRCDIR");
  if (srcdir == nullptr) throw VectorError("cannot find " + relative);
  return LoadJsonFile(std::string(srcdir) + "/otr/" + relative);
}

Json LoadPublishedFile(const std::string& name) {
  return LoadRunfile("tests/vectors/otrv4/" + name);
}

const std::vector<std::string>& PublishedFileNames() {
  static const std::vector<std::string> names = {
      "kdf.json",
      "hash_to_scalar.json",
      "keygen.json",
      "fingerprint.json",
      "dh3072.json",
      "points.json",
      "eddsa.json",
      "ring_signature.json",
      "client_profile.json",
      "prekey_profile.json",
      "messages.json",
      "prekey_server.json",
      "xzdh.json",
  };
  return names;
}

}  // namespace otr::v4::vectors
