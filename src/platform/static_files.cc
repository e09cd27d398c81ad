#include "platform/static_files.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "platform/crypto.h"

namespace rampart {

namespace fs = std::filesystem;

namespace {
std::string TypeOf(const fs::path& p) {
  auto ext = p.extension().string();
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".woff2") return "font/woff2";
  if (ext == ".json" || ext == ".map") return "application/json";
  if (ext == ".txt") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}
}  // namespace

StaticFiles::StaticFiles(const std::string& root) {
  std::error_code ec;
  if (root.empty() || !fs::is_directory(root, ec)) return;
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    std::ifstream in(it->path(), std::ios::binary);
    std::ostringstream buf;
    buf << in.rdbuf();
    File f;
    f.body = buf.str();
    f.type = TypeOf(it->path());
    f.etag = "\"" + crypto::Sha256Hex(f.body).substr(0, 32) + "\"";
    files_["/" + fs::relative(it->path(), root).generic_string()] = std::move(f);
  }
}

std::optional<http::Response> StaticFiles::Serve(const http::Request& request) const {
  const std::string& path = request.path;
  if (path.starts_with("/api/") || path == "/api" || path.starts_with("/taxii2")) {
    return std::nullopt;
  }
  http::Response res;
  if (files_.empty()) {
    res.status = 404;
    res.Set("Content-Type", "text/plain; charset=utf-8");
    res.body = "The browser application is not built. Run 'make run', or build web/ with npm.\n";
    return res;
  }
  auto it = files_.find(path);
  bool is_asset = path.starts_with("/assets/");
  if (it == files_.end() || path == "/index.html") {
    if (is_asset) {  // a missing hashed file is a real 404, never the application
      res.status = 404;
      res.Set("Content-Type", "text/plain; charset=utf-8");
      res.body = "Not found\n";
      return res;
    }
    it = files_.find("/index.html");
    if (it == files_.end()) return std::nullopt;
  }
  const File& f = it->second;
  res.Set("Content-Type", f.type);
  res.Set("ETag", f.etag);
  res.Set("Cache-Control", is_asset ? "public, max-age=31536000, immutable" : "no-cache");
  if (auto inm = request.Find("If-None-Match"); inm && *inm == f.etag) {
    res.status = 304;
    return res;
  }
  res.body = f.body;
  return res;
}

std::string FindWebRoot(const std::string& configured, const std::string& argv0) {
  if (!configured.empty()) return configured;
  std::error_code ec;
  fs::path exe = fs::canonical("/proc/self/exe", ec);
  if (ec) exe = fs::absolute(argv0, ec);
  std::vector<fs::path> candidates = {
      exe.parent_path() / "../share/rampart/web",  // installed package
      exe.parent_path() / "../../web/dist",        // build/<preset>/rampart in a checkout
      fs::path("web/dist"),
  };
  for (const auto& c : candidates) {
    if (fs::exists(c / "index.html", ec)) return fs::weakly_canonical(c, ec).string();
  }
  return {};
}

}  // namespace rampart
