// Advisories and alerts the person may see (the server's audience engine decides each), newest
// first, with their organisation's acknowledgement; a CERT analyst also sees the CERT's drafts and
// may write a new advisory.

import { useEffect, useRef, useState } from 'preact/hooks';
import { api, query, type ApiError } from '../api';
import { SelectField, TextField } from '../components/Field';
import { Link } from '../components/Link';
import { Page } from '../components/Page';
import { ErrorMessage, Loading } from '../components/Status';
import { formatDateTime } from '../format';
import { asApiError } from '../hooks';
import { navigate, useLocation } from '../router';
import { useSession } from '../session';
import {
  ackLabel,
  publishingCerts,
  SEVERITIES,
  severityLabel,
  tlpClass,
  type AdvisorySummary,
} from '../sharing';
import type { Page as ListPage } from '../types';

const PAGE_SIZE = 25;

export function SeverityTag({ severity }: { severity: string }) {
  return <span class={`badge severity-${severity === 'info' ? 'low' : severity}`}>{severityLabel(severity)}</span>;
}

export function TlpTag({ label }: { label: string }) {
  return <span class={tlpClass(label)}>{label}</span>;
}

export function AdvisoriesPage() {
  const { session } = useSession();
  const { query: params } = useLocation();
  const filters = { state: params.get('state') ?? '', severity: params.get('severity') ?? '', q: params.get('q') ?? '' };
  const key = JSON.stringify(filters);
  const [draft, setDraft] = useState(filters);
  useEffect(() => setDraft(filters), [key]);
  const publisher = publishingCerts(session).length > 0;

  const apply = (e: Event) => {
    e.preventDefault();
    navigate('/advisories' + query({ ...draft, q: draft.q.trim() }));
  };

  return (
    <Page
      title="Advisories"
      lead={
        filters.state === 'draft'
          ? "Your CERT's drafts: nobody else sees them until they are published."
          : 'Alerts and advisories of the CERTs that reached your organisation. Record whether each applies to you.'
      }
      actions={
        publisher && (
          <>
            <Link href="/advisories/new" class="button button-primary">
              Write an advisory
            </Link>
            <Link href="/sharing-groups" class="button button-quiet">
              Sharing groups
            </Link>
          </>
        )
      }
    >
      <form class="filters" role="search" aria-label="Filter advisories" onSubmit={apply}>
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
          label="Severity"
          name="severity"
          value={draft.severity}
          onValue={(v) => setDraft({ ...draft, severity: v })}
          options={[{ value: '', label: 'Any severity' }, ...SEVERITIES.map((s) => ({ value: s, label: severityLabel(s) }))]}
        />
        {publisher && (
          <SelectField
            label="Show"
            name="state"
            value={draft.state}
            onValue={(v) => setDraft({ ...draft, state: v })}
            options={[
              { value: '', label: 'Published' },
              { value: 'draft', label: "My CERT's drafts" },
            ]}
          />
        )}
        <div class="filter-actions">
          <button type="submit" class="button button-primary">
            Filter
          </button>
        </div>
      </form>
      <AdvisoryTable filters={filters} />
    </Page>
  );
}

function AdvisoryTable({ filters }: { filters: { state: string; severity: string; q: string } }) {
  const [items, setItems] = useState<AdvisorySummary[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ApiError | null>(null);
  const key = JSON.stringify(filters);
  const generation = useRef(0);

  const fetchPage = async (after: string | null) => {
    const mine = after ? generation.current : ++generation.current;
    setLoading(true);
    setError(null);
    try {
      const page = await api.get<ListPage<AdvisorySummary>>('/advisories' + query({ ...filters, limit: PAGE_SIZE, cursor: after }));
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
        <table class="table advisory-table">
          <caption class="sr-only">Advisories</caption>
          <thead>
            <tr>
              <th scope="col">Reference</th>
              <th scope="col">Advisory</th>
              <th scope="col">Severity</th>
              <th scope="col">Label</th>
              <th scope="col">Published</th>
              <th scope="col">Your answer</th>
            </tr>
          </thead>
          <tbody>
            {items.map((a) => (
              <tr key={a.id} class={a.severity === 'critical' && a.acknowledgements.some((k) => !k.current) ? 'row-overdue' : undefined}>
                <th scope="row" class="nowrap">
                  <Link href={`/advisories/${a.id}`}>{a.reference}</Link>
                  {a.revision > 1 && <span class="muted small block">revision {a.revision}</span>}
                </th>
                <td class="case-title-cell">
                  {a.title}
                  <span class="muted small block">
                    {a.author.name}
                    {a.cve_ids.length > 0 && ` · ${a.cve_ids.join(', ')}`}
                  </span>
                </td>
                <td>
                  <SeverityTag severity={a.severity} />
                </td>
                <td>
                  <TlpTag label={a.tlp.label} />
                </td>
                <td class="small nowrap">{a.published_at ? formatDateTime(a.published_at) : <span class="muted">Draft</span>}</td>
                <td class="small">
                  {a.acknowledgements.length === 0 ? (
                    <span class="muted">—</span>
                  ) : (
                    a.acknowledgements.map((k) =>
                      k.current ? (
                        <span key={k.organisation_id} class="block">
                          {ackLabel(k.current.state)}
                        </span>
                      ) : (
                        <span key={k.organisation_id} class="block due-late">
                          Not yet
                        </span>
                      ),
                    )
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {loading && <Loading what="Loading advisories" />}
      {!loading && items.length === 0 && !error && <p class="muted">No advisory here.</p>}
      {cursor && !loading && (
        <p>
          <button type="button" class="button" onClick={() => void fetchPage(cursor)}>
            Show more
          </button>
        </p>
      )}
    </>
  );
}
