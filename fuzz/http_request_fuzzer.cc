// Fuzz target (a): raw bytes off the wire -> Beast's HTTP/1.1 request parser
// (with dossierd's header and body limits) -> request decoding (method,
// percent-decoded path, query, headers) -> Api::Handle, the whole handler
// layer (routing, authentication, authorisation, JSON bodies, commits) on a
// real RocksDB store in a temporary directory. The pattern is Beast's own
// test/fuzz/http_request.cpp, extended past the parser.
//
// To let mutations reach authenticated handlers, the placeholders "@OP@" and
// "@TOK@" in the input are replaced by the operator token and by the ADMIN
// token of tenant "acme" (which has the fixed signer key registered, a dossier
// "d" with one version, and the documents the seed dossiers name).
//
// Request decoding is the server's own (server/request_decode.h).
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <iostream>
#include <random>

#include "fuzz/fuzz_common.h"
#include "fuzz/json_mutator.h"
#include "server/api.h"
#include "server/problem.h"
#include "server/request_decode.h"
#include "server/streamed_body.h"
#include "storage/store.h"
#include "trust/json_forms.h"

using namespace dossier;
namespace beast = boost::beast;
namespace http = beast::http;
namespace fs = std::filesystem;

namespace {

// The store's folder: in memory when the machine has a tmpfs at /dev/shm
// (DOSSIER_FUZZ_DATA_DIR overrides), so that the files every input writes (the
// WAL, uploads staged and renamed into blobs/) cost no file-system journaling.
fs::path DataDirBase() {
  if (const char* chosen = std::getenv("DOSSIER_FUZZ_DATA_DIR"); chosen && *chosen) return chosen;
  std::error_code ec;
  if (fs::is_directory("/dev/shm", ec)) return "/dev/shm";
  return fs::temp_directory_path();
}

// ---- One store and Api for the whole fuzzing process.
struct World {
  fs::path dir;
  std::unique_ptr<storage::Store> store;
  std::unique_ptr<server::Api> api;
  std::string op_token, tenant_token;
  int staged = 0;

  // Runs a request through the Api as the session layer would, writing a
  // streamed body to a staging file first.
  server::Response Handle(server::Request& r) {
    server::Router::Match route = api->FindRoute(r);
    if (route.streams_body()) {
      if (Status s = api->PrecheckUpload(r, route); !s.ok()) return server::ProblemResponse(s, r.path);
      r.body_file = store->StagingDir() / ("fuzz-upload-" + std::to_string(staged++));
      std::ofstream(r.body_file, std::ios::binary) << r.body;
      r.body_size = r.body.size();
      r.body.clear();
    } else {
      r.body_size = r.body.size();
    }
    // A streamed answer is produced from the upload: before it goes.
    server::Response response = server::CollectStreamedBody(api->Handle(r, std::move(route)), r.path);
    if (!r.body_file.empty()) {
      std::error_code ignored;
      fs::remove(r.body_file, ignored);
    }
    return response;
  }

  server::Response Call(std::string method, std::string path, std::string body, std::string token) {
    server::Request r;
    r.method = std::move(method);
    r.target = r.path = std::move(path);
    r.body = std::move(body);
    r.headers["authorization"] = "Bearer " + token;
    r.headers["content-type"] = "application/json";
    r.remote_address = "127.0.0.1";
    return Handle(r);
  }

  void Expect(const server::Response& r, int status, const char* what) {
    if (r.status != status) {
      std::cerr << "fuzz setup: " << what << " answered " << r.status << " " << r.body << "\n";
      std::abort();
    }
  }

  World() {
    dir = DataDirBase() / ("dossier-fuzz-http-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    storage::StoreOptions so;
    so.data_dir = dir;
    so.sync_writes = false;  // durability is not what is fuzzed; speed is needed
    so.sync_blobs = false;
    store = storage::OpenRocksStore(so).value();
    server::ServerOptions options;
    options.data_dir = dir;
    options.access_log = false;
    options.max_body_bytes = 1 << 20;
    auto identity = server::LoadOrCreateLogIdentity(options).value();
    op_token = server::BootstrapOperator(*store, dir).value().value();
    api = std::make_unique<server::Api>(*store, options, std::move(identity));

    Expect(
        Call("POST", "/v1/tenants", R"({"id":"acme","displayName":"Acme","kind":"MANUFACTURER"})", op_token),
        201, "create tenant");
    auto token = Call("POST", "/v1/tenants/acme/tokens", R"({"role":"ADMIN","label":"fuzz"})", op_token);
    Expect(token, 201, "create token");
    tenant_token = std::string(boost::json::parse(token.body).at("token").as_string());
    boost::json::object key{{"publicKeyPem", fuzz::SignerKey().public_key().Pem()}, {"label", "fuzz"}};
    Expect(Call("POST", "/v1/tenants/acme/keys", boost::json::serialize(key), tenant_token), 201,
           "register key");
    Expect(Call("POST", "/v1/tenants/acme/dossiers", R"({"id":"d"})", tenant_token), 201, "create dossier");
    // Documents 0..3 and version 1 of dossier d (the seeds commit version 2).
    for (int i = 0; i < 4; ++i) {
      const std::string bytes = fuzz::WorldDocument(i);
      Expect(Call("PUT", "/v1/tenants/acme/blobs/" + trust::DigestRef(trust::Sha256(bytes)), bytes,
                  tenant_token),
             201, "upload document");
    }
    const std::string content = fuzz::WorldContent(1);
    const std::string digest = trust::DigestRef(trust::Sha256(content));
    Expect(Call("PUT", "/v1/tenants/acme/blobs/" + digest, content, tenant_token), 201, "upload content");
    trust::Statement st{"acme", "dossiers/d", 1, "", digest, std::string(fuzz::kDossierMediaType)};
    boost::json::object commit{{"contentDigest", digest},
                               {"mediaType", std::string(fuzz::kDossierMediaType)},
                               {"envelope", trust::EnvelopeToJson(fuzz::SignedStatement(st))}};
    Expect(Call("POST", "/v1/tenants/acme/dossiers/d/versions", boost::json::serialize(commit), tenant_token),
           201, "commit version 1");
  }
  ~World() {
    api.reset();
    store.reset();
    std::error_code ignored;
    fs::remove_all(dir, ignored);
  }
};

World& TheWorld() {
  static World* world = [] {
    auto* w = new World();
    std::atexit([] { delete &TheWorld(); });
    return w;
  }();
  return *world;
}

void ReplaceAll(std::string& s, std::string_view from, const std::string& to) {
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
    s.replace(at, from.size(), to);
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  TheWorld();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  World& world = TheWorld();
  std::string input(reinterpret_cast<const char*>(data), size);
  ReplaceAll(input, "@OP@", world.op_token);
  ReplaceAll(input, "@TOK@", world.tenant_token);

  // The parser with the server's limits (ServerOptions defaults, body limit
  // lowered as the fuzz Api's max_body_bytes).
  const auto& options = world.api->options();
  http::request_parser<http::string_body> parser;
  parser.header_limit(options.max_header_bytes);
  parser.body_limit(options.max_body_bytes);
  parser.eager(true);
  beast::error_code ec;
  boost::asio::const_buffer buffer(input.data(), input.size());
  while (buffer.size() > 0 && !parser.is_done()) {
    const size_t used = parser.put(buffer, ec);
    if (ec == http::error::need_more) {
      ec = {};
      break;
    }
    if (ec) return 0;
    buffer += used;
    if (used == 0) break;
  }
  if (!parser.is_done()) {
    if (!parser.got_some()) return 0;  // put_eof asserts that some bytes arrived
    parser.put_eof(ec);
    if (ec || !parser.is_done()) return 0;
  }

  server::Request request;
  if (!server::DecodeRequestHeader(parser.get().base(), &request).ok()) return 0;
  request.body = std::move(parser.get().body());
  request.remote_address = "127.0.0.1";
  server::Response response = world.Handle(request);
  static const bool verbose = std::getenv("DOSSIER_FUZZ_VERBOSE") != nullptr;
  if (verbose) std::cerr << request.method << " " << request.target << " -> " << response.status << "\n";

  // Whatever happens, the answer is a real HTTP status; 5xx is a bug unless
  // the store itself failed (503/507).
  if (response.status < 100 || response.status > 599)
    fuzz::Violation("status " + std::to_string(response.status));
  if (response.status >= 500 && response.status != 503 && response.status != 507) {
    fuzz::Violation("5xx for " + request.method + " " + request.target + ": " +
                    std::to_string(response.status) + " " + response.body);
  }
  if (response.file) {  // read the slice as the session layer would send it
    std::ifstream in(response.file->path, std::ios::binary);
    in.seekg(static_cast<std::streamoff>(response.file->offset));
    std::string sink(std::min<uint64_t>(response.file->length, 1 << 20), '\0');
    in.read(sink.data(), static_cast<std::streamsize>(sink.size()));
  }
  return 0;
}

#ifdef DOSSIER_FUZZ_LIBFUZZER
// Structure-aware mutation (fuzz/json_mutator.h) of JSON request bodies: a quarter of
// the mutations of a request whose body is JSON change the parsed body, print
// it again and set Content-Length to its new length, so the change reaches the
// handler's decoding and validation instead of the JSON parser's first error.
// The rest, and every other request, take libFuzzer's byte mutations with
// http_request.dict (which also test the parser and the framing).
extern "C" size_t LLVMFuzzerMutate(uint8_t* data, size_t size, size_t max_size);

namespace {

// `head` (request line and headers, up to the blank line) with the value of
// its Content-Length header, if any, replaced by `length`.
std::string WithContentLength(std::string head, size_t length) {
  std::string lower = head;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  constexpr std::string_view kName = "\ncontent-length:";
  const size_t at = lower.find(kName);
  if (at == std::string::npos) return head;
  const size_t value = at + kName.size();
  const size_t end = head.find('\r', value);
  if (end == std::string::npos) return head;
  return head.replace(value, end - value, " " + std::to_string(length));
}

}  // namespace

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size, size_t max_size, unsigned seed) {
  max_size = fuzz::GrowthLimit(size, max_size);
  std::minstd_rand rng(seed);
  if (fuzz::StructureAware() && rng() % 4 == 0) {
    const std::string_view in(reinterpret_cast<const char*>(data), size);
    const size_t split = in.find("\r\n\r\n");
    if (split != std::string_view::npos) {
      if (auto body = fuzz::MutateJsonText(in.substr(split + 4), max_size, static_cast<unsigned>(rng()))) {
        const std::string head = WithContentLength(std::string(in.substr(0, split + 4)), body->size());
        if (const size_t n = fuzz::WriteMutation(data, max_size, head, *body)) return n;
      }
    }
  }
  return LLVMFuzzerMutate(data, size, max_size);
}
#endif
