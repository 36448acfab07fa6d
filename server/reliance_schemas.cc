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
      "revokedAt":{"type":"string","format":"date-time","description":"set by :revoke"},
      "outcomes":{"type":"array","items":{"type":"string"}}}})json");
  services.AddSchema("AgreementList", R"json({"type":"object","required":["agreements"],
    "properties":{"agreements":{"type":"array","items":{"$ref":"#/components/schemas/Agreement"}}}})json");
  // A feed entry's signer and its registration in the log
  // (log_evidence.cc SignerFeedJson).
  services.AddSchema("FeedSigner", R"json({"type":"object",
    "required":["keyId","publicKeyPem","logIndex","leafData","inclusionProof"],
    "properties":{"keyId":{"type":"string"},"publicKeyPem":{"type":"string"},"logIndex":{"type":"integer"},
      "leafData":{"type":"string","contentEncoding":"base64"},
      "inclusionProof":{"type":"array","items":{"type":"string","contentEncoding":"base64"}},
      "revocation":{"type":"object","required":["logIndex","leafData","inclusionProof"],
        "properties":{"logIndex":{"type":"integer"},"leafData":{"type":"string","contentEncoding":"base64"},
          "inclusionProof":{"type":"array","items":{"type":"string","contentEncoding":"base64"}}}}}})json");
  // A signed version with what proves it against the page's checkpoint
  // (drift_alerts.cc VersionFeedEvidence).
  services.AddSchema("FeedEvidence", R"json({"type":"object",
    "required":["object","version","contentDigest","mediaType","logIndex","leafData","inclusionProof","envelope","signer"],
    "properties":{"object":{"type":"string"},"version":{"type":"integer"},
      "contentDigest":{"$ref":"#/components/schemas/Digest"},"mediaType":{"type":"string"},
      "logIndex":{"type":"integer"},"leafData":{"type":"string","contentEncoding":"base64"},
      "inclusionProof":{"type":"array","items":{"type":"string","contentEncoding":"base64"}},
      "envelope":{"$ref":"#/components/schemas/DsseEnvelope"},
      "content":{"type":"string","contentEncoding":"base64"},
      "signer":{"$ref":"#/components/schemas/FeedSigner"}}})json");
  services.AddSchema("FeedEntry", R"json({"type":"object",
    "description":"A signed decision, its inclusion proof against the page's checkpoint and its signer's registration (server/log_evidence.h)",
    "required":["seq","object","version","contentDigest","mediaType","logIndex","leafData","envelope","inclusionProof","signer","outcome","number","date"],
    "properties":{"seq":{"type":"integer"},"object":{"type":"string","description":"submissions/{s}/decisions"},
      "version":{"type":"integer"},"contentDigest":{"$ref":"#/components/schemas/Digest"},"mediaType":{"type":"string"},
      "logIndex":{"type":"integer"},"leafData":{"type":"string","contentEncoding":"base64"},
      "envelope":{"$ref":"#/components/schemas/DsseEnvelope"},
      "inclusionProof":{"type":"array","items":{"type":"string","contentEncoding":"base64"}},
      "signer":{"$ref":"#/components/schemas/FeedSigner"},
      "outcome":{"type":"string"},"number":{"type":"string"},"date":{"type":"string"},
      "content":{"type":"string","contentEncoding":"base64","description":"the decision and review report, when the agreement includes review reports"},
      "reviewed":{"type":"object","description":"what was reviewed, as recorded at submission (not the content)",
        "properties":{"manufacturer":{"type":"string"},"dossierContentDigest":{"type":"string"},
          "tocEdition":{"type":"string"},"pathway":{"type":"string"},
          "sectionDigests":{"type":"object","additionalProperties":{"type":"string"}},
          "device":{"type":"object","additionalProperties":true,"description":"device identity (names, identifiers)"},
          "facts":{"type":"object","additionalProperties":true,"description":"intended use, indications, population, class"}}}}})json");
  services.AddSchema(
      "FeedPage",
      R"json({"type":"object","required":["entries","checkpoint","treeSize","nextSince","more","alerts","alertsNext","alertsMore"],
    "properties":{"entries":{"type":"array","items":{"$ref":"#/components/schemas/FeedEntry"}},
      "checkpoint":{"type":"string","description":"C2SP signed note every proof of the page is against"},
      "treeSize":{"type":"integer"},"nextSince":{"type":"integer"},"more":{"type":"boolean"},
      "alerts":{"type":"array","description":"drift alerts this regulator raised (server/drift_alerts.h)",
        "items":{"type":"object","required":["id","raisedAt","report","plan"],
          "properties":{"id":{"type":"string"},"raisedAt":{"type":"string","format":"date-time"},
            "report":{"$ref":"#/components/schemas/FeedEvidence"},"plan":{"$ref":"#/components/schemas/FeedEvidence"}}}},
      "alertsNext":{"type":"string","description":"pass as alertsAfter for the next alerts"},
      "alertsMore":{"type":"boolean"}}})json");
  services.AddSchema("PeerCreate",
                     R"json({"type":"object","required":["url","tenant","token","logPublicKeyPem"],
    "properties":{"url":{"type":"string","pattern":"^https?://"},"tenant":{"type":"string"},
      "token":{"type":"string"},"logPublicKeyPem":{"type":"string","description":"the remote node's Ed25519 log key"}}})json");
  services.AddSchema("Peer", R"json({"type":"object",
    "required":["id","url","tenant","logKeyId","status","lastSeq","verifiedTreeSize","entries","createdAt"],
    "properties":{"id":{"type":"string"},"url":{"type":"string"},"tenant":{"type":"string"},
      "logKeyId":{"type":"string","description":"the remote log key's id"},
      "status":{"type":"string","enum":["PENDING","OK","RETRYING","REJECTED"]},
      "lastSeq":{"type":"integer"},"verifiedTreeSize":{"type":"integer"},
      "verifiedRoot":{"type":"string","contentEncoding":"base64"},"origin":{"type":"string"},
      "entries":{"type":"integer","description":"decisions verified and stored"},
      "alertsAfter":{"type":"string"},"error":{"type":"string"},
      "createdAt":{"type":"string","format":"date-time"},"updatedAt":{"type":"string","format":"date-time"}}})json");
  services.AddSchema("PeerList", R"json({"type":"object","required":["peers"],
    "properties":{"peers":{"type":"array","items":{"$ref":"#/components/schemas/Peer"}}}})json");
  // Sameness (reliance_routes.cc): schema::SamenessView (schema/sameness.cc)
  // plus the foreign decision it compares with.
  services.AddSchema("RelianceView", R"json({"type":"object","required":["submission","decisions"],
    "properties":{"submission":{"type":"string"},"decisions":{"type":"array","items":{"type":"object",
      "required":["sameFacts","facts","identicalSections","differentSections","sections","peer","peerTenant","peerOrigin","outcome","number","date","logIndex","attestation"],
      "properties":{"peer":{"type":"string"},"peerTenant":{"type":"string"},"peerOrigin":{"type":"string"},
        "outcome":{"type":"string"},"number":{"type":"string"},"date":{"type":"string"},"logIndex":{"type":"integer"},
        "attestation":{"type":"string","enum":["regulator-signed","node"],
          "description":"whose section digests were compared: the regulator's signed decision, or its node's record"},
        "sameFacts":{"type":["boolean","null"],"description":"null when a fact is unknown on either side"},
        "facts":{"type":"array","items":{"type":"object","required":["fact","thisSubmission","peer","same"],
          "properties":{"fact":{"type":"string"},"thisSubmission":{"description":"the fact's value here"},
            "peer":{"description":"the fact's value at the peer"},"same":{"type":["boolean","null"]}}}},
        "identicalSections":{"type":"integer"},"differentSections":{"type":"integer"},
        "sections":{"type":"array","items":{"type":"object","required":["code","identical"],
          "properties":{"code":{"type":"string"},"identical":{"type":"boolean"},
            "onlyIn":{"type":"string","enum":["peer","this submission"]},
            "peerReview":{"type":"object","required":["outcome"],
              "properties":{"outcome":{"type":"string"},"notes":{"type":"string"}}}}}},
        "conditions":{"type":"array","items":{"type":"string"},"description":"when the agreement includes review reports"},
        "summary":{"type":"string"}}}}}})json");
}

}  // namespace dossier::server
