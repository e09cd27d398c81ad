// The documents published to the signed-in person: those still to acknowledge first, each readable
// in full before the person confirms they have read it. Anyone in an organisation may be asked,
// whatever their roles.

import { useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { Link } from '../components/Link';
import { Page } from '../components/Page';
import { ErrorMessage, LoadState, SuccessMessage } from '../components/Status';
import { formatDate, formatDateTime } from '../format';
import { asApiError, useAsync } from '../hooks';
import type { ToAcknowledge, ToAcknowledgeDetail } from '../policy';
import { Markdown } from './GuidelineMarkdown';

const BASE = '/me/policy-acknowledgements';

export function PolicyAcknowledgementsPage() {
  const state = useAsync(() => api.get<{ items: ToAcknowledge[]; pending: number }>(BASE), []);
  return (
    <Page title="Documents to acknowledge" lead="Security charters and policies your organisation asks you to read and acknowledge.">
      <LoadState state={state}>
        {(d) =>
          d.items.length === 0 ? (
            <p class="empty-state">Nothing has been published to you.</p>
          ) : (
            <>
              <p>{d.pending === 0 ? 'You have acknowledged everything published to you.' : `${d.pending} to acknowledge.`}</p>
              <ul class="policy-ack-list">
                {d.items.map((t) => (
                  <li key={t.publication_id} class="card">
                    <Link href={`/acknowledgements/${t.publication_id}`}>
                      <strong>{t.title}</strong>, version {t.number}
                    </Link>
                    <p class="small">
                      {t.organisation_name} · published {formatDate(t.published_at)} by {t.published_by_name}
                    </p>
                    <p>
                      {t.acknowledged_at ? (
                        <span class="badge badge-on">Acknowledged {formatDate(t.acknowledged_at)}</span>
                      ) : (
                        <span class="badge badge-pending">To acknowledge</span>
                      )}
                    </p>
                  </li>
                ))}
              </ul>
            </>
          )
        }
      </LoadState>
    </Page>
  );
}

export function PolicyAcknowledgementPage({ id }: { id: string }) {
  const state = useAsync(() => api.get<ToAcknowledgeDetail>(`${BASE}/${id}`), [id]);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const acknowledge = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.post(`${BASE}/${id}`);
      state.reload();
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Page title={state.data?.title ?? 'Document to acknowledge'} lead={state.data && `${state.data.organisation_name} · version ${state.data.number}, approved by ${state.data.approved_by_name ?? '—'} on ${formatDate(state.data.approved_at)}`}>
      <p class="breadcrumb">
        <Link href="/acknowledgements">Documents to acknowledge</Link>
      </p>
      <ErrorMessage error={error} />
      <LoadState state={state}>
        {(d) => (
          <>
            {d.message && <p class="notice notice-info">{d.message}</p>}
            <article class="policy-read markdown">
              {d.sections.map((s) => (
                <section key={s.key}>
                  {s.level <= 1 ? <h2>{s.title}</h2> : <h3>{s.title}</h3>}
                  <Markdown source={s.body} />
                </section>
              ))}
            </article>
            <div class="ack-box card">
              {d.acknowledged_at ? (
                <SuccessMessage>You acknowledged this document on {formatDateTime(d.acknowledged_at)}.</SuccessMessage>
              ) : (
                <>
                  <p>By acknowledging, you confirm that you have read this document and will apply it.</p>
                  <button type="button" class="button button-primary" disabled={busy} onClick={acknowledge}>
                    I have read it and will apply it
                  </button>
                </>
              )}
            </div>
          </>
        )}
      </LoadState>
    </Page>
  );
}
