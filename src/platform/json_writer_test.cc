#include "platform/json_writer.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace rampart {
namespace {

TEST(JsonWriter, PlacesCommasBetweenMembersAndElements) {
  JsonWriter w;
  w.BeginObject()
      .Key("a")
      .Int(1)
      .Key("b")
      .BeginArray()
      .Int(1)
      .String("x")
      .Null()
      .Bool(false)
      .EndArray()
      .Key("c")
      .BeginObject()
      .EndObject()
      .Key("d")
      .BeginArray()
      .EndArray()
      .EndObject();
  EXPECT_EQ(w.str(), R"({"a":1,"b":[1,"x",null,false],"c":{},"d":[]})");
}

TEST(JsonWriter, EscapesWhatJsonRequiresAndKeepsUtf8) {
  JsonWriter w;
  std::string tricky = "quote \" backslash \\ newline \n tab \t nul ";
  tricky.push_back('\0');
  tricky += " bell \x07 é 漢 </script>";
  w.BeginArray().String(tricky).EndArray();
  auto parsed = nlohmann::json::parse(w.str());
  EXPECT_EQ(parsed[0].get<std::string>(), tricky);
  EXPECT_NE(w.str().find("\\u0000"), std::string::npos);
  EXPECT_NE(w.str().find("\\u0007"), std::string::npos);
  EXPECT_NE(w.str().find("é 漢"), std::string::npos);
}

TEST(JsonWriter, WritesIntegersTimesAndOptionals) {
  JsonWriter w;
  w.BeginObject()
      .Key("min")
      .Int(INT64_MIN)
      .Key("max")
      .Int(INT64_MAX)
      .Key("at")
      .Time(0)
      .Key("none")
      .OptionalString(std::nullopt)
      .Key("some")
      .OptionalInt(7)
      .Key("when")
      .OptionalTime(std::nullopt)
      .Key("raw")
      .Raw(R"({"x":[1]})")
      .EndObject();
  auto j = nlohmann::json::parse(w.str());
  EXPECT_EQ(j["min"].get<std::int64_t>(), INT64_MIN);
  EXPECT_EQ(j["max"].get<std::int64_t>(), INT64_MAX);
  EXPECT_EQ(j["at"], "1970-01-01T00:00:00.000Z");
  EXPECT_TRUE(j["none"].is_null());
  EXPECT_EQ(j["some"], 7);
  EXPECT_TRUE(j["when"].is_null());
  EXPECT_EQ(j["raw"]["x"][0], 1);
}

}  // namespace
}  // namespace rampart
