// What the v4 engine tests share: every pair of backends, the texts a peer
// read, counting events, and re-encoding a v4 message with a change.
#ifndef OTR_TESTS_V4_ENGINE_HELPERS_H_
#define OTR_TESTS_V4_ENGINE_HELPERS_H_

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "crypto/backends.h"
#include "protocol/api/output.h"
#include "protocol/v4/messages/messages.h"
#include "protocol/wire/armor.h"
#include "protocol/wire/classify.h"

namespace otr::v4::testing {

using BackendPair = std::pair<const crypto::Backend*, const crypto::Backend*>;

// Both on one backend, and one side on each.
inline std::vector<BackendPair> AllBackendPairs() {
  std::vector<BackendPair> out;
  for (const crypto::Backend* a : crypto::AllBackends()) {
    for (const crypto::Backend* b : crypto::AllBackends()) out.emplace_back(a, b);
  }
  return out;
}

inline std::string BackendPairName(const ::testing::TestParamInfo<BackendPair>& info) {
  return std::string(info.param.first->name()) + "_" + std::string(info.param.second->name());
}

inline std::vector<std::string> Texts(const Output& out) {
  std::vector<std::string> texts;
  for (const Displayed& d : out.display) texts.push_back(d.text);
  return texts;
}

inline size_t Count(const Output& out, EventType type) {
  return static_cast<size_t>(std::count_if(out.events.begin(), out.events.end(),
                                           [&](const Event& e) { return e.type() == type; }));
}

// `text` re-encoded with `change` applied to its v4 message; empty when it
// is not a v4 message of type M.
template <typename M>
std::string Corrupt(const std::string& text, const std::function<void(M&)>& change) {
  auto inbound = wire::Classify(text);
  const auto* encoded = std::get_if<wire::UnsupportedMessage>(&inbound);
  if (encoded == nullptr) return {};
  auto decoded = DecodeMessage(encoded->message);
  if (!decoded.ok() || !std::holds_alternative<M>(*decoded)) return {};
  M m = std::get<M>(*decoded);
  change(m);
  return wire::EncodeArmor(EncodeMessage(Message{m}));
}

}  // namespace otr::v4::testing

#endif  // OTR_TESTS_V4_ENGINE_HELPERS_H_
