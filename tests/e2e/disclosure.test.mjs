// The disclosure protocol over HTTP: a case stays with its parties until the reporting
// organisation consents. A CERT holding the case asks to share a reviewed version with an audience
// the engine accepts; the reporting organisation's leaders consent or refuse, bound to the digest
// of exactly what was asked; the CERT publishes only what was consented to, and everyone reads the
// shared incident through the audience engine. Wrong organisations, shares wider than a label and
// publishing without consent are refused with problem+json, and nothing is stored.
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
let sectors;
async function orgId(shortName) {
  if (!orgs) {
    const admin = await signedIn(server, 'cert.admin');
    orgs = await all(admin, '/api/v1/organisations', 200);
    sectors = await all(admin, '/api/v1/sectors', 200);
  }
  const o = orgs.find((x) => x.short_name === shortName);
  assert.ok(o, `no organisation ${shortName}`);
  return o.id;
}
async function sectorId(slug) {
  await orgId('HCB');
  return sectors.find((s) => s.slug === slug).id;
}

const clients = {};
async function as(username) {
  clients[username] ??= await signedIn(server, username);
  return clients[username];
}

// A case of the Harbour Commercial Bank with three observables: GREEN, AMBER and AMBER+STRICT.
async function bankCase() {
  const reporter = await as('reporter.bank1');
  const res = await reporter.post(`/api/v1/organisations/${await orgId('HCB')}/incidents`, {
    title: 'Card data taken from payment terminals at Harbour Commercial Bank',
    summary: 'Malware on the payment terminals of three HCB branches sent card data out.',
    aware_at: new Date(Date.now() - 3_600_000).toISOString(),
    suspected_malicious: 'yes',
    may_affect_others: true,
    observables: [
      { type: 'ipv4', value: '203.0.113.44', tlp: 'TLP:GREEN' },
      { type: 'domain', value: 'card-drop.example', tlp: 'TLP:AMBER' },
      { type: 'sha256', value: 'a'.repeat(64), tlp: 'TLP:AMBER+STRICT' },
    ],
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  const obs = Object.fromEntries(res.body.observables.map((o) => [o.type, o.id]));
  return { incident: res.body, obs };
}

async function askBody(obs, extra = {}) {
  return {
    form: 'anonymised',
    title: 'Card skimming malware on bank payment terminals',
    text: 'Malware on the payment terminals of a bank sent card data to a server abroad. Check your terminals for the address below.',
    observable_ids: [obs.ipv4],
    tlp: 'TLP:GREEN',
    distribution: 'sector',
    sector_ids: [await sectorId('finance')],
    ...extra,
  };
}

async function requests(incidentId, username = 'fincert.analyst') {
  const res = await (await as(username)).get(`/api/v1/incidents/${incidentId}/share-requests`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

async function sharedIds(username) {
  return (await all(await as(username), '/api/v1/shared-incidents', 200)).map((s) => s.id);
}

test('TheWholeProtocolAskConsentPublishAndTheAudienceReadsOnlyTheReviewedVersion', async () => {
  const { incident, obs } = await bankCase();
  const cert = await as('fincert.analyst');
  const base = `/api/v1/incidents/${incident.id}/share-requests`;

  const asked = await cert.post(base, await askBody(obs));
  assert.equal(asked.status, 201, JSON.stringify(asked.body));
  const q = asked.body;
  assert.equal(q.state, 'pending');
  assert.equal(q.cert.short_name, 'FinCERT');
  assert.match(q.digest, /^[0-9a-f]{64}$/);
  assert.deepEqual(q.observables.map((o) => [o.value, o.tlp.label]), [['203.0.113.44', 'TLP:GREEN']]);
  // The preview is the engine's: the finance sector's organisations, nobody from energy.
  const audience = q.audience.organisations.map((o) => o.short_name);
  assert.ok(audience.includes('ISB') && audience.includes('HCB'), audience.join());
  assert.ok(!audience.includes('NPC'));
  assert.equal(q.audience.organisation_count, audience.length);
  assert.deepEqual(q.you, { may_edit: true, may_answer: false, may_withdraw: false, may_publish: false });

  // The reporting organisation's leaders are told, and see what they are asked.
  const mgmt = await as('mgmt.bank1');
  const told = (await mgmt.get('/api/v1/me/notifications?limit=200')).body.items;
  assert.ok(told.some((n) => n.link === `/incidents/${incident.id}` && /asks to share/.test(n.subject)), JSON.stringify(told.map((n) => n.subject)));
  const seen = (await requests(incident.id, 'mgmt.bank1')).items[0];
  assert.deepEqual(seen.you, { may_edit: false, may_answer: true, may_withdraw: false, may_publish: false });
  assert.equal(seen.digest, q.digest);

  // Publishing before consent is refused and nothing is shared.
  const early = await cert.post(`${base}/${q.id}/publish`, undefined);
  assert.equal(early.status, 409);
  assert.equal(early.body.type, 'urn:rampart:problem:consent-required');
  assert.ok(!(await sharedIds('ciso.isb')).some((id) => id === q.shared_incident_id));

  // Consent names the digest of what was read; a stale one is refused.
  const stale = await mgmt.post(`${base}/${q.id}/answer`, { decision: 'consent', digest: '0'.repeat(64) });
  assert.equal(stale.status, 409);
  assert.equal(stale.body.errors[0].field, '/digest');
  const ok = await mgmt.post(`${base}/${q.id}/answer`, { decision: 'consent', digest: q.digest, reason: 'Fine once anonymised.' });
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.equal(ok.body.state, 'consented');
  assert.equal(ok.body.answer.consent_matches, true);
  // The CERT is told.
  const certTold = (await (await as('fincert.analyst')).get('/api/v1/me/notifications?limit=200')).body.items;
  assert.ok(certTold.some((n) => n.link === `/incidents/${incident.id}` && /consented/.test(n.subject)));

  const pub = await cert.post(`${base}/${q.id}/publish`, undefined);
  assert.equal(pub.status, 200, JSON.stringify(pub.body));
  assert.equal(pub.body.state, 'published');
  const sharedId = pub.body.shared_incident_id;
  assert.ok(sharedId);

  // A finance operator reads it, anonymised: nothing names the bank.
  const isb = await as('ciso.isb');
  assert.ok((await sharedIds('ciso.isb')).includes(sharedId));
  const read = await isb.get(`/api/v1/shared-incidents/${sharedId}`);
  assert.equal(read.status, 200);
  assert.equal(read.body.organisation.id, null);
  assert.equal(read.body.organisation.label, 'Finance operator (large)');
  assert.equal(read.body.text, (await askBody(obs)).text);
  assert.deepEqual(read.body.observables.map((o) => [o.value, o.tlp.label]), [['203.0.113.44', 'TLP:GREEN']]);
  const text = JSON.stringify(read.body);
  assert.ok(!/Harbour|HCB|card-drop|branches/.test(text), text);
  assert.ok(!text.includes(incident.id), 'the case id never travels');
  assert.match(read.body.reference, /^SHI-\d{4}-\d{4,}$/);
  // An energy operator is outside the sector: not in its list, 404 on the item.
  assert.ok(!(await sharedIds('ciso.npc')).includes(sharedId));
  assert.equal((await (await as('ciso.npc')).get(`/api/v1/shared-incidents/${sharedId}`)).status, 404);
  // The audience was told in the application.
  const isbTold = (await isb.get('/api/v1/me/notifications?limit=200')).body.items;
  assert.ok(isbTold.some((n) => n.link === `/shared-incidents/${sharedId}`));
  const npcTold = (await (await as('ciso.npc')).get('/api/v1/me/notifications?limit=200')).body.items;
  assert.ok(!npcTold.some((n) => n.link === `/shared-incidents/${sharedId}`));

  // Published once: again is a conflict, and a published request does not change.
  assert.equal((await cert.post(`${base}/${q.id}/publish`, undefined)).status, 409);
  const change = await cert.patch(`${base}/${q.id}`, { title: 'Another title for it' }, { headers: { 'if-match': `"${pub.body.version}"` } });
  assert.equal(change.status, 409);

  // Every step is in the audit log.
  const admin = await as('cert.admin');
  const log = (await admin.get('/api/v1/audit?limit=200')).body.items.filter((e) => e.resource_id === q.id || e.resource_id === sharedId);
  const actions = log.map((e) => e.action);
  for (const a of ['incident.share.ask', 'incident.share.consent', 'incident.share.publish', 'shared_incident.publish']) {
    assert.ok(actions.includes(a), `${a} missing from ${actions.join()}`);
  }
  assert.equal(log.find((e) => e.action === 'incident.share.consent').actor, 'mgmt.bank1');
  // The case's timeline tells its parties.
  const timeline = (await (await as('reporter.bank1')).get(`/api/v1/incidents/${incident.id}`)).body.timeline;
  assert.ok(timeline.some((t) => t.kind === 'disclosure' && /Published/.test(t.text)));
});

test('AChangedRequestNeedsConsentAgainAndConsentCanBeWithdrawnBeforePublication', async () => {
  const { incident, obs } = await bankCase();
  const cert = await as('fincert.analyst');
  const ciso = await as('ciso.bank1');
  const base = `/api/v1/incidents/${incident.id}/share-requests`;
  const q = (await cert.post(base, await askBody(obs))).body;
  const consented = await ciso.post(`${base}/${q.id}/answer`, { decision: 'consent', digest: q.digest });
  assert.equal(consented.body.state, 'consented');

  // The CERT widens the audience: the answer no longer holds.
  const changed = await cert.patch(`${base}/${q.id}`, { distribution: 'national', sector_ids: [] }, { headers: { 'if-match': `"${consented.body.version}"` } });
  assert.equal(changed.status, 200, JSON.stringify(changed.body));
  assert.equal(changed.body.state, 'pending');
  assert.notEqual(changed.body.digest, q.digest);
  assert.equal(changed.body.answer, null);
  assert.equal((await cert.post(`${base}/${q.id}/publish`, undefined)).status, 409);
  // A stale version is 412, and changes nothing.
  const stale = await cert.patch(`${base}/${q.id}`, { title: 'Yet another title' }, { headers: { 'if-match': `"${consented.body.version}"` } });
  assert.equal(stale.status, 412);
  // The old digest answers nothing.
  assert.equal((await ciso.post(`${base}/${q.id}/answer`, { decision: 'consent', digest: q.digest })).status, 409);

  const again = await ciso.post(`${base}/${q.id}/answer`, { decision: 'consent', digest: changed.body.digest });
  assert.equal(again.body.state, 'consented');
  // Withdrawal needs a reason, then holds: nothing can be published.
  const noReason = await ciso.post(`${base}/${q.id}/withdraw`, {});
  assert.equal(noReason.status, 422);
  assert.equal(noReason.body.errors[0].field, '/reason');
  const withdrawn = await ciso.post(`${base}/${q.id}/withdraw`, { reason: 'Our lawyers ask us to wait.' });
  assert.equal(withdrawn.status, 200);
  assert.equal(withdrawn.body.state, 'withdrawn');
  const refused = await cert.post(`${base}/${q.id}/publish`, undefined);
  assert.equal(refused.status, 409);
  assert.match(refused.body.detail, /withdrawn/);
  assert.equal((await ciso.post(`${base}/${q.id}/withdraw`, { reason: 'Twice.' })).status, 409);

  // Refusal needs a reason.
  const q2 = (await cert.post(base, await askBody(obs))).body;
  const bare = await ciso.post(`${base}/${q2.id}/answer`, { decision: 'refuse', digest: q2.digest });
  assert.equal(bare.status, 422);
  const no = await ciso.post(`${base}/${q2.id}/answer`, { decision: 'refuse', digest: q2.digest, reason: 'Not now.' });
  assert.equal(no.body.state, 'refused');
  assert.equal(no.body.answer.reason, 'Not now.');
  assert.equal((await ciso.post(`${base}/${q2.id}/answer`, { decision: 'consent', digest: q2.digest })).status, 409);
});

test('ConsentFromAnyoneButTheReportingOrganisationsLeadersIsRefused', async () => {
  const { incident, obs } = await bankCase();
  const base = `/api/v1/incidents/${incident.id}/share-requests`;
  const q = (await (await as('fincert.analyst')).post(base, await askBody(obs))).body;
  const answer = { decision: 'consent', digest: q.digest };
  // Parties of the case who are not the reporting organisation's leaders: 403 saying who may.
  for (const who of ['fincert.analyst', 'regulator.finance', 'cert.analyst', 'reporter.bank1']) {
    const res = await (await as(who)).post(`${base}/${q.id}/answer`, answer);
    assert.equal(res.status, 403, `${who}: ${res.status}`);
    assert.equal(res.body.type, 'urn:rampart:problem:forbidden');
    assert.match(res.body.detail, /reporting organisation/);
  }
  // Another bank's leaders: the case does not exist for them.
  assert.equal((await (await as('ciso.isb')).post(`${base}/${q.id}/answer`, answer)).status, 404);
  assert.equal((await (await as('ciso.isb')).get(base)).status, 404);
  // Nothing changed.
  assert.equal((await requests(incident.id)).items.find((r) => r.id === q.id).state, 'pending');
  // Only the CERTs ask; the reporter's own people do not.
  const own = await (await as('ciso.bank1')).post(base, await askBody(obs));
  assert.equal(own.status, 403);
});

test('ASharedIncidentNeverTravelsWiderThanItsLabelsAndNothingIsStoredWhenRefused', async () => {
  const { incident, obs } = await bankCase();
  const cert = await as('fincert.analyst');
  const base = `/api/v1/incidents/${incident.id}/share-requests`;
  const refusedWith = async (body, field) => {
    const res = await cert.post(base, body);
    assert.equal(res.status, 422, JSON.stringify(res.body));
    assert.equal(res.headers.get('content-type'), 'application/problem+json');
    assert.ok(res.body.errors.some((e) => e.field === field), `${field} not in ${JSON.stringify(res.body.errors)}`);
    return res.body;
  };
  // An AMBER observable in a GREEN share; AMBER+STRICT in an AMBER share.
  await refusedWith(await askBody(obs, { observable_ids: [obs.ipv4, obs.domain] }), '/observable_ids/1');
  await refusedWith(
    await askBody(obs, { observable_ids: [obs.sha256], tlp: 'TLP:AMBER', distribution: 'national', sector_ids: [], recipient_org_ids: [await orgId('ISB')] }),
    '/observable_ids/0',
  );
  // The engine's refusals: public needs CLEAR; AMBER needs recipients.
  await refusedWith(await askBody(obs, { distribution: 'public', sector_ids: [] }), '/distribution');
  await refusedWith(await askBody(obs, { tlp: 'TLP:AMBER', observable_ids: [] }), '/recipient_org_ids');
  // An anonymised text that names the bank would undo the anonymisation.
  await refusedWith(await askBody(obs, { text: 'Malware at HCB branches took card data from the terminals.' }), '/text');
  // An observable of another case, and bad fields.
  const other = await bankCase();
  await refusedWith(await askBody(obs, { observable_ids: [other.obs.ipv4] }), '/observable_ids/0');
  await refusedWith(await askBody(obs, { tlp: 'TLP:WHITE' }), '/tlp');
  await refusedWith(await askBody(obs, { form: 'masked' }), '/form');
  assert.equal((await requests(incident.id)).items.length, 0, 'nothing stored');

  // An AMBER share with its AMBER observable reaches the recipient only.
  const amber = await cert.post(
    base,
    await askBody(obs, { observable_ids: [obs.ipv4, obs.domain], tlp: 'TLP:AMBER', distribution: 'national', sector_ids: [], recipient_org_ids: [await orgId('NPC')] }),
  );
  assert.equal(amber.status, 201, JSON.stringify(amber.body));
  assert.deepEqual(amber.body.audience.organisations.map((o) => o.short_name).sort(), ['FinCERT', 'NPC']);
  const ciso = await as('ciso.bank1');
  await ciso.post(`${base}/${amber.body.id}/answer`, { decision: 'consent', digest: amber.body.digest });
  const pub = await cert.post(`${base}/${amber.body.id}/publish`, undefined);
  assert.equal(pub.status, 200);
  const id = pub.body.shared_incident_id;
  assert.ok((await sharedIds('ciso.npc')).includes(id));
  const seen = (await (await as('ciso.npc')).get(`/api/v1/shared-incidents/${id}`)).body;
  assert.deepEqual(seen.observables.map((o) => o.tlp.label), ['TLP:GREEN', 'TLP:AMBER']);
  for (const who of ['ciso.isb', 'ciso.bank1', 'cert.analyst']) {
    assert.ok(!(await sharedIds(who)).includes(id), `${who} must not see an AMBER share it was not given`);
  }
  assert.equal((await (await as('ciso.isb')).get(`/api/v1/shared-incidents/${id}`)).status, 404);
});
