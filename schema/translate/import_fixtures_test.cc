#define BOOST_TEST_MODULE translate_import_fixtures
#include <sys/resource.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <iostream>

#include "schema/translate/test_util.h"

namespace dossier::translate {
namespace {

using testing::ImportAll;
using testing::TempDir;

bool HasIdent(const v1::Dossier& d, v1::Identifier::Type t, const std::string& value) {
  for (const auto& id : d.device().identifiers()) {
    if (id.type() == t && id.value() == value) return true;
  }
  return false;
}
bool LossHas(const ImportRecord& r, const std::string& needle) {
  for (const auto& l : r.loss) {
    if (l.path.find(needle) != std::string::npos) return true;
  }
  return false;
}

BOOST_AUTO_TEST_CASE(gudid_test_record) {
  TRANSLATE_REQUIRE_FIXTURES(fx);
  std::vector<ImportRecord> recs;
  Status s = ImportAll("gudid-xml", fx / "openfda-gudid-xml/test.xml", &recs);
  BOOST_REQUIRE_MESSAGE(s.ok(), s.ToString());
  BOOST_REQUIRE_EQUAL(recs.size(), 1u);
  const v1::Dossier& d = recs[0].content;
  BOOST_TEST(d.device().trade_name() == "CS2 Acet. Cup Sys. - VitalitE");
  BOOST_TEST(d.device().model_numbers(0) == "1107-0-3258");
  // companyName is the labeler's (GUDID "Company Name" of the labeler DUNS), not the manufacturer's.
  BOOST_TEST(d.regional().us().labeler().name() == "CONSENSUS ORTHOPEDICS, INC.");
  BOOST_TEST(d.regional().us().labeler().duns() == "123456789");
  BOOST_TEST(d.regional().us().labeler().contact().email() == "fang.wei@fda.hhs.gov");
  BOOST_TEST(!d.has_manufacturer());
  BOOST_TEST(HasIdent(d, v1::Identifier::UDI_DI, "00844588018923"));
  BOOST_TEST(HasIdent(d, v1::Identifier::GMDN, "43691"));
  BOOST_TEST(HasIdent(d, v1::Identifier::GMDN, "43692"));
  BOOST_TEST(HasIdent(d, v1::Identifier::FDA_510K_NUMBER, "K094035"));
  BOOST_TEST(HasIdent(d, v1::Identifier::FDA_PMA_NUMBER, "P950002/S001"));  // supplement 001
  BOOST_TEST(d.classifications().us().product_code() == "OQG");
  BOOST_TEST(d.classifications().us().additional_product_codes(0) == "MAX");
  BOOST_TEST(d.regional().us().prescription_use());
  // Package DI, sizes, storage, MRI status... are listed, not silently dropped.
  BOOST_TEST(LossHas(recs[0], "device[0].identifiers.identifier[1]"));
  BOOST_TEST(LossHas(recs[0], "device[0].deviceSizes"));
  BOOST_TEST(LossHas(recs[0], "device[0].MRISafetyStatus"));
  BOOST_TEST(LossHas(recs[0], "device[0].contacts.customerContact[1]"));
  auto j = ImportRecordToJson(recs[0]);
  BOOST_TEST(j.at("content").at("device").at("tradeName").as_string() == "CS2 Acet. Cup Sys. - VitalitE");
  // The text form the server streams is the same JSON value.
  for (const auto& r : recs)
    BOOST_TEST(boost::json::parse(ImportRecordToJsonText(r)) == ImportRecordToJson(r));
}

long MaxRssKb() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}

BOOST_AUTO_TEST_CASE(gudid_50k_release_streams_completely) {
  TRANSLATE_REQUIRE_FIXTURES(fx);
  // TRANSLATE_GUDID_INPUT may point at the unzipped file1.xml for timing.
  const char* alt = std::getenv("TRANSLATE_GUDID_INPUT");
  const std::filesystem::path input =
      alt ? alt : fx / "openfda-gudid-xml/gudid_release_2016-08_50k_devices.zip";
  size_t count = 0, with_di = 0, with_name = 0, loss_items = 0;
  std::set<std::string> first_dis;
  const long rss_before = MaxRssKb();
  const auto t0 = std::chrono::steady_clock::now();
  Status s = Import("gudid-xml", input, [&](ImportRecord&& r) {
    ++count;
    loss_items += r.loss.size();
    for (const auto& id : r.content.device().identifiers()) {
      if (id.type() == v1::Identifier::UDI_DI) {
        ++with_di;
        if (first_dis.size() < 3) first_dis.insert(id.value());
        break;
      }
    }
    with_name += !r.content.device().trade_name().empty();
    return Status::Ok();
  });
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  BOOST_REQUIRE_MESSAGE(s.ok(), s.ToString());
  std::cout << "GUDID import: " << count << " records in " << secs << " s (" << count / secs
            << " records/s), max RSS " << MaxRssKb() << " KiB (before " << rss_before << " KiB), loss items "
            << loss_items << ", input " << input << "\n";
  BOOST_TEST(count == 50000u);
  BOOST_TEST(with_di == 50000u);
  BOOST_TEST(with_name > 49000u);
  // Bounded memory: the 194 MB XML never sits in memory.
  BOOST_TEST(MaxRssKb() - rss_before < 100 * 1024);
}

BOOST_AUTO_TEST_CASE(gudid_stop_early) {
  TRANSLATE_REQUIRE_FIXTURES(fx);
  size_t n = 0;
  Status s = Import("gudid-xml", fx / "openfda-gudid-xml/gudid_release_2016-08_50k_devices.zip",
                    [&](ImportRecord&&) {
                      return ++n == 10 ? Status(StatusCode::kCancelled, "enough", "stop") : Status::Ok();
                    });
  BOOST_TEST(s.reason() == "stop");
  BOOST_TEST(n == 10u);
}

BOOST_AUTO_TEST_CASE(openfda_510k_example) {
  TRANSLATE_REQUIRE_FIXTURES(fx);
  std::vector<ImportRecord> recs;
  Status s = ImportAll("openfda-510k", fx / "openfda-api-examples/device-510k.example.json", &recs);
  BOOST_REQUIRE_MESSAGE(s.ok(), s.ToString());
  BOOST_REQUIRE_EQUAL(recs.size(), 1u);
  const v1::Dossier& d = recs[0].content;
  BOOST_TEST(HasIdent(d, v1::Identifier::FDA_510K_NUMBER, "K872032"));
  BOOST_TEST(d.device().trade_name() == "VENTRESCREEN (TM) MONO");
  BOOST_TEST(d.manufacturer().name() == "VENTREX LABORATORIES, INC.");
  BOOST_TEST(d.manufacturer().address().city() == "PORTLAND");
  BOOST_TEST(d.manufacturer().address().lines_size() == 2);
  BOOST_TEST(d.manufacturer().contact().name() == "JAMES W CHAMPLIN");
  BOOST_TEST(d.classifications().us().device_class() == v1::UsClassification::CLASS_II);
  BOOST_TEST(d.classifications().us().regulation_number() == "866.5640");
  BOOST_TEST(d.classifications().us().product_code() == "KTN");
  BOOST_TEST(d.classifications().us().review_panel() == "IM");
  BOOST_TEST(d.regional().us().submission_type() == v1::UsExtension::TRADITIONAL_510K);
  BOOST_TEST(LossHas(recs[0], "record.decision_code"));
  BOOST_TEST(LossHas(recs[0], "record.openfda.fei_number"));
  BOOST_TEST(!LossHas(recs[0], "statement_or_summary"));  // empty: nothing lost
}

BOOST_AUTO_TEST_CASE(openfda_classification_example) {
  TRANSLATE_REQUIRE_FIXTURES(fx);
  std::vector<ImportRecord> recs;
  Status s = ImportAll("openfda-classification",
                       fx / "openfda-api-examples/device-classification.example.json", &recs);
  BOOST_REQUIRE_MESSAGE(s.ok(), s.ToString());
  BOOST_REQUIRE_EQUAL(recs.size(), 1u);
  const auto& us = recs[0].content.classifications().us();
  BOOST_TEST(us.product_code() == "EHE");
  BOOST_TEST(us.device_class() == v1::UsClassification::CLASS_I);
  BOOST_TEST(us.regulation_number() == "872.3080");
  BOOST_TEST(us.review_panel() == "DE");
  BOOST_TEST(LossHas(recs[0], "header.device_name"));
  BOOST_TEST(LossHas(recs[0], "header.openfda.k_number"));
}

// The EUDAMED samples ship with a placeholder in an attribute value that makes
// them not well-formed: as shipped they are refused; with the placeholder
// replaced (as the fixture's SOURCE.txt describes) the valid and the
// XSD-invalid ones alike import, with what was skipped listed.
BOOST_AUTO_TEST_CASE(eudamed_samples) {
  TRANSLATE_REQUIRE_FIXTURES(fx);
  TempDir dir;
  const auto samples = fx / "eudamed-dtx/samples";
  std::vector<ImportRecord> recs;
  Status raw = ImportAll("eudamed-dtx", samples / "SAMPLE_DTX_UDI_001.01.xml", &recs);
  BOOST_TEST(raw.reason() == "bad-xml");
  BOOST_TEST(raw.field().rfind("line ", 0) == 0);

  auto patched = [&](const std::string& name) {
    std::string text = testing::ReadFile(samples / name);
    const std::string ph = "<!-- Schema version here-->";
    if (auto p = text.find(ph); p != std::string::npos) text.replace(p, ph.size(), "3.0.25");
    testing::WriteFile(dir.path() / name, text);
    std::vector<ImportRecord> out;
    Status s = ImportAll("eudamed-dtx", dir.path() / name, &out);
    BOOST_REQUIRE_MESSAGE(s.ok(), name + ": " + s.ToString());
    return out;
  };
  // XSD-invalid sample (HUMAN_PRODUCT enum drift, empty product designer SRN): imported, skipped parts
  // listed.
  auto r1 = patched("SAMPLE_DTX_UDI_001.01.xml");
  BOOST_REQUIRE_EQUAL(r1.size(), 1u);
  const v1::Dossier& d1 = r1[0].content;
  BOOST_TEST(d1.classifications().eu().regulation() == v1::EuClassification::MDR);
  BOOST_TEST(d1.classifications().eu().device_class() == v1::EuClassification::CLASS_I);
  BOOST_TEST(d1.regional().eu().basic_udi_di() == "131441234555ZA");
  BOOST_TEST(d1.manufacturer().srn() == "BE-MF-000000001");
  BOOST_TEST(d1.device().trade_name() == "External Implant");
  BOOST_TEST(d1.device().description() == "Generic description_EN");
  BOOST_TEST(d1.regional().eu().emdn_codes_size() == 2);
  BOOST_TEST(d1.regional().eu().member_states_size() == 2);
  BOOST_TEST(HasIdent(d1, v1::Identifier::UDI_DI, "3232_1212121"));
  BOOST_TEST(LossHas(r1[0], "MDRUDIDIData.substances"));
  BOOST_TEST(LossHas(r1[0], "MDRUDIDIData.productDesignerActor"));
  BOOST_TEST(LossHas(r1[0], "MDRBasicUDI.specialDevice"));  // MDR_ORTHOPEDIC has no canonical field

  // XSD-valid IVDR sample with a certificate link.
  auto r2 = patched("SAMPLE_DTX_UDI_002.03.xml");
  BOOST_REQUIRE_EQUAL(r2.size(), 1u);
  BOOST_TEST(r2[0].content.classifications().eu().regulation() == v1::EuClassification::IVDR);
  BOOST_TEST(r2[0].content.classifications().eu().device_class() == v1::EuClassification::CLASS_C);
  BOOST_TEST(r2[0].content.regional().eu().notified_body_number() == "0483");
  BOOST_TEST(HasIdent(r2[0].content, v1::Identifier::EU_CERTIFICATE_NUMBER, "121344"));
  BOOST_TEST(r2[0].content.toc_edition() == "IMDRF-N13-ED4");

  // Basic UDI-DI alone (service BASIC_UDI) and UDI-DI alone (service UDI_DI).
  auto r3 = patched("SAMPLE_DTX_UDI_009.01.xml");
  BOOST_REQUIRE_EQUAL(r3.size(), 1u);
  BOOST_TEST(r3[0].content.classifications().eu().device_class() == v1::EuClassification::CLASS_IIB);
  BOOST_TEST(LossHas(r3[0], "version"));
  auto r4 = patched("SAMPLE_DTX_UDI_010.01.xml");
  BOOST_REQUIRE_EQUAL(r4.size(), 1u);
  BOOST_TEST(HasIdent(r4[0].content, v1::Identifier::UDI_DI, "UDI-Code"));

  // Every device-bearing sample imports.
  size_t imported = 0;
  for (const auto& entry : std::filesystem::directory_iterator(samples)) {
    const std::string name = entry.path().filename().string();
    const std::string text = testing::ReadFile(entry.path());
    std::string fixed = text;
    if (auto p = fixed.find("<!-- Schema version here-->"); p != std::string::npos)
      fixed.replace(p, 27, "3.0.25");
    testing::WriteFile(dir.path() / name, fixed);
    std::vector<ImportRecord> out;
    Status s = ImportAll("eudamed-dtx", dir.path() / name, &out);
    // Market-info, SSCP, actor ... messages carry no device: "bad-package", never a crash or bad-xml.
    // Two samples are not well-formed even with the placeholder fixed (an
    // undeclared namespace prefix, a tag mismatch): those must be refused.
    const bool malformed = name == "SAMPLE_DTX_UDI_004.01.xml" || name == "SAMPLE_DTX_UDI_011.01.xml";
    BOOST_TEST_CONTEXT(name) {
      if (malformed) {
        BOOST_TEST(s.reason() == "bad-xml");
      } else {
        BOOST_TEST((s.ok() || s.reason() == "bad-package"), s.ToString());
      }
    }
    imported += out.size();
  }
  BOOST_TEST(imported >= 20u);
  // An actor registration has no device: refused with a clear reason.
  std::string actor = testing::ReadFile(samples / "SAMPLE_DTX_ACT_001.01.xml");
  if (auto p = actor.find("<!-- Schema version here-->"); p != std::string::npos)
    actor.replace(p, 27, "3.0.25");
  testing::WriteFile(dir.path() / "actor.xml", actor);
  std::vector<ImportRecord> none;
  BOOST_TEST(ImportAll("eudamed-dtx", dir.path() / "actor.xml", &none).reason() == "bad-package");
}

// A copy of a fixture sample with its version placeholder filled in (as
// SOURCE.txt describes), written to `dir`.
std::filesystem::path PatchedSample(const std::filesystem::path& sample, const std::filesystem::path& dir) {
  std::string text = testing::ReadFile(sample);
  const std::string ph = "<!-- Schema version here-->";
  if (auto p = text.find(ph); p != std::string::npos) text.replace(p, ph.size(), "3.0.25");
  const auto out = dir / sample.filename();
  testing::WriteFile(out, text);
  return out;
}

// Every device type of the DTX schemas (the complex types of DI.xsd that
// extend device:DeviceType) has samples in the fixtures, and each of them
// imports with its identity: UDI-DI, Basic UDI-DI, the registering actor's
// SRN, and a model or trade name.
BOOST_AUTO_TEST_CASE(every_dtx_device_type_imports_with_its_identity) {
  TRANSLATE_REQUIRE_FIXTURES(fx);
  TempDir dir;
  const std::string di_xsd = testing::ReadFile(fx / "eudamed-dtx/XSD/data/Entity/DI.xsd");
  std::vector<std::string> types;
  for (size_t pos = di_xsd.find("<xs:complexType name=\""); pos != std::string::npos;
       pos = di_xsd.find("<xs:complexType name=\"", pos + 1)) {
    const size_t name_at = pos + std::string("<xs:complexType name=\"").size();
    const std::string name = di_xsd.substr(name_at, di_xsd.find('"', name_at) - name_at);
    const std::string body = di_xsd.substr(pos, di_xsd.find("</xs:complexType>", pos) - pos);
    if (body.find("base=\"device:DeviceType\"") != std::string::npos) types.push_back(name);
  }
  // MDR, IVDR, system/procedure pack, and the legacy MDD/AIMDD and IVDD devices.
  BOOST_TEST(types.size() == 5u);
  for (const auto& type : types) {
    size_t samples = 0;
    for (const auto& entry : std::filesystem::directory_iterator(fx / "eudamed-dtx/samples")) {
      const std::string text = testing::ReadFile(entry.path());
      if (text.find(":" + type + "\"") == std::string::npos) continue;
      ++samples;
      std::vector<ImportRecord> recs;
      Status s = ImportAll("eudamed-dtx", PatchedSample(entry.path(), dir.path()), &recs);
      BOOST_TEST_CONTEXT(type << " in " << entry.path().filename()) {
        BOOST_REQUIRE_MESSAGE(s.ok(), s.ToString());
        BOOST_REQUIRE_EQUAL(recs.size(), 1u);
        const v1::Dossier& d = recs[0].content;
        bool udi = false;
        for (const auto& id : d.device().identifiers())
          udi = udi || (id.type() == v1::Identifier::UDI_DI && !id.value().empty());
        BOOST_TEST(udi);
        BOOST_TEST(!d.regional().eu().basic_udi_di().empty());
        BOOST_TEST(!d.manufacturer().srn().empty());
        BOOST_TEST((!d.device().model_numbers().empty() || !d.device().trade_name().empty()));
      }
    }
    BOOST_TEST(samples > 0u, type << " has no sample in the fixtures");
  }
}

// A legacy (MDD) device as EUDAMED returns it in a pull response:
// MDEUDeviceType with an MDEUData block (UDI-DI, status, sterility, market
// info) and an MDEUDI block (Basic UDI-DI, class, model, SRN, legislation).
BOOST_AUTO_TEST_CASE(legacy_mdd_device_in_a_pull_response) {
  TRANSLATE_REQUIRE_FIXTURES(fx);
  TempDir dir;
  std::string text =
      testing::ReadFile(PatchedSample(fx / "eudamed-dtx/samples/SAMPLE_DTX_UDI_005.01.xml", dir.path()));
  for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
           {"<m:Push ", "<m:PullResponse "}, {"</m:Push>", "</m:PullResponse>"}}) {
    const size_t at = text.find(from);
    BOOST_REQUIRE(at != std::string::npos);
    text.replace(at, from.size(), to);
  }
  testing::WriteFile(dir.path() / "pull.xml", text);
  std::vector<ImportRecord> recs;
  Status s = ImportAll("eudamed-dtx", dir.path() / "pull.xml", &recs);
  BOOST_REQUIRE_MESSAGE(s.ok(), s.ToString());
  BOOST_REQUIRE_EQUAL(recs.size(), 1u);
  const v1::Dossier& d = recs[0].content;
  BOOST_TEST(HasIdent(d, v1::Identifier::UDI_DI, "1234_1237_2"));
  BOOST_TEST(HasIdent(d, v1::Identifier::BASIC_UDI_DI, "B-1234_1237_2"));
  BOOST_TEST(d.regional().eu().basic_udi_di() == "B-1234_1237_2");
  BOOST_TEST(d.manufacturer().srn() == "BE-MF-000000002");
  BOOST_TEST(d.device().model_numbers(0) == "Legacy Device _Model");
  BOOST_TEST(d.device().trade_name() == "Name_EN");
  const auto& facts = d.regional().eu().eudamed();
  BOOST_TEST(facts.market_status() == v1::EudamedDeviceFacts::ON_THE_MARKET);
  BOOST_TEST(facts.labelled_sterile());
  BOOST_TEST(facts.reprocessed_single_use());
  BOOST_TEST(facts.max_reuses() == 100);
  BOOST_TEST(facts.first_placed_member_state() == "BE");
  BOOST_TEST(facts.medicinal_product_substance());
  BOOST_REQUIRE_EQUAL(d.regional().eu().certificates_size(), 1);
  BOOST_TEST(d.regional().eu().certificates(0).type() == "MDD_III");
  // A directive class is not an MDR class: the legislation and the class are listed, not guessed.
  BOOST_TEST(d.classifications().eu().regulation() == v1::EuClassification::REGULATION_UNSPECIFIED);
  BOOST_TEST(d.classifications().eu().device_class() == v1::EuClassification::DEVICE_CLASS_UNSPECIFIED);
  BOOST_TEST(LossHas(recs[0], "MDEUDI.applicableLegislation"));
  BOOST_TEST(LossHas(recs[0], "MDEUDI.riskClass"));
}

}  // namespace
}  // namespace dossier::translate
