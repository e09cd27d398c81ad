// The action plan's pieces: the list of recommendations (importance, responsible person, due date,
// status, overdue ones marked), one recommendation opened with its edit form and its history, and
// the form that adds one.

import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ifMatch, query, type ApiError } from '../api';
import { formatDate, formatDateTime, plural, toDateInput } from '../format';
import { asApiError, useAsync, useNow } from '../hooks';
import {
  apiBase,
  importanceLabel,
  loadPeople,
  pagePath,
  personName,
  personOptions,
  RECOMMENDATION_STATUSES,
  recommendationStatusLabel,
  type Analysis,
  type Recommendation,
} from '../risk';
import { useSession } from '../session';
import type { Page as ListPage } from '../types';
import { SelectField, TextField } from './Field';
import { Link } from './Link';
import { ErrorMessage, Loading, SuccessMessage } from './Status';

/** Due at the end of the chosen day (UTC), so "due 1 Dec" is still on time on 1 Dec. */
function dueOf(date: string): string | null {
  return date ? `${date}T23:59:59.000Z` : null;
}

export function isOverdue(r: Recommendation, now: number): boolean {
  return !!r.due_at && (r.status === 'open' || r.status === 'in_progress') && Date.parse(r.due_at) < now;
}

const IMPORTANCE = [3, 2, 1].map((n) => ({ value: String(n), label: importanceLabel(n) }));

interface Draft {
  title: string;
  description: string;
  importance: string;
  responsible: string;
  due: string;
  status: string;
}

function draftOf(r: Recommendation | null): Draft {
  return {
    title: r?.title ?? '',
    description: r?.description ?? '',
    importance: String(r?.importance ?? 2),
    responsible: r?.responsible_id ?? '',
    due: toDateInput(r?.due_at),
    status: r?.status ?? 'open',
  };
}

function RecommendationFields({
  draft,
  set,
  errors,
  people,
  withStatus,
}: {
  draft: Draft;
  set: (p: Partial<Draft>) => void;
  errors: Record<string, string>;
  people: Awaited<ReturnType<typeof loadPeople>>;
  withStatus: boolean;
}) {
  const { session } = useSession();
  return (
    <>
      <TextField label="Title" name="title" value={draft.title} onValue={(v) => set({ title: v })} required maxLength={300} error={errors['/title']} />
      <TextField label="Description" name="rec-description" value={draft.description} onValue={(v) => set({ description: v })} multiline rows={2} maxLength={5000} error={errors['/description']} />
      <div class="risk-rec-grid">
        <SelectField label="Importance" name="importance" value={draft.importance} onValue={(v) => set({ importance: v })} error={errors['/importance']} options={IMPORTANCE} />
        <SelectField
          label="Responsible"
          name="responsible_id"
          value={draft.responsible}
          onValue={(v) => set({ responsible: v })}
          error={errors['/responsible_id']}
          options={personOptions(people, session, draft.responsible || null)}
        />
        <TextField label="Due" name="due_at" type="date" value={draft.due} onValue={(v) => set({ due: v })} error={errors['/due_at']} />
        {withStatus && (
          <SelectField
            label="Status"
            name="status"
            value={draft.status}
            onValue={(v) => set({ status: v })}
            error={errors['/status']}
            options={RECOMMENDATION_STATUSES.map((s) => ({ value: s, label: recommendationStatusLabel(s) }))}
          />
        )}
      </div>
    </>
  );
}

function bodyOf(d: Draft, withStatus: boolean): Record<string, unknown> {
  const b: Record<string, unknown> = {
    title: d.title.trim(),
    description: d.description,
    importance: Number(d.importance),
    responsible_id: d.responsible || null,
    due_at: dueOf(d.due),
  };
  if (withStatus) b.status = d.status;
  return b;
}

/** Adds a recommendation (to a scenario when scenarioId is given); calls onCreated after. */
export function RecommendationForm({
  analysis,
  scenarioId,
  onCreated,
}: {
  analysis: Analysis;
  scenarioId?: string;
  onCreated?: () => void;
}) {
  const [draft, setDraft] = useState(() => draftOf(null));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState('');
  const { session } = useSession();
  const people = useAsync(() => loadPeople(analysis.organisation_id, session), [analysis.organisation_id]);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setDone('');
    try {
      const body = bodyOf(draft, false);
      if (scenarioId) body.scenario_id = scenarioId;
      await api.post<Recommendation>(`${apiBase(analysis.organisation_id, analysis.id)}/recommendations`, body);
      setDraft(draftOf(null));
      setDone('Recommendation added to the action plan.');
      onCreated?.();
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="risk-rec-form" onSubmit={submit} noValidate>
      <h3>Add a recommendation</h3>
      <ErrorMessage error={error} />
      <SuccessMessage>{done}</SuccessMessage>
      <RecommendationFields draft={draft} set={(p) => setDraft({ ...draft, ...p })} errors={error?.fieldErrors ?? {}} people={people.data ?? null} withStatus={false} />
      <div class="form-actions">
        <button type="submit" class="button button-primary" disabled={busy}>
          {busy ? 'Adding…' : 'Add'}
        </button>
      </div>
    </form>
  );
}

/** The recommendations of the analysis (or of one scenario), a page at a time. */
export function RecommendationList({
  analysis,
  scenarioId,
  status = '',
  compact = false,
  refresh = 0,
  mayWrite = false,
}: {
  analysis: Analysis;
  scenarioId?: string;
  status?: string;
  compact?: boolean;
  refresh?: number;
  mayWrite?: boolean;
}) {
  const { session } = useSession();
  const now = useNow();
  const base = apiBase(analysis.organisation_id, analysis.id);
  const [items, setItems] = useState<Recommendation[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ApiError | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const people = useAsync(() => loadPeople(analysis.organisation_id, session), [analysis.organisation_id]);
  const generation = useRef(0);
  const fetchPage = async (after: string | null) => {
    const mine = after ? generation.current : ++generation.current;
    setLoading(true);
    setError(null);
    try {
      const page = await api.get<ListPage<Recommendation>>(
        `${base}/recommendations` + query({ scenario: scenarioId, status, limit: 50, cursor: after }),
      );
      if (mine !== generation.current) return;
      setItems((prev) => (after ? [...prev, ...page.items] : page.items));
      setCursor(page.next_cursor);
    } catch (e) {
      if (mine === generation.current) setError(asApiError(e));
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  };
  useEffect(() => {
    void fetchPage(null);
  }, [base, scenarioId, status, refresh]);

  const replace = (r: Recommendation) => setItems(items.map((x) => (x.id === r.id ? r : x)));

  if (compact) {
    return (
      <>
        <ErrorMessage error={error} />
        {loading && <Loading />}
        {!loading && !items.length && <p class="muted small">None yet.</p>}
        <ul class="risk-rec-compact">
          {items.map((r) => (
            <li key={r.id} class={isOverdue(r, now) ? 'risk-overdue' : undefined}>
              <strong>{r.title}</strong> · {recommendationStatusLabel(r.status)} · {importanceLabel(r.importance)}
              {r.due_at && ` · due ${formatDate(r.due_at)}`}
              {isOverdue(r, now) && <span class="badge risk-level risk-level-top">Overdue</span>}
            </li>
          ))}
        </ul>
        <p class="small">
          <Link href={pagePath(analysis.organisation_id, analysis.id, 'actions')}>The whole action plan</Link>
        </p>
      </>
    );
  }

  return (
    <>
      <ErrorMessage error={error} />
      {items.length > 0 && (
        <div class="table-wrap">
          <table class="table risk-actions">
            <caption class="sr-only">Recommendations</caption>
            <thead>
              <tr>
                <th scope="col">Recommendation</th>
                <th scope="col">Importance</th>
                <th scope="col">Responsible</th>
                <th scope="col">Due</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {items.map((r) => {
                const late = isOverdue(r, now);
                return [
                  <tr key={r.id} class={late ? 'row-overdue' : undefined}>
                    <th scope="row">
                      <button
                        type="button"
                        class="link-button"
                        aria-expanded={open === r.id ? 'true' : 'false'}
                        onClick={() => setOpen(open === r.id ? null : r.id)}
                      >
                        {r.title}
                      </button>
                      {r.scenario_id && (
                        <span class="block small">
                          <Link href={pagePath(analysis.organisation_id, analysis.id, `scenarios/${r.scenario_id}`)}>Its scenario</Link>
                        </span>
                      )}
                    </th>
                    <td>{importanceLabel(r.importance)}</td>
                    <td class="small">{personName(people.data ?? null, session, r.responsible_id)}</td>
                    <td class="nowrap">
                      {formatDate(r.due_at)}
                      {late && (
                        <span class="block">
                          <span class="badge risk-level risk-level-top">Overdue</span>
                        </span>
                      )}
                    </td>
                    <td>{recommendationStatusLabel(r.status)}</td>
                  </tr>,
                  open === r.id && (
                    <tr key={`${r.id}-open`} class="row-continued">
                      <td colSpan={5}>
                        <RecommendationDetail analysis={analysis} id={r.id} mayWrite={mayWrite} onSaved={replace} />
                      </td>
                    </tr>
                  ),
                ];
              })}
            </tbody>
          </table>
        </div>
      )}
      {loading && <Loading what="Loading the action plan" />}
      {!loading && !error && !items.length && <p class="muted empty-state">No recommendation{status ? ' with this status' : ''} yet.</p>}
      <p class="list-foot" role="status">
        {!loading && items.length > 0 && `Showing ${plural(items.length, 'recommendation')}${cursor ? ' (more below)' : ''}.`}
      </p>
      {cursor && !loading && (
        <button type="button" class="button" onClick={() => void fetchPage(cursor)}>
          Load more
        </button>
      )}
    </>
  );
}

const CHANGE_LABELS: Record<string, string> = {
  title: 'title',
  description: 'description',
  importance: 'importance',
  responsible_id: 'responsible',
  due_at: 'due date',
  status: 'status',
};

function RecommendationDetail({
  analysis,
  id,
  mayWrite,
  onSaved,
}: {
  analysis: Analysis;
  id: string;
  mayWrite: boolean;
  onSaved: (r: Recommendation) => void;
}) {
  const base = apiBase(analysis.organisation_id, analysis.id);
  const state = useAsync(() => api.get<Recommendation>(`${base}/recommendations/${id}`), [base, id]);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const { session } = useSession();
  const people = useAsync(() => loadPeople(analysis.organisation_id, session), [analysis.organisation_id]);
  const [rec, setRec] = useState<Recommendation | null>(null);
  useEffect(() => {
    if (state.data) {
      setRec(state.data);
      setDraft(draftOf(state.data));
    }
  }, [state.data]);
  if (state.error) return <ErrorMessage error={state.error} />;
  if (!rec || !draft) return <Loading />;

  const save = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const next = await api.patch<Recommendation>(`${base}/recommendations/${id}`, bodyOf(draft, true), ifMatch(rec.version));
      setRec(next);
      setDraft(draftOf(next));
      onSaved(next);
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };

  // Each history entry is the whole recommendation after the change: show what differs from the
  // entry before it.
  const history = rec.history ?? [];
  return (
    <div class="grid-2 risk-rec-detail">
      <form onSubmit={save} noValidate>
        <ErrorMessage error={error} />
        <fieldset class="plain" disabled={!mayWrite}>
          <RecommendationFields draft={draft} set={(p) => setDraft({ ...draft, ...p })} errors={error?.fieldErrors ?? {}} people={people.data ?? null} withStatus />
        </fieldset>
        {mayWrite && (
          <div class="form-actions">
            <button type="submit" class="button button-primary" disabled={busy}>
              {busy ? 'Saving…' : 'Save'}
            </button>
          </div>
        )}
      </form>
      <div>
        <h3>History</h3>
        <ol class="risk-history">
          {history.map((h, k) => {
            const prev = k > 0 ? history[k - 1]!.change : null;
            const changed = prev
              ? Object.keys(CHANGE_LABELS).filter(
                  (key) => JSON.stringify(prev[key as keyof Recommendation]) !== JSON.stringify(h.change[key as keyof Recommendation]),
                )
              : [];
            return (
              <li key={k}>
                <span class="muted small">{formatDateTime(h.at)}</span> {h.actor}{' '}
                {prev
                  ? changed.length
                    ? `changed the ${changed.map((c) => CHANGE_LABELS[c]).join(', ')}` +
                      (changed.includes('status') ? ` to ${recommendationStatusLabel(String(h.change.status))}` : '')
                    : 'saved it unchanged'
                  : 'created it'}
              </li>
            );
          })}
        </ol>
      </div>
    </div>
  );
}
