// Modification records and their evaluation against an authorised change plan
// (FDA PCCP under FD&C 515C, EU pre-determined changes under AI Act Art. 43(4),
// HSA change management programme under GN-37).
//
// Contract
// - ParseModificationRecord is strict: unknown members, wrong types, missing
//   required members, non-finite numbers, inconsistent confidence intervals
//   and contradictory change flags are rejected with INVALID_ARGUMENT, reason
//   "bad-modification" and the JSON path of the offending member.
// - Evaluate is a pure, deterministic function of (plan, record, evaluation
//   date): the same inputs always give the same Evaluation, in plan order
//   (criteria and authorisations in the order the plan lists them), with no
//   locale or hash-order dependence. The date matters because the EU rule a
//   within-plan change rests on (AI Act Art 43(4)) applies only from a date;
//   it defaults to today (UTC) - pass it explicitly for reproducible answers.
//   Evaluate fails (INVALID_ARGUMENT) only when the plan does not pass
//   schema::ValidateChangePlan (that Status, unchanged: an incomplete plan -
//   a modification without acceptance criteria, a protocol or impact
//   assessment part missing - is refused, never evaluated as passing), the
//   record breaks the invariants ParseModificationRecord enforces or reports a
//   proportion outside [0, 1] ("bad-modification", field results[j].value), or
//   the date is not YYYY-MM-DD ("bad-evaluation-date").
// - Verdicts are explained field by field: every finding names the criterion
//   (criteria[i]) and the result (results[j]) it compared; every out-of-plan
//   reason names the record member that caused it.
// - Every action carries its citation and how far that citation was checked
//   against the source text (`verification`); README.md lists the sources.
//   Nothing here is legal advice.
// - Thread-safe; no shared state.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "dossier/v1/change_plan.pb.h"

namespace dossier::pccp {

// One measured result of an executed modification.
struct MetricResult {
  std::string metric;
  // Subgroup label as the plan spells it ("sex=female"); empty = whole population.
  std::string subgroup;
  double value = 0;
  std::optional<double> ci_lower, ci_upper;
  // Confidence level of [ci_lower, ci_upper], e.g. 0.95.
  std::optional<double> confidence_level;
  // Number of cases the result rests on (for a sensitivity: positive cases).
  std::optional<int64_t> n;
  // The originally authorised version's value for the same metric and
  // subgroup on the same test data (for the cumulative check).
  std::optional<double> original_value;
};

// The data behind the modification (FDA PCCP data-management component; AI
// Act Art. 10): what a reviewer needs to judge that the test data were
// sequestered and representative.
struct DataSummary {
  std::string description;
  std::optional<int64_t> training_cases, tuning_cases, test_cases;
  std::vector<std::string> sites;
  // e.g. "2024-07-01/2025-06-30".
  std::string collection_period;
  // True when the pipeline states that test data were never used in training
  // or tuning; nullopt when not stated.
  std::optional<bool> test_data_sequestered;
  std::string reference_standard;
};

// What the change touches beyond model weights. These flags decide whether a
// change can be a planned modification at all and which UDI it needs.
struct ChangeFlags {
  // Input types the new version accepts that the released version did not
  // (e.g. "ct-chest"). Allowed only if the planned modification permits them.
  std::vector<std::string> new_input_types;
  bool indication_changed = false;
  bool intended_use_changed = false;
  // The output is interpreted differently (new output classes, scores,
  // operating point semantics) - MDR Annex VI Part C 6.5 "interpretation of data".
  bool data_interpretation_changed = false;
  // The clinician no longer reviews the output before it is acted on
  // (HSA GN-21 flowchart 2.5: new registration).
  bool clinician_review_removed = false;
  // Minor software revisions in the sense of MDR Annex VI Part C 6.5.
  bool bug_fix_only = false;
  bool security_patch_only = false;
  std::vector<std::string> labelling_sections;
  std::string description;

  bool MinorRevision() const { return bug_fix_only || security_patch_only; }
};

// An executed change as an ML pipeline posts it to
// POST /v1/tenants/{t}/change-plans/{p}/modifications (API.md):
//   {"planVersion": 3 | "1.0", "modificationId": "M1", "softwareVersion": "2.4.0",
//    "previousSoftwareVersion"?, "date"?: "YYYY-MM-DD", "rationale"?, "approver"?,
//    "notifiedParties"?: [..],
//    "originalSoftwareVersion"?,
//    "results": [{"metric", "subgroup"?, "value", "ciLower"?, "ciUpper"?,
//                 "confidenceLevel"?, "sampleSize"?, "originalValue"?}],
//    "dataSummary"?: {"description"?, "trainingCases"?, "tuningCases"?, "testCases"?,
//                     "sites"?, "collectionPeriod"?, "testDataSequestered"?,
//                     "referenceStandard"?},
//    "changes"?: {"newInputTypes"?, "indicationChanged"?, "intendedUseChanged"?,
//                 "dataInterpretationChanged"?, "clinicianReviewRemoved"?,
//                 "bugFixOnly"?, "securityPatchOnly"?, "labellingSections"?,
//                 "description"?}}
// "modificationId" may be omitted only for a minor revision (bugFixOnly or
// securityPatchOnly), which is not a planned modification.
struct ModificationRecord {
  // The stored plan version number as text ("3"), or the plan's own version
  // label ("1.0"); a JSON number is kept in its decimal form.
  std::string plan_version;
  std::string modification_id;
  std::string software_version;
  std::string previous_software_version;
  // The originally authorised version the results are compared with; when
  // given it must be the plan's device.softwareVersion.
  std::string original_software_version;
  std::string date;
  std::string rationale;
  std::string approver;
  std::vector<std::string> notified_parties;
  std::vector<MetricResult> results;
  DataSummary data_summary;
  ChangeFlags changes;
};

StatusOr<ModificationRecord> ParseModificationRecord(std::string_view json);

// One acceptance criterion checked against one result.
struct Finding {
  std::string metric, subgroup;
  // The number compared with the threshold (the point estimate, or the CI
  // bound the criterion names). Meaningless when !measured.
  double value = 0;
  std::optional<double> threshold_min, threshold_max;
  bool pass = false;
  std::string explanation;

  // --- beyond the server team's minimum ---
  std::string modification_id;
  // "point", "ci-lower" or "ci-upper": which estimate `value` is.
  std::string estimate = "point";
  // False when the record has no result (or no CI bound) for the criterion.
  bool measured = true;
  // The point estimate and interval as reported (also for CI criteria).
  std::optional<double> point, ci_lower, ci_upper;
  std::optional<int64_t> n;
  std::optional<int64_t> min_n;
  // Cumulative check: the criterion's margin and the original version's value.
  std::optional<double> max_worsening, original_value;
  // "" when pass; else "below-min", "above-max", "missing-result",
  // "missing-confidence-bound", "insufficient-sample-size",
  // "worse-than-original", "missing-original-value".
  std::string failure;
  // JSON paths: "criteria[4]" in the plan, "results[2]" in the record ("" if none).
  std::string criterion_path, result_path;
  // Post-market reports only: the site stratum ("" = all sites).
  std::string site;
};

// A regulatory consequence in one jurisdiction. A jurisdiction may have more
// than one action (e.g. EU: the change route and the UDI consequence).
struct Action {
  std::string jurisdiction;  // "US", "EU", "SG"
  // Stable codes: document-in-qms, update-labelling, do-not-implement,
  // new-510k, pma-supplement, new-marketing-submission (US);
  // pre-determined-change, new-conformity-assessment, inform-notified-body,
  // notified-body-approval, new-udi-di, new-udi-pi (EU); within-cmp,
  // change-notification, new-registration (SG); assess-locally (others).
  std::string action;
  std::string citation;
  std::string explanation;
  // --- beyond the minimum ---
  // HSA GN-21 category for change-notification ("Technical", "Review",
  // "Notification"); empty otherwise. A change that failed its acceptance
  // criteria or was not validated is never "Notification".
  std::string category;
  // How the citation was checked: "verified" (the source's own text, or a
  // verbatim transcript, was read), "secondary" (confirmed only by secondary
  // sources), "unverified" (not confirmed; e.g. a section number).
  std::string verification;
};

// An out-of-plan reason with the record (or plan) member it comes from.
struct ReasonDetail {
  std::string code;
  std::string field;
  std::string explanation;
};

// The verdict in one jurisdiction the plan lists.
struct JurisdictionVerdict {
  std::string jurisdiction;
  std::string authorization_status;  // "AUTHORIZED", "PENDING", ...
  std::string reference;
  // True when the change is within the plan AND the plan gives it legal
  // effect here on the evaluation date (EU: AI Act Art 43(4) applies to
  // MDR/IVDR AI only from 2 Aug 2028; before that the plan relieves no
  // MDR/IVDR change duty).
  bool within_plan = false;
  std::string explanation;
};

struct Evaluation {
  // True when the change is a planned modification executed within the plan
  // (every criterion passes on sequestered test data against the protocol's
  // reference standard, no out-of-plan change) AND at least one jurisdiction
  // gives the plan effect (JurisdictionVerdict::within_plan).
  bool within_plan = false;
  // Stable codes, each once, in order of first occurrence: unknown-modification,
  // not-a-planned-modification, plan-version-mismatch, original-version-mismatch,
  // new-input-type, indication-change, intended-use-change,
  // clinician-review-removed, sequestration-not-stated,
  // test-data-not-sequestered, reference-standard-not-stated,
  // reference-standard-changed, criterion-failed, cumulative-degradation,
  // missing-result, insufficient-sample-size, plan-not-authorized,
  // plan-not-yet-effective.
  std::vector<std::string> out_of_plan_reasons;
  std::vector<Finding> findings;
  std::vector<Action> actions;

  // --- beyond the minimum ---
  std::vector<ReasonDetail> reason_details;
  std::vector<JurisdictionVerdict> jurisdictions;
  std::string modification_id, software_version, plan_version;
  // The date the verdicts hold for (YYYY-MM-DD).
  std::string evaluation_date;
  // "planned-modification", "minor-revision" or "unplanned-change".
  std::string change_class;
};

struct EvaluateOptions {
  // YYYY-MM-DD; empty = today (UTC). Decides date-dependent rules (EU AI Act).
  std::string evaluation_date;
};

StatusOr<Evaluation> Evaluate(const dossier::v1::ChangePlan& plan, const ModificationRecord& record,
                              const EvaluateOptions& options = {});

// API.md shape: {"withinPlan", "outOfPlanReasons", "findings": [{"metric",
// "subgroup", "value", "threshold", "pass", ...}], "actions": [{"jurisdiction",
// "action", "citation", ...}], ...}. "threshold" is the binding bound (min if
// the criterion has one, else max); "thresholdMin"/"thresholdMax" give both.
// "value" is null when the result is missing. Member order is fixed, so equal
// evaluations serialise to equal bytes.
boost::json::object EvaluationToJson(const Evaluation& evaluation);

// One finding in the shape EvaluationToJson uses (shared with post_market.h).
boost::json::object FindingToJson(const Finding& finding);

}  // namespace dossier::pccp
