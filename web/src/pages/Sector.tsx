import { api } from '../api';
import { MouLines, OrgsByKind } from '../components/Directory';
import { Link } from '../components/Link';
import { Page } from '../components/Page';
import { SectorReportingProfile } from '../components/SectorProfile';
import { ErrorMessage, Loading } from '../components/Status';
import { loadDirectory, orgsInSector } from '../directory';
import { useAsync } from '../hooks';
import type { Sector } from '../types';

export function SectorPage({ id }: { id: string }) {
  const state = useAsync(async () => {
    const [sector, dir] = await Promise.all([api.get<Sector>(`/sectors/${encodeURIComponent(id)}`), loadDirectory()]);
    return { sector, dir };
  }, [id]);

  if (state.error) {
    return (
      <Page title="Sector">
        <ErrorMessage error={state.error} />
        <p>
          <Link href="/sectors">Back to the sectors</Link>
        </p>
      </Page>
    );
  }
  if (!state.data) return <Loading />;
  const { sector, dir } = state.data;
  const orgs = orgsInSector(dir, sector.id);
  const mous = dir.mous.filter((m) => m.sector_id === sector.id);
  return (
    <Page
      title={sector.name}
      lead={sector.description}
      actions={
        <Link href={`/organisations?sector=${sector.id}`} class="button">
          Search its organisations
        </Link>
      }
    >
      <nav aria-label="Breadcrumb" class="breadcrumb">
        <Link href="/sectors">Sectors</Link> <span aria-hidden="true">›</span> <span>{sector.name}</span>
      </nav>
      <div class="grid-2 grid-wide-left">
        <section class="card" aria-labelledby="sector-orgs">
          <h2 id="sector-orgs">Organisations ({orgs.length})</h2>
          <OrgsByKind orgs={orgs} />
        </section>
        <section class="card" aria-labelledby="sector-mou">
          <h2 id="sector-mou">MOU with the national CERT</h2>
          <MouLines mous={mous} dir={dir} />
          {mous.map((m) =>
            m.notes ? (
              <p key={m.id} class="muted">
                {m.notes}
              </p>
            ) : null,
          )}
          <p>
            <Link href="/mous">All MOUs</Link>
          </p>
        </section>
      </div>
      <SectorReportingProfile sectorId={sector.id} />
    </Page>
  );
}
