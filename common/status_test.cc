#define BOOST_TEST_MODULE common_status
#include <boost/test/unit_test.hpp>

#include "common/status.h"

using dossier::Status;
using dossier::StatusCode;
using dossier::StatusOr;

BOOST_AUTO_TEST_CASE(ok_status_has_no_reason) {
  Status s;
  BOOST_TEST(s.ok());
  BOOST_TEST(s.reason().empty());
  BOOST_TEST(s.ToString() == "OK");
}

BOOST_AUTO_TEST_CASE(reason_defaults_from_code) {
  Status s(StatusCode::kFailedPrecondition, "stale");
  BOOST_TEST(s.reason() == "failed-precondition");
  BOOST_TEST(dossier::InvalidArgument("x", "unknown-toc-code").reason() == "unknown-toc-code");
}

BOOST_AUTO_TEST_CASE(field_prefix_joins_paths) {
  Status s = dossier::InvalidArgument("bad", "bad-digest", "documents[2].digest");
  BOOST_TEST(s.WithFieldPrefix("sections[1]").field() == "sections[1].documents[2].digest");
  Status arr = dossier::InvalidArgument("bad", "x", "[3].value");
  BOOST_TEST(arr.WithFieldPrefix("identifiers").field() == "identifiers[3].value");
  BOOST_TEST(Status().WithFieldPrefix("a").ok());
}

StatusOr<int> Half(int v) {
  if (v % 2) return dossier::InvalidArgument("odd");
  return v / 2;
}

Status UseHalf(int v, int* out) {
  DOSSIER_ASSIGN_OR_RETURN(*out, Half(v));
  return Status::Ok();
}

BOOST_AUTO_TEST_CASE(assign_or_return_propagates) {
  int out = 0;
  BOOST_TEST(UseHalf(8, &out).ok());
  BOOST_TEST(out == 4);
  Status s = UseHalf(3, &out);
  BOOST_TEST(!s.ok());
  BOOST_TEST(s.message() == "odd");
}
