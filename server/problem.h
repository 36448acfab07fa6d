// RFC 9457 problem documents: the one place where a Status becomes an HTTP
// status code.
#pragma once

#include "common/status.h"
#include "server/http_types.h"

namespace dossier::server {

// The HTTP status for `status`. Reasons that have a more precise HTTP meaning
// than their canonical code (a stale parent is 412, an oversized body 413,
// a full disk 507) are mapped here and nowhere else.
int HttpStatusFor(const Status& status);

// An application/problem+json response describing `status`. `instance` is the
// request path.
Response ProblemResponse(const Status& status, std::string_view instance);

}  // namespace dossier::server
