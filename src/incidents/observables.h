// Observables: the technical values an incident report carries (addresses, domains, URLs, file
// digests, e-mail addresses, CVE ids), checked and brought to one canonical spelling so that the
// same value reported by two organisations is stored, compared and correlated as the same text.
// Pure functions: no I/O, no clock, no database. The list of values too common to correlate is
// data, catalogues/correlation-exclusions.json (embedded in the binary).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rampart::incidents {

enum class ObservableType : std::uint8_t {
  kIpv4,
  kIpv6,
  kDomain,
  kUrl,
  kMd5,
  kSha1,
  kSha256,
  kSha512,
  kEmail,
  kCve,
};
inline constexpr ObservableType kAllObservableTypes[] = {
    ObservableType::kIpv4,  ObservableType::kIpv6, ObservableType::kDomain, ObservableType::kUrl,
    ObservableType::kMd5,   ObservableType::kSha1, ObservableType::kSha256, ObservableType::kSha512,
    ObservableType::kEmail, ObservableType::kCve};

// The machine name used in the API and in imports: "ipv4", "ipv6", "domain", "url", "md5", "sha1",
// "sha256", "sha512", "email", "cve".
std::string_view Name(ObservableType type);
// The type with that exact machine name; nullopt for anything else (names are case-sensitive).
std::optional<ObservableType> ParseObservableType(std::string_view name);

struct Normalised {
  std::string value;  // the canonical spelling; empty when there is an error
  std::string error;  // for people, to follow a field name: "is not an IPv4 address: …"
  [[nodiscard]] bool ok() const { return error.empty(); }
};

// Validates `raw` as an observable of `type` and returns its one canonical spelling, or an error
// written for people ("is not an IPv4 address: octet 256 is over 255"). Never throws on any input.
//
// Surrounding whitespace is ignored, and so are the "defanged" spellings analysts paste to keep a
// value from being clicked: "[.]", "(.)", "[dot]" and "(dot)" for '.', "[@]", "(@)", "[at]" and
// "(at)" for '@', "[:]" for ':', "[://]" for "://", and the schemes hxxp and hxxps.
//
// Canonical forms:
//  * ipv4: dotted quad of four decimal octets without leading zeros. "010.1.1.1" is refused
//    (octal to some software), and so are fewer than four parts, ports and CIDR ranges.
//  * ipv6: RFC 5952 (lower case, no leading zeros, the longest run of two or more zero groups
//    shortened to "::", the first such run on ties), IPv4-mapped addresses as ::ffff:a.b.c.d.
//    "[::1]" is accepted; zone ids ("%eth0"), ports and CIDR ranges are refused.
//  * domain: lower-case ASCII without the trailing dot; at least two labels of 1 to 63 characters
//    from [a-z0-9-] that neither start nor end with '-'; at most 253 characters; a top-level
//    label that is not all digits. Internationalised names must be given in punycode ("xn--…").
//  * url: scheme http, https or ftp in lower case; the host as a domain or an IP address (IPv6 in
//    brackets); the scheme's default port dropped; an empty path written "/"; the hex digits of
//    percent-escapes in upper case; bytes outside ASCII percent-escaped; the fragment dropped;
//    everything else (user info, path, query) verbatim. At most 2048 characters.
//  * md5, sha1, sha256, sha512: exactly 32, 40, 64 or 128 hex digits, in lower case.
//  * email: one '@'; the local part as given (case kept, surrounding spaces trimmed), at most 64
//    characters; the domain as for domain; at most 254 characters in all.
//  * cve: "CVE-" (any case on input), a year from 1999, '-', and 4 to 19 digits (more than four
//    only without a leading zero), e.g. CVE-2021-44228.
Normalised Normalise(ObservableType type, std::string_view raw);

// Whether two organisations reporting this value should be correlated. False for values that say
// nothing about an attacker:
//  * IPv4 "this network" 0.0.0.0/8 (incl. the unspecified 0.0.0.0), private 10/8, 172.16/12 and
//    192.168/16, shared address space (CGNAT) 100.64/10, loopback 127/8, link-local 169.254/16,
//    multicast 224/4, reserved 240/4 (incl. the broadcast 255.255.255.255);
//  * IPv6 unspecified ::, loopback ::1, link-local fe80::/10, site-local fec0::/10, unique local
//    fc00::/7, multicast ff00::/8, and IPv4-mapped ::ffff:0:0/96 whenever the IPv4 address is;
//  * domains on the exclusion catalogue or under a domain that is (mail.google.com under
//    google.com, not notgoogle.com), and URLs of such a host with no path beyond "/" and no
//    query (a path or query names one document or bucket there, which is a lead);
//    URLs whose host is an IP address follow the rules for addresses;
//  * digests on the catalogue (those of the empty file).
// Documentation ranges (192.0.2/24, 198.51.100/24, 203.0.113/24, 2001:db8::/32) ARE correlatable,
// because tests and exercises use them. CVE ids and e-mail addresses (one mailbox is a lead, even
// at a big provider) always are.
// `normalised_value` should be what Normalise returned; it is normalised again, so a value
// Normalise refuses is not correlatable. Throws std::logic_error only if the embedded catalogue is
// missing or malformed, which is a build error, not input.
bool IsCorrelatable(ObservableType type, std::string_view normalised_value);

}  // namespace rampart::incidents
