// Signing in and out, sessions, CSRF, throttling, the second factor, passwords and API tokens.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, signedIn, totp, DEMO_PASSWORD } from './lib.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => { assert.equal(await server.stop(), 0, 'the server stops cleanly on SIGTERM'); });

test('SignsInAndOutWithAnHttpOnlySessionCookie', async () => {
  const c = new Client(server.url);
  const res = await c.signIn('ciso.bank1');
  assert.equal(res.status, 200);
  const cookie = res.headers.get('set-cookie');
  assert.match(cookie, /^rampart_session=[A-Za-z0-9_-]{43};/);
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Lax/);
  assert.equal(res.body.user.username, 'ciso.bank1');
  assert.deepEqual(res.body.memberships[0].roles.sort(), ['ciso', 'org_admin']);
  assert.equal(res.body.memberships[0].organisation.kind, 'operator');

  assert.equal((await c.get('/api/v1/session')).status, 200);
  assert.equal((await c.delete('/api/v1/session')).status, 204);
  // The cookie is gone from the client; replaying the old one must not work either.
  const replay = new Client(server.url);
  replay.cookie = cookie.split(';')[0];
  assert.equal((await replay.get('/api/v1/session')).status, 401);
});

test('RefusesWrongPasswordsAndUnknownNamesAlike', async () => {
  const c = new Client(server.url);
  const wrong = await c.signIn('ciso.bank1', 'not-the-password-at-all');
  const unknown = await c.signIn('nobody.here', 'not-the-password-at-all');
  assert.equal(wrong.status, 401);
  assert.equal(unknown.status, 401);
  assert.equal(wrong.body.type, 'urn:rampart:problem:invalid-credentials');
  assert.equal(unknown.body.type, wrong.body.type);
  assert.equal(unknown.body.detail, wrong.body.detail);
});

test('ThrottlesAnAccountAfterFiveFailuresWithRetryAfter', async () => {
  const c = new Client(server.url);
  for (let i = 0; i < 5; i++) {
    assert.equal((await c.signIn('risk.ccb', 'wrong-password-' + i)).status, 401);
  }
  const blocked = await c.signIn('risk.ccb', DEMO_PASSWORD);
  assert.equal(blocked.status, 429, 'even the right password waits out the block');
  const retry = Number(blocked.headers.get('retry-after'));
  assert.ok(retry > 0 && retry <= 900, `Retry-After ${retry}`);
  // Other accounts are not affected by one account's block.
  assert.equal((await new Client(server.url).signIn('auditor.ccb')).status, 200);
});

test('RefusesUnsafeRequestsWithoutTheCsrfToken', async () => {
  const c = await signedIn(server, 'cert.admin');
  const noToken = await c.req('DELETE', '/api/v1/session', { headers: { 'x-csrf-token': '' } });
  assert.equal(noToken.status, 403);
  assert.equal(noToken.body.type, 'urn:rampart:problem:csrf');
  const crossSite = await c.req('DELETE', '/api/v1/session', { headers: { 'sec-fetch-site': 'cross-site' } });
  assert.equal(crossSite.status, 403);
  const otherOrigin = await c.req('DELETE', '/api/v1/session', { headers: { origin: 'https://evil.example' } });
  assert.equal(otherOrigin.status, 403);
  // A cross-site sign-in form cannot log a victim into the attacker's account either.
  const loginCsrf = await new Client(server.url).req('POST', '/api/v1/session', {
    json: { username: 'cert.admin', password: DEMO_PASSWORD },
    headers: { 'sec-fetch-site': 'cross-site' },
  });
  assert.equal(loginCsrf.status, 403);
  assert.equal((await c.get('/api/v1/session')).status, 200, 'the session survived every refused attempt');
});

test('EnrolsASecondFactorAndThenRequiresIt', async () => {
  const c = await signedIn(server, 'reporter.bank1');
  const begin = await c.post('/api/v1/me/totp');
  assert.equal(begin.status, 200);
  assert.match(begin.body.otpauth_uri, /^otpauth:\/\/totp\/Rampart:reporter\.bank1\?secret=/);
  const wrong = await c.post('/api/v1/me/totp/confirm', { code: '000000' === totp(begin.body.secret) ? '111111' : '000000' });
  assert.equal(wrong.status, 422);
  const ok = await c.post('/api/v1/me/totp/confirm', { code: totp(begin.body.secret) });
  assert.equal(ok.status, 204);

  const fresh = new Client(server.url);
  const needs = await fresh.signIn('reporter.bank1');
  assert.equal(needs.status, 401);
  assert.equal(needs.body.type, 'urn:rampart:problem:totp-required');
  // The code already used to confirm cannot be replayed within its step.
  const later = Date.now() + 30_000;
  const signed = await fresh.signIn('reporter.bank1', DEMO_PASSWORD, { totp_code: totp(begin.body.secret, later) });
  assert.equal(signed.status, 200);
  assert.equal(signed.body.user.totp_enabled, true);
  const replay = await new Client(server.url).signIn('reporter.bank1', DEMO_PASSWORD, { totp_code: totp(begin.body.secret, later) });
  assert.equal(replay.status, 401, 'a code is accepted once');
});

test('ChangesAPasswordAndEndsOtherSessions', async () => {
  const first = await signedIn(server, 'viewer.ccb');
  const second = await signedIn(server, 'viewer.ccb');
  const weak = await second.put('/api/v1/me/password', { current_password: DEMO_PASSWORD, new_password: 'short' });
  assert.equal(weak.status, 422);
  assert.equal(weak.body.errors[0].field, '/new_password');
  const wrongCurrent = await second.put('/api/v1/me/password', { current_password: 'nope-nope-nope', new_password: 'a much better passphrase' });
  assert.equal(wrongCurrent.status, 422);
  const ok = await second.put('/api/v1/me/password', { current_password: DEMO_PASSWORD, new_password: 'a much better passphrase' });
  assert.equal(ok.status, 204);
  assert.equal((await second.get('/api/v1/me')).status, 200, 'the session that changed it stays');
  assert.equal((await first.get('/api/v1/me')).status, 401, 'the other session ended');
  assert.equal((await new Client(server.url).signIn('viewer.ccb', 'a much better passphrase')).status, 200);
});

test('ApiTokensAreShownOnceWorkAsBearerAndCanBeRevoked', async () => {
  const c = await signedIn(server, 'cert.analyst');
  const created = await c.post('/api/v1/tokens', { name: 'feed reader', expires_in_days: 30, password: DEMO_PASSWORD });
  assert.equal(created.status, 201);
  const secret = created.body.secret;
  assert.ok(secret.startsWith(created.body.token.prefix));

  const api = new Client(server.url);
  api.token = secret;
  const me = await api.get('/api/v1/me');
  assert.equal(me.status, 200);
  assert.equal(me.body.user.username, 'cert.analyst');
  // A token needs no CSRF token, but cannot mint more tokens.
  const mint = await api.post('/api/v1/tokens', { name: 'child', expires_in_days: 1, password: DEMO_PASSWORD });
  assert.equal(mint.status, 403);

  const list = await c.get('/api/v1/tokens');
  assert.equal(list.body.items.length, 1);
  assert.ok(!JSON.stringify(list.body).includes(secret), 'the secret is never shown again');

  assert.equal((await c.delete(`/api/v1/tokens/${created.body.token.id}`)).status, 204);
  assert.equal((await api.get('/api/v1/me')).status, 401);
  const badToken = new Client(server.url);
  badToken.token = 'rmp_not-a-real-token';
  assert.equal((await badToken.get('/api/v1/me')).status, 401);
  // Someone else's token id is simply not found.
  const other = await signedIn(server, 'ciso.bank1');
  assert.equal((await other.delete(`/api/v1/tokens/${created.body.token.id}`)).status, 404);
});

test('TokenCreationRejectsBadInputNamingTheFields', async () => {
  const c = await signedIn(server, 'cert.analyst');
  const res = await c.post('/api/v1/tokens', { name: '', expires_in_days: 9999, colour: 'blue' });
  assert.equal(res.status, 422);
  const fields = res.body.errors.map((e) => e.field).sort();
  assert.deepEqual(fields, ['/colour', '/expires_in_days', '/name', '/password']);
  const wrong = await c.post('/api/v1/tokens', { name: 'stolen session', expires_in_days: 366, password: 'not the password at all' });
  assert.equal(wrong.status, 422, 'a session alone cannot mint a token');
  assert.equal(wrong.body.errors[0].field, '/password');
  assert.ok(!(await c.get('/api/v1/tokens')).body.items.some((t) => t.name === 'stolen session'));
});
