// Posture figures of an organisation: control implementation weighted by maturity, the charter or
// policy approved and in date, ISO/IEC 27001 certification, and open and overdue improvement work.
// An organisation sees its own; a regulator or sector CERT picks an organisation of its sectors,
// the national CERT any (the server decides).

import { useState } from 'preact/hooks';
import { api, listAll } from '../api';
import { SelectField } from '../components/Field';
import { Page } from '../components/Page';
import { LoadState } from '../components/Status';
import { certificationLabel, share, type Posture } from '../cycle';
import { formatDate } from '../format';
import { useAsync } from '../hooks';
import { ismsMemberships } from '../isms';
import { useSession } from '../session';

interface OrgItem {
  id: string;
  name: string;
  kind: string;
}

export function PosturePage() {
  const { session } = useSession();
  const own = ismsMemberships(session)[0]?.organisation ?? null;
  const authority = session.memberships.some((m) => ['regulator', 'sector_cert', 'national_cert'].includes(m.organisation.kind));
  const [chosen, setChosen] = useState<string>(own?.id ?? '');
  const orgs = useAsync(async () => (authority ? (await listAll<OrgItem>('/organisations')).filter((o) => o.kind === 'operator' || o.kind === 'government') : []), [authority]);
  const posture = useAsync(async () => (chosen ? api.get<Posture>(`/organisations/${chosen}/posture`) : null), [chosen]);
  return (
    <Page title="Posture" lead="Control implementation, certification and open improvement work, as the national level reads them.">
      {authority && (
        <div class="filters">
          <SelectField
            label="Organisation"
            value={chosen}
            onValue={setChosen}
            options={[{ value: '', label: 'Choose…' }, ...(own ? [{ value: own.id, label: own.name }] : []), ...(orgs.data ?? []).map((o) => ({ value: o.id, label: o.name }))]}
          />
        </div>
      )}
      {!chosen && !authority && <p>You hold no role that reads an organisation's posture.</p>}
      {chosen && <LoadState state={posture}>{(p) => p && <PostureCard p={p} />}</LoadState>}
    </Page>
  );
}

function PostureCard({ p }: { p: Posture }) {
  const m = p.implementation;
  return (
    <section class="card" aria-labelledby="posture-h">
      <h2 id="posture-h">{p.organisation_name}</h2>
      <div class="stats posture-stats">
        <div class="stat">
          <span class="stat-value">{share(m.weighted_share)}</span>
          <span class="stat-label">controls implemented, weighted by maturity</span>
        </div>
        <div class="stat">
          <span class="stat-value">{share(m.implemented_share)}</span>
          <span class="stat-label">
            implemented ({m.implemented} + {m.partial} partly, of {m.applicable} applicable)
          </span>
        </div>
        <div class="stat">
          <span class={`stat-value cert-${p.certification.status}`}>{certificationLabel(p.certification.status)}</span>
          <span class="stat-label">ISO/IEC 27001{p.certification.expires_at ? `, expires ${formatDate(p.certification.expires_at)}` : ''}</span>
        </div>
        <div class={p.policy.in_date ? 'stat' : 'stat stat-alert'}>
          <span class="stat-value">{p.policy.in_date ? (p.policy.kind === 'charter' ? 'Charter' : 'Policy') : 'No'}</span>
          <span class="stat-label">
            {p.policy.in_date ? `approved and in date, next review ${formatDate(p.policy.next_review_at)}` : 'approved charter or policy in date'}
          </span>
        </div>
        <div class={p.overdue_actions ? 'stat stat-alert' : 'stat'}>
          <span class="stat-value">{p.overdue_actions}</span>
          <span class="stat-label">overdue of {p.open_actions} open actions</span>
        </div>
        <div class="stat">
          <span class="stat-value">{p.open_findings}</span>
          <span class="stat-label">open findings</span>
        </div>
        <div class={p.overdue_evaluations ? 'stat stat-alert' : 'stat'}>
          <span class="stat-value">{p.overdue_evaluations}</span>
          <span class="stat-label">evaluations overdue</span>
        </div>
      </div>
    </section>
  );
}
