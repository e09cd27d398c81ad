// The directory over HTTP: sectors, organisations, people, MOUs, versions, paging and the audit log.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, signedIn, all, cli } from './lib.mjs';

let server;
let admin;
before(async () => {
  server = await startServer();
  admin = await signedIn(server, 'cert.admin');
});
after(async () => { await server.stop(); });

async function orgByShortName(c, short) {
  const orgs = await all(c, '/api/v1/organisations');
  const o = orgs.find((x) => x.short_name === short);
  assert.ok(o, `demo organisation ${short}`);
  return o;
}

test('ListsTheEightDefaultSectorsWithTheirOrganisationCounts', async () => {
  const c = await signedIn(server, 'ciso.bank1');
  const res = await c.get('/api/v1/sectors');
  assert.equal(res.status, 200);
  const slugs = res.body.items.map((s) => s.slug).sort();
  assert.deepEqual(slugs, ['emergency-services', 'energy', 'finance', 'government', 'health', 'ict', 'transport', 'water']);
  const finance = res.body.items.find((s) => s.slug === 'finance');
  assert.ok(finance.organisation_count >= 10);
});

test('PagesThroughOrganisationsWithoutGapsOrRepeats', async () => {
  const c = await signedIn(server, 'regulator.finance');
  const everything = await all(c, '/api/v1/organisations', 200);
  const paged = await all(c, '/api/v1/organisations', 7);
  assert.ok(everything.length >= 50);
  assert.deepEqual(paged.map((o) => o.id), everything.map((o) => o.id));
  const names = paged.map((o) => o.name);
  assert.deepEqual([...names].sort(), names, 'sorted by name');
});

test('FiltersOrganisationsByKindSectorAndText', async () => {
  const c = await signedIn(server, 'regulator.finance');
  const sectors = (await c.get('/api/v1/sectors')).body.items;
  const finance = sectors.find((s) => s.slug === 'finance');
  const regulators = await all(c, `/api/v1/organisations?kind=regulator&sector=${finance.id}`);
  assert.deepEqual(regulators.map((o) => o.short_name).sort(), ['CB', 'FSC']);
  const banks = await all(c, '/api/v1/organisations?q=BANK');
  assert.ok(banks.length >= 4 && banks.every((o) => /bank/i.test(o.name + o.short_name)));
  const bad = await c.get('/api/v1/organisations?kind=pirate&sector=nope&limit=0');
  assert.equal(bad.status, 422);
  assert.deepEqual(bad.body.errors.map((e) => e.field).sort(), ['kind', 'limit', 'sector']);
  const badCursor = await c.get('/api/v1/organisations?cursor=garbage');
  assert.equal(badCursor.status, 422);
});

test('UpdatesNeedIfMatchAndRefuseAStaleVersion', async () => {
  const c = await signedIn(server, 'ciso.bank1');
  const hcb = await orgByShortName(c, 'HCB');
  const got = await c.get(`/api/v1/organisations/${hcb.id}`);
  const etag = got.headers.get('etag');
  assert.equal(etag, `"${hcb.version}"`);

  const missing = await c.patch(`/api/v1/organisations/${hcb.id}`, { website: 'https://hcb.example' });
  assert.equal(missing.status, 428);
  const ok = await c.patch(`/api/v1/organisations/${hcb.id}`, { website: 'https://hcb.example' }, { headers: { 'if-match': etag } });
  assert.equal(ok.status, 200);
  assert.equal(ok.body.website, 'https://hcb.example');
  assert.equal(ok.headers.get('etag'), `"${hcb.version + 1}"`);

  const stale = await c.patch(`/api/v1/organisations/${hcb.id}`, { website: 'https://lost.example' }, { headers: { 'if-match': etag } });
  assert.equal(stale.status, 412);
  const after = await c.get(`/api/v1/organisations/${hcb.id}`);
  assert.equal(after.body.website, 'https://hcb.example', 'the stale write changed nothing');
});

test('OnlyThePlatformAdministratorReclassifiesAnOrganisation', async () => {
  const c = await signedIn(server, 'ciso.bank1');
  const hcb = await orgByShortName(c, 'HCB');
  const fresh = await c.get(`/api/v1/organisations/${hcb.id}`);
  const denied = await c.patch(`/api/v1/organisations/${hcb.id}`, { criticality_tier: 3 }, { headers: { 'if-match': fresh.headers.get('etag') } });
  assert.equal(denied.status, 403);
  const ok = await admin.patch(`/api/v1/organisations/${hcb.id}`, { criticality_tier: 2 }, { headers: { 'if-match': fresh.headers.get('etag') } });
  assert.equal(ok.status, 200);
  assert.equal(ok.body.criticality_tier, 2);
});

test('CreatesOrganisationsAndRejectsInvalidOnesNamingEveryField', async () => {
  const sectors = (await admin.get('/api/v1/sectors')).body.items;
  const energy = sectors.find((s) => s.slug === 'energy');
  const created = await admin.post('/api/v1/organisations', {
    name: 'Geothermal Power Cooperative', short_name: 'GPC', kind: 'operator', sector_ids: [energy.id], criticality_tier: 2, size_class: 'small',
  });
  assert.equal(created.status, 201);
  assert.match(created.headers.get('location'), new RegExp(`/api/v1/organisations/${created.body.id}$`));

  const bad = await admin.post('/api/v1/organisations', { name: 'X', kind: 'pirate', sector_ids: ['nope'], criticality_tier: 9, size_class: 'huge', mascot: 'owl' });
  assert.equal(bad.status, 422);
  const fields = bad.body.errors.map((e) => e.field);
  for (const f of ['/name', '/kind', '/sector_ids/0', '/criticality_tier', '/size_class', '/mascot']) {
    assert.ok(fields.includes(f), `${f} is named in ${JSON.stringify(fields)}`);
  }
  const noSector = await admin.post('/api/v1/organisations', { name: 'Orphan Operator', kind: 'operator', sector_ids: [] });
  assert.equal(noSector.status, 422);
  const unknownSector = await admin.post('/api/v1/organisations', { name: 'Ghost Operator', kind: 'operator', sector_ids: ['01a2a2a2-0000-7000-8000-000000000000'] });
  assert.equal(unknownSector.status, 422);
  const dup = await admin.post('/api/v1/organisations', { name: 'Geothermal Power Cooperative', kind: 'operator', sector_ids: [energy.id] });
  assert.equal(dup.status, 409);
});

test('AnOrgAdminManagesTheirPeopleButNeverLeavesTheOrganisationWithoutAnAdministrator', async () => {
  const c = await signedIn(server, 'ciso.bank1');
  const hcb = await orgByShortName(c, 'HCB');
  const people = await all(c, `/api/v1/organisations/${hcb.id}/people`);
  assert.ok(people.some((p) => p.user.username === 'ciso.bank1'));

  const added = await c.post(`/api/v1/organisations/${hcb.id}/people`, {
    username: 'soc.lead.hcb', display_name: 'SOC lead', email: 'soc@hcb.example', password: 'correct horse battery', roles: ['reporter', 'analyst'],
  });
  assert.equal(added.status, 201);
  assert.deepEqual(added.body.roles.sort(), ['analyst', 'reporter']);
  assert.equal((await new Client(server.url).signIn('soc.lead.hcb', 'correct horse battery')).status, 200);

  const taken = await c.post(`/api/v1/organisations/${hcb.id}/people`, {
    username: 'soc.lead.hcb', display_name: 'Again', email: 'a@hcb.example', password: 'correct horse battery', roles: ['viewer'],
  });
  assert.equal(taken.status, 409);

  const etag = `"${added.body.user.version}"`;
  const promoted = await c.patch(`/api/v1/organisations/${hcb.id}/people/${added.body.user.id}`, { roles: ['reporter', 'org_admin'] }, { headers: { 'if-match': etag } });
  assert.equal(promoted.status, 200);
  const disabled = await c.patch(`/api/v1/organisations/${hcb.id}/people/${added.body.user.id}`, { disabled: true }, { headers: { 'if-match': promoted.headers.get('etag') } });
  assert.equal(disabled.status, 200);
  assert.equal((await new Client(server.url).signIn('soc.lead.hcb', 'correct horse battery')).status, 401, 'a disabled person cannot sign in');

  // Leave the CISO as the only active org_admin; dropping that role must then be refused.
  const colleague = (await all(c, `/api/v1/organisations/${hcb.id}/people`)).find((p) => p.user.username === 'ciso.hcb');
  const demoted = await c.patch(`/api/v1/organisations/${hcb.id}/people/${colleague.user.id}`, { roles: ['ciso'] }, { headers: { 'if-match': `"${colleague.user.version}"` } });
  assert.equal(demoted.status, 200, 'another administrator may be demoted while one remains');
  const me = people.find((p) => p.user.username === 'ciso.bank1');
  const current = (await all(c, `/api/v1/organisations/${hcb.id}/people`)).find((p) => p.user.id === me.user.id);
  const lockout = await c.patch(`/api/v1/organisations/${hcb.id}/people/${me.user.id}`, { roles: ['ciso'] }, { headers: { 'if-match': `"${current.user.version}"` } });
  assert.equal(lockout.status, 409);
});

test('PeopleOfAnotherOrganisationAreOutOfReach', async () => {
  const c = await signedIn(server, 'ciso.bank1');
  const isb = await orgByShortName(c, 'ISB');
  assert.equal((await c.get(`/api/v1/organisations/${isb.id}/people`)).status, 403);
  const add = await c.post(`/api/v1/organisations/${isb.id}/people`, {
    username: 'mole.isb', display_name: 'Mole', email: 'm@isb.example', password: 'correct horse battery', roles: ['org_admin'],
  });
  assert.equal(add.status, 403);
  assert.equal((await new Client(server.url).signIn('mole.isb', 'correct horse battery')).status, 401, 'nothing was created');
});

test('TheNationalCertKeepsTheMousAndRegulatorsOnlyReadThem', async () => {
  const analyst = await signedIn(server, 'cert.analyst');
  const regulator = await signedIn(server, 'regulator.finance');
  const mous = await all(regulator, '/api/v1/mous');
  assert.equal(mous.length, 9);
  const mou = mous[0];
  const etag = `"${mou.version}"`;
  const denied = await regulator.patch(`/api/v1/mous/${mou.id}`, { forward_within_hours: 1 }, { headers: { 'if-match': etag } });
  assert.equal(denied.status, 403);
  const ok = await analyst.patch(`/api/v1/mous/${mou.id}`, { forwarding_mode: 'after_review', forward_within_hours: 12 }, { headers: { 'if-match': etag } });
  assert.equal(ok.status, 200);
  assert.equal(ok.body.forwarding_mode, 'after_review');
  const backwards = await analyst.patch(`/api/v1/mous/${mou.id}`, { effective_to: '2000-01-01T00:00:00.000Z' }, { headers: { 'if-match': ok.headers.get('etag') } });
  assert.equal(backwards.status, 422);
  assert.equal(backwards.body.errors[0].field, '/effective_to');
  // A regulator that does not regulate the sector cannot be named in its MOU.
  const ura = await orgByShortName(analyst, 'URA');
  const wrong = await analyst.patch(`/api/v1/mous/${mou.id}`, { regulator_id: ura.id }, { headers: { 'if-match': ok.headers.get('etag') } });
  if (!ura.sector_ids.includes(mou.sector_id)) {
    assert.equal(wrong.status, 422);
    assert.equal(wrong.body.errors[0].field, '/regulator_id');
  }
});

test('EveryWriteIsInTheAuditLogAndTheChainVerifies', async () => {
  const before = await admin.get('/api/v1/audit?limit=200');
  assert.equal(before.status, 200);
  const sectors = (await admin.get('/api/v1/sectors')).body.items;
  const water = sectors.find((s) => s.slug === 'water');
  const got = await admin.get(`/api/v1/sectors/${water.id}`);
  const res = await admin.patch(`/api/v1/sectors/${water.id}`, { description: 'Drinking water, waste water and dams.' }, { headers: { 'if-match': got.headers.get('etag') } });
  assert.equal(res.status, 200);
  const log = await admin.get('/api/v1/audit?limit=5');
  const entry = log.body.items[0];
  assert.equal(entry.action, 'sector.update');
  assert.equal(entry.resource_id, water.id);
  assert.equal(entry.actor, 'cert.admin');
  assert.notEqual(entry.before_digest, entry.after_digest);
  const notAdmin = await signedIn(server, 'regulator.finance');
  assert.equal((await notAdmin.get('/api/v1/audit')).status, 403);
  const verify = cli(['audit', 'verify', '--db', server.db]);
  assert.equal(verify.code, 0, verify.stderr);
  assert.match(verify.stdout, /audit log intact: \d+ entries/);
});
