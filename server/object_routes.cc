// Versioned, signed objects of every content kind (dossiers, change plans):
// the object, its version history, one version rendered as JSON or protobuf,
// its exact content bytes, a section diff and an offline verification bundle.
// Commits go through the core's signed-version machinery (CommitSigned).
#include <algorithm>

#include "server/api_services.h"
#include "server/bounded_cache.h"
#include "server/json_util.h"
#include "server/log_evidence.h"
#include "server/openapi_schemas.h"
#include "trust/bundle.h"
#include "trust/checkpoint.h"
#include "trust/json_forms.h"
#include "trust/log_leaf.h"

namespace dossier::server {
namespace json = boost::json;

namespace {

json::object ObjectJson(const storage::ObjectRecord& o) {
  json::object out;
  out["id"] = o.id();
  if (!o.title().empty()) out["title"] = o.title();
  if (!o.attributes_json().empty()) {
    boost::system::error_code ec;
    json::value attrs = json::parse(o.attributes_json(), ec);
    if (!ec && attrs.is_object()) {
      for (auto& [k, v] : attrs.as_object()) out[k] = v;
    }
  }
  out["headVersion"] = o.head_version();
  if (!o.head_digest().empty()) out["headDigest"] = o.head_digest();
  out["createdAt"] = FormatTime(o.created_ms());
  out["updatedAt"] = FormatTime(o.updated_ms());
  return out;
}

// "tenant/kind/id/version/format" -> the rendered body of GET …/versions/{n}
// (format "json" or "pb"), shared by every kind. A version is immutable, so
// its rendering never goes stale; only bodies up to kRenderedVersionMaxBytes
// are kept, so the cache holds at most 1024 × 64 KiB. Rendering parses the
// content and re-serialises it, which made this route 0.09× of nginx
// (PERFORMANCE.md).
using RenderedVersionCache = BoundedCache<std::shared_ptr<const std::string>>;
constexpr size_t kRenderedVersionEntries = 1024;
constexpr size_t kRenderedVersionMaxBytes = 64u << 10;

// "tenant/kind/id/version" -> the version's stored record, read by every GET of
// a version (content, metadata, bundle). A committed version is never
// rewritten or deleted, so a hot version is read from the store once instead
// of on every request (the store's point reads were a third of a network
// thread's time under a GET load: PERFORMANCE.md). A record is a few KiB (its
// envelope and log leaf), so 1024 of them stay under about 4 MB. Only what
// the store returned is cached, never a failure, and only after the request
// was authorised: the key names the tenant.
using VersionRecordCache = BoundedCache<std::shared_ptr<const storage::VersionRecord>>;
constexpr size_t kVersionRecordEntries = 1024;

// The caches every kind's routes share.
struct VersionCaches {
  RenderedVersionCache rendered{kRenderedVersionEntries};
  VersionRecordCache records{kVersionRecordEntries};
};

// The routes of one content kind.
class ObjectRoutes {
 public:
  ObjectRoutes(ApiServices& api, const ContentKind& kind, std::shared_ptr<VersionCaches> caches)
      : api_(api), store_(api.store()), kind_(kind), caches_(std::move(caches)) {}

  StatusOr<Response> CreateObject(RouteContext& c) {
    const std::string& tenant = c.Param("t");
    DOSSIER_RETURN_IF_ERROR(RequireJsonBody(c.request));
    DOSSIER_ASSIGN_OR_RETURN(json::object body, ParseJsonObject(c.request.body));
    std::vector<std::string_view> allowed = {"id", "title"};
    for (const auto& a : kind_.create_attributes) allowed.push_back(a);
    for (const auto& member : body) {
      if (std::find(allowed.begin(), allowed.end(), std::string_view(member.key())) == allowed.end()) {
        return InvalidArgument("unknown member \"" + std::string(member.key()) + "\"", "unknown-field",
                               std::string(member.key()));
      }
    }
    DOSSIER_ASSIGN_OR_RETURN(std::string id, RequiredString(body, {"id"}));
    DOSSIER_RETURN_IF_ERROR(ValidateId(id, "id"));
    DOSSIER_ASSIGN_OR_RETURN(auto title, OptionalString(body, {"title"}));
    json::object attributes;
    for (const auto& a : kind_.create_attributes) {
      DOSSIER_ASSIGN_OR_RETURN(auto value, OptionalString(body, {a}));
      if (!value) return InvalidArgument("is required", "missing-field", a);
      // Attributes name other objects of the same tenant (a change plan's dossier).
      DOSSIER_RETURN_IF_ERROR(ValidateId(*value, a));
      auto target = store_.GetObject(tenant, "dossiers", *value);
      if (!target.ok()) {
        return InvalidArgument("no dossier \"" + *value + "\" in this tenant", "unknown-reference", a);
      }
      attributes[a] = *value;
    }
    storage::ObjectRecord record;
    record.set_tenant(tenant);
    record.set_kind(kind_.collection);
    record.set_id(id);
    record.set_title(title.value_or(""));
    if (!attributes.empty()) record.set_attributes_json(json::serialize(attributes));
    DOSSIER_ASSIGN_OR_RETURN(record, store_.CreateObject(record));
    Response r = Response::Json(201, json::serialize(ObjectJson(record)));
    r.headers.emplace_back("Location", "/v1/tenants/" + tenant + "/" + kind_.collection + "/" + id);
    r.headers.emplace_back("ETag", ObjectEtag(record));
    return r;
  }

  StatusOr<Response> ListObjects(RouteContext& c) {
    DOSSIER_ASSIGN_OR_RETURN(auto page,
                             store_.ListObjects(c.Param("t"), kind_.collection, api_.PageToken(c.request),
                                                api_.PageSize(c.request)));
    json::array items;
    for (const auto& o : page.items) items.push_back(ObjectJson(o));
    json::object out;
    out[kind_.list_member] = std::move(items);
    if (!page.next_page_token.empty()) out["nextPageToken"] = page.next_page_token;
    return Response::Json(200, json::serialize(out));
  }

  StatusOr<Response> GetObject(RouteContext& c) {
    DOSSIER_ASSIGN_OR_RETURN(auto o, store_.GetObject(c.Param("t"), kind_.collection, c.Param("d")));
    const std::string etag = ObjectEtag(o);
    if (c.request.Header("if-none-match") == etag) {
      Response r;
      r.status = 304;
      r.headers.emplace_back("ETag", etag);
      return r;
    }
    Response r = Response::Json(200, json::serialize(ObjectJson(o)));
    r.headers.emplace_back("ETag", etag);
    return r;
  }

  StatusOr<Response> CommitVersion(RouteContext& c) {
    SignedCommitRequest request;
    request.tenant = c.Param("t");
    request.kind = kind_.collection;
    request.id = c.Param("d");
    request.object_name = kind_.collection + "/" + request.id;
    request.content_kind = &kind_;
    request.request = &c.request;
    DOSSIER_ASSIGN_OR_RETURN(SignedCommitResult result, api_.CommitSigned(request));
    return api_.CommitResponse(result.replayed ? 200 : 201, result.version, result.leaf_hash);
  }

  StatusOr<Response> ListVersions(RouteContext& c) {
    DOSSIER_RETURN_IF_ERROR(store_.GetObject(c.Param("t"), kind_.collection, c.Param("d")).status());
    DOSSIER_ASSIGN_OR_RETURN(auto page,
                             store_.ListVersions(c.Param("t"), kind_.collection, c.Param("d"),
                                                 api_.PageToken(c.request), api_.PageSize(c.request)));
    json::array items;
    for (const auto& v : page.items) items.push_back(api_.VersionJson(v));
    json::object out{{"versions", std::move(items)}};
    if (!page.next_page_token.empty()) out["nextPageToken"] = page.next_page_token;
    return Response::Json(200, json::serialize(out));
  }

  StatusOr<Response> GetVersion(RouteContext& c) {
    DOSSIER_ASSIGN_OR_RETURN(auto loaded, LoadVersion(c));
    const storage::VersionRecord& v = *loaded;
    std::string_view accept = c.request.Header("accept");
    const bool protobuf = accept.find("application/x-protobuf") != std::string_view::npos ||
                          accept.find(kind_.media_base + "+protobuf") != std::string_view::npos;
    auto respond = [&](std::string body) {
      Response r = protobuf ? Response() : Response::Json(200, std::move(body));
      if (protobuf) {
        r.content_type = "application/x-protobuf";
        r.body = std::move(body);
      }
      r.headers.emplace_back("ETag", "\"" + v.content_digest() + "\"");
      return r;
    };
    const std::string cache_key = VersionKey(c, v.version()) + (protobuf ? "/pb" : "/json");
    if (auto cached = caches_->rendered.Find(cache_key)) return respond(**cached);

    DOSSIER_ASSIGN_OR_RETURN(std::string content, api_.LoadContent(c.Param("t"), v));
    DOSSIER_ASSIGN_OR_RETURN(auto format, schema::FormatOfMediaType(v.media_type(), kind_.media_base));
    DOSSIER_ASSIGN_OR_RETURN(auto parsed, kind_.parse(content, format));
    std::string body;
    if (protobuf) {
      body = std::move(parsed.protobuf_bytes);
    } else {
      json::object out = api_.VersionJson(v);
      boost::system::error_code ec;
      json::value envelope = json::parse(v.envelope_json(), ec);
      out["envelope"] = ec ? json::value() : envelope;
      json::value content_json = json::parse(parsed.canonical_json, ec);
      out["content"] = ec ? json::value() : content_json;
      body = json::serialize(out);
    }
    if (body.size() <= kRenderedVersionMaxBytes) {
      caches_->rendered.Insert(cache_key, std::make_shared<const std::string>(body));
    }
    return respond(std::move(body));
  }

  StatusOr<Response> GetVersionContent(RouteContext& c) {
    DOSSIER_ASSIGN_OR_RETURN(auto loaded, LoadVersion(c));
    const storage::VersionRecord& v = *loaded;
    DOSSIER_ASSIGN_OR_RETURN(std::string content, api_.LoadContent(c.Param("t"), v));
    Response r;
    r.content_type = v.media_type();
    r.body = std::move(content);
    r.headers.emplace_back("ETag", "\"" + v.content_digest() + "\"");
    return r;
  }

  StatusOr<Response> Diff(RouteContext& c) {
    if (!kind_.diff) return InvalidArgument("this kind has no diff", "unsupported");
    auto from = c.request.Query("from");
    auto to = c.request.Query("to");
    if (!from) return InvalidArgument("is required", "missing-field", "from");
    if (!to) return InvalidArgument("is required", "missing-field", "to");
    std::string contents[2];
    std::string media[2];
    uint64_t numbers[2] = {0, 0};
    const std::string* versions[2] = {&*from, &*to};
    for (int i = 0; i < 2; ++i) {
      DOSSIER_ASSIGN_OR_RETURN(numbers[i], ParseUintParam(*versions[i], i == 0 ? "from" : "to"));
      DOSSIER_ASSIGN_OR_RETURN(auto v,
                               store_.GetVersion(c.Param("t"), kind_.collection, c.Param("d"), numbers[i]));
      DOSSIER_ASSIGN_OR_RETURN(contents[i], api_.LoadContent(c.Param("t"), v));
      media[i] = v.media_type();
    }
    DOSSIER_ASSIGN_OR_RETURN(json::object diff, kind_.diff(contents[0], media[0], contents[1], media[1]));
    diff["from"] = numbers[0];
    diff["to"] = numbers[1];
    // ?format=html|pdf: the same diff as a redline document (dossiers only).
    const std::string format = c.request.Query("format").value_or("json");
    if (format != "json") {
      if (kind_.collection != "dossiers") {
        return InvalidArgument("a redline document exists for dossiers only", "unknown-format", "format");
      }
      return RedlineResponse(api_, c.Param("t"), c.Param("d"), numbers[0], numbers[1], diff, format);
    }
    return Response::Json(200, json::serialize(diff));
  }

  // Everything needed to verify the version offline: envelope, signer key and
  // its registration leaf, both inclusion proofs, the current checkpoint.
  StatusOr<Response> Bundle(RouteContext& c) {
    DOSSIER_ASSIGN_OR_RETURN(auto loaded, LoadVersion(c));
    const storage::VersionRecord& v = *loaded;
    DOSSIER_ASSIGN_OR_RETURN(trust::Bundle bundle, VersionBundle(api_, c.Param("t"), v));
    return Response::Json(200, json::serialize(trust::BundleToJson(bundle)));
  }

 private:
  // "tenant/kind/id/version": the key of a version in both caches.
  std::string VersionKey(const RouteContext& c, uint64_t version) const {
    return c.Param("t") + "/" + kind_.collection + "/" + c.Param("d") + "/" + std::to_string(version);
  }

  StatusOr<std::shared_ptr<const storage::VersionRecord>> LoadVersion(RouteContext& c) {
    DOSSIER_ASSIGN_OR_RETURN(uint64_t n, ParseUintParam(c.Param("n"), "n"));
    return caches_->records.GetOrCompute(
        VersionKey(c, n), [&]() -> StatusOr<std::shared_ptr<const storage::VersionRecord>> {
          DOSSIER_ASSIGN_OR_RETURN(storage::VersionRecord v,
                                   store_.GetVersion(c.Param("t"), kind_.collection, c.Param("d"), n));
          return std::make_shared<const storage::VersionRecord>(std::move(v));
        });
  }

  ApiServices& api_;
  storage::Store& store_;
  const ContentKind& kind_;
  std::shared_ptr<VersionCaches> caches_;
};

void AddRoutesOfKind(ApiServices& services, const ContentKind& kind,
                     const std::shared_ptr<VersionCaches>& caches) {
  auto routes = std::make_shared<ObjectRoutes>(services, kind, caches);
  const std::string base = "/v1/tenants/{t}/" + kind.collection;
  const std::string& tag = kind.collection;
  const std::string& name = kind.schema_name;
  if (kind.message != nullptr) AddProtoSchemas(services, *kind.message);
  json::object create_properties{{"id", json::object{{"type", "string"}, {"pattern", "^[a-z0-9-]{1,64}$"}}},
                                 {"title", json::object{{"type", "string"}}}};
  json::object object_properties = create_properties;
  for (const auto& attribute : kind.create_attributes) {
    create_properties[attribute] =
        json::object{{"type", "string"}, {"description", "a dossier of this tenant"}};
    object_properties[attribute] = json::object{{"type", "string"}};
  }
  json::array create_required{"id"};
  for (const auto& attribute : kind.create_attributes) create_required.emplace_back(attribute);
  services.AddSchema(name + "Create",
                     json::serialize(json::object{{"type", "object"},
                                                  {"required", std::move(create_required)},
                                                  {"properties", std::move(create_properties)}}));
  object_properties["headVersion"] = json::object{{"type", "integer"}};
  object_properties["headDigest"] = json::object{{"type", "string"}};
  object_properties["createdAt"] = json::object{{"type", "string"}, {"format", "date-time"}};
  object_properties["updatedAt"] = json::object{{"type", "string"}, {"format", "date-time"}};
  services.AddSchema(name + "Object",
                     json::serialize(json::object{{"type", "object"},
                                                  {"required", json::array{"id", "headVersion"}},
                                                  {"properties", object_properties}}));
  services.AddSchema(
      name + "List",
      json::serialize(json::object{
          {"type", "object"},
          {"required", json::array{json::value(kind.list_member)}},
          {"properties", json::object{{kind.list_member,
                                       json::object{{"type", "array"},
                                                    {"items", json::object{{"$ref", "#/components/schemas/" +
                                                                                        name + "Object"}}}}},
                                      {"nextPageToken", json::object{{"type", "string"}}}}}}));
  const std::string content_ref =
      kind.message != nullptr ? "#/components/schemas/" + kind.message->full_name() : std::string();
  services.AddSchema(
      name + "Version",
      json::serialize(json::object{
          {"allOf",
           json::array{
               json::object{{"$ref", "#/components/schemas/Version"}},
               json::object{
                   {"type", "object"},
                   {"properties",
                    json::object{
                        {"envelope", json::object{{"$ref", "#/components/schemas/DsseEnvelope"}}},
                        // A submission's content and change plan name the object they are a version of.
                        {"object", json::object{{"type", "string"}}},
                        {"content", content_ref.empty() ? json::object{{"type", "object"}}
                                                        : json::object{{"$ref", content_ref}}}}}}}}}));
  services.AddRoute({.method = "POST",
                     .pattern = base,
                     .access = Access::kTenantEditor,
                     .summary = "Create " + kind.singular,
                     .tag = tag,
                     .handler = Bind(routes, &ObjectRoutes::CreateObject),
                     .request_example = kind.create_example,
                     .request_schema = name + "Create",
                     .response_schema = name + "Object"});
  services.AddRoute({.method = "GET",
                     .pattern = base,
                     .access = Access::kTenantViewer,
                     .summary = "List " + kind.collection,
                     .tag = tag,
                     .handler = Bind(routes, &ObjectRoutes::ListObjects),
                     .response_schema = name + "List",
                     .query = PagingQuery()});
  services.AddRoute({.method = "GET",
                     .pattern = base + "/{d}",
                     .access = Access::kTenantViewer,
                     .summary = "Get " + kind.singular + " (head, ETag)",
                     .tag = tag,
                     .handler = Bind(routes, &ObjectRoutes::GetObject),
                     .answers_inline = true,
                     .response_schema = name + "Object"});
  services.AddRoute(
      {.method = "POST",
       .pattern = base + "/{d}/versions",
       .access = Access::kTenantEditor,
       .summary = "Commit a signed version",
       .tag = tag,
       .handler = Bind(routes, &ObjectRoutes::CommitVersion),
       // The shape of a commit; its signature cannot be valid in a static
       // example (the statement names the parent, which changes).
       .request_example =
           R"({"contentDigest":"sha256:9f2c1d8e4b7a6c5d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d","mediaType":")" +
           kind.media_base +
           R"(+json","envelope":{"payloadType":"application/vnd.dossier.statement.v1+json","payload":"eyJ0ZW5hbnQiOiJhY21lIn0=","signatures":[{"keyid":"5f1e","sig":"c2lnbmF0dXJl"}]}})",
       .request_schema = schemas::kCommitRequest,
       .response_schema = schemas::kCommitted,
       .query = IdempotencyKeyHeader()});
  services.AddRoute({.method = "GET",
                     .pattern = base + "/{d}/versions",
                     .access = Access::kTenantViewer,
                     .summary = "Version history",
                     .tag = tag,
                     .handler = Bind(routes, &ObjectRoutes::ListVersions),
                     .response_schema = schemas::kVersionList,
                     .query = PagingQuery()});
  services.AddRoute({.method = "GET",
                     .pattern = base + "/{d}/versions/{n}",
                     .access = Access::kTenantViewer,
                     .summary = "One version (JSON, or protobuf by Accept)",
                     .tag = tag,
                     .handler = Bind(routes, &ObjectRoutes::GetVersion),
                     .answers_inline = true,
                     .response_schema = name + "Version"});
  services.AddRoute({.method = "GET",
                     .pattern = base + "/{d}/versions/{n}/content",
                     .access = Access::kTenantViewer,
                     .summary = "The content bytes exactly as signed",
                     .tag = tag,
                     .handler = Bind(routes, &ObjectRoutes::GetVersionContent),
                     .answers_inline = true,
                     .response_media_type = kind.media_base + "+json"});
  services.AddRoute({.method = "GET",
                     .pattern = base + "/{d}/versions/{n}/bundle",
                     .access = Access::kTenantViewer,
                     .summary = "Offline verification bundle",
                     .tag = tag,
                     .handler = Bind(routes, &ObjectRoutes::Bundle),
                     .response_schema = schemas::kBundle});
  if (kind.diff) {
    services.AddRoute(
        {.method = "GET",
         .pattern = base + "/{d}/diff",
         .access = Access::kTenantViewer,
         .summary = "Section-level differences between two versions",
         .tag = tag,
         .handler = Bind(routes, &ObjectRoutes::Diff),
         .response_schema = "SectionDiff",
         .query = {{.name = "from", .description = "version number", .type = "integer", .required = true},
                   {.name = "to", .description = "version number", .type = "integer", .required = true}}});
  }
}

}  // namespace

StatusOr<trust::Bundle> VersionBundle(ApiServices& api, const std::string& tenant,
                                      const storage::VersionRecord& v) {
  DOSSIER_ASSIGN_OR_RETURN(std::string note, api.CurrentCheckpoint());
  DOSSIER_ASSIGN_OR_RETURN(trust::Checkpoint checkpoint,
                           trust::OpenCheckpoint(note, api.LogOrigin(), api.LogPublicKey()));
  return VersionBundle(api.store(), tenant, v, note, checkpoint.tree_size);
}

void AddObjectRoutes(ApiServices& services) {
  auto caches = std::make_shared<VersionCaches>();
  for (const ContentKind& kind : services.ContentKinds()) AddRoutesOfKind(services, kind, caches);
}

}  // namespace dossier::server
