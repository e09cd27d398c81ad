#include "isms/obligations.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>

#include "platform/embedded.h"

namespace rampart::isms {

namespace {

using nlohmann::json;

constexpr std::string_view kLibraryPath = "catalogues/obligations.json";

std::string Need(const json& o, const char* key, const std::string& where) {
  if (!o.contains(key) || !o[key].is_string() || o[key].get<std::string>().empty()) {
    throw std::runtime_error(std::string(kLibraryPath) + ": " + where + " needs a text " + key);
  }
  return o[key].get<std::string>();
}

std::vector<LibraryLaw> Parse(std::string_view text) {
  json doc = json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() ||
      doc.value("format", "") != "rampart-obligations/1" || !doc.contains("laws") ||
      !doc["laws"].is_array()) {
    throw std::runtime_error(std::string(kLibraryPath) +
                             ": not a rampart-obligations/1 document with a list of laws");
  }
  std::vector<LibraryLaw> out;
  std::set<std::string> urns;
  for (const auto& l : doc["laws"]) {
    LibraryLaw law;
    law.urn = Need(l, "urn", "a law");
    law.kind = Need(l, "kind", law.urn);
    if (std::find(kLawKinds.begin(), kLawKinds.end(), law.kind) == kLawKinds.end()) {
      throw std::runtime_error(std::string(kLibraryPath) + ": " + law.urn + " has unknown kind " +
                               law.kind);
    }
    law.title = Need(l, "title", law.urn);
    law.description = l.value("description", "");
    for (const auto& s : l.value("sectors", json::array()))
      law.sectors.push_back(s.get<std::string>());
    for (const auto& o : l.value("obligations", json::array())) {
      LibraryObligation ob;
      ob.urn = law.urn + ":" + Need(o, "id", law.urn + " obligation");
      ob.title = Need(o, "title", ob.urn);
      ob.description = o.value("description", "");
      if (!urns.insert(ob.urn).second) {
        throw std::runtime_error(std::string(kLibraryPath) + ": " + ob.urn + " appears twice");
      }
      law.obligations.push_back(std::move(ob));
    }
    if (law.obligations.empty() || !urns.insert(law.urn).second) {
      throw std::runtime_error(std::string(kLibraryPath) + ": " + law.urn +
                               " has no obligations or appears twice");
    }
    out.push_back(std::move(law));
  }
  return out;
}

constexpr const char* kObligationColumns =
    "o.id, o.organisation_id, o.law_urn, o.obligation_urn, o.law_kind, o.law_title, o.title, "
    "o.description, o.status, o.note, o.created_by, o.created_at, o.updated_at, o.version, "
    "(SELECT count(*) FROM isms_obligation_evidence ev WHERE ev.obligation_id = o.id) "
    "FROM isms_obligations o ";

Obligation ObligationFromRow(const db::Row& r) {
  Obligation o;
  o.id = r.Text(0);
  o.organisation_id = r.Text(1);
  o.law_urn = r.Text(2);
  o.obligation_urn = r.Text(3);
  o.law_kind = r.Text(4);
  o.law_title = r.Text(5);
  o.title = r.Text(6);
  o.description = r.Text(7);
  o.status = r.Text(8);
  o.note = r.Text(9);
  o.created_by = r.Text(10);
  o.created_at = r.Int(11);
  o.updated_at = r.Int(12);
  o.version = r.Int(13);
  o.evidence_count = r.Int(14);
  return o;
}

constexpr const char* kEvidenceColumns =
    "id, kind, url, file_sha256, name, media_type, size, description, added_by, added_by_name, "
    "added_at FROM isms_obligation_evidence ";

Evidence EvidenceFromRow(const db::Row& r) {
  Evidence ev;
  ev.id = r.Text(0);
  ev.kind = r.Text(1);
  ev.url = r.OptText(2);
  ev.sha256 = r.OptText(3);
  ev.name = r.Text(4);
  ev.media_type = r.Text(5);
  ev.size = r.Int(6);
  ev.description = r.Text(7);
  ev.added_by = r.Text(8);
  ev.added_by_name = r.Text(9);
  ev.added_at = r.Int(10);
  return ev;
}

}  // namespace

const std::vector<LibraryLaw>& ObligationLibrary() {
  static const std::vector<LibraryLaw> library = [] {
    for (const auto& e : EmbeddedFiles()) {
      if (e.path == kLibraryPath) return Parse(e.data);
    }
    throw std::runtime_error(std::string(kLibraryPath) + " is not compiled in");
  }();
  return library;
}

const LibraryLaw* FindLibraryLaw(std::string_view urn) {
  for (const auto& l : ObligationLibrary()) {
    if (l.urn == urn) return &l;
  }
  return nullptr;
}

void InsertObligation(db::Tx& tx, const Obligation& o) {
  tx.Exec(
      "INSERT INTO isms_obligations (id, organisation_id, law_urn, obligation_urn, law_kind, "
      "law_title, title, description, status, note, created_by, created_at, updated_at, version) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 1)",
      {o.id, o.organisation_id, o.law_urn, o.obligation_urn, o.law_kind, o.law_title, o.title,
       o.description, o.status, o.note, o.created_by, o.created_at, o.updated_at});
}

bool UpdateObligation(db::Tx& tx, const Obligation& o, std::int64_t expected_version) {
  return tx.Exec(
             "UPDATE isms_obligations SET law_kind = $1, law_title = $2, title = $3, "
             "description = $4, status = $5, note = $6, updated_at = $7, version = version + 1 "
             "WHERE id = $8 AND organisation_id = $9 AND version = $10",
             {o.law_kind, o.law_title, o.title, o.description, o.status, o.note, o.updated_at, o.id,
              o.organisation_id, expected_version}) == 1;
}

std::optional<Obligation> FindObligation(db::Tx& tx, const std::string& org_id,
                                         const std::string& id) {
  auto r = tx.QueryOne(
      std::string("SELECT ") + kObligationColumns + "WHERE o.id = $1 AND o.organisation_id = $2",
      {id, org_id});
  if (!r) return std::nullopt;
  Obligation o = ObligationFromRow(*r);
  for (const auto& e : tx.Query(std::string("SELECT ") + kEvidenceColumns +
                                    "WHERE obligation_id = $1 ORDER BY added_at, id",
                                {o.id})) {
    o.evidence.push_back(EvidenceFromRow(e));
  }
  return o;
}

std::vector<Obligation> ListObligations(db::Tx& tx, const std::string& org_id) {
  std::vector<Obligation> out;
  for (const auto& r : tx.Query(std::string("SELECT ") + kObligationColumns +
                                    "WHERE o.organisation_id = $1 ORDER BY o.law_title, "
                                    "o.obligation_urn, o.title, o.id LIMIT 2000",
                                {org_id})) {
    out.push_back(ObligationFromRow(r));
  }
  return out;
}

bool HasAdopted(db::Tx& tx, const std::string& org_id, const std::string& law_urn) {
  return tx
      .QueryOne("SELECT 1 FROM isms_obligations WHERE organisation_id = $1 AND law_urn = $2",
                {org_id, law_urn})
      .has_value();
}

void InsertObligationEvidence(db::Tx& tx, const std::string& obligation_id, const Evidence& ev) {
  tx.Exec(
      "INSERT INTO isms_obligation_evidence (id, obligation_id, kind, url, file_sha256, name, "
      "media_type, size, description, added_by, added_by_name, added_at) VALUES ($1, $2, $3, $4, "
      "$5, $6, $7, $8, $9, $10, $11, $12)",
      {ev.id, obligation_id, ev.kind, ev.url, ev.sha256, ev.name, ev.media_type, ev.size,
       ev.description, ev.added_by, ev.added_by_name, ev.added_at});
}

std::optional<Evidence> FindObligationEvidence(db::Tx& tx, const std::string& obligation_id,
                                               const std::string& id) {
  auto r = tx.QueryOne(
      std::string("SELECT ") + kEvidenceColumns + "WHERE id = $1 AND obligation_id = $2",
      {id, obligation_id});
  if (!r) return std::nullopt;
  return EvidenceFromRow(*r);
}

void DeleteObligationEvidence(db::Tx& tx, const std::string& id) {
  tx.Exec("DELETE FROM isms_obligation_evidence WHERE id = $1", {id});
}

void TouchObligation(db::Tx& tx, const std::string& id, Millis now) {
  tx.Exec("UPDATE isms_obligations SET version = version + 1, updated_at = $1 WHERE id = $2",
          {now, id});
}

}  // namespace rampart::isms
