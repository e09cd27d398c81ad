import { useState } from 'preact/hooks';
import { api, ApiError, ifMatch } from '../api';
import { OrgLink } from '../components/Directory';
import { SelectField, TextField } from '../components/Field';
import { Link } from '../components/Link';
import { Page } from '../components/Page';
import { ErrorMessage, LoadState, SuccessMessage } from '../components/Status';
import { invalidateDirectory, loadDirectory, type Directory } from '../directory';
import { formatDate, modeLabel, toDateInput } from '../format';
import { asApiError, useAsync } from '../hooks';
import { canEditMous, useSession } from '../session';
import { FORWARDING_MODES, type Mou } from '../types';

const STALE =
  'Someone else changed this MOU while you were editing it. It has been reloaded with their change; check it and edit again.';

async function loadFresh(): Promise<Directory> {
  invalidateDirectory();
  return loadDirectory();
}

export function MousPage() {
  const { session } = useSession();
  const editable = canEditMous(session);
  const dir = useAsync(loadFresh, []);
  const [editing, setEditing] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  const sectorName = (d: Directory, id: string) => d.sectorById.get(id)?.name ?? 'Unknown sector';

  return (
    <Page
      title="MOUs"
      lead="Each sector's regulator forwards incident reports to the national CERT as its memorandum of understanding says."
    >
      <SuccessMessage>{notice}</SuccessMessage>
      <ErrorMessage error={error} />
      <LoadState state={dir}>
        {(d) => {
          const mous = [...d.mous].sort((a, b) => sectorName(d, a.sector_id).localeCompare(sectorName(d, b.sector_id)));
          const current = mous.find((m) => m.id === editing);
          return (
            <>
              {current && (
                <EditMou
                  key={`${current.id}-${current.version}`}
                  mou={current}
                  title={`${sectorName(d, current.sector_id)}: ${d.orgById.get(current.regulator_id)?.name ?? 'regulator'}`}
                  onCancel={() => setEditing(null)}
                  onSaved={() => {
                    setEditing(null);
                    setError(null);
                    setNotice(`The MOU of the ${sectorName(d, current.sector_id)} sector has been saved.`);
                    dir.reload();
                  }}
                  onStale={() => {
                    setEditing(null);
                    setError(new ApiError({ status: 412, title: 'Not saved', detail: STALE }));
                    dir.reload();
                  }}
                />
              )}
              <div class="table-wrap">
                <table class="table">
                  <caption class="sr-only">Memoranda of understanding</caption>
                  <thead>
                    <tr>
                      <th scope="col">Sector</th>
                      <th scope="col">Regulator</th>
                      <th scope="col">Forwarding</th>
                      <th scope="col" class="num">
                        Forward within
                      </th>
                      <th scope="col" class="hide-narrow">
                        Effective
                      </th>
                      {editable && <th scope="col">Actions</th>}
                    </tr>
                  </thead>
                  <tbody>
                    {mous.map((m) => (
                      <tr key={m.id}>
                        <th scope="row">
                          <Link href={`/sectors/${m.sector_id}`}>{sectorName(d, m.sector_id)}</Link>
                        </th>
                        <td>
                          <OrgLink dir={d} id={m.regulator_id} />
                        </td>
                        <td>{modeLabel(m.forwarding_mode)}</td>
                        <td class="num">{m.forward_within_hours} h</td>
                        <td class="hide-narrow">
                          {formatDate(m.effective_from)} – {m.effective_to ? formatDate(m.effective_to) : 'open-ended'}
                        </td>
                        {editable && (
                          <td class="actions">
                            <button
                              type="button"
                              class="button button-small"
                              onClick={() => {
                                setEditing(m.id);
                                setNotice(null);
                                setError(null);
                              }}
                            >
                              Edit<span class="sr-only"> the MOU of {sectorName(d, m.sector_id)}</span>
                            </button>
                          </td>
                        )}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              {!mous.length && <p class="muted">No MOU is recorded yet.</p>}
            </>
          );
        }}
      </LoadState>
    </Page>
  );
}

/** The wire form of a date chosen in the form, in the shape the server used for this field. */
function dateForWire(date: string, original: string | null): string {
  if (!original || /^\d{4}-\d{2}-\d{2}$/.test(original)) return date;
  return `${date}T00:00:00.000Z`;
}

function EditMou({
  mou,
  title,
  onCancel,
  onSaved,
  onStale,
}: {
  mou: Mou;
  title: string;
  onCancel: () => void;
  onSaved: () => void;
  onStale: () => void;
}) {
  const [form, setForm] = useState({
    forwarding_mode: mou.forwarding_mode as string,
    hours: String(mou.forward_within_hours),
    from: toDateInput(mou.effective_from),
    to: toDateInput(mou.effective_to),
    notes: mou.notes ?? '',
  });
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const fe = error?.fieldErrors ?? {};
  const set = (k: keyof typeof form) => (v: string) => setForm({ ...form, [k]: v });

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    // A PATCH carries only what changed, so an untouched date keeps its exact time.
    const body: Record<string, unknown> = {};
    if (form.forwarding_mode !== mou.forwarding_mode) body.forwarding_mode = form.forwarding_mode;
    if (Number(form.hours) !== mou.forward_within_hours) body.forward_within_hours = Number(form.hours);
    if (form.from !== toDateInput(mou.effective_from)) body.effective_from = dateForWire(form.from, mou.effective_from);
    if (form.to !== toDateInput(mou.effective_to)) {
      body.effective_to = form.to ? dateForWire(form.to, mou.effective_to ?? mou.effective_from) : null;
    }
    if (form.notes !== (mou.notes ?? '')) body.notes = form.notes;
    if (!Object.keys(body).length) {
      setBusy(false);
      onCancel();
      return;
    }
    try {
      await api.patch<Mou>(`/mous/${mou.id}`, body, ifMatch(mou.version));
      onSaved();
    } catch (err) {
      const apiErr = asApiError(err);
      if (apiErr.status === 412) onStale();
      else setError(apiErr);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card form-card" aria-labelledby="edit-mou">
      <h2 id="edit-mou">Edit the MOU — {title}</h2>
      <ErrorMessage error={error} />
      <form onSubmit={submit}>
        <div class="form-grid">
          <SelectField
            label="Forwarding"
            name="forwarding_mode"
            value={form.forwarding_mode}
            onValue={set('forwarding_mode')}
            options={FORWARDING_MODES.map((m) => ({ value: m, label: modeLabel(m) }))}
            error={fe['/forwarding_mode']}
          />
          <TextField
            label="Forward within (hours)"
            name="forward_within_hours"
            type="number"
            inputMode="numeric"
            min={1}
            max={720}
            value={form.hours}
            onValue={set('hours')}
            required
            error={fe['/forward_within_hours']}
          />
          <TextField
            label="Effective from"
            name="effective_from"
            type="date"
            value={form.from}
            onValue={set('from')}
            required
            error={fe['/effective_from']}
          />
          <TextField
            label="Effective until"
            name="effective_to"
            type="date"
            value={form.to}
            onValue={set('to')}
            hint="Leave empty for an MOU without an end date."
            error={fe['/effective_to']}
          />
        </div>
        <TextField
          label="Notes"
          name="notes"
          value={form.notes}
          onValue={set('notes')}
          multiline
          maxLength={4000}
          error={fe['/notes']}
        />
        <div class="form-actions">
          <button type="submit" class="button button-primary" disabled={busy}>
            Save MOU
          </button>
          <button type="button" class="button button-quiet" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </form>
    </section>
  );
}
