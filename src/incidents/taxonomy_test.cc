#include "incidents/taxonomy.h"

#include <gtest/gtest.h>

#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace rampart::incidents {
namespace {

using Ids = std::vector<std::string>;

Ids ClassIds(const Taxonomy& t) {
  Ids out;
  for (const auto& c : t.Classes()) out.push_back(c.id);
  return out;
}

Ids TypeIds(const Taxonomy& t, std::string_view cls) {
  Ids out;
  if (const auto* c = t.FindClass(cls)) {
    for (const auto& ty : c->types) out.push_back(ty.id);
  }
  return out;
}

// Expects Parse to throw a logic_error whose message mentions `entry`.
void ExpectRejected(const std::string& json, const std::string& entry) {
  try {
    Taxonomy::Parse(json);
    ADD_FAILURE() << "accepted: " << json;
  } catch (const std::logic_error& e) {
    EXPECT_NE(std::string(e.what()).find(entry), std::string::npos) << e.what();
  }
}

std::string OneClass(const std::string& class_id, const std::string& types_json) {
  return R"({"urn":"urn:x","name":"n","version":"1","source":"s","classes":[{"id":")" + class_id +
         R"(","name":"N","description":"d","types":)" + types_json + "}]}";
}

TEST(Taxonomy, RsitHasEveryClassOfTheStandardInOrder) {
  const auto& t = Taxonomy::Rsit();
  EXPECT_EQ(ClassIds(t),
            (Ids{"abusive-content", "malicious-code", "information-gathering", "intrusion-attempts",
                 "intrusions", "availability", "information-content-security", "fraud",
                 "vulnerable", "other", "test"}));
  EXPECT_EQ(t.Urn(), "urn:rampart:taxonomy:enisa-rsit");
  EXPECT_NE(t.Version().find("1003"), std::string::npos);
}

TEST(Taxonomy, RsitClassesHaveTheStandardsTypes) {
  const auto& t = Taxonomy::Rsit();
  EXPECT_EQ(TypeIds(t, "abusive-content"), (Ids{"spam", "harmful-speech", "violence"}));
  EXPECT_EQ(TypeIds(t, "malicious-code"),
            (Ids{"infected-system", "c2-server", "malware-distribution", "malware-configuration"}));
  EXPECT_EQ(TypeIds(t, "information-gathering"),
            (Ids{"scanner", "sniffing", "social-engineering"}));
  EXPECT_EQ(TypeIds(t, "intrusion-attempts"), (Ids{"ids-alert", "brute-force", "exploit"}));
  EXPECT_EQ(TypeIds(t, "intrusions"),
            (Ids{"privileged-account-compromise", "unprivileged-account-compromise",
                 "application-compromise", "system-compromise", "burglary"}));
  EXPECT_EQ(TypeIds(t, "availability"),
            (Ids{"dos", "ddos", "misconfiguration", "sabotage", "outage"}));
  EXPECT_EQ(TypeIds(t, "information-content-security"),
            (Ids{"unauthorised-information-access", "unauthorised-information-modification",
                 "data-loss", "data-leak"}));
  EXPECT_EQ(TypeIds(t, "fraud"),
            (Ids{"unauthorised-use-of-resources", "copyright", "masquerade", "phishing"}));
  EXPECT_EQ(TypeIds(t, "vulnerable"),
            (Ids{"weak-crypto", "ddos-amplifier", "potentially-unwanted-accessible",
                 "information-disclosure", "vulnerable-system"}));
  EXPECT_EQ(TypeIds(t, "other"), (Ids{"other", "undetermined"}));
  EXPECT_EQ(TypeIds(t, "test"), (Ids{"test"}));
}

TEST(Taxonomy, RsitKeepsTheStandardsDisplayNames) {
  const auto& t = Taxonomy::Rsit();
  EXPECT_EQ(t.FindClass("intrusion-attempts")->types[0].name,
            "Exploitation of Known Vulnerabilities");
  EXPECT_EQ(t.FindClass("other")->types[0].name, "Uncategorised");
  EXPECT_EQ(t.FindClass("abusive-content")->types[2].name,
            "(Child) Sexual Exploitation/Sexual/Violent Content");
}

TEST(Taxonomy, HasTypeRejectsATypeUnderTheWrongClass) {
  const auto& t = Taxonomy::Rsit();
  EXPECT_TRUE(t.HasType("malicious-code", "c2-server"));
  EXPECT_FALSE(t.HasType("intrusions", "c2-server"));
  EXPECT_FALSE(t.HasType("fraud", "spam"));
  EXPECT_FALSE(t.HasType("test", "other"));
}

TEST(Taxonomy, RejectsUnknownNames) {
  const auto& t = Taxonomy::Rsit();
  EXPECT_FALSE(t.HasClass("malware"));
  EXPECT_FALSE(t.HasClass("Malicious-Code")) << "machine names are case-sensitive";
  EXPECT_FALSE(t.HasClass(""));
  EXPECT_FALSE(t.HasType("malicious-code", "ransomware"));
  EXPECT_FALSE(t.HasType("no-such-class", "c2-server"));
  EXPECT_FALSE(t.ClassOfType("ransomware").has_value());
  EXPECT_EQ(t.FindClass("malware"), nullptr);
}

TEST(Taxonomy, ClassOfTypeNamesTheOwningClass) {
  const auto& t = Taxonomy::Rsit();
  EXPECT_EQ(t.ClassOfType("c2-server"), "malicious-code");
  EXPECT_EQ(t.ClassOfType("phishing"), "fraud");
  EXPECT_EQ(t.ClassOfType("undetermined"), "other");
  EXPECT_EQ(t.ClassOfType("burglary"), "intrusions");
  for (const auto& c : t.Classes()) {
    for (const auto& ty : c.types) EXPECT_EQ(t.ClassOfType(ty.id), c.id) << ty.id;
  }
}

TEST(Taxonomy, RsitIdsAreUniqueAndEveryEntryIsDescribed) {
  std::set<std::string> classes, types;
  std::size_t type_count = 0;
  for (const auto& c : Taxonomy::Rsit().Classes()) {
    EXPECT_TRUE(classes.insert(c.id).second) << c.id;
    EXPECT_FALSE(c.name.empty()) << c.id;
    EXPECT_FALSE(c.description.empty()) << c.id;
    for (const auto& ty : c.types) {
      ++type_count;
      EXPECT_TRUE(types.insert(ty.id).second) << ty.id;
      EXPECT_FALSE(ty.name.empty()) << ty.id;
      EXPECT_FALSE(ty.description.empty()) << ty.id;
    }
  }
  EXPECT_EQ(classes.size(), 11u);
  EXPECT_EQ(type_count, 39u);
}

TEST(Taxonomy, DataQualityClassIsOtherOnly) {
  EXPECT_TRUE(IsDataQualityClass("other", "other"));
  EXPECT_TRUE(IsDataQualityClass("other", "undetermined"));
  EXPECT_FALSE(IsDataQualityClass("other", "test"));
  EXPECT_FALSE(IsDataQualityClass("test", "test"));
  EXPECT_FALSE(IsDataQualityClass("malicious-code", "c2-server"));
  EXPECT_FALSE(IsDataQualityClass("other", "uncategorised")) << "the machine name is \"other\"";
}

TEST(Taxonomy, ParseNamesTheFaultyEntry) {
  const std::string kGood = R"([{"id":"a","name":"A","description":"d"}])";
  EXPECT_NO_THROW(Taxonomy::Parse(OneClass("c", kGood)));
  ExpectRejected("not json", "file");
  ExpectRejected(OneClass("Bad_Class", kGood), "Bad_Class");
  ExpectRejected(OneClass("c", R"([{"id":"a","name":"A","description":""}])"), "type \"a\"");
  ExpectRejected(OneClass("c", R"([{"id":"a","name":"","description":"d"}])"), "type \"a\"");
  ExpectRejected(OneClass("c", R"([{"id":"a","name":"A","description":"d"},
                                   {"id":"a","name":"B","description":"e"}])"),
                 "duplicate type id");
  ExpectRejected(OneClass("c", "[]"), "class \"c\"");
  ExpectRejected(
      R"({"urn":"u","name":"n","version":"1","source":"s","classes":[
          {"id":"c","name":"C","description":"d","types":[{"id":"a","name":"A","description":"d"}]},
          {"id":"c","name":"C","description":"d","types":[{"id":"b","name":"B","description":"d"}]}]})",
      "duplicate class id");
  ExpectRejected(
      R"({"urn":"u","name":"n","version":"1","source":"s","classes":[
          {"id":"c","name":"C","description":"d","types":[{"id":"a","name":"A","description":"d"}]},
          {"id":"e","name":"E","description":"d","types":[{"id":"a","name":"A","description":"d"}]}]})",
      "class \"e\" type \"a\"");
}

TEST(Taxonomy, ClassificationsAreCheckedAsAPair) {
  EXPECT_FALSE(CheckClassification(std::nullopt, std::nullopt).has_value());
  EXPECT_FALSE(CheckClassification("malicious-code", "c2-server").has_value());
  EXPECT_EQ(CheckClassification("malicious-code", std::nullopt)->field, "rsit_type");
  EXPECT_EQ(CheckClassification(std::nullopt, "c2-server")->field, "rsit_class");
  EXPECT_EQ(CheckClassification("ransomware", "c2-server")->field, "rsit_class");
  EXPECT_EQ(CheckClassification("fraud", "c2-server")->field, "rsit_type");
}

}  // namespace
}  // namespace rampart::incidents
