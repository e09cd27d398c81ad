// The TAXII 2.1 server under /taxii2/ (one API root, /taxii2/api/), the ATT&CK technique search
// and the STIX export route. Every collection is a community or sharing group the caller belongs
// to; every object read is decided by the audience engine, so a page may hold fewer objects than
// `limit` while `more` says whether the collection holds further visible ones. Errors raised by
// the handlers are answered in TAXII's error format with the TAXII media type; refusals before a
// handler (authentication, the route's action) stay problem+json, like every other route.
#include <nlohmann/json.hpp>

#include "platform/audit.h"
#include "platform/context.h"
#include "platform/crypto.h"
#include "platform/json_writer.h"
#include "sharing/api.h"
#include "sharing/stix.h"
#include "sharing/stix_export.h"
#include "sharing/stix_store.h"
#include "sharing/store.h"

namespace rampart::sharing {

namespace {

constexpr std::string_view kTaxiiType = "application/taxii+json;version=2.1";
constexpr std::string_view kStixType = "application/stix+json;version=2.1";
constexpr int kDefaultLimit = 1000;
constexpr int kMaxLimit = 5000;
constexpr std::size_t kMaxPostBytes = 32u << 20;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Whether one media range ("application/taxii+json; version=2.1", "*/*") admits TAXII 2.1.
// `wildcards`: Accept ranges may be wildcards; a Content-Type may not.
bool AdmitsTaxii(std::string_view range, bool wildcards) {
  std::string r = Lower(range);
  std::string_view rest = r;
  const auto semi = rest.find(';');
  const std::string_view type = Trim(rest.substr(0, semi));
  std::optional<std::string_view> version;
  if (semi != std::string_view::npos) {
    std::string_view params = rest.substr(semi + 1);
    while (!params.empty()) {
      const auto next = params.find(';');
      std::string_view p = Trim(params.substr(0, next));
      if (p.starts_with("version=")) version = Trim(p.substr(8));
      if (next == std::string_view::npos) break;
      params.remove_prefix(next + 1);
    }
  }
  if (wildcards && (type == "*/*" || type == "application/*")) return true;
  return type == "application/taxii+json" && (!version || *version == "2.1");
}

bool AcceptsTaxii(const http::Request& req) {
  auto accept = req.Find("Accept");
  if (!accept || Trim(*accept).empty()) return true;
  std::string_view list = *accept;
  while (true) {
    const auto comma = list.find(',');
    if (AdmitsTaxii(list.substr(0, comma), true)) return true;
    if (comma == std::string_view::npos) return false;
    list.remove_prefix(comma + 1);
  }
}

http::Response TaxiiJson(int status, std::string body) {
  http::Response res;
  res.status = status;
  res.body = std::move(body);
  res.Set("Content-Type", std::string(kTaxiiType));
  return res;
}

http::Response TaxiiError(const HttpError& e) {
  std::string description = e.detail();
  for (const auto& f : e.errors()) {
    description += (description.empty() ? "" : " ") + f.field + ": " + f.message;
  }
  JsonWriter w;
  w.BeginObject()
      .KeyString("title", e.title())
      .KeyString("description", description)
      .KeyString("error_code", e.slug())
      .KeyString("http_status", std::to_string(e.status()))
      .EndObject();
  auto res = TaxiiJson(e.status(), std::move(w).Take());
  for (const auto& h : e.headers()) res.Set(h.name, h.value);
  return res;
}

// Every TAXII handler: content negotiation first, errors in TAXII's format.
RouteHandler Taxii(http::Response (*handler)(Context&)) {
  return [handler](Context& ctx) -> http::Response {
    try {
      if (!AcceptsTaxii(ctx.request)) {
        throw HttpError(406, "not-acceptable", "Not acceptable",
                        "This server answers in " + std::string(kTaxiiType) + ".");
      }
      return handler(ctx);
    } catch (const HttpError& e) {
      return TaxiiError(e);
    }
  };
}

std::string Origin(const Context& ctx) {
  if (!ctx.services.config.public_origin.empty()) return ctx.services.config.public_origin;
  auto host = ctx.request.Find("Host");
  return std::string(ctx.request.tls ? "https://" : "http://") +
         std::string(host.value_or("localhost"));
}

// ---- query parameters ----

// Every value of the query parameter `name`, repeated or comma-separated.
std::vector<std::string> QueryValues(const http::Request& req, std::string_view name) {
  std::vector<std::string> out;
  std::string_view rest = req.query;
  while (!rest.empty()) {
    const auto amp = rest.find('&');
    std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    const auto eq = pair.find('=');
    if (http::PercentDecode(pair.substr(0, eq), true) != name) continue;
    const std::string value =
        eq == std::string_view::npos ? "" : http::PercentDecode(pair.substr(eq + 1), true);
    std::string_view v = value;
    while (true) {
      const auto comma = v.find(',');
      auto item = Trim(v.substr(0, comma));
      if (!item.empty()) out.emplace_back(item);
      if (comma == std::string_view::npos) break;
      v.remove_prefix(comma + 1);
    }
  }
  return out;
}

std::optional<std::string> OneValue(const http::Request& req, std::string_view name) {
  auto values = QueryValues(req, name);
  if (values.empty()) return std::nullopt;
  if (values.size() > 1) throw InvalidField(std::string(name), "takes one value");
  return values.front();
}

ObjectFilter ParseFilter(const http::Request& req, bool with_id_filters) {
  ObjectFilter f;
  if (auto after = OneValue(req, "added_after")) {
    auto us = stix::ParseTimestamp(*after);
    if (!us) throw InvalidField("added_after", "is not an RFC 3339 timestamp in UTC ending in Z");
    f.added_after_us = us;
  }
  if (with_id_filters) {
    f.ids = QueryValues(req, "match[id]");
    for (const auto& id : f.ids) {
      if (!stix::IsIdentifier(id)) throw InvalidField("match[id]", "'" + id + "' is not a STIX id");
    }
  }
  f.types = QueryValues(req, "match[type]");
  f.spec_versions = QueryValues(req, "match[spec_version]");
  auto versions = QueryValues(req, "match[version]");
  if (!versions.empty()) {
    f.last = false;
    for (const auto& v : versions) {
      if (v == "all") {
        f.all_versions = true;
      } else if (v == "first") {
        f.first = true;
      } else if (v == "last") {
        f.last = true;
      } else if (auto us = stix::ParseTimestamp(v)) {
        f.versions_us.push_back(*us);
      } else {
        throw InvalidField("match[version]",
                           "takes first, last, all or timestamps, not '" + v + "'");
      }
    }
  }
  return f;
}

int ParseLimit(const http::Request& req) {
  auto text = OneValue(req, "limit");
  if (!text) return kDefaultLimit;
  int n = 0;
  for (char c : *text) {
    if (c < '0' || c > '9' || n > 1'000'000)
      throw InvalidField("limit", "is not a positive number");
    n = n * 10 + (c - '0');
  }
  if (n < 1) throw InvalidField("limit", "is not a positive number");
  return std::min(n, kMaxLimit);  // the server may answer fewer, as TAXII allows
}

std::string EncodeNext(const ObjectCursor& c) {
  return crypto::Base64Url(std::to_string(c.added_us) + "|" + std::to_string(c.version_us) + "|" +
                           c.id);
}

std::optional<ObjectCursor> ParseNext(const http::Request& req) {
  auto text = OneValue(req, "next");
  if (!text) return std::nullopt;
  auto raw = crypto::FromBase64Url(*text);
  auto bad = [] { return InvalidField("next", "is not a value this server gave"); };
  if (!raw) throw bad();
  const auto a = raw->find('|');
  const auto b = a == std::string::npos ? a : raw->find('|', a + 1);
  if (b == std::string::npos) throw bad();
  try {
    return ObjectCursor{std::stoll(raw->substr(0, a)), raw->substr(b + 1),
                        std::stoll(raw->substr(a + 1, b - a - 1))};
  } catch (const std::exception&) {
    throw bad();
  }
}

// ---- collections ----

struct Access {
  Collection collection;
  Directory dir;
  Viewer viewer;
};

bool SeesCollection(const Collection& c, const Viewer& viewer, const Directory& dir) {
  for (const auto& org : viewer.org_ids) {
    if (InCommunity(c, org, dir)) return true;
  }
  return false;
}

// The collection the route names, when the caller belongs to its community; 404 otherwise.
Access LoadCollection(db::Tx& tx, const Context& ctx) {
  const std::string& id = ctx.Param("collection_id");
  auto c = FindCollection(tx, id);
  Access a{Collection{}, LoadDirectory(tx, false), ViewerOf(ctx.principal)};
  if (!c || !SeesCollection(*c, a.viewer, a.dir)) throw NotFound("collection");
  a.collection = *c;
  return a;
}

void WriteCollection(JsonWriter& w, const Collection& c, bool can_write) {
  w.BeginObject()
      .KeyString("id", c.id)
      .KeyString("title", c.title)
      .KeyString("description", c.description)
      .KeyBool("can_read", true)
      .KeyBool("can_write", can_write)
      .Key("media_types")
      .BeginArray()
      .String(kStixType)
      .EndArray()
      .EndObject();
}

// ---- pages through the engine ----

struct Page {
  std::vector<StoredObject> objects;
  bool more = false;
};

// The next `limit` objects the caller may see, reading candidates in batches.
Page VisiblePage(db::Tx& tx, const Access& a, const ObjectFilter& filter,
                 std::optional<ObjectCursor> after, int limit, bool with_object) {
  Page page;
  const int batch = std::max(limit + 1, 256);
  while (true) {
    auto rows = ListObjects(tx, a.collection.id, filter, after, batch, with_object);
    for (auto& r : rows) {
      after = ObjectCursor{r.added_us, r.id, r.version_us};
      if (!MaySee(ItemOf(r), a.viewer, a.dir)) continue;
      if (static_cast<int>(page.objects.size()) == limit) {
        page.more = true;
        return page;
      }
      page.objects.push_back(std::move(r));
    }
    if (static_cast<int>(rows.size()) < batch) return page;
  }
}

void SetDateHeaders(http::Response& res, const Page& page) {
  if (page.objects.empty()) return;
  res.Set("X-TAXII-Date-Added-First", stix::FormatTimestamp(page.objects.front().added_us));
  res.Set("X-TAXII-Date-Added-Last", stix::FormatTimestamp(page.objects.back().added_us));
}

void WritePaging(JsonWriter& w, const Page& page) {
  w.KeyBool("more", page.more);
  if (page.more) {
    const auto& last = page.objects.back();
    w.KeyString("next", EncodeNext({last.added_us, last.id, last.version_us}));
  }
}

// ---- handlers ----

http::Response Discovery(Context& ctx) {
  const std::string root = Origin(ctx) + "/taxii2/api/";
  JsonWriter w;
  w.BeginObject()
      .KeyString("title", "Rampart TAXII server")
      .KeyString("description",
                 "STIX 2.1 objects shared in the national community, the sector communities and "
                 "the sharing groups of Rampart.")
      .KeyString("default", root)
      .Key("api_roots")
      .BeginArray()
      .String(root)
      .EndArray()
      .EndObject();
  return TaxiiJson(200, std::move(w).Take());
}

http::Response ApiRoot(Context&) {
  JsonWriter w;
  w.BeginObject()
      .KeyString("title", "Rampart")
      .KeyString("description", "Shared threat intelligence of the platform's communities.")
      .Key("versions")
      .BeginArray()
      .String(kTaxiiType)
      .EndArray()
      .KeyInt("max_content_length", static_cast<std::int64_t>(kMaxPostBytes))
      .EndObject();
  return TaxiiJson(200, std::move(w).Take());
}

http::Response Collections(Context& ctx) {
  return ctx.db().Read([&](db::Tx& tx) {
    const Directory dir = LoadDirectory(tx, false);
    JsonWriter w;
    w.BeginObject().Key("collections").BeginArray();
    for (const auto& c : CollectionsOf(tx, ViewerOf(ctx.principal), dir)) {
      WriteCollection(w, c, WriterOrg(ctx.caller(), c, dir).has_value());
    }
    w.EndArray().EndObject();
    return TaxiiJson(200, std::move(w).Take());
  });
}

http::Response GetCollection(Context& ctx) {
  return ctx.db().Read([&](db::Tx& tx) {
    auto a = LoadCollection(tx, ctx);
    JsonWriter w;
    WriteCollection(w, a.collection, WriterOrg(ctx.caller(), a.collection, a.dir).has_value());
    return TaxiiJson(200, std::move(w).Take());
  });
}

http::Response Objects(Context& ctx) {
  auto filter = ParseFilter(ctx.request, true);
  const int limit = ParseLimit(ctx.request);
  auto after = ParseNext(ctx.request);
  return ctx.db().Read([&](db::Tx& tx) {
    auto a = LoadCollection(tx, ctx);
    Page page = VisiblePage(tx, a, filter, after, limit, true);
    JsonWriter w;
    w.BeginObject();
    WritePaging(w, page);
    w.Key("objects").BeginArray();
    for (const auto& o : page.objects) w.Raw(o.object);
    w.EndArray().EndObject();
    auto res = TaxiiJson(200, std::move(w).Take());
    SetDateHeaders(res, page);
    return res;
  });
}

http::Response Manifest(Context& ctx) {
  auto filter = ParseFilter(ctx.request, true);
  const int limit = ParseLimit(ctx.request);
  auto after = ParseNext(ctx.request);
  return ctx.db().Read([&](db::Tx& tx) {
    auto a = LoadCollection(tx, ctx);
    Page page = VisiblePage(tx, a, filter, after, limit, false);
    JsonWriter w;
    w.BeginObject();
    WritePaging(w, page);
    w.Key("objects").BeginArray();
    for (const auto& o : page.objects) {
      w.BeginObject()
          .KeyString("id", o.id)
          .KeyString("date_added", stix::FormatTimestamp(o.added_us))
          .KeyString("version", o.VersionText())
          .KeyString("media_type", kStixType)
          .EndObject();
    }
    w.EndArray().EndObject();
    auto res = TaxiiJson(200, std::move(w).Take());
    SetDateHeaders(res, page);
    return res;
  });
}

std::string ObjectIdParam(const Context& ctx) {
  const std::string& id = ctx.Param("object_id");
  if (!stix::IsIdentifier(id)) throw NotFound("object");
  return id;
}

http::Response GetObject(Context& ctx) {
  const std::string id = ObjectIdParam(ctx);
  auto filter = ParseFilter(ctx.request, false);
  filter.ids = {id};
  const int limit = ParseLimit(ctx.request);
  auto after = ParseNext(ctx.request);
  return ctx.db().Read([&](db::Tx& tx) {
    auto a = LoadCollection(tx, ctx);
    Page page = VisiblePage(tx, a, filter, after, limit, true);
    if (page.objects.empty() && !after) throw NotFound("object");
    JsonWriter w;
    w.BeginObject();
    WritePaging(w, page);
    w.Key("objects").BeginArray();
    for (const auto& o : page.objects) w.Raw(o.object);
    w.EndArray().EndObject();
    auto res = TaxiiJson(200, std::move(w).Take());
    SetDateHeaders(res, page);
    return res;
  });
}

http::Response Versions(Context& ctx) {
  const std::string id = ObjectIdParam(ctx);
  auto filter = ParseFilter(ctx.request, false);
  filter.ids = {id};
  filter.all_versions = true;
  filter.last = false;
  const int limit = ParseLimit(ctx.request);
  auto after = ParseNext(ctx.request);
  return ctx.db().Read([&](db::Tx& tx) {
    auto a = LoadCollection(tx, ctx);
    Page page = VisiblePage(tx, a, filter, after, limit, false);
    if (page.objects.empty() && !after) throw NotFound("object");
    JsonWriter w;
    w.BeginObject();
    WritePaging(w, page);
    w.Key("versions").BeginArray();
    for (const auto& o : page.objects) w.String(o.VersionText());
    w.EndArray().EndObject();
    auto res = TaxiiJson(200, std::move(w).Take());
    SetDateHeaders(res, page);
    return res;
  });
}

void WriteStatus(JsonWriter& w, const TaxiiStatus& s) {
  auto details = nlohmann::json::parse(s.details, nullptr, false);
  w.BeginObject()
      .KeyString("id", s.id)
      .KeyString("status", "complete")
      .KeyString("request_timestamp", stix::FormatTimestamp(s.request_us))
      .KeyInt("total_count", s.total)
      .KeyInt("success_count", s.success)
      .Key("successes")
      .Raw(details.is_object() && details.contains("successes") ? details["successes"].dump()
                                                                : "[]")
      .KeyInt("failure_count", s.failure)
      .Key("failures")
      .Raw(details.is_object() && details.contains("failures") ? details["failures"].dump() : "[]")
      .KeyInt("pending_count", 0)
      .Key("pendings")
      .BeginArray()
      .EndArray()
      .EndObject();
}

http::Response PostObjects(Context& ctx) {
  auto type = ctx.request.Find("Content-Type");
  if (!type || !AdmitsTaxii(*type, false)) {
    throw HttpError(415, "unsupported-media-type", "Unsupported media type",
                    "Send the envelope as " + std::string(kTaxiiType) + ".");
  }
  const std::int64_t now_us = NowMillis() * 1000;
  TaxiiStatus status;
  status.id = crypto::NewUuid();
  status.user_id = ctx.caller().user_id;
  status.request_us = now_us;
  ctx.db().Write([&](db::Tx& tx) {
    auto a = LoadCollection(tx, ctx);
    auto writer = WriterOrg(ctx.caller(), a.collection, a.dir);
    if (!writer) {
      throw HttpError(403, "forbidden", "This collection is read-only for you",
                      "Only a CERT's analysts of the collection's community may add objects.");
    }
    status.collection_id = a.collection.id;
    Importer importer(tx, ImportTarget{a.collection, *writer, std::nullopt, {}, status.user_id},
                      a.dir, now_us);
    nlohmann::json successes = nlohmann::json::array();
    nlohmann::json failures = nlohmann::json::array();
    stix::BundleScanner scanner(16u << 20, /*envelope=*/true);
    std::string error = scanner.Feed(ctx.request.body, [&](std::string& text, std::size_t i) {
      stix::ObjectInfo info;
      auto refused = importer.Add(text, &info);
      nlohmann::json entry = {{"id", info.id}};
      if (info.modified) entry["version"] = *info.modified;
      if (refused) {
        entry["message"] = refused->Describe(i);
        failures.push_back(std::move(entry));
      } else {
        successes.push_back(std::move(entry));
      }
      return true;
    });
    if (error.empty()) error = scanner.Finish();
    if (!error.empty()) throw BadRequest("The envelope is not valid: " + error + ".");
    status.total = static_cast<std::int64_t>(scanner.objects());
    status.success = static_cast<std::int64_t>(successes.size());
    status.failure = static_cast<std::int64_t>(failures.size());
    status.details = nlohmann::json{{"successes", successes}, {"failures", failures}}.dump();
    InsertStatus(tx, status);
    auto e = audit::By(ctx.principal, "stix.post", "taxii_collection", a.collection.id,
                       ctx.request.request_id);
    e.after = nlohmann::json{{"status_id", status.id},
                             {"author_org_id", *writer},
                             {"stored", importer.stored()},
                             {"unchanged", importer.unchanged()},
                             {"refused", status.failure}}
                  .dump();
    audit::Append(tx, e, now_us / 1000);
  });
  JsonWriter w;
  WriteStatus(w, status);
  return TaxiiJson(202, std::move(w).Take());
}

http::Response GetStatus(Context& ctx) {
  const std::string& id = ctx.IdParam("status_id", "status");
  return ctx.db().Read([&](db::Tx& tx) {
    auto s = FindStatus(tx, id);
    if (!s || s->user_id != ctx.caller().user_id) throw NotFound("status");
    JsonWriter w;
    WriteStatus(w, *s);
    return TaxiiJson(200, std::move(w).Take());
  });
}

http::Response DeleteObject(Context& ctx) {
  const std::string id = ObjectIdParam(ctx);
  auto filter = ParseFilter(ctx.request, false);
  if (QueryValues(ctx.request, "match[version]").empty()) {
    filter.all_versions = true;  // without match[version], every version goes
    filter.last = false;
  }
  ctx.db().Write([&](db::Tx& tx) {
    auto a = LoadCollection(tx, ctx);
    // Only the author's publishers delete; others, even readers, find nothing of theirs to delete.
    std::int64_t deleted = 0;
    for (const auto& m : ctx.caller().memberships) {
      if (Decide(ctx.principal, Action::kAdvisoryPublish, {.org_id = m.org_id}) !=
          Decision::kAllow) {
        continue;
      }
      deleted += DeleteObjectVersions(tx, a.collection.id, id, filter, m.org_id);
    }
    if (deleted == 0) throw NotFound("object");
    auto e = audit::By(ctx.principal, "stix.delete", "stix_object", id, ctx.request.request_id);
    e.before = nlohmann::json{{"collection_id", a.collection.id}, {"versions", deleted}}.dump();
    audit::Append(tx, e, NowMillis());
  });
  return TaxiiJson(200, "");
}

// ---- outside TAXII ----

http::Response Techniques(Context& ctx) {
  auto q = ctx.request.QueryParam("q").value_or("");
  if (q.size() > 100) throw InvalidField("q", "is longer than 100 characters");
  return ctx.db().Read([&](db::Tx& tx) {
    const Directory dir = LoadDirectory(tx, false);
    const Viewer viewer = ViewerOf(ctx.principal);
    JsonWriter w;
    w.BeginObject().Key("items").BeginArray();
    std::vector<std::string> shown;  // one row per technique, from whichever collection
    for (const auto& o : FindTechniques(tx, q, 500)) {
      if (shown.size() == 50) break;
      if (std::find(shown.begin(), shown.end(), o.id) != shown.end()) continue;
      if (!MaySee(ItemOf(o), viewer, dir)) continue;
      shown.push_back(o.id);
      w.BeginObject()
          .KeyString("id", o.id)
          .KeyOptString("external_id", o.external_id)
          .KeyOptString("name", o.name)
          .KeyString("collection_id", o.collection_id)
          .EndObject();
    }
    w.EndArray().EndObject();
    return JsonText(200, std::move(w).Take());
  });
}

http::Response ExportRoute(Context& ctx) {
  const std::string& org = ctx.IdParam("id", "organisation");
  std::string body = ctx.db().Read([&](db::Tx& tx) { return ExportBundle(tx, org); });
  http::Response res;
  res.status = 200;
  res.body = std::move(body);
  res.Set("Content-Type", std::string(kStixType));
  return res;
}

}  // namespace

void AddTaxiiRoutes(Router& r) {
  r.Add({"GET", "/taxii2/", Action::kSharedRead, "", Taxii(Discovery), kNoBody});
  r.Add({"GET", "/taxii2/api/", Action::kSharedRead, "", Taxii(ApiRoot), kNoBody});
  r.Add({"GET", "/taxii2/api/collections/", Action::kSharedRead, "", Taxii(Collections), kNoBody});
  r.Add({"GET", "/taxii2/api/collections/{collection_id}/", Action::kSharedRead, "",
         Taxii(GetCollection), kNoBody});
  r.Add({"GET", "/taxii2/api/collections/{collection_id}/manifest/", Action::kSharedRead, "",
         Taxii(Manifest), kNoBody});
  r.Add({"GET", "/taxii2/api/collections/{collection_id}/objects/", Action::kSharedRead, "",
         Taxii(Objects), kNoBody});
  r.Add({"POST", "/taxii2/api/collections/{collection_id}/objects/", Action::kAdvisoryPublish, "",
         Taxii(PostObjects), kMaxPostBytes});
  r.Add({"GET", "/taxii2/api/collections/{collection_id}/objects/{object_id}/", Action::kSharedRead,
         "", Taxii(GetObject), kNoBody});
  r.Add({"DELETE", "/taxii2/api/collections/{collection_id}/objects/{object_id}/",
         Action::kAdvisoryPublish, "", Taxii(DeleteObject), kNoBody});
  r.Add({"GET", "/taxii2/api/collections/{collection_id}/objects/{object_id}/versions/",
         Action::kSharedRead, "", Taxii(Versions), kNoBody});
  r.Add({"GET", "/taxii2/api/status/{status_id}/", Action::kSharedRead, "", Taxii(GetStatus),
         kNoBody});
  r.Add({"GET", "/api/v1/techniques", Action::kSharedRead, "", Techniques, kNoBody});
  r.Add({"GET", "/api/v1/organisations/{id}/stix-bundle", Action::kAdvisoryPublish, "id",
         ExportRoute, kNoBody});
}

}  // namespace rampart::sharing
