#include "trust/log_leaf.h"

#include <cassert>
#include <type_traits>
#include <vector>

#include "common/decimal.h"
#include "trust/digest.h"
#include "trust/encoding.h"
#include "trust/merkle.h"

namespace dossier::trust {
namespace {

constexpr std::string_view kMagic = "dossier-log-leaf/v1";

Status BadLeaf(std::string message, std::string field = {}) {
  return InvalidArgument(std::move(message), "bad-log-leaf", std::move(field));
}

bool HasControl(std::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7f) return true;
  }
  return false;
}

// Canonical decimal: optional '-' (signed only), digits, no leading zeros,
// no "-0".
template <typename T>
bool ParseCanonical(std::string_view text, T& out) {
  static_assert(std::is_same_v<T, uint64_t> || std::is_same_v<T, int64_t>);
  const std::string_view digits = std::is_signed_v<T> && text.starts_with('-') ? text.substr(1) : text;
  if ((digits.size() > 1 && digits[0] == '0') || (digits != text && digits == "0")) return false;
  StatusOr<T> parsed = [&]() -> StatusOr<T> {
    if constexpr (std::is_signed_v<T>) {
      return ParseInt64(text, "");
    } else {
      return ParseUint64(text, "");
    }
  }();
  if (parsed.ok()) out = *parsed;
  return parsed.ok();
}

}  // namespace

Status ValidateLogLeaf(const LogLeaf& leaf) {
  if (leaf.kind.empty()) return BadLeaf("kind is empty", "kind");
  for (char c : leaf.kind) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
      return BadLeaf("kind must be [a-z0-9-]", "kind");
  }
  if (HasControl(leaf.tenant)) return BadLeaf("tenant contains control characters", "tenant");
  if (HasControl(leaf.object)) return BadLeaf("object contains control characters", "object");
  if (!leaf.content_digest.empty() && !IsDigestRef(leaf.content_digest)) {
    return BadLeaf("contentDigest is not a digest reference", "contentDigest");
  }
  if (!IsDigestRef(leaf.envelope_digest))
    return BadLeaf("envelopeDigest is not a digest reference", "envelopeDigest");
  return Status::Ok();
}

std::string EncodeLogLeaf(const LogLeaf& leaf) {
  assert(ValidateLogLeaf(leaf).ok());
  std::string out(kMagic);
  out += '\n';
  for (const std::string* field : {&leaf.kind, &leaf.tenant, &leaf.object}) {
    out += *field;
    out += '\n';
  }
  out += std::to_string(leaf.version);
  out += '\n';
  out += leaf.content_digest;
  out += '\n';
  out += leaf.envelope_digest;
  out += '\n';
  out += std::to_string(leaf.timestamp_ms);
  out += '\n';
  return out;
}

StatusOr<LogLeaf> DecodeLogLeaf(std::string_view encoded) {
  if (encoded.empty() || encoded.back() != '\n') return BadLeaf("log leaf must end with a newline");
  std::vector<std::string_view> lines;
  for (size_t start = 0; start < encoded.size();) {
    size_t end = encoded.find('\n', start);
    lines.push_back(encoded.substr(start, end - start));
    start = end + 1;
  }
  if (lines.size() != 8) return BadLeaf("log leaf must have exactly 8 lines");
  if (lines[0] != kMagic) return BadLeaf("unknown log leaf format");
  LogLeaf leaf;
  leaf.kind = std::string(lines[1]);
  leaf.tenant = std::string(lines[2]);
  leaf.object = std::string(lines[3]);
  if (!ParseCanonical(lines[4], leaf.version))
    return BadLeaf("version is not a canonical decimal", "version");
  leaf.content_digest = std::string(lines[5]);
  leaf.envelope_digest = std::string(lines[6]);
  if (!ParseCanonical(lines[7], leaf.timestamp_ms)) {
    return BadLeaf("timestamp is not a canonical decimal", "timestampMs");
  }
  DOSSIER_RETURN_IF_ERROR(ValidateLogLeaf(leaf));
  return leaf;
}

std::string LogLeafHash(const LogLeaf& leaf) { return LeafHash(EncodeLogLeaf(leaf)); }

std::string KeyLeafDigest(const PublicKey& key) { return DigestRef(Sha256(key.SpkiDer())); }

std::string ReceiptMessage(std::string_view origin, uint64_t log_index, std::string_view leaf_hash) {
  return "dossier-receipt/v1\n" + std::string(origin) + "\n" + std::to_string(log_index) + "\n" +
         Base64Encode(leaf_hash) + "\n";
}

}  // namespace dossier::trust
