// Shared by the routes that show a dossier in an agency's structure: the
// manufacturer's own export/readiness routes and the receiving regulator's
// submission views.
#pragma once

#include "dossier/v1/dossier.pb.h"
#include "server/api_services.h"

namespace dossier::server {

StatusOr<v1::Dossier> LoadDossierVersion(ApiServices& api, const std::string& tenant,
                                         const std::string& dossier, uint64_t version);
// ?format=[&package=zip] export of `dossier` (version `version` of
// `tenant`'s dossier `dossier_id`, documents read from `tenant`'s store). ZIP
// packages (and fhir-r5 with package=zip) are bound to the signed version:
// manifest.json names it, manifest.sig.json is the log key's signature over
// the manifest, signed/ holds the bundle and the signed content
// (trust/export_package.h says how a reviewer verifies them offline).
StatusOr<Response> ExportResponse(ApiServices& api, const std::string& tenant, const std::string& dossier_id,
                                  uint64_t version, const v1::Dossier& dossier, const Request& request,
                                  const std::string& file_stem);
// ?agency=&pathway=&asOf= readiness, with defaults when the query omits them.
// The change plan the dossier names (ai.changePlan) is read from
// `plan_tenant`'s change plans (head version), so rules asking for a linked or
// authorised plan see the plan itself.
StatusOr<Response> ReadinessResponse(ApiServices& api, const std::string& plan_tenant,
                                     const v1::Dossier& dossier, const Request& request,
                                     const std::string& default_agency, const std::string& default_pathway);

// The query parameters of the export and readiness routes, for /openapi.json.
std::vector<QueryParam> ExportQuery();
std::vector<QueryParam> ReadinessQuery();

}  // namespace dossier::server
