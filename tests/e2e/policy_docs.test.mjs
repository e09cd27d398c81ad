// The security charter and policy over HTTP: the demo's documents, the wizard, documents started
// from the templates with the organisation's data, section edits saved as versions with a diff,
// approval by management only with the frozen SHA-256, new drafts after approval, publication to
// staff and acknowledgement person by person, the DOCX and HTML exports, and bad input refused
// with nothing stored.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { startServer, signedIn, all } from './lib.mjs';

let server;
const org = {};
before(async () => {
  server = await startServer();
  const orgs = await all(await signedIn(server, 'cert.admin'), '/api/v1/organisations', 200);
  for (const short of ['HCB', 'SSE', 'MoF', 'ECO']) org[short] = orgs.find((o) => o.short_name === short).id;
});
after(async () => { await server.stop(); });

const docs = (o) => `/api/v1/organisations/${o}/policy-documents`;
const sha256 = (text) => createHash('sha256').update(text, 'utf8').digest('hex');
// The stored content exactly as the server writes it: sections with their keys in order.
const contentOf = (sections) => JSON.stringify(sections.map((s) => ({
  body: s.body, key: s.key, level: s.level, title: s.title, urn: s.urn,
})));

async function versions(c, o, id) {
  return (await c.get(`${docs(o)}/${id}/versions`)).body.items;
}

test('EveryDemoOperatorHasACharterOrPolicyAndTheBankHasADraftAfterItsApproval', async () => {
  const c = await signedIn(server, 'ciso.bank1');
  const list = await c.get(docs(org.HCB));
  assert.equal(list.status, 200);
  const policy = list.body.items.find((d) => d.kind === 'policy');
  assert.ok(policy, 'the bank has a policy');
  assert.equal(policy.form, 'full');
  assert.equal(policy.approved, 2);
  assert.equal(policy.newest, 3);
  assert.equal(policy.review_state, 'in_date');
  assert.ok(policy.latest_publication.recipients > policy.latest_publication.acknowledged);
  assert.ok(policy.latest_publication.acknowledged > 0);
  assert.equal(list.body.status.in_date, true);
  assert.equal(list.body.status.kind, 'policy');
  const diff = await c.get(`${docs(org.HCB)}/${policy.id}/diff`);
  assert.equal(diff.status, 200);
  assert.equal(diff.body.from, 2);
  assert.equal(diff.body.to, 3);
  assert.deepEqual(diff.body.changes.map((x) => x.key), ['9.2']);
  assert.ok(diff.body.changes[0].lines.some((l) => l.op === 'added' && /24 hours/.test(l.text)));

  const small = await signedIn(server, 'ciso.sse');
  const charter = (await small.get(docs(org.SSE))).body.items.find((d) => d.kind === 'charter');
  assert.ok(charter, 'a small operator has a charter');
  assert.equal(charter.approved, 2);
  const v = (await small.get(`${docs(org.SSE)}/${charter.id}/versions/2`)).body;
  assert.equal(v.state, 'approved');
  assert.equal(v.sha256, sha256(contentOf(v.sections)), 'the frozen hash is over the content');
  assert.ok(new Date(v.approved_at) < new Date(Date.now() - 150 * 86400e3), 'approved last year');
});

test('TheWizardProposesACharterForASmallOrganisationAndTheFullPolicyForALargeCriticalOne', async () => {
  const small = await (await signedIn(server, 'ciso.eco')).get(`${docs(org.ECO)}/proposal`);
  assert.equal(small.status, 200);
  assert.equal(small.body.size_class, 'small');
  assert.deepEqual([small.body.recommended.kind, small.body.recommended.form], ['charter', 'short']);
  assert.ok(small.body.recommended.reasons.length > 0);
  const large = await (await signedIn(server, 'ciso.mof')).get(`${docs(org.MoF)}/proposal`);
  assert.deepEqual([large.body.recommended.kind, large.body.recommended.form], ['policy', 'full']);
  assert.deepEqual(large.body.existing, { charter: false, policy: false });
});

test('ADocumentStartsFromTheTemplatesFilledWithTheOrganisationsData', async () => {
  const c = await signedIn(server, 'ciso.eco');
  const made = await c.post(docs(org.ECO), { kind: 'charter' });
  assert.equal(made.status, 201);
  assert.match(made.headers.get('location'), new RegExp(`/policy-documents/${made.body.id}$`));
  assert.equal(made.body.form, 'short');
  assert.equal(made.body.newest, 1);
  assert.equal(made.body.approved, null);
  assert.equal(made.body.current.state, 'draft');
  const keys = made.body.current.sections.map((s) => s.key);
  assert.deepEqual(keys, ['charter.purpose', 'charter.scope', 'charter.commitments', 'charter.roles', 'charter.review']);
  const text = made.body.current.sections.map((s) => s.body).join('\n');
  assert.match(text, /Electoral Commission Office/);
  assert.doesNotMatch(text, /\{\{/);
  assert.ok(made.body.current.sections.every((s) => s.urn.startsWith('urn:rampart:framework:policy11:')));

  const again = await c.post(docs(org.ECO), { kind: 'charter' });
  assert.equal(again.status, 409);
  const bad = await c.post(docs(org.ECO), { kind: 'memo', form: 'full', colour: 'red' });
  assert.equal(bad.status, 422);
  assert.deepEqual(bad.body.errors.map((e) => e.field).sort(), ['/colour', '/kind']);
  const fullCharter = await c.post(docs(org.ECO), { kind: 'policy', form: 'huge' });
  assert.equal(fullCharter.status, 422);
  assert.equal((await (await signedIn(server, 'viewer.eco')).post(docs(org.ECO), { kind: 'policy' })).status, 403);
  const short = await c.post(docs(org.ECO), { kind: 'policy', form: 'short' });
  assert.equal(short.status, 201);
  assert.equal(short.body.current.sections.length, 11);
  assert.equal((await c.get(docs(org.ECO))).body.items.length, 2);
});

test('EditsAreSavedAsVersionsApprovedByManagementOnlyAndFrozen', async () => {
  const ciso = await signedIn(server, 'ciso.mof');
  const mgmt = await signedIn(server, 'mgmt.mof');
  const made = await ciso.post(docs(org.MoF), { kind: 'policy', form: 'full' });
  assert.equal(made.status, 201);
  assert.equal(made.body.current.sections.length, 53);
  const base = `${docs(org.MoF)}/${made.body.id}`;
  let etag = made.headers.get('etag');

  // Bad input: nothing stored.
  const noMatch = await ciso.post(`${base}/versions/1/sections/1.1`, { body: 'x' });
  assert.equal(noMatch.status, 428);
  const stale = await ciso.post(`${base}/versions/1/sections/1.1`, { body: 'x' }, { headers: { 'if-match': '"999"' } });
  assert.equal(stale.status, 412);
  const missing = await ciso.post(`${base}/versions/1/sections/12.1`, { body: 'x' }, { headers: { 'if-match': etag } });
  assert.equal(missing.status, 422);
  assert.equal(missing.body.errors[0].field, 'key');
  assert.match(missing.body.errors[0].message, /12\.1 is not a section/);
  const huge = await ciso.post(`${base}/versions/1/sections/1.1`, { body: 'a'.repeat(32 * 1024 + 1) }, { headers: { 'if-match': etag } });
  assert.equal(huge.status, 422);
  assert.equal(huge.body.errors[0].field, '/body');
  assert.equal((await versions(ciso, org.MoF, made.body.id)).length, 1, 'nothing was stored');

  const body = 'Management **commits** to this policy.\n\n- objectives\n- resources';
  const saved = await ciso.post(`${base}/versions/1/sections/1.1`, { body }, { headers: { 'if-match': etag } });
  assert.equal(saved.status, 201);
  assert.equal(saved.body.number, 2);
  assert.equal(saved.body.sections.find((s) => s.key === '1.1').body, body);
  etag = saved.headers.get('etag');
  const old = await ciso.post(`${base}/versions/1/sections/1.2`, { body: 'y' }, { headers: { 'if-match': etag } });
  assert.equal(old.status, 409, 'only the newest version is edited');
  const same = await ciso.post(`${base}/versions/2/sections/1.1`, { body }, { headers: { 'if-match': etag } });
  assert.equal(same.status, 200, 'an unchanged section is not a new version');
  assert.equal(same.body.newest, 2);

  const diff = await ciso.get(`${base}/diff?from=1&to=2`);
  assert.deepEqual(diff.body.changes.map((c) => [c.key, c.change]), [['1.1', 'changed']]);
  assert.ok(diff.body.changes[0].lines.some((l) => l.op === 'added' && l.text === '- resources'));
  assert.ok(diff.body.changes[0].lines.some((l) => l.op === 'removed'));
  assert.equal((await ciso.get(`${base}/diff?from=9`)).status, 422);

  // Approval: management only, the version read, the newest draft.
  const byCiso = await ciso.post(`${base}/approve`, { number: 2 }, { headers: { 'if-match': etag } });
  assert.equal(byCiso.status, 403);
  const notNewest = await mgmt.post(`${base}/approve`, { number: 1 }, { headers: { 'if-match': etag } });
  assert.equal(notNewest.status, 409);
  const past = await mgmt.post(`${base}/approve`, { number: 2, next_review_at: '2020-01-01T00:00:00Z' }, { headers: { 'if-match': etag } });
  assert.equal(past.status, 422);
  assert.equal(past.body.errors[0].field, '/next_review_at');
  const ok = await mgmt.post(`${base}/approve`, { number: 2, note: 'Board meeting' }, { headers: { 'if-match': etag } });
  assert.equal(ok.status, 201);
  assert.equal(ok.body.state, 'approved');
  assert.equal(ok.body.approved_by_name.length > 0, true);
  const frozen = (await ciso.get(`${base}/versions/2`)).body;
  assert.equal(ok.body.sha256, sha256(contentOf(frozen.sections)));
  const reviewIn = new Date(ok.body.next_review_at) - Date.now();
  assert.ok(reviewIn > 364 * 86400e3 && reviewIn < 366 * 86400e3, 'next review in a year by default');
  etag = ok.headers.get('etag');
  const head = (await ciso.get(base)).body;
  assert.equal(head.approved, 2);
  assert.equal(head.review_state, 'in_date');
  assert.equal((await ciso.get(docs(org.MoF))).body.status.kind, 'policy');

  // Editing the approved version is refused; a new draft starts from it.
  const edit = await ciso.post(`${base}/versions/2/sections/1.1`, { body: 'changed' }, { headers: { 'if-match': etag } });
  assert.equal(edit.status, 409);
  assert.match(edit.body.detail, /frozen/);
  const twice = await mgmt.post(`${base}/approve`, { number: 2 }, { headers: { 'if-match': etag } });
  assert.equal(twice.status, 409);
  const draft = await ciso.post(`${base}/drafts`, undefined, { headers: { 'if-match': etag } });
  assert.equal(draft.status, 201);
  assert.equal(draft.body.number, 3);
  assert.equal(draft.body.state, 'draft');
  assert.equal((await ciso.post(`${base}/drafts`, undefined, { headers: { 'if-match': draft.headers.get('etag') } })).status, 409);
  const v3 = await ciso.post(`${base}/versions/3/sections/7.3`, { body: 'Passphrases of 14 characters.' }, { headers: { 'if-match': draft.headers.get('etag') } });
  assert.equal(v3.status, 201);
  const again = (await ciso.get(`${base}/versions/2`)).body;
  assert.equal(again.sha256, ok.body.sha256, 'the approved version did not change');
  assert.deepEqual((await versions(ciso, org.MoF, made.body.id)).map((v) => [v.number, v.state]),
    [[4, 'draft'], [3, 'draft'], [2, 'approved'], [1, 'draft']]);
});

test('AnApprovedVersionIsPublishedToStaffWhoAcknowledgeItOnce', async () => {
  const ciso = await signedIn(server, 'ciso.mof');
  const doc = (await ciso.get(docs(org.MoF))).body.items.find((d) => d.kind === 'policy');
  const base = `${docs(org.MoF)}/${doc.id}`;
  const bad = await ciso.post(`${base}/publications`, { roles: ['viewer', 'wizard'] });
  assert.equal(bad.status, 422);
  assert.equal(bad.body.errors[0].field, '/roles/1');
  assert.equal((await ciso.get(`${base}/publications`)).body.items.length, 0, 'nothing was stored');

  const pub = await ciso.post(`${base}/publications`, { roles: ['viewer', 'reporter'], message: 'Read it by Friday.' });
  assert.equal(pub.status, 201);
  assert.equal(pub.body.number, 2);
  assert.equal(pub.body.recipients, 2);
  assert.equal(pub.body.acknowledged, 0);

  const viewer = await signedIn(server, 'viewer.mof');
  const mine = await viewer.get('/api/v1/me/policy-acknowledgements');
  assert.equal(mine.status, 200);
  assert.equal(mine.body.pending, 1);
  assert.equal(mine.body.items[0].publication_id, pub.body.id);
  assert.equal(mine.body.items[0].acknowledged_at, null);
  const read = await viewer.get(`/api/v1/me/policy-acknowledgements/${pub.body.id}`);
  assert.equal(read.status, 200);
  assert.equal(read.body.sections.length, 53);
  assert.equal(read.body.sha256.length, 64);
  const link = `/acknowledgements/${pub.body.id}`;
  const notice = await viewer.get('/api/v1/me/notifications');
  assert.equal(notice.body.items.find((n) => n.link === link)?.read_at, null);
  const ack = await viewer.post(`/api/v1/me/policy-acknowledgements/${pub.body.id}`);
  assert.equal(ack.status, 200);
  assert.ok(ack.body.acknowledged_at);
  const ack2 = await viewer.post(`/api/v1/me/policy-acknowledgements/${pub.body.id}`);
  assert.equal(ack2.body.acknowledged_at, ack.body.acknowledged_at, 'the first acknowledgement is kept');
  assert.equal((await viewer.get('/api/v1/me/policy-acknowledgements')).body.pending, 0);
  const after = await viewer.get('/api/v1/me/notifications');
  assert.ok(after.body.items.find((n) => n.link === link).read_at, 'acknowledging reads the notice');

  const outsider = await signedIn(server, 'reporter.bank1');
  assert.equal((await outsider.post(`/api/v1/me/policy-acknowledgements/${pub.body.id}`)).status, 404);
  assert.equal((await outsider.get(`/api/v1/me/policy-acknowledgements/${pub.body.id}`)).status, 404);

  const detail = await ciso.get(`${base}/publications/${pub.body.id}`);
  assert.equal(detail.status, 200);
  assert.equal(detail.body.acknowledged, 1);
  assert.equal(detail.body.people.length, 2);
  assert.equal(detail.body.people[0].acknowledged_at, null, 'who has not acknowledged comes first');
  assert.ok(detail.body.people[1].acknowledged_at);
  assert.deepEqual(detail.body.people[1].roles, ['viewer']);

  const draftOnly = (await (await signedIn(server, 'ciso.eco')).get(docs(org.ECO))).body.items[0];
  const none = await (await signedIn(server, 'ciso.eco')).post(`${docs(org.ECO)}/${draftOnly.id}/publications`, {});
  assert.equal(none.status, 409, 'a document never approved cannot be published');
});

test('ExportsAreAnEditableWordDocumentAndAPrintablePage', async () => {
  const c = await signedIn(server, 'ciso.bank1');
  const doc = (await c.get(docs(org.HCB))).body.items.find((d) => d.kind === 'policy');
  const docx = await fetch(`${server.url}${docs(org.HCB)}/${doc.id}/export.docx?version=2`, { headers: { cookie: c.cookie } });
  assert.equal(docx.status, 200);
  assert.equal(docx.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
  assert.match(docx.headers.get('content-disposition'), /attachment; filename=.*v2\.docx/);
  const bytes = Buffer.from(await docx.arrayBuffer());
  assert.equal(bytes.subarray(0, 4).toString('binary'), 'PK\x03\x04');
  for (const part of ['[Content_Types].xml', 'word/document.xml', 'word/styles.xml', 'word/numbering.xml', '_rels/.rels']) {
    assert.ok(bytes.includes(Buffer.from(part)), `${part} is in the package`);
  }
  const html = await c.get(`${docs(org.HCB)}/${doc.id}/export.html`);
  assert.equal(html.status, 200);
  assert.match(html.headers.get('content-security-policy'), /default-src 'none'/);
  assert.match(html.body, /<h2>1\. Security policy<\/h2>/);
  assert.match(html.body, /@media print/);
  assert.match(html.body, /Draft version 3, not approved/);
  assert.equal((await c.get(`${docs(org.HCB)}/${doc.id}/export.html?version=77`)).status, 422);
});

test('OutsidersAndPeopleWithoutAnIsmsRoleSeeNothing', async () => {
  const bank = await signedIn(server, 'ciso.bank1');
  assert.equal((await bank.get(docs(org.MoF))).status, 403);
  const reporter = await signedIn(server, 'reporter.bank1');
  assert.equal((await reporter.get(docs(org.HCB))).status, 403);
  const mgmt = await signedIn(server, 'mgmt.bank1');
  const doc = (await mgmt.get(docs(org.HCB))).body.items[0];
  assert.equal((await mgmt.get(`${docs(org.MoF)}/${doc.id}`)).status, 403);
  assert.equal((await (await signedIn(server, 'ciso.mof')).get(`${docs(org.MoF)}/${doc.id}`)).status, 404,
    'another organisation\'s document is not found through one\'s own');
});
