#include "incidents/views.h"

namespace rampart::incidents {

namespace {

void WriteImpact(JsonWriter& w, const Impact& impact) {
  w.Key("impact")
      .BeginObject()
      .KeyOptInt("users_affected", impact.users_affected)
      .KeyOptInt("duration_hours", impact.duration_hours)
      .KeyOptInt("financial_loss_eur", impact.financial_loss_eur)
      .KeyOptInt("sites_or_regions", impact.sites_or_regions)
      .KeyBool("cross_border", impact.cross_border)
      .EndObject();
}

std::optional<std::string> SeverityText(const std::optional<Severity>& s) {
  if (!s) return std::nullopt;
  return std::string(Name(*s));
}

}  // namespace

void WriteCore(JsonWriter& w, const Incident& i, bool anonymised, Millis now) {
  w.KeyString("id", i.id)
      .KeyString("reference", i.reference)
      .KeyString("sector_id", i.sector_id)
      .KeyString("profile_id", i.profile_id)
      .KeyString("title", i.title)
      .KeyString("summary", i.summary)
      .KeyTime("aware_at", i.aware_at)
      .KeyOptTime("occurred_at", i.occurred_at)
      .KeyString("suspected_malicious", i.suspected_malicious)
      .KeyBool("may_affect_others", i.may_affect_others)
      .KeyString("affects_others_note", i.affects_others_note)
      .Key("affected_services")
      .BeginArray();
  for (const auto& s : i.affected_services) w.String(s);
  w.EndArray()
      .KeyBool("voluntary", i.voluntary)
      .KeyOptString("rsit_class", i.rsit_class)
      .KeyOptString("rsit_type", i.rsit_type)
      .KeyOptString("severity", SeverityText(i.severity))
      .KeyString("severity_rule", i.severity_rule)
      .Key("significant");
  if (i.significant) {
    w.Bool(*i.significant);
  } else {
    w.Null();
  }
  WriteImpact(w, i.impact);
  w.KeyOptString("root_cause", i.root_cause)
      .KeyString("state", Name(i.state))
      .KeyOptTime("early_warning_at", i.early_warning_at)
      .KeyOptTime("notification_at", i.notification_at)
      .KeyOptTime("final_at", i.final_at)
      .KeyOptTime("resolved_at", i.resolved_at)
      .KeyOptTime("closed_at", i.closed_at)
      .KeyOptTime("next_due_at", i.next_due_at)
      .KeyOptString("next_due_stage", i.next_due_stage)
      .KeyBool("overdue", i.next_due_at && *i.next_due_at < now)
      .KeyOptTime("feedback_due_at", i.feedback_due_at)
      .KeyOptTime("feedback_at", i.feedback_at)
      .KeyOptString("assignee_id", anonymised ? std::nullopt : i.assignee_id)
      .KeyOptString("duplicate_of", i.duplicate_of)
      .KeyInt("version", i.version)
      .KeyTime("created_at", i.created_at)
      .KeyTime("updated_at", i.updated_at);
}

std::string AuditState(const Incident& i) {
  JsonWriter w;
  w.BeginObject().KeyString("organisation_id", i.organisation_id);
  WriteCore(w, i, false, i.updated_at);
  w.EndObject();
  return std::move(w).Take();
}

}  // namespace rampart::incidents
