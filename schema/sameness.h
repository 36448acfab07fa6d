// Reliance sameness: is the device a peer regulator reviewed the device of
// this submission? Reliance rests on the same device with the same intended
// use for the same patients in the same risk class, so those structured facts
// are compared first and shown with both values; the ToC sections (by section
// digest) come second, and the peer's review of each section (outcome, notes)
// and the decision's conditions are carried along when the reliance
// agreement includes review reports.
//
// Pure functions of their arguments; thread-safe.
#pragma once

#include <boost/json.hpp>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "dossier/v1/decision.pb.h"
#include "dossier/v1/dossier.pb.h"

namespace dossier::schema {

// The facts reliance is about, as the dossier states them.
struct RelianceFacts {
  std::string intended_use;
  std::vector<std::string> indications;
  std::vector<std::string> patient_population;
  // Canonical JSON of dossier.classifications ({} when unclassified).
  boost::json::object classification;
};

RelianceFacts RelianceFactsOf(const v1::Dossier& dossier);

// {"intendedUse", "indications", "patientPopulation", "classification"}: the
// form a feed entry carries them in ("reviewed.facts").
boost::json::object RelianceFactsToJson(const RelianceFacts& facts);
// The inverse; InvalidArgument "bad-facts" (field = member) when a member has
// the wrong type. Absent members are empty.
StatusOr<RelianceFacts> RelianceFactsFromJson(const boost::json::value& json);

// One compared fact. `same` is nullopt when the peer's value is unknown (a
// feed entry from a node that does not send facts): never reported as same.
struct FactComparison {
  std::string fact;  // "intendedUse" | "indications" | "patientPopulation" | "classification"
  std::optional<bool> same;
  boost::json::value ours;
  boost::json::value theirs;  // null when unknown
};

// Texts are compared after trimming and collapsing runs of white space; lists
// as sets (order does not matter); classification member by member.
std::vector<FactComparison> CompareRelianceFacts(const RelianceFacts& ours,
                                                 const std::optional<RelianceFacts>& theirs);

struct SamenessInput {
  RelianceFacts ours;
  std::optional<RelianceFacts> theirs;
  // Section code -> section digest ("sha256:<hex>").
  std::map<std::string, std::string> our_sections;
  std::map<std::string, std::string> their_sections;
  // The peer's decision, when the agreement includes review reports.
  const v1::Decision* review = nullptr;
};

// The sameness view of one peer decision:
//   {"sameFacts": true|false|null, "facts": [{"fact", "same", "thisSubmission", "peer"}...],
//    "identicalSections", "differentSections",
//    "sections": [{"code", "identical", "onlyIn"?, "peerReview"?: {"outcome", "notes"}}...],
//    "conditions"?: [...], "summary"?: "..."}
// "sameFacts" is true only when every fact is known and the same, false when
// any differs, null when none differs but some are unknown.
boost::json::object SamenessView(const SamenessInput& input);

}  // namespace dossier::schema
