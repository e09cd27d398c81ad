#include "incidents/import.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "incidents/notices.h"
#include "incidents/observables.h"
#include "incidents/rules.h"
#include "incidents/store.h"
#include "incidents/taxonomy.h"
#include "platform/audit.h"
#include "platform/crypto.h"
#include "platform/identity.h"
#include "sharing/tlp.h"

namespace rampart::incidents {

namespace {

using nlohmann::json;

constexpr std::string_view kFields[] = {"organisation",
                                        "sector",
                                        "title",
                                        "summary",
                                        "aware_at",
                                        "occurred_at",
                                        "reported_at",
                                        "suspected_malicious",
                                        "may_affect_others",
                                        "rsit_class",
                                        "rsit_type",
                                        "severity",
                                        "users_affected",
                                        "duration_hours",
                                        "financial_loss_eur",
                                        "sites_or_regions",
                                        "cross_border",
                                        "root_cause",
                                        "resolved_at",
                                        "state",
                                        "observables"};

bool Known(std::string_view name) {
  return std::find(std::begin(kFields), std::end(kFields), name) != std::end(kFields);
}

// The fields of one record, whichever format it came in; CSV gives every value as text.
class Fields final {
 public:
  Fields(const json& obj, bool csv, int line, ImportErrors& errors)
      : obj_(obj), csv_(csv), line_(line), errors_(errors) {}

  void Fail(std::string field, std::string message) {
    ++failed_;
    errors_.Add(line_, std::move(field), std::move(message));
  }
  [[nodiscard]] bool failed() const { return failed_ > 0; }
  [[nodiscard]] bool csv() const { return csv_; }

  // The value, or nullptr when absent (missing, null or the empty string).
  const json* Get(std::string_view name) {
    auto it = obj_.find(name);
    if (it == obj_.end() || it->is_null()) return nullptr;
    if (it->is_string() && it->get_ref<const std::string&>().empty()) return nullptr;
    return &*it;
  }

  std::optional<std::string> Text(std::string_view name, bool required, std::size_t max,
                                  std::size_t min = 0) {
    const json* v = Get(name);
    if (v == nullptr) {
      if (required) Fail(std::string(name), "is required");
      return std::nullopt;
    }
    if (!v->is_string()) {
      Fail(std::string(name), "must be a string");
      return std::nullopt;
    }
    const auto& s = v->get_ref<const std::string&>();
    if (s.size() < min || s.size() > max) {
      Fail(std::string(name),
           "must be " + std::to_string(min) + " to " + std::to_string(max) + " characters");
      return std::nullopt;
    }
    return s;
  }

  std::optional<std::string> OneOf(std::string_view name, bool required,
                                   std::initializer_list<std::string_view> allowed) {
    auto s = Text(name, required, 64);
    if (!s) return std::nullopt;
    if (std::find(allowed.begin(), allowed.end(), *s) == allowed.end()) {
      std::string list;
      for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      Fail(std::string(name), "must be one of " + list);
      return std::nullopt;
    }
    return s;
  }

  std::optional<Millis> Time(std::string_view name, bool required) {
    auto s = Text(name, required, 64);
    if (!s) return std::nullopt;
    auto t = ParseRfc3339(*s);
    if (!t) Fail(std::string(name), "must be an RFC 3339 time, e.g. 2026-03-01T08:30:00Z");
    return t;
  }

  std::optional<bool> Bool(std::string_view name, bool required) {
    const json* v = Get(name);
    if (v == nullptr) {
      if (required) Fail(std::string(name), "is required");
      return std::nullopt;
    }
    if (v->is_boolean()) return v->get<bool>();
    if (csv_ && v->is_string()) {
      const auto& s = v->get_ref<const std::string&>();
      if (s == "true") return true;
      if (s == "false") return false;
    }
    Fail(std::string(name), "must be true or false");
    return std::nullopt;
  }

  std::optional<std::int64_t> Int(std::string_view name) {
    constexpr std::int64_t kMax = 1'000'000'000'000;
    const json* v = Get(name);
    if (v == nullptr) return std::nullopt;
    std::int64_t n = -1;
    bool ok = false;
    if (v->is_number_integer()) {
      n = v->get<std::int64_t>();
      ok = true;
    } else if (csv_ && v->is_string()) {
      const auto& s = v->get_ref<const std::string&>();
      auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
      ok = ec == std::errc() && end == s.data() + s.size();
    }
    if (!ok || n < 0 || n > kMax) {
      Fail(std::string(name), "must be a whole number from 0 to 1000000000000");
      return std::nullopt;
    }
    return n;
  }

 private:
  const json& obj_;
  bool csv_;
  int line_;
  ImportErrors& errors_;
  int failed_ = 0;
};

std::optional<NewObservable> ObservableAt(Fields& f, const std::string& at, std::string_view type,
                                          std::string_view value,
                                          std::optional<std::string_view> tlp,
                                          std::optional<std::string_view> pap) {
  NewObservable o;
  auto errors = CheckObservable(type, value, tlp, pap, o);
  for (auto& e : errors) f.Fail(at + "/" + e.field, std::move(e.message));
  if (!errors.empty()) return std::nullopt;
  return o;
}

std::vector<NewObservable> ReadObservables(Fields& f) {
  std::vector<NewObservable> out;
  const json* v = f.Get("observables");
  if (v == nullptr) return out;
  if (f.csv()) {
    // "type:value;type:value"; the type ends at the first colon, so values may hold colons.
    std::string_view rest = v->get_ref<const std::string&>();
    int k = 0;
    while (!rest.empty()) {
      auto semi = rest.find(';');
      std::string_view item = rest.substr(0, semi);
      rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
      const std::string at = "observables/" + std::to_string(k++);
      auto colon = item.find(':');
      if (colon == std::string_view::npos) {
        f.Fail(at, "must be written type:value");
        continue;
      }
      if (auto o = ObservableAt(f, at, item.substr(0, colon), item.substr(colon + 1), std::nullopt,
                                std::nullopt)) {
        out.push_back(std::move(*o));
      }
    }
    return out;
  }
  if (!v->is_array()) {
    f.Fail("observables", "must be an array of {type, value, tlp, pap, note}");
    return out;
  }
  if (v->size() > 500) {
    f.Fail("observables", "must have at most 500 items");
    return out;
  }
  for (std::size_t k = 0; k < v->size(); ++k) {
    const json& item = (*v)[k];
    const std::string at = "observables/" + std::to_string(k);
    if (!item.is_object()) {
      f.Fail(at, "must be an object");
      continue;
    }
    auto text = [&](const char* key) -> std::optional<std::string_view> {
      auto it = item.find(key);
      if (it == item.end() || it->is_null()) return std::nullopt;
      if (!it->is_string()) {
        f.Fail(at + "/" + key, "must be a string");
        return std::nullopt;
      }
      return std::string_view(it->get_ref<const std::string&>());
    };
    bool shape_ok = true;
    for (const auto& [key, _] : item.items()) {
      if (key != "type" && key != "value" && key != "tlp" && key != "pap" && key != "note") {
        f.Fail(at + "/" + key, "is not a field of an observable");
        shape_ok = false;
      }
    }
    auto type = text("type");
    auto value = text("value");
    if (!type) f.Fail(at + "/type", "is required");
    if (!value) f.Fail(at + "/value", "is required");
    auto note = text("note");
    if (!type || !value || !shape_ok) continue;
    if (auto o = ObservableAt(f, at, *type, *value, text("tlp"), text("pap"))) {
      if (note) o->note = std::string(note->substr(0, 1000));
      out.push_back(std::move(*o));
    }
  }
  return out;
}

std::optional<ImportRecord> Check(const json& obj, bool csv, int line, const ImportDirectory& dir,
                                  Millis now, ImportErrors& errors) {
  Fields f(obj, csv, line, errors);
  if (!csv) {
    for (const auto& [key, _] : obj.items()) {
      if (!Known(key)) f.Fail(key, "is not a field of an imported incident");
    }
  }
  ImportRecord r;
  r.line = line;
  Incident& i = r.draft;

  // Who reported it, and under which sector.
  if (auto org = f.Text("organisation", true, 300)) {
    auto it = dir.by_key.find(*org);
    if (it == dir.by_key.end()) {
      f.Fail("organisation", "no organisation with id, short name or name '" + *org + "'");
    } else {
      const auto& o = dir.orgs[it->second];
      i.organisation_id = o.id;
      auto sector = f.Text("sector", false, 100);
      if (sector) {
        auto s = std::find_if(o.sectors.begin(), o.sectors.end(),
                              [&](const auto& p) { return p.first == *sector; });
        if (s == o.sectors.end()) {
          f.Fail("sector", "'" + *sector + "' is not a sector of " + *org);
        } else {
          i.sector_id = s->second;
        }
      } else if (o.sectors.size() == 1) {
        i.sector_id = o.sectors[0].second;
      } else if (o.sectors.empty()) {
        f.Fail("organisation", *org + " belongs to no sector, so no regulator can receive it");
      } else {
        f.Fail("sector", "is required: " + *org + " is in several sectors");
      }
    }
  } else {
    f.Text("sector", false, 100);
  }

  // The early warning.
  i.title = f.Text("title", true, 200, 3).value_or("");
  i.summary = f.Text("summary", false, 4000).value_or("");
  auto aware = f.Time("aware_at", true);
  i.occurred_at = f.Time("occurred_at", false);
  auto reported = f.Time("reported_at", false);
  i.suspected_malicious =
      f.OneOf("suspected_malicious", true, {"yes", "no", "unknown"}).value_or("unknown");
  i.may_affect_others = f.Bool("may_affect_others", true).value_or(false);
  r.observables = ReadObservables(f);
  r.reported_at = reported.value_or(now);
  if (aware) {
    i.aware_at = *aware;
    for (auto& e : CheckTimes({.aware_at = *aware}, now)) f.Fail(e.field.substr(1), e.message);
    if (i.occurred_at && *i.occurred_at > *aware)
      f.Fail("occurred_at", "must not be after aware_at");
    if (reported && *reported < *aware) f.Fail("reported_at", "must not be before aware_at");
  }
  if (reported && *reported > now) f.Fail("reported_at", "must not be in the future");

  // The notification: classification and impact.
  json note = {{"stage", "notification"}};
  auto measure = [&](const char* name, std::optional<std::int64_t>& target) {
    if (auto v = f.Int(name)) {
      target = *v;
      note[name] = *v;
      r.notification = true;
    }
  };
  measure("users_affected", i.impact.users_affected);
  measure("duration_hours", i.impact.duration_hours);
  measure("financial_loss_eur", i.impact.financial_loss_eur);
  measure("sites_or_regions", i.impact.sites_or_regions);
  if (auto v = f.Bool("cross_border", false)) {
    i.impact.cross_border = *v;
    note["cross_border"] = *v;
    r.notification = true;
  }
  auto cls = f.Text("rsit_class", false, 64);
  auto type = f.Text("rsit_type", false, 64);
  if (auto error = CheckClassification(cls, type)) {
    f.Fail(error->field, error->message);
  } else if (cls) {
    i.rsit_class = *cls;
    i.rsit_type = *type;
    note["rsit_class"] = *cls;
    note["rsit_type"] = *type;
    r.notification = true;
  }

  if (auto s = f.OneOf("severity", false, {"low", "medium", "high", "critical"})) {
    r.declared = ParseSeverity(*s);
    note["severity"] = *s;
    r.notification = true;
  }

  // The final report and the handling.
  if (auto rc = f.Text("root_cause", false, 64)) {
    if (std::find(std::begin(kRootCauses), std::end(kRootCauses), *rc) == std::end(kRootCauses)) {
      f.Fail("root_cause",
             "must be one of system_failure, human_error, malicious_action, third_party_failure, "
             "natural_phenomenon");
    } else {
      r.root_cause = *rc;
    }
  }
  r.resolved_at = f.Time("resolved_at", false);
  if (r.resolved_at) {
    if (aware && *r.resolved_at < *aware) f.Fail("resolved_at", "must not be before aware_at");
    if (*r.resolved_at > now) f.Fail("resolved_at", "must not be in the future");
  }
  if (auto s = f.Text("state", false, 32)) {
    r.state = ParseCaseState(*s);
    if (!r.state) {
      f.Fail("state",
             "must be one of submitted, acknowledged, triaged, in_progress, resolved, closed, "
             "rejected, duplicate, merged");
    }
  }
  if (f.failed()) return std::nullopt;

  json ew = {{"title", i.title},
             {"aware_at", FormatRfc3339(i.aware_at)},
             {"suspected_malicious", i.suspected_malicious},
             {"may_affect_others", i.may_affect_others}};
  if (!i.summary.empty()) ew["summary"] = i.summary;
  if (i.occurred_at) ew["occurred_at"] = FormatRfc3339(*i.occurred_at);
  if (!r.observables.empty()) {
    json list = json::array();
    for (const auto& o : r.observables) {
      list.push_back({{"type", o.type},
                      {"value", o.value},
                      {"tlp", std::string(sharing::Label(o.tlp))},
                      {"pap", o.pap}});
    }
    ew["observables"] = std::move(list);
  }
  r.report_body = ew.dump();
  if (r.notification) r.notification_body = note.dump();
  return r;
}

}  // namespace

void ImportErrors::Add(int line, std::string field, std::string message) {
  ++total;
  if (first.size() < keep) first.push_back({line, std::move(field), std::move(message)});
}

ImportDirectory ImportDirectory::Load(db::Tx& tx) {
  ImportDirectory d;
  std::unordered_map<std::string, std::size_t> index;
  for (const auto& r : tx.Query("SELECT id, name, short_name FROM organisations ORDER BY id", {})) {
    index[r.Text(0)] = d.orgs.size();
    d.orgs.push_back({r.Text(0), {}});
    // An id always wins; a name or short name that two organisations share names neither.
    d.by_key[r.Text(0)] = d.orgs.size() - 1;
  }
  std::unordered_map<std::string, int> seen;
  std::vector<std::pair<std::string, std::size_t>> names;
  for (const auto& r : tx.Query("SELECT id, name, short_name FROM organisations ORDER BY id", {})) {
    const std::size_t at = index[r.Text(0)];
    for (auto key : {r.Text(1), r.OptText(2).value_or("")}) {
      if (key.empty() || key == r.Text(0)) continue;
      ++seen[key];
      names.emplace_back(key, at);
    }
  }
  for (auto& [key, at] : names) {
    if (seen[key] == 1 && !d.by_key.contains(key)) d.by_key[key] = at;
  }
  for (const auto& r :
       tx.Query("SELECT os.organisation_id, s.slug, s.id FROM organisation_sectors os "
                "JOIN sectors s ON s.id = os.sector_id ORDER BY os.organisation_id, s.slug",
                {})) {
    auto it = index.find(r.Text(0));
    if (it != index.end()) d.orgs[it->second].sectors.emplace_back(r.Text(1), r.Text(2));
  }
  return d;
}

ImportReader::ImportReader(std::string_view text, ImportFormat format,
                           const ImportDirectory& directory, Millis now, ImportErrors& errors)
    : text_(text), format_(format), directory_(directory), now_(now), errors_(errors) {
  if (format_ == ImportFormat::kCsv) csv_.emplace(text_);
}

bool ImportReader::Next(std::optional<ImportRecord>& out) {
  out.reset();
  if (format_ == ImportFormat::kJsonLines) {
    while (pos_ < text_.size()) {
      auto end = text_.find('\n', pos_);
      if (end == std::string_view::npos) end = text_.size();
      std::string_view line = text_.substr(pos_, end - pos_);
      pos_ = end + 1;
      ++line_;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
      json obj = json::parse(line, nullptr, false);
      if (obj.is_discarded()) {
        errors_.Add(line_, "record", "is not valid JSON");
        return true;
      }
      if (!obj.is_object()) {
        errors_.Add(line_, "record", "must be a JSON object");
        return true;
      }
      out = Check(obj, false, line_, directory_, now_, errors_);
      return true;
    }
    return false;
  }

  CsvRecord rec;
  if (header_.empty()) {
    if (!csv_->Next(rec)) {
      if (!csv_->error().empty())
        errors_.Add(csv_->line(), "record", csv_->error());
      else
        errors_.Add(1, "record", "the file is empty: the first line must name the columns");
      return false;
    }
    header_ = rec.fields;
    for (std::size_t k = 0; k < header_.size(); ++k) {
      const auto& name = header_[k];
      header_known_.push_back(Known(name));
      if (!Known(name)) errors_.Add(rec.line, name, "is not a column of an imported incident");
      if (std::find(header_.begin(), header_.begin() + static_cast<std::ptrdiff_t>(k), name) !=
          header_.begin() + static_cast<std::ptrdiff_t>(k)) {
        errors_.Add(rec.line, name, "is a column named twice");
      }
    }
  }
  if (!csv_->Next(rec)) {
    if (!csv_->error().empty()) errors_.Add(csv_->line(), "record", csv_->error());
    return false;
  }
  if (rec.fields.size() != header_.size()) {
    errors_.Add(rec.line, "record",
                "has " + std::to_string(rec.fields.size()) + " fields; the header names " +
                    std::to_string(header_.size()));
    return true;
  }
  json obj = json::object();
  for (std::size_t k = 0; k < header_.size(); ++k) {
    if (header_known_[k] && !rec.fields[k].empty()) obj[header_[k]] = std::move(rec.fields[k]);
  }
  out = Check(obj, true, rec.line, directory_, now_, errors_);
  return true;
}

Incident FileImported(db::Tx& tx, const ImportRecord& r, const Actor& actor, Millis now) {
  const Millis at = r.reported_at;
  Incident i = FileCase(tx, r.draft, actor, r.report_body, r.observables, at);
  const bool later = r.notification || r.root_cause || r.resolved_at || r.state;
  if (!later) {  // an early warning alone: exactly what the API files
    MarkPastDeadlineAnnounced(tx, i.id, now);
    return i;
  }
  const std::int64_t version = i.version;
  const ReportingProfile& profile = ProfileOf(tx, i);
  if (r.notification) {
    i.notification_at = at;
    Assess(tx, i, r.declared);
    StoredReport report{crypto::NewUuid(),
                        0,
                        Stage::kNotification,
                        r.notification_body,
                        i.aware_at + profile.notification_within,
                        at,
                        actor.user_id,
                        actor.display_name,
                        std::nullopt};
    InsertReport(tx, i.id, report);
    Record(tx, actor, i, i.organisation_id, "report", Visibility::kAll,
           "Notification report imported", at,
           json{{"stage", "notification"}, {"report_id", report.id}}.dump());
  }
  if (r.root_cause) {
    if (!i.notification_at) i.notification_at = at;
    i.final_at = at;
    i.root_cause = r.root_cause;
    json body = {{"stage", "final"}, {"root_cause", *r.root_cause}};
    StoredReport report{crypto::NewUuid(),
                        0,
                        Stage::kFinal,
                        body.dump(),
                        *i.notification_at + profile.final_within,
                        at,
                        actor.user_id,
                        actor.display_name,
                        std::nullopt};
    InsertReport(tx, i.id, report);
    Record(tx, actor, i, i.organisation_id, "report", Visibility::kAll, "Final report imported", at,
           json{{"stage", "final"}, {"report_id", report.id}}.dump());
  }
  if (r.resolved_at) i.resolved_at = r.resolved_at;
  CaseState state = r.state.value_or(r.root_cause ? CaseState::kResolved : CaseState::kSubmitted);
  if (state != i.state) {
    Record(tx, actor, i, i.organisation_id, "state", Visibility::kAll,
           "State set to " + std::string(Name(state)) + " by the import", at,
           json{{"from", std::string(Name(i.state))}, {"to", std::string(Name(state))}}.dump());
    i.state = state;
  }
  if ((state == CaseState::kResolved || state == CaseState::kClosed) && !i.resolved_at) {
    i.resolved_at = at;
  }
  if (state == CaseState::kClosed) i.closed_at = std::max(at, i.resolved_at.value_or(at));
  RefreshNextDue(tx, i, now);
  if (!UpdateIncident(tx, i, version, std::max(at, i.closed_at.value_or(at)))) {
    throw std::logic_error("an imported incident changed while it was imported");
  }
  MarkPastDeadlineAnnounced(tx, i.id, now);
  return i;
}

ImportOutcome Import(db::Database& db, std::string_view text, ImportFormat format,
                     const std::string& as_username, Millis now) {
  using Clock = std::chrono::steady_clock;
  ImportOutcome out;
  const auto t0 = Clock::now();
  std::optional<identity::User> user;
  auto directory = db.Read([&](db::Tx& tx) {
    user = identity::FindByName(tx, as_username);
    return ImportDirectory::Load(tx);
  });
  if (!user || user->disabled) {
    out.fatal = "no active account with username '" + as_username + "' (--as)";
    return out;
  }
  {
    ImportReader reader(text, format, directory, now, out.errors);
    std::optional<ImportRecord> r;
    while (reader.Next(r)) {
    }
  }
  const auto t1 = Clock::now();
  out.check_seconds = std::chrono::duration<double>(t1 - t0).count();
  if (out.errors.total > 0) return out;

  out.imported = db.Write([&](db::Tx& tx) -> std::int64_t {
    user = identity::FindByName(tx, as_username);
    if (!user || user->disabled) {
      out.fatal = "no active account with username '" + as_username + "' (--as)";
      return 0;
    }
    const Actor actor{nullptr, user->id, user->display_name, ""};
    if (tx.dialect() == db::Dialect::kSqlite) {
      // One transaction of a million cases touches gigabytes of pages: with SQLite's default cache
      // (2 MiB) they spill to the WAL and are read back again and again.
      // 1 GiB, allocated as it is used; the connection ends with the command. Measured: 20,000
      // records in 6.6 s instead of 8.1 s.
      tx.Exec("PRAGMA cache_size = -1048576", {});
    }
    // The directory again, inside the transaction: if it changed since the check, a record that
    // no longer fits fails the whole import.
    auto dir = ImportDirectory::Load(tx);
    ImportErrors late;
    ImportReader reader(text, format, dir, now, late);
    std::optional<ImportRecord> r;
    std::int64_t n = 0;
    while (reader.Next(r)) {
      if (!r) {
        throw std::runtime_error("line " + std::to_string(late.first.back().line) +
                                 " no longer fits the directory: " + late.first.back().field +
                                 ": " + late.first.back().message + "; nothing was imported");
      }
      FileImported(tx, *r, actor, now);
      ++n;
    }
    auto e = audit::By(nullptr, "incident.import", "incidents", "import");
    e.after = json{{"incidents", n}, {"filed_as", as_username}}.dump();
    audit::Append(tx, e, now);
    return n;
  });
  out.file_seconds = std::chrono::duration<double>(Clock::now() - t1).count();
  return out;
}

}  // namespace rampart::incidents
