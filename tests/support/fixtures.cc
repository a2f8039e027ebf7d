#include "tests/support/fixtures.h"

#include <cstdlib>
#include <map>
#include <mutex>
#include <string_view>
#include <utility>

namespace otr::testing {

const crypto::DsaPrivateKey& CachedDsaKey(const crypto::Backend& backend, int who) {
  static std::mutex mutex;
  static std::map<std::pair<std::string_view, int>, crypto::DsaPrivateKey> keys;
  std::lock_guard<std::mutex> lock(mutex);
  auto it = keys.find({backend.name(), who});
  if (it == keys.end()) {
    auto key = backend.GenerateDsaKey();
    if (!key.ok()) std::abort();  // no test can run without its keys
    it = keys.emplace(std::make_pair(backend.name(), who), std::move(key).value()).first;
  }
  return it->second;
}

}  // namespace otr::testing
