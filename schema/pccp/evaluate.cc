#include "schema/pccp/evaluate.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <utility>

#include "schema/pccp/json_reader.h"
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
  DOSSIER_RETURN_IF_ERROR(
      r.CheckMembers({"metric", "subgroup", "value", "ciLower", "ciUpper", "confidenceLevel", "n"}));
  MetricResult m;
  DOSSIER_ASSIGN_OR_RETURN(m.metric, r.RequiredString("metric"));
  DOSSIER_ASSIGN_OR_RETURN(m.subgroup, r.OptionalString("subgroup"));
  DOSSIER_ASSIGN_OR_RETURN(m.value, r.RequiredNumber("value"));
  DOSSIER_ASSIGN_OR_RETURN(m.ci_lower, r.OptionalNumber("ciLower"));
  DOSSIER_ASSIGN_OR_RETURN(m.ci_upper, r.OptionalNumber("ciUpper"));
  DOSSIER_ASSIGN_OR_RETURN(m.confidence_level, r.OptionalNumber("confidenceLevel"));
  DOSSIER_ASSIGN_OR_RETURN(m.n, r.OptionalCount("n"));
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
      r.CheckMembers({"planVersion", "modificationId", "softwareVersion", "previousSoftwareVersion", "date",
                      "rationale", "approver", "notifiedParties", "results", "dataSummary", "changes"}));
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

const char* const kPccpGuidance =
    "FDA guidance \"Marketing Submission Recommendations for a Predetermined Change Control Plan for "
    "AI-Enabled Device Software Functions\" (18 Aug 2025)";

// The FDA pathway that authorised the plan, from the number's shape
// (regulatory.md §2.4: K + 6 digits 510(k), DEN + 6 De Novo, P + 6 PMA).
enum class UsPathway { kUnknown, k510k, kDeNovo, kPma };

UsPathway PathwayOf(const std::string& reference) {
  auto digits = [](std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  std::string_view ref = reference;
  if (ref.size() == 9 && ref.substr(0, 3) == "DEN" && digits(ref.substr(3))) return UsPathway::kDeNovo;
  if (ref.size() == 7 && ref[0] == 'K' && digits(ref.substr(1))) return UsPathway::k510k;
  if (ref.size() >= 7 && ref[0] == 'P' && digits(ref.substr(1, 6))) return UsPathway::kPma;
  return UsPathway::kUnknown;
}

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

class Evaluator {
 public:
  Evaluator(const v1::ChangePlan& plan, const ModificationRecord& record) : plan_(plan), rec_(record) {}

  Evaluation Run() {
    ev_.modification_id = rec_.modification_id;
    ev_.software_version = rec_.software_version;
    ev_.plan_version = rec_.plan_version;
    CheckPlanVersion();
    const v1::Modification* mod = FindModification();
    CheckChanges(mod);
    if (mod != nullptr) CheckCriteria(*mod);
    const bool in_plan = ev_.out_of_plan_reasons.empty();

    bool any_authorized = false;
    for (const auto& a : plan_.authorizations())
      any_authorized |= a.status() == v1::Authorization::AUTHORIZED;
    if (!any_authorized) {
      AddReason("plan-not-authorized", "authorizations",
                "the plan is authorised in no jurisdiction, so no change can rely on it");
    }
    ev_.within_plan = in_plan && any_authorized;
    for (const auto& a : plan_.authorizations()) AddJurisdiction(a, in_plan);
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
  bool Has(std::string_view code) const {
    return std::find(ev_.out_of_plan_reasons.begin(), ev_.out_of_plan_reasons.end(), code) !=
           ev_.out_of_plan_reasons.end();
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
                      " permits (FDA PCCP modification type (ii) covers only inputs "
                      "the plan specifies)");
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
      } else if (f.failure == "insufficient-sample-size") {
        AddReason("insufficient-sample-size", f.result_path + ".n", f.explanation);
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

  // ----------------------------------------------------- per jurisdiction

  // Why the change is outside the plan here, most consequential first: a use
  // change needs a new submission whatever else is wrong.
  enum class Route { kWithinPlan, kUseChange, kMinorRevision, kFailedEvaluation, kOutOfPlan };

  Route RouteFor(bool authorized, bool in_plan) const {
    if (Has("indication-change") || Has("intended-use-change") || Has("clinician-review-removed")) {
      return Route::kUseChange;
    }
    if (in_plan && authorized) return Route::kWithinPlan;
    if (rec_.changes.MinorRevision()) return Route::kMinorRevision;
    const bool only_evaluation =
        std::all_of(ev_.out_of_plan_reasons.begin(), ev_.out_of_plan_reasons.end(), [](const std::string& r) {
          return r == "criterion-failed" || r == "missing-result" || r == "insufficient-sample-size" ||
                 r == "plan-not-authorized";
        });
    if (!in_plan && only_evaluation) return Route::kFailedEvaluation;
    return Route::kOutOfPlan;
  }

  void AddJurisdiction(const v1::Authorization& a, bool in_plan) {
    const bool authorized = a.status() == v1::Authorization::AUTHORIZED;
    JurisdictionVerdict v;
    v.jurisdiction = v1::Jurisdiction_Name(a.jurisdiction());
    v.authorization_status = v1::Authorization::Status_Name(a.status());
    v.reference = a.reference();
    v.within_plan = authorized && in_plan;
    ev_.jurisdictions.push_back(v);
    const Route route = RouteFor(authorized, in_plan);
    const std::string not_authorized = authorized ? std::string()
                                                  : "The plan is not authorised here (status " +
                                                        v.authorization_status +
                                                        "), so it cannot be "
                                                        "relied on. ";
    switch (a.jurisdiction()) {
      case v1::US:
        Us(a, route, not_authorized);
        break;
      case v1::EU:
        Eu(route, not_authorized);
        break;
      case v1::SG:
        Sg(a, route, not_authorized);
        break;
      default:
        // No rules for other jurisdictions in the reference material: say so
        // rather than guess.
        Add(v.jurisdiction, "assess-locally", "",
            "No change rules for this jurisdiction are encoded; assess the change under its own "
            "regulations.");
        break;
    }
  }

  void Add(const std::string& j, std::string action, std::string citation, std::string explanation,
           std::string category = {}) {
    ev_.actions.push_back(
        {j, std::move(action), std::move(citation), std::move(explanation), std::move(category)});
  }

  std::string FailedSummary() const {
    std::string out;
    for (const Finding& f : ev_.findings) {
      if (f.pass) continue;
      out += (out.empty() ? "" : "; ") + f.explanation;
    }
    return out;
  }

  void UsSubmission(const v1::Authorization& a, const std::string& why) {
    switch (PathwayOf(a.reference())) {
      case UsPathway::k510k:
        Add("US", "new-510k", "21 CFR 807.81; " + std::string(kPccpGuidance),
            why +
                "A change outside the authorised PCCP generally needs a new 510(k) before marketing "
                "(a De Novo request if the changed device is no longer substantially equivalent).");
        break;
      case UsPathway::kDeNovo:
        Add("US", "new-510k", "21 CFR 807.81; " + std::string(kPccpGuidance),
            why + "A change outside the PCCP authorised with De Novo " + a.reference() +
                " generally needs a new submission: a 510(k) with the De Novo device as predicate, or a new "
                "De Novo request if it no longer fits.");
        break;
      case UsPathway::kPma:
        Add("US", "pma-supplement", "21 CFR 814.39; " + std::string(kPccpGuidance),
            why + "A change outside the PCCP authorised with PMA " + a.reference() +
                " needs a PMA supplement.");
        break;
      case UsPathway::kUnknown:
        Add("US", "new-marketing-submission", kPccpGuidance,
            why +
                "A change outside an authorised PCCP generally needs a new marketing submission (510(k), "
                "De Novo or PMA supplement, following the device's original pathway).");
        break;
    }
  }

  void Us(const v1::Authorization& a, Route route, const std::string& not_authorized) {
    const std::string basis = PathwayOf(a.reference()) == UsPathway::k510k
                                  ? "FD&C 515C; 21 CFR 807.81(b)(1)(ii); " + std::string(kPccpGuidance)
                                  : "FD&C 515C; " + std::string(kPccpGuidance);
    switch (route) {
      case Route::kWithinPlan:
        Add("US", "document-in-qms", basis,
            "Modification " + rec_.modification_id + " was executed within the PCCP authorised under " +
                a.reference() +
                " and met every acceptance criterion: no new submission; document it in the "
                "quality system.");
        Add("US", "update-labelling", std::string(kPccpGuidance) + " (update procedures); 21 CFR 830.50",
            "Update labelling to describe the implemented modification and how users are informed (e.g. "
            "version "
            "history for " +
                rec_.software_version + "), and give the new version a new UDI.");
        return;
      case Route::kUseChange:
        UsSubmission(a, not_authorized + "An indication or intended-use change is outside any PCCP. ");
        return;
      case Route::kMinorRevision:
        Add("US", "document-in-qms",
            PathwayOf(a.reference()) == UsPathway::kPma ? "21 CFR 814.39" : "21 CFR 807.81",
            not_authorized +
                "A minor revision is not a PCCP modification: document it under design controls "
                "and assess there whether it needs a new submission.");
        return;
      case Route::kFailedEvaluation:
        if (!ev_.findings.empty() && Has("criterion-failed")) {
          Add("US", "do-not-implement", std::string(kPccpGuidance) + " (performance evaluation)",
              "The modification failed its pre-defined acceptance criteria: record the failure and do not "
              "implement it. " +
                  FailedSummary());
        } else if (Has("missing-result") || Has("insufficient-sample-size")) {
          Add("US", "do-not-implement", std::string(kPccpGuidance) + " (performance evaluation)",
              "The evaluation the protocol requires is incomplete, so the modification may not be "
              "implemented "
              "under the PCCP yet. " +
                  FailedSummary());
        }
        UsSubmission(a, not_authorized + (Has("criterion-failed") || Has("missing-result") ||
                                                  Has("insufficient-sample-size")
                                              ? "(If it is to be marketed anyway.) "
                                              : ""));
        return;
      case Route::kOutOfPlan:
        UsSubmission(a, not_authorized);
        return;
    }
  }

  void EuUdi() {
    // MDR Annex VI Part C 6.5: minor revisions take a new UDI-PI; changes to
    // original performance, safety, intended use or data interpretation a new UDI-DI.
    if (rec_.changes.MinorRevision()) {
      Add("EU", "new-udi-pi", "MDR 2017/745 Annex VI Part C 6.5",
          std::string("A ") + (rec_.changes.bug_fix_only ? "bug fix" : "security patch") +
              " is a minor software revision: the software identification changes, so " +
              rec_.software_version + " gets a new UDI-PI; the UDI-DI stays.");
      return;
    }
    std::string why = "it changes the device's original performance";
    if (Has("indication-change") || Has("intended-use-change")) {
      why = "it changes the intended use";
    } else if (rec_.changes.data_interpretation_changed) {
      why = "it changes the interpretation of data";
    } else if (Has("new-input-type")) {
      why = "it changes the inputs and so the original performance";
    }
    Add("EU", "new-udi-di", "MDR 2017/745 Annex VI Part C 6.5",
        rec_.software_version + " needs a new UDI-DI because " + why + ".");
  }

  void Eu(Route route, const std::string& not_authorized) {
    const std::string significant =
        "MDR 2017/745 Annex IX §4.10; MDCG 2020-3; Regulation (EU) 2024/1689 Art. 43(4)";
    switch (route) {
      case Route::kWithinPlan:
        Add("EU", "pre-determined-change",
            "Regulation (EU) 2024/1689 Art. 43(4) and Annex IV point 2(f); MDR 2017/745 Annex IX §4.10; MDCG "
            "2025-6",
            "Modification " + rec_.modification_id +
                " is a pre-determined change assessed at conformity "
                "assessment and met its criteria: not a substantial modification and not a change to the "
                "certified "
                "device. Record it in the technical documentation (test logs per Annex IV point 2(g)).");
        break;
      case Route::kUseChange:
        Add("EU", "significant-change-notified-body", significant,
            not_authorized +
                "A change of indication or intended use is outside the pre-determined changes: it is a "
                "significant change that the notified body must assess before the device is placed "
                "on the market.");
        break;
      case Route::kMinorRevision:
        Add("EU", "document-in-qms", "MDR 2017/745 Annex VI Part C 6.5; MDCG 2020-3",
            not_authorized +
                "A minor revision is not a pre-determined change: document it under the QMS and "
                "assess against MDCG 2020-3 whether it is a significant change (inform the notified "
                "body if so).");
        break;
      case Route::kFailedEvaluation:
        Add("EU", "do-not-implement", "Regulation (EU) 2024/1689 Art. 43(4) and Annex IV point 2(f)",
            not_authorized +
                "The change does not meet the pre-determined change's acceptance criteria, so it is "
                "not covered by the pre-determined changes. " +
                FailedSummary());
        Add("EU", "significant-change-notified-body", significant,
            "If it is to be placed on the market anyway, the notified body must assess it as a significant "
            "change / substantial modification first.");
        break;
      case Route::kOutOfPlan:
        Add("EU", "significant-change-notified-body", significant,
            not_authorized +
                "The change is not a pre-determined change: inform the notified body, which assesses "
                "whether it is a significant change (MDR) and a substantial modification (AI Act) "
                "before it is placed on the market.");
        break;
    }
    EuUdi();
  }

  void Sg(const v1::Authorization& a, Route route, const std::string& not_authorized) {
    // GN-21 categories by class: Review for Class B, Technical for C and D.
    const std::string& cls = a.risk_class();
    std::string category = "Technical";
    std::string by_class = "Technical category (Class C and D) or Review category (Class B)";
    if (cls == "B") {
      category = "Review";
      by_class = "Review category (Class B)";
    } else if (cls == "C" || cls == "D") {
      by_class = "Technical category (Class " + cls + ")";
    } else {
      category = "";
    }
    switch (route) {
      case Route::kWithinPlan:
        Add("SG", "within-cmp", "HSA GN-37",
            "Modification " + rec_.modification_id +
                " is a pre-specified change under the approved change "
                "management programme (" +
                a.reference() +
                ") and met its criteria: implement without a change "
                "notification.");
        return;
      case Route::kUseChange:
        Add("SG", "new-registration", "HSA GN-21",
            not_authorized +
                "A change notification cannot be used for a change of intended use; for ML-enabled "
                "devices an indication change or bypassing clinician review needs a new registration "
                "(GN-21 flowchart 2.5, type 5C).");
        return;
      case Route::kMinorRevision:
        Add("SG", "change-notification", "HSA GN-21",
            not_authorized +
                "A minor revision is not a pre-specified change: determine its change-notification "
                "category from GN-21 (Annex 2 summary table) before implementing it.");
        return;
      case Route::kFailedEvaluation:
        Add("SG", "do-not-implement", "HSA GN-37",
            not_authorized + "The change fails the acceptance criteria of the pre-specified change. " +
                FailedSummary());
        Add("SG", "change-notification", "HSA GN-21",
            "If it is to be implemented anyway: a change notification with HSA approval before "
            "implementation; "
            "a change to ML outputs with the same input type is change type 2Aiii (Notification category) "
            "under "
            "GN-21 flowchart 2.5.",
            "Notification");
        return;
      case Route::kOutOfPlan:
        if (Has("new-input-type") || Has("unknown-modification")) {
          Add("SG", "change-notification", "HSA GN-21",
              not_authorized + "Outside the change management programme: submit a change notification, " +
                  by_class + ", and obtain HSA approval before implementing.",
              category);
        } else {
          // Same inputs, plan not relied on (not authorised here / version mismatch).
          Add("SG", "change-notification", "HSA GN-21",
              not_authorized +
                  "Submit a change notification before implementing; a change to ML outputs with the "
                  "same input type is change type 2Aiii (Notification category) under GN-21 "
                  "flowchart 2.5.",
              "Notification");
        }
        return;
    }
  }

  const v1::ChangePlan& plan_;
  const ModificationRecord& rec_;
  Evaluation ev_{};
};

Status CheckRecord(const ModificationRecord& r) {
  if (r.software_version.empty()) return Bad("softwareVersion", "is required");
  if (r.modification_id.empty() && !r.changes.MinorRevision()) return Bad("modificationId", "is required");
  for (size_t i = 0; i < r.results.size(); ++i) {
    const MetricResult& m = r.results[i];
    const std::string path = ElementPath("results", i);
    if (m.metric.empty()) return Bad(path + ".metric", "is required");
    if (!std::isfinite(m.value)) return Bad(path + ".value", "must be finite");
  }
  return Status::Ok();
}

}  // namespace

StatusOr<Evaluation> Evaluate(const v1::ChangePlan& plan, const ModificationRecord& record) {
  DOSSIER_RETURN_IF_ERROR(schema::ValidateChangePlan(plan));
  DOSSIER_RETURN_IF_ERROR(CheckRecord(record));
  return Evaluator(plan, record).Run();
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
  if (f.n) o["n"] = *f.n;
  if (f.min_n) o["minN"] = *f.min_n;
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
                                                   {"withinPlan", j.within_plan}});
  }
  o["jurisdictions"] = std::move(jurisdictions);
  boost::json::array actions;
  for (const auto& a : e.actions) {
    boost::json::object ao{{"jurisdiction", a.jurisdiction},
                           {"action", a.action},
                           {"citation", a.citation},
                           {"explanation", a.explanation}};
    if (!a.category.empty()) ao["category"] = a.category;
    actions.emplace_back(std::move(ao));
  }
  o["actions"] = std::move(actions);
  return o;
}

}  // namespace dossier::pccp
