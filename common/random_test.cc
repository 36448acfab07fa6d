// RAND_set_rand_method is deprecated in OpenSSL 3 but still honoured by
// RAND_bytes; it is the only way to make the real generator fail on demand.
#define OPENSSL_SUPPRESS_DEPRECATED
#define BOOST_TEST_MODULE common_random
#include "common/random.h"

#include <openssl/rand.h>

#include <boost/test/unit_test.hpp>
#include <set>

using dossier::RandomBytes;
using dossier::RandomHex;

namespace {

int FailingBytes(unsigned char*, int) { return 0; }
int FailingStatus() { return 0; }

// Installs a RAND method whose every draw fails, for the lifetime of the guard.
class FailingGenerator {
 public:
  FailingGenerator() {
    method_.bytes = FailingBytes;
    method_.status = FailingStatus;
    BOOST_REQUIRE(RAND_set_rand_method(&method_) == 1);
  }
  ~FailingGenerator() { RAND_set_rand_method(RAND_OpenSSL()); }
  FailingGenerator(const FailingGenerator&) = delete;
  FailingGenerator& operator=(const FailingGenerator&) = delete;

 private:
  RAND_METHOD method_{};
};

}  // namespace

BOOST_AUTO_TEST_CASE(draws_the_requested_number_of_distinct_bytes) {
  BOOST_TEST(RandomBytes(0)->empty());
  BOOST_TEST(RandomBytes(32)->size() == 32u);
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) seen.insert(*RandomBytes(16));
  BOOST_TEST(seen.size() == 100u);
}

BOOST_AUTO_TEST_CASE(hex_is_lowercase_and_twice_as_long) {
  const std::string hex = *RandomHex(12);
  BOOST_TEST(hex.size() == 24u);
  BOOST_TEST(hex.find_first_not_of("0123456789abcdef") == std::string::npos);
  BOOST_TEST(*RandomHex(12) != hex);
}

BOOST_AUTO_TEST_CASE(a_failing_generator_is_an_error_not_predictable_bytes) {
  {
    FailingGenerator failing;
    auto bytes = RandomBytes(16);
    BOOST_REQUIRE(!bytes.ok());
    BOOST_TEST(bytes.status().reason() == "random-unavailable");
    BOOST_TEST(bytes.status().code() == dossier::StatusCode::kUnavailable);
    auto hex = RandomHex(8);
    BOOST_REQUIRE(!hex.ok());
    BOOST_TEST(hex.status().reason() == "random-unavailable");
  }
  BOOST_TEST(RandomBytes(16).ok());  // the real generator is back
}

BOOST_AUTO_TEST_CASE(refuses_sizes_openssl_cannot_take) {
  auto r = RandomBytes(static_cast<size_t>(INT_MAX) + 1);
  BOOST_REQUIRE(!r.ok());
  BOOST_TEST(r.status().reason() == "random-too-large");
}
