#include "server/content_kinds.h"

#include "schema/diff.h"
#include "schema/toc.h"
#include "schema/validate.h"

namespace dossier::server {
namespace {

constexpr std::string_view kDossierBase = "application/vnd.dossier.v1";
constexpr std::string_view kChangePlanBase = "application/vnd.dossier.change-plan.v1";

// `render`: also fill canonical_json and protobuf_bytes.
StatusOr<ParsedContent> ParseDossierContent(std::string_view bytes, schema::ContentFormat format,
                                            bool render) {
  DOSSIER_ASSIGN_OR_RETURN(::dossier::v1::Dossier dossier, schema::ParseDossier(bytes, format));
  DOSSIER_RETURN_IF_ERROR(schema::ValidateDossier(dossier, schema::TocCatalog::BuiltIn()));
  ParsedContent parsed;
  if (render) {
    parsed.canonical_json = schema::DossierToJson(dossier);
    parsed.protobuf_bytes = schema::DossierToProtobuf(dossier);
  }
  for (int s = 0; s < dossier.sections_size(); ++s) {
    const auto& section = dossier.sections(s);
    for (int d = 0; d < section.documents_size(); ++d) {
      parsed.referenced_blobs.emplace_back(
          "sections[" + std::to_string(s) + "].documents[" + std::to_string(d) + "].digest",
          section.documents(d).digest());
    }
  }
  return parsed;
}

StatusOr<ParsedContent> ParseChangePlanContent(std::string_view bytes, schema::ContentFormat format,
                                               bool render) {
  DOSSIER_ASSIGN_OR_RETURN(::dossier::v1::ChangePlan plan, schema::ParseChangePlan(bytes, format));
  DOSSIER_RETURN_IF_ERROR(schema::ValidateChangePlan(plan));
  ParsedContent parsed;
  if (render) {
    parsed.canonical_json = schema::ChangePlanToJson(plan);
    parsed.protobuf_bytes = schema::ChangePlanToProtobuf(plan);
  }
  return parsed;
}

StatusOr<boost::json::object> DiffDossierContents(std::string_view from, std::string_view from_media,
                                                  std::string_view to, std::string_view to_media) {
  DOSSIER_ASSIGN_OR_RETURN(auto from_format, schema::FormatOfMediaType(from_media, kDossierBase));
  DOSSIER_ASSIGN_OR_RETURN(auto to_format, schema::FormatOfMediaType(to_media, kDossierBase));
  DOSSIER_ASSIGN_OR_RETURN(auto a, schema::ParseDossier(from, from_format));
  DOSSIER_ASSIGN_OR_RETURN(auto b, schema::ParseDossier(to, to_format));
  return schema::DiffToJson(schema::DiffDossiers(a, b));
}

}  // namespace

std::vector<ContentKind> BuiltInContentKinds() {
  std::vector<ContentKind> kinds;
  ContentKind dossiers;
  dossiers.collection = "dossiers";
  dossiers.singular = "a dossier";
  dossiers.list_member = "dossiers";
  dossiers.media_base = std::string(kDossierBase);
  dossiers.create_example = R"({"id":"cxr-triage","title":"AI chest X-ray triage"})";
  dossiers.message = v1::Dossier::descriptor();
  dossiers.schema_name = "Dossier";
  dossiers.parse = [](std::string_view bytes, schema::ContentFormat format) {
    return ParseDossierContent(bytes, format, /*render=*/true);
  };
  dossiers.validate = [](std::string_view bytes, schema::ContentFormat format) {
    return ParseDossierContent(bytes, format, /*render=*/false);
  };
  dossiers.diff = DiffDossierContents;
  kinds.push_back(std::move(dossiers));

  ContentKind plans;
  plans.collection = "change-plans";
  plans.singular = "a change plan";
  plans.list_member = "changePlans";
  plans.media_base = std::string(kChangePlanBase);
  plans.create_attributes = {"dossier"};
  plans.create_example = R"({"id":"cxr-triage-pccp","dossier":"cxr-triage","title":"Re-training PCCP"})";
  plans.message = v1::ChangePlan::descriptor();
  plans.schema_name = "ChangePlan";
  plans.parse = [](std::string_view bytes, schema::ContentFormat format) {
    return ParseChangePlanContent(bytes, format, /*render=*/true);
  };
  plans.validate = [](std::string_view bytes, schema::ContentFormat format) {
    return ParseChangePlanContent(bytes, format, /*render=*/false);
  };
  kinds.push_back(std::move(plans));
  return kinds;
}

}  // namespace dossier::server
