// Helpers shared by the pccp tests (not part of the library).
#pragma once

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include "schema/dossier_codec.h"
#include "schema/pccp/evaluate.h"

namespace dossier::pccp::testing {

// Bytes of schema/pccp/testdata/<name>.
inline std::string ReadPccpTestdata(const std::string& name) {
  std::ifstream in(std::string(PCCP_TESTDATA_DIR) + "/" + name, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open testdata " + name);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// The ThoraxTriage AI plan, authorised in US (K231234), EU and SG.
inline v1::ChangePlan ThoraxPlan() {
  auto plan =
      schema::ParseChangePlan(ReadPccpTestdata("thoraxtriage.pccp.json"), schema::ContentFormat::kJson);
  if (!plan.ok()) throw std::runtime_error(plan.status().ToString());
  return std::move(plan).value();
}

inline ModificationRecord Record(const std::string& name) {
  auto rec = ParseModificationRecord(ReadPccpTestdata(name));
  if (!rec.ok()) throw std::runtime_error(name + ": " + rec.status().ToString());
  return std::move(rec).value();
}

}  // namespace dossier::pccp::testing
