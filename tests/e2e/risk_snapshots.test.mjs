// Risk analysis snapshots and what they are for, over HTTP: a snapshot, a change, and the change
// shown since it; comparisons between snapshots; the management summary and its trend; export
// and re-import keeping the snapshots; the register as CSV and XLSX; and the opt-in statistics a
// sector's regulator and the national CERT read, with who is refused and what is withheld.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, signedIn, all } from './lib.mjs';

let server;
let hcb;
let isb;
let finance;
let energy;
before(async () => {
  server = await startServer();
  const c = await signedIn(server, 'ciso.bank1');
  const orgs = await all(c, '/api/v1/organisations', 200);
  hcb = orgs.find((o) => o.short_name === 'HCB').id;
  isb = orgs.find((o) => o.short_name === 'ISB').id;
  const sectors = await all(c, '/api/v1/sectors');
  finance = sectors.find((s) => s.slug === 'finance').id;
  energy = sectors.find((s) => s.slug === 'energy').id;
});
after(async () => { await server.stop(); });

const base = (org) => `/api/v1/organisations/${org}/risk`;
const fields = (res) => (res.body.errors ?? []).map((e) => e.field);

async function currentAnalysis(c, org = hcb) {
  const list = await c.get(`${base(org)}/analyses`);
  return `${base(org)}/analyses/${list.body.items.find((a) => a.current).id}`;
}

// A small analysis of its own, so that figures are exact: two assets, two scenarios.
async function smallAnalysis(c) {
  const res = await c.post(`${base(hcb)}/analyses`, { name: `Snapshots ${Date.now()}` });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  const p = `${base(hcb)}/analyses/${res.body.id}`;
  const payments = await c.post(`${p}/assets`, {
    name: 'Card payments', type: 'business_process',
    ratings: { confidentiality: { financial: 3, reputation: 2 }, availability: { operations: 4 } },
  });
  const fire = await c.post(`${p}/threats`, { urn: 'urn:rampart:risk:threat:fire', likelihood: 3 });
  assert.equal(fire.status, 201, JSON.stringify(fire.body));
  const theft = await c.post(`${p}/threats`, { urn: 'urn:rampart:risk:threat:equipment-theft', likelihood: 2 });
  const vuln = await c.post(`${p}/vulnerabilities`, {
    urn: 'urn:rampart:risk:vulnerability:no-fire-detection-or-suppression', qualification: 3,
  });
  assert.equal(vuln.status, 201, JSON.stringify(vuln.body));
  const scenarios = [];
  for (const t of [fire, theft]) {
    const s = await c.post(`${p}/scenarios`, {
      asset_id: payments.body.id, threat_id: t.body.id, vulnerability_id: vuln.body.id,
    });
    assert.equal(s.status, 201, JSON.stringify(s.body));
    scenarios.push(s.body);
  }
  return { path: p, scenarios };
}

test('ASnapshotThenAChangeShowsInTheChanges', async () => {
  const c = await signedIn(server, 'ciso.bank1');
  const { path: p, scenarios } = await smallAnalysis(c);
  const none = await c.get(`${p}/changes`);
  assert.equal(none.status, 404, 'no snapshot yet');
  assert.match(none.body.detail, /no snapshot/);

  const taken = await c.post(`${p}/snapshots`, { name: 'End of iteration 1', note: 'after the audit' });
  assert.equal(taken.status, 201, JSON.stringify(taken.body));
  assert.equal(taken.body.name, 'End of iteration 1');
  assert.equal(taken.body.counts.scenarios, 2);
  assert.equal(taken.body.counts.assets, 1);
  assert.equal(taken.body.taken_by.id, c.session.user.id);
  const sum = (t) => t.low + t.medium + t.high;
  assert.equal(sum(taken.body.counts.current), 2);

  const unchanged = await c.get(`${p}/changes`);
  assert.equal(unchanged.status, 200);
  assert.deepEqual(unchanged.body.to, { current: true });
  assert.equal(unchanged.body.from.id, taken.body.id);
  assert.deepEqual([unchanged.body.added, unchanged.body.removed, unchanged.body.changed], [[], [], []]);

  // Treat one scenario: its residual risk falls, and the change shows with before and after.
  const s = scenarios[0];
  const cur = await c.get(`${p}/scenarios/${s.id}`);
  const patched = await c.patch(`${p}/scenarios/${s.id}`, { treatment: 'reduce', reduction: 2 },
    { headers: { 'if-match': cur.headers.get('etag') } });
  assert.equal(patched.status, 200, JSON.stringify(patched.body));
  const changes = await c.get(`${p}/changes`);
  assert.equal(changes.body.changed.length, 1);
  const ch = changes.body.changed[0];
  assert.equal(ch.scenario_id, s.id);
  assert.equal(ch.asset.name, 'Card payments');
  assert.equal(ch.before.treatment, 'none');
  assert.equal(ch.after.treatment, 'reduce');
  assert.ok(ch.after.residual < ch.before.residual, JSON.stringify(ch));
  assert.equal(changes.body.truncated, false);
  assert.equal(changes.body.totals.changed, 1);

  // A second snapshot, then the two compared; the list is newest first.
  const second = await c.post(`${p}/snapshots`, { name: 'End of iteration 2' });
  assert.equal(second.status, 201);
  const list = await c.get(`${p}/snapshots`);
  assert.deepEqual(list.body.items.map((x) => x.name), ['End of iteration 2', 'End of iteration 1']);
  const cmp = await c.get(`${p}/snapshots/${taken.body.id}/compare/${second.body.id}`);
  assert.equal(cmp.status, 200);
  assert.equal(cmp.body.from.id, taken.body.id);
  assert.equal(cmp.body.to.id, second.body.id);
  assert.deepEqual(cmp.body.changed.map((x) => x.scenario_id), [s.id]);
  const since = await c.get(`${p}/changes?since=${taken.body.id}&limit=1`);
  assert.equal(since.body.changed.length, 1);

  // Delete the other scenario: removed since the first snapshot.
  const etag = (await c.get(`${p}/scenarios/${scenarios[1].id}`)).headers.get('etag');
  const del = await c.delete(`${p}/scenarios/${scenarios[1].id}`, { headers: { 'if-match': etag } });
  assert.equal(del.status, 204);
  const removed = await c.get(`${p}/changes?since=${taken.body.id}`);
  assert.deepEqual(removed.body.removed.map((x) => x.scenario_id), [scenarios[1].id]);
  assert.equal(removed.body.counts.from.current.low + removed.body.counts.from.current.medium
    + removed.body.counts.from.current.high, 2);

  // The frozen document is the analysis as it was: two scenarios, no earlier snapshots inside.
  const frozen = await c.get(`${p}/snapshots/${taken.body.id}/export`);
  assert.equal(frozen.status, 200);
  assert.match(frozen.headers.get('content-disposition'), /^attachment/);
  assert.equal(frozen.body.format, 'rampart-risk-analysis');
  assert.equal(frozen.body.scenarios.length, 2);
  assert.equal(frozen.body.snapshots, undefined);
  const one = await c.get(`${p}/snapshots/${second.body.id}`);
  assert.deepEqual(one.body, second.body);
});

test('BadSnapshotInputIsRefusedByNameAndStoresNothing', async () => {
  const c = await signedIn(server, 'ciso.bank1');
  const { path: p } = await smallAnalysis(c);
  for (const body of [{}, { name: '' }, { name: 'x'.repeat(201) }, { name: 'ok', colour: 'red' }]) {
    const res = await c.post(`${p}/snapshots`, body);
    assert.equal(res.status, 422, JSON.stringify(body));
    assert.ok(fields(res).includes(body.colour ? '/colour' : '/name'), JSON.stringify(res.body));
  }
  assert.equal((await c.get(`${p}/snapshots`)).body.items.length, 0);
  assert.deepEqual(fields(await c.get(`${p}/changes?since=yesterday`)), ['since']);
  assert.deepEqual(fields(await c.get(`${p}/changes?limit=0`)), ['limit']);
  assert.equal((await c.get(`${p}/changes?since=01a2a2a2-0000-7000-8000-000000000000`)).status, 404);
  assert.equal((await c.get(`${p}/snapshots/01a2a2a2-0000-7000-8000-000000000000`)).status, 404);
  // Reading is not writing: a viewer may not take a snapshot.
  const viewer = await signedIn(server, 'viewer.hcb');
  assert.equal((await viewer.post(`${p}/snapshots`, { name: 'mine' })).status, 403);
  assert.equal((await viewer.get(`${p}/snapshots`)).status, 200);
});

test('TheSummaryTellsManagementTheTopRisksAndTheirTrend', async () => {
  const c = await signedIn(server, 'ciso.bank1');
  const p = await currentAnalysis(c);
  const first = await c.get(`${p}/summary?top=5`);
  assert.equal(first.status, 200, JSON.stringify(first.body));
  assert.equal(first.body.organisation.id, hcb);
  assert.equal(first.body.top.length, 5);
  const currents = first.body.top.map((t) => t.current);
  assert.deepEqual(currents, [...currents].sort((a, b) => b - a));
  for (const t of first.body.top) {
    assert.ok(['low', 'medium', 'high'].includes(t.level));
    assert.ok(t.consequences.length > 0, JSON.stringify(t));
  }
  assert.ok(first.body.acceptances.stale >= 1, 'the demo has a stale acceptance');
  const taken = await c.post(`${p}/snapshots`, { name: 'Board meeting' });
  const after1 = await c.get(`${p}/summary?top=5`);
  assert.equal(after1.body.last_snapshot.id, taken.body.id);
  assert.ok(after1.body.top.every((t) => t.trend === 'same'), JSON.stringify(after1.body.top.map((t) => t.trend)));
  assert.deepEqual(fields(await c.get(`${p}/summary?top=0`)), ['top']);
  // Management reads it; someone of another bank does not.
  assert.equal((await (await signedIn(server, 'mgmt.bank1')).get(`${p}/summary`)).status, 200);
  assert.equal((await (await signedIn(server, 'ciso.isb')).get(`${p}/summary`)).status, 403);
});

test('ExportAndReimportKeepTheSnapshots', async () => {
  const c = await signedIn(server, 'ciso.bank1');
  const { path: p, scenarios } = await smallAnalysis(c);
  await c.post(`${p}/snapshots`, { name: 'Before' });
  const cur = await c.get(`${p}/scenarios/${scenarios[0].id}`);
  await c.patch(`${p}/scenarios/${scenarios[0].id}`, { treatment: 'accept' },
    { headers: { 'if-match': cur.headers.get('etag') } });
  await c.post(`${p}/snapshots`, { name: 'After', note: 'accepted one' });
  const sharing = await c.put(`${p}/sharing`, { share_statistics: true });
  assert.equal(sharing.status, 200);
  const doc = await c.get(`${p}/export`);
  assert.equal(doc.body.snapshots.length, 2);
  assert.equal(doc.body.analysis.share_statistics, true);
  const imported = await c.post(`${base(hcb)}/imports`, doc.body);
  assert.equal(imported.status, 201, JSON.stringify(imported.body));
  const q = `${base(hcb)}/analyses/${imported.body.id}`;
  assert.equal(imported.body.share_statistics, true);
  const list = (await c.get(`${q}/snapshots`)).body.items;
  assert.deepEqual(list.map((s) => [s.name, s.note]), [['After', 'accepted one'], ['Before', '']]);
  const original = (await c.get(`${p}/snapshots`)).body.items;
  assert.deepEqual(list.map((s) => s.taken_at), original.map((s) => s.taken_at));
  assert.deepEqual(list.map((s) => s.counts), original.map((s) => s.counts));
  // The imported snapshots match the imported scenarios: nothing changed since the latest, and
  // between the two the same one scenario changed.
  const since = await c.get(`${q}/changes`);
  assert.equal(since.body.totals.added + since.body.totals.removed + since.body.totals.changed, 0);
  const cmp = await c.get(`${q}/snapshots/${list[1].id}/compare/${list[0].id}`);
  assert.equal(cmp.body.changed.length, 1);
  assert.equal(cmp.body.changed[0].after.treatment, 'accept');
  // The round trip again gives the same snapshots.
  const again = await c.get(`${q}/export`);
  const strip = (s) => ({ name: s.name, note: s.note, taken_at: s.taken_at, rows: s.rows.length, scenarios: s.document.scenarios.length });
  assert.deepEqual(again.body.snapshots.map(strip), doc.body.snapshots.map(strip));
});

// RFC 4180, strictly: CRLF records, quoted fields with "" for a quote.
function parseCsv(text) {
  const records = [];
  let record = [];
  let field = '';
  let quoted = false;
  for (let k = 0; k < text.length; k++) {
    const ch = text[k];
    if (quoted) {
      if (ch === '"' && text[k + 1] === '"') { field += '"'; k++; } else if (ch === '"') quoted = false; else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { record.push(field); field = ''; }
    else if (ch === '\r') { assert.equal(text[k + 1], '\n'); record.push(field); records.push(record); record = []; field = ''; k++; }
    else { assert.notEqual(ch, '\n', 'bare LF'); field += ch; }
  }
  assert.equal(field + record.join(''), '', 'the last record ends with CRLF');
  return records;
}

test('TheRegisterExportsAsCsvAndXlsxWithTheListsFilters', async () => {
  const c = await signedIn(server, 'ciso.bank1');
  const p = await currentAnalysis(c);
  const high = await all(c, `${p}/scenarios?level=high`, 200);
  assert.ok(high.length > 0);
  const csv = await c.get(`${p}/register.csv?level=high`);
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type'), /^text\/csv/);
  assert.match(csv.headers.get('content-disposition'), /^attachment; filename=.*\.csv/);
  const records = parseCsv(csv.body);
  assert.equal(records[0][0], 'Scenario id');
  assert.equal(records.length, high.length + 1);
  assert.deepEqual(records.slice(1).map((r) => r[0]), high.map((s) => s.id));
  const level = records[0].indexOf('Current level');
  assert.ok(records.slice(1).every((r) => r[level] === 'high'));
  // A name that a spreadsheet would run as a formula comes out as text.
  const { path: q } = await smallAnalysis(c);
  const assets = (await c.get(`${q}/assets`)).body.items;
  const etag = (await c.get(`${q}/assets/${assets[0].id}`)).headers.get('etag');
  const renamed = await c.patch(`${q}/assets/${assets[0].id}`, { name: '=HYPERLINK("http://evil")' },
    { headers: { 'if-match': etag } });
  assert.equal(renamed.status, 200, JSON.stringify(renamed.body));
  const evil = parseCsv((await c.get(`${q}/register.csv`)).body);
  assert.equal(evil[1][1], '\'=HYPERLINK("http://evil")');
  assert.deepEqual(fields(await c.get(`${p}/register.csv?level=severe`)), ['level']);

  // The workbook: fetched as bytes, unzipped by Python's zipfile, one sheet row per scenario.
  const res = await fetch(server.url + `${p}/register.xlsx?level=high`, { headers: { cookie: c.cookie } });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-disposition'), /^attachment; filename=.*\.xlsx/);
  const bytes = Buffer.from(await res.arrayBuffer());
  assert.equal(bytes.subarray(0, 4).toString('binary'), 'PK\x03\x04');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rampart-xlsx-'));
  try {
    const file = path.join(dir, 'register.xlsx');
    writeFileSync(file, bytes);
    const listing = execFileSync('python3', ['-m', 'zipfile', '-l', file], { encoding: 'utf8' });
    assert.match(listing, /xl\/worksheets\/sheet1\.xml/);
    const sheet = execFileSync('python3', ['-c',
      'import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read("xl/worksheets/sheet1.xml").decode())', file],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    assert.equal((sheet.match(/<row /g) ?? []).length, high.length + 1);
    assert.match(sheet, /<pane [^>]*ySplit="1"[^>]*state="frozen"/);
    assert.match(sheet, /<autoFilter ref="A1:Q\d+"/);
    assert.ok(sheet.includes(high[0].id), 'the first scenario is in the sheet');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('StatisticsAreSharedOnlyByOptInAndOnlyWithTheRightReaders', async () => {
  const ciso = await signedIn(server, 'ciso.bank1');
  const cert = await signedIn(server, 'cert.analyst');
  const regulator = await signedIn(server, 'regulator.finance');
  const url = (s) => `/api/v1/risk/statistics?sector=${s}`;
  const financeOf = async (c) => (await c.get(url(finance))).body.sectors[0];

  // Refusals: an operator, a regulator of another sector, a regulator asking for every sector.
  assert.equal((await ciso.get(url(finance))).status, 403);
  assert.equal((await (await signedIn(server, 'head.ura')).get(url(finance))).status, 403);
  assert.equal((await regulator.get('/api/v1/risk/statistics')).status, 403);
  assert.equal((await regulator.get(url(energy))).status, 403);
  assert.deepEqual(fields(await cert.get('/api/v1/risk/statistics?sector=finance')), ['sector']);
  assert.equal((await cert.get(url('01a2a2a2-0000-7000-8000-000000000000'))).status, 404);

  // Nobody opted in: nothing counts.
  const before = await financeOf(cert);
  const optedBefore = before.organisations;

  // HCB opts in its current analysis; ISB does not.
  const p = await currentAnalysis(ciso);
  const off = await ciso.get(`${p}/sharing`);
  assert.equal(off.body.share_statistics, false);
  const on = await ciso.put(`${p}/sharing`, { share_statistics: true });
  assert.equal(on.status, 200);
  assert.deepEqual([on.body.share_statistics, on.body.counted], [true, true]);
  assert.deepEqual(fields(await ciso.put(`${p}/sharing`, { share_statistics: 'yes' })), ['/share_statistics']);
  const isbCiso = await signedIn(server, 'ciso.isb');
  const isbPath = await currentAnalysis(isbCiso, isb);
  assert.equal((await isbCiso.get(`${isbPath}/sharing`)).body.share_statistics, false);

  const all1 = await cert.get('/api/v1/risk/statistics');
  assert.equal(all1.status, 200);
  assert.equal(all1.body.suppression, false);
  const fin = all1.body.sectors.find((s) => s.sector.id === finance);
  assert.equal(fin.organisations, optedBefore + 1, 'HCB counts, ISB does not');
  assert.equal(fin.suppressed, false);
  const hcbScenarios = (await ciso.get(p)).body.counts.scenarios;
  const total = fin.current.low + fin.current.medium + fin.current.high;
  assert.ok(total > 0 && total <= hcbScenarios * fin.organisations);
  assert.ok(fin.threats.length > 0);
  for (const t of [...fin.threats, ...fin.vulnerabilities]) {
    assert.match(t.urn, /^urn:rampart:risk:(threat|vulnerability):/, 'catalogue URNs only');
  }
  const text = JSON.stringify(all1.body);
  assert.ok(!text.includes('Harbour') && !text.includes(hcb), 'no organisation named');

  // The regulator sees its sector, with too few organisations to show anything.
  const seen = await regulator.get(url(finance));
  assert.equal(seen.status, 200);
  assert.equal(seen.body.suppression, true);
  assert.equal(seen.body.sectors.length, 1);
  assert.equal(seen.body.sectors[0].suppressed, true);
  assert.equal(seen.body.sectors[0].current, null);
  assert.equal(seen.body.sectors[0].organisations, null);

  // Opting out again takes HCB's figures away.
  await ciso.put(`${p}/sharing`, { share_statistics: false });
  assert.equal((await financeOf(cert)).organisations, optedBefore);
});
