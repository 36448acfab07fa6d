#include "report_output.h"

#include <iostream>
#include <vector>

#include "cli_output.h"
#include "schema/toc.h"
#include "schema/translate/zip.h"

namespace dossier::cli {
namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

// "3.05.05.08 Software Verification and Validation" for each code in
// `codes` ("3.05.05.08" or a list), titled from the ToC edition the report
// names ("N9" -> IMDRF-N9-ED4).
std::string Headings(const std::string& codes, const std::string& edition) {
  const schema::TocCatalog& catalog = schema::TocCatalog::BuiltIn();
  std::string edition_key;
  for (const auto& e : catalog.Editions()) {
    if (!edition.empty() && e.find("-" + edition + "-") != std::string::npos) edition_key = e;
  }
  std::string out, code;
  auto flush = [&] {
    if (code.empty()) return;
    const schema::TocHeading* h = edition_key.empty() ? nullptr : catalog.Find(edition_key, code);
    out += (out.empty() ? "" : "; ") + code + (h ? " " + h->title : "");
    code.clear();
  };
  for (char ch : codes) {
    if (ch == ',' || ch == ';' || ch == ' ' || ch == '|' || ch == '+') {
      flush();
    } else {
      code += ch;
    }
  }
  flush();
  return out;
}

bool Flag(const json::object& o, std::string_view member) {
  const json::value* v = o.if_contains(member);
  return v && v->is_bool() && v->as_bool();
}

}  // namespace

void PrintReadiness(const json::object& report) {
  const json::value* items = report.if_contains("items");
  const std::string edition = Cell(report, "edition");
  std::cout << Cell(report, "agency") << " readiness for pathway " << Cell(report, "pathway") << " (ToC "
            << edition << ", as of " << Cell(report, "asOf")
            << "): " << (Flag(report, "ready") ? "READY" : "NOT READY") << ", "
            << Cell(report, "missingCount") << " missing, " << Cell(report, "advisoryMissingCount")
            << " advisory missing\n";
  if (items == nullptr || !items->is_array()) return;
  struct Group {
    const char* title;
    const char* box;
    bool (*member)(const json::object&);
  };
  const Group groups[] = {
      {"MISSING (required)", "[ ]",
       [](const json::object& o) { return Cell(o, "status") == "missing" && !Flag(o, "advisory"); }},
      {"MISSING (advisory: guidance, or not in force yet)", "[ ]",
       [](const json::object& o) { return Cell(o, "status") == "missing" && Flag(o, "advisory"); }},
      {"PRESENT", "[x]", [](const json::object& o) { return Cell(o, "status") == "present"; }},
      {"NOT APPLICABLE", "[-]", [](const json::object& o) { return Cell(o, "status") == "not-applicable"; }},
      {"OTHER", "[?]",
       [](const json::object& o) {
         const std::string s = Cell(o, "status");
         return s != "missing" && s != "present" && s != "not-applicable";
       }},
  };
  for (const Group& g : groups) {
    std::vector<const json::object*> members;
    for (const auto& item : items->as_array()) {
      if (item.is_object() && g.member(item.as_object())) members.push_back(&item.as_object());
    }
    if (members.empty()) continue;
    std::cout << "\n" << g.title << " (" << members.size() << ")\n";
    for (const json::object* o : members) {
      std::cout << "  " << g.box << " " << Cell(*o, "id") << "  " << Cell(*o, "title") << "\n";
      std::cout << "        " << Cell(*o, "citation") << " (" << Cell(*o, "binding")
                << (Flag(*o, "verified") ? "" : ", citation unverified") << ")";
      const std::string headings = Headings(Cell(*o, "tocCode"), edition);
      if (!headings.empty()) std::cout << "; heading " << headings;
      std::cout << "\n";
      const std::string detail = Cell(*o, "detail");
      if (!detail.empty() && Cell(*o, "status") != "present") std::cout << "        " << detail << "\n";
    }
  }
}

void PrintLossReport(const json::value& loss, const std::string& what) {
  if (!loss.is_array() || loss.as_array().empty()) {
    std::cout << "loss report: everything carried over into " << what << "\n";
    return;
  }
  std::cout << "loss report: " << loss.as_array().size() << " item(s) did not carry over into " << what
            << "\n";
  for (const auto& l : loss.as_array()) {
    if (!l.is_object()) continue;
    std::cout << "  " << Cell(l.as_object(), "path") << "\n      " << Cell(l.as_object(), "reason") << "\n";
  }
}

std::optional<json::value> ExportedLoss(const fs::path& file) {
  auto zip = translate::ZipReader::Open(file, translate::ImportLimits{});
  if (!zip.ok() || !(*zip)->Has("loss.json")) return std::nullopt;
  auto text = (*zip)->ReadAll("loss.json", 64ull << 20);
  if (!text.ok()) return std::nullopt;
  boost::system::error_code ec;
  json::value v = json::parse(*text, ec);
  if (ec || !v.is_object() || !v.as_object().contains("loss")) return std::nullopt;
  return v.as_object().at("loss");
}

}  // namespace dossier::cli
