// The route table: which route a method and path reach, what the 404/405 answers carry, and the
// body limit the server applies before a handler runs.
#include "platform/router.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace rampart {
namespace {

using Methods = std::vector<std::string>;

constexpr std::size_t kKiB = 1024;

Route MakeRoute(std::string method, std::string pattern, std::size_t body_limit = 64 * kKiB) {
  Route r;
  r.method = std::move(method);
  r.pattern = std::move(pattern);
  r.body_limit = body_limit;
  return r;
}

TEST(Router, LiteralSegmentBeatsParameterWhateverTheOrderOfAdding) {
  for (bool literal_first : {true, false}) {
    SCOPED_TRACE(literal_first ? "literal added first" : "parameter added first");
    Router router;
    if (literal_first) router.Add(MakeRoute("GET", "/api/v1/me/totp"));
    router.Add(MakeRoute("GET", "/api/v1/me/{x}"));
    if (!literal_first) router.Add(MakeRoute("GET", "/api/v1/me/totp"));

    auto m = router.Find("GET", "/api/v1/me/totp");
    ASSERT_NE(m.route, nullptr);
    EXPECT_EQ(m.route->pattern, "/api/v1/me/totp");
    EXPECT_TRUE(m.params.empty());

    auto other = router.Find("GET", "/api/v1/me/password");
    ASSERT_NE(other.route, nullptr);
    EXPECT_EQ(other.route->pattern, "/api/v1/me/{x}");
    EXPECT_EQ(other.params, (PathParams{{"x", "password"}}));
  }
}

TEST(Router, ExtractsEveryPathParameterInOrder) {
  Router router;
  router.Add(MakeRoute("PATCH", "/api/v1/organisations/{id}/people/{user_id}"));
  auto m = router.Find("PATCH", "/api/v1/organisations/org-1/people/user-2");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.params, (PathParams{{"id", "org-1"}, {"user_id", "user-2"}}));
  EXPECT_TRUE(m.allowed.empty());
}

TEST(Router, ParameterDoesNotMatchAnEmptySegment) {
  Router router;
  router.Add(MakeRoute("GET", "/api/v1/sectors/{id}"));
  auto m = router.Find("GET", "/api/v1/sectors/");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_TRUE(m.allowed.empty());
}

TEST(Router, PathsMustMatchSegmentForSegment) {
  Router router;
  router.Add(MakeRoute("GET", "/api/v1/sectors"));
  router.Add(MakeRoute("GET", "/api/v1/sectors/{id}"));
  EXPECT_EQ(router.Find("GET", "/api/v1/sectors/a/b").route, nullptr);
  EXPECT_EQ(router.Find("GET", "/api/v1").route, nullptr);
  EXPECT_EQ(router.Find("GET", "/api/v1/sectorsX").route, nullptr);
  EXPECT_EQ(router.Find("GET", "/api/v1/sectors/").route, nullptr);  // trailing slash
  ASSERT_NE(router.Find("GET", "/api/v1/sectors").route, nullptr);
}

TEST(Router, UnknownPathIsNotFoundWithoutAllowList) {
  Router router;
  router.Add(MakeRoute("GET", "/api/v1/sectors"));
  router.Add(MakeRoute("POST", "/api/v1/sectors"));
  auto m = router.Find("GET", "/api/v1/nothing-here");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_TRUE(m.allowed.empty()) << "an empty allow list is what makes it a 404";
}

TEST(Router, KnownPathWithOtherMethodListsSortedAllowedMethodsWithHead) {
  Router router;
  router.Add(MakeRoute("POST", "/api/v1/things"));
  router.Add(MakeRoute("GET", "/api/v1/things"));
  router.Add(MakeRoute("DELETE", "/api/v1/things"));
  router.Add(MakeRoute("PUT", "/api/v1/other"));

  auto m = router.Find("PUT", "/api/v1/things");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_EQ(m.allowed, (Methods{"DELETE", "GET", "HEAD", "POST"}));
}

TEST(Router, AllowListHasNoHeadWithoutGet) {
  Router router;
  router.Add(MakeRoute("POST", "/api/v1/things"));
  router.Add(MakeRoute("DELETE", "/api/v1/things"));

  auto m = router.Find("GET", "/api/v1/things");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_EQ(m.allowed, (Methods{"DELETE", "POST"}));

  auto head = router.Find("HEAD", "/api/v1/things");
  EXPECT_EQ(head.route, nullptr);
  EXPECT_EQ(head.allowed, (Methods{"DELETE", "POST"}));
}

TEST(Router, AllowListNamesEachMethodOnceAcrossPatterns) {
  // Both patterns match /api/v1/me/totp; GET appears under each, but once in the list.
  Router router;
  router.Add(MakeRoute("GET", "/api/v1/me/totp"));
  router.Add(MakeRoute("GET", "/api/v1/me/{x}"));
  router.Add(MakeRoute("DELETE", "/api/v1/me/totp"));
  auto m = router.Find("PUT", "/api/v1/me/totp");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_EQ(m.allowed, (Methods{"DELETE", "GET", "HEAD"}));
}

TEST(Router, HeadReachesTheGetRoute) {
  Router router;
  router.Add(MakeRoute("POST", "/api/v1/sectors/{id}"));
  router.Add(MakeRoute("GET", "/api/v1/sectors/{id}"));
  auto m = router.Find("HEAD", "/api/v1/sectors/s1");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->method, "GET");
  EXPECT_EQ(m.params, (PathParams{{"id", "s1"}}));
  EXPECT_TRUE(m.allowed.empty());
}

TEST(Router, FoundRouteHasEmptyAllowList) {
  Router router;
  router.Add(MakeRoute("GET", "/api/v1/things"));
  router.Add(MakeRoute("POST", "/api/v1/things"));
  auto m = router.Find("POST", "/api/v1/things");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->method, "POST");
  EXPECT_TRUE(m.allowed.empty());
}

TEST(Router, DuplicateRouteThrows) {
  Router router;
  router.Add(MakeRoute("GET", "/api/v1/sectors/{id}"));
  EXPECT_THROW(router.Add(MakeRoute("GET", "/api/v1/sectors/{id}")), std::logic_error);
  // The same pattern under another method is a different route.
  EXPECT_NO_THROW(router.Add(MakeRoute("PATCH", "/api/v1/sectors/{id}")));
  EXPECT_EQ(router.routes().size(), 2u);
}

TEST(Router, RelativePatternThrows) {
  Router router;
  EXPECT_THROW(router.Add(MakeRoute("GET", "api/v1/sectors")), std::logic_error);
  EXPECT_THROW(router.Add(MakeRoute("GET", "")), std::logic_error);
  EXPECT_TRUE(router.routes().empty());
}

TEST(Router, BodyLimitIsTheRoutesOwnForKnownRoutes) {
  Router router;
  router.Add(MakeRoute("POST", "/api/v1/session", 8 * kKiB));
  router.Add(MakeRoute("GET", "/api/v1/session", 0));
  router.Add(MakeRoute("PATCH", "/api/v1/mous/{id}", 16 * kKiB));
  EXPECT_EQ(router.BodyLimit("POST", "/api/v1/session"), 8 * kKiB);
  EXPECT_EQ(router.BodyLimit("GET", "/api/v1/session"), 0u);
  EXPECT_EQ(router.BodyLimit("HEAD", "/api/v1/session"), 0u);
  EXPECT_EQ(router.BodyLimit("PATCH", "/api/v1/mous/m1"), 16 * kKiB);
}

TEST(Router, BodyLimitForUnknownRoutesIsTheSmallDefault) {
  Router router;
  router.Add(MakeRoute("POST", "/api/v1/session", 8 * kKiB));
  EXPECT_EQ(router.BodyLimit("POST", "/api/v1/unknown"), 64 * kKiB);  // 404
  EXPECT_EQ(router.BodyLimit("PUT", "/api/v1/session"), 64 * kKiB);   // 405
}

}  // namespace
}  // namespace rampart
