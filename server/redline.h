// The redline of two dossier versions (issue 16 item 4) as a document a
// reviewer reads: server-side HTML built from the section diff
// (schema/diff.h), and the same HTML turned into PDF by a Debian-packaged
// renderer run as a bounded child process (server/pdf_render.h).
//
// Contract
// - Every string that comes from a dossier or a request (trade name, file
//   names, titles, codes, field values) is escaped with EscapeMarkup; the
//   document has no script, no link, no image and no URL, so a renderer has
//   nothing to fetch. Its only style is one inline <style> block whose
//   SHA-256 is in the CSP (RedlineContentSecurityPolicy), so a browser runs
//   nothing else even if escaping were ever missed.
// - Pure functions; thread-safe.
#pragma once

#include <boost/json.hpp>
#include <string>

namespace dossier::server {

// What the report says about the two versions compared.
struct RedlineVersion {
  uint64_t number = 0;
  std::string content_digest;
  std::string committed_at;  // RFC 3339, from the version record
  std::string signer_key_id;
  std::string trade_name;  // device.tradeName of that version, "" when none
};

struct RedlineHeader {
  std::string tenant;
  std::string dossier;
  RedlineVersion from, to;
};

// A complete HTML document for `diff` (DiffToJson's object).
std::string RenderRedlineHtml(const RedlineHeader& header, const boost::json::object& diff);

// The Content-Security-Policy header value for RenderRedlineHtml's output:
// nothing may load or run; only the report's own style block applies.
const std::string& RedlineContentSecurityPolicy();

}  // namespace dossier::server
