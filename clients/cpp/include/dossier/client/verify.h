// Verifying a signed version against what the caller expects it to be.
//
// A bundle proves "this statement was signed by a key the log shows its tenant
// registered, and the log includes it". It does not prove it is the dossier
// the caller meant: a valid bundle of another tenant's dossier, of an older
// version or signed by a key the caller does not accept verifies just as well.
// So every verification in the SDK takes the expected identity and fails
// closed, with its own reason, when the verified statement differs:
//   "unexpected-tenant", "unexpected-object", "unexpected-version",
//   "unexpected-signer" (the signer key id is not in allowed_signer_key_ids).
// An identity without tenant or object is refused ("identity-required").
//
// Which log to believe is LogTrust (options.h): the bundle's checkpoint must
// be signed by a pinned key whose window holds the version's log time
// ("log-key-not-pinned" otherwise) and name the pinned origin. Then the checks
// of trust::VerifyBundle (trust/bundle.h) run, with their own reasons.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "dossier/client/options.h"
#include "dossier/client/types.h"
#include "trust/bundle.h"

namespace dossier::client {

struct ExpectedIdentity {
  std::string tenant{};
  ObjectKind kind = ObjectKind::kDossier;
  std::string id{};
  // The version; nullopt accepts any version of the object (offline only:
  // VerifyVersion always expects the version it asked for).
  std::optional<uint64_t> version{};
  // Signer key ids (trust::PublicKey::KeyId()) the caller accepts. Empty:
  // any key the log shows the tenant registered.
  std::vector<std::string> allowed_signer_key_ids{};
};

// The statement's object name for `kind` and `id` ("dossiers/cxr-triage").
std::string ObjectName(ObjectKind kind, const std::string& id);

// OK when `verified` (the result of a bundle verification) is `expected`.
Status CheckIdentity(const trust::BundleVerification& verified, const ExpectedIdentity& expected);

// Offline: `bundle` (and, when non-null, `content_bytes`) against the pinned
// log (trust.origin and trust.keys are both required here: "bad-pin" when
// absent) and the expected identity. No network.
StatusOr<trust::BundleVerification> VerifyBundleOffline(const trust::Bundle& bundle, const LogTrust& trust,
                                                        const ExpectedIdentity& expected,
                                                        const std::string* content_bytes = nullptr);

}  // namespace dossier::client
