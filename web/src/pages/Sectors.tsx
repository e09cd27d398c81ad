import { Link } from '../components/Link';
import { Page } from '../components/Page';
import { LoadState } from '../components/Status';
import { listAll } from '../api';
import { useAsync } from '../hooks';
import type { Sector } from '../types';

async function loadSectors(): Promise<Sector[]> {
  const sectors = await listAll<Sector>('/sectors');
  return sectors.sort((a, b) => a.name.localeCompare(b.name));
}

export function SectorsPage() {
  const sectors = useAsync(loadSectors, []);
  return (
    <Page title="Sectors" lead="The critical sectors of the country and the organisations in each.">
      <LoadState state={sectors}>
        {(items) => (
          <div class="table-wrap">
            <table class="table">
              <caption class="sr-only">Critical sectors</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col" class="hide-narrow">
                    Description
                  </th>
                  <th scope="col" class="num">
                    Organisations
                  </th>
                </tr>
              </thead>
              <tbody>
                {items.map((s) => (
                  <tr key={s.id}>
                    <th scope="row">
                      <Link href={`/sectors/${s.id}`}>{s.name}</Link>
                      <div class="show-narrow muted small">{s.description}</div>
                    </th>
                    <td class="hide-narrow">{s.description}</td>
                    <td class="num">
                      <Link href={`/organisations?sector=${s.id}`}>{s.organisation_count}</Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {!items.length && <p class="muted">No sectors yet.</p>}
          </div>
        )}
      </LoadState>
    </Page>
  );
}
