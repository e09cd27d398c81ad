// Files attached to an incident case: logs, captures, screenshots, samples in archives. The bytes
// are platform stored files (platform/files.h, once per content); an attachment is one upload to
// one case, with its own name, visibility and uploader.
//
// Who sees an attachment follows the case's timeline: the parties that read its visibility
// (Reads), except that the national CERT holding a case anonymised never sees what the reporting
// organisation attached, since a file names its sender in ways Rampart cannot strip.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "incidents/access.h"
#include "incidents/store.h"
#include "platform/clock.h"
#include "platform/db.h"
#include "platform/json_writer.h"
#include "platform/router.h"

namespace rampart::incidents {

struct Attachment {
  std::string id;
  std::string incident_id;
  std::string sha256;
  std::string name;
  std::string media_type;
  std::int64_t size = 0;
  Visibility visibility = Visibility::kAll;
  std::string description;
  std::string uploaded_by;
  std::string uploaded_by_name;
  std::optional<std::string> organisation_id;  // the party the uploader acted for
  std::string organisation_name;               // read with the row; not stored
  Millis uploaded_at = 0;
};

// Whether a caller with this standing on the case sees the attachment (see the file comment).
bool Sees(const Standing& standing, const Incident& incident, const Attachment& a);

void InsertAttachment(db::Tx& tx, const Attachment& a);
// The case's attachments the caller sees, oldest first: those after the id `after` (ids grow with
// time), at most `limit` of them (0: all).
std::vector<Attachment> AttachmentsOf(db::Tx& tx, const Case& c, const std::string& after = "",
                                      int limit = 0);
// One attachment of the case, if the caller sees it.
std::optional<Attachment> FindAttachment(db::Tx& tx, const Case& c, const std::string& id);

// One attachment as the API shows it.
void WriteAttachment(JsonWriter& w, const Attachment& a);
// The array of the case's attachments the caller sees, for the case's own JSON.
void WriteAttachments(JsonWriter& w, db::Tx& tx, const Case& c);

// POST/GET /api/v1/incidents/{id}/attachments…
void AddAttachmentRoutes(Router& r);

}  // namespace rampart::incidents
