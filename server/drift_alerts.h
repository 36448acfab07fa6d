// Drift alerts (issue 16 item 6): what a post-market performance report
// raises when it drifts below the authorised change plan, where alerts are
// kept, and how they travel to relying regulators.
//
// Model
// - A performance report is a signed version of the manufacturer's object
//   performance-reports/<plan> (statement object
//   "change-plans/<plan>/performance-reports"), so it is logged like every
//   other signed content. It is evaluated with schema/pccp/post_market.h
//   against the change-plan version each regulator holding a submission of
//   the device received (the authorised plan), else the plan's head.
// - A drifting report writes one alert into the "alerts" records of every
//   regulator holding a submission of the plan's dossier, and one into the
//   manufacturer's; the alert id is "a-" + the report's 20-digit log index,
//   so a regulator's alerts list in log order.
// - Relying regulators get the regulator's own (local) alerts through its
//   reliance feed ("alerts" member of a feed page, cursor "alertsAfter"). An
//   alert there carries the manufacturer-signed report and plan versions as
//   feed evidence (server/log_evidence.h) with their content; the pulling node
//   verifies both with trust::BundleVerifier against the page's checkpoint,
//   checks they are one manufacturer's report and plan, evaluates the report
//   itself, and stores it in its "relayed-alerts" records with the duties of
//   its own jurisdiction. Nothing the peer computed is trusted.
// - Thread-safety: pure functions over the store (its guarantees apply).
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "dossier/v1/change_plan.pb.h"
#include "storage/store.h"
#include "trust/bundle.h"

namespace dossier::server {

class ApiServices;  // server/api_services.h

inline constexpr std::string_view kPerformanceReports = "performance-reports";  // object kind, id = plan
inline constexpr std::string_view kAlerts = "alerts";                  // raised on this node
inline constexpr std::string_view kRelayedAlerts = "relayed-alerts";   // verified from peers
inline constexpr std::string_view kPerformanceReportMedia = "application/vnd.dossier.performance-report.v1";

// "a-" + zero-padded log index.
std::string AlertId(uint64_t report_log_index);

// The report evaluated against `plan`: PerformanceEvaluationToJson plus
// "planVersion"/"planDigest" as given. "bad-performance-report" with the JSON
// path when the report does not parse or evaluate.
StatusOr<boost::json::object> EvaluateReport(const v1::ChangePlan& plan, std::string_view report_json);

// What the alert says beside the evaluation: the reporting duties of
// `jurisdiction` (schema/pccp/reporting_duties.h) and the drift flags alone.
boost::json::object AlertBody(const boost::json::object& evaluation, const std::string& jurisdiction);

// ---- relay ---------------------------------------------------------------
// The evidence members of a feed entry (log_evidence.h wire format) for the
// signed version `v` of `tenant`, with its content bytes, against a tree of
// `tree_size` leaves.
StatusOr<boost::json::object> VersionFeedEvidence(const storage::Store& store, const std::string& tenant,
                                                  const storage::VersionRecord& v, const std::string& content,
                                                  uint64_t tree_size);

// The "alerts" of a feed page of regulator `tenant`: its raised alerts after
// the id `after`, at most `limit`, each {"id", "raisedAt", "report": evidence,
// "plan": evidence} with proofs against a tree of `tree_size` leaves; an
// alert whose report was logged after that tree ends the page. Answers
// {"alerts": [...], "alertsNext": last id sent (or `after`), "alertsMore": bool}.
StatusOr<boost::json::object> AlertFeedPage(ApiServices& api, const std::string& tenant, const std::string& after,
                                            uint64_t tree_size, size_t limit);

// A relayed alert checked as described above. `item` is one member of a feed
// page's "alerts"; `note` the page's checkpoint (already verified by
// `verifier`); `jurisdiction` the pulling regulator's. Failures are
// InvalidArgument "feed-invalid" (malformed) or the verification's reason.
StatusOr<boost::json::object> VerifyRelayedAlert(trust::BundleVerifier& verifier, const boost::json::object& item,
                                                 const std::string& note, const std::string& jurisdiction);

}  // namespace dossier::server
