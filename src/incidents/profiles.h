// Reporting profiles as they are stored and shown: the built-in ones (rules.cc) and each sector's
// own versions, which its regulator derives from a built-in one within the national law's bounds
// (rules.cc CheckWithinLaw). A sector's version is never changed once saved: a case filed under it
// keeps its clocks and thresholds whatever the regulator decides later.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "incidents/model.h"
#include "platform/db.h"
#include "platform/json_writer.h"

namespace rampart::incidents {

// The profile a case or a sector names: a built-in one, or a sector's saved version (read once,
// then kept in memory, since versions never change). An unknown id gives the national default,
// so that a case never loses its clocks.
const ReportingProfile& ProfileById(db::Tx& tx, std::string_view id);

// The profile of a case.
const ReportingProfile& ProfileOf(db::Tx& tx, const Incident& incident);

// The profile as the API shows it (GET /reporting-profiles, a sector's profile): deadlines,
// thresholds, significance, the fields each stage requires and those the sector added.
void WriteProfile(JsonWriter& w, const ReportingProfile& profile);

// Reads back what WriteProfile wrote. Throws nlohmann::json::exception on a malformed text; only
// texts Rampart stored are given to it.
ReportingProfile ProfileFromJson(const nlohmann::json& body);

// Saves `profile` as the next version of the sector's own profile (its id is set here)
// and makes it the one the sector's new cases are filed under. Returns the saved profile.
ReportingProfile SaveSectorProfile(db::Tx& tx, std::string_view sector_id, std::string_view base_id,
                                   ReportingProfile profile, std::string_view user_id, Millis now);

}  // namespace rampart::incidents
