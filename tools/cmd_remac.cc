// `otr remac <mac-key-hex> < message`: recomputes a Data Message's
// authenticator with the given MAC key (e.g. one revealed later in the
// transcript) and prints the message. libotr's otr_remac builds the message
// from fields; this one takes the message itself.
#include <cstdio>

#include "crypto/backends.h"
#include "tools/command.h"
#include "tools/forgery.h"

namespace otr::tools {
namespace {

int Run(const std::vector<std::string>& args) {
  if (args.size() != 1) {
    std::fprintf(stderr, "usage: otr remac <mac-key-hex> < data-message\n");
    return 2;
  }
  auto key = ParseHex(args[0]);
  auto message = DecodeArmoredDataMessage(ReadStdin());
  if (!key.ok() || key->size() != v3::kOldMacKeySize || !message.ok()) {
    std::fprintf(stderr, "otr remac: need a 20-byte hex MAC key and a Data Message on stdin\n");
    return 1;
  }
  Remac(crypto::DefaultBackend(), *key, *message);
  std::printf("%s\n", EncodeArmoredDataMessage(*message).c_str());
  return 0;
}

}  // namespace
OTR_REGISTER_COMMAND(remac, {"remac", "recompute a Data Message's MAC with a given key", &Run});
}  // namespace otr::tools
