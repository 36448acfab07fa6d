#include "tests/fault/raw_http.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <optional>
#include <stdexcept>

#include "common/decimal.h"

namespace dossier::fault {
namespace {

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Parses one response at the start of `in`. dossierd always frames its
// responses with Content-Length (Beast's prepare_payload), so no chunked
// decoding is needed. Returns the number of bytes consumed, 0 when more bytes
// are needed, nullopt when the bytes are not an HTTP response.
std::optional<size_t> ParseResponse(const std::string& in, RawResult* out) {
  const size_t end = in.find("\r\n\r\n");
  if (end == std::string::npos) {
    if (in.size() >= 5 && in.compare(0, 5, "HTTP/") != 0) return std::nullopt;
    return 0;
  }
  if (in.compare(0, 5, "HTTP/") != 0 || in.size() < 12) return std::nullopt;
  StatusOr<uint64_t> status_code = ParseUint64(std::string_view(in).substr(9, 3), "status");
  if (!status_code.ok()) return std::nullopt;
  const int status = static_cast<int>(*status_code);
  size_t length = 0;
  bool has_length = false;
  std::string content_type;
  size_t line = in.find("\r\n") + 2;
  while (line < end) {
    size_t eol = in.find("\r\n", line);
    std::string field = in.substr(line, eol - line);
    size_t colon = field.find(':');
    if (colon != std::string::npos) {
      std::string name = Lower(field.substr(0, colon));
      std::string value = field.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.erase(0, 1);
      if (name == "content-length") {
        StatusOr<uint64_t> parsed = ParseUint64(value, "content-length");
        if (!parsed.ok()) return std::nullopt;  // a malformed length is not a response dossierd sends
        length = *parsed;
        has_length = true;
      } else if (name == "content-type") {
        content_type = value;
      }
    }
    line = eol + 2;
  }
  if (status == 204 || status == 304 || (status >= 100 && status < 200)) has_length = true, length = 0;
  if (!has_length) return std::nullopt;  // dossierd never omits it
  if (in.size() < end + 4 + length) return 0;
  out->status = status;
  out->content_type = content_type;
  out->body = in.substr(end + 4, length);
  return end + 4 + length;
}

}  // namespace

std::string RawResult::Describe() const {
  switch (kind) {
    case kResponse:
      return std::to_string(status) + " " + content_type + " " + body.substr(0, 300);
    case kClosed:
      return "connection closed without a response";
    case kTimeout:
      return "no response within the deadline (" + std::to_string(raw.size()) + " bytes received)";
    case kGarbage:
      return "not an HTTP response: " + raw.substr(0, 200);
  }
  return "?";
}

RawResult SendRaw(unsigned short port, const std::string& bytes, RawOptions options) {
  const auto started = std::chrono::steady_clock::now();
  const auto deadline = started + options.timeout;
  RawResult result;
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error("socket failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    throw std::runtime_error("connect to 127.0.0.1:" + std::to_string(port) + " failed");
  }
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);

  // Send everything we can; stop on error (the server closed early).
  size_t sent = 0;
  while (sent < bytes.size()) {
    ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<size_t>(n);
  }
  if (options.half_close) ::shutdown(fd, SHUT_WR);

  char buf[8192];
  bool closed = false;
  while (true) {
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) break;
    pollfd pfd{fd, POLLIN, 0};
    int left =
        static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count());
    if (::poll(&pfd, 1, std::max(left, 1)) <= 0) continue;
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) {
      closed = true;
      break;
    }
    result.raw.append(buf, static_cast<size_t>(n));
    // Skip interim responses (100 Continue), then stop at the first final one.
    while (true) {
      RawResult parsed;
      auto used = ParseResponse(result.raw, &parsed);
      if (!used) {
        result.kind = RawResult::kGarbage;
        ::close(fd);
        result.elapsed =
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
        return result;
      }
      if (*used == 0) break;
      if (parsed.status >= 100 && parsed.status < 200) {
        result.raw.erase(0, *used);
        continue;
      }
      result.kind = RawResult::kResponse;
      result.status = parsed.status;
      result.content_type = parsed.content_type;
      result.body = parsed.body;
      ::close(fd);
      result.elapsed =
          std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
      return result;
    }
  }
  ::close(fd);
  result.kind =
      closed ? (result.raw.empty() ? RawResult::kClosed : RawResult::kGarbage) : RawResult::kTimeout;
  result.elapsed =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  return result;
}

std::string BuildRequest(const std::string& method, const std::string& target,
                         const std::map<std::string, std::string>& headers, const std::string& body,
                         bool add_length) {
  std::string out = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  bool has_length = false;
  for (const auto& [name, value] : headers) {
    const std::string lower = Lower(name);
    if (lower == "content-length" || lower == "transfer-encoding") has_length = true;
    out += name + ": " + value + "\r\n";
  }
  if (add_length && !has_length && (!body.empty() || method == "POST" || method == "PUT")) {
    out += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  }
  out += "\r\n";
  out += body;
  return out;
}

}  // namespace dossier::fault
