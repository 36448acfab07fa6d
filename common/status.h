// Status and StatusOr<T>: how every module of Dossier Exchange reports an
// expected failure to its caller.
//
// Contract
// - Errors cross module boundaries as values, never as exceptions. A module may
//   use exceptions inside itself (Boost.JSON, protobuf) but converts them before
//   returning.
// - `code()` is one of the canonical google.rpc codes. `reason()` is a stable,
//   machine-readable, kebab-case word ("signature-invalid", "unknown-toc-code")
//   that clients may switch on; it becomes the `code` member of an RFC 9457
//   problem document. `field()` is the JSON path of the offending input when
//   there is one ("sections[3].code").
// - Status is a small value type: cheap to copy when OK (no allocation), safe
//   to move between threads. It is not synchronised; do not share one mutable
//   instance between threads.
#pragma once

#include <cassert>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>

namespace dossier {

// Canonical codes, numbered as google.rpc.Code so they can travel in protobuf.
enum class StatusCode : int {
  kOk = 0,
  kCancelled = 1,
  kUnknown = 2,
  kInvalidArgument = 3,
  kDeadlineExceeded = 4,
  kNotFound = 5,
  kAlreadyExists = 6,
  kPermissionDenied = 7,
  kResourceExhausted = 8,
  kFailedPrecondition = 9,
  kAborted = 10,
  kOutOfRange = 11,
  kUnimplemented = 12,
  kInternal = 13,
  kUnavailable = 14,
  kDataLoss = 15,
  kUnauthenticated = 16,
};

// Returns the upper-snake name of `code`, e.g. "INVALID_ARGUMENT".
std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  // An OK status.
  Status() = default;
  // A failure. `reason` should be a stable kebab-case word; when empty a
  // reason derived from `code` is reported instead.
  Status(StatusCode code, std::string message, std::string reason = {}, std::string field = {});

  static Status Ok() { return Status(); }

  bool ok() const { return rep_ == nullptr; }
  StatusCode code() const { return rep_ ? rep_->code : StatusCode::kOk; }
  // Human-readable detail. Empty when OK.
  const std::string& message() const;
  // Stable machine-readable word; derived from code() when none was given.
  std::string reason() const;
  // JSON path of the offending input, or empty.
  const std::string& field() const;

  // Returns a copy whose field path is `prefix` joined with this field path,
  // e.g. WithFieldPrefix("device") on "identifiers[0].value" gives
  // "device.identifiers[0].value". Used when a nested validator's error is
  // re-reported by its caller.
  Status WithFieldPrefix(std::string_view prefix) const;
  // Returns a copy with `context + ": "` prepended to the message.
  Status Annotate(std::string_view context) const;

  // The HTTP status of the answer this failure came from, when it came over
  // HTTP (the C++ SDK sets it from the server's problem document); 0 for a
  // failure found locally. Not part of ToString() or equality of reasons.
  int http_status() const { return rep_ ? rep_->http_status : 0; }
  // A copy carrying `status` as http_status(). No effect on an OK Status.
  Status WithHttpStatus(int status) const;

  // "INVALID_ARGUMENT [unknown-toc-code] sections[2].code: ..." for logs/tests.
  std::string ToString() const;

 private:
  struct Rep {
    StatusCode code;
    std::string message;
    std::string reason;
    std::string field;
    int http_status = 0;
  };
  std::shared_ptr<const Rep> rep_;  // null when OK; immutable once built
};

inline Status InvalidArgument(std::string message, std::string reason = "invalid-argument",
                              std::string field = {}) {
  return Status(StatusCode::kInvalidArgument, std::move(message), std::move(reason), std::move(field));
}
inline Status NotFound(std::string message, std::string reason = "not-found") {
  return Status(StatusCode::kNotFound, std::move(message), std::move(reason));
}
inline Status AlreadyExists(std::string message, std::string reason = "already-exists") {
  return Status(StatusCode::kAlreadyExists, std::move(message), std::move(reason));
}
inline Status FailedPrecondition(std::string message, std::string reason = "failed-precondition") {
  return Status(StatusCode::kFailedPrecondition, std::move(message), std::move(reason));
}
inline Status PermissionDenied(std::string message, std::string reason = "permission-denied") {
  return Status(StatusCode::kPermissionDenied, std::move(message), std::move(reason));
}
inline Status Unauthenticated(std::string message, std::string reason = "unauthenticated") {
  return Status(StatusCode::kUnauthenticated, std::move(message), std::move(reason));
}
inline Status ResourceExhausted(std::string message, std::string reason = "resource-exhausted") {
  return Status(StatusCode::kResourceExhausted, std::move(message), std::move(reason));
}
inline Status Internal(std::string message, std::string reason = "internal") {
  return Status(StatusCode::kInternal, std::move(message), std::move(reason));
}
inline Status Unavailable(std::string message, std::string reason = "unavailable") {
  return Status(StatusCode::kUnavailable, std::move(message), std::move(reason));
}
inline Status DataLoss(std::string message, std::string reason = "data-loss") {
  return Status(StatusCode::kDataLoss, std::move(message), std::move(reason));
}

// For test frameworks and logs.
inline std::ostream& operator<<(std::ostream& os, StatusCode code) { return os << StatusCodeName(code); }
inline std::ostream& operator<<(std::ostream& os, const Status& status) { return os << status.ToString(); }

namespace status_internal {
// Prints `status` and the misuse to stderr, then std::abort(). Out of line so
// the check in value() costs one predictable branch at each call site.
[[noreturn]] void DieOnValueOfError(const Status& status);
// The error a StatusOr holds when it was (wrongly) built from an OK Status.
Status OkStatusWithoutValue();
}  // namespace status_internal

// Either a value of T or a non-OK Status. Accessing value() (or * and ->) of a
// failed StatusOr is a programming error that fails loudly in every build type:
// the status is printed to stderr and the process aborts, rather than reading
// an empty optional (undefined behaviour) in release builds. A StatusOr built
// from an OK Status (also a programming error) holds reason "internal".
template <typename T>
class [[nodiscard]] StatusOr {
 public:
  StatusOr(const Status& status)  // NOLINT: implicit by design
      : status_(status.ok() ? status_internal::OkStatusWithoutValue() : status) {}
  StatusOr(Status&& status)  // NOLINT
      : status_(status.ok() ? status_internal::OkStatusWithoutValue() : std::move(status)) {}
  StatusOr(const T& value) : value_(value) {}        // NOLINT
  StatusOr(T&& value) : value_(std::move(value)) {}  // NOLINT

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }

  T& value() & {
    if (!ok()) [[unlikely]]
      status_internal::DieOnValueOfError(status_);
    return *value_;
  }
  const T& value() const& {
    if (!ok()) [[unlikely]]
      status_internal::DieOnValueOfError(status_);
    return *value_;
  }
  T&& value() && {
    if (!ok()) [[unlikely]]
      status_internal::DieOnValueOfError(status_);
    return std::move(*value_);
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace dossier

#define DOSSIER_STATUS_CONCAT_INNER(a, b) a##b
#define DOSSIER_STATUS_CONCAT(a, b) DOSSIER_STATUS_CONCAT_INNER(a, b)

// Returns early from the enclosing function when `expr` (a Status) fails.
#define DOSSIER_RETURN_IF_ERROR(expr)                                            \
  do {                                                                           \
    ::dossier::Status DOSSIER_STATUS_CONCAT(dossier_status_, __LINE__) = (expr); \
    if (!DOSSIER_STATUS_CONCAT(dossier_status_, __LINE__).ok())                  \
      return DOSSIER_STATUS_CONCAT(dossier_status_, __LINE__);                   \
  } while (false)

// `DOSSIER_ASSIGN_OR_RETURN(auto x, Foo());` assigns the value or returns the error.
#define DOSSIER_ASSIGN_OR_RETURN(lhs, expr) \
  DOSSIER_ASSIGN_OR_RETURN_IMPL(DOSSIER_STATUS_CONCAT(dossier_statusor_, __COUNTER__), lhs, expr)
#define DOSSIER_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                  \
  if (!tmp.ok()) return tmp.status();                 \
  lhs = std::move(tmp).value()
