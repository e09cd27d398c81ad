// Configuration: defaults, a TOML file, then RAMPART_* environment variables, with errors that
// name the file and line at fault.
#include "platform/config.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <string>

namespace rampart {
namespace {

// Every setting's environment variable; cleared around each test so the runner's own environment
// cannot leak in, and restored afterwards.
constexpr const char* kEnvVars[] = {"RAMPART_LISTEN",
                                    "RAMPART_DB",
                                    "RAMPART_WEB_ROOT",
                                    "RAMPART_IO_THREADS",
                                    "RAMPART_WORKERS",
                                    "RAMPART_DB_POOL",
                                    "RAMPART_MAX_CONNECTIONS",
                                    "RAMPART_SESSION_HOURS",
                                    "RAMPART_SESSION_IDLE_MINUTES",
                                    "RAMPART_PUBLIC_ORIGIN",
                                    "RAMPART_TOTP_ISSUER",
                                    "RAMPART_ACCESS_LOG",
                                    "RAMPART_LOG_LEVEL",
                                    "RAMPART_SMTP_URL",
                                    "RAMPART_SMTP_FROM",
                                    "RAMPART_SMTP_USER",
                                    "RAMPART_SMTP_PASSWORD",
                                    "RAMPART_SMTP_STARTTLS",
                                    "RAMPART_WEBHOOK_ALLOW_PRIVATE_ADDRESSES"};

class ConfigTest : public testing::Test {
 protected:
  void SetUp() override {
    for (const char* name : kEnvVars) {
      if (const char* v = std::getenv(name)) saved_[name] = v;
      unsetenv(name);
    }
    std::random_device rd;
    dir_ = std::filesystem::temp_directory_path() /
           ("rampart-config-test-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(dir_);
  }

  void TearDown() override {
    for (const char* name : kEnvVars) unsetenv(name);
    for (const auto& [name, value] : saved_) setenv(name.c_str(), value.c_str(), 1);
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  std::string Write(const std::string& toml) {
    std::string path = (dir_ / "rampart.toml").string();
    std::ofstream(path) << toml;
    return path;
  }

  std::filesystem::path dir_;
  std::map<std::string, std::string> saved_;
};

TEST_F(ConfigTest, DefaultsWithoutFileOrEnvironment) {
  auto c = LoadConfig(std::nullopt);
  ASSERT_TRUE(c.ok()) << c.error().message;
  Config defaults;
  EXPECT_EQ(c->listen, defaults.listen);
  EXPECT_EQ(c->db, defaults.db);
  EXPECT_EQ(c->workers, defaults.workers);
  EXPECT_EQ(c->session_hours, 12);
  EXPECT_EQ(c->session_idle_minutes, 120);
  EXPECT_TRUE(c->access_log);
}

TEST_F(ConfigTest, ReadsEveryKindOfValueFromTheFile) {
  auto path = Write(
      "# a comment\n"
      "listen = \"0.0.0.0:9000\"\n"
      "db = \"postgresql://rampart@db/rampart\"\n"
      "workers = 4\n"
      "session_idle_minutes = 30\n"
      "access_log = false\n"
      "totp_issuer = \"CERT Rampart\"\n");
  auto c = LoadConfig(path);
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->listen, "0.0.0.0:9000");
  EXPECT_EQ(c->db, "postgresql://rampart@db/rampart");
  EXPECT_EQ(c->workers, 4);
  EXPECT_EQ(c->session_idle_minutes, 30);
  EXPECT_FALSE(c->access_log);
  EXPECT_EQ(c->totp_issuer, "CERT Rampart");
  EXPECT_EQ(c->io_threads, Config{}.io_threads) << "keys not in the file keep their default";
}

TEST_F(ConfigTest, BadValueNamesFileLineAndKey) {
  auto path = Write(
      "listen = \"0.0.0.0:9000\"\n"
      "\n"
      "workers = 0\n");
  auto c = LoadConfig(path);
  ASSERT_FALSE(c.ok());
  const std::string& msg = c.error().message;
  EXPECT_NE(msg.find(path + ":3:"), std::string::npos) << msg;
  EXPECT_NE(msg.find("workers"), std::string::npos) << msg;
  EXPECT_NE(msg.find("'0'"), std::string::npos) << msg;
}

TEST_F(ConfigTest, WrongTypeNamesFileAndLine) {
  auto path = Write("access_log = \"sometimes\"\nio_threads = [1, 2]\n");
  auto c = LoadConfig(path);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find(path + ":1:"), std::string::npos) << c.error().message;
  EXPECT_NE(c.error().message.find("access_log"), std::string::npos) << c.error().message;

  path = Write("io_threads = [1, 2]\n");
  c = LoadConfig(path);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find(path + ":1:"), std::string::npos) << c.error().message;
  EXPECT_NE(c.error().message.find("io_threads"), std::string::npos) << c.error().message;
}

TEST_F(ConfigTest, UnknownKeyIsReported) {
  auto path = Write("listen = \"127.0.0.1:1\"\nlisten_port = 8080\n");
  auto c = LoadConfig(path);
  ASSERT_FALSE(c.ok());
  const std::string& msg = c.error().message;
  EXPECT_NE(msg.find("unknown setting 'listen_port'"), std::string::npos) << msg;
  EXPECT_NE(msg.find(path + ":2:"), std::string::npos) << msg;
}

TEST_F(ConfigTest, TomlSyntaxErrorNamesFileAndLine) {
  auto path = Write("listen = \"127.0.0.1:1\"\nworkers = = 4\n");
  auto c = LoadConfig(path);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find(path + ":2:"), std::string::npos) << c.error().message;
}

TEST_F(ConfigTest, MissingFileIsReported) {
  std::string path = (dir_ / "absent.toml").string();
  auto c = LoadConfig(path);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find(path), std::string::npos) << c.error().message;
}

TEST_F(ConfigTest, EnvironmentOverridesTheFile) {
  auto path = Write("workers = 4\nlisten = \"0.0.0.0:9000\"\naccess_log = true\n");
  setenv("RAMPART_WORKERS", "8", 1);
  setenv("RAMPART_ACCESS_LOG", "no", 1);
  setenv("RAMPART_LOG_LEVEL", "debug", 1);
  auto c = LoadConfig(path);
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->workers, 8);
  EXPECT_FALSE(c->access_log);
  EXPECT_EQ(c->log_level, "debug");
  EXPECT_EQ(c->listen, "0.0.0.0:9000") << "what the environment does not set, the file does";
}

TEST_F(ConfigTest, EnvironmentAloneOverridesDefaults) {
  setenv("RAMPART_DB", "sqlite:/tmp/x.db", 1);
  setenv("RAMPART_SESSION_HOURS", "24", 1);
  auto c = LoadConfig(std::nullopt);
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->db, "sqlite:/tmp/x.db");
  EXPECT_EQ(c->session_hours, 24);
}

TEST_F(ConfigTest, BadEnvironmentValueNamesTheVariable) {
  setenv("RAMPART_IO_THREADS", "two", 1);
  auto c = LoadConfig(std::nullopt);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("RAMPART_IO_THREADS"), std::string::npos) << c.error().message;

  setenv("RAMPART_IO_THREADS", "4x", 1);
  EXPECT_FALSE(LoadConfig(std::nullopt).ok()) << "trailing characters are not a number";
  setenv("RAMPART_IO_THREADS", "65", 1);
  EXPECT_FALSE(LoadConfig(std::nullopt).ok()) << "above the limit";
  setenv("RAMPART_IO_THREADS", "64", 1);
  EXPECT_TRUE(LoadConfig(std::nullopt).ok());
}

TEST_F(ConfigTest, ReadsTheNotificationSettings) {
  auto c = LoadConfig(std::nullopt);
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->smtp_url, "") << "no relay unless one is configured";
  EXPECT_EQ(c->smtp_starttls, "require") << "credentials and mail never cross in clear by default";
  EXPECT_FALSE(c->webhook_allow_private_addresses);

  auto path = Write(
      "smtp_url = \"smtps://relay.cert.example:465\"\n"
      "smtp_from = \"National CERT <rampart@cert.example>\"\n"
      "smtp_user = \"rampart\"\n");
  setenv("RAMPART_SMTP_PASSWORD", "relay secret", 1);
  setenv("RAMPART_SMTP_STARTTLS", "try", 1);
  setenv("RAMPART_WEBHOOK_ALLOW_PRIVATE_ADDRESSES", "true", 1);
  c = LoadConfig(path);
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->smtp_url, "smtps://relay.cert.example:465");
  EXPECT_EQ(c->smtp_from, "National CERT <rampart@cert.example>");
  EXPECT_EQ(c->smtp_user, "rampart");
  EXPECT_EQ(c->smtp_password, "relay secret");
  EXPECT_EQ(c->smtp_starttls, "try");
  EXPECT_TRUE(c->webhook_allow_private_addresses);
}

TEST_F(ConfigTest, RefusesNotificationSettingsThatCannotWork) {
  setenv("RAMPART_SMTP_URL", "http://relay.example", 1);
  auto c = LoadConfig(std::nullopt);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("RAMPART_SMTP_URL"), std::string::npos) << c.error().message;

  setenv("RAMPART_SMTP_URL", "smtp://relay.example:587", 1);
  c = LoadConfig(std::nullopt);
  ASSERT_FALSE(c.ok()) << "a relay without a sender";
  EXPECT_NE(c.error().message.find("smtp_from"), std::string::npos) << c.error().message;

  setenv("RAMPART_SMTP_FROM", "Rampart <not an address>", 1);
  c = LoadConfig(std::nullopt);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("RAMPART_SMTP_FROM"), std::string::npos) << c.error().message;

  setenv("RAMPART_SMTP_FROM", "rampart@cert.example", 1);
  setenv("RAMPART_SMTP_STARTTLS", "sometimes", 1);
  c = LoadConfig(std::nullopt);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("smtp_starttls must be require, try or off"), std::string::npos)
      << c.error().message;

  setenv("RAMPART_SMTP_STARTTLS", "off", 1);
  EXPECT_TRUE(LoadConfig(std::nullopt).ok());
}

}  // namespace
}  // namespace rampart
