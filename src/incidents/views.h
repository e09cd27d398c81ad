// How a case is written as JSON where several places need the same text: the fields every view
// shares (list items, the case page, the audit log's state).
#pragma once

#include "incidents/model.h"
#include "platform/json_writer.h"

namespace rampart::incidents {

// The case's own fields as members of an object the caller has begun. `anonymised` leaves out
// what would name people of the reporting organisation; `now` decides `overdue`.
void WriteCore(JsonWriter& w, const Incident& incident, bool anonymised, Millis now);

// The audit log's state of a case: the core with the reporting organisation.
std::string AuditState(const Incident& incident);

}  // namespace rampart::incidents
