// "Who will see it": the audience the server's engine computes for a label, distribution, group
// and recipients, shown live while an item is composed, with the reason when it may not be shared.

import { useEffect, useRef, useState } from 'preact/hooks';
import { api, type ApiError } from '../api';
import { asApiError } from '../hooks';
import { tlpClass, tlpHint, type AudiencePreview, type AudienceRequest } from '../sharing';
import { ErrorMessage } from './Status';

const SHOWN = 40;

export function AudiencePreviewPanel({ request }: { request: AudienceRequest | null }) {
  const [preview, setPreview] = useState<AudiencePreview | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(false);
  const generation = useRef(0);
  const key = JSON.stringify(request);

  useEffect(() => {
    if (!request) return;
    const mine = ++generation.current;
    // A short pause, so typing does not send a request per key.
    const timer = setTimeout(() => {
      setLoading(true);
      api.post<AudiencePreview>('/sharing/audience-preview', request).then(
        (p) => {
          if (mine !== generation.current) return;
          setPreview(p);
          setError(null);
          setLoading(false);
        },
        (e: unknown) => {
          if (mine !== generation.current) return;
          setError(asApiError(e));
          setLoading(false);
        },
      );
    }, 250);
    return () => clearTimeout(timer);
  }, [key]);

  return (
    <section class="card audience-preview" aria-labelledby="audience-heading" aria-busy={loading}>
      <h2 id="audience-heading">Who will see it</h2>
      {error && <ErrorMessage error={error} />}
      {!preview && !error && <p class="muted">Choose a label and a distribution.</p>}
      {preview && (
        <div role="status" aria-live="polite">
          <p>
            <span class={tlpClass(preview.tlp.label)}>{preview.tlp.label}</span>{' '}
            <span class="muted">{tlpHint(preview.tlp.label)}</span>
          </p>
          {preview.refusal ? (
            <p class="notice notice-error audience-refusal">
              <strong>This share is not allowed.</strong> {preview.refusal.reason}
            </p>
          ) : (
            <p class="audience-count">
              <strong>
                {preview.organisation_count} {preview.organisation_count === 1 ? 'organisation' : 'organisations'}
              </strong>
              {preview.people.length > 0 && (
                <>
                  {' '}
                  through <strong>{preview.people.length}</strong> named {preview.people.length === 1 ? 'person' : 'people'}
                </>
              )}
              {preview.anonymous_public && <> and the public</>}
            </p>
          )}
          {!preview.refusal && (
            <ul class="audience-list">
              {preview.organisations.slice(0, SHOWN).map((o, i) => (
                <li key={o.id}>
                  {o.name}
                  {i === 0 && <span class="muted"> (author)</span>}
                </li>
              ))}
              {preview.organisations.length > SHOWN && <li class="muted">and {preview.organisations.length - SHOWN} more</li>}
              {preview.people.map((p) => (
                <li key={p.id}>
                  {p.display_name ?? p.id} <span class="muted">(named)</span>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}
