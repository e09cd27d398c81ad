// `rampart serve`: migrate, optionally seed the demo, and serve the web application and the API
// until SIGINT or SIGTERM, then finish in-flight requests and stop.
#pragma once

#include <string>

#include "platform/config.h"

namespace rampart {

struct ServeOptions {
  Config config;
  bool demo = false;  // seed the demo country when the directory is empty
  std::string argv0;
};

int Serve(const ServeOptions& options);

}  // namespace rampart
