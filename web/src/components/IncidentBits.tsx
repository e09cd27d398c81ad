// Small pieces that show parts of an incident case the same way on every page.

import { dueLabel, formatDateTime } from '../format';
import {
  clockLabel,
  severityLabel,
  stageLabel,
  stateLabel,
  type CaseOrganisation,
  type IncidentSummary,
  type Severity,
} from '../incidents';

export function StateBadge({ state }: { state: string }) {
  return <span class={`badge state-${state}`}>{stateLabel(state)}</span>;
}

export function SeverityBadge({ severity, rule }: { severity: Severity | null; rule?: string }) {
  return (
    <span class={`badge severity-${severity ?? 'none'}`} title={rule || undefined}>
      {severityLabel(severity)}
    </span>
  );
}

export function ClockBadge({ state }: { state: string }) {
  return <span class={`badge clock-${state}`}>{clockLabel(state)}</span>;
}

export function OverdueBadge() {
  return <span class="badge clock-overdue">Overdue</span>;
}

/**
 * The reporting organisation: its name, or for a case held anonymised the label in italics
 * and a note that the name is withheld.
 */
export function CaseOrg({ org, note = true }: { org: CaseOrganisation; note?: boolean }) {
  if (!org.anonymised) return <>{org.label}</>;
  return (
    <>
      <em class="anonymised">{org.label}</em>
      {note && <span class="muted small block">Anonymised: the organisation's name is withheld</span>}
    </>
  );
}

/** The next stage due and when, with an overdue badge once it is late. */
export function NextDue({ incident, now }: { incident: IncidentSummary; now: number }) {
  if (!incident.next_due_stage || !incident.next_due_at) return <span class="muted">Nothing due</span>;
  return (
    <>
      {stageLabel(incident.next_due_stage)}
      <span
        class={incident.overdue ? 'block small due-late' : 'block small muted'}
        title={formatDateTime(incident.next_due_at)}
      >
        {dueLabel(incident.next_due_at, now)}
      </span>
      {incident.overdue && <OverdueBadge />}
    </>
  );
}

const PIPS: { at: keyof IncidentSummary; short: string; stage: string }[] = [
  { at: 'early_warning_at', short: 'EW', stage: 'early_warning' },
  { at: 'notification_at', short: 'N', stage: 'notification' },
  { at: 'final_at', short: 'F', stage: 'final' },
];

/**
 * The three legal stages as pips: filled once filed, red when the next due one is overdue.
 * A list needs no more than this; the case page shows every clock.
 */
export function StagePips({ incident }: { incident: IncidentSummary }) {
  const parts = PIPS.map((p) => {
    const done = !!incident[p.at];
    const late = !done && incident.overdue && incident.next_due_stage === p.stage;
    return { ...p, done, late };
  });
  const said = parts
    .map((p) => `${stageLabel(p.stage)} ${p.done ? 'filed' : p.late ? 'overdue' : 'not filed'}`)
    .join(', ');
  return (
    <span class="pips" role="img" aria-label={said} title={said}>
      {parts.map((p) => (
        <span key={p.short} class={`pip${p.done ? ' pip-done' : ''}${p.late ? ' pip-late' : ''}`} aria-hidden="true">
          {p.short}
        </span>
      ))}
    </span>
  );
}

/** A TLP or PAP label coloured as FIRST defines it. */
export function MarkingBadge({ label }: { label: string }) {
  const colour = label.split(':')[1]?.toLowerCase().replace('+strict', '-strict') ?? 'none';
  return <span class={`badge marking marking-${colour}`}>{label || '—'}</span>;
}
