// Control frameworks and the mappings between them, as library data: the files Rampart ships in
// `catalogues/` (framework-<ref>.json, mapping-<source>--<target>.json, compiled into the binary)
// and the frameworks administrators import, kept in the database.
//
// A framework is identified by its URN and versioned by `revision`: a newer revision of a URN
// supersedes the older ones for new work, but every revision stays readable, so a Statement of
// Applicability made against an older one can still be shown. The documents never change once
// stored; parsing them is the only costly part, so parsed revisions are kept in memory by
// (urn, revision), which every app server can do on its own.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/clock.h"
#include "platform/db.h"
#include "platform/problem.h"

namespace rampart::isms {

struct Requirement {
  std::string id;
  std::string parent;  // "" for a top-level group
  std::string title;
  std::string description;
  std::string guidance;
  bool assessable = false;
  std::vector<std::string> tags;
  int depth = 0;      // 0 for top-level entries
  std::string group;  // the top-level ancestor's id (the theme, function or section)
};

struct Framework {
  std::string urn;
  std::string ref;
  std::string name;
  int revision = 0;
  std::string edition;
  std::string kind;  // standard, policy, framework
  std::string provider;
  std::string description;
  std::vector<Requirement> requirements;                  // display order, parents before children
  std::map<std::string, std::size_t, std::less<>> index;  // id -> position in `requirements`
  bool builtin = true;
  std::string sha256;  // of the document as shipped or imported

  [[nodiscard]] const Requirement* Find(std::string_view id) const;
  [[nodiscard]] std::size_t AssessableCount() const;
  // The requirement's URN: the framework's, then the id in lower case.
  [[nodiscard]] std::string UrnOf(const Requirement& r) const;
};

enum class Relationship { kEqual, kSubset, kSuperset, kIntersect };
std::string_view Name(Relationship r);
std::optional<Relationship> ParseRelationship(std::string_view name);
// "source is R of target" read the other way round: subset becomes superset and back.
Relationship Reverse(Relationship r);

struct Relation {
  std::string source;  // requirement id in the source framework
  std::string target;  // requirement id in the target framework
  Relationship relationship = Relationship::kEqual;
};

struct Mapping {
  std::string urn;
  std::string name;
  int revision = 0;
  std::string source;  // framework URN
  std::string target;  // framework URN
  std::vector<Relation> relations;
};

// Reads a framework document. Every mistake is reported, each with a JSON Pointer into the
// document and, for a requirement, its id ("/requirements/12/parent": "A.9 (of A.9.1) is not a
// requirement listed before it"). Nullopt when there was any.
std::optional<Framework> ParseFramework(const nlohmann::json& doc, std::vector<FieldError>& errors);
// Reads a mapping document against the frameworks it joins (looked up by URN through `find`):
// every requirement it names must exist and be assessable.
std::optional<Mapping> ParseMapping(
    const nlohmann::json& doc, const std::function<const Framework*(std::string_view urn)>& find,
    std::vector<FieldError>& errors);

// The frameworks and mappings shipped in `catalogues/`, parsed once. A broken shipped file throws
// std::logic_error naming the file, the field and the requirement: it is a bug of the release.
struct Builtin {
  std::vector<std::shared_ptr<const Framework>> frameworks;
  std::vector<Mapping> mappings;
};
const Builtin& Shipped();
// The same checks over any set of files (path, text), for tests.
Builtin LoadFiles(const std::vector<std::pair<std::string, std::string>>& files);

// ---- frameworks as the database and the shipped files hold them together ----

struct Summary {
  std::shared_ptr<const Framework> framework;  // the newest revision of its URN
  std::vector<int> revisions;                  // every stored revision, oldest first
};

// The newest revision of every framework, shipped or imported, in name order.
std::vector<Summary> ListFrameworks(db::Tx& tx);
// The newest revision of the framework with this ref, or that exact revision when given.
std::shared_ptr<const Framework> FindFramework(db::Tx& tx, std::string_view ref,
                                               std::optional<int> revision = std::nullopt);
// One revision of a framework by URN (for a SoA made against it).
std::shared_ptr<const Framework> FrameworkRevision(db::Tx& tx, std::string_view urn, int revision);

// A requirement of another framework that one maps to.
struct Mapped {
  std::shared_ptr<const Framework> framework;
  const Requirement* requirement = nullptr;
  Relationship relationship = Relationship::kEqual;  // "this requirement is R of that one"
};
// Both directions: mappings whose source or target is `framework`'s URN.
std::vector<Mapped> MappedRequirements(db::Tx& tx, const Framework& framework,
                                       std::string_view requirement_id);

struct ImportResult {
  std::shared_ptr<const Framework> framework;
  bool superseded = false;  // an older revision of the same URN existed
};
// Stores an imported framework document in the caller's write transaction. Errors: 422 naming the
// field for an invalid document; 409 when a revision as new or newer of that URN exists, or when
// the ref is another framework's.
ImportResult ImportFramework(db::Tx& tx, const nlohmann::json& doc, const std::string& imported_by,
                             Millis now);

}  // namespace rampart::isms
