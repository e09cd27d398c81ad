// The risk register as a file to hand around: CSV (RFC 4180) and XLSX (libxlsxwriter), with the
// filters of the register list route, and those filters' parsing, shared with that route.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "platform/db.h"
#include "platform/http.h"
#include "platform/problem.h"
#include "risk/model.h"
#include "risk/store.h"

namespace rampart::risk {

// The register's query parameters (asset, threat, vulnerability, owner, basis, level, treatment,
// sort); each fault is added to `errors` naming the parameter.
RegisterFilter ParseRegisterFilter(const http::Request& request, std::vector<FieldError>& errors);

// One line of the exported register, in column order; numbers as text ("" when unscored).
using RegisterLine = std::vector<std::string>;
// The column titles of the exported register.
const std::vector<std::string>& RegisterColumns();
// The register lines of the analysis under the filter, in the register's order.
std::vector<RegisterLine> RegisterLines(db::Tx& tx, const Analysis& analysis,
                                        const RegisterFilter& filter);

// One CSV field: quoted when it holds a comma, quote, CR or LF; a text that a spreadsheet would
// run as a formula (starting with = + - @, or a tab or CR) is prefixed with a quote mark.
std::string CsvField(std::string_view text, bool numeric);
// The whole CSV text: a header row, then one row per line, CRLF line ends.
std::string RegisterCsv(const std::vector<RegisterLine>& lines);
// The XLSX bytes: one sheet, the header row frozen and filtered, level cells coloured. Written by
// libxlsxwriter in constant-memory mode to a temporary file, which is removed before returning.
// Throws std::runtime_error when the file cannot be written.
std::string RegisterXlsx(const std::vector<RegisterLine>& lines, const std::string& sheet_name);

}  // namespace rampart::risk
