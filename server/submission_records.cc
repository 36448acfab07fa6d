#include "server/submission_records.h"

#include "server/json_util.h"

namespace dossier::server {
namespace json = boost::json;

StatusOr<json::object> ParseSubmissionRecord(const std::string& text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return DataLoss("stored submission does not parse", "corruption");
  return std::move(v.as_object());
}

StatusOr<SubmissionCopy> FindSubmission(storage::Store& store, const std::string& tenant,
                                        const std::string& id) {
  auto out = store.GetRecord(tenant, kOutboxCollection, id);
  if (out.ok()) {
    DOSSIER_ASSIGN_OR_RETURN(auto rec, ParseSubmissionRecord(*out));
    return SubmissionCopy{std::move(rec), false};
  }
  auto in = store.GetRecord(tenant, kInboxCollection, id);
  if (in.ok()) {
    DOSSIER_ASSIGN_OR_RETURN(auto rec, ParseSubmissionRecord(*in));
    return SubmissionCopy{std::move(rec), true};
  }
  return NotFound("submission " + id + " not found");
}

Status WriteSubmissionCopies(storage::Store& store, const json::object& record) {
  const std::string text = json::serialize(record);
  const std::string id = StringMember(record, "id");
  return store.WriteRecords({{StringMember(record, "manufacturer"), std::string(kOutboxCollection), id, text},
                             {StringMember(record, "agency"), std::string(kInboxCollection), id, text}});
}

}  // namespace dossier::server
