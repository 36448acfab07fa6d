#include "schema/pccp/evaluate.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <set>
#include <utility>

#include "schema/pccp/json_reader.h"
#include "schema/pccp/routes.h"
#include "schema/validate.h"

namespace dossier::pccp {
namespace {

using internal::ElementPath;
using internal::FormatNumber;
using internal::ObjectReader;

constexpr const char* kBad = "bad-modification";

Status Bad(const std::string& field, const std::string& message) {
  return InvalidArgument((field.empty() ? std::string("body") : field) + ": " + message, kBad, field);
}

// ---------------------------------------------------------------- parsing

StatusOr<MetricResult> ParseResult(const boost::json::value& v, const std::string& path) {
  if (!v.is_object()) return Bad(path, "must be an object");
  ObjectReader r(v.as_object(), path, kBad);
  // The sample size is "sampleSize" in records, reports and dossiers alike
  // (plans: "minSampleSize"); the old short name is refused by name so a
  // pipeline written against it learns the new one.
  if (v.as_object().contains("n")) return r.Error("n", "is not a member: the sample size is \"sampleSize\"");
  DOSSIER_RETURN_IF_ERROR(r.CheckMembers({"metric", "subgroup", "value", "ciLower", "ciUpper",
                                          "confidenceLevel", "sampleSize", "originalValue"}));
  MetricResult m;
  DOSSIER_ASSIGN_OR_RETURN(m.metric, r.RequiredString("metric"));
  DOSSIER_ASSIGN_OR_RETURN(m.subgroup, r.OptionalString("subgroup"));
  DOSSIER_ASSIGN_OR_RETURN(m.value, r.RequiredNumber("value"));
  DOSSIER_ASSIGN_OR_RETURN(m.ci_lower, r.OptionalNumber("ciLower"));
  DOSSIER_ASSIGN_OR_RETURN(m.ci_upper, r.OptionalNumber("ciUpper"));
  DOSSIER_ASSIGN_OR_RETURN(m.confidence_level, r.OptionalNumber("confidenceLevel"));
  DOSSIER_ASSIGN_OR_RETURN(m.n, r.OptionalCount("sampleSize"));
  DOSSIER_ASSIGN_OR_RETURN(m.original_value, r.OptionalNumber("originalValue"));
  // An interval that excludes its own point estimate is a pipeline bug; a
  // criterion on the lower bound would otherwise be judged on nonsense.
  if (m.ci_lower && *m.ci_lower > m.value) {
    return r.Error("ciLower",
                   "exceeds value (" + FormatNumber(*m.ci_lower) + " > " + FormatNumber(m.value) + ")");
  }
  if (m.ci_upper && *m.ci_upper < m.value) {
    return r.Error("ciUpper",
                   "is below value (" + FormatNumber(*m.ci_upper) + " < " + FormatNumber(m.value) + ")");
  }
  if (m.confidence_level && !(*m.confidence_level > 0 && *m.confidence_level < 1)) {
    return r.Error("confidenceLevel", "must lie strictly between 0 and 1");
  }
  return m;
}

Status ParseDataSummary(const boost::json::object& o, const std::string& path, DataSummary* out) {
  ObjectReader r(o, path, kBad);
  DOSSIER_RETURN_IF_ERROR(r.CheckMembers({"description", "trainingCases", "tuningCases", "testCases", "sites",
                                          "collectionPeriod", "testDataSequestered", "referenceStandard"}));
  DOSSIER_ASSIGN_OR_RETURN(out->description, r.OptionalString("description"));
  DOSSIER_ASSIGN_OR_RETURN(out->training_cases, r.OptionalCount("trainingCases"));
  DOSSIER_ASSIGN_OR_RETURN(out->tuning_cases, r.OptionalCount("tuningCases"));
  DOSSIER_ASSIGN_OR_RETURN(out->test_cases, r.OptionalCount("testCases"));
  DOSSIER_ASSIGN_OR_RETURN(out->sites, r.OptionalStringArray("sites"));
  DOSSIER_ASSIGN_OR_RETURN(out->collection_period, r.OptionalString("collectionPeriod"));
  DOSSIER_ASSIGN_OR_RETURN(out->reference_standard, r.OptionalString("referenceStandard"));
  DOSSIER_ASSIGN_OR_RETURN(const boost::json::value* seq, r.Find("testDataSequestered"));
  if (seq != nullptr) {
    if (!seq->is_bool()) return r.Error("testDataSequestered", "must be true or false");
    out->test_data_sequestered = seq->as_bool();
  }
  return Status::Ok();
}

Status ParseChanges(const boost::json::object& o, const std::string& path, ChangeFlags* out) {
  ObjectReader r(o, path, kBad);
  DOSSIER_RETURN_IF_ERROR(r.CheckMembers({"newInputTypes", "indicationChanged", "intendedUseChanged",
                                          "dataInterpretationChanged", "clinicianReviewRemoved", "bugFixOnly",
                                          "securityPatchOnly", "labellingSections", "description"}));
  DOSSIER_ASSIGN_OR_RETURN(out->new_input_types, r.OptionalStringArray("newInputTypes"));
  DOSSIER_ASSIGN_OR_RETURN(out->indication_changed, r.OptionalBool("indicationChanged"));
  DOSSIER_ASSIGN_OR_RETURN(out->intended_use_changed, r.OptionalBool("intendedUseChanged"));
  DOSSIER_ASSIGN_OR_RETURN(out->data_interpretation_changed, r.OptionalBool("dataInterpretationChanged"));
  DOSSIER_ASSIGN_OR_RETURN(out->clinician_review_removed, r.OptionalBool("clinicianReviewRemoved"));
  DOSSIER_ASSIGN_OR_RETURN(out->bug_fix_only, r.OptionalBool("bugFixOnly"));
  DOSSIER_ASSIGN_OR_RETURN(out->security_patch_only, r.OptionalBool("securityPatchOnly"));
  DOSSIER_ASSIGN_OR_RETURN(out->labelling_sections, r.OptionalStringArray("labellingSections"));
  DOSSIER_ASSIGN_OR_RETURN(out->description, r.OptionalString("description"));
  // "Only a bug fix" and "the indication changed" cannot both be true; accepting
  // both would let a pipeline talk a major change down to a new UDI-PI.
  if (out->MinorRevision()) {
    const std::string flag = out->bug_fix_only ? "bugFixOnly" : "securityPatchOnly";
    if (out->indication_changed || out->intended_use_changed || out->data_interpretation_changed ||
        out->clinician_review_removed || !out->new_input_types.empty()) {
      return r.Error(flag,
                     "a minor revision cannot also change inputs, indication, intended use, data "
                     "interpretation or clinician review");
    }
  }
  return Status::Ok();
}

}  // namespace

StatusOr<ModificationRecord> ParseModificationRecord(std::string_view json) {
  DOSSIER_ASSIGN_OR_RETURN(boost::json::object root, internal::ParseObject(json, kBad));
  ObjectReader r(root, "", kBad);
  DOSSIER_RETURN_IF_ERROR(
      r.CheckMembers({"planVersion", "modificationId", "softwareVersion", "previousSoftwareVersion",
                      "originalSoftwareVersion", "date", "rationale", "approver", "notifiedParties",
                      "results", "dataSummary", "changes"}));
  ModificationRecord rec;
  DOSSIER_ASSIGN_OR_RETURN(const boost::json::value* pv, r.Find("planVersion"));
  if (pv == nullptr) return r.Error("planVersion", "is required");
  if (pv->is_int64() && pv->as_int64() >= 1) {
    rec.plan_version = std::to_string(pv->as_int64());
  } else if (pv->is_string() && !pv->as_string().empty()) {
    rec.plan_version = std::string(pv->as_string());
  } else {
    return r.Error("planVersion", "must be a version number >= 1 or a non-empty version label");
  }
  DOSSIER_ASSIGN_OR_RETURN(rec.modification_id, r.OptionalString("modificationId"));
  DOSSIER_ASSIGN_OR_RETURN(rec.software_version, r.RequiredString("softwareVersion"));
  DOSSIER_ASSIGN_OR_RETURN(rec.previous_software_version, r.OptionalString("previousSoftwareVersion"));
  DOSSIER_ASSIGN_OR_RETURN(rec.original_software_version, r.OptionalString("originalSoftwareVersion"));
  DOSSIER_ASSIGN_OR_RETURN(rec.date, r.OptionalString("date"));
  if (!rec.date.empty() && !schema::IsValidIsoDate(rec.date)) return r.Error("date", "must be YYYY-MM-DD");
  DOSSIER_ASSIGN_OR_RETURN(rec.rationale, r.OptionalString("rationale"));
  DOSSIER_ASSIGN_OR_RETURN(rec.approver, r.OptionalString("approver"));
  DOSSIER_ASSIGN_OR_RETURN(rec.notified_parties, r.OptionalStringArray("notifiedParties"));

  DOSSIER_ASSIGN_OR_RETURN(const boost::json::array* results, r.OptionalArray("results"));
  if (results == nullptr) return r.Error("results", "is required");
  std::set<std::pair<std::string, std::string>> seen;
  for (size_t i = 0; i < results->size(); ++i) {
    const std::string path = ElementPath("results", i);
    DOSSIER_ASSIGN_OR_RETURN(MetricResult m, ParseResult((*results)[i], path));
    // Two values for one metric and subgroup would let the evaluation pick
    // whichever passes.
    if (!seen.emplace(m.metric, m.subgroup).second) {
      return Bad(path, "a second result for metric " + m.metric + " and subgroup \"" + m.subgroup + "\"");
    }
    rec.results.push_back(std::move(m));
  }
  DOSSIER_ASSIGN_OR_RETURN(const boost::json::object* summary, r.OptionalObject("dataSummary"));
  if (summary != nullptr)
    DOSSIER_RETURN_IF_ERROR(ParseDataSummary(*summary, "dataSummary", &rec.data_summary));
  DOSSIER_ASSIGN_OR_RETURN(const boost::json::object* changes, r.OptionalObject("changes"));
  if (changes != nullptr) DOSSIER_RETURN_IF_ERROR(ParseChanges(*changes, "changes", &rec.changes));

  // Only a minor revision may come without a planned modification: anything
  // else must say which modification of the plan it executes.
  if (rec.modification_id.empty() && !rec.changes.MinorRevision()) {
    return r.Error("modificationId",
                   "is required unless changes.bugFixOnly or changes.securityPatchOnly is true");
  }
  return rec;
}

// -------------------------------------------------------------- evaluation

namespace {

std::string Quote(const std::string& s) { return "\"" + s + "\""; }

std::string SubgroupText(const std::string& subgroup) {
  return subgroup.empty() ? std::string("the whole population") : "subgroup " + subgroup;
}

const char* EstimateCode(v1::AcceptanceCriterion::Estimate e) {
  switch (e) {
    case v1::AcceptanceCriterion::CI_LOWER_BOUND:
      return "ci-lower";
    case v1::AcceptanceCriterion::CI_UPPER_BOUND:
      return "ci-upper";
    default:
      return "point";
  }
}

// Reference standards compare without case and surrounding blanks: "Two
// radiologists" and "two radiologists " are the same truth, "pathology" is not.
std::string Normalized(std::string_view text) {
  std::string out;
  for (char c : text) {
    const bool blank = c == ' ' || c == '\t' || c == '\n';
    if (blank && (out.empty() || out.back() == ' ')) continue;
    out += blank ? ' ' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

class Evaluator {
 public:
  Evaluator(const v1::ChangePlan& plan, const ModificationRecord& record, std::string date)
      : plan_(plan), rec_(record), date_(std::move(date)) {}

  Evaluation Run() {
    ev_.modification_id = rec_.modification_id;
    ev_.software_version = rec_.software_version;
    ev_.plan_version = rec_.plan_version;
    ev_.evaluation_date = date_;
    CheckPlanVersion();
    const v1::Modification* mod = FindModification();
    CheckChanges(mod);
    if (mod != nullptr) {
      CheckEvidence();
      CheckCriteria(*mod);
    }
    const bool in_plan = ev_.out_of_plan_reasons.empty();

    bool any_authorized = false;
    for (const auto& a : plan_.authorizations())
      any_authorized |= a.status() == v1::Authorization::AUTHORIZED;
    if (!any_authorized) {
      AddReason("plan-not-authorized", "authorizations",
                "the plan is authorised in no jurisdiction, so no change can rely on it");
    }
    bool any_effective = false;
    for (int i = 0; i < plan_.authorizations_size(); ++i) any_effective |= AddJurisdiction(i, in_plan);
    if (in_plan && any_authorized && !any_effective) {
      AddReason(
          "plan-not-yet-effective", "authorizations",
          "the plan is authorised, but on " + date_ + " no authorising jurisdiction gives it legal effect");
    }
    ev_.within_plan = in_plan && any_effective;
    return std::move(ev_);
  }

 private:
  void AddReason(const std::string& code, const std::string& field, const std::string& explanation) {
    if (std::find(ev_.out_of_plan_reasons.begin(), ev_.out_of_plan_reasons.end(), code) ==
        ev_.out_of_plan_reasons.end()) {
      ev_.out_of_plan_reasons.push_back(code);
    }
    ev_.reason_details.push_back({code, field, explanation});
  }

  // The server resolves a numeric planVersion to the stored version it passes
  // in; a label must match the plan's own version label.
  void CheckPlanVersion() {
    const std::string& v = rec_.plan_version;
    const bool numeric =
        !v.empty() && std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!numeric && !plan_.plan_version().empty() && v != plan_.plan_version()) {
      AddReason("plan-version-mismatch", "planVersion",
                "record names plan version " + Quote(v) + " but the plan is version " +
                    Quote(plan_.plan_version()));
    }
  }

  const v1::Modification* FindModification() {
    if (rec_.modification_id.empty()) {
      ev_.change_class = "minor-revision";
      AddReason("not-a-planned-modification", "modificationId",
                "a minor revision (" + std::string(rec_.changes.bug_fix_only ? "bug fix" : "security patch") +
                    ") names no planned modification; the plan does not cover it and ordinary change "
                    "control applies");
      return nullptr;
    }
    for (const auto& m : plan_.modifications()) {
      if (m.id() == rec_.modification_id) {
        ev_.change_class = rec_.changes.MinorRevision() ? "minor-revision" : "planned-modification";
        return &m;
      }
    }
    ev_.change_class = "unplanned-change";
    AddReason("unknown-modification", "modificationId",
              "the plan defines no modification " + Quote(rec_.modification_id));
    return nullptr;
  }

  void CheckChanges(const v1::Modification* mod) {
    const ChangeFlags& c = rec_.changes;
    for (size_t i = 0; i < c.new_input_types.size(); ++i) {
      const std::string& t = c.new_input_types[i];
      const bool permitted = mod != nullptr && std::find(mod->permitted_input_types().begin(),
                                                         mod->permitted_input_types().end(),
                                                         t) != mod->permitted_input_types().end();
      if (!permitted) {
        AddReason("new-input-type", ElementPath("changes.newInputTypes", i),
                  "input type " + Quote(t) + " is not among the input types modification " +
                      Quote(rec_.modification_id) +
                      " permits (an input modification in a PCCP covers only the inputs the plan specifies)");
      }
    }
    if (c.indication_changed) {
      AddReason("indication-change", "changes.indicationChanged",
                "a planned modification must stay within the authorised indications for use");
    }
    if (c.intended_use_changed) {
      AddReason("intended-use-change", "changes.intendedUseChanged",
                "a planned modification must stay within the authorised intended use");
    }
    if (c.clinician_review_removed) {
      AddReason("clinician-review-removed", "changes.clinicianReviewRemoved",
                "removing clinician review of the output changes how the device is used");
    }
  }

  // The modification protocol evaluates on sequestered test data against its
  // reference standard; results obtained otherwise cannot show the change was
  // made in accordance with the plan (FD&C Act 515C; PCCP guidance,
  // Modification Protocol: data management, performance evaluation).
  void CheckEvidence() {
    const DataSummary& d = rec_.data_summary;
    if (!d.test_data_sequestered) {
      AddReason("sequestration-not-stated", "dataSummary.testDataSequestered",
                "the record does not state that the test data were sequestered from training and tuning");
    } else if (!*d.test_data_sequestered) {
      AddReason("test-data-not-sequestered", "dataSummary.testDataSequestered",
                "the test data were not sequestered from training and tuning, so the results cannot show the "
                "acceptance criteria are met");
    }
    const std::string& authorised = plan_.protocol().reference_standard();
    if (d.reference_standard.empty()) {
      AddReason("reference-standard-not-stated", "dataSummary.referenceStandard",
                "the record does not state the reference standard the results were measured against");
    } else if (!authorised.empty() && Normalized(d.reference_standard) != Normalized(authorised)) {
      AddReason("reference-standard-changed", "dataSummary.referenceStandard",
                "the results were measured against " + Quote(d.reference_standard) +
                    ", not the protocol's reference standard " + Quote(authorised));
    }
    if (!rec_.original_software_version.empty() &&
        rec_.original_software_version != plan_.device().software_version()) {
      AddReason("original-version-mismatch", "originalSoftwareVersion",
                "the results are compared with version " + Quote(rec_.original_software_version) +
                    ", but the plan was authorised for version " + Quote(plan_.device().software_version()));
    }
  }

  // Every criterion the plan sets for the modification, in plan order.
  void CheckCriteria(const v1::Modification& mod) {
    for (int i = 0; i < plan_.criteria_size(); ++i) {
      const v1::AcceptanceCriterion& c = plan_.criteria(i);
      if (c.modification_id() != mod.id()) continue;
      ev_.findings.push_back(Check(c, i));
      const Finding& f = ev_.findings.back();
      if (f.pass) continue;
      const std::string field = f.result_path.empty() ? "results" : f.result_path;
      if (f.failure == "missing-result" || f.failure == "missing-confidence-bound") {
        AddReason("missing-result", field, f.explanation);
      } else if (f.failure == "missing-original-value") {
        AddReason("missing-result", f.result_path + ".originalValue", f.explanation);
      } else if (f.failure == "insufficient-sample-size") {
        AddReason("insufficient-sample-size", f.result_path + ".sampleSize", f.explanation);
      } else if (f.failure == "worse-than-original") {
        AddReason("cumulative-degradation", field, f.explanation);
      } else {
        AddReason("criterion-failed", field, f.explanation);
      }
    }
  }

  Finding Check(const v1::AcceptanceCriterion& c, int index) const {
    Finding f;
    f.metric = c.metric();
    f.subgroup = c.subgroup();
    f.modification_id = c.modification_id();
    f.estimate = EstimateCode(c.estimate());
    if (c.has_min()) f.threshold_min = c.min();
    if (c.has_max()) f.threshold_max = c.max();
    if (c.min_sample_size() > 0) f.min_n = c.min_sample_size();
    if (c.has_max_worsening_from_original()) f.max_worsening = c.max_worsening_from_original();
    f.criterion_path = "criteria[" + std::to_string(index) + "]";
    const std::string what = c.metric() + " for " + SubgroupText(c.subgroup());

    const MetricResult* r = nullptr;
    for (size_t j = 0; j < rec_.results.size(); ++j) {
      if (rec_.results[j].metric == c.metric() && rec_.results[j].subgroup == c.subgroup()) {
        r = &rec_.results[j];
        f.result_path = ElementPath("results", j);
      }
    }
    if (r == nullptr) {
      f.measured = false;
      f.failure = "missing-result";
      f.explanation = "no result for " + what + " (" + f.criterion_path + " requires one)";
      return f;
    }
    f.point = r->value;
    f.ci_lower = r->ci_lower;
    f.ci_upper = r->ci_upper;
    f.n = r->n;
    f.original_value = r->original_value;

    std::optional<double> compared = r->value;
    std::string label = "point estimate";
    if (c.estimate() == v1::AcceptanceCriterion::CI_LOWER_BOUND) {
      compared = r->ci_lower;
      label = "lower confidence bound";
    } else if (c.estimate() == v1::AcceptanceCriterion::CI_UPPER_BOUND) {
      compared = r->ci_upper;
      label = "upper confidence bound";
    }
    if (!compared) {
      f.measured = false;
      f.failure = "missing-confidence-bound";
      f.explanation = what + ": " + f.criterion_path + " is judged on the " + label + ", which " +
                      f.result_path + " does not give";
      return f;
    }
    f.value = *compared;
    std::string bounds;
    if (f.threshold_min) bounds += ">= " + FormatNumber(*f.threshold_min);
    if (f.threshold_max)
      bounds += std::string(bounds.empty() ? "" : " and ") + "<= " + FormatNumber(*f.threshold_max);
    const std::string measured = what + ": " + label + " " + FormatNumber(f.value);

    if (f.threshold_min && f.value < *f.threshold_min) {
      f.failure = "below-min";
      f.explanation = measured + " is below the minimum " + FormatNumber(*f.threshold_min) + " (" +
                      f.criterion_path + ", " + internal::FormatMargin(f.value - *f.threshold_min) + ")";
    } else if (f.threshold_max && f.value > *f.threshold_max) {
      f.failure = "above-max";
      f.explanation = measured + " exceeds the maximum " + FormatNumber(*f.threshold_max) + " (" +
                      f.criterion_path + ", +" + internal::FormatMargin(f.value - *f.threshold_max) + ")";
    } else if (f.max_worsening && !CheckCumulative(c, *r, &f)) {
      // CheckCumulative filled failure and explanation.
    } else if (f.min_n && (!f.n || *f.n < *f.min_n)) {
      // A subgroup result on too few cases cannot show the criterion is met.
      f.failure = "insufficient-sample-size";
      f.explanation = measured + " meets " + bounds + " but rests on " +
                      (f.n ? std::to_string(*f.n) + " cases" : std::string("an unstated number of cases")) +
                      "; " + f.criterion_path + " requires at least " + std::to_string(*f.min_n);
    } else {
      f.pass = true;
      f.explanation = measured + " meets " + bounds + " (" + f.criterion_path + ")";
    }
    return f;
  }

  // The cumulative check against the originally authorised version: the point
  // estimate may be at most max_worsening_from_original worse than that
  // version's value. False (with the finding's failure set) when it is not.
  bool CheckCumulative(const v1::AcceptanceCriterion& c, const MetricResult& r, Finding* f) const {
    const std::string what = c.metric() + " for " + SubgroupText(c.subgroup());
    const std::string& original = plan_.device().software_version();
    if (!r.original_value) {
      f->failure = "missing-original-value";
      f->explanation = what + ": " + f->criterion_path +
                       " bounds the change against the originally authorised " + "version " + original +
                       ", but " + f->result_path + " gives no originalValue";
      return false;
    }
    // Higher is better for a criterion with a minimum, lower for one with only a maximum.
    const bool higher_is_better = c.has_min() || !c.has_max();
    const double worsening = higher_is_better ? *r.original_value - r.value : r.value - *r.original_value;
    if (worsening > c.max_worsening_from_original() + 1e-12) {
      f->failure = "worse-than-original";
      f->explanation = what + ": point estimate " + FormatNumber(r.value) + " is " +
                       internal::FormatMargin(worsening) + " worse than the originally authorised version " +
                       original + " (" + FormatNumber(*r.original_value) + "); " + f->criterion_path +
                       " allows at most " + FormatNumber(c.max_worsening_from_original());
      return false;
    }
    return true;
  }

  // Adds the verdict and actions of authorizations[index]; true when the plan
  // gives the change legal effect there.
  bool AddJurisdiction(int index, bool in_plan) {
    const v1::Authorization& a = plan_.authorizations(index);
    const bool authorized = a.status() == v1::Authorization::AUTHORIZED;
    const internal::RouteInput in{rec_, ev_, a, internal::RouteFor(ev_, rec_, authorized, in_plan), date_};
    internal::JurisdictionOutcome outcome;
    switch (a.jurisdiction()) {
      case v1::US:
        outcome = internal::UsOutcome(in);
        break;
      case v1::EU:
        outcome = internal::EuOutcome(in);
        break;
      case v1::SG:
        outcome = internal::SgOutcome(in);
        break;
      default:
        // No change rules for other jurisdictions are encoded: say so rather than guess.
        outcome.explanation = "no change rules encoded for this jurisdiction";
        outcome.actions.push_back(
            {v1::Jurisdiction_Name(a.jurisdiction()), "assess-locally", "",
             "No change rules for this jurisdiction are encoded; assess the change under "
             "its own regulations.",
             "", ""});
        break;
    }
    JurisdictionVerdict v;
    v.jurisdiction = v1::Jurisdiction_Name(a.jurisdiction());
    v.authorization_status = v1::Authorization::Status_Name(a.status());
    v.reference = a.reference();
    v.within_plan = authorized && in_plan && outcome.plan_effective;
    v.explanation = std::move(outcome.explanation);
    ev_.jurisdictions.push_back(std::move(v));
    for (Action& action : outcome.actions) ev_.actions.push_back(std::move(action));
    return ev_.jurisdictions.back().within_plan;
  }

  const v1::ChangePlan& plan_;
  const ModificationRecord& rec_;
  const std::string date_;
  Evaluation ev_{};
};

Status CheckRecord(const v1::ChangePlan& plan, const ModificationRecord& r) {
  if (r.software_version.empty()) return Bad("softwareVersion", "is required");
  if (r.modification_id.empty() && !r.changes.MinorRevision()) return Bad("modificationId", "is required");
  for (size_t i = 0; i < r.results.size(); ++i) {
    const MetricResult& m = r.results[i];
    const std::string path = ElementPath("results", i);
    if (m.metric.empty()) return Bad(path + ".metric", "is required");
    if (!std::isfinite(m.value)) return Bad(path + ".value", "must be finite");
    DOSSIER_RETURN_IF_ERROR(internal::CheckProportionValues(plan, m.metric,
                                                            {{m.value, "value"},
                                                             {m.ci_lower, "ciLower"},
                                                             {m.ci_upper, "ciUpper"},
                                                             {m.original_value, "originalValue"}},
                                                            path, kBad));
  }
  return Status::Ok();
}

// Today's date in UTC, YYYY-MM-DD.
std::string TodayUtc() {
  const std::chrono::year_month_day day{
      std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now())};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(day.year()),
                static_cast<unsigned>(day.month()), static_cast<unsigned>(day.day()));
  return buf;
}

}  // namespace

StatusOr<Evaluation> Evaluate(const v1::ChangePlan& plan, const ModificationRecord& record,
                              const EvaluateOptions& options) {
  std::string date = options.evaluation_date.empty() ? TodayUtc() : options.evaluation_date;
  if (!schema::IsValidIsoDate(date)) {
    return InvalidArgument("evaluationDate: must be YYYY-MM-DD, got \"" + date + "\"", "bad-evaluation-date",
                           "evaluationDate");
  }
  DOSSIER_RETURN_IF_ERROR(schema::ValidateChangePlan(plan));
  DOSSIER_RETURN_IF_ERROR(CheckRecord(plan, record));
  return Evaluator(plan, record, std::move(date)).Run();
}

// ------------------------------------------------------------------ output

namespace {

boost::json::value Opt(const std::optional<double>& v) { return v ? boost::json::value(*v) : nullptr; }

}  // namespace

boost::json::object FindingToJson(const Finding& f) {
  boost::json::object o;
  o["modificationId"] = f.modification_id;
  o["metric"] = f.metric;
  o["subgroup"] = f.subgroup;
  if (!f.site.empty()) o["site"] = f.site;
  o["estimate"] = f.estimate;
  o["value"] = f.measured ? boost::json::value(f.value) : nullptr;
  o["threshold"] = f.threshold_min ? boost::json::value(*f.threshold_min) : Opt(f.threshold_max);
  o["thresholdMin"] = Opt(f.threshold_min);
  o["thresholdMax"] = Opt(f.threshold_max);
  o["pass"] = f.pass;
  if (!f.failure.empty()) o["failure"] = f.failure;
  if (f.point) o["pointEstimate"] = *f.point;
  if (f.ci_lower) o["ciLower"] = *f.ci_lower;
  if (f.ci_upper) o["ciUpper"] = *f.ci_upper;
  if (f.n) o["sampleSize"] = *f.n;
  if (f.min_n) o["minSampleSize"] = *f.min_n;
  if (f.max_worsening) o["maxWorseningFromOriginal"] = *f.max_worsening;
  if (f.original_value) o["originalValue"] = *f.original_value;
  o["criterion"] = f.criterion_path;
  if (!f.result_path.empty()) o["result"] = f.result_path;
  o["explanation"] = f.explanation;
  return o;
}

boost::json::object EvaluationToJson(const Evaluation& e) {
  boost::json::object o;
  o["withinPlan"] = e.within_plan;
  o["changeClass"] = e.change_class;
  o["modificationId"] = e.modification_id;
  o["softwareVersion"] = e.software_version;
  o["planVersion"] = e.plan_version;
  o["evaluationDate"] = e.evaluation_date;
  boost::json::array reasons;
  for (const auto& r : e.out_of_plan_reasons) reasons.emplace_back(r);
  o["outOfPlanReasons"] = std::move(reasons);
  boost::json::array details;
  for (const auto& d : e.reason_details) {
    details.emplace_back(
        boost::json::object{{"code", d.code}, {"field", d.field}, {"explanation", d.explanation}});
  }
  o["reasons"] = std::move(details);
  boost::json::array findings;
  for (const auto& f : e.findings) findings.emplace_back(FindingToJson(f));
  o["findings"] = std::move(findings);
  boost::json::array jurisdictions;
  for (const auto& j : e.jurisdictions) {
    jurisdictions.emplace_back(boost::json::object{{"jurisdiction", j.jurisdiction},
                                                   {"authorizationStatus", j.authorization_status},
                                                   {"reference", j.reference},
                                                   {"withinPlan", j.within_plan},
                                                   {"explanation", j.explanation}});
  }
  o["jurisdictions"] = std::move(jurisdictions);
  boost::json::array actions;
  for (const auto& a : e.actions) {
    boost::json::object ao{{"jurisdiction", a.jurisdiction},
                           {"action", a.action},
                           {"citation", a.citation},
                           {"explanation", a.explanation}};
    if (!a.category.empty()) ao["category"] = a.category;
    if (!a.verification.empty()) ao["verification"] = a.verification;
    actions.emplace_back(std::move(ao));
  }
  o["actions"] = std::move(actions);
  return o;
}

}  // namespace dossier::pccp
