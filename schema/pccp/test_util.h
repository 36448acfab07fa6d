// Helpers shared by the pccp tests (not part of the library).
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>

#include "schema/dossier_codec.h"
#include "schema/pccp/evaluate.h"
#include "tests/support/files.h"

namespace dossier::pccp::testing {

// Bytes of schema/pccp/testdata/<name>.
inline std::string ReadPccpTestdata(const std::string& name) {
  return ::dossier::testing::ReadFile(std::filesystem::path(PCCP_TESTDATA_DIR) / name);
}

// The ThoraxTriage AI plan, authorised in US (K231234), EU and SG.
inline v1::ChangePlan ThoraxPlan() {
  auto plan =
      schema::ParseChangePlan(ReadPccpTestdata("thoraxtriage.pccp.json"), schema::ContentFormat::kJson);
  if (!plan.ok()) throw std::runtime_error(plan.status().ToString());
  return std::move(plan).value();
}

// Evaluate that must succeed on `date` (throws with the Status otherwise).
inline Evaluation MustEvaluate(const v1::ChangePlan& plan, const ModificationRecord& rec,
                               const std::string& date) {
  auto e = Evaluate(plan, rec, {date});
  if (!e.ok()) throw std::runtime_error(e.status().ToString());
  return std::move(e).value();
}

// The first action of `action` in jurisdiction `j`, or null.
inline const Action* FindAction(const Evaluation& e, const std::string& j, const std::string& action) {
  for (const auto& a : e.actions) {
    if (a.jurisdiction == j && a.action == action) return &a;
  }
  return nullptr;
}

inline bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

inline ModificationRecord Record(const std::string& name) {
  auto rec = ParseModificationRecord(ReadPccpTestdata(name));
  if (!rec.ok()) throw std::runtime_error(name + ": " + rec.status().ToString());
  return std::move(rec).value();
}

}  // namespace dossier::pccp::testing
