// One charter or policy: the sections edited in Markdown with a live preview (each save is a new
// version), the versions with a per-section line diff between any two, management's approval (the
// approved version frozen with its SHA-256 and a next-review date), publication to staff with who
// has and has not acknowledged, and the exports (Word, printable page, print to PDF).

import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, ifMatch } from '../api';
import { Link } from '../components/Link';
import { Page } from '../components/Page';
import { ErrorMessage, LoadState, SuccessMessage } from '../components/Status';
import { formatDate, formatDateTime, roleLabel, rolesLabel, toDateInput } from '../format';
import { asApiError, useAsync } from '../hooks';
import { mayApproveIsms, mayWriteIsms } from '../isms';
import {
  byteLength,
  docPath,
  exportUrl,
  formName,
  MAX_SECTION_BYTES,
  reviewBadge,
  reviewLabel,
  sectionPath,
  type PolicyDiff,
  type PolicyDoc,
  type PolicyVersion,
  type Publication,
  type PublicationDetail,
} from '../policy';
import { useSession } from '../session';
import { ROLES } from '../types';
import { Markdown } from './GuidelineMarkdown';

type Tab = 'edit' | 'versions' | 'approval' | 'publication';
const TABS: [Tab, string][] = [
  ['edit', 'Edit'],
  ['versions', 'Versions and changes'],
  ['approval', 'Approval'],
  ['publication', 'Publication'],
];

interface Loaded {
  doc: PolicyDoc;
  etag: string;
}

export function PolicyEditorPage({ orgId, docId }: { orgId: string; docId: string }) {
  const { session } = useSession();
  const [tab, setTab] = useState<Tab>('edit');
  const state = useAsync(async (): Promise<Loaded> => {
    const r = await api.getWithEtag<PolicyDoc>(docPath(orgId, docId));
    return { doc: r.data, etag: r.etag ?? ifMatch(r.data.version) };
  }, [orgId, docId]);
  const title = state.data?.doc.title ?? 'Charter and policy';
  return (
    <Page
      title={title}
      lead={
        state.data && (
          <>
            <span class={reviewBadge(state.data.doc.review_state)}>{reviewLabel(state.data.doc.review_state)}</span>{' '}
            {formName(state.data.doc.kind, state.data.doc.form)} · newest version {state.data.doc.newest}
            {state.data.doc.approved ? ` · approved version ${state.data.doc.approved}` : ''}
            {state.data.doc.next_review_at ? ` · next review by ${formatDate(state.data.doc.next_review_at)}` : ''}
          </>
        )
      }
      actions={
        state.data && (
          <>
            <a class="button" href={exportUrl(orgId, docId, 'docx')} download>
              Word (.docx)
            </a>
            <a class="button" href={exportUrl(orgId, docId, 'html')} download>
              Printable page
            </a>
            <button type="button" class="button" onClick={() => window.print()}>
              Print or save as PDF
            </button>
          </>
        )
      }
    >
      <p class="breadcrumb policy-screen">
        <Link href="/policy">Charter and policy</Link>
      </p>
      <LoadState state={state}>
        {(d) => (
          <>
            <div class="segmented policy-screen" role="group" aria-label="View">
              {TABS.map(([t, label]) => (
                <button key={t} type="button" class="button" aria-pressed={tab === t} onClick={() => setTab(t)}>
                  {label}
                </button>
              ))}
            </div>
            <div class="policy-screen">
              {tab === 'edit' && <EditTab orgId={orgId} loaded={d} reload={state.reload} writer={mayWriteIsms(session, orgId)} />}
              {tab === 'versions' && <VersionsTab orgId={orgId} doc={d.doc} />}
              {tab === 'approval' && <ApprovalTab orgId={orgId} loaded={d} reload={state.reload} approver={mayApproveIsms(session, orgId)} />}
              {tab === 'publication' && <PublicationTab orgId={orgId} doc={d.doc} writer={mayWriteIsms(session, orgId)} />}
            </div>
            {/* What "Print or save as PDF" prints, under the page's own heading: the newest version. */}
            <article class="policy-print" aria-hidden="true">
              <p class="muted">
                Version {d.doc.current.number}
                {d.doc.current.state === 'approved'
                  ? `, approved by ${d.doc.current.approved_by_name} on ${formatDate(d.doc.current.approved_at)}`
                  : ', draft not approved'}
              </p>
              {d.doc.current.sections.map((s) => (
                <section key={s.key}>
                  {s.level <= 1 ? <h2>{s.title}</h2> : <h3>{s.title}</h3>}
                  <div class="markdown">
                    <Markdown source={s.body} />
                  </div>
                </section>
              ))}
            </article>
          </>
        )}
      </LoadState>
    </Page>
  );
}

function EditTab({ orgId, loaded, reload, writer }: { orgId: string; loaded: Loaded; reload: () => void; writer: boolean }) {
  const { doc, etag } = loaded;
  const sections = doc.current.sections;
  const [key, setKey] = useState(sections[0]?.key ?? '');
  const section = sections.find((s) => s.key === key) ?? sections[0];
  const [text, setText] = useState(section?.body ?? '');
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // A new section, or a new version loaded: the text is the stored one.
  useEffect(() => setText(section?.body ?? ''), [section?.key, doc.current.number]);
  if (!section) return <p>This document has no sections.</p>;
  const frozen = doc.current.state === 'approved';
  const editable = writer && !frozen;
  const bytes = byteLength(text);
  const changed = text !== section.body;
  const save = async () => {
    setBusy(true);
    setError(null);
    setSaved(null);
    try {
      const v = await api.post<PolicyVersion>(sectionPath(orgId, doc.id, doc.current.number, section.key), { body: text }, { ifMatch: etag });
      setSaved(`Saved as version ${v.number}.`);
      reload();
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };
  const newDraft = async () => {
    setBusy(true);
    setError(null);
    try {
      const v = await api.post<PolicyVersion>(`${docPath(orgId, doc.id)}/drafts`, undefined, { ifMatch: etag });
      setSaved(`Version ${v.number} started as a draft from the approved version.`);
      reload();
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="policy-editor">
      <nav class="policy-outline" aria-label="Sections">
        <ol>
          {sections.map((s) => (
            <li key={s.key} class={s.level > 1 ? 'policy-outline-sub' : ''}>
              <button type="button" class="link-button" aria-current={s.key === section.key ? 'true' : undefined} onClick={() => setKey(s.key)}>
                {s.title}
              </button>
            </li>
          ))}
        </ol>
      </nav>
      <div class="policy-pane">
        <ErrorMessage error={error} />
        <SuccessMessage>{saved}</SuccessMessage>
        {frozen && (
          <div class="notice notice-info">
            Version {doc.current.number} was approved on {formatDate(doc.current.approved_at)} and is frozen.
            {writer && (
              <>
                {' '}
                <button type="button" class="button button-small" disabled={busy} onClick={newDraft}>
                  Start a new draft
                </button>
              </>
            )}
          </div>
        )}
        <h2>{section.title}</h2>
        <p class="small muted">Covers {section.urn}</p>
        <div class="policy-split">
          <div>
            <label for="policy-body">Text (Markdown: # heading, - list, 1. numbered, **bold**, *italic*)</label>
            <textarea
              id="policy-body"
              rows={18}
              value={text}
              readOnly={!editable}
              aria-describedby="policy-size"
              onInput={(e) => setText((e.target as HTMLTextAreaElement).value)}
            />
            <p id="policy-size" class={bytes > MAX_SECTION_BYTES ? 'field-error' : 'small muted'}>
              {bytes.toLocaleString()} of {MAX_SECTION_BYTES.toLocaleString()} bytes
            </p>
            {editable && (
              <div class="button-row">
                <button type="button" class="button button-primary" disabled={busy || !changed || bytes > MAX_SECTION_BYTES} onClick={save}>
                  Save as a new version
                </button>
                <button type="button" class="button button-quiet" disabled={busy || !changed} onClick={() => setText(section.body)}>
                  Undo changes
                </button>
              </div>
            )}
          </div>
          <div class="policy-preview" aria-label="Preview">
            <p class="small muted">Preview</p>
            <div class="markdown">
              <Markdown source={text} />
            </div>
          </div>
        </div>
      </div>
    </div>
  );
}

function VersionsTab({ orgId, doc }: { orgId: string; doc: PolicyDoc }) {
  const numbers = doc.versions.map((v) => v.number);
  const [from, setFrom] = useState(doc.approved && doc.approved < doc.newest ? doc.approved : Math.max(1, doc.newest - 1));
  const [to, setTo] = useState(doc.newest);
  const diff = useAsync(() => api.get<PolicyDiff>(`${docPath(orgId, doc.id)}/diff?from=${from}&to=${to}`), [from, to, doc.version]);
  const pick = (value: number, set: (n: number) => void, label: string) => (
    <label>
      {label}{' '}
      <select value={value} onChange={(e) => set(Number((e.target as HTMLSelectElement).value))}>
        {numbers.map((n) => (
          <option key={n} value={n}>
            Version {n}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <>
      <div class="table-wrap">
        <table class="table">
          <thead>
            <tr>
              <th>Version</th>
              <th>State</th>
              <th>Saved</th>
              <th>Note</th>
              <th>Exports</th>
            </tr>
          </thead>
          <tbody>
            {doc.versions.map((v) => (
              <tr key={v.number}>
                <td class="num">{v.number}</td>
                <td>{v.state === 'approved' ? <span class="badge badge-on">Approved {formatDate(v.approved_at)}</span> : <span class="badge">Draft</span>}</td>
                <td>
                  {formatDateTime(v.saved_at)} by {v.saved_by_name}
                </td>
                <td>{v.note}</td>
                <td class="nowrap">
                  <a href={exportUrl(orgId, doc.id, 'docx', v.number)} download>
                    .docx
                  </a>{' '}
                  ·{' '}
                  <a href={exportUrl(orgId, doc.id, 'html', v.number)} download>
                    .html
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>Changes</h2>
      <p class="policy-diff-pick">
        {pick(from, setFrom, 'From')} {pick(to, setTo, 'to')}
      </p>
      <LoadState state={diff}>
        {(d) =>
          d.changes.length === 0 ? (
            <p class="empty-state">No section differs between these versions.</p>
          ) : (
            <div class="policy-diff">
              {d.changes.map((c) => (
                <section key={c.key}>
                  <h3>
                    {c.title} <span class="small muted">({c.change})</span>
                  </h3>
                  <pre class="policy-diff-lines">
                    {c.lines.map((l, i) => (
                      <span key={i} class={`policy-line policy-line-${l.op}`}>
                        {l.op === 'added' ? '+ ' : l.op === 'removed' ? '− ' : '  '}
                        {l.text}
                        {'\n'}
                      </span>
                    ))}
                  </pre>
                </section>
              ))}
            </div>
          )
        }
      </LoadState>
    </>
  );
}

function ApprovalTab({ orgId, loaded, reload, approver }: { orgId: string; loaded: Loaded; reload: () => void; approver: boolean }) {
  const { doc, etag } = loaded;
  const inAYear = new Date(Date.now() + 365 * 86400e3).toISOString();
  const [note, setNote] = useState('');
  const [review, setReview] = useState(toDateInput(inAYear));
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const approved = doc.versions.filter((v) => v.state === 'approved');
  const approve = async () => {
    setBusy(true);
    setError(null);
    try {
      const v = await api.post<PolicyVersion>(
        `${docPath(orgId, doc.id)}/approve`,
        { number: doc.newest, note, next_review_at: new Date(`${review}T00:00:00Z`).toISOString() },
        { ifMatch: etag },
      );
      setDone(`Version ${v.number} approved; SHA-256 ${v.sha256}.`);
      reload();
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <ErrorMessage error={error} />
      <SuccessMessage>{done}</SuccessMessage>
      {doc.current.state === 'draft' &&
        (approver ? (
          <section class="card form-card policy-approve">
            <h2>Approve version {doc.newest}</h2>
            <p>Approving freezes this version with the SHA-256 of its text. Later edits start a new draft, which management approves again.</p>
            <div class="field">
              <label for="approval-note">Note (for example, the meeting that approved it)</label>
              <input id="approval-note" value={note} maxLength={4000} onInput={(e) => setNote((e.target as HTMLInputElement).value)} />
            </div>
            <div class="field">
              <label for="approval-review">Next review by</label>
              <input id="approval-review" type="date" value={review} onInput={(e) => setReview((e.target as HTMLInputElement).value)} />
            </div>
            <div class="form-actions">
              <button type="button" class="button button-primary" disabled={busy} onClick={approve}>
                Approve version {doc.newest}
              </button>
            </div>
          </section>
        ) : (
          <p class="notice notice-info">Version {doc.newest} is a draft waiting for management's approval.</p>
        ))}
      <h2>Approved versions</h2>
      {approved.length === 0 ? (
        <p class="empty-state">Management has not approved a version yet.</p>
      ) : (
        <div class="table-wrap">
          <table class="table">
            <thead>
              <tr>
                <th>Version</th>
                <th>Approved</th>
                <th>By</th>
                <th>Next review</th>
                <th>Note</th>
                <th>SHA-256</th>
              </tr>
            </thead>
            <tbody>
              {approved.map((v) => (
                <tr key={v.number}>
                  <td class="num">{v.number}</td>
                  <td>{formatDateTime(v.approved_at)}</td>
                  <td>{v.approved_by_name}</td>
                  <td>{formatDate(v.next_review_at)}</td>
                  <td>{v.approval_note}</td>
                  <td class="policy-hash">{v.sha256}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function PublicationTab({ orgId, doc, writer }: { orgId: string; doc: PolicyDoc; writer: boolean }) {
  const pubs = useAsync(() => api.get<{ items: Publication[] }>(`${docPath(orgId, doc.id)}/publications`), [doc.id, doc.version]);
  const [open, setOpen] = useState<string | null>(null);
  const [everyone, setEveryone] = useState(true);
  const [roles, setRoles] = useState<string[]>([]);
  const [message, setMessage] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const detail = useAsync(
    () => (open ? api.get<PublicationDetail>(`${docPath(orgId, doc.id)}/publications/${open}`) : Promise.resolve(null)),
    [open],
  );
  const publish = async () => {
    setBusy(true);
    setError(null);
    try {
      const p = await api.post<Publication>(`${docPath(orgId, doc.id)}/publications`, { roles: everyone ? [] : roles, message });
      setDone(`Version ${p.number} published to ${p.recipients} people.`);
      setOpen(p.id);
      pubs.reload();
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <ErrorMessage error={error} />
      <SuccessMessage>{done}</SuccessMessage>
      {writer && doc.approved && (
        <section class="card form-card">
          <h2>Publish approved version {doc.approved}</h2>
          <p>Each person it reaches is told in Rampart and finds it under "Documents to acknowledge".</p>
          <div class="radio-row">
            <label>
              <input type="radio" name="audience" checked={everyone} onChange={() => setEveryone(true)} /> Everyone in the organisation
            </label>
            <label>
              <input type="radio" name="audience" checked={!everyone} onChange={() => setEveryone(false)} /> People with these roles
            </label>
          </div>
          {!everyone && (
            <div class="check-grid">
              {ROLES.map((r) => (
                <label key={r} class="check">
                  <input
                    type="checkbox"
                    checked={roles.includes(r)}
                    onChange={(e) => setRoles((e.target as HTMLInputElement).checked ? [...roles, r] : roles.filter((x) => x !== r))}
                  />{' '}
                  {roleLabel(r)}
                </label>
              ))}
            </div>
          )}
          <div class="field">
            <label for="publication-message">Message</label>
            <input id="publication-message" value={message} maxLength={2000} onInput={(e) => setMessage((e.target as HTMLInputElement).value)} />
          </div>
          <div class="form-actions">
            <button type="button" class="button button-primary" disabled={busy || (!everyone && roles.length === 0)} onClick={publish}>
              Publish to staff
            </button>
          </div>
        </section>
      )}
      {!doc.approved && <p class="notice notice-info">Only an approved version can be published.</p>}
      <h2>Publications</h2>
      <LoadState state={pubs}>
        {(d) =>
          d.items.length === 0 ? (
            <p class="empty-state">Not published yet.</p>
          ) : (
            <div class="table-wrap">
              <table class="table">
                <thead>
                  <tr>
                    <th>Published</th>
                    <th>Version</th>
                    <th>To</th>
                    <th>Acknowledged</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {d.items.map((p) => (
                    <tr key={p.id}>
                      <td>
                        {formatDateTime(p.published_at)} by {p.published_by_name}
                      </td>
                      <td class="num">{p.number}</td>
                      <td>{p.roles.length ? rolesLabel(p.roles) : 'Everyone'}</td>
                      <td>
                        {p.acknowledged} of {p.recipients}
                      </td>
                      <td>
                        <button type="button" class="button button-small" aria-expanded={open === p.id} onClick={() => setOpen(open === p.id ? null : p.id)}>
                          {open === p.id ? 'Hide people' : 'Who has acknowledged'}
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </LoadState>
      {open && (
        <LoadState state={detail}>
          {(p) =>
            p && (
              <section class="policy-people">
                <h3>
                  Version {p.number}: {p.acknowledged} of {p.recipients} acknowledged
                </h3>
                <table class="table">
                  <thead>
                    <tr>
                      <th>Person</th>
                      <th>Roles</th>
                      <th>Acknowledged</th>
                    </tr>
                  </thead>
                  <tbody>
                    {p.people.map((x) => (
                      <tr key={x.user_id} class={x.acknowledged_at ? '' : 'row-muted'}>
                        <td>{x.display_name}</td>
                        <td>{rolesLabel(x.roles)}</td>
                        <td>{x.acknowledged_at ? formatDateTime(x.acknowledged_at) : <span class="badge badge-pending">Not yet</span>}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </section>
            )
          }
        </LoadState>
      )}
    </>
  );
}
