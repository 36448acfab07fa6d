#include "server/openapi_schemas.h"

#include <boost/json.hpp>

#include "schema/json_schema.h"

namespace dossier::server {
namespace json = boost::json;

namespace {

// JSON Schemas (2020-12) of the shapes api_core.cc, signed_commit.cc,
// trust/bundle.h and log_routes.cc serve. "sha256:<hex>" references share
// one pattern.
constexpr const char* kShared[][2] = {
    {schemas::kProblem, R"json({"type":"object","required":["type","title","status","code"],
      "description":"RFC 9457 problem; code is the stable reason, field the JSON path or parameter at fault",
      "properties":{"type":{"type":"string"},"title":{"type":"string"},"status":{"type":"integer"},
        "detail":{"type":"string"},"code":{"type":"string"},"field":{"type":"string"},
        "instance":{"type":"string"},
        "existingSubmission":{"type":"string","description":"for code already-submitted: the open submission"}}})json"},
    {"Digest", R"json({"type":"string","pattern":"^sha256:[0-9a-f]{64}$"})json"},
    {schemas::kEnvelope, R"json({"type":"object","required":["payloadType","payload","signatures"],
      "description":"DSSE envelope; signatures cover PAE(payloadType, payload)",
      "properties":{"payloadType":{"type":"string"},"payload":{"type":"string","contentEncoding":"base64"},
        "signatures":{"type":"array","minItems":1,"items":{"type":"object","required":["sig"],
          "properties":{"keyid":{"type":"string"},"sig":{"type":"string","contentEncoding":"base64"}}}}}})json"},
    {schemas::kCommitRequest, R"json({"type":"object","required":["contentDigest","mediaType","envelope"],
      "description":"A signed version: the content (uploaded as a blob) and a DSSE envelope over a statement naming tenant, object, version, parent digest, content digest and media type. If-Match: the expected head digest.",
      "properties":{"contentDigest":{"$ref":"#/components/schemas/Digest"},"mediaType":{"type":"string"},
        "envelope":{"$ref":"#/components/schemas/DsseEnvelope"},"message":{"type":"string"}}})json"},
    {schemas::kVersion, R"json({"type":"object","required":["version","digest","mediaType","logIndex"],
      "properties":{"version":{"type":"integer","minimum":1},"digest":{"$ref":"#/components/schemas/Digest"},
        "parentDigest":{"type":"string"},"mediaType":{"type":"string"},"signerKeyId":{"type":"string"},
        "logIndex":{"type":"integer","minimum":0},"createdAt":{"type":"string","format":"date-time"},
        "message":{"type":"string"}}})json"},
    {schemas::kCommitted, R"json({"allOf":[{"$ref":"#/components/schemas/Version"},{"type":"object",
      "required":["receipt"],"properties":{"receipt":{"type":"object","required":["logIndex","leafHash"],
        "properties":{"logIndex":{"type":"integer"},"leafHash":{"type":"string","contentEncoding":"base64"},
          "origin":{"type":"string"},"signature":{"type":"string","contentEncoding":"base64"},
          "keyId":{"type":"string"}}}}}]})json"},
    {schemas::kVersionList, R"json({"type":"object","required":["versions"],
      "properties":{"versions":{"type":"array","items":{"$ref":"#/components/schemas/Version"}},
        "nextPageToken":{"type":"string"}}})json"},
    {"LogLeaf", R"json({"type":"object","properties":{"kind":{"type":"string"},"tenant":{"type":"string"},
      "object":{"type":"string"},"version":{"type":"integer"},"contentDigest":{"type":"string"},
      "envelopeDigest":{"type":"string"},"timestampMs":{"type":"integer"}}})json"},
    {schemas::kBundle, R"json({"type":"object","description":"Offline verification bundle (trust/bundle.h)",
      "required":["contentDigest","mediaType","envelope","signerPublicKeyPem","leaf","logIndex","inclusionProof","checkpoint"],
      "properties":{"contentDigest":{"$ref":"#/components/schemas/Digest"},"mediaType":{"type":"string"},
        "envelope":{"$ref":"#/components/schemas/DsseEnvelope"},"signerPublicKeyPem":{"type":"string"},
        "signerKeyLeaf":{"$ref":"#/components/schemas/LogLeaf"},"signerKeyLogIndex":{"type":"integer"},
        "signerKeyInclusionProof":{"type":"array","items":{"type":"string"}},
        "signerKeyRevocation":{"type":"object"},"leaf":{"$ref":"#/components/schemas/LogLeaf"},
        "logIndex":{"type":"integer"},"inclusionProof":{"type":"array","items":{"type":"string"}},
        "checkpoint":{"type":"string","description":"C2SP signed note"}}})json"},
    {schemas::kLogPublicKey,
     R"json({"type":"object","required":["publicKeyPem","origin","keyId","noteVerifierKey"],
      "properties":{"publicKeyPem":{"type":"string"},"keyName":{"type":"string"},"origin":{"type":"string"},
        "keyId":{"type":"string"},"noteVerifierKey":{"type":"string"}}})json"},
    {schemas::kInclusionProof, R"json({"type":"object","required":["leafIndex","treeSize","hashes"],
      "properties":{"leafIndex":{"type":"integer"},"treeSize":{"type":"integer"},
        "hashes":{"type":"array","items":{"type":"string","contentEncoding":"base64"}}}})json"},
    {schemas::kConsistencyProof, R"json({"type":"object","required":["fromSize","toSize","hashes"],
      "properties":{"fromSize":{"type":"integer"},"toSize":{"type":"integer"},
        "hashes":{"type":"array","items":{"type":"string","contentEncoding":"base64"}}}})json"},
    {"FieldChange", R"json({"type":"object","required":["path","old","new"],
      "properties":{"path":{"type":"string"},"old":{"type":"string"},"new":{"type":"string"}}})json"},
    // schema/diff.cc DiffToJson.
    {"SectionDiff", R"json({"type":"object","required":["sections","changedFields","fields","from","to"],
      "properties":{"from":{"type":"integer"},"to":{"type":"integer"},
        "changedFields":{"type":"array","items":{"type":"string"}},
        "fields":{"type":"array","items":{"$ref":"#/components/schemas/FieldChange"},"description":"dossier-level fields"},
        "sections":{"type":"array","items":{"type":"object",
          "required":["code","kind","documentsAdded","documentsRemoved","dataChanged","documents","dataFields"],
          "properties":{"code":{"type":"string"},"title":{"type":"string"},
          "kind":{"type":"string","enum":["ADDED","REMOVED","MODIFIED"]},
          "documentsAdded":{"type":"array","items":{"type":"string"}},
          "documentsRemoved":{"type":"array","items":{"type":"string"}},"dataChanged":{"type":"boolean"},
          "documents":{"type":"array","items":{"type":"object","required":["change"],
            "properties":{"change":{"type":"string","enum":["ADDED","REMOVED","CHANGED"]},
              "fileName":{"type":"string"},"title":{"type":"string"},"oldDigest":{"type":"string"},
              "newDigest":{"type":"string"}}}},
          "dataFields":{"type":"array","items":{"$ref":"#/components/schemas/FieldChange"}}}}}}})json"},
    // schema/translate/readiness.cc ReadinessToJson (docs/REGULATORY.md, "The readiness answer").
    {schemas::kReadinessReport, R"json({"type":"object",
      "required":["agency","pathway","edition","asOf","ready","missingCount","advisoryMissingCount","items"],
      "properties":{"agency":{"type":"string"},"pathway":{"type":"string"},"edition":{"type":"string"},
        "asOf":{"type":"string","format":"date"},"ready":{"type":"boolean"},
        "missingCount":{"type":"integer"},"advisoryMissingCount":{"type":"integer"},
        "items":{"type":"array","items":{"type":"object",
          "required":["id","title","status","citation","source","section","binding","edition","verification","verified","advisory"],
          "properties":{"id":{"type":"string"},"title":{"type":"string"},
            "status":{"type":"string","enum":["present","missing","advised","not-applicable"]},
            "citation":{"type":"string"},"tocCode":{"type":"string"},"detail":{"type":"string"},
            "source":{"type":"string"},"section":{"type":"string"},
            "binding":{"type":"string","enum":["law","regulation","standard","final-guidance","draft-guidance","non-binding"]},
            "edition":{"type":"string"},"effective":{"type":"string"},"verification":{"type":"string"},
            "verified":{"type":"boolean"},"advisory":{"type":"boolean"}}}}}})json"},
};

}  // namespace

void AddSharedSchemas(ApiServices& services) {
  for (const auto& [name, text] : kShared) services.AddSchema(name, text);
}

void AddProtoSchemas(ApiServices& services, const google::protobuf::Descriptor& message) {
  json::object defs;
  schema::AddProtoJsonSchemas(message, "#/components/schemas/", defs);
  for (const auto& [name, def] : defs) services.AddSchema(std::string(name), json::serialize(def));
}

std::vector<QueryParam> PagingQuery() {
  return {{.name = "pageSize",
           .description = "items per page (server default and maximum apply)",
           .type = "integer"},
          {.name = "pageToken", .description = "nextPageToken of the previous page"}};
}

std::vector<QueryParam> IdempotencyKeyHeader() {
  return {{.name = "Idempotency-Key",
           .description =
               "1-128 characters [A-Za-z0-9._:-], stored with the version it commits. Re-sending "
               "the same statement with the same key answers 200 with the original receipt (also "
               "after a restart, whatever the signature scheme); the same key with another statement "
               "for that version, or for the next one, answers 422 idempotency-key-reused",
           .allowed = {},
           .in = "header"}};
}

}  // namespace dossier::server
