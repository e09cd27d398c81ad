// Bad input and faults: clear errors, the server keeps serving others, nothing stored changes, and
// nothing acknowledged is lost when the server is killed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { execFileSync } from 'node:child_process';
import { startServer, Client, signedIn, all, rawExchange, statusOf, cli, STORE } from './lib.mjs';

let server;
let admin;
let energy;
before(async () => {
  server = await startServer({ env: { RAMPART_HEADER_TIMEOUT_MS: '1500', RAMPART_IDLE_TIMEOUT_MS: '3000' } });
  admin = await signedIn(server, 'cert.admin');
  energy = (await admin.get('/api/v1/sectors')).body.items.find((s) => s.slug === 'energy');
});
after(async () => { await server.stop(); });

async function organisationCount() {
  return (await all(admin, '/api/v1/organisations', 200)).length;
}

test('BadBodiesGetClearErrorsAndChangeNothing', async () => {
  const before = await organisationCount();
  const post = (body, type = 'application/json') =>
    admin.req('POST', '/api/v1/organisations', { body, headers: { 'content-type': type } });

  const malformed = await post('{"name": "Broken", ');
  assert.equal(malformed.status, 400);
  assert.equal(malformed.body.type, 'urn:rampart:problem:invalid-json');
  const notObject = await post('[1, 2, 3]');
  assert.equal(notObject.status, 400);
  const wrongType = await post('name=x', 'application/x-www-form-urlencoded');
  assert.equal(wrongType.status, 415);
  const badUtf8 = await admin.req('POST', '/api/v1/organisations', {
    body: Buffer.concat([Buffer.from('{"name": "'), Buffer.from([0xff, 0xfe]), Buffer.from('", "kind": "operator", "sector_ids": []}')]),
    headers: { 'content-type': 'application/json' },
  });
  assert.equal(badUtf8.status, 400);
  const wrongTypes = await admin.post('/api/v1/organisations', { name: 42, kind: ['operator'], sector_ids: 'energy' });
  assert.equal(wrongTypes.status, 422);
  assert.deepEqual(wrongTypes.body.errors.map((e) => e.field).sort(), ['/kind', '/name', '/sector_ids']);
  const huge = await admin.post('/api/v1/organisations', { name: 'Huge', kind: 'operator', sector_ids: [energy.id], website: 'x'.repeat(40_000) }, { check: false });
  assert.equal(huge.status, 413);
  assert.equal(await organisationCount(), before, 'nothing was stored');
});

test('RawProtocolAbuseIsRefusedAndTheServerKeepsServing', async () => {
  const dotdot = await rawExchange(server.port, 'GET /api/v1/../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n');
  assert.equal(statusOf(dotdot.text), 400);
  const encoded = await rawExchange(server.port, 'GET /api/v1/%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n');
  assert.equal(statusOf(encoded.text), 400);
  const flood = 'GET /healthz HTTP/1.1\r\nHost: x\r\n' + Array.from({ length: 400 }, (_, i) => `X-Flood-${i}: ${'a'.repeat(60)}\r\n`).join('') + '\r\n';
  assert.equal(statusOf((await rawExchange(server.port, flood)).text), 431);
  const smuggle = 'POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n';
  assert.equal(statusOf((await rawExchange(server.port, smuggle)).text), 400);
  const garbage = await rawExchange(server.port, '\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03garbage\r\n\r\n');
  assert.ok([400, null].includes(statusOf(garbage.text)));
  assert.equal((await fetch(server.url + '/healthz')).status, 200);
});

test('SlowAndIdleClientsAreCutOffWhileOthersAreServed', async () => {
  // A client that sends one byte every 300 ms never finishes its headers within 1.5 s.
  const slow = net.connect(server.port, '127.0.0.1');
  const request = 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n';
  let i = 0;
  const drip = setInterval(() => { if (i < request.length && !slow.destroyed) slow.write(request[i++]); }, 300);
  const closed = new Promise((r) => slow.on('close', r));
  slow.on('error', () => {});
  const started = Date.now();
  const others = await Promise.all(Array.from({ length: 20 }, () => fetch(server.url + '/healthz').then((r) => r.status)));
  assert.ok(others.every((s) => s === 200));
  assert.ok(Date.now() - started < 1000, 'others are served at once');
  await closed;
  clearInterval(drip);
  const elapsed = Date.now() - started;
  assert.ok(elapsed >= 1000 && elapsed < 6000, `closed after ${elapsed} ms`);
});

test('AThousandIdleConnectionsDoNotStarveARealRequest', async () => {
  const idle = [];
  await Promise.all(Array.from({ length: 1000 }, () => new Promise((resolve) => {
    const s = net.connect(server.port, '127.0.0.1', resolve);
    s.on('error', resolve);
    idle.push(s);
  })));
  const started = Date.now();
  const me = await admin.get('/api/v1/me');
  assert.equal(me.status, 200);
  assert.ok(Date.now() - started < 2000, `answered in ${Date.now() - started} ms`);
  for (const s of idle) s.destroy();
});

test('KilledWhileWritingKeepsEveryAcknowledgedWrite', async () => {
  const victim = await startServer();
  const c = await signedIn(victim, 'cert.admin');
  const sector = (await c.get('/api/v1/sectors')).body.items[0];
  const acknowledged = [];
  let stop = false;
  const writers = Array.from({ length: 4 }, async (_, w) => {
    for (let n = 0; !stop; n++) {
      try {
        const res = await c.post('/api/v1/organisations', { name: `Crash test ${w}-${n}`, kind: 'operator', sector_ids: [sector.id] }, { check: false });
        if (res.status === 201) acknowledged.push(res.body.id);
      } catch {
        return;  // the connection died with the server
      }
    }
  });
  await new Promise((r) => setTimeout(r, 1500));
  await victim.kill9();
  stop = true;
  await Promise.all(writers);
  assert.ok(acknowledged.length > 5, `${acknowledged.length} writes acknowledged before the kill`);

  const again = await startServer({ db: victim.db, demo: false });
  const c2 = await signedIn(again, 'cert.admin');
  const ids = new Set((await all(c2, '/api/v1/organisations', 200)).map((o) => o.id));
  const lost = acknowledged.filter((id) => !ids.has(id));
  assert.deepEqual(lost, [], 'no acknowledged write is lost');
  await again.stop();
  const verify = cli(['audit', 'verify', '--db', victim.db]);
  assert.equal(verify.code, 0, verify.stderr);
  if (STORE === 'sqlite') {
    const check = execFileSync('sqlite3', [victim.db.slice('sqlite:'.length), 'PRAGMA integrity_check;'], { encoding: 'utf8' });
    assert.equal(check.trim(), 'ok');
  }
});
