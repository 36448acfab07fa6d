// The checks a submission passes at the door (POST /v1/tenants/{t}/submissions),
// before anything is written: the pathway is one the agency offers for the
// device's class (schema/translate/data/pathways.tsv, with citations), and the
// same dossier version is not already open at the same agency.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "dossier/v1/dossier.pb.h"
#include "server/http_types.h"
#include "storage/store.h"

namespace dossier::server {

// The readiness agency ("FDA", "EU", "HSA") of a regulator tenant's
// jurisdiction ("US", "EU", "SG"); "" for any other.
std::string ReadinessAgencyOf(std::string_view jurisdiction);

// InvalidArgument "unknown-pathway" / "pathway-not-offered" (field "pathway")
// when `pathway` is not offered for the device's class by the agency of
// `jurisdiction`. A regulator of another jurisdiction has no table: any
// pathway passes.
Status CheckPathwayAtDoor(const v1::Dossier& dossier, std::string_view jurisdiction,
                          std::string_view pathway);

// The id of `manufacturer`'s open submission (SUBMITTED or UNDER_REVIEW, no
// decision recorded) of `dossier` version `version` to `agency`, if any.
StatusOr<std::optional<std::string>> OpenSubmissionOf(const storage::Store& store,
                                                      const std::string& manufacturer,
                                                      const std::string& dossier, uint64_t version,
                                                      const std::string& agency);

// The 409 problem+json for a second submission of the same version: reason
// "already-submitted", field "version", and an "existingSubmission" member
// (with a Location header) naming the open one.
Response DuplicateSubmissionResponse(const std::string& manufacturer, const std::string& existing_id,
                                     const std::string& dossier, uint64_t version, const std::string& agency,
                                     std::string_view instance);

}  // namespace dossier::server
