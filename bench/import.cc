// dossier_import_bench FORMAT FILE — imports FILE with translate::Import (what
// `POST …/imports` does, without HTTP) and prints one line:
//   records=N seconds=S peak_rss_kb=K
// bench/run.sh compares it with `xmllint --stream --noout` on the same GUDID
// release.
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>

#include "schema/dossier_codec.h"
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
  uint64_t json_bytes = 0;
  // IMPORT_BENCH_PRINT=1: also print every record as POST …/imports does
  // (translate::ImportRecordToJsonText); =content: print only its content
  // (schema::DossierToJson); =protobuf: print only its content with
  // protobuf's own JSON printer, the baseline of schema/json_print.h.
  const std::string print_mode = std::getenv("IMPORT_BENCH_PRINT") ? std::getenv("IMPORT_BENCH_PRINT") : "";
  dossier::Status s = dossier::translate::Import(argv[1], argv[2], [&](dossier::translate::ImportRecord&& r) {
    ++records;
    if (print_mode == "protobuf") {
      json_bytes += dossier::schema::MessageToJsonByProtobuf(r.content).size();
    } else if (print_mode == "content") {
      json_bytes += dossier::schema::DossierToJson(r.content).size();
    } else if (!print_mode.empty()) {
      json_bytes += dossier::translate::ImportRecordToJsonText(r).size();
    }
    return dossier::Status::Ok();
  });
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!s.ok()) {
    std::cerr << "dossier_import_bench: " << s << "\n";
    return 1;
  }
  std::cout << "records=" << records << " seconds=" << seconds << " peak_rss_kb=" << PeakRssKb()
            << " json_bytes=" << json_bytes << "\n";
  return 0;
}
