// Pieces every risk page shares: the level badge (text and colour, never colour alone), the
// analysis's own navigation, and the frame that loads the analysis once for a page.

import type { ComponentChildren } from 'preact';
import { api } from '../api';
import { useAsync } from '../hooks';
import {
  apiBase,
  levelClass,
  levelLabel,
  mayAcceptRisk,
  mayWriteRisk,
  pagePath,
  type Analysis,
  type Settings,
} from '../risk';
import { useSession } from '../session';
import { Link } from './Link';
import { Page } from './Page';
import { ErrorMessage, Loading } from './Status';

export function LevelBadge({
  settings,
  level,
  risk,
}: {
  settings: Settings;
  level: string | null;
  risk?: number | null;
}) {
  return (
    <span class={`badge risk-level ${levelClass(settings, level)}`}>
      {levelLabel(level)}
      {risk !== undefined && risk !== null && <span class="risk-value"> · {risk}</span>}
    </span>
  );
}

const VIEWS: { view: string; label: string }[] = [
  { view: '', label: 'Register' },
  { view: 'assets', label: 'Assets' },
  { view: 'heatmap', label: 'Heat map' },
  { view: 'actions', label: 'Action plan' },
  { view: 'summary', label: 'Summary' },
];

export function AnalysisNav({ analysis, current }: { analysis: Analysis; current: string }) {
  return (
    <nav class="risk-tabs no-print" aria-label="Risk analysis">
      <ul>
        {VIEWS.map((v) => (
          <li key={v.view}>
            <Link
              href={pagePath(analysis.organisation_id, analysis.id, v.view)}
              aria-current={v.view === current ? 'page' : undefined}
            >
              {v.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export interface AnalysisFrame {
  analysis: Analysis;
  mayWrite: boolean;
  mayAccept: boolean;
  reload: () => void;
}

/**
 * Loads the analysis named by the path and renders a page about it: its title, its navigation,
 * and the content given the analysis and what the caller may do.
 */
export function AnalysisPage({
  orgId,
  analysisId,
  view,
  title,
  lead,
  actions,
  children,
}: {
  orgId: string;
  analysisId: string;
  view: string;
  title: (a: Analysis) => string;
  lead?: (a: Analysis) => ComponentChildren;
  actions?: (f: AnalysisFrame) => ComponentChildren;
  children: (f: AnalysisFrame) => ComponentChildren;
}) {
  const { session } = useSession();
  const state = useAsync(() => api.get<Analysis>(apiBase(orgId, analysisId)), [orgId, analysisId]);
  if (state.error) {
    return (
      <Page title="Risk analysis">
        <ErrorMessage error={state.error} />
        <p>
          <Link href="/risk">Back to the risk analyses</Link>
        </p>
      </Page>
    );
  }
  const a = state.data;
  if (!a) {
    return (
      <Page title="Risk analysis">
        <Loading />
      </Page>
    );
  }
  const frame: AnalysisFrame = {
    analysis: a,
    mayWrite: mayWriteRisk(session, orgId),
    mayAccept: mayAcceptRisk(session, orgId),
    reload: state.reload,
  };
  return (
    <Page title={title(a)} lead={lead?.(a)} actions={actions?.(frame)}>
      <p class="risk-crumbs no-print">
        <Link href={`/risk?org=${orgId}`}>Risk analyses</Link> › {a.name}
        {a.current && <span class="badge badge-on">Current</span>}
      </p>
      <AnalysisNav analysis={a} current={view} />
      {children(frame)}
    </Page>
  );
}
