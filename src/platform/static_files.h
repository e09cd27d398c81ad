// The browser application's built files (web/dist), loaded into memory at start.
// index.html is never cached; files under /assets/ carry a content hash in their name and are
// cached for a year as immutable. Any other GET outside /api/ falls back to index.html so the
// application's own routes work on reload.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>

#include "platform/http.h"

namespace rampart {

class StaticFiles final {
 public:
  // Loads every regular file below `root`; an empty or missing root serves a short notice instead.
  explicit StaticFiles(const std::string& root);
  [[nodiscard]] bool loaded() const { return !files_.empty(); }
  // The response for a GET/HEAD of `path`, or nullopt when the path belongs to the API.
  [[nodiscard]] std::optional<http::Response> Serve(const http::Request& request) const;

 private:
  struct File {
    std::string body;
    std::string type;
    std::string etag;
  };
  std::unordered_map<std::string, File> files_;
};

// The first of: `configured`, RAMPART_WEB_ROOT's default places beside the binary, ./web/dist.
std::string FindWebRoot(const std::string& configured, const std::string& argv0);

}  // namespace rampart
