// The assets of an analysis, two ways: the dependency tree (each primary asset, and the supporting
// assets it depends on, opened on demand), and the classification view (assets by criticality
// class, from the API's counts, with the class's assets a page at a time).

import { useEffect, useRef, useState } from 'preact/hooks';
import { api, query, type ApiError } from '../api';
import { Link } from '../components/Link';
import { AnalysisPage, type AnalysisFrame } from '../components/RiskParts';
import { CriticalityBadge } from '../components/RiskAssetBits';
import { ErrorMessage, Loading } from '../components/Status';
import { plural } from '../format';
import { asApiError, useAsync } from '../hooks';
import { apiBase, assetTypeLabel, pagePath, type Analysis, type Asset, type Classification } from '../risk';
import { navigate, useLocation } from '../router';
import type { Page as ListPage } from '../types';

export function RiskAssetsPage({ orgId, analysisId }: { orgId: string; analysisId: string }) {
  return (
    <AnalysisPage
      orgId={orgId}
      analysisId={analysisId}
      view="assets"
      title={(a) => `Assets · ${a.name}`}
      lead={() =>
        'Primary assets (business processes, information) are rated; the supporting assets they depend on inherit their criticality.'
      }
      actions={(f) =>
        f.mayWrite && (
          <Link href={pagePath(orgId, analysisId, 'assets/new')} class="button button-primary">
            New asset
          </Link>
        )
      }
    >
      {(frame) => <Assets frame={frame} />}
    </AnalysisPage>
  );
}

function Assets({ frame }: { frame: AnalysisFrame }) {
  const { analysis } = frame;
  const { query: params } = useLocation();
  const view = params.get('view') === 'classes' ? 'classes' : 'tree';
  const here = pagePath(analysis.organisation_id, analysis.id, 'assets');
  return (
    <>
      <div class="segmented" role="group" aria-label="Show the assets">
        <button type="button" class="button button-small" aria-pressed={view === 'tree' ? 'true' : 'false'} onClick={() => navigate(here)}>
          Dependency tree
        </button>
        <button
          type="button"
          class="button button-small"
          aria-pressed={view === 'classes' ? 'true' : 'false'}
          onClick={() => navigate(`${here}?view=classes`)}
        >
          By criticality
        </button>
      </div>
      {view === 'tree' ? <Tree analysis={analysis} /> : <Classes analysis={analysis} />}
    </>
  );
}

// ---- the tree ----

/** One page of a list of assets with "load more"; refetched when `params` change. */
function usePagedAssets(analysis: Analysis, params: Record<string, string>) {
  const base = apiBase(analysis.organisation_id, analysis.id);
  const [items, setItems] = useState<Asset[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ApiError | null>(null);
  const generation = useRef(0);
  const key = JSON.stringify(params);
  const more = async (after: string | null) => {
    const mine = after ? generation.current : ++generation.current;
    setLoading(true);
    setError(null);
    try {
      const page = await api.get<ListPage<Asset>>(`${base}/assets` + query({ ...params, limit: 100, cursor: after }));
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
    void more(null);
  }, [key, base]);
  return { items, cursor, loading, error, more };
}

function Tree({ analysis }: { analysis: Analysis }) {
  const processes = usePagedAssets(analysis, { type: 'business_process', sort: 'criticality' });
  const information = usePagedAssets(analysis, { type: 'information', sort: 'criticality' });
  const done = !processes.loading && !information.loading;
  const empty = done && !processes.items.length && !information.items.length;
  return (
    <section aria-labelledby="tree-h">
      <h2 id="tree-h" class="sr-only">
        Dependency tree
      </h2>
      <ErrorMessage error={processes.error ?? information.error} />
      {empty && (
        <p class="muted empty-state">
          No primary asset yet. Start with the business processes and the information the organisation exists for,
          then the hardware, software, networks, people and sites they rely on.
        </p>
      )}
      {[
        { title: 'Business processes', list: processes },
        { title: 'Information', list: information },
      ].map(
        ({ title, list }) =>
          list.items.length > 0 && (
            <div class="card risk-tree-card" key={title}>
              <h3>{title}</h3>
              <ul class="risk-tree" role="tree" aria-label={title}>
                {list.items.map((a) => (
                  <TreeNode key={a.id} analysis={analysis} asset={a} depth={1} />
                ))}
              </ul>
              {list.cursor && !list.loading && (
                <button type="button" class="button button-small" onClick={() => void list.more(list.cursor)}>
                  Show more
                </button>
              )}
            </div>
          ),
      )}
      {!done && <Loading what="Loading assets" />}
    </section>
  );
}

function TreeNode({ analysis, asset, depth }: { analysis: Analysis; asset: Asset; depth: number }) {
  const [open, setOpen] = useState(false);
  const base = apiBase(analysis.organisation_id, analysis.id);
  const children = useAsync(
    () =>
      open && asset.depends_on.length
        ? Promise.all(asset.depends_on.map((id) => api.get<Asset>(`${base}/assets/${id}`)))
        : Promise.resolve(null),
    [open, asset.id],
  );
  const has = asset.depends_on.length > 0;
  return (
    <li role="treeitem" aria-expanded={has ? (open ? 'true' : 'false') : undefined} aria-level={depth}>
      <div class="risk-tree-row">
        {has ? (
          <button
            type="button"
            class="risk-tree-toggle"
            aria-label={`${open ? 'Hide' : 'Show'} what ${asset.name} depends on`}
            onClick={() => setOpen(!open)}
          >
            <span aria-hidden="true">{open ? '▾' : '▸'}</span>
          </button>
        ) : (
          <span class="risk-tree-toggle" aria-hidden="true" />
        )}
        <Link href={pagePath(analysis.organisation_id, analysis.id, `assets/${asset.id}`)}>{asset.name}</Link>
        <span class="muted small">{assetTypeLabel(asset.type)}</span>
        <CriticalityBadge settings={analysis.settings} asset={asset} />
        {has && <span class="muted small">{plural(asset.depends_on.length, 'dependency', 'dependencies')}</span>}
      </div>
      {open && (
        <ul role="group">
          {children.error && (
            <li>
              <ErrorMessage error={children.error} />
            </li>
          )}
          {!children.data && !children.error && (
            <li>
              <Loading />
            </li>
          )}
          {children.data?.map((c) => (
            <TreeNode key={c.id} analysis={analysis} asset={c} depth={depth + 1} />
          ))}
        </ul>
      )}
    </li>
  );
}

// ---- the classification view ----

function Classes({ analysis }: { analysis: Analysis }) {
  const base = apiBase(analysis.organisation_id, analysis.id);
  const { query: params } = useLocation();
  const chosen = params.get('criticality') ?? '';
  const here = pagePath(analysis.organisation_id, analysis.id, 'assets');
  const classes = useAsync(() => api.get<Classification>(`${base}/classification`), [base]);
  return (
    <section aria-labelledby="classes-h">
      <h2 id="classes-h">Classification by criticality</h2>
      <ErrorMessage error={classes.error} />
      {!classes.data && !classes.error && <Loading />}
      {classes.data && (
        <div class="table-wrap">
          <table class="table risk-classes">
            <caption class="sr-only">Assets per criticality class and type</caption>
            <thead>
              <tr>
                <th scope="col">Criticality</th>
                <th scope="col" class="num">
                  Assets
                </th>
                <th scope="col">By type</th>
                <th scope="col">
                  <span class="sr-only">List</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {classes.data.classes.map((c) => {
                const value = c.criticality === null ? 'none' : String(c.criticality);
                return (
                  <tr key={value} class={chosen === value ? 'row-highlight' : undefined}>
                    <th scope="row">
                      {c.criticality === null ? (
                        <span class="badge risk-level risk-level-none">Not rated</span>
                      ) : (
                        <CriticalityBadge settings={analysis.settings} value={c.criticality} label={c.label} />
                      )}
                    </th>
                    <td class="num">{c.count}</td>
                    <td class="small">
                      {Object.entries(c.by_type)
                        .map(([t, n]) => `${assetTypeLabel(t)} ${n}`)
                        .join(' · ') || '—'}
                    </td>
                    <td class="nowrap">
                      {c.count > 0 && c.criticality !== null && (
                        <Link href={`${here}?view=classes&criticality=${value}`}>List them</Link>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {chosen && chosen !== 'none' && <ClassList analysis={analysis} criticality={chosen} />}
    </section>
  );
}

function ClassList({ analysis, criticality }: { analysis: Analysis; criticality: string }) {
  const list = usePagedAssets(analysis, { criticality, sort: 'name' });
  return (
    <div class="card">
      <h3>Assets of criticality {criticality}</h3>
      <ErrorMessage error={list.error} />
      <ul class="risk-class-list">
        {list.items.map((a) => (
          <li key={a.id}>
            <Link href={pagePath(analysis.organisation_id, analysis.id, `assets/${a.id}`)}>{a.name}</Link>{' '}
            <span class="muted small">{assetTypeLabel(a.type)}</span>{' '}
            <CriticalityBadge settings={analysis.settings} asset={a} />
          </li>
        ))}
      </ul>
      {list.loading && <Loading />}
      {list.cursor && !list.loading && (
        <button type="button" class="button button-small" onClick={() => void list.more(list.cursor)}>
          Show more
        </button>
      )}
    </div>
  );
}
