// Sharing groups and the audience engine over HTTP: a group's owner keeps it, its members see what
// was shared with it (older items included) and stop seeing it the moment they are removed, an
// organisation outside a group never reads its items, and the "who will see it" preview tells the
// truth before anything is shared.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, signedIn, all } from './lib.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => { await server.stop(); });

let orgs;
async function orgId(shortName) {
  if (!orgs) {
    const admin = await signedIn(server, 'cert.admin');
    orgs = await all(admin, '/api/v1/organisations', 200);
  }
  const o = orgs.find((x) => x.short_name === shortName);
  assert.ok(o, `no organisation ${shortName}`);
  return o.id;
}

const groupsOf = async (c) => (await c.get('/api/v1/sharing-groups')).body.items;

async function makeGroup(name, members, { username = 'cert.analyst', owner = 'NatCERT' } = {}) {
  const c = await signedIn(server, username);
  const res = await c.post(`/api/v1/organisations/${await orgId(owner)}/sharing-groups`, {
    name, description: 'for the test', member_org_ids: await Promise.all(members.map(orgId)),
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return { client: c, group: res.body };
}

// A published TLP:GREEN advisory of the national CERT limited to `groupId`.
async function shareWithGroup(client, groupId, title = 'Shared with a group') {
  const nat = await orgId('NatCERT');
  const draft = await client.post(`/api/v1/organisations/${nat}/advisories`, {
    title, summary: 'Only for the group.', severity: 'medium', tlp: 'TLP:GREEN',
    distribution: 'national', group_id: groupId,
  });
  assert.equal(draft.status, 201, JSON.stringify(draft.body));
  const pub = await client.post(`/api/v1/organisations/${nat}/advisories/${draft.body.id}/publish`, undefined);
  assert.equal(pub.status, 200, JSON.stringify(pub.body));
  return pub.body;
}

const sees = async (c, advisory) => (await c.get(`/api/v1/advisories/${advisory.id}`)).status === 200;
const lists = async (c, advisory) => (await all(c, '/api/v1/advisories', 200)).some((a) => a.id === advisory.id);

test('TheOwnerKeepsAGroupAndOnlyItsOwnerAndMembersReadIt', async () => {
  const { client, group } = await makeGroup('Payments core', ['HCB', 'NPS']);
  assert.equal(group.owner.short_name, 'NatCERT');
  assert.deepEqual(group.members.map((m) => m.short_name).sort(), ['HCB', 'NPS']);
  assert.equal(group.you.may_edit, true);

  const bank = await signedIn(server, 'ciso.bank1');
  assert.ok((await groupsOf(bank)).some((g) => g.id === group.id));
  const member = await bank.get(`/api/v1/sharing-groups/${group.id}`);
  assert.equal(member.status, 200);
  assert.equal(member.body.you.may_edit, false);
  // Another bank does not learn the group exists.
  const other = await signedIn(server, 'ciso.isb');
  assert.equal((await other.get(`/api/v1/sharing-groups/${group.id}`)).status, 404);
  assert.ok(!(await groupsOf(other)).some((g) => g.id === group.id));

  // Edits need the version read; a stale one is refused.
  const url = `/api/v1/organisations/${await orgId('NatCERT')}/sharing-groups/${group.id}`;
  assert.equal((await client.patch(url, { name: 'Payments core group' })).status, 428);
  assert.equal((await client.patch(url, { name: 'x' }, { headers: { 'if-match': '"999"' } })).status, 412);
  const renamed = await client.patch(url, { name: 'Payments core group' }, { headers: { 'if-match': `"${group.version}"` } });
  assert.equal(renamed.status, 200, JSON.stringify(renamed.body));
  assert.equal(renamed.body.name, 'Payments core group');
  assert.equal(renamed.body.version, group.version + 1);

  // A member may not edit the owner's group, nor make groups for another organisation.
  assert.equal((await bank.patch(url, { name: 'Ours now' }, { headers: { 'if-match': `"${renamed.body.version}"` } })).status, 403);
  assert.equal((await bank.post(`/api/v1/organisations/${await orgId('NatCERT')}/sharing-groups`, { name: 'Mine' })).status, 403);
});

test('BadGroupInputNamesTheFieldAndStoresNothing', async () => {
  const c = await signedIn(server, 'cert.analyst');
  const nat = await orgId('NatCERT');
  const before = (await groupsOf(c)).length;
  const noName = await c.post(`/api/v1/organisations/${nat}/sharing-groups`, { description: 'no name' });
  assert.equal(noName.status, 422);
  assert.ok(noName.body.errors.some((e) => e.field === '/name'));
  const unknown = await c.post(`/api/v1/organisations/${nat}/sharing-groups`, {
    name: 'Ghosts', member_org_ids: ['01a2a2a2-0000-7000-8000-000000000000'],
  });
  assert.equal(unknown.status, 422);
  assert.ok(unknown.body.errors.some((e) => e.field === '/member_org_ids'));
  const typo = await c.post(`/api/v1/organisations/${nat}/sharing-groups`, { name: 'Typo', member: [] });
  assert.equal(typo.status, 422);
  await makeGroup('Twice', []);
  const twice = await c.post(`/api/v1/organisations/${nat}/sharing-groups`, { name: 'Twice' });
  assert.equal(twice.status, 422);
  assert.ok(twice.body.errors.some((e) => e.field === '/name'));
  assert.equal((await groupsOf(c)).length, before + 1);
});

test('ANewGroupMemberSeesOlderItemsAndARemovedOneStopsAtOnce', async () => {
  const { client, group } = await makeGroup('Late joiners', ['HCB']);
  const item = await shareWithGroup(client, group.id, 'Older than the new member');
  const hcb = await signedIn(server, 'ciso.bank1');
  const isb = await signedIn(server, 'ciso.isb');
  assert.ok(await sees(hcb, item));
  assert.ok(await lists(hcb, item));
  // Outside the group: not readable, not listed, though TLP:GREEN and national.
  assert.equal((await isb.get(`/api/v1/advisories/${item.id}`)).status, 404);
  assert.ok(!(await lists(isb, item)));

  const members = `/api/v1/organisations/${await orgId('NatCERT')}/sharing-groups/${group.id}/members`;
  const added = await client.put(`${members}/${await orgId('ISB')}`, undefined);
  assert.equal(added.status, 200, JSON.stringify(added.body));
  assert.ok(await sees(isb, item), 'the new member sees the item shared before it joined');
  assert.ok(await lists(isb, item));

  const removed = await client.delete(`${members}/${await orgId('HCB')}`);
  assert.equal(removed.status, 200);
  assert.equal((await hcb.get(`/api/v1/advisories/${item.id}`)).status, 404);
  assert.ok(!(await lists(hcb, item)), 'the removed member no longer lists it');
  // The owner is always in its group.
  assert.equal((await client.put(`${members}/${await orgId('NatCERT')}`, undefined)).status, 422);
});

test('AGroupInUseCannotBeDeletedAndAnotherOrganisationsGroupCannotBeUsed', async () => {
  const { client, group } = await makeGroup('In use', ['HCB']);
  await shareWithGroup(client, group.id);
  const url = `/api/v1/organisations/${await orgId('NatCERT')}/sharing-groups/${group.id}`;
  assert.equal((await client.delete(url)).status, 409);
  const unused = await makeGroup('Unused', ['HCB']);
  assert.equal((await client.delete(`/api/v1/organisations/${await orgId('NatCERT')}/sharing-groups/${unused.group.id}`)).status, 204);

  // FinCERT neither owns nor belongs to the national CERT's group.
  const fin = await signedIn(server, 'fincert.analyst');
  const res = await fin.post(`/api/v1/organisations/${await orgId('FinCERT')}/advisories`, {
    title: 'Borrowed group', summary: 'x', severity: 'low', tlp: 'TLP:GREEN', distribution: 'national', group_id: group.id,
  });
  assert.equal(res.status, 422);
  assert.equal(res.body.errors[0].field, '/group_id');
});

test('ThePreviewShowsWhoWillSeeAnItemBeforeItIsShared', async () => {
  const c = await signedIn(server, 'cert.analyst');
  const nat = await orgId('NatCERT');
  const amber = await c.post('/api/v1/sharing/audience-preview', {
    author_org_id: nat, tlp: 'amber', distribution: 'national', recipient_org_ids: [await orgId('HCB'), await orgId('ISB')],
  });
  assert.equal(amber.status, 200, JSON.stringify(amber.body));
  assert.equal(amber.body.allowed, true);
  assert.equal(amber.body.organisations[0].short_name, 'NatCERT');  // the author first
  assert.deepEqual(amber.body.organisations.slice(1).map((o) => o.short_name).sort(), ['HCB', 'ISB']);
  assert.equal(amber.body.anonymous_public, false);

  const sector = await c.post('/api/v1/sharing/audience-preview', {
    author_org_id: nat, tlp: 'TLP:GREEN', distribution: 'sector', sector_ids: [(await all(c, '/api/v1/sectors', 200)).find((s) => s.slug === 'energy').id],
  });
  assert.equal(sector.body.allowed, true);
  assert.ok(sector.body.organisations.some((o) => o.short_name === 'NPC'));
  assert.ok(!sector.body.organisations.some((o) => o.short_name === 'HCB'));

  // Wider than the label: refused, with the reason, and nobody listed as reached beyond the label.
  const red = await c.post('/api/v1/sharing/audience-preview', { author_org_id: nat, tlp: 'TLP:RED', distribution: 'public' });
  assert.equal(red.body.allowed, false);
  assert.equal(red.body.refusal.field, 'distribution');
  assert.match(red.body.refusal.reason, /TLP:RED/);

  const clear = await c.post('/api/v1/sharing/audience-preview', { author_org_id: nat, tlp: 'clear', distribution: 'public' });
  assert.equal(clear.body.allowed, true);
  assert.equal(clear.body.anonymous_public, true);

  // One may preview only for an organisation one belongs to.
  const bank = await signedIn(server, 'ciso.bank1');
  const foreign = await bank.post('/api/v1/sharing/audience-preview', { author_org_id: nat, tlp: 'clear', distribution: 'public' });
  assert.equal(foreign.status, 422);
  assert.ok(foreign.body.errors.some((e) => e.field === '/author_org_id'));
});
