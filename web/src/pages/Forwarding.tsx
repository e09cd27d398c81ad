// The regulator's forwarding inbox: reports its MOU says it forwards to the national CERT
// after review, the soonest due first, each with the time left and a Forward action.

import { useState } from 'preact/hooks';
import { api } from '../api';
import { ForwardForm } from '../components/CaseActions';
import { OverdueBadge } from '../components/IncidentBits';
import { Link } from '../components/Link';
import { Page } from '../components/Page';
import { LoadState, SuccessMessage } from '../components/Status';
import { formatDateTime, modeLabel, plural, spanLabel } from '../format';
import { useAsync, useNow } from '../hooks';
import type { ForwardingItem } from '../incidents';
import type { Page as ListPage } from '../types';

export function ForwardingPage() {
  const now = useNow();
  const inbox = useAsync(async () => (await api.get<ListPage<ForwardingItem>>('/incidents/forwarding')).items, []);
  const [open, setOpen] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  // The time left is counted from when the inbox was read, so it stays right while the page is open.
  const [readAt, setReadAt] = useState(() => Date.now());

  return (
    <Page
      title="Forwarding"
      lead="Reports waiting for your review before they go to the national CERT, the soonest due first."
      actions={
        <button
          type="button"
          class="button button-quiet"
          onClick={() => {
            setReadAt(Date.now());
            inbox.reload();
          }}
        >
          Refresh
        </button>
      }
    >
      <SuccessMessage>{notice}</SuccessMessage>
      <LoadState state={inbox}>
        {(items) =>
          items.length ? (
            <>
              <div class="table-wrap">
                <table class="table forwarding">
                  <caption class="sr-only">Reports waiting to be forwarded</caption>
                  <thead>
                    <tr>
                      <th scope="col">Case</th>
                      <th scope="col" class="hide-narrow">
                        Sector
                      </th>
                      <th scope="col" class="hide-narrow">
                        Received
                      </th>
                      <th scope="col">Forward by</th>
                      <th scope="col">Actions</th>
                    </tr>
                  </thead>
                  <tbody>
                    {items.map((i) => {
                      const left = i.remaining_minutes === null ? null : i.remaining_minutes * 60_000 - (now - readAt);
                      const late = i.overdue || (left !== null && left < 0);
                      return (
                        <tr key={i.handover_id} class={late ? 'row-overdue' : undefined}>
                          <th scope="row">
                            <Link href={`/incidents/${i.incident_id}`}>{i.reference}</Link>
                            <span class="block case-title">{i.title}</span>
                            <span class="small muted block case-title">MOU: {modeLabel(i.mode).toLowerCase()}</span>
                          </th>
                          <td class="hide-narrow">{i.sector_name}</td>
                          <td class="hide-narrow">{formatDateTime(i.received_at)}</td>
                          <td>
                            {i.due_at ? formatDateTime(i.due_at) : '—'}
                            {left !== null && (
                              <span class={late ? 'block due-late' : 'block small muted'}>
                                {late ? `overdue by ${spanLabel(left)}` : `${spanLabel(left)} left`}
                              </span>
                            )}
                            {late && <OverdueBadge />}
                          </td>
                          <td class="forward-cell">
                            {open === i.handover_id ? (
                              <ForwardForm
                                incidentId={i.incident_id}
                                handoverId={i.handover_id}
                                onForwarded={(c, message) => {
                                  setOpen(null);
                                  setNotice(`${c.reference}: ${message}`);
                                  setReadAt(Date.now());
                                  inbox.reload();
                                }}
                                onCancel={() => setOpen(null)}
                              />
                            ) : (
                              <button
                                type="button"
                                class="button button-primary button-small"
                                onClick={() => {
                                  setOpen(i.handover_id);
                                  setNotice(null);
                                }}
                              >
                                Forward<span class="sr-only"> {i.reference}</span>
                              </button>
                            )}
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
              <p class="list-foot">{plural(items.length, 'report')} waiting.</p>
            </>
          ) : (
            <p class="muted">Nothing waits to be forwarded.</p>
          )
        }
      </LoadState>
    </Page>
  );
}
