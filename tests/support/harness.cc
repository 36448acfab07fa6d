#include "tests/support/harness.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <fstream>
#include <random>
#include <stdexcept>
#include <thread>

#include "trust/digest.h"
#include "trust/dsse.h"
#include "trust/statement.h"

namespace dossier::testing {
namespace fs = std::filesystem;
namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

TempDir::TempDir() {
  std::random_device rd;
  path_ = fs::temp_directory_path() / ("dossier-test-" + std::to_string(getpid()) + "-" + std::to_string(rd()));
  fs::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

fs::path BinDir() {
  const char* dir = std::getenv("DOSSIER_BIN_DIR");
  if (dir == nullptr) throw std::runtime_error("DOSSIER_BIN_DIR is not set (run the tests through ctest)");
  return dir;
}

boost::json::value HttpResult::Json() const {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(body, ec);
  return ec ? boost::json::value() : v;
}

std::string HttpResult::ProblemCode() const {
  auto v = Json();
  if (!v.is_object()) return "";
  auto* code = v.as_object().if_contains("code");
  return code && code->is_string() ? std::string(code->as_string()) : "";
}

std::string HttpResult::Header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? std::string() : it->second;
}

struct HttpClient::Impl {
  unsigned short port;
  net::io_context ioc;
  std::optional<beast::tcp_stream> stream;
  beast::flat_buffer buffer;

  void Connect() {
    stream.emplace(ioc);
    stream->connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    buffer.clear();
  }
};

HttpClient::HttpClient(unsigned short port) : impl_(new Impl{port, {}, {}, {}}) {}
HttpClient::~HttpClient() { delete impl_; }

HttpResult HttpClient::Request(const std::string& method, const std::string& target, const std::string& body,
                               const std::map<std::string, std::string>& headers) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    try {
      if (!impl_->stream) impl_->Connect();
      http::request<http::string_body> req{http::string_to_verb(method), target, 11};
      req.set(http::field::host, "127.0.0.1");
      for (const auto& [k, v] : headers) req.set(k, v);
      req.body() = body;
      if (!body.empty() || method == "POST" || method == "PUT") req.prepare_payload();
      impl_->stream->expires_after(std::chrono::seconds(60));
      http::write(*impl_->stream, req);
      http::response_parser<http::string_body> parser;
      parser.body_limit(1ull << 30);
      if (method == "HEAD") parser.skip(true);
      http::read(*impl_->stream, impl_->buffer, parser);
      auto& res = parser.get();
      HttpResult out;
      out.status = res.result_int();
      out.body = res.body();
      for (const auto& f : res) {
        std::string name(f.name_string());
        for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        out.headers[name] = std::string(f.value());
      }
      if (!res.keep_alive()) impl_->stream.reset();
      return out;
    } catch (const std::exception&) {
      impl_->stream.reset();
      if (attempt == 1) throw;
    }
  }
  return {};
}

std::string HttpClient::Raw(const std::string& bytes, int timeout_ms) {
  tcp::socket socket(impl_->ioc);
  socket.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), impl_->port));
  boost::system::error_code ec;
  net::write(socket, net::buffer(bytes), ec);
  std::string out;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  char buf[4096];
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd pfd{socket.native_handle(), POLLIN, 0};
    int left = static_cast<int>(
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count());
    if (::poll(&pfd, 1, std::max(left, 1)) <= 0) break;
    size_t n = socket.read_some(net::buffer(buf), ec);
    if (ec || n == 0) break;
    out.append(buf, n);
  }
  return out;
}

Server::Server(fs::path data_dir, std::vector<std::string> extra, unsigned short port) : data_dir_(std::move(data_dir)) {
  fs::create_directories(data_dir_);
  int out_pipe[2];
  if (::pipe(out_pipe) != 0) throw std::runtime_error("pipe failed");
  const std::string binary = (BinDir() / "dossierd").string();
  std::vector<std::string> args = {binary, "serve", "--data", data_dir_.string(), "--listen",
                                   "127.0.0.1:" + std::to_string(port)};
  args.insert(args.end(), extra.begin(), extra.end());
  pid_ = ::fork();
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
      size_t end = seen.find_first_not_of("0123456789", colon + 10);
      if (colon != std::string::npos && end != std::string::npos) {
        port_ = static_cast<unsigned short>(std::stoi(seen.substr(colon + 10, end - colon - 10)));
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
    throw std::runtime_error("dossierd did not start; stdout: " + seen);
  }
}

Server::~Server() {
  if (pid_ > 0) Stop(SIGTERM);
}

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
  std::ifstream in(data_dir_ / "operator.token");
  std::string token;
  std::getline(in, token);
  return token;
}

std::map<std::string, std::string> Auth(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }

std::map<std::string, std::string> JsonAuth(const std::string& token) {
  return {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}};
}

std::string DigestOf(const std::string& bytes) { return trust::DigestRef(trust::Sha256(bytes)); }

static void Expect(const HttpResult& r, int status, const std::string& what) {
  if (r.status != status) {
    throw std::runtime_error(what + ": expected " + std::to_string(status) + ", got " + std::to_string(r.status) +
                             " " + r.body);
  }
}

Actor CreateActor(HttpClient& http, const std::string& operator_token, const std::string& id,
                  const std::string& kind) {
  Expect(http.Request("POST", "/v1/tenants", R"({"id":")" + id + R"(","displayName":")" + id + R"(","kind":")" + kind + "\"}",
                      JsonAuth(operator_token)),
         201, "create tenant " + id);
  auto token = http.Request("POST", "/v1/tenants/" + id + "/tokens", R"({"role":"ADMIN","label":"test"})",
                            JsonAuth(operator_token));
  Expect(token, 201, "create token");
  auto key = trust::PrivateKey::Generate(trust::KeyAlgorithm::kEd25519);
  Actor actor{id, std::string(token.Json().at("token").as_string()), std::move(key).value(), ""};
  boost::json::object body{{"publicKeyPem", actor.key.public_key().Pem()}, {"label", "release"}};
  auto reg = http.Request("POST", "/v1/tenants/" + id + "/keys", boost::json::serialize(body), JsonAuth(actor.token));
  Expect(reg, 201, "register key");
  actor.key_id = std::string(reg.Json().at("keyId").as_string());
  return actor;
}

std::string UploadBlob(HttpClient& http, const Actor& actor, const std::string& bytes) {
  const std::string digest = DigestOf(bytes);
  auto r = http.Request("PUT", "/v1/tenants/" + actor.tenant + "/blobs/" + digest, bytes,
                        {{"Authorization", "Bearer " + actor.token}, {"Content-Type", "application/octet-stream"}});
  if (r.status != 201 && r.status != 200) Expect(r, 201, "upload blob");
  return digest;
}

std::string CommitBody(const Actor& actor, const std::string& object, uint64_t version, const std::string& parent,
                       const std::string& content_digest, const trust::PrivateKey& signer,
                       const std::string& media_type) {
  trust::Statement statement{actor.tenant, object, version, parent, content_digest, media_type};
  auto envelope = trust::SignEnvelope(trust::kStatementPayloadType, trust::SerializeStatement(statement), signer);
  boost::json::object body{{"contentDigest", content_digest},
                           {"mediaType", media_type},
                           {"envelope", trust::EnvelopeToJson(envelope.value())}};
  return boost::json::serialize(body);
}

std::string MinimalDossierJson(const std::string& trade_name, const std::vector<std::string>& documents) {
  boost::json::array docs;
  int i = 0;
  for (const auto& d : documents) {
    docs.push_back(boost::json::object{
        {"digest", d}, {"mediaType", "application/pdf"}, {"fileName", "doc-" + std::to_string(i++) + ".pdf"}});
  }
  boost::json::object dossier{
      {"tocEdition", "IMDRF-N9-ED4"},
      {"device", boost::json::object{{"tradeName", trade_name},
                                     {"identifiers", boost::json::array{boost::json::object{
                                                         {"type", "UDI_DI"}, {"value", "00614141999996"}, {"issuer", "GS1"}}}}}},
      {"sections", boost::json::array{boost::json::object{{"code", "2.04.01"}, {"documents", std::move(docs)}}}}};
  return boost::json::serialize(dossier);
}

}  // namespace dossier::testing
