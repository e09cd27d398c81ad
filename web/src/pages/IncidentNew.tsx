// Reporting an incident: the early warning, on one screen, in under two minutes. Everything
// later (assessment, classification, impact, observables) is filed from the case page.

import { useMemo, useState } from 'preact/hooks';
import { api, type ApiError } from '../api';
import { Checkbox, RadioGroup, SelectField, TextField } from '../components/Field';
import { Link } from '../components/Link';
import { Page } from '../components/Page';
import { ErrorMessage, Loading } from '../components/Status';
import { loadDirectory } from '../directory';
import { fromLocalInput, localZoneLabel, plural, toLocalInput } from '../format';
import { asApiError, useAsync } from '../hooks';
import { filingOrganisations, loadSectorProfiles, type IncidentCase, type ReportingProfile } from '../incidents';
import { navigate } from '../router';
import { useSession } from '../session';

interface Form {
  org: string;
  sector: string;
  title: string;
  aware: string;
  malicious: string;
  others: string;
  othersNote: string;
  services: string;
  voluntary: boolean;
  summary: string;
}

/** "card payments, branch network" → ["card payments", "branch network"]. */
function servicesOf(text: string): string[] {
  const seen = new Set<string>();
  return text
    .split(/[,;\n]/)
    .map((s) => s.trim())
    .filter((s) => s && !seen.has(s.toLowerCase()) && seen.add(s.toLowerCase()));
}

/** The first message for a field or anything inside it (/affected_services/2 counts for /affected_services). */
function errorFor(fe: Record<string, string>, field: string): string | undefined {
  return fe[field] ?? Object.entries(fe).find(([f]) => f.startsWith(field + '/'))?.[1];
}

export function IncidentNewPage() {
  const { session } = useSession();
  const orgs = filingOrganisations(session);
  const dir = useAsync(loadDirectory, []);
  // The profiles the person's organisations file under: their sectors' own, as their regulators set
  // them (a sector may be stricter than the built-in profiles).
  const profiles = useAsync(async () => {
    const inForce = await loadSectorProfiles(orgs.flatMap((o) => o.sector_ids));
    const seen = new Map<string, ReportingProfile>();
    for (const s of inForce) seen.set(s.profile.id, s.profile);
    return [...seen.values()];
  }, [orgs.map((o) => o.id).join(',')]);
  const [form, setForm] = useState<Form>(() => ({
    org: orgs[0]?.id ?? '',
    sector: '',
    title: '',
    aware: toLocalInput(Date.now()),
    malicious: 'unknown',
    others: 'no',
    othersNote: '',
    services: '',
    voluntary: false,
    summary: '',
  }));
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof Form>(k: K) => (v: Form[K]) => setForm((f) => ({ ...f, [k]: v }));
  const fe = error?.fieldErrors ?? {};

  const org = orgs.find((o) => o.id === form.org);
  const sectorIds = org?.sector_ids ?? [];
  const services = useMemo(() => servicesOf(form.services), [form.services]);

  if (!orgs.length) {
    return (
      <Page title="Report an incident">
        <p>
          Incidents are reported by the reporters, CISOs and administrators of operators and government bodies. Your
          roles do not include that; ask your organisation's administrator if you should report.
        </p>
        <p>
          <Link href="/incidents">Back to the incidents</Link>
        </p>
      </Page>
    );
  }

  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    const aware = fromLocalInput(form.aware);
    const body: Record<string, unknown> = {
      title: form.title.trim(),
      aware_at: aware ?? form.aware,
      suspected_malicious: form.malicious,
      may_affect_others: form.others === 'yes',
      voluntary: form.voluntary,
    };
    if (form.others === 'yes' && form.othersNote.trim()) body.affects_others_note = form.othersNote.trim();
    if (services.length) body.affected_services = services;
    if (form.summary.trim()) body.summary = form.summary.trim();
    if (sectorIds.length > 1 && form.sector) body.sector_id = form.sector;
    setBusy(true);
    try {
      const filed = await api.post<IncidentCase>(`/organisations/${encodeURIComponent(form.org)}/incidents`, body);
      navigate(`/incidents/${filed.id}`);
    } catch (err) {
      setError(asApiError(err));
      setBusy(false);
    }
  };

  const sectorOptions = [
    { value: '', label: 'Choose the sector concerned' },
    ...sectorIds.map((id) => ({ value: id, label: dir.data?.sectorById.get(id)?.name ?? 'Sector' })),
  ];

  return (
    <Page
      title="Report an incident"
      lead="The early warning: what you know now. You add the assessment, impact and indicators on the case page later."
    >
      <nav aria-label="Breadcrumb" class="breadcrumb">
        <Link href="/incidents">Incidents</Link> <span aria-hidden="true">›</span> <span>Report an incident</span>
      </nav>
      <div class="wizard">
        <section class="card form-card" aria-labelledby="early-warning">
          <h2 id="early-warning">Early warning</h2>
          <Deadline profiles={profiles.data} />
          <ErrorMessage error={error} />
          <form onSubmit={submit} noValidate>
            {orgs.length > 1 && (
              <SelectField
                label="Reporting organisation"
                name="organisation"
                value={form.org}
                onValue={(v) => setForm((f) => ({ ...f, org: v, sector: '' }))}
                options={orgs.map((o) => ({ value: o.id, label: o.name }))}
                required
              />
            )}
            {sectorIds.length > 1 && (
              <SelectField
                label="Sector"
                name="sector_id"
                value={form.sector}
                onValue={set('sector')}
                options={sectorOptions}
                hint={`${org?.short_name || org?.name} is in several sectors; the sector decides who receives the report.`}
                required
                error={fe['/sector_id']}
              />
            )}
            <TextField
              label="What happened"
              name="title"
              value={form.title}
              onValue={set('title')}
              hint="One line, e.g. “Card payments failing at branches”."
              minLength={3}
              maxLength={200}
              required
              autoFocus
              errorLabel="The title"
              error={fe['/title']}
            />
            <div class="form-grid">
              <TextField
                label="When did you become aware?"
                name="aware_at"
                type="datetime-local"
                value={form.aware}
                onValue={set('aware')}
                hint={`Your local time (${localZoneLabel()}). The legal clocks run from this moment.`}
                required
                errorLabel="The time of awareness"
                error={fe['/aware_at']}
              />
              <RadioGroup
                label="Suspected malicious?"
                name="suspected_malicious"
                value={form.malicious}
                onValue={set('malicious')}
                options={[
                  { value: 'yes', label: 'Yes' },
                  { value: 'no', label: 'No' },
                  { value: 'unknown', label: 'Not known yet' },
                ]}
                required
                errorLabel="The answer"
                error={fe['/suspected_malicious']}
              />
            </div>
            <RadioGroup
              label="May it affect other organisations or sectors?"
              name="may_affect_others"
              value={form.others}
              onValue={set('others')}
              options={[
                { value: 'no', label: 'No, not as far as we know' },
                { value: 'yes', label: 'Yes' },
              ]}
              required
              errorLabel="The answer"
              error={fe['/may_affect_others']}
            />
            {form.others === 'yes' && (
              <TextField
                label="Who else, and how?"
                name="affects_others_note"
                value={form.othersNote}
                onValue={set('othersNote')}
                multiline
                rows={2}
                maxLength={2000}
                error={fe['/affects_others_note']}
              />
            )}
            <TextField
              label="Affected services"
              name="affected_services"
              value={form.services}
              onValue={set('services')}
              hint="Separate services with commas."
              maxLength={4000}
              error={errorFor(fe, '/affected_services')}
            />
            {services.length > 0 && (
              <ul class="tags" aria-label="Affected services as they will be sent">
                {services.map((s) => (
                  <li key={s} class="tag">
                    {s}
                  </li>
                ))}
              </ul>
            )}
            <TextField
              label="Anything else to say now (optional)"
              name="summary"
              value={form.summary}
              onValue={set('summary')}
              multiline
              rows={2}
              maxLength={4000}
              error={fe['/summary']}
            />
            <Checkbox
              label="This is a voluntary report"
              checked={form.voluntary}
              onChecked={set('voluntary')}
              hint="Tick it when the law does not oblige you to report this incident but you want the authorities to know."
              error={fe['/voluntary']}
              errorLabel="Voluntary"
            />
            <div class="form-actions">
              <button type="submit" class="button button-primary" disabled={busy}>
                {busy ? 'Sending…' : 'Send the early warning'}
              </button>
              <Link href="/incidents" class="button button-quiet">
                Cancel
              </Link>
            </div>
          </form>
        </section>
        <aside class="card wizard-aside" aria-labelledby="what-next">
          <h2 id="what-next">What happens next</h2>
          <ol class="steps">
            <li>Your regulator and your sector CERT receive the early warning at once.</li>
            <li>The national CERT receives it as your sector's MOU says.</li>
            <li>
              On the case page you file the <strong>notification</strong> (assessment, classification, impact,
              indicators), then the <strong>final report</strong>.
            </li>
          </ol>
          {profiles.data ? <StageDeadlines profiles={profiles.data} /> : <Loading what="Loading the deadlines" />}
        </aside>
      </div>
    </Page>
  );
}

/** The early-warning deadline. The sector's profile is known once the case is filed; until then, every profile's. */
function Deadline({ profiles }: { profiles: ReportingProfile[] | undefined }) {
  if (!profiles?.length) return null;
  const hours = [...new Set(profiles.map((p) => p.early_warning_within_hours))].sort((a, b) => a - b);
  return (
    <p class="deadline">
      Due within <strong>{plural(hours[0]!, 'hour')}</strong> of awareness
      {hours.length > 1 && <> under the strictest profile ({hours.map((h) => `${h} h`).join(' or ')}, by sector)</>}.
    </p>
  );
}

function StageDeadlines({ profiles }: { profiles: ReportingProfile[] }) {
  return (
    <>
      <h3>Deadlines in your sector</h3>
      <ul class="profile-deadlines">
        {profiles.map((p) => (
          <li key={p.id}>
            <strong>{p.name}</strong>
            <span class="block small">
              Early warning {p.early_warning_within_hours} h · notification {p.notification_within_hours} h · final
              report {plural(p.final_within_days, 'day')}
            </span>
          </li>
        ))}
      </ul>
    </>
  );
}
