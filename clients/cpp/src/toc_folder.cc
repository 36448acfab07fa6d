#include "dossier/client/toc_folder.h"

#include <algorithm>
#include <boost/json.hpp>
#include <fstream>
#include <map>
#include <sstream>

#include "schema/toc.h"

namespace dossier::client {
namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

Status IoError(const std::string& what, const std::string& field = {}) {
  return Status(StatusCode::kNotFound, what, "io-error", field);
}

std::string LowerExtension(const fs::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext;
}

// The documents below one heading folder, hidden entries skipped, by name.
StatusOr<std::vector<FolderDocument>> ReadDocuments(const fs::path& folder) {
  std::vector<FolderDocument> documents;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(folder, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    const std::string leaf = it->path().filename().string();
    if (!leaf.empty() && leaf[0] == '.') {
      if (it->is_directory()) it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file()) continue;
    FolderDocument d;
    d.path = it->path();
    d.file_name = fs::relative(it->path(), folder).generic_string();
    d.size = it->file_size();
    d.media_type = MediaTypeForFile(d.path);
    documents.push_back(std::move(d));
  }
  if (ec) return IoError("cannot read " + folder.string() + ": " + ec.message(), folder.filename().string());
  std::sort(documents.begin(), documents.end(),
            [](const auto& a, const auto& b) { return a.file_name < b.file_name; });
  return documents;
}

json::array DocumentsJson(const FolderSection& section) {
  json::array docs;
  for (const auto& doc : section.documents) {
    docs.push_back(
        json::object{{"digest", doc.digest},
                     {"mediaType", doc.media_type.empty() ? MediaTypeForFile(doc.path) : doc.media_type},
                     {"fileName", doc.file_name},
                     {"sizeBytes", doc.size}});
  }
  return docs;
}

}  // namespace

bool IsTocHeadingCode(std::string_view code) {
  // One or two digits, an optional annex letter (6A, 6B), then ".NN" groups.
  size_t i = 0;
  while (i < code.size() && i < 2 && IsDigit(code[i])) ++i;
  if (i == 0) return false;
  if (i < code.size() && (code[i] == 'A' || code[i] == 'B')) ++i;
  while (i < code.size()) {
    if (i + 2 >= code.size() || code[i] != '.' || !IsDigit(code[i + 1]) || !IsDigit(code[i + 2]))
      return false;
    i += 3;
  }
  return true;
}

StatusOr<std::vector<FolderSection>> ReadTocFolder(const fs::path& dir) {
  std::vector<FolderSection> sections;
  std::error_code ec;
  for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.empty() || name[0] == '.' || name == kDossierFieldsFile) continue;
    if (!it->is_directory()) {
      return InvalidArgument(
          "unexpected file " + it->path().string() +
              ": documents go in a folder named by their ToC heading (e.g. \"3.05.05.08\")",
          "unexpected-file", name);
    }
    FolderSection section;
    const auto space = name.find(' ');
    section.code = name.substr(0, space);
    if (space != std::string::npos) section.title = name.substr(space + 1);
    if (!IsTocHeadingCode(section.code)) {
      return InvalidArgument(
          "folder \"" + name + "\" is not named by a ToC heading number (e.g. \"3.05.05.08 Software V&V\")",
          "not-a-heading-folder", name);
    }
    DOSSIER_ASSIGN_OR_RETURN(section.documents, ReadDocuments(it->path()));
    sections.push_back(std::move(section));
  }
  if (ec) return IoError("cannot read folder " + dir.string() + ": " + ec.message());
  return sections;
}

StatusOr<JsonText> ReadDossierFields(const fs::path& dir) {
  const fs::path file = dir / kDossierFieldsFile;
  std::ifstream in(file, std::ios::binary);
  if (!in) return IoError("missing " + file.string() + " (the structured fields: tocEdition, device, ...)");
  std::stringstream text;
  text << in.rdbuf();
  if (in.bad()) return IoError("cannot read " + file.string());
  boost::system::error_code ec;
  json::value fields = json::parse(text.str(), ec);
  if (ec || !fields.is_object())
    return InvalidArgument(file.string() + " is not a JSON object", "bad-fields-file");
  return text.str();
}

StatusOr<JsonText> MergeTocFolder(JsonText fields_json, const std::vector<FolderSection>& sections) {
  boost::system::error_code ec;
  json::value parsed = json::parse(fields_json, ec);
  if (ec || !parsed.is_object())
    return InvalidArgument("the dossier fields are not a JSON object", "bad-fields-file");
  json::object& fields = parsed.as_object();
  // dossier.json's sections by code; a folder replaces its heading's documents.
  std::map<std::string, json::object> by_code;
  if (const json::value* listed = fields.if_contains("sections"); listed && !listed->is_null()) {
    if (!listed->is_array()) return InvalidArgument("must be an array", "bad-fields-file", "sections");
    for (size_t i = 0; i < listed->as_array().size(); ++i) {
      const json::value& s = listed->as_array()[i];
      const json::value* code = s.is_object() ? s.as_object().if_contains("code") : nullptr;
      if (code == nullptr || !code->is_string()) {
        return InvalidArgument("a section needs its heading code", "bad-fields-file",
                               "sections[" + std::to_string(i) + "].code");
      }
      by_code[std::string(code->as_string())] = s.as_object();
    }
  }
  for (const auto& folder : sections) {
    for (const auto& doc : folder.documents) {
      if (doc.digest.empty()) {
        return Status(StatusCode::kFailedPrecondition,
                      "document " + doc.path.string() + " has no digest yet: upload it first",
                      "missing-digest", TocFolderName(folder.code, folder.title) + "/" + doc.file_name);
      }
    }
    json::object& section = by_code[folder.code];
    section["code"] = folder.code;
    if (!folder.title.empty()) section["title"] = folder.title;
    section["documents"] = DocumentsJson(folder);
  }
  const json::value* edition_value = fields.if_contains("tocEdition");
  const std::string edition = edition_value && edition_value->is_string()
                                  ? std::string(edition_value->as_string())
                                  : std::string(schema::kTocEditionNivd);
  std::vector<std::string> codes;
  for (const auto& [code, section] : by_code) codes.push_back(code);
  std::stable_sort(codes.begin(), codes.end(),
                   [&](const auto& a, const auto& b) { return TocRank(edition, a) < TocRank(edition, b); });
  json::array ordered;
  for (const auto& code : codes) ordered.push_back(std::move(by_code[code]));
  fields["sections"] = std::move(ordered);
  return json::serialize(fields);
}

size_t TocRank(std::string_view edition, std::string_view code) {
  const auto& headings = schema::TocCatalog::BuiltIn().Headings(edition);
  for (size_t i = 0; i < headings.size(); ++i) {
    if (headings[i].code == code) return i;
  }
  return headings.size();
}

std::string TocFolderName(std::string_view code, std::string_view title) {
  std::string name(code);
  if (title.empty()) return name;
  std::string clean(title);
  std::replace(clean.begin(), clean.end(), '/', '-');
  return name + " " + clean;
}

bool IsSafeDocumentPath(std::string_view file_name) {
  if (file_name.empty() || file_name[0] == '/' || file_name.find('\\') != std::string_view::npos)
    return false;
  for (const auto& part : fs::path(file_name)) {
    if (part == ".." || part == ".") return false;
  }
  return true;
}

std::string MediaTypeForFile(const fs::path& path) {
  // Registered types (IANA) where there is one; ".ndjson" as the server
  // labels its own multi-record answers (API.md "Imports").
  static const std::map<std::string, std::string, std::less<>> kByExtension = {
      {".csv", "text/csv"},
      {".dcm", "application/dicom"},
      {".doc", "application/msword"},
      {".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
      {".htm", "text/html"},
      {".html", "text/html"},
      {".jpeg", "image/jpeg"},
      {".jpg", "image/jpeg"},
      {".json", "application/json"},
      {".md", "text/markdown"},
      {".ndjson", "application/x-ndjson"},
      {".pdf", "application/pdf"},
      {".png", "image/png"},
      {".ppt", "application/vnd.ms-powerpoint"},
      {".pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"},
      {".tif", "image/tiff"},
      {".tiff", "image/tiff"},
      {".txt", "text/plain"},
      {".xls", "application/vnd.ms-excel"},
      {".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
      {".xml", "application/xml"},
      {".zip", "application/zip"}};
  auto it = kByExtension.find(LowerExtension(path));
  return it == kByExtension.end() ? "application/octet-stream" : it->second;
}

}  // namespace dossier::client
