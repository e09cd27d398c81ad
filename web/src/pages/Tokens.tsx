import { useState } from 'preact/hooks';
import { api, ApiError, listAll } from '../api';
import { TextField } from '../components/Field';
import { Page } from '../components/Page';
import { ErrorMessage, LoadState, SuccessMessage } from '../components/Status';
import { formatDateTime } from '../format';
import { asApiError, useAsync } from '../hooks';
import type { CreatedToken, Token } from '../types';

function tokenState(t: Token): { label: string; cls: string } {
  if (t.revoked_at) return { label: 'Revoked', cls: 'badge-off' };
  if (new Date(t.expires_at).getTime() <= Date.now()) return { label: 'Expired', cls: 'badge-off' };
  return { label: 'Active', cls: 'badge-on' };
}

export function TokensPage() {
  const tokens = useAsync(async () => {
    const items = await listAll<Token>('/tokens');
    return items.sort((a, b) => b.created_at.localeCompare(a.created_at));
  }, []);
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  const revoke = async (t: Token) => {
    setError(null);
    try {
      await api.delete(`/tokens/${t.id}`);
      setConfirming(null);
      setNotice(`The token “${t.name}” has been revoked; programs using it are refused from now on.`);
      tokens.reload();
    } catch (e) {
      setError(asApiError(e));
    }
  };

  return (
    <Page
      title="API tokens"
      lead="Tokens let your scripts and tools use the Rampart API with your roles. Keep them secret, give each a clear name and a short life."
    >
      <CreateToken
        onCreated={(c) => {
          setCreated(c);
          setNotice(null);
          tokens.reload();
        }}
      />
      {created && <NewSecret created={created} onDone={() => setCreated(null)} />}
      <SuccessMessage>{notice}</SuccessMessage>
      <ErrorMessage error={error} />
      <section aria-labelledby="your-tokens">
        <h2 id="your-tokens">Your tokens</h2>
        <LoadState state={tokens}>
          {(items) =>
            items.length ? (
              <div class="table-wrap">
                <table class="table">
                  <caption class="sr-only">Your API tokens</caption>
                  <thead>
                    <tr>
                      <th scope="col">Name</th>
                      <th scope="col">Prefix</th>
                      <th scope="col">Created</th>
                      <th scope="col">Expires</th>
                      <th scope="col">Last used</th>
                      <th scope="col">Status</th>
                      <th scope="col">Actions</th>
                    </tr>
                  </thead>
                  <tbody>
                    {items.map((t) => {
                      const st = tokenState(t);
                      return (
                        <tr key={t.id} class={st.label === 'Active' ? undefined : 'row-muted'}>
                          <th scope="row">{t.name}</th>
                          <td>
                            <code>{t.prefix}…</code>
                          </td>
                          <td>{formatDateTime(t.created_at)}</td>
                          <td>{formatDateTime(t.expires_at)}</td>
                          <td>{formatDateTime(t.last_used_at, 'Never')}</td>
                          <td>
                            <span class={`badge ${st.cls}`}>{st.label}</span>
                            {t.revoked_at && <span class="muted small"> {formatDateTime(t.revoked_at)}</span>}
                          </td>
                          <td class="actions">
                            {!t.revoked_at &&
                              (confirming === t.id ? (
                                <>
                                  <button type="button" class="button button-small button-danger" onClick={() => void revoke(t)}>
                                    Revoke now<span class="sr-only"> {t.name}</span>
                                  </button>
                                  <button type="button" class="button button-small button-quiet" onClick={() => setConfirming(null)}>
                                    Keep
                                  </button>
                                </>
                              ) : (
                                <button
                                  type="button"
                                  class="button button-small"
                                  onClick={() => {
                                    setConfirming(t.id);
                                    setNotice(null);
                                  }}
                                >
                                  Revoke<span class="sr-only"> {t.name}</span>
                                </button>
                              ))}
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            ) : (
              <p class="muted">You have no API tokens.</p>
            )
          }
        </LoadState>
      </section>
    </Page>
  );
}

function CreateToken({ onCreated }: { onCreated: (c: CreatedToken) => void }) {
  const [name, setName] = useState('');
  const [days, setDays] = useState('90');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const fe = error?.fieldErrors ?? {};

  const submit = async (e: Event) => {
    e.preventDefault();
    const n = Number(days);
    if (!Number.isInteger(n) || n < 1 || n > 366) {
      setError(
        new ApiError({
          status: 422,
          title: 'The token cannot be created',
          errors: [{ field: '/expires_in_days', message: 'Enter a whole number of days from 1 to 366.' }],
        }),
      );
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const created = await api.post<CreatedToken>('/tokens', { name: name.trim(), expires_in_days: n, password });
      setName('');
      setPassword('');
      onCreated(created);
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card form-card" aria-labelledby="new-token">
      <h2 id="new-token">Create a token</h2>
      <ErrorMessage error={error} />
      <form onSubmit={submit} class="form-row">
        <TextField
          label="Name"
          name="name"
          value={name}
          onValue={setName}
          required
          maxLength={100}
          hint="What the token is for, e.g. “SIEM export”."
          error={fe['/name']}
        />
        <TextField
          label="Expires in (days)"
          name="expires_in_days"
          type="number"
          inputMode="numeric"
          value={days}
          onValue={setDays}
          min={1}
          max={366}
          required
          hint="From 1 to 366."
          error={fe['/expires_in_days']}
        />
        <TextField
          label="Your password"
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onValue={setPassword}
          required
          hint="A token outlives this session, so Rampart asks who you are."
          error={fe['/password']}
        />
        <div class="form-actions">
          <button type="submit" class="button button-primary" disabled={busy}>
            {busy ? 'Creating…' : 'Create token'}
          </button>
        </div>
      </form>
    </section>
  );
}

function NewSecret({ created, onDone }: { created: CreatedToken; onDone: () => void }) {
  const [copied, setCopied] = useState<string | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(created.secret);
      setCopied('Copied to the clipboard.');
    } catch {
      setCopied('Copying is not allowed here: select the secret and copy it by hand.');
    }
  };
  return (
    <section class="card secret-card" aria-labelledby="secret-heading" role="region">
      <h2 id="secret-heading">Your new token “{created.token.name}”</h2>
      <p class="warning">
        <strong>Copy the secret now.</strong> It is shown only this once; Rampart keeps only a digest of it and cannot
        show it again.
      </p>
      <div class="secret">
        <code id="token-secret" class="secret-value">
          {created.secret}
        </code>
        <button type="button" class="button" onClick={() => void copy()} aria-describedby="token-secret">
          Copy
        </button>
      </div>
      <p role="status" aria-live="polite" class="muted small">
        {copied}
      </p>
      <button type="button" class="button button-quiet" onClick={onDone}>
        I have stored it safely
      </button>
    </section>
  );
}
