#include "platform/email.h"

#include <openssl/evp.h>

#include <array>
#include <ctime>
#include <vector>

namespace rampart::email {

namespace {

constexpr std::string_view kCrlf = "\r\n";
constexpr std::size_t kLineLimit = 78;       // RFC 5322's "SHOULD"
constexpr std::size_t kMaxHeaderText = 900;  // stays under its 998 "MUST" whatever happens
// UTF-8 bytes per encoded word: "=?UTF-8?B?" + 52 base64 characters + "?=" is 64 characters.
constexpr std::size_t kWordBytes = 39;

// Any control character (CR and LF above all) becomes a space: no value can start a header.
std::string Sanitize(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char ch : value) {
    auto c = static_cast<unsigned char>(ch);
    out.push_back(c < 0x20 || c == 0x7f ? ' ' : ch);
  }
  if (out.size() > kMaxHeaderText) {
    std::size_t cut = kMaxHeaderText;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
    out.resize(cut);
  }
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool IsAscii(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

std::string Base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()),
                          static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

// RFC 2047 "B" encoded words of at most kWordBytes bytes each, never splitting a UTF-8 sequence.
std::vector<std::string> EncodedWords(std::string_view text) {
  std::vector<std::string> words;
  while (!text.empty()) {
    std::size_t n = std::min(kWordBytes, text.size());
    while (n < text.size() && n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;
    if (n == 0) n = std::min(kWordBytes, text.size());  // not UTF-8: cut anywhere
    words.push_back("=?UTF-8?B?" + Base64(text.substr(0, n)) + "?=");
    text.remove_prefix(n);
  }
  return words;
}

bool IsAtext(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-/=?^_`{|}~").find(c) != std::string_view::npos;
}

std::string MailboxHeader(const Mailbox& m) {
  std::string address = Sanitize(m.address);
  std::string phrase = EncodePhrase(m.name);
  if (phrase.empty()) return address;
  return phrase + " <" + address + ">";
}

std::string MessageIdText(std::string_view id) {
  std::string out;
  for (char c : id) {
    if (IsAtext(c) || c == '.' || c == '@') out.push_back(c);
  }
  return out;
}

char HexDigit(unsigned v) { return "0123456789ABCDEF"[v & 15]; }

}  // namespace

bool ValidAddress(std::string_view address) {
  if (address.empty() || address.size() > 254) return false;
  auto at = address.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == address.size()) return false;
  if (address.find('@', at + 1) != std::string_view::npos) return false;
  for (char ch : address) {
    auto c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c >= 0x7f) return false;
    if (std::string_view("<>,;\"\\()").find(ch) != std::string_view::npos) return false;
  }
  return true;
}

std::optional<Mailbox> ParseMailbox(std::string_view text) {
  text = Trim(text);
  Mailbox m;
  auto lt = text.find('<');
  if (lt == std::string_view::npos) {
    m.address = std::string(text);
  } else {
    if (text.back() != '>') return std::nullopt;
    m.address = std::string(text.substr(lt + 1, text.size() - lt - 2));
    std::string_view name = Trim(text.substr(0, lt));
    if (name.size() >= 2 && name.front() == '"' && name.back() == '"') {
      name = name.substr(1, name.size() - 2);
      for (std::size_t i = 0; i < name.size(); ++i) {
        if (name[i] == '\\' && i + 1 < name.size()) ++i;
        m.name.push_back(name[i]);
      }
    } else {
      m.name = std::string(name);
    }
  }
  if (!ValidAddress(m.address)) return std::nullopt;
  return m;
}

std::string HeaderDate(Millis ms) {
  static constexpr std::array<const char*, 7> kDays = {"Sun", "Mon", "Tue", "Wed",
                                                       "Thu", "Fri", "Sat"};
  static constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0000", kDays.at(tm.tm_wday),
                tm.tm_mday, kMonths.at(tm.tm_mon), tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                tm.tm_sec);
  return buf;
}

std::string EncodeUnstructured(std::string_view value, std::size_t header_name_length) {
  std::string text = Sanitize(value);
  std::string out;
  // "=?" would read as the start of an encoded word: such text is encoded too.
  if (!IsAscii(text) || text.find("=?") != std::string::npos) {
    auto words = EncodedWords(text);
    for (std::size_t i = 0; i < words.size(); ++i) {
      if (i > 0) out += "\r\n ";
      out += words[i];
    }
    return out;
  }
  // Fold at spaces: a fold is CRLF before a space, which unfolding removes again.
  std::size_t column = header_name_length + 2;
  std::size_t start = 0;
  bool first = true;
  while (start <= text.size()) {
    auto space = text.find(' ', start);
    std::string_view word = std::string_view(text).substr(
        start, space == std::string::npos ? std::string::npos : space - start);
    if (!first) {
      if (!word.empty() && column + 1 + word.size() > kLineLimit) {
        out += "\r\n";
        column = 0;
      }
      out.push_back(' ');
      ++column;
    }
    out += word;
    column += word.size();
    first = false;
    if (space == std::string::npos) break;
    start = space + 1;
  }
  return out;
}

std::string EncodePhrase(std::string_view name) {
  std::string text = Sanitize(name);
  std::string_view trimmed = Trim(text);
  if (trimmed.empty()) return "";
  if (!IsAscii(trimmed)) {
    std::string out;
    for (const auto& w : EncodedWords(trimmed)) {
      if (!out.empty()) out.push_back(' ');
      out += w;
    }
    return out;
  }
  bool atoms = trimmed.find("=?") == std::string_view::npos;
  for (char c : trimmed) {
    if (!IsAtext(c) && c != ' ') atoms = false;
  }
  if (atoms) return std::string(trimmed);
  std::string out = "\"";
  for (char c : trimmed) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

std::string QuotedPrintable(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  std::size_t start = 0;
  while (start <= text.size()) {
    auto nl = text.find('\n', start);
    std::string_view line =
        text.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    std::size_t column = 0;
    for (std::size_t i = 0; i < line.size(); ++i) {
      auto c = static_cast<unsigned char>(line[i]);
      bool last = i + 1 == line.size();
      auto literal = [&] {
        if (c == ' ' || c == '\t') return !last;  // trailing white space would be stripped
        if (c == '=' || c < 33 || c > 126) return false;
        // A line starting "." could be taken for the end of DATA; "From " is mangled by mbox.
        if (column == 0 && c == '.') return false;
        if (i == 0 && line.starts_with("From ")) return false;
        return true;
      };
      std::size_t width = literal() ? 1 : 3;
      if (column + width > 75) {
        out += "=\r\n";
        column = 0;
        width = literal() ? 1 : 3;
      }
      if (width == 1) {
        out.push_back(static_cast<char>(c));
      } else {
        out.push_back('=');
        out.push_back(HexDigit(c >> 4));
        out.push_back(HexDigit(c));
      }
      column += width;
    }
    out += kCrlf;
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  return out;
}

std::string Format(const Message& m) {
  std::string out;
  out.reserve(512 + m.text.size() * 11 / 10);
  out += "Date: " + HeaderDate(m.date) + "\r\n";
  out += "From: " + MailboxHeader(m.from) + "\r\n";
  out += "To: " + MailboxHeader(m.to) + "\r\n";
  out += "Subject: " + EncodeUnstructured(m.subject, 7) + "\r\n";
  out += "Message-ID: <" + MessageIdText(m.message_id) + ">\r\n";
  out += "MIME-Version: 1.0\r\n";
  out += "Content-Type: text/plain; charset=utf-8\r\n";
  out += "Content-Transfer-Encoding: quoted-printable\r\n";
  // RFC 3834: vacation responders and the like must not answer.
  out += "Auto-Submitted: auto-generated\r\n";
  if (!m.event.empty()) out += "X-Rampart-Event: " + MessageIdText(m.event) + "\r\n";
  out += kCrlf;
  out += QuotedPrintable(m.text);
  return out;
}

}  // namespace rampart::email
