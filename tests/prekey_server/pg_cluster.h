// A throwaway PostgreSQL cluster for tests: initdb and pg_ctl (Debian
// postgresql, /usr/lib/postgresql/<version>/bin, or $OTR_PG_BIN) in a new
// directory under /tmp, as an unprivileged user (when the test runs as root:
// the user "otrtest", created if missing, through runuser), listening on a
// unix socket in that directory only (listen_addresses = ''), stopped and
// removed by Stop() or the destructor. No PostgreSQL, no cluster: Start()
// says why, and the tests fail with that reason.
#ifndef OTR_TESTS_PREKEY_SERVER_PG_CLUSTER_H_
#define OTR_TESTS_PREKEY_SERVER_PG_CLUSTER_H_

#include <string>

namespace otr::prekey_server::testing {

class PgCluster {
 public:
  PgCluster() = default;
  ~PgCluster() { Stop(); }
  PgCluster(const PgCluster&) = delete;
  PgCluster& operator=(const PgCluster&) = delete;

  // "" on success, else what went wrong.
  std::string Start();
  void Stop();

  // A libpq connection string for `database` on this cluster.
  std::string ConnInfo(const std::string& database) const;
  // Creates an empty database; "" on success, else the reason.
  std::string CreateDatabase(const std::string& name);
  // Runs one SQL statement on `database` through libpq; "" or the error.
  std::string Exec(const std::string& database, const std::string& sql);
  // The first column of the first row of `sql` as text ("<none>" if no row).
  std::string QueryText(const std::string& database, const std::string& sql);

  const std::string& dir() const { return dir_; }

 private:
  std::string bin_;   // directory of initdb, pg_ctl
  std::string dir_;   // socket directory; data in dir_/data
  std::string user_;  // the unprivileged user the server runs as
  bool running_ = false;
};

}  // namespace otr::prekey_server::testing

#endif  // OTR_TESTS_PREKEY_SERVER_PG_CLUSTER_H_
