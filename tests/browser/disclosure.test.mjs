// Browser tests of the disclosure protocol: a bank files a case; the finance CERT's analyst asks,
// on the case page, to share an anonymised version with the finance sector, watching who would see
// it; the bank's management reads exactly what and to whom, and consents; the CERT publishes; an
// operator of the sector finds it among the shared incidents, and nothing names the bank.
// Real `rampart serve --demo`, real Chromium; any console error or CSP violation fails.
//
//   RAMPART_BIN=/path/to/rampart RAMPART_WEB_ROOT=/path/to/web node --test tests/browser/disclosure.test.mjs
//
// Screenshots land in tests/artifacts/screenshots/disclosure-*.png.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from './server.mjs';
import { launchBrowser, openPage, signIn } from './browser.mjs';
import { fileByApi } from './scene.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const shots = path.join(root, 'tests/artifacts/screenshots');
const bin = process.env.RAMPART_BIN || path.join(root, 'build/release/rampart');
const webRoot = process.env.RAMPART_WEB_ROOT || path.join(root, 'web/dist');

const SHARED_TITLE = 'Card skimming malware on bank payment terminals';

let server;
let browser;
let workdir;
let incident;

before(async () => {
  await mkdir(shots, { recursive: true });
  workdir = await mkdtemp(path.join(tmpdir(), 'rampart-browser-disclosure-'));
  server = await startServer({ bin, workdir, webRoot });
  browser = await launchBrowser();
  incident = await fileByApi(server.url, 'reporter.bank1', 'Card data taken from payment terminals', {
    summary: 'Malware on the payment terminals of three Harbour Commercial Bank branches sent card data out.',
    suspected_malicious: 'yes',
    observables: [
      { type: 'ipv4', value: '203.0.113.61', tlp: 'TLP:GREEN' },
      { type: 'domain', value: 'terminal-drop.example', tlp: 'TLP:AMBER' },
    ],
  });
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

async function openCase(page) {
  await page.goto(`${server.url}/incidents/${incident.id}`);
  await page.getByRole('heading', { level: 1, name: 'Card data taken from payment terminals' }).waitFor();
  const panel = page.locator('section.case-sharing');
  await panel.getByRole('heading', { name: 'Sharing' }).waitFor();
  return panel;
}

describe('disclosure', () => {
  test('the CERT asks to share an anonymised version and sees who would see it', async () => {
    await withPage({ allowStatus: [422] }, async (page) => {
      await signIn(page, 'fincert.analyst');
      const panel = await openCase(page);
      await panel.getByText('Nobody has asked to share this case.').waitFor();
      await panel.getByRole('button', { name: 'Ask to share this case…' }).click();
      await panel.getByLabel('Title as shared').fill(SHARED_TITLE);
      // The case's own summary names the bank: an anonymised share refuses it, naming the field.
      await panel.getByLabel(/^TLP:GREEN/).check();
      await panel.getByRole('button', { name: 'Ask for consent' }).click();
      await panel.getByText(/names the reporting organisation/).first().waitFor();
      await panel
        .getByLabel('Text as shared')
        .fill('Malware on the payment terminals of a bank sent card data to a server abroad. Look for the address below in your logs.');
      await panel.getByLabel(/203\.0\.113\.61/).check();
      // Who would see it: the finance sector, computed by the server.
      const preview = panel.locator('.audience-preview');
      await preview.getByText(/Island Savings Bank/).waitFor();
      assert.doesNotMatch(await preview.innerText(), /National Power Company/);
      await shot(page, 'disclosure-ask');
      await panel.getByRole('button', { name: 'Ask for consent' }).click();
      await panel.getByText(/The request is sent/).waitFor();
      await panel.getByText('Waiting for consent').waitFor();
      await shot(page, 'disclosure-asked');
    });
  });

  test('the bank management reads what and to whom, and consents', async () => {
    await withPage({}, async (page) => {
      await signIn(page, 'mgmt.bank1');
      const panel = await openCase(page);
      await panel.getByText(SHARED_TITLE).waitFor();
      const who = panel.locator('.share-who');
      await who.getByText(/Island Savings Bank/).waitFor();
      assert.match(await panel.locator('.share-what').innerText(), /203\.0\.113\.61/);
      assert.doesNotMatch(await panel.locator('.share-what').innerText(), /terminal-drop/);
      await shot(page, 'disclosure-consent');
      await panel.getByRole('button', { name: 'Consent to this share' }).click();
      await panel.getByText(/You consented/).waitFor();
      await panel.getByText('Consented: may be published').waitFor();
    });
  });

  test('the CERT publishes and a sector operator reads it, anonymised', async () => {
    await withPage({}, async (page) => {
      await signIn(page, 'fincert.analyst');
      const panel = await openCase(page);
      await panel.getByRole('button', { name: 'Publish the shared incident' }).click();
      await panel.getByText(/Published\. Its audience is told\./).waitFor();
      await panel.getByRole('link', { name: 'Open the shared incident' }).click();
      await page.getByRole('heading', { level: 1, name: SHARED_TITLE }).waitFor();
    });
    await withPage({}, async (page) => {
      await signIn(page, 'ciso.isb');
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Shared incidents' }).click();
      await page.getByRole('heading', { level: 1, name: 'Shared incidents' }).waitFor();
      const row = page.locator('tr', { hasText: SHARED_TITLE });
      await row.waitFor();
      assert.match(await row.innerText(), /Finance operator \(large\)/);
      await shot(page, 'disclosure-list');
      await row.getByRole('link').click();
      await page.getByRole('heading', { level: 1, name: SHARED_TITLE }).waitFor();
      const main = await page.locator('main').innerText();
      assert.match(main, /203\.0\.113\.61/);
      assert.doesNotMatch(main, /Harbour|HCB/);
      await shot(page, 'disclosure-shared');
    });
  });
});
