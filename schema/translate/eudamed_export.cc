// The EUDAMED DTX registration message the eu-mdr export carries: one m:Push,
// service DEVICE / POST, whose payload is a device:Device of type
// MDRDeviceType (or IVDRDeviceType) with the Basic UDI-DI and UDI-DI data;
// element order follows XSD/data/Entity/Device/RegulationDevice/*.xsd (the
// tests validate every export against XSD/service/Message.xsd).
//
// Every value written comes from the dossier. What the XSD requires and the
// dossier does not state is a gap (EudamedRegistrationGaps): then no message
// is written, and the gaps are the export's loss entries. The only values
// derived rather than read are those the law or the EUDAMED data dictionary
// fixes: software is an active device (FLD-UDID-28: "Software shall also be
// deemed to be an active device"); a Class I device classed Is / Im / Ir is
// labelled sterile / has a measuring function / is a reusable surgical
// instrument; a device without a medicinal substance has none derived from
// human blood or plasma.
#include <ctime>
#include <optional>
#include <set>

#include "schema/translate/formats.h"
#include "schema/translate/package.h"

namespace dossier::translate {
namespace {

using Facts = v1::EudamedDeviceFacts;
using EuClass = v1::EuClassification;

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

// GenericCertificateTypeEnum (XSD/data/Entity/Links/LinkType.xsd), regulation devices only.
bool IsCertificateType(const std::string& type, bool ivdr) {
  static const std::set<std::string> kMdr = {"MDR_PRODUCT_VERIFICATION", "MDR_QUALITY_ASSURANCE",
                                             "MDR_QUALITY_MANAGEMENT_SYSTEM", "MDR_TECHNICAL_DOCUMENTATION",
                                             "MDR_TYPE_EXAMINATION"};
  static const std::set<std::string> kIvdr = {"IVDR_PRODUCTION_QUALITY_ASSURANCE",
                                              "IVDR_QUALITY_MANAGEMENT_SYSTEM",
                                              "IVDR_TECHNICAL_DOCUMENTATION", "IVDR_TYPE_EXAMINATION"};
  return ivdr ? kIvdr.count(type) > 0 : kMdr.count(type) > 0;
}

bool IsNotifiedBodyNumber(const std::string& n) {
  return n.size() == 4 && n.find_first_not_of("0123456789") == std::string::npos;
}

// One EUDAMED flag: the dossier's value, or what the law fixes, or unknown.
struct Flag {
  const char* element;  // DTX element name
  const char* field;    // canonical JSON member of regional.eu.eudamed
  const char* fld;      // EUDAMED data dictionary id
  std::optional<bool> value;
};

std::optional<bool> Stated(bool has, bool value) { return has ? std::optional<bool>(value) : std::nullopt; }
// A stated value, else `derived` when the law fixes it to true.
std::optional<bool> StatedOrTrue(bool has, bool value, bool derived) {
  if (has) return value;
  return derived ? std::optional<bool>(true) : std::nullopt;
}

// What the device's facts resolve to, for the regulation it is registered under.
struct Resolved {
  bool ivdr = false;
  std::vector<Flag> basic;  // Basic UDI-DI flags, in XSD order (after the SRNs)
  std::vector<Flag> group;  // MDApplicableProperties / IVDApplicableProperties group, in XSD order
  Flag sterile{"sterile", "labelledSterile", "FLD-UDID-169", std::nullopt};
  Flag sterilization{"sterilization", "sterilisationBeforeUse", "FLD-UDID-170", std::nullopt};
  std::vector<Flag> udi_tail;  // latex + reprocessed (MDR) or newDevice (IVDR)
};

Resolved Resolve(const v1::Dossier& d) {
  const Facts& f = d.regional().eu().eudamed();
  const EuClass& cls = d.classifications().eu();
  const bool class_i = cls.device_class() == EuClass::CLASS_I;
  Resolved r;
  r.ivdr = cls.regulation() == EuClass::IVDR;
  r.basic.push_back({"animalTissuesCells", "animalTissuesCells", "FLD-UDID-18",
                     Stated(f.has_animal_tissues_cells(), f.animal_tissues_cells())});
  r.basic.push_back({"humanTissuesCells", "humanTissuesCells", "FLD-UDID-23",
                     Stated(f.has_human_tissues_cells(), f.human_tissues_cells())});
  r.sterile.value = StatedOrTrue(f.has_labelled_sterile(), f.labelled_sterile(), class_i && cls.sterile());
  r.sterilization.value = Stated(f.has_sterilisation_before_use(), f.sterilisation_before_use());
  if (!r.ivdr) {
    std::optional<bool> medicinal =
        Stated(f.has_medicinal_product_substance(), f.medicinal_product_substance());
    std::optional<bool> blood =
        Stated(f.has_human_blood_plasma_derivative(), f.human_blood_plasma_derivative());
    if (!blood && medicinal == false) blood = false;  // no medicinal substance, so none from blood or plasma
    r.basic.push_back({"humanProductCheck", "humanBloodPlasmaDerivative", "FLD-UDID-155", blood});
    r.basic.push_back({"medicinalProductCheck", "medicinalProductSubstance", "FLD-UDID-158", medicinal});
    r.group = {
        {"active", "active", "FLD-UDID-28",
         StatedOrTrue(f.has_active(), f.active(), d.device().software_only())},
        {"administeringMedicine", "administersMedicinalProduct", "FLD-UDID-29",
         Stated(f.has_administers_medicinal_product(), f.administers_medicinal_product())},
        {"implantable", "implantable", "FLD-UDID-30", Stated(f.has_implantable(), f.implantable())},
        {"measuringFunction", "measuringFunction", "FLD-UDID-31",
         StatedOrTrue(f.has_measuring_function(), f.measuring_function(),
                      class_i && cls.measuring_function())},
        {"reusable", "reusableSurgicalInstrument", "FLD-UDID-32",
         StatedOrTrue(f.has_reusable_surgical_instrument(), f.reusable_surgical_instrument(),
                      class_i && cls.reusable_surgical())},
    };
    r.udi_tail = {
        {"latex", "containsLatex", "FLD-UDID-156", Stated(f.has_contains_latex(), f.contains_latex())},
        {"reprocessed", "reprocessedSingleUse", "FLD-UDID-164",
         Stated(f.has_reprocessed_single_use(), f.reprocessed_single_use())}};
  } else {
    r.group = {
        {"companionDiagnostics", "companionDiagnostic", "FLD-UDID-33",
         Stated(f.has_companion_diagnostic(), f.companion_diagnostic())},
        {"instrument", "instrument", "FLD-UDID-264", Stated(f.has_instrument(), f.instrument())},
        {"kit", "kit", "FLD-UDID-12", Stated(f.has_kit(), f.kit())},
        {"microbialSubstances", "microbialSubstances", "FLD-UDID-34",
         Stated(f.has_microbial_substances(), f.microbial_substances())},
        {"nearPatientTesting", "nearPatientTesting", "FLD-UDID-35",
         Stated(f.has_near_patient_testing(), f.near_patient_testing())},
        {"professionalTesting", "professionalTesting", "FLD-UDID-263",
         Stated(f.has_professional_testing(), f.professional_testing())},
        {"reagent", "reagent", "FLD-UDID-262", Stated(f.has_reagent(), f.reagent())},
        {"selfTesting", "selfTesting", "FLD-UDID-36", Stated(f.has_self_testing(), f.self_testing())},
    };
    r.udi_tail = {{"newDevice", "newDevice", "FLD-UDID-159", Stated(f.has_new_device(), f.new_device())}};
  }
  return r;
}

// Whether the device's conformity assessment involves a notified body, so
// that it is placed on the market only under a certificate (MDR Art 52: all
// but plain Class I; IVDR Art 48: all but Class A, and Class A sterile for
// its sterility aspects).
bool NeedsNotifiedBody(const v1::Dossier& d) {
  const EuClass& cls = d.classifications().eu();
  const Facts& f = d.regional().eu().eudamed();
  switch (cls.device_class()) {
    case EuClass::CLASS_I:
      return cls.sterile() || cls.measuring_function() || cls.reusable_surgical();
    case EuClass::CLASS_A:
      return cls.sterile() || (f.has_labelled_sterile() && f.labelled_sterile());
    case EuClass::DEVICE_CLASS_UNSPECIFIED:
      return false;
    default:
      return true;
  }
}

const v1::Identifier* FirstIdentifier(const v1::Dossier& d, v1::Identifier::Type type) {
  for (const auto& id : d.device().identifiers()) {
    if (id.type() == type) return &id;
  }
  return nullptr;
}

std::string BasicUdiDi(const v1::Dossier& d) {
  if (!d.regional().eu().basic_udi_di().empty()) return d.regional().eu().basic_udi_di();
  const v1::Identifier* id = FirstIdentifier(d, v1::Identifier::BASIC_UDI_DI);
  return id ? id->value() : "";
}

std::string Bool(bool b) { return b ? "true" : "false"; }

}  // namespace

std::vector<LossItem> EudamedRegistrationGaps(const v1::Dossier& d) {
  std::vector<LossItem> gaps;
  auto gap = [&](std::string path, std::string why) {
    gaps.push_back({std::move(path), "EUDAMED registration: " + std::move(why)});
  };
  const auto& eu = d.regional().eu();
  const EuClass& cls = d.classifications().eu();
  if (BasicUdiDi(d).empty()) gap("regional.eu.basicUdiDi", "no Basic UDI-DI (MDR Annex VI Part C)");
  const v1::Identifier* udi = FirstIdentifier(d, v1::Identifier::UDI_DI);
  if (!udi) {
    gap("device.identifiers", "no UDI-DI");
  } else if (IssuerOf(udi->issuer()).empty()) {
    gap("device.identifiers", "UDI-DI issuer '" + udi->issuer() + "' is not a EUDAMED issuing entity");
  }
  if (d.manufacturer().srn().empty())
    gap("manufacturer.srn", "no manufacturer SRN (MFActorCode, FLD-UDID-10)");
  if (cls.regulation() == EuClass::REGULATION_UNSPECIFIED)
    gap("classifications.eu.regulation",
        "the regulation (MDR or IVDR) the device is registered under is not stated");
  if (cls.device_class() == EuClass::DEVICE_CLASS_UNSPECIFIED)
    gap("classifications.eu.deviceClass", "no EU risk class (FLD-UDID-16)");
  if (eu.emdn_codes().empty()) gap("regional.eu.emdnCodes", "no EMDN code (MDNCodes)");
  if (d.device().model_numbers().empty() && d.device().trade_name().empty())
    gap("device.modelNumbers", "no model number or trade name (FLD-UDID-20)");

  const Resolved r = Resolve(d);
  auto flag_gap = [&](const Flag& f) {
    if (!f.value)
      gap(std::string("regional.eu.eudamed.") + f.field,
          std::string(f.element) + " (" + f.fld + ") is not stated in the dossier");
  };
  for (const auto& f : r.basic) flag_gap(f);
  for (const auto& f : r.group) flag_gap(f);
  flag_gap(r.sterile);
  flag_gap(r.sterilization);
  for (const auto& f : r.udi_tail) flag_gap(f);
  const Facts& facts = eu.eudamed();
  if (!r.ivdr && facts.kind() == Facts::KIND_UNSPECIFIED)
    gap("regional.eu.eudamed.kind", "type (device, system or procedure pack) is not stated in the dossier");
  if (!facts.has_max_reuses()) {
    gap("regional.eu.eudamed.maxReuses", "numberOfReuses (FLD-UDID-157) is not stated in the dossier");
  } else if (facts.max_reuses() < -1) {
    gap("regional.eu.eudamed.maxReuses", "numberOfReuses is -1 (no maximum), 0 (single use) or a count");
  }
  const auto status = facts.market_status();
  if (status == Facts::MARKET_STATUS_UNSPECIFIED) {
    gap("regional.eu.eudamed.marketStatus", "device status (FLD-UDID-130) is not stated in the dossier");
  } else if (status != Facts::NOT_INTENDED_FOR_EU_MARKET) {
    // Placed (or once placed) on the Union market.
    if (facts.first_placed_member_state().empty())
      gap("regional.eu.eudamed.firstPlacedMemberState",
          "the Member State of first placing on the market (FLD-UDID-137) is not stated");
    if (NeedsNotifiedBody(d) && eu.certificates().empty())
      gap("regional.eu.certificates", "a " + EuClass::DeviceClass_Name(cls.device_class()) +
                                          " device is placed on the market only under a notified body "
                                          "certificate (MDR Art 52 / IVDR Art 48; "
                                          "BR-UDID-109/110), and none is recorded: it cannot be declared " +
                                          Facts::MarketStatus_Name(status));
  }
  for (int i = 0; i < eu.certificates_size(); ++i) {
    const auto& c = eu.certificates(i);
    const std::string path = "regional.eu.certificates[" + std::to_string(i) + "]";
    if (!IsNotifiedBodyNumber(c.notified_body_number()))
      gap(path + ".notifiedBodyNumber", "NBActorCode (FLD-UDID-63) is a 4-digit notified body number");
    if (!IsCertificateType(c.type(), r.ivdr))
      gap(path + ".type", "certificate type '" + c.type() + "' is not a EUDAMED " +
                              (r.ivdr ? "IVDR" : "MDR") + " certificate type (FLD-UDID-60)");
  }
  return gaps;
}

StatusOr<std::string> EudamedDeviceRegistrationXml(const v1::Dossier& d) {
  return EudamedDeviceRegistrationXml(d, "3.0.25", 0);
}

StatusOr<std::string> EudamedDeviceRegistrationXml(const v1::Dossier& d, std::string_view message_version,
                                                   int64_t created_ms) {
  const std::vector<LossItem> gaps = EudamedRegistrationGaps(d);
  if (!gaps.empty()) {
    return Status(
        StatusCode::kFailedPrecondition,
        gaps.front().reason + (gaps.size() > 1 ? " (and " + std::to_string(gaps.size() - 1) + " more)" : ""),
        "not-exportable", gaps.front().path);
  }
  const auto& eu = d.regional().eu();
  const Facts& facts = eu.eudamed();
  const auto& cls = d.classifications().eu();
  const Resolved r = Resolve(d);
  const std::string basic = BasicUdiDi(d);
  const v1::Identifier* basic_id = FirstIdentifier(d, v1::Identifier::BASIC_UDI_DI);
  const std::string basic_issuer =
      basic_id && !IssuerOf(basic_id->issuer()).empty() ? basic_id->issuer() : "GS1";
  const v1::Identifier* udi = FirstIdentifier(d, v1::Identifier::UDI_DI);
  const std::string reg = r.ivdr ? "IVDR" : "MDR";
  const std::string model =
      !d.device().model_numbers().empty() ? d.device().model_numbers(0) : d.device().trade_name();
  const std::string reference =
      !d.device().catalogue_numbers().empty() ? d.device().catalogue_numbers(0) : model;

  auto di = [](const std::string& code, const std::string& issuer) {
    return "<commondi:DICode>" + Esc(code) + "</commondi:DICode><commondi:issuingEntityCode>" + issuer +
           "</commondi:issuingEntityCode>";
  };
  auto element = [](const std::string& prefix, const std::string& name, const std::string& value) {
    return "        <" + prefix + ":" + name + ">" + value + "</" + prefix + ":" + name + ">\n";
  };
  std::string x;
  x += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  x += "<m:Push";
  x += kNamespaces;
  x += " version=\"" + Esc(message_version) + "\">\n";
  const std::string seed = basic + "|" + udi->value() + "|" + d.manufacturer().srn();
  // The signed version's time when the caller gives it: the same version
  // exports to the same bytes.
  const std::time_t now = created_ms > 0 ? static_cast<std::time_t>(created_ms / 1000) : std::time(nullptr);
  // gmtime_r, not gmtime: exports run on many server threads at once and
  // gmtime's result lives in one static buffer.
  std::tm utc{};
  gmtime_r(&now, &utc);
  char when[32];
  std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &utc);
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
  x += element("basicudi", "riskClass", EuClass::DeviceClass_Name(cls.device_class()));
  x += element("basicudi", "model", Esc(model));
  x += element("basicudi", "identifier", di(basic, basic_issuer));
  x += element("basicudi", "animalTissuesCells", Bool(*r.basic[0].value));
  if (!eu.authorised_representative().srn().empty())
    x += element("basicudi", "ARActorCode", Esc(eu.authorised_representative().srn()));
  x += element("basicudi", "humanTissuesCells", Bool(*r.basic[1].value));
  x += element("basicudi", "MFActorCode", Esc(d.manufacturer().srn()));
  if (!eu.certificates().empty()) {
    std::string links;
    for (const auto& c : eu.certificates()) {
      links += "<links:deviceCertificateLink>";
      if (!c.number().empty())
        links += "<links:certificateNumber>" + Esc(c.number()) + "</links:certificateNumber>";
      if (!c.expiry_date().empty())
        links += "<links:expiryDate>" + Esc(c.expiry_date()) + "</links:expiryDate>";
      links += "<links:NBActorCode>" + c.notified_body_number() + "</links:NBActorCode>";
      if (!c.revision().empty())
        links +=
            "<links:certificateRevisionNumber>" + Esc(c.revision()) + "</links:certificateRevisionNumber>";
      links +=
          "<links:certificateType>" + c.type() + "</links:certificateType></links:deviceCertificateLink>";
    }
    x += element("basicudi", "deviceCertificateLinks", links);
  }
  if (!r.ivdr) {
    x += element("basicudi", "humanProductCheck", Bool(*r.basic[2].value));
    x += element("basicudi", "medicinalProductCheck", Bool(*r.basic[3].value));
    if (d.device().software_only()) x += element("basicudi", "specialDevice", "MDR_SOFTWARE");
    x += element("basicudi", "type", Facts::Kind_Name(facts.kind()));
  } else if (d.device().software_only()) {
    x += element("basicudi", "specialDevice", "IVDR_SOFTWARE");
  }
  for (const auto& f : r.group) x += element("commondi", f.element, Bool(*f.value));
  x += "      </device:" + reg + "BasicUDI>\n";
  // --- UDI-DI (UDIDIType.xsd: UDIDIType, UDIDIDataType, DeviceUDIDIDataType, <reg>UDIDIDataType)
  x += "      <device:" + reg + "UDIDIData>\n";
  x += element("udidi", "identifier", di(udi->value(), IssuerOf(udi->issuer())));
  x += element("udidi", "status",
               "<commondi:code>" + Facts::MarketStatus_Name(facts.market_status()) + "</commondi:code>");
  const std::string lang = eu.languages().empty() ? "ANY" : LanguageOf(eu.languages(0));
  if (!d.device().description().empty()) {
    const std::string desc = d.device().description().substr(0, 2000);  // stringLType cap
    x += element("udidi", "additionalDescription",
                 "<lsn:name><lsn:language>" + lang + "</lsn:language><lsn:textValue>" + Esc(desc) +
                     "</lsn:textValue></lsn:name>");
  }
  x += element("udidi", "basicUDIIdentifier", di(basic, basic_issuer));
  std::string mdn;
  for (const auto& c : eu.emdn_codes()) mdn += (mdn.empty() ? "" : " ") + c;
  x += element("udidi", "MDNCodes", Esc(mdn));
  if (d.device().software_only() || !d.device().software_version().empty())
    x += element("udidi", "productionIdentifier", "SOFTWARE_IDENTIFICATION");
  x += element("udidi", "referenceNumber", Esc(reference));
  x += element("udidi", "sterile", Bool(*r.sterile.value));
  x += element("udidi", "sterilization", Bool(*r.sterilization.value));
  if (!d.device().trade_name().empty())
    x += element("udidi", "tradeNames",
                 "<lsn:name><lsn:language>ANY</lsn:language><lsn:textValue>" + Esc(d.device().trade_name()) +
                     "</lsn:textValue></lsn:name>");
  x += element("udidi", "numberOfReuses", std::to_string(facts.max_reuses()));
  if (facts.market_status() != Facts::NOT_INTENDED_FOR_EU_MARKET) {
    // The Member State of first placing, then the others the device is made available in.
    std::string infos;
    auto info = [&](const std::string& country, bool original) {
      infos += "<marketinfo:marketInfo><marketinfo:country>" + Esc(country) +
               "</marketinfo:country><marketinfo:originalPlacedOnTheMarket>" + Bool(original) +
               "</marketinfo:originalPlacedOnTheMarket></marketinfo:marketInfo>";
    };
    info(facts.first_placed_member_state(), true);
    for (const auto& ms : eu.member_states()) {
      if (ms != facts.first_placed_member_state()) info(ms, false);
    }
    x += element("udidi", "marketInfos", infos);
  }
  for (const auto& f : r.udi_tail) x += element("udidi", f.element, Bool(*f.value));
  x += "      </device:" + reg + "UDIDIData>\n";
  x += "    </device:Device>\n  </m:payload>\n";
  x += "  <m:sender><m:node><s:nodeActorCode>" + Esc(d.manufacturer().srn()) +
       "</s:nodeActorCode><s:nodeID>" + Esc(d.manufacturer().srn()) +
       "</s:nodeID></m:node><m:service><s:serviceID>DEVICE</s:serviceID>"
       "<s:serviceOperation>POST</s:serviceOperation></m:service></m:sender>\n";
  x += "</m:Push>\n";
  return x;
}

}  // namespace dossier::translate
