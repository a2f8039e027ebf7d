// `otr sesskeys <our-dh-private-hex> <their-dh-public-hex>`: everything the
// v3 spec derives from one D-H shared secret ("Computing AES keys, MAC keys,
// and the secure session id"): ssid, the data keys of both directions, and
// c, c', m1, m2, m1', m2'. libotr's otr_sesskeys.
#include <cstdio>

#include "crypto/backends.h"
#include "tools/args.h"
#include "tools/command.h"
#include "tools/forgery.h"
#include "tools/toolkit_cli.h"

namespace otr::tools {
namespace {

constexpr ToolUsage kUsage{"sesskeys",
                           "usage: otr sesskeys <our-dh-private-hex> <their-dh-public-hex>\n"};

void Line(const char* name, ByteView value) { std::printf("%-14s %s\n", name, Hex(value).c_str()); }

// 0 and 1 as private keys give the public values 1 and g: no D-H at all.
bool AtMostOne(ByteView x) {
  for (size_t i = 0; i + 1 < x.size(); ++i) {
    if (x[i] != 0) return false;
  }
  return x.empty() || x.back() <= 1;
}

int Run(const std::vector<std::string>& args) {
  if (WantsHelp(args)) return PrintHelp(kUsage);
  if (args.size() != 2) return UsageError(kUsage, "two arguments are needed");
  auto ours = HexArgument("<our-dh-private-hex>", args[0]);
  if (!ours.ok()) return UsageError(kUsage, ours.error());
  auto theirs = HexArgument("<their-dh-public-hex>", args[1]);
  if (!theirs.ok()) return UsageError(kUsage, theirs.error());
  if (AtMostOne(*ours)) {
    return UsageError(kUsage,
                      "<our-dh-private-hex> must be above 1 (0 and 1 give the public values 1 "
                      "and g, which no D-H exchange uses)");
  }
  auto keys = DeriveSessionKeys(crypto::DefaultBackend(), crypto::SecretBytes(*ours), *theirs);
  if (!keys.ok()) {
    return Failed(kUsage, "<their-dh-public-hex> is not a usable D-H public value: " +
                              std::string(keys.error().context));
  }
  Line("our public", keys->our_public);
  std::printf("%-14s %s (sendbyte 0x%02x, recvbyte 0x%02x)\n", "we are",
              keys->we_are_high ? "high" : "low", keys->we_are_high ? 1 : 2,
              keys->we_are_high ? 2 : 1);
  Line("ssid", keys->ssid);
  Line("sending AES", keys->send_aes.view());
  Line("sending MAC", keys->send_mac.view());
  Line("receiving AES", keys->recv_aes.view());
  Line("receiving MAC", keys->recv_mac.view());
  Line("c", keys->c.view());
  Line("c'", keys->c_prime.view());
  Line("m1", keys->m1.view());
  Line("m2", keys->m2.view());
  Line("m1'", keys->m1_prime.view());
  Line("m2'", keys->m2_prime.view());
  return 0;
}

}  // namespace
OTR_REGISTER_COMMAND(sesskeys, {"sesskeys", "ssid and session keys from a D-H pair", &Run});
}  // namespace otr::tools
