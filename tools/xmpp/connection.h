// One XMPP connection through libstrophe, as a client (RFC 6120/6121, with
// STARTTLS) or as an external component (XEP-0114), driven by the caller's
// loop (RunOnce): message stanzas in and out, presence, and service
// discovery (XEP-0030) both ways: answering disco#info/disco#items queries
// addressed to us from what the owner configured, and asking others.
//
// TLS (client connections): kRequired refuses a server that does not offer
// STARTTLS; kIfOffered uses it when offered. The server's certificate is
// always verified, against the system's CAs or, when ca_file is set,
// against the certificates in that file (how a test trusts its self-signed
// certificate: explicitly, by file). A certificate that does not verify
// ends the connection; there is no "accept anything" mode. The component
// protocol has no TLS (XEP-0114): connect it over loopback only.
//
// Bounds: a message body longer than max_body_bytes is dropped (counted in
// dropped_bodies()); disco answers keep at most kMaxDiscoEntries entries.
#ifndef OTR_TOOLS_XMPP_CONNECTION_H_
#define OTR_TOOLS_XMPP_CONNECTION_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace otr::xmpp {

inline constexpr std::string_view kDiscoInfoNs = "http://jabber.org/protocol/disco#info";
inline constexpr std::string_view kDiscoItemsNs = "http://jabber.org/protocol/disco#items";
inline constexpr size_t kMaxDiscoEntries = 256;

enum class TlsPolicy { kRequired, kIfOffered, kDisabled };

struct ClientOptions {
  std::string jid;          // "alice@localhost" or with a resource
  std::string server_host;  // empty: the JID's domain
  uint16_t server_port = 5222;
  TlsPolicy tls = TlsPolicy::kRequired;
  std::string ca_file;  // trust exactly these certificates; empty: the system's
};

struct ComponentOptions {
  std::string jid;  // the component's name, e.g. "prekey.localhost"
  std::string server_host = "127.0.0.1";
  uint16_t server_port = 5347;
};

struct CommonOptions {
  size_t max_body_bytes = 1u << 20;
  int connect_timeout_ms = 20'000;
};

struct Message {
  std::string from;
  std::string to;
  std::string id;
  std::string type;
  std::string body;
};

// A presence stanza (RFC 6121 4 and 3): type empty for available, else
// "unavailable", "subscribe", "subscribed", "unsubscribe", "unsubscribed",
// "probe" or "error".
struct Presence {
  std::string from;
  std::string type;
};

struct DiscoIdentity {
  std::string category;
  std::string type;
  std::string name;
};

struct DiscoInfo {
  std::vector<DiscoIdentity> identities;
  std::vector<std::string> features;
};

struct DiscoItem {
  std::string jid;
  std::string node;
  std::string name;
};

class Connection {
 public:
  // Connects and waits (running the loop) until the stream is up
  // (authenticated and bound, or the component handshake done). The
  // password/secret is handed to libstrophe and not kept here. On failure
  // the reason is in *why (when given) and the result is kBackendFailure.
  static Result<std::unique_ptr<Connection>> ConnectClient(const ClientOptions& options,
                                                           std::string_view password,
                                                           const CommonOptions& common = {},
                                                           std::string* why = nullptr);
  static Result<std::unique_ptr<Connection>> ConnectComponent(const ComponentOptions& options,
                                                              std::string_view secret,
                                                              const CommonOptions& common = {},
                                                              std::string* why = nullptr);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Called for each message stanza with a body (any type but "error").
  void SetMessageHandler(std::function<void(const Message&)> handler);
  // Called for each presence stanza.
  void SetPresenceHandler(std::function<void(const Presence&)> handler);
  // What disco#info / disco#items queries to our JID are answered with
  // (an empty DiscoInfo still lists the two disco features).
  void SetDiscoInfo(DiscoInfo info);
  void SetDiscoItems(std::vector<DiscoItem> items);

  // Sends <message to= type=><body/></message> (type "chat" when empty is
  // given as "chat"; "normal" omits the attribute).
  Status SendMessage(std::string_view to, std::string_view body, std::string_view type = "chat");
  // `xml` sent as it is, unchecked (tests that play a misbehaving peer).
  Status SendRaw(std::string_view xml);
  // Available presence (a client's initial presence, RFC 6121 4.2).
  Status SendPresence();
  // Presence of `type` to `to` (RFC 6121 3: "subscribe" asks for the
  // contact's presence, "subscribed" approves a request).
  Status SendPresence(std::string_view to, std::string_view type);

  // Asks `jid` and waits up to timeout_ms (running the loop; messages that
  // arrive meanwhile go to the handler). kBackendFailure on an error reply,
  // a timeout or a lost connection.
  Result<DiscoInfo> QueryDiscoInfo(std::string_view jid, int timeout_ms);
  Result<std::vector<DiscoItem>> QueryDiscoItems(std::string_view jid, int timeout_ms);

  // Processes what arrived within timeout_ms.
  void RunOnce(int timeout_ms);
  // Closes the stream (</stream:stream>) and waits briefly for the close.
  void Disconnect();

  bool connected() const;
  const std::string& jid() const;  // the bound full JID (client) or the component's
  const std::string& last_error() const;
  uint64_t dropped_bodies() const;

  struct Impl;

 private:
  explicit Connection(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace otr::xmpp

#endif  // OTR_TOOLS_XMPP_CONNECTION_H_
