// Stored files: bytes kept in the database under their SHA-256, for every domain that keeps files
// (case attachments, ISMS evidence, advisories).
//
// The content lives in the database (table `files`), not on a disk beside it, so that the write
// transaction that records an upload also holds its bytes: an upload that was acknowledged is as
// durable as the row that names it, and a backup of the database is a backup of the files. The same
// bytes are stored once, however many times and by whomever they are uploaded; the rows that refer
// to a file (an attachment…) carry their own name, visibility and uploader.
//
// Nothing here trusts what a client says a file is: Classify() looks at the bytes. Files are served
// only as downloads (Download()), never rendered by the browser.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "platform/clock.h"
#include "platform/db.h"
#include "platform/http.h"
#include "platform/problem.h"
#include "platform/result.h"

namespace rampart::files {

// ---- what a file is ----

enum class Family {
  kDocument,    // PDF, office documents, RTF
  kImage,       // PNG, JPEG, GIF, WebP, TIFF
  kText,        // plain text and logs, CSV, JSON, XML
  kEmail,       // a message as sent (.eml)
  kCapture,     // network captures: pcap, pcapng
  kArchive,     // zip, 7z, gzip, bzip2, xz, tar, rar (how samples of malware travel)
  kExecutable,  // programs: PE, ELF, Mach-O, WebAssembly, Java classes
  kScript,      // text that runs when opened: shell, PowerShell, batch, VBScript, HTML, SVG, …
  kUnknown,     // binary that is none of the above
};

struct Detected {
  Family family = Family::kUnknown;
  std::string media_type;  // "application/pdf"; "application/octet-stream" when unknown
  std::string label;       // for people: "PDF document"
};

// What the bytes are, from their first bytes (magic numbers) and, for text, their content. The
// file name decides only between types the bytes cannot tell apart (a CSV from other text, a Word
// from an Excel 97 file) and marks scripts, which are text like any other; it never makes refused
// bytes acceptable.
Detected Sniff(std::string_view bytes, std::string_view file_name);

// Whether a file of this family may be attached to a case or kept as evidence: documents, images,
// text, e-mail, captures and archives may; programs, scripts and unknown binaries may not.
bool MayStore(Family family);

// Sniff() and MayStore() together: the type to store, or an error for people that says what was
// refused and what to do instead (programs and scripts go in an archive).
Result<Detected> Classify(std::string_view bytes, std::string_view file_name);

// A file name as the client gave it, made safe to store and to send back in a header: the last
// path component only, valid UTF-8 (other bytes become '_'), no control characters, no leading or
// trailing dots and spaces, at most 200 bytes (cut between characters). "file" when nothing is
// left.
std::string SanitiseName(std::string_view name);

// ---- the store ----

struct StoredFile {
  std::string sha256;  // 64 lowercase hex digits
  std::int64_t size = 0;
  std::string media_type;
  Millis created_at = 0;
};

struct PutResult {
  StoredFile file;
  bool created = false;  // false: the same bytes were stored already
};

// Stores `bytes` in the caller's write transaction unless the same bytes are stored already (then
// the stored row is returned as it is, with the media type first recorded).
PutResult Put(db::Tx& tx, std::string_view bytes, const std::string& media_type, Millis now);
// The file's row without its bytes; nullopt when no such file is stored.
std::optional<StoredFile> Stat(db::Tx& tx, const std::string& sha256);
// The file's bytes; nullopt when no such file is stored.
std::optional<std::string> Get(db::Tx& tx, const std::string& sha256);

// ---- receiving ----

// A file sent as the request body, with its name and description in the query string (`name`,
// `description`): how evidence and attachments arrive. Checked here, stored by the caller.
struct Upload {
  std::string name;  // sanitised (SanitiseName)
  std::string description;
  std::optional<Detected> type;  // set when the bytes are of a type Rampart stores
};
// Adds each problem to `errors`: the name missing or over 1000 bytes, the description over 4000,
// the body empty or of a type Rampart refuses. Throws HttpError 413 when the body is longer than
// `max_bytes` (the server refuses such a body before reading it; this holds should that change).
Upload ReadUpload(const http::Request& request, std::size_t max_bytes,
                  std::vector<FieldError>& errors);

// ---- serving ----

// The header value that makes a browser save `name` instead of showing it: an ASCII fallback and
// the exact name in RFC 8187 form (filename*=UTF-8''…).
std::string ContentDisposition(std::string_view name);

// A response that hands `bytes` over as a download named `name`: application/octet-stream, never
// sniffed, sandboxed if opened anyway, not cached by shared caches, with its SHA-256 in the
// Digest-style header Repr-Digest (RFC 9530).
http::Response Download(std::string bytes, std::string_view name, const std::string& sha256_hex);

}  // namespace rampart::files
