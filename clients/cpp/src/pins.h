// Internal: the pinned log keys of LogTrust, parsed once, and which of them
// may have signed at a given time. Used by ClientCore (live checks) and
// VerifyBundleOffline.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "common/status.h"
#include "dossier/client/options.h"
#include "dossier/client/verify.h"
#include "trust/keys.h"

namespace dossier::client::internal {

struct ParsedPin {
  trust::PublicKey key;
  std::chrono::system_clock::time_point not_before;
  std::chrono::system_clock::time_point not_after;
};

// Reason "bad-pin" naming the index of a PEM that is not a public key.
StatusOr<std::vector<ParsedPin>> ParsePins(const LogTrust& trust);

// The pinned keys trusted for a signature made at `when`.
std::vector<trust::PublicKey> PinnedKeysAt(const std::vector<ParsedPin>& pins,
                                           std::chrono::system_clock::time_point when);

// VerifyBundleOffline with the pins already parsed and the origin given.
StatusOr<trust::BundleVerification> VerifyBundlePinned(const trust::Bundle& bundle, const std::string& origin,
                                                       const std::vector<ParsedPin>& pins,
                                                       const ExpectedIdentity& expected,
                                                       const std::string* content_bytes);

}  // namespace dossier::client::internal
