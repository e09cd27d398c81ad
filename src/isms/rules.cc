#include "isms/rules.h"

#include <cmath>
#include <map>

namespace rampart::isms {

using nlohmann::json;

std::string_view Name(Status s) {
  switch (s) {
    case Status::kNotStarted:
      return "not_started";
    case Status::kPlanned:
      return "planned";
    case Status::kPartial:
      return "partial";
    case Status::kImplemented:
      return "implemented";
    case Status::kNotApplicable:
      return "not_applicable";
  }
  return "not_started";
}

std::optional<Status> ParseStatus(std::string_view name) {
  for (Status s : kAllStatuses) {
    if (Name(s) == name) return s;
  }
  return std::nullopt;
}

std::vector<FieldError> CheckEntry(const Entry& e, const std::string& prefix) {
  std::vector<FieldError> out;
  const std::string who = e.requirement_id + ": ";
  if (!e.applicable) {
    if (e.status != Status::kNotApplicable) {
      out.push_back({prefix + "/status", who + "an excluded control must be not_applicable"});
    }
    if (e.justification.text.empty()) {
      out.push_back({prefix + "/justification/text",
                     who + "is required when a control is excluded: say why it does not apply"});
    }
    if (e.maturity) {
      out.push_back({prefix + "/maturity", who + "an excluded control has no maturity"});
    }
  } else if (e.status == Status::kNotApplicable) {
    out.push_back({prefix + "/status",
                   who + "not_applicable is for excluded controls: set applicable to false"});
  }
  if (e.maturity && (*e.maturity < 0 || *e.maturity > 5)) {
    out.push_back({prefix + "/maturity", who + "must be between 0 and 5"});
  }
  return out;
}

std::optional<double> Posture(const Counts& c) {
  if (c.applicable <= 0) return std::nullopt;
  const double done = static_cast<double>(c.Of(Status::kImplemented)) +
                      0.5 * static_cast<double>(c.Of(Status::kPartial));
  return std::round(1000.0 * done / static_cast<double>(c.applicable)) / 10.0;
}

json EntryState(const Entry& e) {
  json evidence = json::array();
  for (const auto& ev : e.evidence) {
    evidence.push_back(json{
        {"kind", ev.kind},
        {"name", ev.name},
        {"target", ev.kind == "link" ? ev.url.value_or("") : "sha256:" + ev.sha256.value_or("")}});
  }
  json j = json::object();
  j["requirement_id"] = e.requirement_id;
  j["applicable"] = e.applicable;
  j["justification"] = json{{"legal", e.justification.legal},
                            {"contractual", e.justification.contractual},
                            {"business", e.justification.business},
                            {"best_practice", e.justification.best_practice},
                            {"risk_analysis", e.justification.risk_analysis},
                            {"text", e.justification.text}};
  j["status"] = std::string(Name(e.status));
  j["maturity"] = e.maturity ? json(*e.maturity) : json(nullptr);
  j["owner_id"] = e.owner_id ? json(*e.owner_id) : json(nullptr);
  j["note"] = e.note;
  j["evidence"] = std::move(evidence);
  j["risks"] = e.risks;
  return j;
}

namespace {

// Leaves of an entry state, "justification.text" style; arrays are compared whole.
void Flatten(const json& j, const std::string& prefix, std::map<std::string, json>& out) {
  if (j.is_object()) {
    for (const auto& [k, v] : j.items()) {
      Flatten(v, prefix.empty() ? k : prefix + "." + k, out);
    }
  } else {
    out[prefix] = j;
  }
}

}  // namespace

std::vector<EntryChange> Diff(const json& from, const json& to) {
  std::map<std::string, const json*> before;
  for (const auto& e : from) before[e.at("requirement_id").get<std::string>()] = &e;
  std::vector<EntryChange> out;
  std::map<std::string, bool> seen;
  auto compare = [&](const std::string& id, const json* a, const json* b) {
    std::map<std::string, json> fa, fb;
    if (a) Flatten(*a, "", fa);
    if (b) Flatten(*b, "", fb);
    EntryChange c{id, {}};
    std::map<std::string, bool> keys;
    for (const auto& [k, v] : fa) keys[k] = true;
    for (const auto& [k, v] : fb) keys[k] = true;
    for (const auto& [k, unused] : keys) {
      if (k == "requirement_id") continue;
      json va = fa.contains(k) ? fa[k] : json(nullptr);
      json vb = fb.contains(k) ? fb[k] : json(nullptr);
      if (va != vb) c.fields.push_back({k, std::move(va), std::move(vb)});
    }
    if (!c.fields.empty()) out.push_back(std::move(c));
  };
  for (const auto& e : to) {
    const std::string id = e.at("requirement_id").get<std::string>();
    seen[id] = true;
    auto it = before.find(id);
    compare(id, it == before.end() ? nullptr : it->second, &e);
  }
  for (const auto& e : from) {
    const std::string id = e.at("requirement_id").get<std::string>();
    if (!seen.contains(id)) compare(id, &e, nullptr);
  }
  return out;
}

}  // namespace rampart::isms
