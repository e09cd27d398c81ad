#include "isms/cycle.h"

#include <cmath>

namespace rampart::isms {

namespace {

constexpr Millis kDay = 24LL * 3600 * 1000;

double OneDecimal(double v) { return std::round(v * 10.0) / 10.0; }

Millis StartOfDay(Millis t) { return t - ((t % kDay) + kDay) % kDay; }

}  // namespace

bool Overdue(const Evaluation& e, Millis now) {
  return !e.done_at && e.planned_for && *e.planned_for < now;
}

bool Overdue(const ImprovementAction& a, Millis now) {
  return (a.status == "open" || a.status == "in_progress") && a.due_at < now;
}

bool DueBeforeCreation(Millis due_at, Millis created_at) { return due_at < StartOfDay(created_at); }

Implementation Measure(const std::vector<MaturityBucket>& buckets) {
  Implementation out;
  double plain = 0;
  double weighted = 0;
  for (const auto& b : buckets) {
    if (b.status == Status::kNotApplicable) continue;
    out.applicable += b.count;
    double credit = 0;
    if (b.status == Status::kImplemented) {
      out.implemented += b.count;
      credit = 1.0;
    } else if (b.status == Status::kPartial) {
      out.partial += b.count;
      credit = 0.5;
    }
    plain += credit * static_cast<double>(b.count);
    const double factor = b.maturity < 0 ? 1.0 : static_cast<double>(b.maturity) / 5.0;
    weighted += credit * factor * static_cast<double>(b.count);
  }
  if (out.applicable > 0) {
    const auto n = static_cast<double>(out.applicable);
    out.implemented_share = OneDecimal(100.0 * plain / n);
    out.weighted_share = OneDecimal(100.0 * weighted / n);
  }
  return out;
}

std::string_view Name(Stage s) {
  switch (s) {
    case Stage::kDesign:
      return "design";
    case Stage::kImplementation:
      return "implementation";
    case Stage::kEvaluation:
      return "evaluation";
    case Stage::kImprovement:
      return "improvement";
  }
  return "design";
}

Stage StageOf(const CycleFacts& f, Millis now) {
  if (!f.scope_recorded) return Stage::kDesign;
  if (f.applicable_controls == 0 || f.implemented_controls == 0) return Stage::kImplementation;
  if (!f.last_evaluation || *f.last_evaluation < now - kYear) return Stage::kEvaluation;
  return Stage::kImprovement;
}

std::string EffectiveStatus(const Certification& c, Millis now) {
  if (c.status == "certified" && c.expires_at && *c.expires_at <= now) return "expired";
  return c.status;
}

}  // namespace rampart::isms
