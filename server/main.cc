// dossierd: the Dossier Exchange server.
//
//   dossierd serve --data DIR [--store postgres://...] [--listen 127.0.0.1:8080]
//                  [--tls-cert F --tls-key F [--client-ca F]] [--config FILE] [--web-root DIR]
//   dossierd scrub --data DIR [--store postgres://...]
//                                 verify the store: checksums, log nodes, blob digests
//   dossierd version
#include <boost/program_options.hpp>
#include <fstream>
#include <iostream>
#include <vector>

#include "schema/translate/profiles.h"
#include "server/api.h"
#include "server/http_server.h"
#include "server/peer_url.h"
#include "server/web_assets.h"
#include "storage/pg_store.h"
#include "storage/store.h"

namespace po = boost::program_options;
using namespace dossier;

namespace {

constexpr const char* kVersion = "0.1.0";

// The usage text on `out`: stdout when asked for (--help, exit 0), stderr
// after a mistake (exit 2).
int Usage(const po::options_description& options, std::ostream& out = std::cerr) {
  out << "usage:\n"
         "  dossierd serve --data DIR [--store postgres://...] [--listen HOST:PORT] "
         "[--tls-cert F --tls-key F [--client-ca F]] [--config FILE] [--web-root DIR]\n"
         "  dossierd scrub --data DIR [--store postgres://...]\n"
         "  dossierd version\n\n"
      << options;
  return 2;
}

// The store `location` names: "rocksdb" (the default: embedded, in
// DATA/db and DATA/blobs) or a PostgreSQL URL (uploads are staged in DATA/tmp).
StatusOr<std::unique_ptr<storage::Store>> OpenConfiguredStore(const std::string& location,
                                                              const std::filesystem::path& data_dir,
                                                              storage::StoreOptions store_options) {
  if (storage::IsPostgresUrl(location)) {
    storage::PostgresStoreOptions pg;
    pg.conninfo = location;
    pg.staging_dir = data_dir / "tmp";
    return storage::OpenPostgresStore(pg);
  }
  if (location != "rocksdb") {
    return InvalidArgument("--store must be rocksdb or a postgres:// URL", "bad-store", "store");
  }
  store_options.data_dir = data_dir;
  return storage::OpenRocksStore(store_options);
}

// The web app's files: --web-root, else the build or install tree beside this
// binary; none found means the API alone is served (said on stdout).
StatusOr<std::shared_ptr<const server::WebAssets>> LoadWebApp(const std::string& web_root,
                                                              const char* argv0) {
  std::error_code ec;
  std::filesystem::path executable = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) executable = argv0;
  const std::filesystem::path root =
      web_root.empty() ? server::DefaultWebRoot(executable) : std::filesystem::path(web_root);
  if (root.empty()) return std::shared_ptr<const server::WebAssets>();
  DOSSIER_ASSIGN_OR_RETURN(auto assets, server::WebAssets::Load(root));
  std::cout << "web app: " << assets.file_count() << " files from " << root.string() << std::endl;
  return std::make_shared<const server::WebAssets>(std::move(assets));
}

int Serve(server::ServerOptions options, const std::string& store_location,
          storage::StoreOptions store_options, std::shared_ptr<const server::WebAssets> web_app) {
  auto store = OpenConfiguredStore(store_location, options.data_dir, std::move(store_options));
  if (!store.ok()) {
    std::cerr << "dossierd: cannot open the store ("
              << (storage::IsPostgresUrl(store_location) ? "PostgreSQL" : options.data_dir.string())
              << "): " << store.status().message() << "\n";
    return 1;
  }
  auto identity = server::LoadOrCreateLogIdentity(options);
  if (!identity.ok()) {
    std::cerr << "dossierd: " << identity.status().message() << "\n";
    return 1;
  }
  auto bootstrap = server::BootstrapOperator(**store, options.data_dir);
  if (!bootstrap.ok()) {
    std::cerr << "dossierd: cannot create the operator token: " << bootstrap.status().message() << "\n";
    return 1;
  }
  if (bootstrap->has_value()) {
    std::cout << "operator token (shown once; also in " << (options.data_dir / "operator.token").string()
              << ", mode 0600):\n"
              << **bootstrap << "\n";
  }
  const std::string origin = identity->origin;
  server::Api api(**store, options, std::move(identity).value());
  if (web_app) {
    api.ServeWebApp(std::move(web_app));
  } else {
    std::cout << "web app: not found beside the binary (build it, or pass --web-root); serving the API only"
              << std::endl;
  }
  server::HttpServer http(api, (*store)->StagingDir());
  if (auto s = http.Start(); !s.ok()) {
    std::cerr << "dossierd: " << s.message() << "\n";
    return 1;
  }
  std::cout << "dossierd " << kVersion << " listening on "
            << (options.tls_cert.empty() ? "http://" : "https://")
            << options.listen.substr(0, options.listen.rfind(':')) << ":" << http.port() << " (log " << origin
            << ", data " << options.data_dir.string() << ")" << std::endl;
  http.Run();
  std::cout << "dossierd stopped" << std::endl;
  return 0;
}

int Scrub(const std::filesystem::path& data_dir, const std::string& store_location) {
  auto store = OpenConfiguredStore(store_location, data_dir, storage::StoreOptions());
  if (!store.ok()) {
    std::cerr << "scrub: cannot open the store: " << store.status().message() << "\n";
    return 1;
  }
  auto problems = (*store)->Scrub();
  if (!problems.ok()) {
    std::cerr << "scrub: could not run: " << problems.status().message() << "\n";
    return 1;
  }
  for (const auto& p : *problems) std::cout << "scrub: PROBLEM: " << p << "\n";
  if (!problems->empty()) {
    std::cout << "scrub: FAILED (" << problems->size() << " problems)\n";
    return 1;
  }
  std::cout << "scrub: OK (" << (*store)->LogSize() << " log leaves, every version and blob verified)\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  server::ServerOptions options;
  std::string store_location = "rocksdb";
  std::string data, config, listen = options.listen, tls_cert, tls_key, client_ca, origin, web_root;
  unsigned io_threads = options.io_threads, workers = options.worker_threads;
  uint64_t max_body = options.max_body_bytes, max_blob = options.max_blob_bytes;
  bool quiet = false;
  double rate = options.rate_limit_per_second, burst = options.rate_limit_burst;
  double tenant_rate = options.tenant_rate_limit_per_second, tenant_burst = options.tenant_rate_limit_burst;
  int64_t peer_poll_ms = options.peer_poll_interval.count();
  storage::StoreOptions store_options;
  uint64_t memtable_mib = store_options.write_buffer_bytes >> 20;
  std::vector<std::string> export_profiles;
  std::vector<std::string> peer_allow;
  std::string pdf_renderer = options.pdf_renderer.string();
  po::options_description desc("options");
  desc.add_options()("help,h", "show this help")("data", po::value(&data),
                                                 "data directory (created if absent)")(
      "store", po::value(&store_location)->default_value(store_location),
      "rocksdb (embedded, in the data directory) or a postgres:// URL (several nodes may share it)")(
      "listen", po::value(&listen)->default_value(listen), "address:port to listen on")(
      "tls-cert", po::value(&tls_cert), "PEM certificate chain: serve HTTPS")(
      "tls-key", po::value(&tls_key), "PEM private key for --tls-cert")(
      "client-ca", po::value(&client_ca), "PEM CA bundle: verify client certificates (mTLS)")(
      "config", po::value(&config), "file of option=value lines")(
      "io-threads", po::value(&io_threads)->default_value(io_threads), "network threads")(
      "workers", po::value(&workers)->default_value(workers), "handler threads")(
      "max-body-bytes", po::value(&max_body)->default_value(max_body), "largest JSON body")(
      "max-blob-bytes", po::value(&max_blob)->default_value(max_blob), "largest uploaded document")(
      "log-origin", po::value(&origin), "checkpoint origin line (default: derived from the log key)")(
      "rate-limit", po::value(&rate)->default_value(rate), "requests/s per credential (0: off)")(
      "rate-burst", po::value(&burst)->default_value(burst), "burst per credential")(
      "tenant-rate-limit", po::value(&tenant_rate)->default_value(tenant_rate),
      "requests/s of all of one tenant's credentials together (0: off)")(
      "tenant-rate-burst", po::value(&tenant_burst)->default_value(tenant_burst), "burst per tenant")(
      "peer-poll-ms", po::value(&peer_poll_ms)->default_value(peer_poll_ms), "reliance peer poll interval")(
      "peer-allow", po::value(&peer_allow)->composing(),
      "HOST or HOST:PORT reliance peers may be at (repeatable; default: any host but link-local, metadata, "
      "multicast; docs/SECURITY.md)")(
      "memtable-mib", po::value(&memtable_mib)->default_value(memtable_mib),
      "RocksDB memtable size per column family; also the free space needed to resume writing after a full "
      "disk")(
      "web-root", po::value(&web_root),
      "the web app's built files (default: ../web or ../share/dossier-exchange/web beside the binary)")(
      "quiet", po::bool_switch(&quiet), "no access log")(
      "export-profile", po::value(&export_profiles)->composing(),
      "FORMAT=PROFILE: the default export profile of a format (repeatable; docs/EXPORT_PROFILES.md)")(
      "pdf-renderer", po::value(&pdf_renderer)->default_value(pdf_renderer),
      "HTML-to-PDF renderer for redlines (Debian's wkhtmltopdf)");
  if (argc < 2) return Usage(desc);
  const std::string command = argv[1];
  if (command == "version" || command == "--version") {
    std::cout << "dossierd " << kVersion << "\n";
    return 0;
  }
  if (command == "--help" || command == "-h" || command == "help") return Usage(desc, std::cout), 0;
  if (command != "serve" && command != "scrub") return Usage(desc);
  po::variables_map vm;
  try {
    po::store(po::parse_command_line(argc - 1, argv + 1, desc), vm);
    if (vm.count("config")) {
      std::ifstream in(vm["config"].as<std::string>());
      if (!in) {
        std::cerr << "dossierd: cannot read --config " << vm["config"].as<std::string>() << "\n";
        return 2;
      }
      po::store(po::parse_config_file(in, desc), vm);
    }
    po::notify(vm);
  } catch (const std::exception& e) {
    std::cerr << "dossierd: " << e.what() << "\n";
    return 2;
  }
  if (vm.count("help")) return Usage(desc, std::cout), 0;
  if (data.empty()) {
    std::cerr << "dossierd: --data DIR is required\n";
    return 2;
  }
  if (command == "scrub") return Scrub(data, store_location);
  options.data_dir = data;
  options.listen = listen;
  options.tls_cert = tls_cert;
  options.tls_key = tls_key;
  options.client_ca = client_ca;
  options.io_threads = io_threads;
  options.worker_threads = workers;
  options.max_body_bytes = max_body;
  options.max_blob_bytes = max_blob;
  options.log_origin = origin;
  options.access_log = !quiet;
  options.rate_limit_per_second = rate;
  options.rate_limit_burst = burst;
  options.tenant_rate_limit_per_second = tenant_rate;
  options.tenant_rate_limit_burst = tenant_burst;
  options.peer_poll_interval = std::chrono::milliseconds(std::max<int64_t>(50, peer_poll_ms));
  options.pdf_renderer = pdf_renderer;
  if (Status allow = server::CheckPeerHostAllowList(peer_allow); !allow.ok()) {
    std::cerr << "dossierd: --peer-allow: " << allow.message() << "\n";
    return 2;
  }
  options.peer_allowed_hosts = peer_allow;
  for (const std::string& choice : export_profiles) {
    const size_t eq = choice.find('=');
    auto profile = eq == std::string::npos
                       ? StatusOr<const translate::ExportProfile*>(InvalidArgument("no '='", "bad-parameter"))
                       : translate::FindExportProfile(choice.substr(0, eq), choice.substr(eq + 1));
    if (!profile.ok()) {
      std::cerr << "dossierd: --export-profile " << choice << ": " << profile.status().message() << "\n";
      return 2;
    }
    options.export_profile_defaults[(*profile)->format] = (*profile)->name;
  }
  std::error_code ec;
  std::filesystem::create_directories(options.data_dir, ec);
  if (memtable_mib < 1 || memtable_mib > 1024) {
    std::cerr << "dossierd: --memtable-mib must be between 1 and 1024\n";
    return 2;
  }
  store_options.write_buffer_bytes = memtable_mib << 20;
  auto web_app = LoadWebApp(web_root, argv[0]);
  if (!web_app.ok()) {
    std::cerr << "dossierd: " << web_app.status().message() << "\n";
    return 2;
  }
  return Serve(std::move(options), store_location, std::move(store_options), std::move(web_app).value());
}
