// Time on the wire is UTC, RFC 3339 with milliseconds; in the database it is milliseconds since
// the Unix epoch (BIGINT), which sorts and compares the same on every store.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rampart {

using Millis = std::int64_t;

Millis NowMillis();
std::string FormatRfc3339(Millis ms);  // "2026-11-23T08:54:00.123Z"
// Accepts "YYYY-MM-DDTHH:MM:SS[.fff…](Z|±HH:MM)"; nullopt for anything else or an impossible date.
std::optional<Millis> ParseRfc3339(std::string_view text);

}  // namespace rampart
