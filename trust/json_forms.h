// The Boost.JSON forms of trust values, for the server, the SDK's own sources
// and tests. Kept out of dsse.h and bundle.h because those are installed with
// the SDK, whose public headers must not depend on Boost.JSON (an integrator
// reads JSON as text: clients/cpp/README.md, "Results and JSON").
//
// Thread-safety: pure functions.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "common/status.h"
#include "trust/bundle.h"
#include "trust/dsse.h"
#include "trust/export_package.h"
#include "trust/log_leaf.h"

namespace dossier::trust {

// The same as ParseEnvelope, from an already parsed JSON value.
StatusOr<DsseEnvelope> EnvelopeFromJson(const boost::json::value& v);

// {"payloadType", "payload" (base64), "signatures": [{"keyid", "sig" (base64)}]}
// with members in exactly that order; keyid is always written (possibly "").
boost::json::object EnvelopeToJson(const DsseEnvelope& envelope);

// A bundle's JSON form (the inverse of BundleFromJson).
boost::json::object BundleToJson(const Bundle& bundle);

// JSON of one leaf, as used inside bundles (and handy for API responses).
boost::json::object LogLeafToJson(const LogLeaf& leaf);

// The "signedVersion" member of an export package's manifest.
boost::json::object SignedVersionToJson(const SignedVersionRef& ref);

}  // namespace dossier::trust
