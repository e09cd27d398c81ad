// The guidelines library: the guidelines and best practice of the CERTs that reach the person's
// organisation (the server's audience engine decides which), with what the organisation recorded
// about adopting each; a CERT's analysts also see their drafts and write new guidelines.

import { useState } from 'preact/hooks';
import { api, type ApiError } from '../api';
import { AudiencePreviewPanel } from '../components/AudiencePreview';
import { RadioGroup, SelectField, TextField } from '../components/Field';
import { Link } from '../components/Link';
import { Page } from '../components/Page';
import { ErrorMessage, Loading } from '../components/Status';
import { formatDate } from '../format';
import { asApiError, useAsync } from '../hooks';
import { navigate } from '../router';
import { useSession } from '../session';
import { DISTRIBUTIONS, distributionLabel, publishingCerts, TLP_LABELS, tlpHint, type Distribution } from '../sharing';
import { adoptionLabel, type Guideline, type GuidelineSummary } from '../sharing-more';
import { TlpTag } from './Advisories';

export function GuidelinesPage() {
  const { session } = useSession();
  const list = useAsync(() => api.get<{ items: GuidelineSummary[] }>('/guidelines'), []);
  const publisher = publishingCerts(session).length > 0;
  return (
    <Page
      title="Guidelines"
      lead="Guidelines and good practice of the CERTs. Comment on drafts while they are open, and record whether your organisation adopts each."
      actions={
        publisher && (
          <Link href="/guidelines/new" class="button button-primary">
            Write a guideline
          </Link>
        )
      }
    >
      <ErrorMessage error={list.error} />
      {!list.data && !list.error && <Loading what="Loading guidelines" />}
      {list.data?.items.length === 0 && <p class="muted">No guideline reaches your organisation yet.</p>}
      <ul class="plain guideline-list">
        {list.data?.items.map((g) => (
          <li key={g.id} class="card guideline-card">
            <h2>
              <Link href={`/guidelines/${g.id}`}>{g.title}</Link>
            </h2>
            <p class="small muted">
              <span class="ref">{g.reference}</span> · {g.author.name} · <TlpTag label={g.tlp.label} />
            </p>
            <p>{g.summary}</p>
            <p class="guideline-status">
              {g.published_version !== null && (
                <span class="badge badge-published">
                  Version {g.published_version}, {formatDate(g.published_at)}
                </span>
              )}{' '}
              {g.comments_open && g.comments_until && <span class="badge badge-pending">Open for comments until {formatDate(g.comments_until)}</span>}
              {g.open_state === 'draft' && <span class="badge">Draft</span>}
              {g.topics.map((t) => (
                <span key={t} class="tag">
                  {t}
                </span>
              ))}
            </p>
            {g.published_version !== null &&
              g.adoption.map((a) => (
                <p key={a.organisation_id} class="small">
                  Your organisation: {a.current ? `${adoptionLabel(a.current.status)} (version ${a.current.version_number}, ${a.current.date})` : <span class="due-late">not recorded</span>}
                </p>
              ))}
          </li>
        ))}
      </ul>
    </Page>
  );
}

const csv = (s: string) => s.split(/[\n,]+/).map((x) => x.trim()).filter(Boolean);

export function GuidelineComposerPage() {
  const { session } = useSession();
  const certs = publishingCerts(session);
  const [author, setAuthor] = useState(certs[0]?.organisation.id ?? '');
  const [title, setTitle] = useState('');
  const [summary, setSummary] = useState('');
  const [body, setBody] = useState('');
  const [topics, setTopics] = useState('');
  const [controls, setControls] = useState('');
  const [tlp, setTlp] = useState('TLP:CLEAR');
  const [distribution, setDistribution] = useState<Distribution>('national');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  if (certs.length === 0) {
    return (
      <Page title="Write a guideline">
        <p>Only the analysts of a CERT write guidelines.</p>
      </Page>
    );
  }
  const fe = (f: string) => error?.fieldErrors[`/${f}`] ?? Object.entries(error?.fieldErrors ?? {}).find(([k]) => k.startsWith(`/${f}/`))?.[1];
  const save = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const g = await api.post<Guideline>(`/organisations/${author}/guidelines`, {
        title: title.trim(),
        summary: summary.trim(),
        body,
        topics: csv(topics),
        controls: csv(controls),
        tlp,
        distribution,
      });
      navigate(`/guidelines/${g.id}`);
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Page title="Write a guideline" lead="Saved as a draft: nobody outside your CERT sees it until you open it for comments or publish it.">
      <div class="composer">
        <form class="card composer-form" onSubmit={save} noValidate>
          <ErrorMessage error={error} />
          {certs.length > 1 && (
            <SelectField label="Published by" value={author} onValue={setAuthor} options={certs.map((m) => ({ value: m.organisation.id, label: m.organisation.name }))} />
          )}
          <TextField label="Title" value={title} onValue={setTitle} required maxLength={300} error={fe('title')} />
          <TextField label="Summary" value={summary} onValue={setSummary} required multiline rows={3} error={fe('summary')} />
          <TextField
            label="Text"
            value={body}
            onValue={setBody}
            required
            multiline
            rows={14}
            hint="Markdown: ## headings, - lists, 1. numbered lists, **bold**, *italics*, `code`, [links](https://…). HTML is shown as text."
            error={fe('body')}
          />
          <TextField label="Topics" value={topics} onValue={setTopics} hint="Separated by commas" error={fe('topics')} />
          <TextField
            label="Related framework controls"
            value={controls}
            onValue={setControls}
            multiline
            rows={2}
            hint="URNs of requirements, one a line, e.g. urn:rampart:framework:policy11:6.5"
            error={fe('controls')}
          />
          <RadioGroup
            label="Traffic Light Protocol label"
            name="tlp"
            value={tlp}
            onValue={setTlp}
            options={TLP_LABELS.filter((t) => t === 'TLP:CLEAR' || t === 'TLP:GREEN').map((t) => ({ value: t, label: `${t} — ${tlpHint(t)}` }))}
            error={fe('tlp')}
          />
          <SelectField
            label="Distribution"
            value={distribution}
            onValue={(v) => setDistribution(v as Distribution)}
            options={DISTRIBUTIONS.filter((d) => d !== 'sector').map((d) => ({ value: d, label: distributionLabel(d) }))}
            error={fe('distribution')}
          />
          <div class="button-row">
            <button type="submit" class="button button-primary" disabled={busy}>
              Save the draft
            </button>
            <Link href="/guidelines" class="button button-quiet">
              Cancel
            </Link>
          </div>
        </form>
        <AudiencePreviewPanel request={{ author_org_id: author, tlp, distribution, sector_ids: [], group_id: null, recipient_org_ids: [], recipient_user_ids: [] }} />
      </div>
    </Page>
  );
}
