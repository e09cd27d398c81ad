import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { TextField } from '../components/Field';
import { asApiError, useTitle } from '../hooks';
import type { Session } from '../types';

type Step = 'password' | 'totp';

/** What to tell a person whose sign-in failed. */
function messageFor(e: ApiError, step: Step): string {
  if (e.status === 429) {
    if (e.retryAfter === null) return 'Too many attempts. Wait a little and try again.';
    const minutes = e.retryAfter >= 120 ? ` (about ${Math.round(e.retryAfter / 60)} minutes)` : '';
    return `Too many attempts. Try again in ${e.retryAfter} s${minutes}.`;
  }
  if (e.is('invalid-credentials') || e.status === 401) {
    return step === 'totp'
      ? 'That code is not right, or it has been used already. Enter the current code from your authenticator app.'
      : 'The username or password is not right.';
  }
  if (e.status === 0) return e.title + '. ' + e.detail;
  return e.detail || e.title;
}

export function LoginPage({ onSignedIn }: { onSignedIn: (s: Session) => void }) {
  useTitle('Sign in');
  const [step, setStep] = useState<Step>('password');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [waitUntil, setWaitUntil] = useState(0);
  const [now, setNow] = useState(Date.now());
  const codeHeading = useRef<HTMLHeadingElement>(null);

  // Count down a throttling pause so the person sees when to try again.
  useEffect(() => {
    if (waitUntil <= Date.now()) return undefined;
    const t = window.setInterval(() => {
      setNow(Date.now());
      if (Date.now() >= waitUntil) window.clearInterval(t);
    }, 1000);
    return () => window.clearInterval(t);
  }, [waitUntil]);
  const waitLeft = Math.max(0, Math.ceil((waitUntil - now) / 1000));

  useEffect(() => {
    if (step === 'totp') codeHeading.current?.focus();
  }, [step]);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body: Record<string, string> = { username, password };
      if (step === 'totp') body.totp_code = code.trim();
      const session = await api.post<Session>('/session', body, { quiet401: true });
      onSignedIn(session);
    } catch (err) {
      const apiErr = asApiError(err);
      if (apiErr.is('totp-required') && step === 'password') {
        setStep('totp');
      } else {
        setError(messageFor(apiErr, step));
        if (apiErr.status === 429 && apiErr.retryAfter) {
          setWaitUntil(Date.now() + apiErr.retryAfter * 1000);
          setNow(Date.now());
        }
        if (step === 'totp') setCode('');
      }
    } finally {
      setBusy(false);
    }
  };

  const restart = () => {
    setStep('password');
    setPassword('');
    setCode('');
    setError(null);
  };

  return (
    <main id="main" class="login">
      <div class="login-card">
        <div class="login-brand">
          <span class="brand-mark brand-mark-large" aria-hidden="true" />
          <div>
            <p class="login-product">Rampart</p>
            <p class="muted">Critical information infrastructure protection</p>
          </div>
        </div>
        {step === 'password' ? (
          <h1>Sign in</h1>
        ) : (
          <h1 tabIndex={-1} ref={codeHeading}>
            Enter your code
          </h1>
        )}
        <div role="alert" aria-live="assertive" class={error ? 'notice notice-error' : 'sr-only'}>
          {error}
        </div>
        <form onSubmit={submit}>
          {step === 'password' ? (
            <>
              <TextField
                label="Username"
                name="username"
                value={username}
                onValue={(v) => {
                  setUsername(v);
                  // The pause is per account (and per address): another account may try at once.
                  setWaitUntil(0);
                }}
                autoComplete="username"
                required
                autoFocus
              />
              <TextField
                label="Password"
                name="password"
                type="password"
                value={password}
                onValue={setPassword}
                autoComplete="current-password"
                required
              />
            </>
          ) : (
            <>
              <p>
                Your account is protected by a second factor. Open your authenticator app and enter the 6-digit code
                for Rampart.
              </p>
              <TextField
                label="6-digit code"
                name="totp_code"
                value={code}
                onValue={(v) => setCode(v.replace(/\D/g, '').slice(0, 6))}
                autoComplete="one-time-code"
                inputMode="numeric"
                pattern="[0-9]{6}"
                minLength={6}
                maxLength={6}
                required
              />
            </>
          )}
          <div class="form-actions">
            <button type="submit" class="button button-primary" disabled={busy || waitLeft > 0}>
              {busy ? 'Signing in…' : waitLeft > 0 ? `Try again in ${waitLeft} s` : step === 'totp' ? 'Verify' : 'Sign in'}
            </button>
            {step === 'totp' && (
              <button type="button" class="button button-quiet" onClick={restart}>
                Start again
              </button>
            )}
          </div>
        </form>
      </div>
    </main>
  );
}
