// The real answers the library gives for one golden-case question, as JSON the
// case's expectation patterns (pattern.h) are matched against.
//
// Kinds and their `input` members (file names are relative to the case folder;
// "dossier" defaults to "dossier.json"):
//   readiness            {agency, pathway?, dossier?}  -> translate::ReadinessToJson
//   pathways             {agency}                      -> {"pathways": [...]}
//   export               {format, dossier?}            -> {"contentType", "loss": [{path, reason}],
//                                                          "files": [...], "eudamedXml"?: text}
//   import               {format, file | fixture}      -> {"records": [ImportRecordToJson...]}
//                        ("fixture": a path under $DOSSIER_SHARED/fixtures; absent -> reason
//                        "fixture-missing", which the runner skips unless CI is set)
//   pccp                 {plan, modification}          -> pccp::EvaluationToJson
//   plan-validation      {plan}                        -> {"valid": true}
//   decision-validation  {decision}                    -> {"valid": true}
//   dossier-validation   {dossier?}                    -> {"valid": true}
//   sameness             {dossier?, peer, review?}     -> schema::SamenessView of the two dossiers
//                                                         (section digests, peer decision as review)
//   decision-check       {decision, body: {kind, jurisdiction?, pathway?}}
//                                                      -> {"valid": true} (schema::CheckDecisionForBody)
// When the library refuses (a Status), the answer is {"error": {"code", "reason",
// "field", "message"}} so a case can expect a refusal like any other answer.
// A broken case (unreadable file, unknown kind, missing input) is a Status
// with reason "bad-golden-case", never an answer.
#pragma once

#include <boost/json.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "common/status.h"

namespace dossier::golden {

std::vector<std::string> Kinds();

StatusOr<boost::json::value> Answer(const std::filesystem::path& case_dir, const std::string& kind,
                                    const boost::json::object& input);

}  // namespace dossier::golden
