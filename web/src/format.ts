// Words and formats shown to people: labels for codes, dates in UTC.

import type { ForwardingMode, OrgKind, SizeClass } from './types';

const KIND_LABELS: Record<OrgKind, string> = {
  national_cert: 'National CERT',
  regulator: 'Regulator',
  sector_cert: 'Sector CERT',
  operator: 'Operator',
  government: 'Government body',
};

const KIND_PLURALS: Record<OrgKind, string> = {
  national_cert: 'National CERT',
  regulator: 'Regulators',
  sector_cert: 'Sector CERTs',
  operator: 'Operators',
  government: 'Government bodies',
};

const ROLE_LABELS: Record<string, string> = {
  org_admin: 'Organisation administrator',
  ciso: 'CISO',
  risk_owner: 'Risk owner',
  reporter: 'Reporter',
  analyst: 'Analyst',
  auditor: 'Auditor',
  management: 'Management',
  viewer: 'Viewer',
};

const MODE_LABELS: Record<ForwardingMode, string> = {
  on_receipt: 'Forward on receipt',
  after_review: 'Forward after regulator review',
  anonymised: 'Forward anonymised',
};

const SIZE_LABELS: Record<SizeClass, string> = {
  micro: 'Micro',
  small: 'Small',
  medium: 'Medium',
  large: 'Large',
};

export function kindLabel(kind: string): string {
  return KIND_LABELS[kind as OrgKind] ?? kind;
}

export function kindPlural(kind: string): string {
  return KIND_PLURALS[kind as OrgKind] ?? kind;
}

export function roleLabel(role: string): string {
  return ROLE_LABELS[role] ?? role;
}

export function rolesLabel(roles: readonly string[]): string {
  return roles.length ? roles.map(roleLabel).join(', ') : 'No role';
}

export function modeLabel(mode: string): string {
  return MODE_LABELS[mode as ForwardingMode] ?? mode;
}

export function sizeLabel(size: SizeClass | null): string {
  return size ? SIZE_LABELS[size] ?? size : 'Not set';
}

export function tierLabel(tier: number | null): string {
  return tier === null || tier === undefined ? 'Not set' : `Tier ${tier}`;
}

const dateTime = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'UTC',
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

const dateOnly = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'UTC',
  year: 'numeric',
  month: 'short',
  day: 'numeric',
});

/** "23 Nov 2026, 08:54 UTC", or the placeholder when there is no time. */
export function formatDateTime(iso: string | null | undefined, none = '—'): string {
  if (!iso) return none;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${dateTime.format(d)} UTC`;
}

/** "23 Nov 2026" (a date or the date part of a time, in UTC). */
export function formatDate(iso: string | null | undefined, none = '—'): string {
  if (!iso) return none;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateOnly.format(d);
}

/** The yyyy-mm-dd of a date or time, for an <input type="date">. */
export function toDateInput(iso: string | null | undefined): string {
  if (!iso) return '';
  return iso.slice(0, 10);
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
