// Finding an OTRv4 prekey server by service discovery (otr-v4-prekey-server.md,
// "A Prekey Server for OTRv4 over XMPP", "Discovering a Prekey Server";
// XEP-0030): disco#items of the account's domain, disco#info of each item
// (the one with the identity category "auth", type "otr-prekey" and the
// feature kPrekeyServerFeature), then disco#items of that server, whose item
// with node "fingerprint" carries the server's fingerprint as its name.
// Used by `otr chat --xmpp` and the prekey e2e test client.
#ifndef OTR_TOOLS_XMPP_PREKEY_DISCOVERY_H_
#define OTR_TOOLS_XMPP_PREKEY_DISCOVERY_H_

#include <optional>
#include <string>
#include <string_view>

#include "tools/xmpp/connection.h"

namespace otr::xmpp {

inline constexpr std::string_view kPrekeyServerFeature =
    "http://jabber.org/protocol/otrv4-prekey-server";

struct FoundPrekeyServer {
  std::string jid;
  std::string fingerprint;  // the "fingerprint" item's name as given (hex); empty: none
};

// The first item of `domain` that is a prekey server; nothing (and the
// reason in *why) when none is or the domain does not answer. Each query
// waits up to `timeout_ms`.
std::optional<FoundPrekeyServer> DiscoverPrekeyServer(Connection& connection,
                                                      std::string_view domain, int timeout_ms,
                                                      std::string* why);

}  // namespace otr::xmpp

#endif  // OTR_TOOLS_XMPP_PREKEY_DISCOVERY_H_
