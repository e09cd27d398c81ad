// The management summary: one printable page of the top risks in business words (which asset,
// what could happen, which consequences, how serious, who owns it, what is being done, the trend
// since the last snapshot), with the level counts and the state of the action plan.
//
// It reads GET …/summary. Where a server does not offer that route yet (404 for the route itself),
// the page assembles the same figures from …/top, …/heatmap, …/recommendations and the assets,
// without the trend and the acceptance counts, which need the snapshots.

import { api, ApiError, listAll } from '../api';
import { Link } from '../components/Link';
import { AnalysisPage, LevelBadge, type AnalysisFrame } from '../components/RiskParts';
import { isOverdue } from '../components/RiskActionBits';
import { ErrorMessage, Loading } from '../components/Status';
import { formatDate, formatDateTime } from '../format';
import { useAsync } from '../hooks';
import {
  apiBase,
  assetTypeLabel,
  criterionLabel,
  levelLabel,
  levelsOf,
  loadPeople,
  pagePath,
  personName,
  treatmentLabel,
  type Analysis,
  type Asset,
  type HeatMap,
  type Recommendation,
  type Scenario,
  type Summary,
  type TopRisks,
} from '../risk';
import { useSession } from '../session';
import type { Session } from '../types';

export function RiskSummaryPage({ orgId, analysisId }: { orgId: string; analysisId: string }) {
  return (
    <AnalysisPage
      orgId={orgId}
      analysisId={analysisId}
      view="summary"
      title={(a) => `Management summary · ${a.name}`}
      actions={() => (
        <button type="button" class="button no-print" onClick={() => window.print()}>
          Print
        </button>
      )}
    >
      {(frame) => <SummaryView frame={frame} />}
    </AnalysisPage>
  );
}

const TOP = 10;

async function assembled(a: Analysis, session: Session): Promise<Summary> {
  const base = apiBase(a.organisation_id, a.id);
  const [top, heat, recs, people] = await Promise.all([
    api.get<TopRisks>(`${base}/top?limit=${TOP}`),
    api.get<HeatMap>(`${base}/heatmap`),
    listAll<Recommendation>(`${base}/recommendations`),
    loadPeople(a.organisation_id, session),
  ]);
  // The highest risks over all criteria, each scenario once, with the criterion it is worst on.
  const best = new Map<string, { s: Scenario; criterion: string; value: number }>();
  for (const [criterion, list] of Object.entries(top)) {
    for (const s of list ?? []) {
      const value = s.by_criterion[criterion as keyof Scenario['by_criterion']] ?? -1;
      const seen = best.get(s.id);
      if (!seen || value > seen.value) best.set(s.id, { s, criterion, value });
    }
  }
  const chosen = [...best.values()].sort((x, y) => (y.s.current.risk ?? -1) - (x.s.current.risk ?? -1)).slice(0, TOP);
  const assets = new Map<string, Asset>();
  await Promise.all(
    [...new Set(chosen.map((c) => c.s.asset.id))].map(async (id) => assets.set(id, await api.get<Asset>(`${base}/assets/${id}`))),
  );
  const now = Date.now();
  const levels = { current: {} as Record<string, number>, residual: {} as Record<string, number> };
  for (const l of heat.levels) {
    if (!l.level) continue;
    levels.current[l.level] = l.current;
    levels.residual[l.level] = l.residual;
  }
  return {
    organisation: { id: a.organisation_id, name: '' },
    analysis: { id: a.id, name: a.name, method: a.method },
    generated_at: new Date().toISOString(),
    levels,
    top: chosen.map(({ s, criterion }) => {
      const ratings = assets.get(s.asset.id)?.ratings[criterion as keyof Asset['ratings']] ?? {};
      const worst = Math.max(-1, ...Object.values(ratings));
      const mine = recs.filter((r) => r.scenario_id === s.id);
      return {
        scenario_id: s.id,
        asset: s.asset,
        threat: { id: s.threat.id, name: s.threat.name },
        consequences: worst < 0 ? [] : Object.keys(ratings).filter((k) => ratings[k] === worst),
        criterion: criterion as Summary['top'][number]['criterion'],
        current: s.current.risk,
        residual: s.residual.risk,
        level: s.current.level,
        owner: s.owner_id ? { id: s.owner_id, name: personName(people, session, s.owner_id) } : null,
        treatment: s.treatment,
        actions: {
          open: mine.filter((r) => r.status === 'open' || r.status === 'in_progress').length,
          overdue: mine.filter((r) => isOverdue(r, now)).length,
        },
        accepted: !!s.acceptance,
        acceptance_stale: !!s.acceptance?.stale,
        trend: null,
      };
    }),
    actions: {
      open: recs.filter((r) => r.status === 'open' || r.status === 'in_progress').length,
      overdue: recs.filter((r) => isOverdue(r, now)).length,
      done: recs.filter((r) => r.status === 'done').length,
    },
    // Unknown without the summary route: counted over the whole register there.
    acceptances: { current: -1, stale: -1 },
    last_snapshot: null,
  };
}

const TREND: Record<string, string> = { new: '✦ New', up: '▲ Higher', down: '▼ Lower', same: '＝ Same' };

function SummaryView({ frame }: { frame: AnalysisFrame }) {
  const { session } = useSession();
  const { analysis } = frame;
  const base = apiBase(analysis.organisation_id, analysis.id);
  const state = useAsync(async () => {
    try {
      return await api.get<Summary>(`${base}/summary?top=${TOP}`);
    } catch (e) {
      // "No such route": the server predates the summary route (a missing analysis names itself).
      if (e instanceof ApiError && e.status === 404 && e.detail === 'No such route.') return assembled(analysis, session);
      throw e;
    }
  }, [base]);
  if (state.error) return <ErrorMessage error={state.error} />;
  if (!state.data) return <Loading what="Preparing the summary" />;
  const s = state.data;
  const levels = [...levelsOf(analysis.settings)].reverse();
  const orgName = s.organisation.name || session.memberships.find((m) => m.organisation.id === analysis.organisation_id)?.organisation.name;
  return (
    <article class="risk-summary">
      <p class="risk-summary-meta">
        {orgName} · {analysis.name} · prepared {formatDateTime(s.generated_at)}
        {s.last_snapshot && ` · compared with the snapshot “${s.last_snapshot.name}” of ${formatDate(s.last_snapshot.taken_at)}`}
      </p>
      <div class="stats risk-summary-stats">
        {levels.map((l) => (
          <div class="stat" key={l}>
            <span class="stat-label">{levelLabel(l)} risks</span>
            <span class="stat-value">{s.levels.current[l] ?? 0}</span>
            <span class="small muted">{s.levels.residual[l] ?? 0} after treatment</span>
          </div>
        ))}
        <div class="stat">
          <span class="stat-label">Actions open</span>
          <span class="stat-value">{s.actions.open}</span>
          <span class={`small ${s.actions.overdue ? 'risk-stale' : 'muted'}`}>
            {s.actions.overdue} overdue · {s.actions.done} done
          </span>
        </div>
        {s.acceptances.current >= 0 && (
          <div class="stat">
            <span class="stat-label">Risks accepted</span>
            <span class="stat-value">{s.acceptances.current}</span>
            <span class={`small ${s.acceptances.stale ? 'risk-stale' : 'muted'}`}>{s.acceptances.stale} to look at again</span>
          </div>
        )}
      </div>
      <h2>The {s.top.length} most serious risks</h2>
      {s.top.length === 0 ? (
        <p class="muted empty-state">No scored risk yet.</p>
      ) : (
        <div class="table-wrap">
          <table class="table risk-summary-table">
            <caption class="sr-only">The most serious risks, in order</caption>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">What could happen</th>
                <th scope="col">What it would cost</th>
                <th scope="col">Level</th>
                <th scope="col">Owner</th>
                <th scope="col">What is being done</th>
                {s.top.some((t) => t.trend) && <th scope="col">Trend</th>}
              </tr>
            </thead>
            <tbody>
              {s.top.map((t, k) => (
                <tr key={t.scenario_id}>
                  <td class="num">{k + 1}</td>
                  <th scope="row">
                    <Link href={pagePath(analysis.organisation_id, analysis.id, `scenarios/${t.scenario_id}`)}>{t.threat.name}</Link>
                    <span class="block small muted">
                      on {t.asset.name} ({assetTypeLabel(t.asset.type).toLowerCase()})
                      {t.vulnerability && `, through ${t.vulnerability.name.toLowerCase()}`}
                    </span>
                  </th>
                  <td class="small">
                    {t.consequences.length
                      ? t.consequences.map((c) => analysis.settings.consequences.find((x) => x.key === c)?.name ?? c).join(', ')
                      : '—'}
                    <span class="block muted">loss of {criterionLabel(t.criterion).toLowerCase()}</span>
                  </td>
                  <td>
                    <LevelBadge settings={analysis.settings} level={t.level} />
                    {t.residual_level && t.residual_level !== t.level && (
                      <span class="block small muted">{levelLabel(t.residual_level)} once treated</span>
                    )}
                  </td>
                  <td class="small">{t.owner?.name ?? <span class="risk-stale">No owner</span>}</td>
                  <td class="small">
                    {treatmentLabel(t.treatment ?? 'none')}
                    {t.accepted && <span class="block">{t.acceptance_stale ? <span class="risk-stale">Acceptance to review</span> : 'Accepted by management'}</span>}
                    {(t.actions.open > 0 || t.actions.overdue > 0) && (
                      <span class="block">
                        {t.actions.open} action{t.actions.open === 1 ? '' : 's'} open
                        {t.actions.overdue > 0 && <span class="risk-stale">, {t.actions.overdue} overdue</span>}
                      </span>
                    )}
                  </td>
                  {s.top.some((x) => x.trend) && <td class="small nowrap">{t.trend ? TREND[t.trend] : '—'}</td>}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </article>
  );
}
