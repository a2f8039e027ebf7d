// A client byte stream to an IRC server: plain TCP, or TLS through OpenSSL
// with the certificate checked against the system's (or a given) CA
// certificates and the host name or IP address. Blocking; the caller polls
// fd() and drains Buffered() data before polling again.
#ifndef OTR_TOOLS_CONNECTION_H_
#define OTR_TOOLS_CONNECTION_H_

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "tools/outcome.h"

namespace otr::tools {

struct TlsOptions {
  bool enabled = false;
  std::string ca_file;  // empty: the system's CA certificates
};

class Connection {
 public:
  virtual ~Connection() = default;
  // Connects (and completes the TLS handshake); failures say why.
  static Outcome<std::unique_ptr<Connection>> Open(const std::string& host, const std::string& port,
                                                   const TlsOptions& tls);

  virtual int fd() const = 0;
  // Bytes already read from the socket and decrypted, waiting to be Read.
  virtual bool Buffered() const = 0;
  // Up to `size` bytes; 0 when the server closed the stream.
  virtual Outcome<size_t> Read(char* out, size_t size) = 0;
  virtual Outcome<Done> Write(std::string_view bytes) = 0;
  // Tells the server we are done sending.
  virtual void CloseWrite() = 0;
};

}  // namespace otr::tools

#endif  // OTR_TOOLS_CONNECTION_H_
