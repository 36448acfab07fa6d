#include "server/admin_socket.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace dossier::server {
namespace {

constexpr size_t kMaxRequestBytes = 8192;

StatusOr<sockaddr_un> Address(const std::filesystem::path& path) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  const std::string p = path.string();
  if (p.size() >= sizeof(addr.sun_path)) {
    return InvalidArgument("the admin socket path " + p + " is too long for a Unix socket (over " +
                               std::to_string(sizeof(addr.sun_path) - 1) + " bytes)",
                           "path-too-long");
  }
  std::memcpy(addr.sun_path, p.c_str(), p.size() + 1);
  return addr;
}

// Reads up to the first "\n" (or end of stream), at most kMaxRequestBytes.
std::string ReadLine(int fd) {
  std::string line;
  char c;
  while (line.size() < kMaxRequestBytes) {
    const ssize_t n = ::read(fd, &c, 1);
    if (n <= 0 || c == '\n') break;
    line.push_back(c);
  }
  return line;
}

bool WriteAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

}  // namespace

StatusOr<std::unique_ptr<AdminSocket>> AdminSocket::Listen(const std::filesystem::path& path,
                                                           Handler handler) {
  DOSSIER_ASSIGN_OR_RETURN(sockaddr_un addr, Address(path));
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Unavailable(std::string("admin socket: ") + std::strerror(errno), "io-error");
  ::unlink(addr.sun_path);
  // Permissions are set before listen(), so no connection is accepted while
  // the file is still world-connectable.
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::chmod(addr.sun_path, 0600) != 0 ||
      ::listen(fd, 4) != 0) {
    const std::string why = std::strerror(errno);
    ::close(fd);
    return Unavailable("admin socket " + path.string() + ": " + why, "io-error");
  }
  return std::unique_ptr<AdminSocket>(new AdminSocket(path, fd, std::move(handler)));
}

AdminSocket::AdminSocket(std::filesystem::path path, int fd, Handler handler)
    : path_(std::move(path)), fd_(fd), handler_(std::move(handler)) {
  thread_ = std::thread([this] { Serve(); });
}

AdminSocket::~AdminSocket() {
  // shutdown() wakes the accept() the serving thread is blocked in.
  ::shutdown(fd_, SHUT_RDWR);
  if (thread_.joinable()) thread_.join();
  ::close(fd_);
  std::error_code ec;
  std::filesystem::remove(path_, ec);
}

void AdminSocket::Serve() {
  for (;;) {
    const int client = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      return;  // shut down
    }
    const std::string request = ReadLine(client);
    std::string answer = handler_(request);
    answer.push_back('\n');
    WriteAll(client, answer);
    ::close(client);
  }
}

StatusOr<std::string> AdminCall(const std::filesystem::path& path, std::string_view request) {
  DOSSIER_ASSIGN_OR_RETURN(sockaddr_un addr, Address(path));
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Unavailable(std::string("admin socket: ") + std::strerror(errno), "io-error");
  struct CloseOnExit {
    int fd;
    ~CloseOnExit() { ::close(fd); }
  } close_fd{fd};
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    if (errno == ENOENT || errno == ECONNREFUSED) {
      return Unavailable("no dossierd is serving " + path.parent_path().string(), "no-server");
    }
    return Unavailable("admin socket " + path.string() + ": " + std::strerror(errno), "io-error");
  }
  std::string line(request);
  line.push_back('\n');
  if (!WriteAll(fd, line)) return Unavailable("admin socket: the request was not sent", "io-error");
  std::string answer = ReadLine(fd);
  if (answer.empty()) return Unavailable("admin socket: the node closed without answering", "io-error");
  return answer;
}

}  // namespace dossier::server
