// `otr mackey <aes-key-hex>`: the MAC key that goes with an AES key (v3
// spec: "the MAC key is the SHA-1 hash of the AES key"); libotr's otr_mackey.
#include <cstdio>

#include "crypto/backends.h"
#include "tools/command.h"
#include "tools/forgery.h"

namespace otr::tools {
namespace {

int Run(const std::vector<std::string>& args) {
  if (args.size() != 1) {
    std::fprintf(stderr, "usage: otr mackey <aes-key-hex>\n");
    return 2;
  }
  auto aes = ParseHex(args[0]);
  if (!aes.ok() || aes->size() != crypto::kAes128KeySize) {
    std::fprintf(stderr, "otr mackey: the AES key must be 32 hex digits\n");
    return 1;
  }
  const crypto::SecretBytes key(*aes);
  std::printf("AES key: %s\nMAC key: %s\n", Hex(*aes).c_str(),
              Hex(MacKeyFromAesKey(crypto::DefaultBackend(), key).Declassify()).c_str());
  return 0;
}

}  // namespace
OTR_REGISTER_COMMAND(mackey, {"mackey", "MAC key from an AES key", &Run});
}  // namespace otr::tools
