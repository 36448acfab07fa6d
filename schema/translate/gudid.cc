// GUDID device XML (FDA Global UDI Database, namespace
// http://www.fda.gov/cdrh/gudid) -> canonical, one record per <device>.
// Streams: each <device> subtree is expanded, mapped, and released before the
// next one is read, so a 200 MB release needs memory for one device only.
// Every child element of <device> that has no canonical home is listed in
// the record's loss (path "<element>" relative to that device).
#include <set>

#include "schema/toc.h"
#include "schema/translate/formats.h"
#include "schema/translate/xml_stream.h"

namespace dossier::translate {
namespace {

v1::Identifier Ident(v1::Identifier::Type type, std::string value, std::string issuer, v1::Jurisdiction j) {
  v1::Identifier id;
  id.set_type(type);
  id.set_value(std::move(value));
  id.set_issuer(std::move(issuer));
  id.set_jurisdiction(j);
  return id;
}

ImportRecord MapDevice(xmlNodePtr device) {
  ImportRecord rec;
  v1::Dossier& d = rec.content;
  d.set_toc_edition(std::string(schema::kTocEditionNivd));
  auto* dev = d.mutable_device();
  auto lose = [&](const std::string& path, const std::string& why) { rec.loss.push_back({path, why}); };
  // Elements fully mapped below; anything else is reported as lost.
  static const std::set<std::string> kMapped = {"identifiers",       "brandName",    "versionModelNumber",
                                                "catalogNumber",     "companyName",  "dunsNumber",
                                                "deviceDescription", "rx",           "otc",
                                                "gmdnTerms",         "productCodes", "premarketSubmissions",
                                                "contacts"};
  // Record metadata of GUDID itself: not device content.
  static const std::set<std::string> kMetadata = {"publicDeviceRecordKey", "publicVersionStatus",
                                                  "publicVersionNumber",   "publicVersionDate",
                                                  "deviceRecordStatus",    "devicePublishDate"};
  for (xmlNodePtr c : Children(device)) {
    const std::string name = LocalNameOf(c);
    if (kMapped.count(name)) continue;
    if (!HasContent(c)) continue;  // empty element: nothing lost
    lose(name, kMetadata.count(name) ? "GUDID record metadata, not device content"
                                     : "no canonical field for GUDID element " + name);
  }

  int ii = 0;
  for (xmlNodePtr id : Children(Child(device, "identifiers"))) {
    const std::string path = "identifiers.identifier[" + std::to_string(ii++) + "]";
    const std::string value = ChildText(id, "deviceId");
    const std::string type = ChildText(id, "deviceIdType");
    const std::string agency = ChildText(id, "deviceIdIssuingAgency");
    if (type == "Primary" && !value.empty()) {
      *dev->add_identifiers() =
          Ident(v1::Identifier::UDI_DI, value, agency, agency == "GS1" ? v1::INTERNATIONAL : v1::US);
    } else if (!value.empty()) {
      lose(path,
           type + " DI " + value +
               ": the canonical device carries its primary UDI-DI only (packaging levels are not modelled)");
    }
  }
  dev->set_trade_name(ChildText(device, "brandName"));
  if (auto v = ChildText(device, "versionModelNumber"); !v.empty()) dev->add_model_numbers(v);
  if (auto v = ChildText(device, "catalogNumber"); !v.empty()) dev->add_catalogue_numbers(v);
  dev->set_description(ChildText(device, "deviceDescription"));
  // "Company name associated with the labeler DUNS Number entered in the DI
  // Record" (openFDA device/udi field reference, company_name): the labeler,
  // who need not be the manufacturer, so it never fills `manufacturer`.
  v1::Organization* labeler = d.mutable_regional()->mutable_us()->mutable_labeler();
  labeler->set_name(ChildText(device, "companyName"));
  const std::string duns = ChildText(device, "dunsNumber");
  if (duns.size() == 9 && duns.find_first_not_of("0123456789") == std::string::npos) {
    labeler->set_duns(duns);
  } else if (!duns.empty()) {
    lose("dunsNumber", "not a 9-digit DUNS number: " + duns);
  }
  int ci = 0;
  for (xmlNodePtr contact : Children(Child(device, "contacts"))) {
    const std::string path = "contacts.customerContact[" + std::to_string(ci++) + "]";
    if (ci == 1) {
      auto* c = labeler->mutable_contact();
      c->set_role("Customer contact (GUDID)");
      c->set_email(ChildText(contact, "email"));
      std::string phone = ChildText(contact, "phone");
      if (auto ext = ChildText(contact, "phoneExtension"); !ext.empty()) phone += " " + ext;
      c->set_phone(phone);
    } else {
      lose(path, "the canonical labeler has one contact");
    }
  }
  if (ChildText(device, "rx") == "true") d.mutable_regional()->mutable_us()->set_prescription_use(true);
  if (ChildText(device, "otc") == "true") d.mutable_regional()->mutable_us()->set_over_the_counter_use(true);
  int gi = 0;
  for (xmlNodePtr g : Children(Child(device, "gmdnTerms"))) {
    const std::string code = ChildText(g, "gmdnCode");
    if (!code.empty()) *dev->add_identifiers() = Ident(v1::Identifier::GMDN, code, "GMDN", v1::INTERNATIONAL);
    if (!ChildText(g, "gmdnPTName").empty())
      lose("gmdnTerms.gmdn[" + std::to_string(gi) + "].gmdnPTName",
           "GMDN term name and definition are not stored (code kept)");
    ++gi;
  }
  int pi = 0;
  for (xmlNodePtr p : Children(Child(device, "productCodes"))) {
    const std::string code = ChildText(p, "productCode");
    if (code.empty()) continue;
    *dev->add_identifiers() = Ident(v1::Identifier::FDA_PRODUCT_CODE, code, "FDA", v1::US);
    auto* us = d.mutable_classifications()->mutable_us();
    if (pi++ == 0) {
      us->set_product_code(code);
    } else {
      us->add_additional_product_codes(code);
    }
  }
  int si = 0;
  for (xmlNodePtr s : Children(Child(device, "premarketSubmissions"))) {
    const std::string path = "premarketSubmissions.premarketSubmission[" + std::to_string(si++) + "]";
    const std::string number = ChildText(s, "submissionNumber");
    const std::string supplement = ChildText(s, "supplementNumber");
    if (number.empty()) continue;
    v1::Identifier::Type type = v1::Identifier::OTHER;
    std::string value = number;
    if (number.rfind("DEN", 0) == 0) {
      type = v1::Identifier::FDA_DE_NOVO_NUMBER;
    } else if (number[0] == 'K') {
      type = v1::Identifier::FDA_510K_NUMBER;
    } else if (number[0] == 'P') {
      type = v1::Identifier::FDA_PMA_NUMBER;
      if (!supplement.empty() && supplement.size() == 3) value += "/S" + supplement;
    } else if (number[0] == 'H') {
      type = v1::Identifier::FDA_HDE_NUMBER;
    } else {
      lose(path, "unrecognised premarket submission number " + number);
      continue;
    }
    *dev->add_identifiers() = Ident(type, value, "FDA", v1::US);
  }
  return rec;
}

}  // namespace

Status ImportGudidXml(const std::filesystem::path& in, const ImportLimits& limits, const Emit& emit) {
  DOSSIER_ASSIGN_OR_RETURN(std::unique_ptr<XmlStream> xml, XmlStream::Open(in, limits));
  bool more = xml->Read();
  size_t count = 0;
  while (more) {
    if (xml->NodeType() == XML_READER_TYPE_ELEMENT && xml->LocalName() == "device") {
      xmlNodePtr node = xml->Expand();
      if (!node) break;
      ImportRecord rec = MapDevice(node);
      const std::string prefix = "device[" + std::to_string(count++) + "].";
      for (auto& l : rec.loss) l.path = prefix + l.path;
      DOSSIER_RETURN_IF_ERROR(emit(std::move(rec)));
      more = xml->Next();  // past this device; its subtree is freed
      continue;
    }
    more = xml->Read();
  }
  if (!xml->status().ok()) return xml->status();
  if (count == 0) return InvalidArgument("no GUDID <device> element found", "bad-package");
  return Status::Ok();
}

}  // namespace dossier::translate
