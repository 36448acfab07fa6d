#define BOOST_TEST_MODULE trust_checkpoint
#include "trust/checkpoint.h"

#include <boost/test/unit_test.hpp>

#include "trust/digest.h"
#include "trust/encoding.h"

using namespace dossier::trust;

namespace {

// golang.org/x/mod/sumdb/note's documented example key and note.
constexpr std::string_view kGoVkey = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
constexpr std::string_view kGoSkeyB64 = "AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";  // 0x01 || seed
constexpr std::string_view kGoText =
    "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
constexpr std::string_view kGoSig =
    "\xe2\x80\x94 PeterNeumann "
    "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

Checkpoint Sample() {
  Checkpoint cp;
  cp.origin = "dossier.example/log";
  cp.tree_size = 1234;
  cp.root_hash = Sha256("root");
  return cp;
}

}  // namespace

BOOST_AUTO_TEST_CASE(go_note_interop) {
  std::string skey = Base64Decode(kGoSkeyB64).value();
  auto key = PrivateKey::FromRawEd25519(skey.substr(1));
  BOOST_REQUIRE(key.ok());
  BOOST_TEST(NoteVerifierKey("PeterNeumann", key->public_key()) == kGoVkey);
  BOOST_TEST(HexEncode(NoteKeyHash("PeterNeumann", key->public_key())) == "c74f20a3");
  auto note = SignNote(kGoText, "PeterNeumann", *key);
  BOOST_REQUIRE(note.ok());
  BOOST_TEST(*note == std::string(kGoText) + "\n" + std::string(kGoSig));
  auto parsed = ParseNoteVerifierKey(kGoVkey);
  BOOST_REQUIRE(parsed.ok());
  BOOST_TEST(parsed->first == "PeterNeumann");
  BOOST_TEST(*OpenNote(*note, "PeterNeumann", parsed->second) == kGoText);
  std::string bad_vkey(kGoVkey);
  bad_vkey[14] = '0';  // key hash digit
  BOOST_TEST(ParseNoteVerifierKey(bad_vkey).status().reason() == "bad-verifier-key");
  BOOST_TEST(ParseNoteVerifierKey("PeterNeumann+c74f20a3").status().reason() == "bad-verifier-key");
}

BOOST_AUTO_TEST_CASE(body_round_trip_and_rejects) {
  Checkpoint cp = Sample();
  std::string body = CheckpointBody(cp);
  BOOST_TEST(body == "dossier.example/log\n1234\n" + Base64Encode(cp.root_hash) + "\n");
  BOOST_TEST((*ParseCheckpointBody(body) == cp));
  cp.extensions = {"ext one", "ext two"};
  BOOST_TEST((*ParseCheckpointBody(CheckpointBody(cp)) == cp));
  std::string root = Base64Encode(cp.root_hash);
  for (const std::string& bad : std::vector<std::string>{
           "", "o\n1\n" + root, "o\n1\n", "\n1\n" + root + "\n", "o\n01\n" + root + "\n",
           "o\n-1\n" + root + "\n", "o\n1x\n" + root + "\n", "o\n18446744073709551616\n" + root + "\n",
           "o\n1\n" + Base64Encode("short") + "\n", "o\n1\n" + root + "\n\n",
           "o\n1\n" + root + "\next\r\n"}) {
    BOOST_TEST(ParseCheckpointBody(bad).status().reason() == "bad-checkpoint", bad);
  }
  BOOST_TEST(ParseCheckpointBody("o\n18446744073709551615\n" + root + "\n")->tree_size == UINT64_MAX);
}

BOOST_AUTO_TEST_CASE(sign_open_round_trip_and_tamper) {
  auto key = PrivateKey::Generate(KeyAlgorithm::kEd25519);
  auto other = PrivateKey::Generate(KeyAlgorithm::kEd25519);
  BOOST_REQUIRE(key.ok());
  Checkpoint cp = Sample();
  const std::string name = cp.origin;
  auto note = SignNote(CheckpointBody(cp), name, *key);
  BOOST_REQUIRE(note.ok());
  auto opened = OpenCheckpoint(*note, name, key->public_key());
  BOOST_REQUIRE(opened.ok());
  BOOST_TEST((*opened == cp));

  auto reason = [&](const std::string& n, std::string_view with_name, const PublicKey& k) {
    return OpenCheckpoint(n, with_name, k).status().reason();
  };
  // Tampered size and root.
  std::string t = *note;
  t.replace(t.find("1234"), 4, "1235");
  BOOST_TEST(reason(t, name, key->public_key()) == "note-signature-invalid");
  t = *note;
  size_t root_at = t.find('\n', t.find('\n') + 1) + 1;
  t[root_at] = t[root_at] == 'A' ? 'B' : 'A';
  BOOST_TEST(reason(t, name, key->public_key()) == "note-signature-invalid");
  // Tampered signature bytes (flip a base64 character in the middle).
  t = *note;
  size_t sig_at = t.rfind(' ') + 20;
  t[sig_at] = t[sig_at] == 'A' ? 'B' : 'A';
  BOOST_TEST(reason(t, name, key->public_key()) == "note-signature-invalid");
  // Wrong name, wrong key.
  BOOST_TEST(reason(*note, "other.example/log", key->public_key()) == "note-signature-invalid");
  BOOST_TEST(reason(*note, name, other->public_key()) == "note-signature-invalid");
  // Renamed signer line: the key hash no longer matches.
  t = *note;
  t.replace(t.rfind(name), name.size(), "evil.example/log");
  BOOST_TEST(reason(t, "evil.example/log", key->public_key()) == "note-signature-invalid");

  // An extra signer line (a witness cosignature) before or after still opens.
  auto witness = SignNote(CheckpointBody(cp), "witness.example", *other);
  std::string witness_line = witness->substr(witness->rfind("\n\n") + 2);
  BOOST_TEST(OpenCheckpoint(*note + witness_line, name, key->public_key()).ok());
  std::string before = *note;
  before.insert(before.rfind("\n\n") + 2, witness_line);
  BOOST_TEST(OpenCheckpoint(before, name, key->public_key()).ok());
  BOOST_TEST(OpenCheckpoint(before, "witness.example", other->public_key()).ok());
  // A line with an unknown signature type (shorter blob) from another signer is ignored too.
  BOOST_TEST(OpenCheckpoint(*note + "\xe2\x80\x94 other AQIDBAUG\n", name, key->public_key()).ok());

  // Malformed notes.
  BOOST_TEST(reason(CheckpointBody(cp), name, key->public_key()) == "bad-note");
  BOOST_TEST(reason(*note + "garbage\n", name, key->public_key()) == "bad-note");
  BOOST_TEST(reason(note->substr(0, note->size() - 1), name, key->public_key()) == "bad-note");
  t = *note;
  t.replace(t.rfind("\xe2\x80\x94"), 3, "-");
  BOOST_TEST(reason(t, name, key->public_key()) == "bad-note");
  std::string many = *note;
  for (int i = 0; i < 100; ++i) many += witness_line;
  BOOST_TEST(reason(many, name, key->public_key()) == "bad-note");
  // Signed but not a checkpoint body.
  auto not_cp = SignNote("hello\n", name, *key);
  BOOST_TEST(reason(*not_cp, name, key->public_key()) == "bad-checkpoint");

  // Sign-side validation.
  BOOST_TEST(SignNote("no newline", name, *key).status().reason() == "bad-note");
  BOOST_TEST(SignNote("x\n", "bad name", *key).status().reason() == "bad-note");
  BOOST_TEST(SignNote("x\n", "bad+name", *key).status().reason() == "bad-note");
  BOOST_TEST(SignNote("x\n\n", name, *key).status().reason() == "bad-note");
  auto p256 = PrivateKey::Generate(KeyAlgorithm::kEcdsaP256);
  BOOST_TEST(SignNote("x\n", name, *p256).status().reason() == "unsupported-key");
  BOOST_TEST(OpenCheckpoint(*note, name, p256->public_key()).status().reason() == "unsupported-key");
  BOOST_TEST(NoteKeyHash(name, p256->public_key()).empty());
}

// Parsing without verifying: the same strict body parser, whoever signed. A
// note whose first line is not a valid checkpoint origin (the old reliance
// code took everything up to the first "\n" as the origin) is refused.
BOOST_AUTO_TEST_CASE(parse_unverified_uses_the_strict_parser) {
  auto key = PrivateKey::Generate(KeyAlgorithm::kEd25519);
  BOOST_REQUIRE(key.ok());
  Checkpoint cp = Sample();
  cp.extensions = {"witnessed"};
  auto note = SignNote(CheckpointBody(cp), "anyone", *key);
  BOOST_REQUIRE(note.ok());
  auto parsed = ParseUnverifiedCheckpoint(*note);
  BOOST_REQUIRE(parsed.ok());
  BOOST_TEST((*parsed == cp));

  BOOST_TEST(ParseUnverifiedCheckpoint(CheckpointBody(cp)).status().reason() == "bad-note");
  BOOST_TEST(ParseUnverifiedCheckpoint("").status().reason() == "bad-note");
  BOOST_TEST(ParseUnverifiedCheckpoint(*note + "garbage").status().reason() == "bad-note");
  auto not_cp = SignNote("dossier.example/log\n12x\nroot\n", "anyone", *key);
  BOOST_TEST(ParseUnverifiedCheckpoint(*not_cp).status().reason() == "bad-checkpoint");
}
