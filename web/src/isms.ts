// Frameworks and the Statement of Applicability: the API's shapes, its paths, and who may do what
// (the policy's role sets, mirrored only to choose what to show; the server decides).

import { API } from './api';
import type { Membership, Session } from './types';

export type SoaStatus = 'not_started' | 'planned' | 'partial' | 'implemented' | 'not_applicable';
export const STATUSES: SoaStatus[] = ['not_started', 'planned', 'partial', 'implemented', 'not_applicable'];
const STATUS_LABELS: Record<SoaStatus, string> = {
  not_started: 'Not started',
  planned: 'Planned',
  partial: 'Partly implemented',
  implemented: 'Implemented',
  not_applicable: 'Not applicable',
};
export function statusLabel(s: string): string {
  return STATUS_LABELS[s as SoaStatus] ?? s;
}

export const REASONS = [
  ['legal', 'Legal'],
  ['contractual', 'Contractual'],
  ['business', 'Business requirement'],
  ['best_practice', 'Best practice'],
  ['risk_analysis', 'Risk analysis'],
] as const;
export type ReasonKey = (typeof REASONS)[number][0];

export interface FrameworkHead {
  urn: string;
  ref: string;
  name: string;
  revision: number;
  edition: string;
  kind: string;
  provider: string;
  description: string;
  source: 'shipped' | 'imported';
  sha256: string;
  counts: { requirements: number; assessable: number };
}
export interface Framework extends FrameworkHead {
  revisions: number[];
}
export interface Requirement {
  id: string;
  urn: string;
  parent: string | null;
  group: string;
  depth: number;
  title: string;
  description: string;
  guidance: string;
  assessable: boolean;
  tags: string[];
}
export interface FrameworkDetail extends FrameworkHead {
  requirements: Requirement[];
}
export interface Mapping {
  framework_ref: string;
  framework_name: string;
  requirement_id: string;
  urn: string;
  title: string;
  relationship: 'equal' | 'subset' | 'superset' | 'intersect';
}
export interface RequirementDetail {
  framework: { urn: string; ref: string; name: string; revision: number };
  requirement: Requirement;
  children: Requirement[];
  mappings: Mapping[];
}

export interface Justification {
  legal: boolean;
  contractual: boolean;
  business: boolean;
  best_practice: boolean;
  risk_analysis: boolean;
  text: string;
}
export interface SoaSummary {
  total: number;
  applicable: number;
  excluded: number;
  by_status: Record<SoaStatus, number>;
  posture: number | null;
  changed_since_approval: number;
}
export interface SoaHead {
  id: string;
  organisation_id: string;
  framework: { urn: string; ref: string; name: string; revision: number; newest_revision: number };
  approved_version: number | null;
  created_at: string;
  updated_at: string;
  version: number;
  summary: SoaSummary;
}
export interface SoaEntry {
  requirement_id: string;
  urn: string;
  group: string;
  title: string;
  applicable: boolean;
  justification: Justification;
  status: SoaStatus;
  maturity: number | null;
  owner_id: string | null;
  owner_name: string | null;
  note: string;
  evidence_count: number;
  changed_since_approval: boolean;
  updated_by: string;
  updated_at: string;
  version: number;
}
export interface SoaTable extends SoaHead {
  groups: { id: string; title: string }[];
  items: SoaEntry[];
  next_cursor: string | null;
}
export interface Evidence {
  id: string;
  kind: 'link' | 'file';
  url: string | null;
  sha256: string | null;
  name: string;
  media_type: string;
  size: number;
  description: string;
  added_by: string;
  added_by_name: string;
  added_at: string;
  content_url: string | null;
}
export interface SoaEntryDetail extends SoaEntry {
  description: string;
  guidance: string;
  evidence: Evidence[];
  risks: { id: string; label: string }[];
  mapped: (Mapping & { assessed: boolean; applicable: boolean | null; status: SoaStatus | null; maturity: number | null })[];
}
export interface SoaVersion {
  number: number;
  sha256: string;
  entries: number;
  note: string;
  approved_by: string;
  approved_by_name: string;
  approved_at: string;
}
export interface SoaDiff {
  from: string;
  to: string;
  changes: { requirement_id: string; title: string; fields: { field: string; before: unknown; after: unknown }[] }[];
}
export interface SoaPatch {
  applicable?: boolean;
  status?: SoaStatus;
  maturity?: number | null;
  owner_id?: string | null;
  note?: string;
  justification?: Partial<Justification>;
  risks?: string[];
}

export function soaPath(orgId: string, ref: string): string {
  return `/organisations/${orgId}/soa/${encodeURIComponent(ref)}`;
}
export function entryPath(orgId: string, ref: string, reqId: string): string {
  return `${soaPath(orgId, ref)}/entries/${encodeURIComponent(reqId)}`;
}
/** The full URL of a download (exports, evidence files), for a plain link. */
export function downloadUrl(path: string): string {
  return path.startsWith('/api/') ? path : API + path;
}

/** Uploads a file as evidence: the body is the file, its name in the query string. */
export async function uploadEvidence(orgId: string, ref: string, reqId: string, file: File, csrf: string | null): Promise<Response> {
  const q = new URLSearchParams({ name: file.name });
  const headers: Record<string, string> = { Accept: 'application/json', 'Content-Type': 'application/octet-stream' };
  if (csrf) headers['X-CSRF-Token'] = csrf;
  return fetch(`${API}${entryPath(orgId, ref, reqId)}/evidence/files?${q}`, {
    method: 'POST',
    headers,
    credentials: 'same-origin',
    body: file,
  });
}

const READ_ROLES = ['org_admin', 'ciso', 'risk_owner', 'management', 'auditor', 'viewer'];
const WRITE_ROLES = ['org_admin', 'ciso', 'risk_owner'];
const APPROVE_ROLES = ['management'];

/** The organisations whose ISMS the person may read. */
export function ismsMemberships(session: Session): Membership[] {
  return session.memberships.filter((m) => m.roles.some((r) => READ_ROLES.includes(r)));
}
export function mayReadIsms(session: Session): boolean {
  return ismsMemberships(session).length > 0;
}
export function mayWriteIsms(session: Session, orgId: string): boolean {
  const m = session.memberships.find((x) => x.organisation.id === orgId);
  return !!m && m.roles.some((r) => WRITE_ROLES.includes(r));
}
export function mayApproveIsms(session: Session, orgId: string): boolean {
  const m = session.memberships.find((x) => x.organisation.id === orgId);
  return !!m && m.roles.some((r) => APPROVE_ROLES.includes(r));
}

/** A changed value as people read it in the diff. */
export function diffValue(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'string') return v === '' ? '(empty)' : statusLabel(v);
  if (Array.isArray(v)) return v.length === 0 ? '(none)' : v.map((x) => (typeof x === 'object' && x ? (x as { name?: string }).name ?? JSON.stringify(x) : String(x))).join(', ');
  return String(v);
}
