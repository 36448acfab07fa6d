#include "schema/translate/pathways.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "common/strings.h"
#include "schema/translate/readiness_checks.h"
#include "schema/translate/readiness_routes.h"

namespace dossier::schema::internal {
extern const std::string_view kTranslate_pathways;
}  // namespace dossier::schema::internal

namespace dossier::translate {

StatusOr<std::vector<PathwayOffer>> ParsePathwayOffers(std::string_view tsv) {
  std::vector<PathwayOffer> offers;
  size_t line_number = 0;
  for (const std::string& line : Split(tsv, '\n')) {
    ++line_number;
    if (line.empty() || line[0] == '#') continue;
    const std::string where = "pathways.tsv:" + std::to_string(line_number);
    const std::vector<std::string> col = Split(line, '\t');
    if (col.size() != 7) {
      return InvalidArgument("expected 7 tab-separated columns, found " + std::to_string(col.size()),
                             "bad-pathways-table", where);
    }
    PathwayOffer offer{col[0], col[1], Split(col[2], ','), col[3], col[4], col[5], col[6]};
    if (offer.agency != "FDA" && offer.agency != "EU" && offer.agency != "HSA")
      return InvalidArgument("unknown agency \"" + offer.agency + "\"", "bad-pathways-table", where);
    if (offer.pathway.empty() || offer.pathway != AsciiLower(offer.pathway))
      return InvalidArgument("pathway names are lower case and non-empty", "bad-pathways-table", where);
    if (offer.verification.rfind("verified", 0) != 0 && offer.verification.rfind("unverified", 0) != 0)
      return InvalidArgument("verification must start with verified or unverified", "bad-pathways-table",
                             where);
    for (const PathwayOffer& seen : offers) {
      if (seen.agency == offer.agency && seen.pathway == offer.pathway)
        return InvalidArgument("pathway listed twice", "bad-pathways-table", where);
    }
    offers.push_back(std::move(offer));
  }
  return offers;
}

const std::vector<PathwayOffer>& PathwayOffers() {
  static const std::vector<PathwayOffer>* const kBuiltIn = [] {
    auto parsed = ParsePathwayOffers(schema::internal::kTranslate_pathways);
    if (!parsed.ok()) {
      std::fprintf(stderr, "corrupt embedded pathways table: %s\n", parsed.status().ToString().c_str());
      std::abort();
    }
    return new std::vector<PathwayOffer>(std::move(parsed).value());
  }();
  return *kBuiltIn;
}

std::vector<std::string> OfferedPathways(std::string_view agency) {
  std::vector<std::string> names;
  for (const PathwayOffer& offer : PathwayOffers()) {
    if (offer.agency == agency) names.push_back(offer.pathway);
  }
  return names;
}

std::string PathwayClass(const v1::Dossier& dossier, std::string_view agency) {
  std::string cls = AgencyClass(dossier, agency);
  if (agency != "EU") return cls;
  const auto& eu = dossier.classifications().eu();
  if (cls == "I" && (eu.sterile() || eu.measuring_function() || eu.reusable_surgical())) return "I-special";
  if (cls == "A" && eu.sterile()) return "A-sterile";
  return cls;
}

Status CheckPathwayOffered(const v1::Dossier& dossier, std::string_view agency_in,
                           std::string_view pathway_in) {
  const std::string agency = AsciiUpper(agency_in);
  std::string pathway = AsciiLower(pathway_in);
  if (agency == "EU" && !CanonicalEuPathway(pathway).empty()) pathway = CanonicalEuPathway(pathway);
  const PathwayOffer* row = nullptr;
  for (const PathwayOffer& offer : PathwayOffers()) {
    if (offer.agency == agency && offer.pathway == pathway) row = &offer;
  }
  if (row == nullptr) {
    return InvalidArgument("unknown " + agency + " pathway \"" + std::string(pathway_in) + "\" (one of " +
                               JoinList(OfferedPathways(agency)) + ")",
                           "unknown-pathway", "pathway");
  }
  const std::string cls = PathwayClass(dossier, agency);
  if (cls.empty()) return Status::Ok();
  if (std::find(row->classes.begin(), row->classes.end(), cls) != row->classes.end()) return Status::Ok();
  std::vector<std::string> offered;
  for (const PathwayOffer& offer : PathwayOffers()) {
    if (offer.agency == agency &&
        std::find(offer.classes.begin(), offer.classes.end(), cls) != offer.classes.end())
      offered.push_back(offer.pathway);
  }
  return InvalidArgument(agency + " does not offer " + pathway + " for a class " + cls +
                             " device (it is for class " + JoinList(row->classes) + ": " + row->source +
                             ", " + row->section + "); " +
                             (offered.empty() ? "no pathway is offered for class " + cls
                                              : "pathways for class " + cls + ": " + JoinList(offered)),
                         "pathway-not-offered", "pathway");
}

}  // namespace dossier::translate
