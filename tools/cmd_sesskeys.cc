// `otr sesskeys <our-dh-private-hex> <their-dh-public-hex>`: everything the
// v3 spec derives from one D-H shared secret ("Computing AES keys, MAC keys,
// and the secure session id"): ssid, the data keys of both directions, and
// c, c', m1, m2, m1', m2'. libotr's otr_sesskeys.
#include <cstdio>

#include "crypto/backends.h"
#include "tools/command.h"
#include "tools/forgery.h"

namespace otr::tools {
namespace {

void Line(const char* name, ByteView value) { std::printf("%-14s %s\n", name, Hex(value).c_str()); }

int Run(const std::vector<std::string>& args) {
  if (args.size() != 2) {
    std::fprintf(stderr, "usage: otr sesskeys <our-dh-private-hex> <their-dh-public-hex>\n");
    return 2;
  }
  auto ours = ParseHex(args[0]);
  auto theirs = ParseHex(args[1]);
  if (!ours.ok() || !theirs.ok()) {
    std::fprintf(stderr, "otr sesskeys: arguments must be hex\n");
    return 1;
  }
  auto keys = DeriveSessionKeys(crypto::DefaultBackend(), crypto::SecretBytes(*ours), *theirs);
  if (!keys.ok()) {
    std::fprintf(stderr, "otr sesskeys: %.*s\n", static_cast<int>(keys.error().context.size()),
                 keys.error().context.data());
    return 1;
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
