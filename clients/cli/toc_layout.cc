#include "toc_layout.h"

#include <boost/json.hpp>
#include <fstream>

#include "cli_util.h"
#include "dossier/client/toc_folder.h"
#include "schema/dossier_codec.h"
#include "trust/digest.h"

namespace dossier::cli {
namespace fs = std::filesystem;
namespace json = boost::json;

TocLayoutResult WriteTocLayout(const v1::Dossier& dossier, const fs::path& dir, bool progress_allowed,
                               const FetchDocument& fetch) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw Failure{kExitLocal, "cannot create " + dir.string() + ": " + ec.message()};
  TocLayoutResult result;
  uint64_t total = 0;
  for (const auto& s : dossier.sections()) {
    for (const auto& doc : s.documents())
      total += static_cast<uint64_t>(doc.size_bytes()), ++result.documents;
  }
  {
    Progress bar("downloading", total, progress_allowed);
    uint64_t base = 0;
    for (const auto& s : dossier.sections()) {
      const fs::path folder = dir / client::TocFolderName(s.code(), s.title());
      fs::create_directories(folder, ec);
      if (ec) throw Failure{kExitLocal, "cannot create " + folder.string() + ": " + ec.message()};
      for (const auto& doc : s.documents()) {
        std::string name = doc.file_name().empty() ? doc.digest().substr(7) : doc.file_name();
        if (!client::IsSafeDocumentPath(name))
          throw Failure{kExitVerify, "refusing unsafe document file name \"" + name + "\""};
        const fs::path target = folder / name;
        fs::create_directories(target.parent_path(), ec);
        // Already there and identical: nothing to fetch.
        auto have = fs::exists(target, ec) ? trust::Sha256File(target) : StatusOr<std::string>(NotFound(""));
        if (!have.ok() || trust::DigestRef(*have) != doc.digest()) {
          fs::remove(target, ec);
          fetch(doc.digest(), target, [&](uint64_t done, uint64_t) { bar.Set(base + done); });
          ++result.downloaded;
        }
        base += static_cast<uint64_t>(doc.size_bytes());
        bar.Set(base);
      }
    }
  }
  // dossier.json: the structured fields; titles live in folder names and
  // documents in the folders, so only what those cannot hold stays here.
  v1::Dossier fields = dossier;
  fields.clear_sections();
  for (const auto& s : dossier.sections()) {
    if (!s.has_data() && s.not_applicable_justification().empty()) continue;
    auto* kept = fields.add_sections();
    *kept = s;
    kept->clear_documents();
    kept->clear_title();
  }
  boost::system::error_code jec;
  json::value pretty = json::parse(schema::DossierToJson(fields), jec);
  std::ofstream(dir / "dossier.json", std::ios::binary) << PrettyJson(pretty);
  return result;
}

}  // namespace dossier::cli
