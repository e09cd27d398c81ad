// The SQLite driver: one writer connection, a pool of read-only reader connections over WAL.
//
// Writes are serialized on the writer (BEGIN IMMEDIATE … COMMIT under a mutex), so SQLite never has
// to arbitrate between two writers of ours; readers see the last committed snapshot and never wait
// for the writer. A ":memory:" database cannot be shared between connections, so there one
// connection serves reads and writes in turn.
#include <sqlite3.h>

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "platform/db.h"

namespace rampart::db {
namespace {

using Kind = DbError::Kind;

// The SQL text shown in error messages, cut short so that a migration does not flood a log.
std::string Excerpt(std::string_view sql) {
  constexpr std::size_t kMax = 200;
  if (sql.size() <= kMax) {
    return std::string(sql);
  }
  return std::string(sql.substr(0, kMax)) + "…";
}

Kind KindOf(int extended_code) {
  switch (extended_code) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return Kind::kUnique;
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return Kind::kForeignKey;
    case SQLITE_CONSTRAINT_CHECK:
      return Kind::kCheck;
    case SQLITE_CONSTRAINT_NOTNULL:
      return Kind::kNotNull;
    default:
      break;
  }
  switch (extended_code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Kind::kSerialization;
    default:
      return Kind::kOther;
  }
}

// The error SQLite reports for the last call on `db` (which returned `rc`).
DbError ErrorFrom(sqlite3* db, int rc, std::string_view sql) {
  int code = db != nullptr ? sqlite3_extended_errcode(db) : rc;
  if ((code & 0xff) != (rc & 0xff)) {
    code = rc;  // the connection saw a later call; trust rc
  }
  std::string message = "sqlite: ";
  message += db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  if (!sql.empty()) {
    message += " (in: " + Excerpt(sql) + ")";
  }
  return DbError(KindOf(code), message);
}

struct CloseConnection {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct FinalizeStatement {
  void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
};
using StatementPtr = std::unique_ptr<sqlite3_stmt, FinalizeStatement>;

struct TextHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// One sqlite3 connection and its statement cache. Not thread-safe: used by one thread at a time
// (the pool or the writer mutex sees to that).
class Connection final {
 public:
  // Throws DbError(kUnavailable) when the file cannot be opened.
  Connection(const std::string& path, bool read_only) {
    int flags = SQLITE_OPEN_NOMUTEX |
                (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    sqlite3* raw = nullptr;
    int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
    db_.reset(raw);  // sqlite3 allocates a handle even on failure; it must be closed
    if (rc != SQLITE_OK) {
      throw DbError(Kind::kUnavailable, "cannot open SQLite database '" + path + "': " +
                                            (raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
    }
    sqlite3_extended_result_codes(raw, 1);
    if (!read_only) {
      ExecScript("PRAGMA journal_mode=WAL");
    }
    ExecScript("PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000; PRAGMA foreign_keys=ON");
  }

  [[nodiscard]] sqlite3* handle() const { return db_.get(); }

  // The prepared statement for `sql` (written with $N), prepared on first use and kept until the
  // connection closes. Throws DbError when `sql` does not compile or holds more than one statement.
  sqlite3_stmt* Prepare(std::string_view sql) {
    if (auto it = cache_.find(sql); it != cache_.end()) {
      return it->second.get();
    }
    std::string rewritten = RewriteParamsForSqlite(sql);
    sqlite3_stmt* raw = nullptr;
    const char* tail = nullptr;
    int rc = sqlite3_prepare_v3(db_.get(), rewritten.c_str(), static_cast<int>(rewritten.size()),
                                SQLITE_PREPARE_PERSISTENT, &raw, &tail);
    StatementPtr stmt(raw);
    if (rc != SQLITE_OK) {
      throw ErrorFrom(db_.get(), rc, sql);
    }
    if (stmt == nullptr) {
      throw DbError(Kind::kOther, "sqlite: empty statement: " + Excerpt(sql));
    }
    // PostgreSQL refuses several statements in one prepared statement; SQLite would silently
    // ignore all but the first. Refuse them here too.
    sqlite3_stmt* extra = nullptr;
    rc = sqlite3_prepare_v2(db_.get(), tail, -1, &extra, nullptr);
    StatementPtr extra_owner(extra);
    if (rc != SQLITE_OK || extra != nullptr) {
      throw DbError(Kind::kOther,
                    "sqlite: several statements in one query; use ExecScript: " + Excerpt(sql));
    }
    return cache_.emplace(std::string(sql), std::move(stmt)).first->second.get();
  }

  // Runs statements without parameters, uncached. Throws DbError.
  void ExecScript(std::string_view sql) {
    std::string text(sql);
    char* error = nullptr;
    int rc = sqlite3_exec(db_.get(), text.c_str(), nullptr, nullptr, &error);
    std::string message = error != nullptr ? error : "";
    sqlite3_free(error);
    if (rc != SQLITE_OK) {
      DbError e = ErrorFrom(db_.get(), rc, "");
      throw DbError(e.kind(), "sqlite: " + message + " (in: " + Excerpt(sql) + ")");
    }
  }

  // Runs one cached statement without parameters and without rows (BEGIN, COMMIT…).
  void Run(std::string_view sql) {
    sqlite3_stmt* stmt = Prepare(sql);
    int rc = sqlite3_step(stmt);
    sqlite3_reset(stmt);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
      throw ErrorFrom(db_.get(), rc, sql);
    }
  }

  [[nodiscard]] bool InTransaction() const { return sqlite3_get_autocommit(db_.get()) == 0; }

  // Ends an open transaction, if SQLite has not already ended it after an error. Never throws.
  void RollbackQuietly() noexcept {
    if (!InTransaction()) {
      return;
    }
    try {
      Run("ROLLBACK");
    } catch (...) {  // nothing better to do: the connection stays usable or reports later
    }
  }

 private:
  std::unique_ptr<sqlite3, CloseConnection> db_;  // declared first: closed after the statements
  std::unordered_map<std::string, StatementPtr, TextHash, std::equal_to<>> cache_;
};

// Resets a statement and drops its bindings when a use of it ends, however it ends.
class StatementUse final {
 public:
  explicit StatementUse(sqlite3_stmt* stmt) : stmt_(stmt) {}
  StatementUse(const StatementUse&) = delete;
  StatementUse& operator=(const StatementUse&) = delete;
  ~StatementUse() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

 private:
  sqlite3_stmt* stmt_;
};

class SqliteTx final : public Tx {
 public:
  SqliteTx(Connection& conn, bool write) : conn_(conn), write_(write) {}

  std::vector<Row> Query(std::string_view sql, const Params& params) override {
    std::vector<Row> rows;
    Step(sql, params, [&](sqlite3_stmt* stmt) {
      int columns = sqlite3_column_count(stmt);
      std::vector<Value> cells;
      cells.reserve(columns);
      for (int i = 0; i < columns; ++i) {
        cells.push_back(Column(stmt, i));
      }
      rows.emplace_back(std::move(cells));
    });
    return rows;
  }

  std::int64_t Exec(std::string_view sql, const Params& params) override {
    sqlite3* db = conn_.handle();
    sqlite3_int64 before = sqlite3_total_changes64(db);
    Step(sql, params, [](sqlite3_stmt*) {});
    // sqlite3_changes64 keeps the count of the last INSERT/UPDATE/DELETE; a statement that
    // changed nothing (CREATE TABLE, a DELETE that matched nothing) must report 0.
    return sqlite3_total_changes64(db) == before ? 0 : sqlite3_changes64(db);
  }

  void ExecScript(std::string_view sql) override {
    CheckUsable();
    if (!write_) {
      Spoil(DbError(Kind::kOther, "sqlite: ExecScript in a read transaction"));
    }
    try {
      conn_.ExecScript(sql);
    } catch (const DbError& e) {
      Spoil(e);
    }
  }

  [[nodiscard]] Dialect dialect() const override { return Dialect::kSqlite; }

  // The error that spoiled this transaction, if any (see Tx).
  [[nodiscard]] const std::optional<DbError>& failure() const { return failure_; }

 private:
  template <class OnRow>
  void Step(std::string_view sql, const Params& params, OnRow on_row) {
    CheckUsable();
    try {
      sqlite3_stmt* stmt = conn_.Prepare(sql);
      std::vector<std::string> texts;  // bound without copying: must outlive `use`
      StatementUse use(stmt);
      if (!write_ && !sqlite3_stmt_readonly(stmt)) {
        throw DbError(Kind::kOther, "sqlite: a read transaction cannot write: " + Excerpt(sql));
      }
      Bind(stmt, sql, params, texts);
      for (;;) {
        int rc = sqlite3_step(stmt);
        if (rc == SQLITE_DONE) {
          break;
        }
        if (rc != SQLITE_ROW) {
          throw ErrorFrom(conn_.handle(), rc, sql);
        }
        on_row(stmt);
      }
    } catch (const DbError& e) {
      Spoil(e);
    }
  }

  // Binds `params` to `stmt`; the text of text values is kept in `texts` while bound.
  void Bind(sqlite3_stmt* stmt, std::string_view sql, const Params& params,
            std::vector<std::string>& texts) {
    // PostgreSQL insists that the parameters match the statement; so do we.
    int expected = sqlite3_bind_parameter_count(stmt);
    if (static_cast<std::size_t>(expected) != params.size()) {
      throw DbError(Kind::kOther, "sqlite: statement takes " + std::to_string(expected) +
                                      " parameters, given " + std::to_string(params.size()) +
                                      " (in: " + Excerpt(sql) + ")");
    }
    texts.reserve(params.size());
    for (int i = 0; i < expected; ++i) {
      const Value& v = params[i];
      int rc = SQLITE_OK;
      if (v.is_null()) {
        rc = sqlite3_bind_null(stmt, i + 1);
      } else if (v.is_int()) {
        rc = sqlite3_bind_int64(stmt, i + 1, v.AsInt());
      } else if (v.is_real()) {
        rc = sqlite3_bind_double(stmt, i + 1, v.AsReal());
      } else if (v.is_blob()) {
        const std::string& bytes = texts.emplace_back(v.AsText());
        rc = sqlite3_bind_blob64(stmt, i + 1, bytes.data(), bytes.size(), SQLITE_STATIC);
      } else {
        const std::string& text = texts.emplace_back(v.AsText());
        rc = sqlite3_bind_text64(stmt, i + 1, text.data(), text.size(), SQLITE_STATIC, SQLITE_UTF8);
      }
      if (rc != SQLITE_OK) {
        throw ErrorFrom(conn_.handle(), rc, sql);
      }
    }
  }

  static Value Column(sqlite3_stmt* stmt, int i) {
    switch (sqlite3_column_type(stmt, i)) {
      case SQLITE_INTEGER:
        return Value(static_cast<std::int64_t>(sqlite3_column_int64(stmt, i)));
      case SQLITE_FLOAT:
        return Value(sqlite3_column_double(stmt, i));
      case SQLITE_TEXT: {
        const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
        return Value(std::string(text, sqlite3_column_bytes(stmt, i)));
      }
      case SQLITE_BLOB: {
        const auto* blob = static_cast<const char*>(sqlite3_column_blob(stmt, i));
        int size = sqlite3_column_bytes(stmt, i);
        return Value(Blob{size > 0 ? std::string(blob, size) : std::string()});
      }
      default:
        return Value();
    }
  }

  void CheckUsable() const {
    if (failure_) {
      throw DbError(failure_->kind(),
                    std::string("transaction already failed: ") + failure_->what());
    }
  }

  [[noreturn]] void Spoil(const DbError& e) {
    failure_.emplace(e);
    throw e;
  }

  Connection& conn_;
  bool write_;
  std::optional<DbError> failure_;
};

class SqliteDatabase final : public Database {
 public:
  // `path` is a file (its directory is created when missing) or ":memory:".
  SqliteDatabase(const std::string& path, int readers) : path_(path) {
    memory_ = path.empty() || path == ":memory:";
    if (!memory_) {
      std::filesystem::path parent = std::filesystem::path(path).parent_path();
      std::error_code ec;
      if (!parent.empty()) {
        std::filesystem::create_directories(parent, ec);
      }
      if (ec) {
        throw DbError(Kind::kUnavailable, "cannot create the directory '" + parent.string() +
                                              "' for the SQLite database: " + ec.message());
      }
    }
    writer_ = std::make_unique<Connection>(memory_ ? ":memory:" : path, false);
    if (memory_) {
      return;
    }
    for (int i = 0; i < std::max(readers, 1); ++i) {
      idle_readers_.push_back(std::make_unique<Connection>(path, true));
    }
    reader_count_ = static_cast<int>(idle_readers_.size());
  }

  ~SqliteDatabase() override {
    idle_readers_.clear();  // readers first, so that the writer's close checkpoints the WAL
    writer_.reset();
  }

  [[nodiscard]] Dialect dialect() const override { return Dialect::kSqlite; }

  [[nodiscard]] PoolStats Stats() const override {
    std::lock_guard lock(pool_mu_);
    PoolStats stats;
    stats.connections = 1 + reader_count_;
    stats.in_use = reader_count_ - static_cast<int>(idle_readers_.size()) +
                   (writer_owner_.load() != std::thread::id() ? 1 : 0);
    stats.waits_total = waits_total_;
    return stats;
  }

  // Refuses to overwrite `path`. The copy is one consistent snapshot, taken without stopping
  // writers (from a reader) except for ":memory:", whose only connection is held meanwhile.
  void Backup(const std::string& path) override {
    std::error_code ec;
    if (std::filesystem::exists(path, ec)) {
      throw std::runtime_error("backup target '" + path + "' exists; choose a new file");
    }
    std::filesystem::path parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) {
      std::filesystem::create_directories(parent, ec);
    }
    auto copy = [&](Connection& source) {
      sqlite3* raw = nullptr;
      int rc =
          sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
      std::unique_ptr<sqlite3, CloseConnection> target(raw);
      std::string error;
      if (rc == SQLITE_OK) {
        sqlite3_backup* backup = sqlite3_backup_init(raw, "main", source.handle(), "main");
        if (backup == nullptr) {
          error = sqlite3_errmsg(raw);
        } else {
          rc = sqlite3_backup_step(backup, -1);
          if (rc != SQLITE_DONE) {
            error = sqlite3_errstr(rc);
          }
          rc = sqlite3_backup_finish(backup);
          if (error.empty() && rc != SQLITE_OK) {
            error = sqlite3_errmsg(raw);
          }
        }
      } else {
        error = raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
      }
      target.reset();
      if (!error.empty()) {
        std::filesystem::remove(path, ec);
        throw std::runtime_error("backup to '" + path + "' failed: " + error);
      }
    };
    if (memory_) {
      WriterLock lock(*this);
      copy(*writer_);
    } else {
      ReaderLease lease(*this);
      copy(*lease);
    }
  }

  std::string IntegrityCheck() override {
    return Read([](Tx& tx) {
      std::string out;
      for (const Row& row : tx.Query("PRAGMA integrity_check", {})) {
        if (!out.empty()) {
          out += '\n';
        }
        out += row.Text(0);
      }
      return out;
    });
  }

 protected:
  void RunTransaction(bool write, const std::function<void(Tx&)>& body) override {
    if (write || memory_) {
      WriterLock lock(*this);
      Run(*writer_, write, body);
    } else {
      ReaderLease lease(*this);
      Run(*lease, write, body);
    }
  }

 private:
  // Holds the writer connection; throws instead of deadlocking when this thread holds it already.
  class WriterLock final {
   public:
    explicit WriterLock(SqliteDatabase& db) : db_(db) {
      if (db.writer_owner_.load() == std::this_thread::get_id()) {
        throw DbError(Kind::kOther,
                      "sqlite: a transaction was opened inside another on the same thread");
      }
      if (!db.writer_mu_.try_lock()) {
        db.CountWait();
        db.writer_mu_.lock();
      }
      db.writer_owner_.store(std::this_thread::get_id());
    }
    WriterLock(const WriterLock&) = delete;
    WriterLock& operator=(const WriterLock&) = delete;
    ~WriterLock() {
      db_.writer_owner_.store(std::thread::id());
      db_.writer_mu_.unlock();
    }

   private:
    SqliteDatabase& db_;
  };

  // Borrows a reader connection, waiting for one when all are busy.
  class ReaderLease final {
   public:
    explicit ReaderLease(SqliteDatabase& db) : db_(db) {
      std::unique_lock lock(db.pool_mu_);
      if (db.idle_readers_.empty()) {
        ++db.waits_total_;
        db.pool_cv_.wait(lock, [&] { return !db.idle_readers_.empty(); });
      }
      conn_ = std::move(db.idle_readers_.back());
      db.idle_readers_.pop_back();
    }
    ReaderLease(const ReaderLease&) = delete;
    ReaderLease& operator=(const ReaderLease&) = delete;
    ~ReaderLease() {
      {
        std::lock_guard lock(db_.pool_mu_);
        db_.idle_readers_.push_back(std::move(conn_));
      }
      db_.pool_cv_.notify_one();
    }
    Connection& operator*() { return *conn_; }

   private:
    SqliteDatabase& db_;
    std::unique_ptr<Connection> conn_;
  };

  void CountWait() {
    std::lock_guard lock(pool_mu_);
    ++waits_total_;
  }

  // One transaction on `conn`: commits when `body` returns, rolls back when it throws.
  static void Run(Connection& conn, bool write, const std::function<void(Tx&)>& body) {
    conn.Run(write ? "BEGIN IMMEDIATE" : "BEGIN");
    SqliteTx tx(conn, write);
    try {
      body(tx);
    } catch (...) {
      conn.RollbackQuietly();
      throw;
    }
    if (tx.failure()) {  // the callback swallowed a failed statement; see Tx
      conn.RollbackQuietly();
      throw DbError(tx.failure()->kind(),
                    std::string("transaction rolled back after an error: ") + tx.failure()->what());
    }
    try {
      conn.Run("COMMIT");
    } catch (...) {
      conn.RollbackQuietly();
      throw;
    }
  }

  const std::string path_;
  bool memory_ = false;

  std::unique_ptr<Connection> writer_;  // also the only connection of a ":memory:" database
  std::mutex writer_mu_;                // held for the whole of a write (or any ":memory:") tx
  std::atomic<std::thread::id> writer_owner_;  // the thread holding writer_mu_, if any

  mutable std::mutex pool_mu_;
  std::condition_variable pool_cv_;
  std::vector<std::unique_ptr<Connection>> idle_readers_;  // guarded by pool_mu_
  int reader_count_ = 0;
  std::int64_t waits_total_ = 0;  // guarded by pool_mu_
};

}  // namespace

std::unique_ptr<Database> OpenSqlite(const std::string& path, int readers) {
  return std::make_unique<SqliteDatabase>(path, readers);
}

}  // namespace rampart::db
