// Post-market performance (algorithmovigilance): periodic real-world metrics
// of a released version, per subgroup and site, compared with the acceptance
// criteria of the authorised change plan, so that drift below the plan's
// thresholds is flagged for the manufacturer and for every regulator holding
// a submission of the device (issue 6 item 4; why.md point 3).
//
// Contract
// - ParsePerformanceReport is strict like ParseModificationRecord; reason
//   "bad-performance-report", field = JSON path.
// - EvaluatePerformance / EvaluatePerformanceSeries are pure and deterministic
//   (plan order, then report order); they fail only on an invalid plan (the
//   schema::ValidateChangePlan Status), on a proportion outside [0, 1]
//   (reason "bad-performance-report", field "results[j].value" / .ciLower /
//   .ciUpper) or, for a series, on two reports for the same period (reason
//   "bad-performance-report", field "reports[i].periodStart").
// - Thresholds: for each (metric, subgroup) the plan's point-estimate criteria
//   (of report.modificationId when given, else of every modification) give
//   the binding bound - the highest min and the lowest max. A plan criterion
//   on a confidence bound is reported as a warning, not as drift, because
//   real-world intervals are not the pre-specified test design.
// - Thread-safe; no shared state.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "dossier/v1/change_plan.pb.h"
#include "schema/pccp/evaluate.h"

namespace dossier::pccp {

struct PostMarketResult {
  std::string metric;
  std::string subgroup;  // "" = whole population
  std::string site;      // "" = all sites pooled
  double value = 0;
  std::optional<double> ci_lower, ci_upper;
  std::optional<int64_t> n;
};

// An adverse event coded with IMDRF AE terminology (IMDRF/AE WG/N43), e.g.
// A090803 "False Negative Result".
struct AdverseEvent {
  std::string code;
  std::string term;
  int64_t count = 1;
  std::string description;
};

// {"softwareVersion", "modificationId"?, "periodStart", "periodEnd",
//  "labelLagDays"?, "results": [{"metric", "subgroup"?, "site"?, "value",
//  "ciLower"?, "ciUpper"?, "sampleSize"?}], "adverseEvents"?: [{"code", "term"?,
//  "count"?, "description"?}]}
struct PerformanceReport {
  std::string software_version;
  std::string modification_id;
  std::string period_start, period_end;  // YYYY-MM-DD, start <= end
  // Days between a case and its ground-truth label: results of the last
  // label_lag_days of the period are provisional.
  std::optional<int64_t> label_lag_days;
  std::vector<PostMarketResult> results;
  std::vector<AdverseEvent> adverse_events;
};

StatusOr<PerformanceReport> ParsePerformanceReport(std::string_view json);

// IMDRF AE terms by code, from the annex JSON files (a JSON array of
// {"code", "term", ...}; fixtures/imdrf-aet/imdrf_all_terms.json).
struct AeTermCatalog {
  std::map<std::string, std::string, std::less<>> terms;
  const std::string* Find(std::string_view code) const;
};
StatusOr<AeTermCatalog> ParseImdrfAeTerms(std::string_view json);

// A drift flag or warning. Codes:
//   drift:   below-threshold, above-threshold, persistent-drift (series)
//   warning: ci-crosses-threshold, insufficient-sample-size, not-reported,
//            declining-trend (series), unknown-ae-code, provisional-labels
struct DriftFlag {
  std::string code;
  bool drift = false;  // true for the drift codes
  std::string metric, subgroup, site;
  std::string period_end;
  std::string field;  // JSON path in the report ("results[3]", "adverseEvents[0].code")
  std::string explanation;
};

struct PerformanceEvaluation {
  std::string software_version, period_start, period_end;
  bool drift = false;
  // One per result that has a threshold in the plan, in report order.
  std::vector<Finding> findings;
  std::vector<DriftFlag> flags;
  // Adverse events with their IMDRF terms resolved (when a catalog is given).
  std::vector<AdverseEvent> adverse_events;
};

StatusOr<PerformanceEvaluation> EvaluatePerformance(const dossier::v1::ChangePlan& plan,
                                                    const PerformanceReport& report,
                                                    const AeTermCatalog* ae_terms = nullptr);

struct SeriesOptions {
  // This many consecutive failing periods (ending with the latest) is
  // persistent drift.
  int persistent_periods = 2;
  // This many consecutive periods each worse than the one before (towards
  // the threshold) is a declining trend, even while still passing.
  int trend_periods = 3;
};

struct SeriesEvaluation {
  // True when the latest period drifts.
  bool drift = false;
  std::vector<PerformanceEvaluation> periods;  // sorted by periodStart
  std::vector<DriftFlag> flags;                // series-level flags
};

StatusOr<SeriesEvaluation> EvaluatePerformanceSeries(const dossier::v1::ChangePlan& plan,
                                                     std::vector<PerformanceReport> reports,
                                                     const SeriesOptions& options = {},
                                                     const AeTermCatalog* ae_terms = nullptr);

boost::json::object PerformanceEvaluationToJson(const PerformanceEvaluation& evaluation);
boost::json::object SeriesEvaluationToJson(const SeriesEvaluation& evaluation);

}  // namespace dossier::pccp
