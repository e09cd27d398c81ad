#include "platform/identity.h"

#include "platform/crypto.h"

namespace rampart::identity {

std::string Columns(std::string_view p) {
  std::string s;
  for (std::string_view c : {"id", "username", "display_name", "email", "is_admin", "disabled",
                             "totp_secret", "version", "created_at", "updated_at"}) {
    if (!s.empty()) s += ", ";
    s += std::string(p) + std::string(c);
  }
  return s;
}

User FromRow(const db::Row& r, std::size_t i) {
  User u;
  u.id = r.Text(i);
  u.username = r.Text(i + 1);
  u.display_name = r.Text(i + 2);
  u.email = r.Text(i + 3);
  u.is_admin = r.Bool(i + 4);
  u.disabled = r.Bool(i + 5);
  u.totp_enabled = !r.IsNull(i + 6);
  u.version = r.Int(i + 7);
  u.created_at = r.Int(i + 8);
  u.updated_at = r.Int(i + 9);
  return u;
}

std::optional<User> Find(db::Tx& tx, std::string_view id) {
  auto row = tx.QueryOne("SELECT " + Columns() + " FROM users WHERE id = $1", {id});
  if (!row) return std::nullopt;
  return FromRow(*row);
}

std::optional<User> FindByName(db::Tx& tx, std::string_view username) {
  auto row = tx.QueryOne("SELECT " + Columns() + " FROM users WHERE username = $1", {username});
  if (!row) return std::nullopt;
  return FromRow(*row);
}

void Write(JsonWriter& w, const User& u) {
  w.BeginObject()
      .Key("id")
      .String(u.id)
      .Key("username")
      .String(u.username)
      .Key("display_name")
      .String(u.display_name)
      .Key("email")
      .String(u.email)
      .Key("is_admin")
      .Bool(u.is_admin)
      .Key("disabled")
      .Bool(u.disabled)
      .Key("totp_enabled")
      .Bool(u.totp_enabled)
      .Key("version")
      .Int(u.version)
      .Key("created_at")
      .Time(u.created_at)
      .Key("updated_at")
      .Time(u.updated_at)
      .EndObject();
}

nlohmann::json ToJson(const User& u) {
  JsonWriter w;
  Write(w, u);
  return nlohmann::json::parse(w.str());
}

User Insert(db::Tx& tx, const NewUser& n, Millis now) {
  User u;
  u.id = crypto::NewUuid();
  u.username = n.username;
  u.display_name = n.display_name;
  u.email = n.email;
  u.is_admin = n.is_admin;
  u.created_at = u.updated_at = now;
  tx.Exec(
      "INSERT INTO users (id, username, display_name, email, password_hash, is_admin, disabled, "
      "password_changed_at, version, created_at, updated_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, 0, $7, 1, $7, $7)",
      {u.id, u.username, u.display_name, u.email, n.password_hash, n.is_admin, now});
  return u;
}

bool ValidUsername(std::string_view name) {
  if (name.size() < 3 || name.size() > 64) return false;
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (!alnum(name[0])) return false;
  for (char c : name) {
    if (!alnum(c) && c != '.' && c != '_' && c != '-') return false;
  }
  return true;
}

}  // namespace rampart::identity
