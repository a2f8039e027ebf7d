// One side of an OTR conversation as the protocol benchmarks drive it: text
// in, transport messages out. Implemented by our Session (per crypto
// backend, our_endpoint.h) and by a libotr 4.1.1 user (libotr_endpoint.h),
// so every benchmark runs the same script against each implementation.
#ifndef OTR_BENCH_ENDPOINT_H_
#define OTR_BENCH_ENDPOINT_H_

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace otr::bench {

using Wire = std::vector<std::string>;

class Endpoint {
 public:
  virtual ~Endpoint() = default;
  // The OTR Query Message that starts the AKE.
  virtual Wire StartOtr() = 0;
  virtual Wire Send(std::string_view text) = 0;
  // A transport message from the peer; returns what must be sent back.
  virtual Wire Receive(const std::string& message) = 0;
  virtual Wire StartSmp(std::string_view secret) = 0;
  // Answers the peer's SMP request (after smp_asked()).
  virtual Wire RespondSmp(std::string_view secret) = 0;

  virtual bool encrypted() const = 0;
  // Set by Receive when the peer's SMP message 1 asks for our secret.
  bool smp_asked() const { return smp_asked_; }
  void clear_smp_asked() { smp_asked_ = false; }
  int smp_successes() const { return smp_successes_; }
  // Messages the user would see (decrypted text), counted.
  size_t displayed() const { return displayed_; }

 protected:
  bool smp_asked_ = false;
  int smp_successes_ = 0;
  size_t displayed_ = 0;
};

// Two endpoints talking to each other (Alice starts).
struct Conversation {
  virtual ~Conversation() = default;
  Endpoint* alice = nullptr;
  Endpoint* bob = nullptr;
};

// An implementation under test: "openssl", "gcrypt" (our Session on that
// backend) or "libotr".
class Implementation {
 public:
  virtual ~Implementation() = default;
  virtual std::string_view name() const = 0;
  // A new conversation in plaintext; max_message_size 0: no fragmentation.
  virtual std::unique_ptr<Conversation> NewConversation(size_t max_message_size) = 0;
};

}  // namespace otr::bench

#endif  // OTR_BENCH_ENDPOINT_H_
