// dossierd: the Dossier Exchange server.
//
//   dossierd serve --data DIR [--store postgres://...] [--listen 127.0.0.1:8080]
//                  [--tls-cert F --tls-key F [--client-ca F]] [--config FILE] [--web-root DIR]
//   dossierd scrub --data DIR [--store postgres://...]
//                                 verify the store: checksums, log nodes, blob digests
//   dossierd backup --data DIR --to BACKUP   a consistent copy, also while DIR is served
//   dossierd restore --from BACKUP --data DIR
//   dossierd migrate --from ROCKSDB_DATA_DIR --store postgres://... [--data DIR]
//   dossierd version
#include <boost/program_options.hpp>
#include <fstream>
#include <iostream>
#include <vector>

#include "schema/translate/profiles.h"
#include "server/admin_socket.h"
#include "server/api.h"
#include "server/http_server.h"
#include "server/node_copy.h"
#include "server/peer_url.h"
#include "server/web_assets.h"
#include "storage/pg_store.h"
#include "storage/store.h"
#include "trust/encoding.h"
#include "trust/merkle.h"

namespace po = boost::program_options;
using namespace dossier;

namespace {

constexpr const char* kVersion = "0.2.0";
// A node refused because its log key is not the store's (the unit file does
// not restart on it: only the operator can fix it).
constexpr int kExitLogKeyMismatch = 3;

// The usage text on `out`: stdout when asked for (--help, exit 0), stderr
// after a mistake (exit 2).
int Usage(const po::options_description& options, std::ostream& out = std::cerr) {
  out << "usage:\n"
         "  dossierd serve --data DIR [--store postgres://...] [--listen HOST:PORT] "
         "[--tls-cert F --tls-key F [--client-ca F]] [--config FILE] [--web-root DIR]\n"
         "  dossierd scrub --data DIR [--store postgres://...]\n"
         "  dossierd backup --data DIR --to BACKUP_DIR\n"
         "  dossierd restore --from BACKUP_DIR --data DIR\n"
         "  dossierd migrate --from ROCKSDB_DATA_DIR --store postgres://... [--data DIR]\n"
         "  dossierd version\n\n"
      << options;
  return 2;
}

// The store `location` names: "rocksdb" (the default: embedded, in
// DATA/db and DATA/blobs) or a PostgreSQL URL (uploads are staged in DATA/tmp).
StatusOr<std::unique_ptr<storage::Store>> OpenConfiguredStore(const std::string& location,
                                                              const std::filesystem::path& data_dir,
                                                              storage::StoreOptions store_options,
                                                              storage::PostgresStoreOptions pg = {}) {
  if (storage::IsPostgresUrl(location)) {
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
          storage::StoreOptions store_options, storage::PostgresStoreOptions pg_options,
          std::shared_ptr<const server::WebAssets> web_app) {
  auto store = OpenConfiguredStore(store_location, options.data_dir, std::move(store_options), pg_options);
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
  if (auto s = server::CheckLogKey(**store, *identity); !s.ok()) {
    std::cerr << "dossierd: " << s.message() << "\n";
    return kExitLogKeyMismatch;
  }
  const std::string origin = identity->origin;
  const server::LogIdentity backup_identity = *identity;
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
  // `dossierd backup` asks the running node through DATA/admin.sock.
  auto admin = server::AdminSocket::Listen(
      options.data_dir / "admin.sock", [&](std::string_view request) -> std::string {
        if (!request.starts_with("backup /")) return "error unknown request (expected: backup /ABSOLUTE/DIR)";
        const std::filesystem::path to(request.substr(7));
        auto backup = server::BackupNode(**store, backup_identity, options.data_dir, to);
        if (!backup.ok()) return "error " + backup.status().message();
        return "ok " + server::DescribeBackup(*backup, to);
      });
  if (!admin.ok()) {
    std::cerr << "dossierd: no admin socket (dossierd backup needs the node stopped): "
              << admin.status().message() << "\n";
  }
  std::cout << "dossierd " << kVersion << " listening on "
            << (options.tls_cert.empty() ? "http://" : "https://")
            << options.listen.substr(0, options.listen.rfind(':')) << ":" << http.port() << " (log " << origin
            << ", data " << options.data_dir.string() << ")" << std::endl;
  http.Run();
  std::cout << "dossierd stopped" << std::endl;
  return 0;
}

int Scrub(const std::filesystem::path& data_dir, const std::string& store_location,
          const storage::PostgresStoreOptions& pg_options) {
  auto store = OpenConfiguredStore(store_location, data_dir, storage::StoreOptions(), pg_options);
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

// Backs up DATA into TO: through the node serving DATA when there is one
// (RocksDB admits one process), else by opening the store itself.
int Backup(const std::filesystem::path& data_dir, const std::string& store_location,
           std::filesystem::path to) {
  if (storage::IsPostgresUrl(store_location)) {
    std::cerr << "backup: a PostgreSQL store is backed up with PostgreSQL's tools (pg_basebackup with WAL "
                 "archiving for point-in-time recovery, or pg_dump); see docs/OPERATIONS.md\n";
    return 2;
  }
  to = std::filesystem::absolute(to).lexically_normal();
  auto answer = server::AdminCall(data_dir / "admin.sock", "backup " + to.string());
  if (answer.ok()) {
    const bool ok = answer->starts_with("ok ");
    (ok ? std::cout : std::cerr) << "backup: " << answer->substr(ok ? 3 : 6) << "\n";
    return ok ? 0 : 1;
  }
  if (answer.status().reason() != "no-server") {
    std::cerr << "backup: " << answer.status().message() << "\n";
    return 1;
  }
  std::error_code ec;
  if (!std::filesystem::exists(data_dir / "log-key.pem", ec)) {
    std::cerr << "backup: " << data_dir.string()
              << " has no log-key.pem: it is not a dossierd data directory\n";
    return 2;
  }
  storage::StoreOptions store_options;
  store_options.data_dir = data_dir;
  auto store = storage::OpenRocksStore(store_options);
  if (!store.ok()) {
    std::cerr << "backup: cannot open the store: " << store.status().message() << "\n";
    return 1;
  }
  server::ServerOptions options;
  options.data_dir = data_dir;
  auto identity = server::LoadOrCreateLogIdentity(options);
  if (!identity.ok()) {
    std::cerr << "backup: " << identity.status().message() << "\n";
    return 1;
  }
  auto backup = server::BackupNode(**store, *identity, data_dir, to);
  if (!backup.ok()) {
    std::cerr << "backup: " << backup.status().message() << "\n";
    return 1;
  }
  std::cout << "backup: " << server::DescribeBackup(*backup, to) << "\n";
  return 0;
}

int Restore(const std::filesystem::path& from, const std::filesystem::path& data_dir) {
  auto restored = server::RestoreNode(from, data_dir);
  if (!restored.ok()) {
    std::cerr << "restore: " << restored.status().message() << "\n";
    return 1;
  }
  std::cout << "restore: OK: " << data_dir.string() << " holds log size " << restored->log_size << " (root "
            << trust::Base64Encode(restored->root_hash) << "), equal to the backup's checkpoint signed by "
            << restored->origin << "; scrub found no problem\n";
  return 0;
}

// Copies an embedded store into a new PostgreSQL database and checks that the
// log (size and root) is the same on both sides.
int Migrate(const std::filesystem::path& from, const std::string& store_location,
            const std::filesystem::path& data_dir, storage::PostgresStoreOptions pg) {
  if (!storage::IsPostgresUrl(store_location)) {
    std::cerr << "migrate: --store must name the target PostgreSQL database (postgres://...)\n";
    return 2;
  }
  storage::StoreOptions source_options;
  source_options.data_dir = from;
  std::error_code ec;
  if (!std::filesystem::exists(from / "db", ec)) {
    std::cerr << "migrate: " << from.string() << " holds no embedded store (no db/ folder)\n";
    return 2;
  }
  auto source = storage::OpenRocksStore(source_options);
  if (!source.ok()) {
    std::cerr << "migrate: cannot open " << from.string()
              << " (stop the node serving it first): " << source.status().message() << "\n";
    return 1;
  }
  const uint64_t size = (*source)->LogSize();
  auto root = size == 0 ? StatusOr<std::string>(trust::EmptyTreeRoot()) : (*source)->LogRoot(size);
  auto counts = root.ok() ? storage::ImportIntoPostgres(store_location, **source)
                          : StatusOr<storage::ImportCounts>(root.status());
  if (!counts.ok()) {
    std::cerr << "migrate: nothing was migrated: " << counts.status().message() << "\n";
    return 1;
  }
  pg.conninfo = store_location;
  pg.staging_dir = (data_dir.empty() ? from : data_dir) / "tmp";
  auto target = storage::OpenPostgresStore(pg);
  auto target_root = !target.ok() ? StatusOr<std::string>(target.status())
                     : size == 0  ? StatusOr<std::string>(trust::EmptyTreeRoot())
                                  : (*target)->LogRoot(size);
  if (!target_root.ok() || (*target)->LogSize() != size || *target_root != *root) {
    std::cerr << "migrate: the migrated log differs from the source's ("
              << (target_root.ok() ? "size or root" : target_root.status().message()) << ")\n";
    return 1;
  }
  // A PostgreSQL node signs the migrated log's checkpoints only with the key
  // that signed it so far.
  if (!data_dir.empty() && !std::filesystem::exists(data_dir / "log-key.pem", ec)) {
    std::filesystem::create_directories(data_dir, ec);
    std::filesystem::copy_file(from / "log-key.pem", data_dir / "log-key.pem", ec);
    if (ec) {
      std::cerr << "migrate: migrated, but the log key was not copied into " << data_dir.string() << ": "
                << ec.message() << "\n";
      return 1;
    }
  }
  std::cout << "migrate: OK: " << counts->tenants << " tenants, " << counts->versions << " versions, "
            << counts->blobs << " blobs (" << counts->blob_bytes << " bytes), log size " << size << " (root "
            << trust::Base64Encode(*root) << ") identical in PostgreSQL; every node on it needs "
            << (from / "log-key.pem").string() << " in its data directory\n";
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
  std::string log_format = "text";
  double rate = options.rate_limit_per_second, burst = options.rate_limit_burst;
  double tenant_rate = options.tenant_rate_limit_per_second, tenant_burst = options.tenant_rate_limit_burst;
  int64_t peer_poll_ms = options.peer_poll_interval.count();
  int64_t drain_timeout_s = options.drain_timeout.count();
  storage::StoreOptions store_options;
  uint64_t memtable_mib = store_options.write_buffer_bytes >> 20;
  std::vector<std::string> export_profiles;
  std::vector<std::string> peer_allow;
  std::string pdf_renderer = options.pdf_renderer.string();
  storage::PostgresStoreOptions pg_options;
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
      "tenant-rate-limit", po::value(&tenant_rate),
      "requests/s of all of one tenant's credentials together (default: 5 x rate-limit, so 0 with it; 0: "
      "off)")("tenant-rate-burst", po::value(&tenant_burst), "burst per tenant (default: 5 x rate-burst)")(
      "peer-poll-ms", po::value(&peer_poll_ms)->default_value(peer_poll_ms), "reliance peer poll interval")(
      "drain-timeout-s", po::value(&drain_timeout_s)->default_value(drain_timeout_s),
      "SIGTERM: seconds to let requests in flight (a streamed answer included) finish before stopping")(
      "peer-allow", po::value(&peer_allow)->composing(),
      "HOST or HOST:PORT reliance peers may be at (repeatable; default: any host but link-local, metadata, "
      "multicast; docs/SECURITY.md)")(
      "memtable-mib", po::value(&memtable_mib)->default_value(memtable_mib),
      "RocksDB memtable size per column family; also the free space needed to resume writing after a full "
      "disk")(
      "web-root", po::value(&web_root),
      "the web app's built files (default: ../web or ../share/dossier-exchange/web beside the binary)")(
      "quiet", po::bool_switch(&quiet), "no access log")(
      "log-format", po::value(&log_format)->default_value(log_format),
      "text, or json: each access and request-error line on stderr as one JSON object")(
      "export-profile", po::value(&export_profiles)->composing(),
      "FORMAT=PROFILE: the default export profile of a format (repeatable; docs/EXPORT_PROFILES.md)")(
      "pdf-renderer", po::value(&pdf_renderer)->default_value(pdf_renderer),
      "HTML-to-PDF renderer for redlines (Debian's wkhtmltopdf)")(
      "pg-statement-timeout-ms",
      po::value(&pg_options.statement_timeout_ms)->default_value(pg_options.statement_timeout_ms),
      "PostgreSQL: cancel a statement running longer (the write answers 503 storage-timeout); 0: no limit")(
      "pg-keepalives-idle-s",
      po::value(&pg_options.keepalives_idle_s)->default_value(pg_options.keepalives_idle_s),
      "PostgreSQL: TCP keepalive after this many idle seconds")(
      "pg-keepalives-interval-s",
      po::value(&pg_options.keepalives_interval_s)->default_value(pg_options.keepalives_interval_s),
      "PostgreSQL: seconds between unanswered keepalives")(
      "pg-keepalives-count",
      po::value(&pg_options.keepalives_count)->default_value(pg_options.keepalives_count),
      "PostgreSQL: unanswered keepalives before the connection counts as lost");
  if (argc < 2) return Usage(desc);
  const std::string command = argv[1];
  if (command == "version" || command == "--version") {
    std::cout << "dossierd " << kVersion << "\n";
    return 0;
  }
  if (command == "--help" || command == "-h" || command == "help") return Usage(desc, std::cout), 0;
  if (command != "serve" && command != "scrub" && command != "backup" && command != "restore" &&
      command != "migrate") {
    return Usage(desc);
  }
  std::string copy_to, copy_from;
  po::options_description copy_desc("backup, restore and migrate");
  copy_desc.add_options()("to", po::value(&copy_to), "backup: the new folder to write the backup into")(
      "from", po::value(&copy_from),
      "restore: a backup folder; migrate: the embedded store's data directory");
  po::options_description command_line;
  command_line.add(desc).add(copy_desc);
  po::variables_map vm;
  try {
    po::store(po::parse_command_line(argc - 1, argv + 1, command_line), vm);
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
  if (command == "migrate") {
    if (copy_from.empty()) return std::cerr << "dossierd: migrate needs --from DIR\n", 2;
    return Migrate(copy_from, store_location, data, pg_options);
  }
  if (data.empty()) {
    std::cerr << "dossierd: --data DIR is required\n";
    return 2;
  }
  if (command == "backup") {
    if (copy_to.empty()) return std::cerr << "dossierd: backup needs --to DIR\n", 2;
    return Backup(data, store_location, copy_to);
  }
  if (command == "restore") {
    if (copy_from.empty()) return std::cerr << "dossierd: restore needs --from DIR\n", 2;
    return Restore(copy_from, data);
  }
  if (command == "scrub") return Scrub(data, store_location, pg_options);
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
  if (log_format != "text" && log_format != "json") {
    std::cerr << "dossierd: --log-format must be text or json\n";
    return 2;
  }
  options.json_logs = log_format == "json";
  options.rate_limit_per_second = rate;
  options.rate_limit_burst = burst;
  // A tenant may by default use five credentials' worth of requests; turning
  // the per-credential limit off (--rate-limit 0) turns this one off too
  // unless it is set on its own.
  options.tenant_rate_limit_per_second = vm.count("tenant-rate-limit") ? tenant_rate : 5 * rate;
  options.tenant_rate_limit_burst = vm.count("tenant-rate-burst") ? tenant_burst : 5 * burst;
  options.peer_poll_interval = std::chrono::milliseconds(std::max<int64_t>(50, peer_poll_ms));
  options.drain_timeout = std::chrono::seconds(std::max<int64_t>(0, drain_timeout_s));
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
  return Serve(std::move(options), store_location, std::move(store_options), pg_options,
               std::move(web_app).value());
}
