// Whether a decision is one the deciding body can take: its outcome and the
// shape of its number, per kind of body (regulator or notified body) and
// jurisdiction. A notified body certifies or refuses; the FDA clears (510(k))
// or approves / grants (PMA, HDE, De Novo) under K/BK, DEN, P/BP, H numbers;
// HSA registers.
//
// Sources (verified against the texts named; see the .cc for each rule):
// - FDA number prefixes: openFDA field reference (fixtures openfda-api-examples
//   fields-deviceclearance.yaml k_number, fields-devicepma.yaml pma_number):
//   "K" 510(k), "BK" 510(k) cleared by CBER, "DEN" De Novo, "P" PMA, "BP" PMA
//   by CBER, "H" HDE. Six digits after K and P are seen in every number of the
//   fixtures (K872032, P970051, GUDID release); for DEN, BK, BP and H the six
//   digits are UNVERIFIED (no example in the fixtures) and follow the K/P form.
//   PMA supplements "P123456/S001" as the GUDID importer writes them.
// - Notified body: MDR Art 56 / IVDR Art 51 certificates; the minimum content
//   of a certificate includes a unique number and a date of expiry (Annex XII
//   Chapter II items 3 and 6, read in the IVDR text; the MDR list is parallel).
//   No numbering scheme is prescribed, so only presence is checked. The
//   five-year cap on validity is not checked (not verified here).
// - HSA: a registration on the Singapore Medical Device Register. The
//   registration number format is UNVERIFIED, so only presence is checked.
//
// Pure function of its arguments; thread-safe.
#pragma once

#include <string>

#include "common/status.h"
#include "dossier/v1/decision.pb.h"

namespace dossier::schema {

// Who records the decision: the tenant kind ("REGULATOR" | "NOTIFIED_BODY"),
// its jurisdiction ("US", "EU", "SG", ...; may be empty) and the pathway the
// submission named ("510k-traditional", "de-novo", "pma", ...; may be empty).
struct DecidingBody {
  std::string kind;
  std::string jurisdiction;
  std::string pathway;
};

// Ok when `decision`'s outcome and number suit `body`. Otherwise
// InvalidArgument with reason "invalid-value" and the field path "outcome",
// "number" or "validUntil". Bodies this module has no rules for (another
// jurisdiction's regulator) may record any outcome except those that only a
// notified body (CERTIFIED) or the FDA (CLEARED, with a 510(k) number) gives;
// a regulator without a jurisdiction may record CLEARED with a 510(k) number.
Status CheckDecisionForBody(const v1::Decision& decision, const DecidingBody& body);

}  // namespace dossier::schema
