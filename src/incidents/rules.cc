#include "incidents/rules.h"

#include <algorithm>
#include <array>

namespace rampart::incidents {

namespace {
constexpr std::string_view kStageNames[] = {"early_warning", "notification", "intermediate",
                                            "final", "progress"};
constexpr std::string_view kSeverityNames[] = {"low", "medium", "high", "critical"};
constexpr std::string_view kClockStateNames[] = {"waiting", "overdue", "on_time", "late",
                                                 "not_needed"};
constexpr std::string_view kCaseStateNames[] = {"submitted",   "acknowledged", "triaged",
                                                "in_progress", "resolved",     "closed",
                                                "rejected",    "duplicate",    "merged"};
}  // namespace

std::string_view Name(CaseState state) { return kCaseStateNames[static_cast<int>(state)]; }

std::optional<CaseState> ParseCaseState(std::string_view name) {
  for (CaseState s : kAllCaseStates) {
    if (Name(s) == name) return s;
  }
  return std::nullopt;
}

std::string_view Name(Stage stage) { return kStageNames[static_cast<int>(stage)]; }
std::string_view Name(Severity severity) { return kSeverityNames[static_cast<int>(severity)]; }
std::string_view Name(ClockState state) { return kClockStateNames[static_cast<int>(state)]; }

std::optional<Stage> ParseStage(std::string_view name) {
  for (Stage s : kAllStages) {
    if (Name(s) == name) return s;
  }
  return std::nullopt;
}

std::optional<Severity> ParseSeverity(std::string_view name) {
  for (int i = 0; i < 4; ++i) {
    if (kSeverityNames[i] == name) return static_cast<Severity>(i);
  }
  return std::nullopt;
}

ReportingProfile Nis2Default() {
  ReportingProfile p;
  p.id = "nis2-default";
  p.name = "National default (NIS2 article 23)";
  p.early_warning_within = 24 * kHour;
  p.notification_within = 72 * kHour;
  p.final_within = 30 * kDay;
  p.intermediate_within = 7 * kDay;
  p.users_affected = {1'000, 10'000, 100'000};
  p.duration_hours = {2, 8, 24};
  p.financial_loss_eur = {10'000, 500'000, 5'000'000};
  p.sites_or_regions = {2, 3, 5};
  p.cross_border_at_least = Severity::kHigh;
  p.significant_from = Severity::kHigh;
  return p;
}

ReportingProfile FinanceDoraLike() {
  ReportingProfile p = Nis2Default();
  p.id = "finance-dora-like";
  p.name = "Finance (DORA-like clocks)";
  p.early_warning_within = 4 * kHour;
  p.notification_within = 72 * kHour;
  p.intermediate_within = 72 * kHour;
  p.users_affected = {500, 5'000, 50'000};
  p.duration_hours = {1, 2, 12};
  p.financial_loss_eur = {10'000, 100'000, 1'000'000};
  p.significant_from = Severity::kMedium;
  // Supervisors of financial entities ask for the client and money figures in the first report.
  p.also_required = {{Stage::kNotification, "users_affected"},
                     {Stage::kNotification, "financial_loss_eur"},
                     {Stage::kFinal, "financial_loss_eur"}};
  return p;
}

const std::vector<ReportingProfile>& Profiles() {
  static const std::vector<ReportingProfile> kProfiles = {Nis2Default(), FinanceDoraLike()};
  return kProfiles;
}

const ReportingProfile* FindProfile(std::string_view id) {
  for (const auto& p : Profiles()) {
    if (p.id == id) return &p;
  }
  return nullptr;
}

std::vector<std::string> RequiredFields(const ReportingProfile& profile, Stage stage) {
  std::vector<std::string> out;
  switch (stage) {
    case Stage::kEarlyWarning:
      out = {"title", "aware_at", "suspected_malicious", "may_affect_others"};
      break;
    case Stage::kNotification:
      out = {"initial_assessment", "rsit_class", "rsit_type"};
      break;
    case Stage::kIntermediate:
      out = {"update"};
      break;
    case Stage::kFinal:
      out = {"description", "root_cause", "mitigations_applied"};
      break;
    case Stage::kProgress:
      out = {"status"};
      break;
  }
  for (const auto& [s, field] : profile.also_required) {
    if (s == stage && std::find(out.begin(), out.end(), field) == out.end()) out.push_back(field);
  }
  return out;
}

std::vector<std::string> OptionalFields(Stage stage) {
  // What AddReport reads for every stage from the notification on (the impact measures and the
  // texts of the stage), less what the stage always requires.
  static const std::vector<std::string> kImpact = {
      "users_affected", "duration_hours", "financial_loss_eur", "sites_or_regions", "cross_border"};
  std::vector<std::string> out;
  switch (stage) {
    case Stage::kEarlyWarning:
      return {};
    case Stage::kNotification:
      out = {"mitigations_ongoing"};
      break;
    case Stage::kIntermediate:
      out = {"mitigations_ongoing"};
      break;
    case Stage::kFinal:
      out = {"mitigations_ongoing", "cross_border_impact"};
      break;
    case Stage::kProgress:
      out = {"mitigations_ongoing", "expected_resolution_at"};
      break;
  }
  out.insert(out.end(), kImpact.begin(), kImpact.end());
  return out;
}

namespace {

void CheckThresholds(std::vector<FieldError>& errors, std::string_view measure,
                     const Thresholds& own, const Thresholds& law) {
  const std::string at = "/thresholds/" + std::string(measure) + "/";
  const std::pair<const char*, std::pair<std::optional<std::int64_t>, std::optional<std::int64_t>>>
      levels[] = {{"medium", {own.medium, law.medium}},
                  {"high", {own.high, law.high}},
                  {"critical", {own.critical, law.critical}}};
  std::optional<std::int64_t> below;
  for (const auto& [level, values] : levels) {
    const auto& [mine, national] = values;
    if (national && !mine) {
      errors.push_back({at + level, "may not be removed: the national law counts it from " +
                                        std::to_string(*national)});
      continue;
    }
    if (!mine) continue;
    if (*mine < 0) {
      errors.push_back({at + level, "must be zero or more"});
    } else if (national && *mine > *national) {
      errors.push_back({at + level, "may be at most " + std::to_string(*national) +
                                        ", the national law's threshold"});
    } else if (below && *mine < *below) {
      errors.push_back({at + level, "must not be lower than the level below it"});
    }
    below = *mine;
  }
}

}  // namespace

std::vector<FieldError> CheckWithinLaw(const ReportingProfile& p) {
  const ReportingProfile law = Nis2Default();
  std::vector<FieldError> errors;
  auto deadline = [&](const char* field, Millis mine, Millis national, Millis unit,
                      const char* unit_name) {
    if (mine < kHour) {
      errors.push_back({field, "must be at least one hour"});
    } else if (mine > national) {
      errors.push_back({field, "may be at most " + std::to_string(national / unit) + " " +
                                   unit_name + ", the national law's deadline"});
    } else if (mine % unit != 0) {
      errors.push_back({field, std::string("must be a whole number of ") + unit_name});
    }
  };
  deadline("/early_warning_within_hours", p.early_warning_within, law.early_warning_within, kHour,
           "hours");
  deadline("/notification_within_hours", p.notification_within, law.notification_within, kHour,
           "hours");
  deadline("/final_within_days", p.final_within, law.final_within, kDay, "days");
  deadline("/intermediate_within_hours", p.intermediate_within, law.intermediate_within, kHour,
           "hours");
  if (p.notification_within < p.early_warning_within) {
    errors.push_back({"/notification_within_hours", "must not fall before the early warning"});
  }
  CheckThresholds(errors, "users_affected", p.users_affected, law.users_affected);
  CheckThresholds(errors, "duration_hours", p.duration_hours, law.duration_hours);
  CheckThresholds(errors, "financial_loss_eur", p.financial_loss_eur, law.financial_loss_eur);
  CheckThresholds(errors, "sites_or_regions", p.sites_or_regions, law.sites_or_regions);
  if (p.significant_from > law.significant_from) {
    errors.push_back({"/significant_from", "may be at most " +
                                               std::string(Name(law.significant_from)) +
                                               ": the national law makes those incidents reportable"});
  }
  if (p.cross_border_at_least < law.cross_border_at_least) {
    errors.push_back({"/cross_border_at_least",
                      "must be at least " + std::string(Name(law.cross_border_at_least)) +
                          ", as the national law rates incidents that cross a border"});
  }
  std::vector<int> index(std::size(kAllStages), 0);
  for (const auto& [stage, field] : p.also_required) {
    const int k = index[static_cast<int>(stage)]++;
    const auto allowed = OptionalFields(stage);
    if (std::find(allowed.begin(), allowed.end(), field) == allowed.end()) {
      std::string list;
      for (const auto& f : allowed) list += (list.empty() ? "" : ", ") + f;
      errors.push_back({"/also_required/" + std::string(Name(stage)) + "/" + std::to_string(k),
                        list.empty() ? "the " + std::string(Name(stage)) +
                                           " asks for the same four fields in every sector"
                                     : "is not a field this stage may add (" + list + ")"});
    }
  }
  return errors;
}

std::optional<NextDue> NextDueOf(const std::vector<StageClock>& clocks) {
  std::optional<NextDue> next;
  for (const auto& c : clocks) {
    if (!c.due_at) continue;
    if (c.state != ClockState::kWaiting && c.state != ClockState::kOverdue) continue;
    if (!next || *c.due_at < next->due_at) next = NextDue{c.stage, *c.due_at};
  }
  return next;
}

std::string FormatReference(int year, std::int64_t number) {
  std::string digits = std::to_string(number);
  if (digits.size() < 6) digits.insert(0, 6 - digits.size(), '0');
  return "INC-" + std::to_string(year) + "-" + digits;
}

Routing RouteReport(const RoutingFacts& facts, Millis now) {
  Routing out;
  out.parties.push_back({facts.reporter_id, Relation::kReporter});
  auto add_party = [&](const std::string& org, Relation relation) {
    for (auto& p : out.parties) {
      if (p.org_id != org) continue;
      // The national CERT may hold a case both ways through two regulators: in full wins.
      if (p.relation == Relation::kNationalCertAnonymised && relation == Relation::kNationalCert) {
        p.relation = relation;
      }
      return;
    }
    out.parties.push_back({org, relation});
  };
  for (const auto& r : facts.regulators) {
    add_party(r, Relation::kRegulator);
    out.handovers.push_back({facts.reporter_id, r, "filed", std::nullopt, true, false});
  }
  for (const auto& c : facts.sector_certs) {
    add_party(c, Relation::kSectorCert);
    out.handovers.push_back({facts.reporter_id, c, "copy", std::nullopt, true, false});
  }
  bool any_mou = false;
  for (const auto& m : facts.mous) {
    if (std::find(facts.regulators.begin(), facts.regulators.end(), m.regulator_id) ==
        facts.regulators.end()) {
      continue;  // an MOU of a regulator that no longer regulates the sector
    }
    any_mou = true;
    if (m.mode == "after_review") {
      out.handovers.push_back({m.regulator_id, m.national_cert_id, m.mode,
                               now + m.forward_within_hours * kHour, false, false});
    } else {
      const bool anonymised = m.mode == "anonymised";
      add_party(m.national_cert_id,
                anonymised ? Relation::kNationalCertAnonymised : Relation::kNationalCert);
      out.handovers.push_back(
          {m.regulator_id, m.national_cert_id, m.mode, std::nullopt, true, anonymised});
    }
  }
  if (!any_mou) {
    for (const auto& n : facts.national_certs) {
      add_party(n, Relation::kNationalCert);
      out.handovers.push_back({facts.reporter_id, n, "direct", std::nullopt, true, false});
    }
  }
  return out;
}

namespace {

struct Transition {
  CaseState from;
  CaseState to;
  bool cert;
  bool reporter;
};

using S = CaseState;
constexpr Transition kTransitions[] = {
    {S::kSubmitted, S::kAcknowledged, true, false},
    {S::kSubmitted, S::kTriaged, true, false},
    {S::kSubmitted, S::kRejected, true, false},
    {S::kSubmitted, S::kDuplicate, true, false},
    {S::kSubmitted, S::kResolved, false, true},
    {S::kAcknowledged, S::kTriaged, true, false},
    {S::kAcknowledged, S::kInProgress, true, false},
    {S::kAcknowledged, S::kRejected, true, false},
    {S::kAcknowledged, S::kDuplicate, true, false},
    {S::kAcknowledged, S::kResolved, true, true},
    {S::kTriaged, S::kInProgress, true, false},
    {S::kTriaged, S::kRejected, true, false},
    {S::kTriaged, S::kDuplicate, true, false},
    {S::kTriaged, S::kResolved, true, true},
    {S::kInProgress, S::kResolved, true, true},
    {S::kInProgress, S::kDuplicate, true, false},
    {S::kResolved, S::kInProgress, true, true},  // not resolved after all
    {S::kResolved, S::kClosed, true, false},
    {S::kRejected, S::kAcknowledged, true, false},  // reconsidered
    {S::kDuplicate, S::kAcknowledged, true, false},
};

}  // namespace

bool MayTransition(CaseState from, CaseState to, Side side) {
  for (const auto& t : kTransitions) {
    if (t.from == from && t.to == to) return side == Side::kCert ? t.cert : t.reporter;
  }
  return false;
}

bool MayMerge(CaseState from, CaseState into) {
  return IsOpen(from) && (IsOpen(into) || into == CaseState::kResolved);
}

std::vector<CaseState> NextStates(CaseState from, Side side) {
  std::vector<CaseState> out;
  for (CaseState to : kAllCaseStates) {
    if (MayTransition(from, to, side)) out.push_back(to);
  }
  return out;
}

bool IsOpen(CaseState state) {
  switch (state) {
    case CaseState::kSubmitted:
    case CaseState::kAcknowledged:
    case CaseState::kTriaged:
    case CaseState::kInProgress:
      return true;
    default:
      return false;
  }
}

ClockState StateOf(std::optional<Millis> due_at, std::optional<Millis> submitted_at, Millis now) {
  if (submitted_at) {
    return (!due_at || *submitted_at <= *due_at) ? ClockState::kOnTime : ClockState::kLate;
  }
  if (due_at && now > *due_at) return ClockState::kOverdue;
  return ClockState::kWaiting;
}

std::vector<StageClock> Clocks(const ReportingProfile& profile, const CaseTimes& t, Millis now) {
  std::vector<StageClock> out;
  auto add = [&](Stage stage, std::optional<Millis> due, std::optional<Millis> submitted) {
    out.push_back({stage, due, submitted, StateOf(due, submitted, now)});
  };
  add(Stage::kEarlyWarning, t.aware_at + profile.early_warning_within, t.early_warning_at);
  add(Stage::kNotification, t.aware_at + profile.notification_within, t.notification_at);
  for (const auto& r : t.intermediate) {
    add(Stage::kIntermediate, r.due_at.value_or(r.requested_at + profile.intermediate_within),
        r.submitted_at);
  }

  std::optional<Millis> progress_submitted;
  if (!t.progress_at.empty()) {
    progress_submitted = *std::min_element(t.progress_at.begin(), t.progress_at.end());
  } else if (t.final_at) {
    progress_submitted = t.final_at;  // a late final report stands for the missing progress report
  }
  if (!t.notification_at) {
    // The final report's clock starts with the notification; until then it waits.
    add(Stage::kFinal, std::nullopt, t.final_at);
    return out;
  }
  const Millis one_month_after = *t.notification_at + profile.final_within;
  const bool final_first = t.final_at && *t.final_at <= one_month_after;
  const bool handled_in_time = t.resolved_at && *t.resolved_at <= one_month_after;
  // Before the month is out, the final report is what is due; a progress report only becomes
  // due when the month ends with the incident still being handled (or is sent early).
  const bool month_running = now <= one_month_after && t.progress_at.empty();
  if (final_first || handled_in_time || month_running) {
    add(Stage::kFinal, one_month_after, t.final_at);
    return out;
  }
  // Still being handled a month after the notification: a progress report then, and the final
  // report one month after the incident is resolved.
  add(Stage::kProgress, one_month_after, progress_submitted);
  std::optional<Millis> final_due;
  if (t.resolved_at) final_due = *t.resolved_at + profile.final_within;
  add(Stage::kFinal, final_due, t.final_at);
  return out;
}

SeverityDecision AssessSeverity(const ReportingProfile& profile, const Impact& impact) {
  SeverityDecision best;
  best.rule = "no impact measure reaches a threshold";
  auto consider = [&](std::string_view measure, const std::optional<std::int64_t>& value,
                      const Thresholds& th) {
    if (!value) return;
    const std::array<std::pair<Severity, std::optional<std::int64_t>>, 3> levels = {
        {{Severity::kCritical, th.critical},
         {Severity::kHigh, th.high},
         {Severity::kMedium, th.medium}}};
    for (const auto& [severity, limit] : levels) {
      if (limit && *value >= *limit) {
        if (severity > best.severity) {
          best.severity = severity;
          best.rule =
              std::string(measure) + " " + std::to_string(*value) + " >= " + std::to_string(*limit);
        }
        return;
      }
    }
  };
  consider("users_affected", impact.users_affected, profile.users_affected);
  consider("duration_hours", impact.duration_hours, profile.duration_hours);
  consider("financial_loss_eur", impact.financial_loss_eur, profile.financial_loss_eur);
  consider("sites_or_regions", impact.sites_or_regions, profile.sites_or_regions);
  if (impact.cross_border && profile.cross_border_at_least > best.severity) {
    best.severity = profile.cross_border_at_least;
    best.rule = "cross-border impact";
  }
  return best;
}

bool IsSignificant(const ReportingProfile& profile, Severity severity) {
  return severity >= profile.significant_from;
}

std::vector<FieldError> CheckTimes(const CaseTimes& t, Millis now) {
  std::vector<FieldError> errors;
  constexpr Millis kClockSkew = 5 * 60'000;  // a reporter's clock may run a little ahead
  if (t.aware_at > now + kClockSkew) errors.push_back({"/aware_at", "must not be in the future"});
  auto not_before_awareness = [&](std::string field, const std::optional<Millis>& at) {
    if (at && *at < t.aware_at) errors.push_back({std::move(field), "must not be before aware_at"});
  };
  not_before_awareness("/early_warning_at", t.early_warning_at);
  not_before_awareness("/notification_at", t.notification_at);
  not_before_awareness("/final_at", t.final_at);
  not_before_awareness("/resolved_at", t.resolved_at);
  if (t.resolved_at && *t.resolved_at > now + kClockSkew) {
    errors.push_back({"/resolved_at", "must not be in the future"});
  }
  return errors;
}

std::string_view Name(DisclosureState state) {
  switch (state) {
    case DisclosureState::kPending:
      return "pending";
    case DisclosureState::kApproved:
      return "approved";
    case DisclosureState::kRefused:
      return "refused";
    case DisclosureState::kReleased:
      return "released";
  }
  return "unknown";
}

DisclosureState StateOfDisclosure(const std::vector<DisclosureDecision>& decisions) {
  std::vector<std::string> approvers;
  for (const auto& d : decisions) {
    if (!d.approve) return DisclosureState::kRefused;
    if (std::find(approvers.begin(), approvers.end(), d.user_id) == approvers.end()) {
      approvers.push_back(d.user_id);
    }
  }
  return static_cast<int>(approvers.size()) >= kDisclosureApprovals ? DisclosureState::kApproved
                                                                    : DisclosureState::kPending;
}

}  // namespace rampart::incidents
