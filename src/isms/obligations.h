// The register of laws and regulations that apply to an organisation: a small library shipped in
// catalogues/obligations.json (generic kinds of law, written by us, no country's text) that an
// organisation adopts law by law, plus entries of its own; a status and evidence per obligation.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "isms/model.h"
#include "platform/db.h"

namespace rampart::isms {

inline constexpr std::array<std::string_view, 5> kLawKinds = {
    "cybersecurity", "cybercrime", "data_protection", "sector_regulation", "other"};
inline constexpr std::array<std::string_view, 5> kObligationStatuses = {
    "not_assessed", "compliant", "partial", "non_compliant", "not_applicable"};

struct LibraryObligation {
  std::string urn;  // the law's URN + ":" + the obligation's id
  std::string title;
  std::string description;
};

struct LibraryLaw {
  std::string urn;
  std::string kind;
  std::string title;
  std::string description;
  std::vector<std::string> sectors;  // sector slugs it usually applies to; empty: every sector
  std::vector<LibraryObligation> obligations;
};

// The shipped library, read and checked once; throws std::runtime_error naming the problem when
// the shipped file is broken (AddCycleRoutes reads it at start so a broken file stops the server).
const std::vector<LibraryLaw>& ObligationLibrary();
const LibraryLaw* FindLibraryLaw(std::string_view urn);

struct Obligation {
  std::string id;
  std::string organisation_id;
  std::string law_urn;         // "" for the organisation's own entries
  std::string obligation_urn;  // "" for the organisation's own entries
  std::string law_kind;
  std::string law_title;
  std::string title;
  std::string description;
  std::string status = "not_assessed";
  std::string note;
  std::string created_by;
  Millis created_at = 0;
  Millis updated_at = 0;
  std::int64_t version = 1;
  std::int64_t evidence_count = 0;  // read with the row
  std::vector<Evidence> evidence;   // filled by FindObligation
};

void InsertObligation(db::Tx& tx, const Obligation& o);
bool UpdateObligation(db::Tx& tx, const Obligation& o, std::int64_t expected_version);
std::optional<Obligation> FindObligation(db::Tx& tx, const std::string& org_id,
                                         const std::string& id);
// By law, then title.
std::vector<Obligation> ListObligations(db::Tx& tx, const std::string& org_id);
// Whether the organisation already holds any obligation of the library law `law_urn`.
bool HasAdopted(db::Tx& tx, const std::string& org_id, const std::string& law_urn);

void InsertObligationEvidence(db::Tx& tx, const std::string& obligation_id, const Evidence& ev);
std::optional<Evidence> FindObligationEvidence(db::Tx& tx, const std::string& obligation_id,
                                               const std::string& id);
void DeleteObligationEvidence(db::Tx& tx, const std::string& id);
// Marks the obligation changed (a new version and time): evidence added or removed.
void TouchObligation(db::Tx& tx, const std::string& id, Millis now);

}  // namespace rampart::isms
