// Shared by the routes that show a dossier in an agency's structure: the
// manufacturer's own export/readiness routes and the receiving regulator's
// submission views.
#pragma once

#include "dossier/v1/dossier.pb.h"
#include "server/api_services.h"

namespace dossier::server {

StatusOr<v1::Dossier> LoadDossierVersion(ApiServices& api, const std::string& tenant, const std::string& dossier,
                                         uint64_t version);
// ?format= export of `dossier`, documents read from `blob_tenant`'s store.
StatusOr<Response> ExportResponse(ApiServices& api, const std::string& blob_tenant, const v1::Dossier& dossier,
                                  const Request& request, const std::string& file_stem);
// ?agency=&pathway=&asOf= readiness, with defaults when the query omits them.
// The change plan the dossier names (ai.changePlan) is read from
// `plan_tenant`'s change plans (head version), so rules asking for a linked or
// authorised plan see the plan itself.
StatusOr<Response> ReadinessResponse(ApiServices& api, const std::string& plan_tenant, const v1::Dossier& dossier,
                                     const Request& request, const std::string& default_agency,
                                     const std::string& default_pathway);

}  // namespace dossier::server
