// Where webhooks may point: URLs checked when a webhook is made, and the address actually reached
// checked when one is sent.
#include "platform/outbound.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>
#include <string>
#include <thread>

namespace rampart::outbound {
namespace {

TEST(MailerWebhookAddress, PublicAddressesOnly) {
  for (const char* ip : {"8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "2606:4700::1111",
                         "2001:4860:4860::8888", "::ffff:8.8.8.8"}) {
    EXPECT_TRUE(IsPublicAddress(ip)) << ip;
  }
  for (const char* ip : {"127.0.0.1",
                         "127.255.0.1",
                         "10.0.0.1",
                         "172.16.5.4",
                         "172.31.255.255",
                         "192.168.1.1",
                         "169.254.169.254",
                         "100.64.0.1",
                         "0.0.0.0",
                         "224.0.0.1",
                         "255.255.255.255",
                         "192.0.2.1",
                         "198.51.100.7",
                         "203.0.113.9",
                         "198.18.0.1",
                         "::1",
                         "::",
                         "fe80::1",
                         "fc00::1",
                         "fd12::1",
                         "ff02::1",
                         "2001:db8::1",
                         "::ffff:127.0.0.1",
                         "::ffff:10.0.0.1",
                         "64:ff9b::7f00:1",
                         "not an address",
                         "",
                         "localhost"}) {
    EXPECT_FALSE(IsPublicAddress(ip)) << ip;
  }
}

TEST(MailerWebhookUrl, AcceptsHttpAndHttpsToPublicHosts) {
  EXPECT_EQ(CheckWebhookUrl("https://hooks.bank.example/rampart?x=1", false), std::nullopt);
  EXPECT_EQ(CheckWebhookUrl("http://hooks.bank.example:8080/in", false), std::nullopt);
  EXPECT_EQ(CheckWebhookUrl("HTTPS://8.8.8.8/", false), std::nullopt);
}

TEST(MailerWebhookUrl, RefusesOtherSchemesCredentialsAndNonsense) {
  EXPECT_NE(CheckWebhookUrl("ftp://hooks.bank.example/", false), std::nullopt);
  EXPECT_NE(CheckWebhookUrl("file:///etc/passwd", true), std::nullopt);
  EXPECT_NE(CheckWebhookUrl("gopher://hooks.bank.example/", true), std::nullopt);
  EXPECT_NE(CheckWebhookUrl("hooks.bank.example/no-scheme", false), std::nullopt);
  EXPECT_NE(CheckWebhookUrl("not a url", false), std::nullopt);
  EXPECT_NE(CheckWebhookUrl("https://user:pw@hooks.bank.example/", false), std::nullopt);
  EXPECT_NE(CheckWebhookUrl("https://hooks.bank.example/a b", false), std::nullopt);
  EXPECT_NE(CheckWebhookUrl("https://hooks.bank.example/\r\nX: y", false), std::nullopt);
  EXPECT_NE(CheckWebhookUrl("https:///path-only", false), std::nullopt);
  EXPECT_NE(CheckWebhookUrl("https://h.example/" + std::string(2000, 'a'), false), std::nullopt);
}

TEST(MailerWebhookUrl, RefusesLiteralPrivateAddressesUnlessAllowed) {
  for (const char* url : {"http://127.0.0.1:9000/x", "http://[::1]/", "http://localhost/",
                          "http://api.localhost/", "http://10.1.2.3/", "http://169.254.169.254/",
                          "http://2130706433/", "http://[fe80::1%25eth0]/"}) {
    auto why = CheckWebhookUrl(url, false);
    ASSERT_NE(why, std::nullopt) << url;
    EXPECT_NE(why->find("private"), std::string::npos) << url << ": " << *why;
  }
  EXPECT_EQ(CheckWebhookUrl("http://127.0.0.1:9000/x", true), std::nullopt);
  EXPECT_EQ(CheckWebhookUrl("http://localhost:9000/x", true), std::nullopt);
}

// A listening socket on loopback: the kernel completes the connection, so the check that runs
// once connected is what stops the request.
class LoopbackListener {
 public:
  LoopbackListener() {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || listen(fd_, 4) != 0) {
      throw std::runtime_error("cannot listen on loopback");
    }
    socklen_t len = sizeof addr;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
  }
  ~LoopbackListener() { close(fd_); }
  // Accepts one connection, reads one request and answers it with `response`; returns the request.
  std::string AnswerOnce(const std::string& response) {
    int conn = accept(fd_, nullptr, nullptr);
    std::string request;
    char buf[4096];
    while (true) {
      auto header_end = request.find("\r\n\r\n");
      if (header_end != std::string::npos) {
        auto cl = request.find("Content-Length: ");
        std::size_t length = cl == std::string::npos ? 0 : std::stoul(request.substr(cl + 16));
        if (request.size() >= header_end + 4 + length) break;
      }
      auto n = read(conn, buf, sizeof buf);
      if (n <= 0) break;
      request.append(buf, static_cast<std::size_t>(n));
    }
    (void)!write(conn, response.data(), response.size());
    close(conn);
    return request;
  }
  LoopbackListener(const LoopbackListener&) = delete;
  LoopbackListener& operator=(const LoopbackListener&) = delete;
  [[nodiscard]] int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

TEST(MailerWebhookPost, RefusesToSendToAPrivateAddressOnceConnected) {
  LoopbackListener listener;
  Config config;
  auto transport = CurlTransport(config);
  // "localhost" passes no literal check here; the address reached is what is refused.
  auto outcome = transport->Post("http://localhost:" + std::to_string(listener.port()) + "/hook",
                                 {{"Content-Type", "application/json"}}, "{}");
  EXPECT_FALSE(outcome.ok);
  EXPECT_FALSE(outcome.cancelled);
  EXPECT_NE(outcome.error.find("private or loopback"), std::string::npos) << outcome.error;
}

TEST(MailerWebhookPost, PostsTheBodyAndHeadersAndJudgesTheStatus) {
  Config config;
  config.webhook_allow_private_addresses = true;
  auto transport = CurlTransport(config);
  std::string url;
  for (const auto& [status, ok] :
       {std::pair{"204 No Content", true}, std::pair{"503 Service Unavailable", false},
        std::pair{"302 Found", false}}) {
    LoopbackListener listener;
    url = "http://127.0.0.1:" + std::to_string(listener.port()) + "/in";
    std::string request;
    std::thread answer([&, status = status] {
      request = listener.AnswerOnce(std::string("HTTP/1.1 ") + status +
                                    "\r\nLocation: http://elsewhere.example/\r\n"
                                    "Content-Length: 4\r\nConnection: close\r\n\r\nbusy");
    });
    auto outcome = transport->Post(url, {{"Rampart-Signature", "v1=abc"}}, R"({"a":1})");
    answer.join();
    EXPECT_EQ(outcome.ok, ok) << status << ": " << outcome.error;
    EXPECT_TRUE(request.starts_with("POST /in HTTP/1.1\r\n")) << request;
    EXPECT_NE(request.find("\r\nRampart-Signature: v1=abc\r\n"), std::string::npos) << request;
    EXPECT_EQ(request.find("Expect:"), std::string::npos) << "no 100-continue round trip";
    EXPECT_TRUE(request.ends_with("\r\n\r\n{\"a\":1}")) << request;
    if (!ok) {
      EXPECT_TRUE(outcome.error.starts_with(std::string("HTTP ") + std::string(status, 3)))
          << outcome.error;
      EXPECT_NE(outcome.error.find("busy"), std::string::npos) << outcome.error;
    }
  }
}

TEST(MailerWebhookPost, ACancelledTransportSendsNothing) {
  Config config;
  config.webhook_allow_private_addresses = true;
  auto transport = CurlTransport(config);
  transport->Cancel();
  auto outcome = transport->Post("http://127.0.0.1:9/", {}, "{}");
  EXPECT_TRUE(outcome.cancelled);
  EXPECT_FALSE(transport->has_smtp_relay());
}

}  // namespace
}  // namespace rampart::outbound
