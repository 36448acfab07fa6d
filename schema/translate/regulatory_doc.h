// docs/REGULATORY.md, generated from the rulebook (data/requirements.tsv) so
// the document a reviewer reads is the rule data the server applies. The
// tool `regulatory_doc` prints it; a test fails when the committed file
// differs.
#pragma once

#include <string>

#include "schema/translate/crosswalk.h"

namespace dossier::translate {

// The command that rewrites docs/REGULATORY.md from the data.
inline constexpr const char* kRegulatoryDocCommand =
    "cmake --build build --target regulatory_doc && build/bin/regulatory_doc > docs/REGULATORY.md";

// The whole document for `crosswalk`'s rulebook.
std::string RegulatoryMarkdown(const Crosswalk& crosswalk);

}  // namespace dossier::translate
