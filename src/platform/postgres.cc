// The PostgreSQL driver: a lazily filled pool of libpqxx connections, one per transaction. A write
// is READ COMMITTED; a read is REPEATABLE READ, READ ONLY, so that it sees one snapshot.
//
// Parameters travel as text and results come back as text, which keeps one code path for every
// type; integer, boolean and floating-point columns are turned back into numbers so that a Value
// looks the same as from SQLite. Bytes (a Blob, a BYTEA column) travel in PostgreSQL's hex form,
// "\x" and two digits a byte: twice the size on the wire, but no second way of passing parameters.
// A connection found broken is never returned to the pool, and a transaction that failed only
// because it was handed a connection that had died while idle (the server restarted) is run again
// on a fresh one, so a restarted server is recovered from without anyone noticing.
#include <algorithm>
#include <charconv>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <mutex>
#include <pqxx/pqxx>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "platform/db.h"

namespace rampart::db {
namespace {

using Kind = DbError::Kind;

std::string Excerpt(std::string_view sql) {
  constexpr std::size_t kMax = 200;
  if (sql.size() <= kMax) {
    return std::string(sql);
  }
  return std::string(sql.substr(0, kMax)) + "…";
}

// libpq messages end with a newline and sometimes carry a second line; keep them readable.
std::string Tidy(std::string_view message) {
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) {
    message.remove_suffix(1);
  }
  std::string out(message);
  std::replace(out.begin(), out.end(), '\n', ' ');
  return out;
}

// The URL with any password replaced, fit for messages and logs.
std::string Redacted(const std::string& url) {
  std::string out = url;
  std::size_t scheme = out.find("://");
  std::size_t at = out.find('@');
  if (scheme != std::string::npos && at != std::string::npos && at > scheme) {
    std::size_t colon = out.find(':', scheme + 3);
    if (colon != std::string::npos && colon < at) {
      out.replace(colon + 1, at - colon - 1, "***");
    }
  }
  if (std::size_t p = out.find("password="); p != std::string::npos) {
    std::size_t end = out.find('&', p);
    out.replace(p + 9, (end == std::string::npos ? out.size() : end) - p - 9, "***");
  }
  return out;
}

Kind KindOfSqlstate(const std::string& state) {
  if (state == "23505") {
    return Kind::kUnique;
  }
  if (state == "23503") {
    return Kind::kForeignKey;
  }
  if (state == "23514") {
    return Kind::kCheck;
  }
  if (state == "23502") {
    return Kind::kNotNull;
  }
  if (state == "40001" || state == "40P01") {
    return Kind::kSerialization;
  }
  // Connection exceptions, and the server shutting down or starting up.
  if (state.starts_with("08") || state == "57P01" || state == "57P02" || state == "57P03") {
    return Kind::kUnavailable;
  }
  return Kind::kOther;
}

struct TextHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// One server connection and the statements prepared on it. Used by one thread at a time.
struct Connection final {
  explicit Connection(const std::string& url) : pq(url) {}

  // The name of the prepared statement for `sql`, declared to libpqxx on first use (libpqxx sends
  // the PREPARE when the statement first runs).
  const std::string& StatementName(std::string_view sql) {
    if (auto it = statements.find(sql); it != statements.end()) {
      return it->second;
    }
    char hex[17];
    auto [end, ec] = std::to_chars(hex, hex + 16, std::hash<std::string_view>{}(sql), 16);
    std::string name = "rampart_" + std::string(hex, end);
    for (int n = 2; names.contains(name); ++n) {
      name = "rampart_" + std::string(hex, end) + "_" + std::to_string(n);  // a hash collision
    }
    pq.prepare(name, std::string(sql));
    names.insert(name);
    return statements.emplace(std::string(sql), std::move(name)).first->second;
  }

  pqxx::connection pq;
  std::unordered_map<std::string, std::string, TextHash, std::equal_to<>> statements;
  std::unordered_set<std::string> names;
  bool broken = false;    // the link is gone: drop this connection instead of pooling it
  bool in_doubt = false;  // it broke during COMMIT: the outcome is unknown, do not run again
};

// Turns the libpqxx exception being handled into a DbError, noting on `conn` whether the link is
// broken. Other exceptions pass through unchanged. Call only from inside a catch block.
[[noreturn]] void RethrowAsDbError(Connection& conn, std::string_view sql) {
  auto fail = [&](Kind kind, const std::exception& e) -> DbError {
    if (!conn.pq.is_open()) {
      conn.broken = true;
      kind = Kind::kUnavailable;
    }
    std::string message = "postgres: " + Tidy(e.what());
    if (!sql.empty()) {
      message += " (in: " + Excerpt(sql) + ")";
    }
    return DbError(kind, message);
  };
  try {
    throw;
  } catch (const DbError&) {
    throw;
  } catch (const pqxx::in_doubt_error& e) {
    conn.broken = true;
    conn.in_doubt = true;
    throw DbError(Kind::kUnavailable,
                  "postgres: the connection was lost during COMMIT; the transaction may or may not "
                  "have been stored: " +
                      Tidy(e.what()));
  } catch (const pqxx::broken_connection& e) {
    // libpqxx also reports SQLSTATE class 08 this way, e.g. a protocol violation for a wrong
    // number of parameters, while the link is fine; fail() tells the two apart.
    throw fail(Kind::kOther, e);
  } catch (const pqxx::serialization_failure& e) {
    throw fail(Kind::kSerialization, e);
  } catch (const pqxx::deadlock_detected& e) {
    throw fail(Kind::kSerialization, e);
  } catch (const pqxx::sql_error& e) {
    throw fail(KindOfSqlstate(e.sqlstate()), e);
  } catch (const pqxx::failure& e) {
    throw fail(Kind::kOther, e);
  } catch (const pqxx::pqxx_exception& e) {  // usage and argument errors: bugs of ours
    throw fail(Kind::kOther, e.base());
  }
}

// Decimal for integers; the shortest text that reads back as the same double.
std::string ParameterText(const Value& v) {
  if (v.is_int()) {
    return std::to_string(v.AsInt());
  }
  if (v.is_blob()) {
    static constexpr char kDigits[] = "0123456789abcdef";
    const std::string bytes = v.AsText();
    std::string out;
    out.reserve(2 + 2 * bytes.size());
    out += "\\x";
    for (unsigned char c : bytes) {
      out.push_back(kDigits[c >> 4]);
      out.push_back(kDigits[c & 0xf]);
    }
    return out;
  }
  return v.AsText();  // Value::AsText writes doubles with std::to_chars (shortest round trip)
}

Value CellValue(const pqxx::field& f, pqxx::oid type) {
  if (f.is_null()) {
    return Value();
  }
  const char* text = f.c_str();
  std::size_t size = f.size();
  switch (type) {
    case 20:    // int8
    case 21:    // int2
    case 23:    // int4
    case 26: {  // oid
      std::int64_t n = 0;
      auto [end, ec] = std::from_chars(text, text + size, n);
      if (ec == std::errc() && end == text + size) {
        return Value(n);
      }
      break;
    }
    case 16:  // bool: 't' or 'f'; SQLite has 1 and 0
      return Value(static_cast<std::int64_t>(size > 0 && text[0] == 't' ? 1 : 0));
    case 700:  // float4
    case 701:  // float8
      return Value(std::strtod(text, nullptr));
    case 17:  // bytea, in the hex output form (the default since PostgreSQL 9.0)
      if (size >= 2 && text[0] == '\\' && text[1] == 'x' && size % 2 == 0) {
        auto digit = [](char c) {
          return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;  // the server writes only 0-9a-f
        };
        std::string bytes((size - 2) / 2, '\0');
        for (std::size_t i = 0; i < bytes.size(); ++i) {
          bytes[i] = static_cast<char>(digit(text[2 + 2 * i]) << 4 | digit(text[3 + 2 * i]));
        }
        return Value(Blob{std::move(bytes)});
      }
      // The old escape form (bytea_output = 'escape'): libpq undoes it.
      return Value(Blob{pqxx::binarystring(f).str()});
    default:
      break;
  }
  return Value(std::string(text, size));
}

class PostgresTx final : public Tx {
 public:
  PostgresTx(Connection& conn, pqxx::dbtransaction& tx) : conn_(conn), tx_(tx) {}

  std::vector<Row> Query(std::string_view sql, const Params& params) override {
    pqxx::result result = Run(sql, params);
    std::vector<pqxx::oid> types(result.columns());
    for (std::size_t c = 0; c < types.size(); ++c) {
      types[c] = result.column_type(static_cast<pqxx::row::size_type>(c));
    }
    std::vector<Row> rows;
    rows.reserve(result.size());
    for (const auto& row : result) {
      std::vector<Value> cells;
      cells.reserve(types.size());
      for (std::size_t c = 0; c < types.size(); ++c) {
        cells.push_back(CellValue(row[static_cast<pqxx::row::size_type>(c)], types[c]));
      }
      rows.emplace_back(std::move(cells));
    }
    return rows;
  }

  std::int64_t Exec(std::string_view sql, const Params& params) override {
    return static_cast<std::int64_t>(Run(sql, params).affected_rows());
  }

  void ExecScript(std::string_view sql) override {
    CheckUsable();
    try {
      tx_.exec(std::string(sql));
    } catch (...) {
      Spoil(conn_, sql);
    }
  }

  [[nodiscard]] Dialect dialect() const override { return Dialect::kPostgres; }

  // The error that spoiled this transaction, if any (see Tx).
  [[nodiscard]] const std::optional<DbError>& failure() const { return failure_; }

 private:
  pqxx::result Run(std::string_view sql, const Params& params) {
    CheckUsable();
    try {
      // A null pointer is how libpq is told that a parameter is NULL.
      std::vector<std::string> texts(params.size());
      std::vector<const char*> pointers(params.size(), nullptr);
      for (std::size_t i = 0; i < params.size(); ++i) {
        if (params[i].is_null()) {
          continue;
        }
        texts[i] = ParameterText(params[i]);
        if (texts[i].find('\0') != std::string::npos) {
          throw DbError(Kind::kOther, "postgres: text parameter $" + std::to_string(i + 1) +
                                          " contains a NUL byte (in: " + Excerpt(sql) + ")");
        }
        pointers[i] = texts[i].c_str();
      }
      const std::string& name = conn_.StatementName(sql);
      return tx_.exec_prepared(name, pqxx::prepare::make_dynamic_params(pointers));
    } catch (...) {
      Spoil(conn_, sql);
    }
  }

  void CheckUsable() const {
    if (failure_) {
      throw DbError(failure_->kind(),
                    std::string("transaction already failed: ") + failure_->what());
    }
  }

  // Records the error being handled as this transaction's failure and throws it as a DbError.
  [[noreturn]] void Spoil(Connection& conn, std::string_view sql) {
    try {
      RethrowAsDbError(conn, sql);
    } catch (const DbError& e) {
      failure_.emplace(e);
      throw;
    }
  }

  Connection& conn_;
  pqxx::dbtransaction& tx_;
  std::optional<DbError> failure_;
};

class PostgresDatabase final : public Database {
 public:
  PostgresDatabase(std::string url, int pool_size)
      : url_(std::move(url)), pool_size_(std::max(pool_size, 1)) {}

  ~PostgresDatabase() override = default;  // every Lease must have ended: no transaction runs

  [[nodiscard]] Dialect dialect() const override { return Dialect::kPostgres; }

  [[nodiscard]] PoolStats Stats() const override {
    std::lock_guard lock(mu_);
    return PoolStats{.connections = open_, .in_use = in_use_, .waits_total = waits_total_};
  }

  void Backup(const std::string& path) override {
    throw std::runtime_error(
        "a PostgreSQL database is backed up with pg_dump, using the same URL: pg_dump "
        "--format=custom --file='" +
        path + "' '" + Redacted(url_) + "'");
  }

  std::string IntegrityCheck() override {
    return Read([](Tx& tx) { return tx.QueryOne("SELECT 1", {})->Int(0) == 1 ? "ok" : "failed"; });
  }

  // Opens the first connection now, so that a wrong URL or a server that is down is reported when
  // the database is opened rather than on the first request.
  void Connect() { Lease lease(*this); }

 protected:
  void RunTransaction(bool write, const std::function<void(Tx&)>& body) override {
    // A connection that died while idle fails on first use; run again on a new one. The retry is
    // bounded: when the server is down, opening the new connection fails and that is the answer.
    constexpr int kStaleRetries = 2;
    for (int retry = 0;; ++retry) {
      Lease lease(*this);
      try {
        RunOnce(*lease, write, body);
        return;
      } catch (const DbError& e) {
        bool stale = lease.reused() && lease->broken && !lease->in_doubt &&
                     e.kind() == Kind::kUnavailable && retry < kStaleRetries;
        if (!stale) {
          throw;
        }
      }
    }
  }

 private:
  // Borrows a connection for one transaction: an idle one that still looks alive, else a new one
  // while fewer than pool_size_ are open, else waits for one to come back. Throws
  // DbError(kUnavailable) when a new connection cannot be opened. A broken connection is closed
  // instead of being returned.
  class Lease final {
   public:
    explicit Lease(PostgresDatabase& db) : db_(db) {
      std::unique_lock lock(db.mu_);
      if (db.idle_.empty() && db.open_ >= db.pool_size_) {
        ++db.waits_total_;
        db.cv_.wait(lock, [&] { return !db.idle_.empty() || db.open_ < db.pool_size_; });
      }
      ++db.in_use_;
      while (!db.idle_.empty()) {
        conn_ = std::move(db.idle_.back());
        db.idle_.pop_back();
        lock.unlock();
        if (LooksAlive(*conn_)) {
          reused_ = true;
          return;
        }
        lock.lock();
        auto closing = db.DropLocked(std::move(conn_));
        lock.unlock();
        db.cv_.notify_all();  // room for new connections
        closing.clear();
        lock.lock();
      }
      ++db.open_;
      lock.unlock();
      try {
        conn_ = std::make_unique<Connection>(db.url_);
      } catch (const std::exception& e) {
        lock.lock();
        --db.open_;
        --db.in_use_;
        lock.unlock();
        db.cv_.notify_all();
        throw DbError(Kind::kUnavailable, "cannot connect to PostgreSQL at " + Redacted(db.url_) +
                                              ": " + Tidy(e.what()));
      }
    }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;

    ~Lease() {
      std::vector<std::unique_ptr<Connection>> closing;  // closed outside the lock
      {
        std::lock_guard lock(db_.mu_);
        --db_.in_use_;
        if (conn_->broken || !conn_->pq.is_open()) {
          closing = db_.DropLocked(std::move(conn_));
        } else {
          db_.idle_.push_back(std::move(conn_));
        }
      }
      db_.cv_.notify_all();
    }

    Connection& operator*() { return *conn_; }
    Connection* operator->() { return conn_.get(); }
    [[nodiscard]] bool reused() const { return reused_; }

   private:
    // Reads whatever the server sent while the connection sat idle, without waiting. A server
    // that shut down or restarted has closed the socket, which shows here, before a transaction
    // starts on a dead connection (where libpqxx 6.4 also leaks a result).
    static bool LooksAlive(Connection& conn) {
      try {
        conn.pq.get_notifs();
      } catch (const std::exception&) {
        return false;
      }
      return conn.pq.is_open();
    }

    PostgresDatabase& db_;
    std::unique_ptr<Connection> conn_;
    bool reused_ = false;
  };

  // Forgets `dead` and, since most often every connection broke together (the server restarted),
  // the idle ones too rather than handing them out only to find them dead one by one. Returns them
  // for closing outside the lock. Requires mu_ held.
  std::vector<std::unique_ptr<Connection>> DropLocked(std::unique_ptr<Connection> dead) {
    std::vector<std::unique_ptr<Connection>> closing;
    closing.push_back(std::move(dead));
    for (auto& idle : idle_) {
      closing.push_back(std::move(idle));
    }
    idle_.clear();
    open_ -= static_cast<int>(closing.size());
    return closing;
  }

  // One pqxx transaction on `conn`: commits when `body` returns, rolls back when it throws.
  static void RunOnce(Connection& conn, bool write, const std::function<void(Tx&)>& body) {
    std::unique_ptr<pqxx::dbtransaction> tx;
    try {
      if (write) {
        tx = std::make_unique<pqxx::work>(conn.pq);
      } else {
        // REPEATABLE READ so that a read is one snapshot, as on SQLite; a read-only transaction
        // at this level never fails to serialize.
        tx = std::make_unique<pqxx::transaction<pqxx::repeatable_read, pqxx::read_only>>(conn.pq);
      }
    } catch (...) {
      RethrowAsDbError(conn, "BEGIN");
    }
    PostgresTx ptx(conn, *tx);
    try {
      body(ptx);
    } catch (...) {
      AbortQuietly(conn, *tx);
      throw;
    }
    if (ptx.failure()) {  // the callback swallowed a failed statement; see Tx
      AbortQuietly(conn, *tx);
      throw DbError(ptx.failure()->kind(), std::string("transaction rolled back after an error: ") +
                                               ptx.failure()->what());
    }
    try {
      tx->commit();
    } catch (...) {
      RethrowAsDbError(conn, "COMMIT");
    }
  }

  static void AbortQuietly(Connection& conn, pqxx::dbtransaction& tx) noexcept {
    try {
      tx.abort();
    } catch (...) {
      conn.broken = conn.broken || !conn.pq.is_open();
    }
    if (!conn.pq.is_open()) {
      conn.broken = true;
    }
  }

  const std::string url_;
  const int pool_size_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Connection>> idle_;  // guarded by mu_
  int open_ = 0;                                   // guarded by mu_: idle and leased
  int in_use_ = 0;                                 // guarded by mu_
  std::int64_t waits_total_ = 0;                   // guarded by mu_
};

}  // namespace

std::unique_ptr<Database> OpenPostgres(const std::string& url, int pool_size) {
  auto db = std::make_unique<PostgresDatabase>(url, pool_size);
  db->Connect();
  return db;
}

}  // namespace rampart::db
