// The HTTP side of case attachments. An upload's body is the file itself (what a browser's fetch
// sends for a File), with its name, visibility and description in the query string; its type is
// read from the bytes, never from the Content-Type. Downloads are always attachments to save, never
// pages to show.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "incidents/access.h"
#include "incidents/attachments.h"
#include "incidents/cases.h"
#include "platform/audit.h"
#include "platform/context.h"
#include "platform/crypto.h"
#include "platform/files.h"
#include "platform/json_writer.h"
#include "platform/problem.h"

namespace rampart::incidents {

namespace {

using nlohmann::json;

// The size as people read it, for the timeline: "1.2 MiB".
std::string HumanSize(std::int64_t bytes) {
  if (bytes < 1024) return std::to_string(bytes) + " bytes";
  const char* units[] = {"KiB", "MiB", "GiB"};
  double v = static_cast<double>(bytes);
  int u = -1;
  while (v >= 1024 && u < 2) {
    v /= 1024;
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f %s", v, units[u]);
  return buf;
}

// The attachment's state for the audit log: what it is and who may see it (the bytes are named by
// their digest).
std::string AuditState(const Attachment& a) {
  return json{{"id", a.id},
              {"incident_id", a.incident_id},
              {"sha256", a.sha256},
              {"name", a.name},
              {"media_type", a.media_type},
              {"size", a.size},
              {"visibility", Name(a.visibility)},
              {"description", a.description}}
      .dump();
}

std::string AttachmentJson(const Attachment& a) {
  JsonWriter w;
  WriteAttachment(w, a);
  return std::move(w).Take();
}

http::Response Upload(Context& ctx) {
  const Millis now = NowMillis();
  const http::Request& req = ctx.request;
  std::vector<FieldError> errors;
  const files::Upload upload =
      files::ReadUpload(req, static_cast<std::size_t>(ctx.services.config.max_file_bytes), errors);
  const std::string visibility_name = req.QueryParam("visibility").value_or("all");
  const auto visibility = ParseVisibility(visibility_name);
  if (!visibility) errors.push_back({"visibility", "must be all, authorities or certs"});
  const std::string& name = upload.name;
  const std::string& description = upload.description;
  const std::string& bytes = req.body;
  const std::optional<files::Detected>& type = upload.type;

  Attachment a;
  ctx.db().Write([&](db::Tx& tx) {
    Case c = LoadCase(tx, ctx, Action::kIncidentAttach);
    // After LoadCase: a case one may not see is 404 whatever was sent.
    auto field_errors = errors;
    if (visibility) {
      auto allowed = c.standing.Visible();
      if (std::find(allowed.begin(), allowed.end(), *visibility) == allowed.end()) {
        field_errors.push_back(
            {"visibility", "is one your organisation does not read: choose a wider one"});
      }
    }
    if (!field_errors.empty()) throw InvalidInput(std::move(field_errors));

    auto stored = files::Put(tx, bytes, type->media_type, now);
    const Principal& me = ctx.caller();
    a.id = crypto::NewUuid();
    a.incident_id = c.incident.id;
    a.sha256 = stored.file.sha256;
    a.name = name;
    a.media_type = type->media_type;
    a.size = stored.file.size;
    a.visibility = *visibility;
    a.description = description;
    a.uploaded_by = me.user_id;
    a.uploaded_by_name = me.display_name;
    a.organisation_id = ActingOrg(me, Action::kIncidentAttach, c.standing);
    a.uploaded_at = now;
    InsertAttachment(tx, a);
    if (a.organisation_id) {
      if (auto o =
              tx.QueryOne("SELECT name FROM organisations WHERE id = $1", {*a.organisation_id})) {
        a.organisation_name = o->Text(0);
      }
    }
    Record(tx, {&me, me.user_id, me.display_name, req.request_id}, c.incident, a.organisation_id,
           "attachment", a.visibility,
           "Attached " + a.name + " (" + type->label + ", " + HumanSize(a.size) + ")", now,
           json{{"attachment_id", a.id}, {"sha256", a.sha256}}.dump());
    auto e = audit::By(&me, "incident.attach", "incident_attachment", a.id, req.request_id);
    e.after = AuditState(a);
    audit::Append(tx, e, now);
  });
  auto res = JsonText(201, AttachmentJson(a));
  res.Set("Location", "/api/v1/incidents/" + a.incident_id + "/attachments/" + a.id);
  return res;
}

http::Response List(Context& ctx) {
  std::vector<FieldError> errors;
  auto page = ParsePage(ctx.request, &errors);
  std::string after;
  if (page.after) {
    const json& k = *page.after;
    if (k.size() != 1 || !k[0].is_string()) {
      errors.push_back({"cursor", "is not a cursor of this list"});
    } else {
      after = k[0].get<std::string>();
    }
  }
  return ctx.db().Read([&](db::Tx& tx) {
    Case c = LoadCase(tx, ctx);
    if (!errors.empty()) throw InvalidInput(std::move(errors));
    auto rows = AttachmentsOf(tx, c, after, page.limit + 1);
    std::optional<std::string> next;
    if (static_cast<int>(rows.size()) > page.limit) {
      rows.resize(static_cast<std::size_t>(page.limit));
      next = EncodeCursor(json::array({rows.back().id}));
    }
    JsonWriter w;
    w.BeginObject().Key("items").BeginArray();
    for (const auto& a : rows) WriteAttachment(w, a);
    w.EndArray().KeyOptString("next_cursor", next).EndObject();
    return JsonText(200, std::move(w).Take());
  });
}

// The attachment named by the path, if the caller sees it; 404 otherwise, as for a case.
Attachment Load(db::Tx& tx, const Context& ctx, const Case& c) {
  auto a = FindAttachment(tx, c, ctx.IdParam("attachment_id", "attachment"));
  if (!a) throw NotFound("attachment");
  return std::move(*a);
}

http::Response Get(Context& ctx) {
  return ctx.db().Read([&](db::Tx& tx) {
    Case c = LoadCase(tx, ctx);
    return JsonText(200, AttachmentJson(Load(tx, ctx, c)));
  });
}

http::Response Content(Context& ctx) {
  return ctx.db().Read([&](db::Tx& tx) {
    Case c = LoadCase(tx, ctx);
    Attachment a = Load(tx, ctx, c);
    auto bytes = files::Get(tx, a.sha256);
    if (!bytes) throw NotFound("attachment");  // cannot happen: the row refers to the file
    return files::Download(std::move(*bytes), a.name, a.sha256);
  });
}

}  // namespace

void AddAttachmentRoutes(Router& r) {
  Route upload{"POST", "/api/v1/incidents/{id}/attachments", Action::kIncidentAttach, "", Upload};
  upload.body_is_file = true;
  r.Add(std::move(upload));
  r.Add({"GET", "/api/v1/incidents/{id}/attachments", Action::kIncidentRead, "", List, kNoBody});
  r.Add({"GET", "/api/v1/incidents/{id}/attachments/{attachment_id}", Action::kIncidentRead, "",
         Get, kNoBody});
  r.Add({"GET", "/api/v1/incidents/{id}/attachments/{attachment_id}/content", Action::kIncidentRead,
         "", Content, kNoBody});
}

}  // namespace rampart::incidents
