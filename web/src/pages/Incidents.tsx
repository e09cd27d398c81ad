// The incident cases the person's organisations hold: a filtered, paged table for everyone,
// and for CERT analysts a triage board with a column per open state.

import { useEffect, useRef, useState } from 'preact/hooks';
import { api, query, type ApiError } from '../api';
import { Checkbox, SelectField, TextField } from '../components/Field';
import { CaseOrg, NextDue, SeverityBadge, StagePips, StateBadge } from '../components/IncidentBits';
import { Link } from '../components/Link';
import { Page } from '../components/Page';
import { ErrorMessage, Loading } from '../components/Status';
import { dueLabel, formatDateTime, plural } from '../format';
import { asApiError, useNow } from '../hooks';
import {
  CASE_STATES,
  filingOrganisations,
  isCertAnalyst,
  OPEN_STATES,
  SEVERITIES,
  severityLabel,
  stageLabel,
  stateLabel,
  type IncidentSummary,
} from '../incidents';
import { navigate, useLocation } from '../router';
import { useSession } from '../session';
import type { Page as ListPage } from '../types';

const PAGE_SIZE = 25;
const BOARD_SIZE = 50;

interface Filters {
  state: string;
  severity: string;
  overdue: boolean;
  mine: boolean;
  q: string;
}

function filtersOf(params: URLSearchParams): Filters {
  return {
    state: params.get('state') ?? '',
    severity: params.get('severity') ?? '',
    overdue: params.get('overdue') === 'true',
    mine: params.get('assignee') === 'me',
    q: params.get('q') ?? '',
  };
}

/** The list API's query parameters for a set of filters. */
function listParams(f: Filters) {
  return {
    state: f.state,
    severity: f.severity,
    overdue: f.overdue ? 'true' : '',
    assignee: f.mine ? 'me' : '',
    q: f.q,
  };
}

export function IncidentsPage() {
  const { session } = useSession();
  const { query: params } = useLocation();
  const triage = isCertAnalyst(session);
  const view = params.get('view') ?? (triage ? 'board' : 'table');
  const filters = filtersOf(params);
  const key = JSON.stringify(filters);
  const [draft, setDraft] = useState(filters);
  useEffect(() => setDraft(filters), [key]);
  const mayFile = filingOrganisations(session).length > 0;

  const go = (f: Filters, v = view) =>
    navigate('/incidents' + query({ ...listParams({ ...f, q: f.q.trim() }), view: v === 'table' && !triage ? '' : v }));
  const apply = (e: Event) => {
    e.preventDefault();
    go(draft);
  };
  const filtered = !!(filters.state || filters.severity || filters.overdue || filters.mine || filters.q);

  const stateOptions = [
    { value: '', label: 'All states' },
    { value: 'open', label: 'Open (not resolved)' },
    ...CASE_STATES.map((s) => ({ value: s, label: stateLabel(s) })),
  ];
  const severityOptions = [
    { value: '', label: 'Any severity' },
    ...SEVERITIES.map((s) => ({ value: s, label: severityLabel(s) })),
  ];

  return (
    <Page
      title="Incidents"
      lead={
        triage
          ? 'Cases your CERT holds. The board shows open cases by state; the table shows every case.'
          : 'Incident cases your organisations hold, newest first.'
      }
      actions={
        <>
          <Link href="/incidents/compliance" class="button button-quiet">
            Reporting compliance
          </Link>
          {mayFile && (
            <Link href="/incidents/new" class="button button-primary">
              Report an incident
            </Link>
          )}
        </>
      }
    >
      <form class="filters filters-incidents" role="search" aria-label="Filter incidents" onSubmit={apply}>
        <TextField
          label="Search"
          name="q"
          type="search"
          value={draft.q}
          onValue={(v) => setDraft({ ...draft, q: v })}
          hint="Words of the title, or a reference"
          maxLength={200}
        />
        {view !== 'board' && (
          <SelectField
            label="State"
            name="state"
            value={draft.state}
            onValue={(v) => setDraft({ ...draft, state: v })}
            options={stateOptions}
          />
        )}
        <SelectField
          label="Severity"
          name="severity"
          value={draft.severity}
          onValue={(v) => setDraft({ ...draft, severity: v })}
          options={severityOptions}
        />
        <div class="filter-checks">
          <Checkbox label="Overdue only" checked={draft.overdue} onChecked={(v) => setDraft({ ...draft, overdue: v })} />
          {triage && (
            <Checkbox
              label="Assigned to me"
              checked={draft.mine}
              onChecked={(v) => setDraft({ ...draft, mine: v })}
            />
          )}
        </div>
        <div class="filter-actions">
          <button type="submit" class="button button-primary">
            Filter
          </button>
          {filtered && (
            <Link href={'/incidents' + query({ view: params.get('view') })} class="button button-quiet">
              Clear
            </Link>
          )}
        </div>
      </form>

      {triage && (
        <nav class="view-switch" aria-label="View">
          <Link
            href={'/incidents' + query({ ...listParams(filters), view: 'board' })}
            aria-current={view === 'board' ? 'page' : undefined}
          >
            Board
          </Link>
          <Link
            href={'/incidents' + query({ ...listParams(filters), view: 'table' })}
            aria-current={view !== 'board' ? 'page' : undefined}
          >
            Table
          </Link>
        </nav>
      )}

      {view === 'board' ? <Board filters={filters} /> : <CaseTable filters={filters} filtered={filtered} />}
    </Page>
  );
}

function CaseTable({ filters, filtered }: { filters: Filters; filtered: boolean }) {
  const now = useNow();
  const [items, setItems] = useState<IncidentSummary[]>([]);
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
      const page = await api.get<ListPage<IncidentSummary>>(
        '/incidents' + query({ ...listParams(filters), limit: PAGE_SIZE, cursor: after }),
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
        <table class="table incident-table">
          <caption class="sr-only">Incident cases</caption>
          <thead>
            <tr>
              <th scope="col">Reference</th>
              <th scope="col">Title</th>
              <th scope="col">Organisation</th>
              <th scope="col">State</th>
              <th scope="col">Severity</th>
              <th scope="col">Next due and clocks</th>
            </tr>
          </thead>
          <tbody>
            {items.map((i) => (
              <tr key={i.id} class={i.overdue ? 'row-overdue' : undefined}>
                <th scope="row" class="nowrap">
                  <Link href={`/incidents/${i.id}`}>{i.reference}</Link>
                </th>
                <td class="case-title-cell">
                  {i.title}
                  <span class="muted small block">Aware {formatDateTime(i.aware_at)}</span>
                </td>
                <td>
                  <CaseOrg org={i.organisation} />
                  <span class="muted small block">{i.sector_name}</span>
                </td>
                <td>
                  <StateBadge state={i.state} />
                </td>
                <td>
                  <SeverityBadge severity={i.severity} rule={i.severity_rule} />
                </td>
                <td class="next-due-cell">
                  <NextDue incident={i} now={now} />
                  <span class="block">
                    <StagePips incident={i} />
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {loading && <Loading />}
      {!loading && !error && !items.length && (
        <p class="muted">{filtered ? 'No case matches these filters.' : 'Your organisations hold no incident case yet.'}</p>
      )}
      <p class="list-foot" role="status">
        {!loading && items.length > 0 && `Showing ${plural(items.length, 'case')}${cursor ? ' (more below)' : ''}.`}
      </p>
      {cursor && !loading && (
        <button type="button" class="button" onClick={() => void fetchPage(cursor)}>
          Load more
        </button>
      )}
    </>
  );
}

interface Column {
  items: IncidentSummary[];
  more: boolean;
}

/** One column per open state, each its own query so a long column does not starve the others. */
function Board({ filters }: { filters: Filters }) {
  const now = useNow();
  const [columns, setColumns] = useState<Column[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const key = JSON.stringify(filters);
  const generation = useRef(0);

  useEffect(() => {
    const mine = ++generation.current;
    setColumns(null);
    setError(null);
    Promise.all(
      OPEN_STATES.map((state) =>
        api.get<ListPage<IncidentSummary>>(
          '/incidents' + query({ ...listParams({ ...filters, state }), limit: BOARD_SIZE }),
        ),
      ),
    ).then(
      (pages) => {
        if (mine === generation.current) setColumns(pages.map((p) => ({ items: p.items, more: !!p.next_cursor })));
      },
      (e: unknown) => {
        if (mine === generation.current) setError(asApiError(e));
      },
    );
  }, [key]);

  if (error) return <ErrorMessage error={error} />;
  if (!columns) return <Loading />;
  return (
    <div class="board">
      {OPEN_STATES.map((state, k) => {
        const col = columns[k]!;
        const id = `board-${state}`;
        return (
          <section key={state} class={`board-column board-${state}`} aria-labelledby={id}>
            <h2 id={id}>
              {stateLabel(state)} <span class="count">{col.more ? `${col.items.length}+` : col.items.length}</span>
            </h2>
            {!col.items.length && <p class="muted small">No case.</p>}
            <ul class="plain board-cards">
              {col.items.map((i) => (
                <li key={i.id} class={i.overdue ? 'board-card overdue' : 'board-card'}>
                  <Link href={`/incidents/${i.id}`} class="board-card-title">
                    <span class="ref">{i.reference}</span>
                    {i.title}
                  </Link>
                  <span class="small block">
                    <CaseOrg org={i.organisation} note={false} />
                    <span class="muted"> · {i.sector_name}</span>
                  </span>
                  <span class="board-card-foot">
                    <SeverityBadge severity={i.severity} rule={i.severity_rule} />
                    {i.next_due_at && i.next_due_stage ? <NextDueShort incident={i} now={now} /> : null}
                  </span>
                </li>
              ))}
            </ul>
            {col.more && (
              <Link href={'/incidents' + query({ ...listParams({ ...filters, state }), view: 'table' })} class="small">
                All {stateLabel(state).toLowerCase()} cases
              </Link>
            )}
          </section>
        );
      })}
    </div>
  );
}

function NextDueShort({ incident, now }: { incident: IncidentSummary; now: number }) {
  return (
    <span class={incident.overdue ? 'small due-late' : 'small muted'} title={formatDateTime(incident.next_due_at)}>
      {stageLabel(incident.next_due_stage!)} {dueLabel(incident.next_due_at!, now)}
    </span>
  );
}
