#include "tests/crypto/test_util.h"

#include <cctype>

namespace otr::crypto::testing {
namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

Bytes FromHex(std::string_view hex) {
  Bytes out;
  int high = -1;
  for (char c : hex) {
    if (std::isspace(static_cast<unsigned char>(c))) continue;
    int digit = HexDigit(c);
    if (digit < 0) {
      ADD_FAILURE() << "bad hex digit '" << c << "' in test data";
      return out;
    }
    if (high < 0) {
      high = digit;
    } else {
      out.push_back(static_cast<uint8_t>(high << 4 | digit));
      high = -1;
    }
  }
  if (high >= 0) ADD_FAILURE() << "odd number of hex digits in test data";
  return out;
}

std::string ToHex(ByteView bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (uint8_t b : bytes) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 0xf]);
  }
  return out;
}

Bytes AddSmall(const Bytes& value, int delta) {
  Bytes out = value;
  int carry = delta;
  for (size_t i = out.size(); i-- > 0 && carry != 0;) {
    int sum = out[i] + carry;
    int next = 0;
    while (sum < 0) {
      sum += 256;
      --next;
    }
    next += sum / 256;
    out[i] = static_cast<uint8_t>(sum % 256);
    carry = next;
  }
  if (carry > 0) out.insert(out.begin(), static_cast<uint8_t>(carry));
  return out;
}

std::string BackendParamName(const ::testing::TestParamInfo<const Backend*>& info) {
  return std::string(info.param->name());
}

std::string CodeName(ErrorCode code) { return std::string(ErrorCodeName(code)); }

}  // namespace otr::crypto::testing
