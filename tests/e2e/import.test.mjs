// `rampart incident import`: a regulator's history loaded from JSON lines and CSV into a running
// server's database, all or nothing, and read back over HTTP like cases filed through the API.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, signedIn, cli, all, cleanupDir } from './lib.mjs';

let server;
let dir;
before(async () => {
  server = await startServer();
  dir = mkdtempSync(path.join(os.tmpdir(), 'rampart-import-'));
});
after(async () => {
  await server.stop();
  cleanupDir(dir);
});

const DAY = 86_400_000;
const iso = (ms) => new Date(ms).toISOString();
const t0 = Date.now() - 40 * DAY;

function file(name, text) {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
}

function importFile(p, ...extra) {
  return cli(['incident', 'import', p, '--as', 'regulator.finance', '--db', server.db, ...extra]);
}

async function imported(client, marker) {
  return all(client, `/api/v1/incidents?q=${encodeURIComponent(marker)}`);
}

test('ImportsJsonLinesAndCsvAndTheCertReadsThemLikeFiledCases', async () => {
  const jsonl = [
    {
      organisation: 'HCB', title: 'Ledger batch failed (imported J1)', aware_at: iso(t0),
      reported_at: iso(t0 + 3_600_000), suspected_malicious: 'no', may_affect_others: false,
    },
    {
      organisation: 'Island Savings Bank', title: 'Phishing wave (imported J2)', summary: 'Staff, "many"',
      aware_at: iso(t0 + DAY), reported_at: iso(t0 + DAY + 7_200_000), suspected_malicious: 'yes',
      may_affect_others: true, rsit_class: 'fraud', rsit_type: 'phishing', users_affected: 40,
      root_cause: 'malicious_action', resolved_at: iso(t0 + 5 * DAY), state: 'closed',
      observables: [{ type: 'domain', value: 'login-isb[.]example', tlp: 'TLP:GREEN', pap: 'PAP:GREEN' }],
    },
  ].map((r) => JSON.stringify(r)).join('\n') + '\n';
  const ok = importFile(file('history.jsonl', jsonl));
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /^Imported 2 incidents in [0-9.]+ s/);

  const csv = 'organisation,sector,title,summary,aware_at,suspected_malicious,may_affect_others,rsit_class,rsit_type,observables\r\n'
    + `NPS,,Switch outage (imported C1),"Terminals declined,\nthen recovered",${iso(t0 + 2 * DAY)},unknown,false,availability,outage,ipv4:203.0.113.77\r\n`;
  const okCsv = importFile(file('history.csv', csv));
  assert.equal(okCsv.code, 0, okCsv.stderr);
  assert.match(okCsv.stdout, /^Imported 1 incidents/);

  const cert = await signedIn(server, 'cert.analyst');
  const listed = await imported(cert, '(imported');
  assert.deepEqual(listed.map((i) => i.title).sort(),
    ['Ledger batch failed (imported J1)', 'Phishing wave (imported J2)', 'Switch outage (imported C1)']);
  for (const item of listed) assert.match(item.reference, /^INC-\d{4}-\d{6}$/);

  const j2 = listed.find((i) => i.title.includes('J2'));
  const detail = await cert.get(`/api/v1/incidents/${j2.id}`);
  assert.equal(detail.status, 200);
  const c = detail.body;
  assert.equal(c.state, 'closed');
  assert.equal(c.rsit_type, 'phishing');
  assert.equal(c.root_cause, 'malicious_action');
  assert.equal(c.summary, 'Staff, "many"');
  assert.equal(c.early_warning_at, iso(t0 + DAY + 7_200_000));
  assert.equal(c.resolved_at, iso(t0 + 5 * DAY));
  assert.deepEqual(c.reports.map((r) => r.stage), ['early_warning', 'notification', 'final']);
  assert.deepEqual(c.observables.map((o) => o.value), ['login-isb.example']);
  assert.ok(c.parties.some((p) => p.relation === 'sector_cert'), JSON.stringify(c.parties));
  assert.ok(c.timeline.some((e) => e.kind === 'filed'));

  const c1 = listed.find((i) => i.title.includes('C1'));
  const switchCase = (await cert.get(`/api/v1/incidents/${c1.id}`)).body;
  assert.equal(switchCase.summary, 'Terminals declined,\nthen recovered');
  assert.equal(switchCase.state, 'submitted');
  assert.equal(switchCase.rsit_class, 'availability');

  // The reporting organisation sees its own imported case too.
  const bank = await signedIn(server, 'reporter.bank1');
  assert.deepEqual((await imported(bank, '(imported')).map((i) => i.title), ['Ledger batch failed (imported J1)']);
});

test('ABadFileListsEveryBadLineAndChangesNothing', async () => {
  const cert = await signedIn(server, 'cert.analyst');
  const before = (await all(cert, '/api/v1/incidents')).length;
  const lines = [
    JSON.stringify({ organisation: 'HCB', title: 'Good one (bad file)', aware_at: iso(t0), suspected_malicious: 'no', may_affect_others: false }),
    JSON.stringify({ organisation: 'No Such Bank', title: 'Unknown (bad file)', aware_at: iso(t0), suspected_malicious: 'no', may_affect_others: false }),
    '{"organisation": "HCB", oops',
    JSON.stringify({ organisation: 'HCB', title: 'Future (bad file)', aware_at: iso(Date.now() + 10 * DAY), suspected_malicious: 'perhaps', may_affect_others: false, colour: 'red' }),
  ];
  const p = file('bad.jsonl', lines.join('\n') + '\n');
  const res = importFile(p);
  assert.equal(res.code, 2);
  assert.equal(res.stdout, '');
  assert.match(res.stderr, new RegExp(`^${p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2: organisation: no organisation`, 'm'));
  assert.ok(res.stderr.includes(`${p}:3: record: is not valid JSON`), res.stderr);
  assert.ok(res.stderr.includes(`${p}:4: colour: is not a field of an imported incident`), res.stderr);
  assert.ok(res.stderr.includes(`${p}:4: aware_at: must not be in the future`), res.stderr);
  assert.ok(res.stderr.includes(`${p}:4: suspected_malicious: must be one of yes, no, unknown`), res.stderr);
  assert.ok(!res.stderr.includes(`${p}:1:`), res.stderr);
  assert.match(res.stderr, /nothing was imported/);
  assert.equal((await all(cert, '/api/v1/incidents')).length, before);
  assert.deepEqual(await imported(cert, '(bad file)'), []);

  // CSV: an unknown column and an unterminated quote are named with their lines.
  const badCsv = importFile(file('bad.csv', 'organisation,title,mood\nHCB,"never closed\n'));
  assert.equal(badCsv.code, 2);
  assert.ok(badCsv.stderr.includes(':1: mood: is not a column of an imported incident'), badCsv.stderr);
  assert.ok(badCsv.stderr.includes(':2: record: unterminated quoted field'), badCsv.stderr);

  // The account must exist.
  const nobody = cli(['incident', 'import', p, '--as', 'no.one', '--db', server.db]);
  assert.equal(nobody.code, 2);
  assert.match(nobody.stderr, /no active account/);
});

test('ReadsStandardInputWithAnExplicitFormat', async () => {
  const line = JSON.stringify({ organisation: 'HCB', title: 'From stdin (imported S1)', aware_at: iso(t0), suspected_malicious: 'no', may_affect_others: false });
  const res = cli(['incident', 'import', '-', '--format', 'jsonl', '--as', 'regulator.finance', '--db', server.db], { input: line });
  assert.equal(res.code, 0, res.stderr);
  const noFormat = cli(['incident', 'import', '-', '--as', 'regulator.finance', '--db', server.db], { input: line });
  assert.equal(noFormat.code, 2);
});
