#include "schema/decision_check.h"

#include <algorithm>
#include <cctype>
#include <string_view>
#include <vector>

namespace dossier::schema {
namespace {

using Outcome = v1::Decision::Outcome;

bool AllDigits(std::string_view s, size_t count) {
  return s.size() == count &&
         std::all_of(s.begin(), s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

// "<prefix><6 digits>", optionally "/S<3 digits>" when `supplements` (PMA and
// HDE supplements, as the GUDID importer writes them: "P950002/S001").
bool FdaNumber(std::string_view number, std::string_view prefix, bool supplements) {
  if (number.substr(0, prefix.size()) != prefix) return false;
  std::string_view rest = number.substr(prefix.size());
  if (supplements && rest.size() > 6) {
    if (rest.substr(6, 2) != "/S" || !AllDigits(rest.substr(8), 3)) return false;
    rest = rest.substr(0, 6);
  }
  return AllDigits(rest, 6);
}

// The FDA number families (openFDA k_number / pma_number field reference).
bool Is510kNumber(std::string_view n) { return FdaNumber(n, "K", false) || FdaNumber(n, "BK", false); }
bool IsDeNovoNumber(std::string_view n) { return FdaNumber(n, "DEN", false); }
bool IsPmaNumber(std::string_view n) { return FdaNumber(n, "P", true) || FdaNumber(n, "BP", true); }
bool IsHdeNumber(std::string_view n) { return FdaNumber(n, "H", true); }

struct FdaRoute {
  Outcome granting;  // the outcome that authorises marketing on this route
  bool (*number_ok)(std::string_view);
  const char* number_form;
};

// The route a submission's pathway names; nullopt-like (number_ok == nullptr)
// when the pathway is not one of these (the number then decides).
FdaRoute RouteOf(std::string_view pathway) {
  if (pathway.substr(0, 4) == "510k") return {v1::Decision::CLEARED, &Is510kNumber, "K or BK + 6 digits"};
  if (pathway == "de-novo") return {v1::Decision::APPROVED, &IsDeNovoNumber, "DEN + 6 digits"};
  if (pathway.substr(0, 3) == "pma")
    return {v1::Decision::APPROVED, &IsPmaNumber, "P or BP + 6 digits, optionally /S + 3 digits"};
  if (pathway == "hde") return {v1::Decision::APPROVED, &IsHdeNumber, "H + 6 digits"};
  return {v1::Decision::OUTCOME_UNSPECIFIED, nullptr, ""};
}

Status Refuse(const std::string& message, const char* field) {
  return InvalidArgument(message, "invalid-value", field);
}

std::string Name(Outcome o) { return v1::Decision::Outcome_Name(o); }

Status CheckFda(const v1::Decision& d, const DecidingBody& body) {
  const Outcome o = d.outcome();
  if (o != v1::Decision::CLEARED && o != v1::Decision::APPROVED && o != v1::Decision::REFUSED) {
    return Refuse(
        "the FDA clears (510(k)), approves or grants (PMA, HDE, De Novo) or refuses; not " + Name(o),
        "outcome");
  }
  const FdaRoute route = RouteOf(body.pathway);
  if (route.number_ok) {
    if (o != v1::Decision::REFUSED && o != route.granting) {
      return Refuse(
          "a " + body.pathway + " submission is " + Name(route.granting) + " or REFUSED, not " + Name(o),
          "outcome");
    }
    if ((o != v1::Decision::REFUSED || !d.number().empty()) && !route.number_ok(d.number())) {
      return Refuse("\"" + d.number() + "\" is not a " + body.pathway + " number (" + route.number_form + ")",
                    "number");
    }
    return Status::Ok();
  }
  // Pathway unknown to these rules: the number must still be an FDA number
  // that fits the outcome.
  const std::string& n = d.number();
  if (o == v1::Decision::CLEARED && !Is510kNumber(n))
    return Refuse("\"" + n + "\" is not a 510(k) number (K or BK + 6 digits)", "number");
  if (o == v1::Decision::APPROVED && !IsDeNovoNumber(n) && !IsPmaNumber(n) && !IsHdeNumber(n))
    return Refuse("\"" + n + "\" is not a De Novo, PMA or HDE number (DEN, P, BP or H + 6 digits)", "number");
  if (o == v1::Decision::REFUSED && !n.empty() && !Is510kNumber(n) && !IsDeNovoNumber(n) && !IsPmaNumber(n) &&
      !IsHdeNumber(n))
    return Refuse("\"" + n + "\" is not an FDA submission number", "number");
  return Status::Ok();
}

Status CheckNotifiedBody(const v1::Decision& d) {
  const Outcome o = d.outcome();
  if (o != v1::Decision::CERTIFIED && o != v1::Decision::REFUSED) {
    return Refuse("a notified body issues a certificate (CERTIFIED) or refuses one (REFUSED); not " + Name(o),
                  "outcome");
  }
  if (o == v1::Decision::CERTIFIED) {
    if (d.number().empty()) return Refuse("a certificate has a unique number", "number");
    if (d.valid_until().empty()) return Refuse("a certificate has a date of expiry", "validUntil");
    // Both are checked "YYYY-MM-DD" dates (ValidateDecision), so text order is date order.
    if (!d.date().empty() && d.valid_until() <= d.date())
      return Refuse("the certificate expires on or before the day it was issued", "validUntil");
  }
  return Status::Ok();
}

Status CheckHsa(const v1::Decision& d) {
  const Outcome o = d.outcome();
  if (o != v1::Decision::REGISTERED && o != v1::Decision::REFUSED) {
    return Refuse("HSA registers a device on the SMDR (REGISTERED) or refuses; not " + Name(o), "outcome");
  }
  if (o == v1::Decision::REGISTERED && d.number().empty())
    return Refuse("a registration has its SMDR registration number", "number");
  return Status::Ok();
}

}  // namespace

Status CheckDecisionForBody(const v1::Decision& decision, const DecidingBody& body) {
  if (body.kind == "NOTIFIED_BODY") return CheckNotifiedBody(decision);
  if (body.kind == "REGULATOR" && body.jurisdiction == "US") return CheckFda(decision, body);
  if (body.kind == "REGULATOR" && body.jurisdiction == "SG") return CheckHsa(decision);
  if (decision.outcome() == v1::Decision::CERTIFIED)
    return Refuse("only a notified body certifies", "outcome");
  if (decision.outcome() == v1::Decision::CLEARED) {
    // CLEARED is by definition the outcome of a 510(k): a regulator of another
    // jurisdiction cannot record it, and one whose jurisdiction is not set
    // records it with a 510(k) number.
    if (!body.jurisdiction.empty()) return Refuse("CLEARED is the FDA's 510(k) outcome", "outcome");
    if (!Is510kNumber(decision.number()))
      return Refuse("\"" + decision.number() + "\" is not a 510(k) number (K or BK + 6 digits)", "number");
  }
  return Status::Ok();
}

}  // namespace dossier::schema
