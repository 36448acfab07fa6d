#include "common/strings.h"

namespace dossier {

std::vector<std::string> Split(std::string_view text, char sep) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (true) {
    const size_t end = text.find(sep, pos);
    out.emplace_back(text.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos));
    if (end == std::string_view::npos) return out;
    pos = end + 1;
  }
}

}  // namespace dossier
