#include "incidents/observables.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>
#include <string>

#include "platform/embedded.h"

namespace rampart::incidents {
namespace {

constexpr std::string_view kTypeNames[] = {"ipv4", "ipv6",   "domain", "url",   "md5",
                                           "sha1", "sha256", "sha512", "email", "cve"};
static_assert(std::size(kTypeNames) == std::size(kAllObservableTypes));

constexpr std::string_view kExclusionsPath = "catalogues/correlation-exclusions.json";
constexpr std::string_view kExclusionsUrn = "urn:rampart:catalogue:correlation-exclusions";

constexpr std::size_t kMaxDomain = 253;
constexpr std::size_t kMaxLabel = 63;
constexpr std::size_t kMaxUrl = 2048;
constexpr std::size_t kMaxEmail = 254;
constexpr std::size_t kMaxLocalPart = 64;  // RFC 5321 section 4.5.3.1.1
constexpr std::size_t kMinCveDigits = 4;
constexpr std::size_t kMaxCveDigits = 19;  // as in the CVE record schema
constexpr int kFirstCveYear = 1999;
constexpr std::size_t kMaxQuoted = 40;  // of the input repeated in an error message

constexpr char kHexUpper[] = "0123456789ABCDEF";
constexpr char kHexLower[] = "0123456789abcdef";

// ---- characters and text ----

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsHex(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool IsAscii(char c) { return static_cast<unsigned char>(c) < 0x80; }
bool IsControl(char c) {
  auto u = static_cast<unsigned char>(c);
  return u < 0x20 || u == 0x7f;
}
bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
char Upper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }
// The value of at most nine decimal digits.
int Decimal(std::string_view digits) {
  int v = 0;
  for (char c : digits) v = v * 10 + (c - '0');
  return v;
}
int HexValue(char c) {
  if (IsDigit(c)) return c - '0';
  return Lower(c) - 'a' + 10;
}

template <typename Pred>
bool AllOf(std::string_view s, Pred pred) {
  return std::all_of(s.begin(), s.end(), pred);
}

bool StartsWithNoCase(std::string_view s, std::string_view lower_prefix) {
  if (s.size() < lower_prefix.size()) return false;
  for (std::size_t i = 0; i < lower_prefix.size(); ++i) {
    if (Lower(s[i]) != lower_prefix[i]) return false;
  }
  return true;
}

std::string ToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = Lower(c);
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

// Whether `s` is well-formed UTF-8 (no overlong forms, no surrogates, nothing above U+10FFFF).
bool IsUtf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = 0;
    std::uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xe0) == 0xc0) {
      len = 2, cp = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
      len = 3, cp = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
      len = 4, cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > s.size()) return false;
    for (std::size_t k = 1; k < len; ++k) {
      auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3f);
    }
    constexpr std::uint32_t kMinOf[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMinOf[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += len;
  }
  return true;
}

// `s` cut to a length fit for an error message, with anything unprintable shown as '?'.
std::string Clip(std::string_view s) {
  std::string out;
  for (char c : s.substr(0, kMaxQuoted)) out += (IsControl(c) || !IsAscii(c)) ? '?' : c;
  if (s.size() > kMaxQuoted) out += "...";
  return out;
}
std::string Quote(std::string_view s) { return "\"" + Clip(s) + "\""; }

// One character of the input, named for an error message.
std::string Describe(char c) {
  if (c == ' ') return "a space";
  if (IsControl(c)) {
    auto u = static_cast<unsigned char>(c);
    return std::string("control character 0x") + kHexUpper[u >> 4] + kHexUpper[u & 0xf];
  }
  if (!IsAscii(c)) return "a character outside ASCII";
  return std::string("'") + c + "'";
}

std::string Count(std::size_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

// ---- defanging ----

struct Defanged {
  std::string_view spelling;  // lower case; matched in any case
  std::string_view means;
};
constexpr Defanged kDefanged[] = {
    {"[.]", "."}, {"(.)", "."},  {"[dot]", "."}, {"(dot)", "."}, {"[@]", "@"},
    {"(@)", "@"}, {"[at]", "@"}, {"(at)", "@"},  {"[:]", ":"},   {"[://]", "://"},
};

// `s` with the defanged spellings replaced by what they stand for, repeatedly, so that a
// canonical value holds none ("[[.]]" becomes "[.]", then "."). The schemes hxxp and hxxps are the
// URL's business.
std::string Refang(std::string_view s) {
  std::string out(s);
  if (s.find_first_of("[(") == std::string_view::npos) return out;
  bool replaced = true;
  while (replaced) {
    replaced = false;
    std::string next;
    next.reserve(out.size());
    for (std::size_t i = 0; i < out.size();) {
      const Defanged* hit = nullptr;
      if (out[i] == '[' || out[i] == '(') {
        for (const auto& d : kDefanged) {
          if (StartsWithNoCase(std::string_view(out).substr(i), d.spelling)) {
            hit = &d;
            break;
          }
        }
      }
      if (hit != nullptr) {
        next += hit->means;
        i += hit->spelling.size();
        replaced = true;
      } else {
        next += out[i++];
      }
    }
    out.swap(next);
  }
  return out;
}

Normalised Ok(std::string value) { return {.value = std::move(value), .error = {}}; }
Normalised Refused(std::string_view what, std::string_view why) {
  return {.value = {}, .error = std::string(what) + ": " + std::string(why)};
}
Normalised Empty() { return {.value = {}, .error = "is empty"}; }

// ---- IPv4 ----

std::string FormatIpv4(std::uint32_t a) {
  return std::to_string(a >> 24) + "." + std::to_string((a >> 16) & 0xff) + "." +
         std::to_string((a >> 8) & 0xff) + "." + std::to_string(a & 0xff);
}

// Why `s` is not a dotted-quad IPv4 address, or "" when it is (and then the address in *out).
std::string ParseIpv4(std::string_view s, std::uint32_t* out) {
  auto parts = static_cast<std::size_t>(std::count(s.begin(), s.end(), '.')) + 1;
  if (parts != 4) {
    return "it has " + Count(parts, "part", "parts") +
           "; an IPv4 address has four, such as 192.0.2.1";
  }
  std::uint32_t address = 0;
  std::size_t start = 0;
  for (int i = 0; i < 4; ++i) {
    std::size_t end = i == 3 ? s.size() : s.find('.', start);
    std::string_view octet = s.substr(start, end - start);
    start = end + 1;
    if (octet.empty()) return "part " + std::to_string(i + 1) + " is empty";
    if (!AllOf(octet, IsDigit)) return "part " + Quote(octet) + " is not a decimal number";
    if (octet.size() > 1 && octet[0] == '0') {
      return "octet " + Quote(octet) +
             " has a leading zero, which is ambiguous (some software reads it as octal)";
    }
    int value = Decimal(octet.substr(0, 4));
    if (value > 255) return "octet " + Clip(octet) + " is over 255";
    address = (address << 8) | static_cast<std::uint32_t>(value);
  }
  *out = address;
  return {};
}

// Refusals common to both address types: ports and ranges.
std::string CheckSingleAddress(std::string_view s) {
  if (auto slash = s.find('/'); slash != std::string_view::npos) {
    return "CIDR ranges such as " + Quote(s.substr(slash)) +
           " are not accepted; give a single address";
  }
  return {};
}

Normalised NormaliseIpv4(std::string_view raw) {
  constexpr std::string_view kWhat = "is not an IPv4 address";
  std::string text = Refang(Trim(raw));
  std::string_view s = text;
  if (s.empty()) return Empty();
  if (auto why = CheckSingleAddress(s); !why.empty()) return Refused(kWhat, why);
  if (auto colons = std::count(s.begin(), s.end(), ':'); colons > 1) {
    return Refused(kWhat, "it looks like an IPv6 address; use type ipv6");
  } else if (colons == 1) {
    return Refused(kWhat, "a port (" + Quote(s.substr(s.find(':'))) +
                              ") is not part of an address; give the address alone");
  }
  std::uint32_t a = 0;
  if (auto why = ParseIpv4(s, &a); !why.empty()) return Refused(kWhat, why);
  return Ok(FormatIpv4(a));
}

// ---- IPv6 ----

using Ipv6 = std::array<std::uint16_t, 8>;

struct Groups {
  Ipv6 g{};
  std::size_t n = 0;  // may exceed 8; only the first 8 are kept
  void Push(std::uint32_t v) {
    if (n < g.size()) g[n] = static_cast<std::uint16_t>(v);
    ++n;
  }
};

// Parses the ':'-separated groups of one side of "::" (or of the whole address). An embedded
// IPv4 address is allowed only as the very last group (`may_end_in_ipv4`).
std::string ParseGroups(std::string_view s, bool may_end_in_ipv4, Groups* out) {
  if (s.empty()) return {};
  std::size_t start = 0;
  while (true) {
    std::size_t colon = s.find(':', start);
    std::string_view group =
        s.substr(start, colon == std::string_view::npos ? std::string_view::npos : colon - start);
    if (group.empty()) return "it has an empty group (a single ':' at the start or end, or ':::')";
    if (group.find('.') != std::string_view::npos) {
      if (colon != std::string_view::npos || !may_end_in_ipv4) {
        return "an embedded IPv4 address may only come last";
      }
      std::uint32_t v4 = 0;
      if (auto why = ParseIpv4(group, &v4); !why.empty()) {
        return "its IPv4 part " + Quote(group) + " is not valid: " + why;
      }
      out->Push(v4 >> 16);
      out->Push(v4 & 0xffff);
    } else {
      if (!AllOf(group, IsHex)) return "group " + Quote(group) + " is not hexadecimal";
      if (group.size() > 4) return "group " + Quote(group) + " has more than four hex digits";
      std::uint32_t v = 0;
      for (char c : group) v = (v << 4) | static_cast<std::uint32_t>(HexValue(c));
      out->Push(v);
    }
    if (colon == std::string_view::npos) return {};
    start = colon + 1;
  }
}

// Why `s` (without brackets, zone or prefix length) is not an IPv6 address, or "".
std::string ParseIpv6(std::string_view s, Ipv6* out) {
  std::size_t gap = s.find("::");
  Groups head, tail;
  if (gap == std::string_view::npos) {
    if (auto why = ParseGroups(s, true, &head); !why.empty()) return why;
    if (head.n != 8) {
      return "it has " + Count(head.n, "group", "groups") +
             "; an IPv6 address has eight, or '::' for a run of zero groups";
    }
    *out = head.g;
    return {};
  }
  if (s.find("::", gap + 2) != std::string_view::npos) return "'::' may appear only once";
  if (auto why = ParseGroups(s.substr(0, gap), false, &head); !why.empty()) return why;
  if (auto why = ParseGroups(s.substr(gap + 2), true, &tail); !why.empty()) return why;
  if (head.n + tail.n > 7) {
    return "it has " + Count(head.n + tail.n, "group", "groups") +
           " besides '::', which stands for at least one zero group; at most seven fit";
  }
  Ipv6 a{};
  std::copy_n(head.g.begin(), head.n, a.begin());
  std::copy_n(tail.g.begin(), tail.n, a.end() - static_cast<std::ptrdiff_t>(tail.n));
  *out = a;
  return {};
}

bool IsIpv4Mapped(const Ipv6& a) {
  return a[0] == 0 && a[1] == 0 && a[2] == 0 && a[3] == 0 && a[4] == 0 && a[5] == 0xffff;
}
std::uint32_t MappedIpv4(const Ipv6& a) { return (std::uint32_t{a[6]} << 16) | a[7]; }

// RFC 5952 section 4, and section 5 for IPv4-mapped addresses.
std::string FormatIpv6(const Ipv6& a) {
  if (IsIpv4Mapped(a)) return "::ffff:" + FormatIpv4(MappedIpv4(a));
  int best = -1, best_len = 1;  // a run must be longer than one group to be shortened
  for (int i = 0; i < 8;) {
    if (a[i] != 0) {
      ++i;
      continue;
    }
    int j = i;
    while (j < 8 && a[j] == 0) ++j;
    if (j - i > best_len) best = i, best_len = j - i;
    i = j;
  }
  std::string out;
  for (int i = 0; i < 8; ++i) {
    if (i == best) {
      out += "::";
      i += best_len - 1;
      continue;
    }
    if (!out.empty() && out.back() != ':') out += ':';
    bool started = false;
    for (int shift = 12; shift >= 0; shift -= 4) {
      int digit = (a[i] >> shift) & 0xf;
      if (digit != 0 || started || shift == 0) {
        out += kHexLower[digit];
        started = true;
      }
    }
  }
  return out;
}

// Why `s`, an IPv6 address without brackets, cannot be parsed, including the refusals of zone
// ids and ranges; "" when it can.
std::string ParseIpv6Text(std::string_view s, Ipv6* out) {
  if (auto pct = s.find('%'); pct != std::string_view::npos) {
    return "the zone id " + Quote(s.substr(pct)) +
           " only means something on one host; give the address without it";
  }
  if (auto why = CheckSingleAddress(s); !why.empty()) return why;
  if (s.find(':') == std::string_view::npos) {
    return s.find('.') != std::string_view::npos ? "it looks like an IPv4 address; use type ipv4"
                                                 : "it has no ':'";
  }
  return ParseIpv6(s, out);
}

Normalised NormaliseIpv6(std::string_view raw) {
  constexpr std::string_view kWhat = "is not an IPv6 address";
  std::string text = Refang(Trim(raw));
  std::string_view s = text;
  if (s.empty()) return Empty();
  if (s.front() == '[') {
    std::size_t close = s.find(']');
    if (close == std::string_view::npos) return Refused(kWhat, "it has '[' but no closing ']'");
    if (close + 1 != s.size()) {
      if (s[close + 1] == ':') {
        return Refused(kWhat, "a port (" + Quote(s.substr(close + 1)) +
                                  ") is not part of an address; give the address alone");
      }
      return Refused(kWhat, "it has text after the closing ']'");
    }
    s = s.substr(1, close - 1);
  }
  Ipv6 a{};
  if (auto why = ParseIpv6Text(s, &a); !why.empty()) return Refused(kWhat, why);
  return Ok(FormatIpv6(a));
}

// ---- domains ----

// Why `s` (trimmed and refanged) is not a domain name, or "" when it is (and then its canonical
// spelling in *out).
std::string ParseDomain(std::string_view s, std::string* out) {
  if (s.empty()) return "it is empty";
  if (!AllOf(s, IsAscii)) {
    return "it contains characters outside ASCII; give an internationalised name in its "
           "punycode (xn--) form";
  }
  if (s.back() == '.') s.remove_suffix(1);
  if (s.size() > kMaxDomain) {
    return "it is " + std::to_string(s.size()) + " characters long; the limit is " +
           std::to_string(kMaxDomain);
  }
  std::size_t labels = 0;
  std::string_view last;
  for (std::size_t start = 0; start <= s.size();) {
    std::size_t dot = s.find('.', start);
    if (dot == std::string_view::npos) dot = s.size();
    std::string_view label = s.substr(start, dot - start);
    start = dot + 1;
    if (label.empty()) return "it has an empty label (a dot at the start, or two in a row)";
    for (char c : label) {
      if (!IsAlpha(c) && !IsDigit(c) && c != '-') {
        return "it contains " + Describe(c) +
               "; a domain name has only letters, digits, '-' and '.'";
      }
    }
    if (label.size() > kMaxLabel) {
      return "label " + Quote(label) + " is " + std::to_string(label.size()) +
             " characters long; the limit is " + std::to_string(kMaxLabel);
    }
    if (label.front() == '-') return "label " + Quote(label) + " starts with '-'";
    if (label.back() == '-') return "label " + Quote(label) + " ends with '-'";
    ++labels;
    last = label;
  }
  if (labels < 2) return "it has one label; a domain name has at least two, such as example.com";
  if (AllOf(last, IsDigit)) {
    return "its last label " + Quote(last) +
           " is all digits, which no top-level domain is (an IP address is type ipv4 or ipv6)";
  }
  *out = ToLower(s);
  return {};
}

Normalised NormaliseDomain(std::string_view raw) {
  constexpr std::string_view kWhat = "is not a domain name";
  std::string text = Refang(Trim(raw));
  std::string_view s = text;
  if (s.empty()) return Empty();
  if (s.find("://") != std::string_view::npos) {
    return Refused(kWhat, "it looks like a URL; use type url");
  }
  if (s.find('@') != std::string_view::npos) {
    return Refused(kWhat, "it looks like an e-mail address; use type email");
  }
  std::string out;
  if (auto why = ParseDomain(s, &out); !why.empty()) return Refused(kWhat, why);
  return Ok(std::move(out));
}

// ---- URLs ----

// The hex of percent-escapes in upper case and bytes outside ASCII percent-escaped; the rest as
// is. A '%' not followed by two hex digits is kept: the value is evidence, not ours to repair.
void AppendUrlText(std::string_view s, std::string* out) {
  for (std::size_t i = 0; i < s.size();) {
    char c = s[i];
    if (c == '%' && i + 2 < s.size() && IsHex(s[i + 1]) && IsHex(s[i + 2])) {
      *out += '%';
      *out += Upper(s[i + 1]);
      *out += Upper(s[i + 2]);
      i += 3;
    } else if (!IsAscii(c)) {
      auto u = static_cast<unsigned char>(c);
      *out += '%';
      *out += kHexUpper[u >> 4];
      *out += kHexUpper[u & 0xf];
      ++i;
    } else {
      *out += c;
      ++i;
    }
  }
}

std::string_view DefaultPort(std::string_view scheme) {
  if (scheme == "http") return "80";
  if (scheme == "https") return "443";
  return "21";  // ftp
}

Normalised NormaliseUrl(std::string_view raw) {
  constexpr std::string_view kWhat = "is not a URL";
  std::string text = Refang(Trim(raw));
  std::string_view s = text;
  if (s.empty()) return Empty();
  for (char c : s) {
    if (c == ' ') return Refused(kWhat, "it contains a space; percent-encode it as %20");
    if (IsControl(c)) return Refused(kWhat, "it contains " + Describe(c));
  }

  std::size_t scheme_end = s.find("://");
  if (scheme_end == std::string_view::npos) {
    return Refused(kWhat, "it has no scheme; write it with http://, https:// or ftp://");
  }
  std::string scheme = ToLower(s.substr(0, scheme_end));
  if (scheme == "hxxp") scheme = "http";
  if (scheme == "hxxps") scheme = "https";
  if (scheme != "http" && scheme != "https" && scheme != "ftp") {
    return Refused(kWhat, "its scheme " + Quote(scheme) + " is not http, https or ftp");
  }
  std::string_view rest = s.substr(scheme_end + 3);
  rest = rest.substr(0, rest.find('#'));  // the fragment never reaches the server

  std::size_t authority_end = std::min(rest.find_first_of("/?"), rest.size());
  std::string_view authority = rest.substr(0, authority_end);
  std::string_view path_and_query = rest.substr(authority_end);

  std::string_view user_info;  // with its '@'
  if (auto at = authority.rfind('@'); at != std::string_view::npos) {
    user_info = authority.substr(0, at + 1);
    authority.remove_prefix(at + 1);
  }

  std::string host;
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {
    std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return Refused(kWhat, "its IPv6 host has no closing ']'");
    std::string_view after = authority.substr(close + 1);
    if (!after.empty() && after.front() != ':') {
      return Refused(kWhat, "it has text after the IPv6 host's closing ']'");
    }
    if (!after.empty()) port = after.substr(1);
    Ipv6 a{};
    if (auto why = ParseIpv6Text(authority.substr(1, close - 1), &a); !why.empty()) {
      return Refused(kWhat, "its host is not an IPv6 address: " + why);
    }
    host = "[" + FormatIpv6(a) + "]";
  } else {
    std::size_t colon = authority.find(':');
    if (colon != std::string_view::npos) {
      if (authority.find(':', colon + 1) != std::string_view::npos) {
        return Refused(kWhat,
                       "an IPv6 host must be written in brackets, such as http://[2001:db8::1]/");
      }
      port = authority.substr(colon + 1);
      authority = authority.substr(0, colon);
    }
    if (authority.empty()) return Refused(kWhat, "it has no host");
    if (AllOf(authority, [](char c) { return IsDigit(c) || c == '.'; })) {
      std::uint32_t a = 0;
      if (auto why = ParseIpv4(authority, &a); !why.empty()) {
        return Refused(kWhat, "its host " + Quote(authority) + " is not an IPv4 address: " + why);
      }
      host = FormatIpv4(a);
    } else if (auto why = ParseDomain(authority, &host); !why.empty()) {
      return Refused(kWhat, "its host " + Quote(authority) + " is not a domain name: " + why);
    }
  }

  if (!port.empty()) {
    if (!AllOf(port, IsDigit))
      return Refused(kWhat, "its port " + Quote(port) + " is not a number");
    while (port.size() > 1 && port.front() == '0') port.remove_prefix(1);
    if (port.size() > 5 || Decimal(port) > 65535 || port == "0") {
      return Refused(kWhat, "its port " + Clip(port) + " is not from 1 to 65535");
    }
    if (port == DefaultPort(scheme)) port = {};
  }

  std::string out;
  out.reserve(s.size() + 1);
  out += scheme;
  out += "://";
  AppendUrlText(user_info, &out);
  out += host;
  if (!port.empty()) {
    out += ':';
    out += port;
  }
  if (path_and_query.empty() || path_and_query.front() == '?') out += '/';
  AppendUrlText(path_and_query, &out);
  if (out.size() > kMaxUrl) {
    return Refused(kWhat, "it is " + std::to_string(out.size()) +
                              " characters long; the limit is " + std::to_string(kMaxUrl));
  }
  return Ok(std::move(out));
}

// ---- digests ----

struct DigestKind {
  ObservableType type;
  std::string_view name;
  std::size_t digits;
};
constexpr DigestKind kDigests[] = {
    {ObservableType::kMd5, "MD5", 32},
    {ObservableType::kSha1, "SHA-1", 40},
    {ObservableType::kSha256, "SHA-256", 64},
    {ObservableType::kSha512, "SHA-512", 128},
};

const DigestKind* DigestOf(ObservableType type) {
  for (const auto& d : kDigests) {
    if (d.type == type) return &d;
  }
  return nullptr;
}

Normalised NormaliseDigest(const DigestKind& kind, std::string_view raw) {
  auto refused = [&](const std::string& why) {
    return Refused(std::string(kind.type == ObservableType::kMd5 ? "is not an " : "is not a ") +
                       std::string(kind.name) + " digest",
                   why);
  };
  std::string_view s = Trim(raw);
  if (s.empty()) return Empty();
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (!IsHex(s[i])) {
      return refused("it contains " + Describe(s[i]) + " at position " + std::to_string(i + 1) +
                     "; a digest is written in hex digits");
    }
  }
  if (s.size() != kind.digits) {
    std::string why = "it has " + Count(s.size(), "hex digit", "hex digits") + ", not " +
                      std::to_string(kind.digits);
    for (const auto& other : kDigests) {
      if (other.digits == s.size()) why += " (" + std::string(other.name) + " digests have that)";
    }
    return refused(why);
  }
  return Ok(ToLower(s));
}

// ---- e-mail addresses ----

// The characters of an unquoted local part (RFC 5322 atext and '.'); bytes outside ASCII are
// checked as UTF-8 separately (RFC 6531).
bool IsLocalPartChar(char c) {
  if (!IsAscii(c)) return true;
  if (IsAlpha(c) || IsDigit(c)) return true;
  return std::string_view("!#$%&'*+-/=?^_`{|}~.").find(c) != std::string_view::npos;
}

Normalised NormaliseEmail(std::string_view raw) {
  constexpr std::string_view kWhat = "is not an e-mail address";
  std::string text = Refang(Trim(raw));
  std::string_view s = text;
  if (s.empty()) return Empty();
  if (StartsWithNoCase(s, "mailto:")) return Refused(kWhat, "give the address without mailto:");
  std::size_t at = s.find('@');
  if (at == std::string_view::npos) return Refused(kWhat, "it has no '@'");
  if (s.find('@', at + 1) != std::string_view::npos)
    return Refused(kWhat, "it has more than one '@'");

  std::string_view local = Trim(s.substr(0, at));
  std::string_view domain = Trim(s.substr(at + 1));
  if (local.empty()) return Refused(kWhat, "the part before '@' is empty");
  for (char c : local) {
    if (!IsLocalPartChar(c)) {
      return Refused(kWhat, "the part before '@' contains " + Describe(c) +
                                ", which an unquoted address cannot");
    }
  }
  if (!IsUtf8(local)) return Refused(kWhat, "the part before '@' is not valid UTF-8");
  if (local.size() > kMaxLocalPart) {
    return Refused(kWhat, "the part before '@' is " + std::to_string(local.size()) +
                              " bytes long; the limit is " + std::to_string(kMaxLocalPart));
  }
  if (domain.empty()) return Refused(kWhat, "the part after '@' is empty");
  std::string host;
  if (auto why = ParseDomain(domain, &host); !why.empty()) {
    return Refused(kWhat, "the part after '@' is not a domain name: " + why);
  }
  std::string out = std::string(local) + "@" + host;
  if (out.size() > kMaxEmail) {
    return Refused(kWhat, "it is " + std::to_string(out.size()) +
                              " characters long; the limit is " + std::to_string(kMaxEmail));
  }
  return Ok(std::move(out));
}

// ---- CVE ids ----

Normalised NormaliseCve(std::string_view raw) {
  constexpr std::string_view kWhat = "is not a CVE id";
  constexpr std::string_view kForm = "; write it as CVE-YYYY-NNNN, such as CVE-2021-44228";
  std::string_view s = Trim(raw);
  if (s.empty()) return Empty();
  if (!StartsWithNoCase(s, "cve-"))
    return Refused(kWhat, "it does not start with CVE-" + std::string(kForm));
  std::string_view year = s.substr(4, 4);
  if (year.size() != 4 || !AllOf(year, IsDigit) || s.size() < 9 || s[8] != '-') {
    return Refused(kWhat, "the year is not four digits followed by '-'" + std::string(kForm));
  }
  if (Decimal(year) < kFirstCveYear) {
    return Refused(kWhat, "the year " + std::string(year) + " is before " +
                              std::to_string(kFirstCveYear) + ", when CVE ids began");
  }
  std::string_view number = s.substr(9);
  if (number.empty() || !AllOf(number, IsDigit)) {
    return Refused(kWhat, "the part after the year is not a number" + std::string(kForm));
  }
  if (number.size() < kMinCveDigits || number.size() > kMaxCveDigits) {
    return Refused(kWhat, "the number after the year has " +
                              Count(number.size(), "digit", "digits") + ", not " +
                              std::to_string(kMinCveDigits) + " to " +
                              std::to_string(kMaxCveDigits));
  }
  if (number.size() > kMinCveDigits && number[0] == '0') {
    std::string_view shorter =
        number.substr(std::min(number.find_first_not_of('0'), number.size() - kMinCveDigits));
    return Refused(kWhat, "the number " + std::string(number) +
                              " has a leading zero, which only four-digit numbers have (CVE-" +
                              std::string(year) + "-" + std::string(shorter) + "?)");
  }
  return Ok("CVE-" + std::string(year) + "-" + std::string(number));
}

// ---- the exclusion catalogue ----

[[noreturn]] void CatalogueFail(const std::string& what) {
  throw std::logic_error("correlation exclusions: " + std::string(kExclusionsPath) + ": " + what);
}

struct Exclusions {
  std::set<std::string, std::less<>> domains;
  std::set<std::string, std::less<>> digests;
};

Exclusions ParseExclusions(std::string_view json_text) {
  auto root = nlohmann::json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded() || !root.is_object()) CatalogueFail("not a JSON object");
  auto text = [&](const char* key) {
    auto it = root.find(key);
    if (it == root.end() || !it->is_string() || it->get_ref<const std::string&>().empty()) {
      CatalogueFail(std::string("\"") + key + "\" must be a non-empty string");
    }
    return it->get<std::string>();
  };
  auto list = [&](const char* key) -> const nlohmann::json& {
    auto it = root.find(key);
    if (it == root.end() || !it->is_array() || it->empty()) {
      CatalogueFail(std::string("\"") + key + "\" must be a non-empty list");
    }
    for (const auto& e : *it) {
      if (!e.is_string()) CatalogueFail(std::string("\"") + key + "\" must hold only strings");
    }
    return *it;
  };
  if (text("urn") != kExclusionsUrn) CatalogueFail("\"urn\" is not " + std::string(kExclusionsUrn));
  text("version");

  Exclusions x;
  for (const auto& e : list("domains")) {
    const auto& d = e.get_ref<const std::string&>();
    auto n = Normalise(ObservableType::kDomain, d);
    if (!n.ok()) CatalogueFail("domain \"" + d + "\" " + n.error);
    if (n.value != d) CatalogueFail("domain \"" + d + "\" is not written as \"" + n.value + "\"");
    if (!x.domains.insert(d).second) CatalogueFail("domain \"" + d + "\" is listed twice");
  }
  for (const auto& e : list("hashes")) {
    const auto& h = e.get_ref<const std::string&>();
    const DigestKind* kind = nullptr;
    for (const auto& k : kDigests) {
      if (k.digits == h.size()) kind = &k;
    }
    if (kind == nullptr)
      CatalogueFail("hash \"" + h + "\" is not an MD5, SHA-1, SHA-256 or SHA-512");
    auto n = NormaliseDigest(*kind, h);
    if (!n.ok()) CatalogueFail("hash \"" + h + "\" " + n.error);
    if (n.value != h) CatalogueFail("hash \"" + h + "\" is not in lower case");
    if (!x.digests.insert(h).second) CatalogueFail("hash \"" + h + "\" is listed twice");
  }
  return x;
}

const Exclusions& CorrelationExclusions() {
  static const Exclusions kExclusions = [] {
    for (const auto& f : EmbeddedFiles()) {
      if (f.path == kExclusionsPath) return ParseExclusions(f.data);
    }
    CatalogueFail("not embedded in the binary");
  }();
  return kExclusions;
}

// Whether `domain` (canonical) or a domain it is under is on the catalogue.
bool IsExcludedDomain(std::string_view domain) {
  const auto& excluded = CorrelationExclusions().domains;
  while (true) {
    if (excluded.find(domain) != excluded.end()) return true;
    std::size_t dot = domain.find('.');
    if (dot == std::string_view::npos) return false;
    domain.remove_prefix(dot + 1);
  }
}

// ---- what says nothing about an attacker ----

struct Ipv4Range {
  std::uint32_t network;
  int prefix;
};
constexpr Ipv4Range kUncorrelatedIpv4[] = {
    {0x00000000, 8},   // 0.0.0.0/8 "this network", with the unspecified 0.0.0.0 (RFC 1122)
    {0x0a000000, 8},   // 10.0.0.0/8 private (RFC 1918)
    {0x64400000, 10},  // 100.64.0.0/10 shared address space, carrier-grade NAT (RFC 6598)
    {0x7f000000, 8},   // 127.0.0.0/8 loopback
    {0xa9fe0000, 16},  // 169.254.0.0/16 link-local (RFC 3927)
    {0xac100000, 12},  // 172.16.0.0/12 private
    {0xc0a80000, 16},  // 192.168.0.0/16 private
    {0xe0000000, 4},   // 224.0.0.0/4 multicast
    {0xf0000000, 4},   // 240.0.0.0/4 reserved, with the broadcast 255.255.255.255
};

bool IsCorrelatableIpv4(std::uint32_t a) {
  for (const auto& r : kUncorrelatedIpv4) {
    std::uint32_t mask = ~std::uint32_t{0} << (32 - r.prefix);
    if ((a & mask) == r.network) return false;
  }
  return true;
}

bool IsCorrelatableIpv6(const Ipv6& a) {
  if (IsIpv4Mapped(a)) return IsCorrelatableIpv4(MappedIpv4(a));
  bool high_zero = std::all_of(a.begin(), a.begin() + 7, [](std::uint16_t g) { return g == 0; });
  if (high_zero && a[7] <= 1) return false;  // :: unspecified, ::1 loopback
  std::uint16_t first = a[0];
  if ((first & 0xffc0) == 0xfe80) return false;  // fe80::/10 link-local
  if ((first & 0xffc0) == 0xfec0) return false;  // fec0::/10 site-local (deprecated, private)
  if ((first & 0xfe00) == 0xfc00) return false;  // fc00::/7 unique local (RFC 4193)
  if ((first & 0xff00) == 0xff00) return false;  // ff00::/8 multicast
  return true;
}

// The host of a canonical URL, without brackets for IPv6.
bool IsCorrelatableUrlHost(std::string_view url) {
  std::string_view rest = url.substr(url.find("://") + 3);
  std::string_view authority = rest.substr(0, rest.find('/'));  // canonical URLs have a path
  if (auto at = authority.rfind('@'); at != std::string_view::npos) authority.remove_prefix(at + 1);
  if (authority.front() == '[') {
    Ipv6 a{};
    ParseIpv6(authority.substr(1, authority.find(']') - 1), &a);
    return IsCorrelatableIpv6(a);
  }
  std::string_view host = authority.substr(0, authority.find(':'));
  std::uint32_t v4 = 0;
  if (AllOf(host, [](char c) { return IsDigit(c) || c == '.'; }) && ParseIpv4(host, &v4).empty()) {
    return IsCorrelatableIpv4(v4);
  }
  // On a common platform's domain only the bare site says nothing; a path or a query names one
  // file, folder or form there (a shared document, a bucket), which is a lead.
  std::string_view path =
      rest.substr(rest.find('/') == std::string_view::npos ? rest.size() : rest.find('/'));
  return !IsExcludedDomain(host) || (path != "/" && !path.empty());
}

}  // namespace

std::string_view Name(ObservableType type) {
  auto i = static_cast<std::size_t>(type);
  return i < std::size(kTypeNames) ? kTypeNames[i] : std::string_view("unknown");
}

std::optional<ObservableType> ParseObservableType(std::string_view name) {
  for (ObservableType t : kAllObservableTypes) {
    if (Name(t) == name) return t;
  }
  return std::nullopt;
}

Normalised Normalise(ObservableType type, std::string_view raw) {
  switch (type) {
    case ObservableType::kIpv4:
      return NormaliseIpv4(raw);
    case ObservableType::kIpv6:
      return NormaliseIpv6(raw);
    case ObservableType::kDomain:
      return NormaliseDomain(raw);
    case ObservableType::kUrl:
      return NormaliseUrl(raw);
    case ObservableType::kMd5:
    case ObservableType::kSha1:
    case ObservableType::kSha256:
    case ObservableType::kSha512:
      return NormaliseDigest(*DigestOf(type), raw);
    case ObservableType::kEmail:
      return NormaliseEmail(raw);
    case ObservableType::kCve:
      return NormaliseCve(raw);
  }
  return {.value = {}, .error = "is of an unknown observable type"};
}

bool IsCorrelatable(ObservableType type, std::string_view normalised_value) {
  Normalised n = Normalise(type, normalised_value);
  if (!n.ok()) return false;
  const std::string& v = n.value;
  switch (type) {
    case ObservableType::kIpv4: {
      std::uint32_t a = 0;
      ParseIpv4(v, &a);
      return IsCorrelatableIpv4(a);
    }
    case ObservableType::kIpv6: {
      Ipv6 a{};
      ParseIpv6(v, &a);
      return IsCorrelatableIpv6(a);
    }
    case ObservableType::kDomain:
      return !IsExcludedDomain(v);
    case ObservableType::kUrl:
      return IsCorrelatableUrlHost(v);
    case ObservableType::kEmail:
      return true;  // one mailbox is a lead, even at a big provider
    case ObservableType::kMd5:
    case ObservableType::kSha1:
    case ObservableType::kSha256:
    case ObservableType::kSha512:
      return CorrelationExclusions().digests.count(v) == 0;
    case ObservableType::kCve:
      return true;
  }
  return false;
}

}  // namespace rampart::incidents
