#include "tests/support/harness.h"

#include <poll.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <stdexcept>

#include "trust/checkpoint.h"
#include "trust/digest.h"
#include "trust/dsse.h"
#include "trust/json_forms.h"
#include "trust/statement.h"

namespace dossier::testing {

boost::json::object ParseObject(std::string_view json_text) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(json_text, ec);
  if (ec || !v.is_object()) throw std::runtime_error("not JSON text of an object: " + std::string(json_text));
  return std::move(v.as_object());
}
namespace fs = std::filesystem;
namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

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
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now())
            .count());
    if (::poll(&pfd, 1, std::max(left, 1)) <= 0) break;
    size_t n = socket.read_some(net::buffer(buf), ec);
    if (ec || n == 0) break;
    out.append(buf, n);
  }
  return out;
}

std::map<std::string, std::string> Auth(const std::string& token) {
  return {{"Authorization", "Bearer " + token}};
}

std::map<std::string, std::string> JsonAuth(const std::string& token) {
  return {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}};
}

std::string DigestOf(const std::string& bytes) { return trust::DigestRef(trust::Sha256(bytes)); }

static void Expect(const HttpResult& r, int status, const std::string& what) {
  if (r.status != status) {
    throw std::runtime_error(what + ": expected " + std::to_string(status) + ", got " +
                             std::to_string(r.status) + " " + r.body);
  }
}

Actor CreateActor(HttpClient& http, const std::string& operator_token, const std::string& id,
                  const std::string& kind, const std::string& jurisdiction) {
  boost::json::object tenant{{"id", id}, {"displayName", id}, {"kind", kind}};
  if (!jurisdiction.empty()) tenant["jurisdiction"] = jurisdiction;
  Expect(http.Request("POST", "/v1/tenants", boost::json::serialize(tenant), JsonAuth(operator_token)), 201,
         "create tenant " + id);
  auto token = http.Request("POST", "/v1/tenants/" + id + "/tokens", R"({"role":"ADMIN","label":"test"})",
                            JsonAuth(operator_token));
  Expect(token, 201, "create token");
  auto key = trust::PrivateKey::Generate(trust::KeyAlgorithm::kEd25519);
  Actor actor{id, std::string(token.Json().at("token").as_string()), std::move(key).value(), ""};
  boost::json::object body{{"publicKeyPem", actor.key.public_key().Pem()}, {"label", "release"}};
  auto reg = http.Request("POST", "/v1/tenants/" + id + "/keys", boost::json::serialize(body),
                          JsonAuth(actor.token));
  Expect(reg, 201, "register key");
  actor.key_id = std::string(reg.Json().at("keyId").as_string());
  return actor;
}

StatusOr<TenantAdmin> ProvisionTenant(const Server& server, const std::string& tenant) {
  try {
    HttpClient http(server.port());
    const std::string operator_token = server.operator_token();
    boost::json::object new_tenant{{"id", tenant}, {"displayName", tenant}, {"kind", "MANUFACTURER"}};
    Expect(http.Request("POST", "/v1/tenants", boost::json::serialize(new_tenant), JsonAuth(operator_token)),
           201, "create tenant " + tenant);
    auto token = http.Request("POST", "/v1/tenants/" + tenant + "/tokens",
                              R"({"role":"ADMIN","label":"test admin"})", JsonAuth(operator_token));
    Expect(token, 201, "create token");
    return TenantAdmin{tenant, std::string(token.Json().at("token").as_string())};
  } catch (const std::exception& e) {
    return Internal(e.what(), "provision-failed");
  }
}

uint64_t LogSize(HttpClient& http, const std::string& token) {
  const HttpResult r = http.Request("GET", "/v1/log/checkpoint", "", Auth(token));
  Expect(r, 200, "GET /v1/log/checkpoint");
  // A signed note: the checkpoint body, a blank line, the signature lines.
  const size_t body_end = r.body.find("\n\n");
  if (body_end == std::string::npos)
    throw std::runtime_error("the checkpoint is not a signed note: " + r.body);
  StatusOr<trust::Checkpoint> checkpoint = trust::ParseCheckpointBody(r.body.substr(0, body_end + 1));
  if (!checkpoint.ok()) throw std::runtime_error("bad checkpoint: " + checkpoint.status().ToString());
  return checkpoint->tree_size;
}

std::string UploadBlob(HttpClient& http, const Actor& actor, const std::string& bytes) {
  const std::string digest = DigestOf(bytes);
  auto r = http.Request(
      "PUT", "/v1/tenants/" + actor.tenant + "/blobs/" + digest, bytes,
      {{"Authorization", "Bearer " + actor.token}, {"Content-Type", "application/octet-stream"}});
  if (r.status != 201 && r.status != 200) Expect(r, 201, "upload blob");
  return digest;
}

std::string CommitBody(const Actor& actor, const std::string& object, uint64_t version,
                       const std::string& parent, const std::string& content_digest,
                       const trust::PrivateKey& signer, const std::string& media_type) {
  trust::Statement statement{actor.tenant, object, version, parent, content_digest, media_type};
  auto envelope =
      trust::SignEnvelope(trust::kStatementPayloadType, trust::SerializeStatement(statement), signer);
  boost::json::object body{{"contentDigest", content_digest},
                           {"mediaType", media_type},
                           {"envelope", trust::EnvelopeToJson(envelope.value())}};
  return boost::json::serialize(body);
}

std::string MinimalDossierJson(const std::string& trade_name, const std::vector<std::string>& documents) {
  boost::json::array docs;
  int i = 0;
  for (const auto& d : documents) {
    docs.push_back(boost::json::object{{"digest", d},
                                       {"mediaType", "application/pdf"},
                                       {"fileName", "doc-" + std::to_string(i++) + ".pdf"}});
  }
  boost::json::object dossier{
      {"tocEdition", "IMDRF-N9-ED4"},
      {"device",
       boost::json::object{
           {"tradeName", trade_name},
           {"identifiers", boost::json::array{boost::json::object{
                               {"type", "UDI_DI"}, {"value", "00614141999996"}, {"issuer", "GS1"}}}}}},
      {"sections",
       boost::json::array{boost::json::object{{"code", "2.04.01"}, {"documents", std::move(docs)}}}}};
  return boost::json::serialize(dossier);
}

std::string PerformanceQuarterJson(const std::string& software_version, double east_asian_sg) {
  boost::json::object report{
      {"softwareVersion", software_version},
      {"periodStart", "2026-01-01"},
      {"periodEnd", "2026-03-31"},
      {"results",
       boost::json::array{
           boost::json::object{{"metric", "sensitivity"}, {"value", 0.921}, {"sampleSize", 880}},
           boost::json::object{{"metric", "sensitivity"}, {"subgroup", "sex=female"}, {"value", 0.905}},
           boost::json::object{{"metric", "sensitivity"},
                               {"subgroup", "ethnicity=east-asian"},
                               {"site", "site-05-sg"},
                               {"value", east_asian_sg},
                               {"sampleSize", 161}},
           boost::json::object{{"metric", "falsePositiveRate"}, {"value", 0.094}}}}};
  return boost::json::serialize(report);
}

}  // namespace dossier::testing
