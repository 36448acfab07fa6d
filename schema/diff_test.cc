#define BOOST_TEST_MODULE schema_diff_test
#include "schema/diff.h"

#include <boost/test/unit_test.hpp>

#include "schema/test_util.h"

namespace ds = dossier::schema;
namespace v1 = dossier::v1;
using ds::testing::ExampleDossier;
using Kind = ds::SectionChange::Kind;

namespace {

v1::Section* Find(v1::Dossier* d, const std::string& code) {
  for (auto& s : *d->mutable_sections()) {
    if (s.code() == code) return &s;
  }
  return nullptr;
}

}  // namespace

BOOST_AUTO_TEST_CASE(identical_is_empty) {
  v1::Dossier a = ExampleDossier(), b = ExampleDossier();
  // Reordered sections and documents are not changes.
  b.mutable_sections()->SwapElements(0, 5);
  Find(&b, "3.05.05.08")->mutable_documents()->SwapElements(0, 2);
  const auto diff = ds::DiffDossiers(a, b);
  BOOST_TEST(diff.empty());
  BOOST_TEST(boost::json::serialize(ds::DiffToJson(diff)) ==
             R"({"sections":[],"changedFields":[],"fields":[]})");
}

BOOST_AUTO_TEST_CASE(added_removed_modified) {
  const v1::Dossier a = ExampleDossier();
  v1::Dossier b = a;
  // Remove 1.01, add 3.04.01, modify 3.05.05.08 (replace one document, change data), 5.03 (title only).
  b.mutable_sections()->DeleteSubrange(0, 1);
  auto* added = b.add_sections();
  added->set_code("3.04.01");
  auto* doc = added->add_documents();
  doc->set_digest("sha256:" + std::string(64, '1'));
  doc->set_media_type("application/pdf");
  auto* vv = Find(&b, "3.05.05.08");
  const std::string old_digest = vv->documents(1).digest();
  vv->mutable_documents(1)->set_digest("sha256:" + std::string(64, '2'));
  (*vv->mutable_data()->mutable_fields())["testCases"].set_number_value(500);
  Find(&b, "5.03")->set_title("IFU");

  const auto diff = ds::DiffDossiers(a, b);
  BOOST_TEST_REQUIRE(diff.sections.size() == 4u);
  BOOST_TEST(diff.sections[0].code == "1.01");
  BOOST_TEST((diff.sections[0].kind == Kind::kRemoved));
  BOOST_TEST(diff.sections[0].documents_removed.size() == 1u);
  BOOST_TEST(diff.sections[1].code == "3.04.01");
  BOOST_TEST((diff.sections[1].kind == Kind::kAdded));
  BOOST_TEST(diff.sections[1].documents_added == std::vector<std::string>{"sha256:" + std::string(64, '1')},
             boost::test_tools::per_element());
  BOOST_TEST(diff.sections[2].code == "3.05.05.08");
  BOOST_TEST((diff.sections[2].kind == Kind::kModified));
  BOOST_TEST(diff.sections[2].documents_added == std::vector<std::string>{"sha256:" + std::string(64, '2')},
             boost::test_tools::per_element());
  BOOST_TEST(diff.sections[2].documents_removed == std::vector<std::string>{old_digest},
             boost::test_tools::per_element());
  BOOST_TEST(diff.sections[2].data_changed);
  BOOST_TEST(diff.sections[3].code == "5.03");
  BOOST_TEST((diff.sections[3].kind == Kind::kModified));
  BOOST_TEST(diff.sections[3].documents_added.empty());
  BOOST_TEST(!diff.sections[3].data_changed);
  BOOST_TEST(diff.changed_fields.empty());

  const auto json = ds::DiffToJson(diff);
  const auto& s2 = json.at("sections").as_array().at(2).as_object();
  BOOST_TEST(s2.at("code").as_string() == "3.05.05.08");
  BOOST_TEST(s2.at("kind").as_string() == "MODIFIED");
  BOOST_TEST(s2.at("dataChanged").as_bool());
  BOOST_TEST(s2.at("documentsAdded").as_array().size() == 1u);
  BOOST_TEST(json.at("sections").as_array().at(0).at("kind").as_string() == "REMOVED");
  BOOST_TEST(json.at("sections").as_array().at(1).at("kind").as_string() == "ADDED");
}

BOOST_AUTO_TEST_CASE(changed_fields) {
  const v1::Dossier a = ExampleDossier();
  v1::Dossier b = a;
  b.mutable_device()->set_trade_name("ThoraxTriage AI 2");
  b.set_intended_use("new");
  b.add_indications("more");
  b.mutable_classifications()->mutable_eu()->set_device_class(v1::EuClassification::CLASS_IIB);
  b.mutable_regional()->mutable_eu()->set_notified_body_number("0123");
  b.mutable_ai()->mutable_performance(0)->set_value(0.94);
  b.set_toc_edition("IMDRF-N13-ED4");
  const auto diff = ds::DiffDossiers(a, b);
  BOOST_TEST(diff.sections.empty());
  BOOST_TEST(diff.changed_fields ==
                 (std::vector<std::string>{"ai.performance", "classifications.eu", "device.tradeName",
                                           "indications", "intendedUse", "regional.eu", "tocEdition"}),
             boost::test_tools::per_element());
  // Reverse direction reports the same fields.
  BOOST_TEST(ds::DiffDossiers(b, a).changed_fields == diff.changed_fields, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(from_empty) {
  const v1::Dossier b = ExampleDossier();
  const auto diff = ds::DiffDossiers(v1::Dossier(), b);
  BOOST_TEST(diff.sections.size() == static_cast<size_t>(b.sections_size()));
  for (const auto& c : diff.sections) BOOST_TEST((c.kind == Kind::kAdded));
  const auto back = ds::DiffDossiers(b, v1::Dossier());
  for (const auto& c : back.sections) BOOST_TEST((c.kind == Kind::kRemoved));
}

BOOST_AUTO_TEST_CASE(redline_detail_names_files_and_old_and_new_values) {
  const v1::Dossier a = ExampleDossier();
  v1::Dossier b = a;
  b.mutable_device()->set_trade_name("ThoraxTriage AI 2");
  auto* vv = Find(&b, "3.05.05.08");
  // Replace the second document under the same file name, add one, drop the first.
  const std::string replaced_name = "report-v2.pdf";
  vv->mutable_documents(1)->set_file_name(replaced_name);
  v1::Dossier a2 = a;
  Find(&a2, "3.05.05.08")->mutable_documents(1)->set_file_name(replaced_name);
  vv->mutable_documents(1)->set_digest("sha256:" + std::string(64, '2'));
  auto* added = vv->add_documents();
  added->set_digest("sha256:" + std::string(64, '3'));
  added->set_file_name("addendum.pdf");
  const std::string dropped = vv->documents(0).digest();
  vv->mutable_documents()->DeleteSubrange(0, 1);
  (*vv->mutable_data()->mutable_fields())["testCases"].set_number_value(500);

  const auto diff = ds::DiffDossiers(a2, b);
  BOOST_TEST_REQUIRE(diff.sections.size() == 1u);
  const auto& docs = diff.sections[0].documents;
  BOOST_TEST_REQUIRE(docs.size() == 3u);
  int changed = 0, added_n = 0, removed = 0;
  for (const auto& d : docs) {
    if (d.kind == ds::DocumentChange::Kind::kChanged) {
      ++changed;
      BOOST_TEST(d.file_name == replaced_name);
      BOOST_TEST(d.new_digest == "sha256:" + std::string(64, '2'));
      BOOST_TEST(!d.old_digest.empty());
    } else if (d.kind == ds::DocumentChange::Kind::kAdded) {
      ++added_n;
      BOOST_TEST(d.file_name == "addendum.pdf");
      BOOST_TEST(d.old_digest.empty());
    } else {
      ++removed;
      BOOST_TEST(d.old_digest == dropped);
    }
  }
  BOOST_TEST((changed == 1 && added_n == 1 && removed == 1));
  BOOST_TEST_REQUIRE(diff.sections[0].data_fields.size() == 1u);
  BOOST_TEST(diff.sections[0].data_fields[0].path == "data.testCases");
  BOOST_TEST(diff.sections[0].data_fields[0].new_value.to_number<double>() == 500.0);
  BOOST_TEST_REQUIRE(diff.fields.size() == 1u);
  BOOST_TEST(diff.fields[0].path == "device.tradeName");
  BOOST_TEST(diff.fields[0].old_value.as_string() == a.device().trade_name());
  BOOST_TEST(diff.fields[0].new_value.as_string() == "ThoraxTriage AI 2");
  const auto json = ds::DiffToJson(diff);
  BOOST_TEST(json.at("fields").as_array().at(0).at("new").as_string() == "ThoraxTriage AI 2");
  BOOST_TEST(json.at("sections").as_array().at(0).at("documents").as_array().size() == 3u);
}

BOOST_AUTO_TEST_CASE(a_section_without_a_title_is_named_by_its_toc_heading) {
  v1::Dossier a = ExampleDossier();
  for (auto& section : *a.mutable_sections()) section.clear_title();
  v1::Dossier b = a;
  (*Find(&b, "3.05.05.08")->mutable_data()->mutable_fields())["testCases"].set_number_value(501);
  Find(&b, "5.03")->set_title("Our own title");
  const auto diff = ds::DiffDossiers(a, b);
  BOOST_TEST_REQUIRE(diff.sections.size() == 2u);
  BOOST_TEST(diff.sections[0].code == "3.05.05.08");
  BOOST_TEST(diff.sections[0].title == "Software Verification and Validation");  // IMDRF-N9-ED4's heading
  BOOST_TEST(diff.sections[1].title == "Our own title");                         // the dossier's own wins
}
