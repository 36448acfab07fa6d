#include "trust/encoding.h"

#include <array>
#include <cstdint>

namespace dossier::trust {
namespace {

constexpr std::string_view kStdAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view kUrlAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

// Reverse lookup table: 0..63 for alphabet characters, -1 otherwise.
constexpr std::array<int8_t, 256> ReverseTable(std::string_view alphabet) {
  std::array<int8_t, 256> table{};
  table.fill(-1);
  for (size_t i = 0; i < alphabet.size(); ++i)
    table[static_cast<unsigned char>(alphabet[i])] = static_cast<int8_t>(i);
  return table;
}
constexpr std::array<int8_t, 256> kStdTable = ReverseTable(kStdAlphabet);
constexpr std::array<int8_t, 256> kUrlTable = ReverseTable(kUrlAlphabet);

std::string Encode(std::string_view bytes, std::string_view alphabet, bool pad) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    uint32_t n = (uint32_t{static_cast<unsigned char>(bytes[i])} << 16) |
                 (uint32_t{static_cast<unsigned char>(bytes[i + 1])} << 8) |
                 uint32_t{static_cast<unsigned char>(bytes[i + 2])};
    out.push_back(alphabet[(n >> 18) & 63]);
    out.push_back(alphabet[(n >> 12) & 63]);
    out.push_back(alphabet[(n >> 6) & 63]);
    out.push_back(alphabet[n & 63]);
  }
  size_t rest = bytes.size() - i;
  if (rest == 0) return out;
  uint32_t n = uint32_t{static_cast<unsigned char>(bytes[i])} << 16;
  if (rest == 2) n |= uint32_t{static_cast<unsigned char>(bytes[i + 1])} << 8;
  out.push_back(alphabet[(n >> 18) & 63]);
  out.push_back(alphabet[(n >> 12) & 63]);
  if (rest == 2) out.push_back(alphabet[(n >> 6) & 63]);
  if (pad) out.append(rest == 1 ? "==" : "=");
  return out;
}

Status BadBase64(std::string message) { return InvalidArgument(std::move(message), "bad-base64"); }

// Decodes unpadded base64 (padding already stripped by the caller).
StatusOr<std::string> DecodeUnpadded(std::string_view text, const std::array<int8_t, 256>& table) {
  if (text.size() % 4 == 1) return BadBase64("base64 text has an impossible length");
  std::string out;
  out.reserve(text.size() / 4 * 3 + 2);
  uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    int v = table[static_cast<unsigned char>(c)];
    if (v < 0) return BadBase64("base64 text contains a character outside its alphabet");
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  // Leftover bits must be zero, otherwise two texts would decode to the same bytes.
  if ((acc & ((1u << bits) - 1)) != 0)
    return BadBase64("base64 text is not canonical (non-zero trailing bits)");
  return out;
}

// Splits off '=' padding and checks it is exactly what the length requires.
StatusOr<std::string_view> StripPadding(std::string_view text, bool required) {
  size_t pad = 0;
  while (pad < 2 && pad < text.size() && text[text.size() - 1 - pad] == '=') ++pad;
  if (pad == 0) {
    if (required && text.size() % 4 != 0) return BadBase64("base64 text is not padded to a multiple of 4");
    return text;
  }
  if (text.size() % 4 != 0) return BadBase64("base64 padding does not complete a 4-character group");
  std::string_view body = text.substr(0, text.size() - pad);
  // 2 leftover characters need "==", 3 need "=".
  if ((body.size() % 4 == 2 && pad != 2) || (body.size() % 4 == 3 && pad != 1) || body.size() % 4 < 2) {
    return BadBase64("base64 text has wrong padding");
  }
  return body;
}

}  // namespace

std::string Base64Encode(std::string_view bytes) { return Encode(bytes, kStdAlphabet, /*pad=*/true); }

StatusOr<std::string> Base64Decode(std::string_view text) {
  DOSSIER_ASSIGN_OR_RETURN(std::string_view body, StripPadding(text, /*required=*/true));
  return DecodeUnpadded(body, kStdTable);
}

std::string Base64UrlEncode(std::string_view bytes) { return Encode(bytes, kUrlAlphabet, /*pad=*/false); }

StatusOr<std::string> Base64UrlDecode(std::string_view text) {
  DOSSIER_ASSIGN_OR_RETURN(std::string_view body, StripPadding(text, /*required=*/false));
  return DecodeUnpadded(body, kUrlTable);
}

StatusOr<std::string> Base64DecodeAnyAlphabet(std::string_view text) {
  StatusOr<std::string> std_result = Base64Decode(text);
  if (std_result.ok()) return std_result;
  StatusOr<std::string> url_result = Base64UrlDecode(text);
  if (url_result.ok()) return url_result;
  return std_result.status();
}

}  // namespace dossier::trust
