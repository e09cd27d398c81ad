// Reading JSON request bodies: every rule, every mistake reported at once with its JSON Pointer.
#include "platform/input.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "platform/crypto.h"

namespace rampart {
namespace {

using nlohmann::json;

// The field errors Done() reports; fails the test when Done() accepts the input.
std::vector<FieldError> ErrorsOf(Input& in) {
  try {
    in.Done();
  } catch (const HttpError& e) {
    EXPECT_EQ(e.status(), 422);
    EXPECT_EQ(e.slug(), "invalid-input");
    return e.errors();
  }
  ADD_FAILURE() << "Done() accepted the input";
  return {};
}

// "field: message" lines, for readable comparisons.
std::vector<std::string> Lines(const std::vector<FieldError>& errors) {
  std::vector<std::string> out;
  for (const auto& e : errors) out.push_back(e.field + ": " + e.message);
  return out;
}

// The single error's field, or "" (with a failure) when there is not exactly one.
std::string OnlyErrorField(Input& in) {
  auto errors = ErrorsOf(in);
  if (errors.size() != 1) {
    ADD_FAILURE() << "expected one error, got " << errors.size();
    return "";
  }
  return errors[0].field;
}

TEST(Input, RequiredFieldMissing) {
  Input in(json::object());
  EXPECT_EQ(in.Text("name", {.required = true}), std::nullopt);
  EXPECT_EQ(Lines(ErrorsOf(in)), std::vector<std::string>{"/name: is required"});
}

TEST(Input, RequiredFieldNullOrEmpty) {
  Input in(json{{"name", nullptr}, {"short_name", ""}});
  EXPECT_EQ(in.Text("name", {.required = true}), std::nullopt);
  EXPECT_EQ(in.Text("short_name", {.required = true}), std::nullopt);
  EXPECT_EQ(Lines(ErrorsOf(in)),
            (std::vector<std::string>{"/name: is required", "/short_name: must not be empty"}));
}

TEST(Input, OptionalFieldMayBeAbsent) {
  Input in(json::object());
  EXPECT_EQ(in.Text("website", {}), std::nullopt);
  EXPECT_EQ(in.Int("tier", {}), std::nullopt);
  EXPECT_EQ(in.Bool("flag"), std::nullopt);
  EXPECT_EQ(in.Time("at"), std::nullopt);
  EXPECT_NO_THROW(in.Done());
}

TEST(Input, WrongTypes) {
  Input in(json{{"name", 5}, {"tier", "2"}, {"ratio", 1.5}, {"flag", "true"}, {"at", 1700000000}});
  EXPECT_EQ(in.Text("name", {}), std::nullopt);
  EXPECT_EQ(in.Int("tier", {}), std::nullopt);
  EXPECT_EQ(in.Int("ratio", {}), std::nullopt);
  EXPECT_EQ(in.Bool("flag"), std::nullopt);
  EXPECT_EQ(in.Time("at"), std::nullopt);
  auto errors = ErrorsOf(in);
  ASSERT_EQ(errors.size(), 5u);
  EXPECT_EQ(errors[0].field, "/name");
  EXPECT_EQ(errors[0].message, "must be a string");
  EXPECT_EQ(errors[1].field, "/tier");
  EXPECT_EQ(errors[1].message, "must be a whole number");
  EXPECT_EQ(errors[2].field, "/ratio");
  EXPECT_EQ(errors[3].field, "/flag");
  EXPECT_EQ(errors[4].field, "/at");
}

TEST(Input, OneOfAcceptsListedValuesOnly) {
  Input good(json{{"kind", "regulator"}});
  EXPECT_EQ(good.Text("kind", {.one_of = {"operator", "regulator"}}), "regulator");
  EXPECT_NO_THROW(good.Done());

  Input bad(json{{"kind", "Regulator"}});
  EXPECT_EQ(bad.Text("kind", {.one_of = {"operator", "regulator"}}), std::nullopt);
  EXPECT_EQ(Lines(ErrorsOf(bad)),
            std::vector<std::string>{"/kind: must be one of operator, regulator"});
}

TEST(Input, EmailMustLookLikeAnAddress) {
  for (std::string ok : {"a@b.cd", "first.last+tag@mail.example.org"}) {
    SCOPED_TRACE(ok);
    Input in(json{{"email", ok}});
    EXPECT_EQ(in.Text("email", {.email = true}), ok);
    EXPECT_NO_THROW(in.Done());
  }
  for (std::string bad :
       {"plain", "@example.org", "a@example", "a@@example.org", "a@b@c.org", "a@.org", "a@example.",
        "a b@example.org", "<a@example.org>", "a@exam\nple.org"}) {
    SCOPED_TRACE(bad);
    Input in(json{{"email", bad}});
    EXPECT_EQ(in.Text("email", {.email = true}), std::nullopt);
    EXPECT_EQ(OnlyErrorField(in), "/email");
  }
}

TEST(Input, SlugAllowsLowerCaseDigitsAndHyphen) {
  Input ok(json{{"slug", "emergency-services-2"}});
  EXPECT_EQ(ok.Text("slug", {.slug = true}), "emergency-services-2");
  EXPECT_NO_THROW(ok.Done());
  for (std::string bad : {"Energy", "energy_sector", "energy sector", "énergie", ""}) {
    SCOPED_TRACE(bad);
    Input in(json{{"slug", bad}});
    EXPECT_EQ(in.Text("slug", {.slug = true}), std::nullopt);
    EXPECT_EQ(OnlyErrorField(in), "/slug");
  }
}

TEST(Input, UuidMustBeCanonicalLowerCase) {
  crypto::Init();
  std::string id = crypto::NewUuid();
  Input ok(json{{"id", id}});
  EXPECT_EQ(ok.Text("id", {.uuid = true}), id);
  EXPECT_NO_THROW(ok.Done());

  std::string upper = id;
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (const std::string& bad :
       std::vector<std::string>{upper, id.substr(1), "not-a-uuid", std::string(36, '0')}) {
    SCOPED_TRACE(bad);
    Input in(json{{"id", bad}});
    EXPECT_EQ(in.Text("id", {.uuid = true}), std::nullopt);
    EXPECT_EQ(OnlyErrorField(in), "/id");
  }
}

TEST(Input, LengthLimitsCountCharactersNotBytes) {
  // "é" is two bytes in UTF-8 but one character.
  Input three(json{{"name", "été"}});
  EXPECT_EQ(three.Text("name", {.min = 3, .max = 3}), "été");
  EXPECT_NO_THROW(three.Done());

  Input four(json{{"name", "éééé"}});
  EXPECT_EQ(four.Text("name", {.max = 3}), std::nullopt);
  EXPECT_EQ(Lines(ErrorsOf(four)),
            std::vector<std::string>{"/name: must be 0 to 3 characters long"});

  Input one(json{{"name", "é"}});
  EXPECT_EQ(one.Text("name", {.min = 2}), std::nullopt);
  EXPECT_EQ(OnlyErrorField(one), "/name");
}

TEST(Input, DefaultMaximumIsAThousandCharacters) {
  Input ok(json{{"notes", std::string(1000, 'x')}});
  EXPECT_TRUE(ok.Text("notes", {}).has_value());
  EXPECT_NO_THROW(ok.Done());
  Input too_long(json{{"notes", std::string(1001, 'x')}});
  EXPECT_FALSE(too_long.Text("notes", {}).has_value());
  EXPECT_EQ(OnlyErrorField(too_long), "/notes");
}

TEST(Input, RejectsNulCharacters) {
  Input in(json{{"name", std::string("a\0b", 3)}});
  EXPECT_EQ(in.Text("name", {}), std::nullopt);
  EXPECT_EQ(Lines(ErrorsOf(in)),
            std::vector<std::string>{"/name: must not contain NUL characters"});
}

TEST(Input, NullableFieldAcceptsNullAndTellsItFromAbsent) {
  Input in(json{{"website", nullptr}, {"tier", nullptr}});
  EXPECT_TRUE(in.Has("website"));
  EXPECT_TRUE(in.IsNull("website"));
  EXPECT_FALSE(in.Has("size_class"));
  EXPECT_FALSE(in.IsNull("size_class"));
  EXPECT_EQ(in.Text("website", {.nullable = true}), std::nullopt);
  EXPECT_EQ(in.Int("tier", {.nullable = true}), std::nullopt);
  EXPECT_NO_THROW(in.Done());
}

TEST(Input, NullIsRefusedWhereNotNullable) {
  Input in(json{{"website", nullptr}, {"flag", nullptr}});
  EXPECT_EQ(in.Text("website", {}), std::nullopt);
  EXPECT_EQ(in.Bool("flag"), std::nullopt);
  EXPECT_EQ(Lines(ErrorsOf(in)),
            (std::vector<std::string>{"/website: must not be null", "/flag: must not be null"}));
}

TEST(Input, IntRangeIsInclusive) {
  Input in(json{{"low", 0}, {"min", 1}, {"max", 3}, {"high", 4}, {"negative", -7}});
  EXPECT_EQ(in.Int("low", {.min = 1, .max = 3}), std::nullopt);
  EXPECT_EQ(in.Int("min", {.min = 1, .max = 3}), 1);
  EXPECT_EQ(in.Int("max", {.min = 1, .max = 3}), 3);
  EXPECT_EQ(in.Int("high", {.min = 1, .max = 3}), std::nullopt);
  EXPECT_EQ(in.Int("negative", {}), -7);
  auto errors = ErrorsOf(in);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].field, "/low");
  EXPECT_EQ(errors[0].message, "must be from 1 to 3");
  EXPECT_EQ(errors[1].field, "/high");
}

TEST(Input, HugeUnsignedNumberIsNotWrappedToNegative) {
  Input in(json::parse(R"({"n": 18446744073709551615})"));
  EXPECT_EQ(in.Int("n", {.max = 3}), std::nullopt);
  EXPECT_EQ(OnlyErrorField(in), "/n");
}

TEST(Input, BoolReadsTrueAndFalse) {
  Input in(json{{"a", true}, {"b", false}});
  EXPECT_EQ(in.Bool("a"), true);
  EXPECT_EQ(in.Bool("b"), false);
  EXPECT_NO_THROW(in.Done());
}

TEST(Input, TimeReadsRfc3339) {
  Input in(json{{"at", "2026-11-23T08:54:00.123Z"}, {"local", "2026-11-23T10:54:00.123+02:00"}});
  auto at = in.Time("at", true);
  ASSERT_TRUE(at.has_value());
  EXPECT_EQ(*at, *ParseRfc3339("2026-11-23T08:54:00.123Z"));
  EXPECT_EQ(in.Time("local"), at);
  EXPECT_NO_THROW(in.Done());
}

TEST(Input, TimeRejectsImpossibleOrZonelessTimes) {
  Input in(json{{"a", "2026-02-30T00:00:00Z"}, {"b", "2026-11-23T08:54:00"}, {"c", "tomorrow"}});
  EXPECT_EQ(in.Time("a"), std::nullopt);
  EXPECT_EQ(in.Time("b"), std::nullopt);
  EXPECT_EQ(in.Time("c"), std::nullopt);
  EXPECT_EQ(in.Time("d", /*required=*/true), std::nullopt);
  auto errors = ErrorsOf(in);
  ASSERT_EQ(errors.size(), 4u);
  EXPECT_EQ(errors[0].field, "/a");
  EXPECT_EQ(errors[1].field, "/b");
  EXPECT_EQ(errors[2].field, "/c");
  EXPECT_EQ(Lines({errors[3]}), std::vector<std::string>{"/d: is required"});
}

TEST(Input, NullableTimeAcceptsNull) {
  Input in(json{{"effective_to", nullptr}});
  EXPECT_EQ(in.Time("effective_to", false, /*nullable=*/true), std::nullopt);
  EXPECT_NO_THROW(in.Done());
}

TEST(Input, TextListChecksEveryItemWithItsOwnPointer) {
  Input in(json{{"roles", {"ciso", "bogus", 5, ""}}});
  EXPECT_EQ(in.TextList("roles", {.required = true, .one_of = {"ciso", "viewer"}}), std::nullopt);
  auto errors = ErrorsOf(in);
  ASSERT_EQ(errors.size(), 3u) << testing::PrintToString(Lines(errors));
  EXPECT_EQ(errors[0].field, "/roles/1");
  EXPECT_EQ(errors[0].message, "must be one of ciso, viewer");
  EXPECT_EQ(errors[1].field, "/roles/2");
  EXPECT_EQ(errors[1].message, "must be a string");
  EXPECT_EQ(errors[2].field, "/roles/3");
  EXPECT_EQ(errors[2].message, "must not be empty");
}

TEST(Input, TextListReturnsTheItemsWhenValid) {
  Input in(json{{"roles", {"viewer", "ciso"}}});
  auto roles = in.TextList("roles", {.one_of = {"ciso", "viewer"}});
  ASSERT_TRUE(roles.has_value());
  EXPECT_EQ(*roles, (std::vector<std::string>{"viewer", "ciso"}));
  EXPECT_NO_THROW(in.Done());
}

TEST(Input, TextListRefusesNonArraysAndTooManyItems) {
  Input in(json{{"roles", "ciso"}, {"tags", {"a", "b", "c"}}});
  EXPECT_EQ(in.TextList("roles", {}), std::nullopt);
  EXPECT_EQ(in.TextList("tags", {}, /*max_items=*/2), std::nullopt);
  auto errors = ErrorsOf(in);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].field, "/roles");
  EXPECT_EQ(errors[1].field, "/tags");
  EXPECT_EQ(errors[1].message, "must be a list of at most 2 strings");
}

TEST(Input, UnknownFieldsAreRejectedByDone) {
  Input in(json{{"name", "Energy"}, {"nmae", "typo"}});
  EXPECT_EQ(in.Text("name", {.required = true}), "Energy");
  EXPECT_EQ(Lines(ErrorsOf(in)),
            std::vector<std::string>{"/nmae: is not a field of this resource"});
}

TEST(Input, PointersCarryThePrefixOfNestedObjects) {
  Input in(json{{"email", "nope"}, {"extra", 1}}, "/contact");
  EXPECT_EQ(in.Text("email", {.email = true}), std::nullopt);
  auto errors = ErrorsOf(in);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].field, "/contact/email");
  EXPECT_EQ(errors[1].field, "/contact/extra");
}

TEST(Input, ReportsEveryErrorAtOnceWithUnknownFieldsLast) {
  Input in(json{{"zzz", true}, {"name", 5}, {"tier", 9}, {"roles", {"ciso", "x"}}});
  (void)in.Text("name", {.required = true});
  (void)in.Text("email", {.required = true, .email = true});
  (void)in.Int("tier", {.min = 1, .max = 3});
  (void)in.TextList("roles", {.one_of = {"ciso"}});
  try {
    in.Done();
    FAIL() << "Done() accepted the input";
  } catch (const HttpError& e) {
    EXPECT_EQ(e.status(), 422);
    ASSERT_EQ(e.errors().size(), 5u) << testing::PrintToString(Lines(e.errors()));
    EXPECT_EQ(Lines(e.errors()), (std::vector<std::string>{
                                     "/name: must be a string",
                                     "/email: is required",
                                     "/tier: must be from 1 to 3",
                                     "/roles/1: must be one of ciso",
                                     "/zzz: is not a field of this resource",
                                 }));
    EXPECT_EQ(e.detail(), "5 fields are invalid");
  }
}

TEST(Input, ExplicitFailIsReported) {
  Input in(json{{"effective_to", "2026-01-01T00:00:00Z"}});
  (void)in.Time("effective_to");
  in.Fail("effective_to", "must be after effective_from");
  EXPECT_EQ(Lines(ErrorsOf(in)),
            std::vector<std::string>{"/effective_to: must be after effective_from"});
}

TEST(Input, DoneDoesNothingWhenValid) {
  Input in(json{{"name", "Energy"}, {"tier", 2}, {"active", true}});
  EXPECT_EQ(in.Text("name", {.required = true}), "Energy");
  EXPECT_EQ(in.Int("tier", {.min = 1, .max = 3}), 2);
  EXPECT_EQ(in.Bool("active"), true);
  EXPECT_NO_THROW(in.Done());
}

// ---------------------------------------------------------------------------------------------
// Request bodies.

http::Request JsonRequest(std::string body, std::string content_type = "application/json") {
  http::Request r;
  r.method = "POST";
  r.path = r.target = "/api/v1/sectors";
  if (!content_type.empty()) r.headers.push_back({"Content-Type", std::move(content_type)});
  r.body = std::move(body);
  return r;
}

int StatusOf(const http::Request& request) {
  try {
    (void)ParseJsonBody(request);
  } catch (const HttpError& e) {
    return e.status();
  }
  return 200;
}

TEST(ParseJsonBody, ParsesJsonWithOrWithoutParameters) {
  EXPECT_EQ(ParseJsonBody(JsonRequest(R"({"a": 1})"))["a"], 1);
  EXPECT_EQ(ParseJsonBody(JsonRequest(R"({"a": 1})", "application/json; charset=utf-8"))["a"], 1);
  EXPECT_EQ(ParseJsonBody(JsonRequest(R"({"a": 1})", "Application/JSON"))["a"], 1);
}

TEST(ParseJsonBody, WrongOrMissingContentTypeIs415) {
  EXPECT_EQ(StatusOf(JsonRequest(R"({"a": 1})", "text/plain")), 415);
  EXPECT_EQ(StatusOf(JsonRequest(R"({"a": 1})", "application/x-www-form-urlencoded")), 415);
  EXPECT_EQ(StatusOf(JsonRequest(R"({"a": 1})", "application/jsonx")), 415);
  EXPECT_EQ(StatusOf(JsonRequest(R"({"a": 1})", "")), 415);
}

TEST(ParseJsonBody, InvalidJsonIs400) {
  EXPECT_EQ(StatusOf(JsonRequest(R"({"a": )")), 400);
  EXPECT_EQ(StatusOf(JsonRequest("")), 400);
  EXPECT_EQ(StatusOf(JsonRequest(R"({"a": 1} trailing)")), 400);
}

TEST(ParseJsonBody, InvalidUtf8InAStringIs400) {
  EXPECT_EQ(StatusOf(JsonRequest("{\"name\": \"caf\xe9\"}")), 400);       // Latin-1 é
  EXPECT_EQ(StatusOf(JsonRequest("{\"name\": \"\xc3\x28\"}")), 400);      // bad continuation
  EXPECT_EQ(StatusOf(JsonRequest("{\"name\": \"\xed\xa0\x80\"}")), 400);  // UTF-16 surrogate
  EXPECT_EQ(StatusOf(JsonRequest("{\"name\": \"caf\xc3\xa9\"}")), 200);   // valid é
}

TEST(ParseJsonBody, InputRefusesBodiesThatAreNotObjects) {
  try {
    Input in(JsonRequest("[1, 2]"));
    FAIL() << "an array was accepted";
  } catch (const HttpError& e) {
    EXPECT_EQ(e.status(), 400);
  }
  Input ok(JsonRequest(R"({"name": "Energy"})"));
  EXPECT_EQ(ok.Text("name", {}), "Energy");
}

TEST(Input, ObjectsReportErrorsAtTheElementAndItsUnknownFields) {
  Input in(json{{"items", json::array({json{{"name", "ok"}}, json{{"name", ""}, {"extra", 1}}, 3})}});
  auto items = in.Objects("items", 10);
  ASSERT_EQ(items.size(), 2u);
  for (auto& item : items) {
    (void)item.Text("name", {.required = true, .min = 1});
    in.Absorb(item);
  }
  EXPECT_EQ(Lines(ErrorsOf(in)),
            (std::vector<std::string>{"/items/2: must be an object",
                                      "/items/1/name: must not be empty",
                                      "/items/1/extra: is not a field of this resource"}));
}

TEST(Input, ObjectsRefusesAListTooLongOrNotAList) {
  Input long_list(json{{"items", json::array({json::object(), json::object()})}});
  EXPECT_TRUE(long_list.Objects("items", 1).empty());
  EXPECT_EQ(OnlyErrorField(long_list), "/items");
  Input not_list(json{{"items", "x"}});
  EXPECT_TRUE(not_list.Objects("items", 5).empty());
  EXPECT_EQ(OnlyErrorField(not_list), "/items");
}

}  // namespace
}  // namespace rampart
