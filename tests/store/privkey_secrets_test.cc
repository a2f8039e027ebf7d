// Reading a private-key file leaves no copy of x in freed heap memory
// (issue 14, finding 4): atoms used to be collected in growing vectors,
// whose reallocations returned partial copies of x to the allocator
// unwiped. Every freed block is scanned (tests/crypto/freed_memory_scan.h)
// while the file is parsed and while the result is destroyed.
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "protocol/store/privkey_file.h"
#include "protocol/store/sexp.h"
#include "tests/crypto/freed_memory_scan.h"

namespace otr::store {
namespace {

using otr::testing::FreedMemoryScan;

// 20 bytes of x that occur nowhere else in the file.
const Bytes kX = {0x3a, 0x91, 0x5c, 0x07, 0xe2, 0x48, 0xbd, 0x16, 0x7f, 0xc4,
                  0x29, 0x83, 0x5e, 0xa1, 0x0b, 0xd6, 0x64, 0xf8, 0x12, 0x9c};

std::string Hex(ByteView b, bool spaced) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  for (uint8_t c : b) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 0xf]);
    if (spaced) out.push_back(' ');
  }
  return out;
}

std::string Quoted(ByteView b) {
  std::string out = "\"";
  for (uint8_t c : b) {
    char escape[5];
    std::snprintf(escape, sizeof(escape), "\\x%02x", c);
    out += escape;
  }
  return out + "\"";
}

std::string File(const std::string& x_atom) {
  return "(privkeys\n (account\n(name \"alice@example.com\")\n(protocol prpl-jabber)\n"
         "(private-key\n (dsa\n  (p #00C0EF#)\n  (q #00B1#)\n  (g #02#)\n  (y #05#)\n  (x " +
         x_atom + ")\n  )\n )\n )\n)\n";
}

void ExpectNoFreedCopy(const std::string& text) {
  SCOPED_TRACE(text);
  std::optional<Result<PrivateKeyFile>> parsed;
  {
    // A prefix: vector growth leaves partial copies (8, 16 bytes of x).
    FreedMemoryScan scan(ByteView(kX).first(8));
    parsed.emplace(ParsePrivateKeyFile(text));
    ASSERT_TRUE(parsed->ok());
    ASSERT_EQ((*parsed)->accounts.size(), 1u);
    EXPECT_TRUE(crypto::ConstantTimeEqual((*parsed)->accounts[0].key.x.view(), kX));
    parsed.reset();
    EXPECT_GT(scan.blocks_scanned(), 0u);
    EXPECT_EQ(scan.hits(), 0u) << "x was freed unwiped";
  }
}

TEST(PrivateKeySecretsTest, HexAtomLeavesNoCopyOfX) {
  ExpectNoFreedCopy(File("#" + Hex(kX, false) + "#"));
}

TEST(PrivateKeySecretsTest, SpacedHexAtomLeavesNoCopyOfX) {
  ExpectNoFreedCopy(File("#" + Hex(kX, true) + "#"));
}

TEST(PrivateKeySecretsTest, QuotedAtomLeavesNoCopyOfX) { ExpectNoFreedCopy(File(Quoted(kX))); }

TEST(PrivateKeySecretsTest, VerbatimAtomLeavesNoCopyOfX) {
  ExpectNoFreedCopy(File("20:" + std::string(kX.begin(), kX.end())));
}

}  // namespace
}  // namespace otr::store
