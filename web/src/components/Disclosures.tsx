// Law-enforcement requests for a case's data, for the CERT holding it: record a request with its
// authority, legal basis and scope; two different people of the CERT approve it (one refusal
// refuses); only then is the case released, and the release is logged. What was released can be
// saved as a file to hand over.

import { useEffect, useState } from 'preact/hooks';
import { api, type ApiError } from '../api';
import { formatDateTime } from '../format';
import { asApiError } from '../hooks';
import type { DisclosureRequest, IncidentCase } from '../incidents';
import { useSession } from '../session';
import { TextField } from './Field';
import { ErrorMessage, SuccessMessage } from './Status';

const STATE_TEXT: Record<string, string> = {
  pending: 'Waiting for approvals',
  approved: 'Approved: may be released',
  refused: 'Refused',
  released: 'Released',
};

function saveJson(name: string, data: unknown) {
  const blob = new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  URL.revokeObjectURL(url);
}

export function Disclosures({ c, onChanged }: { c: IncidentCase; onChanged: () => void }) {
  const { session } = useSession();
  const [items, setItems] = useState<DisclosureRequest[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [tick, setTick] = useState(0);
  const [authority, setAuthority] = useState('');
  const [basis, setBasis] = useState('');
  const [scope, setScope] = useState('');
  const [reason, setReason] = useState<Record<string, string>>({});
  const fe = error?.fieldErrors ?? {};
  const path = `/incidents/${c.id}/disclosures`;

  useEffect(() => {
    let current = true;
    api.get<{ items: DisclosureRequest[] }>(path).then(
      (page) => current && setItems(page.items),
      (e: unknown) => current && setError(asApiError(e)),
    );
    return () => {
      current = false;
    };
  }, [path, tick]);

  const act = async (work: () => Promise<unknown>, message: string) => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      await work();
      setNotice(message);
      setTick((t) => t + 1);
      onChanged();
      return true;
    } catch (e) {
      setError(asApiError(e));
      return false;
    } finally {
      setBusy(false);
    }
  };

  const record = async (e: Event) => {
    e.preventDefault();
    const done = await act(
      () => api.post(path, { authority: authority.trim(), legal_basis: basis.trim(), scope: scope.trim() }),
      'The request is recorded. Two different people of your CERT must approve it before anything is released.',
    );
    if (done) {
      setAuthority('');
      setBasis('');
      setScope('');
    }
  };
  const decide = (r: DisclosureRequest, decision: 'approve' | 'refuse') =>
    act(
      () => api.post(`${path}/${r.id}/decisions`, { decision, ...(reason[r.id]?.trim() ? { reason: reason[r.id]!.trim() } : {}) }),
      decision === 'approve' ? 'Your approval is recorded.' : 'The request is refused.',
    );
  const release = (r: DisclosureRequest) =>
    act(async () => {
      const released = await api.post<{ request: DisclosureRequest; case: IncidentCase }>(`${path}/${r.id}/release`);
      saveJson(`${c.reference}-disclosure-${r.id.slice(0, 8)}.json`, released);
    }, 'Released: the case as disclosed was saved as a file, and the release is on the timeline and in the audit log.');

  return (
    <section class="card" aria-labelledby="case-disclosures">
      <h2 id="case-disclosures">Law-enforcement requests</h2>
      <p class="small muted">
        Nothing of this case goes to the police or a court without a recorded legal basis and the approval of two different
        people of your CERT.
      </p>
      <ErrorMessage error={error} />
      <SuccessMessage>{notice}</SuccessMessage>
      {items === null && !error && <p class="muted">Loading…</p>}
      {items?.length === 0 && <p class="muted">No requests.</p>}
      <ul class="plain disclosures">
        {items?.map((r) => {
          const decided = r.decisions.some((d) => d.by === session.user.display_name);
          return (
            <li key={r.id} class="disclosure">
              <p>
                <strong>{r.authority}</strong> <span class={`badge badge-${r.state}`}>{STATE_TEXT[r.state] ?? r.state}</span>
              </p>
              <dl class="facts">
                <dt>Legal basis</dt>
                <dd>{r.legal_basis}</dd>
                <dt>Scope</dt>
                <dd>{r.scope}</dd>
                <dt>Recorded</dt>
                <dd>
                  {formatDateTime(r.recorded_at)} by {r.recorded_by}
                </dd>
                {r.released_at && (
                  <>
                    <dt>Released</dt>
                    <dd>
                      {formatDateTime(r.released_at)} by {r.released_by}
                    </dd>
                  </>
                )}
              </dl>
              {r.decisions.length > 0 && (
                <ul class="plain small">
                  {r.decisions.map((d, i) => (
                    <li key={i}>
                      {d.decision === 'approve' ? 'Approved' : 'Refused'} by {d.by}, {formatDateTime(d.at)}
                      {d.reason && <> — “{d.reason}”</>}
                    </li>
                  ))}
                </ul>
              )}
              {r.state === 'pending' && !decided && (
                <div class="inline-form">
                  <TextField
                    label="Reason (needed to refuse)"
                    name={`reason-${r.id}`}
                    value={reason[r.id] ?? ''}
                    onValue={(v) => setReason({ ...reason, [r.id]: v })}
                    maxLength={2000}
                    error={fe['/reason']}
                  />
                  <div class="form-actions">
                    <button type="button" class="button button-primary" disabled={busy} onClick={() => void decide(r, 'approve')}>
                      Approve
                    </button>
                    <button type="button" class="button button-danger" disabled={busy} onClick={() => void decide(r, 'refuse')}>
                      Refuse
                    </button>
                  </div>
                </div>
              )}
              {r.state === 'pending' && decided && <p class="small muted">You have decided; another person of your CERT must too.</p>}
              {r.state === 'approved' && (
                <div class="form-actions">
                  <button type="button" class="button button-primary" disabled={busy} onClick={() => void release(r)}>
                    Release and save the file
                  </button>
                </div>
              )}
            </li>
          );
        })}
      </ul>
      <details class="more-fields">
        <summary>Record a request</summary>
        <form onSubmit={record}>
          <TextField label="Requesting authority" name="authority" value={authority} onValue={setAuthority} maxLength={300} required error={fe['/authority']} />
          <TextField
            label="Legal basis"
            name="legal_basis"
            value={basis}
            onValue={setBasis}
            maxLength={1000}
            required
            hint="For example the reference of the judge's order."
            error={fe['/legal_basis']}
          />
          <TextField label="Scope" name="scope" value={scope} onValue={setScope} maxLength={4000} multiline required hint="What exactly is asked for." error={fe['/scope']} />
          <div class="form-actions">
            <button type="submit" class="button" disabled={busy}>
              Record the request
            </button>
          </div>
        </form>
      </details>
    </section>
  );
}
