// Home: what matters to this person, from their memberships and the directory.
//   national CERT or platform admin → the national overview
//   regulator / sector CERT         → their sector(s)
//   operator / government           → their organisation and who it reports to

import { MyTasks } from '../components/CaseWork';
import { KindCounts, MouLines, OrgLink, OrgsByKind, SectorLinks } from '../components/Directory';
import { IncidentStats } from '../components/IncidentStats';
import { Link } from '../components/Link';
import { Page } from '../components/Page';
import { LoadState } from '../components/Status';
import { loadDirectory, orgsInSector, sharingSector, type Directory } from '../directory';
import { kindLabel, modeLabel, rolesLabel, sizeLabel, tierLabel } from '../format';
import { useAsync, useNow } from '../hooks';
import { mayReadIncidents } from '../incidents';
import { useSession } from '../session';
import type { Membership, Organisation } from '../types';

export function HomePage() {
  const { session } = useSession();
  const dir = useAsync(loadDirectory, []);
  const now = useNow();
  const primary = session.memberships[0]?.organisation;
  const national =
    session.user.is_admin || session.memberships.some((m) => m.organisation.kind === 'national_cert');
  const sectorRoles = session.memberships.filter(
    (m) => m.organisation.kind === 'regulator' || m.organisation.kind === 'sector_cert',
  );
  const ownOrgs = session.memberships.filter(
    (m) => m.organisation.kind === 'operator' || m.organisation.kind === 'government',
  );

  return (
    <Page
      title={primary ? primary.name : 'Welcome'}
      lead={<MembershipLine name={session.user.display_name} memberships={session.memberships} />}
    >
      {mayReadIncidents(session) && <IncidentStats />}
      <MyTasks now={now} />
      <LoadState state={dir}>
        {(d) => (
          <>
            {national && <NationalOverview dir={d} />}
            {sectorRoles.map((m) => (
              <SectorView key={m.organisation.id} dir={d} membership={m} />
            ))}
            {ownOrgs.map((m) => (
              <OrganisationView key={m.organisation.id} dir={d} membership={m} />
            ))}
            {!national && !sectorRoles.length && !ownOrgs.length && (
              <section class="card">
                <h2>No organisation yet</h2>
                <p>
                  You are not a member of any organisation. Ask the administrator of your organisation to add you.
                  Meanwhile you can browse the <Link href="/sectors">sectors</Link> and{' '}
                  <Link href="/organisations">organisations</Link>.
                </p>
              </section>
            )}
          </>
        )}
      </LoadState>
    </Page>
  );
}

function MembershipLine({ name, memberships }: { name: string; memberships: Membership[] }) {
  return (
    <>
      Signed in as <strong>{name}</strong>
      {memberships.map((m) => (
        <span key={m.organisation.id}>
          {' · '}
          {rolesLabel(m.roles)}
          {memberships.length > 1 && ` at ${m.organisation.short_name || m.organisation.name}`}
        </span>
      ))}
    </>
  );
}

function NationalOverview({ dir }: { dir: Directory }) {
  const mousOf = (sectorId: string) => dir.mous.filter((m) => m.sector_id === sectorId);
  const now = Date.now();
  const inForce = dir.mous.filter(
    (m) => Date.parse(m.effective_from) <= now && (!m.effective_to || Date.parse(m.effective_to) > now),
  );
  return (
    <section class="home-section" aria-labelledby="national-overview">
      <h2 id="national-overview">National overview</h2>
      <div class="stats">
        <Link href="/sectors" class="stat">
          <span class="stat-value">{dir.sectors.length}</span>
          <span class="stat-label">Critical sectors</span>
        </Link>
        <Link href="/organisations" class="stat">
          <span class="stat-value">{dir.organisations.length}</span>
          <span class="stat-label">Organisations</span>
        </Link>
        <Link href="/organisations?kind=operator" class="stat">
          <span class="stat-value">{dir.organisations.filter((o) => o.kind === 'operator').length}</span>
          <span class="stat-label">CII operators</span>
        </Link>
        <Link href="/mous" class="stat">
          <span class="stat-value">{inForce.length}</span>
          <span class="stat-label">MOUs in force</span>
        </Link>
      </div>
      <div class="grid-2 grid-wide-right">
        <div class="card">
          <KindCounts orgs={dir.organisations} caption="Organisations by kind" />
        </div>
        <div class="card">
          <table class="table compact">
            <caption>Sectors, their regulators and forwarding under the MOU</caption>
            <thead>
              <tr>
                <th scope="col">Sector</th>
                <th scope="col">Regulator(s)</th>
                <th scope="col">Forwarding</th>
              </tr>
            </thead>
            <tbody>
              {dir.sectors.flatMap((s) => {
                const mous = mousOf(s.id);
                const sector = (
                  <th scope="row" rowSpan={Math.max(1, mous.length)}>
                    <Link href={`/sectors/${s.id}`}>{s.name}</Link>
                  </th>
                );
                if (!mous.length) {
                  return [
                    <tr key={s.id}>
                      {sector}
                      <td colSpan={2} class="muted">
                        No MOU recorded
                      </td>
                    </tr>,
                  ];
                }
                return mous.map((m, i) => (
                  <tr key={m.id} class={i < mous.length - 1 ? 'row-continued' : undefined}>
                    {i === 0 && sector}
                    <td>
                      <OrgLink dir={dir} id={m.regulator_id} />
                    </td>
                    <td>
                      {modeLabel(m.forwarding_mode)}
                      <span class="muted">, {m.forward_within_hours} h</span>
                    </td>
                  </tr>
                ));
              })}
            </tbody>
          </table>
        </div>
      </div>
    </section>
  );
}

function SectorView({ dir, membership }: { dir: Directory; membership: Membership }) {
  const org = membership.organisation;
  const sectors = org.sector_ids.map((id) => dir.sectorById.get(id)).filter((s) => !!s);
  const heading = sectors.length > 1 ? 'Your sectors' : 'Your sector';
  const headingId = `sectors-${org.id}`;
  return (
    <section class="home-section" aria-labelledby={headingId}>
      <h2 id={headingId}>
        {heading}
        <span class="heading-note"> as {org.name}</span>
      </h2>
      {!sectors.length && <p class="muted">{org.name} is not attached to a sector yet.</p>}
      {sectors.map((s) => {
        const orgs = orgsInSector(dir, s.id);
        const mous = dir.mous.filter((m) => m.sector_id === s.id);
        return (
          <article key={s.id} class="card">
            <h3>
              <Link href={`/sectors/${s.id}`}>{s.name}</Link>
            </h3>
            {s.description && <p class="muted">{s.description}</p>}
            <div class="grid-2">
              <div>
                <h4>Organisations in the sector ({orgs.length})</h4>
                <OrgsByKind orgs={orgs} headingLevel={4} />
              </div>
              <div>
                <h4>MOU with the national CERT</h4>
                <MouLines mous={mous} dir={dir} />
              </div>
            </div>
          </article>
        );
      })}
    </section>
  );
}

function OrganisationView({ dir, membership }: { dir: Directory; membership: Membership }) {
  const ref = membership.organisation;
  const org: Organisation | undefined = dir.orgById.get(ref.id);
  const sectorIds = org?.sector_ids ?? ref.sector_ids;
  const regulators = sharingSector(dir, sectorIds, 'regulator');
  const certs = sharingSector(dir, sectorIds, 'sector_cert');
  const nationals = dir.organisations.filter((o) => o.kind === 'national_cert');
  const mous = dir.mous.filter((m) => sectorIds.includes(m.sector_id));
  const headingId = `org-${ref.id}`;
  return (
    <section class="home-section" aria-labelledby={headingId}>
      <h2 id={headingId}>Your organisation</h2>
      <div class="grid-2">
        <article class="card">
          <h3>
            <Link href={`/organisations/${ref.id}`}>{ref.name}</Link>
          </h3>
          <dl class="details">
            <dt>Kind</dt>
            <dd>{kindLabel(ref.kind)}</dd>
            <dt>Sectors</dt>
            <dd>
              <SectorLinks dir={dir} ids={sectorIds} />
            </dd>
            <dt>Criticality</dt>
            <dd>{tierLabel(org?.criticality_tier ?? null)}</dd>
            <dt>Size</dt>
            <dd>{sizeLabel(org?.size_class ?? null)}</dd>
            <dt>Your roles</dt>
            <dd>{rolesLabel(membership.roles)}</dd>
          </dl>
          {membership.roles.includes('org_admin') && (
            <p>
              <Link href={`/organisations/${ref.id}/people`} class="button">
                Manage people
              </Link>
            </p>
          )}
        </article>
        <article class="card">
          <h3>Who you report to</h3>
          <dl class="details">
            <dt>{regulators.length > 1 ? 'Regulators' : 'Regulator'}</dt>
            <dd>
              <OrgNames orgs={regulators} none="No regulator recorded for your sectors" />
            </dd>
            <dt>Sector CERT</dt>
            <dd>
              <OrgNames orgs={certs} none="No sector CERT recorded" />
            </dd>
            <dt>National CERT</dt>
            <dd>
              <OrgNames orgs={nationals} none="Not recorded" />
            </dd>
          </dl>
          {mous.length > 0 && (
            <>
              <h4>How your reports travel</h4>
              <p class="muted">
                {regulators.length > 1 ? 'Your regulators forward' : 'Your regulator forwards'} incident reports to the
                national CERT as the MOU says:
              </p>
              <MouLines mous={mous} dir={dir} />
            </>
          )}
        </article>
      </div>
    </section>
  );
}

function OrgNames({ orgs, none }: { orgs: Organisation[]; none: string }) {
  if (!orgs.length) return <span class="muted">{none}</span>;
  return (
    <ul class="plain">
      {orgs.map((o) => (
        <li key={o.id}>
          <Link href={`/organisations/${o.id}`}>{o.name}</Link>
        </li>
      ))}
    </ul>
  );
}
