// One advisory as the person may see it: what it says, what to do, its revisions; the
// acknowledgement buttons for each of the person's organisations it reached; for the publishing
// CERT, publication, corrections and the acknowledgement dashboard.

import { useEffect, useState } from 'preact/hooks';
import { api, type ApiError } from '../api';
import { TextField } from '../components/Field';
import { Link } from '../components/Link';
import { Page } from '../components/Page';
import { ErrorMessage, Loading, SuccessMessage } from '../components/Status';
import { formatDateTime, tierLabel } from '../format';
import { asApiError } from '../hooks';
import { navigate } from '../router';
import {
  ACK_STATES,
  ackLabel,
  distributionLabel,
  tlpHint,
  type AckDashboard,
  type Advisory,
} from '../sharing';
import { SeverityTag, TlpTag } from './Advisories';

export function AdvisoryPage({ id }: { id: string }) {
  const [a, setA] = useState<Advisory | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    let current = true;
    setError(null);
    api.get<Advisory>(`/advisories/${encodeURIComponent(id)}`).then(
      (data) => current && setA(data),
      (e: unknown) => current && setError(asApiError(e)),
    );
    return () => {
      current = false;
    };
  }, [id, tick]);

  if (error && !a) {
    return (
      <Page title="Advisory">
        <ErrorMessage error={error} />
        <p>
          <Link href="/advisories">Back to the advisories</Link>
        </p>
      </Page>
    );
  }
  if (!a || a.id !== id) return <Loading what="Loading the advisory" />;

  const base = `/organisations/${a.author.id}/advisories/${a.id}`;
  const act = async (run: () => Promise<unknown>, message: string) => {
    setError(null);
    try {
      await run();
      setNotice(message);
      setTick((t) => t + 1);
    } catch (e) {
      setError(asApiError(e));
    }
  };

  return (
    <Page
      title={a.title}
      lead={
        <span class="case-lead">
          <span class="ref">{a.reference}</span>
          {a.revision > 1 && <span class="muted">revision {a.revision}</span>}
          <SeverityTag severity={a.severity} />
          <TlpTag label={a.tlp.label} />
          <span class="muted">
            {a.state === 'draft' ? 'Draft' : a.state === 'superseded' ? 'Superseded' : `Published ${formatDateTime(a.published_at)}`} ·{' '}
            {a.author.name}
          </span>
        </span>
      }
      actions={
        <>
          {a.you.may_edit && (
            <Link href={`/advisories/${a.id}/edit`} class="button">
              Edit the draft
            </Link>
          )}
          {a.you.may_publish && (
            <button type="button" class="button button-primary" onClick={() => void act(() => api.post(`${base}/publish`), 'Published: the audience has been told.')}>
              Publish
            </button>
          )}
        </>
      }
    >
      <nav aria-label="Breadcrumb" class="breadcrumb">
        <Link href="/advisories">Advisories</Link> <span aria-hidden="true">›</span> <span>{a.reference}</span>
      </nav>
      {error && <ErrorMessage error={error} />}
      <SuccessMessage>{notice}</SuccessMessage>
      {a.state === 'superseded' && (
        <p class="notice notice-due">
          A correction replaced this revision:{' '}
          {a.revisions
            .filter((r) => r.state === 'published')
            .map((r) => (
              <Link key={r.id} href={`/advisories/${r.id}`}>
                revision {r.revision}
              </Link>
            ))}
        </p>
      )}
      <p class="tlp-notice">
        <TlpTag label={a.tlp.label} /> {tlpHint(a.tlp.label)} Distribution: {distributionLabel(a.distribution)}
        {a.sectors.length > 0 && ` (${a.sectors.map((s) => s.name).join(', ')})`}
        {a.group && `, sharing group ${a.group.name}`}.
      </p>
      {a.you.acknowledge_as.map((k) => (
        <AckBox key={k.organisation_id} advisory={a} org={k} onDone={(m) => { setNotice(m); setTick((t) => t + 1); }} />
      ))}
      <section class="card">
        <h2>Summary</h2>
        <p class="prewrap">{a.summary}</p>
        {a.affected_products.length > 0 && (
          <>
            <h3>Affected products</h3>
            <ul>
              {a.affected_products.map((p, i) => (
                <li key={i}>
                  {p.vendor} {p.product} {p.versions && <span class="muted">({p.versions})</span>}
                </li>
              ))}
            </ul>
          </>
        )}
        {a.cve_ids.length > 0 && (
          <p>
            <strong>CVE:</strong> {a.cve_ids.join(', ')}
          </p>
        )}
        {a.recommended_actions && (
          <>
            <h3>What to do</h3>
            <p class="prewrap">{a.recommended_actions}</p>
          </>
        )}
        {a.observables.length > 0 && (
          <>
            <h3>Indicators</h3>
            <ul class="observable-list">
              {a.observables.map((o, i) => (
                <li key={i}>
                  <span class="muted">{o.type}</span> <code>{o.value}</code>
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
      {(a.recipient_organisations.length > 0 || a.recipient_people.length > 0) && (
        <section class="card">
          <h2>Recipients</h2>
          <p>
            {[...a.recipient_organisations.map((o) => o.name), ...a.recipient_people.map((p) => p.display_name ?? p.id)].join(', ')}
          </p>
        </section>
      )}
      {a.revisions.length > 1 && (
        <section class="card">
          <h2>Revisions</h2>
          <ol>
            {a.revisions.map((r) => (
              <li key={r.id}>
                <Link href={`/advisories/${r.id}`}>Revision {r.revision}</Link> <span class="muted">({r.state})</span>
                {r.changelog && <> — {r.changelog}</>}
              </li>
            ))}
          </ol>
        </section>
      )}
      {a.you.may_correct && <Correction advisory={a} />}
      {a.you.may_correct && <Dashboard advisory={a} />}
    </Page>
  );
}

function AckBox({
  advisory,
  org,
  onDone,
}: {
  advisory: Advisory;
  org: Advisory['you']['acknowledge_as'][number];
  onDone: (message: string) => void;
}) {
  const [note, setNote] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const send = async (state: string) => {
    setBusy(true);
    setError(null);
    try {
      await api.put(`/organisations/${org.organisation_id}/advisory-acknowledgements/${advisory.id}`, { state, note });
      setNote('');
      onDone(`Recorded for ${org.name}: ${ackLabel(state)}.`);
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="card ack-box" aria-label={`Acknowledgement for ${org.name}`}>
      <h2>Does it apply to {org.name}?</h2>
      <p>
        {org.current ? (
          <>
            Recorded: <strong>{ackLabel(org.current.state)}</strong> by {org.current.by ?? 'someone'}, {formatDateTime(org.current.at)}
            {org.current.note && <> — {org.current.note}</>}
          </>
        ) : (
          <span class="due-late">Not acknowledged yet.</span>
        )}
      </p>
      <ErrorMessage error={error} />
      <TextField label="Note (optional)" value={note} onValue={setNote} maxLength={4000} />
      <div class="button-row">
        {ACK_STATES.map((s) => (
          <button key={s} type="button" class="button" disabled={busy} onClick={() => void send(s)}>
            {ackLabel(s)}
          </button>
        ))}
      </div>
    </section>
  );
}

function Correction({ advisory }: { advisory: Advisory }) {
  const [changelog, setChangelog] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const start = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      const draft = await api.post<Advisory>(`/organisations/${advisory.author.id}/advisories/${advisory.id}/revisions`, { changelog });
      navigate(`/advisories/${draft.id}/edit`);
    } catch (err) {
      setError(asApiError(err));
    }
  };
  return (
    <form class="card" onSubmit={start}>
      <h2>Correct this advisory</h2>
      <p class="muted">A published advisory never changes: a correction is a new revision, told to the same audience.</p>
      <ErrorMessage error={error} />
      <TextField label="What the correction changes" value={changelog} onValue={setChangelog} required multiline maxLength={4000} />
      <button type="submit" class="button">
        Start a correction
      </button>
    </form>
  );
}

function Dashboard({ advisory }: { advisory: Advisory }) {
  const [d, setD] = useState<AckDashboard | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    api.get<AckDashboard>(`/organisations/${advisory.author.id}/advisories/${advisory.id}/acknowledgements`).then(setD, (e: unknown) => setError(asApiError(e)));
  }, [advisory.id, advisory.version]);
  if (error) return <ErrorMessage error={error} />;
  if (!d) return <Loading what="Loading the acknowledgements" />;
  const s = d.summary;
  return (
    <section class="card ack-dashboard" aria-labelledby="ack-heading">
      <h2 id="ack-heading">Acknowledgements</h2>
      <p>
        <strong>{s.acknowledged}</strong> of {s.audience} organisations answered ({s.applied} applied, {s.not_affected} not affected,{' '}
        {s.read} read). <strong class={s.pending_critical > 0 ? 'due-late' : undefined}>{s.pending} not yet</strong>
        {s.pending_critical > 0 && <>, {s.pending_critical} of them of the most critical tier</>}.
      </p>
      <div class="table-wrap">
        <table class="table compact">
          <caption class="sr-only">Acknowledgements, those not answered first</caption>
          <thead>
            <tr>
              <th scope="col">Organisation</th>
              <th scope="col">Criticality</th>
              <th scope="col">Answer</th>
              <th scope="col">When</th>
            </tr>
          </thead>
          <tbody>
            {d.items.map((i) => (
              <tr key={i.organisation.id} class={i.current ? undefined : 'row-overdue'}>
                <th scope="row">{i.organisation.name}</th>
                <td>{tierLabel(i.organisation.criticality_tier)}</td>
                <td>{i.current ? ackLabel(i.current.state) : <span class="due-late">Not yet</span>}</td>
                <td class="small">{i.current ? formatDateTime(i.current.at) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
