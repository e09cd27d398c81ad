// The work on a case beside its reports: the tasks the person's own team keeps on it, the links
// the CERT draws to other cases, and merging a report into another report of the same incident.

import { useState } from 'preact/hooks';
import { api, ifMatch, type ApiError } from '../api';
import { dueLabel, formatDateTime, fromLocalInput, localZoneLabel } from '../format';
import { asApiError, useAsync } from '../hooks';
import { linkLabel, stateLabel, type CaseTask, type IncidentCase } from '../incidents';
import { useSession } from '../session';
import { Checkbox, TextField } from './Field';
import { Link } from './Link';
import { ErrorMessage } from './Status';

type Changed = (c: IncidentCase, message: string) => void;

/** The team's tasks: each closes or reopens in place; a new one may go to the person themselves. */
export function Tasks({ c, now, onChanged }: { c: IncidentCase; now: number; onChanged: () => void }) {
  const { session } = useSession();
  const [title, setTitle] = useState('');
  const [due, setDue] = useState('');
  const [mine, setMine] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const fe = error?.fieldErrors ?? {};

  const add = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body: Record<string, unknown> = { title: title.trim() };
      if (due) body.due_at = fromLocalInput(due);
      if (mine) body.assignee_id = session.user.id;
      await api.post(`/incidents/${c.id}/tasks`, body);
      setTitle('');
      setDue('');
      onChanged();
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };

  const setStatus = async (t: CaseTask, status: 'open' | 'done') => {
    setBusy(true);
    setError(null);
    try {
      await api.patch(`/incidents/${c.id}/tasks/${t.id}`, { status }, ifMatch(t.version));
      onChanged();
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };

  const open = c.tasks.filter((t) => t.status === 'open');
  const closed = c.tasks.filter((t) => t.status !== 'open');
  return (
    <section class="card" aria-labelledby="case-tasks">
      <h2 id="case-tasks">Your team's tasks</h2>
      <p class="small muted">Only your organisation sees these; the other parties keep their own.</p>
      <ErrorMessage error={error} />
      {c.tasks.length === 0 && <p class="muted">No tasks yet.</p>}
      <ul class="plain tasks">
        {[...open, ...closed].map((t) => (
          <li key={t.id} class={t.status === 'open' ? 'task' : 'task task-closed'}>
            <label>
              <input
                type="checkbox"
                checked={t.status !== 'open'}
                disabled={busy || t.status === 'cancelled'}
                onChange={() => void setStatus(t, t.status === 'open' ? 'done' : 'open')}
              />{' '}
              <span class="task-title">{t.title}</span>
            </label>
            <span class="small muted">
              {' '}
              · {t.assignee_name ?? 'Unassigned'}
              {t.due_at && t.status === 'open' && (
                <span class={t.overdue ? 'due-late' : undefined}> · {dueLabel(t.due_at, now)}</span>
              )}
              {t.closed_at && <> · {t.status === 'done' ? 'done' : 'cancelled'} {formatDateTime(t.closed_at)}</>}
            </span>
          </li>
        ))}
      </ul>
      <form class="inline-form" onSubmit={add}>
        <TextField label="New task" name="task-title" value={title} onValue={setTitle} maxLength={200} required error={fe['/title']} />
        <TextField
          label={`Due (optional, ${localZoneLabel()})`}
          name="task-due"
          type="datetime-local"
          value={due}
          onValue={setDue}
          error={fe['/due_at']}
        />
        <Checkbox label="Give it to me" name="task-mine" checked={mine} onChecked={setMine} />
        <div class="form-actions">
          <button type="submit" class="button" disabled={busy || title.trim().length < 2}>
            Add the task
          </button>
        </div>
      </form>
    </section>
  );
}

/** Cases linked to this one; the CERT links another case it holds, or merges this one into it. */
export function Links({ c, onChanged }: { c: IncidentCase; onChanged: Changed }) {
  const [other, setOther] = useState('');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const fe = error?.fieldErrors ?? {};
  const handles = c.you.may_handle;
  if (!handles && c.links.length === 0) return null;

  const run = async (path: string, body: unknown, message: string) => {
    setBusy(true);
    setError(null);
    try {
      onChanged(await api.post<IncidentCase>(path, body), message);
      setOther('');
      setNote('');
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };
  const unlink = async (id: string) => {
    setBusy(true);
    setError(null);
    try {
      await api.delete(`/incidents/${c.id}/links/${id}`);
      onChanged(await api.get<IncidentCase>(`/incidents/${c.id}`), 'The link is removed.');
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };
  const body = () => ({ ...(note.trim() ? { note: note.trim() } : {}) });
  const mayMerge = handles && ['submitted', 'acknowledged', 'triaged', 'in_progress'].includes(c.state);

  return (
    <section class="card" aria-labelledby="case-links">
      <h2 id="case-links">Linked cases</h2>
      <ErrorMessage error={error} />
      {c.links.length === 0 ? (
        <p class="muted">No linked cases.</p>
      ) : (
        <ul class="plain links">
          {c.links.map((l) => (
            <li key={l.incident_id}>
              <span class="badge">{linkLabel(l.kind)}</span> <Link href={`/incidents/${l.incident_id}`}>{l.reference}</Link>{' '}
              {l.title} <span class="small muted">· {stateLabel(l.state)}</span>
              {l.note && <span class="small muted"> · “{l.note}”</span>}
              {handles && l.kind === 'related' && (
                <>
                  {' '}
                  <button type="button" class="button button-small button-quiet" disabled={busy} onClick={() => void unlink(l.incident_id)}>
                    Unlink
                  </button>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      {handles && (
        <form class="inline-form" onSubmit={(e) => e.preventDefault()}>
          <TextField
            label="Other case"
            name="other-case"
            value={other}
            onValue={setOther}
            hint="Its reference, e.g. INC-2026-000012: a case your CERT holds."
            error={fe['/incident'] ?? fe['/into']}
          />
          <TextField label="Note (optional)" name="link-note" value={note} onValue={setNote} maxLength={2000} error={fe['/note']} />
          <div class="form-actions">
            <button
              type="button"
              class="button"
              disabled={busy || other.trim().length < 3}
              onClick={() => void run(`/incidents/${c.id}/links`, { incident: other.trim(), ...body() }, 'The cases are linked.')}
            >
              Link
            </button>
            {mayMerge && (
              <button
                type="button"
                class="button button-danger"
                disabled={busy || other.trim().length < 3}
                onClick={() => void run(`/incidents/${c.id}/merge`, { into: other.trim(), ...body() }, 'This case is merged into the other.')}
              >
                Merge this case into it
              </button>
            )}
          </div>
          {mayMerge && (
            <p class="small muted">
              Merging ends this case: its clocks stop and its reporter is told the report is handled with another. Nothing of
              this case is copied into the other.
            </p>
          )}
        </form>
      )}
    </section>
  );
}

interface MyTask {
  incident_reference: string;
  incident_title: string;
  task: CaseTask;
}

/** The person's open tasks on every case, soonest due first; nothing when there are none. */
export function MyTasks({ now }: { now: number }) {
  const tasks = useAsync(async () => (await api.get<{ items: MyTask[] }>('/me/tasks')).items, []);
  if (!tasks.data?.length) return null;
  return (
    <section class="card" aria-labelledby="my-tasks">
      <h2 id="my-tasks">Your tasks</h2>
      <ul class="plain tasks">
        {tasks.data.slice(0, 10).map((t) => (
          <li key={t.task.id}>
            <Link href={`/incidents/${t.task.incident_id}`}>{t.incident_reference}</Link> {t.task.title}
            {t.task.due_at && (
              <span class={t.task.overdue ? 'small due-late' : 'small muted'}> · {dueLabel(t.task.due_at, now)}</span>
            )}
          </li>
        ))}
      </ul>
      {tasks.data.length > 10 && <p class="small muted">And {tasks.data.length - 10} more.</p>}
    </section>
  );
}
