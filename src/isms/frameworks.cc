#include "isms/frameworks.h"

#include <algorithm>
#include <mutex>
#include <set>
#include <stdexcept>
#include <utility>

#include "platform/crypto.h"
#include "platform/embedded.h"

namespace rampart::isms {

namespace {

using nlohmann::json;

constexpr std::string_view kFrameworkFormat = "rampart-framework/1";
constexpr std::string_view kMappingFormat = "rampart-mapping/1";
constexpr std::string_view kFrameworkUrnPrefix = "urn:";
constexpr std::size_t kMaxRequirements = 5000;
constexpr int kMaxDepth = 8;

bool IsRef(std::string_view s) {
  if (s.empty() || s.size() > 64 || s.front() == '-' || s.back() == '-') return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
  });
}

// Requirement ids appear in URLs and URNs: letters, digits and a few separators, no spaces.
bool IsRequirementId(std::string_view s) {
  if (s.empty() || s.size() > 64 || s == "." || s == "..") return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '-' || c == '_' || c == '(' || c == ')';
  });
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Reads the members of one JSON object, recording a field error for each that is missing or of
// the wrong type. `where` is the object's JSON Pointer; `who` names it for people ("A.5.1").
class Reader {
 public:
  Reader(const json& j, std::string where, std::string who, std::vector<FieldError>& errors)
      : j_(j), where_(std::move(where)), who_(std::move(who)), errors_(errors) {}

  void Fail(std::string_view key, const std::string& message) {
    std::string field = where_ + "/" + std::string(key);
    errors_.push_back({field, who_.empty() ? message : who_ + ": " + message});
  }

  std::string Text(std::string_view key, bool required, std::size_t max) {
    auto it = j_.find(std::string(key));
    if (it == j_.end() || it->is_null()) {
      if (required) Fail(key, "is required");
      return "";
    }
    if (!it->is_string()) {
      Fail(key, "must be a string");
      return "";
    }
    const auto& s = it->get_ref<const std::string&>();
    if (required && s.empty()) Fail(key, "must not be empty");
    if (s.size() > max) Fail(key, "must be at most " + std::to_string(max) + " bytes");
    return s;
  }

  int Int(std::string_view key, int min, int max) {
    auto it = j_.find(std::string(key));
    if (it == j_.end() || !it->is_number_integer()) {
      Fail(key, "is required: a whole number");
      return min;
    }
    auto v = it->get<std::int64_t>();
    if (v < min || v > max) {
      Fail(key, "must be between " + std::to_string(min) + " and " + std::to_string(max));
      return min;
    }
    return static_cast<int>(v);
  }

  bool Bool(std::string_view key) {
    auto it = j_.find(std::string(key));
    if (it == j_.end() || !it->is_boolean()) {
      Fail(key, "is required: true or false");
      return false;
    }
    return it->get<bool>();
  }

  const json* Array(std::string_view key) {
    auto it = j_.find(std::string(key));
    if (it == j_.end() || !it->is_array()) {
      Fail(key, "is required: a list");
      return nullptr;
    }
    return &*it;
  }

 private:
  const json& j_;
  std::string where_;
  std::string who_;
  std::vector<FieldError>& errors_;
};

// ---- the cache of parsed revisions ----

struct Cache {
  std::mutex mu;
  std::map<std::pair<std::string, int>, std::shared_ptr<const Framework>> parsed;
};
Cache& TheCache() {
  static Cache c;
  return c;
}

std::shared_ptr<const Framework> ParseStored(const std::string& urn, int revision,
                                             const std::string& document) {
  auto& cache = TheCache();
  {
    std::lock_guard lock(cache.mu);
    auto it = cache.parsed.find({urn, revision});
    if (it != cache.parsed.end()) return it->second;
  }
  std::vector<FieldError> errors;
  auto f = ParseFramework(json::parse(document), errors);
  // Only documents that passed these checks are stored; a failure here means the checks grew
  // stricter since, and the stored revision must still be shown.
  if (!f)
    throw std::runtime_error("stored framework " + urn + " revision " + std::to_string(revision) +
                             " no longer reads: " + errors.front().field + " " +
                             errors.front().message);
  f->builtin = false;
  f->sha256 = crypto::Sha256Hex(document);
  auto shared = std::make_shared<const Framework>(std::move(*f));
  std::lock_guard lock(cache.mu);
  cache.parsed.emplace(std::make_pair(urn, revision), shared);
  return shared;
}

// Every framework revision, shipped and stored, grouped by URN with the newest last.
std::map<std::string, std::vector<std::shared_ptr<const Framework>>> AllRevisions(db::Tx& tx) {
  std::map<std::string, std::vector<std::shared_ptr<const Framework>>> out;
  for (const auto& f : Shipped().frameworks) out[f->urn].push_back(f);
  auto& cache = TheCache();
  for (const auto& row :
       tx.Query("SELECT urn, revision FROM isms_frameworks ORDER BY urn, revision", {})) {
    const std::string urn = row.Text(0);
    const int revision = static_cast<int>(row.Int(1));
    std::shared_ptr<const Framework> f;
    {
      std::lock_guard lock(cache.mu);
      auto it = cache.parsed.find({urn, revision});
      if (it != cache.parsed.end()) f = it->second;
    }
    if (!f) {
      auto doc = tx.QueryOne(
          "SELECT document FROM isms_frameworks WHERE urn = $1 AND revision = $2", {urn, revision});
      f = ParseStored(urn, revision, doc->Text(0));
    }
    out[urn].push_back(std::move(f));
  }
  for (auto& [urn, list] : out) {
    std::stable_sort(list.begin(), list.end(),
                     [](const auto& a, const auto& b) { return a->revision < b->revision; });
  }
  return out;
}

}  // namespace

// ---- Framework ----

const Requirement* Framework::Find(std::string_view id) const {
  auto it = index.find(id);
  return it == index.end() ? nullptr : &requirements[it->second];
}

std::size_t Framework::AssessableCount() const {
  return static_cast<std::size_t>(std::count_if(requirements.begin(), requirements.end(),
                                                [](const Requirement& r) { return r.assessable; }));
}

std::string Framework::UrnOf(const Requirement& r) const { return urn + ":" + Lower(r.id); }

std::string_view Name(Relationship r) {
  switch (r) {
    case Relationship::kEqual:
      return "equal";
    case Relationship::kSubset:
      return "subset";
    case Relationship::kSuperset:
      return "superset";
    case Relationship::kIntersect:
      return "intersect";
  }
  return "intersect";
}

std::optional<Relationship> ParseRelationship(std::string_view name) {
  for (auto r : {Relationship::kEqual, Relationship::kSubset, Relationship::kSuperset,
                 Relationship::kIntersect}) {
    if (Name(r) == name) return r;
  }
  return std::nullopt;
}

Relationship Reverse(Relationship r) {
  if (r == Relationship::kSubset) return Relationship::kSuperset;
  if (r == Relationship::kSuperset) return Relationship::kSubset;
  return r;
}

// ---- parsing ----

std::optional<Framework> ParseFramework(const json& doc, std::vector<FieldError>& errors) {
  const std::size_t errors_before = errors.size();
  if (!doc.is_object()) {
    errors.push_back({"", "a framework document must be a JSON object"});
    return std::nullopt;
  }
  Reader top(doc, "", "", errors);
  Framework f;
  if (auto format = top.Text("format", true, 64); !format.empty() && format != kFrameworkFormat) {
    top.Fail("format", "must be \"" + std::string(kFrameworkFormat) + "\"");
  }
  f.urn = top.Text("urn", true, 200);
  f.ref = top.Text("ref", true, 64);
  f.name = top.Text("name", true, 200);
  f.revision = top.Int("revision", 1, 1000000);
  f.edition = top.Text("edition", false, 64);
  f.kind = top.Text("kind", true, 32);
  f.provider = top.Text("provider", true, 200);
  f.description = top.Text("description", false, 4000);
  if (!f.urn.empty() && (f.urn.rfind(kFrameworkUrnPrefix, 0) != 0 ||
                         f.urn.find_first_of(" \t\r\n") != std::string::npos)) {
    top.Fail("urn", "must be a URN (urn:…) without spaces");
  }
  if (!f.ref.empty() && !IsRef(f.ref)) {
    top.Fail("ref", "must be lower-case letters, digits, '-' and '.'");
  }
  if (!f.kind.empty() && f.kind != "standard" && f.kind != "policy" && f.kind != "framework") {
    top.Fail("kind", "must be standard, policy or framework");
  }
  if (const json* list = top.Array("requirements")) {
    if (list->empty()) top.Fail("requirements", "must list at least one requirement");
    if (list->size() > kMaxRequirements) {
      top.Fail("requirements", "must hold at most " + std::to_string(kMaxRequirements));
    }
    for (std::size_t i = 0; i < list->size() && i < kMaxRequirements; ++i) {
      const json& item = (*list)[i];
      const std::string where = "/requirements/" + std::to_string(i);
      if (!item.is_object()) {
        errors.push_back({where, "must be an object"});
        continue;
      }
      std::string who;
      if (auto it = item.find("id"); it != item.end() && it->is_string()) {
        who = it->get<std::string>();
      }
      Reader r(item, where, who, errors);
      Requirement q;
      q.id = r.Text("id", true, 64);
      if (!q.id.empty() && !IsRequirementId(q.id)) {
        r.Fail("id", "must be letters, digits, '.', '-', '_' and parentheses");
      }
      if (auto it = item.find("parent"); it != item.end() && !it->is_null()) {
        if (!it->is_string()) {
          r.Fail("parent", "must be a requirement id or null");
        } else {
          q.parent = it->get<std::string>();
        }
      }
      q.title = r.Text("title", true, 500);
      q.description = r.Text("description", false, 8000);
      q.guidance = r.Text("guidance", false, 8000);
      q.assessable = r.Bool("assessable");
      if (auto it = item.find("tags"); it != item.end()) {
        if (!it->is_array()) {
          r.Fail("tags", "must be a list of words");
        } else {
          for (const auto& t : *it) {
            if (!t.is_string() || t.get_ref<const std::string&>().empty()) {
              r.Fail("tags", "must hold non-empty strings");
              break;
            }
            q.tags.push_back(t.get<std::string>());
          }
        }
      }
      static const std::set<std::string, std::less<>> kKnown = {
          "id", "parent", "title", "description", "guidance", "assessable", "tags"};
      for (const auto& [key, value] : item.items()) {
        if (!kKnown.contains(key)) r.Fail(key, "is not a field of a requirement");
      }
      if (q.id.empty()) continue;
      if (f.index.contains(q.id)) {
        r.Fail("id", "is listed twice");
        continue;
      }
      if (!q.parent.empty()) {
        const Requirement* parent = f.Find(q.parent);
        if (parent == nullptr) {
          r.Fail("parent", q.parent + " is not a requirement listed before it");
        } else {
          q.depth = parent->depth + 1;
          q.group = parent->group;
          if (q.depth > kMaxDepth)
            r.Fail("parent", "nests deeper than " + std::to_string(kMaxDepth));
        }
      } else {
        q.group = q.id;
      }
      f.index.emplace(q.id, f.requirements.size());
      f.requirements.push_back(std::move(q));
    }
  }
  if (errors.size() == errors_before && f.AssessableCount() == 0) {
    errors.push_back({"/requirements", "must hold at least one assessable requirement"});
  }
  if (errors.size() != errors_before) return std::nullopt;
  f.sha256 = crypto::Sha256Hex(doc.dump());
  return f;
}

std::optional<Mapping> ParseMapping(const json& doc,
                                    const std::function<const Framework*(std::string_view)>& find,
                                    std::vector<FieldError>& errors) {
  const std::size_t errors_before = errors.size();
  if (!doc.is_object()) {
    errors.push_back({"", "a mapping document must be a JSON object"});
    return std::nullopt;
  }
  Reader top(doc, "", "", errors);
  Mapping m;
  if (auto format = top.Text("format", true, 64); !format.empty() && format != kMappingFormat) {
    top.Fail("format", "must be \"" + std::string(kMappingFormat) + "\"");
  }
  m.urn = top.Text("urn", true, 200);
  m.name = top.Text("name", true, 200);
  m.revision = top.Int("revision", 1, 1000000);
  m.source = top.Text("source", true, 200);
  m.target = top.Text("target", true, 200);
  const Framework* source = m.source.empty() ? nullptr : find(m.source);
  const Framework* target = m.target.empty() ? nullptr : find(m.target);
  if (!m.source.empty() && source == nullptr) top.Fail("source", m.source + " is not a framework");
  if (!m.target.empty() && target == nullptr) top.Fail("target", m.target + " is not a framework");
  if (const json* list = top.Array("relations")) {
    std::set<std::pair<std::string, std::string>> seen;
    for (std::size_t i = 0; i < list->size(); ++i) {
      const json& item = (*list)[i];
      const std::string where = "/relations/" + std::to_string(i);
      if (!item.is_object()) {
        errors.push_back({where, "must be an object"});
        continue;
      }
      Reader r(item, where, "", errors);
      Relation rel;
      rel.source = r.Text("source", true, 64);
      rel.target = r.Text("target", true, 64);
      const std::string word = r.Text("relationship", true, 32);
      if (auto parsed = ParseRelationship(word)) {
        rel.relationship = *parsed;
      } else if (!word.empty()) {
        r.Fail("relationship", "must be equal, subset, superset or intersect");
      }
      auto check = [&](const Framework* f, const std::string& id, std::string_view key) {
        if (f == nullptr || id.empty()) return;
        const Requirement* q = f->Find(id);
        if (q == nullptr) {
          r.Fail(key, id + " is not a requirement of " + f->ref);
        } else if (!q->assessable) {
          r.Fail(key, id + " is a group of " + f->ref + ", not an assessable requirement");
        }
      };
      check(source, rel.source, "source");
      check(target, rel.target, "target");
      if (!seen.insert({rel.source, rel.target}).second) {
        r.Fail("target", rel.source + " → " + rel.target + " is listed twice");
      }
      m.relations.push_back(std::move(rel));
    }
  }
  if (errors.size() != errors_before) return std::nullopt;
  return m;
}

Builtin LoadFiles(const std::vector<std::pair<std::string, std::string>>& files) {
  Builtin out;
  auto fail = [](const std::string& path, const std::vector<FieldError>& errors) {
    std::string message = "framework library: " + path + ":";
    for (const auto& e : errors) message += "\n  " + e.field + ": " + e.message;
    throw std::logic_error(message);
  };
  std::set<std::string> urns, refs;
  for (const auto& [path, text] : files) {
    if (path.find("/framework-") == std::string::npos) continue;
    json doc = json::parse(text, nullptr, false);
    if (doc.is_discarded()) throw std::logic_error("framework library: " + path + ": not JSON");
    std::vector<FieldError> errors;
    auto f = ParseFramework(doc, errors);
    if (!f) fail(path, errors);
    if (!urns.insert(f->urn).second) fail(path, {{"/urn", f->urn + " is shipped twice"}});
    if (!refs.insert(f->ref).second) fail(path, {{"/ref", f->ref + " is shipped twice"}});
    const std::string expected = "framework-" + f->ref + ".json";
    if (path.size() < expected.size() ||
        path.compare(path.size() - expected.size(), expected.size(), expected) != 0) {
      fail(path, {{"/ref", "is " + f->ref + ": the file must be named " + expected}});
    }
    f->sha256 = crypto::Sha256Hex(text);
    out.frameworks.push_back(std::make_shared<const Framework>(std::move(*f)));
  }
  auto find = [&](std::string_view urn) -> const Framework* {
    for (const auto& f : out.frameworks) {
      if (f->urn == urn) return f.get();
    }
    return nullptr;
  };
  for (const auto& [path, text] : files) {
    if (path.find("/mapping-") == std::string::npos) continue;
    json doc = json::parse(text, nullptr, false);
    if (doc.is_discarded()) throw std::logic_error("framework library: " + path + ": not JSON");
    std::vector<FieldError> errors;
    auto m = ParseMapping(doc, find, errors);
    if (!m) fail(path, errors);
    out.mappings.push_back(std::move(*m));
  }
  std::sort(out.frameworks.begin(), out.frameworks.end(),
            [](const auto& a, const auto& b) { return a->name < b->name; });
  return out;
}

const Builtin& Shipped() {
  static const Builtin builtin = [] {
    std::vector<std::pair<std::string, std::string>> files;
    for (const auto& e : EmbeddedFiles()) {
      const std::string_view p = e.path;
      if (p.rfind("catalogues/", 0) != 0 || !p.ends_with(".json")) continue;
      if (p.find("/framework-") == std::string_view::npos &&
          p.find("/mapping-") == std::string_view::npos) {
        continue;
      }
      files.emplace_back(std::string(p), std::string(e.data));
    }
    return LoadFiles(files);
  }();
  return builtin;
}

// ---- with the database ----

std::vector<Summary> ListFrameworks(db::Tx& tx) {
  std::vector<Summary> out;
  for (auto& [urn, list] : AllRevisions(tx)) {
    Summary s;
    s.framework = list.back();
    for (const auto& f : list) s.revisions.push_back(f->revision);
    out.push_back(std::move(s));
  }
  std::sort(out.begin(), out.end(), [](const Summary& a, const Summary& b) {
    return a.framework->name < b.framework->name;
  });
  return out;
}

std::shared_ptr<const Framework> FindFramework(db::Tx& tx, std::string_view ref,
                                               std::optional<int> revision) {
  for (auto& [urn, list] : AllRevisions(tx)) {
    if (list.back()->ref != ref) continue;
    if (!revision) return list.back();
    for (const auto& f : list) {
      if (f->revision == *revision) return f;
    }
    return nullptr;
  }
  return nullptr;
}

std::shared_ptr<const Framework> FrameworkRevision(db::Tx& tx, std::string_view urn, int revision) {
  for (const auto& f : Shipped().frameworks) {
    if (f->urn == urn && f->revision == revision) return f;
  }
  auto row = tx.QueryOne("SELECT document FROM isms_frameworks WHERE urn = $1 AND revision = $2",
                         {urn, revision});
  if (!row) return nullptr;
  return ParseStored(std::string(urn), revision, row->Text(0));
}

std::vector<Mapped> MappedRequirements(db::Tx& tx, const Framework& framework,
                                       std::string_view requirement_id) {
  std::vector<Mapped> out;
  const auto& mappings = Shipped().mappings;
  bool any = false;
  for (const auto& m : mappings)
    any = any || m.source == framework.urn || m.target == framework.urn;
  if (!any) return out;
  auto all = AllRevisions(tx);
  auto newest = [&](const std::string& urn) -> std::shared_ptr<const Framework> {
    auto it = all.find(urn);
    return it == all.end() ? nullptr : it->second.back();
  };
  for (const auto& m : mappings) {
    const bool forward = m.source == framework.urn;
    const bool backward = m.target == framework.urn;
    if (!forward && !backward) continue;
    auto other = newest(forward ? m.target : m.source);
    if (!other) continue;
    for (const auto& rel : m.relations) {
      const std::string& mine = forward ? rel.source : rel.target;
      const std::string& theirs = forward ? rel.target : rel.source;
      if (mine != requirement_id) continue;
      const Requirement* q = other->Find(theirs);
      // A mapping is checked against the shipped revision; a newer imported one may have dropped
      // the requirement, and then there is nothing to show.
      if (q == nullptr) continue;
      out.push_back({other, q, forward ? rel.relationship : Reverse(rel.relationship)});
    }
  }
  return out;
}

ImportResult ImportFramework(db::Tx& tx, const json& doc, const std::string& imported_by,
                             Millis now) {
  std::vector<FieldError> errors;
  auto parsed = ParseFramework(doc, errors);
  if (!parsed) throw InvalidInput(std::move(errors));
  Framework f = std::move(*parsed);
  auto all = AllRevisions(tx);
  bool superseded = false;
  if (auto it = all.find(f.urn); it != all.end()) {
    const auto& newest = it->second.back();
    if (newest->revision >= f.revision) {
      throw Conflict(f.urn + " is at revision " + std::to_string(newest->revision) +
                     ": an import must carry a higher revision");
    }
    if (newest->ref != f.ref) {
      throw InvalidField("/ref", "must stay " + newest->ref + " for " + f.urn);
    }
    superseded = true;
  }
  for (const auto& [urn, list] : all) {
    if (urn != f.urn && list.back()->ref == f.ref) {
      throw InvalidField("/ref", f.ref + " is already the ref of " + urn);
    }
  }
  const std::string text = doc.dump();
  f.builtin = false;
  f.sha256 = crypto::Sha256Hex(text);
  tx.Exec(
      "INSERT INTO isms_frameworks (urn, revision, ref, name, document, sha256, imported_by, "
      "imported_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
      {f.urn, f.revision, f.ref, f.name, text, f.sha256, imported_by, now});
  return {std::make_shared<const Framework>(std::move(f)), superseded};
}

}  // namespace rampart::isms
