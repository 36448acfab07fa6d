#include "schema/pccp/routes.h"

#include <algorithm>
#include <cctype>
#include <iterator>
#include <utility>

namespace dossier::pccp::internal {

Action MakeAction(std::string jurisdiction, std::string action, std::string citation, std::string explanation,
                  std::string verification, std::string category) {
  return {std::move(jurisdiction), std::move(action),   std::move(citation),
          std::move(explanation),  std::move(category), std::move(verification)};
}

std::string EvaluationFailureText(const RouteInput& in) {
  if (in.ProtocolNotFollowed()) {
    return "The modification was not evaluated as the authorised protocol requires (sequestered test "
           "data, the protocol's reference standard), so it is not a change made in accordance with the "
           "plan: do not implement it under the plan. ";
  }
  if (in.FailedCriteria()) {
    return "The modification failed its pre-defined acceptance criteria: record the failure and do not "
           "implement it. ";
  }
  return "The evaluation the protocol requires is incomplete, so the modification may not be implemented "
         "under the plan yet. ";
}

namespace {

const char* const kPccpGuidance =
    "FDA guidance \"Marketing Submission Recommendations for a Predetermined Change Control Plan for "
    "Artificial Intelligence-Enabled Device Software Functions\" (final, 4 Dec 2024)";

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// ------------------------------------------------------------------- US

// The FDA pathway that authorised the plan, from the number's shape
// (K + 6 digits 510(k), DEN + 6 De Novo, P + 6 PMA).
enum class UsPathway { kUnknown, k510k, kDeNovo, kPma };

UsPathway PathwayOf(std::string_view ref) {
  if (ref.size() == 9 && ref.substr(0, 3) == "DEN" && AllDigits(ref.substr(3))) return UsPathway::kDeNovo;
  if (ref.size() == 7 && ref[0] == 'K' && AllDigits(ref.substr(1))) return UsPathway::k510k;
  if (ref.size() >= 7 && ref[0] == 'P' && AllDigits(ref.substr(1, 6))) return UsPathway::kPma;
  return UsPathway::kUnknown;
}

// A change outside the plan: the submission the device's pathway needs.
Action UsSubmission(const RouteInput& in, const std::string& why) {
  const std::string& ref = in.authorization.reference();
  switch (PathwayOf(ref)) {
    case UsPathway::k510k:
      return MakeAction("US", "new-510k", "21 CFR 807.81(a)(3); FD&C Act §515C (21 U.S.C. 360e-4)",
                        why +
                            "A change outside the authorised PCCP that could significantly affect safety or "
                            "effectiveness needs a new 510(k) before marketing; its predicate is the version "
                            "cleared before any change under the plan (FD&C Act §515C, predicate devices).",
                        kSecondary);
    case UsPathway::kDeNovo:
      return MakeAction(
          "US", "new-510k", "21 CFR 807.81(a)(3); FD&C Act §515C (21 U.S.C. 360e-4)",
          why + "A change outside the PCCP authorised with De Novo " + ref +
              " generally needs a new submission: a 510(k) with the De Novo device as predicate, "
              "or a new De Novo request if it no longer fits.",
          kSecondary);
    case UsPathway::kPma:
      return MakeAction("US", "pma-supplement", "21 CFR 814.39(a); FD&C Act §515C(a) (21 U.S.C. 360e-4(a))",
                        why + "A change outside the PCCP approved with PMA " + ref +
                            " that affects safety or effectiveness needs a PMA supplement.",
                        kSecondary);
    case UsPathway::kUnknown:
      break;
  }
  return MakeAction(
      "US", "new-marketing-submission", "FD&C Act §515C (21 U.S.C. 360e-4)",
      why +
          "A change outside an authorised PCCP generally needs a new marketing submission "
          "(510(k), De Novo or PMA supplement, following the device's original pathway); the "
          "authorisation number " +
          (ref.empty() ? std::string("is missing") : "\"" + ref + "\" is not a K, DEN or P number") +
          ", so the pathway cannot be told.",
      kVerified);
}

std::string UsWithinPlanCitation(UsPathway pathway) {
  const std::string guidance = std::string("; ") + kPccpGuidance;
  switch (pathway) {
    case UsPathway::k510k:
      return "FD&C Act §515C(b) (21 U.S.C. 360e-4(b))" + guidance;
    case UsPathway::kPma:
      return "FD&C Act §515C(a) (21 U.S.C. 360e-4(a))" + guidance;
    default:
      return "FD&C Act §515C (21 U.S.C. 360e-4)" + guidance;
  }
}

}  // namespace

JurisdictionOutcome UsOutcome(const RouteInput& in) {
  JurisdictionOutcome out;
  const UsPathway pathway = PathwayOf(in.authorization.reference());
  const std::string not_authorized = in.NotAuthorizedText();
  switch (in.route) {
    case Route::kWithinPlan:
      out.plan_effective = true;
      out.explanation = "consistent with the PCCP authorised under " + in.authorization.reference();
      out.actions.push_back(MakeAction(
          "US", "document-in-qms", UsWithinPlanCitation(pathway),
          "Modification " + in.record.modification_id + " was executed within the PCCP authorised under " +
              in.authorization.reference() +
              " and met every acceptance criterion on sequestered test data: a change consistent with the "
              "authorised plan needs no new submission; document it in the quality system.",
          pathway == UsPathway::kDeNovo || pathway == UsPathway::kUnknown ? kSecondary : kVerified));
      out.actions.push_back(MakeAction(
          "US", "update-labelling", std::string("21 CFR 830.50(a); ") + kPccpGuidance + " (labelling)",
          "Update labelling to describe the implemented modification and how users are informed "
          "(e.g. version history for " +
              in.record.software_version +
              "); a change that results in a new version needs a new device identifier (21 CFR 830.50(a)).",
          kVerified));
      break;
    case Route::kUseChange:
      out.actions.push_back(
          UsSubmission(in, not_authorized + "An indication or intended-use change is outside any PCCP. "));
      break;
    case Route::kMinorRevision:
      out.actions.push_back(MakeAction(
          "US", "document-in-qms", pathway == UsPathway::kPma ? "21 CFR 814.39(a)" : "21 CFR 807.81(a)(3)",
          not_authorized +
              "A minor revision is not a PCCP modification: document it under design controls and assess "
              "there whether it could significantly affect safety or effectiveness (then a submission is "
              "needed).",
          kSecondary));
      break;
    case Route::kFailedEvaluation:
      out.actions.push_back(MakeAction("US", "do-not-implement",
                                       std::string("FD&C Act §515C (21 U.S.C. 360e-4); ") + kPccpGuidance +
                                           " (Modification Protocol: performance evaluation)",
                                       EvaluationFailureText(in) + in.FailedSummary(), kSecondary));
      out.actions.push_back(UsSubmission(in, not_authorized + "(If it is to be marketed anyway.) "));
      break;
    case Route::kOutOfPlan:
      out.actions.push_back(UsSubmission(in, not_authorized));
      break;
  }
  if (!out.plan_effective) {
    out.explanation = in.NotEffectiveText("the change is not within the authorised PCCP",
                                          "the plan is not authorised by FDA");
  }
  return out;
}

// ------------------------------------------------------------------- SG

namespace {

constexpr const char* kGn21 = "HSA GN-21 (revision effective 14 Jul 2025)";

// GN-21 change-notification category by risk class: Review for Class B,
// Technical for Class C and D; "" when the class is not recorded.
std::string CategoryByClass(const std::string& cls) {
  if (cls == "B") return "Review";
  if (cls == "C" || cls == "D") return "Technical";
  return "";
}

// The text of a change notification, written from its category so that the
// two never disagree.
std::string NotificationText(const std::string& category) {
  if (category == "Notification") {
    return "submit a Notification-category change notification before implementing it (GN-21 Flowchart 2.5, "
           "change type 2Aiii: a change to ML outputs with the same input type).";
  }
  if (category == "Review") {
    return "submit a Review-category change notification (Class B) and implement the change only after HSA "
           "approves it.";
  }
  if (category == "Technical") {
    return "submit a Technical-category change notification (Class C/D) and implement the change only after "
           "HSA approves it.";
  }
  return "submit a change notification - Review category for Class B, Technical for Class C and D "
         "(the plan's SG authorisation records no risk class) - and implement the change only after "
         "HSA approves it.";
}

}  // namespace

JurisdictionOutcome SgOutcome(const RouteInput& in) {
  JurisdictionOutcome out;
  const std::string not_authorized = in.NotAuthorizedText();
  const std::string by_class = CategoryByClass(in.authorization.risk_class());
  switch (in.route) {
    case Route::kWithinPlan:
      out.plan_effective = true;
      out.explanation = "pre-specified change under the approved change management programme";
      out.actions.push_back(
          MakeAction("SG", "within-cmp", "HSA GN-37 (R1, effective 4 Dec 2024)",
                     "Modification " + in.record.modification_id +
                         " is a pre-specified change under the approved change management "
                         "programme (" +
                         in.authorization.reference() +
                         ") and met its criteria: implement it without a change notification.",
                     kSecondary));
      break;
    case Route::kUseChange:
      out.actions.push_back(MakeAction(
          "SG", "new-registration", std::string(kGn21) + ", Flowchart 2.5 (change type 5C)",
          not_authorized +
              "A change of indication, or bypassing the clinician's review of the output, cannot be made by "
              "change notification: it needs a new product registration.",
          kSecondary));
      break;
    case Route::kMinorRevision:
      out.actions.push_back(MakeAction("SG", "change-notification", kGn21,
                                       not_authorized +
                                           "A minor revision is not a pre-specified change: determine its "
                                           "change-notification category from GN-21 before implementing it.",
                                       kSecondary));
      break;
    case Route::kFailedEvaluation:
      out.actions.push_back(MakeAction("SG", "do-not-implement", "HSA GN-37 (R1, effective 4 Dec 2024)",
                                       not_authorized + EvaluationFailureText(in) + in.FailedSummary(),
                                       kSecondary));
      // A change that failed (or never completed) its validation changes the
      // device's performance unvalidated: never the lowest category.
      out.actions.push_back(MakeAction("SG", "change-notification", kGn21,
                                       "If it is to be implemented anyway: " + NotificationText(by_class),
                                       kSecondary, by_class));
      break;
    case Route::kOutOfPlan: {
      // Only a validated change to the ML output with the same inputs is
      // GN-21 change type 2Aiii (Notification).
      const bool same_inputs = !in.Has("new-input-type") && !in.Has("unknown-modification");
      const std::string category = same_inputs && in.Validated() ? std::string("Notification") : by_class;
      out.actions.push_back(MakeAction(
          "SG", "change-notification", kGn21,
          not_authorized + "Outside the change management programme: " + NotificationText(category),
          kSecondary, category));
      break;
    }
  }
  if (!out.plan_effective) {
    out.explanation = in.NotEffectiveText("the change is not within the change management programme",
                                          "the change management programme is not approved by HSA");
  }
  return out;
}

// ------------------------------------------------------------- shared

namespace {

// Reasons that concern only the evaluation of a planned change.
bool IsEvaluationReason(std::string_view r) {
  static constexpr std::string_view kReasons[] = {"criterion-failed",
                                                  "cumulative-degradation",
                                                  "missing-result",
                                                  "insufficient-sample-size",
                                                  "sequestration-not-stated",
                                                  "test-data-not-sequestered",
                                                  "reference-standard-not-stated",
                                                  "reference-standard-changed",
                                                  "plan-not-authorized"};
  return std::find(std::begin(kReasons), std::end(kReasons), r) != std::end(kReasons);
}

}  // namespace

bool RouteInput::Has(std::string_view reason) const {
  const auto& r = evaluation.out_of_plan_reasons;
  return std::find(r.begin(), r.end(), reason) != r.end();
}

bool RouteInput::FailedCriteria() const { return Has("criterion-failed") || Has("cumulative-degradation"); }

bool RouteInput::IncompleteEvaluation() const {
  return Has("missing-result") || Has("insufficient-sample-size") || Has("sequestration-not-stated") ||
         Has("reference-standard-not-stated");
}

bool RouteInput::ProtocolNotFollowed() const {
  return Has("test-data-not-sequestered") || Has("reference-standard-changed");
}

bool RouteInput::Validated() const {
  const auto& f = evaluation.findings;
  return !f.empty() && std::all_of(f.begin(), f.end(), [](const Finding& x) { return x.pass; }) &&
         !FailedCriteria() && !IncompleteEvaluation() && !ProtocolNotFollowed();
}

std::string RouteInput::FailedSummary() const {
  std::string out;
  for (const Finding& f : evaluation.findings) {
    if (!f.pass) out += (out.empty() ? "" : "; ") + f.explanation;
  }
  for (const ReasonDetail& d : evaluation.reason_details) {
    if (d.code == "sequestration-not-stated" || d.code == "test-data-not-sequestered" ||
        d.code == "reference-standard-not-stated" || d.code == "reference-standard-changed") {
      out += (out.empty() ? "" : "; ") + d.explanation;
    }
  }
  return out;
}

std::string RouteInput::NotEffectiveText(const std::string& outside, const std::string& unauthorised) const {
  if (authorized()) return outside;
  return unauthorised + " (status " + v1::Authorization::Status_Name(authorization.status()) + ")";
}

std::string RouteInput::NotAuthorizedText() const {
  if (authorized()) return "";
  return "The plan is not authorised here (status " + v1::Authorization::Status_Name(authorization.status()) +
         "), so it cannot be relied on. ";
}

Route RouteFor(const Evaluation& evaluation, const ModificationRecord& record, bool authorized,
               bool in_plan) {
  const auto& reasons = evaluation.out_of_plan_reasons;
  auto has = [&](std::string_view r) {
    return std::find(reasons.begin(), reasons.end(), r) != reasons.end();
  };
  if (has("indication-change") || has("intended-use-change") || has("clinician-review-removed")) {
    return Route::kUseChange;
  }
  if (in_plan && authorized) return Route::kWithinPlan;
  if (record.changes.MinorRevision()) return Route::kMinorRevision;
  const bool only_evaluation = std::all_of(reasons.begin(), reasons.end(), IsEvaluationReason);
  if (!in_plan && only_evaluation) return Route::kFailedEvaluation;
  return Route::kOutOfPlan;
}

}  // namespace dossier::pccp::internal
