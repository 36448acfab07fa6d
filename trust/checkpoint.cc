#include "trust/checkpoint.h"

#include "common/decimal.h"
#include "trust/digest.h"
#include "trust/encoding.h"

namespace dossier::trust {
namespace {

constexpr std::string_view kSigPrefix = "\xe2\x80\x94 ";  // U+2014 EM DASH, then a space
constexpr size_t kMaxSignatureLines = 100;
constexpr char kEd25519Type = 0x01;  // signature type byte of Go's note package

Status BadCheckpoint(std::string message) { return InvalidArgument(std::move(message), "bad-checkpoint"); }
Status BadNote(std::string message) { return InvalidArgument(std::move(message), "bad-note"); }

bool ValidKeyName(std::string_view name) {
  if (name.empty()) return false;
  for (unsigned char c : name) {
    // ASCII whitespace and control characters, and '+', which separates the
    // fields of a verifier key.
    if (c <= 0x20 || c == 0x7f || c == '+') return false;
  }
  return true;
}

// Text that may appear in a note: no control characters except '\n'.
bool ValidNoteText(std::string_view text) {
  for (unsigned char c : text) {
    if ((c < 0x20 && c != '\n') || c == 0x7f) return false;
  }
  return true;
}

// Canonical unsigned decimal: digits only, no leading zero unless "0", so a
// signed note has exactly one spelling of its tree size.
bool ParseCanonicalUint(std::string_view text, uint64_t& out) {
  if (text.size() > 1 && text[0] == '0') return false;
  StatusOr<uint64_t> parsed = ParseUint64(text, "");
  if (parsed.ok()) out = *parsed;
  return parsed.ok();
}

// A note's text and its signature block. The signature block follows the last
// blank line; signature lines never contain "\n\n", so this split is
// unambiguous.
struct NoteParts {
  std::string_view text;  // ends in "\n"
  std::string_view signatures;
};

StatusOr<NoteParts> SplitNote(std::string_view note) {
  size_t split = note.rfind("\n\n");
  if (split == std::string_view::npos) return BadNote("note has no signature block");
  NoteParts parts{note.substr(0, split + 1), note.substr(split + 2)};
  if (parts.signatures.empty() || parts.signatures.back() != '\n')
    return BadNote("note signature block must end with a newline");
  return parts;
}

}  // namespace

std::string CheckpointBody(const Checkpoint& checkpoint) {
  std::string body = checkpoint.origin + "\n" + std::to_string(checkpoint.tree_size) + "\n" +
                     Base64Encode(checkpoint.root_hash) + "\n";
  for (const std::string& ext : checkpoint.extensions) body += ext + "\n";
  return body;
}

StatusOr<Checkpoint> ParseCheckpointBody(std::string_view body) {
  if (body.empty() || body.back() != '\n') return BadCheckpoint("checkpoint must end with a newline");
  if (!ValidNoteText(body)) return BadCheckpoint("checkpoint contains control characters");
  std::vector<std::string_view> lines;
  for (size_t start = 0; start < body.size();) {
    size_t end = body.find('\n', start);
    lines.push_back(body.substr(start, end - start));
    start = end + 1;
  }
  if (lines.size() < 3) return BadCheckpoint("checkpoint needs origin, size and root lines");
  Checkpoint cp;
  if (lines[0].empty()) return BadCheckpoint("checkpoint origin is empty");
  cp.origin = std::string(lines[0]);
  if (!ParseCanonicalUint(lines[1], cp.tree_size))
    return BadCheckpoint("checkpoint tree size is not a decimal");
  StatusOr<std::string> root = Base64Decode(lines[2]);
  if (!root.ok() || root->size() != kSha256Size)
    return BadCheckpoint("checkpoint root is not base64 of 32 bytes");
  cp.root_hash = std::move(root).value();
  for (size_t i = 3; i < lines.size(); ++i) {
    if (lines[i].empty()) return BadCheckpoint("checkpoint has an empty extension line");
    cp.extensions.emplace_back(lines[i]);
  }
  return cp;
}

std::string NoteKeyHash(std::string_view name, const PublicKey& ed25519) {
  std::string raw = ed25519.RawEd25519();
  if (raw.empty()) return {};
  std::string input(name);
  input += '\n';
  input += kEd25519Type;
  input += raw;
  return Sha256(input).substr(0, 4);
}

std::string NoteVerifierKey(std::string_view name, const PublicKey& ed25519) {
  std::string raw = ed25519.RawEd25519();
  if (raw.empty()) return {};
  return std::string(name) + "+" + HexEncode(NoteKeyHash(name, ed25519)) + "+" +
         Base64Encode(std::string(1, kEd25519Type) + raw);
}

StatusOr<std::pair<std::string, PublicKey>> ParseNoteVerifierKey(std::string_view vkey) {
  auto bad = [](std::string why) { return InvalidArgument(std::move(why), "bad-verifier-key"); };
  size_t plus1 = vkey.find('+');
  size_t plus2 = plus1 == std::string_view::npos ? plus1 : vkey.find('+', plus1 + 1);
  if (plus2 == std::string_view::npos) return bad("verifier key must be name+hash+key");
  std::string_view name = vkey.substr(0, plus1);
  std::string_view hash_hex = vkey.substr(plus1 + 1, plus2 - plus1 - 1);
  if (!ValidKeyName(name)) return bad("invalid key name");
  StatusOr<std::string> key = Base64Decode(vkey.substr(plus2 + 1));
  if (!key.ok() || key->size() != 33 || (*key)[0] != kEd25519Type)
    return bad("key must be an Ed25519 note key");
  StatusOr<PublicKey> pub = PublicKey::FromRawEd25519(key->substr(1));
  if (!pub.ok()) return bad("invalid Ed25519 key");
  if (hash_hex.size() != 8 || HexEncode(NoteKeyHash(name, *pub)) != hash_hex) {
    return bad("key hash does not match name and key");
  }
  return std::make_pair(std::string(name), std::move(pub).value());
}

StatusOr<std::string> SignNote(std::string_view body, std::string_view name, const PrivateKey& ed25519) {
  if (ed25519.algorithm() != KeyAlgorithm::kEd25519) {
    return InvalidArgument("note keys must be Ed25519", "unsupported-key");
  }
  if (!ValidKeyName(name)) return BadNote("invalid key name");
  if (body.empty() || body.back() != '\n') return BadNote("note text must end with a newline");
  if (body.size() >= 2 && body.substr(body.size() - 2) == "\n\n")
    return BadNote("note text ends with a blank line");
  if (!ValidNoteText(body)) return BadNote("note text contains control characters");
  DOSSIER_ASSIGN_OR_RETURN(std::string sig, ed25519.Sign(body));
  std::string note(body);
  note += '\n';
  note += kSigPrefix;
  note += name;
  note += ' ';
  note += Base64Encode(NoteKeyHash(name, ed25519.public_key()) + sig);
  note += '\n';
  return note;
}

StatusOr<std::string> OpenNote(std::string_view note, std::string_view name, const PublicKey& ed25519) {
  if (ed25519.algorithm() != KeyAlgorithm::kEd25519 || ed25519.empty()) {
    return InvalidArgument("note keys must be Ed25519", "unsupported-key");
  }
  DOSSIER_ASSIGN_OR_RETURN(NoteParts parts, SplitNote(note));
  const std::string_view text = parts.text, sigs = parts.signatures;

  std::string want_hash = NoteKeyHash(name, ed25519);
  bool found_key = false;
  bool verified = false;
  size_t count = 0;
  for (size_t start = 0; start < sigs.size();) {
    size_t end = sigs.find('\n', start);
    std::string_view line = sigs.substr(start, end - start);
    start = end + 1;
    if (++count > kMaxSignatureLines) return BadNote("note has too many signatures");
    if (line.substr(0, kSigPrefix.size()) != kSigPrefix) return BadNote("malformed note signature line");
    line.remove_prefix(kSigPrefix.size());
    size_t space = line.find(' ');
    if (space == std::string_view::npos) return BadNote("malformed note signature line");
    std::string_view signer = line.substr(0, space);
    if (!ValidKeyName(signer)) return BadNote("malformed note signer name");
    StatusOr<std::string> blob = Base64Decode(line.substr(space + 1));
    if (!blob.ok() || blob->size() < 5) return BadNote("malformed note signature");
    // Other signers' lines (witness cosignatures, other algorithms) are ignored.
    if (signer != name || blob->substr(0, 4) != want_hash) continue;
    found_key = true;
    if (ed25519.Verify(text, blob->substr(4)).ok()) verified = true;
  }
  if (!verified) {
    return InvalidArgument(
        found_key ? "note signature does not verify" : "note is not signed by " + std::string(name),
        "note-signature-invalid");
  }
  return std::string(text);
}

StatusOr<Checkpoint> OpenCheckpoint(std::string_view note, std::string_view name, const PublicKey& ed25519) {
  DOSSIER_ASSIGN_OR_RETURN(std::string text, OpenNote(note, name, ed25519));
  return ParseCheckpointBody(text);
}

StatusOr<Checkpoint> ParseUnverifiedCheckpoint(std::string_view note) {
  DOSSIER_ASSIGN_OR_RETURN(NoteParts parts, SplitNote(note));
  return ParseCheckpointBody(parts.text);
}

}  // namespace dossier::trust
