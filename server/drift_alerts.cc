#include "server/drift_alerts.h"

#include <cstdio>

#include "schema/dossier_codec.h"
#include "schema/pccp/post_market.h"
#include "schema/pccp/reporting_duties.h"
#include "server/api_services.h"
#include "server/json_util.h"
#include "server/log_evidence.h"
#include "trust/encoding.h"
#include "trust/log_leaf.h"

namespace dossier::server {
namespace json = boost::json;

std::string AlertId(uint64_t report_log_index) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "a-%020llu", static_cast<unsigned long long>(report_log_index));
  return buf;
}

StatusOr<json::object> EvaluateReport(const v1::ChangePlan& plan, std::string_view report_json) {
  DOSSIER_ASSIGN_OR_RETURN(pccp::PerformanceReport report, pccp::ParsePerformanceReport(report_json));
  DOSSIER_ASSIGN_OR_RETURN(pccp::PerformanceEvaluation evaluation, pccp::EvaluatePerformance(plan, report));
  return pccp::PerformanceEvaluationToJson(evaluation);
}

json::object AlertBody(const json::object& evaluation, const std::string& jurisdiction) {
  json::array drift;
  if (const json::value* flags = evaluation.if_contains("flags"); flags && flags->is_array()) {
    for (const auto& f : flags->as_array()) {
      const json::value* is_drift = f.is_object() ? f.as_object().if_contains("drift") : nullptr;
      if (is_drift && is_drift->is_bool() && is_drift->as_bool()) drift.push_back(f);
    }
  }
  return json::object{{"kind", "post-market-drift"},
                      {"jurisdiction", jurisdiction},
                      {"driftFlags", std::move(drift)},
                      {"reportingDuties", pccp::ReportingDutiesToJson(pccp::ReportingDutiesFor(jurisdiction))},
                      {"evaluation", evaluation}};
}

StatusOr<json::object> VersionFeedEvidence(const storage::Store& store, const std::string& tenant,
                                           const storage::VersionRecord& v, const std::string& content,
                                           uint64_t tree_size) {
  DOSSIER_ASSIGN_OR_RETURN(auto key, store.GetKey(tenant, v.signer_key_id()));
  trust::Bundle evidence;
  DOSSIER_RETURN_IF_ERROR(AddSignerKeyEvidence(store, key, tree_size, evidence));
  DOSSIER_ASSIGN_OR_RETURN(auto proof, store.LogInclusionProof(v.log_index(), tree_size));
  boost::system::error_code ec;
  json::value envelope = json::parse(v.envelope_json(), ec);
  if (ec) return DataLoss("a stored envelope does not parse", "corruption");
  DOSSIER_ASSIGN_OR_RETURN(trust::LogLeaf leaf, trust::DecodeLogLeaf(v.leaf_data()));
  return json::object{{"object", leaf.object},
                      {"version", v.version()},
                      {"contentDigest", v.content_digest()},
                      {"mediaType", v.media_type()},
                      {"logIndex", v.log_index()},
                      {"leafData", trust::Base64Encode(v.leaf_data())},
                      {"inclusionProof", Base64HashList(proof)},
                      {"envelope", std::move(envelope)},
                      {"content", trust::Base64Encode(content)},
                      {"signer", SignerFeedJson(evidence, key.key_id())}};
}

StatusOr<json::object> AlertFeedPage(ApiServices& api, const std::string& tenant, const std::string& after,
                                     uint64_t tree_size, size_t limit) {
  storage::Store& store = api.store();
  DOSSIER_ASSIGN_OR_RETURN(auto page, store.ListRecords(tenant, kAlerts, after, limit));
  json::array alerts;
  std::string next = after;
  bool ended_early = false;
  for (auto& [id, text] : page.items) {
    boost::system::error_code ec;
    json::value parsed = json::parse(text, ec);
    if (ec || !parsed.is_object()) return DataLoss("a stored alert does not parse", "corruption");
    const json::object& alert = parsed.as_object();
    const std::string manufacturer = StringMember(alert, "manufacturer");
    const std::string plan = StringMember(alert, "changePlan");
    auto number = [&](std::string_view key) -> uint64_t {
      const json::value* v = alert.if_contains(key);
      return v && v->is_number() ? v->to_number<uint64_t>() : 0;
    };
    DOSSIER_ASSIGN_OR_RETURN(auto report, store.GetVersion(manufacturer, kPerformanceReports, plan,
                                                           number("reportVersion")));
    if (report.log_index() >= tree_size) {
      ended_early = true;  // sent with the next checkpoint
      break;
    }
    DOSSIER_ASSIGN_OR_RETURN(auto plan_version,
                             store.GetVersion(manufacturer, "change-plans", plan, number("planVersion")));
    DOSSIER_ASSIGN_OR_RETURN(std::string report_content, api.LoadContent(manufacturer, report));
    DOSSIER_ASSIGN_OR_RETURN(std::string plan_content, api.LoadContent(manufacturer, plan_version));
    json::object item{{"id", id}, {"raisedAt", StringMember(alert, "raisedAt")}};
    DOSSIER_ASSIGN_OR_RETURN(item["report"],
                             VersionFeedEvidence(store, manufacturer, report, report_content, tree_size));
    DOSSIER_ASSIGN_OR_RETURN(item["plan"],
                             VersionFeedEvidence(store, manufacturer, plan_version, plan_content, tree_size));
    alerts.push_back(std::move(item));
    next = id;
  }
  const bool more = !ended_early && !page.next_page_token.empty();
  return json::object{{"alerts", std::move(alerts)}, {"alertsNext", next}, {"alertsMore", more}};
}

namespace {

struct VerifiedVersion {
  trust::BundleVerification verification;
  std::string content;
  uint64_t log_index = 0;
};

StatusOr<VerifiedVersion> VerifyMember(trust::BundleVerifier& verifier, const json::object& item,
                                       std::string_view member, const std::string& note) {
  const json::value* evidence = item.if_contains(member);
  if (!evidence || !evidence->is_object()) {
    return InvalidArgument("a relayed alert lacks its " + std::string(member), "feed-invalid",
                           std::string(member));
  }
  DOSSIER_ASSIGN_OR_RETURN(trust::Bundle bundle, BundleFromFeedEntry(evidence->as_object(), note));
  DOSSIER_ASSIGN_OR_RETURN(std::optional<std::string> content, FeedEntryContent(evidence->as_object()));
  if (!content) {
    return InvalidArgument("a relayed alert's " + std::string(member) + " carries no content", "feed-invalid",
                           std::string(member) + ".content");
  }
  DOSSIER_ASSIGN_OR_RETURN(trust::BundleVerification verified, verifier.Verify(bundle, &*content));
  return VerifiedVersion{std::move(verified), std::move(*content), bundle.log_index};
}

}  // namespace

StatusOr<json::object> VerifyRelayedAlert(trust::BundleVerifier& verifier, const json::object& item,
                                          const std::string& note, const std::string& jurisdiction) {
  DOSSIER_ASSIGN_OR_RETURN(VerifiedVersion report, VerifyMember(verifier, item, "report", note));
  DOSSIER_ASSIGN_OR_RETURN(VerifiedVersion plan, VerifyMember(verifier, item, "plan", note));
  // One manufacturer signed both, and the report is a report on that plan.
  const trust::Statement& r = report.verification.statement;
  const trust::Statement& p = plan.verification.statement;
  if (r.tenant != p.tenant || r.object != p.object + "/performance-reports" ||
      p.object.rfind("change-plans/", 0) != 0) {
    return InvalidArgument("the relayed report (" + r.tenant + " " + r.object + ") is not a report on the plan " +
                               p.tenant + " " + p.object,
                           "feed-invalid", "report");
  }
  DOSSIER_ASSIGN_OR_RETURN(auto plan_format,
                           schema::FormatOfMediaType(p.media_type, "application/vnd.dossier.change-plan.v1"));
  DOSSIER_ASSIGN_OR_RETURN(v1::ChangePlan change_plan, schema::ParseChangePlan(plan.content, plan_format));
  DOSSIER_ASSIGN_OR_RETURN(json::object evaluation, EvaluateReport(change_plan, report.content));
  json::object alert = AlertBody(evaluation, jurisdiction);
  const std::string plan_id = p.object.substr(std::string_view("change-plans/").size());
  alert["manufacturer"] = r.tenant;
  alert["changePlan"] = plan_id;
  alert["planVersion"] = p.version;
  alert["planDigest"] = p.content_digest;
  alert["reportVersion"] = r.version;
  alert["reportDigest"] = r.content_digest;
  alert["reportLogIndex"] = report.log_index;
  if (const json::value* device = item.if_contains("device")) alert["device"] = *device;
  if (const json::value* raised = item.if_contains("raisedAt")) alert["raisedAtPeer"] = *raised;
  alert["drift"] = evaluation.contains("drift") ? evaluation.at("drift") : json::value(false);
  return alert;
}

}  // namespace dossier::server
