// `otr readforge <aes-key-hex> [new-text] < message`: decrypts a Data
// Message with its AES key and prints the payload; with new text, replaces
// the payload (any length), re-MACs with SHA-1(AES key) and prints the
// forged message. libotr's otr_readforge.
#include <cstdio>

#include "crypto/backends.h"
#include "protocol/v3/tlv.h"
#include "tools/command.h"
#include "tools/forgery.h"

namespace otr::tools {
namespace {

int Run(const std::vector<std::string>& args) {
  if (args.empty() || args.size() > 2) {
    std::fprintf(stderr, "usage: otr readforge <aes-key-hex> [new-text] < data-message\n");
    return 2;
  }
  const crypto::Backend& backend = crypto::DefaultBackend();
  auto aes = ParseHex(args[0]);
  auto message = DecodeArmoredDataMessage(ReadStdin());
  if (!aes.ok() || aes->size() != crypto::kAes128KeySize || !message.ok()) {
    std::fprintf(stderr, "otr readforge: need a 16-byte hex AES key and a Data Message\n");
    return 1;
  }
  const crypto::SecretBytes key(*aes);
  auto payload = DecryptPayload(backend, key, *message);
  if (!payload.ok()) return 1;
  auto decoded = v3::DecodeDataPayload(*payload);
  std::printf("payload hex:   %s\n", Hex(*payload).c_str());
  if (decoded.ok()) {
    std::printf("message:       %.*s\n", static_cast<int>(decoded->message.size()),
                reinterpret_cast<const char*>(decoded->message.data()));
    for (const v3::TlvRecord& tlv : decoded->tlvs) {
      std::printf("TLV type %u:   %s\n", tlv.type, Hex(tlv.value).c_str());
    }
  }
  std::printf(
      "MAC verifies:  %s\n",
      Authenticates(backend, MacKeyFromAesKey(backend, key).view(), *message) ? "yes" : "no");
  if (args.size() == 2) {
    if (!ReplacePayload(backend, key, AsBytes(args[1]), *message).ok()) return 1;
    Remac(backend, MacKeyFromAesKey(backend, key).view(), *message);
    std::printf("forged:\n%s\n", EncodeArmoredDataMessage(*message).c_str());
  }
  return 0;
}

}  // namespace
OTR_REGISTER_COMMAND(readforge, {"readforge",
                                 "decrypt a Data Message with its AES key; forge new text", &Run});
}  // namespace otr::tools
