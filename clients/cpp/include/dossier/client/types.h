// Values exchanged with a Dossier Exchange server (API.md, "Wire formats").
//
// Each result struct holds the members the SDK understands plus `json_text`,
// the whole object as the server sent it, as JSON text, so callers can read
// members added by later servers without waiting for an SDK release. Calls
// whose answer has no typed struct return that JSON text (JsonText) itself.
// JSON is always text in this API: parse it with the JSON library you use; the
// SDK's headers do not depend on one (clients/cpp/README.md, "Results and JSON").
//
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "trust/bundle.h"
#include "trust/checkpoint.h"
#include "trust/keys.h"

namespace dossier::client {

// JSON text: one UTF-8 JSON value (an object, for every answer of the API), as
// the server sent it or as the SDK re-serialised it from the answer (a member
// of a list: one item of the list). As an argument, JSON text the SDK parses
// before sending anything: a text that is not a JSON object is an
// InvalidArgument (reason "invalid-argument") and no request is made.
using JsonText = std::string;

// Called during long transfers with bytes done and the total (0 when not
// known). Runs on the thread that drives the transfer; keep it cheap.
using ProgressFn = std::function<void(uint64_t done, uint64_t total)>;

// Produces the bytes of an upload as it is sent: writes up to buffer.size()
// bytes into `buffer` and returns how many; 0 means the end. An error ends
// the upload and is returned by the call unchanged. Called on the thread that
// drives the transfer, one buffer (64 KiB) at a time, never again after 0 or
// an error: the bytes are sent once (the upload is not retried once sending
// began), so the producer need not be able to rewind.
using BodyProducer = std::function<StatusOr<size_t>(std::span<char> buffer)>;

// Receives the records of a streamed answer one at a time, as they arrive
// (Client::ImportRecords): `record_json` is the JSON text of one record, without
// its line end, valid only during the call. Returning a non-OK Status stops the
// call (its connection is closed) and the call returns that Status. Called on
// the thread that drives the transfer.
using RecordFn = std::function<Status(std::string_view record_json)>;

// The versioned object kinds of the API: ".../dossiers/{d}" and
// ".../change-plans/{p}".
enum class ObjectKind { kDossier, kChangePlan };
// "dossiers" / "change-plans".
std::string_view CollectionName(ObjectKind kind);

// Content media types (API.md).
inline constexpr std::string_view kDossierJson = "application/vnd.dossier.v1+json";
inline constexpr std::string_view kDossierProtobuf = "application/vnd.dossier.v1+protobuf";
inline constexpr std::string_view kChangePlanJson = "application/vnd.dossier.change-plan.v1+json";

struct Tenant {
  std::string id;
  std::string display_name;
  std::string kind;  // MANUFACTURER | REGULATOR | NOTIFIED_BODY
  std::string jurisdiction;
  JsonText json_text;  // the whole object
};

struct NewTenant {
  std::string id;  // [a-z0-9-]{1,64}
  std::string display_name;
  std::string kind = "MANUFACTURER";
  std::string jurisdiction;  // optional
};

struct TokenInfo {
  std::string id;
  std::string role;  // ADMIN | EDITOR | REVIEWER | VIEWER
  std::string label;
  std::string secret;  // only in the answer to CreateToken
  bool revoked = false;
  JsonText json_text;      // the whole object
  std::string revoked_at;  // RFC 3339; "" while not revoked (then `revoked` is false)
};

struct KeyInfo {
  std::string key_id;  // hex SHA-256 of the DER SubjectPublicKeyInfo
  std::string algorithm;
  std::string label;
  std::string public_key_pem;
  uint64_t log_index = 0;
  bool revoked = false;
  JsonText json_text;      // the whole object
  std::string revoked_at;  // RFC 3339; "" while not revoked (then `revoked` is false)
};

struct BlobInfo {
  std::string digest;  // "sha256:<hex>"
  uint64_t size = 0;
  bool created = false;  // uploads: true when this call stored new bytes
};

// A dossier or change plan (its latest state).
struct ObjectInfo {
  std::string id;
  std::string title;
  uint64_t head_version = 0;  // 0 before the first commit
  std::string head_digest;    // "" before the first commit
  std::string etag;
  JsonText json_text;  // the whole object
};

struct ObjectPage {
  std::vector<ObjectInfo> items;
  std::string next_page_token;  // "" on the last page
};

struct VersionInfo {
  uint64_t version = 0;
  std::string digest;  // content digest
  std::string parent_digest;
  std::string media_type;
  std::string signer_key_id;
  uint64_t log_index = 0;
  std::string created_at;
  std::string message;
  JsonText json_text;  // the whole object
};

struct VersionPage {
  std::vector<VersionInfo> versions;
  std::string next_page_token;  // "" on the last page
};

// One version with its envelope and content (canonical JSON, re-serialised
// by the server: compare digests against GetVersionContent's bytes, not this).
struct Version {
  VersionInfo info;
  JsonText envelope_json_text;  // the DSSE envelope
  JsonText content_json_text;   // the content, as JSON
};

struct Receipt {
  uint64_t log_index = 0;
  std::string leaf_hash;  // 32 raw bytes
  std::string origin;
  std::string signature;  // raw bytes, by the log key over trust::ReceiptMessage
  std::string key_id;
  // True when the client checked `signature` against the log key it pinned.
  bool signature_verified = false;
};

// What to commit: the content bytes exactly as they will be signed.
struct CommitRequest {
  std::string tenant{};
  ObjectKind kind = ObjectKind::kDossier;
  std::string id{};
  std::string content{};  // bytes of a dossier.v1.Dossier (or ChangePlan)
  std::string media_type = std::string(kDossierJson);
  std::string message{};  // optional, shown in history
  // The version to create and its parent. Default (nullopt): the next version
  // after the current head, as read from the server just before committing.
  std::optional<uint64_t> version{};
  std::optional<std::string> parent_digest{};
  // Sent as the Idempotency-Key header (1-128 characters [A-Za-z0-9._:-]).
  // Default (empty): derived from the statement ("stmt-" + 32 hex digits of
  // its SHA-256), so re-running the same commit — same version, parent and
  // content — answers the original receipt whatever the key type. Give your
  // own (e.g. your job's id) to tie a commit to a unit of work of yours.
  std::string idempotency_key{};
};

struct CommitResult {
  VersionInfo version;
  Receipt receipt;
  // True when the server answered 200: this statement had already been
  // committed (the same envelope, or the same Idempotency-Key and statement),
  // nothing new was written; `receipt` is the original one.
  bool already_committed = false;
  // The server's whole answer. Some routes add members beside the receipt
  // (a performance report: "evaluation" and "alerts").
  JsonText answer_json_text;
};

// A version's offline bundle, parsed, with its JSON text exactly as the
// server sent it (what `dossier bundle` saves).
struct FetchedBundle {
  trust::Bundle bundle;
  std::string json;
};

struct LogPublicKey {
  trust::PublicKey key;
  std::string origin;  // also the note key name of checkpoints
  std::string key_id;
  std::string note_verifier_key;
};

// ---- submissions, decisions, reliance (API.md "Submissions", "Reliance")

// What a manufacturer submits: one committed dossier version, to one agency.
struct NewSubmission {
  std::string dossier;
  uint64_t version = 0;  // >= 1, committed
  std::string agency;    // the regulator's tenant id
  std::string pathway;   // e.g. "510k-traditional", "abridged"
  // Optional: a committed change-plan version submitted with the dossier
  // (the regulator reads it through the submission), and a free-text note.
  std::string change_plan;
  uint64_t change_plan_version = 0;  // >= 1 when change_plan is set
  std::string note;
};

// A submission as the caller's tenant holds it: the manufacturer's outbox entry
// or the regulator's inbox entry.
struct Submission {
  std::string id;
  std::string manufacturer;
  std::string agency;
  std::string dossier;
  uint64_t version = 0;
  std::string pathway;
  std::string status;          // SUBMITTED | UNDER_REVIEW | DECIDED | WITHDRAWN
  std::string content_digest;  // of the submitted dossier version
  std::string media_type;      // of the submitted dossier version
  std::string change_plan;     // "" when none was submitted
  uint64_t change_plan_version = 0;
  // IMDRF section code -> digest of that section, as recorded by the node at
  // submission time (what a regulator's decision can attest it reviewed).
  std::map<std::string, std::string> section_digests;
  JsonText json_text;  // the whole object
};

// One page of a paged list (client.h "Paged lists"): the items and the token
// of the next page ("" on the last page). SubmissionPage for the submission
// lists, JsonPage (one JSON object per item, as text) for the others.
struct SubmissionPage {
  std::vector<Submission> items;
  std::string next_page_token;  // "" on the last page
};
struct JsonPage {
  std::vector<JsonText> items;
  std::string next_page_token;  // "" on the last page
};

inline constexpr std::string_view kDecisionJson = "application/vnd.dossier.decision.v1+json";
inline constexpr std::string_view kPerformanceReportJson =
    "application/vnd.dossier.performance-report.v1+json";

// ---- correspondence (docs/CORRESPONDENCE.md)
// A ledger event is JSON: {"submission","type","occurredOn", ...type's members}.
inline constexpr std::string_view kLedgerEventJson = "application/vnd.dossier.ledger-event.v1+json";

// A comment thread to open on a ToC heading of a submitted version.
struct NewCommentThread {
  std::string heading;   // e.g. "2.04.01"
  std::string document;  // optional "sha256:..." of a document of the submission
  std::string text;
};

// One section of a review report. `digest` (optional) is the section digest
// the regulator reviewed, taken from Submission::section_digests: signing it
// is what lets a relying regulator see which sections are identical.
struct DecisionSection {
  std::string code;
  std::string outcome;  // free text, e.g. "ACCEPTABLE"
  std::string notes;
  std::string digest;
};

// The content of a signed decision (dossier.v1.Decision).
struct Decision {
  std::string submission;  // must be the submission the decision is recorded on
  std::string outcome;     // CLEARED | APPROVED | CERTIFIED | REGISTERED | REFUSED
  std::string number;      // the agency's reference, e.g. "K261234"
  std::string date;        // YYYY-MM-DD
  std::vector<DecisionSection> sections;
};

// Lets `peer` (another regulator tenant of this node) read this regulator's
// feed of decisions.
struct NewRelianceAgreement {
  std::string peer;
  bool include_review_reports = true;  // the decision content (with section digests) travels in the feed
  std::vector<std::string> outcomes;   // empty: every outcome
  std::string valid_until;             // RFC 3339; empty: no end
};

// A remote regulator's node whose feed this regulator pulls and verifies.
struct NewPeer {
  std::string url;     // the remote node, "https://..."
  std::string tenant;  // the remote regulator's tenant id
  std::string token;   // a credential on the remote node covered by its agreement; never shown back
  std::string log_public_key_pem;  // the remote node's log key, obtained out of band
};

struct Peer {
  std::string id;
  std::string url;
  std::string tenant;
  std::string status;               // PENDING | OK | RETRYING | REJECTED
  std::string error;                // why, when RETRYING or REJECTED
  std::string origin;               // the remote log's origin, once verified
  uint64_t last_seq = 0;            // the remote feed position applied
  uint64_t verified_tree_size = 0;  // the remote checkpoint last verified
  uint64_t entries = 0;             // verified entries stored
  JsonText json_text;               // the whole object
};

struct SectionComparison {
  std::string code;
  bool identical = false;
  std::string only_in;  // "" when both have it; "peer" or "this submission"
};

// A verified foreign decision on the same device as a local submission,
// compared section by section.
struct ForeignDecision {
  std::string peer;
  std::string peer_tenant;
  std::string peer_origin;
  std::string outcome;
  std::string number;
  std::string date;
  uint64_t log_index = 0;  // in the peer's log
  // "regulator-signed": the peer's digests come from its signed review
  // report; "node": from what its node recorded at submission time.
  std::string attestation;
  uint64_t identical_sections = 0;
  uint64_t different_sections = 0;
  std::vector<SectionComparison> sections;
  JsonText json_text;  // the whole object
};

// A decision's offline bundle, rebuilt from the deciding regulator's feed
// (the bundle's JSON is what `dossier decisions bundle` saves), with the
// decision content exactly as signed ("" when the feed did not carry it).
struct DecisionBundle {
  trust::Bundle bundle;
  std::string json;
  std::string content;
};

struct RawResponse {
  int status = 0;
  std::string content_type;
  std::string body;
};

}  // namespace dossier::client
