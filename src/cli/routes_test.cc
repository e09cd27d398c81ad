// The OpenAPI contract: the embedded document and the route table describe the same API.
// Every failure names the route or operation at fault, so the fix is one look away.
#include "cli/routes.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "platform/embedded.h"
#include "platform/policy.h"

namespace rampart {
namespace {

using nlohmann::json;

constexpr std::string_view kOpenApiPath = "src/platform/openapi.json";
constexpr std::string_view kOperationKeys[] = {"get",     "put",  "post",  "delete",
                                               "options", "head", "patch", "trace"};

bool IsOperationKey(std::string_view key) {
  return std::find(std::begin(kOperationKeys), std::end(kOperationKeys), key) !=
         std::end(kOperationKeys);
}

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string Upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// "{id}" segments of a path template, in order.
std::vector<std::string> PathParams(const std::string& pattern) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while ((i = pattern.find('{', i)) != std::string::npos) {
    auto j = pattern.find('}', i);
    if (j == std::string::npos) break;
    out.push_back(pattern.substr(i + 1, j - i - 1));
    i = j + 1;
  }
  return out;
}

// `key` escaped for a JSON Pointer ("/api/v1/me" → "~1api~1v1~1me"), so locations read back.
std::string PointerToken(const std::string& key) {
  std::string out;
  for (char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

class OpenApiContract : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    for (const auto& f : EmbeddedFiles()) {
      if (f.path == kOpenApiPath) {
        doc_ = std::make_unique<json>(json::parse(f.data, nullptr, /*allow_exceptions=*/false));
      }
    }
    router_ = std::make_unique<Router>(BuildRouter());
  }
  static void TearDownTestSuite() {
    doc_.reset();
    router_.reset();
  }

  void SetUp() override {
    ASSERT_NE(doc_, nullptr) << kOpenApiPath << " is not among the embedded files";
    ASSERT_FALSE(doc_->is_discarded()) << kOpenApiPath << " is not valid JSON";
    ASSERT_TRUE(doc_->contains("paths") && (*doc_)["paths"].is_object());
    ASSERT_FALSE(router_->routes().empty());
  }

  const json& Doc() const { return *doc_; }
  const Router& Routes() const { return *router_; }

  // The object a local "$ref" points to, or null when it points nowhere.
  const json* Resolve(const std::string& ref) const {
    if (!ref.starts_with("#/")) return nullptr;
    try {
      json::json_pointer ptr(ref.substr(1));
      if (!Doc().contains(ptr)) return nullptr;
      return &Doc().at(ptr);
    } catch (const json::exception&) {
      return nullptr;
    }
  }

  // `node` itself, or what its "$ref" points to.
  const json& Deref(const json& node) const {
    if (node.is_object() && node.contains("$ref") && node["$ref"].is_string()) {
      if (const json* target = Resolve(node["$ref"].get<std::string>())) return *target;
    }
    return node;
  }

  // The operation object for a route, or null.
  const json* Operation(const Route& route) const {
    const auto& paths = Doc()["paths"];
    auto path = paths.find(route.pattern);
    if (path == paths.end()) return nullptr;
    auto op = path->find(Lower(route.method));
    return op == path->end() ? nullptr : &*op;
  }

  // Path-level and operation-level parameters, dereferenced.
  std::vector<const json*> Parameters(const std::string& pattern, const json& op) const {
    std::vector<const json*> out;
    const json& path = Doc()["paths"][pattern];
    for (const json* holder : {&path, &op}) {
      if (!holder->contains("parameters")) continue;
      for (const auto& p : (*holder)["parameters"]) out.push_back(&Deref(p));
    }
    return out;
  }

  static std::string Label(const Route& route) { return route.method + " " + route.pattern; }

  static inline std::unique_ptr<json> doc_;
  static inline std::unique_ptr<Router> router_;
};

TEST_F(OpenApiContract, EveryRouteIsDocumented) {
  for (const Route& route : Routes().routes()) {
    EXPECT_NE(Operation(route), nullptr)
        << "route " << Label(route) << " has no operation in openapi.json: add paths[\""
        << route.pattern << "\"]." << Lower(route.method);
  }
}

TEST_F(OpenApiContract, EveryDocumentedOperationIsARoute) {
  std::set<std::pair<std::string, std::string>> routes;
  for (const Route& route : Routes().routes()) routes.emplace(route.method, route.pattern);
  for (const auto& [pattern, item] : Doc()["paths"].items()) {
    for (const auto& [key, op] : item.items()) {
      if (key != Lower(key) && IsOperationKey(Lower(key))) {
        ADD_FAILURE() << "openapi.json: " << pattern << " names method '" << key
                      << "' in upper case; OpenAPI method keys are lower case";
        continue;
      }
      if (!IsOperationKey(key)) continue;  // "parameters", "summary", …
      EXPECT_TRUE(routes.count({Upper(key), pattern}) > 0)
          << "openapi.json documents " << Upper(key) << " " << pattern << " but no route serves it";
    }
  }
}

TEST_F(OpenApiContract, OperationsNameTheRoutesAction) {
  for (const Route& route : Routes().routes()) {
    const json* op = Operation(route);
    if (op == nullptr) continue;  // reported by EveryRouteIsDocumented
    auto action = op->find("x-rampart-action");
    if (action == op->end() || !action->is_string()) {
      ADD_FAILURE() << Label(route) << ": x-rampart-action is missing; the route performs '"
                    << Name(route.action) << "'";
      continue;
    }
    EXPECT_EQ(action->get<std::string>(), Name(route.action))
        << Label(route) << ": x-rampart-action disagrees with the route table";
  }
}

TEST_F(OpenApiContract, EveryPathParameterIsDeclared) {
  for (const Route& route : Routes().routes()) {
    const json* op = Operation(route);
    if (op == nullptr) continue;
    std::set<std::string> declared;
    for (const json* p : Parameters(route.pattern, *op)) {
      if (p->value("in", "") == "path") {
        declared.insert(p->value("name", ""));
        EXPECT_TRUE(p->value("required", false))
            << Label(route) << ": path parameter '" << p->value("name", "") << "' must be required";
      }
    }
    std::set<std::string> in_pattern;
    for (const auto& name : PathParams(route.pattern)) {
      in_pattern.insert(name);
      EXPECT_TRUE(declared.count(name) > 0)
          << Label(route) << ": path parameter {" << name << "} is not declared in parameters";
    }
    for (const auto& name : declared) {
      EXPECT_TRUE(in_pattern.count(name) > 0) << Label(route) << ": declares path parameter '"
                                              << name << "' that the path does not have";
    }
  }
}

TEST_F(OpenApiContract, TargetOrganisationParameterIsInThePath) {
  for (const Route& route : Routes().routes()) {
    if (route.target_org_param.empty()) continue;
    auto params = PathParams(route.pattern);
    EXPECT_NE(std::find(params.begin(), params.end(), route.target_org_param), params.end())
        << Label(route) << ": target_org_param '" << route.target_org_param
        << "' is not a parameter of the path";
  }
}

TEST_F(OpenApiContract, NonPublicOperationsDocument401AndRequireSignIn) {
  for (const Route& route : Routes().routes()) {
    const json* op = Operation(route);
    if (op == nullptr) continue;
    const json& responses = op->contains("responses") ? (*op)["responses"] : json::object();
    if (route.action == Action::kPublic) {
      continue;
    }
    EXPECT_TRUE(responses.contains("401"))
        << Label(route) << " needs sign-in ('" << Name(route.action)
        << "') but documents no 401 response";
    if (op->contains("security")) {
      EXPECT_FALSE((*op)["security"].empty())
          << Label(route) << " needs sign-in but its security list is empty (public)";
    }
  }
}

TEST_F(OpenApiContract, PublicOperationsNeedNoCredentials) {
  for (const Route& route : Routes().routes()) {
    if (route.action != Action::kPublic) continue;
    const json* op = Operation(route);
    if (op == nullptr) continue;
    ASSERT_TRUE(op->contains("security"))
        << Label(route) << " is public but inherits the document's security requirement";
    EXPECT_TRUE((*op)["security"].empty()) << Label(route) << " is public: security must be []";
  }
}

TEST_F(OpenApiContract, PatchOperationsRequireIfMatch) {
  int patches = 0;
  for (const Route& route : Routes().routes()) {
    if (route.method != "PATCH") continue;
    ++patches;
    const json* op = Operation(route);
    if (op == nullptr) continue;
    const json& responses = op->contains("responses") ? (*op)["responses"] : json::object();
    EXPECT_TRUE(responses.contains("412")) << Label(route) << " documents no 412 response";
    EXPECT_TRUE(responses.contains("428")) << Label(route) << " documents no 428 response";
    bool if_match = false;
    for (const json* p : Parameters(route.pattern, *op)) {
      if (p->value("in", "") == "header" && Lower(p->value("name", "")) == "if-match") {
        if_match = true;
        EXPECT_TRUE(p->value("required", false))
            << Label(route) << ": the If-Match header must be required";
      }
    }
    EXPECT_TRUE(if_match) << Label(route) << " documents no If-Match header parameter";
  }
  EXPECT_GT(patches, 0) << "no PATCH routes: this test checks nothing";
}

TEST_F(OpenApiContract, EveryRefResolves) {
  int refs = 0;
  std::vector<std::pair<const json*, std::string>> todo = {{&Doc(), ""}};
  while (!todo.empty()) {
    auto [node, where] = todo.back();
    todo.pop_back();
    if (node->is_object()) {
      for (const auto& [key, value] : node->items()) {
        if (key == "$ref") {
          ++refs;
          if (!value.is_string()) {
            ADD_FAILURE() << where << "/$ref is not a string";
          } else {
            EXPECT_NE(Resolve(value.get<std::string>()), nullptr)
                << where << ": $ref '" << value.get<std::string>() << "' points nowhere";
          }
        } else {
          todo.emplace_back(&value, where + "/" + PointerToken(key));
        }
      }
    } else if (node->is_array()) {
      for (std::size_t i = 0; i < node->size(); ++i) {
        todo.emplace_back(&(*node)[i], where + "/" + std::to_string(i));
      }
    }
  }
  EXPECT_GT(refs, 0) << "no $ref at all: this test checks nothing";
}

TEST_F(OpenApiContract, ResolverFindsMissingTargets) {
  // The check above is only as good as Resolve(): prove it can say no.
  EXPECT_NE(Resolve("#/paths"), nullptr);
  EXPECT_EQ(Resolve("#/components/schemas/NoSuchSchema"), nullptr);
  EXPECT_EQ(Resolve("#/paths/~1no~1such~1path"), nullptr);
  EXPECT_EQ(Resolve("other.json#/x"), nullptr);
}

TEST_F(OpenApiContract, PathParameterParsing) {
  EXPECT_EQ(PathParams("/api/v1/organisations/{id}/people/{user_id}"),
            (std::vector<std::string>{"id", "user_id"}));
  EXPECT_TRUE(PathParams("/api/v1/sectors").empty());
}

}  // namespace
}  // namespace rampart
