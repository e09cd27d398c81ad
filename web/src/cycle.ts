// The ISMS cycle: the API's shapes for scope, evaluations, findings, actions, automated results,
// certification, obligations and posture, their paths, and labels people read.

import { API, ApiError, type FieldError } from './api';

export const cyclePath = (orgId: string, rest = '') => `/organisations/${orgId}/isms${rest}`;

export interface Scope {
  version: number;
  statement: string;
  interested_parties: { name: string; expectations: string }[];
  boundaries: string;
  recorded_by: string;
  recorded_by_name: string;
  recorded_at: string;
}
export interface ScopeHistory {
  current: Scope | null;
  history: Scope[];
}

export const EVALUATION_KINDS = ['internal_audit', 'automated', 'peer_comparison', 'formal_audit', 'management_review'] as const;
export type EvaluationKind = (typeof EVALUATION_KINDS)[number];
const KIND_LABELS: Record<string, string> = {
  internal_audit: 'Regular (internal) audit',
  automated: 'Automated controls',
  peer_comparison: 'Comparison with other organisations',
  formal_audit: 'Planned formal audit',
  management_review: 'Management review',
};
export const kindLabel = (k: string) => KIND_LABELS[k] ?? k;

export interface Evaluation {
  id: string;
  kind: EvaluationKind;
  title: string;
  planned_for: string | null;
  done_at: string | null;
  state: 'planned' | 'done';
  overdue: boolean;
  evaluator: string;
  summary: string;
  minutes: string;
  decisions: string;
  chair_id: string | null;
  chair_name: string | null;
  signed_by: string | null;
  signed_by_name: string | null;
  signed_at: string | null;
  findings: number;
  version: number;
}

export interface CycleLink {
  kind: 'control' | 'policy' | 'risk' | 'finding';
  framework_ref: string | null;
  target: string;
  label: string;
}

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export interface Finding {
  id: string;
  evaluation_id: string | null;
  title: string;
  description: string;
  severity: (typeof SEVERITIES)[number];
  status: 'open' | 'closed';
  links: CycleLink[];
  created_at: string;
  version: number;
}

export const LEVELS = ['organisation', 'procedures', 'tools'] as const;
const LEVEL_LABELS: Record<string, string> = {
  organisation: 'Security organisation',
  procedures: 'Operational procedures',
  tools: 'Tools',
};
export const levelLabel = (l: string) => LEVEL_LABELS[l] ?? l;
export const ACTION_STATUSES = ['open', 'in_progress', 'done', 'cancelled'] as const;
const ACTION_STATUS_LABELS: Record<string, string> = { open: 'Open', in_progress: 'In progress', done: 'Done', cancelled: 'Cancelled' };
export const actionStatusLabel = (s: string) => ACTION_STATUS_LABELS[s] ?? s;

export interface ImprovementAction {
  id: string;
  level: (typeof LEVELS)[number];
  title: string;
  description: string;
  owner_id: string | null;
  owner_name: string | null;
  due_at: string;
  status: (typeof ACTION_STATUSES)[number];
  overdue: boolean;
  completed_at: string | null;
  links: CycleLink[];
  version: number;
  history?: { seq: number; at: string; by_name: string; change: Record<string, { before: unknown; after: unknown }> }[];
}

export interface Implementation {
  applicable: number;
  implemented: number;
  partial: number;
  implemented_share: number | null;
  weighted_share: number | null;
}
export interface SectorComparison {
  sector_id: string;
  sector_name: string;
  organisations: number;
  min_cell_organisations: number;
  withheld: boolean;
  average_implemented_share: number | null;
  average_weighted_share: number | null;
}

export const STAGES = ['design', 'implementation', 'evaluation', 'improvement'] as const;
export interface CycleBoard {
  organisation_id: string;
  stage: (typeof STAGES)[number];
  as_of: string;
  design: { scope: Scope | null };
  implementation: { statements: number; figures: Implementation };
  evaluation: {
    kinds: { kind: string; done: number; planned: number; overdue: number; last_done_at: string | null; next_planned_for: string | null }[];
    automated: { last_run_id: string | null; last_run_at: string | null; tool: string | null; pass: number; fail: number; value: number };
    comparison: SectorComparison[];
  };
  improvement: {
    open_findings: number;
    open_findings_by_severity: Record<string, number>;
    open_actions: number;
    open_actions_by_level: Record<string, number>;
    done_actions: number;
    overdue_actions: number;
  };
  overdue: { type: 'evaluation' | 'action'; id: string; title: string; kind: string; due_at: string; days_late: number }[];
}

export interface AutomatedResult {
  id: string;
  run_id: string;
  control_urn: string;
  framework_ref: string;
  requirement_id: string;
  outcome: 'pass' | 'fail' | 'value';
  value: string;
  tool: string;
  observed_at: string;
}

export interface Certification {
  status: 'none' | 'in_progress' | 'certified';
  effective_status: 'none' | 'in_progress' | 'certified' | 'expired';
  certifier: string;
  scope: string;
  certificate_number: string;
  issued_at: string | null;
  expires_at: string | null;
  updated_by: string | null;
  updated_at: string | null;
  version: number;
}
const CERT_LABELS: Record<string, string> = {
  none: 'Not certified',
  in_progress: 'Certification in progress',
  certified: 'Certified',
  expired: 'Certificate expired',
};
export const certificationLabel = (s: string) => CERT_LABELS[s] ?? s;

export const LAW_KINDS = ['cybersecurity', 'cybercrime', 'data_protection', 'sector_regulation', 'other'] as const;
const LAW_KIND_LABELS: Record<string, string> = {
  cybersecurity: 'Cybersecurity law',
  cybercrime: 'Cybercrime law',
  data_protection: 'Data protection law',
  sector_regulation: 'Sector regulation',
  other: 'Other',
};
export const lawKindLabel = (k: string) => LAW_KIND_LABELS[k] ?? k;
export const OBLIGATION_STATUSES = ['not_assessed', 'compliant', 'partial', 'non_compliant', 'not_applicable'] as const;
const OBLIGATION_STATUS_LABELS: Record<string, string> = {
  not_assessed: 'Not assessed',
  compliant: 'Compliant',
  partial: 'Partly compliant',
  non_compliant: 'Not compliant',
  not_applicable: 'Not applicable',
};
export const obligationStatusLabel = (s: string) => OBLIGATION_STATUS_LABELS[s] ?? s;

export interface LibraryLaw {
  urn: string;
  kind: string;
  title: string;
  description: string;
  sectors: string[];
  obligations: { urn: string; title: string; description: string }[];
}
export interface ObligationEvidence {
  id: string;
  kind: 'link' | 'file';
  url: string | null;
  name: string;
  content_url: string | null;
  added_by_name: string;
  added_at: string;
}
export interface Obligation {
  id: string;
  source: 'library' | 'own';
  law_urn: string | null;
  obligation_urn: string | null;
  law_kind: string;
  law_title: string;
  title: string;
  description: string;
  status: (typeof OBLIGATION_STATUSES)[number];
  note: string;
  evidence_count: number;
  version: number;
  evidence?: ObligationEvidence[];
}

export interface Posture {
  organisation_id: string;
  organisation_name: string;
  implementation: Implementation;
  certification: { status: string; expires_at: string | null };
  policy: { in_date: boolean; kind: 'policy' | 'charter' | null; approved_at: string | null; next_review_at: string | null };
  open_findings: number;
  open_actions: number;
  overdue_actions: number;
  overdue_evaluations: number;
}

/** A share in per cent as people read it, or a dash when nothing is measured yet. */
export function share(v: number | null | undefined): string {
  return v === null || v === undefined ? '—' : `${v.toFixed(1)} %`;
}

/** A link to download stored evidence (same origin; the session cookie goes with it). */
export function contentHref(path: string): string {
  return path.startsWith(API) ? path : `${API}${path.replace(/^\/api\/v1/, '')}`;
}

/** The end of the chosen day (UTC) as an RFC 3339 time: a due date is met during its day. */
export function endOfDay(date: string): string | null {
  return date ? `${date}T23:59:59.000Z` : null;
}
export function startOfDay(date: string): string | null {
  return date ? `${date}T00:00:00.000Z` : null;
}

const AUDIT_ROLES = ['org_admin', 'ciso', 'auditor'];
export function mayAudit(roles: string[]): boolean {
  return roles.some((r) => AUDIT_ROLES.includes(r));
}

/**
 * PUT of a record that may already exist (scope, certification): the first write needs no
 * version, later ones send the version read (If-Match), so nobody overwrites a colleague unseen.
 */
export async function putVersioned<T>(path: string, body: unknown, version: number, csrf: string | null): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Content-Type': 'application/json' };
  if (csrf) headers['X-CSRF-Token'] = csrf;
  if (version > 0) headers['If-Match'] = `"${version}"`;
  const res = await fetch(API + path, { method: 'PUT', headers, credentials: 'same-origin', body: JSON.stringify(body) });
  const data: unknown = await res.json().catch(() => ({}));
  if (!res.ok) {
    const p = (data ?? {}) as { type?: string; title?: string; detail?: string; errors?: FieldError[] };
    throw new ApiError({ status: res.status, type: p.type, title: p.title, detail: p.detail, errors: Array.isArray(p.errors) ? p.errors : [] });
  }
  return data as T;
}
