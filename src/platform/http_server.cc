// The only translation unit that includes Beast and Asio.
//
// Threads: `io_threads` run the io_context; each connection is a Session whose every step runs on
// its own strand, so a Session's members need no lock. The acceptor and the shutdown sequence run
// on the Core's strand. Handlers run on `workers`, never on an I/O thread.
//
// Shutdown: Stop() posts BeginShutdown to the Core's strand, which closes the acceptor and asks
// each Session to finish: a Session waiting for a request closes at once, one reading, handling or
// writing a request finishes it and then closes. When the last Session has closed, nothing is left
// for the io_context to do and run() returns on every I/O thread; if `grace` passes first, the
// io_context is stopped and Wait() closes what is left.
#include "platform/http_server.h"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <cstdio>
#include <limits>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

namespace rampart::http {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using boost::system::error_code;

constexpr std::size_t kReadChunk = 4096;
// After an error response that closes the connection, the rest of what the client sends is read
// and dropped for a while, so that closing with unread data does not reset the connection before
// the client has read the response.
constexpr std::chrono::milliseconds kMaxLinger{2'000};
constexpr std::size_t kMaxLingerBytes = 1 << 20;
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

std::string JsonEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
          out += buf;
        } else {
          out.push_back(c);
        }
    }
  }
  return out;
}

// An RFC 9457 problem produced by the server itself, before or instead of the handler.
Response Problem(int status, std::string_view slug, std::string_view title,
                 std::string_view detail) {
  Response res;
  res.status = status;
  res.Set("Content-Type", "application/problem+json");
  res.body = R"({"type":"urn:rampart:problem:)" + JsonEscape(slug) + R"(","title":")" +
             JsonEscape(title) + R"(","status":)" + std::to_string(status) + R"(,"detail":")" +
             JsonEscape(detail) + "\"}";
  return res;
}

// The whole response sent to a connection over max_connections, as bytes.
const std::string& BusyResponse() {
  static const std::string bytes = [] {
    const Response res = Problem(503, "unavailable", "Too many connections",
                                 "The server is at its connection limit; try again shortly.");
    return "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/problem+json\r\n"
           "Connection: close\r\nContent-Length: " +
           std::to_string(res.body.size()) + "\r\n\r\n" + res.body;
  }();
  return bytes;
}

std::string NewRequestId() {
  std::array<unsigned char, 16> bytes;
  randombytes_buf(bytes.data(), bytes.size());
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id;
  id.reserve(bytes.size() * 2);
  for (unsigned char b : bytes) {
    id.push_back(kHex[b >> 4]);
    id.push_back(kHex[b & 0xf]);
  }
  return id;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

// Calls `fn` with each non-empty element of a comma-separated header list, trimmed.
template <class Fn>
void ForEachListElement(std::string_view list, Fn fn) {
  while (!list.empty()) {
    const std::size_t comma = list.find(',');
    const std::string_view element = Trim(list.substr(0, comma));
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
    if (!element.empty()) {
      fn(element);
    }
  }
}

bool HasToken(std::string_view list, std::string_view token) {
  bool found = false;
  ForEachListElement(list, [&](std::string_view e) { found = found || IEquals(e, token); });
  return found;
}

bool IsTokenChar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
    return true;
  }
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool IsValidFieldName(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), IsTokenChar);
}

bool IsValidFieldValue(std::string_view value) {
  return std::none_of(value.begin(), value.end(),
                      [](char c) { return c == '\r' || c == '\n' || c == '\0'; });
}

using RequestHeader = bhttp::request<bhttp::string_body>;

// The framing and header checks that Beast 1.74 leaves to us (RFC 9112 §6.3, §3.2): a request
// whose length two parties could read differently is refused rather than guessed at. Returns the
// problem's detail, or nothing when the header is acceptable.
std::optional<std::string_view> HeaderProblem(const RequestHeader& msg) {
  int content_lengths = 0;
  int hosts = 0;
  bool has_transfer_encoding = false;
  bool chunked_last = false;
  bool chunked_before_last = false;
  for (const auto& field : msg) {
    switch (field.name()) {
      case bhttp::field::content_length: {
        ++content_lengths;
        const std::string_view v = Trim(field.value());
        if (v.empty() ||
            !std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; })) {
          return "Content-Length must be a single decimal number.";
        }
        break;
      }
      case bhttp::field::transfer_encoding:
        has_transfer_encoding = true;
        ForEachListElement(field.value(), [&](std::string_view coding) {
          coding = Trim(coding.substr(0, coding.find(';')));
          if (chunked_last) {
            chunked_before_last = true;
          }
          chunked_last = IEquals(coding, "chunked");
        });
        break;
      case bhttp::field::host:
        ++hosts;
        break;
      default:
        break;
    }
  }
  if (content_lengths > 1) {
    return "The request has more than one Content-Length.";
  }
  if (has_transfer_encoding) {
    if (content_lengths > 0) {
      return "The request has both Content-Length and Transfer-Encoding.";
    }
    if (msg.version() < 11) {
      return "Transfer-Encoding is not allowed in an HTTP/1.0 request.";
    }
    if (!chunked_last || chunked_before_last) {
      return "The final transfer coding must be chunked, and only the final one.";
    }
  }
  if (hosts > 1 || (msg.version() >= 11 && hosts == 0)) {
    return "An HTTP/1.1 request needs exactly one Host header.";
  }
  return std::nullopt;
}

class Session;

// Everything the listener and the sessions share. Members are declared so that the io_context
// outlives what uses it, and the worker pool is joined before the io_context goes.
struct Core {
  Core(ServerOptions opts, Handler h, BodyLimit limit)
      : options(std::move(opts)),
        handler(std::move(h)),
        body_limit(std::move(limit)),
        ioc(std::max(1, options.io_threads)),
        strand(asio::make_strand(ioc)),
        acceptor(strand),
        grace_timer(strand),
        retry_timer(strand),
        workers(static_cast<std::size_t>(std::max(1, options.worker_threads))) {}

  void DoAccept();
  void OnAccept(error_code ec, tcp::socket socket);
  void BeginShutdown(std::chrono::milliseconds grace);
  // Called once per Session, on its strand, when it closes its socket.
  void SessionClosed(Session* session);
  void Forget(Session* session);
  std::vector<std::shared_ptr<Session>> LiveSessions();
  Response Invoke(Request& request);
  std::size_t LimitFor(std::string_view method, std::string_view path);

  const ServerOptions options;
  const Handler handler;
  const BodyLimit body_limit;

  std::atomic<std::int64_t> open_connections{0};
  std::atomic<std::int64_t> accepted_total{0};
  std::atomic<std::int64_t> rejected_total{0};
  std::atomic<bool> stopping{false};  // set on `strand` when the shutdown begins

  std::mutex sessions_mu;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions;  // guarded by sessions_mu

  std::mutex state_mu;
  bool started = false;         // guarded by state_mu
  bool stop_requested = false;  // guarded by state_mu
  std::atomic<std::uint16_t> bound_port{0};

  std::mutex join_mu;
  std::vector<std::thread> io_threads;  // guarded by join_mu

  asio::io_context ioc;
  asio::strand<asio::io_context::executor_type> strand;
  tcp::acceptor acceptor;
  asio::steady_timer grace_timer;
  asio::steady_timer retry_timer;
  asio::thread_pool workers;
};

class Session final : public std::enable_shared_from_this<Session> {
 public:
  Session(Core& core, tcp::socket socket, std::string remote)
      : core_(core),
        strand_(socket.get_executor()),
        stream_(std::move(socket)),
        remote_(std::move(remote)) {}

  ~Session() {
    // Reached without Close() only when the io_context is torn down with work still queued.
    if (!closed_) {
      core_.Forget(this);
    }
  }

  void Start() {
    asio::dispatch(strand_, [self = shared_from_this()] {
      // The first request's header must arrive within header_timeout of the connection.
      self->stream_.expires_after(self->core_.options.header_timeout);
      self->ReadRequest();
    });
  }

  // Asks the Session to close once its current request, if any, is answered.
  void Shutdown() {
    asio::dispatch(strand_, [self = shared_from_this()] {
      self->stopping_ = true;
      if (self->phase_ == Phase::kIdle) {
        self->Close();
      }
    });
  }

  // Closes the socket from outside the strand; only while no thread runs the io_context.
  void CloseWhileStopped() {
    error_code ec;
    stream_.socket().close(ec);
  }

 private:
  enum class Phase {
    kIdle,      // waiting for the first byte of a request
    kReading,   // some of a request has arrived
    kHandling,  // the handler has the request
    kWriting,   // the response is being written
    kClosing,   // the socket is closed or closing
  };

  void ReadRequest() {
    if (stopping_ || core_.stopping.load()) {
      return Close();
    }
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(std::min<std::size_t>(
        core_.options.header_limit, std::numeric_limits<std::uint32_t>::max())));
    // No limit while the header is read: Beast would otherwise compare Content-Length with its
    // own default. The real limit is applied once the method and path are known.
    parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
    response_.reset();
    serializer_.reset();
    head_ = false;
    if (buffer_.size() > 0) {  // a pipelined request is already here
      phase_ = Phase::kReading;
      if (!first_request_) {
        stream_.expires_after(core_.options.header_timeout);
      }
      return ReadHeader();
    }
    phase_ = Phase::kIdle;
    if (!first_request_) {
      stream_.expires_after(core_.options.idle_timeout);
    }
    stream_.async_read_some(
        buffer_.prepare(kReadChunk),
        [self = shared_from_this()](error_code ec, std::size_t n) { self->OnFirstBytes(ec, n); });
  }

  void OnFirstBytes(error_code ec, std::size_t n) {
    if (ec || phase_ == Phase::kClosing) {
      return Close();
    }
    buffer_.commit(n);
    phase_ = Phase::kReading;
    if (!first_request_) {
      stream_.expires_after(core_.options.header_timeout);
    }
    ReadHeader();
  }

  void ReadHeader() {
    bhttp::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](error_code ec, std::size_t) { self->OnHeader(ec); });
  }

  // Answers a read error: a malformed request gets a problem, a vanished or slow client does not.
  void FailRead(error_code ec) {
    if (phase_ == Phase::kClosing) {
      return;
    }
    if (ec == bhttp::error::header_limit) {
      return Fail(431, "header-too-large", "Request header too large",
                  "The request line and headers exceed " +
                      std::to_string(core_.options.header_limit) + " bytes.");
    }
    if (ec == bhttp::error::body_limit) {
      return FailTooLarge();
    }
    if (ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category() &&
        ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message &&
        ec != bhttp::error::need_more) {
      return Fail(400, "bad-request", "The request is malformed",
                  "The request is not valid HTTP/1.1 (" + ec.message() + ").");
    }
    Close();
  }

  void FailTooLarge() {
    Response res =
        Problem(413, "payload-too-large", "Request body too large",
                "The body exceeds " + std::to_string(limit_) + " bytes for this method and path.");
    // Named like any invalid input, so that a client shows it beside what it sent (an upload's
    // body is the file itself).
    res.body.pop_back();
    res.body += R"(,"errors":[{"field":"body","message":"is larger than the )" +
                std::to_string(limit_) + R"( bytes accepted here"}]})";
    Write(std::move(res), /*keep_alive=*/false);
  }

  void FailBadRequest(std::string_view detail) {
    Fail(400, "bad-request", "The request is malformed", detail);
  }

  void OnHeader(error_code ec) {
    first_request_ = false;
    ++requests_;
    if (ec) {
      return FailRead(ec);
    }
    const RequestHeader& msg = parser_->get();
    std::string method(msg.method_string());
    for (char& c : method) {
      c = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
    }
    head_ = method == "HEAD";
    if (auto problem = HeaderProblem(msg)) {
      return FailBadRequest(*problem);
    }

    const std::string_view target = msg.target();
    request_ = Request{};
    request_.method = std::move(method);
    request_.target = std::string(target);
    if (target == "*" && request_.method == "OPTIONS") {
      request_.path = "*";
    } else {
      if (target.empty() || target.front() != '/') {
        return FailBadRequest("The request target must be an absolute path.");
      }
      const std::size_t question = target.find('?');
      auto path = DecodePath(target.substr(0, question));
      if (!path) {
        return FailBadRequest("The path is malformed or has a '.' or '..' segment.");
      }
      request_.path = std::move(*path);
      if (question != std::string_view::npos) {
        request_.query = target.substr(question + 1);
      }
    }

    limit_ = core_.LimitFor(request_.method, request_.path);
    if (parser_->content_length() && *parser_->content_length() > limit_) {
      return FailTooLarge();
    }
    parser_->body_limit(limit_);
    if (parser_->is_done()) {
      return Dispatch();
    }

    stream_.expires_after(core_.options.body_timeout);
    const auto expect = msg.find(bhttp::field::expect);
    if (msg.version() >= 11 && expect != msg.end() && IEquals(expect->value(), "100-continue")) {
      asio::async_write(stream_, asio::buffer(kContinue.data(), kContinue.size()),
                        [self = shared_from_this()](error_code ec, std::size_t) {
                          if (ec) {
                            return self->Close();
                          }
                          self->ReadBody();
                        });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    bhttp::async_read(stream_, buffer_, *parser_,
                      [self = shared_from_this()](error_code ec, std::size_t) {
                        if (ec) {
                          return self->FailRead(ec);
                        }
                        self->Dispatch();
                      });
  }

  // Hands the complete request to a worker; the response comes back on the strand.
  void Dispatch() {
    RequestHeader msg = parser_->release();
    parser_.reset();
    keep_alive_ = msg.keep_alive();
    request_.headers.reserve(static_cast<std::size_t>(std::distance(msg.begin(), msg.end())));
    for (const auto& field : msg) {
      request_.headers.push_back({std::string(field.name_string()), std::string(field.value())});
    }
    request_.body = std::move(msg.body());
    request_.remote_address = remote_;
    request_.request_id = NewRequestId();
    phase_ = Phase::kHandling;
    stream_.expires_never();
    asio::post(core_.workers, [self = shared_from_this(), request = std::move(request_),
                               work = asio::make_work_guard(core_.ioc)]() mutable {
      Response response = self->core_.Invoke(request);
      asio::post(self->strand_, [self, response = std::move(response)]() mutable {
        self->Respond(std::move(response));
      });
    });
  }

  void Respond(Response response) {
    if (phase_ == Phase::kClosing) {
      return;
    }
    bool keep_alive = keep_alive_ && !stopping_ && !core_.stopping.load() &&
                      requests_ < core_.options.max_requests_per_connection;
    if (auto connection = response.Find("Connection");
        connection && HasToken(*connection, "close")) {
      keep_alive = false;
    }
    Write(std::move(response), keep_alive);
  }

  // Writes a problem and closes the connection, whatever the request asked for.
  void Fail(int status, std::string_view slug, std::string_view title, std::string_view detail) {
    Write(Problem(status, slug, title, detail), /*keep_alive=*/false);
  }

  void Write(Response response, bool keep_alive) {
    const bool valid_headers = std::all_of(
        response.headers.begin(), response.headers.end(),
        [](const Header& h) { return IsValidFieldName(h.name) && IsValidFieldValue(h.value); });
    if (!valid_headers || response.status < 100 || response.status > 599) {
      response = Problem(500, "internal-error", "Internal error",
                         "The server produced an invalid response.");
    }
    const int status = response.status;
    response_.emplace();
    response_->version(11);
    response_->result(static_cast<unsigned>(status));
    response_->reason(ReasonPhrase(status));
    std::optional<std::string_view> declared_length;
    for (const auto& h : response.headers) {
      // Framing is the server's: the handler's own values would only contradict it.
      if (IEquals(h.name, "Content-Length")) {
        declared_length = h.value;
        continue;
      }
      if (IEquals(h.name, "Transfer-Encoding") || IEquals(h.name, "Connection")) {
        continue;
      }
      response_->insert(h.name, h.value);
    }
    response_->keep_alive(keep_alive);
    const bool no_body = (status >= 100 && status < 200) || status == 204 || status == 304;
    if (!no_body) {
      if (head_ && response.body.empty() && declared_length) {
        // A HEAD handler may state the length a GET would have without producing the body.
        response_->set(bhttp::field::content_length, *declared_length);
      } else {
        response_->content_length(response.body.size());
        response_->body() = std::move(response.body);
      }
    }
    phase_ = Phase::kWriting;
    stream_.expires_after(core_.options.body_timeout);
    serializer_.emplace(*response_);
    auto on_written = [self = shared_from_this(), keep_alive](error_code ec, std::size_t) {
      if (ec) {
        return self->Close();
      }
      if (keep_alive) {
        return self->ReadRequest();
      }
      self->Linger();
    };
    if (head_ || no_body) {
      bhttp::async_write_header(stream_, *serializer_, std::move(on_written));
    } else {
      bhttp::async_write(stream_, *serializer_, std::move(on_written));
    }
  }

  // Ends our side, then reads and drops what the client still sends until it closes its side or
  // the linger time passes, so that the response is not lost to a connection reset.
  void Linger() {
    phase_ = Phase::kClosing;
    error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) {
      return FinishClose();
    }
    stream_.expires_after(std::min(kMaxLinger, core_.options.body_timeout));
    Drain();
  }

  void Drain() {
    stream_.async_read_some(asio::buffer(drain_),
                            [self = shared_from_this()](error_code ec, std::size_t n) {
                              self->drained_ += n;
                              if (ec || self->drained_ > kMaxLingerBytes) {
                                return self->FinishClose();
                              }
                              self->Drain();
                            });
  }

  void Close() {
    if (phase_ == Phase::kClosing) {
      return;
    }
    phase_ = Phase::kClosing;
    FinishClose();
  }

  void FinishClose() {
    if (closed_) {
      return;
    }
    closed_ = true;
    stream_.close();
    core_.SessionClosed(this);
  }

  Core& core_;
  const asio::any_io_executor strand_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  const std::string remote_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::optional<bhttp::response<bhttp::string_body>> response_;
  std::optional<bhttp::response_serializer<bhttp::string_body>> serializer_;
  Request request_;
  std::array<char, 4096> drain_;
  std::size_t drained_ = 0;
  std::size_t limit_ = 0;
  std::size_t requests_ = 0;  // requests begun on this connection
  Phase phase_ = Phase::kIdle;
  bool first_request_ = true;
  bool keep_alive_ = false;
  bool head_ = false;
  bool stopping_ = false;
  bool closed_ = false;
};

void Core::DoAccept() {
  acceptor.async_accept(asio::make_strand(ioc), [this](error_code ec, tcp::socket socket) {
    OnAccept(ec, std::move(socket));
  });
}

void Core::OnAccept(error_code ec, tcp::socket socket) {
  if (ec == asio::error::operation_aborted || stopping.load()) {
    return;
  }
  if (ec) {
    // Out of descriptors, most likely: try again shortly rather than spin.
    retry_timer.expires_after(std::chrono::milliseconds(50));
    retry_timer.async_wait([this](error_code wait_ec) {
      if (!wait_ec && !stopping.load()) {
        DoAccept();
      }
    });
    return;
  }
  if (static_cast<std::size_t>(open_connections.load()) >= options.max_connections) {
    ++rejected_total;
    // Best effort: the 503 fits any fresh socket's send buffer, so this does not block.
    error_code ignored;
    socket.non_blocking(true, ignored);
    socket.write_some(asio::buffer(BusyResponse()), ignored);
    socket.shutdown(tcp::socket::shutdown_both, ignored);
    socket.close(ignored);
    return DoAccept();
  }
  ++accepted_total;
  ++open_connections;
  error_code endpoint_ec;
  const auto remote = socket.remote_endpoint(endpoint_ec);
  auto session = std::make_shared<Session>(
      *this, std::move(socket), endpoint_ec ? std::string() : remote.address().to_string());
  {
    std::lock_guard lock(sessions_mu);
    sessions.emplace(session.get(), session);
  }
  session->Start();
  DoAccept();
}

void Core::BeginShutdown(std::chrono::milliseconds grace) {
  if (stopping.exchange(true)) {
    return;
  }
  error_code ignored;
  acceptor.close(ignored);
  retry_timer.cancel();
  for (auto& session : LiveSessions()) {
    session->Shutdown();
  }
  if (open_connections.load() == 0) {
    return;  // nothing holds the io_context: run() returns
  }
  grace_timer.expires_after(grace);
  grace_timer.async_wait([this](error_code ec) {
    if (!ec) {
      ioc.stop();
    }
  });
}

void Core::SessionClosed(Session* session) {
  Forget(session);
  if (stopping.load() && open_connections.load() == 0) {
    asio::post(strand, [this] { grace_timer.cancel(); });
  }
}

void Core::Forget(Session* session) {
  std::lock_guard lock(sessions_mu);
  if (sessions.erase(session) > 0) {
    --open_connections;
  }
}

std::vector<std::shared_ptr<Session>> Core::LiveSessions() {
  std::vector<std::shared_ptr<Session>> live;
  std::lock_guard lock(sessions_mu);
  for (auto& [ptr, weak] : sessions) {
    if (auto s = weak.lock()) {
      live.push_back(std::move(s));
    }
  }
  return live;
}

Response Core::Invoke(Request& request) {
  try {
    return handler(request);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "rampart: handler for %s %s threw: %s\n", request.method.c_str(),
                 request.path.c_str(), e.what());
  } catch (...) {
    std::fprintf(stderr, "rampart: handler for %s %s threw\n", request.method.c_str(),
                 request.path.c_str());
  }
  return Problem(500, "internal-error", "Internal error", "The request could not be completed.");
}

std::size_t Core::LimitFor(std::string_view method, std::string_view path) {
  if (!body_limit) {
    return options.default_body_limit;
  }
  try {
    return body_limit(method, path);
  } catch (...) {
    return options.default_body_limit;
  }
}

}  // namespace

struct Server::Impl {
  Impl(ServerOptions options, Handler handler, BodyLimit body_limit)
      : core(std::move(options), std::move(handler), std::move(body_limit)) {}
  Core core;
};

Server::Server(ServerOptions options, Handler handler, BodyLimit body_limit) {
  if (sodium_init() < 0) {
    throw std::runtime_error("libsodium could not be initialised");
  }
  impl_ = std::make_unique<Impl>(std::move(options), std::move(handler), std::move(body_limit));
}

Server::~Server() {
  Stop();
  Wait();
  // Requests a worker has not started are dropped; one running is waited for.
  impl_->core.workers.stop();
  impl_->core.workers.join();
}

void Server::Start() {
  Core& core = impl_->core;
  std::lock_guard state_lock(core.state_mu);
  if (core.started || core.stop_requested) {
    return;
  }
  const std::string where = core.options.address + ":" + std::to_string(core.options.port);
  error_code ec;
  const auto address = asio::ip::make_address(core.options.address, ec);
  if (ec) {
    throw std::runtime_error("cannot listen on " + where + ": not an IP address");
  }
  const tcp::endpoint endpoint(address, core.options.port);
  core.acceptor.open(endpoint.protocol(), ec);
  if (!ec) {
    core.acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  }
  if (!ec) {
    core.acceptor.bind(endpoint, ec);
  }
  if (!ec) {
    core.acceptor.listen(asio::socket_base::max_listen_connections, ec);
  }
  if (ec) {
    error_code ignored;
    core.acceptor.close(ignored);
    throw std::runtime_error("cannot listen on " + where + ": " + ec.message());
  }
  core.bound_port = core.acceptor.local_endpoint().port();
  asio::dispatch(core.strand, [&core] { core.DoAccept(); });
  {
    std::lock_guard join_lock(core.join_mu);
    for (int i = 0; i < std::max(1, core.options.io_threads); ++i) {
      core.io_threads.emplace_back([&core] {
        for (;;) {
          try {
            core.ioc.run();
            return;
          } catch (const std::exception& e) {
            // A bug in one step of one connection must not take the server down.
            std::fprintf(stderr, "rampart: I/O thread caught: %s\n", e.what());
          }
        }
      });
    }
  }
  core.started = true;
}

std::uint16_t Server::port() const { return impl_->core.bound_port.load(); }

void Server::Wait() {
  Core& core = impl_->core;
  std::lock_guard join_lock(core.join_mu);
  bool joined = false;
  for (auto& thread : core.io_threads) {
    if (thread.joinable()) {
      thread.join();
      joined = true;
    }
  }
  if (!joined) {
    return;
  }
  // The grace period ran out with connections still open. No thread runs the io_context now, so
  // their sockets may be closed from here; polling once lets each Session see that and finish.
  for (auto& session : core.LiveSessions()) {
    session->CloseWhileStopped();
  }
  core.ioc.restart();
  core.ioc.poll();
}

void Server::Stop(std::chrono::milliseconds grace) {
  Core& core = impl_->core;
  std::lock_guard state_lock(core.state_mu);
  if (core.stop_requested) {
    return;
  }
  core.stop_requested = true;
  if (!core.started) {
    return;
  }
  asio::post(core.strand, [&core, grace] { core.BeginShutdown(grace); });
}

ServerStats Server::Stats() const {
  const Core& core = impl_->core;
  return {core.open_connections.load(), core.accepted_total.load(), core.rejected_total.load()};
}

}  // namespace rampart::http
