#include "tools/connection.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace otr::tools {
namespace {

struct SslCtxFree {
  void operator()(SSL_CTX* c) const { SSL_CTX_free(c); }
};
struct SslFree {
  void operator()(SSL* s) const { SSL_free(s); }
};

std::string OpenSslError(const char* what) {
  std::string text = what;
  const unsigned long e = ERR_get_error();
  if (e != 0) {
    char buffer[256];
    ERR_error_string_n(e, buffer, sizeof buffer);
    text += ": ";
    text += buffer;
  }
  ERR_clear_error();
  return text;
}

bool IsIpAddress(const std::string& host) {
  unsigned char buffer[sizeof(in6_addr)];
  return inet_pton(AF_INET, host.c_str(), buffer) == 1 ||
         inet_pton(AF_INET6, host.c_str(), buffer) == 1;
}

Outcome<int> ConnectTcp(const std::string& host, const std::string& port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const int rc = getaddrinfo(host.c_str(), port.c_str(), &hints, &found);
  if (rc != 0) return Failure{"cannot resolve " + host + ": " + gai_strerror(rc)};
  std::string why = "no address";
  int connected = -1;
  for (addrinfo* a = found; a != nullptr && connected < 0; a = a->ai_next) {
    const int fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    if (connect(fd, a->ai_addr, a->ai_addrlen) == 0) {
      connected = fd;
    } else {
      why = std::strerror(errno);
      close(fd);
    }
  }
  freeaddrinfo(found);
  if (connected < 0) return Failure{"cannot connect to " + host + ":" + port + ": " + why};
  return connected;
}

class TcpConnection final : public Connection {
 public:
  explicit TcpConnection(int fd) : fd_(fd) {}
  ~TcpConnection() override { close(fd_); }

  int fd() const override { return fd_; }
  bool Buffered() const override { return false; }

  Outcome<size_t> Read(char* out, size_t size) override {
    for (;;) {
      const ssize_t n = recv(fd_, out, size, 0);
      if (n >= 0) return static_cast<size_t>(n);
      if (errno != EINTR) return Failure{std::strerror(errno)};
    }
  }

  Outcome<Done> Write(std::string_view bytes) override {
    while (!bytes.empty()) {
      const ssize_t n = send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return Failure{std::strerror(errno)};
      bytes.remove_prefix(static_cast<size_t>(n));
    }
    return Done{};
  }

  void CloseWrite() override { shutdown(fd_, SHUT_WR); }

 private:
  int fd_;
};

class TlsConnection final : public Connection {
 public:
  TlsConnection(int fd, std::unique_ptr<SSL_CTX, SslCtxFree> ctx, std::unique_ptr<SSL, SslFree> ssl)
      : fd_(fd), ctx_(std::move(ctx)), ssl_(std::move(ssl)) {}
  ~TlsConnection() override {
    ssl_.reset();
    close(fd_);
  }

  int fd() const override { return fd_; }
  bool Buffered() const override { return SSL_pending(ssl_.get()) > 0; }

  Outcome<size_t> Read(char* out, size_t size) override {
    size_t got = 0;
    const int rc = SSL_read_ex(ssl_.get(), out, size, &got);
    if (rc == 1) return got;
    const int error = SSL_get_error(ssl_.get(), rc);
    if (error == SSL_ERROR_ZERO_RETURN) return size_t{0};
    // A server that closes without close_notify (common for IRC) is a close.
    if (error == SSL_ERROR_SYSCALL || error == SSL_ERROR_SSL) {
      ERR_clear_error();
      return size_t{0};
    }
    return Failure{OpenSslError("TLS read failed")};
  }

  Outcome<Done> Write(std::string_view bytes) override {
    while (!bytes.empty()) {
      size_t written = 0;
      if (SSL_write_ex(ssl_.get(), bytes.data(), bytes.size(), &written) != 1) {
        return Failure{OpenSslError("TLS write failed")};
      }
      bytes.remove_prefix(written);
    }
    return Done{};
  }

  void CloseWrite() override {
    SSL_shutdown(ssl_.get());
    shutdown(fd_, SHUT_WR);
  }

 private:
  int fd_;
  std::unique_ptr<SSL_CTX, SslCtxFree> ctx_;
  std::unique_ptr<SSL, SslFree> ssl_;
};

Outcome<std::unique_ptr<Connection>> StartTls(int fd, const std::string& host,
                                              const TlsOptions& tls) {
  std::unique_ptr<SSL_CTX, SslCtxFree> ctx(SSL_CTX_new(TLS_client_method()));
  if (!ctx) return Failure{OpenSslError("TLS setup failed")};
  SSL_CTX_set_min_proto_version(ctx.get(), TLS1_2_VERSION);
  SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER, nullptr);
  const int loaded = tls.ca_file.empty()
                         ? SSL_CTX_set_default_verify_paths(ctx.get())
                         : SSL_CTX_load_verify_locations(ctx.get(), tls.ca_file.c_str(), nullptr);
  if (loaded != 1) return Failure{OpenSslError("cannot load the CA certificates")};
  std::unique_ptr<SSL, SslFree> ssl(SSL_new(ctx.get()));
  if (!ssl) return Failure{OpenSslError("TLS setup failed")};
  // The certificate must name the host we asked for (an IP address is
  // checked against the certificate's IP addresses).
  X509_VERIFY_PARAM* param = SSL_get0_param(ssl.get());
  if (IsIpAddress(host)) {
    if (X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str()) != 1) {
      return Failure{OpenSslError("TLS setup failed")};
    }
  } else {
    if (SSL_set1_host(ssl.get(), host.c_str()) != 1 ||
        SSL_set_tlsext_host_name(ssl.get(), host.c_str()) != 1) {
      return Failure{OpenSslError("TLS setup failed")};
    }
  }
  if (SSL_set_fd(ssl.get(), fd) != 1) return Failure{OpenSslError("TLS setup failed")};
  if (SSL_connect(ssl.get()) != 1) {
    const long verdict = SSL_get_verify_result(ssl.get());
    if (verdict != X509_V_OK) {
      ERR_clear_error();
      return Failure{std::string("TLS: the server's certificate is not trusted: ") +
                     X509_verify_cert_error_string(verdict)};
    }
    return Failure{OpenSslError("TLS handshake failed")};
  }
  return std::unique_ptr<Connection>(
      std::make_unique<TlsConnection>(fd, std::move(ctx), std::move(ssl)));
}

}  // namespace

Outcome<std::unique_ptr<Connection>> Connection::Open(const std::string& host,
                                                      const std::string& port,
                                                      const TlsOptions& tls) {
  auto fd = ConnectTcp(host, port);
  if (!fd.ok()) return Failure{fd.error()};
  if (!tls.enabled) return std::unique_ptr<Connection>(std::make_unique<TcpConnection>(*fd));
  auto connection = StartTls(*fd, host, tls);
  if (!connection.ok()) close(*fd);
  return connection;
}

}  // namespace otr::tools
