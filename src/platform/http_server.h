// The HTTP/1.1 server: Boost.Beast over Asio, kept behind this interface so that the heavy headers
// are compiled in http_server.cc alone.
//
// I/O runs on a few threads; every request is handed to a worker pool, where the handler may block
// (database, password hashing), and the response is written back on the connection's strand.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "platform/http.h"

namespace rampart::http {

struct ServerOptions {
  std::string address = "127.0.0.1";
  std::uint16_t port = 8080;  // 0 picks a free port; see Server::port()
  int io_threads = 1;
  int worker_threads = 8;
  std::size_t max_connections = 4096;        // further connections are accepted and closed at once
  std::size_t header_limit = 16 * 1024;      // request line and headers together; 431 beyond
  std::size_t default_body_limit = 1 << 20;  // when BodyLimit has no opinion
  std::chrono::milliseconds header_timeout{10'000};  // to receive the whole header block
  std::chrono::milliseconds body_timeout{30'000};    // to receive the body once headers are in
  std::chrono::milliseconds idle_timeout{60'000};    // between requests on a keep-alive connection
  std::size_t max_requests_per_connection = 10'000;
};

// Called on a worker thread with a complete request; must not throw.
using Handler = std::function<Response(Request&)>;
// Called before the body is read: the largest body allowed for this method and path. An empty
// BodyLimit means ServerOptions::default_body_limit for every request.
using BodyLimit = std::function<std::size_t(std::string_view method, std::string_view path)>;

struct ServerStats {
  std::int64_t open_connections = 0;
  std::int64_t accepted_total = 0;
  std::int64_t rejected_total = 0;  // over max_connections
};

class Server final {
 public:
  Server(ServerOptions options, Handler handler, BodyLimit body_limit);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens; throws std::runtime_error naming the address when that fails.
  void Start();
  [[nodiscard]] std::uint16_t port() const;
  // Blocks until Stop() (or a signal handled by the caller) completes the shutdown. Returns at once
  // when Start() has not run.
  void Wait();
  // Stops accepting, lets in-flight requests finish and be written (up to `grace`), then closes.
  // Safe to call from any thread, including a signal-handling thread, more than once. Returns at
  // once: Wait() is what blocks until the shutdown is complete.
  void Stop(std::chrono::milliseconds grace = std::chrono::milliseconds{10'000});
  [[nodiscard]] ServerStats Stats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace rampart::http
