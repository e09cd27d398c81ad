// The read-only parts of the case page: details, clocks, parties and hand-overs, requests,
// stage reports, observables and the timeline.

import { Fragment, type ComponentChildren } from 'preact';
import { dueLabel, formatDateTime, spanLabel } from '../format';
import {
  classificationLabel,
  eventLabel,
  fieldLabel,
  handoverLabel,
  maliciousLabel,
  observableLabel,
  relationLabel,
  rootCauseLabel,
  severityLabel,
  stageLabel,
  visibilityLabel,
  type Clock,
  type IncidentCase,
  type ReportingProfile,
  type Taxonomy,
} from '../incidents';
import { CaseOrg, ClockBadge, MarkingBadge, OverdueBadge, SeverityBadge, StateBadge } from './IncidentBits';
import { Link } from './Link';

export function CaseDetails({
  c,
  taxonomy,
  profile,
  assignee,
}: {
  c: IncidentCase;
  taxonomy: Taxonomy | undefined;
  profile: ReportingProfile | undefined;
  assignee: string | null;
}) {
  const impact = c.impact;
  const figures = (
    [
      ['users_affected', impact.users_affected],
      ['duration_hours', impact.duration_hours],
      ['financial_loss_eur', impact.financial_loss_eur],
      ['sites_or_regions', impact.sites_or_regions],
    ] as const
  ).filter(([, v]) => v !== null);
  return (
    <dl class="details">
      <dt>Reference</dt>
      <dd>
        <span class="ref">{c.reference}</span>
      </dd>
      <dt>Organisation</dt>
      <dd>
        <CaseOrg org={c.organisation} />
      </dd>
      <dt>Sector</dt>
      <dd>{c.sector_name}</dd>
      <dt>State</dt>
      <dd>
        <StateBadge state={c.state} />
      </dd>
      <dt>Severity</dt>
      <dd>
        <SeverityBadge severity={c.severity} rule={c.severity_rule} />
        {c.significant !== null && (
          <span class={c.significant ? 'badge badge-significant' : 'badge'}>
            {c.significant ? 'Significant' : 'Not significant'}
          </span>
        )}
        {c.severity_rule && <span class="block small muted severity-rule">{c.severity_rule}</span>}
      </dd>
      <dt>Classification</dt>
      <dd>{classificationLabel(taxonomy, c.rsit_class, c.rsit_type)}</dd>
      <dt>Aware since</dt>
      <dd>{formatDateTime(c.aware_at)}</dd>
      {c.occurred_at && (
        <>
          <dt>Occurred</dt>
          <dd>{formatDateTime(c.occurred_at)}</dd>
        </>
      )}
      <dt>Suspected malicious</dt>
      <dd>{maliciousLabel(c.suspected_malicious)}</dd>
      <dt>May affect others</dt>
      <dd>
        {c.may_affect_others ? 'Yes' : 'No'}
        {c.affects_others_note && <span class="block small">{c.affects_others_note}</span>}
      </dd>
      <dt>Affected services</dt>
      <dd>
        {c.affected_services.length ? (
          <ul class="tags">
            {c.affected_services.map((s) => (
              <li key={s} class="tag">
                {s}
              </li>
            ))}
          </ul>
        ) : (
          <span class="muted">None given</span>
        )}
      </dd>
      {figures.length > 0 && (
        <>
          <dt>Impact</dt>
          <dd>
            {figures.map(([k, v]) => (
              <span key={k} class="block">
                {fieldLabel(k)}: {v!.toLocaleString('en-GB')}
              </span>
            ))}
            {impact.cross_border && <span class="block">Cross-border</span>}
          </dd>
        </>
      )}
      {c.root_cause && (
        <>
          <dt>Root cause</dt>
          <dd>{rootCauseLabel(c.root_cause)}</dd>
        </>
      )}
      {c.voluntary && (
        <>
          <dt>Voluntary</dt>
          <dd>Yes, reported voluntarily</dd>
        </>
      )}
      {c.you.relations.some((r) => r !== 'reporter') && (
        <>
          <dt>Assigned to</dt>
          <dd>{assignee ?? <span class="muted">Nobody</span>}</dd>
        </>
      )}
      <dt>Reporting profile</dt>
      <dd>{profile?.name ?? c.profile_id}</dd>
      {c.summary && (
        <>
          <dt>Summary</dt>
          <dd class="prose">{c.summary}</dd>
        </>
      )}
    </dl>
  );
}

/** "filed 25 min early", "filed 3 h late", "due in 2 h", "overdue by 1 h". */
function clockWords(k: Clock, now: number, c: IncidentCase, finalDays: number | undefined): string {
  if (k.submitted_at && k.due_at) {
    const d = Date.parse(k.due_at) - Date.parse(k.submitted_at);
    return d >= 0 ? `filed ${spanLabel(d)} before the deadline` : `filed ${spanLabel(d)} late`;
  }
  if (k.submitted_at) return 'filed';
  if (k.state === 'not_needed') return 'not needed';
  if (!k.due_at) {
    if (!c.notification_at) return 'starts with the notification';
    if (k.stage === 'final') return finalDays ? `due ${finalDays} days after resolution` : 'due after resolution';
    return 'not due yet';
  }
  return dueLabel(k.due_at, now);
}

/** The CERT's first answer to the reporter, due 24 hours after the early warning. */
function feedbackClock(c: IncidentCase, now: number): Clock | null {
  if (!c.feedback_due_at) return null;
  const due = Date.parse(c.feedback_due_at);
  const at = c.feedback_at ? Date.parse(c.feedback_at) : null;
  const state = at !== null ? (at <= due ? 'on_time' : 'late') : now > due ? 'overdue' : 'waiting';
  return { stage: 'progress', due_at: c.feedback_due_at, submitted_at: c.feedback_at, state };
}

export function Clocks({ c, now, profile }: { c: IncidentCase; now: number; profile: ReportingProfile | undefined }) {
  const feedback = feedbackClock(c, now);
  const row = (key: string, label: ComponentChildren, k: Clock) => (
    <tr key={key} class={`clock-row clock-row-${k.state}`}>
      <th scope="row">{label}</th>
      <td>{formatDateTime(k.due_at, 'Not started')}</td>
      <td class="hide-narrow">{formatDateTime(k.submitted_at, 'Not yet')}</td>
      <td>
        <ClockBadge state={k.state} />
        <span class={k.state === 'overdue' || k.state === 'late' ? 'block small due-late' : 'block small muted'}>
          {clockWords(k, now, c, profile?.final_within_days)}
        </span>
      </td>
    </tr>
  );
  return (
    <div class="table-wrap table-flat">
      <table class="table compact clocks">
        <caption class="sr-only">Reporting clocks</caption>
        <thead>
          <tr>
            <th scope="col">Stage</th>
            <th scope="col">Due</th>
            <th scope="col" class="hide-narrow">
              Filed
            </th>
            <th scope="col">State</th>
          </tr>
        </thead>
        <tbody>
          {c.clocks.map((k, i) => row(`${k.stage}-${i}`, stageLabel(k.stage), k))}
          {feedback && row('feedback', 'CERT feedback', feedback)}
        </tbody>
      </table>
    </div>
  );
}

const RELATION_ORDER = ['reporter', 'regulator', 'sector_cert', 'national_cert', 'national_cert_anonymised'];
/** Reports travel from the reporter first (filed, copied), then onwards under the MOUs. */
const MODE_ORDER = ['filed', 'copy', 'direct', 'on_receipt', 'anonymised', 'after_review'];

export function Parties({ c }: { c: IncidentCase }) {
  const parties = [...c.parties].sort((a, b) => RELATION_ORDER.indexOf(a.relation) - RELATION_ORDER.indexOf(b.relation));
  return (
    <ul class="plain parties">
      {parties.map((p, i) => (
        <li key={`${p.organisation_id ?? 'reporter'}-${i}`}>
          {p.organisation_id ? (
            <Link href={`/organisations/${p.organisation_id}`}>{p.name}</Link>
          ) : (
            <em class="anonymised">{p.name}</em>
          )}
          <span class={`badge relation-${p.relation}`}>{relationLabel(p.relation)}</span>
        </li>
      ))}
    </ul>
  );
}

/** How the case travelled: each hand-over, delivered or waiting, with a slot for the forward action. */
export function Handovers({
  c,
  now,
  action,
}: {
  c: IncidentCase;
  now: number;
  action: (h: IncidentCase['handovers'][number]) => ComponentChildren;
}) {
  if (!c.handovers.length) return <p class="muted">No hand-over recorded.</p>;
  const handovers = [...c.handovers].sort((a, b) => MODE_ORDER.indexOf(a.mode) - MODE_ORDER.indexOf(b.mode));
  return (
    <ol class="handovers">
      {handovers.map((h) => (
        <li key={h.id} class={h.delivered_at ? 'handover' : h.overdue ? 'handover pending overdue' : 'handover pending'}>
          <span class="handover-route">
            {h.from || <em>Reporting organisation</em>} <span aria-hidden="true">→</span>
            <span class="sr-only"> to </span> {h.to}
          </span>
          <span class="small muted block">
            {handoverLabel(h.mode)}
            {h.anonymised && ', anonymised'}
          </span>
          {h.delivered_at ? (
            <span class="small block">Delivered {formatDateTime(h.delivered_at)}</span>
          ) : (
            <span class={h.overdue ? 'small block due-late' : 'small block'}>
              Waiting since {formatDateTime(h.created_at)}
              {h.due_at && <> · to be forwarded by {formatDateTime(h.due_at)} ({dueLabel(h.due_at, now)})</>}{' '}
              {h.overdue && <OverdueBadge />}
            </span>
          )}
          {action(h)}
        </li>
      ))}
    </ol>
  );
}

export function Requests({ c, now }: { c: IncidentCase; now: number }) {
  if (!c.requests.length) return null;
  return (
    <ul class="plain requests">
      {c.requests.map((q) => (
        <li key={q.id}>
          <p class="prose">“{q.question}”</p>
          <p class="small muted">
            Asked by {q.requested_by}, {formatDateTime(q.requested_at)}.{' '}
            {q.answered_at ? (
              <>Answered {formatDateTime(q.answered_at)}.</>
            ) : (
              <span class={Date.parse(q.due_at) < now ? 'due-late' : undefined}>
                Answer {dueLabel(q.due_at, now)} ({formatDateTime(q.due_at)}).
              </span>
            )}
          </p>
        </li>
      ))}
    </ul>
  );
}

function Value({ k, v, c, taxonomy }: { k: string; v: unknown; c: IncidentCase; taxonomy: Taxonomy | undefined }) {
  if (v === null || v === undefined || v === '') return <span class="muted">—</span>;
  if (typeof v === 'boolean') return <>{v ? 'Yes' : 'No'}</>;
  if (typeof v === 'number') return <>{v.toLocaleString('en-GB')}</>;
  if (k === 'observables' && Array.isArray(v)) {
    return (
      <ul class="plain">
        {v.map((o, i) => {
          const ob = o as { type?: string; value?: string; tlp?: string };
          return (
            <li key={i}>
              {observableLabel(ob.type ?? '')} <code>{ob.value}</code> {ob.tlp && <MarkingBadge label={ob.tlp} />}
            </li>
          );
        })}
      </ul>
    );
  }
  if (Array.isArray(v)) return <>{v.map(String).join(', ')}</>;
  if (typeof v === 'object') return <code>{JSON.stringify(v)}</code>;
  const s = String(v);
  if (k.endsWith('_at')) return <>{formatDateTime(s)}</>;
  if (k === 'root_cause') return <>{rootCauseLabel(s)}</>;
  if (k === 'severity') return <>{severityLabel(s)}</>;
  if (k === 'suspected_malicious') return <>{maliciousLabel(s)}</>;
  if (k === 'rsit_class') return <>{classificationLabel(taxonomy, s, null)}</>;
  if (k === 'rsit_type') {
    const cls = taxonomy?.classes.find((x) => x.types.some((t) => t.id === s));
    return <>{cls?.types.find((t) => t.id === s)?.name ?? s}</>;
  }
  if (k === 'sector_id') return <>{s === c.sector_id ? c.sector_name : s}</>;
  if (k === 'request_id') {
    const q = c.requests.find((r) => r.id === s);
    return <>{q ? `“${q.question}”` : s}</>;
  }
  return <span class="prose">{s}</span>;
}

/** The order a report's fields are read in: what happened, then assessment, impact, indicators. */
const BODY_ORDER = [
  'title',
  'summary',
  'aware_at',
  'occurred_at',
  'suspected_malicious',
  'may_affect_others',
  'affects_others_note',
  'affected_services',
  'voluntary',
  'sector_id',
  'request_id',
  'initial_assessment',
  'update',
  'status',
  'description',
  'root_cause',
  'mitigations_applied',
  'mitigations_ongoing',
  'cross_border_impact',
  'resolved_at',
  'expected_resolution_at',
  'rsit_class',
  'rsit_type',
  'severity',
  'users_affected',
  'duration_hours',
  'financial_loss_eur',
  'sites_or_regions',
  'cross_border',
  'observables',
];

/** A report's body as a definition list, in reading order. */
function ReportBody({
  body,
  c,
  taxonomy,
}: {
  body: Record<string, unknown>;
  c: IncidentCase;
  taxonomy: Taxonomy | undefined;
}) {
  const rank = (k: string) => {
    const i = BODY_ORDER.indexOf(k);
    return i < 0 ? BODY_ORDER.length : i;
  };
  const entries = Object.entries(body)
    .filter(([k]) => k !== 'stage')
    .sort(([a], [b]) => rank(a) - rank(b));
  if (!entries.length) return <p class="muted">No details.</p>;
  return (
    <dl class="details report-body">
      {entries.map(([k, v]) => (
        <Fragment key={k}>
          <dt>{fieldLabel(k)}</dt>
          <dd>
            <Value k={k} v={v} c={c} taxonomy={taxonomy} />
          </dd>
        </Fragment>
      ))}
    </dl>
  );
}

export function Reports({ c, taxonomy }: { c: IncidentCase; taxonomy: Taxonomy | undefined }) {
  return (
    <div class="reports">
      {c.reports.map((r) => (
        <article key={r.id} class="report" aria-labelledby={`report-${r.id}`}>
          <h3 id={`report-${r.id}`}>
            {stageLabel(r.stage)}
            <span class="heading-note">
              {' '}
              · {formatDateTime(r.submitted_at)} · {r.submitted_by}
            </span>{' '}
            <ClockBadge state={r.on_time} />
          </h3>
          <ReportBody body={r.body} c={c} taxonomy={taxonomy} />
        </article>
      ))}
    </div>
  );
}

export function Observables({ c }: { c: IncidentCase }) {
  if (!c.observables.length) return <p class="muted">No observable yet.</p>;
  return (
    <div class="table-wrap table-flat">
      <table class="table compact observables">
        <caption class="sr-only">Observables</caption>
        <thead>
          <tr>
            <th scope="col">Type</th>
            <th scope="col">Value</th>
            <th scope="col">TLP</th>
            <th scope="col">PAP</th>
            <th scope="col" class="hide-narrow">
              Added
            </th>
          </tr>
        </thead>
        <tbody>
          {c.observables.map((o) => (
            <tr key={o.id}>
              <td>{observableLabel(o.type)}</td>
              <td class="observable-value">
                <code>{o.value}</code>
                {o.note && <span class="block small muted">{o.note}</span>}
              </td>
              <td>
                <MarkingBadge label={o.tlp} />
              </td>
              <td>
                <MarkingBadge label={o.pap} />
              </td>
              <td class="hide-narrow small">{formatDateTime(o.created_at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function Timeline({ c }: { c: IncidentCase }) {
  return (
    <ol class="timeline">
      {c.timeline.map((e) => (
        <li key={e.id} class={`event event-${e.kind}`}>
          <span class="event-mark" aria-hidden="true" />
          <div class="event-head">
            <span class="event-kind">{eventLabel(e.kind)}</span>
            <span class="event-who">
              {e.actor}
              {e.actor_organisation && <span class="muted">, {e.actor_organisation}</span>}
            </span>
            <time dateTime={e.at} class="muted small">
              {formatDateTime(e.at)}
            </time>
            {e.visibility !== 'all' && (
              <span class={`badge visibility-${e.visibility}`}>{visibilityLabel(e.visibility)}</span>
            )}
          </div>
          <p class="event-text prose">{e.text}</p>
        </li>
      ))}
    </ol>
  );
}
