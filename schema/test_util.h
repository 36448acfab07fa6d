// Helpers shared by the schema tests (not part of the library).
#pragma once

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include "schema/dossier_codec.h"

namespace dossier::schema::testing {

// Bytes of schema/testdata/<name>.
inline std::string ReadTestdata(const std::string& name) {
  std::ifstream in(std::string(SCHEMA_TESTDATA_DIR) + "/" + name, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open testdata " + name);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

inline v1::Dossier ExampleDossier() {
  auto parsed = ParseDossier(ReadTestdata("chest-xray-triage.dossier.json"), ContentFormat::kJson);
  if (!parsed.ok()) throw std::runtime_error(parsed.status().ToString());
  return std::move(parsed).value();
}

}  // namespace dossier::schema::testing
