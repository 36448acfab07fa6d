// Dossier commands: create, push, pull, log, diff, bundle.
#include <iostream>

#include "cli_output.h"
#include "commands.h"
#include "dossier/client/toc_folder.h"
#include "schema/dossier_codec.h"
#include "schema/toc.h"
#include "schema/validate.h"
#include "toc_layout.h"
#include "trust/digest.h"

namespace dossier::cli {
namespace {
namespace fs = std::filesystem;
namespace json = boost::json;
using client::ObjectKind;

int Create(Context& c) {
  c.Check({"title"}, 1, 1);
  auto o = Must(c.Connect().CreateDossier(c.Tenant(), c.args.positional[0], c.args.Get("title")), "create");
  if (c.json) {
    PrintJson(ParseObject(o.json_text));
  } else {
    std::cout << "created dossier " << o.id << "\n";
  }
  return kExitOk;
}

int Push(Context& c) {
  c.Check({"message", "key"}, 2, 2);
  const std::string d = c.args.positional[0];
  const fs::path dir = c.args.positional[1];
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw Failure{kExitLocal, "no such folder: " + dir.string()};
  const client::SigningKey key = LoadSigningKey(c);
  if (const fs::path fields_file = dir / client::kDossierFieldsFile; fs::exists(fields_file, ec)) {
    const std::string problem = JsonSyntaxError(ReadTextFile(fields_file, "dossier fields"));
    if (!problem.empty()) throw Failure{kExitLocal, fields_file.string() + ": " + problem};
  }
  client::JsonText fields = LocalMust(client::ReadDossierFields(dir));
  std::vector<client::FolderSection> local = LocalMust(client::ReadTocFolder(dir));

  // Upload: hash each document, skip what the server already holds (HEAD).
  uint64_t total = 0, files = 0, uploaded = 0;
  for (auto& s : local) {
    for (auto& doc : s.documents) total += doc.size, ++files;
  }
  const std::string tenant = c.Tenant();
  auto& cl = c.Connect();
  {
    Progress bar("uploading", total, c.ProgressAllowed());
    uint64_t base = 0, n = 0;
    for (auto& s : local) {
      for (auto& doc : s.documents) {
        bar.Note(std::to_string(++n) + "/" + std::to_string(files) + " " + doc.file_name);
        auto blob = Must(
            cl.UploadFileIfMissing(tenant, doc.path, [&](uint64_t done, uint64_t) { bar.Set(base + done); }),
            doc.path.string());
        doc.digest = blob.digest;
        uploaded += blob.created ? 1 : 0;
        base += doc.size;
        bar.Set(base);
      }
    }
  }

  // Content: dossier.json's fields, its sections merged with the folders.
  const json::object content = ParseObject(LocalMust(client::MergeTocFolder(std::move(fields), local)));

  // Check locally before signing: a clear message beats a refused commit.
  auto parsed = schema::ParseDossier(json::serialize(content), schema::ContentFormat::kJson);
  if (!parsed.ok())
    throw Failure{kExitLocal, "dossier.json: " + ReadableSchemaMessage(parsed.status().message())};
  Status valid = schema::ValidateDossier(*parsed, schema::TocCatalog::BuiltIn());
  if (!valid.ok()) {
    throw Failure{kExitLocal, "invalid dossier content at " + valid.field() + ": " + valid.message() + " [" +
                                  valid.reason() + "]"};
  }
  client::CommitRequest req;
  req.tenant = tenant;
  req.id = d;
  req.content = schema::DossierToJson(*parsed);
  req.message = c.args.Get("message");
  auto result = Must(cl.Commit(req, key), "push");
  if (c.json) {
    json::object out = ParseObject(result.version.json_text);
    out["documents"] = files;
    out["uploaded"] = uploaded;
    PrintJson(out);
  } else {
    std::cout << "pushed " << d << " version " << result.version.version << ": " << files << " documents ("
              << uploaded << " uploaded, " << files - uploaded << " already on the server)\n  digest "
              << result.version.digest << ", log index " << result.receipt.log_index << "\n";
  }
  return kExitOk;
}

int Pull(Context& c) {
  c.Check({"version"}, 2, 2);
  const std::string d = c.args.positional[0];
  const fs::path dir = c.args.positional[1];
  const std::string tenant = c.Tenant();
  auto& cl = c.Connect();
  const uint64_t n = VersionOrHead(c, tenant, d);
  auto version = Must(cl.GetVersion(tenant, ObjectKind::kDossier, d, n), "pull");
  // The exact signed bytes (digest-checked by the SDK), not a re-serialisation.
  const std::string bytes = Must(cl.GetVersionContent(tenant, ObjectKind::kDossier, d, n), "pull");
  auto format = schema::FormatOfMediaType(version.info.media_type, schema::kDossierMediaTypeBase);
  if (!format.ok()) throw Failure{kExitRefused, "version " + std::to_string(n) + " is not dossier content"};
  auto dossier = schema::ParseDossier(bytes, *format);
  if (!dossier.ok())
    throw Failure{kExitRefused, "version content does not parse: " + dossier.status().message()};

  const TocLayoutResult written =
      WriteTocLayout(*dossier, dir, c.ProgressAllowed(),
                     [&](const std::string& digest, const fs::path& target, client::ProgressFn progress) {
                       Must(cl.DownloadToFile(tenant, digest, target, std::move(progress)), target.string());
                     });
  const uint64_t files = written.documents, fetched = written.downloaded;
  if (c.json) {
    PrintJson(json::object{
        {"version", n}, {"digest", version.info.digest}, {"documents", files}, {"downloaded", fetched}});
  } else {
    std::cout << "pulled " << d << " version " << n << " into " << dir.string() << ": " << files
              << " documents (" << fetched << " downloaded)\n";
  }
  return kExitOk;
}

int Log(Context& c) {
  c.Check({}, 1, 1);
  const std::string d = c.args.positional[0];
  auto versions = Must(c.Connect().AllVersions(c.Tenant(), ObjectKind::kDossier, d), "log");
  if (c.json) {
    json::array a;
    for (auto& v : versions) a.push_back(ParseObject(v.json_text));
    PrintJson(json::object{{"versions", a}});
    return kExitOk;
  }
  std::printf("%-7s  %-24s  %-19s  %-12s  %s\n", "VERSION", "CREATED", "DIGEST", "SIGNER", "MESSAGE");
  for (auto it = versions.rbegin(); it != versions.rend(); ++it) {
    std::printf("%-7llu  %-24s  %-19s  %-12s  %s\n", static_cast<unsigned long long>(it->version),
                it->created_at.c_str(), it->digest.substr(0, 19).c_str(),
                it->signer_key_id.substr(0, 12).c_str(), it->message.c_str());
  }
  return kExitOk;
}

int Diff(Context& c) {
  c.Check({}, 3, 3);
  const uint64_t a = ParseVersion(c.args.positional[1], "A"), b = ParseVersion(c.args.positional[2], "B");
  auto diff = ParseObject(Must(c.Connect().Diff(c.Tenant(), c.args.positional[0], a, b), "diff"));
  if (c.json) {
    PrintJson(diff);
    return kExitOk;
  }
  // Each section's "documents" names the files added, removed or changed.
  auto print_documents = [](const json::object& section) {
    const json::value* list = section.if_contains("documents");
    if (list == nullptr || !list->is_array()) return;
    for (const auto& d : list->as_array()) {
      if (!d.is_object()) continue;
      const json::object& doc = d.as_object();
      const std::string change = Cell(doc, "change");
      const std::string digest = Cell(doc, change == "REMOVED" ? "oldDigest" : "newDigest");
      const std::string name = Cell(doc, "fileName");
      std::cout << "     "
                << (change == "ADDED"     ? "+ "
                    : change == "REMOVED" ? "- "
                                          : "~ ")
                << (name.empty() ? digest : name) << (change == "CHANGED" ? " (changed)" : "") << "  ("
                << digest.substr(0, 19) << ")\n";
    }
  };
  size_t changes = 0;
  if (auto* secs = diff.if_contains("sections"); secs && secs->is_array()) {
    for (const auto& s : secs->as_array()) {
      const auto& o = s.as_object();
      const std::string kind = o.if_contains("kind") ? std::string(o.at("kind").as_string()) : "";
      const size_t added = o.if_contains("documentsAdded") ? o.at("documentsAdded").as_array().size() : 0;
      const size_t removed =
          o.if_contains("documentsRemoved") ? o.at("documentsRemoved").as_array().size() : 0;
      const bool data = o.if_contains("dataChanged") && o.at("dataChanged").as_bool();
      std::cout << (kind == "ADDED"     ? "A"
                    : kind == "REMOVED" ? "D"
                                        : "M")
                << "  " << std::string(o.at("code").as_string()) << "  +" << added << " -" << removed
                << " documents" << (data ? ", data changed" : "") << "\n";
      print_documents(o);
      ++changes;
    }
  }
  if (auto* fields = diff.if_contains("changedFields"); fields && fields->is_array()) {
    for (const auto& f : fields->as_array()) {
      std::cout << "F  " << std::string(f.as_string()) << "\n";
      ++changes;
    }
  }
  if (changes == 0) std::cout << "no differences between version " << a << " and " << b << "\n";
  return kExitOk;
}

int Bundle(Context& c) {
  c.Check({"version", "output"}, 1, 1);
  if (!c.args.values.count("output"))
    throw Failure{kExitUsage, "usage: dossier bundle D --version N -o FILE"};
  const std::string tenant = c.Tenant(), d = c.args.positional[0];
  const uint64_t n = VersionOrHead(c, tenant, d);
  std::string raw;
  Must(c.Connect().GetBundle(tenant, ObjectKind::kDossier, d, n, &raw), "bundle");
  WriteOutputFile(c.args.Get("output"), raw);
  if (!c.json)
    std::cout << "saved the bundle of " << d << " version " << n << " to " << c.args.Get("output") << "\n";
  return kExitOk;
}

}  // namespace

void AddDossierCommands(CommandTable& table) {
  table.Add({"create", "create D [--title T]", "a new dossier", Create});
  table.Add({"push", "push D DIR [--message M] [--key FILE]",
             "DIR laid out by ToC headings -> one signed version", Push});
  table.Add(
      {"pull", "pull D DIR [--version N]", "write a version's documents back in the same layout", Pull});
  table.Add({"log", "log D", "history", Log});
  table.Add({"diff", "diff D A B", "section-level differences between versions A and B", Diff});
  table.Add({"bundle", "bundle D --version N -o FILE", "save the offline verification bundle of a version",
             Bundle});
}

}  // namespace dossier::cli
