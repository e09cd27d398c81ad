// Small cryptographic helpers over libsodium and OpenSSL: randomness, digests, encodings, MACs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rampart::crypto {

// Must be called once before any other function here (idempotent, thread-safe).
void Init();

std::string RandomBytes(std::size_t n);
std::string Sha256(std::string_view data);     // 32 raw bytes
std::string Sha256Hex(std::string_view data);  // 64 lowercase hex digits
std::string HmacSha1(std::string_view key, std::string_view data);
std::string HmacSha256(std::string_view key, std::string_view data);

std::string Hex(std::string_view bytes);
std::string Base64Url(std::string_view bytes);  // no padding
std::optional<std::string> FromBase64Url(std::string_view text);
std::string Base32(std::string_view bytes);  // RFC 4648, no padding
std::optional<std::string> FromBase32(std::string_view text);

// Constant-time comparison of two equally long strings; false when lengths differ.
bool Equal(std::string_view a, std::string_view b);

// A random UUID version 7 (time-ordered, so new rows append to indexes), in canonical text form.
std::string NewUuid();
bool IsUuid(std::string_view text);

}  // namespace rampart::crypto
