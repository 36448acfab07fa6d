#include "tests/support/json_schema.h"

#include <cmath>
#include <regex>
#include <set>

namespace dossier::testing {
namespace json = boost::json;

namespace {

const json::value* Resolve(const json::value& root, const std::string& ref) {
  if (ref.rfind("#/", 0) != 0) return nullptr;
  const json::value* at = &root;
  size_t start = 2;
  while (at != nullptr && start <= ref.size()) {
    size_t end = ref.find('/', start);
    if (end == std::string::npos) end = ref.size();
    const std::string token = ref.substr(start, end - start);
    at = at->is_object() ? at->as_object().if_contains(token) : nullptr;
    start = end + 1;
  }
  return at;
}

bool HasType(const json::value& v, std::string_view type) {
  if (type == "object") return v.is_object();
  if (type == "array") return v.is_array();
  if (type == "string") return v.is_string();
  if (type == "boolean") return v.is_bool();
  if (type == "null") return v.is_null();
  if (type == "number") return v.is_number();
  if (type == "integer") {
    if (v.is_int64() || v.is_uint64()) return true;
    return v.is_double() && std::floor(v.as_double()) == v.as_double();
  }
  return false;
}

double Number(const json::value& v) { return v.to_number<double>(); }

using Names = std::set<std::string, std::less<>>;

class Validator {
 public:
  Validator(const json::value& root, bool closed) : root_(root), closed_(closed) {}

  // `declared_beside`: member names that schemas applying to the same value
  // (allOf siblings, the schema holding a $ref) declare; in closed mode those
  // are not undeclared members of this one.
  void Check(const json::value& v, const json::value& schema, const std::string& path, int depth = 0,
             const Names* declared_beside = nullptr) {
    const auto fail = [&](const std::string& why) {
      errors.push_back((path.empty() ? "(root)" : path) + ": " + why);
    };
    if (depth > 64) return fail("schema nesting too deep (a $ref loop?)");
    if (schema.is_bool()) {
      if (!schema.as_bool()) fail("no value is allowed here");
      return;
    }
    if (!schema.is_object()) return fail("the schema is not an object");
    const json::object& s = schema.as_object();
    Names declared;
    if (closed_ && v.is_object()) {
      declared = DeclaredNames(schema, depth);
      if (declared_beside) declared.insert(declared_beside->begin(), declared_beside->end());
    }
    if (const json::value* ref = s.if_contains("$ref")) {
      const json::value* target = ref->is_string() ? Resolve(root_, std::string(ref->as_string())) : nullptr;
      if (target == nullptr) return fail("unresolved $ref " + json::serialize(*ref));
      Check(v, *target, path, depth + 1, &declared);
    }
    if (const json::value* type = s.if_contains("type")) {
      bool ok = false;
      if (type->is_string()) ok = HasType(v, type->as_string());
      if (type->is_array())
        for (const auto& t : type->as_array()) ok = ok || (t.is_string() && HasType(v, t.as_string()));
      if (!ok)
        return fail("is " + json::serialize(v).substr(0, 60) + ", not of type " + json::serialize(*type));
    }
    if (const json::value* values = s.if_contains("enum"); values && values->is_array()) {
      bool found = false;
      for (const auto& e : values->as_array()) found = found || e == v;
      if (!found) fail("is not one of " + json::serialize(*values));
    }
    if (const json::value* c = s.if_contains("const"); c && *c != v) fail("is not " + json::serialize(*c));
    for (const char* key : {"allOf", "anyOf", "oneOf"}) {
      const json::value* list = s.if_contains(key);
      if (!list || !list->is_array()) continue;
      size_t passing = 0;
      std::vector<std::string> all;
      for (const auto& sub : list->as_array()) {
        Validator inner(root_, closed_);
        // Only allOf branches describe the value together.
        inner.Check(v, sub, path, depth + 1, std::string_view(key) == "allOf" ? &declared : nullptr);
        if (inner.errors.empty()) ++passing;
        all.insert(all.end(), inner.errors.begin(), inner.errors.end());
      }
      if (std::string_view(key) == "allOf" && passing != list->as_array().size())
        errors.insert(errors.end(), all.begin(), all.end());
      if (std::string_view(key) == "anyOf" && passing == 0) fail("matches none of anyOf");
      if (std::string_view(key) == "oneOf" && passing != 1)
        fail("matches " + std::to_string(passing) + " of oneOf, not exactly one");
    }
    if (const json::value* n = s.if_contains("not")) {
      Validator inner(root_, closed_);
      inner.Check(v, *n, path, depth + 1);
      if (inner.errors.empty()) fail("matches a schema it must not (" + json::serialize(*n) + ")");
    }
    if (v.is_object()) CheckObject(v.as_object(), s, path, depth, declared);
    if (v.is_array()) CheckArray(v.as_array(), s, path, depth);
    if (v.is_string()) CheckString(std::string(v.as_string()), s, fail);
    if (v.is_number()) CheckNumber(Number(v), s, fail);
  }

  std::vector<std::string> errors;

 private:
  // The member names `schema` declares for the value it applies to: its
  // properties, its $ref target's and its allOf branches' (not anyOf/oneOf:
  // only one of those need hold).
  Names DeclaredNames(const json::value& schema, int depth) const {
    Names names;
    if (depth > 64 || !schema.is_object()) return names;
    const json::object& s = schema.as_object();
    if (const json::value* p = s.if_contains("properties"); p && p->is_object())
      for (const auto& [name, unused] : p->as_object()) names.emplace(name);
    if (const json::value* ref = s.if_contains("$ref"); ref && ref->is_string()) {
      if (const json::value* target = Resolve(root_, std::string(ref->as_string())))
        names.merge(DeclaredNames(*target, depth + 1));
    }
    if (const json::value* all = s.if_contains("allOf"); all && all->is_array())
      for (const auto& sub : all->as_array()) names.merge(DeclaredNames(sub, depth + 1));
    return names;
  }

  // Whether `s` says anything of an object's members (closed mode refuses an
  // object schema that describes none: "type":"object" alone is no contract).
  bool DescribesMembers(const json::object& s) const {
    for (const char* key :
         {"properties", "additionalProperties", "required", "$ref", "allOf", "anyOf", "oneOf"})
      if (s.contains(key)) return true;
    return false;
  }

  void CheckObject(const json::object& o, const json::object& s, const std::string& path, int depth,
                   const Names& declared) {
    const std::string prefix = path.empty() ? "" : path + ".";
    if (const json::value* required = s.if_contains("required"); required && required->is_array()) {
      for (const auto& name : required->as_array()) {
        if (name.is_string() && !o.contains(name.as_string()))
          errors.push_back((path.empty() ? "(root)" : path) + ": member \"" + std::string(name.as_string()) +
                           "\" is required");
      }
    }
    const json::value* properties = s.if_contains("properties");
    const json::value* additional = s.if_contains("additionalProperties");
    if (closed_ && !DescribesMembers(s) && s.contains("type")) {
      errors.push_back((path.empty() ? "(root)" : path) +
                       ": the schema says only \"type\":\"object\"; declare its properties, or "
                       "additionalProperties for a free-form map");
    }
    for (const auto& [key, value] : o) {
      const json::value* property =
          properties && properties->is_object() ? properties->as_object().if_contains(key) : nullptr;
      if (property) {
        Check(value, *property, prefix + std::string(key), depth + 1);
      } else if (closed_ && properties && !additional && !declared.count(key)) {
        errors.push_back(prefix + std::string(key) + ": served, but the schema does not declare it");
      } else if (additional) {
        if (additional->is_bool() && !additional->as_bool()) {
          errors.push_back(prefix + std::string(key) + ": member is not allowed");
        } else {
          Check(value, *additional, prefix + std::string(key), depth + 1);
        }
      }
    }
  }

  void CheckArray(const json::array& a, const json::object& s, const std::string& path, int depth) {
    if (const json::value* min = s.if_contains("minItems"); min && a.size() < Number(*min))
      errors.push_back(path + ": fewer than " + json::serialize(*min) + " items");
    if (const json::value* max = s.if_contains("maxItems"); max && a.size() > Number(*max))
      errors.push_back(path + ": more than " + json::serialize(*max) + " items");
    if (const json::value* items = s.if_contains("items")) {
      for (size_t i = 0; i < a.size(); ++i)
        Check(a[i], *items, path + "[" + std::to_string(i) + "]", depth + 1);
    }
  }

  template <typename Fail>
  void CheckString(const std::string& text, const json::object& s, const Fail& fail) {
    if (const json::value* min = s.if_contains("minLength"); min && text.size() < Number(*min))
      fail("is shorter than " + json::serialize(*min));
    if (const json::value* pattern = s.if_contains("pattern"); pattern && pattern->is_string()) {
      if (!std::regex_search(text, std::regex(std::string(pattern->as_string()), std::regex::ECMAScript)))
        fail("\"" + text.substr(0, 40) + "\" does not match " + std::string(pattern->as_string()));
    }
  }

  template <typename Fail>
  void CheckNumber(double x, const json::object& s, const Fail& fail) {
    if (const json::value* m = s.if_contains("minimum"); m && x < Number(*m))
      fail("is below " + json::serialize(*m));
    if (const json::value* m = s.if_contains("maximum"); m && x > Number(*m))
      fail("is above " + json::serialize(*m));
    if (const json::value* m = s.if_contains("exclusiveMinimum"); m && m->is_number() && x <= Number(*m))
      fail("is not above " + json::serialize(*m));
    if (const json::value* m = s.if_contains("exclusiveMaximum"); m && m->is_number() && x >= Number(*m))
      fail("is not below " + json::serialize(*m));
  }

  const json::value& root_;
  const bool closed_;
};

}  // namespace

std::vector<std::string> ValidateJsonSchema(const json::value& instance, const json::value& schema,
                                            const json::value& root) {
  Validator validator(root, /*closed=*/false);
  validator.Check(instance, schema, "");
  return validator.errors;
}

std::vector<std::string> ValidateServedJson(const json::value& instance, const json::value& schema,
                                            const json::value& root) {
  Validator validator(root, /*closed=*/true);
  validator.Check(instance, schema, "");
  return validator.errors;
}

}  // namespace dossier::testing
