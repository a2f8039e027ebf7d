// `otr readforge <aes-key-hex> [new-text] < message`: decrypts a Data
// Message with its AES key and prints the payload; with new text, replaces
// the payload (any length), re-MACs with SHA-1(AES key) and prints the
// forged message. libotr's otr_readforge. Exit status 3 (after the output)
// when the message's MAC does not verify under SHA-1(AES key): the key is
// not this message's, or the message was changed.
#include <cstdio>

#include "crypto/backends.h"
#include "protocol/v3/tlv.h"
#include "tools/args.h"
#include "tools/command.h"
#include "tools/forgery.h"
#include "tools/terminal_text.h"
#include "tools/toolkit_cli.h"

namespace otr::tools {
namespace {

constexpr ToolUsage kUsage{"readforge",
                           "usage: otr readforge <aes-key-hex> [new-text] < data-message\n"
                           "exit status 3: the MAC does not verify under SHA-1(AES key)\n"};
constexpr int kExitMacMismatch = 3;

int Run(const std::vector<std::string>& args) {
  if (WantsHelp(args)) return PrintHelp(kUsage);
  if (args.empty() || args.size() > 2) return UsageError(kUsage, "one or two arguments are needed");
  // The arguments are checked before stdin is read.
  auto aes = HexArgument("<aes-key-hex>", args[0], crypto::kAes128KeySize);
  if (!aes.ok()) return UsageError(kUsage, aes.error());
  auto message = DataMessageFromText(ReadAllStdin());
  if (!message.ok()) return Failed(kUsage, message.error());
  const crypto::Backend& backend = crypto::DefaultBackend();
  const crypto::SecretBytes key(*aes);
  auto payload = DecryptPayload(backend, key, *message);
  if (!payload.ok())
    return Failed(kUsage, "cannot decrypt: " + std::string(payload.error().context));
  auto decoded = v3::DecodeDataPayload(*payload);
  std::printf("payload hex:   %s\n", Hex(*payload).c_str());
  if (decoded.ok()) {
    const std::string text(reinterpret_cast<const char*>(decoded->message.data()),
                           decoded->message.size());
    std::printf("message:       %s\n", ForTerminal(text).c_str());
    for (const v3::TlvRecord& tlv : decoded->tlvs) {
      std::printf("TLV type %u:   %s\n", tlv.type, Hex(tlv.value).c_str());
    }
  } else {
    std::printf("message:       (the payload is not a message and TLVs: %s)\n",
                ForTerminal(decoded.error().context).c_str());
  }
  const bool verifies = Authenticates(backend, MacKeyFromAesKey(backend, key).view(), *message);
  std::printf("MAC verifies:  %s\n", verifies ? "yes" : "no");
  if (args.size() == 2) {
    if (!ReplacePayload(backend, key, AsBytes(args[1]), *message).ok()) {
      return Failed(kUsage, "cannot encrypt the new text");
    }
    Remac(backend, MacKeyFromAesKey(backend, key).view(), *message);
    std::printf("forged:\n%s\n", EncodeArmoredDataMessage(*message).c_str());
  }
  if (!verifies) {
    std::fflush(stdout);
    std::fprintf(stderr,
                 "otr readforge: the MAC does not verify under SHA-1(<aes-key-hex>): the key is "
                 "not this message's, or the message was changed\n");
    return kExitMacMismatch;
  }
  return 0;
}

}  // namespace
OTR_REGISTER_COMMAND(readforge, {"readforge",
                                 "decrypt a Data Message with its AES key; forge new text", &Run});
}  // namespace otr::tools
