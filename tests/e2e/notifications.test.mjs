// Notifications end to end: e-mail through a real SMTP server on loopback (tests/e2e/smtp_sink.py,
// with authentication), signed webhooks to a real HTTP receiver, the in-app list, and who may
// manage an organisation's webhooks.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { startServer, signedIn, all, cleanupDir, ROOT } from './lib.mjs';

// Debian's python3-aiosmtpd is installed for the system interpreter, which a pyenv or venv
// python3 earlier on PATH would not see.
const PYTHON = process.env.RAMPART_TEST_PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
const SMTP_USER = 'rampart-relay';
const SMTP_PASSWORD = 'relay-secret-for-tests';

let server;
let sink;
let receiver;
let bankId;

// ---- a real SMTP server ----

async function startSink() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rampart-smtp-'));
  const child = spawn(PYTHON, [path.join(ROOT, 'tests/e2e/smtp_sink.py'), dir, '--user', SMTP_USER, '--password', SMTP_PASSWORD], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr.on('data', (d) => { output += d; });
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the SMTP sink did not start:\n${output}`)), 15_000);
    child.stdout.on('data', (d) => {
      output += d;
      const m = /listening on (\d+)/.exec(output);
      if (m) { clearTimeout(timer); resolve(Number(m[1])); }
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`the SMTP sink exited (${code}):\n${output}`)); });
  });
  return {
    port,
    // Every message received so far: {envelope, raw, headers (lower-case names, unfolded), body}.
    messages() {
      return readdirSync(dir).filter((f) => f.endsWith('.json')).sort((a, b) => parseInt(a) - parseInt(b)).map((f) => {
        const envelope = JSON.parse(readFileSync(path.join(dir, f), 'utf8'));
        const raw = readFileSync(path.join(dir, f.replace('.json', '.eml')), 'latin1');
        const split = raw.indexOf('\r\n\r\n');
        const headers = {};
        for (const line of raw.slice(0, split).replace(/\r\n[ \t]/g, ' ').split('\r\n')) {
          const colon = line.indexOf(':');
          headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
        }
        return { envelope, raw, headers, body: raw.slice(split + 4) };
      });
    },
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      cleanupDir(dir);
    },
  };
}

// ---- a webhook receiver: answers each path with the status it was told ----

async function startReceiver() {
  const requests = [];
  const statusFor = new Map();
  const srv = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      requests.push({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(statusFor.get(req.url) ?? 204);
      res.end();
    });
  });
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  return {
    url: (p) => `http://127.0.0.1:${srv.address().port}${p}`,
    requests,
    answer(p, status) { statusFor.set(p, status); },
    stop: () => new Promise((r) => srv.close(r)),
  };
}

async function waitFor(what, check, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${what}\n${server.output().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// Decodes quoted-printable (the body) and RFC 2047 "B" words (headers).
function fromQuotedPrintable(text) {
  const bytes = [];
  const soft = text.replace(/=\r\n/g, '');
  for (let i = 0; i < soft.length; i++) {
    if (soft[i] === '=') { bytes.push(parseInt(soft.slice(i + 1, i + 3), 16)); i += 2; } else bytes.push(soft.charCodeAt(i));
  }
  return Buffer.from(bytes).toString('utf8');
}
function fromEncodedWords(value) {
  return value.replace(/=\?UTF-8\?B\?([^?]*)\?=\s*/g, (_, b64) => Buffer.from(b64, 'base64').toString('utf8'));
}

before(async () => {
  sink = await startSink();
  receiver = await startReceiver();
  server = await startServer({
    env: {
      RAMPART_SMTP_URL: `smtp://127.0.0.1:${sink.port}`,
      RAMPART_SMTP_FROM: 'Rampart Test <rampart@cert.test>',
      RAMPART_SMTP_USER: SMTP_USER,
      RAMPART_SMTP_PASSWORD: SMTP_PASSWORD,
      RAMPART_SMTP_STARTTLS: 'off', // the sink speaks plain SMTP on loopback
      RAMPART_WEBHOOK_ALLOW_PRIVATE_ADDRESSES: 'true', // the receiver is on loopback
    },
  });
  const ciso = await signedIn(server, 'ciso.bank1');
  bankId = ciso.session.memberships[0].organisation.id;
});

after(async () => {
  await server?.stop();
  await sink?.stop();
  await receiver?.stop();
});

test('ATestMessageArrivesThroughTheRelayWithProperHeaders', async () => {
  const ciso = await signedIn(server, 'ciso.bank1');
  const me = (await ciso.get('/api/v1/me')).body.user;
  const res = await ciso.post('/api/v1/me/notifications/test', undefined);
  assert.equal(res.status, 202, JSON.stringify(res.body));
  assert.equal(res.body.email, me.email);
  const mail = await waitFor('the test message', () => sink.messages().find((m) => m.envelope.rcpt_tos.includes(me.email)));
  assert.equal(mail.envelope.mail_from, 'rampart@cert.test');
  assert.equal(mail.envelope.authenticated, true, 'the relay was asked with the configured account');
  const h = mail.headers;
  assert.equal(h.from, 'Rampart Test <rampart@cert.test>');
  assert.ok(h.to.endsWith(`<${me.email}>`), h.to);
  assert.equal(fromEncodedWords(h.to.slice(0, h.to.indexOf('<')).trim()).replace(/^"|"$/g, ''), me.display_name);
  assert.equal(h.subject, 'Test message from Rampart');
  assert.match(h.date, /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000$/);
  assert.ok(Math.abs(Date.parse(h.date) - Date.now()) < 120_000, h.date);
  assert.match(h['message-id'], /^<[0-9a-f-]{36}@cert\.test>$/);
  assert.equal(h['mime-version'], '1.0');
  assert.equal(h['content-type'], 'text/plain; charset=utf-8');
  assert.equal(h['content-transfer-encoding'], 'quoted-printable');
  assert.equal(h['auto-submitted'], 'auto-generated');
  assert.equal(h['x-rampart-event'], 'notification.test');
  assert.match(fromQuotedPrintable(mail.body), /to check that its e-mail reaches you/);
  for (const line of mail.raw.split('\r\n')) assert.ok(line.length <= 78, `a line of ${line.length} characters`);

  const again = await ciso.post('/api/v1/me/notifications/test', undefined);
  assert.equal(again.status, 429, 'one test message a minute');
  assert.ok(again.headers.get('retry-after'));
});

test('TheInAppListShowsNotificationsAndMarksThemRead', async () => {
  const mgmt = await signedIn(server, 'mgmt.bank1');
  assert.equal((await mgmt.post('/api/v1/me/notifications/test', undefined)).status, 202);
  let list = await mgmt.get('/api/v1/me/notifications');
  assert.equal(list.status, 200);
  assert.equal(list.body.unread_count, 1);
  const [n] = list.body.items;
  assert.equal(n.event, 'notification.test');
  assert.equal(n.subject, 'Test message from Rampart');
  assert.equal(n.read_at, null);

  const bad = await mgmt.post('/api/v1/me/notifications/read', { ids: ['not-an-id'], all: true, colour: 'red' });
  assert.equal(bad.status, 422);
  const fields = bad.body.errors.map((e) => e.field).sort();
  assert.deepEqual(fields, ['/all', '/colour', '/ids/0'], 'every mistake at once');
  assert.equal((await mgmt.post('/api/v1/me/notifications/read', {})).status, 422);

  // Someone else's id changes nothing.
  const ciso = await signedIn(server, 'ciso.bank1');
  const theirs = (await ciso.get('/api/v1/me/notifications')).body.items[0];
  assert.equal((await mgmt.post('/api/v1/me/notifications/read', { ids: [theirs.id] })).body.unread_count, 1);
  assert.equal((await ciso.get('/api/v1/me/notifications')).body.items[0].read_at, null);

  const read = await mgmt.post('/api/v1/me/notifications/read', { ids: [n.id] });
  assert.equal(read.status, 200);
  assert.equal(read.body.unread_count, 0);
  list = await mgmt.get('/api/v1/me/notifications');
  assert.ok(list.body.items[0].read_at);
  assert.deepEqual((await mgmt.get('/api/v1/me/notifications?unread=true')).body.items, []);
  assert.equal((await mgmt.get('/api/v1/me/notifications?unread=maybe')).status, 422);
  assert.equal((await ciso.post('/api/v1/me/notifications/read', { all: true })).body.unread_count, 0);
});

test('AWebhookGetsASignedPingAndItsSecretIsShownOnce', async () => {
  const ciso = await signedIn(server, 'ciso.bank1');
  const created = await ciso.post(`/api/v1/organisations/${bankId}/webhooks`, {
    url: receiver.url('/hooks/soc'),
    events: ['incident.*', 'incident.filed', 'incident.*'],
    description: 'SOC ticketing',
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const { webhook, secret } = created.body;
  assert.match(secret, /^[0-9a-f]{64}$/);
  assert.deepEqual(webhook.events, ['incident.*', 'incident.filed']);
  assert.equal(webhook.active, true);
  assert.equal(created.headers.get('etag'), `"${webhook.version}"`);
  assert.equal(created.headers.get('location'), `/api/v1/organisations/${bankId}/webhooks/${webhook.id}`);
  const listed = await all(ciso, `/api/v1/organisations/${bankId}/webhooks`);
  assert.ok(listed.some((h) => h.id === webhook.id));
  assert.ok(!JSON.stringify(listed).includes(secret), 'the secret is never shown again');
  assert.ok(!JSON.stringify((await ciso.get(`/api/v1/organisations/${bankId}/webhooks/${webhook.id}`)).body).includes(secret));

  const ping = await ciso.post(`/api/v1/organisations/${bankId}/webhooks/${webhook.id}/ping`, undefined);
  assert.equal(ping.status, 202);
  const req = await waitFor('the ping', () => receiver.requests.find((r) => r.headers['rampart-delivery-id'] === ping.body.delivery_id));
  assert.equal(req.method, 'POST');
  assert.equal(req.url, '/hooks/soc');
  assert.equal(req.headers['content-type'], 'application/json');
  assert.equal(req.headers['rampart-webhook-id'], webhook.id);
  assert.equal(req.headers['rampart-event'], 'webhook.ping');
  const ts = req.headers['rampart-timestamp'];
  assert.match(ts, /^\d+$/);
  assert.ok(Math.abs(Number(ts) * 1000 - Date.now()) < 120_000);
  // What a receiver does: HMAC-SHA256 over "timestamp.body" with the shared secret.
  const expected = 'v1=' + crypto.createHmac('sha256', secret).update(`${ts}.${req.body}`).digest('hex');
  assert.equal(req.headers['rampart-signature'], expected);
  const body = JSON.parse(req.body);
  assert.equal(body.id, ping.body.delivery_id);
  assert.equal(body.type, 'webhook.ping');
  assert.equal(body.organisation_id, bankId);
  assert.equal(body.data.webhook_id, webhook.id);
  assert.equal(body.data.requested_by, 'ciso.bank1');
  assert.ok(!Number.isNaN(Date.parse(body.created_at)));

  const after = await waitFor('the delivery to be recorded', async () => {
    const h = (await ciso.get(`/api/v1/organisations/${bankId}/webhooks/${webhook.id}`)).body;
    return h.last_delivery_status === 'sent' && h;
  });
  assert.ok(after.last_delivery_at);
});

test('AFailingReceiverIsRetriedAndTheErrorShown', async () => {
  const ciso = await signedIn(server, 'ciso.bank1');
  receiver.answer('/hooks/broken', 503);
  const { webhook } = (await ciso.post(`/api/v1/organisations/${bankId}/webhooks`, { url: receiver.url('/hooks/broken'), events: ['*'] })).body;
  await ciso.post(`/api/v1/organisations/${bankId}/webhooks/${webhook.id}/ping`, undefined);
  const h = await waitFor('the failure to be recorded', async () => {
    const got = (await ciso.get(`/api/v1/organisations/${bankId}/webhooks/${webhook.id}`)).body;
    return got.last_delivery_status && got;
  });
  assert.equal(h.last_delivery_status, 'retrying');
  assert.match(h.last_delivery_error, /^HTTP 503/);
  assert.equal(receiver.requests.filter((r) => r.url === '/hooks/broken').length, 1, 'the next attempt waits a minute');
  assert.equal((await ciso.delete(`/api/v1/organisations/${bankId}/webhooks/${webhook.id}`)).status, 204);
});

test('WebhookInputIsCheckedAndEveryMistakeReported', async () => {
  const ciso = await signedIn(server, 'ciso.bank1');
  const res = await ciso.post(`/api/v1/organisations/${bankId}/webhooks`, { url: 'ftp://files.example/x', events: ['incident.filled', '*'], secret: 'mine' });
  assert.equal(res.status, 422);
  assert.deepEqual(res.body.errors.map((e) => e.field).sort(), ['/events/0', '/secret', '/url']);
  const empty = await ciso.post(`/api/v1/organisations/${bankId}/webhooks`, { url: 'https://hooks.bank.example/x', events: [] });
  assert.equal(empty.status, 422);
  const creds = await ciso.post(`/api/v1/organisations/${bankId}/webhooks`, { url: 'https://u:p@hooks.bank.example/x', events: ['*'] });
  assert.equal(creds.status, 422);
});

test('UpdatesNeedTheCurrentVersionAndAPausedWebhookIsNotPinged', async () => {
  const ciso = await signedIn(server, 'ciso.bank1');
  const { webhook } = (await ciso.post(`/api/v1/organisations/${bankId}/webhooks`, { url: receiver.url('/hooks/paused'), events: ['incident.filed'] })).body;
  const base = `/api/v1/organisations/${bankId}/webhooks/${webhook.id}`;
  assert.equal((await ciso.patch(base, { active: false })).status, 428);
  assert.equal((await ciso.patch(base, { active: false }, { headers: { 'if-match': '"99"' } })).status, 412);
  const paused = await ciso.patch(base, { active: false, events: ['incident.*'] }, { headers: { 'if-match': `"${webhook.version}"` } });
  assert.equal(paused.status, 200);
  assert.equal(paused.body.active, false);
  assert.deepEqual(paused.body.events, ['incident.*']);
  assert.equal(paused.body.version, webhook.version + 1);
  assert.equal((await ciso.post(`${base}/ping`, undefined)).status, 409);
  assert.equal((await ciso.delete(base)).status, 204);
});

test('CreatingAndDeletingAWebhookIsAudited', async () => {
  const ciso = await signedIn(server, 'ciso.bank1');
  const { webhook } = (await ciso.post(`/api/v1/organisations/${bankId}/webhooks`, { url: receiver.url('/hooks/audited'), events: ['*'] })).body;
  assert.equal((await ciso.delete(`/api/v1/organisations/${bankId}/webhooks/${webhook.id}`)).status, 204);
  assert.equal((await ciso.get(`/api/v1/organisations/${bankId}/webhooks/${webhook.id}`)).status, 404);
  assert.equal((await ciso.delete(`/api/v1/organisations/${bankId}/webhooks/${webhook.id}`)).status, 404);
  const admin = await signedIn(server, 'cert.admin');
  const entries = (await admin.get('/api/v1/audit?limit=200')).body.items.filter((e) => e.resource_id === webhook.id);
  assert.deepEqual(entries.map((e) => e.action).sort(), ['webhook.create', 'webhook.delete']);
  assert.ok(entries.every((e) => e.actor === 'ciso.bank1'));
});

test('AnotherOrganisationsAdministratorCannotReachOurWebhooks', async () => {
  const ciso = await signedIn(server, 'ciso.bank1');
  const { webhook } = (await ciso.post(`/api/v1/organisations/${bankId}/webhooks`, { url: receiver.url('/hooks/private'), events: ['*'] })).body;
  const regulator = await signedIn(server, 'regulator.finance'); // administrator of the Central Bank
  assert.equal((await regulator.get(`/api/v1/organisations/${bankId}/webhooks`)).status, 403);
  assert.equal((await regulator.post(`/api/v1/organisations/${bankId}/webhooks/${webhook.id}/ping`, undefined)).status, 403);
  // Under the regulator's own organisation, our webhook's id names nothing.
  const centralBank = regulator.session.memberships[0].organisation.id;
  assert.equal((await regulator.get(`/api/v1/organisations/${centralBank}/webhooks/${webhook.id}`)).status, 404);
  assert.equal((await regulator.delete(`/api/v1/organisations/${centralBank}/webhooks/${webhook.id}`)).status, 404);
  const reporter = await signedIn(server, 'reporter.bank1'); // same bank, not an administrator
  assert.equal((await reporter.get(`/api/v1/organisations/${bankId}/webhooks`)).status, 403);
  assert.equal((await ciso.delete(`/api/v1/organisations/${bankId}/webhooks/${webhook.id}`)).status, 204);
});
