// Pure decisions about a Statement of Applicability: what makes an entry consistent, the posture
// figure, the entry's state as versions and the audit log keep it, and the difference between two
// states. No I/O.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "isms/model.h"
#include "platform/problem.h"

namespace rampart::isms {

// What is wrong with an entry as it would be stored, as field errors of its PATCH body:
// an excluded control must be `not_applicable`, say why in text, and carry no maturity; an
// applicable one cannot be `not_applicable`; maturity is 0–5. `prefix` goes before each field
// ("/set" for a bulk edit). The messages name the requirement.
std::vector<FieldError> CheckEntry(const Entry& e, const std::string& prefix = "");

// The share of applicable controls implemented, partial ones counting half, in per cent with one
// decimal; nullopt when no control is applicable (nothing to measure yet).
std::optional<double> Posture(const Counts& c);

// The entry as approved versions, the audit log and the diff hold it: the fields people decide,
// in a fixed key order (equal states, equal digests). Evidence appears by kind, name and target.
nlohmann::json EntryState(const Entry& e);

struct FieldChange {
  std::string field;  // "status", "justification.text", "evidence", …
  nlohmann::json before;
  nlohmann::json after;
};
struct EntryChange {
  std::string requirement_id;
  std::vector<FieldChange> fields;
};
// Entries (arrays of EntryState objects, in framework order) that differ between `from` and
// `to`, field by field; an entry present on one side only shows with null on the other.
std::vector<EntryChange> Diff(const nlohmann::json& from, const nlohmann::json& to);

}  // namespace rampart::isms
