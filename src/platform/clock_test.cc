// RFC 3339 times on the wire: formatting, parsing, and refusing what is not a real instant.
#include "platform/clock.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace rampart {
namespace {

TEST(Rfc3339, FormatsUtcWithMilliseconds) {
  EXPECT_EQ(FormatRfc3339(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatRfc3339(1'700'000'000'123), "2023-11-14T22:13:20.123Z");
  EXPECT_EQ(FormatRfc3339(951'782'400'000), "2000-02-29T00:00:00.000Z");
  EXPECT_EQ(FormatRfc3339(253'402'300'799'999), "9999-12-31T23:59:59.999Z");
}

TEST(Rfc3339, FormatsTimesBeforeTheEpoch) {
  EXPECT_EQ(FormatRfc3339(-1), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(FormatRfc3339(-86'400'000), "1969-12-31T00:00:00.000Z");
}

TEST(Rfc3339, ParsesWhatItFormats) {
  std::mt19937_64 rng(20261123);
  std::uniform_int_distribution<Millis> any(-2'000'000'000'000, 253'402'300'799'999);
  for (int i = 0; i < 2000; ++i) {
    Millis ms = any(rng);
    std::string text = FormatRfc3339(ms);
    ASSERT_EQ(ParseRfc3339(text), ms) << text;
  }
  for (Millis ms : {Millis{0}, Millis{-1}, Millis{951'782'400'000}, Millis{1'709'164'800'000}}) {
    EXPECT_EQ(ParseRfc3339(FormatRfc3339(ms)), ms) << FormatRfc3339(ms);
  }
}

TEST(Rfc3339, ParsesKnownInstants) {
  EXPECT_EQ(ParseRfc3339("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(ParseRfc3339("2023-11-14T22:13:20.123Z"), 1'700'000'000'123);
  EXPECT_EQ(ParseRfc3339("2024-02-29T00:00:00Z"), 1'709'164'800'000);
  EXPECT_EQ(ParseRfc3339("2023-11-14t22:13:20.123z"), 1'700'000'000'123) << "lower-case t and z";
}

TEST(Rfc3339, AppliesOffsets) {
  const Millis utc = *ParseRfc3339("2026-11-23T08:54:00Z");
  EXPECT_EQ(ParseRfc3339("2026-11-23T10:54:00+02:00"), utc);
  EXPECT_EQ(ParseRfc3339("2026-11-23T03:24:00-05:30"), utc);
  EXPECT_EQ(ParseRfc3339("2026-11-23T08:54:00+00:00"), utc);
  EXPECT_EQ(ParseRfc3339("2026-11-23T08:54:00-00:00"), utc);
  // Across a date line.
  EXPECT_EQ(ParseRfc3339("2026-11-24T00:54:00+16:00"), utc);
  EXPECT_EQ(FormatRfc3339(*ParseRfc3339("2027-01-01T01:30:00+02:00")), "2026-12-31T23:30:00.000Z");
}

TEST(Rfc3339, ReadsFractionsAndTruncatesBeyondMilliseconds) {
  const Millis base = *ParseRfc3339("2026-11-23T08:54:00Z");
  EXPECT_EQ(ParseRfc3339("2026-11-23T08:54:00.1Z"), base + 100);
  EXPECT_EQ(ParseRfc3339("2026-11-23T08:54:00.12Z"), base + 120);
  EXPECT_EQ(ParseRfc3339("2026-11-23T08:54:00.123Z"), base + 123);
  EXPECT_EQ(ParseRfc3339("2026-11-23T08:54:00.123456789Z"), base + 123);
  EXPECT_EQ(ParseRfc3339("2026-11-23T08:54:00.999999Z"), base + 999) << "truncated, not rounded";
  EXPECT_EQ(ParseRfc3339("2026-11-23T10:54:00.5+02:00"), base + 500);
}

TEST(Rfc3339, RefusesImpossibleDates) {
  for (const char* text : {
           "2026-02-30T00:00:00Z",  // no 30 February
           "2026-02-29T00:00:00Z",  // not a leap year
           "1900-02-29T00:00:00Z",  // centuries are not leap years…
           "2026-13-01T00:00:00Z",  // month 13
           "2026-00-10T00:00:00Z",  // month 0
           "2026-04-31T00:00:00Z",  // April has 30 days
           "2026-01-00T00:00:00Z",  // day 0
           "2026-01-32T00:00:00Z", "2026-11-23T24:00:00Z", "2026-11-23T08:60:00Z",
           "2026-11-23T08:54:60Z",  // no leap seconds
       }) {
    EXPECT_EQ(ParseRfc3339(text), std::nullopt) << text;
  }
  EXPECT_TRUE(ParseRfc3339("2000-02-29T00:00:00Z").has_value()) << "…but every 400th year is";
}

TEST(Rfc3339, RefusesMalformedText) {
  for (const char* text : {
           "",
           "2026-11-23",                 // a date alone
           "2026-11-23T08:54:00",        // no zone
           "2026-11-23T08:54:00.123",    // no zone
           "2026-11-23T08:54Z",          // no seconds
           "2026-11-23 08:54:00Z",       // space instead of T
           "2026-11-23T08:54:00.Z",      // a point without digits
           "2026-11-23T08:54:00+0200",   // offset without colon
           "2026-11-23T08:54:00+02",     // offset without minutes
           "2026-11-23T08:54:00+24:00",  // offset out of range
           "2026-11-23T08:54:00+02:60",
           "2026-11-23T08:54:00ZZ",  // trailing text
           "2026-11-23T08:54:00Z ",
           " 2026-11-23T08:54:00Z",
           "2026-1-23T08:54:00Z",  // one-digit month
           "26-11-23T08:54:00Z",
           "2026/11/23T08:54:00Z",
           "2026-11-23T08:54:00UTC",
       }) {
    EXPECT_EQ(ParseRfc3339(text), std::nullopt) << "'" << text << "'";
  }
}

TEST(Clock, NowIsMillisecondsSinceTheEpoch) {
  Millis now = NowMillis();
  EXPECT_GT(now, *ParseRfc3339("2024-01-01T00:00:00Z"));
  EXPECT_LT(now, *ParseRfc3339("2100-01-01T00:00:00Z"));
}

}  // namespace
}  // namespace rampart
