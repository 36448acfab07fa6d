// One correspondence-ledger event: its content (strict JSON, checked alone)
// and whether it may come next in a submission's ledger (checked against the
// ledger so far). server/ledger.h has the model.
#include <set>

#include "schema/toc.h"
#include "server/json_util.h"
#include "server/ledger.h"
#include "trust/digest.h"

namespace dossier::server {
namespace json = boost::json;
using correspondence::ParseDay;

namespace {

const std::set<std::string>& ManufacturerEvents() {
  static const std::set<std::string> kTypes = {"sent", "response", "withdrawal"};
  return kTypes;
}
const std::set<std::string>& AgencyEvents() {
  static const std::set<std::string> kTypes = {"acknowledged", "screening", "ai-request"};
  return kTypes;
}

Status OptionalDay(const json::object& o, std::string_view name) {
  DOSSIER_ASSIGN_OR_RETURN(auto text, OptionalString(o, {name}));
  if (text) DOSSIER_RETURN_IF_ERROR(ParseDay(*text, name).status());
  return Status::Ok();
}

StatusOr<const json::array*> OptionalArray(const json::object& o, std::string_view name) {
  const json::value* v = o.if_contains(name);
  if (!v || v->is_null()) return static_cast<const json::array*>(nullptr);
  if (!v->is_array()) return InvalidArgument("must be a list", "bad-field-type", std::string(name));
  return &v->as_array();
}

Status CheckDeficiencies(const json::array& list) {
  if (list.empty())
    return InvalidArgument("must name at least one deficiency", "missing-field", "deficiencies");
  std::set<std::string> ids;
  for (size_t i = 0; i < list.size(); ++i) {
    const std::string at = "deficiencies[" + std::to_string(i) + "]";
    if (!list[i].is_object()) return InvalidArgument("must be an object", "bad-field-type", at);
    const json::object& d = list[i].as_object();
    Status s = [&]() -> Status {
      DOSSIER_RETURN_IF_ERROR(RejectUnknownMembers(d, {"id", "heading", "document", "text", "comment"}));
      DOSSIER_ASSIGN_OR_RETURN(std::string id, RequiredString(d, {"id"}));
      DOSSIER_RETURN_IF_ERROR(RequiredString(d, {"heading"}).status());
      DOSSIER_RETURN_IF_ERROR(RequiredString(d, {"text"}).status());
      DOSSIER_RETURN_IF_ERROR(OptionalString(d, {"comment"}).status());
      DOSSIER_ASSIGN_OR_RETURN(auto document, OptionalString(d, {"document"}));
      if (document && !trust::IsDigestRef(*document))
        return InvalidArgument("must be sha256: followed by 64 lowercase hex digits", "bad-digest",
                               "document");
      if (!ids.insert(id).second) return InvalidArgument("is used twice", "duplicate-id", "id");
      return Status::Ok();
    }();
    if (!s.ok()) return s.WithFieldPrefix(at);
  }
  return Status::Ok();
}

Status CheckReplies(const json::array& list) {
  for (size_t i = 0; i < list.size(); ++i) {
    const std::string at = "replies[" + std::to_string(i) + "]";
    if (!list[i].is_object()) return InvalidArgument("must be an object", "bad-field-type", at);
    const json::object& r = list[i].as_object();
    Status s = [&]() -> Status {
      DOSSIER_RETURN_IF_ERROR(RejectUnknownMembers(r, {"deficiency", "text"}));
      DOSSIER_RETURN_IF_ERROR(RequiredString(r, {"deficiency"}).status());
      return RequiredString(r, {"text"}).status();
    }();
    if (!s.ok()) return s.WithFieldPrefix(at);
  }
  return Status::Ok();
}

// The event alone: members by type, dates, enums.
StatusOr<json::object> ParseLedgerEvent(std::string_view bytes) {
  DOSSIER_ASSIGN_OR_RETURN(json::object o, ParseJsonObject(bytes));
  DOSSIER_RETURN_IF_ERROR(RequiredString(o, {"submission"}).status());
  DOSSIER_ASSIGN_OR_RETURN(std::string type, RequiredString(o, {"type"}));
  DOSSIER_ASSIGN_OR_RETURN(std::string occurred, RequiredString(o, {"occurredOn"}));
  DOSSIER_RETURN_IF_ERROR(ParseDay(occurred, "occurredOn").status());
  DOSSIER_RETURN_IF_ERROR(OptionalString(o, {"note"}).status());
  if (type == "sent") {
    DOSSIER_RETURN_IF_ERROR(RejectUnknownMembers(o, {"submission", "type", "occurredOn", "note", "channel"}));
    DOSSIER_RETURN_IF_ERROR(OptionalString(o, {"channel"}).status());
  } else if (type == "acknowledged") {
    DOSSIER_RETURN_IF_ERROR(
        RejectUnknownMembers(o, {"submission", "type", "occurredOn", "note", "reference", "receivedOn"}));
    DOSSIER_ASSIGN_OR_RETURN(std::string reference, RequiredString(o, {"reference"}));
    if (reference.size() > 64)
      return InvalidArgument("is too long (64 at most)", "bad-reference", "reference");
    DOSSIER_RETURN_IF_ERROR(OptionalDay(o, "receivedOn"));
  } else if (type == "screening") {
    DOSSIER_RETURN_IF_ERROR(
        RejectUnknownMembers(o, {"submission", "type", "occurredOn", "note", "outcome", "reasons", "dueOn"}));
    DOSSIER_ASSIGN_OR_RETURN(std::string outcome, RequiredString(o, {"outcome"}));
    if (outcome != "accepted" && outcome != "refused")
      return InvalidArgument("must be accepted or refused", "bad-enum", "outcome");
    DOSSIER_ASSIGN_OR_RETURN(const json::array* reasons, OptionalArray(o, "reasons"));
    if (outcome == "refused" && (!reasons || reasons->empty()))
      return InvalidArgument("a refusal names its reasons", "missing-field", "reasons");
    for (size_t i = 0; reasons && i < reasons->size(); ++i) {
      if (!(*reasons)[i].is_string())
        return InvalidArgument("must be a string", "bad-field-type", "reasons[" + std::to_string(i) + "]");
    }
    DOSSIER_RETURN_IF_ERROR(OptionalDay(o, "dueOn"));
  } else if (type == "ai-request") {
    DOSSIER_RETURN_IF_ERROR(
        RejectUnknownMembers(o, {"submission", "type", "occurredOn", "note", "deficiencies", "dueOn"}));
    DOSSIER_ASSIGN_OR_RETURN(const json::array* deficiencies, OptionalArray(o, "deficiencies"));
    if (!deficiencies) return InvalidArgument("is required", "missing-field", "deficiencies");
    DOSSIER_RETURN_IF_ERROR(CheckDeficiencies(*deficiencies));
    DOSSIER_RETURN_IF_ERROR(OptionalDay(o, "dueOn"));
  } else if (type == "response") {
    DOSSIER_RETURN_IF_ERROR(RejectUnknownMembers(
        o, {"submission", "type", "occurredOn", "note", "respondsTo", "dossierVersion", "replies"}));
    DOSSIER_RETURN_IF_ERROR(RequiredString(o, {"respondsTo"}).status());
    DOSSIER_ASSIGN_OR_RETURN(auto version, OptionalUint(o, {"dossierVersion"}));
    if (version && *version == 0) return InvalidArgument("must be >= 1", "bad-version", "dossierVersion");
    DOSSIER_ASSIGN_OR_RETURN(const json::array* replies, OptionalArray(o, "replies"));
    if (replies) DOSSIER_RETURN_IF_ERROR(CheckReplies(*replies));
  } else if (type == "withdrawal") {
    DOSSIER_RETURN_IF_ERROR(RejectUnknownMembers(o, {"submission", "type", "occurredOn", "note", "reason"}));
    DOSSIER_RETURN_IF_ERROR(OptionalString(o, {"reason"}).status());
  } else if (type == "decision") {
    return InvalidArgument("decisions are recorded at /v1/tenants/{t}/submissions/{s}/decisions", "bad-enum",
                           "type");
  } else {
    return InvalidArgument("must be sent, acknowledged, screening, ai-request, response or withdrawal",
                           "bad-enum", "type");
  }
  return o;
}

StatusOr<ParsedContent> ParseLedgerEventContent(std::string_view bytes, schema::ContentFormat format) {
  if (format != schema::ContentFormat::kJson) {
    return InvalidArgument("ledger events are JSON (" + std::string(kLedgerEventMediaBase) + "+json)",
                           "unsupported-media-type");
  }
  DOSSIER_ASSIGN_OR_RETURN(json::object event, ParseLedgerEvent(bytes));
  ParsedContent parsed;
  parsed.canonical_json = json::serialize(event);
  return parsed;
}

const LedgerEntry* FindEntry(const std::vector<LedgerEntry>& ledger, const std::string& id) {
  for (const auto& e : ledger) {
    if (e.clock_event.id == id) return &e;
  }
  return nullptr;
}

}  // namespace

ContentKind LedgerEventKind() {
  ContentKind kind;
  kind.collection = std::string(kLedgerCollection);
  kind.singular = "a ledger event";
  kind.list_member = "events";
  kind.media_base = std::string(kLedgerEventMediaBase);
  kind.parse = ParseLedgerEventContent;
  return kind;
}

Status CheckLedgerEvent(ApiServices& api, const json::object& record, bool by_regulator,
                        const json::object& event, const std::vector<LedgerEntry>& ledger) {
  const std::string type = StringMember(event, "type");
  if (!(by_regulator ? AgencyEvents() : ManufacturerEvents()).count(type)) {
    return PermissionDenied(std::string(by_regulator ? "the manufacturer" : "the receiving regulator") +
                                " records " + type + " events",
                            "not-your-event");
  }
  for (const auto& e : ledger) {
    if (e.clock_event.type == "decision" || e.clock_event.type == "withdrawal") {
      return Status(StatusCode::kAborted, "the submission is closed (" + e.clock_event.type + ")",
                    "submission-closed");
    }
  }
  const int64_t day = *ParseDay(StringMember(event, "occurredOn"), "occurredOn");
  if (type == "ai-request") {
    const std::string edition = StringMember(record, "tocEdition");
    std::set<std::string> granted;
    if (const json::value* docs = record.if_contains("documents"); docs && docs->is_array()) {
      for (const auto& d : docs->as_array()) {
        if (d.is_string()) granted.insert(std::string(d.as_string()));
      }
    }
    const json::array& list = event.at("deficiencies").as_array();
    for (size_t i = 0; i < list.size(); ++i) {
      const json::object& d = list[i].as_object();
      const std::string at = "deficiencies[" + std::to_string(i) + "]";
      if (!schema::TocCatalog::BuiltIn().Find(edition, StringMember(d, "heading"))) {
        return InvalidArgument("no heading " + StringMember(d, "heading") + " in ToC edition " + edition,
                               "unknown-heading", at + ".heading");
      }
      const std::string document = StringMember(d, "document");
      if (!document.empty() && !granted.count(document)) {
        return InvalidArgument("not a document of this submission", "unknown-document", at + ".document");
      }
    }
  } else if (type == "response") {
    const std::string answers = StringMember(event, "respondsTo");
    const LedgerEntry* request = FindEntry(ledger, answers);
    if (!request || !request->is_request) {
      return InvalidArgument("no request or refused screening " + answers + " in this ledger",
                             "unknown-request", "respondsTo");
    }
    for (const auto& e : ledger) {
      if (e.clock_event.type == "response" && e.clock_event.responds_to == answers)
        return Status(StatusCode::kAborted, answers + " is already answered", "request-answered");
    }
    if (day < request->clock_event.day) {
      return InvalidArgument("a response cannot precede its request", "bad-date", "occurredOn");
    }
    std::set<std::string> replied;
    if (const json::value* replies = event.if_contains("replies"); replies && replies->is_array()) {
      for (const auto& r : replies->as_array()) replied.insert(StringMember(r.as_object(), "deficiency"));
    }
    std::string missing;
    for (const auto& id : request->deficiency_ids) {
      if (!replied.count(id)) missing += (missing.empty() ? "" : ", ") + id;
      replied.erase(id);
    }
    if (!missing.empty()) {
      return InvalidArgument("a response answers every deficiency; no reply to " + missing,
                             "incomplete-response", "replies");
    }
    if (!replied.empty()) {
      return InvalidArgument("no deficiency " + *replied.begin() + " in " + answers, "unknown-deficiency",
                             "replies");
    }
    auto version = OptionalUint(event, {"dossierVersion"});
    if (request->clock_event.type == "ai-request" && (!version.ok() || !*version)) {
      return InvalidArgument("a response to an additional-information request names the new dossier version",
                             "missing-field", "dossierVersion");
    }
    if (version.ok() && *version) {
      const uint64_t submitted = record.at("version").to_number<uint64_t>();
      auto stored = api.store().GetVersion(StringMember(record, "manufacturer"), "dossiers",
                                           StringMember(record, "dossier"), **version);
      if (**version <= submitted || !stored.ok()) {
        return InvalidArgument("dossier " + StringMember(record, "dossier") + " has no version " +
                                   std::to_string(**version) + " after the submitted version " +
                                   std::to_string(submitted),
                               "unknown-version", "dossierVersion");
      }
    }
  }
  return Status::Ok();
}

}  // namespace dossier::server
