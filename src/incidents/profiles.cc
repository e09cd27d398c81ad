#include "incidents/profiles.h"

#include <map>
#include <memory>
#include <mutex>

#include <spdlog/spdlog.h>

#include "incidents/rules.h"

namespace rampart::incidents {

namespace {

using nlohmann::json;

// Sector versions read so far. Entries are never removed or changed, so a reference handed out
// stays valid for the life of the process.
struct Cache {
  std::mutex mu;
  std::map<std::string, std::unique_ptr<const ReportingProfile>, std::less<>> by_id;
};
Cache& TheCache() {
  static Cache cache;
  return cache;
}

void WriteThresholds(JsonWriter& w, std::string_view key, const Thresholds& t) {
  w.Key(key)
      .BeginObject()
      .KeyOptInt("medium", t.medium)
      .KeyOptInt("high", t.high)
      .KeyOptInt("critical", t.critical)
      .EndObject();
}

Thresholds ThresholdsFrom(const json& j) {
  auto level = [&](const char* name) -> std::optional<std::int64_t> {
    if (!j.contains(name) || j.at(name).is_null()) return std::nullopt;
    return j.at(name).get<std::int64_t>();
  };
  return {level("medium"), level("high"), level("critical")};
}

}  // namespace

const ReportingProfile& ProfileById(db::Tx& tx, std::string_view id) {
  if (const ReportingProfile* p = FindProfile(id)) return *p;
  Cache& cache = TheCache();
  {
    std::lock_guard lock(cache.mu);
    if (auto it = cache.by_id.find(id); it != cache.by_id.end()) return *it->second;
  }
  auto row = tx.QueryOne("SELECT body FROM reporting_profiles WHERE id = $1", {id});
  if (!row) return Profiles().front();
  std::unique_ptr<const ReportingProfile> profile;
  try {
    profile = std::make_unique<const ReportingProfile>(ProfileFromJson(json::parse(row->Text(0))));
  } catch (const std::exception& e) {
    // Only Rampart writes these rows; a damaged one must not stop the sector's cases. The
    // national default stands in (not remembered, so a repaired row is read again).
    spdlog::error("reporting profile {} cannot be read ({}); using the national default", id,
                  e.what());
    return Profiles().front();
  }
  std::lock_guard lock(cache.mu);
  auto [it, inserted] = cache.by_id.emplace(std::string(id), std::move(profile));
  return *it->second;
}

const ReportingProfile& ProfileOf(db::Tx& tx, const Incident& incident) {
  return ProfileById(tx, incident.profile_id);
}

void WriteProfile(JsonWriter& w, const ReportingProfile& p) {
  w.BeginObject()
      .KeyString("id", p.id)
      .KeyString("name", p.name)
      .KeyInt("early_warning_within_hours", p.early_warning_within / kHour)
      .KeyInt("notification_within_hours", p.notification_within / kHour)
      .KeyInt("final_within_days", p.final_within / kDay)
      .KeyInt("intermediate_within_hours", p.intermediate_within / kHour)
      .Key("thresholds")
      .BeginObject();
  WriteThresholds(w, "users_affected", p.users_affected);
  WriteThresholds(w, "duration_hours", p.duration_hours);
  WriteThresholds(w, "financial_loss_eur", p.financial_loss_eur);
  WriteThresholds(w, "sites_or_regions", p.sites_or_regions);
  w.EndObject()
      .KeyString("cross_border_at_least", Name(p.cross_border_at_least))
      .KeyString("significant_from", Name(p.significant_from))
      .Key("required_fields")
      .BeginObject();
  for (Stage s : kAllStages) {
    w.Key(Name(s)).BeginArray();
    for (const auto& f : RequiredFields(p, s)) w.String(f);
    w.EndArray();
  }
  w.EndObject().Key("also_required").BeginObject();
  for (Stage s : kAllStages) {
    w.Key(Name(s)).BeginArray();
    for (const auto& [stage, field] : p.also_required) {
      if (stage == s) w.String(field);
    }
    w.EndArray();
  }
  w.EndObject().EndObject();
}

namespace {
// A count of hours or days as stored: a whole number small enough to become milliseconds.
Millis Span(const json& j, const char* key, Millis unit) {
  const auto v = j.at(key).get<std::int64_t>();
  if (v < 1 || v > 24 * 3660) throw std::out_of_range(std::string(key) + " out of range");
  return v * unit;
}
Severity SeverityAt(const json& j, const char* key) {
  auto s = ParseSeverity(j.at(key).get<std::string>());
  if (!s) throw std::out_of_range(std::string(key) + " is not a severity");
  return *s;
}
}  // namespace

ReportingProfile ProfileFromJson(const json& j) {
  ReportingProfile p;
  p.id = j.at("id").get<std::string>();
  p.name = j.at("name").get<std::string>();
  p.early_warning_within = Span(j, "early_warning_within_hours", kHour);
  p.notification_within = Span(j, "notification_within_hours", kHour);
  p.final_within = Span(j, "final_within_days", kDay);
  p.intermediate_within = Span(j, "intermediate_within_hours", kHour);
  const json& t = j.at("thresholds");
  p.users_affected = ThresholdsFrom(t.at("users_affected"));
  p.duration_hours = ThresholdsFrom(t.at("duration_hours"));
  p.financial_loss_eur = ThresholdsFrom(t.at("financial_loss_eur"));
  p.sites_or_regions = ThresholdsFrom(t.at("sites_or_regions"));
  p.cross_border_at_least = SeverityAt(j, "cross_border_at_least");
  p.significant_from = SeverityAt(j, "significant_from");
  for (const auto& [name, fields] : j.at("also_required").items()) {
    auto stage = ParseStage(name);
    if (!stage) throw std::out_of_range(name + " is not a stage");
    for (const auto& f : fields) p.also_required.emplace_back(*stage, f.get<std::string>());
  }
  return p;
}

ReportingProfile SaveSectorProfile(db::Tx& tx, std::string_view sector_id, std::string_view base_id,
                                   ReportingProfile profile, std::string_view user_id, Millis now) {
  // The sector's row first: on PostgreSQL this locks it, so two regulators saving at once take
  // turns and number their versions one after the other.
  tx.Exec("UPDATE sectors SET version = version + 1, updated_at = $1 WHERE id = $2",
          {now, sector_id});
  auto last = tx.QueryOne(
      "SELECT COALESCE(MAX(version), 0) FROM reporting_profiles WHERE sector_id = $1", {sector_id});
  const std::int64_t version = (last ? last->Int(0) : 0) + 1;
  profile.id = "sector-" + std::string(sector_id) + "-v" + std::to_string(version);
  JsonWriter w;
  WriteProfile(w, profile);
  tx.Exec(
      "INSERT INTO reporting_profiles (id, sector_id, version, base_id, body, created_by, "
      "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
      {profile.id, sector_id, version, base_id, std::move(w).Take(), user_id, now});
  tx.Exec("UPDATE sectors SET reporting_profile = $1 WHERE id = $2", {profile.id, sector_id});
  return profile;
}

}  // namespace rampart::incidents
