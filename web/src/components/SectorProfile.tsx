// How a sector reports: the deadlines, significance thresholds and required fields its new cases
// are filed under. The head of a regulator of the sector chooses a built-in profile and may
// tighten it within the national law's bounds (shown beside each value); every save is a new
// version, and cases filed earlier keep theirs.

import { useState } from 'preact/hooks';
import { api, type ApiError } from '../api';
import { asApiError, useAsync } from '../hooks';
import {
  fieldLabel,
  loadProfiles,
  severityLabel,
  SEVERITIES,
  stageLabel,
  type ReportingProfile,
  type SectorProfile,
  type Severity,
  type Stage,
} from '../incidents';
import { useSession } from '../session';
import { CheckboxGroup, SelectField, TextField } from './Field';
import { ErrorMessage, Loading, SuccessMessage } from './Status';

type Measure = 'users_affected' | 'duration_hours' | 'financial_loss_eur' | 'sites_or_regions';
const MEASURES: Measure[] = ['users_affected', 'duration_hours', 'financial_loss_eur', 'sites_or_regions'];
const LEVELS = ['medium', 'high', 'critical'] as const;
const ADDABLE: Stage[] = ['notification', 'intermediate', 'final', 'progress'];

interface Draft {
  base: string;
  early: string;
  notification: string;
  final: string;
  intermediate: string;
  thresholds: Record<Measure, Record<(typeof LEVELS)[number], string>>;
  significant: Severity;
  crossBorder: Severity;
  also: Record<Stage, string[]>;
}

function draftOf(p: ReportingProfile, base: string): Draft {
  const t = {} as Draft['thresholds'];
  for (const m of MEASURES) {
    t[m] = { medium: '', high: '', critical: '' };
    for (const l of LEVELS) t[m][l] = p.thresholds[m][l]?.toString() ?? '';
  }
  return {
    base,
    early: String(p.early_warning_within_hours),
    notification: String(p.notification_within_hours),
    final: String(p.final_within_days),
    intermediate: String(p.intermediate_within_hours),
    thresholds: t,
    significant: p.significant_from,
    crossBorder: p.cross_border_at_least,
    also: { ...p.also_required },
  };
}

const num = (s: string) => (s.trim() === '' ? null : Number(s));

/** The profile as a table anyone may read. */
function ProfileFacts({ p, law }: { p: ReportingProfile; law: ReportingProfile }) {
  return (
    <>
      <dl class="facts">
        <dt>Early warning</dt>
        <dd>within {p.early_warning_within_hours} h of awareness</dd>
        <dt>Notification</dt>
        <dd>within {p.notification_within_hours} h of awareness</dd>
        <dt>Final report</dt>
        <dd>{p.final_within_days} days after the notification</dd>
        <dt>Intermediate reports</dt>
        <dd>within {p.intermediate_within_hours} h of a request, unless it says otherwise</dd>
        <dt>Mandatory from</dt>
        <dd>{severityLabel(p.significant_from)} severity</dd>
        <dt>Cross-border incidents</dt>
        <dd>at least {severityLabel(p.cross_border_at_least).toLowerCase()}</dd>
      </dl>
      <div class="table-wrap table-flat">
        <table class="table compact">
          <caption class="small muted">Severity thresholds (the national law's in brackets)</caption>
          <thead>
            <tr>
              <th scope="col">Measure</th>
              {LEVELS.map((l) => (
                <th scope="col" key={l}>
                  {severityLabel(l)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {MEASURES.map((m) => (
              <tr key={m}>
                <th scope="row">{fieldLabel(m)}</th>
                {LEVELS.map((l) => (
                  <td key={l}>
                    {p.thresholds[m][l]?.toLocaleString('en-GB') ?? '—'}{' '}
                    <span class="small muted">({law.thresholds[m][l]?.toLocaleString('en-GB') ?? '—'})</span>
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {ADDABLE.some((s) => p.also_required[s]?.length) && (
        <p class="small">
          The sector also asks for:{' '}
          {ADDABLE.filter((s) => p.also_required[s]?.length)
            .map((s) => `${stageLabel(s).toLowerCase()}: ${p.also_required[s].map(fieldLabel).join(', ').toLowerCase()}`)
            .join('; ')}
          .
        </p>
      )}
    </>
  );
}

export function SectorReportingProfile({ sectorId }: { sectorId: string }) {
  const { session } = useSession();
  const [tick, setTick] = useState(0);
  const state = useAsync(
    async () => ({
      current: await api.get<SectorProfile>(`/sectors/${encodeURIComponent(sectorId)}/reporting-profile`),
      builtIn: await loadProfiles(),
    }),
    [sectorId, tick],
  );
  const [draft, setDraft] = useState<Draft | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const heads = session.memberships.some(
    (m) => m.organisation.kind === 'regulator' && m.roles.includes('org_admin') && m.organisation.sector_ids.includes(sectorId),
  );

  if (state.error) return <ErrorMessage error={state.error} />;
  if (!state.data) return <Loading what="Loading the reporting profile" />;
  const { current, builtIn } = state.data;
  const fe = error?.fieldErrors ?? {};

  const startEditing = () => {
    setNotice(null);
    setError(null);
    setDraft(draftOf(current.profile, current.base_id));
  };
  const rebase = (id: string) => {
    const base = builtIn.find((p) => p.id === id);
    if (base && draft) setDraft(draftOf(base, id));
  };
  const save = async (e: Event) => {
    e.preventDefault();
    if (!draft) return;
    const base = builtIn.find((p) => p.id === draft.base)!;
    const body: Record<string, unknown> = { profile_id: draft.base };
    // Send what differs from the base: no adjustment at all keeps the built-in profile as it is.
    const put = (key: string, value: unknown, baseValue: unknown) => {
      if (JSON.stringify(value) !== JSON.stringify(baseValue)) body[key] = value;
    };
    put('early_warning_within_hours', num(draft.early), base.early_warning_within_hours);
    put('notification_within_hours', num(draft.notification), base.notification_within_hours);
    put('final_within_days', num(draft.final), base.final_within_days);
    put('intermediate_within_hours', num(draft.intermediate), base.intermediate_within_hours);
    put('significant_from', draft.significant, base.significant_from);
    put('cross_border_at_least', draft.crossBorder, base.cross_border_at_least);
    const thresholds: Record<string, Record<string, number | null>> = {};
    for (const m of MEASURES) {
      const mine = Object.fromEntries(LEVELS.map((l) => [l, num(draft.thresholds[m][l])]));
      if (JSON.stringify(mine) !== JSON.stringify(base.thresholds[m])) thresholds[m] = mine;
    }
    if (Object.keys(thresholds).length) body.thresholds = thresholds;
    const also = Object.fromEntries(ADDABLE.map((s) => [s, draft.also[s] ?? []]));
    if (ADDABLE.some((s) => also[s]!.length || base.also_required[s]?.length)) put('also_required', also, Object.fromEntries(ADDABLE.map((s) => [s, base.also_required[s] ?? []])));
    setBusy(true);
    setError(null);
    try {
      await api.put(`/sectors/${encodeURIComponent(sectorId)}/reporting-profile`, body);
      setDraft(null);
      setNotice('Saved. New cases of the sector are filed under this profile; cases filed earlier keep theirs.');
      setTick((t) => t + 1);
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };

  const law = current.law;
  const set = (patch: Partial<Draft>) => draft && setDraft({ ...draft, ...patch });
  return (
    <section class="card" aria-labelledby="sector-profile">
      <h2 id="sector-profile">How the sector reports incidents</h2>
      <p>
        <strong>{current.profile.name}</strong>{' '}
        <span class="muted small">
          {current.own ? `the sector's own, version ${current.version}, from ${builtIn.find((p) => p.id === current.base_id)?.name ?? current.base_id}` : 'built in'}
        </span>
      </p>
      <SuccessMessage>{notice}</SuccessMessage>
      {!draft && <ProfileFacts p={current.profile} law={law} />}
      {heads && !draft && (
        <div class="form-actions">
          <button type="button" class="button" onClick={startEditing}>
            Change the profile…
          </button>
        </div>
      )}
      {draft && (
        <form onSubmit={save} class="profile-form">
          <ErrorMessage error={error} />
          <SelectField
            label="Start from"
            name="base"
            value={draft.base}
            onValue={rebase}
            options={builtIn.map((p) => ({ value: p.id, label: p.name }))}
            error={fe['/profile_id']}
          />
          <div class="grid-2">
            <TextField label="Early warning within (hours)" name="early" type="number" min={1} value={draft.early} onValue={(v) => set({ early: v })} hint={`The law: at most ${law.early_warning_within_hours} h.`} error={fe['/early_warning_within_hours']} />
            <TextField label="Notification within (hours)" name="notification" type="number" min={1} value={draft.notification} onValue={(v) => set({ notification: v })} hint={`The law: at most ${law.notification_within_hours} h.`} error={fe['/notification_within_hours']} />
            <TextField label="Final report after the notification (days)" name="final" type="number" min={1} value={draft.final} onValue={(v) => set({ final: v })} hint={`The law: at most ${law.final_within_days} days.`} error={fe['/final_within_days']} />
            <TextField label="Intermediate report after a request (hours)" name="intermediate" type="number" min={1} value={draft.intermediate} onValue={(v) => set({ intermediate: v })} hint={`The law: at most ${law.intermediate_within_hours} h.`} error={fe['/intermediate_within_hours']} />
            <SelectField label="Reporting is mandatory from" name="significant" value={draft.significant} onValue={(v) => set({ significant: v as Severity })} options={SEVERITIES.map((s) => ({ value: s, label: severityLabel(s) }))} hint={`The law: from ${severityLabel(law.significant_from).toLowerCase()} or lower.`} error={fe['/significant_from']} />
            <SelectField label="Cross-border incidents are at least" name="cross_border" value={draft.crossBorder} onValue={(v) => set({ crossBorder: v as Severity })} options={SEVERITIES.map((s) => ({ value: s, label: severityLabel(s) }))} hint={`The law: ${severityLabel(law.cross_border_at_least).toLowerCase()} or higher.`} error={fe['/cross_border_at_least']} />
          </div>
          <fieldset class="field">
            <legend>Severity thresholds (each at most the law's, rising from medium to critical)</legend>
            <div class="table-wrap table-flat">
              <table class="table compact">
                <thead>
                  <tr>
                    <th scope="col">Measure</th>
                    {LEVELS.map((l) => (
                      <th scope="col" key={l}>
                        {severityLabel(l)}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {MEASURES.map((m) => (
                    <tr key={m}>
                      <th scope="row">{fieldLabel(m)}</th>
                      {LEVELS.map((l) => (
                        <td key={l}>
                          <TextField
                            label={`${fieldLabel(m)}, ${l}`}
                            name={`${m}-${l}`}
                            type="number"
                            min={0}
                            value={draft.thresholds[m][l]}
                            onValue={(v) => set({ thresholds: { ...draft.thresholds, [m]: { ...draft.thresholds[m], [l]: v } } })}
                            hint={`law: ${law.thresholds[m][l]?.toLocaleString('en-GB') ?? 'none'}`}
                            error={fe[`/thresholds/${m}/${l}`]}
                          />
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </fieldset>
          {ADDABLE.map((s) => (
            <CheckboxGroup
              key={s}
              label={`The ${stageLabel(s).toLowerCase()} also asks for`}
              options={(current.may_add_fields[s] ?? []).map((f) => ({ value: f, label: fieldLabel(f) }))}
              selected={draft.also[s] ?? []}
              onSelected={(v) => set({ also: { ...draft.also, [s]: v } })}
              error={Object.entries(fe).find(([f]) => f.startsWith(`/also_required/${s}`))?.[1]}
            />
          ))}
          <div class="form-actions">
            <button type="submit" class="button button-primary" disabled={busy}>
              Save as the sector's profile
            </button>
            <button type="button" class="button button-quiet" onClick={() => setDraft(null)}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
