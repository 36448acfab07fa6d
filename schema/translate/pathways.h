// Which premarket pathways each agency offers for a device's risk class, as
// data (schema/translate/data/pathways.tsv, embedded at build time), with the
// text each row rests on. The submission door check uses it; readiness takes
// its list of pathway names from it.
//
// Pure functions of their arguments; thread-safe (the table is parsed once).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "dossier/v1/dossier.pb.h"

namespace dossier::translate {

struct PathwayOffer {
  std::string agency;                // FDA | EU | HSA
  std::string pathway;               // "510k-traditional", "annex-ix", "abridged", ...
  std::vector<std::string> classes;  // device classes the pathway is for
  std::string source;
  std::string section;
  std::string binding;
  std::string verification;
};

// The embedded table, in file order. Aborts on corrupt embedded data (a test
// parses it).
const std::vector<PathwayOffer>& PathwayOffers();

// Parses a table in the format of pathways.tsv; InvalidArgument
// "bad-pathways-table" with "pathways.tsv:<line>" in `field`.
StatusOr<std::vector<PathwayOffer>> ParsePathwayOffers(std::string_view tsv);

// The pathway names of `agency` (upper case), in table order; empty when the
// agency is unknown.
std::vector<std::string> OfferedPathways(std::string_view agency);

// The class the table keys `agency`'s rows by for `dossier`: readiness's class
// (AgencyClass) and, for the EU, "I-special" / "A-sterile" for the aspects
// that bring in a notified body. "" when the dossier records no class.
std::string PathwayClass(const v1::Dossier& dossier, std::string_view agency);

// The door check of a submission: `pathway` must be one of `agency`'s
// pathways ("unknown-pathway", listing them) and offered for the device's class
// ("pathway-not-offered", naming the class, the classes the pathway is for and
// the row's source and section). Both InvalidArgument with field "pathway". A
// dossier that records no class for the agency passes: readiness reports the
// missing class. EU aliases ("annex-x+xi") are accepted as readiness accepts
// them.
Status CheckPathwayOffered(const v1::Dossier& dossier, std::string_view agency, std::string_view pathway);

}  // namespace dossier::translate
