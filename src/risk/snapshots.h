// Snapshots of a risk analysis and comparisons between them.
//
// A snapshot freezes the whole analysis as its export document (exchange.h), stored in the
// content-addressed `files` table: two snapshots of an unchanged analysis share one stored copy,
// and the bytes a snapshot's export route serves are exactly those frozen. Beside it, a narrow
// row per scenario keeps what a comparison needs (ids, names, risks, levels, treatment, owner),
// so that comparing two iterations never parses a document.
//
// A comparison matches scenarios by id: the same scenario in two snapshots of one analysis (an
// imported analysis keeps its snapshots' ids in step with its own, see exchange.cc).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "platform/clock.h"
#include "platform/db.h"
#include "platform/json_writer.h"
#include "platform/problem.h"
#include "risk/model.h"

namespace rampart::risk {

// Scenarios counted by level; unscored ones are in none of the three.
struct LevelTally {
  std::int64_t low = 0;
  std::int64_t medium = 0;
  std::int64_t high = 0;

  void Add(std::string_view level);
  bool operator==(const LevelTally&) const = default;
};

struct SnapshotCounts {
  std::int64_t assets = 0;
  std::int64_t scenarios = 0;
  LevelTally current;
  LevelTally residual;
};

struct Snapshot {
  std::string id;
  std::string analysis_id;
  std::string name;
  std::string note;
  Millis taken_at = 0;
  std::optional<std::string> taken_by;  // null when the person is unknown here (an import)
  std::string taken_by_name;            // display name as it was when taken
  std::string document_sha256;
  SnapshotCounts counts;
};

// What a comparison knows of one scenario. Risks are -1 and levels "" while unscored.
struct ScenarioFigures {
  std::string scenario_id;
  std::string asset_id, asset_name;
  std::string threat_id, threat_urn, threat_name;
  std::string vulnerability_id, vulnerability_urn, vulnerability_name;
  std::int64_t current = -1;
  std::string current_level;
  std::int64_t residual = -1;
  std::string residual_level;
  std::string treatment = "none";
  std::optional<std::string> owner_id;
};

// ---- the store ----

// Freezes the analysis as it is now, inside the caller's write transaction.
Snapshot TakeSnapshot(db::Tx& tx, const Analysis& analysis, std::string name, std::string note,
                      const std::string& taken_by, Millis now);
// Newest first.
std::vector<Snapshot> ListSnapshots(db::Tx& tx, std::string_view analysis_id);
std::optional<Snapshot> FindSnapshot(db::Tx& tx, std::string_view analysis_id, std::string_view id);
std::optional<Snapshot> LatestSnapshot(db::Tx& tx, std::string_view analysis_id);
// The frozen export document, byte for byte.
std::string SnapshotDocument(db::Tx& tx, const Snapshot& s);
// A snapshot's figures, and the analysis's figures now; both in scenario id order (byte order).
std::vector<ScenarioFigures> SnapshotFigures(db::Tx& tx, std::string_view snapshot_id);
std::vector<ScenarioFigures> CurrentFigures(db::Tx& tx, std::string_view analysis_id);
// One scenario's figures in a snapshot; nullopt when the snapshot did not have it.
std::optional<ScenarioFigures> SnapshotFigure(db::Tx& tx, std::string_view snapshot_id,
                                              std::string_view scenario_id);

// ---- comparison (pure) ----

struct FigureChange {
  ScenarioFigures before;
  ScenarioFigures after;
};

struct Comparison {
  LevelTally from_current, from_residual;
  LevelTally to_current, to_residual;
  std::vector<ScenarioFigures> added;    // in `to` only
  std::vector<ScenarioFigures> removed;  // in `from` only
  std::vector<FigureChange> changed;     // risk, level, treatment or owner differ
  std::int64_t added_total = 0, removed_total = 0, changed_total = 0;
  bool truncated = false;  // a list holds fewer than its total
};

// One pass over both lists, which must be in scenario id order; each list keeps at most `limit`
// entries (the first by scenario id), the totals count them all.
Comparison Compare(const std::vector<ScenarioFigures>& from, const std::vector<ScenarioFigures>& to,
                   std::size_t limit);

// ---- JSON ----

void WriteSnapshot(JsonWriter& w, const Snapshot& s);
std::string SnapshotJson(const Snapshot& s);
void WriteLevelTally(JsonWriter& w, const LevelTally& t);
// `from`/`to` are already-written JSON objects (a snapshot, or {"current":true}).
std::string ComparisonJson(const Comparison& c, std::string_view from_json,
                           std::string_view to_json);

// ---- export and import (exchange.cc) ----

// The analysis's snapshots as the export document's "snapshots" array: each with its frozen
// document and its figures, people by username.
void WriteSnapshotsForExport(JsonWriter& w, db::Tx& tx, std::string_view analysis_id);

struct ImportedSnapshot {
  Snapshot snapshot;  // taken_by holds the username until written
  nlohmann::json document;
  std::vector<ScenarioFigures> rows;  // owner_id holds the username until written
};
// Checks the "snapshots" array of an import document, adding an error per fault ("/snapshots/0/
// name"); nothing is written.
std::vector<ImportedSnapshot> ReadSnapshotsForImport(const nlohmann::json& list,
                                                     std::vector<FieldError>& errors);
// Writes checked snapshots under `analysis_id`. `new_ids` maps the file's ids (scenarios, assets,
// threats, vulnerabilities) to the ids they were imported under; an id the analysis no longer has
// (a scenario deleted since the snapshot) gets a fresh id, the same one in every snapshot, so
// that comparisons between imported snapshots and with the analysis still match.
void WriteImportedSnapshots(db::Tx& tx, std::string_view analysis_id,
                            std::vector<ImportedSnapshot>& snapshots,
                            std::unordered_map<std::string, std::string> new_ids, Millis now);

}  // namespace rampart::risk
