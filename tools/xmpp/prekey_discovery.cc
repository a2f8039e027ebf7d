#include "tools/xmpp/prekey_discovery.h"

namespace otr::xmpp {

std::optional<FoundPrekeyServer> DiscoverPrekeyServer(Connection& connection,
                                                      std::string_view domain, int timeout_ms,
                                                      std::string* why) {
  auto items = connection.QueryDiscoItems(domain, timeout_ms);
  if (!items.ok()) {
    *why = std::string(domain) + " did not answer disco#items (" + connection.last_error() + ")";
    return std::nullopt;
  }
  for (const DiscoItem& item : *items) {
    auto info = connection.QueryDiscoInfo(item.jid, timeout_ms);
    if (!info.ok()) continue;
    bool identity = false;
    bool feature = false;
    for (const auto& i : info->identities) {
      identity |= i.category == "auth" && i.type == "otr-prekey";
    }
    for (const auto& f : info->features) feature |= f == kPrekeyServerFeature;
    if (!identity || !feature) continue;
    FoundPrekeyServer found{item.jid, {}};
    if (auto server_items = connection.QueryDiscoItems(item.jid, timeout_ms); server_items.ok()) {
      for (const DiscoItem& i : *server_items) {
        if (i.node == "fingerprint") found.fingerprint = i.name;
      }
    }
    return found;
  }
  *why = "no item of " + std::string(domain) + " is an OTR prekey server";
  return std::nullopt;
}

}  // namespace otr::xmpp
