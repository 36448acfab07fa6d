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
    for (const QueryParam& q : route.query) {
      json::object schema{{"type", "string"}};
      if (!q.format.empty()) schema["format"] = q.format;
      parameters.push_back(json::object{{"name", q.name},
                                        {"in", "query"},
                                        {"required", false},
                                        {"description", q.description},
                                        {"schema", std::move(schema)}});
    }
    if (!parameters.empty()) op["parameters"] = std::move(parameters);
    if (route.access == Access::kPublic) {
      op["security"] = json::array();
    }
    if (route.streams_body) {
      op["requestBody"] = json::object{
          {"required", true},
          {"content",
           json::object{{"application/octet-stream",
                         json::object{{"schema", json::object{{"type", "string"}, {"format", "binary"}}}}}}}};
    } else if (route.method == "POST" || route.method == "PUT") {
      json::object media{{"schema", json::object{{"type", "object"}}}};
      if (!route.request_example.empty()) {
        boost::system::error_code ec;
        json::value example = json::parse(route.request_example, ec);
        if (!ec) media["example"] = example;
      }
      op["requestBody"] = json::object{{"required", route.pattern.find(":revoke") == std::string::npos},
                                       {"content", json::object{{"application/json", std::move(media)}}}};
    }
    json::object responses;
    const char* ok =
        route.method == "POST" && route.pattern.find(":revoke") == std::string::npos ? "201" : "200";
    responses[ok] = json::object{{"description", "Success"}};
    if (route.access != Access::kPublic) {
      responses["401"] = ProblemRef("Missing or invalid credential");
      responses["403"] = ProblemRef("The caller's role may not do this");
    }
    responses["404"] = ProblemRef("Not found, or another tenant's object");
    responses["400"] = ProblemRef("Malformed request");
    json::value& slot = paths[route.pattern];
    if (!slot.is_object()) slot.emplace_object();
    json::object& path_item = slot.as_object();
    std::string method;
    for (char c : route.method)
      method.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    op["responses"] = std::move(responses);
    path_item[method] = std::move(op);
  }
  json::array tag_list;
  for (const auto& t : tags)
    tag_list.push_back(json::object{{"name", t}, {"description", "Routes about " + t}});

  json::object problem_schema{{"type", "object"},
                              {"required", json::array{"type", "title", "status", "code"}},
                              {"properties", json::object{{"type", json::object{{"type", "string"}}},
                                                          {"title", json::object{{"type", "string"}}},
                                                          {"status", json::object{{"type", "integer"}}},
                                                          {"detail", json::object{{"type", "string"}}},
                                                          {"code", json::object{{"type", "string"}}},
                                                          {"field", json::object{{"type", "string"}}},
                                                          {"instance", json::object{{"type", "string"}}}}}};
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
                    {"schemas", json::object{{"Problem", std::move(problem_schema)}}}}}};
  return json::serialize(doc);
}

}  // namespace dossier::server
