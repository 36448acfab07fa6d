// Helpers shared by the schema tests (not part of the library).
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>

#include "schema/dossier_codec.h"
#include "tests/support/files.h"

namespace dossier::schema::testing {

// Bytes of schema/testdata/<name>.
inline std::string ReadTestdata(const std::string& name) {
  return ::dossier::testing::ReadFile(std::filesystem::path(SCHEMA_TESTDATA_DIR) / name);
}

inline v1::Dossier ExampleDossier() {
  auto parsed = ParseDossier(ReadTestdata("chest-xray-triage.dossier.json"), ContentFormat::kJson);
  if (!parsed.ok()) throw std::runtime_error(parsed.status().ToString());
  return std::move(parsed).value();
}

}  // namespace dossier::schema::testing
