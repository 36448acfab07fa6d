// Turns a parsed HTTP/1.1 request header into the transport-neutral Request:
// method, target, percent-decoded path, decoded query parameters, lower-cased
// header names. Shared by the Beast session layer and the HTTP fuzz target, so
// the fuzzer exercises exactly the decoding the server uses.
#pragma once

#include <boost/beast/http/message.hpp>

#include "common/status.h"
#include "server/http_types.h"

namespace dossier::server {

// Fails with reason "bad-target" for a target that is not an absolute path or
// holds a bad percent-encoding (or a NUL byte in the path).
Status DecodeRequestHeader(const boost::beast::http::request_header<>& header, Request* out);

}  // namespace dossier::server
