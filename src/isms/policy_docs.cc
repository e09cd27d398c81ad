#include "isms/policy_docs.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "platform/embedded.h"

namespace rampart::isms {

namespace {

using nlohmann::json;

constexpr std::string_view kTemplatesPath = "catalogues/policy-templates.json";

// The shipped templates, parsed once. A broken file is a build mistake: it fails the first use
// (and the unit test) with the file's name.
const json& Templates() {
  static const json doc = [] {
    for (const auto& e : EmbeddedFiles()) {
      if (e.path == kTemplatesPath) {
        json d = json::parse(e.data);
        if (d.value("format", "") != "rampart-policy-templates/1") {
          throw std::logic_error(std::string(kTemplatesPath) + ": unknown format");
        }
        return d;
      }
    }
    throw std::logic_error(std::string(kTemplatesPath) + " is not compiled in");
  }();
  return doc;
}

std::string JoinWords(const std::vector<std::string>& items, std::string_view none) {
  if (items.empty()) return std::string(none);
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += i + 1 == items.size() ? " and " : ", ";
    out += items[i];
  }
  return out;
}

std::string BulletList(const std::vector<std::string>& items, std::string_view none) {
  if (items.empty()) return "- " + std::string(none);
  std::string out;
  for (const auto& i : items) {
    if (!out.empty()) out += "\n";
    out += "- " + i;
  }
  return out;
}

std::string TierWords(std::optional<int> tier) {
  if (!tier) return "not yet classified by criticality";
  switch (*tier) {
    case 1:
      return "an operator of critical information infrastructure of the highest tier";
    case 2:
      return "an operator of critical information infrastructure (tier 2)";
    default:
      return "an organisation of moderate criticality (tier " + std::to_string(*tier) + ")";
  }
}

std::vector<std::string> SplitLines(std::string_view text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string line(text.substr(start, end - start));
    if (!line.empty() && line.back() == '\r') line.pop_back();
    out.push_back(std::move(line));
    start = end + 1;
  }
  if (!out.empty() && out.back().empty()) out.pop_back();
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

// ---- content ----

std::string ContentJson(const std::vector<Section>& sections) {
  json out = json::array();
  for (const auto& s : sections) {
    // nlohmann orders an object's keys, so the same sections always give the same text and so the
    // same SHA-256.
    json o = json::object();
    o["key"] = s.key;
    o["urn"] = s.urn;
    o["title"] = s.title;
    o["level"] = s.level;
    o["body"] = s.body;
    out.push_back(std::move(o));
  }
  return out.dump();
}

std::vector<Section> ParseContent(std::string_view text) {
  std::vector<Section> out;
  for (const auto& o : json::parse(text)) {
    out.push_back({o.at("key").get<std::string>(), o.at("urn").get<std::string>(),
                   o.at("title").get<std::string>(), o.at("level").get<int>(),
                   o.at("body").get<std::string>()});
  }
  return out;
}

// ---- templates ----

std::string FillPlaceholders(std::string_view text, const OrgFacts& f) {
  std::string out;
  out.reserve(text.size() + 256);
  std::size_t i = 0;
  while (i < text.size()) {
    auto open = text.find("{{", i);
    if (open == std::string_view::npos) break;
    auto close = text.find("}}", open + 2);
    if (close == std::string_view::npos) break;
    out.append(text.substr(i, open - i));
    const std::string_view name = text.substr(open + 2, close - open - 2);
    if (name == "organisation") {
      out += f.name;
    } else if (name == "sectors") {
      out += JoinWords(f.sectors, "(sector not recorded)");
    } else if (name == "criticality") {
      out += TierWords(f.criticality_tier);
    } else if (name == "ciso") {
      out += JoinWords(f.cisos, "the information security officer (to be appointed)");
    } else if (name == "management") {
      out += JoinWords(f.management, "the director");
    } else if (name == "assets") {
      out += BulletList(f.assets,
                        "(no risk analysis yet: list here the information and systems the "
                        "organisation cannot do without)");
    } else if (name == "risks") {
      out += BulletList(f.risks,
                        "(no risk analysis yet: carry one out, even a summary, and list here the "
                        "risks it ranks highest)");
    } else if (name == "review_period") {
      out += "twelve months";
    } else {
      out.append(text.substr(open, close + 2 - open));
    }
    i = close + 2;
  }
  out.append(text.substr(std::min(i, text.size())));
  return out;
}

std::string DefaultTitle(std::string_view kind) {
  const json& t = Templates();
  if (kind == kCharter) return t.at("charter").at("title").get<std::string>();
  if (kind == kPolicy) return t.at("policy").at("title").get<std::string>();
  throw std::invalid_argument("unknown document kind");
}

namespace {

// The structure with the template's text (unfilled) as body.
std::vector<Section> TemplateSections(std::string_view kind, std::string_view form) {
  const json& t = Templates();
  std::vector<Section> out;
  if (kind == kCharter) {
    for (const auto& s : t.at("charter").at("sections")) {
      out.push_back({s.at("key"), s.at("covers"), s.at("title"), 1, s.at("body")});
    }
    return out;
  }
  if (kind != kPolicy) throw std::invalid_argument("unknown document kind");
  if (form != kShortForm && form != kFullForm) throw std::invalid_argument("unknown form");
  for (const auto& s : t.at("policy").at("sections")) {
    const std::string key = s.at("key");
    const std::string title = key + ". " + s.at("title").get<std::string>();
    if (form == kShortForm) {
      out.push_back({key, s.at("covers"), title, 1, s.at("short")});
      continue;
    }
    out.push_back({key, s.at("covers"), title, 1, s.at("intro")});
    for (const auto& sub : s.at("subsections")) {
      const std::string sk = sub.at("key");
      out.push_back(
          {sk, sub.at("covers"), sk + " " + sub.at("title").get<std::string>(), 2, sub.at("body")});
    }
  }
  return out;
}

}  // namespace

std::vector<Section> Structure(std::string_view kind, std::string_view form) {
  auto out = TemplateSections(kind, form);
  for (auto& s : out) s.body.clear();
  return out;
}

std::vector<Section> DraftFromTemplates(std::string_view kind, std::string_view form,
                                        const OrgFacts& facts) {
  auto out = TemplateSections(kind, form);
  for (auto& s : out) s.body = FillPlaceholders(s.body, facts);
  return out;
}

// ---- the wizard ----

Proposal ProposePath(const std::optional<std::string>& size_class, std::optional<int> tier,
                     std::optional<double> maturity) {
  Proposal p;
  const bool small = size_class && (*size_class == "micro" || *size_class == "small");
  const bool large = size_class && *size_class == "large";
  const bool most_critical = tier && *tier == 1;
  const bool mature = maturity && *maturity >= 2.5;
  const bool young = !maturity || *maturity < 1.5;
  if ((large && most_critical) || (most_critical && mature)) {
    p.kind = kPolicy;
    p.form = kFullForm;
    if (large) p.reasons.push_back("a large organisation");
    p.reasons.push_back("a critical information infrastructure operator of the highest tier");
    if (mature) p.reasons.push_back("controls already at a managed maturity");
    p.reasons.push_back("its regulator expects a full policy approved by management");
  } else if (small || (young && !large)) {
    p.kind = kCharter;
    p.form = kShortForm;
    if (small) p.reasons.push_back("a small organisation");
    if (young) p.reasons.push_back("security practice still young (little or no SoA maturity)");
    p.reasons.push_back(
        "start with a short charter presented to staff, then grow it into the short policy");
  } else {
    p.kind = kPolicy;
    p.form = kShortForm;
    if (large) p.reasons.push_back("a large organisation");
    if (tier) p.reasons.push_back("criticality tier " + std::to_string(*tier));
    p.reasons.push_back("the eleven sections in short form first; add subsections as they grow");
  }
  return p;
}

// ---- diff ----

std::vector<LineChange> DiffLines(std::string_view before, std::string_view after) {
  const auto a = SplitLines(before);
  const auto b = SplitLines(after);
  const std::size_t n = a.size(), m = b.size();
  // lcs[i][j]: the longest common subsequence of a[i..] and b[j..]. Sections are short (at most
  // kMaxSectionBytes), so the table stays small.
  std::vector<std::vector<std::uint32_t>> lcs(n + 1, std::vector<std::uint32_t>(m + 1, 0));
  for (std::size_t i = n; i-- > 0;) {
    for (std::size_t j = m; j-- > 0;) {
      lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  std::vector<LineChange> out;
  std::size_t i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] == b[j]) {
      out.push_back({' ', a[i]});
      ++i;
      ++j;
    } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
      // On a tie the removal comes first, so a replaced line reads "- old" then "+ new".
      out.push_back({'-', a[i++]});
    } else {
      out.push_back({'+', b[j++]});
    }
  }
  return out;
}

std::vector<SectionChange> DiffSections(const std::vector<Section>& before,
                                        const std::vector<Section>& after) {
  std::vector<SectionChange> out;
  auto find = [](const std::vector<Section>& list, const std::string& key) -> const Section* {
    for (const auto& s : list) {
      if (s.key == key) return &s;
    }
    return nullptr;
  };
  for (const auto& s : after) {
    const Section* old = find(before, s.key);
    if (old == nullptr) {
      out.push_back({s.key, s.title, "added", DiffLines("", s.body)});
    } else if (old->body != s.body || old->title != s.title) {
      out.push_back({s.key, s.title, "changed", DiffLines(old->body, s.body)});
    }
  }
  for (const auto& s : before) {
    if (find(after, s.key) == nullptr) {
      out.push_back({s.key, s.title, "removed", DiffLines(s.body, "")});
    }
  }
  return out;
}

// ---- Markdown ----

namespace {

std::vector<Span> ParseInline(std::string_view text) {
  std::vector<Span> out;
  bool bold = false, italic = false;
  std::string cur;
  auto flush = [&] {
    if (!cur.empty()) out.push_back({std::move(cur), bold, italic});
    cur.clear();
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text.compare(i, 2, "**") == 0 &&
        (bold || text.find("**", i + 2) != std::string_view::npos)) {
      flush();
      bold = !bold;
      ++i;
    } else if ((text[i] == '*' || text[i] == '_') &&
               (italic || text.find(text[i], i + 1) != std::string_view::npos) &&
               (italic || (i + 1 < text.size() && text[i + 1] != ' '))) {
      flush();
      italic = !italic;
    } else {
      cur += text[i];
    }
  }
  flush();
  return out;
}

}  // namespace

std::vector<Block> ParseMarkdown(std::string_view text) {
  std::vector<Block> out;
  std::string para;
  auto flush = [&] {
    if (!para.empty()) out.push_back({Block::Kind::kParagraph, 0, ParseInline(para)});
    para.clear();
  };
  for (const auto& raw : SplitLines(text)) {
    std::string_view line = Trim(raw);
    if (line.empty()) {
      flush();
      continue;
    }
    int hashes = 0;
    while (hashes < static_cast<int>(line.size()) && line[hashes] == '#') ++hashes;
    if (hashes >= 1 && hashes <= 6 && static_cast<int>(line.size()) > hashes &&
        line[hashes] == ' ') {
      flush();
      out.push_back({Block::Kind::kHeading, hashes, ParseInline(Trim(line.substr(hashes)))});
      continue;
    }
    if (line.size() > 2 && (line[0] == '-' || line[0] == '*' || line[0] == '+') && line[1] == ' ') {
      flush();
      out.push_back({Block::Kind::kBullet, 0, ParseInline(Trim(line.substr(2)))});
      continue;
    }
    std::size_t digits = 0;
    while (digits < line.size() && digits < 4 && line[digits] >= '0' && line[digits] <= '9') {
      ++digits;
    }
    if (digits > 0 && line.size() > digits + 1 && (line[digits] == '.' || line[digits] == ')') &&
        line[digits + 1] == ' ') {
      flush();
      out.push_back({Block::Kind::kNumbered, 0, ParseInline(Trim(line.substr(digits + 2)))});
      continue;
    }
    if (!para.empty()) para += ' ';
    para += line;
  }
  flush();
  return out;
}

}  // namespace rampart::isms
