// The cycle board of the caller's organisation: where its ISMS stands in design → implementation →
// evaluation → improvement, what is overdue, the scope (design) with its versions, and the
// evaluations of the five kinds, planned and done, with the management review's sign-off.

import { useState } from 'preact/hooks';
import { api, ApiError, ifMatch } from '../api';
import { TextField, SelectField } from '../components/Field';
import { Link } from '../components/Link';
import { Page } from '../components/Page';
import { ErrorMessage, LoadState, SuccessMessage } from '../components/Status';
import {
  cyclePath,
  EVALUATION_KINDS,
  kindLabel,
  levelLabel,
  mayAudit,
  putVersioned,
  share,
  STAGES,
  startOfDay,
  type CycleBoard,
  type Evaluation,
  type ScopeHistory,
} from '../cycle';
import { formatDate, formatDateTime, plural } from '../format';
import { asApiError, useAsync } from '../hooks';
import { ismsMemberships, mayApproveIsms, mayWriteIsms } from '../isms';
import { loadPeople, personOptions } from '../risk';
import { useSession } from '../session';

const STAGE_LABELS: Record<string, string> = {
  design: 'Design',
  implementation: 'Implementation',
  evaluation: 'Evaluation and control',
  improvement: 'Improvement',
};

export function useCycleOrg() {
  const { session } = useSession();
  const m = ismsMemberships(session)[0];
  return m ? { org: m.organisation, roles: m.roles } : null;
}

export function CyclePage() {
  const mine = useCycleOrg();
  const { session } = useSession();
  const org = mine?.org;
  const state = useAsync(async () => {
    if (!org) return null;
    const [board, scope, evaluations] = await Promise.all([
      api.get<CycleBoard>(cyclePath(org.id, '/cycle')),
      api.get<ScopeHistory>(cyclePath(org.id, '/scope')),
      api.get<{ items: Evaluation[] }>(cyclePath(org.id, '/evaluations')),
    ]);
    return { board, scope, evaluations: evaluations.items };
  }, [org?.id]);
  if (!org || !mine) return <Page title="ISMS cycle">{<p>You hold no role that reads an ISMS.</p>}</Page>;
  const writer = mayWriteIsms(session, org.id);
  const auditor = mayAudit(mine.roles);
  const manager = mayApproveIsms(session, org.id);
  return (
    <Page
      title="ISMS cycle"
      lead={`${org.name}: design, implementation, evaluation and control, improvement.`}
      actions={
        <>
          <Link href="/cycle/findings" class="button">
            Findings and actions
          </Link>{' '}
          <Link href="/cycle/certification" class="button">
            Certification
          </Link>{' '}
          <Link href="/cycle/obligations" class="button">
            Obligations
          </Link>{' '}
          <Link href="/posture" class="button">
            Posture
          </Link>
        </>
      }
    >
      <LoadState state={state}>
        {(d) =>
          d && (
            <>
              <StageTrack stage={d.board.stage} />
              <Overdue board={d.board} />
              <div class="cycle-grid">
                <DesignCard orgId={org.id} scope={d.scope} writer={writer} onSaved={state.reload} csrf={session.csrf_token} />
                <ImplementationCard board={d.board} />
                <EvaluationCard board={d.board} />
                <ImprovementCard board={d.board} />
              </div>
              <Evaluations orgId={org.id} items={d.evaluations} auditor={auditor} manager={manager} onChange={state.reload} />
            </>
          )
        }
      </LoadState>
    </Page>
  );
}

function StageTrack({ stage }: { stage: string }) {
  const at = STAGES.indexOf(stage as (typeof STAGES)[number]);
  return (
    <ol class="cycle-stages" aria-label="Where the organisation stands">
      {STAGES.map((s, i) => (
        <li key={s} class={i === at ? 'cycle-stage cycle-stage-current' : i < at ? 'cycle-stage cycle-stage-done' : 'cycle-stage'} aria-current={i === at ? 'step' : undefined}>
          <span class="cycle-stage-number">{i + 1}</span> {STAGE_LABELS[s]}
        </li>
      ))}
    </ol>
  );
}

function Overdue({ board }: { board: CycleBoard }) {
  if (board.overdue.length === 0) return <p class="notice notice-ok">Nothing overdue.</p>;
  return (
    <section class="card cycle-overdue" aria-labelledby="overdue-h">
      <h2 id="overdue-h">Overdue ({board.overdue.length})</h2>
      <ul>
        {board.overdue.map((o) => (
          <li key={o.id}>
            <span class="due-late">{plural(o.days_late, 'day')} late</span> — {o.type === 'evaluation' ? kindLabel(o.kind) : levelLabel(o.kind)}:{' '}
            {o.type === 'action' ? <Link href={`/cycle/findings#action-${o.id}`}>{o.title}</Link> : o.title} (due {formatDate(o.due_at)})
          </li>
        ))}
      </ul>
    </section>
  );
}

function DesignCard(p: { orgId: string; scope: ScopeHistory; writer: boolean; onSaved: () => void; csrf: string | null }) {
  const cur = p.scope.current;
  const [editing, setEditing] = useState(false);
  const [statement, setStatement] = useState(cur?.statement ?? '');
  const [parties, setParties] = useState((cur?.interested_parties ?? []).map((x) => `${x.name}: ${x.expectations}`).join('\n'));
  const [boundaries, setBoundaries] = useState(cur?.boundaries ?? '');
  const [error, setError] = useState<ApiError | null>(null);
  const save = async (e: Event) => {
    e.preventDefault();
    setError(null);
    const interested_parties = parties
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .map((l) => {
        const at = l.indexOf(':');
        return at < 0 ? { name: l, expectations: '' } : { name: l.slice(0, at).trim(), expectations: l.slice(at + 1).trim() };
      });
    try {
      await putVersioned(cyclePath(p.orgId, '/scope'), { statement, interested_parties, boundaries }, cur?.version ?? 0, p.csrf);
      setEditing(false);
      p.onSaved();
    } catch (err) {
      setError(asApiError(err));
    }
  };
  return (
    <section class="card" aria-labelledby="design-h">
      <h2 id="design-h">1. Design: scope and context</h2>
      {!editing && (
        <>
          {cur ? (
            <>
              <p>{cur.statement}</p>
              <p class="small">
                <strong>Interested parties:</strong> {cur.interested_parties.map((x) => x.name).join(', ') || '—'}
              </p>
              {cur.boundaries && (
                <p class="small">
                  <strong>Boundaries:</strong> {cur.boundaries}
                </p>
              )}
              <p class="small muted">
                Version {cur.version}, recorded by {cur.recorded_by_name} on {formatDateTime(cur.recorded_at)}
                {p.scope.history.length > 1 && ` · ${p.scope.history.length - 1} earlier version(s)`}
              </p>
            </>
          ) : (
            <p class="notice notice-due">No scope recorded yet: the cycle starts here.</p>
          )}
          {p.writer && (
            <button type="button" class="button button-small" onClick={() => setEditing(true)}>
              {cur ? 'Record a new version' : 'Record the scope'}
            </button>
          )}
        </>
      )}
      {editing && (
        <form onSubmit={save}>
          <ErrorMessage error={error} />
          <TextField label="Scope statement" value={statement} onValue={setStatement} multiline rows={4} required error={error?.fieldErrors['/statement']} />
          <TextField
            label="Interested parties"
            hint="One per line: name, a colon, what they expect."
            value={parties}
            onValue={setParties}
            multiline
            rows={4}
            error={error?.fieldErrors['/interested_parties']}
          />
          <TextField label="Boundaries" value={boundaries} onValue={setBoundaries} multiline rows={3} />
          <div class="form-actions">
            <button type="submit" class="button button-primary">
              Save scope
            </button>{' '}
            <button type="button" class="button button-quiet" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

function ImplementationCard({ board }: { board: CycleBoard }) {
  const f = board.implementation.figures;
  return (
    <section class="card" aria-labelledby="impl-h">
      <h2 id="impl-h">2. Implementation</h2>
      <div class="stats">
        <div class="stat">
          <span class="stat-value">{share(f.weighted_share)}</span>
          <span class="stat-label">implemented, weighted by maturity</span>
        </div>
        <div class="stat">
          <span class="stat-value">{share(f.implemented_share)}</span>
          <span class="stat-label">implemented (partial counts half)</span>
        </div>
      </div>
      <p class="small">
        {f.implemented} implemented and {f.partial} partly implemented of {f.applicable} applicable controls, from{' '}
        {plural(board.implementation.statements, 'statement')} of applicability. <Link href="/soa">Open the SoA</Link>
      </p>
    </section>
  );
}

function EvaluationCard({ board }: { board: CycleBoard }) {
  const a = board.evaluation.automated;
  return (
    <section class="card" aria-labelledby="eval-h">
      <h2 id="eval-h">3. Evaluation and control</h2>
      <div class="table-wrap">
      <table class="table table-flat cycle-kinds">
        <thead>
          <tr>
            <th scope="col">Kind</th>
            <th scope="col">Last done</th>
            <th scope="col">Next planned</th>
            <th scope="col" class="num">
              Late
            </th>
          </tr>
        </thead>
        <tbody>
          {board.evaluation.kinds.map((k) => (
            <tr key={k.kind}>
              <th scope="row">{kindLabel(k.kind)}</th>
              <td>{formatDate(k.last_done_at)}</td>
              <td>{formatDate(k.next_planned_for)}</td>
              <td class={k.overdue ? 'num due-late' : 'num'}>{k.overdue}</td>
            </tr>
          ))}
        </tbody>
      </table>
      </div>
      <p class="small">
        <strong>Automated controls:</strong>{' '}
        {a.last_run_id ? (
          <>
            run {a.last_run_id} by {a.tool} on {formatDateTime(a.last_run_at)}: {a.pass} pass, <span class={a.fail ? 'due-late' : ''}>{a.fail} fail</span>, {a.value} measured
          </>
        ) : (
          'no results posted yet'
        )}
      </p>
      {board.evaluation.comparison.map((c) => (
        <p class="small" key={c.sector_id}>
          <strong>Beside the {c.sector_name} sector:</strong>{' '}
          {c.withheld
            ? `average withheld: ${c.organisations} organisation(s) contribute, ${c.min_cell_organisations} needed.`
            : `sector average ${share(c.average_weighted_share)} weighted (${c.organisations} organisations), this organisation ${share(board.implementation.figures.weighted_share)}.`}
        </p>
      ))}
    </section>
  );
}

function ImprovementCard({ board }: { board: CycleBoard }) {
  const i = board.improvement;
  return (
    <section class="card" aria-labelledby="improve-h">
      <h2 id="improve-h">4. Improvement</h2>
      <div class="stats">
        <div class="stat">
          <span class="stat-value">{i.open_findings}</span>
          <span class="stat-label">open findings</span>
        </div>
        <div class="stat">
          <span class="stat-value">{i.open_actions}</span>
          <span class="stat-label">open actions</span>
        </div>
        <div class={i.overdue_actions ? 'stat stat-alert' : 'stat'}>
          <span class="stat-value">{i.overdue_actions}</span>
          <span class="stat-label">overdue actions</span>
        </div>
      </div>
      <p class="small">
        Open actions by level: {Object.entries(i.open_actions_by_level).map(([l, n]) => `${levelLabel(l)} ${n}`).join(' · ')}. {i.done_actions} done.{' '}
        <Link href="/cycle/findings">Findings and actions</Link>
      </p>
    </section>
  );
}

function Evaluations(p: { orgId: string; items: Evaluation[]; auditor: boolean; manager: boolean; onChange: () => void }) {
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const sign = async (e: Evaluation) => {
    setError(null);
    try {
      await api.post(cyclePath(p.orgId, `/evaluations/${e.id}/sign`), {}, { ifMatch: ifMatch(e.version) });
      setDone(`Signed: ${e.title}`);
      p.onChange();
    } catch (err) {
      setError(asApiError(err));
    }
  };
  return (
    <section class="card" aria-labelledby="evals-h">
      <h2 id="evals-h">Evaluations</h2>
      <ErrorMessage error={error} />
      {done && <SuccessMessage>{done}</SuccessMessage>}
      <div class="table-wrap">
        <table class="table">
          <thead>
            <tr>
              <th scope="col">Kind</th>
              <th scope="col">Title</th>
              <th scope="col">Planned</th>
              <th scope="col">Done</th>
              <th scope="col">Findings</th>
              <th scope="col">Sign-off</th>
            </tr>
          </thead>
          <tbody>
            {p.items.map((e) => (
              <tr key={e.id}>
                <td>{kindLabel(e.kind)}</td>
                <td>
                  {e.title}
                  {e.kind === 'management_review' && e.decisions && <div class="small muted">Decisions: {e.decisions}</div>}
                </td>
                <td class={e.overdue ? 'due-late' : ''}>{formatDate(e.planned_for)}</td>
                <td>{formatDate(e.done_at)}</td>
                <td class="num">{e.findings}</td>
                <td>
                  {e.kind !== 'management_review'
                    ? '—'
                    : e.signed_at
                      ? `Signed by ${e.signed_by_name} on ${formatDate(e.signed_at)}`
                      : p.manager && e.done_at
                        ? (
                            <button type="button" class="button button-small" onClick={() => sign(e)}>
                              Sign the review
                            </button>
                          )
                        : 'Not signed'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {p.auditor && <NewEvaluation orgId={p.orgId} onSaved={p.onChange} />}
    </section>
  );
}

function NewEvaluation({ orgId, onSaved }: { orgId: string; onSaved: () => void }) {
  const { session } = useSession();
  const [kind, setKind] = useState<string>('internal_audit');
  const [title, setTitle] = useState('');
  const [planned, setPlanned] = useState('');
  const [doneOn, setDoneOn] = useState('');
  const [summary, setSummary] = useState('');
  const [chair, setChair] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const people = useAsync(() => loadPeople(orgId, session), [orgId]);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    const body: Record<string, unknown> = { kind, title, summary, planned_for: startOfDay(planned), done_at: startOfDay(doneOn) };
    if (kind === 'management_review' && chair) body.chair_id = chair;
    try {
      await api.post(cyclePath(orgId, '/evaluations'), body);
      setTitle('');
      setSummary('');
      onSaved();
    } catch (err) {
      setError(asApiError(err));
    }
  };
  return (
    <form class="form-card" onSubmit={submit} aria-labelledby="new-eval-h">
      <h3 id="new-eval-h">Plan or record an evaluation</h3>
      <ErrorMessage error={error} />
      <div class="form-grid">
        <SelectField label="Kind" value={kind} onValue={setKind} options={EVALUATION_KINDS.map((k) => ({ value: k, label: kindLabel(k) }))} />
        <TextField label="Title" value={title} onValue={setTitle} required error={error?.fieldErrors['/title']} />
        <TextField label="Planned for" type="date" value={planned} onValue={setPlanned} error={error?.fieldErrors['/planned_for']} />
        <TextField label="Done on" type="date" value={doneOn} onValue={setDoneOn} error={error?.fieldErrors['/done_at']} />
        {kind === 'management_review' && (
          <SelectField
            label="Chaired by (management)"
            value={chair}
            onValue={setChair}
            options={personOptions(people.data ?? null, session, chair || null, '—')}
            error={error?.fieldErrors['/chair_id']}
          />
        )}
      </div>
      <TextField label="Summary" value={summary} onValue={setSummary} multiline rows={3} />
      <div class="form-actions">
        <button type="submit" class="button button-primary">
          Save evaluation
        </button>
      </div>
    </form>
  );
}
