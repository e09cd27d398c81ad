// The server against a real loopback socket. The client here is plain POSIX on purpose: it sends
// exactly the bytes a test writes, including the malformed ones a real client library would refuse.
#include "platform/http_server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace rampart::http {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

struct ClientResponse {
  int status = 0;
  std::vector<Header> headers;
  std::string body;

  [[nodiscard]] std::optional<std::string_view> Find(std::string_view name) const {
    for (const auto& h : headers) {
      if (IEquals(h.name, name)) {
        return std::string_view(h.value);
      }
    }
    return std::nullopt;
  }
};

// A blocking TCP client on 127.0.0.1 with deadlines on every read.
class Client final {
 public:
  explicit Client(std::uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~Client() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
  }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  [[nodiscard]] bool connected() const { return connected_; }

  // False when the server has closed or reset the connection.
  bool Send(std::string_view data) {
    while (!data.empty()) {
      const ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) {
        return false;
      }
      data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }

  // One response, its body framed by Content-Length; nullopt when the connection ends or the
  // deadline passes first.
  std::optional<ClientResponse> Read(bool head = false, milliseconds timeout = milliseconds(3000)) {
    const auto deadline = Clock::now() + timeout;
    std::size_t end;
    while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (!Fill(deadline)) {
        return std::nullopt;
      }
    }
    ClientResponse res;
    std::string_view head_block(buffer_.data(), end + 2);
    std::size_t line_end = head_block.find("\r\n");
    const std::string_view status_line = head_block.substr(0, line_end);
    if (status_line.size() < 12 || status_line.substr(0, 9) != "HTTP/1.1 ") {
      return std::nullopt;
    }
    res.status = std::stoi(std::string(status_line.substr(9, 3)));
    head_block.remove_prefix(line_end + 2);
    while (!head_block.empty()) {
      line_end = head_block.find("\r\n");
      const std::string_view line = head_block.substr(0, line_end);
      head_block.remove_prefix(line_end + 2);
      const std::size_t colon = line.find(':');
      std::string_view value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') {
        value.remove_prefix(1);
      }
      res.headers.push_back({std::string(line.substr(0, colon)), std::string(value)});
    }
    buffer_.erase(0, end + 4);
    std::size_t length = 0;
    const bool bodiless = head || res.status < 200 || res.status == 204 || res.status == 304;
    if (auto cl = res.Find("Content-Length"); cl && !bodiless) {
      length = std::stoul(std::string(*cl));
    }
    while (buffer_.size() < length) {
      if (!Fill(deadline)) {
        return std::nullopt;
      }
    }
    res.body = buffer_.substr(0, length);
    buffer_.erase(0, length);
    return res;
  }

  // True when the server closes (or resets) the connection before the deadline; anything it
  // sends meanwhile is kept for Read().
  bool WaitClosed(milliseconds timeout = milliseconds(3000)) {
    const auto deadline = Clock::now() + timeout;
    while (Fill(deadline)) {
    }
    return closed_;
  }

  // Whether the server has closed the connection, without waiting.
  bool ClosedNow() { return WaitClosed(milliseconds(0)); }

 private:
  // Reads what is available before the deadline; false on end of stream, error, or deadline.
  bool Fill(Clock::time_point deadline) {
    if (closed_) {
      return false;
    }
    const auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now()).count();
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(std::max<long>(0, left))) <= 0) {
      return false;
    }
    char chunk[4096];
    const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) {
      closed_ = true;
      return false;
    }
    buffer_.append(chunk, static_cast<std::size_t>(n));
    return true;
  }

  int fd_ = -1;
  bool connected_ = false;
  bool closed_ = false;
  std::string buffer_;
};

std::string Get(std::string_view path, std::string_view extra_headers = {}) {
  return "GET " + std::string(path) + " HTTP/1.1\r\nHost: test\r\n" + std::string(extra_headers) +
         "\r\n";
}

std::string Post(std::string_view path, std::string_view body) {
  return "POST " + std::string(path) +
         " HTTP/1.1\r\nHost: test\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" +
         std::string(body);
}

class ServerTest : public ::testing::Test {
 protected:
  static ServerOptions SmallOptions() {
    ServerOptions o;
    o.address = "127.0.0.1";
    o.port = 0;
    o.io_threads = 1;
    o.worker_threads = 4;
    o.header_limit = 1024;
    o.default_body_limit = 1024;
    o.header_timeout = milliseconds(500);
    o.body_timeout = milliseconds(500);
    o.idle_timeout = milliseconds(300);
    return o;
  }

  // Echoes what the server made of the request, so that tests can check it.
  Response Echo(Request& req) {
    ++calls_;
    Response res;
    res.Set("Content-Type", "text/plain");
    res.Set("X-Request-Id", req.request_id);
    res.Set("X-Path", req.path);
    res.Set("X-Query", req.query);
    res.Set("X-Remote", req.remote_address);
    res.body = req.method + " " + req.target + " " + req.body;
    return res;
  }

  void StartServer(ServerOptions options, Handler handler = nullptr, BodyLimit limit = nullptr) {
    if (!handler) {
      handler = [this](Request& req) { return Echo(req); };
    }
    server_ = std::make_unique<Server>(std::move(options), std::move(handler), std::move(limit));
    server_->Start();
    ASSERT_NE(server_->port(), 0);
  }

  [[nodiscard]] std::uint16_t port() const { return server_->port(); }

  std::atomic<int> calls_{0};
  std::unique_ptr<Server> server_;
};

void ExpectProblem(const std::optional<ClientResponse>& res, int status, std::string_view slug) {
  ASSERT_TRUE(res.has_value());
  EXPECT_EQ(res->status, status);
  EXPECT_EQ(res->Find("Content-Type"), "application/problem+json");
  EXPECT_NE(res->body.find("\"type\":\"urn:rampart:problem:" + std::string(slug) + "\""),
            std::string::npos)
      << res->body;
  EXPECT_NE(res->body.find("\"status\":" + std::to_string(status)), std::string::npos);
  EXPECT_EQ(res->Find("Connection"), "close");
}

TEST_F(ServerTest, ServesTwoRequestsOnOneKeepAliveConnection) {
  StartServer(SmallOptions());
  Client c(port());
  ASSERT_TRUE(c.connected());
  ASSERT_TRUE(c.Send(Get("/a%20b?x=1")));
  auto first = c.Read();
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->status, 200);
  EXPECT_EQ(first->body, "GET /a%20b?x=1 ");
  EXPECT_EQ(first->Find("X-Path"), "/a b");
  EXPECT_EQ(first->Find("X-Query"), "x=1");
  EXPECT_EQ(first->Find("X-Remote"), "127.0.0.1");
  EXPECT_EQ(first->Find("Content-Length"), std::to_string(first->body.size()));
  EXPECT_EQ(first->Find("Server"), std::nullopt);
  EXPECT_EQ(first->Find("Connection"), std::nullopt);

  ASSERT_TRUE(c.Send(Get("/second")));
  auto second = c.Read();
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->body, "GET /second ");
  ASSERT_TRUE(first->Find("X-Request-Id") && second->Find("X-Request-Id"));
  EXPECT_EQ(first->Find("X-Request-Id")->size(), 32u);
  EXPECT_NE(*first->Find("X-Request-Id"), *second->Find("X-Request-Id"));
  EXPECT_EQ(server_->Stats().accepted_total, 1);
  EXPECT_EQ(server_->Stats().open_connections, 1);
}

TEST_F(ServerTest, AnswersPipelinedRequestsInOrder) {
  StartServer(SmallOptions());
  Client c(port());
  ASSERT_TRUE(c.Send(Get("/one") + Get("/two")));
  auto one = c.Read();
  auto two = c.Read();
  ASSERT_TRUE(one && two);
  EXPECT_EQ(one->body, "GET /one ");
  EXPECT_EQ(two->body, "GET /two ");
}

TEST_F(ServerTest, DeliversPostBodyToTheHandler) {
  StartServer(SmallOptions());
  Client c(port());
  ASSERT_TRUE(c.Send(Post("/items", R"({"name":"x"})")));
  auto res = c.Read();
  ASSERT_TRUE(res.has_value());
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, R"(POST /items {"name":"x"})");
}

TEST_F(ServerTest, DeliversChunkedBodyToTheHandler) {
  StartServer(SmallOptions());
  Client c(port());
  ASSERT_TRUE(
      c.Send("POST /c HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
             "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"));
  auto res = c.Read();
  ASSERT_TRUE(res.has_value());
  EXPECT_EQ(res->body, "POST /c abcde");
}

TEST_F(ServerTest, SendsContinueWhenTheClientExpectsIt) {
  StartServer(SmallOptions());
  Client c(port());
  ASSERT_TRUE(
      c.Send("POST /e HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n"));
  auto interim = c.Read();
  ASSERT_TRUE(interim.has_value());
  EXPECT_EQ(interim->status, 100);
  ASSERT_TRUE(c.Send("body"));
  auto res = c.Read();
  ASSERT_TRUE(res.has_value());
  EXPECT_EQ(res->body, "POST /e body");
}

TEST_F(ServerTest, RejectsBodyOverTheLimitWithoutCallingTheHandler) {
  std::atomic<int> limit_calls{0};
  StartServer(SmallOptions(), nullptr, [&](std::string_view method, std::string_view path) {
    ++limit_calls;
    EXPECT_EQ(method, "POST");
    EXPECT_EQ(path, "/small");
    return std::size_t{10};
  });
  Client c(port());
  ASSERT_TRUE(c.Send(Post("/small", std::string(100, 'x'))));
  ExpectProblem(c.Read(), 413, "payload-too-large");
  EXPECT_TRUE(c.WaitClosed());
  EXPECT_EQ(limit_calls.load(), 1);
  EXPECT_EQ(calls_.load(), 0);
}

TEST_F(ServerTest, RejectsChunkedBodyOverTheLimit) {
  StartServer(SmallOptions(), nullptr,
              [](std::string_view, std::string_view) { return std::size_t{4}; });
  Client c(port());
  ASSERT_TRUE(
      c.Send("POST /c HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
             "3\r\nabc\r\n3\r\ndef\r\n0\r\n\r\n"));
  ExpectProblem(c.Read(), 413, "payload-too-large");
  EXPECT_EQ(calls_.load(), 0);
}

TEST_F(ServerTest, UsesDefaultBodyLimitWithoutABodyLimitFunction) {
  StartServer(SmallOptions());  // default_body_limit is 1024
  Client ok(port());
  ASSERT_TRUE(ok.Send(Post("/p", std::string(1024, 'x'))));
  auto res = ok.Read();
  ASSERT_TRUE(res.has_value());
  EXPECT_EQ(res->status, 200);
  Client big(port());
  ASSERT_TRUE(big.Send(Post("/p", std::string(1025, 'x'))));
  ExpectProblem(big.Read(), 413, "payload-too-large");
}

TEST_F(ServerTest, RejectsHeaderBlockOverTheLimit) {
  StartServer(SmallOptions());  // header_limit is 1024
  Client c(port());
  ASSERT_TRUE(c.Send(Get("/", "X-Big: " + std::string(2000, 'a') + "\r\n")));
  ExpectProblem(c.Read(), 431, "header-too-large");
  EXPECT_TRUE(c.WaitClosed());
  EXPECT_EQ(calls_.load(), 0);
}

TEST_F(ServerTest, RejectsContentLengthWithTransferEncoding) {
  StartServer(SmallOptions());
  for (const std::string framing : {"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n",
                                    "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n",
                                    "Transfer-Encoding: gzip\r\nContent-Length: 5\r\n"}) {
    Client c(port());
    ASSERT_TRUE(c.Send("POST / HTTP/1.1\r\nHost: t\r\n" + framing + "\r\n0\r\n\r\n"));
    ExpectProblem(c.Read(), 400, "bad-request");
    EXPECT_TRUE(c.WaitClosed()) << framing;
  }
  EXPECT_EQ(calls_.load(), 0);
}

TEST_F(ServerTest, RejectsDuplicateContentLengthEvenWhenEqual) {
  StartServer(SmallOptions());
  for (const std::string framing :
       {"Content-Length: 3\r\nContent-Length: 3\r\n", "Content-Length: 3, 3\r\n"}) {
    Client c(port());
    ASSERT_TRUE(c.Send("POST / HTTP/1.1\r\nHost: t\r\n" + framing + "\r\nabc"));
    ExpectProblem(c.Read(), 400, "bad-request");
    EXPECT_TRUE(c.WaitClosed()) << framing;
  }
  EXPECT_EQ(calls_.load(), 0);
}

TEST_F(ServerTest, RejectsTransferEncodingNotEndingInChunked) {
  StartServer(SmallOptions());
  for (const std::string coding : {"gzip", "chunked, gzip", "chunked, chunked"}) {
    Client c(port());
    ASSERT_TRUE(
        c.Send("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: " + coding + "\r\n\r\n0\r\n\r\n"));
    ExpectProblem(c.Read(), 400, "bad-request");
    EXPECT_TRUE(c.WaitClosed()) << coding;
  }
  EXPECT_EQ(calls_.load(), 0);
}

TEST_F(ServerTest, RejectsDotSegmentsWithoutCallingTheHandler) {
  StartServer(SmallOptions());
  for (const std::string path : {"/a/../b", "/a/%2e%2e/etc", "/./x", "/a%00b", "/bad%zz"}) {
    Client c(port());
    ASSERT_TRUE(c.Send(Get(path)));
    ExpectProblem(c.Read(), 400, "bad-request");
  }
  EXPECT_EQ(calls_.load(), 0);
}

TEST_F(ServerTest, RejectsTargetsNotInOriginForm) {
  StartServer(SmallOptions());
  for (const std::string target : {"http://test/a", "*", "a/b"}) {
    Client c(port());
    ASSERT_TRUE(c.Send(Get(target)));
    ExpectProblem(c.Read(), 400, "bad-request");
  }
  EXPECT_EQ(calls_.load(), 0);
}

TEST_F(ServerTest, PassesOptionsAsteriskToTheHandler) {
  StartServer(SmallOptions());
  Client c(port());
  ASSERT_TRUE(c.Send("OPTIONS * HTTP/1.1\r\nHost: t\r\n\r\n"));
  auto res = c.Read();
  ASSERT_TRUE(res.has_value());
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->Find("X-Path"), "*");
}

TEST_F(ServerTest, RejectsHttp11RequestWithoutHost) {
  StartServer(SmallOptions());
  Client c(port());
  ASSERT_TRUE(c.Send("GET / HTTP/1.1\r\n\r\n"));
  ExpectProblem(c.Read(), 400, "bad-request");
  EXPECT_EQ(calls_.load(), 0);
}

TEST_F(ServerTest, RejectsGarbageAsBadRequest) {
  StartServer(SmallOptions());
  Client c(port());
  ASSERT_TRUE(c.Send("HELLO THERE\r\n\r\n"));
  ExpectProblem(c.Read(), 400, "bad-request");
}

TEST_F(ServerTest, UpperCasesTheMethod) {
  StartServer(SmallOptions());
  Client c(port());
  ASSERT_TRUE(c.Send("get /m HTTP/1.1\r\nHost: t\r\n\r\n"));
  auto res = c.Read();
  ASSERT_TRUE(res.has_value());
  EXPECT_EQ(res->body, "GET /m ");
}

TEST_F(ServerTest, AnswersHeadWithHeadersOnly) {
  StartServer(SmallOptions());
  Client c(port());
  ASSERT_TRUE(c.Send("HEAD /h HTTP/1.1\r\nHost: t\r\n\r\n"));
  auto head = c.Read(/*head=*/true);
  ASSERT_TRUE(head.has_value());
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->Find("Content-Length"), std::to_string(std::string("HEAD /h ").size()));
  // Had a body been sent, it would be read here as the start of the next response.
  ASSERT_TRUE(c.Send(Get("/next")));
  auto next = c.Read();
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->body, "GET /next ");
}

TEST_F(ServerTest, HonoursConnectionClose) {
  StartServer(SmallOptions());
  Client c(port());
  ASSERT_TRUE(c.Send(Get("/", "Connection: close\r\n")));
  auto res = c.Read();
  ASSERT_TRUE(res.has_value());
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->Find("Connection"), "close");
  EXPECT_TRUE(c.WaitClosed());
}

TEST_F(ServerTest, ClosesAfterMaxRequestsPerConnection) {
  ServerOptions options = SmallOptions();
  options.max_requests_per_connection = 2;
  StartServer(options);
  Client c(port());
  ASSERT_TRUE(c.Send(Get("/1")));
  auto first = c.Read();
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->Find("Connection"), std::nullopt);
  ASSERT_TRUE(c.Send(Get("/2")));
  auto second = c.Read();
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->Find("Connection"), "close");
  EXPECT_TRUE(c.WaitClosed());
}

TEST_F(ServerTest, AnswersHandlerExceptionWithInternalError) {
  StartServer(SmallOptions(), [](Request&) -> Response { throw std::runtime_error("boom"); });
  Client c(port());
  ASSERT_TRUE(c.Send(Get("/")));
  auto res = c.Read();
  ASSERT_TRUE(res.has_value());
  EXPECT_EQ(res->status, 500);
  EXPECT_EQ(res->Find("Content-Type"), "application/problem+json");
}

TEST_F(ServerTest, RefusesHeaderValuesThatWouldSplitTheResponse) {
  StartServer(SmallOptions(), [](Request&) {
    Response res;
    res.Set("X-Evil", "a\r\nSet-Cookie: stolen=1");
    return res;
  });
  Client c(port());
  ASSERT_TRUE(c.Send(Get("/")));
  auto res = c.Read();
  ASSERT_TRUE(res.has_value());
  EXPECT_EQ(res->status, 500);
  EXPECT_EQ(res->Find("Set-Cookie"), std::nullopt);
}

TEST_F(ServerTest, ClosesASlowHeaderClientWhileServingOthers) {
  StartServer(SmallOptions());  // header_timeout is 500 ms
  Client slow(port());
  const auto start = Clock::now();
  const std::string trickle = "GET / HTTP/1.1\r\nHost: t\r\nX-Slow: " + std::string(100, 'a');
  std::size_t sent = 0;
  ASSERT_TRUE(slow.Send(trickle.substr(sent++, 1)));

  Client quick(port());
  ASSERT_TRUE(quick.Send(Get("/quick")));
  auto res = quick.Read(false, milliseconds(1000));
  ASSERT_TRUE(res.has_value());
  EXPECT_EQ(res->body, "GET /quick ");

  bool closed = false;
  while (!closed && Clock::now() - start < milliseconds(3000)) {
    std::this_thread::sleep_for(milliseconds(200));
    closed = !slow.Send(trickle.substr(sent++, 1)) || slow.ClosedNow();
  }
  EXPECT_TRUE(closed);
  EXPECT_GE(Clock::now() - start, milliseconds(400));
  EXPECT_EQ(calls_.load(), 1);
}

TEST_F(ServerTest, ClosesASlowBodyClient) {
  StartServer(SmallOptions());  // body_timeout is 500 ms
  Client c(port());
  ASSERT_TRUE(c.Send("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nab"));
  EXPECT_TRUE(c.WaitClosed(milliseconds(3000)));
  EXPECT_EQ(calls_.load(), 0);
}

TEST_F(ServerTest, ClosesAnIdleKeepAliveConnection) {
  StartServer(SmallOptions());  // idle_timeout is 300 ms
  Client c(port());
  ASSERT_TRUE(c.Send(Get("/")));
  ASSERT_TRUE(c.Read().has_value());
  const auto start = Clock::now();
  EXPECT_TRUE(c.WaitClosed(milliseconds(3000)));
  EXPECT_GE(Clock::now() - start, milliseconds(200));
}

TEST_F(ServerTest, ClosesConnectionsBeyondTheLimit) {
  ServerOptions options = SmallOptions();
  options.max_connections = 2;
  options.idle_timeout = milliseconds(5000);
  options.header_timeout = milliseconds(5000);
  StartServer(options);
  Client a(port());
  Client b(port());
  for (Client* c : {&a, &b}) {
    ASSERT_TRUE(c->Send(Get("/")));
    ASSERT_TRUE(c->Read().has_value());
  }
  Client extra(port());
  EXPECT_TRUE(extra.WaitClosed(milliseconds(2000)));
  if (auto busy = extra.Read(false, milliseconds(0))) {
    EXPECT_EQ(busy->status, 503);
  }
  EXPECT_EQ(server_->Stats().rejected_total, 1);
  EXPECT_EQ(server_->Stats().open_connections, 2);
  // The connections within the limit are unaffected.
  ASSERT_TRUE(a.Send(Get("/again")));
  auto res = a.Read();
  ASSERT_TRUE(res.has_value());
  EXPECT_EQ(res->status, 200);
}

TEST_F(ServerTest, SlowHandlerDoesNotDelayAnotherConnection) {
  StartServer(SmallOptions(), [this](Request& req) {
    if (req.path == "/slow") {
      std::this_thread::sleep_for(milliseconds(400));
    }
    return Echo(req);
  });
  Client slow(port());
  Client fast(port());
  ASSERT_TRUE(slow.Send(Get("/slow")));
  std::this_thread::sleep_for(milliseconds(50));  // let the slow request reach its handler
  ASSERT_TRUE(fast.Send(Get("/fast")));
  auto fast_res = fast.Read();
  const auto fast_done = Clock::now();
  auto slow_res = slow.Read();
  const auto slow_done = Clock::now();
  ASSERT_TRUE(fast_res && slow_res);
  EXPECT_EQ(fast_res->body, "GET /fast ");
  EXPECT_EQ(slow_res->body, "GET /slow ");
  EXPECT_LT(fast_done, slow_done);
}

TEST_F(ServerTest, ServesManyClientsAtOnceOnSeveralIoThreads) {
  ServerOptions options = SmallOptions();
  options.io_threads = 2;
  StartServer(options);
  constexpr int kClients = 12;
  constexpr int kRequests = 20;
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  threads.reserve(kClients);
  for (int i = 0; i < kClients; ++i) {
    threads.emplace_back([&, i] {
      Client c(port());
      for (int j = 0; j < kRequests; ++j) {
        const std::string body = std::to_string(i) + "/" + std::to_string(j);
        if (!c.Send(Post("/p", body))) {
          return;
        }
        auto res = c.Read();
        if (res && res->body == "POST /p " + body) {
          ++ok;
        }
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  EXPECT_EQ(ok.load(), kClients * kRequests);
  EXPECT_EQ(server_->Stats().accepted_total, kClients);
}

TEST_F(ServerTest, StopLetsAnInFlightRequestFinish) {
  std::promise<void> entered;
  StartServer(SmallOptions(), [&](Request& req) {
    entered.set_value();
    std::this_thread::sleep_for(milliseconds(300));
    return Echo(req);
  });
  Client c(port());
  ASSERT_TRUE(c.Send(Get("/slow")));
  ASSERT_EQ(entered.get_future().wait_for(std::chrono::seconds(3)), std::future_status::ready);
  server_->Stop(milliseconds(3000));
  server_->Stop(milliseconds(3000));  // a second call changes nothing
  auto res = c.Read();
  ASSERT_TRUE(res.has_value());
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, "GET /slow ");
  EXPECT_EQ(res->Find("Connection"), "close");
  EXPECT_TRUE(c.WaitClosed());
  server_->Wait();
  Client late(port());
  EXPECT_FALSE(late.connected() && late.Send(Get("/")) && late.Read().has_value());
}

TEST_F(ServerTest, StopClosesIdleConnectionsWithoutWaitingForTheGrace) {
  ServerOptions options = SmallOptions();
  options.idle_timeout = milliseconds(10'000);
  options.header_timeout = milliseconds(10'000);
  StartServer(options);
  Client idle(port());
  ASSERT_TRUE(idle.Send(Get("/")));
  ASSERT_TRUE(idle.Read().has_value());
  Client silent(port());  // connected, never sends
  ASSERT_TRUE(silent.connected());
  const auto start = Clock::now();
  std::thread stopper([this] { server_->Stop(milliseconds(5000)); });
  server_->Wait();
  stopper.join();
  EXPECT_LT(Clock::now() - start, milliseconds(2000));
  EXPECT_TRUE(idle.WaitClosed(milliseconds(1000)));
  EXPECT_TRUE(silent.WaitClosed(milliseconds(1000)));
  EXPECT_EQ(server_->Stats().open_connections, 0);
}

TEST_F(ServerTest, StopGivesUpOnAHandlerThatOutlastsTheGrace) {
  std::promise<void> entered;
  StartServer(SmallOptions(), [&](Request& req) {
    entered.set_value();
    std::this_thread::sleep_for(milliseconds(800));
    return Echo(req);
  });
  Client c(port());
  ASSERT_TRUE(c.Send(Get("/")));
  ASSERT_EQ(entered.get_future().wait_for(std::chrono::seconds(3)), std::future_status::ready);
  const auto start = Clock::now();
  server_->Stop(milliseconds(100));
  server_->Wait();
  EXPECT_LT(Clock::now() - start, milliseconds(700));
  EXPECT_TRUE(c.WaitClosed(milliseconds(1000)));
}

TEST_F(ServerTest, DestructorStopsARunningServer) {
  StartServer(SmallOptions());
  Client c(port());
  ASSERT_TRUE(c.Send(Get("/")));
  ASSERT_TRUE(c.Read().has_value());
  server_.reset();
  EXPECT_TRUE(c.WaitClosed(milliseconds(1000)));
}

TEST(ServerStartTest, ThrowsNamingTheAddressWhenItCannotListen) {
  ServerOptions options;
  options.address = "203.0.113.7";  // TEST-NET-3: never a local address
  options.port = 0;
  Server server(
      options, [](Request&) { return Response{}; }, nullptr);
  try {
    server.Start();
    FAIL() << "Start() should have thrown";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("203.0.113.7"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace rampart::http
