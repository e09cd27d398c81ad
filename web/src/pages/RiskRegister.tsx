// The scenario register of one analysis: highest risk first, filtered by level, asset, threat,
// owner and treatment through the API's own filters, one page of the API's cursor at a time (an
// analysis may hold 50,000 scenarios: nothing here ever loads them all).

import { useEffect, useRef, useState } from 'preact/hooks';
import { api, query, type ApiError } from '../api';
import { SelectField, TextField } from '../components/Field';
import { Link } from '../components/Link';
import { AnalysisPage, LevelBadge, type AnalysisFrame } from '../components/RiskParts';
import { ErrorMessage, Loading } from '../components/Status';
import { plural } from '../format';
import { asApiError, useAsync } from '../hooks';
import {
  apiBase,
  levelLabel,
  levelsOf,
  loadPeople,
  pagePath,
  personName,
  personOptions,
  TREATMENTS,
  treatmentLabel,
  type Asset,
  type Scenario,
  type Settings,
  type Threat,
} from '../risk';
import { navigate, useLocation } from '../router';
import { useSession } from '../session';
import type { Page as ListPage } from '../types';

const PAGE_SIZE = 50;

interface Filters {
  basis: string;
  level: string;
  asset: string;
  threat: string;
  owner: string;
  owner_name: string;
  impact: string;
  likelihood: string;
  treatment: string;
  sort: string;
}

const FILTER_KEYS: (keyof Filters)[] = ['basis', 'level', 'asset', 'threat', 'owner', 'owner_name', 'impact', 'likelihood', 'treatment', 'sort'];

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let v = from; v <= to; v++) out.push(v);
  return out;
}

// The values the heat map's likelihood axis can take: threat × vulnerability for the MONARC-style
// method, the probability scale otherwise.
function likelihoodValues(s: Settings): number[] {
  if (s.method !== 'itv') return range(s.probability.min, s.probability.max);
  const seen = new Set<number>();
  for (const t of range(s.likelihood.min, s.likelihood.max)) for (const v of range(s.vulnerability.min, s.vulnerability.max)) seen.add(t * v);
  return [...seen].sort((a, b) => a - b);
}

function filtersOf(params: URLSearchParams): Filters {
  const f = {} as Filters;
  for (const k of FILTER_KEYS) f[k] = params.get(k) ?? '';
  return f;
}

export function RiskRegisterPage({ orgId, analysisId }: { orgId: string; analysisId: string }) {
  return (
    <AnalysisPage
      orgId={orgId}
      analysisId={analysisId}
      view=""
      title={(a) => `Risk register · ${a.name}`}
      lead={(a) => `${plural(a.counts.scenarios, 'scenario')} on ${plural(a.counts.assets, 'asset')}, highest risk first.`}
      actions={(f) =>
        f.mayWrite && (
          <Link href={pagePath(orgId, analysisId, 'scenarios/new')} class="button button-primary">
            New scenario
          </Link>
        )
      }
    >
      {(frame) => <Register frame={frame} />}
    </AnalysisPage>
  );
}

function Register({ frame }: { frame: AnalysisFrame }) {
  const { session } = useSession();
  const { analysis } = frame;
  const base = apiBase(analysis.organisation_id, analysis.id);
  const here = pagePath(analysis.organisation_id, analysis.id);
  const { query: params } = useLocation();
  const filters = filtersOf(params);
  const key = JSON.stringify(filters);
  const [draft, setDraft] = useState(filters);
  useEffect(() => setDraft(filters), [key]);
  // The heat map's cell the person came from, if any: its rows are marked.
  const cellRisk = params.get('cell_risk');

  const threats = useAsync(() => api.get<ListPage<Threat>>(`${base}/threats`).then((p) => p.items), [base]);
  const people = useAsync(() => loadPeople(analysis.organisation_id, session), [analysis.organisation_id]);
  const asset = useAsync(
    () => (filters.asset ? api.get<Asset>(`${base}/assets/${filters.asset}`) : Promise.resolve(null)),
    [base, filters.asset],
  );

  const go = (f: Filters) => {
    const q: Record<string, string> = {};
    for (const k of FILTER_KEYS) if (f[k]) q[k] = f[k];
    navigate(here + query(q));
  };
  const apply = (e: Event) => {
    e.preventDefault();
    go(draft);
  };
  const filtered = FILTER_KEYS.some((k) => k !== 'sort' && k !== 'basis' && filters[k]);

  return (
    <>
      <form class="filters risk-filters" role="search" aria-label="Filter the register" onSubmit={apply}>
        <SelectField
          label="Risk shown"
          name="basis"
          value={draft.basis}
          onValue={(v) => setDraft({ ...draft, basis: v })}
          options={[
            { value: '', label: 'Current risk' },
            { value: 'residual', label: 'Residual risk' },
          ]}
        />
        <SelectField
          label="Level"
          name="level"
          value={draft.level}
          onValue={(v) => setDraft({ ...draft, level: v })}
          options={[
            { value: '', label: 'Any level' },
            ...[...levelsOf(analysis.settings)].reverse().map((l) => ({ value: l, label: levelLabel(l) })),
          ]}
        />
        <SelectField
          label="Threat"
          name="threat"
          value={draft.threat}
          onValue={(v) => setDraft({ ...draft, threat: v })}
          options={[
            { value: '', label: 'Any threat' },
            ...(threats.data ?? [])
              .slice()
              .sort((a, b) => a.name.localeCompare(b.name))
              .map((t) => ({ value: t.id, label: t.name })),
          ]}
        />
        <SelectField
          label="Owner"
          name="owner"
          value={draft.owner}
          onValue={(v) => setDraft({ ...draft, owner: v })}
          options={personOptions(people.data ?? null, session, draft.owner || null, 'Anyone')}
        />
        <TextField label="Owner's name" name="owner_name" value={draft.owner_name} maxLength={200} onValue={(v) => setDraft({ ...draft, owner_name: v })} />
        <SelectField
          label="Impact"
          name="impact"
          value={draft.impact}
          onValue={(v) => setDraft({ ...draft, impact: v })}
          options={[{ value: '', label: 'Any impact' }, ...range(analysis.settings.impact.min, analysis.settings.impact.max).map((v) => ({ value: String(v), label: String(v) }))]}
        />
        <SelectField
          label="Likelihood"
          name="likelihood"
          value={draft.likelihood}
          onValue={(v) => setDraft({ ...draft, likelihood: v })}
          options={[{ value: '', label: 'Any likelihood' }, ...likelihoodValues(analysis.settings).map((v) => ({ value: String(v), label: String(v) }))]}
        />
        <SelectField
          label="Treatment"
          name="treatment"
          value={draft.treatment}
          onValue={(v) => setDraft({ ...draft, treatment: v })}
          options={[{ value: '', label: 'Any treatment' }, ...TREATMENTS.map((t) => ({ value: t, label: treatmentLabel(t) }))]}
        />
        <SelectField
          label="Order"
          name="sort"
          value={draft.sort}
          onValue={(v) => setDraft({ ...draft, sort: v })}
          options={[
            { value: '', label: 'Highest risk first' },
            { value: 'risk', label: 'Lowest risk first' },
          ]}
        />
        <div class="filter-actions">
          <button type="submit" class="button button-primary">
            Filter
          </button>
          {(filtered || filters.basis || filters.sort) && (
            <Link href={here} class="button button-quiet">
              Clear
            </Link>
          )}
        </div>
      </form>
      {filters.asset && (
        <p class="risk-chip-row">
          <span class="risk-chip">
            Asset: <strong>{asset.data?.name ?? '…'}</strong>
            <button type="button" class="button button-quiet button-small" onClick={() => go({ ...filters, asset: '' })}>
              Remove<span class="sr-only"> the asset filter</span>
            </button>
          </span>
        </p>
      )}
      {cellRisk && (
        <p class="notice risk-cell-note">
          From the heat map: the register shows every{' '}
          {filters.level ? <strong>{levelLabel(filters.level)}</strong> : ''} scenario
          {filters.basis === 'residual' ? ' by residual risk' : ''}; those of the cell you chose (risk {cellRisk}) are
          marked “in cell”.
        </p>
      )}
      <RegisterTable frame={frame} filters={filters} filtered={filtered} cellRisk={cellRisk} people={people.data ?? null} onAsset={(id) => go({ ...filters, asset: id })} />
    </>
  );
}

function RegisterTable({
  frame,
  filters,
  filtered,
  cellRisk,
  people,
  onAsset,
}: {
  frame: AnalysisFrame;
  filters: Filters;
  filtered: boolean;
  cellRisk: string | null;
  people: Awaited<ReturnType<typeof loadPeople>>;
  onAsset: (id: string) => void;
}) {
  const { session } = useSession();
  const { analysis } = frame;
  const base = apiBase(analysis.organisation_id, analysis.id);
  const [items, setItems] = useState<Scenario[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ApiError | null>(null);
  const key = JSON.stringify(filters);
  const generation = useRef(0);
  const residual = filters.basis === 'residual';

  const fetchPage = async (after: string | null) => {
    const mine = after ? generation.current : ++generation.current;
    setLoading(true);
    setError(null);
    try {
      const page = await api.get<ListPage<Scenario>>(
        `${base}/scenarios` + query({ ...filters, limit: PAGE_SIZE, cursor: after }),
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
  }, [key, base]);

  return (
    <>
      <ErrorMessage error={error} />
      {items.length > 0 && (
        <div class="table-wrap">
          <table class="table risk-register">
            <caption class="sr-only">Risk scenarios, {residual ? 'by residual risk' : 'by current risk'}</caption>
            <thead>
              <tr>
                <th scope="col">Scenario</th>
                <th scope="col">Asset</th>
                <th scope="col">Current</th>
                <th scope="col">Residual</th>
                <th scope="col">Treatment</th>
                <th scope="col">Owner</th>
              </tr>
            </thead>
            <tbody>
              {items.map((s) => {
                const shown = residual ? s.residual : s.current;
                const inCell = cellRisk !== null && String(shown.risk) === cellRisk;
                return (
                  <tr key={s.id} class={inCell ? 'row-highlight' : undefined}>
                    <th scope="row" class="risk-scenario-cell">
                      <Link href={pagePath(analysis.organisation_id, analysis.id, `scenarios/${s.id}`)}>{s.threat.name}</Link>
                      <span class="muted small block">through {s.vulnerability.name}</span>
                      {inCell && <span class="badge badge-on">In cell</span>}
                    </th>
                    <td>
                      <button type="button" class="link-button" title="Show only this asset's scenarios" onClick={() => onAsset(s.asset.id)}>
                        {s.asset.name}
                      </button>
                    </td>
                    <td>
                      <LevelBadge settings={analysis.settings} level={s.current.level} risk={s.current.risk} />
                    </td>
                    <td>
                      <LevelBadge settings={analysis.settings} level={s.residual.level} risk={s.residual.risk} />
                    </td>
                    <td>
                      {treatmentLabel(s.treatment)}
                      {s.acceptance && (
                        <span class={`block small ${s.acceptance.stale ? 'risk-stale' : 'muted'}`}>
                          {s.acceptance.stale ? 'Acceptance stale' : 'Accepted'}
                        </span>
                      )}
                    </td>
                    <td class="small">{personName(people, session, s.owner_id)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {loading && <Loading what="Loading scenarios" />}
      {!loading && !error && !items.length && (
        <p class="muted empty-state">
          {filtered
            ? 'No scenario matches these filters.'
            : 'No scenario yet. Add assets, then suggest scenarios for them from the catalogue.'}
        </p>
      )}
      <p class="list-foot" role="status">
        {!loading && items.length > 0 && `Showing ${plural(items.length, 'scenario')}${cursor ? ' (more below)' : ''}.`}
      </p>
      {cursor && !loading && (
        <button type="button" class="button" onClick={() => void fetchPage(cursor)}>
          Load {PAGE_SIZE} more
        </button>
      )}
    </>
  );
}
