// Builds the OpenAPI 3.1 document from the route table, so that it describes
// exactly the routes the server answers.
#include <boost/json.hpp>
#include <cctype>
#include <set>

#include "server/api.h"

namespace dossier::server {
namespace json = boost::json;

namespace {

std::string OperationId(const Route& r) {
  std::string id;
  for (char c : r.method) id.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  bool upper = true;
  for (char c : r.pattern) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      id.push_back(upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c);
      upper = false;
    } else {
      upper = true;
    }
  }
  return id;
}

json::object ProblemRef(const char* description) {
  return json::object{
      {"description", description},
      {"content",
       json::object{{"application/problem+json",
                     json::object{{"schema", json::object{{"$ref", "#/components/schemas/Problem"}}}}}}}};
}

json::object SchemaRef(const std::string& name) {
  return json::object{{"$ref", "#/components/schemas/" + name}};
}

json::object QueryParameter(const QueryParam& q) {
  json::object schema{{"type", q.type}};
  if (!q.format.empty()) schema["format"] = q.format;
  if (!q.allowed.empty()) {
    json::array values;
    for (const auto& v : q.allowed) values.emplace_back(v);
    schema["enum"] = std::move(values);
  }
  json::object p{{"name", q.name}, {"in", q.in}, {"required", q.required}, {"schema", std::move(schema)}};
  if (!q.description.empty()) p["description"] = q.description;
  return p;
}

// The success answer: the route's own status or the inferred one (201 for a
// POST that creates; ":verb" actions answer 200).
std::string SuccessStatus(const Route& r) {
  if (r.success_status != 0) return std::to_string(r.success_status);
  const bool action = r.pattern.find(':', r.pattern.rfind('/')) != std::string::npos &&
                      r.pattern.find("sha256:") == std::string::npos;
  return r.method == "POST" && !action ? "201" : "200";
}

json::object SuccessResponse(const Route& r) {
  json::object ok{{"description", "Success"}};
  if (!r.response_media_type.empty()) {
    json::object schema{{"type", "string"}};
    if (r.response_media_type.find("text/") != 0) schema["format"] = "binary";
    ok["content"] = json::object{{r.response_media_type, json::object{{"schema", std::move(schema)}}}};
  } else if (!r.response_schema.empty()) {
    ok["content"] =
        json::object{{"application/json", json::object{{"schema", SchemaRef(r.response_schema)}}}};
    if (r.response_ndjson) {
      // OpenAPI has no schema for a sequence of lines: each line is one such object.
      ok["content"].as_object()["application/x-ndjson"] =
          json::object{{"schema", SchemaRef(r.response_schema)}};
      ok["description"] =
          "Success: one object, or for an input of many records application/x-ndjson, one object per line, "
          "sent as parsed (docs/CONTRACT.md)";
    }
  }
  return ok;
}

}  // namespace

std::string BuildOpenApi(const Router& router) {
  json::object paths;
  std::set<std::string> tags;
  for (const Route& route : router.routes()) {
    json::object op;
    op["operationId"] = OperationId(route);
    op["summary"] = route.summary;
    op["description"] = route.summary + ". Access: " + std::string(AccessName(route.access)) + ".";
    op["tags"] = json::array{json::value(route.tag)};
    tags.insert(route.tag);
    json::array parameters;
    for (size_t open = route.pattern.find('{'); open != std::string::npos;
         open = route.pattern.find('{', open + 1)) {
      size_t close = route.pattern.find('}', open);
      parameters.push_back(json::object{{"name", route.pattern.substr(open + 1, close - open - 1)},
                                        {"in", "path"},
                                        {"required", true},
                                        {"schema", json::object{{"type", "string"}}}});
    }
    for (const QueryParam& q : route.query) parameters.push_back(QueryParameter(q));
    if (!parameters.empty()) op["parameters"] = std::move(parameters);
    if (route.access == Access::kPublic) {
      op["security"] = json::array();
    }
    // A JSON body is described when the route names its schema or shows an
    // example; an action without a body (":withdraw") has none.
    const bool has_body = (route.method == "POST" || route.method == "PUT") &&
                          (!route.request_schema.empty() || !route.request_example.empty());
    if (route.streams_body) {
      op["requestBody"] = json::object{
          {"required", true},
          {"content",
           json::object{{"application/octet-stream",
                         json::object{{"schema", json::object{{"type", "string"}, {"format", "binary"}}}}}}}};
    } else if (has_body) {
      json::object media{{"schema", route.request_schema.empty() ? json::object{{"type", "object"}}
                                                                 : SchemaRef(route.request_schema)}};
      if (!route.request_example.empty()) {
        boost::system::error_code ec;
        json::value example = json::parse(route.request_example, ec);
        if (!ec) media["example"] = example;
      }
      op["requestBody"] = json::object{{"required", route.pattern.find(":revoke") == std::string::npos},
                                       {"content", json::object{{"application/json", std::move(media)}}}};
    }
    json::object responses;
    responses[SuccessStatus(route)] = SuccessResponse(route);
    if (route.access != Access::kPublic) {
      responses["401"] = ProblemRef("Missing or invalid credential");
      responses["403"] = ProblemRef("The caller's role may not do this");
    }
    responses["404"] = ProblemRef("Not found, or another tenant's object");
    responses["400"] = ProblemRef("Malformed request");
    if (has_body)
      responses["422"] = ProblemRef("Well-formed, but its meaning is refused (validation, signature)");
    std::string method;
    for (char c : route.method)
      method.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    json::value& slot = paths[route.pattern];
    if (!slot.is_object()) slot.emplace_object();
    json::object& path_item = slot.as_object();
    op["responses"] = std::move(responses);
    path_item[method] = std::move(op);
  }
  json::array tag_list;
  for (const auto& t : tags)
    tag_list.push_back(json::object{{"name", t}, {"description", "Routes about " + t}});

  // Every schema the families added (server/openapi_schemas.cc says which
  // are shared); a schema that does not parse is left out, which the OpenAPI
  // test reports as a dangling reference.
  json::object schemas;
  for (const auto& [name, text] : router.schemas()) {
    boost::system::error_code ec;
    json::value schema = json::parse(text, ec);
    if (!ec) schemas[name] = std::move(schema);
  }
  json::object doc{
      {"openapi", "3.1.0"},
      {"info",
       json::object{
           {"title", "Dossier Exchange API"},
           {"version", "1.0.0"},
           {"description",
            "Signed, versioned IMDRF dossiers and change plans, submissions to regulators, and "
            "reliance between regulators."},
           {"license", json::object{{"name", "Proprietary"}, {"identifier", "LicenseRef-Proprietary"}}}}},
      {"servers", json::array{json::object{{"url", "http://127.0.0.1:8080"}}}},
      {"security", json::array{json::object{{"bearer", json::array()}}}},
      {"tags", std::move(tag_list)},
      {"paths", std::move(paths)},
      {"components",
       json::object{{"securitySchemes",
                     json::object{{"bearer", json::object{{"type", "http"}, {"scheme", "bearer"}}}}},
                    {"schemas", std::move(schemas)}}}};
  return json::serialize(doc);
}

}  // namespace dossier::server
