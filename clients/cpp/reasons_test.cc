// Every reason the server can put in a problem document is declared in the
// SDK (dossier/client/reasons.h). The server's reasons are found where they
// are made: the kebab-case string literals given to a Status or one of its
// factories (InvalidArgument, NotFound, ..., and the Mismatch / Bad helpers of
// trust/ and schema/) in the non-test sources of server/, storage/, trust/,
// schema/ and common/, plus the keys of server/problem.cc's status table.
#define BOOST_TEST_MODULE client_reasons_test
#include "dossier/client/reasons.h"

#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

namespace fs = std::filesystem;
namespace reasons = dossier::client::reasons;

namespace {

std::string Read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// The top-level arguments of the call whose '(' is just before `begin`.
std::vector<std::string> Arguments(const std::string& s, size_t begin) {
  std::vector<std::string> args;
  std::string current;
  int depth = 1;
  bool in_string = false;
  for (size_t i = begin; i < s.size() && depth > 0; ++i) {
    const char c = s[i];
    if (in_string) {
      current.push_back(c);
      if (c == '\\' && i + 1 < s.size()) {
        current.push_back(s[++i]);
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
      current.push_back(c);
    } else if (c == '(' || c == '[' || c == '{') {
      ++depth;
      current.push_back(c);
    } else if (c == ')' || c == ']' || c == '}') {
      if (--depth > 0) current.push_back(c);
    } else if (c == ',' && depth == 1) {
      args.push_back(current);
      current.clear();
    } else {
      current.push_back(c);
    }
  }
  args.push_back(current);
  return args;
}

std::string Trim(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

std::set<std::string> ServerReasons(const fs::path& source) {
  static const std::regex kCall(
      R"(\b(InvalidArgument|NotFound|AlreadyExists|FailedPrecondition|PermissionDenied|Unauthenticated|)"
      R"(ResourceExhausted|Internal|Unavailable|DataLoss|Status|Mismatch|Bad|Status\s+[a-z_]\w*)\s*\()");
  static const std::regex kKebab(R"("[a-z][a-z0-9]*(-[a-z0-9]+)+")");
  std::set<std::string> found;
  for (const char* root : {"server", "storage", "trust", "schema", "common"}) {
    for (const auto& entry : fs::recursive_directory_iterator(source / root)) {
      const std::string name = entry.path().filename().string();
      if (entry.path().extension() != ".cc" || name.find("_test") != std::string::npos) continue;
      const std::string text = Read(entry.path());
      for (auto it = std::sregex_iterator(text.begin(), text.end(), kCall); it != std::sregex_iterator();
           ++it) {
        const size_t open = static_cast<size_t>(it->position() + it->length());
        for (const std::string& arg : Arguments(text, open)) {
          const std::string a = Trim(arg);
          if (std::regex_match(a, kKebab)) found.insert(a.substr(1, a.size() - 2));
        }
      }
    }
  }
  const std::string problem = Read(source / "server" / "problem.cc");
  static const std::regex kTableKey(R"re(\{"([a-z][a-z0-9-]*)", \d+\})re");
  for (auto it = std::sregex_iterator(problem.begin(), problem.end(), kTableKey);
       it != std::sregex_iterator(); ++it) {
    found.insert((*it)[1].str());
  }
  return found;
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_server_reason_is_declared_in_the_sdk) {
  const char* source = std::getenv("DOSSIER_SOURCE_DIR");
  BOOST_REQUIRE_MESSAGE(source != nullptr, "DOSSIER_SOURCE_DIR is not set (ctest sets it)");
  const std::set<std::string> server = ServerReasons(source);
  // The scan itself must work: the server makes well over a hundred reasons.
  BOOST_TEST(server.size() > 150u);
  BOOST_TEST(server.count("signature-invalid") == 1u);
  BOOST_TEST(server.count("already-submitted") == 1u);  // made by `const Status conflict(...)`
  BOOST_TEST(server.count("idempotency-key-reused") == 1u);
  std::set<std::string> declared(reasons::kServerReasons.begin(), reasons::kServerReasons.end());
  for (const auto& r : reasons::kClientReasons) declared.insert(std::string(r));
  for (const std::string& reason : server) {
    BOOST_TEST(declared.count(reason) == 1u, "reason \""
                                                 << reason
                                                 << "\" is made by the server but not declared "
                                                    "in clients/cpp/include/dossier/client/reasons.h");
  }
}

BOOST_AUTO_TEST_CASE(declared_reasons_are_unique_kebab_case) {
  static const std::regex kKebab(R"([a-z][a-z0-9]*(-[a-z0-9]+)+)");
  std::set<std::string_view> seen;
  for (auto r : reasons::kServerReasons) {
    BOOST_TEST(std::regex_match(std::string(r), kKebab), r);
    BOOST_TEST(seen.insert(r).second, "declared twice: " << r);
  }
  // The SDK's own include one-word reasons ("timeout").
  static const std::regex kWords(R"([a-z][a-z0-9]*(-[a-z0-9]+)*)");
  for (auto r : reasons::kClientReasons) BOOST_TEST(std::regex_match(std::string(r), kWords), r);
  BOOST_TEST((reasons::kUnknownKey == "unknown-key"));
  BOOST_TEST((reasons::kSignerMismatch == "signer-mismatch"));
}
