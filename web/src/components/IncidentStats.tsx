// The incident figures on the home page: open cases, overdue ones, what waits for this
// person, and the way to report a new incident.

import { api, query } from '../api';
import { useAsync } from '../hooks';
import { filingOrganisations, isCertAnalyst, mayForward, type ForwardingItem, type IncidentSummary } from '../incidents';
import { useSession } from '../session';
import type { Page } from '../types';
import { Link } from './Link';

const COUNT_LIMIT = 200;

/** How many cases a filter finds, up to a page: "200+" beyond (the list API has no totals). */
async function count(params: Record<string, string>): Promise<string> {
  const page = await api.get<Page<IncidentSummary>>('/incidents' + query({ ...params, limit: COUNT_LIMIT }));
  return page.next_cursor ? `${page.items.length}+` : String(page.items.length);
}

interface Figure {
  label: string;
  href: string;
  value: string;
  alert?: boolean;
}

export function IncidentStats() {
  const { session } = useSession();
  const triage = isCertAnalyst(session);
  const forwards = mayForward(session);
  const mayFile = filingOrganisations(session).length > 0;
  const figures = useAsync(async (): Promise<Figure[]> => {
    const [open, overdue, mine, waiting] = await Promise.all([
      count({ state: 'open' }),
      count({ overdue: 'true' }),
      triage ? count({ state: 'open', assignee: 'me' }) : Promise.resolve(null),
      forwards
        ? api.get<Page<ForwardingItem>>('/incidents/forwarding').then((p) => p.items)
        : Promise.resolve(null),
    ]);
    const out: Figure[] = [
      { label: 'Open cases', href: '/incidents?state=open&view=table', value: open },
      { label: 'Overdue', href: '/incidents?overdue=true&view=table', value: overdue, alert: overdue !== '0' },
    ];
    if (mine !== null) {
      out.push({ label: 'Assigned to you', href: '/incidents?state=open&assignee=me&view=table', value: mine });
    }
    if (waiting !== null) {
      out.push({
        label: 'Waiting for you to forward',
        href: '/incidents/forwarding',
        value: String(waiting.length),
        alert: waiting.some((w) => w.overdue),
      });
    }
    return out;
  }, [session.user.id]);

  return (
    <section class="home-section" aria-labelledby="home-incidents">
      <div class="section-head">
        <h2 id="home-incidents">Incidents</h2>
        {mayFile && (
          <Link href="/incidents/new" class="button button-primary">
            Report an incident
          </Link>
        )}
      </div>
      {figures.error ? (
        <p class="muted">The incident figures could not be loaded: {figures.error.message}</p>
      ) : (
        <div class="stats">
          {(figures.data ?? []).map((f) => (
            <Link key={f.label} href={f.href} class={f.alert ? 'stat stat-alert' : 'stat'}>
              <span class="stat-value">{f.value}</span>
              <span class="stat-label">{f.label}</span>
            </Link>
          ))}
          {!figures.data && <span class="muted">Loading the incident figures…</span>}
        </div>
      )}
    </section>
  );
}
