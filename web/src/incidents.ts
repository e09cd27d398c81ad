// Incident reporting as the pages read it: the shapes of the incident API, the words shown
// for its codes, the reference data (taxonomy and reporting profiles, fetched once), and what
// a person's memberships let the interface offer. The server decides every permission; a
// case says what the caller may do with it in `you`.

import { api } from './api';
import type { Page, Session } from './types';

// ---- shapes ----

export type CaseState =
  | 'submitted'
  | 'acknowledged'
  | 'triaged'
  | 'in_progress'
  | 'resolved'
  | 'closed'
  | 'rejected'
  | 'duplicate'
  | 'merged';

export const CASE_STATES: readonly CaseState[] = [
  'submitted',
  'acknowledged',
  'triaged',
  'in_progress',
  'resolved',
  'closed',
  'rejected',
  'duplicate',
  'merged',
];

/** The states of a case still being handled: the columns of the triage board. */
export const OPEN_STATES: readonly CaseState[] = ['submitted', 'acknowledged', 'triaged', 'in_progress'];

export type Severity = 'low' | 'medium' | 'high' | 'critical';
export const SEVERITIES: readonly Severity[] = ['low', 'medium', 'high', 'critical'];

export type Stage = 'early_warning' | 'notification' | 'intermediate' | 'final' | 'progress';
export type ClockState = 'waiting' | 'overdue' | 'on_time' | 'late' | 'not_needed';
export type Relation = 'reporter' | 'regulator' | 'sector_cert' | 'national_cert' | 'national_cert_anonymised';
export type Visibility = 'all' | 'authorities' | 'certs';
export type Malicious = 'yes' | 'no' | 'unknown';
export type RootCause =
  | 'system_failure'
  | 'human_error'
  | 'malicious_action'
  | 'third_party_failure'
  | 'natural_phenomenon';

export const ROOT_CAUSES: readonly RootCause[] = [
  'system_failure',
  'human_error',
  'malicious_action',
  'third_party_failure',
  'natural_phenomenon',
];

export type ObservableType =
  | 'ipv4'
  | 'ipv6'
  | 'domain'
  | 'url'
  | 'md5'
  | 'sha1'
  | 'sha256'
  | 'sha512'
  | 'email'
  | 'cve';

export const OBSERVABLE_TYPES: readonly ObservableType[] = [
  'ipv4',
  'ipv6',
  'domain',
  'url',
  'md5',
  'sha1',
  'sha256',
  'sha512',
  'email',
  'cve',
];

export const TLP_LABELS = ['TLP:CLEAR', 'TLP:GREEN', 'TLP:AMBER', 'TLP:AMBER+STRICT', 'TLP:RED'] as const;
export const PAP_LABELS = ['PAP:CLEAR', 'PAP:GREEN', 'PAP:AMBER', 'PAP:RED'] as const;

export interface Impact {
  users_affected: number | null;
  duration_hours: number | null;
  financial_loss_eur: number | null;
  sites_or_regions: number | null;
  cross_border: boolean;
}

/** Who reported: the name, or for a case held anonymised only a label such as "Health operator (large)". */
export interface CaseOrganisation {
  id: string | null;
  name: string | null;
  short_name: string | null;
  label: string;
  anonymised: boolean;
}

export interface IncidentSummary {
  id: string;
  reference: string;
  sector_id: string;
  profile_id: string;
  title: string;
  summary: string;
  aware_at: string;
  occurred_at: string | null;
  suspected_malicious: Malicious;
  may_affect_others: boolean;
  affects_others_note: string;
  affected_services: string[];
  voluntary: boolean;
  rsit_class: string | null;
  rsit_type: string | null;
  severity: Severity | null;
  severity_rule: string;
  significant: boolean | null;
  impact: Impact;
  root_cause: RootCause | null;
  state: CaseState;
  early_warning_at: string | null;
  notification_at: string | null;
  final_at: string | null;
  resolved_at: string | null;
  closed_at: string | null;
  next_due_at: string | null;
  next_due_stage: Stage | null;
  overdue: boolean;
  feedback_due_at: string | null;
  feedback_at: string | null;
  assignee_id: string | null;
  duplicate_of: string | null;
  version: number;
  created_at: string;
  updated_at: string;
  organisation: CaseOrganisation;
  sector_name: string;
}

export interface You {
  relations: Relation[];
  may_report: boolean;
  may_comment: boolean;
  may_request: boolean;
  may_handle: boolean;
  may_forward: boolean;
  may_task: boolean;
  may_attach: boolean;
  next_states: CaseState[];
  comment_visibilities: Visibility[];
}

export interface Clock {
  stage: Stage;
  due_at: string | null;
  submitted_at: string | null;
  state: ClockState;
}

export interface Party {
  organisation_id: string | null;
  name: string;
  relation: Relation;
}

export type HandoverMode = 'filed' | 'copy' | 'on_receipt' | 'after_review' | 'anonymised' | 'direct';

export interface Handover {
  id: string;
  from: string;
  from_organisation_id: string | null;
  to: string;
  to_organisation_id: string;
  mode: HandoverMode;
  created_at: string;
  due_at: string | null;
  delivered_at: string | null;
  anonymised: boolean;
  overdue: boolean;
}

export interface StageReport {
  id: string;
  seq: number;
  stage: Stage;
  due_at: string | null;
  submitted_at: string;
  on_time: 'on_time' | 'late';
  submitted_by: string;
  request_id: string | null;
  body: Record<string, unknown>;
}

export interface ReportRequest {
  id: string;
  requested_by: string;
  question: string;
  requested_at: string;
  due_at: string;
  answered_at: string | null;
}

export interface Observable {
  id: string;
  type: ObservableType;
  value: string;
  tlp: string;
  tlp_marking: string;
  pap: string;
  note: string;
  created_at: string;
}

export type EventKind =
  | 'filed'
  | 'report'
  | 'handover'
  | 'state'
  | 'assigned'
  | 'comment'
  | 'request'
  | 'observable'
  | 'link'
  | 'merged'
  | 'absorbed'
  | 'disclosure'
  | 'attachment'
  | 'correlation';

export interface TimelineEntry {
  id: string;
  at: string;
  kind: EventKind;
  visibility: Visibility;
  actor: string;
  actor_organisation: string;
  text: string;
  data: Record<string, unknown>;
}

export type LinkKind = 'related' | 'repeats' | 'repeated_by' | 'merged_into' | 'absorbed';

export interface CaseLink {
  incident_id: string;
  reference: string;
  title: string;
  state: CaseState;
  kind: LinkKind;
  note: string;
  created_at: string;
}

export type TaskStatus = 'open' | 'done' | 'cancelled';

export interface CaseTask {
  id: string;
  incident_id: string;
  organisation_id: string;
  title: string;
  description: string;
  assignee_id: string | null;
  assignee_name: string | null;
  due_at: string | null;
  overdue: boolean;
  status: TaskStatus;
  created_by: string;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  version: number;
}

export type DisclosureState = 'pending' | 'approved' | 'refused' | 'released';

/** A law-enforcement request for a case's data, and the CERT's decisions on it. */
export interface DisclosureRequest {
  id: string;
  authority: string;
  legal_basis: string;
  scope: string;
  state: DisclosureState;
  recorded_by: string;
  recorded_at: string;
  released_at: string | null;
  released_by: string | null;
  approvals_needed: number;
  decisions: { by: string; decision: 'approve' | 'refuse'; reason: string; at: string }[];
}

export interface IncidentCase extends IncidentSummary {
  you: You;
  links: CaseLink[];
  tasks: CaseTask[];
  clocks: Clock[];
  parties: Party[];
  handovers: Handover[];
  reports: StageReport[];
  requests: ReportRequest[];
  observables: Observable[];
  timeline: TimelineEntry[];
}

export interface ForwardingItem {
  handover_id: string;
  incident_id: string;
  reference: string;
  title: string;
  sector_name: string;
  from_organisation_id: string;
  to_organisation_id: string;
  mode: string;
  received_at: string;
  due_at: string | null;
  remaining_minutes: number | null;
  overdue: boolean;
}

/** Reporting compliance of an organisation, a sector or all the cases the caller holds. */
export interface ComplianceFigures {
  id: string;
  name: string;
  incidents: number;
  stages_due: number;
  stages_on_time: number;
  /** 0–1, or null when no stage was due. */
  on_time_share: number | null;
  median_hours_to_early_warning: number | null;
  median_days_to_final: number | null;
  overdue_now: number;
}

export interface Compliance {
  from: string;
  to: string;
  organisations: ComplianceFigures[];
  sectors: ComplianceFigures[];
  total: ComplianceFigures;
}

interface Thresholds {
  medium: number | null;
  high: number | null;
  critical: number | null;
}

export interface ReportingProfile {
  id: string;
  name: string;
  early_warning_within_hours: number;
  notification_within_hours: number;
  final_within_days: number;
  intermediate_within_hours: number;
  thresholds: Record<'users_affected' | 'duration_hours' | 'financial_loss_eur' | 'sites_or_regions', Thresholds>;
  cross_border_at_least: Severity;
  significant_from: Severity;
  required_fields: Record<Stage, string[]>;
  also_required: Record<Stage, string[]>;
}

/** A sector's profile in force, beside the national law it must stay within. */
export interface SectorProfile {
  sector_id: string;
  profile: ReportingProfile;
  base_id: string;
  own: boolean;
  version: number | null;
  law: ReportingProfile;
  may_add_fields: Record<Stage, string[]>;
}

export interface TaxonomyType {
  id: string;
  name: string;
  description: string;
  data_quality: boolean;
}

export interface TaxonomyClass extends TaxonomyType {
  types: TaxonomyType[];
}

export interface Taxonomy {
  urn: string;
  name: string;
  version: string;
  source: string;
  classes: TaxonomyClass[];
}

/** An observable as a form sends it. */
export interface NewObservable {
  type: ObservableType;
  value: string;
  tlp?: string;
  pap?: string;
  note?: string;
}

// ---- words ----

const STATE_LABELS: Record<CaseState, string> = {
  submitted: 'Submitted',
  acknowledged: 'Acknowledged',
  triaged: 'Triaged',
  in_progress: 'In progress',
  resolved: 'Resolved',
  closed: 'Closed',
  rejected: 'Rejected',
  duplicate: 'Duplicate',
  merged: 'Merged',
};

/** What the button that moves a case to a state says. */
const STATE_ACTIONS: Record<CaseState, string> = {
  submitted: 'Reopen',
  acknowledged: 'Acknowledge',
  triaged: 'Mark triaged',
  in_progress: 'Start handling',
  resolved: 'Mark resolved',
  closed: 'Close',
  rejected: 'Reject',
  duplicate: 'Mark as duplicate',
  merged: 'Merge',
};

const STAGE_LABELS: Record<Stage, string> = {
  early_warning: 'Early warning',
  notification: 'Notification',
  intermediate: 'Intermediate report',
  final: 'Final report',
  progress: 'Progress report',
};

const CLOCK_LABELS: Record<ClockState, string> = {
  waiting: 'Waiting',
  overdue: 'Overdue',
  on_time: 'On time',
  late: 'Late',
  not_needed: 'Not needed',
};

const RELATION_LABELS: Record<Relation, string> = {
  reporter: 'Reporting organisation',
  regulator: 'Regulator',
  sector_cert: 'Sector CERT',
  national_cert: 'National CERT',
  national_cert_anonymised: 'National CERT (anonymised)',
};

const VISIBILITY_LABELS: Record<Visibility, string> = {
  all: 'Everyone on the case',
  authorities: 'Authorities only',
  certs: 'CERTs only',
};

const HANDOVER_LABELS: Record<HandoverMode, string> = {
  filed: 'Filed with the regulator',
  copy: 'Copy to the sector CERT',
  on_receipt: 'Under the MOU: on receipt',
  after_review: "Under the MOU: after the regulator's review",
  anonymised: 'Under the MOU: anonymised',
  direct: 'Directly: no MOU applies',
};

const ROOT_CAUSE_LABELS: Record<RootCause, string> = {
  system_failure: 'System failure',
  human_error: 'Human error',
  malicious_action: 'Malicious action',
  third_party_failure: 'Failure of a third party',
  natural_phenomenon: 'Natural phenomenon',
};

const MALICIOUS_LABELS: Record<Malicious, string> = {
  yes: 'Yes',
  no: 'No',
  unknown: 'Not known yet',
};

const EVENT_LABELS: Record<string, string> = {
  filed: 'Filed',
  report: 'Report',
  handover: 'Hand-over',
  state: 'State',
  assigned: 'Assignment',
  comment: 'Comment',
  request: 'Request',
  observable: 'Observables',
  link: 'Link',
  merged: 'Merged',
  absorbed: 'Merge',
  disclosure: 'Disclosure',
  attachment: 'Attachment',
  correlation: 'Correlation',
};

const OBSERVABLE_LABELS: Record<ObservableType, string> = {
  ipv4: 'IPv4 address',
  ipv6: 'IPv6 address',
  domain: 'Domain',
  url: 'URL',
  md5: 'MD5',
  sha1: 'SHA-1',
  sha256: 'SHA-256',
  sha512: 'SHA-512',
  email: 'E-mail address',
  cve: 'CVE',
};

/** Labels of the fields of stage reports, as their bodies name them. */
const FIELD_LABELS: Record<string, string> = {
  title: 'What happened',
  summary: 'Summary',
  aware_at: 'Aware since',
  occurred_at: 'Occurred at',
  suspected_malicious: 'Suspected malicious',
  may_affect_others: 'May affect others',
  affects_others_note: 'Who else may be affected',
  affected_services: 'Affected services',
  voluntary: 'Voluntary report',
  sector_id: 'Sector',
  initial_assessment: 'Initial assessment',
  update: 'Update',
  description: 'Description',
  mitigations_applied: 'Mitigations applied',
  mitigations_ongoing: 'Mitigations ongoing',
  cross_border_impact: 'Cross-border impact',
  status: 'Status',
  root_cause: 'Root cause',
  request_id: 'Answers the request',
  resolved_at: 'Resolved at',
  expected_resolution_at: 'Expected resolution',
  users_affected: 'Users affected',
  duration_hours: 'Duration (hours)',
  financial_loss_eur: 'Financial loss (EUR)',
  sites_or_regions: 'Sites or regions',
  cross_border: 'Cross-border',
  rsit_class: 'Incident class',
  rsit_type: 'Incident type',
  severity: 'Severity',
  observables: 'Observables',
};

const lookup = <K extends string>(table: Record<K, string>, key: string): string => table[key as K] ?? key;

const LINK_LABELS: Record<string, string> = {
  related: 'Related',
  repeats: 'Repeats',
  repeated_by: 'Repeated by',
  merged_into: 'Merged into',
  absorbed: 'Absorbed',
};

export const linkLabel = (s: string) => lookup(LINK_LABELS, s);
export const stateLabel = (s: string) => lookup(STATE_LABELS, s);
export const stateAction = (s: string) => lookup(STATE_ACTIONS, s);
export const stageLabel = (s: string) => lookup(STAGE_LABELS, s);
export const clockLabel = (s: string) => lookup(CLOCK_LABELS, s);
export const relationLabel = (s: string) => lookup(RELATION_LABELS, s);
export const visibilityLabel = (s: string) => lookup(VISIBILITY_LABELS, s);
export const handoverLabel = (s: string) => lookup(HANDOVER_LABELS, s);
export const rootCauseLabel = (s: string) => lookup(ROOT_CAUSE_LABELS, s);
export const maliciousLabel = (s: string) => lookup(MALICIOUS_LABELS, s);
export const eventLabel = (s: string) => lookup(EVENT_LABELS, s);
export const observableLabel = (s: string) => lookup(OBSERVABLE_LABELS, s);
export const fieldLabel = (s: string) => lookup(FIELD_LABELS, s);

export function severityLabel(s: string | null): string {
  return s ? s.charAt(0).toUpperCase() + s.slice(1) : 'Not assessed';
}

// ---- reference data, fetched once per page load ----

let taxonomy: Promise<Taxonomy> | null = null;
let profiles: Promise<ReportingProfile[]> | null = null;

function once<T>(load: () => Promise<T>, set: (p: Promise<T> | null) => void): Promise<T> {
  const p = load();
  set(p);
  p.catch(() => set(null));
  return p;
}

export function loadTaxonomy(): Promise<Taxonomy> {
  return taxonomy ?? once(() => api.get<Taxonomy>('/taxonomies/rsit'), (p) => (taxonomy = p));
}

export function loadProfiles(): Promise<ReportingProfile[]> {
  return (
    profiles ??
    once(
      async () => (await api.get<Page<ReportingProfile>>('/reporting-profiles')).items,
      (p) => (profiles = p),
    )
  );
}

const profileById = new Map<string, Promise<ReportingProfile>>();

/** One profile by id: built in, or a version of a sector's own (never changes once saved). */
export function loadProfile(id: string): Promise<ReportingProfile> {
  let p = profileById.get(id);
  if (!p) {
    p = api.get<ReportingProfile>(`/reporting-profiles/${encodeURIComponent(id)}`);
    profileById.set(id, p);
    p.catch(() => profileById.delete(id));
  }
  return p;
}

/** The profile each of these sectors files new cases under. */
export async function loadSectorProfiles(sectorIds: readonly string[]): Promise<SectorProfile[]> {
  const unique = [...new Set(sectorIds)];
  return Promise.all(unique.map((id) => api.get<SectorProfile>(`/sectors/${encodeURIComponent(id)}/reporting-profile`)));
}

/** "Malicious code: Infected system", or the machine names when the taxonomy does not know them. */
export function classificationLabel(t: Taxonomy | undefined, cls: string | null, type: string | null): string {
  if (!cls) return 'Not classified yet';
  const c = t?.classes.find((k) => k.id === cls);
  const ty = c?.types.find((k) => k.id === type);
  return `${c?.name ?? cls}${type ? `: ${ty?.name ?? type}` : ''}`;
}

// ---- what to offer whom ----

const READ_ROLES = ['org_admin', 'ciso', 'reporter', 'management', 'auditor', 'analyst'];
const FILE_ROLES = ['org_admin', 'ciso', 'reporter'];
const ANALYST_ROLES = ['org_admin', 'analyst'];

/** Whether any membership lets the person follow incident cases at all. */
export function mayReadIncidents(session: Session): boolean {
  return session.memberships.some((m) => m.roles.some((r) => READ_ROLES.includes(r)));
}

/** The organisations the person may file an incident for: operators and government bodies. */
export function filingOrganisations(session: Session) {
  return session.memberships
    .filter(
      (m) =>
        (m.organisation.kind === 'operator' || m.organisation.kind === 'government') &&
        m.roles.some((r) => FILE_ROLES.includes(r)),
    )
    .map((m) => m.organisation);
}

/** A regulator's analysts and administrators forward reports waiting in its inbox. */
export function mayForward(session: Session): boolean {
  return session.memberships.some(
    (m) => m.organisation.kind === 'regulator' && m.roles.some((r) => ANALYST_ROLES.includes(r)),
  );
}

/** CERT analysts triage: the board is their view of the list. */
export function isCertAnalyst(session: Session): boolean {
  return session.memberships.some(
    (m) =>
      (m.organisation.kind === 'sector_cert' || m.organisation.kind === 'national_cert') &&
      m.roles.some((r) => ANALYST_ROLES.includes(r)),
  );
}
