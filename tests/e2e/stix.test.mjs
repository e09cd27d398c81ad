// `rampart stix import|export` against a running server's database: an import is all or
// nothing and names the object, id and property at fault; a label stricter than the import's is
// refused; AMBER reaches its named recipients only; a large bundle is streamed; what was imported
// is served through TAXII; the export is a bundle with the official TLP 2.0 marking definitions.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, createWriteStream } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { startServer, signedIn, cli, Client, DEMO_PASSWORD, cleanupDir } from './lib.mjs';

const TAXII = 'application/taxii+json;version=2.1';
const NATIONAL = '5f0e3c1a-7b2d-4e8f-9a61-3c2d1b0a9e77';
const AMBER = 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421';

let server;
let dir;
let bank;
let isb;

async function tokenClient(username) {
  const c = await signedIn(server, username);
  const res = await c.post('/api/v1/tokens', { name: 'stix', expires_in_days: 30, password: DEMO_PASSWORD });
  const t = new Client(server.url);
  t.token = res.body.secret;
  return t;
}

function uuid(prefix, n) {
  return `${prefix}-0000-4000-8000-${String(n).padStart(12, '0')}`;
}

function indicator(prefix, n, extra = {}) {
  return {
    type: 'indicator', spec_version: '2.1', id: `indicator--${uuid(prefix, n)}`,
    created: '2026-01-01T00:00:00.000Z', modified: '2026-01-01T00:00:00.000Z',
    pattern: `[domain-name:value = 'host${n}.example']`, pattern_type: 'stix',
    valid_from: '2026-01-01T00:00:00Z', ...extra,
  };
}

function bundleFile(name, objects) {
  const p = path.join(dir, name);
  writeFileSync(p, JSON.stringify({ type: 'bundle', id: 'bundle--5d0092c5-5f74-4287-9642-33f4c354e56d', objects }, null, 1));
  return p;
}

function stix(args) {
  return cli(['stix', ...args, '--db', server.db]);
}

async function idsIn(client, collection, prefix) {
  const res = await client.get(`/taxii2/api/collections/${collection}/manifest/?limit=5000`, { headers: { accept: TAXII } });
  assert.equal(res.status, 200);
  return res.body.objects.map((o) => o.id).filter((id) => id.includes(prefix));
}

before(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'rampart-stix-'));
  server = await startServer();
  bank = await tokenClient('ciso.bank1');
  isb = await tokenClient('ciso.isb');
});
after(async () => {
  await server?.stop();
  cleanupDir(dir);
});

test('AnImportedBundleIsServedThroughTaxii', async () => {
  const file = bundleFile('green.json', [indicator('aaaaaaaa', 1), indicator('aaaaaaaa', 2, { x_feed_score: 80 })]);
  const res = stix(['import', file, '--org', 'NatCERT', '--tlp', 'TLP:GREEN']);
  assert.equal(res.code, 0, res.stderr);
  assert.deepEqual(await idsIn(bank, NATIONAL, 'aaaaaaaa'), [1, 2].map((n) => `indicator--${uuid('aaaaaaaa', n)}`));
  const one = await bank.get(`/taxii2/api/collections/${NATIONAL}/objects/indicator--${uuid('aaaaaaaa', 2)}/`, { headers: { accept: TAXII } });
  assert.equal(one.body.objects[0].x_feed_score, 80);
  // The same bundle again changes nothing.
  assert.equal(stix(['import', file, '--org', 'NatCERT', '--tlp', 'green']).code, 0);
  assert.equal((await idsIn(bank, NATIONAL, 'aaaaaaaa')).length, 2);
});

test('AnInvalidObjectStopsTheImportAndNothingIsStored', async () => {
  const file = bundleFile('bad.json', [
    indicator('bbbbbbbb', 1),
    indicator('bbbbbbbb', 2, { valid_from: '2026-01-01T00:00:00+02:00' }),
    indicator('bbbbbbbb', 3),
  ]);
  const res = stix(['import', file, '--org', 'NatCERT', '--tlp', 'green']);
  assert.equal(res.code, 2);
  assert.match(res.stderr, /nothing imported/);
  assert.match(res.stderr, /objects\[1\] \(indicator--bbbbbbbb-0000-4000-8000-000000000002\): 'valid_from'/);
  assert.deepEqual(await idsIn(bank, NATIONAL, 'bbbbbbbb'), []);
  const wrongId = bundleFile('id.json', [{ ...indicator('bbbbbbbb', 4), id: 'indicator--not-a-uuid' }]);
  assert.match(stix(['import', wrongId, '--org', 'NatCERT', '--tlp', 'green']).stderr, /objects\[0\]: 'id' must be "indicator--<uuid>"/);
  const missing = { ...indicator('bbbbbbbb', 5) };
  delete missing.pattern;
  assert.match(stix(['import', bundleFile('missing.json', [missing]), '--org', 'NatCERT', '--tlp', 'green']).stderr, /'pattern' is missing/);
  const notBundle = path.join(dir, 'report.json');
  writeFileSync(notBundle, '{"type": "report", "objects": []}');
  assert.match(stix(['import', notBundle, '--org', 'NatCERT', '--tlp', 'green']).stderr, /not a STIX bundle/);
});

test('AnObjectMarkedStricterThanTheImportIsRefused', async () => {
  const file = bundleFile('amber.json', [indicator('cccccccc', 1, { object_marking_refs: [AMBER] })]);
  const res = stix(['import', file, '--org', 'NatCERT', '--tlp', 'green']);
  assert.equal(res.code, 2);
  assert.match(res.stderr, /'object_marking_refs' marks the object TLP:AMBER, stricter than the import's TLP:GREEN/);
});

test('AnAmberImportReachesItsNamedRecipientsOnly', async () => {
  const file = bundleFile('amber-ok.json', [indicator('dddddddd', 1, { object_marking_refs: [AMBER] })]);
  assert.equal(stix(['import', file, '--org', 'NatCERT', '--tlp', 'amber']).code, 2, 'AMBER needs recipients');
  const res = stix(['import', file, '--org', 'NatCERT', '--tlp', 'amber', '--recipient', 'HCB']);
  assert.equal(res.code, 0, res.stderr);
  assert.equal((await idsIn(bank, NATIONAL, 'dddddddd')).length, 1);
  assert.equal((await idsIn(isb, NATIONAL, 'dddddddd')).length, 0);
});

test('OnlyACertOfTheCommunityImports', async () => {
  const file = bundleFile('who.json', [indicator('eeeeeeee', 1)]);
  assert.match(stix(['import', file, '--org', 'HCB', '--tlp', 'green']).stderr, /only a CERT/);
  assert.match(stix(['import', file, '--org', 'Nobody', '--tlp', 'green']).stderr, /no organisation/);
  assert.equal(stix(['import', file, '--org', 'NatCERT', '--tlp', 'white']).code, 2);
});

test('ALargeBundleIsStreamed', async () => {
  const p = path.join(dir, 'large.json');
  const out = createWriteStream(p);
  out.write('{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[');
  const n = 20000;
  for (let i = 0; i < n; i++) {
    if (!out.write((i ? ',' : '') + JSON.stringify(indicator('ffffffff', i)))) await once(out, 'drain');
  }
  out.end(']}');
  await once(out, 'finish');
  const res = stix(['import', p, '--org', 'NatCERT', '--tlp', 'clear']);
  assert.equal(res.code, 0, res.stderr);
  let count = 0;
  let next = '';
  for (;;) {
    const page = await bank.get(`/taxii2/api/collections/${NATIONAL}/manifest/?limit=5000&match[type]=indicator${next}`, { headers: { accept: TAXII } });
    count += page.body.objects.filter((o) => o.id.includes('ffffffff')).length;
    if (!page.body.more) break;
    next = '&next=' + encodeURIComponent(page.body.next);
  }
  assert.equal(count, n);
});

test('TheExportIsABundleWithTheOfficialMarkingDefinitions', () => {
  const res = stix(['export', '--org', 'NatCERT']);
  assert.equal(res.code, 0, res.stderr);
  const bundle = JSON.parse(res.stdout);
  assert.equal(bundle.type, 'bundle');
  const markings = bundle.objects.filter((o) => o.type === 'marking-definition');
  assert.ok(markings.length >= 1);
  for (const m of markings) {
    assert.match(m.name, /^TLP:(CLEAR|GREEN|AMBER|AMBER\+STRICT|RED)$/);
    assert.equal(m.created, '2022-10-01T00:00:00.000Z');
  }
  const report = bundle.objects.find((o) => o.type === 'report');
  assert.ok(report.object_refs.length > 0);
  for (const ref of report.object_refs) {
    assert.ok(bundle.objects.some((o) => o.id === ref), `${ref} is in the bundle`);
  }
  assert.ok(bundle.objects.some((o) => o.type === 'indicator' && o.pattern.startsWith('[')));
});
