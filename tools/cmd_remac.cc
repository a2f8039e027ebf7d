// `otr remac <mac-key-hex> < message`: recomputes a Data Message's
// authenticator with the given MAC key (e.g. one revealed later in the
// transcript) and prints the message. libotr's otr_remac builds the message
// from fields; this one takes the message itself.
#include <cstdio>

#include "crypto/backends.h"
#include "tools/args.h"
#include "tools/command.h"
#include "tools/forgery.h"
#include "tools/toolkit_cli.h"

namespace otr::tools {
namespace {

constexpr ToolUsage kUsage{"remac", "usage: otr remac <mac-key-hex> < data-message\n"};

int Run(const std::vector<std::string>& args) {
  if (WantsHelp(args)) return PrintHelp(kUsage);
  if (args.size() != 1) return UsageError(kUsage, "one argument, the MAC key, is needed");
  // The arguments are checked before stdin is read.
  auto key = HexArgument("<mac-key-hex>", args[0], v3::kOldMacKeySize);
  if (!key.ok()) return UsageError(kUsage, key.error());
  auto message = DataMessageFromText(ReadAllStdin());
  if (!message.ok()) return Failed(kUsage, message.error());
  Remac(crypto::DefaultBackend(), *key, *message);
  std::printf("%s\n", EncodeArmoredDataMessage(*message).c_str());
  return 0;
}

}  // namespace
OTR_REGISTER_COMMAND(remac, {"remac", "recompute a Data Message's MAC with a given key", &Run});
}  // namespace otr::tools
