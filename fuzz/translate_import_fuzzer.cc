// Fuzz target (e): every import format of schema/translate (translate.h
// Import) on untrusted bytes, as POST .../imports?format= hands them over:
// ZIP packages (imdrf-toc, fda-estar, eu-mdr, hsa-csdt; gudid-xml also takes
// a release ZIP), streamed XML (gudid-xml, eudamed-dtx) and JSON (fhir-r5,
// openfda-510k, openfda-classification).
//
// Input: one selector byte, then the file.
//   selector % 9 = index into translate::ImportFormats():
//     0 imdrf-toc, 1 fda-estar, 2 eu-mdr, 3 hsa-csdt, 4 fhir-r5, 5 gudid-xml,
//     6 openfda-510k, 7 openfda-classification, 8 eudamed-dtx;
//   selector / 9 % 3 = the agency whose readiness each record is checked
//     against: 0 FDA, 1 EU, 2 HSA
// The file is written to an in-memory file (memfd) and imported by path with
// the production ImportLimits, so the ZIP caps, XML guards and JSON limits are
// the ones the server uses; libFuzzer's -timeout and -rss_limit_mb catch hangs
// and unbounded memory. TRANSLATE_IMPORT_FUZZ_VERBOSE=1 prints each input's
// format, record count and status (to check seeds).
// Invariants checked (a violation aborts, so libFuzzer keeps the input):
//   - a failed import reports InvalidArgument with a reason (translate.h);
//   - single-record formats emit at most one record;
//   - every record prints to the same JSON with the direct printer
//     (schema/json_print.h) as with protobuf's;
//   - every record prints to JSON that the codec parses back to the same
//     message (what the server stores and returns), ImportRecordToJson works
//     (the server's response), and validation, digests and readiness run.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "fuzz/fuzz_common.h"
#include "fuzz/json_mutator.h"
#include "schema/dossier_codec.h"
#include "schema/section_digest.h"
#include "schema/toc.h"
#include "schema/translate/translate.h"
#include "schema/validate.h"

using namespace dossier;

namespace {

// One in-memory file per process, rewritten for every input and named by its
// /proc/self/fd path (libzip and libxml2 open it like any file); falls back to
// a temporary file when memfd_create is unavailable.
class InputFile {
 public:
  InputFile() {
    fd_ = ::memfd_create("translate-import-fuzz", 0);
    if (fd_ >= 0) {
      path_ = "/proc/self/fd/" + std::to_string(fd_);
    } else {
      path_ = std::filesystem::temp_directory_path() /
              ("dossier-translate-import-fuzz-" + std::to_string(::getpid()));
    }
  }
  ~InputFile() {
    if (fd_ >= 0) {
      ::close(fd_);
    } else {
      std::error_code ec;
      std::filesystem::remove(path_, ec);
    }
  }
  const std::filesystem::path& Write(const uint8_t* data, size_t size) {
    if (fd_ < 0) {
      FILE* f = std::fopen(path_.c_str(), "wb");
      if (!f || std::fwrite(data, 1, size, f) != size || std::fclose(f) != 0)
        fuzz::Violation("cannot write input");
      return path_;
    }
    if (::ftruncate(fd_, 0) != 0) fuzz::Violation("ftruncate failed");
    size_t done = 0;
    while (done < size) {
      const ssize_t n = ::pwrite(fd_, data + done, size - done, static_cast<off_t>(done));
      if (n <= 0) fuzz::Violation("pwrite failed");
      done += static_cast<size_t>(n);
    }
    return path_;
  }

 private:
  int fd_ = -1;
  std::filesystem::path path_;
};

void CheckRecord(const std::string& format, const char* agency, const translate::ImportRecord& record) {
  const v1::Dossier& d = record.content;
  const std::string json = schema::DossierToJson(d);
  if (json != schema::MessageToJsonByProtobuf(d))
    fuzz::Violation(format +
                    ": the direct JSON printer differs from protobuf's\nJSON: " + json.substr(0, 2000));
  auto again = schema::ParseDossier(json, schema::ContentFormat::kJson);
  if (!again.ok())
    fuzz::Violation(format + ": imported record prints to JSON the codec rejects: " +
                    again.status().ToString() + "\nJSON: " + json.substr(0, 2000));
  if (schema::DossierToProtobuf(*again) != schema::DossierToProtobuf(d))
    fuzz::Violation(format +
                    ": imported record changes across a JSON round trip\nJSON: " + json.substr(0, 2000));
  auto from_pb = schema::ParseDossier(schema::DossierToProtobuf(d), schema::ContentFormat::kProtobuf);
  if (!from_pb.ok())
    fuzz::Violation(format + ": imported record's protobuf form is rejected: " + from_pb.status().ToString());
  (void)translate::ImportRecordToJson(record);
  (void)schema::ValidateDossier(d, schema::TocCatalog::BuiltIn());
  (void)schema::SectionDigests(d);
  (void)schema::DeviceDigest(d);
  (void)translate::Readiness(d, agency, "");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::vector<std::string> formats = translate::ImportFormats();
  static InputFile file;
  if (size < 1) return 0;
  const std::string& format = formats[data[0] % formats.size()];
  // One agency's readiness per input, chosen by the selector byte too: all
  // three for every record were a third of this target's time, and the corpus
  // holds each record under several selectors anyway.
  static constexpr const char* kAgencies[] = {"FDA", "EU", "HSA"};
  const char* agency = kAgencies[(data[0] / formats.size()) % 3];
  const std::filesystem::path& path = file.Write(data + 1, size - 1);
  size_t records = 0;
  const Status s = translate::Import(format, path, [&](translate::ImportRecord&& r) -> Status {
    ++records;
    if (records > 1 && !translate::ImportIsMultiRecord(format))
      fuzz::Violation(format + ": a single-record format emitted a second record");
    CheckRecord(format, agency, r);
    return Status::Ok();
  });
  static const bool verbose = std::getenv("TRANSLATE_IMPORT_FUZZ_VERBOSE") != nullptr;
  if (verbose) std::cerr << format << ": " << records << " record(s), " << s.ToString() << "\n";
  if (!s.ok() && (s.code() != StatusCode::kInvalidArgument || s.reason().empty()))
    fuzz::Violation(format + ": import failed with an undocumented status: " + s.ToString());
  return 0;
}

#ifdef DOSSIER_FUZZ_LIBFUZZER
// Structure-aware mutation (fuzz/json_mutator.h) of the JSON import formats
// (fhir-r5, openfda-510k, openfda-classification): one mutation in four of
// such an input changes the parsed document and prints it again; the rest, and
// the ZIP and XML formats, take libFuzzer's byte mutations with
// translate_import.dict.
extern "C" size_t LLVMFuzzerMutate(uint8_t* data, size_t size, size_t max_size);

namespace {

bool IsJsonFormat(uint8_t selector) {
  static const std::vector<std::string> formats = translate::ImportFormats();
  const std::string& format = formats[selector % formats.size()];
  return format == "fhir-r5" || format == "openfda-510k" || format == "openfda-classification";
}

}  // namespace

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size, size_t max_size, unsigned seed) {
  max_size = fuzz::GrowthLimit(size, max_size);
  std::minstd_rand rng(seed);
  if (fuzz::StructureAware() && size > 1 && IsJsonFormat(data[0]) && rng() % 4 == 0) {
    if (const size_t n = fuzz::MutateJsonAfter(data, size, max_size, 1, static_cast<unsigned>(rng())))
      return n;
  }
  return LLVMFuzzerMutate(data, size, max_size);
}

extern "C" size_t LLVMFuzzerCustomCrossOver(const uint8_t* data1, size_t size1, const uint8_t* data2,
                                            size_t size2, uint8_t* out, size_t max_out, unsigned seed) {
  if (fuzz::StructureAware() && size1 > 1 && size2 > 1 && IsJsonFormat(data1[0]) && IsJsonFormat(data2[0])) {
    if (const size_t n = fuzz::CrossOverJsonAfter(data1, size1, data2, size2, out, max_out, 1, seed))
      return n;
  }
  return fuzz::SpliceBytes(data1, size1, data2, size2, out, max_out, seed);
}
#endif
