#define BOOST_TEST_MODULE schema_decision_check
#include "schema/decision_check.h"

#include <boost/test/unit_test.hpp>

namespace dossier::schema {
namespace {

v1::Decision Make(v1::Decision::Outcome outcome, const std::string& number) {
  v1::Decision d;
  d.set_submission("s-1");
  d.set_outcome(outcome);
  d.set_number(number);
  d.set_date("2026-11-29");
  return d;
}

const DecidingBody kFda510k{"REGULATOR", "US", "510k-traditional"};
const DecidingBody kNotifiedBody{"NOTIFIED_BODY", "EU", "annex-ix"};
const DecidingBody kHsa{"REGULATOR", "SG", "abridged"};

// The case: a notified body recording CLEARED with "K12".
BOOST_AUTO_TEST_CASE(notified_body_cannot_clear) {
  Status s = CheckDecisionForBody(Make(v1::Decision::CLEARED, "K12"), kNotifiedBody);
  BOOST_TEST(s.reason() == "invalid-value");
  BOOST_TEST(s.field() == "outcome");
  BOOST_TEST(!CheckDecisionForBody(Make(v1::Decision::APPROVED, "P950002"), kNotifiedBody).ok());
  BOOST_TEST(!CheckDecisionForBody(Make(v1::Decision::REGISTERED, "DE0012345"), kNotifiedBody).ok());
}

BOOST_AUTO_TEST_CASE(notified_body_certificate_needs_number_and_expiry) {
  v1::Decision cert = Make(v1::Decision::CERTIFIED, "");
  BOOST_TEST(CheckDecisionForBody(cert, kNotifiedBody).field() == "number");
  cert.set_number("G1 123456 0001 Rev. 00");  // free text: MDR prescribes no numbering scheme
  BOOST_TEST(CheckDecisionForBody(cert, kNotifiedBody).field() == "validUntil");
  cert.set_valid_until("2026-11-29");  // same day as issued
  BOOST_TEST(CheckDecisionForBody(cert, kNotifiedBody).field() == "validUntil");
  cert.set_valid_until("2031-11-28");
  BOOST_TEST(CheckDecisionForBody(cert, kNotifiedBody).ok());
  BOOST_TEST(CheckDecisionForBody(Make(v1::Decision::REFUSED, ""), kNotifiedBody).ok());
}

BOOST_AUTO_TEST_CASE(fda_numbers_per_pathway) {
  BOOST_TEST(CheckDecisionForBody(Make(v1::Decision::CLEARED, "K231234"), kFda510k).ok());
  BOOST_TEST(CheckDecisionForBody(Make(v1::Decision::CLEARED, "BK200505"), kFda510k).ok());  // CBER 510(k)
  for (const char* bad : {"K12", "K1234567", "k231234", "DEN200022", "P950002", "K23123A", ""}) {
    BOOST_TEST_CONTEXT(bad) {
      BOOST_TEST(CheckDecisionForBody(Make(v1::Decision::CLEARED, bad), kFda510k).field() == "number");
    }
  }
  // A 510(k) is cleared, not approved; an FDA decision is never CERTIFIED or REGISTERED.
  BOOST_TEST(CheckDecisionForBody(Make(v1::Decision::APPROVED, "K231234"), kFda510k).field() == "outcome");
  BOOST_TEST(CheckDecisionForBody(Make(v1::Decision::CERTIFIED, "K231234"), kFda510k).field() == "outcome");
  BOOST_TEST(CheckDecisionForBody(Make(v1::Decision::REGISTERED, "K231234"), kFda510k).field() == "outcome");
  // Not substantially equivalent: refused, with or without the K number.
  BOOST_TEST(CheckDecisionForBody(Make(v1::Decision::REFUSED, "K231234"), kFda510k).ok());
  BOOST_TEST(CheckDecisionForBody(Make(v1::Decision::REFUSED, ""), kFda510k).ok());
  BOOST_TEST(!CheckDecisionForBody(Make(v1::Decision::REFUSED, "X1"), kFda510k).ok());

  const DecidingBody de_novo{"REGULATOR", "US", "de-novo"};
  BOOST_TEST(CheckDecisionForBody(Make(v1::Decision::APPROVED, "DEN200022"), de_novo).ok());
  BOOST_TEST(CheckDecisionForBody(Make(v1::Decision::CLEARED, "DEN200022"), de_novo).field() == "outcome");
  BOOST_TEST(CheckDecisionForBody(Make(v1::Decision::APPROVED, "K231234"), de_novo).field() == "number");

  const DecidingBody pma{"REGULATOR", "US", "pma"};
  BOOST_TEST(CheckDecisionForBody(Make(v1::Decision::APPROVED, "P950002"), pma).ok());
  BOOST_TEST(CheckDecisionForBody(Make(v1::Decision::APPROVED, "P950002/S001"), pma).ok());
  BOOST_TEST(CheckDecisionForBody(Make(v1::Decision::APPROVED, "BP950002"), pma).ok());
  BOOST_TEST(!CheckDecisionForBody(Make(v1::Decision::APPROVED, "P950002/S1"), pma).ok());
  BOOST_TEST(!CheckDecisionForBody(Make(v1::Decision::APPROVED, "P95000"), pma).ok());

  // Pathway not known to the rules: the number decides.
  const DecidingBody fda{"REGULATOR", "US", ""};
  BOOST_TEST(CheckDecisionForBody(Make(v1::Decision::APPROVED, "H010004"), fda).ok());
  BOOST_TEST(CheckDecisionForBody(Make(v1::Decision::APPROVED, "DEN200022"), fda).ok());
  BOOST_TEST(CheckDecisionForBody(Make(v1::Decision::APPROVED, "K231234"), fda).field() == "number");
}

BOOST_AUTO_TEST_CASE(hsa_registers) {
  BOOST_TEST(CheckDecisionForBody(Make(v1::Decision::REGISTERED, "DE0012345"), kHsa).ok());
  BOOST_TEST(CheckDecisionForBody(Make(v1::Decision::REGISTERED, ""), kHsa).field() == "number");
  BOOST_TEST(CheckDecisionForBody(Make(v1::Decision::CLEARED, "K231234"), kHsa).field() == "outcome");
  BOOST_TEST(CheckDecisionForBody(Make(v1::Decision::CERTIFIED, "X"), kHsa).field() == "outcome");
  BOOST_TEST(CheckDecisionForBody(Make(v1::Decision::REFUSED, ""), kHsa).ok());
}

BOOST_AUTO_TEST_CASE(other_regulators) {
  // Health Canada, TGA ...: no rules here beyond the outcomes that belong to others.
  const DecidingBody tga{"REGULATOR", "AU", ""};
  BOOST_TEST(CheckDecisionForBody(Make(v1::Decision::APPROVED, "ARTG 123456"), tga).ok());
  BOOST_TEST(CheckDecisionForBody(Make(v1::Decision::CLEARED, "K231234"), tga).field() == "outcome");
  BOOST_TEST(CheckDecisionForBody(Make(v1::Decision::CERTIFIED, "X"), tga).field() == "outcome");
  // A regulator whose jurisdiction is not recorded may clear, with a 510(k) number only.
  const DecidingBody unknown{"REGULATOR", "", ""};
  BOOST_TEST(CheckDecisionForBody(Make(v1::Decision::CLEARED, "K261234"), unknown).ok());
  BOOST_TEST(CheckDecisionForBody(Make(v1::Decision::CLEARED, "K12"), unknown).field() == "number");
}

}  // namespace
}  // namespace dossier::schema
