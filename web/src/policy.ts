// The security charter and policy: the API's shapes and paths, and labels people read. Who may do
// what is decided by the server; the pages use isms.ts's role helpers only to choose what to show.

import { API } from './api';

export type DocKind = 'charter' | 'policy';
export type DocForm = 'short' | 'full';
export type ReviewState = 'none' | 'in_date' | 'due_soon' | 'overdue';

export interface PolicySection {
  key: string;
  urn: string;
  title: string;
  level: number;
  body: string;
}
export interface PolicyVersionSummary {
  number: number;
  state: 'draft' | 'approved';
  note: string;
  saved_by_name: string;
  saved_at: string;
  sha256: string | null;
  approved_by: string | null;
  approved_by_name: string | null;
  approved_at: string | null;
  approval_note: string;
  next_review_at: string | null;
}
export interface PolicyVersion extends PolicyVersionSummary {
  sections: PolicySection[];
}
interface Head {
  id: string;
  organisation_id: string;
  kind: DocKind;
  form: DocForm;
  title: string;
  newest: number;
  approved: number | null;
  next_review_at: string | null;
  review_state: ReviewState;
  created_at: string;
  updated_at: string;
  version: number;
}
export interface PolicyDocHead extends Head {
  latest_publication: { id: string; number: number; recipients: number; acknowledged: number } | null;
}
export interface PolicyDoc extends Head {
  current: PolicyVersion;
  versions: PolicyVersionSummary[];
}
export interface PolicyDocList {
  items: PolicyDocHead[];
  status: { in_date: boolean; kind: DocKind | null; approved_at: string | null; next_review_at: string | null };
}
export interface Proposal {
  size_class: string | null;
  criticality_tier: number | null;
  maturity: number | null;
  recommended: { kind: DocKind; form: DocForm; reasons: string[] };
  existing: { charter: boolean; policy: boolean };
}
export interface PolicyDiff {
  from: number;
  to: number;
  changes: {
    key: string;
    title: string;
    change: 'added' | 'removed' | 'changed';
    lines: { op: 'same' | 'added' | 'removed'; text: string }[];
  }[];
}
export interface Publication {
  id: string;
  number: number;
  roles: string[];
  message: string;
  published_by_name: string;
  published_at: string;
  recipients: number;
  acknowledged: number;
}
export interface PublicationDetail extends Publication {
  people: { user_id: string; display_name: string; roles: string[]; acknowledged_at: string | null }[];
}
export interface ToAcknowledge {
  publication_id: string;
  organisation_id: string;
  organisation_name: string;
  document_id: string;
  kind: DocKind;
  title: string;
  number: number;
  message: string;
  published_by_name: string;
  published_at: string;
  acknowledged_at: string | null;
}
export interface ToAcknowledgeDetail extends ToAcknowledge {
  sha256: string | null;
  approved_by_name: string | null;
  approved_at: string | null;
  sections: PolicySection[];
}

/** The largest section body the server accepts, in bytes of UTF-8. */
export const MAX_SECTION_BYTES = 32 * 1024;

export function docsPath(orgId: string): string {
  return `/organisations/${orgId}/policy-documents`;
}
export function docPath(orgId: string, docId: string): string {
  return `${docsPath(orgId)}/${docId}`;
}
export function sectionPath(orgId: string, docId: string, number: number, key: string): string {
  return `${docPath(orgId, docId)}/versions/${number}/sections/${encodeURIComponent(key)}`;
}
export function exportUrl(orgId: string, docId: string, ext: 'docx' | 'html', version?: number): string {
  return `${API}${docPath(orgId, docId)}/export.${ext}${version ? `?version=${version}` : ''}`;
}

export function kindName(kind: DocKind): string {
  return kind === 'charter' ? 'Security charter' : 'Security policy';
}
export function formName(kind: DocKind, form: DocForm): string {
  if (kind === 'charter') return 'short charter';
  return form === 'full' ? 'full policy: 11 sections and their subsections' : 'short policy: the 11 sections';
}
const REVIEW_LABELS: Record<ReviewState, string> = {
  none: 'Not approved yet',
  in_date: 'Approved, in date',
  due_soon: 'Review due soon',
  overdue: 'Review overdue',
};
export function reviewLabel(s: ReviewState): string {
  return REVIEW_LABELS[s];
}
export function reviewBadge(s: ReviewState): string {
  return s === 'in_date' ? 'badge badge-on' : s === 'none' ? 'badge' : 'badge badge-pending';
}
/** UTF-8 length of a text, as the server counts it. */
export function byteLength(text: string): number {
  return new TextEncoder().encode(text).length;
}
