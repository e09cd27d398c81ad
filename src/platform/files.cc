#include "platform/files.h"

#include <algorithm>
#include <array>
#include <cstring>

#include "platform/crypto.h"

namespace rampart::files {

namespace {

bool StartsWith(std::string_view bytes, std::string_view magic, std::size_t at = 0) {
  return bytes.size() >= at + magic.size() && bytes.substr(at, magic.size()) == magic;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// The extension of the last path component, lower case, without the dot; "" when none.
std::string Extension(std::string_view name) {
  if (auto slash = name.find_last_of("/\\"); slash != std::string_view::npos) {
    name.remove_prefix(slash + 1);
  }
  auto dot = name.rfind('.');
  if (dot == std::string_view::npos || dot + 1 == name.size()) return "";
  return Lower(name.substr(dot + 1));
}

template <std::size_t N>
bool OneOf(const std::string& ext, const std::array<std::string_view, N>& list) {
  return std::find(list.begin(), list.end(), ext) != list.end();
}

// Names of files that run when opened, whatever their bytes look like: scripts are text, and a
// Windows shortcut or installer is a container an office suite would not open.
constexpr std::array<std::string_view, 36> kRunnableExtensions = {
    "exe", "dll",  "com",  "scr", "pif", "cpl", "sys", "msi", "msp", "msc", "bat", "cmd",
    "ps1", "psm1", "psd1", "vbs", "vbe", "js",  "jse", "wsf", "wsh", "hta", "lnk", "reg",
    "sh",  "bash", "zsh",  "py",  "pl",  "rb",  "php", "jar", "apk", "app", "elf", "so"};

// Bytes a text file never holds: NUL and control characters other than tab, line and page breaks
// and the escape that starts colour codes in terminal logs. High bytes pass, so logs in legacy
// 8-bit encodings are text too.
bool LooksLikeText(std::string_view bytes) {
  for (unsigned char c : bytes) {
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v' && c != 0x1b) {
      return false;
    }
    if (c == 0x7f) return false;
  }
  return true;
}

std::string_view SkipSpace(std::string_view s) {
  while (!s.empty() &&
         (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n')) {
    s.remove_prefix(1);
  }
  return s;
}

// An RFC 5322 header block: the first line is a header field, and a From: or Received: field comes
// before the first empty line.
bool LooksLikeMessage(std::string_view text) {
  auto first_end = text.find('\n');
  std::string_view first = text.substr(0, first_end);
  auto colon = first.find(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  for (char c : first.substr(0, colon)) {
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
      return false;
    }
  }
  std::string head = Lower(text.substr(0, std::min<std::size_t>(text.size(), 64 * 1024)));
  auto blank = head.find("\n\n");
  if (auto crlf = head.find("\r\n\r\n"); crlf != std::string::npos && crlf < blank) blank = crlf;
  head = head.substr(0, blank);
  return head.starts_with("from:") || head.starts_with("received:") ||
         head.find("\nfrom:") != std::string::npos || head.find("\nreceived:") != std::string::npos;
}

Detected Text(std::string_view bytes, const std::string& ext) {
  std::string_view body = bytes;
  if (StartsWith(body, "\xEF\xBB\xBF")) body.remove_prefix(3);  // a UTF-8 byte order mark
  std::string_view start = SkipSpace(body);
  std::string head = Lower(start.substr(0, 512));
  if (head.starts_with("#!") || OneOf(ext, kRunnableExtensions)) {
    return {Family::kScript, "text/plain", "script"};
  }
  if (head.starts_with("<!doctype html") || head.starts_with("<html") ||
      head.find("<script") != std::string::npos || ext == "html" || ext == "htm" ||
      ext == "xhtml" || ext == "svg" || head.find("<svg") != std::string::npos) {
    // Pages and SVG pictures run scripts when opened in a browser.
    return {Family::kScript, "text/html", "web page or SVG picture"};
  }
  if (head.starts_with("<?xml") || ext == "xml") {
    return {Family::kText, "application/xml", "XML document"};
  }
  if (ext == "eml" || LooksLikeMessage(body)) {
    return {Family::kEmail, "message/rfc822", "e-mail message"};
  }
  if (ext == "csv") return {Family::kText, "text/csv", "CSV table"};
  if (ext == "json" || ext == "jsonl" || ext == "ndjson" || head.starts_with("{") ||
      head.starts_with("[")) {
    return {Family::kText, "application/json", "JSON document"};
  }
  return {Family::kText, "text/plain", ext == "log" ? "log file" : "text"};
}

std::uint16_t Le16(std::string_view b, std::size_t at) {
  return static_cast<std::uint16_t>(static_cast<unsigned char>(b[at]) |
                                    static_cast<unsigned char>(b[at + 1]) << 8);
}

std::uint32_t Le32(std::string_view b, std::size_t at) {
  return static_cast<std::uint32_t>(Le16(b, at)) | static_cast<std::uint32_t>(Le16(b, at + 2))
                                                       << 16;
}

// Office Open XML and OpenDocument files are zip archives: the names of their first entries tell
// which. Walks the local file headers while their sizes are known (a streamed entry, whose size
// follows its data, ends the walk).
Detected Zip(std::string_view bytes) {
  std::size_t at = 0;
  for (int entries = 0;
       entries < 64 && StartsWith(bytes, "PK\x03\x04", at) && at + 30 <= bytes.size(); ++entries) {
    const std::uint16_t flags = Le16(bytes, at + 6);
    const std::uint32_t compressed = Le32(bytes, at + 18);
    const std::uint16_t name_length = Le16(bytes, at + 26);
    const std::uint16_t extra_length = Le16(bytes, at + 28);
    if (at + 30 + name_length > bytes.size()) break;
    std::string_view name = bytes.substr(at + 30, name_length);
    const std::size_t data = at + 30 + name_length + extra_length;
    if (entries == 0 && name == "mimetype" && (flags & 1) == 0) {
      std::string_view type = bytes.substr(std::min(data, bytes.size()), compressed);
      if (type == "application/vnd.oasis.opendocument.text") {
        return {Family::kDocument, std::string(type), "OpenDocument text"};
      }
      if (type == "application/vnd.oasis.opendocument.spreadsheet") {
        return {Family::kDocument, std::string(type), "OpenDocument spreadsheet"};
      }
      if (type == "application/vnd.oasis.opendocument.presentation") {
        return {Family::kDocument, std::string(type), "OpenDocument presentation"};
      }
    }
    if (name.starts_with("word/")) {
      return {Family::kDocument,
              "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
              "Word document"};
    }
    if (name.starts_with("xl/")) {
      return {Family::kDocument,
              "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
              "Excel workbook"};
    }
    if (name.starts_with("ppt/")) {
      return {Family::kDocument,
              "application/vnd.openxmlformats-officedocument.presentationml.presentation",
              "PowerPoint presentation"};
    }
    if ((flags & 8) != 0) break;  // sizes follow the data: the next header cannot be found
    at = data + compressed;
  }
  return {Family::kArchive, "application/zip", "zip archive"};
}

// Compound files (OLE2) hold Office 97–2003 documents, Outlook messages and Windows installers;
// only the name tells them apart without reading the directory.
Detected Compound(const std::string& ext) {
  if (ext == "xls") return {Family::kDocument, "application/vnd.ms-excel", "Excel 97 workbook"};
  if (ext == "ppt") {
    return {Family::kDocument, "application/vnd.ms-powerpoint", "PowerPoint 97 presentation"};
  }
  if (ext == "msg") return {Family::kEmail, "application/vnd.ms-outlook", "Outlook message"};
  if (OneOf(ext, kRunnableExtensions)) {
    return {Family::kExecutable, "application/x-msi", "Windows installer"};
  }
  return {Family::kDocument, "application/msword", "Word 97 document"};
}

bool IsContinuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// The length of the valid UTF-8 sequence at the start of `s`, or 0.
std::size_t Utf8Length(std::string_view s) {
  const auto c = static_cast<unsigned char>(s[0]);
  std::size_t n = c < 0x80           ? 1
                  : (c >> 5) == 0x6  ? 2
                  : (c >> 4) == 0xE  ? 3
                  : (c >> 3) == 0x1E ? 4
                                     : 0;
  if (n == 0 || n > s.size()) return 0;
  for (std::size_t i = 1; i < n; ++i) {
    if (!IsContinuation(static_cast<unsigned char>(s[i]))) return 0;
  }
  if (n == 2 && c < 0xC2) return 0;  // overlong
  if (n == 3) {
    const auto c1 = static_cast<unsigned char>(s[1]);
    if ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 >= 0xA0)) return 0;  // overlong, surrogate
  }
  if (n == 4) {
    const auto c1 = static_cast<unsigned char>(s[1]);
    if ((c == 0xF0 && c1 < 0x90) || c > 0xF4 || (c == 0xF4 && c1 >= 0x90)) return 0;
  }
  return n;
}

std::string StandardBase64(std::string_view bytes) {
  std::string out = crypto::Base64Url(bytes);
  for (char& c : out) {
    if (c == '-') c = '+';
    if (c == '_') c = '/';
  }
  while (out.size() % 4 != 0) out.push_back('=');
  return out;
}

}  // namespace

Detected Sniff(std::string_view b, std::string_view file_name) {
  const std::string ext = Extension(file_name);
  // Programs first: their formats are unambiguous, and a program is refused whatever its name.
  if (StartsWith(b, "MZ"))
    return {Family::kExecutable, "application/vnd.microsoft.portable-executable",
            "Windows program"};
  if (StartsWith(b,
                 "\x7F"
                 "ELF"))
    return {Family::kExecutable, "application/x-elf", "Linux or Unix program"};
  if (StartsWith(b, "\xFE\xED\xFA\xCE") || StartsWith(b, "\xFE\xED\xFA\xCF") ||
      StartsWith(b, "\xCE\xFA\xED\xFE") || StartsWith(b, "\xCF\xFA\xED\xFE") ||
      StartsWith(b, "\xCA\xFE\xBA\xBE")) {
    // 0xCAFEBABE is also a Java class file: a program as well.
    return {Family::kExecutable, "application/x-mach-binary", "macOS program or Java class"};
  }
  if (StartsWith(b, std::string_view("\0asm", 4))) {
    return {Family::kExecutable, "application/wasm", "WebAssembly module"};
  }
  if (StartsWith(b, "%PDF-")) return {Family::kDocument, "application/pdf", "PDF document"};
  if (StartsWith(b, "{\\rtf")) return {Family::kDocument, "application/rtf", "RTF document"};
  if (StartsWith(b, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")) return Compound(ext);
  if (StartsWith(b, "\x89PNG\r\n\x1A\n")) return {Family::kImage, "image/png", "PNG image"};
  if (StartsWith(b, "\xFF\xD8\xFF")) return {Family::kImage, "image/jpeg", "JPEG image"};
  if (StartsWith(b, "GIF87a") || StartsWith(b, "GIF89a")) {
    return {Family::kImage, "image/gif", "GIF image"};
  }
  if (StartsWith(b, "RIFF") && StartsWith(b, "WEBP", 8)) {
    return {Family::kImage, "image/webp", "WebP image"};
  }
  if (StartsWith(b, std::string_view("II*\0", 4)) || StartsWith(b, std::string_view("MM\0*", 4))) {
    return {Family::kImage, "image/tiff", "TIFF image"};
  }
  if (StartsWith(b, "\xD4\xC3\xB2\xA1") || StartsWith(b, "\xA1\xB2\xC3\xD4") ||
      StartsWith(b, "\x4D\x3C\xB2\xA1") || StartsWith(b, "\xA1\xB2\x3C\x4D")) {
    return {Family::kCapture, "application/vnd.tcpdump.pcap", "packet capture (pcap)"};
  }
  if (StartsWith(b, "\x0A\x0D\x0D\x0A")) {
    return {Family::kCapture, "application/x-pcapng", "packet capture (pcapng)"};
  }
  if (StartsWith(b, "PK\x03\x04") || StartsWith(b, "PK\x05\x06")) {
    Detected zip = Zip(b);
    // A Java or Android package is a zip that runs.
    if (zip.family == Family::kArchive && (ext == "jar" || ext == "apk")) {
      return {Family::kExecutable, "application/java-archive", "Java or Android package"};
    }
    return zip;
  }
  if (StartsWith(b, "7z\xBC\xAF\x27\x1C")) {
    return {Family::kArchive, "application/x-7z-compressed", "7z archive"};
  }
  if (StartsWith(b, "Rar!\x1A\x07"))
    return {Family::kArchive, "application/vnd.rar", "RAR archive"};
  if (StartsWith(b, "\x1F\x8B")) return {Family::kArchive, "application/gzip", "gzip archive"};
  if (StartsWith(b, "BZh")) return {Family::kArchive, "application/x-bzip2", "bzip2 archive"};
  if (StartsWith(b, std::string_view("\xFD"
                                     "7zXZ\0",
                                     6))) {
    return {Family::kArchive, "application/x-xz", "xz archive"};
  }
  if (StartsWith(b, "ustar", 257)) return {Family::kArchive, "application/x-tar", "tar archive"};
  if (StartsWith(b, "\xFF\xFE") || StartsWith(b, "\xFE\xFF")) {
    // UTF-16 with its byte order mark: how Windows tools export logs.
    Detected d = Text(std::string_view(), ext);
    if (d.family == Family::kText) return {Family::kText, "text/plain", "text (UTF-16)"};
    return d;
  }
  if (!b.empty() && LooksLikeText(b)) return Text(b, ext);
  return {Family::kUnknown, "application/octet-stream", "unknown binary"};
}

bool MayStore(Family family) {
  switch (family) {
    case Family::kDocument:
    case Family::kImage:
    case Family::kText:
    case Family::kEmail:
    case Family::kCapture:
    case Family::kArchive:
      return true;
    case Family::kExecutable:
    case Family::kScript:
    case Family::kUnknown:
      return false;
  }
  return false;
}

Result<Detected> Classify(std::string_view bytes, std::string_view file_name) {
  if (bytes.empty()) return Error{"empty", "is empty"};
  Detected d = Sniff(bytes, file_name);
  switch (d.family) {
    case Family::kExecutable:
    case Family::kScript:
      return Error{"runnable", "is a " + d.label +
                                   ", which is not kept bare so that nobody runs it by mistake: "
                                   "put it in a zip or 7z archive (with a password, for malware) "
                                   "and attach the archive"};
    case Family::kUnknown:
      return Error{"unknown_type",
                   "is not a type Rampart keeps (documents, images, text, logs, e-mail, packet "
                   "captures and archives): put it in a zip or 7z archive and attach the archive"};
    default:
      return d;
  }
}

std::string SanitiseName(std::string_view name) {
  if (auto slash = name.find_last_of("/\\"); slash != std::string_view::npos) {
    name.remove_prefix(slash + 1);
  }
  std::string out;
  while (!name.empty()) {
    std::size_t n = Utf8Length(name);
    if (n == 0) {
      out.push_back('_');
      name.remove_prefix(1);
      continue;
    }
    const auto c = static_cast<unsigned char>(name[0]);
    // Control characters, and the C1 controls U+0080–U+009F, end up in headers and logs.
    bool control = c < 0x20 || c == 0x7f ||
                   (n == 2 && c == 0xC2 && static_cast<unsigned char>(name[1]) < 0xA0);
    // Bidirectional overrides (U+202A–U+202E, U+2066–U+2069) make "exe.pdf" read as "fdp.exe".
    bool bidi = n == 3 && c == 0xE2 &&
                ((name[1] == '\x80' && static_cast<unsigned char>(name[2]) >= 0xAA &&
                  static_cast<unsigned char>(name[2]) <= 0xAE) ||
                 (name[1] == '\x81' && static_cast<unsigned char>(name[2]) >= 0xA6 &&
                  static_cast<unsigned char>(name[2]) <= 0xA9));
    if (control || bidi) {
      out.push_back('_');
    } else {
      out.append(name.substr(0, n));
    }
    name.remove_prefix(n);
  }
  auto trim = [](char c) { return c == ' ' || c == '.'; };
  while (!out.empty() && trim(out.back())) out.pop_back();
  std::size_t lead = 0;
  while (lead < out.size() && trim(out[lead])) ++lead;
  out.erase(0, lead);
  constexpr std::size_t kMax = 200;
  if (out.size() > kMax) {
    std::size_t cut = kMax;
    while (cut > 0 && IsContinuation(static_cast<unsigned char>(out[cut]))) --cut;
    out.resize(cut);
  }
  return out.empty() ? "file" : out;
}

PutResult Put(db::Tx& tx, std::string_view bytes, const std::string& media_type, Millis now) {
  PutResult r;
  r.file.sha256 = crypto::Sha256Hex(bytes);
  r.file.size = static_cast<std::int64_t>(bytes.size());
  r.created = tx.Exec(
                  "INSERT INTO files (sha256, size, media_type, content, created_at) "
                  "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (sha256) DO NOTHING",
                  {r.file.sha256, r.file.size, media_type, db::Blob{std::string(bytes)}, now}) > 0;
  if (r.created) {
    r.file.media_type = media_type;
    r.file.created_at = now;
  } else {
    r.file = *Stat(tx, r.file.sha256);
  }
  return r;
}

std::optional<StoredFile> Stat(db::Tx& tx, const std::string& sha256) {
  auto row = tx.QueryOne("SELECT sha256, size, media_type, created_at FROM files WHERE sha256 = $1",
                         {sha256});
  if (!row) return std::nullopt;
  return StoredFile{row->Text(0), row->Int(1), row->Text(2), row->Int(3)};
}

std::optional<std::string> Get(db::Tx& tx, const std::string& sha256) {
  auto row = tx.QueryOne("SELECT content FROM files WHERE sha256 = $1", {sha256});
  if (!row) return std::nullopt;
  return row->Text(0);
}

std::string ContentDisposition(std::string_view name) {
  std::string ascii;
  std::string encoded;
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (unsigned char c : name) {
    const bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                       c == '.' || c == '-' || c == '_';
    ascii.push_back(plain || c == ' ' ? static_cast<char>(c) : '_');
    if (plain) {
      encoded.push_back(static_cast<char>(c));
    } else {
      encoded.push_back('%');
      encoded.push_back(kHex[c >> 4]);
      encoded.push_back(kHex[c & 0xf]);
    }
  }
  return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
}

http::Response Download(std::string bytes, std::string_view name, const std::string& sha256_hex) {
  http::Response res;
  res.status = 200;
  res.Set("Content-Type", "application/octet-stream");
  res.Set("Content-Disposition", ContentDisposition(name));
  res.Set("X-Content-Type-Options", "nosniff");
  // Opened in a browser tab anyway, it runs no script, submits no form and reaches no origin.
  res.Set("Content-Security-Policy", "default-src 'none'; sandbox");
  res.Set("Cache-Control", "private, no-store");
  std::string raw;
  raw.reserve(32);
  for (std::size_t i = 0; i + 1 < sha256_hex.size(); i += 2) {
    raw.push_back(static_cast<char>(std::stoi(sha256_hex.substr(i, 2), nullptr, 16)));
  }
  res.Set("Repr-Digest", "sha-256=:" + StandardBase64(raw) + ":");
  res.body = std::move(bytes);
  return res;
}

Upload ReadUpload(const http::Request& request, std::size_t max_bytes,
                  std::vector<FieldError>& errors) {
  Upload u;
  const std::string raw_name = request.QueryParam("name").value_or("");
  if (raw_name.empty()) {
    errors.push_back({"name", "is required: the file's name, in the query string"});
  } else if (raw_name.size() > 1000) {
    errors.push_back({"name", "must be at most 1000 bytes"});
  }
  u.description = request.QueryParam("description").value_or("");
  if (u.description.size() > 4000) {
    errors.push_back({"description", "must be at most 4000 bytes"});
  }
  if (request.body.size() > max_bytes) {
    throw HttpError(
        413, "payload-too-large", "File too large",
        "Files of at most " + std::to_string(max_bytes) + " bytes are accepted.",
        {{"body", "is larger than the " + std::to_string(max_bytes) + " bytes accepted"}});
  }
  u.name = SanitiseName(raw_name);
  if (request.body.empty()) {
    errors.push_back({"body", "is empty: send the file's bytes"});
  } else if (auto classified = Classify(request.body, u.name); classified) {
    u.type = classified.value();
  } else {
    errors.push_back({"body", classified.error().message});
  }
  return u;
}

}  // namespace rampart::files
