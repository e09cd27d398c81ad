import type { ComponentChildren } from 'preact';
import type { ApiError } from '../api';

/** An error for the person to read, announced by screen readers as it appears. */
export function ErrorMessage({ error, children }: { error?: ApiError | null; children?: ComponentChildren }) {
  if (!error && !children) return <div role="alert" aria-live="assertive" class="sr-only" />;
  return (
    <div role="alert" aria-live="assertive" class="notice notice-error">
      {error && <ErrorText error={error} />}
      {children}
    </div>
  );
}

/** "/display_name" → "Display name"; a query parameter name is shown the same way. */
export function fieldName(pointer: string): string {
  const last = pointer.split('/').filter(Boolean).join(' ').replace(/_/g, ' ');
  return last ? last.charAt(0).toUpperCase() + last.slice(1) : 'Input';
}

/** A server message is often a fragment ("must be …"): lead it with the field's name. */
export function fieldMessage(label: string, message: string): string {
  return /^[a-z]/.test(message) ? `${label} ${message}` : message;
}

function ErrorText({ error }: { error: ApiError }) {
  const fields = Object.entries(error.fieldErrors);
  return (
    <>
      <strong>{error.title}</strong>
      {error.detail && error.detail !== error.title && <span> — {error.detail}</span>}
      {fields.length > 0 && (
        <ul class="error-summary">
          {fields.map(([field, message]) => (
            <li key={field}>{fieldMessage(fieldName(field), message)}</li>
          ))}
        </ul>
      )}
    </>
  );
}

/** A confirmation of something done, announced politely. */
export function SuccessMessage({ children }: { children?: ComponentChildren }) {
  return (
    <div role="status" aria-live="polite" class={children ? 'notice notice-ok' : 'sr-only'}>
      {children}
    </div>
  );
}

export function Loading({ what = 'Loading' }: { what?: string }) {
  return (
    <p class="loading" role="status">
      <span class="spinner" aria-hidden="true" />
      {what}…
    </p>
  );
}

/** Loading, an error, or the content once the data is there. */
export function LoadState<T>({
  state,
  children,
}: {
  state: { data: T | undefined; error: ApiError | null; loading: boolean };
  children: (data: T) => ComponentChildren;
}) {
  if (state.error) return <ErrorMessage error={state.error} />;
  if (state.data === undefined) return <Loading />;
  return <>{children(state.data)}</>;
}
