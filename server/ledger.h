// The correspondence ledger of a submission and the review clock computed
// from it (docs/CORRESPONDENCE.md).
//
// Events are signed versions of a "ledger" object named after the submission,
// one object in each party's tenant: the manufacturer records what it sent,
// its responses and withdrawals; the receiving regulator its acknowledgement
// (with its own reference number), screening outcomes and requests for
// additional information. Both go through the signed-commit machinery
// (statement, signature, transparency log) like decisions. The ledger a party
// reads merges both objects with the submission itself and the regulator's
// signed decisions (and an unsigned withdrawal made through :withdraw).
//
// Thread-safety: the functions only read and write through ApiServices.
#pragma once

#include <boost/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "schema/correspondence/review_clock.h"
#include "schema/dossier_codec.h"
#include "server/api_services.h"

namespace dossier::server {

inline constexpr std::string_view kLedgerCollection = "ledger";
inline constexpr std::string_view kLedgerEventMediaBase = "application/vnd.dossier.ledger-event.v1";
// Notified bodies' (and other regulators') configured review timelines.
inline constexpr std::string_view kReviewTimelinesCollection = "review-timelines";

// The content kind of one ledger event (JSON only): the fields every event
// type allows are checked here; what depends on the ledger so far (open
// requests, deficiency ids, who may record what) is checked by
// CheckLedgerEvent.
ContentKind LedgerEventKind();

// One entry of a merged ledger, in the order the ledger shows them.
struct LedgerEntry {
  boost::json::object view;  // what the API shows
  correspondence::ClockEvent clock_event;
  int64_t recorded_ms = 0;
  bool is_request = false;  // an ai-request, or a screening that refused
  std::vector<std::string> deficiency_ids;
};

// The merged ledger of a submission (either party's copy of the record).
StatusOr<std::vector<LedgerEntry>> LoadLedger(ApiServices& api, const boost::json::object& record);

// Is `event` (parsed content of a ledger event) allowed next, recorded by the
// manufacturer (`by_regulator` false) or the receiving regulator? Reasons
// "not-your-event", "submission-closed", "unknown-request", "request-answered",
// "incomplete-response", "unknown-heading", "unknown-version".
Status CheckLedgerEvent(ApiServices& api, const boost::json::object& record, bool by_regulator,
                        const boost::json::object& event, const std::vector<LedgerEntry>& ledger);

// The class an agency's clock rules are keyed by ("II" for FDA, "C" for HSA), "" when none.
std::string ClockDeviceClass(const v1::Dossier& dossier, std::string_view jurisdiction);

// The review clock of a submission as its agency counts it, on day `as_of`.
StatusOr<correspondence::ReviewClock> SubmissionClock(ApiServices& api, const boost::json::object& record,
                                                      const std::vector<LedgerEntry>& ledger, int64_t as_of);
// The clock's summary added to submission views (inbox, outbox, one submission).
StatusOr<boost::json::object> ClockSummary(ApiServices& api, const boost::json::object& record,
                                           int64_t as_of);

// Today (UTC) as a day number; the ?asOf=YYYY-MM-DD query of `request` when given.
int64_t TodayDay();
StatusOr<int64_t> AsOfDay(const Request& request);

// Prometheus gauges of open review clocks and their deadlines across the node.
std::string ReviewClockMetrics(ApiServices& api);

}  // namespace dossier::server
