#include "storage/pg_conn.h"

#include <libpq-fe.h>

#include <cstring>

#include "storage/key_codec.h"

namespace dossier::storage::pg {
namespace {

constexpr unsigned kByteaOid = 17;
constexpr unsigned kInt8Oid = 20;
constexpr unsigned kTextOid = 25;

// SQLSTATE classes and codes: https://www.postgresql.org/docs/15/errcodes-appendix.html
Status FromResult(const PGresult* result, PGconn* conn, std::string_view sql) {
  const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  std::string message = result ? PQresultErrorMessage(result) : PQerrorMessage(conn);
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  const std::string code = state ? state : "";
  const std::string where = " (" + std::string(sql.substr(0, 60)) + ")";
  if (code.empty() || code.rfind("08", 0) == 0 || code.rfind("57P", 0) == 0 ||
      PQstatus(conn) != CONNECTION_OK) {
    return Unavailable("the database is unreachable: " + message, "storage-unavailable");
  }
  if (code == "57014") {  // query_canceled: the statement timeout
    return Unavailable("a database statement ran longer than the statement timeout" + where,
                       "storage-timeout");
  }
  if (code == "53100") {
    return ResourceExhausted("the database's disk is full; nothing was written", "storage-full");
  }
  if (code.rfind("53", 0) == 0)
    return Unavailable("the database is out of resources: " + message, "storage-unavailable");
  if (code == "23505") return AlreadyExists(message + where, "unique-violation");
  if (code == "40001" || code == "40P01")
    return Status(StatusCode::kAborted, message + where, "storage-conflict");
  return Internal("database error " + code + ": " + message + where, "storage-error");
}

}  // namespace

Param Bytes(std::string_view bytes) { return Param{std::string(bytes), kByteaOid}; }
Param Int(int64_t value) { return Param{keys::BigEndian64(static_cast<uint64_t>(value)), kInt8Oid}; }
Param Text(std::string_view text) { return Param{std::string(text), kTextOid}; }

Result::Result(PGresult* result) : result_(result) {}
Result::~Result() {
  if (result_) PQclear(result_);
}
Result::Result(Result&& other) noexcept : result_(other.result_) { other.result_ = nullptr; }
Result& Result::operator=(Result&& other) noexcept {
  if (this != &other) {
    if (result_) PQclear(result_);
    result_ = other.result_;
    other.result_ = nullptr;
  }
  return *this;
}

int Result::rows() const { return PQntuples(result_); }
bool Result::IsNull(int row, int column) const { return PQgetisnull(result_, row, column) != 0; }
std::string Result::Bytes(int row, int column) const {
  return std::string(PQgetvalue(result_, row, column),
                     static_cast<size_t>(PQgetlength(result_, row, column)));
}
int64_t Result::Int(int row, int column) const {
  const char* bytes = PQgetvalue(result_, row, column);
  const int length = PQgetlength(result_, row, column);
  uint64_t v = 0;
  for (int i = 0; i < length; ++i) v = (v << 8) | static_cast<unsigned char>(bytes[i]);
  // Sign-extend int2 / int4.
  if (length < 8 && length > 0 && (static_cast<unsigned char>(bytes[0]) & 0x80))
    v |= ~uint64_t{0} << (8 * length);
  return static_cast<int64_t>(v);
}
uint64_t Result::Affected() const {
  const char* n = PQcmdTuples(result_);
  return n && *n ? std::strtoull(n, nullptr, 10) : 0;
}

StatusOr<std::unique_ptr<Connection>> Connection::Open(const std::string& conninfo,
                                                       const ConnectSettings& settings) {
  // A database host that does not answer fails the connection after
  // connect_timeout instead of blocking a request. Keywords in `conninfo`
  // win: later keywords, here the expanded dbname, override earlier ones.
  const std::string connect_timeout = std::to_string(settings.connect_timeout_s);
  const std::string idle = std::to_string(settings.keepalives_idle_s);
  const std::string interval = std::to_string(settings.keepalives_interval_s);
  const std::string count = std::to_string(settings.keepalives_count);
  const std::string server_options = "-c statement_timeout=" + std::to_string(settings.statement_timeout_ms);
  const char* keywords[] = {"connect_timeout",  "keepalives", "keepalives_idle", "keepalives_interval",
                            "keepalives_count", "options",    "dbname",          nullptr};
  const char* values[] = {connect_timeout.c_str(), "1",           idle.c_str(),
                          interval.c_str(),        count.c_str(), server_options.c_str(),
                          conninfo.c_str(),        nullptr};
  PGconn* conn = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  if (conn == nullptr) return Unavailable("cannot allocate a database connection", "storage-unavailable");
  std::unique_ptr<Connection> connection(new Connection(conn));
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = PQerrorMessage(conn);
    while (!message.empty() && message.back() == '\n') message.pop_back();
    return Unavailable("cannot connect to the database: " + message, "storage-unavailable");
  }
  // Notices (e.g. "relation already exists, skipping") are not errors.
  PQsetNoticeProcessor(
      conn, [](void*, const char*) {}, nullptr);
  return connection;
}

Connection::~Connection() { PQfinish(conn_); }

bool Connection::InTransaction() const {
  if (transaction_lost_) return true;
  const PGTransactionStatusType s = PQtransactionStatus(conn_);
  return s == PQTRANS_INTRANS || s == PQTRANS_INERROR || s == PQTRANS_ACTIVE;
}

Status Connection::EnsureConnected() {
  if (PQstatus(conn_) == CONNECTION_OK) return Status::Ok();
  PQreset(conn_);
  if (PQstatus(conn_) != CONNECTION_OK) {
    return Unavailable("the database is unreachable: " + std::string(PQerrorMessage(conn_)),
                       "storage-unavailable");
  }
  PQsetNoticeProcessor(
      conn_, [](void*, const char*) {}, nullptr);
  return Status::Ok();
}

StatusOr<Result> Connection::Exec(std::string_view sql, const std::vector<Param>& params) {
  if (transaction_lost_) {
    if (sql != "ROLLBACK") {
      return Unavailable("the database connection was lost inside a transaction", "storage-unavailable");
    }
    transaction_lost_ = false;
    DOSSIER_RETURN_IF_ERROR(EnsureConnected());
    return Result(nullptr);
  }
  DOSSIER_RETURN_IF_ERROR(EnsureConnected());
  const bool in_transaction = InTransaction();
  std::vector<unsigned> types;
  std::vector<const char*> values;
  std::vector<int> lengths, formats;
  for (const Param& p : params) {
    types.push_back(p.type);
    values.push_back(p.null ? nullptr : p.value.data());
    lengths.push_back(static_cast<int>(p.value.size()));
    formats.push_back(1);
  }
  const std::string statement(sql);
  PGresult* raw = PQexecParams(conn_, statement.c_str(), static_cast<int>(params.size()), types.data(),
                               values.data(), lengths.data(), formats.data(), /*resultFormat=*/1);
  Result result(raw);  // owns `raw` from here on
  const ExecStatusType status = raw ? PQresultStatus(raw) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    if (in_transaction && PQstatus(conn_) != CONNECTION_OK) transaction_lost_ = true;
    return FromResult(raw, conn_, sql);
  }
  return result;
}

Status Connection::Run(std::string_view sql, const std::vector<Param>& params) {
  DOSSIER_ASSIGN_OR_RETURN(Result ignored, Exec(sql, params));
  (void)ignored;
  return Status::Ok();
}

Status Connection::RunScript(const std::string& sql) {
  DOSSIER_RETURN_IF_ERROR(EnsureConnected());
  PGresult* raw = PQexec(conn_, sql.c_str());
  Result result(raw);  // owns `raw`
  const ExecStatusType status = raw ? PQresultStatus(raw) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) return FromResult(raw, conn_, sql);
  return Status::Ok();
}

Pool::Lease::~Lease() {
  if (conn_) pool_->Release(std::move(conn_));
}

StatusOr<Pool::Lease> Pool::Acquire() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [this] { return !idle_.empty() || open_ < size_; });
  if (!idle_.empty()) {
    std::unique_ptr<Connection> conn = std::move(idle_.back());
    idle_.pop_back();
    return Lease(this, std::move(conn));
  }
  ++open_;
  lock.unlock();
  auto conn = Connection::Open(conninfo_, settings_);
  if (!conn.ok()) {
    std::lock_guard relock(mu_);
    --open_;
    cv_.notify_one();
    return conn.status();
  }
  return Lease(this, std::move(conn).value());
}

void Pool::Release(std::unique_ptr<Connection> conn) {
  // A connection left inside a transaction (a caller failed mid-way) is
  // rolled back before anyone else gets it; one that cannot be is dropped.
  if (conn->InTransaction() && !conn->Run("ROLLBACK").ok()) conn.reset();
  {
    std::lock_guard lock(mu_);
    if (conn) {
      idle_.push_back(std::move(conn));
    } else {
      --open_;
    }
  }
  cv_.notify_one();
}

}  // namespace dossier::storage::pg
