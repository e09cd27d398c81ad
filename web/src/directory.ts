// The national directory as the pages read it: sectors, organisations and MOUs,
// fetched whole (a country has hundreds of organisations, not millions) and
// kept for the session so that names can be shown for ids everywhere.

import { listAll } from './api';
import type { Mou, Organisation, OrgKind, Sector } from './types';

export interface Directory {
  sectors: Sector[];
  organisations: Organisation[];
  mous: Mou[];
  sectorById: Map<string, Sector>;
  orgById: Map<string, Organisation>;
}

let cached: Promise<Directory> | null = null;

/** The whole directory; fetched once per session unless invalidated. */
export function loadDirectory(): Promise<Directory> {
  if (!cached) {
    cached = fetchDirectory();
    cached.catch(() => {
      cached = null;
    });
  }
  return cached;
}

/** Forget the cached directory (after an edit, or at sign-out). */
export function invalidateDirectory(): void {
  cached = null;
}

async function fetchDirectory(): Promise<Directory> {
  const [sectors, organisations, mous] = await Promise.all([
    listAll<Sector>('/sectors'),
    listAll<Organisation>('/organisations'),
    listAll<Mou>('/mous').catch(() => [] as Mou[]),
  ]);
  sectors.sort((a, b) => a.name.localeCompare(b.name));
  organisations.sort((a, b) => a.name.localeCompare(b.name));
  return {
    sectors,
    organisations,
    mous,
    sectorById: new Map(sectors.map((s) => [s.id, s])),
    orgById: new Map(organisations.map((o) => [o.id, o])),
  };
}

export function orgsInSector(dir: Directory, sectorId: string): Organisation[] {
  return dir.organisations.filter((o) => o.sector_ids.includes(sectorId));
}

export function orgsOfKind<T extends { kind: OrgKind }>(orgs: T[], kind: OrgKind): T[] {
  return orgs.filter((o) => o.kind === kind);
}

/** Organisations of a kind that share at least one sector with sectorIds. */
export function sharingSector(dir: Directory, sectorIds: string[], kind: OrgKind): Organisation[] {
  return dir.organisations.filter((o) => o.kind === kind && o.sector_ids.some((s) => sectorIds.includes(s)));
}

export function sectorNames(dir: Directory, ids: string[]): string {
  const names = ids.map((id) => dir.sectorById.get(id)?.name ?? 'Unknown sector');
  return names.length ? names.join(', ') : 'None';
}

export function orgName(dir: Directory, id: string): string {
  return dir.orgById.get(id)?.name ?? 'Unknown organisation';
}

