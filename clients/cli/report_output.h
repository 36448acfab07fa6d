// The reports the server answers, printed for people: a readiness report as
// a checklist grouped by status (each item with its citation, binding level
// and ToC heading), and the loss report of an export or import (what did not
// carry over, by path).
#pragma once

#include <boost/json.hpp>
#include <filesystem>
#include <optional>
#include <string>

namespace dossier::cli {

void PrintReadiness(const boost::json::object& report);

// `loss`: [{"path", "reason"}...]; `what` names the package ("the fda-estar package").
void PrintLossReport(const boost::json::value& loss, const std::string& what);

// The "loss" list of the loss.json inside an exported ZIP package; nullopt
// when `file` is not a ZIP or holds no loss.json (a FHIR Bundle).
std::optional<boost::json::value> ExportedLoss(const std::filesystem::path& file);

}  // namespace dossier::cli
