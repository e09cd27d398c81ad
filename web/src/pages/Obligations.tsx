// The register of laws and regulations that apply to the caller's organisation: laws adopted from
// the shipped library (generic, no country's text) and its own entries, a status per obligation,
// and evidence as links.

import { useState } from 'preact/hooks';
import { api, ApiError, ifMatch } from '../api';
import { SelectField, TextField } from '../components/Field';
import { Link } from '../components/Link';
import { Page } from '../components/Page';
import { ErrorMessage, LoadState } from '../components/Status';
import {
  contentHref,
  cyclePath,
  LAW_KINDS,
  lawKindLabel,
  OBLIGATION_STATUSES,
  obligationStatusLabel,
  type LibraryLaw,
  type Obligation,
} from '../cycle';
import { asApiError, useAsync } from '../hooks';
import { mayWriteIsms } from '../isms';
import { useSession } from '../session';
import { useCycleOrg } from './Cycle';

export function ObligationsPage() {
  const mine = useCycleOrg();
  const org = mine?.org;
  const { session } = useSession();
  const [open, setOpen] = useState<string | null>(null);
  const state = useAsync(async () => {
    if (!org) return null;
    const [items, library] = await Promise.all([
      api.get<{ items: Obligation[] }>(cyclePath(org.id, '/obligations')),
      api.get<{ items: LibraryLaw[] }>('/obligations-library'),
    ]);
    return { items: items.items, library: library.items };
  }, [org?.id]);
  if (!org) return <Page title="Obligations">{<p>You hold no role that reads an ISMS.</p>}</Page>;
  const writer = mayWriteIsms(session, org.id);
  return (
    <Page title="Legal and regulatory obligations" lead={`${org.name}: the laws that apply, what each requires, and the evidence.`} actions={<Link href="/cycle/certification" class="button">Certification</Link>}>
      <LoadState state={state}>
        {(d) => {
          if (!d) return null;
          const laws = new Map<string, Obligation[]>();
          for (const o of d.items) laws.set(o.law_title, [...(laws.get(o.law_title) ?? []), o]);
          const adopted = new Set(d.items.map((o) => o.law_urn).filter(Boolean));
          return (
            <>
              {laws.size === 0 && <p class="notice">No law recorded yet.</p>}
              {[...laws.entries()].map(([law, items]) => (
                <section class="card" key={law} aria-label={law}>
                  <h2>
                    {law} <span class="badge">{lawKindLabel(items[0]!.law_kind)}</span>
                  </h2>
                  <table class="table obligations-table">
                    <thead>
                      <tr>
                        <th scope="col">Obligation</th>
                        <th scope="col">Status</th>
                        <th scope="col" class="num">
                          Evidence
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {items.map((o) => (
                        <ObligationRow key={o.id} orgId={org.id} o={o} writer={writer} open={open === o.id} onOpen={() => setOpen(open === o.id ? null : o.id)} onSaved={state.reload} />
                      ))}
                    </tbody>
                  </table>
                </section>
              ))}
              {writer && <Adopt orgId={org.id} library={d.library.filter((l) => !adopted.has(l.urn))} onSaved={state.reload} />}
              {writer && <OwnEntry orgId={org.id} onSaved={state.reload} />}
            </>
          );
        }}
      </LoadState>
    </Page>
  );
}

function ObligationRow(p: { orgId: string; o: Obligation; writer: boolean; open: boolean; onOpen: () => void; onSaved: () => void }) {
  const o = p.o;
  const [error, setError] = useState<ApiError | null>(null);
  const [url, setUrl] = useState('');
  const detail = useAsync(async () => (p.open ? api.get<Obligation>(cyclePath(p.orgId, `/obligations/${o.id}`)) : null), [p.open, o.version]);
  const setStatus = async (status: string) => {
    setError(null);
    try {
      await api.patch(cyclePath(p.orgId, `/obligations/${o.id}`), { status }, ifMatch(o.version));
      p.onSaved();
    } catch (err) {
      setError(asApiError(err));
    }
  };
  const addLink = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      await api.post(cyclePath(p.orgId, `/obligations/${o.id}/evidence`), { url });
      setUrl('');
      p.onSaved();
    } catch (err) {
      setError(asApiError(err));
    }
  };
  return (
    <>
      <tr>
        <td>
          <button type="button" class="link-button" aria-expanded={p.open} onClick={p.onOpen}>
            {o.title}
          </button>
          {error && <ErrorMessage error={error} />}
        </td>
        <td>
          {p.writer ? (
            <select aria-label={`Status of ${o.title}`} value={o.status} onChange={(e) => setStatus(e.currentTarget.value)} class={`obligation-${o.status}`}>
              {OBLIGATION_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {obligationStatusLabel(s)}
                </option>
              ))}
            </select>
          ) : (
            <span class={`obligation-${o.status}`}>{obligationStatusLabel(o.status)}</span>
          )}
        </td>
        <td class="num">{o.evidence_count}</td>
      </tr>
      {p.open && (
        <tr>
          <td colSpan={3}>
            <p class="small">{o.description}</p>
            <LoadState state={detail}>
              {(x) =>
                x && (
                  <ul class="small">
                    {(x.evidence ?? []).map((ev) => (
                      <li key={ev.id}>
                        {ev.kind === 'link' ? (
                          <a href={ev.url ?? '#'} rel="noopener noreferrer" target="_blank">
                            {ev.name}
                          </a>
                        ) : (
                          <a href={contentHref(ev.content_url ?? '')}>{ev.name}</a>
                        )}{' '}
                        <span class="muted">— {ev.added_by_name}</span>
                      </li>
                    ))}
                    {(x.evidence ?? []).length === 0 && <li class="muted">No evidence yet.</li>}
                  </ul>
                )
              }
            </LoadState>
            {p.writer && (
              <form class="inline-form" onSubmit={addLink}>
                <TextField label="Evidence link" type="url" value={url} onValue={setUrl} error={error?.fieldErrors['/url']} />
                <button type="submit" class="button button-small">
                  Add link
                </button>
              </form>
            )}
          </td>
        </tr>
      )}
    </>
  );
}

function Adopt({ orgId, library, onSaved }: { orgId: string; library: LibraryLaw[]; onSaved: () => void }) {
  const [urn, setUrn] = useState('');
  const [title, setTitle] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  if (library.length === 0) return null;
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      await api.post(cyclePath(orgId, '/obligations/adopt'), { law_urn: urn, law_title: title || undefined });
      setUrn('');
      setTitle('');
      onSaved();
    } catch (err) {
      setError(asApiError(err));
    }
  };
  const chosen = library.find((l) => l.urn === urn);
  return (
    <form class="card form-card" onSubmit={submit} aria-labelledby="adopt-h">
      <h2 id="adopt-h">Adopt a law from the library</h2>
      <ErrorMessage error={error} />
      <div class="form-grid">
        <SelectField
          label="Law"
          value={urn}
          onValue={setUrn}
          options={[{ value: '', label: 'Choose…' }, ...library.map((l) => ({ value: l.urn, label: `${l.title} (${lawKindLabel(l.kind)})` }))]}
          error={error?.fieldErrors['/law_urn']}
        />
        <TextField label="Its name in your country" hint="Optional: the statute's own title" value={title} onValue={setTitle} />
      </div>
      {chosen && <p class="small">{chosen.description} {chosen.obligations.length} obligations.</p>}
      <div class="form-actions">
        <button type="submit" class="button button-primary" disabled={!urn}>
          Adopt
        </button>
      </div>
    </form>
  );
}

function OwnEntry({ orgId, onSaved }: { orgId: string; onSaved: () => void }) {
  const [kind, setKind] = useState<string>('sector_regulation');
  const [law, setLaw] = useState('');
  const [title, setTitle] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      await api.post(cyclePath(orgId, '/obligations'), { law_kind: kind, law_title: law, title });
      setTitle('');
      onSaved();
    } catch (err) {
      setError(asApiError(err));
    }
  };
  return (
    <form class="card form-card" onSubmit={submit} aria-labelledby="own-h">
      <h2 id="own-h">Add an obligation of your own</h2>
      <ErrorMessage error={error} />
      <div class="form-grid">
        <SelectField label="Kind of law" value={kind} onValue={setKind} options={LAW_KINDS.map((k) => ({ value: k, label: lawKindLabel(k) }))} />
        <TextField label="Law or regulation" value={law} onValue={setLaw} required error={error?.fieldErrors['/law_title']} />
        <TextField label="Obligation" value={title} onValue={setTitle} required error={error?.fieldErrors['/title']} />
      </div>
      <div class="form-actions">
        <button type="submit" class="button button-primary">
          Add obligation
        </button>
      </div>
    </form>
  );
}
