#include "schema/golden/pattern.h"

#include <algorithm>
#include <set>

#include "common/strings.h"

namespace dossier::golden {
namespace {

namespace json = boost::json;

const std::set<std::string, std::less<>>& Operators() {
  static const std::set<std::string, std::less<>> kOps = {"$contains", "$not", "$anyOf", "$allOf",
                                                          "$absent",   "$has", "$none",  "$every"};
  return kOps;
}

// The operator of an operator object ({"$op": arg}), or "" for a plain object.
std::string OperatorOf(const json::value& pattern) {
  if (!pattern.is_object() || pattern.as_object().size() != 1) return "";
  const std::string key(pattern.as_object().begin()->key());
  return !key.empty() && key[0] == '$' ? key : "";
}

// About 160 characters around the first case-insensitive occurrence of `needle`.
std::string Excerpt(std::string_view text, std::string_view needle) {
  const size_t at = AsciiLower(text).find(AsciiLower(needle));
  if (at == std::string::npos) return "";
  const size_t from = at > 80 ? at - 80 : 0;
  std::string out = (from > 0 ? "..." : "") + std::string(text.substr(from, needle.size() + 160)) + "...";
  std::replace(out.begin(), out.end(), '\n', ' ');
  return out;
}

bool ScalarEquals(const json::value& a, const json::value& b) {
  if (a.is_number() && b.is_number()) return a.to_number<double>() == b.to_number<double>();
  return a == b;
}

bool Matches(const json::value& pattern, const json::value& actual) {
  return Mismatches(pattern, actual).empty();
}

class Matcher {
 public:
  std::vector<std::string> out;

  void Match(const json::value& p, const json::value& a, const std::string& path) {
    const std::string op = OperatorOf(p);
    if (!op.empty()) return MatchOperator(op, p.as_object().begin()->value(), a, path);
    if (p.is_object()) return MatchObject(p.as_object(), a, path);
    if (p.is_array()) return MatchArray(p.as_array(), a, path);
    if (!ScalarEquals(p, a)) Fail(path, "expected " + Brief(p, 200) + ", got " + Brief(a, 300));
  }

 private:
  void Fail(const std::string& path, const std::string& what) {
    out.push_back((path.empty() ? std::string("(answer)") : path) + ": " + what);
  }

  void MatchObject(const json::object& p, const json::value& a, const std::string& path) {
    if (!a.is_object()) return Fail(path, "expected an object, got " + Brief(a, 200));
    for (const auto& member : p) {
      const std::string sub =
          path.empty() ? std::string(member.key()) : path + "." + std::string(member.key());
      const json::value* v = a.as_object().if_contains(member.key());
      const std::string op = OperatorOf(member.value());
      if (op == "$absent") {
        if (v != nullptr && !v->is_null()) Fail(sub, "expected no value, got " + Brief(*v, 200));
        continue;
      }
      if (v == nullptr && op == "$none") continue;
      if (v == nullptr && op == "$not") {
        // A missing member cannot match the negated pattern unless that
        // pattern needs the member; treat "missing" as null.
        Match(member.value(), json::value(nullptr), sub);
        continue;
      }
      if (v == nullptr) {
        Fail(sub,
             "missing (expected " + Brief(member.value(), 200) + "); the answer there is " + Brief(a, 500));
        continue;
      }
      Match(member.value(), *v, sub);
    }
  }

  void MatchArray(const json::array& p, const json::value& a, const std::string& path) {
    if (!a.is_array() || a.as_array().size() != p.size())
      return Fail(path, "expected " + Brief(json::value(p), 200) + ", got " + Brief(a, 300));
    for (size_t i = 0; i < p.size(); ++i) Match(p[i], a.as_array()[i], path + "[" + std::to_string(i) + "]");
  }

  // Elements that share at least one scalar member with the pattern: shown
  // when nothing matches, so a reader sees what the code said instead.
  static std::string Near(const json::value& p, const json::array& elements) {
    if (!p.is_object()) return "";
    std::string near;
    int shown = 0;
    for (const auto& e : elements) {
      if (!e.is_object() || shown >= 3) continue;
      for (const auto& m : p.as_object()) {
        const json::value* v = e.as_object().if_contains(m.key());
        if (v && (m.value().is_string() || m.value().is_number()) && ScalarEquals(m.value(), *v)) {
          near += "\n      near: " + Brief(e, 500);
          ++shown;
          break;
        }
      }
    }
    return near;
  }

  void MatchOperator(const std::string& op, const json::value& arg, const json::value& a,
                     const std::string& path) {
    if (op == "$contains") {
      const std::string want = AsciiLower(arg.as_string());
      auto has = [&](const json::value& v) {
        return v.is_string() && AsciiLower(v.as_string()).find(want) != std::string::npos;
      };
      if (has(a)) return;
      if (a.is_array() && std::any_of(a.as_array().begin(), a.as_array().end(), has)) return;
      return Fail(path,
                  "expected text containing \"" + std::string(arg.as_string()) + "\", got " + Brief(a, 400));
    }
    if (op == "$not") {
      if (!Matches(arg, a)) return;
      // For a forbidden text, show where it occurs rather than the start of a long document.
      if (OperatorOf(arg) == "$contains" && a.is_string()) {
        return Fail(path, "expected no text containing \"" +
                              std::string(arg.as_object().begin()->value().as_string()) + "\", found: " +
                              Excerpt(a.as_string(), arg.as_object().begin()->value().as_string()));
      }
      return Fail(path, "expected not " + Brief(arg, 200) + ", got " + Brief(a, 300));
    }
    if (op == "$anyOf") {
      for (const auto& alt : arg.as_array()) {
        if (Matches(alt, a)) return;
      }
      return Fail(path, "matches none of " + Brief(arg, 300) + "; got " + Brief(a, 300));
    }
    if (op == "$allOf") {
      for (const auto& each : arg.as_array()) Match(each, a, path);
      return;
    }
    if (op == "$absent") {
      if (!a.is_null()) Fail(path, "expected no value, got " + Brief(a, 200));
      return;
    }
    if (!a.is_array()) return Fail(path, "expected an array, got " + Brief(a, 200));
    const json::array& elements = a.as_array();
    if (op == "$has") {
      for (const auto& e : elements) {
        if (Matches(arg, e)) return;
      }
      return Fail(path, "no element of " + std::to_string(elements.size()) + " matches " + Brief(arg, 300) +
                            Near(arg, elements));
    }
    if (op == "$none") {
      for (size_t i = 0; i < elements.size(); ++i) {
        if (Matches(arg, elements[i]))
          Fail(path + "[" + std::to_string(i) + "]",
               "expected no element matching " + Brief(arg, 200) + ", found " + Brief(elements[i], 400));
      }
      return;
    }
    // $every
    const json::value& where = arg.as_object().at("where");
    const json::value& is = arg.as_object().at("is");
    size_t selected = 0;
    for (size_t i = 0; i < elements.size(); ++i) {
      if (!Matches(where, elements[i])) continue;
      ++selected;
      Matcher inner;
      const std::string at = path + "[" + std::to_string(i) + "]";
      inner.Match(is, elements[i], at);
      for (const auto& line : inner.out) out.push_back(line + "\n      element: " + Brief(elements[i], 600));
    }
    if (selected == 0)
      Fail(path, "no element matches " + Brief(where, 300) + " (of " + std::to_string(elements.size()) + ")" +
                     Near(where, elements));
  }
};

Status Bad(const std::string& where, const std::string& what) {
  return InvalidArgument(where + ": " + what, "bad-golden-case", where);
}

}  // namespace

Status CheckPattern(const json::value& pattern, const std::string& where) {
  if (pattern.is_array()) {
    for (size_t i = 0; i < pattern.as_array().size(); ++i)
      DOSSIER_RETURN_IF_ERROR(CheckPattern(pattern.as_array()[i], where + "[" + std::to_string(i) + "]"));
    return Status::Ok();
  }
  if (!pattern.is_object()) return Status::Ok();
  const std::string op = OperatorOf(pattern);
  if (op.empty()) {
    for (const auto& m : pattern.as_object()) {
      if (!m.key().empty() && m.key()[0] == '$')
        return Bad(where, "operator " + std::string(m.key()) + " must be the only member of its object");
      DOSSIER_RETURN_IF_ERROR(CheckPattern(m.value(), where + "." + std::string(m.key())));
    }
    return Status::Ok();
  }
  if (!Operators().count(op)) return Bad(where, "unknown operator " + op);
  const json::value& arg = pattern.as_object().begin()->value();
  if (op == "$contains" && !arg.is_string()) return Bad(where, "$contains takes a string");
  if (op == "$absent" && arg != json::value(true)) return Bad(where, "$absent takes true");
  if ((op == "$anyOf" || op == "$allOf") && !arg.is_array()) return Bad(where, op + " takes an array");
  if (op == "$every") {
    if (!arg.is_object() || !arg.as_object().contains("where") || !arg.as_object().contains("is") ||
        arg.as_object().size() != 2)
      return Bad(where, "$every takes {\"where\": pattern, \"is\": pattern}");
    DOSSIER_RETURN_IF_ERROR(CheckPattern(arg.as_object().at("where"), where + ".$every.where"));
    return CheckPattern(arg.as_object().at("is"), where + ".$every.is");
  }
  return CheckPattern(arg, where + "." + op);
}

std::vector<std::string> Mismatches(const json::value& pattern, const json::value& actual) {
  Matcher m;
  m.Match(pattern, actual, "");
  return std::move(m.out);
}

std::string Brief(const json::value& value, size_t limit) {
  std::string s = json::serialize(value);
  if (s.size() > limit) s = s.substr(0, limit) + "...";
  return s;
}

}  // namespace dossier::golden
