#include "incidents/api.h"

#include "incidents/rules.h"
#include "incidents/taxonomy.h"
#include "platform/context.h"
#include "platform/json_writer.h"

namespace rampart::incidents {

namespace {

// The taxonomy never changes while the server runs: its JSON is written once.
const std::string& TaxonomyJson() {
  static const std::string kText = [] {
    const Taxonomy& t = Taxonomy::Rsit();
    JsonWriter w;
    w.BeginObject()
        .Key("urn")
        .String(t.Urn())
        .Key("name")
        .String(t.Name())
        .Key("version")
        .String(t.Version())
        .Key("source")
        .String(t.Source())
        .Key("classes")
        .BeginArray();
    for (const auto& c : t.Classes()) {
      w.BeginObject()
          .Key("id")
          .String(c.id)
          .Key("name")
          .String(c.name)
          .Key("description")
          .String(c.description)
          .Key("data_quality")
          .Bool(false)
          .Key("types")
          .BeginArray();
      for (const auto& type : c.types) {
        w.BeginObject()
            .Key("id")
            .String(type.id)
            .Key("name")
            .String(type.name)
            .Key("description")
            .String(type.description)
            .Key("data_quality")
            .Bool(IsDataQualityClass(c.id, type.id))
            .EndObject();
      }
      w.EndArray().EndObject();
    }
    w.EndArray().EndObject();
    return std::move(w).Take();
  }();
  return kText;
}

void WriteThresholds(JsonWriter& w, std::string_view key, const Thresholds& t) {
  w.Key(key)
      .BeginObject()
      .Key("medium")
      .OptionalInt(t.medium)
      .Key("high")
      .OptionalInt(t.high)
      .Key("critical")
      .OptionalInt(t.critical)
      .EndObject();
}

void Write(JsonWriter& w, const ReportingProfile& p) {
  w.BeginObject()
      .Key("id")
      .String(p.id)
      .Key("name")
      .String(p.name)
      .Key("early_warning_within_hours")
      .Int(p.early_warning_within / kHour)
      .Key("notification_within_hours")
      .Int(p.notification_within / kHour)
      .Key("final_within_days")
      .Int(p.final_within / kDay)
      .Key("intermediate_within_hours")
      .Int(p.intermediate_within / kHour)
      .Key("thresholds")
      .BeginObject();
  WriteThresholds(w, "users_affected", p.users_affected);
  WriteThresholds(w, "duration_hours", p.duration_hours);
  WriteThresholds(w, "financial_loss_eur", p.financial_loss_eur);
  WriteThresholds(w, "sites_or_regions", p.sites_or_regions);
  w.EndObject()
      .Key("cross_border_at_least")
      .String(Name(p.cross_border_at_least))
      .Key("significant_from")
      .String(Name(p.significant_from))
      .EndObject();
}

http::Response GetTaxonomy(Context&) {
  auto res = JsonText(200, TaxonomyJson());
  res.Set("Cache-Control", "private, max-age=3600");
  return res;
}

http::Response ListProfiles(Context&) {
  JsonWriter w;
  w.BeginObject().Key("items").BeginArray();
  for (const auto& p : {Nis2Default(), FinanceDoraLike()}) Write(w, p);
  w.EndArray().Key("next_cursor").Null().EndObject();
  return JsonText(200, std::move(w).Take());
}

}  // namespace

void AddRoutes(Router& r) {
  r.Add({"GET", "/api/v1/taxonomies/rsit", Action::kReferenceRead, "", GetTaxonomy, 0});
  r.Add({"GET", "/api/v1/reporting-profiles", Action::kReferenceRead, "", ListProfiles, 0});
}

}  // namespace rampart::incidents
