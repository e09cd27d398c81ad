// One risk scenario: asset × threat × vulnerability. Creating one (threat and vulnerability from
// the analysis or from the catalogue), scoring it (likelihood and qualification, or probability),
// the controls in place, the treatment with its owner and planned controls, the current and
// residual risk as the API computed them, management's acceptance, and its recommendations.

import { useEffect, useState } from 'preact/hooks';
import { api, ifMatch, query, type ApiError } from '../api';
import { RadioGroup, SelectField, TextField } from '../components/Field';
import { Link } from '../components/Link';
import { AnalysisPage, LevelBadge, type AnalysisFrame } from '../components/RiskParts';
import { RecommendationForm, RecommendationList } from '../components/RiskActionBits';
import { ErrorMessage, Loading, SuccessMessage } from '../components/Status';
import { formatDateTime } from '../format';
import { asApiError, useAsync } from '../hooks';
import {
  apiBase,
  ASSET_TYPES,
  assetTypeLabel,
  CRITERIA,
  criterionLabel,
  familyLabel,
  loadCatalogue,
  loadPeople,
  pagePath,
  personName,
  personOptions,
  scaleOptions,
  TREATMENTS,
  treatmentLabel,
  type Analysis,
  type Asset,
  type AssetType,
  type Scenario,
  type Threat,
  type Treatment,
  type Vulnerability,
} from '../risk';
import { navigate, useLocation } from '../router';
import { useSession } from '../session';
import type { Page as ListPage } from '../types';

export function RiskScenarioPage({ orgId, analysisId, scenarioId }: { orgId: string; analysisId: string; scenarioId?: string }) {
  return (
    <AnalysisPage orgId={orgId} analysisId={analysisId} view="" title={() => (scenarioId ? 'Risk scenario' : 'New risk scenario')}>
      {(frame) => (scenarioId ? <ScenarioLoader frame={frame} id={scenarioId} /> : <NewScenario frame={frame} />)}
    </AnalysisPage>
  );
}

// ---- what is shared by creating and editing ----

interface Fields {
  description: string;
  probability: string;
  residual_probability: string;
  reduction: string;
  controls_in_place: string;
  treatment: Treatment;
  owner: string;
  planned_controls: string;
}

function fieldsOf(s: Scenario | null): Fields {
  return {
    description: s?.description ?? '',
    probability: s?.probability === null || s?.probability === undefined ? '' : String(s.probability),
    residual_probability:
      s?.residual_probability === null || s?.residual_probability === undefined ? '' : String(s.residual_probability),
    reduction: String(s?.reduction ?? 0),
    controls_in_place: s?.controls_in_place ?? '',
    treatment: s?.treatment ?? 'none',
    owner: s?.owner_id ?? '',
    planned_controls: s?.planned_controls ?? '',
  };
}

function bodyOf(a: Analysis, f: Fields): Record<string, unknown> {
  const num = (v: string) => (v === '' ? null : Number(v));
  const body: Record<string, unknown> = {
    description: f.description,
    controls_in_place: f.controls_in_place,
    treatment: f.treatment,
    owner_id: f.owner || null,
    planned_controls: f.planned_controls,
  };
  if (a.method === 'itv') body.reduction = Number(f.reduction);
  else {
    body.probability = num(f.probability);
    body.residual_probability = num(f.residual_probability);
  }
  return body;
}

function ScenarioFields({
  analysis,
  fields,
  set,
  errors,
  people,
}: {
  analysis: Analysis;
  fields: Fields;
  set: (p: Partial<Fields>) => void;
  errors: Record<string, string>;
  people: Awaited<ReturnType<typeof loadPeople>>;
}) {
  const { session } = useSession();
  const s = analysis.settings;
  const reductions = [];
  for (let k = 0; k <= s.vulnerability.max - s.vulnerability.min; k++) {
    reductions.push({ value: String(k), label: k === 0 ? 'None (0)' : `By ${k} level${k > 1 ? 's' : ''}` });
  }
  return (
    <>
      <div class="grid-2">
        {analysis.method === 'itv' ? (
          <SelectField
            label="Controls in place lower the vulnerability"
            name="reduction"
            value={fields.reduction}
            onValue={(v) => set({ reduction: v })}
            error={errors['/reduction']}
            hint="The residual risk uses the vulnerability lowered by this much."
            options={reductions}
          />
        ) : (
          <>
            <SelectField
              label="Probability"
              name="probability"
              value={fields.probability}
              onValue={(v) => set({ probability: v })}
              error={errors['/probability']}
              options={scaleOptions(s.probability)}
            />
            <SelectField
              label="Residual probability"
              name="residual_probability"
              value={fields.residual_probability}
              onValue={(v) => set({ residual_probability: v })}
              error={errors['/residual_probability']}
              hint="After the planned controls; the same as the probability when not set."
              options={scaleOptions(s.probability, 'As the probability')}
            />
          </>
        )}
      </div>
      <TextField label="Controls in place" name="controls_in_place" value={fields.controls_in_place} onValue={(v) => set({ controls_in_place: v })} multiline rows={2} maxLength={5000} error={errors['/controls_in_place']} />
      <RadioGroup
        label="Treatment"
        name="treatment"
        value={fields.treatment}
        onValue={(v) => set({ treatment: v as Treatment })}
        error={errors['/treatment']}
        options={TREATMENTS.map((t) => ({ value: t, label: treatmentLabel(t) }))}
      />
      <div class="grid-2">
        <SelectField
          label="Risk owner"
          name="owner_id"
          value={fields.owner}
          onValue={(v) => set({ owner: v })}
          error={errors['/owner_id']}
          options={personOptions(people, session, fields.owner || null)}
        />
        <TextField label="Planned controls" name="planned_controls" value={fields.planned_controls} onValue={(v) => set({ planned_controls: v })} multiline rows={2} maxLength={5000} error={errors['/planned_controls']} />
      </div>
      <TextField label="Notes on the scenario" name="description" value={fields.description} onValue={(v) => set({ description: v })} multiline rows={2} maxLength={5000} error={errors['/description']} />
    </>
  );
}

// ---- creating ----

function NewScenario({ frame }: { frame: AnalysisFrame }) {
  const { analysis, mayWrite } = frame;
  const base = apiBase(analysis.organisation_id, analysis.id);
  const { query: params } = useLocation();
  const fixedAsset = params.get('asset');
  const [assetType, setAssetType] = useState<AssetType>('business_process');
  const [assetId, setAssetId] = useState(fixedAsset ?? '');
  const [threatSource, setThreatSource] = useState('analysis');
  const [threat, setThreat] = useState('');
  const [vulnSource, setVulnSource] = useState('analysis');
  const [vuln, setVuln] = useState('');
  const [fields, setFields] = useState<Fields>(() => fieldsOf(null));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const f = error?.fieldErrors ?? {};
  const { session } = useSession();
  const people = useAsync(() => loadPeople(analysis.organisation_id, session), [analysis.organisation_id]);
  const asset = useAsync(
    () => (fixedAsset ? api.get<Asset>(`${base}/assets/${fixedAsset}`) : Promise.resolve(null)),
    [base, fixedAsset],
  );
  const type = asset.data?.type ?? assetType;
  const assets = useAsync(
    () =>
      fixedAsset
        ? Promise.resolve([] as Asset[])
        : api.get<ListPage<Asset>>(`${base}/assets` + query({ type: assetType, sort: 'name', limit: 200 })).then((p) => p.items),
    [base, assetType, fixedAsset],
  );
  useEffect(() => {
    if (!fixedAsset) setAssetId(assets.data?.[0]?.id ?? '');
  }, [assets.data]);
  const threats = useAsync(() => api.get<ListPage<Threat>>(`${base}/threats`).then((p) => p.items), [base]);
  const vulns = useAsync(() => api.get<ListPage<Vulnerability>>(`${base}/vulnerabilities`).then((p) => p.items), [base]);
  const catalogue = useAsync(loadCatalogue, []);

  const catThreats = (catalogue.data?.threats ?? []).filter((t) => t.asset_types.includes(type));
  const chosenThreatUrn =
    threatSource === 'catalogue' ? threat : (threats.data ?? []).find((t) => t.id === threat)?.urn ?? '';
  // Vulnerabilities of the asset's type, those that let the chosen threat happen first.
  const catVulns = (catalogue.data?.vulnerabilities ?? [])
    .filter((v) => v.asset_types.includes(type))
    .sort((a, b) => Number(b.threat_urns.includes(chosenThreatUrn)) - Number(a.threat_urns.includes(chosenThreatUrn)));

  if (!mayWrite) return <p>You may read this analysis but not add scenarios to it.</p>;

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body: Record<string, unknown> = { asset_id: assetId, ...bodyOf(analysis, fields) };
      if (threatSource === 'catalogue') body.threat_urn = threat;
      else body.threat_id = threat;
      if (vulnSource === 'catalogue') body.vulnerability_urn = vuln;
      else body.vulnerability_id = vuln;
      const s = await api.post<Scenario>(`${base}/scenarios`, body);
      navigate(pagePath(analysis.organisation_id, analysis.id, `scenarios/${s.id}`));
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card form-card" onSubmit={submit} noValidate>
      <h2>Asset, threat and vulnerability</h2>
      <ErrorMessage error={error} />
      {fixedAsset ? (
        <p>
          On <strong>{asset.data?.name ?? '…'}</strong> ({assetTypeLabel(type)})
        </p>
      ) : (
        <div class="grid-2">
          <SelectField label="Asset type" name="asset-type" value={assetType} onValue={(v) => setAssetType(v as AssetType)} options={ASSET_TYPES.map((t) => ({ value: t, label: assetTypeLabel(t) }))} />
          <SelectField
            label="Asset"
            name="asset_id"
            value={assetId}
            onValue={setAssetId}
            error={f['/asset_id']}
            required
            options={(assets.data ?? []).length ? assets.data!.map((a) => ({ value: a.id, label: a.name })) : [{ value: '', label: 'No asset of this type' }]}
          />
        </div>
      )}
      <div class="grid-2">
        <div>
          <RadioGroup
            label="Threat from"
            name="threat-source"
            value={threatSource}
            onValue={(v) => {
              setThreatSource(v);
              setThreat('');
            }}
            options={[
              { value: 'analysis', label: 'This analysis' },
              { value: 'catalogue', label: 'The catalogue' },
            ]}
          />
          <SelectField
            label="Threat"
            name="threat"
            value={threat}
            onValue={setThreat}
            required
            error={f['/threat_id'] ?? f['/threat_urn']}
            options={[
              { value: '', label: 'Choose a threat' },
              ...(threatSource === 'catalogue'
                ? catThreats.map((t) => ({ value: t.urn, label: `${t.name} (${familyLabel(t.family)})` }))
                : (threats.data ?? []).map((t) => ({ value: t.id, label: t.name }))),
            ]}
          />
        </div>
        <div>
          <RadioGroup
            label="Vulnerability from"
            name="vuln-source"
            value={vulnSource}
            onValue={(v) => {
              setVulnSource(v);
              setVuln('');
            }}
            options={[
              { value: 'analysis', label: 'This analysis' },
              { value: 'catalogue', label: 'The catalogue' },
            ]}
          />
          <SelectField
            label="Vulnerability"
            name="vulnerability"
            value={vuln}
            onValue={setVuln}
            required
            error={f['/vulnerability_id'] ?? f['/vulnerability_urn']}
            hint={vulnSource === 'catalogue' && chosenThreatUrn ? 'Those that let the chosen threat happen come first (★).' : undefined}
            options={[
              { value: '', label: 'Choose a vulnerability' },
              ...(vulnSource === 'catalogue'
                ? catVulns.map((v) => ({ value: v.urn, label: `${v.threat_urns.includes(chosenThreatUrn) ? '★ ' : ''}${v.name}` }))
                : (vulns.data ?? []).map((v) => ({ value: v.id, label: v.name }))),
            ]}
          />
        </div>
      </div>
      <ErrorMessage error={catalogue.error} />
      <h2>Scoring and treatment</h2>
      <ScenarioFields analysis={analysis} fields={fields} set={(p) => setFields({ ...fields, ...p })} errors={f} people={people.data ?? null} />
      <div class="form-actions">
        <button type="submit" class="button button-primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create the scenario'}
        </button>
      </div>
    </form>
  );
}

// ---- editing ----

function ScenarioLoader({ frame, id }: { frame: AnalysisFrame; id: string }) {
  const base = apiBase(frame.analysis.organisation_id, frame.analysis.id);
  const state = useAsync(
    () =>
      Promise.all([
        api.get<Scenario>(`${base}/scenarios/${id}`),
        api.get<ListPage<Threat>>(`${base}/threats`).then((p) => p.items),
        api.get<ListPage<Vulnerability>>(`${base}/vulnerabilities`).then((p) => p.items),
      ]),
    [base, id],
  );
  if (state.error) return <ErrorMessage error={state.error} />;
  if (!state.data || state.data[0].id !== id) return <Loading />;
  const [s, threats, vulns] = state.data;
  const t = threats.find((x) => x.id === s.threat.id);
  const v = vulns.find((x) => x.id === s.vulnerability.id);
  if (!t || !v) return <Loading />;
  return <ScenarioEditor key={id} frame={frame} initial={s} threat={t} vulnerability={v} />;
}

function ScenarioEditor({
  frame,
  initial,
  threat: initialThreat,
  vulnerability: initialVuln,
}: {
  frame: AnalysisFrame;
  initial: Scenario;
  threat: Threat;
  vulnerability: Vulnerability;
}) {
  const { session } = useSession();
  const { analysis, mayWrite, mayAccept } = frame;
  const s0 = analysis.settings;
  const base = apiBase(analysis.organisation_id, analysis.id);
  const [scenario, setScenario] = useState(initial);
  const [threat, setThreat] = useState(initialThreat);
  const [vuln, setVuln] = useState(initialVuln);
  const [fields, setFields] = useState<Fields>(() => fieldsOf(initial));
  const [likelihood, setLikelihood] = useState(initialThreat.likelihood === null ? '' : String(initialThreat.likelihood));
  const [qualification, setQualification] = useState(initialVuln.qualification === null ? '' : String(initialVuln.qualification));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState('');
  const people = useAsync(() => loadPeople(analysis.organisation_id, session), [analysis.organisation_id]);
  const f = error?.fieldErrors ?? {};
  const here = pagePath(analysis.organisation_id, analysis.id);

  const save = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setSaved('');
    try {
      // Likelihood and qualification belong to the threat and the vulnerability: every scenario
      // using them is rescored.
      if (analysis.method === 'itv') {
        const l = likelihood === '' ? null : Number(likelihood);
        if (l !== threat.likelihood) {
          setThreat(await api.patch<Threat>(`${base}/threats/${threat.id}`, { likelihood: l }, ifMatch(threat.version)));
        }
        const q = qualification === '' ? null : Number(qualification);
        if (q !== vuln.qualification) {
          setVuln(
            await api.patch<Vulnerability>(`${base}/vulnerabilities/${vuln.id}`, { qualification: q }, ifMatch(vuln.version)),
          );
        }
      }
      const next = await api.patch<Scenario>(`${base}/scenarios/${scenario.id}`, bodyOf(analysis, fields), ifMatch(scenario.version));
      setScenario(next);
      setFields(fieldsOf(next));
      setSaved('Saved; the risk below is the server’s new score.');
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    if (!window.confirm('Delete this scenario?')) return;
    setBusy(true);
    try {
      await api.delete(`${base}/scenarios/${scenario.id}`, undefined, ifMatch(scenario.version));
      navigate(here);
    } catch (err) {
      setError(asApiError(err));
      setBusy(false);
    }
  };

  return (
    <>
      <div class="card risk-scenario-head">
        <h2>
          {scenario.threat.name} <span class="muted">on</span>{' '}
          <Link href={pagePath(analysis.organisation_id, analysis.id, `assets/${scenario.asset.id}`)}>{scenario.asset.name}</Link>
        </h2>
        <p class="muted">
          Through {scenario.vulnerability.name} · {assetTypeLabel(scenario.asset.type)}
        </p>
        <div class="risk-scores" aria-live="polite">
          <div>
            <span class="risk-score-label">Current risk</span>
            <LevelBadge settings={s0} level={scenario.current.level} risk={scenario.current.risk} />
          </div>
          <div>
            <span class="risk-score-label">Residual risk</span>
            <LevelBadge settings={s0} level={scenario.residual.level} risk={scenario.residual.risk} />
          </div>
          <div>
            <span class="risk-score-label">Treatment</span>
            <strong>{treatmentLabel(scenario.treatment)}</strong>
          </div>
          <div>
            <span class="risk-score-label">Owner</span>
            <strong>{personName(people.data ?? null, session, scenario.owner_id)}</strong>
          </div>
        </div>
        <p class="small muted">
          By criterion:{' '}
          {CRITERIA.filter((c) => c !== 'authenticity' || s0.criteria.authenticity)
            .map((c) => `${criterionLabel(c)} ${scenario.by_criterion[c] ?? '—'}`)
            .join(' · ')}
        </p>
      </div>
      <div class="grid-2 grid-wide-left">
        <form class="card form-card" onSubmit={save} noValidate>
          <h2>{mayWrite ? 'Score and treat' : 'Scoring and treatment'}</h2>
          <ErrorMessage error={error} />
          <SuccessMessage>{saved}</SuccessMessage>
          <fieldset class="plain" disabled={!mayWrite}>
            {analysis.method === 'itv' && (
              <div class="grid-2">
                <SelectField
                  label="Threat likelihood"
                  name="likelihood"
                  value={likelihood}
                  onValue={setLikelihood}
                  error={f['/likelihood']}
                  hint="Of the threat in this analysis: every scenario with it changes."
                  options={scaleOptions(s0.likelihood)}
                />
                <SelectField
                  label="Vulnerability qualification"
                  name="qualification"
                  value={qualification}
                  onValue={setQualification}
                  error={f['/qualification']}
                  hint="How easily it is exploited, for every scenario with it."
                  options={scaleOptions(s0.vulnerability)}
                />
              </div>
            )}
            <ScenarioFields analysis={analysis} fields={fields} set={(p) => setFields({ ...fields, ...p })} errors={f} people={people.data ?? null} />
          </fieldset>
          {mayWrite && (
            <div class="form-actions">
              <button type="submit" class="button button-primary" disabled={busy}>
                {busy ? 'Saving…' : 'Save'}
              </button>
              <button type="button" class="button button-danger" disabled={busy} onClick={() => void remove()}>
                Delete
              </button>
            </div>
          )}
        </form>
        <div>
          <AcceptancePanel analysis={analysis} scenario={scenario} mayAccept={mayAccept} onScenario={setScenario} />
          <div class="card">
            <h2>Recommendations</h2>
            <RecommendationList analysis={analysis} scenarioId={scenario.id} compact />
            {mayWrite && <RecommendationForm analysis={analysis} scenarioId={scenario.id} />}
          </div>
        </div>
      </div>
    </>
  );
}

function AcceptancePanel({
  analysis,
  scenario,
  mayAccept,
  onScenario,
}: {
  analysis: Analysis;
  scenario: Scenario;
  mayAccept: boolean;
  onScenario: (s: Scenario) => void;
}) {
  const base = apiBase(analysis.organisation_id, analysis.id);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const a = scenario.acceptance;
  const accept = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onScenario(await api.post<Scenario>(`${base}/scenarios/${scenario.id}/acceptances`, { note: note.trim() }));
      setNote('');
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="card risk-acceptance">
      <h2>Management's acceptance</h2>
      {a ? (
        <div class={a.stale ? 'warning' : 'notice notice-ok'}>
          <p>
            {a.stale ? <strong>Stale: </strong> : <strong>Accepted: </strong>}
            residual risk accepted by {a.accepted_by_name} on {formatDateTime(a.accepted_at)}.
            {a.stale && ' The scenario has changed since; management should look at it again.'}
          </p>
          {a.note && <p class="small">“{a.note}”</p>}
        </div>
      ) : (
        <p class="muted">The residual risk has not been accepted.</p>
      )}
      {mayAccept &&
        (!a || a.stale) &&
        (scenario.residual.risk === null ? (
          <p class="small muted">It can be accepted once it is scored.</p>
        ) : (
          <form onSubmit={accept}>
            <ErrorMessage error={error} />
            <TextField label="Note" name="acceptance-note" value={note} onValue={setNote} multiline rows={2} maxLength={5000} error={error?.fieldErrors['/note']} hint="Why the residual risk is acceptable, for the record." />
            <button type="submit" class="button button-primary" disabled={busy}>
              {a ? 'Accept the changed residual risk' : 'Accept the residual risk'}
            </button>
          </form>
        ))}
    </div>
  );
}
