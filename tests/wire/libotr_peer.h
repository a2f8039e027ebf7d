// Thin C++ access to libotr 4.1.1's text-layer functions for the conformance
// test and the seed generator: RAII for what libotr allocates, and a context
// set up the way otrl_proto_fragment_create and _accumulate read it.
#ifndef OTR_TESTS_WIRE_LIBOTR_PEER_H_
#define OTR_TESTS_WIRE_LIBOTR_PEER_H_

// libotr's headers depend on each other's order.
// clang-format off
extern "C" {
#include <libotr/proto.h>
#include <libotr/b64.h>
#include <libotr/context.h>
#include <libotr/instag.h>
#include <libotr/userstate.h>
}
// clang-format on

#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "base/bytes.h"

namespace otr::testing {

inline void InitLibotr() {
  static const bool initialised = [] {
    return otrl_init(OTRL_VERSION_MAJOR, OTRL_VERSION_MINOR, OTRL_VERSION_SUB) == 0;
  }();
  if (!initialised) std::abort();
}

// Takes ownership of a malloc'ed C string.
inline std::string TakeString(char* text) {
  std::string out = text == nullptr ? std::string() : std::string(text);
  std::free(text);
  return out;
}

inline std::string LibotrArmor(const Bytes& message) {
  return TakeString(otrl_base64_otr_encode(message.data(), message.size()));
}

inline std::optional<Bytes> LibotrDearmor(const std::string& text) {
  unsigned char* buffer = nullptr;
  size_t size = 0;
  if (otrl_base64_otr_decode(text.c_str(), &buffer, &size) != 0) return std::nullopt;
  Bytes out(buffer, buffer + size);
  std::free(buffer);
  return out;
}

inline std::string LibotrDefaultQuery(const char* name, OtrlPolicy policy) {
  return TakeString(otrl_proto_default_query_msg(name, policy));
}

// One user state with one context for fragmenting and reassembling.
class LibotrContext {
 public:
  explicit LibotrContext(unsigned int version, otrl_instag_t ours = 0x12345678,
                         otrl_instag_t theirs = 0x9abcdef0) {
    InitLibotr();
    state_ = otrl_userstate_create();
    context_ = otrl_context_find(state_, "bob", "alice", "prpl", OTRL_INSTAG_MASTER, 1, nullptr,
                                 nullptr, nullptr);
    context_->protocol_version = version;
    context_->auth.protocol_version = version;
    context_->our_instance = ours;
    context_->their_instance = theirs;
  }
  ~LibotrContext() { otrl_userstate_free(state_); }
  LibotrContext(const LibotrContext&) = delete;
  LibotrContext& operator=(const LibotrContext&) = delete;

  // Fragments `message` as libotr's otrl_message_fragment_and_send does for a
  // network of maximum message size `mms`.
  std::vector<std::string> Fragment(const std::string& message, int mms) {
    const int header = context_->protocol_version == 3 ? 37 : 19;
    const int count = ((static_cast<int>(message.size()) - 1) / (mms - header)) + 1;
    char** fragments = nullptr;
    std::vector<std::string> out;
    if (otrl_proto_fragment_create(mms, count, &fragments, context_, message.c_str()) != 0) {
      return out;
    }
    for (int i = 0; i < count; ++i) out.emplace_back(fragments[i]);
    otrl_proto_fragment_free(&fragments, static_cast<unsigned short>(count));
    return out;
  }

  // Feeds one message to libotr's reassembly; returns the complete message.
  std::optional<std::string> Accumulate(const std::string& text, OtrlFragmentResult* result) {
    char* complete = nullptr;
    *result = otrl_proto_fragment_accumulate(&complete, context_, text.c_str());
    if (*result != OTRL_FRAGMENT_COMPLETE) return std::nullopt;
    return TakeString(complete);
  }

 private:
  OtrlUserState state_ = nullptr;
  ConnContext* context_ = nullptr;
};

}  // namespace otr::testing

#endif  // OTR_TESTS_WIRE_LIBOTR_PEER_H_
