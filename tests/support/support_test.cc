// The test-support library's own behaviour: a broken helper would make other
// tests pass or fail for the wrong reason.
#define BOOST_TEST_MODULE test_support
#include <boost/test/unit_test.hpp>

#include "tests/support/files.h"
#include "tests/support/json_schema.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

using namespace dossier::testing;
namespace fs = std::filesystem;

BOOST_AUTO_TEST_CASE(temp_dirs_are_fresh_distinct_and_removed) {
  fs::path kept;
  {
    TempDir a("support-test-");
    TempDir b("support-test-");
    BOOST_TEST(fs::is_directory(a.path()));
    BOOST_TEST(fs::is_empty(a.path()));
    BOOST_TEST(a.path() != b.path());
    BOOST_TEST(a.path().filename().string().rfind("support-test-", 0) == 0u);
    WriteFile(a.path() / "nested" / "file", "x");
    kept = a.path();
  }
  BOOST_TEST(!fs::exists(kept));
}

BOOST_AUTO_TEST_CASE(files_round_trip_bytes_and_report_missing_ones) {
  TempDir dir;
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes.push_back(static_cast<char>(i));
  WriteFile(dir.path() / "a" / "b.bin", bytes);
  BOOST_TEST(ReadFile(dir.path() / "a" / "b.bin") == bytes);
  WriteFile(dir.path() / "a" / "b.bin", "short");  // replaces, does not append
  BOOST_TEST(ReadFile(dir.path() / "a" / "b.bin") == "short");
  BOOST_CHECK_THROW(ReadFile(dir.path() / "missing"), std::runtime_error);
}

BOOST_AUTO_TEST_CASE(flip_byte_changes_exactly_one_byte) {
  TempDir dir;
  const fs::path file = dir.path() / "data";
  WriteFile(file, "abcdef");
  FlipByte(file, 2);
  const std::string after = ReadFile(file);
  BOOST_TEST(after.size() == 6u);
  BOOST_TEST(after[2] == static_cast<char>('c' ^ 0x5a));
  BOOST_TEST(after.substr(0, 2) == "ab");
  BOOST_TEST(after.substr(3) == "def");
  BOOST_CHECK_THROW(FlipByte(file, 6), std::runtime_error);  // past the end: nothing to corrupt
  BOOST_CHECK_THROW(FlipByte(dir.path() / "missing", 0), std::runtime_error);
  BOOST_TEST(ReadFile(file) == after);
}

BOOST_AUTO_TEST_CASE(run_process_reports_output_status_and_environment) {
  TempDir dir;
  auto r = RunProcess({"/bin/sh", "-c", "echo out:$DOSSIER_SUPPORT_X; echo err >&2; pwd; exit 3"},
                      {{"DOSSIER_SUPPORT_X", "42"}}, std::chrono::seconds(20), dir.path());
  BOOST_TEST(r.exit_code == 3);
  BOOST_TEST(!r.timed_out);
  BOOST_TEST(r.out.find("out:42\n") == 0u);
  BOOST_TEST(r.out.find(fs::canonical(dir.path()).string()) != std::string::npos);
  BOOST_TEST(r.err == "err\n");
}

BOOST_AUTO_TEST_CASE(run_process_kills_what_outlives_its_limit) {
  const auto started = std::chrono::steady_clock::now();
  auto r = RunProcess({"/bin/sh", "-c", "sleep 30"}, {}, std::chrono::seconds(1));
  BOOST_TEST(r.timed_out);
  BOOST_TEST(r.exit_code == -1);
  const bool bounded = std::chrono::steady_clock::now() - started < std::chrono::seconds(10);
  BOOST_TEST(bounded);
}

// The contract test reads served answers as a closed contract: a member the
// schema does not declare is an error, also through $ref and allOf, and a
// schema that says only "type":"object" is refused; plain validation keeps
// JSON Schema's open objects.
BOOST_AUTO_TEST_CASE(served_json_is_checked_as_a_closed_contract) {
  const boost::json::value root = boost::json::parse(R"({"components":{"schemas":{
    "Base":{"type":"object","required":["a"],"properties":{"a":{"type":"integer"}}},
    "Both":{"allOf":[{"$ref":"#/components/schemas/Base"},{"type":"object","properties":{"b":{"type":"string"}}}]},
    "Loose":{"type":"object","properties":{"any":{"type":"object"},"map":{"type":"object","additionalProperties":true}}}}}})");
  const auto schema = [&](const char* name) {
    return boost::json::value{{"$ref", std::string("#/components/schemas/") + name}};
  };
  const auto served = [&](const char* instance, const char* name) {
    return ValidateServedJson(boost::json::parse(instance), schema(name), root);
  };
  BOOST_TEST(served(R"({"a":1})", "Base").empty());
  BOOST_TEST(served(R"({"a":1,"extra":2})", "Base").size() == 1u);
  BOOST_TEST(ValidateJsonSchema(boost::json::parse(R"({"a":1,"extra":2})"), schema("Base"), root).empty());
  BOOST_TEST(served(R"({"a":1,"b":"x"})", "Both").empty());  // each branch knows the other's member
  BOOST_TEST(served(R"({"a":1,"b":"x","c":3})", "Both").size() == 2u);  // one per branch
  BOOST_TEST(served(R"({"b":"x"})", "Both").size() == 1u);              // a is required
  BOOST_TEST(served(R"({"map":{"k":1}})", "Loose").empty());
  BOOST_TEST(served(R"({"any":{"k":1}})", "Loose").size() == 1u);
}
