// Helpers shared by the translate tests (not part of the library).
#pragma once

#include <libxml/parser.h>
#include <libxml/xmlschemas.h>

#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>

#include "schema/dossier_codec.h"
#include "schema/translate/package.h"
#include "schema/translate/translate.h"
#include "schema/translate/zip.h"
#include "tests/support/files.h"
#include "tests/support/temp_dir.h"

namespace dossier::translate::testing {

// From dossier_test_support (tests/support), named here for the translate tests.
using ::dossier::testing::ReadFile;
using ::dossier::testing::TempDir;
using ::dossier::testing::WriteFile;

inline v1::Dossier ExampleDossier() {
  auto parsed =
      schema::ParseDossier(ReadFile(std::string(SCHEMA_TESTDATA_DIR) + "/chest-xray-triage.dossier.json"),
                           schema::ContentFormat::kJson);
  if (!parsed.ok()) throw std::runtime_error(parsed.status().ToString());
  return std::move(parsed).value();
}

// The example's digests are SHA-256 of the file names (testdata/README.md):
// serve each document's file name as its bytes.
inline BlobReader ExampleBlobs(const v1::Dossier& d) {
  std::map<std::string, std::string> blobs;
  for (const auto& s : d.sections()) {
    for (const auto& doc : s.documents()) blobs[Sha256Digest(doc.file_name())] = doc.file_name();
  }
  return [blobs](std::string_view digest) -> StatusOr<std::string> {
    auto it = blobs.find(std::string(digest));
    if (it == blobs.end()) return NotFound("no blob " + std::string(digest));
    return it->second;
  };
}

// $DOSSIER_SHARED/fixtures, or "" when absent. Under CI a missing fixture is a failure.
inline std::filesystem::path Fixtures() {
  const char* env = std::getenv("DOSSIER_SHARED");
  std::filesystem::path p =
      env ? std::filesystem::path(env) / "fixtures" : std::filesystem::path("../shared/fixtures");
  if (std::filesystem::exists(p)) return p;
  if (std::getenv("CI")) BOOST_FAIL("fixtures not found at " + p.string() + " (CI is set)");
  return {};
}
#define TRANSLATE_REQUIRE_FIXTURES(var)                                                   \
  const std::filesystem::path var = ::dossier::translate::testing::Fixtures();            \
  if (var.empty()) {                                                                      \
    BOOST_TEST_MESSAGE("SKIPPED: fixtures not found (set DOSSIER_SHARED); test skipped"); \
    return;                                                                               \
  }

// Imports `file` as `format`, collecting records.
inline Status ImportAll(std::string_view format, const std::filesystem::path& file,
                        std::vector<ImportRecord>* out, const ImportLimits& limits = ImportLimits()) {
  return Import(
      format, file,
      [&](ImportRecord&& r) {
        out->push_back(std::move(r));
        return Status::Ok();
      },
      limits);
}

// Makes `d` (the example, registered under the IVDR) state every IVDR flag
// EUDAMED records and hold an IVDR certificate.
inline void StateIvdrFacts(v1::Dossier* d) {
  auto* f = d->mutable_regional()->mutable_eu()->mutable_eudamed();
  f->set_companion_diagnostic(false);
  f->set_instrument(false);
  f->set_kit(false);
  f->set_microbial_substances(false);
  f->set_near_patient_testing(false);
  f->set_professional_testing(true);
  f->set_reagent(false);
  f->set_self_testing(false);
  f->set_new_device(false);
  for (auto& c : *d->mutable_regional()->mutable_eu()->mutable_certificates())
    c.set_type("IVDR_QUALITY_MANAGEMENT_SYSTEM");
}

// "" when `xml` validates against the EUDAMED XSDs (service/Message.xsd of
// the fixtures), else "invalid: <libxml2 messages>".
inline std::string ValidateDtx(const std::string& xml, const std::filesystem::path& fixtures) {
  const std::string xsd = (fixtures / "eudamed-dtx/XSD/service/Message.xsd").string();
  xmlSchemaParserCtxtPtr pctx = xmlSchemaNewParserCtxt(xsd.c_str());
  xmlSchemaPtr schema = xmlSchemaParse(pctx);
  xmlSchemaFreeParserCtxt(pctx);
  if (!schema) return "schema did not parse";
  std::string errors;
  xmlSchemaValidCtxtPtr vctx = xmlSchemaNewValidCtxt(schema);
  xmlSchemaSetValidStructuredErrors(
      vctx,
      [](void* ctx, xmlErrorPtr e) { *static_cast<std::string*>(ctx) += e->message ? e->message : "?"; },
      &errors);
  xmlDocPtr doc =
      xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "dtx.xml", nullptr, XML_PARSE_NONET);
  int rc = doc ? xmlSchemaValidateDoc(vctx, doc) : -1;
  if (doc) xmlFreeDoc(doc);
  xmlSchemaFreeValidCtxt(vctx);
  xmlSchemaFree(schema);
  return rc == 0 ? "" : "invalid: " + errors;
}

// The EUDAMED registration message of an eu-mdr package, "" when it has none.
inline std::string DtxOf(const ExportResult& r) {
  TempDir dir;
  WriteFile(dir.path() / "p.zip", r.bytes);
  auto zip = ZipReader::Open(dir.path() / "p.zip", ImportLimits());
  auto xml = (*zip)->ReadAll("EUDAMED/DTX-device-registration.xml", 1 << 20);
  return xml.ok() ? *xml : "";
}

}  // namespace dossier::translate::testing
