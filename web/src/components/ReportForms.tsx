// The forms a reporting organisation files on a case after the early warning: the stage
// reports (notification, intermediate, final, progress) and observables on their own.
// Which fields a stage requires comes from the case's reporting profile; the server checks
// again and its field errors are shown beside the fields.

import { useId, useState } from 'preact/hooks';
import { api, type ApiError } from '../api';
import { fromLocalInput, localZoneLabel } from '../format';
import { asApiError } from '../hooks';
import {
  fieldLabel,
  OBSERVABLE_TYPES,
  observableLabel,
  PAP_LABELS,
  ROOT_CAUSES,
  rootCauseLabel,
  SEVERITIES,
  severityLabel,
  stageLabel,
  TLP_LABELS,
  type IncidentCase,
  type NewObservable,
  type ObservableType,
  type ReportingProfile,
  type Stage,
  type Taxonomy,
} from '../incidents';
import { Checkbox, RadioGroup, SelectField, TextField } from './Field';
import { ErrorMessage, fieldMessage, SuccessMessage } from './Status';

type LaterStage = Exclude<Stage, 'early_warning'>;

/** The stages that can be filed now, in the order they usually come. */
function stagesOpen(c: IncidentCase): LaterStage[] {
  const out: LaterStage[] = [];
  if (!c.notification_at) out.push('notification');
  out.push('intermediate');
  if (c.notification_at && !c.final_at) out.push('progress');
  if (!c.final_at) out.push('final');
  return out;
}

// ---- observables ----

interface ObservableRow {
  key: number;
  type: ObservableType;
  value: string;
  tlp: string;
  pap: string;
}

let rowKey = 0;
function newRow(): ObservableRow {
  // The server's defaults: TLP:AMBER and PAP:AMBER.
  return { key: ++rowKey, type: 'ipv4', value: '', tlp: 'TLP:AMBER', pap: 'PAP:AMBER' };
}

/** The rows worth sending, and for each the row it came from (to put errors back beside it). */
function observablesOf(rows: ObservableRow[]): { list: NewObservable[]; from: number[] } {
  const list: NewObservable[] = [];
  const from: number[] = [];
  rows.forEach((r, k) => {
    if (!r.value.trim()) return;
    list.push({ type: r.type, value: r.value.trim(), tlp: r.tlp, pap: r.pap });
    from.push(k);
  });
  return { list, from };
}

/** Errors of /observables/N/field, keyed by the row index shown. */
function rowErrors(fe: Record<string, string>, from: number[]): Record<number, string[]> {
  const out: Record<number, string[]> = {};
  for (const [field, message] of Object.entries(fe)) {
    const m = /^\/observables\/(\d+)\/(\w+)$/.exec(field);
    if (!m) continue;
    const row = from[Number(m[1])];
    if (row === undefined) continue;
    (out[row] ??= []).push(fieldMessage(OBSERVABLE_FIELDS[m[2]!] ?? m[2]!, message));
  }
  return out;
}

const OBSERVABLE_FIELDS: Record<string, string> = { type: 'Type', value: 'Value', tlp: 'TLP', pap: 'PAP', note: 'Note' };

const TYPE_OPTIONS = OBSERVABLE_TYPES.map((t) => ({ value: t, label: observableLabel(t) }));

/** Rows of type, value, TLP and PAP; a row left empty is not sent. */
function ObservablesEditor({
  rows,
  onRows,
  errors,
}: {
  rows: ObservableRow[];
  onRows: (rows: ObservableRow[]) => void;
  errors: Record<number, string[]>;
}) {
  const id = useId();
  const update = (k: number, patch: Partial<ObservableRow>) =>
    onRows(rows.map((r, i) => (i === k ? { ...r, ...patch } : r)));
  return (
    <fieldset class="field observables-editor">
      <legend>Observables</legend>
      <p class="hint">
        Technical indicators: addresses, domains, URLs, file hashes, CVEs. TLP says who may see each; PAP what they
        may do with it.
      </p>
      {rows.length > 0 && (
        <div class="table-wrap">
          <table class="table compact">
            <thead>
              <tr>
                <th scope="col">Type</th>
                <th scope="col">Value</th>
                <th scope="col">TLP</th>
                <th scope="col">PAP</th>
                <th scope="col">
                  <span class="sr-only">Remove</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r, k) => {
                const n = k + 1;
                const err = errors[k];
                return (
                  <tr key={r.key} class={err ? 'row-invalid' : undefined}>
                    <td>
                      <label class="sr-only" for={`${id}-type-${k}`}>
                        Type of observable {n}
                      </label>
                      <select
                        id={`${id}-type-${k}`}
                        value={r.type}
                        onChange={(e) => update(k, { type: e.currentTarget.value as ObservableType })}
                      >
                        {TYPE_OPTIONS.map((o) => (
                          <option key={o.value} value={o.value}>
                            {o.label}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td class="observable-value">
                      <label class="sr-only" for={`${id}-value-${k}`}>
                        Value of observable {n}
                      </label>
                      <input
                        id={`${id}-value-${k}`}
                        type="text"
                        value={r.value}
                        maxLength={2048}
                        spellcheck={false}
                        autoComplete="off"
                        aria-invalid={err ? 'true' : undefined}
                        aria-describedby={err ? `${id}-error-${k}` : undefined}
                        onInput={(e) => update(k, { value: e.currentTarget.value })}
                      />
                      {err && (
                        <p class="field-error" id={`${id}-error-${k}`}>
                          {err.join('; ')}
                        </p>
                      )}
                    </td>
                    <td>
                      <label class="sr-only" for={`${id}-tlp-${k}`}>
                        TLP of observable {n}
                      </label>
                      <select
                        id={`${id}-tlp-${k}`}
                        value={r.tlp}
                        onChange={(e) => update(k, { tlp: e.currentTarget.value })}
                      >
                        {TLP_LABELS.map((t) => (
                          <option key={t} value={t}>
                            {t}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td>
                      <label class="sr-only" for={`${id}-pap-${k}`}>
                        PAP of observable {n}
                      </label>
                      <select
                        id={`${id}-pap-${k}`}
                        value={r.pap}
                        onChange={(e) => update(k, { pap: e.currentTarget.value })}
                      >
                        {PAP_LABELS.map((t) => (
                          <option key={t} value={t}>
                            {t}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td class="actions">
                      <button
                        type="button"
                        class="button button-small button-quiet"
                        onClick={() => onRows(rows.filter((_, i) => i !== k))}
                      >
                        Remove<span class="sr-only"> observable {n}</span>
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <button type="button" class="button button-small" onClick={() => onRows([...rows, newRow()])}>
        Add an observable
      </button>
    </fieldset>
  );
}

// ---- stage reports ----

interface Draft {
  initial_assessment: string;
  update: string;
  description: string;
  mitigations_applied: string;
  mitigations_ongoing: string;
  cross_border_impact: string;
  status: string;
  root_cause: string;
  request_id: string;
  resolved_at: string;
  expected_resolution_at: string;
  users_affected: string;
  duration_hours: string;
  financial_loss_eur: string;
  sites_or_regions: string;
  cross_border: boolean;
  rsit_class: string;
  rsit_type: string;
  severity: string;
}

function emptyDraft(c: IncidentCase): Draft {
  const n = (v: number | null) => (v === null ? '' : String(v));
  return {
    initial_assessment: '',
    update: '',
    description: '',
    mitigations_applied: '',
    mitigations_ongoing: '',
    cross_border_impact: '',
    status: '',
    root_cause: c.root_cause ?? '',
    request_id: c.requests.find((q) => !q.answered_at)?.id ?? '',
    resolved_at: '',
    expected_resolution_at: '',
    // What the case knows already is the starting point; only what changes is sent.
    users_affected: n(c.impact.users_affected),
    duration_hours: n(c.impact.duration_hours),
    financial_loss_eur: n(c.impact.financial_loss_eur),
    sites_or_regions: n(c.impact.sites_or_regions),
    cross_border: c.impact.cross_border,
    rsit_class: c.rsit_class ?? '',
    rsit_type: c.rsit_type ?? '',
    severity: '',
  };
}

const TEXT_FIELDS: Record<LaterStage, (keyof Draft)[]> = {
  notification: ['initial_assessment'],
  intermediate: ['update'],
  final: ['description', 'mitigations_applied', 'mitigations_ongoing', 'cross_border_impact'],
  progress: ['status'],
};

const IMPACT_NUMBERS = ['users_affected', 'duration_hours', 'financial_loss_eur', 'sites_or_regions'] as const;

/** The JSON body of a stage report from the draft: what is required or changed, nothing else. */
function bodyOf(stage: LaterStage, d: Draft, c: IncidentCase, required: string[], observables: NewObservable[]) {
  const body: Record<string, unknown> = { stage };
  for (const k of TEXT_FIELDS[stage]) {
    const v = (d[k] as string).trim();
    if (v) body[k] = v;
  }
  if (stage === 'final' && d.root_cause) body.root_cause = d.root_cause;
  if (stage === 'intermediate' && d.request_id) body.request_id = d.request_id;
  if (stage === 'final' && d.resolved_at) body.resolved_at = fromLocalInput(d.resolved_at) ?? d.resolved_at;
  if (stage === 'progress' && d.expected_resolution_at) {
    body.expected_resolution_at = fromLocalInput(d.expected_resolution_at) ?? d.expected_resolution_at;
  }
  for (const k of IMPACT_NUMBERS) {
    const v = d[k].trim();
    const known = c.impact[k];
    if (!v) continue;
    // Digits become a number; anything else goes as typed, and the server says what is wrong.
    const value = /^\d+$/.test(v) ? Number(v) : v;
    if (value !== known || required.includes(k)) body[k] = value;
  }
  if (d.cross_border !== c.impact.cross_border || required.includes('cross_border')) body.cross_border = d.cross_border;
  if (d.rsit_class && (d.rsit_class !== c.rsit_class || d.rsit_type !== c.rsit_type)) {
    body.rsit_class = d.rsit_class;
    body.rsit_type = d.rsit_type;
  }
  if (d.severity) body.severity = d.severity;
  if (observables.length) body.observables = observables;
  return body;
}

export function StageReportForm({
  c,
  profile,
  taxonomy,
  onFiled,
}: {
  c: IncidentCase;
  profile: ReportingProfile | undefined;
  taxonomy: Taxonomy | undefined;
  onFiled: (c: IncidentCase, message: string) => void;
}) {
  const stages = stagesOpen(c);
  const preferred = stages.find((s) => s === c.next_due_stage) ?? stages[0]!;
  const [stage, setStage] = useState<LaterStage>(preferred);
  const [draft, setDraft] = useState<Draft>(() => emptyDraft(c));
  const [rows, setRows] = useState<ObservableRow[]>([]);
  const [error, setError] = useState<ApiError | null>(null);
  const [sentFrom, setSentFrom] = useState<number[]>([]);
  const [busy, setBusy] = useState(false);
  const fe = error?.fieldErrors ?? {};
  const set = <K extends keyof Draft>(k: K) => (v: Draft[K]) => setDraft((d) => ({ ...d, [k]: v }));

  const current = stages.includes(stage) ? stage : preferred;
  const required = (profile?.required_fields[current] ?? []).filter(
    // The classification is asked for once; later it may be corrected but need not be repeated.
    (f) => !((f === 'rsit_class' || f === 'rsit_type') && c.rsit_class),
  );
  const req = (f: string) => required.includes(f);

  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    const { list, from } = observablesOf(rows);
    setSentFrom(from);
    setBusy(true);
    try {
      const updated = await api.post<IncidentCase>(
        `/incidents/${c.id}/reports`,
        bodyOf(current, draft, c, required, list),
      );
      setDraft(emptyDraft(updated));
      setRows([]);
      onFiled(updated, `${stageLabel(current)} filed.`);
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };

  const classes = taxonomy?.classes ?? [];
  const types = classes.find((k) => k.id === draft.rsit_class)?.types ?? [];
  const openRequests = c.requests.filter((q) => !q.answered_at);

  const text = (k: keyof Draft, label: string, hint?: string, rows = 3) => (
    <TextField
      label={label}
      name={k}
      value={draft[k] as string}
      onValue={set(k) as (v: string) => void}
      multiline
      rows={rows}
      hint={hint}
      required={req(k)}
      error={fe[`/${k}`]}
    />
  );

  const classification = (
    <div class="form-grid form-grid-bottom">
      <SelectField
        label="Incident class"
        name="rsit_class"
        value={draft.rsit_class}
        onValue={(v) => setDraft((d) => ({ ...d, rsit_class: v, rsit_type: '' }))}
        options={[{ value: '', label: 'Choose a class' }, ...classes.map((k) => ({ value: k.id, label: k.name }))]}
        hint="ENISA Reference Security Incident Taxonomy"
        required={req('rsit_class')}
        error={fe['/rsit_class']}
      />
      <SelectField
        label="Incident type"
        name="rsit_type"
        value={draft.rsit_type}
        onValue={set('rsit_type')}
        options={[
          { value: '', label: draft.rsit_class ? 'Choose a type' : 'Choose the class first' },
          ...types.map((t) => ({ value: t.id, label: t.name })),
        ]}
        hint={types.find((t) => t.id === draft.rsit_type)?.description}
        required={req('rsit_type')}
        error={fe['/rsit_type']}
      />
    </div>
  );

  const impact = (
    <>
      <div class="form-grid form-grid-4">
        {IMPACT_NUMBERS.map((k) => (
          <TextField
            key={k}
            label={fieldLabel(k)}
            name={k}
            type="number"
            inputMode="numeric"
            min={0}
            value={draft[k]}
            onValue={set(k)}
            required={req(k)}
            error={fe[`/${k}`]}
          />
        ))}
      </div>
      <div class="form-grid form-grid-bottom">
        <Checkbox
          label="The incident has effects in other countries"
          checked={draft.cross_border}
          onChecked={set('cross_border')}
          error={fe['/cross_border']}
          errorLabel="Cross-border"
        />
        <SelectField
          label="Severity"
          name="severity"
          value={draft.severity}
          onValue={set('severity')}
          options={[
            { value: '', label: 'Let the thresholds decide' },
            ...SEVERITIES.map((s) => ({ value: s, label: severityLabel(s) })),
          ]}
          hint="Declare a severity only when you know better than the profile's thresholds."
          error={fe['/severity']}
        />
      </div>
    </>
  );

  return (
    <>
      <ErrorMessage error={error} />
      <form onSubmit={submit} noValidate class="stage-form">
        <RadioGroup
          label="Which report?"
          name="stage"
          value={current}
          onValue={(v) => {
            setStage(v as LaterStage);
            setError(null);
          }}
          options={stages.map((s) => ({ value: s, label: stageLabel(s) }))}
          error={fe['/stage']}
        />

        {current === 'notification' && (
          <>
            {text(
              'initial_assessment',
              'Initial assessment',
              'What you know now: what was hit, how, and what you are doing.',
              4,
            )}
            {classification}
            <h3 class="form-section">Impact</h3>
            {impact}
          </>
        )}

        {current === 'intermediate' && (
          <>
            {openRequests.length > 0 && (
              <SelectField
                label="Answers the request"
                name="request_id"
                value={draft.request_id}
                onValue={set('request_id')}
                options={[
                  ...openRequests.map((q) => ({ value: q.id, label: `${q.requested_by}: ${q.question}` })),
                  { value: '', label: 'No request: an update of our own' },
                ]}
                error={fe['/request_id']}
              />
            )}
            {text('update', 'Update', 'What has changed since your last report.', 4)}
            <details class="more-fields">
              <summary>Correct the impact or the classification</summary>
              {classification}
              {impact}
            </details>
          </>
        )}

        {current === 'progress' && (
          <>
            {text('status', 'Status', 'Where the handling stands a month after the notification.', 4)}
            <TextField
              label="Expected resolution"
              name="expected_resolution_at"
              type="datetime-local"
              value={draft.expected_resolution_at}
              onValue={set('expected_resolution_at')}
              hint={`Your local time (${localZoneLabel()}).`}
              error={fe['/expected_resolution_at']}
            />
            <details class="more-fields">
              <summary>Correct the impact or the classification</summary>
              {classification}
              {impact}
            </details>
          </>
        )}

        {current === 'final' && (
          <>
            {text(
              'description',
              'Description',
              'The incident from start to end: what happened, its cause and its effects.',
              5,
            )}
            <div class="form-grid">
              <SelectField
                label="Root cause"
                name="root_cause"
                value={draft.root_cause}
                onValue={set('root_cause')}
                options={[
                  { value: '', label: 'Choose the root cause' },
                  ...ROOT_CAUSES.map((r) => ({ value: r, label: rootCauseLabel(r) })),
                ]}
                required={req('root_cause')}
                error={fe['/root_cause']}
              />
              <TextField
                label="Resolved at"
                name="resolved_at"
                type="datetime-local"
                value={draft.resolved_at}
                onValue={set('resolved_at')}
                hint={`Your local time (${localZoneLabel()}); leave empty for now.`}
                error={fe['/resolved_at']}
              />
            </div>
            {text('mitigations_applied', 'Mitigations applied')}
            {text('mitigations_ongoing', 'Mitigations still ongoing')}
            {text('cross_border_impact', 'Cross-border impact', undefined, 2)}
            <h3 class="form-section">Impact and classification</h3>
            {classification}
            {impact}
          </>
        )}

        <ObservablesEditor rows={rows} onRows={setRows} errors={rowErrors(fe, sentFrom)} />

        <div class="form-actions">
          <button type="submit" class="button button-primary" disabled={busy}>
            {busy ? 'Filing…' : `File the ${stageLabel(current).toLowerCase()}`}
          </button>
        </div>
      </form>
    </>
  );
}

/** Observables on their own, added to the case without a report. */
export function AddObservables({ c, onAdded }: { c: IncidentCase; onAdded: (c: IncidentCase, message: string) => void }) {
  const [rows, setRows] = useState<ObservableRow[]>(() => [newRow()]);
  const [error, setError] = useState<ApiError | null>(null);
  const [sentFrom, setSentFrom] = useState<number[]>([]);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    const { list, from } = observablesOf(rows);
    setSentFrom(from);
    setError(null);
    setNotice(null);
    if (!list.length) {
      setNotice('Fill in a value first.');
      return;
    }
    setBusy(true);
    try {
      const updated = await api.post<IncidentCase>(`/incidents/${c.id}/observables`, { observables: list });
      const added = updated.observables.length - c.observables.length;
      setRows([newRow()]);
      onAdded(updated, added > 0 ? `${added} observable${added === 1 ? '' : 's'} added.` : 'The case had these already.');
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} noValidate class="add-observables">
      <ErrorMessage error={error} />
      <SuccessMessage>{notice}</SuccessMessage>
      <ObservablesEditor rows={rows} onRows={setRows} errors={rowErrors(error?.fieldErrors ?? {}, sentFrom)} />
      <div class="form-actions">
        <button type="submit" class="button" disabled={busy}>
          Add to the case
        </button>
      </div>
    </form>
  );
}
