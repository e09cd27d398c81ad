// Incident reporting's reference data over HTTP: the ENISA RSIT taxonomy and the reporting
// profiles reporters classify and time their reports by.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, signedIn, Client, all } from './lib.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => { await server.stop(); });

test('EveryoneSignedInReadsTheRsitTaxonomyByMachineName', async () => {
  const c = await signedIn(server, 'reporter.bank1');
  const res = await c.get('/api/v1/taxonomies/rsit');
  assert.equal(res.status, 200);
  assert.equal(res.body.urn, 'urn:rampart:taxonomy:enisa-rsit');
  const classes = res.body.classes.map((k) => k.id);
  assert.deepEqual(classes, ['abusive-content', 'malicious-code', 'information-gathering', 'intrusion-attempts',
    'intrusions', 'availability', 'information-content-security', 'fraud', 'vulnerable', 'other', 'test']);
  const malicious = res.body.classes.find((k) => k.id === 'malicious-code');
  assert.ok(malicious.types.some((t) => t.id === 'c2-server'));
  const other = res.body.classes.find((k) => k.id === 'other');
  assert.deepEqual(other.types.filter((t) => t.data_quality).map((t) => t.id).sort(), ['other', 'undetermined']);
  assert.equal((await new Client(server.url).get('/api/v1/taxonomies/rsit')).status, 401);
});

test('ReportingProfilesStateTheLegalClocks', async () => {
  const c = await signedIn(server, 'regulator.finance');
  const res = await c.get('/api/v1/reporting-profiles');
  assert.equal(res.status, 200);
  const nis2 = res.body.items.find((p) => p.id === 'nis2-default');
  assert.equal(nis2.early_warning_within_hours, 24);
  assert.equal(nis2.notification_within_hours, 72);
  assert.equal(nis2.final_within_days, 30);
  const finance = res.body.items.find((p) => p.id === 'finance-dora-like');
  assert.equal(finance.early_warning_within_hours, 4);
  assert.equal(finance.significant_from, 'medium');
});

// ---- filing, routing, stages and handling of incident cases ----

const HOUR = 3600_000;
const iso = (ms) => new Date(ms).toISOString();

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

function earlyWarning(extra = {}) {
  return {
    title: 'Card payments failing at branches',
    aware_at: iso(Date.now() - 2 * HOUR),
    suspected_malicious: 'unknown',
    may_affect_others: false,
    ...extra,
  };
}

async function file(username, shortName, extra = {}) {
  const c = await signedIn(server, username);
  const res = await c.post(`/api/v1/organisations/${await orgId(shortName)}/incidents`, earlyWarning(extra));
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return { client: c, incident: res.body };
}

test('AReporterFilesAnEarlyWarningWithFourFieldsAndItReachesTheSectorAtOnce', async () => {
  const { incident } = await file('reporter.bank1', 'HCB', { affected_services: ['card payments'] });
  assert.match(incident.reference, /^INC-\d{4}-\d{6}$/);
  assert.equal(incident.state, 'submitted');
  assert.equal(incident.profile_id, 'finance-dora-like');
  assert.equal(incident.organisation.short_name, 'HCB');
  const relation = Object.fromEntries(incident.parties.map((p) => [p.name, p.relation]));
  assert.equal(relation['Harbour Commercial Bank'], 'reporter');
  assert.equal(relation['Central Bank'], 'regulator');
  assert.equal(relation['Financial Services Commission'], 'regulator');
  assert.equal(relation['Finance Sector CERT'], 'sector_cert');
  assert.equal(relation['National Computer Emergency Response Team'], 'national_cert', 'CB forwards on receipt');
  // The FSC's MOU says after review: a hand-over waits in its inbox for 24 hours.
  const waiting = incident.handovers.filter((h) => !h.delivered_at);
  assert.equal(waiting.length, 1);
  assert.equal(waiting[0].from, 'Financial Services Commission');
  // Finance runs the DORA-like clocks: early warning within 4 hours of awareness, on time here.
  const ew = incident.clocks.find((k) => k.stage === 'early_warning');
  assert.equal(ew.state, 'on_time');
  assert.equal(Date.parse(ew.due_at) - Date.parse(incident.aware_at), 4 * HOUR);
  const n = incident.clocks.find((k) => k.stage === 'notification');
  assert.equal(n.state, 'waiting');
  assert.equal(incident.next_due_stage, 'notification');
  assert.equal(Date.parse(incident.feedback_due_at) - Date.parse(incident.early_warning_at), 24 * HOUR);
  assert.equal(incident.reports.length, 1);
  assert.equal(incident.reports[0].stage, 'early_warning');
  assert.equal(incident.timeline[0].kind, 'filed');
});

test('ReferencesAreConsecutiveWithinTheYear', async () => {
  const a = (await file('reporter.bank1', 'HCB')).incident.reference;
  const b = (await file('reporter.bank1', 'HCB')).incident.reference;
  const num = (r) => Number(r.split('-')[2]);
  assert.equal(num(b), num(a) + 1);
});

test('EveryPartySeesTheCaseAndNoOneElseEvenKnowsItExists', async () => {
  const { incident } = await file('reporter.bank1', 'HCB');
  const path = `/api/v1/incidents/${incident.id}`;
  for (const who of ['ciso.bank1', 'mgmt.bank1', 'regulator.finance', 'fincert.analyst', 'cert.analyst']) {
    const c = await signedIn(server, who);
    assert.equal((await c.get(path)).status, 200, who);
    const listed = await all(c, '/api/v1/incidents');
    assert.ok(listed.some((i) => i.id === incident.id), `${who} lists it`);
  }
  // Another bank, another sector's regulator and CERT, the bank's own viewer, and the platform
  // administrator acting outside the CERT's analyst role do not.
  for (const who of ['ciso.isb', 'head.ura', 'lead.enercert', 'viewer.hcb', 'risk.hcb']) {
    const c = await signedIn(server, who);
    const res = await c.get(path);
    assert.equal(res.status, 404, `${who} got ${res.status}`);
    const listed = await all(c, '/api/v1/incidents');
    assert.ok(!listed.some((i) => i.id === incident.id), `${who} must not list it`);
    for (const [method, sub, body] of [
      ['POST', '/reports', { stage: 'notification' }],
      ['POST', '/comments', { text: 'hello' }],
      ['POST', '/transitions', { state: 'acknowledged' }],
      ['POST', '/requests', { question: 'What happened?' }],
      ['POST', '/observables', { observables: [{ type: 'ipv4', value: '203.0.113.9' }] }],
      ['POST', '/assignment', { assignee_id: null }],
    ]) {
      const r = await c.req(method, path + sub, { json: body });
      assert.equal(r.status, 404, `${who} ${method} ${sub} got ${r.status}`);
    }
  }
});

test('AManagerReadsButDoesNotReport', async () => {
  const { incident } = await file('reporter.bank1', 'HCB');
  const mgmt = await signedIn(server, 'mgmt.bank1');
  const res = await mgmt.get(`/api/v1/incidents/${incident.id}`);
  assert.equal(res.body.you.may_report, false);
  const r = await mgmt.post(`/api/v1/incidents/${incident.id}/comments`, { text: 'noted' });
  assert.equal(r.status, 403);
});

test('BadEarlyWarningsAreRefusedNamingEveryFieldAndNothingIsStored', async () => {
  const c = await signedIn(server, 'reporter.bank1');
  const before = (await all(c, '/api/v1/incidents')).length;
  const url = `/api/v1/organisations/${await orgId('HCB')}/incidents`;
  let res = await c.post(url, { title: 'x', aware_at: 'yesterday', suspected_malicious: 'maybe', colour: 'red' });
  assert.equal(res.status, 422);
  const fields = res.body.errors.map((e) => e.field);
  for (const f of ['/title', '/aware_at', '/suspected_malicious', '/may_affect_others', '/colour']) {
    assert.ok(fields.includes(f), `${f} in ${JSON.stringify(fields)}`);
  }
  res = await c.post(url, earlyWarning({ aware_at: iso(Date.now() + 48 * HOUR) }));
  assert.equal(res.status, 422);
  assert.deepEqual(res.body.errors.map((e) => e.field), ['/aware_at']);
  res = await c.post(url, earlyWarning({ occurred_at: iso(Date.now()), aware_at: iso(Date.now() - HOUR) }));
  assert.equal(res.status, 422);
  assert.deepEqual(res.body.errors.map((e) => e.field), ['/occurred_at']);
  res = await c.post(url, earlyWarning({ observables: [{ type: 'ipv4', value: '300.1.1.1' }] }));
  assert.equal(res.status, 422);
  assert.deepEqual(res.body.errors.map((e) => e.field), ['/observables/0/value']);
  // Someone else's organisation.
  res = await c.post(`/api/v1/organisations/${await orgId('ISB')}/incidents`, earlyWarning());
  assert.equal(res.status, 403);
  assert.equal((await all(c, '/api/v1/incidents')).length, before);
});

test('TheNotificationClassifiesAssessesAndNormalisesObservables', async () => {
  const { client, incident } = await file('reporter.bank1', 'HCB');
  const url = `/api/v1/incidents/${incident.id}/reports`;
  // Finance asks for clients and money in the notification; the taxonomy must be the RSIT's.
  let res = await client.post(url, { stage: 'notification', initial_assessment: 'Ransomware on card servers',
    rsit_class: 'malicious-code', rsit_type: 'infected-system' });
  assert.equal(res.status, 422);
  assert.deepEqual(res.body.errors.map((e) => e.field).sort(), ['/financial_loss_eur', '/users_affected']);
  res = await client.post(url, { stage: 'notification', initial_assessment: 'x', rsit_class: 'malicious-code',
    rsit_type: 'phishing', users_affected: 1, financial_loss_eur: 0 });
  assert.equal(res.status, 422);
  assert.deepEqual(res.body.errors.map((e) => e.field), ['/rsit_type']);
  res = await client.post(url, {
    stage: 'notification', initial_assessment: 'Ransomware encrypted the card authorisation servers.',
    rsit_class: 'malicious-code', rsit_type: 'infected-system', users_affected: 60000, financial_loss_eur: 20000,
    observables: [
      { type: 'ipv4', value: ' 198.51.100.23 ', tlp: 'amber+strict' },
      { type: 'domain', value: 'Evil-Payments[.]Example.', pap: 'PAP:GREEN' },
      { type: 'sha256', value: 'E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855' },
    ],
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  const c = res.body;
  assert.equal(c.severity, 'critical');
  assert.match(c.severity_rule, /users_affected 60000 >= 50000/);
  assert.equal(c.significant, true);
  assert.equal(c.clocks.find((k) => k.stage === 'notification').state, 'on_time');
  assert.equal(c.next_due_stage, 'final');
  const values = Object.fromEntries(c.observables.map((o) => [o.type, o]));
  assert.equal(values.ipv4.value, '198.51.100.23');
  assert.equal(values.ipv4.tlp, 'TLP:AMBER+STRICT');
  assert.equal(values.ipv4.tlp_marking, 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003');
  assert.equal(values.domain.value, 'evil-payments.example');
  assert.equal(values.domain.pap, 'PAP:GREEN');
  assert.equal(values.sha256.value, 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  // A second notification is refused: corrections go in an intermediate report.
  res = await client.post(url, { stage: 'notification', initial_assessment: 'again', users_affected: 1, financial_loss_eur: 1 });
  assert.equal(res.status, 409);
});

test('CertsHandleTheCaseTheReporterMayOnlyResolveAndIllegalMovesAreRefused', async () => {
  const { client: reporter, incident } = await file('reporter.bank1', 'HCB');
  const url = `/api/v1/incidents/${incident.id}/transitions`;
  let res = await reporter.post(url, { state: 'acknowledged' });
  assert.equal(res.status, 409);
  assert.equal(res.body.type, 'urn:rampart:problem:illegal-transition');
  const regulator = await signedIn(server, 'regulator.finance');
  res = await regulator.post(url, { state: 'acknowledged' });
  assert.equal(res.status, 403);
  const cert = await signedIn(server, 'fincert.analyst');
  res = await cert.post(url, { state: 'acknowledged', note: 'We are looking at it.' });
  assert.equal(res.status, 200);
  assert.equal(res.body.state, 'acknowledged');
  assert.ok(res.body.feedback_at, 'the acknowledgement is the CERT feedback');
  res = await cert.post(url, { state: 'closed' });
  assert.equal(res.status, 409);
  res = await reporter.post(url, { state: 'resolved' });
  assert.equal(res.status, 200);
  assert.ok(res.body.resolved_at);
  res = await cert.post(url, { state: 'closed' });
  assert.equal(res.status, 200);
  assert.deepEqual(res.body.you.next_states, []);
  res = await cert.post(url, { state: 'sleeping' });
  assert.equal(res.status, 422);
});

test('CommentsReachOnlyTheAudienceChosen', async () => {
  const { client: reporter, incident } = await file('reporter.bank1', 'HCB');
  const url = `/api/v1/incidents/${incident.id}`;
  const cert = await signedIn(server, 'cert.analyst');
  const regulator = await signedIn(server, 'regulator.finance');
  assert.equal((await cert.post(url + '/comments', { text: 'CERT-internal: looks like a known group', visibility: 'certs' })).status, 201);
  assert.equal((await regulator.post(url + '/comments', { text: 'Supervisors only', visibility: 'authorities' })).status, 201);
  assert.equal((await cert.post(url + '/comments', { text: 'Please isolate the servers', visibility: 'all' })).status, 201);
  const texts = async (c) => (await c.get(url)).body.timeline.filter((e) => e.kind === 'comment').map((e) => e.text);
  assert.deepEqual(await texts(reporter), ['Please isolate the servers']);
  assert.deepEqual(await texts(regulator), ['Supervisors only', 'Please isolate the servers']);
  assert.equal((await texts(cert)).length, 3);
  const res = await reporter.post(url + '/comments', { text: 'for the CERT only', visibility: 'certs' });
  assert.equal(res.status, 422);
  assert.deepEqual(res.body.errors.map((e) => e.field), ['/visibility']);
});

test('AfterReviewTheNationalCertWaitsForTheRegulatorsForward', async () => {
  const { incident } = await file('reporter.npc', 'NPC', { title: 'Substation SCADA alarms' });
  const cert = await signedIn(server, 'cert.analyst');
  assert.equal((await cert.get(`/api/v1/incidents/${incident.id}`)).status, 404, 'not forwarded yet');
  const ura = await signedIn(server, 'head.ura');
  const inbox = (await ura.get('/api/v1/incidents/forwarding')).body.items;
  const item = inbox.find((i) => i.incident_id === incident.id);
  assert.ok(item, 'waiting in the regulator inbox');
  assert.ok(item.remaining_minutes > 23 * 60 && item.remaining_minutes <= 24 * 60);
  assert.equal(item.overdue, false);
  // Nobody else forwards it: not the sector CERT, not another regulator.
  const enercert = await signedIn(server, 'lead.enercert');
  const forward = `/api/v1/incidents/${incident.id}/handovers/${item.handover_id}/forward`;
  assert.equal((await enercert.post(forward, {})).status, 403);
  assert.equal((await (await signedIn(server, 'regulator.finance')).post(forward, {})).status, 404);
  const res = await ura.post(forward, { note: 'Reviewed; forwarded.' });
  assert.equal(res.status, 200);
  assert.equal((await ura.post(forward, {})).status, 409, 'forwarded once');
  const seen = await cert.get(`/api/v1/incidents/${incident.id}`);
  assert.equal(seen.status, 200);
  assert.equal(seen.body.you.relations[0], 'national_cert');
  assert.ok(!(await ura.get('/api/v1/incidents/forwarding')).body.items.some((i) => i.incident_id === incident.id));
});

test('AnAnonymisedCaseHidesTheReportingOrganisationFromTheNationalCert', async () => {
  const { incident } = await file('reporter.vgh', 'VGH', { title: 'Patient records system unavailable' });
  const cert = await signedIn(server, 'cert.analyst');
  const res = await cert.get(`/api/v1/incidents/${incident.id}`);
  assert.equal(res.status, 200);
  const c = res.body;
  assert.equal(c.organisation.anonymised, true);
  assert.equal(c.organisation.id, null);
  assert.equal(c.organisation.name, null);
  assert.equal(c.organisation.label, 'Health operator (large)');
  const text = JSON.stringify(c);
  assert.ok(!text.includes('Victoria General Hospital'), 'the name appears nowhere');
  assert.ok(!text.includes(await orgId('VGH')), 'the id appears nowhere');
  const listed = (await all(cert, '/api/v1/incidents')).find((i) => i.id === incident.id);
  assert.equal(listed.organisation.anonymised, true);
  // Filtering by organisation must not reveal which anonymised case is whose.
  const filtered = await all(cert, `/api/v1/incidents?organisation_id=${await orgId('VGH')}`);
  assert.ok(!filtered.some((i) => i.id === incident.id));
  // The health regulator sees the organisation.
  const hsr = await signedIn(server, 'head.hsr');
  assert.equal((await hsr.get(`/api/v1/incidents/${incident.id}`)).body.organisation.short_name, 'VGH');
});

test('IntermediateRequestsFinalReportAndProgressFollowTheClocks', async () => {
  const { client: reporter, incident } = await file('reporter.bank1', 'HCB');
  const url = `/api/v1/incidents/${incident.id}`;
  const regulator = await signedIn(server, 'regulator.finance');
  let res = await regulator.post(url + '/requests', { question: 'How many card holders are affected?' });
  assert.equal(res.status, 201);
  const request = res.body.requests[0];
  assert.equal(Date.parse(request.due_at) - Date.parse(request.requested_at), 72 * HOUR);
  assert.ok(res.body.clocks.some((k) => k.stage === 'intermediate' && k.state === 'waiting'));
  res = await reporter.post(url + '/reports', { stage: 'intermediate', update: 'About 12,000 card holders.', request_id: request.id, users_affected: 12000 });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  assert.ok(res.body.requests[0].answered_at);
  assert.equal(res.body.severity, 'high');
  res = await reporter.post(url + '/reports', { stage: 'progress', status: 'still handling' });
  assert.equal(res.status, 422, 'a progress report follows the notification');
  res = await reporter.post(url + '/reports', { stage: 'notification', initial_assessment: 'Card fraud wave', rsit_class: 'fraud',
    rsit_type: 'phishing', users_affected: 12000, financial_loss_eur: 150000 });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  res = await reporter.post(url + '/reports', { stage: 'final', description: 'Phishing kit harvested card data.' });
  assert.equal(res.status, 422);
  assert.deepEqual(res.body.errors.map((e) => e.field).sort(), ['/financial_loss_eur', '/mitigations_applied', '/root_cause']);
  res = await reporter.post(url + '/reports', { stage: 'final', description: 'Phishing kit harvested card data.',
    root_cause: 'malicious_action', mitigations_applied: 'Cards reissued; kit taken down.', financial_loss_eur: 180000 });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  assert.equal(res.body.state, 'resolved');
  assert.equal(res.body.root_cause, 'malicious_action');
  assert.equal(res.body.clocks.find((k) => k.stage === 'final').state, 'on_time');
  assert.equal(res.body.next_due_at, null);
  assert.deepEqual(res.body.reports.map((r) => r.stage), ['early_warning', 'intermediate', 'notification', 'final']);
});

test('CasesAreAssignedOnlyToAnalystsOfACertHoldingThem', async () => {
  const { incident } = await file('reporter.bank1', 'HCB');
  const url = `/api/v1/incidents/${incident.id}/assignment`;
  const admin = await signedIn(server, 'cert.admin');
  const people = await all(admin, `/api/v1/organisations/${await orgId('NatCERT')}/people`);
  const analyst = people.find((p) => p.user.username === 'cert.analyst').user.id;
  const cert = await signedIn(server, 'fincert.analyst');
  let res = await cert.post(url, { assignee_id: analyst });
  assert.equal(res.status, 200);
  assert.equal(res.body.assignee_id, analyst);
  const mine = await all(await signedIn(server, 'cert.analyst'), '/api/v1/incidents?assignee=me');
  assert.ok(mine.some((i) => i.id === incident.id));
  const reporterId = (await (await signedIn(server, 'reporter.bank1')).get('/api/v1/me')).body.user.id;
  res = await cert.post(url, { assignee_id: reporterId });
  assert.equal(res.status, 422);
  res = await cert.post(url, { assignee_id: null });
  assert.equal(res.body.assignee_id, null);
});

test('ListsFilterByStateSeverityAndOverdue', async () => {
  const cert = await signedIn(server, 'cert.analyst');
  // Became aware three days ago and still no notification: overdue.
  const { incident } = await file('reporter.telnat', 'TelNat', { aware_at: iso(Date.now() - 80 * HOUR), title: 'Core router outage' });
  assert.equal(incident.overdue, true);
  assert.equal(incident.clocks.find((k) => k.stage === 'early_warning').state, 'late');
  const overdue = await all(cert, '/api/v1/incidents?overdue=true');
  assert.ok(overdue.some((i) => i.id === incident.id));
  assert.ok(overdue.every((i) => i.overdue));
  const open = await all(cert, '/api/v1/incidents?state=open');
  assert.ok(open.every((i) => ['submitted', 'acknowledged', 'triaged', 'in_progress'].includes(i.state)));
  const byRef = await all(cert, `/api/v1/incidents?q=${incident.reference}`);
  assert.deepEqual(byRef.map((i) => i.id), [incident.id]);
  const res = await cert.get('/api/v1/incidents?state=sleeping&severity=huge');
  assert.equal(res.status, 422);
  assert.deepEqual(res.body.errors.map((e) => e.field).sort(), ['severity', 'state']);
});

test('AnObservableReportedByTwoOrganisationsIsCorrelatedForTheCertsOnly', async () => {
  const value = `203.0.113.${200 + Math.floor(Math.random() * 50)}`;
  const a = await file('reporter.bank1', 'HCB', { observables: [{ type: 'ipv4', value }] });
  const b = await file('reporter.isb', 'ISB', { observables: [{ type: 'ipv4', value: value.replace(/\./g, '[.]') }] });
  // Values that say nothing about an attacker are never correlated.
  await file('reporter.bank1', 'HCB', { observables: [{ type: 'ipv4', value: '10.0.0.1' }] });
  const c2 = await file('reporter.isb', 'ISB', { observables: [{ type: 'ipv4', value: '10.0.0.1' }] });
  const cert = await signedIn(server, 'fincert.analyst');
  const seen = (await cert.get(`/api/v1/incidents/${b.incident.id}`)).body;
  assert.deepEqual(seen.correlations.map((k) => [k.reference, k.value]), [[a.incident.reference, value]]);
  assert.ok(seen.timeline.some((e) => e.kind === 'correlation' && e.visibility === 'certs'));
  const back = (await cert.get(`/api/v1/incidents/${a.incident.id}`)).body;
  assert.deepEqual(back.correlations.map((k) => k.incident_id), [b.incident.id]);
  assert.deepEqual((await cert.get(`/api/v1/incidents/${c2.incident.id}`)).body.correlations, []);
  // The reporting banks do not learn of each other's cases.
  const own = (await b.client.get(`/api/v1/incidents/${b.incident.id}`)).body;
  assert.deepEqual(own.correlations, []);
  assert.ok(!own.timeline.some((e) => e.kind === 'correlation'));
});

test('ANewReportIsAnnouncedToTheRegulatorAndTheCertsButNotToItsReporter', async () => {
  const { client: reporter, incident } = await file('reporter.bank1', 'HCB');
  const about = async (c) => (await c.get('/api/v1/me/notifications?limit=200')).body.items
    .filter((n) => n.incident_id === incident.id);
  const regulator = await signedIn(server, 'regulator.finance');
  const got = await about(regulator);
  assert.equal(got.length, 1);
  assert.match(got[0].subject, new RegExp(`^${incident.reference}: new incident report`));
  assert.ok(!got[0].subject.includes('Harbour'), 'e-mail subjects never name the organisation');
  assert.equal((await about(await signedIn(server, 'fincert.analyst'))).length, 1);
  assert.equal((await about(reporter)).length, 0);
  // The CERT acknowledges: the reporting organisation hears of it.
  const cert = await signedIn(server, 'fincert.analyst');
  await cert.post(`/api/v1/incidents/${incident.id}/transitions`, { state: 'acknowledged' });
  const told = await about(await signedIn(server, 'ciso.bank1'));
  assert.ok(told.some((n) => /state changed to acknowledged/.test(n.subject)));
});

test('ComplianceShowsEachAudienceOnlyTheCasesItHolds', async () => {
  const late = await file('reporter.telnat', 'TelNat', { aware_at: iso(Date.now() - 30 * HOUR) });  // 24 h profile: late
  const cert = await signedIn(server, 'cert.analyst');
  const all_ = (await cert.get('/api/v1/incidents/compliance')).body;
  assert.ok(all_.total.incidents > 0);
  const telnat = all_.organisations.find((o) => o.id === late.incident.organisation.id);
  assert.ok(telnat && telnat.stages_due >= 1 && telnat.stages_on_time < telnat.stages_due);
  assert.ok(telnat.on_time_share >= 0 && telnat.on_time_share < 1);
  // The national CERT holds health cases anonymised: no hospital appears by name.
  assert.ok(!all_.organisations.some((o) => o.name === 'Victoria General Hospital'));
  assert.ok(all_.sectors.some((s) => s.name === 'Health'));
  // A regulator sees its sector only; a bank only itself.
  const cb = (await (await signedIn(server, 'regulator.finance')).get('/api/v1/incidents/compliance')).body;
  assert.deepEqual(cb.sectors.map((s) => s.name), ['Finance']);
  const bank = (await (await signedIn(server, 'ciso.bank1')).get('/api/v1/incidents/compliance')).body;
  assert.deepEqual(bank.organisations.map((o) => o.name), ['Harbour Commercial Bank']);
  const bad = await cert.get('/api/v1/incidents/compliance?from=soon');
  assert.equal(bad.status, 422);
});

test('TheSectorsRegulatorChoosesItsReportingProfileForNewCases', async () => {
  const admin = await signedIn(server, 'cert.admin');
  const sectors = await all(admin, '/api/v1/sectors');
  const energy = sectors.find((s) => s.slug === 'energy');
  const finance = sectors.find((s) => s.slug === 'finance');
  assert.equal(finance.reporting_profile, 'finance-dora-like');
  assert.equal(energy.reporting_profile, 'nis2-default');
  const before = (await file('reporter.npc', 'NPC')).incident;
  const ura = await signedIn(server, 'head.ura');  // regulates energy and water
  // Not the finance regulator's sector, not an unknown profile, not another regulator.
  assert.equal((await ura.put(`/api/v1/sectors/${finance.id}/reporting-profile`, { profile_id: 'nis2-default' })).status, 403);
  assert.equal((await (await signedIn(server, 'regulator.finance')).put(`/api/v1/sectors/${energy.id}/reporting-profile`, { profile_id: 'finance-dora-like' })).status, 403);
  const bad = await ura.put(`/api/v1/sectors/${energy.id}/reporting-profile`, { profile_id: 'lenient' });
  assert.equal(bad.status, 422);
  assert.deepEqual(bad.body.errors.map((e) => e.field), ['/profile_id']);
  const res = await ura.put(`/api/v1/sectors/${energy.id}/reporting-profile`, { profile_id: 'finance-dora-like' });
  assert.equal(res.status, 200);
  const after = (await file('reporter.npc', 'NPC')).incident;
  assert.equal(after.profile_id, 'finance-dora-like');
  const old = await (await signedIn(server, 'reporter.npc')).get(`/api/v1/incidents/${before.id}`);
  assert.equal(old.body.profile_id, 'nis2-default', 'a case keeps the profile it was filed under');
  await ura.put(`/api/v1/sectors/${energy.id}/reporting-profile`, { profile_id: 'nis2-default' });
});

test('NothingGoesToThePoliceWithoutTwoApprovalsAndEveryReleaseIsLogged', async () => {
  const { client: reporter, incident } = await file('reporter.bank1', 'HCB');
  const url = `/api/v1/incidents/${incident.id}/disclosures`;
  const analyst = await signedIn(server, 'analyst.natcert');
  const second = await signedIn(server, 'analyst2.natcert');
  // Neither the reporter nor the regulator may see or record requests.
  assert.equal((await reporter.get(url)).status, 403);
  assert.equal((await (await signedIn(server, 'regulator.finance')).post(url, { authority: 'x', legal_basis: 'y', scope: 'z' })).status, 403);
  let res = await analyst.post(url, { authority: 'National Police, Cybercrime Unit', legal_basis: 'Order 2026/117 of the investigating judge' });
  assert.equal(res.status, 422);
  assert.deepEqual(res.body.errors.map((e) => e.field), ['/scope']);
  res = await analyst.post(url, { authority: 'National Police, Cybercrime Unit',
    legal_basis: 'Order 2026/117 of the investigating judge', scope: 'Indicators and timeline of the card fraud' });
  assert.equal(res.status, 201);
  const id = res.body.id;
  assert.equal(res.body.state, 'pending');
  const release = `${url}/${id}/release`;
  assert.equal((await analyst.post(release)).status, 409, 'not before two approvals');
  res = await analyst.post(`${url}/${id}/decisions`, { decision: 'approve' });
  assert.equal(res.body.state, 'pending');
  assert.equal((await analyst.post(`${url}/${id}/decisions`, { decision: 'approve' })).status, 409, 'one person approves once');
  assert.equal((await analyst.post(release)).status, 409);
  res = await second.post(`${url}/${id}/decisions`, { decision: 'approve' });
  assert.equal(res.body.state, 'approved');
  res = await second.post(release);
  assert.equal(res.status, 200);
  assert.equal(res.body.request.state, 'released');
  assert.equal(res.body.case.reference, incident.reference);
  assert.equal((await second.post(release)).status, 409, 'released once');
  const timeline = (await analyst.get(`/api/v1/incidents/${incident.id}`)).body.timeline;
  assert.ok(timeline.some((e) => e.kind === 'disclosure' && /Released to National Police/.test(e.text)));
  assert.ok(!(await reporter.get(`/api/v1/incidents/${incident.id}`)).body.timeline.some((e) => e.kind === 'disclosure'));
  // A refusal ends a request.
  res = await analyst.post(url, { authority: 'Customs', legal_basis: 'none given', scope: 'everything' });
  const refused = await second.post(`${url}/${res.body.id}/decisions`, { decision: 'refuse' });
  assert.equal(refused.status, 422, 'a refusal needs its reason');
  res = await second.post(`${url}/${res.body.id}/decisions`, { decision: 'refuse', reason: 'No legal basis.' });
  assert.equal(res.body.state, 'refused');
});
