// What operators rely on: health, readiness, metrics, security headers, the command line's
// messages and exit codes, backups, and a clean shutdown.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, signedIn, cli, freshDatabase, STORE } from './lib.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => { await server.stop(); });

test('HealthReadinessAndMetricsAnswerWithoutSignIn', async () => {
  assert.deepEqual(await (await fetch(server.url + '/healthz')).json(), { status: 'ok' });
  assert.deepEqual(await (await fetch(server.url + '/readyz')).json(), { status: 'ready' });
  await (await signedIn(server, 'cert.admin')).get('/api/v1/sectors');
  const metrics = await (await fetch(server.url + '/metrics')).text();
  assert.match(metrics, /rampart_http_requests_total\{method="GET",route="\/api\/v1\/sectors",status="200"\} \d+/);
  assert.match(metrics, /rampart_http_request_duration_seconds_bucket\{route="\/api\/v1\/sectors",le="\+Inf"\} \d+/);
  assert.match(metrics, /rampart_http_open_connections \d+/);
  assert.match(metrics, /rampart_db_pool_connections \d+/);
  assert.ok(!/route="\/api\/v1\/organisations\/[0-9a-f-]{36}/.test(metrics), 'series are labelled by route pattern, not by id');
});

test('EveryAnswerCarriesStrictSecurityHeaders', async () => {
  for (const p of ['/healthz', '/api/v1/sectors', '/', '/login']) {
    const res = await fetch(server.url + p);
    const csp = res.headers.get('content-security-policy');
    assert.match(csp, /default-src 'self'/, p);
    assert.match(csp, /script-src 'self';/, p);
    assert.ok(!csp.includes('unsafe-inline') && !csp.includes('unsafe-eval'), p);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff', p);
    assert.equal(res.headers.get('x-frame-options'), 'DENY', p);
    assert.equal(res.headers.get('referrer-policy'), 'no-referrer', p);
    assert.ok(res.headers.get('x-request-id'), p);
  }
});

test('TheBrowserApplicationIsServedWithTheRightCaching', async () => {
  const index = await fetch(server.url + '/organisations/some-page');
  assert.equal(index.status, 200, 'application routes fall back to index.html');
  assert.equal(index.headers.get('cache-control'), 'no-cache');
  const html = await index.text();
  assert.match(html, /<script type="module"[^>]* src="\/assets\//);
  assert.ok(!/<script(?![^>]*src=)[^>]*>/.test(html), 'no inline script');
  const asset = html.match(/src="(\/assets\/[^"]+\.js)"/)[1];
  const js = await fetch(server.url + asset);
  assert.equal(js.status, 200);
  assert.match(js.headers.get('cache-control'), /immutable/);
  assert.equal((await fetch(server.url + '/assets/missing-0000.js')).status, 404);
  const api404 = await fetch(server.url + '/api/v1/nothing-here');
  assert.equal(api404.status, 404);
  assert.equal(api404.headers.get('content-type'), 'application/problem+json');
});

test('TheCommandLineExplainsBadArgumentsWithExitCodeTwo', () => {
  const noCommand = cli([]);
  assert.notEqual(noCommand.code, 0);
  const badListen = cli(['serve', '--listen', 'nowhere', '--db', freshDatabase()]);
  assert.equal(badListen.code, 2);
  assert.match(badListen.stderr, /--listen must be HOST:PORT/);
  const badDb = cli(['migrate', '--db', 'mysql://x']);
  assert.equal(badDb.code, 1);
  assert.match(badDb.stderr, /unknown database URL 'mysql:\/\/x'/);
  const badRoles = cli(['user', 'add', 'someone', '--org', 'x', '--roles', 'wizard', '--email', 'a@b.example', '--db', freshDatabase()], { env: { RAMPART_PASSWORD: 'long enough passphrase' } });
  assert.equal(badRoles.code, 2);
  assert.match(badRoles.stderr, /--roles must be/);
  const weak = cli(['init', '--national-cert', 'CERT', '--admin', 'root.admin', '--email', 'a@b.example', '--db', freshDatabase()], { env: { RAMPART_PASSWORD: 'short' } });
  assert.equal(weak.code, 2);
  assert.match(weak.stderr, /at least 12 characters/);
  const badEnv = cli(['migrate', '--db', freshDatabase()], { env: { RAMPART_WORKERS: 'many' } });
  assert.equal(badEnv.code, 2);
  assert.match(badEnv.stderr, /RAMPART_WORKERS: workers must be a whole number/);
});

test('InitCreatesTheNationalCertAndItsAdministratorWhoCanSignIn', async () => {
  const db = freshDatabase();
  const init = cli(['init', '--national-cert', 'National CERT of Testland', '--admin', 'first.admin', '--email', 'first@cert.example', '--db', db], { env: { RAMPART_PASSWORD: 'a long first passphrase' } });
  assert.equal(init.code, 0, init.stderr);
  assert.match(init.stdout, /Created 8 sectors/);
  const again = cli(['init', '--national-cert', 'Second', '--admin', 'second.admin', '--email', 's@cert.example', '--db', db], { env: { RAMPART_PASSWORD: 'a long first passphrase' } });
  assert.equal(again.code, 1);
  const fresh = await startServer({ db, demo: false });
  try {
    const admin = await signedIn(fresh, 'first.admin', 'a long first passphrase');
    assert.equal(admin.session.user.is_admin, true);
    assert.equal(admin.session.memberships[0].organisation.kind, 'national_cert');
    const token = cli(['token', 'create', 'first.admin', '--name', 'automation', '--days', '7', '--db', db]);
    assert.equal(token.code, 0);
    const res = await fetch(fresh.url + '/api/v1/me', { headers: { authorization: `Bearer ${token.stdout.trim()}` } });
    assert.equal(res.status, 200);
  } finally {
    await fresh.stop();
  }
});

test('BackupCopiesALiveSqliteDatabase', { skip: STORE !== 'sqlite' && 'SQLite only; PostgreSQL uses pg_dump' }, () => {
  const target = path.join(mkdtempSync(path.join(os.tmpdir(), 'rampart-backup-')), 'copy.db');
  const res = cli(['backup', target, '--db', server.db]);
  assert.equal(res.code, 0, res.stderr);
  assert.ok(existsSync(target));
  const verify = cli(['audit', 'verify', '--db', `sqlite:${target}`]);
  assert.equal(verify.code, 0, verify.stderr);
  const refuse = cli(['backup', target, '--db', server.db]);
  assert.notEqual(refuse.code, 0, 'an existing file is never overwritten');
});

test('BackupOnPostgresqlPointsToPgDump', { skip: STORE !== 'postgresql' && 'PostgreSQL only' }, () => {
  const res = cli(['backup', '/tmp/never-written.db', '--db', server.db]);
  assert.equal(res.code, 1);
  assert.match(res.stderr, /pg_dump/);
});
