// A small pattern language over JSON, used by the golden-case suite to state
// partial expectations about an answer (a readiness report, an evaluation,
// an export's loss list) without pinning members the case is not about.
//
//   scalar                 equal (numbers compared as doubles)
//   {"k": P, ...}          the answer is an object and each member k matches P
//   [P0, P1, ...]          the answer is an array of the same length, element-wise
//   {"$contains": "s"}     a string containing s (case-insensitive), or an array
//                          with such a string
//   {"$not": P}            P does not match
//   {"$anyOf": [P, ...]}   at least one matches;  {"$allOf": [P, ...]} every one
//   {"$absent": true}      (as a member pattern) the member is missing or null
//   {"$has": P}            an array with at least one element matching P
//   {"$none": P}           a missing member or an array with no element matching P
//   {"$every": {"where": W, "is": P}}
//                          an array where at least one element matches W and every
//                          element that matches W also matches P
//
// Pure functions; thread-safe.
#pragma once

#include <boost/json.hpp>
#include <string>
#include <vector>

#include "common/status.h"

namespace dossier::golden {

// Rejects a pattern that uses an unknown "$" operator or a malformed one
// (reason "bad-golden-case", field = where in the pattern).
Status CheckPattern(const boost::json::value& pattern, const std::string& where);

// Empty when `actual` matches `pattern`; otherwise one line per mismatch, each
// naming the path in the answer ("items[3].status") and what differed.
std::vector<std::string> Mismatches(const boost::json::value& pattern, const boost::json::value& actual);

// Compact JSON, cut to `limit` characters (for failure messages).
std::string Brief(const boost::json::value& value, size_t limit = 600);

}  // namespace dossier::golden
