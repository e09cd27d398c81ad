#include "profile/api.h"

#include <fmt/format.h>

#include <charconv>

#include "incidents/taxonomy.h"
#include "platform/clock.h"
#include "platform/context.h"
#include "platform/json_writer.h"
#include "platform/problem.h"
#include "profile/query.h"

namespace rampart::profile {

namespace {

// "2026-03" → 202603; nullopt for anything else.
std::optional<int> ParseMonth(std::string_view text) {
  if (text.size() != 7 || text[4] != '-') return std::nullopt;
  int year = 0, month = 0;
  auto y = std::from_chars(text.data(), text.data() + 4, year);
  auto m = std::from_chars(text.data() + 5, text.data() + 7, month);
  if (y.ec != std::errc{} || y.ptr != text.data() + 4 || m.ec != std::errc{} ||
      m.ptr != text.data() + 7 || year < 1970 || year > 9999 || month < 1 || month > 12) {
    return std::nullopt;
  }
  return year * 100 + month;
}

int AddMonths(int month, int n) {
  int index = (month / 100) * 12 + (month % 100 - 1) + n;
  return (index / 12) * 100 + index % 12 + 1;
}

std::vector<std::string> SplitList(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    auto comma = text.find(',');
    auto part = text.substr(0, comma);
    out.emplace_back(part);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

// The query from the request's parameters; every fault named by its parameter.
Query ParseQuery(const Context& ctx) {
  std::vector<FieldError> errors;
  auto param = [&](std::string_view name) { return ctx.request.QueryParam(name).value_or(""); };
  Query q;
  const int this_month = MonthOf(NowMillis());
  auto month = [&](std::string_view name, int fallback) {
    const std::string v = param(name);
    if (v.empty()) return fallback;
    auto m = ParseMonth(v);
    if (!m) {
      errors.push_back({std::string(name), "must be a month as YYYY-MM"});
      return fallback;
    }
    return *m;
  };
  q.to_month = month("to", this_month);
  q.from_month = month("from", AddMonths(q.to_month, -11));
  for (const auto& name : SplitList(param("by"))) {
    auto d = ParseDim(name);
    if (!d) {
      errors.push_back({"by", fmt::format("'{}' is not a dimension; use sector, class, type, "
                                          "severity, root_cause, month, quarter or year",
                                          name)});
      continue;
    }
    q.by.push_back(*d);
  }
  for (const auto& s : SplitList(param("sector"))) {
    if (s.empty() || s.size() > 64) {
      errors.push_back({"sector", "must be a list of sector ids"});
      break;
    }
    q.sectors.push_back(s);
  }
  const auto& rsit = incidents::Taxonomy::Rsit();
  for (const auto& c : SplitList(param("class"))) {
    // "unclassified" asks for the incidents no one has classified yet.
    if (c == "unclassified") {
      q.classes.emplace_back();
    } else if (rsit.HasClass(c)) {
      q.classes.push_back(c);
    } else {
      errors.push_back({"class", fmt::format("'{}' is not an RSIT class", c)});
    }
  }
  for (const auto& s : SplitList(param("severity"))) {
    if (s == "unassessed") {
      q.severities.emplace_back();
    } else if (incidents::ParseSeverity(s)) {
      q.severities.push_back(s);
    } else {
      errors.push_back({"severity", fmt::format("'{}' is not a severity", s)});
    }
  }
  if (!errors.empty()) throw InvalidInput(std::move(errors));
  return q;
}

double Mean(std::int64_t sum, std::int64_t n, double unit) {
  return static_cast<double>(sum) / static_cast<double>(n) / unit;
}

// A cell names every dimension of the table; a margin (only_dim) only its own. An empty value
// (class, severity, root cause not known yet) is written as null.
void WriteFigure(JsonWriter& w, const Query& q, const Table& t, const Figure& f,
                 int only_dim = -1) {
  w.BeginObject().Key("key").BeginObject();
  for (std::size_t d = 0; d < q.by.size() && d < f.key.size(); ++d) {
    if (only_dim >= 0 && static_cast<std::size_t>(only_dim) != d) continue;
    if (f.key[d].empty()) {
      w.KeyNull(Name(q.by[d]));
    } else {
      w.KeyString(Name(q.by[d]), f.key[d]);
    }
  }
  w.EndObject().KeyBool("suppressed", f.suppressed);
  if (f.full && t.organisations_counted) w.KeyInt("organisations", f.organisations);
  if (f.suppressed) {
    w.KeyNull("incidents");
    w.EndObject();
    return;
  }
  const Measures& m = f.measures;
  w.KeyInt("incidents", m.incidents)
      .KeyInt("significant", m.significant)
      .KeyInt("cross_border", m.cross_border)
      .KeyInt("malicious", m.malicious)
      .KeyInt("services_disrupted", m.services_disrupted)
      .KeyInt("users_affected", m.users_affected)
      .KeyInt("hours_lost", m.hours_lost)
      .KeyInt("financial_loss_eur", m.financial_loss_eur);
  auto mean_hours = [&](std::string_view key, std::int64_t sum, std::int64_t n) {
    if (n == 0) {
      w.KeyNull(key);
    } else {
      w.Key(key).Raw(fmt::format("{:.2f}", Mean(sum, n, 3'600'000.0)));
    }
  };
  mean_hours("mean_hours_to_early_warning", m.to_early_warning_ms, m.to_early_warning_n);
  mean_hours("mean_hours_to_final", m.to_final_ms, m.to_final_n);
  mean_hours("mean_hours_to_resolution", m.to_resolution_ms, m.to_resolution_n);
  w.EndObject();
}

}  // namespace

http::Response GetIncidentProfile(Context& ctx) {
  Query q = ParseQuery(ctx);
  const ProfileView view = ProfileViewOf(ctx.caller());
  if (auto e = CheckQuery(q, view)) throw InvalidInput({{e->field, e->message}});
  const std::int64_t min_orgs = ctx.services.config.min_cell_organisations;
  return ctx.db().Read([&](db::Tx& tx) {
    Table t = Compute(tx, q, view, min_orgs);
    JsonWriter w;
    w.BeginObject()
        .Key("period")
        .BeginObject()
        .KeyString("from", MonthLabel(q.from_month))
        .KeyString("to", MonthLabel(q.to_month))
        .EndObject()
        .Key("by")
        .BeginArray();
    for (Dim d : q.by) w.String(Name(d));
    w.EndArray()
        .Key("view")
        .BeginObject()
        .KeyBool("national", view.national)
        .Key("full_sectors")
        .BeginArray();
    for (const auto& s : view.full_sectors) w.String(s);
    w.EndArray().EndObject().KeyInt("min_organisations", t.min_organisations);
    w.KeyBool("any_suppressed", t.any_suppressed);
    // The time bins of the period, so that charts keep empty months in place.
    for (Dim d : q.by) {
      if (d != Dim::kMonth && d != Dim::kQuarter && d != Dim::kYear) continue;
      w.Key("bins").BeginArray();
      std::string last;
      for (int m = q.from_month; m <= q.to_month; m = AddMonths(m, 1)) {
        std::string label = BinLabel(d, m);
        if (label != last) w.String(label);
        last = std::move(label);
      }
      w.EndArray();
    }
    w.Key("cells").BeginArray();
    for (const auto& f : t.cells) WriteFigure(w, q, t, f);
    w.EndArray().Key("margins").BeginObject();
    for (std::size_t d = 0; d < t.margins.size(); ++d) {
      w.Key(Name(q.by[d])).BeginArray();
      for (const auto& f : t.margins[d]) WriteFigure(w, q, t, f, static_cast<int>(d));
      w.EndArray();
    }
    w.EndObject().Key("total");
    WriteFigure(w, q, t, t.total, static_cast<int>(q.by.size()));
    w.EndObject();
    return JsonText(200, std::move(w).Take());
  });
}

void AddRoutes(Router& r) {
  r.Add(
      {"GET", "/api/v1/profile/incidents", Action::kProfileRead, "", GetIncidentProfile, kNoBody});
}

}  // namespace rampart::profile
