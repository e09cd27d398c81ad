// Several `rampart serve` processes share one PostgreSQL: a session, a write and a sign-in block
// made on one are seen at once by the other.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, signedIn, freshDatabase, STORE } from './lib.mjs';

const skip = STORE !== 'postgresql' && 'runs against PostgreSQL only (RAMPART_TEST_STORE=postgresql)';
let a;
let b;
before(async () => {
  if (skip) return;
  const db = freshDatabase();
  a = await startServer({ db });
  b = await startServer({ db, demo: false });
});
after(async () => {
  await a?.stop();
  await b?.stop();
});

test('TwoServersShareSessionsAndData', { skip }, async () => {
  const onA = await signedIn(a, 'cert.admin');
  const onB = new Client(b.url);
  onB.cookie = onA.cookie;
  onB.csrf = onA.csrf;
  assert.equal((await onB.get('/api/v1/session')).status, 200, 'a session made on A works on B');

  const sector = (await onA.get('/api/v1/sectors')).body.items[0];
  const got = await onA.get(`/api/v1/sectors/${sector.id}`);
  const changed = await onA.patch(`/api/v1/sectors/${sector.id}`, { description: 'Changed on A' }, { headers: { 'if-match': got.headers.get('etag') } });
  assert.equal(changed.status, 200);
  const seen = await onB.get(`/api/v1/sectors/${sector.id}`);
  assert.equal(seen.body.description, 'Changed on A');
  // B refuses a write based on the version A replaced.
  const stale = await onB.patch(`/api/v1/sectors/${sector.id}`, { description: 'Stale on B' }, { headers: { 'if-match': got.headers.get('etag') } });
  assert.equal(stale.status, 412);

  assert.equal((await onB.delete('/api/v1/session')).status, 204);
  assert.equal((await onA.get('/api/v1/session')).status, 401, 'signing out on B ends the session on A');
});

test('SignInThrottlingIsSharedBetweenServers', { skip }, async () => {
  for (let i = 0; i < 5; i++) {
    const server = i % 2 ? a : b;
    assert.equal((await new Client(server.url).signIn('mgmt.bank1', 'wrong password ' + i)).status, 401);
  }
  assert.equal((await new Client(a.url).signIn('mgmt.bank1')).status, 429);
  assert.equal((await new Client(b.url).signIn('mgmt.bank1')).status, 429);
});
