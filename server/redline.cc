#include "server/redline.h"

#include "common/strings.h"
#include "trust/digest.h"
#include "trust/encoding.h"

namespace dossier::server {
namespace json = boost::json;

namespace {

// Print-friendly: A4 pages, a table per section, colours that survive
// greyscale (a changed value is struck through, its replacement underlined).
constexpr std::string_view kStyle =
    "@page{size:A4;margin:18mm 15mm}"
    "body{font-family:'DejaVu Sans',sans-serif;font-size:10pt;color:#111}"
    "h1{font-size:16pt;margin:0 0 4pt}h2{font-size:12pt;margin:14pt 0 4pt;border-bottom:1px solid #999}"
    "table{border-collapse:collapse;width:100%;margin:4pt 0}"
    "th,td{border:1px solid #bbb;padding:3pt 5pt;text-align:left;vertical-align:top;word-break:break-all}"
    "th{background:#eee}.meta td{border:none;padding:1pt 5pt}"
    ".k{font-weight:bold;white-space:nowrap}"
    ".ADDED,.new{background:#e3f6e3;text-decoration:underline}"
    ".REMOVED,.old{background:#fbe3e3;text-decoration:line-through}"
    ".MODIFIED,.CHANGED{background:#fff4d6}"
    "code{font-family:'DejaVu Sans Mono',monospace;font-size:8.5pt}"
    ".none{color:#666;font-style:italic}";

std::string Esc(std::string_view text) { return EscapeMarkup(text); }

std::string StringOf(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

// A field value as the reader sees it: strings bare, anything else as JSON,
// absence as an explicit marker.
std::string ValueCell(const json::value& v, const char* css) {
  if (v.is_null()) return "<td class=\"none\">(absent)</td>";
  const std::string text = v.is_string() ? std::string(v.as_string()) : json::serialize(v);
  return std::string("<td class=\"") + css + "\">" + Esc(text) + "</td>";
}

void FieldTable(std::string& out, const json::value* fields) {
  if (!fields || !fields->is_array() || fields->as_array().empty()) return;
  out += "<table><tr><th>field</th><th>old</th><th>new</th></tr>";
  for (const auto& f : fields->as_array()) {
    if (!f.is_object()) continue;
    const json::object& o = f.as_object();
    out += "<tr><td><code>" + Esc(StringOf(o, "path")) + "</code></td>";
    out += ValueCell(o.contains("old") ? o.at("old") : json::value(), "old");
    out += ValueCell(o.contains("new") ? o.at("new") : json::value(), "new");
    out += "</tr>";
  }
  out += "</table>";
}

std::string VersionLine(const char* label, const RedlineVersion& v) {
  std::string out = "<tr><td class=\"k\">" + std::string(label) + "</td><td>version " +
                    std::to_string(v.number) + " &#183; committed " + Esc(v.committed_at);
  if (!v.trade_name.empty()) out += " &#183; " + Esc(v.trade_name);
  out += "<br><code>" + Esc(v.content_digest) + "</code> signed by key <code>" + Esc(v.signer_key_id) +
         "</code></td></tr>";
  return out;
}

}  // namespace

const std::string& RedlineContentSecurityPolicy() {
  static const std::string policy =
      "default-src 'none'; style-src 'sha256-" + trust::Base64Encode(trust::Sha256(kStyle)) +
      "'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
  return policy;
}

std::string RenderRedlineHtml(const RedlineHeader& header, const json::object& diff) {
  std::string out;
  out += "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Redline " +
         Esc(header.dossier) + " v" + std::to_string(header.from.number) + " to v" +
         std::to_string(header.to.number) + "</title><style>";
  out += kStyle;
  out += "</style></head><body>";
  out += "<h1>Redline: " + Esc(header.dossier) + "</h1><table class=\"meta\">";
  out += "<tr><td class=\"k\">tenant</td><td>" + Esc(header.tenant) + "</td></tr>";
  out += VersionLine("from", header.from) + VersionLine("to", header.to) + "</table>";

  const json::value* fields = diff.if_contains("fields");
  out += "<h2>Structured fields</h2>";
  if (!fields || !fields->is_array() || fields->as_array().empty()) {
    out += "<p class=\"none\">No structured field changed.</p>";
  } else {
    FieldTable(out, fields);
  }

  out += "<h2>Sections</h2>";
  const json::value* sections = diff.if_contains("sections");
  if (!sections || !sections->is_array() || sections->as_array().empty()) {
    out += "<p class=\"none\">No section changed.</p>";
  } else {
    out += "<table><tr><th>heading</th><th>title</th><th>change</th><th>documents</th></tr>";
    for (const auto& s : sections->as_array()) {
      if (!s.is_object()) continue;
      const json::object& section = s.as_object();
      const std::string kind = StringOf(section, "kind");
      out += "<tr><td><code>" + Esc(StringOf(section, "code")) + "</code></td><td>" +
             Esc(StringOf(section, "title")) + "</td><td class=\"" + Esc(kind) + "\">" + Esc(kind) +
             "</td><td>";
      const json::value* docs = section.if_contains("documents");
      size_t shown = 0;
      if (docs && docs->is_array()) {
        for (const auto& d : docs->as_array()) {
          if (!d.is_object()) continue;
          const json::object& doc = d.as_object();
          const std::string change = StringOf(doc, "change");
          std::string name = StringOf(doc, "fileName");
          if (name.empty()) name = StringOf(doc, "title");
          if (name.empty()) name = "(unnamed document)";
          out += std::string(shown++ ? "<br>" : "") + "<span class=\"" + Esc(change) + "\">" + Esc(change) +
                 "</span> " + Esc(name);
        }
      }
      if (shown == 0) out += "<span class=\"none\">no document changed</span>";
      out += "</td></tr>";
    }
    out += "</table>";
    // Per section: the digests of every document change and the data fields.
    for (const auto& s : sections->as_array()) {
      if (!s.is_object()) continue;
      const json::object& section = s.as_object();
      const json::value* docs = section.if_contains("documents");
      const json::value* data = section.if_contains("dataFields");
      const bool has_docs = docs && docs->is_array() && !docs->as_array().empty();
      const bool has_data = data && data->is_array() && !data->as_array().empty();
      if (!has_docs && !has_data) continue;
      out += "<h2>" + Esc(StringOf(section, "code")) + " " + Esc(StringOf(section, "title")) + "</h2>";
      if (has_docs) {
        out += "<table><tr><th>document</th><th>change</th><th>old digest</th><th>new digest</th></tr>";
        for (const auto& d : docs->as_array()) {
          if (!d.is_object()) continue;
          const json::object& doc = d.as_object();
          const std::string change = StringOf(doc, "change");
          std::string name = StringOf(doc, "fileName");
          if (name.empty()) name = StringOf(doc, "title");
          out += "<tr><td>" + Esc(name) + "</td><td class=\"" + Esc(change) + "\">" + Esc(change) +
                 "</td><td><code>" + Esc(StringOf(doc, "oldDigest")) + "</code></td><td><code>" +
                 Esc(StringOf(doc, "newDigest")) + "</code></td></tr>";
        }
        out += "</table>";
      }
      FieldTable(out, data);
    }
  }
  out += "</body></html>";
  return out;
}

}  // namespace dossier::server
