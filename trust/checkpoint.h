// Signed checkpoints of the transparency log: the C2SP tlog-checkpoint body
// inside a C2SP signed note (https://github.com/C2SP/C2SP, signed-note.md and
// tlog-checkpoint.md), with Ed25519 note keys compatible with Go's
// golang.org/x/mod/sumdb/note.
//
// Contract
// - Body: "<origin>\n<decimal tree size>\n<base64 root hash>\n" then zero or
//   more non-empty extension lines, each ending in "\n".
// - Note: body + "\n" + one or more signature lines
//   "— <name> <base64(4-byte key hash || 64-byte Ed25519 signature)>\n"
//   (the dash is U+2014 EM DASH). The signature covers the body bytes.
// - Key names are non-empty and contain no whitespace and no '+'. The key hash
//   is SHA-256(name || "\n" || 0x01 || raw public key)[:4].
// - Only Ed25519 note keys are supported (reason "unsupported-key" otherwise).
// - Errors: "bad-checkpoint" (body syntax), "bad-note" (note syntax, bad key
//   name), "note-signature-invalid" (no valid signature by the given key),
//   "bad-verifier-key".
// - Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "trust/keys.h"

namespace dossier::trust {

struct Checkpoint {
  std::string origin;
  uint64_t tree_size = 0;
  std::string root_hash;                // 32 raw bytes
  std::vector<std::string> extensions;  // lines without their "\n"

  friend bool operator==(const Checkpoint&, const Checkpoint&) = default;
};

// The checkpoint body text. The caller supplies valid fields (origin and
// extensions non-empty, without "\n"; root 32 bytes); ParseCheckpointBody of
// the result then returns an equal Checkpoint.
std::string CheckpointBody(const Checkpoint& checkpoint);
// Strict inverse of CheckpointBody: canonical decimal size (no sign, no
// leading zeros), canonical base64 of exactly 32 bytes. Reason "bad-checkpoint".
StatusOr<Checkpoint> ParseCheckpointBody(std::string_view body);

// 4 bytes: SHA-256(name || "\n" || 0x01 || raw Ed25519 key)[:4]. Empty when
// `ed25519` is not an Ed25519 key.
std::string NoteKeyHash(std::string_view name, const PublicKey& ed25519);
// "<name>+<8 hex digits of key hash>+<base64(0x01 || raw key)>", the Go
// sumdb/note verifier key format. Empty when `ed25519` is not Ed25519.
std::string NoteVerifierKey(std::string_view name, const PublicKey& ed25519);
// Inverse of NoteVerifierKey: the name and key, after checking the key hash.
StatusOr<std::pair<std::string, PublicKey>> ParseNoteVerifierKey(std::string_view vkey);

// body + "\n" + "— <name> <base64(keyhash || sig)>\n". `body` must be
// non-empty, end in "\n" and contain no blank line at its end.
StatusOr<std::string> SignNote(std::string_view body, std::string_view name, const PrivateKey& ed25519);

// Verifies that `note` carries a valid signature line by (`name`, `ed25519`)
// and returns its text (the signed body). Other signers' lines are ignored.
StatusOr<std::string> OpenNote(std::string_view note, std::string_view name, const PublicKey& ed25519);

// Verifies that `note` carries a valid signature line by (`name`, `ed25519`)
// and parses its body as a checkpoint. Lines by other signers are ignored (a
// witness may cosign); at most 100 signature lines are accepted. Does not
// compare the checkpoint's origin with `name`: callers that require it (our
// log uses its origin as key name) check checkpoint.origin themselves.
StatusOr<Checkpoint> OpenCheckpoint(std::string_view note, std::string_view name, const PublicKey& ed25519);

// The checkpoint a signed note carries, parsed with the same strict parser
// but WITHOUT checking any signature. For two uses only: learning the origin
// (the key name) under which to OpenCheckpoint a note whose origin the caller
// does not know yet, and reading a note this process signed itself. Nothing
// else in the result may be trusted. Reasons "bad-note", "bad-checkpoint".
StatusOr<Checkpoint> ParseUnverifiedCheckpoint(std::string_view note);

}  // namespace dossier::trust
