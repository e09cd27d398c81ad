// Browser tests of the ISMS pages: the framework browser (tree, requirement, mappings), the demo
// bank's Statement of Applicability (filters, an inline status change, a bulk edit of selected
// rows, an entry's decision and a link as evidence), and management reading what changed since the
// last approval and approving again. Real `rampart serve --demo`, real Chromium; any console error
// or CSP violation fails.
//
//   RAMPART_BIN=/path/to/rampart RAMPART_WEB_ROOT=/path/to/web node --test tests/browser/isms.test.mjs
//
// Screenshots land in tests/artifacts/screenshots/isms-*.png.

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
  workdir = await mkdtemp(path.join(tmpdir(), 'rampart-browser-isms-'));
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

const rows = (page) => page.locator('table.isms-table tbody tr');

describe('ISMS pages', () => {
  test('the framework browser shows the tree, a requirement and where it maps', async () => {
    await withPage({}, async (page) => {
      await signIn(page, 'reporter.bank1');
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Frameworks' }).click();
      await page.getByRole('heading', { level: 1, name: 'Frameworks' }).waitFor();
      await page.getByRole('link', { name: 'ISO/IEC 27001:2022' }).click();
      await page.getByRole('heading', { level: 1, name: 'ISO/IEC 27001:2022' }).waitFor();
      await page.locator('.isms-tree').getByRole('button', { name: /^A\.5\.1 / }).click();
      await page.locator('#req-title').filter({ hasText: 'A.5.1' }).waitFor();
      await page.getByRole('heading', { name: 'In other frameworks' }).waitFor();
      await shot(page, 'isms-framework');
    });
  });

  test('the CISO filters the statement, changes a status inline and edits selected rows in bulk', async () => {
    await withPage({}, async (page) => {
      await signIn(page, 'ciso.bank1');
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Statement of Applicability' }).click();
      await page.getByRole('heading', { level: 1, name: 'Statement of Applicability' }).waitFor();
      await shot(page, 'isms-soa-list');
      await page.locator('.isms-soa-card').filter({ hasText: 'ISO/IEC 27001:2022' }).click();
      await page.getByRole('heading', { level: 1, name: /ISO\/IEC 27001:2022/ }).waitFor();
      await rows(page).first().waitFor();
      assert.equal(await rows(page).count(), 50, 'one page of the cursor');
      await shot(page, 'isms-soa-table');

      await page.getByRole('search').getByRole('combobox', { name: /^Applicable/ }).selectOption('false');
      await page.getByRole('button', { name: 'Filter' }).click();
      await page.locator('table.isms-table tbody tr.isms-excluded').first().waitFor();
      assert.equal(await rows(page).count(), await page.locator('table.isms-table tbody tr.isms-excluded').count());
      await page.getByRole('button', { name: 'Clear' }).click();
      await page.waitForFunction(() => document.querySelectorAll('table.isms-table tbody tr').length === 50);

      const status = page.getByLabel('Status of A.5.2', { exact: true });
      const next = (await status.inputValue()) === 'implemented' ? 'planned' : 'implemented';
      await status.selectOption(next);
      await page.waitForFunction(
        (v) => document.querySelector('select[aria-label="Status of A.5.2"]')?.value === v,
        next,
      );

      await page.getByLabel('Select A.5.3', { exact: true }).check();
      await page.getByLabel('Select A.5.4', { exact: true }).check();
      const bulk = page.getByRole('form', { name: 'Edit the selected rows' });
      await bulk.getByLabel('Status').selectOption('partial');
      await bulk.getByLabel('Maturity').selectOption('2');
      await shot(page, 'isms-soa-bulk');
      await bulk.getByRole('button', { name: 'Apply to all selected' }).click();
      await page.getByText('2 entries updated.').waitFor();
      // The table reloads after the bulk edit: wait for the rows to show the new values.
      await page.waitForFunction(
        () =>
          document.querySelector('select[aria-label="Status of A.5.3"]')?.value === 'partial' &&
          document.querySelector('select[aria-label="Maturity of A.5.4"]')?.value === '2',
        null,
        { timeout: 10_000 },
      );
      assert.equal(await page.getByLabel('Status of A.5.3', { exact: true }).inputValue(), 'partial');
      assert.equal(await page.getByLabel('Maturity of A.5.4', { exact: true }).inputValue(), '2');
    });
  });

  test('an entry is excluded with its reason and gets a link as evidence', async () => {
    await withPage({ allowStatus: [422] }, async (page) => {
      await signIn(page, 'ciso.bank1');
      await page.goto('/soa/iso27001-2022');
      await rows(page).first().waitFor();
      await page.locator('table.isms-table').getByRole('button', { name: /^A\.5\.6 / }).click();
      const panel = page.locator('.isms-panel');
      await panel.locator('#entry-title').filter({ hasText: 'A.5.6' }).waitFor();
      await panel.getByRole('checkbox', { name: 'Applicable', exact: true }).uncheck();
      await panel.getByRole('button', { name: 'Save' }).click();
      await panel.getByRole('alert').filter({ hasText: /required when a control is excluded/ }).waitFor();
      await panel.getByLabel(/^Justification/).fill('Contacts with special interest groups are kept by the group security office.');
      await panel.getByLabel('Business requirement').check();
      await panel.getByRole('button', { name: 'Save' }).click();
      await panel.getByText('Saved.').waitFor();
      await panel.getByLabel('Add a link').fill('https://intranet.hcb.example/security/contacts');
      await panel.getByRole('button', { name: 'Add link' }).click();
      await panel.getByRole('link', { name: 'https://intranet.hcb.example/security/contacts' }).waitFor();
      await page.locator('table.isms-table tbody tr.isms-excluded').filter({ hasText: 'A.5.6' }).waitFor();
      await panel.scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(shots, 'isms-soa-entry.png'), fullPage: true });
    });
  });

  test('management reads the changes since approval and approves again; a CISO has no approve button', async () => {
    await withPage({}, async (page) => {
      await signIn(page, 'ciso.bank1');
      await page.goto('/soa/iso27001-2022');
      await rows(page).first().waitFor();
      assert.equal(await page.getByRole('button', { name: 'Approve this statement' }).count(), 0);
    });
    await withPage({}, async (page) => {
      await signIn(page, 'mgmt.bank1');
      await page.goto('/soa/iso27001-2022?view=changes');
      await page.getByRole('heading', { name: /^Changes since v1/ }).waitFor();
      const changed = page.locator('table.isms-diff tbody tr');
      assert.ok((await changed.count()) >= 2, 'the demo changed entries after approving');
      await shot(page, 'isms-soa-changes');
      await page.getByRole('button', { name: 'Approve this statement' }).click();
      await page.getByText(/^Approved as version 2/).waitFor();
      await page.getByRole('heading', { name: 'Changes since v2 (0)' }).waitFor();
      await shot(page, 'isms-soa-approved');
    });
  });
});
