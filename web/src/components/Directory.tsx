// Pieces that show parts of the directory the same way on every page.

import type { Directory } from '../directory';
import { kindLabel, kindPlural, modeLabel, plural } from '../format';
import { ORG_KINDS, type Mou, type Organisation } from '../types';
import { Link } from './Link';

/** Organisations grouped by kind, each group a list of links. */
export function OrgsByKind({ orgs, headingLevel = 3 }: { orgs: Organisation[]; headingLevel?: 3 | 4 }) {
  if (!orgs.length) return <p class="muted">No organisations yet.</p>;
  const H = headingLevel === 3 ? 'h3' : 'h4';
  return (
    <div class="kind-groups">
      {ORG_KINDS.map((kind) => {
        const group = orgs.filter((o) => o.kind === kind);
        if (!group.length) return null;
        return (
          <section key={kind} class="kind-group" aria-label={kindPlural(kind)}>
            <H>
              {kindPlural(kind)} <span class="count">{group.length}</span>
            </H>
            <ul class="org-list">
              {group.map((o) => (
                <li key={o.id}>
                  <Link href={`/organisations/${o.id}`}>{o.name}</Link>
                  {o.short_name && o.short_name !== o.name && <span class="muted"> ({o.short_name})</span>}
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </div>
  );
}

/** Counts of organisations by kind as a small table. */
export function KindCounts({ orgs, caption }: { orgs: Organisation[]; caption: string }) {
  return (
    <table class="table compact">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Kind</th>
          <th scope="col" class="num">
            Organisations
          </th>
        </tr>
      </thead>
      <tbody>
        {ORG_KINDS.map((kind) => (
          <tr key={kind}>
            <th scope="row">
              <Link href={`/organisations?kind=${kind}`}>{kindPlural(kind)}</Link>
            </th>
            <td class="num">{orgs.filter((o) => o.kind === kind).length}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">All</th>
          <td class="num">{orgs.length}</td>
        </tr>
      </tfoot>
    </table>
  );
}

/** One line per MOU: who forwards to whom, how, and how fast. */
export function MouLines({
  mous,
  dir,
  none = 'No MOU with the national CERT is recorded for this sector.',
}: {
  mous: Mou[];
  dir: Directory;
  none?: string;
}) {
  if (!mous.length) return <p class="muted">{none}</p>;
  return (
    <ul class="mou-lines">
      {mous.map((m) => (
        <li key={m.id}>
          <OrgLink dir={dir} id={m.regulator_id} /> → <OrgLink dir={dir} id={m.national_cert_id} />:{' '}
          <strong>{modeLabel(m.forwarding_mode)}</strong>, within {plural(m.forward_within_hours, 'hour')}
        </li>
      ))}
    </ul>
  );
}

export function OrgLink({ dir, id }: { dir: Directory; id: string }) {
  const org = dir.orgById.get(id);
  if (!org) return <span class="muted">Unknown organisation</span>;
  return <Link href={`/organisations/${org.id}`}>{org.name}</Link>;
}

export function SectorLinks({ dir, ids }: { dir: Directory; ids: string[] }) {
  if (!ids.length) return <span class="muted">None</span>;
  return (
    <>
      {ids.map((id, i) => {
        const s = dir.sectorById.get(id);
        return (
          <span key={id}>
            {i > 0 && ', '}
            {s ? <Link href={`/sectors/${s.id}`}>{s.name}</Link> : 'Unknown sector'}
          </span>
        );
      })}
    </>
  );
}

export function KindBadge({ kind }: { kind: string }) {
  return <span class={`badge badge-${kind}`}>{kindLabel(kind)}</span>;
}
