// dossier::client::Client: the synchronous C++ SDK for a Dossier Exchange
// server (API.md). See async_client.h for the asynchronous form.
//
//   ClientOptions options;
//   options.base_url = "http://127.0.0.1:8080";
//   options.token = "dxt_...";
//   auto client = Client::Create(options);
//   if (!client.ok()) ...;
//   auto key = trust::PrivateKey::Generate(trust::KeyAlgorithm::kEd25519);
//   (*client)->RegisterKey("acme", key->public_key(), "release");
//   CommitRequest commit{.tenant = "acme", .id = "cxr", .content = json};
//   auto result = (*client)->Commit(commit, *key);
//
// Ownership: Create returns the only owner of the client. The client borrows
// nothing from the caller; PrivateKeys passed in are only used during the call.
//
// Thread-safety: all methods may be called from any thread. Calls on one Client
// are serialised (one at a time, keeping connections alive between them); use
// several Clients, or AsyncClient, for parallel requests.
//
// Mocking: Client implements ClientInterface (client_interface.h); write your
// code against ClientInterface& and test it with testing::FakeClient
// (dossier/client/testing/fake_client.h).
//
// Per-call options: every call takes a CallOptions last (call_options.h):
// deadline/timeout of the whole call, retry limit, Idempotency-Key.
//
// JSON: results carry the server's answer as JSON text (JsonText, types.h):
// typed structs in `json_text`, and the calls without a typed result return
// the JSON text of the answer itself. JSON arguments (RecordLedgerEvent's
// event, SetReviewTimeline's timeline) are JSON text of an object; any other
// text is InvalidArgument "bad-json" before a request is sent.
//
// Implementation: a Client is an AsyncClient (async_client.h) run on a private
// io_context by the calling thread, which waits for each call's callback. A
// ProgressFn therefore runs on the calling thread, inside the call; if it
// calls the same Client again, that nested call fails at once with reason
// "reentrant-call" (FAILED_PRECONDITION) instead of deadlocking.
//
// Errors: every method returns a Status (or StatusOr). When the server refused
// the request, the Status carries the problem document's stable `code` as
// reason() (e.g. "parent-mismatch", "signature-invalid"), its `detail` as
// message() and its `field` as field(); the canonical code follows the HTTP
// status (404 -> NOT_FOUND, 401 -> UNAUTHENTICATED, 412 -> FAILED_PRECONDITION,
// 409 -> ALREADY_EXISTS, ...). When the server could not be reached the reason
// is one of kTransportReasons (IsTransportError() is true). Local problems
// (unreadable file) have reason "io-error". Nothing throws.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "dossier/client/call_options.h"
#include "dossier/client/client_interface.h"
#include "dossier/client/options.h"
#include "dossier/client/signer.h"
#include "dossier/client/types.h"
#include "dossier/client/verify.h"
#include "trust/bundle.h"
#include "trust/keys.h"

namespace dossier::client {

// Reasons of failures to reach the server: "connect-failed" (refused,
// unreachable, DNS), "timeout" (no progress within the configured time),
// "tls-failed" (handshake or certificate), "connection-lost" (closed mid-way),
// "proxy-failed" (the proxy refused the CONNECT tunnel).
bool IsTransportError(const Status& status);

class AsyncClient;

class Client final : public ClientInterface {
 public:
  // Validates `options` (URL, TLS files). Reasons "bad-url", "io-error",
  // "tls-failed". Does not contact the server.
  static StatusOr<std::unique_ptr<Client>> Create(ClientOptions options);
  ~Client() override;
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  const ClientOptions& options() const;

  // ---- service
  // GET /readyz: OK when the server answers and its store is ready.
  Status Ready(const CallOptions& call_options = {}) override;

  // ---- tenants (operator token)
  StatusOr<Tenant> CreateTenant(const NewTenant& tenant, const CallOptions& call_options = {}) override;
  StatusOr<Tenant> GetTenant(const std::string& tenant, const CallOptions& call_options = {}) override;
  StatusOr<std::vector<Tenant>> ListTenants(const CallOptions& call_options = {}) override;

  // ---- tokens (operator or tenant admin). role: ADMIN|EDITOR|REVIEWER|VIEWER.
  // The answer's `secret` is the only time the token is shown.
  StatusOr<TokenInfo> CreateToken(const std::string& tenant, const std::string& role,
                                  const std::string& label, const CallOptions& call_options = {}) override;
  StatusOr<std::vector<TokenInfo>> ListTokens(const std::string& tenant,
                                              const CallOptions& call_options = {}) override;
  Status RevokeToken(const std::string& tenant, const std::string& token_id,
                     const CallOptions& call_options = {}) override;

  // ---- signing keys (tenant admin)
  StatusOr<KeyInfo> RegisterKey(const std::string& tenant, const trust::PublicKey& key,
                                const std::string& label, const CallOptions& call_options = {}) override;
  StatusOr<std::vector<KeyInfo>> ListKeys(const std::string& tenant,
                                          const CallOptions& call_options = {}) override;
  StatusOr<KeyInfo> GetKey(const std::string& tenant, const std::string& key_id,
                           const CallOptions& call_options = {}) override;
  // Revokes from `revoked_at` (RFC 3339), or from now when empty.
  StatusOr<KeyInfo> RevokeKey(const std::string& tenant, const std::string& key_id,
                              const std::string& revoked_at = {},
                              const CallOptions& call_options = {}) override;

  // ---- blobs (documents), addressed by "sha256:<hex>"
  // HEAD: the blob's size, or nullopt when the tenant does not have it.
  StatusOr<std::optional<BlobInfo>> StatBlob(const std::string& tenant, const std::string& digest,
                                             const CallOptions& call_options = {}) override;
  // Streams `path` to the server. The digest is computed first by streaming
  // the file (never whole in memory), then the file is streamed again as the
  // body; the server rechecks it. Idempotent (retried).
  StatusOr<BlobInfo> UploadFile(const std::string& tenant, const std::filesystem::path& path,
                                ProgressFn progress = nullptr, const CallOptions& call_options = {}) override;
  // Same as UploadFile but skips the upload when the server already has the
  // blob (HEAD first). `created` tells which happened.
  StatusOr<BlobInfo> UploadFileIfMissing(const std::string& tenant, const std::filesystem::path& path,
                                         ProgressFn progress = nullptr,
                                         const CallOptions& call_options = {}) override;
  StatusOr<BlobInfo> UploadBytes(const std::string& tenant, const std::string& bytes,
                                 const CallOptions& call_options = {}) override;
  // Uploads what `producer` produces (no file, never the whole body in
  // memory), sent chunked to POST /v1/tenants/{t}/blobs; the SHA-256 is
  // computed while sending and must be the digest the server stored it under
  // ("digest-mismatch" otherwise). `progress` gets bytes sent and total 0.
  // Retried only when the connection could not be opened (nothing produced yet).
  StatusOr<BlobInfo> UploadFromProducer(const std::string& tenant, BodyProducer producer,
                                        ProgressFn progress = nullptr,
                                        const CallOptions& call_options = {}) override;
  // Downloads to `path`. When `path` already holds a prefix of the blob (an
  // interrupted download) only the rest is requested (Range). The finished
  // file is checked against `digest`; on mismatch it is removed and the reason
  // is "digest-mismatch".
  StatusOr<BlobInfo> DownloadToFile(const std::string& tenant, const std::string& digest,
                                    const std::filesystem::path& path, ProgressFn progress = nullptr,
                                    const CallOptions& call_options = {}) override;
  // Small blobs only (bounded by max_response_bytes); checked against `digest`.
  StatusOr<std::string> DownloadBytes(const std::string& tenant, const std::string& digest,
                                      const CallOptions& call_options = {}) override;

  // ---- dossiers and change plans
  StatusOr<ObjectInfo> CreateDossier(const std::string& tenant, const std::string& id,
                                     const std::string& title = {},
                                     const CallOptions& call_options = {}) override;
  StatusOr<ObjectInfo> CreateChangePlan(const std::string& tenant, const std::string& id,
                                        const std::string& dossier, const std::string& title = {},
                                        const CallOptions& call_options = {}) override;
  StatusOr<ObjectInfo> GetObject(const std::string& tenant, ObjectKind kind, const std::string& id,
                                 const CallOptions& call_options = {}) override;
  StatusOr<ObjectPage> ListObjects(const std::string& tenant, ObjectKind kind,
                                   const std::string& page_token = {}, int page_size = 0,
                                   const CallOptions& call_options = {}) override;

  // ---- versions
  // Uploads the content as a blob, builds the statement (API.md "Statement"),
  // signs the DSSE envelope with `signer` (Ed25519 or P-256) and commits it,
  // with an Idempotency-Key derived from the envelope. Retried commits are
  // safe: the server answers a re-posted envelope with the same receipt
  // (already_committed). Reasons from the server include "parent-mismatch" and
  // "version-mismatch" (someone else committed first), "missing-blob",
  // "signature-invalid", "unknown-key", "key-revoked".
  StatusOr<CommitResult> Commit(const CommitRequest& request, const SigningKey& signer,
                                const CallOptions& call_options = {}) override;
  StatusOr<VersionPage> ListVersions(const std::string& tenant, ObjectKind kind, const std::string& id,
                                     const std::string& page_token = {}, int page_size = 0,
                                     const CallOptions& call_options = {}) override;
  // Every version, following nextPageToken.
  StatusOr<std::vector<VersionInfo>> AllVersions(const std::string& tenant, ObjectKind kind,
                                                 const std::string& id,
                                                 const CallOptions& call_options = {}) override;
  StatusOr<Version> GetVersion(const std::string& tenant, ObjectKind kind, const std::string& id,
                               uint64_t version, const CallOptions& call_options = {}) override;
  // The content bytes exactly as signed; checked against the version digest.
  StatusOr<std::string> GetVersionContent(const std::string& tenant, ObjectKind kind, const std::string& id,
                                          uint64_t version, const CallOptions& call_options = {}) override;
  // Section-level differences ({"sections": [...], "changedFields": [...]}).
  StatusOr<JsonText> Diff(const std::string& tenant, const std::string& dossier, uint64_t from, uint64_t to,
                          const CallOptions& call_options = {}) override;

  // ---- verification
  // The offline bundle of a version; `raw_json` (optional) receives it as sent.
  StatusOr<trust::Bundle> GetBundle(const std::string& tenant, ObjectKind kind, const std::string& id,
                                    uint64_t version, std::string* raw_json = nullptr,
                                    const CallOptions& call_options = {}) override;
  // Fetches the bundle and the content, verifies both with trust::VerifyBundle
  // against the log key (one of ClientOptions::log_trust's pinned keys valid
  // when the version was logged; the server's key on first use without pins),
  // checks that the verified statement is `expected` (verify.h: tenant,
  // object, version and, when given, the allowed signer key ids; reasons
  // "unexpected-tenant", "unexpected-object", "unexpected-version",
  // "unexpected-signer", "identity-required" without a version), and checks
  // the bundle's checkpoint against the last one this client saw
  // (consistency proof).
  StatusOr<trust::BundleVerification> VerifyVersion(const ExpectedIdentity& expected,
                                                    const CallOptions& call_options = {}) override;
  // The same, expecting exactly the version asked for, signed by any key of the tenant.
  StatusOr<trust::BundleVerification> VerifyVersion(const std::string& tenant, ObjectKind kind,
                                                    const std::string& id, uint64_t version,
                                                    const CallOptions& call_options = {}) override;

  // ---- transparency log
  // The log key. The first answer is pinned for the client's lifetime: a
  // later, different key is refused (reason "log-key-changed").
  StatusOr<LogPublicKey> GetLogPublicKey(const CallOptions& call_options = {}) override;
  // The latest checkpoint, verified with the log key; when this client (or
  // the checkpoint_file) remembers an earlier one, a consistency proof from it
  // is fetched and checked ("consistency-proof-invalid", "log-rollback") before
  // the new one is remembered.
  StatusOr<trust::Checkpoint> GetCheckpoint(const CallOptions& call_options = {}) override;
  // Verifies that `checkpoint` (already signature-checked) extends the last
  // checkpoint remembered for this server, then remembers it.
  Status CheckAndRememberCheckpoint(const trust::Checkpoint& checkpoint,
                                    const CallOptions& call_options = {}) override;
  StatusOr<std::vector<std::string>> GetInclusionProof(uint64_t leaf_index, uint64_t tree_size,
                                                       const CallOptions& call_options = {}) override;
  StatusOr<std::vector<std::string>> GetConsistencyProof(uint64_t from_size, uint64_t to_size,
                                                         const CallOptions& call_options = {}) override;

  // ---- regional views (routes built by the readiness/export/import issue)
  // GET .../versions/{n}/export?format=F streamed to `path`.
  Status Export(const std::string& tenant, const std::string& dossier, uint64_t version,
                const std::string& format, const std::filesystem::path& path, ProgressFn progress = nullptr,
                const CallOptions& call_options = {}) override;
  // POST /v1/tenants/{t}/imports?format=F with `path` streamed as the body.
  // The answer is JSON or NDJSON (one record per line), returned as text:
  // this call holds the WHOLE answer in memory (bounded by
  // max_response_bytes), so it suits small inputs; for a many-record input
  // (a GUDID release) use ImportRecords, which hands on each record as it
  // arrives. A many-record answer the server cut short (the input broke
  // after its first 64 KiB of answer; docs/CONTRACT.md) fails with the
  // problem the server's last line names (e.g. reason "bad-xml", field
  // "line 603").
  StatusOr<RawResponse> Import(const std::string& tenant, const std::string& format,
                               const std::filesystem::path& path, ProgressFn progress = nullptr,
                               const CallOptions& call_options = {}) override;
  // The streaming form of Import: the same request, and each record of the
  // answer handed to `on_record` as it arrives, never the whole answer in
  // memory (one record, bounded by max_response_bytes, and the transport's
  // 64 KiB buffer). A many-record answer (application/x-ndjson) gives one call
  // per line, in order, with the line's JSON text (no line end); each line
  // is handed on once the next one has begun, so the last record waits for
  // the end of the answer. A single-record answer (application/json) gives
  // exactly one call, with the whole body, at its end. Returns OK after the
  // last record was handed on.
  //   - `on_record` returning non-OK stops the import at once: the
  //     connection is closed (the server stops parsing) and that Status is
  //     returned.
  //   - A refusal before any record (a 4xx problem: bad format, malformed
  //     input early on) is returned as by Import; no record is handed on.
  //   - An answer the server cut short returns the problem of its last line
  //     as Import does (e.g. reason "bad-xml", field "line 603", HTTP 400);
  //     that line never reaches `on_record`, the records before it did.
  //   - Not retried once the answer's header arrived (records may have been
  //     handed on); connecting and 429/503 answers are retried as usual.
  // `on_record` runs on the calling thread, inside this call, like a
  // ProgressFn (a nested call on this Client fails "reentrant-call"); a null
  // `on_record` discards the records (the input is only checked).
  Status ImportRecords(const std::string& tenant, const std::string& format,
                       const std::filesystem::path& path, const RecordFn& on_record,
                       ProgressFn progress = nullptr, const CallOptions& call_options = {}) override;
  StatusOr<JsonText> Readiness(const std::string& tenant, const std::string& dossier, uint64_t version,
                               const std::string& agency, const std::string& pathway = {},
                               const CallOptions& call_options = {}) override;

  // ---- submissions and decisions
  // POST /v1/tenants/{t}/submissions (manufacturer EDITOR): grants the agency
  // read access to exactly that version and its documents. Reasons include
  // "unknown-agency", "not-found" (no such committed version).
  StatusOr<Submission> Submit(const std::string& tenant, const NewSubmission& submission,
                              const CallOptions& call_options = {}) override;
  // The regulator's received submissions (GET /v1/tenants/{t}/inbox).
  StatusOr<std::vector<Submission>> Inbox(const std::string& tenant,
                                          const CallOptions& call_options = {}) override;
  // One submission as `tenant` holds it (outbox or inbox), with its status.
  StatusOr<Submission> GetSubmission(const std::string& tenant, const std::string& submission,
                                     const CallOptions& call_options = {}) override;
  // Signs and records a decision on a submission `tenant` received (REVIEWER):
  // serialises `decision` as JSON, uploads it, signs a statement naming
  // "submissions/{s}/decisions" with `signer` (a registered key of `tenant`)
  // and commits it as the next version of that object (the version after the
  // latest decision, read just before). The receipt is checked like Commit's.
  // Reasons include "statement-mismatch" (decision.submission differs),
  // "withdrawn", "parent-mismatch" (someone decided concurrently),
  // "signature-invalid", "unknown-key".
  StatusOr<CommitResult> CommitDecision(const std::string& tenant, const Decision& decision,
                                        const SigningKey& signer,
                                        const CallOptions& call_options = {}) override;
  // Every decision version on the submission, oldest first (both parties).
  StatusOr<std::vector<VersionInfo>> ListDecisions(const std::string& tenant, const std::string& submission,
                                                   const CallOptions& call_options = {}) override;

  // ---- reliance between regulators
  // The granting regulator (tenant admin) lets another regulator tenant of
  // this node read its feed. Answers the stored agreement. Reasons include
  // "unknown-peer", "not-a-regulator".
  StatusOr<JsonText> CreateRelianceAgreement(const std::string& tenant, const NewRelianceAgreement& agreement,
                                             const CallOptions& call_options = {}) override;
  // The pulling regulator (tenant admin) starts pulling a remote node's feed.
  // Pulling runs in the background on the server; poll GetPeer for progress.
  // Reasons include "bad-url", "unsupported-key" (the log key is not Ed25519).
  StatusOr<Peer> AddPeer(const std::string& tenant, const NewPeer& peer,
                         const CallOptions& call_options = {}) override;
  StatusOr<Peer> GetPeer(const std::string& tenant, const std::string& peer_id,
                         const CallOptions& call_options = {}) override;
  StatusOr<std::vector<Peer>> ListPeers(const std::string& tenant,
                                        const CallOptions& call_options = {}) override;
  // Verified foreign decisions on the same device as a submission `tenant`
  // received, each compared with it section by section
  // (GET /v1/tenants/{t}/submissions/{s}/reliance). Empty until a peer's
  // decision on that device has been pulled and verified.
  StatusOr<std::vector<ForeignDecision>> Reliance(const std::string& tenant, const std::string& submission,
                                                  const CallOptions& call_options = {}) override;

  // ---- the whole workflow without curl (issue 15)
  // Change plans are created with CreateChangePlan and committed with Commit
  // (kind kChangePlan, media type kChangePlanJson); their history, versions
  // and bundles are the object calls above.
  //
  // POST .../change-plans/{p}/modifications with `record_json` as written
  // (schema/pccp/evaluate.h documents the record; "planVersion" names a
  // stored version number or the plan's own label). Answers the evaluation:
  // {"withinPlan", "changeClass", "findings", "jurisdictions", "actions", ...,
  // "id", "planVersion", "planDigest"}. Reasons include "bad-modification"
  // (with the record's JSON path in field()), "unknown-version".
  StatusOr<JsonText> RecordModification(const std::string& tenant, const std::string& plan,
                                        const std::string& record_json,
                                        const CallOptions& call_options = {}) override;
  // Every recorded modification of a plan, oldest first: {"id", "record", "evaluation"}.
  StatusOr<std::vector<JsonText>> ListModifications(const std::string& tenant, const std::string& plan,
                                                    const CallOptions& call_options = {}) override;
  // The manufacturer's submissions (its outbox), each with its status and,
  // once decided, the decision's outcome, number and date.
  StatusOr<std::vector<Submission>> ListSubmissions(const std::string& tenant,
                                                    const CallOptions& call_options = {}) override;
  // The submitting manufacturer withdraws a submission that is not decided
  // (reasons "already-decided", "not-submitter").
  StatusOr<Submission> WithdrawSubmission(const std::string& tenant, const std::string& submission,
                                          const CallOptions& call_options = {}) override;
  // The submitting manufacturer attaches a signed change-plan version to a
  // submission that is not decided or withdrawn; the regulator may then read
  // it like one named at submission. The plan already attached again is a
  // no-op; another one is refused ("change-plan-attached", 409), as are a
  // plan of another dossier ("plan-of-another-dossier") and a version that
  // does not exist ("unknown-version").
  StatusOr<Submission> AttachChangePlan(const std::string& tenant, const std::string& submission,
                                        const std::string& plan, uint64_t plan_version,
                                        const CallOptions& call_options = {}) override;
  // The receiving regulator marks a submission as under review ("withdrawn").
  StatusOr<Submission> StartReview(const std::string& tenant, const std::string& submission,
                                   const CallOptions& call_options = {}) override;
  // Readiness of the submitted version for the receiving regulator: by
  // default its own agency (from its jurisdiction) and the submission's
  // pathway; `agency` / `pathway` override them.
  StatusOr<JsonText> SubmissionReadiness(const std::string& tenant, const std::string& submission,
                                         const std::string& agency = {}, const std::string& pathway = {},
                                         const CallOptions& call_options = {}) override;
  // The submitted version as an agency package, streamed to `path`.
  Status ExportSubmission(const std::string& tenant, const std::string& submission, const std::string& format,
                          const std::filesystem::path& path, ProgressFn progress = nullptr,
                          const CallOptions& call_options = {}) override;
  // The submitted dossier version's bytes exactly as signed, checked against
  // the submission's contentDigest ("digest-mismatch").
  StatusOr<std::string> GetSubmissionContent(const std::string& tenant, const std::string& submission,
                                             const CallOptions& call_options = {}) override;
  // A document of the submitted version (only those the submission grants),
  // to `path`, resumable and digest-checked like DownloadToFile.
  StatusOr<BlobInfo> DownloadSubmissionDocument(const std::string& tenant, const std::string& submission,
                                                const std::string& digest, const std::filesystem::path& path,
                                                ProgressFn progress = nullptr,
                                                const CallOptions& call_options = {}) override;
  // CommitDecision for decision content the caller already has as bytes (a
  // decision file, dossier.v1.Decision JSON): signed and committed exactly
  // as given, so the signature covers the file the reviewer wrote.
  StatusOr<CommitResult> CommitDecisionContent(const std::string& tenant, const std::string& submission,
                                               const std::string& content, const SigningKey& signer,
                                               const CallOptions& call_options = {}) override;
  // The offline bundle of decision version `version` (>= 1) on a submission
  // `tenant` received, rebuilt from `tenant`'s feed (a decision enters the
  // feed with the next checkpoint). Verify it with trust::VerifyBundle.
  StatusOr<DecisionBundle> GetDecisionBundle(const std::string& tenant, const std::string& submission,
                                             uint64_t version, const CallOptions& call_options = {}) override;
  // The granting regulator's agreements: {"peer", "grantor",
  // "includeReviewReports", "outcomes"?, "validUntil"?, "createdAt"}.
  StatusOr<std::vector<JsonText>> ListRelianceAgreements(const std::string& tenant,
                                                         const CallOptions& call_options = {}) override;
  // Ends the agreement with `peer` now (POST …/reliance-agreements/{peer}:revoke):
  // the server sets validUntil and revokedAt to now and keeps its scope and
  // createdAt; the peer's feed reads are refused from then on. One already
  // ended is answered as it is. Reason "not-found" when there is no agreement
  // with `peer`.
  StatusOr<JsonText> RevokeRelianceAgreement(const std::string& tenant, const std::string& peer,
                                             const CallOptions& call_options = {}) override;
  // ---- after submission: redlines and response packages (issue 16 item 4)
  // The section diff of two dossier versions as a redline document, `format`
  // "html" or "pdf", written to `path` (the JSON redline is Diff). Reasons
  // include "unknown-format", "pdf-renderer-unavailable".
  Status RedlineDocument(const std::string& tenant, const std::string& dossier, uint64_t from, uint64_t to,
                         const std::string& format, const std::filesystem::path& path,
                         const CallOptions& call_options = {}) override;
  // Uploads `reply_letter` and writes the response package (ZIP: the letter,
  // redline JSON and PDF, every added or replaced document, the signed
  // versions and their bundles, manifest.json with SHA-256 digests) to `path`.
  Status ResponsePackage(const std::string& tenant, const std::string& dossier, uint64_t from, uint64_t to,
                         const std::filesystem::path& reply_letter, const std::filesystem::path& path,
                         const CallOptions& call_options = {}) override;

  // ---- export profiles (issue 16 item 5)
  // {"profiles": [{"format", "name", "title", "default", "verification", ...}]}
  StatusOr<JsonText> ExportProfiles(const CallOptions& call_options = {}) override;
  // A received submission in an agency's format, streamed to `path`: in the
  // profile pinned at submission unless `profile` names another.
  Status ExportSubmissionWithProfile(const std::string& tenant, const std::string& submission,
                                     const std::string& format, const std::string& profile,
                                     const std::filesystem::path& path,
                                     const CallOptions& call_options = {}) override;

  // ---- post-market performance and drift alerts (issue 16 item 6)
  // Signs `report_json` (schema/pccp/post_market.h's report) with `signer` as
  // the next performance report of change plan `plan` and commits it; answers
  // the server's answer: the version, receipt (checked like Commit's),
  // "evaluation" and the "alerts" raised. Reasons include
  // "bad-performance-report", "unreleased-version".
  StatusOr<JsonText> PostPerformanceReport(const std::string& tenant, const std::string& plan,
                                           const std::string& report_json, const SigningKey& signer,
                                           const CallOptions& call_options = {}) override;
  // {"reports": [{version..., "report", "evaluation", "alert"?}]}
  StatusOr<JsonText> PerformanceReports(const std::string& tenant, const std::string& plan,
                                        const CallOptions& call_options = {}) override;
  // {"alerts": [...]}: raised for `tenant` on this node, then relayed from peers.
  StatusOr<JsonText> Alerts(const std::string& tenant, const CallOptions& call_options = {}) override;

  // ---- correspondence ledger, review clocks, section comments (docs/CORRESPONDENCE.md)
  // Signs `event` ({"submission","type","occurredOn",...}; types: the
  // manufacturer's sent | response | withdrawal, the receiving regulator's
  // acknowledged | screening | ai-request) with `signer` and records it as the
  // next version of `tenant`'s ledger object on the submission (read just
  // before). Reasons include "not-your-event", "submission-closed",
  // "unknown-heading", "unknown-request", "request-answered",
  // "incomplete-response", "unknown-version", "parent-mismatch".
  StatusOr<CommitResult> RecordLedgerEvent(const std::string& tenant, const JsonText& event,
                                           const SigningKey& signer,
                                           const CallOptions& call_options = {}) override;
  // The merged ledger of one submission with its review clock; `as_of`
  // ("YYYY-MM-DD", today when empty) is the day the clock is read at.
  StatusOr<JsonText> GetLedger(const std::string& tenant, const std::string& submission,
                               const std::string& as_of = {}, const CallOptions& call_options = {}) override;
  // The review clock as the agency counts it: state, elapsed, goal, holds, deadlines, cited rules.
  StatusOr<JsonText> GetClock(const std::string& tenant, const std::string& submission,
                              const std::string& as_of = {}, const CallOptions& call_options = {}) override;
  // Every submission's ledger and clock: a manufacturer's across agencies
  // (`dossier` narrows to one device), a regulator's own.
  StatusOr<JsonText> TenantLedger(const std::string& tenant, const std::string& dossier = {},
                                  const std::string& as_of = {},
                                  const CallOptions& call_options = {}) override;
  // Comment threads ({"threads":[...]}) of a submission: its two parties, or
  // a relying regulator whose agreement includes review reports.
  StatusOr<JsonText> ListComments(const std::string& tenant, const std::string& submission,
                                  const CallOptions& call_options = {}) override;
  StatusOr<JsonText> OpenCommentThread(const std::string& tenant, const std::string& submission,
                                       const NewCommentThread& thread,
                                       const CallOptions& call_options = {}) override;
  StatusOr<JsonText> ReplyToComment(const std::string& tenant, const std::string& submission,
                                    const std::string& thread, const std::string& text,
                                    const CallOptions& call_options = {}) override;
  StatusOr<JsonText> SetCommentResolved(const std::string& tenant, const std::string& submission,
                                        const std::string& thread, bool resolved,
                                        const CallOptions& call_options = {}) override;
  // An unsigned ai-request event drafted from the open threads (the receiving
  // regulator); sign and record it with RecordLedgerEvent.
  StatusOr<JsonText> DraftAiRequest(const std::string& tenant, const std::string& submission,
                                    const std::string& occurred_on = {}, const std::string& due_on = {},
                                    const CallOptions& call_options = {}) override;
  // A notified body's contractual review timeline ({pathway, manufacturer?,
  // reviewDays, dayKind, responseDays?, source}); tenant ADMIN.
  StatusOr<JsonText> SetReviewTimeline(const std::string& tenant, const JsonText& timeline,
                                       const CallOptions& call_options = {}) override;

  // A regulator's review timelines (SetReviewTimeline), every page:
  // {pathway, manufacturer?, reviewDays, dayKind, responseDays?, stopClock, source, ...}.
  StatusOr<std::vector<JsonText>> ListReviewTimelines(const std::string& tenant,
                                                      const CallOptions& call_options = {}) override;
  // The audit log, every page, oldest first: `tenant`'s (tenant ADMIN,
  // GET /v1/tenants/{t}/audit) or, with `tenant` "", the operator's (operator
  // token, GET /v1/audit). Each entry: {"seq", "time", "principal", "role",
  // "method", "route", "object", "status", "remote", "prevHash", "hash"}
  // (docs/OPERATIONS.md). The log grows with every request, reads included.
  StatusOr<std::vector<JsonText>> AuditLog(const std::string& tenant,
                                           const CallOptions& call_options = {}) override;

  // ---- paged lists, a page at a time
  // Every list route that pages has three forms besides its whole-list call:
  // a page-level call (`...Page`: one page and the next page's token; pass
  // "" for the first page and `page_size` 0 for the server's default), a
  // range on ClientInterface (paging.h) and a pager on AsyncClient
  // (async_paging.h). The table in clients/cpp/README.md names them all.
  // One page of ListSubmissions (the manufacturer's outbox).
  StatusOr<SubmissionPage> ListSubmissionsPage(const std::string& tenant, const std::string& page_token = {},
                                               int page_size = 0,
                                               const CallOptions& call_options = {}) override;
  // One page of Inbox (submissions addressed to the regulator `tenant`).
  StatusOr<SubmissionPage> InboxPage(const std::string& tenant, const std::string& page_token = {},
                                     int page_size = 0, const CallOptions& call_options = {}) override;
  // One page of TenantLedger: each item one submission's ledger and clock ("" dossier: every device;
  // "" as_of: today). A page may hold fewer items than page_size when `dossier` filters some out.
  StatusOr<JsonPage> TenantLedgerPage(const std::string& tenant, const std::string& dossier,
                                      const std::string& as_of, const std::string& page_token = {},
                                      int page_size = 0, const CallOptions& call_options = {}) override;
  // One page of ListModifications: {"id", "record", "evaluation"} per item, oldest first.
  StatusOr<JsonPage> ListModificationsPage(const std::string& tenant, const std::string& plan,
                                           const std::string& page_token = {}, int page_size = 0,
                                           const CallOptions& call_options = {}) override;
  // One page of PerformanceReports: {version..., "report", "evaluation", "alert"?} per item.
  StatusOr<JsonPage> PerformanceReportsPage(const std::string& tenant, const std::string& plan,
                                            const std::string& page_token = {}, int page_size = 0,
                                            const CallOptions& call_options = {}) override;
  // One page of Alerts: raised alerts first, then relayed ones (one cursor across both).
  StatusOr<JsonPage> AlertsPage(const std::string& tenant, const std::string& page_token = {},
                                int page_size = 0, const CallOptions& call_options = {}) override;
  // One page of ListReviewTimelines.
  StatusOr<JsonPage> ListReviewTimelinesPage(const std::string& tenant, const std::string& page_token = {},
                                             int page_size = 0,
                                             const CallOptions& call_options = {}) override;
  // One page of AuditLog.
  StatusOr<JsonPage> AuditLogPage(const std::string& tenant, const std::string& page_token = {},
                                  int page_size = 0, const CallOptions& call_options = {}) override;

  // ---- escape hatch for routes this SDK does not wrap yet
  // `target` is the path and query below the base URL ("/v1/..."). A JSON
  // `body` is sent as application/json when non-empty. Non-2xx answers are
  // returned as errors like every other call.
  StatusOr<RawResponse> Call(const std::string& method, const std::string& target,
                             const std::string& body = {}, const CallOptions& call_options = {}) override;

 private:
  struct Sync;
  Client(std::unique_ptr<Sync> sync, std::shared_ptr<AsyncClient> async);
  // Declared first so it is destroyed last: the client's sockets use its io_context.
  std::unique_ptr<Sync> sync_;
  std::shared_ptr<AsyncClient> async_;
};

}  // namespace dossier::client
