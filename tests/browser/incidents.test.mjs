// Browser tests of incident reporting: a bank's reporter files an early warning through the
// wizard and then the notification, the finance CERT acknowledges the case from its board,
// the finance regulator follows it, the utilities regulator forwards an energy report from
// its inbox, and the national CERT sees an anonymised case without the hospital's name.
// Real `rampart serve --demo`, real Chromium; any console error or CSP violation fails.
//
//   RAMPART_BIN=/path/to/rampart node --test tests/browser/incidents.test.mjs
//
// Screenshots land in tests/artifacts/screenshots/incident-*.png.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from './server.mjs';
import { launchBrowser, openPage, signIn } from './browser.mjs';
import { apiAs as apiAt, fileByApi as fileAt } from './scene.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const shots = path.join(root, 'tests/artifacts/screenshots');
const bin = process.env.RAMPART_BIN || path.join(root, 'build/release/rampart');
const webRoot = process.env.RAMPART_WEB_ROOT || path.join(root, 'web/dist');

const HOUR = 3600_000;
const UUID = /\/incidents\/([0-9a-f-]{36})$/;

let server;
let browser;
let workdir;

const apiAs = (username) => apiAt(server.url, username);
const fileByApi = (username, title) => fileAt(server.url, username, title);

// Set by the set-up and the tests, in order.
let energy;
let hospital;
let filed; // { id, reference } of the case the reporter files in the browser

before(async () => {
  await mkdir(shots, { recursive: true });
  workdir = await mkdtemp(path.join(tmpdir(), 'rampart-browser-incidents-'));
  server = await startServer({ bin, workdir, webRoot });
  browser = await launchBrowser();
  // The energy MOU forwards after review: this report waits in the utilities regulator's inbox.
  energy = await fileByApi('reporter.npc', 'Substation SCADA alarms at the northern grid');
  // The health MOU forwards anonymised: the national CERT must not learn the hospital's name.
  hospital = await fileByApi('reporter.vgh', 'Patient records system unavailable on two wards');
});

after(async () => {
  await browser?.close();
  await server?.stop();
  if (workdir) await rm(workdir, { recursive: true, force: true });
});

async function shot(page, name) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
}

async function withPage(opts, fn) {
  const p = await openPage(browser, server.url, opts);
  try {
    await fn(p.page);
    p.assertClean();
  } finally {
    await p.close();
  }
}

/** The local time of the browser `ms` from now, as an <input type="datetime-local"> takes it. */
function localInput(page, offsetMs) {
  return page.evaluate((offset) => {
    const d = new Date(Date.now() + offset);
    const two = (n) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T${two(d.getHours())}:${two(d.getMinutes())}`;
  }, offsetMs);
}

/** The row of the clocks table for a stage. */
const clockRow = (page, stage) =>
  page
    .getByRole('table', { name: 'Reporting clocks' })
    .locator('tr', { has: page.getByRole('rowheader', { name: stage, exact: true }) });

describe('incident reporting', () => {
  test('a reporter files an early warning through the wizard and lands on the case with its clocks', async () => {
    await withPage({ allowStatus: [422] }, async (page) => {
      await signIn(page, 'reporter.bank1');
      const nav = page.getByRole('navigation', { name: 'Main' });
      await nav.getByRole('link', { name: 'Incidents', exact: true }).waitFor();
      assert.equal(await nav.getByRole('link', { name: 'Forwarding' }).count(), 0, 'a bank forwards nothing');
      await page.getByRole('heading', { level: 2, name: 'Incidents' }).waitFor();
      await page.locator('.stat', { hasText: 'Open cases' }).waitFor();
      await shot(page, 'incident-home-reporter');
      await page.locator('main').getByRole('link', { name: 'Report an incident' }).click();
      await page.getByRole('heading', { level: 1, name: 'Report an incident' }).waitFor();
      // Before filing the sector's profile is not known: the strictest deadline is shown.
      assert.match(await page.locator('.deadline').textContent(), /Due within 4 hours of awareness/);
      // Awareness defaults to now.
      const aware = page.getByLabel('When did you become aware?');
      assert.equal(await aware.inputValue(), await localInput(page, 0));

      await page.getByLabel('What happened').fill('Card payments failing at branches');
      await page.getByRole('group', { name: 'Suspected malicious?' }).getByLabel('Yes').check();
      await page.getByLabel('Affected services').fill('card payments, ATM network,  card payments');
      const tags = page.getByRole('list', { name: 'Affected services as they will be sent' }).getByRole('listitem');
      assert.deepEqual(await tags.allTextContents(), ['card payments', 'ATM network']);
      await shot(page, 'incident-wizard');

      // A moment in the future is refused by the server, and the message sits beside the field.
      await aware.fill(await localInput(page, 48 * HOUR));
      await page.getByRole('button', { name: 'Send the early warning' }).click();
      const awareField = page.locator('.field', { has: aware });
      await awareField.locator('.field-error').waitFor();
      const awareError = await awareField.locator('.field-error').textContent();
      assert.match(awareError, /^The time of awareness must not be in the future/);
      await shot(page, 'incident-wizard-error');

      await aware.fill(await localInput(page, -HOUR));
      await page.getByRole('button', { name: 'Send the early warning' }).click();

      await page.waitForURL(UUID);
      await page.getByRole('heading', { level: 1, name: 'Card payments failing at branches' }).waitFor();
      const reference = (await page.locator('.case-lead .ref').textContent()).trim();
      assert.match(reference, /^INC-\d{4}-\d{6}$/);
      filed = { id: UUID.exec(new URL(page.url()).pathname)[1], reference };
      // Finance runs the DORA-like clocks: the early warning was due 4 hours after awareness.
      await clockRow(page, 'Early warning').getByText('On time').waitFor();
      const notification = clockRow(page, 'Notification');
      assert.match(await notification.textContent(), /Waiting/);
      assert.match(await notification.textContent(), /due in 2 days 2\d h/);
      await clockRow(page, 'CERT feedback').getByText('Waiting').waitFor();
      const details = page.getByRole('region', { name: 'Case', exact: true });
      assert.match(await details.textContent(), /Finance \(DORA-like clocks\)/);
      assert.match(await details.textContent(), /Harbour Commercial Bank/);
      const parties = page.getByRole('region', { name: 'Who holds the case' });
      assert.match(await parties.textContent(), /Central Bank/);
      assert.match(await parties.textContent(), /Finance Sector CERT/);
      // The reporter comments and may mark the case resolved, but does not handle it.
      const handle = page.getByRole('heading', { name: 'Handle the case' });
      assert.equal(await handle.count(), 1, 'the reporter may comment and resolve');
      assert.equal(await page.getByRole('button', { name: 'Acknowledge' }).count(), 0);
      await page.getByRole('region', { name: 'File a report' }).waitFor();
      await shot(page, 'incident-case-filed');
    });
  });

  test('the reporter files the notification with an observable; a bad value is shown beside its row', async () => {
    assert.ok(filed, 'the early warning was filed');
    await withPage({ allowStatus: [422] }, async (page) => {
      await signIn(page, 'reporter.bank1');
      await page.goto(`/incidents/${filed.id}`);
      const form = page.getByRole('region', { name: 'File a report' });
      await form.waitFor();
      assert.equal(await form.getByLabel('Notification').isChecked(), true, 'the stage due next is chosen');
      await form.getByLabel('Initial assessment').fill('Ransomware encrypted the card authorisation servers.');
      await form.getByLabel('Incident class').selectOption({ label: 'Malicious Code' });
      await form.getByLabel('Incident type').selectOption({ label: 'Infected System' });
      await form.getByLabel('Users affected').fill('60000');
      await form.getByLabel('Financial loss (EUR)').fill('20000');
      await form.getByRole('button', { name: 'Add an observable' }).click();
      await form.getByLabel('Value of observable 1').fill('300.1.1.1');
      await form.getByLabel('TLP of observable 1').selectOption('TLP:AMBER+STRICT');
      await form.getByRole('button', { name: 'File the notification' }).click();
      const rowError = form.locator('tr.row-invalid .field-error');
      await rowError.waitFor();
      assert.match(await rowError.textContent(), /^Value is not an IPv4 address/);

      await form.getByLabel('Value of observable 1').fill('198.51.100.23');
      await form.getByRole('button', { name: 'File the notification' }).click();
      await page.getByRole('status').filter({ hasText: 'Notification filed.' }).waitFor();

      await clockRow(page, 'Notification').getByText('On time').waitFor();
      // 60 000 clients is critical under the finance thresholds, and the rule says why.
      await page.locator('.case-lead').getByText('Critical').waitFor();
      const details = page.getByRole('region', { name: 'Case', exact: true });
      assert.match(await details.textContent(), /users_affected 60000 >= 50000/);
      const observables = page.getByRole('table', { name: 'Observables' });
      const row = observables.locator('tbody tr', { hasText: '198.51.100.23' });
      await row.waitFor();
      assert.match(await row.textContent(), /TLP:AMBER\+STRICT/);
      const reports = page.getByRole('region', { name: 'Reports' });
      await reports.getByRole('heading', { name: /^Notification/ }).waitFor();
      assert.match(await reports.textContent(), /Malicious Code/);
      // Once filed, the notification is no longer offered.
      assert.equal(await form.getByLabel('Notification').count(), 0);
      await shot(page, 'incident-case-notification');
    });
  });

  test('the finance CERT finds the case on its board, acknowledges and takes it', async () => {
    assert.ok(filed, 'the early warning was filed');
    await withPage({}, async (page) => {
      await signIn(page, 'fincert.analyst');
      await page.locator('.stat', { hasText: 'Assigned to you' }).waitFor();
      await shot(page, 'incident-home-cert');
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Incidents', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: 'Incidents' }).waitFor();
      const submitted = page.getByRole('region', { name: /^Submitted/ });
      const card = submitted.getByRole('link', { name: new RegExp(filed.reference) });
      await card.waitFor();
      await shot(page, 'incidents-board');
      await card.click();

      await page.waitForURL(new RegExp(`/incidents/${filed.id}$`));
      const actions = page.getByRole('region', { name: 'Handle the case' });
      await actions.getByLabel('Note (optional)').fill('We are looking at it.');
      await actions.getByRole('button', { name: 'Acknowledge' }).click();
      await page.getByRole('status').filter({ hasText: 'The case is now acknowledged.' }).waitFor();
      await page.locator('.case-lead').getByText('Acknowledged').waitFor();
      await clockRow(page, 'CERT feedback').getByText('On time').waitFor();

      await actions.getByRole('button', { name: 'Assign to me' }).click();
      await page.getByRole('status').filter({ hasText: 'The case is assigned to you.' }).waitFor();
      await actions.getByText('Assigned to you.', { exact: true }).waitFor();

      await actions.getByLabel('Your comment').fill('Known ransomware group; IOC shared with the sector.');
      await actions.getByLabel('Who reads it').selectOption({ label: 'CERTs only' });
      await actions.getByRole('button', { name: 'Add comment' }).click();
      await page.getByRole('status').filter({ hasText: 'Comment added.' }).waitFor();
      const timeline = page.getByRole('region', { name: 'Timeline' });
      await timeline.getByText('State changed from submitted to acknowledged: We are looking at it.').waitFor();
      const comment = timeline.getByRole('listitem').filter({ hasText: 'Known ransomware group' });
      await comment.getByText('CERTs only').waitFor();
      await shot(page, 'incident-case-cert');

      // The table view lists every case the CERT holds, and filters to those assigned to this analyst.
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Incidents', exact: true }).click();
      await page.getByRole('navigation', { name: 'View' }).getByRole('link', { name: 'Table' }).click();
      await page.waitForURL(/view=table/);
      const rows = page.locator('main table tbody tr');
      await rows.filter({ hasText: filed.reference }).getByText('Acknowledged').waitFor();
      await shot(page, 'incidents-table');
      await page.getByLabel('Assigned to me').check();
      await page.getByRole('button', { name: 'Filter' }).click();
      await page.waitForURL(/assignee=me/);
      await page.waitForFunction(() => document.querySelectorAll('main table tbody tr').length === 1);
      assert.match(await rows.first().textContent(), new RegExp(filed.reference));
    });
  });

  test('the finance regulator follows the case but reads no CERT-only comment', async () => {
    assert.ok(filed, 'the early warning was filed');
    await withPage({}, async (page) => {
      await signIn(page, 'regulator.finance');
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Incidents', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: 'Incidents' }).waitFor();
      await page.getByLabel('Search').fill(filed.reference);
      await page.getByRole('button', { name: 'Filter' }).click();
      await page.waitForURL(/q=INC-/);
      const rows = page.locator('main table tbody tr');
      await page.waitForFunction(() => document.querySelectorAll('main table tbody tr').length === 1);
      assert.match(await rows.first().textContent(), /Harbour Commercial Bank/);
      assert.match(await rows.first().textContent(), /Acknowledged/);
      assert.match(await rows.first().textContent(), /Critical/);
      await rows.first().getByRole('link', { name: filed.reference }).click();
      await page.getByRole('heading', { level: 1, name: 'Card payments failing at branches' }).waitFor();
      const actions = page.getByRole('region', { name: 'Handle the case' });
      await actions.getByRole('heading', { name: 'Ask for an intermediate report' }).waitFor();
      assert.equal(await actions.getByRole('button', { name: 'Acknowledge' }).count(), 0, 'regulators do not handle cases');
      const timeline = page.getByRole('region', { name: 'Timeline' });
      await timeline.getByText(/State changed from submitted to acknowledged/).waitFor();
      assert.equal(await timeline.getByText('Known ransomware group').count(), 0);
    });
  });

  test('the national CERT administrator assigns the case to one of its analysts', async () => {
    assert.ok(filed, 'the early warning was filed');
    const admin = await apiAs('cert.admin');
    const natcert = admin.session.memberships[0].organisation.id;
    const people = (await admin.get(`/api/v1/organisations/${natcert}/people?limit=200`)).body.items;
    const analyst = people.find((p) => p.user.username === 'cert.analyst').user;
    await withPage({}, async (page) => {
      await signIn(page, 'cert.admin');
      await page.goto(`/incidents/${filed.id}`);
      const actions = page.getByRole('region', { name: 'Handle the case' });
      // An administrator of a CERT on the case reads its people, so chooses among its analysts.
      const choice = actions.getByLabel('Assign to');
      const option = choice.locator('option', { hasText: analyst.display_name }).first();
      await choice.selectOption(await option.getAttribute('value'));
      await actions.getByRole('button', { name: 'Assign', exact: true }).click();
      await page.getByRole('status').filter({ hasText: `The case is assigned to ${analyst.display_name}.` }).waitFor();
      await actions.getByText(`Assigned to ${analyst.display_name}.`, { exact: true }).waitFor();
    });
    const mine = await (await apiAs('cert.analyst')).get('/api/v1/incidents?assignee=me');
    assert.ok(mine.body.items.some((i) => i.id === filed.id));
  });

  test('the utilities regulator forwards an energy report from its inbox', async () => {
    await withPage({}, async (page) => {
      await signIn(page, 'head.ura');
      const nav = page.getByRole('navigation', { name: 'Main' });
      await nav.getByRole('link', { name: 'Forwarding' }).click();
      await page.getByRole('heading', { level: 1, name: 'Forwarding' }).waitFor();
      const row = page.locator('main table tbody tr', { hasText: energy.reference });
      await row.waitFor();
      assert.match(await row.textContent(), /2[34] h left/);
      await row.getByRole('button', { name: `Forward ${energy.reference}` }).click();
      await row.getByLabel('Note (optional)').fill('Reviewed; forwarded.');
      await shot(page, 'incidents-forwarding');
      await row.getByRole('button', { name: 'Forward to the national CERT' }).click();
      await page.getByRole('status').filter({ hasText: `${energy.reference}: Forwarded to the national CERT.` }).waitFor();
      await row.waitFor({ state: 'detached' });
    });
    // The national CERT holds it now.
    const cert = await apiAs('cert.analyst');
    const res = await cert.get(`/api/v1/incidents/${energy.id}`);
    assert.equal(res.status, 200);
    assert.ok(res.body.handovers.every((h) => h.delivered_at));
  });

  test('the national CERT sees an anonymised case without the hospital name', async () => {
    await withPage({}, async (page) => {
      await signIn(page, 'cert.analyst');
      await page.goto(`/incidents?view=table&q=${hospital.reference}`);
      const row = page.locator('main table tbody tr', { hasText: hospital.reference });
      await row.waitFor();
      const label = row.locator('em.anonymised');
      assert.equal((await label.textContent()).trim(), 'Health operator (large)');
      await row.getByText("Anonymised: the organisation's name is withheld").waitFor();
      assert.doesNotMatch(await page.locator('main').textContent(), /Victoria General Hospital/);
      await row.getByRole('link', { name: hospital.reference }).click();
      await page.getByRole('heading', { level: 1, name: hospital.title }).waitFor();
      assert.doesNotMatch(await page.locator('main').textContent(), /Victoria General Hospital/);
      await page.getByText(/holds this case anonymised/).waitFor();
    });
  });

  test('the case page, the wizard and the list fit a phone', async () => {
    assert.ok(filed, 'the early warning was filed');
    await withPage({ viewport: { width: 375, height: 812 } }, async (page) => {
      await signIn(page, 'reporter.bank1');
      await page.goto(`/incidents/${filed.id}`);
      await page.getByRole('heading', { level: 1, name: 'Card payments failing at branches' }).waitFor();
      await page.getByRole('table', { name: 'Reporting clocks' }).waitFor();
      const width = () => page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok((await width()) <= 375, `the case page is ${await width()} px wide at a 375 px viewport`);
      await shot(page, 'phone-incident');
      await page.goto('/incidents/new');
      await page.getByRole('heading', { level: 1, name: 'Report an incident' }).waitFor();
      assert.ok((await width()) <= 375, `the wizard is ${await width()} px wide`);
      await shot(page, 'phone-incident-wizard');
      await page.goto('/incidents');
      await page.locator('main table tbody tr').first().waitFor();
      assert.ok((await width()) <= 375, `the list is ${await width()} px wide`);
    });
  });

  test('the national CERT reads reporting compliance per sector and switches the period', async () => {
    assert.ok(filed, 'the early warning was filed');
    const day = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', year: 'numeric', month: 'short', day: 'numeric' });
    await withPage({}, async (page) => {
      await signIn(page, 'cert.analyst');
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reporting compliance' }).click();
      await page.getByRole('heading', { level: 1, name: 'Reporting compliance' }).waitFor();
      await page.getByText('Cases the national CERT holds anonymised count for their sector only.').waitFor();
      const period = page.getByRole('navigation', { name: 'Period' });
      assert.equal(await period.getByRole('link', { name: 'Last 12 months' }).getAttribute('aria-current'), 'page');

      const sectors = page.getByRole('table', { name: 'By sector' });
      const finance = sectors.locator('tbody tr', { has: page.getByRole('rowheader', { name: 'Finance', exact: true }) });
      await finance.waitFor();
      assert.match(await finance.locator('.share-cell').textContent(), /^\d{1,3}%\d+ of \d+ stages$/);
      const total = page.getByRole('group', { name: 'In all' });
      const share = total.locator('.stat', { hasText: 'Stages on time' }).locator('.stat-value');
      assert.match(await share.textContent(), /^\d{1,3}%$/);
      await page.getByRole('table', { name: 'By organisation' }).waitFor();
      // The hospital's case is held anonymised: its sector counts it, no organisation row names it.
      assert.doesNotMatch(await page.locator('main').textContent(), /Victoria General Hospital/);
      // Worst on-time share first; a click on "Overdue now" puts the most overdue first.
      const onTime = sectors.getByRole('columnheader', { name: /On time/ });
      assert.equal(await onTime.getAttribute('aria-sort'), 'ascending');
      await sectors.getByRole('button', { name: 'Overdue now' }).click();
      assert.equal(await sectors.getByRole('columnheader', { name: /Overdue now/ }).getAttribute('aria-sort'), 'descending');
      const overdue = await sectors.locator('tbody tr td:last-child').allTextContents();
      assert.deepEqual(overdue.map(Number), overdue.map(Number).sort((x, y) => y - x));
      await shot(page, 'incident-compliance-12m');

      await period.getByRole('link', { name: 'Last 30 days' }).click();
      await page.waitForURL(/period=30d/);
      const since = day.format(new Date(Date.now() - 30 * 24 * HOUR));
      await page.locator('.period-line', { hasText: `between ${since}` }).waitFor();
      await page.locator('.compliance:not(.stale)').waitFor();
      assert.equal(await period.getByRole('link', { name: 'Last 30 days' }).getAttribute('aria-current'), 'page');
      await finance.waitFor();
      assert.match(await share.textContent(), /^\d{1,3}%$/);
      await shot(page, 'incident-compliance');
    });
  });
});
