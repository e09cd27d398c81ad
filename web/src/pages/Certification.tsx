// ISO/IEC 27001 certification of the caller's organisation: none, in progress, or certified with
// its certifier, scope, certificate number and dates; a certificate past its expiry shows as
// expired whatever was recorded.

import { useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { SelectField, TextField } from '../components/Field';
import { Link } from '../components/Link';
import { Page } from '../components/Page';
import { ErrorMessage, LoadState, SuccessMessage } from '../components/Status';
import { certificationLabel, cyclePath, putVersioned, startOfDay, type Certification } from '../cycle';
import { formatDate, formatDateTime, toDateInput } from '../format';
import { asApiError, useAsync } from '../hooks';
import { mayWriteIsms } from '../isms';
import { useSession } from '../session';
import { useCycleOrg } from './Cycle';

export function CertificationPage() {
  const mine = useCycleOrg();
  const org = mine?.org;
  const { session } = useSession();
  const state = useAsync(async () => (org ? api.get<Certification>(cyclePath(org.id, '/certification')) : null), [org?.id]);
  if (!org) return <Page title="Certification">{<p>You hold no role that reads an ISMS.</p>}</Page>;
  return (
    <Page
      title="ISO/IEC 27001 certification"
      lead={`${org.name}`}
      actions={
        <>
          <Link href="/cycle" class="button">
            Cycle board
          </Link>{' '}
          <Link href="/cycle/obligations" class="button">
            Obligations
          </Link>
        </>
      }
    >
      <LoadState state={state}>
        {(c) => c && <CertificationCard orgId={org.id} cert={c} writer={mayWriteIsms(session, org.id)} csrf={session.csrf_token} onSaved={state.reload} />}
      </LoadState>
    </Page>
  );
}

function CertificationCard(p: { orgId: string; cert: Certification; writer: boolean; csrf: string | null; onSaved: () => void }) {
  const c = p.cert;
  const [status, setStatus] = useState<string>(c.status);
  const [certifier, setCertifier] = useState(c.certifier);
  const [scope, setScope] = useState(c.scope);
  const [number, setNumber] = useState(c.certificate_number);
  const [issued, setIssued] = useState(toDateInput(c.issued_at));
  const [expires, setExpires] = useState(toDateInput(c.expires_at));
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState(false);
  const save = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setSaved(false);
    const body: Record<string, unknown> = { status, certifier, scope };
    if (status === 'certified') Object.assign(body, { certificate_number: number, issued_at: startOfDay(issued), expires_at: startOfDay(expires) });
    try {
      await putVersioned(cyclePath(p.orgId, '/certification'), body, c.version, p.csrf);
      setSaved(true);
      p.onSaved();
    } catch (err) {
      setError(asApiError(err));
    }
  };
  return (
    <>
      <section class="card" aria-labelledby="cert-h">
        <h2 id="cert-h">Status</h2>
        <p class={`cert-status cert-${c.effective_status}`}>{certificationLabel(c.effective_status)}</p>
        {c.status !== 'none' && (
          <dl class="details">
            <dt>Certifier</dt>
            <dd>{c.certifier || '—'}</dd>
            <dt>Scope</dt>
            <dd>{c.scope || '—'}</dd>
            {c.status === 'certified' && (
              <>
                <dt>Certificate number</dt>
                <dd>{c.certificate_number}</dd>
                <dt>Issued</dt>
                <dd>{formatDate(c.issued_at)}</dd>
                <dt>Expires</dt>
                <dd class={c.effective_status === 'expired' ? 'due-late' : ''}>{formatDate(c.expires_at)}</dd>
              </>
            )}
          </dl>
        )}
        {c.updated_at && (
          <p class="small muted">
            Recorded by {c.updated_by} on {formatDateTime(c.updated_at)}
          </p>
        )}
      </section>
      {p.writer && (
        <form class="card form-card" onSubmit={save} aria-labelledby="cert-edit-h">
          <h2 id="cert-edit-h">Record the certification</h2>
          <ErrorMessage error={error} />
          {saved && <SuccessMessage>Certification saved.</SuccessMessage>}
          <div class="form-grid">
            <SelectField
              label="Status"
              value={status}
              onValue={setStatus}
              options={[
                { value: 'none', label: 'Not certified' },
                { value: 'in_progress', label: 'In progress' },
                { value: 'certified', label: 'Certified' },
              ]}
            />
            <TextField label="Certifier" value={certifier} onValue={setCertifier} error={error?.fieldErrors['/certifier']} />
            {status === 'certified' && (
              <>
                <TextField label="Certificate number" value={number} onValue={setNumber} error={error?.fieldErrors['/certificate_number']} />
                <TextField label="Issued on" type="date" value={issued} onValue={setIssued} error={error?.fieldErrors['/issued_at']} />
                <TextField label="Expires on" type="date" value={expires} onValue={setExpires} error={error?.fieldErrors['/expires_at']} />
              </>
            )}
          </div>
          <TextField label="Scope of the certification" value={scope} onValue={setScope} multiline rows={2} error={error?.fieldErrors['/scope']} />
          <div class="form-actions">
            <button type="submit" class="button button-primary">
              Save certification
            </button>
          </div>
        </form>
      )}
    </>
  );
}
