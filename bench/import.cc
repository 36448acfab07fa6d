// dossier_import_bench FORMAT FILE — imports FILE with translate::Import (what
// `POST …/imports` does, without HTTP) and prints one line:
//   records=N seconds=S peak_rss_kb=K
// bench/run.sh compares it with `xmllint --stream --noout` on the same GUDID
// release.
#include <chrono>
#include <fstream>
#include <iostream>
#include <string>

#include "schema/translate/translate.h"

namespace {

long PeakRssKb() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: dossier_import_bench FORMAT FILE\n";
    return 2;
  }
  const auto start = std::chrono::steady_clock::now();
  uint64_t records = 0;
  dossier::Status s = dossier::translate::Import(argv[1], argv[2], [&](dossier::translate::ImportRecord&&) {
    ++records;
    return dossier::Status::Ok();
  });
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!s.ok()) {
    std::cerr << "dossier_import_bench: " << s << "\n";
    return 1;
  }
  std::cout << "records=" << records << " seconds=" << seconds << " peak_rss_kb=" << PeakRssKb() << "\n";
  return 0;
}
