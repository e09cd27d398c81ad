// HTTP handlers for what an analysis shows beyond its own records: snapshots and comparisons, the
// management summary, the register as CSV and XLSX, the opt-in to share statistics, and the
// shared statistics a regulator or the national CERT reads.
#include <charconv>
#include <nlohmann/json.hpp>

#include "platform/audit.h"
#include "platform/context.h"
#include "platform/crypto.h"
#include "platform/files.h"
#include "platform/input.h"
#include "platform/json_writer.h"
#include "platform/policy.h"
#include "risk/api.h"
#include "risk/register_export.h"
#include "risk/snapshots.h"
#include "risk/statistics.h"
#include "risk/store.h"
#include "risk/summary.h"

namespace rampart::risk {

namespace {

using nlohmann::json;

constexpr std::string_view kAnalysis = "/api/v1/organisations/{id}/risk/analyses/{analysis_id}";

// A comparison lists at most this many scenarios per list unless the caller asks for fewer or
// more (up to kMaxCompareLimit); the totals always count them all.
constexpr int kDefaultCompareLimit = 500;
constexpr int kMaxCompareLimit = 5000;

Analysis LoadAnalysis(db::Tx& tx, const Context& ctx) {
  const auto& org = ctx.IdParam("id", "organisation");
  const auto& id = ctx.IdParam("analysis_id", "risk analysis");
  auto a = FindAnalysis(tx, org, id);
  if (!a) throw NotFound("risk analysis");
  return *a;
}

Snapshot LoadSnapshot(db::Tx& tx, const Analysis& an, const Context& ctx, std::string_view param) {
  const auto& id = ctx.IdParam(param, "snapshot");
  auto s = FindSnapshot(tx, an.id, id);
  if (!s) throw NotFound("snapshot");
  return *s;
}

// A whole-number query parameter within [min, max]; `fallback` when absent.
int IntParam(const Context& ctx, std::string_view name, int fallback, int min, int max) {
  auto v = ctx.request.QueryParam(name);
  if (!v || v->empty()) return fallback;
  int out = 0;
  auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
  if (ec != std::errc() || end != v->data() + v->size() || out < min || out > max) {
    throw InvalidField(std::string(name), "must be a whole number from " + std::to_string(min) +
                                              " to " + std::to_string(max));
  }
  return out;
}

void Audit(db::Tx& tx, const Context& ctx, std::string action, std::string type, std::string id,
           std::optional<std::string> before, std::optional<std::string> after, Millis now) {
  auto e = audit::By(ctx.principal, std::move(action), std::move(type), std::move(id),
                     ctx.request.request_id);
  e.before = std::move(before);
  e.after = std::move(after);
  audit::Append(tx, e, now);
}

// ---- snapshots ----

http::Response CreateSnapshot(Context& ctx) {
  Input in(ctx.request);
  auto name = in.Text("name", {.required = true, .min = 1, .max = 200});
  auto note = in.Text("note", {.max = 5000});
  in.Done();
  const Millis now = NowMillis();
  const auto snapshot = ctx.db().Write([&](db::Tx& tx) {
    Analysis an = LoadAnalysis(tx, ctx);
    auto s = TakeSnapshot(tx, an, *name, note.value_or(""), ctx.caller().user_id, now);
    Audit(tx, ctx, "risk.snapshot.create", "risk_snapshot", s.id, std::nullopt, SnapshotJson(s),
          now);
    return s;
  });
  auto res = JsonText(201, SnapshotJson(snapshot));
  res.Set("Location", "/api/v1/organisations/" + ctx.IdParam("id", "organisation") +
                          "/risk/analyses/" + snapshot.analysis_id + "/snapshots/" + snapshot.id);
  return res;
}

http::Response ListSnapshotsRoute(Context& ctx) {
  return ctx.db().Read([&](db::Tx& tx) {
    Analysis an = LoadAnalysis(tx, ctx);
    JsonWriter w;
    w.BeginObject().Key("items").BeginArray();
    for (const auto& s : ListSnapshots(tx, an.id)) WriteSnapshot(w, s);
    w.EndArray().EndObject();
    return JsonText(200, std::move(w).Take());
  });
}

http::Response GetSnapshot(Context& ctx) {
  return ctx.db().Read([&](db::Tx& tx) {
    Analysis an = LoadAnalysis(tx, ctx);
    return JsonText(200, SnapshotJson(LoadSnapshot(tx, an, ctx, "snapshot_id")));
  });
}

http::Response ExportSnapshot(Context& ctx) {
  return ctx.db().Read([&](db::Tx& tx) {
    Analysis an = LoadAnalysis(tx, ctx);
    const Snapshot s = LoadSnapshot(tx, an, ctx, "snapshot_id");
    auto res = JsonText(200, SnapshotDocument(tx, s));
    res.Set("Content-Disposition",
            files::ContentDisposition("risk-analysis-" + an.id + "-snapshot-" + s.id + ".json"));
    return res;
  });
}

http::Response CompareSnapshots(Context& ctx) {
  const int limit = IntParam(ctx, "limit", kDefaultCompareLimit, 1, kMaxCompareLimit);
  return ctx.db().Read([&](db::Tx& tx) {
    Analysis an = LoadAnalysis(tx, ctx);
    const Snapshot a = LoadSnapshot(tx, an, ctx, "snapshot_id");
    const Snapshot b = LoadSnapshot(tx, an, ctx, "other_id");
    const auto c = Compare(SnapshotFigures(tx, a.id), SnapshotFigures(tx, b.id),
                           static_cast<std::size_t>(limit));
    return JsonText(200, ComparisonJson(c, SnapshotJson(a), SnapshotJson(b)));
  });
}

// What changed since a snapshot (by default the latest) up to now.
http::Response Changes(Context& ctx) {
  const int limit = IntParam(ctx, "limit", kDefaultCompareLimit, 1, kMaxCompareLimit);
  std::optional<std::string> since;
  if (auto v = ctx.request.QueryParam("since"); v && !v->empty()) {
    if (!crypto::IsUuid(*v)) throw InvalidField("since", "must be a snapshot id");
    since = std::string(*v);
  }
  return ctx.db().Read([&](db::Tx& tx) {
    Analysis an = LoadAnalysis(tx, ctx);
    std::optional<Snapshot> from =
        since ? FindSnapshot(tx, an.id, *since) : LatestSnapshot(tx, an.id);
    if (!from) {
      if (since) throw NotFound("snapshot");
      throw HttpError(404, "not-found", "Not found",
                      "This analysis has no snapshot yet: take one to compare with later.");
    }
    const auto c = Compare(SnapshotFigures(tx, from->id), CurrentFigures(tx, an.id),
                           static_cast<std::size_t>(limit));
    return JsonText(200, ComparisonJson(c, SnapshotJson(*from), R"({"current":true})"));
  });
}

// ---- summary ----

http::Response Summary(Context& ctx) {
  const int top = IntParam(ctx, "top", 10, 1, 50);
  return ctx.db().Read([&](db::Tx& tx) {
    Analysis an = LoadAnalysis(tx, ctx);
    return JsonText(200, SummaryJson(tx, an, top, NowMillis()));
  });
}

// ---- register export ----

std::string FileStem(const Analysis& an) { return "risk-register-" + an.id; }

http::Response RegisterCsvRoute(Context& ctx) {
  std::vector<FieldError> errors;
  const RegisterFilter f = ParseRegisterFilter(ctx.request, errors);
  if (!errors.empty()) throw InvalidInput(std::move(errors));
  return ctx.db().Read([&](db::Tx& tx) {
    Analysis an = LoadAnalysis(tx, ctx);
    http::Response res;
    res.status = 200;
    res.body = RegisterCsv(RegisterLines(tx, an, f));
    res.Set("Content-Type", "text/csv; charset=utf-8; header=present");
    res.Set("Content-Disposition", files::ContentDisposition(FileStem(an) + ".csv"));
    res.Set("Cache-Control", "no-store");
    return res;
  });
}

http::Response RegisterXlsxRoute(Context& ctx) {
  std::vector<FieldError> errors;
  const RegisterFilter f = ParseRegisterFilter(ctx.request, errors);
  if (!errors.empty()) throw InvalidInput(std::move(errors));
  std::string sheet, stem;
  auto lines = ctx.db().Read([&](db::Tx& tx) {
    Analysis an = LoadAnalysis(tx, ctx);
    sheet = an.name;
    stem = FileStem(an);
    return RegisterLines(tx, an, f);
  });
  // The workbook is written outside the transaction: it takes a while and needs no database.
  http::Response res;
  res.status = 200;
  res.body = RegisterXlsx(lines, sheet);
  res.Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  res.Set("Content-Disposition", files::ContentDisposition(stem + ".xlsx"));
  res.Set("Cache-Control", "no-store");
  return res;
}

// ---- sharing statistics ----

std::string SharingJson(const Analysis& an, bool share) {
  JsonWriter w;
  w.BeginObject()
      .KeyString("analysis_id", an.id)
      .KeyBool("share_statistics", share)
      .KeyBool("current", an.current)
      .KeyBool("counted", share && an.current)
      .EndObject();
  return std::move(w).Take();
}

http::Response GetSharing(Context& ctx) {
  return ctx.db().Read([&](db::Tx& tx) {
    Analysis an = LoadAnalysis(tx, ctx);
    return JsonText(200, SharingJson(an, SharesStatistics(tx, an.id)));
  });
}

http::Response PutSharing(Context& ctx) {
  Input in(ctx.request);
  auto share = in.Bool("share_statistics", /*required=*/true);
  in.Done();
  const Millis now = NowMillis();
  return ctx.db().Write([&](db::Tx& tx) {
    Analysis an = LoadAnalysis(tx, ctx);
    const bool before = SharesStatistics(tx, an.id);
    if (before != *share) {
      SetShareStatistics(tx, an.id, *share);
      Audit(tx, ctx, "risk.analysis.sharing", "risk_analysis", an.id, SharingJson(an, before),
            SharingJson(an, *share), now);
    }
    return JsonText(200, SharingJson(an, *share));
  });
}

http::Response Statistics(Context& ctx) {
  StatisticsRequest req;
  req.min_cell_organisations = ctx.services.config.min_cell_organisations;
  if (auto v = ctx.request.QueryParam("sector"); v && !v->empty()) {
    if (!crypto::IsUuid(*v)) throw InvalidField("sector", "must be a sector id");
    req.sector_id = std::string(*v);
  }
  const Principal* who = ctx.principal;
  // The route lets anyone signed in reach here; the statistics' own rule decides, with the
  // sector as its target (policy.h kRiskStatsRead).
  if (Decide(who, Action::kRiskStatsRead, {.sector_id = req.sector_id.value_or("")}) !=
      Decision::kAllow) {
    throw Forbidden(req.sector_id
                        ? "Only the sector's regulators and the national CERT read its statistics."
                        : "Only the national CERT reads every sector's statistics; name a sector.");
  }
  // Whoever may read every sector's figures at once is the national CERT: it sees small cells.
  req.suppress_small_cells = Decide(who, Action::kRiskStatsRead, {}) != Decision::kAllow;
  return ctx.db().Read([&](db::Tx& tx) {
    if (req.sector_id &&
        !tx.QueryOne("SELECT 1 FROM sectors WHERE id = $1", {*req.sector_id}).has_value()) {
      throw NotFound("sector");
    }
    return JsonText(200, StatisticsJson(tx, req, NowMillis()));
  });
}

}  // namespace

void AddSnapshotRoutes(Router& r) {
  const std::string a(kAnalysis);
  auto add = [&](std::string method, std::string path, Action action, RouteHandler h,
                 std::size_t limit) {
    r.Add({std::move(method), std::move(path), action, "id", std::move(h), limit});
  };
  add("GET", a + "/snapshots", Action::kRiskRead, ListSnapshotsRoute, kNoBody);
  add("POST", a + "/snapshots", Action::kRiskWrite, CreateSnapshot, 16 * 1024);
  add("GET", a + "/snapshots/{snapshot_id}", Action::kRiskRead, GetSnapshot, kNoBody);
  add("GET", a + "/snapshots/{snapshot_id}/export", Action::kRiskRead, ExportSnapshot, kNoBody);
  add("GET", a + "/snapshots/{snapshot_id}/compare/{other_id}", Action::kRiskRead, CompareSnapshots,
      kNoBody);
  add("GET", a + "/changes", Action::kRiskRead, Changes, kNoBody);
  add("GET", a + "/summary", Action::kRiskRead, Summary, kNoBody);
  add("GET", a + "/register.csv", Action::kRiskRead, RegisterCsvRoute, kNoBody);
  add("GET", a + "/register.xlsx", Action::kRiskRead, RegisterXlsxRoute, kNoBody);
  add("GET", a + "/sharing", Action::kRiskRead, GetSharing, kNoBody);
  add("PUT", a + "/sharing", Action::kRiskWrite, PutSharing, 1024);
  // Not about one organisation: the handler decides kRiskStatsRead on the sector asked for.
  r.Add({"GET", "/api/v1/risk/statistics", Action::kDirectoryRead, "", Statistics, kNoBody});
}

}  // namespace rampart::risk
