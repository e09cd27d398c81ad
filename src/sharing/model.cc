#include "sharing/model.h"

#include <cstdio>

#include "incidents/observables.h"

namespace rampart::sharing {

namespace {

template <class E, std::size_t N>
std::optional<E> ParseByName(std::string_view name, const E (&all)[N]) {
  for (E e : all) {
    if (Name(e) == name) return e;
  }
  return std::nullopt;
}

constexpr AdvisoryState kAllAdvisoryStates[] = {AdvisoryState::kDraft, AdvisoryState::kPublished,
                                                AdvisoryState::kSuperseded};

}  // namespace

std::string_view Name(Severity severity) {
  switch (severity) {
    case Severity::kInfo:
      return "info";
    case Severity::kLow:
      return "low";
    case Severity::kMedium:
      return "medium";
    case Severity::kHigh:
      return "high";
    case Severity::kCritical:
      return "critical";
  }
  return "medium";
}

std::optional<Severity> ParseSeverity(std::string_view name) {
  return ParseByName(name, kAllSeverities);
}

std::string_view Name(AdvisoryState state) {
  switch (state) {
    case AdvisoryState::kDraft:
      return "draft";
    case AdvisoryState::kPublished:
      return "published";
    case AdvisoryState::kSuperseded:
      return "superseded";
  }
  return "draft";
}

std::optional<AdvisoryState> ParseAdvisoryState(std::string_view name) {
  return ParseByName(name, kAllAdvisoryStates);
}

std::string_view Name(AckState state) {
  switch (state) {
    case AckState::kRead:
      return "read";
    case AckState::kApplied:
      return "applied";
    case AckState::kNotAffected:
      return "not_affected";
  }
  return "read";
}

std::optional<AckState> ParseAckState(std::string_view name) {
  return ParseByName(name, kAllAckStates);
}

std::string FormatAdvisoryReference(int year, std::int64_t number) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "ADV-%04d-%04lld", year, static_cast<long long>(number));
  return buf;
}

Item ItemOf(const Advisory& a, const std::vector<PassOn>& passes) {
  Item i;
  i.author_org_id = a.author_org_id;
  i.tlp = a.tlp;
  i.distribution = a.distribution;
  i.sector_ids = a.sector_ids;
  i.group_id = a.group_id;
  i.recipient_org_ids = a.recipient_org_ids;
  i.recipient_user_ids = a.recipient_user_ids;
  i.passed_on = passes;
  return i;
}

std::optional<std::string> CanonicalCve(std::string_view raw) {
  auto n = incidents::Normalise(incidents::ObservableType::kCve, raw);
  if (!n.ok()) return std::nullopt;
  return n.value;
}

}  // namespace rampart::sharing
