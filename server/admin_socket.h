// A node's local control channel: a Unix socket in its data directory
// (DATA/admin.sock, mode 0600) through which `dossierd backup` asks the
// running node to back itself up. Whoever may read the data directory may
// back it up anyway, so the file's permissions are the authorisation; nothing
// of it is reachable over the network.
//
// Protocol: one request line ("backup /abs/dir\n"), one answer line
// ("ok ...\n" or "error ...\n"), then the server closes the connection.
// Requests are handled one at a time, in order.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <thread>

#include "common/status.h"

namespace dossier::server {

class AdminSocket {
 public:
  // Answers a request line (without its "\n") with an answer line.
  using Handler = std::function<std::string(std::string_view request)>;
  // Replaces a socket file a crashed process left at `path`.
  static StatusOr<std::unique_ptr<AdminSocket>> Listen(const std::filesystem::path& path, Handler handler);
  // Stops answering and removes the socket file.
  ~AdminSocket();
  AdminSocket(const AdminSocket&) = delete;
  AdminSocket& operator=(const AdminSocket&) = delete;

 private:
  AdminSocket(std::filesystem::path path, int fd, Handler handler);
  void Serve();
  std::filesystem::path path_;
  int fd_;
  Handler handler_;
  std::thread thread_;
};

// Sends one request to the node listening at `path` and returns its answer
// line. Unavailable "no-server" when no node listens there.
StatusOr<std::string> AdminCall(const std::filesystem::path& path, std::string_view request);

}  // namespace dossier::server
