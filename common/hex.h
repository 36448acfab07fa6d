// Hexadecimal text for bytes: digests, key ids, random identifiers.
//
// Contract
// - HexEncode never fails and writes lowercase, two characters per byte.
// - HexDecode is strict: upper- and lowercase digits only, even length, nothing
//   else (no "0x", no whitespace). Failures are InvalidArgument with reason
//   "bad-hex" and `field` as the JSON path of the offending input.
// - Pure functions of their arguments; safe to call from any thread.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace dossier {

std::string HexEncode(std::string_view bytes);

// `field` names the input in the error (may be empty).
StatusOr<std::string> HexDecode(std::string_view hex, std::string_view field);

}  // namespace dossier
