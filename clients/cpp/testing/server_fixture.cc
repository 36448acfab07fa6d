#include "testing/server_fixture.h"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <thread>

#include "dossier/client/client.h"

namespace dossier::client::testing {
namespace fs = std::filesystem;

namespace {

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Waits for `pid` until `deadline`; returns true (and the wait status) when it exited.
bool WaitUntil(pid_t pid, std::chrono::steady_clock::time_point deadline, int* status) {
  for (;;) {
    pid_t r = ::waitpid(pid, status, WNOHANG);
    if (r == pid) return true;
    if (r < 0) return true;
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

}  // namespace

fs::path BinDir() {
  const char* dir = std::getenv("DOSSIER_BIN_DIR");
  return dir ? fs::path(dir) : fs::current_path();
}

TempDir::TempDir() {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/dossier-sdk-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) std::abort();
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

StatusOr<std::unique_ptr<TestServer>> TestServer::Start(const fs::path& data_dir) {
  std::unique_ptr<TestServer> server(new TestServer());
  server->data_dir_ = data_dir;
  fs::create_directories(data_dir);
  const fs::path out = data_dir / "dossierd.stdout";
  const fs::path err = data_dir / "dossierd.stderr";
  const std::string binary = (BinDir() / "dossierd").string();
  pid_t pid = ::fork();
  if (pid < 0) return Internal("fork failed");
  if (pid == 0) {
    int o = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int e = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::dup2(o, 1);
    ::dup2(e, 2);
    ::execl(binary.c_str(), binary.c_str(), "serve", "--data", data_dir.c_str(), "--listen", "127.0.0.1:0",
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  server->pid_ = pid;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    const std::string text = ReadAll(out);
    auto at = text.find("listening on ");
    if (at != std::string::npos) {
      auto end = text.find_first_of(" \n", at + 13);
      if (end != std::string::npos) {
        server->url_ = text.substr(at + 13, end - at - 13);
        return server;
      }
    }
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == pid) {
      server->pid_ = -1;
      return Internal("dossierd exited at start: " + ReadAll(err));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return Internal("dossierd did not start listening within 30 s");
}

TestServer::~TestServer() { Stop(); }

void TestServer::Stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  int status = 0;
  if (!WaitUntil(pid_, std::chrono::steady_clock::now() + std::chrono::seconds(10), &status)) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, &status, 0);
  }
  pid_ = -1;
}

std::string TestServer::operator_token() const {
  std::string token = ReadAll(data_dir_ / "operator.token");
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r')) token.pop_back();
  return token;
}

StatusOr<TenantAdmin> ProvisionTenant(const TestServer& server, const std::string& tenant) {
  ClientOptions options;
  options.base_url = server.url();
  options.token = server.operator_token();
  DOSSIER_ASSIGN_OR_RETURN(auto client, Client::Create(options));
  NewTenant t;
  t.id = tenant;
  t.display_name = tenant;
  DOSSIER_RETURN_IF_ERROR(client->CreateTenant(t).status());
  DOSSIER_ASSIGN_OR_RETURN(auto token, client->CreateToken(tenant, "ADMIN", "test admin"));
  return TenantAdmin{tenant, token.secret};
}

ProcessResult RunProcess(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
                         std::chrono::seconds limit, const fs::path& cwd) {
  ProcessResult result;
  TempDir io;
  const fs::path out = io.path() / "out", err = io.path() / "err";
  pid_t pid = ::fork();
  if (pid < 0) return result;
  if (pid == 0) {
    ::setpgid(0, 0);
    int o = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int e = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int in = ::open("/dev/null", O_RDONLY);
    ::dup2(in, 0);
    ::dup2(o, 1);
    ::dup2(e, 2);
    for (const auto& [k, v] : env) {
      if (v.empty()) {
        ::unsetenv(k.c_str());
      } else {
        ::setenv(k.c_str(), v.c_str(), 1);
      }
    }
    if (!cwd.empty() && ::chdir(cwd.c_str()) != 0) ::_exit(126);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  int status = 0;
  if (!WaitUntil(pid, std::chrono::steady_clock::now() + limit, &status)) {
    ::kill(-pid, SIGKILL);
    ::kill(pid, SIGKILL);
    ::waitpid(pid, &status, 0);
    result.timed_out = true;
  }
  if (WIFEXITED(status) && !result.timed_out) result.exit_code = WEXITSTATUS(status);
  result.out = ReadAll(out);
  result.err = ReadAll(err);
  return result;
}

}  // namespace dossier::client::testing
