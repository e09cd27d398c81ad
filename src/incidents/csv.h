// Comma-separated values as RFC 4180 writes them, for imports: fields separated by commas, records
// by CRLF or LF; a field in double quotes may hold commas, line breaks and doubled double quotes.
// Pure functions over text in memory: no I/O.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace rampart::incidents {

struct CsvRecord {
  int line = 0;  // the line the record starts on, from 1
  std::vector<std::string> fields;
};

// Reads one record after another from `text`, which must outlive the reader. Blank lines between
// records are skipped (a record with one empty field is not expressible in a spreadsheet anyway).
class CsvReader final {
 public:
  explicit CsvReader(std::string_view text) : text_(text) {}

  // The next record into `out`; false at the end of the text or on an error, which error() then
  // states (for people, e.g. "unterminated quoted field"). After an error, reading stops.
  bool Next(CsvRecord& out);
  [[nodiscard]] const std::string& error() const { return error_; }
  // The line of the error, or where reading stopped.
  [[nodiscard]] int line() const { return line_; }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
  int line_ = 1;
  std::string error_;
};

// One field as RFC 4180 writes it: quoted when it holds a comma, a double quote or a line break.
std::string CsvField(std::string_view value);

}  // namespace rampart::incidents
