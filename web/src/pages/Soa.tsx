// The Statement of Applicability of the caller's organisation: the list of its statements, and one
// statement as a table with filters, inline edits of status and maturity, bulk edits of selected
// rows, an entry panel (decision, reasons, evidence, mapped requirements), approval by management
// and what changed since the last approval.

import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, ifMatch, query } from '../api';
import { Link } from '../components/Link';
import { Page } from '../components/Page';
import { SoaEntryPanel } from '../components/SoaEntryPanel';
import { ErrorMessage, LoadState, Loading, SuccessMessage } from '../components/Status';
import { formatDateTime } from '../format';
import { asApiError, useAsync } from '../hooks';
import {
  downloadUrl,
  ismsMemberships,
  mayApproveIsms,
  mayWriteIsms,
  soaPath,
  STATUSES,
  statusLabel,
  diffValue,
  entryPath,
  type Framework,
  type SoaDiff,
  type SoaEntry,
  type SoaHead,
  type SoaStatus,
  type SoaTable,
  type SoaVersion,
} from '../isms';
import { loadPeople, personOptions } from '../risk';
import { useLocation, navigate } from '../router';
import { useSession } from '../session';

function useIsmsOrg() {
  const { session } = useSession();
  const m = ismsMemberships(session)[0];
  return m ? m.organisation : null;
}

export function SoaListPage() {
  const org = useIsmsOrg();
  const { session } = useSession();
  const [error, setError] = useState<ApiError | null>(null);
  const state = useAsync(async () => {
    if (!org) return null;
    const [soas, frameworks] = await Promise.all([
      api.get<{ items: SoaHead[] }>(`/organisations/${org.id}/soa`),
      api.get<{ items: Framework[] }>('/frameworks'),
    ]);
    return { soas: soas.items, frameworks: frameworks.items };
  }, [org?.id]);
  if (!org) return <Page title="Statement of Applicability">{<p>You hold no role that reads an ISMS.</p>}</Page>;
  const start = async (ref: string) => {
    setError(null);
    try {
      await api.post(soaPath(org.id, ref));
      navigate(`/soa/${encodeURIComponent(ref)}`);
    } catch (e) {
      setError(asApiError(e));
    }
  };
  return (
    <Page title="Statement of Applicability" lead={`${org.name}: which controls apply, why, and how far each is implemented.`}>
      <ErrorMessage error={error} />
      <LoadState state={state}>
        {(d) =>
          d && (
            <>
              <div class="isms-cards">
                {d.soas.map((s) => (
                  <Link key={s.id} href={`/soa/${encodeURIComponent(s.framework.ref)}`} class="card isms-soa-card">
                    <h2>{s.framework.name}</h2>
                    <p class="isms-posture">
                      {s.summary.posture === null ? '—' : `${s.summary.posture} %`}
                      <span class="small muted"> implemented of applicable</span>
                    </p>
                    <p class="small">
                      {s.summary.applicable} applicable · {s.summary.excluded} excluded ·{' '}
                      {s.approved_version ? `approved v${s.approved_version}` : 'not approved yet'}
                      {s.summary.changed_since_approval > 0 && ` · ${s.summary.changed_since_approval} changed since`}
                    </p>
                  </Link>
                ))}
              </div>
              {mayWriteIsms(session, org.id) && d.frameworks.some((f) => !d.soas.some((s) => s.framework.ref === f.ref)) && (
                <section class="card">
                  <h2>Start a statement</h2>
                  <ul class="isms-start">
                    {d.frameworks
                      .filter((f) => !d.soas.some((s) => s.framework.ref === f.ref))
                      .map((f) => (
                        <li key={f.ref}>
                          <button type="button" class="button" onClick={() => start(f.ref)}>
                            Start against {f.name}
                          </button>{' '}
                          <span class="small muted">{f.counts.assessable} requirements</span>
                        </li>
                      ))}
                  </ul>
                </section>
              )}
            </>
          )
        }
      </LoadState>
    </Page>
  );
}

interface Filters {
  group: string;
  status: string;
  applicable: string;
  maturity: string;
  q: string;
  changed: string;
}
const EMPTY: Filters = { group: '', status: '', applicable: '', maturity: '', q: '', changed: '' };

export function SoaPage({ frameworkRef }: { frameworkRef: string }) {
  const org = useIsmsOrg();
  const { session } = useSession();
  const { query: params } = useLocation();
  const view = params.get('view') ?? 'table';
  const [filters, setFilters] = useState<Filters>(EMPTY);
  const [draft, setDraft] = useState<Filters>(EMPTY);
  const [rows, setRows] = useState<SoaEntry[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [head, setHead] = useState<SoaTable | null>(null);
  const [etag, setEtag] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [open, setOpen] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  const people = useAsync(() => (org ? loadPeople(org.id, session) : Promise.resolve(null)), [org?.id]);

  const base = org ? soaPath(org.id, frameworkRef) : '';
  const load = async (after: string | null) => {
    const res = await api.getWithEtag<SoaTable>(base + query({ ...filters, limit: 50, cursor: after }));
    setHead(res.data);
    setEtag(res.etag);
    setRows((old) => (after ? [...old, ...res.data.items] : res.data.items));
    setCursor(res.data.next_cursor);
  };
  useEffect(() => {
    if (!org) return;
    setError(null);
    load(null).catch((e: unknown) => setError(asApiError(e)));
  }, [org?.id, frameworkRef, JSON.stringify(filters), tick]);

  if (!org) return <Page title="Statement of Applicability">{<p>You hold no role that reads an ISMS.</p>}</Page>;
  const writer = mayWriteIsms(session, org.id);
  const approver = mayApproveIsms(session, org.id);
  const refresh = () => setTick((t) => t + 1);

  const patchRow = async (e: SoaEntry, body: Record<string, unknown>) => {
    setError(null);
    setDone(null);
    try {
      await api.patch(entryPath(org.id, frameworkRef, e.requirement_id), body, ifMatch(e.version));
      refresh();
    } catch (x) {
      setError(asApiError(x));
    }
  };
  const approve = async () => {
    if (!etag) return;
    setError(null);
    try {
      const v = await api.post<SoaVersion>(`${base}/approve`, {}, { ifMatch: etag });
      setDone(`Approved as version ${v.number} (SHA-256 ${v.sha256.slice(0, 12)}…).`);
      refresh();
    } catch (x) {
      setError(asApiError(x));
    }
  };
  const title = head ? `Statement of Applicability · ${head.framework.name}` : 'Statement of Applicability';
  const s = head?.summary;
  return (
    <Page
      title={title}
      lead={org.name}
      actions={
        <>
          <a class="button" href={downloadUrl(`/api/v1${base}/export.xlsx`)}>
            XLSX
          </a>
          <a class="button" href={downloadUrl(`/api/v1${base}/export.html`)}>
            Printable
          </a>
          {approver && (
            <button type="button" class="button button-primary" onClick={approve} disabled={!etag}>
              Approve this statement
            </button>
          )}
        </>
      }
    >
      <p>
        <Link href="/soa">All statements</Link> ·{' '}
        <Link href={`/soa/${encodeURIComponent(frameworkRef)}`} aria-current={view === 'table' ? 'page' : undefined}>
          Table
        </Link>{' '}
        ·{' '}
        <Link href={`/soa/${encodeURIComponent(frameworkRef)}?view=changes`} aria-current={view === 'changes' ? 'page' : undefined}>
          Changed since approval
        </Link>
      </p>
      <ErrorMessage error={error} />
      <SuccessMessage>{done}</SuccessMessage>
      {s && head && (
        <div class="isms-summary" aria-label="Summary">
          <div class="isms-figure">
            <strong>{s.posture === null ? '—' : `${s.posture} %`}</strong>
            <span>posture (implemented of applicable, partial counts half)</span>
          </div>
          {STATUSES.map((st) => (
            <div key={st} class={`isms-figure isms-status-${st}`}>
              <strong>{s.by_status[st]}</strong>
              <span>{statusLabel(st)}</span>
            </div>
          ))}
          <div class="isms-figure">
            <strong>{head.approved_version ? `v${head.approved_version}` : '—'}</strong>
            <span>{head.approved_version ? `approved · ${s.changed_since_approval} changed since` : 'not approved yet'}</span>
          </div>
        </div>
      )}
      {view === 'changes' ? (
        head && <SoaChanges base={base} approved={head.approved_version} />
      ) : (
        <>
          <form
            class="filters isms-filters"
            role="search"
            aria-label="Filter the statement"
            onSubmit={(e) => {
              e.preventDefault();
              setFilters(draft);
            }}
          >
            <label>
              Text
              <input type="search" value={draft.q} onInput={(e) => setDraft({ ...draft, q: e.currentTarget.value })} />
            </label>
            <label>
              Theme
              <select value={draft.group} onChange={(e) => setDraft({ ...draft, group: e.currentTarget.value })}>
                <option value="">All</option>
                {head?.groups.map((g) => (
                  <option key={g.id} value={g.id}>
                    {g.id} {g.title}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Status
              <select value={draft.status} onChange={(e) => setDraft({ ...draft, status: e.currentTarget.value })}>
                <option value="">Any</option>
                {STATUSES.map((st) => (
                  <option key={st} value={st}>
                    {statusLabel(st)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Applicable
              <select value={draft.applicable} onChange={(e) => setDraft({ ...draft, applicable: e.currentTarget.value })}>
                <option value="">Both</option>
                <option value="true">Applicable</option>
                <option value="false">Excluded</option>
              </select>
            </label>
            <label>
              Maturity
              <select value={draft.maturity} onChange={(e) => setDraft({ ...draft, maturity: e.currentTarget.value })}>
                <option value="">Any</option>
                {[0, 1, 2, 3, 4, 5].map((m) => (
                  <option key={m} value={String(m)}>
                    {m}
                  </option>
                ))}
              </select>
            </label>
            <div class="filter-actions">
              <button type="submit" class="button button-primary">
                Filter
              </button>
              <button
                type="button"
                class="button button-quiet"
                onClick={() => {
                  setDraft(EMPTY);
                  setFilters(EMPTY);
                }}
              >
                Clear
              </button>
            </div>
          </form>
          {writer && selected.size > 0 && (
            <BulkBar
              base={base}
              ids={[...selected]}
              people={people.data ?? null}
              onDone={(n) => {
                setDone(`${n} entries updated.`);
                setSelected(new Set());
                refresh();
              }}
              onError={setError}
            />
          )}
          {!head ? (
            !error && <Loading />
          ) : (
            <div class="table-wrap">
              <table class="table compact isms-table">
                <caption class="sr-only">Requirements and their decisions</caption>
                <thead>
                  <tr>
                    {writer && (
                      <th scope="col">
                        <input
                          type="checkbox"
                          aria-label="Select every row shown"
                          checked={rows.length > 0 && rows.every((r) => selected.has(r.requirement_id))}
                          onChange={(e) => setSelected(e.currentTarget.checked ? new Set(rows.map((r) => r.requirement_id)) : new Set())}
                        />
                      </th>
                    )}
                    <th scope="col">Requirement</th>
                    <th scope="col">Applicable</th>
                    <th scope="col">Status</th>
                    <th scope="col">Maturity</th>
                    <th scope="col">Owner</th>
                    <th scope="col">Evidence</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <tr key={r.requirement_id} class={r.applicable ? '' : 'isms-excluded'}>
                      {writer && (
                        <td>
                          <input
                            type="checkbox"
                            aria-label={`Select ${r.requirement_id}`}
                            checked={selected.has(r.requirement_id)}
                            onChange={(e) => {
                              const next = new Set(selected);
                              if (e.currentTarget.checked) next.add(r.requirement_id);
                              else next.delete(r.requirement_id);
                              setSelected(next);
                            }}
                          />
                        </td>
                      )}
                      <th scope="row">
                        <button type="button" class="link-button" onClick={() => setOpen(r.requirement_id)}>
                          <span class="isms-id">{r.requirement_id}</span> {r.title}
                        </button>
                        {r.changed_since_approval && <span class="badge isms-changed">changed since approval</span>}
                        {!r.applicable && <span class="block small muted">{r.justification.text}</span>}
                      </th>
                      <td>{r.applicable ? 'Yes' : 'Excluded'}</td>
                      <td>
                        {writer && r.applicable ? (
                          <select
                            aria-label={`Status of ${r.requirement_id}`}
                            value={r.status}
                            onChange={(e) => patchRow(r, { status: e.currentTarget.value as SoaStatus })}
                          >
                            {STATUSES.filter((st) => st !== 'not_applicable').map((st) => (
                              <option key={st} value={st}>
                                {statusLabel(st)}
                              </option>
                            ))}
                          </select>
                        ) : (
                          <span class={`isms-status isms-status-${r.status}`}>{statusLabel(r.status)}</span>
                        )}
                      </td>
                      <td>
                        {writer && r.applicable ? (
                          <select
                            aria-label={`Maturity of ${r.requirement_id}`}
                            value={r.maturity === null ? '' : String(r.maturity)}
                            onChange={(e) => patchRow(r, { maturity: e.currentTarget.value === '' ? null : Number(e.currentTarget.value) })}
                          >
                            <option value="">—</option>
                            {[0, 1, 2, 3, 4, 5].map((m) => (
                              <option key={m} value={String(m)}>
                                {m}
                              </option>
                            ))}
                          </select>
                        ) : (
                          (r.maturity ?? '—')
                        )}
                      </td>
                      <td class="small">{r.owner_name ?? '—'}</td>
                      <td>{r.evidence_count}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {head && (
            <p class="list-foot" role="status">
              {rows.length} of {head.summary.total} shown
              {cursor && (
                <>
                  {' '}
                  <button type="button" class="button button-small" onClick={() => load(cursor).catch((e: unknown) => setError(asApiError(e)))}>
                    Show more
                  </button>
                </>
              )}
            </p>
          )}
          {open && (
            <SoaEntryPanel
              orgId={org.id}
              frameworkRef={frameworkRef}
              reqId={open}
              writer={writer}
              people={people.data ?? null}
              onClose={() => setOpen(null)}
              onSaved={refresh}
            />
          )}
        </>
      )}
    </Page>
  );
}

function BulkBar({
  base,
  ids,
  people,
  onDone,
  onError,
}: {
  base: string;
  ids: string[];
  people: Parameters<typeof personOptions>[0];
  onDone: (n: number) => void;
  onError: (e: ApiError) => void;
}) {
  const { session } = useSession();
  const [status, setStatus] = useState('');
  const [owner, setOwner] = useState('');
  const [maturity, setMaturity] = useState('');
  const apply = async (e: Event) => {
    e.preventDefault();
    const set: Record<string, unknown> = {};
    if (status) set.status = status;
    if (owner) set.owner_id = owner === '-' ? null : owner;
    if (maturity) set.maturity = Number(maturity);
    try {
      const res = await api.post<{ updated: number }>(`${base}/bulk`, { ids, set });
      onDone(res.updated);
    } catch (x) {
      onError(asApiError(x));
    }
  };
  return (
    <form class="card isms-bulk" aria-label="Edit the selected rows" onSubmit={apply}>
      <strong>{ids.length} selected</strong>
      <label>
        Status
        <select value={status} onChange={(e) => setStatus(e.currentTarget.value)}>
          <option value="">Keep</option>
          {STATUSES.filter((s) => s !== 'not_applicable').map((s) => (
            <option key={s} value={s}>
              {statusLabel(s)}
            </option>
          ))}
        </select>
      </label>
      <label>
        Owner
        <select value={owner} onChange={(e) => setOwner(e.currentTarget.value)}>
          <option value="">Keep</option>
          {personOptions(people, session, null, 'Nobody').map((o) => (
            <option key={o.value || '-'} value={o.value || '-'}>
              {o.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        Maturity
        <select value={maturity} onChange={(e) => setMaturity(e.currentTarget.value)}>
          <option value="">Keep</option>
          {[0, 1, 2, 3, 4, 5].map((m) => (
            <option key={m} value={String(m)}>
              {m}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" class="button button-primary" disabled={!status && !owner && !maturity}>
        Apply to all selected
      </button>
    </form>
  );
}

function SoaChanges({ base, approved }: { base: string; approved: number | null }) {
  const versions = useAsync(() => api.get<{ items: SoaVersion[] }>(`${base}/versions`), [base]);
  const diff = useAsync(() => (approved ? api.get<SoaDiff>(`${base}/diff?from=v${approved}&to=current`) : Promise.resolve(null)), [base, approved]);
  if (!approved) return <p class="muted">Management has not approved this statement yet: there is nothing to compare with.</p>;
  return (
    <>
      <LoadState state={versions}>
        {(v) => (
          <p class="small muted">
            Approved versions:{' '}
            {v.items.map((x) => `v${x.number} by ${x.approved_by_name}, ${formatDateTime(x.approved_at)}`).join('; ')}
          </p>
        )}
      </LoadState>
      <LoadState state={diff}>
        {(d) =>
          d && (
            <section aria-label={`Changes since version ${approved}`}>
              <h2>
                Changes since v{approved} ({d.changes.length})
              </h2>
              {d.changes.length === 0 ? (
                <p class="muted">Nothing changed since the approval.</p>
              ) : (
                <div class="table-wrap">
                  <table class="table compact isms-diff">
                    <thead>
                      <tr>
                        <th scope="col">Requirement</th>
                        <th scope="col">Field</th>
                        <th scope="col">Approved</th>
                        <th scope="col">Now</th>
                      </tr>
                    </thead>
                    <tbody>
                      {d.changes.flatMap((c) =>
                        c.fields.map((f, i) => (
                          <tr key={`${c.requirement_id}-${f.field}`}>
                            {i === 0 && (
                              <th scope="row" rowSpan={c.fields.length}>
                                <span class="isms-id">{c.requirement_id}</span> {c.title}
                              </th>
                            )}
                            <td>{f.field.replace('justification.', 'reason: ').replace(/_/g, ' ')}</td>
                            <td class="isms-before">{diffValue(f.before)}</td>
                            <td class="isms-after">{diffValue(f.after)}</td>
                          </tr>
                        )),
                      )}
                    </tbody>
                  </table>
                </div>
              )}
            </section>
          )
        }
      </LoadState>
    </>
  );
}
