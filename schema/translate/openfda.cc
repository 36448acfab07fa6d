// openFDA device records (api.fda.gov /device/510k and /device/classification)
// -> canonical. Accepts an API response {"results": [...]}, the open.fda.gov
// example wrapper {"record": {...}} / {"header": {...}, "openfda": {...}}, or a
// bare record. Members with no canonical home are listed as loss.
#include <set>

#include "schema/toc.h"
#include "schema/translate/formats.h"
#include "schema/translate/package.h"

namespace dossier::translate {
namespace {

namespace json = boost::json;

std::string Str(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end()) return "";
  if (it->value().is_string()) return std::string(it->value().as_string());
  if (it->value().is_int64()) return std::to_string(it->value().as_int64());
  return "";
}

// The record objects of an openFDA document; `where` paths for loss items.
std::vector<std::pair<std::string, json::object>> Records(const json::value& doc) {
  std::vector<std::pair<std::string, json::object>> out;
  if (!doc.is_object()) return out;
  const json::object& o = doc.as_object();
  if (auto it = o.find("results"); it != o.end() && it->value().is_array()) {
    int i = 0;
    for (const auto& r : it->value().as_array()) {
      if (r.is_object()) out.emplace_back("results[" + std::to_string(i) + "]", r.as_object());
      ++i;
    }
    return out;
  }
  if (auto it = o.find("record"); it != o.end() && it->value().is_object()) {
    out.emplace_back("record", it->value().as_object());
    return out;
  }
  if (auto it = o.find("header"); it != o.end() && it->value().is_object()) {
    json::object merged = it->value().as_object();  // classification example: header + openfda side by side
    if (auto of = o.find("openfda"); of != o.end()) merged["openfda"] = of->value();
    out.emplace_back("header", std::move(merged));
    return out;
  }
  out.emplace_back("", o);
  return out;
}

v1::UsClassification::DeviceClass ClassOf(const std::string& c) {
  if (c == "1") return v1::UsClassification::CLASS_I;
  if (c == "2") return v1::UsClassification::CLASS_II;
  if (c == "3") return v1::UsClassification::CLASS_III;
  if (c == "U") return v1::UsClassification::UNCLASSIFIED;
  if (c == "N") return v1::UsClassification::NOT_CLASSIFIED;
  return v1::UsClassification::DEVICE_CLASS_UNSPECIFIED;
}

void AddIdent(v1::Dossier& d, v1::Identifier::Type type, const std::string& value) {
  if (value.empty()) return;
  auto* id = d.mutable_device()->add_identifiers();
  id->set_type(type);
  id->set_value(value);
  id->set_issuer("FDA");
  id->set_jurisdiction(v1::US);
}

// Loss for every non-empty member not in `used` (and not an empty string).
void LoseUnused(const json::object& rec, const std::set<std::string>& used, const std::string& prefix,
                const std::string& reason_prefix, std::vector<LossItem>& loss) {
  for (const auto& kv : rec) {
    const std::string key(kv.key());
    if (used.count(key)) continue;
    const json::value& v = kv.value();
    if ((v.is_string() && v.as_string().empty()) || (v.is_array() && v.as_array().empty())) continue;
    if (key == "openfda" && v.is_object()) {
      LoseUnused(v.as_object(), used, prefix + "openfda.", reason_prefix, loss);
      continue;
    }
    loss.push_back({prefix + key, reason_prefix + key});
  }
}

template <typename MapFn>
Status ImportOpenFda(const std::filesystem::path& in, const ImportLimits& limits, const Emit& emit,
                     MapFn map) {
  DOSSIER_ASSIGN_OR_RETURN(std::string text, ReadFileCapped(in, limits.max_json_bytes));
  DOSSIER_ASSIGN_OR_RETURN(json::value doc, ParseJsonText(text, in.filename().string()));
  auto records = Records(doc);
  if (records.empty()) return InvalidArgument("no openFDA record object", "bad-json", "$");
  // These formats import one device (translate.h: not multi-record; the
  // server answers one JSON object). An API answer listing several is
  // refused as a whole rather than emitting records a caller expects one of
  // (found by fuzzing: "results" with two records emitted two).
  if (records.size() > 1) {
    return InvalidArgument("the openFDA answer holds " + std::to_string(records.size()) +
                               " records; import one device's record (e.g. search by k_number)",
                           "multiple-records", records[1].first);
  }
  for (auto& [where, rec] : records) {
    ImportRecord out;
    out.content.set_toc_edition(std::string(schema::kTocEditionNivd));
    DOSSIER_RETURN_IF_ERROR(map(rec, where.empty() ? "" : where + ".", out));
    DOSSIER_RETURN_IF_ERROR(emit(std::move(out)));
  }
  return Status::Ok();
}

}  // namespace

Status ImportOpenFda510k(const std::filesystem::path& in, const ImportLimits& limits, const Emit& emit) {
  return ImportOpenFda(
      in, limits, emit, [](const json::object& r, const std::string& prefix, ImportRecord& out) {
        v1::Dossier& d = out.content;
        const std::string k = Str(r, "k_number");
        if (k.empty())
          return InvalidArgument("510(k) record has no k_number", "bad-json", prefix + "k_number");
        AddIdent(d, v1::Identifier::FDA_510K_NUMBER, k);
        d.mutable_device()->set_trade_name(Str(r, "device_name"));
        auto* m = d.mutable_manufacturer();
        m->set_name(Str(r, "applicant"));
        auto* a = m->mutable_address();
        for (const char* key : {"address_1", "address_2"}) {
          if (auto v = Str(r, key); !v.empty()) a->add_lines(v);
        }
        a->set_city(Str(r, "city"));
        a->set_region(Str(r, "state"));
        a->set_postal_code(!Str(r, "postal_code").empty() ? Str(r, "postal_code") : Str(r, "zip_code"));
        a->set_country(Str(r, "country_code"));
        m->set_country(Str(r, "country_code"));
        if (auto c = Str(r, "contact"); !c.empty()) m->mutable_contact()->set_name(c);
        auto* cls = d.mutable_classifications()->mutable_us();
        cls->set_product_code(Str(r, "product_code"));
        AddIdent(d, v1::Identifier::FDA_PRODUCT_CODE, Str(r, "product_code"));
        cls->set_review_panel(Str(r, "advisory_committee"));
        std::set<std::string> used = {"k_number",
                                      "device_name",
                                      "applicant",
                                      "address_1",
                                      "address_2",
                                      "city",
                                      "state",
                                      "postal_code",
                                      "zip_code",
                                      "country_code",
                                      "contact",
                                      "product_code",
                                      "advisory_committee",
                                      "clearance_type",
                                      "statement_or_summary",
                                      "device_class",
                                      "regulation_number"};
        if (auto it = r.find("openfda"); it != r.end() && it->value().is_object()) {
          const json::object& of = it->value().as_object();
          cls->set_device_class(ClassOf(Str(of, "device_class")));
          cls->set_regulation_number(Str(of, "regulation_number"));
        }
        auto* us = d.mutable_regional()->mutable_us();
        const std::string type = Str(r, "clearance_type");
        if (type == "Traditional")
          us->set_submission_type(v1::UsExtension::TRADITIONAL_510K);
        else if (type == "Special")
          us->set_submission_type(v1::UsExtension::SPECIAL_510K);
        else if (type == "Abbreviated")
          us->set_submission_type(v1::UsExtension::ABBREVIATED_510K);
        else if (!type.empty())
          out.loss.push_back({prefix + "clearance_type", "no canonical submission type for '" + type + "'"});
        const std::string sos = Str(r, "statement_or_summary");
        if (sos == "Summary")
          us->set_summary_type(v1::UsExtension::SUMMARY);
        else if (sos == "Statement")
          us->set_summary_type(v1::UsExtension::STATEMENT);
        // The decision is a regulator's act (a Decision object), not dossier content.
        LoseUnused(r, used, prefix, "no canonical dossier field for openFDA 510(k) member ", out.loss);
        return Status::Ok();
      });
}

Status ImportOpenFdaClassification(const std::filesystem::path& in, const ImportLimits& limits,
                                   const Emit& emit) {
  return ImportOpenFda(
      in, limits, emit, [](const json::object& r, const std::string& prefix, ImportRecord& out) {
        v1::Dossier& d = out.content;
        const std::string code = Str(r, "product_code");
        if (code.empty())
          return InvalidArgument("classification record has no product_code", "bad-json",
                                 prefix + "product_code");
        auto* cls = d.mutable_classifications()->mutable_us();
        cls->set_product_code(code);
        cls->set_device_class(ClassOf(Str(r, "device_class")));
        cls->set_regulation_number(Str(r, "regulation_number"));
        cls->set_review_panel(!Str(r, "review_panel").empty() ? Str(r, "review_panel")
                                                              : Str(r, "medical_specialty"));
        AddIdent(d, v1::Identifier::FDA_PRODUCT_CODE, code);
        std::set<std::string> used = {"product_code", "device_class",      "regulation_number",
                                      "review_panel", "medical_specialty", "medical_specialty_description"};
        LoseUnused(r, used, prefix,
                   "a classification record describes a device type, not one device; no canonical field for ",
                   out.loss);
        return Status::Ok();
      });
}

}  // namespace dossier::translate
