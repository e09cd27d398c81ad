// The guidelines library over HTTP: the national CERT writes a guideline, opens it for comments
// until a date the server enforces, answers every comment and then publishes; members of the
// audience read and comment (the audience engine decides who), organisations record adoption,
// and the CERT sees the adoption share per sector. Bad input is refused, nothing stored.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, signedIn, all } from './lib.mjs';

let server;
before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.stop();
});

let orgs;
async function orgId(shortName) {
  if (!orgs) orgs = await all(await as('cert.admin'), '/api/v1/organisations', 200);
  return orgs.find((x) => x.short_name === shortName).id;
}
const clients = {};
async function as(username) {
  clients[username] ??= await signedIn(server, username);
  return clients[username];
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function draft(extra = {}) {
  return {
    title: 'Backups that survive ransomware',
    summary: 'Keep one copy of every backup offline, and test restoring it.',
    body: '## Measures\n\n- Keep **one copy offline**.\n- Test a restore every quarter.\n\n<script>alert(1)</script>',
    topics: ['backup', 'ransomware'],
    controls: ['urn:rampart:framework:policy11:6.5'],
    tlp: 'TLP:GREEN',
    distribution: 'national',
    ...extra,
  };
}

test('TheDemoLibraryHasAPublishedGuidelineWithAdoptionsAndADraftOpenForComments', async () => {
  const isb = await as('ciso.isb');
  const list = (await isb.get('/api/v1/guidelines')).body.items;
  const ism = list.find((g) => /information security management/.test(g.title));
  const ot = list.find((g) => /operational technology/.test(g.title));
  assert.ok(ism && ot, JSON.stringify(list.map((g) => g.title)));
  assert.equal(ism.published_version, 2);
  assert.equal(ism.adoption[0].current.status, 'adopted');
  assert.equal(ot.published_version, null);
  assert.equal(ot.comments_open, true);
  const detail = (await isb.get(`/api/v1/guidelines/${ism.id}`)).body;
  assert.deepEqual(detail.versions.map((v) => [v.number, v.state]), [[1, 'superseded'], [2, 'published']]);
  assert.equal(detail.comments[0].answer, 'accepted');
  assert.ok(detail.versions[1].controls.some((c) => c.framework && c.title), 'controls resolve to the catalogue');
  // The CERT's view: the adoption share per sector.
  const cert = await as('cert.analyst');
  const view = (await cert.get(`/api/v1/organisations/${await orgId('NatCERT')}/guidelines/${ism.id}/adoption`)).body;
  const finance = view.sectors.find((s) => s.name === 'Finance');
  assert.ok(finance.organisations >= 8);
  assert.equal(finance.adopted, 3);
  assert.equal(finance.planned, 1);
  assert.ok(Math.abs(finance.share - 3 / finance.organisations) < 1e-9);
  // Regulators and CERTs advise; only operators and government bodies are counted as adopters.
  assert.equal(finance.organisations, 8);
  assert.ok(!view.items.some((i) => ['CB', 'FSC', 'FinCERT'].includes(i.organisation.short_name)));
});

test('CommentsAreTakenUntilTheDateAnsweredAndOnlyThenTheFinalVersionIsPublished', async () => {
  const cert = await as('cert.analyst');
  const natcert = await orgId('NatCERT');
  const base = `/api/v1/organisations/${natcert}/guidelines`;
  const made = await cert.post(base, draft());
  assert.equal(made.status, 201, JSON.stringify(made.body));
  const g = made.body;
  assert.match(g.reference, /^GL-\d{4}-\d{4,}$/);
  assert.equal(g.versions[0].state, 'draft');
  // A draft is the CERT's alone.
  assert.equal((await (await as('ciso.isb')).get(`/api/v1/guidelines/${g.id}`)).status, 404);
  assert.ok(!(await (await as('ciso.isb')).get('/api/v1/guidelines')).body.items.some((x) => x.id === g.id));

  // A date in the past is refused; a close one opens the consultation.
  const past = await cert.post(`${base}/${g.id}/consultation`, { comments_until: new Date(Date.now() - 1000).toISOString() });
  assert.equal(past.status, 422);
  const until = Date.now() + 2500;
  const open = await cert.post(`${base}/${g.id}/consultation`, { comments_until: new Date(until).toISOString() });
  assert.equal(open.status, 200, JSON.stringify(open.body));
  assert.equal(open.body.versions[0].state, 'consultation');
  // A draft under consultation does not change.
  assert.equal((await cert.patch(`${base}/${g.id}`, { title: 'Changed' }, { headers: { 'if-match': `"${open.body.version}"` } })).status, 409);

  const isb = await as('ciso.isb');
  const seen = (await isb.get(`/api/v1/guidelines/${g.id}`)).body;
  assert.deepEqual(seen.you.comment_as, [await orgId('ISB')]);
  // Comment for an organisation that is not one's own: refused.
  const wrong = await isb.post(`/api/v1/guidelines/${g.id}/comments`, { organisation_id: await orgId('HCB'), text: 'Not mine to say.' });
  assert.equal(wrong.status, 422);
  const said = await isb.post(`/api/v1/guidelines/${g.id}/comments`, { organisation_id: await orgId('ISB'), text: 'Quarterly restore tests are heavy for us; twice a year?' });
  assert.equal(said.status, 201, JSON.stringify(said.body));
  const comment = said.body.comments.find((c) => c.organisation.short_name === 'ISB');
  assert.equal(comment.answer, 'open');

  // Not before the date.
  const early = await cert.post(`${base}/${g.id}/publish`, undefined);
  assert.equal(early.status, 409);
  assert.match(early.body.detail, /open until/);
  await sleep(Math.max(0, until - Date.now()) + 300);
  // Comments are closed by the server at the date.
  const late = await isb.post(`/api/v1/guidelines/${g.id}/comments`, { organisation_id: await orgId('ISB'), text: 'One more thought.' });
  assert.equal(late.status, 409);
  // Every comment answered first; a rejection needs its reason.
  const unanswered = await cert.post(`${base}/${g.id}/publish`, undefined);
  assert.equal(unanswered.status, 409);
  assert.match(unanswered.body.detail, /Answer every comment/);
  const bare = await cert.post(`${base}/${g.id}/comments/${comment.id}/answer`, { answer: 'rejected' });
  assert.equal(bare.status, 422);
  const answered = await cert.post(`${base}/${g.id}/comments/${comment.id}/answer`, { answer: 'rejected', reason: 'Ransomware moves faster than twice a year.' });
  assert.equal(answered.status, 200);
  const pub = await cert.post(`${base}/${g.id}/publish`, undefined);
  assert.equal(pub.status, 200, JSON.stringify(pub.body));
  assert.equal(pub.body.versions[0].state, 'published');
  // The Markdown is stored as written; the browser renders it without raw HTML.
  assert.match(pub.body.versions[0].body, /<script>/);

  // The audience is told; organisations record adoption.
  const told = (await isb.get('/api/v1/me/notifications?limit=200')).body.items;
  assert.ok(told.some((n) => n.link === `/guidelines/${g.id}` && /published/.test(n.subject)));
  const bank = await as('ciso.bank1');
  const adopt = await bank.put(`/api/v1/organisations/${await orgId('HCB')}/guideline-adoptions/${g.id}`, { status: 'planned', date: '2027-03-01T00:00:00.000Z', note: 'With the new backup system.' });
  assert.equal(adopt.status, 200, JSON.stringify(adopt.body));
  assert.equal(adopt.body.you.adopt_as[0].current.status, 'planned');
  assert.equal(adopt.body.you.adopt_as[0].current.date, '2027-03-01');
  const bad = await bank.put(`/api/v1/organisations/${await orgId('HCB')}/guideline-adoptions/${g.id}`, { status: 'maybe', date: 'soon' });
  assert.equal(bad.status, 422);
  assert.deepEqual(bad.body.errors.map((e) => e.field).sort(), ['/date', '/status']);
  // Someone outside the organisation cannot record for it.
  assert.equal((await isb.put(`/api/v1/organisations/${await orgId('HCB')}/guideline-adoptions/${g.id}`, { status: 'adopted', date: '2027-03-01T00:00:00.000Z' })).status, 403);

  // A new version: a draft from the published one, published directly; the first is superseded.
  const v2 = await cert.post(`${base}/${g.id}/versions`, { changelog: 'Adds immutable storage as an option.' });
  assert.equal(v2.status, 201);
  const edited = await cert.patch(`${base}/${g.id}`, { body: '## Measures\n\n- Keep one copy offline or immutable.' }, { headers: { 'if-match': `"${v2.body.version}"` } });
  assert.equal(edited.status, 200, JSON.stringify(edited.body));
  const stale = await cert.patch(`${base}/${g.id}`, { title: 'Stale' }, { headers: { 'if-match': `"${v2.body.version}"` } });
  assert.equal(stale.status, 412);
  const pub2 = await cert.post(`${base}/${g.id}/publish`, undefined);
  assert.deepEqual(pub2.body.versions.map((v) => v.state), ['superseded', 'published']);

  const log = (await (await as('cert.admin')).get('/api/v1/audit?limit=200')).body.items.filter((e) => e.resource_id === g.id).map((e) => e.action);
  for (const a of ['guideline.create', 'guideline.consult', 'guideline.comment', 'guideline.answer', 'guideline.publish', 'guideline.adopt', 'guideline.revise', 'guideline.update']) {
    assert.ok(log.includes(a), `${a} missing from ${log.join()}`);
  }
});

test('AGuidelineReachesOnlyItsAudienceAndBadInputStoresNothing', async () => {
  const cert = await as('cert.analyst');
  const base = `/api/v1/organisations/${await orgId('NatCERT')}/guidelines`;
  const before = (await cert.get('/api/v1/guidelines')).body.items.length;
  const refused = async (body, field) => {
    const res = await cert.post(base, body);
    assert.equal(res.status, 422, JSON.stringify(res.body));
    assert.ok(res.body.errors.some((e) => e.field === field), JSON.stringify(res.body.errors));
  };
  await refused(draft({ controls: ['urn:rampart:framework:policy11:99.9'] }), '/controls/0');
  await refused(draft({ distribution: 'public' }), '/distribution');
  await refused(draft({ title: '' }), '/title');
  await refused(draft({ tlp: 'TLP:WHITE' }), '/tlp');
  assert.equal((await cert.get('/api/v1/guidelines')).body.items.length, before);
  // Only a CERT's analysts write guidelines.
  assert.equal((await (await as('ciso.bank1')).post(`/api/v1/organisations/${await orgId('HCB')}/guidelines`, draft())).status, 403);

  // An AMBER guideline for two banks: the others never see it.
  const amber = await cert.post(base, draft({ tlp: 'TLP:AMBER', recipient_org_ids: [await orgId('HCB'), await orgId('ISB')] }));
  assert.equal(amber.status, 201, JSON.stringify(amber.body));
  const id = amber.body.id;
  await cert.post(`${base}/${id}/publish`, undefined);
  assert.equal((await (await as('ciso.bank1')).get(`/api/v1/guidelines/${id}`)).status, 200);
  assert.equal((await (await as('ciso.npc')).get(`/api/v1/guidelines/${id}`)).status, 404);
  assert.equal((await (await as('ciso.npc')).put(`/api/v1/organisations/${await orgId('NPC')}/guideline-adoptions/${id}`, { status: 'adopted', date: '2027-01-01T00:00:00.000Z' })).status, 404);
  const view = (await cert.get(`${base}/${id}/adoption`)).body;
  assert.deepEqual(view.items.map((i) => i.organisation.short_name).sort(), ['HCB', 'ISB']);
});
