#define BOOST_TEST_MODULE translate_export_roundtrip
#include <google/protobuf/util/message_differencer.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <iostream>

#include "schema/translate/test_util.h"
#include "schema/translate/zip.h"

namespace dossier::translate {
namespace {

namespace json = boost::json;
using testing::DtxOf;
using testing::ExampleBlobs;
using testing::ExampleDossier;
using testing::TempDir;
using testing::ValidateDtx;

std::vector<std::string> Paths(const std::vector<LossItem>& loss) {
  std::vector<std::string> out;
  for (const auto& l : loss) out.push_back(l.path);
  return out;
}

// Export -> file -> Import; returns the single imported record.
ImportRecord RoundTrip(const v1::Dossier& d, const std::string& format, ExportResult* exported = nullptr) {
  auto r = Export(d, format, ExampleBlobs(d));
  BOOST_REQUIRE_MESSAGE(r.ok(), r.status().ToString());
  TempDir dir;
  const auto file = dir.path() / ("export." + format);
  testing::WriteFile(file, r->bytes);
  std::vector<ImportRecord> records;
  Status s = testing::ImportAll(format, file, &records);
  BOOST_REQUIRE_MESSAGE(s.ok(), s.ToString());
  BOOST_REQUIRE_EQUAL(records.size(), 1u);
  if (exported) *exported = std::move(r).value();
  return std::move(records[0]);
}

void ExpectSameAsProjection(const v1::Dossier& d, const std::string& format) {
  ExportResult exported;
  ImportRecord back = RoundTrip(d, format, &exported);
  auto projected = ExportProjection(d, format);
  BOOST_REQUIRE(projected.ok());
  google::protobuf::util::MessageDifferencer diff;
  std::string report;
  diff.ReportDifferencesToString(&report);
  BOOST_TEST(diff.Compare(*projected, back.content), format << ": import(export(d)) != projection(d):\n"
                                                            << report);
  // The loss report lists exactly what the projection dropped.
  auto loss = ExportLoss(d, format);
  BOOST_REQUIRE(loss.ok());
  BOOST_TEST(Paths(exported.loss) == Paths(*loss), boost::test_tools::per_element());
  if (format != "fhir-r5") BOOST_TEST(Paths(back.loss) == Paths(*loss), boost::test_tools::per_element());
  for (const auto& l : exported.loss) BOOST_TEST(!l.reason.empty());
}

BOOST_AUTO_TEST_CASE(every_format_round_trips_what_it_carries) {
  const v1::Dossier d = ExampleDossier();
  for (const auto& format : ExportFormats()) {
    BOOST_TEST_CONTEXT(format) { ExpectSameAsProjection(d, format); }
  }
}

// The loss lists for the example, spelled out: what each agency's package
// cannot hold.
BOOST_AUTO_TEST_CASE(loss_reports_are_exactly_the_rest) {
  const v1::Dossier d = ExampleDossier();
  auto paths = [&](const char* f) { return Paths(*ExportLoss(d, f)); };
  if (std::getenv("TRANSLATE_PRINT")) {
    for (const auto& f : ExportFormats()) {
      const auto loss = ExportLoss(d, f);
      for (const auto& l : *loss) std::cout << f << "\t" << l.path << "\t" << l.reason << "\n";
    }
  }
  BOOST_TEST(
      paths("imdrf-toc") == (std::vector<std::string>{"regional.us", "regional.eu", "regional.sg", "ai"}),
      boost::test_tools::per_element());
  BOOST_TEST(paths("fda-estar") ==
                 (std::vector<std::string>{"classifications.eu", "classifications.sg", "classifications.samd",
                                           "regional.eu", "regional.sg", "ai"}),
             boost::test_tools::per_element());
  BOOST_TEST(
      paths("eu-mdr") == (std::vector<std::string>{"classifications.us", "classifications.sg",
                                                   "classifications.samd", "regional.us", "regional.sg"}),
      boost::test_tools::per_element());
  BOOST_TEST(paths("hsa-csdt") == (std::vector<std::string>{"classifications.us", "classifications.eu",
                                                            "regional.us", "regional.eu"}),
             boost::test_tools::per_element());
  BOOST_TEST(paths("fhir-r5") == (std::vector<std::string>{"tocEdition",
                                                           "device.softwareOnly",
                                                           "manufacturer.country",
                                                           "manufacturer.srn",
                                                           "manufacturer.duns",
                                                           "manufacturer.contact.role",
                                                           "classifications.us.regulationNumber",
                                                           "classifications.us.productCode",
                                                           "classifications.us.reviewPanel",
                                                           "classifications.eu.regulation",
                                                           "classifications.eu.rule",
                                                           "classifications.eu.rationale",
                                                           "classifications.sg.rule",
                                                           "classifications.samd",
                                                           "sections",
                                                           "regional.us",
                                                           "regional.eu",
                                                           "regional.sg.localRegistrant",
                                                           "regional.sg.evaluationRoute",
                                                           "regional.sg.referenceApprovals[0].documentDigest",
                                                           "regional.sg.dossierFormat",
                                                           "ai",
                                                           "intendedUsers",
                                                           "useEnvironment",
                                                           "patientPopulation"}),
             boost::test_tools::per_element());
  auto fda = ExportLoss(d, "fda-estar");
  BOOST_TEST(fda->back().reason.find("AI-DSF") == std::string::npos);  // generic AI note mentions eSTAR
  BOOST_TEST(fda->back().reason.find("eSTAR") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(zip_packages_have_manifest_with_digests_and_folders) {
  const v1::Dossier d = ExampleDossier();
  for (const auto& format : {"imdrf-toc", "fda-estar", "eu-mdr", "hsa-csdt"}) {
    BOOST_TEST_CONTEXT(format) {
      auto r = Export(d, format, ExampleBlobs(d));
      BOOST_REQUIRE(r.ok());
      BOOST_TEST(r->content_type == "application/zip");
      TempDir dir;
      testing::WriteFile(dir.path() / "p.zip", r->bytes);
      auto zip = ZipReader::Open(dir.path() / "p.zip", ImportLimits());
      BOOST_REQUIRE_MESSAGE(zip.ok(), zip.status().ToString());
      auto manifest_text = (*zip)->ReadAll("manifest.json", 1 << 20);
      BOOST_REQUIRE(manifest_text.ok());
      json::value manifest = json::parse(*manifest_text);
      std::set<std::string> listed;
      for (const auto& f : manifest.at("files").as_array()) {
        const std::string path(f.at("path").as_string());
        listed.insert(path);
        auto bytes = (*zip)->ReadAll(path, 1 << 20);
        BOOST_REQUIRE(bytes.ok());
        BOOST_TEST(Sha256Digest(*bytes) == std::string(f.at("digest").as_string()));
        if (f.at("role").as_string() == "document") BOOST_TEST(f.as_object().contains("tocCode"));
      }
      for (const auto& name : (*zip)->Names()) {
        if (name != "manifest.json") BOOST_TEST(listed.count(name) == 1u, name << " not in manifest");
      }
      BOOST_TEST(listed.count("loss.json") == 1u);
      // Every document of the dossier is in the package.
      size_t docs = 0;
      for (const auto& s : d.sections()) docs += static_cast<size_t>(s.documents_size());
      size_t doc_files = 0;
      for (const auto& f : manifest.at("files").as_array())
        doc_files += f.at("role").as_string() == "document";
      BOOST_TEST(doc_files == docs);
      const auto& names = (*zip)->Names();
      auto has = [&](const std::string& n) {
        return std::find(names.begin(), names.end(), n) != names.end();
      };
      if (std::string(format) == "imdrf-toc") {
        BOOST_TEST(
            has("3 Non-Clinical Evidence/3.05 Non-clinical Studies/3.05.05 Software-Firmware/"
                "3.05.05.08 Software Verification and "
                "Validation/standalone-2024/standalone-performance-report.pdf"));
        BOOST_TEST(
            has("2 Submission Context/2.05 Indications for Use - Intended Use - Contraindications/"
                "2.05.03 Pediatric Use/2.05.03 NOT-APPLICABLE.txt"));
      }
      if (std::string(format) == "fda-estar") {
        BOOST_TEST(has("18 Cybersecurity/Interoperability/3.05.05.11 Cybersecurity/sbom.spdx.json"));
        BOOST_TEST(has("structured/3514.json"));
        BOOST_TEST(has("structured/3881.json"));
        BOOST_TEST(has("structured/predicates.json"));
        auto f3514 = json::parse(*(*zip)->ReadAll("structured/3514.json", 1 << 20));
        BOOST_TEST(f3514.at("sectionA").at("submissionType").as_string() == "TRADITIONAL_510K");
        BOOST_TEST(f3514.at("sectionC").at("correspondent").at("name").as_string() ==
                   "US Regulatory Partners LLC");
        auto pred = json::parse(*(*zip)->ReadAll("structured/predicates.json", 1 << 20));
        BOOST_TEST(pred.at("predicates").as_array()[0].at("number").as_string() == "K192345");
        BOOST_TEST(pred.at("substantialEquivalenceTable").as_array().size() == 1u);
      }
      if (std::string(format) == "hsa-csdt") {
        BOOST_TEST(has("CSDT 4.5 Risk analysis/3.02 Risk Management/risk-management-report.pdf"));
        auto reg = json::parse(*(*zip)->ReadAll("registration.json", 1 << 20));
        BOOST_TEST(reg.at("riskClassDisplay").as_string() == "Class B");
        BOOST_TEST(reg.at("evaluationRoute").as_string() == "ABRIDGED");
      }
      if (std::string(format) == "eu-mdr") {
        BOOST_TEST(has("EUDAMED/DTX-device-registration.xml"));
        BOOST_TEST(
            has("Annex II 5 Benefit-risk analysis and risk management/3.02 Risk "
                "Management/risk-management-report.pdf"));
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(eu_exports_validate_against_eudamed_xsd) {
  TRANSLATE_REQUIRE_FIXTURES(fixtures);
  v1::Dossier d = ExampleDossier();
  auto mdr = Export(d, "eu-mdr", ExampleBlobs(d));
  BOOST_REQUIRE(mdr.ok());
  const std::string xml = DtxOf(*mdr);
  BOOST_REQUIRE(!xml.empty());
  BOOST_TEST(ValidateDtx(xml, fixtures) == "");
  BOOST_TEST(xml.find("<basicudi:riskClass>CLASS_IIA</basicudi:riskClass>") != std::string::npos);
  BOOST_TEST(xml.find("<basicudi:MFActorCode>DE-MF-000012345</basicudi:MFActorCode>") != std::string::npos);
  BOOST_TEST(xml.find("<udidi:MDNCodes>Z12040192</udidi:MDNCodes>") != std::string::npos);
  // The DTX message imports back through the EUDAMED importer.
  TempDir dir;
  testing::WriteFile(dir.path() / "dtx.xml", xml);
  std::vector<ImportRecord> recs;
  BOOST_REQUIRE(testing::ImportAll("eudamed-dtx", dir.path() / "dtx.xml", &recs).ok());
  BOOST_REQUIRE_EQUAL(recs.size(), 1u);
  BOOST_TEST(recs[0].content.regional().eu().basic_udi_di() == "0850012345TT200AX");
  BOOST_TEST(recs[0].content.device().trade_name() == "ThoraxTriage AI");
  BOOST_TEST(recs[0].content.classifications().eu().device_class() == v1::EuClassification::CLASS_IIA);

  // Variants: class III with an authorised representative; an IVDR class C device; special characters.
  v1::Dossier iii = d;
  iii.mutable_classifications()->mutable_eu()->set_device_class(v1::EuClassification::CLASS_III);
  iii.mutable_regional()->mutable_eu()->mutable_authorised_representative()->set_srn("BE-AR-000000123");
  iii.mutable_device()->set_trade_name("Thorax <Triage> & \"AI\"");
  auto r3 = Export(iii, "eu-mdr", ExampleBlobs(iii));
  BOOST_TEST(ValidateDtx(DtxOf(*r3), fixtures) == "");
  v1::Dossier ivd = d;
  ivd.set_toc_edition("IMDRF-N13-ED4");
  ivd.mutable_classifications()->mutable_eu()->set_regulation(v1::EuClassification::IVDR);
  ivd.mutable_classifications()->mutable_eu()->set_device_class(v1::EuClassification::CLASS_C);
  ivd.mutable_classifications()->mutable_eu()->set_rule(3);
  ivd.clear_sections();
  testing::StateIvdrFacts(&ivd);
  auto rivd = Export(ivd, "eu-mdr", ExampleBlobs(ivd));
  BOOST_REQUIRE(rivd.ok());
  BOOST_TEST(ValidateDtx(DtxOf(*rivd), fixtures) == "");
  // Missing EUDAMED essentials: no DTX file, and the loss says why.
  v1::Dossier bare = d;
  bare.mutable_regional()->mutable_eu()->clear_emdn_codes();
  auto rb = Export(bare, "eu-mdr", ExampleBlobs(bare));
  BOOST_REQUIRE(rb.ok());
  BOOST_TEST(DtxOf(*rb).empty());
  bool emdn = false;
  for (const auto& l : rb->loss)
    emdn = emdn || (l.path == "regional.eu.emdnCodes" && l.reason.find("EMDN") != std::string::npos);
  BOOST_TEST(emdn);
}

BOOST_AUTO_TEST_CASE(fhir_bundle_shape) {
  const v1::Dossier d = ExampleDossier();
  auto r = Export(d, "fhir-r5", nullptr);
  BOOST_REQUIRE(r.ok());
  BOOST_TEST(r->content_type == "application/fhir+json");
  json::value b = json::parse(r->bytes);
  BOOST_TEST(b.at("resourceType").as_string() == "Bundle");
  std::map<std::string, int> kinds;
  for (const auto& e : b.at("entry").as_array())
    kinds[std::string(e.at("resource").at("resourceType").as_string())]++;
  BOOST_TEST(kinds["DeviceDefinition"] == 1);
  BOOST_TEST(kinds["Organization"] == 1);
  BOOST_TEST(kinds["RegulatedAuthorization"] == 2);  // K231234 identifier + HSA reference approval
  const auto& dd = b.at("entry").as_array()[0].at("resource");
  BOOST_TEST(dd.at("udiDeviceIdentifier").as_array()[0].at("deviceIdentifier").as_string() ==
             "08500123450017");
  BOOST_TEST(dd.at("regulatoryIdentifier").as_array()[0].at("type").as_string() == "basic");
}

BOOST_AUTO_TEST_CASE(export_errors) {
  const v1::Dossier d = ExampleDossier();
  auto unknown = Export(d, "pdf", ExampleBlobs(d));
  BOOST_TEST(!unknown.ok());
  BOOST_TEST(unknown.status().reason() == "unknown-format");
  BOOST_TEST(unknown.status().code() == StatusCode::kInvalidArgument);
  auto missing =
      Export(d, "imdrf-toc", [](std::string_view) -> StatusOr<std::string> { return NotFound("gone"); });
  BOOST_TEST(!missing.ok());
  BOOST_TEST(missing.status().reason() == "blob-missing");
  BOOST_TEST(missing.status().field() == "sections[0].documents[0].digest");
  auto wrong =
      Export(d, "imdrf-toc", [](std::string_view) -> StatusOr<std::string> { return std::string("other"); });
  BOOST_TEST(wrong.status().reason() == "blob-corrupt");
  // Exports are reproducible for the ZIP formats without EUDAMED timestamps.
  auto a = Export(d, "fda-estar", ExampleBlobs(d));
  auto b = Export(d, "fda-estar", ExampleBlobs(d));
  if (std::getenv("TRANSLATE_PRINT")) {
    testing::WriteFile("/tmp/tr/a.zip", a->bytes);
    testing::WriteFile("/tmp/tr/b.zip", b->bytes);
  }
  BOOST_TEST((a->bytes == b->bytes));
}

BOOST_AUTO_TEST_CASE(import_record_json) {
  ImportRecord r;
  r.content.mutable_device()->set_trade_name("X");
  r.loss.push_back({"a.b", "why"});
  auto j = ImportRecordToJson(r);
  BOOST_TEST(j.at("content").at("device").at("tradeName").as_string() == "X");
  BOOST_TEST(j.at("loss").as_array()[0].at("reason").as_string() == "why");
  BOOST_TEST(ImportIsMultiRecord("gudid-xml"));
  BOOST_TEST(!ImportIsMultiRecord("openfda-510k"));
  BOOST_TEST(ImportFormats().size() == 9u);
}

}  // namespace
}  // namespace dossier::translate
