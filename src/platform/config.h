// Configuration: defaults, then a TOML file (--config), then RAMPART_* environment variables, then
// command-line flags; each later source overrides the earlier.
#pragma once

#include <optional>
#include <string>

#include "platform/result.h"

namespace rampart {

struct Config {
  std::string listen = "127.0.0.1:8080";       // RAMPART_LISTEN
  std::string db = "sqlite:./var/rampart.db";  // RAMPART_DB
  std::string web_root;                        // RAMPART_WEB_ROOT; empty: look beside the binary
  int io_threads = 2;                          // RAMPART_IO_THREADS
  int workers = 16;                            // RAMPART_WORKERS (blocking work: database, argon2)
  int db_pool = 16;                            // RAMPART_DB_POOL
  int max_connections = 4096;                  // RAMPART_MAX_CONNECTIONS
  int header_timeout_ms = 10'000;              // RAMPART_HEADER_TIMEOUT_MS: to send the headers
  int idle_timeout_ms = 60'000;    // RAMPART_IDLE_TIMEOUT_MS: between keep-alive requests
  int session_hours = 12;          // RAMPART_SESSION_HOURS: absolute session lifetime
  int session_idle_minutes = 120;  // RAMPART_SESSION_IDLE_MINUTES
  std::string public_origin;  // RAMPART_PUBLIC_ORIGIN, e.g. https://rampart.cert.example: for CSRF
  // RAMPART_TRUSTED_PROXIES: comma-separated addresses of reverse proxies whose X-Forwarded-For
  // is believed (for sign-in throttling and logs); empty: none.
  std::string trusted_proxies;
  std::string totp_issuer = "Rampart";  // RAMPART_TOTP_ISSUER
  bool access_log = true;               // RAMPART_ACCESS_LOG
  std::string log_level = "info";       // RAMPART_LOG_LEVEL
  // Notifications (platform/notify.h). E-mail goes through an SMTP relay: RAMPART_SMTP_URL,
  // smtp://host:587 (STARTTLS as smtp_starttls says) or smtps://host:465; empty: no e-mail is
  // sent (messages are marked skipped). RAMPART_SMTP_FROM is the sender, "Name <address>".
  std::string smtp_url;
  std::string smtp_from;
  std::string smtp_user;      // RAMPART_SMTP_USER; empty: no authentication
  std::string smtp_password;  // RAMPART_SMTP_PASSWORD; never logged
  // RAMPART_SMTP_STARTTLS for smtp:// URLs: "require" (refuse a relay without it), "try", "off".
  std::string smtp_starttls = "require";
  // RAMPART_WEBHOOK_ALLOW_PRIVATE_ADDRESSES: let webhooks reach loopback, private and link-local
  // addresses (tests, closed networks); otherwise only public ones.
  bool webhook_allow_private_addresses = false;
  // RAMPART_MAX_FILE_BYTES: the largest file one may upload (case attachments, evidence). Files are
  // kept in the database and an upload is held in memory while it is stored.
  int max_file_bytes = 25 * 1024 * 1024;
  // RAMPART_MIN_CELL_ORGANISATIONS: an aggregate shown outside the CERTs (threat profile, shared
  // risk statistics) withholds any figure that describes fewer organisations than this.
  int min_cell_organisations = 5;
};

// Reads `path` (when given) and the environment over the defaults. The error names the file, line
// and key at fault.
Result<Config> LoadConfig(const std::optional<std::string>& path);

}  // namespace rampart
