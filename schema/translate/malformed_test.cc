#define BOOST_TEST_MODULE translate_malformed
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>

#include "schema/translate/test_util.h"
#include "schema/translate/zip.h"

namespace dossier::translate {
namespace {

using testing::ExampleBlobs;
using testing::ExampleDossier;
using testing::ImportAll;
using testing::TempDir;
using testing::WriteFile;

Status ImportBytes(const std::string& format, std::string_view bytes,
                   const ImportLimits& limits = ImportLimits()) {
  TempDir dir;
  WriteFile(dir.path() / "input", bytes);
  std::vector<ImportRecord> recs;
  return ImportAll(format, dir.path() / "input", &recs, limits);
}

std::string Zip(const std::vector<std::pair<std::string, std::string>>& entries) {
  ZipWriter w;
  for (const auto& [n, b] : entries) w.Add(n, b);
  return w.Finish();
}

BOOST_AUTO_TEST_CASE(not_a_zip) {
  BOOST_TEST(ImportBytes("imdrf-toc", "this is not a zip archive").reason() == "bad-zip");
  BOOST_TEST(ImportBytes("fda-estar", "").reason() == "bad-zip");
  // A valid package truncated in the middle.
  const v1::Dossier d = ExampleDossier();
  auto r = Export(d, "imdrf-toc", ExampleBlobs(d));
  BOOST_TEST(ImportBytes("imdrf-toc", r->bytes.substr(0, r->bytes.size() / 2)).reason() == "bad-zip");
  // A flipped byte inside a compressed entry: CRC/inflate failure.
  std::string corrupt = Zip({{"manifest.json", std::string(5000, 'a') + "{}"}});
  corrupt[60] ^= 0x55;
  const Status s = ImportBytes("imdrf-toc", corrupt);
  BOOST_TEST((s.reason() == "bad-zip" || s.reason() == "bad-json"), s.ToString());
}

BOOST_AUTO_TEST_CASE(path_traversal_in_entry_names) {
  for (const char* name : {"../evil.txt", "a/../../evil", "/etc/passwd", "C:\\evil", "dir\\..\\x", "a/./b"}) {
    BOOST_TEST_CONTEXT(name) {
      const Status s = ImportBytes("imdrf-toc", Zip({{"manifest.json", "{}"}, {name, "x"}}));
      BOOST_TEST(s.reason() == "zip-path-traversal");
      BOOST_TEST(s.field() == name);
    }
  }
  // The same guard applies to a GUDID release delivered as ZIP.
  BOOST_TEST(ImportBytes("gudid-xml", Zip({{"../file1.xml", "<data/>"}})).reason() == "zip-path-traversal");
  BOOST_TEST(CheckEntryName("3 Non-Clinical Evidence/3.02 Risk Management/r.pdf").ok());
}

BOOST_AUTO_TEST_CASE(zip_bombs) {
  // 64 MiB of "<a/>" deflate to well under 1 MiB: the inflated/compressed
  // ratio passes 200 long before the end and the entry is refused while
  // streaming - the bytes never pile up in memory.
  std::string zeros = "<data>";
  zeros.reserve(64u << 20);
  while (zeros.size() < (64u << 20)) zeros += "<a/>";
  zeros += "</data>";
  const std::string bomb = Zip({{"manifest.json", "{\"format\":\"imdrf-toc\"}"}, {"file1.xml", zeros}});
  BOOST_TEST(bomb.size() < (1u << 20));
  rusage before{};
  getrusage(RUSAGE_SELF, &before);
  const Status s = ImportBytes("gudid-xml", bomb);
  BOOST_TEST(s.reason() == "zip-bomb", s.ToString());
  BOOST_TEST(s.field() == "file1.xml");
  // Total cap and entry cap.
  ImportLimits small;
  small.max_entry_uncompressed = 1000;
  BOOST_TEST(
      ImportBytes("imdrf-toc", Zip({{"manifest.json", std::string(5000, ' ') + "{}"}}), small).reason() ==
      "zip-bomb");
  ImportLimits few;
  few.max_entries = 2;
  BOOST_TEST(ImportBytes("imdrf-toc", Zip({{"a", "1"}, {"b", "2"}, {"c", "3"}}), few).reason() == "zip-bomb");
  ImportLimits tiny_input;
  tiny_input.max_input_bytes = 10;
  BOOST_TEST(ImportBytes("imdrf-toc", bomb, tiny_input).reason() == "input-too-large");
}

BOOST_AUTO_TEST_CASE(tampered_packages) {
  const v1::Dossier d = ExampleDossier();
  auto r = Export(d, "hsa-csdt", ExampleBlobs(d));
  TempDir dir;
  WriteFile(dir.path() / "p.zip", r->bytes);
  auto zip = ZipReader::Open(dir.path() / "p.zip", ImportLimits());
  std::vector<std::pair<std::string, std::string>> entries;
  for (const auto& n : (*zip)->Names()) entries.emplace_back(n, *(*zip)->ReadAll(n, 1 << 20));
  // Replace one document's bytes: the manifest digest no longer matches.
  auto tampered = entries;
  for (auto& [n, b] : tampered) {
    if (n.find("risk-management-report.pdf") != std::string::npos) b = "forged";
  }
  const Status s = ImportBytes("hsa-csdt", Zip(tampered));
  BOOST_TEST(s.reason() == "bad-package");
  BOOST_TEST(s.field().find("risk-management-report.pdf") != std::string::npos);
  // No manifest.
  std::vector<std::pair<std::string, std::string>> no_manifest;
  for (const auto& e : entries) {
    if (e.first != "manifest.json") no_manifest.push_back(e);
  }
  BOOST_TEST(ImportBytes("hsa-csdt", Zip(no_manifest)).reason() == "bad-package");
  // A package of another format.
  BOOST_TEST(ImportBytes("fda-estar", r->bytes).reason() == "bad-package");
  // Malformed manifest JSON.
  BOOST_TEST(ImportBytes("hsa-csdt", Zip({{"manifest.json", "{\"format\": "}})).reason() == "bad-json");
}

long MaxRssKb() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}

// A package's documents are hashed while streaming, never held whole: a 48 MiB
// document must not raise the importing process's peak RSS by its size.
BOOST_AUTO_TEST_CASE(large_document_is_streamed_not_held) {
  TempDir dir;
  const auto package = dir.path() / "big.zip";
  // Built in a child process, so this process's peak RSS stays low.
  const pid_t pid = ::fork();
  BOOST_REQUIRE(pid >= 0);
  if (pid == 0) {
    v1::Dossier d = ExampleDossier();
    std::string big(48u << 20, '\0');  // an LCG: deflate cannot shrink it
    uint64_t x = 1;
    for (char& c : big) {
      x = x * 6364136223846793005ull + 1442695040888963407ull;
      c = static_cast<char>(x >> 56);
    }
    v1::Document* doc = nullptr;
    for (auto& sec : *d.mutable_sections()) {
      if (sec.documents_size() > 0) {
        doc = sec.mutable_documents(0);
        break;
      }
    }
    if (!doc) ::_exit(2);
    const std::string digest = Sha256Digest(big);
    doc->set_digest(digest);
    const BlobReader small = ExampleBlobs(d);
    auto r = Export(d, "imdrf-toc", [&](std::string_view want) -> StatusOr<std::string> {
      if (want == digest) return big;
      return small(want);
    });
    if (!r.ok()) ::_exit(3);
    WriteFile(package, r->bytes);
    WriteFile(dir.path() / "digest", digest);
    ::_exit(0);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  BOOST_REQUIRE_MESSAGE(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status " << status);
  const std::string digest = testing::ReadFile(dir.path() / "digest");
  const long before = MaxRssKb();
  std::vector<ImportRecord> recs;
  const Status s = ImportAll("imdrf-toc", package, &recs);
  BOOST_REQUIRE_MESSAGE(s.ok(), s.ToString());
  bool found = false;
  for (const auto& sec : recs.at(0).content.sections()) {
    for (const auto& doc : sec.documents()) found = found || doc.digest() == digest;
  }
  BOOST_TEST(found);
  BOOST_TEST(MaxRssKb() - before < 24 * 1024, "peak RSS grew by " << MaxRssKb() - before << " KiB");
}

const char* kXxe =
    "<?xml version=\"1.0\"?>\n<!DOCTYPE data [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n"
    "<data><device xmlns=\"http://www.fda.gov/cdrh/gudid\"><brandName>&xxe;</brandName></device></data>\n";

const char* kBillionLaughs =
    "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n"
    "<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
    "<!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
    "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
    "<!ENTITY lol9 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n]>\n"
    "<data><device><brandName>&lol9;</brandName></device></data>\n";

BOOST_AUTO_TEST_CASE(xml_entities_and_doctype_refused) {
  for (const char* format : {"gudid-xml", "eudamed-dtx"}) {
    BOOST_TEST_CONTEXT(format) {
      const Status xxe = ImportBytes(format, kXxe);
      BOOST_TEST(xxe.reason() == "xml-entity", xxe.ToString());
      BOOST_TEST(xxe.field().rfind("line ", 0) == 0);
      BOOST_TEST(ImportBytes(format, kBillionLaughs).reason() == "xml-entity");
      // An undeclared entity reference (no DOCTYPE at all).
      const Status undeclared =
          ImportBytes(format, "<data><device><brandName>&nope;</brandName></device></data>");
      BOOST_TEST((undeclared.reason() == "xml-entity" || undeclared.reason() == "bad-xml"),
                 undeclared.ToString());
    }
  }
  // XXE inside a GUDID release ZIP.
  BOOST_TEST(ImportBytes("gudid-xml", Zip({{"file1.xml", kXxe}})).reason() == "xml-entity");
}

BOOST_AUTO_TEST_CASE(wrong_encodings) {
  // Declared (default) UTF-8, bytes are Latin-1.
  const Status latin1 = ImportBytes("gudid-xml",
                                    "<data><device><brandName>Gr\xfc\xdf"
                                    "e</brandName></device></data>");
  BOOST_TEST(latin1.reason() == "bad-encoding", latin1.ToString());
  BOOST_TEST(latin1.field() == "line 1");
  // An encoding nobody knows.
  const Status unknown =
      ImportBytes("gudid-xml", "<?xml version=\"1.0\" encoding=\"x-klingon\"?><data><device/></data>");
  BOOST_TEST(unknown.reason() == "bad-encoding", unknown.ToString());
  // Properly declared Latin-1 is fine.
  std::vector<ImportRecord> recs;
  TempDir dir;
  WriteFile(dir.path() / "l1.xml",
            "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><data><device><brandName>Gr\xfc\xdf"
            "e</brandName>"
            "<identifiers><identifier><deviceId>1</deviceId><deviceIdType>Primary</deviceIdType></identifier>"
            "</identifiers></device></data>");
  Status ok = ImportAll("gudid-xml", dir.path() / "l1.xml", &recs);
  BOOST_REQUIRE_MESSAGE(ok.ok(), ok.ToString());
  BOOST_TEST(recs[0].content.device().trade_name() ==
             "Gr\xc3\xbc\xc3\x9f"
             "e");
  // JSON with invalid UTF-8.
  BOOST_TEST(ImportBytes("openfda-510k", "{\"k_number\": \"K1\xff\"}").reason() == "bad-json");
}

BOOST_AUTO_TEST_CASE(malformed_xml_and_json) {
  BOOST_TEST(ImportBytes("gudid-xml", "<data><device><brandName>x</device></data>").reason() == "bad-xml");
  BOOST_TEST(ImportBytes("gudid-xml", "<data><device>").reason() == "bad-xml");
  BOOST_TEST(ImportBytes("gudid-xml", "<data/>").reason() == "bad-package");  // well-formed, no device
  BOOST_TEST(ImportBytes("openfda-510k", "{\"results\": [").reason() == "bad-json");
  BOOST_TEST(ImportBytes("openfda-510k", "{\"device_name\": \"x\"}").reason() == "bad-json");  // no k_number
  // A single-record format given an API answer listing two records (found by the translate_import campaign).
  const Status two = ImportBytes("openfda-510k", R"({"results":[{"k_number":"K1"},{"k_number":"K2"}]})");
  BOOST_TEST(two.reason() == "multiple-records");
  BOOST_TEST(two.field() == "results[1]");
  BOOST_TEST(
      ImportBytes("openfda-classification", R"({"results":[{"product_code":"A"},{"product_code":"B"}]})")
          .reason() == "multiple-records");
  BOOST_TEST(ImportBytes("fhir-r5", "{\"resourceType\": \"Patient\"}").reason() == "bad-json");
  BOOST_TEST(ImportBytes("fhir-r5", "[1,2").reason() == "bad-json");
  // Deeply nested JSON is refused by the depth limit, not by a stack overflow.
  BOOST_TEST(ImportBytes("fhir-r5", std::string(100000, '[')).reason() == "bad-json");
  BOOST_TEST(ImportBytes("nope", "x").reason() == "unknown-format");
  std::vector<ImportRecord> recs;
  BOOST_TEST(ImportAll("gudid-xml", "/nonexistent/file.xml", &recs).code() == StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace dossier::translate
