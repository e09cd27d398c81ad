// The charter and policy: templates against the 11-section framework, placeholders, the wizard,
// Markdown, the diff and the DOCX container (pure); approval status, reminders and publication on
// both stores (SQLite; PostgreSQL when RAMPART_TEST_POSTGRES_URL is set).
#include "isms/policy_docs.h"

#include <gtest/gtest.h>

#include <set>

#include "isms/frameworks.h"
#include "platform/crypto.h"
#include "platform/notify_testing.h"

namespace rampart::isms {
namespace {

using notify::testing_support::MigratedStore;
using notify::testing_support::Store;
using notify::testing_support::StoreName;

std::shared_ptr<const Framework> Policy11() {
  for (const auto& f : Shipped().frameworks) {
    if (f->ref == "policy11") return f;
  }
  return nullptr;
}

OrgFacts Facts() {
  OrgFacts f;
  f.name = "Harbour Bank";
  f.sectors = {"Finance"};
  f.criticality_tier = 1;
  f.cisos = {"Ada Mensah"};
  f.management = {"Joe Board", "Kim Chair"};
  f.assets = {"Payment switch (criticality 4)"};
  f.risks = {"Ransomware affecting Payment switch (high)"};
  return f;
}

TEST(PolicyTemplates, FullPolicyHasEverySectionAndSubsectionOfTheFrameworkInOrder) {
  auto f = Policy11();
  ASSERT_NE(f, nullptr);
  auto full = Structure(kPolicy, kFullForm);
  ASSERT_EQ(full.size(), f->requirements.size());
  for (std::size_t i = 0; i < full.size(); ++i) {
    EXPECT_EQ(full[i].key, f->requirements[i].id);
    EXPECT_EQ(full[i].urn, f->UrnOf(f->requirements[i]));
    EXPECT_EQ(full[i].level, f->requirements[i].parent.empty() ? 1 : 2);
  }
  auto short_form = Structure(kPolicy, kShortForm);
  EXPECT_EQ(short_form.size(), 11u);
  for (const auto& s : short_form) EXPECT_EQ(s.level, 1);
}

TEST(PolicyTemplates, CharterSectionsCoverRequirementsOfTheFramework) {
  auto f = Policy11();
  ASSERT_NE(f, nullptr);
  std::set<std::string> urns;
  for (const auto& q : f->requirements) urns.insert(f->UrnOf(q));
  auto charter = Structure(kCharter, kShortForm);
  ASSERT_EQ(charter.size(), 5u);
  for (const auto& s : charter) {
    EXPECT_TRUE(urns.contains(s.urn)) << s.key << " covers " << s.urn;
    EXPECT_EQ(s.key.rfind("charter.", 0), 0u);
  }
}

TEST(PolicyTemplates, DraftIsFilledWithTheOrganisationAndLeavesNoKnownPlaceholder) {
  for (auto [kind, form] : {std::pair{kCharter, kShortForm}, std::pair{kPolicy, kShortForm},
                            std::pair{kPolicy, kFullForm}}) {
    std::string all;
    for (const auto& s : DraftFromTemplates(kind, form, Facts())) {
      EXPECT_FALSE(s.body.empty()) << s.key;
      EXPECT_EQ(s.body.find("{{"), std::string::npos) << s.key << ": " << s.body;
      all += s.body;
    }
    EXPECT_NE(all.find("Harbour Bank"), std::string::npos) << kind << " " << form;
    EXPECT_NE(all.find("Ada Mensah"), std::string::npos) << kind << " " << form;
  }
  std::string charter;
  for (const auto& s : DraftFromTemplates(kCharter, kShortForm, Facts())) charter += s.body;
  EXPECT_NE(charter.find("- Payment switch (criticality 4)"), std::string::npos);
  EXPECT_NE(charter.find("Ransomware affecting Payment switch"), std::string::npos);
  EXPECT_NE(charter.find("Joe Board and Kim Chair"), std::string::npos);
}

TEST(PolicyTemplates, PlaceholdersWithoutDataSayWhatIsMissingAndUnknownOnesStay) {
  OrgFacts none;
  none.name = "Small Co";
  std::string out = FillPlaceholders("{{ciso}} / {{assets}} / {{nonsense}} / {{organisation", none);
  EXPECT_NE(out.find("to be appointed"), std::string::npos);
  EXPECT_NE(out.find("no risk analysis yet"), std::string::npos);
  EXPECT_NE(out.find("{{nonsense}}"), std::string::npos);
  EXPECT_NE(out.find("{{organisation"), std::string::npos);
}

TEST(PolicyTemplates, UnknownKindOrFormIsRefused) {
  EXPECT_THROW(DraftFromTemplates("memo", kShortForm, Facts()), std::invalid_argument);
  EXPECT_THROW(DraftFromTemplates(kPolicy, "medium", Facts()), std::invalid_argument);
}

TEST(PolicyWizard, SmallOrganisationStartsWithACharter) {
  auto p = ProposePath(std::string("small"), 2, std::nullopt);
  EXPECT_EQ(p.kind, kCharter);
  EXPECT_EQ(p.form, kShortForm);
  EXPECT_FALSE(p.reasons.empty());
}

TEST(PolicyWizard, LargeMostCriticalOperatorGetsTheFullPolicy) {
  auto p = ProposePath(std::string("large"), 1, std::nullopt);
  EXPECT_EQ(p.kind, kPolicy);
  EXPECT_EQ(p.form, kFullForm);
  // Maturity, not only size, moves a critical operator to the full policy.
  EXPECT_EQ(ProposePath(std::string("medium"), 1, 3.0).form, kFullForm);
  EXPECT_EQ(ProposePath(std::string("medium"), 1, 0.5).kind, kCharter);
}

TEST(PolicyWizard, MediumOrganisationWithSomePracticeGetsTheShortPolicy) {
  auto p = ProposePath(std::string("medium"), 2, 2.0);
  EXPECT_EQ(p.kind, kPolicy);
  EXPECT_EQ(p.form, kShortForm);
}

TEST(PolicyDiff, KeepsCommonLinesAndMarksRemovedAndAdded) {
  auto d = DiffLines("a\nb\nc\n", "a\nB\nc\nd");
  std::string shape;
  for (const auto& l : d) shape += std::string(1, l.op) + l.text + "|";
  EXPECT_EQ(shape, " a|-b|+B| c|+d|");
  EXPECT_TRUE(DiffLines("same", "same").size() == 1 && DiffLines("same", "same")[0].op == ' ');
}

TEST(PolicyDiff, ListsOnlyChangedSectionsWithAddedAndRemovedOnes) {
  std::vector<Section> a = {{"1", "u1", "1. One", 1, "x"}, {"2", "u2", "2. Two", 1, "y"}};
  std::vector<Section> b = {{"1", "u1", "1. One", 1, "x"},
                            {"3", "u3", "3. Three", 1, "z"},
                            {"2", "u2", "2. Two", 1, "y\nmore"}};
  auto changes = DiffSections(a, b);
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].key, "3");
  EXPECT_EQ(changes[0].change, "added");
  EXPECT_EQ(changes[1].key, "2");
  EXPECT_EQ(changes[1].change, "changed");
  auto back = DiffSections(b, a);
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back[1].key, "3");
  EXPECT_EQ(back[1].change, "removed");
}

TEST(PolicyContent, SameSectionsGiveTheSameTextAndHash) {
  auto s = DraftFromTemplates(kCharter, kShortForm, Facts());
  const std::string a = ContentJson(s);
  EXPECT_EQ(a, ContentJson(ParseContent(a)));
  EXPECT_EQ(crypto::Sha256Hex(a), crypto::Sha256Hex(ContentJson(ParseContent(a))));
  s[0].body += ".";
  EXPECT_NE(crypto::Sha256Hex(a), crypto::Sha256Hex(ContentJson(s)));
}

TEST(PolicyMarkdown, ReadsHeadingsListsParagraphsAndEmphasis) {
  auto b = ParseMarkdown(
      "# Title\n\nFirst line\nsame paragraph **bold** and *it*.\n\n- one\n* two\n1. first\n2) "
      "second\n#nospace");
  ASSERT_EQ(b.size(), 7u);
  EXPECT_EQ(b[0].kind, Block::Kind::kHeading);
  EXPECT_EQ(b[0].level, 1);
  EXPECT_EQ(b[1].kind, Block::Kind::kParagraph);
  ASSERT_EQ(b[1].spans.size(), 5u);
  EXPECT_EQ(b[1].spans[0].text, "First line same paragraph ");
  EXPECT_TRUE(b[1].spans[1].bold);
  EXPECT_EQ(b[1].spans[1].text, "bold");
  EXPECT_TRUE(b[1].spans[3].italic);
  EXPECT_EQ(b[2].kind, Block::Kind::kBullet);
  EXPECT_EQ(b[3].kind, Block::Kind::kBullet);
  EXPECT_EQ(b[4].kind, Block::Kind::kNumbered);
  EXPECT_EQ(b[5].kind, Block::Kind::kNumbered);
  EXPECT_EQ(b[6].kind, Block::Kind::kParagraph);
}

TEST(PolicyMarkdown, HtmlEscapesEverythingTheAuthorWrote) {
  const std::string html = MarkdownToHtml("<script>alert(1)</script> & **<b>x</b>**\n- <img>");
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_EQ(html.find("<img>"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;"), std::string::npos);
  EXPECT_NE(html.find("<strong>&lt;b&gt;x&lt;/b&gt;</strong>"), std::string::npos);
  EXPECT_NE(html.find("<ul><li>&lt;img&gt;</li></ul>"), std::string::npos);
}

TEST(PolicyDocx, DocumentXmlHasHeadingsListsAndEscapedText) {
  PolicyDoc d;
  d.title = "Charter & co";
  PolicyVersion v;
  v.number = 1;
  v.content = ContentJson({{"a", "u", "Purpose", 1, "Text <x>\n\n- item\n\n1. one\n2. two"},
                           {"b", "u", "Sub", 2, "3. again"}});
  int lists = 0;
  const std::string xml = DocumentXml(d, v, "Org", &lists);
  EXPECT_NE(xml.find("Charter &amp; co"), std::string::npos);
  EXPECT_NE(xml.find("Text &lt;x&gt;"), std::string::npos);
  EXPECT_NE(xml.find("w:val=\"Heading1\""), std::string::npos);
  EXPECT_NE(xml.find("w:val=\"Heading2\""), std::string::npos);
  EXPECT_NE(xml.find("<w:numId w:val=\"1\"/>"), std::string::npos);  // the bullet
  EXPECT_NE(xml.find("<w:numId w:val=\"2\"/>"), std::string::npos);  // first numbered list
  EXPECT_NE(xml.find("<w:numId w:val=\"3\"/>"), std::string::npos);  // second one, from 1
  EXPECT_EQ(lists, 2);
}

TEST(PolicyDocx, ZipHoldsEveryPartByName) {
  const std::string zip =
      ZipParts({{"[Content_Types].xml", "<a/>"}, {"word/document.xml", "<b/>"}});
  ASSERT_GT(zip.size(), 30u);
  EXPECT_EQ(zip.substr(0, 4), std::string("PK\x03\x04", 4));
  EXPECT_NE(zip.find("word/document.xml"), std::string::npos);
  EXPECT_NE(zip.find("[Content_Types].xml"), std::string::npos);
  EXPECT_NE(zip.find(std::string("PK\x05\x06", 4)), std::string::npos);  // end of directory
}

class PolicyStore : public MigratedStore {
 protected:
  void SetUp() override {
    MigratedStore::SetUp();
    if (IsSkipped()) return;
    org_ = AddOrganisation("Harbour Bank");
    ciso_ = AddPerson(org_, "the.ciso", RoleSet::Of({Role::kCiso}));
    boss_ = AddPerson(org_, "the.boss", RoleSet::Of({Role::kManagement}));
    clerk_ = AddPerson(org_, "the.clerk", RoleSet::Of({Role::kViewer}));
  }

  // A charter whose version 1 was approved at `approved_at` with review at `review`.
  PolicyDoc MakeApproved(std::string kind, Millis approved_at, Millis review) {
    PolicyDoc d;
    d.id = crypto::NewUuid();
    d.organisation_id = org_;
    d.kind = std::move(kind);
    d.form = std::string(kShortForm);
    d.title = DefaultTitle(d.kind);
    d.created_by = ciso_;
    d.created_at = d.updated_at = approved_at;
    d.approved = 1;
    d.next_review_at = review;
    db().Write([&](db::Tx& tx) {
      InsertDocument(tx, d);
      PolicyVersion v;
      v.document_id = d.id;
      v.number = 1;
      v.content = ContentJson(DraftFromTemplates(d.kind, d.form, ReadOrgFacts(tx, org_)));
      v.saved_by = ciso_;
      v.saved_by_name = "CISO";
      v.saved_at = approved_at;
      InsertPolicyVersion(tx, v);
      v.sha256 = crypto::Sha256Hex(v.content);
      v.approved_by = boss_;
      v.approved_by_name = "Boss";
      v.approved_at = approved_at;
      v.next_review_at = review;
      RecordApproval(tx, v);
    });
    return d;
  }

  std::int64_t Notices(const std::string& user, const std::string& event) {
    return db().Read([&](db::Tx& tx) {
      return tx
          .QueryOne("SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND event = $2",
                    {user, event})
          ->Int(0);
    });
  }

  std::string org_, ciso_, boss_, clerk_;
};

TEST_P(PolicyStore, StatusIsInDateOnlyWhileTheReviewHasNotPassed) {
  const Millis now = 400 * kPolicyDay;
  auto before = db().Read([&](db::Tx& tx) { return PolicyStatusOf(tx, org_, now); });
  EXPECT_FALSE(before.in_date);
  EXPECT_FALSE(before.has_charter);
  MakeApproved(std::string(kCharter), now - 100 * kPolicyDay, now + 265 * kPolicyDay);
  auto s = db().Read([&](db::Tx& tx) { return PolicyStatusOf(tx, org_, now); });
  EXPECT_TRUE(s.in_date);
  EXPECT_EQ(s.kind, std::string(kCharter));
  EXPECT_EQ(s.approved_at, now - 100 * kPolicyDay);
  auto later =
      db().Read([&](db::Tx& tx) { return PolicyStatusOf(tx, org_, now + 266 * kPolicyDay); });
  EXPECT_FALSE(later.in_date);
  EXPECT_TRUE(later.has_charter);
}

TEST_P(PolicyStore, APolicyInDateIsReportedBeforeACharter) {
  const Millis now = 400 * kPolicyDay;
  MakeApproved(std::string(kCharter), now - 10 * kPolicyDay, now + 300 * kPolicyDay);
  MakeApproved(std::string(kPolicy), now - 5 * kPolicyDay, now + 200 * kPolicyDay);
  auto s = db().Read([&](db::Tx& tx) { return PolicyStatusOf(tx, org_, now); });
  EXPECT_TRUE(s.in_date);
  EXPECT_EQ(s.kind, std::string(kPolicy));
  EXPECT_TRUE(s.has_policy);
}

TEST_P(PolicyStore, RemindsTheCisoOnceWhenDueSoonAndOnceWhenOverdue) {
  const Millis now = 1000 * kPolicyDay;
  MakeApproved(std::string(kCharter), now - 350 * kPolicyDay, now + 10 * kPolicyDay);
  EXPECT_EQ(SendPolicyReminders(db(), now), 1);
  EXPECT_EQ(SendPolicyReminders(db(), now + kPolicyDay), 0);
  EXPECT_EQ(Notices(ciso_, "policy.review_due"), 1);
  EXPECT_EQ(Notices(boss_, "policy.review_due"), 0);
  // A second server reaches the same result: the claim is in the database.
  auto other = OpenAnother(1);
  EXPECT_EQ(SendPolicyReminders(*other, now + 11 * kPolicyDay), 1);
  EXPECT_EQ(SendPolicyReminders(db(), now + 12 * kPolicyDay), 0);
  EXPECT_EQ(Notices(ciso_, "policy.review_overdue"), 1);
}

TEST_P(PolicyStore, PublicationReachesTheChosenRolesAndRecordsEachAcknowledgementOnce) {
  const Millis now = 500 * kPolicyDay;
  PolicyDoc d = MakeApproved(std::string(kCharter), now - kPolicyDay, now + 300 * kPolicyDay);
  Publication p;
  p.id = crypto::NewUuid();
  p.document_id = d.id;
  p.number = 1;
  p.roles = {"viewer", "management"};
  p.published_by = ciso_;
  p.published_by_name = "CISO";
  p.published_at = now;
  auto reached = db().Write([&](db::Tx& tx) { return InsertPublication(tx, d, p, now); });
  EXPECT_EQ(reached, 2);
  EXPECT_EQ(Notices(clerk_, "policy.published"), 1);
  EXPECT_EQ(Notices(ciso_, "policy.published"), 0);
  auto mine = db().Read([&](db::Tx& tx) { return ListToAcknowledge(tx, clerk_); });
  ASSERT_EQ(mine.size(), 1u);
  EXPECT_FALSE(mine[0].acknowledged_at.has_value());
  auto unread = [&](const std::string& user) {
    return db().Read([&](db::Tx& tx) {
      return tx
          .QueryOne("SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL",
                    {user})
          ->Int(0);
    });
  };
  EXPECT_EQ(unread(clerk_), 1);
  EXPECT_TRUE(db().Write([&](db::Tx& tx) { return Acknowledge(tx, clerk_, p.id, now + 5); }));
  EXPECT_EQ(unread(clerk_), 0);  // acknowledging reads the notice that asked for it
  EXPECT_EQ(unread(boss_), 1);
  EXPECT_FALSE(db().Write([&](db::Tx& tx) { return Acknowledge(tx, clerk_, p.id, now + 9); }));
  EXPECT_FALSE(db().Write([&](db::Tx& tx) { return Acknowledge(tx, ciso_, p.id, now + 9); }));
  auto people = db().Read([&](db::Tx& tx) { return ListAcknowledgements(tx, p.id); });
  ASSERT_EQ(people.size(), 2u);
  // Who has not acknowledged comes first.
  EXPECT_EQ(people[0].user_id, boss_);
  EXPECT_FALSE(people[0].acknowledged_at.has_value());
  EXPECT_EQ(people[1].acknowledged_at, now + 5);
  auto pubs = db().Read([&](db::Tx& tx) { return ListPublications(tx, d.id); });
  ASSERT_EQ(pubs.size(), 1u);
  EXPECT_EQ(pubs[0].recipients, 2);
  EXPECT_EQ(pubs[0].acknowledged, 1);
}

TEST_P(PolicyStore, StaleHeadVersionIsRefused) {
  PolicyDoc d = MakeApproved(std::string(kCharter), 1000, 2000);
  auto fresh = db().Read([&](db::Tx& tx) { return *FindDocument(tx, org_, d.id); });
  fresh.newest = 2;
  EXPECT_TRUE(db().Write([&](db::Tx& tx) { return UpdateDocument(tx, fresh, fresh.version, 5); }));
  EXPECT_FALSE(db().Write([&](db::Tx& tx) { return UpdateDocument(tx, fresh, fresh.version, 6); }));
}

INSTANTIATE_TEST_SUITE_P(Stores, PolicyStore, testing::Values(Store::kSqlite, Store::kPostgres),
                         StoreName);

}  // namespace
}  // namespace rampart::isms
