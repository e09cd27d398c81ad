// The signed-in person and what their memberships let the interface offer.
// The server decides every permission; these helpers only choose what to show.

import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Membership, OrgKind, Session } from './types';

export interface SessionContextValue {
  session: Session;
  /** Fetch the session again (after a profile change, say). */
  refresh: () => Promise<void>;
  signOut: () => Promise<void>;
}

export const SessionContext = createContext<SessionContextValue | null>(null);

export function useSession(): SessionContextValue {
  const ctx = useContext(SessionContext);
  if (!ctx) throw new Error('useSession outside a signed-in page');
  return ctx;
}

export function membershipsOfKind(session: Session, ...kinds: OrgKind[]): Membership[] {
  return session.memberships.filter((m) => kinds.includes(m.organisation.kind));
}

export function membershipOf(session: Session, orgId: string): Membership | undefined {
  return session.memberships.find((m) => m.organisation.id === orgId);
}

export function hasRole(session: Session, orgId: string, ...roles: string[]): boolean {
  const m = membershipOf(session, orgId);
  return !!m && m.roles.some((r) => roles.includes(r));
}

/** A platform administrator or an org_admin of that organisation. */
export function canManagePeople(session: Session, orgId: string): boolean {
  return session.user.is_admin || hasRole(session, orgId, 'org_admin');
}

/** MOUs are edited by the national CERT's org_admins and analysts, and platform administrators. */
export function canEditMous(session: Session): boolean {
  if (session.user.is_admin) return true;
  return membershipsOfKind(session, 'national_cert').some((m) =>
    m.roles.some((r) => r === 'org_admin' || r === 'analyst'),
  );
}

/** The organisation shown in the header: the first membership, if any. */
export function primaryOrganisation(session: Session): Membership | undefined {
  return session.memberships[0];
}
