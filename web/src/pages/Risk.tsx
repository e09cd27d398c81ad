// /risk: the risk analyses of one of the person's organisations (a switcher when they hold a risk
// role in several), the current one first, and the form that starts a new analysis.

import { useState } from 'preact/hooks';
import { api, type ApiError } from '../api';
import { Checkbox, SelectField, TextField } from '../components/Field';
import { Link } from '../components/Link';
import { Page } from '../components/Page';
import { ErrorMessage, Loading } from '../components/Status';
import { formatDate } from '../format';
import { asApiError, useAsync } from '../hooks';
import {
  apiBase,
  METHODS,
  methodLabel,
  mayWriteRisk,
  pagePath,
  riskMemberships,
  type Analysis,
} from '../risk';
import { navigate, useLocation } from '../router';
import { useSession } from '../session';
import type { Page as ListPage } from '../types';

export function RiskPage() {
  const { session } = useSession();
  const { query } = useLocation();
  const orgs = riskMemberships(session);
  const asked = query.get('org');
  const org = orgs.find((m) => m.organisation.id === asked) ?? orgs[0];
  const orgId = org?.organisation.id ?? '';
  const list = useAsync(
    () =>
      orgId
        ? api.get<ListPage<Analysis>>(`${apiBase(orgId)}/analyses`).then((p) => p.items)
        : Promise.resolve([] as Analysis[]),
    [orgId],
  );

  if (!org) {
    return (
      <Page title="Risk analysis">
        <p>You hold no role that reads an organisation's risk analysis.</p>
      </Page>
    );
  }
  const writer = mayWriteRisk(session, orgId);
  const items = [...(list.data ?? [])].sort((a, b) => Number(b.current) - Number(a.current));
  const current = items.find((a) => a.current);

  return (
    <Page
      title="Risk analysis"
      lead={`The risk analyses of ${org.organisation.name}: assets, threats, vulnerabilities and the scenarios they make.`}
      actions={
        current && (
          <Link href={pagePath(orgId, current.id)} class="button button-primary">
            Open the current register
          </Link>
        )
      }
    >
      {orgs.length > 1 && (
        <div class="risk-org-switch">
          <SelectField
            label="Organisation"
            name="org"
            value={orgId}
            onValue={(v) => navigate(`/risk?org=${v}`)}
            options={orgs.map((m) => ({ value: m.organisation.id, label: m.organisation.name }))}
          />
        </div>
      )}
      <ErrorMessage error={list.error} />
      {list.loading && !list.data && <Loading />}
      {list.data && !items.length && (
        <p class="muted">
          No risk analysis yet.{writer ? ' Start one below: it becomes the current analysis.' : ''}
        </p>
      )}
      {items.length > 0 && (
        <div class="table-wrap">
          <table class="table">
            <caption class="sr-only">Risk analyses</caption>
            <thead>
              <tr>
                <th scope="col">Analysis</th>
                <th scope="col">Method</th>
                <th scope="col" class="num">
                  Assets
                </th>
                <th scope="col" class="num">
                  Scenarios
                </th>
                <th scope="col" class="num">
                  Actions
                </th>
                <th scope="col">Updated</th>
              </tr>
            </thead>
            <tbody>
              {items.map((a) => (
                <tr key={a.id}>
                  <th scope="row">
                    <Link href={pagePath(orgId, a.id)}>{a.name}</Link>{' '}
                    {a.current && <span class="badge badge-on">Current</span>}
                    {a.description && <span class="muted small block">{a.description}</span>}
                  </th>
                  <td>
                    {methodLabel(a.method)} <span class="muted small">v{a.method_version}</span>
                  </td>
                  <td class="num">{a.counts.assets}</td>
                  <td class="num">{a.counts.scenarios}</td>
                  <td class="num">{a.counts.recommendations}</td>
                  <td class="nowrap">{formatDate(a.updated_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {writer && <NewAnalysis orgId={orgId} first={!items.length} />}
    </Page>
  );
}

function NewAnalysis({ orgId, first }: { orgId: string; first: boolean }) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [method, setMethod] = useState('itv');
  const [current, setCurrent] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const f = error?.fieldErrors ?? {};

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const a = await api.post<Analysis>(`${apiBase(orgId)}/analyses`, {
        name: name.trim(),
        description: description.trim(),
        method,
        current,
      });
      navigate(pagePath(orgId, a.id, 'assets'));
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card form-card" onSubmit={submit} noValidate>
      <h2>Start a new analysis</h2>
      <ErrorMessage error={error} />
      <div class="grid-2">
        <TextField label="Name" name="name" value={name} onValue={setName} required maxLength={200} error={f['/name']} hint="For instance the PDCA iteration it belongs to: “2027 review”." />
        <SelectField
          label="Scoring method"
          name="method"
          value={method}
          onValue={setMethod}
          error={f['/method']}
          hint="Recorded with its version; scales and thresholds can be changed later."
          options={METHODS.map((m) => ({ value: m, label: methodLabel(m) }))}
        />
      </div>
      <TextField label="Description" name="description" value={description} onValue={setDescription} multiline rows={2} maxLength={5000} error={f['/description']} />
      {!first && (
        <Checkbox label="Make it the current analysis" checked={current} onChecked={setCurrent} error={f['/current']} />
      )}
      <div class="form-actions">
        <button type="submit" class="button button-primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create the analysis'}
        </button>
        <span class="muted small">Next: the assets, then the scenarios on them.</span>
      </div>
    </form>
  );
}
