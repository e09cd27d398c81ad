#include "sharing/stix.h"

#include <openssl/evp.h>
#include <simdjson.h>

#include <algorithm>
#include <array>
#include <cstdio>

#include "platform/json_writer.h"

namespace rampart::sharing::stix {

namespace {

using incidents::ObservableType;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsHex(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

int Digits(std::string_view s, std::size_t at, std::size_t n) {
  int v = 0;
  for (std::size_t i = at; i < at + n; ++i) v = v * 10 + (s[i] - '0');
  return v;
}

// Days since 1970-01-01 of a civil date (proleptic Gregorian).
std::int64_t DaysFromCivil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

bool IsUuidText(std::string_view s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < 36; ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (s[i] != '-') return false;
    } else if (!IsHex(s[i])) {
      return false;
    }
  }
  return true;
}

// ---- the rules of each type ----

enum class Kind { kDomain, kMarking, kObservable, kMeta, kCustom };

struct TypeRule {
  std::string_view type;
  Kind kind;
  std::array<std::string_view, 4> required;  // beyond the common properties of the kind
};

constexpr TypeRule kRules[] = {
    {"attack-pattern", Kind::kDomain, {"name"}},
    {"campaign", Kind::kDomain, {"name"}},
    {"course-of-action", Kind::kDomain, {"name"}},
    {"grouping", Kind::kDomain, {"context", "object_refs"}},
    {"identity", Kind::kDomain, {"name"}},
    {"incident", Kind::kDomain, {"name"}},
    {"indicator", Kind::kDomain, {"pattern", "pattern_type", "valid_from"}},
    {"infrastructure", Kind::kDomain, {"name"}},
    {"intrusion-set", Kind::kDomain, {"name"}},
    {"location", Kind::kDomain, {}},
    {"malware", Kind::kDomain, {"is_family"}},
    {"malware-analysis", Kind::kDomain, {"product"}},
    {"note", Kind::kDomain, {"content", "object_refs"}},
    {"observed-data", Kind::kDomain, {"first_observed", "last_observed", "number_observed"}},
    {"opinion", Kind::kDomain, {"opinion", "object_refs"}},
    {"report", Kind::kDomain, {"name", "published", "object_refs"}},
    {"threat-actor", Kind::kDomain, {"name"}},
    {"tool", Kind::kDomain, {"name"}},
    {"vulnerability", Kind::kDomain, {"name"}},
    {"relationship", Kind::kDomain, {"relationship_type", "source_ref", "target_ref"}},
    {"sighting", Kind::kDomain, {"sighting_of_ref"}},
    {"marking-definition", Kind::kMarking, {}},
    {"language-content", Kind::kMeta, {"object_ref", "contents"}},
    {"extension-definition", Kind::kMeta, {"name", "schema", "version", "extension_types"}},
    {"artifact", Kind::kObservable, {}},
    {"autonomous-system", Kind::kObservable, {"number"}},
    {"directory", Kind::kObservable, {"path"}},
    {"domain-name", Kind::kObservable, {"value"}},
    {"email-addr", Kind::kObservable, {"value"}},
    {"email-message", Kind::kObservable, {"is_multipart"}},
    {"file", Kind::kObservable, {}},
    {"ipv4-addr", Kind::kObservable, {"value"}},
    {"ipv6-addr", Kind::kObservable, {"value"}},
    {"mac-addr", Kind::kObservable, {"value"}},
    {"mutex", Kind::kObservable, {"name"}},
    {"network-traffic", Kind::kObservable, {"protocols"}},
    {"process", Kind::kObservable, {}},
    {"software", Kind::kObservable, {"name"}},
    {"url", Kind::kObservable, {"value"}},
    {"user-account", Kind::kObservable, {}},
    {"windows-registry-key", Kind::kObservable, {}},
    {"x509-certificate", Kind::kObservable, {}},
};

const TypeRule* RuleOf(std::string_view type) {
  for (const auto& r : kRules) {
    if (r.type == type) return &r;
  }
  return nullptr;
}

// Properties whose value is a timestamp wherever the specification uses them.
bool IsTimestampProperty(std::string_view key) {
  static constexpr std::string_view kNames[] = {"created",
                                                "modified",
                                                "valid_from",
                                                "valid_until",
                                                "first_seen",
                                                "last_seen",
                                                "first_observed",
                                                "last_observed",
                                                "published",
                                                "start_time",
                                                "stop_time",
                                                "object_modified",
                                                "analysis_started",
                                                "analysis_ended",
                                                "submitted",
                                                "ctime",
                                                "mtime",
                                                "atime"};
  return std::find(std::begin(kNames), std::end(kNames), key) != std::end(kNames);
}

// The TLP marking ids STIX 2.1 itself defines (TLP 1.0), read as the TLP 2.0 label that replaced
// each: WHITE became CLEAR.
std::optional<Tlp> TlpFromAnyMarking(std::string_view id) {
  if (auto t = TlpFromMarkingId(id)) return t;
  if (id == "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9") return Tlp::kClear;
  if (id == "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da") return Tlp::kGreen;
  if (id == "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82") return Tlp::kAmber;
  if (id == "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed") return Tlp::kRed;
  return std::nullopt;
}

// JSON string escaping for the few texts built here.
void AppendQuoted(std::string& out, std::string_view s) {
  JsonWriter w;
  w.String(s);
  out += w.str();
}

}  // namespace

// ---- timestamps and identifiers ----

std::optional<std::int64_t> ParseTimestamp(std::string_view s) {
  // YYYY-MM-DDTHH:MM:SS[.f+]Z
  if (s.size() < 20 || s.back() != 'Z') return std::nullopt;
  static constexpr std::size_t kDigits[] = {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18};
  for (std::size_t i : kDigits) {
    if (!IsDigit(s[i])) return std::nullopt;
  }
  if (s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':') {
    return std::nullopt;
  }
  const int year = Digits(s, 0, 4), month = Digits(s, 5, 2), day = Digits(s, 8, 2);
  const int hour = Digits(s, 11, 2), minute = Digits(s, 14, 2), second = Digits(s, 17, 2);
  static constexpr int kMonthDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1) return std::nullopt;
  const int days_in_month = kMonthDays[month - 1] + (month == 2 && IsLeap(year) ? 1 : 0);
  // A leap second (":60") is accepted as RFC 3339 allows it, and counted as the next second.
  if (day > days_in_month || hour > 23 || minute > 59 || second > 60) return std::nullopt;
  std::int64_t micros = 0;
  std::size_t i = 19;
  if (s[i] == '.') {
    ++i;
    std::size_t n = 0;
    while (i < s.size() - 1 && IsDigit(s[i])) {
      if (n < 6) micros = micros * 10 + (s[i] - '0');
      ++n;
      ++i;
    }
    if (n == 0) return std::nullopt;
    for (std::size_t k = n; k < 6; ++k) micros *= 10;
  }
  if (i != s.size() - 1) return std::nullopt;
  const std::int64_t days =
      DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  return ((days * 24 + hour) * 60 + minute) * 60'000'000LL + second * 1'000'000LL + micros;
}

namespace {
std::string FormatWith(std::int64_t micros, int fraction_digits) {
  std::int64_t secs = micros >= 0 ? micros / 1'000'000 : (micros - 999'999) / 1'000'000;
  std::int64_t frac = micros - secs * 1'000'000;
  std::int64_t days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
  std::int64_t rem = secs - days * 86400;
  // civil_from_days
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
  char buf[96];
  if (fraction_digits == 3) {
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lld.%03lldZ",
                  static_cast<long long>(y), m, d, static_cast<long long>(rem / 3600),
                  static_cast<long long>(rem / 60 % 60), static_cast<long long>(rem % 60),
                  static_cast<long long>(frac / 1000));
  } else {
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lld.%06lldZ",
                  static_cast<long long>(y), m, d, static_cast<long long>(rem / 3600),
                  static_cast<long long>(rem / 60 % 60), static_cast<long long>(rem % 60),
                  static_cast<long long>(frac));
  }
  return buf;
}
}  // namespace

std::string FormatTimestamp(std::int64_t micros) { return FormatWith(micros, 6); }
std::string FormatMillis(std::int64_t millis) { return FormatWith(millis * 1000, 3); }

bool IsTypeName(std::string_view t) {
  if (t.size() < 3 || t.size() > 250 || t.front() == '-' || t.back() == '-') return false;
  if (t.find("--") != std::string_view::npos) return false;
  return std::all_of(t.begin(), t.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || IsDigit(c) || c == '-'; });
}

std::string_view TypeOf(std::string_view id) {
  auto pos = id.find("--");
  return pos == std::string_view::npos ? std::string_view{} : id.substr(0, pos);
}

bool IsIdentifier(std::string_view id, std::string_view type) {
  auto pos = id.find("--");
  if (pos == std::string_view::npos) return false;
  auto t = id.substr(0, pos);
  if (!IsTypeName(t) || (!type.empty() && t != type)) return false;
  return IsUuidText(id.substr(pos + 2));
}

std::string ObjectError::Describe(std::size_t index) const {
  std::string out = "objects[" + std::to_string(index) + "]";
  if (!id.empty()) out += " (" + id + ")";
  out += ": ";
  if (!property.empty()) out += "'" + property + "' ";
  out += message;
  return out;
}

// ---- checking one object ----

struct ObjectChecker::Impl {
  simdjson::ondemand::parser parser;
};

ObjectChecker::ObjectChecker() : impl_(std::make_unique<Impl>()) {}
ObjectChecker::~ObjectChecker() = default;

Checked ObjectChecker::Check(std::string& json) {
  using simdjson::ondemand::json_type;
  Checked out;
  auto fail = [&](std::string property, std::string message) {
    out.error = ObjectError{out.info.id, std::move(property), std::move(message)};
    return out;
  };
  const std::size_t size = json.size();
  if (json.capacity() < size + simdjson::SIMDJSON_PADDING) {
    json.reserve(size + simdjson::SIMDJSON_PADDING);
  }
  simdjson::padded_string_view view(json.data(), size, json.capacity());
  simdjson::ondemand::document doc;
  if (impl_->parser.iterate(view).get(doc) != simdjson::SUCCESS) {
    return fail("", "is not valid JSON");
  }
  simdjson::ondemand::object obj;
  if (doc.get_object().get(obj) != simdjson::SUCCESS) return fail("", "is not a JSON object");

  // Properties seen, for the required-property check after the walk (the order of properties is
  // free, and `type` may come last).
  std::vector<std::string> seen;
  seen.reserve(16);
  std::optional<ObjectError> late;  // the first problem found before `id` was known
  auto note = [&](std::string property, std::string message) {
    if (!late) late = ObjectError{"", std::move(property), std::move(message)};
  };
  bool has_spec_version = false;
  try {
    for (auto field : obj) {
      std::string_view key = field.unescaped_key().value();
      simdjson::ondemand::value value = field.value().value();
      const json_type jt = value.type().value();
      seen.emplace_back(key);
      if (key == "type") {
        if (jt != json_type::string) {
          note("type", "must be a string");
          continue;
        }
        out.info.type = std::string(value.get_string().value());
      } else if (key == "id") {
        if (jt != json_type::string) {
          note("id", "must be a string");
          continue;
        }
        out.info.id = std::string(value.get_string().value());
      } else if (key == "spec_version") {
        has_spec_version = true;
        if (jt != json_type::string) {
          note("spec_version", "must be the string \"2.1\"");
          continue;
        }
        out.info.spec_version = std::string(value.get_string().value());
      } else if (key == "revoked") {
        if (jt != json_type::boolean) {
          note("revoked", "must be true or false");
          continue;
        }
        out.info.revoked = value.get_bool().value();
      } else if (key == "name" && jt == json_type::string) {
        out.info.name = std::string(value.get_string().value());
      } else if (key == "object_marking_refs") {
        if (jt != json_type::array) {
          note(std::string(key), "must be an array of marking-definition ids");
          continue;
        }
        // A local: a range-for over value() of the temporary result would read it after its end.
        simdjson::ondemand::array items = value.get_array().value();
        for (auto el : items) {
          std::string_view ref;
          if (el.get_string().get(ref) != simdjson::SUCCESS ||
              !IsIdentifier(ref, "marking-definition")) {
            note(std::string(key), "must name marking definitions (marking-definition--<uuid>)");
            break;
          }
          if (auto t = TlpFromAnyMarking(ref); t && (!out.info.tlp || *t > *out.info.tlp)) {
            out.info.tlp = t;
          }
        }
      } else if (key == "external_references" && jt == json_type::array) {
        // ATT&CK names a technique by the external id of its "mitre-attack" reference.
        // A local: a range-for over value() of the temporary result would read it after its end.
        simdjson::ondemand::array items = value.get_array().value();
        for (auto el : items) {
          simdjson::ondemand::object ref;
          if (el.get_object().get(ref) != simdjson::SUCCESS) continue;
          std::string source, external;
          for (auto f : ref) {
            std::string_view k = f.unescaped_key().value();
            std::string_view v;
            if (k == "source_name" && f.value().get_string().get(v) == simdjson::SUCCESS) {
              source = std::string(v);
            } else if (k == "external_id" && f.value().get_string().get(v) == simdjson::SUCCESS) {
              external = std::string(v);
            }
          }
          if (source == "mitre-attack" && !external.empty() && !out.info.external_id) {
            out.info.external_id = external;
          }
        }
      } else if (IsTimestampProperty(key)) {
        if (jt != json_type::string) {
          note(std::string(key), "must be a timestamp string");
          continue;
        }
        std::string_view text = value.get_string().value();
        if (!ParseTimestamp(text)) {
          note(std::string(key), "is not an RFC 3339 timestamp in UTC ending in Z: \"" +
                                     std::string(text.substr(0, 64)) + "\"");
          continue;
        }
        if (key == "created") out.info.created = std::string(text);
        if (key == "modified") out.info.modified = std::string(text);
      } else if (key.size() > 4 && key.ends_with("_ref")) {
        std::string_view ref;
        if (jt != json_type::string || value.get_string().get(ref) != simdjson::SUCCESS ||
            !IsIdentifier(ref)) {
          note(std::string(key), "must be a STIX identifier (<type>--<uuid>)");
        }
      } else if (key.size() > 5 && key.ends_with("_refs")) {
        if (jt != json_type::array) {
          note(std::string(key), "must be an array of STIX identifiers");
          continue;
        }
        // A local: a range-for over value() of the temporary result would read it after its end.
        simdjson::ondemand::array items = value.get_array().value();
        for (auto el : items) {
          std::string_view ref;
          if (el.get_string().get(ref) != simdjson::SUCCESS || !IsIdentifier(ref)) {
            note(std::string(key), "must be an array of STIX identifiers (<type>--<uuid>)");
            break;
          }
        }
      }
    }
  } catch (const simdjson::simdjson_error&) {
    return fail("", "is not valid JSON");
  }

  auto has = [&](std::string_view k) {
    return std::find(seen.begin(), seen.end(), k) != seen.end();
  };
  if (out.info.type.empty()) return fail("type", "is missing");
  if (!IsTypeName(out.info.type)) {
    return fail("type", "is not a STIX type name: \"" + out.info.type.substr(0, 64) + "\"");
  }
  if (out.info.id.empty()) return fail("id", "is missing");
  if (!IsIdentifier(out.info.id, out.info.type)) {
    std::string shown = out.info.id.substr(0, 100);
    out.info.id.clear();  // not an id to name the object by
    return fail("id", "must be \"" + out.info.type + "--<uuid>\", not \"" + shown + "\"");
  }
  if (late) {
    late->id = out.info.id;
    out.error = *late;
    return out;
  }
  const TypeRule* rule = RuleOf(out.info.type);
  const Kind kind = rule ? rule->kind : Kind::kCustom;
  if (kind != Kind::kObservable && !has_spec_version) return fail("spec_version", "is missing");
  if (out.info.spec_version != "2.1") {
    return fail("spec_version",
                "must be \"2.1\", not \"" + out.info.spec_version.substr(0, 16) + "\"");
  }
  if (kind == Kind::kDomain || kind == Kind::kMeta || kind == Kind::kCustom) {
    // Custom objects follow the common properties of domain objects, as the specification asks.
    if (!out.info.created) return fail("created", "is missing");
    if (!out.info.modified) return fail("modified", "is missing");
    if (*ParseTimestamp(*out.info.modified) < *ParseTimestamp(*out.info.created)) {
      return fail("modified", "is earlier than created");
    }
  }
  if (kind == Kind::kMarking && !out.info.created) return fail("created", "is missing");
  if (rule != nullptr) {
    for (std::string_view r : rule->required) {
      if (!r.empty() && !has(r)) return fail(std::string(r), "is missing");
    }
  }
  if (out.info.modified) {
    out.info.version_us = ParseTimestamp(*out.info.modified);
  } else if (out.info.created) {
    out.info.version_us = ParseTimestamp(*out.info.created);
  }
  return out;
}

// ---- splitting a bundle ----

BundleScanner::BundleScanner(std::size_t max_object_bytes, bool envelope)
    : max_object_bytes_(max_object_bytes), envelope_(envelope) {}

std::string BundleScanner::Fail(std::string message) {
  error_ = std::move(message);
  return error_;
}

std::string BundleScanner::Feed(std::string_view bytes, const OnObject& on_object) {
  if (!error_.empty()) return error_;
  const bool collecting_at_start = depth_ >= 3;
  std::size_t run_start = collecting_at_start ? 0 : std::string_view::npos;
  // Bytes of the object being collected are appended in runs, not one by one.
  auto flush = [&](std::size_t end) {
    if (run_start != std::string_view::npos && end > run_start) {
      element_.append(bytes.data() + run_start, end - run_start);
    }
    run_start = std::string_view::npos;
  };
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const char c = bytes[i];
    if (in_string_) {
      if (escape_) {
        escape_ = false;
      } else if (c == '\\') {
        escape_ = true;
      } else if (c == '"') {
        in_string_ = false;
        if (reading_key_) reading_key_ = false;
        if (reading_type_) reading_type_ = false;
      } else if (reading_key_) {
        if (key_.size() < 64) key_.push_back(c);
      } else if (reading_type_) {
        if (type_.size() < 64) type_.push_back(c);
      }
      continue;
    }
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
    if (ended_) {
      flush(i);
      return Fail("unexpected text after the bundle at byte " + std::to_string(offset_ + i));
    }
    if (!started_) {
      if (c != '{') return Fail("the file is not a JSON object (a STIX bundle)");
      started_ = true;
      depth_ = 1;
      expect_key_ = true;
      continue;
    }
    switch (c) {
      case '"':
        in_string_ = true;
        if (depth_ == 1 && expect_key_) {
          reading_key_ = true;
          expect_key_ = false;
          key_.clear();
        } else if (depth_ == 1 && value_key_ == "type") {
          reading_type_ = true;
          type_.clear();
        }
        break;
      case ':':
        if (depth_ == 1) value_key_ = key_;
        break;
      case ',':
        if (depth_ == 1) expect_key_ = true;
        break;
      case '{':
      case '[':
        ++depth_;
        if (depth_ == 2 && value_key_ == "objects") {
          if (c != '[') return Fail("\"objects\" must be an array");
          in_objects_ = true;
          seen_objects_ = true;
        } else if (depth_ == 3 && in_objects_) {
          if (c != '{') return Fail("objects[" + std::to_string(count_) + "] is not an object");
          element_.clear();
          run_start = i;
        }
        if (depth_ > 200) return Fail("the bundle nests deeper than 200 levels");
        break;
      case '}':
      case ']':
        if (depth_ == 3 && in_objects_) {
          flush(i + 1);
          if (c != '}') return Fail("objects[" + std::to_string(count_) + "] is not an object");
          const std::size_t index = count_++;
          --depth_;
          if (!on_object(element_, index)) {
            stopped_ = true;
            return "";
          }
          continue;
        }
        --depth_;
        if (depth_ == 1 && in_objects_) in_objects_ = false;
        if (depth_ == 0) ended_ = true;
        break;
      default:
        if (depth_ == 2 && in_objects_) {
          return Fail("objects[" + std::to_string(count_) + "] is not an object");
        }
        break;
    }
    if (depth_ >= 3 && run_start == std::string_view::npos) run_start = i + 1;
    if (depth_ < 3) run_start = std::string_view::npos;
  }
  flush(bytes.size());
  if (element_.size() > max_object_bytes_) {
    return Fail("objects[" + std::to_string(count_) + "] is larger than " +
                std::to_string(max_object_bytes_ >> 20) + " MiB");
  }
  offset_ += bytes.size();
  return "";
}

std::string BundleScanner::Finish() const {
  if (!error_.empty()) return error_;
  if (stopped_) return "";
  if (!started_) return "the file is empty: a STIX bundle was expected";
  if (!ended_) return "the bundle ends before its closing brace";
  if (!envelope_ && type_ != "bundle")
    return "the document is not a STIX bundle (its \"type\" is not \"bundle\")";
  if (!seen_objects_ && !envelope_) return "the bundle has no \"objects\" array";
  return "";
}

// ---- exports ----

std::string UuidV5(std::string_view namespace_uuid, std::string_view name) {
  std::string bytes;
  for (std::size_t i = 0; i < namespace_uuid.size(); ++i) {
    if (namespace_uuid[i] == '-') continue;
    auto hex = [](char h) { return h <= '9' ? h - '0' : (h | 0x20) - 'a' + 10; };
    bytes.push_back(static_cast<char>(hex(namespace_uuid[i]) * 16 + hex(namespace_uuid[i + 1])));
    ++i;
  }
  bytes.append(name);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &len, EVP_sha1(), nullptr);
  digest[6] = static_cast<unsigned char>((digest[6] & 0x0f) | 0x50);
  digest[8] = static_cast<unsigned char>((digest[8] & 0x3f) | 0x80);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 15]);
  }
  return out;
}

namespace {

// The namespace STIX 2.1 gives for the deterministic ids of cyber observables.
constexpr std::string_view kStixObservableNamespace = "00abedb4-aa42-466c-9c01-fed23315a9b7";

// Inside a pattern's string literal, quote and backslash are escaped.
std::string PatternLiteral(std::string_view value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\'' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('\'');
  return out;
}

struct ObservableShape {
  std::string_view sco_type;
  std::string_view hash;  // file hash algorithm, or "" for a value
};

std::optional<ObservableShape> ShapeOf(ObservableType type) {
  switch (type) {
    case ObservableType::kIpv4:
      return ObservableShape{"ipv4-addr", ""};
    case ObservableType::kIpv6:
      return ObservableShape{"ipv6-addr", ""};
    case ObservableType::kDomain:
      return ObservableShape{"domain-name", ""};
    case ObservableType::kUrl:
      return ObservableShape{"url", ""};
    case ObservableType::kEmail:
      return ObservableShape{"email-addr", ""};
    case ObservableType::kMd5:
      return ObservableShape{"file", "MD5"};
    case ObservableType::kSha1:
      return ObservableShape{"file", "SHA-1"};
    case ObservableType::kSha256:
      return ObservableShape{"file", "SHA-256"};
    case ObservableType::kSha512:
      return ObservableShape{"file", "SHA-512"};
    case ObservableType::kCve:
      return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> PatternFor(ObservableType type, std::string_view value) {
  auto shape = ShapeOf(type);
  if (!shape) return std::nullopt;
  std::string out = "[";
  out += shape->sco_type;
  if (shape->hash.empty()) {
    out += ":value = ";
  } else {
    out += ":hashes.'";
    out += shape->hash;
    out += "' = ";
  }
  out += PatternLiteral(value);
  out += "]";
  return out;
}

std::optional<std::string> ObservableObject(ObservableType type, std::string_view value,
                                            std::string* id_out) {
  auto shape = ShapeOf(type);
  if (!shape) return std::nullopt;
  // The id contributing properties, serialised canonically (keys sorted, no spaces).
  std::string contributing;
  if (shape->hash.empty()) {
    contributing = "{\"value\":";
    AppendQuoted(contributing, value);
    contributing += "}";
  } else {
    contributing = "{\"hashes\":{";
    AppendQuoted(contributing, shape->hash);
    contributing += ":";
    AppendQuoted(contributing, value);
    contributing += "}}";
  }
  std::string id =
      std::string(shape->sco_type) + "--" + UuidV5(kStixObservableNamespace, contributing);
  JsonWriter w;
  w.BeginObject().KeyString("type", shape->sco_type).KeyString("spec_version", "2.1");
  w.KeyString("id", id);
  if (shape->hash.empty()) {
    w.KeyString("value", value);
  } else {
    w.Key("hashes").BeginObject().KeyString(shape->hash, value).EndObject();
  }
  w.EndObject();
  if (id_out != nullptr) *id_out = id;
  return std::move(w).Take();
}

std::string MarkingDefinition(Tlp tlp) {
  std::string level;
  for (char c : Label(tlp).substr(4)) {
    level.push_back(c == '+' ? '+' : static_cast<char>(c | 0x20));
  }
  JsonWriter w;
  w.BeginObject()
      .KeyString("type", "marking-definition")
      .KeyString("spec_version", "2.1")
      .KeyString("id", MarkingId(tlp))
      .KeyString("created", "2022-10-01T00:00:00.000Z")
      .KeyString("name", Label(tlp))
      .Key("extensions")
      .BeginObject()
      .Key("extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d")
      .BeginObject()
      .KeyString("extension_type", "property-extension")
      .KeyString("tlp_2_0", level)
      .EndObject()
      .EndObject()
      .EndObject();
  return std::move(w).Take();
}

}  // namespace rampart::sharing::stix
