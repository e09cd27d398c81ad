// Risk analysis over HTTP: the demo's living registers, building an analysis (assets, ratings,
// inheritance, threats, vulnerabilities, scenarios, scoring, treatment, the action plan), bad
// input refused by name with nothing stored, who may read, write and accept, scale changes, and
// export and import (over the API and the command line), all or nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, signedIn, all, cli } from './lib.mjs';

let server;
let hcb;
let isb;
before(async () => {
  server = await startServer();
  const c = await signedIn(server, 'ciso.bank1');
  const orgs = await all(c, '/api/v1/organisations', 200);
  hcb = orgs.find((o) => o.short_name === 'HCB').id;
  isb = orgs.find((o) => o.short_name === 'ISB').id;
});
after(async () => { await server.stop(); });

const base = (org) => `/api/v1/organisations/${org}/risk`;
const fields = (res) => (res.body.errors ?? []).map((e) => e.field);

async function newAnalysis(c, body = {}) {
  const res = await c.post(`${base(hcb)}/analyses`, { name: 'Test analysis', ...body });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return `${base(hcb)}/analyses/${res.body.id}`;
}

async function counts(c, path) {
  return (await c.get(path)).body.counts;
}

test('EveryDemoOperatorHasALivingRegister', async () => {
  const c = await signedIn(server, 'ciso.bank1');
  const list = await c.get(`${base(hcb)}/analyses`);
  assert.equal(list.status, 200);
  const current = list.body.items.find((a) => a.current);
  assert.ok(current, 'a current analysis');
  assert.ok(current.counts.assets >= 24, `${current.counts.assets} assets`);
  assert.ok(current.counts.scenarios >= 200, `${current.counts.scenarios} scenarios`);
  const path = `${base(hcb)}/analyses/${current.id}`;
  const page = await c.get(`${path}/scenarios?limit=50`);
  assert.equal(page.body.items.length, 50);
  const risks = page.body.items.map((s) => s.current.risk ?? -1);
  assert.deepEqual(risks, [...risks].sort((a, b) => b - a));
  assert.ok(page.body.next_cursor);
  const next = await c.get(`${path}/scenarios?limit=50&cursor=${encodeURIComponent(page.body.next_cursor)}`);
  assert.ok((next.body.items[0].current.risk ?? -1) <= risks[49]);
  const heat = await c.get(`${path}/heatmap`);
  const total = heat.body.cells.reduce((n, cell) => n + cell.current, 0);
  assert.ok(total > 0 && total <= current.counts.scenarios);
  const classes = await c.get(`${path}/classification`);
  assert.equal(classes.body.classes.reduce((n, k) => n + k.count, 0), current.counts.assets);
  const top = await c.get(`${path}/top?limit=5`);
  assert.ok(top.body.availability.length > 0);
  const accepted = await c.get(`${path}/scenarios?treatment=accept&limit=200`);
  assert.ok(accepted.body.items.some((s) => s.acceptance && s.acceptance.stale), 'one stale acceptance');
  assert.ok(accepted.body.items.some((s) => s.acceptance && !s.acceptance.stale));
  const plan = await c.get(`${path}/recommendations`);
  assert.ok(plan.body.items.length >= 1);
});

test('TheRegisterFiltersByOwnerNameAndByHeatMapCell', async () => {
  const c = await signedIn(server, 'ciso.bank1');
  const current = (await c.get(`${base(hcb)}/analyses`)).body.items.find((a) => a.current);
  const path = `${base(hcb)}/analyses/${current.id}`;
  // Give one scenario to the CISO, then find it by part of the CISO's name, in another case.
  const s = (await c.get(`${path}/scenarios?limit=1&sort=risk`)).body.items[0];
  const owned = await c.patch(`${path}/scenarios/${s.id}`, { owner_id: c.session.user.id }, { headers: { 'if-match': `"${s.version}"` } });
  assert.equal(owned.status, 200, JSON.stringify(owned.body));
  const name = c.session.user.display_name;
  const part = name.slice(1, Math.max(2, name.length - 1)).toUpperCase();
  const byName = await c.get(`${path}/scenarios?limit=200&owner_name=${encodeURIComponent(part)}`);
  assert.equal(byName.status, 200);
  assert.ok(byName.body.items.some((x) => x.id === s.id));
  for (const x of byName.body.items) assert.equal(x.owner_id, c.session.user.id);
  const nobody = await c.get(`${path}/scenarios?owner_name=${encodeURIComponent('%no such person%')}`);
  assert.deepEqual(nobody.body.items, []);
  // Each cell of the heat map lists exactly as many scenarios as it counts.
  const heat = (await c.get(`${path}/heatmap`)).body;
  for (const cell of heat.cells.filter((x) => x.current > 0).slice(0, 4)) {
    const rows = await all(c, `${path}/scenarios?impact=${cell.impact}&likelihood=${cell.likelihood}`);
    assert.equal(rows.length, cell.current, `cell ${cell.impact}×${cell.likelihood}`);
  }
  const bad = await c.get(`${path}/scenarios?impact=high&likelihood=-1`);
  assert.equal(bad.status, 422);
  assert.deepEqual(fields(bad).sort(), ['impact', 'likelihood']);
});

test('ACisoBuildsAnAnalysisAndTheScoresFollowTheMethod', async () => {
  const c = await signedIn(server, 'ciso.bank1');
  const path = await newAnalysis(c);
  const payments = await c.post(`${path}/assets`, {
    name: 'Card payments', type: 'business_process',
    ratings: { confidentiality: { financial: 3, reputation: 2 }, availability: { operations: 4 } },
  });
  assert.equal(payments.status, 201, JSON.stringify(payments.body));
  assert.equal(payments.body.criticality, 4);
  assert.equal(payments.body.impact.confidentiality, 3);
  const server1 = await c.post(`${path}/assets`, { name: 'Switch server', type: 'hardware' });
  assert.equal(server1.body.criticality, null);
  // The process depends on the server: the server inherits.
  const linked = await c.patch(`${path}/assets/${payments.body.id}`, { depends_on: [server1.body.id] },
    { headers: { 'if-match': payments.headers.get('etag') } });
  assert.equal(linked.status, 200, JSON.stringify(linked.body));
  const inherited = await c.get(`${path}/assets/${server1.body.id}`);
  assert.equal(inherited.body.impact.availability, 4);
  assert.equal(inherited.body.criticality_source, 'inherited');

  const threat = await c.post(`${path}/threats`, { urn: 'urn:rampart:risk:threat:fire', likelihood: 2 });
  assert.equal(threat.status, 201, JSON.stringify(threat.body));
  assert.deepEqual(threat.body.criteria, { confidentiality: false, integrity: false, availability: true, authenticity: false });
  const vuln = await c.post(`${path}/vulnerabilities`, {
    urn: 'urn:rampart:risk:vulnerability:no-fire-detection-or-suppression', qualification: 4,
  });
  assert.equal(vuln.status, 201, JSON.stringify(vuln.body));
  const scenario = await c.post(`${path}/scenarios`, {
    asset_id: server1.body.id, threat_id: threat.body.id, vulnerability_id: vuln.body.id,
  });
  assert.equal(scenario.status, 201, JSON.stringify(scenario.body));
  assert.equal(scenario.body.current.risk, 32);  // availability 4 × likelihood 2 × vulnerability 4
  assert.equal(scenario.body.current.level, 'medium');
  const treated = await c.patch(`${path}/scenarios/${scenario.body.id}`,
    { treatment: 'reduce', reduction: 3, controls_in_place: 'Gas suppression', owner_id: c.session.user.id },
    { headers: { 'if-match': scenario.headers.get('etag') } });
  assert.equal(treated.status, 200, JSON.stringify(treated.body));
  assert.equal(treated.body.residual.risk, 8);  // 4 × 2 × (4 − 3)
  assert.equal(treated.body.residual.level, 'low');
  // The same version again is stale.
  const stale = await c.patch(`${path}/scenarios/${scenario.body.id}`, { reduction: 1 },
    { headers: { 'if-match': scenario.headers.get('etag') } });
  assert.equal(stale.status, 412);

  // A threat's likelihood changes every scenario that uses it.
  const likelier = await c.patch(`${path}/threats/${threat.body.id}`, { likelihood: 4 },
    { headers: { 'if-match': `"${threat.body.version}"` } });
  assert.equal(likelier.status, 200);
  assert.equal((await c.get(`${path}/scenarios/${scenario.body.id}`)).body.current.risk, 64);

  const suggested = await c.post(`${path}/scenarios/suggested`, { asset_ids: [server1.body.id] });
  assert.equal(suggested.status, 201);
  assert.ok(suggested.body.created > 0);
  const again = await c.post(`${path}/scenarios/suggested`, { asset_ids: [server1.body.id] });
  assert.equal(again.body.created, 0);
  assert.equal(again.body.skipped, suggested.body.created + (suggested.body.skipped ?? 0));

  const rec = await c.post(`${path}/recommendations`, {
    title: 'Install gas suppression in room B', importance: 3, scenario_id: scenario.body.id,
    responsible_id: c.session.user.id, due_at: '2027-03-31T00:00:00.000Z',
  });
  assert.equal(rec.status, 201, JSON.stringify(rec.body));
  const done = await c.patch(`${path}/recommendations/${rec.body.id}`, { status: 'in_progress' },
    { headers: { 'if-match': rec.headers.get('etag') } });
  assert.equal(done.body.status, 'in_progress');
  assert.equal(done.body.history.length, 2);
  const filtered = await c.get(`${path}/scenarios?asset=${server1.body.id}&treatment=reduce`);
  assert.deepEqual(filtered.body.items.map((s) => s.id), [scenario.body.id]);
});

test('BadInputIsRefusedByNameAndNothingIsStored', async () => {
  const c = await signedIn(server, 'ciso.bank1');
  const path = await newAnalysis(c);
  const before = await counts(c, path);
  const outside = await c.post(`${path}/assets`, {
    name: 'Ledger', type: 'information', ratings: { confidentiality: { reputation: 7 } },
  });
  assert.equal(outside.status, 422);
  assert.deepEqual(fields(outside), ['/ratings/confidentiality/reputation']);

  const a = (await c.post(`${path}/assets`, { name: 'A', type: 'software' })).body;
  const b = (await c.post(`${path}/assets`, { name: 'B', type: 'software', depends_on: [a.id] })).body;
  const cycle = await c.patch(`${path}/assets/${a.id}`, { depends_on: [b.id] }, { headers: { 'if-match': `"${a.version}"` } });
  assert.equal(cycle.status, 422);
  assert.match(cycle.body.errors[0].message, /cycle: A → B → A|cycle: B → A → B/);

  const noThreat = await c.post(`${path}/scenarios`, {
    asset_id: a.id, threat_urn: 'urn:rampart:risk:threat:no-such-thing',
    vulnerability_urn: 'urn:rampart:risk:vulnerability:no-fire-detection-or-suppression',
  });
  assert.equal(noThreat.status, 422);
  assert.ok(fields(noThreat).includes('/threat_urn'));

  // An asset of another organisation's analysis.
  const other = await signedIn(server, 'ciso.isb');
  const theirs = (await other.get(`${base(isb)}/analyses`)).body.items[0];
  const theirAsset = (await other.get(`${base(isb)}/analyses/${theirs.id}/assets?limit=1`)).body.items[0];
  const foreign = await c.post(`${path}/scenarios`, {
    asset_id: theirAsset.id, threat_urn: 'urn:rampart:risk:threat:fire',
    vulnerability_urn: 'urn:rampart:risk:vulnerability:no-fire-detection-or-suppression',
  });
  assert.equal(foreign.status, 422);
  assert.ok(fields(foreign).includes('/asset_id'));

  const badScale = await c.patch(path, { settings: { impact: { min: 3, max: 2 } } }, { headers: { 'if-match': '"1"' } });
  assert.equal(badScale.status, 422);
  assert.ok(fields(badScale).includes('/settings/impact/max'));

  const after = await counts(c, path);
  assert.deepEqual(after, { ...before, assets: 2 });
});

test('AnotherOrganisationIsRefusedAndItsIdsAreNotFound', async () => {
  const other = await signedIn(server, 'ciso.isb');
  assert.equal((await other.get(`${base(hcb)}/analyses`, { check: false })).status, 403);
  const mine = (await (await signedIn(server, 'ciso.bank1')).get(`${base(hcb)}/analyses`)).body.items[0];
  const res = await other.get(`${base(isb)}/analyses/${mine.id}`);
  assert.equal(res.status, 404);
  const admin = await signedIn(server, 'cert.admin');
  assert.equal((await admin.get(`${base(hcb)}/analyses`)).status, 403);
});

test('AViewerReadsButDoesNotWrite', async () => {
  const viewer = await signedIn(server, 'viewer.hcb');
  const list = await viewer.get(`${base(hcb)}/analyses`);
  assert.equal(list.status, 200);
  const path = `${base(hcb)}/analyses/${list.body.items[0].id}`;
  assert.equal((await viewer.get(`${path}/scenarios`)).status, 200);
  assert.equal((await viewer.post(`${path}/assets`, { name: 'X', type: 'site' })).status, 403);
  assert.equal((await viewer.post(`${base(hcb)}/analyses`, { name: 'Mine' })).status, 403);
});

test('ManagementAcceptsResidualRiskAndALaterChangeMakesItStale', async () => {
  const ciso = await signedIn(server, 'ciso.bank1');
  const mgmt = await signedIn(server, 'mgmt.bank1');
  const current = (await ciso.get(`${base(hcb)}/analyses`)).body.items.find((a) => a.current);
  const path = `${base(hcb)}/analyses/${current.id}`;
  const s = (await ciso.get(`${path}/scenarios?treatment=reduce&limit=1`)).body.items[0];
  assert.equal((await ciso.post(`${path}/scenarios/${s.id}/acceptances`, { note: 'ok' })).status, 403);
  const accepted = await mgmt.post(`${path}/scenarios/${s.id}/acceptances`, { note: 'Within appetite' });
  assert.equal(accepted.status, 201, JSON.stringify(accepted.body));
  assert.equal(accepted.body.acceptance.stale, false);
  assert.equal(accepted.body.acceptance.accepted_by, mgmt.session.user.id);
  assert.match(accepted.body.acceptance.digest, /^[0-9a-f]{64}$/);
  const changed = await ciso.patch(`${path}/scenarios/${s.id}`, { planned_controls: 'Something else' },
    { headers: { 'if-match': accepted.headers.get('etag') } });
  assert.equal(changed.status, 200);
  assert.equal(changed.body.acceptance.stale, true);
});

test('AScaleChangeRemapsStoredValuesAndRecomputes', async () => {
  const c = await signedIn(server, 'ciso.bank1');
  const path = await newAnalysis(c);
  const asset = (await c.post(`${path}/assets`, {
    name: 'Ledger', type: 'information', ratings: { integrity: { financial: 2 } },
  })).body;
  const s = await c.post(`${path}/scenarios`, {
    asset_id: asset.id, threat_urn: 'urn:rampart:risk:threat:fire',
    vulnerability_urn: 'urn:rampart:risk:vulnerability:no-fire-detection-or-suppression',
  });
  assert.equal(s.body.current.risk, null);  // fire affects availability only, not rated
  const analysis = await c.get(path);
  const res = await c.patch(path, { settings: { impact: { min: 1, max: 5 } } },
    { headers: { 'if-match': analysis.headers.get('etag') } });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.deepEqual([res.body.settings.impact.min, res.body.settings.impact.max], [1, 5]);
  // Thresholds keep their share of the largest risk: 20 / 80 and 50 / 80 of 100.
  assert.deepEqual(res.body.settings.thresholds, { low_max: 25, medium_max: 63 });
  const moved = await c.get(`${path}/assets/${asset.id}`);
  assert.equal(moved.body.ratings.integrity.financial, 3);  // 2 on 0–4 is 3 on 1–5
  assert.equal(moved.body.criticality, 3);
});

test('ExportAndImportOverTheApiAndTheCommandLineAreAllOrNothing', async () => {
  const c = await signedIn(server, 'ciso.bank1');
  const current = (await c.get(`${base(hcb)}/analyses`)).body.items.find((a) => a.current);
  const exported = await c.get(`${base(hcb)}/analyses/${current.id}/export`);
  assert.equal(exported.status, 200);
  const doc = exported.body;
  assert.equal(doc.format, 'rampart-risk-analysis');
  assert.equal(doc.scenarios.length, current.counts.scenarios);

  const before = (await c.get(`${base(hcb)}/analyses`)).body.items.length;
  const broken = structuredClone(doc);
  broken.scenarios[0].threat = 'no-such-threat';
  const refused = await c.post(`${base(hcb)}/imports`, broken);
  assert.equal(refused.status, 422);
  assert.ok(fields(refused).includes('/scenarios/0/threat'));
  const dup = structuredClone(doc);
  dup.threats.push({ ...dup.threats[0], id: 'copy' });
  assert.ok(fields(await c.post(`${base(hcb)}/imports`, dup)).includes(`/threats/${doc.threats.length}/urn`));
  assert.equal((await c.get(`${base(hcb)}/analyses`)).body.items.length, before);

  const imported = await c.post(`${base(hcb)}/imports`, doc);
  assert.equal(imported.status, 201, JSON.stringify(imported.body).slice(0, 500));
  assert.deepEqual(imported.body.counts, current.counts);
  const heat = async (id) => (await c.get(`${base(hcb)}/analyses/${id}/heatmap`)).body;
  assert.deepEqual(await heat(imported.body.id), await heat(current.id));

  const out = cli(['risk', 'export', '--org', 'HCB', '--analysis', current.id, '--db', server.db]);
  assert.equal(out.code, 0, out.stderr);
  assert.equal(JSON.parse(out.stdout).scenarios.length, current.counts.scenarios);
  const viewer = cli(['risk', 'import', '-', '--as', 'viewer.hcb', '--db', server.db], { input: out.stdout });
  assert.equal(viewer.code, 2);
  assert.match(viewer.stderr, /may not change/);
  const done = cli(['risk', 'import', '-', '--as', 'ciso.bank1', '--db', server.db], { input: out.stdout });
  assert.equal(done.code, 0, done.stderr);
  assert.match(done.stdout, /Imported analysis/);
  assert.equal((await c.get(`${base(hcb)}/analyses`)).body.items.length, before + 2);
});
