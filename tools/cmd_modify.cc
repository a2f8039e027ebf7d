// `otr modify <offset> <old-text> <new-text> [mac-key-hex] < message`:
// changes the plaintext of an encrypted Data Message without any key, by
// XORing old ^ new into the AES-CTR ciphertext at `offset` (the old text
// must be known). With a MAC key (a revealed one) it also re-MACs.
// libotr's otr_modify.
#include <cstdio>
#include <cstdlib>

#include "crypto/backends.h"
#include "tools/args.h"
#include "tools/command.h"
#include "tools/forgery.h"
#include "tools/toolkit_cli.h"

namespace otr::tools {
namespace {

constexpr ToolUsage kUsage{
    "modify", "usage: otr modify <offset> <old-text> <new-text> [mac-key-hex] < data-message\n"};

int Run(const std::vector<std::string>& args) {
  if (WantsHelp(args)) return PrintHelp(kUsage);
  if (args.size() != 3 && args.size() != 4) {
    return UsageError(kUsage, "three or four arguments are needed");
  }
  // The arguments are checked before stdin is read.
  const std::string& o = args[0];
  char* end = nullptr;
  const unsigned long long offset = std::strtoull(o.c_str(), &end, 10);
  if (o.empty() || o[0] < '0' || o[0] > '9' || *end != '\0' || o.size() > 9) {
    return UsageError(kUsage, "<offset> '" + o + "' is not a decimal byte offset");
  }
  if (args[1].size() != args[2].size()) {
    return UsageError(kUsage, "<old-text> and <new-text> differ in length (" +
                                  std::to_string(args[1].size()) + " and " +
                                  std::to_string(args[2].size()) +
                                  " bytes); counter mode changes bytes in place");
  }
  Outcome<Bytes> key = Bytes();
  if (args.size() == 4) {
    key = HexArgument("<mac-key-hex>", args[3], v3::kOldMacKeySize);
    if (!key.ok()) return UsageError(kUsage, key.error());
  }
  auto message = DataMessageFromText(ReadAllStdin());
  if (!message.ok()) return Failed(kUsage, message.error());
  const size_t length = message->encrypted_message.size();
  if (offset > length || args[1].size() > length - offset) {
    return Failed(kUsage, "<offset> " + o + " plus <old-text>'s " + std::to_string(args[1].size()) +
                              " bytes goes beyond the encrypted message (" +
                              std::to_string(length) + " bytes)");
  }
  if (!ModifyAtOffset(*message, offset, AsBytes(args[1]), AsBytes(args[2])).ok()) {
    return Failed(kUsage, "the edit does not fit the message");
  }
  if (args.size() == 4) Remac(crypto::DefaultBackend(), *key, *message);
  std::printf("%s\n", EncodeArmoredDataMessage(*message).c_str());
  return 0;
}

}  // namespace
OTR_REGISTER_COMMAND(modify, {"modify", "change known plaintext of a Data Message (no key)", &Run});
}  // namespace otr::tools
