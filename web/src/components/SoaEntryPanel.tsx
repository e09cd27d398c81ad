// One entry of a Statement of Applicability: the requirement's text, the decision (applicable or
// excluded, the reasons, status, maturity, owner, note), its evidence (links and files) and what the
// organisation recorded against the requirements it maps to in its other statements.

import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { asApiError } from '../hooks';
import {
  entryPath,
  REASONS,
  STATUSES,
  statusLabel,
  uploadEvidence,
  type Justification,
  type SoaEntryDetail,
  type SoaPatch,
} from '../isms';
import { personOptions } from '../risk';
import type { Person } from '../types';
import { useSession } from '../session';
import { ErrorMessage, Loading, SuccessMessage } from './Status';

export function SoaEntryPanel({
  orgId,
  frameworkRef,
  reqId,
  writer,
  people,
  onClose,
  onSaved,
}: {
  orgId: string;
  frameworkRef: string;
  reqId: string;
  writer: boolean;
  people: Person[] | null;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { session } = useSession();
  const path = entryPath(orgId, frameworkRef, reqId);
  const [entry, setEntry] = useState<SoaEntryDetail | null>(null);
  const [etag, setEtag] = useState<string | null>(null);
  const [draft, setDraft] = useState<SoaPatch & { justification: Justification }>({ justification: emptyJustification() });
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [link, setLink] = useState('');
  const [tick, setTick] = useState(0);
  const box = useRef<HTMLElement>(null);
  // The panel opens below a long table: bring it into view when another entry is chosen.
  useEffect(() => box.current?.scrollIntoView({ block: 'start' }), [reqId, entry === null]);

  useEffect(() => {
    setError(null);
    api.getWithEtag<SoaEntryDetail>(path).then(
      (res) => {
        setEntry(res.data);
        setEtag(res.etag);
        setDraft({
          applicable: res.data.applicable,
          status: res.data.status,
          maturity: res.data.maturity,
          owner_id: res.data.owner_id,
          note: res.data.note,
          justification: { ...res.data.justification },
        });
      },
      (e: unknown) => setError(asApiError(e)),
    );
  }, [path, tick]);

  if (!entry) return <section class="card isms-panel" ref={box}>{error ? <ErrorMessage error={error} /> : <Loading />}</section>;
  const reload = () => {
    setTick((t) => t + 1);
    onSaved();
  };
  const save = async (e: Event) => {
    e.preventDefault();
    if (!etag) return;
    setError(null);
    setDone(null);
    try {
      await api.patch(path, draft, etag);
      setDone('Saved.');
      reload();
    } catch (x) {
      setError(asApiError(x));
    }
  };
  const addLink = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      await api.post(`${path}/evidence`, { url: link.trim() });
      setLink('');
      setDone('Link added.');
      reload();
    } catch (x) {
      setError(asApiError(x));
    }
  };
  const addFile = async (file: File | undefined) => {
    if (!file) return;
    setError(null);
    const res = await uploadEvidence(orgId, frameworkRef, reqId, file, session.csrf_token);
    if (!res.ok) {
      const body = (await res.json().catch(() => ({}))) as { title?: string; detail?: string; errors?: { field: string; message: string }[] };
      setError(new ApiError({ status: res.status, title: body.title ?? 'Upload refused', detail: body.detail, errors: body.errors ?? [] }));
      return;
    }
    setDone(`${file.name} added.`);
    reload();
  };
  const remove = async (id: string) => {
    setError(null);
    try {
      await api.delete(`${path}/evidence/${id}`);
      reload();
    } catch (x) {
      setError(asApiError(x));
    }
  };
  const j = draft.justification;
  return (
    <section class="card isms-panel" aria-labelledby="entry-title" ref={box}>
      <div class="isms-panel-head">
        <h2 id="entry-title">
          <span class="isms-id">{entry.requirement_id}</span> {entry.title}
        </h2>
        <button type="button" class="button button-quiet button-small" onClick={onClose}>
          Close
        </button>
      </div>
      {entry.description && <p>{entry.description}</p>}
      {entry.guidance && <p class="small muted">{entry.guidance}</p>}
      <ErrorMessage error={error} />
      <SuccessMessage>{done}</SuccessMessage>
      <form onSubmit={save} class="isms-entry-form">
        <fieldset disabled={!writer}>
          <legend>Decision</legend>
          <label class="checkbox">
            <input type="checkbox" checked={draft.applicable} onChange={(e) => setDraft({ ...draft, applicable: e.currentTarget.checked, status: e.currentTarget.checked ? (draft.status === 'not_applicable' ? 'not_started' : draft.status) : 'not_applicable', maturity: e.currentTarget.checked ? draft.maturity : null })} /> Applicable
          </label>
          <div class="isms-reasons" role="group" aria-label="Reasons">
            {REASONS.map(([key, label]) => (
              <label key={key} class="checkbox">
                <input type="checkbox" checked={j[key]} onChange={(e) => setDraft({ ...draft, justification: { ...j, [key]: e.currentTarget.checked } })} /> {label}
              </label>
            ))}
          </div>
          <label>
            Justification {draft.applicable ? '' : '(required when excluded)'}
            <textarea rows={2} value={j.text} onInput={(e) => setDraft({ ...draft, justification: { ...j, text: e.currentTarget.value } })} />
          </label>
          <div class="grid-2">
            <label>
              Status
              <select value={draft.status} onChange={(e) => setDraft({ ...draft, status: e.currentTarget.value as SoaPatch['status'] })}>
                {STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {statusLabel(s)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Maturity (0–5)
              <select value={draft.maturity === null || draft.maturity === undefined ? '' : String(draft.maturity)} onChange={(e) => setDraft({ ...draft, maturity: e.currentTarget.value === '' ? null : Number(e.currentTarget.value) })}>
                <option value="">—</option>
                {[0, 1, 2, 3, 4, 5].map((m) => (
                  <option key={m} value={String(m)}>
                    {m}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Owner
              <select value={draft.owner_id ?? ''} onChange={(e) => setDraft({ ...draft, owner_id: e.currentTarget.value || null })}>
                {personOptions(people, session, entry.owner_id).map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.value === entry.owner_id && entry.owner_name ? entry.owner_name : o.label}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Note
              <input type="text" value={draft.note} onInput={(e) => setDraft({ ...draft, note: e.currentTarget.value })} />
            </label>
          </div>
          {writer && (
            <button type="submit" class="button button-primary">
              Save
            </button>
          )}
        </fieldset>
      </form>
      <h3>Evidence</h3>
      {entry.evidence.length === 0 ? (
        <p class="muted">No evidence yet.</p>
      ) : (
        <ul class="isms-evidence">
          {entry.evidence.map((ev) => (
            <li key={ev.id}>
              {ev.kind === 'link' ? (
                <a href={ev.url ?? '#'} rel="noopener noreferrer" target="_blank">
                  {ev.name}
                </a>
              ) : (
                <a href={ev.content_url ?? '#'}>{ev.name}</a>
              )}{' '}
              <span class="small muted">
                {ev.kind === 'file' ? `${ev.media_type}, ${ev.size} bytes · ` : ''}
                {ev.added_by_name}
              </span>
              {writer && (
                <button type="button" class="button button-quiet button-small" onClick={() => remove(ev.id)}>
                  Remove<span class="sr-only"> {ev.name}</span>
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {writer && (
        <div class="isms-evidence-add">
          <form onSubmit={addLink}>
            <label>
              Add a link
              <input type="url" placeholder="https://…" value={link} onInput={(e) => setLink(e.currentTarget.value)} />
            </label>
            <button type="submit" class="button" disabled={!link.trim()}>
              Add link
            </button>
          </form>
          <label>
            Add a file
            <input type="file" onChange={(e) => addFile(e.currentTarget.files?.[0])} />
          </label>
        </div>
      )}
      {entry.risks.length > 0 && (
        <>
          <h3>Risks it treats</h3>
          <ul>
            {entry.risks.map((r) => (
              <li key={r.id}>{r.label}</li>
            ))}
          </ul>
        </>
      )}
      <h3>In the organisation's other statements</h3>
      {entry.mapped.length === 0 ? (
        <p class="muted">No mapping names this requirement.</p>
      ) : (
        <ul>
          {entry.mapped.map((m) => (
            <li key={m.urn}>
              {m.framework_name} <strong>{m.requirement_id}</strong> {m.title}:{' '}
              {m.assessed ? (m.applicable ? statusLabel(m.status ?? '') : 'excluded') : <span class="muted">no statement for it</span>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function emptyJustification(): Justification {
  return { legal: false, contractual: false, business: false, best_practice: false, risk_analysis: false, text: '' };
}
