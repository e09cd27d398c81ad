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

/**
 * A span of time in words: "45 min", "3 h", "2 days 5 h", "12 days" (rounded down, so a
 * deadline is never flattered).
 */
export function spanLabel(ms: number): string {
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  if (minutes < 1) return 'less than a minute';
  if (minutes < 90) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h`;
  const days = Math.floor(hours / 24);
  const rest = hours % 24;
  return days < 7 && rest ? `${plural(days, 'day')} ${rest} h` : plural(days, 'day');
}

/** "due in 3 h" or "overdue by 2 h", for a deadline not met yet. */
export function dueLabel(iso: string, now: number): string {
  const left = Date.parse(iso) - now;
  return left >= 0 ? `due in ${spanLabel(left)}` : `overdue by ${spanLabel(left)}`;
}

/** The value of an <input type="datetime-local"> for a moment, in the browser's time zone. */
export function toLocalInput(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T${two(d.getHours())}:${two(d.getMinutes())}`;
}

/** An <input type="datetime-local"> value (local time) as RFC 3339 UTC, or null when empty or invalid. */
export function fromLocalInput(value: string): string | null {
  if (!value) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** "UTC+04:00": the browser's offset, so a local time field says what it means. */
export function localZoneLabel(): string {
  const offset = -new Date().getTimezoneOffset();
  if (offset === 0) return 'UTC';
  const sign = offset > 0 ? '+' : '−';
  const a = Math.abs(offset);
  return `UTC${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}
