// A small, checked wrapper over libpq for the PostgreSQL store: one
// connection, parameterised statements in binary format, and a pool.
//
// Every parameter and every result column travels in PostgreSQL's binary
// format, so bytea needs no escaping and integers are exact: callers bind
// bytea (Bytes), int8 (Int) and text (Text) and read columns with the
// accessor of the column's type (int8 / int4 columns through Result::Int).
//
// Errors are Status values: a lost or refused connection is Unavailable
// "storage-unavailable" (HTTP 503; the next call reconnects), a full disk
// ResourceExhausted "storage-full", a unique violation AlreadyExists
// "unique-violation", a serialization failure or deadlock Aborted
// "storage-conflict", anything else Internal "storage-error".
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

struct pg_conn;
struct pg_result;

namespace dossier::storage::pg {

// One statement parameter; make them with Bytes, Int and Text.
struct Param {
  std::string value;  // binary representation
  unsigned type = 0;  // PostgreSQL type oid
  bool null = false;
};
Param Bytes(std::string_view bytes);
Param Int(int64_t value);
Param Text(std::string_view text);

// The rows of one statement. Owns its PGresult.
class Result {
 public:
  explicit Result(pg_result* result);
  ~Result();
  Result(Result&& other) noexcept;
  Result& operator=(Result&& other) noexcept;
  Result(const Result&) = delete;
  Result& operator=(const Result&) = delete;

  int rows() const;
  bool IsNull(int row, int column) const;
  // The column's raw bytes (bytea, text).
  std::string Bytes(int row, int column) const;
  // An int2, int4 or int8 column.
  int64_t Int(int row, int column) const;
  // Rows changed by an INSERT / UPDATE / DELETE.
  uint64_t Affected() const;

 private:
  pg_result* result_;
};

// How a connection guards against a database that stops answering. Settings
// named in the connection string itself take precedence over these.
struct ConnectSettings {
  // Give up connecting after this long.
  int connect_timeout_s = 5;
  // A statement running longer is cancelled by the server (Unavailable
  // "storage-timeout"), so a stuck lock or query never holds a request (or
  // the group writer) for ever. 0: no limit.
  int64_t statement_timeout_ms = 30000;
  // TCP keepalives: a database host that vanished without closing the
  // connection (power loss, a partition) is noticed after about
  // idle + interval * count seconds instead of the kernel's two hours.
  int keepalives_idle_s = 30;
  int keepalives_interval_s = 10;
  int keepalives_count = 3;
};

class Connection {
 public:
  // `conninfo`: a postgres:// URL or key=value string.
  static StatusOr<std::unique_ptr<Connection>> Open(const std::string& conninfo,
                                                    const ConnectSettings& settings = {});
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one statement. Reconnects first when the connection was lost
  // outside a transaction. Lost inside one, the transaction is gone: every
  // statement then fails "storage-unavailable" until the caller's ROLLBACK
  // (which reconnects), so nothing of a half transaction can run in autocommit.
  StatusOr<Result> Exec(std::string_view sql, const std::vector<Param>& params = {});
  // Runs one statement that returns no rows of interest.
  Status Run(std::string_view sql, const std::vector<Param>& params = {});
  // Runs several statements separated by semicolons, without parameters
  // (schema migrations).
  Status RunScript(const std::string& sql);
  // True between BEGIN and COMMIT / ROLLBACK, including a transaction the
  // connection lost: the caller still owes its ROLLBACK.
  bool InTransaction() const;

 private:
  explicit Connection(pg_conn* conn) : conn_(conn) {}
  Status EnsureConnected();
  pg_conn* conn_;
  bool transaction_lost_ = false;
};

// A fixed number of connections opened lazily; Acquire blocks while all are
// in use. Thread-safe.
class Pool {
 public:
  Pool(std::string conninfo, size_t size, ConnectSettings settings = {})
      : conninfo_(std::move(conninfo)), size_(size), settings_(settings) {}

  // Returns the connection to the pool when destroyed.
  class Lease {
   public:
    Lease(Pool* pool, std::unique_ptr<Connection> conn) : pool_(pool), conn_(std::move(conn)) {}
    Lease(Lease&&) = default;
    ~Lease();
    Connection* operator->() { return conn_.get(); }
    Connection& operator*() { return *conn_; }

   private:
    Pool* pool_;
    std::unique_ptr<Connection> conn_;
  };
  StatusOr<Lease> Acquire();

 private:
  void Release(std::unique_ptr<Connection> conn);
  const std::string conninfo_;
  const size_t size_;
  const ConnectSettings settings_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Connection>> idle_;
  size_t open_ = 0;  // idle plus leased
};

}  // namespace dossier::storage::pg
