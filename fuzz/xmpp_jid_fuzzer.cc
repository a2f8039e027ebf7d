// Fuzzes the JID helpers of tools/xmpp (jid.h; a peer's JID comes from the
// XMPP server's stanzas): the bare JID has no resource and is a fixed
// point; the domain of a JID is that of its bare JID, and a suffix of it;
// for local@domain/resource with no '/' before the resource and no '@' in
// the local part, BareJid and JidDomain give back local@domain and domain.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "tools/xmpp/jid.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using otr::xmpp::BareJid;
  using otr::xmpp::JidDomain;
  const std::string_view jid(reinterpret_cast<const char*>(data), size);
  const std::string bare = BareJid(jid);
  if (bare.find('/') != std::string::npos || BareJid(bare) != bare) __builtin_trap();
  if (jid.substr(0, bare.size()) != bare) __builtin_trap();
  const std::string domain = JidDomain(jid);
  if (JidDomain(bare) != domain) __builtin_trap();
  if (bare.size() < domain.size() || bare.substr(bare.size() - domain.size()) != domain) {
    __builtin_trap();
  }
  // The input read as three parts, split at its first two NUL bytes.
  const size_t a = jid.find('\0');
  const size_t b = a == std::string_view::npos ? a : jid.find('\0', a + 1);
  if (b == std::string_view::npos) return 0;
  const std::string_view local = jid.substr(0, a), host = jid.substr(a + 1, b - a - 1),
                         resource = jid.substr(b + 1);
  if (local.find_first_of("@/") != std::string_view::npos ||
      host.find('/') != std::string_view::npos) {
    return 0;
  }
  const std::string composed =
      std::string(local) + "@" + std::string(host) + "/" + std::string(resource);
  if (BareJid(composed) != std::string(local) + "@" + std::string(host)) __builtin_trap();
  if (JidDomain(composed) != host) __builtin_trap();
  return 0;
}
