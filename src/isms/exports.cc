#include "isms/exports.h"

#include <xlsxwriter.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>

#include "isms/rules.h"
#include "isms/store.h"
#include "platform/crypto.h"
#include "platform/files.h"

namespace rampart::isms {

namespace {

constexpr int kBatch = 500;

std::string OrganisationName(db::Tx& tx, const std::string& id) {
  auto row = tx.QueryOne("SELECT name FROM organisations WHERE id = $1", {id});
  return row ? row->Text(0) : id;
}

std::string Reasons(const Justification& j) {
  std::string out;
  auto add = [&](bool on, const char* word) {
    if (!on) return;
    if (!out.empty()) out += ", ";
    out += word;
  };
  add(j.legal, "legal");
  add(j.contractual, "contractual");
  add(j.business, "business requirement");
  add(j.best_practice, "best practice");
  add(j.risk_analysis, "risk analysis");
  return out;
}

std::string EvidenceText(const Entry& e) {
  std::string out;
  for (const auto& ev : e.evidence) {
    if (!out.empty()) out += "\n";
    out += ev.kind == "link" ? ev.name + " <" + ev.url.value_or("") + ">"
                             : ev.name + " (sha256 " + ev.sha256.value_or("").substr(0, 12) + "…)";
  }
  return out;
}

std::string Filename(const Soa& soa, std::string_view ext) {
  return "soa-" + soa.framework_ref + "-v" + std::to_string(soa.version) + std::string(ext);
}

// Removes the temporary workbook however the export ends.
struct TempFile {
  std::filesystem::path path;
  ~TempFile() {
    std::error_code ec;
    std::filesystem::remove(path, ec);
  }
};

std::string Escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

}  // namespace

http::Response ExportXlsx(db::Tx& tx, const Soa& soa, const Framework& framework) {
  TempFile tmp{std::filesystem::temp_directory_path() /
               ("rampart-soa-" + crypto::Hex(crypto::RandomBytes(8)) + ".xlsx")};
  lxw_workbook_options options = {};
  options.constant_memory = LXW_TRUE;
  lxw_workbook* book = workbook_new_opt(tmp.path.c_str(), &options);
  if (book == nullptr) throw std::runtime_error("cannot create the workbook");
  lxw_worksheet* sheet = workbook_add_worksheet(book, "Statement of Applicability");
  lxw_format* head = workbook_add_format(book);
  format_set_bold(head);
  format_set_bg_color(head, 0xDDE4EE);
  format_set_text_wrap(head);
  lxw_format* wrap = workbook_add_format(book);
  format_set_text_wrap(wrap);
  format_set_align(wrap, LXW_ALIGN_VERTICAL_TOP);
  lxw_format* title = workbook_add_format(book);
  format_set_bold(title);
  format_set_font_size(title, 14);

  const double widths[] = {10, 40, 11, 28, 40, 14, 9, 22, 40, 30};
  for (lxw_col_t c = 0; c < 10; ++c) worksheet_set_column(sheet, c, c, widths[c], nullptr);
  const std::string heading = OrganisationName(tx, soa.organisation_id) + " — " + framework.name +
                              " (revision " + std::to_string(framework.revision) + ")";
  worksheet_write_string(sheet, 0, 0, heading.c_str(), title);
  const std::string sub = "Statement version " + std::to_string(soa.version) +
                          (soa.approved > 0 ? ", approved version " + std::to_string(soa.approved)
                                            : ", not approved yet");
  worksheet_write_string(sheet, 1, 0, sub.c_str(), nullptr);
  const char* columns[] = {"Id",     "Requirement", "Applicable", "Reasons",  "Justification",
                           "Status", "Maturity",    "Owner",      "Evidence", "Note"};
  for (lxw_col_t c = 0; c < 10; ++c) worksheet_write_string(sheet, 3, c, columns[c], head);
  lxw_row_t row = 4;
  ForEachEntry(tx, soa.id, kBatch, [&](std::vector<Entry>& batch) {
    for (const auto& e : batch) {
      worksheet_write_string(sheet, row, 0, e.requirement_id.c_str(), wrap);
      worksheet_write_string(sheet, row, 1, e.title.c_str(), wrap);
      worksheet_write_string(sheet, row, 2, e.applicable ? "yes" : "excluded", wrap);
      worksheet_write_string(sheet, row, 3, Reasons(e.justification).c_str(), wrap);
      worksheet_write_string(sheet, row, 4, e.justification.text.c_str(), wrap);
      worksheet_write_string(sheet, row, 5, std::string(Name(e.status)).c_str(), wrap);
      if (e.maturity) worksheet_write_number(sheet, row, 6, *e.maturity, wrap);
      worksheet_write_string(sheet, row, 7, e.owner_name.c_str(), wrap);
      worksheet_write_string(sheet, row, 8, EvidenceText(e).c_str(), wrap);
      worksheet_write_string(sheet, row, 9, e.note.c_str(), wrap);
      ++row;
    }
  });
  worksheet_autofilter(sheet, 3, 0, row > 4 ? row - 1 : 4, 9);
  if (workbook_close(book) != LXW_NO_ERROR) throw std::runtime_error("cannot write the workbook");
  std::ifstream in(tmp.path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  http::Response res;
  res.status = 200;
  res.Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  res.Set("Content-Disposition", files::ContentDisposition(Filename(soa, ".xlsx")));
  res.Set("Cache-Control", "private, no-store");
  res.body = std::move(bytes);
  return res;
}

http::Response ExportHtml(db::Tx& tx, const Soa& soa, const Framework& framework) {
  const std::string org = OrganisationName(tx, soa.organisation_id);
  Counts counts = CountEntries(tx, soa);
  std::string out;
  out.reserve(64 * 1024);
  out += "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>";
  out += Escape("Statement of Applicability — " + org + " — " + framework.name);
  out +=
      "</title><style>"
      "body{font:11pt/1.4 system-ui,sans-serif;margin:2cm;color:#1b2230}"
      "h1{font-size:18pt;margin:0 0 .2em}p.meta{color:#555;margin:0 0 1em}"
      "table{border-collapse:collapse;width:100%}th,td{border:1px solid #c8cfdb;padding:4px 6px;"
      "vertical-align:top;text-align:left}th{background:#e8edf5}tr.group td{background:#f3f5f9;"
      "font-weight:600}tr.excluded td{color:#666}td.id{white-space:nowrap}"
      "@media print{body{margin:0}tr{break-inside:avoid}}"
      "</style></head><body>";
  out += "<h1>Statement of Applicability</h1><p class=\"meta\">" + Escape(org) + " · " +
         Escape(framework.name) + " (revision " + std::to_string(framework.revision) +
         ") · statement version " + std::to_string(soa.version) + " · " +
         (soa.approved > 0 ? "approved version " + std::to_string(soa.approved)
                           : std::string("not approved yet")) +
         "</p>";
  out += "<p class=\"meta\">" + std::to_string(counts.applicable) + " of " +
         std::to_string(counts.total) + " controls applicable; implemented " +
         std::to_string(counts.Of(Status::kImplemented)) + ", partial " +
         std::to_string(counts.Of(Status::kPartial)) + ", planned " +
         std::to_string(counts.Of(Status::kPlanned)) + ", not started " +
         std::to_string(counts.Of(Status::kNotStarted));
  if (auto p = Posture(counts)) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", *p);
    out += std::string("; posture ") + buf + " %";
  }
  out +=
      ".</p><table><thead><tr><th>Id</th><th>Requirement</th><th>Applicable</th>"
      "<th>Justification</th><th>Status</th><th>Maturity</th><th>Owner</th><th>Evidence</th>"
      "</tr></thead><tbody>";
  std::string group;
  ForEachEntry(tx, soa.id, kBatch, [&](std::vector<Entry>& batch) {
    for (const auto& e : batch) {
      if (e.group != group) {
        group = e.group;
        const Requirement* g = framework.Find(group);
        out += "<tr class=\"group\"><td colspan=\"8\">" + Escape(group) + " " +
               Escape(g ? g->title : "") + "</td></tr>";
      }
      out += e.applicable ? "<tr>" : "<tr class=\"excluded\">";
      out += "<td class=\"id\">" + Escape(e.requirement_id) + "</td><td>" + Escape(e.title) +
             "</td><td>" + (e.applicable ? "yes" : "excluded") + "</td><td>";
      const std::string reasons = Reasons(e.justification);
      if (!reasons.empty()) out += "<em>" + Escape(reasons) + "</em><br>";
      out += Escape(e.justification.text) + "</td><td>" + std::string(Name(e.status)) +
             "</td><td>" + (e.maturity ? std::to_string(*e.maturity) : "") + "</td><td>" +
             Escape(e.owner_name) + "</td><td>";
      for (const auto& ev : e.evidence) {
        out += Escape(ev.name);
        if (ev.kind == "link") out += " &lt;" + Escape(ev.url.value_or("")) + "&gt;";
        out += "<br>";
      }
      out += "</td></tr>";
    }
  });
  out += "</tbody></table></body></html>\n";
  http::Response res;
  res.status = 200;
  res.Set("Content-Type", "text/html; charset=utf-8");
  res.Set("Content-Disposition", files::ContentDisposition(Filename(soa, ".html")));
  // A saved page: its own inline stylesheet and nothing else, no script, no request out.
  res.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; sandbox");
  res.Set("Cache-Control", "private, no-store");
  res.body = std::move(out);
  return res;
}

}  // namespace rampart::isms
