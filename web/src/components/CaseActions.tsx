// What a party may do to a case besides reporting: move it to another state, assign it,
// ask for an intermediate report, comment, and forward a report waiting at a regulator.
// Each offers only what `you` on the case allows; every answer is the updated case.

import { useState } from 'preact/hooks';
import { api, listAll, type ApiError } from '../api';
import { fromLocalInput, localZoneLabel } from '../format';
import { asApiError, useAsync } from '../hooks';
import {
  stateAction,
  stateLabel,
  visibilityLabel,
  type CaseState,
  type Handover,
  type IncidentCase,
} from '../incidents';
import { useSession } from '../session';
import type { Person, Session } from '../types';
import { Checkbox, SelectField, TextField } from './Field';
import { ErrorMessage } from './Status';

type Changed = (c: IncidentCase, message: string) => void;

/** Runs one POST on the case, with its busy flag, error and notice. */
function useCaseAction(onChanged: Changed) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const run = async (path: string, body: unknown, message: string): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      onChanged(await api.post<IncidentCase>(path, body), message);
      return true;
    } catch (e) {
      setError(asApiError(e));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run, setError };
}

const DANGER: CaseState[] = ['rejected', 'duplicate'];

export function StateActions({ c, onChanged }: { c: IncidentCase; onChanged: Changed }) {
  const { busy, error, run } = useCaseAction(onChanged);
  const [note, setNote] = useState('');
  const [duplicate, setDuplicate] = useState<string | null>(null);
  const fe = error?.fieldErrors ?? {};
  if (!c.you.next_states.length) return null;

  const move = async (state: CaseState) => {
    const body: Record<string, unknown> = { state };
    if (note.trim()) body.note = note.trim();
    if (state === 'duplicate') body.duplicate_of = (duplicate ?? '').trim();
    if (await run(`/incidents/${c.id}/transitions`, body, `The case is now ${stateLabel(state).toLowerCase()}.`)) {
      setNote('');
      setDuplicate(null);
    }
  };

  return (
    <section class="action-block" aria-labelledby="act-state">
      <h3 id="act-state">Move the case</h3>
      <ErrorMessage error={error} />
      <TextField
        label="Note (optional)"
        name="note"
        value={note}
        onValue={setNote}
        maxLength={4000}
        hint="Shown with the change on the timeline, to everyone on the case."
        error={fe['/note']}
      />
      {duplicate !== null && (
        <TextField
          label="Duplicate of"
          name="duplicate_of"
          value={duplicate}
          onValue={setDuplicate}
          hint="The reference of the case this one repeats, e.g. INC-2026-000012."
          required
          error={fe['/duplicate_of']}
        />
      )}
      <div class="form-actions">
        {c.you.next_states.map((s, i) => {
          if (s === 'duplicate' && duplicate === null) {
            return (
              <button key={s} type="button" class="button" disabled={busy} onClick={() => setDuplicate('')}>
                {stateAction(s)}…
              </button>
            );
          }
          return (
            <button
              key={s}
              type="button"
              class={i === 0 && !DANGER.includes(s) ? 'button button-primary' : 'button'}
              disabled={busy}
              onClick={() => void move(s)}
            >
              {stateAction(s)}
            </button>
          );
        })}
        {duplicate !== null && (
          <button type="button" class="button button-quiet" onClick={() => setDuplicate(null)}>
            Cancel
          </button>
        )}
      </div>
    </section>
  );
}

/**
 * Assignment. An administrator of a CERT holding the case may read its people, so chooses
 * among its analysts; an analyst takes the case for themselves.
 */
export function Assignment({ c, onChanged }: { c: IncidentCase; onChanged: Changed }) {
  const { session } = useSession();
  const { busy, error, run } = useCaseAction(onChanged);
  const certOrgs = c.parties
    .filter((p) => p.relation !== 'reporter' && p.relation !== 'regulator' && p.organisation_id)
    .map((p) => p.organisation_id!)
    .filter(
      (id) =>
        session.user.is_admin ||
        session.memberships.some((m) => m.organisation.id === id && m.roles.includes('org_admin')),
    );
  const key = certOrgs.join(',');
  const analysts = useAsync(async () => {
    const lists = await Promise.all(
      certOrgs.map(async (id) => {
        const org = c.parties.find((p) => p.organisation_id === id)!;
        const people = await listAll<Person>(`/organisations/${encodeURIComponent(id)}/people`);
        return people
          .filter((p) => !p.user.disabled && p.roles.some((r) => r === 'analyst' || r === 'org_admin'))
          .map((p) => ({ id: p.user.id, name: p.user.display_name, org: org.name }));
      }),
    );
    const seen = new Set<string>();
    return lists.flat().filter((p) => !seen.has(p.id) && !!seen.add(p.id));
  }, [key]);
  const [chosen, setChosen] = useState('');

  const assign = (id: string | null, message: string) =>
    void run(`/incidents/${c.id}/assignment`, { assignee_id: id }, message);
  const mine = c.assignee_id === session.user.id;
  const people = analysts.data ?? [];
  const named = people.find((p) => p.id === c.assignee_id)?.name ?? 'another analyst';
  const current = c.assignee_id ? (mine ? 'you' : named) : null;

  return (
    <section class="action-block" aria-labelledby="act-assign">
      <h3 id="act-assign">Assignment</h3>
      <ErrorMessage error={error} />
      <p>{current ? <>Assigned to {current}.</> : 'Nobody is assigned yet.'}</p>
      {certOrgs.length > 0 && people.length > 0 ? (
        <form
          class="inline-row"
          onSubmit={(e) => {
            e.preventDefault();
            const p = people.find((x) => x.id === chosen);
            if (p) assign(p.id, `The case is assigned to ${p.name}.`);
          }}
        >
          <SelectField
            label="Assign to"
            name="assignee"
            value={chosen}
            onValue={setChosen}
            options={[
              { value: '', label: 'Choose an analyst' },
              ...people.map((p) => ({ value: p.id, label: certOrgs.length > 1 ? `${p.name} (${p.org})` : p.name })),
            ]}
            error={error?.fieldErrors['/assignee_id']}
          />
          <button type="submit" class="button" disabled={busy || !chosen}>
            Assign
          </button>
        </form>
      ) : null}
      <div class="form-actions">
        {!mine && (
          <button
            type="button"
            class="button"
            disabled={busy}
            onClick={() => assign(session.user.id, 'The case is assigned to you.')}
          >
            Assign to me
          </button>
        )}
        {c.assignee_id && (
          <button
            type="button"
            class="button button-quiet"
            disabled={busy}
            onClick={() => assign(null, 'Nobody is assigned now.')}
          >
            Unassign
          </button>
        )}
      </div>
    </section>
  );
}

export function RequestReport({ c, onChanged }: { c: IncidentCase; onChanged: Changed }) {
  const { busy, error, run } = useCaseAction(onChanged);
  const [question, setQuestion] = useState('');
  const [due, setDue] = useState('');
  const fe = error?.fieldErrors ?? {};
  const submit = async (e: Event) => {
    e.preventDefault();
    const body: Record<string, unknown> = { question: question.trim() };
    if (due) body.due_at = fromLocalInput(due) ?? due;
    const asked = 'The reporting organisation has been asked for an intermediate report.';
    if (await run(`/incidents/${c.id}/requests`, body, asked)) {
      setQuestion('');
      setDue('');
    }
  };
  return (
    <section class="action-block" aria-labelledby="act-request">
      <h3 id="act-request">Ask for an intermediate report</h3>
      <ErrorMessage error={error} />
      <form onSubmit={submit} noValidate>
        <TextField
          label="Question"
          name="question"
          value={question}
          onValue={setQuestion}
          multiline
          rows={2}
          maxLength={4000}
          required
          error={fe['/question']}
        />
        <TextField
          label="Answer due"
          name="due_at"
          type="datetime-local"
          value={due}
          onValue={setDue}
          hint={`Your local time (${localZoneLabel()}); leave empty for the profile's default.`}
          error={fe['/due_at']}
        />
        <button type="submit" class="button" disabled={busy}>
          Send the request
        </button>
      </form>
    </section>
  );
}

export function CommentBox({ c, onChanged }: { c: IncidentCase; onChanged: Changed }) {
  const { busy, error, run } = useCaseAction(onChanged);
  const [text, setText] = useState('');
  const choices = c.you.comment_visibilities;
  const [visibility, setVisibility] = useState<string>('all');
  const fe = error?.fieldErrors ?? {};
  const submit = async (e: Event) => {
    e.preventDefault();
    const body: Record<string, unknown> = { text: text.trim() };
    if (choices.length > 1) body.visibility = visibility;
    if (await run(`/incidents/${c.id}/comments`, body, 'Comment added.')) setText('');
  };
  return (
    <section class="action-block" aria-labelledby="act-comment">
      <h3 id="act-comment">Comment</h3>
      <ErrorMessage error={error} />
      <form onSubmit={submit} noValidate>
        <TextField
          label="Your comment"
          name="text"
          value={text}
          onValue={setText}
          multiline
          rows={3}
          maxLength={8000}
          required
          error={fe['/text']}
        />
        {choices.length > 1 ? (
          <SelectField
            label="Who reads it"
            name="visibility"
            value={visibility}
            onValue={setVisibility}
            options={choices.map((v) => ({ value: v, label: visibilityLabel(v) }))}
            error={fe['/visibility']}
          />
        ) : (
          <p class="hint">Everyone on the case reads it.</p>
        )}
        <button type="submit" class="button" disabled={busy}>
          Add comment
        </button>
      </form>
    </section>
  );
}

/** The regulator's forward of a report waiting in its inbox, from the case page or the inbox. */
export function ForwardForm({
  incidentId,
  handoverId,
  defaultAnonymised = false,
  onForwarded,
  onCancel,
}: {
  incidentId: string;
  handoverId: string;
  defaultAnonymised?: boolean;
  onForwarded: Changed;
  onCancel?: () => void;
}) {
  const { busy, error, run } = useCaseAction(onForwarded);
  const [anonymised, setAnonymised] = useState(defaultAnonymised);
  const [note, setNote] = useState('');
  const fe = error?.fieldErrors ?? {};
  const submit = (e: Event) => {
    e.preventDefault();
    const body: Record<string, unknown> = { anonymised };
    if (note.trim()) body.note = note.trim();
    void run(
      `/incidents/${incidentId}/handovers/${handoverId}/forward`,
      body,
      `Forwarded to the national CERT${anonymised ? ' anonymised' : ''}.`,
    );
  };
  return (
    <form class="forward-form" onSubmit={submit} noValidate>
      <ErrorMessage error={error} />
      <Checkbox
        label="Forward anonymised"
        checked={anonymised}
        onChecked={setAnonymised}
        hint="The national CERT then sees the sector and the kind and size of organisation, not its name."
        error={fe['/anonymised']}
        errorLabel="Anonymised"
      />
      <TextField label="Note (optional)" name="note" value={note} onValue={setNote} maxLength={2000} error={fe['/note']} />
      <div class="form-actions">
        <button type="submit" class="button button-primary" disabled={busy}>
          Forward to the national CERT
        </button>
        {onCancel && (
          <button type="button" class="button button-quiet" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}

/** Whether the person forwards this hand-over: it waits at a regulator where they are an analyst. */
export function forwardsThis(session: Session, h: Handover): boolean {
  return (
    !h.delivered_at &&
    session.memberships.some(
      (m) =>
        m.organisation.id === h.from_organisation_id &&
        m.organisation.kind === 'regulator' &&
        m.roles.some((r) => r === 'analyst' || r === 'org_admin'),
    )
  );
}
