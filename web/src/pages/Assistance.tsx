// Requests for assistance: the list of those the person's organisations made or were asked
// (filtered and paged like the incident list), and the form an organisation asks a CERT with.

import { useEffect, useRef, useState } from 'preact/hooks';
import { api, query, type ApiError } from '../api';
import {
  ASSISTANCE_KINDS,
  ASSISTANCE_STATES,
  askingOrganisations,
  assistanceStateLabel,
  assistanceStateStyle,
  handlesAssistance,
  kindLabel,
  URGENCIES,
  urgencyHint,
  urgencyLabel,
  type AskableCert,
  type AssistanceRequest,
  type AssistanceSummary,
} from '../assistance';
import { Checkbox, SelectField, TextField } from '../components/Field';
import { Link } from '../components/Link';
import { Page } from '../components/Page';
import { ErrorMessage, Loading } from '../components/Status';
import { dueLabel, formatDateTime, plural } from '../format';
import { asApiError, useAsync, useNow } from '../hooks';
import { navigate, useLocation } from '../router';
import { useSession } from '../session';
import type { Page as ListPage } from '../types';
import type { IncidentSummary } from '../incidents';

const PAGE_SIZE = 25;

export function StateTag({ state }: { state: string }) {
  return <span class={`badge ${assistanceStateStyle(state)}`}>{assistanceStateLabel(state)}</span>;
}

export function UrgencyTag({ urgency }: { urgency: string }) {
  return (
    <span class={`badge severity-${urgency}`} title={urgencyHint(urgency)}>
      {urgencyLabel(urgency)}
    </span>
  );
}

interface Filters {
  state: string;
  urgency: string;
  kind: string;
  side: string;
  mine: boolean;
  q: string;
}

function filtersOf(params: URLSearchParams): Filters {
  return {
    state: params.get('state') ?? '',
    urgency: params.get('urgency') ?? '',
    kind: params.get('kind') ?? '',
    side: params.get('side') ?? '',
    mine: params.get('assignee') === 'me',
    q: params.get('q') ?? '',
  };
}

function listParams(f: Filters) {
  return {
    state: f.state,
    urgency: f.urgency,
    kind: f.kind,
    side: f.side,
    assignee: f.mine ? 'me' : '',
    q: f.q,
  };
}

export function AssistancePage() {
  const { session } = useSession();
  const { query: params } = useLocation();
  const filters = filtersOf(params);
  const key = JSON.stringify(filters);
  const [draft, setDraft] = useState(filters);
  useEffect(() => setDraft(filters), [key]);
  const cert = handlesAssistance(session);
  const asker = askingOrganisations(session).length > 0;
  const filtered = !!(filters.state || filters.urgency || filters.kind || filters.side || filters.mine || filters.q);

  const apply = (e: Event) => {
    e.preventDefault();
    navigate('/assistance' + query(listParams({ ...draft, q: draft.q.trim() })));
  };

  return (
    <Page
      title="Requests for assistance"
      lead={
        cert
          ? 'What organisations asked your CERT for, newest first. Open requests wait for your first answer.'
          : 'What your organisation asked its CERTs for help with, and where each request stands.'
      }
      actions={
        asker && (
          <Link href="/assistance/new" class="button button-primary">
            Ask a CERT for help
          </Link>
        )
      }
    >
      <form class="filters filters-incidents" role="search" aria-label="Filter requests" onSubmit={apply}>
        <TextField
          label="Search"
          name="q"
          type="search"
          value={draft.q}
          onValue={(v) => setDraft({ ...draft, q: v })}
          hint="Words of the title, or a reference"
          maxLength={200}
        />
        <SelectField
          label="State"
          name="state"
          value={draft.state}
          onValue={(v) => setDraft({ ...draft, state: v })}
          options={[
            { value: '', label: 'All states' },
            { value: 'open', label: 'Still open' },
            ...ASSISTANCE_STATES.map((s) => ({ value: s, label: assistanceStateLabel(s) })),
          ]}
        />
        <SelectField
          label="Urgency"
          name="urgency"
          value={draft.urgency}
          onValue={(v) => setDraft({ ...draft, urgency: v })}
          options={[{ value: '', label: 'Any urgency' }, ...URGENCIES.map((u) => ({ value: u, label: urgencyLabel(u) }))]}
        />
        <SelectField
          label="Kind of help"
          name="kind"
          value={draft.kind}
          onValue={(v) => setDraft({ ...draft, kind: v })}
          options={[{ value: '', label: 'Any kind' }, ...ASSISTANCE_KINDS.map((k) => ({ value: k, label: kindLabel(k) }))]}
        />
        {cert && asker && (
          <SelectField
            label="Side"
            name="side"
            value={draft.side}
            onValue={(v) => setDraft({ ...draft, side: v })}
            options={[
              { value: '', label: 'Asked and asking' },
              { value: 'asked', label: 'Asked of my CERT' },
              { value: 'asking', label: 'Made by my organisation' },
            ]}
          />
        )}
        {cert && (
          <div class="filter-checks">
            <Checkbox label="Assigned to me" checked={draft.mine} onChecked={(v) => setDraft({ ...draft, mine: v })} />
          </div>
        )}
        <div class="filter-actions">
          <button type="submit" class="button button-primary">
            Filter
          </button>
          {filtered && (
            <Link href="/assistance" class="button button-quiet">
              Clear
            </Link>
          )}
        </div>
      </form>
      <RequestTable filters={filters} filtered={filtered} cert={cert} />
    </Page>
  );
}

function RequestTable({ filters, filtered, cert }: { filters: Filters; filtered: boolean; cert: boolean }) {
  const now = useNow();
  const [items, setItems] = useState<AssistanceSummary[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ApiError | null>(null);
  const key = JSON.stringify(filters);
  // Answers for filters that are no longer in the address are dropped.
  const generation = useRef(0);

  const fetchPage = async (after: string | null) => {
    const mine = after ? generation.current : ++generation.current;
    setLoading(true);
    setError(null);
    try {
      const page = await api.get<ListPage<AssistanceSummary>>(
        '/assistance' + query({ ...listParams(filters), limit: PAGE_SIZE, cursor: after }),
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
    setItems([]);
    setCursor(null);
    void fetchPage(null);
  }, [key]);

  return (
    <>
      <ErrorMessage error={error} />
      <div class="table-wrap">
        <table class="table assistance-table">
          <caption class="sr-only">Requests for assistance</caption>
          <thead>
            <tr>
              <th scope="col">Reference</th>
              <th scope="col">Request</th>
              <th scope="col">{cert ? 'Asked by' : 'Asked of'}</th>
              <th scope="col">State</th>
              <th scope="col">Urgency</th>
              <th scope="col">First answer</th>
              {cert && <th scope="col">Assignee</th>}
            </tr>
          </thead>
          <tbody>
            {items.map((r) => (
              <tr key={r.id} class={r.response_overdue ? 'row-overdue' : undefined}>
                <th scope="row" class="nowrap">
                  <Link href={`/assistance/${r.id}`}>{r.reference}</Link>
                </th>
                <td class="case-title-cell">
                  {r.title}
                  <span class="muted small block">
                    {kindLabel(r.kind)}
                    {r.incident_reference && ` · case ${r.incident_reference}`} · made {formatDateTime(r.created_at)}
                  </span>
                </td>
                <td>{r.side === 'cert' ? r.asking_organisation.name : r.cert.name}</td>
                <td>
                  <StateTag state={r.state} />
                </td>
                <td>
                  <UrgencyTag urgency={r.urgency} />
                </td>
                <td class="small">
                  {r.state === 'open' ? (
                    <span class={r.response_overdue ? 'due-late' : 'muted'} title={formatDateTime(r.respond_by)}>
                      {dueLabel(r.respond_by, now)}
                    </span>
                  ) : (
                    <span class="muted">Answered</span>
                  )}
                </td>
                {cert && <td class="small">{r.side === 'cert' ? (r.assignee_name ?? <span class="muted">Nobody yet</span>) : '—'}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {loading && <Loading />}
      {!loading && !error && !items.length && (
        <p class="muted">{filtered ? 'No request matches these filters.' : 'No request for assistance yet.'}</p>
      )}
      <p class="list-foot" role="status">
        {!loading && items.length > 0 && `Showing ${plural(items.length, 'request')}${cursor ? ' (more below)' : ''}.`}
      </p>
      {cursor && !loading && (
        <button type="button" class="button" onClick={() => void fetchPage(cursor)}>
          Load more
        </button>
      )}
    </>
  );
}

// ---- asking ----

interface Draft {
  org: string;
  cert: string;
  kind: string;
  urgency: string;
  title: string;
  description: string;
  contact: string;
  incident: string;
}

export function AssistanceNewPage() {
  const { session } = useSession();
  const orgs = askingOrganisations(session);
  const [draft, setDraft] = useState<Draft>({
    org: orgs[0]?.id ?? '',
    cert: '',
    kind: 'incident_response',
    urgency: 'high',
    title: '',
    description: '',
    contact: '',
    incident: '',
  });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const certs = useAsync(
    () =>
      draft.org
        ? api.get<ListPage<AskableCert>>(`/organisations/${draft.org}/assistance/certs`).then((p) => p.items)
        : Promise.resolve([] as AskableCert[]),
    [draft.org],
  );
  // The organisation's own cases, newest first, to link one.
  const cases = useAsync(
    () =>
      draft.org
        ? api
            .get<ListPage<IncidentSummary>>('/incidents' + query({ organisation_id: draft.org, limit: 50 }))
            .then((p) => p.items.filter((i) => !i.organisation.anonymised))
        : Promise.resolve([] as IncidentSummary[]),
    [draft.org],
  );
  useEffect(() => {
    const first = certs.data?.[0];
    if (first && !certs.data!.some((c) => c.id === draft.cert)) setDraft((d) => ({ ...d, cert: first.id }));
  }, [certs.data]);

  if (!orgs.length) {
    return (
      <Page title="Ask a CERT for help">
        <p class="notice notice-info">
          Requests for assistance are made by the CISO, reporters or administrators of an organisation.
        </p>
      </Page>
    );
  }

  const fe = error?.fieldErrors ?? {};
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body: Record<string, unknown> = {
        cert_id: draft.cert,
        kind: draft.kind,
        urgency: draft.urgency,
        title: draft.title.trim(),
        description: draft.description.trim(),
      };
      if (draft.contact.trim()) body.contact = draft.contact.trim();
      if (draft.incident) body.incident_id = draft.incident;
      const made = await api.post<AssistanceRequest>(`/organisations/${draft.org}/assistance`, body);
      navigate(`/assistance/${made.id}`);
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page
      title="Ask a CERT for help"
      lead="Your sector's CERT or the national CERT answers, and the request is followed like a case."
    >
      <nav aria-label="Breadcrumb" class="breadcrumb">
        <Link href="/assistance">Requests for assistance</Link> <span aria-hidden="true">›</span> <span>New</span>
      </nav>
      <form class="card form-card" onSubmit={submit} noValidate aria-labelledby="ask-h">
        <h2 id="ask-h">Your request</h2>
        <ErrorMessage error={error} />
        {orgs.length > 1 && (
          <SelectField
            label="For"
            name="org"
            value={draft.org}
            onValue={(v) => set({ org: v, cert: '', incident: '' })}
            options={orgs.map((o) => ({ value: o.id, label: o.name }))}
          />
        )}
        {certs.error && <ErrorMessage error={certs.error} />}
        <SelectField
          label="CERT to ask"
          name="cert_id"
          value={draft.cert}
          onValue={(v) => set({ cert: v })}
          options={(certs.data ?? []).map((c) => ({
            value: c.id,
            label: `${c.name} (${c.relation === 'sector_cert' ? 'your sector' : 'national'})`,
          }))}
          hint="The CERT of your sector knows it best; the national CERT leads on what crosses sectors."
          required
          error={fe['/cert_id']}
        />
        <div class="grid-2">
          <SelectField
            label="Kind of help"
            name="kind"
            value={draft.kind}
            onValue={(v) => set({ kind: v })}
            options={ASSISTANCE_KINDS.map((k) => ({ value: k, label: kindLabel(k) }))}
            required
            error={fe['/kind']}
          />
          <SelectField
            label="Urgency"
            name="urgency"
            value={draft.urgency}
            onValue={(v) => set({ urgency: v })}
            options={URGENCIES.map((u) => ({ value: u, label: `${urgencyLabel(u)}: ${urgencyHint(u)}` }))}
            required
            error={fe['/urgency']}
          />
        </div>
        <TextField
          label="Title"
          name="title"
          value={draft.title}
          onValue={(v) => set({ title: v })}
          minLength={3}
          maxLength={200}
          required
          error={fe['/title']}
        />
        <TextField
          label="What you need"
          name="description"
          value={draft.description}
          onValue={(v) => set({ description: v })}
          multiline
          rows={6}
          maxLength={8000}
          required
          hint="What happened or what you face, what you have done, and what help you expect."
          error={fe['/description']}
        />
        <TextField
          label="How to reach you out of hours"
          name="contact"
          value={draft.contact}
          onValue={(v) => set({ contact: v })}
          maxLength={300}
          hint="A phone number or a shift desk, if the CERT should call."
          error={fe['/contact']}
        />
        <SelectField
          label="Incident case"
          name="incident_id"
          value={draft.incident}
          onValue={(v) => set({ incident: v })}
          options={[
            { value: '', label: 'No case: help without an incident report' },
            ...(cases.data ?? []).map((i) => ({ value: i.id, label: `${i.reference} · ${i.title}` })),
          ]}
          hint="One of your organisation's cases the CERT you ask holds; the CERT then sees which case it is."
          error={fe['/incident_id']}
        />
        <div class="form-actions">
          <button type="submit" class="button button-primary" disabled={busy || !draft.cert}>
            Send the request
          </button>
          <Link href="/assistance" class="button button-quiet">
            Cancel
          </Link>
        </div>
        {certs.loading && <Loading what="Finding the CERTs you may ask" />}
      </form>
    </Page>
  );
}
