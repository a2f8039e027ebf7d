// `otr remac <mac-key-hex> < message`: recomputes a Data Message's
// authenticator with the given MAC key (e.g. one revealed later in the
// transcript) and prints the message. libotr's otr_remac builds the message
// from fields; this one takes the message itself. The message's version
// picks the MAC: v3 SHA1-HMAC (20-byte key), v4 the Authenticator under
// MKmac (64 bytes; otrv4.md "Forging Transcripts", "ReMAC Message").
#include <cstdio>

#include "crypto/backends.h"
#include "tools/args.h"
#include "tools/command.h"
#include "tools/forgery.h"
#include "tools/forgery_v4.h"
#include "tools/toolkit_cli.h"

namespace otr::tools {
namespace {

constexpr ToolUsage kUsage{"remac",
                           "usage: otr remac <mac-key-hex> < data-message\n"
                           "the MAC key is 20 bytes for a v3 message, 64 for a v4 one\n"};

int Run(const std::vector<std::string>& args) {
  if (WantsHelp(args)) return PrintHelp(kUsage);
  if (args.size() != 1) return UsageError(kUsage, "one argument, the MAC key, is needed");
  // The arguments are checked before stdin is read.
  auto key = MacKeyArgument(args[0]);
  if (!key.ok()) return UsageError(kUsage, key.error());
  auto message = AnyDataMessageFromText(ReadAllStdin());
  if (!message.ok()) return Failed(kUsage, message.error());
  const crypto::Backend& backend = crypto::DefaultBackend();
  if (auto* v4m = std::get_if<v4::DataMessage>(&*message)) {
    if (key->size() != v4::kMacKeySize) {
      return Failed(kUsage, "the message is OTRv4: <mac-key-hex> must be 64 bytes");
    }
    Remac(backend, *key, *v4m);
    std::printf("%s\n", EncodeArmoredV4Message(*v4m).c_str());
    return 0;
  }
  auto& v3m = std::get<v3::DataMessage>(*message);
  if (key->size() != v3::kOldMacKeySize) {
    return Failed(kUsage, "the message is OTR v2/v3: <mac-key-hex> must be 20 bytes");
  }
  Remac(backend, *key, v3m);
  std::printf("%s\n", EncodeArmoredDataMessage(v3m).c_str());
  return 0;
}

}  // namespace
OTR_REGISTER_COMMAND(remac, {"remac", "recompute a Data Message's MAC with a given key", &Run});
}  // namespace otr::tools
