#include "incidents/csv.h"

#include <gtest/gtest.h>

namespace rampart::incidents {
namespace {

std::vector<CsvRecord> All(std::string_view text, std::string* error = nullptr) {
  CsvReader r(text);
  std::vector<CsvRecord> out;
  CsvRecord rec;
  while (r.Next(rec)) out.push_back(rec);
  if (error != nullptr) *error = r.error();
  return out;
}

TEST(Csv, ReadsPlainRecordsWithTheirLines) {
  auto recs = All("a,b,c\n1,2,3\n");
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[0].fields, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(recs[1].fields, (std::vector<std::string>{"1", "2", "3"}));
  EXPECT_EQ(recs[1].line, 2);
}

TEST(Csv, AcceptsCrlfAndAMissingFinalLineBreak) {
  auto recs = All("a,b\r\n1,2");
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[1].fields, (std::vector<std::string>{"1", "2"}));
}

TEST(Csv, KeepsEmptyFields) {
  auto recs = All(",x,\n");
  ASSERT_EQ(recs.size(), 1u);
  EXPECT_EQ(recs[0].fields, (std::vector<std::string>{"", "x", ""}));
}

TEST(Csv, QuotedFieldsHoldCommasQuotesAndLineBreaks) {
  std::string error;
  auto recs = All("t,s\n\"a, b\",\"He said \"\"hi\"\"\nthen left\"\nnext,row\n", &error);
  EXPECT_EQ(error, "");
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_EQ(recs[1].fields[0], "a, b");
  EXPECT_EQ(recs[1].fields[1], "He said \"hi\"\nthen left");
  EXPECT_EQ(recs[1].line, 2);
  EXPECT_EQ(recs[2].line, 4);  // the quoted line break counts
}

TEST(Csv, SkipsBlankLinesBetweenRecords) {
  auto recs = All("a\n\n\nb\n");
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[1].line, 4);
}

TEST(Csv, RefusesAnUnterminatedQuoteNamingWhereItOpened) {
  std::string error;
  CsvReader r("a\n\"open\nstill open\n");
  CsvRecord rec;
  EXPECT_TRUE(r.Next(rec));
  EXPECT_FALSE(r.Next(rec));
  EXPECT_EQ(r.error(), "unterminated quoted field (opened on line 2)");
  EXPECT_EQ(r.line(), 2);
}

TEST(Csv, RefusesStrayQuotes) {
  std::string error;
  All("ab\"c\n", &error);
  EXPECT_NE(error, "");
  All("\"ab\"c\n", &error);
  EXPECT_NE(error, "");
}

TEST(Csv, FieldRoundTrips) {
  EXPECT_EQ(CsvField("plain"), "plain");
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvField("say \"x\"\n"), "\"say \"\"x\"\"\n\"");
  auto recs = All(CsvField("a,\"b\"\nc") + "," + CsvField("d") + "\n");
  ASSERT_EQ(recs.size(), 1u);
  EXPECT_EQ(recs[0].fields[0], "a,\"b\"\nc");
}

}  // namespace
}  // namespace rampart::incidents
