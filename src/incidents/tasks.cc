#include "incidents/tasks.h"

#include <nlohmann/json.hpp>

#include "platform/audit.h"
#include "platform/auth.h"
#include "platform/crypto.h"
#include "platform/input.h"

namespace rampart::incidents {

namespace {

using nlohmann::json;

constexpr std::string_view kColumns =
    "t.id, t.incident_id, t.organisation_id, t.title, t.description, t.assignee_id, a.display_name, "
    "t.due_at, t.status, t.created_by, c.display_name, t.created_at, t.updated_at, t.closed_at, "
    "t.version";
constexpr std::string_view kFrom =
    " FROM incident_tasks t LEFT JOIN users a ON a.id = t.assignee_id "
    "JOIN users c ON c.id = t.created_by ";

Task TaskOf(const db::Row& r) {
  Task t;
  t.id = r.Text(0);
  t.incident_id = r.Text(1);
  t.organisation_id = r.Text(2);
  t.title = r.Text(3);
  t.description = r.Text(4);
  t.assignee_id = r.OptText(5);
  t.assignee_name = r.OptText(6);
  t.due_at = r.OptInt(7);
  t.status = r.Text(8);
  t.created_by = r.Text(9);
  t.created_by_name = r.Text(10);
  t.created_at = r.Int(11);
  t.updated_at = r.Int(12);
  t.closed_at = r.OptInt(13);
  t.version = r.Int(14);
  return t;
}

std::optional<Task> FindTask(db::Tx& tx, std::string_view incident_id, std::string_view task_id) {
  auto r = tx.QueryOne(std::string("SELECT ") + std::string(kColumns) + std::string(kFrom) +
                           "WHERE t.id = $1 AND t.incident_id = $2",
                       {task_id, incident_id});
  if (!r) return std::nullopt;
  return TaskOf(*r);
}

void WriteTask(JsonWriter& w, const Task& t, Millis now) {
  w.BeginObject()
      .KeyString("id", t.id)
      .KeyString("incident_id", t.incident_id)
      .KeyString("organisation_id", t.organisation_id)
      .KeyString("title", t.title)
      .KeyString("description", t.description)
      .KeyOptString("assignee_id", t.assignee_id)
      .KeyOptString("assignee_name", t.assignee_name)
      .KeyOptTime("due_at", t.due_at)
      .KeyBool("overdue", t.status == "open" && t.due_at && *t.due_at < now)
      .KeyString("status", t.status)
      .KeyString("created_by", t.created_by_name)
      .KeyTime("created_at", t.created_at)
      .KeyTime("updated_at", t.updated_at)
      .KeyOptTime("closed_at", t.closed_at)
      .KeyInt("version", t.version)
      .EndObject();
}

std::string TaskJson(const Task& t, Millis now) {
  JsonWriter w;
  WriteTask(w, t, now);
  return std::move(w).Take();
}

// The team the caller works in on this case: the party organisation through which it may keep
// tasks. 403 when there is none (an auditor, the national CERT holding the case anonymised).
std::string TeamOf(const Principal& caller, const Case& c) {
  auto org = ActingOrg(caller, Action::kIncidentTask, c.standing);
  if (!org) throw Forbidden("Your organisation's part in this case does not let you keep tasks.");
  return *org;
}

// An assignee must be an active person of the team who may work on the case's tasks.
std::string CheckAssignee(db::Tx& tx, const Case& c, const std::string& team,
                          const std::string& user_id, std::string* name) {
  auto person = auth::LoadPrincipal(tx, user_id);
  std::vector<CaseParty> theirs;
  for (const auto& p : c.standing.parties) {
    if (p.org_id == team) theirs.push_back(p);
  }
  if (!person || Decide(&*person, Action::kIncidentTask, {.parties = &theirs}) != Decision::kAllow) {
    throw InvalidField("/assignee_id", "is not an active person of your team on this case");
  }
  if (name) *name = person->display_name;
  return user_id;
}

void AuditTask(db::Tx& tx, const Context& ctx, std::string action, const Task& task,
               std::optional<std::string> before, Millis now) {
  auto e = audit::By(ctx.principal, std::move(action), "incident_task", task.id,
                     ctx.request.request_id);
  e.before = std::move(before);
  e.after = TaskJson(task, now);
  audit::Append(tx, e, now);
}

http::Response ListTasks(Context& ctx) {
  const Millis now = NowMillis();
  return ctx.db().Read([&](db::Tx& tx) {
    Case c = LoadCase(tx, ctx);
    JsonWriter w;
    w.BeginObject();
    WriteTasks(w, TasksForCaller(tx, ctx.caller(), c), now);
    w.KeyNull("next_cursor").EndObject();
    return JsonText(200, std::move(w).Take());
  });
}

http::Response CreateTask(Context& ctx) {
  const Millis now = NowMillis();
  Input in(ctx.request);
  auto title = in.Text("title", {.required = true, .min = 2, .max = 200});
  auto description = in.Text("description", {.max = 8000});
  auto assignee = in.Text("assignee_id", {.nullable = true, .uuid = true});
  auto due_at = in.Time("due_at", false, true);
  auto task = ctx.db().Write([&](db::Tx& tx) {
    Case c = LoadCase(tx, ctx, Action::kIncidentTask);
    in.Done();  // after LoadCase: a case one may not see is 404 whatever the body
    Task t;
    t.id = crypto::NewUuid();
    t.incident_id = c.incident.id;
    t.organisation_id = TeamOf(ctx.caller(), c);
    t.title = *title;
    t.description = description.value_or("");
    if (assignee) {
      std::string name;
      t.assignee_id = CheckAssignee(tx, c, t.organisation_id, *assignee, &name);
      t.assignee_name = name;
    }
    t.due_at = due_at;
    t.created_by = ctx.caller().user_id;
    t.created_by_name = ctx.caller().display_name;
    t.created_at = t.updated_at = now;
    tx.Exec(
        "INSERT INTO incident_tasks (id, incident_id, organisation_id, title, description, "
        "assignee_id, due_at, status, created_by, created_at, updated_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', $8, $9, $9)",
        {t.id, t.incident_id, t.organisation_id, t.title, t.description, t.assignee_id, t.due_at,
         t.created_by, now});
    AuditTask(tx, ctx, "incident.task.create", t, std::nullopt, now);
    return t;
  });
  auto res = JsonText(201, TaskJson(task, now));
  SetETag(res, task.version);
  return res;
}

// Changes what is given; `status` done or cancelled closes the task, open reopens it. The version
// the caller saw comes in If-Match, so two people cannot overwrite each other unknowingly.
http::Response UpdateTask(Context& ctx) {
  const Millis now = NowMillis();
  const std::int64_t version = RequiredIfMatch(ctx.request);
  Input in(ctx.request);
  auto title = in.Text("title", {.min = 2, .max = 200});
  auto description = in.Text("description", {.max = 8000});
  const bool assignee_given = in.Has("assignee_id");
  auto assignee = in.Text("assignee_id", {.nullable = true, .uuid = true});
  const bool due_given = in.Has("due_at");
  auto due_at = in.Time("due_at", false, true);
  auto status = in.Text("status", {.one_of = {"open", "done", "cancelled"}});
  const auto& task_id = ctx.IdParam("task_id", "task");
  auto task = ctx.db().Write([&](db::Tx& tx) {
    Case c = LoadCase(tx, ctx, Action::kIncidentTask);
    in.Done();
    const std::string team = TeamOf(ctx.caller(), c);
    auto found = FindTask(tx, c.incident.id, task_id);
    // Another team's task does not exist for the caller.
    if (!found || found->organisation_id != team) throw NotFound("task");
    const std::string before = TaskJson(*found, now);
    Task t = *found;
    if (t.version != version) throw PreconditionFailed();
    if (title) t.title = *title;
    if (description) t.description = *description;
    if (assignee_given) {
      t.assignee_id.reset();
      t.assignee_name.reset();
      if (assignee) {
        std::string name;
        t.assignee_id = CheckAssignee(tx, c, team, *assignee, &name);
        t.assignee_name = name;
      }
    }
    if (due_given) t.due_at = due_at;
    if (status && *status != t.status) {
      t.status = *status;
      t.closed_at = t.status == "open" ? std::nullopt : std::optional<Millis>(now);
    }
    t.updated_at = now;
    if (tx.Exec("UPDATE incident_tasks SET title = $1, description = $2, assignee_id = $3, "
                "due_at = $4, status = $5, closed_at = $6, updated_at = $7, version = version + 1 "
                "WHERE id = $8 AND version = $9",
                {t.title, t.description, t.assignee_id, t.due_at, t.status, t.closed_at, now, t.id,
                 version}) != 1) {
      throw PreconditionFailed();
    }
    t.version = version + 1;
    AuditTask(tx, ctx, "incident.task.update", t, before, now);
    return t;
  });
  auto res = JsonText(200, TaskJson(task, now));
  SetETag(res, task.version);
  return res;
}

// The caller's open tasks on every case, soonest due first: what the home page shows.
http::Response MyTasks(Context& ctx) {
  const Millis now = NowMillis();
  const Principal& me = ctx.caller();
  return ctx.db().Read([&](db::Tx& tx) {
    JsonWriter w;
    w.BeginObject().Key("items").BeginArray();
    auto rows = tx.Query(
        std::string("SELECT ") + std::string(kColumns) + ", i.reference, i.title" +
            std::string(kFrom) +
            "JOIN incidents i ON i.id = t.incident_id "
            "WHERE t.assignee_id = $1 AND t.status = 'open' "
            "ORDER BY CASE WHEN t.due_at IS NULL THEN 1 ELSE 0 END, t.due_at, t.id LIMIT 200",
        {me.user_id});
    for (const auto& r : rows) {
      // Still in the team: a person who left it (or lost the role) no longer sees its tasks.
      Standing s = StandingOn(me, PartiesOf(tx, r.Text(1)));
      auto team = ActingOrg(me, Action::kIncidentTask, s);
      if (!team || *team != r.Text(2)) continue;
      Task t = TaskOf(r);
      w.BeginObject()
          .KeyString("incident_reference", r.Text(15))
          .KeyString("incident_title", s.anonymised ? "" : r.Text(16))
          .Key("task");
      WriteTask(w, t, now);
      w.EndObject();
    }
    w.EndArray().KeyNull("next_cursor").EndObject();
    return JsonText(200, std::move(w).Take());
  });
}

}  // namespace

std::vector<Task> TasksForCaller(db::Tx& tx, const Principal& caller, const Case& c) {
  std::vector<Task> out;
  auto team = ActingOrg(caller, Action::kIncidentTask, c.standing);
  if (!team) return out;
  for (const auto& r : tx.Query(std::string("SELECT ") + std::string(kColumns) +
                                    std::string(kFrom) +
                                    "WHERE t.incident_id = $1 AND t.organisation_id = $2 "
                                    "ORDER BY t.id",
                                {c.incident.id, *team})) {
    out.push_back(TaskOf(r));
  }
  return out;
}

void WriteTasks(JsonWriter& w, const std::vector<Task>& tasks, Millis now) {
  w.Key("tasks").BeginArray();
  for (const auto& t : tasks) WriteTask(w, t, now);
  w.EndArray();
}

void AddTaskRoutes(Router& r) {
  r.Add({"GET", "/api/v1/incidents/{id}/tasks", Action::kIncidentRead, "", ListTasks, kNoBody});
  r.Add({"POST", "/api/v1/incidents/{id}/tasks", Action::kIncidentTask, "", CreateTask,
         16 * 1024});
  r.Add({"PATCH", "/api/v1/incidents/{id}/tasks/{task_id}", Action::kIncidentTask, "", UpdateTask,
         16 * 1024});
  r.Add({"GET", "/api/v1/me/tasks", Action::kSelf, "", MyTasks, kNoBody});
}

}  // namespace rampart::incidents
