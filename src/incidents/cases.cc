#include "incidents/cases.h"

#include <nlohmann/json.hpp>

#include "incidents/observables.h"
#include "incidents/rules.h"
#include "incidents/views.h"
#include "platform/audit.h"
#include "platform/crypto.h"

namespace rampart::incidents {

std::vector<StageClock> ClocksOf(db::Tx& tx, const Incident& i, Millis now) {
  auto clocks = Clocks(ProfileOf(tx, i), TimesOf(tx, i), now);
  // Rejected, duplicate and merged cases owe nothing more; a voluntary or insignificant one
  // never did.
  const bool ended = i.state == CaseState::kRejected || i.state == CaseState::kDuplicate ||
                     i.state == CaseState::kMerged;
  const bool mandatory = !ended && !i.voluntary && i.significant.value_or(true);
  if (!mandatory) {
    for (auto& c : clocks) {
      if (c.state == ClockState::kWaiting || c.state == ClockState::kOverdue) {
        c.state = ClockState::kNotNeeded;
      }
    }
  }
  return clocks;
}

void RefreshNextDue(db::Tx& tx, Incident& i, Millis now) {
  auto next = NextDueOf(ClocksOf(tx, i, now));
  if (next) {
    i.next_due_at = next->due_at;
    i.next_due_stage = std::string(Name(next->stage));
  } else {
    i.next_due_at.reset();
    i.next_due_stage.reset();
  }
}

void Assess(db::Tx& tx, Incident& i, std::optional<Severity> declared) {
  const ReportingProfile& profile = ProfileOf(tx, i);
  auto decision = AssessSeverity(profile, i.impact);
  Severity severity = decision.severity;
  std::string rule = decision.rule;
  if (declared) {
    if (*declared > severity) {
      severity = *declared;
      rule = "declared " + std::string(Name(*declared)) + " by the reporting organisation (" +
             decision.rule + ")";
    }
  } else if (i.severity && *i.severity > severity) {
    severity = *i.severity;  // a severity declared earlier stands until declared otherwise
    rule = i.severity_rule;
  }
  i.severity = severity;
  i.severity_rule = rule;
  i.significant = IsSignificant(profile, severity);
}

std::vector<FieldError> CheckObservable(std::optional<std::string_view> type,
                                        std::optional<std::string_view> value,
                                        std::optional<std::string_view> tlp,
                                        std::optional<std::string_view> pap, NewObservable& out) {
  std::vector<FieldError> errors;
  std::optional<ObservableType> parsed;
  if (type) {
    parsed = ParseObservableType(*type);
    if (!parsed) {
      errors.push_back(
          {"type",
           "must be one of ipv4, ipv6, domain, url, md5, sha1, sha256, sha512, email, cve"});
    }
  }
  if (parsed && value) {
    auto n = Normalise(*parsed, *value);
    if (!n.ok()) {
      errors.push_back({"value", n.error});
    } else {
      out.type = std::string(Name(*parsed));
      out.value = n.value;
    }
  }
  if (tlp) {
    if (auto t = sharing::ParseTlp(*tlp)) {
      out.tlp = *t;
    } else {
      errors.push_back({"tlp",
                        "must be a TLP 2.0 label: TLP:CLEAR, TLP:GREEN, TLP:AMBER, "
                        "TLP:AMBER+STRICT or TLP:RED"});
    }
  }
  if (pap) {
    if (auto p = sharing::ParsePap(*pap)) {
      out.pap = std::string(sharing::Label(*p));
    } else {
      errors.push_back({"pap", "must be PAP:CLEAR, PAP:GREEN, PAP:AMBER or PAP:RED"});
    }
  }
  return errors;
}

int SaveObservables(db::Tx& tx, const Incident& i, const std::vector<NewObservable>& list,
                    const std::string& by, Millis now, std::vector<CorrelationMatch>* matches) {
  int added = 0;
  const Actor system{nullptr, "", "Rampart", ""};
  for (const auto& o : list) {
    Observable stored{crypto::NewUuid(),
                      i.id,
                      o.type,
                      o.value,
                      std::string(sharing::MarkingId(o.tlp)),
                      o.pap,
                      o.note,
                      now,
                      by};
    if (!InsertObservable(tx, stored)) continue;
    ++added;
    auto type = ParseObservableType(o.type);
    if (!type || !IsCorrelatable(*type, o.value)) continue;
    auto others = CasesWithValue(tx, o.type, o.value, i.organisation_id, kCorrelationCap + 1);
    if (static_cast<int>(others.size()) > kCorrelationCap) continue;
    for (const auto& other_id : others) {
      if (!InsertCorrelation(tx, i.id, other_id, o.type, o.value, now)) continue;
      if (matches != nullptr) matches->push_back({other_id, o.type, o.value});
      const std::string data =
          nlohmann::json{{"type", o.type}, {"value", o.value}, {"other_incident_id", other_id}}
              .dump();
      Record(tx, system, i, std::nullopt, "correlation", Visibility::kCerts,
             "Shares " + o.type + " " + o.value + " with another organisation's case", now, data);
      if (auto other = FindIncident(tx, other_id)) {
        Record(tx, system, *other, std::nullopt, "correlation", Visibility::kCerts,
               "Shares " + o.type + " " + o.value + " with another organisation's case", now,
               nlohmann::json{{"type", o.type}, {"value", o.value}, {"other_incident_id", i.id}}
                   .dump());
      }
    }
  }
  return added;
}

int YearOf(Millis t) { return std::stoi(FormatRfc3339(t).substr(0, 4)); }

void Record(db::Tx& tx, const Actor& actor, const Incident& i, std::optional<std::string> org,
            std::string kind, Visibility visibility, std::string text, Millis now,
            std::string data) {
  Event e;
  e.id = crypto::NewUuid();
  e.incident_id = i.id;
  e.at = now;
  e.actor_id = actor.user_id;
  e.actor_name = actor.display_name;
  e.actor_org_id = std::move(org);
  e.kind = std::move(kind);
  e.visibility = visibility;
  e.text = std::move(text);
  e.data = std::move(data);
  InsertEvent(tx, e);
}

Incident FileCase(db::Tx& tx, Incident i, const Actor& actor, const std::string& report_body,
                  const std::vector<NewObservable>& observables, Millis now) {
  i.id = crypto::NewUuid();
  i.reference = NextReference(tx, YearOf(now));
  i.profile_id = ProfileOfSector(tx, i.sector_id);
  i.early_warning_at = now;
  i.feedback_due_at = now + 24 * kHour;
  i.state = CaseState::kSubmitted;
  i.filed_by = actor.user_id;
  i.version = 1;
  i.created_at = i.updated_at = now;
  RefreshNextDue(tx, i, now);
  InsertIncident(tx, i);

  StoredReport report;
  report.id = crypto::NewUuid();
  report.stage = Stage::kEarlyWarning;
  report.due_at = i.aware_at + ProfileOf(tx, i).early_warning_within;
  report.submitted_at = now;
  report.submitted_by = actor.user_id;
  report.body = report_body;
  InsertReport(tx, i.id, report);

  Routing routing = RouteReport(RoutingFactsFor(tx, i.organisation_id, i.sector_id, now), now);
  for (const auto& p : routing.parties) SetParty(tx, i.id, p, now);
  for (const auto& h : routing.handovers) InsertHandover(tx, i.id, h, now);
  SaveObservables(tx, i, observables, actor.user_id, now);

  Record(tx, actor, i, i.organisation_id, "filed", Visibility::kAll,
         std::string("Early warning filed") + (now > *report.due_at ? " (late)" : ""), now);

  auto entry = audit::By(actor.principal, "incident.file", "incident", i.id, actor.request_id);
  entry.after = AuditState(i);
  audit::Append(tx, entry, now);
  return i;
}

}  // namespace rampart::incidents
