// Sharing as the browser uses it: advisories, acknowledgements, sharing groups and the audience
// preview. The server's audience engine decides who sees what; these helpers only choose what to
// offer (a CERT analyst is offered the composer, an organisation the acknowledgement buttons).

import type { Session } from './types';

export type Severity = 'info' | 'low' | 'medium' | 'high' | 'critical';
export const SEVERITIES: readonly Severity[] = ['info', 'low', 'medium', 'high', 'critical'];

export type TlpLabel = 'TLP:CLEAR' | 'TLP:GREEN' | 'TLP:AMBER' | 'TLP:AMBER+STRICT' | 'TLP:RED';
export const TLP_LABELS: readonly TlpLabel[] = ['TLP:CLEAR', 'TLP:GREEN', 'TLP:AMBER', 'TLP:AMBER+STRICT', 'TLP:RED'];

export type Distribution = 'organisation' | 'sector' | 'national' | 'public';
export const DISTRIBUTIONS: readonly Distribution[] = ['organisation', 'sector', 'national', 'public'];

export type AckState = 'read' | 'applied' | 'not_affected';
export const ACK_STATES: readonly AckState[] = ['read', 'applied', 'not_affected'];

export interface SharingOrg {
  id: string;
  name: string;
  short_name: string;
  kind: string;
}

export interface Tlp {
  label: TlpLabel;
  marking_id: string;
}

export interface Ack {
  state: AckState;
  note: string;
  advisory_id: string;
  by: string | null;
  at: string;
}

export interface AdvisorySummary {
  id: string;
  reference: string;
  revision: number;
  state: 'draft' | 'published' | 'superseded';
  title: string;
  severity: Severity;
  tlp: Tlp;
  distribution: Distribution;
  cve_ids: string[];
  author: SharingOrg;
  published_at: string | null;
  updated_at: string;
  acknowledgements: { organisation_id: string; current: Ack | null }[];
}

export interface AffectedProduct {
  vendor: string;
  product: string;
  versions: string;
}

export interface Advisory {
  id: string;
  series_id: string;
  reference: string;
  revision: number;
  state: 'draft' | 'published' | 'superseded';
  title: string;
  summary: string;
  severity: Severity;
  affected_products: AffectedProduct[];
  cve_ids: string[];
  recommended_actions: string;
  observables: { type: string; value: string }[];
  tlp: Tlp;
  distribution: Distribution;
  sectors: { id: string; name: string }[];
  group: { id: string; name: string } | null;
  author: SharingOrg;
  recipient_organisations: SharingOrg[];
  recipient_people: { id: string; display_name: string | null }[];
  changelog: string;
  published_at: string | null;
  published_by: string | null;
  created_at: string;
  updated_at: string;
  version: number;
  revisions: { id: string; revision: number; state: string; changelog: string; published_at: string | null }[];
  you: {
    may_edit: boolean;
    may_publish: boolean;
    may_correct: boolean;
    acknowledge_as: { organisation_id: string; name: string; may_pass_on: boolean; current: Ack | null }[];
  };
}

export interface AckDashboard {
  advisory_id: string;
  reference: string;
  severity: Severity;
  summary: {
    audience: number;
    acknowledged: number;
    read: number;
    applied: number;
    not_affected: number;
    pending: number;
    pending_critical: number;
  };
  items: {
    organisation: SharingOrg & { criticality_tier: number | null };
    current: Ack | null;
  }[];
}

export interface AudienceRequest {
  author_org_id: string;
  tlp: string;
  distribution: Distribution;
  sector_ids?: string[];
  group_id?: string | null;
  recipient_org_ids?: string[];
  recipient_user_ids?: string[];
}

export interface AudiencePreview {
  allowed: boolean;
  refusal: { field: string; reason: string } | null;
  tlp: Tlp;
  organisations: SharingOrg[];
  organisation_count: number;
  people: { id: string; display_name: string | null }[];
  anonymous_public: boolean;
}

export interface SharingGroup {
  id: string;
  name: string;
  description: string;
  owner: SharingOrg;
  members: SharingOrg[];
  member_count: number;
  uses: number;
  you: { may_edit: boolean };
  version: number;
  created_at: string;
  updated_at: string;
}

const SEVERITY_LABELS: Record<Severity, string> = {
  info: 'Information',
  low: 'Low',
  medium: 'Medium',
  high: 'High',
  critical: 'Critical',
};
export function severityLabel(s: string): string {
  return SEVERITY_LABELS[s as Severity] ?? s;
}

const DISTRIBUTION_LABELS: Record<Distribution, string> = {
  organisation: 'Own organisation only',
  sector: 'Sector community',
  national: 'National community',
  public: 'Public',
};
export function distributionLabel(d: string): string {
  return DISTRIBUTION_LABELS[d as Distribution] ?? d;
}

const TLP_HINTS: Record<TlpLabel, string> = {
  'TLP:CLEAR': 'No limit: may be published.',
  'TLP:GREEN': 'The community it is shared in, not the public.',
  'TLP:AMBER': 'The recipient organisations, and those they serve on a need-to-know basis.',
  'TLP:AMBER+STRICT': 'The recipient organisations only.',
  'TLP:RED': 'The named people only.',
};
export function tlpHint(label: string): string {
  return TLP_HINTS[label as TlpLabel] ?? '';
}

/** The CSS class of a label's badge: tlp-clear, tlp-green, tlp-amber, tlp-amber-strict, tlp-red. */
export function tlpClass(label: string): string {
  return 'tlp tlp-' + label.replace('TLP:', '').replace('+', '-').toLowerCase();
}

const ACK_LABELS: Record<AckState, string> = {
  read: 'Read',
  applied: 'Applied',
  not_affected: 'Not affected',
};
export function ackLabel(s: string): string {
  return ACK_LABELS[s as AckState] ?? s;
}

/** The CERTs for which the person writes advisories: analysts of a national or sector CERT. */
export function publishingCerts(session: Session) {
  return session.memberships.filter(
    (m) => (m.organisation.kind === 'national_cert' || m.organisation.kind === 'sector_cert') && m.roles.includes('analyst'),
  );
}

/** The organisations whose sharing groups the person keeps. */
export function groupKeeperships(session: Session) {
  return session.memberships.filter((m) => m.roles.some((r) => r === 'org_admin' || r === 'ciso' || r === 'analyst'));
}
