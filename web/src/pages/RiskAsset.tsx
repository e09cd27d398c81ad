// One asset: create or edit it (name, type, owner, consequence ratings per criterion × consequence
// type on the analysis's impact scale, an overridden criticality with its reason, dependencies),
// see its criticality as the API computed it, and suggest its scenarios from the catalogue.

import { useEffect, useState } from 'preact/hooks';
import { api, ifMatch, query, type ApiError } from '../api';
import { SelectField, TextField } from '../components/Field';
import { Link } from '../components/Link';
import { AnalysisPage, type AnalysisFrame } from '../components/RiskParts';
import { CriticalityBadge } from '../components/RiskAssetBits';
import { ErrorMessage, fieldMessage, Loading, SuccessMessage } from '../components/Status';
import { plural } from '../format';
import { asApiError, useAsync } from '../hooks';
import {
  apiBase,
  ASSET_TYPES,
  assetTypeLabel,
  CRITERIA,
  criterionLabel,
  loadPeople,
  pagePath,
  personOptions,
  scaleLabel,
  type Analysis,
  type Asset,
  type AssetType,
  type Criterion,
} from '../risk';
import { navigate } from '../router';
import { useSession } from '../session';
import type { Page as ListPage } from '../types';

export function RiskAssetPage({ orgId, analysisId, assetId }: { orgId: string; analysisId: string; assetId?: string }) {
  return (
    <AnalysisPage
      orgId={orgId}
      analysisId={analysisId}
      view="assets"
      title={() => (assetId ? 'Asset' : 'New asset')}
    >
      {(frame) => <AssetLoader frame={frame} assetId={assetId} />}
    </AnalysisPage>
  );
}

function AssetLoader({ frame, assetId }: { frame: AnalysisFrame; assetId?: string }) {
  const { analysis } = frame;
  const base = apiBase(analysis.organisation_id, analysis.id);
  const state = useAsync(
    () => (assetId ? api.get<Asset>(`${base}/assets/${assetId}`) : Promise.resolve(null)),
    [base, assetId],
  );
  if (state.error) return <ErrorMessage error={state.error} />;
  // Until the answer for this path arrives, the previous page's answer is still held.
  if (state.data === undefined || (state.data?.id ?? undefined) !== assetId) return <Loading />;
  return <AssetForm key={assetId ?? 'new'} frame={frame} initial={state.data} />;
}

type Ratings = Partial<Record<Criterion, Record<string, number>>>;

interface Draft {
  name: string;
  type: AssetType;
  description: string;
  owner: string;
  ratings: Ratings;
  override: Partial<Record<Criterion, number>>;
  reason: string;
  depends: string[];
}

function draftOf(a: Asset | null): Draft {
  const override: Partial<Record<Criterion, number>> = {};
  for (const [c, v] of Object.entries(a?.override.impact ?? {})) if (typeof v === 'number') override[c as Criterion] = v;
  return {
    name: a?.name ?? '',
    type: a?.type ?? 'business_process',
    description: a?.description ?? '',
    owner: a?.owner_id ?? '',
    ratings: a ? structuredClone(a.ratings) : {},
    override,
    reason: a?.override.reason ?? '',
    depends: a ? [...a.depends_on] : [],
  };
}

function enabledCriteria(a: Analysis): Criterion[] {
  return CRITERIA.filter((c) => c !== 'authenticity' || a.settings.criteria.authenticity);
}

function AssetForm({ frame, initial }: { frame: AnalysisFrame; initial: Asset | null }) {
  const { session } = useSession();
  const { analysis, mayWrite } = frame;
  const base = apiBase(analysis.organisation_id, analysis.id);
  const [asset, setAsset] = useState<Asset | null>(initial);
  const [draft, setDraft] = useState<Draft>(() => draftOf(initial));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState('');
  const people = useAsync(() => loadPeople(analysis.organisation_id, session), [analysis.organisation_id]);
  const f = error?.fieldErrors ?? {};
  const primary = draft.type === 'business_process' || draft.type === 'information';
  const criteria = enabledCriteria(analysis);
  const scale = analysis.settings.impact;
  const set = (patch: Partial<Draft>) => setDraft({ ...draft, ...patch });

  const body = () => {
    const override: Record<string, number | null> = {};
    for (const c of criteria) override[c] = draft.override[c] ?? null;
    const any = criteria.some((c) => draft.override[c] !== undefined);
    return {
      name: draft.name.trim(),
      type: draft.type,
      description: draft.description,
      owner_id: draft.owner || null,
      ratings: primary ? draft.ratings : {},
      override: { impact: override, reason: any ? draft.reason.trim() : '' },
      depends_on: draft.depends,
    };
  };

  const save = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setSaved('');
    try {
      if (asset) {
        const next = await api.patch<Asset>(`${base}/assets/${asset.id}`, body(), ifMatch(asset.version));
        setAsset(next);
        setDraft(draftOf(next));
        setSaved('Saved. Criticality and the scores of its scenarios were recomputed.');
      } else {
        const created = await api.post<Asset>(`${base}/assets`, body());
        navigate(pagePath(analysis.organisation_id, analysis.id, `assets/${created.id}`));
      }
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    if (!asset || !window.confirm(`Delete the asset “${asset.name}”?`)) return;
    setBusy(true);
    setError(null);
    try {
      await api.delete(`${base}/assets/${asset.id}`, undefined, ifMatch(asset.version));
      navigate(pagePath(analysis.organisation_id, analysis.id, 'assets'));
    } catch (err) {
      setError(asApiError(err));
      setBusy(false);
    }
  };

  const depError = f['/depends_on'] ?? Object.entries(f).find(([k]) => k.startsWith('/depends_on/'))?.[1];

  return (
    <>
      {asset && (
        <div class="card risk-asset-head">
          <h2>{asset.name}</h2>
          <p>
            {assetTypeLabel(asset.type)} · criticality <CriticalityBadge settings={analysis.settings} asset={asset} />
          </p>
          {asset.criticality_source === 'override' && (
            <p class="small">
              <strong>Overridden:</strong> {asset.override.reason}
            </p>
          )}
          <dl class="risk-impacts">
            {criteria.map((c) => (
              <div key={c}>
                <dt>{criterionLabel(c)}</dt>
                <dd>{scaleLabel(scale, asset.impact[c])}</dd>
              </div>
            ))}
          </dl>
          <p class="risk-asset-links">
            <Link href={pagePath(analysis.organisation_id, analysis.id) + query({ asset: asset.id })}>
              Its scenarios in the register
            </Link>
            {mayWrite && (
              <Link href={pagePath(analysis.organisation_id, analysis.id, 'scenarios/new') + query({ asset: asset.id })}>
                New scenario on it
              </Link>
            )}
          </p>
          {mayWrite && <Suggest analysis={analysis} asset={asset} />}
        </div>
      )}
      <form class="card form-card" onSubmit={save} noValidate>
        <h2>{asset ? (mayWrite ? 'Edit the asset' : 'The asset') : 'Describe the asset'}</h2>
        <ErrorMessage error={error} />
        <SuccessMessage>{saved}</SuccessMessage>
        <fieldset class="plain" disabled={!mayWrite}>
          <div class="grid-2">
            <TextField label="Name" name="name" value={draft.name} onValue={(v) => set({ name: v })} required maxLength={200} error={f['/name']} />
            <SelectField
              label="Type"
              name="type"
              value={draft.type}
              onValue={(v) => set({ type: v as AssetType })}
              error={f['/type']}
              hint={primary ? 'A primary asset: rate what losing it would cost.' : 'A supporting asset: it inherits its criticality.'}
              options={ASSET_TYPES.map((t) => ({ value: t, label: assetTypeLabel(t) }))}
            />
          </div>
          <div class="grid-2">
            <TextField label="Description" name="description" value={draft.description} onValue={(v) => set({ description: v })} multiline rows={2} maxLength={5000} error={f['/description']} />
            <SelectField
              label="Owner"
              name="owner_id"
              value={draft.owner}
              onValue={(v) => set({ owner: v })}
              error={f['/owner_id']}
              options={personOptions(people.data ?? null, session, draft.owner || null)}
            />
          </div>
          {primary && <RatingsGrid analysis={analysis} criteria={criteria} ratings={draft.ratings} errors={f} onRatings={(r) => set({ ratings: r })} />}
          <fieldset class="field risk-override">
            <legend>Override the criticality</legend>
            <p class="hint">Only when the computed impact is wrong for a reason the ratings cannot show; say why.</p>
            <div class="form-grid-4">
              {criteria.map((c) => (
                <SelectField
                  key={c}
                  label={criterionLabel(c)}
                  name={`override-${c}`}
                  value={draft.override[c] === undefined ? '' : String(draft.override[c])}
                  onValue={(v) => {
                    const o = { ...draft.override };
                    if (v === '') delete o[c];
                    else o[c] = Number(v);
                    set({ override: o });
                  }}
                  error={f[`/override/impact/${c}`]}
                  options={[{ value: '', label: 'As computed' }, ...scaleValues(scale)]}
                />
              ))}
            </div>
            <TextField label="Reason" name="override-reason" value={draft.reason} onValue={(v) => set({ reason: v })} maxLength={2000} error={f['/override/reason']} />
          </fieldset>
          <Dependencies analysis={analysis} self={asset?.id ?? null} depends={draft.depends} error={depError} onDepends={(d) => set({ depends: d })} />
        </fieldset>
        {mayWrite && (
          <div class="form-actions">
            <button type="submit" class="button button-primary" disabled={busy}>
              {busy ? 'Saving…' : asset ? 'Save the asset' : 'Create the asset'}
            </button>
            {asset && (
              <button type="button" class="button button-danger" disabled={busy} onClick={() => void remove()}>
                Delete
              </button>
            )}
          </div>
        )}
      </form>
    </>
  );
}

function scaleValues(scale: Analysis['settings']['impact']) {
  const out = [];
  for (let v = scale.min; v <= scale.max; v++) out.push({ value: String(v), label: scaleLabel(scale, v) });
  return out;
}

function RatingsGrid({
  analysis,
  criteria,
  ratings,
  errors,
  onRatings,
}: {
  analysis: Analysis;
  criteria: Criterion[];
  ratings: Ratings;
  errors: Record<string, string>;
  onRatings: (r: Ratings) => void;
}) {
  const scale = analysis.settings.impact;
  const types = analysis.settings.consequences;
  const problems = Object.entries(errors).filter(([k]) => k === '/ratings' || k.startsWith('/ratings/'));
  const setOne = (c: Criterion, t: string, v: string) => {
    const next: Ratings = structuredClone(ratings);
    const row = { ...(next[c] ?? {}) };
    if (v === '') delete row[t];
    else row[t] = Number(v);
    next[c] = row;
    onRatings(next);
  };
  return (
    <fieldset class={problems.length ? 'field field-invalid' : 'field'}>
      <legend>Consequences of a loss</legend>
      <p class="hint">
        For each criterion, how bad losing it would be for each consequence type ({scale.min} to {scale.max}); the
        largest is the asset's impact on that criterion.
      </p>
      <div class="table-wrap">
        <table class="table compact risk-ratings">
          <caption class="sr-only">Consequence ratings per criterion and consequence type</caption>
          <thead>
            <tr>
              <th scope="col">Criterion</th>
              {types.map((t) => (
                <th scope="col" key={t.key}>
                  {t.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {criteria.map((c) => (
              <tr key={c}>
                <th scope="row">{criterionLabel(c)}</th>
                {types.map((t) => {
                  const v = ratings[c]?.[t.key];
                  const bad = errors[`/ratings/${c}/${t.key}`];
                  return (
                    <td key={t.key}>
                      <select
                        aria-label={`${criterionLabel(c)}: ${t.name}`}
                        aria-invalid={bad ? 'true' : undefined}
                        name={`rating-${c}-${t.key}`}
                        value={v === undefined ? '' : String(v)}
                        onChange={(e) => setOne(c, t.key, e.currentTarget.value)}
                      >
                        <option value="">—</option>
                        {scaleValues(scale).map((o) => (
                          <option key={o.value} value={o.value}>
                            {o.label}
                          </option>
                        ))}
                      </select>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {problems.map(([k, m]) => (
        <p class="field-error" key={k}>
          {fieldMessage(k.slice(1).replace(/\//g, ' › '), m)}
        </p>
      ))}
    </fieldset>
  );
}

function Dependencies({
  analysis,
  self,
  depends,
  error,
  onDepends,
}: {
  analysis: Analysis;
  self: string | null;
  depends: string[];
  error: string | undefined;
  onDepends: (d: string[]) => void;
}) {
  const base = apiBase(analysis.organisation_id, analysis.id);
  const [type, setType] = useState<AssetType>('software');
  const [pick, setPick] = useState('');
  // Names of the assets depended on, fetched one by one (there are few).
  const [names, setNames] = useState<Record<string, string>>({});
  useEffect(() => {
    const missing = depends.filter((id) => !(id in names));
    if (!missing.length) return;
    void Promise.all(missing.map((id) => api.get<Asset>(`${base}/assets/${id}`).catch(() => null))).then((found) => {
      const next = { ...names };
      missing.forEach((id, k) => (next[id] = found[k]?.name ?? 'An asset no longer there'));
      setNames(next);
    });
  }, [depends.join(',')]);
  // Candidates: the first 200 assets of the chosen type by name.
  const candidates = useAsync(
    () => api.get<ListPage<Asset>>(`${base}/assets` + query({ type, sort: 'name', limit: 200 })).then((p) => p.items),
    [base, type],
  );
  const options = (candidates.data ?? []).filter((a) => a.id !== self && !depends.includes(a.id));
  // Keep the person's choice while it is still offered; otherwise offer the first candidate. While
  // the list of this type is still on its way (or a stale list of another type is all there is),
  // nothing is decided: clearing the choice then would drop what the person picked as soon as a
  // late answer arrived.
  const listed = candidates.data !== undefined && !candidates.loading;
  useEffect(() => {
    if (!listed) return;
    if (!options.some((a) => a.id === pick)) setPick(options[0]?.id ?? '');
  }, [listed, candidates.data, depends.join(',')]);
  const errorId = 'deps-error';
  return (
    <fieldset class={error ? 'field field-invalid' : 'field'} aria-describedby={error ? errorId : undefined}>
      <legend>Depends on</legend>
      <p class="hint">The supporting assets this one needs; they inherit its criticality.</p>
      {depends.length ? (
        <ul class="risk-deps">
          {depends.map((id) => (
            <li key={id}>
              <Link href={pagePath(analysis.organisation_id, analysis.id, `assets/${id}`)}>{names[id] ?? '…'}</Link>
              <button type="button" class="button button-quiet button-small" onClick={() => onDepends(depends.filter((d) => d !== id))}>
                Remove<span class="sr-only"> {names[id]}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted small">Nothing yet.</p>
      )}
      <div class="risk-dep-add">
        <SelectField
          label="Type"
          name="dep-type"
          value={type}
          onValue={(v) => setType(v as AssetType)}
          options={ASSET_TYPES.map((t) => ({ value: t, label: assetTypeLabel(t) }))}
        />
        <SelectField
          label="Asset"
          name="dep-asset"
          value={pick}
          onValue={setPick}
          options={
            !listed
              ? [{ value: pick, label: 'Loading…' }]
              : options.length
                ? options.map((a) => ({ value: a.id, label: a.name }))
                : [{ value: '', label: 'None of this type' }]
          }
        />
        <button type="button" class="button" disabled={!pick || !listed} onClick={() => pick && listed && onDepends([...depends, pick])}>
          Add the dependency
        </button>
      </div>
      {error && (
        <p class="field-error" id={errorId}>
          {fieldMessage('The dependency', error)}
        </p>
      )}
    </fieldset>
  );
}

function Suggest({ analysis, asset }: { analysis: Analysis; asset: Asset }) {
  const base = apiBase(analysis.organisation_id, analysis.id);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<{ created: number; skipped: number } | null>(null);
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      setDone(await api.post<{ created: number; skipped: number }>(`${base}/scenarios/suggested`, { asset_ids: [asset.id] }));
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="risk-suggest">
      <button type="button" class="button" disabled={busy} onClick={() => void run()}>
        {busy ? 'Suggesting…' : 'Suggest scenarios from the catalogue'}
      </button>
      <span class="muted small"> Every threat and vulnerability the catalogue ties to a {assetTypeLabel(asset.type).toLowerCase()} asset.</span>
      <ErrorMessage error={error} />
      <SuccessMessage>
        {done &&
          `${plural(done.created, 'scenario')} added${done.skipped ? `, ${done.skipped} already there` : ''}. Rate the threats' likelihood and the vulnerabilities' qualification to score them.`}
      </SuccessMessage>
    </div>
  );
}
