// The guidelines library: guidelines and best practice that a CERT publishes, in versions.
//
// A guideline carries an audience like any shared item (a TLP label, a distribution, sectors, a
// group, recipients; the audience engine decides every read) and a series of versions, each a
// Markdown body with a summary, topics and the framework controls it relates to (URNs of the
// catalogues). A version moves draft → consultation (open for comments until a date, enforced by
// the server) → published, and publishing supersedes the version before. The CERT answers each
// comment (accepted, or rejected with a reason) before it publishes what was consulted on.
// Organisations of the audience record whether they adopted a version (adopted, planned, not
// applicable, with a date and a note); AdoptionBySector() gives the CERT, and the national posture
// figures, the adoption share per sector.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/clock.h"
#include "platform/db.h"
#include "sharing/audience.h"
#include "sharing/disclosure.h"

namespace rampart::sharing {

enum class GuidelineState : std::uint8_t { kDraft, kConsultation, kPublished, kSuperseded };
std::string_view Name(GuidelineState state);
std::optional<GuidelineState> ParseGuidelineState(std::string_view name);

enum class CommentAnswer : std::uint8_t { kOpen, kAccepted, kRejected };
std::string_view Name(CommentAnswer answer);

enum class AdoptionStatus : std::uint8_t { kAdopted, kPlanned, kNotApplicable };
std::string_view Name(AdoptionStatus status);
std::optional<AdoptionStatus> ParseAdoptionStatus(std::string_view name);

struct Guideline {
  std::string id;
  std::string reference;  // GL-2026-0001
  std::string author_org_id;
  ShareAudience audience;
  std::string created_by;
  Millis created_at = 0;
  Millis updated_at = 0;
  std::int64_t version = 1;  // of the row and its draft, for If-Match
};

struct GuidelineVersion {
  std::string id;
  std::string guideline_id;
  int number = 1;
  GuidelineState state = GuidelineState::kDraft;
  std::string title;
  std::string summary;
  std::string body;  // Markdown; rendered by the browser without raw HTML
  std::vector<std::string> topics;
  std::vector<std::string> controls;  // requirement URNs
  std::optional<Millis> comments_until;
  std::string changelog;
  std::string created_by;
  Millis created_at = 0;
  Millis updated_at = 0;
  std::optional<std::string> published_by;
  std::optional<Millis> published_at;
};

struct GuidelineComment {
  std::string id;
  std::string guideline_id;
  std::string version_id;
  std::string org_id;
  std::string user_id;
  std::string text;
  Millis created_at = 0;
  CommentAnswer answer = CommentAnswer::kOpen;
  std::string answer_reason;
  std::optional<std::string> answered_by;
  std::optional<Millis> answered_at;
};

struct Adoption {
  std::string id;
  std::string guideline_id;
  std::string version_id;
  std::string org_id;
  AdoptionStatus status = AdoptionStatus::kAdopted;
  Millis on = 0;  // the day it was (or is planned to be) adopted
  std::string note;
  std::string by_user_id;
  Millis at = 0;
};

// One sector's adoption of a guideline (or of all guidelines, counted per organisation and
// guideline): how many organisations of the audience are in the sector, and their answers.
struct SectorAdoption {
  std::string sector_id;
  std::string sector_name;
  std::int64_t organisations = 0;
  std::int64_t adopted = 0;
  std::int64_t planned = 0;
  std::int64_t not_applicable = 0;
  // adopted / (organisations - not_applicable); nullopt when nobody it applies to is counted.
  [[nodiscard]] std::optional<double> Share() const;
};

// ---- rules (pure) ----

// Whether comments are taken on `v` at `now`: in consultation, strictly before its date.
bool CommentsOpen(const GuidelineVersion& v, Millis now);
// Why `v` may not be published at `now` with `open_comments` unanswered, or nullopt when it may:
// a consultation is published once its date has passed and every comment is answered.
std::optional<std::string> PublishRefusal(const GuidelineVersion& v, std::int64_t open_comments,
                                          Millis now);
// "GL-2026-0001".
std::string FormatGuidelineReference(int year, std::int64_t number);
// Counts per sector: `audience` are the organisations of the guideline's audience (the author
// excluded) with their sectors, `current` the newest answer of each organisation. Sectors in the
// order first met; an organisation in two sectors counts in both.
std::vector<SectorAdoption> CountAdoption(
    const std::vector<std::pair<std::string, std::vector<std::string>>>& audience,
    const std::vector<Adoption>& current);

// ---- store (inside the caller's transaction) ----

std::string NextGuidelineReference(db::Tx& tx, int year);
void InsertGuideline(db::Tx& tx, const Guideline& g);
std::optional<Guideline> FindGuideline(db::Tx& tx, std::string_view id);
bool UpdateGuideline(db::Tx& tx, const Guideline& g, std::int64_t expected_version);
// Every guideline, newest first (the engine decides which a caller sees).
std::vector<Guideline> ListGuidelines(db::Tx& tx);

void InsertVersion(db::Tx& tx, const GuidelineVersion& v);
void UpdateVersion(db::Tx& tx, const GuidelineVersion& v);
// The versions of a guideline, oldest first.
std::vector<GuidelineVersion> VersionsOf(db::Tx& tx, std::string_view guideline_id);

void InsertComment(db::Tx& tx, const GuidelineComment& c);
void UpdateComment(db::Tx& tx, const GuidelineComment& c);
std::optional<GuidelineComment> FindComment(db::Tx& tx, std::string_view id);
// The comments of a guideline, oldest first.
std::vector<GuidelineComment> CommentsOf(db::Tx& tx, std::string_view guideline_id);

void InsertAdoption(db::Tx& tx, const Adoption& a);
// The newest answer of each organisation for the guideline.
std::vector<Adoption> CurrentAdoptions(db::Tx& tx, std::string_view guideline_id);

// The organisations expected to adopt a guideline: those of its audience, as the engine computes
// it now, that run systems (operators and government bodies; regulators and CERTs advise, they do
// not adopt), the author excluded.
std::vector<std::string> Adopters(db::Tx& tx, const Guideline& g, const Directory& dir);
// The adoption share per sector of one guideline, over its Adopters(). For the CERT's adoption
// view and the national posture figures.
std::vector<SectorAdoption> AdoptionBySector(db::Tx& tx, std::string_view guideline_id);

// Seeds the demo country's guidelines (guidelines_demo.cc); returns how many.
int SeedDemoGuidelines(db::Tx& tx, Millis now);

}  // namespace rampart::sharing
