// JIDs as the prekey server needs them (RFC 7622, simplified): the bare JID
// (localpart@domainpart) identifies a publisher ("Storage of Prekeys
// Ensembles for XMPP": resources are not stable, so storage uses the bare
// JID); the full JID addresses one connection.
#ifndef OTR_TOOLS_XMPP_JID_H_
#define OTR_TOOLS_XMPP_JID_H_

#include <string>
#include <string_view>

namespace otr::xmpp {

// "alice@localhost/notebook" -> "alice@localhost"; a JID without a
// resource is returned as it is.
std::string BareJid(std::string_view jid);
// "alice@localhost/notebook" -> "localhost".
std::string JidDomain(std::string_view jid);

}  // namespace otr::xmpp

#endif  // OTR_TOOLS_XMPP_JID_H_
