// Requests for assistance over HTTP: an organisation asks its sector CERT or the national CERT for
// help, the CERT handles the request like a case, both sides talk, and nobody else learns of it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, signedIn, all } from './lib.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => { await server.stop(); });

const HOUR = 3600_000;

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

function request(certId, extra = {}) {
  return {
    cert_id: certId,
    kind: 'forensics',
    urgency: 'high',
    title: 'Forensic copy of a compromised server',
    description: 'A file server shows signs of an intrusion; we need a forensic image and analysis.',
    ...extra,
  };
}

// The CISO of Harbour Commercial Bank asks FinCERT (unless told otherwise).
async function ask(extra = {}, { username = 'ciso.bank1', org = 'HCB', cert = 'FinCERT' } = {}) {
  const c = await signedIn(server, username);
  const res = await c.post(`/api/v1/organisations/${await orgId(org)}/assistance`, request(await orgId(cert), extra));
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return { client: c, req: res.body };
}

const url = (r, tail = '') => `/api/v1/assistance/${r.id}${tail}`;

async function count(client, query = '') {
  return (await all(client, `/api/v1/assistance${query}`, 200)).length;
}

test('AnOrganisationMayAskTheCertOfItsSectorAndTheNationalCertOnly', async () => {
  const ciso = await signedIn(server, 'ciso.bank1');
  const res = await ciso.get(`/api/v1/organisations/${await orgId('HCB')}/assistance/certs`);
  assert.equal(res.status, 200);
  assert.deepEqual(res.body.items.map((c) => [c.short_name, c.relation]),
    [['FinCERT', 'sector_cert'], ['NatCERT', 'national_cert']]);
  // A transport operator has no sector CERT: the national CERT alone.
  const iac = await signedIn(server, 'ciso.iac');
  const only = await iac.get(`/api/v1/organisations/${await orgId('IAC')}/assistance/certs`);
  assert.deepEqual(only.body.items.map((c) => c.short_name), ['NatCERT']);
  // Asking for another organisation is refused.
  assert.equal((await ciso.get(`/api/v1/organisations/${await orgId('ISB')}/assistance/certs`)).status, 403);
});

test('ACisoAsksAndTheRequestIsNumberedAndListedOnBothSidesOnly', async () => {
  const { client: ciso, req } = await ask();
  assert.match(req.reference, /^AST-\d{4}-\d{6}$/);
  assert.equal(req.state, 'open');
  assert.equal(req.cert.short_name, 'FinCERT');
  assert.equal(req.cert.relation, 'sector_cert');
  assert.equal(req.asking_organisation.short_name, 'HCB');
  assert.deepEqual(req.you, { side: 'requester', may_write: true, may_note: false, may_handle: false, next_states: ['withdrawn'] });
  assert.equal(req.timeline[0].kind, 'filed');
  assert.ok(Date.parse(req.respond_by) - Date.parse(req.created_at) === 8 * HOUR, 'high urgency: an answer within 8 hours');

  const mine = await all(ciso, '/api/v1/assistance');
  const listed = mine.find((r) => r.id === req.id);
  assert.ok(listed);
  assert.equal(listed.side, 'requester');
  assert.equal(listed.reference, req.reference);
  const cert = await signedIn(server, 'fincert.analyst');
  const theirs = (await all(cert, '/api/v1/assistance')).find((r) => r.id === req.id);
  assert.ok(theirs);
  assert.equal(theirs.side, 'cert');
  // Management of the bank follows its requests; another bank and other CERTs see nothing of them.
  assert.ok((await all(await signedIn(server, 'mgmt.bank1'), '/api/v1/assistance')).some((r) => r.id === req.id));
  for (const who of ['ciso.isb', 'cert.analyst', 'analyst.telcert', 'regulator.finance']) {
    const other = await signedIn(server, who);
    assert.ok(!(await all(other, '/api/v1/assistance')).some((r) => r.id === req.id), `${who} lists it`);
  }
});

test('ARequestDoesNotExistForAnUnrelatedOrganisationNorForAnotherCert', async () => {
  const { req } = await ask();
  for (const who of ['ciso.isb', 'cert.analyst', 'analyst.telcert', 'regulator.finance']) {
    const c = await signedIn(server, who);
    assert.equal((await c.get(url(req))).status, 404, `${who} reads it`);
    // Whatever the body: a request one may not see is not there to be told one's input is wrong.
    assert.equal((await c.post(url(req, '/messages'), { text: 'hello' })).status, 404);
    assert.equal((await c.post(url(req, '/messages'), { nonsense: true })).status, 404);
    assert.equal((await c.post(url(req, '/transitions'), { state: 'accepted' })).status, 404);
    assert.equal((await c.post(url(req, '/assignment'), { assignee_id: null })).status, 404);
  }
  const after = (await (await signedIn(server, 'fincert.analyst')).get(url(req))).body;
  assert.equal(after.version, 1, 'nothing changed');
});

test('TheRequesterNeverSeesTheCertsInternalNotes', async () => {
  const { client: ciso, req } = await ask();
  const cert = await signedIn(server, 'fincert.analyst');
  let res = await cert.post(url(req, '/messages'), { text: 'Same actor as the March cases, check C2 list.', internal: true });
  assert.equal(res.status, 201);
  res = await cert.post(url(req, '/messages'), { text: 'We will call you within the hour.' });
  assert.equal(res.status, 201);
  assert.deepEqual(res.body.messages.map((m) => [m.kind, m.internal]), [['note', true], ['message', false]]);
  assert.ok(res.body.responded_at, 'the first message is the CERT answer');

  const seen = (await ciso.get(url(req))).body;
  assert.deepEqual(seen.messages.map((m) => m.text), ['We will call you within the hour.']);
  assert.ok(!JSON.stringify(seen).includes('March cases'), 'the note appears nowhere for the requester');
  assert.ok(seen.timeline.every((e) => !e.internal));
  // The requester cannot write notes of its own.
  res = await ciso.post(url(req, '/messages'), { text: 'secret', internal: true });
  assert.equal(res.status, 422);
  assert.deepEqual(res.body.errors.map((e) => e.field), ['/internal']);
  assert.equal((await ciso.get(url(req))).body.version, seen.version);
});

test('TheRequestMovesThroughItsStatesAndIllegalMovesAre409NamingTheState', async () => {
  const { client: ciso, req } = await ask({ urgency: 'critical' });
  const cert = await signedIn(server, 'fincert.analyst');
  // The requester cannot accept its own request.
  let res = await ciso.post(url(req, '/transitions'), { state: 'accepted' });
  assert.equal(res.status, 409);
  assert.equal(res.body.type, 'urn:rampart:problem:illegal-transition');
  assert.deepEqual(res.body.errors.map((e) => e.field), ['/state']);
  // Nor can the CERT resolve what it has not accepted.
  res = await cert.post(url(req, '/transitions'), { state: 'resolved' });
  assert.equal(res.status, 409);
  res = await cert.post(url(req, '/transitions'), { state: 'reopened' });
  assert.equal(res.status, 422);
  assert.deepEqual(res.body.errors.map((e) => e.field), ['/state']);

  // Accepting takes the request.
  res = await cert.post(url(req, '/transitions'), { state: 'accepted' });
  assert.equal(res.status, 200);
  assert.equal(res.body.state, 'accepted');
  assert.equal(res.body.assignee_name, cert.session.user.display_name);
  assert.deepEqual(res.body.you.next_states, ['in_progress', 'waiting_for_requester', 'resolved']);
  assert.equal((await ciso.get(url(req))).body.assignee_name, null, 'who handles it is the CERT\'s business');
  // Taken up, it can no longer be withdrawn.
  res = await ciso.post(url(req, '/transitions'), { state: 'withdrawn' });
  assert.equal(res.status, 409);

  await cert.post(url(req, '/transitions'), { state: 'in_progress' });
  res = await cert.post(url(req, '/transitions'), { state: 'waiting_for_requester', reason: 'We need the firewall logs.' });
  assert.equal(res.body.state, 'waiting_for_requester');
  // The requester's answer puts it back in progress.
  res = await ciso.post(url(req, '/messages'), { text: 'Logs uploaded to the shared folder.' });
  assert.equal(res.status, 201);
  assert.equal(res.body.state, 'in_progress');
  assert.ok(res.body.timeline.some((e) => e.kind === 'state' && /by the requester's answer/.test(e.text)));

  // A stale If-Match changes nothing.
  const current = (await cert.get(url(req))).body;
  res = await cert.post(url(req, '/transitions'), { state: 'resolved' }, { headers: { 'if-match': `"${current.version - 1}"` } });
  assert.equal(res.status, 412);
  res = await cert.post(url(req, '/transitions'), { state: 'resolved', reason: 'Image analysed; report sent.' }, { headers: { 'if-match': `"${current.version}"` } });
  assert.equal(res.status, 200);
  assert.ok(res.body.resolved_at);
  res = await ciso.get(url(req));
  assert.deepEqual(res.body.you.next_states, ['in_progress', 'closed']);
  res = await ciso.post(url(req, '/transitions'), { state: 'closed' });
  assert.equal(res.body.state, 'closed');
  assert.ok(res.body.closed_at);
  // Closed is over: no more conversation.
  res = await ciso.post(url(req, '/messages'), { text: 'One more thing' });
  assert.equal(res.status, 409);
  assert.equal((await cert.post(url(req, '/transitions'), { state: 'in_progress' })).status, 409);
});

test('DecliningNeedsAReasonAndWithdrawingIsTheRequestersWhileOpen', async () => {
  const { client: ciso, req } = await ask({ kind: 'advice', urgency: 'low' });
  const cert = await signedIn(server, 'fincert.analyst');
  let res = await cert.post(url(req, '/transitions'), { state: 'declined' });
  assert.equal(res.status, 422);
  assert.deepEqual(res.body.errors.map((e) => e.field), ['/reason']);
  res = await cert.post(url(req, '/transitions'), { state: 'declined', reason: 'Outside our mandate; see the national guidelines.' });
  assert.equal(res.status, 200);
  assert.equal(res.body.state, 'declined');
  const seen = (await ciso.get(url(req))).body;
  assert.equal(seen.state_reason, 'Outside our mandate; see the national guidelines.');
  assert.deepEqual(seen.you.next_states, []);

  const second = await ask({ kind: 'other' });
  res = await second.client.post(url(second.req, '/transitions'), { state: 'withdrawn', reason: 'Solved ourselves.' });
  assert.equal(res.status, 200);
  assert.equal(res.body.state, 'withdrawn');
  // The bank's management reads requests but does not act on them.
  const mgmt = await signedIn(server, 'mgmt.bank1');
  const third = await ask();
  assert.equal((await mgmt.post(url(third.req, '/transitions'), { state: 'withdrawn' })).status, 403);
});

test('BadInputNamesEveryFieldAndStoresNothing', async () => {
  const ciso = await signedIn(server, 'ciso.bank1');
  const before = await count(ciso);
  const hcb = await orgId('HCB');
  let res = await ciso.post(`/api/v1/organisations/${hcb}/assistance`,
    { cert_id: 'not-an-id', kind: 'hacking', urgency: 'whenever', title: 'x', colour: 'red' });
  assert.equal(res.status, 422);
  assert.deepEqual(res.body.errors.map((e) => e.field).sort(),
    ['/cert_id', '/colour', '/description', '/kind', '/title', '/urgency']);
  // A CERT the bank may not ask: the telecom sector's.
  res = await ciso.post(`/api/v1/organisations/${hcb}/assistance`, request(await orgId('TelCERT')));
  assert.equal(res.status, 422);
  assert.deepEqual(res.body.errors.map((e) => e.field), ['/cert_id']);
  // Another organisation's case, or one that does not exist.
  const isbCase = await (await signedIn(server, 'reporter.isb')).post(`/api/v1/organisations/${await orgId('ISB')}/incidents`,
    { title: 'Phishing wave', aware_at: new Date(Date.now() - HOUR).toISOString(), suspected_malicious: 'yes', may_affect_others: false });
  assert.equal(isbCase.status, 201);
  for (const incident of [isbCase.body.id, '01a2a2a2-0000-7000-8000-000000000000']) {
    res = await ciso.post(`/api/v1/organisations/${hcb}/assistance`, request(await orgId('FinCERT'), { incident_id: incident }));
    assert.equal(res.status, 422);
    assert.deepEqual(res.body.errors.map((e) => e.field), ['/incident_id']);
  }
  res = await ciso.post(`/api/v1/organisations/${hcb}/assistance`, request(await orgId('FinCERT'), { title: 'y'.repeat(201) }));
  assert.deepEqual(res.body.errors.map((e) => e.field), ['/title']);
  assert.equal(await count(ciso), before, 'nothing was stored');
  assert.equal(await count(await signedIn(server, 'fincert.analyst'), '?side=asked&q=' + encodeURIComponent('y'.repeat(50))), 0);
  // Bad filters name the parameter.
  res = await ciso.get('/api/v1/assistance?state=pending&urgency=soon&side=both&assignee=someone');
  assert.equal(res.status, 422);
  assert.deepEqual(res.body.errors.map((e) => e.field).sort(), ['assignee', 'side', 'state', 'urgency']);
});

test('ARequestLinksACaseTheOrganisationReportsOnlyWhenTheCertAskedHoldsIt', async () => {
  // The bank's case reaches FinCERT at once.
  const reporter = await signedIn(server, 'reporter.bank1');
  const filed = await reporter.post(`/api/v1/organisations/${await orgId('HCB')}/incidents`,
    { title: 'Card payments failing', aware_at: new Date(Date.now() - HOUR).toISOString(), suspected_malicious: 'unknown', may_affect_others: false });
  assert.equal(filed.status, 201);
  const { req } = await ask({ incident_id: filed.body.id, kind: 'incident_response' }, { username: 'reporter.bank1' });
  assert.equal(req.incident.reference, filed.body.reference);
  const cert = await signedIn(server, 'fincert.analyst');
  assert.equal((await cert.get(url(req))).body.incident.id, filed.body.id);

  // A transport case waits for the regulator's review: the national CERT does not hold it yet.
  const iac = await signedIn(server, 'ciso.iac');
  const waiting = await iac.post(`/api/v1/organisations/${await orgId('IAC')}/incidents`,
    { title: 'Check-in down', aware_at: new Date(Date.now() - HOUR).toISOString(), suspected_malicious: 'no', may_affect_others: false });
  assert.equal(waiting.status, 201);
  assert.ok(!waiting.body.parties.some((p) => p.relation.startsWith('national_cert')));
  const res = await iac.post(`/api/v1/organisations/${await orgId('IAC')}/assistance`,
    request(await orgId('NatCERT'), { incident_id: waiting.body.id }));
  assert.equal(res.status, 422);
  assert.deepEqual(res.body.errors.map((e) => e.field), ['/incident_id']);
  assert.match(res.body.errors[0].message, /does not hold/);
});

test('EachSideHearsOfWhatTheOtherDoesAndEmailsNameOnlyTheReference', async () => {
  const notes = async (c, r) => (await c.get('/api/v1/me/notifications?limit=200')).body.items
    .filter((n) => n.link === `/assistance/${r.id}`);
  const { client: ciso, req } = await ask({ urgency: 'critical' });
  const analyst = await signedIn(server, 'fincert.analyst');
  const told = await notes(analyst, req);
  assert.equal(told.length, 1);
  assert.equal(told[0].event, 'assistance.requested');
  assert.match(told[0].subject, new RegExp(`^${req.reference}: new request for assistance`));
  assert.ok(!told[0].subject.includes('Harbour') && !told[0].body.includes('Forensic copy'),
    'what leaves by e-mail carries no name and no content');
  assert.equal((await notes(ciso, req)).length, 0, 'nobody is told of their own doing');

  await analyst.post(url(req, '/messages'), { text: 'Internal only', internal: true });
  assert.equal((await notes(ciso, req)).length, 0, 'notes tell nobody');
  await analyst.post(url(req, '/transitions'), { state: 'accepted' });
  await analyst.post(url(req, '/messages'), { text: 'Call us on the hotline.' });
  const events = (await notes(ciso, req)).map((n) => n.event).sort();
  assert.deepEqual(events, ['assistance.message', 'assistance.state_changed']);
  // The reporter of the bank is told too; its management is not.
  assert.equal((await notes(await signedIn(server, 'reporter.bank1'), req)).length, 2);
  assert.equal((await notes(await signedIn(server, 'mgmt.bank1'), req)).length, 0);
});

test('TheCertAssignsAnAnalystOfItsOwnAndFindsItsWorkWithFilters', async () => {
  const { req } = await ask({ urgency: 'critical', title: 'Assign me please' });
  const lead = await signedIn(server, 'lead.fincert');
  const analyst = await signedIn(server, 'fincert.analyst');
  let res = await lead.post(url(req, '/assignment'), { assignee_id: analyst.session.user.id });
  assert.equal(res.status, 200);
  assert.equal(res.body.assignee_id, analyst.session.user.id);
  const assigned = (await analyst.get('/api/v1/me/notifications?limit=200')).body.items
    .filter((n) => n.link === `/assistance/${req.id}` && n.event === 'assistance.assigned');
  assert.equal(assigned.length, 1);
  // Nobody outside the CERT asked can be given it.
  const outsider = await signedIn(server, 'cert.analyst');
  res = await lead.post(url(req, '/assignment'), { assignee_id: outsider.session.user.id });
  assert.equal(res.status, 422);
  assert.deepEqual(res.body.errors.map((e) => e.field), ['/assignee_id']);
  res = await lead.post(url(req, '/assignment'), {});
  assert.equal(res.status, 422);
  // The requester cannot assign.
  const ciso = await signedIn(server, 'ciso.bank1');
  assert.equal((await ciso.post(url(req, '/assignment'), { assignee_id: null })).status, 403);

  const mine = await all(analyst, '/api/v1/assistance?assignee=me');
  assert.ok(mine.some((r) => r.id === req.id));
  assert.ok(mine.every((r) => r.assignee_name === analyst.session.user.display_name));
  assert.ok(!(await all(lead, '/api/v1/assistance?assignee=me')).some((r) => r.id === req.id));
  const critical = await all(analyst, '/api/v1/assistance?urgency=critical&state=open');
  assert.ok(critical.length > 0 && critical.every((r) => r.urgency === 'critical'));
  // Paging one at a time shows every request once, newest first.
  const paged = await all(analyst, '/api/v1/assistance', 1);
  const whole = await all(analyst, '/api/v1/assistance', 200);
  assert.deepEqual(paged.map((r) => r.id), whole.map((r) => r.id));
  assert.equal(new Set(paged.map((r) => r.id)).size, paged.length);
  assert.deepEqual([...whole.map((r) => r.id)].sort().reverse(), whole.map((r) => r.id));
  const found = await all(analyst, `/api/v1/assistance?q=${req.reference}`);
  assert.deepEqual(found.map((r) => r.id), [req.id]);
});

test('TheNationalCertHandlesWhatItIsAskedAndTheSectorCertDoesNotSeeIt', async () => {
  const { client: ciso, req } = await ask({ kind: 'malware_analysis' }, { cert: 'NatCERT' });
  assert.equal(req.cert.relation, 'national_cert');
  const national = await signedIn(server, 'cert.analyst');
  assert.equal((await national.post(url(req, '/transitions'), { state: 'accepted' })).status, 200);
  assert.equal((await (await signedIn(server, 'fincert.analyst')).get(url(req))).status, 404);
  // The national CERT's auditor reads but does not handle.
  const auditor = await signedIn(server, 'auditor.natcert');
  assert.equal((await auditor.get(url(req))).status, 200);
  assert.equal((await auditor.post(url(req, '/messages'), { text: 'hi' })).status, 403);
  assert.equal((await ciso.get(url(req))).body.state, 'accepted');
});
