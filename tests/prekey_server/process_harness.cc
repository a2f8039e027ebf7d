#include "tests/prekey_server/process_harness.h"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <string_view>

namespace otr::prekey_server::testing {
namespace {

constexpr int64_t kWeek = 7 * 24 * 3600;
constexpr size_t kPadding = 300;  // makes each prekey message a realistic size
// How long the parent waits for children before it calls the run failed
// (a hang, not a measurement: nothing is asserted on time).
constexpr int kPatienceMs = 300'000;

Bytes Message(const std::string& name) { return ToBytes(name + "|" + std::string(kPadding, 'x')); }

std::string NameOf(const Bytes& message) {
  std::string text(message.begin(), message.end());
  return text.substr(0, text.find('|'));
}

void AppendLine(int fd, const std::string& line) {
  std::string text = line + "\n";
  const char* p = text.data();
  size_t left = text.size();
  while (left > 0) {
    ssize_t n = write(fd, p, left);
    if (n <= 0) _exit(5);
    p += n;
    left -= static_cast<size_t>(n);
  }
}

std::vector<std::string> ReadLines(const std::string& path) {
  std::vector<std::string> lines;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

size_t CountLines(const std::string& path) { return ReadLines(path).size(); }

// A start line for children: each opens its connection, then waits until
// the parent has started them all (Release), so they run at the same time.
class StartBarrier {
 public:
  StartBarrier() {
    if (pipe2(fds_, O_CLOEXEC) != 0) fds_[0] = fds_[1] = -1;
  }
  ~StartBarrier() {
    Release();
    if (fds_[0] >= 0) close(fds_[0]);
  }
  // In a child: blocks until the parent releases (end of file on the pipe).
  void Wait() {
    if (fds_[1] >= 0) close(fds_[1]);
    char c;
    while (read(fds_[0], &c, 1) > 0) {
    }
  }
  void Release() {
    if (fds_[1] >= 0) close(fds_[1]);
    fds_[1] = -1;
  }

 private:
  int fds_[2];
};

// Forks a child that opens its own connection, waits at `barrier` (if any),
// runs `body` and exits with the code body returns (never returns in the
// child).
pid_t Spawn(const Opener& open, const std::function<int(prekey::Storage&)>& body,
            StartBarrier* barrier = nullptr) {
  std::fflush(nullptr);
  pid_t pid = fork();
  if (pid != 0) return pid;
  int code;
  {
    std::unique_ptr<prekey::Storage> storage = open();
    if (barrier != nullptr) barrier->Wait();
    code = storage ? body(*storage) : 3;
  }
  _exit(code);
}

// Waits for `pid`; "" when it exited 0 or was killed by SIGKILL (when allowed).
std::string Reap(pid_t pid, bool killed_ok) {
  int status = 0;
  if (waitpid(pid, &status, 0) != pid) return "waitpid failed";
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return "";
  if (killed_ok && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) return "";
  if (WIFEXITED(status)) {
    return "child exited with status " + std::to_string(WEXITSTATUS(status)) +
           (WEXITSTATUS(status) == 3 ? " (could not open the storage)" : "") +
           (WEXITSTATUS(status) == 2 ? " (a storage call failed)" : "");
  }
  return "child died of signal " + std::to_string(WTERMSIG(status));
}

// Waits until the files in `logs` hold `records` lines in total, or until
// every child in `pids` has exited. False on a hang.
bool WaitForRecords(const std::vector<std::string>& logs, size_t records,
                    const std::vector<pid_t>& pids) {
  for (int waited = 0; waited < kPatienceMs; ++waited) {
    size_t total = 0;
    for (const auto& log : logs) total += CountLines(log);
    if (total >= records) return true;
    bool any_alive = false;
    for (pid_t pid : pids) {
      siginfo_t info{};
      // WNOWAIT: only look; Reap collects the status later.
      if (waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
          info.si_pid == 0) {
        any_alive = true;
      }
    }
    if (!any_alive) return true;
    usleep(1000);
  }
  return false;
}

// SIGKILL after a random pause of up to 3 ms, so the kill lands anywhere in
// the call that follows the last logged one (not only at its start).
void KillSoon(pid_t pid, std::mt19937& random) {
  usleep(std::uniform_int_distribution<useconds_t>(0, 3000)(random));
  kill(pid, SIGKILL);
}

int OpenLog(const std::string& path) {
  return ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
}

prekey::Publication FullPublication(const std::string& owner, uint32_t tag,
                                    const std::string& label, uint32_t first_id, uint32_t count) {
  prekey::Publication p;
  p.owner = owner;
  p.instance_tag = tag;
  p.client_profile = ToBytes("cp-" + label);
  p.client_profile_expires = kHarnessNow + kWeek;
  p.prekey_profile = ToBytes("pp-" + label);
  p.prekey_profile_expires = kHarnessNow + kWeek;
  for (uint32_t i = 0; i < count; ++i) {
    p.prekey_messages.emplace_back(first_id + i,
                                   Message("m-" + label + "-" + std::to_string(first_id + i)));
  }
  return p;
}

// A child's body: takes the ensembles of `owner` until none is left, each
// prekey message's name logged to `log` once the take returned Ok. The exit
// code: 0 when none is left, 2 when a take failed, 4 without the log.
int TakeAllLogged(prekey::Storage& storage, const std::string& owner, const std::string& log) {
  int fd = OpenLog(log);
  if (fd < 0) return 4;
  for (;;) {
    auto taken = storage.TakeEnsembles(owner, kHarnessNow);
    if (!taken.ok()) return 2;
    if (taken->empty()) return 0;
    for (const auto& e : *taken) AppendLine(fd, NameOf(e.prekey_message));
  }
}

// Publishes tags x per_tag messages for `owner` (several publications per
// tag, at most 255 messages each as in a Prekey Publication Message).
std::string PublishMany(prekey::Storage& storage, const std::string& owner, uint32_t tags,
                        uint32_t per_tag) {
  for (uint32_t t = 0; t < tags; ++t) {
    uint32_t tag = 0x100 + t;
    for (uint32_t first = 0; first < per_tag; first += 255) {
      uint32_t count = std::min<uint32_t>(255, per_tag - first);
      if (!storage
               .Publish(FullPublication(owner, tag, std::to_string(tag), first, count), kHarnessNow)
               .ok()) {
        return "publish failed";
      }
    }
  }
  return "";
}

template <typename R>
R Failed(std::string error) {
  R r;
  r.error = std::move(error);
  return r;
}

}  // namespace

std::string MakeTempDir(const char* prefix) {
  const char* base = std::getenv("TEST_TMPDIR");
  std::string pattern = std::string(base ? base : "/tmp") + "/" + prefix + "XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) return "";
  return pattern;
}

ConcurrentTakeResult RunConcurrentTakes(const Opener& open, const std::string& dir, int children,
                                        uint32_t tags, uint32_t per_tag) {
  ConcurrentTakeResult result;
  const std::string owner = "concurrent@localhost";
  {
    auto storage = open();
    if (!storage) return Failed<decltype(result)>("cannot open the storage");
    result.error = PublishMany(*storage, owner, tags, per_tag);
    if (!result.error.empty()) return result;
  }
  result.published = uint64_t{tags} * per_tag;
  std::vector<pid_t> pids;
  std::vector<std::string> logs;
  StartBarrier barrier;
  for (int c = 0; c < children; ++c) {
    logs.push_back(dir + "/take-" + std::to_string(c) + ".log");
    const std::string log = logs.back();
    pids.push_back(Spawn(
        open,
        [&owner, log](prekey::Storage& storage) { return TakeAllLogged(storage, owner, log); },
        &barrier));
  }
  auto start = std::chrono::steady_clock::now();
  barrier.Release();
  for (pid_t pid : pids) {
    std::string error = Reap(pid, /*killed_ok=*/false);
    if (!error.empty() && result.error.empty()) result.error = error;
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::set<std::string> distinct;
  for (const auto& log : logs) {
    auto lines = ReadLines(log);
    result.per_child.push_back(lines.size());
    result.taken += lines.size();
    distinct.insert(lines.begin(), lines.end());
  }
  result.distinct = distinct.size();
  auto storage = open();
  if (!storage) return Failed<decltype(result)>("cannot reopen the storage");
  auto left = storage->CountPrekeyMessages(owner, kHarnessNow);
  if (!left.ok()) return Failed<decltype(result)>("count failed");
  result.left = *left;
  return result;
}

CrashPublishResult RunCrashDuringPublish(const Opener& open, const std::string& dir, int rounds,
                                         uint32_t messages, uint32_t seed) {
  CrashPublishResult result;
  std::mt19937 random(seed);
  std::map<int, uint64_t> attempted;  // round -> highest index acknowledged + 1
  std::set<std::pair<int, uint64_t>> acknowledged;
  for (int round = 0; round < rounds; ++round) {
    const std::string log = dir + "/publish-" + std::to_string(round) + ".log";
    pid_t pid = Spawn(open, [round, log, messages](prekey::Storage& storage) {
      int fd = OpenLog(log);
      if (fd < 0) return 4;
      for (uint64_t k = 0;; ++k) {
        std::string label = std::to_string(round) + "-" + std::to_string(k);
        auto p = FullPublication("crash-" + label, 0x1000, label, 1, messages);
        if (!storage.Publish(p, kHarnessNow).ok()) return 2;
        AppendLine(fd, std::to_string(k));  // after Ok: acknowledged
      }
    });
    size_t records = std::uniform_int_distribution<size_t>(1, 25)(random);
    if (!WaitForRecords({log}, records, {pid})) result.error = "publisher hung";
    KillSoon(pid, random);
    std::string error = Reap(pid, /*killed_ok=*/true);
    if (!error.empty() && result.error.empty()) result.error = error;
    ++result.kills;
    uint64_t highest = 0;
    for (const auto& line : ReadLines(log)) {
      uint64_t k = std::stoull(line);
      acknowledged.insert({round, k});
      highest = std::max(highest, k + 1);
    }
    attempted[round] = highest;
  }
  result.acknowledged = acknowledged.size();
  auto storage = open();
  if (!storage) return Failed<decltype(result)>("cannot reopen the storage");
  for (const auto& [round, highest] : attempted) {
    // One past the last acknowledged may have been in flight (and committed).
    for (uint64_t k = 0; k <= highest + 1; ++k) {
      std::string label = std::to_string(round) + "-" + std::to_string(k);
      std::string owner = "crash-" + label;
      bool acked = acknowledged.count({round, k}) > 0;
      auto count = storage->CountPrekeyMessages(owner, kHarnessNow);
      if (!count.ok()) return Failed<decltype(result)>("count failed");
      std::set<std::string> found;
      bool profiles_right = true;
      for (;;) {
        auto taken = storage->TakeEnsembles(owner, kHarnessNow);
        if (!taken.ok()) return Failed<decltype(result)>("take failed");
        if (taken->empty()) break;
        for (const auto& e : *taken) {
          found.insert(NameOf(e.prekey_message));
          profiles_right = profiles_right && e.client_profile == ToBytes("cp-" + label) &&
                           e.prekey_profile == ToBytes("pp-" + label);
        }
      }
      bool whole = *count == messages && found.size() == messages && profiles_right;
      bool absent = *count == 0 && found.empty();
      if (whole) ++result.found_whole;
      if (!whole && !absent) ++result.partial;
      if (acked && !whole) ++result.lost;
    }
  }
  return result;
}

CrashTakeResult RunCrashDuringTake(const Opener& open, const std::string& dir, int rounds,
                                   uint32_t tags, uint32_t per_tag, uint32_t seed) {
  CrashTakeResult result;
  std::mt19937 random(seed);
  const std::string owner = "victim@localhost";
  {
    auto storage = open();
    if (!storage) return Failed<decltype(result)>("cannot open the storage");
    result.error = PublishMany(*storage, owner, tags, per_tag);
    if (!result.error.empty()) return result;
  }
  result.published = uint64_t{tags} * per_tag;
  std::vector<std::string> all_logs;
  for (int round = 0; round < rounds; ++round) {
    std::vector<std::string> logs;
    std::vector<pid_t> pids;
    StartBarrier barrier;
    for (int c = 0; c < 2; ++c) {
      logs.push_back(dir + "/crash-take-" + std::to_string(round) + "-" + std::to_string(c) +
                     ".log");
      const std::string log = logs.back();
      pids.push_back(Spawn(
          open,
          [&owner, log](prekey::Storage& storage) { return TakeAllLogged(storage, owner, log); },
          &barrier));
    }
    barrier.Release();
    size_t records = std::uniform_int_distribution<size_t>(1, 40)(random);
    if (!WaitForRecords(logs, records, pids)) result.error = "takers hung";
    for (pid_t pid : pids) KillSoon(pid, random);
    for (pid_t pid : pids) {
      std::string error = Reap(pid, /*killed_ok=*/true);
      if (!error.empty() && result.error.empty()) result.error = error;
    }
    result.kills += 2;
    all_logs.insert(all_logs.end(), logs.begin(), logs.end());
  }
  std::set<std::string> logged;
  for (const auto& log : all_logs) {
    for (const auto& line : ReadLines(log)) {
      ++result.acknowledged;
      if (!logged.insert(line).second) ++result.duplicates;
    }
  }
  auto storage = open();
  if (!storage) return Failed<decltype(result)>("cannot reopen the storage");
  for (;;) {
    auto taken = storage->TakeEnsembles(owner, kHarnessNow);
    if (!taken.ok()) return Failed<decltype(result)>("take failed");
    if (taken->empty()) break;
    for (const auto& e : *taken) {
      ++result.left;
      if (logged.count(NameOf(e.prekey_message)) > 0) ++result.duplicates;
    }
  }
  uint64_t accounted = logged.size() + result.left;
  result.unaccounted = accounted <= result.published ? result.published - accounted : 0;
  if (accounted > result.published && result.error.empty()) {
    result.error = "more messages handed out and left than were published";
  }
  return result;
}

}  // namespace otr::prekey_server::testing
