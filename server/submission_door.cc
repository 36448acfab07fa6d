#include "server/submission_door.h"

#include <boost/json.hpp>

#include "schema/translate/pathways.h"
#include "server/problem.h"

namespace dossier::server {
namespace json = boost::json;

std::string ReadinessAgencyOf(std::string_view jurisdiction) {
  if (jurisdiction == "US") return "FDA";
  if (jurisdiction == "SG") return "HSA";
  if (jurisdiction == "EU") return "EU";
  return "";
}

Status CheckPathwayAtDoor(const v1::Dossier& dossier, std::string_view jurisdiction,
                          std::string_view pathway) {
  const std::string agency = ReadinessAgencyOf(jurisdiction);
  if (agency.empty()) return Status::Ok();
  return translate::CheckPathwayOffered(dossier, agency, pathway);
}

namespace {

std::string Member(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

}  // namespace

StatusOr<std::optional<std::string>> OpenSubmissionOf(const storage::Store& store,
                                                      const std::string& manufacturer,
                                                      const std::string& dossier, uint64_t version,
                                                      const std::string& agency) {
  constexpr size_t kPage = 500;
  std::string token;
  do {
    DOSSIER_ASSIGN_OR_RETURN(auto page, store.ListRecords(manufacturer, "submissions", token, kPage));
    for (const auto& [id, text] : page.items) {
      boost::system::error_code ec;
      json::value parsed = json::parse(text, ec);
      if (ec || !parsed.is_object()) return DataLoss("stored submission does not parse", "corruption");
      const json::object& record = parsed.as_object();
      const json::value* v = record.if_contains("version");
      if (Member(record, "dossier") != dossier || Member(record, "agency") != agency || !v ||
          !v->is_number() || v->to_number<uint64_t>() != version)
        continue;
      const std::string status = Member(record, "status");
      if (status != "SUBMITTED" && status != "UNDER_REVIEW") continue;
      // A decision commits before the status write; a decided submission
      // whose status write was lost is closed all the same.
      auto decisions = store.GetObject(agency, "decisions", id);
      if (decisions.ok() && decisions->head_version() > 0) continue;
      return std::optional<std::string>(id);
    }
    token = page.next_page_token;
  } while (!token.empty());
  return std::optional<std::string>();
}

Response DuplicateSubmissionResponse(const std::string& manufacturer, const std::string& existing_id,
                                     const std::string& dossier, uint64_t version, const std::string& agency,
                                     std::string_view instance) {
  const Status conflict(StatusCode::kAlreadyExists,
                        "dossier " + dossier + " version " + std::to_string(version) +
                            " is already submitted to " + agency + " as " + existing_id +
                            ", which is still open; withdraw it or wait for its decision",
                        "already-submitted", "version");
  Response r = ProblemResponse(conflict, instance);
  boost::system::error_code ec;
  json::value body = json::parse(r.body, ec);
  if (!ec && body.is_object()) {
    body.as_object()["existingSubmission"] = existing_id;
    r.body = json::serialize(body);
  }
  r.headers.emplace_back("Location", "/v1/tenants/" + manufacturer + "/submissions/" + existing_id);
  return r;
}

}  // namespace dossier::server
