#include "tests/support/dossierd.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>
#include <thread>

#include "tests/support/files.h"
#include "tests/support/process.h"

namespace dossier::testing {
namespace fs = std::filesystem;

Server::Server(fs::path data_dir, std::vector<std::string> extra, unsigned short port)
    : data_dir_(std::move(data_dir)) {
  fs::create_directories(data_dir_);
  int out_pipe[2];
  if (::pipe(out_pipe) != 0) throw std::runtime_error("pipe failed");
  const std::string binary = (BinDir() / "dossierd").string();
  std::vector<std::string> args = {
      binary, "serve", "--data", data_dir_.string(), "--listen", "127.0.0.1:" + std::to_string(port)};
  args.insert(args.end(), extra.begin(), extra.end());
  pid_ = ::fork();
  if (pid_ < 0) {
    ::close(out_pipe[0]);
    ::close(out_pipe[1]);
    throw std::runtime_error("fork failed");
  }
  if (pid_ == 0) {
    // The server dies with the test process, even when a test crashes.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    ::dup2(out_pipe[1], 1);
    int err = ::open((data_dir_ / "dossierd.stderr").c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    if (err >= 0) ::dup2(err, 2);
    ::close(out_pipe[0]);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(binary.c_str(), argv.data());
    ::_exit(127);
  }
  ::close(out_pipe[1]);
  // Read stdout until the "listening on http(s)://127.0.0.1:PORT" line.
  std::string seen;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  char buf[512];
  while (port_ == 0 && std::chrono::steady_clock::now() < deadline) {
    pollfd pfd{out_pipe[0], POLLIN, 0};
    if (::poll(&pfd, 1, 200) <= 0) continue;
    ssize_t n = ::read(out_pipe[0], buf, sizeof buf);
    if (n <= 0) break;
    seen.append(buf, static_cast<size_t>(n));
    size_t at = seen.find("listening on ");
    if (at != std::string::npos) {
      size_t colon = seen.find("127.0.0.1:", at);
      size_t end = colon == std::string::npos ? colon : seen.find_first_not_of("0123456789", colon + 10);
      if (colon != std::string::npos && end != std::string::npos) {
        port_ = static_cast<unsigned short>(std::stoi(seen.substr(colon + 10, end - colon - 10)));
        url_ = seen.substr(at + 13, end - at - 13);
      }
    }
  }
  // Keep draining stdout in the background so the child never blocks on it.
  std::thread([fd = out_pipe[0]] {
    char sink[512];
    while (::read(fd, sink, sizeof sink) > 0) {
    }
    ::close(fd);
  }).detach();
  if (port_ == 0) {
    Stop(SIGKILL);
    std::string log;
    try {
      log = ReadFile(stderr_path());
    } catch (const std::exception&) {
    }
    throw std::runtime_error("dossierd did not start; stdout: " + seen + "; stderr: " + log);
  }
}

StatusOr<std::unique_ptr<Server>> Server::Start(fs::path data_dir, std::vector<std::string> extra) {
  try {
    return std::make_unique<Server>(std::move(data_dir), std::move(extra));
  } catch (const std::exception& e) {
    return Internal(e.what(), "dossierd-did-not-start");
  }
}

Server::~Server() { Stop(SIGTERM); }

int Server::Stop(int signal) {
  if (pid_ <= 0) return -1;
  ::kill(pid_, signal);
  int status = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (true) {
    pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_ || r < 0) break;
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  pid_ = -1;
  return status;
}

std::string Server::operator_token() const {
  std::string token = ReadFile(data_dir_ / "operator.token");
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r')) token.pop_back();
  return token;
}

}  // namespace dossier::testing
