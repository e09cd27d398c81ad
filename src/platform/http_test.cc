#include "platform/http.h"

#include <gtest/gtest.h>

#include <string>

namespace rampart::http {
namespace {

TEST(IEqualsTest, IgnoresAsciiCaseOnly) {
  EXPECT_TRUE(IEquals("Content-Type", "content-type"));
  EXPECT_FALSE(IEquals("Content-Type", "Content-Typ"));
  EXPECT_FALSE(IEquals("a", "b"));
  EXPECT_TRUE(IEquals("", ""));
}

TEST(DecodePathTest, DecodesPercentEscapes) {
  EXPECT_EQ(DecodePath("/a%20b/c%2Fd"), "/a b/c/d");
  EXPECT_EQ(DecodePath("/"), "/");
  EXPECT_EQ(DecodePath("/a+b"), "/a+b");  // '+' is only a space in a query
}

TEST(DecodePathTest, DropsTheQuery) { EXPECT_EQ(DecodePath("/items?limit=5"), "/items"); }

TEST(DecodePathTest, RejectsMalformedEscapes) {
  EXPECT_EQ(DecodePath("/a%2"), std::nullopt);
  EXPECT_EQ(DecodePath("/a%"), std::nullopt);
  EXPECT_EQ(DecodePath("/a%zz"), std::nullopt);
  EXPECT_EQ(DecodePath("/a%g1b"), std::nullopt);
}

TEST(DecodePathTest, RejectsRelativeOrEmptyPaths) {
  EXPECT_EQ(DecodePath(""), std::nullopt);
  EXPECT_EQ(DecodePath("a/b"), std::nullopt);
  EXPECT_EQ(DecodePath("http://example.org/a"), std::nullopt);
  EXPECT_EQ(DecodePath("*"), std::nullopt);
}

TEST(DecodePathTest, RejectsNulBytes) { EXPECT_EQ(DecodePath("/a%00b"), std::nullopt); }

TEST(DecodePathTest, RejectsDotSegmentsEvenWhenEncoded) {
  EXPECT_EQ(DecodePath("/a/../b"), std::nullopt);
  EXPECT_EQ(DecodePath("/a/./b"), std::nullopt);
  EXPECT_EQ(DecodePath("/.."), std::nullopt);
  EXPECT_EQ(DecodePath("/a/.."), std::nullopt);
  EXPECT_EQ(DecodePath("/."), std::nullopt);
  EXPECT_EQ(DecodePath("/a/%2e%2e/b"), std::nullopt);
  EXPECT_EQ(DecodePath("/a/%2E./b"), std::nullopt);
  EXPECT_EQ(DecodePath("/a%2f..%2fb"), std::nullopt);
}

TEST(DecodePathTest, AcceptsDotsInsideSegments) {
  EXPECT_EQ(DecodePath("/a/...b/c.d"), "/a/...b/c.d");
  EXPECT_EQ(DecodePath("/.well-known/x"), "/.well-known/x");
  EXPECT_EQ(DecodePath("/a//b"), "/a//b");
}

TEST(PercentDecodeTest, TurnsPlusIntoSpaceOnlyWhenAsked) {
  EXPECT_EQ(PercentDecode("a+b%21", true), "a b!");
  EXPECT_EQ(PercentDecode("a+b%21", false), "a+b!");
}

TEST(PercentDecodeTest, KeepsMalformedEscapesAsTheyAre) {
  EXPECT_EQ(PercentDecode("100%", false), "100%");
  EXPECT_EQ(PercentDecode("%zz%4", false), "%zz%4");
}

TEST(RequestTest, QueryParamDecodesNameAndValue) {
  Request req;
  req.query = "limit=5&q=hello+world%21&empty=&flag&a%5Bb%5D=x&limit=9";
  EXPECT_EQ(req.QueryParam("limit"), "5");  // the first one wins
  EXPECT_EQ(req.QueryParam("q"), "hello world!");
  EXPECT_EQ(req.QueryParam("empty"), "");
  EXPECT_EQ(req.QueryParam("flag"), "");
  EXPECT_EQ(req.QueryParam("a[b]"), "x");
  EXPECT_EQ(req.QueryParam("missing"), std::nullopt);
  EXPECT_EQ(req.QueryParam("lim"), std::nullopt);
}

TEST(RequestTest, QueryParamOnEmptyQueryIsAbsent) {
  Request req;
  EXPECT_EQ(req.QueryParam("a"), std::nullopt);
}

TEST(RequestTest, FindIsCaseInsensitiveAndReturnsTheFirst) {
  Request req;
  req.headers = {{"X-A", "1"}, {"x-a", "2"}};
  EXPECT_EQ(req.Find("x-A"), "1");
  EXPECT_EQ(req.Find("X-B"), std::nullopt);
}

TEST(RequestTest, CookieParsesPairsAndStripsQuotes) {
  Request req;
  req.headers = {{"Cookie", "a=1; session=abc=def;  q=\"quoted\" ;flag"}};
  EXPECT_EQ(req.Cookie("a"), "1");
  EXPECT_EQ(req.Cookie("session"), "abc=def");
  EXPECT_EQ(req.Cookie("q"), "quoted");
  EXPECT_EQ(req.Cookie("flag"), std::nullopt);
  EXPECT_EQ(req.Cookie("sess"), std::nullopt);
}

TEST(RequestTest, CookieSearchesEveryCookieHeader) {
  Request req;
  req.headers = {{"cookie", "a=1"}, {"Cookie", "b=2"}};
  EXPECT_EQ(req.Cookie("b"), "2");
}

TEST(ResponseTest, SetReplacesEveryHeaderOfThatName) {
  Response res;
  res.Add("Set-Cookie", "a=1");
  res.Add("X-Other", "o");
  res.Add("set-cookie", "b=2");
  res.Set("Set-Cookie", "c=3");
  ASSERT_EQ(res.headers.size(), 2u);
  EXPECT_EQ(res.Find("SET-COOKIE"), "c=3");
  EXPECT_EQ(res.Find("X-Other"), "o");
}

TEST(ResponseTest, AddKeepsEarlierValues) {
  Response res;
  res.Add("Set-Cookie", "a=1");
  res.Add("Set-Cookie", "b=2");
  ASSERT_EQ(res.headers.size(), 2u);
  EXPECT_EQ(res.Find("Set-Cookie"), "a=1");
}

TEST(ResponseTest, SetAddsWhenAbsent) {
  Response res;
  res.Set("Content-Type", "text/plain");
  EXPECT_EQ(res.Find("content-type"), "text/plain");
  EXPECT_EQ(res.Find("Missing"), std::nullopt);
}

TEST(ReasonPhraseTest, KnowsTheCommonCodes) {
  EXPECT_EQ(ReasonPhrase(200), "OK");
  EXPECT_EQ(ReasonPhrase(404), "Not Found");
  EXPECT_EQ(ReasonPhrase(413), "Content Too Large");
  EXPECT_EQ(ReasonPhrase(431), "Request Header Fields Too Large");
  EXPECT_EQ(ReasonPhrase(299), "Unknown");
}

}  // namespace
}  // namespace rampart::http
