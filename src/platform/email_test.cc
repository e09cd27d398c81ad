// E-mail messages: headers a mail reader needs, encodings that survive any relay, and no way for
// a subject, a name or an address to add a header of its own.
#include "platform/email.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <string>
#include <vector>

namespace rampart::email {
namespace {

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    auto end = text.find("\r\n", start);
    if (end == std::string::npos) {
      out.push_back(text.substr(start));
      return out;
    }
    out.push_back(text.substr(start, end - start));
    start = end + 2;
  }
}

// The header block's lines, up to the empty line.
std::vector<std::string> HeaderLines(const std::string& message) {
  auto lines = Lines(message);
  std::vector<std::string> out;
  for (const auto& l : lines) {
    if (l.empty()) break;
    out.push_back(l);
  }
  return out;
}

// Decoders written out here, independent of the encoders under test.
std::string DecodeQuotedPrintable(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '=' && text.compare(i + 1, 2, "\r\n") == 0) {
      i += 2;  // soft line break
    } else if (text[i] == '=') {
      out.push_back(static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16)));
      i += 2;
    } else if (text.compare(i, 2, "\r\n") == 0) {
      out.push_back('\n');
      ++i;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

std::string DecodeBase64(const std::string& b64) {
  std::string out(b64.size(), '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(b64.data()),
                          static_cast<int>(b64.size()));
  std::size_t pad = 0;
  for (auto it = b64.rbegin(); it != b64.rend() && *it == '='; ++it) ++pad;
  out.resize(static_cast<std::size_t>(n) - pad);
  return out;
}

// Unfolds and decodes a header value made of "=?UTF-8?B?…?=" words.
std::string DecodeWords(const std::string& value) {
  std::string out;
  std::size_t pos = 0;
  while ((pos = value.find("=?UTF-8?B?", pos)) != std::string::npos) {
    auto end = value.find("?=", pos + 10);
    out += DecodeBase64(value.substr(pos + 10, end - pos - 10));
    pos = end + 2;
  }
  return out;
}

bool ValidUtf8(const std::string& s) {
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (std::size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += n;
  }
  return true;
}

Message Sample() {
  Message m;
  m.from = {"Rampart", "rampart@cert.example"};
  m.to = {"Amina Ramdin", "amina@bank.example"};
  m.subject = "INC-2026-000123 filed";
  m.text = "An early warning was filed.\nOpen it in Rampart.";
  m.message_id = "0190aaaa-0000-7000-8000-000000000001@cert.example";
  m.date = 1'700'000'000'000;
  m.event = "incident.filed";
  return m;
}

TEST(MailerFormat, WritesTheHeadersAMailReaderNeeds) {
  auto text = Format(Sample());
  EXPECT_EQ(HeaderLines(text),
            (std::vector<std::string>{
                "Date: Tue, 14 Nov 2023 22:13:20 +0000",
                "From: Rampart <rampart@cert.example>",
                "To: Amina Ramdin <amina@bank.example>",
                "Subject: INC-2026-000123 filed",
                "Message-ID: <0190aaaa-0000-7000-8000-000000000001@cert.example>",
                "MIME-Version: 1.0",
                "Content-Type: text/plain; charset=utf-8",
                "Content-Transfer-Encoding: quoted-printable",
                "Auto-Submitted: auto-generated",
                "X-Rampart-Event: incident.filed",
            }));
  auto body = text.substr(text.find("\r\n\r\n") + 4);
  EXPECT_EQ(body, "An early warning was filed.\r\nOpen it in Rampart.\r\n");
}

TEST(MailerFormat, UsesCrlfLineEndingsOnly) {
  auto m = Sample();
  m.text = "one\ntwo\r\nthree\n";
  auto text = Format(m);
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') {
      ASSERT_GT(i, 0u);
      EXPECT_EQ(text[i - 1], '\r') << "bare LF at " << i;
    }
    if (text[i] == '\r') {
      EXPECT_EQ(text[i + 1], '\n') << "bare CR at " << i;
    }
  }
}

TEST(MailerFormat, DatesAreRfc5322InUtc) {
  EXPECT_EQ(HeaderDate(0), "Thu, 01 Jan 1970 00:00:00 +0000");
  EXPECT_EQ(HeaderDate(1'700'000'000'999), "Tue, 14 Nov 2023 22:13:20 +0000");
  EXPECT_EQ(HeaderDate(1'798'761'599'000), "Thu, 31 Dec 2026 23:59:59 +0000");
}

TEST(MailerFormat, NoValueCanAddAHeader) {
  auto m = Sample();
  m.subject = "Hello\r\nBcc: everyone@example.org\r\n\r\nforged body";
  m.to.name = "Amina\nX-Injected: 1";
  m.from.name = "Rampart\r\nReply-To: attacker@example.org";
  m.message_id = "x@y>\r\nX-Injected: 2";
  m.event = "incident.filed\r\nX-Injected: 3";
  auto headers = HeaderLines(Format(m));
  ASSERT_EQ(headers.size(), 10u) << "no extra line, no early end of the header block";
  for (const auto& line : headers) {
    EXPECT_FALSE(line.starts_with("Bcc")) << line;
    EXPECT_FALSE(line.starts_with("X-Injected")) << line;
    EXPECT_FALSE(line.starts_with("Reply-To")) << line;
  }
  EXPECT_EQ(headers[3], "Subject: Hello  Bcc: everyone@example.org    forged body");
}

TEST(MailerFormat, EncodesNonAsciiSubjectsAsEncodedWords) {
  EXPECT_EQ(EncodeUnstructured("Incident signalé", 7), "=?UTF-8?B?SW5jaWRlbnQgc2lnbmFsw6k=?=");
  EXPECT_EQ(EncodeUnstructured("plain words", 7), "plain words");
  // Text that looks like an encoded word is encoded, so a reader shows it as written.
  auto tricky = EncodeUnstructured("=?UTF-8?B?Zm9v?=", 7);
  EXPECT_TRUE(tricky.starts_with("=?UTF-8?B?"));
  EXPECT_EQ(DecodeWords(tricky), "=?UTF-8?B?Zm9v?=");
}

TEST(MailerFormat, SplitsLongNonAsciiSubjectsBetweenCharacters) {
  std::string subject;
  for (int i = 0; i < 20; ++i) subject += "Ünïcödé 事件 ";
  auto encoded = EncodeUnstructured(subject, 7);
  auto lines = Lines(encoded);
  EXPECT_GT(lines.size(), 3u);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    EXPECT_LE(lines[i].size() + (i == 0 ? 9 : 0), 78u) << lines[i];
    if (i > 0) {
      EXPECT_EQ(lines[i][0], ' ') << "a continuation line starts with a space";
    }
    auto word = lines[i].substr(lines[i].find("=?"));
    EXPECT_TRUE(ValidUtf8(DecodeWords(word))) << "word " << i << " splits a character";
  }
  EXPECT_EQ(DecodeWords(encoded), subject);
}

TEST(MailerFormat, FoldsLongAsciiSubjectsAtSpaces) {
  std::string subject;
  for (int i = 0; i < 30; ++i) subject += "word" + std::to_string(i) + " ";
  subject += "end";
  auto folded = EncodeUnstructured(subject, 7);
  auto lines = Lines(folded);
  EXPECT_GT(lines.size(), 1u);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    EXPECT_LE(lines[i].size() + (i == 0 ? 9 : 0), 78u) << lines[i];
  }
  std::string unfolded;
  for (const auto& l : lines) unfolded += l;  // unfolding removes the CRLF only
  EXPECT_EQ(unfolded, subject);
}

TEST(MailerFormat, DisplayNamesAreQuotedOrEncodedWhenNeeded) {
  EXPECT_EQ(EncodePhrase("Amina Ramdin"), "Amina Ramdin");
  EXPECT_EQ(EncodePhrase("Ramdin, Amina (CISO)"), "\"Ramdin, Amina (CISO)\"");
  EXPECT_EQ(EncodePhrase("say \"hi\" \\ bye"), "\"say \\\"hi\\\" \\\\ bye\"");
  EXPECT_EQ(EncodePhrase("Chloé"), "=?UTF-8?B?Q2hsb8Op?=");
  EXPECT_EQ(EncodePhrase("  "), "");
  auto m = Sample();
  m.to.name = "";
  EXPECT_EQ(HeaderLines(Format(m))[2], "To: amina@bank.example");
}

TEST(MailerFormat, QuotedPrintableKeepsTheTextAndTheLimits) {
  EXPECT_EQ(QuotedPrintable("café = 1 "), "caf=C3=A9 =3D 1=20\r\n");
  EXPECT_EQ(QuotedPrintable(".hidden\nFrom here\nfine."), "=2Ehidden\r\n=46rom here\r\nfine.\r\n");
  std::string text = std::string(200, 'a') + "\n" + std::string(100, 'e') + "é\n\ttab \n.";
  auto encoded = QuotedPrintable(text);
  for (const auto& line : Lines(encoded)) {
    EXPECT_LE(line.size(), 76u) << line;
    EXPECT_FALSE(line.starts_with(".")) << "a line starting with a dot: " << line;
    if (!line.empty()) {
      EXPECT_NE(line.back(), ' ') << "trailing white space: " << line;
    }
  }
  EXPECT_EQ(DecodeQuotedPrintable(encoded), text + "\n");
}

TEST(MailerAddress, ParsesTheSenderSetting) {
  auto m = ParseMailbox("Rampart <rampart@cert.example>");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->name, "Rampart");
  EXPECT_EQ(m->address, "rampart@cert.example");
  m = ParseMailbox("  \"CERT, National\" <cert@cert.example> ");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->name, "CERT, National");
  m = ParseMailbox("noreply@cert.example");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->name, "");
  EXPECT_EQ(m->address, "noreply@cert.example");
  EXPECT_FALSE(ParseMailbox("Rampart <rampart@cert.example"));
  EXPECT_FALSE(ParseMailbox("Rampart"));
  EXPECT_FALSE(ParseMailbox(""));
}

TEST(MailerAddress, RefusesAddressesThatCouldInjectIntoSmtpOrHeaders) {
  EXPECT_TRUE(ValidAddress("amina.ramdin+cert@bank.example"));
  EXPECT_FALSE(ValidAddress("a@b>\r\nRCPT TO:<c@d"));
  EXPECT_FALSE(ValidAddress("a@b\nX: y"));
  EXPECT_FALSE(ValidAddress("a b@c"));
  EXPECT_FALSE(ValidAddress("a@b,c@d"));
  EXPECT_FALSE(ValidAddress("<a@b>"));
  EXPECT_FALSE(ValidAddress("a@b@c"));
  EXPECT_FALSE(ValidAddress("@b"));
  EXPECT_FALSE(ValidAddress("a@"));
  EXPECT_FALSE(ValidAddress("é@b"));
  EXPECT_FALSE(ValidAddress(std::string(250, 'a') + "@b.cd"));
}

}  // namespace
}  // namespace rampart::email
