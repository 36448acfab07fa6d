// A reliance feed entry read back into the offline bundle it stands for.
//
// The feed (GET /v1/tenants/{t}/feed, server/log_evidence.h has its wire
// format) carries each signed decision with its envelope, log leaf, inclusion
// proof and the signer key's evidence, all against the page's checkpoint. The
// server's peer puller and the SDK (a regulator saving the bundle of its own
// decision) rebuild the same trust::Bundle from it here, and check it with
// trust::VerifyBundle.
//
// Errors: malformed evidence is InvalidArgument reason "feed-invalid" with
// the JSON path in `field` ("signer.inclusionProof[2]").
// Thread-safety: pure functions.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>

#include "common/status.h"
#include "trust/bundle.h"

namespace dossier::trust {

// The bundle that a feed entry and its page's checkpoint note stand for.
StatusOr<Bundle> BundleFromFeedEntry(const boost::json::object& entry, const std::string& checkpoint_note);

// The entry's "content" bytes (review reports), or nullopt when not sent.
StatusOr<std::optional<std::string>> FeedEntryContent(const boost::json::object& entry);

}  // namespace dossier::trust
