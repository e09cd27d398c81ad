// Reporting compliance: how well the cases the person's organisations hold kept their legal
// clocks over a period, in all, per sector and per organisation.

import { useEffect, useState } from 'preact/hooks';
import { api, query } from '../api';
import { TextField } from '../components/Field';
import { Link } from '../components/Link';
import { Page } from '../components/Page';
import { ErrorMessage, LoadState } from '../components/Status';
import { formatDate, plural } from '../format';
import { useAsync } from '../hooks';
import type { Compliance, ComplianceFigures } from '../incidents';
import { navigate, useLocation } from '../router';

const DAY = 86_400_000;
const BASE = '/incidents/compliance';

type Period = '30d' | '90d' | '12m' | 'custom';

const PERIODS: { value: Period; label: string; days: number }[] = [
  { value: '30d', label: 'Last 30 days', days: 30 },
  { value: '90d', label: 'Last 90 days', days: 90 },
  { value: '12m', label: 'Last 12 months', days: 365 },
  { value: 'custom', label: 'Custom dates', days: 0 },
];

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function periodOf(v: string | null): Period {
  return PERIODS.some((p) => p.value === v) ? (v as Period) : '12m';
}

/** A yyyy-mm-dd date as the RFC 3339 time its day starts at (UTC), or after it ends. */
function dayStart(date: string): string {
  return `${date}T00:00:00Z`;
}
function dayEnd(date: string): string {
  return new Date(Date.parse(dayStart(date)) + DAY).toISOString();
}

/** The API's query for a period: a preset counts back from now; custom dates are whole UTC days. */
function periodParams(period: Period, from: string, to: string): Record<string, string> {
  if (period === 'custom') {
    return { from: DATE.test(from) ? dayStart(from) : '', to: DATE.test(to) ? dayEnd(to) : '' };
  }
  const days = PERIODS.find((p) => p.value === period)!.days;
  return { from: new Date(Date.now() - days * DAY).toISOString() };
}

function percent(share: number | null): string {
  return share === null ? '—' : `${Math.round(share * 100)}%`;
}

function number(v: number): string {
  return v < 10 ? v.toFixed(1).replace(/\.0$/, '') : String(Math.round(v));
}

function hours(v: number | null): string {
  return v === null ? '—' : `${number(v)} h`;
}

function days(v: number | null): string {
  return v === null ? '—' : v === 1 ? '1 day' : `${number(v)} days`;
}

export function CompliancePage() {
  const { query: params } = useLocation();
  const period = periodOf(params.get('period'));
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  const [draft, setDraft] = useState({ from, to });
  useEffect(() => setDraft({ from, to }), [from, to]);
  const [draftError, setDraftError] = useState<string | null>(null);

  const badRange = period === 'custom' && DATE.test(from) && DATE.test(to) && from > to;
  const figures = useAsync(async () => {
    if (badRange) return undefined;
    return api.get<Compliance>('/incidents/compliance' + query(periodParams(period, from, to)));
  }, [period, from, to]);

  const applyCustom = (e: Event) => {
    e.preventDefault();
    if (draft.from && draft.to && draft.from > draft.to) {
      setDraftError('The first day must not be after the last.');
      return;
    }
    setDraftError(null);
    navigate(BASE + query({ period: 'custom', from: draft.from, to: draft.to }));
  };

  return (
    <Page
      title="Reporting compliance"
      lead="Stages filed by their legal deadline, over the cases your organisation holds. Cases the national CERT holds anonymised count for their sector only."
    >
      <nav class="view-switch period-switch" aria-label="Period">
        {PERIODS.map((p) => (
          <Link
            key={p.value}
            href={BASE + query({ period: p.value === '12m' ? '' : p.value, from: p.value === 'custom' ? from : '', to: p.value === 'custom' ? to : '' })}
            aria-current={p.value === period ? 'page' : undefined}
          >
            {p.label}
          </Link>
        ))}
      </nav>

      {period === 'custom' && (
        <form class="filters period-form" aria-label="Custom period" onSubmit={applyCustom}>
          <TextField
            label="From"
            name="from"
            type="date"
            value={draft.from}
            onValue={(v) => setDraft({ ...draft, from: v })}
            hint="First day (UTC)"
          />
          <TextField
            label="To"
            name="to"
            type="date"
            value={draft.to}
            onValue={(v) => setDraft({ ...draft, to: v })}
            hint="Last day (UTC), included"
          />
          <div class="filter-actions">
            <button type="submit" class="button button-primary">
              Show
            </button>
          </div>
        </form>
      )}
      <ErrorMessage>{draftError ?? (badRange ? 'The first day must not be after the last.' : null)}</ErrorMessage>

      {!badRange && (
        <LoadState state={figures}>
          {(c) => (c ? <Figures c={c} stale={figures.loading} /> : null)}
        </LoadState>
      )}
    </Page>
  );
}

function Figures({ c, stale }: { c: Compliance; stale: boolean }) {
  const t = c.total;
  const lastDay = new Date(Date.parse(c.to) - 1).toISOString();
  return (
    <div class={stale ? 'compliance stale' : 'compliance'} aria-busy={stale ? 'true' : undefined}>
      <p class="period-line" role="status">
        {plural(t.incidents, 'case')} whose incident became known between {formatDate(c.from)} and{' '}
        {formatDate(lastDay)} (UTC).
      </p>
      {t.incidents === 0 ? (
        <p class="muted empty-note">No case falls in this period: there is nothing to measure yet.</p>
      ) : (
        <>
          <div class="stats compliance-stats" role="group" aria-label="In all">
            <div class="stat">
              <span class="stat-value">{percent(t.on_time_share)}</span>
              <span class="stat-label">
                Stages on time
                <span class="block small">
                  {t.stages_due ? `${t.stages_on_time} of ${plural(t.stages_due, 'stage')} due` : 'No stage due yet'}
                </span>
              </span>
            </div>
            <div class="stat">
              <span class="stat-value">{hours(t.median_hours_to_early_warning)}</span>
              <span class="stat-label">Median time to the early warning</span>
            </div>
            <div class="stat">
              <span class="stat-value">{days(t.median_days_to_final)}</span>
              <span class="stat-label">Median time to the final report</span>
            </div>
            <div class={t.overdue_now ? 'stat stat-alert' : 'stat'}>
              <span class="stat-value">{t.overdue_now}</span>
              <span class="stat-label">
                {t.overdue_now === 1 ? 'Case' : 'Cases'} overdue now
                {t.overdue_now > 0 && (
                  <Link href="/incidents?overdue=true&view=table" class="block small">
                    See the overdue cases
                  </Link>
                )}
              </span>
            </div>
          </div>

          <FiguresTable
            id="compliance-sectors"
            title="By sector"
            what="Sector"
            rows={c.sectors}
            href={(f) => (f.id ? `/sectors/${f.id}` : null)}
            empty="No sector has a case in this period."
          />
          <FiguresTable
            id="compliance-organisations"
            title="By organisation"
            what="Organisation"
            rows={c.organisations}
            href={(f) => (f.id ? `/organisations/${f.id}` : null)}
            empty="Every case in this period is held anonymised: those count for their sector only."
          />
        </>
      )}
    </div>
  );
}

type SortKey = 'share' | 'overdue';

/** Worst first: the lowest on-time share (no stage due last), or the most cases overdue. */
function compare(key: SortKey, a: ComplianceFigures, b: ComplianceFigures): number {
  if (key === 'overdue') {
    if (a.overdue_now !== b.overdue_now) return b.overdue_now - a.overdue_now;
  } else {
    const x = a.on_time_share ?? Infinity;
    const y = b.on_time_share ?? Infinity;
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.name.localeCompare(b.name);
}

function FiguresTable({
  id,
  title,
  what,
  rows,
  href,
  empty,
}: {
  id: string;
  title: string;
  what: string;
  rows: ComplianceFigures[];
  href: (f: ComplianceFigures) => string | null;
  empty: string;
}) {
  const [sort, setSort] = useState<{ key: SortKey; worstFirst: boolean }>({ key: 'share', worstFirst: true });
  const sorted = [...rows].sort((a, b) => compare(sort.key, a, b) * (sort.worstFirst ? 1 : -1));
  const by = (key: SortKey) =>
    setSort(sort.key === key ? { key, worstFirst: !sort.worstFirst } : { key, worstFirst: true });
  // On-time share worst first is ascending; overdue worst first is descending.
  const ariaSort = (key: SortKey) =>
    sort.key !== key
      ? undefined
      : (key === 'share') === sort.worstFirst
        ? ('ascending' as const)
        : ('descending' as const);
  const arrow = (key: SortKey) => (sort.key !== key ? '↕' : ariaSort(key) === 'ascending' ? '↑' : '↓');

  return (
    <section class="compliance-section" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {!rows.length ? (
        <p class="muted">{empty}</p>
      ) : (
        <div class="table-wrap">
          <table class="table compliance-table" aria-labelledby={id}>
            <thead>
              <tr>
                <th scope="col">{what}</th>
                <th scope="col" class="num">
                  Cases
                </th>
                <th scope="col" aria-sort={ariaSort('share')}>
                  <button type="button" class="sort-button" onClick={() => by('share')}>
                    On time <span aria-hidden="true">{arrow('share')}</span>
                  </button>
                </th>
                <th scope="col" class="num hide-narrow">
                  To early warning
                </th>
                <th scope="col" class="num hide-narrow">
                  To final report
                </th>
                <th scope="col" class="num" aria-sort={ariaSort('overdue')}>
                  <button type="button" class="sort-button" onClick={() => by('overdue')}>
                    Overdue now <span aria-hidden="true">{arrow('overdue')}</span>
                  </button>
                </th>
              </tr>
            </thead>
            <tbody>
              {sorted.map((f) => {
                const link = href(f);
                return (
                  <tr key={f.id || f.name} class={f.overdue_now ? 'row-overdue' : undefined}>
                    <th scope="row">{link ? <Link href={link}>{f.name}</Link> : f.name}</th>
                    <td class="num">{f.incidents}</td>
                    <td class="share-cell">
                      <ShareBar share={f.on_time_share} />
                      <span class="share-value">{percent(f.on_time_share)}</span>
                      <span class="small muted block">
                        {f.stages_due ? `${f.stages_on_time} of ${plural(f.stages_due, 'stage')}` : 'no stage due'}
                      </span>
                    </td>
                    <td class="num hide-narrow">{hours(f.median_hours_to_early_warning)}</td>
                    <td class="num hide-narrow">{days(f.median_days_to_final)}</td>
                    <td class={f.overdue_now ? 'num due-late' : 'num'}>{f.overdue_now}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** The on-time share as a small bar (SVG attributes, so the strict CSP needs no inline style). */
function ShareBar({ share }: { share: number | null }) {
  const tone = share === null ? 'none' : share >= 0.9 ? 'good' : share >= 0.7 ? 'fair' : 'poor';
  const width = share === null ? 0 : Math.max(0, Math.min(100, share * 100));
  return (
    <svg class={`share-bar share-${tone}`} viewBox="0 0 100 8" preserveAspectRatio="none" aria-hidden="true">
      <rect class="share-track" x="0" y="0" width="100" height="8" rx="2" />
      {width > 0 && <rect class="share-fill" x="0" y="0" width={width} height="8" rx="2" />}
    </svg>
  );
}
