// The golden-case suite: every folder of schema/testdata/golden/ is a small
// dossier (plus change plan, modification record, ...) and an expected.json
// with the answers a regulatory reviewer would give, each with its reasoning
// and citation. This runner computes the real answers through the library
// (answers.h) and compares them with the expectations (pattern.h).
//
// An expectation marked "knownFailing" (or a case so marked) is a known gap:
// reported, not failed; but it fails the run once it passes, so the mark is
// removed when the code is fixed. GOLDEN_CASE=<folder> runs one case.
#define BOOST_TEST_MODULE golden
#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "schema/golden/answers.h"
#include "schema/golden/pattern.h"

namespace dossier::golden {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

constexpr size_t kMinimumCases = 30;

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::vector<fs::path> CaseDirs() {
  std::vector<fs::path> dirs;
  for (const auto& entry : fs::directory_iterator(GOLDEN_DIR)) {
    if (entry.is_directory() && fs::exists(entry.path() / "expected.json")) dirs.push_back(entry.path());
  }
  std::sort(dirs.begin(), dirs.end());
  return dirs;
}

std::string StringMember(const json::object& o, const char* name) {
  const json::value* v = o.if_contains(name);
  return v && v->is_string() ? std::string(v->as_string()) : "";
}

// Everything a reader needs to judge a mismatch: who claims what, and why.
std::string Explain(const std::string& case_name, const json::object& e,
                    const std::vector<std::string>& lines) {
  std::string s = "\n  case:      " + case_name + " / " + StringMember(e, "id");
  s += "\n  question:  " + StringMember(e, "kind") + " " + Brief(e.at("input"), 300);
  s += "\n  expected:  " + Brief(e.at("expect"), 800);
  s += "\n  reasoning: " + StringMember(e, "reasoning");
  s += "\n  citation:  " + StringMember(e, "citation");
  s += "\n  the code said:";
  for (const auto& l : lines) s += "\n    - " + l;
  return s;
}

struct Tally {
  int passed = 0, failed = 0, known = 0;
};

// Structural checks: a case that cannot be read as intended must fail loudly,
// never pass by matching nothing.
std::string CheckExpectation(const json::value& v, std::set<std::string>* ids) {
  if (!v.is_object()) return "expectation is not an object";
  const json::object& e = v.as_object();
  for (const char* required : {"id", "kind", "reasoning", "citation"}) {
    if (StringMember(e, required).empty())
      return std::string("expectation lacks a non-empty \"") + required + "\"";
  }
  if (!ids->insert(StringMember(e, "id")).second) return "duplicate expectation id " + StringMember(e, "id");
  const auto kinds = Kinds();
  if (std::find(kinds.begin(), kinds.end(), StringMember(e, "kind")) == kinds.end())
    return "unknown kind " + StringMember(e, "kind");
  if (!e.contains("input") || !e.at("input").is_object()) return "expectation lacks an \"input\" object";
  if (!e.contains("expect")) return "expectation lacks \"expect\"";
  Status st = CheckPattern(e.at("expect"), StringMember(e, "id") + ".expect");
  if (!st.ok()) return st.message();
  for (const auto& m : e) {
    static const std::set<std::string, std::less<>> kMembers = {
        "id", "kind", "input", "expect", "reasoning", "citation", "source", "knownFailing"};
    if (!kMembers.count(m.key())) return "unknown member \"" + std::string(m.key()) + "\"";
  }
  return "";
}

void RunCase(const fs::path& dir, Tally* tally) {
  const std::string name = dir.filename().string();
  json::value doc;
  try {
    doc = json::parse(ReadAll(dir / "expected.json"));
  } catch (const std::exception& ex) {
    BOOST_ERROR(name + "/expected.json is not JSON: " + ex.what());
    ++tally->failed;
    return;
  }
  if (!doc.is_object()) {
    BOOST_ERROR(name + "/expected.json is not a JSON object");
    ++tally->failed;
    return;
  }
  const json::object& root = doc.as_object();
  const std::string case_known = StringMember(root, "knownFailing");
  const json::value* expectations = root.if_contains("expectations");
  if (StringMember(root, "description").empty() || !expectations || !expectations->is_array() ||
      expectations->as_array().empty()) {
    BOOST_ERROR(name + ": expected.json needs a \"description\" and a non-empty \"expectations\" array");
    ++tally->failed;
    return;
  }
  std::set<std::string> ids;
  for (const auto& v : expectations->as_array()) {
    const std::string problem = CheckExpectation(v, &ids);
    if (!problem.empty()) {
      BOOST_ERROR(name + ": " + problem);
      ++tally->failed;
      continue;
    }
    const json::object& e = v.as_object();
    auto answer = Answer(dir, StringMember(e, "kind"), e.at("input").as_object());
    if (!answer.ok() && answer.status().reason() == "fixture-missing" && std::getenv("CI") == nullptr) {
      BOOST_TEST_MESSAGE("SKIPPED " + name + "/" + StringMember(e, "id") + ": " + answer.status().message() +
                         " (set DOSSIER_SHARED)");
      continue;
    }
    if (!answer.ok()) {
      BOOST_ERROR(name + "/" + StringMember(e, "id") + ": broken case: " + answer.status().ToString());
      ++tally->failed;
      continue;
    }
    const std::vector<std::string> lines = Mismatches(e.at("expect"), *answer);
    const std::string known =
        !StringMember(e, "knownFailing").empty() ? StringMember(e, "knownFailing") : case_known;
    if (!known.empty()) {
      if (lines.empty()) {
        BOOST_ERROR(name + "/" + StringMember(e, "id") +
                    " is marked knownFailing but now passes: remove the mark (" + known + ")");
        ++tally->failed;
      } else {
        BOOST_TEST_MESSAGE("KNOWN GAP " + name + "/" + StringMember(e, "id") + ": " + known +
                           Explain(name, e, lines));
        ++tally->known;
      }
      continue;
    }
    if (lines.empty()) {
      ++tally->passed;
    } else {
      BOOST_ERROR("golden answer differs:" + Explain(name, e, lines));
      ++tally->failed;
    }
  }
}

BOOST_AUTO_TEST_CASE(every_golden_case_gives_the_reviewers_answer) {
  const char* only = std::getenv("GOLDEN_CASE");
  const std::vector<fs::path> dirs = CaseDirs();
  if (only == nullptr) BOOST_TEST(dirs.size() >= kMinimumCases, "only " << dirs.size() << " golden cases");
  Tally tally;
  size_t run = 0;
  for (const auto& dir : dirs) {
    if (only != nullptr && dir.filename() != only) continue;
    ++run;
    RunCase(dir, &tally);
  }
  BOOST_TEST(run > 0, "no golden case ran");
  BOOST_TEST_MESSAGE("golden: " << run << " cases; " << tally.passed << " passed, " << tally.failed
                                << " failed, " << tally.known << " known gaps");
}

}  // namespace
}  // namespace dossier::golden
