// The merged correspondence ledger of a submission and its review clock
// (server/ledger.h).
#include "server/ledger.h"

#include <algorithm>
#include <map>

#include "server/json_util.h"
#include "server/regional.h"
#include "server/submission_records.h"

namespace dossier::server {
namespace json = boost::json;
namespace cc = correspondence;

namespace {

constexpr int64_t kMsPerDay = 86'400'000;
// /metrics reads at most this many received submissions (every clock costs a
// few reads); the gauge dossier_review_clocks_truncated says when it stopped.
constexpr size_t kMetricsSubmissionCap = 2000;

int64_t DayOfTime(const std::string& rfc3339, int64_t fallback_ms) {
  auto ms = ParseTime(rfc3339, "time");
  return (ms.ok() ? *ms : fallback_ms) / kMsPerDay;
}

std::vector<std::string> DeficiencyIds(const json::object& event) {
  std::vector<std::string> ids;
  if (const json::value* list = event.if_contains("deficiencies"); list && list->is_array()) {
    for (const auto& d : list->as_array()) {
      if (d.is_object()) ids.push_back(StringMember(d.as_object(), "id"));
    }
  }
  return ids;
}

// The signed events of one party's ledger object.
Status AppendPartyEvents(ApiServices& api, const std::string& tenant, const std::string& id,
                         const std::string& party, std::vector<LedgerEntry>& out) {
  auto& store = api.store();
  auto object = store.GetObject(tenant, kLedgerCollection, id);
  if (!object.ok()) return Status::Ok();  // nothing recorded yet
  const ContentKind kind = LedgerEventKind();
  for (uint64_t n = 1; n <= object->head_version(); ++n) {
    DOSSIER_ASSIGN_OR_RETURN(auto v, store.GetVersion(tenant, kLedgerCollection, id, n));
    DOSSIER_ASSIGN_OR_RETURN(std::string content, api.LoadContent(tenant, v));
    DOSSIER_ASSIGN_OR_RETURN(json::object event, ParseJsonObject(content));
    LedgerEntry e;
    e.recorded_ms = v.created_ms();
    e.clock_event.id = party + "-" + std::to_string(n);
    e.clock_event.type = StringMember(event, "type");
    DOSSIER_ASSIGN_OR_RETURN(e.clock_event.day,
                             cc::ParseDay(StringMember(event, "occurredOn"), "occurredOn"));
    e.clock_event.outcome = StringMember(event, "outcome");
    e.clock_event.responds_to = StringMember(event, "respondsTo");
    if (auto received = cc::ParseDay(StringMember(event, "receivedOn"), "receivedOn"); received.ok())
      e.clock_event.received_day = *received;
    if (auto due = cc::ParseDay(StringMember(event, "dueOn"), "dueOn"); due.ok())
      e.clock_event.due_day = *due;
    e.is_request = e.clock_event.type == "ai-request" ||
                   (e.clock_event.type == "screening" && e.clock_event.outcome == "refused");
    e.deficiency_ids = DeficiencyIds(event);
    e.view = {{"id", e.clock_event.id},
              {"type", e.clock_event.type},
              {"occurredOn", StringMember(event, "occurredOn")},
              {"party", party},
              {"recordedBy", tenant},
              {"signed", true},
              {"version", v.version()},
              {"digest", v.content_digest()},
              {"signerKeyId", v.signer_key_id()},
              {"logIndex", v.log_index()},
              {"recordedAt", FormatTime(v.created_ms())},
              {"event", std::move(event)}};
    out.push_back(std::move(e));
  }
  return Status::Ok();
}

// The regulator's signed decisions (submissions.cc records them) as events.
Status AppendDecisions(ApiServices& api, const std::string& agency, const std::string& id,
                       std::vector<LedgerEntry>& out) {
  auto& store = api.store();
  auto object = store.GetObject(agency, "decisions", id);
  if (!object.ok()) return Status::Ok();
  for (uint64_t n = 1; n <= object->head_version(); ++n) {
    DOSSIER_ASSIGN_OR_RETURN(auto v, store.GetVersion(agency, "decisions", id, n));
    DOSSIER_ASSIGN_OR_RETURN(std::string content, api.LoadContent(agency, v));
    DOSSIER_ASSIGN_OR_RETURN(
        auto format, schema::FormatOfMediaType(v.media_type(), "application/vnd.dossier.decision.v1"));
    DOSSIER_ASSIGN_OR_RETURN(v1::Decision decision, schema::ParseDecision(content, format));
    LedgerEntry e;
    e.recorded_ms = v.created_ms();
    e.clock_event.id = "decision-" + std::to_string(n);
    e.clock_event.type = "decision";
    auto day = cc::ParseDay(decision.date(), "date");
    e.clock_event.day = day.ok() ? *day : v.created_ms() / kMsPerDay;
    e.view = {{"id", e.clock_event.id},
              {"type", "decision"},
              {"occurredOn", cc::FormatDay(e.clock_event.day)},
              {"party", "agency"},
              {"recordedBy", agency},
              {"signed", true},
              {"version", v.version()},
              {"digest", v.content_digest()},
              {"signerKeyId", v.signer_key_id()},
              {"logIndex", v.log_index()},
              {"recordedAt", FormatTime(v.created_ms())},
              {"outcome", v1::Decision::Outcome_Name(decision.outcome())},
              {"number", decision.number()}};
    out.push_back(std::move(e));
  }
  return Status::Ok();
}

// A class name without its enum prefix: CLASS_II -> II.
std::string ClassName(std::string name) {
  return name.rfind("CLASS_", 0) == 0 ? name.substr(6) : std::string();
}

StatusOr<cc::ApplicableRules> RulesOf(ApiServices& api, const json::object& record) {
  const std::string jurisdiction = StringMember(record, "agencyJurisdiction");
  const std::string pathway = StringMember(record, "pathway");
  std::string cls = StringMember(record, "deviceClass");
  if (cls.empty() && jurisdiction == "SG") {  // submitted before the class was recorded
    DOSSIER_ASSIGN_OR_RETURN(
        v1::Dossier dossier,
        LoadDossierVersion(api, StringMember(record, "manufacturer"), StringMember(record, "dossier"),
                           record.at("version").to_number<uint64_t>()));
    cls = ClockDeviceClass(dossier, jurisdiction);
  }
  cc::ApplicableRules rules = cc::RulesFor(jurisdiction, pathway, cls);
  if (rules.goal) return rules;
  // No published rule (notified bodies): the agency's configured timeline for
  // this manufacturer, else for the pathway.
  const std::string agency = StringMember(record, "agency");
  for (const std::string& key : {StringMember(record, "manufacturer") + ":" + pathway, pathway}) {
    auto text = api.store().GetRecord(agency, kReviewTimelinesCollection, key);
    if (!text.ok()) continue;
    DOSSIER_ASSIGN_OR_RETURN(json::object t, ParseJsonObject(*text));
    cc::ClockRule goal;
    goal.id = "config:" + agency + ":" + key;
    goal.rule = "review-goal";
    goal.days = static_cast<int64_t>(t.at("reviewDays").to_number<uint64_t>());
    DOSSIER_ASSIGN_OR_RETURN(goal.day_kind, cc::ParseDayKind(StringMember(t, "dayKind"), "dayKind"));
    goal.stop_clock = !t.contains("stopClock") || t.at("stopClock").as_bool();
    goal.source = StringMember(t, "source");
    goal.section = StringMember(t, "section");
    goal.binding = "contract";
    goal.verification = "configured by " + agency + " on " + StringMember(t, "updatedAt");
    if (const json::value* days = t.if_contains("responseDays")) {
      cc::ClockRule response = goal;
      response.id += ":response";
      response.rule = "response-window";
      response.days = static_cast<int64_t>(days->to_number<uint64_t>());
      response.day_kind = cc::DayKind::kCalendar;
      rules.response = std::move(response);
    }
    rules.goal = std::move(goal);
    break;
  }
  return rules;
}

}  // namespace

StatusOr<std::vector<LedgerEntry>> LoadLedger(ApiServices& api, const json::object& record) {
  const std::string id = StringMember(record, "id");
  const std::string manufacturer = StringMember(record, "manufacturer");
  const std::string agency = StringMember(record, "agency");
  std::vector<LedgerEntry> ledger;
  LedgerEntry submitted;
  submitted.clock_event.id = "submission";
  submitted.clock_event.type = "submitted";
  submitted.clock_event.day = DayOfTime(StringMember(record, "submittedAt"), 0);
  submitted.view = {{"id", "submission"},
                    {"type", "submitted"},
                    {"occurredOn", cc::FormatDay(submitted.clock_event.day)},
                    {"party", "manufacturer"},
                    {"recordedBy", manufacturer},
                    {"signed", false},
                    {"dossier", StringMember(record, "dossier")},
                    {"dossierVersion", record.at("version")},
                    {"contentDigest", StringMember(record, "contentDigest")},
                    {"pathway", StringMember(record, "pathway")}};
  ledger.push_back(std::move(submitted));
  DOSSIER_RETURN_IF_ERROR(AppendPartyEvents(api, manufacturer, id, "manufacturer", ledger));
  DOSSIER_RETURN_IF_ERROR(AppendPartyEvents(api, agency, id, "agency", ledger));
  DOSSIER_RETURN_IF_ERROR(AppendDecisions(api, agency, id, ledger));
  // A withdrawal made through :withdraw (unsigned) when no signed one exists.
  const bool signed_withdrawal = std::any_of(
      ledger.begin(), ledger.end(), [](const LedgerEntry& e) { return e.clock_event.type == "withdrawal"; });
  if (StringMember(record, "status") == "WITHDRAWN" && !signed_withdrawal) {
    LedgerEntry w;
    w.clock_event.id = "withdrawal";
    w.clock_event.type = "withdrawal";
    w.clock_event.day = DayOfTime(StringMember(record, "updatedAt"), 0);
    auto updated = ParseTime(StringMember(record, "updatedAt"), "updatedAt");
    w.recorded_ms = updated.ok() ? *updated : 0;
    w.view = {{"id", "withdrawal"},
              {"type", "withdrawal"},
              {"occurredOn", cc::FormatDay(w.clock_event.day)},
              {"party", "manufacturer"},
              {"recordedBy", manufacturer},
              {"signed", false}};
    ledger.push_back(std::move(w));
  }
  // The order of the agencies' calendars; same day: the order of recording.
  std::stable_sort(ledger.begin() + 1, ledger.end(), [](const LedgerEntry& a, const LedgerEntry& b) {
    return std::pair(a.clock_event.day, a.recorded_ms) < std::pair(b.clock_event.day, b.recorded_ms);
  });
  for (auto& e : ledger) {
    if (!e.is_request) continue;
    const bool answered = std::any_of(ledger.begin(), ledger.end(), [&](const LedgerEntry& r) {
      return r.clock_event.type == "response" && r.clock_event.responds_to == e.clock_event.id;
    });
    e.view["open"] = !answered;
  }
  return ledger;
}

std::string ClockDeviceClass(const v1::Dossier& dossier, std::string_view jurisdiction) {
  const auto& c = dossier.classifications();
  if (jurisdiction == "US" && c.has_us())
    return ClassName(v1::UsClassification::DeviceClass_Name(c.us().device_class()));
  if (jurisdiction == "SG" && c.has_sg())
    return ClassName(v1::SgClassification::RiskClass_Name(c.sg().risk_class()));
  if (jurisdiction == "EU" && c.has_eu())
    return ClassName(v1::EuClassification::DeviceClass_Name(c.eu().device_class()));
  return "";
}

StatusOr<cc::ReviewClock> SubmissionClock(ApiServices& api, const json::object& record,
                                          const std::vector<LedgerEntry>& ledger, int64_t as_of) {
  cc::ClockInput in;
  DOSSIER_ASSIGN_OR_RETURN(in.rules, RulesOf(api, record));
  in.submitted_day = DayOfTime(StringMember(record, "submittedAt"), 0);
  in.as_of = as_of;
  for (const auto& e : ledger) in.events.push_back(e.clock_event);
  return cc::ComputeClock(in);
}

StatusOr<json::object> ClockSummary(ApiServices& api, const json::object& record, int64_t as_of) {
  DOSSIER_ASSIGN_OR_RETURN(auto ledger, LoadLedger(api, record));
  DOSSIER_ASSIGN_OR_RETURN(cc::ReviewClock clock, SubmissionClock(api, record, ledger, as_of));
  json::object full = cc::ClockToJson(clock, as_of);
  json::object out;
  for (const char* k : {"state", "asOf", "elapsed", "dayKind", "goalDays", "remaining", "goalDueOn"}) {
    if (const json::value* v = full.if_contains(k)) out[k] = *v;
  }
  json::array open;
  for (const auto& d : full.at("deadlines").as_array()) {
    const std::string status = StringMember(d.as_object(), "status");
    if (status == "pending" || status == "due-soon" || status == "overdue" || status == "paused")
      open.push_back(d);
  }
  out["deadlines"] = std::move(open);
  out["dueSoon"] = cc::HasStatus(clock, "due-soon");
  out["overdue"] = cc::HasStatus(clock, "overdue");
  return out;
}

int64_t TodayDay() { return NowMs() / kMsPerDay; }

StatusOr<int64_t> AsOfDay(const Request& request) {
  if (auto text = request.Query("asOf")) return cc::ParseDay(*text, "asOf");
  return TodayDay();
}

std::string ReviewClockMetrics(ApiServices& api) {
  auto& store = api.store();
  std::map<std::string, uint64_t> states;
  std::map<std::pair<std::string, std::string>, uint64_t> deadlines;  // (owner, status)
  size_t read = 0;
  bool truncated = false;
  auto tenants = store.ListTenants();
  for (const auto& tenant : tenants.ok() ? *tenants : std::vector<storage::TenantRecord>{}) {
    if (tenant.kind() == "MANUFACTURER") continue;
    std::string token;
    do {
      auto page = store.ListRecords(tenant.id(), kInboxCollection, token, 500);
      if (!page.ok()) break;
      for (const auto& [id, text] : page->items) {
        if (read++ >= kMetricsSubmissionCap) {
          truncated = true;
          break;
        }
        auto record = ParseSubmissionRecord(text);
        if (!record.ok()) continue;
        auto ledger = LoadLedger(api, *record);
        if (!ledger.ok()) continue;
        auto clock = SubmissionClock(api, *record, *ledger, TodayDay());
        if (!clock.ok()) continue;
        ++states[clock->state];
        for (const auto& d : clock->deadlines) {
          if (d.status == "due-soon" || d.status == "overdue") ++deadlines[{d.owner, d.status}];
        }
      }
      token = truncated ? std::string() : page->next_page_token;
    } while (!token.empty());
  }
  std::string out =
      "# HELP dossier_review_clocks Received submissions by review-clock state.\n"
      "# TYPE dossier_review_clocks gauge\n";
  for (const char* state :
       {"running", "stopped", "considered-withdrawn", "decided", "withdrawn", "no-rule"}) {
    out +=
        "dossier_review_clocks{state=\"" + std::string(state) + "\"} " + std::to_string(states[state]) + "\n";
  }
  out +=
      "# HELP dossier_review_deadlines Open review deadlines due soon (14 days) or overdue, by who owes "
      "them.\n"
      "# TYPE dossier_review_deadlines gauge\n";
  for (const char* owner : {"agency", "manufacturer"}) {
    for (const char* status : {"due-soon", "overdue"}) {
      out += "dossier_review_deadlines{owner=\"" + std::string(owner) + "\",status=\"" + status + "\"} " +
             std::to_string(deadlines[{owner, status}]) + "\n";
    }
  }
  out +=
      "# HELP dossier_review_clocks_truncated 1 when more received submissions exist than /metrics reads.\n"
      "# TYPE dossier_review_clocks_truncated gauge\n";
  out += std::string("dossier_review_clocks_truncated ") + (truncated ? "1" : "0") + "\n";
  return out;
}

}  // namespace dossier::server
