#include "core.h"

#include <sys/stat.h>

#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "trust/digest.h"
#include "trust/dsse.h"
#include "trust/encoding.h"
#include "trust/log_leaf.h"
#include "trust/merkle.h"
#include "trust/statement.h"

// DOSSIER_ASSIGN_OR_RETURN for coroutines (which must co_return).
#define CO_ASSIGN_OR_RETURN(lhs, expr) \
  CO_ASSIGN_OR_RETURN_IMPL(DOSSIER_STATUS_CONCAT(co_statusor_, __COUNTER__), lhs, expr)
#define CO_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                             \
  if (!tmp.ok()) co_return tmp.status();         \
  lhs = std::move(tmp).value()

namespace dossier::client {
namespace json = boost::json;
namespace fs = std::filesystem;
using internal::HttpRequest;
using internal::HttpResponse;

std::string_view CollectionName(ObjectKind kind) {
  return kind == ObjectKind::kDossier ? "dossiers" : "change-plans";
}

bool IsTransportError(const Status& status) {
  const std::string r = status.reason();
  return r == "connect-failed" || r == "timeout" || r == "tls-failed" || r == "connection-lost";
}

namespace internal {

std::string Enc(std::string_view s) { return boost::urls::encode(s, boost::urls::unreserved_chars); }

std::string Str(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  return it != o.end() && it->value().is_string() ? std::string(it->value().as_string()) : std::string();
}

uint64_t U64(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end()) return 0;
  const auto& v = it->value();
  if (v.is_uint64()) return v.as_uint64();
  if (v.is_int64()) return v.as_int64() < 0 ? 0 : static_cast<uint64_t>(v.as_int64());
  if (v.is_string()) return std::strtoull(v.as_string().c_str(), nullptr, 10);  // protobuf JSON int64
  return 0;
}

}  // namespace internal

namespace {

using internal::Enc;
using internal::Str;
using internal::U64;

StatusCode CodeForHttp(int status) {
  switch (status) {
    case 400:
    case 405:
    case 411:
    case 415:
    case 422:
      return StatusCode::kInvalidArgument;
    case 401:
      return StatusCode::kUnauthenticated;
    case 403:
      return StatusCode::kPermissionDenied;
    case 404:
      return StatusCode::kNotFound;
    case 409:
      return StatusCode::kAlreadyExists;
    case 412:
      return StatusCode::kFailedPrecondition;
    case 413:
    case 429:
    case 431:
      return StatusCode::kResourceExhausted;
    case 416:
      return StatusCode::kOutOfRange;
    case 501:
      return StatusCode::kUnimplemented;
    case 503:
      return StatusCode::kUnavailable;
    case 504:
      return StatusCode::kDeadlineExceeded;
    default:
      return status >= 500 ? StatusCode::kInternal : StatusCode::kUnknown;
  }
}

// The problem+json answer as a Status: reason = its `code`, field = `field`.
Status ProblemStatus(const HttpResponse& r) {
  boost::system::error_code ec;
  json::value v = json::parse(r.body, ec);
  std::string reason = "http-" + std::to_string(r.status), detail, field;
  if (!ec && v.is_object()) {
    const auto& o = v.as_object();
    if (!Str(o, "code").empty()) reason = Str(o, "code");
    detail = Str(o, "detail");
    if (detail.empty()) detail = Str(o, "title");
    field = Str(o, "field");
  }
  if (detail.empty()) detail = "the server answered HTTP " + std::to_string(r.status);
  return Status(CodeForHttp(r.status), detail, reason, field);
}

StatusOr<json::object> ParseObject(const std::string& body) {
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec || !v.is_object()) return Internal("the server's answer is not a JSON object", "bad-response");
  return std::move(v.as_object());
}

ObjectInfo ToObject(json::object o, std::string etag) {
  ObjectInfo info;
  info.id = Str(o, "id");
  info.title = Str(o, "title");
  info.head_version = U64(o, "headVersion");
  info.head_digest = Str(o, "headDigest");
  info.etag = std::move(etag);
  info.json = std::move(o);
  return info;
}

VersionInfo ToVersion(json::object o) {
  VersionInfo v;
  v.version = U64(o, "version");
  v.digest = Str(o, "digest");
  v.parent_digest = Str(o, "parentDigest");
  v.media_type = Str(o, "mediaType");
  v.signer_key_id = Str(o, "signerKeyId");
  v.log_index = U64(o, "logIndex");
  v.created_at = Str(o, "createdAt");
  v.message = Str(o, "message");
  v.json = std::move(o);
  return v;
}

std::string MediaTypeForFile(const fs::path& path) {
  std::string ext = path.extension().string();
  for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (ext == ".zip") return "application/zip";
  if (ext == ".json") return "application/json";
  if (ext == ".xml") return "application/xml";
  if (ext == ".ndjson") return "application/x-ndjson";
  return "application/octet-stream";
}

}  // namespace

// ------------------------------------------------------------------ plumbing

StatusOr<std::shared_ptr<ClientCore>> ClientCore::Create(boost::asio::any_io_executor executor,
                                                         ClientOptions options) {
  DOSSIER_ASSIGN_OR_RETURN(auto transport, internal::Transport::Create(executor, options));
  return std::shared_ptr<ClientCore>(new ClientCore(std::move(options), std::move(transport)));
}

std::string ClientCore::ObjectPath(const std::string& tenant, ObjectKind kind, const std::string& id) const {
  return "/v1/tenants/" + Enc(tenant) + "/" + std::string(CollectionName(kind)) + "/" + Enc(id);
}

ClientCore::Task<HttpResponse> ClientCore::Call(HttpRequest request) {
  auto response = co_await transport_->Send(std::move(request));
  if (!response.ok()) co_return response.status();
  if (response->status < 200 || response->status > 299) co_return ProblemStatus(*response);
  co_return response;
}

ClientCore::Task<json::object> ClientCore::CallJson(std::string method, std::string target, std::string body,
                                                    bool idempotent) {
  HttpRequest r;
  r.method = std::move(method);
  r.target = std::move(target);
  r.headers.emplace_back("Accept", "application/json");
  if (!body.empty()) r.content_type = "application/json";
  r.body = std::move(body);
  r.idempotent = idempotent;
  auto response = co_await Call(std::move(r));
  if (!response.ok()) co_return response.status();
  if (response->body.empty()) co_return json::object();
  co_return ParseObject(response->body);
}

ClientCore::Task<RawResponse> ClientCore::CallRaw(std::string method, std::string target, std::string body) {
  HttpRequest r;
  r.idempotent = method == "GET" || method == "HEAD";
  r.method = std::move(method);
  r.target = std::move(target);
  if (!body.empty()) r.content_type = "application/json";
  r.body = std::move(body);
  auto response = co_await Call(std::move(r));
  if (!response.ok()) co_return response.status();
  co_return RawResponse{response->status, response->Header("content-type"), std::move(response->body)};
}

// --------------------------------------------------------------------- blobs

ClientCore::Task<std::optional<BlobInfo>> ClientCore::StatBlob(std::string tenant, std::string digest) {
  if (!trust::IsDigestRef(digest))
    co_return InvalidArgument("not a sha256:<hex> digest: " + digest, "bad-digest");
  HttpRequest r;
  r.method = "HEAD";
  r.target = "/v1/tenants/" + Enc(tenant) + "/blobs/" + digest;
  r.idempotent = true;
  auto response = co_await transport_->Send(std::move(r));
  if (!response.ok()) co_return response.status();
  if (response->status == 404) co_return std::optional<BlobInfo>();
  if (response->status != 200) co_return ProblemStatus(*response);
  BlobInfo info{digest, std::strtoull(response->Header("content-length").c_str(), nullptr, 10), false};
  co_return std::optional<BlobInfo>(info);
}

ClientCore::Task<BlobInfo> ClientCore::UploadFile(std::string tenant, fs::path path, bool skip_existing,
                                                  ProgressFn progress) {
  // Pass 1 hashes the file (streamed, 64 KiB at a time); pass 2 streams it up.
  auto raw = trust::Sha256File(path);
  if (!raw.ok()) co_return Status(raw.status().code(), "cannot read " + path.string(), "io-error");
  const std::string digest = trust::DigestRef(*raw);
  if (skip_existing) {
    auto existing = co_await StatBlob(tenant, digest);
    if (!existing.ok()) co_return existing.status();
    if (existing->has_value()) co_return **existing;
  }
  HttpRequest r;
  r.method = "PUT";
  r.target = "/v1/tenants/" + Enc(tenant) + "/blobs/" + digest;
  r.content_type = "application/octet-stream";
  r.body_file = path;
  r.idempotent = true;  // content-addressed: the same PUT twice stores the same bytes
  r.progress = std::move(progress);
  auto response = co_await Call(std::move(r));
  if (!response.ok()) co_return response.status();
  CO_ASSIGN_OR_RETURN(auto o, ParseObject(response->body));
  co_return BlobInfo{digest, U64(o, "size"), response->status == 201};
}

ClientCore::Task<BlobInfo> ClientCore::UploadBytes(std::string tenant, std::string bytes) {
  const std::string digest = trust::DigestRef(trust::Sha256(bytes));
  HttpRequest r;
  r.method = "PUT";
  r.target = "/v1/tenants/" + Enc(tenant) + "/blobs/" + digest;
  r.content_type = "application/octet-stream";
  r.body = std::move(bytes);
  r.idempotent = true;
  auto response = co_await Call(std::move(r));
  if (!response.ok()) co_return response.status();
  CO_ASSIGN_OR_RETURN(auto o, ParseObject(response->body));
  co_return BlobInfo{digest, U64(o, "size"), response->status == 201};
}

ClientCore::Task<BlobInfo> ClientCore::DownloadToFile(std::string tenant, std::string digest, fs::path path,
                                                      ProgressFn progress) {
  if (!trust::IsDigestRef(digest))
    co_return InvalidArgument("not a sha256:<hex> digest: " + digest, "bad-digest");
  int attempts = 0;
  for (;;) {
    std::error_code ec;
    uint64_t have = fs::exists(path, ec) ? fs::file_size(path, ec) : 0;
    if (ec) have = 0;
    HttpRequest r;
    r.method = "GET";
    r.target = "/v1/tenants/" + Enc(tenant) + "/blobs/" + digest;
    r.idempotent = true;
    r.response_file = path;
    // Resume an interrupted download: ask only for what is missing.
    if (have > 0) r.headers.emplace_back("Range", "bytes=" + std::to_string(have) + "-");
    if (progress) {
      r.progress = [progress, have](uint64_t done, uint64_t total) { progress(have + done, have + total); };
    }
    auto response = co_await transport_->Send(std::move(r));
    if (!response.ok()) {
      if (response.status().reason() != "io-error" && ++attempts <= options_.max_retries) continue;
      co_return response.status();
    }
    // 416: the local file is already as long as the blob (or longer); its
    // digest decides below, and a wrong file is fetched again from scratch.
    if (response->status != 200 && response->status != 206 && response->status != 416) {
      co_return ProblemStatus(*response);
    }
    auto got = trust::Sha256File(path);
    if (got.ok() && trust::DigestRef(*got) == digest) {
      co_return BlobInfo{digest, fs::file_size(path, ec), true};
    }
    fs::remove(path, ec);
    if (have == 0 || ++attempts > options_.max_retries) {
      co_return DataLoss("downloaded bytes do not hash to " + digest, "digest-mismatch");
    }
  }
}

// ------------------------------------------------------------------- objects

ClientCore::Task<ObjectInfo> ClientCore::GetObject(std::string tenant, ObjectKind kind, std::string id) {
  HttpRequest r;
  r.method = "GET";
  r.target = ObjectPath(tenant, kind, id);
  r.idempotent = true;
  auto response = co_await Call(std::move(r));
  if (!response.ok()) co_return response.status();
  CO_ASSIGN_OR_RETURN(auto o, ParseObject(response->body));
  co_return ToObject(std::move(o), response->Header("etag"));
}

// ------------------------------------------------------------------ versions

ClientCore::Task<CommitResult> ClientCore::Commit(CommitRequest c, trust::PrivateKey signer) {
  trust::Statement statement;
  statement.tenant = c.tenant;
  statement.object = std::string(CollectionName(c.kind)) + "/" + c.id;
  if (c.version && c.parent_digest) {
    statement.version = *c.version;
    statement.parent_digest = *c.parent_digest;
  } else {
    auto head = co_await GetObject(c.tenant, c.kind, c.id);
    if (!head.ok()) co_return head.status();
    statement.version = c.version.value_or(head->head_version + 1);
    statement.parent_digest = c.parent_digest.value_or(head->head_digest);
  }
  statement.media_type = c.media_type;
  co_return co_await CommitStatement(std::move(statement), ObjectPath(c.tenant, c.kind, c.id) + "/versions",
                                     std::move(c.content), std::move(c.message), std::move(signer));
}

ClientCore::Task<CommitResult> ClientCore::CommitStatement(trust::Statement statement, std::string target,
                                                           std::string content, std::string message,
                                                           trust::PrivateKey signer) {
  // The content travels as a blob; the commit only names its digest.
  auto uploaded = co_await UploadBytes(statement.tenant, std::move(content));
  if (!uploaded.ok()) co_return uploaded.status();
  statement.content_digest = uploaded->digest;
  auto envelope =
      trust::SignEnvelope(trust::kStatementPayloadType, trust::SerializeStatement(statement), signer);
  if (!envelope.ok()) co_return envelope.status();
  const std::string envelope_json = trust::SerializeEnvelope(*envelope);

  json::object body;
  body["contentDigest"] = statement.content_digest;
  body["mediaType"] = statement.media_type;
  body["envelope"] = trust::EnvelopeToJson(*envelope);
  if (!message.empty()) body["message"] = message;
  HttpRequest r;
  r.method = "POST";
  r.target = std::move(target);
  r.content_type = "application/json";
  r.body = json::serialize(body);
  // The same envelope always gets the same key, so a resend after a lost
  // answer is recognised; the server also answers a re-posted envelope 200.
  r.headers.emplace_back("Idempotency-Key", trust::HexEncode(trust::Sha256(envelope_json)).substr(0, 32));
  r.idempotent = true;
  auto response = co_await Call(std::move(r));
  if (!response.ok()) co_return response.status();
  CO_ASSIGN_OR_RETURN(auto o, ParseObject(response->body));

  CommitResult result;
  result.already_committed = response->status == 200;
  if (auto it = o.find("receipt"); it != o.end() && it->value().is_object()) {
    const auto& ro = it->value().as_object();
    result.receipt.log_index = U64(ro, "logIndex");
    result.receipt.origin = Str(ro, "origin");
    result.receipt.key_id = Str(ro, "keyId");
    auto leaf = trust::Base64Decode(Str(ro, "leafHash"));
    auto sig = trust::Base64Decode(Str(ro, "signature"));
    if (leaf.ok()) result.receipt.leaf_hash = *leaf;
    if (sig.ok()) result.receipt.signature = *sig;
  }
  result.version = ToVersion(std::move(o));
  // The receipt must be signed by the log we pinned.
  auto log_key = co_await GetLogPublicKey();
  if (!log_key.ok()) co_return log_key.status();
  Status receipt_ok = log_key->key.Verify(
      trust::ReceiptMessage(result.receipt.origin, result.receipt.log_index, result.receipt.leaf_hash),
      result.receipt.signature);
  if (!receipt_ok.ok() || result.receipt.origin != log_key->origin) {
    co_return DataLoss("version " + std::to_string(result.version.version) +
                           " was accepted but its receipt is not signed by the server's log key",
                       "receipt-invalid");
  }
  result.receipt.signature_verified = true;
  co_return result;
}

ClientCore::Task<std::vector<VersionInfo>> ClientCore::ListDecisions(std::string tenant,
                                                                     std::string submission) {
  auto o = co_await CallJson(
      "GET", "/v1/tenants/" + Enc(tenant) + "/submissions/" + Enc(submission) + "/decisions", {}, true);
  if (!o.ok()) co_return o.status();
  std::vector<VersionInfo> out;
  if (auto it = o->find("decisions"); it != o->end() && it->value().is_array()) {
    for (auto& v : it->value().as_array()) {
      if (v.is_object()) out.push_back(ToVersion(std::move(v.as_object())));
    }
  }
  co_return out;
}

ClientCore::Task<CommitResult> ClientCore::CommitDecision(std::string tenant, Decision decision,
                                                          trust::PrivateKey signer) {
  json::array sections;
  for (const auto& s : decision.sections) {
    json::object section{{"code", s.code}};
    if (!s.outcome.empty()) section["outcome"] = s.outcome;
    if (!s.notes.empty()) section["notes"] = s.notes;
    if (!s.digest.empty()) section["digest"] = s.digest;
    sections.push_back(std::move(section));
  }
  json::object content{{"submission", decision.submission}, {"outcome", decision.outcome}};
  if (!decision.number.empty()) content["number"] = decision.number;
  if (!decision.date.empty()) content["date"] = decision.date;
  if (!sections.empty()) content["sections"] = std::move(sections);
  // The next version of the submission's decisions object.
  auto existing = co_await ListDecisions(tenant, decision.submission);
  if (!existing.ok()) co_return existing.status();
  trust::Statement statement;
  statement.tenant = tenant;
  statement.object = "submissions/" + decision.submission + "/decisions";
  statement.version = existing->size() + 1;
  statement.parent_digest = existing->empty() ? std::string() : existing->back().digest;
  statement.media_type = std::string(kDecisionJson);
  co_return co_await CommitStatement(
      std::move(statement),
      "/v1/tenants/" + Enc(tenant) + "/submissions/" + Enc(decision.submission) + "/decisions",
      json::serialize(content), {}, std::move(signer));
}

ClientCore::Task<VersionPage> ClientCore::ListVersions(std::string tenant, ObjectKind kind, std::string id,
                                                       std::string page_token, int page_size) {
  std::string target = ObjectPath(tenant, kind, id) + "/versions";
  std::string sep = "?";
  if (!page_token.empty()) target += std::exchange(sep, "&") + "page_token=" + Enc(page_token);
  if (page_size > 0) target += sep + "page_size=" + std::to_string(page_size);
  auto o = co_await CallJson("GET", target, {}, true);
  if (!o.ok()) co_return o.status();
  VersionPage page;
  if (auto it = o->find("versions"); it != o->end() && it->value().is_array()) {
    for (auto& v : it->value().as_array()) {
      if (v.is_object()) page.versions.push_back(ToVersion(v.as_object()));
    }
  }
  page.next_page_token = Str(*o, "nextPageToken");
  co_return page;
}

ClientCore::Task<Version> ClientCore::GetVersion(std::string tenant, ObjectKind kind, std::string id,
                                                 uint64_t version) {
  auto o = co_await CallJson("GET", ObjectPath(tenant, kind, id) + "/versions/" + std::to_string(version), {},
                             true);
  if (!o.ok()) co_return o.status();
  Version v;
  if (auto it = o->find("envelope"); it != o->end()) v.envelope = it->value();
  if (auto it = o->find("content"); it != o->end()) v.content = it->value();
  o->erase("envelope");
  o->erase("content");
  v.info = ToVersion(std::move(*o));
  co_return v;
}

ClientCore::Task<std::string> ClientCore::GetVersionContent(std::string tenant, ObjectKind kind,
                                                            std::string id, uint64_t version) {
  HttpRequest r;
  r.method = "GET";
  r.target = ObjectPath(tenant, kind, id) + "/versions/" + std::to_string(version) + "/content";
  r.idempotent = true;
  auto response = co_await Call(std::move(r));
  if (!response.ok()) co_return response.status();
  // The ETag is the content digest; the bytes must hash to it.
  std::string etag = response->Header("etag");
  if (etag.size() > 2 && etag.front() == '"') etag = etag.substr(1, etag.size() - 2);
  if (!etag.empty() && trust::DigestRef(trust::Sha256(response->body)) != etag) {
    co_return DataLoss("the content does not hash to its digest " + etag, "digest-mismatch");
  }
  co_return std::move(response->body);
}

// -------------------------------------------------------------- verification

ClientCore::Task<trust::Bundle> ClientCore::GetBundle(std::string tenant, ObjectKind kind, std::string id,
                                                      uint64_t version, std::string* raw_json) {
  HttpRequest r;
  r.method = "GET";
  r.target = ObjectPath(tenant, kind, id) + "/versions/" + std::to_string(version) + "/bundle";
  r.idempotent = true;
  auto response = co_await Call(std::move(r));
  if (!response.ok()) co_return response.status();
  if (raw_json) *raw_json = response->body;
  co_return trust::BundleFromJson(response->body);
}

ClientCore::Task<trust::BundleVerification> ClientCore::VerifyVersion(std::string tenant, ObjectKind kind,
                                                                      std::string id, uint64_t version) {
  auto bundle = co_await GetBundle(tenant, kind, id, version, nullptr);
  if (!bundle.ok()) co_return bundle.status();
  auto content = co_await GetVersionContent(tenant, kind, id, version);
  if (!content.ok()) co_return content.status();
  auto key = co_await GetLogPublicKey();
  if (!key.ok()) co_return key.status();
  auto verified = trust::VerifyBundle(*bundle, key->origin, key->key, &*content);
  if (!verified.ok()) co_return verified.status();
  auto remembered = co_await Remember(verified->checkpoint);
  if (!remembered.ok()) co_return remembered.status();
  co_return verified;
}

// ----------------------------------------------------------------------- log

ClientCore::Task<LogPublicKey> ClientCore::GetLogPublicKey() {
  if (log_key_) co_return *log_key_;
  auto o = co_await CallJson("GET", "/v1/log/public-key", {}, true);
  if (!o.ok()) co_return o.status();
  auto key = trust::PublicKey::FromPem(Str(*o, "publicKeyPem"));
  if (!key.ok()) co_return Status(StatusCode::kInternal, "the log public key does not parse", "bad-response");
  LogPublicKey out;
  out.key = *key;
  out.origin = Str(*o, "keyName").empty() ? Str(*o, "origin") : Str(*o, "keyName");
  out.key_id = key->KeyId();
  out.note_verifier_key = Str(*o, "noteVerifierKey");
  // Another coroutine may have pinned one meanwhile; it must be the same key.
  if (log_key_ && log_key_->key_id != out.key_id) {
    co_return DataLoss("the server's log key changed", "log-key-changed");
  }
  log_key_ = out;
  co_return out;
}

ClientCore::Task<trust::Checkpoint> ClientCore::GetCheckpoint() {
  auto key = co_await GetLogPublicKey();
  if (!key.ok()) co_return key.status();
  HttpRequest r;
  r.method = "GET";
  r.target = "/v1/log/checkpoint";
  r.idempotent = true;
  auto response = co_await Call(std::move(r));
  if (!response.ok()) co_return response.status();
  auto checkpoint = trust::OpenCheckpoint(response->body, key->origin, key->key);
  if (!checkpoint.ok()) co_return checkpoint.status();
  if (checkpoint->origin != key->origin) co_return DataLoss("checkpoint of another log", "wrong-log-origin");
  auto remembered = co_await Remember(*checkpoint);
  if (!remembered.ok()) co_return remembered.status();
  co_return checkpoint;
}

void ClientCore::LoadCheckpointFile() {
  checkpoint_file_loaded_ = true;
  if (options_.checkpoint_file.empty()) return;
  std::ifstream in(options_.checkpoint_file, std::ios::binary);
  if (!in) return;  // first use
  std::stringstream text;
  text << in.rdbuf();
  boost::system::error_code ec;
  json::value v = json::parse(text.str(), ec);
  if (ec || !v.is_object()) return;
  auto servers = v.as_object().find("servers");
  if (servers == v.as_object().end() || !servers->value().is_object()) return;
  for (const auto& [server, entry] : servers->value().as_object()) {
    if (!entry.is_object()) continue;
    auto root = trust::Base64Decode(Str(entry.as_object(), "rootHash"));
    if (root.ok()) checkpoints_[std::string(server)] = {U64(entry.as_object(), "treeSize"), *root};
  }
}

Status ClientCore::SaveCheckpointFile() {
  if (options_.checkpoint_file.empty()) return Status::Ok();
  json::object servers;
  for (const auto& [server, c] : checkpoints_) {
    servers[server] = json::object{{"treeSize", c.size}, {"rootHash", trust::Base64Encode(c.root)}};
  }
  const std::string text = json::serialize(json::object{{"servers", std::move(servers)}}) + "\n";
  const std::string tmp = options_.checkpoint_file.string() + ".tmp";
  std::error_code ec;
  fs::create_directories(options_.checkpoint_file.parent_path(), ec);
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) return Status(StatusCode::kInternal, "cannot write " + tmp, "io-error");
  ::fchmod(fileno(f), 0600);
  bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  ok = std::fclose(f) == 0 && ok;
  fs::rename(tmp, options_.checkpoint_file, ec);
  if (!ok || ec)
    return Status(StatusCode::kInternal, "cannot write " + options_.checkpoint_file.string(), "io-error");
  return Status::Ok();
}

ClientCore::Task<bool> ClientCore::Remember(trust::Checkpoint checkpoint) {
  if (!checkpoint_file_loaded_) LoadCheckpointFile();
  const std::string& server = transport_->server_key();
  auto it = checkpoints_.find(server);
  if (it != checkpoints_.end()) {
    // Copy: the map may change while this coroutine waits for the proof.
    const Remembered seen = it->second;
    if (checkpoint.tree_size == seen.size) {
      if (checkpoint.root_hash != seen.root) {
        co_return DataLoss("the log shows two different trees of size " + std::to_string(seen.size),
                           "log-fork");
      }
      co_return true;
    }
    // Prove that the smaller tree is a prefix of the larger one, either way
    // round; only a newer checkpoint replaces the remembered one.
    const bool newer = checkpoint.tree_size > seen.size;
    const uint64_t from = newer ? seen.size : checkpoint.tree_size;
    const uint64_t to = newer ? checkpoint.tree_size : seen.size;
    auto proof = co_await Proof("/v1/log/proofs/consistency?from=" + std::to_string(from) +
                                "&to=" + std::to_string(to));
    if (!proof.ok()) co_return proof.status();
    Status consistent = newer ? trust::VerifyConsistency(from, to, *proof, seen.root, checkpoint.root_hash)
                              : trust::VerifyConsistency(from, to, *proof, checkpoint.root_hash, seen.root);
    if (!consistent.ok()) {
      co_return DataLoss("the log's checkpoint of size " + std::to_string(checkpoint.tree_size) +
                             " is not consistent with the one of size " + std::to_string(seen.size) +
                             " seen before: the log was rewritten",
                         "consistency-proof-invalid");
    }
    if (!newer) co_return true;
  }
  checkpoints_[server] = {checkpoint.tree_size, checkpoint.root_hash};
  Status saved = SaveCheckpointFile();
  if (!saved.ok()) co_return saved;
  co_return true;
}

ClientCore::Task<std::vector<std::string>> ClientCore::Proof(std::string target) {
  auto o = co_await CallJson("GET", std::move(target), {}, true);
  if (!o.ok()) co_return o.status();
  std::vector<std::string> hashes;
  auto it = o->find("hashes");
  if (it == o->end() || !it->value().is_array()) co_return Internal("proof without hashes", "bad-response");
  for (const auto& h : it->value().as_array()) {
    auto raw =
        h.is_string() ? trust::Base64Decode(h.as_string()) : StatusOr<std::string>(InvalidArgument("x"));
    if (!raw.ok()) co_return Internal("proof hash is not base64", "bad-response");
    hashes.push_back(*raw);
  }
  co_return hashes;
}

// ---------------------------------------------------------- regional views

ClientCore::Task<RawResponse> ClientCore::Import(std::string tenant, std::string format, fs::path path,
                                                 ProgressFn progress) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) co_return NotFound("cannot read " + path.string(), "io-error");
  HttpRequest r;
  r.method = "POST";
  r.target = "/v1/tenants/" + Enc(tenant) + "/imports?format=" + Enc(format);
  r.content_type = MediaTypeForFile(path);
  r.body_file = path;
  r.idempotent = true;  // nothing is committed by an import
  r.progress = std::move(progress);
  auto response = co_await Call(std::move(r));
  if (!response.ok()) co_return response.status();
  co_return RawResponse{response->status, response->Header("content-type"), std::move(response->body)};
}

ClientCore::Task<bool> ClientCore::Export(std::string tenant, std::string dossier, uint64_t version,
                                          std::string format, fs::path path, ProgressFn progress) {
  HttpRequest r;
  r.method = "GET";
  r.target = ObjectPath(tenant, ObjectKind::kDossier, dossier) + "/versions/" + std::to_string(version) +
             "/export?format=" + Enc(format);
  r.idempotent = true;
  r.response_file = path;
  r.progress = std::move(progress);
  auto response = co_await Call(std::move(r));
  if (!response.ok()) co_return response.status();
  co_return true;
}

}  // namespace dossier::client
