// Browser tests of the ISMS cycle pages on the demo country: the cycle board (stages, overdue work,
// evaluations) and a new scope version; findings and actions (a finding on a control, an action
// refused for a due date in the past, then decided and moved on); certification and the
// obligations register with a link as evidence; and the finance regulator reading a bank's
// posture. Real `rampart serve --demo`, real Chromium; any unexpected console error fails.
//
//   RAMPART_BIN=/path/to/rampart RAMPART_WEB_ROOT=/path/to/web node --test tests/browser/cycle.test.mjs
//
// Screenshots land in tests/artifacts/screenshots/cycle-*.png.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from './server.mjs';
import { launchBrowser, openPage, signIn } from './browser.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const shots = path.join(root, 'tests/artifacts/screenshots');
const bin = process.env.RAMPART_BIN || path.join(root, 'build/release/rampart');
const webRoot = process.env.RAMPART_WEB_ROOT || path.join(root, 'web/dist');

let server;
let browser;
let workdir;

before(async () => {
  await mkdir(shots, { recursive: true });
  workdir = await mkdtemp(path.join(tmpdir(), 'rampart-browser-cycle-'));
  server = await startServer({ bin, workdir, webRoot });
  browser = await launchBrowser();
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

const isoDate = (ms) => new Date(ms).toISOString().slice(0, 10);
const DAY = 24 * 3600 * 1000;

describe('ISMS cycle pages', () => {
  test('the CISO reads the cycle board and records a new version of the scope', async () => {
    await withPage({}, async (page) => {
      await signIn(page, 'ciso.hcb');
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'ISMS cycle' }).click();
      await page.getByRole('heading', { level: 1, name: 'ISMS cycle' }).waitFor();
      const current = page.locator('.cycle-stage-current');
      assert.match(await current.innerText(), /Improvement/);
      await page.getByRole('heading', { name: /^Overdue/ }).waitFor();
      assert.ok((await page.locator('.cycle-overdue li').count()) >= 1);
      await page.getByRole('heading', { name: '3. Evaluation and control' }).waitFor();
      assert.match(await page.locator('section', { has: page.getByRole('heading', { name: '3. Evaluation and control' }) }).innerText(), /Beside the Finance sector: sector average/);
      await shot(page, 'cycle-board');

      await page.getByRole('button', { name: 'Record a new version' }).click();
      await page.getByLabel('Scope statement').fill('Retail and corporate banking, payments and the data centres that run them.');
      await page.getByRole('button', { name: 'Save scope' }).click();
      await page.getByText(/Version 2, recorded by/).waitFor();
      await page.getByText('Retail and corporate banking, payments and the data centres that run them.').waitFor();
    });
  });

  test('an auditor records a finding and the CISO decides an action, refused first for a past due date', async () => {
    await withPage({}, async (page) => {
      await signIn(page, 'auditor.hcb');
      await page.goto('/cycle/findings');
      await page.getByRole('heading', { level: 1, name: 'Findings and actions' }).waitFor();
      const form = page.getByRole('form', { name: 'Record a finding' });
      await form.getByLabel('Title').fill('Firewall rules not reviewed');
      await form.getByLabel('Severity').selectOption('high');
      await form.getByLabel('Controls (SoA)').fill('A.8.20');
      await form.getByLabel('Policy sections').fill('7.6');
      await form.getByRole('button', { name: 'Save finding' }).click();
      const row = page.locator('#findings-table tbody tr').filter({ hasText: 'Firewall rules not reviewed' });
      await row.waitFor();
      assert.match(await row.innerText(), /Control A\.8\.20/);
      assert.match(await row.innerText(), /Policy 7\.6/);
    });
    await withPage({ allowStatus: [422] }, async (page) => {
      await signIn(page, 'ciso.hcb');
      await page.goto('/cycle/findings');
      const form = page.getByRole('form', { name: 'Decide an action' });
      await form.getByLabel('Title').fill('Quarterly firewall rule review');
      await form.getByLabel('Level').selectOption('procedures');
      await form.getByLabel('Due date').fill(isoDate(Date.now() - 5 * DAY));
      await form.getByLabel('For finding').selectOption({ label: 'Firewall rules not reviewed' });
      await form.getByRole('button', { name: 'Save action' }).click();
      await form.locator('.field-error').filter({ hasText: /before the day the action was created/ }).waitFor();
      await shot(page, 'cycle-action-refused');
      await form.getByLabel('Due date').fill(isoDate(Date.now() + 20 * DAY));
      await form.getByRole('button', { name: 'Save action' }).click();
      const row = page.locator('#actions-table tbody tr').filter({ hasText: 'Quarterly firewall rule review' });
      await row.waitFor();
      assert.match(await row.innerText(), /Finding: Firewall rules not reviewed/);
      await row.getByLabel('Status of Quarterly firewall rule review').selectOption('in_progress');
      await page.waitForFunction(() => document.querySelector('select[aria-label="Status of Quarterly firewall rule review"]')?.value === 'in_progress');
      await page.getByLabel('Show').selectOption('overdue');
      await page.locator('#actions-table tbody tr.cycle-row-late').first().waitFor();
      await shot(page, 'cycle-findings-actions');
    });
  });

  test('the bank shows its certificate, and the register takes a link as evidence', async () => {
    await withPage({}, async (page) => {
      await signIn(page, 'ciso.hcb');
      await page.goto('/cycle/certification');
      await page.getByRole('heading', { level: 1, name: 'ISO/IEC 27001 certification' }).waitFor();
      assert.equal(await page.locator('.cert-status').innerText(), 'Certified');
      await page.getByText('ICS-27001-0142').waitFor();
      await shot(page, 'cycle-certification');
      await page.getByRole('link', { name: 'Obligations' }).click();
      await page.getByRole('heading', { level: 1, name: 'Legal and regulatory obligations' }).waitFor();
      await page.getByRole('heading', { name: /Financial sector technology risk regulation/ }).waitFor();
      const ob = page.getByRole('button', { name: 'Test recovery of critical services' });
      await ob.click();
      await page.getByLabel('Evidence link').fill('https://intranet.hcb.example/bcm/recovery-test-2026');
      await page.getByRole('button', { name: 'Add link' }).click();
      await page.getByRole('link', { name: 'https://intranet.hcb.example/bcm/recovery-test-2026' }).waitFor();
      await shot(page, 'cycle-obligations');
    });
  });

  test('the finance regulator reads a bank posture', async () => {
    await withPage({}, async (page) => {
      await signIn(page, 'regulator.finance');
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Posture' }).click();
      await page.getByRole('heading', { level: 1, name: 'Posture' }).waitFor();
      await page.getByRole('combobox', { name: 'Organisation', exact: true }).selectOption({ label: 'Harbour Commercial Bank' });
      await page.getByRole('heading', { name: 'Harbour Commercial Bank' }).waitFor();
      assert.match(await page.locator('.posture-stats').innerText(), /Certified/);
      await shot(page, 'cycle-posture');
    });
  });
});
