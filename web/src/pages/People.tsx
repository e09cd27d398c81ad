import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, ifMatch, listAll } from '../api';
import { CheckboxGroup, TextField } from '../components/Field';
import { Link } from '../components/Link';
import { Page } from '../components/Page';
import { ErrorMessage, Loading, SuccessMessage } from '../components/Status';
import { roleLabel, rolesLabel } from '../format';
import { asApiError, useAsync } from '../hooks';
import { canManagePeople, useSession } from '../session';
import { ROLES, type Organisation, type Person } from '../types';

const ROLE_OPTIONS = ROLES.map((r) => ({ value: r, label: roleLabel(r) }));

/** The answer of POST /users/{id}/password-reset. */
interface PasswordReset {
  temporary_password: string;
}

/** A temporary password just issued, shown once. */
interface Issued {
  name: string;
  username: string;
  password: string;
}

const STALE =
  'Someone else changed this person while you were working. The list has been reloaded with their change; check it and try again.';

export function PeoplePage({ orgId }: { orgId: string }) {
  const { session } = useSession();
  const base = `/organisations/${encodeURIComponent(orgId)}`;
  const state = useAsync(async () => {
    const [org, people] = await Promise.all([api.get<Organisation>(base), listAll<Person>(`${base}/people`)]);
    people.sort((a, b) => a.user.display_name.localeCompare(b.user.display_name));
    return { org, people };
  }, [orgId]);
  const manage = canManagePeople(session, orgId);
  // Only a platform administrator may reset someone's password; the server refuses everyone else.
  const resetAllowed = session.user.is_admin;
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [resetting, setResetting] = useState<Person | null>(null);
  const [issued, setIssued] = useState<Issued | null>(null);

  const afterChange = (message: string) => {
    setNotice(message);
    setError(null);
    state.reload();
  };
  const onFailure = (e: unknown) => {
    const err = asApiError(e);
    if (err.status === 412) {
      setError(new ApiError({ status: 412, title: 'Not saved', detail: STALE }));
      setEditing(null);
      state.reload();
    } else {
      setError(err);
    }
  };

  const setDisabled = async (p: Person, disabled: boolean) => {
    setNotice(null);
    try {
      await api.patch<Person>(`${base}/people/${p.user.id}`, { disabled }, ifMatch(p.user.version));
      afterChange(`${p.user.display_name} is now ${disabled ? 'disabled' : 'enabled'}.`);
    } catch (e) {
      onFailure(e);
    }
  };

  if (state.error && !state.data) {
    return (
      <Page title="People">
        <ErrorMessage error={state.error} />
      </Page>
    );
  }
  if (!state.data) return <Loading />;
  const { org, people } = state.data;

  return (
    <Page
      title={`People of ${org.short_name || org.name}`}
      lead="Everyone with an account in this organisation, and what each may do."
      actions={
        manage && !adding ? (
          <button
            type="button"
            class="button button-primary"
            onClick={() => {
              setAdding(true);
              setNotice(null);
            }}
          >
            Add a person
          </button>
        ) : undefined
      }
    >
      <nav aria-label="Breadcrumb" class="breadcrumb">
        <Link href="/organisations">Organisations</Link> <span aria-hidden="true">›</span>{' '}
        <Link href={`/organisations/${org.id}`}>{org.name}</Link> <span aria-hidden="true">›</span> <span>People</span>
      </nav>
      <SuccessMessage>{notice}</SuccessMessage>
      <ErrorMessage error={error} />
      {issued && <TemporaryPassword issued={issued} onDone={() => setIssued(null)} />}
      {resetting && (
        <ResetPasswordDialog
          person={resetting}
          onClosed={() => setResetting(null)}
          onReset={(password) => {
            setIssued({ name: resetting.user.display_name, username: resetting.user.username, password });
            setResetting(null);
            setError(null);
            // The account's version has changed: fetch it again before any other edit.
            state.reload();
          }}
          onFailure={(e) => {
            setResetting(null);
            setError(asApiError(e));
          }}
        />
      )}
      {adding && (
        <AddPerson
          base={base}
          onCancel={() => setAdding(false)}
          onAdded={(p) => {
            setAdding(false);
            afterChange(`${p.user.display_name} has been added.`);
          }}
        />
      )}
      <div class="table-wrap">
        <table class="table">
          <caption class="sr-only">People of {org.name}</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Username and e-mail</th>
              <th scope="col">Roles</th>
              <th scope="col">Status</th>
              {manage && <th scope="col">Actions</th>}
            </tr>
          </thead>
          <tbody>
            {people.map((p) => (
              <tr key={p.user.id} class={p.user.disabled ? 'row-muted' : undefined}>
                <th scope="row">{p.user.display_name}</th>
                <td class="account">
                  {p.user.username}
                  <div class="muted small">{p.user.email}</div>
                </td>
                <td>
                  {editing === p.user.id ? (
                    <EditRoles
                      base={base}
                      person={p}
                      onCancel={() => setEditing(null)}
                      onSaved={() => {
                        setEditing(null);
                        afterChange(`The roles of ${p.user.display_name} have been saved.`);
                      }}
                      onFailure={onFailure}
                    />
                  ) : (
                    rolesLabel(p.roles)
                  )}
                </td>
                <td>
                  {p.user.disabled ? (
                    <span class="badge badge-off">Disabled</span>
                  ) : (
                    <span class="badge badge-on">Active</span>
                  )}
                  {p.user.totp_enabled && <span class="badge">2FA</span>}
                </td>
                {manage && (
                  <td class="actions">
                    {editing !== p.user.id && (
                      <button
                        type="button"
                        class="button button-small"
                        onClick={() => {
                          setEditing(p.user.id);
                          setNotice(null);
                          setError(null);
                        }}
                      >
                        Edit roles<span class="sr-only"> of {p.user.display_name}</span>
                      </button>
                    )}
                    {p.user.id !== session.user.id && (
                      <button
                        type="button"
                        class="button button-small button-quiet"
                        onClick={() => void setDisabled(p, !p.user.disabled)}
                      >
                        {p.user.disabled ? 'Enable' : 'Disable'}
                        <span class="sr-only"> {p.user.display_name}</span>
                      </button>
                    )}
                    {resetAllowed && p.user.id !== session.user.id && (
                      <button
                        type="button"
                        class="button button-small button-quiet"
                        aria-haspopup="dialog"
                        onClick={() => {
                          setResetting(p);
                          setNotice(null);
                          setError(null);
                        }}
                      >
                        Reset password<span class="sr-only"> of {p.user.display_name}</span>
                      </button>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {!people.length && <p class="muted">Nobody has an account in this organisation yet.</p>}
    </Page>
  );
}

function EditRoles({
  base,
  person,
  onCancel,
  onSaved,
  onFailure,
}: {
  base: string;
  person: Person;
  onCancel: () => void;
  onSaved: () => void;
  onFailure: (e: unknown) => void;
}) {
  const [roles, setRoles] = useState<string[]>(person.roles);
  const [busy, setBusy] = useState(false);
  const [fieldError, setFieldError] = useState<string | undefined>();
  const save = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setFieldError(undefined);
    try {
      await api.patch<Person>(`${base}/people/${person.user.id}`, { roles }, ifMatch(person.user.version));
      onSaved();
    } catch (err) {
      const apiErr = asApiError(err);
      const msg = apiErr.fieldErrors['/roles'] ?? Object.entries(apiErr.fieldErrors).find(([f]) => f.startsWith('/roles'))?.[1];
      if (msg) setFieldError(msg);
      else onFailure(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="inline-form" onSubmit={save}>
      <CheckboxGroup
        label={`Roles of ${person.user.display_name}`}
        options={ROLE_OPTIONS}
        selected={roles}
        onSelected={setRoles}
        error={fieldError}
      />
      <div class="form-actions">
        <button type="submit" class="button button-primary button-small" disabled={busy}>
          Save roles
        </button>
        <button type="button" class="button button-quiet button-small" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function AddPerson({
  base,
  onCancel,
  onAdded,
}: {
  base: string;
  onCancel: () => void;
  onAdded: (p: Person) => void;
}) {
  const [form, setForm] = useState({ username: '', display_name: '', email: '', password: '' });
  const [roles, setRoles] = useState<string[]>(['viewer']);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof form) => (v: string) => setForm({ ...form, [k]: v });
  const fe = error?.fieldErrors ?? {};

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const person = await api.post<Person>(`${base}/people`, { ...form, roles });
      onAdded(person);
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card form-card" aria-labelledby="add-person">
      <h2 id="add-person">Add a person</h2>
      <ErrorMessage error={error} />
      <form onSubmit={submit}>
        <div class="form-grid">
          <TextField
            label="Username"
            name="username"
            value={form.username}
            onValue={set('username')}
            autoComplete="off"
            required
            error={fe['/username']}
            autoFocus
          />
          <TextField
            label="Display name"
            name="display_name"
            value={form.display_name}
            onValue={set('display_name')}
            autoComplete="off"
            required
            error={fe['/display_name']}
          />
          <TextField
            label="E-mail"
            name="email"
            type="email"
            value={form.email}
            onValue={set('email')}
            autoComplete="off"
            required
            error={fe['/email']}
          />
          <TextField
            label="Initial password"
            name="password"
            type="password"
            value={form.password}
            onValue={set('password')}
            autoComplete="new-password"
            minLength={12}
            required
            hint="At least 12 characters. Give it to the person by a separate channel."
            error={fe['/password']}
          />
        </div>
        <CheckboxGroup
          label="Roles"
          options={ROLE_OPTIONS}
          selected={roles}
          onSelected={setRoles}
          error={fe['/roles'] ?? Object.entries(fe).find(([f]) => f.startsWith('/roles/'))?.[1]}
        />
        <div class="form-actions">
          <button type="submit" class="button button-primary" disabled={busy}>
            {busy ? 'Adding…' : 'Add person'}
          </button>
          <button type="button" class="button button-quiet" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </form>
    </section>
  );
}

/**
 * Asks the platform administrator to confirm a password reset, in a modal <dialog>:
 * focus moves into it, Escape or Cancel closes it and the browser returns focus to
 * the button that opened it.
 */
function ResetPasswordDialog({
  person,
  onClosed,
  onReset,
  onFailure,
}: {
  person: Person;
  onClosed: () => void;
  onReset: (temporaryPassword: string) => void;
  onFailure: (e: unknown) => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) d.showModal();
    // Closing (rather than only removing) the dialog gives focus back to the opener.
    return () => {
      if (d?.open) d.close();
    };
  }, []);

  const reset = async () => {
    setBusy(true);
    try {
      const res = await api.post<PasswordReset>(`/users/${encodeURIComponent(person.user.id)}/password-reset`);
      onReset(res.temporary_password);
    } catch (e) {
      onFailure(e);
    }
  };

  const name = person.user.display_name;
  return (
    <dialog
      ref={dialog}
      class="dialog"
      aria-labelledby="reset-title"
      aria-describedby="reset-what"
      onCancel={(e) => {
        // Escape while the reset is under way would hide its answer.
        if (busy) e.preventDefault();
      }}
      onClose={onClosed}
    >
      <h2 id="reset-title">Reset the password of {name}?</h2>
      <p id="reset-what">
        Rampart gives {name} (<span class="account">{person.user.username}</span>) a new temporary password and shows
        it to you once. Their current password stops working and all their sessions end at once, so they are signed
        out everywhere.
      </p>
      <div class="form-actions">
        <button type="button" class="button button-danger" disabled={busy} onClick={() => void reset()}>
          {busy ? 'Resetting…' : 'Reset password'}
        </button>
        <button
          type="button"
          class="button button-quiet"
          disabled={busy}
          autoFocus
          onClick={() => dialog.current?.close()}
        >
          Cancel
        </button>
      </div>
    </dialog>
  );
}

/** The temporary password, shown this once, with a copy button. */
function TemporaryPassword({ issued, onDone }: { issued: Issued; onDone: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  const [copied, setCopied] = useState<string | null>(null);
  useEffect(() => {
    setCopied(null);
    heading.current?.focus();
  }, [issued]);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(issued.password);
      setCopied('Copied to the clipboard.');
    } catch {
      setCopied('Copying is not allowed here: select the password and copy it by hand.');
    }
  };
  return (
    <section class="card secret-card" aria-labelledby="temporary-heading" role="region">
      <h2 id="temporary-heading" tabIndex={-1} ref={heading}>
        Temporary password for {issued.name}
      </h2>
      <p class="warning">
        <strong>It is shown only now.</strong> Rampart keeps only a digest of it and cannot show it again. All
        sessions of {issued.name} (<span class="account">{issued.username}</span>) have been ended. Hand the password
        over securely — in person or by a separate channel, never together with the username — and ask them to change
        it on their profile after signing in.
      </p>
      <div class="secret">
        <code id="temporary-password" class="secret-value">
          {issued.password}
        </code>
        <button type="button" class="button" onClick={() => void copy()} aria-describedby="temporary-heading">
          Copy<span class="sr-only"> the temporary password</span>
        </button>
      </div>
      <p role="status" aria-live="polite" class="muted small">
        {copied}
      </p>
      <button type="button" class="button button-quiet" onClick={onDone}>
        I have handed it over
      </button>
    </section>
  );
}
