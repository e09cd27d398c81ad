#include "sharing/disclosure.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "platform/crypto.h"

namespace rampart::sharing {

namespace {

using nlohmann::json;

json ParseArray(const std::string& text) {
  auto j = json::parse(text, nullptr, false);
  return j.is_discarded() || !j.is_array() ? json::array() : j;
}

std::vector<std::string> Strings(const std::string& text) {
  std::vector<std::string> out;
  for (const auto& s : ParseArray(text)) {
    if (s.is_string()) out.push_back(s.get<std::string>());
  }
  return out;
}

std::string StringsText(const std::vector<std::string>& v) { return json(v).dump(); }

std::vector<std::string> Sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

std::string ObservablesText(const std::vector<SharedObservable>& list) {
  json out = json::array();
  for (const auto& o : list) {
    out.push_back({{"observable_id", o.observable_id},
                   {"type", o.type},
                   {"value", o.value},
                   {"tlp", MarkingId(o.tlp)}});
  }
  return out.dump();
}

std::vector<SharedObservable> ObservablesFrom(const std::string& text) {
  std::vector<SharedObservable> out;
  for (const auto& o : ParseArray(text)) {
    if (!o.is_object()) continue;
    // An unknown marking would be a corrupted row: the most restrictive label keeps it closed.
    out.push_back({o.value("observable_id", ""), o.value("type", ""), o.value("value", ""),
                   TlpFromMarkingId(o.value("tlp", "")).value_or(Tlp::kRed)});
  }
  return out;
}

constexpr std::string_view kRequestColumns =
    "id, incident_id, cert_org_id, reporter_org_id, form, title, body, observables, tlp, "
    "distribution, sector_ids, group_id, recipient_org_ids, recipient_user_ids, digest, state, "
    "requested_by, requested_at, answered_by, answered_at, answer_reason, consent_digest, "
    "shared_incident_id, version, updated_at";

ShareAudience AudienceFrom(const db::Row& r, int first) {
  ShareAudience a;
  a.tlp = TlpFromMarkingId(r.Text(first)).value_or(Tlp::kRed);
  a.distribution = ParseDistribution(r.Text(first + 1)).value_or(Distribution::kOrganisation);
  a.sector_ids = Strings(r.Text(first + 2));
  a.group_id = r.OptText(first + 3);
  a.recipient_org_ids = Strings(r.Text(first + 4));
  a.recipient_user_ids = Strings(r.Text(first + 5));
  return a;
}

ShareRequest RequestFrom(const db::Row& r) {
  ShareRequest q;
  q.id = r.Text(0);
  q.incident_id = r.Text(1);
  q.cert_org_id = r.Text(2);
  q.reporter_org_id = r.Text(3);
  q.form = ParseShareForm(r.Text(4)).value_or(ShareForm::kAnonymised);
  q.title = r.Text(5);
  q.text = r.Text(6);
  q.observables = ObservablesFrom(r.Text(7));
  q.audience = AudienceFrom(r, 8);
  q.digest = r.Text(14);
  q.state = ParseShareState(r.Text(15)).value_or(ShareState::kPending);
  q.requested_by = r.Text(16);
  q.requested_at = r.Int(17);
  q.answered_by = r.OptText(18);
  q.answered_at = r.OptInt(19);
  q.answer_reason = r.Text(20);
  q.consent_digest = r.OptText(21);
  q.shared_incident_id = r.OptText(22);
  q.version = r.Int(23);
  q.updated_at = r.Int(24);
  return q;
}

constexpr std::string_view kSharedColumns =
    "id, reference, request_id, incident_id, author_org_id, form, organisation_id, "
    "organisation_label, sector_id, rsit_class, rsit_type, severity, title, body, observables, "
    "tlp, distribution, sector_ids, group_id, recipient_org_ids, recipient_user_ids, "
    "consent_digest, published_by, published_at";

SharedIncident SharedFrom(const db::Row& r) {
  SharedIncident s;
  s.id = r.Text(0);
  s.reference = r.Text(1);
  s.request_id = r.Text(2);
  s.incident_id = r.Text(3);
  s.author_org_id = r.Text(4);
  s.form = ParseShareForm(r.Text(5)).value_or(ShareForm::kAnonymised);
  s.organisation_id = r.OptText(6);
  s.organisation_label = r.Text(7);
  s.sector_id = r.Text(8);
  s.rsit_class = r.OptText(9);
  s.rsit_type = r.OptText(10);
  s.severity = r.OptText(11);
  s.title = r.Text(12);
  s.text = r.Text(13);
  s.observables = ObservablesFrom(r.Text(14));
  s.audience = AudienceFrom(r, 15);
  s.consent_digest = r.Text(21);
  s.published_by = r.Text(22);
  s.published_at = r.Int(23);
  return s;
}

db::Value OptValue(const std::optional<std::string>& v) { return v ? db::Value(*v) : db::Value(); }
db::Value OptValue(const std::optional<Millis>& v) { return v ? db::Value(*v) : db::Value(); }

}  // namespace

std::string_view Name(ShareForm form) { return form == ShareForm::kNamed ? "named" : "anonymised"; }

std::optional<ShareForm> ParseShareForm(std::string_view name) {
  if (name == "named") return ShareForm::kNamed;
  if (name == "anonymised") return ShareForm::kAnonymised;
  return std::nullopt;
}

std::string_view Name(ShareState state) {
  switch (state) {
    case ShareState::kPending:
      return "pending";
    case ShareState::kConsented:
      return "consented";
    case ShareState::kRefused:
      return "refused";
    case ShareState::kWithdrawn:
      return "withdrawn";
    case ShareState::kPublished:
      return "published";
  }
  return "pending";
}

std::optional<ShareState> ParseShareState(std::string_view name) {
  for (ShareState s : {ShareState::kPending, ShareState::kConsented, ShareState::kRefused,
                       ShareState::kWithdrawn, ShareState::kPublished}) {
    if (Name(s) == name) return s;
  }
  return std::nullopt;
}

std::string Digest(const ShareRequest& q) {
  json observables = json::array();
  for (const auto& o : q.observables) {
    observables.push_back({{"type", o.type}, {"value", o.value}, {"tlp", MarkingId(o.tlp)}});
  }
  // nlohmann's objects keep their keys sorted, so the text is canonical; lists that are sets are
  // sorted so that their order does not count as a change.
  const json asked = {
      {"incident_id", q.incident_id},
      {"cert_org_id", q.cert_org_id},
      {"form", Name(q.form)},
      {"title", q.title},
      {"text", q.text},
      {"observables", observables},
      {"tlp", MarkingId(q.audience.tlp)},
      {"distribution", Name(q.audience.distribution)},
      {"sector_ids", Sorted(q.audience.sector_ids)},
      {"group_id", q.audience.group_id ? json(*q.audience.group_id) : json(nullptr)},
      {"recipient_org_ids", Sorted(q.audience.recipient_org_ids)},
      {"recipient_user_ids", Sorted(q.audience.recipient_user_ids)},
  };
  return crypto::Sha256Hex(asked.dump());
}

Item ItemOf(const ShareAudience& a, const std::string& author_org_id) {
  Item item;
  item.author_org_id = author_org_id;
  item.tlp = a.tlp;
  item.distribution = a.distribution;
  item.sector_ids = a.sector_ids;
  item.group_id = a.group_id;
  item.recipient_org_ids = a.recipient_org_ids;
  item.recipient_user_ids = a.recipient_user_ids;
  return item;
}

Item ItemOf(const SharedIncident& s) { return ItemOf(s.audience, s.author_org_id); }

int Narrowness(Tlp tlp) {
  switch (tlp) {
    case Tlp::kClear:
      return 0;
    case Tlp::kGreen:
      return 1;
    case Tlp::kAmber:
      return 2;
    case Tlp::kAmberStrict:
      return 3;
    case Tlp::kRed:
      return 4;
  }
  return 4;
}

std::optional<std::string> ObservableRefusal(const SharedObservable& o, Tlp share) {
  if (Narrowness(share) >= Narrowness(o.tlp)) return std::nullopt;
  return "is labelled " + std::string(Label(o.tlp)) + " and may not travel in a share labelled " +
         std::string(Label(share)) + ", which reaches further; leave it out or label the share " +
         std::string(Label(o.tlp)) + " or narrower";
}

bool NamesOrganisation(std::string_view text, std::string_view name, std::string_view short_name) {
  auto lower = [](std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
  };
  const std::string t = lower(text);
  if (!name.empty() && t.find(lower(name)) != std::string::npos) return true;
  if (short_name.empty()) return false;
  const std::string s = lower(short_name);
  auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
  for (auto at = t.find(s); at != std::string::npos; at = t.find(s, at + 1)) {
    const bool starts = at == 0 || !word(t[at - 1]);
    const bool ends = at + s.size() == t.size() || !word(t[at + s.size()]);
    if (starts && ends) return true;
  }
  return false;
}

std::string AnonymousOrgLabel(std::string_view sector_name, std::string_view kind,
                              const std::optional<std::string>& size_class) {
  std::string out = std::string(sector_name) + " " + std::string(kind);
  if (size_class) out += " (" + *size_class + ")";
  return out;
}

std::string FormatSharedIncidentReference(int year, std::int64_t number) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "SHI-%04d-%04lld", year, static_cast<long long>(number));
  return buf;
}

// ---- store ----

void InsertShareRequest(db::Tx& tx, const ShareRequest& q) {
  tx.Exec(
      "INSERT INTO incident_share_requests (id, incident_id, cert_org_id, reporter_org_id, form, "
      "title, body, observables, tlp, distribution, sector_ids, group_id, recipient_org_ids, "
      "recipient_user_ids, digest, state, requested_by, requested_at, answered_by, answered_at, "
      "answer_reason, consent_digest, shared_incident_id, version, updated_at) VALUES ($1, $2, $3, "
      "$4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, "
      "$23, $24, $25)",
      {q.id,
       q.incident_id,
       q.cert_org_id,
       q.reporter_org_id,
       std::string(Name(q.form)),
       q.title,
       q.text,
       ObservablesText(q.observables),
       std::string(MarkingId(q.audience.tlp)),
       std::string(Name(q.audience.distribution)),
       StringsText(q.audience.sector_ids),
       OptValue(q.audience.group_id),
       StringsText(q.audience.recipient_org_ids),
       StringsText(q.audience.recipient_user_ids),
       q.digest,
       std::string(Name(q.state)),
       q.requested_by,
       q.requested_at,
       OptValue(q.answered_by),
       OptValue(q.answered_at),
       q.answer_reason,
       OptValue(q.consent_digest),
       OptValue(q.shared_incident_id),
       q.version,
       q.updated_at});
}

std::optional<ShareRequest> FindShareRequest(db::Tx& tx, std::string_view id) {
  auto r = tx.QueryOne(
      "SELECT " + std::string(kRequestColumns) + " FROM incident_share_requests WHERE id = $1",
      {std::string(id)});
  if (!r) return std::nullopt;
  return RequestFrom(*r);
}

std::vector<ShareRequest> ShareRequestsOf(db::Tx& tx, std::string_view incident_id) {
  std::vector<ShareRequest> out;
  for (const auto& r : tx.Query("SELECT " + std::string(kRequestColumns) +
                                    " FROM incident_share_requests WHERE incident_id = $1 "
                                    "ORDER BY requested_at DESC, id DESC",
                                {std::string(incident_id)})) {
    out.push_back(RequestFrom(r));
  }
  return out;
}

bool UpdateShareRequest(db::Tx& tx, const ShareRequest& q, std::int64_t expected_version) {
  return tx.Exec(
             "UPDATE incident_share_requests SET form = $1, title = $2, body = $3, "
             "observables = $4, tlp = $5, distribution = $6, sector_ids = $7, group_id = $8, "
             "recipient_org_ids = $9, recipient_user_ids = $10, digest = $11, state = $12, "
             "answered_by = $13, answered_at = $14, answer_reason = $15, consent_digest = $16, "
             "shared_incident_id = $17, updated_at = $18, version = version + 1 "
             "WHERE id = $19 AND version = $20",
             {std::string(Name(q.form)),
              q.title,
              q.text,
              ObservablesText(q.observables),
              std::string(MarkingId(q.audience.tlp)),
              std::string(Name(q.audience.distribution)),
              StringsText(q.audience.sector_ids),
              OptValue(q.audience.group_id),
              StringsText(q.audience.recipient_org_ids),
              StringsText(q.audience.recipient_user_ids),
              q.digest,
              std::string(Name(q.state)),
              OptValue(q.answered_by),
              OptValue(q.answered_at),
              q.answer_reason,
              OptValue(q.consent_digest),
              OptValue(q.shared_incident_id),
              q.updated_at,
              q.id,
              expected_version}) == 1;
}

std::string NextSharedIncidentReference(db::Tx& tx, int year) {
  // One statement, so that two servers asking at once get different numbers on both stores.
  auto r = tx.QueryOne(
      "INSERT INTO reference_counters (series, year, last) VALUES ('SHI', $1, 1) "
      "ON CONFLICT (series, year) DO UPDATE SET last = reference_counters.last + 1 "
      "RETURNING last",
      {year});
  return FormatSharedIncidentReference(year, r->Int(0));
}

void InsertSharedIncident(db::Tx& tx, const SharedIncident& s) {
  tx.Exec(
      "INSERT INTO shared_incidents (id, reference, request_id, incident_id, author_org_id, form, "
      "organisation_id, organisation_label, sector_id, rsit_class, rsit_type, severity, title, "
      "body, observables, tlp, distribution, sector_ids, group_id, recipient_org_ids, "
      "recipient_user_ids, consent_digest, published_by, published_at) VALUES ($1, $2, $3, $4, "
      "$5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, "
      "$24)",
      {s.id,
       s.reference,
       s.request_id,
       s.incident_id,
       s.author_org_id,
       std::string(Name(s.form)),
       OptValue(s.organisation_id),
       s.organisation_label,
       s.sector_id,
       OptValue(s.rsit_class),
       OptValue(s.rsit_type),
       OptValue(s.severity),
       s.title,
       s.text,
       ObservablesText(s.observables),
       std::string(MarkingId(s.audience.tlp)),
       std::string(Name(s.audience.distribution)),
       StringsText(s.audience.sector_ids),
       OptValue(s.audience.group_id),
       StringsText(s.audience.recipient_org_ids),
       StringsText(s.audience.recipient_user_ids),
       s.consent_digest,
       s.published_by,
       s.published_at});
}

std::optional<SharedIncident> FindSharedIncident(db::Tx& tx, std::string_view id) {
  auto r =
      tx.QueryOne("SELECT " + std::string(kSharedColumns) + " FROM shared_incidents WHERE id = $1",
                  {std::string(id)});
  if (!r) return std::nullopt;
  return SharedFrom(*r);
}

std::vector<SharedIncident> ListSharedIncidents(
    db::Tx& tx, const std::optional<std::pair<Millis, std::string>>& after, int limit) {
  std::vector<SharedIncident> out;
  const std::string order = " ORDER BY published_at DESC, id DESC LIMIT $";
  std::vector<db::Row> rows;
  if (after) {
    rows = tx.Query("SELECT " + std::string(kSharedColumns) +
                        " FROM shared_incidents WHERE published_at < $1 OR "
                        "(published_at = $1 AND id < $2)" +
                        order + "3",
                    {after->first, after->second, static_cast<std::int64_t>(limit)});
  } else {
    rows =
        tx.Query("SELECT " + std::string(kSharedColumns) + " FROM shared_incidents" + order + "1",
                 {static_cast<std::int64_t>(limit)});
  }
  for (const auto& r : rows) out.push_back(SharedFrom(r));
  return out;
}

std::string AuditState(const ShareRequest& q) {
  json observables = json::array();
  for (const auto& o : q.observables) {
    observables.push_back({{"type", o.type}, {"value", o.value}, {"tlp", Label(o.tlp)}});
  }
  return json{{"incident_id", q.incident_id},
              {"cert_org_id", q.cert_org_id},
              {"form", Name(q.form)},
              {"title", q.title},
              {"text", q.text},
              {"observables", observables},
              {"tlp", Label(q.audience.tlp)},
              {"distribution", Name(q.audience.distribution)},
              {"sector_ids", q.audience.sector_ids},
              {"group_id", q.audience.group_id ? json(*q.audience.group_id) : json(nullptr)},
              {"recipient_org_ids", q.audience.recipient_org_ids},
              {"recipient_user_ids", q.audience.recipient_user_ids},
              {"digest", q.digest},
              {"state", Name(q.state)},
              {"answer_reason", q.answer_reason},
              {"consent_digest", q.consent_digest ? json(*q.consent_digest) : json(nullptr)}}
      .dump();
}

}  // namespace rampart::sharing
