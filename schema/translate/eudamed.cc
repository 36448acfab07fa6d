// EUDAMED machine-to-machine (DTX) XML: the registration message the eu-mdr
// export carries, and the importer for DTX Push / PullResponse messages.
//
// Export: one m:Push, service DEVICE / POST, whose payload is a device:Device
// of type MDRDeviceType (or IVDRDeviceType) with the Basic UDI-DI and UDI-DI
// data; element order follows XSD/data/Entity/Device/RegulationDevice/*.xsd
// (the tests validate every export against XSD/service/Message.xsd).
//
// Import: real EUDAMED output breaks its own XSD (empty containers, values of
// older schema versions). The importer therefore does not validate; it takes
// what maps onto the canonical dossier and lists every other element -
// including empty or unrecognised ones - as loss. Well-formedness is still
// required ("bad-xml").
#include <libxml/tree.h>

#include <chrono>
#include <ctime>
#include <set>

#include "schema/toc.h"
#include "schema/translate/formats.h"
#include "schema/translate/package.h"
#include "schema/translate/xml_stream.h"

namespace dossier::translate {
namespace {

std::string Esc(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

// A UUID-shaped id derived from the content, so the same dossier gives the
// same message id (the message is idempotent in EUDAMED terms).
std::string UuidFrom(std::string_view seed) {
  std::string hex = Sha256Digest(seed).substr(7, 32);
  hex[12] = '5';  // name-based UUID layout
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" + hex.substr(16, 4) + "-" +
         hex.substr(20, 12);
}

std::string IssuerOf(const std::string& issuer) {
  static const std::set<std::string> kKnown = {"GS1", "HIBCC", "ICCBBA", "IFA", "EUDAMED"};
  return kKnown.count(issuer) ? issuer : "";
}

std::string LanguageOf(const std::string& bcp47) {
  // EUDAMED LanguageEnum uses upper-case ISO 639-1 codes.
  std::string l = bcp47.substr(0, bcp47.find('-'));
  for (char& c : l) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return l.size() == 2 ? l : "ANY";
}

const char* kNamespaces =
    " xmlns:m=\"https://ec.europa.eu/tools/eudamed/dtx/servicemodel/Message/v1\""
    " xmlns:s=\"https://ec.europa.eu/tools/eudamed/dtx/servicemodel/Service/v1\""
    " xmlns:device=\"https://ec.europa.eu/tools/eudamed/dtx/datamodel/Entity/Device/v1\""
    " xmlns:basicudi=\"https://ec.europa.eu/tools/eudamed/dtx/datamodel/Entity/Device/BasicUDI/v1\""
    " xmlns:udidi=\"https://ec.europa.eu/tools/eudamed/dtx/datamodel/Entity/UDIDI/v1\""
    " xmlns:commondi=\"https://ec.europa.eu/tools/eudamed/dtx/datamodel/Entity/Device/CommonDevice/v1\""
    " xmlns:lsn=\"https://ec.europa.eu/tools/eudamed/dtx/datamodel/Entity/Common/LanguageSpecific/v1\""
    " xmlns:links=\"https://ec.europa.eu/tools/eudamed/dtx/datamodel/Entity/Links/v1\""
    " xmlns:marketinfo=\"https://ec.europa.eu/tools/eudamed/dtx/datamodel/Entity/MktInfo/MarketInfo/v1\""
    " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"";

}  // namespace

StatusOr<std::string> EudamedDeviceRegistrationXml(const v1::Dossier& d) {
  auto fail = [](const std::string& why) { return FailedPrecondition(why, "not-exportable"); };
  const auto& eu = d.regional().eu();
  const auto& cls = d.classifications().eu();
  std::string basic = eu.basic_udi_di(), basic_issuer = "GS1";
  const v1::Identifier* udi = nullptr;
  for (const auto& id : d.device().identifiers()) {
    if (id.type() == v1::Identifier::BASIC_UDI_DI) {
      if (basic.empty()) basic = id.value();
      if (!IssuerOf(id.issuer()).empty()) basic_issuer = IssuerOf(id.issuer());
    }
    if (id.type() == v1::Identifier::UDI_DI && !udi) udi = &id;
  }
  if (basic.empty()) return fail("no Basic UDI-DI (regional.eu.basicUdiDi)");
  if (!udi) return fail("no UDI-DI in device.identifiers");
  if (IssuerOf(udi->issuer()).empty())
    return fail("UDI-DI issuer '" + udi->issuer() + "' is not a EUDAMED issuing entity");
  if (d.manufacturer().srn().empty()) return fail("no manufacturer SRN (MFActorCode)");
  if (cls.device_class() == v1::EuClassification::DEVICE_CLASS_UNSPECIFIED) return fail("no EU risk class");
  if (eu.emdn_codes().empty()) return fail("no EMDN code (MDNCodes)");
  const bool ivdr = cls.regulation() == v1::EuClassification::IVDR;
  const std::string reg = ivdr ? "IVDR" : "MDR";
  const std::string model =
      !d.device().model_numbers().empty() ? d.device().model_numbers(0) : d.device().trade_name();
  const std::string reference =
      !d.device().catalogue_numbers().empty() ? d.device().catalogue_numbers(0) : model;
  if (model.empty()) return fail("no model number or trade name");

  auto di = [](const std::string& code, const std::string& issuer) {
    return "<commondi:DICode>" + Esc(code) + "</commondi:DICode><commondi:issuingEntityCode>" + issuer +
           "</commondi:issuingEntityCode>";
  };
  std::string x;
  x += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  x += "<m:Push";
  x += kNamespaces;
  x += " version=\"3.0.25\">\n";
  const std::string seed = basic + "|" + udi->value() + "|" + d.manufacturer().srn();
  const std::time_t now = std::time(nullptr);
  char when[32];
  std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  x += "  <m:conversationID>" + UuidFrom("conversation|" + seed) + "</m:conversationID>\n";
  x += "  <m:correlationID>" + UuidFrom("correlation|" + seed) + "</m:correlationID>\n";
  x += "  <m:creationDateTime>" + std::string(when) + "</m:creationDateTime>\n";
  x += "  <m:messageID>" + UuidFrom("message|" + seed) + "</m:messageID>\n";
  x += "  "
       "<m:recipient><m:node><s:nodeActorCode>EUDAMED</s:nodeActorCode><s:nodeID>eDelivery:EUDAMED</"
       "s:nodeID></m:node>"
       "<m:service><s:serviceAccessToken>TO-BE-SET-BY-SENDER</s:serviceAccessToken><s:serviceID>DEVICE</"
       "s:serviceID>"
       "<s:serviceOperation>POST</s:serviceOperation></m:service></m:recipient>\n";
  x += "  <m:payload>\n    <device:Device xsi:type=\"device:" + reg + "DeviceType\">\n";
  // --- Basic UDI-DI (BasicUDIType.xsd: BasicUDIType, DeviceBasicUDIType, <reg>BasicUDIType)
  x += "      <device:" + reg + "BasicUDI>\n";
  x += "        <basicudi:riskClass>" + v1::EuClassification::DeviceClass_Name(cls.device_class()) +
       "</basicudi:riskClass>\n";
  x += "        <basicudi:model>" + Esc(model) + "</basicudi:model>\n";
  x += "        <basicudi:identifier>" + di(basic, basic_issuer) + "</basicudi:identifier>\n";
  x += "        <basicudi:animalTissuesCells>false</basicudi:animalTissuesCells>\n";
  if (!eu.authorised_representative().srn().empty())
    x += "        <basicudi:ARActorCode>" + Esc(eu.authorised_representative().srn()) +
         "</basicudi:ARActorCode>\n";
  x += "        <basicudi:humanTissuesCells>false</basicudi:humanTissuesCells>\n";
  x += "        <basicudi:MFActorCode>" + Esc(d.manufacturer().srn()) + "</basicudi:MFActorCode>\n";
  if (!ivdr) {
    x += "        <basicudi:humanProductCheck>false</basicudi:humanProductCheck>\n";
    x += "        <basicudi:medicinalProductCheck>false</basicudi:medicinalProductCheck>\n";
    if (d.device().software_only())
      x += "        <basicudi:specialDevice>MDR_SOFTWARE</basicudi:specialDevice>\n";
    x += "        <basicudi:type>DEVICE</basicudi:type>\n";
    x += "        <commondi:active>" + std::string(d.device().software_only() ? "true" : "false") +
         "</commondi:active>\n";
    x += "        <commondi:administeringMedicine>false</commondi:administeringMedicine>\n";
    x += "        <commondi:implantable>false</commondi:implantable>\n";
    x += "        <commondi:measuringFunction>" + std::string(cls.measuring_function() ? "true" : "false") +
         "</commondi:measuringFunction>\n";
    x += "        <commondi:reusable>" + std::string(cls.reusable_surgical() ? "true" : "false") +
         "</commondi:reusable>\n";
  } else {
    for (const char* flag : {"companionDiagnostics", "instrument", "kit", "microbialSubstances",
                             "nearPatientTesting", "professionalTesting", "reagent", "selfTesting"}) {
      x += "        <commondi:" + std::string(flag) + ">false</commondi:" + flag + ">\n";
    }
  }
  x += "      </device:" + reg + "BasicUDI>\n";
  // --- UDI-DI (UDIDIType.xsd: UDIDIType, UDIDIDataType, DeviceUDIDIDataType, <reg>UDIDIDataType)
  x += "      <device:" + reg + "UDIDIData>\n";
  x += "        <udidi:identifier>" + di(udi->value(), IssuerOf(udi->issuer())) + "</udidi:identifier>\n";
  x += "        <udidi:status><commondi:code>ON_THE_MARKET</commondi:code></udidi:status>\n";
  const std::string lang = eu.languages().empty() ? "EN" : LanguageOf(eu.languages(0));
  if (!d.device().description().empty()) {
    std::string desc = d.device().description().substr(0, 2000);  // stringLType cap
    x += "        <udidi:additionalDescription><lsn:name><lsn:language>" + lang +
         "</lsn:language><lsn:textValue>" + Esc(desc) +
         "</lsn:textValue></lsn:name></udidi:additionalDescription>\n";
  }
  x += "        <udidi:basicUDIIdentifier>" + di(basic, basic_issuer) + "</udidi:basicUDIIdentifier>\n";
  std::string mdn;
  for (const auto& c : eu.emdn_codes()) mdn += (mdn.empty() ? "" : " ") + c;
  x += "        <udidi:MDNCodes>" + Esc(mdn) + "</udidi:MDNCodes>\n";
  if (d.device().software_only() || !d.device().software_version().empty())
    x += "        <udidi:productionIdentifier>SOFTWARE_IDENTIFICATION</udidi:productionIdentifier>\n";
  x += "        <udidi:referenceNumber>" + Esc(reference) + "</udidi:referenceNumber>\n";
  x += "        <udidi:sterile>" + std::string(cls.sterile() ? "true" : "false") + "</udidi:sterile>\n";
  x += "        <udidi:sterilization>false</udidi:sterilization>\n";
  if (!d.device().trade_name().empty())
    x += "        <udidi:tradeNames><lsn:name><lsn:language>ANY</lsn:language><lsn:textValue>" +
         Esc(d.device().trade_name()) + "</lsn:textValue></lsn:name></udidi:tradeNames>\n";
  // numberOfReuses: -1 would mean "unlimited"; 0 = single use / not applicable for software.
  x += "        <udidi:numberOfReuses>0</udidi:numberOfReuses>\n";
  if (!eu.member_states().empty()) {
    x += "        <udidi:marketInfos>";
    bool first = true;
    for (const auto& ms : eu.member_states()) {
      x += "<marketinfo:marketInfo><marketinfo:country>" + Esc(ms) +
           "</marketinfo:country>"
           "<marketinfo:originalPlacedOnTheMarket>" +
           (first ? "true" : "false") + "</marketinfo:originalPlacedOnTheMarket></marketinfo:marketInfo>";
      first = false;
    }
    x += "</udidi:marketInfos>\n";
  }
  if (!ivdr) {
    x += "        <udidi:latex>false</udidi:latex>\n";
    x += "        <udidi:reprocessed>false</udidi:reprocessed>\n";
  } else {
    x += "        <udidi:newDevice>true</udidi:newDevice>\n";
  }
  x += "      </device:" + reg + "UDIDIData>\n";
  x += "    </device:Device>\n  </m:payload>\n";
  x += "  <m:sender><m:node><s:nodeActorCode>" + Esc(d.manufacturer().srn()) +
       "</s:nodeActorCode><s:nodeID>" + Esc(d.manufacturer().srn()) +
       "</s:nodeID></m:node><m:service><s:serviceID>DEVICE</s:serviceID>"
       "<s:serviceOperation>POST</s:serviceOperation></m:service></m:sender>\n";
  x += "</m:Push>\n";
  return x;
}

// ---------------------------------------------------------------------------------------------------------------------
namespace {

std::string XsiType(xmlNodePtr n) {
  xmlChar* t = xmlGetNsProp(n, reinterpret_cast<const xmlChar*>("type"),
                            reinterpret_cast<const xmlChar*>("http://www.w3.org/2001/XMLSchema-instance"));
  std::string s = t ? reinterpret_cast<const char*>(t) : "";
  xmlFree(t);
  return s.substr(s.find(':') == std::string::npos ? 0 : s.find(':') + 1);
}

// Text of the preferred language entry of a LanguageSpecificTextsType.
std::string PickLanguage(xmlNodePtr texts, std::vector<std::string>* others) {
  std::string chosen, chosen_lang;
  int rank_best = 99;
  for (xmlNodePtr name : Children(texts)) {
    const std::string lang = ChildText(name, "language");
    const std::string text = ChildText(name, "textValue");
    if (text.empty()) continue;
    const int rank = lang == "EN" ? 0 : lang == "ANY" ? 1 : lang.empty() ? 2 : 3;
    if (rank < rank_best) {
      if (!chosen.empty() && others) others->push_back(chosen_lang);
      rank_best = rank;
      chosen = text;
      chosen_lang = lang;
    } else if (others) {
      others->push_back(lang);
    }
  }
  return chosen;
}

bool Empty(xmlNodePtr n) { return NodeText(n).empty() && Children(n).empty(); }

class DtxMapper {
 public:
  explicit DtxMapper(std::string prefix) : prefix_(std::move(prefix)) {
    rec_.content.set_toc_edition(std::string(schema::kTocEditionNivd));
  }

  void Lose(const std::string& path, const std::string& why) {
    rec_.loss.push_back({path.empty() ? prefix_ : prefix_ + "." + path, why});
  }

  void Regulation(const std::string& type_or_name) {
    auto* cls = rec_.content.mutable_classifications()->mutable_eu();
    if (type_or_name.rfind("IVDR", 0) == 0) {
      cls->set_regulation(v1::EuClassification::IVDR);
      rec_.content.set_toc_edition(std::string(schema::kTocEditionIvd));
    } else if (type_or_name.rfind("MDR", 0) == 0) {
      cls->set_regulation(v1::EuClassification::MDR);
    }
  }

  void Ident(v1::Identifier::Type type, xmlNodePtr id) {
    auto* out = rec_.content.mutable_device()->add_identifiers();
    out->set_type(type);
    out->set_value(ChildText(id, "DICode"));
    out->set_issuer(ChildText(id, "issuingEntityCode"));
    out->set_jurisdiction(
        out->issuer() == "EUDAMED" || type == v1::Identifier::BASIC_UDI_DI ? v1::EU : v1::INTERNATIONAL);
  }

  void BasicUdi(xmlNodePtr b, const std::string& path) {
    Regulation(!XsiType(b).empty() ? XsiType(b) : LocalNameOf(b));
    auto& d = rec_.content;
    auto* eu = d.mutable_regional()->mutable_eu();
    auto* cls = d.mutable_classifications()->mutable_eu();
    for (xmlNodePtr c : Children(b)) {
      const std::string n = LocalNameOf(c);
      const std::string p = path.empty() ? n : path + "." + n;
      const std::string t = NodeText(c);
      if (Empty(c)) {
        Lose(p, "empty element skipped");
      } else if (n == "riskClass") {
        v1::EuClassification::DeviceClass dc;
        if (v1::EuClassification::DeviceClass_Parse(t, &dc)) {
          cls->set_device_class(dc);
        } else {
          Lose(p, "risk class " + t + " (directive-era) has no MDR/IVDR canonical value");
        }
      } else if (n == "model") {
        d.mutable_device()->add_model_numbers(t);
      } else if (n == "modelName") {
        if (auto m = ChildText(c, "model"); !m.empty()) d.mutable_device()->add_model_numbers(m);
        if (!ChildText(c, "name").empty()) Lose(p + ".name", "model name text has no canonical field");
      } else if (n == "identifier") {
        Ident(v1::Identifier::BASIC_UDI_DI, c);
        eu->set_basic_udi_di(ChildText(c, "DICode"));
      } else if (n == "MFActorCode" || n == "PRActorCode") {
        d.mutable_manufacturer()->set_srn(t);
      } else if (n == "ARActorCode") {
        eu->mutable_authorised_representative()->set_srn(t);
      } else if (n == "specialDevice" && t.find("SOFTWARE") != std::string::npos) {
        d.mutable_device()->set_software_only(true);
      } else if (n == "measuringFunction") {
        cls->set_measuring_function(t == "true");
      } else if (n == "deviceCertificateLinks") {
        int i = 0;
        for (xmlNodePtr link : Children(c)) {
          const std::string nb = ChildText(link, "NBActorCode");
          const std::string number = ChildText(link, "certificateNumber");
          if (!nb.empty()) eu->set_notified_body_number(nb);
          if (!number.empty()) {
            auto* id = d.mutable_device()->add_identifiers();
            id->set_type(v1::Identifier::EU_CERTIFICATE_NUMBER);
            id->set_value(number);
            id->set_issuer(nb);
            id->set_jurisdiction(v1::EU);
          }
          if (!ChildText(link, "certificateType").empty())
            Lose(p + "[" + std::to_string(i) + "].certificateType",
                 "certificate type/revision are certificate data, not dossier data");
          ++i;
        }
      } else {
        Lose(p, "no canonical field for EUDAMED Basic UDI-DI element " + n);
      }
    }
  }

  void UdiDi(xmlNodePtr u, const std::string& path) {
    Regulation(!XsiType(u).empty() ? XsiType(u) : LocalNameOf(u));
    auto& d = rec_.content;
    auto* eu = d.mutable_regional()->mutable_eu();
    for (xmlNodePtr c : Children(u)) {
      const std::string n = LocalNameOf(c);
      const std::string p = path.empty() ? n : path + "." + n;
      const std::string t = NodeText(c);
      if (Empty(c)) {
        Lose(p, "empty element skipped");
      } else if (n == "identifier") {
        Ident(v1::Identifier::UDI_DI, c);
      } else if (n == "basicUDIIdentifier") {
        if (eu->basic_udi_di().empty()) eu->set_basic_udi_di(ChildText(c, "DICode"));
      } else if (n == "MDNCodes") {
        size_t pos = 0;
        while (pos < t.size()) {
          size_t end = t.find(' ', pos);
          if (end == std::string::npos) end = t.size();
          if (end > pos) eu->add_emdn_codes(t.substr(pos, end - pos));
          pos = end + 1;
        }
      } else if (n == "referenceNumber") {
        d.mutable_device()->add_catalogue_numbers(t);
      } else if (n == "sterile") {
        d.mutable_classifications()->mutable_eu()->set_sterile(t == "true");
      } else if (n == "tradeNames" || n == "additionalDescription") {
        std::vector<std::string> others;
        const std::string text = PickLanguage(c, &others);
        if (n == "tradeNames") {
          d.mutable_device()->set_trade_name(text);
        } else {
          d.mutable_device()->set_description(text);
        }
        for (const auto& l : others) Lose(p + "[" + l + "]", "only one language is kept (EN, else ANY)");
      } else if (n == "marketInfos") {
        for (xmlNodePtr mi : Children(c)) {
          if (auto country = ChildText(mi, "country"); !country.empty()) eu->add_member_states(country);
        }
      } else {
        Lose(p, "no canonical field for EUDAMED UDI-DI element " + n);
      }
    }
  }

  ImportRecord Take() { return std::move(rec_); }

 private:
  std::string prefix_;
  ImportRecord rec_;
};

bool EndsWith(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

Status ImportEudamedDtx(const std::filesystem::path& in, const ImportLimits& limits, const Emit& emit) {
  DOSSIER_ASSIGN_OR_RETURN(std::unique_ptr<XmlStream> xml, XmlStream::Open(in, limits));
  bool more = xml->Read();
  size_t count = 0;
  bool in_payload = false;
  while (more) {
    if (xml->NodeType() != XML_READER_TYPE_ELEMENT) {
      more = xml->Read();
      continue;
    }
    const std::string name = xml->LocalName();
    if (name == "payload") in_payload = true;
    const bool device = name == "Device";
    const bool basic = EndsWith(name, "BasicUDI");
    const bool udidi = EndsWith(name, "UDIDIData");
    if (!in_payload || !(device || basic || udidi)) {
      more = xml->Read();
      continue;
    }
    xmlNodePtr node = xml->Expand();
    if (!node) break;
    const std::string where = "payload." + name + "[" + std::to_string(count++) + "]";
    DtxMapper mapper(where);
    if (device) {
      for (xmlNodePtr c : Children(node)) {
        const std::string n = LocalNameOf(c);
        if (EndsWith(n, "BasicUDI")) {
          mapper.BasicUdi(c, n);
        } else if (EndsWith(n, "UDIDIData")) {
          mapper.UdiDi(c, n);
        } else {
          mapper.Lose(n, "no canonical field for EUDAMED device element " + n);
        }
      }
    } else if (basic) {
      mapper.BasicUdi(node, "");
    } else {
      mapper.UdiDi(node, "");
    }
    DOSSIER_RETURN_IF_ERROR(emit(mapper.Take()));
    more = xml->Next();
  }
  if (!xml->status().ok()) return xml->status();
  if (count == 0) return InvalidArgument("no Device, BasicUDI or UDIDIData in a DTX payload", "bad-package");
  return Status::Ok();
}

}  // namespace dossier::translate
