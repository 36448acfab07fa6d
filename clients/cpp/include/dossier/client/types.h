// Values exchanged with a Dossier Exchange server (API.md, "Wire formats").
//
// Each result struct holds the members the SDK understands plus `json`, the
// whole object as the server sent it, so callers can read members added by
// later servers without waiting for an SDK release.
//
// Thread-safety: plain values.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "trust/checkpoint.h"
#include "trust/keys.h"

namespace dossier::client {

// Called during long transfers with bytes done and the total (0 when not
// known). Runs on the thread that drives the transfer; keep it cheap.
using ProgressFn = std::function<void(uint64_t done, uint64_t total)>;

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
  boost::json::object json;
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
  boost::json::object json;
};

struct KeyInfo {
  std::string key_id;  // hex SHA-256 of the DER SubjectPublicKeyInfo
  std::string algorithm;
  std::string label;
  std::string public_key_pem;
  uint64_t log_index = 0;
  bool revoked = false;
  boost::json::object json;
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
  boost::json::object json;
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
  boost::json::object json;
};

struct VersionPage {
  std::vector<VersionInfo> versions;
  std::string next_page_token;  // "" on the last page
};

// One version with its envelope and content (canonical JSON, re-serialised
// by the server: compare digests against GetVersionContent's bytes, not this).
struct Version {
  VersionInfo info;
  boost::json::value envelope;
  boost::json::value content;
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
  std::string tenant;
  ObjectKind kind = ObjectKind::kDossier;
  std::string id;
  std::string content;  // bytes of a dossier.v1.Dossier (or ChangePlan)
  std::string media_type = std::string(kDossierJson);
  std::string message;  // optional, shown in history
  // The version to create and its parent. Default (nullopt): the next version
  // after the current head, as read from the server just before committing.
  std::optional<uint64_t> version;
  std::optional<std::string> parent_digest;
};

struct CommitResult {
  VersionInfo version;
  Receipt receipt;
  // True when the server answered 200: this exact envelope had already been
  // committed (a retried commit), nothing new was written.
  bool already_committed = false;
};

struct LogPublicKey {
  trust::PublicKey key;
  std::string origin;  // also the note key name of checkpoints
  std::string key_id;
  std::string note_verifier_key;
};

struct RawResponse {
  int status = 0;
  std::string content_type;
  std::string body;
};

}  // namespace dossier::client
