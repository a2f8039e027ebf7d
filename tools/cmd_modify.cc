// `otr modify <offset> <old-text> <new-text> [mac-key-hex] < message`:
// changes the plaintext of an encrypted Data Message without any key, by
// XORing old ^ new into the stream-cipher text at `offset` (the old text
// must be known). With a MAC key (a revealed one) it also re-MACs.
// libotr's otr_modify for v2/v3 (AES-CTR, 20-byte MAC key); for an OTRv4
// message (ChaCha20, 64-byte MAC key) otrv4.md's "Modify Data Message" and
// appendix "Modify an Encrypted Data Message". The message tells the version.
#include <cstdio>
#include <cstdlib>

#include "crypto/backends.h"
#include "tools/args.h"
#include "tools/command.h"
#include "tools/forgery.h"
#include "tools/forgery_v4.h"
#include "tools/toolkit_cli.h"

namespace otr::tools {
namespace {

constexpr ToolUsage kUsage{
    "modify",
    "usage: otr modify <offset> <old-text> <new-text> [mac-key-hex] < data-message\n"
    "the MAC key is 20 bytes for a v3 message, 64 for a v4 one\n"};

// Edits and re-MACs one version's message; prints it armored.
template <typename DataMessage, typename Encode>
int Edit(DataMessage& message, size_t offset, const std::vector<std::string>& args,
         const Bytes& key, size_t key_size, Encode encode) {
  if (args.size() == 4 && key.size() != key_size) {
    return Failed(kUsage, "the message needs a MAC key of " + std::to_string(key_size) +
                              " bytes; <mac-key-hex> has " + std::to_string(key.size()));
  }
  const size_t length = message.encrypted_message.size();
  if (offset > length || args[1].size() > length - offset) {
    return Failed(kUsage, "<offset> " + args[0] + " plus <old-text>'s " +
                              std::to_string(args[1].size()) +
                              " bytes goes beyond the encrypted message (" +
                              std::to_string(length) + " bytes)");
  }
  if (!ModifyAtOffset(message, offset, AsBytes(args[1]), AsBytes(args[2])).ok()) {
    return Failed(kUsage, "the edit does not fit the message");
  }
  if (args.size() == 4) Remac(crypto::DefaultBackend(), key, message);
  std::printf("%s\n", encode(message).c_str());
  return 0;
}

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
    key = MacKeyArgument(args[3]);
    if (!key.ok()) return UsageError(kUsage, key.error());
  }
  auto message = AnyDataMessageFromText(ReadAllStdin());
  if (!message.ok()) return Failed(kUsage, message.error());
  if (auto* v4m = std::get_if<v4::DataMessage>(&*message)) {
    return Edit(*v4m, offset, args, *key, v4::kMacKeySize,
                [](const v4::DataMessage& m) { return EncodeArmoredV4Message(m); });
  }
  return Edit(std::get<v3::DataMessage>(*message), offset, args, *key, v3::kOldMacKeySize,
              [](const v3::DataMessage& m) { return EncodeArmoredDataMessage(m); });
}

}  // namespace
OTR_REGISTER_COMMAND(modify, {"modify", "change known plaintext of a Data Message (no key)", &Run});
}  // namespace otr::tools
