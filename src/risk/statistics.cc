#include "risk/statistics.h"

#include <algorithm>
#include <cstdio>
#include <map>

#include "platform/json_writer.h"
#include "risk/catalogue.h"
#include "risk/snapshots.h"

namespace rampart::risk {

bool SharesStatistics(db::Tx& tx, std::string_view analysis_id) {
  auto r = tx.QueryOne("SELECT share_statistics FROM risk_analyses WHERE id = $1", {analysis_id});
  return r && r->Bool(0);
}

void SetShareStatistics(db::Tx& tx, std::string_view analysis_id, bool share) {
  tx.Exec("UPDATE risk_analyses SET share_statistics = $1 WHERE id = $2", {share, analysis_id});
}

std::optional<std::string> Average(std::int64_t sum, std::int64_t count) {
  if (count <= 0) return std::nullopt;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", static_cast<double>(sum) / static_cast<double>(count));
  return std::string(buf);
}

namespace {

// The analyses that count, each once per sector of its organisation. Joined into every query
// below so that all figures describe the same set.
constexpr std::string_view kContributing =
    "FROM risk_analyses a JOIN organisations o ON o.id = a.organisation_id "
    "JOIN organisation_sectors os ON os.organisation_id = o.id "
    "WHERE a.is_current = 1 AND a.share_statistics = 1 "
    "AND o.kind IN ('operator', 'government')";

struct CatalogueFigure {
  std::int64_t scenarios = 0;
  std::int64_t organisations = 0;
  std::int64_t current_sum = 0, current_n = 0;
  std::int64_t residual_sum = 0, residual_n = 0;
};

struct SectorFigures {
  std::string id, name;
  std::int64_t organisations = 0;
  LevelTally current, residual;
  std::map<std::string, CatalogueFigure> threats;          // by URN
  std::map<std::string, CatalogueFigure> vulnerabilities;  // by URN
};

// Per sector and catalogue URN of `table` (risk_threats or risk_vulnerabilities, joined on
// `column`): scenarios, organisations, and the sums and counts of scored risks.
void ReadCatalogueFigures(db::Tx& tx, std::string_view table, std::string_view column,
                          const std::string& sector_filter, const db::Params& params,
                          std::map<std::string, SectorFigures>& sectors,
                          std::map<std::string, CatalogueFigure> SectorFigures::*member) {
  std::string q =
      "SELECT os.sector_id, x.urn, count(*), count(DISTINCT a.organisation_id), "
      "sum(CASE WHEN s.current_risk >= 0 THEN s.current_risk ELSE 0 END), "
      "sum(CASE WHEN s.current_risk >= 0 THEN 1 ELSE 0 END), "
      "sum(CASE WHEN s.residual_risk >= 0 THEN s.residual_risk ELSE 0 END), "
      "sum(CASE WHEN s.residual_risk >= 0 THEN 1 ELSE 0 END) "
      "FROM risk_scenarios s JOIN " +
      std::string(table) + " x ON x.id = s." + std::string(column) +
      " JOIN risk_analyses a ON a.id = s.analysis_id "
      "JOIN organisations o ON o.id = a.organisation_id "
      "JOIN organisation_sectors os ON os.organisation_id = o.id "
      "WHERE a.is_current = 1 AND a.share_statistics = 1 "
      "AND o.kind IN ('operator', 'government') AND x.custom = 0" +
      sector_filter + " GROUP BY os.sector_id, x.urn";
  for (const auto& r : tx.Query(q, params)) {
    auto it = sectors.find(r.Text(0));
    if (it == sectors.end()) continue;
    CatalogueFigure& f = (it->second.*member)[r.Text(1)];
    f.scenarios = r.Int(2);
    f.organisations = r.Int(3);
    f.current_sum = r.Int(4);
    f.current_n = r.Int(5);
    f.residual_sum = r.Int(6);
    f.residual_n = r.Int(7);
  }
}

void WriteAverage(JsonWriter& w, std::string_view key, std::int64_t sum, std::int64_t n) {
  auto v = Average(sum, n);
  w.Key(key);
  if (v) {
    w.Raw(*v);
  } else {
    w.Null();
  }
}

}  // namespace

std::string StatisticsJson(db::Tx& tx, const StatisticsRequest& req, Millis now) {
  std::map<std::string, SectorFigures> sectors;
  db::Params params;
  std::string sector_filter;
  if (req.sector_id) {
    params.emplace_back(*req.sector_id);
    sector_filter = " AND os.sector_id = $1";
  }
  for (const auto& r : tx.Query(
           std::string("SELECT id, name FROM sectors") + (req.sector_id ? " WHERE id = $1" : ""),
           params)) {
    auto& s = sectors[r.Text(0)];
    s.id = r.Text(0);
    s.name = r.Text(1);
  }
  for (const auto& r :
       tx.Query("SELECT os.sector_id, count(DISTINCT a.organisation_id) " +
                    std::string(kContributing) + sector_filter + " GROUP BY os.sector_id",
                params)) {
    if (auto it = sectors.find(r.Text(0)); it != sectors.end()) {
      it->second.organisations = r.Int(1);
    }
  }
  const std::string scenarios_of =
      " FROM risk_scenarios s JOIN risk_analyses a ON a.id = s.analysis_id "
      "JOIN organisations o ON o.id = a.organisation_id "
      "JOIN organisation_sectors os ON os.organisation_id = o.id "
      "WHERE a.is_current = 1 AND a.share_statistics = 1 "
      "AND o.kind IN ('operator', 'government')" +
      sector_filter;
  for (const auto& r : tx.Query("SELECT os.sector_id, s.current_level, count(*)" + scenarios_of +
                                    " GROUP BY os.sector_id, s.current_level",
                                params)) {
    if (auto it = sectors.find(r.Text(0)); it != sectors.end()) {
      const std::string level = r.Text(1);
      const std::int64_t n = r.Int(2);
      if (level == "low") it->second.current.low += n;
      if (level == "medium") it->second.current.medium += n;
      if (level == "high") it->second.current.high += n;
    }
  }
  for (const auto& r : tx.Query("SELECT os.sector_id, s.residual_level, count(*)" + scenarios_of +
                                    " GROUP BY os.sector_id, s.residual_level",
                                params)) {
    if (auto it = sectors.find(r.Text(0)); it != sectors.end()) {
      const std::string level = r.Text(1);
      const std::int64_t n = r.Int(2);
      if (level == "low") it->second.residual.low += n;
      if (level == "medium") it->second.residual.medium += n;
      if (level == "high") it->second.residual.high += n;
    }
  }
  ReadCatalogueFigures(tx, "risk_threats", "threat_id", sector_filter, params, sectors,
                       &SectorFigures::threats);
  ReadCatalogueFigures(tx, "risk_vulnerabilities", "vulnerability_id", sector_filter, params,
                       sectors, &SectorFigures::vulnerabilities);

  // Sectors by name.
  std::vector<const SectorFigures*> order;
  for (const auto& [id, s] : sectors) order.push_back(&s);
  std::sort(order.begin(), order.end(),
            [](const SectorFigures* a, const SectorFigures* b) { return a->name < b->name; });

  const auto& catalogue = Catalogue::BuiltIn();
  const std::int64_t min = req.min_cell_organisations;
  auto small = [&](std::int64_t organisations) {
    return req.suppress_small_cells && organisations < min;
  };
  JsonWriter w;
  w.BeginObject()
      .KeyTime("generated_at", now)
      .KeyInt("min_cell_organisations", min)
      .KeyBool("suppression", req.suppress_small_cells)
      .Key("sectors")
      .BeginArray();
  auto write_list = [&](const std::map<std::string, CatalogueFigure>& list, bool threats) {
    w.BeginArray();
    for (const auto& [urn, f] : list) {
      std::string name;
      if (threats) {
        const auto* t = catalogue.FindThreat(urn);
        if (t == nullptr) continue;  // not a catalogue URN: never shown
        name = t->name;
      } else {
        const auto* v = catalogue.FindVulnerability(urn);
        if (v == nullptr) continue;
        name = v->name;
      }
      w.BeginObject().KeyString("urn", urn).KeyString("name", name);
      if (small(f.organisations)) {
        w.KeyBool("suppressed", true)
            .KeyNull("scenarios")
            .KeyNull("organisations")
            .KeyNull("average_current")
            .KeyNull("average_residual");
      } else {
        w.KeyBool("suppressed", false)
            .KeyInt("scenarios", f.scenarios)
            .KeyInt("organisations", f.organisations);
        WriteAverage(w, "average_current", f.current_sum, f.current_n);
        WriteAverage(w, "average_residual", f.residual_sum, f.residual_n);
      }
      w.EndObject();
    }
    w.EndArray();
  };
  for (const SectorFigures* s : order) {
    w.BeginObject()
        .Key("sector")
        .BeginObject()
        .KeyString("id", s->id)
        .KeyString("name", s->name)
        .EndObject();
    if (small(s->organisations)) {
      // Too few organisations to show anything of the sector, not even how few.
      w.KeyBool("suppressed", true)
          .KeyNull("organisations")
          .KeyNull("current")
          .KeyNull("residual")
          .Key("threats")
          .BeginArray()
          .EndArray()
          .Key("vulnerabilities")
          .BeginArray()
          .EndArray();
    } else {
      w.KeyBool("suppressed", false).KeyInt("organisations", s->organisations).Key("current");
      WriteLevelTally(w, s->current);
      w.Key("residual");
      WriteLevelTally(w, s->residual);
      w.Key("threats");
      write_list(s->threats, true);
      w.Key("vulnerabilities");
      write_list(s->vulnerabilities, false);
    }
    w.EndObject();
  }
  w.EndArray().EndObject();
  return std::move(w).Take();
}

}  // namespace rampart::risk
