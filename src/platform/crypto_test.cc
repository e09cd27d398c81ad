// Encodings, digests, MACs and UUIDs, checked against published test vectors where there are some.
#include "platform/crypto.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "platform/clock.h"

namespace rampart::crypto {
namespace {

class Crypto : public testing::Test {
 protected:
  static void SetUpTestSuite() { Init(); }
};

TEST_F(Crypto, Base64UrlRoundTripsEveryLength) {
  for (std::size_t n = 0; n <= 70; ++n) {
    SCOPED_TRACE(n);
    std::string bytes = RandomBytes(n);
    std::string text = Base64Url(bytes);
    EXPECT_EQ(text.size(), (n * 8 + 5) / 6) << "no padding";
    EXPECT_EQ(text.find_first_of("+/="), std::string::npos) << text;
    EXPECT_EQ(FromBase64Url(text), bytes);
  }
}

TEST_F(Crypto, Base64UrlUsesTheUrlSafeAlphabet) {
  EXPECT_EQ(Base64Url("\xfb\xff"), "-_8");
  EXPECT_EQ(Base64Url("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64Url("fo"), "Zm8");
  EXPECT_EQ(FromBase64Url("-_8"), "\xfb\xff");
}

TEST_F(Crypto, FromBase64UrlRejectsOtherAlphabets) {
  EXPECT_EQ(FromBase64Url("+/8"), std::nullopt);
  EXPECT_EQ(FromBase64Url("Zm9v!"), std::nullopt);
}

TEST_F(Crypto, Base32MatchesRfc4648Vectors) {
  EXPECT_EQ(Base32(""), "");
  EXPECT_EQ(Base32("f"), "MY");
  EXPECT_EQ(Base32("fo"), "MZXQ");
  EXPECT_EQ(Base32("foo"), "MZXW6");
  EXPECT_EQ(Base32("foob"), "MZXW6YQ");
  EXPECT_EQ(Base32("fooba"), "MZXW6YTB");
  EXPECT_EQ(Base32("foobar"), "MZXW6YTBOI");
}

TEST_F(Crypto, FromBase32DecodesRfc4648VectorsWithOrWithoutPadding) {
  EXPECT_EQ(FromBase32("MY"), "f");
  EXPECT_EQ(FromBase32("MY======"), "f");
  EXPECT_EQ(FromBase32("MZXQ===="), "fo");
  EXPECT_EQ(FromBase32("MZXW6YTBOI"), "foobar");
  EXPECT_EQ(FromBase32("mzxw6ytboi"), "foobar") << "authenticator apps show lower case";
  EXPECT_EQ(FromBase32("MZXW 6YTB OI"), "foobar") << "and group by four";
}

TEST_F(Crypto, FromBase32RejectsCharactersOutsideTheAlphabet) {
  EXPECT_EQ(FromBase32("MZXW1"), std::nullopt);
  EXPECT_EQ(FromBase32("MZXW8"), std::nullopt);
  EXPECT_EQ(FromBase32("MZ-XW"), std::nullopt);
}

TEST_F(Crypto, Base32RoundTripsEveryLength) {
  for (std::size_t n = 0; n <= 40; ++n) {
    SCOPED_TRACE(n);
    std::string bytes = RandomBytes(n);
    std::string text = Base32(bytes);
    EXPECT_EQ(text.size(), (n * 8 + 4) / 5);
    EXPECT_EQ(FromBase32(text), bytes);
  }
}

TEST_F(Crypto, HexIsLowerCaseTwoDigitsPerByte) {
  EXPECT_EQ(Hex(""), "");
  EXPECT_EQ(Hex(std::string("\x00\x01\x7f\x80\xff", 5)), "00017f80ff");
  EXPECT_EQ(Hex("\xAB\xcd"), "abcd");
}

TEST_F(Crypto, Sha256MatchesKnownDigests) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256("abc").size(), 32u);
  EXPECT_EQ(Hex(Sha256("abc")), Sha256Hex("abc"));
}

TEST_F(Crypto, HmacMatchesRfcVectors) {
  // RFC 2202 test case 2 and RFC 4231 test case 2.
  EXPECT_EQ(Hex(HmacSha1("Jefe", "what do ya want for nothing?")),
            "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
  EXPECT_EQ(Hex(HmacSha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST_F(Crypto, EqualComparesContentAndLength) {
  EXPECT_TRUE(Equal("", ""));
  EXPECT_TRUE(Equal("123456", "123456"));
  EXPECT_FALSE(Equal("123456", "123457"));
  EXPECT_FALSE(Equal("12345", "123456"));
  EXPECT_FALSE(Equal("", "1"));
}

TEST_F(Crypto, RandomBytesHaveTheLengthAskedAndDiffer) {
  EXPECT_EQ(RandomBytes(0).size(), 0u);
  EXPECT_EQ(RandomBytes(32).size(), 32u);
  EXPECT_NE(RandomBytes(32), RandomBytes(32));
}

TEST_F(Crypto, NewUuidIsCanonicalVersion7) {
  for (int i = 0; i < 200; ++i) {
    std::string id = NewUuid();
    SCOPED_TRACE(id);
    ASSERT_EQ(id.size(), 36u);
    EXPECT_TRUE(IsUuid(id));
    EXPECT_EQ(id[8], '-');
    EXPECT_EQ(id[13], '-');
    EXPECT_EQ(id[18], '-');
    EXPECT_EQ(id[23], '-');
    EXPECT_EQ(id[14], '7') << "version nibble";
    EXPECT_NE(std::string("89ab").find(id[19]), std::string::npos) << "RFC 4122 variant bits 10";
    for (char c : id) {
      EXPECT_FALSE(c >= 'A' && c <= 'Z') << "upper case in " << id;
    }
  }
}

TEST_F(Crypto, NewUuidStartsWithTheCurrentTimeInMilliseconds) {
  Millis before = NowMillis();
  std::string id = NewUuid();
  Millis after = NowMillis();
  std::string hex = id.substr(0, 8) + id.substr(9, 4);
  auto ms = static_cast<Millis>(std::stoull(hex, nullptr, 16));
  EXPECT_GE(ms, before);
  EXPECT_LE(ms, after);
}

TEST_F(Crypto, NewUuidsAreDifferentEvenInTheSameMillisecond) {
  std::vector<std::string> ids;
  for (int i = 0; i < 1000; ++i) ids.push_back(NewUuid());
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(std::adjacent_find(ids.begin(), ids.end()), ids.end());
}

TEST_F(Crypto, SuccessiveUuidsSortByCreationTime) {
  std::vector<std::string> ids;
  for (int i = 0; i < 10; ++i) {
    if (i > 0) std::this_thread::sleep_for(std::chrono::milliseconds(3));
    ids.push_back(NewUuid());
  }
  for (std::size_t i = 1; i < ids.size(); ++i) {
    EXPECT_LT(ids[i - 1], ids[i]) << "uuid " << i << " sorts before the one made before it";
  }
}

TEST_F(Crypto, UuidsMadeInOneMillisecondSortInTheOrderTheyWereMade) {
  // Thousands within a few milliseconds: the counter keeps them in order, and running out of it
  // moves to the next millisecond rather than back.
  std::vector<std::string> ids;
  for (int i = 0; i < 20000; ++i) ids.push_back(NewUuid());
  EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), ids.size());
}

TEST_F(Crypto, IsUuidAcceptsCanonicalLowerCaseOnly) {
  EXPECT_TRUE(IsUuid("01890a5d-ac96-774b-bcce-b302099a8057"));
  EXPECT_TRUE(IsUuid("00000000-0000-0000-0000-000000000000"));
  EXPECT_FALSE(IsUuid("01890A5D-AC96-774B-BCCE-B302099A8057"));   // upper case
  EXPECT_FALSE(IsUuid("01890a5dac96774bbcceb302099a8057"));       // no hyphens
  EXPECT_FALSE(IsUuid("01890a5d-ac96-774b-bcce-b302099a805"));    // short
  EXPECT_FALSE(IsUuid("01890a5d-ac96-774b-bcce-b302099a80570"));  // long
  EXPECT_FALSE(IsUuid("01890a5d-ac96-774b-bcce-b302099a805g"));   // not hex
  EXPECT_FALSE(IsUuid("01890a5d_ac96-774b-bcce-b302099a8057"));   // wrong separator
  EXPECT_FALSE(IsUuid("{1890a5d-ac96-774b-bcce-b302099a8057}"));
  EXPECT_FALSE(IsUuid(""));
}

}  // namespace
}  // namespace rampart::crypto
