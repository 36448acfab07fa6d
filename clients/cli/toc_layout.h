// Writing a dossier version back as a ToC folder (the layout `push` reads,
// dossier/client/toc_folder.h): `pull` for one's own versions, `submissions
// download` for a regulator reading what was submitted to it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include "dossier/client/types.h"
#include "dossier/v1/dossier.pb.h"

namespace dossier::cli {

struct TocLayoutResult {
  uint64_t documents = 0;   // documents the version names
  uint64_t downloaded = 0;  // of which were fetched (the others were already there, identical)
};

// Downloads the document `digest` to `target` (digest-checked); throws Failure.
using FetchDocument =
    std::function<void(const std::string& digest, const std::filesystem::path& target, client::ProgressFn)>;

// Writes every document of `dossier` into DIR/<CODE TITLE>/<fileName>
// (skipping files already identical, refusing names that leave their folder)
// and dossier.json with the structured fields. Throws Failure.
TocLayoutResult WriteTocLayout(const v1::Dossier& dossier, const std::filesystem::path& dir,
                               bool progress_allowed, const FetchDocument& fetch);

}  // namespace dossier::cli
