// Incident reporting's reference data over HTTP: the ENISA RSIT taxonomy and the reporting
// profiles reporters classify and time their reports by.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, signedIn, Client } from './lib.mjs';

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
