// The two stored copies of a submission: the manufacturer's ("submissions")
// and the receiving regulator's ("inbox", its grant). Shared by the route
// families that act on a submission (submissions.cc, ledger_routes.cc,
// comment_routes.cc) so that each reads and updates them the same way.
//
// Thread-safety: the functions only use the store, which is thread-safe.
#pragma once

#include <boost/json.hpp>
#include <string>
#include <string_view>

#include "common/status.h"
#include "storage/store.h"

namespace dossier::server {

inline constexpr std::string_view kOutboxCollection = "submissions";  // the manufacturer's copy
inline constexpr std::string_view kInboxCollection = "inbox";         // the regulator's copy (its grant)

// The caller's copy: the manufacturer's outbox entry or the regulator's inbox entry.
struct SubmissionCopy {
  boost::json::object record;
  bool is_regulator = false;
};

// NotFound (404, "not-found") when `tenant` holds no copy of submission `id`.
StatusOr<SubmissionCopy> FindSubmission(storage::Store& store, const std::string& tenant,
                                        const std::string& id);

// A stored copy parsed; DataLoss "corruption" when it is not a JSON object.
StatusOr<boost::json::object> ParseSubmissionRecord(const std::string& text);

// Writes `record` to both copies in one atomic, durable batch.
Status WriteSubmissionCopies(storage::Store& store, const boost::json::object& record);

}  // namespace dossier::server
