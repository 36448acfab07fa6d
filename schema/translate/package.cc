#include "schema/translate/package.h"

#include <openssl/evp.h>

#include <algorithm>
#include <memory>
#include <set>

#include "common/hex.h"
#include "schema/dossier_codec.h"
#include "schema/toc.h"

namespace dossier::translate {
namespace json = boost::json;

namespace {

std::string HexDigestRef(const unsigned char* md, unsigned int len) {
  return "sha256:" + HexEncode(std::string_view(reinterpret_cast<const char*>(md), len));
}

}  // namespace

std::string Sha256Digest(std::string_view bytes) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(bytes.data(), bytes.size(), md, &len, EVP_sha256(), nullptr);
  return HexDigestRef(md, len);
}

namespace {
// protobuf prints google.protobuf.Struct members in hash-map order; sorting
// keys makes packages byte-for-byte reproducible.
json::value SortedKeys(const json::value& v) {
  if (v.is_array()) {
    json::array out;
    for (const auto& e : v.as_array()) out.push_back(SortedKeys(e));
    return out;
  }
  if (!v.is_object()) return v;
  std::vector<std::pair<std::string, const json::value*>> members;
  for (const auto& kv : v.as_object()) members.emplace_back(std::string(kv.key()), &kv.value());
  std::sort(members.begin(), members.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  json::object out;
  for (const auto& [k, val] : members) out[k] = SortedKeys(*val);
  return out;
}
}  // namespace

json::value MessageToValue(const google::protobuf::Message& message) {
  return SortedKeys(json::parse(schema::MessageToJson(message)));
}

Status ValueToMessage(const json::value& value, google::protobuf::Message* out, const std::string& where) {
  Status s = schema::ParseMessage(json::serialize(value), schema::ContentFormat::kJson, out);
  if (!s.ok()) return InvalidArgument(where + ": " + s.message(), "bad-package", where);
  return Status::Ok();
}

namespace {
void Pretty(std::string& out, const json::value& v, int indent) {
  const std::string pad(static_cast<size_t>(indent) * 2, ' ');
  const std::string pad_in(static_cast<size_t>(indent + 1) * 2, ' ');
  if (v.is_object() && !v.as_object().empty()) {
    out += "{\n";
    bool first = true;
    for (const auto& kv : v.as_object()) {
      if (!first) out += ",\n";
      first = false;
      out += pad_in + json::serialize(json::value(kv.key())) + ": ";
      Pretty(out, kv.value(), indent + 1);
    }
    out += "\n" + pad + "}";
  } else if (v.is_array() && !v.as_array().empty()) {
    out += "[\n";
    bool first = true;
    for (const auto& e : v.as_array()) {
      if (!first) out += ",\n";
      first = false;
      out += pad_in;
      Pretty(out, e, indent + 1);
    }
    out += "\n" + pad + "]";
  } else {
    out += json::serialize(v);
  }
}

// A file name safe on every file system a regulator may unpack to.
std::string SafeName(std::string_view name) {
  std::string out;
  for (char c : name) {
    const unsigned char u = static_cast<unsigned char>(c);
    out.push_back((u < 0x20 || std::string_view("/\\:*?\"<>|").find(c) != std::string_view::npos) ? '_' : c);
  }
  while (!out.empty() && (out.front() == '.' || out.front() == ' ')) out.erase(out.begin());
  if (out.empty()) out = "document";
  return out;
}

std::string ExtensionFor(const std::string& media_type) {
  if (media_type == "application/pdf") return ".pdf";
  if (media_type == "text/csv") return ".csv";
  if (media_type.find("json") != std::string::npos) return ".json";
  if (media_type.find("xml") != std::string::npos) return ".xml";
  return ".bin";
}
}  // namespace

std::string PrettyJson(const json::value& value) {
  std::string out;
  Pretty(out, value, 0);
  out += "\n";
  return out;
}

StatusOr<ExportResult> BuildZipPackage(const v1::Dossier& projected, std::vector<LossItem> loss,
                                       const BlobReader& blobs, const PackageSpec& spec,
                                       const ExportBinding* binding) {
  ZipWriter zip;
  json::array files;
  json::array sections;
  std::set<std::string> used;
  auto unique = [&](std::string path) {
    if (used.insert(path).second) return path;
    const size_t slash = path.rfind('/');
    const size_t dot = path.rfind('.');
    const bool has_ext = dot != std::string::npos && (slash == std::string::npos || dot > slash);
    for (int i = 2;; ++i) {
      std::string candidate = has_ext
                                  ? path.substr(0, dot) + " (" + std::to_string(i) + ")" + path.substr(dot)
                                  : path + " (" + std::to_string(i) + ")";
      if (used.insert(candidate).second) return candidate;
    }
  };
  auto add_file = [&](const std::string& path, std::string_view bytes, const std::string& media_type,
                      const std::string& role, json::object extra) {
    zip.Add(path, bytes);
    json::object f;
    f["path"] = path;
    f["digest"] = Sha256Digest(bytes);
    f["size"] = bytes.size();
    f["mediaType"] = media_type;
    f["role"] = role;
    for (auto& kv : extra) f[kv.key()] = std::move(kv.value());
    files.push_back(std::move(f));
  };

  for (int si = 0; si < projected.sections_size(); ++si) {
    const v1::Section& s = projected.sections(si);
    const std::string folder = spec.folder(s);
    json::object sec;
    sec["code"] = s.code();
    if (!s.title().empty()) sec["title"] = s.title();
    sec["folder"] = folder;
    if (s.data().fields_size() > 0) sec["data"] = MessageToValue(s.data());
    json::array doc_paths;
    if (!s.not_applicable_justification().empty()) {
      sec["notApplicableJustification"] = s.not_applicable_justification();
      const std::string path = unique(folder + "/" + s.code() + " NOT-APPLICABLE.txt");
      const std::string text = "Section " + s.code() +
                               " is not applicable.\nJustification: " + s.not_applicable_justification() +
                               "\n";
      add_file(path, text, "text/plain", "not-applicable-statement", json::object{{"tocCode", s.code()}});
    }
    for (int di = 0; di < s.documents_size(); ++di) {
      const v1::Document& d = s.documents(di);
      const std::string where =
          "sections[" + std::to_string(si) + "].documents[" + std::to_string(di) + "].digest";
      if (!blobs)
        return Status(StatusCode::kFailedPrecondition, "no blob reader for documents", "blob-missing", where);
      StatusOr<std::string> bytes = blobs(d.digest());
      if (!bytes.ok()) {
        return Status(bytes.status().code(), "document " + d.digest() + ": " + bytes.status().message(),
                      "blob-missing", where);
      }
      if (Sha256Digest(*bytes) != d.digest())
        return Status(StatusCode::kDataLoss, "blob bytes do not match digest " + d.digest(), "blob-corrupt",
                      where);
      std::string name = d.file_name().empty() ? d.digest().substr(7, 16) + ExtensionFor(d.media_type())
                                               : SafeName(d.file_name());
      if (!d.study().empty()) name = SafeName(d.study()) + "/" + name;
      const std::string path = unique(folder + "/" + name);
      json::object extra = MessageToValue(d).as_object();  // canonical document fields, for the way back
      extra.erase("digest");
      extra.erase("mediaType");
      extra["tocCode"] = s.code();
      add_file(path, *bytes, d.media_type(), "document", std::move(extra));
      doc_paths.push_back(json::value(path));
    }
    sec["documents"] = std::move(doc_paths);
    sections.push_back(std::move(sec));
  }
  for (const StructuredFile& f : spec.files) add_file(unique(f.path), f.bytes, f.media_type, f.role, {});
  if (binding != nullptr) {
    for (const auto& [path, bytes] : binding->files) {
      if (!used.insert(path).second)
        return Internal("the binding's file " + path + " collides with a package file", "bad-binding");
      add_file(path, bytes, "application/octet-stream", "signed-version", {});
    }
  }

  json::array loss_json;
  for (const LossItem& l : loss) loss_json.push_back(json::object{{"path", l.path}, {"reason", l.reason}});
  const std::string loss_text = PrettyJson(
      json::object{{"format", spec.format}, {"count", loss.size()}, {"loss", std::move(loss_json)}});
  add_file("loss.json", loss_text, "application/json", "loss-report", {});

  json::object manifest;
  manifest["format"] = spec.format;
  manifest["formatVersion"] = 1;
  manifest["generator"] = "dossier-exchange schema/translate";
  if (!projected.toc_edition().empty()) {
    manifest["tocEdition"] = projected.toc_edition();
    const std::string_view title = schema::TocCatalog::BuiltIn().EditionTitle(projected.toc_edition());
    if (!title.empty()) manifest["tocEditionTitle"] = std::string(title);
  }
  manifest["sections"] = std::move(sections);
  manifest["files"] = std::move(files);
  if (binding != nullptr) manifest["signedVersion"] = binding->signed_version;
  const std::string manifest_text = PrettyJson(manifest);
  zip.Add("manifest.json", manifest_text);
  if (binding != nullptr && binding->sign_manifest) {
    DOSSIER_ASSIGN_OR_RETURN(std::string signature, binding->sign_manifest(manifest_text));
    zip.Add("manifest.sig.json", signature);
  }

  ExportResult result;
  result.content_type = "application/zip";
  result.bytes = zip.Finish();
  result.loss = std::move(loss);
  return result;
}

const json::value* Member(const json::value& v, std::string_view key) {
  if (!v.is_object()) return nullptr;
  auto it = v.as_object().find(key);
  return it == v.as_object().end() ? nullptr : &it->value();
}

std::string StringMember(const json::value& v, std::string_view key) {
  const json::value* m = Member(v, key);
  return m && m->is_string() ? std::string(m->as_string()) : std::string();
}

StatusOr<json::value> ParseJsonText(std::string_view text, const std::string& where) {
  json::error_code ec;
  json::parse_options opts;
  opts.max_depth = 64;
  json::value v = json::parse(json::string_view(text.data(), text.size()), ec, {}, opts);
  if (ec) return InvalidArgument("malformed JSON: " + ec.message(), "bad-json", where);
  return v;
}

StatusOr<const json::value*> OpenedPackage::ManifestEntry(const std::string& path) const {
  const json::value* files = Member(manifest, "files");
  const json::value* entry = nullptr;
  if (files && files->is_array()) {
    for (const auto& f : files->as_array()) {
      if (StringMember(f, "path") == path) entry = &f;
    }
  }
  if (!entry) return InvalidArgument("manifest.json does not list " + path, "bad-package", path);
  return entry;
}

StatusOr<std::string> OpenedPackage::Read(const std::string& path, uint64_t max_bytes) {
  DOSSIER_ASSIGN_OR_RETURN(const json::value* entry, ManifestEntry(path));
  DOSSIER_ASSIGN_OR_RETURN(std::string bytes, zip->ReadAll(path, max_bytes));
  if (Sha256Digest(bytes) != StringMember(*entry, "digest"))
    return InvalidArgument("digest of " + path + " does not match manifest.json", "bad-package", path);
  return bytes;
}

StatusOr<std::string> EntryDigest(ZipReader& zip, const std::string& path) {
  DOSSIER_ASSIGN_OR_RETURN(std::unique_ptr<ZipReader::Stream> stream, zip.OpenEntry(path));
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1)
    return Internal("SHA-256 unavailable");
  char buf[65536];
  while (true) {
    const long got = stream->Read(buf, sizeof buf);
    if (got < 0) return stream->status();
    if (got == 0) break;
    EVP_DigestUpdate(ctx.get(), buf, static_cast<size_t>(got));
  }
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx.get(), md, &len);
  return HexDigestRef(md, len);
}

StatusOr<std::string> OpenedPackage::VerifiedDigest(const std::string& path) {
  DOSSIER_ASSIGN_OR_RETURN(const json::value* entry, ManifestEntry(path));
  DOSSIER_ASSIGN_OR_RETURN(const std::string digest, EntryDigest(*zip, path));
  if (digest != StringMember(*entry, "digest"))
    return InvalidArgument("digest of " + path + " does not match manifest.json", "bad-package", path);
  return digest;
}

StatusOr<json::value> OpenedPackage::ReadJson(const std::string& path) {
  DOSSIER_ASSIGN_OR_RETURN(std::string text, Read(path));
  return ParseJsonText(text, path);
}

StatusOr<OpenedPackage> OpenPackage(const std::filesystem::path& input, std::string_view format,
                                    const ImportLimits& limits) {
  OpenedPackage p;
  DOSSIER_ASSIGN_OR_RETURN(p.zip, ZipReader::Open(input, limits));
  if (!p.zip->Has("manifest.json"))
    return InvalidArgument("package has no manifest.json", "bad-package", "manifest.json");
  DOSSIER_ASSIGN_OR_RETURN(std::string text, p.zip->ReadAll("manifest.json", limits.max_json_bytes));
  DOSSIER_ASSIGN_OR_RETURN(json::value v, ParseJsonText(text, "manifest.json"));
  if (!v.is_object())
    return InvalidArgument("manifest.json is not an object", "bad-package", "manifest.json");
  p.manifest = std::move(v);
  const std::string declared = StringMember(p.manifest, "format");
  if (declared != format)
    return InvalidArgument("package format is '" + declared + "', not '" + std::string(format) + "'",
                           "bad-package", "manifest.json.format");
  return p;
}

Status ReadSections(OpenedPackage& package, v1::Dossier* out) {
  out->set_toc_edition(StringMember(package.manifest, "tocEdition"));
  std::map<std::string, const json::value*> by_path;
  if (const json::value* files = Member(package.manifest, "files"); files && files->is_array()) {
    for (const auto& f : files->as_array()) by_path[StringMember(f, "path")] = &f;
  }
  const json::value* sections = Member(package.manifest, "sections");
  if (!sections) return Status::Ok();
  if (!sections->is_array())
    return InvalidArgument("sections is not an array", "bad-package", "manifest.json.sections");
  int si = 0;
  for (const auto& s : sections->as_array()) {
    const std::string where = "manifest.json.sections[" + std::to_string(si++) + "]";
    v1::Section* section = out->add_sections();
    section->set_code(StringMember(s, "code"));
    section->set_title(StringMember(s, "title"));
    section->set_not_applicable_justification(StringMember(s, "notApplicableJustification"));
    if (const json::value* data = Member(s, "data"))
      DOSSIER_RETURN_IF_ERROR(ValueToMessage(*data, section->mutable_data(), where + ".data"));
    const json::value* docs = Member(s, "documents");
    if (!docs || !docs->is_array()) continue;
    for (const auto& path_v : docs->as_array()) {
      const std::string path = path_v.is_string() ? std::string(path_v.as_string()) : "";
      auto it = by_path.find(path);
      if (it == by_path.end())
        return InvalidArgument("document " + path + " not in files", "bad-package", where);
      // The entry is streamed and checked against the manifest digest (the
      // document's canonical digest is that same SHA-256); documents can be
      // large, so their bytes are never held whole.
      DOSSIER_ASSIGN_OR_RETURN(std::string digest, package.VerifiedDigest(path));
      if (!it->second->is_object())
        return InvalidArgument("manifest entry of " + path + " is not an object", "bad-package", where);
      json::object doc = it->second->as_object();
      json::object canonical;
      for (const char* key : {"fileName", "title", "study", "part", "language", "sizeBytes"}) {
        if (auto m = doc.find(key); m != doc.end()) canonical[key] = m->value();
      }
      canonical["digest"] = digest;
      canonical["mediaType"] = StringMember(*it->second, "mediaType");
      DOSSIER_RETURN_IF_ERROR(ValueToMessage(canonical, section->add_documents(), path));
    }
  }
  return Status::Ok();
}

StatusOr<trust::PackageFiles> ZipPackageFiles(const std::filesystem::path& path, const ImportLimits& limits) {
  DOSSIER_ASSIGN_OR_RETURN(std::unique_ptr<ZipReader> opened, ZipReader::Open(path, limits));
  std::shared_ptr<ZipReader> zip = std::move(opened);
  trust::PackageFiles files;
  files.paths = zip->Names();
  const uint64_t max_whole = limits.max_json_bytes;
  files.read = [zip, max_whole](const std::string& name) -> StatusOr<std::string> {
    if (!zip->Has(name)) return NotFound("the package has no " + name);
    return zip->ReadAll(name, max_whole);
  };
  files.digest = [zip](const std::string& name) -> StatusOr<std::string> {
    if (!zip->Has(name)) return NotFound("the package has no " + name);
    return EntryDigest(*zip, name);
  };
  return files;
}

}  // namespace dossier::translate
