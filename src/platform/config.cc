#include "platform/config.h"

#include <toml++/toml.h>

#include <charconv>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "platform/email.h"

namespace rampart {

namespace {

Result<void> ApplyText(std::string& field, std::string_view key, std::string_view value) {
  (void)key;
  field = std::string(value);
  return {};
}

Result<void> ApplyInt(int& field, std::string_view key, std::string_view value, int min, int max) {
  int n = 0;
  auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
  if (ec != std::errc() || ptr != value.data() + value.size() || n < min || n > max) {
    return Error{"invalid", std::string(key) + " must be a whole number from " +
                                std::to_string(min) + " to " + std::to_string(max) + ", not '" +
                                std::string(value) + "'"};
  }
  field = n;
  return {};
}

Result<void> ApplyBool(bool& field, std::string_view key, std::string_view value) {
  if (value == "true" || value == "1" || value == "yes") {
    field = true;
  } else if (value == "false" || value == "0" || value == "no") {
    field = false;
  } else {
    return Error{"invalid",
                 std::string(key) + " must be true or false, not '" + std::string(value) + "'"};
  }
  return {};
}

// One table of settings, so the file, the environment and the docs never disagree.
Result<void> Apply(Config& c, std::string_view key, std::string_view value) {
  if (key == "listen") return ApplyText(c.listen, key, value);
  if (key == "db") return ApplyText(c.db, key, value);
  if (key == "web_root") return ApplyText(c.web_root, key, value);
  if (key == "io_threads") return ApplyInt(c.io_threads, key, value, 1, 64);
  if (key == "workers") return ApplyInt(c.workers, key, value, 1, 1024);
  if (key == "db_pool") return ApplyInt(c.db_pool, key, value, 1, 1024);
  if (key == "max_connections") return ApplyInt(c.max_connections, key, value, 1, 1'000'000);
  if (key == "header_timeout_ms") return ApplyInt(c.header_timeout_ms, key, value, 100, 600'000);
  if (key == "idle_timeout_ms") return ApplyInt(c.idle_timeout_ms, key, value, 100, 3'600'000);
  if (key == "session_hours") return ApplyInt(c.session_hours, key, value, 1, 24 * 30);
  if (key == "session_idle_minutes") {
    return ApplyInt(c.session_idle_minutes, key, value, 1, 24 * 60 * 30);
  }
  if (key == "public_origin") return ApplyText(c.public_origin, key, value);
  if (key == "trusted_proxies") return ApplyText(c.trusted_proxies, key, value);
  if (key == "totp_issuer") return ApplyText(c.totp_issuer, key, value);
  if (key == "access_log") return ApplyBool(c.access_log, key, value);
  if (key == "log_level") return ApplyText(c.log_level, key, value);
  if (key == "smtp_url") {
    if (!value.empty() && !value.starts_with("smtp://") && !value.starts_with("smtps://")) {
      return Error{"invalid", "smtp_url must start with smtp:// or smtps://, not '" +
                                  std::string(value) + "'"};
    }
    return ApplyText(c.smtp_url, key, value);
  }
  if (key == "smtp_from") {
    if (!value.empty() && !email::ParseMailbox(value)) {
      return Error{"invalid", "smtp_from must be an address or \"Name <address>\", not '" +
                                  std::string(value) + "'"};
    }
    return ApplyText(c.smtp_from, key, value);
  }
  if (key == "smtp_user") return ApplyText(c.smtp_user, key, value);
  if (key == "smtp_password") return ApplyText(c.smtp_password, key, value);
  if (key == "smtp_starttls") {
    if (value != "require" && value != "try" && value != "off") {
      return Error{"invalid",
                   "smtp_starttls must be require, try or off, not '" + std::string(value) + "'"};
    }
    return ApplyText(c.smtp_starttls, key, value);
  }
  if (key == "webhook_allow_private_addresses") {
    return ApplyBool(c.webhook_allow_private_addresses, key, value);
  }
  if (key == "max_file_bytes") {
    return ApplyInt(c.max_file_bytes, key, value, 1024, 1024 * 1024 * 1024);
  }
  if (key == "min_cell_organisations") {
    return ApplyInt(c.min_cell_organisations, key, value, 1, 1000);
  }
  return Error{"unknown", "unknown setting '" + std::string(key) + "'"};
}

constexpr std::string_view kKeys[] = {"listen",
                                      "db",
                                      "web_root",
                                      "io_threads",
                                      "workers",
                                      "db_pool",
                                      "max_connections",
                                      "header_timeout_ms",
                                      "idle_timeout_ms",
                                      "session_hours",
                                      "session_idle_minutes",
                                      "public_origin",
                                      "trusted_proxies",
                                      "totp_issuer",
                                      "access_log",
                                      "log_level",
                                      "smtp_url",
                                      "smtp_from",
                                      "smtp_user",
                                      "smtp_password",
                                      "smtp_starttls",
                                      "webhook_allow_private_addresses",
                                      "max_file_bytes",
                                      "min_cell_organisations"};

}  // namespace

Result<Config> LoadConfig(const std::optional<std::string>& path) {
  Config c;
  if (path) {
    toml::table table;
    try {
      table = toml::parse_file(*path);
    } catch (const toml::parse_error& e) {
      std::ostringstream msg;
      msg << *path << ":" << e.source().begin.line << ": " << e.description();
      return Error{"invalid", msg.str()};
    }
    for (const auto& [key, node] : table) {
      std::string value;
      if (auto s = node.value<std::string>()) {
        value = *s;
      } else if (auto i = node.value<std::int64_t>()) {
        value = std::to_string(*i);
      } else if (auto b = node.value<bool>()) {
        value = *b ? "true" : "false";
      } else {
        return Error{"invalid", *path + ":" + std::to_string(node.source().begin.line) + ": " +
                                    std::string(key.str()) +
                                    " must be a string, number or boolean"};
      }
      auto r = Apply(c, key.str(), value);
      if (!r) {
        return Error{"invalid", *path + ":" + std::to_string(node.source().begin.line) + ": " +
                                    r.error().message};
      }
    }
  }
  for (auto key : kKeys) {
    std::string env = "RAMPART_";
    for (char ch : key)
      env.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(ch))));
    if (const char* v = std::getenv(env.c_str())) {
      auto r = Apply(c, key, v);
      if (!r) return Error{"invalid", env + ": " + r.error().message};
    }
  }
  if (!c.smtp_url.empty() && c.smtp_from.empty()) {
    return Error{"invalid", "smtp_from must be set when smtp_url is (the sender of e-mail)"};
  }
  return c;
}

}  // namespace rampart
