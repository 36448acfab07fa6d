// verify: offline verification of a bundle, or of an exported package (a ZIP
// of `dossier export`, or its files unpacked in a folder), against the pinned
// log key.
#include <iostream>
#include <optional>

#include "commands.h"
#include "dossier/client/package_verify.h"
#include "schema/translate/package.h"
#include "trust/bundle.h"
#include "trust/checkpoint.h"

namespace dossier::cli {
namespace {
namespace fs = std::filesystem;
namespace json = boost::json;
using client::ObjectKind;

// Every file of the package tied to the signed version it was exported from
// (trust/export_package.h says what is checked, in which order).
int VerifyPackage(Context& c, const fs::path& path, const std::string& log_key_pem) {
  auto files = fs::is_directory(path) ? client::PackageFolder(path)
                                      : translate::ZipPackageFiles(path, translate::ImportLimits());
  if (!files.ok()) {
    throw Failure{kExitVerify, "verification failed: cannot read the package: " + files.status().message() +
                                   " [" + files.status().reason() + "]"};
  }
  auto v = client::VerifyExportedPackage(*files, log_key_pem);
  if (!v.ok()) {
    const std::string where = v.status().field().empty() ? "" : " (" + v.status().field() + ")";
    throw Failure{kExitVerify,
                  "verification failed: " + v.status().message() + where + " [" + v.status().reason() + "]"};
  }
  const trust::SignedVersionRef& ref = v->signed_version;
  if (c.json) {
    PrintJson(json::object{{"verified", true},
                           {"format", v->format},
                           {"tenant", ref.tenant},
                           {"object", ref.object},
                           {"version", ref.version},
                           {"contentDigest", ref.content_digest},
                           {"signerKeyId", v->version.signer_key_id},
                           {"logIndex", ref.log_index},
                           {"treeSize", ref.tree_size},
                           {"filesChecked", v->files_checked}});
  } else {
    std::cout << "verified: " << v->format << " export of " << ref.tenant << "/" << ref.object << " version "
              << ref.version << "\n  content " << ref.content_digest << ", signed by key "
              << v->version.signer_key_id << "\n  log index " << ref.log_index << " in tree of size "
              << ref.tree_size << " (" << v->version.checkpoint.origin << ")\n  " << v->files_checked
              << " files match the manifest the log key signed\n";
  }
  return kExitOk;
}

int Verify(Context& c) {
  c.Check({"content", "log-key", "origin"}, 1, 1);
  const fs::path input = c.args.positional[0];
  if (fs::is_directory(input) || input.extension() == ".zip") {
    std::string pem = c.config.log_key_pem;
    if (c.args.values.count("log-key")) pem = ReadTextFile(c.args.Get("log-key"), "log key");
    if (pem.empty())
      throw Failure{kExitUsage,
                    "no log key: pass --log-key PEM (from GET /v1/log/public-key) or run `dossier login`"};
    return VerifyPackage(c, input, pem);
  }
  const std::string text = ReadTextFile(c.args.positional[0], "bundle");
  auto bundle = trust::BundleFromJson(text);
  if (!bundle.ok())
    throw Failure{kExitVerify, "verification failed: not a valid bundle: " + bundle.status().message()};
  std::string pem = c.config.log_key_pem, origin = c.config.log_origin;
  if (c.args.values.count("log-key")) {
    pem = ReadTextFile(c.args.Get("log-key"), "log key");
    origin.clear();
  }
  if (pem.empty())
    throw Failure{kExitUsage,
                  "no log key: pass --log-key PEM (from GET /v1/log/public-key) or run `dossier login`"};
  auto log_key = trust::PublicKey::FromPem(pem);
  if (!log_key.ok()) throw Failure{kExitLocal, "the log key is not a PEM public key"};
  // Our log names itself in the first line of its checkpoints; the signature
  // by the pinned key is what makes that trustworthy.
  origin = c.args.Get("origin", origin);
  if (origin.empty()) {
    auto claimed = trust::ParseUnverifiedCheckpoint(bundle->checkpoint_note);
    if (!claimed.ok()) {
      throw Failure{kExitVerify, "verification failed: " + claimed.status().message() + " [" +
                                     claimed.status().reason() + "]"};
    }
    origin = claimed->origin;
  }
  std::optional<std::string> content;
  if (c.args.values.count("content")) content = ReadTextFile(c.args.Get("content"), "content");
  auto v = trust::VerifyBundle(*bundle, origin, *log_key, content ? &*content : nullptr);
  if (!v.ok()) {
    throw Failure{kExitVerify,
                  "verification failed: " + v.status().message() + " [" + v.status().reason() + "]"};
  }
  if (c.json) {
    PrintJson(json::object{{"verified", true},
                           {"tenant", v->statement.tenant},
                           {"object", v->statement.object},
                           {"version", v->statement.version},
                           {"contentDigest", v->statement.content_digest},
                           {"signerKeyId", v->signer_key_id},
                           {"logIndex", bundle->log_index},
                           {"treeSize", v->checkpoint.tree_size},
                           {"contentChecked", content.has_value()}});
  } else {
    std::cout << "verified: " << v->statement.tenant << "/" << v->statement.object << " version "
              << v->statement.version << "\n  content " << v->statement.content_digest
              << (content ? " (file matches)" : " (content not checked: pass --content FILE)")
              << "\n  signed by key " << v->signer_key_id << ", registered in the log\n  log index "
              << bundle->log_index << " in tree of size " << v->checkpoint.tree_size << " ("
              << v->checkpoint.origin << ")\n";
  }
  return kExitOk;
}

}  // namespace

void AddVerifyCommands(CommandTable& table) {
  table.Add({"verify", "verify BUNDLE|PACKAGE.zip|FOLDER [--content FILE] [--log-key PEM] [--origin O]",
             "offline verification of a bundle, or of an exported package against its signed version",
             Verify});
}

}  // namespace dossier::cli
