// Browser tests of the charter and policy pages: the wizard of a small organisation starting its
// charter, the demo bank's CISO editing a section with the live preview and reading the changes,
// management approving, the CISO publishing to staff and following acknowledgements, and a staff
// member acknowledging from "Documents to acknowledge". Real `rampart serve --demo`, real
// Chromium; any console error or CSP violation fails.
//
//   RAMPART_BIN=/path/to/rampart RAMPART_WEB_ROOT=/path/to/web node --test tests/browser/policy_docs.test.mjs
//
// Screenshots land in tests/artifacts/screenshots/policy-*.png.

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
  workdir = await mkdtemp(path.join(tmpdir(), 'rampart-browser-policy-'));
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

const nav = (page) => page.getByRole('navigation', { name: 'Main' });

async function openBankPolicy(page, username) {
  await signIn(page, username);
  await nav(page).getByRole('link', { name: 'Charter and policy' }).click();
  await page.getByRole('heading', { level: 1, name: 'Charter and policy' }).waitFor();
  await page.getByRole('link', { name: /Information security policy/ }).click();
  await page.getByRole('heading', { level: 1, name: 'Information security policy' }).waitFor();
}

describe('Charter and policy pages', () => {
  test('a small organisation is advised a charter and starts it from the templates', async () => {
    await withPage({}, async (page) => {
      await signIn(page, 'ciso.eco');
      await nav(page).getByRole('link', { name: 'Charter and policy' }).click();
      const wizard = page.locator('.policy-wizard');
      await wizard.getByRole('heading', { name: 'Start a document' }).waitFor();
      await wizard.locator('.policy-path-advised').filter({ hasText: 'Security charter' }).waitFor();
      await shot(page, 'policy-wizard');
      await wizard.getByRole('button', { name: 'Start the charter' }).click();
      await page.getByRole('heading', { level: 1, name: 'Information security charter' }).waitFor();
      const body = page.getByLabel(/^Text \(Markdown/);
      assert.match(await body.inputValue(), /Electoral Commission Office/);
    });
  });

  test('the CISO edits a section with a live preview, saves a version and reads the changes', async () => {
    await withPage({}, async (page) => {
      await openBankPolicy(page, 'ciso.bank1');
      await page.locator('.policy-outline').getByRole('button', { name: /^9\.2 / }).click();
      await page.locator('.policy-pane h2').filter({ hasText: '9.2' }).waitFor();
      const body = page.getByLabel(/^Text \(Markdown/);
      await body.fill(`${await body.inputValue()}\n\n- **Tabletop exercise** every spring\n- <script>not run</script>`);
      const preview = page.locator('.policy-preview');
      await preview.locator('strong', { hasText: 'Tabletop exercise' }).waitFor();
      assert.equal(await preview.locator('script').count(), 0, 'markup is shown as text');
      await preview.getByText('<script>not run</script>').waitFor();
      await shot(page, 'policy-editor');
      await page.getByRole('button', { name: 'Save as a new version' }).click();
      await page.getByText('Saved as version 4.').waitFor();
      await page.getByRole('button', { name: 'Versions and changes' }).click();
      const changes = page.locator('.policy-diff');
      await changes.getByRole('heading', { name: /9\.2/ }).waitFor();
      await changes.locator('.policy-line-added', { hasText: 'Tabletop exercise' }).waitFor();
      await shot(page, 'policy-versions');
    });
  });

  test('management approves the newest draft, which is then frozen', async () => {
    await withPage({}, async (page) => {
      await openBankPolicy(page, 'mgmt.bank1');
      await page.getByRole('button', { name: 'Approval' }).click();
      await page.getByLabel('Note (for example, the meeting that approved it)').fill('Board meeting of November');
      await page.getByRole('button', { name: 'Approve version 4' }).click();
      await page.getByText(/Version 4 approved; SHA-256 [0-9a-f]{64}/).waitFor();
      await page.locator('td.policy-hash').first().waitFor();
      await shot(page, 'policy-approval');
      await page.getByRole('button', { name: 'Edit' }).click();
      await page.getByText('Version 4 was approved on').waitFor();
      assert.equal(await page.getByRole('button', { name: 'Save as a new version' }).count(), 0);
    });
  });

  test('the CISO publishes to the reporters and a reporter acknowledges', async () => {
    await withPage({}, async (page) => {
      await openBankPolicy(page, 'ciso.bank1');
      await page.getByRole('button', { name: 'Publication' }).click();
      await page.getByLabel('People with these roles').check();
      await page.locator('.check-grid').getByLabel('Reporter').check();
      await page.getByLabel('Message').fill('Please read section 9 before Friday.');
      await page.getByRole('button', { name: 'Publish to staff' }).click();
      await page.getByText(/Version 4 published to \d+ people\./).waitFor();
      await page.locator('.policy-people').getByText('Not yet').first().waitFor();
    });
    await withPage({}, async (page) => {
      await signIn(page, 'reporter.bank1');
      await nav(page).getByRole('link', { name: 'Documents to acknowledge' }).click();
      await page.getByRole('heading', { level: 1, name: 'Documents to acknowledge' }).waitFor();
      await page.getByRole('link', { name: /Information security policy, version 4/ }).click();
      await page.getByText('Please read section 9 before Friday.').waitFor();
      await page.getByRole('heading', { name: '9.2 Incident handling and security improvement' }).waitFor();
      await page.getByRole('button', { name: 'I have read it and will apply it' }).click();
      await page.getByText(/You acknowledged this document on/).waitFor();
      await shot(page, 'policy-acknowledge');
    });
    await withPage({}, async (page) => {
      await openBankPolicy(page, 'ciso.bank1');
      await page.getByRole('button', { name: 'Publication' }).click();
      await page.getByRole('button', { name: 'Who has acknowledged' }).first().click();
      const people = page.locator('.policy-people');
      await people.getByRole('heading', { name: /Version 4: 1 of \d+ acknowledged/ }).waitFor();
      await shot(page, 'policy-publication');
    });
  });
});
