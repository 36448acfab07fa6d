// A SoftHSM2 token made in a temporary directory, with key pairs generated on
// it by pkcs11-tool (the private keys never leave it), for the tests of the
// SDK's and the CLI's PKCS#11 signers. Part of dossier_test_support.
//
// Contract: SoftHsmMissing() names an absent tool ("" when all are there):
// the caller skips with that message, or fails when CI is set. Create sets
// SOFTHSM2_CONF for this process (SoftHSM reads it in C_Initialize, once per
// process) and conf() is what child processes need in theirs.
#pragma once

#include <filesystem>
#include <string>

#include "common/status.h"

namespace dossier::testing {

inline constexpr char kSoftHsmModule[] = "/usr/lib/softhsm/libsofthsm2.so";

std::string SoftHsmMissing();

class SoftHsmToken {
 public:
  // Initialises a token labelled `label` with user PIN `pin` in `dir`.
  static StatusOr<SoftHsmToken> Create(const std::filesystem::path& dir, const std::string& label,
                                       const std::string& pin);
  // A key pair on the token: key_type as pkcs11-tool says it ("EC:prime256v1",
  // "EC:edwards25519"), CKA_ID `id_hex`, CKA_LABEL `key_label`.
  Status GenerateKeyPair(const std::string& key_type, const std::string& id_hex,
                         const std::string& key_label) const;

  const std::string& label() const { return label_; }
  const std::string& slot() const { return slot_; }  // as softhsm2-util reassigned it
  std::string conf() const { return (dir_ / "softhsm2.conf").string(); }

 private:
  std::filesystem::path dir_;
  std::string label_, pin_, slot_;
};

}  // namespace dossier::testing
