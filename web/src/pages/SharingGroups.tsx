// Sharing groups: the named lists of organisations the person's organisations own or belong to.
// An owner's keepers create groups and add or remove members; a change reaches every item shared
// with the group at once, older ones included.

import { useState } from 'preact/hooks';
import { api, listAll, type ApiError } from '../api';
import { SelectField, TextField } from '../components/Field';
import { Page } from '../components/Page';
import { ErrorMessage, LoadState, SuccessMessage } from '../components/Status';
import { loadDirectory, type Directory } from '../directory';
import { asApiError, useAsync } from '../hooks';
import { useSession } from '../session';
import { groupKeeperships, type SharingGroup } from '../sharing';

export function SharingGroupsPage() {
  const { session } = useSession();
  const keeperships = groupKeeperships(session);
  const groups = useAsync<SharingGroup[]>(() => listAll<SharingGroup>('/sharing-groups'), []);
  const dir = useAsync<Directory>(loadDirectory, []);
  const [notice, setNotice] = useState<string | null>(null);

  return (
    <Page title="Sharing groups" lead="Named lists of organisations to share with. Members see what was shared with the group, including what was shared before they joined.">
      <SuccessMessage>{notice}</SuccessMessage>
      {keeperships.length > 0 && (
        <NewGroup
          owners={keeperships.map((m) => ({ value: m.organisation.id, label: m.organisation.name }))}
          onDone={(name) => {
            setNotice(`Group ${name} created.`);
            groups.reload();
          }}
        />
      )}
      <LoadState state={groups}>
        {(items) =>
          items.length === 0 ? (
            <p class="muted">Your organisations own and belong to no sharing group.</p>
          ) : (
            <>
              {items.map((g) => (
                <GroupCard key={g.id} group={g} dir={dir.data} onChanged={(m) => { setNotice(m); groups.reload(); }} />
              ))}
            </>
          )
        }
      </LoadState>
    </Page>
  );
}

function NewGroup({ owners, onDone }: { owners: { value: string; label: string }[]; onDone: (name: string) => void }) {
  const [owner, setOwner] = useState(owners[0]?.value ?? '');
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      await api.post(`/organisations/${owner}/sharing-groups`, { name, description });
      onDone(name);
      setName('');
      setDescription('');
    } catch (err) {
      setError(asApiError(err));
    }
  };
  return (
    <form class="card" onSubmit={submit}>
      <h2>New group</h2>
      <ErrorMessage error={error} />
      {owners.length > 1 && <SelectField label="Owned by" value={owner} onValue={setOwner} options={owners} />}
      <TextField label="Name" value={name} onValue={setName} required maxLength={200} error={error?.fieldErrors['/name']} />
      <TextField label="Description" value={description} onValue={setDescription} maxLength={2000} />
      <button type="submit" class="button button-primary">
        Create the group
      </button>
    </form>
  );
}

function GroupCard({ group, dir, onChanged }: { group: SharingGroup; dir: Directory | undefined; onChanged: (message: string) => void }) {
  const [adding, setAdding] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const base = `/organisations/${group.owner.id}/sharing-groups/${group.id}/members`;
  const change = async (run: () => Promise<unknown>, message: string) => {
    setError(null);
    try {
      await run();
      onChanged(message);
    } catch (e) {
      setError(asApiError(e));
    }
  };
  const candidates = (dir?.organisations ?? []).filter((o) => o.id !== group.owner.id && !group.members.some((m) => m.id === o.id));
  return (
    <section class="card sharing-group" aria-labelledby={`group-${group.id}`}>
      <h2 id={`group-${group.id}`}>{group.name}</h2>
      <p class="muted">
        Owned by {group.owner.name} · {group.member_count} {group.member_count === 1 ? 'member' : 'members'} · named by {group.uses}{' '}
        {group.uses === 1 ? 'advisory' : 'advisories'}
      </p>
      {group.description && <p>{group.description}</p>}
      <ErrorMessage error={error} />
      <ul class="member-list">
        {group.members.map((m) => (
          <li key={m.id}>
            {m.name}
            {group.you.may_edit && (
              <button
                type="button"
                class="button button-quiet button-small"
                aria-label={`Remove ${m.name} from ${group.name}`}
                onClick={() => void change(() => api.delete(`${base}/${m.id}`), `${m.name} removed from ${group.name}: it no longer sees what was shared with the group.`)}
              >
                Remove
              </button>
            )}
          </li>
        ))}
      </ul>
      {group.you.may_edit && (
        <form
          class="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (adding) void change(() => api.put(`${base}/${adding}`), `Added to ${group.name}.`).then(() => setAdding(''));
          }}
        >
          <SelectField
            label="Add an organisation"
            value={adding}
            onValue={setAdding}
            options={[{ value: '', label: 'Choose…' }, ...candidates.map((o) => ({ value: o.id, label: o.name }))]}
          />
          <button type="submit" class="button" disabled={!adding}>
            Add
          </button>
        </form>
      )}
    </section>
  );
}
