// The ceiling of bench/stix.sh's import figure: simdjson parsing the same bundle bytes as one
// document (DOM, the library's fastest kernel for this CPU), with nothing stored. Prints seconds.
//   g++ -O2 -std=c++20 parse.cc -lsimdjson -o parse && ./parse bundle.json
#include <simdjson.h>

#include <chrono>
#include <cstdio>

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  simdjson::padded_string text;
  if (simdjson::padded_string::load(argv[1]).get(text)) return 1;
  simdjson::dom::parser parser;
  double best = 1e9;
  std::size_t objects = 0;
  for (int run = 0; run < 3; ++run) {
    auto start = std::chrono::steady_clock::now();
    simdjson::dom::element doc;
    if (parser.parse(text).get(doc)) return 1;
    simdjson::dom::array list;
    if (doc["objects"].get_array().get(list)) return 1;
    objects = list.size();
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (s < best) best = s;
  }
  std::printf("%.6f %zu %s\n", best, objects,
              simdjson::get_active_implementation()->name().c_str());
  return 0;
}
