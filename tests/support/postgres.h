// A throwaway PostgreSQL 15 server for the tests of the PostgreSQL store and
// of dossierd on it. Part of dossier_test_support.
//
// Contract
// - Start() runs initdb and postgres from $DOSSIER_PG_BIN (default
//   /usr/lib/postgresql/15/bin) in a fresh temporary directory, listening on
//   127.0.0.1 only, on a free port, with trust authentication for the
//   superuser "dossier", without fsync (tests never crash its host). The
//   postmaster is this process's child and dies with it (PDEATHSIG).
//   PostgreSQL refuses to run as root, so when the tests run as root (CI
//   does) it runs as the "postgres" system user (setpriv), which Debian's
//   postgresql package creates.
// - Fails NotFound "postgres-absent" when the binaries are not installed.
// - The destructor stops the server (fast shutdown) and removes the folder.
// - SharedPostgres(): one server per test process, started on first use and
//   stopped at exit, so a test binary pays initdb once (about 1 s). Each test
//   takes a database of its own with CreateDatabase().
// - Thread-safe: every call may come from any thread.
#pragma once

#include <sys/types.h>

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "tests/support/temp_dir.h"

namespace dossier::testing {

class PostgresServer {
 public:
  static StatusOr<std::unique_ptr<PostgresServer>> Start();
  ~PostgresServer();
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  unsigned short port() const { return port_; }
  // postgres://dossier@127.0.0.1:PORT/DATABASE
  std::string Url(std::string_view database) const;
  // Creates a new empty database ("dossier_1", "dossier_2", ...) and returns its URL.
  StatusOr<std::string> CreateDatabase();
  // Runs `sql` with psql on `database` and returns its unaligned output
  // (for tests that inspect or damage rows directly).
  StatusOr<std::string> Sql(std::string_view database, std::string_view sql) const;
  // Stops the server (fast shutdown: clients are disconnected) and starts it
  // again on the same port, for tests of a database restart under load.
  Status Stop();
  Status Restart();

 private:
  PostgresServer() = default;
  Status RunAsServerUser(const std::vector<std::string>& argv, int limit_seconds) const;
  Status StartServer();

  TempDir dir_{"dossier-pg-"};
  std::string bin_;
  unsigned short port_ = 0;
  pid_t pid_ = -1;  // the postmaster, our child
  std::mutex mu_;
  int databases_ = 0;  // guarded by mu_
};

// The test process's one server, or null after printing why it was skipped
// (PostgreSQL absent). When the environment variable CI is set, an absent or
// failing server throws std::runtime_error instead: CI must run these tests.
PostgresServer* SharedPostgres();

// The stores an end-to-end test runs dossierd on, for BOOST_DATA_TEST_CASE.
inline const std::vector<std::string> kStoreBackends = {"rocksdb", "postgres"};

// The dossierd flags for a store on `backend`: none for "rocksdb" (the
// default), "--store URL" of a fresh database on SharedPostgres() for
// "postgres". nullopt (after printing why) when PostgreSQL is absent.
std::optional<std::vector<std::string>> StoreFlags(const std::string& backend);

}  // namespace dossier::testing
