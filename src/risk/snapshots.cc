#include "risk/snapshots.h"

#include <algorithm>
#include <map>

#include "platform/crypto.h"
#include "platform/files.h"
#include "platform/identity.h"
#include "risk/exchange.h"
#include "risk/rules.h"
#include "risk/store.h"

namespace rampart::risk {

using nlohmann::json;

void LevelTally::Add(std::string_view level) {
  if (level == "low") {
    ++low;
  } else if (level == "medium") {
    ++medium;
  } else if (level == "high") {
    ++high;
  }
}

namespace {

constexpr std::string_view kSnapshotColumns =
    "SELECT id, analysis_id, name, note, taken_at, taken_by, taken_by_name, document_sha256, "
    "assets, scenarios, current_low, current_medium, current_high, residual_low, "
    "residual_medium, residual_high FROM risk_snapshots ";

Snapshot SnapshotOf(const db::Row& r) {
  Snapshot s;
  s.id = r.Text(0);
  s.analysis_id = r.Text(1);
  s.name = r.Text(2);
  s.note = r.Text(3);
  s.taken_at = r.Int(4);
  s.taken_by = r.OptText(5);
  s.taken_by_name = r.Text(6);
  s.document_sha256 = r.Text(7);
  s.counts.assets = r.Int(8);
  s.counts.scenarios = r.Int(9);
  s.counts.current = {r.Int(10), r.Int(11), r.Int(12)};
  s.counts.residual = {r.Int(13), r.Int(14), r.Int(15)};
  return s;
}

void InsertSnapshotRow(db::Tx& tx, const Snapshot& s) {
  tx.Exec(
      "INSERT INTO risk_snapshots (id, analysis_id, name, note, taken_at, taken_by, "
      "taken_by_name, document_sha256, assets, scenarios, current_low, current_medium, "
      "current_high, residual_low, residual_medium, residual_high) VALUES ($1, $2, $3, $4, $5, "
      "$6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
      {s.id, s.analysis_id, s.name, s.note, s.taken_at, s.taken_by, s.taken_by_name,
       s.document_sha256, s.counts.assets, s.counts.scenarios, s.counts.current.low,
       s.counts.current.medium, s.counts.current.high, s.counts.residual.low,
       s.counts.residual.medium, s.counts.residual.high});
}

constexpr std::string_view kFigureColumns =
    "scenario_id, asset_id, asset_name, threat_id, threat_urn, threat_name, vulnerability_id, "
    "vulnerability_urn, vulnerability_name, current_risk, current_level, residual_risk, "
    "residual_level, treatment, owner_id";
constexpr std::size_t kFigureWidth = 15;

ScenarioFigures FiguresOf(const db::Row& r) {
  ScenarioFigures f;
  f.scenario_id = r.Text(0);
  f.asset_id = r.Text(1);
  f.asset_name = r.Text(2);
  f.threat_id = r.Text(3);
  f.threat_urn = r.Text(4);
  f.threat_name = r.Text(5);
  f.vulnerability_id = r.Text(6);
  f.vulnerability_urn = r.Text(7);
  f.vulnerability_name = r.Text(8);
  f.current = r.Int(9);
  f.current_level = r.Text(10);
  f.residual = r.Int(11);
  f.residual_level = r.Text(12);
  f.treatment = r.Text(13);
  f.owner_id = r.OptText(14);
  return f;
}

// PostgreSQL orders TEXT by the database's collation, which need not be byte order; the merge in
// Compare() needs byte order on both sides, so the order is settled here. Rows usually arrive in
// order already, and then this is one linear check.
void SortById(std::vector<ScenarioFigures>& v) {
  auto by_id = [](const ScenarioFigures& a, const ScenarioFigures& b) {
    return a.scenario_id < b.scenario_id;
  };
  if (!std::is_sorted(v.begin(), v.end(), by_id)) std::sort(v.begin(), v.end(), by_id);
}

// SQLite's page cache is 2 MiB per connection by default; a snapshot writes and a comparison
// reads tens of megabytes, and with the default cache each page was read (and, writing, spilled
// to the WAL and read back) again and again: a 50,000-scenario snapshot took tens of seconds.
// This raises the connection's cache (256 MiB, allocated only as used) for the guard's life and
// puts the previous size back. Nothing on PostgreSQL.
class LargeCache {
 public:
  explicit LargeCache(db::Tx& tx) : tx_(tx) {
    if (tx_.dialect() != db::Dialect::kSqlite) return;
    previous_ = tx_.QueryOne("PRAGMA cache_size", {})->Int(0);
    tx_.Exec("PRAGMA cache_size = -262144", {});
  }
  ~LargeCache() {
    if (!previous_) return;
    try {
      tx_.Exec("PRAGMA cache_size = " + std::to_string(*previous_), {});
    } catch (const std::exception&) {
      // A spoiled transaction rolls back; the connection keeps the larger cache until the next
      // guard, which costs memory only as pages are used.
    }
  }
  LargeCache(const LargeCache&) = delete;
  LargeCache& operator=(const LargeCache&) = delete;

 private:
  db::Tx& tx_;
  std::optional<std::int64_t> previous_;
};

std::optional<std::int64_t> RiskOrNull(std::int64_t v) {
  return v < 0 ? std::nullopt : std::optional<std::int64_t>(v);
}
std::optional<std::string> LevelOrNull(const std::string& l) {
  return l.empty() ? std::nullopt : std::optional<std::string>(l);
}

void WriteNamed(JsonWriter& w, std::string_view key, const std::string& id,
                const std::string& name) {
  w.Key(key).BeginObject().KeyString("id", id).KeyString("name", name).EndObject();
}

// A scenario as a comparison lists it.
void WriteFigureRow(JsonWriter& w, const ScenarioFigures& f) {
  w.BeginObject().KeyString("scenario_id", f.scenario_id);
  WriteNamed(w, "asset", f.asset_id, f.asset_name);
  WriteNamed(w, "threat", f.threat_id, f.threat_name);
  WriteNamed(w, "vulnerability", f.vulnerability_id, f.vulnerability_name);
  w.KeyOptInt("current", RiskOrNull(f.current))
      .KeyOptInt("residual", RiskOrNull(f.residual))
      .KeyOptString("level", LevelOrNull(f.current_level))
      .KeyOptString("residual_level", LevelOrNull(f.residual_level))
      .KeyString("treatment", f.treatment)
      .KeyOptString("owner_id", f.owner_id)
      .EndObject();
}

void WriteFigureState(JsonWriter& w, const ScenarioFigures& f) {
  w.BeginObject()
      .KeyOptInt("current", RiskOrNull(f.current))
      .KeyOptInt("residual", RiskOrNull(f.residual))
      .KeyOptString("level", LevelOrNull(f.current_level))
      .KeyOptString("residual_level", LevelOrNull(f.residual_level))
      .KeyString("treatment", f.treatment)
      .KeyOptString("owner_id", f.owner_id)
      .EndObject();
}

bool SameFigures(const ScenarioFigures& a, const ScenarioFigures& b) {
  return a.current == b.current && a.residual == b.residual && a.current_level == b.current_level &&
         a.residual_level == b.residual_level && a.treatment == b.treatment &&
         a.owner_id == b.owner_id;
}

}  // namespace

// ---- the store ----

Snapshot TakeSnapshot(db::Tx& tx, const Analysis& analysis, std::string name, std::string note,
                      const std::string& taken_by, Millis now) {
  LargeCache cache(tx);
  Snapshot s;
  s.id = crypto::NewUuid();
  s.analysis_id = analysis.id;
  s.name = std::move(name);
  s.note = std::move(note);
  s.taken_at = now;
  s.taken_by = taken_by;
  if (auto u = identity::Find(tx, taken_by)) s.taken_by_name = u->display_name;
  // Earlier snapshots stay out of the frozen document: each snapshot holds one iteration.
  const std::string doc = ExportAnalysis(tx, analysis, /*with_snapshots=*/false);
  s.document_sha256 = files::Put(tx, doc, "application/json", now).file.sha256;
  s.counts.assets =
      tx.QueryOne("SELECT count(*) FROM risk_assets WHERE analysis_id = $1", {analysis.id})->Int(0);
  for (const auto& c : LevelCounts(tx, analysis.id)) {
    s.counts.scenarios += c.current;  // every scenario is in one current group, "" unscored
    if (c.level == "low") {
      s.counts.current.low = c.current;
      s.counts.residual.low = c.residual;
    } else if (c.level == "medium") {
      s.counts.current.medium = c.current;
      s.counts.residual.medium = c.residual;
    } else if (c.level == "high") {
      s.counts.current.high = c.current;
      s.counts.residual.high = c.residual;
    }
  }
  InsertSnapshotRow(tx, s);
  // The figures, set-based: one statement however many scenarios.
  tx.Exec(
      "INSERT INTO risk_snapshot_rows (snapshot_id, " + std::string(kFigureColumns) +
          ") SELECT $1, s.id, s.asset_id, a.name, s.threat_id, t.urn, t.name, "
          "s.vulnerability_id, v.urn, v.name, s.current_risk, s.current_level, s.residual_risk, "
          "s.residual_level, s.treatment, s.owner_id FROM risk_scenarios s "
          "JOIN risk_assets a ON a.id = s.asset_id JOIN risk_threats t ON t.id = s.threat_id "
          "JOIN risk_vulnerabilities v ON v.id = s.vulnerability_id WHERE s.analysis_id = $2 "
          // In id order, so that a comparison later reads the rows in the order they are stored.
          "ORDER BY s.id",
      {s.id, analysis.id});
  return s;
}

std::vector<Snapshot> ListSnapshots(db::Tx& tx, std::string_view analysis_id) {
  std::vector<Snapshot> out;
  for (const auto& r : tx.Query(
           std::string(kSnapshotColumns) + "WHERE analysis_id = $1 ORDER BY taken_at DESC, id DESC",
           {analysis_id})) {
    out.push_back(SnapshotOf(r));
  }
  return out;
}

std::optional<Snapshot> FindSnapshot(db::Tx& tx, std::string_view analysis_id,
                                     std::string_view id) {
  auto r = tx.QueryOne(std::string(kSnapshotColumns) + "WHERE id = $1 AND analysis_id = $2",
                       {id, analysis_id});
  if (!r) return std::nullopt;
  return SnapshotOf(*r);
}

std::optional<Snapshot> LatestSnapshot(db::Tx& tx, std::string_view analysis_id) {
  auto r = tx.QueryOne(std::string(kSnapshotColumns) +
                           "WHERE analysis_id = $1 ORDER BY taken_at DESC, id DESC LIMIT 1",
                       {analysis_id});
  if (!r) return std::nullopt;
  return SnapshotOf(*r);
}

std::string SnapshotDocument(db::Tx& tx, const Snapshot& s) {
  auto doc = files::Get(tx, s.document_sha256);
  // The foreign key keeps the file while the snapshot exists.
  if (!doc) throw std::runtime_error("snapshot document missing: " + s.document_sha256);
  return std::move(*doc);
}

std::vector<ScenarioFigures> SnapshotFigures(db::Tx& tx, std::string_view snapshot_id) {
  LargeCache cache(tx);
  std::vector<ScenarioFigures> out;
  for (const auto& r : tx.Query("SELECT " + std::string(kFigureColumns) +
                                    " FROM risk_snapshot_rows WHERE snapshot_id = $1 "
                                    "ORDER BY scenario_id",
                                {snapshot_id})) {
    out.push_back(FiguresOf(r));
  }
  SortById(out);
  return out;
}

std::vector<ScenarioFigures> CurrentFigures(db::Tx& tx, std::string_view analysis_id) {
  LargeCache cache(tx);
  std::vector<ScenarioFigures> out;
  for (const auto& r : tx.Query(
           "SELECT s.id, s.asset_id, a.name, s.threat_id, t.urn, t.name, s.vulnerability_id, "
           "v.urn, v.name, s.current_risk, s.current_level, s.residual_risk, s.residual_level, "
           "s.treatment, s.owner_id FROM risk_scenarios s "
           "JOIN risk_assets a ON a.id = s.asset_id JOIN risk_threats t ON t.id = s.threat_id "
           "JOIN risk_vulnerabilities v ON v.id = s.vulnerability_id WHERE s.analysis_id = $1 "
           "ORDER BY s.id",
           {analysis_id})) {
    out.push_back(FiguresOf(r));
  }
  SortById(out);
  return out;
}

std::optional<ScenarioFigures> SnapshotFigure(db::Tx& tx, std::string_view snapshot_id,
                                              std::string_view scenario_id) {
  auto r = tx.QueryOne("SELECT " + std::string(kFigureColumns) +
                           " FROM risk_snapshot_rows WHERE snapshot_id = $1 AND scenario_id = $2",
                       {snapshot_id, scenario_id});
  if (!r) return std::nullopt;
  return FiguresOf(*r);
}

// ---- comparison ----

Comparison Compare(const std::vector<ScenarioFigures>& from, const std::vector<ScenarioFigures>& to,
                   std::size_t limit) {
  Comparison c;
  for (const auto& f : from) {
    c.from_current.Add(f.current_level);
    c.from_residual.Add(f.residual_level);
  }
  for (const auto& f : to) {
    c.to_current.Add(f.current_level);
    c.to_residual.Add(f.residual_level);
  }
  auto keep = [&](auto& list, auto&& item) {
    if (list.size() < limit) list.push_back(std::forward<decltype(item)>(item));
  };
  std::size_t i = 0, j = 0;
  while (i < from.size() || j < to.size()) {
    if (j == to.size() || (i < from.size() && from[i].scenario_id < to[j].scenario_id)) {
      ++c.removed_total;
      keep(c.removed, from[i++]);
    } else if (i == from.size() || to[j].scenario_id < from[i].scenario_id) {
      ++c.added_total;
      keep(c.added, to[j++]);
    } else {
      if (!SameFigures(from[i], to[j])) {
        ++c.changed_total;
        keep(c.changed, FigureChange{from[i], to[j]});
      }
      ++i;
      ++j;
    }
  }
  c.truncated = static_cast<std::int64_t>(c.added.size()) < c.added_total ||
                static_cast<std::int64_t>(c.removed.size()) < c.removed_total ||
                static_cast<std::int64_t>(c.changed.size()) < c.changed_total;
  return c;
}

// ---- JSON ----

void WriteLevelTally(JsonWriter& w, const LevelTally& t) {
  w.BeginObject()
      .KeyInt("low", t.low)
      .KeyInt("medium", t.medium)
      .KeyInt("high", t.high)
      .EndObject();
}

void WriteSnapshot(JsonWriter& w, const Snapshot& s) {
  w.BeginObject()
      .KeyString("id", s.id)
      .KeyString("analysis_id", s.analysis_id)
      .KeyString("name", s.name)
      .KeyString("note", s.note)
      .KeyTime("taken_at", s.taken_at)
      .Key("taken_by")
      .BeginObject()
      .KeyOptString("id", s.taken_by)
      .KeyString("name", s.taken_by_name)
      .EndObject()
      .Key("counts")
      .BeginObject()
      .KeyInt("assets", s.counts.assets)
      .KeyInt("scenarios", s.counts.scenarios)
      .Key("current");
  WriteLevelTally(w, s.counts.current);
  w.Key("residual");
  WriteLevelTally(w, s.counts.residual);
  w.EndObject().KeyString("document_sha256", s.document_sha256).EndObject();
}

std::string SnapshotJson(const Snapshot& s) {
  JsonWriter w;
  WriteSnapshot(w, s);
  return std::move(w).Take();
}

std::string ComparisonJson(const Comparison& c, std::string_view from_json,
                           std::string_view to_json) {
  JsonWriter w;
  w.BeginObject().Key("from").Raw(from_json).Key("to").Raw(to_json).Key("counts").BeginObject();
  w.Key("from").BeginObject().Key("current");
  WriteLevelTally(w, c.from_current);
  w.Key("residual");
  WriteLevelTally(w, c.from_residual);
  w.EndObject().Key("to").BeginObject().Key("current");
  WriteLevelTally(w, c.to_current);
  w.Key("residual");
  WriteLevelTally(w, c.to_residual);
  w.EndObject().EndObject().Key("added").BeginArray();
  for (const auto& f : c.added) WriteFigureRow(w, f);
  w.EndArray().Key("removed").BeginArray();
  for (const auto& f : c.removed) WriteFigureRow(w, f);
  w.EndArray().Key("changed").BeginArray();
  for (const auto& ch : c.changed) {
    const auto& a = ch.after;
    w.BeginObject().KeyString("scenario_id", a.scenario_id);
    WriteNamed(w, "asset", a.asset_id, a.asset_name);
    WriteNamed(w, "threat", a.threat_id, a.threat_name);
    WriteNamed(w, "vulnerability", a.vulnerability_id, a.vulnerability_name);
    w.Key("before");
    WriteFigureState(w, ch.before);
    w.Key("after");
    WriteFigureState(w, ch.after);
    w.EndObject();
  }
  w.EndArray()
      .Key("totals")
      .BeginObject()
      .KeyInt("added", c.added_total)
      .KeyInt("removed", c.removed_total)
      .KeyInt("changed", c.changed_total)
      .EndObject()
      .KeyBool("truncated", c.truncated)
      .EndObject();
  return std::move(w).Take();
}

// ---- export and import ----

void WriteSnapshotsForExport(JsonWriter& w, db::Tx& tx, std::string_view analysis_id) {
  const auto snapshots = ListSnapshots(tx, analysis_id);
  std::map<std::string, std::string> usernames;
  for (const auto& r :
       tx.Query("SELECT u.id, u.username FROM users u WHERE u.id IN ("
                "SELECT s.taken_by FROM risk_snapshots s WHERE s.analysis_id = $1 "
                "UNION SELECT r.owner_id FROM risk_snapshot_rows r JOIN risk_snapshots s "
                "ON s.id = r.snapshot_id WHERE s.analysis_id = $1)",
                {analysis_id})) {
    usernames[r.Text(0)] = r.Text(1);
  }
  auto username = [&](const std::optional<std::string>& id) -> std::optional<std::string> {
    if (!id) return std::nullopt;
    auto it = usernames.find(*id);
    return it == usernames.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
  w.BeginArray();
  // Oldest first, so that an import recreates them in the order they were taken.
  for (auto it = snapshots.rbegin(); it != snapshots.rend(); ++it) {
    const Snapshot& s = *it;
    w.BeginObject()
        .KeyString("id", s.id)
        .KeyString("name", s.name)
        .KeyString("note", s.note)
        .KeyTime("taken_at", s.taken_at)
        .KeyOptString("taken_by", username(s.taken_by))
        .KeyString("taken_by_name", s.taken_by_name)
        .Key("document")
        .Raw(SnapshotDocument(tx, s))
        .Key("rows")
        .BeginArray();
    for (const auto& f : SnapshotFigures(tx, s.id)) {
      w.BeginObject()
          .KeyString("scenario", f.scenario_id)
          .KeyString("asset", f.asset_id)
          .KeyString("asset_name", f.asset_name)
          .KeyString("threat", f.threat_id)
          .KeyString("threat_urn", f.threat_urn)
          .KeyString("threat_name", f.threat_name)
          .KeyString("vulnerability", f.vulnerability_id)
          .KeyString("vulnerability_urn", f.vulnerability_urn)
          .KeyString("vulnerability_name", f.vulnerability_name)
          .KeyOptInt("current", RiskOrNull(f.current))
          .KeyOptString("current_level", LevelOrNull(f.current_level))
          .KeyOptInt("residual", RiskOrNull(f.residual))
          .KeyOptString("residual_level", LevelOrNull(f.residual_level))
          .KeyString("treatment", f.treatment)
          .KeyOptString("owner", username(f.owner_id))
          .EndObject();
    }
    w.EndArray().EndObject();
  }
  w.EndArray();
}

namespace {

// Reads members of one object of the import document, naming the item at fault.
class SnapshotReader {
 public:
  SnapshotReader(const json& obj, std::string at, std::vector<FieldError>& errors)
      : obj_(obj), at_(std::move(at)), errors_(errors) {}

  void Fail(std::string_view key, std::string message) {
    if (errors_.size() < 200) errors_.push_back({at_ + "/" + std::string(key), std::move(message)});
  }

  std::string Text(std::string_view key, std::size_t max, bool required) {
    const std::string k(key);
    if (!obj_.is_object() || !obj_.contains(k) || obj_[k].is_null()) {
      if (required) Fail(key, "is required");
      return "";
    }
    if (!obj_[k].is_string() || obj_[k].get_ref<const std::string&>().size() > max) {
      Fail(key, "must be a text of at most " + std::to_string(max) + " characters");
      return "";
    }
    return obj_[k].get<std::string>();
  }

  std::optional<std::string> OptText(std::string_view key, std::size_t max) {
    auto v = Text(key, max, false);
    return v.empty() ? std::nullopt : std::optional<std::string>(v);
  }

  std::int64_t Risk(std::string_view key) {
    const std::string k(key);
    if (!obj_.is_object() || !obj_.contains(k) || obj_[k].is_null()) return -1;
    if (!obj_[k].is_number_integer() || obj_[k].get<std::int64_t>() < 0) {
      Fail(key, "must be a whole number of at least 0, or null");
      return -1;
    }
    return obj_[k].get<std::int64_t>();
  }

  std::string Level(std::string_view key) {
    auto v = Text(key, 10, false);
    if (!v.empty() && v != "low" && v != "medium" && v != "high") {
      Fail(key, "must be low, medium or high, or null");
      return "";
    }
    return v;
  }

 private:
  const json& obj_;
  std::string at_;
  std::vector<FieldError>& errors_;
};

}  // namespace

std::vector<ImportedSnapshot> ReadSnapshotsForImport(const json& list,
                                                     std::vector<FieldError>& errors) {
  std::vector<ImportedSnapshot> out;
  if (list.is_null()) return out;
  if (!list.is_array()) {
    errors.push_back({"/snapshots", "must be an array"});
    return out;
  }
  for (std::size_t k = 0; k < list.size(); ++k) {
    const std::string at = "/snapshots/" + std::to_string(k);
    const json& j = list[k];
    SnapshotReader in(j, at, errors);
    ImportedSnapshot is;
    Snapshot& s = is.snapshot;
    s.name = in.Text("name", 200, true);
    if (s.name.empty() && j.is_object() && j.contains("name")) in.Fail("name", "must not be empty");
    s.note = in.Text("note", 5000, false);
    const auto taken_at = in.Text("taken_at", 40, true);
    if (!taken_at.empty()) {
      if (auto t = ParseRfc3339(taken_at)) {
        s.taken_at = *t;
      } else {
        in.Fail("taken_at", "must be an RFC 3339 time");
      }
    }
    s.taken_by = in.OptText("taken_by", 200);
    s.taken_by_name = in.Text("taken_by_name", 200, false);
    if (!j.is_object() || !j.contains("document") || !j["document"].is_object() ||
        j["document"].value("format", "") != kExportFormat) {
      in.Fail("document", "must be an analysis export document");
    } else {
      is.document = j["document"];
    }
    if (!j.is_object() || !j.contains("rows") || !j["rows"].is_array()) {
      in.Fail("rows", "must be an array");
    } else {
      std::map<std::string, bool> seen;
      const auto& rows = j["rows"];
      for (std::size_t n = 0; n < rows.size(); ++n) {
        SnapshotReader r(rows[n], at + "/rows/" + std::to_string(n), errors);
        ScenarioFigures f;
        f.scenario_id = r.Text("scenario", 100, true);
        if (!f.scenario_id.empty() && !seen.emplace(f.scenario_id, true).second) {
          r.Fail("scenario", "another row has this scenario: " + f.scenario_id);
        }
        f.asset_id = r.Text("asset", 100, true);
        f.asset_name = r.Text("asset_name", 200, true);
        f.threat_id = r.Text("threat", 100, true);
        f.threat_urn = r.Text("threat_urn", 300, true);
        f.threat_name = r.Text("threat_name", 200, true);
        f.vulnerability_id = r.Text("vulnerability", 100, true);
        f.vulnerability_urn = r.Text("vulnerability_urn", 300, true);
        f.vulnerability_name = r.Text("vulnerability_name", 200, true);
        f.current = r.Risk("current");
        f.current_level = r.Level("current_level");
        f.residual = r.Risk("residual");
        f.residual_level = r.Level("residual_level");
        f.treatment = r.Text("treatment", 20, false);
        if (f.treatment.empty()) f.treatment = "none";
        if (!ParseTreatment(f.treatment)) {
          r.Fail("treatment", "must be none, reduce, accept, avoid or share");
        }
        f.owner_id = r.OptText("owner", 200);
        is.rows.push_back(std::move(f));
      }
    }
    out.push_back(std::move(is));
  }
  return out;
}

void WriteImportedSnapshots(db::Tx& tx, std::string_view analysis_id,
                            std::vector<ImportedSnapshot>& snapshots,
                            std::unordered_map<std::string, std::string> new_ids, Millis now) {
  auto id_for = [&](const std::string& file_id) -> const std::string& {
    auto it = new_ids.find(file_id);
    if (it == new_ids.end()) it = new_ids.emplace(file_id, crypto::NewUuid()).first;
    return it->second;
  };
  std::map<std::string, std::optional<std::string>> people;
  auto person = [&](const std::optional<std::string>& username) -> std::optional<std::string> {
    if (!username) return std::nullopt;
    auto it = people.find(*username);
    if (it == people.end()) {
      auto u = identity::FindByName(tx, *username);
      it = people.emplace(*username, u ? std::optional<std::string>(u->id) : std::nullopt).first;
    }
    return it->second;
  };
  constexpr std::size_t kBatch = 500;  // rows per INSERT: well under both engines' limits
  for (auto& is : snapshots) {
    Snapshot& s = is.snapshot;
    s.id = crypto::NewUuid();
    s.analysis_id = std::string(analysis_id);
    s.taken_by = person(s.taken_by);
    const std::string doc = is.document.dump();
    s.document_sha256 = files::Put(tx, doc, "application/json", now).file.sha256;
    s.counts = {};
    s.counts.scenarios = static_cast<std::int64_t>(is.rows.size());
    if (is.document.contains("assets") && is.document["assets"].is_array()) {
      s.counts.assets = static_cast<std::int64_t>(is.document["assets"].size());
    }
    for (const auto& f : is.rows) {
      s.counts.current.Add(f.current_level);
      s.counts.residual.Add(f.residual_level);
    }
    InsertSnapshotRow(tx, s);
    for (std::size_t first = 0; first < is.rows.size(); first += kBatch) {
      const std::size_t last = std::min(is.rows.size(), first + kBatch);
      std::string sql = "INSERT INTO risk_snapshot_rows (snapshot_id, " +
                        std::string(kFigureColumns) + ") VALUES ";
      db::Params p;
      p.reserve((last - first) * (kFigureWidth + 1));
      for (std::size_t k = first; k < last; ++k) {
        const auto& f = is.rows[k];
        sql += k == first ? "(" : ", (";
        for (std::size_t c = 0; c <= kFigureWidth; ++c) {
          sql += (c ? ", $" : "$") + std::to_string(p.size() + c + 1);
        }
        sql += ")";
        p.emplace_back(s.id);
        p.emplace_back(id_for(f.scenario_id));
        p.emplace_back(id_for(f.asset_id));
        p.emplace_back(f.asset_name);
        p.emplace_back(id_for(f.threat_id));
        p.emplace_back(f.threat_urn);
        p.emplace_back(f.threat_name);
        p.emplace_back(id_for(f.vulnerability_id));
        p.emplace_back(f.vulnerability_urn);
        p.emplace_back(f.vulnerability_name);
        p.emplace_back(f.current);
        p.emplace_back(f.current_level);
        p.emplace_back(f.residual);
        p.emplace_back(f.residual_level);
        p.emplace_back(f.treatment);
        p.emplace_back(person(f.owner_id));
      }
      tx.Exec(sql, p);
    }
  }
}

}  // namespace rampart::risk
