// The security charter and the 11-section security policy of an organisation (the CISO approach):
// documents started from Rampart's templates (catalogues/policy-templates.json) filled with the
// organisation's data, edited section by section in Markdown, saved as numbered versions, approved
// by management with the approved version frozen under a SHA-256, reviewed on a schedule,
// published to staff and acknowledged person by person.
//
// This header has three layers: pure decisions (templates, the wizard, Markdown, diff: no I/O, no
// clock), the SQL (policy_docs_store.cc) and the exports (policy_docs_export.cc). The HTTP
// handlers are in policy_docs_api.cc.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/clock.h"
#include "platform/db.h"
#include "platform/http.h"
#include "platform/router.h"

namespace rampart::isms {

// ---- the document's content ----

inline constexpr std::string_view kCharter = "charter";
inline constexpr std::string_view kPolicy = "policy";
// A policy in the short form has the eleven sections only; in the full form each section is
// followed by its subsections. A charter is always "short".
inline constexpr std::string_view kShortForm = "short";
inline constexpr std::string_view kFullForm = "full";

// A section's Markdown is limited so that a document stays a document (the longest template is
// under 1 kB; 32 kB is about ten printed pages).
inline constexpr std::size_t kMaxSectionBytes = 32 * 1024;
inline constexpr Millis kPolicyDay = 24LL * 60 * 60 * 1000;
// How long an approval holds by default before the next review: a year.
inline constexpr Millis kDefaultReviewPeriod = 365 * kPolicyDay;
// The CISO hears of a review this long before it is due, and once more when it is overdue.
inline constexpr Millis kReviewDueSoon = 30 * kPolicyDay;

struct Section {
  std::string key;    // "charter.purpose", or the framework id: "1", "1.1"
  std::string urn;    // the framework-policy11 requirement it covers
  std::string title;  // "1.1 Management commitment"
  int level = 1;      // 1: section, 2: subsection
  std::string body;   // Markdown
};

// The content as stored and hashed: a JSON array of {"key","urn","title","level","body"}, in
// document order, written the same way every time for the same sections.
std::string ContentJson(const std::vector<Section>& sections);
std::vector<Section> ParseContent(std::string_view json);

// ---- templates ----

// What the templates are filled with. Lists are already in the order to show.
struct OrgFacts {
  std::string name;
  std::vector<std::string> sectors;
  std::optional<int> criticality_tier;  // 1 (most critical) to 3
  std::optional<std::string> size_class;
  std::vector<std::string> cisos;
  std::vector<std::string> management;
  std::vector<std::string> assets;  // "Payment switch (criticality 4)"
  std::vector<std::string> risks;   // "Ransomware on the core banking system: high"
};

// Replaces every {{name}} the templates know with the organisation's data; an unknown name is
// left as written so that an author sees it.
std::string FillPlaceholders(std::string_view text, const OrgFacts& facts);
// The first version of a new document: the charter's sections, or the policy's in `form`, from the
// shipped templates, filled. Throws std::invalid_argument for an unknown kind or form.
std::vector<Section> DraftFromTemplates(std::string_view kind, std::string_view form,
                                        const OrgFacts& facts);
// The default title of a new document of `kind`.
std::string DefaultTitle(std::string_view kind);
// The keys a document of this kind and form may hold, in order, with their titles and URNs (the
// structure an edit is checked against).
std::vector<Section> Structure(std::string_view kind, std::string_view form);

// ---- the wizard ----

struct Proposal {
  std::string kind;  // charter or policy
  std::string form;  // short or full
  std::vector<std::string> reasons;
};
// The path the CISO approach advises: a small or young organisation starts with a charter (and the
// short form of the policy), a large or most critical operator with the full policy, and one
// between takes the short policy. `maturity` is the mean SoA maturity (0–5) when one exists.
Proposal ProposePath(const std::optional<std::string>& size_class, std::optional<int> tier,
                     std::optional<double> maturity);

// ---- diff ----

struct LineChange {
  char op = ' ';  // ' ' same, '-' removed, '+' added
  std::string text;
};
// A line-by-line diff (longest common subsequence); unchanged lines are kept so a reader sees the
// context.
std::vector<LineChange> DiffLines(std::string_view before, std::string_view after);

struct SectionChange {
  std::string key;
  std::string title;
  std::string change;  // added, removed, changed
  std::vector<LineChange> lines;
};
// The sections that differ between two versions, in the order of `after` (removed ones last).
std::vector<SectionChange> DiffSections(const std::vector<Section>& before,
                                        const std::vector<Section>& after);

// ---- Markdown, the subset the editor previews and the exports render ----

struct Span {
  std::string text;
  bool bold = false;
  bool italic = false;
};
struct Block {
  enum class Kind { kHeading, kParagraph, kBullet, kNumbered };
  Kind kind = Kind::kParagraph;
  int level = 0;  // heading level (1–6)
  std::vector<Span> spans;
};
// Headings (#…), bullet items (- or *), numbered items (1.), and paragraphs (lines joined); inline
// **bold** and *italic*. Everything else is text.
std::vector<Block> ParseMarkdown(std::string_view text);

// ---- the store ----

struct PolicyDoc {
  std::string id;
  std::string organisation_id;
  std::string kind;
  std::string form;
  std::string title;
  std::string created_by;
  Millis created_at = 0;
  Millis updated_at = 0;
  std::int64_t version = 1;
  std::int64_t newest = 1;
  std::int64_t approved = 0;
  std::optional<Millis> next_review_at;
};

struct PolicyVersion {
  std::string document_id;
  std::int64_t number = 0;
  std::string content;
  std::string note;
  std::string saved_by;
  std::string saved_by_name;
  Millis saved_at = 0;
  std::optional<std::string> sha256;
  std::optional<std::string> approved_by;
  std::optional<std::string> approved_by_name;
  std::optional<Millis> approved_at;
  std::string approval_note;
  std::optional<Millis> next_review_at;
  [[nodiscard]] bool IsApproved() const { return sha256.has_value(); }
};

struct Publication {
  std::string id;
  std::string document_id;
  std::int64_t number = 0;
  std::vector<std::string> roles;  // empty: everyone
  std::string message;
  std::string published_by;
  std::string published_by_name;
  Millis published_at = 0;
  std::int64_t recipients = 0;
  std::int64_t acknowledged = 0;
};

// The organisation's data for the templates, read from the directory and, when the organisation
// has a current risk analysis, its most critical assets and highest risks (read only).
OrgFacts ReadOrgFacts(db::Tx& tx, const std::string& org_id);
// The organisation's mean SoA maturity over the entries that have one; nullopt without any.
std::optional<double> MeanMaturity(db::Tx& tx, const std::string& org_id);

void InsertDocument(db::Tx& tx, const PolicyDoc& doc);
std::optional<PolicyDoc> FindDocument(db::Tx& tx, const std::string& org_id, const std::string& id);
std::vector<PolicyDoc> ListDocuments(db::Tx& tx, const std::string& org_id);
// Writes the head's newest, approved, next review and time, and increments its version when it is
// still `expected_version`. False when it changed meanwhile.
bool UpdateDocument(db::Tx& tx, const PolicyDoc& doc, std::int64_t expected_version, Millis now);

void InsertPolicyVersion(db::Tx& tx, const PolicyVersion& v);
std::optional<PolicyVersion> FindPolicyVersion(db::Tx& tx, const std::string& doc_id,
                                               std::int64_t number);
std::vector<PolicyVersion> ListPolicyVersions(db::Tx& tx, const std::string& doc_id);  // no content
// Records the approval of a version; the rest of the row is never changed.
void RecordApproval(db::Tx& tx, const PolicyVersion& v);

// Makes the publication and one acknowledgement row per active member of the organisation holding
// any of its roles (any role when none), and tells each of them in the application. Returns how
// many people it reached.
std::int64_t InsertPublication(db::Tx& tx, const PolicyDoc& doc, Publication& p, Millis now);
std::vector<Publication> ListPublications(db::Tx& tx, const std::string& doc_id);
std::optional<Publication> FindPublication(db::Tx& tx, const std::string& doc_id,
                                           const std::string& id);
struct Acknowledgement {
  std::string user_id;
  std::string display_name;
  std::string roles;
  std::optional<Millis> acknowledged_at;
};
std::vector<Acknowledgement> ListAcknowledgements(db::Tx& tx, const std::string& publication_id);

// What the caller was asked to acknowledge, newest first.
struct ToAcknowledge {
  Publication publication;
  std::string organisation_id;
  std::string organisation_name;
  std::string kind;
  std::string title;
  std::optional<Millis> acknowledged_at;
};
std::vector<ToAcknowledge> ListToAcknowledge(db::Tx& tx, const std::string& user_id);
std::optional<ToAcknowledge> FindToAcknowledge(db::Tx& tx, const std::string& user_id,
                                               const std::string& publication_id);
// Records the acknowledgement once; false when it was already recorded.
bool Acknowledge(db::Tx& tx, const std::string& user_id, const std::string& publication_id,
                 Millis now);

// ---- for others: posture figures ----

struct PolicyStatus {
  // An approved charter or policy whose next review has not passed.
  bool in_date = false;
  std::optional<std::string> kind;  // the document that makes it so (the policy before a charter)
  std::optional<Millis> approved_at;
  std::optional<Millis> next_review_at;
  bool has_policy = false;  // any policy document, approved or not
  bool has_charter = false;
};
PolicyStatus PolicyStatusOf(db::Tx& tx, const std::string& org_id, Millis now);

// ---- reminders ----

// A review due within kReviewDueSoon is announced once to the organisation's CISOs; an overdue one
// once more. Each is claimed with a conditional update, so several app servers send it once.
// Returns how many were sent.
int SendPolicyReminders(db::Database& db, Millis now);

// ---- exports ----

// An editable Word document (OOXML written here, zipped with minizip) of one version.
http::Response ExportDocx(const PolicyDoc& doc, const PolicyVersion& v,
                          const std::string& org_name);
// A printable HTML page (print stylesheet; the browser's "print to PDF" makes the PDF).
http::Response ExportPolicyHtml(const PolicyDoc& doc, const PolicyVersion& v,
                                const std::string& org_name);
// The zip container of a DOCX: its parts by name, stored with deflate. Exposed for tests.
std::string ZipParts(const std::vector<std::pair<std::string, std::string>>& parts);
// word/document.xml of one version; `numbered_lists` receives how many numbered lists it holds
// (each gets its own numbering instance, so each starts at 1).
std::string DocumentXml(const PolicyDoc& doc, const PolicyVersion& v, const std::string& org_name,
                        int* numbered_lists = nullptr);
// The Markdown subset as HTML, every text escaped (the printable export).
std::string MarkdownToHtml(std::string_view markdown);

// ---- wiring ----

void AddPolicyRoutes(Router& router);
// Demo: every demo operator without one gets a charter (small and medium ones, approved a year
// ago) or a full policy (large ones); Harbour Commercial Bank's policy is approved with a later
// draft in progress. Publications with some acknowledgements. Returns how many documents it made.
int SeedDemoPolicies(db::Database& db, Millis now);

}  // namespace rampart::isms
