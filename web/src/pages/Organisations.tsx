import { useEffect, useRef, useState } from 'preact/hooks';
import { api, query } from '../api';
import { KindBadge, SectorLinks } from '../components/Directory';
import { SelectField, TextField } from '../components/Field';
import { Link } from '../components/Link';
import { Page } from '../components/Page';
import { ErrorMessage, Loading } from '../components/Status';
import { loadDirectory } from '../directory';
import { kindPlural, tierLabel } from '../format';
import { asApiError, useAsync } from '../hooks';
import { navigate, useLocation } from '../router';
import { ORG_KINDS, type Organisation, type Page as ListPage } from '../types';
import type { ApiError } from '../api';

const PAGE_SIZE = 25;

export function OrganisationsPage() {
  const { query: params } = useLocation();
  const sector = params.get('sector') ?? '';
  const kind = params.get('kind') ?? '';
  const q = params.get('q') ?? '';

  const dir = useAsync(loadDirectory, []);

  // The filter form edits a draft; submitting puts it in the address, which loads the list.
  const [draft, setDraft] = useState({ sector, kind, q });
  useEffect(() => setDraft({ sector, kind, q }), [sector, kind, q]);

  const [items, setItems] = useState<Organisation[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ApiError | null>(null);

  // Answers for filters that are no longer in the address are dropped.
  const generation = useRef(0);
  const fetchPage = async (after: string | null) => {
    const mine = after ? generation.current : ++generation.current;
    setLoading(true);
    setError(null);
    try {
      const page = await api.get<ListPage<Organisation>>(
        '/organisations' + query({ sector, kind, q, limit: PAGE_SIZE, cursor: after }),
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
    // fetchPage reads sector, kind and q: a change of any of them starts a new list.
  }, [sector, kind, q]);

  const apply = (e: Event) => {
    e.preventDefault();
    navigate('/organisations' + query({ sector: draft.sector, kind: draft.kind, q: draft.q.trim() }));
  };
  const filtered = !!(sector || kind || q);

  const sectorOptions = [
    { value: '', label: 'All sectors' },
    ...(dir.data?.sectors ?? []).map((s) => ({ value: s.id, label: s.name })),
  ];
  const kindOptions = [{ value: '', label: 'All kinds' }, ...ORG_KINDS.map((k) => ({ value: k, label: kindPlural(k) }))];

  return (
    <Page title="Organisations" lead="Operators, government bodies, regulators and CERTs in the national directory.">
      <form class="filters" role="search" aria-label="Filter organisations" onSubmit={apply}>
        <TextField
          label="Search"
          name="q"
          type="search"
          value={draft.q}
          onValue={(v) => setDraft({ ...draft, q: v })}
          maxLength={100}
        />
        <SelectField
          label="Sector"
          name="sector"
          value={draft.sector}
          onValue={(v) => setDraft({ ...draft, sector: v })}
          options={sectorOptions}
        />
        <SelectField
          label="Kind"
          name="kind"
          value={draft.kind}
          onValue={(v) => setDraft({ ...draft, kind: v })}
          options={kindOptions}
        />
        <div class="filter-actions">
          <button type="submit" class="button button-primary">
            Filter
          </button>
          {filtered && (
            <Link href="/organisations" class="button button-quiet">
              Clear
            </Link>
          )}
        </div>
      </form>

      <ErrorMessage error={error} />
      <div class="table-wrap">
        <table class="table">
          <caption class="sr-only">Organisations</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Kind</th>
              <th scope="col" class="hide-narrow">
                Sectors
              </th>
              <th scope="col" class="hide-narrow">
                Criticality
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((o) => (
              <tr key={o.id}>
                <th scope="row">
                  <Link href={`/organisations/${o.id}`}>{o.name}</Link>
                  {o.short_name && o.short_name !== o.name && <span class="muted"> ({o.short_name})</span>}
                </th>
                <td>
                  <KindBadge kind={o.kind} />
                </td>
                <td class="hide-narrow">{dir.data ? <SectorLinks dir={dir.data} ids={o.sector_ids} /> : null}</td>
                <td class="hide-narrow">
                  {o.kind === 'operator' || o.kind === 'government' ? tierLabel(o.criticality_tier) : '—'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {loading && <Loading />}
      {!loading && !error && !items.length && (
        <p class="muted">{filtered ? 'No organisation matches these filters.' : 'No organisations yet.'}</p>
      )}
      <p class="list-foot" role="status">
        {!loading && items.length > 0 && `Showing ${items.length} organisation${items.length === 1 ? '' : 's'}.`}
      </p>
      {cursor && !loading && (
        <button type="button" class="button" onClick={() => void fetchPage(cursor)}>
          Load more
        </button>
      )}
    </Page>
  );
}
