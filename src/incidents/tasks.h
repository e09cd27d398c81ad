// Tasks on a case. Each belongs to the team of one party (the reporting organisation, a regulator,
// a CERT), which alone sees and works on it: a CERT's to-do list is not the reporter's business,
// nor the other way round. A task is given to a person of that team who may work on the case.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "incidents/access.h"
#include "platform/json_writer.h"
#include "platform/router.h"

namespace rampart::incidents {

struct Task {
  std::string id;
  std::string incident_id;
  std::string organisation_id;
  std::string title;
  std::string description;
  std::optional<std::string> assignee_id;
  std::optional<std::string> assignee_name;
  std::optional<Millis> due_at;
  std::string status = "open";  // open, done, cancelled
  std::string created_by;
  std::string created_by_name;
  Millis created_at = 0;
  Millis updated_at = 0;
  std::optional<Millis> closed_at;
  std::int64_t version = 1;
};

// The tasks of the caller's own team on the case (none when the caller keeps no tasks there).
std::vector<Task> TasksForCaller(db::Tx& tx, const Principal& caller, const Case& c);

// "tasks": [...] for the case page.
void WriteTasks(JsonWriter& w, const std::vector<Task>& tasks, Millis now);

// GET/POST /incidents/{id}/tasks, PATCH /incidents/{id}/tasks/{task_id}, GET /me/tasks.
void AddTaskRoutes(Router& router);

}  // namespace rampart::incidents
