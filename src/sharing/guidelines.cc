#include "sharing/guidelines.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>

#include "sharing/store.h"

namespace rampart::sharing {

namespace {

using nlohmann::json;

std::vector<std::string> Strings(const std::string& text) {
  std::vector<std::string> out;
  auto j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_array()) return out;
  for (const auto& s : j) {
    if (s.is_string()) out.push_back(s.get<std::string>());
  }
  return out;
}

std::string StringsText(const std::vector<std::string>& v) { return json(v).dump(); }

constexpr std::string_view kGuidelineColumns =
    "id, reference, author_org_id, tlp, distribution, sector_ids, group_id, recipient_org_ids, "
    "recipient_user_ids, created_by, created_at, updated_at, version";

Guideline GuidelineFrom(const db::Row& r) {
  Guideline g;
  g.id = r.Text(0);
  g.reference = r.Text(1);
  g.author_org_id = r.Text(2);
  // An unknown marking would be a corrupted row: the most restrictive label keeps it closed.
  g.audience.tlp = TlpFromMarkingId(r.Text(3)).value_or(Tlp::kRed);
  g.audience.distribution = ParseDistribution(r.Text(4)).value_or(Distribution::kOrganisation);
  g.audience.sector_ids = Strings(r.Text(5));
  g.audience.group_id = r.OptText(6);
  g.audience.recipient_org_ids = Strings(r.Text(7));
  g.audience.recipient_user_ids = Strings(r.Text(8));
  g.created_by = r.Text(9);
  g.created_at = r.Int(10);
  g.updated_at = r.Int(11);
  g.version = r.Int(12);
  return g;
}

constexpr std::string_view kVersionColumns =
    "id, guideline_id, number, state, title, summary, body, topics, controls, comments_until, "
    "changelog, created_by, created_at, updated_at, published_by, published_at";

GuidelineVersion VersionFrom(const db::Row& r) {
  GuidelineVersion v;
  v.id = r.Text(0);
  v.guideline_id = r.Text(1);
  v.number = static_cast<int>(r.Int(2));
  v.state = ParseGuidelineState(r.Text(3)).value_or(GuidelineState::kDraft);
  v.title = r.Text(4);
  v.summary = r.Text(5);
  v.body = r.Text(6);
  v.topics = Strings(r.Text(7));
  v.controls = Strings(r.Text(8));
  v.comments_until = r.OptInt(9);
  v.changelog = r.Text(10);
  v.created_by = r.Text(11);
  v.created_at = r.Int(12);
  v.updated_at = r.Int(13);
  v.published_by = r.OptText(14);
  v.published_at = r.OptInt(15);
  return v;
}

constexpr std::string_view kCommentColumns =
    "id, guideline_id, version_id, organisation_id, user_id, body, created_at, answer, "
    "answer_reason, answered_by, answered_at";

CommentAnswer ParseAnswer(std::string_view s) {
  if (s == "accepted") return CommentAnswer::kAccepted;
  if (s == "rejected") return CommentAnswer::kRejected;
  return CommentAnswer::kOpen;
}

GuidelineComment CommentFrom(const db::Row& r) {
  GuidelineComment c;
  c.id = r.Text(0);
  c.guideline_id = r.Text(1);
  c.version_id = r.Text(2);
  c.org_id = r.Text(3);
  c.user_id = r.Text(4);
  c.text = r.Text(5);
  c.created_at = r.Int(6);
  c.answer = ParseAnswer(r.Text(7));
  c.answer_reason = r.Text(8);
  c.answered_by = r.OptText(9);
  c.answered_at = r.OptInt(10);
  return c;
}

}  // namespace

std::string_view Name(GuidelineState state) {
  switch (state) {
    case GuidelineState::kDraft:
      return "draft";
    case GuidelineState::kConsultation:
      return "consultation";
    case GuidelineState::kPublished:
      return "published";
    case GuidelineState::kSuperseded:
      return "superseded";
  }
  return "draft";
}

std::optional<GuidelineState> ParseGuidelineState(std::string_view name) {
  for (GuidelineState s : {GuidelineState::kDraft, GuidelineState::kConsultation,
                           GuidelineState::kPublished, GuidelineState::kSuperseded}) {
    if (Name(s) == name) return s;
  }
  return std::nullopt;
}

std::string_view Name(CommentAnswer answer) {
  switch (answer) {
    case CommentAnswer::kOpen:
      return "open";
    case CommentAnswer::kAccepted:
      return "accepted";
    case CommentAnswer::kRejected:
      return "rejected";
  }
  return "open";
}

std::string_view Name(AdoptionStatus status) {
  switch (status) {
    case AdoptionStatus::kAdopted:
      return "adopted";
    case AdoptionStatus::kPlanned:
      return "planned";
    case AdoptionStatus::kNotApplicable:
      return "not_applicable";
  }
  return "adopted";
}

std::optional<AdoptionStatus> ParseAdoptionStatus(std::string_view name) {
  for (AdoptionStatus s :
       {AdoptionStatus::kAdopted, AdoptionStatus::kPlanned, AdoptionStatus::kNotApplicable}) {
    if (Name(s) == name) return s;
  }
  return std::nullopt;
}

std::optional<double> SectorAdoption::Share() const {
  const std::int64_t applies = organisations - not_applicable;
  if (applies <= 0) return std::nullopt;
  return static_cast<double>(adopted) / static_cast<double>(applies);
}

bool CommentsOpen(const GuidelineVersion& v, Millis now) {
  return v.state == GuidelineState::kConsultation && v.comments_until && now < *v.comments_until;
}

std::optional<std::string> PublishRefusal(const GuidelineVersion& v, std::int64_t open_comments,
                                          Millis now) {
  if (v.state == GuidelineState::kPublished || v.state == GuidelineState::kSuperseded) {
    return "This version is published already.";
  }
  if (v.state == GuidelineState::kConsultation) {
    if (CommentsOpen(v, now)) {
      return "Comments are open until the date set; publish the final version after it.";
    }
    if (open_comments > 0) {
      return "Answer every comment first: " + std::to_string(open_comments) +
             (open_comments == 1 ? " is" : " are") + " still open.";
    }
  }
  return std::nullopt;
}

std::string FormatGuidelineReference(int year, std::int64_t number) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "GL-%04d-%04lld", year, static_cast<long long>(number));
  return buf;
}

std::vector<SectorAdoption> CountAdoption(
    const std::vector<std::pair<std::string, std::vector<std::string>>>& audience,
    const std::vector<Adoption>& current) {
  std::map<std::string, AdoptionStatus> answer;
  for (const auto& a : current) answer[a.org_id] = a.status;
  std::vector<SectorAdoption> out;
  std::map<std::string, std::size_t> at;
  for (const auto& [org, sectors] : audience) {
    for (const auto& s : sectors) {
      auto [it, fresh] = at.emplace(s, out.size());
      if (fresh) out.push_back(SectorAdoption{.sector_id = s});
      SectorAdoption& row = out[it->second];
      ++row.organisations;
      auto found = answer.find(org);
      if (found == answer.end()) continue;
      switch (found->second) {
        case AdoptionStatus::kAdopted:
          ++row.adopted;
          break;
        case AdoptionStatus::kPlanned:
          ++row.planned;
          break;
        case AdoptionStatus::kNotApplicable:
          ++row.not_applicable;
          break;
      }
    }
  }
  return out;
}

// ---- store ----

std::string NextGuidelineReference(db::Tx& tx, int year) {
  // One statement, so that two servers asking at once get different numbers on both stores.
  auto r = tx.QueryOne(
      "INSERT INTO reference_counters (series, year, last) VALUES ('GL', $1, 1) "
      "ON CONFLICT (series, year) DO UPDATE SET last = reference_counters.last + 1 "
      "RETURNING last",
      {year});
  return FormatGuidelineReference(year, r->Int(0));
}

void InsertGuideline(db::Tx& tx, const Guideline& g) {
  tx.Exec("INSERT INTO guidelines (" + std::string(kGuidelineColumns) +
              ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
          {g.id, g.reference, g.author_org_id, std::string(MarkingId(g.audience.tlp)),
           std::string(Name(g.audience.distribution)), StringsText(g.audience.sector_ids),
           g.audience.group_id, StringsText(g.audience.recipient_org_ids),
           StringsText(g.audience.recipient_user_ids), g.created_by, g.created_at, g.updated_at,
           g.version});
}

std::optional<Guideline> FindGuideline(db::Tx& tx, std::string_view id) {
  auto r =
      tx.QueryOne("SELECT " + std::string(kGuidelineColumns) + " FROM guidelines WHERE id = $1",
                  {std::string(id)});
  if (!r) return std::nullopt;
  return GuidelineFrom(*r);
}

bool UpdateGuideline(db::Tx& tx, const Guideline& g, std::int64_t expected_version) {
  return tx.Exec(
             "UPDATE guidelines SET tlp = $1, distribution = $2, sector_ids = $3, group_id = $4, "
             "recipient_org_ids = $5, recipient_user_ids = $6, updated_at = $7, "
             "version = version + 1 WHERE id = $8 AND version = $9",
             {std::string(MarkingId(g.audience.tlp)), std::string(Name(g.audience.distribution)),
              StringsText(g.audience.sector_ids), g.audience.group_id,
              StringsText(g.audience.recipient_org_ids), StringsText(g.audience.recipient_user_ids),
              g.updated_at, g.id, expected_version}) == 1;
}

std::vector<Guideline> ListGuidelines(db::Tx& tx) {
  std::vector<Guideline> out;
  for (const auto& r : tx.Query("SELECT " + std::string(kGuidelineColumns) +
                                    " FROM guidelines ORDER BY updated_at DESC, id DESC",
                                {})) {
    out.push_back(GuidelineFrom(r));
  }
  return out;
}

void InsertVersion(db::Tx& tx, const GuidelineVersion& v) {
  tx.Exec("INSERT INTO guideline_versions (" + std::string(kVersionColumns) +
              ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
          {v.id, v.guideline_id, v.number, std::string(Name(v.state)), v.title, v.summary, v.body,
           StringsText(v.topics), StringsText(v.controls), v.comments_until, v.changelog,
           v.created_by, v.created_at, v.updated_at, v.published_by, v.published_at});
}

void UpdateVersion(db::Tx& tx, const GuidelineVersion& v) {
  tx.Exec(
      "UPDATE guideline_versions SET state = $1, title = $2, summary = $3, body = $4, "
      "topics = $5, controls = $6, comments_until = $7, changelog = $8, updated_at = $9, "
      "published_by = $10, published_at = $11 WHERE id = $12",
      {std::string(Name(v.state)), v.title, v.summary, v.body, StringsText(v.topics),
       StringsText(v.controls), v.comments_until, v.changelog, v.updated_at, v.published_by,
       v.published_at, v.id});
}

std::vector<GuidelineVersion> VersionsOf(db::Tx& tx, std::string_view guideline_id) {
  std::vector<GuidelineVersion> out;
  for (const auto& r : tx.Query("SELECT " + std::string(kVersionColumns) +
                                    " FROM guideline_versions WHERE guideline_id = $1 "
                                    "ORDER BY number",
                                {std::string(guideline_id)})) {
    out.push_back(VersionFrom(r));
  }
  return out;
}

void InsertComment(db::Tx& tx, const GuidelineComment& c) {
  tx.Exec("INSERT INTO guideline_comments (" + std::string(kCommentColumns) +
              ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
          {c.id, c.guideline_id, c.version_id, c.org_id, c.user_id, c.text, c.created_at,
           std::string(Name(c.answer)), c.answer_reason, c.answered_by, c.answered_at});
}

void UpdateComment(db::Tx& tx, const GuidelineComment& c) {
  tx.Exec(
      "UPDATE guideline_comments SET answer = $1, answer_reason = $2, answered_by = $3, "
      "answered_at = $4 WHERE id = $5",
      {std::string(Name(c.answer)), c.answer_reason, c.answered_by, c.answered_at, c.id});
}

std::optional<GuidelineComment> FindComment(db::Tx& tx, std::string_view id) {
  auto r = tx.QueryOne(
      "SELECT " + std::string(kCommentColumns) + " FROM guideline_comments WHERE id = $1",
      {std::string(id)});
  if (!r) return std::nullopt;
  return CommentFrom(*r);
}

std::vector<GuidelineComment> CommentsOf(db::Tx& tx, std::string_view guideline_id) {
  std::vector<GuidelineComment> out;
  for (const auto& r : tx.Query("SELECT " + std::string(kCommentColumns) +
                                    " FROM guideline_comments WHERE guideline_id = $1 "
                                    "ORDER BY created_at, id",
                                {std::string(guideline_id)})) {
    out.push_back(CommentFrom(r));
  }
  return out;
}

void InsertAdoption(db::Tx& tx, const Adoption& a) {
  tx.Exec(
      "INSERT INTO guideline_adoptions (id, guideline_id, version_id, organisation_id, status, "
      "adopted_on, note, by_user_id, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
      {a.id, a.guideline_id, a.version_id, a.org_id, std::string(Name(a.status)), a.on, a.note,
       a.by_user_id, a.at});
}

std::vector<Adoption> CurrentAdoptions(db::Tx& tx, std::string_view guideline_id) {
  std::vector<Adoption> out;
  // Newest first per organisation; the first row met for each is current.
  for (const auto& r :
       tx.Query("SELECT id, guideline_id, version_id, organisation_id, status, adopted_on, note, "
                "by_user_id, at FROM guideline_adoptions WHERE guideline_id = $1 "
                "ORDER BY organisation_id, at DESC, id DESC",
                {std::string(guideline_id)})) {
    if (!out.empty() && out.back().org_id == r.Text(3)) continue;
    out.push_back({r.Text(0), r.Text(1), r.Text(2), r.Text(3),
                   ParseAdoptionStatus(r.Text(4)).value_or(AdoptionStatus::kPlanned), r.Int(5),
                   r.Text(6), r.Text(7), r.Int(8)});
  }
  return out;
}

std::vector<std::string> Adopters(db::Tx& tx, const Guideline& g, const Directory& dir) {
  std::vector<std::string> out;
  for (const auto& org : AudienceOrgs(ItemOf(g.audience, g.author_org_id), dir)) {
    if (org == g.author_org_id) continue;
    auto kind = tx.QueryOne("SELECT kind FROM organisations WHERE id = $1", {org});
    if (kind && (kind->Text(0) == "operator" || kind->Text(0) == "government")) out.push_back(org);
  }
  return out;
}

std::vector<SectorAdoption> AdoptionBySector(db::Tx& tx, std::string_view guideline_id) {
  auto g = FindGuideline(tx, guideline_id);
  if (!g) return {};
  const Directory dir = LoadDirectory(tx, true);
  std::vector<std::pair<std::string, std::vector<std::string>>> audience;
  for (const auto& org : Adopters(tx, *g, dir)) {
    auto it = dir.org_sectors.find(org);
    audience.emplace_back(org,
                          it == dir.org_sectors.end() ? std::vector<std::string>{} : it->second);
  }
  auto rows = CountAdoption(audience, CurrentAdoptions(tx, guideline_id));
  for (auto& row : rows) {
    auto r = tx.QueryOne("SELECT name FROM sectors WHERE id = $1", {row.sector_id});
    row.sector_name = r ? r->Text(0) : "";
  }
  std::sort(rows.begin(), rows.end(), [](const SectorAdoption& a, const SectorAdoption& b) {
    return a.sector_name < b.sector_name;
  });
  return rows;
}

}  // namespace rampart::sharing
