// Regression tests for the findings of the first security review: each one is an attack that
// must keep failing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, signedIn, all, totp, DEMO_PASSWORD } from './lib.mjs';

let server;
let admin;
before(async () => {
  server = await startServer({ env: { RAMPART_TRUSTED_PROXIES: '127.0.0.1' } });
  admin = await signedIn(server, 'cert.admin');
});
after(async () => { await server.stop(); });

async function person(c, orgShort, username) {
  const org = (await all(admin, '/api/v1/organisations', 200)).find((o) => o.short_name === orgShort);
  const p = (await all(admin, `/api/v1/organisations/${org.id}/people`, 200)).find((x) => x.user.username === username);
  return { org, p };
}

test('AnOrgAdminCannotDisableOrRenameAPlatformAdministrator', async () => {
  const head = await signedIn(server, 'head.natcert');  // org_admin of the national CERT, not platform admin
  const { org, p } = await person(head, 'NatCERT', 'cert.admin');
  for (const change of [{ disabled: true }, { email: 'attacker@evil.example' }, { display_name: 'Mallory' }]) {
    const res = await head.patch(`/api/v1/organisations/${org.id}/people/${p.user.id}`, change, { headers: { 'if-match': `"${p.user.version}"` } });
    assert.equal(res.status, 403, JSON.stringify(change));
  }
  assert.equal((await admin.get('/api/v1/me')).status, 200, 'the administrator is still signed in');
});

test('ChangingThePasswordRevokesApiTokensAndTokensCannotChangeHowOneSignsIn', async () => {
  const c = await signedIn(server, 'analyst.natcert');
  const token = (await c.post('/api/v1/tokens', { name: 'script', expires_in_days: 30, password: DEMO_PASSWORD })).body.secret;
  const api = new Client(server.url);
  api.token = token;
  assert.equal((await api.post('/api/v1/me/totp')).status, 403, 'a token cannot start TOTP enrolment');
  assert.equal((await api.put('/api/v1/me/password', { current_password: DEMO_PASSWORD, new_password: 'token chosen passphrase' })).status, 403);
  assert.equal((await c.put('/api/v1/me/password', { current_password: DEMO_PASSWORD, new_password: 'a fresh long passphrase' })).status, 204);
  assert.equal((await api.get('/api/v1/me')).status, 401, 'the token died with the old password');
});

test('AnAdministratorsResetEndsTokensAndClearsTheSecondFactor', async () => {
  const c = await signedIn(server, 'analyst2.natcert');
  const secret = (await c.post('/api/v1/me/totp')).body.secret;
  assert.equal((await c.post('/api/v1/me/totp/confirm', { code: totp(secret) })).status, 204);
  const token = (await c.post('/api/v1/tokens', { name: 'feed', expires_in_days: 30, password: DEMO_PASSWORD })).body.secret;
  const { p } = await person(admin, 'NatCERT', 'analyst2.natcert');
  const reset = await admin.post(`/api/v1/users/${p.user.id}/password-reset`);
  assert.equal(reset.status, 200);
  const api = new Client(server.url);
  api.token = token;
  assert.equal((await api.get('/api/v1/me')).status, 401);
  const back = await new Client(server.url).signIn('analyst2.natcert', reset.body.temporary_password);
  assert.equal(back.status, 200, 'the person gets back in without the lost second factor');
  assert.equal(back.body.user.totp_enabled, false);
});

test('ParallelGuessesCannotOutrunTheSignInLimit', async () => {
  const tries = await Promise.all(Array.from({ length: 12 }, (_, i) =>
    new Client(server.url).signIn('viewer.natcert', `wrong guess number ${i}`)));
  const evaluated = tries.filter((r) => r.status === 401).length;
  const refused = tries.filter((r) => r.status === 429).length;
  assert.equal(evaluated + refused, 12);
  assert.ok(evaluated <= 5, `${evaluated} guesses were checked; the limit is 5`);
});

test('TheCurrentPasswordCheckIsThrottledToo', async () => {
  const c = await signedIn(server, 'auditor.natcert');
  const statuses = [];
  for (let i = 0; i < 7; i++) {
    statuses.push((await c.put('/api/v1/me/password', { current_password: `guess ${i} guess`, new_password: 'whatever long passphrase' })).status);
  }
  assert.deepEqual(statuses.slice(0, 5), [422, 422, 422, 422, 422]);
  assert.equal(statuses[6], 429);
});

test('AnUnsafeRequestFromANullOriginIsRefused', async () => {
  const c = await signedIn(server, 'ciso.bank1');
  const res = await c.req('DELETE', '/api/v1/session', { headers: { origin: 'null' } });
  assert.equal(res.status, 403);
  assert.equal((await c.get('/api/v1/session')).status, 200);
});

test('SearchTextIsMatchedLiterally', async () => {
  const c = await signedIn(server, 'ciso.bank1');
  assert.equal((await all(c, '/api/v1/organisations?q=_')).length, 0);
  assert.equal((await all(c, '/api/v1/organisations?q=%25')).length, 0);
});

test('InventedMethodsDoNotGrowTheMetrics', async () => {
  for (const m of ['FOO1', 'FOO2']) await fetch(server.url + '/x', { method: m }).catch(() => {});
  const metrics = await (await fetch(server.url + '/metrics')).text();
  assert.ok(!metrics.includes('FOO1') && !metrics.includes('FOO2'));
});

test('TheClientAddressComesFromATrustedProxysForwardedFor', async () => {
  await fetch(server.url + '/healthz', { headers: { 'x-forwarded-for': '203.0.113.9, 127.0.0.1' } });
  await new Promise((r) => setTimeout(r, 200));
  assert.match(server.output(), /"remote":"203\.0\.113\.9"/);
});

test('BehindHttpsTheSessionCookieIsHostPrefixedSecureAndHstsIsSent', async () => {
  const secure = await startServer({ env: { RAMPART_PUBLIC_ORIGIN: 'https://rampart.example' } });
  try {
    const c = new Client(secure.url);
    const res = await c.signIn('ciso.bank1');
    assert.equal(res.status, 200);
    const cookie = res.headers.get('set-cookie');
    assert.match(cookie, /^__Host-rampart_session=/);
    assert.match(cookie, /; Secure/);
    assert.match(cookie, /Path=\//);
    assert.ok(!/Domain=/i.test(cookie));
    assert.match(res.headers.get('strict-transport-security'), /max-age=\d+/);
    const wrongOrigin = await c.req('DELETE', '/api/v1/session', { headers: { origin: 'http://rampart.example' } });
    assert.equal(wrongOrigin.status, 403, 'the public origin is https only');
    const rightOrigin = await c.req('DELETE', '/api/v1/session', { headers: { origin: 'https://rampart.example' } });
    assert.equal(rightOrigin.status, 204);
  } finally {
    await secure.stop();
  }
});
