// The framework library: every shipped file loads and passes its checks, and broken documents are
// refused with errors that name the field and the requirement.
#include "isms/frameworks.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace rampart::isms {
namespace {

using nlohmann::json;

json Small() {
  return json::parse(R"({
    "format": "rampart-framework/1", "urn": "urn:rampart:framework:tiny", "ref": "tiny",
    "name": "Tiny", "revision": 1, "edition": "", "kind": "framework", "provider": "Test",
    "description": "Two controls.",
    "requirements": [
      {"id": "G", "parent": null, "title": "Group", "description": "", "assessable": false},
      {"id": "G.1", "parent": "G", "title": "One", "description": "d", "assessable": true},
      {"id": "G.2", "parent": "G", "title": "Two", "description": "d", "assessable": true,
       "tags": ["preventive"]}
    ]})");
}

bool Names(const std::vector<FieldError>& errors, const std::string& field,
           const std::string& word) {
  for (const auto& e : errors) {
    if (e.field == field && e.message.find(word) != std::string::npos) return true;
  }
  return false;
}

TEST(IsmsFrameworks, ShippedFilesLoadWithTheirMappings) {
  const Builtin& b = Shipped();
  ASSERT_FALSE(b.frameworks.empty());
  for (const auto& f : b.frameworks) {
    EXPECT_GT(f->AssessableCount(), 0u) << f->ref;
    for (const auto& q : f->requirements) {
      EXPECT_EQ(f->Find(q.id), &q);
      if (!q.parent.empty()) {
        EXPECT_EQ(f->Find(q.parent)->depth + 1, q.depth) << q.id;
      }
    }
  }
}

TEST(IsmsFrameworks, ReadsTreeDepthAndGroup) {
  std::vector<FieldError> errors;
  auto f = ParseFramework(Small(), errors);
  ASSERT_TRUE(f) << errors.front().field << " " << errors.front().message;
  EXPECT_EQ(f->AssessableCount(), 2u);
  EXPECT_EQ(f->Find("G.2")->group, "G");
  EXPECT_EQ(f->Find("G.2")->depth, 1);
  EXPECT_EQ(f->Find("G.2")->tags, std::vector<std::string>{"preventive"});
  EXPECT_EQ(f->UrnOf(*f->Find("G.1")), "urn:rampart:framework:tiny:g.1");
}

TEST(IsmsFrameworks, BrokenDocumentNamesFieldAndRequirement) {
  json doc = Small();
  doc["requirements"][2]["parent"] = "H";
  doc["requirements"][1].erase("title");
  doc["requirements"][1]["colour"] = "red";
  doc["kind"] = "poem";
  std::vector<FieldError> errors;
  EXPECT_FALSE(ParseFramework(doc, errors));
  EXPECT_TRUE(Names(errors, "/requirements/2/parent", "G.2: H is not a requirement"));
  EXPECT_TRUE(Names(errors, "/requirements/1/title", "G.1: is required"));
  EXPECT_TRUE(Names(errors, "/requirements/1/colour", "not a field"));
  EXPECT_TRUE(Names(errors, "/kind", "standard, policy or framework"));
}

TEST(IsmsFrameworks, RefusesDuplicateIdsAndParentsListedLater) {
  json doc = Small();
  doc["requirements"].push_back(doc["requirements"][1]);
  std::swap(doc["requirements"][0], doc["requirements"][1]);
  std::vector<FieldError> errors;
  EXPECT_FALSE(ParseFramework(doc, errors));
  EXPECT_TRUE(Names(errors, "/requirements/0/parent", "G is not a requirement listed before"));
  EXPECT_TRUE(Names(errors, "/requirements/3/id", "listed twice"));
}

TEST(IsmsFrameworks, MappingMustNameAssessableRequirementsOfBothSides) {
  std::vector<FieldError> errors;
  auto tiny = ParseFramework(Small(), errors);
  json other_doc = Small();
  other_doc["urn"] = "urn:rampart:framework:other";
  other_doc["ref"] = "other";
  auto other = ParseFramework(other_doc, errors);
  ASSERT_TRUE(tiny && other);
  auto find = [&](std::string_view urn) -> const Framework* {
    return urn == tiny->urn ? &*tiny : urn == other->urn ? &*other : nullptr;
  };
  json m = {{"format", "rampart-mapping/1"},
            {"urn", "urn:rampart:mapping:tiny--other"},
            {"name", "t"},
            {"revision", 1},
            {"source", tiny->urn},
            {"target", other->urn},
            {"relations",
             {{{"source", "G.1"}, {"target", "G.2"}, {"relationship", "subset"}},
              {{"source", "G"}, {"target", "G.1"}, {"relationship", "equal"}},
              {{"source", "G.2"}, {"target", "G.9"}, {"relationship", "near"}}}}};
  EXPECT_FALSE(ParseMapping(m, find, errors));
  EXPECT_TRUE(Names(errors, "/relations/1/source", "G is a group"));
  EXPECT_TRUE(Names(errors, "/relations/2/target", "G.9 is not a requirement of other"));
  EXPECT_TRUE(Names(errors, "/relations/2/relationship", "equal, subset"));
  errors.clear();
  m["relations"].erase(1);
  m["relations"].erase(1);
  auto ok = ParseMapping(m, find, errors);
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->relations.front().relationship, Relationship::kSubset);
  EXPECT_EQ(Reverse(Relationship::kSubset), Relationship::kSuperset);
}

TEST(IsmsFrameworks, BrokenShippedFileFailsNamingTheFile) {
  json doc = Small();
  doc["requirements"][1]["parent"] = "Nope";
  try {
    LoadFiles({{"catalogues/framework-tiny.json", doc.dump()}});
    FAIL() << "a broken file loaded";
  } catch (const std::logic_error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("catalogues/framework-tiny.json"), std::string::npos) << what;
    EXPECT_NE(what.find("G.1: Nope"), std::string::npos) << what;
  }
  EXPECT_THROW(LoadFiles({{"catalogues/framework-wrong-name.json", Small().dump()}}),
               std::logic_error);
}

}  // namespace
}  // namespace rampart::isms
