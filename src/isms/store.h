// The Statement of Applicability's SQL: SoAs, their entries, evidence, the risks each entry treats,
// and approved versions. Callers run these inside their own transaction.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "isms/frameworks.h"
#include "isms/model.h"
#include "platform/db.h"

namespace rampart::isms {

// Makes the SoA and one entry per assessable requirement of `framework` (applicable, not started).
void CreateSoa(db::Tx& tx, const Soa& soa, const Framework& framework, Millis now);
std::optional<Soa> FindSoa(db::Tx& tx, const std::string& org_id, const std::string& ref);
std::vector<Soa> ListSoas(db::Tx& tx, const std::string& org_id);
// Marks the SoA changed: a new version and time. Every write to an entry or its evidence calls it.
void TouchSoa(db::Tx& tx, const std::string& soa_id, Millis now);

struct EntryFilter {
  std::optional<std::string> group;
  std::optional<Status> status;
  std::optional<bool> applicable;
  std::optional<std::string> owner_id;
  std::optional<int> maturity;
  std::optional<std::string> text;  // in the id, title, justification or note, any case
  bool changed_only = false;        // changed since the newest approval
};

// A page of entries in framework order, after `after_position`, at most `limit`, with the owner's
// name and the number of evidence items (no evidence or risks lists).
std::vector<Entry> ListEntries(db::Tx& tx, const Soa& soa, const EntryFilter& filter,
                               std::int64_t after_position, int limit);
// One entry with its evidence and risks; nullopt when the SoA has no such requirement.
std::optional<Entry> LoadEntry(db::Tx& tx, const std::string& soa_id,
                               const std::string& requirement_id);
// Entries in framework order, `batch` at a time, each complete (evidence and risks), handed to
// `each` batch by batch: memory holds one batch, however large the SoA.
void ForEachEntry(db::Tx& tx, const std::string& soa_id, int batch,
                  const std::function<void(std::vector<Entry>&)>& each);

// Writes the decided fields of `e` and increments its version, when it is still `expected_version`
// (any version when nullopt). False when the entry changed meanwhile.
bool UpdateEntry(db::Tx& tx, const Entry& e, std::optional<std::int64_t> expected_version,
                 Millis now);
// Replaces the scenarios the entry treats.
void SetRisks(db::Tx& tx, const std::string& soa_id, const std::string& requirement_id,
              const std::vector<std::string>& scenario_ids);
// The scenario ids among `ids` that belong to the organisation's current risk analysis.
std::vector<std::string> OwnScenarios(db::Tx& tx, const std::string& org_id,
                                      const std::vector<std::string>& ids);
// Increments the entry's version (evidence changed) without touching its fields.
void BumpEntry(db::Tx& tx, const std::string& soa_id, const std::string& requirement_id,
               const std::string& by, Millis now);

void InsertEvidence(db::Tx& tx, const std::string& soa_id, const std::string& requirement_id,
                    const Evidence& ev);
std::optional<Evidence> FindEvidence(db::Tx& tx, const std::string& soa_id,
                                     const std::string& requirement_id, const std::string& id);
void DeleteEvidence(db::Tx& tx, const std::string& id);

Counts CountEntries(db::Tx& tx, const Soa& soa);

// The next version number, its row, and every entry marked as approved at its current version.
void InsertVersion(db::Tx& tx, const SoaVersion& v);
void MarkApproved(db::Tx& tx, const std::string& soa_id, std::int64_t number);
std::vector<SoaVersion> ListVersions(db::Tx& tx, const std::string& soa_id);  // without documents
std::optional<SoaVersion> FindVersion(db::Tx& tx, const std::string& soa_id, std::int64_t number);

// Whether `user_id` is a person of the organisation.
bool IsMember(db::Tx& tx, const std::string& org_id, const std::string& user_id);

}  // namespace rampart::isms
