#include "risk/register_export.h"

#include <unistd.h>
#include <xlsxwriter.h>

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>

#include "platform/crypto.h"
#include "risk/catalogue.h"
#include "risk/rules.h"

namespace rampart::risk {

RegisterFilter ParseRegisterFilter(const http::Request& request, std::vector<FieldError>& errors) {
  RegisterFilter f;
  auto id_param = [&](std::string_view name, std::optional<std::string>& out) {
    if (auto v = request.QueryParam(name); v && !v->empty()) {
      if (!crypto::IsUuid(*v)) errors.push_back({std::string(name), "must be an id"});
      out = std::string(*v);
    }
  };
  id_param("asset", f.asset_id);
  id_param("threat", f.threat_id);
  id_param("vulnerability", f.vulnerability_id);
  id_param("owner", f.owner_id);
  if (auto v = request.QueryParam("owner_name"); v && !v->empty()) {
    if (v->size() > 200) errors.push_back({"owner_name", "must be at most 200 characters"});
    f.owner_name = std::string(*v);
  }
  auto axis_param = [&](std::string_view name, std::optional<int>& out) {
    if (auto v = request.QueryParam(name); v && !v->empty()) {
      int n = 0;
      const auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
      if (ec != std::errc() || end != v->data() + v->size() || n < 0 || n > 1000000) {
        errors.push_back({std::string(name), "must be a whole number from 0 to 1000000"});
      } else {
        out = n;
      }
    }
  };
  axis_param("impact", f.impact);
  axis_param("likelihood", f.likelihood);
  if (auto v = request.QueryParam("basis"); v && !v->empty()) {
    if (*v == "residual") {
      f.residual = true;
    } else if (*v != "current") {
      errors.push_back({"basis", "must be current or residual"});
    }
  }
  if (auto v = request.QueryParam("level"); v && !v->empty()) {
    if (*v != "low" && *v != "medium" && *v != "high") {
      errors.push_back({"level", "must be low, medium or high"});
    }
    f.level = std::string(*v);
  }
  if (auto v = request.QueryParam("treatment"); v && !v->empty()) {
    f.treatment = ParseTreatment(*v);
    if (!f.treatment)
      errors.push_back({"treatment", "must be none, reduce, accept, avoid or share"});
  }
  if (auto v = request.QueryParam("sort"); v && !v->empty()) {
    if (*v == "risk") {
      f.ascending = true;
    } else if (*v != "-risk") {
      errors.push_back({"sort", "must be -risk (highest first) or risk"});
    }
  }
  return f;
}

namespace {

enum Column : std::size_t {
  kScenarioId,
  kAsset,
  kAssetType,
  kThreatUrn,
  kThreat,
  kVulnerabilityUrn,
  kVulnerability,
  kCurrentRisk,
  kCurrentLevel,
  kResidualRisk,
  kResidualLevel,
  kTreatment,
  kOwner,
  kPlannedControls,
  kControlsInPlace,
  kAccepted,
  kDescription,
  kColumnCount
};

bool IsNumeric(std::size_t column) { return column == kCurrentRisk || column == kResidualRisk; }
bool IsLevel(std::size_t column) { return column == kCurrentLevel || column == kResidualLevel; }

}  // namespace

const std::vector<std::string>& RegisterColumns() {
  static const std::vector<std::string> kColumns = {
      "Scenario id",       "Asset",         "Asset type",   "Threat URN",       "Threat",
      "Vulnerability URN", "Vulnerability", "Current risk", "Current level",    "Residual risk",
      "Residual level",    "Treatment",     "Owner",        "Planned controls", "Controls in place",
      "Accepted",          "Description"};
  return kColumns;
}

std::vector<RegisterLine> RegisterLines(db::Tx& tx, const Analysis& an,
                                        const RegisterFilter& filter) {
  std::map<std::string, std::string> owners;
  auto owner_name = [&](const std::optional<std::string>& id) -> std::string {
    if (!id) return "";
    auto it = owners.find(*id);
    if (it == owners.end()) {
      auto r = tx.QueryOne("SELECT display_name FROM users WHERE id = $1", {*id});
      it = owners.emplace(*id, r ? r->Text(0) : "").first;
    }
    return it->second;
  };
  auto number = [](const std::optional<std::int64_t>& v) {
    return v ? std::to_string(*v) : std::string();
  };
  std::vector<RegisterLine> out;
  std::optional<RegisterCursor> after;
  constexpr int kPage = 2000;  // the register's own keyset paging, a page at a time
  for (;;) {
    auto page = ListRegister(tx, an.id, filter, after, kPage);
    for (const auto& v : page) {
      const Scenario& s = v.scenario;
      RegisterLine line(kColumnCount);
      line[kScenarioId] = s.id;
      line[kAsset] = v.asset_name;
      line[kAssetType] = std::string(Name(v.asset_type));
      line[kThreatUrn] = v.threat_urn;
      line[kThreat] = v.threat_name;
      line[kVulnerabilityUrn] = v.vulnerability_urn;
      line[kVulnerability] = v.vulnerability_name;
      line[kCurrentRisk] = number(s.score.current);
      line[kCurrentLevel] = s.score.current_level;
      line[kResidualRisk] = number(s.score.residual);
      line[kResidualLevel] = s.score.residual_level;
      line[kTreatment] = std::string(Name(s.treatment));
      line[kOwner] = owner_name(s.owner_id);
      line[kPlannedControls] = s.planned_controls;
      line[kControlsInPlace] = s.controls_in_place;
      line[kAccepted] = !v.acceptance ? "" : v.acceptance_stale ? "stale" : "yes";
      line[kDescription] = s.description;
      out.push_back(std::move(line));
    }
    if (static_cast<int>(page.size()) < kPage) break;
    const auto& last = page.back().scenario;
    after = RegisterCursor{
        (filter.residual ? last.score.residual : last.score.current).value_or(-1), last.id};
  }
  return out;
}

std::string CsvField(std::string_view text, bool numeric) {
  std::string v;
  // A cell a spreadsheet would evaluate is made plain text (OWASP "CSV injection"). Numbers we
  // write ourselves are never negative, so they need no guard.
  if (!numeric && !text.empty() &&
      (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@' || text[0] == '\t' ||
       text[0] == '\r')) {
    v.push_back('\'');
  }
  v.append(text);
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string quoted = "\"";
  for (char c : v) {
    if (c == '"') quoted.push_back('"');
    quoted.push_back(c);
  }
  quoted.push_back('"');
  return quoted;
}

std::string RegisterCsv(const std::vector<RegisterLine>& lines) {
  std::string out;
  auto row = [&](const std::vector<std::string>& cells, bool header) {
    for (std::size_t k = 0; k < cells.size(); ++k) {
      if (k) out.push_back(',');
      out += CsvField(cells[k], !header && IsNumeric(k));
    }
    out += "\r\n";
  };
  row(RegisterColumns(), true);
  for (const auto& l : lines) row(l, false);
  return out;
}

namespace {

// Removes the temporary file however the export ends.
struct TempFile {
  std::string path;
  ~TempFile() {
    if (!path.empty()) std::remove(path.c_str());
  }
};

struct WorkbookCloser {
  void operator()(lxw_workbook* wb) const {
    if (wb != nullptr) workbook_close(wb);
  }
};

}  // namespace

std::string RegisterXlsx(const std::vector<RegisterLine>& lines, const std::string& sheet_name) {
  const auto dir = std::filesystem::temp_directory_path();
  std::string pattern = (dir / "rampart-register-XXXXXX").string();
  const int fd = mkstemp(pattern.data());
  if (fd < 0) throw std::runtime_error("cannot create a temporary file for the XLSX export");
  close(fd);
  TempFile tmp{pattern};
  const std::string tmpdir = dir.string();

  lxw_workbook_options options{};
  options.constant_memory = LXW_TRUE;
  options.tmpdir = const_cast<char*>(tmpdir.c_str());
  std::unique_ptr<lxw_workbook, WorkbookCloser> wb(workbook_new_opt(tmp.path.c_str(), &options));
  if (!wb) throw std::runtime_error("cannot start the XLSX export");
  // Sheet names: at most 31 characters, none of []:*?/\ .
  std::string name;
  for (char c : sheet_name) {
    if (std::string_view("[]:*?/\\").find(c) == std::string_view::npos) name.push_back(c);
  }
  if (name.empty()) name = "Register";
  if (name.size() > 31) {
    name.resize(31);
    while (!name.empty() && (static_cast<unsigned char>(name.back()) & 0xC0) == 0x80) {
      name.pop_back();  // do not cut a character in two
    }
    if (!name.empty() && static_cast<unsigned char>(name.back()) >= 0xC0) name.pop_back();
  }
  lxw_worksheet* ws = workbook_add_worksheet(wb.get(), name.c_str());
  if (ws == nullptr) ws = workbook_add_worksheet(wb.get(), "Register");

  lxw_format* header = workbook_add_format(wb.get());
  format_set_bold(header);
  format_set_bg_color(header, 0xD9D9D9);
  format_set_bottom(header, LXW_BORDER_THIN);
  std::map<std::string, lxw_format*> level_format;
  for (const auto& [level, colour] : std::map<std::string, lxw_color_t>{
           {"low", 0xC6EFCE}, {"medium", 0xFFEB9C}, {"high", 0xFFC7CE}}) {
    lxw_format* f = workbook_add_format(wb.get());
    format_set_bg_color(f, colour);
    level_format[level] = f;
  }
  static constexpr double kWidths[kColumnCount] = {38, 30, 16, 40, 34, 40, 34, 12, 13,
                                                   12, 13, 11, 24, 40, 40, 10, 50};
  for (lxw_col_t c = 0; c < kColumnCount; ++c) worksheet_set_column(ws, c, c, kWidths[c], nullptr);

  const auto& columns = RegisterColumns();
  for (lxw_col_t c = 0; c < columns.size(); ++c) {
    worksheet_write_string(ws, 0, c, columns[c].c_str(), header);
  }
  lxw_row_t row = 1;
  for (const auto& l : lines) {
    for (lxw_col_t c = 0; c < l.size(); ++c) {
      const std::string& v = l[c];
      if (v.empty()) continue;
      if (IsNumeric(c)) {
        worksheet_write_number(ws, row, c, std::strtod(v.c_str(), nullptr), nullptr);
      } else {
        lxw_format* f = nullptr;
        if (IsLevel(c)) {
          if (auto it = level_format.find(v); it != level_format.end()) f = it->second;
        }
        // XLSX cells hold at most 32,767 characters.
        const std::string cell = v.size() > 32767 ? v.substr(0, 32767) : v;
        worksheet_write_string(ws, row, c, cell.c_str(), f);
      }
    }
    ++row;
  }
  worksheet_freeze_panes(ws, 1, 0);
  worksheet_autofilter(ws, 0, 0, row > 1 ? row - 1 : 1, kColumnCount - 1);
  const lxw_error err = workbook_close(wb.release());
  if (err != LXW_NO_ERROR) {
    throw std::runtime_error(std::string("XLSX export failed: ") + lxw_strerror(err));
  }
  std::ifstream in(tmp.path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return std::move(bytes).str();
}

}  // namespace rampart::risk
