// Bulk import of incident cases, e.g. a regulator's history kept in a spreadsheet, from JSON lines
// or CSV. All or nothing: every record is checked first and every error reported with its line;
// only a file without errors is filed, in one transaction, each record through FileCase so that an
// imported case is numbered, routed, timed and audited exactly like one filed over the API.
//
// Fields (JSON-lines keys = CSV column names); empty or null is absent:
//   organisation        required; id, short name or name in the directory
//   sector              slug; optional when the organisation is in one sector
//   title, summary      as in an early warning (title 3-200 characters, summary up to 4000)
//   aware_at            required, RFC 3339; occurred_at optional, not after aware_at
//   reported_at         when the early warning was filed (default: now); from aware_at, not future
//   suspected_malicious required: yes, no, unknown
//   may_affect_others   required: true, false
//   rsit_class, rsit_type, severity, users_affected, duration_hours, financial_loss_eur,
//   sites_or_regions, cross_border     the notification (filed at reported_at) when any is given
//   root_cause          one of kRootCauses: the final report (filed at reported_at)
//   resolved_at         RFC 3339, from aware_at, not future
//   state               submitted … closed (default: resolved with a root cause, else submitted)
//   observables         JSON lines: [{type, value, tlp, pap, note}]; CSV: "type:value;type:value"
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "incidents/cases.h"
#include "incidents/csv.h"
#include "incidents/model.h"
#include "platform/clock.h"
#include "platform/db.h"

namespace rampart::incidents {

enum class ImportFormat : std::uint8_t { kJsonLines, kCsv };

struct ImportError {
  int line = 0;
  std::string field;  // "title", "observables/1/value"; "record" for the line as a whole
  std::string message;
};

// The first `keep` errors and how many there were in all.
struct ImportErrors {
  std::size_t keep = 100;
  std::vector<ImportError> first;
  std::int64_t total = 0;
  void Add(int line, std::string field, std::string message);
};

// The organisations and sectors records name, loaded once.
struct ImportDirectory {
  struct Org {
    std::string id;
    std::vector<std::pair<std::string, std::string>> sectors;  // slug, id
  };
  std::vector<Org> orgs;
  std::unordered_map<std::string, std::size_t> by_key;  // id, short name and name → orgs index
  static ImportDirectory Load(db::Tx& tx);
};

// One record, checked: the early warning's draft and what later stages established.
struct ImportRecord {
  int line = 0;
  Incident draft;  // organisation_id, sector_id and the early warning's facts
  Millis reported_at = 0;
  std::string report_body;  // the early warning as JSON
  std::vector<NewObservable> observables;
  bool notification = false;  // any of the classification and impact fields given
  std::optional<Severity> declared;
  std::string notification_body;
  std::optional<std::string> root_cause;
  std::optional<Millis> resolved_at;
  std::optional<CaseState> state;
};

// Reads the records of `text` one after another, checking each against the directory at `now`.
class ImportReader final {
 public:
  ImportReader(std::string_view text, ImportFormat format, const ImportDirectory& directory,
               Millis now, ImportErrors& errors);
  // The next record: true with `out` set when it is valid, true with `out` empty when it had
  // errors (added to `errors`), false at the end.
  bool Next(std::optional<ImportRecord>& out);

 private:
  std::string_view text_;
  ImportFormat format_;
  const ImportDirectory& directory_;
  Millis now_;
  ImportErrors& errors_;
  std::size_t pos_ = 0;
  int line_ = 0;
  std::optional<CsvReader> csv_;
  std::vector<std::string> header_;
  std::vector<bool> header_known_;
};

// Files a checked record as `actor`: FileCase at reported_at, then the later stages. `now` is the
// real time the clocks are judged at.
Incident FileImported(db::Tx& tx, const ImportRecord& record, const Actor& actor, Millis now);

struct ImportOutcome {
  std::int64_t imported = 0;
  ImportErrors errors;
  std::string fatal;         // a problem with the whole import (the account), instead of errors
  double check_seconds = 0;  // reading and checking every record
  double file_seconds = 0;   // filing them, with the commit
};

// Checks every record of `text`; when none has an error, files them all in one transaction as
// the active account `as_username`, else changes nothing.
ImportOutcome Import(db::Database& db, std::string_view text, ImportFormat format,
                     const std::string& as_username, Millis now);

}  // namespace rampart::incidents
