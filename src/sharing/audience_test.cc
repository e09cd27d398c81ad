// The audience engine: a property test against a deliberately naive model written from the rule
// table in audience.h, a bound test that holds whatever the intersection says, and regression
// tests named for the ways sharing platforms have leaked or lost items.
#include "sharing/audience.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace rampart::sharing {
namespace {

// ---- a small world for the regression tests ----

Directory SmallWorld() {
  Directory d;
  d.org_sectors = {{"cert", {}},
                   {"bank1", {"finance"}},
                   {"bank2", {"finance"}},
                   {"grid", {"energy"}},
                   {"telco", {"ict", "energy"}}};
  d.groups["g"] = Group{"cert", {"bank1"}};
  d.person_orgs = {{"ana", {"cert"}},  {"bob", {"bank1"}}, {"bea", {"bank1"}},
                   {"cid", {"bank2"}}, {"gus", {"grid"}},  {"tom", {"telco"}}};
  return d;
}

Viewer As(std::string user, std::vector<std::string> orgs) { return Viewer{user, orgs}; }

Item Shared(Tlp tlp, Distribution distribution) {
  Item i;
  i.author_org_id = "cert";
  i.tlp = tlp;
  i.distribution = distribution;
  return i;
}

TEST(Audience, NewGroupMemberSeesOlderItems) {
  Directory d = SmallWorld();
  Item old = Shared(Tlp::kGreen, Distribution::kNational);
  old.group_id = "g";
  EXPECT_FALSE(MaySee(old, As("cid", {"bank2"}), d));
  d.groups["g"].member_org_ids.insert("bank2");  // joins after the item was shared
  EXPECT_TRUE(MaySee(old, As("cid", {"bank2"}), d));
}

TEST(Audience, RemovedGroupMemberNoLongerSeesItems) {
  Directory d = SmallWorld();
  Item item = Shared(Tlp::kGreen, Distribution::kNational);
  item.group_id = "g";
  EXPECT_TRUE(MaySee(item, As("bob", {"bank1"}), d));
  d.groups["g"].member_org_ids.erase("bank1");
  EXPECT_FALSE(MaySee(item, As("bob", {"bank1"}), d));
  EXPECT_EQ(AudienceOrgs(item, d), std::vector<std::string>{"cert"});
}

TEST(Audience, OrganisationOutsideGroupCannotReadItsItems) {
  Directory d = SmallWorld();
  for (Tlp tlp : {Tlp::kClear, Tlp::kGreen}) {
    Item item = Shared(tlp, Distribution::kNational);
    item.group_id = "g";
    EXPECT_FALSE(MaySee(item, As("gus", {"grid"}), d)) << Label(tlp);
    EXPECT_FALSE(MaySee(item, As("", {}), d)) << Label(tlp);
  }
  // Not even when named as a recipient: the intersection drops it (CheckShare refuses such an
  // item, but the engine stays closed if one was stored anyway).
  Item amber = Shared(Tlp::kAmber, Distribution::kNational);
  amber.group_id = "g";
  amber.recipient_org_ids = {"bank1", "grid"};
  EXPECT_TRUE(MaySee(amber, As("bob", {"bank1"}), d));
  EXPECT_FALSE(MaySee(amber, As("gus", {"grid"}), d));
  ASSERT_TRUE(CheckShare(amber, d));
  EXPECT_EQ(CheckShare(amber, d)->field, "recipient_org_ids");
}

TEST(Audience, GroupEditsTakeEffectAtOnce) {
  Directory d = SmallWorld();
  Item item = Shared(Tlp::kGreen, Distribution::kNational);
  item.group_id = "g";
  EXPECT_EQ(AudienceOrgs(item, d), (std::vector<std::string>{"cert", "bank1"}));
  d.groups["g"].member_org_ids = {"grid", "telco"};
  EXPECT_EQ(AudienceOrgs(item, d), (std::vector<std::string>{"cert", "grid", "telco"}));
  EXPECT_FALSE(MaySee(item, As("bob", {"bank1"}), d));
  d.groups.erase("g");  // a deleted group lets nobody in but the author
  EXPECT_EQ(AudienceOrgs(item, d), std::vector<std::string>{"cert"});
  EXPECT_TRUE(MaySee(item, As("ana", {"cert"}), d));
}

TEST(Audience, RedReachesNamedPeopleNotTheirColleagues) {
  Directory d = SmallWorld();
  Item red = Shared(Tlp::kRed, Distribution::kNational);
  red.recipient_user_ids = {"bob"};
  EXPECT_TRUE(MaySee(red, As("bob", {"bank1"}), d));
  EXPECT_FALSE(MaySee(red, As("bea", {"bank1"}), d));
  EXPECT_TRUE(MaySee(red, As("ana", {"cert"}), d));  // the author's organisation
  EXPECT_EQ(AudiencePeople(red, d), std::vector<std::string>{"bob"});
  EXPECT_EQ(AudienceOrgs(red, d), (std::vector<std::string>{"cert", "bank1"}));
}

TEST(Audience, AmberStrictNeverLeavesRecipientOrganisations) {
  Directory d = SmallWorld();
  Item strict = Shared(Tlp::kAmberStrict, Distribution::kNational);
  strict.recipient_org_ids = {"bank1"};
  strict.passed_on = {{"bank1", "bank2", "bob", 1}};  // cannot happen through CheckPassOn
  EXPECT_TRUE(MaySee(strict, As("bea", {"bank1"}), d));
  EXPECT_FALSE(MaySee(strict, As("cid", {"bank2"}), d));
  EXPECT_TRUE(CheckPassOn(strict, "bank1", "bank2", d));
}

TEST(Audience, AmberReachesOrganisationsARecipientPassedItTo) {
  Directory d = SmallWorld();
  Item amber = Shared(Tlp::kAmber, Distribution::kNational);
  amber.recipient_org_ids = {"bank1"};
  EXPECT_FALSE(CheckPassOn(amber, "bank1", "bank2", d));
  EXPECT_FALSE(MaySee(amber, As("cid", {"bank2"}), d));
  amber.passed_on = {{"bank1", "bank2", "bob", 1}};
  EXPECT_TRUE(MaySee(amber, As("cid", {"bank2"}), d));
  // bank2 was passed it; it does not pass it further.
  ASSERT_TRUE(CheckPassOn(amber, "bank2", "grid", d));
  EXPECT_EQ(CheckPassOn(amber, "bank2", "grid", d)->field, "from_org_id");
  amber.passed_on.push_back({"bank2", "grid", "cid", 2});
  EXPECT_FALSE(MaySee(amber, As("gus", {"grid"}), d));
}

TEST(Audience, AnonymousAndAdministratorSeeOnlyPublicClearItems) {
  Directory d = SmallWorld();
  const Viewer anonymous;
  const Viewer admin = As("root", {});
  for (Tlp tlp : kAllTlp) {
    for (Distribution dist : kAllDistributions) {
      Item item = Shared(tlp, dist);
      item.sector_ids = {"finance"};
      item.recipient_org_ids = {"bank1"};
      item.recipient_user_ids = {"root", "bob"};
      const bool open = tlp == Tlp::kClear && dist == Distribution::kPublic;
      EXPECT_EQ(MaySee(item, anonymous, d), open) << Label(tlp) << " " << Name(dist);
      EXPECT_EQ(MaySee(item, admin, d), open) << Label(tlp) << " " << Name(dist);
    }
  }
}

TEST(Audience, SectorDistributionReachesOrganisationsOfTheItemsSectors) {
  Directory d = SmallWorld();
  Item item = Shared(Tlp::kGreen, Distribution::kSector);
  item.sector_ids = {"energy"};
  EXPECT_EQ(AudienceOrgs(item, d), (std::vector<std::string>{"cert", "grid", "telco"}));
  EXPECT_FALSE(MaySee(item, As("bob", {"bank1"}), d));
  EXPECT_TRUE(MaySee(item, As("tom", {"telco"}), d));
}

TEST(Audience, RefusesSharesWiderThanTheLabel) {
  Directory d = SmallWorld();
  for (Tlp tlp : {Tlp::kGreen, Tlp::kAmber, Tlp::kAmberStrict, Tlp::kRed}) {
    Item item = Shared(tlp, Distribution::kPublic);
    if (tlp == Tlp::kRed) item.recipient_user_ids = {"bob"};
    if (tlp == Tlp::kAmber || tlp == Tlp::kAmberStrict) item.recipient_org_ids = {"bank1"};
    auto refusal = CheckShare(item, d);
    ASSERT_TRUE(refusal) << Label(tlp);
    EXPECT_EQ(refusal->field, "distribution");
    EXPECT_NE(refusal->reason.find(Label(tlp)), std::string::npos) << refusal->reason;
  }
  // Narrower than the label is fine.
  Item clear = Shared(Tlp::kClear, Distribution::kSector);
  clear.sector_ids = {"finance"};
  EXPECT_FALSE(CheckShare(clear, d));
  EXPECT_FALSE(CheckShare(Shared(Tlp::kClear, Distribution::kPublic), d));
}

TEST(Audience, RefusesContradictoryShares) {
  Directory d = SmallWorld();
  Item amber = Shared(Tlp::kAmber, Distribution::kNational);
  EXPECT_EQ(CheckShare(amber, d)->field, "recipient_org_ids");  // nobody named
  Item red = Shared(Tlp::kRed, Distribution::kSector);
  red.sector_ids = {"energy"};
  red.recipient_user_ids = {"bob"};  // bob's bank is not in energy
  EXPECT_EQ(CheckShare(red, d)->field, "recipient_user_ids");
  red.recipient_user_ids = {"gus"};
  EXPECT_FALSE(CheckShare(red, d));
  Item green = Shared(Tlp::kGreen, Distribution::kNational);
  green.recipient_org_ids = {"bank1"};
  EXPECT_EQ(CheckShare(green, d)->field, "recipient_org_ids");
  Item foreign = Shared(Tlp::kGreen, Distribution::kNational);
  foreign.author_org_id = "grid";  // not the owner of "g", nor a member
  foreign.group_id = "g";
  EXPECT_EQ(CheckShare(foreign, d)->field, "group_id");
  Item sectorless = Shared(Tlp::kGreen, Distribution::kSector);
  EXPECT_EQ(CheckShare(sectorless, d)->field, "sector_ids");
  Item public_group = Shared(Tlp::kClear, Distribution::kPublic);
  public_group.group_id = "g";
  EXPECT_EQ(CheckShare(public_group, d)->field, "group_id");
}

// ---- the property test ----

struct World {
  std::vector<std::string> orgs, sectors, users, groups;
  Directory dir;
};

template <class T>
const T& Pick(std::mt19937& rng, const std::vector<T>& v) {
  return v[std::uniform_int_distribution<std::size_t>(0, v.size() - 1)(rng)];
}

bool Coin(std::mt19937& rng, double p) { return std::bernoulli_distribution(p)(rng); }

template <class T>
std::vector<T> Some(std::mt19937& rng, const std::vector<T>& v, double p) {
  std::vector<T> out;
  for (const auto& x : v) {
    if (Coin(rng, p)) out.push_back(x);
  }
  return out;
}

World RandomWorld(std::mt19937& rng) {
  World w;
  const int n_sectors = std::uniform_int_distribution<int>(1, 4)(rng);
  const int n_orgs = std::uniform_int_distribution<int>(2, 9)(rng);
  const int n_users = std::uniform_int_distribution<int>(1, 14)(rng);
  const int n_groups = std::uniform_int_distribution<int>(0, 3)(rng);
  for (int i = 0; i < n_sectors; ++i) w.sectors.push_back("s" + std::to_string(i));
  for (int i = 0; i < n_orgs; ++i) {
    w.orgs.push_back("o" + std::to_string(i));
    w.dir.org_sectors[w.orgs.back()] = Some(rng, w.sectors, 0.4);
  }
  for (int i = 0; i < n_users; ++i) {
    w.users.push_back("u" + std::to_string(i));
    auto orgs = Some(rng, w.orgs, 0.2);  // some people belong nowhere, some to several
    if (!orgs.empty()) w.dir.person_orgs[w.users.back()] = orgs;
  }
  for (int i = 0; i < n_groups; ++i) {
    w.groups.push_back("g" + std::to_string(i));
    Group g{Pick(rng, w.orgs), {}};
    for (const auto& o : Some(rng, w.orgs, 0.35)) g.member_org_ids.insert(o);
    w.dir.groups[w.groups.back()] = g;
  }
  return w;
}

Item RandomItem(std::mt19937& rng, const World& w) {
  Item i;
  i.author_org_id = Pick(rng, w.orgs);
  i.tlp = kAllTlp[std::uniform_int_distribution<int>(0, 4)(rng)];
  i.distribution = kAllDistributions[std::uniform_int_distribution<int>(0, 3)(rng)];
  i.sector_ids = Some(rng, w.sectors, 0.4);
  if (Coin(rng, 0.4))
    i.group_id = w.groups.empty() || Coin(rng, 0.1) ? "gone" : Pick(rng, w.groups);
  i.recipient_org_ids = Some(rng, w.orgs, 0.3);
  i.recipient_user_ids = Some(rng, w.users, 0.3);
  const int passes = std::uniform_int_distribution<int>(0, 3)(rng);
  for (int p = 0; p < passes; ++p) {
    i.passed_on.push_back({Pick(rng, w.orgs), Pick(rng, w.orgs), Pick(rng, w.users), p});
  }
  return i;
}

// The naive model: every reach written out as an explicit set of organisations over the whole
// directory, intersected with std::set_intersection; a person sees the item through an
// organisation of the intersection (for RED: only if named), or as a member of its author.
std::set<std::string> Intersect(const std::set<std::string>& a, const std::set<std::string>& b) {
  std::set<std::string> out;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::inserter(out, out.begin()));
  return out;
}

std::set<std::string> ModelCommunity(const Item& item, const World& w) {
  std::set<std::string> dist;
  for (const auto& o : w.orgs) {
    const auto& sectors = w.dir.org_sectors.at(o);
    bool in = false;
    if (item.distribution == Distribution::kOrganisation) in = o == item.author_org_id;
    if (item.distribution == Distribution::kNational) in = true;
    if (item.distribution == Distribution::kPublic) in = true;
    if (item.distribution == Distribution::kSector) {
      for (const auto& s : sectors) {
        for (const auto& t : item.sector_ids) in = in || s == t;
      }
    }
    if (in) dist.insert(o);
  }
  std::set<std::string> group(w.orgs.begin(), w.orgs.end());
  if (item.group_id) {
    group.clear();
    for (const auto& [id, g] : w.dir.groups) {
      if (id != *item.group_id) continue;
      group.insert(g.owner_org_id);
      group.insert(g.member_org_ids.begin(), g.member_org_ids.end());
    }
  }
  return Intersect(dist, group);
}

std::set<std::string> ModelLabelOrgs(const Item& item, const World& w) {
  std::set<std::string> out;
  if (item.tlp == Tlp::kClear || item.tlp == Tlp::kGreen) out.insert(w.orgs.begin(), w.orgs.end());
  if (item.tlp == Tlp::kAmber || item.tlp == Tlp::kAmberStrict) {
    out.insert(item.recipient_org_ids.begin(), item.recipient_org_ids.end());
  }
  if (item.tlp == Tlp::kAmber) {
    std::set<std::string> passers(item.recipient_org_ids.begin(), item.recipient_org_ids.end());
    passers.insert(item.author_org_id);
    for (const auto& p : item.passed_on) {
      if (passers.count(p.from_org_id)) out.insert(p.to_org_id);
    }
  }
  return out;
}

bool ModelSees(const Item& item, const World& w, const std::string& user) {
  if (item.tlp == Tlp::kClear && item.distribution == Distribution::kPublic && !item.group_id) {
    return true;
  }
  if (user.empty() || !w.dir.person_orgs.count(user)) return false;
  const auto& mine = w.dir.person_orgs.at(user);
  for (const auto& o : mine) {
    if (o == item.author_org_id) return true;
  }
  std::set<std::string> reach = ModelCommunity(item, w);
  if (item.tlp == Tlp::kRed) {
    const bool named =
        std::count(item.recipient_user_ids.begin(), item.recipient_user_ids.end(), user) > 0;
    if (!named) return false;
  } else {
    reach = Intersect(reach, ModelLabelOrgs(item, w));
  }
  for (const auto& o : mine) {
    if (reach.count(o)) return true;
  }
  return false;
}

Viewer ViewerOf(const World& w, const std::string& user) {
  auto it = w.dir.person_orgs.find(user);
  return Viewer{user, it == w.dir.person_orgs.end() ? std::vector<std::string>{} : it->second};
}

TEST(AudienceProperty, MaySeeAgreesWithANaiveModel) {
  std::mt19937 rng(20261123);
  int checks = 0, seen = 0;
  for (int world = 0; world < 300; ++world) {
    World w = RandomWorld(rng);
    std::vector<Item> items;
    for (int n = 0; n < 30; ++n) items.push_back(RandomItem(rng, w));
    std::vector<const Item*> ptrs;
    for (const auto& i : items) ptrs.push_back(&i);
    std::vector<std::string> people = w.users;
    people.push_back("");  // anonymous
    for (const auto& user : people) {
      const Viewer v = ViewerOf(w, user);
      const auto visible = FilterVisible(ptrs, v, w.dir);
      std::size_t next = 0;
      for (std::size_t k = 0; k < items.size(); ++k) {
        const bool want = ModelSees(items[k], w, user);
        const bool got = MaySee(items[k], v, w.dir);
        ASSERT_EQ(got, want) << "world " << world << " item " << k << " user '" << user << "' "
                             << Label(items[k].tlp) << " " << Name(items[k].distribution);
        const bool listed = next < visible.size() && visible[next] == k;
        ASSERT_EQ(listed, got) << "FilterVisible disagrees with MaySee";
        if (listed) ++next;
        ++checks;
        seen += got ? 1 : 0;
      }
    }
  }
  // The generator must produce both answers in quantity, or the test proves little.
  EXPECT_GT(checks, 20000);
  EXPECT_GT(seen, checks / 20);
  EXPECT_LT(seen, checks - checks / 20);
}

// Drops what the item's label and distribution do not take, and recipients outside its
// community, so that about half the items make a coherent share CheckShare accepts.
void Tidy(Item& item, const World& w) {
  if (item.distribution != Distribution::kSector) item.sector_ids.clear();
  if (item.distribution == Distribution::kPublic) item.group_id.reset();
  if (item.tlp != Tlp::kAmber && item.tlp != Tlp::kAmberStrict) item.recipient_org_ids.clear();
  if (item.tlp != Tlp::kRed) item.recipient_user_ids.clear();
  const std::set<std::string> reach = ModelCommunity(item, w);
  std::erase_if(item.recipient_org_ids, [&](const std::string& o) { return !reach.count(o); });
  std::erase_if(item.recipient_user_ids, [&](const std::string& u) {
    if (!w.dir.person_orgs.count(u)) return true;
    for (const auto& o : w.dir.person_orgs.at(u)) {
      if (reach.count(o)) return false;
    }
    return true;
  });
}

// Whatever the intersection computes, nobody outside the label's and the distribution's bounds
// ever sees an item: written from TLP's own definitions, one bound per line.
TEST(AudienceProperty, NoItemReachesAnyoneOutsideItsBounds) {
  std::mt19937 rng(7);
  int refused = 0, accepted = 0;
  for (int world = 0; world < 300; ++world) {
    World w = RandomWorld(rng);
    for (int n = 0; n < 30; ++n) {
      Item item = RandomItem(rng, w);
      if (Coin(rng, 0.6)) Tidy(item, w);
      std::vector<std::string> people = w.users;
      people.push_back("");
      for (const auto& user : people) {
        const Viewer v = ViewerOf(w, user);
        if (!MaySee(item, v, w.dir)) continue;
        auto in = [&](const std::vector<std::string>& list, const std::string& x) {
          return std::find(list.begin(), list.end(), x) != list.end();
        };
        if (in(v.org_ids, item.author_org_id)) continue;  // the author's own
        const bool open =
            item.tlp == Tlp::kClear && item.distribution == Distribution::kPublic && !item.group_id;
        if (open) continue;
        ASSERT_FALSE(v.org_ids.empty()) << "an anonymous caller saw a non-public item";
        ASSERT_NE(item.distribution, Distribution::kOrganisation);
        if (item.tlp == Tlp::kRed) {
          ASSERT_TRUE(in(item.recipient_user_ids, user));
        }
        bool via_recipient = false, via_sector = false, via_group = !item.group_id;
        for (const auto& o : v.org_ids) {
          via_recipient = via_recipient || in(item.recipient_org_ids, o);
          for (const auto& p : item.passed_on) via_recipient = via_recipient || p.to_org_id == o;
          for (const auto& s : w.dir.org_sectors.at(o)) {
            via_sector = via_sector || in(item.sector_ids, s);
          }
          if (item.group_id && w.dir.groups.count(*item.group_id)) {
            const Group& g = w.dir.groups.at(*item.group_id);
            via_group = via_group || g.owner_org_id == o || g.member_org_ids.count(o) > 0;
          }
        }
        if (item.tlp == Tlp::kAmberStrict || item.tlp == Tlp::kAmber) {
          ASSERT_TRUE(via_recipient);
        }
        if (item.distribution == Distribution::kSector) {
          ASSERT_TRUE(via_sector);
        }
        ASSERT_TRUE(via_group);
      }
      // An accepted share reaches every recipient it names, and the public only when CLEAR.
      if (auto r = CheckShare(item, w.dir)) {
        ++refused;
        EXPECT_FALSE(r->reason.empty());
        continue;
      }
      ++accepted;
      const auto orgs = AudienceOrgs(item, w.dir);
      ASSERT_EQ(orgs.front(), item.author_org_id);
      if (item.distribution == Distribution::kPublic) {
        ASSERT_EQ(item.tlp, Tlp::kClear);
      }
      for (const auto& o : item.recipient_org_ids) {
        ASSERT_TRUE(std::count(orgs.begin(), orgs.end(), o)) << "recipient dropped";
      }
      ASSERT_EQ(
          AudiencePeople(item, w.dir).size(),
          std::set<std::string>(item.recipient_user_ids.begin(), item.recipient_user_ids.end())
              .size());
    }
  }
  EXPECT_GT(accepted, 100);
  EXPECT_GT(refused, 100);
}

// AudienceOrgs (the preview, the notification list) names exactly the organisations whose
// people MaySee lets in: for RED through its named people, otherwise through anyone of it.
TEST(AudienceProperty, AudienceOrgsMatchesMaySee) {
  std::mt19937 rng(99);
  for (int world = 0; world < 300; ++world) {
    World w = RandomWorld(rng);
    for (int n = 0; n < 20; ++n) {
      Item item = RandomItem(rng, w);
      const auto orgs = AudienceOrgs(item, w.dir);
      const auto people = AudiencePeople(item, w.dir);
      for (const auto& o : w.orgs) {
        const bool listed = std::count(orgs.begin(), orgs.end(), o) > 0;
        bool sees;
        if (item.tlp == Tlp::kRed && o != item.author_org_id) {
          sees = false;
          for (const auto& u : item.recipient_user_ids) {
            sees = sees ||
                   (w.dir.person_orgs.count(u) &&
                    std::count(w.dir.person_orgs.at(u).begin(), w.dir.person_orgs.at(u).end(), o) &&
                    MaySee(item, Viewer{u, {o}}, w.dir));
          }
        } else {
          sees = MaySee(item, Viewer{"someone", {o}}, w.dir);
        }
        ASSERT_EQ(listed, sees) << "world " << world << " org " << o;
      }
      for (const auto& u : people) ASSERT_TRUE(MaySee(item, ViewerOf(w, u), w.dir));
    }
  }
}

}  // namespace
}  // namespace rampart::sharing
