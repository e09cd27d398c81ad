#include "risk/rules.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "platform/crypto.h"

namespace rampart::risk {

using nlohmann::json;

// ---- names ----

std::string_view Name(Criterion c) {
  switch (c) {
    case Criterion::kConfidentiality:
      return "confidentiality";
    case Criterion::kIntegrity:
      return "integrity";
    case Criterion::kAvailability:
      return "availability";
    case Criterion::kAuthenticity:
      return "authenticity";
  }
  return "";
}

std::optional<Criterion> ParseCriterion(std::string_view name) {
  for (Criterion c : kAllCriteria) {
    if (Name(c) == name) return c;
  }
  return std::nullopt;
}

std::string_view Name(Method m) {
  switch (m) {
    case Method::kItv:
      return "itv";
    case Method::kMatrix:
      return "matrix";
    case Method::kOperational:
      return "operational";
  }
  return "";
}

std::optional<Method> ParseMethod(std::string_view name) {
  for (Method m : {Method::kItv, Method::kMatrix, Method::kOperational}) {
    if (Name(m) == name) return m;
  }
  return std::nullopt;
}

std::string_view Name(Treatment t) {
  switch (t) {
    case Treatment::kNone:
      return "none";
    case Treatment::kReduce:
      return "reduce";
    case Treatment::kAccept:
      return "accept";
    case Treatment::kAvoid:
      return "avoid";
    case Treatment::kShare:
      return "share";
  }
  return "";
}

std::optional<Treatment> ParseTreatment(std::string_view name) {
  for (Treatment t : {Treatment::kNone, Treatment::kReduce, Treatment::kAccept, Treatment::kAvoid,
                      Treatment::kShare}) {
    if (Name(t) == name) return t;
  }
  return std::nullopt;
}

std::string_view Name(RecommendationStatus s) {
  switch (s) {
    case RecommendationStatus::kOpen:
      return "open";
    case RecommendationStatus::kInProgress:
      return "in_progress";
    case RecommendationStatus::kDone:
      return "done";
    case RecommendationStatus::kCancelled:
      return "cancelled";
  }
  return "";
}

std::optional<RecommendationStatus> ParseRecommendationStatus(std::string_view name) {
  for (auto s : {RecommendationStatus::kOpen, RecommendationStatus::kInProgress,
                 RecommendationStatus::kDone, RecommendationStatus::kCancelled}) {
    if (Name(s) == name) return s;
  }
  return std::nullopt;
}

// ---- settings ----

namespace {

Scale MakeScale(int min, std::vector<std::string> labels) {
  return {min, min + static_cast<int>(labels.size()) - 1, std::move(labels)};
}

bool IsSlug(std::string_view s) {
  if (s.empty() || s.size() > 40) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

constexpr int kScaleLimit = 100;  // the largest value any scale may reach

}  // namespace

Settings DefaultSettings(Method method) {
  Settings s;
  s.method = method;
  s.method_version = kMethodVersion;
  s.impact = MakeScale(0, {"None", "Limited", "Significant", "Serious", "Critical"});
  s.likelihood = MakeScale(0, {"Not expected", "Rare", "Possible", "Likely", "Almost certain"});
  s.vulnerability = MakeScale(
      1, {"Very hard to exploit", "Hard to exploit", "Exploitable", "Easy to exploit", "Trivial"});
  s.probability = MakeScale(1, {"Rare", "Unlikely", "Possible", "Likely", "Almost certain"});
  s.consequences = {{"reputation", "Reputation"},
                    {"operations", "Operations"},
                    {"legal", "Legal and regulatory"},
                    {"financial", "Financial"},
                    {"persons", "Persons"}};
  s.thresholds = DefaultThresholds(s);
  s.matrix = DefaultMatrix(s);
  return s;
}

std::int64_t MaxRisk(const Settings& s) {
  const std::int64_t i = s.impact.max;
  switch (s.method) {
    case Method::kItv:
      return i * s.likelihood.max * s.vulnerability.max;
    case Method::kMatrix:
    case Method::kOperational:
      return i * s.probability.max;
  }
  return 0;
}

Thresholds DefaultThresholds(const Settings& s) {
  const std::int64_t max = std::max<std::int64_t>(MaxRisk(s), 2);
  Thresholds t;
  t.low_max = std::max<std::int64_t>(max / 4, 1);
  t.medium_max = std::max<std::int64_t>(max * 5 / 8, t.low_max + 1);
  return t;
}

Matrix DefaultMatrix(const Settings& s) {
  Matrix m;
  m.levels = {"low", "medium", "high"};
  const int rows = std::max(s.probability.Levels(), 1);
  const int cols = std::max(s.impact.Levels(), 1);
  // The share of the largest product decides: low up to a third, medium up to two thirds.
  const double largest = static_cast<double>(rows) * cols;
  for (int p = 0; p < rows; ++p) {
    std::vector<int> row;
    for (int i = 0; i < cols; ++i) {
      const double share = (p + 1.0) * (i + 1.0) / largest;
      row.push_back(share <= 1.0 / 3 ? 0 : share <= 2.0 / 3 ? 1 : 2);
    }
    m.cells.push_back(std::move(row));
  }
  return m;
}

CriteriaFlags EnabledCriteria(const Settings& s) { return {true, true, true, s.authenticity}; }

std::vector<FieldError> CheckSettings(const Settings& s, const std::string& prefix) {
  std::vector<FieldError> errors;
  auto check_scale = [&](const Scale& sc, std::string_view name) {
    const std::string at = prefix + "/" + std::string(name);
    if (sc.min < 0 || sc.min > kScaleLimit) {
      errors.push_back({at + "/min", "must be from 0 to " + std::to_string(kScaleLimit)});
    }
    if (sc.max <= sc.min || sc.max > kScaleLimit) {
      errors.push_back(
          {at + "/max", "must be above min and at most " + std::to_string(kScaleLimit)});
    } else if (!sc.labels.empty() && static_cast<int>(sc.labels.size()) != sc.Levels()) {
      errors.push_back({at + "/labels", "must give one label for each of the " +
                                            std::to_string(sc.Levels()) + " levels"});
    }
    for (std::size_t k = 0; k < sc.labels.size(); ++k) {
      if (sc.labels[k].empty() || sc.labels[k].size() > 100) {
        errors.push_back({at + "/labels/" + std::to_string(k), "must be 1 to 100 characters"});
      }
    }
  };
  check_scale(s.impact, "impact");
  check_scale(s.likelihood, "likelihood");
  check_scale(s.vulnerability, "vulnerability");
  check_scale(s.probability, "probability");
  if (s.method_version < 1 || s.method_version > kMethodVersion) {
    errors.push_back({prefix + "/method_version", "must be a version this server knows (1 to " +
                                                      std::to_string(kMethodVersion) + ")"});
  }
  if (s.thresholds.low_max < 0) {
    errors.push_back({prefix + "/thresholds/low_max", "must be 0 or more"});
  }
  if (s.thresholds.medium_max <= s.thresholds.low_max) {
    errors.push_back({prefix + "/thresholds/medium_max", "must be above low_max"});
  }
  if (s.consequences.empty() || s.consequences.size() > 20) {
    errors.push_back({prefix + "/consequences", "must list 1 to 20 consequence types"});
  }
  std::set<std::string, std::less<>> keys;
  for (std::size_t k = 0; k < s.consequences.size(); ++k) {
    const auto& c = s.consequences[k];
    const std::string at = prefix + "/consequences/" + std::to_string(k);
    if (!IsSlug(c.key)) {
      errors.push_back({at + "/key", "must be 1 to 40 lower-case letters, digits, '_' or '-'"});
    } else if (!keys.insert(c.key).second) {
      errors.push_back({at + "/key", "is listed twice: " + c.key});
    }
    if (c.name.empty() || c.name.size() > 100) {
      errors.push_back({at + "/name", "must be 1 to 100 characters"});
    }
  }
  if (s.method == Method::kMatrix) {
    const auto& m = s.matrix;
    const std::string at = prefix + "/matrix";
    if (m.levels.size() < 2 || m.levels.size() > 10) {
      errors.push_back({at + "/levels", "must name 2 to 10 levels, least serious first"});
    }
    for (std::size_t k = 0; k < m.levels.size(); ++k) {
      if (m.levels[k].empty() || m.levels[k].size() > 40) {
        errors.push_back({at + "/levels/" + std::to_string(k), "must be 1 to 40 characters"});
      }
    }
    if (static_cast<int>(m.cells.size()) != s.probability.Levels()) {
      errors.push_back({at + "/cells", "must have one row per probability level (" +
                                           std::to_string(s.probability.Levels()) + ")"});
    } else {
      for (std::size_t p = 0; p < m.cells.size(); ++p) {
        const std::string row_at = at + "/cells/" + std::to_string(p);
        if (static_cast<int>(m.cells[p].size()) != s.impact.Levels()) {
          errors.push_back({row_at, "must have one cell per impact level (" +
                                        std::to_string(s.impact.Levels()) + ")"});
          continue;
        }
        for (std::size_t i = 0; i < m.cells[p].size(); ++i) {
          const int v = m.cells[p][i];
          if (v < 0 || v >= static_cast<int>(m.levels.size())) {
            errors.push_back({row_at + "/" + std::to_string(i), "must be the index of a level"});
          }
        }
      }
    }
  }
  return errors;
}

void WriteSettings(JsonWriter& w, const Settings& s) {
  auto scale = [&](std::string_view key, const Scale& sc) {
    w.Key(key).BeginObject().KeyInt("min", sc.min).KeyInt("max", sc.max).Key("labels").BeginArray();
    for (const auto& l : sc.labels) w.String(l);
    w.EndArray().EndObject();
  };
  w.BeginObject().KeyString("method", Name(s.method)).KeyInt("method_version", s.method_version);
  scale("impact", s.impact);
  scale("likelihood", s.likelihood);
  scale("vulnerability", s.vulnerability);
  scale("probability", s.probability);
  w.Key("thresholds")
      .BeginObject()
      .KeyInt("low_max", s.thresholds.low_max)
      .KeyInt("medium_max", s.thresholds.medium_max)
      .EndObject()
      .Key("criteria")
      .BeginObject()
      .KeyBool("authenticity", s.authenticity)
      .EndObject()
      .Key("consequences")
      .BeginArray();
  for (const auto& c : s.consequences) {
    w.BeginObject().KeyString("key", c.key).KeyString("name", c.name).EndObject();
  }
  w.EndArray().Key("matrix").BeginObject().Key("levels").BeginArray();
  for (const auto& l : s.matrix.levels) w.String(l);
  w.EndArray().Key("cells").BeginArray();
  for (const auto& row : s.matrix.cells) {
    w.BeginArray();
    for (int v : row) w.Int(v);
    w.EndArray();
  }
  w.EndArray().EndObject().EndObject();
}

namespace {

class Reader {
 public:
  Reader(std::vector<FieldError>& errors) : errors_(errors) {}  // NOLINT

  void Int(const json& j, std::string_view key, int& out, const std::string& at, int min, int max) {
    if (!j.contains(key)) return;
    const auto& v = j.at(std::string(key));
    if (!v.is_number_integer() || v.get<std::int64_t>() < min || v.get<std::int64_t>() > max) {
      Fail(at + "/" + std::string(key),
           "must be a whole number from " + std::to_string(min) + " to " + std::to_string(max));
      return;
    }
    out = v.get<int>();
  }
  void Int64(const json& j, std::string_view key, std::int64_t& out, const std::string& at) {
    if (!j.contains(key)) return;
    const auto& v = j.at(std::string(key));
    if (!v.is_number_integer() || v.get<std::int64_t>() < 0 ||
        v.get<std::int64_t>() > 1'000'000'000) {
      Fail(at + "/" + std::string(key), "must be a whole number from 0 to 1000000000");
      return;
    }
    out = v.get<std::int64_t>();
  }
  bool Object(const json& j, const std::string& at) {
    if (!j.is_object()) {
      Fail(at, "must be an object");
      return false;
    }
    return true;
  }
  void Strings(const json& j, std::string_view key, std::vector<std::string>& out,
               const std::string& at) {
    if (!j.contains(key)) return;
    const auto& v = j.at(std::string(key));
    if (!v.is_array() || v.size() > 101) {
      Fail(at + "/" + std::string(key), "must be an array of up to 101 texts");
      return;
    }
    std::vector<std::string> got;
    for (std::size_t k = 0; k < v.size(); ++k) {
      if (!v[k].is_string()) {
        Fail(at + "/" + std::string(key) + "/" + std::to_string(k), "must be a text");
        return;
      }
      got.push_back(v[k].get<std::string>());
    }
    out = std::move(got);
  }
  void Known(const json& j, std::initializer_list<std::string_view> keys, const std::string& at) {
    for (const auto& [k, v] : j.items()) {
      if (std::find(keys.begin(), keys.end(), k) == keys.end()) {
        Fail(at + "/" + k, "is not a field of this object");
      }
    }
  }
  void Fail(std::string field, std::string message) {
    errors_.push_back({std::move(field), std::move(message)});
  }

 private:
  std::vector<FieldError>& errors_;
};

}  // namespace

Settings ReadSettings(const json& j, const Settings& base, std::vector<FieldError>& errors,
                      const std::string& prefix) {
  Settings s = base;
  Reader r(errors);
  if (!r.Object(j, prefix)) return s;
  r.Known(j,
          {"method", "method_version", "impact", "likelihood", "vulnerability", "probability",
           "thresholds", "criteria", "consequences", "matrix"},
          prefix);
  if (j.contains("method")) {
    auto m = j["method"].is_string() ? ParseMethod(j["method"].get<std::string>()) : std::nullopt;
    if (!m) {
      r.Fail(prefix + "/method", "must be one of itv, matrix, operational");
    } else {
      s.method = *m;
    }
  }
  r.Int(j, "method_version", s.method_version, prefix, 1, 1000);
  auto scale = [&](std::string_view key, Scale& sc) {
    if (!j.contains(key)) return;
    const std::string at = prefix + "/" + std::string(key);
    const auto& v = j.at(std::string(key));
    if (!r.Object(v, at)) return;
    r.Known(v, {"min", "max", "labels"}, at);
    r.Int(v, "min", sc.min, at, 0, kScaleLimit);
    r.Int(v, "max", sc.max, at, 0, kScaleLimit);
    if (v.contains("labels")) {
      r.Strings(v, "labels", sc.labels, at);
    } else if (static_cast<int>(sc.labels.size()) != sc.Levels()) {
      sc.labels.clear();  // the old labels no longer fit: the scale shows numbers
    }
  };
  scale("impact", s.impact);
  scale("likelihood", s.likelihood);
  scale("vulnerability", s.vulnerability);
  scale("probability", s.probability);
  if (j.contains("thresholds")) {
    const auto& v = j["thresholds"];
    const std::string at = prefix + "/thresholds";
    if (r.Object(v, at)) {
      r.Known(v, {"low_max", "medium_max"}, at);
      r.Int64(v, "low_max", s.thresholds.low_max, at);
      r.Int64(v, "medium_max", s.thresholds.medium_max, at);
    }
  }
  if (j.contains("criteria")) {
    const auto& v = j["criteria"];
    const std::string at = prefix + "/criteria";
    if (r.Object(v, at)) {
      r.Known(v, {"authenticity"}, at);
      if (v.contains("authenticity")) {
        if (!v["authenticity"].is_boolean()) {
          r.Fail(at + "/authenticity", "must be true or false");
        } else {
          s.authenticity = v["authenticity"].get<bool>();
        }
      }
    }
  }
  if (j.contains("consequences")) {
    const auto& v = j["consequences"];
    const std::string at = prefix + "/consequences";
    if (!v.is_array() || v.size() > 20) {
      r.Fail(at, "must be an array of up to 20 consequence types");
    } else {
      std::vector<ConsequenceType> got;
      for (std::size_t k = 0; k < v.size(); ++k) {
        const std::string item = at + "/" + std::to_string(k);
        if (!r.Object(v[k], item)) continue;
        r.Known(v[k], {"key", "name"}, item);
        ConsequenceType c;
        if (v[k].contains("key") && v[k]["key"].is_string()) c.key = v[k]["key"];
        if (v[k].contains("name") && v[k]["name"].is_string()) c.name = v[k]["name"];
        got.push_back(std::move(c));
      }
      s.consequences = std::move(got);
    }
  }
  if (j.contains("matrix")) {
    const auto& v = j["matrix"];
    const std::string at = prefix + "/matrix";
    if (r.Object(v, at)) {
      r.Known(v, {"levels", "cells"}, at);
      r.Strings(v, "levels", s.matrix.levels, at);
      if (v.contains("cells")) {
        const auto& c = v["cells"];
        bool ok = c.is_array() && c.size() <= 101;
        std::vector<std::vector<int>> cells;
        for (std::size_t p = 0; ok && p < c.size(); ++p) {
          ok = c[p].is_array() && c[p].size() <= 101;
          std::vector<int> row;
          for (std::size_t i = 0; ok && i < c[p].size(); ++i) {
            ok = c[p][i].is_number_integer() && c[p][i].get<std::int64_t>() >= 0 &&
                 c[p][i].get<std::int64_t>() <= 100;
            if (ok) row.push_back(c[p][i].get<int>());
          }
          cells.push_back(std::move(row));
        }
        if (!ok) {
          r.Fail(at + "/cells", "must be rows of level indices, one row per probability level");
        } else {
          s.matrix.cells = std::move(cells);
        }
      }
    }
  }
  return s;
}

// ---- remapping ----

namespace {

// round(num / den) with halves away from zero, for den > 0.
std::int64_t RoundDiv(std::int64_t num, std::int64_t den) {
  return num >= 0 ? (2 * num + den) / (2 * den) : -((-2 * num + den) / (2 * den));
}

}  // namespace

int Remap(int v, const Scale& from, const Scale& to) {
  const std::int64_t span_from = from.max - from.min;
  const std::int64_t span_to = to.max - to.min;
  std::int64_t out = to.min;
  if (span_from > 0) out = to.min + RoundDiv((std::int64_t{v} - from.min) * span_to, span_from);
  return static_cast<int>(std::clamp<std::int64_t>(out, to.min, to.max));
}

int RemapDelta(int delta, const Scale& from, const Scale& to) {
  const std::int64_t span_from = from.max - from.min;
  const std::int64_t span_to = to.max - to.min;
  if (span_from <= 0 || delta <= 0) return 0;
  return static_cast<int>(
      std::clamp<std::int64_t>(RoundDiv(delta * span_to, span_from), 0, span_to));
}

Thresholds RemapThresholds(const Settings& from, const Settings& to) {
  const std::int64_t old_max = std::max<std::int64_t>(MaxRisk(from), 1);
  const std::int64_t new_max = std::max<std::int64_t>(MaxRisk(to), 1);
  Thresholds t;
  t.low_max = RoundDiv(from.thresholds.low_max * new_max, old_max);
  t.medium_max = RoundDiv(from.thresholds.medium_max * new_max, old_max);
  if (t.medium_max <= t.low_max) t.medium_max = t.low_max + 1;
  return t;
}

// {"confidentiality": {"reputation": 3, …}, …}: every criterion counted by the analysis, every
// consequence type of the analysis, every value on the impact scale.
std::vector<Rating> ReadRatings(const json& j, const Settings& s, std::vector<FieldError>& errors,
                                const std::string& prefix) {
  std::vector<Rating> out;
  if (!j.is_object()) {
    errors.push_back({prefix, "must be an object of criteria"});
    return out;
  }
  const auto enabled = EnabledCriteria(s);
  for (const auto& [criterion, by_type] : j.items()) {
    const std::string at = prefix + "/" + criterion;
    auto c = ParseCriterion(criterion);
    if (!c || !enabled[static_cast<std::size_t>(*c)]) {
      errors.push_back({at, c ? "authenticity is not switched on in this analysis"
                              : "is not a criterion (confidentiality, integrity, availability, "
                                "authenticity)"});
      continue;
    }
    if (!by_type.is_object()) {
      errors.push_back({at, "must be an object of consequence types"});
      continue;
    }
    for (const auto& [type, value] : by_type.items()) {
      const bool known = std::any_of(s.consequences.begin(), s.consequences.end(),
                                     [&](const ConsequenceType& ct) { return ct.key == type; });
      if (!known) {
        errors.push_back({at + "/" + type, "is not a consequence type of this analysis"});
      } else if (value.is_null()) {
        continue;  // not rated
      } else if (!value.is_number_integer() || !s.impact.Contains(value.get<int>())) {
        errors.push_back({at + "/" + type, "must be on the impact scale, " +
                                               std::to_string(s.impact.min) + " to " +
                                               std::to_string(s.impact.max)});
      } else {
        out.push_back({*c, type, value.get<int>()});
      }
    }
  }
  return out;
}

PerCriterion ReadOverride(const json& j, const Settings& s, std::vector<FieldError>& errors,
                          const std::string& prefix) {
  PerCriterion out;
  if (!j.is_object()) {
    errors.push_back({prefix, "must be an object of criteria"});
    return out;
  }
  const auto enabled = EnabledCriteria(s);
  for (const auto& [criterion, value] : j.items()) {
    const std::string at = prefix + "/" + criterion;
    auto c = ParseCriterion(criterion);
    if (!c || !enabled[static_cast<std::size_t>(*c)]) {
      errors.push_back({at, "is not a criterion of this analysis"});
    } else if (value.is_null()) {
      continue;
    } else if (!value.is_number_integer() || !s.impact.Contains(value.get<int>())) {
      errors.push_back({at, "must be on the impact scale, " + std::to_string(s.impact.min) +
                                " to " + std::to_string(s.impact.max)});
    } else {
      out[static_cast<std::size_t>(*c)] = value.get<int>();
    }
  }
  return out;
}

// ---- criticality ----

std::size_t SlotCount(const Settings& s) { return kCriteria * (1 + s.consequences.size()); }

std::vector<int> OwnSlots(const Settings& s, const std::vector<Rating>& ratings) {
  std::vector<int> slots(SlotCount(s), kNone);
  const auto enabled = EnabledCriteria(s);
  for (const auto& r : ratings) {
    if (!enabled[static_cast<std::size_t>(r.criterion)]) continue;
    auto it = std::find_if(s.consequences.begin(), s.consequences.end(),
                           [&](const ConsequenceType& c) { return c.key == r.consequence; });
    if (it == s.consequences.end()) continue;
    const std::size_t base = ImpactSlot(s, r.criterion);
    const std::size_t k = static_cast<std::size_t>(it - s.consequences.begin());
    slots[base + 1 + k] = std::max(slots[base + 1 + k], r.value);
    slots[base] = std::max(slots[base], r.value);
  }
  return slots;
}

std::vector<std::vector<int>> EffectiveSlots(const Settings& s,
                                             const std::vector<AssetFacts>& assets,
                                             const std::vector<std::vector<int>>& depends_on) {
  const std::size_t n = assets.size();
  const std::size_t width = SlotCount(s);
  // What flows down from each asset to what it depends on: a primary asset's own values, plus
  // whatever flowed into it. Computed in an order where every asset comes after all those that
  // depend on it (Kahn's algorithm over "depends on" edges).
  std::vector<std::vector<int>> inherited(n, std::vector<int>(width, kNone));
  std::vector<int> indegree(n, 0);
  for (std::size_t a = 0; a < n; ++a) {
    for (int d : depends_on[a]) ++indegree[static_cast<std::size_t>(d)];
  }
  std::vector<std::size_t> order;
  order.reserve(n);
  for (std::size_t a = 0; a < n; ++a) {
    if (indegree[a] == 0) order.push_back(a);
  }
  for (std::size_t head = 0; head < order.size(); ++head) {
    const std::size_t a = order[head];
    for (int d : depends_on[a]) {
      auto& into = inherited[static_cast<std::size_t>(d)];
      for (std::size_t k = 0; k < width; ++k) {
        int v = inherited[a][k];
        if (assets[a].primary && k < assets[a].own.size()) v = std::max(v, assets[a].own[k]);
        into[k] = std::max(into[k], v);
      }
      if (--indegree[static_cast<std::size_t>(d)] == 0)
        order.push_back(static_cast<std::size_t>(d));
    }
  }
  std::vector<std::vector<int>> out(n);
  const std::size_t per = 1 + s.consequences.size();
  for (std::size_t a = 0; a < n; ++a) {
    out[a] = assets[a].primary ? assets[a].own : inherited[a];
    out[a].resize(width, kNone);
    for (std::size_t c = 0; c < kCriteria; ++c) {
      if (!assets[a].override_impact[c]) continue;
      const int v = *assets[a].override_impact[c];
      for (std::size_t k = 0; k < per; ++k) out[a][c * per + k] = v;
    }
  }
  return out;
}

PerCriterion ImpactsOf(const Settings& s, const std::vector<int>& slots) {
  PerCriterion out;
  const auto enabled = EnabledCriteria(s);
  for (Criterion c : kAllCriteria) {
    const std::size_t k = ImpactSlot(s, c);
    if (enabled[static_cast<std::size_t>(c)] && k < slots.size() && slots[k] != kNone) {
      out[static_cast<std::size_t>(c)] = slots[k];
    }
  }
  return out;
}

std::optional<int> CriticalityOf(const PerCriterion& impacts) {
  std::optional<int> out;
  for (const auto& v : impacts) {
    if (v && (!out || *v > *out)) out = v;
  }
  return out;
}

std::vector<int> FindCycle(const std::vector<std::vector<int>>& depends_on) {
  const std::size_t n = depends_on.size();
  // Iterative depth-first search with colours: 0 unseen, 1 on the path, 2 done.
  std::vector<std::uint8_t> colour(n, 0);
  std::vector<int> parent(n, -1);
  for (std::size_t root = 0; root < n; ++root) {
    if (colour[root] != 0) continue;
    std::vector<std::pair<int, std::size_t>> stack{{static_cast<int>(root), 0}};
    colour[root] = 1;
    while (!stack.empty()) {
      auto& [a, next] = stack.back();
      const auto& edges = depends_on[static_cast<std::size_t>(a)];
      if (next == edges.size()) {
        colour[static_cast<std::size_t>(a)] = 2;
        stack.pop_back();
        continue;
      }
      const int d = edges[next++];
      if (colour[static_cast<std::size_t>(d)] == 1) {
        // Back edge a → d: the cycle is d … a → d along the path.
        std::vector<int> cycle{d};
        std::vector<int> tail;
        for (int x = a; x != d; x = parent[static_cast<std::size_t>(x)]) tail.push_back(x);
        cycle.insert(cycle.end(), tail.rbegin(), tail.rend());
        cycle.push_back(d);
        return cycle;
      }
      if (colour[static_cast<std::size_t>(d)] == 0) {
        colour[static_cast<std::size_t>(d)] = 1;
        parent[static_cast<std::size_t>(d)] = a;
        stack.push_back({d, 0});
      }
    }
  }
  return {};
}

// ---- scoring ----

std::string_view LevelOf(std::int64_t risk, const Thresholds& t) {
  if (risk <= t.low_max) return "low";
  if (risk <= t.medium_max) return "medium";
  return "high";
}

namespace {

std::string_view MatrixLevel(const Settings& s, int probability, int impact) {
  const auto p = static_cast<std::size_t>(probability - s.probability.min);
  const auto i = static_cast<std::size_t>(impact - s.impact.min);
  if (p >= s.matrix.cells.size() || i >= s.matrix.cells[p].size()) return "";
  const auto level = static_cast<std::size_t>(s.matrix.cells[p][i]);
  return level < s.matrix.levels.size() ? std::string_view(s.matrix.levels[level]) : "";
}

}  // namespace

Score ScoreOne(const Settings& s, const std::vector<int>& slots, const ThreatFacts& threat,
               int qualification, const ScenarioFacts& sc) {
  Score out;
  const auto enabled = EnabledCriteria(s);
  const std::size_t per = 1 + s.consequences.size();
  // The largest impact over the criteria that count: the heat map's column.
  int impact = kNone;
  for (std::size_t c = 0; c < kCriteria; ++c) {
    if (!threat.affects[c] || !enabled[c] || c * per >= slots.size()) continue;
    impact = std::max(impact, slots[c * per]);
  }
  if (impact != kNone) out.impact_axis = impact;

  switch (s.method) {
    case Method::kItv: {
      if (threat.likelihood == kNone || qualification == kNone) break;
      const std::int64_t t = threat.likelihood;
      const std::int64_t v = qualification;
      const std::int64_t v_res = std::max<std::int64_t>(s.vulnerability.min, v - sc.reduction);
      out.likelihood_axis = static_cast<int>(t * v);
      out.residual_likelihood_axis = static_cast<int>(t * v_res);
      std::optional<std::int64_t> cur, res;
      for (std::size_t c = 0; c < kCriteria; ++c) {
        if (!threat.affects[c] || !enabled[c] || c * per >= slots.size()) continue;
        const int i = slots[c * per];
        if (i == kNone) continue;
        const std::int64_t r = i * t * v;
        out.by_criterion[c] = r;
        cur = std::max(cur.value_or(r), r);
        res = std::max(res.value_or(i * t * v_res), i * t * v_res);
      }
      out.current = cur;
      out.residual = res;
      if (cur) out.current_level = LevelOf(*cur, s.thresholds);
      if (res) out.residual_level = LevelOf(*res, s.thresholds);
      break;
    }
    case Method::kMatrix: {
      if (sc.probability == kNone || impact == kNone) break;
      const int p = sc.probability;
      const int p_res = sc.residual_probability == kNone ? p : sc.residual_probability;
      out.likelihood_axis = p;
      out.residual_likelihood_axis = p_res;
      for (std::size_t c = 0; c < kCriteria; ++c) {
        if (!threat.affects[c] || !enabled[c] || slots[c * per] == kNone) continue;
        out.by_criterion[c] = std::int64_t{p} * slots[c * per];
      }
      out.current = std::int64_t{p} * impact;
      out.residual = std::int64_t{p_res} * impact;
      out.current_level = MatrixLevel(s, p, impact);
      out.residual_level = MatrixLevel(s, p_res, impact);
      break;
    }
    case Method::kOperational: {
      if (sc.probability == kNone) break;
      const std::int64_t p = sc.probability;
      const std::int64_t p_res = sc.residual_probability == kNone ? p : sc.residual_probability;
      std::optional<std::int64_t> worst;  // the largest rating over types and criteria
      for (std::size_t c = 0; c < kCriteria; ++c) {
        if (!threat.affects[c] || !enabled[c]) continue;
        std::optional<std::int64_t> on_c;
        for (std::size_t k = 1; k < per; ++k) {
          const int i = slots[c * per + k];
          if (i != kNone) on_c = std::max<std::int64_t>(on_c.value_or(i), i);
        }
        if (on_c) {
          out.by_criterion[c] = p * *on_c;
          worst = std::max(worst.value_or(*on_c), *on_c);
        }
      }
      if (!worst) break;
      out.likelihood_axis = static_cast<int>(p);
      out.residual_likelihood_axis = static_cast<int>(p_res);
      out.current = p * *worst;
      out.residual = p_res * *worst;
      out.current_level = LevelOf(*out.current, s.thresholds);
      out.residual_level = LevelOf(*out.residual, s.thresholds);
      break;
    }
  }
  return out;
}

std::vector<Score> ScoreAll(const Settings& s, const std::vector<std::vector<int>>& asset_slots,
                            const std::vector<ThreatFacts>& threats,
                            const std::vector<int>& qualifications,
                            const std::vector<ScenarioFacts>& scenarios) {
  std::vector<Score> out;
  out.reserve(scenarios.size());
  for (const auto& sc : scenarios) {
    out.push_back(ScoreOne(s, asset_slots[static_cast<std::size_t>(sc.asset)],
                           threats[static_cast<std::size_t>(sc.threat)],
                           qualifications[static_cast<std::size_t>(sc.vulnerability)], sc));
  }
  return out;
}

// ---- acceptance ----

std::string AcceptanceDigest(const AcceptedState& st) {
  // A JSON array in a fixed order: every field, typed, escaped by the library.
  json j =
      json::array({st.asset_name, st.threat_urn, st.vulnerability_urn,
                   st.probability ? json(*st.probability) : json(nullptr),
                   st.residual_probability ? json(*st.residual_probability) : json(nullptr),
                   st.reduction, st.controls_in_place, std::string(Name(st.treatment)),
                   st.owner_id ? json(*st.owner_id) : json(nullptr), st.planned_controls,
                   st.current_risk ? json(*st.current_risk) : json(nullptr),
                   st.residual_risk ? json(*st.residual_risk) : json(nullptr), st.residual_level});
  return crypto::Sha256Hex(j.dump());
}

bool IsStale(std::string_view accepted_digest, const AcceptedState& now) {
  return accepted_digest != AcceptanceDigest(now);
}

}  // namespace rampart::risk
