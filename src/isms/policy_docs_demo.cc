// Demo charters and policies: what an operator's documents look like after a year of use.
#include <nlohmann/json.hpp>

#include "isms/policy_docs.h"
#include "platform/audit.h"
#include "platform/crypto.h"
#include "platform/principal.h"

namespace rampart::isms {

namespace {

struct Person {
  std::string id, name;
  RoleSet roles;
};

PolicyVersion Saved(const PolicyDoc& d, std::int64_t number, const std::vector<Section>& sections,
                    std::string note, const Person& by, Millis at) {
  PolicyVersion v;
  v.document_id = d.id;
  v.number = number;
  v.content = ContentJson(sections);
  v.note = std::move(note);
  v.saved_by = by.id;
  v.saved_by_name = by.name;
  v.saved_at = at;
  return v;
}

void Approve(db::Tx& tx, PolicyVersion& v, const Person& by, Millis at) {
  v.sha256 = crypto::Sha256Hex(v.content);
  v.approved_by = by.id;
  v.approved_by_name = by.name;
  v.approved_at = at;
  v.approval_note = "Approved at the management meeting.";
  v.next_review_at = at + kDefaultReviewPeriod;
  RecordApproval(tx, v);
}

void Amend(std::vector<Section>& sections, const std::string& key, const std::string& extra) {
  for (auto& s : sections) {
    if (s.key == key) s.body += "\n\n" + extra;
  }
}

}  // namespace

int SeedDemoPolicies(db::Database& db, Millis now) {
  struct Org {
    std::string id, short_name, size;
  };
  auto orgs = db.Read([&](db::Tx& tx) {
    std::vector<Org> out;
    for (const auto& r : tx.Query(
             "SELECT o.id, o.short_name, COALESCE(o.size_class, '') FROM organisations o WHERE "
             "o.kind = 'operator' AND NOT EXISTS (SELECT 1 FROM policy_documents d WHERE "
             "d.organisation_id = o.id) ORDER BY o.name",
             {})) {
      out.push_back({r.Text(0), r.Text(1), r.Text(2)});
    }
    return out;
  });
  int made = 0;
  for (const auto& org : orgs) {
    db.Write([&](db::Tx& tx) {
      std::vector<Person> people;
      for (const auto& r : tx.Query(
               "SELECT u.id, u.display_name, m.roles FROM memberships m JOIN users u ON u.id = "
               "m.user_id WHERE m.organisation_id = $1 AND u.disabled = 0 ORDER BY u.username",
               {org.id})) {
        people.push_back({r.Text(0), r.Text(1), RoleSet::Parse(r.Text(2)).value_or(RoleSet())});
      }
      const Person* ciso = nullptr;
      const Person* manager = nullptr;
      for (const auto& p : people) {
        if (!ciso && p.roles.Has(Role::kCiso)) ciso = &p;
        if (!manager && p.roles.Has(Role::kManagement)) manager = &p;
      }
      if (ciso == nullptr || manager == nullptr) return;
      const bool large = org.size == "large";
      const bool hcb = org.short_name == "HCB";
      // Spread the approvals over the past year so review dates differ (none falls due soon).
      const Millis age = (200 + static_cast<Millis>(made * 11 % 120)) * kPolicyDay;
      const Millis started = now - age - 20 * kPolicyDay;
      const Millis approved_at = now - age;

      PolicyDoc d;
      d.id = crypto::NewUuid();
      d.organisation_id = org.id;
      d.kind = large ? std::string(kPolicy) : std::string(kCharter);
      d.form = large ? std::string(kFullForm) : std::string(kShortForm);
      d.title = DefaultTitle(d.kind);
      d.created_by = ciso->id;
      d.created_at = started;
      d.updated_at = approved_at;
      d.newest = 2;
      d.approved = 2;
      d.next_review_at = approved_at + kDefaultReviewPeriod;
      InsertDocument(tx, d);

      auto sections = DraftFromTemplates(d.kind, d.form, ReadOrgFacts(tx, org.id));
      InsertPolicyVersion(
          tx, Saved(d, 1, sections, "Started from Rampart's templates", *ciso, started));
      if (large) {
        Amend(sections, "6.5",
              "Backups of the core systems are copied every night to the second data centre and "
              "kept for ninety days.");
        Amend(sections, "7.3", "Administrator accounts use hardware security keys.");
      } else {
        Amend(sections, "charter.commitments",
              "We will present this charter to every person at the next staff meeting and to "
              "each newcomer on their first day.");
      }
      auto v2 = Saved(d, 2, sections, "Adjusted after the management's reading", *ciso,
                      started + 7 * kPolicyDay);
      InsertPolicyVersion(tx, v2);
      Approve(tx, v2, *manager, approved_at);

      // Presented to everyone; most have acknowledged it, the viewers and reporters lag behind.
      Publication p;
      p.id = crypto::NewUuid();
      p.document_id = d.id;
      p.number = 2;
      p.message = "Please read the document and confirm that you have.";
      p.published_by = ciso->id;
      p.published_by_name = ciso->name;
      p.published_at = approved_at + kPolicyDay;
      InsertPublication(tx, d, p, p.published_at);
      int k = 0;
      for (const auto& person : people) {
        ++k;
        if (person.roles.HasAny(RoleSet::Of({Role::kViewer, Role::kReporter})) && k % 2 == 0) {
          continue;
        }
        Acknowledge(tx, person.id, p.id, p.published_at + k * kPolicyDay / 3);
      }
      // The bank shows the next cycle: a draft in progress after the approved version.
      if (hcb) {
        Amend(sections, "9.2",
              "Since the new reporting rules, the early warning to the regulator is sent within "
              "24 hours of becoming aware of a significant incident.");
        InsertPolicyVersion(tx, Saved(d, 3, sections, "Reporting deadlines of the new law", *ciso,
                                      now - 3 * kPolicyDay));
        d.newest = 3;
      }
      tx.Exec("UPDATE policy_documents SET newest = $1, updated_at = $2 WHERE id = $3",
              {d.newest, hcb ? now - 3 * kPolicyDay : approved_at, d.id});
      auto e = audit::By(nullptr, "policy.demo", "policy_document", d.id);
      e.after =
          nlohmann::json{{"organisation_id", org.id}, {"kind", d.kind}, {"form", d.form}}.dump();
      audit::Append(tx, e, now);
      ++made;
    });
  }
  return made;
}

}  // namespace rampart::isms
