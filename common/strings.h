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

// `text` with ASCII letters upper- or lower-cased; every other byte (UTF-8
// included) kept. Locale-independent, unlike std::toupper on a std::locale.
std::string AsciiUpper(std::string_view text);
std::string AsciiLower(std::string_view text);

}  // namespace dossier
