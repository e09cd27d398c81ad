// Advisories over HTTP: a CERT drafts, publishes and corrects; the audience engine decides every
// read (an organisation outside the audience gets 404 and never sees the advisory in a list); a
// share wider than its label is refused and nothing is stored; delivery reaches the audience and
// nobody else, in the application and by e-mail (judged in the outbox the delivery worker sends
// from); organisations acknowledge, and the CERT sees who has not.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, signedIn, all, freshDatabase, STORE } from './lib.mjs';

let server;
let dbUrl;

before(async () => {
  dbUrl = freshDatabase();
  server = await startServer({ db: dbUrl });
});
after(async () => {
  await server?.stop();
});

// The e-mail the server queued in its outbox (sent after commit by the delivery worker) for one
// advisory: [{target (the address), subject, body}]. Read from the store itself, so the test
// judges every message, whatever the worker has sent so far.
function queuedMail(advisoryId) {
  const sql = `SELECT target, subject, body FROM outbox WHERE channel = 'email' AND link = '/advisories/${advisoryId}'`;
  let out;
  if (STORE === 'postgresql') {
    out = execFileSync('psql', ['-X', '-A', '-t', '-F', '\t', '-c', sql, dbUrl], { encoding: 'utf8' });
  } else {
    out = execFileSync('sqlite3', ['-separator', '\t', dbUrl.replace(/^sqlite:/, ''), sql], { encoding: 'utf8' });
  }
  return out.split('\n').filter((l) => l.includes('@')).map((l) => {
    const [target, subject] = l.split('\t');
    return { target: target.toLowerCase(), subject, raw: l };
  });
}

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

async function userId(username) {
  const c = await signedIn(server, username);
  return (await c.get('/api/v1/me')).body.user.id;
}

function advisory(extra = {}) {
  return {
    title: 'Exploited flaw in a file transfer appliance',
    summary: 'Attackers take files from appliances exposed to the Internet.',
    severity: 'high',
    affected_products: [{ vendor: 'Example Systems', product: 'FileGate', versions: '< 3.2' }],
    cve_ids: ['cve-2026-31337'],
    recommended_actions: 'Update to 3.2 and rotate the service account passwords.',
    observables: [{ type: 'ipv4', value: '203.0.113.7' }, { type: 'domain', value: 'exfil[.]example' }],
    tlp: 'TLP:AMBER',
    distribution: 'national',
    ...extra,
  };
}

// Drafts and publishes as the national CERT's analyst; returns the published advisory.
async function publish(extra = {}, { username = 'cert.analyst', org = 'NatCERT' } = {}) {
  const c = await signedIn(server, username);
  const author = await orgId(org);
  const draft = await c.post(`/api/v1/organisations/${author}/advisories`, advisory(extra));
  assert.equal(draft.status, 201, JSON.stringify(draft.body));
  const pub = await c.post(`/api/v1/organisations/${author}/advisories/${draft.body.id}/publish`, undefined);
  assert.equal(pub.status, 200, JSON.stringify(pub.body));
  return { client: c, adv: pub.body, author };
}

const listed = async (c, adv) => (await all(c, '/api/v1/advisories', 200)).some((a) => a.id === adv.id);

// First in the file, so that no other advisory's mail is queued ahead of these.
test('DeliveryReachesTheAudienceAndNobodyElse', async () => {
  const admin = await signedIn(server, 'cert.admin');
  // Every person's address and organisation, to judge each message sent.
  const orgOfAddress = new Map();
  for (const short of ['HCB', 'NPS', 'ISB', 'NatCERT', 'NPC']) {
    for (const p of await all(admin, `/api/v1/organisations/${await orgId(short)}/people`, 200)) {
      orgOfAddress.set((p.email ?? p.user?.email).toLowerCase(), short);
    }
  }
  const npcCiso = await userId('ciso.npc');
  const amber = (await publish({ title: 'Delivered to two banks', recipient_org_ids: [await orgId('HCB'), await orgId('NPS')] })).adv;
  const red = (await publish({ title: 'For one person only', tlp: 'TLP:RED', recipient_user_ids: [npcCiso] })).adv;

  // In the application: the bank's CISO is told; another bank's is not.
  const hcb = await signedIn(server, 'ciso.bank1');
  const isb = await signedIn(server, 'ciso.isb');
  const links = async (c) => (await c.get('/api/v1/me/notifications?limit=200')).body.items.map((n) => n.link);
  assert.ok((await links(hcb)).includes(`/advisories/${amber.id}`));
  assert.ok(!(await links(isb)).includes(`/advisories/${amber.id}`));
  assert.ok(!(await links(hcb)).includes(`/advisories/${red.id}`));
  const npc = await signedIn(server, 'ciso.npc');
  assert.ok((await links(npc)).includes(`/advisories/${red.id}`));
  const npcRisk = await signedIn(server, 'risk.npc');
  assert.ok(!(await links(npcRisk)).includes(`/advisories/${red.id}`), 'RED reaches the named person only');

  // By e-mail: every message queued for the AMBER advisory goes to people of the two banks,
  // and the RED one's to the person named alone.
  const amberMail = queuedMail(amber.id);
  assert.ok(amberMail.length >= 2, `${amberMail.length} messages`);
  for (const m of amberMail) assert.ok(['HCB', 'NPS'].includes(orgOfAddress.get(m.target)), `${m.target} got the AMBER advisory`);
  assert.deepEqual(new Set(amberMail.map((m) => orgOfAddress.get(m.target))), new Set(['HCB', 'NPS']));
  const redMail = queuedMail(red.id);
  const npcAddress = [...orgOfAddress.entries()].find(([a]) => a.startsWith('ciso.npc@'))?.[0];
  assert.deepEqual(redMail.map((m) => m.target), [npcAddress]);
  // What leaves by e-mail names an AMBER or RED advisory by reference, without its title.
  for (const m of [...amberMail, ...redMail]) {
    assert.match(m.subject, /^ADV-\d{4}-\d{4,}: new advisory/);
    assert.ok(!m.raw.includes('For one person only') && !m.raw.includes('Delivered to two banks'), m.raw);
  }
});

test('ACertDraftsAndPublishesAndTheValuesAreKeptInTheirCanonicalForm', async () => {
  const c = await signedIn(server, 'cert.analyst');
  const nat = await orgId('NatCERT');
  const draft = await c.post(`/api/v1/organisations/${nat}/advisories`, advisory({ recipient_org_ids: [await orgId('HCB')] }));
  assert.equal(draft.status, 201, JSON.stringify(draft.body));
  const d = draft.body;
  assert.equal(d.state, 'draft');
  assert.match(d.reference, /^ADV-\d{4}-\d{4,}$/);
  assert.deepEqual(d.cve_ids, ['CVE-2026-31337']);
  assert.deepEqual(d.observables.map((o) => o.value), ['203.0.113.7', 'exfil.example']);
  assert.equal(d.tlp.label, 'TLP:AMBER');
  assert.match(d.tlp.marking_id, /^marking-definition--55d920b0/);
  // A draft is the CERT's own: the recipient does not see it yet.
  const bank = await signedIn(server, 'ciso.bank1');
  assert.equal((await bank.get(`/api/v1/advisories/${d.id}`)).status, 404);
  assert.ok((await all(c, '/api/v1/advisories?state=draft', 200)).some((a) => a.id === d.id));

  const patched = await c.patch(`/api/v1/organisations/${nat}/advisories/${d.id}`, { severity: 'critical' }, { headers: { 'if-match': `"${d.version}"` } });
  assert.equal(patched.status, 200, JSON.stringify(patched.body));
  assert.equal(patched.body.severity, 'critical');
  const pub = await c.post(`/api/v1/organisations/${nat}/advisories/${d.id}/publish`, undefined);
  assert.equal(pub.status, 200);
  assert.equal(pub.body.state, 'published');
  const seen = await bank.get(`/api/v1/advisories/${d.id}`);
  assert.equal(seen.status, 200);
  assert.equal(seen.body.severity, 'critical');
  // A recipient is not told who else received it.
  assert.deepEqual(seen.body.recipient_organisations, []);
  assert.deepEqual(seen.body.you.acknowledge_as.map((a) => a.organisation_id), [await orgId('HCB')]);
});

test('AnOperatorOutsideTheAudienceGets404AndNeverSeesItInLists', async () => {
  const bob = await userId('ciso.bank1');
  const amber = (await publish({ recipient_org_ids: [await orgId('HCB')] })).adv;
  const strict = (await publish({ tlp: 'TLP:AMBER+STRICT', recipient_org_ids: [await orgId('HCB')] })).adv;
  const red = (await publish({ tlp: 'TLP:RED', recipient_user_ids: [bob] })).adv;
  const hcb = await signedIn(server, 'ciso.bank1');
  const colleague = await signedIn(server, 'reporter.bank1');
  const isb = await signedIn(server, 'ciso.isb');
  const fin = await signedIn(server, 'fincert.analyst');
  for (const a of [amber, strict, red]) {
    assert.equal((await hcb.get(`/api/v1/advisories/${a.id}`)).status, 200, a.tlp.label);
    assert.ok(await listed(hcb, a), a.tlp.label);
    for (const outsider of [isb, fin]) {
      const res = await outsider.get(`/api/v1/advisories/${a.id}`);
      assert.equal(res.status, 404, a.tlp.label);
      assert.ok(!(await listed(outsider, a)), a.tlp.label);
    }
  }
  // RED is for the person named, not their colleagues.
  assert.equal((await colleague.get(`/api/v1/advisories/${red.id}`)).status, 404);
  assert.equal((await colleague.get(`/api/v1/advisories/${amber.id}`)).status, 200);
  // Nobody outside acknowledges it either: the advisory does not exist for them.
  const ack = await isb.put(`/api/v1/organisations/${await orgId('ISB')}/advisory-acknowledgements/${amber.id}`, { state: 'read' });
  assert.equal(ack.status, 404);
});

test('AShareWiderThanTheLabelIsRefusedWithTheReasonAndNothingIsStored', async () => {
  const c = await signedIn(server, 'cert.analyst');
  const nat = await orgId('NatCERT');
  const drafts = async () => (await all(c, '/api/v1/advisories?state=draft', 200)).length;
  const before = await drafts();
  const red = await c.post(`/api/v1/organisations/${nat}/advisories`, advisory({ tlp: 'TLP:RED', distribution: 'public', recipient_user_ids: [await userId('ciso.bank1')] }));
  assert.equal(red.status, 422);
  assert.equal(red.body.errors[0].field, '/distribution');
  assert.match(red.body.detail, /TLP:RED may not be distributed publicly/);
  const green = await c.post(`/api/v1/organisations/${nat}/advisories`, advisory({ tlp: 'green', distribution: 'public' }));
  assert.equal(green.status, 422);
  const amberNobody = await c.post(`/api/v1/organisations/${nat}/advisories`, advisory());
  assert.equal(amberNobody.status, 422);
  assert.equal(amberNobody.body.errors[0].field, '/recipient_org_ids');
  assert.equal(await drafts(), before);
});

test('BadInputIsRefusedNamingEachField', async () => {
  const c = await signedIn(server, 'cert.analyst');
  const nat = await orgId('NatCERT');
  const res = await c.post(`/api/v1/organisations/${nat}/advisories`, advisory({
    severity: 'apocalyptic', cve_ids: ['CVE-12'], tlp: 'TLP:WHITE',
    observables: [{ type: 'ipv4', value: '300.1.1.1' }],
  }));
  assert.equal(res.status, 422);
  const fields = res.body.errors.map((e) => e.field);
  for (const f of ['/severity', '/cve_ids/0', '/tlp', '/observables/0/value']) assert.ok(fields.includes(f), `${f} in ${fields}`);
  // An operator is no CERT: it does not publish advisories.
  const bank = await signedIn(server, 'ciso.bank1');
  assert.equal((await bank.post(`/api/v1/organisations/${await orgId('HCB')}/advisories`, advisory())).status, 403);
});

test('PublishedAdvisoriesAreImmutableAndCorrectionsAreNewRevisions', async () => {
  const { client, adv, author } = await publish({ tlp: 'TLP:CLEAR', distribution: 'public' });
  const url = `/api/v1/organisations/${author}/advisories/${adv.id}`;
  assert.equal((await client.patch(url, { title: 'Changed after the fact' }, { headers: { 'if-match': `"${adv.version}"` } })).status, 409);
  const hcb = await signedIn(server, 'ciso.bank1');
  assert.equal((await hcb.put(`/api/v1/organisations/${await orgId('HCB')}/advisory-acknowledgements/${adv.id}`, { state: 'read' })).status, 200);

  const noLog = await client.post(`${url}/revisions`, {});
  assert.equal(noLog.status, 422);
  const rev = await client.post(`${url}/revisions`, { changelog: 'Fixed versions: 3.2 is affected too; update to 3.3.' });
  assert.equal(rev.status, 201, JSON.stringify(rev.body));
  assert.equal(rev.body.revision, 2);
  assert.equal(rev.body.reference, adv.reference);
  assert.equal((await client.post(`${url}/revisions`, { changelog: 'A second at once' })).status, 409);
  const edited = await client.patch(`/api/v1/organisations/${author}/advisories/${rev.body.id}`,
    { affected_products: [{ vendor: 'Example Systems', product: 'FileGate', versions: '< 3.3' }] },
    { headers: { 'if-match': `"${rev.body.version}"` } });
  assert.equal(edited.status, 200);
  const pub = await client.post(`/api/v1/organisations/${author}/advisories/${rev.body.id}/publish`, undefined);
  assert.equal(pub.status, 200);
  assert.deepEqual(pub.body.revisions.map((r) => [r.revision, r.state]), [[1, 'superseded'], [2, 'published']]);
  // The list shows the current revision only, and the acknowledgement carries over the series.
  const items = await all(hcb, '/api/v1/advisories', 200);
  assert.ok(items.some((a) => a.id === rev.body.id));
  assert.ok(!items.some((a) => a.id === adv.id));
  const current = items.find((a) => a.id === rev.body.id);
  assert.equal(current.acknowledgements[0].current.state, 'read');
});

test('EachOrganisationAcknowledgesWithHistoryAndTheCertSeesWhoHasNot', async () => {
  const recipients = ['HCB', 'NPS', 'CCB', 'Atlas'];
  const { client, adv, author } = await publish({
    severity: 'critical', recipient_org_ids: await Promise.all(recipients.map(orgId)),
  });
  const hcb = await signedIn(server, 'ciso.bank1');
  const ackUrl = `/api/v1/organisations/${await orgId('HCB')}/advisory-acknowledgements/${adv.id}`;
  assert.equal((await hcb.put(ackUrl, { state: 'read' })).status, 200);
  const applied = await hcb.put(ackUrl, { state: 'applied', note: 'Patched on all sites.' });
  assert.equal(applied.status, 200);
  assert.equal(applied.body.current.state, 'applied');
  assert.deepEqual(applied.body.history.map((h) => h.state), ['applied', 'read']);
  assert.equal((await hcb.put(ackUrl, { state: 'fixed' })).status, 422);
  // Management reads but does not acknowledge for the bank.
  const mgmt = await signedIn(server, 'mgmt.bank1');
  assert.equal((await mgmt.put(ackUrl, { state: 'read' })).status, 403);

  const dash = await client.get(`/api/v1/organisations/${author}/advisories/${adv.id}/acknowledgements`);
  assert.equal(dash.status, 200, JSON.stringify(dash.body));
  assert.equal(dash.body.summary.audience, 4);
  assert.equal(dash.body.summary.applied, 1);
  assert.equal(dash.body.summary.pending, 3);
  const order = dash.body.items.map((i) => [i.organisation.short_name, i.current?.state ?? null, i.organisation.criticality_tier]);
  // Pending first, the most critical (tier 1) of them first; the acknowledged last.
  assert.deepEqual(order.map((o) => o[0]), ['NPS', 'CCB', 'Atlas', 'HCB']);
  assert.equal(dash.body.summary.pending_critical, 1);
  const pending = await client.get(`/api/v1/organisations/${author}/advisories/${adv.id}/acknowledgements?pending=true`);
  assert.deepEqual(pending.body.items.map((i) => i.organisation.short_name), ['NPS', 'CCB', 'Atlas']);
  // Another CERT does not see this CERT's dashboard.
  const fin = await signedIn(server, 'fincert.analyst');
  assert.equal((await fin.get(`/api/v1/organisations/${author}/advisories/${adv.id}/acknowledgements`)).status, 403);
});

test('ARecipientPassesAnAmberAdvisoryOnButNeverAnAmberStrictOne', async () => {
  const amber = (await publish({ recipient_org_ids: [await orgId('HCB')] })).adv;
  const strict = (await publish({ tlp: 'TLP:AMBER+STRICT', recipient_org_ids: [await orgId('HCB')] })).adv;
  const hcb = await signedIn(server, 'ciso.bank1');
  const ccb = await signedIn(server, 'ciso.ccb');
  const hcbId = await orgId('HCB');
  assert.equal((await ccb.get(`/api/v1/advisories/${amber.id}`)).status, 404);
  const passed = await hcb.post(`/api/v1/organisations/${hcbId}/advisory-passes/${amber.id}`, { to_org_id: await orgId('CCB') });
  assert.equal(passed.status, 201, JSON.stringify(passed.body));
  assert.equal((await ccb.get(`/api/v1/advisories/${amber.id}`)).status, 200);
  const refused = await hcb.post(`/api/v1/organisations/${hcbId}/advisory-passes/${strict.id}`, { to_org_id: await orgId('CCB') });
  assert.equal(refused.status, 422);
  assert.match(refused.body.detail, /AMBER\+STRICT/);
  assert.equal((await ccb.get(`/api/v1/advisories/${strict.id}`)).status, 404);
});

test('TheDemoHasAdvisoriesAtEveryLabelForTheirAudiencesOnly', async () => {
  const hcb = await signedIn(server, 'ciso.bank1');
  const titles = (await all(hcb, '/api/v1/advisories', 200)).map((a) => `${a.tlp.label} ${a.title}`);
  assert.ok(titles.some((t) => t.startsWith('TLP:CLEAR Remote code execution')), titles.join('\n'));
  assert.ok(titles.some((t) => t.startsWith('TLP:AMBER Skimming malware')));
  assert.ok(!titles.some((t) => t.includes('grid control networks')), 'AMBER+STRICT for the grid only');
  // Newest publication first, and paging by two gives the same list in the same order.
  const whole = await all(hcb, '/api/v1/advisories', 200);
  const times = whole.map((a) => a.published_at);
  assert.deepEqual(times, [...times].sort().reverse());
  assert.deepEqual((await all(hcb, '/api/v1/advisories', 2)).map((a) => a.id), whole.map((a) => a.id));
  const npc = await signedIn(server, 'ciso.npc');
  const npcTitles = (await all(npc, '/api/v1/advisories', 200)).map((a) => a.title);
  assert.ok(npcTitles.some((t) => t.includes('grid control networks')));
  assert.ok(npcTitles.some((t) => t.includes('Reconnaissance of senior staff')));
  assert.ok(!npcTitles.some((t) => t.includes('Skimming malware')));
});
