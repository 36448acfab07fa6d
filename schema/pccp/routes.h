// The regulatory consequence of an evaluated change in each jurisdiction
// (internal to schema/pccp; Evaluate is the public entry point). One function
// per jurisdiction turns the evaluation's findings and reasons into actions,
// each with its citation and how far that citation was checked (README.md,
// "Sources").
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "dossier/v1/change_plan.pb.h"
#include "schema/pccp/evaluate.h"

namespace dossier::pccp::internal {

// The first day AI Act Art 43(4) (pre-determined changes are no substantial
// modification) applies to AI systems that are MDR/IVDR devices needing a
// notified body (high-risk under Art 6(1)): Art 113 third paragraph point (c),
// as amended by Regulation (EU) 2026/1744 (originally 2 August 2027).
inline constexpr std::string_view kAiActMedicalDevicesFrom = "2028-08-02";

// Why the change is outside the plan, most consequential first: a use change
// needs a new submission whatever else is wrong.
enum class Route { kWithinPlan, kUseChange, kMinorRevision, kFailedEvaluation, kOutOfPlan };

// What the jurisdiction functions read. The evaluation holds the findings and
// the out-of-plan reasons found so far.
struct RouteInput {
  const ModificationRecord& record;
  const Evaluation& evaluation;
  const v1::Authorization& authorization;
  Route route;
  // YYYY-MM-DD.
  std::string evaluation_date;

  bool authorized() const { return authorization.status() == v1::Authorization::AUTHORIZED; }
  bool Has(std::string_view reason) const;
  // A criterion failed or the result is worse than the original version.
  bool FailedCriteria() const;
  // The evidence the protocol requires is missing (results, sample size,
  // sequestration or reference standard not stated).
  bool IncompleteEvaluation() const;
  // The evaluation did not follow the protocol (test data not sequestered,
  // another reference standard).
  bool ProtocolNotFollowed() const;
  // Every acceptance criterion of the modification was measured and met on
  // evidence that follows the protocol: the change is validated.
  bool Validated() const;
  // The explanations of the failed findings, "; "-joined.
  std::string FailedSummary() const;
  // "" when authorised here, else why the plan cannot be relied on.
  std::string NotAuthorizedText() const;
  // The verdict's explanation when the plan gives the change no effect here:
  // `outside` when authorised, else `unauthorised` + " (status ...)".
  std::string NotEffectiveText(const std::string& outside, const std::string& unauthorised) const;
};

// The actions in one jurisdiction and whether the plan gives the change legal
// effect there.
struct JurisdictionOutcome {
  std::vector<Action> actions;
  bool plan_effective = false;
  std::string explanation;
};

// Verification marks of a citation (evaluate.h, Action::verification).
inline constexpr const char* kVerified = "verified";
inline constexpr const char* kSecondary = "secondary";
inline constexpr const char* kUnverified = "unverified";

Action MakeAction(std::string jurisdiction, std::string action, std::string citation, std::string explanation,
                  std::string verification, std::string category = {});

// Why the evaluation does not support implementing the change (protocol not
// followed, criteria failed, or evaluation incomplete), as a sentence.
std::string EvaluationFailureText(const RouteInput& in);

// Which of the evaluation's reasons make this route (see Route).
Route RouteFor(const Evaluation& evaluation, const ModificationRecord& record, bool authorized, bool in_plan);

JurisdictionOutcome UsOutcome(const RouteInput& in);  // routes.cc
JurisdictionOutcome EuOutcome(const RouteInput& in);  // routes_eu.cc
JurisdictionOutcome SgOutcome(const RouteInput& in);  // routes.cc

}  // namespace dossier::pccp::internal
