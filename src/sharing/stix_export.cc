#include "sharing/stix_export.h"

#include <set>
#include <vector>

#include "incidents/observables.h"
#include "platform/crypto.h"
#include "platform/json_writer.h"
#include "sharing/disclosure.h"
#include "sharing/stix.h"
#include "sharing/store.h"

namespace rampart::sharing {

namespace {

// Rampart's namespace for the deterministic ids of what it exports.
constexpr std::string_view kRampartNamespace = "6b1f7c52-0f3e-4a8d-b1c9-2d7e5a4f8c30";
constexpr std::string_view kIncidentExtension =
    "extension-definition--ef765651-680c-498d-9894-99799f2fa126";

std::string IdFor(std::string_view type, std::string_view name) {
  return std::string(type) + "--" + stix::UuidV5(kRampartNamespace, name);
}

class BundleWriter {
 public:
  explicit BundleWriter(std::string identity_id) : identity_(std::move(identity_id)) {}

  // Starts an object with the common properties of a domain object.
  JsonWriter& Begin(std::string_view type, const std::string& id, Millis created, Millis modified,
                    Tlp tlp) {
    labels_.insert(tlp);
    ++objects_;
    w_.BeginObject()
        .KeyString("type", type)
        .KeyString("spec_version", "2.1")
        .KeyString("id", id)
        .KeyString("created", stix::FormatMillis(created))
        .KeyString("modified", stix::FormatMillis(modified))
        .KeyString("created_by_ref", identity_);
    w_.Key("object_marking_refs").BeginArray().String(MarkingId(tlp)).EndArray();
    return w_;
  }
  JsonWriter& Raw(std::string_view json, Tlp tlp) {
    labels_.insert(tlp);
    ++objects_;
    return w_.Raw(json);
  }
  void Relationship(std::string_view type, const std::string& source, const std::string& target,
                    Millis at, Tlp tlp) {
    Begin("relationship", IdFor("relationship", source + std::string(type) + target), at, at, tlp)
        .KeyString("relationship_type", type)
        .KeyString("source_ref", source)
        .KeyString("target_ref", target)
        .EndObject();
  }
  JsonWriter& w() { return w_; }
  const std::set<Tlp>& labels() const { return labels_; }
  std::int64_t objects() const { return objects_; }

 private:
  std::string identity_;
  JsonWriter w_;
  std::set<Tlp> labels_;
  std::int64_t objects_ = 0;
};

// The observables as indicators (with a related-to relationship to `subject`); returns the ids
// of the cyber observables made of them (for observed-data), appending their objects.
std::vector<std::string> WriteIndicators(
    BundleWriter& b, const std::string& subject, const std::string& salt,
    const std::vector<std::pair<std::string, std::string>>& obs, const std::vector<Tlp>& labels,
    Millis at, std::vector<std::string>* refs, ExportCounts* counts, bool with_observables) {
  std::vector<std::string> sco_ids;
  for (std::size_t i = 0; i < obs.size(); ++i) {
    auto type = incidents::ParseObservableType(obs[i].first);
    if (!type) continue;
    auto pattern = stix::PatternFor(*type, obs[i].second);
    if (!pattern) continue;
    const std::string id = IdFor("indicator", salt + "|" + obs[i].first + "|" + obs[i].second);
    b.Begin("indicator", id, at, at, labels[i])
        .KeyString("name", obs[i].second)
        .Key("indicator_types")
        .BeginArray()
        .String("malicious-activity")
        .EndArray()
        .KeyString("pattern", *pattern)
        .KeyString("pattern_type", "stix")
        .KeyString("valid_from", stix::FormatMillis(at))
        .EndObject();
    refs->push_back(id);
    ++counts->indicators;
    b.Relationship("related-to", id, subject, at, labels[i]);
    if (with_observables) {
      std::string sco_id;
      if (auto sco = stix::ObservableObject(*type, obs[i].second, &sco_id)) {
        b.Raw(*sco, labels[i]);
        sco_ids.push_back(sco_id);
      }
    }
  }
  return sco_ids;
}

}  // namespace

std::string ExportBundle(db::Tx& tx, const std::string& org_id, ExportCounts* counts_out) {
  ExportCounts counts;
  auto org =
      tx.QueryOne("SELECT name, created_at, kind FROM organisations WHERE id = $1", {org_id});
  const std::string identity = IdFor("identity", org_id);
  BundleWriter b(identity);
  b.w().BeginObject().KeyString("type", "bundle").KeyString("id", "bundle--" + crypto::NewUuid());
  b.w().Key("objects").BeginArray();
  const Millis org_created = org ? org->Int(1) : 0;
  // The author is shared as widely as anything it authored: its name is in the directory of
  // every organisation of the platform.
  b.Begin("identity", identity, org_created, org_created, Tlp::kGreen)
      .KeyString("name", org ? org->Text(0) : org_id)
      .KeyString("identity_class", "organization")
      .EndObject();

  // Advisories: the current published revision of each series.
  for (const auto& r : tx.Query(
           "SELECT id FROM advisories WHERE author_org_id = $1 AND state = 'published' ORDER BY "
           "published_at, id",
           {org_id})) {
    auto a = FindAdvisory(tx, r.Text(0));
    if (!a) continue;
    const Millis at = a->published_at.value_or(a->updated_at);
    const std::string report_id = IdFor("report", a->series_id);
    std::vector<std::string> refs;
    std::vector<std::string> vulns;
    for (const auto& cve : a->cve_ids) {
      const std::string id = IdFor("vulnerability", cve);
      b.Begin("vulnerability", id, at, at, a->tlp)
          .KeyString("name", cve)
          .Key("external_references")
          .BeginArray()
          .BeginObject()
          .KeyString("source_name", "cve")
          .KeyString("external_id", cve)
          .EndObject()
          .EndArray()
          .EndObject();
      refs.push_back(id);
      vulns.push_back(id);
    }
    if (!a->recommended_actions.empty()) {
      const std::string id = IdFor("course-of-action", a->series_id);
      b.Begin("course-of-action", id, at, at, a->tlp)
          .KeyString("name", "Recommended actions: " + a->title)
          .KeyString("description", a->recommended_actions)
          .EndObject();
      refs.push_back(id);
      for (const auto& v : vulns) {
        b.Relationship("mitigates", id, v, at, a->tlp);
        refs.push_back(IdFor("relationship", id + "mitigates" + v));
      }
    }
    std::vector<std::pair<std::string, std::string>> obs;
    for (const auto& o : a->observables) obs.emplace_back(o.type, o.value);
    std::vector<Tlp> labels(obs.size(), a->tlp);
    WriteIndicators(b, report_id, a->series_id, obs, labels, at, &refs, &counts, false);
    if (refs.empty()) refs.push_back(identity);  // a report refers to at least one object
    b.Begin("report", report_id, a->created_at, at, a->tlp)
        .KeyString("name", a->title)
        .KeyString("description", a->summary)
        .Key("report_types")
        .BeginArray()
        .String("threat-report")
        .EndArray()
        .KeyString("published", stix::FormatMillis(at))
        .KeyString("x_rampart_reference", a->reference)
        .KeyInt("x_rampart_revision", a->revision)
        .KeyString("x_rampart_severity", Name(a->severity));
    b.w().Key("object_refs").BeginArray();
    for (const auto& ref : refs) b.w().String(ref);
    b.w().EndArray().EndObject();
    ++counts.reports;
  }

  // Incident shares the organisation published (after the reporter's consent).
  for (const auto& r : tx.Query(
           "SELECT id FROM shared_incidents WHERE author_org_id = $1 ORDER BY published_at, id",
           {org_id})) {
    auto s = FindSharedIncident(tx, r.Text(0));
    if (!s) continue;
    const Millis at = s->published_at;
    const std::string incident_id = IdFor("incident", s->id);
    b.Begin("incident", incident_id, at, at, s->audience.tlp)
        .KeyString("name", s->title)
        .KeyString("description", s->text)
        .KeyString("x_rampart_reference", s->reference)
        .KeyString("x_rampart_reported_by", s->organisation_label)
        .KeyOptString("x_rampart_severity", s->severity)
        .KeyOptString("x_rampart_rsit_class", s->rsit_class)
        .KeyOptString("x_rampart_rsit_type", s->rsit_type)
        .Key("extensions")
        .BeginObject()
        .Key(kIncidentExtension)
        .BeginObject()
        .KeyString("extension_type", "property-extension")
        .KeyString("determination", "confirmed")
        .EndObject()
        .EndObject()
        .EndObject();
    ++counts.incidents;
    std::vector<std::pair<std::string, std::string>> obs;
    std::vector<Tlp> labels;
    Tlp strictest = Tlp::kClear;
    for (const auto& o : s->observables) {
      obs.emplace_back(o.type, o.value);
      labels.push_back(o.tlp);
      if (o.tlp > strictest) strictest = o.tlp;
    }
    std::vector<std::string> refs;
    auto scos = WriteIndicators(b, incident_id, s->id, obs, labels, at, &refs, &counts, true);
    if (!scos.empty()) {
      // One observation of all the values, labelled as strictly as the strictest of them.
      const std::string od = IdFor("observed-data", s->id);
      b.Begin("observed-data", od, at, at, strictest)
          .KeyString("first_observed", stix::FormatMillis(at))
          .KeyString("last_observed", stix::FormatMillis(at))
          .KeyInt("number_observed", 1);
      b.w().Key("object_refs").BeginArray();
      for (const auto& id : scos) b.w().String(id);
      b.w().EndArray().EndObject();
      b.Relationship("related-to", od, incident_id, at, strictest);
    }
  }

  // The official marking definitions of every label used.
  const auto labels = b.labels();
  for (Tlp t : labels) b.w().Raw(stix::MarkingDefinition(t));
  b.w().EndArray().EndObject();
  counts.objects = b.objects() + static_cast<std::int64_t>(labels.size());
  if (counts_out != nullptr) *counts_out = counts;
  return std::move(b.w()).Take();
}

}  // namespace rampart::sharing
