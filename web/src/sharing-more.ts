// Sharing beyond advisories, as the browser uses it: the disclosure protocol of incidents (a CERT
// asks the reporting organisation's consent to share a reviewed version of a case, then publishes
// it) and the shared incidents everyone reads through the audience engine.

import type { Distribution, SharingOrg, Tlp } from './sharing';

export type ShareForm = 'named' | 'anonymised';
export type ShareState = 'pending' | 'consented' | 'refused' | 'withdrawn' | 'published';

export interface ShareObservable {
  observable_id?: string;
  type: string;
  value: string;
  tlp: Tlp;
}

export interface ShareRequest {
  id: string;
  incident_id: string;
  cert: SharingOrg;
  form: ShareForm;
  title: string;
  text: string;
  observables: ShareObservable[];
  tlp: Tlp;
  distribution: Distribution;
  sectors: { id: string; name: string }[];
  group: { id: string; name: string } | null;
  recipient_organisations: SharingOrg[];
  recipient_people: { id: string; display_name: string | null }[];
  audience: {
    organisations: SharingOrg[];
    organisation_count: number;
    people: { id: string; display_name: string | null }[];
    anonymous_public: boolean;
  };
  digest: string;
  state: ShareState;
  requested_by: string | null;
  requested_at: string;
  answer: { by: string | null; at: string; reason: string; consent_matches: boolean } | null;
  shared_incident_id: string | null;
  updated_at: string;
  version: number;
  you: { may_edit: boolean; may_answer: boolean; may_withdraw: boolean; may_publish: boolean };
}

export interface ShareRequestList {
  items: ShareRequest[];
  you: { may_ask: boolean; may_ask_named: boolean };
}

export interface SharedIncidentSummary {
  id: string;
  reference: string;
  form: ShareForm;
  organisation: { id: string | null; label: string; anonymised: boolean };
  sector: { id: string; name: string };
  rsit_class: string | null;
  rsit_type: string | null;
  severity: string | null;
  title: string;
  observable_count?: number;
  tlp: Tlp;
  distribution: Distribution;
  author: SharingOrg;
  published_at: string;
}

export interface SharedIncident extends SharedIncidentSummary {
  text: string;
  observables: ShareObservable[];
}

const STATE_LABELS: Record<ShareState, string> = {
  pending: 'Waiting for consent',
  consented: 'Consented: may be published',
  refused: 'Refused',
  withdrawn: 'Consent withdrawn',
  published: 'Published',
};
export function shareStateLabel(s: string): string {
  return STATE_LABELS[s as ShareState] ?? s;
}

/** How far a label lets an item travel: CLEAR 0 … RED 4 (AMBER+STRICT narrower than AMBER). */
export function narrowness(label: string): number {
  return ['TLP:CLEAR', 'TLP:GREEN', 'TLP:AMBER', 'TLP:AMBER+STRICT', 'TLP:RED'].indexOf(label);
}

// ---- the guidelines library ----

export type GuidelineState = 'draft' | 'consultation' | 'published' | 'superseded';
export type AdoptionStatus = 'adopted' | 'planned' | 'not_applicable';
export const ADOPTION_STATUSES: readonly AdoptionStatus[] = ['adopted', 'planned', 'not_applicable'];

export interface GuidelineAdoption {
  status: AdoptionStatus;
  version_id: string;
  version_number: number;
  date: string;
  note: string;
  at: string;
}

export interface GuidelineSummary {
  id: string;
  reference: string;
  title: string;
  summary: string;
  topics: string[];
  author: SharingOrg;
  tlp: Tlp;
  published_version: number | null;
  published_at: string | null;
  open_state: 'draft' | 'consultation' | null;
  comments_until: string | null;
  comments_open: boolean;
  adoption: { organisation_id: string; current: GuidelineAdoption | null }[];
}

export interface GuidelineVersion {
  id: string;
  number: number;
  state: GuidelineState;
  title: string;
  summary: string;
  body: string;
  topics: string[];
  controls: { urn: string; framework: string; id: string; title: string }[];
  comments_until: string | null;
  comments_open: boolean;
  changelog: string;
  created_at: string;
  updated_at: string;
  published_at: string | null;
}

export interface GuidelineComment {
  id: string;
  version_id: string;
  version_number: number;
  organisation: SharingOrg;
  by: string | null;
  text: string;
  created_at: string;
  answer: 'open' | 'accepted' | 'rejected';
  answer_reason: string;
  answered_at: string | null;
}

export interface Guideline {
  id: string;
  reference: string;
  title: string;
  author: SharingOrg;
  tlp: Tlp;
  distribution: Distribution;
  sector_ids: string[];
  group_id: string | null;
  recipient_org_ids: string[];
  versions: GuidelineVersion[];
  comments: GuidelineComment[];
  version: number;
  created_at: string;
  updated_at: string;
  you: {
    may_edit: boolean;
    may_open_comments: boolean;
    may_publish: boolean;
    may_revise: boolean;
    may_answer: boolean;
    comment_as: string[];
    adopt_as: { organisation_id: string; name: string; current: GuidelineAdoption | null }[];
  };
}

export interface GuidelineAdoptionView {
  guideline_id: string;
  reference: string;
  sectors: { sector_id: string; name: string; organisations: number; adopted: number; planned: number; not_applicable: number; share: number | null }[];
  items: { organisation: SharingOrg; current: GuidelineAdoption | null }[];
}

const ADOPTION_LABELS: Record<AdoptionStatus, string> = {
  adopted: 'Adopted',
  planned: 'Planned',
  not_applicable: 'Not applicable',
};
export function adoptionLabel(s: string): string {
  return ADOPTION_LABELS[s as AdoptionStatus] ?? s;
}

const GUIDELINE_STATE_LABELS: Record<GuidelineState, string> = {
  draft: 'Draft',
  consultation: 'Open for comments',
  published: 'Published',
  superseded: 'Superseded',
};
export function guidelineStateLabel(s: string): string {
  return GUIDELINE_STATE_LABELS[s as GuidelineState] ?? s;
}
