// Frameworks and the Statement of Applicability over HTTP: the library (list, tree, requirement
// with mappings, imports checked field by field), an organisation's statement (filters, pages,
// decisions with their consistency rules, stale versions, bulk edits all or nothing), evidence
// (links checked, files with the attachment limits and type checks), risks of one's own analysis
// only, approval by management only, the frozen version and the diff, exports, and outsiders.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { startServer, signedIn, all } from './lib.mjs';

const LIMIT = 64 * 1024;  // a small limit, so that a test can go over it
const ISO = 'iso27001-2022';
let server;
let hcb;
let isb;
before(async () => {
  server = await startServer({ env: { RAMPART_MAX_FILE_BYTES: String(LIMIT) } });
  const orgs = await all(await signedIn(server, 'cert.admin'), '/api/v1/organisations', 200);
  hcb = orgs.find((o) => o.short_name === 'HCB').id;
  isb = orgs.find((o) => o.short_name === 'ISB').id;
});
after(async () => { await server.stop(); });

const soa = (org, ref = ISO) => `/api/v1/organisations/${org}/soa/${ref}`;
const entry = (org, id, ref = ISO) => `${soa(org, ref)}/entries/${encodeURIComponent(id)}`;
const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

function smallFramework(overrides = {}) {
  return {
    format: 'rampart-framework/1',
    urn: 'urn:rampart:framework:test-baseline',
    ref: 'test-baseline',
    name: 'Test baseline',
    revision: 1,
    edition: '',
    kind: 'framework',
    provider: 'Tests',
    description: 'A baseline for the tests.',
    requirements: [
      { id: 'B1', parent: null, title: 'Basics', description: '', assessable: false },
      { id: 'B1.1', parent: 'B1', title: 'Inventory kept', description: 'Keep one.', assessable: true },
      { id: 'B1.2', parent: 'B1', title: 'Patches applied', description: 'Apply them.', assessable: true },
    ],
    ...overrides,
  };
}

test('FrameworksAreListedWithCountsAndReadAsATree', async () => {
  const c = await signedIn(server, 'reporter.bank1');
  const list = await c.get('/api/v1/frameworks');
  assert.equal(list.status, 200);
  const iso = list.body.items.find((f) => f.ref === ISO);
  assert.ok(iso, 'ISO/IEC 27001:2022 is shipped');
  assert.equal(iso.source, 'shipped');
  assert.ok(iso.counts.assessable >= 93, `${iso.counts.assessable} assessable`);
  const tree = await c.get(`/api/v1/frameworks/${ISO}`);
  assert.equal(tree.status, 200);
  const a51 = tree.body.requirements.find((r) => r.id === 'A.5.1');
  assert.equal(a51.parent, 'A.5');
  assert.equal(a51.group, 'A.5');
  assert.equal(a51.urn, 'urn:rampart:framework:iso27001-2022:a.5.1');
  const detail = await c.get(`/api/v1/frameworks/${ISO}/requirements/A.5`);
  assert.equal(detail.status, 200);
  assert.ok(detail.body.children.some((r) => r.id === 'A.5.1'));
  const missing = await c.get(`/api/v1/frameworks/${ISO}/requirements/A.5.99`, { check: true });
  assert.equal(missing.status, 404);
  assert.match(missing.body.detail, /A\.5\.99/);
  assert.equal((await c.get('/api/v1/frameworks/no-such-framework')).status, 404);
});

test('TheDemoStatementHasSummaryPostureFiltersAndPages', async () => {
  const c = await signedIn(server, 'ciso.bank1');
  const res = await c.get(`${soa(hcb)}?limit=20`);
  assert.equal(res.status, 200);
  const s = res.body.summary;
  assert.equal(res.body.items.length, 20);
  assert.ok(res.body.next_cursor);
  assert.ok(s.excluded >= 1 && s.applicable + s.excluded === s.total);
  const byStatus = Object.values(s.by_status).reduce((a, b) => a + b, 0);
  assert.equal(byStatus, s.total);
  const expected = Math.round(1000 * (s.by_status.implemented + s.by_status.partial / 2) / s.applicable) / 10;
  assert.equal(s.posture, expected);
  assert.equal(res.body.approved_version, 1);
  assert.ok(s.changed_since_approval >= 1, 'the demo changed two entries after approval');
  const everything = await all(c, soa(hcb), 37);
  assert.equal(everything.length, s.total);
  assert.equal(new Set(everything.map((e) => e.requirement_id)).size, s.total);
  const excluded = await c.get(`${soa(hcb)}?applicable=false`);
  assert.ok(excluded.body.items.every((e) => !e.applicable && e.status === 'not_applicable' && e.justification.text));
  const theme = await c.get(`${soa(hcb)}?group=A.8&limit=200`);
  assert.ok(theme.body.items.length > 0 && theme.body.items.every((e) => e.group === 'A.8'));
  const text = await c.get(`${soa(hcb)}?q=BACKED%20UP`);
  assert.ok(text.body.items.some((e) => e.requirement_id === 'A.8.13'));
  const changed = await c.get(`${soa(hcb)}?changed=true`);
  assert.ok(changed.body.items.every((e) => e.changed_since_approval));
  const bad = await c.get(`${soa(hcb)}?status=done&maturity=9&group=Z`, { check: true });
  assert.equal(bad.status, 422);
  const fields = bad.body.errors.map((e) => e.field).sort();
  assert.deepEqual(fields, ['group', 'maturity', 'status']);
});

test('AControlThatDoesNotExistIsNamedAndNothingChanges', async () => {
  const c = await signedIn(server, 'ciso.bank1');
  const one = await c.get(entry(hcb, 'A.9.99'));
  assert.equal(one.status, 404);
  assert.match(one.body.detail, /A\.9\.99/);
  const group = await c.get(entry(hcb, 'A.5'));
  assert.equal(group.status, 404);
  assert.match(group.body.detail, /group/);
  const before = (await c.get(entry(hcb, 'A.5.2'))).body;
  const bulk = await c.post(`${soa(hcb)}/bulk`, { ids: ['A.5.2', 'A.9.99'], set: { status: 'planned' } });
  assert.equal(bulk.status, 422);
  assert.deepEqual(bulk.body.errors.map((e) => e.field), ['/ids/1']);
  assert.match(bulk.body.errors[0].message, /A\.9\.99/);
  const after = (await c.get(entry(hcb, 'A.5.2'))).body;
  assert.equal(after.version, before.version);
  assert.equal(after.status, before.status);
});

test('DecisionsFollowTheRulesAndAStaleVersionIsRefused', async () => {
  const c = await signedIn(server, 'ciso.bank1');
  const e = await c.get(entry(hcb, 'A.5.10'));
  const etag = e.headers.get('etag');
  const noReason = await c.patch(entry(hcb, 'A.5.10'), { applicable: false }, { headers: { 'if-match': etag } });
  assert.equal(noReason.status, 422);
  assert.ok(noReason.body.errors.some((x) => x.field === '/justification/text' && /A\.5\.10/.test(x.message)));
  const wrong = await c.patch(entry(hcb, 'A.5.10'), { applicable: true, status: 'not_applicable' }, { headers: { 'if-match': etag } });
  assert.equal(wrong.status, 422);
  assert.ok(wrong.body.errors.some((x) => x.field === '/status'));
  const badOwner = await c.patch(entry(hcb, 'A.5.10'), { owner_id: '01a2a2a2-0000-7000-8000-000000000000', maturity: 6 }, { headers: { 'if-match': etag } });
  assert.equal(badOwner.status, 422);
  assert.deepEqual(badOwner.body.errors.map((x) => x.field).sort(), ['/maturity', '/owner_id']);
  const excluded = await c.patch(entry(hcb, 'A.5.10'), {
    applicable: false,
    justification: { contractual: true, text: 'Handled by the group under contract.' },
  }, { headers: { 'if-match': etag } });
  assert.equal(excluded.status, 200, JSON.stringify(excluded.body));
  assert.equal(excluded.body.status, 'not_applicable');
  assert.equal(excluded.body.maturity, null);
  assert.equal(excluded.body.justification.contractual, true);
  const stale = await c.patch(entry(hcb, 'A.5.10'), { note: 'late' }, { headers: { 'if-match': etag } });
  assert.equal(stale.status, 412);
  const back = await c.patch(entry(hcb, 'A.5.10'), { applicable: true, maturity: 2 }, { headers: { 'if-match': excluded.headers.get('etag') } });
  assert.equal(back.status, 200);
  assert.equal(back.body.status, 'not_started');
  assert.equal(back.body.maturity, 2);
  const reader = await signedIn(server, 'reporter.bank1');
  assert.equal((await reader.patch(entry(hcb, 'A.5.10'), { note: 'x' }, { headers: { 'if-match': back.headers.get('etag') }, check: false })).status, 403);
});

test('BulkEditSetsEveryEntryOrNone', async () => {
  const c = await signedIn(server, 'ciso.bank1');
  const people = await c.get(`/api/v1/organisations/${hcb}/people`);
  const owner = people.body.items[0].user.id;
  const ids = ['A.6.1', 'A.6.2', 'A.6.4'];
  const refused = await c.post(`${soa(hcb)}/bulk`, { ids, set: { applicable: false } });
  assert.equal(refused.status, 422);
  assert.ok(refused.body.errors.every((x) => x.field === '/set/justification/text'));
  for (const id of ids) assert.equal((await c.get(entry(hcb, id))).body.applicable, true);
  const ok = await c.post(`${soa(hcb)}/bulk`, { ids, set: { status: 'partial', maturity: 2, owner_id: owner } });
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.equal(ok.body.updated, 3);
  for (const id of ids) {
    const e = (await c.get(entry(hcb, id))).body;
    assert.equal(e.status, 'partial');
    assert.equal(e.owner_id, owner);
  }
  const unknownField = await c.post(`${soa(hcb)}/bulk`, { ids, set: { risks: [] } });
  assert.equal(unknownField.status, 422);
  assert.equal(unknownField.body.errors[0].field, '/set/risks');
});

test('EvidenceLinksAreCheckedAndFilesFollowTheAttachmentRules', async () => {
  const c = await signedIn(server, 'ciso.bank1');
  const path = entry(hcb, 'A.5.9');
  const before = (await c.get(path)).body;
  const badLink = await c.post(`${path}/evidence`, { url: 'javascript:alert(1)' });
  assert.equal(badLink.status, 422);
  assert.equal(badLink.body.errors[0].field, '/url');
  const link = await c.post(`${path}/evidence`, { url: 'https://intranet.hcb.example/assets', name: 'Asset inventory' });
  assert.equal(link.status, 201);
  const upload = (bytes, name) => c.req('POST', `${path}/evidence/files?name=${encodeURIComponent(name)}`, {
    body: bytes, headers: { 'content-type': 'application/octet-stream' },
  });
  const big = await upload(Buffer.alloc(LIMIT + 1, 'a'), 'big.txt');
  assert.equal(big.status, 413);
  const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(64)]);
  const program = await upload(elf, 'tool');
  assert.equal(program.status, 422);
  assert.equal(program.body.errors[0].field, 'body');
  const mid = (await c.get(path)).body;
  assert.equal(mid.evidence.length, before.evidence.length + 1, 'refused files are not stored');
  const text = Buffer.from('Inventory reviewed on 2026-11-02 by the asset owners.\n');
  const file = await upload(text, 'review notes.txt');
  assert.equal(file.status, 201, JSON.stringify(file.body));
  assert.equal(file.body.sha256, sha256(text));
  assert.equal(file.body.media_type, 'text/plain');
  const got = await fetch(server.url + file.body.content_url, { headers: { cookie: c.cookie } });
  assert.equal(got.status, 200);
  assert.match(got.headers.get('content-disposition'), /attachment/);
  assert.equal(Buffer.from(await got.arrayBuffer()).toString(), text.toString());
  const removed = await c.delete(`${path}/evidence/${link.body.id}`);
  assert.equal(removed.status, 204);
  const after = (await c.get(path)).body;
  assert.deepEqual(after.evidence.map((e) => e.name), [...before.evidence.map((e) => e.name), 'review notes.txt']);
  assert.ok(after.version > before.version);
});

async function aScenario(client, org) {
  const analyses = await client.get(`/api/v1/organisations/${org}/risk/analyses`);
  const current = analyses.body.items.find((a) => a.current);
  const page = await client.get(`/api/v1/organisations/${org}/risk/analyses/${current.id}/scenarios?limit=1`);
  return page.body.items[0].id;
}

test('AControlTreatsOnlyTheOrganisationsOwnRisks', async () => {
  const c = await signedIn(server, 'ciso.bank1');
  const own = await aScenario(c, hcb);
  const theirs = await aScenario(await signedIn(server, 'ciso.isb'), isb);
  let e = await c.get(entry(hcb, 'A.8.8'));
  const refused = await c.patch(entry(hcb, 'A.8.8'), { risks: [own, theirs] }, { headers: { 'if-match': e.headers.get('etag') } });
  assert.equal(refused.status, 422);
  assert.equal(refused.body.errors[0].field, '/risks');
  assert.match(refused.body.errors[0].message, new RegExp(theirs));
  e = await c.get(entry(hcb, 'A.8.8'));
  const ok = await c.patch(entry(hcb, 'A.8.8'), { risks: [own] }, { headers: { 'if-match': e.headers.get('etag') } });
  assert.equal(ok.status, 200);
  assert.deepEqual(ok.body.risks.map((r) => r.id), [own]);
  assert.match(ok.body.risks[0].label, /×/);
});

test('ApprovalIsManagementsAndFreezesTheStatement', async () => {
  const ciso = await signedIn(server, 'ciso.bank1');
  const mgmt = await signedIn(server, 'mgmt.bank1');
  const table = await mgmt.get(soa(hcb));
  const etag = table.headers.get('etag');
  const byCiso = await ciso.post(`${soa(hcb)}/approve`, {}, { headers: { 'if-match': etag }, check: false });
  assert.equal(byCiso.status, 403);
  const approved = await mgmt.post(`${soa(hcb)}/approve`, { note: 'Quarterly review' }, { headers: { 'if-match': etag } });
  assert.equal(approved.status, 201, JSON.stringify(approved.body));
  const n = approved.body.number;
  assert.equal(n, table.body.approved_version + 1);
  const frozen = await mgmt.get(`${soa(hcb)}/versions/${n}`);
  const frozenText = JSON.stringify(frozen.body.document);
  assert.equal(frozen.body.document.entries.length, table.body.summary.total);
  assert.equal((await mgmt.get(soa(hcb))).body.summary.changed_since_approval, 0);

  const e = await ciso.get(entry(hcb, 'A.5.12'));
  const edit = await ciso.patch(entry(hcb, 'A.5.12'), { status: 'implemented', maturity: 4 }, { headers: { 'if-match': e.headers.get('etag') } });
  assert.equal(edit.status, 200);
  assert.equal(edit.body.changed_since_approval, true);
  assert.equal(JSON.stringify((await mgmt.get(`${soa(hcb)}/versions/${n}`)).body.document), frozenText);
  const versions = await mgmt.get(`${soa(hcb)}/versions`);
  assert.equal(versions.body.items[0].number, n);
  assert.equal(versions.body.items[0].sha256, approved.body.sha256);

  const diff = await mgmt.get(`${soa(hcb)}/diff?from=v${n}&to=current`);
  assert.equal(diff.status, 200);
  assert.equal(diff.body.changes.length, 1);
  const change = diff.body.changes[0];
  assert.equal(change.requirement_id, 'A.5.12');
  const status = change.fields.find((f) => f.field === 'status');
  assert.equal(status.after, 'implemented');
  assert.equal(change.fields.find((f) => f.field === 'maturity').after, 4);
  const between = await mgmt.get(`${soa(hcb)}/diff?from=v1&to=v${n}`);
  assert.ok(between.body.changes.length >= 1);
  assert.equal((await mgmt.get(`${soa(hcb)}/diff?from=v99`)).status, 422);
  const stale = await mgmt.post(`${soa(hcb)}/approve`, {}, { headers: { 'if-match': etag } });
  assert.equal(stale.status, 412);
});

test('AStatementIsStartedOnceAndOutsidersCannotReachIt', async () => {
  const c = await signedIn(server, 'ciso.bank1');
  const made = await c.post(soa(hcb, 'policy11'));
  assert.equal(made.status, 201, JSON.stringify(made.body));
  assert.equal(made.body.summary.by_status.not_started, made.body.summary.total);
  assert.equal((await c.post(soa(hcb, 'policy11'))).status, 409);
  assert.equal((await c.get(soa(hcb, 'no-such'))).status, 404);
  const list = await c.get(`/api/v1/organisations/${hcb}/soa`);
  assert.deepEqual(list.body.items.map((s) => s.framework.ref).sort(), [ISO, 'policy11']);
  const outsider = await signedIn(server, 'ciso.isb');
  for (const path of [soa(hcb), entry(hcb, 'A.5.1'), `${soa(hcb)}/versions`, `${soa(hcb)}/export.xlsx`]) {
    assert.equal((await outsider.get(path, { check: false })).status, 403, path);
  }
  assert.equal((await outsider.post(`${soa(hcb)}/bulk`, { ids: ['A.5.1'], set: { status: 'planned' } }, { check: false })).status, 403);
});

test('TheStatementExportsAsWorkbookAndPrintablePage', async () => {
  const c = await signedIn(server, 'ciso.bank1');
  const xlsx = await fetch(server.url + `${soa(hcb)}/export.xlsx`, { headers: { cookie: c.cookie } });
  assert.equal(xlsx.status, 200);
  assert.match(xlsx.headers.get('content-type'), /spreadsheetml/);
  const bytes = Buffer.from(await xlsx.arrayBuffer());
  assert.equal(bytes.subarray(0, 2).toString(), 'PK');
  const html = await fetch(server.url + `${soa(hcb)}/export.html`, { headers: { cookie: c.cookie } });
  assert.equal(html.status, 200);
  assert.match(html.headers.get('content-security-policy'), /default-src 'none'/);
  assert.match(html.headers.get('content-disposition'), /attachment/);
  const page = await html.text();
  assert.match(page, /Statement of Applicability/);
  assert.match(page, /A\.8\.30/);
});

test('ImportingALibraryFileIsTheAdministratorsAndBrokenFilesNameTheField', async () => {
  const admin = await signedIn(server, 'cert.admin');
  const ciso = await signedIn(server, 'ciso.bank1');
  assert.equal((await ciso.post('/api/v1/frameworks', smallFramework(), { check: false })).status, 403);
  const broken = smallFramework({ kind: 'novel' });
  broken.requirements[2] = { ...broken.requirements[2], parent: 'B9' };
  const refused = await admin.post('/api/v1/frameworks', broken);
  assert.equal(refused.status, 422);
  const fields = refused.body.errors.map((e) => e.field).sort();
  assert.deepEqual(fields, ['/kind', '/requirements/2/parent']);
  assert.match(refused.body.errors.find((e) => e.field === '/requirements/2/parent').message, /B1\.2/);
  assert.equal((await admin.get('/api/v1/frameworks/test-baseline')).status, 404, 'nothing stored');
  const ok = await admin.post('/api/v1/frameworks', smallFramework());
  assert.equal(ok.status, 201, JSON.stringify(ok.body));
  assert.equal(ok.body.source, 'imported');
  assert.equal(ok.body.superseded, false);
  assert.equal((await admin.post('/api/v1/frameworks', smallFramework())).status, 409);
  const made = await ciso.post(soa(hcb, 'test-baseline'));
  assert.equal(made.status, 201);
  const two = smallFramework({ revision: 2 });
  two.requirements.push({ id: 'B1.3', parent: 'B1', title: 'Logs kept', description: '', assessable: true });
  const revised = await admin.post('/api/v1/frameworks', two);
  assert.equal(revised.status, 201);
  assert.equal(revised.body.superseded, true);
  const listed = (await admin.get('/api/v1/frameworks')).body.items.find((f) => f.ref === 'test-baseline');
  assert.deepEqual(listed.revisions, [1, 2]);
  // The statement made against revision 1 still reads as it was made.
  const table = await ciso.get(soa(hcb, 'test-baseline'));
  assert.equal(table.body.framework.revision, 1);
  assert.equal(table.body.framework.newest_revision, 2);
  assert.equal(table.body.summary.total, 2);
  assert.equal((await admin.get('/api/v1/frameworks/test-baseline?revision=1')).body.requirements.length, 3);
});
