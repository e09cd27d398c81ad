#include "incidents/observables.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "platform/embedded.h"

namespace rampart::incidents {
namespace {

using T = ObservableType;

struct Valid {
  std::string raw;
  std::string canonical;
};

struct Invalid {
  std::string raw;
  std::string says;  // a part of the error message
};

// Each input normalises to its canonical form, and the canonical form to itself.
void ExpectNormalised(ObservableType type, const std::vector<Valid>& cases) {
  for (const auto& c : cases) {
    auto n = Normalise(type, c.raw);
    EXPECT_TRUE(n.ok()) << Name(type) << " \"" << c.raw << "\" refused: " << n.error;
    EXPECT_EQ(n.value, c.canonical) << Name(type) << " \"" << c.raw << "\"";
    auto again = Normalise(type, n.value);
    EXPECT_EQ(again.value, n.value) << Name(type) << " canonical form is not stable: " << n.value;
  }
}

// Each input is refused with an error that begins with `prefix` (or is "is empty") and
// contains the expected words; no value comes with an error.
void ExpectRefused(ObservableType type, const std::string& prefix,
                   const std::vector<Invalid>& cases) {
  for (const auto& c : cases) {
    auto n = Normalise(type, c.raw);
    EXPECT_FALSE(n.ok()) << Name(type) << " \"" << c.raw << "\" accepted as " << n.value;
    EXPECT_TRUE(n.value.empty()) << Name(type) << " \"" << c.raw << "\"";
    if (n.error != "is empty") {
      EXPECT_EQ(n.error.rfind(prefix + ": ", 0), 0u) << "\"" << c.raw << "\": " << n.error;
    }
    EXPECT_NE(n.error.find(c.says), std::string::npos)
        << Name(type) << " \"" << c.raw << "\": expected \"" << c.says << "\" in: " << n.error;
  }
}

void ExpectCorrelatable(ObservableType type, const std::vector<std::string>& values, bool want) {
  for (const auto& v : values) {
    EXPECT_EQ(IsCorrelatable(type, v), want) << Name(type) << " " << v;
  }
}

// ---- types ----

TEST(Observables, NamesRoundTrip) {
  std::vector<std::string> names;
  for (T t : kAllObservableTypes) {
    names.emplace_back(Name(t));
    EXPECT_EQ(ParseObservableType(Name(t)), t) << Name(t);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"ipv4", "ipv6", "domain", "url", "md5", "sha1",
                                             "sha256", "sha512", "email", "cve"}));
}

TEST(Observables, ParsesOnlyExactTypeNames) {
  for (const char* name : {"", "IPv4", "ip", "sha-256", "e-mail", " cve", "hostname"}) {
    EXPECT_FALSE(ParseObservableType(name).has_value()) << name;
  }
}

TEST(Observables, UnknownTypeIsRefusedNotThrown) {
  auto n = Normalise(static_cast<ObservableType>(200), "192.0.2.1");
  EXPECT_FALSE(n.ok());
  EXPECT_FALSE(IsCorrelatable(static_cast<ObservableType>(200), "192.0.2.1"));
}

// ---- IPv4 ----

TEST(Observables, NormalisesIpv4) {
  ExpectNormalised(T::kIpv4, {
                                 {"192.0.2.1", "192.0.2.1"},
                                 {"0.0.0.0", "0.0.0.0"},
                                 {"255.255.255.255", "255.255.255.255"},
                                 {"  203.0.113.9\t\r\n", "203.0.113.9"},
                                 {"10.0.0.0", "10.0.0.0"},
                             });
}

TEST(Observables, AcceptsDefangedIpv4) {
  ExpectNormalised(T::kIpv4, {
                                 {"198[.]51[.]100[.]7", "198.51.100.7"},
                                 {"198(.)51(.)100(.)7", "198.51.100.7"},
                                 {"198[dot]51(DOT)100[.]7", "198.51.100.7"},
                                 {"198.51.100[.]7", "198.51.100.7"},
                             });
}

TEST(Observables, ExplainsAnOctetOver255) {
  EXPECT_EQ(Normalise(T::kIpv4, "256.1.1.1").error,
            "is not an IPv4 address: octet 256 is over 255");
}

TEST(Observables, RefusesInvalidIpv4) {
  ExpectRefused(T::kIpv4, "is not an IPv4 address",
                {
                    {"", "is empty"},
                    {" \t ", "is empty"},
                    {"1.2.3.256", "octet 256 is over 255"},
                    {"1.2.3.1000", "octet 1000 is over 255"},
                    {"99999999999999999999.1.1.1", "is over 255"},
                    {"010.1.1.1", "leading zero"},
                    {"010.1.1.1", "octal"},
                    {"1.2.3.04", "\"04\" has a leading zero"},
                    {"1.2.3.00", "leading zero"},
                    {"1.2.3", "3 parts"},
                    {"1", "1 part;"},
                    {"3232235777", "1 part;"},
                    {"1.2.3.4.5", "5 parts"},
                    {"1..2.3", "part 2 is empty"},
                    {"1.2.3.", "part 4 is empty"},
                    {"a.b.c.d", "\"a\" is not a decimal number"},
                    {"1.2.3.-1", "not a decimal number"},
                    {"0x7f.0.0.1", "not a decimal number"},
                    {"192.0.2.0/24", "CIDR"},
                    {"192.0.2.1:443", "port"},
                    {"::1", "use type ipv6"},
                    {"::ffff:192.0.2.1", "use type ipv6"},
                    {"example.com", "2 parts"},
                });
}

// ---- IPv6 ----

TEST(Observables, NormalisesIpv6ToRfc5952) {
  ExpectNormalised(T::kIpv6,
                   {
                       // lower case, no leading zeros, the longest zero run shortened
                       {"2001:DB8:0:0:0:0:0:1", "2001:db8::1"},
                       {"2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1"},
                       {"2001:db8::0:1", "2001:db8::1"},
                       {"2001:db8:0:1:0:0:0:1", "2001:db8:0:1::1"},
                       {"0:0:1:0:0:0:1:0", "0:0:1::1:0"},
                       // on a tie the first run is shortened
                       {"2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"},
                       // one zero group is not shortened, even if the input did
                       {"2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"},
                       {"2001:db8:1:1:1:1:1::", "2001:db8:1:1:1:1:1:0"},
                       {"2001:db8:aaaa:bbbb:cccc:dddd:0:0", "2001:db8:aaaa:bbbb:cccc:dddd::"},
                       {"0:0:0:0:0:0:0:0", "::"},
                       {"::", "::"},
                       {"0:0:0:0:0:0:0:1", "::1"},
                       {"1::", "1::"},
                       {"FE80::00AB:CDef", "fe80::ab:cdef"},
                       {"1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"},
                       {"  2001:db8::1\n", "2001:db8::1"},
                       {"[2001:db8::1]", "2001:db8::1"},
                       {"[::1]", "::1"},
                   });
}

TEST(Observables, KeepsIpv4MappedIpv6InDottedForm) {
  ExpectNormalised(T::kIpv6, {
                                 {"::ffff:192.0.2.1", "::ffff:192.0.2.1"},
                                 {"::FFFF:c000:0201", "::ffff:192.0.2.1"},
                                 {"0:0:0:0:0:ffff:192.0.2.1", "::ffff:192.0.2.1"},
                                 {"::ffff:0:0", "::ffff:0.0.0.0"},
                                 // other embeddings are plain hex
                                 {"64:ff9b::192.0.2.1", "64:ff9b::c000:201"},
                                 {"::192.0.2.1", "::c000:201"},
                             });
}

TEST(Observables, RefusesInvalidIpv6) {
  ExpectRefused(T::kIpv6, "is not an IPv6 address",
                {
                    {"", "is empty"},
                    {"fe80::1%eth0", "zone id \"%eth0\""},
                    {"[fe80::1%25eth0]", "zone id"},
                    {"2001:db8::/32", "CIDR"},
                    {"[2001:db8::1]:443", "port"},
                    {"[2001:db8::1", "no closing ']'"},
                    {"[2001:db8::1]x", "after the closing ']'"},
                    {"1::2::3", "'::' may appear only once"},
                    {"12345::", "more than four hex digits"},
                    {"g::1", "\"g\" is not hexadecimal"},
                    {"1:2:3:4:5:6:7", "7 groups"},
                    {"1:2:3:4:5:6:7:8:9", "9 groups"},
                    {"1:2:3:4::5:6:7:8", "at most seven"},
                    {"1:2:3:4:5:6:7::8", "at most seven"},
                    {":1::", "empty group"},
                    {"1::2:", "empty group"},
                    {"1:::2", "empty group"},
                    {"::1.2.3.4:5", "may only come last"},
                    {"1.2.3.4::", "may only come last"},
                    {"::ffff:256.1.1.1", "over 255"},
                    {"::ffff:1.2.3", "3 parts"},
                    {"192.0.2.1", "use type ipv4"},
                    {"abc", "no ':'"},
                    {"2001:db8::1 x", "\"1 x\" is not hexadecimal"},
                });
}

// ---- domains ----

TEST(Observables, NormalisesDomains) {
  const std::string label63(63, 'a');
  // 3 labels of 63 and one of 61, with 3 dots: 253 characters
  const std::string name253 = label63 + "." + label63 + "." + label63 + "." + std::string(61, 'b');
  ExpectNormalised(T::kDomain, {
                                   {"Example.COM", "example.com"},
                                   {"example.com.", "example.com"},
                                   {"  www.example.org\t", "www.example.org"},
                                   {"a.b.c.d.example.net", "a.b.c.d.example.net"},
                                   {"123.example.com", "123.example.com"},
                                   {"a-b--c.example.com", "a-b--c.example.com"},
                                   {"XN--BCHER-KVA.example", "xn--bcher-kva.example"},
                                   {"example.xn--p1ai", "example.xn--p1ai"},
                                   {"1.example", "1.example"},
                                   {label63 + ".example", label63 + ".example"},
                                   {name253, name253},
                                   {name253 + ".", name253},
                               });
}

TEST(Observables, AcceptsDefangedDomains) {
  ExpectNormalised(T::kDomain, {
                                   {"evil[.]example", "evil.example"},
                                   {"evil(.)example", "evil.example"},
                                   {"login[.]evil[DOT]example", "login.evil.example"},
                                   {"login(dot)Evil[.]Example", "login.evil.example"},
                               });
}

TEST(Observables, RefusesInvalidDomains) {
  const std::string label64(64, 'a');
  const std::string name254 = std::string(63, 'a') + "." + std::string(63, 'a') + "." +
                              std::string(63, 'a') + "." + std::string(62, 'b');
  ExpectRefused(T::kDomain, "is not a domain name",
                {
                    {"", "is empty"},
                    {"localhost", "one label"},
                    {"com.", "one label"},
                    {".", "empty label"},
                    {".example.com", "empty label"},
                    {"example..com", "empty label"},
                    {"example.com..", "empty label"},
                    {"-evil.example", "\"-evil\" starts with '-'"},
                    {"evil-.example", "\"evil-\" ends with '-'"},
                    {"ex_ample.com", "'_'"},
                    {"*.example.com", "'*'"},
                    {"exa mple.com", "a space"},
                    {"example.com:8080", "':'"},
                    {"example.com/path", "'/'"},
                    {"bücher.example", "punycode (xn--)"},
                    {label64 + ".example", "64 characters long; the limit is 63"},
                    {name254, "254 characters long; the limit is 253"},
                    {"192.0.2.1", "all digits"},
                    {"example.123", "all digits"},
                    {"http://example.com/", "use type url"},
                    {"hxxp://evil[.]example", "use type url"},
                    {"user@example.com", "use type email"},
                });
}

// ---- URLs ----

TEST(Observables, NormalisesUrls) {
  ExpectNormalised(
      T::kUrl,
      {
          {"http://example.com", "http://example.com/"},
          {"HTTP://Example.COM/Path?Q=1#Fragment", "http://example.com/Path?Q=1"},
          {"http://example.com?a=b", "http://example.com/?a=b"},
          {"http://example.com#top", "http://example.com/"},
          {"https://example.com:443/", "https://example.com/"},
          {"http://example.com:80/a", "http://example.com/a"},
          {"ftp://files.example.org:21/pub/", "ftp://files.example.org/pub/"},
          {"http://example.com:443/", "http://example.com:443/"},
          {"https://example.com:80/", "https://example.com:80/"},
          {"http://example.com:08080/", "http://example.com:8080/"},
          {"http://example.com:/", "http://example.com/"},
          {"http://example.com./x", "http://example.com/x"},
          {"  https://example.com/x \n", "https://example.com/x"},
          // percent-escapes in upper case; bytes outside ASCII escaped
          {"http://example.com/a%2fb%c3%a9?q=%7e", "http://example.com/a%2Fb%C3%A9?q=%7E"},
          {"http://example.com/caf\xc3\xa9", "http://example.com/caf%C3%A9"},
          {"http://example.com/100%", "http://example.com/100%"},
          {"http://example.com/%zz", "http://example.com/%zz"},
          // the rest verbatim
          {"http://example.com/A/../b/./C?X=Y&x=y", "http://example.com/A/../b/./C?X=Y&x=y"},
          {"http://User:Pass@Example.com/", "http://User:Pass@example.com/"},
          {"http://paypal.com@evil.example/login", "http://paypal.com@evil.example/login"},
          // IP hosts
          {"http://192.0.2.1/x", "http://192.0.2.1/x"},
          {"http://192.0.2.1:8080", "http://192.0.2.1:8080/"},
          {"http://[2001:DB8::0001]:8080/", "http://[2001:db8::1]:8080/"},
          {"https://[::ffff:192.0.2.1]/", "https://[::ffff:192.0.2.1]/"},
      });
}

TEST(Observables, AcceptsDefangedUrls) {
  ExpectNormalised(T::kUrl, {
                                {"hxxp://evil[.]example/a", "http://evil.example/a"},
                                {"hXXps://evil[.]example[:]8443/x", "https://evil.example:8443/x"},
                                {"hxxps[://]evil(.)example/", "https://evil.example/"},
                                {"hxxp://198[.]51[.]100[.]7/x.exe", "http://198.51.100.7/x.exe"},
                                {"hxxp://evil[.]example/a[.]php", "http://evil.example/a.php"},
                            });
}

TEST(Observables, RefusesInvalidUrls) {
  const std::string long_path = "http://example.com/" + std::string(2030, 'a');  // 2049
  ExpectRefused(T::kUrl, "is not a URL",
                {
                    {"", "is empty"},
                    {"example.com/path", "no scheme"},
                    {"javascript:alert(1)", "no scheme"},
                    {"mailto:someone@example.com", "no scheme"},
                    {"file:///etc/passwd", "scheme \"file\" is not http, https or ftp"},
                    {"ldap://example.com/", "scheme \"ldap\""},
                    {"http://", "no host"},
                    {"http:///path", "no host"},
                    {"http://user@/", "no host"},
                    {"http://localhost/", "one label"},
                    {"http://intranet:8080/", "one label"},
                    {"http://010.0.0.1/", "leading zero"},
                    {"http://1.2.3/", "3 parts"},
                    {"http://3232235777/", "1 part"},
                    {"http://bücher.example/", "punycode"},
                    {"http://ex_ample.com/", "'_'"},
                    {"http://example.com:99999/", "port 99999 is not from 1 to 65535"},
                    {"http://example.com:0/", "is not from 1 to 65535"},
                    {"http://example.com:http/", "port \"http\" is not a number"},
                    {"http://2001:db8::1/", "in brackets"},
                    {"http://[2001:db8::1/", "no closing ']'"},
                    {"http://[2001:db8::1]x/", "after the IPv6 host"},
                    {"http://[fe80::1%25eth0]/", "zone id"},
                    {"http://[::zz]/", "not hexadecimal"},
                    {"http://exa mple.com/", "a space"},
                    {"http://example.com/a b", "%20"},
                    {"http://example.com/a\tb", "control character 0x09"},
                    {long_path, "2049 characters long; the limit is 2048"},
                });
}

TEST(Observables, AcceptsAUrlOfTheMaximumLength) {
  const std::string url = "http://example.com/" + std::string(2029, 'a');
  ASSERT_EQ(url.size(), 2048u);
  ExpectNormalised(T::kUrl, {{url, url}});
}

// ---- digests ----

TEST(Observables, NormalisesDigestsToLowerCase) {
  ExpectNormalised(T::kMd5,
                   {{"D41D8CD98F00B204E9800998ECF8427E", "d41d8cd98f00b204e9800998ecf8427e"},
                    {" 0123456789abcdefABCDEF0123456789\n", "0123456789abcdefabcdef0123456789"}});
  ExpectNormalised(T::kSha1, {{"DA39A3EE5E6B4B0D3255BFEF95601890AFD80709",
                               "da39a3ee5e6b4b0d3255bfef95601890afd80709"}});
  ExpectNormalised(T::kSha256,
                   {{"E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855",
                     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"}});
  const std::string sha512(128, 'A');
  ExpectNormalised(T::kSha512, {{sha512, std::string(128, 'a')}});
}

TEST(Observables, RefusesDigestsOfTheWrongLengthOrAlphabet) {
  const std::string md5(32, 'a'), sha1(40, 'a'), sha256(64, 'a'), sha512(128, 'a');
  ExpectRefused(T::kMd5, "is not an MD5 digest",
                {
                    {"", "is empty"},
                    {md5.substr(1), "31 hex digits, not 32"},
                    {md5 + "a", "33 hex digits, not 32"},
                    {sha1, "40 hex digits, not 32 (SHA-1 digests have that)"},
                    {sha256, "(SHA-256 digests have that)"},
                    {"g" + md5.substr(1), "'g' at position 1"},
                    {"md5:" + md5, "'m' at position 1"},
                    {md5.substr(0, 16) + " " + md5.substr(16), "a space at position 17"},
                });
  ExpectRefused(T::kSha1, "is not a SHA-1 digest",
                {{md5, "(MD5 digests have that)"}, {sha1 + "z", "'z' at position 41"}});
  ExpectRefused(T::kSha256, "is not a SHA-256 digest",
                {{sha512, "128 hex digits, not 64 (SHA-512 digests have that)"},
                 {sha256.substr(2), "62 hex digits"}});
  ExpectRefused(T::kSha512, "is not a SHA-512 digest",
                {{sha256, "(SHA-256 digests have that)"}, {sha512 + "0", "129 hex digits"}});
}

// ---- e-mail addresses ----

TEST(Observables, NormalisesEmailsKeepingTheLocalPart) {
  ExpectNormalised(T::kEmail,
                   {
                       {"John.Doe@Example.COM", "John.Doe@example.com"},
                       {"  first.last+tag@Sub.Example.org ", "first.last+tag@sub.example.org"},
                       {"o'brien@example.ie", "o'brien@example.ie"},
                       {"x@example.com.", "x@example.com"},
                       {"\xc3\xb1\x61nd\xc3\xba@example.com", "\xc3\xb1\x61nd\xc3\xba@example.com"},
                   });
}

TEST(Observables, AcceptsDefangedEmails) {
  ExpectNormalised(T::kEmail, {
                                  {"payroll[@]evil[.]example", "payroll@evil.example"},
                                  {"payroll[at]evil[.]example", "payroll@evil.example"},
                                  {"payroll (at) evil.example", "payroll@evil.example"},
                                  {"Payroll [AT] Evil(.)Example", "Payroll@evil.example"},
                                  {"payroll(@)evil.example", "payroll@evil.example"},
                              });
}

TEST(Observables, RefusesInvalidEmails) {
  const std::string local64(64, 'a');
  const std::string domain190 = std::string(63, 'b') + "." + std::string(63, 'c') + "." +
                                std::string(54, 'd') + ".example";  // 190 characters
  ExpectRefused(T::kEmail, "is not an e-mail address",
                {
                    {"", "is empty"},
                    {"john.example.com", "no '@'"},
                    {"a@b@example.com", "more than one '@'"},
                    {"@example.com", "before '@' is empty"},
                    {"john@", "after '@' is empty"},
                    {"john@localhost", "after '@' is not a domain name: it has one label"},
                    {"john@[192.0.2.1]", "'['"},
                    {"john@bücher.example", "punycode"},
                    {"john doe@example.com", "a space"},
                    {"\"john\"@example.com", "'\"'"},
                    {"<john@example.com>", "'<'"},
                    {"John Doe <john@example.com>", "a space"},
                    {"mailto:john@example.com", "without mailto:"},
                    {local64 + "a@example.com", "65 bytes long; the limit is 64"},
                    {"j\xff@example.com", "not valid UTF-8"},
                    {"j\xc3@example.com", "not valid UTF-8"},
                    {"j\xc0\xaf@example.com", "not valid UTF-8"},  // overlong '/'
                    {local64 + "@" + domain190, "255 characters long; the limit is 254"},
                });
}

TEST(Observables, AcceptsAnEmailOfTheMaximumLength) {
  const std::string email = std::string(64, 'a') + "@" + std::string(63, 'b') + "." +
                            std::string(63, 'c') + "." + std::string(53, 'd') + ".example";
  ASSERT_EQ(email.size(), 254u);
  ExpectNormalised(T::kEmail, {{email, email}});
}

// ---- CVE ids ----

TEST(Observables, NormalisesCves) {
  ExpectNormalised(T::kCve,
                   {
                       {"CVE-2021-44228", "CVE-2021-44228"},
                       {"cve-2021-44228", "CVE-2021-44228"},
                       {" Cve-2014-0160\n", "CVE-2014-0160"},
                       {"CVE-1999-0001", "CVE-1999-0001"},
                       {"CVE-2024-0001", "CVE-2024-0001"},
                       {"CVE-2024-1234567", "CVE-2024-1234567"},
                       {"CVE-2024-" + std::string(19, '9'), "CVE-2024-" + std::string(19, '9')},
                   });
}

TEST(Observables, RefusesInvalidCves) {
  ExpectRefused(T::kCve, "is not a CVE id",
                {
                    {"", "is empty"},
                    {"2021-44228", "does not start with CVE-"},
                    {"CVE_2021_44228", "does not start with CVE-"},
                    {"CVE 2021 44228", "does not start with CVE-"},
                    {"CAN-1999-0067", "does not start with CVE-"},
                    {"CVE-21-44228", "year is not four digits"},
                    {"CVE-2021", "year is not four digits"},
                    {"CVE-1998-0001", "1998 is before 1999"},
                    {"CVE-2021-", "not a number"},
                    {"CVE-2021-4422a", "not a number"},
                    {"CVE-2021-123", "3 digits, not 4 to 19"},
                    {"CVE-2021-" + std::string(20, '1'), "20 digits"},
                    {"CVE-2021-01234", "leading zero"},
                    {"CVE-2021-01234", "CVE-2021-1234?"},
                    {"CVE-2021-00001", "CVE-2021-0001?"},
                });
}

// ---- robustness ----

// Inputs from an alphabet that reaches every branch: either a stable canonical value, or an
// error and no value. Nothing throws.
TEST(Observables, AnyInputGivesAValueOrAnError) {
  const std::string alphabet = "0123456789abcdefxX.:[]()%/@-_?#  \tCVEhtp\xc3\xa9\xff";
  std::uint32_t state = 12345;
  auto next = [&] { return state = state * 1103515245u + 12345u; };
  const std::vector<std::string> seeds = {
      "", "http://", "hxxps://", "::ffff:", "CVE-20", "[", "a@"};
  int accepted = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string s = seeds[(next() >> 16) % seeds.size()];
    std::size_t len = (next() >> 16) % 24;
    for (std::size_t k = 0; k < len; ++k) s += alphabet[(next() >> 16) % alphabet.size()];
    for (T t : kAllObservableTypes) {
      Normalised n;
      ASSERT_NO_THROW(n = Normalise(t, s)) << Name(t) << " " << s;
      if (n.ok()) {
        ++accepted;
        EXPECT_FALSE(n.value.empty()) << Name(t) << " " << s;
        EXPECT_EQ(Normalise(t, n.value).value, n.value) << Name(t) << " " << s;
        ASSERT_NO_THROW(IsCorrelatable(t, n.value));
      } else {
        EXPECT_TRUE(n.value.empty()) << Name(t) << " " << s;
      }
    }
  }
  EXPECT_GT(accepted, 0) << "the generator never made a valid value; it tests nothing";
}

// ---- correlation ----

TEST(Observables, NonPublicIpv4IsNotCorrelatable) {
  ExpectCorrelatable(T::kIpv4,
                     {
                         "0.0.0.0",         "0.255.255.255",    // this network, unspecified
                         "10.0.0.1",        "10.255.255.255",   // private
                         "172.16.0.0",      "172.31.255.255",   // private
                         "192.168.0.1",     "192.168.255.255",  // private
                         "100.64.0.0",      "100.127.255.255",  // CGNAT
                         "127.0.0.1",       "127.255.255.254",  // loopback
                         "169.254.0.1",     "169.254.169.254",  // link-local
                         "224.0.0.1",       "239.255.255.250",  // multicast
                         "240.0.0.1",       "255.255.255.254",  // reserved
                         "255.255.255.255",                     // broadcast
                     },
                     false);
}

TEST(Observables, PublicAndDocumentationIpv4IsCorrelatable) {
  ExpectCorrelatable(T::kIpv4,
                     {
                         "192.0.2.1", "198.51.100.7", "203.0.113.254",  // documentation
                         "1.0.0.0", "9.255.255.255", "11.0.0.0",        // around 10/8
                         "172.15.255.255", "172.32.0.0",                // around 172.16/12
                         "192.167.255.255", "192.169.0.0",              // around 192.168/16
                         "100.63.255.255", "100.128.0.0",               // around 100.64/10
                         "126.255.255.255", "128.0.0.0",                // around 127/8
                         "169.253.255.255", "169.255.0.0",              // around 169.254/16
                         "223.255.255.255",                             // below 224/4
                     },
                     true);
}

TEST(Observables, NonPublicIpv6IsNotCorrelatable) {
  ExpectCorrelatable(T::kIpv6,
                     {
                         "::", "::1",                                 // unspecified, loopback
                         "fe80::1", "febf:ffff::1",                   // link-local
                         "fec0::1", "feff::1",                        // site-local
                         "fc00::1", "fd12:3456:789a::1",              // unique local
                         "ff02::1", "ff05::1:3",                      // multicast
                         "::ffff:10.0.0.1", "::ffff:192.168.1.1",     // mapped private
                         "::ffff:127.0.0.1", "::ffff:100.64.0.1",     // mapped loopback, CGNAT
                         "::ffff:169.254.169.254", "::ffff:0.0.0.0",  // mapped link-local
                         "::ffff:255.255.255.255",                    // mapped broadcast
                     },
                     false);
}

TEST(Observables, PublicAndDocumentationIpv6IsCorrelatable) {
  ExpectCorrelatable(T::kIpv6,
                     {
                         "2001:db8::1",               // documentation
                         "3fff::1",                   // documentation (RFC 9637)
                         "2a00:1450:4001:80b::200e",  // global unicast
                         "fbff:ffff::1",              // just below fc00::/7
                         "fe7f::1",                   // just below fe80::/10
                         "::2",
                         "::ffff:192.0.2.1",  // mapped documentation
                         "::ffff:198.51.100.7",
                     },
                     true);
}

TEST(Observables, ExcludedDomainsAndTheirSubdomainsAreNotCorrelatable) {
  ExpectCorrelatable(T::kDomain,
                     {
                         "google.com",
                         "mail.google.com",
                         "a.b.c.google.com",
                         "WWW.Google.COM.",  // normalised first
                         "windowsupdate.com",
                         "dl.delivery.mp.microsoft.com",
                         "e1234.dscb.akamaiedge.net",
                         "s3.eu-west-1.amazonaws.com",
                         "dns.google",
                         "r3.o.lencr.org",
                     },
                     false);
}

TEST(Observables, LookalikesOfExcludedDomainsAreCorrelatable) {
  ExpectCorrelatable(T::kDomain,
                     {
                         "notgoogle.com",
                         "google.com.evil.example",
                         "google.co",
                         "googlecom.example",
                         "mail-google.com",
                         "microsoft.com-login.example",
                         "evil.example",
                     },
                     true);
}

TEST(Observables, UrlsFollowTheirHost) {
  ExpectCorrelatable(T::kUrl,
                     {
                         "https://mail.google.com/",
                         "http://download.windowsupdate.com",
                         "http://tracker@google.com/",
                         "http://10.0.0.5/payload.exe",
                         "http://127.0.0.1:8080/",
                         "http://[fd00::1]/",
                         "http://[::ffff:192.168.0.1]/",
                     },
                     false);
  ExpectCorrelatable(T::kUrl,
                     {
                         "http://google.com.evil.example/login",
                         "http://evil.example/?u=google.com",
                         "http://google.com@evil.example/",  // the host is evil.example
                         "http://198.51.100.7/x",
                         "http://[2001:db8::1]:8080/",
                         "hxxp://evil[.]example/a",
                         // A path or query on a common platform names one thing there: a lead.
                         "https://drive.google.com/file/d/1AbC/view",
                         "https://bucket.s3.amazonaws.com/payload.bin",
                         "https://docs.google.com/forms?id=42",
                     },
                     true);
}

TEST(Observables, EveryMailboxIsALeadEvenAtABigProvider) {
  ExpectCorrelatable(T::kEmail,
                     {"ceo.payroll@gmail.com", "x@outlook.com", "ceo@evil.example",
                      "gmail.com@evil.example", "x@notgmail.com"},
                     true);
}

TEST(Observables, EmptyFileDigestsAreNotCorrelatable) {
  ExpectCorrelatable(T::kMd5, {"d41d8cd98f00b204e9800998ecf8427e"}, false);
  ExpectCorrelatable(T::kSha1, {"da39a3ee5e6b4b0d3255bfef95601890afd80709"}, false);
  ExpectCorrelatable(T::kSha256,
                     {"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                      "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855"},
                     false);
  ExpectCorrelatable(T::kSha512,
                     {"cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
                      "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e"},
                     false);
  ExpectCorrelatable(T::kMd5, {"44d88612fea8a8f36de82e1278abb02f"}, true);
  ExpectCorrelatable(T::kSha256,
                     {"275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f"}, true);
}

TEST(Observables, CvesAreAlwaysCorrelatable) {
  ExpectCorrelatable(T::kCve, {"CVE-2021-44228", "cve-1999-0001"}, true);
}

TEST(Observables, RefusedValuesAreNotCorrelatable) {
  EXPECT_FALSE(IsCorrelatable(T::kIpv4, "not an address"));
  EXPECT_FALSE(IsCorrelatable(T::kIpv4, "8.8.8.8/32"));
  EXPECT_FALSE(IsCorrelatable(T::kDomain, "localhost"));
  EXPECT_FALSE(IsCorrelatable(T::kUrl, "evil.example/path"));
  EXPECT_FALSE(IsCorrelatable(T::kCve, "CVE-1"));
  EXPECT_FALSE(IsCorrelatable(T::kMd5, ""));
}

TEST(Observables, ExclusionCatalogueIsWellFormed) {
  std::string_view text;
  for (const auto& f : EmbeddedFiles()) {
    if (f.path == "catalogues/correlation-exclusions.json") text = f.data;
  }
  ASSERT_FALSE(text.empty()) << "catalogues/correlation-exclusions.json is not embedded";
  auto j = nlohmann::json::parse(text);
  EXPECT_EQ(j.at("urn"), "urn:rampart:catalogue:correlation-exclusions");
  EXPECT_EQ(j.at("version"), "2026.1");
  EXPECT_GE(j.at("domains").size(), 30u);
  for (const auto& d : j.at("domains")) {
    auto name = d.get<std::string>();
    EXPECT_EQ(Normalise(T::kDomain, name).value, name) << "not canonical: " << name;
    EXPECT_FALSE(IsCorrelatable(T::kDomain, name)) << name;
    EXPECT_FALSE(IsCorrelatable(T::kDomain, "www." + name)) << name;
    EXPECT_TRUE(IsCorrelatable(T::kDomain, "not" + name)) << name;
  }
  EXPECT_EQ(j.at("hashes").size(), 4u) << "the empty file's MD5, SHA-1, SHA-256 and SHA-512";
}

}  // namespace
}  // namespace rampart::incidents
