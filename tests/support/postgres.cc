#include "tests/support/postgres.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <stdexcept>
#include <thread>

#include "tests/support/process.h"

namespace dossier::testing {
namespace fs = std::filesystem;

namespace {

// A port nothing listens on right now (the kernel's choice for port 0).
unsigned short FreePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  unsigned short port = 0;
  if (fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  if (fd >= 0) ::close(fd);
  return port;
}

// PostgreSQL refuses to run as root: as root, run it as the "postgres" user.
StatusOr<std::vector<std::string>> AsServerUser() {
  if (::geteuid() != 0) return std::vector<std::string>{};
  if (::getpwnam("postgres") == nullptr) {
    return FailedPrecondition("running as root and there is no 'postgres' user to run PostgreSQL as",
                              "postgres-absent");
  }
  // setpriv execs in place (no intermediate process) and keeps the parent-death signal.
  return std::vector<std::string>{"/usr/bin/setpriv", "--reuid=postgres", "--regid=postgres",
                                  "--init-groups",    "--pdeathsig=KILL", "--"};
}

}  // namespace

StatusOr<std::unique_ptr<PostgresServer>> PostgresServer::Start() {
  const char* bin = std::getenv("DOSSIER_PG_BIN");
  std::unique_ptr<PostgresServer> server(new PostgresServer());
  server->bin_ = bin && *bin ? bin : "/usr/lib/postgresql/15/bin";
  if (!fs::exists(fs::path(server->bin_) / "initdb") || !fs::exists(fs::path(server->bin_) / "postgres")) {
    return NotFound("PostgreSQL 15 is not installed (no initdb in " + server->bin_ +
                        "; tools/install-deps.sh installs it)",
                    "postgres-absent");
  }
  if (::geteuid() == 0) {
    const passwd* pw = ::getpwnam("postgres");
    if (pw == nullptr)
      return FailedPrecondition("no 'postgres' user to run PostgreSQL as", "postgres-absent");
    if (::chown(server->dir_.path().c_str(), pw->pw_uid, pw->pw_gid) != 0) {
      return Internal("cannot hand " + server->dir_.path().string() + " to the postgres user");
    }
  }
  DOSSIER_RETURN_IF_ERROR(
      server->RunAsServerUser({server->bin_ + "/initdb", "-D", (server->dir_.path() / "data").string(), "-U",
                               "dossier", "--auth=trust", "-E", "UTF8", "--no-sync", "--no-instructions"},
                              60));
  server->port_ = FreePort();
  DOSSIER_RETURN_IF_ERROR(server->StartServer());
  return server;
}

Status PostgresServer::RunAsServerUser(const std::vector<std::string>& argv, int limit_seconds) const {
  DOSSIER_ASSIGN_OR_RETURN(std::vector<std::string> full, AsServerUser());
  full.insert(full.end(), argv.begin(), argv.end());
  ProcessResult r = RunProcess(full, {}, std::chrono::seconds(limit_seconds), dir_.path());
  if (r.exit_code != 0) return Internal(argv[0] + " failed: " + r.out + r.err, "postgres-failed");
  return Status::Ok();
}

Status PostgresServer::StartServer() {
  DOSSIER_ASSIGN_OR_RETURN(std::vector<std::string> argv, AsServerUser());
  const std::string data = (dir_.path() / "data").string();
  // Small and quick for tests. The tests kill dossierd, never PostgreSQL's
  // host, so flushing PostgreSQL's files to disk (fsync) would cost time and
  // prove nothing; a commit is still acknowledged only after PostgreSQL
  // wrote it (synchronous_commit stays on).
  for (std::string a : {bin_ + "/postgres", std::string("-D"), data, std::string("-p"), std::to_string(port_),
                        std::string("-k"), dir_.path().string(), std::string("-c"),
                        std::string("listen_addresses=127.0.0.1"), std::string("-c"),
                        std::string("max_connections=200"), std::string("-c"), std::string("shared_buffers=32MB"),
                        std::string("-c"), std::string("fsync=off"), std::string("-c"),
                        std::string("full_page_writes=off")}) {
    argv.push_back(a);
  }
  const std::string log = (dir_.path() / "postgres.log").string();
  const pid_t pid = ::fork();
  if (pid < 0) return Internal("fork failed");
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // the server dies with the test process
    // open/dup2, not freopen: that would flush the parent's buffered stdout a second time.
    const int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    if (out >= 0) {
      ::dup2(out, 1);
      ::dup2(out, 2);
    }
    if (::chdir(dir_.path().c_str()) != 0) ::_exit(126);
    std::vector<char*> args;
    for (auto& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  pid_ = pid;
  // Ready once it accepts a query (at most 30 s).
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    if (Sql("postgres", "SELECT 1").ok()) return Status::Ok();
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return Internal("postgres exited at start; see " + log, "postgres-failed");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return Internal("postgres did not accept connections within 30 s; see " + log, "postgres-failed");
}

PostgresServer::~PostgresServer() { Stop().ok(); }

Status PostgresServer::Stop() {
  if (pid_ <= 0) return Status::Ok();
  // SIGINT: "fast" shutdown, clients are disconnected and the server exits cleanly.
  ::kill(pid_, SIGINT);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  int status = 0;
  while (::waitpid(pid_, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  pid_ = -1;
  return Status::Ok();
}

Status PostgresServer::Restart() {
  DOSSIER_RETURN_IF_ERROR(Stop());
  return StartServer();
}

std::string PostgresServer::Url(std::string_view database) const {
  return "postgres://dossier@127.0.0.1:" + std::to_string(port_) + "/" + std::string(database);
}

StatusOr<std::string> PostgresServer::CreateDatabase() {
  std::string name;
  {
    std::lock_guard lock(mu_);
    name = "dossier_" + std::to_string(++databases_);
  }
  DOSSIER_RETURN_IF_ERROR(Sql("postgres", "CREATE DATABASE " + name).status());
  return Url(name);
}

StatusOr<std::string> PostgresServer::Sql(std::string_view database, std::string_view sql) const {
  ProcessResult r = RunProcess({bin_ + "/psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d",
                                Url(database), "-c", std::string(sql)},
                               {}, std::chrono::seconds(60));
  if (r.exit_code != 0) return Internal("psql failed: " + r.err, "postgres-failed");
  return r.out;
}

PostgresServer* SharedPostgres() {
  // One server per test process (see the header): started once, stopped by
  // the static's destructor at exit.
  static std::unique_ptr<PostgresServer> server = [] {
    auto started = PostgresServer::Start();
    if (started.ok()) return std::move(started).value();
    const char* ci = std::getenv("CI");
    if (ci && *ci) {
      throw std::runtime_error("CI is set but the test PostgreSQL could not start: " +
                               started.status().ToString());
    }
    std::cerr << "SKIPPED: the PostgreSQL backend's tests need PostgreSQL 15 (" << started.status().message()
              << ")\n";
    return std::unique_ptr<PostgresServer>();
  }();
  return server.get();
}

std::optional<std::vector<std::string>> StoreFlags(const std::string& backend) {
  if (backend == "rocksdb") return std::vector<std::string>{};
  PostgresServer* server = SharedPostgres();
  if (server == nullptr) return std::nullopt;
  auto url = server->CreateDatabase();
  if (!url.ok()) throw std::runtime_error("cannot create a test database: " + url.status().ToString());
  return std::vector<std::string>{"--store", *url};
}

}  // namespace dossier::testing
