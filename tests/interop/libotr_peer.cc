#include "tests/interop/libotr_peer.h"

// libotr's headers depend on each other's order.
// clang-format off
extern "C" {
#include <gcrypt.h>
#include <libotr/proto.h>
#include <libotr/context.h>
#include <libotr/context_priv.h>
#include <libotr/userstate.h>
#include <libotr/privkey.h>
#include <libotr/tlv.h>
#include <libotr/message.h>
#include <libotr/instag.h>
}
// clang-format on

#include <cstdio>
#include <cstring>

namespace otr::testing {
namespace {

constexpr char kProtocol[] = "prpl-irc";

std::string HexOf(const unsigned char* bytes, size_t size) {
  std::string hex;
  char two[3];
  for (size_t i = 0; i < size; ++i) {
    std::snprintf(two, sizeof two, "%02x", bytes[i]);
    hex += two;
  }
  return hex;
}

// An MPI as unsigned big-endian hex ("" for none).
std::string MpiHex(gcry_mpi_t mpi) {
  if (mpi == nullptr) return "";
  unsigned char* buffer = nullptr;
  size_t size = 0;
  if (gcry_mpi_aprint(GCRYMPI_FMT_USG, &buffer, &size, mpi) != 0) return "";
  std::string hex = HexOf(buffer, size);
  gcry_free(buffer);
  return hex;
}

}  // namespace

struct LibotrPeer::State {
  LibotrPeer* owner = nullptr;
  std::string account, buddy;
  OtrlUserState us = nullptr;
  OtrlPolicy policy = OTRL_POLICY_DEFAULT;
  int max_message_size = 0;
  OtrlMessageAppOps ops{};
  std::vector<std::string> injected;
  ConnContext* answer_for = nullptr;  // SMP question pending an answer

  ConnContext* Context() const {
    return otrl_context_find(us, buddy.c_str(), account.c_str(), kProtocol, OTRL_INSTAG_BEST, 0,
                             nullptr, nullptr, nullptr);
  }

  static State* Of(void* opdata) { return static_cast<State*>(opdata); }
  static OtrlPolicy PolicyCb(void* opdata, ConnContext*) { return Of(opdata)->policy; }
  static int IsLoggedInCb(void*, const char*, const char*, const char*) { return 1; }
  static void InjectCb(void* opdata, const char*, const char*, const char*, const char* message) {
    Of(opdata)->injected.emplace_back(message);
  }
  static int MaxSizeCb(void* opdata, ConnContext*) { return Of(opdata)->max_message_size; }
  static void SmpEventCb(void* opdata, OtrlSMPEvent event, ConnContext* context, unsigned short,
                         char* question) {
    State* s = Of(opdata);
    switch (event) {
      case OTRL_SMPEVENT_ASK_FOR_ANSWER:
        s->owner->last_question_ = question ? question : "";
        s->answer_for = context;
        break;
      case OTRL_SMPEVENT_ASK_FOR_SECRET:
        s->answer_for = context;
        break;
      case OTRL_SMPEVENT_SUCCESS:
        ++s->owner->smp_successes_;
        break;
      case OTRL_SMPEVENT_FAILURE:
        ++s->owner->smp_failures_;
        break;
      case OTRL_SMPEVENT_ABORT:
        ++s->owner->smp_aborts_;
        break;
      default:
        break;
    }
  }
  static void ReceivedSymkeyCb(void* opdata, ConnContext*, unsigned int use,
                               const unsigned char* usedata, size_t usedatalen,
                               const unsigned char* symkey) {
    LibotrPeer* owner = Of(opdata)->owner;
    owner->received_symkey_use_ = use;
    owner->received_symkey_data_.assign(reinterpret_cast<const char*>(usedata), usedatalen);
    owner->received_symkey_.assign(reinterpret_cast<const char*>(symkey), OTRL_EXTRAKEY_BYTES);
  }
};

LibotrPeer::LibotrPeer(std::string account, std::string buddy, Policy policy, int max_message_size)
    : state_(std::make_unique<State>()) {
  OTRL_INIT;
  State& s = *state_;
  s.owner = this;
  s.account = std::move(account);
  s.buddy = std::move(buddy);
  s.max_message_size = max_message_size;
  switch (policy) {
    case Policy::kAlways:
      s.policy = OTRL_POLICY_ALWAYS;
      break;
    case Policy::kManual:
      s.policy = OTRL_POLICY_MANUAL;
      break;
    case Policy::kOpportunistic:
      s.policy = OTRL_POLICY_OPPORTUNISTIC;
      break;
    case Policy::kV2Only:
      s.policy = OTRL_POLICY_ALLOW_V2;
      break;
  }
  s.ops.policy = State::PolicyCb;
  s.ops.is_logged_in = State::IsLoggedInCb;
  s.ops.inject_message = State::InjectCb;
  s.ops.max_message_size = State::MaxSizeCb;
  s.ops.handle_smp_event = State::SmpEventCb;
  s.ops.received_symkey = State::ReceivedSymkeyCb;
  s.us = otrl_userstate_create();
  FILE* keys = std::tmpfile();
  otrl_privkey_generate_FILEp(s.us, keys, s.account.c_str(), kProtocol);
  std::fclose(keys);
  FILE* tags = std::tmpfile();
  otrl_instag_generate_FILEp(s.us, tags, s.account.c_str(), kProtocol);
  std::fclose(tags);
}

LibotrPeer::~LibotrPeer() { otrl_userstate_free(state_->us); }

std::vector<std::string> LibotrPeer::Send(const std::string& text) {
  State& s = *state_;
  s.injected.clear();
  char* out = nullptr;
  gcry_error_t err = otrl_message_sending(
      s.us, &s.ops, &s, s.account.c_str(), kProtocol, s.buddy.c_str(), OTRL_INSTAG_BEST,
      text.c_str(), nullptr, &out, OTRL_FRAGMENT_SEND_ALL_BUT_LAST, nullptr, nullptr, nullptr);
  std::vector<std::string> wire = std::move(s.injected);
  s.injected.clear();
  if (err == 0) wire.emplace_back(out != nullptr ? out : text);  // NULL: send the original
  otrl_message_free(out);
  return wire;
}

std::vector<std::string> LibotrPeer::Receive(const std::string& text) {
  State& s = *state_;
  s.injected.clear();
  char* newmsg = nullptr;
  OtrlTLV* tlvs = nullptr;
  const int internal =
      otrl_message_receiving(s.us, &s.ops, &s, s.account.c_str(), kProtocol, s.buddy.c_str(),
                             text.c_str(), &newmsg, &tlvs, nullptr, nullptr, nullptr);
  if (!internal) displayed_.emplace_back(newmsg != nullptr ? newmsg : text);
  otrl_message_free(newmsg);
  otrl_tlv_free(tlvs);
  if (s.answer_for != nullptr && !smp_answer_.empty()) {
    ConnContext* context = s.answer_for;
    s.answer_for = nullptr;
    otrl_message_respond_smp(s.us, &s.ops, &s, context,
                             reinterpret_cast<const unsigned char*>(smp_answer_.data()),
                             smp_answer_.size());
  }
  std::vector<std::string> wire = std::move(s.injected);
  s.injected.clear();
  return wire;
}

std::vector<std::string> LibotrPeer::StartSmp(const std::string& secret,
                                              const std::string& question) {
  State& s = *state_;
  s.injected.clear();
  const auto* bytes = reinterpret_cast<const unsigned char*>(secret.data());
  if (question.empty()) {
    otrl_message_initiate_smp(s.us, &s.ops, &s, s.Context(), bytes, secret.size());
  } else {
    otrl_message_initiate_smp_q(s.us, &s.ops, &s, s.Context(), question.c_str(), bytes,
                                secret.size());
  }
  std::vector<std::string> wire = std::move(s.injected);
  s.injected.clear();
  return wire;
}

std::vector<std::string> LibotrPeer::AbortSmp() {
  State& s = *state_;
  s.injected.clear();
  otrl_message_abort_smp(s.us, &s.ops, &s, s.Context());
  std::vector<std::string> wire = std::move(s.injected);
  s.injected.clear();
  return wire;
}

std::vector<std::string> LibotrPeer::UseSymmetricKey(unsigned int use, const std::string& use_data,
                                                     std::string* key) {
  State& s = *state_;
  s.injected.clear();
  unsigned char symkey[OTRL_EXTRAKEY_BYTES];
  otrl_message_symkey(s.us, &s.ops, &s, s.Context(), use,
                      reinterpret_cast<const unsigned char*>(use_data.data()), use_data.size(),
                      symkey);
  key->assign(reinterpret_cast<const char*>(symkey), sizeof symkey);
  std::vector<std::string> wire = std::move(s.injected);
  s.injected.clear();
  return wire;
}

uint32_t LibotrPeer::our_instance_tag() const {
  OtrlInsTag* tag = otrl_instag_find(state_->us, state_->account.c_str(), kProtocol);
  return tag != nullptr ? tag->instag : 0;
}

std::vector<std::string> LibotrPeer::Disconnect() {
  State& s = *state_;
  s.injected.clear();
  ConnContext* context = s.Context();
  otrl_message_disconnect(s.us, &s.ops, &s, s.account.c_str(), kProtocol, s.buddy.c_str(),
                          context ? context->their_instance : OTRL_INSTAG_BEST);
  std::vector<std::string> wire = std::move(s.injected);
  s.injected.clear();
  return wire;
}

bool LibotrPeer::encrypted() const {
  ConnContext* c = state_->Context();
  return c != nullptr && c->msgstate == OTRL_MSGSTATE_ENCRYPTED;
}

bool LibotrPeer::finished() const {
  ConnContext* c = state_->Context();
  return c != nullptr && c->msgstate == OTRL_MSGSTATE_FINISHED;
}

int LibotrPeer::protocol_version() const {
  ConnContext* c = state_->Context();
  return c != nullptr ? static_cast<int>(c->protocol_version) : 0;
}

std::string LibotrPeer::their_fingerprint_hex() const {
  ConnContext* c = state_->Context();
  if (c == nullptr || c->active_fingerprint == nullptr) return "";
  char hex[41];
  for (int i = 0; i < 20; ++i) {
    std::snprintf(hex + 2 * i, 3, "%02x", c->active_fingerprint->fingerprint[i]);
  }
  return hex;
}

std::string LibotrPeer::ssid_hex() const {
  ConnContext* c = state_->Context();
  if (c == nullptr) return "";
  char hex[17];
  for (int i = 0; i < 8; ++i) std::snprintf(hex + 2 * i, 3, "%02x", c->sessionid[i]);
  return hex;
}

LibotrPeer::DhState LibotrPeer::dh_state() const {
  DhState out;
  ConnContext* c = state_->Context();
  if (c == nullptr || c->context_priv == nullptr) return out;
  const ConnContextPriv& p = *c->context_priv;
  out.our_keyid = p.our_keyid;
  out.our_private = MpiHex(p.our_dh_key.priv);
  out.our_public = MpiHex(p.our_dh_key.pub);
  out.our_old_private = MpiHex(p.our_old_dh_key.priv);
  out.our_old_public = MpiHex(p.our_old_dh_key.pub);
  out.their_keyid = p.their_keyid;
  out.their_public = MpiHex(p.their_y);
  out.their_old_public = MpiHex(p.their_old_y);
  for (int i = 0; i < 2; ++i) {
    for (int j = 0; j < 2; ++j) {
      out.receiving_mac_key[i][j] = HexOf(p.sesskeys[i][j].rcvmackey, 20);
    }
  }
  return out;
}

}  // namespace otr::testing
