// The charter and policy as documents people take away: an editable Word file (OOXML written here
// and zipped with minizip) and a printable HTML page. Both render the Markdown subset of
// ParseMarkdown, so what the editor previews is what the exports show.
#include <minizip/zip.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "isms/policy_docs.h"
#include "platform/files.h"

namespace rampart::isms {

namespace {

std::string Escape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 16);
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
        // Control characters other than tab are not allowed in XML 1.0; drop them.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t') continue;
        out += c;
    }
  }
  return out;
}

std::string Filename(const PolicyDoc& doc, const PolicyVersion& v, std::string_view ext) {
  std::string name = doc.title + " v" + std::to_string(v.number);
  return files::SanitiseName(name + std::string(ext));
}

std::string StatusLine(const PolicyVersion& v) {
  if (!v.IsApproved()) return "Draft version " + std::to_string(v.number) + ", not approved";
  std::string s = "Version " + std::to_string(v.number) + ", approved by " +
                  v.approved_by_name.value_or("") + " on " +
                  FormatRfc3339(v.approved_at.value_or(0)).substr(0, 10);
  if (v.next_review_at) s += "; next review by " + FormatRfc3339(*v.next_review_at).substr(0, 10);
  return s;
}

// ---- WordprocessingML ----

std::string Runs(const std::vector<Span>& spans) {
  std::string out;
  for (const auto& s : spans) {
    out += "<w:r>";
    if (s.bold || s.italic) {
      out += "<w:rPr>";
      if (s.bold) out += "<w:b/>";
      if (s.italic) out += "<w:i/>";
      out += "</w:rPr>";
    }
    out += "<w:t xml:space=\"preserve\">" + Escape(s.text) + "</w:t></w:r>";
  }
  return out;
}

std::string Paragraph(std::string_view style, const std::string& runs, int num_id = 0) {
  std::string out = "<w:p><w:pPr><w:pStyle w:val=\"" + std::string(style) + "\"/>";
  if (num_id > 0) {
    out += "<w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"" + std::to_string(num_id) +
           "\"/></w:numPr>";
  }
  return out + "</w:pPr>" + runs + "</w:p>";
}

std::string PlainRun(std::string_view text) {
  return "<w:r><w:t xml:space=\"preserve\">" + Escape(text) + "</w:t></w:r>";
}

// numId 1 is the bullet list; each numbered list gets its own numId from 2 on, so each starts at 1.
std::string Body(const PolicyDoc& doc, const PolicyVersion& v, const std::string& org_name,
                 int* numbered_lists) {
  std::string out;
  out += Paragraph("Title", PlainRun(doc.title));
  out += Paragraph("Subtitle", PlainRun(org_name + " — " + StatusLine(v)));
  int next_num = 2;
  for (const auto& s : ParseContent(v.content)) {
    out += Paragraph(s.level <= 1 ? "Heading1" : "Heading2", PlainRun(s.title));
    bool in_numbered = false;
    for (const auto& b : ParseMarkdown(s.body)) {
      if (b.kind != Block::Kind::kNumbered) in_numbered = false;
      switch (b.kind) {
        case Block::Kind::kHeading:
          out += Paragraph(b.level <= 1 ? "Heading2" : "Heading3", Runs(b.spans));
          break;
        case Block::Kind::kParagraph:
          out += Paragraph("BodyText", Runs(b.spans));
          break;
        case Block::Kind::kBullet:
          out += Paragraph("ListParagraph", Runs(b.spans), 1);
          break;
        case Block::Kind::kNumbered:
          if (!in_numbered) {
            ++next_num;
            in_numbered = true;
          }
          out += Paragraph("ListParagraph", Runs(b.spans), next_num - 1);
          break;
      }
    }
  }
  *numbered_lists = next_num - 2;
  return out;
}

constexpr std::string_view kContentTypes =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
    R"(<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">)"
    R"(<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>)"
    R"(<Default Extension="xml" ContentType="application/xml"/>)"
    R"(<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>)"
    R"(<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>)"
    R"(<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>)"
    R"(<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>)"
    R"(</Types>)";

constexpr std::string_view kRootRels =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
    R"(<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
    R"(<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>)"
    R"(<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>)"
    R"(</Relationships>)";

constexpr std::string_view kDocumentRels =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
    R"(<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
    R"(<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>)"
    R"(<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/>)"
    R"(</Relationships>)";

std::string StyleXml(std::string_view id, std::string_view name, std::string_view ppr,
                     std::string_view rpr) {
  return "<w:style w:type=\"paragraph\" w:styleId=\"" + std::string(id) + "\"><w:name w:val=\"" +
         std::string(name) + "\"/><w:basedOn w:val=\"Normal\"/><w:qFormat/><w:pPr>" +
         std::string(ppr) + "</w:pPr><w:rPr>" + std::string(rpr) + "</w:rPr></w:style>";
}

std::string StylesXml() {
  std::string out =
      R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
      R"(<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">)"
      R"(<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Calibri" w:hAnsi="Calibri" w:cs="Calibri"/>)"
      R"(<w:sz w:val="22"/><w:lang w:val="en-GB"/></w:rPr></w:rPrDefault>)"
      R"(<w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="264" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>)"
      R"(<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>)";
  out += StyleXml("Title", "Title", "<w:spacing w:after=\"120\"/>", "<w:b/><w:sz w:val=\"40\"/>");
  out += StyleXml("Subtitle", "Subtitle", "<w:spacing w:after=\"360\"/>",
                  "<w:color w:val=\"555555\"/><w:sz w:val=\"22\"/>");
  out += StyleXml("Heading1", "heading 1",
                  "<w:keepNext/><w:spacing w:before=\"360\" w:after=\"120\"/><w:outlineLvl "
                  "w:val=\"0\"/>",
                  "<w:b/><w:color w:val=\"1F3A5F\"/><w:sz w:val=\"30\"/>");
  out += StyleXml("Heading2", "heading 2",
                  "<w:keepNext/><w:spacing w:before=\"240\" w:after=\"80\"/><w:outlineLvl "
                  "w:val=\"1\"/>",
                  "<w:b/><w:color w:val=\"1F3A5F\"/><w:sz w:val=\"25\"/>");
  out += StyleXml("Heading3", "heading 3",
                  "<w:keepNext/><w:spacing w:before=\"200\" w:after=\"60\"/><w:outlineLvl "
                  "w:val=\"2\"/>",
                  "<w:b/><w:sz w:val=\"22\"/>");
  out += StyleXml("BodyText", "Body Text", "", "");
  out += StyleXml("ListParagraph", "List Paragraph",
                  "<w:spacing w:after=\"60\"/><w:ind w:left=\"720\"/>", "");
  return out + "</w:styles>";
}

std::string NumberingXml(int numbered_lists) {
  std::string out =
      R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
      R"(<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">)"
      R"(<w:abstractNum w:abstractNumId="0"><w:multiLevelType w:val="singleLevel"/>)"
      R"(<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/>)"
      R"(<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="720" w:hanging="360"/></w:pPr></w:lvl></w:abstractNum>)"
      R"(<w:abstractNum w:abstractNumId="1"><w:multiLevelType w:val="singleLevel"/>)"
      R"(<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/>)"
      R"(<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="720" w:hanging="360"/></w:pPr></w:lvl></w:abstractNum>)"
      R"(<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>)";
  for (int i = 0; i < numbered_lists; ++i) {
    out += "<w:num w:numId=\"" + std::to_string(i + 2) +
           "\"><w:abstractNumId w:val=\"1\"/><w:lvlOverride w:ilvl=\"0\"><w:startOverride "
           "w:val=\"1\"/></w:lvlOverride></w:num>";
  }
  return out + "</w:numbering>";
}

std::string CoreXml(const PolicyDoc& doc, const PolicyVersion& v, const std::string& org_name) {
  return std::string(
             R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
             R"(<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" )"
             R"(xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" )"
             R"(xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>)") +
         Escape(doc.title) + "</dc:title><dc:creator>" + Escape(org_name) +
         "</dc:creator><dc:description>" + Escape(StatusLine(v)) +
         R"(</dc:description><dcterms:modified xsi:type="dcterms:W3CDTF">)" +
         FormatRfc3339(v.approved_at.value_or(v.saved_at)).substr(0, 19) +
         "Z</dcterms:modified></cp:coreProperties>";
}

// A temporary file removed when it goes out of scope, for minizip, which writes to files.
class TempFile final {
 public:
  TempFile() {
    char name[] = "/tmp/rampart-docx-XXXXXX";
    int fd = mkstemp(name);
    if (fd < 0) throw std::runtime_error("cannot create a temporary file for the DOCX");
    close(fd);
    path_ = name;
  }
  ~TempFile() { std::remove(path_.c_str()); }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace

std::string ZipParts(const std::vector<std::pair<std::string, std::string>>& parts) {
  TempFile tmp;
  zipFile zf = zipOpen64(tmp.path().c_str(), APPEND_STATUS_CREATE);
  if (zf == nullptr) throw std::runtime_error("cannot open the DOCX container");
  bool ok = true;
  for (const auto& [name, data] : parts) {
    zip_fileinfo info{};
    ok = ok && zipOpenNewFileInZip64(zf, name.c_str(), &info, nullptr, 0, nullptr, 0, nullptr,
                                     Z_DEFLATED, Z_DEFAULT_COMPRESSION, 0) == ZIP_OK;
    ok = ok && zipWriteInFileInZip(zf, data.data(), static_cast<unsigned>(data.size())) == ZIP_OK;
    ok = ok && zipCloseFileInZip(zf) == ZIP_OK;
  }
  ok = zipClose(zf, nullptr) == ZIP_OK && ok;
  if (!ok) throw std::runtime_error("cannot write the DOCX container");
  std::ifstream in(tmp.path(), std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return std::move(bytes).str();
}

std::string DocumentXml(const PolicyDoc& doc, const PolicyVersion& v, const std::string& org_name,
                        int* numbered_lists) {
  int ignored = 0;
  if (numbered_lists == nullptr) numbered_lists = &ignored;
  return std::string(
             R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
             R"(<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>)") +
         Body(doc, v, org_name, numbered_lists) +
         R"(<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1304" )"
         R"(w:bottom="1440" w:left="1304" w:header="708" w:footer="708" w:gutter="0"/></w:sectPr>)"
         "</w:body></w:document>";
}

http::Response ExportDocx(const PolicyDoc& doc, const PolicyVersion& v,
                          const std::string& org_name) {
  int lists = 0;
  std::string document = DocumentXml(doc, v, org_name, &lists);
  std::string bytes = ZipParts({{"[Content_Types].xml", std::string(kContentTypes)},
                                {"_rels/.rels", std::string(kRootRels)},
                                {"docProps/core.xml", CoreXml(doc, v, org_name)},
                                {"word/_rels/document.xml.rels", std::string(kDocumentRels)},
                                {"word/document.xml", std::move(document)},
                                {"word/styles.xml", StylesXml()},
                                {"word/numbering.xml", NumberingXml(lists)}});
  http::Response res;
  res.status = 200;
  res.Set("Content-Type",
          "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
  res.Set("Content-Disposition", files::ContentDisposition(Filename(doc, v, ".docx")));
  res.Set("Cache-Control", "private, no-store");
  res.body = std::move(bytes);
  return res;
}

// ---- HTML ----

namespace {

std::string HtmlSpans(const std::vector<Span>& spans) {
  std::string out;
  for (const auto& s : spans) {
    std::string t = Escape(s.text);
    if (s.italic) t = "<em>" + t + "</em>";
    if (s.bold) t = "<strong>" + t + "</strong>";
    out += t;
  }
  return out;
}

}  // namespace

std::string MarkdownToHtml(std::string_view markdown) {
  std::string out;
  std::string open;  // "ul", "ol" or ""
  auto close = [&] {
    if (!open.empty()) out += "</" + open + ">";
    open.clear();
  };
  for (const auto& b : ParseMarkdown(markdown)) {
    const std::string want = b.kind == Block::Kind::kBullet     ? "ul"
                             : b.kind == Block::Kind::kNumbered ? "ol"
                                                                : "";
    if (want != open) {
      close();
      if (!want.empty()) out += "<" + want + ">";
      open = want;
    }
    switch (b.kind) {
      case Block::Kind::kHeading: {
        const std::string h = "h" + std::to_string(std::min(6, b.level + 2));
        out += "<" + h + ">" + HtmlSpans(b.spans) + "</" + h + ">";
        break;
      }
      case Block::Kind::kParagraph:
        out += "<p>" + HtmlSpans(b.spans) + "</p>";
        break;
      case Block::Kind::kBullet:
      case Block::Kind::kNumbered:
        out += "<li>" + HtmlSpans(b.spans) + "</li>";
        break;
    }
  }
  close();
  return out;
}

http::Response ExportPolicyHtml(const PolicyDoc& doc, const PolicyVersion& v,
                                const std::string& org_name) {
  std::string out;
  out += "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>";
  out += Escape(doc.title + " — " + org_name);
  out +=
      "</title><style>"
      "body{font:11pt/1.5 Georgia,'Times New Roman',serif;margin:2cm auto;max-width:17cm;"
      "color:#1b2230}h1{font:700 22pt/1.2 system-ui,sans-serif;margin:0 0 .2em}"
      "h2{font:700 15pt/1.3 system-ui,sans-serif;color:#1f3a5f;margin:1.4em 0 .4em}"
      "h3{font:700 12.5pt/1.3 system-ui,sans-serif;color:#1f3a5f;margin:1.1em 0 .3em}"
      "h4,h5,h6{font:700 11pt/1.3 system-ui,sans-serif}p.meta{color:#555;margin:0 0 .3em;"
      "font-family:system-ui,sans-serif;font-size:10pt}p.hash{font:9pt monospace;color:#777;"
      "word-break:break-all}"
      "@media print{body{margin:0;max-width:none}h2,h3{break-after:avoid}li,p{orphans:3;"
      "widows:3}@page{size:A4;margin:2cm}}"
      "</style></head><body>";
  out += "<h1>" + Escape(doc.title) + "</h1>";
  out += "<p class=\"meta\">" + Escape(org_name) + "</p>";
  out += "<p class=\"meta\">" + Escape(StatusLine(v)) + "</p>";
  if (v.sha256) out += "<p class=\"hash\">SHA-256 " + Escape(*v.sha256) + "</p>";
  for (const auto& s : ParseContent(v.content)) {
    out += s.level <= 1 ? "<h2>" : "<h3>";
    out += Escape(s.title);
    out += s.level <= 1 ? "</h2>" : "</h3>";
    out += MarkdownToHtml(s.body);
  }
  out += "</body></html>\n";
  http::Response res;
  res.status = 200;
  res.Set("Content-Type", "text/html; charset=utf-8");
  res.Set("Content-Disposition", files::ContentDisposition(Filename(doc, v, ".html")));
  // A saved page: its own inline stylesheet and nothing else, no script, no request out.
  res.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; sandbox");
  res.Set("Cache-Control", "private, no-store");
  res.body = std::move(out);
  return res;
}

}  // namespace rampart::isms
