#include "platform/outbound.h"

#include <arpa/inet.h>
#include <curl/curl.h>

#include <array>
#include <cstring>
#include <mutex>

namespace rampart::outbound {

namespace {

constexpr long kWebhookTimeoutMs = 10'000;
constexpr long kSmtpConnectTimeoutMs = 10'000;
constexpr long kSmtpTimeoutMs = 60'000;
constexpr std::size_t kMaxUrl = 2000;

struct CurlFree {
  void operator()(char* p) const { curl_free(p); }
};
using CurlString = std::unique_ptr<char, CurlFree>;

struct UrlFree {
  void operator()(CURLU* u) const { curl_url_cleanup(u); }
};

struct SlistFree {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
using Slist = std::unique_ptr<curl_slist, SlistFree>;

void Append(Slist& list, const std::string& item) {
  curl_slist* head = curl_slist_append(list.get(), item.c_str());
  if (head != nullptr && head != list.get()) {
    (void)list.release();  // NOLINT(bugprone-unused-return-value): `head` now owns it
    list.reset(head);
  }
}

struct EasyFree {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
using Easy = std::unique_ptr<CURL, EasyFree>;

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Printable ASCII only, at most `max` characters: text from another server, fit for a log line.
std::string Printable(std::string_view text, std::size_t max) {
  std::string out;
  for (char c : text) {
    if (out.size() >= max) break;
    auto u = static_cast<unsigned char>(c);
    out.push_back(u >= 0x20 && u < 0x7f ? c : ' ');
  }
  return out;
}

bool PublicIpv4(const unsigned char* b) {
  unsigned a0 = b[0], a1 = b[1], a2 = b[2];
  if (a0 == 0 || a0 == 10 || a0 == 127) return false;              // "this", private, loopback
  if (a0 == 169 && a1 == 254) return false;                        // link-local
  if (a0 == 172 && (a1 & 0xF0) == 16) return false;                // private
  if (a0 == 192 && a1 == 168) return false;                        // private
  if (a0 == 100 && (a1 & 0xC0) == 64) return false;                // carrier-grade NAT
  if (a0 == 192 && a1 == 0 && (a2 == 0 || a2 == 2)) return false;  // IETF, documentation
  if (a0 == 198 && (a1 & 0xFE) == 18) return false;                // benchmarking
  if (a0 == 198 && a1 == 51 && a2 == 100) return false;            // documentation
  if (a0 == 203 && a1 == 0 && a2 == 113) return false;             // documentation
  if (a0 >= 224) return false;                                     // multicast, reserved, broadcast
  return true;
}

bool PublicIpv6(const unsigned char* b) {
  static constexpr unsigned char kZero[12] = {};
  static constexpr unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
  static constexpr unsigned char kNat64[12] = {0, 0x64, 0xFF, 0x9B, 0, 0, 0, 0, 0, 0, 0, 0};
  if (std::memcmp(b, kMapped, 12) == 0 || std::memcmp(b, kNat64, 12) == 0) {
    return PublicIpv4(b + 12);
  }
  if (std::memcmp(b, kZero, 12) == 0) return false;  // unspecified, loopback, IPv4-compatible
  if ((b[0] & 0xFE) == 0xFC) return false;           // unique local fc00::/7
  if (b[0] == 0xFE && (b[1] & 0x80) == 0x80) return false;  // link-local, old site-local
  if (b[0] == 0xFF) return false;                           // multicast
  if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8) return false;  // docs
  return true;
}

bool IsIpLiteral(const std::string& host) {
  std::array<unsigned char, 16> buf{};
  return inet_pton(AF_INET, host.c_str(), buf.data()) == 1 ||
         inet_pton(AF_INET6, host.c_str(), buf.data()) == 1;
}

void GlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// What a transfer's callbacks share.
struct Transfer {
  const std::atomic<bool>* cancelled = nullptr;
  bool allow_private = true;
  bool refused_address = false;
  std::string refused_ip;
  // Upload (SMTP DATA).
  const std::string* upload = nullptr;
  std::size_t upload_pos = 0;
  // The start of the answer, for the error message.
  std::string answer;
};

int Progress(void* p, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return static_cast<Transfer*>(p)->cancelled->load() ? 1 : 0;
}

// Called once connected, before the request is sent: the address actually reached is checked,
// so a name that resolves (or re-resolves) to an internal address gets nothing.
int Prereq(void* p, char* primary_ip, char*, int, int) {
  auto* t = static_cast<Transfer*>(p);
  if (t->allow_private || IsPublicAddress(primary_ip)) return CURL_PREREQFUNC_OK;
  t->refused_address = true;
  t->refused_ip = primary_ip;
  return CURL_PREREQFUNC_ABORT;
}

std::size_t Read(char* buffer, std::size_t size, std::size_t n, void* p) {
  auto* t = static_cast<Transfer*>(p);
  std::size_t left = t->upload->size() - t->upload_pos;
  std::size_t count = std::min(left, size * n);
  std::memcpy(buffer, t->upload->data() + t->upload_pos, count);
  t->upload_pos += count;
  return count;
}

std::size_t Write(char* data, std::size_t size, std::size_t n, void* p) {
  auto* t = static_cast<Transfer*>(p);
  if (t->answer.size() < 200) t->answer.append(data, std::min(size * n, 200 - t->answer.size()));
  return size * n;
}

class Curl final : public Transport {
 public:
  explicit Curl(const Config& config)
      : smtp_url_(config.smtp_url),
        smtp_user_(config.smtp_user),
        smtp_password_(config.smtp_password),
        starttls_(config.smtp_starttls),
        allow_private_(config.webhook_allow_private_addresses) {
    GlobalInit();
  }

  [[nodiscard]] bool has_smtp_relay() const override { return !smtp_url_.empty(); }

  Outcome SendMail(const std::string& envelope_from, const std::string& recipient,
                   const std::string& message) override {
    if (cancelled_) return {.cancelled = true};
    if (!smtp_) smtp_.reset(curl_easy_init());
    CURL* c = smtp_.get();
    curl_easy_reset(c);  // keeps the connection to the relay open between messages
    Transfer t{.cancelled = &cancelled_, .upload = &message};
    std::string from = "<" + envelope_from + ">";
    Slist rcpt;
    Append(rcpt, "<" + recipient + ">");
    curl_easy_setopt(c, CURLOPT_URL, smtp_url_.c_str());
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.c_str());
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt.get());
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_READFUNCTION, Read);
    curl_easy_setopt(c, CURLOPT_READDATA, &t);
    long use_ssl = starttls_ == "require" ? CURLUSESSL_ALL
                   : starttls_ == "try"   ? CURLUSESSL_TRY
                                          : CURLUSESSL_NONE;
    curl_easy_setopt(c, CURLOPT_USE_SSL, use_ssl);
    if (!smtp_user_.empty()) {
      curl_easy_setopt(c, CURLOPT_USERNAME, smtp_user_.c_str());
      curl_easy_setopt(c, CURLOPT_PASSWORD, smtp_password_.c_str());
    }
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, kSmtpConnectTimeoutMs);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, kSmtpTimeoutMs);
    Common(c, t);
    return Perform(c, t, [&](long code, Outcome& out) {
      // 550, 551, 553: this mailbox is refused; the next attempt would be refused too.
      out.permanent = code == 550 || code == 551 || code == 553;
    });
  }

  Outcome Post(const std::string& url, const std::vector<http::Header>& headers,
               const std::string& body) override {
    if (cancelled_) return {.cancelled = true};
    if (!web_) web_.reset(curl_easy_init());
    CURL* c = web_.get();
    curl_easy_reset(c);
    Transfer t{.cancelled = &cancelled_, .allow_private = allow_private_};
    Slist list;
    for (const auto& h : headers) Append(list, h.name + ": " + h.value);
    // No "100 Continue" round trip: the receiver gets the whole body at once.
    Append(list, "Expect:");
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, list.get());
    curl_easy_setopt(c, CURLOPT_USERAGENT, "Rampart-Webhook/" RAMPART_VERSION);
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    // Proxies from the environment are not used: the address check below must see the receiver.
    curl_easy_setopt(c, CURLOPT_PROXY, "");
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, kWebhookTimeoutMs);
    curl_easy_setopt(c, CURLOPT_PREREQFUNCTION, Prereq);
    curl_easy_setopt(c, CURLOPT_PREREQDATA, &t);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, Write);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &t);
    Common(c, t);
    return Perform(c, t, [&](long code, Outcome& out) {
      if (code >= 200 && code < 300) {
        out.ok = true;
        out.error.clear();
      } else if (code > 0) {
        out.ok = false;
        out.error = "HTTP " + std::to_string(code);
        if (code >= 300 && code < 400) out.error += " (redirects are not followed)";
        std::string answer = Printable(t.answer, 100);
        if (!answer.empty()) out.error += ": " + answer;
      }
    });
  }

  void Cancel() override { cancelled_ = true; }

 private:
  void Common(CURL* c, Transfer& t) {
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, Progress);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, &t);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error_.data());
    error_[0] = '\0';
  }

  // Runs the transfer; `judge` reads the protocol's answer code into the outcome.
  template <class Judge>
  Outcome Perform(CURL* c, Transfer& t, Judge judge) {
    CURLcode rc = curl_easy_perform(c);
    long code = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    Outcome out;
    if (cancelled_) {
      out.cancelled = true;
      out.error = "cancelled: the server is stopping";
      return out;
    }
    if (t.refused_address) {
      out.error = "refused to connect to " + t.refused_ip +
                  ", a private or loopback address (see webhook_allow_private_addresses)";
      return out;
    }
    if (rc == CURLE_OK) {
      out.ok = true;
    } else {
      out.error = error_[0] != '\0' ? error_.data() : curl_easy_strerror(rc);
      if (code > 0) out.error += " (answer " + std::to_string(code) + ")";
    }
    judge(code, out);
    if (!out.ok && out.error.empty()) out.error = "failed";
    return out;
  }

  std::string smtp_url_, smtp_user_, smtp_password_, starttls_;
  bool allow_private_;
  std::atomic<bool> cancelled_{false};
  Easy smtp_, web_;
  std::array<char, CURL_ERROR_SIZE> error_{};
};

}  // namespace

std::unique_ptr<Transport> CurlTransport(const Config& config) {
  return std::make_unique<Curl>(config);
}

bool IsPublicAddress(std::string_view ip) {
  std::string text(ip);
  std::array<unsigned char, 16> b{};
  if (inet_pton(AF_INET, text.c_str(), b.data()) == 1) return PublicIpv4(b.data());
  if (inet_pton(AF_INET6, text.c_str(), b.data()) == 1) return PublicIpv6(b.data());
  return false;
}

std::optional<std::string> CheckWebhookUrl(std::string_view url, bool allow_private) {
  if (url.size() > kMaxUrl) return "must be at most 2000 characters";
  for (char ch : url) {
    auto c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c == 0x7f) return "must not contain spaces or control characters";
  }
  // "https:///x" would be read leniently, as host "x": the host must follow "//" at once.
  if (auto sep = url.find("://"); sep != std::string_view::npos && url.substr(sep + 3, 1) == "/") {
    return "must name a host";
  }
  GlobalInit();
  std::unique_ptr<CURLU, UrlFree> u(curl_url());
  std::string text(url);
  if (curl_url_set(u.get(), CURLUPART_URL, text.c_str(), CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK) {
    return "is not a valid URL";
  }
  auto part = [&](CURLUPart which) -> std::optional<std::string> {
    char* raw = nullptr;
    if (curl_url_get(u.get(), which, &raw, 0) != CURLUE_OK || raw == nullptr) return std::nullopt;
    CurlString owned(raw);
    return std::string(raw);
  };
  auto scheme = part(CURLUPART_SCHEME);
  if (!scheme || (Lower(*scheme) != "http" && Lower(*scheme) != "https")) {
    return "must be an http or https URL";
  }
  if (part(CURLUPART_USER) || part(CURLUPART_PASSWORD)) {
    return "must not contain a user name or password; the signature tells the receiver it is us";
  }
  auto host = part(CURLUPART_HOST);
  if (!host || host->empty()) return "must name a host";
  std::string h = Lower(*host);
  if (h.size() > 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
  if (!allow_private) {
    bool local_name = h == "localhost" || h.ends_with(".localhost") || h.ends_with(".localhost.");
    if (local_name || h.find('%') != std::string::npos || (IsIpLiteral(h) && !IsPublicAddress(h))) {
      return "must not point to a private, loopback or link-local address";
    }
  }
  return std::nullopt;
}

}  // namespace rampart::outbound
