// People as accounts: the users table and its JSON form. The directory decides who belongs to
// which organisation with which roles; this file is what sign-in and the directory share.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "platform/clock.h"
#include "platform/db.h"
#include "platform/json_writer.h"

namespace rampart::identity {

struct User {
  std::string id;
  std::string username;
  std::string display_name;
  std::string email;
  bool is_admin = false;
  bool disabled = false;
  bool totp_enabled = false;
  std::int64_t version = 1;
  Millis created_at = 0;
  Millis updated_at = 0;
};

// Column list for SELECTs that FromRow() reads, in this order; `prefix` qualifies it ("u.").
std::string Columns(std::string_view prefix = "");
User FromRow(const db::Row& row, std::size_t first = 0);
std::optional<User> Find(db::Tx& tx, std::string_view id);
std::optional<User> FindByName(db::Tx& tx, std::string_view username);
void Write(JsonWriter& w, const User& user);
nlohmann::json ToJson(const User& user);

struct NewUser {
  std::string username;
  std::string display_name;
  std::string email;
  std::string password_hash;
  bool is_admin = false;
};
// Throws db::DbError(kUnique) when the username is taken.
User Insert(db::Tx& tx, const NewUser& user, Millis now);

// Usernames: 3–64 characters of a–z, 0–9, '.', '_', '-', starting with a letter or digit.
bool ValidUsername(std::string_view name);

}  // namespace rampart::identity
