// Risk analysis as the browser uses it: shapes of the API under
// /organisations/{id}/risk, labels, paths of the pages, and who the interface offers what.
// The server decides every permission; these helpers only choose what to show.

import { api, listAll } from './api';
import { canManagePeople } from './session';
import type { Membership, Person, Session } from './types';

export type Method = 'itv' | 'matrix' | 'operational';
export const METHODS: readonly Method[] = ['itv', 'matrix', 'operational'];
export type Criterion = 'confidentiality' | 'integrity' | 'availability' | 'authenticity';
export const CRITERIA: readonly Criterion[] = ['confidentiality', 'integrity', 'availability', 'authenticity'];
export type Treatment = 'none' | 'reduce' | 'accept' | 'avoid' | 'share';
export const TREATMENTS: readonly Treatment[] = ['none', 'reduce', 'accept', 'avoid', 'share'];
export type AssetType =
  | 'business_process'
  | 'information'
  | 'hardware'
  | 'software'
  | 'network'
  | 'people'
  | 'site'
  | 'organisation';
export const ASSET_TYPES: readonly AssetType[] = [
  'business_process',
  'information',
  'hardware',
  'software',
  'network',
  'people',
  'site',
  'organisation',
];
export type RecommendationStatus = 'open' | 'in_progress' | 'done' | 'cancelled';
export const RECOMMENDATION_STATUSES: readonly RecommendationStatus[] = ['open', 'in_progress', 'done', 'cancelled'];

export interface Scale {
  min: number;
  max: number;
  labels: string[];
}

export interface Settings {
  method: Method;
  method_version: number;
  impact: Scale;
  likelihood: Scale;
  vulnerability: Scale;
  probability: Scale;
  thresholds: { low_max: number; medium_max: number };
  criteria: { authenticity: boolean };
  consequences: { key: string; name: string }[];
  matrix: { levels: string[]; cells: number[][] };
}

export interface Analysis {
  id: string;
  organisation_id: string;
  name: string;
  description: string;
  current: boolean;
  method: Method;
  method_version: number;
  settings: Settings;
  counts: { assets: number; threats: number; vulnerabilities: number; scenarios: number; recommendations: number };
  created_at: string;
  updated_at: string;
  version: number;
}

export type PerCriterion = Partial<Record<Criterion, number | null>>;

export interface Asset {
  id: string;
  analysis_id: string;
  name: string;
  type: AssetType;
  primary: boolean;
  description: string;
  owner_id: string | null;
  ratings: Partial<Record<Criterion, Record<string, number>>>;
  override: { impact: PerCriterion; reason: string };
  depends_on: string[];
  impact: PerCriterion;
  criticality: number | null;
  criticality_label: string | null;
  criticality_source: 'ratings' | 'inherited' | 'override';
  created_at: string;
  updated_at: string;
  version: number;
}

export interface Threat {
  id: string;
  urn: string;
  custom: boolean;
  family: string;
  name: string;
  description: string;
  criteria: Record<Criterion, boolean>;
  likelihood: number | null;
  version: number;
}

export interface Vulnerability {
  id: string;
  urn: string;
  custom: boolean;
  name: string;
  description: string;
  qualification: number | null;
  version: number;
}

export interface Acceptance {
  id: string;
  accepted_by: string;
  accepted_by_name: string;
  accepted_at: string;
  digest: string;
  note: string;
  stale: boolean;
}

export interface RiskValue {
  risk: number | null;
  level: string | null;
}

export interface Scenario {
  id: string;
  analysis_id: string;
  asset: { id: string; name: string; type: AssetType };
  threat: { id: string; urn: string; name: string };
  vulnerability: { id: string; urn: string; name: string };
  description: string;
  probability: number | null;
  residual_probability: number | null;
  reduction: number;
  controls_in_place: string;
  treatment: Treatment;
  owner_id: string | null;
  planned_controls: string;
  current: RiskValue;
  residual: RiskValue;
  by_criterion: PerCriterion;
  acceptance: Acceptance | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface HeatMap {
  method: Method;
  impact_axis: string;
  likelihood_axis: string;
  cells: { impact: number; likelihood: number; current: number; residual: number }[];
  levels: { level: string | null; current: number; residual: number }[];
}

export type TopRisks = Partial<Record<Criterion, Scenario[]>>;

export interface HistoryEntry {
  at: string;
  actor: string;
  change: Partial<Recommendation>;
}

export interface Recommendation {
  id: string;
  analysis_id: string;
  scenario_id: string | null;
  title: string;
  description: string;
  importance: number;
  responsible_id: string | null;
  due_at: string | null;
  status: RecommendationStatus;
  created_at: string;
  updated_at: string;
  version: number;
  history?: HistoryEntry[];
}

export interface Classification {
  classes: { criticality: number | null; label: string | null; count: number; by_type: Record<string, number> }[];
}

export interface CatalogueThreat {
  urn: string;
  family: string;
  name: string;
  description: string;
  criteria: { confidentiality: boolean; integrity: boolean; availability: boolean };
  origins: string[];
  asset_types: AssetType[];
}

export interface CatalogueVulnerability {
  urn: string;
  name: string;
  description: string;
  asset_types: AssetType[];
  threat_urns: string[];
  controls: string[];
}

export interface Catalogue {
  version: string;
  families: { id: string; name: string; description: string; threats: number }[];
  asset_types: { id: AssetType; primary: boolean }[];
  threats: CatalogueThreat[];
  vulnerabilities: CatalogueVulnerability[];
}

/** The management summary (GET …/summary), built by the snapshots work beside this page. */
export interface Summary {
  organisation: { id: string; name: string };
  analysis: { id: string; name: string; method: Method };
  generated_at: string;
  levels: { current: Record<string, number>; residual: Record<string, number> };
  top: {
    scenario_id: string;
    asset: { id: string; name: string; type: AssetType };
    threat: { id: string; name: string };
    vulnerability?: { id: string; name: string };
    consequences: string[];
    criterion: Criterion;
    current: number | null;
    residual: number | null;
    level: string | null;
    residual_level?: string | null;
    owner: { id: string; name: string } | null;
    treatment: Treatment | null;
    actions: { open: number; overdue: number };
    accepted: boolean;
    acceptance_stale: boolean;
    trend: 'new' | 'up' | 'down' | 'same' | null;
  }[];
  actions: { open: number; overdue: number; done: number };
  acceptances: { current: number; stale: number };
  last_snapshot: { id: string; name: string; taken_at: string } | null;
}

// ---- who may do what (the policy's role sets, mirrored to choose what to show) ----

const READ_ROLES = ['org_admin', 'ciso', 'risk_owner', 'management', 'auditor', 'viewer'];
const WRITE_ROLES = ['org_admin', 'ciso', 'risk_owner'];
const ACCEPT_ROLES = ['management'];

/** The organisations whose risk analyses the person may read. */
export function riskMemberships(session: Session): Membership[] {
  return session.memberships.filter((m) => m.roles.some((r) => READ_ROLES.includes(r)));
}

export function mayReadRisk(session: Session): boolean {
  return riskMemberships(session).length > 0;
}

export function mayWriteRisk(session: Session, orgId: string): boolean {
  const m = session.memberships.find((x) => x.organisation.id === orgId);
  return !!m && m.roles.some((r) => WRITE_ROLES.includes(r));
}

export function mayAcceptRisk(session: Session, orgId: string): boolean {
  const m = session.memberships.find((x) => x.organisation.id === orgId);
  return !!m && m.roles.some((r) => ACCEPT_ROLES.includes(r));
}

// ---- paths ----

export function apiBase(orgId: string, analysisId?: string): string {
  const base = `/organisations/${orgId}/risk`;
  return analysisId ? `${base}/analyses/${analysisId}` : base;
}

/** The page of an analysis: its register, or one of its views ("assets", "heatmap", …). */
export function pagePath(orgId: string, analysisId: string, view = ''): string {
  return `/risk/${orgId}/${analysisId}${view ? `/${view}` : ''}`;
}

// ---- labels ----

const TYPE_LABELS: Record<string, string> = {
  business_process: 'Business process',
  information: 'Information',
  hardware: 'Hardware',
  software: 'Software',
  network: 'Network',
  people: 'People',
  site: 'Site',
  organisation: 'Organisation',
};
export function assetTypeLabel(t: string): string {
  return TYPE_LABELS[t] ?? t;
}

const METHOD_LABELS: Record<string, string> = {
  itv: 'Impact × threat × vulnerability',
  matrix: 'Probability × impact matrix',
  operational: 'Operational risk',
};
export function methodLabel(m: string): string {
  return METHOD_LABELS[m] ?? m;
}

const TREATMENT_LABELS: Record<string, string> = {
  none: 'Not decided',
  reduce: 'Reduce',
  accept: 'Accept',
  avoid: 'Avoid',
  share: 'Share',
};
export function treatmentLabel(t: string | null | undefined): string {
  return t ? (TREATMENT_LABELS[t] ?? t) : '—';
}

const STATUS_LABELS: Record<string, string> = {
  open: 'Open',
  in_progress: 'In progress',
  done: 'Done',
  cancelled: 'Cancelled',
};
export function recommendationStatusLabel(s: string): string {
  return STATUS_LABELS[s] ?? s;
}

const IMPORTANCE_LABELS: Record<number, string> = { 1: 'Low', 2: 'Medium', 3: 'High' };
export function importanceLabel(n: number): string {
  return IMPORTANCE_LABELS[n] ?? String(n);
}

export function criterionLabel(c: string): string {
  return c.charAt(0).toUpperCase() + c.slice(1);
}

export function familyLabel(id: string): string {
  const s = id.replace(/_/g, ' ');
  return s ? s.charAt(0).toUpperCase() + s.slice(1) : 'Own threats';
}

/** The label of a value on a scale ("3 · Serious"), or a dash when unset. */
export function scaleLabel(scale: Scale, v: number | null | undefined): string {
  if (v === null || v === undefined) return '—';
  const label = scale.labels[v - scale.min];
  return label ? `${v} · ${label}` : String(v);
}

export function scaleOptions(scale: Scale, none = 'Not set'): { value: string; label: string }[] {
  const out = [{ value: '', label: none }];
  for (let v = scale.min; v <= scale.max; v++) out.push({ value: String(v), label: scaleLabel(scale, v) });
  return out;
}

/** The levels of an analysis, least serious first: the matrix's names, or low/medium/high. */
export function levelsOf(settings: Settings): string[] {
  return settings.method === 'matrix' ? settings.matrix.levels : ['low', 'medium', 'high'];
}

/** A level's place from 0 (least serious) to 1 (most), for its colour. */
export function levelRank(settings: Settings, level: string | null): number | null {
  if (!level) return null;
  const levels = levelsOf(settings);
  const k = levels.indexOf(level);
  if (k < 0) return null;
  return levels.length === 1 ? 1 : k / (levels.length - 1);
}

/** The CSS class of a level: one of four steps, so any matrix size maps onto the same palette. */
export function levelClass(settings: Settings, level: string | null): string {
  const r = levelRank(settings, level);
  if (r === null) return 'risk-level-none';
  if (r < 0.34) return 'risk-level-low';
  if (r < 0.67) return 'risk-level-medium';
  return r < 1 ? 'risk-level-high' : 'risk-level-top';
}

export function levelLabel(level: string | null): string {
  if (!level) return 'Not scored';
  return level.charAt(0).toUpperCase() + level.slice(1);
}

// ---- loading ----

/**
 * The people of an organisation, when the caller may list them (its administrators and the
 * platform administrator may); null otherwise, without asking, so nobody meets a refusal.
 */
export async function loadPeople(orgId: string, session: Session): Promise<Person[] | null> {
  if (!canManagePeople(session, orgId)) return null;
  try {
    const people = await listAll<Person>(`/organisations/${orgId}/people`);
    return people.sort((a, b) => a.user.display_name.localeCompare(b.user.display_name));
  } catch {
    // Not an administrator: owners are shown by what the caller knows (themselves).
    return null;
  }
}

export function personName(people: Person[] | null, session: Session, id: string | null): string {
  if (!id) return '—';
  if (id === session.user.id) return session.user.display_name;
  return people?.find((p) => p.user.id === id)?.user.display_name ?? 'Another person';
}

/** Options for a person field: everyone listed, or the caller and the current value. */
export function personOptions(
  people: Person[] | null,
  session: Session,
  current: string | null,
  none = 'Nobody',
): { value: string; label: string }[] {
  const out = [{ value: '', label: none }];
  if (people) {
    for (const p of people) if (!p.user.disabled) out.push({ value: p.user.id, label: p.user.display_name });
  } else {
    out.push({ value: session.user.id, label: `${session.user.display_name} (you)` });
  }
  if (current && !out.some((o) => o.value === current)) out.push({ value: current, label: personName(people, session, current) });
  return out;
}

let catalogue: Promise<Catalogue> | null = null;
/** The built-in catalogue, fetched once per page load (it changes only with the server). */
export function loadCatalogue(): Promise<Catalogue> {
  catalogue ??= api.get<Catalogue>('/risk/catalogue').catch((e: unknown) => {
    catalogue = null;
    throw e;
  });
  return catalogue;
}
