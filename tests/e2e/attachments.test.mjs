// Files attached to incident cases over HTTP: uploads whose type is read from the bytes, downloads
// that are never shown inline, visibility per party (the anonymised national CERT included), the
// size limit, refused programs, content stored once, and the audit log.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { startServer, signedIn, all, STORE } from './lib.mjs';

const LIMIT = 64 * 1024;  // a small limit, so that a test can go over it
let server;
before(async () => { server = await startServer({ env: { RAMPART_MAX_FILE_BYTES: String(LIMIT) } }); });
after(async () => { await server.stop(); });

const HOUR = 3600_000;
const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

let orgs;
async function orgId(shortName) {
  if (!orgs) orgs = await all(await signedIn(server, 'cert.admin'), '/api/v1/organisations', 200);
  const o = orgs.find((x) => x.short_name === shortName);
  assert.ok(o, `no organisation ${shortName}`);
  return o.id;
}

async function file(username, shortName, title) {
  const c = await signedIn(server, username);
  const res = await c.post(`/api/v1/organisations/${await orgId(shortName)}/incidents`, {
    title,
    aware_at: new Date(Date.now() - 2 * HOUR).toISOString(),
    suspected_malicious: 'yes',
    may_affect_others: false,
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return { client: c, incident: res.body };
}

// Uploads `bytes` as the browser does: the file as the body, the rest in the query string.
function upload(client, incidentId, bytes, { name, visibility, description, type = 'application/octet-stream' } = {}) {
  const q = new URLSearchParams();
  if (name !== undefined) q.set('name', name);
  if (visibility !== undefined) q.set('visibility', visibility);
  if (description !== undefined) q.set('description', description);
  return client.req('POST', `/api/v1/incidents/${incidentId}/attachments?${q}`, {
    body: bytes,
    headers: { 'content-type': type },
  });
}

// The download as bytes (the client's own request reads text).
async function download(client, url) {
  const res = await fetch(server.url + url, { headers: { cookie: client.cookie } });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

async function names(client, incidentId) {
  const res = await client.get(`/api/v1/incidents/${incidentId}/attachments`);
  if (res.status !== 200) return res.status;
  return res.body.items.map((a) => a.name).sort();
}

// Rows of the stored files with this digest, read from the database itself.
function storedCopies(digest) {
  const sql = `SELECT count(*) FROM files WHERE sha256 = '${digest}'`;
  const out = STORE === 'postgresql'
    ? execFileSync('psql', [server.db, '-tAc', sql], { encoding: 'utf8' })
    : execFileSync('sqlite3', [server.db.replace(/^sqlite:/, ''), sql], { encoding: 'utf8' });
  return Number(out.trim());
}

const LOG = Buffer.from('Nov 23 10:00:01 gw01 kernel: DROP IN=eth0 SRC=203.0.113.7 DPT=445\n'.repeat(20));
const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(300, 0x41), Buffer.from('\n%%EOF\n')]);
// A zip archive with one stored entry, as `zip -0` writes it.
function zipOf(name, content) {
  const header = Buffer.alloc(30);
  header.write('PK\x03\x04', 0, 'latin1');
  header.writeUInt16LE(20, 4);
  header.writeUInt32LE(content.length, 18);
  header.writeUInt32LE(content.length, 22);
  header.writeUInt16LE(name.length, 26);
  return Buffer.concat([header, Buffer.from(name), content]);
}

test('AReporterAttachesALogAndEveryPartyDownloadsTheSameBytesAsAFileToSave', async () => {
  const { client: reporter, incident } = await file('reporter.bank1', 'HCB', 'Ransomware on branch servers');
  const res = await upload(reporter, incident.id, LOG, {
    name: 'C:\\exports\\firewall 23.11.log', description: 'Firewall drops before the encryption', type: 'text/html',
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  const a = res.body;
  assert.equal(a.name, 'firewall 23.11.log', 'the last component of the name only');
  assert.equal(a.media_type, 'text/plain', 'read from the bytes, not from the Content-Type sent');
  assert.equal(a.size, LOG.length);
  assert.equal(a.sha256, sha256(LOG));
  assert.equal(a.visibility, 'all');
  assert.equal(a.description, 'Firewall drops before the encryption');
  assert.equal(a.organisation_name, 'Harbour Commercial Bank');
  assert.equal(res.headers.get('location'), `/api/v1/incidents/${incident.id}/attachments/${a.id}`);

  for (const who of ['reporter.bank1', 'regulator.finance', 'fincert.analyst', 'cert.analyst']) {
    const c = await signedIn(server, who);
    assert.deepEqual(await names(c, incident.id), ['firewall 23.11.log'], who);
    const one = await c.get(`/api/v1/incidents/${incident.id}/attachments/${a.id}`);
    assert.equal(one.status, 200, who);
    assert.equal(one.body.sha256, a.sha256);
    const got = await download(c, a.content_url);
    assert.equal(got.status, 200, who);
    assert.ok(got.bytes.equals(LOG), `${who} gets the bytes as uploaded`);
    assert.equal(sha256(got.bytes), a.sha256);
    assert.equal(got.headers.get('content-type'), 'application/octet-stream');
    assert.equal(got.headers.get('content-disposition'),
      `attachment; filename="firewall 23.11.log"; filename*=UTF-8''firewall%2023.11.log`);
    assert.equal(got.headers.get('x-content-type-options'), 'nosniff');
    assert.match(got.headers.get('content-security-policy'), /(^|; )sandbox($|;)/);
    assert.equal(got.headers.get('repr-digest'), `sha-256=:${createHash('sha256').update(LOG).digest('base64')}:`);
  }

  // The upload is on the timeline, for everyone who reads it.
  const seen = (await reporter.get(`/api/v1/incidents/${incident.id}`)).body.timeline;
  assert.ok(seen.some((e) => e.kind === 'attachment' && e.text.includes('firewall 23.11.log')));
});

test('AnOrganisationThatHoldsNoPartOfTheCaseFindsNoAttachment', async () => {
  const { client: reporter, incident } = await file('reporter.bank1', 'HCB', 'Phishing wave');
  const a = (await upload(reporter, incident.id, PDF, { name: 'notice.pdf' })).body;
  const outsider = await signedIn(server, 'ciso.isb');
  assert.equal((await outsider.get(`/api/v1/incidents/${incident.id}/attachments`)).status, 404);
  assert.equal((await outsider.get(`/api/v1/incidents/${incident.id}/attachments/${a.id}`)).status, 404);
  assert.equal((await download(outsider, a.content_url)).status, 404);
  assert.equal((await upload(outsider, incident.id, PDF, { name: 'x.pdf' })).status, 404);
  // Nor does another case's id reach it.
  const other = await file('reporter.bank1', 'HCB', 'Another case');
  assert.equal((await reporter.get(`/api/v1/incidents/${other.incident.id}/attachments/${a.id}`)).status, 404);
});

test('EachPartySeesTheAttachmentsOfTheVisibilityItReads', async () => {
  const { client: reporter, incident } = await file('reporter.bank1', 'HCB', 'Card skimming at ATMs');
  const regulator = await signedIn(server, 'regulator.finance');
  const sectorCert = await signedIn(server, 'fincert.analyst');
  const nationalCert = await signedIn(server, 'cert.analyst');
  assert.equal((await upload(reporter, incident.id, LOG, { name: 'atm.log' })).status, 201);
  const sample = zipOf('skimmer.bin', Buffer.from('MZ not really a program'));
  const certs = await upload(sectorCert, incident.id, sample, { name: 'sample.zip', visibility: 'certs' });
  assert.equal(certs.status, 201, JSON.stringify(certs.body));
  assert.equal(certs.body.media_type, 'application/zip');
  const authorities = await upload(regulator, incident.id, PDF, { name: 'supervision.pdf', visibility: 'authorities' });
  assert.equal(authorities.status, 201);
  assert.equal(authorities.body.media_type, 'application/pdf');

  assert.deepEqual(await names(reporter, incident.id), ['atm.log']);
  assert.deepEqual(await names(regulator, incident.id), ['atm.log', 'supervision.pdf']);
  assert.deepEqual(await names(sectorCert, incident.id), ['atm.log', 'sample.zip', 'supervision.pdf']);
  assert.deepEqual(await names(nationalCert, incident.id), ['atm.log', 'sample.zip', 'supervision.pdf']);
  // What one does not see does not exist for one, by any route.
  assert.equal((await reporter.get(`/api/v1/incidents/${incident.id}/attachments/${authorities.body.id}`)).status, 404);
  assert.equal((await download(reporter, authorities.body.content_url)).status, 404);
  assert.equal((await download(regulator, certs.body.content_url)).status, 404);
  const timeline = (await reporter.get(`/api/v1/incidents/${incident.id}`)).body.timeline;
  assert.ok(!timeline.some((e) => e.kind === 'attachment' && e.text.includes('supervision.pdf')));

  // Nobody shares with an audience that leaves themselves out.
  const narrow = await upload(reporter, incident.id, PDF, { name: 'x.pdf', visibility: 'certs' });
  assert.equal(narrow.status, 422);
  assert.equal(narrow.body.errors[0].field, 'visibility');
  const wrong = await upload(reporter, incident.id, PDF, { name: 'x.pdf', visibility: 'everyone' });
  assert.equal(wrong.status, 422);
  assert.equal(wrong.body.errors[0].field, 'visibility');
});

test('TheNationalCertHoldingACaseAnonymisedNeverSeesWhatTheReporterAttached', async () => {
  const { client: reporter, incident } = await file('reporter.vgh', 'VGH', 'Patient records encrypted');
  const hospitalLog = Buffer.from('Victoria General Hospital EHR server ehr01.vgh.example: files renamed *.lock\n');
  const own = await upload(reporter, incident.id, hospitalLog, { name: 'vgh-ehr01.log' });
  assert.equal(own.status, 201);
  const healthCert = await signedIn(server, 'analyst.healthcert');
  const shared = await upload(healthCert, incident.id, zipOf('note.txt', Buffer.from('hash list')), {
    name: 'iocs.zip', visibility: 'certs',
  });
  assert.equal(shared.status, 201);

  const nationalCert = await signedIn(server, 'cert.analyst');
  assert.equal((await nationalCert.get(`/api/v1/incidents/${incident.id}`)).body.organisation.anonymised, true);
  assert.deepEqual(await names(nationalCert, incident.id), ['iocs.zip']);
  assert.equal((await nationalCert.get(`/api/v1/incidents/${incident.id}/attachments/${own.body.id}`)).status, 404);
  assert.equal((await download(nationalCert, own.body.content_url)).status, 404);
  const listed = JSON.stringify((await nationalCert.get(`/api/v1/incidents/${incident.id}/attachments`)).body);
  assert.ok(!listed.includes('Victoria General Hospital') && !listed.includes(await orgId('VGH')));
  // The health regulator and the sector CERT hold the case in full.
  assert.deepEqual(await names(await signedIn(server, 'head.hsr'), incident.id), ['vgh-ehr01.log']);
  assert.deepEqual(await names(healthCert, incident.id), ['iocs.zip', 'vgh-ehr01.log']);
});

test('AFileOverTheLimitIsRefusedNamingTheBodyAndNothingIsStored', async () => {
  const { client: reporter, incident } = await file('reporter.bank1', 'HCB', 'Data exfiltration');
  const big = Buffer.alloc(LIMIT + 1, 0x61);
  const res = await upload(reporter, incident.id, big, { name: 'big.log' });
  assert.equal(res.status, 413);
  assert.equal(res.body.type, 'urn:rampart:problem:payload-too-large');
  assert.equal(res.body.errors[0].field, 'body');
  assert.match(res.body.errors[0].message, new RegExp(String(LIMIT)));
  assert.deepEqual(await names(reporter, incident.id), []);
  assert.equal(storedCopies(sha256(big)), 0);
  // At the limit exactly, it is kept.
  const fits = await upload(reporter, incident.id, Buffer.alloc(LIMIT, 0x61), { name: 'fits.log' });
  assert.equal(fits.status, 201);
  assert.equal(fits.body.size, LIMIT);
});

test('ProgramsAndScriptsAreRefusedWithAdviceToArchiveThem', async () => {
  const { client: reporter, incident } = await file('reporter.bank1', 'HCB', 'Malware on a teller workstation');
  const exe = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00', 'latin1'), Buffer.alloc(200)]);
  for (const [bytes, name] of [[exe, 'invoice.pdf'], [Buffer.from('Invoke-WebRequest http://x\n'), 'stage2.ps1'],
    [Buffer.from('<!DOCTYPE html><form action="https://phish.example">'), 'login.html']]) {
    const res = await upload(reporter, incident.id, bytes, { name });
    assert.equal(res.status, 422, name);
    assert.equal(res.body.errors[0].field, 'body');
    assert.match(res.body.errors[0].message, /archive/);
    assert.equal(storedCopies(sha256(bytes)), 0, name);
  }
  const empty = await upload(reporter, incident.id, Buffer.alloc(0), { name: 'empty.txt' });
  assert.equal(empty.status, 422);
  const nameless = await upload(reporter, incident.id, LOG, {});
  assert.equal(nameless.status, 422);
  assert.equal(nameless.body.errors[0].field, 'name');
  assert.deepEqual(await names(reporter, incident.id), []);
  // The same program in an archive is evidence like any other.
  const archived = await upload(reporter, incident.id, zipOf('invoice.exe', exe), { name: 'sample.zip' });
  assert.equal(archived.status, 201);
});

test('TheSameBytesUploadedTwiceAreStoredOnceAndBothUploadsAreAudited', async () => {
  const { client: reporter, incident } = await file('reporter.bank1', 'HCB', 'DDoS on online banking');
  const bytes = Buffer.from(`ip,first_seen\n198.51.100.${Date.now() % 250},2026-11-23T09:00:00Z\n`);
  const first = await upload(reporter, incident.id, bytes, { name: 'sources.csv' });
  const cert = await signedIn(server, 'fincert.analyst');
  const second = await upload(cert, incident.id, bytes, { name: 'same-sources.csv', visibility: 'certs' });
  assert.equal(first.status, 201);
  assert.equal(second.status, 201);
  assert.equal(first.body.media_type, 'text/csv');
  assert.notEqual(first.body.id, second.body.id);
  assert.equal(first.body.sha256, second.body.sha256);
  assert.equal(storedCopies(first.body.sha256), 1);

  const admin = await signedIn(server, 'cert.admin');
  const entries = (await admin.get('/api/v1/audit?limit=200')).body.items;
  for (const [a, who] of [[first.body, 'reporter.bank1'], [second.body, 'fincert.analyst']]) {
    const e = entries.find((x) => x.resource_id === a.id);
    assert.ok(e, `no audit entry for ${a.name}`);
    assert.equal(e.action, 'incident.attach');
    assert.equal(e.resource_type, 'incident_attachment');
    assert.equal(e.actor, who);
  }
});
