// The ToC folder layout (dossier/client/toc_folder.h) on real temporary
// folders: reading, merging with dossier.json in ToC order, the names written
// back, and the one media-type table.
#define BOOST_TEST_MODULE client_toc_folder_test
#include "dossier/client/toc_folder.h"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include "tests/support/files.h"
#include "tests/support/harness.h"
#include "tests/support/temp_dir.h"

using namespace dossier;
using namespace dossier::client;
using dossier::testing::WriteFile;
namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

std::vector<std::string> Codes(const JsonText& content_text) {
  const json::object content = dossier::testing::ParseObject(content_text);
  std::vector<std::string> codes;
  for (const auto& s : content.at("sections").as_array()) codes.emplace_back(s.at("code").as_string());
  return codes;
}

}  // namespace

BOOST_AUTO_TEST_CASE(reads_heading_folders_and_skips_hidden_entries) {
  testing::TempDir dir;
  WriteFile(dir.path() / "dossier.json", R"({"tocEdition":"IMDRF-N9-ED4"})");
  WriteFile(dir.path() / "3.05.05.08 Software V&V" / "validation.pdf", "pdf bytes");
  WriteFile(dir.path() / "3.05.05.08 Software V&V" / "study 1" / "report.PDF", "report");
  WriteFile(dir.path() / "3.05.05.08 Software V&V" / ".DS_Store", "junk");
  WriteFile(dir.path() / "3.05.05.08 Software V&V" / ".git" / "HEAD", "junk");
  WriteFile(dir.path() / "1.01" / "cover.txt", "cover");
  WriteFile(dir.path() / ".hidden" / "x.txt", "ignored");

  auto sections = ReadTocFolder(dir.path());
  BOOST_REQUIRE_MESSAGE(sections.ok(), sections.status().ToString());
  BOOST_REQUIRE(sections->size() == 2u);
  std::sort(sections->begin(), sections->end(), [](const auto& a, const auto& b) { return a.code < b.code; });
  BOOST_TEST((*sections)[0].code == "1.01");
  BOOST_TEST((*sections)[0].title.empty());
  const FolderSection& vv = (*sections)[1];
  BOOST_TEST(vv.code == "3.05.05.08");
  BOOST_TEST(vv.title == "Software V&V");
  BOOST_REQUIRE(vv.documents.size() == 2u);
  BOOST_TEST(vv.documents[0].file_name == "study 1/report.PDF");
  BOOST_TEST(vv.documents[0].media_type == "application/pdf");
  BOOST_TEST(vv.documents[0].size == 6u);
  BOOST_TEST(vv.documents[1].file_name == "validation.pdf");
  BOOST_TEST(vv.documents[1].digest.empty());

  auto fields = ReadDossierFields(dir.path());
  BOOST_REQUIRE(fields.ok());
  BOOST_TEST(std::string(dossier::testing::ParseObject(*fields).at("tocEdition").as_string()) ==
             "IMDRF-N9-ED4");
}

BOOST_AUTO_TEST_CASE(refuses_what_is_not_the_layout) {
  {
    testing::TempDir dir;
    WriteFile(dir.path() / "notes.pdf", "x");
    auto read = ReadTocFolder(dir.path());
    BOOST_REQUIRE(!read.ok());
    BOOST_TEST(read.status().reason() == "unexpected-file");
    BOOST_TEST(read.status().field() == "notes.pdf");
  }
  {
    testing::TempDir dir;
    WriteFile(dir.path() / "Software" / "a.pdf", "x");
    auto read = ReadTocFolder(dir.path());
    BOOST_REQUIRE(!read.ok());
    BOOST_TEST(read.status().reason() == "not-a-heading-folder");
    BOOST_TEST(read.status().message().find("not named by a ToC heading") != std::string::npos);
  }
  testing::TempDir dir;
  BOOST_TEST(ReadDossierFields(dir.path()).status().reason() == "io-error");
  WriteFile(dir.path() / "dossier.json", "[1]");
  BOOST_TEST(ReadDossierFields(dir.path()).status().reason() == "bad-fields-file");
  BOOST_TEST(ReadTocFolder(dir.path() / "absent").status().reason() == "io-error");

  for (const char* code : {"1", "3.05.05.08", "6A.04", "6B", "12.01"})
    BOOST_TEST(IsTocHeadingCode(code), code);
  for (const char* code : {"", "A", "123", "3.5", "3.05.", "6C.01", "3..05", "3.05a", "3.05 x"})
    BOOST_TEST(!IsTocHeadingCode(code), code);
}

BOOST_AUTO_TEST_CASE(merge_puts_folders_over_fields_in_toc_order) {
  const JsonText fields = (R"({"tocEdition":"IMDRF-N9-ED4","sections":[
      {"code":"3.05.05.08","title":"Old title","data":{"x":1},
       "documents":[{"digest":"sha256:00","fileName":"old.pdf"}]},
      {"code":"9.99","notApplicableJustification":"unknown heading"},
      {"code":"1.01","title":"Cover"}]})");
  FolderSection vv{"3.05.05.08", "Software V&V", {}};
  vv.documents.push_back(FolderDocument{"/tmp/v.pdf", "v.pdf", 3, "application/pdf", "sha256:11"});
  FolderSection labels{"2.04.01", "", {}};
  labels.documents.push_back(FolderDocument{"/tmp/l.docx", "l.docx", 5, "", "sha256:22"});

  auto merged = MergeTocFolder(fields, {vv, labels});
  BOOST_REQUIRE_MESSAGE(merged.ok(), merged.status().ToString());
  // ToC order of the N9 edition; the unknown code last.
  BOOST_TEST((Codes(*merged) == std::vector<std::string>{"1.01", "2.04.01", "3.05.05.08", "9.99"}));
  const json::object merged_json = dossier::testing::ParseObject(*merged);
  const auto& sections = merged_json.at("sections").as_array();
  const auto& software = sections[2].as_object();
  BOOST_TEST(std::string(software.at("title").as_string()) == "Software V&V");
  BOOST_TEST(software.at("data").as_object().contains("x"));  // fields the folder does not hold are kept
  BOOST_REQUIRE(software.at("documents").as_array().size() == 1u);  // the folder replaces the documents
  BOOST_TEST(
      (software.at("documents").as_array()[0] ==
       json::parse(
           R"({"digest":"sha256:11","mediaType":"application/pdf","fileName":"v.pdf","sizeBytes":3})")));
  // A document without its media type gets the table's.
  BOOST_TEST(std::string(sections[1].at("documents").as_array()[0].at("mediaType").as_string()) ==
             "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
  BOOST_TEST(std::string(sections[0].at("title").as_string()) == "Cover");  // untouched without a folder

  // The edition decides: 3.05.05.08 is a heading of the non-IVD edition
  // (the default) only, so under the IVD edition it sorts after 6A.01.
  const std::vector<FolderSection> two = {FolderSection{"6A.01", "", {}},
                                          FolderSection{"3.05.05.08", "", {}}};
  auto nivd = MergeTocFolder("{}", two);
  auto ivd = MergeTocFolder(R"({"tocEdition":"IMDRF-N13-ED4"})", two);
  BOOST_REQUIRE(nivd.ok() && ivd.ok());
  BOOST_TEST((Codes(*nivd) == std::vector<std::string>{"3.05.05.08", "6A.01"}));
  BOOST_TEST((Codes(*ivd) == std::vector<std::string>{"6A.01", "3.05.05.08"}));
  BOOST_TEST(TocRank("IMDRF-N9-ED4", "1.01") < TocRank("IMDRF-N9-ED4", "3.05.05.08"));
  BOOST_TEST(TocRank("no-such-edition", "1.01") == 0u);

  FolderSection unhashed{"1.01", "Cover", {FolderDocument{"/tmp/c.pdf", "c.pdf", 1, "", ""}}};
  auto refused = MergeTocFolder("{}", {unhashed});
  BOOST_TEST(refused.status().reason() == "missing-digest");
  BOOST_TEST(refused.status().field() == "1.01 Cover/c.pdf");
  auto bad = MergeTocFolder(R"({"sections":[{"title":"no code"}]})", {});
  BOOST_TEST(bad.status().reason() == "bad-fields-file");
  BOOST_TEST(bad.status().field() == "sections[0].code");
  // Fields that are not JSON text of an object are refused as such.
  for (const char* not_an_object : {"", "{", "[1]", "\"text\""}) {
    BOOST_TEST(MergeTocFolder(not_an_object, {}).status().reason() == "bad-fields-file", not_an_object);
  }
}

BOOST_AUTO_TEST_CASE(names_written_back) {
  BOOST_TEST(TocFolderName("3.05.05.08", "Software V&V") == "3.05.05.08 Software V&V");
  BOOST_TEST(TocFolderName("2.04", "Labels / IFU") == "2.04 Labels - IFU");
  BOOST_TEST(TocFolderName("1.01", "") == "1.01");
  for (const char* ok : {"a.pdf", "study 1/report.pdf", "x..y.pdf"}) BOOST_TEST(IsSafeDocumentPath(ok), ok);
  for (const char* bad : {"", "/etc/passwd", "../x", "a/../../x", "a\\b", "./a"})
    BOOST_TEST(!IsSafeDocumentPath(bad), bad);
}

// One table for documents and imports. The CLI used to label ".ndjson" as
// octet-stream and the SDK every document type (".pdf", ".docx") as
// octet-stream; each extension's registered type wins.
BOOST_AUTO_TEST_CASE(one_media_type_per_extension) {
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"a.pdf", "application/pdf"},
      {"A.PDF", "application/pdf"},
      {"a.json", "application/json"},
      {"a.ndjson", "application/x-ndjson"},
      {"a.xml", "application/xml"},
      {"a.zip", "application/zip"},
      {"a.txt", "text/plain"},
      {"a.csv", "text/csv"},
      {"a.md", "text/markdown"},
      {"a.htm", "text/html"},
      {"a.html", "text/html"},
      {"a.png", "image/png"},
      {"a.jpg", "image/jpeg"},
      {"a.jpeg", "image/jpeg"},
      {"a.tif", "image/tiff"},
      {"a.tiff", "image/tiff"},
      {"a.dcm", "application/dicom"},
      {"a.doc", "application/msword"},
      {"a.xls", "application/vnd.ms-excel"},
      {"a.ppt", "application/vnd.ms-powerpoint"},
      {"a.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
      {"a.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
      {"a.pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"},
      {"a.bin", "application/octet-stream"},
      {"Makefile", "application/octet-stream"},
      {".pdf", "application/octet-stream"},  // a hidden file named ".pdf" has no extension
  };
  for (const auto& [name, type] : expected) BOOST_TEST(MediaTypeForFile(name) == type, name);
}
