// The register's CSV (RFC 4180, formulas neutralised) and XLSX (a real zip with the sheet in it).
#include "risk/register_export.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace rampart::risk {
namespace {

// A strict RFC 4180 reader: fields separated by commas, records by CRLF, quoted fields may hold
// anything with "" for a quote.
std::vector<std::vector<std::string>> ParseCsv(const std::string& text) {
  std::vector<std::vector<std::string>> out;
  std::vector<std::string> record;
  std::string field;
  bool quoted = false;
  for (std::size_t k = 0; k < text.size(); ++k) {
    const char c = text[k];
    if (quoted) {
      if (c == '"' && k + 1 < text.size() && text[k + 1] == '"') {
        field.push_back('"');
        ++k;
      } else if (c == '"') {
        quoted = false;
      } else {
        field.push_back(c);
      }
    } else if (c == '"') {
      EXPECT_TRUE(field.empty()) << "a quote inside an unquoted field";
      quoted = true;
    } else if (c == ',') {
      record.push_back(std::move(field));
      field.clear();
    } else if (c == '\r') {
      EXPECT_EQ(text[k + 1], '\n') << "a bare CR ends no record";
      record.push_back(std::move(field));
      field.clear();
      out.push_back(std::move(record));
      record.clear();
      ++k;
    } else {
      EXPECT_NE(c, '\n') << "a bare LF outside quotes";
      field.push_back(c);
    }
  }
  EXPECT_FALSE(quoted);
  EXPECT_TRUE(record.empty() && field.empty()) << "the last record ends with CRLF";
  return out;
}

RegisterLine Line(std::string asset, std::string description, std::string risk = "27") {
  RegisterLine l(RegisterColumns().size());
  l[0] = "0191f0a0-0000-7000-8000-000000000001";
  l[1] = std::move(asset);
  l[7] = std::move(risk);
  l[8] = "medium";
  l[16] = std::move(description);
  return l;
}

TEST(RiskRegisterCsv, NeutralisesCellsASpreadsheetWouldRun) {
  EXPECT_EQ(CsvField("=SUM(A1:A9)", false), "'=SUM(A1:A9)");
  EXPECT_EQ(CsvField("+1", false), "'+1");
  EXPECT_EQ(CsvField("-cmd", false), "'-cmd");
  EXPECT_EQ(CsvField("@foo", false), "'@foo");
  EXPECT_EQ(CsvField("\tx", false), "'\tx");
  EXPECT_EQ(CsvField("Payments", false), "Payments");
  EXPECT_EQ(CsvField("27", true), "27");
}

TEST(RiskRegisterCsv, QuotesWhatNeedsQuoting) {
  EXPECT_EQ(CsvField("a,b", false), "\"a,b\"");
  EXPECT_EQ(CsvField("say \"hi\"", false), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvField("two\r\nlines", false), "\"two\r\nlines\"");
  EXPECT_EQ(CsvField("=1,2", false), "\"'=1,2\"");
}

TEST(RiskRegisterCsv, ReadsBackAsTheLinesWithAHeader) {
  const std::vector<RegisterLine> lines = {
      Line("Payments, core", "Loss of \"all\" records\r\nfor a day"),
      Line("=HYPERLINK(\"http://x\")", "", "")};
  const auto records = ParseCsv(RegisterCsv(lines));
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0], RegisterColumns());
  EXPECT_EQ(records[1], lines[0]);
  EXPECT_EQ(records[2][1], "'=HYPERLINK(\"http://x\")");
  EXPECT_EQ(records[2][7], "") << "an unscored risk is an empty cell";
}

TEST(RiskRegisterXlsx, IsAZipWithTheSheetAndLeavesNoTemporaryFile) {
  auto temp_files = [] {
    int n = 0;
    for (const auto& e :
         std::filesystem::directory_iterator(std::filesystem::temp_directory_path())) {
      if (e.path().filename().string().rfind("rampart-register-", 0) == 0) ++n;
    }
    return n;
  };
  const int before = temp_files();
  std::vector<RegisterLine> lines;
  for (int k = 0; k < 300; ++k) lines.push_back(Line("Asset " + std::to_string(k), "d"));
  const std::string bytes = RegisterXlsx(lines, "2026: review [draft]");
  ASSERT_GT(bytes.size(), 1000u);
  EXPECT_EQ(bytes.substr(0, 4), std::string("PK\x03\x04", 4)) << "a zip's local file header";
  EXPECT_NE(bytes.find("xl/worksheets/sheet1.xml"), std::string::npos);
  EXPECT_NE(bytes.find("xl/styles.xml"), std::string::npos);
  EXPECT_EQ(temp_files(), before);
}

}  // namespace
}  // namespace rampart::risk
