#include "tests/support/process.h"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <stdexcept>
#include <thread>

#include "tests/support/files.h"
#include "tests/support/temp_dir.h"

namespace dossier::testing {
namespace fs = std::filesystem;

fs::path BinDir() {
  const char* dir = std::getenv("DOSSIER_BIN_DIR");
  if (dir == nullptr || *dir == '\0') {
    throw std::runtime_error("DOSSIER_BIN_DIR is not set (run the tests through ctest)");
  }
  return dir;
}

ProcessResult RunProcess(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
                         std::chrono::seconds limit, const fs::path& cwd) {
  ProcessResult result;
  if (argv.empty()) return result;
  TempDir io("dossier-process-");
  const fs::path out = io.path() / "out", err = io.path() / "err";
  const pid_t pid = ::fork();
  if (pid < 0) return result;
  if (pid == 0) {
    ::setpgid(0, 0);  // its own group, so that a timeout kills its children too
    const int o = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int e = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int in = ::open("/dev/null", O_RDONLY);
    ::dup2(in, 0);
    ::dup2(o, 1);
    ::dup2(e, 2);
    for (const auto& [name, value] : env) {
      if (value.empty()) {
        ::unsetenv(name.c_str());
      } else {
        ::setenv(name.c_str(), value.c_str(), 1);
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
  const auto deadline = std::chrono::steady_clock::now() + limit;
  pid_t waited = 0;
  while ((waited = ::waitpid(pid, &status, WNOHANG)) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(-pid, SIGKILL);
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      result.timed_out = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (waited == pid && WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  // The child creates both files first thing; they are missing only when it died before that.
  const auto read_if_there = [](const fs::path& p) {
    std::error_code ec;
    return fs::exists(p, ec) ? ReadFile(p) : std::string();
  };
  result.out = read_if_there(out);
  result.err = read_if_there(err);
  return result;
}

}  // namespace dossier::testing
