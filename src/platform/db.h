// The database: one interface, two drivers (SQLite, PostgreSQL), one SQL text.
//
// SQL is written once with $1, $2… parameters and the subset both engines share; the SQLite driver
// rewrites $N to ?N. Times are BIGINT milliseconds, identifiers TEXT UUIDs, flags INTEGER 0/1.
// Statements are prepared once per connection and cached by their text.
//
// Work runs inside Read() or Write(). A write transaction on SQLite is BEGIN IMMEDIATE on the
// single writer connection; on both stores it is retried (with the same callback) when the engine
// reports a serialization failure, deadlock or lock timeout, so the callback must not have side
// effects outside the transaction. A read transaction sees one consistent snapshot and may not
// write. Do not open a transaction inside another on the same thread: SQLite throws when the inner
// one needs the connection the outer one holds (a nested Write(), anything nested on ":memory:")
// rather than wait for itself; PostgreSQL takes a second connection and may exhaust its pool.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace rampart::db {

enum class Dialect { kSqlite, kPostgres };

// Bytes that are not text (stored files): BLOB in SQLite, BYTEA in PostgreSQL. Text parameters
// must be valid UTF-8 without NUL bytes on PostgreSQL; a Blob may hold anything.
struct Blob {
  std::string bytes;
};

// A parameter or a column value.
class Value {
 public:
  Value() = default;
  Value(std::nullptr_t) {}                                     // NOLINT
  Value(std::int64_t v) : v_(v) {}                             // NOLINT
  Value(int v) : v_(static_cast<std::int64_t>(v)) {}           // NOLINT
  Value(bool v) : v_(static_cast<std::int64_t>(v ? 1 : 0)) {}  // NOLINT
  Value(double v) : v_(v) {}                                   // NOLINT
  Value(std::string v) : v_(std::move(v)) {}                   // NOLINT
  Value(std::string_view v) : v_(std::string(v)) {}            // NOLINT
  Value(const char* v) : v_(std::string(v)) {}                 // NOLINT
  Value(Blob v) : v_(std::move(v)) {}                          // NOLINT
  template <class T>
  Value(const std::optional<T>& v) {  // NOLINT
    if (v) {
      *this = Value(*v);
    }
  }

  [[nodiscard]] bool is_null() const { return v_.index() == 0; }
  [[nodiscard]] bool is_int() const { return v_.index() == 1; }
  [[nodiscard]] bool is_real() const { return v_.index() == 2; }
  [[nodiscard]] bool is_text() const { return v_.index() == 3; }
  // A BLOB/BYTEA column reads back as a blob on both stores.
  [[nodiscard]] bool is_blob() const { return v_.index() == 4; }
  // Conversions are lenient across types (a PostgreSQL integer arrives as text); a NULL gives 0 or
  // "". AsText of a blob is its bytes.
  [[nodiscard]] std::int64_t AsInt() const;
  [[nodiscard]] double AsReal() const;
  [[nodiscard]] std::string AsText() const;

 private:
  std::variant<std::monostate, std::int64_t, double, std::string, Blob> v_;
};

using Params = std::vector<Value>;

class Row {
 public:
  explicit Row(std::vector<Value> cells) : cells_(std::move(cells)) {}
  [[nodiscard]] std::size_t size() const { return cells_.size(); }
  [[nodiscard]] bool IsNull(std::size_t i) const { return cells_.at(i).is_null(); }
  [[nodiscard]] std::int64_t Int(std::size_t i) const { return cells_.at(i).AsInt(); }
  [[nodiscard]] double Real(std::size_t i) const { return cells_.at(i).AsReal(); }
  [[nodiscard]] std::string Text(std::size_t i) const { return cells_.at(i).AsText(); }
  [[nodiscard]] bool Bool(std::size_t i) const { return Int(i) != 0; }
  [[nodiscard]] std::optional<std::string> OptText(std::size_t i) const;
  [[nodiscard]] std::optional<std::int64_t> OptInt(std::size_t i) const;
  [[nodiscard]] const Value& at(std::size_t i) const { return cells_.at(i); }

 private:
  std::vector<Value> cells_;
};

// What went wrong, in terms callers act on. Thrown by Tx methods; Write() retries kSerialization.
class DbError : public std::runtime_error {
 public:
  enum class Kind { kUnique, kForeignKey, kCheck, kNotNull, kSerialization, kUnavailable, kOther };
  DbError(Kind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  [[nodiscard]] Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

// One transaction, used by one thread. A statement that fails throws DbError and spoils the
// transaction, as PostgreSQL does: later statements throw too, and it rolls back even when the
// callback catches the error and returns. Both drivers behave alike here so that code tried on
// SQLite holds on PostgreSQL.
class Tx {
 public:
  virtual ~Tx() = default;
  virtual std::vector<Row> Query(std::string_view sql, const Params& params) = 0;
  // Returns the number of rows changed.
  virtual std::int64_t Exec(std::string_view sql, const Params& params) = 0;
  // Runs several statements without parameters (migrations). Not cached.
  virtual void ExecScript(std::string_view sql) = 0;
  [[nodiscard]] virtual Dialect dialect() const = 0;

  std::optional<Row> QueryOne(std::string_view sql, const Params& params) {
    auto rows = Query(sql, params);
    if (rows.empty()) {
      return std::nullopt;
    }
    return std::move(rows.front());
  }
};

struct PoolStats {
  int connections = 0;           // open now
  int in_use = 0;                // checked out now
  std::int64_t waits_total = 0;  // times a caller waited for a free connection
};

class Database {
 public:
  virtual ~Database() = default;

  // "sqlite:PATH" (or a bare path ending in .db), "postgresql://…" / "postgres://…".
  // Throws std::runtime_error with a message for people when the URL is wrong or unreachable.
  static std::unique_ptr<Database> Open(const std::string& url, int pool_size = 8);

  template <class F>
  auto Read(F&& f) -> std::invoke_result_t<F, Tx&> {
    return Run<F>(false, std::forward<F>(f));
  }
  template <class F>
  auto Write(F&& f) -> std::invoke_result_t<F, Tx&> {
    return Run<F>(true, std::forward<F>(f));
  }

  [[nodiscard]] virtual Dialect dialect() const = 0;
  [[nodiscard]] virtual PoolStats Stats() const = 0;
  // For `rampart backup`: SQLite's online backup to `path`; PostgreSQL explains to use pg_dump.
  virtual void Backup(const std::string& path) = 0;
  // PRAGMA integrity_check (SQLite) / a trivial query (PostgreSQL); the message is "ok" when sound.
  virtual std::string IntegrityCheck() = 0;

 protected:
  // Runs `body` in one transaction: commits when it returns, rolls back when it throws.
  virtual void RunTransaction(bool write, const std::function<void(Tx&)>& body) = 0;

 private:
  template <class F>
  auto Run(bool write, F&& f) -> std::invoke_result_t<F, Tx&> {
    using R = std::invoke_result_t<F, Tx&>;
    if constexpr (std::is_void_v<R>) {
      RunWithRetries(write, [&](Tx& tx) { f(tx); });
    } else {
      std::optional<R> out;
      RunWithRetries(write, [&](Tx& tx) { out.emplace(f(tx)); });
      return std::move(*out);
    }
  }

  // Calls RunTransaction; a write that fails with kSerialization is run again, whole, after a short
  // randomized pause, up to kWriteRetries more times. Shared by both drivers.
  void RunWithRetries(bool write, const std::function<void(Tx&)>& body);
  static constexpr int kWriteRetries = 5;
};

// The parts of a driver both share.
std::string RewriteParamsForSqlite(std::string_view sql);  // $N -> ?N outside quotes and comments

// One writer connection and `readers` (at least one) read-only connections on the file at `path`,
// whose directory is created when missing; ":memory:" is served by a single connection.
// Throws DbError(kUnavailable) when the file cannot be opened.
std::unique_ptr<Database> OpenSqlite(const std::string& path, int readers);
// Up to `pool_size` connections, opened when needed; the first is opened at once so that a wrong
// URL or a server that is down is reported here: DbError(kUnavailable).
std::unique_ptr<Database> OpenPostgres(const std::string& url, int pool_size);

}  // namespace rampart::db
