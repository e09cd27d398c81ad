// The ISMS cycle over HTTP on the demo country: the cycle board, scope versions, findings linked to
// the organisation's own controls only, actions that cannot be due before they exist, management
// reviews chaired and signed by management only, automated results posted with an API token
// (idempotent by run, unknown controls refused), certification that expires, the obligations
// register, and who may read an organisation's posture.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, signedIn, all, Client, DEMO_PASSWORD } from './lib.mjs';

let server;
let orgs;
before(async () => {
  server = await startServer();
  orgs = await all(await signedIn(server, 'cert.admin'), '/api/v1/organisations', 200);
});
after(async () => { await server.stop(); });

const org = (short) => orgs.find((o) => o.short_name === short).id;
const base = (short) => `/api/v1/organisations/${org(short)}/isms`;
const DAY = 24 * 3600 * 1000;
const iso = (ms) => new Date(ms).toISOString();

async function personId(client, short, username) {
  const people = await all(client, `/api/v1/organisations/${org(short)}/people`);
  return people.find((p) => p.user.username === username).user.id;
}

test('TheDemoBoardShowsEveryStageWhatIsOverdueAndTheSectorAverage', async () => {
  const c = await signedIn(server, 'ciso.hcb');
  const board = await c.get(`${base('HCB')}/cycle`);
  assert.equal(board.status, 200);
  const b = board.body;
  assert.ok(b.design.scope, 'the demo recorded a scope');
  assert.ok(b.implementation.figures.applicable > 0);
  assert.notEqual(b.implementation.figures.weighted_share, null);
  assert.equal(b.stage, 'improvement');
  const kinds = Object.fromEntries(b.evaluation.kinds.map((k) => [k.kind, k]));
  assert.equal(kinds.internal_audit.done, 1);
  assert.equal(kinds.management_review.done, 1);
  assert.ok(b.evaluation.automated.last_run_id.startsWith('nightly-'));
  assert.ok(b.evaluation.automated.fail > 0);
  // Eight finance operators have an SoA: the sector's average is shown.
  const finance = b.evaluation.comparison.find((s) => s.sector_name === 'Finance');
  assert.equal(finance.withheld, false);
  assert.ok(finance.organisations >= 5);
  assert.equal(typeof finance.average_weighted_share, 'number');
  assert.ok(b.overdue.some((o) => o.type === 'action' && o.days_late >= 1), 'an action is overdue');
  assert.ok(b.improvement.overdue_actions >= 1);
  const overdue = await c.get(`${base('HCB')}/actions?overdue=true`);
  assert.equal(overdue.body.items.length, b.improvement.overdue_actions);
  assert.ok(overdue.body.items.every((a) => a.overdue));
});

test('TheScopeIsVersionedAndAStaleWriterIsRefused', async () => {
  const c = await signedIn(server, 'ciso.ccb');
  const now = await c.get(`${base('CCB')}/scope`);
  assert.equal(now.status, 200);
  const v = now.body.current.version;
  const body = { statement: 'Payments and card services only.', interested_parties: [{ name: 'Card schemes', expectations: 'PCI rules' }], boundaries: 'Data centre A' };
  assert.equal((await c.put(`${base('CCB')}/scope`, body)).status, 428);
  const stale = await c.put(`${base('CCB')}/scope`, body, { headers: { 'if-match': `"${v + 5}"` } });
  assert.equal(stale.status, 412);
  const ok = await c.put(`${base('CCB')}/scope`, body, { headers: { 'if-match': `"${v}"` } });
  assert.equal(ok.status, 200);
  assert.equal(ok.body.current.version, v + 1);
  assert.equal(ok.body.current.statement, body.statement);
  assert.equal(ok.body.history.length, v + 1);
  const bad = await c.put(`${base('CCB')}/scope`, { statement: '', interested_parties: [{ expectations: 'x' }] }, { headers: { 'if-match': `"${v + 1}"` } });
  assert.equal(bad.status, 422);
  const fields = bad.body.errors.map((e) => e.field);
  assert.ok(fields.includes('/statement'));
  assert.ok(fields.includes('/interested_parties/0/name'));
});

test('AFindingLinkedToAControlOutsideTheSoaIsRefusedAndNothingStored', async () => {
  const c = await signedIn(server, 'auditor.hcb');
  const before = (await c.get(`${base('HCB')}/findings`)).body.items.length;
  const bad = await c.post(`${base('HCB')}/findings`, {
    title: 'Weak crypto', severity: 'high',
    controls: [{ framework_ref: 'iso27001-2022', requirement_id: 'A.99.1' }],
    policy_sections: ['urn:rampart:framework:policy11:99.9'],
  });
  assert.equal(bad.status, 422);
  const fields = bad.body.errors.map((e) => e.field);
  assert.ok(fields.includes('/controls/0/requirement_id'), JSON.stringify(bad.body.errors));
  assert.ok(fields.includes('/policy_sections'));
  const noSoa = await c.post(`${base('HCB')}/findings`, { title: 'x', severity: 'low', controls: [{ framework_ref: 'nist-csf-2.0', requirement_id: 'GV.OC-01' }] });
  assert.equal(noSoa.status, 422);
  assert.equal(noSoa.body.errors[0].field, '/controls/0/framework_ref');
  assert.equal((await c.get(`${base('HCB')}/findings`)).body.items.length, before);

  const good = await c.post(`${base('HCB')}/findings`, {
    title: 'Weak ciphers on the payment gateway', severity: 'high',
    controls: [{ framework_ref: 'iso27001-2022', requirement_id: 'A.8.24' }],
    policy_sections: ['urn:rampart:framework:policy11:8.1'],
  });
  assert.equal(good.status, 201);
  assert.deepEqual(good.body.links.map((l) => l.kind).sort(), ['control', 'policy']);
  assert.match(good.body.links.find((l) => l.kind === 'control').label, /^A\.8\.24 /);
});

test('AnActionDueBeforeItsCreationIsRefusedAndChangesKeepTheirHistory', async () => {
  const c = await signedIn(server, 'ciso.hcb');
  const finding = (await c.get(`${base('HCB')}/findings?severity=high`)).body.items[0];
  const count = async () => (await c.get(`${base('HCB')}/actions`)).body.items.length;
  const before = await count();
  const late = await c.post(`${base('HCB')}/actions`, { level: 'tools', title: 'Buy a scanner', due_at: iso(Date.now() - 3 * DAY) });
  assert.equal(late.status, 422);
  assert.equal(late.body.errors[0].field, '/due_at');
  const unknown = await c.post(`${base('HCB')}/actions`, { level: 'gadgets', title: 'x', due_at: iso(Date.now() + DAY), findings: ['01a2a2a2-0000-7000-8000-000000000000'] });
  assert.equal(unknown.status, 422);
  const fields = unknown.body.errors.map((e) => e.field);
  assert.ok(fields.includes('/level') && fields.includes('/findings'));
  assert.equal(await count(), before);

  const made = await c.post(`${base('HCB')}/actions`, { level: 'tools', title: 'Buy a TLS scanner', due_at: iso(Date.now() + 30 * DAY), findings: [finding.id] });
  assert.equal(made.status, 201);
  assert.equal(made.body.links[0].kind, 'finding');
  const url = `${base('HCB')}/actions/${made.body.id}`;
  const done = await c.patch(url, { status: 'done' }, { headers: { 'if-match': made.headers.get('etag') } });
  assert.equal(done.status, 200);
  assert.ok(done.body.completed_at);
  assert.equal(done.body.history.length, 2);
  assert.deepEqual(done.body.history[1].change.status, { before: 'open', after: 'done' });
  const stale = await c.patch(url, { status: 'open' }, { headers: { 'if-match': made.headers.get('etag') } });
  assert.equal(stale.status, 412);
  const linked = await c.get(`${base('HCB')}/actions?finding_id=${finding.id}`);
  assert.ok(linked.body.items.some((a) => a.id === made.body.id));
});

test('AManagementReviewIsChairedAndSignedByManagementOnly', async () => {
  const auditor = await signedIn(server, 'auditor.hcb');
  const ciso = await personId(await signedIn(server, 'ciso.hcb'), 'HCB', 'ciso.hcb');
  const mgmtId = await personId(await signedIn(server, 'ciso.hcb'), 'HCB', 'mgmt.hcb');
  const before = (await auditor.get(`${base('HCB')}/evaluations`)).body.items.length;
  const bad = await auditor.post(`${base('HCB')}/evaluations`, { kind: 'management_review', title: 'Review', done_at: iso(Date.now() - DAY), chair_id: ciso });
  assert.equal(bad.status, 422);
  assert.equal(bad.body.errors[0].field, '/chair_id');
  const wrongKind = await auditor.post(`${base('HCB')}/evaluations`, { kind: 'internal_audit', title: 'Audit', planned_for: iso(Date.now() + DAY), minutes: 'x' });
  assert.equal(wrongKind.status, 422);
  assert.equal(wrongKind.body.errors[0].field, '/minutes');
  assert.equal((await auditor.get(`${base('HCB')}/evaluations`)).body.items.length, before);

  const review = await auditor.post(`${base('HCB')}/evaluations`, {
    kind: 'management_review', title: 'Half-year review', done_at: iso(Date.now() - DAY), chair_id: mgmtId,
    minutes: 'Findings discussed.', decisions: 'Budget for the scanner approved.',
  });
  assert.equal(review.status, 201);
  const sign = `${base('HCB')}/evaluations/${review.body.id}/sign`;
  const etag = review.headers.get('etag');
  assert.equal((await auditor.post(sign, {}, { headers: { 'if-match': etag } })).status, 403);
  const mgmt = await signedIn(server, 'mgmt.hcb');
  const signed = await mgmt.post(sign, {}, { headers: { 'if-match': etag } });
  assert.equal(signed.status, 200);
  assert.equal(signed.body.signed_by, mgmtId);
  const again = await auditor.patch(`${base('HCB')}/evaluations/${review.body.id}`, { summary: 'changed' }, { headers: { 'if-match': signed.headers.get('etag') } });
  assert.equal(again.status, 409);
});

test('AToolPostsResultsWithAnApiTokenOncePerRunAndUnknownControlsAreRefused', async () => {
  const auditor = await signedIn(server, 'auditor.hcb');
  const secret = (await auditor.post('/api/v1/tokens', { name: 'nightly scan', expires_in_days: 30, password: DEMO_PASSWORD })).body.secret;
  const tool = new Client(server.url);
  tool.token = secret;
  const run = {
    run_id: 'scan-e2e-1', tool: 'baseline-scanner 3.2', observed_at: iso(Date.now() - 60_000),
    results: [
      { control_urn: 'urn:rampart:framework:iso27001-2022:a.8.9', outcome: 'fail', value: '2 hosts drift' },
      { control_urn: 'urn:rampart:framework:iso27001-2022:a.8.5', outcome: 'pass' },
    ],
  };
  const first = await tool.post(`${base('HCB')}/automated-results`, run);
  assert.equal(first.status, 201, JSON.stringify(first.body));
  assert.equal(first.body.stored, 2);
  const again = await tool.post(`${base('HCB')}/automated-results`, run);
  assert.equal(again.status, 200);
  assert.equal(again.body.stored, 0);
  assert.equal(again.body.already_recorded, 2);

  const unknown = await tool.post(`${base('HCB')}/automated-results`, {
    ...run, run_id: 'scan-e2e-2',
    results: [{ control_urn: 'urn:rampart:framework:iso27001-2022:a.8.5', outcome: 'pass' }, { control_urn: 'urn:rampart:framework:iso27001-2022:z.1', outcome: 'pass' }],
  });
  assert.equal(unknown.status, 422);
  assert.equal(unknown.body.errors[0].field, '/results/1/control_urn');
  const list = (await auditor.get(`${base('HCB')}/automated-results?limit=200`)).body.items;
  assert.equal(list.filter((r) => r.run_id === 'scan-e2e-1').length, 2);
  assert.equal(list.filter((r) => r.run_id === 'scan-e2e-2').length, 0);
  const board = (await auditor.get(`${base('HCB')}/cycle`)).body;
  assert.equal(board.evaluation.automated.last_run_id, 'scan-e2e-1');
});

test('ACertificateNeedsItsDetailsAndShowsAsExpiredOncePast', async () => {
  const c = await signedIn(server, 'ciso.isb');
  const cur = await c.get(`${base('ISB')}/certification`);
  assert.equal(cur.body.status, 'none');
  assert.equal(cur.body.version, 0);
  const bad = await c.put(`${base('ISB')}/certification`, { status: 'certified', certifier: 'X', scope: 'All', certificate_number: 'N-1', issued_at: iso(Date.now()), expires_at: iso(Date.now() - DAY) });
  assert.equal(bad.status, 422);
  assert.equal(bad.body.errors[0].field, '/expires_at');
  const missing = await c.put(`${base('ISB')}/certification`, { status: 'certified' });
  assert.deepEqual(missing.body.errors.map((e) => e.field).sort(), ['/certificate_number', '/certifier', '/expires_at', '/issued_at', '/scope']);
  const ok = await c.put(`${base('ISB')}/certification`, { status: 'certified', certifier: 'Island Certification Services', scope: 'Core banking', certificate_number: 'ICS-1', issued_at: iso(Date.now() - 1100 * DAY), expires_at: iso(Date.now() - DAY) });
  assert.equal(ok.status, 200);
  assert.equal(ok.body.effective_status, 'expired');
  assert.equal((await c.put(`${base('ISB')}/certification`, { status: 'in_progress' })).status, 428);
  const posture = await c.get(`/api/v1/organisations/${org('ISB')}/posture`);
  assert.equal(posture.body.certification.status, 'expired');
  const bank = await c.get(`/api/v1/organisations/${org('HCB')}/posture`, { check: false });
  assert.equal(bank.status, 403, 'another bank does not read this one');
  const hcb = await (await signedIn(server, 'ciso.hcb')).get(`${base('HCB')}/certification`);
  assert.equal(hcb.body.effective_status, 'certified');
});

test('TheObligationsRegisterAdoptsLibraryLawsOnceAndChecksEvidence', async () => {
  const c = await signedIn(server, 'ciso.npc');
  const library = (await c.get('/api/v1/obligations-library')).body.items;
  assert.ok(library.some((l) => l.kind === 'cybercrime'));
  const mine = (await c.get(`${base('NPC')}/obligations`)).body.items;
  assert.ok(mine.some((o) => o.law_urn === 'urn:rampart:obligations:utilities-regulation'), 'the demo adopted the energy regulation');
  assert.ok(!mine.some((o) => o.law_urn === 'urn:rampart:obligations:finance-regulation'));
  assert.equal((await c.post(`${base('NPC')}/obligations/adopt`, { law_urn: 'urn:rampart:obligations:cybersecurity-law' })).status, 409);
  const unknown = await c.post(`${base('NPC')}/obligations/adopt`, { law_urn: 'urn:rampart:obligations:none' });
  assert.equal(unknown.status, 422);
  assert.equal(unknown.body.errors[0].field, '/law_urn');
  const fin = await c.post(`${base('NPC')}/obligations/adopt`, { law_urn: 'urn:rampart:obligations:finance-regulation', law_title: 'Energy trading rules' });
  assert.equal(fin.status, 201);
  assert.ok(fin.body.items.every((o) => o.law_title === 'Energy trading rules'));

  const own = await c.post(`${base('NPC')}/obligations`, { law_kind: 'other', law_title: 'Grid code', title: 'Report frequency deviations' });
  assert.equal(own.status, 201);
  const url = `${base('NPC')}/obligations/${own.body.id}`;
  const patched = await c.patch(url, { status: 'compliant', note: 'Monthly report' }, { headers: { 'if-match': own.headers.get('etag') } });
  assert.equal(patched.status, 200);
  const libraryOne = mine[0];
  const locked = await c.patch(`${base('NPC')}/obligations/${libraryOne.id}`, { title: 'Rewritten' }, { headers: { 'if-match': `"${libraryOne.version}"` } });
  assert.equal(locked.status, 422);
  assert.equal(locked.body.errors[0].field, '/title');
  assert.equal((await c.post(`${url}/evidence`, { url: 'javascript:alert(1)' })).status, 422);
  const ev = await c.post(`${url}/evidence`, { url: 'https://intranet.npc.example/grid-code/report' });
  assert.equal(ev.status, 201);
  const detail = await c.get(url);
  assert.equal(detail.body.evidence.length, 1);
  assert.equal(detail.body.evidence_count, 1);
});

test('PostureIsReadByTheOrganisationItsSectorsAuthoritiesAndTheNationalCertOnly', async () => {
  const hcb = `/api/v1/organisations/${org('HCB')}/posture`;
  const npc = `/api/v1/organisations/${org('NPC')}/posture`;
  for (const who of ['ciso.hcb', 'viewer.hcb', 'regulator.finance', 'fincert.analyst', 'cert.analyst']) {
    const res = await (await signedIn(server, who)).get(hcb);
    assert.equal(res.status, 200, `${who} reads the bank's posture`);
    assert.equal(res.body.certification.status, 'certified');
    assert.ok(res.body.overdue_actions >= 1);
    assert.equal(typeof res.body.policy.in_date, 'boolean');
  }
  for (const [who, path] of [['regulator.finance', npc], ['fincert.analyst', npc], ['ciso.npc', hcb], ['reporter.hcb', hcb]]) {
    const res = await (await signedIn(server, who)).get(path, { check: false });
    assert.equal(res.status, 403, `${who} is refused ${path}`);
  }
  assert.equal((await (await signedIn(server, 'cert.analyst')).get(npc)).status, 200);
  assert.equal((await new Client(server.url).get(hcb, { check: false })).status, 401);
});

test('AViewerReadsTheCycleButChangesNothing', async () => {
  const v = await signedIn(server, 'viewer.hcb');
  assert.equal((await v.get(`${base('HCB')}/cycle`)).status, 200);
  assert.equal((await v.post(`${base('HCB')}/findings`, { title: 'x', severity: 'low' })).status, 403);
  assert.equal((await v.post(`${base('HCB')}/actions`, { level: 'tools', title: 'x', due_at: iso(Date.now() + DAY) })).status, 403);
});
