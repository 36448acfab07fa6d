#include "tests/support/gudid_release.h"

namespace dossier::testing {

std::string GudidRelease(int devices, std::string_view tail, std::string_view brand, uint64_t first_di) {
  std::string xml = "<data>\n";
  for (int i = 0; i < devices; ++i) {
    xml += "<device xmlns=\"http://www.fda.gov/cdrh/gudid\"><brandName>";
    xml += brand;
    xml += " " + std::to_string(i) + "</brandName><identifiers><identifier><deviceId>" +
           std::to_string(first_di + static_cast<uint64_t>(i)) +
           "</deviceId><deviceIdType>Primary</deviceIdType></identifier></identifiers></device>\n";
  }
  xml += tail;
  return xml + "</data>\n";
}

std::vector<std::string> SplitLines(std::string_view text) {
  std::vector<std::string> lines;
  for (size_t at = 0; at < text.size();) {
    size_t end = text.find('\n', at);
    if (end == std::string_view::npos) end = text.size();
    lines.emplace_back(text.substr(at, end - at));
    at = end + 1;
  }
  return lines;
}

}  // namespace dossier::testing
