// The advisory composer for a CERT's analysts: a new draft, or a draft being edited (a correction
// too), with "who will see it" computed by the server as the label, distribution, group and
// recipients change. Saving keeps a draft; publishing is done from the advisory's page.

import { useEffect, useMemo, useState } from 'preact/hooks';
import { api, ifMatch, listAll, type ApiError } from '../api';
import { AudiencePreviewPanel } from '../components/AudiencePreview';
import { CheckboxGroup, RadioGroup, SelectField, TextField } from '../components/Field';
import { Link } from '../components/Link';
import { Page } from '../components/Page';
import { ErrorMessage, Loading } from '../components/Status';
import { loadDirectory, type Directory } from '../directory';
import { asApiError, useAsync } from '../hooks';
import { navigate } from '../router';
import { useSession } from '../session';
import {
  DISTRIBUTIONS,
  distributionLabel,
  publishingCerts,
  SEVERITIES,
  severityLabel,
  TLP_LABELS,
  tlpHint,
  type Advisory,
  type AudienceRequest,
  type Distribution,
  type SharingGroup,
} from '../sharing';

interface Form {
  author: string;
  title: string;
  summary: string;
  severity: string;
  tlp: string;
  distribution: Distribution;
  sectors: string[];
  group: string;
  recipients: string[];
  people: string;
  cves: string;
  products: string;
  actions: string;
  observables: string;
  changelog: string;
}

const EMPTY: Form = {
  author: '',
  title: '',
  summary: '',
  severity: 'high',
  tlp: 'TLP:AMBER',
  distribution: 'national',
  sectors: [],
  group: '',
  recipients: [],
  people: '',
  cves: '',
  products: '',
  actions: '',
  observables: '',
  changelog: '',
};

const words = (text: string) => text.split(/[\s,;]+/).map((w) => w.trim()).filter(Boolean);

function formOf(a: Advisory): Form {
  return {
    author: a.author.id,
    title: a.title,
    summary: a.summary,
    severity: a.severity,
    tlp: a.tlp.label,
    distribution: a.distribution,
    sectors: a.sectors.map((s) => s.id),
    group: a.group?.id ?? '',
    recipients: a.recipient_organisations.map((o) => o.id),
    people: a.recipient_people.map((p) => p.id).join(' '),
    cves: a.cve_ids.join(' '),
    products: a.affected_products.map((p) => [p.vendor, p.product, p.versions].join(' | ')).join('\n'),
    actions: a.recommended_actions,
    observables: a.observables.map((o) => `${o.type} ${o.value}`).join('\n'),
    changelog: a.changelog,
  };
}

/** The audience fields only what the label takes, so the server never sees a contradiction we made. */
function audienceOf(f: Form): AudienceRequest {
  const amber = f.tlp === 'TLP:AMBER' || f.tlp === 'TLP:AMBER+STRICT';
  return {
    author_org_id: f.author,
    tlp: f.tlp,
    distribution: f.distribution,
    sector_ids: f.distribution === 'sector' ? f.sectors : [],
    group_id: f.group || null,
    recipient_org_ids: amber ? f.recipients : [],
    recipient_user_ids: f.tlp === 'TLP:RED' ? words(f.people) : [],
  };
}

function bodyOf(f: Form, revision: number) {
  const { author_org_id: _author, ...audience } = audienceOf(f);
  return {
    title: f.title,
    summary: f.summary,
    severity: f.severity,
    ...audience,
    cve_ids: words(f.cves),
    affected_products: f.products
      .split('\n')
      .map((line) => line.split('|').map((p) => p.trim()))
      .filter((p) => p[0])
      .map(([vendor, product, versions]) => ({ vendor: vendor ?? '', product: product ?? '', versions: versions ?? '' })),
    recommended_actions: f.actions,
    observables: f.observables
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
      .map((line) => {
        const space = line.indexOf(' ');
        return space < 0 ? { type: line, value: '' } : { type: line.slice(0, space), value: line.slice(space + 1).trim() };
      }),
    ...(revision > 1 ? { changelog: f.changelog } : {}),
  };
}

export function AdvisoryComposerPage({ id }: { id?: string }) {
  const { session } = useSession();
  const certs = publishingCerts(session);
  const dir = useAsync<Directory>(loadDirectory, []);
  const existing = useAsync<Advisory | null>(() => (id ? api.get<Advisory>(`/advisories/${encodeURIComponent(id)}`) : Promise.resolve(null)), [id]);
  const [form, setForm] = useState<Form | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (existing.data) setForm(formOf(existing.data));
    else if (!id && certs[0]) setForm({ ...EMPTY, author: certs[0].organisation.id });
  }, [existing.data, id]);

  const groups = useAsync<SharingGroup[]>(() => listAll<SharingGroup>('/sharing-groups'), []);
  const usable = useMemo(
    () => (groups.data ?? []).filter((g) => form && (g.owner.id === form.author || g.members.some((m) => m.id === form.author))),
    [groups.data, form?.author],
  );

  if (certs.length === 0) {
    return (
      <Page title="Write an advisory">
        <p>Only the analysts of a CERT write advisories.</p>
      </Page>
    );
  }
  if (existing.error) return <ErrorMessage error={existing.error} />;
  if (!form || !dir.data) return <Loading />;
  const set = (patch: Partial<Form>) => setForm({ ...form, ...patch });
  const revision = existing.data?.revision ?? 1;
  const fieldError = (name: string) => error?.fieldErrors[`/${name}`];

  const save = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const saved = existing.data
        ? await api.patch<Advisory>(`/organisations/${form.author}/advisories/${existing.data.id}`, bodyOf(form, revision), ifMatch(existing.data.version))
        : await api.post<Advisory>(`/organisations/${form.author}/advisories`, bodyOf(form, revision));
      navigate(`/advisories/${saved.id}`);
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };

  const amber = form.tlp === 'TLP:AMBER' || form.tlp === 'TLP:AMBER+STRICT';
  return (
    <Page
      title={existing.data ? `Edit ${existing.data.reference}${revision > 1 ? ` (revision ${revision})` : ''}` : 'Write an advisory'}
      lead="Saved as a draft: nobody outside your CERT sees it until you publish it."
    >
      <div class="composer">
        <form class="card composer-form" onSubmit={save} noValidate>
          <ErrorMessage error={error} />
          {certs.length > 1 && !existing.data && (
            <SelectField
              label="Published by"
              value={form.author}
              onValue={(v) => set({ author: v, group: '' })}
              options={certs.map((m) => ({ value: m.organisation.id, label: m.organisation.name }))}
            />
          )}
          <TextField label="Title" value={form.title} onValue={(v) => set({ title: v })} required maxLength={300} error={fieldError('title')} />
          <TextField label="Summary" value={form.summary} onValue={(v) => set({ summary: v })} required multiline rows={5} error={fieldError('summary')} />
          <SelectField
            label="Severity"
            value={form.severity}
            onValue={(v) => set({ severity: v })}
            options={SEVERITIES.map((s) => ({ value: s, label: severityLabel(s) }))}
          />
          <RadioGroup
            label="Traffic Light Protocol label"
            name="tlp"
            value={form.tlp}
            onValue={(v) => set({ tlp: v })}
            options={TLP_LABELS.map((t) => ({ value: t, label: `${t} — ${tlpHint(t)}` }))}
            error={fieldError('tlp')}
          />
          <SelectField
            label="Distribution"
            value={form.distribution}
            onValue={(v) => set({ distribution: v as Distribution })}
            options={DISTRIBUTIONS.map((d) => ({ value: d, label: distributionLabel(d) }))}
            error={fieldError('distribution')}
          />
          {form.distribution === 'sector' && (
            <CheckboxGroup
              label="Sectors"
              options={dir.data.sectors.map((s) => ({ value: s.id, label: s.name }))}
              selected={form.sectors}
              onSelected={(v) => set({ sectors: v })}
              error={fieldError('sector_ids')}
            />
          )}
          <SelectField
            label="Sharing group"
            value={form.group}
            onValue={(v) => set({ group: v })}
            options={[{ value: '', label: 'None' }, ...usable.map((g) => ({ value: g.id, label: `${g.name} (${g.member_count + 1} organisations)` }))]}
            hint="Limits the audience to the group's organisations, as they are when each reads."
            error={fieldError('group_id')}
          />
          {amber && (
            <CheckboxGroup
              label="Recipient organisations"
              options={dir.data.organisations.filter((o) => o.id !== form.author).map((o) => ({ value: o.id, label: o.name }))}
              selected={form.recipients}
              onSelected={(v) => set({ recipients: v })}
              error={fieldError('recipient_org_ids')}
            />
          )}
          {form.tlp === 'TLP:RED' && (
            <TextField
              label="Recipient people"
              value={form.people}
              onValue={(v) => set({ people: v })}
              hint="The ids of the people named, separated by spaces."
              error={fieldError('recipient_user_ids')}
            />
          )}
          <TextField label="CVE ids" value={form.cves} onValue={(v) => set({ cves: v })} hint="For example CVE-2026-21901, separated by spaces" error={fieldError('cve_ids')} />
          <TextField
            label="Affected products"
            value={form.products}
            onValue={(v) => set({ products: v })}
            multiline
            hint="One a line: vendor | product | versions"
            error={fieldError('affected_products')}
          />
          <TextField label="What to do" value={form.actions} onValue={(v) => set({ actions: v })} multiline rows={4} error={fieldError('recommended_actions')} />
          <TextField
            label="Indicators"
            value={form.observables}
            onValue={(v) => set({ observables: v })}
            multiline
            hint="One a line: type and value, e.g. ipv4 203.0.113.7 or domain bad.example"
            error={fieldError('observables')}
          />
          {revision > 1 && (
            <TextField label="What the correction changes" value={form.changelog} onValue={(v) => set({ changelog: v })} required multiline error={fieldError('changelog')} />
          )}
          <div class="button-row">
            <button type="submit" class="button button-primary" disabled={busy}>
              Save the draft
            </button>
            <Link href={existing.data ? `/advisories/${existing.data.id}` : '/advisories'} class="button button-quiet">
              Cancel
            </Link>
          </div>
        </form>
        <AudiencePreviewPanel request={audienceOf(form)} />
      </div>
    </Page>
  );
}
