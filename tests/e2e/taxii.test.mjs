// TAXII 2.1 over HTTP, with plain HTTP requests (no Python TAXII client is packaged for this
// system): discovery and the API root with HTTP Basic (the API token as password) and Bearer;
// the media type (406, 415); collections per community and sharing group; POST with per-object
// status and the status resource; paging with more/next and the date-added headers; match[…]
// filters, one object, versions, manifest, DELETE; an organisation outside a sharing group sees
// nothing of its collection; the ATT&CK technique search and the STIX export.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, signedIn, all, Client, DEMO_PASSWORD } from './lib.mjs';

const TAXII = 'application/taxii+json;version=2.1';
const NATIONAL = '5f0e3c1a-7b2d-4e8f-9a61-3c2d1b0a9e77';
const GREEN = 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb';
const AMBER = 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421';

let server;
let analyst;  // cert.analyst of NatCERT, by token
let bank;     // ciso.bank1 (HCB, a member of NatCERT's group), by token
let isb;      // ciso.isb (ISB, outside the group), by token
let tokens = {};
let groupId;

async function tokenFor(username) {
  const c = await signedIn(server, username);
  const res = await c.post('/api/v1/tokens', { name: 'taxii', expires_in_days: 30, password: DEMO_PASSWORD });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  const t = new Client(server.url);
  t.token = res.body.secret;
  tokens[username] = res.body.secret;
  return t;
}

const taxii = { accept: TAXII };
const posting = { accept: TAXII, 'content-type': TAXII };

function uuid(n) {
  return `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
}

function indicator(n, extra = {}) {
  return {
    type: 'indicator', spec_version: '2.1', id: `indicator--${uuid(n)}`,
    created: '2026-01-01T00:00:00.000Z', modified: '2026-01-02T00:00:00.000Z',
    pattern: `[ipv4-addr:value = '198.51.100.${n % 250}']`, pattern_type: 'stix',
    valid_from: '2026-01-01T00:00:00Z', x_source_feed: 'e2e', ...extra,
  };
}

before(async () => {
  server = await startServer();
  analyst = await tokenFor('cert.analyst');
  bank = await tokenFor('ciso.bank1');
  isb = await tokenFor('ciso.isb');
  const groups = await all(await signedIn(server, 'cert.analyst'), '/api/v1/sharing-groups');
  groupId = groups.find((g) => g.name === 'Payment and power core').id;
});
after(async () => { await server?.stop(); });

test('DiscoveryAnswersHttpBasicWithTheTokenAsPassword', async () => {
  const basic = 'Basic ' + Buffer.from(`analyst@example.org:${tokens['cert.analyst']}`).toString('base64');
  const res = await fetch(server.url + '/taxii2/', { headers: { authorization: basic, accept: TAXII } });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), TAXII);
  const body = await res.json();
  assert.equal(body.api_roots.length, 1);
  assert.ok(body.api_roots[0].endsWith('/taxii2/api/'));
  const wrong = 'Basic ' + Buffer.from('anyone:not-a-token').toString('base64');
  assert.equal((await fetch(server.url + '/taxii2/', { headers: { authorization: wrong } })).status, 401);
  // Basic is for TAXII clients only: a browser may send remembered Basic credentials cross-site.
  const api = await fetch(server.url + '/api/v1/me', { headers: { authorization: basic } });
  assert.equal(api.status, 401);
  const root = await analyst.get('/taxii2/api/', { headers: taxii });
  assert.equal(root.status, 200);
  assert.deepEqual(root.body.versions, [TAXII]);
});

test('AnUnacceptableAcceptIs406AndAWrongContentTypeIs415InTaxiiErrorFormat', async () => {
  const res = await analyst.get('/taxii2/api/collections/', { headers: { accept: 'application/xml' } });
  assert.equal(res.status, 406);
  assert.equal(res.headers.get('content-type'), TAXII);
  assert.equal(res.body.http_status, '406');
  assert.ok(res.body.title);
  const old = await analyst.get('/taxii2/api/collections/', { headers: { accept: 'application/taxii+json;version=2.0' } });
  assert.equal(old.status, 406);
  const post = await analyst.post(`/taxii2/api/collections/${NATIONAL}/objects/`, { objects: [indicator(1)] },
    { headers: { accept: TAXII, 'content-type': 'application/json' } });
  assert.equal(post.status, 415);
  assert.equal(post.body.http_status, '415');
});

test('CollectionsAreTheCommunitiesAndGroupsOfTheCaller', async () => {
  const mine = (await analyst.get('/taxii2/api/collections/', { headers: taxii })).body.collections;
  assert.equal(mine[0].id, NATIONAL);
  assert.equal(mine[0].can_write, true);
  assert.ok(mine.some((c) => c.id === groupId && c.can_write));
  const banks = (await bank.get('/taxii2/api/collections/', { headers: taxii })).body.collections;
  assert.ok(banks.some((c) => c.id === groupId && !c.can_write), 'a member reads its group');
  assert.equal(banks.find((c) => c.id === NATIONAL).can_write, false);
  const outsiders = (await isb.get('/taxii2/api/collections/', { headers: taxii })).body.collections;
  assert.ok(!outsiders.some((c) => c.id === groupId), 'an outsider does not see the group');
});

test('APostStoresValidObjectsAndReportsEachRefusal', async () => {
  const objects = [indicator(1), indicator(2), { ...indicator(3), valid_from: '2026-01-01 00:00' }];
  const res = await analyst.post(`/taxii2/api/collections/${NATIONAL}/objects/`, { objects }, { headers: posting });
  assert.equal(res.status, 202, JSON.stringify(res.body));
  assert.equal(res.body.status, 'complete');
  assert.equal(res.body.total_count, 3);
  assert.equal(res.body.success_count, 2);
  assert.equal(res.body.failure_count, 1);
  assert.equal(res.body.failures[0].id, `indicator--${uuid(3)}`);
  assert.match(res.body.failures[0].message, /objects\[2\].*'valid_from'/);
  const status = await analyst.get(`/taxii2/api/status/${res.body.id}/`, { headers: taxii });
  assert.equal(status.status, 200);
  assert.equal(status.body.success_count, 2);
  // Somebody else's status resource does not exist for them.
  assert.equal((await bank.get(`/taxii2/api/status/${res.body.id}/`, { headers: taxii })).status, 404);
  // A reader of the community may not write into it.
  const refused = await bank.post(`/taxii2/api/collections/${NATIONAL}/objects/`, { objects: [indicator(9)] }, { headers: posting, check: false });
  assert.equal(refused.status, 403);
});

test('PagesFollowMoreAndNextWithTheDateAddedHeaders', async () => {
  await analyst.post(`/taxii2/api/collections/${NATIONAL}/objects/`, { objects: [indicator(4), indicator(5)] }, { headers: posting });
  const seen = [];
  let next;
  for (let i = 0; i < 10; i++) {
    const q = `?limit=2&match[type]=indicator${next ? '&next=' + encodeURIComponent(next) : ''}`;
    const page = await bank.get(`/taxii2/api/collections/${NATIONAL}/objects/${q}`, { headers: taxii });
    assert.equal(page.status, 200);
    assert.ok(page.body.objects.length <= 2);
    assert.ok(page.headers.get('x-taxii-date-added-first'));
    assert.ok(page.headers.get('x-taxii-date-added-last') >= page.headers.get('x-taxii-date-added-first'));
    seen.push(...page.body.objects.map((o) => o.id));
    if (!page.body.more) break;
    next = page.body.next;
  }
  assert.deepEqual(seen.filter((id) => id.startsWith('indicator--00000000')),
    [1, 2, 4, 5].map((n) => `indicator--${uuid(n)}`));
  const custom = await bank.get(`/taxii2/api/collections/${NATIONAL}/objects/?match[id]=indicator--${uuid(2)}`, { headers: taxii });
  assert.equal(custom.body.objects.length, 1);
  assert.equal(custom.body.objects[0].x_source_feed, 'e2e', 'custom properties are kept');
  const later = await bank.get(`/taxii2/api/collections/${NATIONAL}/objects/?added_after=2999-01-01T00:00:00Z`, { headers: taxii });
  assert.deepEqual(later.body.objects, []);
  assert.equal(later.body.more, false);
  const bad = await bank.get(`/taxii2/api/collections/${NATIONAL}/objects/?added_after=yesterday`, { headers: taxii });
  assert.equal(bad.status, 422);
  assert.equal(bad.body.http_status, '422');
});

test('VersionsManifestOneObjectAndDelete', async () => {
  const id = `indicator--${uuid(7)}`;
  await analyst.post(`/taxii2/api/collections/${NATIONAL}/objects/`, {
    objects: [indicator(7), indicator(7, { modified: '2026-02-01T00:00:00.000Z', name: 'second' })],
  }, { headers: posting });
  const versions = await bank.get(`/taxii2/api/collections/${NATIONAL}/objects/${id}/versions/`, { headers: taxii });
  assert.deepEqual(versions.body.versions, ['2026-01-02T00:00:00.000Z', '2026-02-01T00:00:00.000Z']);
  const last = await bank.get(`/taxii2/api/collections/${NATIONAL}/objects/${id}/`, { headers: taxii });
  assert.equal(last.body.objects.length, 1);
  assert.equal(last.body.objects[0].name, 'second');
  const every = await bank.get(`/taxii2/api/collections/${NATIONAL}/objects/${id}/?match[version]=all`, { headers: taxii });
  assert.equal(every.body.objects.length, 2);
  const first = await bank.get(`/taxii2/api/collections/${NATIONAL}/objects/${id}/?match[version]=first`, { headers: taxii });
  assert.equal(first.body.objects[0].modified, '2026-01-02T00:00:00.000Z');
  const manifest = await bank.get(`/taxii2/api/collections/${NATIONAL}/manifest/?match[id]=${id}&match[version]=all`, { headers: taxii });
  assert.equal(manifest.body.objects.length, 2);
  assert.equal(manifest.body.objects[0].media_type, 'application/stix+json;version=2.1');
  // Only the author's publishers delete.
  assert.equal((await bank.delete(`/taxii2/api/collections/${NATIONAL}/objects/${id}/`, { headers: taxii, check: false })).status, 403);
  const del = await analyst.delete(`/taxii2/api/collections/${NATIONAL}/objects/${id}/?match[version]=2026-01-02T00:00:00.000Z`, { headers: taxii });
  assert.equal(del.status, 200);
  const after = await bank.get(`/taxii2/api/collections/${NATIONAL}/objects/${id}/versions/`, { headers: taxii });
  assert.deepEqual(after.body.versions, ['2026-02-01T00:00:00.000Z']);
  await analyst.delete(`/taxii2/api/collections/${NATIONAL}/objects/${id}/`, { headers: taxii });
  assert.equal((await bank.get(`/taxii2/api/collections/${NATIONAL}/objects/${id}/`, { headers: taxii })).status, 404);
});

test('AnOrganisationOutsideAGroupSeesNothingOfItsCollection', async () => {
  const objects = [indicator(20, { object_marking_refs: [GREEN] }), indicator(21, { object_marking_refs: [AMBER] })];
  const res = await analyst.post(`/taxii2/api/collections/${groupId}/objects/`, { objects }, { headers: posting });
  assert.equal(res.body.success_count, 2, JSON.stringify(res.body));
  const member = await bank.get(`/taxii2/api/collections/${groupId}/objects/`, { headers: taxii });
  assert.deepEqual(member.body.objects.map((o) => o.id).sort(), [`indicator--${uuid(20)}`, `indicator--${uuid(21)}`]);
  for (const path of ['', 'objects/', 'manifest/', `objects/indicator--${uuid(20)}/`, `objects/indicator--${uuid(20)}/versions/`]) {
    const out = await isb.get(`/taxii2/api/collections/${groupId}/${path}`, { headers: taxii });
    assert.equal(out.status, 404, path);
    assert.equal(out.body.http_status, '404');
  }
  // Nor does it find them in the national collection.
  const national = await isb.get(`/taxii2/api/collections/${NATIONAL}/objects/?match[id]=indicator--${uuid(20)}`, { headers: taxii });
  assert.deepEqual(national.body.objects, []);
});

test('RedAndUnnamedAmberAreRefusedObjectByObject', async () => {
  const red = 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1';
  const res = await analyst.post(`/taxii2/api/collections/${NATIONAL}/objects/`, {
    objects: [indicator(30, { object_marking_refs: [red] }), indicator(31, { object_marking_refs: [AMBER] }), indicator(32)],
  }, { headers: posting });
  assert.equal(res.body.success_count, 1);
  assert.equal(res.body.failure_count, 2);
  assert.match(res.body.failures[0].message, /TLP:RED/);
  assert.match(res.body.failures[1].message, /recipient/);
});

test('ImportedTechniquesAreFoundByExternalId', async () => {
  const technique = {
    type: 'attack-pattern', spec_version: '2.1', id: 'attack-pattern--a62a8db3-f23a-4d8f-afd6-9dbc77e7813b',
    created: '2020-03-02T18:45:07.892Z', modified: '2023-10-01T02:28:45.147Z', name: 'Phishing',
    external_references: [{ source_name: 'mitre-attack', external_id: 'T1566', url: 'https://attack.mitre.org/techniques/T1566' }],
    x_mitre_platforms: ['Windows'],
  };
  await analyst.post(`/taxii2/api/collections/${NATIONAL}/objects/`, { objects: [technique] }, { headers: posting });
  const found = await bank.get('/api/v1/techniques?q=T1566');
  assert.equal(found.status, 200);
  assert.equal(found.body.items.length, 1);
  assert.equal(found.body.items[0].external_id, 'T1566');
  assert.equal(found.body.items[0].name, 'Phishing');
  assert.deepEqual((await bank.get('/api/v1/techniques?q=T9999')).body.items, []);
});

test('TheExportIsABundleWithOfficialTlpMarkings', async () => {
  const admin = await signedIn(server, 'cert.admin');
  const orgs = await all(admin, '/api/v1/organisations');
  const natcert = orgs.find((o) => o.short_name === 'NatCERT').id;
  const res = await analyst.get(`/api/v1/organisations/${natcert}/stix-bundle`);
  assert.equal(res.status, 200);
  const bundle = res.body;
  assert.equal(bundle.type, 'bundle');
  const types = new Set(bundle.objects.map((o) => o.type));
  for (const t of ['identity', 'report', 'indicator', 'vulnerability', 'relationship', 'marking-definition']) {
    assert.ok(types.has(t), `the export holds ${t}`);
  }
  const markings = new Set(bundle.objects.filter((o) => o.type === 'marking-definition').map((o) => o.id));
  for (const o of bundle.objects) {
    if (o.type === 'marking-definition' || o.type.endsWith('-addr') || o.type === 'domain-name' || o.type === 'url' || o.type === 'file') continue;
    assert.equal(o.object_marking_refs.length, 1, o.id);
    assert.ok(markings.has(o.object_marking_refs[0]), `${o.id} refers to a marking the bundle holds`);
  }
  const cve = bundle.objects.find((o) => o.type === 'vulnerability');
  assert.match(cve.name, /^CVE-\d{4}-\d+$/);
  // Only a publisher of that CERT exports it.
  assert.equal((await bank.get(`/api/v1/organisations/${natcert}/stix-bundle`, { check: false })).status, 403);
});
