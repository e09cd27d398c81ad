#include "cli/serve.h"

#include <signal.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>
#include <thread>

#include "cli/commands.h"
#include "cli/routes.h"
#include "incidents/notices.h"
#include "isms/policy_docs.h"
#include "platform/crypto.h"
#include "platform/db.h"
#include "platform/delivery.h"
#include "platform/http_server.h"
#include "platform/metrics.h"
#include "platform/migrate.h"
#include "platform/outbound.h"
#include "platform/periodic.h"
#include "platform/pipeline.h"
#include "platform/static_files.h"

namespace rampart {

namespace {

bool SplitListen(const std::string& listen, std::string& host, std::uint16_t& port) {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos) return false;
  host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  try {
    int p = std::stoi(listen.substr(colon + 1));
    if (p < 0 || p > 65535) return false;
    port = static_cast<std::uint16_t>(p);
  } catch (const std::exception&) {
    return false;
  }
  return !host.empty();
}

}  // namespace

int Serve(const ServeOptions& options) {
  const Config& config = options.config;
  auto start = std::chrono::steady_clock::now();
  auto access = spdlog::stdout_logger_mt("access");
  access->set_pattern("%v");
  spdlog::set_level(spdlog::level::from_str(config.log_level));

  std::string host;
  std::uint16_t port = 0;
  if (!SplitListen(config.listen, host, port)) {
    std::fprintf(stderr, "rampart: --listen must be HOST:PORT, not '%s'\n", config.listen.c_str());
    return 2;
  }

  // Signals go to one thread that asks the server to stop; block them before any thread starts.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  crypto::Init();
  auto db = db::Database::Open(config.db, config.db_pool);
  auto migrated = Migrate(*db);
  if (!migrated) {
    std::fprintf(stderr, "rampart: %s\n", migrated.error().message.c_str());
    return 1;
  }
  if (migrated->from != migrated->to) {
    spdlog::info("database migrated from schema {} to {}", migrated->from, migrated->to);
  }
  if (options.demo) {
    bool empty = db->Read(
        [](db::Tx& tx) { return !tx.QueryOne("SELECT 1 FROM organisations LIMIT 1", {}); });
    if (empty) cli::SeedDemoCountry(*db);
  }

  Router router = BuildRouter();
  Metrics metrics;
  Services services{*db, config, metrics};
  StaticFiles web(FindWebRoot(config.web_root, options.argv0));
  if (!web.loaded()) {
    spdlog::warn(
        "the browser application was not found (build web/ or set RAMPART_WEB_ROOT); "
        "serving the API only");
  }
  Pipeline pipeline(router, services, web);

  http::ServerOptions so;
  so.address = host;
  so.port = port;
  so.io_threads = config.io_threads;
  so.worker_threads = config.workers;
  so.max_connections = static_cast<std::size_t>(config.max_connections);
  so.header_timeout = std::chrono::milliseconds(config.header_timeout_ms);
  so.idle_timeout = std::chrono::milliseconds(config.idle_timeout_ms);
  http::Server server(
      so, [&](http::Request& req) { return pipeline.Handle(req); },
      [&](std::string_view method, std::string_view path) {
        return pipeline.BodyLimit(method, path);
      });
  services.server_stats = [&server] { return server.Stats(); };
  try {
    server.Start();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "rampart: %s\n", e.what());
    return 1;
  }
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                  start)
                .count();
  std::string shown = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  // Sends what notifications queue (platform/delivery.h); it stops once the server has finished
  // its requests.
  notify::DeliveryWorker delivery(*db, config, outbound::CurlTransport(config));
  delivery.Start();
  // Reminders: incident stages due soon and overdue (incidents/notices.h), policy reviews due
  // (isms/policy_docs.h).
  PeriodicWorker reminders(
      {{"incident reminders", [&](Millis now) { return incidents::SendReminders(*db, now); }},
       {"policy review reminders",
        [&](Millis now) { return isms::SendPolicyReminders(*db, now); }}});
  reminders.Start();
  std::printf("rampart listening on http://%s:%u (started in %lld ms)\n", shown.c_str(),
              server.port(), static_cast<long long>(ms));
  std::fflush(stdout);

  std::thread waiter([&] {
    int sig = 0;
    sigwait(&signals, &sig);
    spdlog::info("signal {} received: finishing in-flight requests", sig);
    server.Stop();
  });
  server.Wait();
  // If the server stopped on its own, release the signal thread.
  pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
  reminders.Stop();
  delivery.Stop();
  spdlog::info("stopped");
  return 0;
}

}  // namespace rampart
