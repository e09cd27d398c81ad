// Findings of the evaluations and the improvement actions decided on them, at the three levels of
// the CISO approach (the security organisation, operational procedures, tools): lists with
// filters, a new finding linked to controls and policy sections, a new action linked to findings,
// and status changes with their history.

import { useState } from 'preact/hooks';
import { api, ApiError, ifMatch, query } from '../api';
import { SelectField, TextField } from '../components/Field';
import { Link } from '../components/Link';
import { Page } from '../components/Page';
import { ErrorMessage, LoadState } from '../components/Status';
import {
  ACTION_STATUSES,
  actionStatusLabel,
  cyclePath,
  endOfDay,
  LEVELS,
  levelLabel,
  mayAudit,
  SEVERITIES,
  type CycleLink,
  type Finding,
  type ImprovementAction,
} from '../cycle';
import { formatDate } from '../format';
import { asApiError, useAsync } from '../hooks';
import { mayWriteIsms } from '../isms';
import { loadPeople, personOptions } from '../risk';
import { useSession } from '../session';
import { useCycleOrg } from './Cycle';

function Links({ links }: { links: CycleLink[] }) {
  if (links.length === 0) return <span class="muted">—</span>;
  return (
    <ul class="tags">
      {links.map((l) => (
        <li key={`${l.kind}-${l.framework_ref}-${l.target}`} class="tag" title={l.kind}>
          {l.kind === 'control' ? 'Control ' : l.kind === 'policy' ? 'Policy ' : l.kind === 'risk' ? 'Risk: ' : 'Finding: '}
          {l.label}
        </li>
      ))}
    </ul>
  );
}

export function FindingsPage() {
  const mine = useCycleOrg();
  const { session } = useSession();
  const org = mine?.org;
  const [severity, setSeverity] = useState('');
  const [status, setStatus] = useState('open');
  const [actionFilter, setActionFilter] = useState('');
  const state = useAsync(async () => {
    if (!org) return null;
    const [findings, actions] = await Promise.all([
      api.get<{ items: Finding[] }>(cyclePath(org.id, '/findings') + query({ severity, status })),
      api.get<{ items: ImprovementAction[] }>(
        cyclePath(org.id, '/actions') + query(actionFilter === 'overdue' ? { overdue: 'true' } : { status: actionFilter }),
      ),
    ]);
    return { findings: findings.items, actions: actions.items };
  }, [org?.id, severity, status, actionFilter]);
  if (!org || !mine) return <Page title="Findings and actions">{<p>You hold no role that reads an ISMS.</p>}</Page>;
  const writer = mayWriteIsms(session, org.id);
  const auditor = mayAudit(mine.roles);
  return (
    <Page title="Findings and actions" lead={`${org.name}: what evaluations found, and what is being done about it.`} actions={<Link href="/cycle" class="button">Cycle board</Link>}>
      <LoadState state={state}>
        {(d) =>
          d && (
            <>
              <section class="card" aria-labelledby="findings-h">
                <h2 id="findings-h">Findings</h2>
                <div class="filters">
                  <SelectField label="Severity" value={severity} onValue={setSeverity} options={[{ value: '', label: 'Any' }, ...SEVERITIES.map((s) => ({ value: s, label: s }))]} />
                  <SelectField label="Status" value={status} onValue={setStatus} options={[{ value: '', label: 'Any' }, { value: 'open', label: 'Open' }, { value: 'closed', label: 'Closed' }]} />
                </div>
                <div class="table-wrap">
                  <table class="table" id="findings-table">
                    <thead>
                      <tr>
                        <th scope="col">Severity</th>
                        <th scope="col">Finding</th>
                        <th scope="col">Concerns</th>
                        <th scope="col">Found</th>
                        <th scope="col">Status</th>
                      </tr>
                    </thead>
                    <tbody>
                      {d.findings.length === 0 && (
                        <tr>
                          <td colSpan={5} class="muted">
                            No findings match.
                          </td>
                        </tr>
                      )}
                      {d.findings.map((f) => (
                        <tr key={f.id} id={`finding-${f.id}`}>
                          <td>
                            <span class={`badge severity-${f.severity}`}>{f.severity}</span>
                          </td>
                          <td>
                            <strong>{f.title}</strong>
                            <div class="small">{f.description}</div>
                          </td>
                          <td>
                            <Links links={f.links} />
                          </td>
                          <td>{formatDate(f.created_at)}</td>
                          <td>{f.status}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
                {auditor && <NewFinding orgId={org.id} onSaved={state.reload} />}
              </section>
              <section class="card" aria-labelledby="actions-h">
                <h2 id="actions-h">Improvement actions</h2>
                <div class="filters">
                  <SelectField
                    label="Show"
                    value={actionFilter}
                    onValue={setActionFilter}
                    options={[{ value: '', label: 'All' }, { value: 'overdue', label: 'Overdue only' }, ...ACTION_STATUSES.map((s) => ({ value: s, label: actionStatusLabel(s) }))]}
                  />
                </div>
                <div class="table-wrap">
                  <table class="table" id="actions-table">
                    <thead>
                      <tr>
                        <th scope="col">Level</th>
                        <th scope="col">Action</th>
                        <th scope="col">Owner</th>
                        <th scope="col">Due</th>
                        <th scope="col">Linked to</th>
                        <th scope="col">Status</th>
                      </tr>
                    </thead>
                    <tbody>
                      {d.actions.map((a) => (
                        <ActionRow key={a.id} orgId={org.id} action={a} writer={writer} onSaved={state.reload} />
                      ))}
                    </tbody>
                  </table>
                </div>
                {writer && <NewAction orgId={org.id} findings={d.findings} onSaved={state.reload} />}
              </section>
            </>
          )
        }
      </LoadState>
    </Page>
  );
}

function ActionRow(p: { orgId: string; action: ImprovementAction; writer: boolean; onSaved: () => void }) {
  const a = p.action;
  const [error, setError] = useState<ApiError | null>(null);
  const change = async (status: string) => {
    setError(null);
    try {
      await api.patch(cyclePath(p.orgId, `/actions/${a.id}`), { status }, ifMatch(a.version));
      p.onSaved();
    } catch (err) {
      setError(asApiError(err));
    }
  };
  return (
    <tr id={`action-${a.id}`} class={a.overdue ? 'cycle-row-late' : ''}>
      <td>{levelLabel(a.level)}</td>
      <td>
        <strong>{a.title}</strong>
        <div class="small">{a.description}</div>
        {error && <ErrorMessage error={error} />}
      </td>
      <td>{a.owner_name ?? '—'}</td>
      <td class={a.overdue ? 'due-late' : ''}>
        {formatDate(a.due_at)}
        {a.overdue && <div class="small">overdue</div>}
      </td>
      <td>
        <Links links={a.links} />
      </td>
      <td>
        {p.writer ? (
          <select class="cycle-status" aria-label={`Status of ${a.title}`} value={a.status} onChange={(e) => change(e.currentTarget.value)}>
            {ACTION_STATUSES.map((s) => (
              <option key={s} value={s}>
                {actionStatusLabel(s)}
              </option>
            ))}
          </select>
        ) : (
          actionStatusLabel(a.status)
        )}
      </td>
    </tr>
  );
}

/** "A.8.13, iso27001-2022:A.5.15" → controls; the SoA's framework when none is named. */
function parseControls(text: string, defaultRef: string) {
  return text
    .split(/[,\s]+/)
    .map((t) => t.trim())
    .filter(Boolean)
    .map((t) => {
      const at = t.lastIndexOf(':');
      return at < 0 ? { framework_ref: defaultRef, requirement_id: t } : { framework_ref: t.slice(0, at), requirement_id: t.slice(at + 1) };
    });
}

function NewFinding({ orgId, onSaved }: { orgId: string; onSaved: () => void }) {
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [severity, setSeverity] = useState('medium');
  const [controls, setControls] = useState('');
  const [sections, setSections] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    const body: Record<string, unknown> = { title, description, severity };
    if (controls.trim()) body.controls = parseControls(controls, 'iso27001-2022');
    if (sections.trim()) {
      body.policy_sections = sections
        .split(/[,\s]+/)
        .filter(Boolean)
        .map((s) => (s.startsWith('urn:') ? s : `urn:rampart:framework:policy11:${s.toLowerCase()}`));
    }
    try {
      await api.post(cyclePath(orgId, '/findings'), body);
      setTitle('');
      setDescription('');
      setControls('');
      setSections('');
      onSaved();
    } catch (err) {
      setError(asApiError(err));
    }
  };
  const controlError = Object.entries(error?.fieldErrors ?? {}).find(([k]) => k.startsWith('/controls'))?.[1];
  return (
    <form class="form-card" onSubmit={submit} aria-labelledby="new-finding-h">
      <h3 id="new-finding-h">Record a finding</h3>
      <ErrorMessage error={error} />
      <div class="form-grid">
        <TextField label="Title" value={title} onValue={setTitle} required error={error?.fieldErrors['/title']} />
        <SelectField label="Severity" value={severity} onValue={setSeverity} options={SEVERITIES.map((s) => ({ value: s, label: s }))} />
        <TextField label="Controls (SoA)" hint="Requirement ids, e.g. A.8.13 (or ref:id)" value={controls} onValue={setControls} error={controlError} />
        <TextField label="Policy sections" hint="Section numbers of the 11-section policy, e.g. 6.5" value={sections} onValue={setSections} error={error?.fieldErrors['/policy_sections']} />
      </div>
      <TextField label="Description" value={description} onValue={setDescription} multiline rows={3} />
      <div class="form-actions">
        <button type="submit" class="button button-primary">
          Save finding
        </button>
      </div>
    </form>
  );
}

function NewAction({ orgId, findings, onSaved }: { orgId: string; findings: Finding[]; onSaved: () => void }) {
  const { session } = useSession();
  const [level, setLevel] = useState<string>('procedures');
  const [title, setTitle] = useState('');
  const [due, setDue] = useState('');
  const [owner, setOwner] = useState('');
  const [finding, setFinding] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const people = useAsync(() => loadPeople(orgId, session), [orgId]);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    const body: Record<string, unknown> = { level, title, due_at: endOfDay(due) };
    if (owner) body.owner_id = owner;
    if (finding) body.findings = [finding];
    try {
      await api.post(cyclePath(orgId, '/actions'), body);
      setTitle('');
      setDue('');
      onSaved();
    } catch (err) {
      setError(asApiError(err));
    }
  };
  return (
    <form class="form-card" onSubmit={submit} aria-labelledby="new-action-h">
      <h3 id="new-action-h">Decide an action</h3>
      <ErrorMessage error={error} />
      <div class="form-grid">
        <SelectField label="Level" value={level} onValue={setLevel} options={LEVELS.map((l) => ({ value: l, label: levelLabel(l) }))} />
        <TextField label="Title" value={title} onValue={setTitle} required error={error?.fieldErrors['/title']} />
        <TextField label="Due date" type="date" value={due} onValue={setDue} required error={error?.fieldErrors['/due_at']} />
        <SelectField label="Owner" value={owner} onValue={setOwner} options={personOptions(people.data ?? null, session, owner || null)} error={error?.fieldErrors['/owner_id']} />
        <SelectField
          label="For finding"
          value={finding}
          onValue={setFinding}
          options={[{ value: '', label: '—' }, ...findings.map((f) => ({ value: f.id, label: f.title }))]}
          error={error?.fieldErrors['/findings']}
        />
      </div>
      <div class="form-actions">
        <button type="submit" class="button button-primary">
          Save action
        </button>
      </div>
    </form>
  );
}
