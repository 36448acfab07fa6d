// The four ZIP formats: imdrf-toc, fda-estar, eu-mdr, hsa-csdt. Each writes
// the section documents into its agency's folder structure (crosswalk.tsv
// "toc" rows) and its structured data as agency-shaped JSON; each importer
// reads exactly that back.
//
// The regional extension messages are split into the agency's forms by a key
// table (e.g. FDA 3514 Section A / B / C, 3881): the importer merges the forms
// and parses the result as the extension message, so a field the table
// forgets still travels (it lands in the catch-all form) and the round-trip
// test catches a table that drops one.
#include <boost/json.hpp>

#include "schema/dossier_codec.h"
#include "schema/toc.h"
#include "schema/translate/crosswalk.h"
#include "schema/translate/formats.h"
#include "schema/translate/package.h"
#include "schema/translate/profiles.h"

namespace dossier::translate {
namespace {

namespace json = boost::json;
using v1::Dossier;

std::string FolderPart(std::string_view code, std::string_view title) {
  std::string out = std::string(code) + " " + std::string(title);
  for (char& c : out) {
    if (c == '/' || c == '\\' || c == ':') c = '-';
  }
  return out;
}

std::string HeadingTitle(const Dossier& d, const v1::Section& s, std::string_view code) {
  const auto& catalog = schema::TocCatalog::BuiltIn();
  const std::string edition =
      d.toc_edition().empty() ? std::string(schema::kTocEditionNivd) : d.toc_edition();
  if (const schema::TocHeading* h = catalog.Find(edition, code)) return h->title;
  if (code == s.code() && !s.title().empty()) return s.title();
  return "Heading";
}

// IMDRF N27 style: one folder per heading, nested under its parents.
std::string TocFolder(const Dossier& d, const v1::Section& s) {
  std::vector<std::string> chain;
  for (std::string code = s.code(); !code.empty(); code = schema::TocCatalog::ParentCode(code)) {
    chain.push_back(FolderPart(code, HeadingTitle(d, s, code)));
  }
  std::string out;
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) out += (out.empty() ? "" : "/") + *it;
  return out;
}

// "<regional folder>/<code title>" for the agency formats.
std::string RegionalFolder(const Dossier& d, const v1::Section& s, std::string_view format) {
  const TocRoute* route = Crosswalk::BuiltIn().RouteFor(EditionKey(d), s.code());
  std::string top = "Unmapped";
  if (route) {
    top = format == kFormatFdaEstar ? route->estar
          : format == kFormatEuMdr  ? route->eu
                                    : "CSDT " + route->csdt;
  }
  return top + "/" + FolderPart(s.code(), HeadingTitle(d, s, s.code()));
}

// The non-regional core of the dossier, as agency-neutral members.
void PutCore(const Dossier& d, json::object& out, const char* intended_use_key) {
  if (d.has_device()) out["device"] = MessageToValue(d.device());
  json::value whole = MessageToValue(d);
  for (const char* key : {"indications", "contraindications", "warnings", "intendedUsers", "useEnvironment",
                          "patientPopulation"}) {
    if (const json::value* v = Member(whole, key)) out[key] = *v;
  }
  if (!d.intended_use().empty()) out[intended_use_key] = d.intended_use();
}

Status GetCore(const json::value& in, Dossier* d, const char* intended_use_key, const std::string& where) {
  json::object core;
  for (const char* key : {"device", "indications", "contraindications", "warnings", "intendedUsers",
                          "useEnvironment", "patientPopulation"}) {
    if (const json::value* v = Member(in, key)) core[key] = *v;
  }
  if (const json::value* v = Member(in, intended_use_key)) core["intendedUse"] = *v;
  Dossier part;
  DOSSIER_RETURN_IF_ERROR(ValueToMessage(core, &part, where));
  d->MergeFrom(part);
  return Status::Ok();
}

// Splits the canonical JSON of `message` into forms by `table` (key -> form);
// keys not in the table go to `fallback`.
std::map<std::string, json::object> SplitIntoForms(const google::protobuf::Message& message,
                                                   const std::map<std::string, std::string>& table,
                                                   const std::string& fallback) {
  std::map<std::string, json::object> forms;
  json::value v = MessageToValue(message);
  for (auto& kv : v.as_object()) {
    auto it = table.find(std::string(kv.key()));
    forms[it == table.end() ? fallback : it->second][kv.key()] = kv.value();
  }
  return forms;
}

// Merges the members of `form` whose keys the message knows into `merged`.
void MergeForm(const json::value* form, const google::protobuf::Descriptor* desc, json::object& merged) {
  if (!form || !form->is_object()) return;
  for (const auto& kv : form->as_object()) {
    for (int i = 0; i < desc->field_count(); ++i) {
      if (desc->field(i)->json_name() == kv.key()) merged[kv.key()] = kv.value();
    }
  }
}

json::object Tagged(std::string form, json::object body) {
  json::object out;
  out["form"] = std::move(form);
  for (auto& kv : body) out[kv.key()] = std::move(kv.value());
  return out;
}

StructuredFile JsonFile(std::string path, const json::value& v, std::string role = "structured") {
  return StructuredFile{std::move(path), PrettyJson(v), "application/json", std::move(role)};
}

// Emits one record built by `fill` from an opened package, with the loss the
// exporter recorded in loss.json (so an import says what the package lacks).
Status ImportPackage(const std::filesystem::path& in, const ImportLimits& limits, std::string_view format,
                     const std::function<Status(OpenedPackage&, Dossier*)>& fill, const Emit& emit) {
  DOSSIER_ASSIGN_OR_RETURN(OpenedPackage p, OpenPackage(in, format, limits));
  ImportRecord record;
  DOSSIER_RETURN_IF_ERROR(ReadSections(p, &record.content));
  DOSSIER_RETURN_IF_ERROR(fill(p, &record.content));
  if (p.zip->Has("loss.json")) {
    DOSSIER_ASSIGN_OR_RETURN(json::value loss, p.ReadJson("loss.json"));
    if (const json::value* items = Member(loss, "loss"); items && items->is_array()) {
      for (const auto& item : items->as_array())
        record.loss.push_back({StringMember(item, "path"), StringMember(item, "reason")});
    }
  }
  return emit(std::move(record));
}

const char* kImdrfSubmission = "submission.json";

// ---- fda-estar
// ----------------------------------------------------------------------------------------------------------
const char* kFda3514 = "structured/3514.json";
const char* kFda3881 = "structured/3881.json";
const char* kFdaDevice = "structured/device-description.json";
const char* kFdaClass = "structured/classification.json";
const char* kFdaPredicates = "structured/predicates.json";
const char* kFdaPresub = "structured/presubmission-correspondence.json";
const char* kFdaAdmin = "structured/administrative.json";

const std::map<std::string, std::string>& UsFormTable() {
  static const std::map<std::string, std::string> kTable = {
      {"submissionType", "3514.A"},
      {"userFeePaymentId", "3514.A"},
      {"smallBusiness", "3514.A"},
      {"cyberDevice", "3514.A"},
      {"applicant", "3514.B"},
      {"establishmentRegistrationNumber", "3514.B"},
      {"ownerOperatorNumber", "3514.B"},
      {"correspondent", "3514.C"},
      {"indicationsForUseStatement", "3881"},
      {"prescriptionUse", "3881"},
      {"overTheCounterUse", "3881"},
      {"predicates", "predicates"},
      {"presubmissionNumbers", "presub"},
      {"summaryType", "admin"},
      {"truthfulAccurateStatement", "admin"},
      {"classIiiCertification", "admin"},
  };
  return kTable;
}

std::string UsClassDisplay(v1::UsClassification::DeviceClass c) {
  switch (c) {
    case v1::UsClassification::CLASS_I:
      return "Class I";
    case v1::UsClassification::CLASS_II:
      return "Class II";
    case v1::UsClassification::CLASS_III:
      return "Class III";
    case v1::UsClassification::UNCLASSIFIED:
      return "Unclassified";
    default:
      return "";
  }
}

std::string SubmissionTypeDisplay(v1::UsExtension::SubmissionType t) {
  switch (t) {
    case v1::UsExtension::TRADITIONAL_510K:
      return "510(k) Notification (Traditional)";
    case v1::UsExtension::SPECIAL_510K:
      return "Special 510(k): Device Modification";
    case v1::UsExtension::ABBREVIATED_510K:
      return "Abbreviated 510(k)";
    case v1::UsExtension::DE_NOVO:
      return "De Novo Request";
    case v1::UsExtension::PMA:
      return "Premarket Approval Application";
    case v1::UsExtension::PMA_SUPPLEMENT:
      return "PMA Supplement";
    case v1::UsExtension::HDE:
      return "Humanitarian Device Exemption";
    case v1::UsExtension::PRE_SUBMISSION:
      return "Pre-Submission (Q-Sub)";
    default:
      return "";
  }
}

// Substantial-equivalence comparison rows (eSTAR "Predicates and Substantial
// Equivalence"): what the subject device and each predicate state. Derived
// data, ignored on import.
json::array SeTable(const Dossier& d) {
  json::array rows;
  for (const auto& p : d.regional().us().predicates()) {
    json::object row;
    row["predicate"] = p.number();
    row["primary"] = p.primary();
    json::array cmp;
    cmp.push_back(json::object{{"characteristic", "Device name"},
                               {"subject", d.device().trade_name()},
                               {"predicate", p.device_name()}});
    cmp.push_back(json::object{{"characteristic", "Product code"},
                               {"subject", d.classifications().us().product_code()},
                               {"predicate", p.product_code()},
                               {"same", d.classifications().us().product_code() == p.product_code()}});
    cmp.push_back(json::object{{"characteristic", "Regulation number"},
                               {"subject", d.classifications().us().regulation_number()}});
    cmp.push_back(json::object{{"characteristic", "Indications for use"},
                               {"subject", d.regional().us().indications_for_use_statement()}});
    cmp.push_back(json::object{{"characteristic", "Technological characteristics"},
                               {"subject", d.device().description()},
                               {"discussion", "see section 2.04.05"}});
    row["comparison"] = std::move(cmp);
    rows.push_back(std::move(row));
  }
  return rows;
}

// ---- eu-mdr
// --------------------------------------------------------------------------------------------------------------
const char* kEuDevice = "Annex II 1 Device description and specification/device.json";
const char* kEuOperators = "00 Administrative (Annex IX 2.1 application)/economic-operators.json";
const char* kEuAi = "Annex II 6.1 Pre-clinical and clinical data/ai-act-annex-iv.json";
const char* kEuDtx = "EUDAMED/DTX-device-registration.xml";

std::string EuClassDisplay(const v1::EuClassification& c) {
  std::string cls = v1::EuClassification::DeviceClass_Name(c.device_class());
  std::string out = c.regulation() == v1::EuClassification::IVDR ? "IVDR " : "MDR ";
  out += cls;
  if (c.rule() > 0) out += " (Annex VIII Rule " + std::to_string(c.rule()) + ")";
  return out;
}

// ---- hsa-csdt
// ------------------------------------------------------------------------------------------------------------
const char* kHsaRegistration = "registration.json";
const char* kHsaAi = "CSDT 4.3 Design verification and validation/ai-md-information.json";

}  // namespace

// ========================================================================================================================
StatusOr<ExportResult> ExportImdrfToc(const Dossier& d, std::vector<LossItem> loss, const BlobReader& blobs,
                                      const ExportBinding* binding) {
  PackageSpec spec;
  spec.format = std::string(kFormatImdrfToc);
  spec.folder = [&](const v1::Section& s) { return TocFolder(d, s); };
  // IMDRF N9/N27 define folders and documents, no structured data: the
  // administrative core travels as the hub's own canonical JSON.
  Dossier core = d;
  core.clear_sections();
  core.clear_toc_edition();
  spec.files.push_back(JsonFile(kImdrfSubmission, MessageToValue(core)));
  return BuildZipPackage(d, std::move(loss), blobs, spec, binding);
}

Status ImportImdrfToc(const std::filesystem::path& in, const ImportLimits& limits, const Emit& emit) {
  return ImportPackage(
      in, limits, kFormatImdrfToc,
      [](OpenedPackage& p, Dossier* d) -> Status {
        if (!p.zip->Has(kImdrfSubmission)) return Status::Ok();
        DOSSIER_ASSIGN_OR_RETURN(json::value v, p.ReadJson(kImdrfSubmission));
        Dossier core;
        DOSSIER_RETURN_IF_ERROR(ValueToMessage(v, &core, kImdrfSubmission));
        core.clear_sections();
        core.clear_toc_edition();
        d->MergeFrom(core);
        return Status::Ok();
      },
      emit);
}

// ========================================================================================================================
StatusOr<ExportResult> ExportFdaEstar(const Dossier& d, std::vector<LossItem> loss, const BlobReader& blobs,
                                      const ExportProfile& profile, const ExportBinding* binding) {
  PackageSpec spec;
  spec.format = std::string(kFormatFdaEstar);
  spec.folder = [&](const v1::Section& s) { return RegionalFolder(d, s, kFormatFdaEstar); };
  const v1::UsExtension& us = d.regional().us();
  auto forms = SplitIntoForms(us, UsFormTable(), "admin");

  json::object f3514;
  f3514["form"] = "FDA 3514 (eSTAR: Submission Type, Applicant Information)";
  if (!profile.estar_template.empty()) f3514["estarTemplate"] = profile.estar_template;
  json::object a = forms["3514.A"];
  if (us.submission_type() != v1::UsExtension::SUBMISSION_TYPE_UNSPECIFIED)
    a["submissionTypeDisplay"] = SubmissionTypeDisplay(us.submission_type());
  f3514["sectionA"] = std::move(a);
  json::object b = forms["3514.B"];
  if (d.has_manufacturer()) b["manufacturer"] = MessageToValue(d.manufacturer());
  f3514["sectionB"] = std::move(b);
  f3514["sectionC"] = forms["3514.C"];
  spec.files.push_back(JsonFile(kFda3514, f3514));

  json::object f3881 = Tagged("FDA 3881 Indications for Use", forms["3881"]);
  if (!d.device().trade_name().empty()) f3881["deviceNameDisplay"] = d.device().trade_name();
  spec.files.push_back(JsonFile(kFda3881, f3881));

  json::object dev;
  dev["form"] = "eSTAR Device Description";
  PutCore(d, dev, "intendedUse");
  spec.files.push_back(JsonFile(kFdaDevice, dev));

  json::object cls;
  cls["form"] = "eSTAR Classification";
  if (d.classifications().has_us()) {
    cls["classification"] = MessageToValue(d.classifications().us());
    cls["deviceClassDisplay"] = UsClassDisplay(d.classifications().us().device_class());
    if (!d.classifications().us().regulation_number().empty())
      cls["regulationDisplay"] = "21 CFR " + d.classifications().us().regulation_number();
  }
  spec.files.push_back(JsonFile(kFdaClass, cls));

  json::object pred = Tagged("eSTAR Predicates and Substantial Equivalence", forms["predicates"]);
  pred["substantialEquivalenceTable"] = SeTable(d);
  spec.files.push_back(JsonFile(kFdaPredicates, pred));
  spec.files.push_back(JsonFile(
      kFdaPresub,
      Tagged("eSTAR Pre-Submission Correspondence and Previous Regulator Interaction", forms["presub"])));
  spec.files.push_back(JsonFile(kFdaAdmin, Tagged("eSTAR Administrative Documentation", forms["admin"])));
  return BuildZipPackage(d, std::move(loss), blobs, spec, binding);
}

Status ImportFdaEstar(const std::filesystem::path& in, const ImportLimits& limits, const Emit& emit) {
  return ImportPackage(
      in, limits, kFormatFdaEstar,
      [](OpenedPackage& p, Dossier* d) -> Status {
        const auto* desc = v1::UsExtension::descriptor();
        json::object merged;
        if (p.zip->Has(kFda3514)) {
          DOSSIER_ASSIGN_OR_RETURN(json::value f, p.ReadJson(kFda3514));
          for (const char* part : {"sectionA", "sectionB", "sectionC"})
            MergeForm(Member(f, part), desc, merged);
          if (const json::value* m = Member(f, "sectionB"); m && Member(*m, "manufacturer"))
            DOSSIER_RETURN_IF_ERROR(ValueToMessage(*Member(*m, "manufacturer"), d->mutable_manufacturer(),
                                                   "3514.sectionB.manufacturer"));
        }
        for (const char* path : {kFda3881, kFdaPredicates, kFdaPresub, kFdaAdmin}) {
          if (!p.zip->Has(path)) continue;
          DOSSIER_ASSIGN_OR_RETURN(json::value f, p.ReadJson(path));
          MergeForm(&f, desc, merged);
        }
        if (!merged.empty())
          DOSSIER_RETURN_IF_ERROR(ValueToMessage(merged, d->mutable_regional()->mutable_us(), "regional.us"));
        if (p.zip->Has(kFdaDevice)) {
          DOSSIER_ASSIGN_OR_RETURN(json::value f, p.ReadJson(kFdaDevice));
          DOSSIER_RETURN_IF_ERROR(GetCore(f, d, "intendedUse", kFdaDevice));
        }
        if (p.zip->Has(kFdaClass)) {
          DOSSIER_ASSIGN_OR_RETURN(json::value f, p.ReadJson(kFdaClass));
          if (const json::value* c = Member(f, "classification"))
            DOSSIER_RETURN_IF_ERROR(
                ValueToMessage(*c, d->mutable_classifications()->mutable_us(), kFdaClass));
        }
        return Status::Ok();
      },
      emit);
}

// ========================================================================================================================
StatusOr<ExportResult> ExportEuMdr(const Dossier& d, std::vector<LossItem> loss, const BlobReader& blobs,
                                   const ExportProfile& profile, int64_t created_ms,
                                   const ExportBinding* binding) {
  PackageSpec spec;
  spec.format = std::string(kFormatEuMdr);
  spec.folder = [&](const v1::Section& s) { return RegionalFolder(d, s, kFormatEuMdr); };

  json::object dev;
  dev["form"] = "MDR Annex II 1.1-1.2 Device description and specification";
  PutCore(d, dev, "intendedPurpose");
  if (d.classifications().has_eu()) {
    dev["classification"] = MessageToValue(d.classifications().eu());
    dev["classificationDisplay"] = EuClassDisplay(d.classifications().eu());
  }
  spec.files.push_back(JsonFile(kEuDevice, dev));

  json::object ops;
  ops["form"] = "Economic operators and identification (MDR Arts 11, 15, 19, 27, 31; Annex IX 2.1)";
  if (d.has_manufacturer()) ops["manufacturer"] = MessageToValue(d.manufacturer());
  if (d.regional().has_eu()) {
    const json::value eu =
        MessageToValue(d.regional().eu());  // named: a range-for over a temporary's member dangles
    for (const auto& kv : eu.as_object()) ops[kv.key()] = kv.value();
  }
  spec.files.push_back(JsonFile(kEuOperators, ops));

  if (d.has_ai()) {
    json::object ai;
    ai["form"] =
        "EU AI Act Annex IV technical documentation (structured AI evidence; Art 10 data governance)";
    ai["aiInformation"] = MessageToValue(d.ai());
    spec.files.push_back(JsonFile(kEuAi, ai));
  }
  // The EUDAMED registration message, when the dossier states everything it
  // needs; otherwise the gaps are already in `loss` (translate.cc), one entry
  // per missing fact, and no message is written.
  StatusOr<std::string> dtx = EudamedDeviceRegistrationXml(d, profile.eudamed_message_version, created_ms);
  if (dtx.ok()) spec.files.push_back(StructuredFile{kEuDtx, *dtx, "application/xml", "eudamed-registration"});
  return BuildZipPackage(d, std::move(loss), blobs, spec, binding);
}

Status ImportEuMdr(const std::filesystem::path& in, const ImportLimits& limits, const Emit& emit) {
  return ImportPackage(
      in, limits, kFormatEuMdr,
      [](OpenedPackage& p, Dossier* d) -> Status {
        if (p.zip->Has(kEuDevice)) {
          DOSSIER_ASSIGN_OR_RETURN(json::value f, p.ReadJson(kEuDevice));
          DOSSIER_RETURN_IF_ERROR(GetCore(f, d, "intendedPurpose", kEuDevice));
          if (const json::value* c = Member(f, "classification"))
            DOSSIER_RETURN_IF_ERROR(
                ValueToMessage(*c, d->mutable_classifications()->mutable_eu(), kEuDevice));
        }
        if (p.zip->Has(kEuOperators)) {
          DOSSIER_ASSIGN_OR_RETURN(json::value f, p.ReadJson(kEuOperators));
          if (const json::value* m = Member(f, "manufacturer"))
            DOSSIER_RETURN_IF_ERROR(ValueToMessage(*m, d->mutable_manufacturer(), kEuOperators));
          json::object merged;
          MergeForm(&f, v1::EuExtension::descriptor(), merged);
          if (!merged.empty())
            DOSSIER_RETURN_IF_ERROR(
                ValueToMessage(merged, d->mutable_regional()->mutable_eu(), kEuOperators));
        }
        if (p.zip->Has(kEuAi)) {
          DOSSIER_ASSIGN_OR_RETURN(json::value f, p.ReadJson(kEuAi));
          if (const json::value* a = Member(f, "aiInformation"))
            DOSSIER_RETURN_IF_ERROR(ValueToMessage(*a, d->mutable_ai(), kEuAi));
        }
        return Status::Ok();
      },
      emit);
}

// ========================================================================================================================
StatusOr<ExportResult> ExportHsaCsdt(const Dossier& d, std::vector<LossItem> loss, const BlobReader& blobs,
                                     const ExportBinding* binding) {
  PackageSpec spec;
  spec.format = std::string(kFormatHsaCsdt);
  spec.folder = [&](const v1::Section& s) { return RegionalFolder(d, s, kFormatHsaCsdt); };
  json::object reg;
  reg["form"] =
      "HSA product registration (SHARE): registrant, product owner, class, evaluation route, reference "
      "approvals";
  if (d.has_manufacturer()) reg["productOwner"] = MessageToValue(d.manufacturer());
  PutCore(d, reg, "intendedUse");
  if (d.classifications().has_sg()) {
    reg["classification"] = MessageToValue(d.classifications().sg());
    const auto rc = d.classifications().sg().risk_class();
    if (rc != v1::SgClassification::RISK_CLASS_UNSPECIFIED)
      reg["riskClassDisplay"] = "Class " + v1::SgClassification::RiskClass_Name(rc).substr(6);
  }
  if (d.classifications().has_samd()) reg["samdCategory"] = MessageToValue(d.classifications().samd());
  if (d.regional().has_sg()) {
    const json::value sg = MessageToValue(d.regional().sg());
    for (const auto& kv : sg.as_object()) reg[kv.key()] = kv.value();
  }
  spec.files.push_back(JsonFile(kHsaRegistration, reg, "registration"));
  if (d.has_ai()) {
    json::object ai;
    ai["form"] =
        "HSA AI-MD information (GL-04 Rev 4): inputs, datasets, model, workflow, performance, update cycle";
    ai["aiInformation"] = MessageToValue(d.ai());
    spec.files.push_back(JsonFile(kHsaAi, ai));
  }
  return BuildZipPackage(d, std::move(loss), blobs, spec, binding);
}

Status ImportHsaCsdt(const std::filesystem::path& in, const ImportLimits& limits, const Emit& emit) {
  return ImportPackage(
      in, limits, kFormatHsaCsdt,
      [](OpenedPackage& p, Dossier* d) -> Status {
        if (p.zip->Has(kHsaRegistration)) {
          DOSSIER_ASSIGN_OR_RETURN(json::value f, p.ReadJson(kHsaRegistration));
          DOSSIER_RETURN_IF_ERROR(GetCore(f, d, "intendedUse", kHsaRegistration));
          if (const json::value* m = Member(f, "productOwner"))
            DOSSIER_RETURN_IF_ERROR(ValueToMessage(*m, d->mutable_manufacturer(), kHsaRegistration));
          if (const json::value* c = Member(f, "classification"))
            DOSSIER_RETURN_IF_ERROR(
                ValueToMessage(*c, d->mutable_classifications()->mutable_sg(), kHsaRegistration));
          if (const json::value* c = Member(f, "samdCategory"))
            DOSSIER_RETURN_IF_ERROR(
                ValueToMessage(*c, d->mutable_classifications()->mutable_samd(), kHsaRegistration));
          json::object merged;
          MergeForm(&f, v1::SgExtension::descriptor(), merged);
          if (!merged.empty())
            DOSSIER_RETURN_IF_ERROR(
                ValueToMessage(merged, d->mutable_regional()->mutable_sg(), kHsaRegistration));
        }
        if (p.zip->Has(kHsaAi)) {
          DOSSIER_ASSIGN_OR_RETURN(json::value f, p.ReadJson(kHsaAi));
          if (const json::value* a = Member(f, "aiInformation"))
            DOSSIER_RETURN_IF_ERROR(ValueToMessage(*a, d->mutable_ai(), kHsaAi));
        }
        return Status::Ok();
      },
      emit);
}

}  // namespace dossier::translate
