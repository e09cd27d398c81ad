// The disclosure protocol's pure rules: the digest consent binds to, observables never travelling
// wider than their own label, an anonymised text that would name its organisation.
#include "sharing/disclosure.h"

#include <gtest/gtest.h>

namespace rampart::sharing {
namespace {

ShareRequest Asked() {
  ShareRequest q;
  q.incident_id = "case-1";
  q.cert_org_id = "cert";
  q.form = ShareForm::kAnonymised;
  q.title = "Card skimming malware at a bank";
  q.text = "Malware on payment terminals sent card data to a remote server.";
  q.observables = {{"o1", "ipv4", "203.0.113.9", Tlp::kGreen},
                   {"o2", "domain", "drop.example", Tlp::kAmber}};
  q.audience.tlp = Tlp::kAmber;
  q.audience.distribution = Distribution::kSector;
  q.audience.sector_ids = {"finance", "ict"};
  q.audience.recipient_org_ids = {"bank-a", "bank-b"};
  return q;
}

TEST(DisclosureDigest, AnyChangeToWhatIsAskedChangesIt) {
  const std::string base = Digest(Asked());
  EXPECT_EQ(base.size(), 64u);
  EXPECT_EQ(Digest(Asked()), base);
  auto changed = [&](auto edit) {
    ShareRequest q = Asked();
    edit(q);
    return Digest(q);
  };
  EXPECT_NE(changed([](ShareRequest& q) { q.text += " "; }), base);
  EXPECT_NE(changed([](ShareRequest& q) { q.title = "Other"; }), base);
  EXPECT_NE(changed([](ShareRequest& q) { q.form = ShareForm::kNamed; }), base);
  EXPECT_NE(changed([](ShareRequest& q) { q.audience.tlp = Tlp::kAmberStrict; }), base);
  EXPECT_NE(changed([](ShareRequest& q) { q.audience.distribution = Distribution::kNational; }),
            base);
  EXPECT_NE(changed([](ShareRequest& q) { q.audience.recipient_org_ids.push_back("bank-c"); }),
            base);
  EXPECT_NE(changed([](ShareRequest& q) { q.audience.group_id = "group"; }), base);
  EXPECT_NE(changed([](ShareRequest& q) { q.observables.pop_back(); }), base);
  EXPECT_NE(changed([](ShareRequest& q) { q.observables[0].tlp = Tlp::kClear; }), base);
  EXPECT_NE(changed([](ShareRequest& q) { q.incident_id = "case-2"; }), base);
}

TEST(DisclosureDigest, TheOrderOfSetsAndTheAnswerDoNotCount) {
  const std::string base = Digest(Asked());
  ShareRequest q = Asked();
  std::swap(q.audience.sector_ids[0], q.audience.sector_ids[1]);
  std::swap(q.audience.recipient_org_ids[0], q.audience.recipient_org_ids[1]);
  q.state = ShareState::kConsented;
  q.answer_reason = "fine";
  q.version = 7;
  EXPECT_EQ(Digest(q), base);
}

TEST(DisclosureRules, AnObservableNeverTravelsWiderThanItsOwnLabel) {
  const SharedObservable amber{"o", "ipv4", "203.0.113.9", Tlp::kAmber};
  EXPECT_TRUE(ObservableRefusal(amber, Tlp::kGreen).has_value());
  EXPECT_TRUE(ObservableRefusal(amber, Tlp::kClear).has_value());
  EXPECT_FALSE(ObservableRefusal(amber, Tlp::kAmber).has_value());
  EXPECT_FALSE(ObservableRefusal(amber, Tlp::kAmberStrict).has_value());
  EXPECT_FALSE(ObservableRefusal(amber, Tlp::kRed).has_value());
  // AMBER+STRICT is narrower than AMBER, never the same.
  const SharedObservable strict{"o", "ipv4", "203.0.113.9", Tlp::kAmberStrict};
  EXPECT_TRUE(ObservableRefusal(strict, Tlp::kAmber).has_value());
  const SharedObservable red{"o", "ipv4", "203.0.113.9", Tlp::kRed};
  for (Tlp t : kAllTlp) {
    EXPECT_EQ(ObservableRefusal(red, t).has_value(), t != Tlp::kRed) << Label(t);
  }
}

TEST(DisclosureRules, AnonymisedTextMayNotNameTheOrganisation) {
  EXPECT_TRUE(NamesOrganisation("Staff at harbour commercial bank saw it",
                                "Harbour Commercial Bank", "HCB"));
  EXPECT_TRUE(NamesOrganisation("HCB's terminals", "Harbour Commercial Bank", "HCB"));
  EXPECT_TRUE(NamesOrganisation("seen at (hcb)", "Harbour Commercial Bank", "HCB"));
  // A short name inside another word is not the organisation.
  EXPECT_FALSE(NamesOrganisation("A method of attack", "Meteorological Service", "Met"));
  EXPECT_FALSE(NamesOrganisation("A bank in the finance sector", "Harbour Commercial Bank", "HCB"));
}

TEST(DisclosureRules, NamesAndReferencesAreStable) {
  EXPECT_EQ(FormatSharedIncidentReference(2026, 3), "SHI-2026-0003");
  EXPECT_EQ(AnonymousOrgLabel("Finance", "operator", std::string("large")),
            "Finance operator (large)");
  EXPECT_EQ(AnonymousOrgLabel("Health", "government", std::nullopt), "Health government");
  for (ShareState s : {ShareState::kPending, ShareState::kConsented, ShareState::kRefused,
                       ShareState::kWithdrawn, ShareState::kPublished}) {
    EXPECT_EQ(ParseShareState(Name(s)), s);
  }
  EXPECT_EQ(ParseShareForm("anonymised"), ShareForm::kAnonymised);
  EXPECT_EQ(ParseShareForm("anonymous"), std::nullopt);
}

}  // namespace
}  // namespace rampart::sharing
