// Shared incidents: the reviewed versions of cases that CERTs published with the reporting
// organisation's consent, as the server's audience engine lets the person see them (a list, newest
// first, and one shared incident). Nothing of the case itself is here.

import { useEffect, useRef, useState } from 'preact/hooks';
import { api, query, type ApiError } from '../api';
import { Link } from '../components/Link';
import { Page } from '../components/Page';
import { ErrorMessage, Loading } from '../components/Status';
import { formatDateTime } from '../format';
import { asApiError, useAsync } from '../hooks';
import { distributionLabel, tlpClass } from '../sharing';
import type { SharedIncident, SharedIncidentSummary } from '../sharing-more';
import type { Page as ListPage } from '../types';
import { TlpTag } from './Advisories';

const PAGE_SIZE = 25;

function SeverityOf({ severity }: { severity: string | null }) {
  if (!severity) return <span class="muted">—</span>;
  return <span class={`badge severity-${severity}`}>{severity[0]!.toUpperCase() + severity.slice(1)}</span>;
}

export function SharedIncidentsPage() {
  const [items, setItems] = useState<SharedIncidentSummary[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ApiError | null>(null);
  const generation = useRef(0);

  const fetchPage = async (after: string | null) => {
    const mine = after ? generation.current : ++generation.current;
    setLoading(true);
    setError(null);
    try {
      const page = await api.get<ListPage<SharedIncidentSummary>>('/shared-incidents' + query({ limit: PAGE_SIZE, cursor: after }));
      if (mine !== generation.current) return;
      setItems((prev) => (after ? [...prev, ...page.items] : page.items));
      setCursor(page.next_cursor);
    } catch (e) {
      if (mine === generation.current) setError(asApiError(e));
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  };
  useEffect(() => void fetchPage(null), []);

  return (
    <Page
      title="Shared incidents"
      lead="Incidents that CERTs shared with your organisation, in the version the reporting organisation consented to."
    >
      <ErrorMessage error={error} />
      <div class="table-wrap">
        <table class="table shared-incident-table">
          <caption class="sr-only">Shared incidents</caption>
          <thead>
            <tr>
              <th scope="col">Reference</th>
              <th scope="col">Incident</th>
              <th scope="col">Reported by</th>
              <th scope="col">Severity</th>
              <th scope="col">Label</th>
              <th scope="col">Shared</th>
            </tr>
          </thead>
          <tbody>
            {items.map((s) => (
              <tr key={s.id}>
                <th scope="row" class="nowrap">
                  <Link href={`/shared-incidents/${s.id}`}>{s.reference}</Link>
                </th>
                <td class="case-title-cell">
                  {s.title}
                  <span class="muted small block">
                    {s.author.name}
                    {s.rsit_type && ` · ${s.rsit_type}`}
                  </span>
                </td>
                <td>
                  {s.organisation.label}
                  {s.organisation.anonymised && <span class="muted small block">anonymised</span>}
                </td>
                <td>
                  <SeverityOf severity={s.severity} />
                </td>
                <td>
                  <TlpTag label={s.tlp.label} />
                </td>
                <td class="small nowrap">{formatDateTime(s.published_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {loading && <Loading what="Loading shared incidents" />}
      {!loading && items.length === 0 && !error && <p class="muted">No incident has been shared with your organisation.</p>}
      {cursor && !loading && (
        <p>
          <button type="button" class="button" onClick={() => void fetchPage(cursor)}>
            Show more
          </button>
        </p>
      )}
    </Page>
  );
}

export function SharedIncidentPage({ id }: { id: string }) {
  const state = useAsync<SharedIncident>(() => api.get<SharedIncident>(`/shared-incidents/${encodeURIComponent(id)}`), [id]);
  if (state.error) {
    return (
      <Page title="Shared incident">
        <ErrorMessage error={state.error} />
        <p>
          <Link href="/shared-incidents">Back to the shared incidents</Link>
        </p>
      </Page>
    );
  }
  const s = state.data;
  if (!s) return <Loading what="Loading the shared incident" />;
  return (
    <Page
      title={s.title}
      lead={
        <span class="case-lead">
          <span class="ref">{s.reference}</span> <TlpTag label={s.tlp.label} /> <SeverityOf severity={s.severity} />
        </span>
      }
    >
      <nav aria-label="Breadcrumb" class="breadcrumb">
        <Link href="/shared-incidents">Shared incidents</Link> <span aria-hidden="true">›</span> <span>{s.reference}</span>
      </nav>
      <div class="grid-2 grid-wide-left grid-top">
        <section class="card" aria-labelledby="shared-text">
          <h2 id="shared-text">What happened</h2>
          <p class="pre-line">{s.text}</p>
          <h3>Observables</h3>
          {s.observables.length === 0 ? (
            <p class="muted">None were shared.</p>
          ) : (
            <table class="table">
              <caption class="sr-only">Observables</caption>
              <thead>
                <tr>
                  <th scope="col">Value</th>
                  <th scope="col">Type</th>
                  <th scope="col">Label</th>
                </tr>
              </thead>
              <tbody>
                {s.observables.map((o) => (
                  <tr key={`${o.type}-${o.value}`}>
                    <td>
                      <code>{o.value}</code>
                    </td>
                    <td>{o.type}</td>
                    <td>
                      <span class={tlpClass(o.tlp.label)}>{o.tlp.label}</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <p class="small muted">Each observable keeps its own label: pass it on no further than that label allows.</p>
        </section>
        <section class="card" aria-labelledby="shared-facts">
          <h2 id="shared-facts">About it</h2>
          <dl class="facts">
            <dt>Reported by</dt>
            <dd>
              {s.organisation.label}
              {s.organisation.anonymised && <span class="muted"> (anonymised)</span>}
            </dd>
            <dt>Sector</dt>
            <dd>{s.sector.name}</dd>
            {s.rsit_class && (
              <>
                <dt>Classification</dt>
                <dd>
                  {s.rsit_class}
                  {s.rsit_type && ` / ${s.rsit_type}`}
                </dd>
              </>
            )}
            <dt>Shared by</dt>
            <dd>{s.author.name}</dd>
            <dt>Audience</dt>
            <dd>{distributionLabel(s.distribution)}</dd>
            <dt>Shared on</dt>
            <dd>{formatDateTime(s.published_at)}</dd>
          </dl>
        </section>
      </div>
    </Page>
  );
}
