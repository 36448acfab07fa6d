// GUDID device releases for import tests, and the NDJSON lines of an answer.
//
// GudidRelease(n) is `<data>` with n minimal devices — brand name "<brand> i",
// one primary device identifier first_di + i — then `tail` and `</data>`; the
// device on line i + 2 is device i, so a device placed in `tail` is on line
// n + 2. kBrokenGudidDevice is malformed XML (an unclosed element).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace dossier::testing {

inline constexpr std::string_view kBrokenGudidDevice = "<device><brandName>unclosed</device>\n";

std::string GudidRelease(int devices, std::string_view tail = {}, std::string_view brand = "Brand",
                         uint64_t first_di = 10'000'000'000'000);

// `text` cut at each '\n' (none kept); a last line without one counts too.
std::vector<std::string> SplitLines(std::string_view text);

}  // namespace dossier::testing
