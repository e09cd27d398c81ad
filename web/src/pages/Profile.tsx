import { useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { TextField } from '../components/Field';
import { Link } from '../components/Link';
import { Page } from '../components/Page';
import { QrCode } from '../components/QrCode';
import { ErrorMessage, SuccessMessage } from '../components/Status';
import { formatDate, kindLabel, rolesLabel } from '../format';
import { asApiError } from '../hooks';
import { useSession } from '../session';
import type { TotpEnrolment } from '../types';

const MIN_PASSWORD = 12;

function invalid(field: string, message: string): ApiError {
  return new ApiError({ status: 422, title: 'Check the form', errors: [{ field, message }] });
}

export function ProfilePage() {
  const { session } = useSession();
  const u = session.user;
  return (
    <Page title="Your profile" lead="Your account, your memberships and how you sign in.">
      <div class="grid-2">
        <section class="card" aria-labelledby="account">
          <h2 id="account">Account</h2>
          <dl class="details">
            <dt>Name</dt>
            <dd>{u.display_name}</dd>
            <dt>Username</dt>
            <dd>{u.username}</dd>
            <dt>E-mail</dt>
            <dd>{u.email}</dd>
            <dt>Platform role</dt>
            <dd>{u.is_admin ? 'Platform administrator' : 'None'}</dd>
            <dt>Second factor</dt>
            <dd>{u.totp_enabled ? 'On (authenticator app)' : 'Off'}</dd>
            <dt>Account created</dt>
            <dd>{formatDate(u.created_at)}</dd>
          </dl>
        </section>
        <section class="card" aria-labelledby="memberships">
          <h2 id="memberships">Memberships</h2>
          {session.memberships.length ? (
            <ul class="plain memberships">
              {session.memberships.map((m) => (
                <li key={m.organisation.id}>
                  <Link href={`/organisations/${m.organisation.id}`}>{m.organisation.name}</Link>
                  <span class="muted"> · {kindLabel(m.organisation.kind)}</span>
                  <div>{rolesLabel(m.roles)}</div>
                </li>
              ))}
            </ul>
          ) : (
            <p class="muted">You are not a member of any organisation.</p>
          )}
        </section>
      </div>
      <div class="grid-2">
        <ChangePassword />
        <SecondFactor />
      </div>
    </Page>
  );
}

function ChangePassword() {
  const [form, setForm] = useState({ current: '', next: '', confirm: '' });
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const fe = error?.fieldErrors ?? {};
  const set = (k: keyof typeof form) => (v: string) => setForm({ ...form, [k]: v });

  const submit = async (e: Event) => {
    e.preventDefault();
    setDone(null);
    if (form.next.length < MIN_PASSWORD) {
      setError(invalid('/new_password', `Use at least ${MIN_PASSWORD} characters.`));
      return;
    }
    if (form.next !== form.confirm) {
      setError(invalid('confirm', 'The two new passwords are not the same.'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api.put('/me/password', { current_password: form.current, new_password: form.next });
      setForm({ current: '', next: '', confirm: '' });
      setDone('Your password has been changed.');
    } catch (err) {
      const apiErr = asApiError(err);
      // A wrong current password may come back as a plain 401/403/422 without a field.
      if (
        !Object.keys(apiErr.fieldErrors).length &&
        (apiErr.is('invalid-credentials') || apiErr.status === 403)
      ) {
        setError(invalid('/current_password', 'This is not your current password.'));
      } else {
        setError(apiErr);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card" aria-labelledby="password">
      <h2 id="password">Change your password</h2>
      <SuccessMessage>{done}</SuccessMessage>
      <ErrorMessage error={error} />
      <form onSubmit={submit}>
        <TextField
          label="Current password"
          name="current_password"
          type="password"
          value={form.current}
          onValue={set('current')}
          autoComplete="current-password"
          required
          error={fe['/current_password']}
        />
        <TextField
          label="New password"
          name="new_password"
          type="password"
          value={form.next}
          onValue={set('next')}
          autoComplete="new-password"
          minLength={MIN_PASSWORD}
          required
          hint={`At least ${MIN_PASSWORD} characters. A few unrelated words make a strong one.`}
          error={fe['/new_password']}
        />
        <TextField
          label="New password again"
          name="confirm_password"
          type="password"
          value={form.confirm}
          onValue={set('confirm')}
          autoComplete="new-password"
          required
          error={fe['confirm']}
        />
        <div class="form-actions">
          <button type="submit" class="button button-primary" disabled={busy}>
            Change password
          </button>
        </div>
      </form>
    </section>
  );
}

function SecondFactor() {
  const { session, refresh } = useSession();
  const enabled = session.user.totp_enabled;
  const [enrolment, setEnrolment] = useState<TotpEnrolment | null>(null);
  const [turningOff, setTurningOff] = useState(false);
  const [code, setCode] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      await action();
    } catch (err) {
      const apiErr = asApiError(err);
      if (!Object.keys(apiErr.fieldErrors).length && (apiErr.status === 401 || apiErr.status === 422 || apiErr.status === 403)) {
        setError(invalid('/code', 'That code is not right. Enter the current 6-digit code from your app.'));
      } else {
        setError(apiErr);
      }
    } finally {
      setBusy(false);
    }
  };

  const start = () =>
    run(async () => {
      setEnrolment(await api.post<TotpEnrolment>('/me/totp'));
      setCode('');
    });
  const confirm = (e: Event) => {
    e.preventDefault();
    return run(async () => {
      await api.post('/me/totp/confirm', { code: code.trim() });
      setEnrolment(null);
      setCode('');
      await refresh();
      setDone('The second factor is on. From now on Rampart asks for a code when you sign in.');
    });
  };
  const turnOff = (e: Event) => {
    e.preventDefault();
    return run(async () => {
      await api.delete('/me/totp', { code: code.trim() });
      setTurningOff(false);
      setCode('');
      await refresh();
      setDone('The second factor is off.');
    });
  };
  const cancel = () => {
    setEnrolment(null);
    setTurningOff(false);
    setCode('');
    setError(null);
  };

  const codeField = (
    <TextField
      label="6-digit code"
      name="code"
      value={code}
      onValue={(v) => setCode(v.replace(/\D/g, '').slice(0, 6))}
      autoComplete="one-time-code"
      inputMode="numeric"
      pattern="[0-9]{6}"
      minLength={6}
      maxLength={6}
      required
      error={error?.fieldErrors['/code']}
    />
  );

  return (
    <section class="card" aria-labelledby="totp">
      <h2 id="totp">Second factor</h2>
      <SuccessMessage>{done}</SuccessMessage>
      <ErrorMessage error={error} />
      {!enabled && !enrolment && (
        <>
          <p>
            An authenticator app on your phone adds a 6-digit code to your password, so a stolen password alone does not
            open your account.
          </p>
          <button type="button" class="button button-primary" onClick={() => void start()} disabled={busy}>
            Set up
          </button>
        </>
      )}
      {!enabled && enrolment && (
        <form onSubmit={confirm}>
          <ol class="steps">
            <li>Scan this code with your authenticator app.</li>
          </ol>
          <QrCode text={enrolment.otpauth_uri} label="QR code for your authenticator app" />
          <p class="small">
            Or enter this key by hand: <code class="totp-secret">{enrolment.secret}</code>
          </p>
          <ol class="steps" start={2}>
            <li>Enter the code the app shows.</li>
          </ol>
          {codeField}
          <div class="form-actions">
            <button type="submit" class="button button-primary" disabled={busy}>
              Turn on
            </button>
            <button type="button" class="button button-quiet" onClick={cancel}>
              Cancel
            </button>
          </div>
        </form>
      )}
      {enabled && !turningOff && (
        <>
          <p>The second factor is on: Rampart asks for a code from your authenticator app when you sign in.</p>
          <button type="button" class="button" onClick={() => setTurningOff(true)}>
            Turn off
          </button>
        </>
      )}
      {enabled && turningOff && (
        <form onSubmit={turnOff}>
          <p>To turn the second factor off, confirm with a current code from your app.</p>
          {codeField}
          <div class="form-actions">
            <button type="submit" class="button button-danger" disabled={busy}>
              Turn off
            </button>
            <button type="button" class="button button-quiet" onClick={cancel}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
