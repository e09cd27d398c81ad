// Messages leaving Rampart for other servers: e-mail to an SMTP relay and webhook POSTs.
// outbound.cc is the only translation unit that includes libcurl.
//
// The delivery worker sends through the Transport interface, so its tests can use a fake.
#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/config.h"
#include "platform/http.h"

namespace rampart::outbound {

struct Outcome {
  bool ok = false;
  // Trying again cannot help (the relay refused the recipient with a 5xx): give up now.
  bool permanent = false;
  bool cancelled = false;  // Cancel() was called while sending: not an attempt
  bool skipped = false;    // there was nowhere to send it (no relay, webhook deleted): not sent
  std::string error;       // for people and the log; never holds a secret
};

class Transport {
 public:
  virtual ~Transport() = default;
  [[nodiscard]] virtual bool has_smtp_relay() const = 0;
  // Sends one RFC 5322 message to one recipient through the configured relay.
  virtual Outcome SendMail(const std::string& envelope_from, const std::string& recipient,
                           const std::string& message) = 0;
  // POSTs `body`; 2xx is success. Redirects are not followed.
  virtual Outcome Post(const std::string& url, const std::vector<http::Header>& headers,
                       const std::string& body) = 0;
  // Ends transfers under way and refuses new ones (shutdown); callable from any thread.
  virtual void Cancel() = 0;
};

// libcurl: SMTP from smtp_url (smtp:// with STARTTLS as smtp_starttls says, or smtps://),
// smtp_user and smtp_password; webhooks over http(s) with a 10 s limit, to public addresses only
// unless webhook_allow_private_addresses. Calls curl_global_init once.
std::unique_ptr<Transport> CurlTransport(const Config& config);

// Why `url` cannot be a webhook's address, or nullopt when it can: http or https, a host, no
// user name or password in it, no spaces or controls, at most 2000 characters; a literal private,
// loopback or link-local address (or "localhost") only when `allow_private`. Names that resolve to
// such addresses are refused when delivering, where the address actually connected is checked.
std::optional<std::string> CheckWebhookUrl(std::string_view url, bool allow_private);

// Whether a numeric IPv4 or IPv6 address is one the Internet routes: false for loopback,
// private (RFC 1918, unique local), link-local, carrier-grade NAT, multicast, unspecified and
// documentation ranges, and for IPv4-mapped forms of those. False for text that is not an address.
bool IsPublicAddress(std::string_view ip);

}  // namespace rampart::outbound
