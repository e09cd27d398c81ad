// Files compiled into the binary by cmake/embed.cmake: migrations and the OpenAPI document.
#pragma once

#include <span>
#include <string_view>

namespace rampart {

struct EmbeddedFile {
  std::string_view path;  // relative to the source root, e.g. "src/platform/openapi.json"
  std::string_view data;
};

// Every embedded file, sorted by path.
std::span<const EmbeddedFile> EmbeddedFiles();

}  // namespace rampart
