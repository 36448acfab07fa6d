// Example (b): read a dossier's history and see what changed between versions.
// Run after manufacturer_two_versions (same DOSSIER_* environment).
#include <dossier/client/client.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <iostream>

using namespace dossier;

int main() {
  client::ClientOptions options;
  options.base_url = std::getenv("DOSSIER_SERVER") ? std::getenv("DOSSIER_SERVER") : "";
  options.token = std::getenv("DOSSIER_TOKEN") ? std::getenv("DOSSIER_TOKEN") : "";
  const std::string tenant = std::getenv("DOSSIER_TENANT") ? std::getenv("DOSSIER_TENANT") : "";
  auto api = client::Client::Create(options);
  if (!api.ok()) return 1;

  // History, all pages (AllVersions follows nextPageToken).
  auto versions = (*api)->AllVersions(tenant, client::ObjectKind::kDossier, "thorax-triage");
  if (!versions.ok()) {
    std::cerr << "history: " << versions.status().ToString() << "\n";
    return 1;
  }
  for (const auto& v : *versions) {
    std::cout << "v" << v.version << "  " << v.created_at << "  " << v.digest.substr(0, 19) << "  "
              << v.message << "\n";
  }
  if (versions->size() < 2) return 1;

  // Section-level differences between the first and the latest version.
  const uint64_t last = versions->back().version;
  auto diff = (*api)->Diff(tenant, "thorax-triage", 1, last);
  if (!diff.ok()) {
    std::cerr << "diff: " << diff.status().ToString() << "\n";
    return 1;
  }
  // The diff is JSON text (dossier::client::JsonText): read it with the JSON
  // library of your choice; this example uses Boost.JSON.
  const boost::json::value diff_json = boost::json::parse(*diff);
  for (const auto& s : diff_json.at("sections").as_array()) {
    const auto& section = s.as_object();
    std::cout << section.at("kind").as_string() << " " << section.at("code").as_string() << "\n";
  }
  // The content of one version, exactly as signed (digest-checked).
  auto content = (*api)->GetVersionContent(tenant, client::ObjectKind::kDossier, "thorax-triage", last);
  if (!content.ok()) return 1;
  std::cout << "version " << last << " content: " << content->size() << " bytes\n";
  return 0;
}
