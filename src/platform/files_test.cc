// Stored files: the store on every store (the same bytes once, any bytes back unchanged), what the
// bytes are said to be, which types may be kept, and how names and downloads are made safe.
#include "platform/files.h"

#include <gtest/gtest.h>

#include <string>

#include "platform/crypto.h"
#include "platform/notify_testing.h"

namespace rampart::files {
namespace {

using notify::testing_support::MigratedStore;
using notify::testing_support::Store;

std::string Bytes(std::initializer_list<int> list) {
  std::string out;
  for (int c : list) out.push_back(static_cast<char>(c));
  return out;
}

// ---- the store ----

class FileStore : public MigratedStore {};

INSTANTIATE_TEST_SUITE_P(Stores, FileStore, testing::Values(Store::kSqlite, Store::kPostgres),
                         notify::testing_support::StoreName);

TEST_P(FileStore, PutReturnsTheDigestAndGetReturnsEveryByte) {
  std::string bytes;
  for (int k = 0; k < 4096; ++k) bytes.push_back(static_cast<char>((k * 7) & 0xff));
  auto put = db().Write([&](db::Tx& tx) { return Put(tx, bytes, "application/zip", 1000); });
  EXPECT_TRUE(put.created);
  EXPECT_EQ(put.file.sha256, crypto::Sha256Hex(bytes));
  EXPECT_EQ(put.file.size, 4096);
  auto got = db().Read([&](db::Tx& tx) { return Get(tx, put.file.sha256); });
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(*got, bytes);
  auto stat = db().Read([&](db::Tx& tx) { return Stat(tx, put.file.sha256); });
  ASSERT_TRUE(stat.has_value());
  EXPECT_EQ(stat->size, 4096);
  EXPECT_EQ(stat->media_type, "application/zip");
  EXPECT_EQ(stat->created_at, 1000);
}

TEST_P(FileStore, TheSameBytesAreStoredOnceAndKeepTheirFirstRecord) {
  const std::string bytes = "2026-11-23T10:00:00Z sshd[812]: Failed password for root\n";
  auto first = db().Write([&](db::Tx& tx) { return Put(tx, bytes, "text/plain", 1000); });
  auto second = db().Write([&](db::Tx& tx) { return Put(tx, bytes, "text/csv", 2000); });
  EXPECT_TRUE(first.created);
  EXPECT_FALSE(second.created);
  EXPECT_EQ(second.file.sha256, first.file.sha256);
  EXPECT_EQ(second.file.media_type, "text/plain");
  EXPECT_EQ(second.file.created_at, 1000);
  auto count =
      db().Read([](db::Tx& tx) { return tx.QueryOne("SELECT count(*) FROM files", {})->Int(0); });
  EXPECT_EQ(count, 1);
}

TEST_P(FileStore, AFileWrittenInATransactionThatFailsIsNotStored) {
  const std::string bytes = "never acknowledged";
  EXPECT_THROW(db().Write([&](db::Tx& tx) {
    Put(tx, bytes, "text/plain", 1000);
    throw std::runtime_error("the request failed after the upload");
  }),
               std::runtime_error);
  auto got = db().Read([&](db::Tx& tx) { return Get(tx, crypto::Sha256Hex(bytes)); });
  EXPECT_FALSE(got.has_value());
}

TEST_P(FileStore, UnknownDigestIsNothing) {
  const std::string digest(64, 'a');
  EXPECT_FALSE(db().Read([&](db::Tx& tx) { return Get(tx, digest); }).has_value());
  EXPECT_FALSE(db().Read([&](db::Tx& tx) { return Stat(tx, digest); }).has_value());
}

// ---- what the bytes are ----

TEST(FileSniff, KnowsDocumentsImagesCapturesAndArchivesByTheirFirstBytes) {
  struct Case {
    std::string bytes;
    const char* media_type;
    Family family;
  };
  const Case cases[] = {
      {"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n", "application/pdf", Family::kDocument},
      {"{\\rtf1\\ansi hello}", "application/rtf", Family::kDocument},
      {"\x89PNG\r\n\x1A\n\0\0\0\rIHDR", "image/png", Family::kImage},
      {"\xFF\xD8\xFF\xE0\0\x10JFIF", "image/jpeg", Family::kImage},
      {"GIF89a\x01\0\x01\0", "image/gif", Family::kImage},
      {std::string("RIFF\x24\0\0\0WEBPVP8 ", 16), "image/webp", Family::kImage},
      {Bytes({0xD4, 0xC3, 0xB2, 0xA1, 2, 0, 4, 0}), "application/vnd.tcpdump.pcap",
       Family::kCapture},
      {Bytes({0x0A, 0x0D, 0x0D, 0x0A, 0x1C, 0, 0, 0}), "application/x-pcapng", Family::kCapture},
      {"7z\xBC\xAF\x27\x1C\0\x04", "application/x-7z-compressed", Family::kArchive},
      {"\x1F\x8B\x08\0\0\0\0\0", "application/gzip", Family::kArchive},
      {"Rar!\x1A\x07\x01\0", "application/vnd.rar", Family::kArchive},
  };
  for (const auto& c : cases) {
    Detected d = Sniff(c.bytes, "whatever.bin");
    EXPECT_EQ(d.media_type, c.media_type) << d.label;
    EXPECT_EQ(d.family, c.family) << c.media_type;
  }
}

TEST(FileSniff, ATarArchiveIsFoundByItsUstarMark) {
  std::string tar(512, '\0');
  tar.replace(0, 8, "logs.txt");
  tar.replace(257, 6, std::string("ustar\0", 6));
  EXPECT_EQ(Sniff(tar, "x.tar").media_type, "application/x-tar");
}

// A zip archive's first entry with a known size, as zip tools write it.
std::string ZipWithEntry(const std::string& name, const std::string& data) {
  std::string z = "PK\x03\x04";
  z += Bytes({20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});  // version, flags, method, time, crc
  auto le32 = [](std::size_t v) {
    return Bytes({static_cast<int>(v & 0xff), static_cast<int>((v >> 8) & 0xff),
                  static_cast<int>((v >> 16) & 0xff), static_cast<int>((v >> 24) & 0xff)});
  };
  z += le32(data.size()) + le32(data.size());
  z += Bytes({static_cast<int>(name.size()), 0, 0, 0});
  z += name + data;
  return z;
}

TEST(FileSniff, TellsOfficeDocumentsFromOtherZipArchives) {
  EXPECT_EQ(Sniff(ZipWithEntry("[Content_Types].xml", "<Types/>") +
                      ZipWithEntry("word/document.xml", "<w/>"),
                  "report.docx")
                .media_type,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
  EXPECT_EQ(Sniff(ZipWithEntry("xl/workbook.xml", "<x/>"), "a.xlsx").family, Family::kDocument);
  EXPECT_EQ(Sniff(ZipWithEntry("mimetype", "application/vnd.oasis.opendocument.text"), "a.odt")
                .media_type,
            "application/vnd.oasis.opendocument.text");
  Detected plain = Sniff(ZipWithEntry("sample.exe", "MZ..."), "sample.zip");
  EXPECT_EQ(plain.media_type, "application/zip");
  EXPECT_EQ(plain.family, Family::kArchive);
}

TEST(FileSniff, ReadsTheBytesNotTheName) {
  // A program named like a document is a program; a PDF named like a program is a PDF.
  EXPECT_EQ(Sniff("MZ\x90\0\x03\0\0\0", "invoice.pdf").family, Family::kExecutable);
  EXPECT_EQ(Sniff("\x7F"
                  "ELF\x02\x01\x01",
                  "notes.txt")
                .family,
            Family::kExecutable);
  EXPECT_EQ(Sniff("\xCF\xFA\xED\xFE\x07\0\0\x01", "a.png").family, Family::kExecutable);
  EXPECT_EQ(Sniff(std::string("\0asm\x01\0\0\0", 8), "a.txt").family, Family::kExecutable);
  EXPECT_EQ(Sniff("%PDF-1.4", "setup.exe").family, Family::kDocument);
}

TEST(FileSniff, TextIsSortedByContentAndName) {
  EXPECT_EQ(Sniff("Nov 23 10:00:01 gw kernel: DROP IN=eth0\n", "fw.log").media_type, "text/plain");
  EXPECT_EQ(Sniff("ip,first_seen\n203.0.113.7,2026-11-23\n", "iocs.csv").media_type, "text/csv");
  EXPECT_EQ(Sniff("  {\"ioc\": \"203.0.113.7\"}\n", "x").media_type, "application/json");
  EXPECT_EQ(Sniff("<?xml version=\"1.0\"?><Events/>", "events").media_type, "application/xml");
  EXPECT_EQ(
      Sniff("Received: from mx.example\r\nFrom: a@b.example\r\nSubject: invoice\r\n\r\nHi", "phish")
          .media_type,
      "message/rfc822");
  EXPECT_EQ(Sniff("\xEF\xBB\xBFplain text with a byte order mark", "a").family, Family::kText);
  EXPECT_EQ(Sniff("caf\xE9 in Latin-1", "legacy.log").family, Family::kText);
}

TEST(FileSniff, ScriptsAndPagesAreScriptsWhateverTheirContent) {
  EXPECT_EQ(Sniff("#!/bin/sh\nrm -rf /\n", "cleanup").family, Family::kScript);
  EXPECT_EQ(Sniff("Get-Process | Stop-Process\n", "kill.ps1").family, Family::kScript);
  EXPECT_EQ(Sniff("@echo off\r\ndel *.*\r\n", "RUN.BAT").family, Family::kScript);
  EXPECT_EQ(Sniff("<!DOCTYPE html><html><body>Sign in</body></html>", "login").family,
            Family::kScript);
  EXPECT_EQ(Sniff("<svg xmlns=\"http://www.w3.org/2000/svg\"><script/></svg>", "logo").family,
            Family::kScript);
  EXPECT_EQ(Sniff("PK\x03\x04", "tool.jar").family, Family::kExecutable);
}

TEST(FileSniff, BinaryOfNoKnownKindIsUnknown) {
  EXPECT_EQ(Sniff(Bytes({0x00, 0x01, 0x02, 0x03, 0xFE}), "blob.dat").family, Family::kUnknown);
}

TEST(FileClassify, KeepsEvidenceAndRefusesProgramsWithAdvice) {
  auto pdf = Classify("%PDF-1.7", "report.pdf");
  ASSERT_TRUE(pdf.ok());
  EXPECT_EQ(pdf->media_type, "application/pdf");

  auto exe = Classify("MZ\x90\0", "dropper.exe");
  ASSERT_FALSE(exe.ok());
  EXPECT_EQ(exe.error().code, "runnable");
  EXPECT_NE(exe.error().message.find("archive"), std::string::npos) << exe.error().message;

  auto unknown = Classify(Bytes({0, 1, 2, 3}), "x");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, "unknown_type");

  auto empty = Classify("", "empty.txt");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().code, "empty");
}

// ---- names and downloads ----

TEST(FileName, KeepsTheLastComponentAndDropsWhatCouldMislead) {
  EXPECT_EQ(SanitiseName("C:\\Users\\ciso\\Desktop\\fw.log"), "fw.log");
  EXPECT_EQ(SanitiseName("../../etc/passwd"), "passwd");
  EXPECT_EQ(SanitiseName("  .hidden.  "), "hidden");
  EXPECT_EQ(SanitiseName("a\r\nb\tc"), "a__b_c");
  EXPECT_EQ(SanitiseName("Rapport d'incident – été.pdf"), "Rapport d'incident – été.pdf");
  EXPECT_EQ(SanitiseName("bad\xFF\xFEutf8.txt"), "bad__utf8.txt");
  // U+202E RIGHT-TO-LEFT OVERRIDE would show "invoice\u202Efdp.exe" as "invoiceexe.pdf".
  EXPECT_EQ(SanitiseName("invoice\xE2\x80\xAE"
                         "fdp.exe"),
            "invoice_fdp.exe");
  EXPECT_EQ(SanitiseName(""), "file");
  EXPECT_EQ(SanitiseName("..."), "file");
  std::string long_name(150, 'a');
  for (int k = 0; k < 40; ++k) long_name += "é";  // two bytes each
  std::string cut = SanitiseName(long_name);
  EXPECT_LE(cut.size(), 200u);
  EXPECT_EQ(cut.size() % 2, 0u) << "cut between characters, not inside one";
}

TEST(FileDownload, IsAnAttachmentNeverShownInline) {
  const std::string bytes = "<html><script>alert(1)</script></html>";
  const std::string digest = crypto::Sha256Hex(bytes);
  http::Response res = Download(bytes, "page \"1\".html", digest);
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.body, bytes);
  EXPECT_EQ(res.Find("Content-Type").value_or(""), "application/octet-stream");
  EXPECT_EQ(res.Find("X-Content-Type-Options").value_or(""), "nosniff");
  EXPECT_NE(res.Find("Content-Security-Policy").value_or("").find("sandbox"), std::string::npos);
  EXPECT_EQ(res.Find("Content-Disposition").value_or(""),
            "attachment; filename=\"page _1_.html\"; filename*=UTF-8''page%20%221%22.html");
  // RFC 9530: the base64 of the 32-byte digest.
  EXPECT_EQ(
      res.Find("Repr-Digest").value_or(""), "sha-256=:" + [&] {
        std::string b64 = crypto::Base64Url(crypto::Sha256(bytes));
        for (char& c : b64) c = c == '-' ? '+' : c == '_' ? '/' : c;
        while (b64.size() % 4) b64 += '=';
        return b64;
      }() + ":");
}

TEST(FileDownload, NamesOutsideAsciiTravelInRfc8187Form) {
  EXPECT_EQ(ContentDisposition("été.pdf"),
            "attachment; filename=\"__t__.pdf\"; filename*=UTF-8''%C3%A9t%C3%A9.pdf");
}

}  // namespace
}  // namespace rampart::files
