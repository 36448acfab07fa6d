// Expected identities and offline verification against pinned log keys (verify.h).
#include "dossier/client/verify.h"

#include <algorithm>

#include "pins.h"

namespace dossier::client {

namespace internal {

StatusOr<std::vector<ParsedPin>> ParsePins(const LogTrust& trust) {
  std::vector<ParsedPin> pins;
  for (size_t i = 0; i < trust.keys.size(); ++i) {
    const PinnedLogKey& pin = trust.keys[i];
    auto key = trust::PublicKey::FromPem(pin.public_key_pem);
    if (!key.ok()) {
      return InvalidArgument(
          "pinned log key " + std::to_string(i) + " is not a public key PEM: " + key.status().message(),
          "bad-pin", "log_trust.keys[" + std::to_string(i) + "].public_key_pem");
    }
    if (pin.not_after <= pin.not_before) {
      return InvalidArgument("pinned log key " + std::to_string(i) + " has an empty validity window",
                             "bad-pin", "log_trust.keys[" + std::to_string(i) + "]");
    }
    pins.push_back({std::move(*key), pin.not_before, pin.not_after});
  }
  return pins;
}

std::vector<trust::PublicKey> PinnedKeysAt(const std::vector<ParsedPin>& pins,
                                           std::chrono::system_clock::time_point when) {
  std::vector<trust::PublicKey> keys;
  for (const auto& pin : pins) {
    if (pin.not_before <= when && when < pin.not_after) keys.push_back(pin.key);
  }
  return keys;
}

}  // namespace internal

std::string ObjectName(ObjectKind kind, const std::string& id) {
  return std::string(CollectionName(kind)) + "/" + id;
}

Status CheckIdentity(const trust::BundleVerification& verified, const ExpectedIdentity& expected) {
  if (expected.tenant.empty() || expected.id.empty()) {
    return InvalidArgument("say which tenant and object the bundle must be of", "identity-required");
  }
  const trust::Statement& s = verified.statement;
  if (s.tenant != expected.tenant) {
    return FailedPrecondition(
        "the signed version is of tenant \"" + s.tenant + "\", not \"" + expected.tenant + "\"",
        "unexpected-tenant");
  }
  const std::string object = ObjectName(expected.kind, expected.id);
  if (s.object != object) {
    return FailedPrecondition("the signed version is of \"" + s.object + "\", not \"" + object + "\"",
                              "unexpected-object");
  }
  if (expected.version && s.version != *expected.version) {
    return FailedPrecondition(
        "the signed version is " + std::to_string(s.version) + ", not " + std::to_string(*expected.version),
        "unexpected-version");
  }
  const auto& allowed = expected.allowed_signer_key_ids;
  if (!allowed.empty() &&
      std::find(allowed.begin(), allowed.end(), verified.signer_key_id) == allowed.end()) {
    return FailedPrecondition("the version is signed by key " + verified.signer_key_id +
                                  ", which is not one of the allowed signers",
                              "unexpected-signer");
  }
  return Status::Ok();
}

StatusOr<trust::BundleVerification> internal::VerifyBundlePinned(const trust::Bundle& bundle,
                                                                 const std::string& origin,
                                                                 const std::vector<ParsedPin>& pins,
                                                                 const ExpectedIdentity& expected,
                                                                 const std::string* content_bytes) {
  if (expected.tenant.empty() || expected.id.empty()) {
    return InvalidArgument("say which tenant and object the bundle must be of", "identity-required");
  }
  // Another log's checkpoint is refused by name before any key is tried.
  auto claimed = trust::ParseUnverifiedCheckpoint(bundle.checkpoint_note);
  if (claimed.ok() && claimed->origin != origin) {
    return FailedPrecondition(
        "the bundle's checkpoint is of log \"" + claimed->origin + "\", not the pinned \"" + origin + "\"",
        "log-origin-mismatch");
  }
  // The leaf's time picks the keys; the leaf itself is authenticated by the
  // verification below (its hash is what the checkpoint includes).
  const auto logged_at =
      std::chrono::system_clock::time_point(std::chrono::milliseconds(bundle.leaf.timestamp_ms));
  Status refused =
      FailedPrecondition("no pinned log key was valid when this version was logged", "log-key-not-pinned");
  for (const auto& key : PinnedKeysAt(pins, logged_at)) {
    auto verified = trust::VerifyBundle(bundle, origin, key, content_bytes);
    if (verified.ok()) {
      DOSSIER_RETURN_IF_ERROR(CheckIdentity(*verified, expected));
      return verified;
    }
    // Only the checkpoint's signature depends on which key is tried.
    if (verified.status().reason() != "note-signature-invalid") return verified.status();
    refused = FailedPrecondition(
        "the bundle's checkpoint is not signed by a log key pinned for the time the version was logged",
        "log-key-not-pinned");
  }
  return refused;
}

StatusOr<trust::BundleVerification> VerifyBundleOffline(const trust::Bundle& bundle, const LogTrust& trust,
                                                        const ExpectedIdentity& expected,
                                                        const std::string* content_bytes) {
  if (trust.origin.empty() || trust.keys.empty()) {
    return InvalidArgument("offline verification needs the pinned log origin and key(s)", "bad-pin");
  }
  DOSSIER_ASSIGN_OR_RETURN(auto pins, internal::ParsePins(trust));
  return internal::VerifyBundlePinned(bundle, trust.origin, pins, expected, content_bytes);
}

}  // namespace dossier::client
