// Shapes of the Rampart API (version 1) as the browser uses them.
// Times are RFC 3339 UTC strings; ids are UUID strings.

export type OrgKind = 'operator' | 'government' | 'regulator' | 'sector_cert' | 'national_cert';

export const ORG_KINDS: readonly OrgKind[] = [
  'national_cert',
  'regulator',
  'sector_cert',
  'operator',
  'government',
];

export type Role =
  | 'org_admin'
  | 'ciso'
  | 'risk_owner'
  | 'reporter'
  | 'analyst'
  | 'auditor'
  | 'management'
  | 'viewer';

export const ROLES: readonly Role[] = [
  'org_admin',
  'ciso',
  'risk_owner',
  'reporter',
  'analyst',
  'auditor',
  'management',
  'viewer',
];

export interface User {
  id: string;
  username: string;
  display_name: string;
  email: string;
  is_admin: boolean;
  totp_enabled: boolean;
  disabled: boolean;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface OrgRef {
  id: string;
  name: string;
  short_name: string;
  kind: OrgKind;
  sector_ids: string[];
}

export interface Membership {
  organisation: OrgRef;
  roles: string[];
}

export interface Session {
  user: User;
  memberships: Membership[];
  csrf_token: string;
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export interface Sector {
  id: string;
  slug: string;
  name: string;
  description: string;
  organisation_count: number;
  version: number;
  created_at: string;
  updated_at: string;
}

export type SizeClass = 'micro' | 'small' | 'medium' | 'large';

export interface Organisation extends OrgRef {
  criticality_tier: 1 | 2 | 3 | null;
  size_class: SizeClass | null;
  website: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface Person {
  user: User;
  roles: string[];
}

export interface Token {
  id: string;
  name: string;
  prefix: string;
  created_at: string;
  expires_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface CreatedToken {
  token: Token;
  secret: string;
}

export type ForwardingMode = 'on_receipt' | 'after_review' | 'anonymised';

export const FORWARDING_MODES: readonly ForwardingMode[] = ['on_receipt', 'after_review', 'anonymised'];

export interface Mou {
  id: string;
  sector_id: string;
  regulator_id: string;
  national_cert_id: string;
  forwarding_mode: ForwardingMode;
  forward_within_hours: number;
  effective_from: string;
  effective_to: string | null;
  notes: string;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface TotpEnrolment {
  secret: string;
  otpauth_uri: string;
}
