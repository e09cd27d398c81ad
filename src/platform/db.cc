#include "platform/db.h"

#include <charconv>
#include <chrono>
#include <cstdlib>
#include <random>
#include <thread>

namespace rampart::db {

std::int64_t Value::AsInt() const {
  switch (v_.index()) {
    case 1:
      return std::get<1>(v_);
    case 2:
      return static_cast<std::int64_t>(std::get<2>(v_));
    case 3: {
      const auto& s = std::get<3>(v_);
      std::int64_t out = 0;
      std::from_chars(s.data(), s.data() + s.size(), out);
      return out;
    }
    default:
      return 0;
  }
}

double Value::AsReal() const {
  switch (v_.index()) {
    case 1:
      return static_cast<double>(std::get<1>(v_));
    case 2:
      return std::get<2>(v_);
    case 3:
      return std::strtod(std::get<3>(v_).c_str(), nullptr);
    default:
      return 0;
  }
}

std::string Value::AsText() const {
  switch (v_.index()) {
    case 1:
      return std::to_string(std::get<1>(v_));
    case 2: {
      char buf[32];
      auto [end, ec] = std::to_chars(buf, buf + sizeof buf, std::get<2>(v_));
      return std::string(buf, end);
    }
    case 3:
      return std::get<3>(v_);
    case 4:
      return std::get<4>(v_).bytes;
    default:
      return {};
  }
}

std::optional<std::string> Row::OptText(std::size_t i) const {
  if (IsNull(i)) {
    return std::nullopt;
  }
  return Text(i);
}

std::optional<std::int64_t> Row::OptInt(std::size_t i) const {
  if (IsNull(i)) {
    return std::nullopt;
  }
  return Int(i);
}

namespace {

bool IsIdentifierChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}

}  // namespace

std::string RewriteParamsForSqlite(std::string_view sql) {
  std::string out;
  out.reserve(sql.size());
  for (std::size_t i = 0; i < sql.size(); ++i) {
    char c = sql[i];
    char next = i + 1 < sql.size() ? sql[i + 1] : '\0';
    std::size_t end = std::string_view::npos;  // last index of a span copied whole
    if (c == '\'' || c == '"') {               // a quoted literal or identifier ('' escapes itself)
      end = sql.find(c, i + 1);
    } else if (c == '-' && next == '-') {
      end = sql.find('\n', i);
    } else if (c == '/' && next == '*') {
      end = sql.find("*/", i + 2);
      if (end != std::string_view::npos) {
        ++end;
      }
    } else if (c == '$' && next >= '0' && next <= '9' &&
               (i == 0 || !IsIdentifierChar(sql[i - 1]))) {
      out.push_back('?');
      continue;
    } else {
      out.push_back(c);
      continue;
    }
    if (end == std::string_view::npos) {
      end = sql.size() - 1;
    }
    out.append(sql.substr(i, end - i + 1));
    i = end;
  }
  return out;
}

void Database::RunWithRetries(bool write, const std::function<void(Tx&)>& body) {
  for (int retry = 0;; ++retry) {
    try {
      RunTransaction(write, body);
      return;
    } catch (const DbError& e) {
      if (!write || e.kind() != DbError::Kind::kSerialization || retry >= kWriteRetries) {
        throw;
      }
    }
    // Randomized so that two transactions that collided do not collide again in step.
    thread_local std::minstd_rand random(std::random_device{}());
    int ceiling_ms = 2 << retry;  // 2, 4, 8, 16, 32 ms
    std::uniform_int_distribution<int> pause_us(200, ceiling_ms * 1000);
    std::this_thread::sleep_for(std::chrono::microseconds(pause_us(random)));
  }
}

std::unique_ptr<Database> Database::Open(const std::string& url, int pool_size) {
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    return OpenPostgres(url, pool_size);
  }
  if (url.starts_with("sqlite:")) {
    return OpenSqlite(url.substr(7), pool_size);
  }
  if (url.ends_with(".db") || url.ends_with(".sqlite") || url == ":memory:") {
    return OpenSqlite(url, pool_size);
  }
  throw std::runtime_error("unknown database URL '" + url +
                           "': use sqlite:PATH or postgresql://USER@HOST/NAME");
}

}  // namespace rampart::db
