// The built-in threat and vulnerability catalogues over HTTP (GET /api/v1/risk/catalogue): what a
// risk owner browses before adding threats and vulnerabilities to an analysis. Reference data for
// everyone signed in, narrowed by kind, family, asset type and text; bad filters refused by name.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, signedIn, Client } from './lib.mjs';

const PATH = '/api/v1/risk/catalogue';
let server;
before(async () => { server = await startServer(); });
after(async () => { await server.stop(); });

test('TheWholeCatalogueHasFamiliesThreatsAndVulnerabilities', async () => {
  const c = await signedIn(server, 'ciso.bank1');
  const res = await c.get(PATH);
  assert.equal(res.status, 200);
  const { families, asset_types: types, threats, vulnerabilities } = res.body;
  assert.ok(res.body.version.length > 0);
  assert.ok(threats.length >= 40, `${threats.length} threats`);
  assert.ok(vulnerabilities.length >= 60, `${vulnerabilities.length} vulnerabilities`);
  const familyIds = families.map((f) => f.id);
  assert.ok(familyIds.includes('physical_damage') && familyIds.includes('unauthorised_actions'));
  // Each family counts its threats, and every threat is in a listed family.
  for (const f of families) assert.equal(f.threats, threats.filter((t) => t.family === f.id).length);
  for (const t of threats) assert.ok(familyIds.includes(t.family), t.urn);
  assert.deepEqual(types.filter((t) => t.primary).map((t) => t.id), ['business_process', 'information']);
  // URNs are stable, distinct, and a vulnerability's threats are all in the catalogue.
  const urns = new Set(threats.map((t) => t.urn));
  assert.equal(urns.size, threats.length);
  for (const v of vulnerabilities) {
    assert.match(v.urn, /^urn:rampart:risk:vulnerability:/);
    for (const u of v.threat_urns) assert.ok(urns.has(u), `${v.urn} names ${u}`);
  }
  assert.ok(threats.every((t) => t.criteria.confidentiality || t.criteria.integrity || t.criteria.availability));
  assert.equal(res.headers.get('cache-control'), 'private, max-age=3600');
});

test('FiltersNarrowByKindFamilyAssetTypeAndText', async () => {
  const c = await signedIn(server, 'viewer.hcb');
  const whole = (await c.get(PATH)).body;

  const onlyThreats = (await c.get(`${PATH}?kind=threat`)).body;
  assert.equal(onlyThreats.threats.length, whole.threats.length);
  assert.equal(onlyThreats.vulnerabilities.length, 0);
  const onlyVulns = (await c.get(`${PATH}?kind=vulnerability`)).body;
  assert.equal(onlyVulns.threats.length, 0);
  assert.equal(onlyVulns.vulnerabilities.length, whole.vulnerabilities.length);

  const fam = (await c.get(`${PATH}?family=physical_damage`)).body;
  assert.ok(fam.threats.length > 0 && fam.threats.length < whole.threats.length);
  assert.ok(fam.threats.every((t) => t.family === 'physical_damage'));
  // A vulnerability is in a family when it lets one of the family's threats happen.
  const physical = new Set(fam.threats.map((t) => t.urn));
  assert.ok(fam.vulnerabilities.length > 0);
  assert.ok(fam.vulnerabilities.every((v) => v.threat_urns.some((u) => physical.has(u))));
  const expectVulns = whole.vulnerabilities.filter((v) => v.threat_urns.some((u) => physical.has(u)));
  assert.equal(fam.vulnerabilities.length, expectVulns.length);

  const site = (await c.get(`${PATH}?asset_type=site`)).body;
  assert.ok(site.threats.length > 0 && site.threats.length < whole.threats.length);
  assert.ok(site.threats.every((t) => t.asset_types.includes('site')));
  assert.ok(site.vulnerabilities.every((v) => v.asset_types.includes('site')));
  assert.equal(site.vulnerabilities.length, whole.vulnerabilities.filter((v) => v.asset_types.includes('site')).length);

  // Text search is case-insensitive over URN, name and description.
  const fire = (await c.get(`${PATH}?q=FIRE`)).body;
  assert.ok(fire.threats.some((t) => t.urn === 'urn:rampart:risk:threat:fire'));
  for (const t of fire.threats) assert.match(`${t.urn} ${t.name} ${t.description}`, /fire/i);
  const none = (await c.get(`${PATH}?q=${encodeURIComponent('no entry says this 7f3a')}`)).body;
  assert.equal(none.threats.length + none.vulnerabilities.length, 0);
  // The choices of the filter are listed whole whatever the filter.
  assert.equal(none.families.length, whole.families.length);
  assert.equal(none.asset_types.length, 8);

  // Filters combine.
  const both = (await c.get(`${PATH}?kind=threat&family=physical_damage&asset_type=site`)).body;
  assert.deepEqual(
    both.threats.map((t) => t.urn),
    whole.threats.filter((t) => t.family === 'physical_damage' && t.asset_types.includes('site')).map((t) => t.urn),
  );
});

test('BadFiltersAreRefusedByName', async () => {
  const c = await signedIn(server, 'ciso.bank1');
  const res = await c.get(`${PATH}?kind=asset&family=nonsense&asset_type=castle&q=${'x'.repeat(201)}`);
  assert.equal(res.status, 422);
  assert.equal(res.headers.get('content-type'), 'application/problem+json');
  assert.deepEqual(res.body.errors.map((e) => e.field).sort(), ['asset_type', 'family', 'kind', 'q']);
});

test('EveryoneSignedInMayReadItAndNobodyElse', async () => {
  const anonymous = await new Client(server.url).get(PATH);
  assert.equal(anonymous.status, 401);
  // Reference data: a CERT analyst with no risk role reads it too.
  const analyst = await signedIn(server, 'cert.analyst');
  assert.equal((await analyst.get(PATH)).status, 200);
});
