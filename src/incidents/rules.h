// Incident reporting's decisions, free of I/O: reporting profiles, the legal clocks of each stage,
// and the severity an impact implies. Everything takes the time `now` as an argument.
#pragma once

#include <string>
#include <vector>

#include "incidents/model.h"
#include "platform/problem.h"

namespace rampart::incidents {

// The national default, following NIS2 article 23(4): early warning within 24 hours of becoming
// aware, notification within 72 hours, final report one month after the notification.
ReportingProfile Nis2Default();
// For finance: tighter clocks in the spirit of DORA (initial report within 4 hours, the fuller
// notification within 72 hours, final report one month after it).
ReportingProfile FinanceDoraLike();

// The clock of every stage the case is asked for, in stage order, as it stands at `now`. The
// final report is due one month after the notification; if the incident is still being handled
// then, a progress report is due at that time instead and the final report one month after the
// incident is resolved. Each intermediate request has a clock of its own.
std::vector<StageClock> Clocks(const ReportingProfile& profile, const CaseTimes& times, Millis now);

// The state of one stage: submitted on time or late, overdue, or waiting.
ClockState StateOf(std::optional<Millis> due_at, std::optional<Millis> submitted_at, Millis now);

struct SeverityDecision {
  Severity severity = Severity::kLow;
  std::string rule;  // which measure decided it, for people: "users_affected 150000 >= 100000"
};
// The highest severity any measure reaches under the profile's thresholds (low when none does).
SeverityDecision AssessSeverity(const ReportingProfile& profile, const Impact& impact);
// Whether reporting is mandatory at this severity (smaller incidents may be reported voluntarily).
bool IsSignificant(const ReportingProfile& profile, Severity severity);

// Times that cannot be: awareness in the future, a report before awareness, resolution before
// awareness. Field names are those of the API ("/aware_at", …).
std::vector<FieldError> CheckTimes(const CaseTimes& times, Millis now);

}  // namespace rampart::incidents
