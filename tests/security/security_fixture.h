// Shared pieces of the security tests: the route table as the running server
// describes it (/openapi.json), a populated multi-tenant world, and concrete
// requests for any route with real object ids substituted.
#pragma once

#include <boost/json.hpp>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "tests/support/harness.h"

namespace dossier::testing::security {

// One path + method of /openapi.json.
struct Operation {
  std::string method;          // upper case: GET, POST, PUT, DELETE
  std::string pattern;         // "/v1/tenants/{t}/dossiers/{d}"
  std::string access;          // the phrase after "Access: " in the description ("tenant EDITOR")
  boost::json::value example;  // the request body example, or null

  bool tenant_scoped() const { return pattern.find("{t}") != std::string::npos; }
  std::string Name() const { return method + " " + pattern; }
};

// Every operation of the server's /openapi.json, in document order. Throws
// when an operation has no "Access:" phrase.
std::vector<Operation> FetchOperations(HttpClient& http);

// Roles a credential can have; kNone is no credential at all.
enum class Caller { kNone, kViewer, kReviewer, kEditor, kAdmin, kOperator };
const char* CallerName(Caller caller);
// Who may call an operation with this "Access:" phrase (the documented rule:
// ADMIN includes EDITOR and REVIEWER, both include VIEWER). nullopt for a
// phrase this test does not know, which the callers treat as a failure.
std::optional<std::set<Caller>> AllowedCallers(const std::string& access);

// Values for path parameters. A parameter is looked up first as
// "<previous literal segment>/{name}" (one name can mean different objects,
// e.g. "change-plans/{d}"), then as "{name}".
using ParamValues = std::map<std::string, std::string>;

// `pattern` with every parameter replaced; `*missing` names the first
// parameter without a value (and the result is then empty).
std::string FillPath(const std::string& pattern, const ParamValues& values, std::string* missing);

// A tenant with its ADMIN token and signing key (see CreateActor), created
// with a jurisdiction so that regulators know their agency.
Actor CreateTenant(HttpClient& http, const std::string& operator_token, const std::string& id,
                   const std::string& kind, const std::string& jurisdiction = "");

// Issues a token of `role` in `tenant` with `issuer`'s token; returns {id, secret}.
std::pair<std::string, std::string> IssueToken(HttpClient& http, const std::string& issuer_token,
                                               const std::string& tenant, const std::string& role);

// The multi-tenant world of the isolation and role tests:
//   acme (manufacturer A): dossier "cxr" with versions 1..3, change plan
//     "cxr-pccp" v1, a modification record, documents, a spare token and a
//     spare key; submission `submission` of dossier v2 + plan v1 to fda,
//     committed before v3;
//   fda (regulator R, jurisdiction US) received the submission;
//   hsa (regulator R2, SG) and globex (manufacturer B) own nothing of A's;
//   fda also has a (never reachable) reliance peer when the server has peers.
struct World {
  World(Actor a, Actor b, Actor r, Actor r2, std::string op)
      : acme(std::move(a)),
        globex(std::move(b)),
        fda(std::move(r)),
        hsa(std::move(r2)),
        operator_token(std::move(op)) {}
  Actor acme, globex, fda, hsa;
  std::string operator_token;
  std::string dossier = "cxr", plan = "cxr-pccp";
  // Documents (digests) and the content digests of the dossier versions.
  std::string doc_common;  // in v1, v2, v3
  std::string doc_v1;      // only in v1
  std::string doc_v2;      // only in v2 (the submitted version)
  std::string doc_v3;      // only in v3 (committed after the submission)
  std::string doc_secret;  // uploaded, in no version
  std::string content[4];  // content[n] = content digest of version n (1..3)
  std::string plan_content;
  std::string submission;
  std::string comment_thread;                      // fda's thread on the submission
  std::string spare_token_id, spare_token_secret;  // an acme VIEWER token
  std::string spare_key_id;                        // a second acme key
  std::string decision_digest;                     // fda's decision content, uploaded to fda
  std::string planted_bytes;                       // what cross-tenant uploads try to plant
  std::string peer_id;  // a peer fda pulls from (when the server has reliance peers)
};
World BuildWorld(HttpClient& http, const std::string& operator_token);

// Parameter values naming `owner`'s objects in `w` (acme or fda).
ParamValues ValuesFor(const World& w, const std::string& owner);

// A concrete request for `op` at `path`: a body that would succeed for an
// authorised caller where the test knows one, the query the route needs, and
// the credential `token` (none when empty).
struct Call {
  std::string method, target, body;
  std::map<std::string, std::string> headers;
};
Call MakeCall(const World& w, const Operation& op, const std::string& path, const std::string& token);

// A request built from one request example of /openapi.json (routes a
// regulator uses aimed at fda's objects, the rest at acme's), with the
// credential such a caller holds and ids of `w` substituted.
struct ExampleRequest {
  std::string name;    // "post /v1/tenants/{t}/peers", as in the document
  std::string method;  // upper case
  std::string target;
  boost::json::value body;
  std::string token;
  std::string schema;  // the request schema's component name, "PeerCreate"
};
// One per operation with a JSON request example, in document order. Throws
// when a path parameter has no value in `w`.
std::vector<ExampleRequest> ExampleRequests(const boost::json::value& openapi, const World& w);

// Reads every entry of an audit log (`path` is /v1/tenants/{t}/audit or
// /v1/audit), following nextPageToken.
std::vector<boost::json::object> ReadAudit(HttpClient& http, const std::string& path,
                                           const std::string& token);

std::string SourceFile(const std::string& relative);  // under DOSSIER_SOURCE_DIR

}  // namespace dossier::testing::security
