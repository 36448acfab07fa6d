// FHIR R5: a collection Bundle with one DeviceDefinition, the manufacturer as
// an Organization, and one RegulatedAuthorization per authorisation the
// dossier records (FDA/EU/HSA numbers in device.identifiers, and each HSA
// reference approval). regulatory.md §8 gives the R5 element lists.
//
// Codes without a standard FHIR code system (identifier type, jurisdiction,
// per-region device class) use this hub's URIs under kSystemBase; FHIR allows
// local code systems and the importer reads them back exactly.
#include <boost/json.hpp>

#include "schema/toc.h"
#include "schema/translate/formats.h"
#include "schema/translate/package.h"

namespace dossier::translate {
namespace {

namespace json = boost::json;
constexpr const char* kSystemBase = "https://dossier-exchange.example/fhir/";
const std::string kIdTypeSystem = std::string(kSystemBase) + "CodeSystem/identifier-type";
const std::string kJurisdictionExt = std::string(kSystemBase) + "StructureDefinition/identifier-jurisdiction";
const std::string kClassSystem = std::string(kSystemBase) + "CodeSystem/device-class-";  // + us | eu | sg
const std::string kBasisSystem = std::string(kSystemBase) + "CodeSystem/authorization-basis";
const char* kIsoCountry = "urn:iso:std:iso:3166";

std::string IssuerUri(const std::string& issuer) {
  if (issuer == "GS1") return "http://hl7.org/fhir/NamingSystem/gs1-di";
  if (issuer == "HIBCC") return "http://hl7.org/fhir/NamingSystem/hibcc-dI";
  if (issuer == "ICCBBA") return "http://hl7.org/fhir/NamingSystem/iccbba-other-di";
  return "urn:dossier:issuer:" + issuer;
}

json::object Coding(const std::string& system, const std::string& code, const std::string& display = "") {
  json::object c{{"system", system}, {"code", code}};
  if (!display.empty()) c["display"] = display;
  return c;
}
json::object Concept(json::object coding) { return json::object{{"coding", json::array{std::move(coding)}}}; }
json::object Text(const std::string& text) { return json::object{{"text", text}}; }

std::string Urn(const std::string& seed) {
  std::string hex = Sha256Digest(seed).substr(7, 32);
  return "urn:uuid:" + hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-5" + hex.substr(13, 3) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20, 12);
}

json::object Authorization(const std::string& urn_seed, const std::string& number,
                           const std::string& type_text, const std::string& basis, v1::Jurisdiction region,
                           const std::string& agency, const std::string& date, const std::string& device_urn,
                           const std::string& holder_urn) {
  json::object ra;
  ra["resourceType"] = "RegulatedAuthorization";
  ra["identifier"] = json::array{json::object{{"value", number}}};
  ra["subject"] = json::array{json::object{{"reference", device_urn}}};
  json::object type = Concept(Coding(kBasisSystem, basis));
  type["text"] = type_text;
  ra["type"] = std::move(type);
  if (region != v1::JURISDICTION_UNSPECIFIED)
    ra["region"] = json::array{Concept(Coding(kIsoCountry, v1::Jurisdiction_Name(region)))};
  ra["status"] = Concept(Coding("http://hl7.org/fhir/publication-status", "active"));
  if (!date.empty()) ra["statusDate"] = date;
  if (!holder_urn.empty()) ra["holder"] = json::object{{"reference", holder_urn}};
  if (!agency.empty()) ra["regulator"] = json::object{{"display", agency}};
  return json::object{{"fullUrl", Urn(urn_seed)}, {"resource", std::move(ra)}};
}

}  // namespace

StatusOr<ExportResult> ExportFhirR5(const v1::Dossier& d, std::vector<LossItem> loss) {
  const auto& dev = d.device();
  const std::string seed = Sha256Digest(dev.trade_name() + "|" + d.manufacturer().name());
  const std::string device_urn = Urn("device|" + seed);
  const std::string org_urn = d.has_manufacturer() ? Urn("manufacturer|" + seed) : "";

  json::object dd;
  dd["resourceType"] = "DeviceDefinition";
  json::array identifiers, udis, regulatory;
  for (const auto& id : dev.identifiers()) {
    json::object i;
    i["system"] = IssuerUri(id.issuer());
    i["value"] = id.value();
    i["type"] = Concept(Coding(kIdTypeSystem, v1::Identifier::Type_Name(id.type())));
    if (!id.issuer().empty()) i["assigner"] = json::object{{"display", id.issuer()}};
    if (id.jurisdiction() != v1::JURISDICTION_UNSPECIFIED)
      i["extension"] = json::array{
          json::object{{"url", kJurisdictionExt}, {"valueCode", v1::Jurisdiction_Name(id.jurisdiction())}}};
    identifiers.push_back(std::move(i));
    // The dedicated R5 elements, for consumers that look there (derived).
    if (id.type() == v1::Identifier::UDI_DI)
      udis.push_back(json::object{
          {"deviceIdentifier", id.value()},
          {"issuer", IssuerUri(id.issuer())},
          {"jurisdiction", "urn:dossier:jurisdiction:" + v1::Jurisdiction_Name(id.jurisdiction())}});
    if (id.type() == v1::Identifier::BASIC_UDI_DI)
      regulatory.push_back(json::object{{"type", "basic"},
                                        {"deviceIdentifier", id.value()},
                                        {"issuer", IssuerUri(id.issuer())},
                                        {"jurisdiction", "urn:dossier:jurisdiction:EU"}});
  }
  if (!identifiers.empty()) dd["identifier"] = std::move(identifiers);
  if (!udis.empty()) dd["udiDeviceIdentifier"] = std::move(udis);
  if (!regulatory.empty()) dd["regulatoryIdentifier"] = std::move(regulatory);
  if (!dev.catalogue_numbers().empty()) dd["partNumber"] = dev.catalogue_numbers(0);
  if (!org_urn.empty()) dd["manufacturer"] = json::object{{"reference", org_urn}};
  if (!dev.trade_name().empty())
    dd["deviceName"] = json::array{json::object{{"name", dev.trade_name()}, {"type", "registered-name"}}};
  if (!dev.model_numbers().empty()) dd["modelNumber"] = dev.model_numbers(0);
  if (!dev.description().empty()) dd["description"] = dev.description();
  if (!dev.software_version().empty())
    dd["version"] = json::array{json::object{{"type", Text("software")}, {"value", dev.software_version()}}};
  json::array classes;
  const auto& c = d.classifications();
  if (c.us().device_class() != v1::UsClassification::DEVICE_CLASS_UNSPECIFIED)
    classes.push_back(json::object{
        {"type", Concept(Coding(kClassSystem + "us",
                                v1::UsClassification::DeviceClass_Name(c.us().device_class())))}});
  if (c.eu().device_class() != v1::EuClassification::DEVICE_CLASS_UNSPECIFIED)
    classes.push_back(json::object{
        {"type", Concept(Coding(kClassSystem + "eu",
                                v1::EuClassification::DeviceClass_Name(c.eu().device_class())))}});
  if (c.sg().risk_class() != v1::SgClassification::RISK_CLASS_UNSPECIFIED)
    classes.push_back(json::object{
        {"type",
         Concept(Coding(kClassSystem + "sg", v1::SgClassification::RiskClass_Name(c.sg().risk_class())))}});
  if (!classes.empty()) dd["classification"] = std::move(classes);
  json::object guideline;
  if (!d.intended_use().empty()) guideline["intendedUse"] = d.intended_use();
  json::array ind, contra, warn;
  for (const auto& s : d.indications()) ind.push_back(json::object{{"concept", Text(s)}});
  for (const auto& s : d.contraindications()) contra.push_back(Text(s));
  for (const auto& s : d.warnings()) warn.push_back(Text(s));
  if (!ind.empty()) guideline["indication"] = std::move(ind);
  if (!contra.empty()) guideline["contraindication"] = std::move(contra);
  if (!warn.empty()) guideline["warning"] = std::move(warn);
  if (!guideline.empty()) dd["guideline"] = std::move(guideline);

  json::array entries;
  entries.push_back(json::object{{"fullUrl", device_urn}, {"resource", std::move(dd)}});
  if (d.has_manufacturer()) {
    const auto& m = d.manufacturer();
    json::object org{{"resourceType", "Organization"}};
    if (!m.name().empty()) org["name"] = m.name();
    json::array contacts;
    if (m.has_address()) {
      json::object a;
      json::array lines;
      for (const auto& l : m.address().lines()) lines.push_back(json::value(l));
      if (!lines.empty()) a["line"] = std::move(lines);
      if (!m.address().city().empty()) a["city"] = m.address().city();
      if (!m.address().region().empty()) a["state"] = m.address().region();
      if (!m.address().postal_code().empty()) a["postalCode"] = m.address().postal_code();
      if (!m.address().country().empty()) a["country"] = m.address().country();
      contacts.push_back(json::object{{"address", std::move(a)}});
    }
    if (m.has_contact()) {
      json::object person;
      if (!m.contact().name().empty()) person["name"] = json::array{Text(m.contact().name())};
      json::array telecom;
      if (!m.contact().email().empty())
        telecom.push_back(json::object{{"system", "email"}, {"value", m.contact().email()}});
      if (!m.contact().phone().empty())
        telecom.push_back(json::object{{"system", "phone"}, {"value", m.contact().phone()}});
      if (!telecom.empty()) person["telecom"] = std::move(telecom);
      contacts.push_back(std::move(person));
    }
    if (!contacts.empty()) org["contact"] = std::move(contacts);
    entries.push_back(json::object{{"fullUrl", org_urn}, {"resource", std::move(org)}});
  }
  // Authorisations recorded as identifiers (derived; the identifiers carry them).
  for (const auto& id : dev.identifiers()) {
    std::string type;
    switch (id.type()) {
      case v1::Identifier::FDA_510K_NUMBER:
        type = "FDA 510(k) clearance";
        break;
      case v1::Identifier::FDA_DE_NOVO_NUMBER:
        type = "FDA De Novo classification";
        break;
      case v1::Identifier::FDA_PMA_NUMBER:
        type = "FDA premarket approval";
        break;
      case v1::Identifier::FDA_HDE_NUMBER:
        type = "FDA humanitarian device exemption";
        break;
      case v1::Identifier::EU_CERTIFICATE_NUMBER:
        type = "EU notified-body certificate";
        break;
      case v1::Identifier::HSA_LISTING_NUMBER:
        type = "HSA registration (SMDR listing)";
        break;
      default:
        continue;
    }
    const v1::Jurisdiction region = id.jurisdiction() != v1::JURISDICTION_UNSPECIFIED ? id.jurisdiction()
                                    : type.rfind("FDA", 0) == 0                       ? v1::US
                                    : type.rfind("EU", 0) == 0                        ? v1::EU
                                                                                      : v1::SG;
    entries.push_back(Authorization("auth|" + seed + "|" + id.value(), id.value(), type, "device-identifier",
                                    region, id.issuer(), "", device_urn, org_urn));
  }
  int i = 0;
  for (const auto& a : d.regional().sg().reference_approvals()) {
    entries.push_back(Authorization("ref|" + seed + "|" + std::to_string(i++), a.reference(),
                                    "Reference-agency approval relied on by HSA", "hsa-reference-approval",
                                    a.jurisdiction(), a.agency(), a.date(), device_urn, org_urn));
  }
  json::object bundle{{"resourceType", "Bundle"}, {"type", "collection"}, {"entry", std::move(entries)}};
  ExportResult r;
  r.content_type = "application/fhir+json";
  r.bytes = PrettyJson(bundle);
  r.loss = std::move(loss);
  return r;
}

namespace {

std::string CodeOf(const json::value& cc, const std::string& system) {
  const json::value* codings = Member(cc, "coding");
  if (!codings || !codings->is_array()) return "";
  for (const auto& c : codings->as_array()) {
    if (StringMember(c, "system") == system) return StringMember(c, "code");
  }
  return "";
}

const json::array* ArrayMember(const json::value& v, std::string_view key) {
  const json::value* m = Member(v, key);
  return m && m->is_array() ? &m->as_array() : nullptr;
}

}  // namespace

Status ImportFhirR5(const std::filesystem::path& in, const ImportLimits& limits, const Emit& emit) {
  DOSSIER_ASSIGN_OR_RETURN(std::string text, ReadFileCapped(in, limits.max_json_bytes));
  DOSSIER_ASSIGN_OR_RETURN(json::value bundle, ParseJsonText(text, "Bundle"));
  if (StringMember(bundle, "resourceType") != "Bundle")
    return InvalidArgument("not a FHIR Bundle", "bad-json", "resourceType");
  std::map<std::string, const json::value*> by_url;
  const json::value* device = nullptr;
  std::vector<const json::value*> authorizations;
  if (const json::array* entries = ArrayMember(bundle, "entry")) {
    for (const auto& e : *entries) {
      const json::value* r = Member(e, "resource");
      if (!r) continue;
      by_url[StringMember(e, "fullUrl")] = r;
      const std::string type = StringMember(*r, "resourceType");
      if (type == "DeviceDefinition" && !device) device = r;
      if (type == "RegulatedAuthorization") authorizations.push_back(r);
    }
  }
  if (!device) return InvalidArgument("Bundle holds no DeviceDefinition", "bad-package", "entry");
  ImportRecord rec;
  v1::Dossier& d = rec.content;
  auto* dev = d.mutable_device();
  int ii = 0;
  if (const json::array* ids = ArrayMember(*device, "identifier")) {
    for (const auto& i : *ids) {
      auto* id = dev->add_identifiers();
      v1::Identifier::Type type = v1::Identifier::OTHER;
      if (const json::value* t = Member(i, "type"))
        v1::Identifier::Type_Parse(CodeOf(*t, kIdTypeSystem), &type);
      id->set_type(type);
      id->set_value(StringMember(i, "value"));
      if (const json::value* a = Member(i, "assigner")) id->set_issuer(StringMember(*a, "display"));
      if (const json::array* ext = ArrayMember(i, "extension")) {
        for (const auto& x : *ext) {
          v1::Jurisdiction j;
          if (StringMember(x, "url") == kJurisdictionExt &&
              v1::Jurisdiction_Parse(StringMember(x, "valueCode"), &j))
            id->set_jurisdiction(j);
        }
      }
      if (type == v1::Identifier::OTHER && id->issuer().empty())
        rec.loss.push_back({"DeviceDefinition.identifier[" + std::to_string(ii) + "].type",
                            "identifier type unknown; kept as OTHER"});
      ++ii;
    }
  }
  if (auto v = StringMember(*device, "partNumber"); !v.empty()) dev->add_catalogue_numbers(v);
  if (auto v = StringMember(*device, "modelNumber"); !v.empty()) dev->add_model_numbers(v);
  dev->set_description(StringMember(*device, "description"));
  if (const json::array* names = ArrayMember(*device, "deviceName")) {
    for (const auto& n : *names) {
      if (dev->trade_name().empty() || StringMember(n, "type") == "registered-name")
        dev->set_trade_name(StringMember(n, "name"));
    }
  }
  if (const json::array* versions = ArrayMember(*device, "version")) {
    for (const auto& v : *versions) dev->set_software_version(StringMember(v, "value"));
  }
  if (const json::array* classes = ArrayMember(*device, "classification")) {
    auto* c = d.mutable_classifications();
    for (const auto& cl : *classes) {
      const json::value* t = Member(cl, "type");
      if (!t) continue;
      v1::UsClassification::DeviceClass us;
      v1::EuClassification::DeviceClass eu;
      v1::SgClassification::RiskClass sg;
      if (v1::UsClassification::DeviceClass_Parse(CodeOf(*t, kClassSystem + "us"), &us))
        c->mutable_us()->set_device_class(us);
      if (v1::EuClassification::DeviceClass_Parse(CodeOf(*t, kClassSystem + "eu"), &eu))
        c->mutable_eu()->set_device_class(eu);
      if (v1::SgClassification::RiskClass_Parse(CodeOf(*t, kClassSystem + "sg"), &sg))
        c->mutable_sg()->set_risk_class(sg);
    }
  }
  if (const json::value* g = Member(*device, "guideline")) {
    d.set_intended_use(StringMember(*g, "intendedUse"));
    if (const json::array* a = ArrayMember(*g, "indication")) {
      for (const auto& x : *a) {
        if (const json::value* c = Member(x, "concept")) d.add_indications(StringMember(*c, "text"));
      }
    }
    if (const json::array* a = ArrayMember(*g, "contraindication")) {
      for (const auto& x : *a) d.add_contraindications(StringMember(x, "text"));
    }
    if (const json::array* a = ArrayMember(*g, "warning")) {
      for (const auto& x : *a) d.add_warnings(StringMember(x, "text"));
    }
  }
  const json::value* org = nullptr;
  if (const json::value* m = Member(*device, "manufacturer")) {
    auto it = by_url.find(StringMember(*m, "reference"));
    if (it != by_url.end()) org = it->second;
  }
  if (org) {
    auto* m = d.mutable_manufacturer();
    m->set_name(StringMember(*org, "name"));
    if (const json::array* contacts = ArrayMember(*org, "contact")) {
      for (const auto& c : *contacts) {
        if (const json::value* a = Member(c, "address")) {
          auto* addr = m->mutable_address();
          if (const json::array* lines = ArrayMember(*a, "line")) {
            for (const auto& l : *lines) addr->add_lines(l.is_string() ? std::string(l.as_string()) : "");
          }
          addr->set_city(StringMember(*a, "city"));
          addr->set_region(StringMember(*a, "state"));
          addr->set_postal_code(StringMember(*a, "postalCode"));
          addr->set_country(StringMember(*a, "country"));
        }
        if (const json::array* names = ArrayMember(c, "name"); names && !names->empty())
          m->mutable_contact()->set_name(StringMember((*names)[0], "text"));
        if (const json::array* telecom = ArrayMember(c, "telecom")) {
          for (const auto& t : *telecom) {
            if (StringMember(t, "system") == "email")
              m->mutable_contact()->set_email(StringMember(t, "value"));
            if (StringMember(t, "system") == "phone")
              m->mutable_contact()->set_phone(StringMember(t, "value"));
          }
        }
      }
    }
  }
  for (const json::value* ra : authorizations) {
    const json::value* type = Member(*ra, "type");
    if (!type || CodeOf(*type, kBasisSystem) != "hsa-reference-approval")
      continue;  // others mirror identifiers
    auto* a = d.mutable_regional()->mutable_sg()->add_reference_approvals();
    if (const json::array* ids = ArrayMember(*ra, "identifier"); ids && !ids->empty())
      a->set_reference(StringMember((*ids)[0], "value"));
    if (const json::array* regions = ArrayMember(*ra, "region"); regions && !regions->empty()) {
      v1::Jurisdiction j;
      if (v1::Jurisdiction_Parse(CodeOf((*regions)[0], kIsoCountry), &j)) a->set_jurisdiction(j);
    }
    if (const json::value* reg = Member(*ra, "regulator")) a->set_agency(StringMember(*reg, "display"));
    a->set_date(StringMember(*ra, "statusDate"));
  }
  return emit(std::move(rec));
}

}  // namespace dossier::translate
