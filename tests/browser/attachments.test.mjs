// Browser test of case attachments: a bank's reporter attaches a firewall log to its case from the
// case page, a program is refused with the advice to archive it, the log downloads as a file with
// the same bytes, and the finance CERT sees who attached it with its SHA-256.
// Real `rampart serve --demo`, real Chromium; any console error or CSP violation fails.
//
//   RAMPART_BIN=/path/to/rampart node --test tests/browser/attachments.test.mjs
//
// Screenshots land in tests/artifacts/screenshots/attachments-*.png.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
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

const LOG = Buffer.from('Nov 23 09:58:12 fw01 DROP SRC=203.0.113.7 DST=10.1.2.3 DPT=445\n'.repeat(40));

let server;
let browser;
let workdir;
let incident;

before(async () => {
  await mkdir(shots, { recursive: true });
  workdir = await mkdtemp(path.join(tmpdir(), 'rampart-browser-attachments-'));
  server = await startServer({ bin, workdir, webRoot });
  browser = await launchBrowser();
  incident = await fileByApi(server.url, 'reporter.bank1', 'Ransomware on the branch file servers', {
    suspected_malicious: 'yes',
  });
});

after(async () => {
  await browser?.close();
  await server?.stop();
  if (workdir) await rm(workdir, { recursive: true, force: true });
});

async function withPage(opts, fn) {
  const p = await openPage(browser, server.url, opts);
  try {
    await fn(p.page);
    p.assertClean();
  } finally {
    await p.close();
  }
}

describe('case attachments', () => {
  test('a reporter attaches a log, is told to archive a program, and downloads the log as a file', async () => {
    await withPage({ allowStatus: [422] }, async (page) => {
      await signIn(page, 'reporter.bank1');
      await page.goto(`/incidents/${incident.id}`);
      const region = page.getByRole('region', { name: 'Attachments' });
      await region.getByText('No file attached yet.').waitFor();
      await region.getByText('Attach a file').click();

      // A program named like a document is refused, and the message sits beside the file field.
      await region.getByLabel('File').setInputFiles({
        name: 'invoice.pdf', mimeType: 'application/pdf', buffer: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(64)]),
      });
      await region.getByRole('button', { name: 'Attach', exact: true }).click();
      const error = region.locator('.field-error');
      await error.waitFor();
      assert.match(await error.textContent(), /^The file is a Windows program.*zip or 7z archive/);

      await region.getByLabel('File').setInputFiles({ name: 'fw01-drops.log', mimeType: 'text/plain', buffer: LOG });
      await region.getByLabel('What it is').fill('Firewall drops before the encryption started');
      await region.getByRole('button', { name: 'Attach', exact: true }).click();
      await region.getByText('fw01-drops.log attached').waitFor();
      const row = region.locator('tbody tr', { hasText: 'fw01-drops.log' });
      await row.waitFor();
      assert.match(await row.textContent(), /Text/);
      assert.match(await row.textContent(), new RegExp(createHash('sha256').update(LOG).digest('hex')));
      // The timeline, reloaded with the case, records the upload.
      await page.getByRole('region', { name: 'Timeline' }).getByText(/Attached fw01-drops\.log/).waitFor();
      await region.scrollIntoViewIfNeeded();
      await region.screenshot({ path: path.join(shots, 'attachments-reporter.png') });

      const [download] = await Promise.all([
        page.waitForEvent('download'),
        row.getByRole('link', { name: 'fw01-drops.log' }).click(),
      ]);
      assert.equal(download.suggestedFilename(), 'fw01-drops.log');
      assert.ok((await readFile(await download.path())).equals(LOG), 'the bytes as attached');
    });
  });

  test('the finance CERT sees who attached the log, when, and its digest', async () => {
    await withPage({}, async (page) => {
      await signIn(page, 'fincert.analyst');
      await page.goto(`/incidents/${incident.id}`);
      const region = page.getByRole('region', { name: 'Attachments' });
      const row = region.locator('tbody tr', { hasText: 'fw01-drops.log' });
      await row.waitFor();
      assert.match(await row.textContent(), /Harbour Commercial Bank/);
      assert.match(await row.textContent(), /Everyone on the case/);
      // A CERT chooses who reads what it attaches.
      await region.getByText('Attach a file').click();
      const who = region.getByLabel('Who reads it');
      assert.ok((await who.locator('option').count()) >= 3);
      await region.scrollIntoViewIfNeeded();
      await region.screenshot({ path: path.join(shots, 'attachments-cert.png') });
    });
  });
});
