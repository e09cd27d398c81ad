// One guideline: the version chosen (the published one first) rendered from its Markdown, its
// related controls, the history of versions with the changes between any two, the comment period
// with every comment and the CERT's answer, and for organisations the adoption they record. The
// CERT's analysts open the draft for comments, answer, publish and start new versions; their
// adoption view shows the share per sector. The server decides what each person may do.

import { useEffect, useState } from 'preact/hooks';
import { api, type ApiError } from '../api';
import { SelectField, TextField } from '../components/Field';
import { Link } from '../components/Link';
import { Page } from '../components/Page';
import { ErrorMessage, Loading, SuccessMessage } from '../components/Status';
import { formatDate, formatDateTime, toLocalInput, fromLocalInput } from '../format';
import { asApiError, useAsync } from '../hooks';
import {
  ADOPTION_STATUSES,
  adoptionLabel,
  guidelineStateLabel,
  type Guideline,
  type GuidelineAdoptionView,
} from '../sharing-more';
import { TlpTag } from './Advisories';
import { Diff, Markdown } from './GuidelineMarkdown';

function AdoptionForm({ g, org, onSaved }: { g: Guideline; org: Guideline['you']['adopt_as'][number]; onSaved: (g: Guideline, text: string) => void }) {
  const [status, setStatus] = useState(org.current?.status ?? 'adopted');
  const [date, setDate] = useState(org.current?.date ?? new Date().toISOString().slice(0, 10));
  const [note, setNote] = useState(org.current?.note ?? '');
  const [error, setError] = useState<ApiError | null>(null);
  const save = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      const updated = await api.put<Guideline>(`/organisations/${org.organisation_id}/guideline-adoptions/${g.id}`, {
        status,
        date: date ? `${date}T00:00:00.000Z` : '',
        note: note.trim(),
      });
      onSaved(updated, `Recorded for ${org.name}: ${adoptionLabel(status).toLowerCase()}.`);
    } catch (err) {
      setError(asApiError(err));
    }
  };
  return (
    <form class="inline-form adoption-form" onSubmit={save} aria-label={`Adoption by ${org.name}`}>
      <ErrorMessage error={error} />
      <p>
        <strong>{org.name}</strong>:{' '}
        {org.current ? `${adoptionLabel(org.current.status)} (version ${org.current.version_number}, ${org.current.date})` : <span class="due-late">not recorded yet</span>}
      </p>
      <SelectField label="Adoption" value={status} onValue={(v) => setStatus(v as typeof status)} options={ADOPTION_STATUSES.map((s) => ({ value: s, label: adoptionLabel(s) }))} />
      <TextField label="Date" type="date" value={date} onValue={setDate} error={error?.fieldErrors['/date']} />
      <TextField label="Note" value={note} onValue={setNote} maxLength={4000} />
      <div class="form-actions">
        <button type="submit" class="button button-primary">
          Record adoption
        </button>
      </div>
    </form>
  );
}

export function GuidelinePage({ id }: { id: string }) {
  const [g, setG] = useState<Guideline | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [shown, setShown] = useState<string | null>(null);
  const [compare, setCompare] = useState<string>('');
  const [comment, setComment] = useState('');
  const [answers, setAnswers] = useState<Record<string, string>>({});
  const [until, setUntil] = useState(toLocalInput(Date.now() + 14 * 86_400_000));
  const [changelog, setChangelog] = useState('');

  useEffect(() => {
    let current = true;
    api.get<Guideline>(`/guidelines/${encodeURIComponent(id)}`).then(
      (data) => current && setG(data),
      (e: unknown) => current && setError(asApiError(e)),
    );
    return () => {
      current = false;
    };
  }, [id]);

  if (error && !g) {
    return (
      <Page title="Guideline">
        <ErrorMessage error={error} />
        <p>
          <Link href="/guidelines">Back to the guidelines</Link>
        </p>
      </Page>
    );
  }
  if (!g) return <Loading what="Loading the guideline" />;

  const published = g.versions.find((v) => v.state === 'published');
  const open = g.versions.find((v) => v.state === 'draft' || v.state === 'consultation');
  const version = g.versions.find((v) => v.id === shown) ?? published ?? open ?? g.versions[g.versions.length - 1]!;
  const other = g.versions.find((v) => v.id === compare);
  const cert = `/organisations/${g.author.id}/guidelines/${g.id}`;
  const act = async (work: () => Promise<Guideline>, text: string) => {
    setError(null);
    setNotice(null);
    try {
      setG(await work());
      setNotice(text);
    } catch (e) {
      setError(asApiError(e));
    }
  };
  const versionComments = g.comments.filter((c) => c.version_id === version.id);

  return (
    <Page
      title={version.title}
      lead={
        <span class="case-lead">
          <span class="ref">{g.reference}</span> <TlpTag label={g.tlp.label} />{' '}
          <span class={`badge badge-${version.state === 'consultation' ? 'pending' : version.state}`}>
            Version {version.number}: {guidelineStateLabel(version.state)}
          </span>
          <span class="muted">{g.author.name}</span>
        </span>
      }
    >
      <nav aria-label="Breadcrumb" class="breadcrumb">
        <Link href="/guidelines">Guidelines</Link> <span aria-hidden="true">›</span> <span>{g.reference}</span>
      </nav>
      <ErrorMessage error={error} />
      <SuccessMessage>{notice}</SuccessMessage>
      {version.state === 'consultation' && version.comments_until && (
        <p class={version.comments_open ? 'notice notice-info' : 'notice notice-due'}>
          {version.comments_open ? (
            <>
              This draft is open for comments until <strong>{formatDateTime(version.comments_until)}</strong>.
            </>
          ) : (
            <>Comments closed on {formatDateTime(version.comments_until)}; the CERT answers them before publishing the final version.</>
          )}
        </p>
      )}
      <div class="grid-2 grid-wide-left grid-top">
        <article class="card guideline-body" aria-labelledby="guideline-text">
          <h2 id="guideline-text">{version.title}</h2>
          <p class="lead-text">{version.summary}</p>
          <Markdown source={version.body} />
          {version.changelog && (
            <p class="small muted">
              <strong>What changed in version {version.number}:</strong> {version.changelog}
            </p>
          )}
        </article>
        <div>
          <section class="card" aria-labelledby="guideline-versions">
            <h2 id="guideline-versions">Versions</h2>
            <ol class="plain guideline-versions">
              {g.versions
                .slice()
                .reverse()
                .map((v) => (
                  <li key={v.id}>
                    <button type="button" class="button-link" aria-current={v.id === version.id ? 'true' : undefined} onClick={() => setShown(v.id)}>
                      Version {v.number}
                    </button>{' '}
                    <span class="small muted">
                      {guidelineStateLabel(v.state)}
                      {v.published_at && `, ${formatDate(v.published_at)}`}
                    </span>
                  </li>
                ))}
            </ol>
            {g.versions.length > 1 && (
              <SelectField
                label="Compare with"
                value={compare}
                onValue={setCompare}
                options={[{ value: '', label: '—' }, ...g.versions.filter((v) => v.id !== version.id).map((v) => ({ value: v.id, label: `Version ${v.number}` }))]}
              />
            )}
          </section>
          {version.controls.length > 0 && (
            <section class="card" aria-labelledby="guideline-controls">
              <h2 id="guideline-controls">Related controls</h2>
              <ul class="plain small">
                {version.controls.map((c) => (
                  <li key={c.urn}>
                    <strong>{c.id}</strong> {c.title} <span class="muted">({c.framework})</span>
                  </li>
                ))}
              </ul>
            </section>
          )}
          {g.you.adopt_as.length > 0 && (
            <section class="card" aria-labelledby="guideline-adoption">
              <h2 id="guideline-adoption">Adoption</h2>
              {g.you.adopt_as.map((o) => (
                <AdoptionForm key={o.organisation_id} g={g} org={o} onSaved={(u, text) => { setG(u); setNotice(text); }} />
              ))}
            </section>
          )}
          {g.you.may_answer && (
            <section class="card" aria-labelledby="guideline-cert">
              <h2 id="guideline-cert">For your CERT</h2>
              {g.you.may_open_comments && (
                <div class="inline-form">
                  <TextField label="Comments until" type="datetime-local" value={until} onValue={setUntil} />
                  <button
                    type="button"
                    class="button"
                    onClick={() => void act(() => api.post<Guideline>(`${cert}/consultation`, { comments_until: fromLocalInput(until) }), 'The draft is open for comments; its audience is told.')}
                  >
                    Open for comments
                  </button>
                </div>
              )}
              {open && (
                <button type="button" class="button button-primary" disabled={!g.you.may_publish} onClick={() => void act(() => api.post<Guideline>(`${cert}/publish`), 'Published; its audience is told.')}>
                  Publish version {open.number}
                </button>
              )}
              {g.you.may_revise && (
                <div class="inline-form">
                  <TextField label="What the new version changes" value={changelog} onValue={setChangelog} />
                  <button type="button" class="button" onClick={() => void act(() => api.post<Guideline>(`${cert}/versions`, { changelog }), 'A new draft version is started.')}>
                    Start a new version
                  </button>
                </div>
              )}
              <p>
                <Link href={`/guidelines/${g.id}/adoption`}>Adoption by sector</Link>
              </p>
            </section>
          )}
        </div>
      </div>
      {other && (
        <section class="card" aria-labelledby="guideline-diff">
          <h2 id="guideline-diff">
            Changes from version {Math.min(other.number, version.number)} to {Math.max(other.number, version.number)}
          </h2>
          {other.number < version.number ? <Diff before={other.body} after={version.body} /> : <Diff before={version.body} after={other.body} />}
        </section>
      )}
      <section class="card" aria-labelledby="guideline-comments">
        <h2 id="guideline-comments">Comments on version {version.number}</h2>
        {versionComments.length === 0 && <p class="muted">No comments.</p>}
        <ul class="plain guideline-comments">
          {versionComments.map((c) => (
            <li key={c.id} class="guideline-comment">
              <p>
                <strong>{c.organisation.name}</strong> <span class="small muted">{formatDateTime(c.created_at)}</span>
              </p>
              <p class="pre-line">{c.text}</p>
              {c.answer === 'open' ? (
                g.you.may_answer ? (
                  <div class="inline-form">
                    <TextField label="Answer" value={answers[c.id] ?? ''} onValue={(v) => setAnswers({ ...answers, [c.id]: v })} hint="Needed to reject" />
                    <div class="form-actions">
                      <button type="button" class="button button-small" onClick={() => void act(() => api.post<Guideline>(`${cert}/comments/${c.id}/answer`, { answer: 'accepted', reason: answers[c.id] ?? '' }), 'Answered.')}>
                        Accept
                      </button>
                      <button type="button" class="button button-small button-danger" onClick={() => void act(() => api.post<Guideline>(`${cert}/comments/${c.id}/answer`, { answer: 'rejected', reason: answers[c.id] ?? '' }), 'Answered.')}>
                        Reject
                      </button>
                    </div>
                  </div>
                ) : (
                  <p class="small muted">Waiting for the CERT's answer.</p>
                )
              ) : (
                <p class={`comment-answer comment-${c.answer}`}>
                  <strong>{c.answer === 'accepted' ? 'Accepted' : 'Rejected'}</strong>
                  {c.answer_reason && <> — {c.answer_reason}</>}
                </p>
              )}
            </li>
          ))}
        </ul>
        {version.comments_open && g.you.comment_as.length > 0 && (
          <form
            class="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              void act(async () => {
                const u = await api.post<Guideline>(`/guidelines/${g.id}/comments`, { organisation_id: g.you.comment_as[0], text: comment.trim() });
                setComment('');
                return u;
              }, 'Your comment is recorded. The CERT answers every comment before it publishes.');
            }}
          >
            <TextField label="Your comment" value={comment} onValue={setComment} multiline rows={3} maxLength={8000} error={error?.fieldErrors['/text']} />
            <div class="form-actions">
              <button type="submit" class="button button-primary">
                Send the comment
              </button>
            </div>
          </form>
        )}
      </section>
    </Page>
  );
}

export function GuidelineAdoptionPage({ id }: { id: string }) {
  const g = useAsync(() => api.get<Guideline>(`/guidelines/${encodeURIComponent(id)}`), [id]);
  const view = useAsync(
    async () => (g.data ? api.get<GuidelineAdoptionView>(`/organisations/${g.data.author.id}/guidelines/${g.data.id}/adoption`) : undefined),
    [g.data?.id],
  );
  if (g.error || view.error) return <ErrorMessage error={g.error ?? view.error} />;
  if (!g.data || !view.data) return <Loading what="Loading adoption" />;
  const pct = (x: number | null) => (x === null ? '—' : `${Math.round(x * 100)} %`);
  return (
    <Page title={`Adoption of ${g.data.reference}`} lead={g.data.title}>
      <nav aria-label="Breadcrumb" class="breadcrumb">
        <Link href="/guidelines">Guidelines</Link> <span aria-hidden="true">›</span> <Link href={`/guidelines/${g.data.id}`}>{g.data.reference}</Link>{' '}
        <span aria-hidden="true">›</span> <span>Adoption</span>
      </nav>
      <section class="card" aria-labelledby="adoption-sectors">
        <h2 id="adoption-sectors">By sector</h2>
        <table class="table adoption-table">
          <caption class="sr-only">Adoption by sector</caption>
          <thead>
            <tr>
              <th scope="col">Sector</th>
              <th scope="col">Organisations</th>
              <th scope="col">Adopted</th>
              <th scope="col">Planned</th>
              <th scope="col">Not applicable</th>
              <th scope="col">Share adopted</th>
            </tr>
          </thead>
          <tbody>
            {view.data.sectors.map((s) => (
              <tr key={s.sector_id}>
                <th scope="row">{s.name}</th>
                <td>{s.organisations}</td>
                <td>{s.adopted}</td>
                <td>{s.planned}</td>
                <td>{s.not_applicable}</td>
                <td>
                  <span class="adoption-bar" aria-hidden="true">
                    <span style={{ width: pct(s.share) === '—' ? '0' : `${Math.round((s.share ?? 0) * 100)}%` }} />
                  </span>{' '}
                  {pct(s.share)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <p class="small muted">The share counts the operators and government bodies of the sector that the guideline reaches, leaving out those that recorded it as not applicable.</p>
      </section>
      <section class="card" aria-labelledby="adoption-orgs">
        <h2 id="adoption-orgs">Organisations</h2>
        <table class="table">
          <caption class="sr-only">Adoption by organisation</caption>
          <thead>
            <tr>
              <th scope="col">Organisation</th>
              <th scope="col">Answer</th>
              <th scope="col">Note</th>
            </tr>
          </thead>
          <tbody>
            {view.data.items.map((i) => (
              <tr key={i.organisation.id}>
                <th scope="row">{i.organisation.name}</th>
                <td>{i.current ? `${adoptionLabel(i.current.status)} (v${i.current.version_number}, ${i.current.date})` : <span class="muted">Not recorded</span>}</td>
                <td class="small">{i.current?.note}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </Page>
  );
}
