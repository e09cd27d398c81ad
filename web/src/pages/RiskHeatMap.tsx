// The heat map of an analysis, current and residual, as a table grid: impact down, likelihood
// across, the count of scenarios in each cell, the cell's level in words and colour. A cell opens
// the register at that level, with the cell's scenarios marked. Beside it, the top risks per
// criterion.

import { api, query } from '../api';
import { Link } from '../components/Link';
import { AnalysisPage, LevelBadge, type AnalysisFrame } from '../components/RiskParts';
import { ErrorMessage, Loading } from '../components/Status';
import { useAsync } from '../hooks';
import {
  apiBase,
  criterionLabel,
  levelClass,
  levelLabel,
  levelsOf,
  pagePath,
  scaleLabel,
  type Analysis,
  type Criterion,
  type HeatMap,
  type TopRisks,
} from '../risk';

export function RiskHeatMapPage({ orgId, analysisId }: { orgId: string; analysisId: string }) {
  return (
    <AnalysisPage
      orgId={orgId}
      analysisId={analysisId}
      view="heatmap"
      title={(a) => `Heat map · ${a.name}`}
      lead={() => 'How many scenarios sit at each impact and likelihood, before and after treatment. Choose a cell to see its scenarios.'}
    >
      {(frame) => <HeatMapView frame={frame} />}
    </AnalysisPage>
  );
}

/** The likelihood values a cell can take: T × V for itv, the probability scale otherwise. */
function likelihoodValues(a: Analysis, seen: number[]): number[] {
  const s = a.settings;
  const values = new Set<number>(seen);
  if (a.method === 'itv') {
    for (let t = s.likelihood.min; t <= s.likelihood.max; t++) {
      for (let v = s.vulnerability.min; v <= s.vulnerability.max; v++) values.add(t * v);
    }
  } else {
    for (let p = s.probability.min; p <= s.probability.max; p++) values.add(p);
  }
  return [...values].sort((x, y) => x - y);
}

/** The level of a cell, as the scoring method decides it. */
function cellLevel(a: Analysis, impact: number, likelihood: number): string {
  const s = a.settings;
  if (a.method === 'matrix') {
    const idx = s.matrix.cells[likelihood - s.probability.min]?.[impact - s.impact.min];
    return idx === undefined ? '' : (s.matrix.levels[idx] ?? '');
  }
  const risk = impact * likelihood;
  if (risk <= s.thresholds.low_max) return 'low';
  return risk <= s.thresholds.medium_max ? 'medium' : 'high';
}

function HeatMapView({ frame }: { frame: AnalysisFrame }) {
  const { analysis } = frame;
  const base = apiBase(analysis.organisation_id, analysis.id);
  const heat = useAsync(() => api.get<HeatMap>(`${base}/heatmap`), [base]);
  const top = useAsync(() => api.get<TopRisks>(`${base}/top?limit=5`), [base]);
  return (
    <>
      <ErrorMessage error={heat.error} />
      {!heat.data && !heat.error && <Loading />}
      {heat.data && (
        <>
          <Legend analysis={analysis} />
          <div class="grid-2 risk-heat-pair">
            <Grid analysis={analysis} heat={heat.data} basis="current" />
            <Grid analysis={analysis} heat={heat.data} basis="residual" />
          </div>
        </>
      )}
      <h2>Top risks per criterion</h2>
      <ErrorMessage error={top.error} />
      {!top.data && !top.error && <Loading />}
      {top.data && <Top analysis={analysis} top={top.data} />}
    </>
  );
}

function Legend({ analysis }: { analysis: Analysis }) {
  return (
    <p class="risk-legend">
      <span class="muted small">Levels: </span>
      {levelsOf(analysis.settings).map((l) => (
        <span key={l} class={`badge risk-level ${levelClass(analysis.settings, l)}`}>
          {levelLabel(l)}
        </span>
      ))}
    </p>
  );
}

function Grid({ analysis, heat, basis }: { analysis: Analysis; heat: HeatMap; basis: 'current' | 'residual' }) {
  const s = analysis.settings;
  const cols = likelihoodValues(analysis, heat.cells.map((c) => c.likelihood));
  const rows: number[] = [];
  for (let i = s.impact.max; i >= s.impact.min; i--) rows.push(i);
  const count = new Map<string, number>();
  let total = 0;
  for (const c of heat.cells) {
    count.set(`${c.impact}:${c.likelihood}`, c[basis]);
    total += c[basis];
  }
  const title = basis === 'current' ? 'Current risk' : 'Residual risk';
  return (
    <section class="card risk-heat" aria-labelledby={`heat-${basis}`}>
      <h2 id={`heat-${basis}`}>
        {title} <span class="muted small">({total} scored)</span>
      </h2>
      <p class="muted small">Likelihood: {heat.likelihood_axis}.</p>
      <div class="table-wrap">
        <table class="risk-heat-grid">
          <caption class="sr-only">
            {title}: scenarios per impact (rows) and {heat.likelihood_axis} (columns)
          </caption>
          <thead>
            <tr>
              <th scope="col" class="risk-heat-corner">
                Impact ↓ Likelihood →
              </th>
              {cols.map((l) => (
                <th scope="col" key={l}>
                  {l}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((i) => (
              <tr key={i}>
                <th scope="row">{scaleLabel(s.impact, i)}</th>
                {cols.map((l) => {
                  const n = count.get(`${i}:${l}`) ?? 0;
                  const level = cellLevel(analysis, i, l);
                  const label = `${n} scenario${n === 1 ? '' : 's'}, impact ${i}, likelihood ${l}, ${levelLabel(level || null)}`;
                  const href =
                    pagePath(analysis.organisation_id, analysis.id) +
                    query({ basis: basis === 'residual' ? 'residual' : '', level, cell_risk: i * l });
                  return (
                    <td key={l} class={`${levelClass(s, level || null)}${n ? '' : ' risk-heat-empty'}`} title={label}>
                      {n > 0 ? (
                        <Link href={href} aria-label={label}>
                          {n}
                        </Link>
                      ) : (
                        <span aria-label={label}>·</span>
                      )}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function Top({ analysis, top }: { analysis: Analysis; top: TopRisks }) {
  const criteria = Object.keys(top) as Criterion[];
  return (
    <div class="risk-top-grid">
      {criteria.map((c) => {
        const list = top[c] ?? [];
        return (
          <section class="card" key={c} aria-labelledby={`top-${c}`}>
            <h3 id={`top-${c}`}>{criterionLabel(c)}</h3>
            {list.length ? (
              <ol class="risk-top-list">
                {list.map((s) => (
                  <li key={s.id}>
                    <Link href={pagePath(analysis.organisation_id, analysis.id, `scenarios/${s.id}`)}>{s.threat.name}</Link>
                    <span class="muted small block">on {s.asset.name}</span>
                    <LevelBadge settings={analysis.settings} level={s.current.level} risk={s.current.risk} />
                    <span class="muted small"> {criterionLabel(c).toLowerCase()} {s.by_criterion[c] ?? '—'}</span>
                  </li>
                ))}
              </ol>
            ) : (
              <p class="muted small">No scored scenario bears on {c}.</p>
            )}
          </section>
        );
      })}
    </div>
  );
}
