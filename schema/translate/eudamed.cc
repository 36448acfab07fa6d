// EUDAMED machine-to-machine (DTX) XML: the importer for DTX Push and
// PullResponse messages (the export is eudamed_export.cc). Every device type
// of DI.xsd imports: regulation devices (MDRDeviceType, IVDRDeviceType),
// system / procedure packs (PRDeviceType) and legacy directive devices
// (MDEUDeviceType, IVDEUDeviceType: MDEUData / IVDEUData UDI-DI blocks and
// MDEUDI / IVDEUDI Basic UDI-DI blocks), whole or as a lone block.
//
// Real EUDAMED output breaks its own XSD (empty containers, values of
// older schema versions). The importer therefore does not validate; it takes
// what maps onto the canonical dossier and lists every other element -
// including empty or unrecognised ones - as loss. Well-formedness is still
// required ("bad-xml").
#include <libxml/tree.h>

#include <climits>
#include <cstdlib>
#include <map>

#include "schema/toc.h"
#include "schema/translate/formats.h"
#include "schema/translate/package.h"
#include "schema/translate/xml_stream.h"

namespace dossier::translate {
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

bool Empty(xmlNodePtr n) { return !HasContent(n); }

bool EndsWith(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Device blocks of DI.xsd: the Basic UDI-DI of a regulation device
// (MDRBasicUDI, IVDRBasicUDI, PRBasicUDI, BasicUDI) or of a legacy directive
// device (MDEUDI, IVDEUDI); the UDI-DI data likewise (MDRUDIDIData, ...,
// MDEUData, IVDEUData).
bool IsBasicUdiBlock(const std::string& name) { return EndsWith(name, "BasicUDI") || EndsWith(name, "EUDI"); }
bool IsUdiDiBlock(const std::string& name) { return EndsWith(name, "UDIDIData") || EndsWith(name, "EUData"); }
// Legacy (MDD / AIMDD / IVDD) blocks and types: MDEUDI, MDEUDataType, IVDEUDeviceType, ...
bool IsLegacy(const std::string& type_or_name) {
  return type_or_name.find("EUDI") != std::string::npos || type_or_name.find("EUData") != std::string::npos ||
         type_or_name.find("EUDevice") != std::string::npos;
}

class DtxMapper {
 public:
  explicit DtxMapper(std::string prefix) : prefix_(std::move(prefix)) {
    rec_.content.set_toc_edition(std::string(schema::kTocEditionNivd));
  }

  void Lose(const std::string& path, const std::string& why) {
    rec_.loss.push_back({path.empty() ? prefix_ : prefix_ + "." + path, why});
  }

  // The regulation from the xsi:type or element name: MDR..., IVDR..., or a
  // legacy directive device (MDEU..., IVDEU...), which has no MDR/IVDR class.
  void Regulation(const std::string& type_or_name) {
    auto* cls = rec_.content.mutable_classifications()->mutable_eu();
    legacy_ = legacy_ || IsLegacy(type_or_name);
    if (type_or_name.rfind("IVD", 0) == 0) rec_.content.set_toc_edition(std::string(schema::kTocEditionIvd));
    if (legacy_) return;
    if (type_or_name.rfind("IVDR", 0) == 0) {
      cls->set_regulation(v1::EuClassification::IVDR);
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

  // A boolean EUDAMED flag into the facts; anything but true/false is lost.
  bool Flag(const std::string& name, const std::string& text, const std::string& path) {
    static const std::map<std::string, void (v1::EudamedDeviceFacts::*)(bool)> kFlags = {
        {"animalTissuesCells", &v1::EudamedDeviceFacts::set_animal_tissues_cells},
        {"humanTissuesCells", &v1::EudamedDeviceFacts::set_human_tissues_cells},
        {"humanProductCheck", &v1::EudamedDeviceFacts::set_human_blood_plasma_derivative},
        {"medicinalProductCheck", &v1::EudamedDeviceFacts::set_medicinal_product_substance},
        {"active", &v1::EudamedDeviceFacts::set_active},
        {"administeringMedicine", &v1::EudamedDeviceFacts::set_administers_medicinal_product},
        {"implantable", &v1::EudamedDeviceFacts::set_implantable},
        {"measuringFunction", &v1::EudamedDeviceFacts::set_measuring_function},
        {"reusable", &v1::EudamedDeviceFacts::set_reusable_surgical_instrument},
        {"companionDiagnostics", &v1::EudamedDeviceFacts::set_companion_diagnostic},
        {"instrument", &v1::EudamedDeviceFacts::set_instrument},
        {"kit", &v1::EudamedDeviceFacts::set_kit},
        {"microbialSubstances", &v1::EudamedDeviceFacts::set_microbial_substances},
        {"nearPatientTesting", &v1::EudamedDeviceFacts::set_near_patient_testing},
        {"professionalTesting", &v1::EudamedDeviceFacts::set_professional_testing},
        {"reagent", &v1::EudamedDeviceFacts::set_reagent},
        {"selfTesting", &v1::EudamedDeviceFacts::set_self_testing},
        {"sterile", &v1::EudamedDeviceFacts::set_labelled_sterile},
        {"sterilization", &v1::EudamedDeviceFacts::set_sterilisation_before_use},
        {"latex", &v1::EudamedDeviceFacts::set_contains_latex},
        {"reprocessed", &v1::EudamedDeviceFacts::set_reprocessed_single_use},
        {"newDevice", &v1::EudamedDeviceFacts::set_new_device},
    };
    auto it = kFlags.find(name);
    if (it == kFlags.end()) return false;
    if (text == "true" || text == "false") {
      (Facts()->*(it->second))(text == "true");
    } else {
      Lose(path, name + " '" + text + "' is not a boolean");
    }
    return true;
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
      v1::EudamedDeviceFacts::Kind kind;
      if (Empty(c)) {
        Lose(p, "empty element skipped");
      } else if (n == "riskClass") {
        v1::EuClassification::DeviceClass dc;
        if (!legacy_ && v1::EuClassification::DeviceClass_Parse(t, &dc)) {
          cls->set_device_class(dc);
        } else {
          Lose(p, "risk class " + t + " of a directive (legacy) device has no MDR/IVDR canonical value");
        }
      } else if (n == "applicableLegislation") {
        Lose(p, "legacy device under " + t + ": the canonical EU classification models MDR/IVDR only");
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
      } else if (n == "type" && v1::EudamedDeviceFacts::Kind_Parse(t, &kind)) {
        Facts()->set_kind(kind);
      } else if (Flag(n, t, p)) {
        // A Class I device with a measuring function / reusable surgical instrument is Im / Ir.
        if (n == "measuringFunction" && cls->device_class() == v1::EuClassification::CLASS_I)
          cls->set_measuring_function(t == "true");
        if (n == "reusable" && cls->device_class() == v1::EuClassification::CLASS_I)
          cls->set_reusable_surgical(t == "true");
      } else if (n == "deviceCertificateLinks") {
        Certificates(c);
      } else {
        Lose(p, "no canonical field for EUDAMED Basic UDI-DI element " + n);
      }
    }
  }

  // deviceCertificateLinks: each link is a certificate; its number is also a device identifier.
  void Certificates(xmlNodePtr links) {
    auto& d = rec_.content;
    auto* eu = d.mutable_regional()->mutable_eu();
    for (xmlNodePtr link : Children(links)) {
      auto* cert = eu->add_certificates();
      cert->set_number(ChildText(link, "certificateNumber"));
      cert->set_notified_body_number(ChildText(link, "NBActorCode"));
      cert->set_type(ChildText(link, "certificateType"));
      cert->set_revision(ChildText(link, "certificateRevisionNumber"));
      cert->set_expiry_date(ChildText(link, "expiryDate"));
      if (!cert->notified_body_number().empty()) eu->set_notified_body_number(cert->notified_body_number());
      if (!cert->number().empty()) {
        auto* id = d.mutable_device()->add_identifiers();
        id->set_type(v1::Identifier::EU_CERTIFICATE_NUMBER);
        id->set_value(cert->number());
        id->set_issuer(cert->notified_body_number());
        id->set_jurisdiction(v1::EU);
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
      } else if (n == "status") {
        v1::EudamedDeviceFacts::MarketStatus status;
        if (v1::EudamedDeviceFacts::MarketStatus_Parse(ChildText(c, "code"), &status)) {
          Facts()->set_market_status(status);
        } else {
          Lose(p, "device status '" + ChildText(c, "code") + "' is not a EUDAMED DeviceStatusEnum value");
        }
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
      } else if (n == "numberOfReuses") {
        char* end = nullptr;
        const long reuses = std::strtol(t.c_str(), &end, 10);
        if (end && *end == '\0' && reuses >= -1 && reuses <= INT32_MAX) {
          Facts()->set_max_reuses(static_cast<int32_t>(reuses));
        } else {
          Lose(p, "numberOfReuses '" + t + "' is not -1, 0 or a count");
        }
      } else if (Flag(n, t, p)) {
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
        int i = 0;
        for (xmlNodePtr mi : Children(c)) {
          const std::string country = ChildText(mi, "country");
          if (country.empty()) continue;
          eu->add_member_states(country);
          if (ChildText(mi, "originalPlacedOnTheMarket") == "true")
            Facts()->set_first_placed_member_state(country);
          if (!ChildText(mi, "startDate").empty() || !ChildText(mi, "endDate").empty())
            Lose(p + "[" + std::to_string(i) + "]", "market availability dates have no canonical field");
          ++i;
        }
      } else {
        Lose(p, "no canonical field for EUDAMED UDI-DI element " + n);
      }
    }
  }

  ImportRecord Take() { return std::move(rec_); }

 private:
  v1::EudamedDeviceFacts* Facts() { return rec_.content.mutable_regional()->mutable_eu()->mutable_eudamed(); }

  std::string prefix_;
  ImportRecord rec_;
  bool legacy_ = false;
};

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
    const bool basic = IsBasicUdiBlock(name);
    const bool udidi = IsUdiDiBlock(name);
    if (!in_payload || !(device || basic || udidi)) {
      more = xml->Read();
      continue;
    }
    xmlNodePtr node = xml->Expand();
    if (!node) break;
    const std::string where = "payload." + name + "[" + std::to_string(count++) + "]";
    DtxMapper mapper(where);
    if (device) {
      mapper.Regulation(XsiType(node));
      for (xmlNodePtr c : Children(node)) {
        const std::string n = LocalNameOf(c);
        if (IsBasicUdiBlock(n)) {
          mapper.BasicUdi(c, n);
        } else if (IsUdiDiBlock(n)) {
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
