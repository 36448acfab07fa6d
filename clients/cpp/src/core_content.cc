// ClientCore: blobs, dossiers and change plans, versions, signed commits,
// bundles and their verification.
#include "core.h"
#include "trust/digest.h"
#include "trust/dsse.h"
#include "trust/encoding.h"
#include "trust/json_forms.h"
#include "trust/log_leaf.h"

namespace dossier::client {
namespace json = boost::json;
namespace fs = std::filesystem;
using internal::Enc;
using internal::FromJson;
using internal::HttpRequest;
using internal::ProblemStatus;

namespace {

std::string BlobPath(const std::string& tenant, const std::string& digest) {
  return "/v1/tenants/" + Enc(tenant) + "/blobs/" + digest;
}

Status CheckDigestRef(const std::string& digest) {
  if (trust::IsDigestRef(digest)) return Status::Ok();
  return InvalidArgument("not a sha256:<hex> digest: " + digest, "bad-digest");
}

// The answer to a blob PUT: it must name the blob that was sent.
StatusOr<BlobInfo> BlobAnswer(const internal::HttpResponse& response, const std::string& digest) {
  DOSSIER_ASSIGN_OR_RETURN(auto o, internal::ParseObject(response.body));
  DOSSIER_ASSIGN_OR_RETURN(BlobInfo info, FromJson<BlobInfo>(json::value(std::move(o))));
  if (info.digest != digest) return DataLoss("the server stored " + info.digest, "digest-mismatch");
  info.created = response.status == 201;
  return info;
}

}  // namespace

// --------------------------------------------------------------------- blobs

ClientCore::Task<std::optional<BlobInfo>> ClientCore::StatBlob(std::string tenant, std::string digest) {
  if (Status s = CheckDigestRef(digest); !s.ok()) co_return s;
  HttpRequest r;
  r.method = "HEAD";
  r.target = BlobPath(tenant, digest);
  r.idempotent = true;
  CO_ASSIGN_OR_RETURN(auto response, co_await transport_->Send(std::move(r)));
  if (response.status == 404) co_return std::optional<BlobInfo>();
  if (response.status != 200) co_return ProblemStatus(response);
  BlobInfo info{digest, std::strtoull(response.Header("content-length").c_str(), nullptr, 10), false};
  co_return std::optional<BlobInfo>(info);
}

ClientCore::Task<BlobInfo> ClientCore::UploadFile(std::string tenant, fs::path path, bool skip_existing,
                                                  ProgressFn progress) {
  // Pass 1 hashes the file (streamed, 64 KiB at a time); pass 2 streams it up.
  auto raw = trust::Sha256File(path);
  if (!raw.ok()) co_return Status(raw.status().code(), "cannot read " + path.string(), "io-error");
  const std::string digest = trust::DigestRef(*raw);
  if (skip_existing) {
    CO_ASSIGN_OR_RETURN(auto existing, co_await StatBlob(tenant, digest));
    if (existing.has_value()) co_return *existing;
  }
  HttpRequest r;
  r.method = "PUT";
  r.target = BlobPath(tenant, digest);
  r.content_type = "application/octet-stream";
  r.body_file = path;
  r.idempotent = true;  // content-addressed: the same PUT twice stores the same bytes
  r.progress = std::move(progress);
  CO_ASSIGN_OR_RETURN(auto response, co_await Call(std::move(r)));
  co_return BlobAnswer(response, digest);
}

ClientCore::Task<BlobInfo> ClientCore::UploadBytes(std::string tenant, std::string bytes) {
  const std::string digest = trust::DigestRef(trust::Sha256(bytes));
  HttpRequest r;
  r.method = "PUT";
  r.target = BlobPath(tenant, digest);
  r.content_type = "application/octet-stream";
  r.body = std::move(bytes);
  r.idempotent = true;
  CO_ASSIGN_OR_RETURN(auto response, co_await Call(std::move(r)));
  co_return BlobAnswer(response, digest);
}

ClientCore::Task<BlobInfo> ClientCore::UploadFromProducer(std::string tenant, BodyProducer producer,
                                                          ProgressFn progress) {
  // Hashed as produced: the digest is known only once the last byte is sent,
  // so the server names the blob (POST .../blobs) and the answer must agree.
  auto hasher = std::make_shared<trust::Sha256Hasher>();
  HttpRequest r;
  r.method = "POST";
  r.target = internal::TenantPath(tenant) + "/blobs";
  r.content_type = "application/octet-stream";
  r.body_producer = [producer = std::move(producer), hasher](std::span<char> buffer) -> StatusOr<size_t> {
    StatusOr<size_t> n = producer(buffer);
    if (n.ok() && *n > buffer.size()) {
      return InvalidArgument("the producer returned more bytes than its buffer holds", "bad-producer");
    }
    if (n.ok()) hasher->Update(std::string_view(buffer.data(), *n));
    return n;
  };
  r.progress = std::move(progress);
  r.idempotent = false;  // the producer cannot be rewound
  CO_ASSIGN_OR_RETURN(auto response, co_await Call(std::move(r)));
  co_return BlobAnswer(response, trust::DigestRef(hasher->Finish()));
}

ClientCore::Task<BlobInfo> ClientCore::DownloadToFile(std::string tenant, std::string digest, fs::path path,
                                                      ProgressFn progress) {
  std::string target = BlobPath(tenant, digest);
  co_return co_await DownloadTo(std::move(target), std::move(digest), std::move(path), std::move(progress));
}

ClientCore::Task<BlobInfo> ClientCore::DownloadTo(std::string target, std::string digest, fs::path path,
                                                  ProgressFn progress) {
  if (Status s = CheckDigestRef(digest); !s.ok()) co_return s;
  int attempts = 0;
  for (;;) {
    std::error_code ec;
    uint64_t have = fs::exists(path, ec) ? fs::file_size(path, ec) : 0;
    if (ec) have = 0;
    HttpRequest r;
    r.method = "GET";
    r.target = target;
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

ClientCore::Task<std::string> ClientCore::DownloadBytes(std::string tenant, std::string digest) {
  if (Status s = CheckDigestRef(digest); !s.ok()) co_return s;
  HttpRequest r;
  r.method = "GET";
  r.target = BlobPath(tenant, digest);
  r.idempotent = true;
  CO_ASSIGN_OR_RETURN(auto response, co_await Call(std::move(r)));
  if (trust::DigestRef(trust::Sha256(response.body)) != digest) {
    co_return DataLoss("downloaded bytes do not hash to " + digest, "digest-mismatch");
  }
  co_return std::move(response.body);
}

// ------------------------------------------------------------------- objects

ClientCore::Task<ObjectInfo> ClientCore::CreateDossier(std::string tenant, std::string id,
                                                       std::string title) {
  json::object body{{"id", id}};
  if (!title.empty()) body["title"] = title;
  co_return co_await SendAs<ObjectInfo>("POST", "/v1/tenants/" + Enc(tenant) + "/dossiers", std::move(body),
                                        false);
}

ClientCore::Task<ObjectInfo> ClientCore::CreateChangePlan(std::string tenant, std::string id,
                                                          std::string dossier, std::string title) {
  json::object body{{"id", id}, {"dossier", dossier}};
  if (!title.empty()) body["title"] = title;
  co_return co_await SendAs<ObjectInfo>("POST", "/v1/tenants/" + Enc(tenant) + "/change-plans",
                                        std::move(body), false);
}

ClientCore::Task<ObjectInfo> ClientCore::GetObject(std::string tenant, ObjectKind kind, std::string id) {
  HttpRequest r;
  r.method = "GET";
  r.target = ObjectPath(tenant, kind, id);
  r.idempotent = true;
  CO_ASSIGN_OR_RETURN(auto response, co_await Call(std::move(r)));
  CO_ASSIGN_OR_RETURN(auto o, internal::ParseObject(response.body));
  CO_ASSIGN_OR_RETURN(ObjectInfo info, FromJson<ObjectInfo>(json::value(std::move(o))));
  info.etag = response.Header("etag");
  co_return info;
}

ClientCore::Task<ObjectPage> ClientCore::ListObjects(std::string tenant, ObjectKind kind,
                                                     std::string page_token, int page_size) {
  // page_size 0: the server's default, as for every other page call.
  std::string target = internal::PageTarget(
      "/v1/tenants/" + Enc(tenant) + "/" + std::string(CollectionName(kind)), page_token, page_size);
  CO_ASSIGN_OR_RETURN(auto o, co_await CallJson("GET", std::move(target), {}, true));
  co_return internal::ObjectPageFromJson(json::value(std::move(o)), kind);
}

// ------------------------------------------------------------------ versions

ClientCore::Task<CommitResult> ClientCore::Commit(CommitRequest c, SigningKey signer) {
  trust::Statement statement;
  statement.tenant = c.tenant;
  statement.object = std::string(CollectionName(c.kind)) + "/" + c.id;
  if (c.version && c.parent_digest) {
    statement.version = *c.version;
    statement.parent_digest = *c.parent_digest;
  } else {
    CO_ASSIGN_OR_RETURN(auto head, co_await GetObject(c.tenant, c.kind, c.id));
    statement.version = c.version.value_or(head.head_version + 1);
    statement.parent_digest = c.parent_digest.value_or(head.head_digest);
  }
  statement.media_type = c.media_type;
  co_return co_await CommitStatement(std::move(statement), ObjectPath(c.tenant, c.kind, c.id) + "/versions",
                                     std::move(c.content), std::move(c.message), std::move(signer),
                                     std::move(c.idempotency_key));
}

ClientCore::Task<trust::DsseEnvelope> ClientCore::SignStatement(trust::Statement statement,
                                                                SigningKey signer) {
  trust::DsseEnvelope envelope;
  envelope.payload_type = std::string(trust::kStatementPayloadType);
  envelope.payload = trust::SerializeStatement(statement);
  std::string pae = trust::Pae(envelope.payload_type, envelope.payload);
  // The Signer completes from whichever thread it likes (a KMS client's, a
  // token's); the result is posted back to this strand before we resume.
  std::shared_ptr<const Signer> keep = signer.shared();
  StatusOr<std::string> signature =
      co_await boost::asio::async_initiate<decltype(boost::asio::use_awaitable), void(StatusOr<std::string>)>(
          [&](auto handler) {
            auto shared_handler = std::make_shared<decltype(handler)>(std::move(handler));
            keep->SignAsync(pae, [shared_handler, strand = strand()](StatusOr<std::string> result) {
              boost::asio::post(strand, [shared_handler, result = std::move(result)]() mutable {
                (*shared_handler)(std::move(result));
              });
            });
          },
          boost::asio::use_awaitable);
  if (!signature.ok()) co_return signature.status();
  // A token that signs with another key than the one it reports would only
  // be caught by the server as "signature-invalid"; say what is wrong here.
  const trust::PublicKey public_key = keep->public_key();
  if (!public_key.Verify(pae, *signature).ok()) {
    co_return FailedPrecondition(
        "the signer's signature does not verify with its own public key " + keep->key_id(),
        "signer-mismatch");
  }
  envelope.signatures.push_back({keep->key_id(), std::move(*signature)});
  co_return envelope;
}

ClientCore::Task<CommitResult> ClientCore::CommitStatement(trust::Statement statement, std::string target,
                                                           std::string content, std::string message,
                                                           SigningKey signer, std::string idempotency_key) {
  // The content travels as a blob; the commit only names its digest.
  CO_ASSIGN_OR_RETURN(auto uploaded, co_await UploadBytes(statement.tenant, std::move(content)));
  statement.content_digest = uploaded.digest;
  CO_ASSIGN_OR_RETURN(auto envelope, co_await SignStatement(statement, std::move(signer)));

  json::object body;
  body["contentDigest"] = statement.content_digest;
  body["mediaType"] = statement.media_type;
  body["envelope"] = trust::EnvelopeToJson(envelope);
  if (!message.empty()) body["message"] = message;
  HttpRequest r;
  r.method = "POST";
  r.target = std::move(target);
  r.content_type = "application/json";
  r.body = json::serialize(body);
  // The same statement always gets the same key, so a commit re-run after a
  // lost answer is recognised even when it was signed anew (P-256 signatures
  // are randomised): the server answers it 200 with the original receipt.
  if (idempotency_key.empty()) idempotency_key = call_.idempotency_key;
  if (idempotency_key.empty()) {
    idempotency_key =
        "stmt-" + trust::HexEncode(trust::Sha256(trust::SerializeStatement(statement))).substr(0, 32);
  }
  r.headers.emplace_back("Idempotency-Key", std::move(idempotency_key));
  r.idempotent = true;
  CO_ASSIGN_OR_RETURN(auto response, co_await Call(std::move(r)));
  CO_ASSIGN_OR_RETURN(auto o, internal::ParseObject(response.body));
  auto result = FromJson<CommitResult>(json::value(o));
  if (!result.ok()) {
    co_return Status(StatusCode::kDataLoss,
                     "the version was accepted but its receipt is unreadable: " + result.status().message(),
                     "receipt-invalid", result.status().field());
  }
  result->already_committed = response.status == 200;
  result->answer_json_text = json::serialize(o);
  // The receipt must be signed by the log we pinned.
  CO_ASSIGN_OR_RETURN(auto log_key, co_await GetLogPublicKey());
  Receipt& receipt = result->receipt;
  Status receipt_ok = log_key.key.Verify(
      trust::ReceiptMessage(receipt.origin, receipt.log_index, receipt.leaf_hash), receipt.signature);
  if (!receipt_ok.ok() || receipt.origin != log_key.origin) {
    co_return DataLoss("version " + std::to_string(result->version.version) +
                           " was accepted but its receipt is not signed by the server's log key",
                       "receipt-invalid");
  }
  receipt.signature_verified = true;
  co_return result;
}

ClientCore::Task<VersionPage> ClientCore::ListVersions(std::string tenant, ObjectKind kind, std::string id,
                                                       std::string page_token, int page_size) {
  co_return co_await GetAs<VersionPage>(
      internal::PageTarget(ObjectPath(tenant, kind, id) + "/versions", page_token, page_size));
}

ClientCore::Task<std::vector<VersionInfo>> ClientCore::AllVersions(std::string tenant, ObjectKind kind,
                                                                   std::string id) {
  std::vector<VersionInfo> all;
  std::string token;
  do {
    CO_ASSIGN_OR_RETURN(auto page, co_await ListVersions(tenant, kind, id, token, 500));
    for (auto& v : page.versions) all.push_back(std::move(v));
    token = std::move(page.next_page_token);
  } while (!token.empty());
  co_return all;
}

ClientCore::Task<Version> ClientCore::GetVersion(std::string tenant, ObjectKind kind, std::string id,
                                                 uint64_t version) {
  co_return co_await GetAs<Version>(ObjectPath(tenant, kind, id) + "/versions/" + std::to_string(version));
}

ClientCore::Task<std::string> ClientCore::GetVersionContent(std::string tenant, ObjectKind kind,
                                                            std::string id, uint64_t version) {
  HttpRequest r;
  r.method = "GET";
  r.target = ObjectPath(tenant, kind, id) + "/versions/" + std::to_string(version) + "/content";
  r.idempotent = true;
  CO_ASSIGN_OR_RETURN(auto response, co_await Call(std::move(r)));
  // The ETag is the content digest; the bytes must hash to it.
  std::string etag = response.Header("etag");
  if (etag.size() > 2 && etag.front() == '"') etag = etag.substr(1, etag.size() - 2);
  if (!etag.empty() && trust::DigestRef(trust::Sha256(response.body)) != etag) {
    co_return DataLoss("the content does not hash to its digest " + etag, "digest-mismatch");
  }
  co_return std::move(response.body);
}

ClientCore::Task<json::object> ClientCore::Diff(std::string tenant, std::string dossier, uint64_t from,
                                                uint64_t to) {
  co_return co_await CallJson("GET",
                              ObjectPath(tenant, ObjectKind::kDossier, dossier) +
                                  "/diff?from=" + std::to_string(from) + "&to=" + std::to_string(to),
                              {}, true);
}

// -------------------------------------------------------------- verification

ClientCore::Task<FetchedBundle> ClientCore::GetBundle(std::string tenant, ObjectKind kind, std::string id,
                                                      uint64_t version) {
  HttpRequest r;
  r.method = "GET";
  r.target = ObjectPath(tenant, kind, id) + "/versions/" + std::to_string(version) + "/bundle";
  r.idempotent = true;
  CO_ASSIGN_OR_RETURN(auto response, co_await Call(std::move(r)));
  CO_ASSIGN_OR_RETURN(auto bundle, trust::BundleFromJson(response.body));
  co_return FetchedBundle{std::move(bundle), std::move(response.body)};
}

ClientCore::Task<trust::BundleVerification> ClientCore::VerifyVersion(std::string tenant, ObjectKind kind,
                                                                      std::string id, uint64_t version) {
  ExpectedIdentity expected{
      .tenant = std::move(tenant), .kind = kind, .id = std::move(id), .version = version};
  co_return co_await VerifyVersionAs(std::move(expected));
}

ClientCore::Task<trust::BundleVerification> ClientCore::VerifyVersionAs(ExpectedIdentity expected) {
  if (expected.tenant.empty() || expected.id.empty() || !expected.version) {
    co_return InvalidArgument("say which tenant, object and version to verify", "identity-required");
  }
  const uint64_t version = *expected.version;
  CO_ASSIGN_OR_RETURN(auto fetched, co_await GetBundle(expected.tenant, expected.kind, expected.id, version));
  CO_ASSIGN_OR_RETURN(auto content,
                      co_await GetVersionContent(expected.tenant, expected.kind, expected.id, version));
  CO_ASSIGN_OR_RETURN(auto key, co_await GetLogPublicKey());
  // The one bundle check (trust::VerifyBundle), shared with `dossier verify`
  // and the peer puller; against the pinned keys when there are any, then the
  // identity the caller asked for: a server answering with another object's
  // bundle is refused.
  StatusOr<trust::BundleVerification> checked =
      memory_->pins.empty()
          ? trust::VerifyBundle(fetched.bundle, key.origin, key.key, &content)
          : internal::VerifyBundlePinned(fetched.bundle, key.origin, memory_->pins, expected, &content);
  if (!checked.ok()) co_return checked.status();
  if (Status identity = CheckIdentity(*checked, expected); !identity.ok()) co_return identity;
  trust::BundleVerification verified = std::move(*checked);
  CO_ASSIGN_OR_RETURN(auto remembered, co_await CheckAndRememberCheckpoint(verified.checkpoint));
  (void)remembered;
  co_return verified;
}

}  // namespace dossier::client
