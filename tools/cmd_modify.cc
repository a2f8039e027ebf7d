// `otr modify <offset> <old-text> <new-text> [mac-key-hex] < message`:
// changes the plaintext of an encrypted Data Message without any key, by
// XORing old ^ new into the AES-CTR ciphertext at `offset` (the old text
// must be known). With a MAC key (a revealed one) it also re-MACs.
// libotr's otr_modify.
#include <cstdio>
#include <cstdlib>

#include "crypto/backends.h"
#include "tools/command.h"
#include "tools/forgery.h"

namespace otr::tools {
namespace {

int Run(const std::vector<std::string>& args) {
  if (args.size() != 3 && args.size() != 4) {
    std::fprintf(stderr,
                 "usage: otr modify <offset> <old-text> <new-text> [mac-key-hex] < message\n");
    return 2;
  }
  char* end = nullptr;
  const unsigned long offset = std::strtoul(args[0].c_str(), &end, 10);
  auto message = DecodeArmoredDataMessage(ReadStdin());
  if (end == args[0].c_str() || *end != '\0' || !message.ok()) {
    std::fprintf(stderr, "otr modify: need a decimal offset and a Data Message on stdin\n");
    return 1;
  }
  const Status s = ModifyAtOffset(*message, offset, AsBytes(args[1]), AsBytes(args[2]));
  if (!s.ok()) {
    std::fprintf(stderr, "otr modify: %.*s\n", static_cast<int>(s.error().context.size()),
                 s.error().context.data());
    return 1;
  }
  if (args.size() == 4) {
    auto key = ParseHex(args[3]);
    if (!key.ok() || key->size() != v3::kOldMacKeySize) {
      std::fprintf(stderr, "otr modify: the MAC key must be 40 hex digits\n");
      return 1;
    }
    Remac(crypto::DefaultBackend(), *key, *message);
  }
  std::printf("%s\n", EncodeArmoredDataMessage(*message).c_str());
  return 0;
}

}  // namespace
OTR_REGISTER_COMMAND(modify, {"modify", "change known plaintext of a Data Message (no key)", &Run});
}  // namespace otr::tools
