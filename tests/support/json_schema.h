// A small JSON Schema (2020-12) validator for tests: the subset
// /openapi.json uses, so that its examples can be checked against their
// schemas. Debian ships no C++ JSON Schema validator (checked: apt-cache
// search json-schema lists only node, ruby, php and perl ones), and Boost has
// none.
//
// Supported: $ref (local "#/components/schemas/<name>" and "#/..." JSON
// pointers into `root`), type (a name or a list), enum, const, required,
// properties, additionalProperties (boolean or schema), items, minItems,
// maxItems, minimum, maximum, exclusiveMinimum, exclusiveMaximum, minLength,
// pattern (ECMAScript via std::regex), allOf, anyOf, oneOf, not. Other
// keywords (format, description, default, contentEncoding, ...) are
// annotations and ignored, as the specification allows for format.
#pragma once

#include <boost/json.hpp>
#include <string>
#include <vector>

namespace dossier::testing {

// Every way `instance` fails `schema` ("" paths are the root), e.g.
// "results[0]: member \"n\" is not allowed"; empty when it is valid. `root`
// is the document $refs point into (the OpenAPI document).
std::vector<std::string> ValidateJsonSchema(const boost::json::value& instance,
                                            const boost::json::value& schema, const boost::json::value& root);

// The same for an answer a server served, read as a closed contract: an
// object whose schema lists properties (and says nothing of
// additionalProperties) may hold no other member — one the contract does not
// declare is one no client can know of — and a schema saying only
// "type":"object" is refused as describing nothing. (JSON Schema itself
// leaves such objects open; the contract test holds the server to more.)
std::vector<std::string> ValidateServedJson(const boost::json::value& instance,
                                            const boost::json::value& schema, const boost::json::value& root);

}  // namespace dossier::testing
