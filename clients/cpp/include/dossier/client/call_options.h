// CallOptions: what one call of Client or AsyncClient may change for itself,
// next to the client-wide ClientOptions (options.h). Every call has a form
// that takes one; a default-constructed CallOptions changes nothing.
//
// Thread-safety: a plain value; the call copies it.
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace dossier::client {

struct CallOptions {
  // The whole call (every request it makes, retries and back-off included)
  // must finish within `timeout` of its start. Zero: no limit (the
  // connect/io timeouts of ClientOptions still apply to each request).
  std::chrono::milliseconds timeout{0};
  // The same as an absolute time; when both are set the earlier applies.
  std::optional<std::chrono::steady_clock::time_point> deadline{};
  // A call that runs out of time stops its request in flight, closes its
  // connection and completes with StatusCode::kDeadlineExceeded, reason
  // "deadline-exceeded" (reasons::kDeadlineExceeded). A commit stopped this
  // way may or may not have been recorded: re-run it (commits are idempotent).

  // Retries for this call instead of ClientOptions::max_retries (0: none).
  std::optional<int> max_retries{};

  // The Idempotency-Key of the calls that commit a signed statement (Commit,
  // CommitDecision, CommitDecisionContent, RecordLedgerEvent,
  // PostPerformanceReport). Empty: CommitRequest::idempotency_key when set,
  // else a key derived from the statement. Ignored by other calls.
  std::string idempotency_key{};
};

}  // namespace dossier::client
