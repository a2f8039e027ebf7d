#include "bench/libotr_ng_endpoint.h"

#include <exception>
#include <string>
#include <utility>

#include "third_party/libotr_ng/libotr_ng_status.h"

#ifdef OTR_BENCH_HAVE_LIBOTR_NG
#include "tests/interop/libotr_ng_peer.h"
#endif

namespace otr::bench {

#ifdef OTR_BENCH_HAVE_LIBOTR_NG
namespace {

using testing::LibotrNgPeer;

class LibotrNgEndpoint : public Endpoint {
 public:
  LibotrNgEndpoint(const std::string& account, const std::string& buddy, uint32_t tag)
      : peer_(account, buddy, tag) {}

  Wire StartOtr() override {
    return Call([&] { return Wire{peer_.Query()}; });
  }
  Wire Send(std::string_view text) override {
    return Call([&] { return peer_.Send(std::string(text)); });
  }
  Wire Receive(const std::string& message) override {
    return Call([&] { return peer_.Receive(message); });
  }
  Wire StartSmp(std::string_view secret) override {
    return Call([&] { return peer_.StartSmp(std::string(secret)); });
  }
  Wire RespondSmp(std::string_view secret) override {
    return Call([&] { return peer_.RespondSmp(std::string(secret)); });
  }
  bool encrypted() const override { return peer_.encrypted(); }

 private:
  // LibotrNgPeer throws when a libotr-ng call fails: nothing is sent then,
  // and the case sees the failure in its checks (state, SMP, displayed).
  template <typename F>
  Wire Call(F f) {
    Wire out;
    try {
      out = f();
    } catch (const std::exception&) {
      out.clear();
    }
    smp_asked_ = peer_.smp_asked();
    smp_successes_ = peer_.smp_successes();
    displayed_ = peer_.displayed().size();
    return out;
  }

  LibotrNgPeer peer_;
};

struct LibotrNgConversation : Conversation {
  explicit LibotrNgConversation(uint32_t n)
      : a("alice" + std::to_string(n) + "@bench", "bob" + std::to_string(n) + "@bench", 0x2000),
        b("bob" + std::to_string(n) + "@bench", "alice" + std::to_string(n) + "@bench", 0x2001) {
    alice = &a;
    bob = &b;
  }
  LibotrNgEndpoint a, b;
};

class LibotrNgImplementation : public Implementation {
 public:
  std::string_view name() const override { return "libotr-ng"; }
  std::unique_ptr<Conversation> NewConversation(size_t max_message_size) override {
    if (max_message_size != 0) return nullptr;  // the v4 cases never fragment
    try {
      return std::make_unique<LibotrNgConversation>(next_++);
    } catch (const std::exception&) {
      return nullptr;
    }
  }

 private:
  uint32_t next_ = 0;
};

}  // namespace

std::unique_ptr<Implementation> NewLibotrNgImplementation() {
  return std::make_unique<LibotrNgImplementation>();
}
#else
std::unique_ptr<Implementation> NewLibotrNgImplementation() { return nullptr; }
#endif

const char* LibotrNgUnavailableReason() { return kLibotrNgStatus; }

}  // namespace otr::bench
