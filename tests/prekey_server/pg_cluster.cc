#include "tests/prekey_server/pg_cluster.h"

#include <fcntl.h>
#include <postgresql/libpq-fe.h>
#include <pwd.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <vector>

namespace otr::prekey_server::testing {
namespace {

constexpr const char* kTestUser = "otrtest";

bool IsExecutable(const std::string& path) { return access(path.c_str(), X_OK) == 0; }

std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Runs argv (no shell), its output appended to `log`; the exit status, or
// -1 when it could not run.
int Run(const std::vector<std::string>& argv, const std::string& log) {
  std::fflush(nullptr);
  pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
      dup2(fd, 1);
      dup2(fd, 2);
      close(fd);
    }
    int null = open("/dev/null", O_RDONLY);
    if (null >= 0) dup2(null, 0);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  if (waitpid(pid, &status, 0) != pid) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string FindBin() {
  // $OTR_PG_BIN, when set, is the only place looked at.
  if (const char* env = std::getenv("OTR_PG_BIN"); env != nullptr) {
    return IsExecutable(std::string(env) + "/initdb") ? env : "";
  }
  for (const char* version : {"17", "16", "15", "14", "13"}) {
    std::string dir = std::string("/usr/lib/postgresql/") + version + "/bin";
    if (IsExecutable(dir + "/initdb") && IsExecutable(dir + "/pg_ctl")) return dir;
  }
  return "";
}

}  // namespace

std::string PgCluster::Start() {
  bin_ = FindBin();
  if (bin_.empty()) {
    return "PostgreSQL not found: no initdb/pg_ctl in /usr/lib/postgresql/*/bin or $OTR_PG_BIN "
           "(install the Debian package postgresql: tools/setup.sh)";
  }
  // Under /tmp, not TEST_TMPDIR: the server's user must reach it, and a
  // unix socket path must stay under 108 bytes.
  char pattern[] = "/tmp/otr-pg-XXXXXX";
  if (mkdtemp(pattern) == nullptr) return "cannot make a directory under /tmp";
  dir_ = pattern;
  const std::string log = dir_ + "/setup.log";
  std::vector<std::string> as_user;
  if (geteuid() == 0) {
    // The server refuses to run as root: use an unprivileged user.
    if (getpwnam(kTestUser) == nullptr &&
        Run({"useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", kTestUser},
            log) != 0) {
      return "running as root and the user otrtest is missing and could not be created "
             "(useradd): " +
             Slurp(log);
    }
    const passwd* pw = getpwnam(kTestUser);
    if (pw == nullptr) return "the user otrtest cannot be looked up";
    if (chown(dir_.c_str(), pw->pw_uid, pw->pw_gid) != 0) return "cannot chown " + dir_;
    user_ = kTestUser;
    as_user = {"runuser", "-u", kTestUser, "--"};
  } else {
    const passwd* pw = getpwuid(geteuid());
    if (pw == nullptr) return "the current user has no name (initdb needs one)";
    user_ = pw->pw_name;
  }
  chmod(dir_.c_str(), 0755);
  auto command = [&](std::vector<std::string> argv) {
    std::vector<std::string> full = as_user;
    full.insert(full.end(), argv.begin(), argv.end());
    return full;
  };
  const std::string data = dir_ + "/data";
  if (Run(command({bin_ + "/initdb", "-D", data, "-U", user_, "-A", "trust", "-E", "UTF8",
                   "--locale=C", "--no-sync"}),
          log) != 0) {
    return "initdb failed: " + Slurp(log);
  }
  // No TCP at all (listen_addresses ''): the socket in our directory only.
  // fsync off: these tests kill clients, never the server, and a cluster
  // thrown away at the end need not survive a power failure.
  const std::string options = "-c listen_addresses='' -c unix_socket_directories='" + dir_ +
                              "' -c fsync=off -c max_connections=60";
  if (Run(command({bin_ + "/pg_ctl", "-D", data, "-l", dir_ + "/server.log", "-w", "-t", "60", "-o",
                   options, "start"}),
          log) != 0) {
    return "pg_ctl start failed: " + Slurp(log) + Slurp(dir_ + "/server.log");
  }
  running_ = true;
  return "";
}

void PgCluster::Stop() {
  if (dir_.empty()) return;
  if (running_) {
    std::vector<std::string> argv;
    if (geteuid() == 0) argv = {"runuser", "-u", kTestUser, "--"};
    argv.insert(argv.end(),
                {bin_ + "/pg_ctl", "-D", dir_ + "/data", "-m", "immediate", "-w", "stop"});
    Run(argv, "/dev/null");
    running_ = false;
  }
  Run({"rm", "-rf", dir_}, "/dev/null");
  dir_.clear();
}

std::string PgCluster::ConnInfo(const std::string& database) const {
  return "host=" + dir_ + " dbname=" + database + " user=" + user_;
}

std::string PgCluster::Exec(const std::string& database, const std::string& sql) {
  PGconn* conn = PQconnectdb(ConnInfo(database).c_str());
  std::string error;
  if (PQstatus(conn) != CONNECTION_OK) {
    error = PQerrorMessage(conn);
  } else {
    PGresult* r = PQexec(conn, sql.c_str());
    ExecStatusType status = PQresultStatus(r);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) error = PQresultErrorMessage(r);
    PQclear(r);
  }
  PQfinish(conn);
  return error;
}

std::string PgCluster::QueryText(const std::string& database, const std::string& sql) {
  PGconn* conn = PQconnectdb(ConnInfo(database).c_str());
  std::string out = "<error>";
  if (PQstatus(conn) == CONNECTION_OK) {
    PGresult* r = PQexec(conn, sql.c_str());
    if (PQresultStatus(r) == PGRES_TUPLES_OK) {
      out = PQntuples(r) > 0 ? PQgetvalue(r, 0, 0) : "<none>";
    } else {
      out = std::string("<error> ") + PQresultErrorMessage(r);
    }
    PQclear(r);
  }
  PQfinish(conn);
  return out;
}

std::string PgCluster::CreateDatabase(const std::string& name) {
  if (!running_) return "the cluster is not running";
  return Exec("postgres", "CREATE DATABASE " + name);
}

}  // namespace otr::prekey_server::testing
