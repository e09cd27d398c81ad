// "Sharing" on a case: the disclosure protocol. A case stays with its parties until the reporting
// organisation consents to share it wider. A CERT holding the case asks, proposing exactly what
// would go out (named or anonymised, the text it reviewed, observables each with its own label,
// and an audience the server's engine previews); the reporting organisation's leaders read who
// would see it and consent or refuse; the CERT publishes what was consented to. The server
// decides every step; this panel only offers what the case says the person may do.

import { useEffect, useMemo, useState } from 'preact/hooks';
import { api, ifMatch, listAll, type ApiError } from '../api';
import { loadDirectory, type Directory } from '../directory';
import { formatDateTime } from '../format';
import { asApiError, useAsync } from '../hooks';
import type { IncidentCase } from '../incidents';
import { useSession } from '../session';
import {
  DISTRIBUTIONS,
  distributionLabel,
  TLP_LABELS,
  tlpClass,
  tlpHint,
  type AudienceRequest,
  type Distribution,
  type SharingGroup,
} from '../sharing';
import { narrowness, shareStateLabel, type ShareForm, type ShareRequest, type ShareRequestList } from '../sharing-more';
import { AudiencePreviewPanel } from './AudiencePreview';
import { CheckboxGroup, RadioGroup, SelectField, TextField } from './Field';
import { Link } from './Link';
import { ErrorMessage, SuccessMessage } from './Status';

interface AskForm {
  form: ShareForm;
  title: string;
  text: string;
  observables: string[];
  tlp: string;
  distribution: Distribution;
  sectors: string[];
  group: string;
  recipients: string[];
}

function askFormOf(r: ShareRequest): AskForm {
  return {
    form: r.form,
    title: r.title,
    text: r.text,
    observables: r.observables.map((o) => o.observable_id ?? ''),
    tlp: r.tlp.label,
    distribution: r.distribution,
    sectors: r.sectors.map((s) => s.id),
    group: r.group?.id ?? '',
    recipients: r.recipient_organisations.map((o) => o.id),
  };
}

function audienceOf(f: AskForm, author: string): AudienceRequest {
  const amber = f.tlp === 'TLP:AMBER' || f.tlp === 'TLP:AMBER+STRICT';
  return {
    author_org_id: author,
    tlp: f.tlp,
    distribution: f.distribution,
    sector_ids: f.distribution === 'sector' ? f.sectors : [],
    group_id: f.group || null,
    recipient_org_ids: amber ? f.recipients : [],
    recipient_user_ids: [],
  };
}

function bodyOf(f: AskForm, author: string) {
  const { author_org_id: _a, ...audience } = audienceOf(f, author);
  return { form: f.form, title: f.title.trim(), text: f.text.trim(), observable_ids: f.observables, ...audience };
}

/** The composer of a request (new, or a change of one not yet published). */
function AskComposer({
  c,
  author,
  mayAskNamed,
  existing,
  onSaved,
  onCancel,
}: {
  c: IncidentCase;
  author: string;
  mayAskNamed: boolean;
  existing: ShareRequest | null;
  onSaved: (text: string) => void;
  onCancel: () => void;
}) {
  const dir = useAsync<Directory>(loadDirectory, []);
  const groups = useAsync<SharingGroup[]>(() => listAll<SharingGroup>('/sharing-groups'), []);
  const [f, setF] = useState<AskForm>(
    existing
      ? askFormOf(existing)
      : {
          form: 'anonymised',
          title: c.title,
          text: c.summary,
          observables: [],
          tlp: 'TLP:AMBER',
          distribution: 'sector',
          sectors: [c.sector_id],
          group: '',
          recipients: [],
        },
  );
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<AskForm>) => setF({ ...f, ...patch });
  const fe = (name: string) => error?.fieldErrors[`/${name}`];
  const usable = useMemo(
    () => (groups.data ?? []).filter((g) => g.owner.id === author || g.members.some((m) => m.id === author)),
    [groups.data, author],
  );
  const amber = f.tlp === 'TLP:AMBER' || f.tlp === 'TLP:AMBER+STRICT';
  const path = `/incidents/${c.id}/share-requests`;

  const save = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (existing) {
        await api.patch(`${path}/${existing.id}`, bodyOf(f, author), ifMatch(existing.version));
        onSaved('The request is changed. The reporting organisation is asked to consent again.');
      } else {
        await api.post(path, bodyOf(f, author));
        onSaved('The request is sent. The reporting organisation is told, and nothing is shared until it consents.');
      }
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="composer case-share-composer">
      <form class="composer-form" onSubmit={save} noValidate aria-label={existing ? 'Change the request' : 'Ask to share'}>
        <ErrorMessage error={error} />
        <RadioGroup
          label="Form"
          name="share-form"
          value={f.form}
          onValue={(v) => set({ form: v as ShareForm })}
          options={[
            { value: 'anonymised', label: 'Anonymised — the organisation is replaced by its sector and size class' },
            ...(mayAskNamed ? [{ value: 'named', label: 'Named — the organisation is named' }] : []),
          ]}
          error={fe('form')}
        />
        <TextField label="Title as shared" value={f.title} onValue={(v) => set({ title: v })} required maxLength={300} error={fe('title')} />
        <TextField
          label="Text as shared"
          value={f.text}
          onValue={(v) => set({ text: v })}
          required
          multiline
          rows={6}
          hint="Review it: this text is what is shared, never the case itself. An anonymised text may not name the organisation."
          error={fe('text')}
        />
        {c.observables.length > 0 && (
          <CheckboxGroup
            label="Observables that go with it"
            options={c.observables.map((o) => ({
              value: o.id,
              label: `${o.type} ${o.value} (${o.tlp})${narrowness(o.tlp) > narrowness(f.tlp) ? ' — labelled narrower than the share' : ''}`,
            }))}
            selected={f.observables}
            onSelected={(v) => set({ observables: v })}
            hint="Each keeps its own label; one labelled narrower than the share cannot go with it."
            error={fe('observable_ids') ?? Object.entries(error?.fieldErrors ?? {}).find(([k]) => k.startsWith('/observable_ids/'))?.[1]}
          />
        )}
        <RadioGroup
          label="Traffic Light Protocol label"
          name="share-tlp"
          value={f.tlp}
          onValue={(v) => set({ tlp: v })}
          options={TLP_LABELS.filter((t) => t !== 'TLP:RED').map((t) => ({ value: t, label: `${t} — ${tlpHint(t)}` }))}
          error={fe('tlp')}
        />
        <SelectField
          label="Distribution"
          value={f.distribution}
          onValue={(v) => set({ distribution: v as Distribution })}
          options={DISTRIBUTIONS.map((d) => ({ value: d, label: distributionLabel(d) }))}
          error={fe('distribution')}
        />
        {f.distribution === 'sector' && dir.data && (
          <CheckboxGroup
            label="Sectors"
            options={dir.data.sectors.map((s) => ({ value: s.id, label: s.name }))}
            selected={f.sectors}
            onSelected={(v) => set({ sectors: v })}
            error={fe('sector_ids')}
          />
        )}
        <SelectField
          label="Sharing group"
          value={f.group}
          onValue={(v) => set({ group: v })}
          options={[{ value: '', label: 'None' }, ...usable.map((g) => ({ value: g.id, label: g.name }))]}
          error={fe('group_id')}
        />
        {amber && dir.data && (
          <CheckboxGroup
            label="Recipient organisations"
            options={dir.data.organisations.filter((o) => o.id !== author).map((o) => ({ value: o.id, label: o.name }))}
            selected={f.recipients}
            onSelected={(v) => set({ recipients: v })}
            error={fe('recipient_org_ids')}
          />
        )}
        <div class="button-row">
          <button type="submit" class="button button-primary" disabled={busy}>
            {existing ? 'Save the change and ask again' : 'Ask for consent'}
          </button>
          <button type="button" class="button button-quiet" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </form>
      <AudiencePreviewPanel request={audienceOf(f, author)} />
    </div>
  );
}

function RequestView({
  r,
  busy,
  onAnswer,
  onWithdraw,
  onPublish,
  onEdit,
}: {
  r: ShareRequest;
  busy: boolean;
  onAnswer: (decision: 'consent' | 'refuse', reason: string) => void;
  onWithdraw: (reason: string) => void;
  onPublish: () => void;
  onEdit: () => void;
}) {
  const [reason, setReason] = useState('');
  const shown = 30;
  return (
    <li class="share-request" data-state={r.state}>
      <p class="share-request-head">
        <strong>{r.form === 'anonymised' ? 'Anonymised' : 'Named'} version</strong>{' '}
        <span class={tlpClass(r.tlp.label)}>{r.tlp.label}</span>{' '}
        <span class={`badge badge-${r.state}`}>{shareStateLabel(r.state)}</span>
      </p>
      <p class="small muted">
        Asked by {r.requested_by ?? 'an analyst'} of {r.cert.name}, {formatDateTime(r.requested_at)}
      </p>
      <div class="share-what">
        <h4>What would be shared</h4>
        <p>
          <strong>{r.title}</strong>
        </p>
        <p class="pre-line">{r.text}</p>
        {r.observables.length > 0 && (
          <ul class="plain share-observables">
            {r.observables.map((o) => (
              <li key={`${o.type}-${o.value}`}>
                <code>{o.value}</code> <span class="muted">{o.type}</span> <span class={tlpClass(o.tlp.label)}>{o.tlp.label}</span>
              </li>
            ))}
          </ul>
        )}
      </div>
      <div class="share-who">
        <h4>Who would see it</h4>
        <p>
          {distributionLabel(r.distribution)}
          {r.sectors.length > 0 && <> ({r.sectors.map((s) => s.name).join(', ')})</>}
          {r.group && <>, sharing group {r.group.name}</>}: <strong>{r.audience.organisation_count}</strong>{' '}
          {r.audience.organisation_count === 1 ? 'organisation' : 'organisations'}
          {r.audience.anonymous_public && <> and the public</>}
        </p>
        <ul class="audience-list">
          {r.audience.organisations.slice(0, shown).map((o) => (
            <li key={o.id}>{o.name}</li>
          ))}
          {r.audience.organisations.length > shown && <li class="muted">and {r.audience.organisations.length - shown} more</li>}
        </ul>
      </div>
      {r.answer && (
        <p class="small">
          {r.state === 'withdrawn' ? 'Consent withdrawn' : r.state === 'refused' ? 'Refused' : 'Consented'} by {r.answer.by ?? 'the reporting organisation'},{' '}
          {formatDateTime(r.answer.at)}
          {r.answer.reason && <> — “{r.answer.reason}”</>}
        </p>
      )}
      {r.shared_incident_id && (
        <p>
          <Link href={`/shared-incidents/${r.shared_incident_id}`}>Open the shared incident</Link>
        </p>
      )}
      {(r.you.may_answer || r.you.may_withdraw) && (
        <div class="inline-form">
          <TextField
            label={r.you.may_answer ? 'Reason (needed to refuse)' : 'Reason for withdrawing consent'}
            name={`share-reason-${r.id}`}
            value={reason}
            onValue={setReason}
            maxLength={4000}
          />
          <div class="form-actions">
            {r.you.may_answer && (
              <>
                <button type="button" class="button button-primary" disabled={busy} onClick={() => onAnswer('consent', reason.trim())}>
                  Consent to this share
                </button>
                <button type="button" class="button button-danger" disabled={busy} onClick={() => onAnswer('refuse', reason.trim())}>
                  Refuse
                </button>
              </>
            )}
            {r.you.may_withdraw && (
              <button type="button" class="button button-danger" disabled={busy} onClick={() => onWithdraw(reason.trim())}>
                Withdraw consent
              </button>
            )}
          </div>
        </div>
      )}
      {(r.you.may_publish || r.you.may_edit) && (
        <div class="form-actions">
          {r.you.may_publish && (
            <button type="button" class="button button-primary" disabled={busy} onClick={onPublish}>
              Publish the shared incident
            </button>
          )}
          {r.you.may_edit && (
            <button type="button" class="button button-quiet" disabled={busy} onClick={onEdit}>
              Change the request
            </button>
          )}
        </div>
      )}
    </li>
  );
}

export function CaseSharing({ c, onChanged }: { c: IncidentCase; onChanged: () => void }) {
  const { session } = useSession();
  const [list, setList] = useState<ShareRequestList | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [tick, setTick] = useState(0);
  const [composing, setComposing] = useState<ShareRequest | 'new' | null>(null);
  const path = `/incidents/${c.id}/share-requests`;

  useEffect(() => {
    let current = true;
    api.get<ShareRequestList>(path).then(
      (page) => current && setList(page),
      (e: unknown) => current && setError(asApiError(e)),
    );
    return () => {
      current = false;
    };
  }, [path, tick]);

  // The CERT the person asks for: their membership among the case's CERTs.
  const certIds = new Set(
    c.parties.filter((p) => p.relation === 'sector_cert' || p.relation.startsWith('national_cert')).map((p) => p.organisation_id),
  );
  const author =
    session.memberships.find((m) => certIds.has(m.organisation.id) && m.roles.includes('analyst'))?.organisation.id ??
    session.memberships.find((m) => m.roles.includes('analyst') && (m.organisation.kind === 'national_cert' || m.organisation.kind === 'sector_cert'))
      ?.organisation.id ??
    '';

  const act = async (work: () => Promise<unknown>, message: string) => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      await work();
      setNotice(message);
      setTick((t) => t + 1);
      onChanged();
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };

  if (list && list.items.length === 0 && !list.you.may_ask) return null;

  return (
    <section class="card case-sharing" aria-labelledby="case-sharing">
      <h2 id="case-sharing">Sharing</h2>
      <p class="small muted">
        This case stays with the reporting organisation, its regulators and the CERTs. It goes further only as a version a CERT reviewed, after the reporting
        organisation’s head, CISO or management consented to exactly that version and audience.
      </p>
      <ErrorMessage error={error} />
      <SuccessMessage>{notice}</SuccessMessage>
      {list === null && !error && <p class="muted">Loading…</p>}
      {list?.items.length === 0 && <p class="muted">Nobody has asked to share this case.</p>}
      <ul class="plain share-requests">
        {list?.items.map((r) =>
          composing !== 'new' && composing?.id === r.id ? (
            <li key={r.id}>
              <AskComposer
                c={c}
                author={r.cert.id}
                mayAskNamed={list.you.may_ask_named}
                existing={r}
                onSaved={(text) => {
                  setComposing(null);
                  setNotice(text);
                  setTick((t) => t + 1);
                  onChanged();
                }}
                onCancel={() => setComposing(null)}
              />
            </li>
          ) : (
            <RequestView
              key={r.id}
              r={r}
              busy={busy}
              onAnswer={(decision, reason) =>
                void act(
                  () => api.post(`${path}/${r.id}/answer`, { decision, digest: r.digest, ...(reason ? { reason } : {}) }),
                  decision === 'consent' ? 'You consented. The CERT is told and may now publish exactly this version.' : 'You refused. The CERT is told.',
                )
              }
              onWithdraw={(reason) => void act(() => api.post(`${path}/${r.id}/withdraw`, { reason }), 'Consent withdrawn. The CERT is told; nothing is published.')}
              onPublish={() => void act(() => api.post(`${path}/${r.id}/publish`), 'Published. Its audience is told.')}
              onEdit={() => setComposing(r)}
            />
          ),
        )}
      </ul>
      {list?.you.may_ask &&
        (composing === 'new' ? (
          <AskComposer
            c={c}
            author={author}
            mayAskNamed={list.you.may_ask_named}
            existing={null}
            onSaved={(text) => {
              setComposing(null);
              setNotice(text);
              setTick((t) => t + 1);
              onChanged();
            }}
            onCancel={() => setComposing(null)}
          />
        ) : (
          <div class="form-actions">
            <button type="button" class="button" onClick={() => setComposing('new')}>
              Ask to share this case…
            </button>
          </div>
        ))}
    </section>
  );
}
