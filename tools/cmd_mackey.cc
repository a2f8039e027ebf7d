// `otr mackey <aes-key-hex>`: the MAC key that goes with an AES key (v3
// spec: "the MAC key is the SHA-1 hash of the AES key"); libotr's otr_mackey.
#include <cstdio>

#include "crypto/backends.h"
#include "tools/args.h"
#include "tools/command.h"
#include "tools/forgery.h"
#include "tools/toolkit_cli.h"

namespace otr::tools {
namespace {

constexpr ToolUsage kUsage{"mackey", "usage: otr mackey <aes-key-hex>\n"};

int Run(const std::vector<std::string>& args) {
  if (WantsHelp(args)) return PrintHelp(kUsage);
  if (args.size() != 1) return UsageError(kUsage, "one argument, the AES key, is needed");
  auto aes = HexArgument("<aes-key-hex>", args[0], crypto::kAes128KeySize);
  if (!aes.ok()) return UsageError(kUsage, aes.error());
  const crypto::SecretBytes key(*aes);
  std::printf("AES key: %s\nMAC key: %s\n", Hex(*aes).c_str(),
              Hex(MacKeyFromAesKey(crypto::DefaultBackend(), key).Declassify()).c_str());
  return 0;
}

}  // namespace
OTR_REGISTER_COMMAND(mackey, {"mackey", "MAC key from an AES key", &Run});
}  // namespace otr::tools
