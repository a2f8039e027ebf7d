// `otr mackey <aes-key-hex>`: the MAC key that goes with an AES key (v3
// spec: "the MAC key is the SHA-1 hash of the AES key"); libotr's otr_mackey.
// `otr mackey <message-key-hex>` (64 bytes): OTRv4's "Show MAC Key",
// MKmac = KDF(usage_MAC_key || MKenc, 64); with --chain-key the key given is
// chain_key and MKenc = KDF(usage_message_key || chain_key, 64) comes first.
#include <cstdio>

#include "crypto/backends.h"
#include "protocol/v4/ratchet/derive.h"
#include "tools/args.h"
#include "tools/command.h"
#include "tools/forgery.h"
#include "tools/forgery_v4.h"
#include "tools/toolkit_cli.h"

namespace otr::tools {
namespace {

constexpr ToolUsage kUsage{
    "mackey",
    "usage: otr mackey <aes-key-hex>                  (v3: 16 bytes)\n"
    "       otr mackey <message-key-hex>              (v4: MKenc, 64 bytes)\n"
    "       otr mackey --chain-key <chain-key-hex>    (v4: 64 bytes)\n"};

int Run(const std::vector<std::string>& args) {
  if (WantsHelp(args)) return PrintHelp(kUsage);
  const bool chain = !args.empty() && args[0] == "--chain-key";
  if (args.size() != (chain ? 2u : 1u)) {
    return UsageError(kUsage, "one argument, the AES key or v4 message key, is needed");
  }
  const std::string& hex = args[chain ? 1 : 0];
  auto key = HexArgument(chain ? "<chain-key-hex>" : "<aes-key-hex>", hex,
                         chain ? v4::ratchet::kChainKeySize : 0);
  if (!key.ok()) return UsageError(kUsage, key.error());
  const crypto::Backend& backend = crypto::DefaultBackend();
  const crypto::SecretBytes secret(*key);
  if (!chain && key->size() == crypto::kAes128KeySize) {
    std::printf("AES key: %s\nMAC key: %s\n", Hex(*key).c_str(),
                Hex(MacKeyFromAesKey(backend, secret).Declassify()).c_str());
    return 0;
  }
  if (!chain && key->size() != v4::ratchet::kMessageKeySize) {
    return UsageError(kUsage,
                      "the key must be 16 bytes (a v3 AES key) or 64 (a v4 message "
                      "key), got " +
                          std::to_string(key->size()));
  }
  const crypto::SecretBytes mk_enc = chain ? MessageKeyFromChainKey(backend, secret) : secret;
  if (chain) std::printf("chain key:   %s\n", Hex(*key).c_str());
  std::printf("message key: %s\nMAC key:     %s\n", Hex(mk_enc.Declassify()).c_str(),
              Hex(MacKeyFromMessageKey(backend, mk_enc).Declassify()).c_str());
  return 0;
}

}  // namespace
OTR_REGISTER_COMMAND(mackey, {"mackey", "MAC key from an AES key (v3) or message key (v4)", &Run});
}  // namespace otr::tools
