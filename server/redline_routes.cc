// Redlines (issue 16 item 4): the section diff of two dossier versions as a
// document (HTML, PDF; the JSON is the diff route's own answer), and the
// response package a manufacturer sends back to an agency: the reply letter,
// the redline (JSON and PDF), every added or replaced document, and what it
// takes to verify all of it against the signed versions offline.
//
// The diff route itself stays in object_routes.cc (GET …/dossiers/{d}/diff);
// it hands ?format=html|pdf to RedlineResponse here.
#include <set>

#include "schema/diff.h"
#include "schema/dossier_codec.h"
#include "schema/translate/package.h"
#include "schema/translate/zip.h"
#include "server/api_services.h"
#include "server/json_util.h"
#include "server/pdf_render.h"
#include "server/redline.h"
#include "trust/bundle.h"
#include "trust/json_forms.h"

namespace dossier::server {
namespace json = boost::json;

namespace {

constexpr std::string_view kDossierBase = "application/vnd.dossier.v1";

struct LoadedVersion {
  storage::VersionRecord record;
  std::string content;
  v1::Dossier dossier;
};

StatusOr<LoadedVersion> LoadVersion(ApiServices& api, const std::string& tenant, const std::string& dossier,
                                    uint64_t n, std::string_view field) {
  auto record = api.store().GetVersion(tenant, "dossiers", dossier, n);
  if (!record.ok()) {
    if (record.status().code() == StatusCode::kNotFound) {
      return InvalidArgument("dossier " + dossier + " has no version " + std::to_string(n), "unknown-version",
                             std::string(field));
    }
    return record.status();
  }
  LoadedVersion out{*record, "", {}};
  DOSSIER_ASSIGN_OR_RETURN(out.content, api.LoadContent(tenant, out.record));
  DOSSIER_ASSIGN_OR_RETURN(auto format, schema::FormatOfMediaType(out.record.media_type(), kDossierBase));
  DOSSIER_ASSIGN_OR_RETURN(out.dossier, schema::ParseDossier(out.content, format));
  return out;
}

RedlineVersion Describe(const LoadedVersion& v) {
  return RedlineVersion{v.record.version(), v.record.content_digest(), FormatTime(v.record.created_ms()),
                        v.record.signer_key_id(), v.dossier.device().trade_name()};
}

std::string RedlineHtml(const std::string& tenant, const std::string& dossier, const LoadedVersion& from,
                        const LoadedVersion& to, const json::object& diff) {
  return RenderRedlineHtml(RedlineHeader{tenant, dossier, Describe(from), Describe(to)}, diff);
}

PdfRenderOptions PdfOptions(ApiServices& api) {
  return PdfRenderOptions{api.options().pdf_renderer, api.options().pdf_timeout, api.store().StagingDir()};
}

// A reply letter's file name: one path segment a ZIP reader and a file system
// both take as it is.
Status CheckFileName(std::string_view name, std::string_view field) {
  if (name.empty() || name.size() > 128 || name == "." || name == ".." ||
      name.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._- ") !=
          std::string_view::npos) {
    return InvalidArgument("must be a file name of letters, digits, space, '.', '_' or '-' (at most 128)",
                           "bad-file-name", std::string(field));
  }
  return Status::Ok();
}

// A document's entry name inside the package: its section folder and its file
// name when that is a safe single segment, else its digest.
std::string DocumentEntry(const std::string& code, const std::string& file_name, const std::string& digest) {
  const bool usable = CheckFileName(file_name, "fileName").ok();
  return "documents/" + code + "/" + (usable ? file_name : digest.substr(digest.find(':') + 1));
}

class RedlineRoutes {
 public:
  explicit RedlineRoutes(ApiServices& api) : api_(api) {}

  void Register(const std::shared_ptr<RedlineRoutes>& self) {
    api_.AddRoute(
        {.method = "POST",
         .pattern = "/v1/tenants/{t}/dossiers/{d}/response-package",
         .access = Access::kTenantViewer,
         .summary = "A response package (ZIP): reply letter, redline JSON+PDF, changed documents, signed "
                    "versions' bundles and a manifest of digests",
         .tag = "dossiers",
         .handler = Bind(self, &RedlineRoutes::ResponsePackage),
         .request_example =
             R"({"from":1,"to":2,"replyLetter":"sha256:4c1d8e4b7a6c5d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9f","replyLetterName":"response-to-AI-request.pdf"})",
         .request_schema = "ResponsePackageCreate",
         .response_media_type = "application/zip"});
  }

  StatusOr<Response> ResponsePackage(RouteContext& c) {
    const std::string& tenant = c.Param("t");
    const std::string& dossier = c.Param("d");
    DOSSIER_RETURN_IF_ERROR(RequireJsonBody(c.request));
    DOSSIER_ASSIGN_OR_RETURN(json::object body, ParseJsonObject(c.request.body));
    DOSSIER_RETURN_IF_ERROR(RejectUnknownMembers(body, {"from", "to", "replyLetter", "replyLetterName"}));
    DOSSIER_ASSIGN_OR_RETURN(auto from_n, OptionalUint(body, {"from"}));
    DOSSIER_ASSIGN_OR_RETURN(auto to_n, OptionalUint(body, {"to"}));
    if (!from_n || *from_n == 0) return InvalidArgument("is required (>= 1)", "missing-field", "from");
    if (!to_n || *to_n == 0) return InvalidArgument("is required (>= 1)", "missing-field", "to");
    DOSSIER_ASSIGN_OR_RETURN(std::string letter, RequiredString(body, {"replyLetter"}));
    DOSSIER_ASSIGN_OR_RETURN(std::string letter_name, RequiredString(body, {"replyLetterName"}));
    DOSSIER_RETURN_IF_ERROR(CheckFileName(letter_name, "replyLetterName"));
    DOSSIER_RETURN_IF_ERROR(api_.store().GetObject(tenant, "dossiers", dossier).status());
    DOSSIER_ASSIGN_OR_RETURN(LoadedVersion from, LoadVersion(api_, tenant, dossier, *from_n, "from"));
    DOSSIER_ASSIGN_OR_RETURN(LoadedVersion to, LoadVersion(api_, tenant, dossier, *to_n, "to"));
    auto letter_bytes = api_.store().ReadBlob(tenant, letter, api_.options().max_blob_bytes);
    if (!letter_bytes.ok()) {
      if (letter_bytes.status().code() == StatusCode::kNotFound ||
          letter_bytes.status().code() == StatusCode::kInvalidArgument) {
        return InvalidArgument("no uploaded blob " + letter + " in this tenant", "unknown-blob",
                               "replyLetter");
      }
      return letter_bytes.status();
    }

    json::object diff = schema::DiffToJson(schema::DiffDossiers(from.dossier, to.dossier));
    diff["from"] = *from_n;
    diff["to"] = *to_n;
    const std::string redline_json = translate::PrettyJson(diff);
    DOSSIER_ASSIGN_OR_RETURN(std::string pdf,
                             RenderPdf(RedlineHtml(tenant, dossier, from, to, diff), PdfOptions(api_)));

    translate::ZipWriter zip;
    json::array files;
    auto add = [&](const std::string& path, std::string_view bytes, std::string_view role,
                   json::object extra = {}) {
      extra["path"] = path;
      extra["sha256"] = translate::Sha256Digest(bytes);
      extra["size"] = bytes.size();
      extra["role"] = role;
      files.push_back(std::move(extra));
      zip.Add(path, bytes);
    };
    add("reply/" + letter_name, *letter_bytes, "reply-letter");
    add("redline/redline.json", redline_json, "redline");
    add("redline/redline.pdf", pdf, "redline-pdf");
    // Every added or replaced document, as the newer version names it; the
    // newer version's signed content lists each digest.
    std::set<std::string> written;
    for (const v1::Section& section : to.dossier.sections()) {
      for (const auto& change : diff.at("sections").as_array()) {
        if (change.at("code").as_string() != section.code()) continue;
        for (const auto& doc : change.at("documents").as_array()) {
          const json::object& d = doc.as_object();
          if (!d.contains("newDigest")) continue;
          const std::string digest(d.at("newDigest").as_string());
          const std::string name = d.contains("fileName") ? std::string(d.at("fileName").as_string()) : "";
          const std::string path = DocumentEntry(section.code(), name, digest);
          if (!written.insert(path).second) continue;
          DOSSIER_ASSIGN_OR_RETURN(std::string bytes,
                                   api_.store().ReadBlob(tenant, digest, api_.options().max_blob_bytes));
          add(path, bytes, "document",
              json::object{{"section", section.code()}, {"digest", digest}, {"signedIn", "to"}});
        }
      }
    }
    // The signed versions: exact content bytes and offline bundles.
    json::object versions;
    for (const LoadedVersion* v : {&from, &to}) {
      const std::string stem = "versions/v" + std::to_string(v->record.version());
      add(stem + ".content" +
              (v->record.media_type().find("protobuf") != std::string::npos ? ".pb" : ".json"),
          v->content, "signed-content");
      DOSSIER_ASSIGN_OR_RETURN(trust::Bundle bundle, VersionBundle(api_, tenant, v->record));
      add(stem + ".bundle.json", json::serialize(trust::BundleToJson(bundle)), "bundle");
      versions[v == &from ? "from" : "to"] = json::object{{"version", v->record.version()},
                                                          {"contentDigest", v->record.content_digest()},
                                                          {"mediaType", v->record.media_type()},
                                                          {"logIndex", v->record.log_index()},
                                                          {"signerKeyId", v->record.signer_key_id()}};
    }
    json::object manifest{{"format", "dossier-response-package.v1"},
                          {"tenant", tenant},
                          {"dossier", dossier},
                          {"versions", std::move(versions)},
                          {"files", std::move(files)}};
    zip.Add("manifest.json", translate::PrettyJson(manifest));

    Response r;
    r.content_type = "application/zip";
    r.body = zip.Finish();
    r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + dossier + "-response-v" +
                                                      std::to_string(*from_n) + "-v" + std::to_string(*to_n) +
                                                      ".zip\"");
    return r;
  }

 private:
  ApiServices& api_;
};

}  // namespace

StatusOr<Response> RedlineResponse(ApiServices& api, const std::string& tenant, const std::string& dossier,
                                   uint64_t from_n, uint64_t to_n, const json::object& diff,
                                   std::string_view format) {
  if (format != "html" && format != "pdf") {
    return InvalidArgument("must be json, html or pdf", "unknown-format", "format");
  }
  DOSSIER_ASSIGN_OR_RETURN(LoadedVersion from, LoadVersion(api, tenant, dossier, from_n, "from"));
  DOSSIER_ASSIGN_OR_RETURN(LoadedVersion to, LoadVersion(api, tenant, dossier, to_n, "to"));
  std::string html = RedlineHtml(tenant, dossier, from, to, diff);
  Response r;
  r.headers.emplace_back("Content-Security-Policy", RedlineContentSecurityPolicy());
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  if (format == "html") {
    r.content_type = "text/html; charset=utf-8";
    r.body = std::move(html);
    return r;
  }
  DOSSIER_ASSIGN_OR_RETURN(r.body, RenderPdf(html, PdfOptions(api)));
  r.content_type = "application/pdf";
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + dossier + "-redline-v" +
                                                    std::to_string(from_n) + "-v" + std::to_string(to_n) +
                                                    ".pdf\"");
  return r;
}

void AddRedlineRoutes(ApiServices& services) {
  services.AddSchema("ResponsePackageCreate",
                     R"json({"type":"object","required":["replyLetter","replyLetterName"],
    "additionalProperties":false,
    "properties":{"from":{"type":"integer","minimum":1},"to":{"type":"integer","minimum":1},
      "replyLetter":{"type":"string","description":"digest of the uploaded reply letter (PUT …/blobs)"},
      "replyLetterName":{"type":"string"}}})json");
  auto routes = std::make_shared<RedlineRoutes>(services);
  routes->Register(routes);
}

}  // namespace dossier::server
