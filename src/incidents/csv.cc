#include "incidents/csv.h"

namespace rampart::incidents {

bool CsvReader::Next(CsvRecord& out) {
  if (!error_.empty()) return false;
  // Blank lines between records.
  while (pos_ < text_.size() && (text_[pos_] == '\n' || text_[pos_] == '\r')) {
    if (text_[pos_] == '\n') ++line_;
    ++pos_;
  }
  if (pos_ >= text_.size()) return false;
  out.line = line_;
  out.fields.clear();
  std::string field;
  while (true) {
    field.clear();
    if (pos_ < text_.size() && text_[pos_] == '"') {
      const int opened = line_;
      ++pos_;
      while (true) {
        if (pos_ >= text_.size()) {
          error_ = "unterminated quoted field (opened on line " + std::to_string(opened) + ")";
          line_ = opened;
          return false;
        }
        const char c = text_[pos_++];
        if (c == '"') {
          if (pos_ < text_.size() && text_[pos_] == '"') {
            field.push_back('"');
            ++pos_;
            continue;
          }
          break;
        }
        if (c == '\n') ++line_;
        field.push_back(c);
      }
      // After the closing quote: a separator, the end of the record, or the end of the text.
      if (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != '\n' && text_[pos_] != '\r') {
        error_ = "a quoted field must end at a comma or the end of the line";
        return false;
      }
    } else {
      const std::size_t start = pos_;
      while (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != '\n' &&
             text_[pos_] != '\r') {
        if (text_[pos_] == '"') {
          error_ = "a double quote inside an unquoted field (quote the whole field and double it)";
          return false;
        }
        ++pos_;
      }
      field.assign(text_.substr(start, pos_ - start));
    }
    out.fields.push_back(field);
    if (pos_ >= text_.size()) return true;
    const char sep = text_[pos_++];
    if (sep == ',') continue;
    if (sep == '\r' && pos_ < text_.size() && text_[pos_] == '\n') ++pos_;
    ++line_;
    return true;
  }
}

std::string CsvField(std::string_view value) {
  if (value.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(value);
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

}  // namespace rampart::incidents
