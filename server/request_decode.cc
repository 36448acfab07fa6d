#include "server/request_decode.h"

#include <cctype>

namespace dossier::server {
namespace http = boost::beast::http;

namespace {

std::string PercentDecode(std::string_view in, bool* ok) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '%') {
      if (i + 2 >= in.size()) {
        *ok = false;
        return {};
      }
      auto hex = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
      };
      int hi = hex(in[i + 1]), lo = hex(in[i + 2]);
      if (hi < 0 || lo < 0) {
        *ok = false;
        return {};
      }
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      out.push_back(in[i]);
    }
  }
  return out;
}

}  // namespace

Status DecodeRequestHeader(const http::request_header<>& header, Request* out) {
  out->method = std::string(header.method_string());
  out->target = std::string(header.target());
  std::string_view target = header.target();
  if (target.empty() || target.front() != '/') {
    return InvalidArgument("the request target must be an absolute path", "bad-target");
  }
  size_t q = target.find('?');
  bool ok = true;
  out->path = PercentDecode(target.substr(0, q), &ok);
  if (!ok || out->path.find('\0') != std::string::npos) {
    return InvalidArgument("the request path has a bad percent-encoding", "bad-target");
  }
  if (q != std::string_view::npos) {
    std::string_view query = target.substr(q + 1);
    while (!query.empty()) {
      size_t amp = query.find('&');
      std::string_view pair = query.substr(0, amp);
      size_t eq = pair.find('=');
      std::string key = PercentDecode(pair.substr(0, eq), &ok);
      std::string value = eq == std::string_view::npos ? std::string() : PercentDecode(pair.substr(eq + 1), &ok);
      for (char& c : value) {
        if (c == '+') c = ' ';
      }
      if (!ok) return InvalidArgument("the query has a bad percent-encoding", "bad-target");
      if (!key.empty()) out->query[key] = value;
      if (amp == std::string_view::npos) break;
      query.remove_prefix(amp + 1);
    }
  }
  for (const auto& field : header) {
    std::string name(field.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out->headers[name] = std::string(field.value());
  }
  return Status::Ok();
}


}  // namespace dossier::server
