#include "server/in_process_api.h"

#include <boost/beast/http/message.hpp>
#include <boost/json.hpp>
#include <fstream>
#include <stdexcept>

#include "server/problem.h"
#include "server/request_decode.h"
#include "server/streamed_body.h"

namespace dossier::server {
namespace fs = std::filesystem;

namespace {

template <typename T>
T ValueOrThrow(StatusOr<T> result, const std::string& what) {
  if (!result.ok()) throw std::runtime_error(what + ": " + result.status().ToString());
  return std::move(result).value();
}

void Expect201(const Response& response, const std::string& what) {
  if (response.status != 201) {
    throw std::runtime_error(what + " answered " + std::to_string(response.status) + " " + response.body);
  }
}

std::string ProblemMember(const Response& response, std::string_view member) {
  if (response.content_type != "application/problem+json") return {};
  boost::system::error_code ec;
  boost::json::value doc = boost::json::parse(response.body, ec);
  if (ec || !doc.is_object()) return {};
  const boost::json::value* value = doc.as_object().if_contains(member);
  return value != nullptr && value->is_string() ? std::string(value->as_string()) : std::string();
}

}  // namespace

InProcessApi::InProcessApi() {
  own_dir_.emplace("dossier-api-test-");
  // Without fsync: durability is not what these tests check.
  Open({.data_dir = own_dir_->path(), .file_system = nullptr, .sync_writes = false, .sync_blobs = false});
}

InProcessApi::InProcessApi(const StoreSetup& setup) { Open(setup); }

void InProcessApi::Open(const StoreSetup& setup) {
  storage::StoreOptions store_options;
  store_options.data_dir = setup.data_dir;
  store_options.sync_writes = setup.sync_writes;
  store_options.sync_blobs = setup.sync_blobs;
  store_options.file_system = setup.file_system;
  store_ = ValueOrThrow(storage::OpenRocksStore(store_options), "open the store");
  ServerOptions options;
  options.data_dir = setup.data_dir;
  options.access_log = false;
  LogIdentity identity = ValueOrThrow(LoadOrCreateLogIdentity(options), "create the log key");
  auto operator_token = ValueOrThrow(BootstrapOperator(*store_, setup.data_dir), "bootstrap the operator");
  if (operator_token) {
    operator_token_ = *operator_token;
  } else {
    std::ifstream in(setup.data_dir / "operator.token");
    if (!std::getline(in, operator_token_))
      throw std::runtime_error("no operator token in " + setup.data_dir.string());
  }
  api_ = std::make_unique<Api>(*store_, options, std::move(identity));
}

InProcessApi::~InProcessApi() {
  api_.reset();  // stops the route modules' background work before the store closes
  store_.reset();
}

Response InProcessApi::Call(const std::string& method, const std::string& target, const std::string& body,
                            const std::string& token, const std::map<std::string, std::string>& headers) {
  return Send(method, target, body, token, headers, "");
}

Response InProcessApi::CallWithClientCertificate(const std::string& method, const std::string& target,
                                                 const std::string& spki_sha256_hex) {
  return Send(method, target, "", "", {}, spki_sha256_hex);
}

Response InProcessApi::Send(const std::string& method, const std::string& target, const std::string& body,
                            const std::string& token, const std::map<std::string, std::string>& headers,
                            const std::string& client_spki_sha256) {
  boost::beast::http::request_header<> header;
  header.method_string(method);
  header.target(target);
  if (!token.empty()) header.set("Authorization", "Bearer " + token);
  if (!body.empty() && headers.find("content-type") == headers.end())
    header.set("Content-Type", "application/json");
  for (const auto& [name, value] : headers) header.set(name, value);
  Request request;
  if (Status decoded = DecodeRequestHeader(header, &request); !decoded.ok()) {
    return ProblemResponse(decoded, target);
  }
  request.body = body;
  request.remote_address = "127.0.0.1";
  request.client_spki_sha256 = client_spki_sha256;
  return Handle(request);
}

Response InProcessApi::Handle(Request& request) {
  request.body_size = request.body.size();
  Router::Match route = api_->FindRoute(request);
  if (!route.streams_body())
    return CollectStreamedBody(api_->Handle(request, std::move(route)), request.path);
  if (Status admitted = api_->PrecheckUpload(request, route); !admitted.ok()) {
    return ProblemResponse(admitted, request.path);
  }
  request.body_file = store_->StagingDir() / ("in-process-upload-" + std::to_string(staged_uploads_++));
  std::ofstream(request.body_file, std::ios::binary) << request.body;
  request.body.clear();
  // A streamed answer reads the upload while it is produced: before it goes.
  Response response = CollectStreamedBody(api_->Handle(request, std::move(route)), request.path);
  std::error_code ignored;
  fs::remove(request.body_file, ignored);  // adopted (renamed away) unless the upload was refused
  return response;
}

std::string InProcessApi::RefusalMismatches(const std::string& token, const std::vector<Refusal>& refusals) {
  std::string mismatches;
  for (const Refusal& expected : refusals) {
    const Response r = Call(expected.method, expected.target, expected.body, token);
    if (r.status != expected.status || ProblemCode(r) != expected.code || ProblemField(r) != expected.field) {
      mismatches += expected.method + " " + expected.target + " " + expected.body + ": expected " +
                    std::to_string(expected.status) + " " + expected.code + " (field \"" + expected.field +
                    "\"), got " + std::to_string(r.status) + " " + r.body + "\n";
    }
  }
  return mismatches;
}

void InProcessApi::CreateTenant(const std::string& id, const std::string& kind) {
  boost::json::object body{{"id", id}, {"kind", kind}};
  Expect201(Call("POST", "/v1/tenants", boost::json::serialize(body), operator_token_),
            "create tenant " + id);
}

std::string InProcessApi::IssueToken(const std::string& tenant, const std::string& role) {
  boost::json::object body{{"role", role}, {"label", "test"}};
  Response response =
      Call("POST", "/v1/tenants/" + tenant + "/tokens", boost::json::serialize(body), operator_token_);
  Expect201(response, "issue a " + role + " token in " + tenant);
  return std::string(boost::json::parse(response.body).at("token").as_string());
}

std::string ProblemCode(const Response& response) { return ProblemMember(response, "code"); }
std::string ProblemField(const Response& response) { return ProblemMember(response, "field"); }

}  // namespace dossier::server
