// The core behind the route table: the state every route shares (store,
// options, log identity, content kinds, counters, audit log, rate limiter,
// caches), authentication, the signed-commit machinery, blob serving and
// paging. Route modules see it as ApiServices; Api (api.cc) additionally uses
// it to admit requests.
//
// Thread-safety: every member may be called concurrently from worker threads.
#pragma once

#include <atomic>
#include <mutex>
#include <optional>

#include "server/api_services.h"
#include "server/audit.h"
#include "server/bootstrap.h"
#include "server/bounded_cache.h"
#include "server/rate_limiter.h"
#include "trust/dsse.h"
#include "trust/statement.h"

namespace dossier::server {

class ApiCore final : public ApiServices {
 public:
  // `router` and `store` must outlive the core; `options` too (Api owns it).
  ApiCore(Router& router, storage::Store& store, const ServerOptions& options, LogIdentity log);

  // Who sent `request`: nullopt without a credential; Unauthenticated for a
  // bad, revoked or expired one.
  StatusOr<std::optional<Principal>> Authenticate(const Request& request);
  RateLimiter& limiter() { return limiter_; }
  RateLimiter& tenant_limiter() { return tenant_limiter_; }
  void CountRequest() { ++requests_total_; }
  void CountResponse(int http_status);

  // ApiServices.
  storage::Store& store() override { return store_; }
  const ServerOptions& options() const override { return options_; }
  void AddRoute(Route route) override { router_.Add(std::move(route)); }
  void AddSchema(std::string name, std::string schema_json) override {
    router_.AddSchema(std::move(name), std::move(schema_json));
  }
  const Router& router() const override { return router_; }
  AuditLog& audit() override { return audit_; }
  ApiCounters Counters() const override;
  StatusOr<SignedCommitResult> CommitSigned(const SignedCommitRequest& request) override;
  Response CommitResponse(int status, const storage::VersionRecord& v, const std::string& leaf_hash) override;
  boost::json::object VersionJson(const storage::VersionRecord& v) override;
  const std::vector<ContentKind>& ContentKinds() const override { return kinds_; }
  const ContentKind* KindByCollection(std::string_view collection) const override;
  StatusOr<std::string> LoadContent(const std::string& tenant, const storage::VersionRecord& v) override;
  StatusOr<Response> ServeBlob(const Request& request, const std::string& tenant,
                               const std::string& digest) override;
  StatusOr<std::string> CurrentCheckpoint() override;
  const std::string& LogOrigin() const override { return log_.origin; }
  const trust::PublicKey& LogPublicKey() const override { return log_public_; }
  const std::string& LogVerifierKey() const override { return log_verifier_key_; }
  StatusOr<std::string> SignExportManifest(std::string_view manifest) override;
  size_t PageSize(const Request& request) const override;
  std::string PageToken(const Request& request) const override;
  std::mutex& RecordLock(std::string_view collection, std::string_view id) override {
    const size_t h = std::hash<std::string_view>{}(collection)*31 + std::hash<std::string_view>{}(id);
    return record_locks_[h % record_locks_.size()];
  }

 private:
  StatusOr<std::optional<Principal>> PrincipalFor(const storage::TokenRecord& record);
  // The registered, unrevoked key of `tenant` whose signature verifies.
  StatusOr<storage::KeyRecord> FindSigner(const std::string& tenant, const trust::DsseEnvelope& envelope);
  StatusOr<trust::PublicKey> ParsedKey(const storage::KeyRecord& record);
  // Idempotency-Key of signed commits: its syntax ("bad-idempotency-key"), and
  // the stored version a retry with the same key and statement answers.
  static Status CheckIdempotencyKey(std::string_view key);
  StatusOr<std::optional<SignedCommitResult>> ReplayByIdempotencyKey(const SignedCommitRequest& spec,
                                                                     const storage::ObjectRecord& object,
                                                                     const trust::Statement& statement,
                                                                     const trust::DsseEnvelope& envelope,
                                                                     const std::string& key);
  boost::json::object Receipt(uint64_t log_index, const std::string& leaf_hash);

  Router& router_;
  storage::Store& store_;
  const ServerOptions& options_;
  LogIdentity log_;
  trust::PublicKey log_public_;
  std::string log_verifier_key_;
  std::vector<ContentKind> kinds_;

  std::atomic<uint64_t> requests_total_{0};
  std::array<std::atomic<uint64_t>, 6> responses_by_class_{};  // 1xx..5xx
  std::atomic<uint64_t> commits_total_{0};

  AuditLog audit_;
  RateLimiter limiter_;         // per credential (anonymous: per address)
  RateLimiter tenant_limiter_;  // per tenant, all its credentials together

  // "tenant/keyid" -> parsed key. 4096 keys (a few hundred bytes each) cover
  // every signer of a busy node; an evicted key is only parsed again.
  static constexpr size_t kKeyCacheEntries = 4096;
  BoundedCache<trust::PublicKey> key_cache_{kKeyCacheEntries};

  // "tenant/sha256:hex" -> the content bytes of a committed version, as read
  // from the store and checked against that digest. Content is addressed by
  // its digest and versions are immutable, so an entry never goes stale; only
  // bytes that hashed right are ever inserted, so a blob damaged on disk is
  // refused on its first read and never served from here. Contents up to
  // 64 KiB, 512 of them: at most 32 MiB.
  static constexpr size_t kContentCacheEntries = 512;
  static constexpr size_t kContentCacheMaxBytes = 64 * 1024;
  BoundedCache<std::shared_ptr<const std::string>> content_cache_{kContentCacheEntries};

  // The latest checkpoint, signed on demand when the log has grown.
  std::mutex checkpoint_mu_;
  uint64_t checkpoint_size_ = UINT64_MAX;
  std::string checkpoint_note_;

  // RecordLock's stripes: 64 lets unrelated records change at once.
  std::array<std::mutex, 64> record_locks_;
};

}  // namespace dossier::server
