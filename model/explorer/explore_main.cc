// The explorer's long run, on demand:
//   bazel run //model/explorer:explore -- --config=established --depth=8
//       --backend=openssl --max-states=200000
// Prints states visited, transitions, rows covered and time; a violation is
// printed as a shrunk, replayed trace and the exit status is 1.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "crypto/backends.h"
#include "model/explorer/explorer.h"

namespace {

bool Flag(std::string_view arg, std::string_view name, std::string* value) {
  const std::string prefix = "--" + std::string(name) + "=";
  if (arg.rfind(prefix, 0) != 0) return false;
  *value = std::string(arg.substr(prefix.size()));
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  std::string config_name = "ake", backend_name = "openssl", value;
  int depth = 6;
  uint64_t max_states = 0;
  int window = -1, replay = -1, stale = -1, smp = -1, send = -1, redirect = -1, mstart = -1,
      msend = -1, por = -1, drop = -1, duplicate = -1, start = -1, end = -1, time = -1,
      time_step = -1;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (Flag(arg, "config", &value)) {
      config_name = value;
    } else if (Flag(arg, "backend", &value)) {
      backend_name = value;
    } else if (Flag(arg, "depth", &value)) {
      depth = std::atoi(value.c_str());
    } else if (Flag(arg, "max-states", &value)) {
      max_states = std::strtoull(value.c_str(), nullptr, 10);
    } else if (Flag(arg, "window", &value)) {
      window = std::atoi(value.c_str());
    } else if (Flag(arg, "replays", &value)) {
      replay = std::atoi(value.c_str());
    } else if (Flag(arg, "stale", &value)) {
      stale = std::atoi(value.c_str());
    } else if (Flag(arg, "smp", &value)) {
      smp = std::atoi(value.c_str());
    } else if (Flag(arg, "sends", &value)) {
      send = std::atoi(value.c_str());
    } else if (Flag(arg, "redirects", &value)) {
      redirect = std::atoi(value.c_str());
    } else if (Flag(arg, "mallory-starts", &value)) {
      mstart = std::atoi(value.c_str());
    } else if (Flag(arg, "mallory-sends", &value)) {
      msend = std::atoi(value.c_str());
    } else if (Flag(arg, "drops", &value)) {
      drop = std::atoi(value.c_str());
    } else if (Flag(arg, "duplicates", &value)) {
      duplicate = std::atoi(value.c_str());
    } else if (Flag(arg, "starts", &value)) {
      start = std::atoi(value.c_str());
    } else if (Flag(arg, "ends", &value)) {
      end = std::atoi(value.c_str());
    } else if (Flag(arg, "time", &value)) {
      time = std::atoi(value.c_str());
    } else if (Flag(arg, "time-step", &value)) {
      time_step = std::atoi(value.c_str());
    } else if (Flag(arg, "por", &value)) {
      por = std::atoi(value.c_str());
    } else {
      std::fprintf(stderr,
                   "usage: explore [--config=ake|established|smp-differ[-v2][-mallory]] "
                   "[--depth=N] [--backend=openssl|gcrypt] [--max-states=N] [--window=N] "
                   "[--replays=N] [--stale=N] [--smp=N] [--sends=N] [--redirects=N] "
                   "[--mallory-starts=N] [--mallory-sends=N] [--drops=N] [--duplicates=N] "
                   "[--starts=N] [--ends=N] [--time=N] [--time-step=SECONDS] [--por=0|1]\n");
      return 2;
    }
  }
  auto backend = otr::crypto::FindBackend(backend_name);
  if (!backend.ok()) {
    std::fprintf(stderr, "explore: no backend %s\n", backend_name.c_str());
    return 2;
  }
  otr::model::ExplorerConfig config = otr::model::NamedConfig(config_name, **backend, depth);
  config.max_states = max_states;
  if (window >= 0) config.window = static_cast<size_t>(window);
  if (replay >= 0) config.budgets.replay = replay;
  if (stale >= 0) config.budgets.stale = stale;
  if (smp >= 0) config.budgets.smp = smp;
  if (send >= 0) config.budgets.send = send;
  if (redirect >= 0) config.budgets.redirect = redirect;
  if (mstart >= 0) config.budgets.mstart = mstart;
  if (msend >= 0) config.budgets.msend = msend;
  if (por >= 0) config.por = por != 0;
  if (drop >= 0) config.budgets.drop = drop;
  if (duplicate >= 0) config.budgets.duplicate = duplicate;
  if (start >= 0) config.budgets.start = start;
  if (end >= 0) config.budgets.end = end;
  if (time >= 0) config.budgets.time = time;
  if (time_step >= 0) config.time_step = time_step;
  auto explorer = otr::model::Explorer::Create(config);
  if (!explorer.ok()) {
    std::fprintf(stderr, "explore: %s\n", std::string(explorer.error().context).c_str());
    return 2;
  }
  auto violation = (*explorer)->Run();
  const otr::model::Stats& s = (*explorer)->stats();
  std::printf(
      "config %s, backend %s, depth %d: %llu states, %llu transitions, %llu rows checked, "
      "%zu/%zu table rows covered, deepest path %zu, %llu slept, %.1f s%s\n",
      config_name.c_str(), backend_name.c_str(), depth, static_cast<unsigned long long>(s.states),
      static_cast<unsigned long long>(s.transitions),
      static_cast<unsigned long long>(s.rows_checked), s.rows_covered, s.rows_total, s.max_depth,
      static_cast<unsigned long long>(s.slept), s.seconds,
      s.truncated ? " (stopped at --max-states)" : "");
  if (!violation) return 0;
  std::printf("VIOLATION of %s: %s\nminimal trace (%zu steps):\n%s", violation->invariant.c_str(),
              violation->detail.c_str(), violation->trace.size(),
              (*explorer)->Format(violation->trace).c_str());
  return 1;
}
