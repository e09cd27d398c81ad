// The framework library: every framework Rampart ships or an administrator imported, its
// requirements as a tree, and one requirement with the requirements of other frameworks it maps to.

import { useState } from 'preact/hooks';
import { api } from '../api';
import { Link } from '../components/Link';
import { Page } from '../components/Page';
import { LoadState } from '../components/Status';
import { useAsync } from '../hooks';
import type { Framework, FrameworkDetail, RequirementDetail } from '../isms';

export function FrameworksPage() {
  const list = useAsync(() => api.get<{ items: Framework[] }>('/frameworks'), []);
  return (
    <Page title="Frameworks" lead="Control frameworks as library data: each statement of applicability is made against one of them.">
      <LoadState state={list}>
        {(data) => (
          <div class="table-wrap">
            <table class="table">
              <caption class="sr-only">Frameworks</caption>
              <thead>
                <tr>
                  <th scope="col">Framework</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Requirements</th>
                  <th scope="col">Assessable</th>
                  <th scope="col">Revision</th>
                  <th scope="col">Source</th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((f) => (
                  <tr key={f.urn}>
                    <th scope="row">
                      <Link href={`/frameworks/${encodeURIComponent(f.ref)}`}>{f.name}</Link>
                      <span class="block small muted">{f.description}</span>
                    </th>
                    <td>{f.kind}</td>
                    <td>{f.counts.requirements}</td>
                    <td>{f.counts.assessable}</td>
                    <td>
                      {f.revision}
                      {f.revisions.length > 1 && <span class="small muted"> (of {f.revisions.join(', ')})</span>}
                    </td>
                    <td>{f.source === 'shipped' ? 'Shipped' : 'Imported'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </LoadState>
    </Page>
  );
}

const RELATION: Record<string, string> = {
  equal: 'same as',
  subset: 'part of',
  superset: 'covers',
  intersect: 'overlaps',
};

export function FrameworkPage({ frameworkRef }: { frameworkRef: string }) {
  const detail = useAsync(() => api.get<FrameworkDetail>(`/frameworks/${encodeURIComponent(frameworkRef)}`), [frameworkRef]);
  const [selected, setSelected] = useState<string | null>(null);
  return (
    <Page title={detail.data?.name ?? 'Framework'} lead={detail.data ? `${detail.data.provider} · revision ${detail.data.revision} · ${detail.data.counts.assessable} assessable requirements` : undefined}>
      <p>
        <Link href="/frameworks">All frameworks</Link>
      </p>
      <LoadState state={detail}>
        {(f) => (
          <div class="isms-split">
            <nav class="card isms-tree" aria-label={`Requirements of ${f.name}`}>
              <ul>
                {f.requirements.map((r) => (
                  <li key={r.id} style={{ paddingLeft: `${r.depth * 1.1}rem` }} class={r.assessable ? '' : 'isms-tree-group'}>
                    <button
                      type="button"
                      class="link-button"
                      aria-current={selected === r.id ? 'true' : undefined}
                      onClick={() => setSelected(r.id)}
                    >
                      <span class="isms-id">{r.id}</span> {r.title}
                    </button>
                  </li>
                ))}
              </ul>
            </nav>
            <div>{selected ? <RequirementPanel frameworkRef={f.ref} reqId={selected} onPick={setSelected} /> : <p class="muted">Choose a requirement to read it and see where it maps.</p>}</div>
          </div>
        )}
      </LoadState>
    </Page>
  );
}

function RequirementPanel({ frameworkRef, reqId, onPick }: { frameworkRef: string; reqId: string; onPick: (id: string) => void }) {
  const state = useAsync(
    () => api.get<RequirementDetail>(`/frameworks/${encodeURIComponent(frameworkRef)}/requirements/${encodeURIComponent(reqId)}`),
    [frameworkRef, reqId],
  );
  return (
    <LoadState state={state}>
      {(d) => (
        <section class="card isms-requirement" aria-labelledby="req-title">
          <h2 id="req-title">
            <span class="isms-id">{d.requirement.id}</span> {d.requirement.title}
          </h2>
          <p class="small muted">{d.requirement.urn}</p>
          {d.requirement.description && <p>{d.requirement.description}</p>}
          {d.requirement.guidance && (
            <>
              <h3>Guidance</h3>
              <p>{d.requirement.guidance}</p>
            </>
          )}
          {d.requirement.tags.length > 0 && (
            <p>
              {d.requirement.tags.map((t) => (
                <span key={t} class="badge">
                  {t}
                </span>
              ))}
            </p>
          )}
          {d.children.length > 0 && (
            <>
              <h3>Within it</h3>
              <ul>
                {d.children.map((c) => (
                  <li key={c.id}>
                    <button type="button" class="link-button" onClick={() => onPick(c.id)}>
                      {c.id} {c.title}
                    </button>
                  </li>
                ))}
              </ul>
            </>
          )}
          <h3>In other frameworks</h3>
          {d.mappings.length === 0 ? (
            <p class="muted">No mapping names this requirement.</p>
          ) : (
            <ul class="isms-mappings">
              {d.mappings.map((m) => (
                <li key={m.urn}>
                  {RELATION[m.relationship] ?? m.relationship}{' '}
                  <Link href={`/frameworks/${encodeURIComponent(m.framework_ref)}`}>{m.framework_name}</Link> <strong>{m.requirement_id}</strong> {m.title}
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
    </LoadState>
  );
}
