// Hex and base64 codecs for the wire formats in trust/ (DSSE, checkpoints,
// bundles, digest references).
//
// Contract
// - Encoders never fail and produce canonical text: hex is lowercase, base64 is
//   RFC 4648 §4 with padding, base64url is RFC 4648 §5 without padding.
// - Decoders are strict: no whitespace, no line breaks, no stray characters, and
//   base64 must be canonical (unused trailing bits zero), so every accepted text
//   has exactly one byte string and vice versa. Failures are InvalidArgument with
//   reason "bad-hex" or "bad-base64".
// - Pure functions of their arguments; safe to call from any thread.
#pragma once

#include <string>
#include <string_view>

#include "common/hex.h"
#include "common/status.h"

namespace dossier::trust {

// Hex lives in common/hex.h; these names keep trust's API (and SDK code that
// calls trust::HexEncode / trust::HexDecode) working. Lowercase hex out; upper-
// and lowercase in; odd length and non-hex characters are reason "bad-hex".
using ::dossier::HexDecode;
using ::dossier::HexEncode;
// The one-argument form trust has always offered: the error names no field.
inline StatusOr<std::string> HexDecode(std::string_view hex) { return ::dossier::HexDecode(hex, {}); }

// Standard alphabet (+/), padded with '=' to a multiple of 4.
std::string Base64Encode(std::string_view bytes);
// Standard alphabet, padding required, canonical only (reason "bad-base64").
StatusOr<std::string> Base64Decode(std::string_view text);

// URL-safe alphabet (-_), no padding.
std::string Base64UrlEncode(std::string_view bytes);
// URL-safe alphabet; accepts the unpadded form and the correctly padded form;
// canonical only (reason "bad-base64").
StatusOr<std::string> Base64UrlDecode(std::string_view text);

// Either Base64Decode or Base64UrlDecode, whichever accepts `text`. DSSE allows
// both alphabets for payload and sig, so envelopes from other tools decode here.
StatusOr<std::string> Base64DecodeAnyAlphabet(std::string_view text);

}  // namespace dossier::trust
