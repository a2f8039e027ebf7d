#include "tools/xmpp/connection.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <strophe.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <mutex>
#include <utility>

#include "tools/xmpp/jid.h"

namespace otr::xmpp {
namespace {

void InitializeOnce() {
  static std::once_flag once;
  std::call_once(once, [] { xmpp_initialize(); });
}

std::string Str(const char* s) { return s == nullptr ? std::string() : std::string(s); }

// Releases a stanza we created when it goes out of scope.
struct StanzaRef {
  xmpp_stanza_t* s;
  explicit StanzaRef(xmpp_stanza_t* stanza) : s(stanza) {}
  ~StanzaRef() {
    if (s != nullptr) xmpp_stanza_release(s);
  }
  StanzaRef(const StanzaRef&) = delete;
  StanzaRef& operator=(const StanzaRef&) = delete;
};

void IgnoreConnEvent(xmpp_conn_t*, xmpp_conn_event_t, int, xmpp_stream_error_t*, void* userdata) {
  *static_cast<bool*>(userdata) = true;
}

// libstrophe 0.12.2 (Debian 12) allocates its stream-management state only
// in xmpp_connect_client, yet reads it for every received stanza, also on
// component connections: xmpp_connect_component alone crashes on the
// server's first stanza (NULL dereference). A client connection attempt on
// the same object allocates that state and leaves it in place. The attempt
// goes to a loopback port that is bound but not listening, so it is
// refused at once and nothing leaves the machine.
bool PrimeStreamManagementState(xmpp_ctx_t* ctx, xmpp_conn_t* conn) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  bool ok = bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
            getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0;
  if (ok) {
    bool done = false;
    xmpp_conn_set_jid(conn, "prime@127.0.0.1");
    ok = xmpp_connect_client(conn, "127.0.0.1", ntohs(addr.sin_port), IgnoreConnEvent, &done) ==
         XMPP_EOK;
    for (int i = 0; ok && !done && i < 100; ++i) xmpp_run_once(ctx, 10);
    ok = ok && done && xmpp_conn_is_disconnected(conn);
  }
  close(fd);
  return ok;
}

}  // namespace

struct Connection::Impl {
  xmpp_ctx_t* ctx = nullptr;
  xmpp_conn_t* conn = nullptr;
  xmpp_log_t log{};
  bool component = false;
  bool up = false;
  bool failed = false;
  std::string jid;
  std::string error;
  CommonOptions common;
  uint64_t dropped = 0;
  uint64_t next_id = 0;
  std::function<void(const Message&)> on_message;
  std::function<void(const Presence&)> on_presence;
  DiscoInfo info;
  std::vector<DiscoItem> items;

  // A pending query's answer, filled by the id handler.
  struct Pending {
    bool done = false;
    bool ok = false;
    xmpp_stanza_t* reply = nullptr;  // a copy we own
  };

  ~Impl() {
    if (conn != nullptr) xmpp_conn_release(conn);
    if (ctx != nullptr) xmpp_ctx_free(ctx);
  }

  std::string NewId() { return "otr" + std::to_string(++next_id); }

  void Send(xmpp_stanza_t* s) {
    if (component && xmpp_stanza_get_from(s) == nullptr) xmpp_stanza_set_from(s, jid.c_str());
    xmpp_send(conn, s);
  }

  // Records libstrophe's warnings and errors as the last error (never its
  // debug output, which shows stanzas).
  static void Log(void* userdata, xmpp_log_level_t level, const char* area, const char* msg) {
    if (level < XMPP_LEVEL_WARN) return;
    auto* impl = static_cast<Impl*>(userdata);
    impl->error = Str(area) + ": " + Str(msg);
  }

  static void OnConnEvent(xmpp_conn_t* conn, xmpp_conn_event_t status, int error,
                          xmpp_stream_error_t* stream_error, void* userdata) {
    auto* impl = static_cast<Impl*>(userdata);
    if (status == XMPP_CONN_CONNECT) {
      impl->up = true;
      if (!impl->component) impl->jid = Str(xmpp_conn_get_bound_jid(conn));
      return;
    }
    if (status == XMPP_CONN_RAW_CONNECT) return;
    impl->up = false;
    impl->failed = true;
    if (stream_error != nullptr && stream_error->text != nullptr) {
      impl->error = std::string("stream error: ") + stream_error->text;
    } else if (error != 0) {
      impl->error = "connection error " + std::to_string(error);
    } else if (impl->error.empty()) {
      impl->error = "disconnected";
    }
  }

  // libstrophe's certificate-failure handler has no user data: the reason
  // is kept here (per thread, as each connection is run by the thread that
  // connects it) for ConnectClient to report.
  static std::string& CertFailure() {
    thread_local std::string why;
    return why;
  }

  static int OnCertFail(const xmpp_tlscert_t* /*cert*/, const char* errormsg) {
    // Never accepted: the trust is what ca_file (or the system) says.
    CertFailure() = "the server's TLS certificate did not verify (" + Str(errormsg) + ")";
    return 0;
  }

  static int OnMessage(xmpp_conn_t* /*conn*/, xmpp_stanza_t* stanza, void* userdata) {
    auto* impl = static_cast<Impl*>(userdata);
    const std::string type = Str(xmpp_stanza_get_type(stanza));
    if (type == "error" || !impl->on_message) return 1;
    xmpp_stanza_t* body = xmpp_stanza_get_child_by_name(stanza, "body");
    if (body == nullptr) return 1;
    char* text = xmpp_stanza_get_text(body);
    if (text == nullptr) return 1;
    Message m;
    m.body = text;
    xmpp_free(impl->ctx, text);
    if (m.body.size() > impl->common.max_body_bytes) {
      ++impl->dropped;
      return 1;
    }
    m.from = Str(xmpp_stanza_get_from(stanza));
    m.to = Str(xmpp_stanza_get_to(stanza));
    m.id = Str(xmpp_stanza_get_id(stanza));
    m.type = type;
    impl->on_message(m);
    return 1;
  }

  static int OnPresence(xmpp_conn_t* /*conn*/, xmpp_stanza_t* stanza, void* userdata) {
    auto* impl = static_cast<Impl*>(userdata);
    if (impl->on_presence) {
      impl->on_presence({Str(xmpp_stanza_get_from(stanza)), Str(xmpp_stanza_get_type(stanza))});
    }
    return 1;
  }

  xmpp_stanza_t* NewQuery(std::string_view ns) {
    xmpp_stanza_t* q = xmpp_stanza_new(ctx);
    xmpp_stanza_set_name(q, "query");
    xmpp_stanza_set_ns(q, std::string(ns).c_str());
    return q;
  }

  static void AddChild(xmpp_stanza_t* parent, xmpp_stanza_t* child) {
    xmpp_stanza_add_child(parent, child);
    xmpp_stanza_release(child);
  }

  xmpp_stanza_t* Element(const char* name) {
    xmpp_stanza_t* e = xmpp_stanza_new(ctx);
    xmpp_stanza_set_name(e, name);
    return e;
  }

  void ReplyInfo(xmpp_stanza_t* iq) {
    StanzaRef reply(xmpp_stanza_reply(iq));
    xmpp_stanza_set_type(reply.s, "result");
    xmpp_stanza_t* q = NewQuery(kDiscoInfoNs);
    for (const auto& id : info.identities) {
      xmpp_stanza_t* e = Element("identity");
      xmpp_stanza_set_attribute(e, "category", id.category.c_str());
      xmpp_stanza_set_attribute(e, "type", id.type.c_str());
      if (!id.name.empty()) xmpp_stanza_set_attribute(e, "name", id.name.c_str());
      AddChild(q, e);
    }
    std::vector<std::string> features = {std::string(kDiscoInfoNs), std::string(kDiscoItemsNs)};
    for (const auto& f : info.features) {
      if (f != kDiscoInfoNs && f != kDiscoItemsNs) features.push_back(f);
    }
    for (const auto& f : features) {
      xmpp_stanza_t* e = Element("feature");
      xmpp_stanza_set_attribute(e, "var", f.c_str());
      AddChild(q, e);
    }
    AddChild(reply.s, q);
    Send(reply.s);
  }

  void ReplyItems(xmpp_stanza_t* iq) {
    StanzaRef reply(xmpp_stanza_reply(iq));
    xmpp_stanza_set_type(reply.s, "result");
    xmpp_stanza_t* q = NewQuery(kDiscoItemsNs);
    for (const auto& item : items) {
      xmpp_stanza_t* e = Element("item");
      xmpp_stanza_set_attribute(e, "jid", item.jid.c_str());
      if (!item.node.empty()) xmpp_stanza_set_attribute(e, "node", item.node.c_str());
      if (!item.name.empty()) xmpp_stanza_set_attribute(e, "name", item.name.c_str());
      AddChild(q, e);
    }
    AddChild(reply.s, q);
    Send(reply.s);
  }

  // RFC 6120 8.2.3: a get/set we do not handle gets service-unavailable.
  void ReplyUnavailable(xmpp_stanza_t* iq) {
    StanzaRef reply(xmpp_stanza_reply(iq));
    xmpp_stanza_set_type(reply.s, "error");
    xmpp_stanza_t* err = Element("error");
    xmpp_stanza_set_type(err, "cancel");
    xmpp_stanza_t* cond = Element("service-unavailable");
    xmpp_stanza_set_ns(cond, "urn:ietf:params:xml:ns:xmpp-stanzas");
    AddChild(err, cond);
    AddChild(reply.s, err);
    Send(reply.s);
  }

  static int OnIq(xmpp_conn_t* /*conn*/, xmpp_stanza_t* stanza, void* userdata) {
    auto* impl = static_cast<Impl*>(userdata);
    const std::string type = Str(xmpp_stanza_get_type(stanza));
    if (type != "get" && type != "set") return 1;
    if (type == "get") {
      xmpp_stanza_t* q = xmpp_stanza_get_child_by_name(stanza, "query");
      const std::string ns = q != nullptr ? Str(xmpp_stanza_get_ns(q)) : std::string();
      // Only the entity itself (no node) is described.
      if (q != nullptr && xmpp_stanza_get_attribute(q, "node") == nullptr) {
        if (ns == kDiscoInfoNs) {
          impl->ReplyInfo(stanza);
          return 1;
        }
        if (ns == kDiscoItemsNs) {
          impl->ReplyItems(stanza);
          return 1;
        }
      }
    }
    impl->ReplyUnavailable(stanza);
    return 1;
  }

  static int OnQueryReply(xmpp_conn_t* /*conn*/, xmpp_stanza_t* stanza, void* userdata) {
    auto* pending = static_cast<Pending*>(userdata);
    pending->done = true;
    pending->ok = Str(xmpp_stanza_get_type(stanza)) == "result";
    pending->reply = xmpp_stanza_copy(stanza);
    return 0;  // one answer: remove the handler
  }

  // Sends a disco query and runs the loop until its answer; returns the
  // <query/> child's copy owner (the whole reply) or an error.
  Result<xmpp_stanza_t*> Query(std::string_view to, std::string_view ns, int timeout_ms) {
    if (!up) return MakeError(ErrorCode::kBadState, "xmpp: not connected");
    const std::string id = NewId();
    Pending pending;
    xmpp_id_handler_add(conn, OnQueryReply, id.c_str(), &pending);
    {
      StanzaRef iq(xmpp_iq_new(ctx, "get", id.c_str()));
      xmpp_stanza_set_to(iq.s, std::string(to).c_str());
      AddChild(iq.s, NewQuery(ns));
      Send(iq.s);
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (!pending.done && up && std::chrono::steady_clock::now() < deadline) {
      xmpp_run_once(ctx, 50);
    }
    if (!pending.done) {
      xmpp_id_handler_delete(conn, OnQueryReply, id.c_str());
      error = up ? "disco query timed out" : "connection lost during a disco query";
      return MakeError(ErrorCode::kBackendFailure, "xmpp: no disco answer");
    }
    if (!pending.ok) {
      xmpp_stanza_release(pending.reply);
      error = "disco query answered with an error";
      return MakeError(ErrorCode::kBackendFailure, "xmpp: disco error");
    }
    return pending.reply;
  }

  bool WaitUp(int timeout_ms) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (!up && !failed && std::chrono::steady_clock::now() < deadline) {
      xmpp_run_once(ctx, 50);
    }
    if (!up && !failed) error = "connection timed out";
    return up;
  }
};

Connection::Connection(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Connection::~Connection() {
  if (impl_->up) Disconnect();
}

namespace {

std::unique_ptr<Connection::Impl> NewImpl(const CommonOptions& common) {
  InitializeOnce();
  auto impl = std::make_unique<Connection::Impl>();
  impl->common = common;
  impl->log.handler = &Connection::Impl::Log;
  impl->log.userdata = impl.get();
  impl->ctx = xmpp_ctx_new(nullptr, &impl->log);
  impl->conn = xmpp_conn_new(impl->ctx);
  xmpp_handler_add(impl->conn, &Connection::Impl::OnMessage, nullptr, "message", nullptr,
                   impl.get());
  xmpp_handler_add(impl->conn, &Connection::Impl::OnPresence, nullptr, "presence", nullptr,
                   impl.get());
  xmpp_handler_add(impl->conn, &Connection::Impl::OnIq, nullptr, "iq", nullptr, impl.get());
  return impl;
}

}  // namespace

Result<std::unique_ptr<Connection>> Connection::ConnectClient(const ClientOptions& options,
                                                              std::string_view password,
                                                              const CommonOptions& common,
                                                              std::string* why) {
  auto impl = NewImpl(common);
  long flags = 0;
  if (options.tls == TlsPolicy::kRequired) flags |= XMPP_CONN_FLAG_MANDATORY_TLS;
  if (options.tls == TlsPolicy::kDisabled) flags |= XMPP_CONN_FLAG_DISABLE_TLS;
  xmpp_conn_set_flags(impl->conn, flags);
  if (!options.ca_file.empty()) xmpp_conn_set_cafile(impl->conn, options.ca_file.c_str());
  xmpp_conn_set_certfail_handler(impl->conn, &Impl::OnCertFail);
  xmpp_conn_set_jid(impl->conn, options.jid.c_str());
  {
    std::string pass(password);
    xmpp_conn_set_pass(impl->conn, pass.c_str());
    // Our copy is wiped; libstrophe keeps its own for the SASL exchange.
    for (auto& c : pass) c = '\0';
  }
  impl->jid = options.jid;
  Impl::CertFailure().clear();
  const std::string host =
      options.server_host.empty() ? JidDomain(options.jid) : options.server_host;
  if (xmpp_connect_client(impl->conn, host.c_str(), options.server_port, &Impl::OnConnEvent,
                          impl.get()) != XMPP_EOK ||
      !impl->WaitUp(common.connect_timeout_ms)) {
    if (!Impl::CertFailure().empty()) impl->error = Impl::CertFailure();
    if (why != nullptr) *why = impl->error.empty() ? "could not connect" : impl->error;
    return MakeError(ErrorCode::kBackendFailure, "xmpp: client connection failed");
  }
  return std::unique_ptr<Connection>(new Connection(std::move(impl)));
}

Result<std::unique_ptr<Connection>> Connection::ConnectComponent(const ComponentOptions& options,
                                                                 std::string_view secret,
                                                                 const CommonOptions& common,
                                                                 std::string* why) {
  auto impl = NewImpl(common);
  impl->component = true;
  impl->jid = options.jid;
  if (!PrimeStreamManagementState(impl->ctx, impl->conn)) {
    if (why != nullptr) *why = "could not prepare the connection (libstrophe workaround)";
    return MakeError(ErrorCode::kBackendFailure, "xmpp: component connection failed");
  }
  impl->error.clear();
  xmpp_conn_set_jid(impl->conn, options.jid.c_str());
  {
    std::string pass(secret);
    xmpp_conn_set_pass(impl->conn, pass.c_str());
    for (auto& c : pass) c = '\0';
  }
  if (xmpp_connect_component(impl->conn, options.server_host.c_str(), options.server_port,
                             &Impl::OnConnEvent, impl.get()) != XMPP_EOK ||
      !impl->WaitUp(common.connect_timeout_ms)) {
    if (why != nullptr) *why = impl->error.empty() ? "could not connect" : impl->error;
    return MakeError(ErrorCode::kBackendFailure, "xmpp: component connection failed");
  }
  return std::unique_ptr<Connection>(new Connection(std::move(impl)));
}

void Connection::SetMessageHandler(std::function<void(const Message&)> handler) {
  impl_->on_message = std::move(handler);
}

void Connection::SetPresenceHandler(std::function<void(const Presence&)> handler) {
  impl_->on_presence = std::move(handler);
}

void Connection::SetDiscoInfo(DiscoInfo info) {
  if (info.identities.size() > kMaxDiscoEntries) info.identities.resize(kMaxDiscoEntries);
  if (info.features.size() > kMaxDiscoEntries) info.features.resize(kMaxDiscoEntries);
  impl_->info = std::move(info);
}

void Connection::SetDiscoItems(std::vector<DiscoItem> items) {
  if (items.size() > kMaxDiscoEntries) items.resize(kMaxDiscoEntries);
  impl_->items = std::move(items);
}

Status Connection::SendMessage(std::string_view to, std::string_view body, std::string_view type) {
  if (!impl_->up) return MakeError(ErrorCode::kBadState, "xmpp: not connected");
  const std::string id = impl_->NewId();
  const std::string t(type);
  StanzaRef m(xmpp_message_new(impl_->ctx, t == "normal" ? nullptr : t.c_str(),
                               std::string(to).c_str(), id.c_str()));
  xmpp_message_set_body(m.s, std::string(body).c_str());
  impl_->Send(m.s);
  return Status::Ok();
}

Status Connection::SendRaw(std::string_view xml) {
  if (!impl_->up) return MakeError(ErrorCode::kBadState, "xmpp: not connected");
  xmpp_send_raw(impl_->conn, xml.data(), xml.size());
  return Status::Ok();
}

Status Connection::SendPresence() {
  if (!impl_->up) return MakeError(ErrorCode::kBadState, "xmpp: not connected");
  StanzaRef p(xmpp_presence_new(impl_->ctx));
  impl_->Send(p.s);
  return Status::Ok();
}

Status Connection::SendPresence(std::string_view to, std::string_view type) {
  if (!impl_->up) return MakeError(ErrorCode::kBadState, "xmpp: not connected");
  StanzaRef p(xmpp_presence_new(impl_->ctx));
  xmpp_stanza_set_to(p.s, std::string(to).c_str());
  xmpp_stanza_set_type(p.s, std::string(type).c_str());
  impl_->Send(p.s);
  return Status::Ok();
}

Result<DiscoInfo> Connection::QueryDiscoInfo(std::string_view jid, int timeout_ms) {
  OTR_ASSIGN_OR_RETURN(xmpp_stanza_t * reply, impl_->Query(jid, kDiscoInfoNs, timeout_ms));
  StanzaRef owned(reply);
  DiscoInfo info;
  xmpp_stanza_t* q =
      xmpp_stanza_get_child_by_name_and_ns(reply, "query", std::string(kDiscoInfoNs).c_str());
  for (xmpp_stanza_t* c = q != nullptr ? xmpp_stanza_get_children(q) : nullptr; c != nullptr;
       c = xmpp_stanza_get_next(c)) {
    const std::string name = Str(xmpp_stanza_get_name(c));
    if (name == "identity" && info.identities.size() < kMaxDiscoEntries) {
      info.identities.push_back({Str(xmpp_stanza_get_attribute(c, "category")),
                                 Str(xmpp_stanza_get_attribute(c, "type")),
                                 Str(xmpp_stanza_get_attribute(c, "name"))});
    } else if (name == "feature" && info.features.size() < kMaxDiscoEntries) {
      info.features.push_back(Str(xmpp_stanza_get_attribute(c, "var")));
    }
  }
  return info;
}

Result<std::vector<DiscoItem>> Connection::QueryDiscoItems(std::string_view jid, int timeout_ms) {
  OTR_ASSIGN_OR_RETURN(xmpp_stanza_t * reply, impl_->Query(jid, kDiscoItemsNs, timeout_ms));
  StanzaRef owned(reply);
  std::vector<DiscoItem> items;
  xmpp_stanza_t* q =
      xmpp_stanza_get_child_by_name_and_ns(reply, "query", std::string(kDiscoItemsNs).c_str());
  for (xmpp_stanza_t* c = q != nullptr ? xmpp_stanza_get_children(q) : nullptr;
       c != nullptr && items.size() < kMaxDiscoEntries; c = xmpp_stanza_get_next(c)) {
    if (Str(xmpp_stanza_get_name(c)) != "item") continue;
    items.push_back({Str(xmpp_stanza_get_attribute(c, "jid")),
                     Str(xmpp_stanza_get_attribute(c, "node")),
                     Str(xmpp_stanza_get_attribute(c, "name"))});
  }
  return items;
}

void Connection::RunOnce(int timeout_ms) {
  xmpp_run_once(impl_->ctx, static_cast<unsigned long>(timeout_ms < 0 ? 0 : timeout_ms));
}

void Connection::Disconnect() {
  if (!impl_->up) return;
  xmpp_disconnect(impl_->conn);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (impl_->up && std::chrono::steady_clock::now() < deadline) xmpp_run_once(impl_->ctx, 50);
  impl_->up = false;
}

bool Connection::connected() const { return impl_->up; }
const std::string& Connection::jid() const { return impl_->jid; }
const std::string& Connection::last_error() const { return impl_->error; }
uint64_t Connection::dropped_bodies() const { return impl_->dropped; }

}  // namespace otr::xmpp
