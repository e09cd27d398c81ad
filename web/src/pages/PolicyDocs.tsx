// The organisation's charter and policy: the documents it has, their approval and review, how many
// people acknowledged the latest publication, and the wizard that proposes where to start (a short
// charter for a small or young organisation, the full policy for a large critical operator).

import { useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { Link } from '../components/Link';
import { Page } from '../components/Page';
import { ErrorMessage, LoadState } from '../components/Status';
import { formatDate, sizeLabel, tierLabel } from '../format';
import { asApiError, useAsync } from '../hooks';
import { ismsMemberships, mayWriteIsms } from '../isms';
import {
  docsPath,
  formName,
  kindName,
  reviewBadge,
  reviewLabel,
  type DocForm,
  type DocKind,
  type PolicyDoc,
  type PolicyDocList,
  type Proposal,
} from '../policy';
import { navigate } from '../router';
import { useSession } from '../session';
import type { SizeClass } from '../types';

const PATHS: { kind: DocKind; form: DocForm; what: string }[] = [
  { kind: 'charter', form: 'short', what: 'One or two pages: purpose, scope, commitments, roles, review. Present it to every person.' },
  { kind: 'policy', form: 'short', what: 'The eleven sections of the policy, one short text each. Grow it section by section.' },
  { kind: 'policy', form: 'full', what: 'The eleven sections with their 42 subsections, for an operator whose regulator expects a full policy.' },
];

export function PolicyDocsPage() {
  const { session } = useSession();
  const memberships = ismsMemberships(session);
  const [orgId, setOrgId] = useState(memberships[0]?.organisation.id ?? '');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const state = useAsync(async () => {
    if (!orgId) return null;
    const [docs, proposal] = await Promise.all([
      api.get<PolicyDocList>(docsPath(orgId)),
      api.get<Proposal>(`${docsPath(orgId)}/proposal`),
    ]);
    return { docs, proposal };
  }, [orgId]);
  if (!orgId) {
    return (
      <Page title="Charter and policy">
        <p>You hold no role that reads an organisation's ISMS.</p>
      </Page>
    );
  }
  const org = memberships.find((m) => m.organisation.id === orgId)!.organisation;
  const writer = mayWriteIsms(session, orgId);
  const start = async (kind: DocKind, form: DocForm) => {
    setError(null);
    setBusy(true);
    try {
      const made = await api.post<PolicyDoc>(docsPath(orgId), { kind, form });
      navigate(`/policy/${orgId}/${made.id}`);
    } catch (e) {
      setError(asApiError(e));
      setBusy(false);
    }
  };
  return (
    <Page title="Charter and policy" lead={`${org.name}: the security charter and the security policy, approved by management and acknowledged by staff.`}>
      {memberships.length > 1 && (
        <p class="risk-org-switch">
          <label>
            Organisation{' '}
            <select value={orgId} onChange={(e) => setOrgId((e.target as HTMLSelectElement).value)}>
              {memberships.map((m) => (
                <option key={m.organisation.id} value={m.organisation.id}>
                  {m.organisation.name}
                </option>
              ))}
            </select>
          </label>
        </p>
      )}
      <ErrorMessage error={error} />
      <LoadState state={state}>
        {(d) =>
          d && (
            <>
              <p class={d.docs.status.in_date ? 'notice notice-ok' : 'notice notice-due'}>
                {d.docs.status.in_date
                  ? `${kindName(d.docs.status.kind!)} approved on ${formatDate(d.docs.status.approved_at)}, in date until ${formatDate(d.docs.status.next_review_at)}.`
                  : 'No approved charter or policy is in date: management has not approved one, or its review date has passed.'}
              </p>
              {d.docs.items.length > 0 && (
                <div class="isms-cards">
                  {d.docs.items.map((doc) => (
                    <Link key={doc.id} href={`/policy/${orgId}/${doc.id}`} class="card isms-soa-card policy-card">
                      <h2>{doc.title}</h2>
                      <p>
                        <span class={reviewBadge(doc.review_state)}>{reviewLabel(doc.review_state)}</span>
                      </p>
                      <p class="small">
                        {formName(doc.kind, doc.form)} · version {doc.newest}
                        {doc.approved ? ` · approved version ${doc.approved}` : ''}
                        {doc.next_review_at ? ` · next review ${formatDate(doc.next_review_at)}` : ''}
                      </p>
                      {doc.latest_publication && (
                        <p class="small">
                          Acknowledged by {doc.latest_publication.acknowledged} of {doc.latest_publication.recipients} people
                        </p>
                      )}
                    </Link>
                  ))}
                </div>
              )}
              {writer && (!d.proposal.existing.charter || !d.proposal.existing.policy) && (
                <section class="card policy-wizard" aria-labelledby="wizard-title">
                  <h2 id="wizard-title">Start a document</h2>
                  <p>
                    {org.name} is {d.proposal.size_class ? sizeLabel(d.proposal.size_class as SizeClass).toLowerCase() : 'of unrecorded size'},{' '}
                    {tierLabel(d.proposal.criticality_tier).toLowerCase()}
                    {d.proposal.maturity !== null ? `, with a mean control maturity of ${d.proposal.maturity} of 5` : ', with no control maturity recorded yet'}.
                    {' '}Rampart advises: <strong>{formName(d.proposal.recommended.kind, d.proposal.recommended.form)}</strong> ({d.proposal.recommended.reasons.join('; ')}).
                  </p>
                  <p class="hint">The text starts from Rampart's templates filled with your organisation's name, sectors, people, most critical assets and highest risks; it is then yours to edit.</p>
                  <ul class="policy-paths">
                    {PATHS.filter((p) => !d.proposal.existing[p.kind]).map((p) => {
                      const advised = p.kind === d.proposal.recommended.kind && p.form === d.proposal.recommended.form;
                      return (
                        <li key={`${p.kind}-${p.form}`} class={advised ? 'policy-path policy-path-advised' : 'policy-path'}>
                          <div>
                            <strong>{kindName(p.kind)}</strong> — {formName(p.kind, p.form)}
                            {advised && <span class="badge badge-on"> Advised</span>}
                            <p class="small muted">{p.what}</p>
                          </div>
                          <button type="button" class={advised ? 'button button-primary' : 'button'} disabled={busy} onClick={() => start(p.kind, p.form)}>
                            Start the {p.kind === 'charter' ? 'charter' : `${p.form} policy`}
                          </button>
                        </li>
                      );
                    })}
                  </ul>
                </section>
              )}
              {d.docs.items.length === 0 && !writer && <p class="empty-state">The organisation has no charter or policy yet.</p>}
            </>
          )
        }
      </LoadState>
    </Page>
  );
}
