#include "risk/summary.h"

#include <algorithm>
#include <map>
#include <set>

#include "platform/json_writer.h"
#include "risk/catalogue.h"
#include "risk/rules.h"
#include "risk/snapshots.h"
#include "risk/store.h"

namespace rampart::risk {

std::string Trend(bool have_snapshot, const std::optional<std::int64_t>& before, std::int64_t now) {
  if (!have_snapshot) return "";
  if (!before) return "new";
  if (now > *before) return "up";
  if (now < *before) return "down";
  return "same";
}

std::vector<std::string> DreadedConsequences(const Settings& settings,
                                             const std::vector<Rating>& ratings,
                                             const std::optional<Criterion>& criterion) {
  auto on = [&](const Rating& r) { return !criterion || r.criterion == *criterion; };
  bool any_on_criterion = false;
  for (const auto& r : ratings) any_on_criterion = any_on_criterion || on(r);
  int best = -1;
  for (const auto& r : ratings) {
    if (!any_on_criterion || on(r)) best = std::max(best, r.value);
  }
  if (best < 0) return {};
  std::set<std::string> top;
  for (const auto& r : ratings) {
    if ((!any_on_criterion || on(r)) && r.value == best) top.insert(r.consequence);
  }
  std::vector<std::string> out;
  for (const auto& c : settings.consequences) {
    if (top.erase(c.key) > 0) out.push_back(c.key);
  }
  for (const auto& c : top) out.push_back(c);  // a type no longer in the settings: still shown
  return out;
}

namespace {

// The criterion that drives a scenario's risk: the highest of its per-criterion risks; without
// those (methods that do not score per criterion), the asset's most impacted criterion.
std::optional<Criterion> DrivingCriterion(const Scenario& s, const Asset& asset) {
  std::optional<Criterion> out;
  std::int64_t best = -1;
  for (Criterion c : kAllCriteria) {
    const auto& v = s.score.by_criterion[static_cast<std::size_t>(c)];
    if (v && *v > best) {
      best = *v;
      out = c;
    }
  }
  if (out) return out;
  for (Criterion c : kAllCriteria) {
    const auto& v = asset.impact[static_cast<std::size_t>(c)];
    if (v && *v > best) {
      best = *v;
      out = c;
    }
  }
  return out;
}

// The ratings that say what losing an asset means: its own for a primary asset; for a supporting
// asset, those of the primary assets that depend on it, directly or not (where its criticality
// is inherited from). The dependency graph and the primary assets' ratings are read once, in two
// queries, on first use: a walk up the graph then costs no query per asset.
class RatingsBehind {
 public:
  RatingsBehind(db::Tx& tx, const Analysis& an) : tx_(tx), an_(an) {}

  std::vector<Rating> Of(const Asset& asset) {
    if (IsPrimary(asset.type)) return asset.ratings;
    Load();
    std::vector<Rating> out;
    std::set<std::string> seen{asset.id};
    std::vector<std::string> queue{asset.id};
    while (!queue.empty()) {
      const std::string id = queue.back();
      queue.pop_back();
      auto it = dependents_.find(id);
      if (it == dependents_.end()) continue;
      for (const auto& up : it->second) {
        if (!seen.insert(up).second) continue;
        if (auto r = ratings_.find(up); r != ratings_.end()) {
          out.insert(out.end(), r->second.begin(), r->second.end());
        }
        queue.push_back(up);
      }
    }
    return out;
  }

 private:
  void Load() {
    if (loaded_) return;
    loaded_ = true;
    for (const auto& r :
         tx_.Query("SELECT asset_id, depends_on_id FROM risk_dependencies WHERE analysis_id = $1",
                   {an_.id})) {
      dependents_[r.Text(1)].push_back(r.Text(0));
    }
    for (const auto& r :
         tx_.Query("SELECT id, ratings FROM risk_assets WHERE analysis_id = $1 AND type IN "
                   "('business_process', 'information')",
                   {an_.id})) {
      ratings_[r.Text(0)] = ParseRatings(r.Text(1));
    }
  }

  db::Tx& tx_;
  const Analysis& an_;
  bool loaded_ = false;
  std::map<std::string, std::vector<std::string>> dependents_;  // asset → assets depending on it
  std::map<std::string, std::vector<Rating>> ratings_;          // primary asset → its ratings
};

struct ActionCounts {
  std::int64_t open = 0;
  std::int64_t overdue = 0;
  std::int64_t done = 0;
};

// Open means not yet done nor cancelled (open or in progress); overdue, open past its due date.
constexpr std::string_view kActionSums =
    "SELECT sum(CASE WHEN status IN ('open', 'in_progress') THEN 1 ELSE 0 END), "
    "sum(CASE WHEN status IN ('open', 'in_progress') AND due_at IS NOT NULL AND due_at < $2 "
    "THEN 1 ELSE 0 END), sum(CASE WHEN status = 'done' THEN 1 ELSE 0 END) "
    "FROM risk_recommendations ";

ActionCounts ActionsOf(db::Tx& tx, std::string_view column, std::string_view id, Millis now) {
  auto r =
      tx.QueryOne(std::string(kActionSums) + "WHERE " + std::string(column) + " = $1", {id, now});
  if (!r) return {};
  return {r->Int(0), r->Int(1), r->Int(2)};
}

struct AcceptanceCounts {
  std::int64_t current = 0;
  std::int64_t stale = 0;
};

// Each accepted scenario's latest acceptance, current or stale, in two queries.
AcceptanceCounts AcceptancesOfAnalysis(db::Tx& tx, std::string_view analysis_id) {
  std::map<std::string, std::string> digest;  // scenario → its latest acceptance's digest
  for (const auto& r :
       tx.Query("SELECT scenario_id, digest FROM risk_acceptances WHERE analysis_id = $1 "
                "ORDER BY scenario_id, accepted_at, id",
                {analysis_id})) {
    digest[r.Text(0)] = r.Text(1);
  }
  AcceptanceCounts out;
  if (digest.empty()) return out;
  auto risk = [](std::int64_t v) { return v < 0 ? std::nullopt : std::optional<std::int64_t>(v); };
  auto opt_int = [](const db::Row& r, std::size_t i) {
    return r.IsNull(i) ? std::nullopt : std::optional<int>(static_cast<int>(r.Int(i)));
  };
  for (const auto& r :
       tx.Query("SELECT s.id, a.name, t.urn, v.urn, s.probability, s.residual_probability, "
                "s.reduction, s.controls_in_place, s.treatment, s.owner_id, s.planned_controls, "
                "s.current_risk, s.residual_risk, s.residual_level FROM risk_scenarios s "
                "JOIN risk_assets a ON a.id = s.asset_id JOIN risk_threats t ON t.id = s.threat_id "
                "JOIN risk_vulnerabilities v ON v.id = s.vulnerability_id WHERE s.analysis_id = $1 "
                "AND s.id IN (SELECT scenario_id FROM risk_acceptances WHERE analysis_id = $1)",
                {analysis_id})) {
    ScenarioView v;
    v.scenario.id = r.Text(0);
    v.asset_name = r.Text(1);
    v.threat_urn = r.Text(2);
    v.vulnerability_urn = r.Text(3);
    v.scenario.probability = opt_int(r, 4);
    v.scenario.residual_probability = opt_int(r, 5);
    v.scenario.reduction = static_cast<int>(r.Int(6));
    v.scenario.controls_in_place = r.Text(7);
    v.scenario.treatment = ParseTreatment(r.Text(8)).value_or(Treatment::kNone);
    v.scenario.owner_id = r.OptText(9);
    v.scenario.planned_controls = r.Text(10);
    v.scenario.score.current = risk(r.Int(11));
    v.scenario.score.residual = risk(r.Int(12));
    v.scenario.score.residual_level = r.Text(13);
    // StateOf is the store's own definition of what an acceptance covers.
    if (IsStale(digest[v.scenario.id], StateOf(v))) {
      ++out.stale;
    } else {
      ++out.current;
    }
  }
  return out;
}

void WriteNamed(JsonWriter& w, std::string_view id, std::string_view name) {
  w.BeginObject().KeyString("id", id).KeyString("name", name).EndObject();
}

}  // namespace

std::string SummaryJson(db::Tx& tx, const Analysis& an, int top, Millis now) {
  JsonWriter w;
  w.BeginObject().Key("organisation");
  {
    auto org =
        tx.QueryOne("SELECT id, name FROM organisations WHERE id = $1", {an.organisation_id});
    WriteNamed(w, an.organisation_id, org ? org->Text(1) : "");
  }
  w.Key("analysis")
      .BeginObject()
      .KeyString("id", an.id)
      .KeyString("name", an.name)
      .KeyString("method", Name(an.settings.method))
      .EndObject()
      .KeyTime("generated_at", now)
      .Key("levels");
  LevelTally current, residual;
  std::int64_t unscored = 0;
  for (const auto& c : LevelCounts(tx, an.id)) {
    if (c.level.empty()) unscored = c.current;
    current.low += c.level == "low" ? c.current : 0;
    current.medium += c.level == "medium" ? c.current : 0;
    current.high += c.level == "high" ? c.current : 0;
    residual.low += c.level == "low" ? c.residual : 0;
    residual.medium += c.level == "medium" ? c.residual : 0;
    residual.high += c.level == "high" ? c.residual : 0;
  }
  w.BeginObject().Key("current");
  WriteLevelTally(w, current);
  w.Key("residual");
  WriteLevelTally(w, residual);
  w.KeyInt("unscored", unscored).EndObject();

  const auto last = LatestSnapshot(tx, an.id);
  std::map<std::string, std::string> people;
  auto person_name = [&](const std::string& id) -> const std::string& {
    auto it = people.find(id);
    if (it == people.end()) {
      auto r = tx.QueryOne("SELECT display_name FROM users WHERE id = $1", {id});
      it = people.emplace(id, r ? r->Text(0) : "").first;
    }
    return it->second;
  };
  RatingsBehind behind(tx, an);
  w.Key("top").BeginArray();
  for (const auto& v : ListRegister(tx, an.id, RegisterFilter{}, std::nullopt, top)) {
    const Scenario& s = v.scenario;
    if (!s.score.current) continue;  // unscored scenarios sort last; they are not top risks
    const auto asset = FindAsset(tx, an.id, s.asset_id);
    if (!asset) continue;
    const auto criterion = DrivingCriterion(s, *asset);
    w.BeginObject()
        .KeyString("scenario_id", s.id)
        .Key("asset")
        .BeginObject()
        .KeyString("id", asset->id)
        .KeyString("name", asset->name)
        .KeyString("type", Name(asset->type))
        .EndObject()
        .Key("threat");
    WriteNamed(w, s.threat_id, v.threat_name);
    w.Key("vulnerability");
    WriteNamed(w, s.vulnerability_id, v.vulnerability_name);
    w.Key("consequences").BeginArray();
    for (const auto& c : DreadedConsequences(an.settings, behind.Of(*asset), criterion)) {
      w.String(c);
    }
    w.EndArray()
        .KeyOptString("criterion",
                      criterion ? std::optional<std::string>(Name(*criterion)) : std::nullopt)
        .KeyInt("current", *s.score.current)
        .KeyOptInt("residual", s.score.residual)
        .KeyString("level", s.score.current_level)
        .KeyOptString("residual_level", s.score.residual_level.empty()
                                            ? std::nullopt
                                            : std::optional<std::string>(s.score.residual_level))
        .Key("owner");
    if (s.owner_id) {
      WriteNamed(w, *s.owner_id, person_name(*s.owner_id));
    } else {
      w.Null();
    }
    const auto actions = ActionsOf(tx, "scenario_id", s.id, now);
    w.KeyOptString("treatment", s.treatment == Treatment::kNone
                                    ? std::nullopt
                                    : std::optional<std::string>(Name(s.treatment)))
        .Key("actions")
        .BeginObject()
        .KeyInt("open", actions.open)
        .KeyInt("overdue", actions.overdue)
        .EndObject()
        .KeyBool("accepted", v.acceptance.has_value())
        .KeyBool("acceptance_stale", v.acceptance_stale);
    std::optional<std::int64_t> before;
    if (last) {
      if (auto f = SnapshotFigure(tx, last->id, s.id)) before = f->current;
    }
    const auto trend = Trend(last.has_value(), before, *s.score.current);
    w.KeyOptString("trend", trend.empty() ? std::nullopt : std::optional<std::string>(trend))
        .EndObject();
  }
  w.EndArray();
  const auto actions = ActionsOf(tx, "analysis_id", an.id, now);
  w.Key("actions")
      .BeginObject()
      .KeyInt("open", actions.open)
      .KeyInt("overdue", actions.overdue)
      .KeyInt("done", actions.done)
      .EndObject();
  const auto acceptances = AcceptancesOfAnalysis(tx, an.id);
  w.Key("acceptances")
      .BeginObject()
      .KeyInt("current", acceptances.current)
      .KeyInt("stale", acceptances.stale)
      .EndObject()
      .Key("last_snapshot");
  if (last) {
    WriteSnapshot(w, *last);
  } else {
    w.Null();
  }
  w.EndObject();
  return std::move(w).Take();
}

}  // namespace rampart::risk
