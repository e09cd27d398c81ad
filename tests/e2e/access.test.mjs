// Walks every route of the OpenAPI document (which a unit test keeps equal to the server's route
// table) and proves that each refuses the people who must not reach it: anonymous callers, and
// people of an unrelated organisation. Expectations are declared per action, in one table; a
// route with an action missing here fails the test, so no new route escapes it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, signedIn, all } from './lib.mjs';

// For each action: what an anonymous caller gets, and what the CISO and org_admin of one bank
// gets when the route targets another organisation (or platform-wide resources).
const EXPECT = {
  'public': { anonymous: 'allowed', unrelated: 'allowed' },
  // A document published to other people does not exist for the caller.
  'self': { anonymous: 401, unrelated: { '/api/v1/me/policy-acknowledgements/{pub_id}': 404, default: 'allowed' } },
  // The shared risk statistics admit anyone signed in at the route, then decide risk.stats.read
  // on the sector: a bank's CISO is refused there.
  'directory.read': { anonymous: 401, unrelated: { '/api/v1/risk/statistics': 403, default: 'allowed' } },
  'reference.read': { anonymous: 401, unrelated: 'allowed' },
  'organisation.update': { anonymous: 401, unrelated: 403 },
  'people.read': { anonymous: 401, unrelated: 403 },
  'people.write': { anonymous: 401, unrelated: 403 },
  'sector.write': { anonymous: 401, unrelated: 403 },
  'organisation.create': { anonymous: 401, unrelated: 403 },
  'user.administer': { anonymous: 401, unrelated: 403 },
  'mou.write': { anonymous: 401, unrelated: 403 },
  'audit.read': { anonymous: 401, unrelated: 403 },
  // Incident cases: a case the caller's organisation does not hold does not exist for it (404);
  // the lists answer with what the caller may see.
  'incident.file': { anonymous: 401, unrelated: 403 },
  'sector.profile.write': { anonymous: 401, unrelated: 403 },
  'incident.read': { anonymous: 401, unrelated: { '/api/v1/incidents': 'allowed', '/api/v1/incidents/compliance': 'allowed', default: 404 } },
  'incident.report': { anonymous: 401, unrelated: 404 },
  'incident.comment': { anonymous: 401, unrelated: 404 },
  'incident.forward': { anonymous: 401, unrelated: { '/api/v1/incidents/forwarding': 'allowed', default: 404 } },
  'incident.request': { anonymous: 401, unrelated: 404 },
  'incident.handle': { anonymous: 401, unrelated: 404 },
  'incident.attach': { anonymous: 401, unrelated: 404 },
  'incident.task': { anonymous: 401, unrelated: 404 },
  'incident.consent': { anonymous: 401, unrelated: 404 },
  // Requests for assistance: asking is for one's own organisation; a request the caller's
  // organisation is no party to does not exist for it.
  'assistance.ask': { anonymous: 401, unrelated: 403 },
  'assistance.read': { anonymous: 401, unrelated: { '/api/v1/assistance': 'allowed', default: 404 } },
  'assistance.write': { anonymous: 401, unrelated: 404 },
  'assistance.handle': { anonymous: 401, unrelated: 404 },
  // Risk analyses: nobody outside the organisation, the platform administrator included.
  'risk.read': { anonymous: 401, unrelated: 403 },
  'risk.write': { anonymous: 401, unrelated: 403 },
  'risk.accept': { anonymous: 401, unrelated: 403 },
  // The ISMS: like risk, nobody outside the organisation; frameworks are imported by the
  // platform administrator only.
  'isms.read': { anonymous: 401, unrelated: 403 },
  'isms.write': { anonymous: 401, unrelated: 403 },
  'isms.audit': { anonymous: 401, unrelated: 403 },
  'isms.approve': { anonymous: 401, unrelated: 403 },
  'framework.import': { anonymous: 401, unrelated: 403 },
  // Sharing: the audience engine decides each shared item; one the caller may not see does not
  // exist for it. Groups, advisories and acknowledgements are kept for one's own organisation.
  'shared.read': { anonymous: 401, unrelated: { '/api/v1/sharing-groups': 'allowed', '/api/v1/advisories': 'allowed', '/api/v1/sharing/audience-preview': 'allowed', '/api/v1/shared-incidents': 'allowed', '/api/v1/guidelines': 'allowed', '/taxii2/': 'allowed', '/taxii2/api/': 'allowed', '/taxii2/api/collections/': 'allowed', '/api/v1/techniques': 'allowed', default: 404 } },
  'share.group.write': { anonymous: 401, unrelated: 403 },
  'advisory.publish': { anonymous: 401, unrelated: 403 },
  'advisory.ack': { anonymous: 401, unrelated: 403 },
  'guideline.publish': { anonymous: 401, unrelated: 403 },
  'guideline.adopt': { anonymous: 401, unrelated: 403 },
  // The threat profile: anyone signed in gets the aggregates their view allows. An organisation's
  // posture is its own, its sector authorities' and the national CERT's: another bank is refused.
  'profile.read': { anonymous: 401, unrelated: { '/api/v1/organisations/{id}/posture': 403, default: 'allowed' } },
};

// The expectation for one route: per action, or per path where an action's routes differ.
function expected(op, who) {
  const want = EXPECT[op.action][who];
  if (typeof want !== 'object') return want;
  return op.path in want ? want[op.path] : want.default;
}

let server;
let operations;
let otherOrg;
before(async () => {
  server = await startServer();
  const doc = await (await fetch(server.url + '/api/v1/openapi.json')).json();
  operations = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;  // path-level parameters
      operations.push({ method: method.toUpperCase(), path, action: op['x-rampart-action'] });
    }
  }
  const admin = await signedIn(server, 'cert.admin');
  otherOrg = (await all(admin, '/api/v1/organisations')).find((o) => o.short_name === 'ISB');
});
after(async () => { await server.stop(); });

// Fills path parameters: the organisation parameter with another organisation than the caller's,
// every other id with a real-looking id of nothing.
function concrete(path) {
  return path
    .replace('/organisations/{id}', `/organisations/${otherOrg.id}`)
    .replace(/\{[^}]+\}/g, '01a2a2a2-0000-7000-8000-000000000000');
}

async function call(client, op) {
  const opts = { check: false };
  if (!['GET', 'HEAD', 'DELETE'].includes(op.method)) opts.json = {};
  if (op.method === 'PATCH') opts.headers = { 'if-match': '"1"' };
  return client.req(op.method, concrete(op.path), opts);
}

test('EveryRouteHasADeclaredExpectation', () => {
  assert.ok(operations.length >= 30, `${operations.length} operations`);
  for (const op of operations) {
    assert.ok(op.action in EXPECT, `${op.method} ${op.path} has action ${op.action}, missing from the access table`);
  }
});

test('EveryNonPublicRouteRefusesAnAnonymousCaller', async () => {
  let checked = 0;
  for (const op of operations) {
    const want = expected(op, 'anonymous');
    if (want === 'allowed') continue;
    const res = await call(new Client(server.url), op);
    assert.equal(res.status, want, `${op.method} ${op.path} answered ${res.status} to an anonymous caller`);
    assert.equal(res.body.type, 'urn:rampart:problem:unauthenticated');
    checked++;
  }
  assert.ok(checked >= 25);
});

test('EveryRouteRefusesACallerFromAnUnrelatedOrganisation', async () => {
  const outsider = await signedIn(server, 'ciso.bank1');  // ciso and org_admin of another bank
  let checked = 0;
  for (const op of operations) {
    const want = expected(op, 'unrelated');
    if (want === 'allowed') continue;
    const res = await call(outsider, op);
    assert.equal(res.status, want, `${op.method} ${op.path} answered ${res.status} to an outsider`);
    checked++;
  }
  assert.ok(checked >= 11, `${checked} routes checked`);
});

test('ARegulatorCannotUsePlatformAdministration', async () => {
  const regulator = await signedIn(server, 'regulator.finance');
  for (const op of operations.filter((o) => ['sector.write', 'organisation.create', 'user.administer', 'mou.write', 'audit.read'].includes(o.action))) {
    const res = await call(regulator, op);
    assert.equal(res.status, 403, `${op.method} ${op.path} answered ${res.status} to a regulator`);
  }
});

test('AnUnknownRouteIs404AndAKnownPathWithAnotherMethodIs405WithAllow', async () => {
  const c = await signedIn(server, 'ciso.bank1');
  const missing = await c.get('/api/v1/no-such-thing', { check: false });
  assert.equal(missing.status, 404);
  assert.equal(missing.body.type, 'urn:rampart:problem:not-found');
  const wrong = await c.req('PUT', '/api/v1/sectors', { json: {}, check: false });
  assert.equal(wrong.status, 405);
  assert.equal(wrong.headers.get('allow'), 'GET, HEAD, POST');
});
