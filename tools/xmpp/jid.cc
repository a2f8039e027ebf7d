#include "tools/xmpp/jid.h"

namespace otr::xmpp {

std::string BareJid(std::string_view jid) {
  // The resource starts at the first '/' (RFC 7622 section 3.1).
  const size_t slash = jid.find('/');
  return std::string(jid.substr(0, slash));
}

std::string JidDomain(std::string_view jid) {
  std::string_view bare = jid.substr(0, jid.find('/'));
  const size_t at = bare.find('@');
  return std::string(at == std::string_view::npos ? bare : bare.substr(at + 1));
}

}  // namespace otr::xmpp
