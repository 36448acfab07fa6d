// The JSON shapes of the reliance routes (server/reliance_routes.cc) for
// /openapi.json: agreements, the feed page, peers and their sync status.
#include "server/openapi_schemas.h"

namespace dossier::server {

void AddRelianceSchemas(ApiServices& services) {
  services.AddSchema("AgreementCreate", R"json({"type":"object","required":["peer"],
    "properties":{"peer":{"type":"string","description":"another regulator tenant"},
      "includeReviewReports":{"type":"boolean","default":true},
      "outcomes":{"type":"array","items":{"type":"string"}},"validUntil":{"type":"string","format":"date-time"}}})json");
  services.AddSchema("Agreement",
                     R"json({"type":"object","required":["peer","grantor","includeReviewReports"],
    "properties":{"peer":{"type":"string"},"grantor":{"type":"string"},"includeReviewReports":{"type":"boolean"},
      "createdAt":{"type":"string","format":"date-time"},"validUntil":{"type":"string"},
      "outcomes":{"type":"array","items":{"type":"string"}}}})json");
  services.AddSchema("AgreementList", R"json({"type":"object","required":["agreements"],
    "properties":{"agreements":{"type":"array","items":{"$ref":"#/components/schemas/Agreement"}}}})json");
  services.AddSchema(
      "FeedPage", R"json({"type":"object","required":["entries","checkpoint","treeSize","nextSince","more"],
    "properties":{"entries":{"type":"array","items":{"type":"object"},"description":"server/log_evidence.h"},
      "checkpoint":{"type":"string"},"treeSize":{"type":"integer"},"nextSince":{"type":"integer"},
      "more":{"type":"boolean"}}})json");
  services.AddSchema("PeerCreate",
                     R"json({"type":"object","required":["url","tenant","token","logPublicKeyPem"],
    "properties":{"url":{"type":"string","pattern":"^https?://"},"tenant":{"type":"string"},
      "token":{"type":"string"},"logPublicKeyPem":{"type":"string","description":"the remote node's Ed25519 log key"}}})json");
  services.AddSchema("Peer", R"json({"type":"object","required":["id","status"],
    "properties":{"id":{"type":"string"},"url":{"type":"string"},"tenant":{"type":"string"},
      "status":{"type":"string"},"lastSeq":{"type":"integer"},"verifiedTreeSize":{"type":"integer"},
      "error":{"type":"string"}}})json");
  services.AddSchema("PeerList", R"json({"type":"object","required":["peers"],
    "properties":{"peers":{"type":"array","items":{"$ref":"#/components/schemas/Peer"}}}})json");
  services.AddSchema("RelianceView", R"json({"type":"object","required":["submission","decisions"],
    "properties":{"submission":{"type":"string"},"decisions":{"type":"array","items":{"type":"object",
      "properties":{"peer":{"type":"string"},"peerTenant":{"type":"string"},"peerOrigin":{"type":"string"},
        "outcome":{"type":"string"},"number":{"type":"string"},"date":{"type":"string"},
        "sections":{"type":"array","items":{"type":"object","properties":{"code":{"type":"string"},
          "identical":{"type":"boolean"}}}}}}}}})json");
}

}  // namespace dossier::server
