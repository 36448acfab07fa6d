// The JSON shapes of the submission routes (server/submissions.cc) for
// /openapi.json: what Submit reads, the stored record as either party sees it
// (SubmissionRoutes::View), and the decisions list.
#include "dossier/v1/decision.pb.h"
#include "server/openapi_schemas.h"

namespace dossier::server {

void AddSubmissionSchemas(ApiServices& services) {
  AddProtoSchemas(services, *v1::Decision::descriptor());
  services.AddSchema("SubmissionCreate",
                     R"json({"type":"object","required":["dossier","version","agency","pathway"],
    "properties":{"dossier":{"type":"string"},"version":{"type":"integer","minimum":1},
      "agency":{"type":"string","description":"the regulator or notified body tenant on this node"},
      "pathway":{"type":"string","description":"one the agency offers for the device's class (schema/translate/data/pathways.tsv)"},
      "changePlan":{"type":"string"},"changePlanVersion":{"type":"integer","minimum":1},
      "note":{"type":"string"}}})json");
  services.AddSchema("SubmissionPlanAttach",
                     R"json({"type":"object","required":["changePlan","changePlanVersion"],
    "properties":{"changePlan":{"type":"string"},"changePlanVersion":{"type":"integer","minimum":1}}})json");
  services.AddSchema("Submission", R"json({"type":"object",
    "required":["id","manufacturer","dossier","version","contentDigest","agency","pathway","status","submittedAt"],
    "properties":{"id":{"type":"string"},"manufacturer":{"type":"string"},"dossier":{"type":"string"},
      "version":{"type":"integer"},"contentDigest":{"$ref":"#/components/schemas/Digest"},
      "mediaType":{"type":"string"},"tocEdition":{"type":"string"},"agency":{"type":"string"},
      "agencyJurisdiction":{"type":"string"},"pathway":{"type":"string"},"note":{"type":"string"},
      "changePlan":{"type":"string"},"changePlanVersion":{"type":"integer"},"changePlanDigest":{"type":"string"},
      "sectionDigests":{"type":"object","additionalProperties":{"type":"string"}},
      "documents":{"type":"array","items":{"type":"string"},"description":"the regulator's view only: the documents it may read"},
      "status":{"type":"string","enum":["SUBMITTED","UNDER_REVIEW","DECIDED","WITHDRAWN"]},
      "submittedAt":{"type":"string","format":"date-time"},"updatedAt":{"type":"string","format":"date-time"},
      "exportProfiles":{"type":"object","additionalProperties":{"type":"string"},
        "description":"the export profile of each format, pinned at submission (docs/EXPORT_PROFILES.md)"},
      "clock":{"$ref":"#/components/schemas/ClockSummary"},
      "decision":{"type":"object","properties":{"outcome":{"type":"string"},"number":{"type":"string"},
        "date":{"type":"string"},"conditions":{},"version":{"type":"integer"},"logIndex":{"type":"integer"}}}}})json");
  services.AddSchema("SubmissionList", R"json({"type":"object","required":["submissions"],
    "properties":{"submissions":{"type":"array","items":{"$ref":"#/components/schemas/Submission"}},
      "nextPageToken":{"type":"string"}}})json");
  services.AddSchema("DecisionList", R"json({"type":"object","required":["decisions"],
    "properties":{"decisions":{"type":"array","items":{"allOf":[{"$ref":"#/components/schemas/Version"},
      {"type":"object","properties":{"decision":{"$ref":"#/components/schemas/dossier.v1.Decision"},
        "envelope":{"$ref":"#/components/schemas/DsseEnvelope"}}}]}}}})json");
}

}  // namespace dossier::server
