// The work on a case beyond its reports, over HTTP: a sector's own reporting profile within the
// law's bounds, each team's tasks, links between cases and merges of reports of one incident.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, signedIn, all } from './lib.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => { await server.stop(); });

const HOUR = 3600_000;
const iso = (ms) => new Date(ms).toISOString();

let orgs;
async function orgId(shortName) {
  if (!orgs) orgs = await all(await signedIn(server, 'cert.admin'), '/api/v1/organisations', 200);
  const o = orgs.find((x) => x.short_name === shortName);
  assert.ok(o, `no organisation ${shortName}`);
  return o.id;
}

async function file(username, shortName, title = 'Card payments failing at branches') {
  const c = await signedIn(server, username);
  const res = await c.post(`/api/v1/organisations/${await orgId(shortName)}/incidents`, {
    title, aware_at: iso(Date.now() - 2 * HOUR), suspected_malicious: 'unknown', may_affect_others: false,
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body;
}

async function userId(username) {
  return (await (await signedIn(server, username)).get('/api/v1/me')).body.user.id;
}

async function sector(slug) {
  const sectors = await all(await signedIn(server, 'cert.admin'), '/api/v1/sectors');
  return sectors.find((s) => s.slug === slug);
}

// ---- a sector's own reporting profile ----

test('ARegulatorTightensItsSectorsProfileAndNewCasesRunItsClocks', async () => {
  const energy = await sector('energy');
  const ura = await signedIn(server, 'head.ura');  // regulates energy and water
  const url = `/api/v1/sectors/${energy.id}/reporting-profile`;
  const res = await ura.put(url, {
    profile_id: 'nis2-default',
    early_warning_within_hours: 12,
    thresholds: { users_affected: { medium: 500, high: 5000 } },
    significant_from: 'medium',
    also_required: { final: ['cross_border_impact'] },
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.match(res.body.reporting_profile, /^sector-.+-v1$/);
  const v1 = res.body.reporting_profile;

  const shown = await ura.get(url);
  assert.equal(shown.status, 200);
  assert.equal(shown.body.own, true);
  assert.equal(shown.body.version, 1);
  assert.equal(shown.body.base_id, 'nis2-default');
  assert.equal(shown.body.profile.early_warning_within_hours, 12);
  assert.equal(shown.body.profile.notification_within_hours, 72, 'what was not adjusted stays the base');
  assert.deepEqual(shown.body.profile.thresholds.users_affected, { medium: 500, high: 5000, critical: 100000 });
  assert.ok(shown.body.profile.required_fields.final.includes('cross_border_impact'));
  assert.equal(shown.body.law.early_warning_within_hours, 24);

  const incident = await file('reporter.npc', 'NPC', 'Substation telemetry lost');
  assert.equal(incident.profile_id, v1);
  const ew = incident.clocks.find((k) => k.stage === 'early_warning');
  assert.equal(Date.parse(ew.due_at) - Date.parse(incident.aware_at), 12 * HOUR);

  // A second adjustment is a new version; the case keeps the one it was filed under, which stays
  // readable.
  const v2 = (await ura.put(url, { profile_id: 'nis2-default', early_warning_within_hours: 8 })).body.reporting_profile;
  assert.match(v2, /-v2$/);
  const again = await (await signedIn(server, 'reporter.npc')).get(`/api/v1/incidents/${incident.id}`);
  assert.equal(again.body.profile_id, v1);
  const old = await (await signedIn(server, 'reporter.npc')).get(`/api/v1/reporting-profiles/${v1}`);
  assert.equal(old.status, 200);
  assert.equal(old.body.early_warning_within_hours, 12);
  assert.equal((await ura.get('/api/v1/reporting-profiles/sector-nothing-v9')).status, 404);

  await ura.put(url, { profile_id: 'nis2-default' });
  assert.equal((await ura.get(url)).body.own, false);
});

test('AProfileLaxerThanTheLawIsRefusedFieldByFieldAndNothingChanges', async () => {
  const water = await sector('water');
  const ura = await signedIn(server, 'head.ura');
  const url = `/api/v1/sectors/${water.id}/reporting-profile`;
  const before = (await ura.get(url)).body;
  const res = await ura.put(url, {
    profile_id: 'nis2-default',
    early_warning_within_hours: 36,
    final_within_days: 45,
    thresholds: { duration_hours: { critical: 48 }, users_affected: { high: 10 } },
    significant_from: 'critical',
    also_required: { early_warning: ['users_affected'], final: ['favourite_colour'] },
  });
  assert.equal(res.status, 422);
  assert.deepEqual(res.body.errors.map((e) => e.field).sort(), [
    '/also_required/early_warning/0', '/also_required/final/0', '/early_warning_within_hours',
    '/final_within_days', '/significant_from', '/thresholds/duration_hours/critical',
    '/thresholds/users_affected/high',
  ]);
  assert.deepEqual((await ura.get(url)).body, before);
  // An unknown field inside an adjustment is named too.
  const typo = await ura.put(url, { profile_id: 'nis2-default', thresholds: { users: { high: 1 } } });
  assert.equal(typo.status, 422);
  assert.deepEqual(typo.body.errors.map((e) => e.field), ['/thresholds/users']);
  // Only the head of a regulator of the sector.
  const cb = await signedIn(server, 'regulator.finance');
  assert.equal((await cb.put(url, { profile_id: 'nis2-default', early_warning_within_hours: 6 })).status, 403);
});

// ---- tasks ----

test('EachTeamKeepsItsOwnTasksOnACase', async () => {
  const incident = await file('reporter.bank1', 'HCB');
  const tasks = `/api/v1/incidents/${incident.id}/tasks`;
  const reporter = await signedIn(server, 'reporter.bank1');
  const cert = await signedIn(server, 'fincert.analyst');

  const mine = await reporter.post(tasks, { title: 'Collect firewall logs for the CERT', assignee_id: await userId('ciso.hcb'), due_at: iso(Date.now() + 24 * HOUR) });
  assert.equal(mine.status, 201, JSON.stringify(mine.body));
  assert.equal(mine.body.status, 'open');
  assert.equal(mine.body.assignee_name.length > 0, true);
  const theirs = await cert.post(tasks, { title: 'Check the sector for the same indicators' });
  assert.equal(theirs.status, 201);

  // Each team sees its own list only, on the case page and in the list.
  const asReporter = (await reporter.get(`/api/v1/incidents/${incident.id}`)).body;
  assert.deepEqual(asReporter.tasks.map((t) => t.id), [mine.body.id]);
  assert.equal(asReporter.you.may_task, true);
  assert.deepEqual((await cert.get(tasks)).body.tasks.map((t) => t.id), [theirs.body.id]);
  const regulator = (await (await signedIn(server, 'regulator.finance')).get(tasks)).body;
  assert.deepEqual(regulator.tasks, []);

  // Another team's task does not exist for the caller; an assignee outside the team is refused.
  const patchTheirs = await reporter.patch(`${tasks}/${theirs.body.id}`, { status: 'done' }, { headers: { 'if-match': '"1"' } });
  assert.equal(patchTheirs.status, 404);
  const outsider = await reporter.post(tasks, { title: 'Ask the CERT', assignee_id: await userId('fincert.analyst') });
  assert.equal(outsider.status, 422);
  assert.deepEqual(outsider.body.errors.map((e) => e.field), ['/assignee_id']);
  // An auditor follows the case but keeps no tasks on it.
  assert.equal((await (await signedIn(server, 'auditor.hcb')).post(tasks, { title: 'Audit this' })).status, 403);

  // The assignee finds it in their own list, closes it, and a stale version is refused.
  const ciso = await signedIn(server, 'ciso.hcb');
  const listed = (await ciso.get('/api/v1/me/tasks')).body.items;
  assert.ok(listed.some((x) => x.task.id === mine.body.id && x.incident_reference === incident.reference));
  const done = await ciso.patch(`${tasks}/${mine.body.id}`, { status: 'done' }, { headers: { 'if-match': '"1"' } });
  assert.equal(done.status, 200, JSON.stringify(done.body));
  assert.equal(done.body.status, 'done');
  assert.ok(done.body.closed_at);
  const stale = await ciso.patch(`${tasks}/${mine.body.id}`, { title: 'Changed' }, { headers: { 'if-match': '"1"' } });
  assert.equal(stale.status, 412);
  assert.ok(!(await ciso.get('/api/v1/me/tasks')).body.items.some((x) => x.task.id === mine.body.id));
});

// ---- links and merges ----

test('TheCertLinksCasesItHoldsAndEachPartySeesOnlyLinksToCasesItCanRead', async () => {
  const a = await file('reporter.bank1', 'HCB', 'Phishing wave against clients');
  const b = await file('reporter.bank1', 'HCB', 'Fake login pages reported by clients');
  const c = await file('reporter.isb', 'ISB', 'Phishing against our clients too');
  const cert = await signedIn(server, 'fincert.analyst');
  const links = `/api/v1/incidents/${a.id}/links`;
  assert.equal((await cert.post(links, { incident: b.reference, note: 'same kit' })).status, 201);
  const res = await cert.post(links, { incident: c.reference });
  assert.equal(res.status, 201);
  assert.deepEqual(res.body.links.map((l) => [l.reference, l.kind]).sort(), [[b.reference, 'related'], [c.reference, 'related']]);
  assert.equal((await cert.post(links, { incident: b.id })).status, 409, 'linked already');

  // The bank sees the link to its own other case, never the other bank's.
  const bank = await signedIn(server, 'reporter.bank1');
  assert.deepEqual((await bank.get(`/api/v1/incidents/${a.id}`)).body.links.map((l) => l.reference), [b.reference]);
  const otherBank = await signedIn(server, 'reporter.isb');
  assert.deepEqual((await otherBank.get(`/api/v1/incidents/${c.id}`)).body.links, []);
  // Only the CERTs link; a case one cannot handle is not a target.
  assert.equal((await bank.post(links, { incident: c.reference })).status, 403);
  const unknown = await cert.post(links, { incident: 'INC-1999-000001' });
  assert.equal(unknown.status, 422);
  assert.deepEqual(unknown.body.errors.map((e) => e.field), ['/incident']);

  // The national CERT links the bank's case with an energy case: the finance CERT, which cannot
  // read the energy case, learns nothing of it, not even from the timeline.
  const energy = await file('reporter.npc', 'NPC', 'Same phishing kit at the utility');
  const waiting = energy.handovers.find((h) => !h.delivered_at);  // the energy MOU: after review
  const ura = await signedIn(server, 'head.ura');
  assert.equal((await ura.post(`/api/v1/incidents/${energy.id}/handovers/${waiting.id}/forward`, {})).status, 200);
  const national = await signedIn(server, 'cert.analyst');
  assert.equal((await national.post(links, { incident: energy.reference })).status, 201);
  const seen = (await cert.get(`/api/v1/incidents/${a.id}`)).body;
  assert.ok(!seen.links.some((l) => l.incident_id === energy.id));
  const text = JSON.stringify(seen);
  assert.ok(!text.includes(energy.reference) && !text.includes(energy.id), 'the energy case is not named to the finance CERT');
  assert.ok(seen.timeline.some((e) => e.kind === 'link' && e.text === 'Link to another case changed'));
  const full = (await national.get(`/api/v1/incidents/${a.id}`)).body;
  assert.ok(full.timeline.some((e) => e.text === `Linked to ${energy.reference}`));

  assert.equal((await cert.delete(`${links}/${b.id}`)).status, 204);
  assert.equal((await cert.delete(`${links}/${b.id}`)).status, 404);
  assert.deepEqual((await cert.get(`/api/v1/incidents/${b.id}`)).body.links, []);
});

test('MergingEndsOneReportAndTellsItsReporterWithoutNamingTheOtherCase', async () => {
  const a = await file('reporter.bank1', 'HCB', 'Card processor outage');
  const c = await file('reporter.isb', 'ISB', 'Card payments down');
  const cert = await signedIn(server, 'fincert.analyst');
  const merged = await cert.post(`/api/v1/incidents/${c.id}/merge`, { into: a.reference, note: 'same processor' });
  assert.equal(merged.status, 200, JSON.stringify(merged.body));
  assert.equal(merged.body.state, 'merged');
  assert.ok(merged.body.clocks.every((k) => k.state !== 'waiting' && k.state !== 'overdue'));
  assert.deepEqual(merged.body.links.map((l) => [l.reference, l.kind]), [[a.reference, 'merged_into']]);

  const isb = (await (await signedIn(server, 'reporter.isb')).get(`/api/v1/incidents/${c.id}`)).body;
  assert.equal(isb.state, 'merged');
  assert.deepEqual(isb.links, []);
  const text = JSON.stringify(isb);
  assert.ok(!text.includes(a.reference) && !text.includes(a.id), 'the other case is not named to this reporter');
  assert.ok(isb.timeline.some((e) => e.kind === 'merged'));

  const target = (await cert.get(`/api/v1/incidents/${a.id}`)).body;
  assert.deepEqual(target.links.map((l) => [l.reference, l.kind]), [[c.reference, 'absorbed']]);
  assert.ok(target.timeline.some((e) => e.kind === 'absorbed'));

  // A merged case does not merge again; a case does not merge into itself; reporters do not merge.
  assert.equal((await cert.post(`/api/v1/incidents/${c.id}/merge`, { into: a.reference })).status, 409);
  const self = await cert.post(`/api/v1/incidents/${a.id}/merge`, { into: a.reference });
  assert.equal(self.status, 422);
  const b = await file('reporter.bank1', 'HCB');
  assert.equal((await (await signedIn(server, 'reporter.bank1')).post(`/api/v1/incidents/${b.id}/merge`, { into: a.reference })).status, 403);
});
