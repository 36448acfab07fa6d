#include "common/status.h"

#include <cctype>
#include <cstdio>
#include <cstdlib>

namespace dossier {

std::string_view StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return "OK";
    case StatusCode::kCancelled:
      return "CANCELLED";
    case StatusCode::kUnknown:
      return "UNKNOWN";
    case StatusCode::kInvalidArgument:
      return "INVALID_ARGUMENT";
    case StatusCode::kDeadlineExceeded:
      return "DEADLINE_EXCEEDED";
    case StatusCode::kNotFound:
      return "NOT_FOUND";
    case StatusCode::kAlreadyExists:
      return "ALREADY_EXISTS";
    case StatusCode::kPermissionDenied:
      return "PERMISSION_DENIED";
    case StatusCode::kResourceExhausted:
      return "RESOURCE_EXHAUSTED";
    case StatusCode::kFailedPrecondition:
      return "FAILED_PRECONDITION";
    case StatusCode::kAborted:
      return "ABORTED";
    case StatusCode::kOutOfRange:
      return "OUT_OF_RANGE";
    case StatusCode::kUnimplemented:
      return "UNIMPLEMENTED";
    case StatusCode::kInternal:
      return "INTERNAL";
    case StatusCode::kUnavailable:
      return "UNAVAILABLE";
    case StatusCode::kDataLoss:
      return "DATA_LOSS";
    case StatusCode::kUnauthenticated:
      return "UNAUTHENTICATED";
  }
  return "UNKNOWN";
}

Status::Status(StatusCode code, std::string message, std::string reason, std::string field) {
  if (code == StatusCode::kOk) return;
  rep_ = std::make_shared<const Rep>(Rep{code, std::move(message), std::move(reason), std::move(field)});
}

const std::string& Status::message() const {
  static const std::string kEmpty;
  return rep_ ? rep_->message : kEmpty;
}

const std::string& Status::field() const {
  static const std::string kEmpty;
  return rep_ ? rep_->field : kEmpty;
}

std::string Status::reason() const {
  if (!rep_) return {};
  if (!rep_->reason.empty()) return rep_->reason;
  std::string derived;
  for (char c : StatusCodeName(rep_->code)) {
    derived.push_back(c == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return derived;
}

Status Status::WithFieldPrefix(std::string_view prefix) const {
  if (!rep_ || prefix.empty()) return *this;
  std::string joined(prefix);
  if (!rep_->field.empty()) {
    if (rep_->field.front() != '[') joined.push_back('.');
    joined += rep_->field;
  }
  return Status(rep_->code, rep_->message, rep_->reason, std::move(joined)).WithHttpStatus(rep_->http_status);
}

Status Status::Annotate(std::string_view context) const {
  if (!rep_) return *this;
  return Status(rep_->code, std::string(context) + ": " + rep_->message, rep_->reason, rep_->field)
      .WithHttpStatus(rep_->http_status);
}

Status Status::WithHttpStatus(int status) const {
  if (!rep_ || rep_->http_status == status) return *this;
  auto rep = std::make_shared<Rep>(*rep_);
  rep->http_status = status;
  Status out;
  out.rep_ = std::move(rep);
  return out;
}

std::string Status::ToString() const {
  if (!rep_) return "OK";
  std::string out(StatusCodeName(rep_->code));
  out += " [" + reason() + "]";
  if (!rep_->field.empty()) out += " " + rep_->field + ":";
  out += " " + rep_->message;
  return out;
}

namespace status_internal {

void DieOnValueOfError(const Status& status) {
  // stderr, unbuffered: the message must survive the abort that follows.
  std::fprintf(stderr, "dossier: StatusOr::value() called on an error: %s\n", status.ToString().c_str());
  std::abort();
}

Status OkStatusWithoutValue() {
  return Internal("a StatusOr was built from an OK Status and holds no value");
}

}  // namespace status_internal

}  // namespace dossier
