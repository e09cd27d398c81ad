// Synthetic incident records for benchmarks and trials of `rampart incident import`: plausible
// early warnings, notifications and final reports of the organisations in a directory, the same
// for the same seed and `now`. Not demo data: nothing here is stored.
#pragma once

#include <cstdint>
#include <cstdio>

#include "incidents/import.h"
#include "platform/clock.h"
#include "platform/db.h"

namespace rampart::incidents {

// Writes `count` records to `out` in `format` (CSV with its header line), each a valid import
// record of one of the directory's operators and government bodies over the year before `now`.
// Returns how many were written; 0 when the directory has no such organisation.
std::int64_t GenerateRecords(db::Tx& tx, std::int64_t count, std::uint64_t seed, Millis now,
                             ImportFormat format, std::FILE* out);

}  // namespace rampart::incidents
