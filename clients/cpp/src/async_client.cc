// AsyncClient: adapts each call's completion token (async_client.h) to one
// type-erased handler and starts the call's one implementation (ClientCore,
// core.h) on the client's strand, with the call's cancellation and deadline.
#include "dossier/client/async_client.h"

#include <boost/asio/append.hpp>
#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "core.h"

namespace dossier::client {
namespace fs = std::filesystem;
namespace json = boost::json;
namespace net = boost::asio;

namespace {

// One call in flight. Touched only on the strand.
struct CallState {
  explicit CallState(net::any_io_executor strand) : deadline_timer(std::move(strand)) {}
  // Emitted (terminal) to stop the call's coroutine: its pending I/O fails
  // with operation_aborted and the transport neither retries nor reuses the
  // connection.
  net::cancellation_signal stop;
  net::steady_timer deadline_timer;
  bool finished = false;
  bool cancelled = false;        // by the caller's cancellation slot
  bool deadline_passed = false;  // by CallOptions::timeout / deadline
};

std::optional<std::chrono::steady_clock::time_point> DeadlineOf(const CallOptions& options,
                                                                std::chrono::steady_clock::time_point start) {
  std::optional<std::chrono::steady_clock::time_point> at = options.deadline;
  if (options.timeout > std::chrono::milliseconds::zero()) {
    const auto by_timeout = start + options.timeout;
    if (!at || by_timeout < *at) at = by_timeout;
  }
  return at;
}

template <typename Sig>
void Complete(net::any_completion_handler<Sig> handler, Status status) {
  net::dispatch(net::append(std::move(handler), std::move(status)));
}
// ClientCore works with Boost.JSON; the public API carries JSON as text
// (JsonText, types.h), so JSON answers are serialised here, once, on the way out.
template <typename T>
StatusOr<T> ToPublic(StatusOr<T> result) {
  return result;
}
StatusOr<JsonText> ToPublic(StatusOr<json::object> result) {
  if (!result.ok()) return result.status();
  return json::serialize(*result);
}
StatusOr<std::vector<JsonText>> ToPublic(StatusOr<std::vector<json::object>> result) {
  if (!result.ok()) return result.status();
  std::vector<JsonText> texts;
  texts.reserve(result->size());
  for (const auto& item : *result) texts.push_back(json::serialize(item));
  return texts;
}

template <typename Sig, typename T>
void Complete(net::any_completion_handler<Sig> handler, StatusOr<T> result) {
  if constexpr (std::is_same_v<Sig, void(Status)>) {
    net::dispatch(
        net::append(std::move(handler), result.status()));  // a call that answers only success or failure
  } else {
    net::dispatch(net::append(std::move(handler), ToPublic(std::move(result))));
  }
}

// Runs `task` and completes `handler` exactly once (also when the coroutine
// throws, e.g. std::bad_alloc, or when a cancelled operation throws
// operation_aborted). A handler without an associated executor runs here, on
// the strand, inside this coroutine: a call it starts is spawned on the strand
// and begins after the handler returns, so handlers may start calls freely.
template <typename T, typename Sig>
net::awaitable<void> RunAndDeliver(std::shared_ptr<ClientCore> keep_alive, std::shared_ptr<CallState> state,
                                   net::awaitable<StatusOr<T>> task,
                                   net::any_completion_handler<Sig> handler) {
  std::optional<StatusOr<T>> result;
  if (state->deadline_passed) {
    // The deadline had passed when the call was made: nothing is sent.
    result.emplace(
        Status(StatusCode::kDeadlineExceeded, "the call's deadline had passed", "deadline-exceeded"));
  } else {
    try {
      result.emplace(co_await std::move(task));
    } catch (const std::exception& e) {
      result.emplace(Internal(std::string("unexpected failure in the client: ") + e.what()));
    }
  }
  state->finished = true;
  state->deadline_timer.cancel();
  // A call that finished before the cancellation reached it keeps its result.
  if (!result->ok() && state->deadline_passed) {
    result.emplace(Status(StatusCode::kDeadlineExceeded, "the call did not finish within its deadline",
                          "deadline-exceeded"));
  } else if (!result->ok() && state->cancelled) {
    result.emplace(Status(StatusCode::kCancelled, "the call was cancelled", "cancelled"));
  }
  // The caller's slot keeps our cancellation handler (it only posts to the
  // strand and finds the call finished): clearing it here, on the strand,
  // would race with an emit from the caller's thread.
  Complete(std::move(handler), std::move(*result));
  (void)keep_alive;
}

template <typename T, typename Sig>
void Spawn(std::shared_ptr<ClientCore> core, net::awaitable<StatusOr<T>> task,
           net::any_completion_handler<Sig> handler) {
  auto strand = core->strand();
  auto state = std::make_shared<CallState>(strand);
  // The caller's cancellation may be emitted from any thread: our handler only
  // posts to the strand, where the call's state lives.
  auto slot = net::get_associated_cancellation_slot(handler);
  if (slot.is_connected()) {
    slot.assign([state, strand](net::cancellation_type) {
      net::post(strand, [state] {
        if (state->finished || state->cancelled || state->deadline_passed) return;
        state->cancelled = true;
        state->stop.emit(net::cancellation_type::terminal);
      });
    });
  }
  const auto now = std::chrono::steady_clock::now();
  if (auto at = DeadlineOf(core->call_options(), now); at && *at <= now) {
    state->deadline_passed = true;
  } else if (at) {
    state->deadline_timer.expires_at(*at);
    state->deadline_timer.async_wait([state](const boost::system::error_code& ec) {
      if (ec || state->finished || state->cancelled) return;
      state->deadline_passed = true;
      state->stop.emit(net::cancellation_type::terminal);
    });
  }
  auto stop_slot = state->stop.slot();
  net::co_spawn(strand,
                RunAndDeliver<T, Sig>(std::move(core), std::move(state), std::move(task), std::move(handler)),
                net::bind_cancellation_slot(stop_slot, net::detached));
}

}  // namespace

StatusOr<std::shared_ptr<AsyncClient>> AsyncClient::Create(boost::asio::any_io_executor executor,
                                                           ClientOptions options) {
  DOSSIER_ASSIGN_OR_RETURN(auto core, ClientCore::Create(std::move(executor), std::move(options)));
  return std::shared_ptr<AsyncClient>(new AsyncClient(std::move(core)));
}

AsyncClient::AsyncClient(std::shared_ptr<ClientCore> core) : core_(std::move(core)) {}
AsyncClient::~AsyncClient() = default;
const ClientOptions& AsyncClient::options() const { return core_->options(); }

// One Start function a call: its options, then ClientCore's coroutine of the
// same name (the ListVersions without page_size asks for the server's default).

void AsyncClient::StartReady(Handler<void(Status)> handler, CallOptions call_options) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core, core->Ready(), std::move(handler));
}

void AsyncClient::StartCreateTenant(Handler<void(StatusOr<Tenant>)> handler, CallOptions call_options,
                                    NewTenant tenant) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core, core->CreateTenant(std::move(tenant)), std::move(handler));
}

void AsyncClient::StartGetTenant(Handler<void(StatusOr<Tenant>)> handler, CallOptions call_options,
                                 std::string tenant) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core, core->GetTenant(std::move(tenant)), std::move(handler));
}

void AsyncClient::StartListTenants(Handler<void(StatusOr<std::vector<Tenant>>)> handler,
                                   CallOptions call_options) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core, core->ListTenants(), std::move(handler));
}

void AsyncClient::StartCreateToken(Handler<void(StatusOr<TokenInfo>)> handler, CallOptions call_options,
                                   std::string tenant, std::string role, std::string label) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core, core->CreateToken(std::move(tenant), std::move(role), std::move(label)), std::move(handler));
}

void AsyncClient::StartListTokens(Handler<void(StatusOr<std::vector<TokenInfo>>)> handler,
                                  CallOptions call_options, std::string tenant) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core, core->ListTokens(std::move(tenant)), std::move(handler));
}

void AsyncClient::StartRevokeToken(Handler<void(Status)> handler, CallOptions call_options,
                                   std::string tenant, std::string token_id) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core, core->RevokeToken(std::move(tenant), std::move(token_id)), std::move(handler));
}

void AsyncClient::StartRegisterKey(Handler<void(StatusOr<KeyInfo>)> handler, CallOptions call_options,
                                   std::string tenant, trust::PublicKey key, std::string label) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core, core->RegisterKey(std::move(tenant), std::move(key), std::move(label)), std::move(handler));
}

void AsyncClient::StartListKeys(Handler<void(StatusOr<std::vector<KeyInfo>>)> handler,
                                CallOptions call_options, std::string tenant) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core, core->ListKeys(std::move(tenant)), std::move(handler));
}

void AsyncClient::StartGetKey(Handler<void(StatusOr<KeyInfo>)> handler, CallOptions call_options,
                              std::string tenant, std::string key_id) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core, core->GetKey(std::move(tenant), std::move(key_id)), std::move(handler));
}

void AsyncClient::StartRevokeKey(Handler<void(StatusOr<KeyInfo>)> handler, CallOptions call_options,
                                 std::string tenant, std::string key_id, std::string revoked_at) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core, core->RevokeKey(std::move(tenant), std::move(key_id), std::move(revoked_at)),
        std::move(handler));
}

void AsyncClient::StartStatBlob(Handler<void(StatusOr<std::optional<BlobInfo>>)> handler,
                                CallOptions call_options, std::string tenant, std::string digest) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core, core->StatBlob(std::move(tenant), std::move(digest)), std::move(handler));
}

void AsyncClient::StartUploadFile(Handler<void(StatusOr<BlobInfo>)> handler, CallOptions call_options,
                                  std::string tenant, std::filesystem::path path, ProgressFn progress) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core, core->UploadFile(std::move(tenant), std::move(path), false, std::move(progress)),
        std::move(handler));
}

void AsyncClient::StartUploadFileIfMissing(Handler<void(StatusOr<BlobInfo>)> handler,
                                           CallOptions call_options, std::string tenant,
                                           std::filesystem::path path, ProgressFn progress) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core, core->UploadFile(std::move(tenant), std::move(path), true, std::move(progress)),
        std::move(handler));
}

void AsyncClient::StartUploadBytes(Handler<void(StatusOr<BlobInfo>)> handler, CallOptions call_options,
                                   std::string tenant, std::string bytes) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core, core->UploadBytes(std::move(tenant), std::move(bytes)), std::move(handler));
}

void AsyncClient::StartUploadFromProducer(Handler<void(StatusOr<BlobInfo>)> handler, CallOptions call_options,
                                          std::string tenant, BodyProducer producer, ProgressFn progress) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core, core->UploadFromProducer(std::move(tenant), std::move(producer), std::move(progress)),
        std::move(handler));
}

void AsyncClient::StartDownloadToFile(Handler<void(StatusOr<BlobInfo>)> handler, CallOptions call_options,
                                      std::string tenant, std::string digest, std::filesystem::path path,
                                      ProgressFn progress) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core,
        core->DownloadToFile(std::move(tenant), std::move(digest), std::move(path), std::move(progress)),
        std::move(handler));
}

void AsyncClient::StartDownloadBytes(Handler<void(StatusOr<std::string>)> handler, CallOptions call_options,
                                     std::string tenant, std::string digest) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core, core->DownloadBytes(std::move(tenant), std::move(digest)), std::move(handler));
}

void AsyncClient::StartCreateDossier(Handler<void(StatusOr<ObjectInfo>)> handler, CallOptions call_options,
                                     std::string tenant, std::string id, std::string title) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core, core->CreateDossier(std::move(tenant), std::move(id), std::move(title)), std::move(handler));
}

void AsyncClient::StartCreateChangePlan(Handler<void(StatusOr<ObjectInfo>)> handler, CallOptions call_options,
                                        std::string tenant, std::string id, std::string dossier,
                                        std::string title) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core, core->CreateChangePlan(std::move(tenant), std::move(id), std::move(dossier), std::move(title)),
        std::move(handler));
}

void AsyncClient::StartGetObject(Handler<void(StatusOr<ObjectInfo>)> handler, CallOptions call_options,
                                 std::string tenant, ObjectKind kind, std::string id) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core, core->GetObject(std::move(tenant), kind, std::move(id)), std::move(handler));
}

void AsyncClient::StartListObjects(Handler<void(StatusOr<ObjectPage>)> handler, CallOptions call_options,
                                   std::string tenant, ObjectKind kind, std::string page_token,
                                   int page_size) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core, core->ListObjects(std::move(tenant), kind, std::move(page_token), page_size),
        std::move(handler));
}

void AsyncClient::StartCommit(Handler<void(StatusOr<CommitResult>)> handler, CallOptions call_options,
                              CommitRequest request, SigningKey signer) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core, core->Commit(std::move(request), std::move(signer)), std::move(handler));
}

void AsyncClient::StartListVersions(Handler<void(StatusOr<VersionPage>)> handler, CallOptions call_options,
                                    std::string tenant, ObjectKind kind, std::string id,
                                    std::string page_token) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core, core->ListVersions(std::move(tenant), kind, std::move(id), std::move(page_token), 0),
        std::move(handler));
}

void AsyncClient::StartListVersions2(Handler<void(StatusOr<VersionPage>)> handler, CallOptions call_options,
                                     std::string tenant, ObjectKind kind, std::string id,
                                     std::string page_token, int page_size) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core, core->ListVersions(std::move(tenant), kind, std::move(id), std::move(page_token), page_size),
        std::move(handler));
}

void AsyncClient::StartAllVersions(Handler<void(StatusOr<std::vector<VersionInfo>>)> handler,
                                   CallOptions call_options, std::string tenant, ObjectKind kind,
                                   std::string id) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core, core->AllVersions(std::move(tenant), kind, std::move(id)), std::move(handler));
}

void AsyncClient::StartGetVersion(Handler<void(StatusOr<Version>)> handler, CallOptions call_options,
                                  std::string tenant, ObjectKind kind, std::string id, uint64_t version) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core, core->GetVersion(std::move(tenant), kind, std::move(id), version), std::move(handler));
}

void AsyncClient::StartGetVersionContent(Handler<void(StatusOr<std::string>)> handler,
                                         CallOptions call_options, std::string tenant, ObjectKind kind,
                                         std::string id, uint64_t version) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core, core->GetVersionContent(std::move(tenant), kind, std::move(id), version), std::move(handler));
}

void AsyncClient::StartDiff(Handler<void(StatusOr<JsonText>)> handler, CallOptions call_options,
                            std::string tenant, std::string dossier, uint64_t from, uint64_t to) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core, core->Diff(std::move(tenant), std::move(dossier), from, to), std::move(handler));
}

void AsyncClient::StartGetBundle(Handler<void(StatusOr<FetchedBundle>)> handler, CallOptions call_options,
                                 std::string tenant, ObjectKind kind, std::string id, uint64_t version) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core, core->GetBundle(std::move(tenant), kind, std::move(id), version), std::move(handler));
}

void AsyncClient::StartVerifyVersion(Handler<void(StatusOr<trust::BundleVerification>)> handler,
                                     CallOptions call_options, std::string tenant, ObjectKind kind,
                                     std::string id, uint64_t version) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core, core->VerifyVersion(std::move(tenant), kind, std::move(id), version), std::move(handler));
}

void AsyncClient::StartVerifyVersion2(Handler<void(StatusOr<trust::BundleVerification>)> handler,
                                      CallOptions call_options, ExpectedIdentity expected) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core, core->VerifyVersionAs(std::move(expected)), std::move(handler));
}

void AsyncClient::StartGetLogPublicKey(Handler<void(StatusOr<LogPublicKey>)> handler,
                                       CallOptions call_options) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core, core->GetLogPublicKey(), std::move(handler));
}

void AsyncClient::StartGetCheckpoint(Handler<void(StatusOr<trust::Checkpoint>)> handler,
                                     CallOptions call_options) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core, core->GetCheckpoint(), std::move(handler));
}

void AsyncClient::StartCheckAndRememberCheckpoint(Handler<void(Status)> handler, CallOptions call_options,
                                                  trust::Checkpoint checkpoint) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core, core->CheckAndRememberCheckpoint(std::move(checkpoint)), std::move(handler));
}

void AsyncClient::StartGetInclusionProof(Handler<void(StatusOr<std::vector<std::string>>)> handler,
                                         CallOptions call_options, uint64_t leaf_index, uint64_t tree_size) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core, core->GetInclusionProof(leaf_index, tree_size), std::move(handler));
}

void AsyncClient::StartGetConsistencyProof(Handler<void(StatusOr<std::vector<std::string>>)> handler,
                                           CallOptions call_options, uint64_t from_size, uint64_t to_size) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core, core->GetConsistencyProof(from_size, to_size), std::move(handler));
}

void AsyncClient::StartExport(Handler<void(Status)> handler, CallOptions call_options, std::string tenant,
                              std::string dossier, uint64_t version, std::string format,
                              std::filesystem::path path, ProgressFn progress) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core,
        core->Export(std::move(tenant), std::move(dossier), version, std::move(format), std::move(path),
                     std::move(progress)),
        std::move(handler));
}

void AsyncClient::StartImport(Handler<void(StatusOr<RawResponse>)> handler, CallOptions call_options,
                              std::string tenant, std::string format, std::filesystem::path path,
                              ProgressFn progress) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core, core->Import(std::move(tenant), std::move(format), std::move(path), std::move(progress)),
        std::move(handler));
}

void AsyncClient::StartImportRecords(Handler<void(Status)> handler, CallOptions call_options,
                                     std::string tenant, std::string format, std::filesystem::path path,
                                     RecordFn on_record, ProgressFn progress) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core,
        core->ImportRecords(std::move(tenant), std::move(format), std::move(path), std::move(on_record),
                            std::move(progress)),
        std::move(handler));
}

void AsyncClient::StartReadiness(Handler<void(StatusOr<JsonText>)> handler, CallOptions call_options,
                                 std::string tenant, std::string dossier, uint64_t version,
                                 std::string agency, std::string pathway) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(
      core,
      core->Readiness(std::move(tenant), std::move(dossier), version, std::move(agency), std::move(pathway)),
      std::move(handler));
}

void AsyncClient::StartSubmit(Handler<void(StatusOr<Submission>)> handler, CallOptions call_options,
                              std::string tenant, NewSubmission submission) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core, core->Submit(std::move(tenant), std::move(submission)), std::move(handler));
}

void AsyncClient::StartInbox(Handler<void(StatusOr<std::vector<Submission>>)> handler,
                             CallOptions call_options, std::string tenant) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core, core->Inbox(std::move(tenant)), std::move(handler));
}

void AsyncClient::StartGetSubmission(Handler<void(StatusOr<Submission>)> handler, CallOptions call_options,
                                     std::string tenant, std::string submission) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core, core->GetSubmission(std::move(tenant), std::move(submission)), std::move(handler));
}

void AsyncClient::StartCommitDecision(Handler<void(StatusOr<CommitResult>)> handler, CallOptions call_options,
                                      std::string tenant, Decision decision, SigningKey signer) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core, core->CommitDecision(std::move(tenant), std::move(decision), std::move(signer)),
        std::move(handler));
}

void AsyncClient::StartListDecisions(Handler<void(StatusOr<std::vector<VersionInfo>>)> handler,
                                     CallOptions call_options, std::string tenant, std::string submission) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core, core->ListDecisions(std::move(tenant), std::move(submission)), std::move(handler));
}

void AsyncClient::StartCreateRelianceAgreement(Handler<void(StatusOr<JsonText>)> handler,
                                               CallOptions call_options, std::string tenant,
                                               NewRelianceAgreement agreement) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core, core->CreateRelianceAgreement(std::move(tenant), std::move(agreement)), std::move(handler));
}

void AsyncClient::StartAddPeer(Handler<void(StatusOr<Peer>)> handler, CallOptions call_options,
                               std::string tenant, NewPeer peer) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core, core->AddPeer(std::move(tenant), std::move(peer)), std::move(handler));
}

void AsyncClient::StartGetPeer(Handler<void(StatusOr<Peer>)> handler, CallOptions call_options,
                               std::string tenant, std::string peer_id) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core, core->GetPeer(std::move(tenant), std::move(peer_id)), std::move(handler));
}

void AsyncClient::StartListPeers(Handler<void(StatusOr<std::vector<Peer>>)> handler, CallOptions call_options,
                                 std::string tenant) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core, core->ListPeers(std::move(tenant)), std::move(handler));
}

void AsyncClient::StartReliance(Handler<void(StatusOr<std::vector<ForeignDecision>>)> handler,
                                CallOptions call_options, std::string tenant, std::string submission) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core, core->Reliance(std::move(tenant), std::move(submission)), std::move(handler));
}

void AsyncClient::StartRecordModification(Handler<void(StatusOr<JsonText>)> handler, CallOptions call_options,
                                          std::string tenant, std::string plan, std::string record_json) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core, core->RecordModification(std::move(tenant), std::move(plan), std::move(record_json)),
        std::move(handler));
}

void AsyncClient::StartListModifications(Handler<void(StatusOr<std::vector<JsonText>>)> handler,
                                         CallOptions call_options, std::string tenant, std::string plan) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core, core->ListModifications(std::move(tenant), std::move(plan)), std::move(handler));
}

void AsyncClient::StartListSubmissions(Handler<void(StatusOr<std::vector<Submission>>)> handler,
                                       CallOptions call_options, std::string tenant) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core, core->ListSubmissions(std::move(tenant)), std::move(handler));
}

void AsyncClient::StartWithdrawSubmission(Handler<void(StatusOr<Submission>)> handler,
                                          CallOptions call_options, std::string tenant,
                                          std::string submission) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core, core->WithdrawSubmission(std::move(tenant), std::move(submission)), std::move(handler));
}

void AsyncClient::StartAttachChangePlan(Handler<void(StatusOr<Submission>)> handler, CallOptions call_options,
                                        std::string tenant, std::string submission, std::string plan,
                                        uint64_t plan_version) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core, core->AttachChangePlan(std::move(tenant), std::move(submission), std::move(plan), plan_version),
        std::move(handler));
}

void AsyncClient::StartStartReview(Handler<void(StatusOr<Submission>)> handler, CallOptions call_options,
                                   std::string tenant, std::string submission) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core, core->StartReview(std::move(tenant), std::move(submission)), std::move(handler));
}

void AsyncClient::StartSubmissionReadiness(Handler<void(StatusOr<JsonText>)> handler,
                                           CallOptions call_options, std::string tenant,
                                           std::string submission, std::string agency, std::string pathway) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core,
        core->SubmissionReadiness(std::move(tenant), std::move(submission), std::move(agency),
                                  std::move(pathway)),
        std::move(handler));
}

void AsyncClient::StartExportSubmission(Handler<void(Status)> handler, CallOptions call_options,
                                        std::string tenant, std::string submission, std::string format,
                                        std::filesystem::path path, ProgressFn progress) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core,
        core->ExportSubmission(std::move(tenant), std::move(submission), std::move(format), std::move(path),
                               std::move(progress)),
        std::move(handler));
}

void AsyncClient::StartGetSubmissionContent(Handler<void(StatusOr<std::string>)> handler,
                                            CallOptions call_options, std::string tenant,
                                            std::string submission) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core, core->GetSubmissionContent(std::move(tenant), std::move(submission)), std::move(handler));
}

void AsyncClient::StartDownloadSubmissionDocument(Handler<void(StatusOr<BlobInfo>)> handler,
                                                  CallOptions call_options, std::string tenant,
                                                  std::string submission, std::string digest,
                                                  std::filesystem::path path, ProgressFn progress) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core,
        core->DownloadSubmissionDocument(std::move(tenant), std::move(submission), std::move(digest),
                                         std::move(path), std::move(progress)),
        std::move(handler));
}

void AsyncClient::StartCommitDecisionContent(Handler<void(StatusOr<CommitResult>)> handler,
                                             CallOptions call_options, std::string tenant,
                                             std::string submission, std::string content, SigningKey signer) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core,
        core->CommitDecisionContent(std::move(tenant), std::move(submission), std::move(content),
                                    std::move(signer)),
        std::move(handler));
}

void AsyncClient::StartGetDecisionBundle(Handler<void(StatusOr<DecisionBundle>)> handler,
                                         CallOptions call_options, std::string tenant, std::string submission,
                                         uint64_t version) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core, core->GetDecisionBundle(std::move(tenant), std::move(submission), version), std::move(handler));
}

void AsyncClient::StartListRelianceAgreements(Handler<void(StatusOr<std::vector<JsonText>>)> handler,
                                              CallOptions call_options, std::string tenant) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core, core->ListRelianceAgreements(std::move(tenant)), std::move(handler));
}

void AsyncClient::StartRevokeRelianceAgreement(Handler<void(StatusOr<JsonText>)> handler,
                                               CallOptions call_options, std::string tenant,
                                               std::string peer) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core, core->RevokeRelianceAgreement(std::move(tenant), std::move(peer)), std::move(handler));
}

void AsyncClient::StartRedlineDocument(Handler<void(Status)> handler, CallOptions call_options,
                                       std::string tenant, std::string dossier, uint64_t from, uint64_t to,
                                       std::string format, std::filesystem::path path) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core,
        core->RedlineDocument(std::move(tenant), std::move(dossier), from, to, std::move(format),
                              std::move(path)),
        std::move(handler));
}

void AsyncClient::StartResponsePackage(Handler<void(Status)> handler, CallOptions call_options,
                                       std::string tenant, std::string dossier, uint64_t from, uint64_t to,
                                       std::filesystem::path reply_letter, std::filesystem::path path) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core,
        core->ResponsePackage(std::move(tenant), std::move(dossier), from, to, std::move(reply_letter),
                              std::move(path)),
        std::move(handler));
}

void AsyncClient::StartExportProfiles(Handler<void(StatusOr<JsonText>)> handler, CallOptions call_options) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core, core->ExportProfiles(), std::move(handler));
}

void AsyncClient::StartExportSubmissionWithProfile(Handler<void(Status)> handler, CallOptions call_options,
                                                   std::string tenant, std::string submission,
                                                   std::string format, std::string profile,
                                                   std::filesystem::path path) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core,
        core->ExportSubmissionWithProfile(std::move(tenant), std::move(submission), std::move(format),
                                          std::move(profile), std::move(path)),
        std::move(handler));
}

void AsyncClient::StartPostPerformanceReport(Handler<void(StatusOr<JsonText>)> handler,
                                             CallOptions call_options, std::string tenant, std::string plan,
                                             std::string report_json, SigningKey signer) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core,
        core->PostPerformanceReport(std::move(tenant), std::move(plan), std::move(report_json),
                                    std::move(signer)),
        std::move(handler));
}

void AsyncClient::StartPerformanceReports(Handler<void(StatusOr<JsonText>)> handler, CallOptions call_options,
                                          std::string tenant, std::string plan) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core, core->PerformanceReports(std::move(tenant), std::move(plan)), std::move(handler));
}

void AsyncClient::StartAlerts(Handler<void(StatusOr<JsonText>)> handler, CallOptions call_options,
                              std::string tenant) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core, core->Alerts(std::move(tenant)), std::move(handler));
}

void AsyncClient::StartRecordLedgerEvent(Handler<void(StatusOr<CommitResult>)> handler,
                                         CallOptions call_options, std::string tenant, JsonText event,
                                         SigningKey signer) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core, core->RecordLedgerEvent(std::move(tenant), std::move(event), std::move(signer)),
        std::move(handler));
}

void AsyncClient::StartGetLedger(Handler<void(StatusOr<JsonText>)> handler, CallOptions call_options,
                                 std::string tenant, std::string submission, std::string as_of) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core, core->GetLedger(std::move(tenant), std::move(submission), std::move(as_of)),
        std::move(handler));
}

void AsyncClient::StartGetClock(Handler<void(StatusOr<JsonText>)> handler, CallOptions call_options,
                                std::string tenant, std::string submission, std::string as_of) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core, core->GetClock(std::move(tenant), std::move(submission), std::move(as_of)), std::move(handler));
}

void AsyncClient::StartTenantLedger(Handler<void(StatusOr<JsonText>)> handler, CallOptions call_options,
                                    std::string tenant, std::string dossier, std::string as_of) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core, core->TenantLedger(std::move(tenant), std::move(dossier), std::move(as_of)),
        std::move(handler));
}

void AsyncClient::StartListComments(Handler<void(StatusOr<JsonText>)> handler, CallOptions call_options,
                                    std::string tenant, std::string submission) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core, core->ListComments(std::move(tenant), std::move(submission)), std::move(handler));
}

void AsyncClient::StartOpenCommentThread(Handler<void(StatusOr<JsonText>)> handler, CallOptions call_options,
                                         std::string tenant, std::string submission,
                                         NewCommentThread thread) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core, core->OpenCommentThread(std::move(tenant), std::move(submission), std::move(thread)),
        std::move(handler));
}

void AsyncClient::StartReplyToComment(Handler<void(StatusOr<JsonText>)> handler, CallOptions call_options,
                                      std::string tenant, std::string submission, std::string thread,
                                      std::string text) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core,
        core->ReplyToComment(std::move(tenant), std::move(submission), std::move(thread), std::move(text)),
        std::move(handler));
}

void AsyncClient::StartSetCommentResolved(Handler<void(StatusOr<JsonText>)> handler, CallOptions call_options,
                                          std::string tenant, std::string submission, std::string thread,
                                          bool resolved) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core, core->SetCommentResolved(std::move(tenant), std::move(submission), std::move(thread), resolved),
        std::move(handler));
}

void AsyncClient::StartDraftAiRequest(Handler<void(StatusOr<JsonText>)> handler, CallOptions call_options,
                                      std::string tenant, std::string submission, std::string occurred_on,
                                      std::string due_on) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core,
        core->DraftAiRequest(std::move(tenant), std::move(submission), std::move(occurred_on),
                             std::move(due_on)),
        std::move(handler));
}

void AsyncClient::StartSetReviewTimeline(Handler<void(StatusOr<JsonText>)> handler, CallOptions call_options,
                                         std::string tenant, JsonText timeline) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core, core->SetReviewTimeline(std::move(tenant), std::move(timeline)), std::move(handler));
}

void AsyncClient::StartCall(Handler<void(StatusOr<RawResponse>)> handler, CallOptions call_options,
                            std::string method, std::string target, std::string body) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core, core->CallRaw(std::move(method), std::move(target), std::move(body)), std::move(handler));
}

void AsyncClient::StartListReviewTimelines(Handler<void(StatusOr<std::vector<JsonText>>)> handler,
                                           CallOptions call_options, std::string tenant) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core, core->ListReviewTimelines(std::move(tenant)), std::move(handler));
}

void AsyncClient::StartAuditLog(Handler<void(StatusOr<std::vector<JsonText>>)> handler,
                                CallOptions call_options, std::string tenant) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core, core->AuditLog(std::move(tenant)), std::move(handler));
}

void AsyncClient::StartListSubmissionsPage(Handler<void(StatusOr<SubmissionPage>)> handler,
                                           CallOptions call_options, std::string tenant,
                                           std::string page_token, int page_size) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core, core->ListSubmissionsPage(std::move(tenant), std::move(page_token), page_size),
        std::move(handler));
}
void AsyncClient::StartInboxPage(Handler<void(StatusOr<SubmissionPage>)> handler, CallOptions call_options,
                                 std::string tenant, std::string page_token, int page_size) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core, core->InboxPage(std::move(tenant), std::move(page_token), page_size), std::move(handler));
}
void AsyncClient::StartTenantLedgerPage(Handler<void(StatusOr<JsonPage>)> handler, CallOptions call_options,
                                        std::string tenant, std::string dossier, std::string as_of,
                                        std::string page_token, int page_size) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core,
        core->TenantLedgerPage(std::move(tenant), std::move(dossier), std::move(as_of), std::move(page_token),
                               page_size),
        std::move(handler));
}
void AsyncClient::StartListModificationsPage(Handler<void(StatusOr<JsonPage>)> handler,
                                             CallOptions call_options, std::string tenant, std::string plan,
                                             std::string page_token, int page_size) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core,
        core->ListModificationsPage(std::move(tenant), std::move(plan), std::move(page_token), page_size),
        std::move(handler));
}
void AsyncClient::StartPerformanceReportsPage(Handler<void(StatusOr<JsonPage>)> handler,
                                              CallOptions call_options, std::string tenant, std::string plan,
                                              std::string page_token, int page_size) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core,
        core->PerformanceReportsPage(std::move(tenant), std::move(plan), std::move(page_token), page_size),
        std::move(handler));
}
void AsyncClient::StartAlertsPage(Handler<void(StatusOr<JsonPage>)> handler, CallOptions call_options,
                                  std::string tenant, std::string page_token, int page_size) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core, core->AlertsPage(std::move(tenant), std::move(page_token), page_size), std::move(handler));
}
void AsyncClient::StartListReviewTimelinesPage(Handler<void(StatusOr<JsonPage>)> handler,
                                               CallOptions call_options, std::string tenant,
                                               std::string page_token, int page_size) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core, core->ListReviewTimelinesPage(std::move(tenant), std::move(page_token), page_size),
        std::move(handler));
}
void AsyncClient::StartAuditLogPage(Handler<void(StatusOr<JsonPage>)> handler, CallOptions call_options,
                                    std::string tenant, std::string page_token, int page_size) {
  auto core = core_->ForCall(std::move(call_options));
  Spawn(core, core->AuditLogPage(std::move(tenant), std::move(page_token), page_size), std::move(handler));
}

}  // namespace dossier::client
