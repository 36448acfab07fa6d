// Small string utilities shared by every module.
//
// Contract: pure functions of their arguments; safe to call from any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace dossier {

// Splits `text` at every `sep`, keeping empty pieces, so that joining the
// result with `sep` gives `text` back: "a,,b" -> {"a", "", "b"}, "" -> {""},
// "a," -> {"a", ""}. No trimming.
std::vector<std::string> Split(std::string_view text, char sep);

// `text` safe inside HTML or XML text and quoted attribute values: & < > " '
// become character references; everything else is kept byte for byte.
std::string EscapeMarkup(std::string_view text);

}  // namespace dossier
