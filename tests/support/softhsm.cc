#include "tests/support/softhsm.h"

#include <stdlib.h>

#include "tests/support/files.h"
#include "tests/support/process.h"

namespace dossier::testing {
namespace fs = std::filesystem;

namespace {
constexpr char kSoftHsmUtil[] = "/usr/bin/softhsm2-util";
constexpr char kPkcs11Tool[] = "/usr/bin/pkcs11-tool";
}  // namespace

std::string SoftHsmMissing() {
  for (const char* tool : {kSoftHsmModule, kSoftHsmUtil, kPkcs11Tool}) {
    if (!fs::exists(tool)) return std::string(tool) + " is absent (apt-get install softhsm2 opensc)";
  }
  return {};
}

StatusOr<SoftHsmToken> SoftHsmToken::Create(const fs::path& dir, const std::string& label,
                                            const std::string& pin) {
  SoftHsmToken token;
  token.dir_ = dir;
  token.label_ = label;
  token.pin_ = pin;
  std::error_code ec;
  fs::create_directories(dir / "tokens", ec);
  if (ec) return Status(StatusCode::kInternal, "cannot create " + (dir / "tokens").string(), "io-error");
  WriteFile(dir / "softhsm2.conf", "directories.tokendir = " + (dir / "tokens").string() +
                                       "\nobjectstore.backend = file\nlog.level = ERROR\n");
  ::setenv("SOFTHSM2_CONF", token.conf().c_str(), 1);
  auto r = RunProcess(
      {kSoftHsmUtil, "--init-token", "--free", "--label", label, "--so-pin", "10293847", "--pin", pin},
      {{"SOFTHSM2_CONF", token.conf()}}, std::chrono::seconds(60));
  if (r.exit_code != 0)
    return Status(StatusCode::kInternal, "softhsm2-util --init-token: " + r.out + r.err, "softhsm");
  // "The token has been initialized and is reassigned to slot N"
  if (const size_t at = r.out.find("to slot "); at != std::string::npos) {
    token.slot_ = r.out.substr(at + 8, r.out.find_first_not_of("0123456789", at + 8) - at - 8);
  }
  return token;
}

Status SoftHsmToken::GenerateKeyPair(const std::string& key_type, const std::string& id_hex,
                                     const std::string& key_label) const {
  auto r = RunProcess({kPkcs11Tool, "--module", kSoftHsmModule, "--token-label", label_, "--login", "--pin",
                       pin_, "--keypairgen", "--key-type", key_type, "--id", id_hex, "--label", key_label},
                      {{"SOFTHSM2_CONF", conf()}}, std::chrono::seconds(60));
  if (r.exit_code != 0)
    return Status(StatusCode::kInternal, "pkcs11-tool --keypairgen: " + r.out + r.err, "softhsm");
  return Status::Ok();
}

}  // namespace dossier::testing
