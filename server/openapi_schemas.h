// The JSON Schemas of /openapi.json that several route families share (the
// signed-commit request and answer, DSSE envelopes, problems, version lists,
// the log's answers), and the protobuf-derived content schemas. A family's
// own request and answer shapes are added by the family itself
// (ApiServices::AddSchema, next to the handler that serves them); routes name
// schemas by the constants below or by their own names.
#pragma once

#include <google/protobuf/descriptor.h>

#include <string_view>

#include "server/api_services.h"

namespace dossier::server {

namespace schemas {
inline constexpr const char* kProblem = "Problem";
inline constexpr const char* kEnvelope = "DsseEnvelope";
inline constexpr const char* kCommitRequest = "CommitRequest";
inline constexpr const char* kVersion = "Version";
inline constexpr const char* kCommitted = "CommittedVersion";
inline constexpr const char* kVersionList = "VersionList";
inline constexpr const char* kBundle = "Bundle";
inline constexpr const char* kLogPublicKey = "LogPublicKey";
inline constexpr const char* kInclusionProof = "InclusionProof";
inline constexpr const char* kConsistencyProof = "ConsistencyProof";
inline constexpr const char* kReadinessReport = "ReadinessReport";
}  // namespace schemas

// Adds the shared schemas above (before any family's routes).
void AddSharedSchemas(ApiServices& services);

// Adds the JSON-mapping schema of `message` and of every message it uses
// (schema/json_schema.h), named by full name ("dossier.v1.Dossier").
void AddProtoSchemas(ApiServices& services, const google::protobuf::Descriptor& message);

// The schemas of the families whose files would otherwise pass ~500 lines.
void AddSubmissionSchemas(ApiServices& services);  // submission_schemas.cc
void AddRelianceSchemas(ApiServices& services);    // reliance_schemas.cc

// The OpenAPI query parameters shared by every paged list.
std::vector<QueryParam> PagingQuery();
// The Idempotency-Key request header of every signed-commit route (signed_commit.cc).
std::vector<QueryParam> IdempotencyKeyHeader();

}  // namespace dossier::server
