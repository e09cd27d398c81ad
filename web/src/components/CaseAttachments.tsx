// The files attached to a case: what each is (as the server read it from the bytes), who attached
// it and when, its SHA-256 to compare with one's own copy, and a download link. Files are only ever
// saved, never opened in the page. Those who may add to the case attach a file here, choosing who
// reads it as for a comment.

import { useEffect, useState } from 'preact/hooks';
import { API, ApiError, api, type FieldError } from '../api';
import { formatDateTime } from '../format';
import { asApiError } from '../hooks';
import { visibilityLabel, type IncidentCase } from '../incidents';
import { useSession } from '../session';
import type { Page } from '../types';
import { SelectField, TextField } from './Field';
import { ErrorMessage, Loading, SuccessMessage, fieldMessage } from './Status';

export interface Attachment {
  id: string;
  incident_id: string;
  name: string;
  media_type: string;
  size: number;
  sha256: string;
  visibility: string;
  description: string;
  uploaded_by: string;
  uploaded_by_name: string;
  organisation_id: string | null;
  organisation_name: string;
  uploaded_at: string;
  content_url: string;
}

/** 1536 → "1.5 KiB": binary units, as the server's limit is stated. */
export function byteSize(n: number): string {
  if (n < 1024) return `${n} byte${n === 1 ? '' : 's'}`;
  const units = ['KiB', 'MiB', 'GiB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(1)} ${units[u]}`;
}

const TYPE_LABELS: Record<string, string> = {
  'application/pdf': 'PDF',
  'application/rtf': 'RTF',
  'application/msword': 'Word 97',
  'application/vnd.ms-excel': 'Excel 97',
  'application/vnd.ms-powerpoint': 'PowerPoint 97',
  'application/vnd.ms-outlook': 'Outlook message',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Word',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'Excel',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'PowerPoint',
  'application/vnd.oasis.opendocument.text': 'OpenDocument text',
  'application/vnd.oasis.opendocument.spreadsheet': 'OpenDocument spreadsheet',
  'application/vnd.oasis.opendocument.presentation': 'OpenDocument presentation',
  'image/png': 'PNG image',
  'image/jpeg': 'JPEG image',
  'image/gif': 'GIF image',
  'image/webp': 'WebP image',
  'image/tiff': 'TIFF image',
  'text/plain': 'Text',
  'text/csv': 'CSV',
  'application/json': 'JSON',
  'application/xml': 'XML',
  'message/rfc822': 'E-mail',
  'application/vnd.tcpdump.pcap': 'pcap capture',
  'application/x-pcapng': 'pcapng capture',
  'application/zip': 'zip archive',
  'application/x-7z-compressed': '7z archive',
  'application/vnd.rar': 'RAR archive',
  'application/gzip': 'gzip archive',
  'application/x-bzip2': 'bzip2 archive',
  'application/x-xz': 'xz archive',
  'application/x-tar': 'tar archive',
};
const typeLabel = (t: string) => TYPE_LABELS[t] ?? t;

/** The upload's answer as an ApiError, as the JSON client would have made it. */
async function uploadError(res: Response): Promise<ApiError> {
  let body: { type?: string; title?: string; detail?: string; errors?: FieldError[] } = {};
  try {
    body = (await res.json()) as typeof body;
  } catch {
    // Not JSON: the status line says enough.
  }
  return new ApiError({
    status: res.status,
    type: body.type,
    title: body.title ?? (res.statusText || `Error ${res.status}`),
    detail: body.detail,
    errors: Array.isArray(body.errors) ? body.errors : [],
  });
}

export function CaseAttachments({ c, onUploaded }: { c: IncidentCase; onUploaded?: () => void }) {
  const { session } = useSession();
  const [items, setItems] = useState<Attachment[] | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [tick, setTick] = useState(0);
  const [file, setFile] = useState<File | null>(null);
  const [inputKey, setInputKey] = useState(0);
  const [visibility, setVisibility] = useState('all');
  const [description, setDescription] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const choices = c.you.comment_visibilities;
  // Whether the person may attach here; the server decides again on upload.
  const mayAttach = c.you.may_attach;

  useEffect(() => {
    let current = true;
    api.get<Page<Attachment>>(`/incidents/${encodeURIComponent(c.id)}/attachments?limit=200`).then(
      (page) => current && (setItems(page.items), setLoadError(null)),
      (e: unknown) => current && setLoadError(asApiError(e)),
    );
    return () => {
      current = false;
    };
  }, [c.id, tick]);

  const submit = async (e: Event) => {
    e.preventDefault();
    setDone(null);
    if (!file) {
      setError(new ApiError({ status: 422, title: 'Choose a file', errors: [{ field: 'body', message: 'is required' }] }));
      return;
    }
    setBusy(true);
    setError(null);
    const q = new URLSearchParams({ name: file.name });
    if (choices.length > 1) q.set('visibility', visibility);
    if (description.trim()) q.set('description', description.trim());
    try {
      const res = await fetch(`${API}/incidents/${encodeURIComponent(c.id)}/attachments?${q}`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: {
          Accept: 'application/json',
          'Content-Type': 'application/octet-stream',
          'X-CSRF-Token': session.csrf_token,
        },
        body: file,
      });
      if (!res.ok) {
        setError(await uploadError(res));
        return;
      }
      const a = (await res.json()) as Attachment;
      setDone(`${a.name} attached (${byteSize(a.size)}).`);
      setFile(null);
      setDescription('');
      setInputKey((k) => k + 1);
      setTick((t) => t + 1);
      onUploaded?.();
    } catch {
      setError(new ApiError({ status: 0, title: 'The server could not be reached', detail: 'Check your connection and try again.' }));
    } finally {
      setBusy(false);
    }
  };

  const fe = error?.fieldErrors ?? {};
  return (
    <section class="card" aria-labelledby="case-attachments">
      <h2 id="case-attachments">Attachments</h2>
      <SuccessMessage>{done}</SuccessMessage>
      {loadError && <ErrorMessage error={loadError} />}
      {!items && !loadError && <Loading what="Loading the attachments" />}
      {items && items.length === 0 && <p class="muted">No file attached yet.</p>}
      {items && items.length > 0 && (
        <div class="table-wrap table-flat">
          <table class="table compact attachments">
            <caption class="sr-only">Files attached to the case</caption>
            <thead>
              <tr>
                <th scope="col">File</th>
                <th scope="col">Type</th>
                <th scope="col">Size</th>
                <th scope="col">Attached by</th>
                <th scope="col" class="hide-narrow">
                  Read by
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((a) => (
                <tr key={a.id}>
                  <td class="observable-value">
                    <a href={a.content_url} download={a.name} rel="noopener">
                      {a.name}
                    </a>
                    {a.description && <span class="block small">{a.description}</span>}
                    <span class="block small muted">
                      SHA-256 <code class="hash">{a.sha256}</code>
                    </span>
                  </td>
                  <td>{typeLabel(a.media_type)}</td>
                  <td class="nowrap">{byteSize(a.size)}</td>
                  <td>
                    {a.uploaded_by_name}
                    {a.organisation_name && <span class="block small muted">{a.organisation_name}</span>}
                    <span class="block small muted">{formatDateTime(a.uploaded_at)}</span>
                  </td>
                  <td class="hide-narrow small">{visibilityLabel(a.visibility)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {mayAttach && (
        <details class="more-fields">
          <summary>Attach a file</summary>
          <form onSubmit={submit} noValidate>
            <ErrorMessage error={error} />
            <p class="hint">
              Documents, images, logs and other text, e-mails (.eml), packet captures and archives. Put programs, scripts
              and malware samples in a zip or 7z archive, with a password for malware.
            </p>
            <div class={fe.body ? 'field field-invalid' : 'field'}>
              <label for="attachment-file">File</label>
              <input
                key={inputKey}
                id="attachment-file"
                name="file"
                type="file"
                aria-invalid={fe.body ? 'true' : undefined}
                aria-describedby={fe.body ? 'attachment-file-error' : undefined}
                onChange={(e) => setFile((e.currentTarget as HTMLInputElement).files?.[0] ?? null)}
              />
              {fe.body && (
                <p id="attachment-file-error" class="field-error">
                  {fieldMessage('The file', fe.body)}
                </p>
              )}
            </div>
            {choices.length > 1 ? (
              <SelectField
                label="Who reads it"
                name="visibility"
                value={visibility}
                onValue={setVisibility}
                options={choices.map((v) => ({ value: v, label: visibilityLabel(v) }))}
                error={fe.visibility}
              />
            ) : (
              <p class="hint">Everyone on the case can download it.</p>
            )}
            <TextField
              label="What it is"
              name="description"
              value={description}
              onValue={setDescription}
              maxLength={4000}
              error={fe.description}
            />
            <button type="submit" class="button" disabled={busy}>
              {busy ? 'Attaching…' : 'Attach'}
            </button>
          </form>
        </details>
      )}
    </section>
  );
}
