#include "platform/router.h"

#include <algorithm>
#include <stdexcept>

namespace rampart {

namespace {
std::vector<std::string_view> Split(std::string_view path) {
  std::vector<std::string_view> out;
  std::size_t i = 1;  // paths are absolute
  while (i <= path.size()) {
    std::size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    out.push_back(path.substr(i, j - i));
    i = j + 1;
  }
  return out;
}
}  // namespace

void Router::Add(Route route) {
  if (route.pattern.empty() || route.pattern[0] != '/') {
    throw std::logic_error("route pattern must be absolute: " + route.pattern);
  }
  Compiled c;
  for (auto seg : Split(route.pattern)) c.segments.emplace_back(seg);
  for (std::size_t i = 0; i < routes_.size(); ++i) {
    if (routes_[i].method == route.method && routes_[i].pattern == route.pattern) {
      throw std::logic_error("duplicate route " + route.method + " " + route.pattern);
    }
  }
  routes_.push_back(std::move(route));
  compiled_.push_back(std::move(c));
}

bool Router::MatchSegments(const Compiled& c, std::string_view path, PathParams* params) {
  auto parts = Split(path);
  if (parts.size() != c.segments.size()) return false;
  PathParams found;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const auto& seg = c.segments[i];
    if (seg.size() > 2 && seg.front() == '{' && seg.back() == '}') {
      if (parts[i].empty()) return false;
      found.emplace_back(seg.substr(1, seg.size() - 2), std::string(parts[i]));
    } else if (seg != parts[i]) {
      return false;
    }
  }
  if (params != nullptr) *params = std::move(found);
  return true;
}

Router::Match Router::Find(std::string_view method, std::string_view path) const {
  Match m;
  // A literal segment beats a parameter: prefer the route with the most literal matches.
  int best_literals = -1;
  std::string_view effective = method == "HEAD" ? "GET" : method;
  for (std::size_t i = 0; i < routes_.size(); ++i) {
    PathParams params;
    if (!MatchSegments(compiled_[i], path, &params)) continue;
    if (routes_[i].method != effective) {
      if (std::find(m.allowed.begin(), m.allowed.end(), routes_[i].method) == m.allowed.end()) {
        m.allowed.push_back(routes_[i].method);
      }
      continue;
    }
    int literals = static_cast<int>(compiled_[i].segments.size() - params.size());
    if (literals > best_literals) {
      best_literals = literals;
      m.route = &routes_[i];
      m.params = std::move(params);
    }
  }
  if (m.route != nullptr) {
    m.allowed.clear();
  } else if (!m.allowed.empty() &&
             std::find(m.allowed.begin(), m.allowed.end(), "GET") != m.allowed.end()) {
    m.allowed.emplace_back("HEAD");
  }
  std::sort(m.allowed.begin(), m.allowed.end());
  return m;
}

std::size_t Router::BodyLimit(std::string_view method, std::string_view path) const {
  auto m = Find(method, path);
  // An unknown route still has its (small) body read, so the 404 or 405 keeps the connection
  // usable.
  return m.route != nullptr ? m.route->body_limit : 64 * 1024;
}

}  // namespace rampart
