// Browser tests of advisories: the national CERT's analyst writes an AMBER advisory for two banks,
// watches "who will see it" change as the label and recipients change (and a RED one to the
// public refused), publishes it; the CISO of a recipient bank reads it and records that it was
// applied; another bank never finds it; the CERT's dashboard shows who has not answered.
// Real `rampart serve --demo`, real Chromium; any console error or CSP violation fails.
//
//   RAMPART_BIN=/path/to/rampart RAMPART_WEB_ROOT=/path/to/web node --test tests/browser/advisories.test.mjs
//
// Screenshots land in tests/artifacts/screenshots/advisories-*.png.

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

const TITLE = 'Ransomware group exploiting a backup appliance flaw';

let server;
let browser;
let workdir;
let published; // the advisory's address, once published

before(async () => {
  await mkdir(shots, { recursive: true });
  workdir = await mkdtemp(path.join(tmpdir(), 'rampart-browser-advisories-'));
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

describe('advisories', () => {
  test('a CERT analyst composes with the audience preview and publishes', async () => {
    await withPage({ allowStatus: [422] }, async (page) => {
      await signIn(page, 'cert.analyst');
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Advisories' }).click();
      await page.getByRole('heading', { level: 1, name: 'Advisories' }).waitFor();
      // The demo's advisories are listed, with their labels written out.
      await page.getByText('Remote code execution in Gatekeeper SSL VPN').waitFor();
      await shot(page, 'advisories-list');
      await page.locator('main').getByRole('link', { name: 'Write an advisory' }).click();
      await page.getByRole('heading', { level: 1, name: 'Write an advisory' }).waitFor();

      const preview = page.locator('.audience-preview');
      // RED to the public: refused before anything is saved.
      await page.getByLabel(/^TLP:RED/).check();
      await page.getByLabel('Distribution').selectOption('public');
      // (The empty form's AMBER is refused too, for want of recipients: wait for RED's reason.)
      await preview.getByText(/TLP:RED may not be distributed publicly/).waitFor();
      assert.match(await preview.innerText(), /This share is not allowed\./);
      await shot(page, 'advisories-refused');

      await page.getByLabel(/^TLP:AMBER — /).check();
      await page.getByLabel('Distribution').selectOption('national');
      await page.getByLabel('Title').fill(TITLE);
      await page.getByLabel('Summary').fill('A criminal group encrypts backups first, through a flaw in the appliance web console.');
      await page.getByLabel('Severity').selectOption('critical');
      await page.getByLabel('Harbour Commercial Bank').check();
      await page.getByLabel('National Payments Switch').check();
      await page.getByLabel('CVE ids').fill('CVE-2026-40001');
      await page.getByLabel('Indicators').fill('ipv4 198.51.100.77');
      await preview.getByText('3 organisations').waitFor();
      const names = await preview.locator('.audience-list li').allInnerTexts();
      assert.deepEqual(names.map((n) => n.replace(' (author)', '')).slice(1).sort(), ['Harbour Commercial Bank', 'National Payments Switch']);
      await shot(page, 'advisories-composer');

      await page.getByRole('button', { name: 'Save the draft' }).click();
      await page.getByRole('heading', { level: 1, name: TITLE }).waitFor();
      await page.getByRole('button', { name: 'Publish' }).click();
      await page.getByText('Published: the audience has been told.').waitFor();
      published = new URL(page.url()).pathname;
      await page.getByRole('heading', { name: 'Acknowledgements' }).waitFor();
      assert.match(await page.locator('.ack-dashboard').innerText(), /0 of 2 organisations answered/);
    });
  });

  test('a recipient bank reads it and records that it applied the fix', async () => {
    assert.ok(published, 'the advisory was published');
    await withPage({}, async (page) => {
      await signIn(page, 'ciso.bank1');
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Advisories' }).click();
      await page.getByRole('link', { name: /^ADV-/ }).first().waitFor();
      await page.locator('tr', { hasText: TITLE }).getByRole('link').click();
      await page.getByRole('heading', { level: 1, name: TITLE }).waitFor();
      await page.getByText('Not acknowledged yet.').waitFor();
      await page.getByLabel('Note (optional)').fill('Console closed to the Internet, patch installed.');
      await page.getByRole('button', { name: 'Applied', exact: true }).click();
      await page.getByText(/Recorded for Harbour Commercial Bank: Applied/).waitFor();
      await shot(page, 'advisories-acknowledged');
    });
  });

  test('another bank never finds it, and the CERT sees who has not answered', async () => {
    await withPage({ allowStatus: [404] }, async (page) => {
      await signIn(page, 'ciso.isb');
      await page.goto(server.url + '/advisories');
      await page.getByRole('link', { name: /^ADV-/ }).first().waitFor();
      assert.equal(await page.getByText(TITLE).count(), 0);
      await page.goto(server.url + published);
      await page.getByRole('alert').waitFor();
      assert.equal(await page.getByText(TITLE).count(), 0);
    });
    await withPage({}, async (page) => {
      await signIn(page, 'cert.analyst');
      await page.goto(server.url + published);
      await page.getByRole('heading', { name: 'Acknowledgements' }).waitFor();
      const rows = await page.locator('.ack-dashboard tbody tr').allInnerTexts();
      assert.match(rows[0], /National Payments Switch/);
      assert.match(rows[0], /Not yet/);
      assert.match(rows[1], /Harbour Commercial Bank\s+Tier 1\s+Applied/);
      await shot(page, 'advisories-dashboard');
    });
  });

  test('a group keeper sees the groups page', async () => {
    await withPage({}, async (page) => {
      await signIn(page, 'cert.analyst');
      await page.goto(server.url + '/sharing-groups');
      await page.getByRole('heading', { name: 'Payment and power core' }).waitFor();
      await shot(page, 'advisories-groups');
    });
  });
});
