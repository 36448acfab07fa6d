// Shared by the routes that show a dossier in an agency's structure: the
// manufacturer's own export/readiness routes and the receiving regulator's
// submission views.
#pragma once

#include "dossier/v1/dossier.pb.h"
#include "server/api_services.h"

namespace dossier::server {

StatusOr<v1::Dossier> LoadDossierVersion(ApiServices& api, const std::string& tenant, const std::string& dossier,
                                         uint64_t version);
// What an export is made from: the dossier, the signed version it is (whose
// tenant's store also holds its documents), and the version's commit time
// (the time a format writes into the package, so the same version exports to
// the same bytes).
struct ExportSource {
  const v1::Dossier* dossier = nullptr;
  std::string tenant;
  std::string dossier_id;
  uint64_t version = 0;
  int64_t signed_ms = 0;
};
// ?format=[&profile=][&package=zip] export. The profile is ?profile= when
// given, else `pinned[format]` (a submission's pinned profiles; may be null),
// else the deployment's default (ServerOptions::export_profile_defaults, then
// the built-in default); the answer names it in X-Dossier-Export-Profile.
// ZIP packages (and fhir-r5 with package=zip) are bound to the signed version:
// manifest.json names it, manifest.sig.json is the log key's signature over
// the manifest, signed/ holds the bundle and the signed content
// (trust/export_package.h says how a reviewer verifies them offline).
StatusOr<Response> ExportResponse(ApiServices& api, const ExportSource& source, const Request& request,
                                  const std::string& file_stem, const boost::json::object* pinned = nullptr);
// The profile each export format uses by default now, {format: name}: what a
// submission pins when it is made.
StatusOr<boost::json::object> CurrentExportProfiles(ApiServices& api);
// What a submission pins: CurrentExportProfiles, with the formats `chosen`
// ({format: profile} from the request, may be null) names replaced. Errors
// name "exportProfiles.<format>".
StatusOr<boost::json::value> PinExportProfiles(ApiServices& api, const boost::json::value* chosen);
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
