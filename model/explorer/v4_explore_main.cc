// The v4 explorer's long runs, on demand (model/README.md, "The v4
// explorer"):
//   bazel run //model/explorer:explore_v4 -- --config=established --depth=6
// Prints states, transitions, rows covered and time; a violation is printed
// as a shrunk, replayed trace and the exit status is 1.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "crypto/backends.h"
#include "model/explorer/v4_explorer.h"

int main(int argc, char** argv) {
  std::string config_name = "ake";
  int depth = 5;
  uint64_t max_states = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg.rfind("--config=", 0) == 0) {
      config_name = std::string(arg.substr(9));
    } else if (arg.rfind("--depth=", 0) == 0) {
      depth = std::atoi(argv[i] + 8);
    } else if (arg.rfind("--max-states=", 0) == 0) {
      max_states = std::strtoull(argv[i] + 13, nullptr, 10);
    } else {
      std::fprintf(stderr,
                   "usage: explore_v4 [--config=ake|established|reorder|smp-differ|v3-fallback"
                   "[-mallory]|mallory-smp|offline|offline-reorder|offline-live] [--depth=N] "
                   "[--max-states=N]\n");
      return 2;
    }
  }
  auto backend = otr::crypto::FindBackend("openssl");
  if (!backend.ok()) return 2;
  otr::model::V4ExplorerConfig config = otr::model::V4NamedConfig(config_name, **backend, depth);
  config.max_states = max_states;
  auto e = otr::model::V4Explorer::Create(config);
  if (!e.ok()) {
    std::fprintf(stderr, "explore_v4: %s\n", std::string(e.error().context).c_str());
    return 2;
  }
  auto v = (*e)->Run();
  const otr::model::Stats& s = (*e)->stats();
  std::printf(
      "%s depth %d: %llu states, %llu transitions, %llu rows checked, %zu/%zu rows covered, "
      "%.1f s%s\n",
      config_name.c_str(), depth, static_cast<unsigned long long>(s.states),
      static_cast<unsigned long long>(s.transitions),
      static_cast<unsigned long long>(s.rows_checked), s.rows_covered, s.rows_total, s.seconds,
      s.truncated ? " (truncated)" : "");
  if ((*e)->lost_before_auth() > 0) {
    // The spec's loss (model/README.md, "Offline start"): the first trace.
    std::printf("data messages delivered before their session: %llu; the first:\n%s",
                static_cast<unsigned long long>((*e)->lost_before_auth()),
                (*e)->Format((*e)->lost_example()).c_str());
  }
  if (v) {
    std::printf("VIOLATION %s: %s\n%s", v->invariant.c_str(), v->detail.c_str(),
                (*e)->Format(v->trace).c_str());
    return 1;
  }
  return 0;
}
