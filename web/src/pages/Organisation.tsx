import { api } from '../api';
import { KindBadge, MouLines, SectorLinks } from '../components/Directory';
import { Link } from '../components/Link';
import { Page } from '../components/Page';
import { ErrorMessage, Loading } from '../components/Status';
import { loadDirectory, sharingSector } from '../directory';
import { formatDate, kindLabel, rolesLabel, sizeLabel, tierLabel } from '../format';
import { useAsync } from '../hooks';
import { canManagePeople, membershipOf, useSession } from '../session';
import type { Organisation } from '../types';

/** Only http(s) addresses become links; anything else is shown as text. */
function safeWebsite(url: string | null): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : null;
  } catch {
    return null;
  }
}

export function OrganisationPage({ id }: { id: string }) {
  const { session } = useSession();
  const state = useAsync(async () => {
    const [org, dir] = await Promise.all([
      api.get<Organisation>(`/organisations/${encodeURIComponent(id)}`),
      loadDirectory(),
    ]);
    return { org, dir };
  }, [id]);

  if (state.error) {
    return (
      <Page title="Organisation">
        <ErrorMessage error={state.error} />
        <p>
          <Link href="/organisations">Back to the organisations</Link>
        </p>
      </Page>
    );
  }
  if (!state.data) return <Loading />;
  const { org, dir } = state.data;
  const mine = membershipOf(session, org.id);
  const website = safeWebsite(org.website);
  const reportsTo = org.kind === 'operator' || org.kind === 'government';
  const regulators = sharingSector(dir, org.sector_ids, 'regulator').filter((o) => o.id !== org.id);
  const certs = sharingSector(dir, org.sector_ids, 'sector_cert').filter((o) => o.id !== org.id);
  const mous = dir.mous.filter(
    (m) =>
      m.regulator_id === org.id ||
      m.national_cert_id === org.id ||
      (reportsTo && org.sector_ids.includes(m.sector_id)),
  );

  return (
    <Page
      title={org.name}
      lead={<KindBadge kind={org.kind} />}
      actions={
        canManagePeople(session, org.id) ? (
          <Link href={`/organisations/${org.id}/people`} class="button button-primary">
            People
          </Link>
        ) : undefined
      }
    >
      <nav aria-label="Breadcrumb" class="breadcrumb">
        <Link href="/organisations">Organisations</Link> <span aria-hidden="true">›</span> <span>{org.name}</span>
      </nav>
      <div class="grid-2">
        <section class="card" aria-labelledby="org-details">
          <h2 id="org-details">Details</h2>
          <dl class="details">
            <dt>Name</dt>
            <dd>{org.name}</dd>
            <dt>Short name</dt>
            <dd>{org.short_name || '—'}</dd>
            <dt>Kind</dt>
            <dd>{kindLabel(org.kind)}</dd>
            <dt>Sectors</dt>
            <dd>
              <SectorLinks dir={dir} ids={org.sector_ids} />
            </dd>
            {reportsTo && (
              <>
                <dt>Criticality</dt>
                <dd>{tierLabel(org.criticality_tier)}</dd>
                <dt>Size</dt>
                <dd>{sizeLabel(org.size_class)}</dd>
              </>
            )}
            <dt>Website</dt>
            <dd>
              {website ? (
                <a href={website} rel="noopener noreferrer" target="_blank">
                  {org.website}
                </a>
              ) : (
                org.website || '—'
              )}
            </dd>
            <dt>In the directory since</dt>
            <dd>{formatDate(org.created_at)}</dd>
            {mine && (
              <>
                <dt>Your roles here</dt>
                <dd>{rolesLabel(mine.roles)}</dd>
              </>
            )}
          </dl>
        </section>
        <section class="card" aria-labelledby="org-links">
          <h2 id="org-links">{reportsTo ? 'Reports to' : 'Incident reporting under the MOU'}</h2>
          {reportsTo && (
            <dl class="details">
              <dt>Regulator</dt>
              <dd>
                {regulators.length
                  ? regulators.map((o) => (
                      <div key={o.id}>
                        <Link href={`/organisations/${o.id}`}>{o.name}</Link>
                      </div>
                    ))
                  : '—'}
              </dd>
              <dt>Sector CERT</dt>
              <dd>
                {certs.length
                  ? certs.map((o) => (
                      <div key={o.id}>
                        <Link href={`/organisations/${o.id}`}>{o.name}</Link>
                      </div>
                    ))
                  : '—'}
              </dd>
            </dl>
          )}
          <MouLines mous={mous} dir={dir} none="No MOU concerns this organisation." />
        </section>
      </div>
    </Page>
  );
}
