// Requests for assistance as the browser uses them: shapes of the API, labels, and who the
// interface offers what. The server decides every permission; these helpers only choose what to
// show.

import type { Session } from './types';

export type AssistanceKind =
  | 'incident_response'
  | 'forensics'
  | 'malware_analysis'
  | 'vulnerability_handling'
  | 'advice'
  | 'other';
export const ASSISTANCE_KINDS: readonly AssistanceKind[] = [
  'incident_response',
  'forensics',
  'malware_analysis',
  'vulnerability_handling',
  'advice',
  'other',
];

export type Urgency = 'low' | 'medium' | 'high' | 'critical';
export const URGENCIES: readonly Urgency[] = ['low', 'medium', 'high', 'critical'];

export type AssistanceState =
  | 'open'
  | 'accepted'
  | 'in_progress'
  | 'waiting_for_requester'
  | 'resolved'
  | 'closed'
  | 'declined'
  | 'withdrawn';
export const ASSISTANCE_STATES: readonly AssistanceState[] = [
  'open',
  'accepted',
  'in_progress',
  'waiting_for_requester',
  'resolved',
  'closed',
  'declined',
  'withdrawn',
];

export type Side = 'requester' | 'cert';

export interface AssistanceSummary {
  id: string;
  reference: string;
  kind: AssistanceKind;
  urgency: Urgency;
  title: string;
  state: AssistanceState;
  side: Side;
  asking_organisation: { id: string; name: string };
  cert: { id: string; name: string };
  incident_id: string | null;
  incident_reference: string | null;
  assignee_name: string | null;
  respond_by: string;
  response_overdue: boolean;
  created_at: string;
  updated_at: string;
}

export interface AssistanceEvent {
  id: string;
  at: string;
  kind: 'filed' | 'message' | 'note' | 'state' | 'assigned';
  side: Side | 'system';
  internal: boolean;
  actor: string;
  actor_organisation: string;
  text: string;
  data: Record<string, unknown>;
}

export interface AssistanceRequest {
  id: string;
  reference: string;
  kind: AssistanceKind;
  urgency: Urgency;
  title: string;
  description: string;
  contact: string;
  state: AssistanceState;
  state_reason: string;
  asking_organisation: { id: string; name: string; short_name: string };
  cert: { id: string; name: string; short_name: string; relation: 'sector_cert' | 'national_cert' };
  incident: { id: string; reference: string; title: string; state: string } | null;
  requested_by: string | null;
  assignee_id: string | null;
  assignee_name: string | null;
  respond_by: string;
  responded_at: string | null;
  response_overdue: boolean;
  resolved_at: string | null;
  closed_at: string | null;
  created_at: string;
  updated_at: string;
  version: number;
  you: { side: Side; may_write: boolean; may_note: boolean; may_handle: boolean; next_states: AssistanceState[] };
  messages: AssistanceEvent[];
  timeline: AssistanceEvent[];
}

export interface AskableCert {
  id: string;
  name: string;
  short_name: string;
  relation: 'sector_cert' | 'national_cert';
}

const KIND_LABELS: Record<string, string> = {
  incident_response: 'Incident response',
  forensics: 'Forensics',
  malware_analysis: 'Malware analysis',
  vulnerability_handling: 'Vulnerability handling',
  advice: 'Advice',
  other: 'Other',
};

const URGENCY_LABELS: Record<string, string> = {
  low: 'Low',
  medium: 'Medium',
  high: 'High',
  critical: 'Critical',
};

// What the CERT promises to answer within, as the server computes respond_by.
const URGENCY_HINTS: Record<string, string> = {
  low: 'first answer within 5 days',
  medium: 'first answer within 2 days',
  high: 'first answer within 8 hours',
  critical: 'first answer within 2 hours',
};

const STATE_LABELS: Record<string, string> = {
  open: 'Open',
  accepted: 'Accepted',
  in_progress: 'In progress',
  waiting_for_requester: 'Waiting for the requester',
  resolved: 'Resolved',
  closed: 'Closed',
  declined: 'Declined',
  withdrawn: 'Withdrawn',
};

// The button that moves a request there, in the words of the side that presses it.
const STATE_ACTIONS: Record<string, string> = {
  accepted: 'Accept',
  in_progress: 'Work on it',
  waiting_for_requester: 'Wait for the requester',
  resolved: 'Resolve',
  closed: 'Close',
  declined: 'Decline',
  withdrawn: 'Withdraw the request',
};

// The badge colours of the incident states that mean the same.
const STATE_STYLES: Record<string, string> = {
  open: 'state-submitted',
  accepted: 'state-acknowledged',
  in_progress: 'state-in_progress',
  waiting_for_requester: 'state-triaged',
  resolved: 'state-resolved',
  closed: 'state-closed',
  declined: 'state-rejected',
  withdrawn: 'state-rejected',
};

const EVENT_LABELS: Record<string, string> = {
  filed: 'Request made',
  message: 'Message',
  note: 'Internal note',
  state: 'State',
  assigned: 'Assignment',
};

const lookup = (table: Record<string, string>, key: string) => table[key] ?? key.replace(/_/g, ' ');
export const kindLabel = (k: string) => lookup(KIND_LABELS, k);
export const urgencyLabel = (u: string) => lookup(URGENCY_LABELS, u);
export const urgencyHint = (u: string) => lookup(URGENCY_HINTS, u);
export const assistanceStateLabel = (s: string) => lookup(STATE_LABELS, s);
export const assistanceStateStyle = (s: string) => STATE_STYLES[s] ?? '';
export const assistanceEventLabel = (k: string) => lookup(EVENT_LABELS, k);

/** The label of the button that moves a request to `to`; reopening reads as such. */
export function moveLabel(from: string, to: string, side: Side): string {
  if (to === 'in_progress' && from === 'resolved') return side === 'cert' ? 'Reopen' : 'Not solved: reopen';
  if (to === 'closed' && side === 'requester') return 'Confirm and close';
  return lookup(STATE_ACTIONS, to);
}

export const OPEN_ASSISTANCE_STATES: readonly AssistanceState[] = [
  'open',
  'accepted',
  'in_progress',
  'waiting_for_requester',
];

const ASK_ROLES = ['org_admin', 'ciso', 'reporter'];
const READ_ROLES = ['org_admin', 'ciso', 'reporter', 'management', 'auditor', 'analyst'];

/** The organisations the person may ask a CERT for help for. */
export function askingOrganisations(session: Session) {
  return session.memberships
    .filter((m) => m.organisation.kind !== 'national_cert' && m.roles.some((r) => ASK_ROLES.includes(r)))
    .map((m) => m.organisation);
}

/** Whether any membership lets the person follow requests for assistance. */
export function mayReadAssistance(session: Session): boolean {
  return session.memberships.some((m) => m.roles.some((r) => READ_ROLES.includes(r)));
}

/** CERT analysts handle requests: their view of the list starts with what they were asked. */
export function handlesAssistance(session: Session): boolean {
  return session.memberships.some(
    (m) =>
      (m.organisation.kind === 'sector_cert' || m.organisation.kind === 'national_cert') &&
      m.roles.some((r) => r === 'org_admin' || r === 'analyst'),
  );
}
