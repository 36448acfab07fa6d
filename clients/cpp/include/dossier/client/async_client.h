// dossier::client::AsyncClient: the asynchronous form of the SDK for
// integrators who run their own Boost.Asio io_context.
//
// It offers every call of Client (client.h), with the same names, arguments,
// results, errors and retries; read client.h for what each call does. This is
// the one implementation: Client runs an AsyncClient on a private io_context
// and waits for each completion.
//
// Completion tokens. Every call ends with an Asio completion token and
// completes with the signature void(StatusOr<T>), or void(Status) for a call
// that answers only success or failure:
//
//   client->GetTenant("acme", [](StatusOr<Tenant> t) { ... });            // callback
//   StatusOr<Tenant> t = co_await client->GetTenant("acme", asio::use_awaitable);
//   std::future<StatusOr<Tenant>> f = client->GetTenant("acme", asio::use_future);
//
// A callback without an associated executor runs on the client's strand (a
// thread running the executor's io_context); a handler with one (use_awaitable,
// asio::bind_executor) is dispatched to its executor. Each handler runs exactly
// once. Requests from several calls run concurrently, each on its own pooled
// keep-alive connection.
//
// Per-call options. Every call has a second form taking a CallOptions
// (call_options.h) before the token: a deadline or timeout for the whole call
// (retries and back-off included; reason "deadline-exceeded"), a retry limit,
// an Idempotency-Key for the calls that commit.
//
// Cancellation. A token with an associated cancellation slot
// (asio::bind_cancellation_slot, or an awaitable operation cancelled by its
// parent, e.g. asio::experimental::awaitable_operators) cancels the call: the
// request in flight stops, its connection is closed (never returned to the
// pool), no retry follows, and the handler completes once with reason
// "cancelled" (reasons::kCancelled, StatusCode::kCancelled). Every cancellation
// type (terminal, partial, total) is taken as terminal. The signal may be
// emitted from any thread (the client hands it to its strand), but not while
// the same signal is being bound to another call. A call that had
// already finished when the cancellation reached it completes with its
// result; a cancelled commit may or may not have been recorded (re-run it:
// commits are idempotent). Cancellation interrupts network I/O and back-off,
// not a Signer's SignAsync in progress (the call stops once it answers).
//
// Re-entrancy. Handlers and ProgressFns may call this AsyncClient again: the
// new call is started on the strand after the current step returns, so
// nothing deadlocks. A handler (or ProgressFn) must not block waiting for
// another call of the same AsyncClient to finish: that call needs the strand
// the handler is holding.
//
// Ownership: Create returns a shared_ptr; every pending operation holds a
// reference to the client's internals, so pending calls complete even if the
// caller drops the AsyncClient. The io_context must outlive the client and
// keep running until the handlers have run. Arguments are copied (or moved)
// into the operation: nothing is borrowed from the caller after the call
// returns (with a lazy token such as use_awaitable or deferred, the call
// starts when awaited, and the AsyncClient must still exist then).
//
// Paging: every paged list has a pager walking its page-level call one page
// per completion (ObjectPager, VersionPager, SubmissionPager, InboxPager,
// LedgerPager, ModificationPager, ReportPager, DriftAlertPager,
// ReviewTimelinePager, AuditEntryPager) and a ForEach... visiting every item
// (async_paging.h; the table in paging.h).
//
// JSON crosses this API as text (JsonText, types.h), as in Client.
//
// Thread-safety: all methods may be called from any thread.
//
// Compile time: each call is a thin template over one non-template Start
// function compiled into the library (boost::asio::any_completion_handler).
#pragma once

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "common/status.h"
#include "dossier/client/async_paging.h"
#include "dossier/client/call_options.h"
#include "dossier/client/options.h"
#include "dossier/client/signer.h"
#include "dossier/client/types.h"
#include "dossier/client/verify.h"
#include "trust/bundle.h"
#include "trust/keys.h"

namespace dossier::client {

class ClientCore;  // internal

// Plain callbacks (any callable taking the result works as a token too).
template <typename T>
using Callback = std::function<void(StatusOr<T>)>;
using StatusCallback = std::function<void(Status)>;

class AsyncClient {
 public:
  // As Client::Create; `executor` runs every exchange and callback.
  static StatusOr<std::shared_ptr<AsyncClient>> Create(boost::asio::any_io_executor executor,
                                                       ClientOptions options);
  ~AsyncClient();
  AsyncClient(const AsyncClient&) = delete;
  AsyncClient& operator=(const AsyncClient&) = delete;

  const ClientOptions& options() const;

  // ---- service
  template <typename Token>
  auto Ready(CallOptions call_options, Token&& token) {
    return Initiate<void(Status)>(std::forward<Token>(token), &AsyncClient::StartReady,
                                  std::move(call_options));
  }
  template <typename Token>
  auto Ready(Token&& token) {
    return Ready(CallOptions{}, std::forward<Token>(token));
  }

  // ---- tenants, tokens, keys
  template <typename Token>
  auto CreateTenant(NewTenant tenant, CallOptions call_options, Token&& token) {
    return Initiate<void(StatusOr<Tenant>)>(std::forward<Token>(token), &AsyncClient::StartCreateTenant,
                                            std::move(call_options), std::move(tenant));
  }
  template <typename Token>
  auto CreateTenant(NewTenant tenant, Token&& token) {
    return CreateTenant(std::move(tenant), CallOptions{}, std::forward<Token>(token));
  }
  template <typename Token>
  auto GetTenant(std::string tenant, CallOptions call_options, Token&& token) {
    return Initiate<void(StatusOr<Tenant>)>(std::forward<Token>(token), &AsyncClient::StartGetTenant,
                                            std::move(call_options), std::move(tenant));
  }
  template <typename Token>
  auto GetTenant(std::string tenant, Token&& token) {
    return GetTenant(std::move(tenant), CallOptions{}, std::forward<Token>(token));
  }
  template <typename Token>
  auto ListTenants(CallOptions call_options, Token&& token) {
    return Initiate<void(StatusOr<std::vector<Tenant>>)>(
        std::forward<Token>(token), &AsyncClient::StartListTenants, std::move(call_options));
  }
  template <typename Token>
  auto ListTenants(Token&& token) {
    return ListTenants(CallOptions{}, std::forward<Token>(token));
  }
  template <typename Token>
  auto CreateToken(std::string tenant, std::string role, std::string label, CallOptions call_options,
                   Token&& token) {
    return Initiate<void(StatusOr<TokenInfo>)>(std::forward<Token>(token), &AsyncClient::StartCreateToken,
                                               std::move(call_options), std::move(tenant), std::move(role),
                                               std::move(label));
  }
  template <typename Token>
  auto CreateToken(std::string tenant, std::string role, std::string label, Token&& token) {
    return CreateToken(std::move(tenant), std::move(role), std::move(label), CallOptions{},
                       std::forward<Token>(token));
  }
  template <typename Token>
  auto ListTokens(std::string tenant, CallOptions call_options, Token&& token) {
    return Initiate<void(StatusOr<std::vector<TokenInfo>>)>(std::forward<Token>(token),
                                                            &AsyncClient::StartListTokens,
                                                            std::move(call_options), std::move(tenant));
  }
  template <typename Token>
  auto ListTokens(std::string tenant, Token&& token) {
    return ListTokens(std::move(tenant), CallOptions{}, std::forward<Token>(token));
  }
  template <typename Token>
  auto RevokeToken(std::string tenant, std::string token_id, CallOptions call_options, Token&& token) {
    return Initiate<void(Status)>(std::forward<Token>(token), &AsyncClient::StartRevokeToken,
                                  std::move(call_options), std::move(tenant), std::move(token_id));
  }
  template <typename Token>
  auto RevokeToken(std::string tenant, std::string token_id, Token&& token) {
    return RevokeToken(std::move(tenant), std::move(token_id), CallOptions{}, std::forward<Token>(token));
  }
  template <typename Token>
  auto RegisterKey(std::string tenant, trust::PublicKey key, std::string label, CallOptions call_options,
                   Token&& token) {
    return Initiate<void(StatusOr<KeyInfo>)>(std::forward<Token>(token), &AsyncClient::StartRegisterKey,
                                             std::move(call_options), std::move(tenant), std::move(key),
                                             std::move(label));
  }
  template <typename Token>
  auto RegisterKey(std::string tenant, trust::PublicKey key, std::string label, Token&& token) {
    return RegisterKey(std::move(tenant), std::move(key), std::move(label), CallOptions{},
                       std::forward<Token>(token));
  }
  template <typename Token>
  auto ListKeys(std::string tenant, CallOptions call_options, Token&& token) {
    return Initiate<void(StatusOr<std::vector<KeyInfo>>)>(
        std::forward<Token>(token), &AsyncClient::StartListKeys, std::move(call_options), std::move(tenant));
  }
  template <typename Token>
  auto ListKeys(std::string tenant, Token&& token) {
    return ListKeys(std::move(tenant), CallOptions{}, std::forward<Token>(token));
  }
  template <typename Token>
  auto GetKey(std::string tenant, std::string key_id, CallOptions call_options, Token&& token) {
    return Initiate<void(StatusOr<KeyInfo>)>(std::forward<Token>(token), &AsyncClient::StartGetKey,
                                             std::move(call_options), std::move(tenant), std::move(key_id));
  }
  template <typename Token>
  auto GetKey(std::string tenant, std::string key_id, Token&& token) {
    return GetKey(std::move(tenant), std::move(key_id), CallOptions{}, std::forward<Token>(token));
  }
  // `revoked_at` empty: from now.
  template <typename Token>
  auto RevokeKey(std::string tenant, std::string key_id, std::string revoked_at, CallOptions call_options,
                 Token&& token) {
    return Initiate<void(StatusOr<KeyInfo>)>(std::forward<Token>(token), &AsyncClient::StartRevokeKey,
                                             std::move(call_options), std::move(tenant), std::move(key_id),
                                             std::move(revoked_at));
  }
  template <typename Token>
  auto RevokeKey(std::string tenant, std::string key_id, std::string revoked_at, Token&& token) {
    return RevokeKey(std::move(tenant), std::move(key_id), std::move(revoked_at), CallOptions{},
                     std::forward<Token>(token));
  }

  // ---- blobs. ProgressFn runs on the strand.
  template <typename Token>
  auto StatBlob(std::string tenant, std::string digest, CallOptions call_options, Token&& token) {
    return Initiate<void(StatusOr<std::optional<BlobInfo>>)>(
        std::forward<Token>(token), &AsyncClient::StartStatBlob, std::move(call_options), std::move(tenant),
        std::move(digest));
  }
  template <typename Token>
  auto StatBlob(std::string tenant, std::string digest, Token&& token) {
    return StatBlob(std::move(tenant), std::move(digest), CallOptions{}, std::forward<Token>(token));
  }
  template <typename Token>
  auto UploadFile(std::string tenant, std::filesystem::path path, ProgressFn progress,
                  CallOptions call_options, Token&& token) {
    return Initiate<void(StatusOr<BlobInfo>)>(std::forward<Token>(token), &AsyncClient::StartUploadFile,
                                              std::move(call_options), std::move(tenant), std::move(path),
                                              std::move(progress));
  }
  template <typename Token>
  auto UploadFile(std::string tenant, std::filesystem::path path, ProgressFn progress, Token&& token) {
    return UploadFile(std::move(tenant), std::move(path), std::move(progress), CallOptions{},
                      std::forward<Token>(token));
  }
  template <typename Token>
  auto UploadFileIfMissing(std::string tenant, std::filesystem::path path, ProgressFn progress,
                           CallOptions call_options, Token&& token) {
    return Initiate<void(StatusOr<BlobInfo>)>(std::forward<Token>(token),
                                              &AsyncClient::StartUploadFileIfMissing, std::move(call_options),
                                              std::move(tenant), std::move(path), std::move(progress));
  }
  template <typename Token>
  auto UploadFileIfMissing(std::string tenant, std::filesystem::path path, ProgressFn progress,
                           Token&& token) {
    return UploadFileIfMissing(std::move(tenant), std::move(path), std::move(progress), CallOptions{},
                               std::forward<Token>(token));
  }
  template <typename Token>
  auto UploadBytes(std::string tenant, std::string bytes, CallOptions call_options, Token&& token) {
    return Initiate<void(StatusOr<BlobInfo>)>(std::forward<Token>(token), &AsyncClient::StartUploadBytes,
                                              std::move(call_options), std::move(tenant), std::move(bytes));
  }
  template <typename Token>
  auto UploadBytes(std::string tenant, std::string bytes, Token&& token) {
    return UploadBytes(std::move(tenant), std::move(bytes), CallOptions{}, std::forward<Token>(token));
  }
  // Uploads what `producer` produces, sent chunked to POST …/blobs and hashed
  // while sent (client.h, Client::UploadFromProducer, says what it checks).
  template <typename Token>
  auto UploadFromProducer(std::string tenant, BodyProducer producer, ProgressFn progress,
                          CallOptions call_options, Token&& token) {
    return Initiate<void(StatusOr<BlobInfo>)>(std::forward<Token>(token),
                                              &AsyncClient::StartUploadFromProducer, std::move(call_options),
                                              std::move(tenant), std::move(producer), std::move(progress));
  }
  template <typename Token>
  auto UploadFromProducer(std::string tenant, BodyProducer producer, ProgressFn progress, Token&& token) {
    return UploadFromProducer(std::move(tenant), std::move(producer), std::move(progress), CallOptions{},
                              std::forward<Token>(token));
  }
  template <typename Token>
  auto DownloadToFile(std::string tenant, std::string digest, std::filesystem::path path, ProgressFn progress,
                      CallOptions call_options, Token&& token) {
    return Initiate<void(StatusOr<BlobInfo>)>(std::forward<Token>(token), &AsyncClient::StartDownloadToFile,
                                              std::move(call_options), std::move(tenant), std::move(digest),
                                              std::move(path), std::move(progress));
  }
  template <typename Token>
  auto DownloadToFile(std::string tenant, std::string digest, std::filesystem::path path, ProgressFn progress,
                      Token&& token) {
    return DownloadToFile(std::move(tenant), std::move(digest), std::move(path), std::move(progress),
                          CallOptions{}, std::forward<Token>(token));
  }
  template <typename Token>
  auto DownloadBytes(std::string tenant, std::string digest, CallOptions call_options, Token&& token) {
    return Initiate<void(StatusOr<std::string>)>(std::forward<Token>(token), &AsyncClient::StartDownloadBytes,
                                                 std::move(call_options), std::move(tenant),
                                                 std::move(digest));
  }
  template <typename Token>
  auto DownloadBytes(std::string tenant, std::string digest, Token&& token) {
    return DownloadBytes(std::move(tenant), std::move(digest), CallOptions{}, std::forward<Token>(token));
  }

  // ---- dossiers and change plans
  template <typename Token>
  auto CreateDossier(std::string tenant, std::string id, std::string title, CallOptions call_options,
                     Token&& token) {
    return Initiate<void(StatusOr<ObjectInfo>)>(std::forward<Token>(token), &AsyncClient::StartCreateDossier,
                                                std::move(call_options), std::move(tenant), std::move(id),
                                                std::move(title));
  }
  template <typename Token>
  auto CreateDossier(std::string tenant, std::string id, std::string title, Token&& token) {
    return CreateDossier(std::move(tenant), std::move(id), std::move(title), CallOptions{},
                         std::forward<Token>(token));
  }
  template <typename Token>
  auto CreateChangePlan(std::string tenant, std::string id, std::string dossier, std::string title,
                        CallOptions call_options, Token&& token) {
    return Initiate<void(StatusOr<ObjectInfo>)>(
        std::forward<Token>(token), &AsyncClient::StartCreateChangePlan, std::move(call_options),
        std::move(tenant), std::move(id), std::move(dossier), std::move(title));
  }
  template <typename Token>
  auto CreateChangePlan(std::string tenant, std::string id, std::string dossier, std::string title,
                        Token&& token) {
    return CreateChangePlan(std::move(tenant), std::move(id), std::move(dossier), std::move(title),
                            CallOptions{}, std::forward<Token>(token));
  }
  template <typename Token>
  auto GetObject(std::string tenant, ObjectKind kind, std::string id, CallOptions call_options,
                 Token&& token) {
    return Initiate<void(StatusOr<ObjectInfo>)>(std::forward<Token>(token), &AsyncClient::StartGetObject,
                                                std::move(call_options), std::move(tenant), std::move(kind),
                                                std::move(id));
  }
  template <typename Token>
  auto GetObject(std::string tenant, ObjectKind kind, std::string id, Token&& token) {
    return GetObject(std::move(tenant), std::move(kind), std::move(id), CallOptions{},
                     std::forward<Token>(token));
  }
  // `page_size` 0: the server's default.
  template <typename Token>
  auto ListObjects(std::string tenant, ObjectKind kind, std::string page_token, int page_size,
                   CallOptions call_options, Token&& token) {
    return Initiate<void(StatusOr<ObjectPage>)>(std::forward<Token>(token), &AsyncClient::StartListObjects,
                                                std::move(call_options), std::move(tenant), std::move(kind),
                                                std::move(page_token), std::move(page_size));
  }
  template <typename Token>
  auto ListObjects(std::string tenant, ObjectKind kind, std::string page_token, int page_size,
                   Token&& token) {
    return ListObjects(std::move(tenant), std::move(kind), std::move(page_token), std::move(page_size),
                       CallOptions{}, std::forward<Token>(token));
  }

  // ---- versions
  // As Client::Commit: uploads the content, signs with `signer`, commits.
  template <typename Token>
  auto Commit(CommitRequest request, SigningKey signer, CallOptions call_options, Token&& token) {
    return Initiate<void(StatusOr<CommitResult>)>(std::forward<Token>(token), &AsyncClient::StartCommit,
                                                  std::move(call_options), std::move(request),
                                                  std::move(signer));
  }
  template <typename Token>
  auto Commit(CommitRequest request, SigningKey signer, Token&& token) {
    return Commit(std::move(request), std::move(signer), CallOptions{}, std::forward<Token>(token));
  }
  template <typename Token>
  auto ListVersions(std::string tenant, ObjectKind kind, std::string id, std::string page_token,
                    CallOptions call_options, Token&& token) {
    return Initiate<void(StatusOr<VersionPage>)>(std::forward<Token>(token), &AsyncClient::StartListVersions,
                                                 std::move(call_options), std::move(tenant), std::move(kind),
                                                 std::move(id), std::move(page_token));
  }
  template <typename Token>
  auto ListVersions(std::string tenant, ObjectKind kind, std::string id, std::string page_token,
                    Token&& token) {
    return ListVersions(std::move(tenant), std::move(kind), std::move(id), std::move(page_token),
                        CallOptions{}, std::forward<Token>(token));
  }
  template <typename Token>
  auto ListVersions(std::string tenant, ObjectKind kind, std::string id, std::string page_token,
                    int page_size, CallOptions call_options, Token&& token) {
    return Initiate<void(StatusOr<VersionPage>)>(std::forward<Token>(token), &AsyncClient::StartListVersions2,
                                                 std::move(call_options), std::move(tenant), std::move(kind),
                                                 std::move(id), std::move(page_token), std::move(page_size));
  }
  template <typename Token>
  auto ListVersions(std::string tenant, ObjectKind kind, std::string id, std::string page_token,
                    int page_size, Token&& token) {
    return ListVersions(std::move(tenant), std::move(kind), std::move(id), std::move(page_token),
                        std::move(page_size), CallOptions{}, std::forward<Token>(token));
  }

  // ---- paging (async_paging.h): every page of ListObjects / ListVersions,
  // following the server's cursor; ForEachObject / ForEachVersion visit every
  // item and complete with void(Status). `call_options` apply to each page's
  // request. This AsyncClient must outlive the pager's pending calls.
  AsyncPager<ObjectInfo> ObjectPager(std::string tenant, ObjectKind kind, int page_size = 0,
                                     CallOptions call_options = {});
  AsyncPager<VersionInfo> VersionPager(std::string tenant, ObjectKind kind, std::string id, int page_size = 0,
                                       CallOptions call_options = {});
  template <typename Token>
  auto ForEachObject(std::string tenant, ObjectKind kind, std::function<bool(const ObjectInfo&)> visit,
                     Token&& token) {
    return ForEach(ObjectPager(std::move(tenant), kind), std::move(visit), std::forward<Token>(token));
  }
  template <typename Token>
  auto ForEachVersion(std::string tenant, ObjectKind kind, std::string id,
                      std::function<bool(const VersionInfo&)> visit, Token&& token) {
    return ForEach(VersionPager(std::move(tenant), kind, std::move(id)), std::move(visit),
                   std::forward<Token>(token));
  }
  template <typename Token>
  auto AllVersions(std::string tenant, ObjectKind kind, std::string id, CallOptions call_options,
                   Token&& token) {
    return Initiate<void(StatusOr<std::vector<VersionInfo>>)>(
        std::forward<Token>(token), &AsyncClient::StartAllVersions, std::move(call_options),
        std::move(tenant), std::move(kind), std::move(id));
  }
  template <typename Token>
  auto AllVersions(std::string tenant, ObjectKind kind, std::string id, Token&& token) {
    return AllVersions(std::move(tenant), std::move(kind), std::move(id), CallOptions{},
                       std::forward<Token>(token));
  }
  template <typename Token>
  auto GetVersion(std::string tenant, ObjectKind kind, std::string id, uint64_t version,
                  CallOptions call_options, Token&& token) {
    return Initiate<void(StatusOr<Version>)>(std::forward<Token>(token), &AsyncClient::StartGetVersion,
                                             std::move(call_options), std::move(tenant), std::move(kind),
                                             std::move(id), std::move(version));
  }
  template <typename Token>
  auto GetVersion(std::string tenant, ObjectKind kind, std::string id, uint64_t version, Token&& token) {
    return GetVersion(std::move(tenant), std::move(kind), std::move(id), std::move(version), CallOptions{},
                      std::forward<Token>(token));
  }
  template <typename Token>
  auto GetVersionContent(std::string tenant, ObjectKind kind, std::string id, uint64_t version,
                         CallOptions call_options, Token&& token) {
    return Initiate<void(StatusOr<std::string>)>(
        std::forward<Token>(token), &AsyncClient::StartGetVersionContent, std::move(call_options),
        std::move(tenant), std::move(kind), std::move(id), std::move(version));
  }
  template <typename Token>
  auto GetVersionContent(std::string tenant, ObjectKind kind, std::string id, uint64_t version,
                         Token&& token) {
    return GetVersionContent(std::move(tenant), std::move(kind), std::move(id), std::move(version),
                             CallOptions{}, std::forward<Token>(token));
  }
  template <typename Token>
  auto Diff(std::string tenant, std::string dossier, uint64_t from, uint64_t to, CallOptions call_options,
            Token&& token) {
    return Initiate<void(StatusOr<JsonText>)>(std::forward<Token>(token), &AsyncClient::StartDiff,
                                              std::move(call_options), std::move(tenant), std::move(dossier),
                                              std::move(from), std::move(to));
  }
  template <typename Token>
  auto Diff(std::string tenant, std::string dossier, uint64_t from, uint64_t to, Token&& token) {
    return Diff(std::move(tenant), std::move(dossier), std::move(from), std::move(to), CallOptions{},
                std::forward<Token>(token));
  }

  // ---- verification
  // The bundle parsed, and its JSON text as sent (Client::GetBundle's raw_json).
  template <typename Token>
  auto GetBundle(std::string tenant, ObjectKind kind, std::string id, uint64_t version,
                 CallOptions call_options, Token&& token) {
    return Initiate<void(StatusOr<FetchedBundle>)>(std::forward<Token>(token), &AsyncClient::StartGetBundle,
                                                   std::move(call_options), std::move(tenant),
                                                   std::move(kind), std::move(id), std::move(version));
  }
  template <typename Token>
  auto GetBundle(std::string tenant, ObjectKind kind, std::string id, uint64_t version, Token&& token) {
    return GetBundle(std::move(tenant), std::move(kind), std::move(id), std::move(version), CallOptions{},
                     std::forward<Token>(token));
  }
  template <typename Token>
  auto VerifyVersion(std::string tenant, ObjectKind kind, std::string id, uint64_t version,
                     CallOptions call_options, Token&& token) {
    return Initiate<void(StatusOr<trust::BundleVerification>)>(
        std::forward<Token>(token), &AsyncClient::StartVerifyVersion, std::move(call_options),
        std::move(tenant), std::move(kind), std::move(id), std::move(version));
  }
  template <typename Token>
  auto VerifyVersion(std::string tenant, ObjectKind kind, std::string id, uint64_t version, Token&& token) {
    return VerifyVersion(std::move(tenant), std::move(kind), std::move(id), std::move(version), CallOptions{},
                         std::forward<Token>(token));
  }
  template <typename Token>
  auto VerifyVersion(ExpectedIdentity expected, CallOptions call_options, Token&& token) {
    return Initiate<void(StatusOr<trust::BundleVerification>)>(std::forward<Token>(token),
                                                               &AsyncClient::StartVerifyVersion2,
                                                               std::move(call_options), std::move(expected));
  }
  template <typename Token>
  auto VerifyVersion(ExpectedIdentity expected, Token&& token) {
    return VerifyVersion(std::move(expected), CallOptions{}, std::forward<Token>(token));
  }

  // ---- transparency log
  template <typename Token>
  auto GetLogPublicKey(CallOptions call_options, Token&& token) {
    return Initiate<void(StatusOr<LogPublicKey>)>(
        std::forward<Token>(token), &AsyncClient::StartGetLogPublicKey, std::move(call_options));
  }
  template <typename Token>
  auto GetLogPublicKey(Token&& token) {
    return GetLogPublicKey(CallOptions{}, std::forward<Token>(token));
  }
  template <typename Token>
  auto GetCheckpoint(CallOptions call_options, Token&& token) {
    return Initiate<void(StatusOr<trust::Checkpoint>)>(
        std::forward<Token>(token), &AsyncClient::StartGetCheckpoint, std::move(call_options));
  }
  template <typename Token>
  auto GetCheckpoint(Token&& token) {
    return GetCheckpoint(CallOptions{}, std::forward<Token>(token));
  }
  template <typename Token>
  auto CheckAndRememberCheckpoint(trust::Checkpoint checkpoint, CallOptions call_options, Token&& token) {
    return Initiate<void(Status)>(std::forward<Token>(token), &AsyncClient::StartCheckAndRememberCheckpoint,
                                  std::move(call_options), std::move(checkpoint));
  }
  template <typename Token>
  auto CheckAndRememberCheckpoint(trust::Checkpoint checkpoint, Token&& token) {
    return CheckAndRememberCheckpoint(std::move(checkpoint), CallOptions{}, std::forward<Token>(token));
  }
  template <typename Token>
  auto GetInclusionProof(uint64_t leaf_index, uint64_t tree_size, CallOptions call_options, Token&& token) {
    return Initiate<void(StatusOr<std::vector<std::string>>)>(
        std::forward<Token>(token), &AsyncClient::StartGetInclusionProof, std::move(call_options),
        std::move(leaf_index), std::move(tree_size));
  }
  template <typename Token>
  auto GetInclusionProof(uint64_t leaf_index, uint64_t tree_size, Token&& token) {
    return GetInclusionProof(std::move(leaf_index), std::move(tree_size), CallOptions{},
                             std::forward<Token>(token));
  }
  template <typename Token>
  auto GetConsistencyProof(uint64_t from_size, uint64_t to_size, CallOptions call_options, Token&& token) {
    return Initiate<void(StatusOr<std::vector<std::string>>)>(
        std::forward<Token>(token), &AsyncClient::StartGetConsistencyProof, std::move(call_options),
        std::move(from_size), std::move(to_size));
  }
  template <typename Token>
  auto GetConsistencyProof(uint64_t from_size, uint64_t to_size, Token&& token) {
    return GetConsistencyProof(std::move(from_size), std::move(to_size), CallOptions{},
                               std::forward<Token>(token));
  }

  // ---- regional views
  template <typename Token>
  auto Export(std::string tenant, std::string dossier, uint64_t version, std::string format,
              std::filesystem::path path, ProgressFn progress, CallOptions call_options, Token&& token) {
    return Initiate<void(Status)>(
        std::forward<Token>(token), &AsyncClient::StartExport, std::move(call_options), std::move(tenant),
        std::move(dossier), std::move(version), std::move(format), std::move(path), std::move(progress));
  }
  template <typename Token>
  auto Export(std::string tenant, std::string dossier, uint64_t version, std::string format,
              std::filesystem::path path, ProgressFn progress, Token&& token) {
    return Export(std::move(tenant), std::move(dossier), std::move(version), std::move(format),
                  std::move(path), std::move(progress), CallOptions{}, std::forward<Token>(token));
  }
  template <typename Token>
  auto Import(std::string tenant, std::string format, std::filesystem::path path, ProgressFn progress,
              CallOptions call_options, Token&& token) {
    return Initiate<void(StatusOr<RawResponse>)>(std::forward<Token>(token), &AsyncClient::StartImport,
                                                 std::move(call_options), std::move(tenant),
                                                 std::move(format), std::move(path), std::move(progress));
  }
  template <typename Token>
  auto Import(std::string tenant, std::string format, std::filesystem::path path, ProgressFn progress,
              Token&& token) {
    return Import(std::move(tenant), std::move(format), std::move(path), std::move(progress), CallOptions{},
                  std::forward<Token>(token));
  }
  // As Client::ImportRecords: `on_record` runs on the strand, like a ProgressFn.
  template <typename Token>
  auto ImportRecords(std::string tenant, std::string format, std::filesystem::path path, RecordFn on_record,
                     ProgressFn progress, CallOptions call_options, Token&& token) {
    return Initiate<void(Status)>(std::forward<Token>(token), &AsyncClient::StartImportRecords,
                                  std::move(call_options), std::move(tenant), std::move(format),
                                  std::move(path), std::move(on_record), std::move(progress));
  }
  template <typename Token>
  auto ImportRecords(std::string tenant, std::string format, std::filesystem::path path, RecordFn on_record,
                     ProgressFn progress, Token&& token) {
    return ImportRecords(std::move(tenant), std::move(format), std::move(path), std::move(on_record),
                         std::move(progress), CallOptions{}, std::forward<Token>(token));
  }
  template <typename Token>
  auto Readiness(std::string tenant, std::string dossier, uint64_t version, std::string agency,
                 std::string pathway, CallOptions call_options, Token&& token) {
    return Initiate<void(StatusOr<JsonText>)>(std::forward<Token>(token), &AsyncClient::StartReadiness,
                                              std::move(call_options), std::move(tenant), std::move(dossier),
                                              std::move(version), std::move(agency), std::move(pathway));
  }
  template <typename Token>
  auto Readiness(std::string tenant, std::string dossier, uint64_t version, std::string agency,
                 std::string pathway, Token&& token) {
    return Readiness(std::move(tenant), std::move(dossier), std::move(version), std::move(agency),
                     std::move(pathway), CallOptions{}, std::forward<Token>(token));
  }

  // ---- submissions and decisions
  template <typename Token>
  auto Submit(std::string tenant, NewSubmission submission, CallOptions call_options, Token&& token) {
    return Initiate<void(StatusOr<Submission>)>(std::forward<Token>(token), &AsyncClient::StartSubmit,
                                                std::move(call_options), std::move(tenant),
                                                std::move(submission));
  }
  template <typename Token>
  auto Submit(std::string tenant, NewSubmission submission, Token&& token) {
    return Submit(std::move(tenant), std::move(submission), CallOptions{}, std::forward<Token>(token));
  }
  template <typename Token>
  auto Inbox(std::string tenant, CallOptions call_options, Token&& token) {
    return Initiate<void(StatusOr<std::vector<Submission>>)>(
        std::forward<Token>(token), &AsyncClient::StartInbox, std::move(call_options), std::move(tenant));
  }
  template <typename Token>
  auto Inbox(std::string tenant, Token&& token) {
    return Inbox(std::move(tenant), CallOptions{}, std::forward<Token>(token));
  }
  template <typename Token>
  auto GetSubmission(std::string tenant, std::string submission, CallOptions call_options, Token&& token) {
    return Initiate<void(StatusOr<Submission>)>(std::forward<Token>(token), &AsyncClient::StartGetSubmission,
                                                std::move(call_options), std::move(tenant),
                                                std::move(submission));
  }
  template <typename Token>
  auto GetSubmission(std::string tenant, std::string submission, Token&& token) {
    return GetSubmission(std::move(tenant), std::move(submission), CallOptions{}, std::forward<Token>(token));
  }
  template <typename Token>
  auto CommitDecision(std::string tenant, Decision decision, SigningKey signer, CallOptions call_options,
                      Token&& token) {
    return Initiate<void(StatusOr<CommitResult>)>(std::forward<Token>(token),
                                                  &AsyncClient::StartCommitDecision, std::move(call_options),
                                                  std::move(tenant), std::move(decision), std::move(signer));
  }
  template <typename Token>
  auto CommitDecision(std::string tenant, Decision decision, SigningKey signer, Token&& token) {
    return CommitDecision(std::move(tenant), std::move(decision), std::move(signer), CallOptions{},
                          std::forward<Token>(token));
  }
  template <typename Token>
  auto ListDecisions(std::string tenant, std::string submission, CallOptions call_options, Token&& token) {
    return Initiate<void(StatusOr<std::vector<VersionInfo>>)>(
        std::forward<Token>(token), &AsyncClient::StartListDecisions, std::move(call_options),
        std::move(tenant), std::move(submission));
  }
  template <typename Token>
  auto ListDecisions(std::string tenant, std::string submission, Token&& token) {
    return ListDecisions(std::move(tenant), std::move(submission), CallOptions{}, std::forward<Token>(token));
  }

  // ---- reliance between regulators
  template <typename Token>
  auto CreateRelianceAgreement(std::string tenant, NewRelianceAgreement agreement, CallOptions call_options,
                               Token&& token) {
    return Initiate<void(StatusOr<JsonText>)>(
        std::forward<Token>(token), &AsyncClient::StartCreateRelianceAgreement, std::move(call_options),
        std::move(tenant), std::move(agreement));
  }
  template <typename Token>
  auto CreateRelianceAgreement(std::string tenant, NewRelianceAgreement agreement, Token&& token) {
    return CreateRelianceAgreement(std::move(tenant), std::move(agreement), CallOptions{},
                                   std::forward<Token>(token));
  }
  template <typename Token>
  auto AddPeer(std::string tenant, NewPeer peer, CallOptions call_options, Token&& token) {
    return Initiate<void(StatusOr<Peer>)>(std::forward<Token>(token), &AsyncClient::StartAddPeer,
                                          std::move(call_options), std::move(tenant), std::move(peer));
  }
  template <typename Token>
  auto AddPeer(std::string tenant, NewPeer peer, Token&& token) {
    return AddPeer(std::move(tenant), std::move(peer), CallOptions{}, std::forward<Token>(token));
  }
  template <typename Token>
  auto GetPeer(std::string tenant, std::string peer_id, CallOptions call_options, Token&& token) {
    return Initiate<void(StatusOr<Peer>)>(std::forward<Token>(token), &AsyncClient::StartGetPeer,
                                          std::move(call_options), std::move(tenant), std::move(peer_id));
  }
  template <typename Token>
  auto GetPeer(std::string tenant, std::string peer_id, Token&& token) {
    return GetPeer(std::move(tenant), std::move(peer_id), CallOptions{}, std::forward<Token>(token));
  }
  template <typename Token>
  auto ListPeers(std::string tenant, CallOptions call_options, Token&& token) {
    return Initiate<void(StatusOr<std::vector<Peer>>)>(
        std::forward<Token>(token), &AsyncClient::StartListPeers, std::move(call_options), std::move(tenant));
  }
  template <typename Token>
  auto ListPeers(std::string tenant, Token&& token) {
    return ListPeers(std::move(tenant), CallOptions{}, std::forward<Token>(token));
  }
  template <typename Token>
  auto Reliance(std::string tenant, std::string submission, CallOptions call_options, Token&& token) {
    return Initiate<void(StatusOr<std::vector<ForeignDecision>>)>(
        std::forward<Token>(token), &AsyncClient::StartReliance, std::move(call_options), std::move(tenant),
        std::move(submission));
  }
  template <typename Token>
  auto Reliance(std::string tenant, std::string submission, Token&& token) {
    return Reliance(std::move(tenant), std::move(submission), CallOptions{}, std::forward<Token>(token));
  }

  // ---- the whole workflow without curl (issue 15)
  template <typename Token>
  auto RecordModification(std::string tenant, std::string plan, std::string record_json,
                          CallOptions call_options, Token&& token) {
    return Initiate<void(StatusOr<JsonText>)>(std::forward<Token>(token),
                                              &AsyncClient::StartRecordModification, std::move(call_options),
                                              std::move(tenant), std::move(plan), std::move(record_json));
  }
  template <typename Token>
  auto RecordModification(std::string tenant, std::string plan, std::string record_json, Token&& token) {
    return RecordModification(std::move(tenant), std::move(plan), std::move(record_json), CallOptions{},
                              std::forward<Token>(token));
  }
  template <typename Token>
  auto ListModifications(std::string tenant, std::string plan, CallOptions call_options, Token&& token) {
    return Initiate<void(StatusOr<std::vector<JsonText>>)>(
        std::forward<Token>(token), &AsyncClient::StartListModifications, std::move(call_options),
        std::move(tenant), std::move(plan));
  }
  template <typename Token>
  auto ListModifications(std::string tenant, std::string plan, Token&& token) {
    return ListModifications(std::move(tenant), std::move(plan), CallOptions{}, std::forward<Token>(token));
  }
  template <typename Token>
  auto ListSubmissions(std::string tenant, CallOptions call_options, Token&& token) {
    return Initiate<void(StatusOr<std::vector<Submission>>)>(std::forward<Token>(token),
                                                             &AsyncClient::StartListSubmissions,
                                                             std::move(call_options), std::move(tenant));
  }
  template <typename Token>
  auto ListSubmissions(std::string tenant, Token&& token) {
    return ListSubmissions(std::move(tenant), CallOptions{}, std::forward<Token>(token));
  }
  template <typename Token>
  auto WithdrawSubmission(std::string tenant, std::string submission, CallOptions call_options,
                          Token&& token) {
    return Initiate<void(StatusOr<Submission>)>(
        std::forward<Token>(token), &AsyncClient::StartWithdrawSubmission, std::move(call_options),
        std::move(tenant), std::move(submission));
  }
  template <typename Token>
  auto WithdrawSubmission(std::string tenant, std::string submission, Token&& token) {
    return WithdrawSubmission(std::move(tenant), std::move(submission), CallOptions{},
                              std::forward<Token>(token));
  }
  template <typename Token>
  auto AttachChangePlan(std::string tenant, std::string submission, std::string plan, uint64_t plan_version,
                        CallOptions call_options, Token&& token) {
    return Initiate<void(StatusOr<Submission>)>(
        std::forward<Token>(token), &AsyncClient::StartAttachChangePlan, std::move(call_options),
        std::move(tenant), std::move(submission), std::move(plan), std::move(plan_version));
  }
  template <typename Token>
  auto AttachChangePlan(std::string tenant, std::string submission, std::string plan, uint64_t plan_version,
                        Token&& token) {
    return AttachChangePlan(std::move(tenant), std::move(submission), std::move(plan),
                            std::move(plan_version), CallOptions{}, std::forward<Token>(token));
  }
  template <typename Token>
  auto StartReview(std::string tenant, std::string submission, CallOptions call_options, Token&& token) {
    return Initiate<void(StatusOr<Submission>)>(std::forward<Token>(token), &AsyncClient::StartStartReview,
                                                std::move(call_options), std::move(tenant),
                                                std::move(submission));
  }
  template <typename Token>
  auto StartReview(std::string tenant, std::string submission, Token&& token) {
    return StartReview(std::move(tenant), std::move(submission), CallOptions{}, std::forward<Token>(token));
  }
  template <typename Token>
  auto SubmissionReadiness(std::string tenant, std::string submission, std::string agency,
                           std::string pathway, CallOptions call_options, Token&& token) {
    return Initiate<void(StatusOr<JsonText>)>(
        std::forward<Token>(token), &AsyncClient::StartSubmissionReadiness, std::move(call_options),
        std::move(tenant), std::move(submission), std::move(agency), std::move(pathway));
  }
  template <typename Token>
  auto SubmissionReadiness(std::string tenant, std::string submission, std::string agency,
                           std::string pathway, Token&& token) {
    return SubmissionReadiness(std::move(tenant), std::move(submission), std::move(agency),
                               std::move(pathway), CallOptions{}, std::forward<Token>(token));
  }
  template <typename Token>
  auto ExportSubmission(std::string tenant, std::string submission, std::string format,
                        std::filesystem::path path, ProgressFn progress, CallOptions call_options,
                        Token&& token) {
    return Initiate<void(Status)>(std::forward<Token>(token), &AsyncClient::StartExportSubmission,
                                  std::move(call_options), std::move(tenant), std::move(submission),
                                  std::move(format), std::move(path), std::move(progress));
  }
  template <typename Token>
  auto ExportSubmission(std::string tenant, std::string submission, std::string format,
                        std::filesystem::path path, ProgressFn progress, Token&& token) {
    return ExportSubmission(std::move(tenant), std::move(submission), std::move(format), std::move(path),
                            std::move(progress), CallOptions{}, std::forward<Token>(token));
  }
  template <typename Token>
  auto GetSubmissionContent(std::string tenant, std::string submission, CallOptions call_options,
                            Token&& token) {
    return Initiate<void(StatusOr<std::string>)>(
        std::forward<Token>(token), &AsyncClient::StartGetSubmissionContent, std::move(call_options),
        std::move(tenant), std::move(submission));
  }
  template <typename Token>
  auto GetSubmissionContent(std::string tenant, std::string submission, Token&& token) {
    return GetSubmissionContent(std::move(tenant), std::move(submission), CallOptions{},
                                std::forward<Token>(token));
  }
  template <typename Token>
  auto DownloadSubmissionDocument(std::string tenant, std::string submission, std::string digest,
                                  std::filesystem::path path, ProgressFn progress, CallOptions call_options,
                                  Token&& token) {
    return Initiate<void(StatusOr<BlobInfo>)>(
        std::forward<Token>(token), &AsyncClient::StartDownloadSubmissionDocument, std::move(call_options),
        std::move(tenant), std::move(submission), std::move(digest), std::move(path), std::move(progress));
  }
  template <typename Token>
  auto DownloadSubmissionDocument(std::string tenant, std::string submission, std::string digest,
                                  std::filesystem::path path, ProgressFn progress, Token&& token) {
    return DownloadSubmissionDocument(std::move(tenant), std::move(submission), std::move(digest),
                                      std::move(path), std::move(progress), CallOptions{},
                                      std::forward<Token>(token));
  }
  template <typename Token>
  auto CommitDecisionContent(std::string tenant, std::string submission, std::string content,
                             SigningKey signer, CallOptions call_options, Token&& token) {
    return Initiate<void(StatusOr<CommitResult>)>(
        std::forward<Token>(token), &AsyncClient::StartCommitDecisionContent, std::move(call_options),
        std::move(tenant), std::move(submission), std::move(content), std::move(signer));
  }
  template <typename Token>
  auto CommitDecisionContent(std::string tenant, std::string submission, std::string content,
                             SigningKey signer, Token&& token) {
    return CommitDecisionContent(std::move(tenant), std::move(submission), std::move(content),
                                 std::move(signer), CallOptions{}, std::forward<Token>(token));
  }
  template <typename Token>
  auto GetDecisionBundle(std::string tenant, std::string submission, uint64_t version,
                         CallOptions call_options, Token&& token) {
    return Initiate<void(StatusOr<DecisionBundle>)>(
        std::forward<Token>(token), &AsyncClient::StartGetDecisionBundle, std::move(call_options),
        std::move(tenant), std::move(submission), std::move(version));
  }
  template <typename Token>
  auto GetDecisionBundle(std::string tenant, std::string submission, uint64_t version, Token&& token) {
    return GetDecisionBundle(std::move(tenant), std::move(submission), std::move(version), CallOptions{},
                             std::forward<Token>(token));
  }
  template <typename Token>
  auto ListRelianceAgreements(std::string tenant, CallOptions call_options, Token&& token) {
    return Initiate<void(StatusOr<std::vector<JsonText>>)>(std::forward<Token>(token),
                                                           &AsyncClient::StartListRelianceAgreements,
                                                           std::move(call_options), std::move(tenant));
  }
  template <typename Token>
  auto ListRelianceAgreements(std::string tenant, Token&& token) {
    return ListRelianceAgreements(std::move(tenant), CallOptions{}, std::forward<Token>(token));
  }
  template <typename Token>
  auto RevokeRelianceAgreement(std::string tenant, std::string peer, CallOptions call_options,
                               Token&& token) {
    return Initiate<void(StatusOr<JsonText>)>(std::forward<Token>(token),
                                              &AsyncClient::StartRevokeRelianceAgreement,
                                              std::move(call_options), std::move(tenant), std::move(peer));
  }
  template <typename Token>
  auto RevokeRelianceAgreement(std::string tenant, std::string peer, Token&& token) {
    return RevokeRelianceAgreement(std::move(tenant), std::move(peer), CallOptions{},
                                   std::forward<Token>(token));
  }
  // ---- after submission: redlines, export profiles, performance (as Client's)
  template <typename Token>
  auto RedlineDocument(std::string tenant, std::string dossier, uint64_t from, uint64_t to,
                       std::string format, std::filesystem::path path, CallOptions call_options,
                       Token&& token) {
    return Initiate<void(Status)>(std::forward<Token>(token), &AsyncClient::StartRedlineDocument,
                                  std::move(call_options), std::move(tenant), std::move(dossier),
                                  std::move(from), std::move(to), std::move(format), std::move(path));
  }
  template <typename Token>
  auto RedlineDocument(std::string tenant, std::string dossier, uint64_t from, uint64_t to,
                       std::string format, std::filesystem::path path, Token&& token) {
    return RedlineDocument(std::move(tenant), std::move(dossier), std::move(from), std::move(to),
                           std::move(format), std::move(path), CallOptions{}, std::forward<Token>(token));
  }
  template <typename Token>
  auto ResponsePackage(std::string tenant, std::string dossier, uint64_t from, uint64_t to,
                       std::filesystem::path reply_letter, std::filesystem::path path,
                       CallOptions call_options, Token&& token) {
    return Initiate<void(Status)>(std::forward<Token>(token), &AsyncClient::StartResponsePackage,
                                  std::move(call_options), std::move(tenant), std::move(dossier),
                                  std::move(from), std::move(to), std::move(reply_letter), std::move(path));
  }
  template <typename Token>
  auto ResponsePackage(std::string tenant, std::string dossier, uint64_t from, uint64_t to,
                       std::filesystem::path reply_letter, std::filesystem::path path, Token&& token) {
    return ResponsePackage(std::move(tenant), std::move(dossier), std::move(from), std::move(to),
                           std::move(reply_letter), std::move(path), CallOptions{},
                           std::forward<Token>(token));
  }
  template <typename Token>
  auto ExportProfiles(CallOptions call_options, Token&& token) {
    return Initiate<void(StatusOr<JsonText>)>(std::forward<Token>(token), &AsyncClient::StartExportProfiles,
                                              std::move(call_options));
  }
  template <typename Token>
  auto ExportProfiles(Token&& token) {
    return ExportProfiles(CallOptions{}, std::forward<Token>(token));
  }
  template <typename Token>
  auto ExportSubmissionWithProfile(std::string tenant, std::string submission, std::string format,
                                   std::string profile, std::filesystem::path path, CallOptions call_options,
                                   Token&& token) {
    return Initiate<void(Status)>(std::forward<Token>(token), &AsyncClient::StartExportSubmissionWithProfile,
                                  std::move(call_options), std::move(tenant), std::move(submission),
                                  std::move(format), std::move(profile), std::move(path));
  }
  template <typename Token>
  auto ExportSubmissionWithProfile(std::string tenant, std::string submission, std::string format,
                                   std::string profile, std::filesystem::path path, Token&& token) {
    return ExportSubmissionWithProfile(std::move(tenant), std::move(submission), std::move(format),
                                       std::move(profile), std::move(path), CallOptions{},
                                       std::forward<Token>(token));
  }
  template <typename Token>
  auto PostPerformanceReport(std::string tenant, std::string plan, std::string report_json, SigningKey signer,
                             CallOptions call_options, Token&& token) {
    return Initiate<void(StatusOr<JsonText>)>(
        std::forward<Token>(token), &AsyncClient::StartPostPerformanceReport, std::move(call_options),
        std::move(tenant), std::move(plan), std::move(report_json), std::move(signer));
  }
  template <typename Token>
  auto PostPerformanceReport(std::string tenant, std::string plan, std::string report_json, SigningKey signer,
                             Token&& token) {
    return PostPerformanceReport(std::move(tenant), std::move(plan), std::move(report_json),
                                 std::move(signer), CallOptions{}, std::forward<Token>(token));
  }
  template <typename Token>
  auto PerformanceReports(std::string tenant, std::string plan, CallOptions call_options, Token&& token) {
    return Initiate<void(StatusOr<JsonText>)>(std::forward<Token>(token),
                                              &AsyncClient::StartPerformanceReports, std::move(call_options),
                                              std::move(tenant), std::move(plan));
  }
  template <typename Token>
  auto PerformanceReports(std::string tenant, std::string plan, Token&& token) {
    return PerformanceReports(std::move(tenant), std::move(plan), CallOptions{}, std::forward<Token>(token));
  }
  template <typename Token>
  auto Alerts(std::string tenant, CallOptions call_options, Token&& token) {
    return Initiate<void(StatusOr<JsonText>)>(std::forward<Token>(token), &AsyncClient::StartAlerts,
                                              std::move(call_options), std::move(tenant));
  }
  template <typename Token>
  auto Alerts(std::string tenant, Token&& token) {
    return Alerts(std::move(tenant), CallOptions{}, std::forward<Token>(token));
  }

  // ---- correspondence ledger, review clocks, section comments (as Client's)
  template <typename Token>
  auto RecordLedgerEvent(std::string tenant, JsonText event, SigningKey signer, CallOptions call_options,
                         Token&& token) {
    return Initiate<void(StatusOr<CommitResult>)>(
        std::forward<Token>(token), &AsyncClient::StartRecordLedgerEvent, std::move(call_options),
        std::move(tenant), std::move(event), std::move(signer));
  }
  template <typename Token>
  auto RecordLedgerEvent(std::string tenant, JsonText event, SigningKey signer, Token&& token) {
    return RecordLedgerEvent(std::move(tenant), std::move(event), std::move(signer), CallOptions{},
                             std::forward<Token>(token));
  }
  template <typename Token>
  auto GetLedger(std::string tenant, std::string submission, std::string as_of, CallOptions call_options,
                 Token&& token) {
    return Initiate<void(StatusOr<JsonText>)>(std::forward<Token>(token), &AsyncClient::StartGetLedger,
                                              std::move(call_options), std::move(tenant),
                                              std::move(submission), std::move(as_of));
  }
  template <typename Token>
  auto GetLedger(std::string tenant, std::string submission, std::string as_of, Token&& token) {
    return GetLedger(std::move(tenant), std::move(submission), std::move(as_of), CallOptions{},
                     std::forward<Token>(token));
  }
  template <typename Token>
  auto GetClock(std::string tenant, std::string submission, std::string as_of, CallOptions call_options,
                Token&& token) {
    return Initiate<void(StatusOr<JsonText>)>(std::forward<Token>(token), &AsyncClient::StartGetClock,
                                              std::move(call_options), std::move(tenant),
                                              std::move(submission), std::move(as_of));
  }
  template <typename Token>
  auto GetClock(std::string tenant, std::string submission, std::string as_of, Token&& token) {
    return GetClock(std::move(tenant), std::move(submission), std::move(as_of), CallOptions{},
                    std::forward<Token>(token));
  }
  template <typename Token>
  auto TenantLedger(std::string tenant, std::string dossier, std::string as_of, CallOptions call_options,
                    Token&& token) {
    return Initiate<void(StatusOr<JsonText>)>(std::forward<Token>(token), &AsyncClient::StartTenantLedger,
                                              std::move(call_options), std::move(tenant), std::move(dossier),
                                              std::move(as_of));
  }
  template <typename Token>
  auto TenantLedger(std::string tenant, std::string dossier, std::string as_of, Token&& token) {
    return TenantLedger(std::move(tenant), std::move(dossier), std::move(as_of), CallOptions{},
                        std::forward<Token>(token));
  }
  template <typename Token>
  auto ListComments(std::string tenant, std::string submission, CallOptions call_options, Token&& token) {
    return Initiate<void(StatusOr<JsonText>)>(std::forward<Token>(token), &AsyncClient::StartListComments,
                                              std::move(call_options), std::move(tenant),
                                              std::move(submission));
  }
  template <typename Token>
  auto ListComments(std::string tenant, std::string submission, Token&& token) {
    return ListComments(std::move(tenant), std::move(submission), CallOptions{}, std::forward<Token>(token));
  }
  template <typename Token>
  auto OpenCommentThread(std::string tenant, std::string submission, NewCommentThread thread,
                         CallOptions call_options, Token&& token) {
    return Initiate<void(StatusOr<JsonText>)>(std::forward<Token>(token),
                                              &AsyncClient::StartOpenCommentThread, std::move(call_options),
                                              std::move(tenant), std::move(submission), std::move(thread));
  }
  template <typename Token>
  auto OpenCommentThread(std::string tenant, std::string submission, NewCommentThread thread, Token&& token) {
    return OpenCommentThread(std::move(tenant), std::move(submission), std::move(thread), CallOptions{},
                             std::forward<Token>(token));
  }
  template <typename Token>
  auto ReplyToComment(std::string tenant, std::string submission, std::string thread, std::string text,
                      CallOptions call_options, Token&& token) {
    return Initiate<void(StatusOr<JsonText>)>(std::forward<Token>(token), &AsyncClient::StartReplyToComment,
                                              std::move(call_options), std::move(tenant),
                                              std::move(submission), std::move(thread), std::move(text));
  }
  template <typename Token>
  auto ReplyToComment(std::string tenant, std::string submission, std::string thread, std::string text,
                      Token&& token) {
    return ReplyToComment(std::move(tenant), std::move(submission), std::move(thread), std::move(text),
                          CallOptions{}, std::forward<Token>(token));
  }
  template <typename Token>
  auto SetCommentResolved(std::string tenant, std::string submission, std::string thread, bool resolved,
                          CallOptions call_options, Token&& token) {
    return Initiate<void(StatusOr<JsonText>)>(
        std::forward<Token>(token), &AsyncClient::StartSetCommentResolved, std::move(call_options),
        std::move(tenant), std::move(submission), std::move(thread), std::move(resolved));
  }
  template <typename Token>
  auto SetCommentResolved(std::string tenant, std::string submission, std::string thread, bool resolved,
                          Token&& token) {
    return SetCommentResolved(std::move(tenant), std::move(submission), std::move(thread),
                              std::move(resolved), CallOptions{}, std::forward<Token>(token));
  }
  template <typename Token>
  auto DraftAiRequest(std::string tenant, std::string submission, std::string occurred_on, std::string due_on,
                      CallOptions call_options, Token&& token) {
    return Initiate<void(StatusOr<JsonText>)>(
        std::forward<Token>(token), &AsyncClient::StartDraftAiRequest, std::move(call_options),
        std::move(tenant), std::move(submission), std::move(occurred_on), std::move(due_on));
  }
  template <typename Token>
  auto DraftAiRequest(std::string tenant, std::string submission, std::string occurred_on, std::string due_on,
                      Token&& token) {
    return DraftAiRequest(std::move(tenant), std::move(submission), std::move(occurred_on), std::move(due_on),
                          CallOptions{}, std::forward<Token>(token));
  }
  template <typename Token>
  auto SetReviewTimeline(std::string tenant, JsonText timeline, CallOptions call_options, Token&& token) {
    return Initiate<void(StatusOr<JsonText>)>(std::forward<Token>(token),
                                              &AsyncClient::StartSetReviewTimeline, std::move(call_options),
                                              std::move(tenant), std::move(timeline));
  }
  template <typename Token>
  auto SetReviewTimeline(std::string tenant, JsonText timeline, Token&& token) {
    return SetReviewTimeline(std::move(tenant), std::move(timeline), CallOptions{},
                             std::forward<Token>(token));
  }

  // ---- review timelines, audit log (whole lists, as Client's)
  template <typename Token>
  auto ListReviewTimelines(std::string tenant, CallOptions call_options, Token&& token) {
    return Initiate<void(StatusOr<std::vector<JsonText>>)>(std::forward<Token>(token),
                                                           &AsyncClient::StartListReviewTimelines,
                                                           std::move(call_options), std::move(tenant));
  }
  template <typename Token>
  auto ListReviewTimelines(std::string tenant, Token&& token) {
    return ListReviewTimelines(std::move(tenant), CallOptions{}, std::forward<Token>(token));
  }
  template <typename Token>
  auto AuditLog(std::string tenant, CallOptions call_options, Token&& token) {
    return Initiate<void(StatusOr<std::vector<JsonText>>)>(
        std::forward<Token>(token), &AsyncClient::StartAuditLog, std::move(call_options), std::move(tenant));
  }
  template <typename Token>
  auto AuditLog(std::string tenant, Token&& token) {
    return AuditLog(std::move(tenant), CallOptions{}, std::forward<Token>(token));
  }

  // ---- the other paged lists (client.h "Paged lists"): the page-level calls,
  // a pager for each (async_paging.h; `call_options` apply to each page's
  // request) and ForEach... visiting every item. This AsyncClient must outlive
  // a pager's pending calls.
  template <typename Token>
  auto ListSubmissionsPage(std::string tenant, std::string page_token, int page_size,
                           CallOptions call_options, Token&& token) {
    return Initiate<void(StatusOr<SubmissionPage>)>(
        std::forward<Token>(token), &AsyncClient::StartListSubmissionsPage, std::move(call_options),
        std::move(tenant), std::move(page_token), std::move(page_size));
  }
  template <typename Token>
  auto ListSubmissionsPage(std::string tenant, std::string page_token, int page_size, Token&& token) {
    return ListSubmissionsPage(std::move(tenant), std::move(page_token), std::move(page_size), CallOptions{},
                               std::forward<Token>(token));
  }
  template <typename Token>
  auto InboxPage(std::string tenant, std::string page_token, int page_size, CallOptions call_options,
                 Token&& token) {
    return Initiate<void(StatusOr<SubmissionPage>)>(std::forward<Token>(token), &AsyncClient::StartInboxPage,
                                                    std::move(call_options), std::move(tenant),
                                                    std::move(page_token), std::move(page_size));
  }
  template <typename Token>
  auto InboxPage(std::string tenant, std::string page_token, int page_size, Token&& token) {
    return InboxPage(std::move(tenant), std::move(page_token), std::move(page_size), CallOptions{},
                     std::forward<Token>(token));
  }
  template <typename Token>
  auto TenantLedgerPage(std::string tenant, std::string dossier, std::string as_of, std::string page_token,
                        int page_size, CallOptions call_options, Token&& token) {
    return Initiate<void(StatusOr<JsonPage>)>(std::forward<Token>(token), &AsyncClient::StartTenantLedgerPage,
                                              std::move(call_options), std::move(tenant), std::move(dossier),
                                              std::move(as_of), std::move(page_token), std::move(page_size));
  }
  template <typename Token>
  auto TenantLedgerPage(std::string tenant, std::string dossier, std::string as_of, std::string page_token,
                        int page_size, Token&& token) {
    return TenantLedgerPage(std::move(tenant), std::move(dossier), std::move(as_of), std::move(page_token),
                            std::move(page_size), CallOptions{}, std::forward<Token>(token));
  }
  template <typename Token>
  auto ListModificationsPage(std::string tenant, std::string plan, std::string page_token, int page_size,
                             CallOptions call_options, Token&& token) {
    return Initiate<void(StatusOr<JsonPage>)>(
        std::forward<Token>(token), &AsyncClient::StartListModificationsPage, std::move(call_options),
        std::move(tenant), std::move(plan), std::move(page_token), std::move(page_size));
  }
  template <typename Token>
  auto ListModificationsPage(std::string tenant, std::string plan, std::string page_token, int page_size,
                             Token&& token) {
    return ListModificationsPage(std::move(tenant), std::move(plan), std::move(page_token),
                                 std::move(page_size), CallOptions{}, std::forward<Token>(token));
  }
  template <typename Token>
  auto PerformanceReportsPage(std::string tenant, std::string plan, std::string page_token, int page_size,
                              CallOptions call_options, Token&& token) {
    return Initiate<void(StatusOr<JsonPage>)>(
        std::forward<Token>(token), &AsyncClient::StartPerformanceReportsPage, std::move(call_options),
        std::move(tenant), std::move(plan), std::move(page_token), std::move(page_size));
  }
  template <typename Token>
  auto PerformanceReportsPage(std::string tenant, std::string plan, std::string page_token, int page_size,
                              Token&& token) {
    return PerformanceReportsPage(std::move(tenant), std::move(plan), std::move(page_token),
                                  std::move(page_size), CallOptions{}, std::forward<Token>(token));
  }
  template <typename Token>
  auto AlertsPage(std::string tenant, std::string page_token, int page_size, CallOptions call_options,
                  Token&& token) {
    return Initiate<void(StatusOr<JsonPage>)>(std::forward<Token>(token), &AsyncClient::StartAlertsPage,
                                              std::move(call_options), std::move(tenant),
                                              std::move(page_token), std::move(page_size));
  }
  template <typename Token>
  auto AlertsPage(std::string tenant, std::string page_token, int page_size, Token&& token) {
    return AlertsPage(std::move(tenant), std::move(page_token), std::move(page_size), CallOptions{},
                      std::forward<Token>(token));
  }
  template <typename Token>
  auto ListReviewTimelinesPage(std::string tenant, std::string page_token, int page_size,
                               CallOptions call_options, Token&& token) {
    return Initiate<void(StatusOr<JsonPage>)>(
        std::forward<Token>(token), &AsyncClient::StartListReviewTimelinesPage, std::move(call_options),
        std::move(tenant), std::move(page_token), std::move(page_size));
  }
  template <typename Token>
  auto ListReviewTimelinesPage(std::string tenant, std::string page_token, int page_size, Token&& token) {
    return ListReviewTimelinesPage(std::move(tenant), std::move(page_token), std::move(page_size),
                                   CallOptions{}, std::forward<Token>(token));
  }
  template <typename Token>
  auto AuditLogPage(std::string tenant, std::string page_token, int page_size, CallOptions call_options,
                    Token&& token) {
    return Initiate<void(StatusOr<JsonPage>)>(std::forward<Token>(token), &AsyncClient::StartAuditLogPage,
                                              std::move(call_options), std::move(tenant),
                                              std::move(page_token), std::move(page_size));
  }
  template <typename Token>
  auto AuditLogPage(std::string tenant, std::string page_token, int page_size, Token&& token) {
    return AuditLogPage(std::move(tenant), std::move(page_token), std::move(page_size), CallOptions{},
                        std::forward<Token>(token));
  }
  AsyncPager<Submission> SubmissionPager(std::string tenant, int page_size = 0,
                                         CallOptions call_options = {});
  AsyncPager<Submission> InboxPager(std::string tenant, int page_size = 0, CallOptions call_options = {});
  AsyncPager<JsonText> LedgerPager(std::string tenant, std::string dossier, std::string as_of,
                                   int page_size = 0, CallOptions call_options = {});
  AsyncPager<JsonText> ModificationPager(std::string tenant, std::string plan, int page_size = 0,
                                         CallOptions call_options = {});
  AsyncPager<JsonText> ReportPager(std::string tenant, std::string plan, int page_size = 0,
                                   CallOptions call_options = {});
  AsyncPager<JsonText> DriftAlertPager(std::string tenant, int page_size = 0, CallOptions call_options = {});
  AsyncPager<JsonText> ReviewTimelinePager(std::string tenant, int page_size = 0,
                                           CallOptions call_options = {});
  AsyncPager<JsonText> AuditEntryPager(std::string tenant, int page_size = 0, CallOptions call_options = {});
  template <typename Token>
  auto ForEachSubmission(std::string tenant, std::function<bool(const Submission&)> visit, Token&& token) {
    return ForEach(SubmissionPager(std::move(tenant)), std::move(visit), std::forward<Token>(token));
  }
  template <typename Token>
  auto ForEachInboxSubmission(std::string tenant, std::function<bool(const Submission&)> visit,
                              Token&& token) {
    return ForEach(InboxPager(std::move(tenant)), std::move(visit), std::forward<Token>(token));
  }
  template <typename Token>
  auto ForEachLedger(std::string tenant, std::string dossier, std::string as_of,
                     std::function<bool(const JsonText&)> visit, Token&& token) {
    return ForEach(LedgerPager(std::move(tenant), std::move(dossier), std::move(as_of)), std::move(visit),
                   std::forward<Token>(token));
  }
  template <typename Token>
  auto ForEachModification(std::string tenant, std::string plan, std::function<bool(const JsonText&)> visit,
                           Token&& token) {
    return ForEach(ModificationPager(std::move(tenant), std::move(plan)), std::move(visit),
                   std::forward<Token>(token));
  }
  template <typename Token>
  auto ForEachReport(std::string tenant, std::string plan, std::function<bool(const JsonText&)> visit,
                     Token&& token) {
    return ForEach(ReportPager(std::move(tenant), std::move(plan)), std::move(visit),
                   std::forward<Token>(token));
  }
  template <typename Token>
  auto ForEachDriftAlert(std::string tenant, std::function<bool(const JsonText&)> visit, Token&& token) {
    return ForEach(DriftAlertPager(std::move(tenant)), std::move(visit), std::forward<Token>(token));
  }
  template <typename Token>
  auto ForEachReviewTimeline(std::string tenant, std::function<bool(const JsonText&)> visit, Token&& token) {
    return ForEach(ReviewTimelinePager(std::move(tenant)), std::move(visit), std::forward<Token>(token));
  }
  template <typename Token>
  auto ForEachAuditEntry(std::string tenant, std::function<bool(const JsonText&)> visit, Token&& token) {
    return ForEach(AuditEntryPager(std::move(tenant)), std::move(visit), std::forward<Token>(token));
  }

  // ---- any route, as Client::Call
  template <typename Token>
  auto Call(std::string method, std::string target, std::string body, CallOptions call_options,
            Token&& token) {
    return Initiate<void(StatusOr<RawResponse>)>(std::forward<Token>(token), &AsyncClient::StartCall,
                                                 std::move(call_options), std::move(method),
                                                 std::move(target), std::move(body));
  }
  template <typename Token>
  auto Call(std::string method, std::string target, std::string body, Token&& token) {
    return Call(std::move(method), std::move(target), std::move(body), CallOptions{},
                std::forward<Token>(token));
  }

 private:
  template <typename Sig>
  using Handler = boost::asio::any_completion_handler<Sig>;

  explicit AsyncClient(std::shared_ptr<ClientCore> core);

  // The one template behind every call: adapts `token` (callback,
  // use_awaitable, use_future, ...) and hands a type-erased handler to the
  // call's Start function, compiled once in the library.
  template <typename Sig, typename Token, typename... Args>
  auto Initiate(Token&& token, void (AsyncClient::*start)(Handler<Sig>, CallOptions, Args...),
                CallOptions call_options, std::type_identity_t<Args>... args) {
    return boost::asio::async_initiate<Token, Sig>(
        [this, start](auto handler, CallOptions o, Args... a) {
          (this->*start)(Handler<Sig>(std::move(handler)), std::move(o), std::move(a)...);
        },
        token, std::move(call_options), std::move(args)...);
  }

  void StartReady(Handler<void(Status)> handler, CallOptions call_options);
  void StartCreateTenant(Handler<void(StatusOr<Tenant>)> handler, CallOptions call_options, NewTenant tenant);
  void StartGetTenant(Handler<void(StatusOr<Tenant>)> handler, CallOptions call_options, std::string tenant);
  void StartListTenants(Handler<void(StatusOr<std::vector<Tenant>>)> handler, CallOptions call_options);
  void StartCreateToken(Handler<void(StatusOr<TokenInfo>)> handler, CallOptions call_options,
                        std::string tenant, std::string role, std::string label);
  void StartListTokens(Handler<void(StatusOr<std::vector<TokenInfo>>)> handler, CallOptions call_options,
                       std::string tenant);
  void StartRevokeToken(Handler<void(Status)> handler, CallOptions call_options, std::string tenant,
                        std::string token_id);
  void StartRegisterKey(Handler<void(StatusOr<KeyInfo>)> handler, CallOptions call_options,
                        std::string tenant, trust::PublicKey key, std::string label);
  void StartListKeys(Handler<void(StatusOr<std::vector<KeyInfo>>)> handler, CallOptions call_options,
                     std::string tenant);
  void StartGetKey(Handler<void(StatusOr<KeyInfo>)> handler, CallOptions call_options, std::string tenant,
                   std::string key_id);
  void StartRevokeKey(Handler<void(StatusOr<KeyInfo>)> handler, CallOptions call_options, std::string tenant,
                      std::string key_id, std::string revoked_at);
  void StartStatBlob(Handler<void(StatusOr<std::optional<BlobInfo>>)> handler, CallOptions call_options,
                     std::string tenant, std::string digest);
  void StartUploadFile(Handler<void(StatusOr<BlobInfo>)> handler, CallOptions call_options,
                       std::string tenant, std::filesystem::path path, ProgressFn progress);
  void StartUploadFileIfMissing(Handler<void(StatusOr<BlobInfo>)> handler, CallOptions call_options,
                                std::string tenant, std::filesystem::path path, ProgressFn progress);
  void StartUploadBytes(Handler<void(StatusOr<BlobInfo>)> handler, CallOptions call_options,
                        std::string tenant, std::string bytes);
  void StartUploadFromProducer(Handler<void(StatusOr<BlobInfo>)> handler, CallOptions call_options,
                               std::string tenant, BodyProducer producer, ProgressFn progress);
  void StartDownloadToFile(Handler<void(StatusOr<BlobInfo>)> handler, CallOptions call_options,
                           std::string tenant, std::string digest, std::filesystem::path path,
                           ProgressFn progress);
  void StartDownloadBytes(Handler<void(StatusOr<std::string>)> handler, CallOptions call_options,
                          std::string tenant, std::string digest);
  void StartCreateDossier(Handler<void(StatusOr<ObjectInfo>)> handler, CallOptions call_options,
                          std::string tenant, std::string id, std::string title);
  void StartCreateChangePlan(Handler<void(StatusOr<ObjectInfo>)> handler, CallOptions call_options,
                             std::string tenant, std::string id, std::string dossier, std::string title);
  void StartGetObject(Handler<void(StatusOr<ObjectInfo>)> handler, CallOptions call_options,
                      std::string tenant, ObjectKind kind, std::string id);
  void StartListObjects(Handler<void(StatusOr<ObjectPage>)> handler, CallOptions call_options,
                        std::string tenant, ObjectKind kind, std::string page_token, int page_size);
  void StartCommit(Handler<void(StatusOr<CommitResult>)> handler, CallOptions call_options,
                   CommitRequest request, SigningKey signer);
  void StartListVersions(Handler<void(StatusOr<VersionPage>)> handler, CallOptions call_options,
                         std::string tenant, ObjectKind kind, std::string id, std::string page_token);
  void StartListVersions2(Handler<void(StatusOr<VersionPage>)> handler, CallOptions call_options,
                          std::string tenant, ObjectKind kind, std::string id, std::string page_token,
                          int page_size);
  void StartAllVersions(Handler<void(StatusOr<std::vector<VersionInfo>>)> handler, CallOptions call_options,
                        std::string tenant, ObjectKind kind, std::string id);
  void StartGetVersion(Handler<void(StatusOr<Version>)> handler, CallOptions call_options, std::string tenant,
                       ObjectKind kind, std::string id, uint64_t version);
  void StartGetVersionContent(Handler<void(StatusOr<std::string>)> handler, CallOptions call_options,
                              std::string tenant, ObjectKind kind, std::string id, uint64_t version);
  void StartDiff(Handler<void(StatusOr<JsonText>)> handler, CallOptions call_options, std::string tenant,
                 std::string dossier, uint64_t from, uint64_t to);
  void StartGetBundle(Handler<void(StatusOr<FetchedBundle>)> handler, CallOptions call_options,
                      std::string tenant, ObjectKind kind, std::string id, uint64_t version);
  void StartVerifyVersion(Handler<void(StatusOr<trust::BundleVerification>)> handler,
                          CallOptions call_options, std::string tenant, ObjectKind kind, std::string id,
                          uint64_t version);
  void StartVerifyVersion2(Handler<void(StatusOr<trust::BundleVerification>)> handler,
                           CallOptions call_options, ExpectedIdentity expected);
  void StartGetLogPublicKey(Handler<void(StatusOr<LogPublicKey>)> handler, CallOptions call_options);
  void StartGetCheckpoint(Handler<void(StatusOr<trust::Checkpoint>)> handler, CallOptions call_options);
  void StartCheckAndRememberCheckpoint(Handler<void(Status)> handler, CallOptions call_options,
                                       trust::Checkpoint checkpoint);
  void StartGetInclusionProof(Handler<void(StatusOr<std::vector<std::string>>)> handler,
                              CallOptions call_options, uint64_t leaf_index, uint64_t tree_size);
  void StartGetConsistencyProof(Handler<void(StatusOr<std::vector<std::string>>)> handler,
                                CallOptions call_options, uint64_t from_size, uint64_t to_size);
  void StartExport(Handler<void(Status)> handler, CallOptions call_options, std::string tenant,
                   std::string dossier, uint64_t version, std::string format, std::filesystem::path path,
                   ProgressFn progress);
  void StartImport(Handler<void(StatusOr<RawResponse>)> handler, CallOptions call_options, std::string tenant,
                   std::string format, std::filesystem::path path, ProgressFn progress);
  void StartImportRecords(Handler<void(Status)> handler, CallOptions call_options, std::string tenant,
                          std::string format, std::filesystem::path path, RecordFn on_record,
                          ProgressFn progress);
  void StartReadiness(Handler<void(StatusOr<JsonText>)> handler, CallOptions call_options, std::string tenant,
                      std::string dossier, uint64_t version, std::string agency, std::string pathway);
  void StartSubmit(Handler<void(StatusOr<Submission>)> handler, CallOptions call_options, std::string tenant,
                   NewSubmission submission);
  void StartInbox(Handler<void(StatusOr<std::vector<Submission>>)> handler, CallOptions call_options,
                  std::string tenant);
  void StartGetSubmission(Handler<void(StatusOr<Submission>)> handler, CallOptions call_options,
                          std::string tenant, std::string submission);
  void StartCommitDecision(Handler<void(StatusOr<CommitResult>)> handler, CallOptions call_options,
                           std::string tenant, Decision decision, SigningKey signer);
  void StartListDecisions(Handler<void(StatusOr<std::vector<VersionInfo>>)> handler, CallOptions call_options,
                          std::string tenant, std::string submission);
  void StartCreateRelianceAgreement(Handler<void(StatusOr<JsonText>)> handler, CallOptions call_options,
                                    std::string tenant, NewRelianceAgreement agreement);
  void StartAddPeer(Handler<void(StatusOr<Peer>)> handler, CallOptions call_options, std::string tenant,
                    NewPeer peer);
  void StartGetPeer(Handler<void(StatusOr<Peer>)> handler, CallOptions call_options, std::string tenant,
                    std::string peer_id);
  void StartListPeers(Handler<void(StatusOr<std::vector<Peer>>)> handler, CallOptions call_options,
                      std::string tenant);
  void StartReliance(Handler<void(StatusOr<std::vector<ForeignDecision>>)> handler, CallOptions call_options,
                     std::string tenant, std::string submission);
  void StartRecordModification(Handler<void(StatusOr<JsonText>)> handler, CallOptions call_options,
                               std::string tenant, std::string plan, std::string record_json);
  void StartListModifications(Handler<void(StatusOr<std::vector<JsonText>>)> handler,
                              CallOptions call_options, std::string tenant, std::string plan);
  void StartListSubmissions(Handler<void(StatusOr<std::vector<Submission>>)> handler,
                            CallOptions call_options, std::string tenant);
  void StartWithdrawSubmission(Handler<void(StatusOr<Submission>)> handler, CallOptions call_options,
                               std::string tenant, std::string submission);
  void StartAttachChangePlan(Handler<void(StatusOr<Submission>)> handler, CallOptions call_options,
                             std::string tenant, std::string submission, std::string plan,
                             uint64_t plan_version);
  void StartStartReview(Handler<void(StatusOr<Submission>)> handler, CallOptions call_options,
                        std::string tenant, std::string submission);
  void StartSubmissionReadiness(Handler<void(StatusOr<JsonText>)> handler, CallOptions call_options,
                                std::string tenant, std::string submission, std::string agency,
                                std::string pathway);
  void StartExportSubmission(Handler<void(Status)> handler, CallOptions call_options, std::string tenant,
                             std::string submission, std::string format, std::filesystem::path path,
                             ProgressFn progress);
  void StartGetSubmissionContent(Handler<void(StatusOr<std::string>)> handler, CallOptions call_options,
                                 std::string tenant, std::string submission);
  void StartDownloadSubmissionDocument(Handler<void(StatusOr<BlobInfo>)> handler, CallOptions call_options,
                                       std::string tenant, std::string submission, std::string digest,
                                       std::filesystem::path path, ProgressFn progress);
  void StartCommitDecisionContent(Handler<void(StatusOr<CommitResult>)> handler, CallOptions call_options,
                                  std::string tenant, std::string submission, std::string content,
                                  SigningKey signer);
  void StartGetDecisionBundle(Handler<void(StatusOr<DecisionBundle>)> handler, CallOptions call_options,
                              std::string tenant, std::string submission, uint64_t version);
  void StartListRelianceAgreements(Handler<void(StatusOr<std::vector<JsonText>>)> handler,
                                   CallOptions call_options, std::string tenant);
  void StartRevokeRelianceAgreement(Handler<void(StatusOr<JsonText>)> handler, CallOptions call_options,
                                    std::string tenant, std::string peer);
  void StartRedlineDocument(Handler<void(Status)> handler, CallOptions call_options, std::string tenant,
                            std::string dossier, uint64_t from, uint64_t to, std::string format,
                            std::filesystem::path path);
  void StartResponsePackage(Handler<void(Status)> handler, CallOptions call_options, std::string tenant,
                            std::string dossier, uint64_t from, uint64_t to,
                            std::filesystem::path reply_letter, std::filesystem::path path);
  void StartExportProfiles(Handler<void(StatusOr<JsonText>)> handler, CallOptions call_options);
  void StartExportSubmissionWithProfile(Handler<void(Status)> handler, CallOptions call_options,
                                        std::string tenant, std::string submission, std::string format,
                                        std::string profile, std::filesystem::path path);
  void StartPostPerformanceReport(Handler<void(StatusOr<JsonText>)> handler, CallOptions call_options,
                                  std::string tenant, std::string plan, std::string report_json,
                                  SigningKey signer);
  void StartPerformanceReports(Handler<void(StatusOr<JsonText>)> handler, CallOptions call_options,
                               std::string tenant, std::string plan);
  void StartAlerts(Handler<void(StatusOr<JsonText>)> handler, CallOptions call_options, std::string tenant);
  void StartRecordLedgerEvent(Handler<void(StatusOr<CommitResult>)> handler, CallOptions call_options,
                              std::string tenant, JsonText event, SigningKey signer);
  void StartGetLedger(Handler<void(StatusOr<JsonText>)> handler, CallOptions call_options, std::string tenant,
                      std::string submission, std::string as_of);
  void StartGetClock(Handler<void(StatusOr<JsonText>)> handler, CallOptions call_options, std::string tenant,
                     std::string submission, std::string as_of);
  void StartTenantLedger(Handler<void(StatusOr<JsonText>)> handler, CallOptions call_options,
                         std::string tenant, std::string dossier, std::string as_of);
  void StartListComments(Handler<void(StatusOr<JsonText>)> handler, CallOptions call_options,
                         std::string tenant, std::string submission);
  void StartOpenCommentThread(Handler<void(StatusOr<JsonText>)> handler, CallOptions call_options,
                              std::string tenant, std::string submission, NewCommentThread thread);
  void StartReplyToComment(Handler<void(StatusOr<JsonText>)> handler, CallOptions call_options,
                           std::string tenant, std::string submission, std::string thread, std::string text);
  void StartSetCommentResolved(Handler<void(StatusOr<JsonText>)> handler, CallOptions call_options,
                               std::string tenant, std::string submission, std::string thread, bool resolved);
  void StartDraftAiRequest(Handler<void(StatusOr<JsonText>)> handler, CallOptions call_options,
                           std::string tenant, std::string submission, std::string occurred_on,
                           std::string due_on);
  void StartSetReviewTimeline(Handler<void(StatusOr<JsonText>)> handler, CallOptions call_options,
                              std::string tenant, JsonText timeline);
  void StartListReviewTimelines(Handler<void(StatusOr<std::vector<JsonText>>)> handler,
                                CallOptions call_options, std::string tenant);
  void StartAuditLog(Handler<void(StatusOr<std::vector<JsonText>>)> handler, CallOptions call_options,
                     std::string tenant);
  void StartListSubmissionsPage(Handler<void(StatusOr<SubmissionPage>)> handler, CallOptions call_options,
                                std::string tenant, std::string page_token, int page_size);
  void StartInboxPage(Handler<void(StatusOr<SubmissionPage>)> handler, CallOptions call_options,
                      std::string tenant, std::string page_token, int page_size);
  void StartTenantLedgerPage(Handler<void(StatusOr<JsonPage>)> handler, CallOptions call_options,
                             std::string tenant, std::string dossier, std::string as_of,
                             std::string page_token, int page_size);
  void StartListModificationsPage(Handler<void(StatusOr<JsonPage>)> handler, CallOptions call_options,
                                  std::string tenant, std::string plan, std::string page_token,
                                  int page_size);
  void StartPerformanceReportsPage(Handler<void(StatusOr<JsonPage>)> handler, CallOptions call_options,
                                   std::string tenant, std::string plan, std::string page_token,
                                   int page_size);
  void StartAlertsPage(Handler<void(StatusOr<JsonPage>)> handler, CallOptions call_options,
                       std::string tenant, std::string page_token, int page_size);
  void StartListReviewTimelinesPage(Handler<void(StatusOr<JsonPage>)> handler, CallOptions call_options,
                                    std::string tenant, std::string page_token, int page_size);
  void StartAuditLogPage(Handler<void(StatusOr<JsonPage>)> handler, CallOptions call_options,
                         std::string tenant, std::string page_token, int page_size);
  void StartCall(Handler<void(StatusOr<RawResponse>)> handler, CallOptions call_options, std::string method,
                 std::string target, std::string body);

  std::shared_ptr<ClientCore> core_;
};

// Defined after the class: they call the member templates above, whose
// deduced return types are only known once the class is complete.
namespace internal {

// An AsyncPager over a page-level call whose page has `items` and
// `next_page_token`: `start(page_token, handler)` starts the call with
// `handler` as its completion token.
template <typename Item, typename PageType, typename Start>
AsyncPager<Item> PagerOver(Start start) {
  return AsyncPager<Item>([start = std::move(start)](std::string page_token,
                                                     boost::asio::cancellation_slot slot,
                                                     typename AsyncPager<Item>::PageHandler done) {
    start(std::move(page_token), boost::asio::bind_cancellation_slot(
                                     slot, [done = std::move(done)](StatusOr<PageType> page) mutable {
                                       if (!page.ok()) return std::move(done)(page.status());
                                       std::move(done)(typename AsyncPager<Item>::Page{
                                           std::move(page->items), std::move(page->next_page_token)});
                                     }));
  });
}

}  // namespace internal

inline AsyncPager<ObjectInfo> AsyncClient::ObjectPager(std::string tenant, ObjectKind kind, int page_size,
                                                       CallOptions call_options) {
  return internal::PagerOver<ObjectInfo, ObjectPage>(
      [this, tenant = std::move(tenant), kind, page_size, call_options = std::move(call_options)](
          std::string page_token, auto handler) {
        ListObjects(tenant, kind, std::move(page_token), page_size, call_options, std::move(handler));
      });
}
inline AsyncPager<VersionInfo> AsyncClient::VersionPager(std::string tenant, ObjectKind kind, std::string id,
                                                         int page_size, CallOptions call_options) {
  return AsyncPager<VersionInfo>(
      [this, tenant = std::move(tenant), kind, id = std::move(id), page_size,
       call_options = std::move(call_options)](std::string page_token, boost::asio::cancellation_slot slot,
                                               AsyncPager<VersionInfo>::PageHandler done) {
        ListVersions(tenant, kind, id, std::move(page_token), page_size, call_options,
                     boost::asio::bind_cancellation_slot(
                         slot, [done = std::move(done)](StatusOr<VersionPage> page) mutable {
                           if (!page.ok()) return std::move(done)(page.status());
                           std::move(done)(AsyncPager<VersionInfo>::Page{std::move(page->versions),
                                                                         std::move(page->next_page_token)});
                         }));
      });
}

inline AsyncPager<Submission> AsyncClient::SubmissionPager(std::string tenant, int page_size,
                                                           CallOptions call_options) {
  return internal::PagerOver<Submission, SubmissionPage>(
      [this, tenant = std::move(tenant), page_size, call_options = std::move(call_options)](
          std::string page_token, auto handler) {
        ListSubmissionsPage(tenant, std::move(page_token), page_size, call_options, std::move(handler));
      });
}
inline AsyncPager<Submission> AsyncClient::InboxPager(std::string tenant, int page_size,
                                                      CallOptions call_options) {
  return internal::PagerOver<Submission, SubmissionPage>(
      [this, tenant = std::move(tenant), page_size, call_options = std::move(call_options)](
          std::string page_token, auto handler) {
        InboxPage(tenant, std::move(page_token), page_size, call_options, std::move(handler));
      });
}
inline AsyncPager<JsonText> AsyncClient::LedgerPager(std::string tenant, std::string dossier,
                                                     std::string as_of, int page_size,
                                                     CallOptions call_options) {
  return internal::PagerOver<JsonText, JsonPage>(
      [this, tenant = std::move(tenant), dossier = std::move(dossier), as_of = std::move(as_of), page_size,
       call_options = std::move(call_options)](std::string page_token, auto handler) {
        TenantLedgerPage(tenant, dossier, as_of, std::move(page_token), page_size, call_options,
                         std::move(handler));
      });
}
inline AsyncPager<JsonText> AsyncClient::ModificationPager(std::string tenant, std::string plan,
                                                           int page_size, CallOptions call_options) {
  return internal::PagerOver<JsonText, JsonPage>([this, tenant = std::move(tenant), plan = std::move(plan),
                                                  page_size, call_options = std::move(call_options)](
                                                     std::string page_token, auto handler) {
    ListModificationsPage(tenant, plan, std::move(page_token), page_size, call_options, std::move(handler));
  });
}
inline AsyncPager<JsonText> AsyncClient::ReportPager(std::string tenant, std::string plan, int page_size,
                                                     CallOptions call_options) {
  return internal::PagerOver<JsonText, JsonPage>([this, tenant = std::move(tenant), plan = std::move(plan),
                                                  page_size, call_options = std::move(call_options)](
                                                     std::string page_token, auto handler) {
    PerformanceReportsPage(tenant, plan, std::move(page_token), page_size, call_options, std::move(handler));
  });
}
inline AsyncPager<JsonText> AsyncClient::DriftAlertPager(std::string tenant, int page_size,
                                                         CallOptions call_options) {
  return internal::PagerOver<JsonText, JsonPage>(
      [this, tenant = std::move(tenant), page_size, call_options = std::move(call_options)](
          std::string page_token, auto handler) {
        AlertsPage(tenant, std::move(page_token), page_size, call_options, std::move(handler));
      });
}
inline AsyncPager<JsonText> AsyncClient::ReviewTimelinePager(std::string tenant, int page_size,
                                                             CallOptions call_options) {
  return internal::PagerOver<JsonText, JsonPage>(
      [this, tenant = std::move(tenant), page_size, call_options = std::move(call_options)](
          std::string page_token, auto handler) {
        ListReviewTimelinesPage(tenant, std::move(page_token), page_size, call_options, std::move(handler));
      });
}
inline AsyncPager<JsonText> AsyncClient::AuditEntryPager(std::string tenant, int page_size,
                                                         CallOptions call_options) {
  return internal::PagerOver<JsonText, JsonPage>(
      [this, tenant = std::move(tenant), page_size, call_options = std::move(call_options)](
          std::string page_token, auto handler) {
        AuditLogPage(tenant, std::move(page_token), page_size, call_options, std::move(handler));
      });
}

}  // namespace dossier::client
