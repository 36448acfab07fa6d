#include "schema/toc.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace dossier::schema {
namespace internal {
extern const std::string_view kToc_imdrf_n9_ed4;
extern const std::string_view kToc_imdrf_n13_ed4;
}  // namespace internal

namespace {

int DepthOf(std::string_view code) { return 1 + static_cast<int>(std::count(code.begin(), code.end(), '.')); }

bool ValidCode(std::string_view code) {
  if (code.empty() || code.front() == '.' || code.back() == '.') return false;
  for (char c : code) {
    if (!(std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == 'A' || c == 'B')) return false;
  }
  return code.find("..") == std::string_view::npos;
}

}  // namespace

StatusOr<TocCatalog> TocCatalog::FromTsv(const std::map<std::string, std::string>& tsv_by_edition) {
  TocCatalog catalog;
  for (const auto& [name, text] : tsv_by_edition) {
    Edition edition;
    size_t line_no = 0;
    size_t pos = 0;
    while (pos < text.size()) {
      size_t end = text.find('\n', pos);
      if (end == std::string::npos) end = text.size();
      std::string_view line(text.data() + pos, end - pos);
      pos = end + 1;
      ++line_no;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (constexpr std::string_view kTitle = "# title: "; line.substr(0, kTitle.size()) == kTitle) {
        edition.title = std::string(line.substr(kTitle.size()));
        continue;
      }
      if (line.empty() || line.front() == '#') continue;
      const size_t tab = line.find('\t');
      const std::string where = name + " line " + std::to_string(line_no);
      if (tab == std::string_view::npos) return InvalidArgument(where + ": no TAB", "bad-toc-data");
      TocHeading heading{std::string(line.substr(0, tab)), std::string(line.substr(tab + 1)), 0};
      if (!ValidCode(heading.code))
        return InvalidArgument(where + ": bad code " + heading.code, "bad-toc-data");
      if (heading.title.empty()) return InvalidArgument(where + ": empty title", "bad-toc-data");
      heading.depth = DepthOf(heading.code);
      const std::string parent = ParentCode(heading.code);
      if (!parent.empty() && edition.index.find(parent) == edition.index.end()) {
        return InvalidArgument(where + ": parent " + parent + " not listed before " + heading.code,
                               "bad-toc-data");
      }
      if (!edition.index.emplace(heading.code, edition.headings.size()).second) {
        return InvalidArgument(where + ": duplicate code " + heading.code, "bad-toc-data");
      }
      edition.headings.push_back(std::move(heading));
    }
    if (edition.headings.empty()) return InvalidArgument(name + ": no headings", "bad-toc-data");
    catalog.editions_.emplace(name, std::move(edition));
  }
  return catalog;
}

const TocCatalog& TocCatalog::BuiltIn() {
  static const TocCatalog* const kCatalog = [] {
    StatusOr<TocCatalog> built = FromTsv({
        {std::string(kTocEditionNivd), std::string(internal::kToc_imdrf_n9_ed4)},
        {std::string(kTocEditionIvd), std::string(internal::kToc_imdrf_n13_ed4)},
    });
    if (!built.ok()) {
      std::fprintf(stderr, "embedded ToC data is corrupt: %s\n", built.status().ToString().c_str());
      std::abort();
    }
    return new TocCatalog(std::move(built).value());
  }();
  return *kCatalog;
}

std::string_view TocCatalog::EditionTitle(std::string_view edition) const {
  auto e = editions_.find(edition);
  return e == editions_.end() ? std::string_view() : std::string_view(e->second.title);
}

const TocHeading* TocCatalog::Find(std::string_view edition, std::string_view code) const {
  auto e = editions_.find(edition);
  if (e == editions_.end()) return nullptr;
  auto h = e->second.index.find(code);
  if (h == e->second.index.end()) return nullptr;
  return &e->second.headings[h->second];
}

bool TocCatalog::HasEdition(std::string_view edition) const {
  return editions_.find(edition) != editions_.end();
}

std::vector<std::string> TocCatalog::Editions() const {
  std::vector<std::string> names;
  for (const auto& [name, edition] : editions_) names.push_back(name);
  return names;
}

const std::vector<TocHeading>& TocCatalog::Headings(std::string_view edition) const {
  static const std::vector<TocHeading> kEmpty;
  auto e = editions_.find(edition);
  return e == editions_.end() ? kEmpty : e->second.headings;
}

std::string TocCatalog::ParentCode(std::string_view code) {
  const size_t dot = code.rfind('.');
  return dot == std::string_view::npos ? std::string() : std::string(code.substr(0, dot));
}

}  // namespace dossier::schema
