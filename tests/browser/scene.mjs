// Setting the scene for a browser test through the API, as the browser application would: a
// signed-in session, and early warnings filed before the page opens.

import assert from 'node:assert/strict';
import { DEMO_PASSWORD } from './browser.mjs';

const HOUR = 3600_000;

/** A signed-in API session of a demo person on the server at `base`. */
export async function apiAs(base, username) {
  const res = await fetch(base + '/api/v1/session', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  assert.equal(res.status, 200, `sign-in of ${username}`);
  const cookie = res.headers.get('set-cookie').split(';')[0];
  const session = await res.json();
  const send = async (method, p, body) => {
    const r = await fetch(base + p, {
      method,
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': session.csrf_token },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: r.status, body: await r.json() };
  };
  return { session, get: (p) => send('GET', p), post: (p, body) => send('POST', p, body) };
}

/** Files an early warning for the first organisation of `username`; `extra` overrides fields. */
export async function fileByApi(base, username, title, extra = {}) {
  const c = await apiAs(base, username);
  const org = c.session.memberships[0].organisation.id;
  const res = await c.post(`/api/v1/organisations/${org}/incidents`, {
    title,
    aware_at: new Date(Date.now() - 2 * HOUR).toISOString(),
    suspected_malicious: 'unknown',
    may_affect_others: false,
    ...extra,
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body;
}
