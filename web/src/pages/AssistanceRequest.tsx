// One request for assistance as the person may see it: what was asked, the conversation between
// the asking organisation and the CERT (with the CERT's internal notes for the CERT alone), the
// moves either side may make, the CERT's assignment, and the timeline. Every action answers with
// the updated request, which replaces the one shown.

import { useEffect, useState } from 'preact/hooks';
import { api, ifMatch, type ApiError } from '../api';
import {
  assistanceEventLabel,
  kindLabel,
  moveLabel,
  urgencyHint,
  type AssistanceRequest,
  type AssistanceState,
} from '../assistance';
import { Checkbox, TextField } from '../components/Field';
import { Link } from '../components/Link';
import { Page } from '../components/Page';
import { ErrorMessage, Loading, SuccessMessage } from '../components/Status';
import { dueLabel, formatDateTime } from '../format';
import { asApiError, useNow } from '../hooks';
import { useSession } from '../session';
import { StateTag, UrgencyTag } from './Assistance';

type Changed = (updated: AssistanceRequest, message: string) => void;

function useAction(onChanged: Changed) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const run = async (path: string, body: unknown, message: string, version?: number): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      const opts = version === undefined ? undefined : { ifMatch: ifMatch(version) };
      onChanged(await api.post<AssistanceRequest>(path, body, opts), message);
      return true;
    } catch (e) {
      setError(asApiError(e));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run };
}

export function AssistanceRequestPage({ id }: { id: string }) {
  const now = useNow();
  const [r, setR] = useState<AssistanceRequest | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    let current = true;
    setError(null);
    api.get<AssistanceRequest>(`/assistance/${encodeURIComponent(id)}`).then(
      (data) => current && setR(data),
      (e: unknown) => current && setError(asApiError(e)),
    );
    return () => {
      current = false;
    };
  }, [id, tick]);
  useEffect(() => {
    setR(null);
    setNotice(null);
  }, [id]);

  if (error && !r) {
    return (
      <Page title="Request for assistance">
        <ErrorMessage error={error} />
        <p>
          <Link href="/assistance">Back to the requests</Link>
        </p>
      </Page>
    );
  }
  if (!r) return <Loading what="Loading the request" />;

  const changed: Changed = (updated, message) => {
    setR(updated);
    setNotice(message);
  };
  const cert = r.you.side === 'cert';

  return (
    <Page
      title={r.title}
      lead={
        <span class="case-lead">
          <span class="ref">{r.reference}</span>
          <StateTag state={r.state} />
          <UrgencyTag urgency={r.urgency} />
          <span>
            {kindLabel(r.kind)}
            <span class="muted"> · {cert ? `asked by ${r.asking_organisation.name}` : `asked of ${r.cert.name}`}</span>
          </span>
        </span>
      }
      actions={
        <button type="button" class="button button-quiet" onClick={() => setTick((t) => t + 1)}>
          Refresh
        </button>
      }
    >
      <nav aria-label="Breadcrumb" class="breadcrumb">
        <Link href="/assistance">Requests for assistance</Link> <span aria-hidden="true">›</span>{' '}
        <span>{r.reference}</span>
      </nav>
      {error && <ErrorMessage error={error} />}
      <SuccessMessage>{notice}</SuccessMessage>
      {r.state === 'open' && (
        <p class={r.response_overdue ? 'notice notice-error' : 'notice notice-due'}>
          <strong>First answer of the CERT</strong> {dueLabel(r.respond_by, now)} ({urgencyHint(r.urgency)}).
        </p>
      )}
      {r.state === 'waiting_for_requester' && !cert && (
        <p class="notice notice-due">The CERT waits for your answer: write it in the conversation below.</p>
      )}

      <div class="grid-2 grid-wide-right grid-top">
        <section class="card" aria-labelledby="req-details">
          <h2 id="req-details">Request</h2>
          <Details r={r} />
        </section>
        <div>
          {(r.you.next_states.length > 0 || r.you.may_handle) && (
            <section class="card" aria-labelledby="req-actions">
              <h2 id="req-actions">{cert ? 'Handle the request' : 'Your request'}</h2>
              <div class="action-grid">
                {r.you.next_states.length > 0 && <Moves r={r} onChanged={changed} />}
                {r.you.may_handle && <Assignment r={r} onChanged={changed} />}
              </div>
            </section>
          )}
          <section class="card" aria-labelledby="req-conversation">
            <h2 id="req-conversation">Conversation</h2>
            <Conversation r={r} />
            {r.you.may_write || r.you.may_note ? (
              <MessageBox r={r} onChanged={changed} />
            ) : (
              <p class="muted small">This request is over; make a new request to ask again.</p>
            )}
          </section>
        </div>
      </div>

      <section class="card" aria-labelledby="req-timeline">
        <h2 id="req-timeline">Timeline</h2>
        <ol class="timeline">
          {r.timeline.map((e) => (
            <li key={e.id} class={`event event-${e.kind === 'message' || e.kind === 'note' ? 'comment' : e.kind}`}>
              <span class="event-mark" aria-hidden="true" />
              <div class="event-head">
                <span class="event-kind">{assistanceEventLabel(e.kind)}</span>
                <span class="event-who">
                  {e.actor}
                  {e.actor_organisation && <span class="muted">, {e.actor_organisation}</span>}
                </span>
                <time dateTime={e.at} class="muted small">
                  {formatDateTime(e.at)}
                </time>
                {e.internal && <span class="badge visibility-certs">CERT only</span>}
              </div>
              <p class="event-text prose">{e.text}</p>
            </li>
          ))}
        </ol>
      </section>
    </Page>
  );
}

function Details({ r }: { r: AssistanceRequest }) {
  const cert = r.you.side === 'cert';
  return (
    <dl class="details">
      <dt>Asked by</dt>
      <dd>
        {r.asking_organisation.name}
        {r.requested_by && <span class="muted"> · {r.requested_by}</span>}
      </dd>
      <dt>Asked of</dt>
      <dd>
        {r.cert.name}
        <span class="muted"> · {r.cert.relation === 'sector_cert' ? 'sector CERT' : 'national CERT'}</span>
      </dd>
      <dt>Kind of help</dt>
      <dd>{kindLabel(r.kind)}</dd>
      <dt>Incident case</dt>
      <dd>
        {r.incident ? (
          <Link href={`/incidents/${r.incident.id}`}>
            {r.incident.reference} · {r.incident.title}
          </Link>
        ) : (
          <span class="muted">None</span>
        )}
      </dd>
      <dt>Made</dt>
      <dd>{formatDateTime(r.created_at)}</dd>
      <dt>First answer</dt>
      <dd>
        {r.responded_at ? formatDateTime(r.responded_at) : <span class="muted">Due by {formatDateTime(r.respond_by)}</span>}
      </dd>
      {cert && (
        <>
          <dt>Assignee</dt>
          <dd>{r.assignee_name ?? <span class="muted">Nobody yet</span>}</dd>
        </>
      )}
      {r.contact && (
        <>
          <dt>Out-of-hours contact</dt>
          <dd>{r.contact}</dd>
        </>
      )}
      {r.state_reason && (
        <>
          <dt>{r.state === 'declined' ? 'Why declined' : r.state === 'withdrawn' ? 'Why withdrawn' : 'Last word'}</dt>
          <dd class="prose">{r.state_reason}</dd>
        </>
      )}
      {r.resolved_at && (
        <>
          <dt>Resolved</dt>
          <dd>{formatDateTime(r.resolved_at)}</dd>
        </>
      )}
      {r.closed_at && (
        <>
          <dt>Over since</dt>
          <dd>{formatDateTime(r.closed_at)}</dd>
        </>
      )}
      <dt>What is needed</dt>
      <dd class="prose">{r.description}</dd>
    </dl>
  );
}

function Conversation({ r }: { r: AssistanceRequest }) {
  if (!r.messages.length) return <p class="muted">No message yet.</p>;
  return (
    <ol class="timeline conversation">
      {r.messages.map((m) => (
        <li key={m.id} class={`event event-${m.internal ? 'request' : 'comment'} message-${m.side}`}>
          <span class="event-mark" aria-hidden="true" />
          <div class="event-head">
            <span class="event-who">
              <strong>{m.actor}</strong>
              <span class="muted">, {m.actor_organisation}</span>
            </span>
            <time dateTime={m.at} class="muted small">
              {formatDateTime(m.at)}
            </time>
            {m.internal && <span class="badge visibility-certs">Internal note</span>}
          </div>
          <p class="event-text prose">{m.text}</p>
        </li>
      ))}
    </ol>
  );
}

function MessageBox({ r, onChanged }: { r: AssistanceRequest; onChanged: Changed }) {
  const { busy, error, run } = useAction(onChanged);
  const [text, setText] = useState('');
  const [internal, setInternal] = useState(!r.you.may_write);
  const fe = error?.fieldErrors ?? {};
  const cert = r.you.side === 'cert';
  const submit = async (e: Event) => {
    e.preventDefault();
    const body: Record<string, unknown> = { text: text.trim() };
    if (internal) body.internal = true;
    if (await run(`/assistance/${r.id}/messages`, body, internal ? 'Note added.' : 'Message sent.')) setText('');
  };
  return (
    <form onSubmit={submit} noValidate class="message-form">
      <ErrorMessage error={error} />
      <TextField
        label={internal ? 'Internal note' : cert ? `Message to ${r.asking_organisation.name}` : `Message to ${r.cert.name}`}
        name="text"
        value={text}
        onValue={setText}
        multiline
        rows={3}
        maxLength={8000}
        required
        error={fe['/text']}
      />
      {r.you.may_note && (
        <Checkbox
          label="Internal note: only your CERT reads it"
          checked={internal}
          onChecked={(v) => setInternal(v || !r.you.may_write)}
          error={fe['/internal']}
        />
      )}
      <button type="submit" class="button button-primary" disabled={busy || !text.trim()}>
        {internal ? 'Add note' : 'Send'}
      </button>
    </form>
  );
}

const DANGER: AssistanceState[] = ['declined', 'withdrawn'];

function Moves({ r, onChanged }: { r: AssistanceRequest; onChanged: Changed }) {
  const { busy, error, run } = useAction(onChanged);
  const [reason, setReason] = useState('');
  const fe = error?.fieldErrors ?? {};
  const move = async (state: AssistanceState) => {
    const body: Record<string, unknown> = { state };
    if (reason.trim()) body.reason = reason.trim();
    if (await run(`/assistance/${r.id}/transitions`, body, `The request is now ${state.replace(/_/g, ' ')}.`, r.version)) {
      setReason('');
    }
  };
  return (
    <section class="action-block" aria-labelledby="act-move">
      <h3 id="act-move">Move the request</h3>
      <ErrorMessage error={error} />
      <TextField
        label="Reason or note"
        name="reason"
        value={reason}
        onValue={setReason}
        maxLength={4000}
        multiline
        rows={2}
        hint={
          r.you.next_states.includes('declined')
            ? 'Required to decline: the requester is owed a reason. Shown to both sides.'
            : 'Shown to both sides on the timeline.'
        }
        error={fe['/reason']}
      />
      <div class="form-actions">
        {r.you.next_states.map((s, i) => (
          <button
            key={s}
            type="button"
            class={DANGER.includes(s) ? 'button button-danger' : i === 0 ? 'button button-primary' : 'button'}
            disabled={busy}
            onClick={() => void move(s)}
          >
            {moveLabel(r.state, s, r.you.side)}
          </button>
        ))}
      </div>
    </section>
  );
}

function Assignment({ r, onChanged }: { r: AssistanceRequest; onChanged: Changed }) {
  const { session } = useSession();
  const { busy, error, run } = useAction(onChanged);
  const mine = r.assignee_id === session.user.id;
  return (
    <section class="action-block" aria-labelledby="act-assign">
      <h3 id="act-assign">Assignment</h3>
      <ErrorMessage error={error} />
      <p class="small">
        {r.assignee_name ? (
          <>
            Handled by <strong>{mine ? 'you' : r.assignee_name}</strong>.
          </>
        ) : (
          'Nobody handles it yet.'
        )}
      </p>
      <div class="form-actions">
        {!mine && (
          <button
            type="button"
            class="button"
            disabled={busy}
            onClick={() => void run(`/assistance/${r.id}/assignment`, { assignee_id: session.user.id }, 'You handle the request.', r.version)}
          >
            Take it
          </button>
        )}
        {r.assignee_id && (
          <button
            type="button"
            class="button button-quiet"
            disabled={busy}
            onClick={() => void run(`/assistance/${r.id}/assignment`, { assignee_id: null }, 'Nobody handles the request now.', r.version)}
          >
            Unassign
          </button>
        )}
      </div>
    </section>
  );
}
