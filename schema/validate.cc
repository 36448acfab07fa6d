#include "schema/validate.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "schema/samd.h"

namespace dossier::schema {
namespace {

std::string Idx(std::string_view name, int i) { return std::string(name) + "[" + std::to_string(i) + "]"; }

std::string Join(std::string_view a, std::string_view b) {
  if (a.empty()) return std::string(b);
  if (b.empty()) return std::string(a);
  return std::string(a) + "." + std::string(b);
}

Status Missing(const std::string& field) {
  return InvalidArgument(field + " is required", "missing-field", field);
}

Status Bad(const std::string& field, std::string_view reason, std::string_view value, std::string_view want) {
  return InvalidArgument(
      field + " \"" + std::string(value) + "\" is not valid: expected " + std::string(want),
      std::string(reason), field);
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}
bool AllUpper(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}
bool StartsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

bool IsFdaNumber(std::string_view s, std::string_view prefix) {
  return s.size() == prefix.size() + 6 && StartsWith(s, prefix) && AllDigits(s.substr(prefix.size()));
}

bool IsValidPma(std::string_view s) {
  if (s.size() == 7) return IsFdaNumber(s, "P");
  return s.size() == 12 && IsFdaNumber(s.substr(0, 7), "P") && s.substr(7, 2) == "/S" &&
         AllDigits(s.substr(9));
}

bool IsValidRegulationNumber(std::string_view s) {
  // 21 CFR part 800-899, section number: "892.2080".
  const size_t dot = s.find('.');
  return dot == 3 && s[0] == '8' && AllDigits(s.substr(0, 3)) && s.size() >= 5 && s.size() <= 9 &&
         AllDigits(s.substr(4));
}

bool IsCountry(std::string_view s) { return s.size() == 2 && AllUpper(s); }

bool IsMediaType(std::string_view s) {
  const size_t slash = s.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == s.size()) return false;
  return std::none_of(s.begin(), s.end(),
                      [](char c) { return std::isspace(static_cast<unsigned char>(c)); }) &&
         s.find('/', slash + 1) == std::string_view::npos;
}

Status CheckDate(std::string_view value, const std::string& field) {
  if (value.empty() || IsValidIsoDate(value)) return Status::Ok();
  return Bad(field, "bad-date", value, "YYYY-MM-DD");
}

Status CheckDigest(std::string_view value, const std::string& field, bool required) {
  if (value.empty()) return required ? Missing(field) : Status::Ok();
  if (!IsValidDigest(value)) return Bad(field, "bad-digest", value, "\"sha256:\" + 64 lowercase hex digits");
  return Status::Ok();
}

Status CheckProportion(double v, const std::string& field) {
  if (!(v >= 0.0 && v <= 1.0)) {
    return InvalidArgument(field + " must lie in [0, 1], got " + std::to_string(v), "bad-proportion", field);
  }
  return Status::Ok();
}

Status ValidateIdentifier(const v1::Identifier& id, const std::string& path) {
  using T = v1::Identifier;
  if (id.type() == T::TYPE_UNSPECIFIED) return Missing(path + ".type");
  if (id.value().empty()) return Missing(path + ".value");
  const std::string field = path + ".value";
  const std::string& v = id.value();
  switch (id.type()) {
    case T::UDI_DI:
      if (id.issuer() == "GS1" && !IsValidGs1Gtin(v)) {
        return Bad(field, "bad-udi-di", v, "a GS1 GTIN (8, 12, 13 or 14 digits) with a valid check digit");
      }
      break;
    case T::FDA_PRODUCT_CODE:
      if (!IsValidFdaProductCode(v)) return Bad(field, "bad-product-code", v, "three upper-case letters");
      break;
    case T::EMDN:
      if (!IsValidEmdnCode(v)) return Bad(field, "bad-emdn-code", v, "a letter followed by pairs of digits");
      break;
    case T::FDA_510K_NUMBER:
      if (!IsFdaNumber(v, "K")) return Bad(field, "bad-510k-number", v, "K + 6 digits");
      break;
    case T::FDA_DE_NOVO_NUMBER:
      if (!IsFdaNumber(v, "DEN")) return Bad(field, "bad-de-novo-number", v, "DEN + 6 digits");
      break;
    case T::FDA_PMA_NUMBER:
      if (!IsValidPma(v)) return Bad(field, "bad-pma-number", v, "P + 6 digits, optionally /S + 3 digits");
      break;
    case T::FDA_HDE_NUMBER:
      if (!IsFdaNumber(v, "H")) return Bad(field, "bad-hde-number", v, "H + 6 digits");
      break;
    case T::SRN:
      if (!IsValidSrn(v)) return Bad(field, "bad-srn", v, "CC-RR-nnnnnnnnn");
      break;
    case T::NOTIFIED_BODY_NUMBER:
      if (!(v.size() == 4 && AllDigits(v))) return Bad(field, "bad-notified-body-number", v, "4 digits");
      break;
    case T::DUNS:
      if (!(v.size() == 9 && AllDigits(v))) return Bad(field, "bad-duns", v, "9 digits");
      break;
    default:
      break;
  }
  return Status::Ok();
}

Status ValidateOrganization(const v1::Organization& org, const std::string& path) {
  if (!org.country().empty() && !IsCountry(org.country())) {
    return Bad(path + ".country", "bad-country", org.country(), "ISO 3166-1 alpha-2");
  }
  if (!org.address().country().empty() && !IsCountry(org.address().country())) {
    return Bad(path + ".address.country", "bad-country", org.address().country(), "ISO 3166-1 alpha-2");
  }
  if (!org.srn().empty() && !IsValidSrn(org.srn()))
    return Bad(path + ".srn", "bad-srn", org.srn(), "CC-RR-nnnnnnnnn");
  if (!org.duns().empty() && !(org.duns().size() == 9 && AllDigits(org.duns()))) {
    return Bad(path + ".duns", "bad-duns", org.duns(), "9 digits");
  }
  for (int i = 0; i < org.identifiers_size(); ++i) {
    DOSSIER_RETURN_IF_ERROR(ValidateIdentifier(org.identifiers(i), Join(path, Idx("identifiers", i))));
  }
  return Status::Ok();
}

Status ValidateClassifications(const v1::Classifications& c) {
  if (c.has_us()) {
    const auto& us = c.us();
    if (!us.regulation_number().empty() && !IsValidRegulationNumber(us.regulation_number())) {
      return Bad("classifications.us.regulationNumber", "bad-regulation-number", us.regulation_number(),
                 "8xx.nnnn");
    }
    if (!us.product_code().empty() && !IsValidFdaProductCode(us.product_code())) {
      return Bad("classifications.us.productCode", "bad-product-code", us.product_code(),
                 "three upper-case letters");
    }
    for (int i = 0; i < us.additional_product_codes_size(); ++i) {
      if (!IsValidFdaProductCode(us.additional_product_codes(i))) {
        return Bad(Idx("classifications.us.additionalProductCodes", i), "bad-product-code",
                   us.additional_product_codes(i), "three upper-case letters");
      }
    }
  }
  if (c.has_eu()) {
    using E = v1::EuClassification;
    const auto& eu = c.eu();
    const bool ivd_class = eu.device_class() >= E::CLASS_A && eu.device_class() <= E::CLASS_D;
    const bool md_class = eu.device_class() >= E::CLASS_I && eu.device_class() <= E::CLASS_III;
    if ((eu.regulation() == E::MDR && ivd_class) || (eu.regulation() == E::IVDR && md_class)) {
      return InvalidArgument("class " + E::DeviceClass_Name(eu.device_class()) + " does not exist under " +
                                 E::Regulation_Name(eu.regulation()),
                             "bad-eu-class", "classifications.eu.deviceClass");
    }
    const int max_rule = eu.regulation() == E::IVDR ? 7 : 22;
    if (eu.rule() < 0 || eu.rule() > max_rule) {
      return InvalidArgument("rule " + std::to_string(eu.rule()) + " is not an Annex VIII rule",
                             "bad-eu-rule", "classifications.eu.rule");
    }
  }
  if (c.has_samd()) {
    const auto& samd = c.samd();
    const SamdCategory expected = ComputeSamdCategory(samd.significance(), samd.situation());
    if (samd.category() != v1::SamdClassification::CATEGORY_UNSPECIFIED &&
        expected != v1::SamdClassification::CATEGORY_UNSPECIFIED && samd.category() != expected) {
      return InvalidArgument("SaMD category " + std::string(SamdCategoryNumeral(samd.category())) +
                                 " contradicts the IMDRF N12 table, which gives " +
                                 std::string(SamdCategoryNumeral(expected)),
                             "samd-category-mismatch", "classifications.samd.category");
    }
  }
  return Status::Ok();
}

Status ValidateSections(const v1::Dossier& dossier, const TocCatalog& catalog) {
  std::set<std::string, std::less<>> seen;
  for (int i = 0; i < dossier.sections_size(); ++i) {
    const v1::Section& s = dossier.sections(i);
    const std::string path = Idx("sections", i);
    if (s.code().empty()) return Missing(path + ".code");
    const TocHeading* heading = catalog.Find(dossier.toc_edition(), s.code());
    if (heading == nullptr) {
      return InvalidArgument("\"" + s.code() + "\" is not a heading of " + dossier.toc_edition(),
                             "unknown-toc-code", path + ".code");
    }
    if (!seen.insert(s.code()).second) {
      return InvalidArgument("section " + s.code() + " appears more than once", "duplicate-section",
                             path + ".code");
    }
    if (heading->depth == 1 && s.documents_size() > 0) {
      return InvalidArgument("chapter " + s.code() + " holds no documents; use its headings",
                             "chapter-has-documents", path + ".documents");
    }
    for (int j = 0; j < s.documents_size(); ++j) {
      const v1::Document& d = s.documents(j);
      const std::string dpath = path + "." + Idx("documents", j);
      DOSSIER_RETURN_IF_ERROR(CheckDigest(d.digest(), dpath + ".digest", true));
      if (d.media_type().empty()) return Missing(dpath + ".mediaType");
      if (!IsMediaType(d.media_type())) {
        return Bad(dpath + ".mediaType", "bad-media-type", d.media_type(), "type/subtype");
      }
      if (d.size_bytes() < 0) {
        return InvalidArgument("size must not be negative", "bad-size", dpath + ".sizeBytes");
      }
    }
  }
  return Status::Ok();
}

Status ValidateRegional(const v1::RegionalExtensions& r) {
  if (r.has_us()) {
    const auto& us = r.us();
    for (int i = 0; i < us.predicates_size(); ++i) {
      const auto& p = us.predicates(i);
      const std::string path = "regional.us." + Idx("predicates", i);
      if (p.number().empty()) return Missing(path + ".number");
      if (!(IsFdaNumber(p.number(), "K") || IsFdaNumber(p.number(), "DEN") || IsValidPma(p.number()))) {
        return Bad(path + ".number", "bad-predicate-number", p.number(), "a 510(k), De Novo or PMA number");
      }
      if (!p.product_code().empty() && !IsValidFdaProductCode(p.product_code())) {
        return Bad(path + ".productCode", "bad-product-code", p.product_code(), "three upper-case letters");
      }
    }
    if (us.has_applicant())
      DOSSIER_RETURN_IF_ERROR(ValidateOrganization(us.applicant(), "regional.us.applicant"));
    if (us.has_correspondent()) {
      DOSSIER_RETURN_IF_ERROR(ValidateOrganization(us.correspondent(), "regional.us.correspondent"));
    }
    DOSSIER_RETURN_IF_ERROR(CheckDigest(us.form_3674_digest(), "regional.us.form3674Digest", false));
    for (int i = 0; i < us.clinical_trials_size(); ++i) {
      const std::string& nct = us.clinical_trials(i).nct_number();
      if (!nct.empty() && !(nct.size() == 11 && nct.rfind("NCT", 0) == 0 && AllDigits(nct.substr(3)))) {
        return Bad(Idx("regional.us.clinicalTrials", i) + ".nctNumber", "bad-nct-number", nct,
                   "\"NCT\" + 8 digits (ClinicalTrials.gov identifier)");
      }
    }
  }
  if (r.has_eu()) {
    const auto& eu = r.eu();
    if (!eu.notified_body_number().empty() &&
        !(eu.notified_body_number().size() == 4 && AllDigits(eu.notified_body_number()))) {
      return Bad("regional.eu.notifiedBodyNumber", "bad-notified-body-number", eu.notified_body_number(),
                 "4 digits");
    }
    for (int i = 0; i < eu.emdn_codes_size(); ++i) {
      if (!IsValidEmdnCode(eu.emdn_codes(i))) {
        return Bad(Idx("regional.eu.emdnCodes", i), "bad-emdn-code", eu.emdn_codes(i),
                   "a letter followed by pairs of digits");
      }
    }
    DOSSIER_RETURN_IF_ERROR(CheckDigest(eu.declaration_of_conformity_digest(),
                                        "regional.eu.declarationOfConformityDigest", false));
    if (eu.has_authorised_representative()) {
      DOSSIER_RETURN_IF_ERROR(
          ValidateOrganization(eu.authorised_representative(), "regional.eu.authorisedRepresentative"));
    }
    for (int i = 0; i < eu.member_states_size(); ++i) {
      if (!IsCountry(eu.member_states(i))) {
        return Bad(Idx("regional.eu.memberStates", i), "bad-country", eu.member_states(i),
                   "ISO 3166-1 alpha-2");
      }
    }
  }
  if (r.has_sg()) {
    const auto& sg = r.sg();
    if (sg.has_local_registrant()) {
      DOSSIER_RETURN_IF_ERROR(ValidateOrganization(sg.local_registrant(), "regional.sg.localRegistrant"));
    }
    for (int i = 0; i < sg.reference_approvals_size(); ++i) {
      const auto& a = sg.reference_approvals(i);
      const std::string path = "regional.sg." + Idx("referenceApprovals", i);
      DOSSIER_RETURN_IF_ERROR(CheckDate(a.date(), path + ".date"));
      DOSSIER_RETURN_IF_ERROR(CheckDigest(a.document_digest(), path + ".documentDigest", false));
    }
  }
  return Status::Ok();
}

Status CheckInterval(const v1::ConfidenceInterval& ci, double value, const std::string& path) {
  if (ci.lower() > ci.upper() || value < ci.lower() || value > ci.upper()) {
    return InvalidArgument("confidence interval [" + std::to_string(ci.lower()) + ", " +
                               std::to_string(ci.upper()) + "] does not contain " + std::to_string(value),
                           "bad-confidence-interval", path + ".confidenceInterval");
  }
  if (ci.level() != 0 && !(ci.level() > 0 && ci.level() < 1)) {
    return InvalidArgument("confidence level must lie in (0, 1)", "bad-proportion",
                           path + ".confidenceInterval.level");
  }
  return Status::Ok();
}

Status ValidateAi(const v1::AiInformation& ai) {
  std::set<std::string, std::less<>> dataset_ids;
  for (int i = 0; i < ai.datasets_size(); ++i) {
    const auto& d = ai.datasets(i);
    const std::string path = "ai." + Idx("datasets", i);
    if (!d.id().empty() && !dataset_ids.insert(d.id()).second) {
      return InvalidArgument("dataset id " + d.id() + " appears more than once", "duplicate-dataset-id",
                             path + ".id");
    }
    if (d.case_count() < 0 || d.item_count() < 0) {
      return InvalidArgument("counts must not be negative", "bad-count", path);
    }
    for (int j = 0; j < d.population_size(); ++j) {
      DOSSIER_RETURN_IF_ERROR(
          CheckProportion(d.population(j).fraction(), path + "." + Idx("population", j) + ".fraction"));
    }
    DOSSIER_RETURN_IF_ERROR(CheckDate(d.provenance().collected_from(), path + ".provenance.collectedFrom"));
    DOSSIER_RETURN_IF_ERROR(CheckDate(d.provenance().collected_to(), path + ".provenance.collectedTo"));
    DOSSIER_RETURN_IF_ERROR(CheckDigest(d.datasheet_digest(), path + ".datasheetDigest", false));
  }
  for (int i = 0; i < ai.performance_size(); ++i) {
    const auto& m = ai.performance(i);
    const std::string path = "ai." + Idx("performance", i);
    if (m.metric().empty()) return Missing(path + ".metric");
    if (m.has_confidence_interval())
      DOSSIER_RETURN_IF_ERROR(CheckInterval(m.confidence_interval(), m.value(), path));
    if (!m.dataset_id().empty() && !dataset_ids.empty() && dataset_ids.count(m.dataset_id()) == 0) {
      return InvalidArgument("dataset " + m.dataset_id() + " is not listed in ai.datasets",
                             "unknown-dataset-id", path + ".datasetId");
    }
  }
  for (int i = 0; i < ai.generative_evaluations_size(); ++i) {
    const auto& g = ai.generative_evaluations(i);
    const std::string path = "ai." + Idx("generativeEvaluations", i);
    if (g.kind() == v1::GenerativeEvaluation::KIND_UNSPECIFIED) return Missing(path + ".kind");
    if (g.has_confidence_interval())
      DOSSIER_RETURN_IF_ERROR(CheckInterval(g.confidence_interval(), g.value(), path));
  }
  return Status::Ok();
}

}  // namespace

bool IsValidDigest(std::string_view digest) {
  static constexpr std::string_view kPrefix = "sha256:";
  if (digest.size() != kPrefix.size() + 64 || !StartsWith(digest, kPrefix)) return false;
  return std::all_of(digest.begin() + kPrefix.size(), digest.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

bool IsValidGs1Gtin(std::string_view v) {
  if (!AllDigits(v) || !(v.size() == 8 || v.size() == 12 || v.size() == 13 || v.size() == 14)) return false;
  // Weights 3,1,3,1,... from the digit left of the check digit.
  int sum = 0;
  int weight = 3;
  for (size_t i = v.size() - 1; i-- > 0;) {
    sum += (v[i] - '0') * weight;
    weight = 4 - weight;
  }
  return (10 - sum % 10) % 10 == v.back() - '0';
}

bool IsValidFdaProductCode(std::string_view v) { return v.size() == 3 && AllUpper(v); }

bool IsValidEmdnCode(std::string_view v) {
  if (v.empty() || v.size() > 15 || !(v[0] >= 'A' && v[0] <= 'Z')) return false;
  const std::string_view rest = v.substr(1);
  return rest.size() % 2 == 0 && (rest.empty() || AllDigits(rest));
}

bool IsValidSrn(std::string_view v) {
  if (v.size() != 15 || v[2] != '-' || v[5] != '-') return false;
  const std::string_view role = v.substr(3, 2);
  return AllUpper(v.substr(0, 2)) &&
         (role == "MF" || role == "AR" || role == "IM" || role == "PR" || role == "SP") &&
         AllDigits(v.substr(6));
}

bool IsValidIsoDate(std::string_view v) {
  if (v.size() != 10 || v[4] != '-' || v[7] != '-') return false;
  if (!AllDigits(v.substr(0, 4)) || !AllDigits(v.substr(5, 2)) || !AllDigits(v.substr(8, 2))) return false;
  const int month = (v[5] - '0') * 10 + (v[6] - '0');
  const int day = (v[8] - '0') * 10 + (v[9] - '0');
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

Status ValidateDossier(const v1::Dossier& dossier, const TocCatalog& catalog) {
  if (dossier.toc_edition().empty()) return Missing("tocEdition");
  if (!catalog.HasEdition(dossier.toc_edition())) {
    std::string known;
    for (const std::string& e : catalog.Editions()) known += (known.empty() ? "" : ", ") + e;
    return InvalidArgument("ToC edition \"" + dossier.toc_edition() + "\" is unknown; known: " + known,
                           "unknown-toc-edition", "tocEdition");
  }
  const v1::DeviceIdentity& device = dossier.device();
  if (device.trade_name().empty()) return Missing("device.tradeName");
  for (int i = 0; i < device.identifiers_size(); ++i) {
    DOSSIER_RETURN_IF_ERROR(ValidateIdentifier(device.identifiers(i), Idx("device.identifiers", i)));
  }
  if (dossier.has_manufacturer())
    DOSSIER_RETURN_IF_ERROR(ValidateOrganization(dossier.manufacturer(), "manufacturer"));
  DOSSIER_RETURN_IF_ERROR(ValidateClassifications(dossier.classifications()));
  DOSSIER_RETURN_IF_ERROR(ValidateSections(dossier, catalog));
  DOSSIER_RETURN_IF_ERROR(ValidateRegional(dossier.regional()));
  DOSSIER_RETURN_IF_ERROR(ValidateAi(dossier.ai()));
  return Status::Ok();
}

std::vector<std::string> ReferencedDigests(const v1::Dossier& dossier) {
  std::vector<std::string> out;
  for (const v1::Section& s : dossier.sections()) {
    for (const v1::Document& d : s.documents()) {
      if (!d.digest().empty()) out.push_back(d.digest());
    }
  }
  if (!dossier.regional().eu().declaration_of_conformity_digest().empty()) {
    out.push_back(dossier.regional().eu().declaration_of_conformity_digest());
  }
  if (!dossier.regional().us().form_3674_digest().empty()) {
    out.push_back(dossier.regional().us().form_3674_digest());
  }
  for (const auto& a : dossier.regional().sg().reference_approvals()) {
    if (!a.document_digest().empty()) out.push_back(a.document_digest());
  }
  for (const auto& d : dossier.ai().datasets()) {
    if (!d.datasheet_digest().empty()) out.push_back(d.datasheet_digest());
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

bool IsProportionMetric(std::string_view metric) {
  static const std::set<std::string, std::less<>> kProportions = {"sensitivity",
                                                                  "specificity",
                                                                  "ppv",
                                                                  "npv",
                                                                  "positivepredictivevalue",
                                                                  "negativepredictivevalue",
                                                                  "accuracy",
                                                                  "balancedaccuracy",
                                                                  "auc",
                                                                  "auroc",
                                                                  "rocauc",
                                                                  "truepositiverate",
                                                                  "truenegativerate",
                                                                  "falsepositiverate",
                                                                  "falsenegativerate",
                                                                  "tpr",
                                                                  "tnr",
                                                                  "fpr",
                                                                  "fnr",
                                                                  "precision",
                                                                  "recall",
                                                                  "f1",
                                                                  "f1score"};
  std::string key;
  for (char c : metric) {
    if (c == '-' || c == '_' || c == ' ') continue;
    key += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return kProportions.count(key) > 0;
}

namespace {

Status Incomplete(const std::string& reason, const std::string& field, const std::string& what) {
  return InvalidArgument(field + " is required: " + what, reason, field);
}

// The PCCP components (see validate.h): criteria for every modification, the
// modification protocol's parts, the impact assessment.
Status ValidateChangePlanComponents(const v1::ChangePlan& plan) {
  if (plan.device().software_version().empty()) return Missing("device.softwareVersion");
  bool retrains = false;
  for (int i = 0; i < plan.modifications_size(); ++i) {
    const auto& m = plan.modifications(i);
    retrains |= m.type() == v1::Modification::PERFORMANCE;
    const bool measured = std::any_of(plan.criteria().begin(), plan.criteria().end(),
                                      [&](const auto& c) { return c.modification_id() == m.id(); });
    if (!measured) {
      return InvalidArgument(
          "modification " + m.id() + " has no acceptance criterion: it could never be shown to meet the plan",
          "missing-acceptance-criteria", Idx("modifications", i));
    }
  }
  const auto& protocol = plan.protocol();
  const char* kProtocol = "incomplete-protocol";
  if (protocol.data_management().empty())
    return Incomplete(kProtocol, "protocol.dataManagement",
                      "the modification protocol's data management practices");
  if (retrains && protocol.retraining().empty())
    return Incomplete(kProtocol, "protocol.retraining",
                      "re-training practices (a PERFORMANCE modification re-trains)");
  const auto& evaluation = protocol.performance_evaluation();
  if (evaluation.description().empty())
    return Incomplete(kProtocol, "protocol.performanceEvaluation.description",
                      "the performance evaluation protocol");
  if (evaluation.metrics_size() == 0)
    return Incomplete(kProtocol, "protocol.performanceEvaluation.metrics",
                      "the metrics the evaluation measures");
  if (evaluation.test_data().empty())
    return Incomplete(kProtocol, "protocol.performanceEvaluation.testData",
                      "the (sequestered) test data the evaluation uses");
  if (protocol.update_procedures().empty())
    return Incomplete(kProtocol, "protocol.updateProcedures",
                      "update procedures (deployment, users, labelling)");
  const auto& impact = plan.impact_assessment();
  const char* kImpact = "incomplete-impact-assessment";
  const std::pair<const std::string*, const char*> parts[] = {
      {&impact.comparison_to_current(), "impactAssessment.comparisonToCurrent"},
      {&impact.benefits_and_risks(), "impactAssessment.benefitsAndRisks"},
      {&impact.risk_mitigation(), "impactAssessment.riskMitigation"},
      {&impact.verification_and_validation(), "impactAssessment.verificationAndValidation"},
      {&impact.cumulative_impact(), "impactAssessment.cumulativeImpact"},
  };
  for (const auto& [text, field] : parts) {
    if (text->empty()) return Incomplete(kImpact, field, "the impact assessment");
  }
  if (plan.modifications_size() > 1 && impact.interactions().empty())
    return Incomplete(kImpact, "impactAssessment.interactions", "how the modifications affect one another");
  return Status::Ok();
}

}  // namespace

Status ValidateChangePlan(const v1::ChangePlan& plan) {
  std::set<std::string, std::less<>> ids;
  for (int i = 0; i < plan.modifications_size(); ++i) {
    const auto& m = plan.modifications(i);
    const std::string path = Idx("modifications", i);
    if (m.id().empty()) return Missing(path + ".id");
    if (!ids.insert(m.id()).second) {
      return InvalidArgument("modification id " + m.id() + " appears more than once",
                             "duplicate-modification-id", path + ".id");
    }
    if (m.type() == v1::Modification::TYPE_UNSPECIFIED) return Missing(path + ".type");
  }
  // A criterion may only measure a metric the protocol's performance evaluation
  // defines: an acceptance criterion on a metric the protocol never evaluates
  // cannot be verified (FDA PCCP guidance, performance-evaluation component).
  const auto& defined = plan.protocol().performance_evaluation().metrics();
  std::set<std::string, std::less<>> metrics(defined.begin(), defined.end());
  // Two criteria on the same modification, metric, subgroup and estimate would
  // make the plan ambiguous about which threshold binds.
  std::set<std::string, std::less<>> criterion_keys;
  for (int i = 0; i < plan.criteria_size(); ++i) {
    const auto& c = plan.criteria(i);
    const std::string path = Idx("criteria", i);
    if (c.modification_id().empty()) return Missing(path + ".modificationId");
    if (ids.count(c.modification_id()) == 0) {
      return InvalidArgument(
          "criterion names modification " + c.modification_id() + ", which the plan does not define",
          "unknown-modification-id", path + ".modificationId");
    }
    if (c.metric().empty()) return Missing(path + ".metric");
    if (metrics.count(c.metric()) == 0) {
      return InvalidArgument("criterion measures \"" + c.metric() +
                                 "\", which protocol.performanceEvaluation.metrics does not define",
                             "undefined-metric", path + ".metric");
    }
    if (!criterion_keys
             .insert(c.modification_id() + '\n' + c.metric() + '\n' + c.subgroup() + '\n' +
                     // ESTIMATE_UNSPECIFIED means the point estimate.
                     std::to_string(c.estimate() == v1::AcceptanceCriterion::ESTIMATE_UNSPECIFIED
                                        ? static_cast<int>(v1::AcceptanceCriterion::POINT)
                                        : static_cast<int>(c.estimate())))
             .second) {
      return InvalidArgument("a criterion for modification " + c.modification_id() + ", metric " +
                                 c.metric() + " and subgroup \"" + c.subgroup() + "\" appears more than once",
                             "duplicate-criterion", path);
    }
    if (!c.has_min() && !c.has_max()) {
      return InvalidArgument("a criterion needs min or max", "missing-threshold", path);
    }
    // A lower confidence bound can only be held to a minimum, an upper one to a maximum.
    if ((c.estimate() == v1::AcceptanceCriterion::CI_LOWER_BOUND && !c.has_min()) ||
        (c.estimate() == v1::AcceptanceCriterion::CI_UPPER_BOUND && !c.has_max())) {
      return InvalidArgument("a CI_LOWER_BOUND criterion needs min, a CI_UPPER_BOUND criterion needs max",
                             "bad-threshold", path + ".estimate");
    }
    if (c.proportion() || IsProportionMetric(c.metric())) {
      if (c.has_min()) DOSSIER_RETURN_IF_ERROR(CheckProportion(c.min(), path + ".min"));
      if (c.has_max()) DOSSIER_RETURN_IF_ERROR(CheckProportion(c.max(), path + ".max"));
    }
    if (c.has_max_worsening_from_original() && !(c.max_worsening_from_original() >= 0)) {
      return InvalidArgument("maxWorseningFromOriginal must not be negative", "bad-threshold",
                             path + ".maxWorseningFromOriginal");
    }
    if (c.has_min() && c.has_max() && c.min() > c.max()) {
      return InvalidArgument("min exceeds max", "bad-threshold", path + ".min");
    }
  }
  for (int i = 0; i < plan.traceability_size(); ++i) {
    const auto& t = plan.traceability(i);
    if (!t.modification_id().empty() && ids.count(t.modification_id()) == 0) {
      return InvalidArgument(
          "traceability names modification " + t.modification_id() + ", which is not defined",
          "unknown-modification-id", Idx("traceability", i) + ".modificationId");
    }
  }
  for (int i = 0; i < plan.authorizations_size(); ++i) {
    const auto& a = plan.authorizations(i);
    const std::string path = Idx("authorizations", i);
    if (a.jurisdiction() == v1::JURISDICTION_UNSPECIFIED) return Missing(path + ".jurisdiction");
    DOSSIER_RETURN_IF_ERROR(CheckDate(a.date(), path + ".date"));
  }
  return ValidateChangePlanComponents(plan);
}

Status ValidateDecision(const v1::Decision& decision, const TocCatalog& catalog) {
  if (decision.submission().empty()) return Missing("submission");
  if (decision.outcome() == v1::Decision::OUTCOME_UNSPECIFIED) return Missing("outcome");
  DOSSIER_RETURN_IF_ERROR(CheckDate(decision.date(), "date"));
  DOSSIER_RETURN_IF_ERROR(CheckDate(decision.valid_until(), "validUntil"));
  if (!decision.toc_edition().empty() && !catalog.HasEdition(decision.toc_edition())) {
    return InvalidArgument("ToC edition \"" + decision.toc_edition() + "\" is unknown", "unknown-toc-edition",
                           "tocEdition");
  }
  const std::vector<std::string> editions = catalog.Editions();
  std::set<std::string, std::less<>> seen;
  for (int i = 0; i < decision.sections_size(); ++i) {
    const auto& s = decision.sections(i);
    const std::string path = Idx("sections", i);
    if (s.code().empty()) return Missing(path + ".code");
    bool known = false;
    if (!decision.toc_edition().empty()) {
      known = catalog.Find(decision.toc_edition(), s.code()) != nullptr;
    } else {
      known = std::any_of(editions.begin(), editions.end(),
                          [&](const std::string& e) { return catalog.Find(e, s.code()) != nullptr; });
    }
    if (!known) {
      return InvalidArgument("\"" + s.code() + "\" is not a ToC heading", "unknown-toc-code", path + ".code");
    }
    if (!seen.insert(s.code()).second) {
      return InvalidArgument("section " + s.code() + " appears more than once", "duplicate-section",
                             path + ".code");
    }
    DOSSIER_RETURN_IF_ERROR(CheckDigest(s.digest(), path + ".digest", false));
  }
  for (int i = 0; i < decision.documents_size(); ++i) {
    const auto& d = decision.documents(i);
    const std::string path = Idx("documents", i);
    DOSSIER_RETURN_IF_ERROR(CheckDigest(d.digest(), path + ".digest", true));
    if (d.media_type().empty()) return Missing(path + ".mediaType");
  }
  return Status::Ok();
}

}  // namespace dossier::schema
