#include "bench/libotr_endpoint.h"

// libotr's headers depend on each other's order.
// clang-format off
extern "C" {
#include <gcrypt.h>
#include <libotr/proto.h>
#include <libotr/context.h>
#include <libotr/userstate.h>
#include <libotr/privkey.h>
#include <libotr/tlv.h>
#include <libotr/message.h>
#include <libotr/instag.h>
}
// clang-format on

#include <cstdio>
#include <cstdlib>
#include <string>

namespace otr::bench {
namespace {

constexpr char kProtocol[] = "prpl-irc";
constexpr OtrlPolicy kPolicy = OTRL_POLICY_MANUAL;

// One libotr account with its key and instance tag.
struct User {
  explicit User(std::string name) : account(std::move(name)) {
    us = otrl_userstate_create();
    FILE* keys = std::tmpfile();
    otrl_privkey_generate_FILEp(us, keys, account.c_str(), kProtocol);
    std::fclose(keys);
    FILE* tags = std::tmpfile();
    otrl_instag_generate_FILEp(us, tags, account.c_str(), kProtocol);
    std::fclose(tags);
  }
  ~User() { otrl_userstate_free(us); }
  std::string account;
  OtrlUserState us = nullptr;
};

class LibotrEndpoint : public Endpoint {
 public:
  LibotrEndpoint(User& user, std::string buddy, size_t max_message_size)
      : user_(user), buddy_(std::move(buddy)), max_message_size_(max_message_size) {
    ops_.policy = [](void*, ConnContext*) { return kPolicy; };
    ops_.is_logged_in = [](void*, const char*, const char*, const char*) { return 1; };
    ops_.inject_message = [](void* opdata, const char*, const char*, const char*,
                             const char* message) { Of(opdata)->injected_.emplace_back(message); };
    ops_.max_message_size = [](void* opdata, ConnContext*) {
      return static_cast<int>(Of(opdata)->max_message_size_);
    };
    ops_.handle_smp_event = [](void* opdata, OtrlSMPEvent event, ConnContext*, unsigned short,
                               char*) {
      LibotrEndpoint* self = Of(opdata);
      if (event == OTRL_SMPEVENT_ASK_FOR_SECRET || event == OTRL_SMPEVENT_ASK_FOR_ANSWER) {
        self->smp_asked_ = true;
      } else if (event == OTRL_SMPEVENT_SUCCESS) {
        ++self->smp_successes_;
      }
    };
  }

  ~LibotrEndpoint() override {
    ConnContext* master = Master();
    if (master == nullptr) return;
    for (ConnContext* c = user_.us->context_root; c != nullptr; c = c->next) {
      if (c->m_context == master) otrl_context_force_plaintext(c);
    }
    otrl_context_forget(master);
  }

  Wire StartOtr() override {
    char* query = otrl_proto_default_query_msg(user_.account.c_str(), kPolicy);
    Wire out{std::string(query)};
    std::free(query);
    return out;
  }

  Wire Send(std::string_view text) override {
    const std::string message(text);
    char* out = nullptr;
    const gcry_error_t err = otrl_message_sending(
        user_.us, &ops_, this, user_.account.c_str(), kProtocol, buddy_.c_str(), OTRL_INSTAG_BEST,
        message.c_str(), nullptr, &out, OTRL_FRAGMENT_SEND_ALL_BUT_LAST, nullptr, nullptr, nullptr);
    Wire wire = TakeInjected();
    if (err == 0) wire.emplace_back(out != nullptr ? out : message);
    otrl_message_free(out);
    return wire;
  }

  Wire Receive(const std::string& message) override {
    char* newmsg = nullptr;
    OtrlTLV* tlvs = nullptr;
    const int internal = otrl_message_receiving(user_.us, &ops_, this, user_.account.c_str(),
                                                kProtocol, buddy_.c_str(), message.c_str(), &newmsg,
                                                &tlvs, nullptr, nullptr, nullptr);
    if (!internal && newmsg != nullptr) ++displayed_;
    otrl_message_free(newmsg);
    otrl_tlv_free(tlvs);
    return TakeInjected();
  }

  Wire StartSmp(std::string_view secret) override {
    otrl_message_initiate_smp(user_.us, &ops_, this, Best(),
                              reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
    return TakeInjected();
  }

  Wire RespondSmp(std::string_view secret) override {
    smp_asked_ = false;
    otrl_message_respond_smp(user_.us, &ops_, this, Best(),
                             reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
    return TakeInjected();
  }

  bool encrypted() const override {
    ConnContext* c = Best();
    return c != nullptr && c->msgstate == OTRL_MSGSTATE_ENCRYPTED;
  }

 private:
  static LibotrEndpoint* Of(void* opdata) { return static_cast<LibotrEndpoint*>(opdata); }

  ConnContext* Find(otrl_instag_t instance) const {
    return otrl_context_find(user_.us, buddy_.c_str(), user_.account.c_str(), kProtocol, instance,
                             0, nullptr, nullptr, nullptr);
  }
  ConnContext* Master() const { return Find(OTRL_INSTAG_MASTER); }
  ConnContext* Best() const { return Find(OTRL_INSTAG_BEST); }

  Wire TakeInjected() {
    Wire out = std::move(injected_);
    injected_.clear();
    return out;
  }

  User& user_;
  std::string buddy_;
  size_t max_message_size_;
  OtrlMessageAppOps ops_{};
  Wire injected_;
};

struct LibotrConversation : Conversation {
  LibotrConversation(User& alice_user, User& bob_user, unsigned long id, size_t max_message_size)
      : a(alice_user, "bob" + std::to_string(id), max_message_size),
        b(bob_user, "alice" + std::to_string(id), max_message_size) {
    alice = &a;
    bob = &b;
  }
  LibotrEndpoint a, b;
};

class LibotrImplementation : public Implementation {
 public:
  std::string_view name() const override { return "libotr"; }

  std::unique_ptr<Conversation> NewConversation(size_t max_message_size) override {
    if (alice_ == nullptr) {
      InitLibotr();
      alice_ = std::make_unique<User>("alice");
      bob_ = std::make_unique<User>("bob");
    }
    return std::make_unique<LibotrConversation>(*alice_, *bob_, next_id_++, max_message_size);
  }

 private:
  std::unique_ptr<User> alice_, bob_;
  unsigned long next_id_ = 0;
};

}  // namespace

void InitLibotr() {
  static const bool initialized = [] {
    OTRL_INIT;
    return true;
  }();
  (void)initialized;
}

std::unique_ptr<Implementation> NewLibotrImplementation() {
  return std::make_unique<LibotrImplementation>();
}

}  // namespace otr::bench
